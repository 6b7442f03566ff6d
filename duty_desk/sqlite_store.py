"""Everything SQLite-specific lives here: pragmas, the write lock, the triggers
that protect the audit trail. A PostgreSQL backend gets a sibling module."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from peewee import Database, SqliteDatabase

AUDIT_GUARDS = (
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be deleted from'); END""",
)


def connect_params(busy_timeout: float) -> dict[str, Any]:
    """Connection options for an SQLite database opened through playhouse.db_url."""
    return {
        "pragmas": {
            "journal_mode": "wal",
            # FULL: a record the officer saw saved survives a power cut.
            "synchronous": 2,
            "foreign_keys": 1,
            "busy_timeout": int(busy_timeout * 1000),
        },
        "timeout": busy_timeout,
        # Take the write lock at BEGIN, so two desks never deadlock half-way.
        "lock_type": "IMMEDIATE",
    }


def is_sqlite(db: Database) -> bool:
    return isinstance(db, SqliteDatabase)


def ensure_parent(url: str) -> None:
    """Create the folder of an SQLite file URL."""
    path = url.split("://", 1)[1] if "://" in url else url
    path = path[1:] if path.startswith("/") else path  # sqlite:///rel.db, sqlite:////abs.db
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        create_shared(Path(path))


def create_shared(path: Path) -> None:
    """Create a new database file readable and writable by its group, whatever
    the umask, so officers of one group can share it (SQLite gives its -wal
    and -shm files the same mode). The folder decides who may reach it."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o660)
    except FileExistsError:
        return
    except OSError:
        return  # let SQLite report the problem with its own words
    try:
        os.fchmod(fd, 0o660)
    finally:
        os.close(fd)


def install_guards(db: Database) -> None:
    for sql in AUDIT_GUARDS:
        db.execute_sql(sql)
