"""One person's duties as an iCalendar file for a phone's calendar, read back
with the icalendar library as a calendar app would read it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from duty_desk import cli
from duty_desk.core import clock
from duty_desk.core.config import load_config
from duty_desk.core.errors import NotFound
from duty_desk.core.opening import open_desk
from duty_desk.core.roster import files, service
from duty_desk.core.roster.view import month_roster

CONFIG = Path(__file__).parent / "roster_files" / "config.toml"
SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST, LAST = date(2026, 12, 1), date(2026, 12, 31)


@pytest.fixture
def office(tmp_path, fixed_clock):
    cfg = load_config(str(CONFIG))
    desk = open_desk(cfg, "sqlite:///" + str(tmp_path / "desk.db"), login="admin")
    service.plan_month(desk, "2026-12")
    yield desk
    desk.close()


def _events(data: bytes) -> list:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def _duties(office, login: str, role: str) -> list:
    return [s for day in month_roster("2026-12", office.cfg).days for s in day.slots if login in getattr(s, role)]


def test_an_officer_gets_one_event_per_duty_of_the_month(office):
    duties = _duties(office, "zhangs", "officers")
    assert duties  # the rotation gave 张三 some duties
    events = _events(files.officer_ical("zhangs", FIRST, LAST, office.cfg))
    assert len(events) == len(duties)
    assert {str(e["summary"]) for e in events} <= {"值班 白班", "值班 夜班"}


def test_events_start_and_end_at_the_shifts_real_times_in_the_office_zone(office):
    events = _events(files.officer_ical("zhangs", FIRST, LAST, office.cfg))
    for event in events:
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert str(start.tzinfo) == "Asia/Shanghai" and str(end.tzinfo) == "Asia/Shanghai"
        if str(event["summary"]) == "值班 白班":
            assert (start.time(), end.time(), end.date()) == (time(8, 30), time(17, 30), start.date())
        else:  # the night shift ends the next morning, when the next duty day starts
            assert (start.time(), end.time(), end.date()) == (time(17, 30), time(8, 30), start.date() + timedelta(1))
    assert b"TZID=Asia/Shanghai" in files.officer_ical("zhangs", FIRST, LAST, office.cfg)
    assert b"BEGIN:VTIMEZONE" in files.officer_ical("zhangs", FIRST, LAST, office.cfg)


def test_uids_are_the_same_in_a_later_export_so_a_calendar_updates_instead_of_duplicating(office):
    first = _events(files.officer_ical("lis", FIRST, LAST, office.cfg))
    clock.set_now(clock.now() + timedelta(days=3))
    again = _events(files.officer_ical("lis", FIRST, LAST, office.cfg))
    uids = [str(e["uid"]) for e in first]
    assert uids == [str(e["uid"]) for e in again]
    assert len(set(uids)) == len(uids)


def test_a_leaders_duties_are_included_with_who_is_on_and_their_phones(office):
    duties = _duties(office, "zhoub", "leaders")
    assert duties
    events = _events(files.officer_ical("周八", FIRST, LAST, office.cfg))
    assert len(events) == len(duties)
    first = events[0]
    assert str(first["summary"]).startswith("带班 ")
    description = str(first["description"])
    assert "带班领导：周八 13900000001" in description
    officer = duties[0].officers[0]
    assert f"值班员：{month_roster('2026-12', office.cfg).name(officer)}" in description


def test_standby_duty_and_a_note_are_in_the_calendar(office):
    service.set_duty(office, date(2026, 12, 12), 1, standby=["郑十"], note="汛期加强值守")
    events = _events(files.officer_ical("zhengs", date(2026, 12, 12), date(2026, 12, 12), office.cfg))
    standby = [e for e in events if str(e["summary"]) == "备班 夜班"]
    assert len(standby) == 1 and "备注：汛期加强值守" in str(standby[0]["description"])


def test_the_reminder_rings_at_18_00_the_evening_before(office):
    for event in _events(files.officer_ical("wangw", FIRST, LAST, office.cfg)):
        start = event.decoded("dtstart")
        (alarm,) = event.walk("VALARM")
        rings = start + alarm.decoded("trigger")
        assert rings == datetime.combine(start.date() - timedelta(days=1), time(18, 0), tzinfo=SHANGHAI)


def test_nobody_by_that_name_is_refused(office):
    with pytest.raises(NotFound):
        files.officer_ical("钱十一", FIRST, LAST, office.cfg)


def test_the_command_writes_three_months_from_today_by_default(office, tmp_path, monkeypatch, capsys):
    service.plan_month(office, "2027-01")
    monkeypatch.setattr("duty_desk.core.identity.current_login", lambda *a, **k: "zhangs")
    out = tmp_path / "zhangs.ics"
    status = cli.main(["--config", str(CONFIG), "--db", str(tmp_path / "desk.db"), "roster", "ical", "zhangs",
                       "--out", str(out), "--no-remind"])
    assert status == 0, capsys.readouterr().err
    events = _events(out.read_bytes())
    days = {e.decoded("dtstart").date() for e in events}
    assert days and min(days) >= date(2026, 11, 24) and max(days) <= date(2027, 2, 23)
    assert any(d.month == 1 for d in days)  # January, planned, is in; November had no roster
    assert not any(e.walk("VALARM") for e in events)
