"""The header line (office, duty day, who is on duty, the clock, the
overdue count) and, in the compact layout, the tab strip of the lower panes."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from duty_desk.core import clock
from duty_desk.core.desk import Desk
from duty_desk.core.dutytime import to_local
from duty_desk.core.i18n import t
from duty_desk.core.onduty import HeaderFacts
from duty_desk.core.sanitize import shown
from duty_desk.tui.theme import row_styles


def day_label(day: date) -> str:
    """A duty day as the header names it: 2026-11-23 周一."""
    return t("tui.header.day", date=day.isoformat(), weekday=t(f"tui.weekday.{day.weekday()}"))


class HeaderBar(Static):
    """One line: office, duty day, officers and leaders on duty, the clock."""

    help_key = "tui.help.header"

    def __init__(self, desk: Desk, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.desk = desk
        self.facts: HeaderFacts | None = None
        self.overdue = 0  # open items past their due time, all kinds and days
        # In history: who was on duty on the day shown (core.history.DayFacts);
        # the line then leads with a marker that this is not today.
        self.history: Any = None
        self._drawn: Text | None = None  # the line last drawn

    def update_if_changed(self) -> None:
        """Redraw only when the line would differ (the clock moved to the next
        minute, a count or a fact changed): an idle desk sends nothing."""
        if self._drawn is None or self._line() != self._drawn:
            self.refresh()

    def render(self) -> Text:
        self._drawn = self._line()
        return self._drawn

    def _line(self) -> Text:
        cfg = self.desk.cfg
        local = to_local(clock.now(), cfg)
        facts = self.facts
        # To the minute: the log's times are, and an idle desk then redraws
        # nothing for 59 seconds of every minute.
        right = Text(local.strftime("%H:%M"), style="bold")
        if facts is not None and facts.handed_over_at:
            # Off duty: said beside the clock, where it is never cut.
            off = Text(f" {t('tui.header.handed_over', time=facts.handed_over_at)} ",
                       style=row_styles(self.app).warn + Style(reverse=True))
            right = Text.assemble(off, " ", right)
        if self.overdue:
            # Beside the clock, never cut: the office name gives way first.
            late = Text(f" {t('tui.header.overdue', count=self.overdue)} ",
                        style=row_styles(self.app).overdue + Style(reverse=True))
            right = Text.assemble(late, " ", right)
        width = self.size.width or 80
        parts: list[Text] = []
        if self.history is not None:
            parts = self._history_parts(self.history)
        elif facts is not None and facts.rostered:
            # The roster's names: what gives way (after the office name) is
            # who is actually on duty beside the mark, then the phones of all
            # leaders but the first, then that one's too.
            for variant in range(4):
                parts = self._roster_parts(facts, variant)
                if cell_len(Text("  ").join(parts).plain) + cell_len(right.plain) + 4 <= width:
                    break
        elif facts is not None:
            parts = [Text(self._day(facts))]
            parts.append(Text.assemble(t("tui.header.officers") + " ",
                                       Text(shown("、".join(facts.officers)) or "—", style="bold")))
            parts.append(Text.assemble(t("tui.header.leaders") + " ",
                                       Text(shown("、".join(facts.leaders)) or "—", style="bold")))
        rest = Text("  ").join(parts)
        room = width - cell_len(rest.plain) - cell_len(right.plain) - 4
        office = Text(shown(cfg.office_name), style="bold", no_wrap=True, overflow="ellipsis")
        if room < cell_len(office.plain):
            # A name cut to a lone "…" says nothing: then it gives way entirely.
            office = office if room >= 3 else Text("")
            office.truncate(max(room, 0), overflow="ellipsis")
        left = Text.assemble(office, "  " if office.plain else "", rest)
        if cell_len(left.plain) + cell_len(right.plain) + 1 > width:
            # The clock and the overdue count are never cut: the left gives way.
            left.truncate(max(width - cell_len(right.plain) - 1, 0), overflow="ellipsis")
        gap = max(width - cell_len(left.plain) - cell_len(right.plain), 1)
        line = Text.assemble(left, " " * gap, right, no_wrap=True, overflow="crop")
        line.truncate(width)
        return line


    def _day(self, facts: HeaderFacts) -> str:
        day = t("tui.header.day", date=facts.day.isoformat(), weekday=t(f"tui.weekday.{facts.day.weekday()}"))
        if len(self.desk.cfg.shifts) > 1:
            day += " " + facts.shift_name
        return day

    def _roster_parts(self, facts: HeaderFacts, variant: int) -> list[Text]:
        """The day, the officers the roster names for this slot, a mark when
        who is actually on duty differs (with their names in ``variant`` 0),
        the leaders with phones (all in 0-1, the first only in 2, none in 3)."""
        parts = [Text(self._day(facts))]
        officers = Text.assemble(t("tui.header.officers") + " ",
                                 Text(shown("、".join(facts.rostered_officers)) or "—", style="bold"))
        parts.append(officers)
        if facts.roster_differs:
            mark = Text(f" {t('tui.roster.header.differs')} ",
                        style=row_styles(self.app).warn + Style(reverse=True, bold=True))
            if variant == 0:
                actual = shown("、".join(facts.officers)) or "—"
                mark = Text.assemble(mark, " ", t("tui.roster.header.actual", names=actual))
            parts.append(mark)
        leaders = []
        for i, (name, phone) in enumerate(facts.rostered_leaders):
            with_phone = phone and (variant < 2 or (variant == 2 and i == 0))
            leaders.append(shown(f"{name} {phone}" if with_phone else name))
        parts.append(Text.assemble(t("tui.header.leaders") + " ", Text("、".join(leaders) or "—", style="bold")))
        return parts

    def _history_parts(self, facts: Any) -> list[Text]:
        """A marker that this is not today (never cut: the office name gives
        way to it), the day shown and who was on duty that day."""
        marker = Text(f" {t('tui.history.marker')} ", style=row_styles(self.app).warn + Style(reverse=True, bold=True))
        parts = [marker, Text(day_label(facts.day), style="bold")]
        if not facts.shifts:
            parts.append(Text(t("tui.history.nobody"), style="dim"))
            return parts
        parts.append(Text.assemble(t("tui.header.officers") + " ",
                                   Text(shown("、".join(facts.officers)) or "—", style="bold")))
        parts.append(Text.assemble(t("tui.header.leaders") + " ",
                                   Text(shown("、".join(facts.leaders)) or "—", style="bold")))
        return parts


class PaneTabs(Static):
    """In the compact layout: which lower pane shows, and what each holds."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.summary = Text()

    def render(self) -> Text:
        return self.summary

    def show(self, summary: Text) -> None:
        if summary != self.summary:
            self.summary = summary
            self.refresh()
