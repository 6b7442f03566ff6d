"""Open the database from a URL, check its schema version, migrate.

A database written by this version must open in every later one: each schema
change is a numbered step in MIGRATIONS, run once, in order, in a transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from peewee import Database, PeeweeException
from playhouse import db_url

from duty_desk import sqlite_store
from duty_desk.config import Config, data_home
from duty_desk.errors import Refused
from duty_desk.models import ALL_MODELS, Meta, database_proxy

SCHEMA_VERSION = 2


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
    db.create_tables(ALL_MODELS)


def _migrate_2(db: Database) -> None:
    """Drafts belong to one running desk (table desk_draft); the drafts of
    the first table (one per login) are kept, as left by a desk that is gone."""
    from duty_desk.models import Draft

    db.create_tables([Draft], safe=True)
    if db.table_exists("draft"):
        db.execute_sql(
            "INSERT INTO desk_draft (login, desk_id, host, pid, slot, text, updated_at) "
            "SELECT login, 'v1:' || login, '', 0, 'entry', text, updated_at FROM draft "
            "WHERE text != ''")


# version -> the step that brings a database from version-1 to version.
MIGRATIONS: dict[int, Callable[[Database], None]] = {1: _migrate_1, 2: _migrate_2}


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
    if sqlite_store.is_sqlite(db):
        sqlite_store.install_guards(db)
    return found


# One Database object per URL in a process: the models are bound to it through
# one proxy, so two Desks (two officers in one test, say) must share it or a
# transaction on one would not cover queries on the other.
_open: dict[str, tuple[Database, int]] = {}


def open_database(url: str, cfg: Config) -> Database:
    """Connect, bind the models, migrate. Release with close_database."""
    if url in _open:
        db, refs = _open[url]
        _open[url] = (db, refs + 1)
        database_proxy.initialize(db)
        return db
    params = {}
    try:
        if url.startswith("sqlite"):
            sqlite_store.ensure_parent(url)
            params = sqlite_store.connect_params(cfg.busy_timeout)
        db = db_url.connect(url, **params)
        database_proxy.initialize(db)
        db.connect(reuse_if_open=True)
    except (PeeweeException, OSError, RuntimeError) as exc:
        # Not a database file, a folder, no driver, an unknown scheme: tell the
        # user in one line which database could not be opened and why.
        raise Refused("db.open_failed", url=_shown(url), reason=_first_line(exc)) from None
    try:
        migrate(db)
    except PeeweeException as exc:
        db.close()
        raise Refused("db.open_failed", url=_shown(url), reason=_first_line(exc)) from None
    except BaseException:
        db.close()  # a refused (too new) database is not left open
        raise
    _open[url] = (db, 1)
    return db


def _shown(url: str) -> str:
    """The URL with any password hidden: error lines end up in logs and mails."""
    return re.sub(r"^([a-z0-9+]+://[^:/@]*:)[^@]*@", r"\1***@", url)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def close_database(db: Database) -> None:
    for url, (known, refs) in list(_open.items()):
        if known is db:
            if refs > 1:
                _open[url] = (known, refs - 1)
                return
            del _open[url]
    if not db.is_closed():
        db.close()


def is_empty(db: Database) -> bool:
    """True when the store holds no record a person made (officers aside)."""
    from duty_desk.models import AuditEvent

    return not AuditEvent.select().where(AuditEvent.kind != "officer").exists()
