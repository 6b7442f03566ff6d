"""Snapshots of the roster's month view with Chinese names (two of four
characters among them): November 2026 as it opens (today highlighted) and
October 2026 on National Day (休, 双带班, a gap, the 补班 Saturday, a cover),
at 80x24 and 120x40, and in English at 80x24. The clock is fixed.

Update with ``pytest tests/tui/test_roster_snapshots.py --snapshot-update``
and look at the SVGs (their text) before committing."""

from __future__ import annotations

import pytest
from app_helpers import settle
from test_roster_desk import open_as  # noqa: F401  (the fixture)

from duty_desk.core.i18n import set_language
from duty_desk.tui.app import DutyDeskApp


def pressing(*keys: str):
    async def run(pilot):
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    return run


# From 2026-11-24: the previous month's 24th, three weeks up, two days left.
TO_NATIONAL_DAY = ("f11", "[", "up", "up", "up", "left", "left")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_the_month_as_it_opens_with_today_highlighted(snap_compare, open_as, size):  # noqa: F811
    assert snap_compare(DutyDeskApp(open_as("tester")), terminal_size=size, run_before=pressing("f11"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_national_day_with_two_leaders_a_gap_and_the_makeup_saturday(snap_compare, open_as, size):  # noqa: F811
    assert snap_compare(DutyDeskApp(open_as("tester")), terminal_size=size, run_before=pressing(*TO_NATIONAL_DAY))


def test_the_month_in_english(snap_compare, open_as):  # noqa: F811
    set_language("en")
    assert snap_compare(DutyDeskApp(open_as("tester")), terminal_size=(80, 24),
                        run_before=pressing(*TO_NATIONAL_DAY))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_the_header_marks_an_officer_the_roster_does_not_name(snap_compare, open_as, size):  # noqa: F811
    assert snap_compare(DutyDeskApp(open_as("incoming")), terminal_size=size, run_before=pressing())
