"""Open the database from a URL, check its schema version, migrate.

A database written by this version must open in every later one: each schema
change is a numbered step in MIGRATIONS, run once, in order, in a transaction.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from peewee import Database, PeeweeException

from duty_desk.core import models as m
from duty_desk.core import sqlite_store, told
from duty_desk.core.backend import backend_for, backend_of, not_a_database, shown_url
from duty_desk.core.config import Config, data_home
from duty_desk.core.errors import Refused
from duty_desk.core.i18n import t
from duty_desk.core.models import Meta, database_proxy

SCHEMA_VERSION = 8


def default_url() -> str:
    return "sqlite:///" + str(data_home() / "desk.db")


def demo_url() -> str:
    return "sqlite:///" + str(data_home() / "demo.db")


def url_for(path_or_url: str) -> str:
    """``--db`` takes a plain file path or a URL."""
    if "://" in path_or_url:
        return path_or_url
    return "sqlite:///" + str(Path(path_or_url).expanduser().resolve())


def _migrate_1(db: Database) -> None:
    """The tables of the first schema, named: a model added later comes with
    its own migration, so what version 1 means never changes. (A column added
    to one of these tables later is an ALTER TABLE in a later migration.)"""
    db.create_tables([m.Meta, m.Officer, m.Shift, m.LogEntry, m.Visitor, m.Document, m.DocumentStep, m.UrgentItem,
                      m.UrgentEvent, m.Instruction, m.Chase, m.OverdueMark, m.Handover, m.HandoverItem,
                      m.AuditEvent])


def _migrate_2(db: Database) -> None:
    """The guard that lets the audit trail grow only at its head, and the
    store's own id, which its anchors outside the database name."""
    import uuid

    if sqlite_store.is_sqlite(db):
        db.execute_sql(sqlite_store.AUDIT_GUARDS["audit_event_append_only"])
    Meta.insert(key="store_id", value=str(uuid.uuid4())).on_conflict_ignore().execute()


def _migrate_3(db: Database) -> None:
    """Drafts belong to one running desk (table desk_draft); the drafts of
    the first table (one per login) are kept, as left by a desk that is gone."""
    db.create_tables([m.Draft], safe=True)
    if db.table_exists("draft"):
        db.execute_sql(
            "INSERT INTO desk_draft (login, desk_id, host, pid, slot, text, updated_at) "
            "SELECT login, 'v1:' || login, '', 0, 'entry', text, updated_at FROM draft "
            "WHERE text != ''")


def _migrate_4(db: Database) -> None:
    """Indexes for the queries the handover sheet and the desk run on every
    store size (tests/test_query_plans.py): the previous handover by the
    start of its shift, a shift handed over and awaiting acceptance, urgent
    items closed during a shift. (A new store has them from its models.)"""
    for name, table, column in (("shift_starts_at", "shift", "starts_at"), ("shift_state", "shift", "state"),
                                ("urgent_item_closed_at", "urgent_item", "closed_at")):
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")')


def _migrate_5(db: Database) -> None:
    """The search index (core.search), filled from every record the store
    holds; on a large store this takes a while, and says how far it is."""
    from duty_desk.core import search

    search.build(db, lambda done, total: told.progress("search.building", done, total))


def _migrate_6(db: Database) -> None:
    """The duty roster (排班): months, the days' entries, swaps and leave."""
    db.create_tables([m.RosterMonth, m.RosterEntry, m.RosterSwap, m.Leave], safe=True)


def _migrate_7(db: Database) -> None:
    """The contact book (通讯录) and standing orders (定时事项) with their occurrences."""
    db.create_tables([m.Contact, m.StandingOrder, m.StandingItem], safe=True)


def _migrate_8(db: Database) -> None:
    """Reporting upward (信息报送): an urgent item's facts as they changed,
    its written reports and their sendings; four more facts on the item. The
    history of each item starts from the values it holds, as of its receipt."""
    have = {c.name for c in db.get_columns("urgent_item")}
    for column, kind in (("summary", "TEXT"), ("cause", "TEXT"), ("next_steps", "TEXT"),
                         ("reliability", "VARCHAR(255)")):
        if column not in have:
            db.execute_sql(f'ALTER TABLE "urgent_item" ADD COLUMN "{column}" {kind} NOT NULL DEFAULT \'\'')
    db.create_tables([m.UrgentFact, m.UrgentReport, m.ReportSending], safe=True)
    from duty_desk.core.reports.fields import seed_history

    seed_history()


