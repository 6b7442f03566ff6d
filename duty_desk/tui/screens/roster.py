"""排班表: one month of the duty roster as a calendar grid (Monday first),
read-only. Each day's cell: the day, its mark (休 a statutory holiday with its
short name, 班 a weekend worked in its place, 周末 an ordinary weekend, 今
today), flags (⇄ a swap or cover, ✎ changed after publishing, ! a gap) and
who is on duty; below the grid, the highlighted day in full. The month is
read through the core (roster.view.month_roster) on a thread worker; the
cursor moves at once and the grid follows when its month is read. From the
highlighted day an officer asks a swap and an administrator sets cover; the
swap list (screens.swaps) opens from here too."""

from __future__ import annotations

import calendar as _cal
from dataclasses import replace
from datetime import date, timedelta
from typing import Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Footer, Static

from duty_desk.core import clock
from duty_desk.core.desk import Desk
from duty_desk.core.dutytime import duty_date_of, to_local
from duty_desk.core.i18n import known, t
from duty_desk.core.roster.calendar import DayMark, holiday_label
from duty_desk.core.roster.view import MonthRoster, RosterDay, month_roster
from duty_desk.core.sanitize import shown
from duty_desk.tui.bindings import translate_bindings
from duty_desk.tui.screens.screen_keys import ScreenCommands, ScreenHelp
from duty_desk.tui.workers import run_core

# Kinds whose change may change what the month shows (core.changes names).
ROSTER_KINDS = frozenset({"roster", "roster_month", "swap", "leave", "officer"})
# From this height on, officers and leaders each get a line of their own;
# from the next, a blank line parts the weeks.
TALL = 34
ROOMY = 40


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def add_months(day: date, step: int) -> date:
    """The same day of the month ``step`` months away (the last day when shorter)."""
    index = day.year * 12 + day.month - 1 + step
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, _cal.monthrange(year, month)[1]))


def weeks_of(first: date) -> list[list[date | None]]:
    """The month's weeks, Monday first; None outside the month."""
    return [[d if d.month == first.month else None for d in week]
            for week in _cal.Calendar(0).monthdatescalendar(first.year, first.month)]


def fit_names(groups: list[list[str]], width: int, sep: str = "/", join: str = "、") -> str:
    """Groups of names joined (``join`` within, ``sep`` between) in ``width``
    cells: the longest name loses a character at a time until it fits, then
    the rest is cut (a wide character is never split)."""
    names = [list(g) for g in groups]

    def line() -> str:
        return sep.join(join.join(g) for g in names)

    while cell_len(line()) > width:
        longest = max(((i, j) for i, g in enumerate(names) for j in range(len(g))),
                      key=lambda ij: cell_len(names[ij[0]][ij[1]]), default=None)
        if longest is None or len(names[longest[0]][longest[1]]) <= 1:
            break
        i, j = longest
        names[i][j] = names[i][j][:-1]
    return crop(line(), width)


