"""Escalation: a passed due time is recorded once; warnings come once before it;
the zero report is asked for when a duty day ended with nothing recorded."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from conftest import T0

from duty_desk.core import audit, clock
from duty_desk.core.errors import Refused
from duty_desk.core.models import LogEntry, OverdueMark
from duty_desk.core.openitems import count_overdue, list_open
from duty_desk.core.services import log, urgent
from duty_desk.core.services.escalation import due_key, mark_overdue, warnings_due

MIN = timedelta(minutes=1)


def _overdue_events(kind: str, record_id: int):
    return [e for e in audit.history(kind, record_id) if e.action == "overdue"]


def test_a_missed_due_time_is_marked_and_audited_once_with_owner_and_what_was_due(desk):
    call = log.record_entry(desk, "东城街道来电，需回复处置结果", "来电", "10:00", needs_action=True)
    assert mark_overdue(desk) == []
    clock.set_now(T0 + 121 * MIN)
    [item] = mark_overdue(desk)
    assert (item.record_kind, item.id, item.overdue) == ("log", call.id, True)
    assert count_overdue(desk) == 1

    clock.set_now(T0 + 150 * MIN)
    assert mark_overdue(desk) == []  # the same miss is not recorded again
    [event] = _overdue_events("log", call.id)
    assert (event.actor, event.at) == ("system", T0 + 121 * MIN)
    new = json.loads(event.new)
    assert (new["owner"], new["due_kind"], new["due_at"]) == ("tester", "result", "2026-11-24 04:00:00")
    assert OverdueMark.select().count() == 1
    assert audit.verify().intact


def test_an_item_dealt_with_stops_counting_as_overdue(desk):
    call = log.record_entry(desk, "东城街道来电，需回复处置结果", "来电", "10:00", needs_action=True)
    clock.set_now(T0 + 3 * 60 * MIN)
    mark_overdue(desk)
    log.record_result(desk, call.id, "市城管局已补装井盖")
    assert count_overdue(desk) == 0 and mark_overdue(desk) == []
    assert len(_overdue_events("log", call.id)) == 1


def test_an_urgent_item_that_missed_both_reports_has_each_miss_recorded_once(desk):
    item = urgent.open_urgent(desk, "化工园区泄漏", "事故灾难", "II")  # phone 30 min, written 60 min
    clock.set_now(T0 + 70 * MIN)
    assert [i.id for i in mark_overdue(desk)] == [item.id]
    assert sorted(json.loads(e.new)["due_kind"] for e in _overdue_events("urgent", item.id)) == [
        "first_report", "phone_report"]
    urgent.record_phone_report(desk, item.id)
    assert mark_overdue(desk) == []  # first report still late: already recorded
    assert len(_overdue_events("urgent", item.id)) == 2


def test_a_new_due_time_missed_later_is_a_new_miss(desk):
    item = urgent.open_urgent(desk, "化工园区泄漏", "事故灾难", "II")
    urgent.record_phone_report(desk, item.id)
    urgent.add_event(desk, item.id, "first_report", text="首报")
    clock.set_now(T0 + 125 * MIN)  # follow-up due at 120 min
    assert len(mark_overdue(desk)) == 1
    urgent.add_event(desk, item.id, "followup", text="续报一")
    clock.set_now(T0 + 250 * MIN)  # the next follow-up (245 min) missed too
    assert len(mark_overdue(desk)) == 1
    assert [json.loads(e.new)["due_at"] for e in _overdue_events("urgent", item.id)] == [
        "2026-11-24 04:00:00", "2026-11-24 06:05:00"]


def test_two_sessions_marking_at_once_record_the_miss_once(desk, make_desk):
    log.record_entry(desk, "来电待回复", "来电", "10:00", needs_action=True)
    other = make_desk("incoming")
    clock.set_now(T0 + 3 * 60 * MIN)
    assert len(mark_overdue(desk)) == 1
    assert mark_overdue(other) == []
    assert OverdueMark.select().count() == 1


# --- warnings before due --------------------------------------------------------


def test_a_warning_comes_once_when_an_item_enters_the_lead_time(desk):
    log.record_entry(desk, "来电待回复", "来电", "10:00", needs_action=True)  # due 12:00
    warned: set = set()
    clock.set_now(T0 + 100 * MIN)  # 20 minutes before
    assert warnings_due(list_open(desk), clock.now(), warned, 10) == []
    clock.set_now(T0 + 112 * MIN)  # 8 minutes before
    [(item, minutes)] = warnings_due(list_open(desk), clock.now(), warned, 10)
    assert minutes == 10
    warned.add((due_key(item), minutes))
    clock.set_now(T0 + 115 * MIN)
    assert warnings_due(list_open(desk), clock.now(), warned, 10) == []
    clock.set_now(T0 + 121 * MIN)  # overdue: escalation's business, not a warning
    assert warnings_due(list_open(desk), clock.now(), set(), 10) == []


def test_each_lead_time_warns_once_and_a_new_due_warns_again(desk):
    item = urgent.open_urgent(desk, "化工园区泄漏", "事故灾难", "II")  # phone report due 10:30
    warned: set = set()

    def warn() -> list[int]:
        found = warnings_due(list_open(desk), clock.now(), warned, (30, 10))
        warned.update((due_key(i), m) for i, m in found)
        return [m for _, m in found]

    assert warn() == [30]
    assert warn() == []
    clock.set_now(T0 + 21 * MIN)
    assert warn() == [10]
    urgent.record_phone_report(desk, item.id)  # now the first report is due at 11:00
    assert warn() == []
    clock.set_now(T0 + 31 * MIN)
    assert warn() == [30]


def test_warnings_use_the_configured_lead_time(desk):
    log.record_entry(desk, "来电待回复", "来电", "10:00", needs_action=True)
    clock.set_now(T0 + 111 * MIN)
    lead = desk.cfg.warn_before_minutes
    assert lead == 10 and len(warnings_due(list_open(desk), clock.now(), set(), lead)) == 1


# --- zero report at the day boundary ------------------------------------------------

NEXT_MORNING = T0 + timedelta(hours=22, minutes=35)  # 08:35 local, the next duty day


def test_a_day_that_ended_with_nothing_recorded_is_flagged_next_morning_and_zero_reported_late(desk):
    day = desk.today()
    assert log.missing_zero_report(desk) is None  # yesterday the desk was not in use
    clock.set_now(NEXT_MORNING)
    assert log.missing_zero_report(desk) == day
    entry = log.record_zero_report(desk, previous=True)
    assert (entry.duty_date, entry.category, entry.recorded_at) == (day, "零报告", NEXT_MORNING)
    assert log.missing_zero_report(desk) is None
    with pytest.raises(Refused):
        log.record_zero_report(desk, previous=True)
    assert [e.category for e in log.entries_of_day(day)] == ["零报告"]


def test_a_day_with_items_or_a_zero_report_is_not_flagged(desk):
    log.record_entry(desk, "接班，设备正常", "记事")
    clock.set_now(NEXT_MORNING)
    assert log.missing_zero_report(desk) is None
    with pytest.raises(Refused):
        log.record_zero_report(desk, previous=True)
    clock.set_now(NEXT_MORNING + timedelta(days=1))
    assert log.missing_zero_report(desk) == desk.today() - timedelta(days=1)
    log.record_zero_report(desk)  # today's, on time
    clock.set_now(NEXT_MORNING + timedelta(days=2))
    assert log.missing_zero_report(desk) is None
    assert LogEntry.select().where(LogEntry.category == "零报告").count() == 1
