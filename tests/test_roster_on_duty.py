"""The desk's header facts, the handover sheet and the opening notice use the
roster: who should be on duty, who is, who takes over next."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from roster_support import write_config

from duty_desk.core import clock
from duty_desk.core.config import load_config
from duty_desk.core.handover import build_sheet, render_text
from duty_desk.core.onduty import header_facts, roster_notice
from duty_desk.core.opening import open_desk
from duty_desk.core.roster import service, view
from duty_desk.core.services.common import current_shift
from duty_desk.core.services.log import record_entry

# 2026-11-24 10:00 in Shanghai.
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def setup(tmp_path):
    cfg = load_config(str(write_config(tmp_path / "roster.toml")))
    clock.set_now(NOW)
    url = "sqlite:///" + str(tmp_path / "r.db")
    opened = []

    def desk(login):
        d = open_desk(cfg, url, login=login)
        opened.append(d)
        return d

    admin = desk("admin")
    service.plan_month(admin, "2026-11")
    service.publish_month(admin, "2026-11")
    yield cfg, desk
    for d in opened:
        d.close()


def test_the_header_names_the_rostered_officer_and_leader_with_phone(setup):
    cfg, desk = setup
    duty = view.duty_of(date(2026, 11, 24), 0, cfg)
    facts = header_facts(desk(duty.officers[0]))
    names = view.people()
    assert facts.rostered
    assert facts.rostered_officers == [names[duty.officers[0]].name]
    leader = names[duty.leaders[0]]
    assert facts.rostered_leaders == [(leader.name, leader.phone)]
    assert facts.leaders == [leader.name]  # the shift starts with the rostered leader
    assert not facts.roster_differs and not facts.off_roster
    assert roster_notice(desk(duty.officers[0])) == ""


def test_an_officer_not_rostered_is_told_and_recorded_as_an_extra_officer(setup):
    cfg, desk = setup
    duty = view.duty_of(date(2026, 11, 24), 0, cfg)
    other = next(o for o in ("o1", "o2", "o3", "o4", "o5") if o not in duty.officers)
    mine = desk(other)
    notice = roster_notice(mine)
    assert "您未排在 2026-11-24 全天班 值班" in notice and "额外值班" in notice
    record_entry(mine, "市应急管理局来电询问值班安排", category="来电")  # may still record
    facts = header_facts(mine)
    assert facts.off_roster and facts.roster_differs
    assert view.people()[other].name in facts.extra_officers


def test_the_handover_sheet_names_the_rostered_and_the_expected_incoming_officer(setup):
    cfg, desk = setup
    duty = view.duty_of(date(2026, 11, 24), 0, cfg)
    nxt = view.duty_of(date(2026, 11, 25), 0, cfg)
    officer = desk(duty.officers[0])
    record_entry(officer, "区水务局报水库水位正常", category="来电")
    sheet = build_sheet(officer, current_shift(officer))
    names = view.people()
    assert sheet.expected_incoming == [names[nxt.officers[0]].name]
    text = render_text(sheet)
    line = next(line for line in text.splitlines() if "排班接班人" in line)
    assert names[nxt.officers[0]].name in line


def test_without_a_roster_the_header_and_sheet_are_as_before(tmp_path):
    cfg = load_config(str(write_config(tmp_path / "roster.toml")))
    clock.set_now(NOW)
    officer = open_desk(cfg, "sqlite:///" + str(tmp_path / "plain.db"), login="o1")
    try:
        facts = header_facts(officer)
        assert not facts.rostered and not facts.roster_differs and roster_notice(officer) == ""
        record_entry(officer, "记事", category="记事")
        text = render_text(build_sheet(officer, current_shift(officer)))
        assert "排班" not in text
    finally:
        officer.close()


def test_in_the_evening_the_desk_is_told_who_is_on_duty_tomorrow(setup):
    from duty_desk.core.onduty import tomorrow_notice

    cfg, desk = setup
    officer = desk(view.duty_of(date(2026, 11, 24), 0, cfg).officers[0])
    assert tomorrow_notice(officer) == ""  # 10:00: not yet
    clock.set_now(datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc))  # 17:00
    nxt = view.duty_of(date(2026, 11, 25), 0, cfg)
    names = view.people()
    notice = tomorrow_notice(officer)
    assert "明日值班 2026-11-25 全天班" in notice
    assert names[nxt.officers[0]].name in notice and names[nxt.leaders[0]].phone in notice
