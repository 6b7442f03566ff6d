"""``duty-desk report send``: the one approved text (同口径) to each recipient
named with ``--to``, in one go: one sending each, at the same moment, by the
same means. Recipients are found in the contact book (core.reports.recipients).
A refusal stops the round there, saying which recipient was refused, why,
and which were recorded before it. Also the reading of a report's text from
a file or stdin, which draft and edit share."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from duty_desk.cli.common import open_for, with_desk
from duty_desk.cli.exit_codes import OK as EXIT_OK
from duty_desk.cli.exit_codes import USAGE as EXIT_USAGE
from duty_desk.core.config import Config
from duty_desk.core.i18n import t

# Bytes read from a text file at most: far past any report (the core refuses a long text itself).
MAX_FILE_BYTES = 1 << 20


def read_text(path: str) -> str:
    """A report's text from a file, or from stdin for ``-``: UTF-8 (a BOM
    dropped), UTF-16 with its BOM, else GB18030 (a file saved in Notepad on
    Chinese Windows)."""
    from duty_desk.core.errors import InvalidInput
    from duty_desk.core.reports.service import MAX_REPORT

    try:
        if path == "-":
            stream = getattr(sys.stdin, "buffer", None)
            data = stream.read(MAX_FILE_BYTES + 1) if stream is not None else sys.stdin.read().encode("utf-8")
        else:
            with open(path, "rb") as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise InvalidInput("cli.report.cannot_read", field="text_file", path=path,
                           error=err.strerror or str(err)) from None
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput("input.too_long", field="text", field_name="text", limit=MAX_REPORT)
    encodings = ("utf-16",) if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ()
    for encoding in (*encodings, "utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput("cli.report.undecodable", field="text_file", path=path)


def register_send(rsub: Any) -> None:
    from duty_desk.core.reports.service import MEANS

    s = rsub.add_parser("send", help=t("cli.report.send"), description=t("cli.report.send_description"))
    s.add_argument("id", type=int, metavar="ID", help=t("cli.report.id"))
    s.add_argument("--to", action="append", required=True, metavar="RECIPIENT", help=t("cli.report.to"))
    s.add_argument("--means", required=True, metavar="MEANS", help=t("cli.report.means", choices=" ".join(MEANS)))
    s.add_argument("--text-file", metavar="FILE|-", help=t("cli.report.sent_text_file"))
    s.add_argument("--at", metavar="HH:MM", help=t("cli.report.sent_at"))
    s.add_argument("--received-by", default="", metavar="NAME", help=t("cli.report.sent_received_by"))
    s.add_argument("--delay-reason", default="", metavar="TEXT", help=t("cli.report.delay_reason"))
    s.set_defaults(report_run=cmd_send)


def _means(typed: str) -> str:
    from duty_desk.cli.feed import pick
    from duty_desk.core.errors import InvalidInput
    from duty_desk.core.reports.service import MEANS

    return pick(typed, MEANS, label_key="cli.report.means.{value}", refuse=lambda: InvalidInput(
        "report.bad_means", field="means", means=typed, choices=" ".join(MEANS)))


def _book_note(target) -> str:
    if target.contact is not None:
        return t("cli.report.in_book", id=target.contact.id)
    if target.candidates > 1:
        return t("cli.report.book_several", count=target.candidates)
    return t("cli.report.not_in_book")


def cmd_send(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.cli.exit_codes import for_error_key
    from duty_desk.core.errors import DeskError
    from duty_desk.core.reports import service, view
    from duty_desk.core.reports.recipients import resolve
    from duty_desk.core.services.common import when

    if args.received_by.strip() and len(args.to) > 1:
        print(t("cli.usage_error", prog="duty-desk report send", message=t("cli.report.received_by_one")),
              file=sys.stderr)
        return EXIT_USAGE
    means = _means(args.means)
    text = read_text(args.text_file) if args.text_file is not None else None

    def act(desk) -> int:
        moment = when(desk, args.at, "at")  # one moment for every recipient of this round
        targets = [resolve(typed) for typed in args.to]
        recorded: list[str] = []
        for i, target in enumerate(targets):
            try:
                sending = service.send(desk, args.id, target.name, means, text=text, at=moment,
                                       received_by=args.received_by,
                                       contact=target.contact.id if target.contact else None,
                                       delay_reason=args.delay_reason)
            except DeskError as err:
                print(t("cli.error", message=t("cli.report.send_refused", recipient=target.name,
                                               message=err.message)), file=sys.stderr)
                if len(targets) > 1:
                    left = [x.name for x in targets[i + 1:]]
                    print(t("cli.report.send_partial", recorded="、".join(recorded) or t("cli.report.none_recorded"),
                            left="、".join(left) or "—"), file=sys.stderr)
                return for_error_key(err.key)
            recorded.append(sending.recipient)
            report = service.get_report(args.id)
            print(t("cli.report.sent", id=report.id, name=service.kind_name(report.kind, report.seq),
                    recipient=sending.recipient, means=sending.means, sending=sending.id,
                    book=_book_note(target)))
        print(view.report_line(service.get_report(args.id), cfg))
        return EXIT_OK

    return with_desk(args, cfg, act, open_for)
