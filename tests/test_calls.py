"""来电: a call with its caller, recorded through one service (the form, /电
and `duty-desk call` all use it)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from duty_desk.core.errors import InvalidInput
from duty_desk.core.openitems import list_open
from duty_desk.core.services import log
from duty_desk.core.verify import verify_store


def test_a_call_keeps_the_callers_unit_name_title_and_phone(desk):
    entry = log.record_call(desk, "水库水位接近汛限", unit="区水务局", name="王科长", title="科长",
                            phone="13800001111", already_informed="区防办")
    assert (entry.category, entry.counterpart_unit, entry.counterpart_name, entry.counterpart_title,
            entry.counterpart_phone, entry.already_informed) == (
        "来电", "区水务局", "王科长", "科长", "13800001111", "区防办")
    assert not entry.needs_action and entry.closed_at is None
    assert verify_store(desk.db).problems == []


def test_a_call_given_a_due_time_is_an_open_item_due_then(desk):
    entry = log.record_call(desk, "请核实东城街道积水情况", unit="市应急管理局", due="11:30")
    assert entry.needs_action and entry.due_explicit
    due = desk.now().replace(hour=3, minute=30)  # 11:30 in Shanghai
    assert entry.due_at == due
    found = [i for i in list_open(desk) if i.record_kind == "log" and i.id == entry.id]
    assert found and found[0].due_at == due


def test_a_call_needing_action_without_a_due_time_gets_the_ordinary_limit(desk):
    entry = log.record_call(desk, "请回电", needs_action=True)
    assert entry.due_at == desk.now() + timedelta(minutes=desk.cfg.ordinary_minutes)
    assert not entry.due_explicit


def test_a_result_known_at_once_is_recorded_and_closes_the_call(desk):
    entry = log.record_call(desk, "询问值班电话", needs_action=True, result="已告知")
    assert entry.result == "已告知" and entry.closed_at == desk.now()
    assert not [i for i in list_open(desk) if i.record_kind == "log" and i.id == entry.id]


def test_a_due_time_for_a_call_said_to_need_no_action_is_refused(desk):
    with pytest.raises(InvalidInput) as caught:
        log.record_call(desk, "通知", needs_action=False, due="11:30")
    assert caught.value.field == "due"
    assert "需办理" in caught.value.message


def test_a_due_time_before_the_call_is_refused(desk):
    with pytest.raises(InvalidInput) as caught:
        log.record_call(desk, "通知", occurred_at="09:50", due="2026-11-24 09:40")
    assert caught.value.field == "due"
