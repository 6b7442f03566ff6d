"""The desk: the Textual app a duty officer keeps open for the whole shift.

Data flows one way: a key press → the screen turns it into a call of the core
(in a thread worker) → on success a RecordsChanged message → every pane that
shows that kind reloads itself from the store (in a thread worker too). The
event loop never waits on a query. A poll of the audit trail's head notices
what other sessions wrote.
"""

from __future__ import annotations

import asyncio
import importlib
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.containers import Grid
from textual.dom import DOMNode
from textual.driver import Driver
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from duty_desk.core import clock
from duty_desk.core.config import packaged_file
from duty_desk.core.desk import Desk
from duty_desk.core.dutytime import shift_slot_at, to_local
from duty_desk.core.errors import DeskError
from duty_desk.core.i18n import t
from duty_desk.core.openitems import OpenItem
from duty_desk.core.sanitize import shown
from duty_desk.core.services.common import masked_notice
from duty_desk.core.services.drafts import DeskSession
from duty_desk.core.services.escalation import WarnKey, due_key, warnings_due
from duty_desk.tui.bindings import translate_bindings
from duty_desk.tui.entry import EntryLine, ParsedEntry
from duty_desk.tui.help import spelled
from duty_desk.tui.messages import RecordsChanged
from duty_desk.tui.panes import DocumentsPane, LogPane, UrgentPane, VisitorsPane
from duty_desk.tui.panes.base import DeskPane, DeskTable, fmt_countdown
from duty_desk.tui.safe import store_failure
from duty_desk.tui.screens.rowpick import REPEAT_REPORT_MINUTES, RowPicker, recent_phone_report
from duty_desk.tui.theme import DUTY_DESK, row_styles

# Seconds between looks at the audit trail's head for other sessions' writes;
# the next look is scheduled only after the last one finished.
POLL_SECONDS = 3.0
TICK_SECONDS = 1.0
WARN_TIMEOUT = 30.0
# More warnings than this in one second become one notification.
WARN_AT_ONCE = 3
# Seconds between escalation rounds (mark newly missed due times, re-read the
# open items' due times); the next round is scheduled after the last finished.
ESCALATION_SECONDS = 30.0
# A dropped connection (SIGHUP) or a stop (SIGTERM): drafts kept, desk closed.
HANG_UP_SIGNALS = (signal.SIGHUP, signal.SIGTERM)
# Seconds a closing desk waits for its drafts to be written.
KEEP_TIMEOUT = 10.0
# The audit head is anchored at least hourly (anchor.maybe_write decides when
# one is due); asking every few minutes is cheap: two small reads.
ANCHOR_SECONDS = 300.0
# A warning about the store itself stays until the officer dismisses it.
STORE_WARNING_TIMEOUT = 7 * 24 * 3600.0


# --- the header line -----------------------------------------------------------


@dataclass(frozen=True)
class HeaderFacts:
    office: str
    day: date
    shift_name: str
    shift_key: tuple[date, int]
    officers: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    # When the officer at this desk handed over and is off duty ("HH:MM"),
    # else "": what they record now is refused (services.common.off_duty_since).
    handed_over_at: str = ""


def header_facts(desk: Desk) -> HeaderFacts:
    """Who is on duty now. Runs in a thread worker."""
    from duty_desk.core.desk import officer_name
    from duty_desk.core.services.common import desk_leaders, latest_part, off_duty_since, shift_now

    slot = shift_slot_at(desk.now(), desk.cfg)
    shift = shift_now(desk)
    off_duty = None
    if desk.officer().role != "leader" and (shift is None or desk.actor not in shift.officers):
        off_duty = off_duty_since(desk, shift)
    handed_at = to_local(off_duty.handed_over_at, desk.cfg).strftime("%H:%M") if off_duty else ""
    if shift is None:
        # Nobody has recorded yet this shift (or its first part was handed
        # over early): show who is at the desk and the leaders it starts with.
        officers = [] if off_duty else [officer_name(desk.actor)]
        earlier = latest_part(slot)
        leaders = list(earlier.leaders) if earlier else [o.name for o in desk_leaders(desk)]
    else:
        officers = [officer_name(login) for login in shift.officers]
        leaders = list(shift.leaders)
    return HeaderFacts(desk.cfg.office_name, slot.duty_date, slot.name,
                       (slot.duty_date, slot.index), officers, leaders, handed_at)


