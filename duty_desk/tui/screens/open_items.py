"""未结事项: every open item of every kind and every day, most overdue first
(件件有着落、事事有回音), with owner, age, due countdown, next action and
chases. Filters by kind, owner and overdue; paged in SQL (LIMIT/OFFSET), so
it stays instant however many closed items the history holds. Enter opens
the item; single keys chase it, hand it over, record or answer an instruction.

The page is read on a thread worker (openitems.list_open) into plain
OpenItem rows; the countdowns are redrawn from those rows on the app's tick
without touching the store.
"""

from __future__ import annotations

from dataclasses import dataclass
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
from duty_desk.core.openitems import OPEN_KINDS, OpenItem, kind_label
from duty_desk.core.rules import is_overdue
from duty_desk.tui.bindings import translate_bindings
from duty_desk.tui.panes.base import DeskTable, plain
from duty_desk.tui.theme import RowStyles, row_styles
from duty_desk.tui.workers import run_core

# (column key, label key); "title" and "next_action" share what the others leave.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("kind_label", "col.kind"),
    ("title", "col.title"),
    ("owner_name", "col.owner"),
    ("age", "col.age"),
    ("due_in", "col.due_in"),
    ("next_action", "col.next_action"),
    ("chases", "col.chases"),
)
FLEX = ("title", "next_action")
# On a narrow terminal the title keeps this many cells (ten Chinese
# characters and an ellipsis) and the next action at least NEXT_MIN.
TITLE_MIN = 22
NEXT_MIN = 8
PAGE_SIZE = 50
KIND_CYCLE: tuple[str | None, ...] = (None, *OPEN_KINDS)


@dataclass(frozen=True)
class Filters:
    kind: str | None = None  # an open-item kind, None for all
    mine: bool = False  # only the acting officer's items
    overdue: bool = False  # only overdue items


@dataclass(frozen=True)
class Page:
    filters: Filters
    offset: int
    items: list[OpenItem]
    total: int  # open items matching the filters
    overdue: int  # of which overdue
    names: dict[str, str]  # owner login -> name


def read_page(desk: Desk, filters: Filters, offset: int, size: int) -> Page:
    """One page of open items under the filters (on a worker thread)."""
    from duty_desk.core.desk import officer_name
    from duty_desk.core.openitems import count_open, list_open

    query: dict[str, Any] = {"kinds": filters.kind, "owner": desk.actor if filters.mine else None}
    total = count_open(desk, overdue_only=filters.overdue, **query)
    if offset >= total > 0:  # the last page shrank under us: show the new last page
        offset = (total - 1) // size * size
    items = list_open(desk, overdue_only=filters.overdue, limit=size, offset=max(offset, 0), **query)
    overdue = total if filters.overdue else count_open(desk, overdue_only=True, **query)
    names = {login: officer_name(login) for login in {i.owner for i in items}}
    return Page(filters, max(offset, 0), items, total, overdue, names)


def item_key(item: OpenItem) -> str:
    return f"{item.record_kind}-{item.id}"


