"""``duty-desk contacts …``: the contact book (通讯录) — list and find (Chinese,
pinyin, initials, phone, tag), show one, add, edit and void (administrators),
import and export CSV, and who to call for an urgent item's type."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from duty_desk.cli.common import open_for, open_reader, print_json_lines, print_rows
from duty_desk.cli.exit_codes import OK as EXIT_OK
from duty_desk.cli.exit_codes import REFUSED as EXIT_REFUSED
from duty_desk.core.config import Config
from duty_desk.core.i18n import t

# Options of add and edit: (option, the service's field, help key).
FIELD_OPTIONS = (("--unit", "unit", "unit"), ("--name", "name", "name"), ("--title", "title", "title"),
                 ("--office", "office_phone", "office"), ("--mobile", "mobile", "mobile"),
                 ("--duty", "duty_phone", "duty"), ("--fax", "fax", "fax"), ("--tags", "tags", "tags"),
                 ("--notes", "notes", "notes"))
LIST_COLUMNS = ("id", "unit", "name", "title", "duty_phone", "office_phone", "mobile", "tags")


def register(sub: Any) -> None:
    from duty_desk.cli.parser import Parser

    top = sub.add_parser("contacts", help=t("cli.contacts.help"), description=t("cli.contacts.help"))
    csub = top.add_subparsers(dest="contacts_command", metavar="ACTION", parser_class=Parser,
                              title=t("cli.argparse.commands"))
    csub.required = True

    s = csub.add_parser("list", help=t("cli.contacts.list"), description=t("cli.contacts.list"))
    s.add_argument("find", nargs="?", default="", metavar="FIND", help=t("cli.contacts.find"))
    s.add_argument("--tag", default="", help=t("cli.contacts.tag"))
    s.add_argument("--all", action="store_true", help=t("cli.contacts.all"))
    s.add_argument("--json", action="store_true", help=t("cli.show.json"))
    s.set_defaults(contacts_run=cmd_list)

    s = csub.add_parser("show", help=t("cli.contacts.show"), description=t("cli.contacts.show"))
    s.add_argument("id", type=int, help=t("cli.arg.id"))
    s.add_argument("--json", action="store_true", help=t("cli.show.json"))
    s.set_defaults(contacts_run=cmd_show)

    for name, run in (("add", cmd_add), ("edit", cmd_edit)):
        s = csub.add_parser(name, help=t(f"cli.contacts.{name}"), description=t(f"cli.contacts.{name}"))
        if name == "edit":
            s.add_argument("id", type=int, help=t("cli.arg.id"))
        for option, field, key in FIELD_OPTIONS:
            s.add_argument(option, dest=field, default=None, help=t(f"cli.contacts.opt.{key}"))
        s.set_defaults(contacts_run=run)

    s = csub.add_parser("void", help=t("cli.contacts.void"), description=t("cli.contacts.void"))
    s.add_argument("id", type=int, help=t("cli.arg.id"))
    s.add_argument("--reason", required=True, help=t("cli.void.reason"))
    s.set_defaults(contacts_run=cmd_void)

    s = csub.add_parser("import", help=t("cli.contacts.import"), description=t("cli.contacts.import"))
    s.add_argument("file", metavar="FILE.csv", help=t("cli.contacts.file"))
    s.set_defaults(contacts_run=cmd_import)

    s = csub.add_parser("export", help=t("cli.contacts.export"), description=t("cli.contacts.export"))
    s.add_argument("out", nargs="?", metavar="FILE", help=t("cli.contacts.out"))
    s.add_argument("--all", action="store_true", help=t("cli.contacts.all"))
    s.set_defaults(contacts_run=cmd_export)

    s = csub.add_parser("who", help=t("cli.contacts.who"), description=t("cli.contacts.who"))
    s.add_argument("type", metavar="TYPE", help=t("cli.contacts.type"))
    s.add_argument("--json", action="store_true", help=t("cli.show.json"))
    s.set_defaults(contacts_run=cmd_who)


def _headers() -> dict[str, str]:
    return {k: t("contacts.col.id") if k == "id" else t(f"contacts.field.{k}") for k in LIST_COLUMNS}


def _print_cards(cards: list, as_json: bool) -> None:
    from duty_desk.core.contacts.files import card_row

    if as_json:
        print_json_lines([{**card_row(c), "tags": list(c.tags), "voided": c.voided} for c in cards])
    elif cards:
        print_rows(LIST_COLUMNS, [card_row(c) for c in cards], _headers())
    else:
        print(t("contacts.none"))


def cmd_list(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.contacts.view import find_contacts

    desk = open_reader(args, cfg)
    try:
        _print_cards(find_contacts(args.find, args.tag, include_void=args.all), args.json)
    finally:
        desk.close()
    return EXIT_OK


def cmd_show(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.contacts.files import card_row
    from duty_desk.core.contacts.view import get_contact
    from duty_desk.core.desk import officer_name
    from duty_desk.core.dutytime import fmt_dt

    desk = open_reader(args, cfg)
    try:
        c = get_contact(args.id)
        if args.json:
            print_json_lines([{**card_row(c), "tags": list(c.tags), "voided": c.voided}])
            return EXIT_OK
        for key, value in card_row(c).items():
            if value and key != "id":
                print(f"{t(f'contacts.field.{key}')}：{value}")
        if c.voided:
            print(t("contacts.voided", at=fmt_dt(c.voided_at, cfg), by=officer_name(c.voided_by or ""),
                    reason=c.void_reason or ""))
    finally:
        desk.close()
    return EXIT_OK


def _values(args: argparse.Namespace) -> dict[str, Any]:
    return {field: getattr(args, field) for _o, field, _k in FIELD_OPTIONS}


def _who(row: Any) -> str:
    return " ".join(p for p in (row.unit, row.name) if p)


def cmd_add(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.contacts.service import add_contact

    desk = open_for(args, cfg)
    try:
        row = add_contact(desk, **_values(args))
        print(t("contacts.added", id=row.id, who=_who(row)))
    finally:
        desk.close()
    return EXIT_OK


def cmd_edit(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.contacts.service import update_contact

    desk = open_for(args, cfg)
    try:
        row = update_contact(desk, args.id, **_values(args))
        print(t("contacts.updated", id=row.id, who=_who(row)))
    finally:
        desk.close()
    return EXIT_OK


def cmd_void(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.contacts.service import void_contact

    desk = open_for(args, cfg)
    try:
        row = void_contact(desk, args.id, args.reason)
        print(t("void.done", kind=t("kind.contact"), id=row.id))
    finally:
        desk.close()
    return EXIT_OK


def _read_file(path: str) -> bytes:
    from duty_desk.core.contacts.files import MAX_IMPORT_BYTES
    from duty_desk.core.errors import InvalidInput

    try:
        with open(path, "rb") as fh:
            return fh.read(MAX_IMPORT_BYTES + 1)  # a bigger one is refused by the import
    except OSError as err:
        raise InvalidInput("contacts.file.cannot_read", field="file", path=path,
                           error=err.strerror or err) from None


def cmd_import(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.contacts.files import import_csv
    from duty_desk.core.csvfile import ImportRefused

    data = _read_file(args.file)
    desk = open_for(args, cfg)
    try:
        outcome = import_csv(desk, data)
    except ImportRefused as err:
        # One line per bad line of the file, so each can be found and fixed.
        for line in err.lines():
            print(t("cli.error", message=line), file=sys.stderr)
        return EXIT_REFUSED
    finally:
        desk.close()
    print(t("contacts.file.imported", added=outcome.added, changed=outcome.changed, unchanged=outcome.unchanged))
    return EXIT_OK


def cmd_export(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.contacts.files import export_csv

    desk = open_reader(args, cfg)
    try:
        content = export_csv(include_void=args.all)
    finally:
        desk.close()
    if not args.out:
        sys.stdout.write(content)
        return EXIT_OK
    from duty_desk.core import safefile

    def fill(tmp) -> None:
        with open(tmp, "wb") as fh:
            fh.write(content.encode("utf-8"))

    try:
        safefile.write_with(args.out, fill)  # atomic, never through a symlink
    except OSError as err:
        print(t("cli.error", message=t("cli.file_error", path=args.out, error=err.strerror or err)), file=sys.stderr)
        return EXIT_REFUSED
    print(t("contacts.file.written", path=args.out), file=sys.stderr)
    return EXIT_OK


def cmd_who(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.contacts.view import tags_for, who_to_call

    desk = open_reader(args, cfg)
    try:
        cards = who_to_call(args.type)
        tags = "、".join(tags_for(args.type))
        if not args.json:
            print(t("contacts.who.heading", type=args.type.strip(), tags=tags) if cards
                  else t("contacts.who.none", tags=tags))
        if cards or args.json:
            _print_cards(cards, args.json)
    finally:
        desk.close()
    return EXIT_OK


def cmd_contacts(args: argparse.Namespace, cfg: Config) -> int:
    return args.contacts_run(args, cfg)


RUNNERS = {"contacts": cmd_contacts}
