"""Everything SQLite-specific lives here: pragmas, the write lock, the triggers
that protect the audit trail, opening a file read-only, and telling a full disk,
a read-only file and a damaged file apart. A PostgreSQL backend gets a sibling
module."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import stat
import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote

from peewee import Database, SqliteDatabase

GENESIS = "0" * 64

# name -> CREATE statement. The trail only grows at its head: no UPDATE, no
# DELETE, and no INSERT (INSERT OR REPLACE included) that does not carry the
# next id and the current head's hash as its prev_hash.
AUDIT_GUARDS: dict[str, str] = {
    "audit_event_no_update": """CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END""",
    "audit_event_no_delete": """CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be deleted from'); END""",
    "audit_event_append_only": f"""CREATE TRIGGER IF NOT EXISTS audit_event_append_only BEFORE INSERT ON audit_event
       WHEN NEW.id IS NOT (SELECT COALESCE(MAX(id), 0) + 1 FROM audit_event)
         OR NEW.prev_hash IS NOT COALESCE(
              (SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1), '{GENESIS}')
       BEGIN SELECT RAISE(ABORT, 'the audit trail only grows at its head'); END""",
}


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


def file_of(url: str) -> Path | None:
    """The file of an SQLite URL (None for other backends and :memory:)."""
    if not url.startswith("sqlite"):
        return None
    path = url.split("://", 1)[1] if "://" in url else url
    path = path[1:] if path.startswith("/") else path  # sqlite:///rel.db, sqlite:////abs.db
    if not path or path == ":memory:":
        return None
    return Path(path)


def ensure_parent(url: str) -> None:
    """Create the folder of an SQLite file URL and the file itself."""
    path = file_of(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        create_shared(path)


def create_shared(path: Path) -> None:
    """Create a new database file readable and writable by its group, whatever
    the umask, so officers of one group can share it (SQLite gives its -wal
    and -shm files the same mode). The folder decides who may reach it.

    The file appears whole, already an SQLite database (made beside it and
    linked into place): another desk opening the same new store at that
    moment never sees an empty file, which it would refuse as no database."""
    if path.exists():
        return
    fresh = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.new")
    try:
        fd = os.open(fresh, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o660)
        os.fchmod(fd, 0o660)
        os.close(fd)
        conn = sqlite3.connect(fresh)
        try:
            conn.execute("PRAGMA journal_mode=WAL")  # writes the header; the desk opens it in WAL
        finally:
            conn.close()
        os.link(fresh, path)  # fails when another desk's file is there first: theirs stays
    except (OSError, sqlite3.Error):
        pass  # there already, or not creatable: SQLite reports the problem in its own words
    finally:
        for leftover in (fresh, Path(f"{fresh}-wal"), Path(f"{fresh}-shm")):
            try:
                leftover.unlink()
            except OSError:
                pass


def repair_side_files(path: Path) -> None:
    """A -wal/-shm left behind with fewer permissions than the database (an
    older read-only open of a file that was 0444 at the time) makes every
    later write fail once the file is writable again. Give ours the database's
    mode back, so restoring write permission is all an officer has to do."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return
    for suffix in ("-wal", "-shm"):
        side = Path(str(path) + suffix)
        try:
            st = side.stat()
            if st.st_uid == os.geteuid() and stat.S_IMODE(st.st_mode) != mode and mode & 0o200:
                os.chmod(side, mode)
        except OSError:
            continue


def missing_guards(db: Database) -> list[str]:
    present = {r[0] for r in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'").fetchall()}
    return [name for name in AUDIT_GUARDS if name not in present]


def install_guards(db: Database) -> None:
    for sql in AUDIT_GUARDS.values():
        db.execute_sql(sql)


# --- reading without writing ------------------------------------------------


def reader(path: Path, busy_timeout: float) -> SqliteDatabase:
    """A read-only connection that creates no file and changes none.

    SQLite reads a WAL database through its -wal and -shm files and creates
    them when absent; they then stay behind with the database's mode (0444
    for a file made read-only). When no -wal exists and nobody could write
    one (the file has no write permission at all, or its folder is not
    writable), no other connection can be writing: the file is read as
    immutable and nothing is created."""
    wal = Path(str(path) + "-wal")
    uri = "file:" + quote(str(path)) + "?mode=ro"
    try:
        no_writer_possible = not wal.exists() and (
            stat.S_IMODE(path.stat().st_mode) & 0o222 == 0 or not os.access(path.parent, os.W_OK))
    except OSError:
        no_writer_possible = False
    if no_writer_possible:
        uri += "&immutable=1"
    return SqliteDatabase(uri, uri=True, timeout=busy_timeout,
                          pragmas={"busy_timeout": int(busy_timeout * 1000), "query_only": 1})


def tidy_side_files(path: Path) -> None:
    """After a read-only open created -wal/-shm where there were none, let
    SQLite remove them: a connection that is the last to close a WAL
    database deletes them (it writes nothing else). When desks are running
    the files are theirs and stay."""
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        return
    if not Path(str(path) + "-wal").exists():
        return
    import sqlite3

    try:
        con = sqlite3.connect("file:" + quote(str(path)) + "?mode=rw", uri=True, timeout=0.1)
        try:
            con.execute("PRAGMA schema_version").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        pass


# --- faults -------------------------------------------------------------------


def fault_of(exc: BaseException, path: Path | None) -> str | None:
    """Which store fault an error is: "full", "readonly", "corrupt" or None.

    A full disk does not always say so: SQLite may report a disk I/O error,
    or peewee a failed rollback of the transaction SQLite already undid. So
    the free space of the file's folder is looked at too."""
    # peewee's rollback of a transaction SQLite already undid fails with
    # "cannot rollback": the real fault is the error it happened during.
    chain: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and seen not in chain:
        chain.append(seen)
        seen = seen.__context__ or seen.__cause__
    text = " | ".join(str(e) for e in chain).lower()
    if "database or disk is full" in text or (path is not None and disk_full(path)):
        return "full"
    if "readonly database" in text or "read-only" in text:
        return "readonly"
    if "malformed" in text or "not a database" in text or "database disk image" in text:
        return "corrupt"
    return None


