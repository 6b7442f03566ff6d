"""Nothing stored (or configured) reaches an officer's terminal as a control
sequence: escape sequences are pushed into every free-text field of every
kind, into the audit trail (a refused correction whose category was
``ESC ] 0 ; pwned BEL``) and into names from the config, and every view of
the desk is checked for ESC, BEL and C1 characters in what our code hands
to the widgets (table cells, Static contents, titles, notifications) and in
the screen as composed. A real SQLite file, the clock fixed."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from app_helpers import settle
from peewee import CharField, TextField
from rich.console import Console
from rich.text import Text
from textual.app import App
from textual.content import Content
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, Static

from duty_desk.core import audit
from duty_desk.core.config import load_config
from duty_desk.core.demo import fill_demo_day
from duty_desk.core.errors import DeskError
from duty_desk.core.models import (
    Chase,
    Document,
    DocumentStep,
    Instruction,
    LogEntry,
    UrgentEvent,
    UrgentItem,
    Visitor,
)
from duty_desk.core.services import log
from duty_desk.tui.app import DutyDeskApp

# A title change (OSC 0), a colour (CSI), an 8-bit CSI that clears the
# screen, a C1 control, a bell.
EVIL = "\x1b]0;pwned\x07\x1b[31m红\x9b2J\x85\x07"
UNSAFE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")

# Fields that hold codes the desk translates (a category, a state) or logins:
# they never hold free text, the services check them.
CODES = {"category", "state", "level", "event_type", "kind", "urgency", "classification", "id_type",
         "step", "item_kind", "owner", "recorded_by", "voided_by", "by", "first_responder",
         "received_by", "read_back_by", "next_due_kind", "due_kind", "started_by", "means", "id_number",
         "id_masked", "serial"}


@pytest.fixture
def evil_cfg(tmp_path):
    path = tmp_path / "evil.toml"
    path.write_text(
        '[office]\nname = "某市政府总值班室\\u001b]0;pwned\\u0007"\n\n'
        '[[officers]]\nlogin = "tester"\nname = "李明\\u001b[2J"\nrole = "officer"\n\n'
        '[[officers]]\nlogin = "incoming"\nname = "陈静"\nrole = "officer"\n\n'
        '[[officers]]\nlogin = "leader"\nname = "王军\\u009b2J"\nrole = "leader"\n',
        encoding="utf-8")
    return load_config(str(path))


@pytest.fixture
def evil_desk(make_desk, fixed_clock, evil_cfg):
    desk = make_desk("tester", config=evil_cfg)
    fill_demo_day(desk)
    # What older versions or other tools may have stored: written past the services.
    for model in (LogEntry, Visitor, Document, DocumentStep, UrgentItem, UrgentEvent, Instruction, Chase):
        fields = [name for name, f in model._meta.fields.items()
                  if type(f) in (CharField, TextField) and name not in CODES]
        for row in model.select():
            for name in fields:
                setattr(row, name, f"{getattr(row, name) or ''}{EVIL}")
            row.save()
    # The issue's own case: a refused correction keeps its input in the audit trail.
    entry = LogEntry.select().order_by(LogEntry.id).first()
    with pytest.raises(DeskError):
        log.correct_entry(desk, entry.id, "笔误", category=EVIL)
    audit.append(desk.now(), "tester", "correct", "log", entry.id, {"content": EVIL}, {"content": "正文" + EVIL})
    return desk


def _segments(renderable: Any) -> list[str]:
    console = Console(width=160, file=open(os.devnull, "w"), color_system=None)
    return [seg.text for seg in console.render(renderable, console.options) if not seg.control]


def _text_of(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Text):
        return [value.plain]
    if isinstance(value, Content):
        return [value.plain]
    try:
        return _segments(value)
    except Exception:
        return [str(value)]


def unsafe_in_view(app: App) -> list[str]:
    """Every piece of text our code gave the widgets on the screen shown now,
    and the composed screen itself, that holds a control character."""
    found: list[str] = []

    def check(where: str, texts: list[str]) -> None:
        for text in texts:
            if UNSAFE.search(text):
                found.append(f"{where}: {text!r}")

    screen = app.screen
    for widget in screen.query(Widget):
        name = f"{type(widget).__name__}#{widget.id}"
        check(name + ".border_title", _text_of(widget.border_title))
        check(name + ".border_subtitle", _text_of(widget.border_subtitle))
        if isinstance(widget, DataTable):
            for row_key in widget.rows:
                check(name, [t for cell in widget.get_row(row_key) for t in _text_of(cell)])
        elif isinstance(widget, OptionList):
            for i in range(widget.option_count):
                check(name, _text_of(widget.get_option_at_index(i).prompt))
        elif isinstance(widget, Static):
            check(name, _text_of(widget.content))
    for note in app._notifications:
        check("notification", [note.message, note.title or ""])
    update = screen._compositor.render_update(full=True)
    composed = []
    for line in update.strips:
        for part in (line if not isinstance(line, Strip) else [line]):
            composed.extend(seg.text for seg in part if not seg.control)
    check("screen", composed)
    return found


async def test_no_stored_control_sequence_reaches_any_view_of_the_desk(evil_desk):
    from duty_desk.tui.screens.detail import DetailScreen
    from duty_desk.tui.screens.handover import HandoverScreen
    from duty_desk.tui.screens.open_items import OpenItemsScreen
    from duty_desk.tui.screens.rowpick import RowPicker

    app = DutyDeskApp(evil_desk)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await settle(pilot)
        desk_screen = app.desk_screen
        assert "pwned" in desk_screen.query_one("#header").render().plain  # the name is there, made visible
        assert unsafe_in_view(app) == []
        for name in ("visitors", "documents", "urgent"):
            desk_screen._show_lower(name)
            await settle(pilot)
            assert unsafe_in_view(app) == [], name
        # The detail of every record of every pane, with its history.
        for name in ("log", "visitors", "documents", "urgent"):
            pane = desk_screen.pane(name)
            for item in pane.items:
                app.open_detail(pane.kind, item.id)
                await settle(pilot)
                assert isinstance(app.screen, DetailScreen)
                assert app.screen.detail is not None
                assert unsafe_in_view(app) == [], (name, item.id)
                await pilot.press("escape")
                await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, OpenItemsScreen)
        assert unsafe_in_view(app) == []
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+n")  # which document? every title named in full
        await settle(pilot)
        assert isinstance(app.screen, RowPicker)
        assert unsafe_in_view(app) == []
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, HandoverScreen)
        assert unsafe_in_view(app) == []


async def test_a_refused_correction_of_a_title_changing_category_shows_safely_in_the_detail(evil_desk):
    from duty_desk.tui.screens.detail import DetailScreen

    entry = LogEntry.select().order_by(LogEntry.id).first()
    app = DutyDeskApp(evil_desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_detail("log", entry.id)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DetailScreen)
        failed = [h for h in screen.detail.history if not h.ok]
        assert failed and "␛]0;pwned␇" in failed[-1].note
        assert unsafe_in_view(app) == []


async def test_stored_text_shows_safely_in_the_void_check_out_step_result_and_event_forms(evil_desk):
    from duty_desk.tui.forms import (
        CheckOutForm,
        DocumentStepForm,
        ResultForm,
        UrgentEventForm,
        VoidForm,
    )
    from duty_desk.tui.forms.base import DeskForm

    visitor = Visitor.select().order_by(Visitor.id).first()
    document = Document.select().order_by(Document.id).first()
    entry = LogEntry.select().order_by(LogEntry.id).first()
    item = UrgentItem.select().order_by(UrgentItem.id).first()
    forms = [
        lambda: CheckOutForm(evil_desk, visitor.id),
        lambda: DocumentStepForm(evil_desk, document.id),
        lambda: VoidForm(evil_desk, "log", entry.id),
        lambda: VoidForm(evil_desk, "visitor", visitor.id),
        lambda: ResultForm(evil_desk, entry.id),
        lambda: UrgentEventForm(evil_desk, item.id),
    ]
    app = DutyDeskApp(evil_desk)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await settle(pilot)
        for make in forms:
            form = make()
            app.push_screen(form)
            await settle(pilot)
            assert isinstance(app.screen, DeskForm) and form.ready, type(form).__name__
            assert unsafe_in_view(app) == [], type(form).__name__
            await pilot.press("escape")
            await settle(pilot)


async def test_a_store_error_echoing_stored_text_shows_safely_on_the_entry_line(evil_desk, monkeypatch):
    import sqlite3

    def broken(*_args, **_kwargs):
        raise sqlite3.OperationalError(f"no such column: {EVIL}")

    monkeypatch.setattr(log, "record_entry", broken)
    app = DutyDeskApp(evil_desk)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await settle(pilot)
        app.focused.insert_text_at_cursor("区气象台来电")
        await pilot.press("enter")
        await settle(pilot)
        status = app.desk_screen.query_one("#entry-status", Static)
        assert "pwned" in str(status.content) and app.desk_screen.entry.value == "区气象台来电"
        assert unsafe_in_view(app) == []
