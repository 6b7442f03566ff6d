"""定时事项 at the desk, driven as an officer drives it: `/定时` and the
palette open the standing orders; `r` records an occurrence's result, which
closes it; Ctrl+G on the desk asks which item when calls wait too; an
administrator adds an order in one line. Snapshots at 80x24 and 120x40."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from app_helpers import settle, type_text
from textual.widgets import Input

from duty_desk.core import clock, openitems
from duty_desk.core.config import load_config
from duty_desk.core.opening import open_desk
from duty_desk.core.services import log
from duty_desk.core.standing import service
from duty_desk.tui.app import DutyDeskApp
from duty_desk.tui.forms.standing import StandingOrderForm, StandingResultForm
from duty_desk.tui.screens.rowpick import RowPicker
from duty_desk.tui.screens.standing import StandingScreen

TOML = """
[[officers]]
login = "admin"
name = "周主任"
role = "admin"

[[officers]]
login = "tester"
name = "李明"
phone = "13800000000"

[[officers]]
login = "leader"
name = "王军"
role = "leader"
"""
# 2026-07-10 (a Friday in the flood season) 16:40 in Shanghai.
NOW = datetime(2026, 7, 10, 8, 40, tzinfo=timezone.utc)


@pytest.fixture
def opened(tmp_path):
    """open(login) -> a desk on a store with three standing orders: the
    rainfall report at 16:00 (now 40 minutes overdue), the duty report at
    09:00 (done), and one at 17:30 (later today)."""
    path = tmp_path / "c.toml"
    path.write_text(TOML, encoding="utf-8")
    cfg = load_config(str(path))
    url = "sqlite:///" + str(tmp_path / "d.db")
    desks = []

    def open_as(login: str):
        desk = open_desk(cfg, url, login=login)
        desks.append(desk)
        return desk

    clock.set_now(datetime(2026, 7, 10, 0, 0, tzinfo=timezone.utc))  # 08:00
    admin = open_as("admin")
    service.add_order(admin, "每日16:00 报雨情（6月1日至9月30日）", discharge="各站雨量、主要水库水位，报市防指")
    service.add_order(admin, "工作日 09:00 报送值班信息")
    service.add_order(admin, "每日17:30 报送值班快报")
    clock.set_now(NOW)
    tester = open_as("tester")
    done = [i for i in service.bring_due(tester) if i.title == "报送值班信息"]
    service.record_result(tester, done[0].id, "已报送")
    yield open_as
    for d in desks:
        d.close()


async def _open_standing(pilot) -> None:
    await settle(pilot)
    await type_text(pilot, "/定时")
    await pilot.press("enter")
    await settle(pilot)


async def test_slash_standing_opens_the_orders_and_r_records_the_result_which_closes_it(opened):
    desk = opened("tester")
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_standing(pilot)
        screen = app.screen
        assert isinstance(screen, StandingScreen)
        assert [o.title for o in screen.data.orders] == ["报送值班信息", "报雨情", "报送值班快报"]
        assert [i.title for i in screen.data.open] == ["报雨情"]
        assert [u.title for u in screen.data.later] == ["报送值班快报"]
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, StandingResultForm)
        await type_text(pilot, "已报市防指，雨量正常")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StandingScreen) and app.screen.data.open == []
    assert openitems.list_open(desk, kinds="standing") == []


async def test_the_palette_offers_the_standing_orders(opened):
    app = DutyDeskApp(opened("tester"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "定时事项")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StandingScreen)
        assert not app.screen.check_action("add", ())  # an officer neither adds nor voids


async def test_ctrl_g_on_the_desk_asks_which_item_when_a_call_waits_too(opened):
    desk = opened("tester")
    log.record_entry(desk, "东城街道来电反映井盖缺失", "来电", needs_action=True)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, RowPicker)
        keys = [key for key, _label in app.screen.rows]
        assert keys[-1].startswith("standing-") and keys[0].startswith("log-")
        await pilot.press("end", "enter")
        await settle(pilot)
        assert isinstance(app.screen, StandingResultForm)


async def test_an_administrator_adds_an_order_in_one_line(opened):
    app = DutyDeskApp(opened("admin"))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_standing(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, StandingOrderForm)
        await type_text(pilot, "每周一 10:00")  # no title: refused, the form stays with what was typed
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StandingOrderForm)
        await type_text(pilot, " 报安全生产情况")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StandingScreen)
        assert "报安全生产情况" in [o.title for o in app.screen.data.orders]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_the_standing_orders_screen(snap_compare, opened, size):
    assert snap_compare(DutyDeskApp(opened("tester")), terminal_size=size, run_before=_open_standing)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_recording_a_standing_result(snap_compare, opened, size):
    async def run_before(pilot) -> None:
        await _open_standing(pilot)
        await pilot.press("r")
        await settle(pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False  # a steady cursor: the picture does not depend on the moment
        await type_text(pilot, "已报市防指")
        await settle(pilot)

    assert snap_compare(DutyDeskApp(opened("tester")), terminal_size=size, run_before=run_before)


async def test_from_an_occurrences_detail_ctrl_g_records_its_result(opened):
    """F6 → Enter on the rainfall report → Ctrl+G: the standing result form
    (it had offered no result key, and the call's form was the one to hand)."""
    from duty_desk.tui.screens.detail import DetailScreen

    desk = opened("tester")
    (item,) = openitems.list_open(desk, kinds="standing")
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(DetailScreen(desk, "standing", item.id))
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, StandingResultForm)
        await type_text(pilot, "已报市防指")
        await pilot.press("enter")
        await settle(pilot)
    assert openitems.list_open(desk, kinds="standing") == []
