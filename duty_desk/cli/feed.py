"""Feeding the desk from scripts and other systems: ``call`` and ``visitor``
here, ``document`` and ``urgent`` in cli.feed_reports (which shares the
checks below).

Each command calls the very service function the desk's form calls, with the
same arguments, so a record made here is the record the form would make. What
a form's fields check as they are typed (a time, a resident ID number, a
发文字号, a choice from a list) is checked here before the store is opened,
with the same parsers and messages: such a refusal writes nothing. What the
service itself refuses is refused as in the desk (exit status 3), and the
core records the failed attempt in the audit trail as it does for the form.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from typing import Any

from duty_desk.cli.common import print_json_lines, print_table, with_desk
from duty_desk.cli.exit_codes import OK as EXIT_OK
from duty_desk.core.config import Config
from duty_desk.core.i18n import CATALOGS, t

# Typed for "no urgency" / "not classified" (the services store "").
NONE_WORDS = ("", "-", "—", "无", "非密", "none")


def register(sub: Any) -> None:
    _register_call(sub)
    _register_visitor(sub)


def _register_call(sub: Any) -> None:
    s = sub.add_parser("call", help=t("feed.call.help"), description=t("feed.call.help"))
    s.add_argument("text", metavar="TEXT", help=t("feed.call.text"))
    s.add_argument("--unit", default="", metavar="UNIT", help=t("feed.call.unit"))
    s.add_argument("--name", default="", metavar="NAME", help=t("feed.call.name"))
    s.add_argument("--title", default="", metavar="TITLE", help=t("feed.call.title"))
    s.add_argument("--phone", default="", metavar="PHONE", help=t("feed.call.phone"))
    s.add_argument("--informed", default="", metavar="WHO", help=t("feed.call.informed"))
    s.add_argument("--handling", default="", metavar="TEXT", help=t("feed.call.handling"))
    s.add_argument("--needs-action", action="store_true", help=t("feed.call.needs_action"))
    s.add_argument("--due", metavar="HH:MM", help=t("feed.call.due"))
    s.add_argument("--result", default="", metavar="TEXT", help=t("feed.call.result"))
    s.add_argument("--at", metavar="HH:MM", help=t("feed.call.at"))
    json_option(s)


def _register_visitor(sub: Any) -> None:
    from duty_desk.cli.parser import Parser
    from duty_desk.core.services import visitors

    top = sub.add_parser("visitor", help=t("feed.visitor.help"), description=t("feed.visitor.help"))
    vsub = top.add_subparsers(dest="visitor_command", metavar="ACTION", parser_class=Parser,
                              title=t("cli.argparse.commands"))
    vsub.required = True

    s = vsub.add_parser("add", help=t("feed.visitor.add"), description=t("feed.visitor.add"))
    s.add_argument("name", metavar="NAME", help=t("feed.visitor.name"))
    s.add_argument("--unit", default="", metavar="UNIT", help=t("feed.visitor.unit"))
    s.add_argument("--phone", default="", metavar="PHONE", help=t("feed.visitor.phone"))
    s.add_argument("--id-type", default=None, metavar="TYPE",
                   help=t("feed.visitor.id_type", choices=" ".join(visitors.ID_TYPES)))
    s.add_argument("--id-number", default="", metavar="NUMBER", help=t("feed.visitor.id_number"))
    s.add_argument("--purpose", default="", metavar="TEXT", help=t("feed.visitor.purpose"))
    s.add_argument("--host", default="", metavar="WHO", help=t("feed.visitor.host"))
    s.add_argument("--party-size", default="1", metavar="N", help=t("feed.visitor.party_size"))
    s.add_argument("--at", metavar="HH:MM", help=t("feed.visitor.at"))
    json_option(s)
    s.set_defaults(feed_run=cmd_visitor_add)

    s = vsub.add_parser("receive", help=t("feed.visitor.receive"), description=t("feed.visitor.receive"))
    s.add_argument("id", type=int, metavar="ID", help=t("feed.visitor.id"))
    s.add_argument("--by", default="", metavar="WHO", help=t("feed.visitor.by"))
    s.add_argument("--at", metavar="HH:MM", help=t("feed.visitor.receive_at"))
    json_option(s)
    s.set_defaults(feed_run=cmd_visitor_receive)

    s = vsub.add_parser("leave", help=t("feed.visitor.leave"), description=t("feed.visitor.leave"))
    s.add_argument("id", type=int, metavar="ID", help=t("feed.visitor.id"))
    s.add_argument("--result", default="", metavar="TEXT", help=t("feed.visitor.result"))
    s.add_argument("--at", metavar="HH:MM", help=t("feed.visitor.left_at"))
    json_option(s)
    s.set_defaults(feed_run=cmd_visitor_leave)


def json_option(s: argparse.ArgumentParser) -> None:
    s.add_argument("--json", action="store_true", help=t("feed.json"))


# --- what the forms' fields check as they are typed --------------------------


def check_times(cfg: Config, **times: str | None) -> dict[str, str | None]:
    """Times that happened (field -> typed text): HH:MM or YYYY-MM-DD HH:MM,
    not in the future, with the parser the service and the forms use. An
    empty one is None: "now" to the service. Returns what was given."""
    from duty_desk.core import clock
    from duty_desk.core.dutytime import parse_when

    for field, text in times.items():
        if text not in (None, ""):
            parse_when(text, clock.now(), cfg, field)
    return {field: text or None for field, text in times.items()}


def check_due(cfg: Config, field: str, text: str | None) -> str | None:
    """A due time or deadline, which may lie ahead; None when not given."""
    from duty_desk.core import clock
    from duty_desk.core.dutytime import parse_due

    if text in (None, ""):
        return None
    parse_due(text, clock.now(), cfg, field)
    return text


def pick(typed: str | None, values: Iterable[str], refuse: Callable[[], Exception], *,
         label_key: str = "", default: str = "") -> str:
    """The service's value for a choice typed on the command line: the value
    itself; its label in either language (``label_key``: the catalog key, with
    ``{value}``); the one value it begins (公共卫生 → 公共卫生事件); "" for a
    none word when "" is a value. Anything else is refused before the store
    is touched, with the message the service gives (``refuse``)."""
    text = default if typed is None else typed.strip()
    values = tuple(values)
    if text in values:
        return text
    if "" in values and text.lower() in NONE_WORDS:
        return ""
    folded = text.casefold()
    for value in values:
        if text and label_key and any(catalog.get(label_key.format(value=value), "").casefold() == folded
                                      for catalog in CATALOGS.values()):
            return value
        if value.casefold() == folded:
            return value
    starting = [v for v in values if v and text and v.startswith(text)]
    if len(starting) == 1:
        return starting[0]
    raise refuse()


def say(args: argparse.Namespace, kind: str, record: Any, cfg: Config, extra: dict | None = None) -> int:
    """The record as ``duty-desk log`` prints it (a table row with its id), or
    with --json as one JSON object (``extra`` added: a step's or event's id)."""
    from duty_desk.core.present import record_dict

    row = record_dict(kind, record, cfg)
    if args.json:
        print_json_lines([{**row, **(extra or {})}])
    else:
        print_table(kind, [row])
    return EXIT_OK


# --- duty-desk call --------------------------------------------------------------


def cmd_call(args: argparse.Namespace, cfg: Config) -> int:
    """来电 through log.record_call, as the desk's call form and /电 record it."""
    from duty_desk.core.services import log

    at = check_times(cfg, occurred_at=args.at)["occurred_at"]
    due = check_due(cfg, "due", args.due)

    def act(desk) -> int:
        entry = log.record_call(desk, args.text, unit=args.unit, name=args.name, title=args.title,
                                phone=args.phone, already_informed=args.informed, handling=args.handling,
                                needs_action=True if args.needs_action else None, due=due,
                                result=args.result, occurred_at=at)
        return say(args, "log", entry, cfg)

    return with_desk(args, cfg, act)


