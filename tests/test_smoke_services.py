from duty_desk.core import audit
from duty_desk.core.services import log


def test_recorded_entry_is_in_todays_log_with_its_audit_event(desk):
    entry = log.record_entry(desk, "市应急管理局来电，询问防汛值守情况", "来电", "09:40")
    assert [e.id for e in log.entries_of_day(desk.today())] == [entry.id]
    events = audit.history("log", entry.id)
    assert events[-1].action == "create" and events[-1].actor == "tester"
    assert audit.verify().intact
