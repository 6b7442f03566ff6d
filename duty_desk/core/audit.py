"""The hash-chained audit trail (痕迹管理) and its verifier.

Each event's hash is SHA-256 over the previous event's hash and the event's own
fields, so changing, removing or inserting any event breaks every later link.
Events are appended inside the same transaction as the change they describe.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from peewee import Model

from duty_desk.core import search
from duty_desk.core.backend import backend_of
from duty_desk.core.models import AuditEvent, UTCDateTimeField, database_proxy

GENESIS = "0" * 64


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return UTCDateTimeField().db_value(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Model):
        return value.get_id()
    return value


def snapshot(record: Model) -> dict[str, Any]:
    """A record's fields as plain JSON-able values."""
    return {name: _plain(record.__data__.get(name)) for name in record._meta.fields}


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """The (old, new) values of the fields that differ."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def event_digest(prev_hash: str, at: str, actor: str, action: str, kind: str,
                 record_id: int | None, old: str | None, new: str | None, outcome: str) -> str:
    payload = json.dumps(
        [prev_hash, at, actor, action, kind, record_id, old, new, outcome],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(at: datetime, actor: str, action: str, kind: str, record_id: int | None,
           old: Any = None, new: Any = None, outcome: str = "success") -> AuditEvent:
    """Append one event. Call inside the write transaction of the change."""
    db = database_proxy.obj
    backend = backend_of(db) if db is not None else None
    if backend is not None:
        backend.lock_audit_head(db)  # from here to the commit no other session appends
    last = AuditEvent.select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).first()
    prev = last.hash if last else GENESIS
    at_text = UTCDateTimeField().db_value(at)
    old_s, new_s = _dump(old), _dump(new)
    digest = event_digest(prev, at_text, actor, action, kind, record_id, old_s, new_s, outcome)
    # The id is given, not left to the database: the guard trigger accepts
    # only the next id after the head, with the head's hash as prev_hash.
    event = AuditEvent.create(
        id=(last.id if last else 0) + 1, at=at_text, actor=actor, action=action, kind=kind, record_id=record_id,
        old=old_s, new=new_s, outcome=outcome, prev_hash=prev, hash=digest,
    )
    if outcome == "success":
        search.touched(db, kind, record_id, action)  # the index follows, in this transaction
    return event


@dataclass(frozen=True)
class Verdict:
    intact: bool
    count: int
    head: str
    broken_id: int | None = None


def verify(batch: int = 2000) -> Verdict:
    """Walk the chain from the first event. Reads in batches: memory stays flat."""
    prev = GENESIS
    count = 0
    last_id = 0
    while True:
        # Raw text, not converted values: the digest is over what is stored.
        db = AuditEvent._meta.database
        rows = db.execute_sql(
            "SELECT id, at, actor, action, kind, record_id, old, new, outcome, prev_hash, hash"
            f" FROM audit_event WHERE id > {db.param} ORDER BY id LIMIT {db.param}",
            (last_id, batch),
        ).fetchall()
        if not rows:
            break
        for (eid, at, actor, action, kind, record_id, old, new, outcome, prev_hash, digest) in rows:
            expected = event_digest(prev, at, actor, action, kind, record_id, old, new, outcome)
            if prev_hash != prev or digest != expected:
                return Verdict(False, count, prev, eid)
            prev = digest
            count += 1
            last_id = eid
    return Verdict(True, count, prev)


def head() -> tuple[int, str]:
    """(number of events, digest of the newest) without walking the chain, nor
    counting it: the trail's ids run 1, 2, 3… (the guard refuses any other id
    and every delete; `audit verify` checks it), so the newest id is the count."""
    last = AuditEvent.select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).first()
    if last is None:
        return 0, GENESIS
    return last.id, last.hash


def short_digest(digest: str) -> str:
    """What goes on paper: the first 16 hex digits, in groups of four."""
    return " ".join(digest[i:i + 4] for i in range(0, 16, 4))


def history(kind: str, record_id: int) -> list[AuditEvent]:
    return list(
        AuditEvent.select()
        .where((AuditEvent.kind == kind) & (AuditEvent.record_id == record_id))
        .order_by(AuditEvent.id)
    )


def head_id() -> int:
    """The id of the newest event (0 when none): a cheap change marker for
    panes that poll the store for other sessions' writes."""
    last = AuditEvent.select(AuditEvent.id).order_by(AuditEvent.id.desc()).first()
    return last.id if last else 0
