"""定时事项: the standing orders (what, when, whose, next time), what falls
due later today, and every occurrence still open, with one key to record an
occurrence's result. Administrators add an order in one line and void one.

Opened from the palette and the entry line (/定时); read on a worker
(core.standing.view.overview, which first brings the occurrences due)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from duty_desk.core import clock
from duty_desk.core.desk import Desk
from duty_desk.core.dutytime import fmt_duration, to_local
from duty_desk.core.i18n import t
from duty_desk.core.standing.view import ItemRow, Overview, overview
from duty_desk.tui.bindings import translate_bindings
from duty_desk.tui.panes.base import DeskTable, plain
from duty_desk.tui.screens.screen_keys import ScreenCommands, ScreenHelp
from duty_desk.tui.theme import row_styles
from duty_desk.tui.workers import run_core

ORDER_COLUMNS = (("id", "standing.col.id"), ("title", "standing.col.title"), ("rule", "standing.col.rule"),
                 ("next", "standing.col.next"), ("owner", "standing.col.owner"))
# What the title and the rule keep at least on a narrow terminal (cells).
TITLE_MIN, RULE_MIN = 12, 12
ITEM_COLUMNS = (("at", "standing.col.at"), ("title", "standing.col.title"), ("owner", "standing.col.owner"),
                ("due", "standing.col.due"))
ADMIN_KEYS = ("standing.add", "standing.void")


class StandingScreen(ModalScreen[None]):
    """The standing orders and their open occurrences (see the module's docstring)."""

    help_key = "standing.help"
    COMMANDS: ClassVar = {ScreenCommands}
    BINDINGS: ClassVar = [
        Binding("escape", "dismiss_screen", "tui.key.close", id="close"),
        Binding("f1", "help", "tui.key.help", show=False, id="help"),
        Binding("r,ctrl+g", "record_result", "tui.standing.key.result", id="standing.result"),
        Binding("a", "add", "tui.standing.key.add", show=False, id="standing.add"),
        Binding("v,f9", "void", "tui.standing.key.void", show=False, id="standing.void"),
    ]
    LONG_NAMES: ClassVar[dict[str, str]] = {
        "standing.result": "standing.key.result_long",
        "standing.add": "standing.key.add_long",
        "standing.void": "standing.key.void_long",
        "help": "standing.key.help_long",
        "close": "standing.key.close_long",
    }

    def __init__(self, desk: Desk) -> None:
        super().__init__(id="standing-screen")
        self.desk = desk
        self.data: Overview | None = None
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical(id="standing-box"):
            yield DeskTable(id="standing-orders")
            yield Static(Text(t("tui.open.loading")), id="standing-later")
            yield Static(Text(t("standing.open_title"), style="bold"), id="standing-open-title")
            yield DeskTable(id="standing-items")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        box = self.query_one("#standing-box")
        box.border_title = Text(t("standing.title"), style="bold")
        box.border_subtitle = Text(t("standing.subtitle"))
        for table, columns in ((self.orders, ORDER_COLUMNS), (self.items, ITEM_COLUMNS)):
            for key, label in columns:
                table.add_column(Text(t(label)), key=key)
        self.items.focus()
        self.reload()

    @property
    def orders(self) -> DeskTable:
        return self.query_one("#standing-orders", DeskTable)

    @property
    def items(self) -> DeskTable:
        return self.query_one("#standing-items", DeskTable)

    # --- reading ------------------------------------------------------------------

    def reload(self) -> None:
        run_core(self, self.desk, overview, self.desk, done=self._show, failed=self._failed, group="standing-load",
                 exclusive=True, failure_key="tui.read_failed")

    def records_changed(self, kinds: set[str] | None) -> None:
        if kinds is None or {"standing", "standing_order"} & set(kinds):
            self.reload()

    def _failed(self, message: str) -> None:
        if self.is_attached:
            self.query_one("#standing-later", Static).update(Text(message, style="bold"))

    def _show(self, data: Overview) -> None:
        if not self.is_attached:
            return
        first = self.data is None
        if first or data.admin != self.data.admin:
            self._admin_keys(data.admin)
        self.data = data
        self.redraw()
        if first and not data.open:
            self.orders.focus()
        self.refresh_bindings()

    def _admin_keys(self, admin: bool) -> None:
        """Adding and voiding show in the footer for administrators only."""
        bindings = self._bindings.key_to_bindings
        for key, items in bindings.items():
            bindings[key] = [replace(b, show=admin) if b.id in ADMIN_KEYS else b for b in items]

    # --- drawing ------------------------------------------------------------------

    def tick(self, now: datetime) -> None:
        if self.data is not None and self.is_attached:
            self.redraw(now)

    def redraw(self, now: datetime | None = None) -> None:
        data = self.data
        if data is None:
            return
        now = now or clock.now()
        cfg = self.desk.cfg
        styles = row_styles(self.app)
        order_rows = []
        for o in data.orders:
            nxt = self._when(o.next_at, now) if o.next_at else "—"
            cells = [plain(str(o.id)), plain(o.title), plain(o.rule), plain(nxt), plain(o.owner)]
            order_rows.append((f"order-{o.id}", cells))
        self.orders.sync(order_rows, self._fit(order_rows))
        later = Text(t("standing.later_label"), style="bold")
        later.append(" ")
        later.append("、".join(f"{to_local(u.at, cfg).strftime('%H:%M')} {u.title}" for u in data.later)
                     or t("standing.later_none"))
        self.query_one("#standing-later", Static).update(later)
        item_rows = [(f"standing-{i.id}", self._item_cells(i, now, styles)) for i in data.open]
        self.items.sync(item_rows)
        title = t("standing.open_title") + "  " + t("standing.open_count", count=len(data.open))
        self.query_one("#standing-open-title", Static).update(Text(title, style="bold"))

    def _fit(self, rows: list[tuple[str, list[Text]]]) -> dict[str, int]:
        """Every column as wide as its widest cell; on a narrow terminal the
        owner, then the title, the rule and the title again give way (cut; `duty-desk standing
        list` shows them in full)."""
        table = self.orders
        keys = [k for k, _ in ORDER_COLUMNS]
        widths = {key: max([cell_len(t(label))] + [cell_len(r[1][j].plain) for r in rows])
                  for j, (key, label) in enumerate(ORDER_COLUMNS)}
        room = (table.size.width or self.size.width or 80) - 1 - 2 * table.cell_padding * len(keys)
        excess = sum(widths.values()) - room
        for key, floor in (("owner", cell_len(t("standing.col.owner"))), ("title", TITLE_MIN + 4), ("rule", RULE_MIN),
                           ("title", TITLE_MIN)):
            if excess <= 0:
                break
            give = min(excess, max(widths[key] - floor, 0))
            widths[key] -= give
            excess -= give
        for key in ("owner", "rule", "title"):
            j = keys.index(key)
            for _key, cells in rows:
                if cell_len(cells[j].plain) > widths[key]:
                    cells[j].truncate(widths[key], overflow="ellipsis")
        return widths

    def on_resize(self) -> None:
        if self.data is not None:
            self.call_after_refresh(self.redraw)

    def _when(self, at: datetime, now: datetime) -> str:
        local, today = to_local(at, self.desk.cfg), to_local(now, self.desk.cfg).date()
        return local.strftime("%H:%M") if local.date() == today else local.strftime("%m-%d %H:%M")

    def _item_cells(self, item: ItemRow, now: datetime, styles: Any) -> list[Text]:
        left = item.due_at - now
        if left < timedelta(0):
            style, due = styles.overdue, t("tui.open.late", left=fmt_duration(-left))
        else:
            style, due = (styles.warn if left <= timedelta(minutes=self.desk.cfg.warn_before_minutes)
                          else styles.plain), fmt_duration(left)
        return [plain(self._when(item.scheduled_at, now), style), plain(item.title, style),
                plain(item.owner_name, style), plain(due, style)]

    # --- keys ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "record_result":
            return self.data is not None and bool(self.data.open) or None
        if action in ("add", "void"):
            return None if self.data is None or not self.data.admin else True
        return True

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on an occurrence: its detail (fields, history, chase, transfer)."""
        event.stop()
        item_id = self._highlighted(self.items, "standing-") if event.data_table is self.items else None
        if item_id is not None:
            self.app.open_detail("standing", item_id)  # type: ignore[attr-defined]

    def _highlighted(self, table: DeskTable, prefix: str) -> int | None:
        key = table.highlighted_key()
        return int(key.removeprefix(prefix)) if key and key.startswith(prefix) else None

    def _open(self, screen: Any) -> None:
        self.app.push_screen(screen, lambda _result: self.reload())

    def action_record_result(self) -> None:
        from duty_desk.tui.forms.standing import StandingResultForm

        item_id = self._highlighted(self.items, "standing-")
        if item_id is None and self.data is not None and self.data.open:
            item_id = self.data.open[0].id  # the oldest open one
            self.items.focus()
        if item_id is not None:
            self._open(StandingResultForm(self.desk, item_id))

    def action_add(self) -> None:
        from duty_desk.tui.forms.standing import StandingOrderForm

        if self.data is not None and self.data.admin:
            self._open(StandingOrderForm(self.desk))

    def action_void(self) -> None:
        from duty_desk.tui.forms.standing import StandingVoidForm

        order_id = self._highlighted(self.orders, "order-") if self.orders.has_focus else None
        if order_id is None:
            self.orders.focus()
            self.notify(t("standing.pick_order"), severity="warning", markup=False)
            return
        if self.data is not None and self.data.admin:
            self._open(StandingVoidForm(self.desk, order_id))

    def action_help(self) -> None:
        desk_screen = getattr(self.app, "desk_screen", None)
        self.app.push_screen(ScreenHelp(self, desk_screen.keys_by_id() if desk_screen else {}))

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)