class OpenItemsScreen(ModalScreen[None]):
    help_key = "tui.help.open_items"
    BINDINGS: ClassVar = [
        Binding("escape", "dismiss_screen", "tui.key.close", id="close"),
        Binding("f6", "dismiss_screen", "tui.key.close", show=False, id="open_items"),
        # The desk's own keys for the same actions work here too.
        Binding("c,ctrl+f", "chase", "tui.key.chase_short", id="open.chase"),
        Binding("t", "transfer", "tui.key.transfer_short", id="open.transfer"),
        Binding("i,ctrl+l", "instruct", "tui.key.instruct_short", id="open.instruct"),
        Binding("a", "answer", "tui.key.answer_short", id="open.answer"),
        Binding("k", "next_kind", "tui.open.key.kind", id="open.kind"),
        Binding("m", "toggle_mine", "tui.open.key.mine", id="open.mine"),
        Binding("o", "toggle_overdue", "tui.open.key.overdue", id="open.overdue"),
        Binding("right_square_bracket", "page(1)", "tui.open.key.next_page", id="open.next_page"),
        Binding("left_square_bracket", "page(-1)", "tui.open.key.previous_page", show=False,
                id="open.previous_page"),
        # Before the table's own: within the page first, then to the next page.
        Binding("pagedown", "page_down", show=False, priority=True, id="open.page_down"),
        Binding("pageup", "page_up", show=False, priority=True, id="open.page_up"),
    ]
    ITEM_ACTIONS = ("chase", "transfer", "instruct", "answer")

    def __init__(self, desk: Desk, page_size: int = PAGE_SIZE) -> None:
        super().__init__(id="open-items")
        self.desk = desk
        self.page_size = page_size
        self.filters = Filters()
        self.row_offset = 0
        self.page: Page | None = None
        self._styles: RowStyles | None = None
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical(id="open-items-box"):
            yield DeskTable(id="open-items-table")
            yield Static(Text(t("tui.open.loading")), id="open-items-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.table
        for key, label in COLUMNS:
            table.add_column(Text(t(label)), key=key)
        table.focus()
        self._show_title()
        self.reload()

    @property
    def table(self) -> DeskTable:
        return self.query_one(DeskTable)

    @property
    def items(self) -> list[OpenItem]:
        return self.page.items if self.page else []

    def highlighted(self) -> OpenItem | None:
        key = self.table.highlighted_key()
        return next((i for i in self.items if item_key(i) == key), None)

    # --- loading (thread) ------------------------------------------------------------

    def reload(self, to_end: bool = False) -> None:
        self._load(self.filters, self.row_offset, to_end)

    def records_changed(self, _kinds: set[str]) -> None:
        """Something was written (here, in a form, in another session)."""
        self.reload()

    def _load(self, filters: Filters, offset: int, to_end: bool) -> None:
        run_core(self, self.desk, read_page, self.desk, filters, offset, self.page_size,
                 done=lambda page: self._show(page, to_end), failed=self._show_error, group="open-load",
                 exclusive=True, failure_key="tui.read_failed")

    def _show_error(self, message: str) -> None:
        self.query_one("#open-items-status", Static).update(Text(message))

    def _show(self, page: Page, to_end: bool = False) -> None:
        if not self.is_attached or page.filters != self.filters:
            return  # the filters moved on while it was read
        moved = self.page is None or page.offset != self.page.offset
        self.page = page
        self.row_offset = page.offset
        self.redraw()
        table = self.table
        if moved and table.row_count:
            table.move_cursor(row=table.row_count - 1 if to_end else 0, animate=False)
        self.refresh_bindings()

    # --- drawing (event loop) ---------------------------------------------------------

    def tick(self, now: datetime) -> None:
        """Countdowns and overdue marks move with the clock; the store is not read."""
        # Not while the view is being closed (or the app torn down): its
        # table may already be gone when the app's tick comes round.
        if self.page is not None and self.is_attached and self.query(DeskTable):
            self.redraw(now)

    def redraw(self, now: datetime | None = None) -> None:
        now = now or clock.now()
        if self._styles is None:
            self._styles = row_styles(self.app)
        rows = [(item_key(i), self.cells(i, now, self._styles)) for i in self.items]
        self.table.sync(rows, self._fit(rows))
        self._show_status(now)

    def cells(self, item: OpenItem, now: datetime, styles: RowStyles) -> list[Text]:
        cfg = self.desk.cfg
        style = styles.plain
        due = "—"
        if item.due_at is not None:
            left = item.due_at - now
            if left < timedelta(0):
                style, due = styles.overdue, t("tui.open.late", left=fmt_duration(-left))
            else:
                due = fmt_duration(left)
                if left <= timedelta(minutes=cfg.warn_before_minutes):
                    style = styles.warn
        chases = ""
        if item.last_chase is not None:
            at = to_local(item.last_chase.at, cfg)
            shown = at.strftime("%H:%M") if at.date() == to_local(now, cfg).date() else at.strftime("%m-%d")
            chases = t("tui.open.chases", count=item.chase_count, at=shown)
        names = self.page.names if self.page else {}
        return [
            plain(kind_label(item.kind, item.detail), style),
            plain(item.title.replace("\n", " "), style),
            plain(names.get(item.owner, item.owner), style),
            plain(fmt_duration(now - item.received_at) if item.received_at else "", style),
            plain(due, style),
            plain(item.next_action, style),
            plain(chases, style),
        ]

    def _fit(self, rows: list[tuple[str, list[Text]]]) -> dict[str, int]:
        """Every column as wide as its widest cell; the title and the next
        action share what is left, the title the larger part. On a narrow
        terminal the title keeps at least TITLE_MIN cells (what the item is
        matters most): the next action, then the chases, the age and the kind
        give way first (cut, their full text in the detail)."""
        table = self.table
        pad = 2 * table.cell_padding
        keys = [k for k, _ in COLUMNS]
        widths = {key: max([cell_len(t(label))] + [cell_len(r[1][j].plain) for r in rows])
                  for j, (key, label) in enumerate(COLUMNS)}
        fixed = sum(w + pad for key, w in widths.items() if key not in FLEX)
        available = (table.size.width or self.size.width or 80) - 1  # the scrollbar
        room = max(available - fixed - len(FLEX) * pad, 8)
        nxt = min(widths["next_action"], max(room // 3, 6))
        deficit = min(widths["title"], TITLE_MIN) - (room - nxt)
        if deficit > 0:
            give = min(deficit, max(nxt - NEXT_MIN, 0))
            nxt, deficit = nxt - give, deficit - give
        for key in ("chases", "age", "kind_label"):
            if deficit <= 0:
                break
            floor = cell_len(t(dict(COLUMNS)[key]))
            give = min(deficit, max(widths[key] - floor, 0))
            if give:
                widths[key] -= give
                room, deficit = room + give, deficit - give
        limits = {"next_action": nxt, "title": max(room - nxt, 4), "chases": widths["chases"],
                  "age": widths["age"], "kind_label": widths["kind_label"]}
        for key, limit in limits.items():
            j = keys.index(key)
            for _key, cells in rows:
                if cell_len(cells[j].plain) > limit:
                    cells[j].truncate(limit, overflow="ellipsis")
            widths[key] = min(widths[key], limit)
        return widths

    def on_resize(self) -> None:
        if self.page is not None:
            self.call_after_refresh(self.redraw)

    def _filter_text(self) -> str:
        f = self.filters
        parts = [t("tui.open.filter.kind", kind=t(f"open.kind.{f.kind}") if f.kind else t("tui.open.kind.all"))]
        parts.append(t("tui.open.filter.mine") if f.mine else t("tui.open.filter.everyone"))
        if f.overdue:
            parts.append(t("tui.open.filter.overdue"))
        return " · ".join(parts)

    def _show_title(self) -> None:
        box = self.query_one("#open-items-box")
        box.border_title = Text.assemble((t("tui.open.title"), "bold"), "  ", (self._filter_text(), "dim"))

    def _show_status(self, now: datetime) -> None:
        page = self.page
        if page is None:
            return
        # Overdue among the shown rows may have grown since the page was read.
        overdue = max(page.overdue, sum(1 for i in page.items if is_overdue(i.due_at, now)))
        pages = max((page.total + self.page_size - 1) // self.page_size, 1)
        text = Text(no_wrap=True, overflow="ellipsis")
        if page.total == 0:
            text.append(t("tui.open.empty"))
        else:
            text.append(t("tui.open.page", page=page.offset // self.page_size + 1, pages=pages,
                          first=page.offset + 1, last=page.offset + len(page.items), count=page.total))
        text.append(" · ")
        styles = self._styles or row_styles(self.app)
        text.append(t("tui.open.overdue_count", count=overdue), styles.overdue if overdue else styles.quiet)
        self.query_one("#open-items-status", Static).update(text)

    # --- keys ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in self.ITEM_ACTIONS:
            return True
        item = self.highlighted()
        # Only one of instruct / answer shows for a row: an instruction is
        # answered, anything else gets one. With no row, the keys show dimmed.
        if action == "answer":
            return item is not None and item.kind == "instruction"
        if item is None:
            return None
        if action == "instruct":
            return item.kind != "instruction"
        return True

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        item = self.highlighted()
        if item is not None and item_key(item) == str(event.row_key.value):
            self.app.open_detail(item.record_kind, item.id)  # type: ignore[attr-defined]

    def _push(self, name: str, *args: Any) -> None:
        from duty_desk.tui.forms import followup

        self.app.push_screen(getattr(followup, name)(self.desk, *args), lambda _r: self.table.focus())

    def action_chase(self) -> None:
        if (item := self.highlighted()) is not None:
            self._push("ChaseForm", item.record_kind, item.id)

    def action_transfer(self) -> None:
        if (item := self.highlighted()) is not None:
            self._push("TransferForm", item.record_kind, item.id)

    def action_instruct(self) -> None:
        if (item := self.highlighted()) is not None and item.kind != "instruction":
            self._push("InstructionForm", item.record_kind, item.id)

    def action_answer(self) -> None:
        if (item := self.highlighted()) is not None and item.kind == "instruction":
            self._push("AnswerForm", item.id)

    def _refilter(self, filters: Filters) -> None:
        self.filters = filters
        self.row_offset = 0
        self.page = None  # the cursor goes to the top of what is found
        self._show_title()
        self.query_one("#open-items-status", Static).update(Text(t("tui.open.loading")))
        self.reload()

    def action_next_kind(self) -> None:
        i = KIND_CYCLE.index(self.filters.kind)
        self._refilter(Filters(KIND_CYCLE[(i + 1) % len(KIND_CYCLE)], self.filters.mine, self.filters.overdue))

    def action_toggle_mine(self) -> None:
        self._refilter(Filters(self.filters.kind, not self.filters.mine, self.filters.overdue))

    def action_toggle_overdue(self) -> None:
        self._refilter(Filters(self.filters.kind, self.filters.mine, not self.filters.overdue))

    def action_page(self, step: int, to_end: bool = False) -> None:
        """To the next (1) or previous (-1) page of the list, if there is one."""
        total = self.page.total if self.page else 0
        offset = self.row_offset + step * self.page_size
        if offset < 0 or offset >= total:
            return
        self.row_offset = offset
        self.reload(to_end)

    def action_page_down(self) -> None:
        table = self.table
        if table.row_count and table.cursor_row < table.row_count - 1:
            table.action_page_down()
        else:
            self.action_page(1)

    def action_page_up(self) -> None:
        table = self.table
        if table.row_count and table.cursor_row > 0:
            table.action_page_up()
        else:
            self.action_page(-1, to_end=True)

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)