def crop(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` cells (a half wide character dropped)."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width).rstrip()


def short_holiday(mark: DayMark) -> str:
    key = f"tui.roster.short.{mark.holiday}"
    return t(key) if known(key) else holiday_label(mark)


def day_mark_word(mark: DayMark) -> str:
    """The mark a cell shows: 休国庆, 班, 周末 or nothing (a working day)."""
    if mark.statutory:
        return t("tui.roster.mark.holiday", name=short_holiday(mark)).strip()
    if mark.makeup:
        return t("tui.roster.mark.makeup")
    if mark.rest:
        return t("tui.roster.mark.weekend")
    return ""


def day_kind(mark: DayMark) -> str:
    """The cell's style class: holiday, makeup, weekend or work."""
    if mark.statutory:
        return "holiday"
    if mark.makeup:
        return "makeup"
    return "weekend" if mark.rest else "work"


def day_gap(day: RosterDay) -> bool:
    """A slot with no duty officer, or fewer leaders than the day needs."""
    return any(s.empty for s in day.slots) or len(day.leaders) < day.mark.leaders_needed


def day_flags(day: RosterDay, planned: bool) -> str:
    flags = ""
    if any(s.swapped for s in day.slots):
        flags += t("tui.roster.flag.swapped")
    if any(s.amended for s in day.slots):
        flags += t("tui.roster.flag.amended")
    if planned and day_gap(day):
        flags += t("tui.roster.flag.gap")
    return flags


def who(roster: MonthRoster, day: RosterDay) -> tuple[list[str], list[str]]:
    """(officers, leaders) of a day as names; an empty slot and each missing
    leader say 缺."""
    gap = t("tui.roster.gap")
    officers: list[str] = []
    for slot in day.slots:
        officers.extend([shown(roster.name(o)) for o in slot.officers] or [gap])
    leaders = [shown(roster.name(lg)) for lg in day.leaders]
    leaders += [gap] * max(day.mark.leaders_needed - len(leaders), 0)
    return list(dict.fromkeys(officers)) if len(day.slots) == 1 else officers, leaders


class RosterGrid(Widget):
    """The month's calendar grid (drawn from the screen's state)."""

    help_key = "tui.help.roster"
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "roster--head", "roster--head-weekend", "roster--day", "roster--work", "roster--weekend",
        "roster--holiday", "roster--makeup", "roster--gap", "roster--today", "roster--cursor",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.roster: MonthRoster | None = None
        self.cursor: date = date.today()
        self.today: date = date.today()

    @property
    def lines(self) -> int:
        """Lines of a day's cell: two (day; officers/leaders); when tall, three
        (day; officers; leaders) and then a blank one."""
        height = self.app.size.height
        return 4 if height >= ROOMY else 3 if height >= TALL else 2

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return 1 + len(weeks_of(self.cursor.replace(day=1))) * self.lines

    def render(self) -> Text:
        width = self.size.width or self.app.size.width
        return grid_text(self.roster, self.cursor, self.today, width, self.lines, self.get_component_rich_style)


def grid_text(roster: MonthRoster | None, cursor: date, today: date, width: int, lines: int,
              style_of: Any) -> Text:
    """The grid as text: a line of weekdays, then ``lines`` lines a week."""
    cell = max(width // 7, 6)
    inner = cell - 1
    out = Text(no_wrap=True, overflow="crop")
    for i in range(7):
        name = crop(t("tui.roster.weekday", weekday=t(f"tui.weekday.{i}")), inner)
        out.append(" " + name + " " * (inner - cell_len(name)), style_of("roster--head-weekend" if i >= 5 else
                                                                         "roster--head"))
    by_day = {d.mark.day: d for d in roster.days} if roster is not None and roster.first.month == cursor.month \
        and roster.first.year == cursor.year else {}
    planned = bool(roster and roster.state)
    for week in weeks_of(cursor.replace(day=1)):
        rows = [Text(no_wrap=True, overflow="crop") for _ in range(lines)]
        for d in week:
            if d is None:
                for row in rows:
                    row.append(" " * cell)
                continue
            rd = by_day.get(d)
            cells = day_cell(roster, rd, d, today, inner, lines, planned)
            classes = ["roster--day"]
            if rd is not None:
                classes.append(f"roster--{day_kind(rd.mark)}")
                if planned and day_gap(rd):
                    classes.append("roster--gap")
            if d == today:
                classes.append("roster--today")
            if d == cursor:
                classes.append("roster--cursor")
            style = style_of(classes[0])
            for extra in classes[1:]:
                style += style_of(extra)
            for row, text in zip(rows, cells, strict=True):
                row.append(" ")
                row.append(text + " " * (inner - cell_len(text)), style)
        for row in rows:
            out.append("\n")
            out.append_text(row)
    return out


def day_cell(roster: MonthRoster | None, rd: RosterDay | None, d: date, today: date, inner: int, lines: int,
             planned: bool) -> list[str]:
    """A day's cell as ``lines`` strings of at most ``inner`` cells."""
    head = f"{d.day:>2}" + (t("tui.roster.mark.today") if d == today else "")
    if rd is None or roster is None:
        return [crop(head, inner)] + [""] * (lines - 1)
    word = day_mark_word(rd.mark)
    flags = day_flags(rd, planned)
    left = head + (" " + word if word else "")
    room = inner - cell_len(flags)
    first = crop(left, room)
    first += " " * (room - cell_len(first)) + flags
    if not planned:
        return [first] + [""] * (lines - 1)
    officers, leaders = who(roster, rd)
    if lines >= 3:
        return [first, fit_names([officers], inner), fit_names([leaders], inner)] + [""] * (lines - 3)
    return [first, fit_names([officers, leaders], inner)]


def day_detail(roster: MonthRoster | None, day: date, cfg: Any) -> Text:
    """The highlighted day in full: what day it is, then each shift slot."""
    text = Text()
    text.append(t("tui.header.day", date=day.isoformat(), weekday=t(f"tui.weekday.{day.weekday()}")), "bold")
    if roster is None or not (roster.first <= day <= roster.last):
        return text
    rd = next(d for d in roster.days if d.mark.day == day)
    mark = rd.mark
    facts = [what_day(mark)]
    if mark.eve:
        facts.append(t("tui.roster.day.eve"))
    facts.extend(shown(p) for p in mark.periods)
    if mark.leaders_needed > 1:
        facts.append(t("tui.roster.day.double", count=mark.leaders_needed))
    text.append("  " + " · ".join(facts))
    if not roster.state:
        text.append("\n")
        text.append(t("tui.roster.nothing", month=roster.month), "dim")
        return text
    gap = t("tui.roster.gap")
    for slot in rd.slots:
        text.append("\n")
        line = Text()
        if len(rd.slots) > 1 or slot.slot_name:
            line.append(shown(slot.slot_name) + "  ", "bold")
        line.append(t("tui.roster.slot.officers") + " ")
        line.append(shown("、".join(roster.name(o) for o in slot.officers)) or gap,
                    "bold" if slot.officers else "bold reverse")
        line.append("  " + t("tui.roster.slot.leaders") + " ")
        if slot.leaders:
            line.append(shown("、".join(person_with_phone(roster, lg) for lg in slot.leaders)), "bold")
        missing = mark.leaders_needed - len(slot.leaders)
        if missing > 0:
            line.append(("、" if slot.leaders else "") + t("tui.roster.slot.leaders_short", count=missing),
                        "bold reverse")
        line.append("  " + t("tui.roster.slot.standby") + " ")
        line.append(shown("、".join(roster.name(s) for s in slot.standby)) or "—")
        if slot.swapped:
            line.append("  " + t("tui.roster.slot.swapped"), "bold")
        if slot.amended:
            line.append("  " + t("tui.roster.slot.amended"), "bold")
        if slot.note:
            line.append("  " + t("tui.roster.slot.note", note=shown(slot.note)))
        text.append_text(line)
    return text


def what_day(mark: DayMark) -> str:
    if not mark.known:
        return t("tui.roster.day.unknown")
    name = shown(holiday_label(mark))
    if mark.statutory:
        return t("tui.roster.day.holiday", name=name) if name else t("tui.roster.day.closed")
    if mark.makeup:
        return t("tui.roster.day.makeup", name=name) if name else t("tui.roster.day.makeup_plain")
    return t("tui.roster.day.weekend") if mark.rest else t("tui.roster.day.workday")


def person_with_phone(roster: MonthRoster, login: str) -> str:
    person = roster.people.get(login)
    if person is None:
        return login
    return f"{person.name} {person.phone}" if person.phone else person.name


class RosterScreen(ModalScreen[None]):
    """The month view (see the module's docstring)."""

    help_key = "tui.help.roster"
    COMMANDS: ClassVar = {ScreenCommands}
    BINDINGS: ClassVar = [
        Binding("escape", "dismiss_screen", "tui.key.close", id="close"),
        Binding("f11", "dismiss_screen", "tui.key.close", show=False, id="roster"),
        Binding("f1", "help", "tui.key.help", id="help"),
        Binding("left", "move(-1)", "tui.roster.key.day", show=False, id="roster.previous_day"),
        Binding("right", "move(1)", "tui.roster.key.day", show=False, id="roster.next_day"),
        Binding("up", "move(-7)", "tui.roster.key.week", show=False, id="roster.previous_week"),
        Binding("down", "move(7)", "tui.roster.key.week", show=False, id="roster.next_week"),
        Binding("[", "month(-1)", "tui.roster.key.previous_month", id="roster.previous_month"),
        Binding("]", "month(1)", "tui.roster.key.next_month", id="roster.next_month"),
        Binding("pageup", "month(-1)", "tui.roster.key.previous_month", show=False,
                id="roster.previous_month_page"),
        Binding("pagedown", "month(1)", "tui.roster.key.next_month", show=False, id="roster.next_month_page"),
        Binding("t", "today", "tui.roster.key.today", id="roster.today"),
        # Swaps: F1 and the palette name them (the footer keeps its place for
        # moving about). Cover is shown in the footer only to administrators
        # (once the role is read); anyone else pressing it is told why.
        Binding("s", "swap", "tui.roster.key.swap", show=False, id="roster.swap"),
        Binding("c", "cover", "tui.roster.key.cover", show=False, id="roster.cover"),
        Binding("w", "swaps", "tui.roster.key.swaps", show=False, id="roster.swaps"),
    ]
    # The names the palette and F1 give this screen's own keys.
    LONG_NAMES: ClassVar[dict[str, str]] = {
        "roster.swap": "tui.roster.key.swap_long",
        "roster.cover": "tui.roster.key.cover_long",
        "roster.swaps": "tui.roster.key.swaps_long",
        "roster.previous_month": "tui.roster.key.previous_month",
        "roster.next_month": "tui.roster.key.next_month",
        "roster.today": "tui.roster.key.today",
        "help": "tui.roster.key.help_long",
        "close": "tui.roster.key.close_long",
    }

    def __init__(self, desk: Desk) -> None:
        super().__init__(id="roster-screen")
        self.desk = desk
        self.today = self._today()
        self.cursor = self.today
        self.months: dict[str, MonthRoster] = {}  # read this visit, by "YYYY-MM"
        self.loading: str | None = None
        self.role = ""  # the officer's role, read as the screen opens
        translate_bindings(self)

    def _today(self) -> date:
        return duty_date_of(clock.now(), self.desk.cfg)

    def compose(self) -> ComposeResult:
        with Vertical(id="roster-box"):
            yield Static(id="roster-title")
            yield RosterGrid(id="roster-grid")
            yield Static(id="roster-day")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.show()
        run_core(self, self.desk, lambda: self.desk.officer().role, done=self._role_read, quiet=True,
                 group="roster-role")

    def _role_read(self, role: str) -> None:
        self.role = role
        if role == "admin":
            bindings = self._bindings.key_to_bindings
            for key, items in bindings.items():
                bindings[key] = [replace(b, show=True) if b.id == "roster.cover" else b for b in items]
            self.refresh_bindings()

    @property
    def grid(self) -> RosterGrid:
        return self.query_one(RosterGrid)

    @property
    def roster(self) -> MonthRoster | None:
        """The cursor's month, when it has been read."""
        return self.months.get(month_of(self.cursor))

    # --- reading ------------------------------------------------------------------

    def load(self, month: str) -> None:
        if self.loading == month:
            return
        self.loading = month
        run_core(self, self.desk, month_roster, month, self.desk.cfg, done=self._loaded,
                 failed=self._failed, group="roster", exclusive=True, failure_key="tui.read_failed")

    def _loaded(self, roster: MonthRoster) -> None:
        self.months[roster.month] = roster
        if self.loading == roster.month:
            self.loading = None
        self.show()

    def _failed(self, message: str) -> None:
        self.loading = None
        self.query_one("#roster-title", Static).update(Text(message, style="bold red", no_wrap=True,
                                                            overflow="ellipsis"))

    def records_changed(self, kinds: set[str] | None) -> None:
        """The roster changed (here or in another session): read the month again."""
        if kinds is None or set(kinds) & ROSTER_KINDS:
            self.months.clear()
            self.loading = None
            self.show()

    # --- drawing ------------------------------------------------------------------

    def show(self) -> None:
        """Draw the cursor's month (reading it first when it is not read yet)."""
        month = month_of(self.cursor)
        roster = self.roster
        if roster is None:
            self.load(month)
        grid = self.grid
        grid.roster, grid.cursor, grid.today = roster, self.cursor, self.today
        grid.refresh(layout=True)
        self.query_one("#roster-title", Static).update(self._title(roster))
        self.query_one("#roster-day", Static).update(self._detail(roster))

    def _title(self, roster: MonthRoster | None) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(t("tui.roster.title", year=self.cursor.year, month=self.cursor.month), "bold")
        line.append("  ")
        if roster is None:
            line.append(t("tui.roster.loading"), "dim")
        else:
            state = roster.state
            line.append(f" {t(f'state.roster.{state}')} ", "reverse bold" if state == "published" else "reverse")
            if roster.published_at is not None:
                at = to_local(roster.published_at, self.desk.cfg).strftime("%Y-%m-%d %H:%M")
                line.append("  " + t("tui.roster.published", at=at, by=shown(roster.name(roster.published_by))),
                            "dim")
        today = t("tui.roster.today", date=self.today.isoformat(), weekday=t(f"tui.weekday.{self.today.weekday()}"))
        line.append("  " + today, "dim")
        return line

    def _detail(self, roster: MonthRoster | None) -> Text:
        text = day_detail(roster, self.cursor, self.desk.cfg)
        text.append("\n")
        text.append(t("tui.roster.legend"), "dim")
        return text

    # --- keys -----------------------------------------------------------------------

    def action_move(self, days: int) -> None:
        self.cursor += timedelta(days=days)
        self.show()

    def action_month(self, step: int) -> None:
        self.cursor = add_months(self.cursor, step)
        self.show()

    def action_today(self) -> None:
        self.today = self._today()
        self.cursor = self.today
        self.show()

    def action_swap(self) -> None:
        from duty_desk.tui.screens.swaps import SwapForm

        def asked(swap_id: int | None) -> None:
            if swap_id is not None:
                self.app.notify(t("tui.roster.swap.asked_short", id=swap_id), markup=False)

        self.app.push_screen(SwapForm(self.desk, self.cursor.isoformat()), asked)

    def action_cover(self) -> None:
        if self.role != "admin":
            self.app.notify(t("tui.roster.cover.admins_only"), severity="warning", markup=False)
            return
        from duty_desk.tui.screens.swaps import CoverForm

        def covered(swap_id: int | None) -> None:
            if swap_id is not None:
                self.app.notify(t("tui.roster.cover.done", id=swap_id), markup=False)

        self.app.push_screen(CoverForm(self.desk, self.cursor.isoformat()), covered)

    def action_swaps(self) -> None:
        from duty_desk.tui.screens.swaps import SwapListScreen

        self.app.push_screen(SwapListScreen(self.desk))

    def action_help(self) -> None:
        desk_screen = getattr(self.app, "desk_screen", None)
        self.app.push_screen(ScreenHelp(self, desk_screen.keys_by_id() if desk_screen else {}))

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)
