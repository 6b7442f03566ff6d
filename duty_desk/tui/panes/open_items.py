"""未结事项: every open item of every kind and day, most urgent first
(件件有着落、事事有回音). A simple read-only list; Enter opens the detail."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static
from textual.worker import get_current_worker

from duty_desk.desk import Desk
from duty_desk.i18n import t
from duty_desk.tui.bindings import translate_bindings
from duty_desk.tui.panes.base import DeskTable, plain
from duty_desk.tui.theme import row_styles

COLUMNS = ("kind_label", "title", "owner_name", "due_at", "due_in", "next_action")


class OpenItemsScreen(ModalScreen[None]):
    help_key = "tui.help.open_items"
    BINDINGS: ClassVar = [
        Binding("escape", "dismiss_screen", "tui.key.close", id="close"),
        Binding("f6", "dismiss_screen", "tui.key.close", show=False, id="open_items"),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__(id="open-items")
        self.desk = desk
        self.records: dict[str, tuple[str, int]] = {}
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical(id="open-items-box"):
            yield DeskTable(id="open-items-table")
            yield Static(Text(t("tui.open.loading")), id="open-items-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        box = self.query_one("#open-items-box")
        box.border_title = t("tui.open.title")
        table = self.query_one(DeskTable)
        for col in COLUMNS:
            table.add_column(Text(t(f"col.{col}" if col != "kind_label" else "col.kind")), key=col)
        table.focus()
        self._load()

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        from duty_desk import openitems

        worker = get_current_worker()
        try:
            items = [i.as_dict(self.desk.cfg) for i in openitems.list_open(self.desk)]
        except Exception as exc:
            self.app.call_from_thread(self._show_error, str(exc))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, items)

    def _show_error(self, message: str) -> None:
        self.query_one("#open-items-status", Static).update(Text(message))

    def _show(self, items: list[dict]) -> None:
        styles = row_styles(self.app)
        rows = []
        for i, item in enumerate(items):
            key = f"{item['record_kind']}-{item['id']}-{i}"
            self.records[key] = (item["record_kind"], item["id"])
            style = styles.overdue if item["overdue"] else styles.plain
            rows.append((key, [plain(item.get(c) or "", style) for c in COLUMNS]))
        self.query_one(DeskTable).sync(rows)
        overdue = sum(1 for i in items if i["overdue"])
        self.query_one("#open-items-status", Static).update(
            Text(t("tui.open.count", count=len(items), overdue=overdue)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        kind_id = self.records.get(str(event.row_key.value))
        if kind_id:
            self.app.open_detail(*kind_id)  # type: ignore[attr-defined]

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)
