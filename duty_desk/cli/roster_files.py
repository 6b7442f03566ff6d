"""``duty-desk roster import|export|ical``: the roster in files (a CSV for
offices that plan in a spreadsheet, an iCalendar per officer)."""

from __future__ import annotations

import argparse
import sys
from calendar import monthrange
from datetime import date, time, timedelta
from typing import Any

from duty_desk.cli.common import open_for, open_reader
from duty_desk.cli.exit_codes import OK as EXIT_OK
from duty_desk.cli.exit_codes import REFUSED as EXIT_REFUSED
from duty_desk.core.config import Config
from duty_desk.core.errors import InvalidInput
from duty_desk.core.i18n import t

# Files bigger than this are not a month's roster; refused before reading.
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def register(rsub: Any) -> None:
    """Add this module's actions to ``duty-desk roster``; each parser sets
    ``roster_run`` to its runner ``(args, cfg) -> exit status``."""
    s = rsub.add_parser("import", help=t("cli.roster_files.import"), description=t("cli.roster_files.import"))
    s.add_argument("file", metavar="FILE.csv", help=t("cli.roster_files.file"))
    s.add_argument("--reason", default="", help=t("cli.roster_files.reason"))
    s.set_defaults(roster_run=cmd_import)

    s = rsub.add_parser("export", help=t("cli.roster_files.export"), description=t("cli.roster_files.export"))
    s.add_argument("month", metavar="YYYY-MM", help=t("cli.roster.month"))
    s.add_argument("--out", metavar="FILE", help=t("cli.roster_files.out"))
    s.set_defaults(roster_run=cmd_export)

    s = rsub.add_parser("ical", help=t("cli.roster_files.ical"), description=t("cli.roster_files.ical"))
    s.add_argument("login", metavar="LOGIN", help=t("cli.roster_files.login"))
    s.add_argument("--from", dest="first", metavar="YYYY-MM-DD", help=t("cli.roster_files.from"))
    span = s.add_mutually_exclusive_group()
    span.add_argument("--months", type=int, default=3, metavar="N", help=t("cli.roster_files.months"))
    span.add_argument("--until", metavar="YYYY-MM-DD", help=t("cli.roster_files.until"))
    remind = s.add_mutually_exclusive_group()
    remind.add_argument("--remind", default="18:00", metavar="HH:MM", help=t("cli.roster_files.remind"))
    remind.add_argument("--no-remind", action="store_true", help=t("cli.roster_files.no_remind"))
    s.add_argument("--out", metavar="FILE", help=t("cli.roster_files.out"))
    s.set_defaults(roster_run=cmd_ical)


def _read_file(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_IMPORT_BYTES + 1)
    except OSError as err:
        raise InvalidInput("roster_files.cannot_read", field="file", path=path, error=err.strerror or err) from None
    if len(data) > MAX_IMPORT_BYTES:
        raise InvalidInput("roster_files.too_big", field="file", path=path, mb=MAX_IMPORT_BYTES // (1024 * 1024))
    return data


def cmd_import(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.roster.files import ImportRefused, import_csv

    data = _read_file(args.file)
    desk = open_for(args, cfg)
    try:
        changed = import_csv(desk, data, args.reason)
    except ImportRefused as err:
        # One line per bad line of the file, so each can be found and fixed.
        for line in err.lines():
            print(t("cli.error", message=line), file=sys.stderr)
        return EXIT_REFUSED
    finally:
        desk.close()
    print(t("roster_files.imported", count=changed))
    return EXIT_OK


def _write(path: str | None, content: bytes | str) -> int:
    if not path:
        if isinstance(content, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(content)
        return EXIT_OK
    from duty_desk.core import safefile

    def fill(tmp) -> None:
        with open(tmp, "wb") as fh:
            fh.write(content if isinstance(content, bytes) else content.encode("utf-8"))

    try:
        safefile.write_with(path, fill)  # atomic, never through a symlink
    except OSError as err:
        print(t("cli.error", message=t("cli.file_error", path=path, error=err.strerror or err)), file=sys.stderr)
        return EXIT_REFUSED
    print(t("roster_files.written", path=path), file=sys.stderr)
    return EXIT_OK


def cmd_export(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.roster.files import month_csv
    from duty_desk.core.roster.view import month_roster

    desk = open_reader(args, cfg)
    try:
        roster = month_roster(args.month, cfg)
    finally:
        desk.close()
    status = _write(args.out, month_csv(roster, cfg))
    if not roster.state:
        print(t("roster.none_yet", month=roster.month), file=sys.stderr)
    return status


def _day(text: str) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise InvalidInput("time.date_format", text=text) from None


def months_after(first: date, months: int) -> date:
    """The day before the same day ``months`` months later (the 31st of a
    month that has fewer days counts as its last)."""
    if not 1 <= months <= 12:
        raise InvalidInput("roster_files.bad_months", field="months")
    year, month = divmod(first.month - 1 + months, 12)
    year, month = first.year + year, month + 1
    return date(year, month, min(first.day, monthrange(year, month)[1])) - timedelta(days=1)


def _remind(args: argparse.Namespace) -> time | None:
    if args.no_remind:
        return None
    try:
        hh, mm = args.remind.replace("：", ":").split(":")
        return time(int(hh), int(mm))
    except ValueError:
        raise InvalidInput("roster_files.bad_time", field="remind", text=args.remind) from None


def cmd_ical(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.roster.files import officer_ical

    remind = _remind(args)
    desk = open_reader(args, cfg)
    try:
        first = _day(args.first) if args.first else desk.today()
        last = _day(args.until) if args.until else months_after(first, args.months)
        content = officer_ical(args.login, first, last, cfg, remind)
    finally:
        desk.close()
    return _write(args.out, content)
