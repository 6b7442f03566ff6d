"""What the desk screen does: the entry line (a line recorded, a command
opening its form, a form restored from a draft), the forms it opens, and the
keys that act on a row (the highlighted one, the only one, or one picked).
A mixin of DeskScreen (desk_screen), which lays the screen out."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from textual.screen import Screen
from textual.widget import Widget

from duty_desk.core import changes, clock
from duty_desk.core.desk import officer_name
from duty_desk.core.dutytime import to_local
from duty_desk.core.entryline import ParsedEntry
from duty_desk.core.i18n import t
from duty_desk.core.sanitize import shown
from duty_desk.core.services import drafts, log, urgent
from duty_desk.core.services.common import masked_notice
from duty_desk.tui.entry import EntryLine
from duty_desk.tui.history import writes
from duty_desk.tui.messages import RecordsChanged
from duty_desk.tui.panes import LogPane
from duty_desk.tui.panes.base import DeskPane
from duty_desk.tui.paste import notes_line
from duty_desk.tui.workers import run_core, saving

# The lower panes, which share the space below the log in the compact layout.
LOWER = ("visitors", "documents", "urgent")


if TYPE_CHECKING:
    from duty_desk.tui.forms.base import DeskForm

# The screens the desk opens, imported the first time one opens: the first
# frame needs none of them (the desk starts as fast as a bare Textual app).
SCREENS: dict[str, str] = {
    **dict.fromkeys(("CheckOutForm", "DocumentForm", "DocumentStepForm", "ResultForm", "UrgentEventForm",
                     "UrgentForm", "VisitorForm", "VoidForm", "ZeroReportForm"), "duty_desk.tui.forms"),
    **dict.fromkeys(("ChaseForm", "InstructionForm", "TransferForm"), "duty_desk.tui.forms.followup"),
    "CallForm": "duty_desk.tui.forms.call",
    "HandoverScreen": "duty_desk.tui.screens.handover",
    "OpenItemsScreen": "duty_desk.tui.screens.open_items",
    "SearchScreen": "duty_desk.tui.screens.search",
    "RosterScreen": "duty_desk.tui.screens.roster",
    "StandingScreen": "duty_desk.tui.screens.standing", "StandingResultForm": "duty_desk.tui.forms.standing",
    "ContactsScreen": "duty_desk.tui.screens.contacts",
    "ReportsScreen": "duty_desk.tui.screens.reports",
    "HelpScreen": "duty_desk.tui.help",
    "ConfirmStep": "duty_desk.tui.screens.confirm",
    "RowPicker": "duty_desk.tui.screens.rowpick",
}


def screen_class(name: str) -> Any:
    """One of SCREENS by its class name."""
    return getattr(importlib.import_module(SCREENS[name]), name)


def form_class(name: str) -> type[DeskForm] | None:
    """A form by its class name, as a stored draft names it."""
    from duty_desk.tui.forms.base import DeskForm

    for module in set(SCREENS.values()):
        importlib.import_module(module)  # every form class known to DeskForm
    found: list[type[DeskForm]] = []
    todo: list[type[DeskForm]] = [DeskForm]
    while todo:
        cls = todo.pop()
        if cls.__name__ == name and cls is not DeskForm:
            found.append(cls)
        todo.extend(cls.__subclasses__())
    return found[0] if found else None


def _record_line(desk: Any, parsed: ParsedEntry, confirmed: bool, entry: EntryLine) -> tuple[Any, ...]:
    """On the worker: ("duplicate", the entry it repeats) when the same line
    was just recorded and the officer has not confirmed it, else ("recorded",
    the entry, the fields whose ID numbers were masked, what the write
    appended to the audit trail, the log pane's row of the entry). The entry
    and the clearing of the line's draft are one transaction."""
    if not confirmed:
        same = drafts.recent_duplicate(desk, parsed.content, parsed.category)
        if same is not None:
            return "duplicate", same
    with entry.sending():  # no older draft of this line is written after it
        (row, wrote), masked = saving(desk, changes.written, desk, drafts.record_line, desk, entry.session,
                                      parsed.content, parsed.category, parsed.occurred_at,
                                      needs_action=parsed.needs_action)
    return "recorded", row, masked, wrote, LogPane.row_of(row, officer_name(row.recorded_by))


class DeskActions:
    """The desk screen's actions on records (see the module's docstring)."""

    desk: Any
    lower: str
    last_pane: DeskPane | None
    history_day: date | None

    # --- the entry line ------------------------------------------------------------

    @writes
    def on_entry_line_submitted(self, message: EntryLine.Submitted) -> None:
        parsed = message.parsed
        if parsed.is_log:
            message.entry.busy = True
            self.record_log(parsed, message.text, message.confirmed)
            return
        self.open_entry_form(parsed, message.text)

    def record_log(self, parsed: ParsedEntry, text: str, confirmed: bool = False) -> None:
        """Record the line on a worker; a line that repeats one just recorded
        is asked about first (the same Enter on two desks, a line sent twice)."""
        run_core(self, self.desk, _record_line, self.desk, parsed, confirmed, self.entry,
                 done=lambda outcome: self._line_done(text, outcome), failed=self._not_recorded, group="write")

    def _line_done(self, text: str, outcome: tuple[Any, ...]) -> None:
        if outcome[0] == "duplicate":
            row = outcome[1]
            at = to_local(row.recorded_at, self.desk.cfg).strftime("%H:%M")
            self._ask_duplicate(text, t("tui.entry.duplicate", id=row.id, time=at))
            return
        _what, row, masked, wrote, pane_row = outcome
        # Shown from the written record at once; the store's watch is told
        # this write is shown, so it reloads nothing for it.
        self.app.watch.own(wrote.first, wrote.last)  # type: ignore[attr-defined]
        self.pane("log").add(pane_row, row.duty_date)
        notice = masked_notice(masked)
        if notice is not None:
            self.app.notify(notice, markup=False)
        summary = t("tui.entry.recorded", id=row.id, time=to_local(row.occurred_at, self.desk.cfg).strftime("%H:%M"),
                    category=t(f"tui.cat.{row.category}"))
        self._recorded(text, summary, wrote.kinds - {"log"}, escalate=row.needs_action)

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
        try:
            state = json.loads(message.state)
            name = state["name"]
            args, values = list(state.get("args", [])), dict(state.get("values", {}))
        except (ValueError, KeyError, TypeError):
            return
        cls = form_class(name)
        if cls is None:
            self.app.notify(t("tui.draft.form_unusable", form=name), severity="warning", markup=False)
            return
        notes = [t("tui.draft.form_restored")]
        if state.get("withheld"):
            notes.append(t("tui.draft.id_withheld"))
        try:
            self.push_form(cls, *args, prefill=values, note=notes_line(notes))
        except TypeError:
            # Written by another version of the form: the draft stays stored.
            self.app.notify(t("tui.draft.form_unusable", form=name), severity="warning", markup=False)

    def _not_recorded(self, message: str) -> None:
        self.entry.busy = False
        self.entry.show_error(message)
        self.entry.focus()

    def _recorded(self, text: str, summary: str, changed: frozenset[str] | None = None,
                  escalate: bool = False) -> None:
        """The line is recorded and shown: clear it, say so, follow the log to
        its newest line. ``changed``: the other kinds the write touched (a
        shift it opened), whose panes reload; None: reload the log and shifts."""
        entry = self.entry
        entry.busy = False
        if entry.value == text:  # typing may have gone on while it was sent
            entry.clear()
        entry.show_done(summary)
        log_pane = self.pane("log")
        table = log_pane.table
        if table.row_count:  # follow the log to its newest line
            table.move_cursor(row=table.row_count - 1, animate=False)
        if changed is None:
            self.app.post_message(RecordsChanged({"log", "shift"}))
        elif changed:
            self.app.post_message(RecordsChanged(changed))
        elif escalate:
            self.app.escalate()  # type: ignore[attr-defined]  # a new due time to watch
        entry.focus()

    def open_entry_form(self, parsed: ParsedEntry, text: str = "") -> None:
        form = parsed.form
        if form == "handover":
            self.action_handover(from_entry=True)
            return
        if form == "search":
            # The command is the query: it goes with it; what was typed after
            # it (keys that came before the screen was up) stays on the line.
            value = self.entry.value
            self.entry.input.value = value[len(text):].strip() if text and value.startswith(text) else ""
            self.entry.save_draft_now()
            self.action_search(parsed.prefill.get("query", ""))
            return
        if form in ("roster", "standing", "contacts"):
            value = self.entry.value  # what was typed after the command stays on the line
            self.entry.input.value = value[len(text):].strip() if text and value.startswith(text) else ""
            self.entry.save_draft_now()
            getattr(self, f"action_{form}")()
            return
        cls = {"call": "CallForm", "visitor": "VisitorForm", "document": "DocumentForm", "urgent": "UrgentForm",
               "zero": "ZeroReportForm"}[form or ""]
        self.push_form(cls, prefill=parsed.prefill, from_entry=True, command=text)

    # --- forms ---------------------------------------------------------------------

    def push_form(self, cls: type[Screen] | str, *args: Any, prefill: dict[str, Any] | None = None,
                  from_entry: bool = False, note: str = "", command: str = "") -> None:
        """Open a form (or the handover screen); when it closes, focus returns
        to the entry line (cleared when the form came from it and succeeded).
        ``note`` is shown at the bottom of the form once it is ready. ``cls``
        may be named (one of SCREENS)."""
        if isinstance(cls, str):
            cls = screen_class(cls)
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

    @writes
    def action_new_call(self) -> None:
        self.push_form("CallForm")

    @writes
    def action_new_visitor(self) -> None:
        self.push_form("VisitorForm")

    @writes
    def action_new_document(self) -> None:
        self.push_form("DocumentForm")

    @writes
    def action_new_urgent(self) -> None:
        self.push_form("UrgentForm")

    @writes
    def action_zero_report(self) -> None:
        # While the banner says the last duty day has no zero report, the
        # same key files that one: nothing can be reported for a day just begun.
        if self.app.missed_day is not None:  # type: ignore[attr-defined]
            self.action_zero_report_missed()
            return
        self.push_form("ZeroReportForm")

    @writes
    def action_zero_report_missed(self) -> None:
        """One key: the zero report for the duty day that ended with nothing."""
        day = self.app.missed_day  # type: ignore[attr-defined]
        if day is None:
            self.app.notify(t("tui.zero.none_missed"), markup=False)
            return
        self._record_missed_zero_report()

    def _record_missed_zero_report(self) -> None:
        run_core(self, self.desk, log.record_zero_report, self.desk, previous=True,
                 done=lambda entry: self._zero_reported(entry.duty_date, entry.id), group="zero-missed",
                 exclusive=True)

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
        self.app.push_screen(screen_class("RowPicker")(t("tui.pick.title", pane=t(pane.title_key)), labels, top), picked)

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

    @writes
    def action_chase(self) -> None:
        self._on_last_pane(lambda kind, rid: self.push_form("ChaseForm", kind, rid))

    @writes
    def action_transfer(self) -> None:
        self._on_last_pane(lambda kind, rid: self.push_form("TransferForm", kind, rid))

    @writes
    def action_instruct(self) -> None:
        self._on_last_pane(lambda kind, rid: self.push_form("InstructionForm", kind, rid))

    @writes
    def action_check_out(self) -> None:
        visitors = self.pane("visitors")
        here = [v for v in visitors.visible_rows(visitors.items, clock.now()) if v.state != "left"]
        self.with_row("visitors", lambda item, _how: self.push_form("CheckOutForm", item.id), candidates=here)

    @writes
    def action_next_step(self) -> None:
        self.with_row("documents", lambda item, _how: self.push_form("DocumentStepForm", item.id))

    @writes
    def action_urgent_event(self) -> None:
        self.with_row("urgent", lambda item, _how: self.push_form("UrgentEventForm", item.id))

    @writes
    def action_record_result(self) -> None:
        log_pane = self.pane("log")
        waiting = [r for r in log_pane.visible_rows(log_pane.items, clock.now())
                   if r.state == "open" and not r.superseded]
        standing = [i for i in getattr(self.app, "dues", []) if i.kind == "standing"]  # the last escalation's
        if standing and not (log_pane.has_focus_within and log_pane.highlighted_item() in waiting):
            from duty_desk.tui.forms.standing import offer_results  # a call or a standing duty?

            offer_results(self, waiting, standing)
            return
        self.with_row("log", lambda item, _how: self.push_form("ResultForm", item.id), candidates=waiting,
                      none_key="tui.none.open_call")

    @writes
    def action_void(self) -> None:
        self._on_last_pane(lambda kind, rid: self.push_form("VoidForm", kind, rid))

    def action_detail(self) -> None:
        self._on_last_pane(lambda kind, rid: self.app.open_detail(kind, rid))  # type: ignore[attr-defined]

    @writes
    def action_phone_report(self) -> None:
        """"Reported upward by phone, now", on the urgent item meant: one key on
        the highlighted row of the urgent pane; from elsewhere the item is
        named first; a second report of the same item within a few minutes
        is asked about."""
        self.with_row("urgent", self._check_phone_report)

    def _check_phone_report(self, row: Any, how: str) -> None:
        from duty_desk.tui.screens.rowpick import recent_phone_report

        run_core(self, self.desk, recent_phone_report, self.desk, row.id,
                 done=lambda last: self._confirm_phone_report(row, how, last), group="write")

    def _confirm_phone_report(self, row: Any, how: str, last: tuple[str, str] | None) -> None:
        name = t("tui.phone.item", level=t(f"tui.level.{row.level}"), title=shown(row.title))
        if last is None and how != "only":
            self._record_phone_report(row.id, row.title)  # the row in view, or the one just picked
            return
        body = t("tui.phone.confirm", item=name, time=to_local(clock.now(), self.desk.cfg).strftime("%H:%M"))
        if last is not None:
            from duty_desk.tui.screens.rowpick import REPEAT_REPORT_MINUTES

            body = t("tui.phone.again", time=last[0], by=shown(last[1]), minutes=REPEAT_REPORT_MINUTES) + "\n" + body

        def answered(yes: bool | None) -> None:
            if yes:
                self._record_phone_report(row.id, row.title)

        self.app.push_screen(screen_class("ConfirmStep")(t("tui.phone.confirm_title"), body), answered)

    def _record_phone_report(self, item_id: int, title: str) -> None:
        def done(event: Any) -> None:
            at = to_local(event.at, self.desk.cfg).strftime("%H:%M")
            self._phone_reported(t("tui.phone_reported", title=shown(title), time=at))

        run_core(self, self.desk, urgent.record_phone_report, self.desk, item_id, done=done, group="write")

    def _phone_reported(self, message: str) -> None:
        self.app.notify(message, markup=False)
        self.entry.show_done(message)  # the status line says the latest thing done
        self.app.post_message(RecordsChanged({"urgent"}))

    def action_open_items(self) -> None:
        self.app.push_screen(screen_class("OpenItemsScreen")(self.desk), lambda _r: self.entry.focus())

    def action_search(self, query: str = "") -> None:
        self.app.push_screen(screen_class("SearchScreen")(self.desk, query), lambda _r: self.entry.focus())

    def action_roster(self) -> None:
        self.app.push_screen(screen_class("RosterScreen")(self.desk), lambda _r: self.entry.focus())

    def action_standing(self) -> None:
        self.app.push_screen(screen_class("StandingScreen")(self.desk), lambda _r: self.entry.focus())

    def action_contacts(self) -> None:
        self.app.push_screen(screen_class("ContactsScreen")(self.desk), lambda _r: self.entry.focus())

    def action_handover(self, from_entry: bool = False) -> None:
        if self.history_day is not None:  # the handover sheets of the day shown
            self.show_history_sheets()  # type: ignore[attr-defined]
            return
        self.push_form("HandoverScreen", from_entry=from_entry)

    def action_help(self) -> None:
        self.app.push_screen(screen_class("HelpScreen")(self.help_target(), self.keys_by_id()),
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
