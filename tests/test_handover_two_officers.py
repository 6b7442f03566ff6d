"""Two officers on one store: the one who handed over is not silently joined
to the next shift, so the next handover lists only who sat it and can be
accepted. A real SQLite file, the clock fixed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import T0

from duty_desk.core import clock
from duty_desk.core.errors import Refused
from duty_desk.core.handover import flow as ho
from duty_desk.core.models import AuditEvent, LogEntry, Shift
from duty_desk.core.services import log


@pytest.fixture
def incoming(make_desk, fixed_clock):
    return make_desk("incoming")


@pytest.fixture
def config_file(config_file):
    """A third officer in the list that seeds the new store (officers live in
    the store: a config read later would change nobody)."""
    config_file.write_text(config_file.read_text(encoding="utf-8")
                           + '\n[[officers]]\nlogin = "third"\nname = "张华"\nrole = "officer"\n',
                           encoding="utf-8")
    return config_file


@pytest.fixture
def third(make_desk, fixed_clock):
    return make_desk("third")


def at(minutes: int) -> None:
    clock.set_now(T0 + timedelta(minutes=minutes))


def hand_over_and_accept(outgoing, incoming) -> Shift:
    handover = ho.hand_over(outgoing, "")
    for item in ho.items_of(handover.id):
        ho.read_back(incoming, item.id)
    ho.accept(incoming, handover.id)
    return handover.shift


def test_an_officer_who_handed_over_is_refused_and_not_joined_to_the_next_shift(desk, incoming):
    log.record_entry(desk, "市应急管理局来电通报雨情")
    at(30)
    hand_over_and_accept(desk, incoming)
    at(40)
    log.record_entry(incoming, "气象台来电：今晚有暴雨")
    at(50)
    with pytest.raises(Refused) as refused:
        log.record_entry(desk, "补充：雨情已报带班领导")
    assert "已于" in refused.value.message and "交班" in refused.value.message
    assert "陈静" in refused.value.message  # whose shift it is now
    running = Shift.select().where(Shift.state == "open").get()
    assert running.officers == ["incoming"]
    assert not LogEntry.select().where(LogEntry.content.contains("补充")).exists()
    failed = AuditEvent.select().where(AuditEvent.outcome == "failure").order_by(AuditEvent.id.desc()).first()
    assert failed is not None and failed.actor == "tester"


def test_the_next_handover_lists_only_who_sat_the_shift_and_can_be_accepted(desk, incoming, third):
    log.record_entry(desk, "来电：某街道报告积水")
    at(30)
    hand_over_and_accept(desk, incoming)
    at(40)
    log.record_entry(incoming, "来电：积水已排除")
    at(50)
    with pytest.raises(Refused):
        log.record_entry(desk, "来电：又一处积水")
    at(60)
    handover = ho.hand_over(incoming, "")
    assert ho.outgoing_logins(handover) == {"incoming"}
    for item in ho.items_of(handover.id):
        ho.read_back(third, item.id)
    assert ho.accept(third, handover.id).accepted_by == "third"


def test_recording_after_handing_over_before_it_is_accepted_starts_no_shift_of_ones_own(desk, incoming):
    log.record_entry(desk, "来电：区防汛办询问值班安排")
    at(30)
    handover = ho.hand_over(desk, "")
    at(35)
    with pytest.raises(Refused) as refused:
        log.record_entry(desk, "来电：忘记登记的一个电话")
    assert "交班" in refused.value.message
    assert Shift.select().count() == 1
    # The incoming officer can still take over: nobody else is on it.
    for item in ho.items_of(handover.id):
        ho.read_back(incoming, item.id)
    assert ho.accept(incoming, handover.id).accepted_by == "incoming"


def test_an_officer_back_for_a_later_shift_records_again(desk, incoming, third):
    log.record_entry(desk, "来电：市政府办公室通知明日会议")
    at(30)
    hand_over_and_accept(desk, incoming)
    at(40)
    log.record_entry(incoming, "来电：会议材料已送达")
    # The next duty day (one 24-hour shift a day) began with its own handover.
    at(22 * 60 + 30)
    hand_over_and_accept(incoming, third)
    at(24 * 60)
    entry = log.record_entry(desk, "接班后第一件：气象台预警")
    assert entry.shift.officers == ["tester"]


def test_an_officer_who_takes_over_again_records_in_the_shift_taken_over(desk, incoming):
    log.record_entry(desk, "来电：某单位报送材料")
    at(30)
    hand_over_and_accept(desk, incoming)
    at(40)
    log.record_entry(incoming, "来电：材料已收到")
    at(50)
    hand_over_and_accept(incoming, desk)  # handed back to the first officer
    at(55)
    entry = log.record_entry(desk, "来电：材料需补充")
    assert entry.shift.officers == ["tester"] and entry.shift.state == "open"


def test_a_correction_by_the_officer_who_handed_over_is_an_amendment_on_their_own_shift(desk, incoming):
    note = log.record_entry(desk, "来电：区水务局报告水位")
    at(30)
    handed = hand_over_and_accept(desk, incoming)
    at(40)
    log.record_entry(incoming, "来电：水位回落")
    at(50)
    amendment = log.correct_entry(desk, note.id, "笔误", content="来电：区水务局报告河道水位")
    assert amendment.amends_id == note.id and amendment.shift.id == handed.id
    assert Shift.select().where(Shift.state == "open").get().officers == ["incoming"]
