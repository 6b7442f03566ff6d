"""Shared by the desk's own tests: open the app over a desk and let its
thread workers finish (no sleeps: the workers are awaited)."""

from __future__ import annotations

from rich.text import Text

from duty_desk.tui.app import DeskScreen, DutyDeskApp


async def settle(pilot, rounds: int = 3) -> None:
    """Wait for every thread worker and for what they hand back to show."""
    app = pilot.app
    for _ in range(rounds):
        await app.workers.wait_for_complete()
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
