"""What the four panes share: a table updated in place by row key, loading
from the store in a thread worker, and re-drawing time-dependent cells on the
app's tick without touching the store.

A pane subclass names its columns and supplies three functions: ``fetch``
(runs in a thread: services in, plain frozen rows out), ``visible_rows`` and ``cells``
(run on the event loop from those plain rows and the current time).

In history (``history_day`` set) a pane shows the records of that earlier
duty day, read-only; ``fetch`` is given the day (None: the live desk).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, ClassVar, Generic, TypeVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from duty_desk.core import clock
from duty_desk.core.desk import Desk
from duty_desk.core.dutytime import fmt_duration
from duty_desk.core.i18n import t
from duty_desk.core.sanitize import shown
from duty_desk.tui.bindings import translate_bindings
from duty_desk.tui.theme import RowStyles, row_styles
from duty_desk.tui.workers import run_core

Item = TypeVar("Item")


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label_key: str = ""  # none: a narrow column of marks
    flex: bool = False  # takes the width the other columns leave
    # At most this many cells (0: no limit): a long name or unit is cut with
    # an ellipsis (in full in the detail) rather than push columns off screen.
    max_width: int = 0
    # Its heading in history, where it shows something else (times, not waits).
    history_label_key: str = ""

    @property
    def label(self) -> str:
        return t(self.label_key) if self.label_key else ""

    def label_in(self, history: bool) -> str:
        return t(self.history_label_key) if history and self.history_label_key else self.label


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Text) and isinstance(b, Text):
        return a.plain == b.plain and a.style == b.style and a.spans == b.spans
    return a == b


class DeskTable(DataTable):
    """A DataTable kept in step with a list of rows by row key.

    Cells that changed are updated in place; rows that went away are removed;
    new rows at the end are appended. Only when the order of the remaining
    rows changes (a document passing its deadline moves to the top) is the
    table refilled, and then the cursor stays on the same record.
    """

    BINDINGS: ClassVar = [
        Binding("enter", "select_cursor", "tui.key.detail_short", id="detail"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, show_cursor=True)
        # A red (overdue) row stays red under the cursor.
        self.cursor_foreground_priority = "renderable"
        translate_bindings(self)

    def _set_widths(self, widths: dict[str, int]) -> None:
        """Fix the column widths the pane computed. DataTable would measure
        them itself on idle, but a frame drawn before that keeps its narrow
        columns (cached under the same update count); fixed widths are set
        before the rows change, so the change redraws with them."""
        for key, column in self.columns.items():
            width = widths.get(str(key.value))
            if width is not None and (column.auto_width or column.width != width):
                column.auto_width = False
                column.width = width

    def row_keys(self) -> list[str]:
        return [str(row.key.value) for row in self.ordered_rows]

    def highlighted_key(self) -> str | None:
        if not self.row_count:
            return None
        try:
            return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)
        except Exception:
            return None

    def sync(self, rows: Sequence[tuple[str, Sequence[Text]]], widths: dict[str, int] | None = None) -> None:
        if widths:
            self._set_widths(widths)
        wanted = [key for key, _ in rows]
        wanted_set = set(wanted)
        if self.row_count and wanted_set.isdisjoint(self.row_keys()):
            # Not one row stays (history stepped to another day): one clear,
            # not a removal per row, each of which re-indexes the table.
            self.clear()
            for key, cells in rows:
                self.add_row(*cells, key=key)
            return
        for key in self.row_keys():
            if key not in wanted_set:
                self.remove_row(key)
        kept = self.row_keys()
        columns = [c.key for c in self.ordered_columns]
        if kept == wanted[: len(kept)]:
            for key, cells in rows:
                if key in self.rows:
                    for col, cell in zip(columns, cells, strict=False):
                        if not _same(self.get_cell(key, col), cell):
                            self.update_cell(key, col, cell, update_width=True)
                else:
                    self.add_row(*cells, key=key)
            return
        cursor = self.highlighted_key()
        self.clear()
        for key, cells in rows:
            self.add_row(*cells, key=key)
        if cursor in wanted_set:
            self.move_cursor(row=self.get_row_index(cursor), animate=False)


class DeskPane(Vertical, Generic[Item]):
    """One of the four panes over the store."""

    kind: ClassVar[str] = ""  # record kind of the rows (for detail, void)
    watches: ClassVar[frozenset[str]] = frozenset()  # RecordsChanged kinds that reload it
    title_key: ClassVar[str] = ""
    history_title_key: ClassVar[str] = ""  # its title in history, when it differs
    help_key: ClassVar[str] = ""
    COLUMNS: ClassVar[tuple[ColumnSpec, ...]] = ()
    # Follow new rows at the bottom (the log) rather than keep the top in view.
    follow_end: ClassVar[bool] = False
    # Keys that act on the highlighted row; the screen carries the actions.
    BINDINGS: ClassVar = [
        Binding("f9", "screen.void", "tui.key.void_short", id="void"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="pane")
        translate_bindings(self)
        self.items: list[Item] = []
        self.loaded = False
        self._styles: RowStyles | None = None
        self._title: Text | None = None  # the border title last set
        self._drawn_at: Any = None  # clock_key of the last drawing
        self._table: DeskTable | None = None
        # The earlier duty day shown (history, read-only); None: the live desk.
        self.history_day: date | None = None

    # --- to be supplied by each pane ----------------------------------------

    def fetch(self, desk: Desk) -> list[Item]:
        """Runs in a thread worker: read through the core, return plain rows."""
        raise NotImplementedError

    def fetch_day(self, desk: Desk, day: date) -> list[Item]:
        """The same, in history: the rows of the earlier duty day ``day``."""
        raise NotImplementedError

    def item_key(self, item: Item) -> str:
        return str(item.id)  # type: ignore[attr-defined]

    def visible_rows(self, items: list[Item], now: datetime) -> list[Item]:
        """Which rows to show now, in which order."""
        return items

    def cells(self, item: Item, now: datetime, styles: RowStyles) -> list[Text]:
        raise NotImplementedError

    def subtitle(self, now: datetime) -> str:
        return t("tui.pane.count", count=len(self.items))

    def history_subtitle(self) -> str:
        """The title's summary in history: how many records the day has, or
        that it has none."""
        if not self.items:
            return t("tui.history.empty")
        return t("tui.history.count", count=len(self.items))

    def clock_key(self, now: datetime) -> Any:
        """What of the pane changes with the clock alone, as drawn at ``now``
        (the countdowns as shown, which rows are late): the tick redraws the
        pane only when it differs from the last drawing's. By default the
        time itself (always redrawn)."""
        return now

    # --- building ------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield DeskTable(id=f"{self.id}-table")

    class Loaded(Message):
        """The pane shows fresh rows from the store."""

    def on_mount(self) -> None:
        self.border_title = t(self.title_key)
        table = self.table
        for col in self.COLUMNS:
            table.add_column(Text(col.label), key=col.key)

    @property
    def table(self) -> DeskTable:
        if self._table is None or not self._table.is_attached:
            self._table = self.query_one(DeskTable)
        return self._table

    @property
    def styles_for_rows(self) -> RowStyles:
        if self._styles is None:
            self._styles = row_styles(self.app)
        return self._styles

    def theme_changed(self) -> None:
        self._styles = None
        self.redraw()

    def focus(self, scroll_visible: bool = True) -> DeskPane:
        self.table.focus(scroll_visible)
        return self

    def highlighted_id(self) -> int | None:
        key = self.table.highlighted_key()
        return int(key) if key and key.isdigit() else None

    def row_label(self, item: Item, now: datetime | None = None) -> Text:
        """One row named in full (for asking which row is meant)."""
        cells = self.cells(item, now or clock.now(), self.styles_for_rows)
        return Text("  ").join(cell for cell in cells if cell.plain.strip())

    def item_by_key(self, key: str | None) -> Item | None:
        return next((item for item in self.items if self.item_key(item) == key), None)

    def move_to(self, item: Item) -> None:
        """Put the cursor on ``item``'s row, so the row acted on is the one highlighted."""
        table = self.table
        key = self.item_key(item)
        if key in table.rows:
            table.move_cursor(row=table.get_row_index(key), animate=False)

    def highlighted_item(self) -> Item | None:
        key = self.table.highlighted_key()
        for item in self.items:
            if self.item_key(item) == key:
                return item
        return None

    # --- loading (thread) and drawing (event loop) -----------------------------

    def set_day(self, day: date | None) -> None:
        """Show ``day`` from the next load on (None: the live desk): drawn
        afresh as on a first load, the cursor where a first load puts it."""
        if day != self.history_day:
            self.history_day = day
            self.loaded = False
            for col in self.COLUMNS:
                if col.history_label_key:
                    self.table.columns[ColumnKey(col.key)].label = Text(col.label_in(day is not None))

    def reload(self) -> None:
        desk = self.app.desk  # type: ignore[attr-defined]
        day = self.history_day

        def loaded(items: list[Item]) -> None:
            if day == self.history_day:  # not read for a day the desk has left since
                self.show(items)

        if day is None:
            call, args = self.fetch, (desk,)
        else:
            call, args = self.fetch_day, (desk, day)
        run_core(self, desk, call, *args, done=loaded,
                 failed=lambda message: self.app.notify(message, title=t("tui.load_failed"), severity="error",
                                                        markup=False),
                 group="load", exclusive=True, failure_key="tui.read_failed")

    def show(self, items: list[Item]) -> None:
        self.items = list(items)
        first = not self.loaded
        self.loaded = True
        self.redraw()
        self.post_message(self.Loaded())
        if self.follow_end and first and self.table.row_count:
            self.table.move_cursor(row=self.table.row_count - 1, animate=False)
        elif first and self.table.row_count:
            self.table.move_cursor(row=0, animate=False)

    def add_item(self, item: Item, at: int) -> None:
        """Show one more row (one this desk just wrote) at ``at`` in
        ``items``: at the end, only that row is drawn and added, in the
        widths the columns have (unless it needs a wider one); elsewhere, or
        when the pane orders its rows by time, the whole pane is redrawn."""
        self.items.insert(at, item)
        table = self.table
        now = clock.now()
        if at != len(self.items) - 1 or table.row_count != len(self.items) - 1 \
                or self.visible_rows(self.items, now)[-1] is not item:
            self.redraw(now)
            return
        at_end = table.row_count == 0 or table.cursor_row >= table.row_count - 1
        cells = self.cells(item, now, self.styles_for_rows)
        if not self._fits(cells):
            self.redraw(now)
            return
        table.add_row(*cells, key=self.item_key(item))
        self._set_title(now)
        if self.follow_end and at_end:
            table.move_cursor(row=table.row_count - 1, animate=False)

    def _fits(self, cells: list[Text]) -> bool:
        """Cut ``cells`` to the columns as they are (the flexible one may
        widen into the room the others leave); False when a fixed column
        would have to grow (then the pane is redrawn)."""
        columns = self.table.ordered_columns
        widths = {str(c.key.value): c.width for c in columns}
        flex = None
        for j, col in enumerate(self.COLUMNS):
            if col.max_width and cell_len(cells[j].plain) > col.max_width:
                cells[j].truncate(col.max_width, overflow="ellipsis")
            if col.flex:
                flex = j
            elif cell_len(cells[j].plain) > widths.get(col.key, 0):
                return False
        if flex is not None:
            col = self.COLUMNS[flex]
            room = self._flex_room(widths, col.key)
            if cell_len(cells[flex].plain) > room:
                cells[flex].truncate(room, overflow="ellipsis")
            wanted = max(widths.get(col.key, 0), cell_len(cells[flex].plain))
            if wanted != widths.get(col.key):
                self.table._set_widths({col.key: wanted})
        return True

    def tick(self, now: datetime) -> None:
        """Redraw from the rows in memory when the time moved what they show
        (clock_key); never reads the store."""
        if self.loaded and self.is_attached and self._table is not None and self._table.is_attached:
            if self.clock_key(now) != self._drawn_at:
                self.redraw(now)

    def redraw(self, now: datetime | None = None) -> None:
        now = now or clock.now()
        self._drawn_at = self.clock_key(now)
        table = self.table
        at_end = table.row_count == 0 or table.cursor_row >= table.row_count - 1
        ordered = self.visible_rows(self.items, now)
        styles = self.styles_for_rows
        rows = [(self.item_key(item), self.cells(item, now, styles)) for item in ordered]
        table.sync(rows, self._fit(rows))
        self._set_title(now)
        if self.follow_end and at_end and table.row_count:
            table.move_cursor(row=table.row_count - 1, animate=False)

    def _set_title(self, now: datetime) -> None:
        # The summary goes in the title: the compact layout shows no bottom border.
        summary = self.subtitle(now) if self.history_day is None else self.history_subtitle()
        name = t(self.history_title_key if self.history_day is not None and self.history_title_key
                 else self.title_key)
        title = Text.assemble((name, "bold"), "  ", (summary, "dim"))
        if title != self._title:  # setting it redraws the whole pane
            self._title = title
            self.border_title = title

    def _flex_room(self, widths: dict[str, int], flex_key: str) -> int:
        """The cells the flexible column has: what the others leave."""
        table = self.table
        pad = 2 * table.cell_padding
        fixed = sum(w + pad for key, w in widths.items() if key != flex_key)
        # Before the table is laid out, the pane's content area (inside its
        # border), never the pane's outer width: that would push the last
        # column off the table until the next reload.
        available = (table.size.width or self.container_size.width or 80) - 1  # the scrollbar
        return max(available - fixed - pad, 4)

    def _fit(self, rows: list[tuple[str, list[Text]]]) -> dict[str, int]:
        """Column widths that fit the pane: each column as wide as its widest
        cell or label (Chinese takes two cells), the flexible one cut to what
        the others leave."""
        for j, col in enumerate(self.COLUMNS):
            if col.max_width:
                for _key, cells in rows:
                    if cell_len(cells[j].plain) > col.max_width:
                        cells[j].truncate(col.max_width, overflow="ellipsis")
        widths = {
            col.key: max([cell_len(col.label_in(self.history_day is not None))]
                         + [cell_len(r[1][j].plain) for r in rows])
            for j, col in enumerate(self.COLUMNS)
        }
        flex = [(j, col) for j, col in enumerate(self.COLUMNS) if col.flex]
        if flex:
            j, col = flex[0]
            room = self._flex_room(widths, col.key)
            for _key, cells in rows:
                if cell_len(cells[j].plain) > room:
                    cells[j].truncate(room, overflow="ellipsis")
            widths[col.key] = min(widths[col.key], room)
        return widths

    def on_resize(self) -> None:
        if self.loaded:
            self.call_after_refresh(self.redraw)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        if key and str(key).isdigit():
            self.app.open_detail(self.kind, int(key))  # type: ignore[attr-defined]

    def select_highlighted(self) -> None:
        """Enter on the pane: the highlighted row's detail."""
        record_id = self.highlighted_id()
        if record_id is not None:
            self.app.open_detail(self.kind, record_id)  # type: ignore[attr-defined]


def plain(value: Any, style: Any = None) -> Text:
    """A cell of user text: shown literally, never parsed as markup, and no
    control character or escape sequence reaches the terminal."""
    return Text(shown(value), style=style or "", no_wrap=True,
                overflow="ellipsis", end="")


def fmt_countdown(delta: timedelta, lead: timedelta | None = None) -> str:
    """A signed countdown to the second: 0:29:13, -0:01:05, 1天02:00:00.
    Given a ``lead``, to the second only within it of the due time (before or
    after), else to the minute (1:29, 1天02:00): a far due time then changes
    the screen once a minute, not every second."""
    if lead is not None and abs(delta) > lead:
        return fmt_duration(delta)
    secs = int(delta.total_seconds())
    sign = "-" if secs < 0 else ""
    secs = abs(secs)
    days, rem = divmod(secs, 86400)
    hours, rem = divmod(rem, 3600)
    minutes, seconds = divmod(rem, 60)
    if days:
        return t("duration.days", sign=sign, days=days, hm=f"{hours:02d}:{minutes:02d}:{seconds:02d}")
    return f"{sign}{hours}:{minutes:02d}:{seconds:02d}"
