"""The ``duty-desk`` command line: the parser, built from one module per group
of commands, and ``main``.

Non-interactive commands never import Textual (it is slow to import and they
run from cron and scripts); only the desk does, when started.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from duty_desk import __version__
from duty_desk.cli import (
    contacts,
    exit_codes,
    feed,
    feed_reports,
    handover,
    items,
    officers,
    records,
    reports,
    roster,
    search,
    standing,
    storage,
)
from duty_desk.cli.common import open_for, say_progress, store_fault_message
from duty_desk.cli.exit_codes import OK as EXIT_OK
from duty_desk.cli.exit_codes import USAGE as EXIT_USAGE
from duty_desk.cli.parser import Parser, global_options_everywhere
from duty_desk.core import told
from duty_desk.core.config import Config, ConfigError, load_config
from duty_desk.core.errors import DeskError
from duty_desk.core.i18n import set_language, t

# The groups of commands, in the order `--help` lists them.
GROUPS = (records, feed, feed_reports, reports, items, handover, officers, roster, standing, contacts, storage, search)
RUNNERS = {name: run for group in GROUPS for name, run in group.RUNNERS.items()}


def command_word(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names: its first word that is no global option nor
    an option's value; None when there is none, or help or the version is asked."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "--":
            return argv[i + 1] if i + 1 < len(argv) else None
        if word in ("-h", "--help", "--version"):
            return None
        if word in ("--config", "--db"):
            i += 2
            continue
        if not word.startswith("-"):
            return word
        i += 1
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser; given ``argv`` that names a known command, only its
    group of commands (they parse it alike; building every group costs a
    short command a noticeable part of its run)."""
    word = command_word(argv) if argv is not None else None
    groups = [g for g in GROUPS if word in g.RUNNERS] or GROUPS
    p = Parser(prog="duty-desk", description=t("cli.description"))
    p.add_argument("--version", action="version", version=f"duty-desk {__version__}", help=t("cli.argparse.version"))
    p.add_argument("--config", metavar="PATH", help=t("cli.opt.config"))
    p.add_argument("--db", metavar="PATH_OR_URL", help=t("cli.opt.db"))
    p.add_argument("--demo", action="store_true", help=t("cli.opt.demo"))
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser, title=t("cli.argparse.commands"))

    for group in groups:
        group.register(sub)
    global_options_everywhere(p)
    return p


def _pre_language(argv: Sequence[str]) -> tuple[str | None, Config | ConfigError]:
    """Pick the UI language before building the parser, so --help speaks it.
    Returns the configuration file named and what loading it gave, for main
    to use rather than read the file twice."""
    explicit = None
    if "--" in argv:
        argv = argv[:argv.index("--")]
    for i, a in enumerate(argv):
        if a == "--config" and i + 1 < len(argv):
            explicit = argv[i + 1]
        elif a.startswith("--config="):
            explicit = a.split("=", 1)[1]
    try:
        loaded: Config | ConfigError = load_config(explicit)
        set_language(loaded.language)
    except ConfigError as err:
        loaded = err
        set_language("zh")
    return explicit, loaded

def _keep_demo_alive(args: argparse.Namespace, cfg: Config) -> None:
    """The default demo store from an earlier duty day is moved aside, so the
    demo always opens on a living duty day (a store named with --db is the
    user's own and is left as it is)."""
    if args.db or not (getattr(args, "demo", False) or args.command == "demo"):
        return
    from pathlib import Path

    from duty_desk.core import clock
    from duty_desk.core import db as store
    from duty_desk.core.demo import retire_stale_demo
    from duty_desk.core.dutytime import duty_date_of

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
    common = sys.modules.get("duty_desk.core.services.common")
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
    common = sys.modules.get("duty_desk.core.services.common")
    if common:
        common.take_masked_fields()

# A step of opening this short passes without a word.
QUIET_BELOW = 5000


def _progress(what: str, done: int, total: int) -> None:
    """A long step of opening the store (building the search index of a store
    from before search), on stderr: on a terminal one line kept up to date."""
    if total >= QUIET_BELOW:
        say_progress(t("cli.progress", what=t(what), done=done, total=total,
                       percent=done * 100 // max(total, 1)), done, total)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _tolerant_output()
    bad = _not_utf8(argv)
    if bad is not None:
        set_language("zh")  # the config path itself may be the unreadable argument
        print(t("cli.not_utf8", position=bad), file=sys.stderr)
        return EXIT_USAGE
    named, loaded = _pre_language(argv)
    args = build_parser(argv).parse_args(argv)
    try:
        if args.config != named:  # argparse read the line otherwise: read what it found
            loaded = load_config(args.config)
        if isinstance(loaded, ConfigError):
            raise loaded
        cfg = loaded
    except ConfigError as err:
        print(err.line(), file=sys.stderr)
        return EXIT_USAGE
    set_language(cfg.language)
    told.progress_hook = _progress
    try:
        _keep_demo_alive(args, cfg)
        if args.command is None:
            return run_tui(args, cfg)
        status = RUNNERS[args.command](args, cfg)
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

def run_tui(args: argparse.Namespace, cfg: Config) -> int:
    """``duty-desk`` with no command: open the store (--demo / --db honoured),
    then the desk on it."""
    try:
        from duty_desk.tui.app import run  # Textual is imported only here
    except ImportError:
        print(t("cli.no_tui"), file=sys.stderr)
        return EXIT_USAGE
    try:
        desk = open_for(args, cfg)
    except DeskError as err:
        print(t("cli.error", message=err.message), file=sys.stderr)
        return EXIT_USAGE
    return run(desk)
