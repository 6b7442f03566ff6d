"""交接班 screen: the outgoing officer previews the sheet, writes notes and
hands over; the incoming officer (another login) reads back every carried-over
item and accepts.

The screen shows what the core says: ``load_view`` reads the sheet
(duty_desk.core.handover) and the read-backs on a worker thread, every write is a
call of duty_desk.core.services.handover in a worker, followed by a fresh read. A
refusal is shown in the screen as the core words it; nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import HorizontalGroup, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static, TextArea

from duty_desk.core.desk import Desk
from duty_desk.core.errors import DeskError
from duty_desk.core.handover import (
    NO_LINE_END,
    NO_LINE_START,
    CarriedItem,
    CustodyLine,
    Sheet,
    TimelineLine,
    counts_line,
    due_text,
    event_text,
    full_time,
    header_fields,
    kind_label,
    readback_mark,
    sheet_of,
    short_time,
    urgent_facts,
    zero_text,
)
from duty_desk.core.i18n import t
from duty_desk.core.rules import event_label, field_label
from duty_desk.core.sanitize import shown
from duty_desk.core.services import handover as ho
from duty_desk.tui.bindings import translate_bindings
from duty_desk.tui.help import HelpScreen, help_text_for, spelled
from duty_desk.tui.messages import RecordsChanged
from duty_desk.tui.safe import shown_all, store_failure
from duty_desk.tui.screens.base import in_thread
from duty_desk.tui.theme import row_styles

# Notes typed but not yet handed over, per store and login: closing the
# screen (or a refusal) must not lose them. Kept for the life of the process.
_NOTES: dict[tuple[str, str], str] = {}


# --- what the screen shows, read on a worker thread ------------------------------


@dataclass
class ReadBackItem:
    """One carried-over item as the incoming officer reads it back."""

    item_id: int
    kind: str  # label
    title: str
    owner: str  # name
    due: str
    overdue: bool
    chases: str
    next_action: str
    readback: str | None  # by whoever read it back
    read_back_by: str  # name
    mine: bool  # read back by the acting officer: only that counts for acceptance


@dataclass
class HandoverView:
    # preview: the shift is open, the sheet as it stands; handed: waiting for
    # someone else to take over; incoming: the actor may read back and accept;
    # accepted: done.
    mode: str
    sheet: Sheet
    shift_id: int | None
    handover_id: int | None
    items: list[ReadBackItem] = field(default_factory=list)
    # Preview only: the acting officer is not on the shift shown, and nothing
    # waits to be taken over (the screen says so; F8 would be refused).
    not_theirs: bool = False

    @property
    def read_back(self) -> int:
        return sum(1 for i in self.items if i.mine)


def load_view(desk: Desk, shift_id: int | None = None) -> HandoverView:
    """The handover of ``shift_id``; without one, the handover waiting to be
    accepted, else the preview of the acting officer's shift."""
    if shift_id is not None:
        shift, handover = ho.shift_and_handover(shift_id)
    else:
        handover = ho.pending_handover(desk)
        shift = handover.shift if handover is not None else ho.shift_to_preview(desk)
    sheet = sheet_of(desk, shift)
    if handover is None:
        not_theirs = bool(sheet.outgoing_logins) and desk.actor not in sheet.outgoing_logins
        return shown_all(HandoverView("preview", sheet, shift.id, None, not_theirs=not_theirs))
    if handover.accepted_by:
        mode = "accepted"
    elif desk.actor in ho.outgoing_logins(handover) or desk.officer().role == "leader":
        mode = "handed"  # the core would refuse them anyway; no read-back to offer
    else:
        mode = "incoming"
    rows = {i.id: i for i in ho.items_of(handover.id)}
    items = []
    for c in sheet.carried:
        row = rows.get(c.item_id or 0)
        if row is None:
            continue
        items.append(ReadBackItem(
            row.id, kind_label(c.kind), c.title, c.owner_name, due_text(c), c.overdue, c.chases, c.next_action,
            row.readback if row.read_back_at is not None else None, c.read_back_by,
            row.read_back_by == desk.actor))
    # Stored text (titles, notes, names, read-backs) made safe to show, once.
    return shown_all(HandoverView(mode, sheet, shift.id, handover.id, items))


def hand_over_and_load(desk: Desk, notes: str, shift_id: int | None) -> tuple[int, HandoverView]:
    handover = ho.hand_over(desk, notes, shift_id=shift_id)
    return handover.id, load_view(desk, handover.__data__["shift"])


def read_back_and_load(desk: Desk, item_id: int, restated: str | None,
                       shift_id: int | None) -> tuple[int, HandoverView]:
    item = ho.read_back(desk, item_id, restated)
    return item.__data__["handover"], load_view(desk, shift_id)


