"""``duty-desk report …``: the written reports upward (信息报送) of an urgent
item — list them, draft one (the template's text, or the officer's own
wording from a file or stdin), edit it, sign it off (签发, or record a
leader's approval given by phone), send the one approved text (cli.reports_send),
confirm receipt, void a draft, and show one as text, Markdown or JSON, or
write it to a file for a fax cover or the reporting platform's upload."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from duty_desk.cli.common import open_for, open_reader, print_json_lines, print_rows, with_desk
from duty_desk.cli.exit_codes import OK as EXIT_OK
from duty_desk.cli.exit_codes import REFUSED as EXIT_REFUSED
from duty_desk.cli.reports_send import read_text, register_send
from duty_desk.core.config import Config
from duty_desk.core.i18n import t

ENCODINGS = ("utf-8", "gbk")
LIST_COLUMNS = ("id", "name", "state", "due", "sent", "late", "signer", "recipients")


def register(sub: Any) -> None:
    from duty_desk.cli.parser import Parser
    from duty_desk.core.reports.view import FORMATS

    top = sub.add_parser("report", help=t("cli.report.help"), description=t("cli.report.description"))
    rsub = top.add_subparsers(dest="report_command", metavar="ACTION", parser_class=Parser,
                              title=t("cli.argparse.commands"))
    rsub.required = True

    s = rsub.add_parser("list", help=t("cli.report.list"), description=t("cli.report.list"))
    s.add_argument("item", nargs="?", type=int, metavar="ITEM", help=t("cli.report.item_or_all"))
    s.add_argument("--json", action="store_true", help=t("cli.show.json"))
    s.set_defaults(report_run=cmd_list)

    s = rsub.add_parser("draft", help=t("cli.report.draft"), description=t("cli.report.draft_description"))
    s.add_argument("item", type=int, metavar="ITEM", help=t("cli.report.item"))
    s.add_argument("--kind", metavar="KIND", help=t("cli.report.kind", choices=_kind_words()))
    s.add_argument("--text-file", metavar="FILE|-", help=t("cli.report.text_file"))
    s.set_defaults(report_run=cmd_draft)

    s = rsub.add_parser("edit", help=t("cli.report.edit"), description=t("cli.report.edit_description"))
    s.add_argument("id", type=int, metavar="ID", help=t("cli.report.id"))
    s.add_argument("--text-file", required=True, metavar="FILE|-", help=t("cli.report.text_file"))
    s.set_defaults(report_run=cmd_edit)

    s = rsub.add_parser("approve", help=t("cli.report.approve"), description=t("cli.report.approve_description"))
    s.add_argument("id", type=int, metavar="ID", help=t("cli.report.id"))
    s.add_argument("--leader", metavar="NAME", help=t("cli.report.leader"))
    s.add_argument("--at", metavar="HH:MM", help=t("cli.report.approved_at"))
    s.set_defaults(report_run=cmd_approve)

    register_send(rsub)

    s = rsub.add_parser("confirm", help=t("cli.report.confirm"), description=t("cli.report.confirm"))
    s.add_argument("sending", type=int, metavar="SENDING_ID", help=t("cli.report.sending_id"))
    s.add_argument("--received-by", required=True, metavar="NAME", help=t("cli.report.received_by"))
    s.add_argument("--at", metavar="HH:MM", help=t("cli.report.confirmed_at"))
    s.set_defaults(report_run=cmd_confirm)

    s = rsub.add_parser("void", help=t("cli.report.void"), description=t("cli.report.void"))
    s.add_argument("id", type=int, metavar="ID", help=t("cli.report.id"))
    s.add_argument("--reason", required=True, help=t("cli.void.reason"))
    s.set_defaults(report_run=cmd_void)

    s = rsub.add_parser("void-sending", help=t("cli.report.void_sending"),
                        description=t("cli.report.void_sending_description"))
    s.add_argument("sending", type=int, metavar="SENDING_ID", help=t("cli.report.sending_id"))
    s.add_argument("--reason", required=True, help=t("cli.void.reason"))
    s.set_defaults(report_run=cmd_void_sending)

    s = rsub.add_parser("show", help=t("cli.report.show"), description=t("cli.report.show_description"))
    s.add_argument("id", type=int, metavar="ID", help=t("cli.report.id"))
    s.add_argument("--format", choices=FORMATS, default="txt", help=t("cli.report.format"))
    s.add_argument("--output", metavar="FILE", help=t("cli.report.output"))
    s.add_argument("--encoding", choices=ENCODINGS, help=t("cli.report.encoding"))
    s.set_defaults(report_run=cmd_show)


def _kind_words() -> str:
    from duty_desk.core.reports.templates import REPORT_KINDS

    return t("feed.list_sep").join(f"{t(f'event.{k}')} ({k})" for k in REPORT_KINDS)


# --- listing --------------------------------------------------------------------


def _signer(report) -> str:
    from duty_desk.core.reports.service import state_of

    if report.approved_at is None or state_of(report) == "draft":
        return ""
    name = report.approved_name or ""
    return name + (t("cli.report.by_phone") if report.approval_means == "phone" else "")


def _row(desk, item, report, cfg: Config) -> dict[str, str]:
    from duty_desk.core.reports import view
    from duty_desk.core.reports.service import kind_name, pending_due, sendings, state_of

    late = view.late_text(report)
    if report.delay_reason:
        late += "（" + t("report.reason", reason=report.delay_reason) + "）"
    return {"id": str(report.id), "name": kind_name(report.kind, report.seq),
            "state": t(f"report.state.{state_of(report)}"), "due": view.hm(pending_due(report, cfg), cfg),
            "sent": view.hm(report.sent_at, cfg), "late": late, "signer": _signer(report),
            "recipients": view.recipients_text(sendings(report.id))}


def cmd_list(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.reports import view
    from duty_desk.core.reports.service import as_dict, pending_due, reports_of
    from duty_desk.core.sanitize import shown
    from duty_desk.core.services import urgent
    from duty_desk.core.services.common import get_record

    def act(desk) -> int:
        items = [get_record("urgent", args.item)] if args.item is not None else urgent.open_urgent_items()
        if args.json:
            print_json_lines([{**as_dict(r), "item_title": item.title, "due": view.hm(pending_due(r, cfg), cfg),
                               "line": view.report_line(r, cfg)}
                              for item in items for r in reports_of(item.id)])
            return EXIT_OK
        if not items:
            print(t("cli.report.no_open_items"))
        headers = {c: t(f"cli.report.col.{c}") for c in LIST_COLUMNS}
        for item in items:
            print(t("cli.report.item_heading", id=item.id, title=shown(item.title)))
            print_rows(LIST_COLUMNS, [_row(desk, item, r, cfg) for r in reports_of(item.id)], headers)
        return EXIT_OK

    return with_desk(args, cfg, act, open_reader)


# --- drafting, editing, signing off -----------------------------------------------


def _name(report) -> str:
    from duty_desk.core.reports.service import kind_name

    return kind_name(report.kind, report.seq)


def _print_text(report) -> None:
    from duty_desk.core.sanitize import shown

    print()
    print(shown(report.text, keep_newlines=True))
    print()


def cmd_draft(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.cli.feed import pick
    from duty_desk.core.errors import InvalidInput
    from duty_desk.core.reports import service
    from duty_desk.core.reports.templates import REPORT_KINDS

    kind = None
    if args.kind is not None:
        kind = pick(args.kind, REPORT_KINDS, label_key="event.{value}", refuse=lambda: InvalidInput(
            "report.bad_kind", field="kind", kind=args.kind, choices=_kind_words()))
    text = read_text(args.text_file) if args.text_file is not None else None

    def act(desk) -> int:
        report = service.draft(desk, args.item, kind, text)
        print(t("cli.report.drafted", id=report.id, name=_name(report), item=args.item))
        _print_text(report)
        print(t("cli.report.next_approve", id=report.id))
        return EXIT_OK

    return with_desk(args, cfg, act, open_for)


def cmd_edit(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.errors import DeskError
    from duty_desk.core.reports import service

    text = read_text(args.text_file)

    def act(desk) -> int:
        try:
            before = service.get_report(args.id)
        except DeskError:
            before = None  # the edit below is refused, and the refusal audited
        report = service.edit(desk, args.id, text)
        if before is not None and before.text == report.text:
            print(t("cli.report.unchanged", id=report.id, name=_name(report)))
            return EXIT_OK
        print(t("cli.report.edited", id=report.id, name=_name(report)))
        if before is not None and service.state_of(before) == "approved":
            print(t("cli.report.approval_lost", id=report.id))
        _print_text(report)
        return EXIT_OK

    return with_desk(args, cfg, act, open_for)


def cmd_approve(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.officer_names import officer_name
    from duty_desk.core.reports import service, view

    def act(desk) -> int:
        report = service.approve(desk, args.id, leader=args.leader or "", at=args.at)
        print(t("cli.report.approved", id=report.id, name=_name(report), signed=view.approval_text(report, cfg)))
        if report.approval_means == "phone":
            print(t("cli.report.phoned", leader=report.approved_name, by=officer_name(desk.actor)))
        print(t("cli.report.next_send", id=report.id))
        return EXIT_OK

    return with_desk(args, cfg, act, open_for)


def cmd_confirm(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.reports import service, view

    def act(desk) -> int:
        sending = service.confirm(desk, args.sending, args.received_by, at=args.at)
        print(t("cli.report.confirmed", id=sending.id, recipient=sending.recipient, who=sending.received_by,
                at=view.hm(sending.confirmed_at, cfg)))
        return EXIT_OK

    return with_desk(args, cfg, act, open_for)


def cmd_void(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.reports import service

    def act(desk) -> int:
        report = service.void(desk, args.id, args.reason)
        print(t("void.done", kind=t("kind.urgent_report"), id=report.id))
        return EXIT_OK

    return with_desk(args, cfg, act, open_for)


def cmd_void_sending(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.reports import service, view

    def act(desk) -> int:
        sending = service.void_sending(desk, args.sending, args.reason)
        print(t("void.done", kind=t("kind.report_sending"), id=sending.id))
        print(view.report_line(service.get_report(sending.__data__["report"]), cfg))
        return EXIT_OK

    return with_desk(args, cfg, act, open_for)


# --- showing, and a file for the fax or the platform ------------------------------


def encoded(text: str, encoding: str) -> bytes:
    """``text`` in ``encoding``; a character it cannot hold is refused, named
    with its line, before anything is written."""
    from duty_desk.core.errors import Refused

    try:
        return text.encode(encoding)
    except UnicodeEncodeError as err:
        ch = text[err.start]
        raise Refused("cli.report.not_encodable", char=ch, code=f"U+{ord(ch):04X}",
                      line=text.count("\n", 0, err.start) + 1, encoding=encoding.upper()) from None


def cmd_show(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.reports import service, view

    def act(desk) -> tuple[str, str]:
        report = service.get_report(args.id)
        return view.render(report, args.format, cfg), _name(report)

    text, name = with_desk(args, cfg, act, open_reader)
    data = encoded(text, args.encoding) if args.encoding else None
    if not args.output:
        if data is None:
            sys.stdout.write(text)
        else:  # the bytes as asked, for a redirect into a file
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        return EXIT_OK
    from duty_desk.core import safefile

    content = data if data is not None else text.encode("utf-8")

    def fill(tmp) -> None:
        with open(tmp, "wb") as fh:
            fh.write(content)

    try:
        safefile.write_with(args.output, fill)  # atomic, never through a symlink
    except OSError as err:
        print(t("cli.error", message=t("cli.file_error", path=args.output, error=err.strerror or err)),
              file=sys.stderr)
        return EXIT_REFUSED
    print(t("cli.report.written", id=args.id, name=name, path=args.output,
            encoding=(args.encoding or "utf-8").upper()))
    return EXIT_OK


def cmd_report(args: argparse.Namespace, cfg: Config) -> int:
    return args.report_run(args, cfg)


RUNNERS = {"report": cmd_report}
