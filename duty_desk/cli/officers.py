"""``duty-desk officer list/add/deactivate/activate/role``: the officer list.

Anyone who is an officer may list it; only an administrator changes it (the
core, services.officers, decides and audits that).
"""

from __future__ import annotations

import argparse
from typing import Any

from duty_desk.cli.common import open_for, print_json_lines, print_rows
from duty_desk.cli.exit_codes import OK as EXIT_OK
from duty_desk.cli.parser import Parser
from duty_desk.core.config import Config
from duty_desk.core.i18n import t


def register(sub: Any) -> None:
    s = sub.add_parser("officer", help=t("officer.cli.help"), description=t("officer.cli.help"))
    osub = s.add_subparsers(dest="officer_command", metavar="ACTION", parser_class=Parser, required=True)

    o = osub.add_parser("list", help=t("officer.cli.list"), description=t("officer.cli.list"))
    o.add_argument("--json", action="store_true", help=t("officer.cli.json"))

    o = osub.add_parser("add", help=t("officer.cli.add"), description=t("officer.cli.add"))
    o.add_argument("login", metavar="LOGIN", help=t("officer.cli.login"))
    o.add_argument("--name", required=True, metavar="NAME", help=t("officer.cli.name"))
    o.add_argument("--role", default="officer", metavar="ROLE", help=t("officer.cli.role_arg"))
    o.add_argument("--phone", default="", metavar="PHONE", help=t("officer.cli.phone"))

    o = osub.add_parser("deactivate", help=t("officer.cli.deactivate"), description=t("officer.cli.deactivate"))
    o.add_argument("login", metavar="LOGIN", help=t("officer.cli.login"))
    o.add_argument("--reason", required=True, metavar="R", help=t("officer.cli.reason"))

    o = osub.add_parser("activate", help=t("officer.cli.activate"), description=t("officer.cli.activate"))
    o.add_argument("login", metavar="LOGIN", help=t("officer.cli.login"))
    o.add_argument("--reason", default="", metavar="R", help=t("officer.cli.reason"))

    o = osub.add_parser("role", help=t("officer.cli.role"), description=t("officer.cli.role"))
    o.add_argument("login", metavar="LOGIN", help=t("officer.cli.login"))
    o.add_argument("role", metavar="ROLE", help=t("officer.cli.role_arg"))
    o.add_argument("--reason", required=True, metavar="R", help=t("officer.cli.reason"))


def cmd_officer(args: argparse.Namespace, cfg: Config) -> int:
    action = {"list": _list, "add": _add, "deactivate": _deactivate, "activate": _activate,
              "role": _role}[args.officer_command]
    desk = open_for(args, cfg)
    try:
        return action(args, desk)
    finally:
        desk.close()


def role_label(role: str) -> str:
    label = t(f"role.{role}")
    return role if label == f"role.{role}" else label


def _named(row) -> dict[str, str]:
    from duty_desk.core.sanitize import shown

    return {"login": shown(row.login), "name": shown(row.name)}


def _list(args: argparse.Namespace, desk) -> int:
    from duty_desk.core.sanitize import shown
    from duty_desk.core.services.officers import list_officers

    rows = list_officers()
    if args.json:
        print_json_lines([{"login": o.login, "name": o.name, "role": o.role, "phone": o.phone,
                               "active": bool(o.active)} for o in rows])
        return EXIT_OK
    columns = ("login", "name", "role", "phone", "active")
    print_rows(columns, [
        {"login": shown(o.login), "name": shown(o.name), "role": role_label(o.role), "phone": shown(o.phone),
         "active": t("officer.active" if o.active else "officer.inactive")} for o in rows],
        {c: t(f"officer.col.{c}") for c in columns})
    return EXIT_OK


def _add(args: argparse.Namespace, desk) -> int:
    from duty_desk.core.services.officers import add_officer

    row = add_officer(desk, args.login, args.name, args.role, args.phone)
    print(t("officer.added", role=role_label(row.role), **_named(row)))
    return EXIT_OK


def _deactivate(args: argparse.Namespace, desk) -> int:
    from duty_desk.core.services.officers import deactivate_officer

    row = deactivate_officer(desk, args.login, args.reason)
    print(t("officer.deactivated", **_named(row)))
    return EXIT_OK


def _activate(args: argparse.Namespace, desk) -> int:
    from duty_desk.core.services.officers import activate_officer

    row = activate_officer(desk, args.login, args.reason)
    print(t("officer.activated", **_named(row)))
    return EXIT_OK


def _role(args: argparse.Namespace, desk) -> int:
    from duty_desk.core.services.officers import change_role, find_officer

    found = find_officer(args.login)
    old = found.role if found else ""
    row = change_role(desk, args.login, args.role, args.reason)
    print(t("officer.role_changed", old=role_label(old), new=role_label(row.role), **_named(row)))
    return EXIT_OK


RUNNERS = {"officer": cmd_officer}
