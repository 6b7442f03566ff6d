"""Shared by the desk's own tests: open the app over a desk and let its
thread workers finish (no sleeps: the workers are awaited)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import App
from textual.worker import WorkerCancelled

from duty_desk.tui.app import DeskScreen, DutyDeskApp
from duty_desk.tui.messages import RecordsChanged


async def settle(pilot, rounds: int = 3) -> None:
    """Wait for every thread worker and for what they hand back to show."""
    app = pilot.app
    for _ in range(rounds):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            # A reload replaced by a newer one (the desk's watching thread saw
            # a write of the test's own): the newer one is waited for next round.
            pass
        await pilot.pause()


def desk_screen(app: DutyDeskApp) -> DeskScreen:
    return app.desk_screen


def column(app: DutyDeskApp, pane: str, col: str) -> list[str]:
    """The text of one column of a pane, top to bottom."""
    table = app.desk_screen.pane(pane).table
    return [cell.plain if isinstance(cell, Text) else str(cell)
            for cell in table.get_column(col)]


def cells(app: DutyDeskApp, pane: str, row_key: str) -> list[Text]:
    return list(app.desk_screen.pane(pane).table.get_row(row_key))


async def type_text(pilot, text: str) -> None:
    """Type into the focused input as a person (or an input method) would."""
    focused = pilot.app.focused
    focused.insert_text_at_cursor(text)
    await pilot.pause()


class Host(App[None]):
    """Pushes one screen (a form, a detail) themed and styled as in the desk,
    and keeps what it returned and what it announced."""

    CSS_PATH = Path(__file__).resolve().parents[2] / "app.tcss"

    def __init__(self, make_screen) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.results: list[int | None] = []
        self.changed: list[set[str]] = []

    def on_mount(self) -> None:
        from duty_desk.tui.theme import DUTY_DESK

        self.register_theme(DUTY_DESK)
        self.theme = "duty-desk"
        self.push_screen(self.make_screen(), callback=self.results.append)

    def on_records_changed(self, message: RecordsChanged) -> None:
        self.changed.append(message.kinds)
