"""What changed in the store since a desk last looked, by record kind.

Every change to a record appends an audit event naming its kind, inside the
write's transaction, so the events after the last one seen name exactly the
kinds another session (or another thread of this desk) changed. A desk keeps
one ChangeWatch and asks it a few times a second; between looks, the store's
change counter (SQLite's ``PRAGMA data_version``, read on the watching
thread's own connection) says whether anything was committed at all, so an
idle store costs one pragma per look and no read of a table.

A desk that knows it just wrote something and has already shown it tells the
watch the range of audit events of that write (``own``); the watch then does
not report them again, and the pane is not reloaded for its own write.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from duty_desk.core import audit, kinds
from duty_desk.core.backend import backend_of
from duty_desk.core.desk import Desk, together
from duty_desk.core.models import AuditEvent

R = TypeVar("R")

# Kinds a change may name: every kind of the registry, shifts and handovers.
# An audit event of any other kind (an officer renamed, a store event)
# reports "everything", the safe answer.
KNOWN: frozenset[str] = frozenset({*kinds.REGISTRY, "shift", "handover"})
EVERYTHING: frozenset[str] = frozenset({"*"})


def _named(kind: str) -> str:
    """A kind as a change names it: "*" for one the desk does not show by name."""
    return kind if kind in KNOWN else "*"


def data_version(desk: Desk) -> int | None:
    """The store's change counter on this thread's connection: it moves when
    another connection commits. None when the engine has none."""
    backend = backend_of(desk.db)
    return backend.data_version(desk.db) if backend is not None else None


class ChangeWatch:
    """The audit head a desk has seen, and the kinds changed after it.

    Thread-safe: the desk's watching thread and a look asked for on a worker
    share it. The first look learns the head and reports nothing."""

    def __init__(self) -> None:
        self.head: int | None = None
        self._own: list[tuple[int, int]] = []  # audit id ranges this desk wrote and showed
        self._lock = threading.Lock()

    def own(self, first: int, last: int) -> None:
        """Events ``first..last`` are this desk's own write, already shown."""
        if last >= first:
            with self._lock:
                self._own.append((first, last))

    def look(self, desk: Desk) -> frozenset[str]:
        """The kinds changed since the last look (EVERYTHING for a kind the
        desk does not show by name); empty when nothing was."""
        with self._lock:
            if self.head is None:
                self.head = audit.head_id()
                return frozenset()
            rows = (AuditEvent.select(AuditEvent.id, AuditEvent.kind)
                    .where(AuditEvent.id > self.head).order_by(AuditEvent.id).tuples())
            found: set[str] = set()
            for event_id, kind in rows:
                self.head = event_id
                if any(lo <= event_id <= hi for lo, hi in self._own):
                    continue
                found.add(_named(kind))
            self._own = [(lo, hi) for lo, hi in self._own if hi > self.head]
        return EVERYTHING if "*" in found else frozenset(found)


@dataclass(frozen=True)
class Written:
    """One write of this desk: the audit events it appended (first..last;
    none when last < first) and the kinds they name."""

    first: int
    last: int
    kinds: frozenset[str]


def written(desk: Desk, call: Callable[..., R], *args: Any, **kwargs: Any) -> tuple[R, Written]:
    """Run a write in one transaction and return its result with what it
    appended to the audit trail. The write lock is held from the start (BEGIN
    IMMEDIATE), so no other session's event falls inside the range."""
    with together(desk):
        before = audit.head_id()
        result = call(*args, **kwargs)
        rows = AuditEvent.select(AuditEvent.id, AuditEvent.kind).where(AuditEvent.id > before).tuples()
        found = {event_id: kind for event_id, kind in rows}
    last = max(found, default=before)
    return result, Written(before + 1, last, frozenset(map(_named, found.values())))
