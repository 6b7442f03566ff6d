"""History in the desk, driven as an officer drives it: F10 opens the duty
day before, [ and ] step, d jumps to a date, t or Esc comes back to today;
the day shown is read-only, marked as not today, and stays put while other
sessions write."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from app_helpers import column, settle, type_text
from conftest import T0

from duty_desk.core import clock
from duty_desk.core.handover import flow as ho
from duty_desk.core.services import log, visitors
from duty_desk.tui.app import DeskCommands, DutyDeskApp
from duty_desk.tui.header import HeaderBar
from duty_desk.tui.screens.detail import DetailScreen

TODAY = date(2026, 11, 24)  # the duty day of T0
YESTERDAY = TODAY - timedelta(days=1)


def at_local(day: date, hh: int, mm: int) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=timezone(timedelta(hours=8))).astimezone(
        timezone.utc)


def header_text(app: DutyDeskApp) -> str:
    return app.desk_screen.query_one(HeaderBar).render().plain


def bar_text(app: DutyDeskApp) -> str:
    return str(app.desk_screen.query_one("#history-bar").render())


def title(app: DutyDeskApp, pane: str) -> str:
    return str(app.desk_screen.pane(pane).border_title)


@pytest.fixture
def two_days(desk):
    """Yesterday: a call, a visitor who left; today: one note."""
    clock.set_now(T0 - timedelta(days=1))
    log.record_entry(desk, "区气象台来电：今晚有寒潮", "来电")
    v = visitors.register_visitor(desk, "钱秀英", unit="市水务局")
    visitors.check_out(desk, v.id)
    clock.set_now(T0)
    log.record_entry(desk, "今天：检查值班电话", "记事")
    return desk


async def test_f10_opens_the_day_before_marked_as_not_today_and_read_only(two_days):
    app = DutyDeskApp(two_days)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        screen = app.desk_screen
        assert screen.history_day == YESTERDAY
        assert "历史 · 非今日" in header_text(app) and "2026-11-23 周一" in header_text(app)
        assert column(app, "log", "content") == ["区气象台来电：今晚有寒潮"]
        assert screen.pane("visitors").items[0].name == "钱秀英"  # she left: still that day's visitor
        assert not screen.entry.display and screen.query_one("#history-bar").display
        assert "只读" in bar_text(app)
        assert screen.pane("log").has_focus_within  # no entry line to type in


async def test_stepping_back_and_forth_stops_at_today_which_is_the_live_desk(two_days):
    app = DutyDeskApp(two_days)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f10", "[")
        await settle(pilot)
        assert app.desk_screen.history_day == TODAY - timedelta(days=2)
        await pilot.press("]")
        await settle(pilot)
        assert app.desk_screen.history_day == YESTERDAY
        await pilot.press("]")  # the day after yesterday is today: the live desk
        await settle(pilot)
        assert app.desk_screen.history_day is None
        assert "历史" not in header_text(app)
        assert column(app, "log", "content") == ["今天：检查值班电话"]
        assert app.desk_screen.entry.display and app.focused is app.desk_screen.entry.input
        await type_text(pilot, "]")  # on the live desk ] is typed, not a step
        assert app.desk_screen.entry.value == "]" and app.desk_screen.history_day is None


async def test_a_step_across_0830_finds_the_0829_record_on_the_day_before(desk):
    clock.set_now(at_local(YESTERDAY, 8, 29))
    log.record_entry(desk, "08:29 夜班最后一个来电", "来电")
    clock.set_now(at_local(YESTERDAY, 8, 31))
    log.record_entry(desk, "08:31 接班检查", "记事")
    clock.set_now(T0)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        assert column(app, "log", "content") == ["08:31 接班检查"]
        await pilot.press("[")
        await settle(pilot)
        assert app.desk_screen.history_day == TODAY - timedelta(days=2)
        assert column(app, "log", "content") == ["08:29 夜班最后一个来电"]
        assert column(app, "log", "time") == ["08:29"]


async def test_a_day_with_no_records_says_so_in_every_pane(two_days):
    app = DutyDeskApp(two_days)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f10", "[", "[")
        await settle(pilot)
        assert app.desk_screen.history_day == TODAY - timedelta(days=3)
        assert "2026-11-21 当日无记录" in title(app, "log")
        for pane in ("visitors", "documents", "urgent"):
            assert "当日无记录" in title(app, pane), pane
            assert app.desk_screen.pane(pane).table.row_count == 0
        assert "当日无人使用值班台" in header_text(app)


async def test_every_key_that_writes_is_refused_in_history_and_says_why(two_days):
    from duty_desk.tui.forms.base import DeskForm

    app = DutyDeskApp(two_days)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        for key in ("f2", "f3", "f4", "f7", "f9", "ctrl+g", "ctrl+f", "ctrl+l", "ctrl+o", "ctrl+r"):
            await pilot.press(key)
            await settle(pilot)
            assert not isinstance(app.screen, DeskForm), key
            assert app.screen is app.desk_screen, key
            assert "历史值班日只读" in bar_text(app) and "回到今天" in bar_text(app), key
        assert log.entries_of_day(YESTERDAY)[0].content == "区气象台来电：今晚有寒潮"


async def test_a_records_detail_opens_read_only_from_history(two_days):
    app = DutyDeskApp(two_days)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("enter")  # the log has the focus: its highlighted entry
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, DetailScreen) and detail.read_only
        assert "只读" in detail.render_detail(detail.detail).renderables[0].plain  # said first
        assert "void" in detail.detail.actions  # the record itself allows it …
        assert detail.check_action("void", ()) is False  # … but not from history
        await pilot.press("v")
        await settle(pilot)
        assert app.screen is detail
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.desk_screen and app.desk_screen.history_day == YESTERDAY


async def test_d_jumps_to_a_typed_date_and_a_wrong_one_is_explained(two_days):
    from duty_desk.tui.screens.history_date import HistoryDatePrompt

    app = DutyDeskApp(two_days)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f10", "d")
        await settle(pilot)
        prompt = app.screen
        assert isinstance(prompt, HistoryDatePrompt)
        field = prompt.query_one("#history-date-input")
        field.value = "2026-12-01"  # after today
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is prompt
        assert "还没有到" in str(prompt.query_one("#history-date-status").render())
        field.value = "11-20"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.desk_screen and app.desk_screen.history_day == date(2026, 11, 20)
        await pilot.press("d")
        await settle(pilot)
        app.screen.query_one("#history-date-input").value = "昨天"
        await pilot.press("enter")
        await settle(pilot)
        assert app.desk_screen.history_day == YESTERDAY


@pytest.mark.parametrize("key", ["t", "escape"])
async def test_one_key_brings_back_today_with_current_data(two_days, make_desk, key):
    app = DutyDeskApp(two_days)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        log.record_entry(make_desk("incoming"), "陈静：已通知城管局到场处置", "记事")
        await pilot.press(key)
        await settle(pilot)
        assert app.desk_screen.history_day is None
        assert column(app, "log", "content") == ["今天：检查值班电话", "陈静：已通知城管局到场处置"]
        assert app.focused is app.desk_screen.entry.input


async def test_another_sessions_write_does_not_pull_history_back_to_today(two_days, make_desk):
    app = DutyDeskApp(two_days)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app._poll()  # the first look learns the head
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        other = make_desk("incoming")
        log.record_entry(other, "陈静：已通知城管局到场处置", "记事")
        visitors.register_visitor(other, "孙丽", unit="市卫健委")
        app._poll()
        await settle(pilot)
        assert app.desk_screen.history_day == YESTERDAY
        assert column(app, "log", "content") == ["区气象台来电：今晚有寒潮"]
        assert [v.name for v in app.desk_screen.pane("visitors").items] == ["钱秀英"]
        assert "历史 · 非今日" in header_text(app)


async def test_f8_in_history_shows_the_days_handover_sheet(desk, make_desk):
    from duty_desk.tui.screens.history_sheets import HistorySheets

    clock.set_now(T0 - timedelta(days=1))
    log.record_entry(desk, "区应急管理局来电询问值守情况", "来电", needs_action=True)
    handover = ho.hand_over(desk, "夜间注意寒潮预警")
    incoming = make_desk("incoming")
    for item in ho.items_of(handover.id):
        ho.read_back(incoming, item.id)
    ho.accept(incoming, handover.id)
    clock.set_now(T0)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f10", "f8")
        await settle(pilot)
        assert isinstance(app.screen, HistorySheets)
        shown = app.screen.sheets
        assert len(shown) == 1 and shown[0].handed_over and shown[0].sheet.notes == "夜间注意寒潮预警"
        assert "2026-11-23" in str(app.screen.query_one("#history-sheets-box").border_title)
        await pilot.press("escape", "[", "f8")  # a day nobody used the desk
        await settle(pilot)
        assert app.screen.sheets == []
        assert "没有班次记录" in str(app.screen.query_one("#history-sheets-content").render())


async def test_the_palette_offers_history_and_its_keys(two_days):
    app = DutyDeskApp(two_days)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        hits = {str(h.display): h for h in [hit async for hit in DeskCommands(app.desk_screen).discover()]}
        assert hits["历史值班日：前一天（只读查看）"].help == "按键 F10"
        assert hits["历史：跳到某个值班日"].help == "按键 d"
        await hits["历史值班日：前一天（只读查看）"].command()
        await settle(pilot)
        assert app.desk_screen.history_day == YESTERDAY
        await hits["回到今天（实时值班台）"].command()
        await settle(pilot)
        assert app.desk_screen.history_day is None
