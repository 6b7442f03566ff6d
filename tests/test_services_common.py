"""Nothing is deleted or overwritten silently: voiding keeps the original
readable, a correction keeps the old value in the audit trail, and a record of
an accepted shift is amended beside the original. Shifts are started and
joined on first use."""

from __future__ import annotations

import json

import pytest
from support import fails

from duty_desk.core import audit
from duty_desk.core.errors import InvalidInput, NotFound, Refused
from duty_desk.core.kinds import live
from duty_desk.core.models import LogEntry, Shift
from duty_desk.core.services import log
from duty_desk.core.services.common import get_record, start_shift, void_record


def test_voided_entry_stays_readable_with_who_when_and_why(desk, fixed_clock):
    entry = log.record_entry(desk, "市水务局来电，通报水库水位", "来电")
    void_record(desk, "log", entry.id, "来电单位记错，重新登记")
    row = LogEntry.get_by_id(entry.id)
    assert row.content == "市水务局来电，通报水库水位" and row.category == "来电"
    assert (row.voided_at, row.voided_by, row.void_reason) == (fixed_clock, "tester", "来电单位记错，重新登记")
    assert not LogEntry.select().where(live(LogEntry) & (LogEntry.id == entry.id)).exists()
    event = audit.history("log", entry.id)[-1]
    assert event.action == "void"
    assert json.loads(event.old) == {"voided_at": None, "voided_by": None, "void_reason": None}
    assert json.loads(event.new)["void_reason"] == "来电单位记错，重新登记"


@pytest.mark.parametrize("kind", ["visitor", "document", "urgent"])
def test_every_record_kind_can_be_voided_and_stays_readable(desk, kind):
    from duty_desk.core.services import documents, urgent, visitors

    make = {
        "visitor": lambda: visitors.register_visitor(desk, "钱秀英"),
        "document": lambda: documents.receive_document(desk, "市民政局", title="关于报送冬季救助工作情况的函"),
        "urgent": lambda: urgent.open_urgent(desk, "某路段交通事故", "事故灾难", "IV"),
    }[kind]
    record = make()
    void_record(desk, kind, record.id, "误录")
    again = get_record(kind, record.id)
    assert again.voided_at is not None and again.void_reason == "误录"
    assert audit.history(kind, record.id)[-1].action == "void"


def test_voiding_needs_a_reason_and_happens_once(desk):
    entry = log.record_entry(desk, "内容")
    fails(desk, InvalidInput, "input.empty", void_record, "log", entry.id, "  ")
    assert LogEntry.get_by_id(entry.id).voided_at is None
    void_record(desk, "log", entry.id, "误录")
    fails(desk, Refused, "void.already", void_record, "log", entry.id, "再次作废")


def test_voiding_a_record_that_does_not_exist_is_refused(desk):
    err = fails(desk, NotFound, "record.not_found", void_record, "log", 999, "误录")
    assert "999" in err.message and "值班日志" in err.message


def test_correction_keeps_the_old_value_in_the_audit_trail(desk, fixed_clock):
    entry = log.record_entry(desk, "市应急局来电", "来电", "09:40")
    fixed = log.correct_entry(desk, entry.id, "单位名称写全", content="市应急管理局来电", occurred_at="09:35")
    assert fixed.id == entry.id and fixed.content == "市应急管理局来电"
    event = audit.history("log", entry.id)[-1]
    assert event.action == "correct"
    assert json.loads(event.old) == {"content": "市应急局来电", "occurred_at": "2026-11-24 01:40:00"}
    assert json.loads(event.new) == {"content": "市应急管理局来电", "occurred_at": "2026-11-24 01:35:00",
                                     "reason": "单位名称写全"}


def test_correction_needs_a_reason_a_change_and_a_correctable_field(desk):
    entry = log.record_entry(desk, "内容")
    fails(desk, InvalidInput, "input.empty", log.correct_entry, entry.id, "", content="新内容")
    fails(desk, InvalidInput, "correct.nothing", log.correct_entry, entry.id, "无变化", content="内容")
    fails(desk, InvalidInput, "correct.field", log.correct_entry, entry.id, "改人", recorded_by="someone")
    assert LogEntry.get_by_id(entry.id).content == "内容"


def test_voided_entry_cannot_be_corrected(desk):
    entry = log.record_entry(desk, "内容")
    void_record(desk, "log", entry.id, "误录")
    fails(desk, Refused, "correct.voided", log.correct_entry, entry.id, "补充", content="新内容")


def test_record_of_an_accepted_shift_is_amended_beside_the_original(desk):
    entry = log.record_entry(desk, "市应急局来电", "来电", "09:40")
    # the shift was handed over and accepted (the handover service is tested elsewhere)
    Shift.update(state="accepted").where(Shift.id == entry.shift_id).execute()
    amendment = log.correct_entry(desk, entry.id, "单位名称写全", content="市应急管理局来电")
    assert amendment.id != entry.id and amendment.amends_id == entry.id
    original = LogEntry.get_by_id(entry.id)
    assert original.content == "市应急局来电"  # exactly as it was
    assert amendment.occurred_at == original.occurred_at and amendment.category == "来电"
    assert [e.id for e in LogEntry.select().where(live(LogEntry))] == [amendment.id]
    assert [e.id for e in log.entries_of_day(desk.today())] == [entry.id, amendment.id]
    event = audit.history("log", amendment.id)[-1]
    assert event.action == "amend" and json.loads(event.old) == {"amends": entry.id}
    assert json.loads(event.new)["content"] == "市应急管理局来电"


def test_start_shift_names_the_leaders_on_duty_and_audits_the_change(desk):
    shift = start_shift(desk, leaders=["王军", "张强"])
    assert shift.leaders == ["王军", "张强"]
    event = audit.history("shift", shift.id)[-1]
    assert json.loads(event.old) == {"leaders": ["王军"]} and json.loads(event.new) == {"leaders": ["王军", "张强"]}


def test_second_officer_joins_the_running_shift(desk, make_desk):
    log.record_entry(desk, "接班")
    other = make_desk("incoming")
    log.record_entry(other, "协助接听来电")
    shift = Shift.get()
    assert shift.officers == ["tester", "incoming"]
    assert Shift.select().count() == 1


def test_leader_recording_does_not_become_an_officer_of_the_shift(desk, make_desk):
    log.record_entry(desk, "接班")
    log.record_entry(make_desk("leader"), "带班领导巡查")
    assert Shift.get().officers == ["tester"]