def accept_and_load(desk: Desk, handover_id: int, shift_id: int | None) -> tuple[int, HandoverView]:
    handover = ho.accept(desk, handover_id)
    return handover.id, load_view(desk, shift_id)


# --- the sheet as Rich renderables ------------------------------------------------


def _can_break(before: str, after: str) -> bool:
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    return before == " " or cell_len(before) == 2 or cell_len(after) == 2


def cjk_breaks(line: str, width: int) -> list[int]:
    """Where to break ``line`` so each piece fits ``width`` cells: between
    wide characters or after a space, never before closing punctuation.
    (Rich breaks only at spaces, so "李明 已于 10:00 交班，……" would leave
    half a line empty before the Chinese run.)"""
    offsets: list[int] = []
    start, used, last = 0, 0, 0
    for i, ch in enumerate(line):
        if i > start and _can_break(line[i - 1], ch):
            last = i
        size = cell_len(ch)
        if used + size > width and i > start:
            cut = last if last > start else i
            offsets.append(cut)
            start, used, last = cut, cell_len(line[cut:i]), cut
        used += size
    return offsets


class Wrapped:
    """A Text wrapped the way Chinese is: at any character, styles kept."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(options.max_width, 2)
        for line in self.text.split("\n", allow_blank=True):
            for piece in line.divide(cjk_breaks(line.plain, width)):
                piece.rstrip()
                piece.no_wrap, piece.overflow, piece.end = True, "crop", "\n"
                yield piece

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        lines = self.text.plain.split("\n")
        widest = max((cell_len(ln) for ln in lines), default=0)
        return Measurement(min(2, widest), widest).clamp(max_width=options.max_width)


def wrapped(text: str | Text, style: Style | str = "") -> Wrapped:
    return Wrapped(text if isinstance(text, Text) else Text(text, style=style))


def _section(title: str) -> Text:
    return Text("\n" + title, style="bold underline")


def _indented(renderable: RenderableType, cells: int = 3) -> Padding:
    return Padding(renderable, (0, 0, 0, cells))


def _table(*columns: tuple[str, dict[str, Any]]) -> Table:
    table = Table(box=None, show_edge=False, pad_edge=False, padding=(0, 1), expand=True, header_style="bold")
    for header, options in columns:
        table.add_column(header, **options)
    return table


class FieldLines:
    """Label and value pairs, two to a line where both fit in half the width,
    else one; labels padded in cells so Chinese labels line up."""

    def __init__(self, fields: list[tuple[str, str]]) -> None:
        self.fields = fields

    def _grid(self, widths: list[int | None]) -> Table:
        grid = Table.grid(padding=0)
        for i, width in enumerate(widths):
            grid.add_column(width=width, no_wrap=i % 2 == 0, overflow="fold",
                            style="bold" if i % 2 == 0 else "")
        return grid

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        label = max((cell_len(k) for k, _ in self.fields), default=0) + 2
        half = width // 2
        i = 0
        while i < len(self.fields):
            here = self.fields[i]
            there = self.fields[i + 1] if i + 1 < len(self.fields) else None
            if (there is not None and label + cell_len(here[1]) < half
                    and label + cell_len(there[1]) <= width - half):
                grid = self._grid([label, half - label, label, width - half - label])
                grid.add_row(Text(here[0]), Text(here[1]), Text(there[0]), Text(there[1]))
                i += 2
            else:
                grid = self._grid([label, max(width - label, 1)])
                grid.add_row(Text(here[0]), Text(here[1]))
                i += 1
            yield grid


class CarriedItems:
    """The carried-over items: a table where there is room for one, else one
    short block per item (at 80 columns a seven-column table leaves the
    item and its next action eight characters a line)."""

    TABLE_WIDTH = 96

    def __init__(self, items: list[CarriedItem], *, handed: bool, current: int | None,
                 overdue: Style | str) -> None:
        self.items = items
        self.handed = handed  # nothing is read back before the hand-over
        self.current = current
        self.overdue = overdue

    def _number(self, n: int, c: CarriedItem) -> Text:
        return Text(("▶" if self.current is not None and c.item_id == self.current else "") + str(c.item_id or n))

    def _item(self, c: CarriedItem) -> Text:
        item = Text(c.title)
        if c.chases:
            item.append("\n" + c.chases, style="dim")
        return item

    def _readback(self, c: CarriedItem) -> Text:
        if c.readback is None or c.readback == c.next_action:
            return Text()
        return Text("\n" + t("handover.readback.line", text=c.readback, by=c.read_back_by), style="italic")

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.table() if options.max_width >= self.TABLE_WIDTH else self.blocks()

    def table(self) -> Table:
        # The item is usually the longer text; a restated next action shows under its own.
        columns = [(t("handover.col.no"), FIXED), (t("handover.col.kind"), FIXED),
                   (t("handover.col.item"), {"ratio": 3, "overflow": "fold"}), (t("handover.col.owner"), FIXED),
                   (t("handover.col.due"), FIXED), (t("handover.col.next"), {"ratio": 2, "overflow": "fold"})]
        if self.handed:
            columns.append((t("handover.col.readback"), FIXED))
        table = _table(*columns)
        for n, c in enumerate(self.items, 1):
            step = Text(c.next_action)
            step.append_text(self._readback(c))
            cells = [self._number(n, c), Text(kind_label(c.kind)), wrapped(self._item(c)), Text(c.owner_name),
                     Text(due_text(c), style=self.overdue if c.overdue else ""), wrapped(step)]
            if self.handed:
                cells.append(Text(readback_mark(c)))
            table.add_row(*cells, style="bold" if c.item_id == self.current else "")
        return table

    def blocks(self) -> Table:
        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        kinds = {c.kind: kind_label(c.kind) for c in self.items}
        kind_width = max(cell_len(k) for k in kinds.values())  # titles start in one column
        for n, c in enumerate(self.items, 1):
            kind = kinds[c.kind]
            body = Text.assemble((kind, "bold"), " " * (kind_width - cell_len(kind) + 2))
            body.append_text(self._item(c))
            body.append("\n" + f"{t('handover.col.owner')} {c.owner_name}")
            if c.due_at is not None:
                body.append(f"  {t('handover.col.due')} ")
                body.append(due_text(c), style=self.overdue if c.overdue else "")
            body.append(f"  {t('tui.handover.item.next')}{c.next_action}")
            if self.handed and c.readback is not None:
                body.append(f"  〔{readback_mark(c)}〕", style="bold")
            body.append_text(self._readback(c))
            grid.add_row(self._number(n, c), wrapped(body), style="bold" if c.item_id == self.current else "")
        return grid


class Timeline:
    """An urgent item's timeline: a table where there is room, else a line
    per event (time, then what, who, to whom and the text, wrapped)."""

    TABLE_WIDTH = 90

    def __init__(self, events: list[TimelineLine]) -> None:
        self.events = events

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width >= self.TABLE_WIDTH:
            table = _table((t("handover.col.at"), FIXED), (t("handover.col.event"), FIXED),
                           (t("handover.col.by"), FIXED), (t("handover.col.party"), WIDE),
                           (t("handover.col.text"), {"ratio": 2, "overflow": "fold"}))
            for e in self.events:
                table.add_row(Text(short_time(e.at)), Text(event_label(e.kind, e.seq)), Text(e.by), wrapped(e.party),
                              wrapped(event_text(e)), style="dim strike" if e.voided else "")
            yield table
            return
        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        for e in self.events:
            line = Text.assemble((event_label(e.kind, e.seq), "bold"), " ", e.by)
            if e.party:
                line.append(f" → {e.party}")
            if event_text(e):
                line.append("：" + event_text(e))
            grid.add_row(Text(short_time(e.at)), wrapped(line), style="dim strike" if e.voided else "")
        yield grid


class Custody:
    """Classified copies: register data and who holds each, never content.
    A table where there is room, else two lines a copy."""

    TABLE_WIDTH = 90

    def __init__(self, copies: list[CustodyLine]) -> None:
        self.copies = copies

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width >= self.TABLE_WIDTH:
            table = _table((t("handover.col.serial"), FIXED), (t("handover.col.classification"), FIXED),
                           (t("handover.col.copy"), FIXED), (t("handover.col.sender"), WIDE),
                           (t("handover.col.doc_number"), WIDE), (t("handover.col.custody"), WIDE),
                           (t("handover.col.state"), FIXED))
            for d in self.copies:
                table.add_row(Text(d.serial), Text(d.classification), Text(f"{d.copy_number}/{d.copies}"),
                              wrapped(d.sender), wrapped(d.doc_number), wrapped(d.custody),
                              Text(t(f"state.document.{d.state}")))
            yield table
            return
        for d in self.copies:
            line = Text.assemble((f"{d.serial}  {d.classification}", "bold"), f"  {d.doc_number}  {d.sender}")
            line.append(f"\n{t('handover.col.copy')} {d.copy_number}/{d.copies}  "
                        f"{t('handover.col.custody')} ")
            line.append(d.custody, style="bold")
            line.append(f"  {t('handover.col.state')} {t(f'state.document.{d.state}')}")
            yield wrapped(line)


FIXED = {"no_wrap": True}
WIDE = {"ratio": 1, "overflow": "fold"}


def sheet_renderable(sheet: Sheet, *, overdue: Style | str = "bold", current: int | None = None,
                     show_notes: bool = True) -> RenderableType:
    """The sheet on screen, in the order of the paper one. Every piece of
    user text is a Text, never markup. ``current`` marks the carried-over item
    being read back."""
    parts: list[RenderableType] = []
    title = Text(f"{sheet.office}  {t('handover.title')}", style="bold", justify="center")
    if sheet.state == "open":
        title.append(t("handover.preview"), style="not bold")
    parts.append(title)
    fields = header_fields(sheet)
    # duty date, state / shift / outgoing, leaders / incoming, handed over at
    parts.append(FieldLines([fields[i] for i in (0, 6, 1, 2, 3, 4, 5)]))

    parts.append(_section(t("handover.sec.counts")))
    for line in counts_line(sheet):
        parts.append(_indented(wrapped(line), 2))
    parts.append(_indented(wrapped(f"{t('handover.field.zero_report')}：{zero_text(sheet)}",
                                style="" if sheet.zero_report or sheet.day_has_items else overdue), 2))

    parts.append(_section(t("handover.sec.urgent", n=len(sheet.urgent))))
    if not sheet.urgent:
        parts.append(_indented(wrapped(t("handover.none")), 2))
    for n, u in enumerate(sheet.urgent, 1):
        parts.append(_indented(wrapped(f"{n}. {u.title}", style="bold"), 2))
        for fact in urgent_facts(u):
            style = overdue if u.overdue and fact.endswith(t("handover.urgent.overdue")) else ""
            parts.append(_indented(wrapped(fact, style=style), 5))
        if u.timeline:
            parts.append(_indented(Timeline(u.timeline), 5))

    parts.append(_section(t("handover.sec.carried", n=len(sheet.carried))))
    if not sheet.carried:
        parts.append(_indented(wrapped(t("handover.none")), 2))
    else:
        parts.append(_indented(CarriedItems(sheet.carried, handed=sheet.state != "open", current=current,
                                            overdue=overdue), 2))
        if any(c.overdue for c in sheet.carried):
            parts.append(_indented(wrapped(t("handover.overdue_legend"), style="dim"), 2))

    parts.append(_section(t("handover.sec.custody", n=len(sheet.custody))))
    if not sheet.custody:
        parts.append(_indented(wrapped(t("handover.none")), 2))
    else:
        parts.append(_indented(Custody(sheet.custody), 2))

    parts.append(_section(t("handover.sec.amendments", n=len(sheet.amendments))))
    if not sheet.amendments:
        parts.append(_indented(wrapped(t("handover.none")), 2))
    for n, a in enumerate(sheet.amendments, 1):
        parts.append(_indented(wrapped(f"{n}. " + t("handover.amendment.line", kind=t(f"kind.{a.kind}"), id=a.record_id,
                                                  amends=a.amends, by=a.by, at=short_time(a.at))), 2))
        if a.reason:
            parts.append(_indented(wrapped(t("handover.amendment.reason", reason=a.reason)), 5))
        for fname, old, new in a.changes:
            parts.append(_indented(wrapped(t("handover.amendment.change", field=field_label(fname, where="sheet"),
                                          old=old or "—", new=new or "—")), 5))

    if show_notes:
        parts.append(_section(t("handover.sec.notes")))
        parts.append(_indented(wrapped(sheet.notes or t("handover.none")), 2))

    audit = Table.grid(padding=(0, 2))
    audit.add_column(style="bold", no_wrap=True)
    audit.add_column(overflow="fold")
    audit.add_row(Text(t("handover.audit")),
                  wrapped(t("handover.audit.line", short=sheet.audit_short, count=sheet.audit_count)))
    parts.append(Text(""))
    parts.append(audit)
    return Group(*parts)


# --- the confirm step -------------------------------------------------------------


class ConfirmStep(ModalScreen[bool]):
    """Say what the step does and wait for a deliberate yes."""

    BINDINGS: ClassVar = [
        Binding("enter,y", "answer(True)", "tui.handover.key.yes", id="handover.confirm.yes"),
        Binding("escape,n", "answer(False)", "tui.handover.key.no", id="handover.confirm.no"),
    ]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        box = Vertical(id="handover-confirm-box")
        box.border_title = Text(self.title_text)
        box.border_subtitle = Text(t("tui.handover.confirm.keys"))
        with box:
            yield Static(wrapped(self.body), id="handover-confirm-body")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


# --- help and palette -------------------------------------------------------------


class HandoverHelp(HelpScreen):
    """F1 on the handover screen: what it is for, and its own keys."""

    def __init__(self, screen: HandoverScreen) -> None:
        super().__init__(screen)
        self.rows = screen.key_rows()

    def compose(self) -> ComposeResult:
        title, body = help_text_for(self.target)
        with VerticalScroll(id="help-box") as box:
            box.border_title = title
            box.border_subtitle = t("tui.help.close")
            yield Static(wrapped(body), id="help-body")
            yield Static(Text(t("tui.handover.help.keys"), style="bold"), id="help-keys-title")
            width = max((cell_len(k) for k, _ in self.rows), default=0) + 2
            keys = Text()
            for key, label in self.rows:
                keys.append(key + " " * (width - cell_len(key)), style="bold")
                keys.append(label + "\n")
            yield Static(keys, id="help-keys")


class HandoverCommands(Provider):
    """The palette (ctrl+p) offers the handover screen's actions that apply now."""

    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        screen = self.screen
        return screen.palette_commands() if isinstance(screen, HandoverScreen) else []

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