# version -> the step that brings a database from version-1 to version.
MIGRATIONS: dict[int, Callable[[Database], None]] = {1: _migrate_1, 2: _migrate_2, 3: _migrate_3, 4: _migrate_4,
                                                   5: _migrate_5, 6: _migrate_6,
                                                   7: _migrate_7, 8: _migrate_8}


def schema_version(db: Database) -> int:
    if not db.table_exists("meta"):
        return 0
    row = Meta.get_or_none(Meta.key == "schema_version")
    return int(row.value) if row else 0


def migrate(db: Database) -> int:
    """Bring the schema up to SCHEMA_VERSION. Returns the version found."""
    found = schema_version(db)
    if found > SCHEMA_VERSION:
        raise Refused("db.too_new", found=found, supported=SCHEMA_VERSION)
    for version in range(found + 1, SCHEMA_VERSION + 1):
        with db.atomic():
            MIGRATIONS[version](db)
            Meta.insert(key="schema_version", value=str(version)).on_conflict_replace().execute()
    _renew_search_index(db)
    backend = backend_of(db)
    if backend is not None:
        missing = backend.missing_guards(db)
        if missing and found > 0:
            _report_missing_guards(db, missing)
        backend.install_guards(db)
    return found


def _renew_search_index(db: Database) -> None:
    """An index built by a version that made other tokens is built again,
    saying how far it is (a new version of the desk may index text otherwise)."""
    from duty_desk.core import search

    if search.outdated(db):
        with db.atomic():
            search.build(db, lambda done, total: told.progress("search.building", done, total))


# Warnings about the store found while opening it, for whoever shows them
# (the command line prints them on stderr; the desk asks store_warnings()).
_warnings: list[str] = told.warnings


def store_warnings() -> list[str]:
    """The warnings found while opening stores in this process (missing audit
    guards), oldest first, each once; the caller shows them and they are gone."""
    out = list(_warnings)
    _warnings.clear()
    return out


def _report_missing_guards(db: Database, missing: list[str]) -> None:
    """Someone removed a guard of the audit trail. Record that before putting
    it back, so re-installing it does not erase the evidence."""
    from duty_desk.core import audit, clock

    with db.atomic():
        audit.append(clock.now(), "system", "guard_missing", "store", None, None, {"missing": missing})
    line = t("store.guard_missing", names="、".join(missing))
    _warnings.append(line)
    print(t("store.warning", message=line), file=sys.stderr)


# One Database object per URL in a process: the models are bound to it through
# one proxy, so two Desks (two officers in one test, say) must share it or a
# transaction on one would not cover queries on the other.
_open: dict[str, tuple[Database, int]] = {}
# Databases created by this process (their files did not exist before).
_created: set[int] = set()


def open_database(url: str, cfg: Config, create: bool = True) -> Database:
    """Connect, bind the models, migrate. Release with close_database.

    A missing SQLite file is created only when ``create`` is true, and that
    is recorded in the new audit trail; an empty (zero-byte) file or one that
    is not a database is refused, never initialised. The caller that lets a
    person create one says so and records it (see record_creation)."""
    if url in _open:
        db, refs = _open[url]
        _open[url] = (db, refs + 1)
        database_proxy.initialize(db)
        return db
    backend = backend_for(url)  # by the URL's scheme; refused when the desk has no engine for it
    path = backend.location(url)
    new = backend.check_location(url, create=create)
    try:
        backend.prepare(url)
        db = backend.connect(url, cfg.busy_timeout)
        database_proxy.initialize(db)
        db.connect(reuse_if_open=True)
    except (PeeweeException, OSError, RuntimeError) as exc:
        # Not a database file, a folder, no driver, an unknown scheme: tell the
        # user in one line which database could not be opened and why.
        raise _open_failed(url, path, exc) from None
    try:
        migrate(db)
        if new:
            _created.add(id(db))
    except PeeweeException as exc:
        db.close()
        _rebind()
        raise _open_failed(url, path, exc) from None
    except BaseException:
        db.close()  # a refused (too new) database is not left open
        _rebind()
        raise
    _open[url] = (db, 1)
    _anchor_files[id(db)] = cfg.anchor_file
    return db


# reader key -> its file, when it had no -wal before this process opened it.
_tidy_after: dict[str, Path] = {}
# database -> its [audit] anchor_file, for the anchor written when it closes.
_anchor_files: dict[int, str] = {}


def was_created(db: Database) -> bool:
    """True when this process created the database's file (the caller says so)."""
    return id(db) in _created


