"""A timeline event recorded by mistake is voided with a reason, never deleted."""

from datetime import timedelta

import pytest

from duty_desk.core import audit, clock
from duty_desk.core.errors import Refused
from duty_desk.core.models import UrgentEvent, UrgentItem
from duty_desk.core.services import urgent


def _item(desk):
    return urgent.open_urgent(desk, "城西区暴雨致一处老旧民房倒塌", "自然灾害", "III")


def test_a_mistaken_phone_report_is_voided_and_the_phone_report_falls_due_again(desk, fixed_clock):
    item = _item(desk)
    assert UrgentItem.get_by_id(item.id).next_due_kind == "phone_report"
    clock.set_now(fixed_clock + timedelta(minutes=5))
    event = urgent.record_phone_report(desk, item.id, party="省政府总值班室")
    assert UrgentItem.get_by_id(item.id).next_due_kind == "first_report"

    urgent.void_event(desk, event.id, "按错了事项")

    stored = UrgentEvent.get_by_id(event.id)
    assert stored.voided_at is not None and stored.void_reason == "按错了事项"
    assert stored.party == "省政府总值班室"  # the original stays readable
    assert UrgentItem.get_by_id(item.id).next_due_kind == "phone_report"
    last = audit.history("urgent", item.id)[-1]
    assert last.action == "void_event" and "按错了事项" in last.new
    assert audit.verify().intact


def test_voiding_the_final_report_reopens_the_item(desk, fixed_clock):
    item = _item(desk)
    urgent.add_event(desk, item.id, "first_report", text="首报内容")
    final = urgent.add_event(desk, item.id, "final", text="终报：险情已排除")
    assert UrgentItem.get_by_id(item.id).state == "closed"

    urgent.void_event(desk, final.id, "尚未终报，误点")

    reopened = UrgentItem.get_by_id(item.id)
    assert reopened.state == "open" and reopened.closed_at is None
    assert reopened.next_due_kind is not None


def test_a_first_report_with_follow_ups_after_it_cannot_be_voided_and_a_void_is_not_repeated(desk):
    item = _item(desk)
    first = urgent.add_event(desk, item.id, "first_report", text="首报内容")
    follow = urgent.add_event(desk, item.id, "followup", text="续报一")
    with pytest.raises(Refused):
        urgent.void_event(desk, first.id, "误报")
    urgent.void_event(desk, follow.id, "重复报送")
    with pytest.raises(Refused):
        urgent.void_event(desk, follow.id, "再次作废")
    failures = [e for e in audit.history("urgent", item.id) if e.outcome == "failure"]
    assert len(failures) == 2
