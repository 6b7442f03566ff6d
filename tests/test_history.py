"""History in the desk, the core side: an earlier duty day's records, who was
on duty, its handover sheets, and a typed date read as a duty day."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from conftest import T0

from duty_desk.core import clock, history
from duty_desk.core.errors import InvalidInput
from duty_desk.core.handover import flow as ho
from duty_desk.core.services import documents, log, urgent, visitors

TODAY = date(2026, 11, 24)  # the duty day of T0 (10:00 in Shanghai)


def at_local(day: date, hh: int, mm: int) -> datetime:
    """A Shanghai wall time, in UTC."""
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=timezone(timedelta(hours=8))).astimezone(
        timezone.utc)


# --- a typed date ------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "day"), [
    ("2026-06-01", date(2026, 6, 1)),
    ("2026/6/1", date(2026, 6, 1)),
    ("2026年6月1日", date(2026, 6, 1)),
    ("6-1", date(2026, 6, 1)),
    ("6月1日", date(2026, 6, 1)),
    ("12-31", date(2025, 12, 31)),  # the latest 12-31 not after today
    ("１１－２０", date(2026, 11, 20)),  # typed full-width with a Chinese input method
    ("-3", date(2026, 11, 21)),
    ("昨天", date(2026, 11, 23)),
    ("前天", date(2026, 11, 22)),
    ("yesterday", date(2026, 11, 23)),
    ("今天", TODAY),
])
def test_a_day_is_read_as_an_officer_types_it(typed, day):
    assert history.parse_day(typed, TODAY) == day


@pytest.mark.parametrize(("typed", "key"), [
    ("", "history.date.empty"),
    ("下周", "history.date.invalid"),
    ("2026-02-30", "history.date.invalid"),
    ("2026-11-25", "history.date.future"),
    ("2027-01-01", "history.date.future"),
])
def test_a_date_that_is_no_day_or_not_yet_is_refused_with_the_reason(typed, key):
    with pytest.raises(InvalidInput) as err:
        history.parse_day(typed, TODAY)
    assert err.value.key == key
    assert err.value.message and err.value.message != key  # said in words, not a key


# --- an earlier day's records ---------------------------------------------------------


def test_a_record_at_0829_belongs_to_the_duty_day_before(desk):
    clock.set_now(at_local(TODAY, 8, 29))
    before = log.record_entry(desk, "08:29 区气象台来电", "来电")
    clock.set_now(at_local(TODAY, 8, 31))
    after = log.record_entry(desk, "08:31 接班检查", "记事")
    clock.set_now(T0)
    assert [e.id for e in log.entries_of_day(TODAY - timedelta(days=1))] == [before.id]
    assert [e.id for e in log.entries_of_day(TODAY)] == [after.id]
    assert history.day_facts(TODAY - timedelta(days=1)).officers == ["李明"]


def test_a_day_shows_what_was_received_that_day_in_its_state_now(desk):
    yesterday = TODAY - timedelta(days=1)
    clock.set_now(T0 - timedelta(days=1))
    gone = visitors.register_visitor(desk, "钱秀英", unit="市水务局")
    visitors.check_out(desk, gone.id)
    still_here = visitors.register_visitor(desk, "赵刚", unit="城东街道办事处")
    doc = documents.receive_document(desk, sender="市防汛抗旱指挥部办公室", title="关于做好防汛工作的通知",
                                     urgency="特急")
    item = urgent.open_urgent(desk, "城西区一居民楼外墙脱落", "事故灾难", "III")
    clock.set_now(T0)
    today_visitor = visitors.register_visitor(desk, "孙丽", unit="市卫健委")

    assert [v.id for v in history.visitors_of(yesterday)] == [gone.id, still_here.id]
    assert {v.state for v in history.visitors_of(yesterday)} == {"left", "waiting"}
    assert today_visitor.id not in [v.id for v in history.visitors_of(yesterday)]
    assert [d.id for d in history.documents_of(yesterday)] == [doc.id]
    assert [u.id for u in history.urgent_of(yesterday)] == [item.id]
    assert history.documents_of(TODAY) == [] and history.urgent_of(TODAY) == []


def test_a_day_nobody_used_has_no_records_no_shift_and_no_sheet(desk):
    log.record_entry(desk, "今天的记录", "记事")
    empty = TODAY - timedelta(days=5)
    assert log.entries_of_day(empty) == []
    assert history.visitors_of(empty) == [] and history.documents_of(empty) == []
    assert history.urgent_of(empty) == []
    facts = history.day_facts(empty)
    assert facts.shifts == 0 and facts.officers == [] and facts.leaders == []
    assert history.sheets_of_day(desk, empty) == []


def test_the_sheet_of_a_day_handed_over_is_the_one_handed_over(desk, make_desk):
    clock.set_now(T0 - timedelta(days=1))
    log.record_entry(desk, "区应急管理局来电询问值守情况", "来电", needs_action=True)
    handover = ho.hand_over(desk, "夜间注意寒潮预警")
    incoming = make_desk("incoming")
    for item in ho.items_of(handover.id):
        ho.read_back(incoming, item.id)
    ho.accept(incoming, handover.id)
    clock.set_now(T0)
    log.record_entry(incoming, "今天的记录", "记事")  # after the sheet: not on it

    sheets = history.sheets_of_day(desk, TODAY - timedelta(days=1))
    assert len(sheets) == 1
    sheet = sheets[0]
    assert sheet.handed_over and sheet.sheet.notes == "夜间注意寒潮预警"
    assert sheet.sheet.incoming == "陈静"
    assert [c.title for c in sheet.sheet.carried] == ["区应急管理局来电询问值守情况"]
