"""The anchor: the audit trail's head leaves the database, to places the
desk's own users cannot rewrite (syslog / the journal, and an append-only
file of the service user), at each handover and at least hourly. `audit
verify --anchors FILE` compares the chain with them, so deleting the newest
events, or recomputing the whole chain, is caught.

Best effort by design: writing an anchor never makes a write fail nor waits
on anything; a failure is said once per process.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
import uuid
from datetime import datetime, timedelta

from peewee import Database

from duty_desk.core import audit, clock, told
from duty_desk.core.i18n import t

HOURLY = timedelta(hours=1)
_LINE = re.compile(r"duty-desk anchor store=(?P<store>[0-9a-f-]+) at=(?P<at>\S+) count=(?P<count>\d+)"
                   r" head=(?P<head>[0-9a-f]{64})")
_told: set[str] = set()


def line_for(store_id: str, at: datetime, count: int, head: str) -> str:
    return f"duty-desk anchor store={store_id} at={at.strftime('%Y-%m-%dT%H:%M:%SZ')} count={count} head={head}"


def parse_line(line: str) -> tuple[str, int, str, str] | None:
    """(at, count, head, store id) from an anchor line, also inside a syslog line."""
    m = _LINE.search(line)
    if m is None:
        return None
    return m["at"], int(m["count"]), m["head"], m["store"]


def store_id(db: Database) -> str:
    """The store's own id (kept in meta; a copy keeps it), made on first need."""
    from duty_desk.core.models import Meta

    row = Meta.get_or_none(Meta.key == "store_id")
    if row is not None:
        return row.value
    value = str(uuid.uuid4())
    with db.atomic():
        Meta.insert(key="store_id", value=value).on_conflict_ignore().execute()
    return Meta.get(Meta.key == "store_id").value


def maybe_write(db: Database, anchor_file: str, force: bool = False) -> bool:
    """Write an anchor if the last is older than an hour, or a handover was
    given since, or ``force``. Cheap when nothing is due: two small reads."""
    from duty_desk.core.models import Handover, Meta

    try:
        now = clock.now()
        last = Meta.get_or_none(Meta.key == "anchor_at")
        last_handover = Meta.get_or_none(Meta.key == "anchor_handover")
        newest_handover = Handover.select(Handover.id).order_by(Handover.id.desc()).scalar() or 0
        due = (force or last is None or datetime.fromisoformat(last.value) + HOURLY <= now
               or newest_handover > int(last_handover.value if last_handover else 0))
        if not due:
            return False
        _check_file(db)
        count, head = audit.head()
        line = line_for(store_id(db), now, count, head)
        _to_syslog(line)
        if anchor_file:
            _to_file(anchor_file, line)
        _remember(db, now, newest_handover)
        return True
    except Exception as exc:
        _tell("store", exc)
        return False


def _remember(db: Database, now: datetime, newest_handover: int) -> None:
    """Note when the anchor was written, waiting at most a moment for the
    write lock: when another desk is writing, the next command anchors again."""
    from peewee import OperationalError

    from duty_desk.core.models import Meta
    from duty_desk.core.sqlite_store import is_sqlite

    waited = db.execute_sql("PRAGMA busy_timeout").fetchone()[0] if is_sqlite(db) else None
    try:
        if waited is not None:
            db.execute_sql("PRAGMA busy_timeout = 200")
        with db.atomic():
            Meta.insert(key="anchor_at", value=now.isoformat()).on_conflict_replace().execute()
            Meta.insert(key="anchor_handover", value=str(newest_handover)).on_conflict_replace().execute()
    except OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
    finally:
        if waited is not None:
            db.execute_sql(f"PRAGMA busy_timeout = {int(waited)}")


def _check_file(db: Database) -> None:
    """Hourly, with the anchor: SQLite's quick check of the whole file, so a
    damaged page is told within the hour instead of when it is next read
    (about 5 s per GB; the anchor is written when a command has done its work)."""
    from peewee import DatabaseError

    from duty_desk.core.sqlite_store import is_sqlite

    if not is_sqlite(db):
        return
    try:
        rows = [r[0] for r in db.execute_sql("PRAGMA quick_check(1)").fetchall()]
    except DatabaseError as exc:
        rows = [str(exc)]
    if rows != ["ok"] and "damaged" not in _told:
        _told.add("damaged")
        line = t("store.corrupt", path=db.database)
        told.warnings.append(line)
        print(t("store.warning", message=line), file=sys.stderr)


def _to_syslog(line: str) -> None:
    if not os.path.exists("/dev/log"):
        return
    try:
        handler = _Syslog(address="/dev/log", facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV)
        try:
            handler.ident = "duty-desk: "
            handler.emit(logging.LogRecord("duty-desk", logging.INFO, __file__, 0, line, None, None))
        finally:
            handler.close()
    except OSError as exc:
        _tell("syslog", exc)


class _Syslog(logging.handlers.SysLogHandler):
    def handleError(self, record: logging.LogRecord) -> None:
        raise  # to _to_syslog, which says it once (logging would print a traceback)


def _to_file(path: str, line: str) -> None:
    """Append one line; O_APPEND, never through a symlink, created 0640."""
    try:
        fd = os.open(os.path.expanduser(path), os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o640)
        try:
            os.write(fd, (line + "\n").encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        _tell(path, exc)


def _tell(where: str, exc: BaseException) -> None:
    if where in _told:
        return
    _told.add(where)
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    line = t("anchor.failed", where=where, reason=reason)
    told.warnings.append(line)
    print(t("store.warning", message=line), file=sys.stderr)
