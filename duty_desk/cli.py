"""The ``duty-desk`` command line.

Non-interactive commands never import Textual (it is slow to import and they
run from cron and scripts); only the TUI does, when started.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from duty_desk import __version__, exit_codes
from duty_desk.config import Config, ConfigError, load_config
from duty_desk.errors import DeskError
from duty_desk.i18n import set_language, t
from duty_desk.sanitize import shown

# The statuses live in exit_codes; these names stay for the commands' modules.
EXIT_OK, EXIT_FOUND, EXIT_USAGE = exit_codes.OK, exit_codes.FOUND, exit_codes.USAGE
EXIT_REFUSED, EXIT_STORE = exit_codes.REFUSED, exit_codes.STORE

# argparse's own words (its gettext message ids) -> our catalog keys, so
# `--help` and usage errors speak the UI language from frame to options.
ARGPARSE_WORDS = {
    "usage: ": "cli.argparse.usage",
    "positional arguments": "cli.argparse.positionals",
    "options": "cli.argparse.options",
    "optional arguments": "cli.argparse.options",
    "show this help message and exit": "cli.argparse.help",
    "show program's version number and exit": "cli.argparse.version",
    "the following arguments are required: %s": "cli.argparse.required",
    "unrecognized arguments: %s": "cli.argparse.unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.argparse.choice",
    "argument %(argument_name)s: %(message)s": "cli.argparse.argument",
    "expected one argument": "cli.argparse.one",
    "expected at most one argument": "cli.argparse.at_most_one",
    "expected at least one argument": "cli.argparse.at_least_one",
    "invalid %(type)s value: %(value)r": "cli.argparse.type",
    "ambiguous option: %(option)s could match %(matches)s": "cli.argparse.ambiguous",
    "not allowed with argument %s": "cli.argparse.not_allowed",
    "ignored explicit argument %r": "cli.argparse.ignored",
    "one of the arguments %s is required": "cli.argparse.one_of",
    "unexpected option string: %s": "cli.argparse.unexpected",
}


def _argparse_gettext(message: str) -> str:
    key = ARGPARSE_WORDS.get(message)
    # The catalog keeps argparse's %-placeholders: argparse fills them in.
    return t(key) if key else message


def _argparse_ngettext(singular: str, plural: str, n: int) -> str:
    if singular == "expected %s argument":
        return t("cli.argparse.expected_n")
    return singular if n == 1 else plural


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit status 2, in
    the UI language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = t("cli.argparse.positionals")
        self._optionals.title = t("cli.argparse.options")
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=t("cli.argparse.help"))

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, t("cli.usage_error", prog=self.prog, message=shown(message)) + "\n")

    def format_help(self) -> str:
        with argparse_speaking():
            text = super().format_help()
        # argparse ends a section heading with an ASCII colon; Chinese takes "：".
        colon = t("cli.argparse.colon")
        for key in ("cli.argparse.positionals", "cli.argparse.options", "cli.argparse.commands"):
            text = text.replace(f"\n{t(key)}:\n", f"\n{t(key)}{colon}\n")
        return text

    def format_usage(self) -> str:
        with argparse_speaking():
            return super().format_usage()

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        with argparse_speaking():
            return super().parse_known_args(args, namespace)


class argparse_speaking:
    """While argparse runs, its own words come from our catalogs. argparse
    looks its gettext functions up as module globals at call time."""

    def __enter__(self) -> None:
        self._saved = (argparse._, argparse.ngettext)  # type: ignore[attr-defined]
        argparse._ = _argparse_gettext  # type: ignore[attr-defined]
        argparse.ngettext = _argparse_ngettext

    def __exit__(self, *exc: Any) -> None:
        argparse._, argparse.ngettext = self._saved  # type: ignore[attr-defined]


def _global_options_everywhere(parser: argparse.ArgumentParser) -> None:
    """``show open --json --db X`` works as well as ``--db X show open``: every
    command also takes the global options; given there, they win."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            action.help = action.help or t("cli.argparse.action")
            for sub in action.choices.values():
                names = {s for a in sub._actions for s in a.option_strings}
                if "--config" not in names:
                    sub.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help=t("cli.opt.config"))
                if "--db" not in names:
                    sub.add_argument("--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS, help=t("cli.opt.db"))
                if "--demo" not in names:
                    sub.add_argument("--demo", action="store_true", default=argparse.SUPPRESS, help=t("cli.opt.demo"))
                _global_options_everywhere(sub)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="duty-desk", description=t("cli.description"))
    p.add_argument("--version", action="version", version=f"duty-desk {__version__}", help=t("cli.argparse.version"))
    p.add_argument("--config", metavar="PATH", help=t("cli.opt.config"))
    p.add_argument("--db", metavar="PATH_OR_URL", help=t("cli.opt.db"))
    p.add_argument("--demo", action="store_true", help=t("cli.opt.demo"))
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser, title=t("cli.argparse.commands"))

    s = sub.add_parser("log", help=t("cli.log.help"), description=t("cli.log.help"))
    s.add_argument("text", metavar="TEXT", help=t("cli.log.text"))
    s.add_argument("--at", metavar="HH:MM", help=t("cli.log.at"))
    s.add_argument("--category", "-c", default="记事", help=t("cli.log.category"))
    s.add_argument("--needs-action", action="store_true", help=t("cli.log.needs_action"))

    s = sub.add_parser("show", help=t("cli.show.help"), description=t("cli.show.help"))
    s.add_argument("what", nargs="?", default="log", choices=("log", "visitors", "documents", "urgent", "open"),
                   help=t("cli.show.what"))
    s.add_argument("--date", metavar="YYYY-MM-DD", help=t("cli.show.date"))
    s.add_argument("--json", action="store_true", help=t("cli.show.json"))
    s.add_argument("--overdue", action="store_true", help=t("cli.show.overdue"))
    s.add_argument("--kind", action="append", metavar="KIND",
                   choices=("call", "log", "visitor", "document", "instruction", "urgent"), help=t("cli.show.kind"))
    s.add_argument("--owner", metavar="LOGIN", help=t("cli.show.owner"))

    s = sub.add_parser("demo", help=t("cli.demo.help"), description=t("cli.demo.help"))

    s = sub.add_parser("shift", help=t("cli.shift.help"), description=t("cli.shift.help"))
    s.add_argument("--leader", action="append", metavar="NAME", help=t("cli.shift.leader"))

    s = sub.add_parser("void", help=t("cli.void.help"), description=t("cli.void.help"))
    s.add_argument("kind", choices=("log", "visitor", "document", "document_step", "urgent", "urgent_event",
                                    "instruction"), help=t("cli.void.kind"))
    s.add_argument("id", type=int, help=t("cli.arg.id"))
    s.add_argument("--reason", required=True, help=t("cli.void.reason"))

    s = sub.add_parser("history", help=t("cli.history.help"), description=t("cli.history.help"))
    s.add_argument("kind", choices=("log", "visitor", "document", "urgent", "instruction", "shift", "handover", "officer"),
                   help=t("cli.history.kind"))
    s.add_argument("id", type=int, help=t("cli.arg.id"))
    s.add_argument("--json", action="store_true", help=t("cli.show.json"))

    for register in EXTRA_COMMANDS:
        register(sub)
    _global_options_everywhere(p)
    return p


