"""The storage seam: what the desk needs of a database engine, as one small
interface, and the engines it knows, chosen by the URL's scheme.

SQLite (sqlite_store) is the one engine today. A PostgreSQL backend is a
sibling class registered in BACKENDS: its connection parameters, where its
store lives, the guards of the audit trail (triggers), how it keeps the
trail's chain linear when two sessions append at once, and when two URLs
name the same store."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from peewee import Database
from playhouse import db_url

from duty_desk.core import sqlite_store
from duty_desk.core.errors import Refused
from duty_desk.core.i18n import t


class Backend(Protocol):
    name: str

    def connect_params(self, busy_timeout: float) -> dict[str, Any]:
        """Options for the engine's connection."""

    def connect(self, url: str, busy_timeout: float) -> Database:
        """A connection for the desk's writers (not yet opened)."""

    def location(self, url: str) -> Path | None:
        """The file a store lives in (None for a server or :memory:)."""

    def check_location(self, url: str, *, create: bool) -> bool:
        """Refuse a location that cannot hold the store (not a database, or
        missing when it may not be created); True when the store is new."""

    def check_readable(self, url: str) -> None:
        """Refuse a location that holds no store to read."""

    def prepare(self, url: str) -> None:
        """Make the location ready to open (its folder, its side files)."""

    def missing_guards(self, db: Database) -> list[str]:
        """The guards of the audit trail that are not in place."""

    def install_guards(self, db: Database) -> None:
        """Put the guards of the audit trail in place (the trail only grows at its head)."""

    def lock_audit_head(self, db: Database) -> None:
        """Called by audit.append inside the write transaction, before it reads
        the head: from here until the commit no other session may append."""

    def same_store(self, a: str, b: str) -> bool:
        """Whether two URLs of this engine name the same store."""

    def data_version(self, db: Database) -> int | None:
        """A counter that moves when another connection commits, read on this
        thread's connection without reading a table (None: the engine has none,
        and a watching desk reads the audit head on every look)."""


class SQLiteBackend:
    """A file, shared by the officers of one group (WAL, synchronous FULL)."""

    name = "sqlite"

    def connect_params(self, busy_timeout: float) -> dict[str, Any]:
        return sqlite_store.connect_params(busy_timeout)

    def connect(self, url: str, busy_timeout: float) -> Database:
        path = self.location(url)
        params = self.connect_params(busy_timeout)
        if path is None:  # :memory:
            return db_url.connect(url, **params)
        return sqlite_store.DeskSqliteDatabase(str(path), **params)

    def location(self, url: str) -> Path | None:
        return sqlite_store.file_of(url)

    def check_location(self, url: str, *, create: bool) -> bool:
        path = self.location(url)
        if path is None:
            return False
        if path.is_file() and sqlite_store.is_not_a_database(path):
            raise not_a_database(path)
        if not path.exists():
            if not create:
                raise Refused("store.missing_create", path=str(path))
            return True
        return False

    def check_readable(self, url: str) -> None:
        path = self.location(url)
        if path is None:
            return
        if not path.exists():
            raise Refused("store.missing", path=str(path))
        if path.is_file() and sqlite_store.is_not_a_database(path):
            raise not_a_database(path)

    def prepare(self, url: str) -> None:
        path = self.location(url)
        if path is not None:
            sqlite_store.ensure_parent(url)
            sqlite_store.repair_side_files(path)

    def missing_guards(self, db: Database) -> list[str]:
        return sqlite_store.missing_guards(db)

    def install_guards(self, db: Database) -> None:
        sqlite_store.install_guards(db)

    def lock_audit_head(self, db: Database) -> None:
        # Nothing to do: every write transaction begins IMMEDIATE
        # (connect_params), so the file's write lock is held from BEGIN and
        # no other session can append between reading the head and the
        # commit. An append outside a transaction is one statement, as atomic.
        return None

    def data_version(self, db: Database) -> int | None:
        return db.execute_sql("PRAGMA data_version").fetchone()[0]

    def same_store(self, a: str, b: str) -> bool:
        pa, pb = self.location(a), self.location(b)
        if pa is not None and pb is not None:
            return pa.expanduser().resolve() == pb.expanduser().resolve()
        return a == b


# URL scheme -> its engine.
BACKENDS: dict[str, Backend] = {"sqlite": SQLiteBackend()}


def scheme_of(url: str) -> str:
    return url.split("://", 1)[0].lower() if "://" in url else ""


def backend_for(url: str) -> Backend:
    """The engine of a store URL, by its scheme; refused (in one line, any
    password hidden) when the desk has none for it."""
    found = BACKENDS.get(scheme_of(url))
    if found is None:
        raise Refused("db.open_failed", url=shown_url(url),
                      reason=t("store.reason.no_backend", scheme=scheme_of(url) or url,
                               known=" ".join(f"{s}://" for s in BACKENDS)))
    return found


def backend_of(db: Database) -> Backend | None:
    """The engine of an open database (None for one the desk did not open)."""
    return BACKENDS["sqlite"] if sqlite_store.is_sqlite(db) else None


def same_store(a: str, b: str) -> bool:
    """Whether two store URLs name the same store."""
    if scheme_of(a) != scheme_of(b):
        return False
    found = BACKENDS.get(scheme_of(a))
    return found.same_store(a, b) if found is not None else a == b


def shown_url(url: str) -> str:
    """The URL with any password hidden: error lines end up in logs and mails."""
    import re

    return re.sub(r"^([a-z0-9+]+://[^:/@]*:)[^@]*@", r"\1***@", url)


def not_a_database(path: Path) -> Refused:
    empty = path.stat().st_size == 0
    return Refused("db.open_failed", url=str(path),
                   reason=t("store.reason.empty" if empty else "store.reason.not_a_database"))
