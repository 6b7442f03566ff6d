"""The roster at the desk, driven as an officer drives it: the month view
opened with F11, the palette and ``/排班``; moving by day, week and month
(keys without pauses); today highlighted; National Day 2026 as a holiday
needing two leaders and Saturday 2026-10-10 as 补班; the header naming the
roster's officer and leader with phone and marking someone not rostered; the
notice as the desk opens."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from app_helpers import settle, type_text
from rich.cells import cell_len

from duty_desk.core import clock
from duty_desk.core.config import load_config
from duty_desk.core.opening import open_desk
from duty_desk.core.roster import service
from duty_desk.core.roster.view import duty_of
from duty_desk.tui.app import DutyDeskApp
from duty_desk.tui.header import HeaderBar
from duty_desk.tui.screens.roster import RosterScreen

ROSTER_TOML = """
[[officers]]
login = "admin"
name = "赵敏"
role = "admin"
phone = "13700000001"

[[officers]]
login = "tester"
name = "李明"
role = "officer"
phone = "13800000000"

[[officers]]
login = "incoming"
name = "陈静"
role = "officer"
phone = "13800000002"

[[officers]]
login = "ouyang"
name = "欧阳晓峰"
role = "officer"
phone = "13800000003"

[[officers]]
login = "leader"
name = "王军"
role = "leader"
phone = "13900000001"