# --- the screen ---------------------------------------------------------------------

# action -> (label key, the modes it applies in)
ACTIONS: dict[str, tuple[str, frozenset[str]]] = {
    "hand_over": ("tui.handover.key.hand_over", frozenset({"preview"})),
    "accept": ("tui.handover.key.accept", frozenset({"incoming"})),
    "read_back": ("tui.handover.key.read_back", frozenset({"incoming"})),
    "why_not": ("tui.handover.key.why_not", frozenset({"handed", "accepted"})),
    "previous_item": ("tui.handover.key.previous", frozenset({"incoming"})),
    "next_item": ("tui.handover.key.next", frozenset({"incoming"})),
    "sheet_up": ("tui.handover.key.sheet_up", frozenset()),
    "sheet_down": ("tui.handover.key.sheet_down", frozenset()),
    "reload": ("tui.handover.key.reload", frozenset()),
    "help": ("tui.handover.key.help", frozenset()),
    "close": ("tui.handover.key.close", frozenset()),
}


class HandoverScreen(ModalScreen[int | None]):
    """交接班. Dismissed with the handover's id when this session handed over,
    read back or accepted something, else None."""

    help_key = "tui.handover.help"
    COMMANDS: ClassVar = {HandoverCommands}
    AUTO_FOCUS = None  # focus follows the mode, once the sheet is read

    BINDINGS: ClassVar = [
        Binding("escape", "close", "tui.handover.key.close", id="handover.close"),
        Binding("f1", "help", "tui.handover.key.help", id="handover.help"),
        # One key for the step that ends each side: hand over, or accept.
        Binding("f8", "hand_over", "tui.handover.key.hand_over", id="handover.hand_over"),
        Binding("f8", "accept", "tui.handover.key.accept", id="handover.accept"),
        # Where neither step is open to this officer, the same key says why.
        Binding("f8", "why_not", "tui.handover.key.why_not", show=False, id="handover.why_not"),
        # Priority, so the footer shows them over the input's own keys; they
        # are enabled only while reading back, and pass through otherwise.
        Binding("enter", "read_back", "tui.handover.key.read_back", priority=True, id="handover.read_back"),
        Binding("up", "previous_item", "tui.handover.key.previous", priority=True, id="handover.previous_item"),
        Binding("down", "next_item", "tui.handover.key.next", priority=True, id="handover.next_item"),
        Binding("pageup", "sheet_up", "tui.handover.key.sheet_up", show=False, id="handover.sheet_up"),
        Binding("pagedown", "sheet_down", "tui.handover.key.sheet_down", show=False, id="handover.sheet_down"),
        Binding("f5", "reload", "tui.handover.key.reload", show=False, id="handover.reload"),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__(id="handover")
        translate_bindings(self)
        self.desk = desk
        self.view: HandoverView | None = None
        self.shift_id: int | None = None
        self.current = 0  # index into view.items
        self.typed: dict[int, str] = {}  # item id -> restatement typed, not yet sent
        self.busy = False
        self.result: int | None = None
        self._notes_key = (str(desk.db.database), desk.actor)

    # --- layout -----------------------------------------------------------------
    def compose(self) -> ComposeResult:
        box = Vertical(id="handover-box")
        box.border_title = Text(t("tui.handover.title"))
        with box:
            with VerticalScroll(id="handover-sheet"):
                yield Static(Text(t("tui.form.loading")), id="handover-content")
            with Vertical(id="handover-outgoing"):
                yield Label(Text(t("tui.handover.notes_label")), id="handover-notes-label")
                yield TextArea(_NOTES.get(self._notes_key, ""), id="handover-notes", compact=True,
                               placeholder=t("tui.handover.notes_placeholder"))
            with Vertical(id="handover-readback"):
                yield Static("", id="handover-item")
                yield HorizontalGroup(Label(Text(t("tui.handover.restate_label")), id="handover-restate-label"),
                                      Input(id="handover-restate", compact=True, select_on_focus=False,
                                            placeholder=t("tui.handover.restate_placeholder")))
            yield Static("", id="handover-status")
            yield Static("", id="handover-message")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        for part in ("#handover-outgoing", "#handover-readback", "#handover-status", "#handover-message"):
            self.query_one(part).display = False
        self.query_one("#handover-sheet").focus()
        self._load()

    # --- reading ----------------------------------------------------------------
    @work(thread=True, exclusive=True, group="handover-load", exit_on_error=False)
    def _load(self) -> None:
        try:
            view = in_thread(self.desk, load_view, self.desk, self.shift_id)
        except DeskError as err:
            self.app.call_from_thread(self.say, shown(err.message))
        except Exception as exc:  # say it; the screen stays usable
            self.app.call_from_thread(self.say, store_failure(exc, self.desk.db, "tui.handover.load_failed"))
        else:
            self.app.call_from_thread(self._show, view)

    def _show(self, view: HandoverView) -> None:
        if not self.is_attached:
            return
        first = self.view is None
        old_mode = self.view.mode if self.view else None
        self._keep_typed()
        self.view = view
        if view.shift_id is not None:
            self.shift_id = view.shift_id
        sheet = view.sheet
        shift = t("handover.shift_label", day=sheet.duty_date.isoformat(), name=sheet.shift_name)
        self.query_one("#handover-box").border_title = Text(
            t("tui.handover.box_title", shift=shift, state=t(f"state.shift.{sheet.state}")))
        if view.mode == "incoming":
            self._pick_current(first)
        self.query_one("#handover-outgoing").display = view.mode == "preview"
        self.query_one("#handover-readback").display = view.mode == "incoming"
        self._render_sheet()
        self._render_item()
        self._render_status()
        if view.mode != old_mode:
            self._focus_for_mode()
        self.refresh_bindings()

    def _pick_current(self, first: bool) -> None:
        """Stay on the item in hand, unless it was just read back: then the
        next one still to read back."""
        items = self.view.items if self.view else []
        if not items:
            self.current = 0
            return
        start = min(self.current, len(items) - 1)
        if not first and not items[start].mine:
            self.current = start
            return
        order = list(range(start, len(items))) + list(range(0, start))
        self.current = next((i for i in order if not items[i].mine), start)

    def _focus_for_mode(self) -> None:
        mode = self.view.mode if self.view else ""
        if mode == "incoming" and self.view and self.view.items:
            self.query_one("#handover-restate", Input).focus()
        else:
            # Preview: the sheet first (arrows scroll it), Tab goes to the notes.
            self.query_one("#handover-sheet").focus()

    def _render_sheet(self) -> None:
        view = self.view
        if view is None:
            return
        current = view.items[self.current].item_id if view.mode == "incoming" and view.items else None
        self.query_one("#handover-content", Static).update(sheet_renderable(
            view.sheet, overdue=row_styles(self.app).overdue, current=current, show_notes=view.mode != "preview"))

    def _render_item(self) -> None:
        view = self.view
        box = self.query_one("#handover-item", Static)
        restate = self.query_one("#handover-restate", Input)
        if view is None or view.mode != "incoming":
            return
        total = len(view.items)
        progress = Text(t("tui.handover.progress", done=view.read_back, total=total), style="bold")
        if not total:
            progress.append("  " + t("tui.handover.no_items", key=self.key_for("accept")))
            box.update(wrapped(progress))
            restate.display = False
            self.query_one("#handover-restate-label").display = False
            return
        item = view.items[self.current]
        text = Text.assemble(progress, "  ", t("tui.handover.item_head", n=self.current + 1, total=total,
                                                kind=item.kind, id=item.item_id))
        text.append("  " + t("tui.handover.item.owner", owner=item.owner))
        if item.due:
            text.append("  ")
            text.append(t("tui.handover.item.due", due=item.due), style=row_styles(self.app).overdue if item.overdue else "")
        text.append("\n")
        text.append(item.title)
        text.append("\n" + t("tui.handover.item.next"), style="bold")
        text.append(item.next_action)
        if item.chases:
            text.append("\n" + item.chases, style="dim")
        if item.mine:
            done = (t("tui.handover.item.confirmed") if item.readback == item.next_action
                    else t("tui.handover.item.restated", text=item.readback or ""))
            text.append("\n✓ " + done, style="bold")
        elif item.readback is not None:
            text.append("\n" + t("tui.handover.item.other", name=item.read_back_by), style="dim")
        if view.read_back == total:
            text.append("\n" + t("tui.handover.all_read", total=total, key=self.key_for("accept")), style="bold")
        box.update(wrapped(text))
        restate.value = self.typed.get(item.item_id, "")
        restate.cursor_position = len(restate.value)

    def _render_status(self) -> None:
        view = self.view
        status = self.query_one("#handover-status", Static)
        if view is not None and view.mode == "preview" and view.not_theirs:
            status.update(wrapped(t("tui.handover.nothing_pending", officers="、".join(view.sheet.outgoing)), "bold"))
            status.set_class(False, "-done")
            status.display = True
            return
        if view is None or view.mode in ("preview", "incoming"):
            status.display = False
            return
        sheet = view.sheet
        if view.mode == "accepted":
            text = t("tui.handover.accepted", name=sheet.incoming, at=full_time(sheet.accepted_at),
                     by=sheet.handed_over_by)
        else:
            text = t("tui.handover.waiting", name=sheet.handed_over_by, at=full_time(sheet.handed_over_at))
        status.update(wrapped(text, "bold"))
        status.set_class(view.mode == "accepted", "-done")
        status.display = True

    def say(self, message: str | Text, tone: str = "error") -> None:
        """The result of the last step, or why it was refused."""
        box = self.query_one("#handover-message", Static)
        box.update(wrapped(message))
        box.display = bool(str(message))
        for cls in ("-error", "-info", "-ok"):
            box.set_class(cls == f"-{tone}", cls)

    # --- what was typed ---------------------------------------------------------------
    def _keep_typed(self) -> None:
        view = self.view
        if view is None or view.mode != "incoming" or not view.items:
            return
        value = self.query_one("#handover-restate", Input).value
        item_id = view.items[min(self.current, len(view.items) - 1)].item_id
        if value.strip():
            self.typed[item_id] = value
        else:
            self.typed.pop(item_id, None)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id == "handover-notes":
            _NOTES[self._notes_key] = event.text_area.text

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_read_back()

    # --- keys ---------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ACTIONS and ACTIONS[action][1]:
            if self.view is None or self.view.mode not in ACTIONS[action][1]:
                return False
            if action in ("read_back", "previous_item", "next_item") and not self.view.items:
                return False
        return True

    def key_for(self, action: str) -> str:
        """The key that runs ``action`` here, as the footer shows it, spelled out."""
        keymap: dict[str, str] = getattr(self.app, "keymap", {})
        for _key, binding in self._bindings:
            if binding.action == action:
                key = keymap.get(binding.id or "", binding.key).split(",")[0].strip()
                shown = spelled(self.app.get_key_display(Binding(key, binding.action)))
                return {"pgup": "PgUp", "pgdn": "PgDn"}.get(shown, shown)
        return ""

    def key_rows(self) -> list[tuple[str, str]]:
        return [(self.key_for(action), t(label)) for action, (label, _modes) in ACTIONS.items()]

    def palette_commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        out = []
        for action, (label, _modes) in ACTIONS.items():
            if self.check_action(action, ()) is False:
                continue
            key = self.key_for(action)
            out.append((t(label), partial(self.run_action, action),
                        t("tui.palette.key", key=key) if key else ""))
        return out

    def action_close(self) -> None:
        if not self.busy:  # a write in flight must come back to this screen
            self.dismiss(self.result)

    def action_help(self) -> None:
        self.app.push_screen(HandoverHelp(self))

    def action_reload(self) -> None:
        self._load()

    def action_sheet_up(self) -> None:
        self.query_one("#handover-sheet", VerticalScroll).scroll_page_up(animate=False)

    def action_sheet_down(self) -> None:
        self.query_one("#handover-sheet", VerticalScroll).scroll_page_down(animate=False)

    def _move(self, step: int) -> None:
        view = self.view
        if view is None or not view.items:
            return
        self._keep_typed()
        self.current = (self.current + step) % len(view.items)
        self._render_item()
        self._render_sheet()

    def action_previous_item(self) -> None:
        self._move(-1)

    def action_next_item(self) -> None:
        self._move(1)

    # --- the steps ------------------------------------------------------------------
    def action_hand_over(self) -> None:
        view = self.view
        if self.busy or view is None:
            return
        notes = self.query_one("#handover-notes", TextArea).text

        def answered(yes: bool | None) -> None:
            if yes:
                self._start(t("tui.handover.working"))
                self._hand_over(notes, view.shift_id)

        self.app.push_screen(ConfirmStep(t("tui.handover.confirm.hand_over.title"),
                                         t("tui.handover.confirm.hand_over", n=len(view.sheet.carried))), answered)

    def action_read_back(self) -> None:
        view = self.view
        if self.busy or view is None or not view.items:
            return
        item = view.items[self.current]
        typed = self.query_one("#handover-restate", Input).value.strip()
        self._keep_typed()
        self._start(t("tui.handover.working"))
        # An empty line confirms the next action as written; a typed one restates it.
        self._read_back(item.item_id, typed or None, view.shift_id)

    def action_accept(self) -> None:
        view = self.view
        if self.busy or view is None or view.handover_id is None:
            return
        if view.read_back < len(view.items):
            # The core says what is missing (and records the attempt); no confirm
            # for a step that cannot succeed.
            self._start(t("tui.handover.working"))
            self._accept(view.handover_id, view.shift_id)
            return

        def answered(yes: bool | None) -> None:
            if yes and view.handover_id is not None:
                self._start(t("tui.handover.working"))
                self._accept(view.handover_id, view.shift_id)

        moving = sum(1 for c in view.sheet.carried if c.kind != "custody")
        self.app.push_screen(ConfirmStep(t("tui.handover.confirm.accept.title"),
                                         t("tui.handover.confirm.accept", n=moving, by=view.sheet.handed_over_by)),
                             answered)

    def action_why_not(self) -> None:
        """F8 where this officer can neither hand over nor accept (they handed
        it over themselves, they are a leader, it was accepted already): the
        core is asked, and its refusal says why."""
        view = self.view
        if self.busy or view is None or view.handover_id is None:
            return
        self._start(t("tui.handover.working"))
        self._accept(view.handover_id, view.shift_id)

    def _start(self, message: str) -> None:
        self.busy = True
        self.say(message, "info")

    @work(thread=True, exclusive=True, group="handover-write", exit_on_error=False)
    def _hand_over(self, notes: str, shift_id: int | None) -> None:
        self._run(partial(hand_over_and_load, self.desk, notes, shift_id), "hand_over")

    @work(thread=True, exclusive=True, group="handover-write", exit_on_error=False)
    def _read_back(self, item_id: int, restated: str | None, shift_id: int | None) -> None:
        self._run(partial(read_back_and_load, self.desk, item_id, restated, shift_id), "read_back",
                  item_id=item_id, restated=restated)

    @work(thread=True, exclusive=True, group="handover-write", exit_on_error=False)
    def _accept(self, handover_id: int, shift_id: int | None) -> None:
        self._run(partial(accept_and_load, self.desk, handover_id, shift_id), "accept")

    def _run(self, call: Callable[[], tuple[int, HandoverView]], step: str, **about: Any) -> None:
        """On the worker thread: the write and the fresh read; the outcome
        goes back to the event loop."""
        try:
            handover_id, view = in_thread(self.desk, call)
        except DeskError as err:
            self.app.call_from_thread(self._refused, err)
        except Exception as exc:  # a locked or lost store: keep what was typed
            self.app.call_from_thread(self._refused, None, exc)
        else:
            self.app.call_from_thread(self._done, step, handover_id, view, about)

    def _refused(self, err: DeskError | None, exc: Exception | None = None) -> None:
        self.busy = False
        if not self.is_attached:
            return
        self.say(shown(err.message) if err is not None
                 else store_failure(exc, self.desk.db, "tui.handover.failed"))
        self._load()  # the store may have moved on (another session): show it as it is

    def _done(self, step: str, handover_id: int, view: HandoverView, about: dict[str, Any]) -> None:
        self.busy = False
        self.result = handover_id
        if step == "hand_over":
            _NOTES.pop(self._notes_key, None)
            self.app.post_message(RecordsChanged({"shift", "handover"}))
            message = t("tui.handover.done.hand_over", n=len(view.items))
        elif step == "read_back":
            self.typed.pop(about["item_id"], None)
            if self.view and self.view.items and self.view.items[self.current].item_id == about["item_id"]:
                self.query_one("#handover-restate", Input).value = ""
            key = "tui.handover.done.restated" if about["restated"] else "tui.handover.done.confirmed"
            message = t(key, id=about["item_id"])
        else:
            # Ownership moved to this officer: every pane may show it.
            self.app.post_message(RecordsChanged())
            message = t("tui.handover.done.accepted")
        if not self.is_attached:
            return
        self.say(message, "ok")
        self._show(view)
