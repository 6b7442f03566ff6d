"""History in the desk: an earlier duty day shown read-only in the same four
panes, with its own header line and a bar in place of the entry line that
says so. A mixin of DeskScreen (desk_screen).

``history_day`` is the day shown, None for the live desk. Every pane reads
its own day (``DeskPane.history_day``) on a worker through core.history, one
indexed query per pane; a change written elsewhere reloads the day shown,
never today's. Keys that write are refused while in history (``writes``),
with the reason on the bar, and the detail opens read-only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps
from typing import Any, TypeVar

from rich.text import Text
from textual.widgets import Static

from duty_desk.core.i18n import t
from duty_desk.tui.actions import HISTORY_KEYS
from duty_desk.tui.header import day_label
from duty_desk.tui.help import spelled

F = TypeVar("F", bound=Callable[..., Any])


def writes(method: F) -> F:
    """An action that writes: refused, and said why, while the desk shows an
    earlier day."""

    @wraps(method)
    def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self.history_day is not None:
            self.refuse_in_history()
            return None
        return method(self, *args, **kwargs)

    return guarded  # type: ignore[return-value]


class HistoryView:
    """The desk screen's history (see the module's docstring)."""

    desk: Any
    history_day: date | None = None

    # --- moving between days ---------------------------------------------------

    def show_day(self, day: date | None) -> None:
        """Show ``day`` read-only; None, today or a later day: the live desk."""
        today = self.desk.today()
        if day is not None and day >= today:
            day = None
        if day == self.history_day:
            return
        was_live = self.history_day is None
        self.history_day = day
        self.set_class(day is not None, "-history")  # type: ignore[attr-defined]
        for pane in self.panes:  # type: ignore[attr-defined]
            pane.set_day(day)
        self.reload()  # type: ignore[attr-defined]
        self.show_missed_day(self.app.missed_day if day is None else None)  # type: ignore[attr-defined]
        if day is None:
            from duty_desk.tui.header import HeaderBar

            header = self.query_one(HeaderBar)  # type: ignore[attr-defined]
            header.history = None  # today's facts until they are read again
            header.refresh()
            self.entry.focus()  # type: ignore[attr-defined]
        else:
            self.show_history_bar()
            if was_live:
                self.action_focus_log()  # type: ignore[attr-defined]

    def action_history(self) -> None:
        """F10: one duty day further back (from the live desk: yesterday)."""
        self.action_history_previous()

    def action_history_previous(self) -> None:
        shown = self.history_day or self.desk.today()
        self.show_day(shown - timedelta(days=1))

    def action_history_next(self) -> None:
        """The next day; from the day before today, back to the live desk."""
        if self.history_day is None:
            self.app.notify(t("tui.history.already_today"), markup=False)  # type: ignore[attr-defined]
            return
        self.show_day(self.history_day + timedelta(days=1))

    def action_history_today(self) -> None:
        if self.history_day is None:
            self.app.notify(t("tui.history.already_today"), markup=False)  # type: ignore[attr-defined]
            return
        self.show_day(None)

    def action_history_date(self) -> None:
        from duty_desk.tui.screens.history_date import HistoryDatePrompt

        shown = self.history_day or self.desk.today() - timedelta(days=1)

        def chosen(day: date | None) -> None:
            if day is not None:
                self.show_day(day)
            elif self.history_day is None:
                self.entry.focus()  # type: ignore[attr-defined]

        self.app.push_screen(HistoryDatePrompt(self.desk, shown), chosen)  # type: ignore[attr-defined]

    def action_in_history(self, action: str) -> None:
        """A key of history (HISTORY_KEYS): enabled only while in history."""
        getattr(self, f"action_{action}")()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "in_history":
            return self.history_day is not None
        return True

    def show_history_sheets(self) -> None:
        """F8 in history: the handover sheets of the day shown."""
        from duty_desk.tui.screens.history_sheets import HistorySheets

        self.app.push_screen(HistorySheets(self.desk, self.history_day))  # type: ignore[attr-defined]

    # --- saying so -----------------------------------------------------------------

    def history_keys(self) -> dict[str, str]:
        """binding id -> key for the keys of history (after the user's keymap)."""
        keys: dict[str, str] = self.keys_by_id()  # type: ignore[attr-defined]
        return {action: keys.get(binding_id, key) for binding_id, key, action in HISTORY_KEYS}

    def show_history_bar(self, refused: str = "") -> None:
        """The bar in place of the entry line: which day, that it is read-only,
        and the keys of history; ``refused``: why a key did nothing."""
        day = self.history_day
        if day is None:
            return
        styles = self.pane("log").styles_for_rows  # type: ignore[attr-defined]
        notice = Text(no_wrap=True, overflow="ellipsis")
        notice.append(f" {t('tui.history.marker')} ", style="reverse bold")
        notice.append(" ")
        if refused:
            notice.append(refused, style=styles.overdue)
        else:
            notice.append(t("tui.history.notice", day=day_label(day)))
        keys = self.history_keys()
        other = self.keys_by_id()  # type: ignore[attr-defined]
        hint = Text(t("tui.history.keys", previous=spelled(keys["history_previous"]),
                      next=spelled(keys["history_next"]), date=spelled(keys["history_date"]),
                      today=spelled(keys["history_today"]), sheet=spelled(other.get("handover", "F8")),
                      help=spelled(other.get("help", "F1"))), style=styles.quiet, no_wrap=True,
                    overflow="ellipsis")
        bar = self.query_one("#history-bar", Static)  # type: ignore[attr-defined]
        bar.update(Text("\n").join([notice, hint]))

    def refuse_in_history(self) -> None:
        """A key that writes, pressed in history: nothing is written; the bar
        says why and how to get back to today."""
        today = spelled(self.history_keys()["history_today"])
        self.show_history_bar(t("tui.history.read_only", today=today))
        self.app.bell()  # type: ignore[attr-defined]