# --- duty-desk visitor -------------------------------------------------------------


def cmd_visitor(args: argparse.Namespace, cfg: Config) -> int:
    return args.feed_run(args, cfg)


def visitor_values(args: argparse.Namespace, cfg: Config) -> dict[str, Any]:
    """What the visitor form sends register_visitor, checked as its fields
    check them: the ID type from the service's list, a resident ID number by
    its check digit (the service keeps only its masked form), the time."""
    from duty_desk.core.errors import InvalidInput
    from duty_desk.core.idcard import RESIDENT_ID, validate_resident_id
    from duty_desk.core.services import visitors

    id_type = pick(args.id_type, visitors.ID_TYPES, default=RESIDENT_ID,
                   refuse=lambda: InvalidInput("visitor.id_type", field="id_type",
                                               choices=" ".join(visitors.ID_TYPES)))
    if id_type == RESIDENT_ID and args.id_number.strip():
        validate_resident_id(args.id_number)
    at = check_times(cfg, arrived_at=args.at)["arrived_at"]
    return {"name": args.name, "unit": args.unit, "phone": args.phone, "id_type": id_type,
            "id_number": args.id_number, "purpose": args.purpose, "host": args.host,
            "party_size": args.party_size, "arrived_at": at}


def cmd_visitor_add(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.services import visitors

    values = visitor_values(args, cfg)

    def act(desk) -> int:
        return say(args, "visitor", visitors.register_visitor(desk, values.pop("name"), **values), cfg)

    return with_desk(args, cfg, act)


def cmd_visitor_receive(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.services import visitors

    at = check_times(cfg, reception_at=args.at)["reception_at"]

    def act(desk) -> int:
        return say(args, "visitor", visitors.start_reception(desk, args.id, args.by, at), cfg)

    return with_desk(args, cfg, act)


def cmd_visitor_leave(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.services import visitors

    at = check_times(cfg, left_at=args.at)["left_at"]

    def act(desk) -> int:
        return say(args, "visitor", visitors.check_out(desk, args.id, args.result, at), cfg)

    return with_desk(args, cfg, act)


RUNNERS = {"call": cmd_call, "visitor": cmd_visitor}