[[officers]]
login = "sima"
name = "司马建国"
role = "leader"
phone = "13900000002"
"""

# When the administrator planned October and November (before either began).
PLANNED_AT = datetime(2026, 9, 20, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def open_as(tmp_path, db_path, fixed_clock):
    """A store whose October and November 2026 are planned and published, with
    李明 and 王军 on 2026-11-24 (the fixed clock's day), one leader short on
    the holiday 2026-10-02, nobody on 2026-10-20 and a cover on 2026-10-15.
    ``open_as(login)`` opens a desk on it."""
    path = tmp_path / "roster.toml"
    path.write_text(ROSTER_TOML, encoding="utf-8")
    cfg = load_config(str(path))
    opened = []

    def open_desk_as(login: str):
        desk = open_desk(cfg, "sqlite:///" + str(db_path), login=login)
        opened.append(desk)
        return desk

    clock.set_now(PLANNED_AT)
    admin = open_desk_as("admin")
    for month in ("2026-10", "2026-11"):
        service.plan_month(admin, month)
        service.publish_month(admin, month)
    service.set_duty(admin, date(2026, 10, 2), 0, leaders=["王军"], reason="司马建国外出")
    service.set_duty(admin, date(2026, 10, 20), 0, officers=[], reason="待定")
    absent = duty_of(date(2026, 10, 15), 0, cfg).officers[0]
    service.cover(admin, date(2026, 10, 15), 0, absent, "incoming" if absent != "incoming" else "tester", "病假")
    service.set_duty(admin, date(2026, 11, 24), 0, officers=["李明"], leaders=["王军"], reason="按值班安排")
    clock.set_now(fixed_clock)
    yield open_desk_as
    for desk in opened:
        desk.close()


def roster_screen(app) -> RosterScreen:
    assert isinstance(app.screen, RosterScreen)
    return app.screen


def grid_lines(app) -> list[str]:
    return roster_screen(app).grid.render().plain.split("\n")


def title(app) -> str:
    return str(roster_screen(app).query_one("#roster-title").render())


def day_text(app) -> str:
    return str(roster_screen(app).query_one("#roster-day").render())


def header_line(app) -> str:
    return app.desk_screen.query_one(HeaderBar).render().plain


async def opened_roster(pilot) -> None:
    await settle(pilot)
    await pilot.press("f11")
    await settle(pilot)


# --- opening ----------------------------------------------------------------------


async def test_f11_opens_this_month_with_today_highlighted(open_as):
    app = DutyDeskApp(open_as("tester"))
    async with app.run_test(size=(80, 24)) as pilot:
        await opened_roster(pilot)
        screen = roster_screen(app)
        assert screen.cursor == date(2026, 11, 24)
        assert "2026年11月 排班表" in title(app) and "已发布" in title(app)
        text = screen.grid.render()
        at = text.plain.index("24今")
        style = text.get_style_at_offset(app.console, at)
        assert style.underline and style.bold  # today, and it is where the cursor starts
        other = text.get_style_at_offset(app.console, text.plain.index("25 "))
        assert style.bgcolor != other.bgcolor  # the cursor's day stands out
        assert "全天班  值班 李明  带班 王军 13900000001" in day_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.desk_screen
        assert app.focused is app.desk_screen.entry.input


async def test_the_roster_command_on_the_entry_line_opens_it(open_as):
    app = DutyDeskApp(open_as("tester"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "/排班")
        await pilot.press("enter")
        await settle(pilot)
        assert roster_screen(app).cursor == date(2026, 11, 24)
        await pilot.press("escape")
        await settle(pilot)
        assert app.desk_screen.entry.value == ""  # the command is done


async def test_the_palette_opens_the_roster(open_as):
    app = DutyDeskApp(open_as("tester"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "排班表")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert roster_screen(app).cursor == date(2026, 11, 24)


async def test_the_roster_key_is_rebound_from_the_keymap(open_as, tmp_path):
    desk = open_as("tester")
    desk.cfg.keymap = {"roster": "ctrl+y"}
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f11")
        await settle(pilot)
        assert app.screen is app.desk_screen
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        assert app.desk_screen.keys_by_id()["roster"] == "^y"


# --- moving ---------------------------------------------------------------------------


async def test_keys_move_by_day_week_and_month_without_pauses(open_as):
    app = DutyDeskApp(open_as("tester"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f11", "right", "right", "down", "left", "[", "pageup", "]", "pagedown", "pagedown")
        await settle(pilot)
        # 11-24 → 25 → 26 → 12-03 → 12-02 → 11-02 → 10-02 → 11-02 → 12-02 → 2027-01-02
        assert roster_screen(app).cursor == date(2027, 1, 2)
        assert "2027年1月 排班表" in title(app) and "未排班" in title(app)
        assert "本月尚未排班" in day_text(app)
        await pilot.press("t")
        await settle(pilot)
        assert roster_screen(app).cursor == date(2026, 11, 24)
        assert "已发布" in title(app)
        await pilot.press("up", "up", "up", "up", "left")  # 10-26 (a Monday), then back into October
        await settle(pilot)
        assert roster_screen(app).cursor == date(2026, 10, 26)
        assert "2026年10月 排班表" in title(app)
        assert day_text(app).startswith("2026-10-26 周一")


async def test_national_day_is_a_holiday_with_two_leaders_and_october_10_is_a_workday(open_as):
    app = DutyDeskApp(open_as("tester"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f11", "[", "up", "up", "up", "left", "left")  # 10-24 … 10-03 → 10-01
        await settle(pilot)
        assert roster_screen(app).cursor == date(2026, 10, 1)
        lines = grid_lines(app)
        assert lines[0].split() == ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
        first_week = lines[1]
        assert " 1 休国庆" in first_week and " 3 休国庆" in first_week
        assert " 2 休国 ✎!" in first_week  # one leader of two, since a change after publishing
        assert "/王、缺" in lines[2]  # at 80 columns names give way to the gap (缺)
        detail = day_text(app)
        assert "法定节假日（国庆节）" in detail and "双带班（需 2 名带班领导）" in detail
        assert "13900000001" in detail and "13900000002" in detail  # both leaders, with phones
        await pilot.press("right")
        await settle(pilot)
        assert "缺 1 名带班领导" in day_text(app)
        await pilot.press("down", "right", "right")  # 10-02 → 10-09 → 10-11 … back to 10-10
        await pilot.press("left")
        await settle(pilot)
        assert roster_screen(app).cursor == date(2026, 10, 10)
        assert "10 班" in grid_lines(app)[3]  # the Saturday worked for National Day
        assert "11 周末" in grid_lines(app)[3]  # the Sunday after it is an ordinary weekend
        assert "调休补班（国庆节）" in day_text(app)
        assert "双带班" not in day_text(app)


async def test_a_cover_and_an_empty_day_are_flagged(open_as):
    app = DutyDeskApp(open_as("tester"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f11", "[", "up", "left", "down")  # 10-24 → 10-17 → 10-16 → 10-23 …
        await pilot.press("up", "left")  # … → 10-16 → 10-15
        await settle(pilot)
        assert roster_screen(app).cursor == date(2026, 10, 15)
        lines = grid_lines(app)
        week = lines[5]  # the third week's first line
        assert "15      ⇄✎" in week  # covered, after publishing
        assert "⇄ 换班/替班" in day_text(app) and "✎ 发布后变更" in day_text(app)
        assert "20      ✎!" in lines[7]  # nobody on duty
        assert lines[8].split()[1].startswith("缺/")
        await pilot.press("right", "right", "right", "right", "right")
        await settle(pilot)
        assert "值班 缺" in day_text(app)


async def test_f1_on_the_roster_explains_its_marks(open_as):
    from duty_desk.tui.help import HelpScreen

    app = DutyDeskApp(open_as("tester"))
    async with app.run_test(size=(80, 24)) as pilot:
        await opened_roster(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.query_one("#help-box").border_title == "帮助：排班表"
        assert "调休补班" in str(app.screen.query_one("#help-body").render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)


# --- the header and the notice ------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_the_header_names_the_rostered_officer_and_leader_with_phone(open_as, size):
    app = DutyDeskApp(open_as("tester"))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        line = header_line(app)
        assert "值班 李明" in line and "带班 王军 13900000001" in line
        assert "≠排班" not in line
        assert "您未排在" not in str(app.desk_screen.query_one("#warn-bar").render())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_the_header_marks_someone_on_duty_the_roster_does_not_name(open_as, size):
    app = DutyDeskApp(open_as("incoming"))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        line = header_line(app)
        assert "值班 李明" in line and "≠排班" in line and "带班 王军" in line
        assert cell_len(line) <= size[0]
        if size[0] >= 120:
            assert "实际 陈静" in line  # who is actually here, where there is room
        bar = app.desk_screen.query_one("#warn-bar")
        assert bar.has_class("-shown")
        assert "您未排在 2026-11-24 全天班 值班（排班：李明）" in str(bar.render())


async def test_without_a_roster_the_header_is_as_before_and_nothing_is_said(desk):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = header_line(app)
        assert "值班 李明" in line and "带班 王军" in line and "≠排班" not in line
        assert not app.desk_screen.query_one("#warn-bar").has_class("-shown")
        await pilot.press("f11")
        await settle(pilot)
        assert "未排班" in title(app)
        assert "本月尚未排班" in day_text(app)
        assert "!" not in "".join(grid_lines(app))  # an unplanned month is not all gaps


# --- what the desk says as the day goes -----------------------------------------------


async def test_when_the_evening_comes_the_open_desk_names_tomorrows_people(open_as):
    clock.set_now(datetime(2026, 11, 24, 7, 58, tzinfo=timezone.utc))  # 15:58 in Shanghai
    app = DutyDeskApp(open_as("tester"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = app.desk_screen.query_one("#warn-bar")
        assert "明日值班" not in str(bar.render())
        clock.set_now(datetime(2026, 11, 24, 8, 1, tzinfo=timezone.utc))  # 16:01
        app.desk_screen.tick(clock.now())
        await settle(pilot)
        tomorrow = duty_of(date(2026, 11, 25), 0, app.desk.cfg)
        text = str(bar.render())
        assert bar.has_class("-shown") and "明日值班 2026-11-25 全天班" in text
        assert "带班领导" in text and ("13900000001" in text or "13900000002" in text)
        assert tomorrow.officers  # the roster names someone, and the bar says who
        bar.update("")
        app.desk_screen.tick(clock.now())  # once a duty day, not every second
        await settle(pilot)
        assert "明日值班" not in str(bar.render())


async def test_an_administrator_is_told_as_the_desk_opens_of_a_year_whose_holidays_nobody_entered(open_as):
    app = DutyDeskApp(open_as("admin"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = str(app.desk_screen.query_one("#warn-bar").render())
        assert "自 2027-01-01 起有 22 天的节假日安排未知" in text
    officer = DutyDeskApp(open_as("tester"))
    async with officer.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "节假日安排未知" not in str(officer.desk_screen.query_one("#warn-bar").render())


async def test_the_handover_sheet_on_screen_keeps_its_state_and_time_beside_the_rosters_names(open_as):
    import os

    from rich.console import Console

    from duty_desk.core.services.log import record_entry

    desk = open_as("tester")
    record_entry(desk, "区水务局来电报水库水位正常", category="来电")
    app = DutyDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        content = app.screen.query_one("#handover-content").content
        console = Console(width=110, record=True, file=open(os.devnull, "w"))
        console.print(content)
        text = console.export_text()
        for label in ("值班日", "状态", "班次", "交班人", "带班领导", "接班人", "交班时间", "排班值班员", "排班接班人"):
            assert label in text, label
        assert "值班中" in text  # the state itself, not a roster row in its place
