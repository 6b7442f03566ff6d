"""The handover sheet as Rich renderables, for the desk's handover screen:
Chinese wrapped at any character (core.rules.cjk_breaks), the carried-over
items, the urgent timelines and the custody list."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text

from duty_desk.core.handover import (
    CarriedItem,
    CustodyLine,
    Sheet,
    TimelineLine,
    counts_line,
    due_text,
    event_text,
    header_fields,
    kind_label,
    readback_mark,
    short_time,
    urgent_facts,
    zero_text,
)
from duty_desk.core.i18n import t
from duty_desk.core.rules import cjk_breaks, event_label, field_label


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
    # (then what the roster says, where one is kept)
    parts.append(FieldLines([fields[i] for i in (0, 6, 1, 2, 3, 4, 5)] + fields[7:]))

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