# Later features add their commands here: (register(subparsers), run(args, cfg)).
EXTRA_COMMANDS: list[Callable[[Any], None]] = []
EXTRA_RUNNERS: dict[str, Callable[[argparse.Namespace, Config], int]] = {}


def _pre_language(argv: Sequence[str]) -> None:
    """Pick the UI language before building the parser, so --help speaks it."""
    explicit = None
    if "--" in argv:
        argv = argv[:argv.index("--")]
    for i, a in enumerate(argv):
        if a == "--config" and i + 1 < len(argv):
            explicit = argv[i + 1]
        elif a.startswith("--config="):
            explicit = a.split("=", 1)[1]
    try:
        set_language(load_config(explicit).language)
    except ConfigError:
        set_language("zh")


def _keep_demo_alive(args: argparse.Namespace, cfg: Config) -> None:
    """The default demo store from an earlier duty day is moved aside, so the
    demo always opens on a living duty day (a store named with --db is the
    user's own and is left as it is)."""
    if args.db or not (getattr(args, "demo", False) or args.command == "demo"):
        return
    from pathlib import Path

    from duty_desk import clock
    from duty_desk import db as store
    from duty_desk.demo import retire_stale_demo
    from duty_desk.dutytime import duty_date_of

    retire_stale_demo(Path(store.demo_url()[len("sqlite:///"):]), duty_date_of(clock.now(), cfg))


