"""The commands about the store itself: `audit verify`, `init`, `backup`.


`audit verify` only reads (a read-only open, no officer needed, no file
created or changed), so an auditor can check a copy on read-only media.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from duty_desk.cli import exit_codes
from duty_desk.cli.common import database_url
from duty_desk.cli.exit_codes import FOUND as EXIT_FOUND
from duty_desk.cli.exit_codes import OK as EXIT_OK
from duty_desk.cli.parser import Parser
from duty_desk.core.config import Config
from duty_desk.core.errors import DeskError, Refused
from duty_desk.core.i18n import t


def register(sub: Any) -> None:
    s = sub.add_parser("audit", help=t("cli.audit.help"), description=t("cli.audit.help"))
    asub = s.add_subparsers(dest="audit_command", metavar="ACTION", parser_class=Parser, required=True)
    v = asub.add_parser("verify", help=t("cli.audit.verify"), description=t("cli.audit.verify"))
    v.add_argument("--json", action="store_true", help=t("cli.audit.json"))
    v.add_argument("--anchors", nargs="?", const="", metavar="FILE", help=t("cli.audit.anchors"))

    sub.add_parser("init", help=t("cli.init.help"), description=t("cli.init.help"))

    s = sub.add_parser("backup", help=t("cli.backup.help"), description=t("cli.backup.help"))
    s.add_argument("dest", metavar="DEST", help=t("cli.backup.dest"))


def cmd_audit(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core import db as store
    from duty_desk.core import verify

    url = database_url(args, cfg)
    anchor_path = _anchor_path(args, cfg)
    try:
        database = store.open_reader(url, cfg)
    except DeskError as err:
        if err.key != "store.corrupt":
            raise
        # A damaged file is a finding of the verification, not a failure to run it.
        print(t("cli.error", message=err.message), file=sys.stderr)
        return EXIT_FOUND
    try:
        report = verify.verify_open(database, anchor_path)
    except Exception as exc:
        # A page so damaged that reading it fails is, again, a finding.
        import sqlite3

        from peewee import PeeweeException

        if not isinstance(exc, (PeeweeException, sqlite3.DatabaseError)):
            raise
        from duty_desk.core import sqlite_store

        if sqlite_store.fault_of(exc, sqlite_store.file_of(url)) != "corrupt":
            raise
        print(t("cli.error", message=store.describe_fault(exc, url)), file=sys.stderr)
        return EXIT_FOUND
    finally:
        store.close_database(database)
    return print_report(report, args.json)


def _anchor_path(args: argparse.Namespace, cfg: Config) -> Path | None:
    if args.anchors is None:
        return None
    path = args.anchors or cfg.anchor_file
    if not path:
        raise Refused("verify.no_anchor_file")
    return Path(path).expanduser()




def print_report(report, as_json: bool) -> int:
    from duty_desk.core import audit
    from duty_desk.core.sanitize import shown

    if as_json:
        sys.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False) + "\n")
        return EXIT_OK if report.intact else EXIT_FOUND
    if report.intact:
        line = t("verify.intact", count=report.count, head=report.head, short=audit.short_digest(report.head))
        if report.anchors:
            line += "；" + t("verify.anchors_ok", n=report.anchors)
        print(line)
        return EXIT_OK
    first = report.problems[0]
    print(shown(t("verify.broken", n=report.total, first=first.message)), file=sys.stderr)
    return EXIT_FOUND


def cmd_init(args: argparse.Namespace, cfg: Config) -> int:
    """Create a database on purpose: it says what it created, and refuses to
    touch one that exists."""
    from duty_desk.core import db as store
    from duty_desk.core.identity import current_login
    from duty_desk.core.sqlite_store import file_of

    url = database_url(args, cfg)
    path = file_of(url)
    where = str(path) if path is not None else store._shown(url)
    if path is not None and path.exists() and path.stat().st_size > 0:
        print(t("cli.error", message=t("store.init_exists", path=where)), file=sys.stderr)
        return exit_codes.REFUSED
    if path is not None and path.exists():
        path.unlink()  # an empty file named on purpose: initialise it
    database = store.open_database(url, cfg, create=True)
    try:
        store.record_creation(database, url, current_login(cfg.service_user))
    finally:
        store.close_database(database)
    print(t("store.init_done", path=where, version=store.SCHEMA_VERSION))
    return EXIT_OK


def cmd_backup(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core import audit
    from duty_desk.core.backup import back_up

    url = database_url(args, cfg)

    def progress(done: int, total: int) -> None:
        print(t("backup.progress", done=done, total=total), file=sys.stderr)

    dest, report = back_up(url, cfg, Path(args.dest), progress)
    if not report.intact:
        print(t("cli.error", message=t("backup.failed", path=dest, reason=report.problems[0].message)),
              file=sys.stderr)
        return EXIT_FOUND
    print(t("backup.done", path=dest, size=dest.stat().st_size, count=report.count,
            short=audit.short_digest(report.head)))
    return EXIT_OK


RUNNERS = {"audit": cmd_audit, "init": cmd_init, "backup": cmd_backup}