class HeaderBar(Static):
    """One line: office, duty day, officers and leaders on duty, the clock."""

    help_key = "tui.help.header"

    def __init__(self, desk: Desk, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.desk = desk
        self.facts: HeaderFacts | None = None
        self.overdue = 0  # open items past their due time, all kinds and days

    def render(self) -> Text:
        cfg = self.desk.cfg
        local = to_local(clock.now(), cfg)
        facts = self.facts
        right = Text(local.strftime("%H:%M:%S"), style="bold")
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
        parts: list[Text] = []
        if facts is not None:
            weekday = t(f"tui.weekday.{facts.day.weekday()}")
            day = t("tui.header.day", date=facts.day.isoformat(), weekday=weekday)
            if len(cfg.shifts) > 1:
                day += " " + facts.shift_name
            parts.append(Text(day))
            parts.append(Text.assemble(t("tui.header.officers") + " ",
                                       Text(shown("、".join(facts.officers)) or "—", style="bold")))
            parts.append(Text.assemble(t("tui.header.leaders") + " ",
                                       Text(shown("、".join(facts.leaders)) or "—", style="bold")))
        rest = Text("  ").join(parts)
        width = self.size.width or 80
        room = width - cell_len(rest.plain) - cell_len(right.plain) - 4
        office = Text(shown(cfg.office_name), style="bold", no_wrap=True, overflow="ellipsis")
        if room < cell_len(office.plain):
            office.truncate(max(room, 0), overflow="ellipsis")
        left = Text.assemble(office, "  " if office.plain else "", rest)
        gap = max(width - cell_len(left.plain) - cell_len(right.plain), 1)
        line = Text.assemble(left, " " * gap, right, no_wrap=True, overflow="crop")
        line.truncate(width)
        return line


class PaneTabs(Static):
    """In the compact layout: which lower pane shows, and what each holds."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.summary = Text()

    def render(self) -> Text:
        return self.summary


# --- the command palette -------------------------------------------------------

# action on the desk screen -> label key. Every desk action is offered here.
PALETTE: tuple[tuple[str, str], ...] = (
    ("new_visitor", "tui.key.new_visitor"),
    ("new_document", "tui.key.new_document"),
    ("new_urgent", "tui.key.new_urgent"),
    ("check_out", "tui.key.check_out"),
    ("next_step", "tui.key.next_step"),
    ("phone_report", "tui.key.phone_report"),
    ("urgent_event", "tui.key.urgent_event"),
    ("record_result", "tui.key.record_result"),
    ("void", "tui.key.void"),
    ("detail", "tui.key.detail"),
    ("open_items", "tui.key.open_items"),
    ("chase", "tui.key.chase"),
    ("transfer", "tui.key.transfer"),
    ("instruct", "tui.key.instruct"),
    ("zero_report", "tui.key.zero_report"),
    ("zero_report_missed", "tui.key.zero_report_missed"),
    ("handover", "tui.key.handover"),
    ("refresh", "tui.key.refresh"),
    ("focus_log", "tui.key.focus_log"),
    ("focus_visitors", "tui.key.focus_visitors"),
    ("focus_documents", "tui.key.focus_documents"),
    ("focus_urgent", "tui.key.focus_urgent"),
    ("focus_entry", "tui.key.focus_entry"),
    ("help", "tui.key.help"),
)


class DeskCommands(Provider):
    """The palette (ctrl+p) offers every action of the desk, with its key."""

    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        screen = self.screen
        if not isinstance(screen, DeskScreen):
            return []
        keys = screen.keys_by_id()
        out = []
        for action, label_key in PALETTE:
            key = keys.get(action, "")
            help_text = t("tui.palette.key", key=spelled(key)) if key else ""
            out.append((t(label_key), partial(screen.run_action, action), help_text))
        return out

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


# --- the main screen -------------------------------------------------------------

LOWER = ("visitors", "documents", "urgent")
# The desk's footer keys that give way, first to last, when the footer would
# not fit on one line: opening a new record is also on the entry line (/访 …).
FOOTER_GIVES_WAY = ("zero_report", "new_document", "new_visitor", "new_urgent", "open_items")


class DeskScreen(Screen):
    """Header, the four panes, the entry line, the footer."""

    # Two by two when there is room (100x28 and up); otherwise the log on top
    # and one of the other three below it, the one Tab last moved to, with a
    # tab strip that keeps the counts and the next countdown of all three in sight.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (28, "-tall")]

    BINDINGS: ClassVar = [
        Binding("f1", "help", "tui.key.help", id="help"),
        Binding("f2", "new_visitor", "tui.key.new_visitor_short", id="new_visitor"),
        Binding("f3", "new_document", "tui.key.new_document_short", id="new_document"),
        Binding("f4", "new_urgent", "tui.key.new_urgent_short", id="new_urgent"),
        Binding("f5", "refresh", "tui.key.refresh", show=False, id="refresh"),
        Binding("f6", "open_items", "tui.key.open_items_short", id="open_items"),
        Binding("f7", "zero_report", "tui.key.zero_report_short", id="zero_report"),
        Binding("f8", "handover", "tui.key.handover_short", id="handover"),
        # These act on the highlighted row of their pane and work from anywhere;
        # each pane shows its own in the footer when it has focus.
        Binding("ctrl+r", "phone_report", "tui.key.phone_report_short", id="phone_report"),
        Binding("ctrl+o", "check_out", "tui.key.check_out_short", show=False, id="check_out"),
        Binding("ctrl+n", "next_step", "tui.key.next_step_short", show=False, id="next_step"),
        Binding("ctrl+t", "urgent_event", "tui.key.urgent_event_short", show=False, id="urgent_event"),
        Binding("ctrl+g", "record_result", "tui.key.record_result_short", show=False, id="record_result"),
        # On the highlighted record of the last pane. Not ctrl+k: the entry
        # line (a Textual Input) deletes to the end of the line with it.
        Binding("ctrl+f", "chase", "tui.key.chase_short", show=False, id="chase"),
        Binding("ctrl+l", "instruct", "tui.key.instruct_short", show=False, id="instruct"),
        Binding("tab", "next_pane", "tui.key.next_pane", show=False, id="next_pane"),
        Binding("shift+tab", "previous_pane", "tui.key.previous_pane", show=False, id="previous_pane"),
        Binding("escape", "focus_entry", "tui.key.focus_entry", show=False, id="focus_entry"),
    ]

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
        # binding id -> shown in the footer when there is room (fit_footer).
        self._footer_shows = {b.id: b.show for _k, b in self._bindings if b.id in FOOTER_GIVES_WAY}
        self._footer_hidden: set[str] = set()

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
        yield Footer(id="footer", compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        for name in LOWER:
            self.query_one(f"#{name}").add_class("-lower")
        self._show_lower(self.lower)
        self.entry.focus()
        self.reload()
        self.entry.restore_draft()

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
        return keys

    # --- loading and time --------------------------------------------------------

    def reload(self, kinds: Iterable[str] | None = None) -> None:
        wanted = set(kinds) if kinds else None
        for pane in self.panes:
            if wanted is None or pane.watches & wanted:
                pane.reload()
        if wanted is None or wanted & {"shift", "handover"}:
            self.load_header()
        # Any write may open, close or move a due time; the zero-report banner
        # and the overdue count follow.
        self.app.escalate()  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="header")
    def load_header(self) -> None:
        worker = get_current_worker()
        try:
            facts = header_facts(self.desk)
        except Exception as exc:
            self.app.call_from_thread(self.app.notify, store_failure(exc, self.desk.db, "tui.read_failed"),
                                      title=t("tui.load_failed"),
                                      severity="error", markup=False)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._header_loaded, facts)

    def _header_loaded(self, facts: HeaderFacts) -> None:
        header = self.query_one(HeaderBar)
        header.facts = facts
        header.refresh()

    def tick(self, now: datetime) -> None:
        if not self.query(HeaderBar):
            return  # composing, or being torn down at exit
        header = self.query_one(HeaderBar)
        header.overdue = self.app.overdue_at(now)  # type: ignore[attr-defined]
        header.refresh()
        self.show_missed_day(self.app.missed_day)  # type: ignore[attr-defined]
        for pane in self.panes:
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
        late_docs = sum(1 for d in docs.items if d.deadline is not None and d.deadline < now)
        next_due = min((u.next_due_at for u in urgent.items if u.next_due_at), default=None)
        labels = {
            "visitors": t("tui.tab.visitors", count=sum(1 for v in visitors.items if v.state != "left")),
            "documents": t("tui.tab.documents", count=len(docs.items))
            + (t("tui.tab.overdue", count=late_docs) if late_docs else ""),
            "urgent": t("tui.tab.urgent", count=len(urgent.items))
            + (" " + fmt_countdown(next_due - now) if next_due else ""),
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
                style = f"{style} {styles.warn if next_due >= now else styles.overdue}".strip()
            text.append(f" {labels[name]} ", style=style)
        text.append("   " + t("tui.tab.hint"), style=styles.quiet)
        tabs.summary = text
        tabs.refresh()

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

    def _focus_order(self) -> list[str]:
        return ["entry", "log", *LOWER]

    def _current_stop(self) -> str:
        if self._going_to:
            return self._going_to
        focused = self.focused
        if focused is None:
            return "entry"
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

    # --- the entry line ------------------------------------------------------------

    def on_entry_line_submitted(self, message: EntryLine.Submitted) -> None:
        parsed = message.parsed
        if parsed.is_log:
            message.entry.busy = True
            self.record_log(parsed, message.text, message.confirmed)
            return
        self.open_entry_form(parsed, message.text)

    @work(thread=True, group="write")
    def record_log(self, parsed: ParsedEntry, text: str, confirmed: bool = False) -> None:
        from duty_desk.core.services import drafts, log
        from duty_desk.tui.screens.base import saving

        entry_line = self.entry
        try:
            if not confirmed:
                # The same Enter on two desks of one officer, or a line sent
                # twice: ask before recording it again.
                same = drafts.recent_duplicate(self.desk, parsed.content, parsed.category)
                if same is not None:
                    at = to_local(same.recorded_at, self.desk.cfg).strftime("%H:%M")
                    question = t("tui.entry.duplicate", id=same.id, time=at)
                    self.app.call_from_thread(self._ask_duplicate, text, question)
                    return
            row, masked = saving(self.desk, log.record_entry, self.desk, parsed.content, parsed.category,
                                 parsed.occurred_at, needs_action=parsed.needs_action)
        except DeskError as err:
            self.app.call_from_thread(self._not_recorded, err.message)
            return
        except Exception as exc:
            self.app.call_from_thread(self._not_recorded, store_failure(exc, self.desk.db))
            return
        notice = masked_notice(masked)
        if notice is not None:
            self.app.call_from_thread(self.app.notify, notice, markup=False)
        try:
            entry_line.forget_draft()
        except Exception:
            pass
        summary = t("tui.entry.recorded", id=row.id, time=to_local(row.occurred_at, self.desk.cfg).strftime("%H:%M"),
                    category=t(f"tui.cat.{row.category}"))
        self.app.call_from_thread(self._recorded, text, summary)

    def _ask_duplicate(self, text: str, question: str) -> None:
        entry = self.entry
        entry.busy = False
        entry.show_error(question)
        if entry.value == text:
            entry.confirm_text = text
        entry.focus()

    def on_entry_line_form_draft(self, message: EntryLine.FormDraft) -> None:
        """Open again the form that was open when the desk last ran, with
        what was typed in it, and say so."""
        import json

        from duty_desk.tui.paste import notes_line

        try:
            state = json.loads(message.state)
            module, name = state["module"], state["name"]
            args, values = list(state.get("args", [])), dict(state.get("values", {}))
        except (ValueError, KeyError, TypeError):
            return
        notes = [t("tui.draft.form_restored")]
        if state.get("withheld"):
            notes.append(t("tui.draft.id_withheld"))
        try:
            self.push_form(name, *args, prefill=values, module=module, note=notes_line(notes))
        except TypeError:
            # Written by another version of the form: the draft stays stored.
            self.app.notify(t("tui.draft.form_unusable", form=name), severity="warning", markup=False)

    def _not_recorded(self, message: str) -> None:
        self.entry.busy = False
        self.entry.show_error(message)
        self.entry.focus()

    def _recorded(self, text: str, summary: str) -> None:
        entry = self.entry
        entry.busy = False
        if entry.value == text:  # typing may have gone on while it was sent
            entry.clear()
        entry.show_done(summary)
        log_pane = self.pane("log")
        table = log_pane.table
        if table.row_count:  # follow the log to its newest line
            table.move_cursor(row=table.row_count - 1, animate=False)
        self.app.post_message(RecordsChanged({"log", "shift"}))
        entry.focus()

    def open_entry_form(self, parsed: ParsedEntry, text: str = "") -> None:
        form = parsed.form
        if form == "handover":
            self.action_handover(from_entry=True)
            return
        name = {"visitor": "VisitorForm", "document": "DocumentForm", "urgent": "UrgentForm",
                "zero": "ZeroReportForm"}[form or ""]
        self.push_form(name, prefill=parsed.prefill, from_entry=True, command=text)

    # --- forms ---------------------------------------------------------------------

    def push_form(self, name: str, *args: Any, prefill: dict[str, Any] | None = None,
                  from_entry: bool = False, module: str = "forms", note: str = "",
                  command: str = "") -> None:
        """Open a form of duty_desk.tui.screens; when it closes, focus returns
        to the entry line (cleared when the form came from it and succeeded).
        ``note`` is shown at the bottom of the form once it is ready."""
        try:
            cls = getattr(importlib.import_module(f"duty_desk.tui.screens.{module}"), name)
        except (ImportError, AttributeError):
            self.app.notify(t("tui.not_ready", what=name), severity="warning")
            self.entry.focus()
            return
        screen = cls(self.desk, *args, **(prefill or {}))
        if note:
            screen.note = note

        def closed(result: Any) -> None:
            if from_entry and result is not None:
                # The command is done; what was typed after it (keys that
                # came before the form was up) stays on the line.
                value = self.entry.value
                rest = value[len(command):].strip() if command and value.startswith(command) else ""
                self.entry.input.value = rest
                self.entry.save_draft_now()
            self.entry.focus()

        self.app.push_screen(screen, closed)

    def action_new_visitor(self) -> None:
        self.push_form("VisitorForm")

    def action_new_document(self) -> None:
        self.push_form("DocumentForm")

    def action_new_urgent(self) -> None:
        self.push_form("UrgentForm")

    def action_zero_report(self) -> None:
        # While the banner says the last duty day has no zero report, the
        # same key files that one: nothing can be reported for a day just begun.
        if self.app.missed_day is not None:  # type: ignore[attr-defined]
            self.action_zero_report_missed()
            return
        self.push_form("ZeroReportForm")

    def action_zero_report_missed(self) -> None:
        """One key: the zero report for the duty day that ended with nothing."""
        day = self.app.missed_day  # type: ignore[attr-defined]
        if day is None:
            self.app.notify(t("tui.zero.none_missed"), markup=False)
            return
        self._record_missed_zero_report()

    @work(thread=True, exclusive=True, group="zero-missed")
    def _record_missed_zero_report(self) -> None:
        from duty_desk.core.services import log
        from duty_desk.tui.screens.base import in_thread

        try:
            entry = in_thread(self.desk, log.record_zero_report, self.desk, previous=True)
        except DeskError as err:
            self.app.call_from_thread(self.app.notify, shown(err.message), severity="error", markup=False)
            return
        except Exception as exc:
            self.app.call_from_thread(self.app.notify, store_failure(exc, self.desk.db),
                                      severity="error", markup=False)
            return
        self.app.call_from_thread(self._zero_reported, entry.duty_date, entry.id)

    def _zero_reported(self, day: date, entry_id: int) -> None:
        self.app.missed_day = None  # type: ignore[attr-defined]
        self.show_missed_day(None)
        self.app.notify(t("zero.done", day=day.isoformat(), id=entry_id), markup=False)
        self.app.post_message(RecordsChanged({"log", "shift"}))
        self.entry.focus()

    # --- the row a key acts on -------------------------------------------------------

    def with_row(self, name: str, act: Callable[[Any, str], None], *,
                 candidates: list[Any] | None = None, none_key: str | None = None) -> None:
        """Run ``act(row, how)`` on the row the officer means.

        In the pane that has focus: its highlighted row, which is in view
        (``how`` "focused"). From anywhere else (the entry line): the only
        row there is ("only"), or the officer picks one from the rows named
        in full ("picked") — never a row remembered out of sight. The pane's
        cursor is moved onto the row first, so the row acted on is the one
        highlighted."""
        pane = self.pane(name)
        now = clock.now()
        rows = list(pane.visible_rows(pane.items, now)) if candidates is None else candidates
        wanted = {pane.item_key(r) for r in rows}
        if pane.has_focus_within:
            item = pane.highlighted_item()
            if item is not None and pane.item_key(item) in wanted:
                act(item, "focused")
                return
        if not rows:
            self.app.notify(t(none_key or f"tui.none.{name}"), severity="warning")
            return
        if len(rows) == 1:
            self._bring_into_view(pane, rows[0])
            act(rows[0], "only")
            return
        top = pane.item_key(rows[0])

        def picked(key: str | None) -> None:
            item = pane.item_by_key(key) if key is not None else None
            if item is None:
                return  # focus goes back where it was
            self._bring_into_view(pane, item)
            act(item, "picked")

        labels = [(pane.item_key(r), pane.row_label(r, now)) for r in rows]
        self.app.push_screen(RowPicker(t("tui.pick.title", pane=t(pane.title_key)), labels, top), picked)

    def _bring_into_view(self, pane: DeskPane, item: Any) -> None:
        if pane.id in LOWER and pane.id != self.lower:
            self._show_lower(pane.id or self.lower)
        pane.move_to(item)

    def _last_pane_name(self) -> str | None:
        """The pane a key for "the selected record" acts on: the one in use,
        else the one used last; None (and say so) when there is none."""
        pane = next((p for p in self.panes if p.has_focus_within), self.last_pane)
        if pane is None:
            self.app.notify(t("tui.none.selected"), severity="warning")
            return None
        return pane.id

    def _on_last_pane(self, then: Callable[[str, int], None]) -> None:
        name = self._last_pane_name()
        if name is not None:
            kind = self.pane(name).kind
            self.with_row(name, lambda item, _how: then(kind, item.id))

    def action_chase(self) -> None:
        self._on_last_pane(lambda kind, rid: self.push_form("ChaseForm", kind, rid, module="followup"))

    def action_transfer(self) -> None:
        self._on_last_pane(lambda kind, rid: self.push_form("TransferForm", kind, rid, module="followup"))

    def action_instruct(self) -> None:
        self._on_last_pane(lambda kind, rid: self.push_form("InstructionForm", kind, rid, module="followup"))

    def action_check_out(self) -> None:
        visitors = self.pane("visitors")
        here = [v for v in visitors.visible_rows(visitors.items, clock.now()) if v.state != "left"]
        self.with_row("visitors", lambda item, _how: self.push_form("CheckOutForm", item.id), candidates=here)

    def action_next_step(self) -> None:
        self.with_row("documents", lambda item, _how: self.push_form("DocumentStepForm", item.id))

    def action_urgent_event(self) -> None:
        self.with_row("urgent", lambda item, _how: self.push_form("UrgentEventForm", item.id))

    def action_record_result(self) -> None:
        log_pane = self.pane("log")
        waiting = [r for r in log_pane.visible_rows(log_pane.items, clock.now())
                   if r.state == "open" and not r.superseded]
        self.with_row("log", lambda item, _how: self.push_form("ResultForm", item.id), candidates=waiting,
                      none_key="tui.none.open_call")

    def action_void(self) -> None:
        self._on_last_pane(lambda kind, rid: self.push_form("VoidForm", kind, rid))

    def action_detail(self) -> None:
        self._on_last_pane(lambda kind, rid: self.app.open_detail(kind, rid))  # type: ignore[attr-defined]

    def action_phone_report(self) -> None:
        """"Reported upward by phone, now", on the urgent item meant: one key on
        the highlighted row of the urgent pane; from elsewhere the item is
        named first; a second report of the same item within a few minutes
        is asked about."""
        self.with_row("urgent", self._check_phone_report)

    @work(thread=True, group="write")
    def _check_phone_report(self, row: Any, how: str) -> None:
        from duty_desk.tui.screens.base import in_thread

        try:
            last = in_thread(self.desk, recent_phone_report, self.desk, row.id)
        except Exception as exc:
            self.app.call_from_thread(self.app.notify, store_failure(exc, self.desk.db),
                                      severity="error", markup=False)
            return
        self.app.call_from_thread(self._confirm_phone_report, row, how, last)

    def _confirm_phone_report(self, row: Any, how: str, last: tuple[str, str] | None) -> None:
        from duty_desk.tui.screens.confirm import ConfirmStep

        name = t("tui.phone.item", level=t(f"tui.level.{row.level}"), title=shown(row.title))
        if last is None and how != "only":
            self._record_phone_report(row.id, row.title)  # the row in view, or the one just picked
            return
        body = t("tui.phone.confirm", item=name, time=to_local(clock.now(), self.desk.cfg).strftime("%H:%M"))
        if last is not None:
            body = t("tui.phone.again", time=last[0], by=shown(last[1]), minutes=REPEAT_REPORT_MINUTES) + "\n" + body

        def answered(yes: bool | None) -> None:
            if yes:
                self._record_phone_report(row.id, row.title)

        self.app.push_screen(ConfirmStep(t("tui.phone.confirm_title"), body), answered)

    @work(thread=True, group="write")
    def _record_phone_report(self, item_id: int, title: str) -> None:
        from duty_desk.core.services import urgent

        try:
            event = urgent.record_phone_report(self.desk, item_id)
        except DeskError as err:
            self.app.call_from_thread(self.app.notify, shown(err.message), severity="error", markup=False)
            return
        except Exception as exc:
            self.app.call_from_thread(self.app.notify, store_failure(exc, self.desk.db),
                                      severity="error", markup=False)
            return
        at = to_local(event.at, self.desk.cfg).strftime("%H:%M")
        self.app.call_from_thread(self._phone_reported, t("tui.phone_reported", title=shown(title), time=at))

    def _phone_reported(self, message: str) -> None:
        self.app.notify(message, markup=False)
        self.entry.show_done(message)  # the status line says the latest thing done
        self.app.post_message(RecordsChanged({"urgent"}))

    def action_open_items(self) -> None:
        from duty_desk.tui.panes.open_items import OpenItemsScreen

        self.app.push_screen(OpenItemsScreen(self.desk), lambda _r: self.entry.focus())

    def action_handover(self, from_entry: bool = False) -> None:
        try:
            importlib.import_module("duty_desk.tui.screens.handover")
        except ImportError:
            # The handover screen comes with the handover feature; until then
            # the command line does it.
            self.app.notify(t("tui.handover.later"), severity="warning")
            self.entry.focus()
            return
        self.push_form("HandoverScreen", module="handover", from_entry=from_entry)

    def action_help(self) -> None:
        from duty_desk.tui.help import HelpScreen

        self.app.push_screen(HelpScreen(self.help_target(), self.keys_by_id()),
                             lambda _r: self.entry.focus())

    def help_target(self) -> Widget | None:
        """The widget whose help F1 shows: the focused one or its pane."""
        focused = self.focused
        if focused is None:
            return None
        for node in focused.ancestors_with_self:
            if getattr(node, "help_key", ""):
                return node  # type: ignore[return-value]
        return None


# --- escalation --------------------------------------------------------------------


def read_dues(desk: Desk) -> tuple[list[OpenItem], date | None]:
    """One escalation round (on a worker thread): mark newly missed due
    times once in the audit trail, then every open item with a due time (for
    warnings and the header count) and the duty day missing its zero report."""
    from duty_desk.core import openitems
    from duty_desk.core.services import escalation, log

    escalation.mark_overdue(desk)
    dues = [item for item in openitems.list_open(desk) if item.due_at is not None]
    return dues, log.missing_zero_report(desk)


# --- the app -------------------------------------------------------------------------


class DutyDeskApp(App):
    """值班台. ``DutyDeskApp(desk).run()``; tests use ``run_test``."""

    CSS_PATH = str(packaged_file("app.tcss"))
    COMMANDS = App.COMMANDS | {DeskCommands}
    BINDINGS: ClassVar = [
        Binding("ctrl+q", "quit", "tui.key.quit", show=False, priority=True, id="quit"),
        Binding("ctrl+p", "command_palette", "tui.key.palette_short", show=False, priority=True,
                id="command_palette"),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        translate_bindings(self)
        self.title = t("tui.title")
        self.sub_title = desk.cfg.office_name
        self.register_theme(DUTY_DESK)
        self._bad_theme = desk.cfg.theme not in self.available_themes
        self.theme = "duty-desk" if self._bad_theme else desk.cfg.theme
        self.keymap = dict(desk.cfg.keymap)
        self.set_keymap(self.keymap)
        # (due of one item, minutes before it; 0 = passed): each warned once.
        self.warned: set[WarnKey] = set()
        self.bells = 0
        # From the last escalation round: every open item with a due time,
        # and the duty day that ended with neither a record nor a zero report.
        self.dues: list[OpenItem] = []
        self.missed_day: date | None = None
        self._escalating = False
        self._escalate_again = False
        self._escalation_timer: Timer | None = None
        self._head: int | None = None
        self._slot: tuple[date, int] | None = None
        # The drafts of this desk (services.drafts), and whether SIGHUP and
        # SIGTERM save what is typed and close the desk (set by run()).
        self.session: DeskSession | None = None
        self.handle_signals = False
        self.signalled: int | None = None
        self.keep_failed = ""  # why the drafts could not be written on closing
        self.anchor_seconds = ANCHOR_SECONDS

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver, reading pastes whole (duty_desk.tui.paste)."""
        from duty_desk.tui.paste import desk_driver

        return desk_driver(super().get_driver_class())

    def action_command_palette(self) -> None:
        """The palette, its prompt in the UI language."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=t("tui.palette.placeholder")))

    def get_key_display(self, binding: Binding) -> str:
        """F-keys as printed on the keyboard (F1), the rest as Textual shows them."""
        shown = super().get_key_display(binding)
        return shown.upper() if re.fullmatch(r"f\d{1,2}", shown) else shown

    def on_mount(self) -> None:
        from duty_desk.core.services import drafts

        self.session = drafts.start_session()
        if self.handle_signals:
            self._catch_signals()
        self.push_screen(DeskScreen(self.desk))
        self._slot = self._slot_now()
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self._bad_theme:
            self.notify(t("tui.theme.unknown", theme=shown(self.desk.cfg.theme)), severity="warning", markup=False)
        unknown = sorted(set(self.desk.cfg.keymap) - self.binding_ids())
        if unknown:
            self.notify(t("tui.keymap.unknown", ids=shown(", ".join(unknown))), severity="warning", markup=False)
        self.set_interval(TICK_SECONDS, self.tick)
        self._schedule_poll()
        self._anchor_round()  # also says what was found wrong when the store opened

    def on_unmount(self) -> None:
        from duty_desk.core.services import drafts

        if self.handle_signals:
            loop = asyncio.get_running_loop()
            for signum in HANG_UP_SIGNALS:
                loop.remove_signal_handler(signum)
        if self.session is not None:
            drafts.end_session(self.session)  # its drafts are the next desk's to restore

    # --- nothing typed is lost -----------------------------------------------------

    def _catch_signals(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in HANG_UP_SIGNALS:
            loop.add_signal_handler(signum, self.hang_up, signum)

    def hang_up(self, signum: int) -> None:
        """SIGHUP (the SSH connection dropped) or SIGTERM: keep the entry
        line and any open form as drafts, then close the desk normally."""
        if self.signalled is not None:
            return  # a hang-up comes as a signal and as a failed read
        self.signalled = signum
        self.keep_unsent()
        self.exit(return_code=0)

    async def action_quit(self) -> None:
        self.keep_unsent()
        self.exit()

    def _handle_exception(self, error: Exception) -> None:
        # A crash: keep what is typed first, then Textual ends the app with
        # status 1 and its report.
        try:
            self.keep_unsent()
        except Exception:
            pass
        super()._handle_exception(error)

    def unsent(self) -> dict[str, str]:
        """What is typed and not sent: slot -> draft text (services.drafts)."""
        from duty_desk.core.services import drafts
        from duty_desk.tui.screens.base import DeskForm

        found: dict[str, str] = {}
        try:
            found[drafts.ENTRY] = self.desk_screen.entry.value
        except Exception:
            pass  # not composed yet, or torn down
        for screen in reversed(self.screen_stack):
            if isinstance(screen, DeskForm):
                state = screen.draft_state()
                if state is not None:
                    found[drafts.FORM] = state
                break
        return found

    def keep_unsent(self) -> None:
        """Write the drafts now, at once, from a thread of their own (the
        event loop runs no query) and wait for it: the desk is closing."""
        from duty_desk.core.services import drafts
        from duty_desk.tui.screens.base import in_thread

        session = self.session
        found = self.unsent()
        if session is None or not found:
            return
        failed: list[BaseException] = []

        def write() -> None:
            try:
                for slot, text in found.items():
                    in_thread(self.desk, drafts.save_draft, self.desk, text, session, slot)
            except BaseException as exc:  # said below, on the event loop
                failed.append(exc)

        writer = threading.Thread(target=write, name="keep-unsent")
        writer.start()
        writer.join(KEEP_TIMEOUT)
        if failed:
            # Said by run() once the terminal is given back; a notification
            # now, in case the desk goes on.
            self.keep_failed = str(failed[0])
            self.notify(self.keep_failed, title=t("tui.draft.failed"), severity="error", markup=False)

    @property
    def desk_screen(self) -> DeskScreen:
        for screen in self.screen_stack:
            if isinstance(screen, DeskScreen):
                return screen
        raise LookupError("desk screen")

    def binding_ids(self) -> set[str]:
        ids = {b.id for _k, b in self._bindings if b.id}
        ids |= {b.id for b in DeskScreen.BINDINGS if isinstance(b, Binding) and b.id}
        from duty_desk.tui.panes.open_items import OpenItemsScreen
        from duty_desk.tui.screens.base import DeskForm
        from duty_desk.tui.screens.detail import DetailScreen
        from duty_desk.tui.screens.handover import HandoverScreen

        for cls in (DeskPane, DeskTable, LogPane, VisitorsPane, DocumentsPane, UrgentPane, OpenItemsScreen,
                    DetailScreen, DeskForm, HandoverScreen):
            ids |= {b.id for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding) and b.id}
        return ids

    def _theme_changed(self, _theme: Any) -> None:
        for pane in self.desk_screen.panes:
            pane.theme_changed()

    # --- time ---------------------------------------------------------------------

    def _slot_now(self) -> tuple[date, int]:
        slot = shift_slot_at(clock.now(), self.desk.cfg)
        return (slot.duty_date, slot.index)

    def tick(self) -> None:
        """Once a second: the clock, countdowns, warnings, the duty-day boundary.
        Reads no store (except when the shift or duty day turns over)."""
        now = clock.now()
        screen = self.desk_screen
        slot = self._slot_now()
        if slot != self._slot:
            self._slot = slot
            screen.reload()  # new duty day or shift: header, today's log and visitors
        screen.tick(now)
        top = self.screen
        if top is not screen and callable(getattr(top, "tick", None)):
            top.tick(now)  # the open-items view's countdowns
        self.warn_due(now)

    def overdue_at(self, now: datetime) -> int:
        """Open items past their due time now (the header's count), from the
        last escalation round's due times: it goes up the second one passes."""
        return sum(1 for item in self.dues if item.due_at is not None and item.due_at < now)

    def warn_due(self, now: datetime) -> None:
        """A notification and a bell, once per item, due and threshold: when a
        due time of any open item (an urgent item's next report, a document's
        deadline, a call's result, an instruction's answer) comes within the
        configured warning time, and when it passes."""
        cfg = self.desk.cfg
        lead = cfg.warn_before_minutes
        found = warnings_due(self.dues, now, self.warned, lead)
        found += [(item, 0) for item in self.dues
                  if item.due_at is not None and item.due_at <= now and (due_key(item), 0) not in self.warned]
        notes: dict[tuple[str, int], tuple[bool, str]] = {}
        for item, minutes in found:
            key = due_key(item)
            assert key is not None and item.due_at is not None
            self.warned.add((key, minutes))
            if (item.record_kind, item.id) in notes:
                continue  # several thresholds crossed at once: say it once
            left = item.due_at - now
            overdue = left <= timedelta(0)
            notes[(item.record_kind, item.id)] = (overdue, t(
                "tui.warn.overdue" if overdue else "tui.warn.due", title=shown(item.title),
                due=t(f"due.{item.due_kind}") if item.due_kind else "", left=fmt_countdown(abs(left)),
                at=to_local(item.due_at, cfg).strftime("%H:%M")))
        if not notes:
            return
        late = any(overdue for overdue, _ in notes.values())
        if len(notes) > WARN_AT_ONCE:
            # The desk opened on a backlog: one line and one bell, not a bell per item.
            key = spelled(self.desk_screen.keys_by_id().get("open_items", ""))
            messages = [t("tui.warn.many", count=len(notes), key=key)]
        else:
            messages = [message for _overdue, message in notes.values()]
        self.announce_warnings(messages, late)
        self.ring_bell()

    def announce_warnings(self, messages: list[str], late: bool) -> None:
        """On the desk, the warning bar; over a form or another screen, where
        the bar cannot be seen, notifications as well."""
        self.desk_screen.show_warnings(messages, late)
        if not isinstance(self.screen, DeskScreen):
            for message in messages:
                self.notify(message, title=t("tui.warn.title"), severity="error" if late else "warning",
                            timeout=WARN_TIMEOUT, markup=False)

    # --- escalation -------------------------------------------------------------------

    def escalate(self) -> None:
        """One escalation round now, or right after the one running: record
        each newly missed due time once (escalation.mark_overdue), then re-read
        the due times of every open item and the missing zero report."""
        if self._escalating:
            self._escalate_again = True
            return
        self._escalating = True
        self._escalation_round()

    @work(thread=True, group="escalate", exit_on_error=False)
    def _escalation_round(self) -> None:
        from duty_desk.tui.screens.base import in_thread

        facts: tuple[list[OpenItem], date | None] | None
        try:
            facts = in_thread(self.desk, read_dues, self.desk)
        except Exception:
            facts = None  # a busy or lost store: the next round tries again
        try:
            self.call_from_thread(self._escalated, facts)
        except RuntimeError:  # the app is closing
            pass

    def _escalated(self, facts: tuple[list[OpenItem], date | None] | None) -> None:
        self._escalating = False
        if facts is not None:
            self.dues, self.missed_day = facts
            now = clock.now()
            try:
                self.desk_screen.tick(now)  # the header count and the banner, at once
            except LookupError:  # closing
                return
            # Warnings too, the moment the due times are known: not at whichever
            # tick comes next (a backlog found on opening is said at once).
            self.warn_due(now)
        if self._escalate_again:
            self._escalate_again = False
            self.escalate()
            return
        if self._escalation_timer is not None:
            self._escalation_timer.stop()
        self._escalation_timer = self.set_timer(ESCALATION_SECONDS, self.escalate)

    def ring_bell(self) -> None:
        if self.desk.cfg.bell:
            self.bells += 1
            self.bell()

    # --- the store's own health ------------------------------------------------------

    @work(thread=True, exclusive=True, group="anchor", exit_on_error=False)
    def _anchor_round(self) -> None:
        """On a worker thread: anchor the audit head when one is due, and
        collect the store's warnings (from opening it, or from the anchor)."""
        from duty_desk.core import anchor
        from duty_desk.core import db as store
        from duty_desk.tui.screens.base import in_thread

        try:
            in_thread(self.desk, anchor.maybe_write, self.desk.db, self.desk.cfg.anchor_file)
        except Exception:
            pass  # maybe_write says its own faults as store warnings; the next round tries again
        warnings = store.store_warnings()
        try:
            self.call_from_thread(self._anchored, warnings)
        except RuntimeError:  # the app is closing
            pass

    def _anchored(self, warnings: list[str]) -> None:
        self.show_store_warnings(warnings)
        self.set_timer(self.anchor_seconds, self._anchor_round)

    def show_store_warnings(self, warnings: list[str]) -> None:
        """The TUI hides stderr, where the command line says these: each stays
        on screen until dismissed, with the bell."""
        for warning in warnings:
            self.notify(shown(warning), title=t("tui.store_warning.title"), severity="error",
                        timeout=STORE_WARNING_TIMEOUT, markup=False)
        if warnings:
            self.ring_bell()

    # --- changes --------------------------------------------------------------------

    def on_records_changed(self, message: RecordsChanged) -> None:
        self.desk_screen.reload(message.kinds)
        # Screens over the desk that show records (the open-items view, a
        # detail) refresh too.
        for screen in self.screen_stack:
            refresh = getattr(screen, "records_changed", None)
            if screen is not self.desk_screen and callable(refresh):
                refresh(message.kinds)

    def _schedule_poll(self) -> None:
        self.set_timer(POLL_SECONDS, self._poll)

    def _poll(self) -> None:
        self._read_head()

    @work(thread=True, exclusive=True, group="poll")
    def _read_head(self) -> None:
        from duty_desk.core import audit

        try:
            head: int | None = audit.head_id()
        except Exception:
            head = None
        try:
            self.call_from_thread(self._polled, head)
        except RuntimeError:  # the app is closing
            pass

    def _polled(self, head: int | None) -> None:
        if head is not None:
            if self._head is not None and head != self._head:
                self.post_message(RecordsChanged())  # another session wrote
            self._head = head
        self._schedule_poll()

    # --- screens ---------------------------------------------------------------------

    def open_detail(self, kind: str, record_id: int) -> None:
        try:
            from duty_desk.tui.screens.detail import DetailScreen
        except ImportError:
            self.notify(t("tui.not_ready", what="DetailScreen"), severity="warning")
            return
        desk_screen = self.desk_screen

        def closed(_result: Any) -> None:
            if self.screen is desk_screen:
                desk_screen.entry.focus()

        self.push_screen(DetailScreen(self.desk, kind, record_id), closed)


def run(desk: Desk) -> int:
    """Run the desk on an open store until it closes; closes the store."""
    from duty_desk.core.sanitize import shown

    app = DutyDeskApp(desk)
    app.handle_signals = True
    try:
        app.run()
    except OSError:
        # The terminal went away as the desk closed (a dropped connection):
        # its last words could not be shown; what was typed is kept.
        if app.signalled is None:
            raise
    finally:
        desk.close()
    if app.keep_failed:
        print(t("tui.draft.failed") + ": " + shown(app.keep_failed), file=sys.stderr)
    # Non-zero after a crash (what was typed is kept as drafts); a hang-up or
    # SIGTERM closes the desk normally.
    return app.return_code or 0


__all__ = ["DeskScreen", "DutyDeskApp", "RecordsChanged", "run"]
