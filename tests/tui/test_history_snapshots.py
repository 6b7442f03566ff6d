"""Snapshots of history: the demo day seen the next day (the header's marker,
the day's records read-only in the four panes, the bar in place of the entry
line), a day with no records, and the handover sheets of a day, at 80x24 and
120x40. The clock is fixed, so every run draws the same.

Update with ``pytest tests/tui/test_history_snapshots.py --snapshot-update``
and look at the SVGs before committing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from app_helpers import settle
from conftest import T0

from duty_desk.core import clock
from duty_desk.core.demo import fill_demo_day
from duty_desk.core.i18n import set_language
from duty_desk.tui.app import DutyDeskApp


@pytest.fixture
def day_after_demo(desk):
    """The demo day yesterday; today, nothing yet."""
    def make(language: str) -> DutyDeskApp:
        set_language(language)
        clock.set_now(T0 - timedelta(days=1))
        fill_demo_day(desk)
        clock.set_now(T0)
        return DutyDeskApp(desk)

    return make


def pressing(*keys: str):
    async def run(pilot):
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_history_shows_yesterdays_demo_day_read_only(snap_compare, day_after_demo, size):
    assert snap_compare(day_after_demo("zh"), terminal_size=size, run_before=pressing("f10"))


def test_history_in_english(snap_compare, day_after_demo):
    assert snap_compare(day_after_demo("en"), terminal_size=(80, 24), run_before=pressing("f10"))


def test_a_key_that_writes_is_refused_on_the_bar(snap_compare, day_after_demo):
    assert snap_compare(day_after_demo("zh"), terminal_size=(80, 24), run_before=pressing("f10", "f2"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_a_day_with_no_records(snap_compare, day_after_demo, size):
    assert snap_compare(day_after_demo("zh"), terminal_size=size, run_before=pressing("f10", "["))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_the_handover_sheet_of_a_day_in_history(snap_compare, day_after_demo, size):
    assert snap_compare(day_after_demo("zh"), terminal_size=size, run_before=pressing("f10", "f8"))
