"""The desk insists: the tick (clock, countdowns), warnings before a due time
and when it passes (the bar, a notification over other screens, the bell),
the escalation rounds that record each missed due time once, and the
store's own health (the hourly anchor, warnings about the store). A mixin of
the app (DutyDeskApp)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from textual.timer import Timer

from duty_desk.core import anchor, clock
from duty_desk.core import db as store
from duty_desk.core.desk import Desk
from duty_desk.core.dutytime import shift_slot_at, to_local
from duty_desk.core.i18n import t
from duty_desk.core.openitems import OpenItem
from duty_desk.core.rules import is_overdue
from duty_desk.core.sanitize import shown
from duty_desk.core.services.escalation import WarnKey, due_key, escalation_round, warnings_due
from duty_desk.tui.desk_screen import WARN_TIMEOUT
from duty_desk.tui.help import spelled
from duty_desk.tui.panes.base import fmt_countdown
from duty_desk.tui.workers import run_core

TICK_SECONDS = 1.0
# More warnings than this in one second become one notification.
WARN_AT_ONCE = 3
# Seconds between escalation rounds (mark newly missed due times, re-read the
# open items' due times); the next round is scheduled after the last finished.
ESCALATION_SECONDS = 30.0
# The audit head is anchored at least hourly (anchor.maybe_write decides when
# one is due); asking every few minutes is cheap: two small reads.
ANCHOR_SECONDS = 300.0
# A warning about the store itself stays until the officer dismisses it.
STORE_WARNING_TIMEOUT = 7 * 24 * 3600.0


def _anchor_and_warnings(desk: Desk) -> list[str]:
    """On the worker: anchor the audit head if one is due, then the store's
    warnings. maybe_write says its own faults as store warnings."""
    try:
        anchor.maybe_write(desk.db, desk.cfg.anchor_file)
    except Exception:  # the next round tries again; the warnings below say what went wrong
        pass
    return store.store_warnings()


class Alerts:
    """The app's insistence (see the module's docstring)."""

    desk: Desk
    dues: list[OpenItem]
    missed_day: date | None
    warned: set[WarnKey]
    bells: int
    anchor_seconds: float
    _escalating: bool
    _escalate_again: bool
    _escalation_timer: Timer | None
    _slot: tuple[date, int] | None
    desk_screen: Any

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
        return sum(1 for item in self.dues if is_overdue(item.due_at, now))

    def warn_due(self, now: datetime) -> None:
        """A notification and a bell, once per item, due and threshold: when a
        due time of any open item (an urgent item's next report, a document's
        deadline, a call's result, an instruction's answer) comes within the
        configured warning time, and when it passes."""
        cfg = self.desk.cfg
        lead = cfg.warn_before_minutes
        found = warnings_due(self.dues, now, self.warned, lead)
        found += [(item, 0) for item in self.dues
                  if is_overdue(item.due_at, now) and (due_key(item), 0) not in self.warned]
        notes: dict[tuple[str, int], tuple[bool, str]] = {}
        for item, minutes in found:
            key = due_key(item)
            assert key is not None and item.due_at is not None
            self.warned.add((key, minutes))
            if (item.record_kind, item.id) in notes:
                continue  # several thresholds crossed at once: say it once
            left = item.due_at - now
            overdue = is_overdue(item.due_at, now)
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
        if self.screen is not self.desk_screen:
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

    def _escalation_round(self) -> None:
        # A busy or lost store: no facts this round; the next one tries again.
        run_core(self, self.desk, escalation_round, self.desk, done=self._escalated,
                 failed=lambda _message: self._escalated(None), group="escalate")

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

    def _anchor_round(self) -> None:
        """On a worker thread: anchor the audit head when one is due, and
        collect the store's warnings (from opening it, or from the anchor)."""
        run_core(self, self.desk, _anchor_and_warnings, self.desk, done=self._anchored,
                 failed=lambda _message: self._anchored(store.store_warnings()), group="anchor", exclusive=True)

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
