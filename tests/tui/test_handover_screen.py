"""The handover screen (交接班): the outgoing officer previews the sheet,
writes notes and hands over; the incoming officer (another login) reads back
every carried-over item and accepts. Pilot tests against a real SQLite file
with the clock fixed at T0 (2026-11-24 10:00), plus snapshots of the screen.

Update the snapshots with
``pytest tests/tui/test_handover_screen.py --snapshot-update`` and look at the
SVGs before committing them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from app_helpers import settle, type_text
from rich.console import Console
from textual.app import App
from textual.widgets import Input, Static, TextArea

from duty_desk.core import audit, openitems
from duty_desk.core.demo import fill_demo_day
from duty_desk.core.handover import flow as ho
from duty_desk.core.handover import sheet_of
from duty_desk.core.models import AuditEvent, Handover, HandoverItem, Shift
from duty_desk.core.services.common import current_shift
from duty_desk.tui.app import DutyDeskApp
from duty_desk.tui.help import HelpScreen
from duty_desk.tui.screens.handover import ConfirmStep, HandoverScreen
from duty_desk.tui.theme import DUTY_DESK

ROOT = Path(__file__).resolve().parents[2]
RESTATED = "先电话催问市城管局处置进展，再回复东城街道孙立"


class Host(App[None]):
    """Just the handover screen, themed and styled as in the desk."""

    CSS_PATH = ROOT / "app.tcss"

    def __init__(self, desk) -> None:
        super().__init__()
        self.desk = desk

    def on_mount(self) -> None:
        self.register_theme(DUTY_DESK)
        self.theme = "duty-desk"
        self.push_screen(HandoverScreen(self.desk))


@pytest.fixture
def demo(desk):
    """The demo day recorded by 李明 (login tester) up to 10:00."""
    fill_demo_day(desk)
    return current_shift(desk)


@pytest.fixture
def handed_over(desk, demo):
    """李明 has handed over the demo day; 陈静 (login incoming) is to take over."""
    return ho.hand_over(desk, "城西区危房排查结果待续报，夜间注意雨情。")


@pytest.fixture
def incoming(make_desk, fixed_clock):
    return make_desk("incoming")


def plain(renderable, width: int = 100) -> str:
    console = Console(width=width, record=True, file=open(os.devnull, "w"))
    console.print(renderable)
    return console.export_text()


def shown(screen: HandoverScreen, part: str, width: int = 100) -> str:
    """What one part of the screen shows, as plain text."""
    widget = screen.query_one(f"#handover-{part}", Static)
    return plain(widget.content, width) if widget.display else ""


async def open_from_desk(pilot) -> HandoverScreen:
    await settle(pilot)
    await pilot.press("f8")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, HandoverScreen)
    return screen


async def confirm(pilot) -> None:
    assert isinstance(pilot.app.screen, ConfirmStep)
    await pilot.press("enter")
    await settle(pilot)


# --- the outgoing officer -----------------------------------------------------------


async def test_outgoing_officer_previews_writes_notes_and_hands_over(desk, demo):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_from_desk(pilot)
        sheet = shown(screen, "content")
        assert "预览" in sheet and "移交未结事项（7 项）" in sheet and "城西区一居民楼燃气泄漏引发火情" in sheet
        await pilot.press("tab")
        notes = screen.query_one("#handover-notes", TextArea)
        assert screen.focused is notes
        notes.insert("城西区危房排查结果待续报，[bold]夜间[/bold]注意雨情。")
        await pilot.press("f8")
        await settle(pilot)
        assert "锁定" in plain(pilot.app.screen.query_one("#handover-confirm-body", Static).content)
        await confirm(pilot)

        assert Shift.get_by_id(demo.id).state == "handed_over"
        handover = Handover.get(Handover.shift == demo.id)
        assert handover.outgoing == "tester"
        assert handover.notes == "城西区危房排查结果待续报，[bold]夜间[/bold]注意雨情。"
        assert [e.action for e in audit.history("shift", demo.id)][-1] == "hand_over"
        assert len(ho.items_of(handover.id)) == 7
        # The screen now shows the frozen sheet, notes as typed (not as markup), and waits.
        assert pilot.app.screen is screen and screen.view.mode == "handed"
        frozen = shown(screen, "content")
        assert "预览" not in frozen and "[bold]夜间[/bold]注意雨情" in frozen
        assert sheet_of(desk, Shift.get_by_id(demo.id)).audit_short in frozen
        assert "待接班" in shown(screen, "status") and "已交班" in shown(screen, "message")
        assert "已交班待接班" in str(screen.query_one("#handover-box").border_title)
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is app.desk_screen


async def test_cancelling_the_confirm_step_hands_nothing_over(desk, demo):
    app = Host(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HandoverScreen) and app.screen.view.mode == "preview"
        assert Shift.get_by_id(demo.id).state == "open" and not Handover.select().exists()


async def test_a_refused_hand_over_shows_why_and_keeps_the_notes(demo, incoming):
    # 陈静 did not sit 李明's shift: the core refuses, the screen says why.
    app = Host(incoming)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("tab")
        screen.query_one("#handover-notes", TextArea).insert("夜间注意雨情")
        await pilot.press("f8")
        await settle(pilot)
        await confirm(pilot)
        assert "陈静 不是 2026-11-24 全天班 的值班员" in shown(screen, "message")
        assert screen.query_one("#handover-notes", TextArea).text == "夜间注意雨情"
        assert Shift.get_by_id(demo.id).state == "open"
        assert AuditEvent.get(AuditEvent.outcome == "failure").action == "hand_over"


async def test_notes_not_yet_handed_over_survive_closing_the_screen(desk, demo):
    app = Host(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#handover-notes", TextArea).insert("夜间注意雨情")
        await pilot.press("escape")
        await settle(pilot)
        app.push_screen(HandoverScreen(desk))
        await settle(pilot)
        assert app.screen.query_one("#handover-notes", TextArea).text == "夜间注意雨情"


# --- the incoming officer -------------------------------------------------------------


async def test_incoming_officer_cannot_accept_before_reading_back_every_item(handed_over, incoming):
    app = Host(incoming)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.view.mode == "incoming"
        assert "已复述 0/7" in shown(screen, "item")
        await pilot.press("f8")  # no confirm step: it cannot succeed yet
        await settle(pilot)
        assert "尚有 7 项未由本人复述" in shown(screen, "message")
        assert Shift.get_by_id(handed_over.__data__["shift"]).state == "handed_over"


async def test_incoming_officer_confirms_restates_and_accepts_taking_over_the_items(
        handed_over, incoming):
    items = ho.items_of(handed_over.id)
    app = DutyDeskApp(incoming)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_desk(pilot)
        assert isinstance(screen.focused, Input)
        assert items[0].summary in shown(screen, "item")
        await pilot.press("enter")  # confirm the first next action as written
        await settle(pilot)
        assert "已复述 1/7" in shown(screen, "item") and items[1].summary in shown(screen, "item")
        await type_text(pilot, RESTATED)
        await pilot.press("enter")  # restate the second
        await settle(pilot)
        assert "已复述 2/7" in shown(screen, "item")
        assert screen.query_one("#handover-restate", Input).value == ""
        await pilot.press("f8")  # five still to go
        await settle(pilot)
        assert "尚有 5 项未由本人复述" in shown(screen, "message")
        for _ in range(5):
            await pilot.press("enter")
            await settle(pilot)
        assert "已复述 7/7" in shown(screen, "item") and "按 F8 接班" in shown(screen, "item")
        await pilot.press("f8")
        await settle(pilot)
        assert "转由你负责" in plain(pilot.app.screen.query_one("#handover-confirm-body", Static).content)
        await confirm(pilot)

        shift = Shift.get_by_id(handed_over.__data__["shift"])
        accepted = Handover.get_by_id(handed_over.id)
        assert shift.state == "accepted" and accepted.accepted_by == "incoming"
        stored = {i.id: i for i in HandoverItem.select()}
        assert stored[items[0].id].readback == items[0].next_action
        assert stored[items[1].id].readback == RESTATED
        assert all(i.read_back_by == "incoming" for i in stored.values())
        restated = [json.loads(e.new)["restated"] for e in audit.history("handover", handed_over.id)
                    if e.action == "read_back"]
        assert restated == [False, True, False, False, False, False, False]
        # Every open item the outgoing officer owned is now the incoming one's.
        assert {i.owner for i in openitems.list_open(incoming)} == {"incoming"}
        assert "陈静 已于 2026-11-24 10:00 接班" in shown(screen, "status")
        assert RESTATED in shown(screen, "content", width=90)
        assert screen.check_action("accept", ()) is False


async def test_accepting_a_shift_already_accepted_is_refused_with_the_reason(handed_over, incoming, make_desk):
    for item in ho.items_of(handed_over.id):
        ho.read_back(incoming, item.id)
    app = Host(incoming)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert "已复述 7/7" in shown(screen, "item")
        # Meanwhile 陈静 accepts it from another session.
        ho.accept(make_desk("incoming"), handed_over.id)
        await pilot.press("f8")
        await settle(pilot)
        await confirm(pilot)
        assert "不能重复接班" in shown(screen, "message") and "陈静" in shown(screen, "message")
        # The screen reads the store again and shows who accepted and when.
        assert screen.view.mode == "accepted" and "陈静 已于" in shown(screen, "status")
        assert AuditEvent.select().where((AuditEvent.outcome == "failure")
                                         & (AuditEvent.action == "accept")).count() == 1


async def test_a_restatement_typed_for_one_item_stays_with_it_while_moving(handed_over, incoming):
    app = Host(incoming)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await type_text(pilot, RESTATED)
        await pilot.press("down")
        assert "第 2/7 项" in shown(screen, "item")
        assert screen.query_one("#handover-restate", Input).value == ""
        await pilot.press("up")
        assert "第 1/7 项" in shown(screen, "item")
        assert screen.query_one("#handover-restate", Input).value == RESTATED
        assert HandoverItem.select().where(HandoverItem.readback.is_null(False)).count() == 0


async def test_the_outgoing_officer_sees_the_handover_waiting_not_a_read_back(desk, handed_over):
    app = Host(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.view.mode == "handed"
        assert not screen.query_one("#handover-readback").display
        assert "待接班" in shown(screen, "status")
        assert screen.check_action("accept", ()) is False and screen.check_action("read_back", ()) is False


# --- help and palette -------------------------------------------------------------------


async def test_f1_explains_the_handover_and_lists_its_keys(desk, demo):
    app = Host(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        body = plain(app.screen.query_one("#help-body", Static).content)
        keys = plain(app.screen.query_one("#help-keys", Static).content)
        assert "复述" in body and "接班" in body
        assert "交班" in keys and "f8" in keys.lower()


async def test_the_palette_offers_the_steps_that_apply_now(handed_over, incoming, desk):
    app = Host(incoming)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        labels = [name for name, _run, _help in app.screen.palette_commands()]
        assert "接班" in labels and "确认/改述" in labels and "交班" not in labels
    app = Host(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        labels = [name for name, _run, _help in app.screen.palette_commands()]
        assert "接班" not in labels and "交班" not in labels  # handed over: waiting


# --- snapshots --------------------------------------------------------------------------


def test_handover_preview_snapshot(snap_compare, desk, demo):
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.screen.query_one("#handover-notes", TextArea).insert("城西区危房排查结果待续报，夜间注意雨情。")
        await pilot.press("pagedown")  # the sheet has focus: its own page key
        await pilot.wait_for_scheduled_animations()
        await settle(pilot)

    assert snap_compare(Host(desk), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_handover_read_back_snapshot(snap_compare, handed_over, incoming, size):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("enter")  # the first confirmed
        await settle(pilot)
        await type_text(pilot, RESTATED)  # the second being restated
        await pilot.press("pagedown", "pagedown")  # the screen's page keys, from the input
        await pilot.wait_for_scheduled_animations()
        await settle(pilot)

    assert snap_compare(Host(incoming), terminal_size=size, run_before=run_before)


async def test_a_quiet_shift_is_handed_over_and_accepted_with_nothing_to_read_back(desk, incoming):
    # Nobody has recorded anything: looking writes nothing, handing over starts the shift.
    app = Host(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.view.shift_id is None and not Shift.select().exists()
        await pilot.press("f8")
        await settle(pilot)
        await confirm(pilot)
        assert Shift.get().state == "handed_over"
    app = Host(incoming)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert "已复述 0/0" in shown(screen, "item") and not screen.query_one("#handover-restate").display
        await pilot.press("f8")
        await settle(pilot)
        await confirm(pilot)
        assert Shift.get().state == "accepted" and screen.view.mode == "accepted"


async def test_a_full_disk_while_handing_over_names_the_file_and_keeps_the_notes(desk, demo, db_path, monkeypatch):
    import sqlite3

    def disk_full(*_args, **_kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(ho, "hand_over", disk_full)
    app = Host(desk)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("tab")
        screen.query_one("#handover-notes", TextArea).insert("夜间注意雨情")
        await pilot.press("f8")
        await settle(pilot)
        await confirm(pilot)
        said = shown(screen, "message", width=300).replace("\n", "")
        assert "磁盘已满" in said and str(db_path) in said and "OperationalError" not in said
        assert screen.query_one("#handover-notes", TextArea).text == "夜间注意雨情"
        assert Shift.get_by_id(demo.id).state == "open"
