"""The detail of one record: its fields, its steps or timeline, and its full
history from the audit trail (who, when, what, old -> new), with keys to
the forms that act on it.

Everything is read on a worker thread into plain data (``load_detail``);
the screen only renders it. User text is always a rich ``Text``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from duty_desk.core import audit
from duty_desk.core.desk import Desk
from duty_desk.core.dutytime import fmt_dt, to_local
from duty_desk.core.errors import DeskError
from duty_desk.core.i18n import t
from duty_desk.core.models import KINDS, Officer, UrgentEvent, UTCDateTimeField
from duty_desk.core.present import state_label
from duty_desk.core.sanitize import shown
from duty_desk.core.services import common, documents, urgent
from duty_desk.tui.bindings import translate_bindings
from duty_desk.tui.messages import RecordsChanged
from duty_desk.tui.safe import shown_all, store_failure
from duty_desk.tui.screens.base import field_label, in_thread, known
from duty_desk.tui.screens.followup import AnswerForm, ChaseForm, InstructionForm, TransferForm
from duty_desk.tui.screens.forms import (
    CheckOutForm,
    DocumentStepForm,
    ResultForm,
    UrgentEventForm,
    VoidForm,
    event_label,
    record_summary,
)
from duty_desk.tui.screens.rowpick import REPEAT_REPORT_MINUTES, recent_phone_report
from duty_desk.tui.screens.takeback import (
    UndoStepForm,
    VoidEventForm,
    latest_live_step,
    live_events,
)

# The fields each kind shows, in reading order; empty ones are left out.
FIELDS: dict[str, tuple[str, ...]] = {
    "log": ("occurred_at", "category", "content", "counterpart_unit", "counterpart_name",
            "counterpart_title", "counterpart_phone", "already_informed", "handling", "result",
            "owner", "due_at", "closed_at", "recorded_by", "recorded_at"),
    "visitor": ("name", "unit", "phone", "id_type", "id_masked", "purpose", "host", "party_size",
                "arrived_at", "reception_at", "received_by", "left_at", "state", "result", "owner",
                "recorded_by", "recorded_at"),
    "document": ("serial", "received_at", "sender", "doc_number", "title", "urgency", "classification",
                 "secrecy_period", "copy_number", "copies", "attachments", "summary", "deadline", "state",
                 "custody", "proposal", "handling_units", "reply", "owner", "closed_at", "filed_at",
                 "file_number", "recorded_by"),
    "urgent": ("title", "event_type", "level", "state", "received_at", "occurred_at", "place",
               "source_unit", "source_name", "source_phone", "first_responder", "casualties", "measures",
               "leaders_on_scene", "trend", "recommendations", "next_due_kind", "next_due_at", "owner",
               "closed_at"),
    "instruction": ("leader", "given_at", "text", "assignee", "due_at", "owner", "result", "answered_at"),
}
# Fields that hold an officer's login: shown as the officer's name.
LOGIN_FIELDS = {"recorded_by", "owner", "first_responder", "voided_by", "by", "started_by", "outgoing",
                "accepted_by", "read_back_by", "custody"}  # custody: a login or a unit's name
# Bookkeeping left out of a creation's list of values (shown elsewhere or meaningless).
CREATE_SKIP = {"id", "shift", "duty_date", "recorded_at", "recorded_by", "deadline_explicit", "due_explicit"}
_UTC_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


@dataclass
class Change:
    label: str
    old: str | None  # None: a value set at creation, no "before"
    new: str


@dataclass
class HistoryRow:
    at: str
    actor: str
    action: str
    ok: bool
    changes: list[Change] = field(default_factory=list)
    note: str = ""  # the refusal, for a failed attempt


@dataclass
class Detail:
    kind: str
    record_id: int
    headline: str
    state: str
    marks: list[str]
    fields: list[tuple[str, str]]
    steps: list[tuple[str, ...]] | None = None  # documents: at, step, by, party, text, deadline
    timeline: list[tuple[str, ...]] | None = None  # urgent: at, event, by, party, means, text, void
    chases: list[tuple[str, ...]] | None = None  # at, by, whom, means, answer
    instructions: list[tuple[str, ...]] | None = None  # given, leader, text, assignee, due, state
    open_instructions: list[int] = field(default_factory=list)  # for the answer key
    history: list[HistoryRow] = field(default_factory=list)
    actions: set[str] = field(default_factory=set)


class Shower:
    """Turns stored values into what a reader expects: local times, names
    instead of logins, translated levels and states."""

    def __init__(self, desk: Desk, kind: str):
        self.desk = desk
        self.kind = kind
        self.names = {o.login: o.name for o in Officer.select(Officer.login, Officer.name)}
        self.names["system"] = t("tui.detail.system")
        model = KINDS.get(kind)
        self.time_fields = {n for n, f in model._meta.fields.items() if isinstance(f, UTCDateTimeField)} if model else set()
        self.time_fields |= {n for n, f in UrgentEvent._meta.fields.items() if isinstance(f, UTCDateTimeField)}

    def who(self, login: str | None) -> str:
        return self.names.get(login or "", login or "")

    def time(self, value: Any, short: bool = False) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            if not _UTC_TEXT.match(value):
                return value
            value = datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc)
        local = to_local(value, self.desk.cfg)
        return local.strftime("%m-%d %H:%M") if short else fmt_dt(value, self.desk.cfg)

    def value(self, name: str, value: Any) -> str:
        if value is None or value == "":
            return ""
        if name in self.time_fields or isinstance(value, datetime):
            return self.time(value)
        if name in LOGIN_FIELDS:
            return self.who(str(value))
        if name == "level" and known(f"level.{value}"):
            return t(f"level.{value}")
        if name == "state" and known(f"state.{self.kind}.{value}"):
            return state_label(self.kind, str(value))
        if name == "event_kind":
            return event_label(str(value))
        if name in ("next_due_kind", "due_kind") and known(f"due.{value}"):
            return t(f"due.{value}")
        if name == "step" and known(f"doc.step.{value}"):
            return t(f"doc.step.{value}")
        if isinstance(value, bool):
            return t("tui.detail.yes") if value else t("tui.detail.no")
        if isinstance(value, list):
            return "、".join(self.who(str(v)) for v in value)
        if isinstance(value, dict):
            if "kind" in value and "at" in value:  # a timeline event inside an urgent item's audit
                parts = [event_label(value["kind"], value.get("seq") or 0), self.time(value["at"], short=True),
                         value.get("party") or "", value.get("means") or "", value.get("text") or ""]
                return " ".join(p for p in parts if p)
            return json.dumps(value, ensure_ascii=False)
        return str(value)


def action_label(action: str) -> str:
    for key in (f"tui.detail.action.{action}", f"doc.step.{action}", f"tui.form.event.{action}"):
        if known(key):
            return t(key)
    return action


def history_rows(kind: str, record_id: int, show: Shower) -> list[HistoryRow]:
    model = KINDS.get(kind)
    # The trail stores values with sorted keys; read them in the record's own order,
    # what the event was about (a step, a timeline entry) first.
    order = {n: i for i, n in enumerate(model._meta.sorted_field_names)} if model else {}
    rows = []
    for ev in audit.history(kind, record_id):
        old = json.loads(ev.old) if ev.old else None
        new = json.loads(ev.new) if ev.new else None
        if isinstance(new, dict):
            new = dict(sorted(new.items(), key=lambda kv: order.get(kv[0], -1)))
        row = HistoryRow(show.time(ev.at, short=True), show.who(ev.actor), action_label(ev.action),
                         ev.outcome == "success")
        if not row.ok and isinstance(new, dict) and "error" in new:
            params = {k: v for k, v in new.items() if k != "error"}
            row.note = DeskError(new["error"], **params).message
        elif isinstance(new, dict):
            if old is None and ev.action in ("create", "amend"):
                old_map: dict[str, Any] = {}
                creation = ev.action == "create"
            else:
                old_map, creation = old if isinstance(old, dict) else {}, False
            for name, value in new.items():
                if creation and (name in CREATE_SKIP or value in (None, "", [], False)):
                    continue
                if not creation and name == "step" and ev.action != "void_step":
                    continue  # the action already says which step
                if name in ("step_id", "event") and isinstance(value, int):
                    continue  # an inner id; the step or event kind beside it names it
                new_text = show.value(name, value)
                if not creation and name in ("party", "text") and not new_text:
                    continue
                old_text = None if creation or name not in old_map else show.value(name, old_map.get(name))
                row.changes.append(Change(field_label(name, kind), old_text, new_text))
        rows.append(row)
    return rows


def load_detail(desk: Desk, kind: str, record_id: int) -> Detail:
    """Everything the detail screen shows, read from the store (call on a
    worker thread)."""
    row = common.get_record(kind, record_id)
    show = Shower(desk, kind)
    data = row.__data__
    names = FIELDS.get(kind) or tuple(n for n in row._meta.fields if n not in ("id", "shift"))
    fields = [(field_label(n, kind), show.value(n, data.get(n))) for n in names]
    fields = [(label, value) for label, value in fields if value]
    voided = getattr(row, "voided_at", None) is not None
    state = "void" if voided else str(data.get("state") or "")
    if kind == "log":
        from duty_desk.core.present import log_state

        state = log_state(row)
    detail = Detail(kind, record_id, record_summary(kind, row, desk) or f"#{record_id}",
                    state_label(kind, state) if state and known(f"state.{kind}.{state}") else "",
                    [], fields)
    if voided:
        detail.marks.append(t("tui.detail.voided", at=show.time(row.voided_at), by=show.who(row.voided_by),
                              reason=row.void_reason or ""))
    if data.get("amends"):
        detail.marks.append(t("tui.detail.amends", id=data["amends"]))
    if hasattr(row, "amendments"):
        later = [str(a.id) for a in row.amendments]
        if later:
            detail.marks.append(t("tui.detail.amended_by", ids="、".join(f"#{i}" for i in later)))
    if "shift" in row._meta.fields and common.is_locked(row):
        detail.marks.append(t("tui.detail.locked"))
    if kind == "document":
        detail.steps = [
            (show.time(s.at, short=True),
             t(f"doc.step.{s.step}") + (t("tui.detail.step_voided") if s.voided_at else ""),
             show.who(s.by), s.party, s.text,
             show.time(s.deadline, short=True))
            for s in documents.steps_of(record_id)
        ]
    if kind == "urgent":
        detail.timeline = [
            (show.time(e.at, short=True), event_label(e.kind, e.seq), show.who(e.by), e.party, e.means, e.text,
             t("state.log.void") if e.voided_at else "")
            for e in urgent.timeline(record_id)
        ]
    follow_up(detail, kind, row, show)
    detail.history = history_rows(kind, record_id, show)
    if not voided:
        if hasattr(row, "voided_at"):
            detail.actions.add("void")
        if kind == "visitor" and row.state != "left":
            detail.actions.add("checkout")
        if kind == "document" and documents.TRANSITIONS.get(row.state):
            detail.actions.add("step")
        if kind == "urgent" and row.state == "open":
            detail.actions |= {"event", "phone_report"}
        if kind == "document":
            latest = latest_live_step(record_id)
            if latest is not None and latest.step in documents.UNDOABLE_STEPS:
                detail.actions.add("undo_step")
        if kind == "urgent" and live_events(record_id):
            detail.actions.add("void_event")
        if kind == "log" and row.needs_action and row.closed_at is None:
            detail.actions.add("result")
    return detail


# The field holding a record's due time, by kind (the open-items query's due).
DUE_FIELDS = {"log": ("due_at", "result"), "document": ("deadline", "deadline"), "instruction": ("due_at", "answer")}


def follow_up(detail: Detail, kind: str, row: Any, show: Shower) -> None:
    """Overdue mark, chases, instructions and the follow-up keys of a record."""
    from duty_desk.core.openitems import is_open
    from duty_desk.core.services import chasing, instructions

    now = show.desk.now()
    open_ = is_open(kind, row)
    due_field, due_kind = DUE_FIELDS.get(kind, ("next_due_at", getattr(row, "next_due_kind", None) or ""))
    due = getattr(row, due_field, None)
    if open_ and due is not None and due < now:
        detail.marks.append(t("tui.detail.overdue", due=t(f"due.{due_kind}") if due_kind else "",
                              at=show.time(due)))
    if kind == "instruction":
        item = common.get_record(row.item_kind, row.item_id)
        detail.fields.insert(0, (t("tui.form.label.item"),
                                 f"{t(f'kind.{row.item_kind}')} #{row.item_id} {record_summary(row.item_kind, item, show.desk)}"))
    # A document's chases are among its steps already (Art. 24).
    if kind in chasing.CHASEABLE and kind != "document":
        found = chasing.chases_of(kind, row.id)
        if found:
            detail.chases = [(show.time(c.at, short=True), show.who(c.by), c.whom, c.means, c.answer)
                             for c in found]
    if kind in instructions.INSTRUCTABLE:
        given = instructions.instructions_of(kind, row.id)
        if given:
            detail.instructions = [
                (show.time(i.given_at, short=True), i.leader, i.text, i.assignee, show.time(i.due_at, short=True),
                 instruction_state(i, now, show))
                for i in given
            ]
        detail.open_instructions = [i.id for i in given if i.answered_at is None and i.voided_at is None]
    if getattr(row, "voided_at", None) is not None:
        return
    if open_:
        detail.actions |= {"chase", "transfer"}
    if kind in instructions.INSTRUCTABLE:
        detail.actions.add("instruct")
    if (kind == "instruction" and open_) or detail.open_instructions:
        detail.actions.add("answer")


def instruction_state(ins: Any, now: datetime, show: Shower) -> str:
    if ins.voided_at is not None:
        return t("state.log.void")
    if ins.answered_at is not None:
        return t("tui.detail.instruction.answered", at=show.time(ins.answered_at, short=True), result=ins.result)
    if ins.due_at is not None and ins.due_at < now:
        return t("tui.detail.instruction.overdue")
    return t("tui.detail.instruction.open")


def _table(headers: list[str], rows: list[tuple[str, ...]], wide: int) -> Table:
    """A plain table; every cell is Text so user text never parses as markup."""
    table = Table(box=None, show_edge=False, pad_edge=False, padding=(0, 1), expand=True,
                  header_style="bold")
    for i, header in enumerate(headers):
        table.add_column(header, ratio=1 if i == wide else None, no_wrap=i == 0, overflow="fold")
    for cells in rows:
        table.add_row(*(Text(c) for c in cells))
    return table


class DetailScreen(ModalScreen[None]):
    """One record, all of it, and what can be done with it next."""

    BINDINGS: ClassVar = [
        # A letter (nothing here takes text), and the desk's own key for the
        # same action so the hand that knows the main screen is right here too.
        Binding("escape", "close", "tui.detail.key.close", id="detail.close"),
        Binding("o,ctrl+o", "checkout", "tui.detail.key.checkout", id="detail.checkout"),
        Binding("n,ctrl+n", "step", "tui.detail.key.step", id="detail.step"),
        Binding("u", "undo_step", "tui.detail.key.undo_step", id="detail.undo_step"),
        Binding("e,ctrl+t", "event", "tui.detail.key.event", id="detail.event"),
        Binding("p,ctrl+r", "phone_report", "tui.detail.key.phone_report", id="detail.phone_report"),
        Binding("x", "void_event", "tui.detail.key.void_event", id="detail.void_event"),
        Binding("r,ctrl+g", "result", "tui.detail.key.result", id="detail.result"),
        Binding("v,f9", "void", "tui.detail.key.void", id="detail.void"),
        Binding("c,ctrl+f", "chase", "tui.detail.key.chase", id="detail.chase"),
        Binding("t", "transfer", "tui.detail.key.transfer", id="detail.transfer"),
        Binding("i,ctrl+l", "instruct", "tui.detail.key.instruct", id="detail.instruct"),
        Binding("a", "answer", "tui.detail.key.answer", id="detail.answer"),
    ]
    ACTIONS = ("void", "checkout", "step", "undo_step", "event", "phone_report", "void_event", "result", "chase",
               "transfer", "instruct", "answer")

    def __init__(self, desk: Desk, kind: str, record_id: int) -> None:
        super().__init__()
        translate_bindings(self)
        self.desk = desk
        self.kind = kind
        self.record_id = record_id
        self.detail: Detail | None = None

    def compose(self) -> ComposeResult:
        box = Vertical(id="detail-box", classes="detail-box")
        box.border_title = Text(f"{t(f'kind.{self.kind}')} #{self.record_id}")
        with box:
            with VerticalScroll(id="detail-body", classes="detail-body"):
                yield Static(Text(t("tui.form.loading")), id="detail-content")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#detail-body").focus()
        self.reload()

    @work(thread=True, exclusive=True, group="detail-load", exit_on_error=False)
    def reload(self) -> None:
        try:
            # Stored text (fields, steps, the audit trail's payloads, even a
            # refused attempt's input) is made safe to show here, once.
            detail = shown_all(in_thread(self.desk, load_detail, self.desk, self.kind, self.record_id))
        except DeskError as err:
            self.app.call_from_thread(self._show_error, err.message)
        except Exception as exc:  # say it; the screen stays usable
            self.app.call_from_thread(self._show_error, store_failure(exc, self.desk.db, "tui.form.failed"))
        else:
            self.app.call_from_thread(self._show, detail)

    def _show_error(self, message: str) -> None:
        if self.is_attached:  # closed while it was read: nothing to show it in
            self.query_one("#detail-content", Static).update(Text(shown(message), "bold"))

    def _show(self, d: Detail) -> None:
        if not self.is_attached:
            return
        self.detail = d
        title = Text(f"{t(f'kind.{d.kind}')} #{d.record_id}  ")
        title.append(d.headline)
        if d.state:
            title.append(f"  [{d.state}]", "bold")
        self.query_one("#detail-box").border_title = title
        self.query_one("#detail-content", Static).update(self.render_detail(d))
        self.refresh_bindings()

    def render_detail(self, d: Detail) -> RenderableType:
        parts: list[RenderableType] = []
        for mark in d.marks:
            parts.append(Text(mark, "bold reverse"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, style="bold")
        grid.add_column(overflow="fold")
        for label, value in d.fields:
            grid.add_row(Text(label), Text(value))
        parts.append(grid)
        if d.steps is not None:
            parts.append(Text("\n" + t("tui.detail.steps"), "bold underline"))
            parts.append(_table([t("col.at"), t("tui.detail.col.step"), t("col.actor"), t("tui.form.label.party"),
                                 t("tui.detail.col.text"), t("col.deadline")], d.steps, 4))
        if d.chases:
            parts.append(Text("\n" + t("tui.detail.chases", count=len(d.chases)), "bold underline"))
            parts.append(_table([t("col.at"), t("col.actor"), t("tui.form.label.chased"), t("tui.form.label.means"),
                                 t("tui.form.label.answer")], d.chases, 4))
        if d.instructions:
            parts.append(Text("\n" + t("tui.detail.instructions"), "bold underline"))
            parts.append(_table([t("tui.form.label.given_at"), t("tui.form.label.leader"),
                                 t("tui.form.label.instruction"), t("tui.form.label.assignee"), t("col.deadline"),
                                 t("col.state")], d.instructions, 2))
        if d.timeline is not None:
            parts.append(Text("\n" + t("tui.detail.timeline"), "bold underline"))
            rows = d.timeline or [(t("tui.detail.none"),) + ("",) * 6]
            parts.append(_table([t("col.at"), t("tui.detail.col.event"), t("col.actor"), t("tui.form.label.party"),
                                 t("tui.form.label.means"), t("tui.detail.col.text"), ""], rows, 5))
        parts.append(Text("\n" + t("tui.detail.history"), "bold underline"))
        history = Table(box=None, show_edge=False, pad_edge=False, padding=(0, 1), expand=True,
                        header_style="bold")
        history.add_column(t("col.at"), no_wrap=True)
        history.add_column(t("col.actor"), no_wrap=True)
        history.add_column(t("col.action"), no_wrap=True)
        history.add_column(t("tui.detail.col.changes"), ratio=1, overflow="fold")
        for h in d.history:
            changes = Text()
            if not h.ok:
                changes.append(t("tui.detail.failed") + " ", "bold")
                changes.append(h.note)
            for c in h.changes:
                if changes.plain:
                    changes.append("\n")
                changes.append(f"{c.label}: ", "bold")
                if c.old is not None:
                    changes.append(c.old or t("tui.detail.empty"), "dim")
                    changes.append(" → ")
                changes.append(c.new or t("tui.detail.empty"))
            history.add_row(Text(h.at), Text(h.actor), Text(h.action, "" if h.ok else "bold"), changes)
        parts.append(history)
        return Group(*parts)

    # --- keys -----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.ACTIONS:
            return self.detail is not None and action in self.detail.actions
        return True

    def _open(self, screen: Any) -> None:
        self.app.push_screen(screen, callback=lambda _result: self.reload())

    def action_close(self) -> None:
        self.dismiss(None)

    def action_void(self) -> None:
        self._open(VoidForm(self.desk, self.kind, self.record_id))

    def action_checkout(self) -> None:
        self._open(CheckOutForm(self.desk, self.record_id))

    def action_step(self) -> None:
        self._open(DocumentStepForm(self.desk, self.record_id))

    def action_undo_step(self) -> None:
        self._open(UndoStepForm(self.desk, self.record_id))

    def action_void_event(self) -> None:
        self._open(VoidEventForm(self.desk, self.record_id))

    def action_event(self) -> None:
        self._open(UrgentEventForm(self.desk, self.record_id))

    def action_result(self) -> None:
        self._open(ResultForm(self.desk, self.record_id))

    def action_chase(self) -> None:
        self._open(ChaseForm(self.desk, self.kind, self.record_id))

    def action_transfer(self) -> None:
        self._open(TransferForm(self.desk, self.kind, self.record_id))

    def action_instruct(self) -> None:
        self._open(InstructionForm(self.desk, self.kind, self.record_id))

    def action_answer(self) -> None:
        ids = [self.record_id] if self.kind == "instruction" else (self.detail.open_instructions if self.detail else [])
        if ids:
            self._open(AnswerForm(self.desk, ids))

    @work(thread=True, exclusive=True, group="detail-phone", exit_on_error=False)
    def action_phone_report(self) -> None:
        """One key: reported upward by phone, now — asked first when the same
        item was reported by phone a few minutes ago."""
        try:
            last = in_thread(self.desk, recent_phone_report, self.desk, self.record_id)
        except Exception as exc:
            self.app.call_from_thread(self.app.notify, store_failure(exc, self.desk.db),
                                      severity="error", markup=False)
            return
        if last is None:
            self.app.call_from_thread(self._record_phone_report)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._record_phone_report()

        from duty_desk.tui.screens.handover import ConfirmStep

        body = t("tui.phone.again", time=last[0], by=shown(last[1]), minutes=REPEAT_REPORT_MINUTES)
        self.app.call_from_thread(self.app.push_screen, ConfirmStep(t("tui.phone.confirm_title"), body), answered)

    @work(thread=True, exclusive=True, group="detail-phone-write", exit_on_error=False)
    def _record_phone_report(self) -> None:
        try:
            in_thread(self.desk, urgent.record_phone_report, self.desk, self.record_id)
        except DeskError as err:
            self.app.call_from_thread(self.app.notify, shown(err.message), severity="error", markup=False)
            return
        except Exception as exc:  # a full disk, a lost store: said, nothing half-written
            self.app.call_from_thread(self.app.notify, store_failure(exc, self.desk.db),
                                      severity="error", markup=False)
            return
        self.app.call_from_thread(self._phone_reported)

    def _phone_reported(self) -> None:
        self.app.post_message(RecordsChanged({"urgent"}))
        self.notify(t("tui.detail.phone_reported"), markup=False)
        self.reload()

    def on_records_changed(self, message: RecordsChanged) -> None:
        self.records_changed(message.kinds)

    def records_changed(self, kinds: set[str]) -> None:
        """Something was written (a form over this screen, another session)."""
        if self.kind in kinds or "instruction" in kinds:
            self.reload()