def record_creation(db: Database, url: str, actor: str) -> str:
    """Record in the new trail that this database was created, by whom, where;
    returns the one line to show."""
    from duty_desk.core import audit, clock

    path = sqlite_store.file_of(url)
    where = str(path) if path is not None else _shown(url)
    with db.atomic():
        audit.append(clock.now(), actor, "create", "store", None, None, {"path": where})
    _created.discard(id(db))
    return t("store.created", path=where)


def open_reader(url: str, cfg: Config) -> Database:
    """Open a database to read it only: nothing is created, migrated, synced or
    written, so an auditor can check a copy on read-only media without being an
    officer. Release with close_database."""
    key = "ro:" + url
    if key in _open:
        db, refs = _open[key]
        _open[key] = (db, refs + 1)
        database_proxy.initialize(db)
        return db
    backend_for(url).check_readable(url)
    path = sqlite_store.file_of(url)
    had_wal = path is not None and Path(str(path) + "-wal").exists()
    try:
        if path is not None:
            db = sqlite_store.reader(path, cfg.busy_timeout)
        else:
            from playhouse import db_url  # another engine, named by its URL

            db = db_url.connect(url)
        database_proxy.initialize(db)
        db.connect(reuse_if_open=True)
        found = schema_version(db)
    except (PeeweeException, OSError, RuntimeError) as exc:
        _rebind()
        raise _open_failed(url, path, exc) from None
    if found > SCHEMA_VERSION or found == 0:
        db.close()
        _rebind()
        if found == 0:
            raise not_a_database(path) if path is not None else Refused(
                "db.open_failed", url=_shown(url), reason=t("store.reason.no_schema"))
        raise Refused("db.too_new", found=found, supported=SCHEMA_VERSION)
    _open[key] = (db, 1)
    if path is not None and not had_wal:
        _tidy_after[key] = path
    return db


def describe_fault(exc: BaseException, url: str) -> str | None:
    """One line for a store fault (disk full, read-only, damaged) naming the
    file, or None when ``exc`` is none of these. For every face of the desk:
    the command line uses it, and so can the desk's error line."""
    path = sqlite_store.file_of(url)
    fault = sqlite_store.fault_of(exc, path) if path is not None else None
    return t(f"store.{fault}", path=str(path)) if fault is not None else None


def describe_database_fault(exc: BaseException, db: Database) -> str | None:
    """``describe_fault`` for an open database; None when it is not a fault
    of the store's file or looking at the disk failed too."""
    url = f"sqlite:///{db.database}" if backend_of(db) is not None else ""
    try:
        return describe_fault(exc, url)
    except Exception:  # looking at the disk failed too: the caller says the error itself
        return None


def is_reader(db: Database) -> bool:
    """True for a database opened with open_reader (nothing may be written)."""
    return any(key.startswith("ro:") and known is db for key, (known, _) in _open.items())


def _open_failed(url: str, path, exc: BaseException) -> Refused:
    fault = sqlite_store.fault_of(exc, path) if path is not None else None
    if fault is not None:
        return Refused(f"store.{fault}", path=str(path))
    return Refused("db.open_failed", url=_shown(url), reason=_first_line(exc))


def _rebind() -> None:
    """Point the models back at a database still open (the newest), so closing
    one store does not leave another session's models on a closed handle."""
    if _open:
        database_proxy.initialize(list(_open.values())[-1][0])


def _shown(url: str) -> str:
    """The URL with any password hidden: error lines end up in logs and mails."""
    return shown_url(url)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def close_database(db: Database) -> None:
    tidy = None
    for url, (known, refs) in list(_open.items()):
        if known is db:
            if refs > 1:
                _open[url] = (known, refs - 1)
                return
            del _open[url]
            tidy = _tidy_after.pop(url, None)
    _created.discard(id(db))
    if tidy is not None:
        db.close()
        sqlite_store.tidy_side_files(tidy)
    if id(db) in _anchor_files and not db.is_closed():
        from duty_desk.core import anchor  # only a store opened for writing anchors its trail

        database_proxy.initialize(db)
        anchor.maybe_write(db, _anchor_files.pop(id(db)))  # after a handover, or hourly
    if not db.is_closed():
        db.close()
    _rebind()


def is_empty(db: Database) -> bool:
    """True when the store holds no record a person made (officers aside)."""
    from duty_desk.core.models import AuditEvent

    return not AuditEvent.select().where(AuditEvent.kind.not_in(("officer", "store"))).exists()