def disk_full(path: Path) -> bool:
    """Too little room left next to the file for SQLite to write a page."""
    try:
        st = os.statvfs(path.parent)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 64 * 1024


def is_not_a_database(path: Path) -> bool:
    """A zero-byte file, or one that does not start with SQLite's header."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    return head != b"SQLite format 3\x00"


# --- writers take their turn in order -------------------------------------------


class WriterTurns:
    """The store's write turn, taken in order. SQLite's busy handler polls, so
    under a steady stream of writers one can wait past the busy timeout and be
    refused ("database is locked") while the others keep writing. Before its
    BEGIN IMMEDIATE a writer takes an exclusive flock on a hidden lock file beside
    the database (``.desk.db.writers``): the kernel hands it to waiters one after another, and releases it
    when a process dies (kill -9 included). A writer that has not had its turn
    within the busy timeout goes on to BEGIN as before (never worse than SQLite
    alone); so does every writer when the lock file cannot be opened."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._held = threading.local()

    def acquire(self) -> None:
        if getattr(self._held, "fd", None) is not None:
            return  # this thread has its turn already
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o660)
        except OSError:
            return  # no lock file here (read-only folder): the busy timeout alone
        try:  # shared by the officers of one group, whatever the umask (as the database is)
            if os.fstat(fd).st_uid == os.geteuid():
                os.fchmod(fd, 0o660)
        except OSError:
            pass
        if _wait_for_turn(fd, self.timeout):
            self._held.fd = fd

    def release(self) -> None:
        fd = getattr(self._held, "fd", None)
        if fd is None:
            return
        self._held.fd = None
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def _wait_for_turn(fd: int, timeout: float) -> bool:
    """Wait at most ``timeout`` for an exclusive flock on ``fd`` (closed here
    when the wait is given up; the late grant is then released at once)."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True  # nobody writing: the usual case, no thread needed
    except BlockingIOError:
        pass
    except OSError:
        os.close(fd)
        return False
    got = threading.Event()
    guard = threading.Lock()
    state = {"abandoned": False}

    def wait() -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            return
        with guard:
            if state["abandoned"]:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
                return
            got.set()

    threading.Thread(target=wait, name="writer-turn", daemon=True).start()
    if got.wait(timeout):
        return True
    with guard:
        if got.is_set():
            return True
        state["abandoned"] = True
    return False


class DeskSqliteDatabase(SqliteDatabase):
    """SQLite for the desk's writers: each write transaction takes its turn
    (WriterTurns) before BEGIN IMMEDIATE and gives it back after COMMIT or
    ROLLBACK."""

    def __init__(self, database: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        self.turns: WriterTurns | None = None
        if database and database != ":memory:":
            path = Path(str(database))
            # Hidden beside the database: it outlives the desks (a lock file
            # removed while others wait on it would split the queue in two).
            self.turns = WriterTurns(path.with_name(f".{path.name}.writers"), float(kwargs.get("timeout", 5.0)))

    def begin(self, lock_type: str | None = None) -> None:
        if self.turns is not None:
            self.turns.acquire()
        try:
            super().begin(lock_type)
        except BaseException:
            if self.turns is not None:
                self.turns.release()
            raise

    def commit(self) -> None:
        try:
            super().commit()
        except BaseException:
            raise  # peewee rolls back next, which gives the turn back
        if self.turns is not None:
            self.turns.release()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            if self.turns is not None:
                self.turns.release()
