"""What every command shares: opening the store (for writing, for reading, the
demo), saying a store fault in one line, and printing rows and tables (the
tables themselves: cli.table)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta
from typing import Any

from duty_desk.cli.table import print_rows
from duty_desk.core.config import Config
from duty_desk.core.errors import DeskError
from duty_desk.core.i18n import t


def store_fault_message(err: BaseException, args: argparse.Namespace, cfg: Config) -> str:
    from duty_desk.core import db as store

    try:
        described = store.describe_fault(err, database_url(args, cfg))
    except DeskError:
        described = None
    if described is not None:
        return described
    reason = (str(err).strip() or type(err).__name__).splitlines()[0]
    if "readonly database" in reason:
        # Several officers share one file: it and its folder must be writable by all.
        reason = t("db.readonly")
    return t("db.failed", reason=reason)

def database_url(args: argparse.Namespace, cfg: Config) -> str:
    from duty_desk.core import db as store
    from duty_desk.core.backend import same_store

    demo = getattr(args, "demo", False) or args.command == "demo"
    if args.db:
        url = store.url_for(args.db)
        if demo and same_store(url, cfg.database_url or store.default_url()):
            # Demo data never goes into the office's real database, even when named.
            from duty_desk.core.errors import Refused

            raise Refused("demo.real_db", url=url)
        return url
    if demo:
        return store.demo_url()
    return cfg.database_url or store.default_url()

def _same_store(a: str, b: str) -> bool:
    from pathlib import Path

    prefix = "sqlite:///"
    if a.startswith(prefix) and b.startswith(prefix):
        return Path(a[len(prefix):]).expanduser().resolve() == Path(b[len(prefix):]).expanduser().resolve()
    return a == b

def open_for(args: argparse.Namespace, cfg: Config):
    """The Desk for this command: the real store, or the demo one (filled first
    when new). A writing command creates a database that does not exist yet,
    and says so on stderr naming the file (read-only commands never create
    one; ``duty-desk init`` creates one without writing anything else)."""
    from duty_desk.core import db as store
    from duty_desk.core.opening import open_desk

    url = database_url(args, cfg)
    if args.demo:
        desk = open_desk(cfg, url, sync_officers_from_config=False)
        if store.is_empty(desk.db):
            _fill_demo(desk)
        return desk
    desk = open_desk(cfg, url)
    if store.was_created(desk.db):
        print(store.record_creation(desk.db, url, desk.actor), file=sys.stderr)
    return desk

def open_reader(args: argparse.Namespace, cfg: Config):
    """A Desk that only reads: opened read-only, creating no file, syncing no
    officer, writing nothing; for show, history, check, handover printing and
    audit verify. Whoever can read the file may read it (an auditor with a
    copy); the acting login is only a name here."""
    from duty_desk.core import db as store
    from duty_desk.core.desk import Desk
    from duty_desk.core.identity import current_login

    if getattr(args, "demo", False):
        return open_for(args, cfg)  # the demo store is filled on first use
    url = database_url(args, cfg)
    return Desk(cfg, store.open_reader(url, cfg), current_login(cfg.service_user))

def _fill_demo(desk) -> int:
    from duty_desk.core.demo import fill_demo_day, fill_demo_history, fill_demo_roster

    def progress(step: str) -> None:
        print(t("demo.progress", step=t(f"demo.step.{step}")), file=sys.stderr)

    from duty_desk.core.contacts.demo import fill_demo_contacts
    from duty_desk.core.standing.demo import fill_demo_standing

    # The standing orders' owners come from the roster; their open items join the demo day's.
    return (fill_demo_roster(desk) + fill_demo_contacts(desk) + fill_demo_history(desk, progress=progress)
            + fill_demo_standing(desk)
            + fill_demo_day(desk, progress))

def parse_date(text: str | None, desk) -> date:
    """A duty day named on the command line: from 2000 to a year ahead."""
    from duty_desk.core.errors import InvalidInput

    if not text:
        return desk.today()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("time.date_format", text=text) from None
    from duty_desk.core import clock

    until = clock.now().date() + timedelta(days=366)
    if not date(2000, 1, 1) <= day <= until:
        raise InvalidInput("time.date_range", text=text, until=until.isoformat())
    return day

def say_progress(line: str, done: int, total: int) -> None:
    """One step of a long operation on stderr: on a terminal one line kept up
    to date; elsewhere (a log, a pipe) a line now and then, and the last."""
    tty = sys.stderr.isatty()
    if not (tty or done == total or done % 50000 < 2000):
        return
    sys.stderr.write(line + ("\r" if tty and done < total else "\n"))
    sys.stderr.flush()


def print_json_lines(records: list[dict[str, Any]]) -> None:
    for r in records:
        sys.stdout.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")

def print_table(kind: str, records: list[dict[str, Any]]) -> None:
    from duty_desk.core.desk import officer_names
    from duty_desk.core.present import TABLE_COLUMNS, cell, column_header

    columns = TABLE_COLUMNS[kind]
    names = officer_names() if records else {}  # one query for every name in the table
    print_rows(columns, [{c: cell(kind, c, r, names) for c in columns} for r in records],
               {c: column_header(kind, c) for c in columns})

def with_desk(args: argparse.Namespace, cfg: Config, act, opener=None) -> int:
    """Open the store for this command (``opener``, else for writing), run
    ``act(desk)`` and close it whatever happens."""
    desk = (opener or open_for)(args, cfg)
    try:
        return act(desk)
    finally:
        desk.close()
