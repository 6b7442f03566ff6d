"""紧急信息: opening an urgent item, its timeline (leader informed, phone
report, 首报, numbered 续报, 终报 closing it), the next report due, refusals."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from support import fails

from duty_desk.core import audit, clock
from duty_desk.core.errors import InvalidInput, Refused
from duty_desk.core.models import UrgentEvent, UrgentItem
from duty_desk.core.services import urgent


def _open(desk, **kw):
    return urgent.open_urgent(desk, "城西区暴雨致一处老旧民房倒塌", "自然灾害", kw.pop("level", "III"),
                              place="城西区西湖街道", source_unit="城西区政府总值班室", **kw)


def _at(fixed_clock, minutes: int):
    clock.set_now(fixed_clock + timedelta(minutes=minutes))
    return fixed_clock + timedelta(minutes=minutes)


def test_opened_item_has_its_first_responder_and_phone_report_due(desk, fixed_clock):
    item = _open(desk, occurred_at="09:45")
    assert (item.state, item.first_responder, item.owner, item.level) == ("open", "tester", "tester", "III")
    assert item.received_at == fixed_clock and item.occurred_at == fixed_clock - timedelta(minutes=15)
    assert item.next_due_kind == "phone_report"
    assert item.next_due_at == fixed_clock + timedelta(minutes=desk.cfg.phone_report_minutes["III"])
    event = audit.history("urgent", item.id)[-1]
    assert (event.action, event.outcome, json.loads(event.new)["title"]) == (
        "create", "success", "城西区暴雨致一处老旧民房倒塌")


def test_level_may_be_given_by_its_chinese_name(desk):
    assert _open(desk, level="较大").level == "III"
    assert _open(desk, level="2").level == "II"


@pytest.mark.parametrize(("kwargs", "key"), [
    ({"level": "V"}, "urgent.level"),
    ({"level": ""}, "urgent.level"),
    ({"occurred_at": "10:03"}, "urgent.occurred_after_received"),
    ({"received_at": "11:00"}, "time.future"),
])
def test_bad_urgent_item_is_refused_and_not_recorded(desk, kwargs, key):
    fails(desk, InvalidInput, key, _open, **kwargs)
    assert UrgentItem.select().count() == 0


def test_unknown_event_type_is_refused(desk):
    fails(desk, InvalidInput, "urgent.type", urgent.open_urgent, "标题", "天灾", "III")


def test_timeline_from_leader_informed_to_final_report(desk, fixed_clock):
    item = _open(desk)
    t1 = _at(fixed_clock, 5)
    urgent.add_event(desk, item.id, "leader_informed", party="王军", means="电话", text="王军批示：全力救治伤员")
    t2 = _at(fixed_clock, 20)
    phone = urgent.record_phone_report(desk, item.id, party="省政府总值班室")
    assert (phone.kind, phone.means, phone.at, phone.by) == ("phone_report", "电话", t2, "tester")
    item = UrgentItem.get_by_id(item.id)
    assert item.next_due_kind == "first_report"
    assert item.next_due_at == fixed_clock + timedelta(minutes=desk.cfg.written_report_minutes["III"])

    t3 = _at(fixed_clock, 50)
    urgent.add_event(desk, item.id, "first_report", party="省政府总值班室", text="首报：2人轻伤，已妥善处置")
    item = UrgentItem.get_by_id(item.id)
    assert item.next_due_kind == "followup"
    assert item.next_due_at == t3 + timedelta(minutes=desk.cfg.followup_minutes["III"])

    _at(fixed_clock, 120)
    one = urgent.add_event(desk, item.id, "followup", text="续报一：伤员情况稳定")
    _at(fixed_clock, 180)
    two = urgent.add_event(desk, item.id, "followup", text="续报二：危房排查完毕")
    assert (one.seq, two.seq) == (1, 2)

    t6 = _at(fixed_clock, 240)
    urgent.add_event(desk, item.id, "final", text="终报：处置完毕")
    item = UrgentItem.get_by_id(item.id)
    assert (item.state, item.closed_at, item.next_due_kind, item.next_due_at) == ("closed", t6, None, None)
    assert urgent.open_urgent_items() == []

    assert [(e.kind, e.at) for e in urgent.timeline(item.id)] == [
        ("leader_informed", t1), ("phone_report", t2), ("first_report", t3),
        ("followup", fixed_clock + timedelta(minutes=120)), ("followup", fixed_clock + timedelta(minutes=180)),
        ("final", t6)]
    actions = [e.action for e in audit.history("urgent", item.id)]
    assert actions == ["create", "leader_informed", "phone_report", "first_report", "followup", "followup", "final"]
    final = audit.history("urgent", item.id)[-1]
    assert json.loads(final.old)["state"] == "open" and json.loads(final.new)["state"] == "closed"
    assert json.loads(final.new)["event"]["text"] == "终报：处置完毕"


def test_phone_report_time_can_be_typed_after_the_fact(desk, fixed_clock):
    item = _open(desk, received_at="09:30")
    event = urgent.record_phone_report(desk, item.id, party="省政府总值班室", at="09:50")
    assert event.at == fixed_clock - timedelta(minutes=10)


def test_event_after_the_final_report_is_refused(desk):
    item = _open(desk)
    urgent.add_event(desk, item.id, "first_report", text="首报")
    urgent.add_event(desk, item.id, "final", text="终报")
    err = fails(desk, Refused, "urgent.closed", urgent.add_event, item.id, "followup", text="续报")
    assert "城西区暴雨" in err.message
    assert UrgentEvent.select().where(UrgentEvent.kind == "followup").count() == 0


def test_follow_up_before_the_first_report_is_refused(desk):
    item = _open(desk)
    fails(desk, Refused, "urgent.first_report_first", urgent.add_event, item.id, "followup", text="续报")
    fails(desk, Refused, "urgent.first_report_first", urgent.add_event, item.id, "final", text="终报")
    assert UrgentItem.get_by_id(item.id).state == "open"


def test_second_first_report_is_refused(desk):
    item = _open(desk)
    urgent.add_event(desk, item.id, "first_report", text="首报")
    fails(desk, Refused, "urgent.first_report_twice", urgent.add_event, item.id, "first_report", text="首报")


def test_written_report_needs_its_text_and_leader_informed_needs_the_leader(desk):
    item = _open(desk)
    fails(desk, InvalidInput, "urgent.report_text", urgent.add_event, item.id, "first_report")
    fails(desk, InvalidInput, "urgent.leader_needed", urgent.add_event, item.id, "leader_informed")
    assert urgent.timeline(item.id) == []


def test_event_before_receipt_is_refused(desk):
    item = _open(desk)
    fails(desk, InvalidInput, "urgent.before_receipt", urgent.record_phone_report, item.id, at="09:00")


def test_open_items_are_ordered_by_their_next_report_due(desk):
    slow = _open(desk, level="IV")
    fast = _open(desk, level="I")
    assert [i.id for i in urgent.open_urgent_items()] == [fast.id, slow.id]