def _not_utf8(argv: Sequence[str]) -> int | None:
    """The position of the first argument that was not UTF-8 (a terminal set to
    GBK: Python keeps the raw bytes as surrogates), or None."""
    for i, a in enumerate(argv):
        if any("\udc80" <= ch <= "\udcff" for ch in a):
            return i + 1
    return None


def _tell_masked() -> None:
    """Say in which fields an ID number was masked (services.common notes them)."""
    common = sys.modules.get("duty_desk.services.common")
    notice = common.masked_notice(common.take_masked_fields()) if common else None
    if notice:
        print(notice, file=sys.stderr)


def _tolerant_output() -> None:
    """A terminal set to GBK cannot show every character a record may hold (an
    emoji): show a replacement mark rather than fail after the record was made."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if encoding not in ("utf8", "utf_8") and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):  # a stream already closed or detached
                pass


def _forget_masked() -> None:
    common = sys.modules.get("duty_desk.services.common")
    if common:
        common.take_masked_fields()


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _tolerant_output()
    bad = _not_utf8(argv)
    if bad is not None:
        set_language("zh")  # the config path itself may be the unreadable argument
        print(t("cli.not_utf8", position=bad), file=sys.stderr)
        return EXIT_USAGE
    _pre_language(argv)
    from duty_desk import (
        commands,  # noqa: F401  (registers the later commands)
        officer_commands,  # noqa: F401  (the officer command group)
        store_commands,  # noqa: F401  (audit, init, backup)
    )

    args = build_parser().parse_args(argv)
    try:
        cfg = load_config(args.config)
    except ConfigError as err:
        print(err.line(), file=sys.stderr)
        return EXIT_USAGE
    set_language(cfg.language)
    try:
        _keep_demo_alive(args, cfg)
        if args.command is None:
            return run_tui(args, cfg)
        if args.command == "demo":
            return cmd_demo(args, cfg)
        if args.command in EXTRA_RUNNERS:
            status = EXTRA_RUNNERS[args.command](args, cfg)
        else:
            handler = {"log": cmd_log, "show": cmd_show, "shift": cmd_shift,
                       "void": cmd_void, "history": cmd_history}[args.command]
            status = handler(args, cfg)
        _tell_masked()
        return status
    except DeskError as err:
        _forget_masked()  # nothing was stored: there is nothing masked to tell
        print(t("cli.error", message=err.message), file=sys.stderr)
        return exit_codes.for_error_key(err.key)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `duty-desk show --json | head`: the reader left; say nothing more.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as err:
        # The store failed under us (locked past the busy timeout, disk full,
        # read-only, damaged): one line naming the file, not a traceback.
        # Anything else is a bug and is shown whole.
        import sqlite3

        from peewee import PeeweeException

        if not isinstance(err, (PeeweeException, sqlite3.Error)):
            raise
        print(t("cli.error", message=store_fault_message(err, args, cfg)), file=sys.stderr)
        return exit_codes.STORE


def store_fault_message(err: BaseException, args: argparse.Namespace, cfg: Config) -> str:
    from duty_desk import db as store

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


# --- opening the store ---------------------------------------------------------


def database_url(args: argparse.Namespace, cfg: Config) -> str:
    from duty_desk import db as store

    demo = getattr(args, "demo", False) or args.command == "demo"
    if args.db:
        url = store.url_for(args.db)
        if demo and _same_store(url, cfg.database_url or store.default_url()):
            # Demo data never goes into the office's real database, even when named.
            from duty_desk.errors import Refused

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
    from duty_desk import db as store
    from duty_desk.desk import open_desk

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
    from duty_desk import db as store
    from duty_desk.desk import Desk
    from duty_desk.identity import current_login

    if getattr(args, "demo", False):
        return open_for(args, cfg)  # the demo store is filled on first use
    url = database_url(args, cfg)
    return Desk(cfg, store.open_reader(url, cfg), current_login(cfg.service_user))


def _fill_demo(desk) -> int:
    from duty_desk.demo import fill_demo_day

    def progress(step: str) -> None:
        print(t("demo.progress", step=t(f"demo.step.{step}")), file=sys.stderr)

    return fill_demo_day(desk, progress)


# --- commands ----------------------------------------------------------------


def cmd_demo(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk import db as store
    from duty_desk.desk import open_desk

    url = database_url(args, cfg)
    desk = open_desk(cfg, url, sync_officers_from_config=False)
    try:
        if not store.is_empty(desk.db):
            print(t("demo.not_empty", url=url), file=sys.stderr)
            return EXIT_REFUSED
        n = _fill_demo(desk)
        print(t("demo.done", count=n, url=url))
    finally:
        desk.close()
    return EXIT_OK


def cmd_log(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.present import record_dict
    from duty_desk.services import log

    desk = open_for(args, cfg)
    try:
        entry = log.record_entry(desk, args.text, args.category, args.at, needs_action=args.needs_action or None)
        print_table("log", [record_dict("log", entry, cfg)])
    finally:
        desk.close()
    return EXIT_OK


def _parse_date(text: str | None, desk) -> date:
    """A duty day named on the command line: from 2000 to a year ahead."""
    from duty_desk.errors import InvalidInput

    if not text:
        return desk.today()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("time.date_format", text=text) from None
    from duty_desk import clock

    until = clock.now().date() + timedelta(days=366)
    if not date(2000, 1, 1) <= day <= until:
        raise InvalidInput("time.date_range", text=text, until=until.isoformat())
    return day


def cmd_show(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.present import record_dict
    from duty_desk.services import documents, log, urgent, visitors

    day = _parse_date(args.date, None) if args.date else None  # a typo is told before the store is looked for
    desk = open_reader(args, cfg)
    try:
        day = day or desk.today()
        if args.what == "open":
            return show_open(args, desk)
        kind, rows = {
            "log": ("log", lambda: log.entries_of_day(day)),
            "visitors": ("visitor", lambda: visitors.visitors_of_day(day)),
            "documents": ("document", lambda: documents.documents_of_day(day)),
            "urgent": ("urgent", lambda: urgent.urgent_of_day(day)),
        }[args.what]
        records = [record_dict(kind, r, cfg) for r in rows()]
        if args.json:
            print_json_lines(records)
        else:
            print(t("cli.show.title", what=t(f"kind.{kind}"), day=day.isoformat()))
            print_table(kind, records)
    finally:
        desk.close()
    return EXIT_OK


def show_open(args: argparse.Namespace, desk) -> int:
    from duty_desk import openitems

    items = openitems.list_open(desk, kinds=args.kind, owner=args.owner, overdue_only=args.overdue)
    now = desk.now()
    rows = [i.as_dict(desk.cfg, now) for i in items]
    if args.json:
        print_json_lines(rows)
        return EXIT_OK
    print(t("cli.open.title", count=len(items), overdue=sum(i.overdue for i in items)))
    for r, item in zip(rows, items, strict=True):
        r["ref"] = openitems.record_ref(item.record_kind, item.id)
        r["flag"] = t("open.overdue") if r["overdue"] else ""
        r["chases"] = (t("open.chases", count=r["chase_count"], at=r["last_chase_at"], whom=r["last_chase_whom"])
                       if r["chase_count"] else "")
    columns = ("ref", "kind_label", "title", "owner_name", "received_at", "age", "due_at", "due_in", "flag",
               "next_action", "chases")
    print_rows(columns, [{k: ("" if r.get(k) is None else str(r[k])) for k in columns} for r in rows],
               {"ref": t("col.ref"), "kind_label": t("col.kind"), "title": t("col.title"),
                "owner_name": t("col.owner"), "received_at": t("col.open_received_at"), "age": t("col.age"),
                "due_at": t("col.due_at"), "due_in": t("col.due_in"), "flag": t("col.flag"),
                "next_action": t("col.next_action"), "chases": t("col.chases")})
    return EXIT_OK


def cmd_shift(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.desk import officer_name
    from duty_desk.dutytime import fmt_dt
    from duty_desk.services.common import start_shift

    desk = open_for(args, cfg)
    try:
        shift = start_shift(desk, args.leader)
        print(t("shift.line", day=shift.duty_date.isoformat(), name=shift.name,
                start=fmt_dt(shift.starts_at, cfg), end=fmt_dt(shift.ends_at, cfg),
                officers="、".join(officer_name(o) for o in shift.officers),
                leaders="、".join(shift.leaders) or "—", state=t(f"state.shift.{shift.state}")))
        needed = leaders_required(shift.duty_date, cfg)
        if len(shift.leaders) < needed:
            print(t("shift.leaders_short", day=shift.duty_date.isoformat(), needed=needed,
                    have=len(shift.leaders)), file=sys.stderr)
    finally:
        desk.close()
    return EXIT_OK


def leaders_required(day: date, cfg: Config) -> int:
    """双带班: two leaders on the dates config.toml lists, else one."""
    return 2 if day.isoformat() in cfg.double_leader_dates else 1


def cmd_void(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.present import record_dict
    from duty_desk.services.common import void_record

    desk = open_for(args, cfg)
    try:
        if args.kind == "document_step":
            from duty_desk.services.documents import void_step

            step = void_step(desk, args.id, args.reason)
            print(t("void.done", kind=t("kind.document_step"), id=step.id))
            return EXIT_OK
        if args.kind == "urgent_event":
            from duty_desk.services.urgent import void_event

            event = void_event(desk, args.id, args.reason)
            print(t("void.done", kind=t("kind.urgent_event"), id=event.id))
            return EXIT_OK
        row = void_record(desk, args.kind, args.id, args.reason)
        print(t("void.done", kind=t(f"kind.{args.kind}"), id=row.id))
        if args.kind in ("log", "visitor", "document", "urgent"):
            print_table(args.kind, [record_dict(args.kind, row, cfg)])
    finally:
        desk.close()
    return EXIT_OK


def cmd_history(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk import audit
    from duty_desk.desk import officer_name
    from duty_desk.dutytime import fmt_dt
    from duty_desk.present import history_rows
    from duty_desk.services.common import get_record

    desk = open_reader(args, cfg)
    try:
        get_record(args.kind, args.id)
        events = audit.history(args.kind, args.id)
        if args.json:
            # For scripts: codes and the stored values, times local.
            print_json_lines([{"id": e.id, "at": fmt_dt(e.at, cfg), "actor": e.actor,
                               "actor_name": officer_name(e.actor), "action": e.action, "outcome": e.outcome,
                               "old": e.old or "", "new": e.new or ""} for e in events])
        else:
            columns = ("id", "at", "actor", "action", "outcome", "change")
            print_rows(columns, history_rows(args.kind, events, cfg), {k: t(f"col.{k}") for k in columns})
    finally:
        desk.close()
    return EXIT_OK


# --- output -----------------------------------------------------------------


def print_json_lines(records: list[dict[str, Any]]) -> None:
    for r in records:
        sys.stdout.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")


def print_table(kind: str, records: list[dict[str, Any]]) -> None:
    from duty_desk.present import TABLE_COLUMNS, cell, column_header

    columns = TABLE_COLUMNS[kind]
    print_rows(columns, [{c: cell(kind, c, r) for c in columns} for r in records],
               {c: column_header(kind, c) for c in columns})


def print_rows(columns: Sequence[str], rows: list[dict[str, str]], headers: dict[str, str]) -> None:
    """A plain table that aligns Chinese text (wide characters take two cells)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=False,
                      width=None if sys.stdout.isatty() else 160)
    table = Table(box=None, show_edge=False, pad_edge=False, header_style="bold")
    for c in columns:
        table.add_column(headers.get(c, c), overflow="fold")
    for r in rows:
        table.add_row(*(Text(r.get(c, "")) for c in columns))
    if not rows:
        console.print(t("cli.none"))
        return
    console.print(table)


def run_tui(args: argparse.Namespace, cfg: Config) -> int:
    try:
        from duty_desk.tui.app import run  # Textual is imported only here
    except ImportError:
        print(t("cli.no_tui"), file=sys.stderr)
        return EXIT_USAGE
    return run(args, cfg)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
