"""来访: visitors on the premises now, with how long they have waited; in
history, every visitor who came that day, with when they came and left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding

from duty_desk.core.desk import Desk
from duty_desk.core.dutytime import fmt_duration, fmt_hm
from duty_desk.core.i18n import t
from duty_desk.tui.panes.base import ColumnSpec, DeskPane, plain
from duty_desk.tui.theme import RowStyles


@dataclass(frozen=True)
class VisitorRow:
    id: int
    name: str
    unit: str
    host: str
    party_size: int
    arrived_at: datetime | None
    state: str  # waiting | receiving | left
    left_at: datetime | None = None


class VisitorsPane(DeskPane[VisitorRow]):
    kind = "visitor"
    watches = frozenset({"visitor", "shift"})
    title_key = "tui.pane.visitors"
    history_title_key = "tui.history.pane.visitors"
    help_key = "tui.help.visitors"
    BINDINGS: ClassVar = [
        Binding("ctrl+o", "screen.check_out", "tui.key.check_out_short", id="check_out"),
    ]
    COLUMNS = (
        ColumnSpec("state", "tui.col.state"),
        ColumnSpec("name", "tui.col.name", max_width=16),
        ColumnSpec("unit", "tui.col.unit", flex=True),
        ColumnSpec("host", "tui.col.host", max_width=14),
        ColumnSpec("waiting", "tui.col.waiting", history_label_key="tui.history.col.visit"),
    )

    def fetch(self, desk: Desk) -> list[VisitorRow]:
        from duty_desk.core.services import visitors

        return self._rows(visitors.visitors_of_day(desk.today()))

    def fetch_day(self, desk: Desk, day: date) -> list[VisitorRow]:
        from duty_desk.core import history

        return self._rows(history.visitors_of(day))

    @staticmethod
    def _rows(found: list[Any]) -> list[VisitorRow]:
        return [VisitorRow(v.id, v.name, v.unit, v.host, v.party_size, v.arrived_at, v.state, v.left_at)
                for v in found]

    def visible_rows(self, items: list[VisitorRow], now: datetime) -> list[VisitorRow]:
        if self.history_day is not None:
            return items  # everyone who came that day
        return [v for v in items if v.state != "left"]

    def clock_key(self, now: datetime) -> Any:
        if self.history_day is not None:
            return tuple(v.id for v in self.items if v.state != "left")  # times, not waits: nothing moves
        return tuple(fmt_duration(now - v.arrived_at) for v in self.items if v.arrived_at and v.state != "left")

    def cells(self, row: VisitorRow, now: datetime, styles: RowStyles) -> list[Text]:
        style = styles.open if row.state == "waiting" else styles.plain
        if self.history_day is not None:
            cfg = self.app.desk.cfg
            waited = t("tui.history.visit", arrived=fmt_hm(row.arrived_at, cfg), left=fmt_hm(row.left_at, cfg) or "…")
        else:
            waited = fmt_duration(now - row.arrived_at) if row.arrived_at else ""
        return [
            plain(t(f"state.visitor.{row.state}"), style),
            plain(t("tui.visitor.party", name=row.name, count=row.party_size) if row.party_size > 1 else row.name,
                  style),
            plain(row.unit, style),
            plain(row.host, style),
            plain(waited, style),
        ]

    def subtitle(self, now: datetime) -> str:
        here = sum(1 for v in self.items if v.state != "left")
        return t("tui.pane.visitors.sub", here=here, today=len(self.items))
