"""Row keys act on the row the officer sees: in its pane the highlighted row,
from the entry line the only row or the one the officer picks (named in
full), and a second phone report of an item within minutes is asked about.
A real SQLite file, the clock fixed (T0 = 2026-11-24 10:00)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from app_helpers import settle
from conftest import T0
from textual.widgets import OptionList

from duty_desk.core import clock
from duty_desk.core.demo import fill_demo_day
from duty_desk.core.models import UrgentEvent
from duty_desk.core.services import log, urgent
from duty_desk.tui.app import DutyDeskApp
from duty_desk.tui.screens.confirm import ConfirmStep
from duty_desk.tui.screens.rowpick import RowPicker


def phone_reports(item_id: int | None = None) -> int:
    query = UrgentEvent.select().where(UrgentEvent.kind == "phone_report")
    if item_id is not None:
        query = query.where(UrgentEvent.item == item_id)
    return query.count()


@pytest.fixture
def two_urgent(desk):
    """An older 一般 item, and a 重大 (II) one received just now that is due first."""
    clock.set_now(T0 - timedelta(hours=1))
    older = urgent.open_urgent(desk, "城西区老旧小区围墙局部倒塌", "事故灾难", "IV")
    clock.set_now(T0)
    newer = urgent.open_urgent(desk, "东江大桥客车侧翻多人受伤", "事故灾难", "II")
    return older, newer


def option_texts(picker: RowPicker) -> list[str]:
    options = picker.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_ctrl_r_from_the_entry_line_asks_which_of_two_urgent_items_and_records_the_one_picked(
        desk, two_urgent):
    older, newer = two_urgent
    app = DutyDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = app.desk_screen.pane("urgent")
        assert pane.table.row_keys()[0] == str(newer.id)  # the new II级 item sits on top
        older_row = pane.item_by_key(str(older.id))
        pane.move_to(older_row)  # the cursor was left on the older one
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, RowPicker)
        texts = option_texts(app.screen)
        assert any(newer.title in s for s in texts) and any(older.title in s for s in texts)
        assert app.screen.query_one(OptionList).highlighted == 0  # the top row first
        assert phone_reports() == 0  # nothing recorded while asking
        await pilot.press("enter")
        await settle(pilot)
        assert phone_reports(newer.id) == 1 and phone_reports(older.id) == 0
        assert pane.highlighted_id() == newer.id  # the row acted on is the one highlighted


async def test_escape_in_the_picker_records_nothing(desk, two_urgent):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert phone_reports() == 0 and not isinstance(app.screen, RowPicker)


async def test_a_second_phone_report_of_the_same_item_within_minutes_is_asked_about(desk, two_urgent):
    _older, newer = two_urgent
    app = DutyDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.desk_screen.action_focus_urgent()
        await settle(pilot)
        await pilot.press("ctrl+r")  # in the pane, on the highlighted row: one key
        await settle(pilot)
        assert phone_reports(newer.id) == 1
        clock.set_now(T0 + timedelta(minutes=3))
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmStep)
        body = app.screen.body
        assert "10:00" in body and "李明" in body and newer.title in body
        await pilot.press("escape")
        await settle(pilot)
        assert phone_reports(newer.id) == 1
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert phone_reports(newer.id) == 2


async def test_ctrl_r_from_the_entry_line_names_the_only_urgent_item_before_recording(desk):
    fill_demo_day(desk)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        item = app.desk_screen.pane("urgent").items[0]
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmStep)
        assert item.title in app.screen.body
        before = phone_reports(item.id)
        await pilot.press("enter")
        await settle(pilot)
        assert phone_reports(item.id) == before + 1
        status = str(app.desk_screen.query_one("#entry-status").render())
        assert "电话报告" in status  # the status line says the latest thing done


async def test_ctrl_g_from_the_entry_line_asks_which_call_awaits_its_result(desk):
    from duty_desk.tui.forms import ResultForm

    first = log.record_entry(desk, "东城街道来电反映积水，需回复。", "来电", needs_action=True)
    second = log.record_entry(desk, "市气象台来电询问雨量站数据，需回复。", "来电", needs_action=True)
    log.record_entry(desk, "设备巡检正常。")
    app = DutyDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, RowPicker)
        texts = option_texts(app.screen)
        assert len(texts) == 2 and "设备巡检" not in " ".join(texts)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ResultForm) and app.screen.log_id == second.id
        assert app.desk_screen.pane("log").highlighted_id() == second.id
        assert first.id != second.id


async def test_a_stale_recorded_note_under_the_entry_line_clears_after_another_action(desk):
    from app_helpers import type_text

    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "设备巡检正常")
        await pilot.press("enter")
        await settle(pilot)
        status = app.desk_screen.query_one("#entry-status")
        assert "#1" in str(status.render())
        await pilot.press("f2")  # a form opened and closed again
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert "#1" not in str(status.render())


async def test_a_second_phone_report_from_the_detail_within_minutes_is_asked_about(desk, two_urgent):
    from duty_desk.tui.screens.detail import DetailScreen

    _older, newer = two_urgent
    app = DutyDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_detail("urgent", newer.id)
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("p")
        await settle(pilot)
        assert phone_reports(newer.id) == 1
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmStep) and "10:00" in app.screen.body
        await pilot.press("escape")
        await settle(pilot)
        assert phone_reports(newer.id) == 1 and isinstance(app.screen, DetailScreen)
