"""Snapshots of 信息报送 with Chinese facts and texts, at 80x24 and 120x40: the
reports screen of a landslide whose 首报 went out and whose casualty figure
changed since (the 续报一 drafted), drafting it, recording the leader's
approval by phone, and a late sending asking for the reason. The clock is
fixed.

Update with ``pytest tests/tui/test_reports_snapshots.py --snapshot-update``
and look at the SVGs (their text) before committing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from app_helpers import Host, settle, type_text

from duty_desk.core import clock
from duty_desk.core.contacts.demo import fill_demo_contacts
from duty_desk.core.reports import facts, service
from duty_desk.core.services import urgent
from duty_desk.tui.screens.reports import ReportsScreen

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


def landslide(desk, *, followup: bool = True):
    """Received 09:40, phoned 09:55, the 首报 approved by phone and sent to
    the city's duty office at 10:05; at 10:40 three injured, one seriously
    (two slightly before); then the 续报一 drafted. The clock ends at 10:45."""
    start = desk.now()
    fill_demo_contacts(desk)
    item = urgent.open_urgent(desk, "城东路段山体滑坡，两车受困", "自然灾害", "II", received_at="09:40",
                              occurred_at="09:35", place="城东路K3+200", casualties="2人轻伤",
                              measures="已封闭道路，调派消防救援力量", source_unit="区应急管理局",
                              summary="城东路K3+200处山体滑坡，两辆小客车被困")
    urgent.record_phone_report(desk, item.id, party="市政府总值班室", at="09:55")
    first = service.draft(desk, item.id)
    service.approve(desk, first.id, leader="王军")
    clock.set_now(start + timedelta(minutes=5))
    service.send(desk, first.id, "市政府总值班室", "专网")
    clock.set_now(start + timedelta(minutes=40))
    facts.update_facts(desk, item.id, {"casualties": "3人受伤，其中1人重伤",
                                       "measures": "已封闭道路，消防救援大队救出被困人员，伤者送区人民医院"})
    if followup:
        service.draft(desk, item.id)
    clock.set_now(start + timedelta(minutes=45))
    return item


def pressing(*keys: str, typed: str = ""):
    async def run(pilot) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        if typed:
            await type_text(pilot, typed)
            await settle(pilot)

    return run


@SIZES
def test_the_reports_of_a_landslide_with_a_followup_drafted(snap_compare, desk, size):
    item = landslide(desk)
    assert snap_compare(Host(lambda: ReportsScreen(desk, item.id)), terminal_size=size, run_before=pressing())


@SIZES
def test_drafting_the_followup_with_the_changed_figure_marked(snap_compare, desk, size):
    item = landslide(desk, followup=False)
    assert snap_compare(Host(lambda: ReportsScreen(desk, item.id)), terminal_size=size, run_before=pressing("n"))


@SIZES
def test_recording_the_leaders_approval_by_phone(snap_compare, desk, size):
    item = landslide(desk)
    assert snap_compare(Host(lambda: ReportsScreen(desk, item.id)), terminal_size=size,
                        run_before=pressing("a", typed="王军"))


@SIZES
def test_a_late_sending_asks_for_the_reason(snap_compare, desk, size):
    item = landslide(desk)
    followup = service.unsent(item.id)
    service.approve(desk, followup.id, leader="王军")
    clock.set_now(desk.now() + timedelta(hours=1, minutes=30))  # 12:15
    assert snap_compare(Host(lambda: ReportsScreen(desk, item.id)), terminal_size=size,
                        run_before=pressing("s", typed="市政府总值班室"))
