"""待办公文: every document not yet closed, any day; overdue ones first. In
history, the documents received that day, in their state now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding

from duty_desk.core.desk import Desk
from duty_desk.core.dutytime import fmt_duration, fmt_hm
from duty_desk.core.i18n import t
from duty_desk.core.kinds import kind
from duty_desk.core.rules import is_overdue
from duty_desk.tui.panes.base import ColumnSpec, DeskPane, plain
from duty_desk.tui.theme import RowStyles


@dataclass(frozen=True)
class DocumentRow:
    id: int
    serial: str
    urgency: str
    classification: str
    title: str
    doc_number: str
    sender: str
    state: str
    deadline: datetime | None
    received_at: datetime | None = None
    open: bool = True  # still in hand (a closed one has no time left to count)


class DocumentsPane(DeskPane[DocumentRow]):
    kind = "document"
    watches = frozenset({"document", "instruction"})
    title_key = "tui.pane.documents"
    history_title_key = "tui.history.pane.documents"
    help_key = "tui.help.documents"
    BINDINGS: ClassVar = [
        Binding("ctrl+n", "screen.next_step", "tui.key.next_step_short", id="next_step"),
    ]
    COLUMNS = (
        ColumnSpec("mark"),
        ColumnSpec("urgency", "tui.col.urgency"),
        ColumnSpec("serial", "tui.col.serial"),
        ColumnSpec("title", "tui.col.doc_title", flex=True),
        ColumnSpec("state", "tui.col.state"),
        ColumnSpec("left", "tui.col.left", history_label_key="tui.history.col.received"),
    )

    def fetch(self, desk: Desk) -> list[DocumentRow]:
        from duty_desk.core.services import documents

        return self._rows(documents.pending_documents())

    def fetch_day(self, desk: Desk, day: date) -> list[DocumentRow]:
        from duty_desk.core import history

        return self._rows(history.documents_of(day))

    @staticmethod
    def _rows(found: list[Any]) -> list[DocumentRow]:
        is_open = kind("document").is_open
        return [DocumentRow(d.id, d.serial, d.urgency, d.classification, d.title, d.doc_number,
                            d.sender, d.state, d.deadline, d.received_at, is_open(d))
                for d in found]

    def visible_rows(self, items: list[DocumentRow], now: datetime) -> list[DocumentRow]:
        if self.history_day is not None:
            return items  # in the order they were received
        far = datetime.max.replace(tzinfo=now.tzinfo)
        return sorted(items, key=lambda d: (not _overdue(d, now), d.deadline is None, d.deadline or far, d.id))

    def clock_key(self, now: datetime) -> Any:
        warn = timedelta(minutes=self.app.desk.cfg.warn_before_minutes)
        return tuple((fmt_duration(d.deadline - now), _overdue(d, now), d.deadline - now <= warn)
                     for d in self.items if d.deadline is not None and d.open)

    def cells(self, row: DocumentRow, now: datetime, styles: RowStyles) -> list[Text]:
        warn = timedelta(minutes=self.app.desk.cfg.warn_before_minutes)
        style, mark = styles.plain, ""
        if _overdue(row, now):
            style, mark = styles.overdue, t("tui.mark.overdue")
        elif row.open and row.deadline is not None and row.deadline - now <= warn:
            style = styles.warn
        if row.classification:
            title = t("tui.doc.classified", classification=row.classification, number=row.doc_number)
        else:
            title = row.title
        left = fmt_duration(row.deadline - now) if row.deadline else "—"
        if self.history_day is not None:
            left = fmt_hm(row.received_at, self.app.desk.cfg)
        return [
            plain(mark, style),
            plain(row.urgency, style),
            plain(row.serial, style),
            plain(title, style),
            plain(t(f"state.document.{row.state}"), style),
            plain(left, style),
        ]

    def subtitle(self, now: datetime) -> str:
        late = sum(1 for d in self.items if _overdue(d, now))
        return t("tui.pane.documents.sub", count=len(self.items), overdue=late)


def _overdue(row: DocumentRow, now: datetime) -> bool:
    return row.open and is_overdue(row.deadline, now)
