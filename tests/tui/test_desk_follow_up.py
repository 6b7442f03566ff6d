"""Loose ends of the desk: what the core tells the command line (ID numbers
masked, store warnings, store faults naming the file) the desk tells too,
and the desk anchors the audit head while it stays open all shift."""

from __future__ import annotations

import sqlite3

from app_helpers import Host, settle, type_text

from duty_desk.core import db as store
from duty_desk.core.models import LogEntry, Visitor
from duty_desk.core.services import log, visitors
from duty_desk.tui.app import DutyDeskApp
from duty_desk.tui.forms import VisitorForm
from duty_desk.tui.forms.base import DeskForm

GOOD_ID = "11010519491231002X"
MASKED = "110105********002X"


def entry_status(app: DutyDeskApp) -> str:
    return str(app.desk_screen.query_one("#entry-status").render())


def notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def disk_full(*_args, **_kwargs):
    raise sqlite3.OperationalError("database or disk is full")


# --- ID numbers masked -------------------------------------------------------------


async def test_an_id_number_typed_on_the_entry_line_is_masked_and_the_desk_says_so(desk):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, f"来访人身份证{GOOD_ID}，反映积水")
        await pilot.press("enter")
        await settle(pilot)
        assert LogEntry.get().content == f"来访人身份证{MASKED}，反映积水"
        assert any("已对身份证号作遮盖处理" in n for n in notes(app))


async def test_an_id_number_typed_in_a_form_field_is_masked_and_the_desk_says_so(desk):
    app = Host(lambda: VisitorForm(desk, name="张建国", purpose=f"替{GOOD_ID}办事"))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert Visitor.get().purpose == f"替{MASKED}办事"
        said = [n for n in notes(app) if "已对身份证号作遮盖处理" in n]
        assert said and "事由" in said[0]  # the field is named


async def test_a_record_without_an_id_number_says_nothing_of_masking(desk):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "区气象台来电：今晚有暴雨")
        await pilot.press("enter")
        await settle(pilot)
        assert LogEntry.select().count() == 1
        assert not any("遮盖" in n for n in notes(app))


# --- store faults ------------------------------------------------------------------


async def test_a_full_disk_on_the_entry_line_names_the_file_and_keeps_the_text(desk, db_path, monkeypatch):
    monkeypatch.setattr(log, "record_entry", disk_full)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "区气象台来电：今晚有暴雨")
        await pilot.press("enter")
        await settle(pilot)
        assert app.desk_screen.entry.value == "区气象台来电：今晚有暴雨"
        status = entry_status(app)
        assert "磁盘已满" in status and db_path.name in status.replace("\n", "")
        assert "OperationalError" not in status


async def test_a_full_disk_while_saving_a_form_names_the_file_and_keeps_the_form(desk, db_path, monkeypatch):
    monkeypatch.setattr(visitors, "register_visitor", disk_full)
    app = Host(lambda: VisitorForm(desk, name="张建国", unit="城关街道办事处"))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeskForm)
        said = str(screen.query_one("#form-message").content)
        assert "磁盘已满" in said and str(db_path) in said
        assert screen.raw_value("name") == "张建国" and screen.raw_value("unit") == "城关街道办事处"
        assert app.results == []


# --- store warnings and the anchor ---------------------------------------------------


async def test_store_warnings_found_on_opening_are_shown_with_the_bell_until_dismissed(desk, monkeypatch):
    warning = "审计日志的保护触发器曾被删除：audit_no_update。已记入审计日志并重新安装，请报告管理员核查"
    monkeypatch.setattr(store, "_warnings", [warning])
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = [n for n in app._notifications if warning in str(n.message)]
        assert shown and shown[0].severity == "error"
        assert shown[0].timeout >= 24 * 3600  # stays until the officer dismisses it
        assert app.bells >= 1
    assert store.store_warnings() == []  # told once


async def test_the_open_desk_anchors_the_audit_head_every_few_minutes(desk, monkeypatch):
    from duty_desk.core import anchor

    calls = []

    def spy(db, anchor_file, force=False):
        import threading

        calls.append((db, anchor_file, threading.current_thread() is threading.main_thread()))
        return False

    monkeypatch.setattr(anchor, "maybe_write", spy)
    app = DutyDeskApp(desk)
    app.anchor_seconds = 0.05
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(40):
            if len(calls) >= 2:
                break
            await pilot.pause(0.05)
            await app.workers.wait_for_complete()
    assert len(calls) >= 2
    assert all(db is desk.db and f == desk.cfg.anchor_file and not on_loop for db, f, on_loop in calls)


# --- the desk runs no query of its own ------------------------------------------------


def _model_uses(path) -> list[str]:
    """Where a module of the desk imports the store's models (to query them)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "duty_desk.core.models":
            found.append(f"{path.name}:{node.lineno}: {', '.join(a.name for a in node.names)}")
    return found


def test_the_handover_screen_and_the_follow_up_forms_leave_queries_to_the_core():
    from pathlib import Path

    tui = Path(__file__).resolve().parents[2] / "duty_desk" / "tui"
    assert _model_uses(tui / "screens" / "handover.py") == []
    assert _model_uses(tui / "forms" / "followup.py") == []
    # And so does every other module of the desk.
    assert [use for path in sorted(tui.rglob("*.py")) for use in _model_uses(path)] == []


async def test_the_handover_preview_is_of_the_officers_own_open_shift(desk):
    """Moved into the core: the preview picks the shift as before, writing nothing."""
    from duty_desk.core.handover import flow as ho
    from duty_desk.core.models import Shift

    log.record_entry(desk, "区气象台来电", "来电", None)
    shift = Shift.get()
    assert desk.actor in shift.officers
    assert ho.shift_to_preview(desk).id == shift.id
    before = Shift.select().count()
    assert ho.shift_to_preview(desk).id == shift.id and Shift.select().count() == before
