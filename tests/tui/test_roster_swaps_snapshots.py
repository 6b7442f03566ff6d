"""Snapshots of swaps at the desk with Chinese names and reasons: the swap
form as 李明 fills it in from the month view (2026-11-26, 陈静, the day back,
the reason), and 陈静's list of swap requests (one asked of her, one she
asked, the highlighted one in full below), at 80x24 and 120x40. The clock
is fixed.

Update with ``pytest tests/tui/test_roster_swaps_snapshots.py --snapshot-update``
and look at the SVGs (their text) before committing."""

from __future__ import annotations

from datetime import date

import pytest
from app_helpers import settle, type_text
from test_roster_desk import open_as  # noqa: F401  (the fixture)
from test_roster_swaps_desk import BACK_DAY, SWAP_DAY, arrange

from duty_desk.core.roster import service
from duty_desk.tui.app import DutyDeskApp

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


async def filling_in(pilot) -> None:
    await settle(pilot)
    await pilot.press("f11", "right", "right", "s")
    await settle(pilot)
    await type_text(pilot, "陈静")
    await pilot.press("tab")
    await type_text(pilot, "11-28")
    await pilot.press("tab")
    await type_text(pilot, "家中老人住院需陪护")
    await settle(pilot)


async def the_list(pilot) -> None:
    await settle(pilot)
    await pilot.press("f11", "w")
    await settle(pilot)


@SIZES
def test_the_swap_form_filled_in(snap_compare, open_as, size):  # noqa: F811
    arrange(open_as("admin"))
    assert snap_compare(DutyDeskApp(open_as("tester")), terminal_size=size, run_before=filling_in)


@SIZES
def test_the_swap_list_with_one_asked_of_me_and_one_i_asked(snap_compare, open_as, size):  # noqa: F811
    arrange(open_as("admin"))
    service.set_duty(open_as("admin"), date(2026, 11, 30), 0, officers=["陈静"], reason="调整")
    service.request_swap(open_as("tester"), SWAP_DAY, 0, "陈静", "家中老人住院需陪护", back_day=BACK_DAY)
    service.request_swap(open_as("incoming"), date(2026, 11, 30), 0, "欧阳晓峰", "参加市里防汛培训")
    assert snap_compare(DutyDeskApp(open_as("incoming")), terminal_size=size, run_before=the_list)
