"""值班日志: entries (with an earlier occurred-at time and a category), call
results, zero reports and their refusals; each write audited, each failed
attempt audited as a failure and leaving no record."""

from __future__ import annotations

import json
from datetime import timedelta

from support import fails

from duty_desk.core import audit, clock
from duty_desk.core.errors import InvalidInput, Refused
from duty_desk.core.models import LogEntry, Shift
from duty_desk.core.services import log


def test_entry_with_earlier_occurred_at_is_recorded_now_and_audited(desk, fixed_clock):
    entry = log.record_entry(desk, "市应急管理局来电，询问防汛值守情况", "来电", "09:40",
                             counterpart_unit="市应急管理局", counterpart_name="刘洋")
    assert entry.occurred_at == fixed_clock - timedelta(minutes=20)
    assert entry.recorded_at == fixed_clock
    assert (entry.category, entry.recorded_by, entry.duty_date.isoformat()) == ("来电", "tester", "2026-11-24")
    event = audit.history("log", entry.id)[-1]
    new = json.loads(event.new)
    assert (event.action, event.outcome) == ("create", "success")
    assert new["occurred_at"] == "2026-11-24 01:40:00" and new["category"] == "来电"
    assert new["counterpart_unit"] == "市应急管理局"


def test_first_entry_of_a_shift_starts_it_with_its_own_audit_event(desk):
    entry = log.record_entry(desk, "接班，设备正常")
    shift = Shift.get_by_id(entry.shift_id)
    assert shift.officers == ["tester"] and shift.leaders == ["王军"]
    assert audit.history("shift", shift.id)[0].action == "create"


def test_entry_defaults_to_a_note_at_the_current_time(desk, fixed_clock):
    entry = log.record_entry(desk, "检查值班电话正常")
    assert (entry.category, entry.occurred_at, entry.needs_action) == ("记事", fixed_clock, False)


def test_time_in_the_future_beyond_tolerance_is_refused(desk):
    err = fails(desk, InvalidInput, "time.future", log.record_entry, "提前登记", "记事", "10:30")
    assert err.field == "occurred_at"
    assert LogEntry.select().count() == 0


def test_time_a_little_ahead_of_the_desk_clock_is_accepted(desk, fixed_clock):
    entry = log.record_entry(desk, "手机时间略快", "记事", "10:04")
    assert entry.occurred_at == fixed_clock + timedelta(minutes=4)


def test_empty_content_is_refused_and_no_shift_is_started(desk):
    fails(desk, InvalidInput, "log.empty", log.record_entry, "   \n ")
    assert LogEntry.select().count() == 0
    assert Shift.select().count() == 0  # the failed transaction took its shift with it


def test_unknown_category_is_refused(desk):
    err = fails(desk, InvalidInput, "log.category", log.record_entry, "内容", "闲聊")
    assert "来电" in err.message


def test_malformed_time_is_refused(desk):
    fails(desk, InvalidInput, "time.format", log.record_entry, "内容", "来电", "9点40")


def test_terminal_escapes_never_reach_the_log(desk):
    entry = log.record_entry(desk, "来电\x1b[2J\x1b]0;title\x07内容[red]x[/red]")
    assert entry.content == "来电内容[red]x[/red]"


def test_assigned_task_is_an_open_item_with_owner_and_due_time(desk, fixed_clock):
    entry = log.record_entry(desk, "王军副秘书长交办：17时前汇总各区防汛值守情况", "交办")
    assert entry.needs_action and entry.owner == "tester"
    assert entry.due_at == fixed_clock + timedelta(minutes=desk.cfg.ordinary_minutes)
    assert [e.id for e in log.open_calls()] == [entry.id]


def test_result_closes_a_call_awaiting_one_and_keeps_the_old_values(desk, fixed_clock):
    entry = log.record_entry(desk, "反映窨井盖缺失，需回复处置结果", "来电", needs_action=True)
    clock.set_now(fixed_clock + timedelta(minutes=30))
    done = log.record_result(desk, entry.id, "市城管局已派员处置并回复")
    assert done.closed_at == fixed_clock + timedelta(minutes=30)
    assert log.open_calls() == []
    event = audit.history("log", entry.id)[-1]
    assert event.action == "result"
    assert json.loads(event.old) == {"result": "", "closed_at": None}
    assert json.loads(event.new)["result"] == "市城管局已派员处置并回复"


def test_empty_result_is_refused(desk):
    entry = log.record_entry(desk, "来电", "来电", needs_action=True)
    fails(desk, InvalidInput, "input.empty", log.record_result, entry.id, " ")
    assert LogEntry.get_by_id(entry.id).closed_at is None


# --- zero reports ----------------------------------------------------------------


def test_zero_report_on_a_quiet_day_is_one_call_and_audited(desk):
    entry = log.record_zero_report(desk)
    assert entry.category == "零报告" and entry.content
    assert log.has_zero_report(desk.today())
    assert audit.history("log", entry.id)[-1].action == "create"


def test_zero_report_is_refused_when_the_day_has_items(desk):
    log.record_entry(desk, "市气象台来电", "来电")
    err = fails(desk, Refused, "zero.has_items", log.record_zero_report)
    assert "2026-11-24" in err.message
    assert not log.has_zero_report(desk.today())


def test_second_zero_report_is_refused(desk):
    log.record_zero_report(desk)
    fails(desk, Refused, "zero.already", log.record_zero_report)


def test_zero_report_is_not_made_through_an_ordinary_entry(desk):
    fails(desk, InvalidInput, "log.zero_via_command", log.record_entry, "无事", "零报告")


def test_zero_report_is_allowed_when_the_only_item_was_voided(desk):
    from duty_desk.core.services.common import void_record

    entry = log.record_entry(desk, "误录")
    void_record(desk, "log", entry.id, "重复录入")
    assert log.record_zero_report(desk).category == "零报告"


def test_log_of_the_day_is_in_order_of_occurrence_and_keeps_voided_entries(desk):
    from duty_desk.core.services.common import void_record

    late = log.record_entry(desk, "后发生", "记事", "09:50")
    early = log.record_entry(desk, "先发生", "记事", "09:00")
    void_record(desk, "log", late.id, "误录")
    assert [e.id for e in log.entries_of_day(desk.today())] == [early.id, late.id]
    assert [e.id for e in log.entries_of_day(desk.today(), include_void=False)] == [early.id]


def test_entry_before_the_duty_day_start_belongs_to_the_previous_duty_day(desk, fixed_clock):
    clock.set_now(fixed_clock - timedelta(hours=2))  # 08:00 local: still yesterday's duty day
    entry = log.record_entry(desk, "凌晨来电")
    assert entry.duty_date.isoformat() == "2026-11-23"
