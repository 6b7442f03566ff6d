"""Escalation: a due time that passes is recorded once; warnings come before.

``mark_overdue`` is called from a timer (and by ``duty-desk check``): it reads
only the overdue items through the indexed open-items query and writes only
when a miss is new, so calling it often costs little. Each miss — one item,
one due kind, one due time — becomes one OverdueMark (a unique index keeps it
single across sessions) and one audit event, action "overdue", actor
"system", naming who owned it, what was due and when.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime, timedelta

from duty_desk.core import audit, kinds
from duty_desk.core.desk import Desk
from duty_desk.core.models import OverdueMark
from duty_desk.core.openitems import OpenItem, list_open
from duty_desk.core.rules import is_overdue

# (record kind, id, due kind, due at): one due of one item.
DueKey = tuple[str, int, str, datetime]
# (DueKey, minutes before due): one warning.
WarnKey = tuple[DueKey, int]


def _passed_dues(desk: Desk, item: OpenItem, now: datetime) -> list[tuple[str, datetime]]:
    """Every due of an overdue item that has passed. An urgent item may have
    missed several reports at once (phone report and first report)."""
    spec = kinds.kind(item.record_kind)
    if spec.all_dues is None:
        return [(item.due_kind, item.due_at)] if item.due_at else []
    record = spec.model.get_by_id(item.id)
    return [(kind, at) for kind, at in spec.dues_of(record, desk.cfg) if is_overdue(at, now)]


def _marked(misses: list[tuple[OpenItem, str, datetime]]) -> set[DueKey]:
    """The misses already recorded, in one indexed query per kind."""
    ids_by_kind: dict[str, set[int]] = {}
    for item, _, _ in misses:
        ids_by_kind.setdefault(item.record_kind, set()).add(item.id)
    found: set[DueKey] = set()
    for kind, ids in ids_by_kind.items():
        rows = (OverdueMark.select(OverdueMark.item_kind, OverdueMark.item_id, OverdueMark.due_kind,
                                   OverdueMark.due_at)
                .where((OverdueMark.item_kind == kind) & OverdueMark.item_id.in_(sorted(ids))).tuples())
        found.update(rows)
    return found


def mark_overdue(desk: Desk, open_items: list[OpenItem] | None = None) -> list[OpenItem]:
    """Record every newly missed due time once. Returns the items with a new
    miss (for a notification); an item already marked is not returned again.
    ``open_items``: the open items, when the caller has just read them all."""
    now = desk.now()
    if open_items is None:
        overdue = list_open(desk, overdue_only=True)
    else:
        overdue = [item for item in open_items if is_overdue(item.due_at, now)]
    misses = [(item, kind, at) for item in overdue for kind, at in _passed_dues(desk, item, now)]
    if not misses or not _new(misses):
        return []  # the usual case: nothing new, nothing written
    newly: dict[tuple[str, int], OpenItem] = {}
    with desk.db.atomic():
        # Read again under the write lock: another session may have marked them meanwhile.
        for item, due_kind, due_at in _new(misses):
            OverdueMark.create(item_kind=item.record_kind, item_id=item.id, due_kind=due_kind, due_at=due_at,
                               owner=item.owner, marked_at=now)
            audit.append(now, "system", "overdue", item.record_kind, item.id, None,
                         {"owner": item.owner, "due_kind": due_kind, "due_at": audit._plain(due_at),
                          "title": item.title})
            newly[(item.record_kind, item.id)] = item
    return list(newly.values())


def _new(misses: list[tuple[OpenItem, str, datetime]]) -> list[tuple[OpenItem, str, datetime]]:
    marked = _marked(misses)
    return [(i, k, at) for i, k, at in misses if (i.record_kind, i.id, k, at) not in marked]


def due_key(item: OpenItem) -> DueKey | None:
    """One due of one item: a new due (the next follow-up) is a new key."""
    if item.due_at is None:
        return None
    return (item.record_kind, item.id, item.due_kind, item.due_at)


def warnings_due(items: Iterable[OpenItem], now: datetime, warned: Collection[WarnKey],
                 lead_minutes: int | Iterable[int]) -> list[tuple[OpenItem, int]]:
    """What to warn about now: each item due within a lead time and not yet
    overdue, once per item, due and lead time. Pure: the caller keeps
    ``warned`` (adding ``(due_key(item), minutes)`` for each warning shown).
    When several lead times are crossed at once (the desk was closed), each is
    returned; show the item once."""
    leads = sorted({lead_minutes} if isinstance(lead_minutes, int) else set(lead_minutes), reverse=True)
    out: list[tuple[OpenItem, int]] = []
    for item in items:
        key = due_key(item)
        if key is None or is_overdue(item.due_at, now):
            continue
        for minutes in leads:
            if item.due_at - timedelta(minutes=minutes) <= now and (key, minutes) not in warned:
                out.append((item, minutes))
    return out


def escalation_round(desk: Desk) -> tuple[list[OpenItem], date | None]:
    """One round of the desk's escalation: mark newly missed due times once in
    the audit trail, then every open item with a due time (for warnings and
    the header's count) and the duty day missing its zero report."""
    from duty_desk.core.services.log import missing_zero_report
    from duty_desk.core.standing.service import bring_due

    bring_due(desk)  # standing orders whose time has come are open items from now
    items = list_open(desk)  # once: the overdue ones are among them
    mark_overdue(desk, items)
    dues = [item for item in items if item.due_at is not None]
    return dues, missing_zero_report(desk)
