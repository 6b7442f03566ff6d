"""Fixes from a fresh-eyes review of the core and the command line: open items
that fell through after amendments, and results recorded on a superseded
original."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import T0

from duty_desk.core import audit, clock, openitems
from duty_desk.core.handover import flow as ho
from duty_desk.core.services import log
from duty_desk.core.services.common import void_record


@pytest.fixture
def incoming(make_desk, fixed_clock):
    return make_desk("incoming")


def _lock_current_shift(desk, incoming) -> None:
    """Hand the shift over and have 陈静 accept it: its records are locked."""
    handover = ho.hand_over(desk, "")
    for item in ho.items_of(handover.id):
        ho.read_back(incoming, item.id)
    ho.accept(incoming, handover.id)


def _open_refs(desk) -> set[tuple[str, int]]:
    return {(i.record_kind, i.id) for i in openitems.list_open(desk)}


def test_a_call_stays_open_when_its_amendment_is_voided(desk, incoming):
    call = log.record_entry(desk, "市应急管理局来电，请回复排涝情况", "来电", needs_action=True)
    clock.set_now(T0 + timedelta(minutes=10))
    _lock_current_shift(desk, incoming)
    amendment = log.correct_entry(incoming, call.id, "单位笔误", content="市水务局来电，请回复排涝情况")
    assert _open_refs(incoming) == {("log", amendment.id)}
    void_record(incoming, "log", amendment.id, "更正有误，撤回")
    # The original is the live version again: it must not fall through.
    assert _open_refs(incoming) == {("log", call.id)}
    assert openitems.count_open(incoming) == 1


def test_a_result_given_for_an_amended_call_closes_the_live_version(desk, incoming):
    call = log.record_entry(desk, "市应急管理局来电，请回复排涝情况", "来电", needs_action=True)
    clock.set_now(T0 + timedelta(minutes=10))
    _lock_current_shift(desk, incoming)
    amendment = log.correct_entry(incoming, call.id, "单位笔误", content="市水务局来电，请回复排涝情况")
    # The officer types the id they know from the paper book: the original's.
    closed = log.record_result(incoming, call.id, "已回复市水务局")
    assert closed.id == amendment.id and closed.closed_at is not None
    assert _open_refs(incoming) == set()


def test_chase_and_transfer_given_for_an_amended_call_land_on_the_live_version(desk, incoming):
    from duty_desk.core.services.chasing import record_chase
    from duty_desk.core.services.ownership import transfer_ownership

    call = log.record_entry(desk, "市应急管理局来电，请回复排涝情况", "来电", needs_action=True)
    clock.set_now(T0 + timedelta(minutes=10))
    _lock_current_shift(desk, incoming)
    amendment = log.correct_entry(incoming, call.id, "单位笔误", content="市水务局来电，请回复排涝情况")
    record_chase(incoming, "log", call.id, "市水务局值班室", "电话", "正在核实")
    transfer_ownership(incoming, "log", call.id, "tester", "李明熟悉情况")
    (item,) = openitems.list_open(incoming)
    assert (item.id, item.owner, item.chase_count) == (amendment.id, "tester", 1)


def test_a_missing_urgent_report_is_named_without_a_doubled_word():
    from duty_desk.core.errors import NotFound

    assert NotFound("record.not_found", kind="urgent_event", id=9).message == "找不到紧急事项报告记录 #9"


# --- times typed as HH:MM, and the previous day's zero report ----------------------


def test_a_happened_at_time_well_ahead_of_now_means_yesterday_and_one_just_ahead_is_refused(cfg):
    from datetime import datetime, timezone

    from duty_desk.core.dutytime import parse_when, to_local
    from duty_desk.core.errors import InvalidInput

    now = datetime(2026, 11, 25, 0, 40, tzinfo=timezone.utc)  # 08:40 in Shanghai
    last_night = to_local(parse_when("20:30", now, cfg), cfg)
    assert (last_night.day, last_night.hour, last_night.minute) == (24, 20, 30)
    with pytest.raises(InvalidInput):
        parse_when("09:30", now, cfg)  # 50 minutes ahead: a slip, not last night


def test_a_due_time_given_as_hh_mm_already_past_today_means_tomorrow(cfg):
    from datetime import datetime, timezone

    from duty_desk.core.dutytime import parse_due, to_local

    now = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)  # 23:00 in Shanghai
    due = to_local(parse_due("08:00", now, cfg), cfg)
    assert (due.day, due.hour) == (25, 8)
    later_today = to_local(parse_due("23:30", now, cfg), cfg)
    assert (later_today.day, later_today.hour, later_today.minute) == (24, 23, 30)


def test_no_zero_report_is_taken_for_a_day_before_the_desk_was_in_use(desk):
    from duty_desk.core.errors import Refused
    from duty_desk.core.services import log

    with pytest.raises(Refused) as refused:
        log.record_zero_report(desk, previous=True)
    assert refused.value.key == "zero.before_use"


def test_a_result_once_given_is_not_overwritten_but_corrected_with_a_reason(desk):
    from duty_desk.core.errors import Refused
    from duty_desk.core.models import LogEntry

    call = log.record_entry(desk, "东城街道来电反映积水，请求协调", "来电", needs_action=True)
    log.record_result(desk, call.id, "已转市城管局处置")
    with pytest.raises(Refused) as refused:
        log.record_result(desk, call.id, "已处置完毕")
    assert refused.value.key == "log.result_given"
    assert LogEntry.get_by_id(call.id).result == "已转市城管局处置"
    log.correct_entry(desk, call.id, "补充处置结果", result="已转市城管局，积水已排除")
    assert LogEntry.get_by_id(call.id).result == "已转市城管局，积水已排除"


def test_the_demo_day_fills_in_the_first_minute_of_a_duty_day(make_desk):
    from datetime import datetime, timezone

    from duty_desk.core.demo import fill_demo_day
    from duty_desk.core.models import UrgentEvent

    clock.set_now(datetime(2026, 11, 24, 0, 30, 20, tzinfo=timezone.utc))  # 08:30:20 in Shanghai
    desk = make_desk("tester")
    assert fill_demo_day(desk) > 0
    assert all(e.at <= clock.now() for e in UrgentEvent.select())
    assert audit.verify().intact
