"""An item due exactly now is due, not yet overdue — the same answer from the
open-items list, the header's count, the detail, the handover sheet and the
escalation that records a miss (they used to disagree at this edge)."""

from __future__ import annotations

from datetime import timedelta

from duty_desk.core import clock
from duty_desk.core.detail import load_detail
from duty_desk.core.handover import sheet_of
from duty_desk.core.openitems import count_overdue, list_open
from duty_desk.core.services import log
from duty_desk.core.services.common import current_shift
from duty_desk.core.services.escalation import mark_overdue


def _answers(desk, entry_id):
    [item] = list_open(desk, kinds="call")
    detail = load_detail(desk, "log", entry_id)
    sheet = sheet_of(desk, current_shift(desk))
    [carried] = [c for c in sheet.carried if c.record_id == entry_id]
    return {
        "list": item.overdue,
        "count": count_overdue(desk),
        "detail": any("超期" in m or "逾期" in m for m in detail.marks),
        "sheet": carried.overdue,
    }


def test_an_item_due_exactly_now_is_due_and_a_moment_later_overdue_everywhere(desk):
    entry = log.record_entry(desk, "东城街道来电反映井盖缺失", "来电", needs_action=True)
    assert entry.due_at is not None
    clock.set_now(entry.due_at)
    assert _answers(desk, entry.id) == {"list": False, "count": 0, "detail": False, "sheet": False}
    assert mark_overdue(desk) == []  # nothing missed yet: nothing recorded

    clock.set_now(entry.due_at + timedelta(seconds=1))
    assert _answers(desk, entry.id) == {"list": True, "count": 1, "detail": True, "sheet": True}
    assert [i.id for i in mark_overdue(desk)] == [entry.id]
