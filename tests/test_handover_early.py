"""A shift handed over before its slot ends: the rest of the duty day goes on
in a continuation of the same slot, and the duty log stays on the same day."""

from datetime import timedelta

from duty_desk.core import clock
from duty_desk.core.handover import flow as handover
from duty_desk.core.models import HandoverItem, Shift
from duty_desk.core.services import log


def _take_over(outgoing, incoming):
    given = handover.hand_over(outgoing, "白天情况正常")
    for item in HandoverItem.select().where(HandoverItem.handover == given.id):
        handover.read_back(incoming, item.id)
    return handover.accept(incoming, given.id)


def test_records_after_an_early_handover_stay_on_the_same_duty_day(make_desk, fixed_clock):
    outgoing = make_desk("tester")
    log.record_entry(outgoing, "市应急管理局来电，询问防汛值守情况", "来电")
    clock.set_now(fixed_clock + timedelta(hours=2))
    incoming = make_desk("incoming")
    _take_over(outgoing, incoming)

    clock.set_now(fixed_clock + timedelta(hours=3))
    entry = log.record_entry(incoming, "区气象台：今晚有暴雨，请做好防范", "来电")

    assert entry.duty_date == outgoing.today()
    first, second = Shift.select().order_by(Shift.id)
    assert (second.duty_date, second.index, second.part) == (first.duty_date, first.index, 1)
    assert second.officers == ["incoming"] and first.state == "accepted"
    assert second.starts_at == fixed_clock + timedelta(hours=3)
    assert [e.content for e in log.entries_of_day(outgoing.today())][-1].startswith("区气象台")


def test_the_continuation_is_handed_over_and_accepted_in_turn(make_desk, fixed_clock):
    first_officer, second_officer = make_desk("tester"), make_desk("incoming")
    log.record_entry(first_officer, "接班，设备正常")
    _take_over(first_officer, second_officer)
    clock.set_now(fixed_clock + timedelta(hours=1))
    log.record_entry(second_officer, "下午情况正常")
    clock.set_now(fixed_clock + timedelta(hours=2))
    accepted = _take_over(second_officer, first_officer)
    assert accepted.accepted_by == "tester"
    assert [s.state for s in Shift.select().order_by(Shift.id)] == ["accepted", "accepted"]
