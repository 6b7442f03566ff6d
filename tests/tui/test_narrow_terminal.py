"""At 80x24, the smallest terminal an office PC over SSH gives: the footer
stays on one line with the keys of the pane in use, the open-items titles
stay readable, a long visitor name keeps every column on screen, and the
command palette speaks the UI language. A real SQLite file, the clock fixed."""

from __future__ import annotations

from datetime import timedelta

from app_helpers import settle
from conftest import T0
from rich.cells import cell_len
from textual.command import CommandPalette
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from duty_desk.core import clock
from duty_desk.core.demo import fill_demo_day
from duty_desk.core.services import chasing, log, visitors
from duty_desk.tui.app import DutyDeskApp


def footer_keys(app: DutyDeskApp) -> list[FooterKey]:
    return list(app.desk_screen.query(FooterKey))


async def test_the_footer_fits_80_columns_wherever_the_focus_is(desk):
    fill_demo_day(desk)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        own = {"log": "ctrl+g", "visitors": "ctrl+o", "documents": "ctrl+n", "urgent": "ctrl+t"}
        for stop in ("entry", "log", "visitors", "documents", "urgent"):
            await settle(pilot)
            keys = footer_keys(app)
            assert keys, stop
            assert all(k.region.right <= 80 for k in keys), (stop, [(k.key, k.region) for k in keys])
            shown = {k.key for k in keys}
            assert {"f1", "f8"} <= shown, (stop, shown)
            if stop in own:
                assert own[stop] in shown, (stop, shown)
            await pilot.press("tab")


async def test_the_footer_shows_every_desk_key_again_when_there_is_room(desk):
    fill_demo_day(desk)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("tab", "tab")  # a pane with its own keys: some desk keys give way
        await settle(pilot)
        assert "f7" not in {k.key for k in footer_keys(app)}
        await pilot.resize_terminal(160, 40)
        await settle(pilot)
        assert {"f2", "f3", "f4", "f6", "f7", "f8"} <= {k.key for k in footer_keys(app)}


async def test_open_items_titles_stay_readable_at_80_columns(desk):
    from duty_desk.tui.panes.base import DeskTable
    from duty_desk.tui.screens.open_items import OpenItemsScreen

    title = "城东路段窨井盖缺失请求协调处置并回复处置结果"
    clock.set_now(T0 - timedelta(hours=30))  # yesterday: long overdue, chased since
    call = log.record_entry(desk, title, "来电", needs_action=True)
    for n in range(12):
        clock.set_now(T0 - timedelta(hours=29 - n))
        chasing.record_chase(desk, "log", call.id, f"市城管局第{n + 1}科", "电话", "正在处置，稍后答复")
    clock.set_now(T0)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, OpenItemsScreen)
        table = app.screen.query_one(DeskTable)
        shown = table.get_row(f"log-{call.id}")[1].plain
        assert cell_len(shown) >= 20 and shown.startswith(title[:10])
        used = sum(c.get_render_width(table) for c in table.ordered_columns)
        assert used <= table.size.width  # every column on screen


async def test_a_long_visitor_name_keeps_every_column_on_screen(desk):
    visitors.register_visitor(desk, "欧阳" + "慕容" * 12 + "先生", unit="市住房和城乡建设局城市更新处",
                              host="办公室主任赵强同志及综合科全体同志", purpose="反映情况")
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("tab", "tab")  # the visitors pane
        await settle(pilot)
        table = app.desk_screen.pane("visitors").table
        used = sum(c.get_render_width(table) for c in table.ordered_columns)
        assert used <= table.size.width
        cells = [c.plain for c in table.get_row_at(0)]
        assert cells[-1]  # the waiting time, the last column, is there
        assert cells[1].startswith("欧阳") and cells[1].endswith("…")


async def test_the_command_palette_prompt_speaks_the_ui_language(desk):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(Input).placeholder == "输入操作名称查找…"
