"""History: the handover sheets of the duty day shown, read-only: the sheet
frozen at each shift's handover (with its read-backs and acceptance), or,
for a shift never handed over, the sheet as it stands, marked as such. A
day nobody used the desk says so."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from duty_desk.core.desk import Desk
from duty_desk.core.history import DaySheet, sheets_of_day
from duty_desk.core.i18n import t
from duty_desk.tui.bindings import translate_bindings
from duty_desk.tui.header import day_label
from duty_desk.tui.theme import row_styles
from duty_desk.tui.widgets.sheet import sheet_renderable
from duty_desk.tui.workers import run_core


class HistorySheets(ModalScreen[None]):
    """The handover sheets of one earlier duty day."""

    BINDINGS: ClassVar = [
        Binding("escape,f8", "close", "tui.history.key.close", id="history.sheets.close"),
        Binding("pageup", "sheet_up", "tui.handover.key.sheet_up", show=False, id="history.sheets.up"),
        Binding("pagedown", "sheet_down", "tui.handover.key.sheet_down", show=False, id="history.sheets.down"),
    ]

    def __init__(self, desk: Desk, day: date) -> None:
        super().__init__()
        translate_bindings(self)
        self.desk = desk
        self.day = day
        self.sheets: list[DaySheet] | None = None

    def compose(self) -> ComposeResult:
        box = Vertical(id="history-sheets-box")
        box.border_title = Text(t("tui.history.sheets.title", day=day_label(self.day)))
        with box:
            with VerticalScroll(id="history-sheets-body"):
                yield Static(Text(t("tui.form.loading")), id="history-sheets-content")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#history-sheets-body").focus()
        run_core(self, self.desk, sheets_of_day, self.desk, self.day, done=self._show,
                 group="history-sheets", exclusive=True, failure_key="tui.read_failed")

    def _show(self, sheets: list[DaySheet]) -> None:
        if not self.is_attached:
            return
        self.sheets = sheets
        self.query_one("#history-sheets-content", Static).update(self.render_sheets(sheets))

    def render_sheets(self, sheets: list[DaySheet]) -> RenderableType:
        if not sheets:
            return Text(t("tui.history.sheets.none", date=self.day.isoformat()), style="bold")
        overdue = row_styles(self.app).overdue
        parts: list[RenderableType] = []
        for n, day_sheet in enumerate(sheets):
            if n:
                parts.append(Rule(style="dim"))
            if not day_sheet.handed_over:
                parts.append(Text(t("tui.history.sheets.not_handed", shift=day_sheet.label), style="bold reverse"))
            parts.append(sheet_renderable(day_sheet.sheet, overdue=overdue))
        return Group(*parts)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_sheet_up(self) -> None:
        self.query_one("#history-sheets-body", VerticalScroll).scroll_page_up()

    def action_sheet_down(self) -> None:
        self.query_one("#history-sheets-body", VerticalScroll).scroll_page_down()
