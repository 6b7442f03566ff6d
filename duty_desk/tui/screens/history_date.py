"""History: go to a duty day by its date. One line: ``2026-06-01``, ``6-1``,
``6月1日``, ``-3`` or ``昨天``; Enter goes there, Esc goes nowhere. A date
that cannot be read, or a day after today, is said under the line and
the text is kept."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from duty_desk.core.desk import Desk
from duty_desk.core.errors import DeskError
from duty_desk.core.history import parse_day
from duty_desk.core.i18n import t
from duty_desk.tui.bindings import translate_bindings


class HistoryDatePrompt(ModalScreen[date | None]):
    """Asks for a duty day; dismissed with it, or None."""

    BINDINGS: ClassVar = [
        Binding("escape", "cancel", "tui.history.key.cancel", id="history.date.cancel"),
    ]

    def __init__(self, desk: Desk, shown: date) -> None:
        super().__init__()
        translate_bindings(self)
        self.desk = desk
        self.shown = shown

    def compose(self) -> ComposeResult:
        box = Vertical(id="history-date-box")
        box.border_title = Text(t("tui.history.date.title"))
        box.border_subtitle = Text(t("tui.history.date.keys"))
        with box:
            yield Input(self.shown.isoformat(), id="history-date-input", select_on_focus=True)
            yield Static(Text(t("tui.history.date.hint")), id="history-date-status")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            day = parse_day(event.value, self.desk.today())
        except DeskError as err:
            status = self.query_one("#history-date-status", Static)
            status.update(Text(err.message))
            status.add_class("-error")
            return
        self.dismiss(day)

    def on_input_changed(self, event: Input.Changed) -> None:
        status = self.query_one("#history-date-status", Static)
        if status.has_class("-error"):
            status.remove_class("-error")
            status.update(Text(t("tui.history.date.hint")))

    def action_cancel(self) -> None:
        self.dismiss(None)
