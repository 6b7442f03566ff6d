"""紧急事项: open urgent items with a live countdown to the next report due.
In history, the urgent items received that day, open or closed now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding

from duty_desk.core.desk import Desk
from duty_desk.core.i18n import t
from duty_desk.tui.panes.base import ColumnSpec, DeskPane, fmt_countdown, plain
from duty_desk.tui.theme import RowStyles


@dataclass(frozen=True)
class UrgentRow:
    id: int
    level: str
    event_type: str
    title: str
    next_due_kind: str | None
    next_due_at: datetime | None
    state: str = "open"  # open | closed


class UrgentPane(DeskPane[UrgentRow]):
    kind = "urgent"
    watches = frozenset({"urgent", "instruction"})
    title_key = "tui.pane.urgent"
    history_title_key = "tui.history.pane.urgent"
    help_key = "tui.help.urgent"
    BINDINGS: ClassVar = [
        Binding("ctrl+r", "screen.phone_report", "tui.key.phone_report_short", id="phone_report"),
        Binding("ctrl+t", "screen.urgent_event", "tui.key.urgent_event_short", id="urgent_event"),
    ]
    COLUMNS = (
        ColumnSpec("level", "tui.col.level"),
        ColumnSpec("title", "tui.col.title", flex=True),
        ColumnSpec("due", "tui.col.next_due"),
        ColumnSpec("countdown", "tui.col.countdown"),
    )

    def fetch(self, desk: Desk) -> list[UrgentRow]:
        from duty_desk.core.services import urgent

        return self._rows(urgent.open_urgent_items())

    def fetch_day(self, desk: Desk, day: date) -> list[UrgentRow]:
        from duty_desk.core import history

        return self._rows(history.urgent_of(day))

    @staticmethod
    def _rows(found: list[Any]) -> list[UrgentRow]:
        return [UrgentRow(u.id, u.level, u.event_type, u.title, u.next_due_kind,
                          u.next_due_at if u.state == "open" else None, u.state)
                for u in found]

    def visible_rows(self, items: list[UrgentRow], now: datetime) -> list[UrgentRow]:
        if self.history_day is not None:
            return items  # in the order they were received
        far = datetime.max.replace(tzinfo=now.tzinfo)
        return sorted(items, key=lambda u: (u.next_due_at is None, u.next_due_at or far, u.id))

    def clock_key(self, now: datetime) -> Any:
        lead = timedelta(minutes=self.app.desk.cfg.warn_before_minutes)
        return tuple((fmt_countdown(u.next_due_at - now, lead), u.next_due_at - now < timedelta(0),
                      u.next_due_at - now <= lead) for u in self.items if u.next_due_at is not None)

    def cells(self, row: UrgentRow, now: datetime, styles: RowStyles) -> list[Text]:
        style = styles.plain
        countdown = ""
        if row.next_due_at is not None:
            left = row.next_due_at - now
            lead = timedelta(minutes=self.app.desk.cfg.warn_before_minutes)
            countdown = fmt_countdown(left, lead)  # the seconds tick only near the due time
            if left < timedelta(0):
                style = styles.overdue
            elif left <= lead:
                style = styles.warn
        due = t(f"due.{row.next_due_kind}") if row.next_due_kind else ""
        if row.state != "open":
            due = t(f"state.urgent.{row.state}")
        return [
            plain(t(f"tui.level.{row.level}"), style),
            plain(row.title, style),
            plain(due, style),
            plain(countdown, style),
        ]

    def due_soon(self, now: datetime, within: timedelta) -> list[UrgentRow]:
        """Items whose next report falls due within ``within`` (or is late)."""
        return [u for u in self.items if u.next_due_at is not None and u.next_due_at - now <= within]

    def subtitle(self, now: datetime) -> str:
        return t("tui.pane.count", count=len(self.items))
