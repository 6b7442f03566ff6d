"""The desk screen: the header, the four panes (two by two, or the log over
one lower pane with a tab strip), the warning bar, the entry line and the
footer; focus, Tab order, the footer's fit, the tick. What it does with
records is DeskActions (desk_actions)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid
from textual.dom import DOMNode
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from duty_desk.core import clock
from duty_desk.core.desk import Desk
from duty_desk.core.dutytime import duty_date_of, to_local
from duty_desk.core.i18n import t
from duty_desk.core.onduty import HeaderFacts, header_facts, opening_notices, tomorrow_notice
from duty_desk.core.roster.checks import EVENING
from duty_desk.core.rules import is_overdue
from duty_desk.tui.actions import DESK_BINDINGS, HISTORY_BINDINGS, HISTORY_KEYS
from duty_desk.tui.bindings import translate_bindings
from duty_desk.tui.desk_actions import LOWER, DeskActions
from duty_desk.tui.entry import EntryLine
from duty_desk.tui.header import HeaderBar, PaneTabs
from duty_desk.tui.help import spelled
from duty_desk.tui.history import HistoryView
from duty_desk.tui.panes import DocumentsPane, LogPane, UrgentPane, VisitorsPane
from duty_desk.tui.panes.base import DeskPane, fmt_countdown
from duty_desk.tui.workers import run_core

# Seconds a due-time warning stays in the bar over the entry line.
WARN_TIMEOUT = 30.0
# The desk's footer keys that give way, first to last, when the footer would
# not fit on one line: opening a new record is also on the entry line (/访 …).
FOOTER_GIVES_WAY = ("history", "zero_report", "new_document", "new_visitor", "new_urgent", "open_items", "search",
                    "new_call")


class DeskScreen(HistoryView, DeskActions, Screen):
    """Header, the four panes, the entry line, the footer; in history (an
    earlier duty day, read-only) a bar in place of the entry line and the footer."""

    # Two by two when there is room (100x28 and up); otherwise the log on top
    # and one of the other three below it, the one Tab last moved to, with a
    # tab strip that keeps the counts and the next countdown of all three in sight.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (28, "-tall")]

    BINDINGS: ClassVar = [*DESK_BINDINGS, *HISTORY_BINDINGS]

    def __init__(self, desk: Desk) -> None:
        super().__init__(id="desk")
        self.desk = desk
        translate_bindings(self)
        self.lower = "urgent"
        self.last_pane: DeskPane | None = None
        # Where Tab is taking focus, until the focus arrives (a hidden pane is
        # focused only after it is shown): two quick Tabs move two stops.
        self._going_to: str | None = None
        self._banner_day: date | None = None
        self._warn_timer: Timer | None = None
        # The duty day whose evening notice of tomorrow's people was given (an
        # evening start gives it with the opening notices).
        now = clock.now()
        local = to_local(now, desk.cfg).time()
        self._evening_told: date | None = (duty_date_of(now, desk.cfg)
                                           if local >= EVENING or local < desk.cfg.day_start else None)
        # binding id -> shown in the footer when there is room (fit_footer).
        self._footer_shows = {b.id: b.show for _k, b in self._bindings if b.id in FOOTER_GIVES_WAY}
        self._footer_hidden: set[str] = set()
        self._parts: tuple[HeaderBar, list[DeskPane]] | None = None  # for the tick
        self._swaps_told: set[str] = set()  # swap notices already in the warning bar

    def compose(self) -> ComposeResult:
        yield HeaderBar(self.desk, id="header")
        with Grid(id="panes"):
            yield LogPane(id="log")
            yield PaneTabs(id="pane-tabs")
            yield VisitorsPane(id="visitors")
            yield DocumentsPane(id="documents")
            yield UrgentPane(id="urgent")
        yield Static(id="zero-banner")
        yield Static(id="warn-bar")
        yield EntryLine(id="entry")
        yield Static(id="history-bar")
        yield Footer(id="footer", compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        for name in LOWER:
            self.query_one(f"#{name}").add_class("-lower")
        self._show_lower(self.lower)
        self.entry.focus()
        self.reload()
        self.entry.restore_draft()
        self.tell_roster_notice()

    def on_screen_resume(self) -> None:
        # Back from a form, a detail or the handover: an earlier "recorded #n"
        # under the entry line no longer tells what was done last.
        if self.query(EntryLine):
            status = self.entry.query_one("#entry-status", Static)
            if status.has_class("-done"):
                self.entry.show_hint()

    # --- parts -----------------------------------------------------------------

    @property
    def entry(self) -> EntryLine:
        return self.query_one(EntryLine)

    @property
    def panes(self) -> list[DeskPane]:
        return list(self.query(DeskPane))

    def pane(self, name: str) -> DeskPane:
        return self.query_one(f"#{name}", DeskPane)

    def keys_by_id(self) -> dict[str, str]:
        """binding id -> the key shown for it now (after the user's keymap)."""
        keymap: dict[str, str] = getattr(self.app, "keymap", {})
        nodes: list[DOMNode] = [self, *self.panes, self.pane("log").table, self.app]
        keys: dict[str, str] = {}
        for node in nodes:
            for _key, binding in node._bindings:
                if binding.id and binding.id not in keys:
                    key = keymap.get(binding.id, binding.key).split(",")[0].strip()
                    keys[binding.id] = self.app.get_key_display(replace(binding, key=key))
        for binding_id, _key, action in HISTORY_KEYS:  # the palette and F1 name them by action
            if binding_id in keys:
                keys.setdefault(action, keys[binding_id])
        return keys

    # --- loading and time --------------------------------------------------------

    def reload(self, kinds: Iterable[str] | None = None) -> None:
        wanted = set(kinds) if kinds else None
        for pane in self.panes:
            if wanted is None or pane.watches & wanted:
                pane.reload()
        if wanted is None or wanted & {"shift", "handover"}:
            self.load_header()
        if wanted is not None and "swap" in wanted:
            self.tell_swaps_waiting()
        # Any write may open, close or move a due time; the zero-report banner
        # and the overdue count follow.
        self.app.escalate()  # type: ignore[attr-defined]

    def load_header(self) -> None:
        if self.history_day is not None:
            from duty_desk.core.history import day_facts

            day = self.history_day
            run_core(self, self.desk, day_facts, day, done=lambda facts: self._day_loaded(day, facts),
                     failed=lambda message: self.app.notify(message, title=t("tui.load_failed"), severity="error",
                                                            markup=False),
                     group="header", exclusive=True, failure_key="tui.read_failed")
            return
        run_core(self, self.desk, header_facts, self.desk, done=self._header_loaded,
                 failed=lambda message: self.app.notify(message, title=t("tui.load_failed"), severity="error",
                                                        markup=False),
                 group="header", exclusive=True, failure_key="tui.read_failed")

    def tell_roster_notice(self) -> None:
        """Once, as the desk opens: what the roster says about the officer at
        this desk (not rostered for this shift), in the warning bar. A store
        that cannot be read here is said by the header's own reading."""
        from duty_desk.core.roster.waiting import swaps_waiting_for

        run_core(self, self.desk, lambda: (opening_notices(self.desk), swaps_waiting_for(self.desk)),
                 done=lambda found: self._roster_notices([*found[0], *self._untold(found[1])]), quiet=True,
                 group="roster-notice")

    def tell_swaps_waiting(self) -> None:
        """Swap requests waiting for this officer (asked of them, or awaiting
        their approval), each told once in the warning bar: after another
        session's write, and with the opening notices."""
        from duty_desk.core.roster.waiting import swaps_waiting_for

        run_core(self, self.desk, swaps_waiting_for, self.desk,
                 done=lambda found: self._roster_notices(self._untold(found)), quiet=True, group="roster-notice")

    def _untold(self, sentences: list[str]) -> list[str]:
        new = [s for s in sentences if s not in self._swaps_told]
        self._swaps_told.update(new)
        return new

    def _roster_notices(self, notices: list[str]) -> None:
        if notices and self.history_day is None:
            self.show_warnings(notices, late=False)

    def tell_tomorrow(self, now: datetime) -> None:
        """Once a duty day, when the evening comes (roster.checks.EVENING) with
        the desk open: who is on duty tomorrow, in the warning bar."""
        local = to_local(now, self.desk.cfg)
        day = duty_date_of(now, self.desk.cfg)
        if self._evening_told == day or not EVENING <= local.time():
            return
        self._evening_told = day
        run_core(self, self.desk, tomorrow_notice, self.desk,
                 done=lambda notice: self._roster_notices([notice] if notice else []), quiet=True,
                 group="roster-notice")

    def _header_loaded(self, facts: HeaderFacts) -> None:
        if self.history_day is not None:
            return  # read before the desk went to history
        header = self.query_one(HeaderBar)
        header.facts, header.history = facts, None
        header.refresh()

    def _day_loaded(self, day: date, facts: Any) -> None:
        if day != self.history_day:
            return  # the desk moved on meanwhile
        header = self.query_one(HeaderBar)
        header.history = facts
        header.refresh()

    def tick(self, now: datetime) -> None:
        # Once a second: found once, not looked up in the DOM each time.
        if self._parts is None:
            if not self.query(HeaderBar):
                return  # composing
            self._parts = (self.query_one(HeaderBar), self.panes)
        header, panes = self._parts
        if not header.is_attached:
            return  # being torn down at exit
        header.overdue = self.app.overdue_at(now)  # type: ignore[attr-defined]
        header.update_if_changed()
        if self.history_day is None:  # its key files a report: not from history
            self.show_missed_day(self.app.missed_day)  # type: ignore[attr-defined]
            self.tell_tomorrow(now)
        for pane in panes:
            pane.tick(now)
        self._update_tabs(now)

    def show_missed_day(self, day: date | None) -> None:
        """The banner over the entry line: the duty day that ended with neither
        a record nor a zero report, and the one key that files it."""
        banner = self.query_one("#zero-banner", Static)
        if day is not None and day != self._banner_day:
            key = spelled(self.keys_by_id().get("zero_report", ""))
            banner.update(Text(t("tui.banner.zero_missed", day=day.isoformat(),
                                 weekday=t(f"tui.weekday.{day.weekday()}"), key=key), no_wrap=True,
                               overflow="ellipsis"))
        self._banner_day = day
        banner.set_class(day is not None, "-shown")

    def show_warnings(self, messages: list[str], late: bool) -> None:
        """Due-time warnings in a full-width bar over the entry line (not a
        toast: Textual drops Chinese characters of a toast where it overlaps
        a pane border, upstream issue #6357). It clears after a while."""
        bar = self.query_one("#warn-bar", Static)
        lines = Text("\n").join(Text("⚠ " + m) for m in messages[-2:])
        lines.no_wrap, lines.overflow = True, "ellipsis"  # one line per warning
        bar.update(lines)
        bar.set_class(True, "-shown")
        bar.set_class(late, "-late")
        if self._warn_timer is not None:
            self._warn_timer.stop()
        self._warn_timer = self.set_timer(WARN_TIMEOUT, lambda: bar.set_class(False, "-shown"))

    def on_desk_pane_loaded(self, _message: DeskPane.Loaded) -> None:
        self._update_tabs(clock.now())

    def _update_tabs(self, now: datetime) -> None:
        tabs = self.query_one(PaneTabs)
        urgent = self.pane("urgent")
        docs = self.pane("documents")
        visitors = self.pane("visitors")
        if self.history_day is not None:
            self._history_tabs(urgent.styles_for_rows)
            return
        late_docs = sum(1 for d in docs.items if is_overdue(d.deadline, now))
        next_due = min((u.next_due_at for u in urgent.items if u.next_due_at), default=None)
        labels = {
            "visitors": t("tui.tab.visitors", count=sum(1 for v in visitors.items if v.state != "left")),
            "documents": t("tui.tab.documents", count=len(docs.items))
            + (t("tui.tab.overdue", count=late_docs) if late_docs else ""),
            "urgent": t("tui.tab.urgent", count=len(urgent.items))
            + (" " + fmt_countdown(next_due - now, timedelta(minutes=self.desk.cfg.warn_before_minutes))
               if next_due else ""),
        }
        styles = urgent.styles_for_rows
        text = Text(no_wrap=True, overflow="ellipsis")
        for i, name in enumerate(LOWER):
            if i:
                text.append(" │ ", style=styles.quiet)
            style = "reverse bold" if name == self.lower else ""
            if name == "documents" and late_docs:
                style = f"{style} {styles.overdue}".strip()
            if name == "urgent" and next_due is not None and next_due - now <= timedelta(
                    minutes=self.desk.cfg.warn_before_minutes):
                style = f"{style} {styles.overdue if is_overdue(next_due, now) else styles.warn}".strip()
            text.append(f" {labels[name]} ", style=style)
        text.append("   " + t("tui.tab.hint"), style=styles.quiet)
        tabs.show(text)

    def _history_tabs(self, styles: Any) -> None:
        """The tab strip in history: how many records of the day each pane holds."""
        text = Text(no_wrap=True, overflow="ellipsis")
        for i, name in enumerate(LOWER):
            if i:
                text.append(" │ ", style=styles.quiet)
            style = "reverse bold" if name == self.lower else ""
            text.append(f" {t(f'tui.tab.{name}', count=len(self.pane(name).items))} ", style=style)
        text.append("   " + t("tui.tab.hint"), style=styles.quiet)
        self.query_one(PaneTabs).show(text)

    # --- focus and panes -----------------------------------------------------------

    def fit_footer(self) -> None:
        """Keep the footer on one line: when the keys of the pane in use and
        the desk's own do not fit (80 columns), the keys that open a new
        record give way first (they stay in F1 help and the palette); the
        pane's own keys, help and handover always show."""
        width = self.size.width or self.app.size.width
        if not width:
            return
        hidden: set[str] = set()

        def needed() -> int:
            seen: set[str] = set()
            total = 0
            for active in self.active_bindings.values():
                binding = active.binding
                shown_now = self._footer_shows.get(binding.id or "", binding.show)
                if not shown_now or binding.id in hidden or binding.action in seen:
                    continue
                seen.add(binding.action)
                total += cell_len(self.app.get_key_display(binding)) + cell_len(binding.description) + 2
            return total

        for binding_id in FOOTER_GIVES_WAY:
            if needed() <= width:
                break
            hidden.add(binding_id)
        if hidden == self._footer_hidden:
            return
        self._footer_hidden = hidden
        bindings = self._bindings.key_to_bindings
        for key, items in bindings.items():
            bindings[key] = [replace(b, show=self._footer_shows[b.id] and b.id not in hidden)
                             if b.id in self._footer_shows else b for b in items]
        self.refresh_bindings()

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit_footer)

    def on_descendant_focus(self, event: Any) -> None:
        self.call_after_refresh(self.fit_footer)
        self._going_to = None
        widget = event.widget
        for node in widget.ancestors_with_self:
            if isinstance(node, DeskPane):
                self.last_pane = node
                if node.id in LOWER and node.id != self.lower:
                    self._show_lower(node.id)
                break

    def _show_lower(self, name: str) -> None:
        self.lower = name
        for other in LOWER:
            self.query_one(f"#{other}").set_class(other == name, "-shown")
        self._update_tabs(clock.now())

    def _focus_pane(self, name: str) -> None:
        pane = self.pane(name)
        self._going_to = name
        if name in LOWER and name != self.lower:
            self._show_lower(name)
            self.call_after_refresh(pane.focus)
        else:
            pane.focus()

    def pane_taking_focus(self) -> DeskPane | None:
        """The pane Tab is moving the focus to, until it gets there: keys
        typed meanwhile are that pane's."""
        if self._going_to in (None, "entry"):
            return None
        return self.pane(self._going_to)

    def _focus_order(self) -> list[str]:
        if self.history_day is not None:  # no entry line in history
            return ["log", *LOWER]
        return ["entry", "log", *LOWER]

    def _current_stop(self) -> str:
        if self._going_to:
            return self._going_to
        focused = self.focused
        if focused is None:
            return "entry" if self.history_day is None else "log"
        for node in focused.ancestors_with_self:
            if isinstance(node, DeskPane) or isinstance(node, EntryLine):
                return node.id or "entry"
        return "entry"

    def _cycle(self, step: int) -> None:
        order = self._focus_order()
        here = self._current_stop()
        nxt = order[(order.index(here) + step) % len(order)] if here in order else "entry"
        if nxt == "entry":
            self._going_to = "entry"
            self.entry.focus()
        else:
            self._focus_pane(nxt)

    def action_next_pane(self) -> None:
        self._cycle(1)

    def action_previous_pane(self) -> None:
        self._cycle(-1)

    def action_focus_entry(self) -> None:
        if self.history_day is not None:  # Esc in history: back to today
            self.show_day(None)
            return
        self.entry.focus()

    def action_focus_log(self) -> None:
        self._focus_pane("log")

    def action_focus_visitors(self) -> None:
        self._focus_pane("visitors")

    def action_focus_documents(self) -> None:
        self._focus_pane("documents")

    def action_focus_urgent(self) -> None:
        self._focus_pane("urgent")

    def action_refresh(self) -> None:
        self.reload()
