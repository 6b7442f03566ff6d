"""值班日志: the log of the current duty day (in history, of the day shown),
newest at the bottom."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding

from duty_desk.core import clock
from duty_desk.core.desk import Desk, officer_name
from duty_desk.core.dutytime import fmt_hm
from duty_desk.core.i18n import t
from duty_desk.core.kinds.log import state_of as log_state
from duty_desk.core.kinds.log import with_caller
from duty_desk.core.rules import is_overdue
from duty_desk.tui.panes.base import ColumnSpec, DeskPane, plain
from duty_desk.tui.theme import RowStyles


@dataclass(frozen=True)
class LogRow:
    id: int
    occurred_at: datetime
    category: str
    content: str
    author: str
    state: str  # "" | open | done | void
    due_at: datetime | None
    superseded: bool  # a later amendment replaces it
    amendment: bool


class LogPane(DeskPane[LogRow]):
    kind = "log"
    watches = frozenset({"log", "shift"})
    title_key = "tui.pane.log"
    help_key = "tui.help.log"
    follow_end = True
    BINDINGS: ClassVar = [
        Binding("ctrl+g", "screen.record_result", "tui.key.record_result_short", id="record_result"),
    ]
    COLUMNS = (
        ColumnSpec("time", "tui.col.time"),
        ColumnSpec("mark"),
        ColumnSpec("category", "tui.col.category"),
        ColumnSpec("content", "tui.col.content", flex=True),
        ColumnSpec("author", "tui.col.author"),
    )

    # The duty day shown: today, which the app moves across the day
    # boundary, or the earlier day shown in history.
    day: date | None = None

    def reload(self) -> None:
        self.day = self.history_day or self.app.desk.today()
        super().reload()

    def fetch(self, desk: Desk) -> list[LogRow]:
        return self.fetch_day(desk, self.day or desk.today())

    def fetch_day(self, desk: Desk, day: date) -> list[LogRow]:
        from duty_desk.core.services import log

        entries = log.entries_of_day(day)
        superseded = {e.__data__.get("amends") for e in entries if e.__data__.get("amends")}
        names: dict[str, str] = {}
        rows = []
        for e in entries:
            if e.recorded_by not in names:
                names[e.recorded_by] = officer_name(e.recorded_by)
            rows.append(self.row_of(e, names[e.recorded_by], e.id in superseded))
        return rows

    @staticmethod
    def row_of(entry: Any, author: str, superseded: bool = False) -> LogRow:
        """The pane's row of one entry (plain data, made on the worker)."""
        return LogRow(entry.id, entry.occurred_at, entry.category, with_caller(entry), author, log_state(entry),
                      entry.due_at, superseded, entry.__data__.get("amends") is not None)

    def add(self, row: LogRow, day: date) -> None:
        """Show an entry this desk just recorded, from the written record: no
        re-read of the day. In its place by time (a line may be typed with an
        earlier time); an entry of another duty day is not this pane's."""
        if not self.loaded or day != self.day or any(r.id == row.id for r in self.items):
            return
        at = len(self.items)
        while at and (self.items[at - 1].occurred_at, self.items[at - 1].id) > (row.occurred_at, row.id):
            at -= 1
        self.add_item(row, at)

    def cells(self, row: LogRow, now: datetime, styles: RowStyles) -> list[Text]:
        cfg = self.app.desk.cfg
        style = styles.plain
        mark = ""
        if row.state == "void":
            style, mark = styles.void, t("tui.mark.void")
        elif row.superseded:
            style, mark = styles.quiet, t("tui.mark.superseded")
        elif row.state == "open":
            overdue = is_overdue(row.due_at, now)
            style = styles.overdue if overdue else styles.open
            mark = t("tui.mark.overdue") if overdue else t("tui.mark.open")
        elif row.state == "done":
            mark = t("tui.mark.done")
        elif row.amendment:
            mark = t("tui.mark.amended")
        return [
            plain(fmt_hm(row.occurred_at, cfg), style),
            plain(mark, style),
            plain(t(f"tui.cat.{row.category}"), style),
            plain(row.content.replace("\n", " "), style),
            plain(row.author, style),
        ]

    def subtitle(self, now: datetime) -> str:
        live = [r for r in self.items if r.state != "void" and not r.superseded]
        open_ = sum(1 for r in live if r.state == "open")
        day = self.day.isoformat() if self.day else ""
        return t("tui.pane.log.sub", day=day, count=len(live), open=open_)

    def history_subtitle(self) -> str:
        day = self.day.isoformat() if self.day else ""
        if not self.items:
            return t("tui.history.log_empty", day=day)
        return self.subtitle(clock.now())

    def clock_key(self, now: datetime) -> Any:
        # Only an open entry passing its due time changes with the clock.
        return tuple(is_overdue(r.due_at, now) for r in self.items if r.state == "open" and r.due_at is not None)

    def first_open_id(self) -> int | None:
        for r in self.items:
            if r.state == "open" and not r.superseded:
                return r.id
        return None
