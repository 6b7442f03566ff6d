"""The detail of one record as plain data: its fields, its steps or timeline,
its chases and instructions, its full history from the audit trail (who,
when, what, old -> new), and the actions its state allows. Any face (the
desk's detail screen) renders it; nothing here is about how.

``load_detail`` reads the store: call it where reading is allowed (the
desk's worker thread)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from duty_desk.core import audit, kinds
from duty_desk.core.desk import Desk, officer_names
from duty_desk.core.dutytime import fmt_dt, to_local
from duty_desk.core.errors import DeskError
from duty_desk.core.i18n import known, t
from duty_desk.core.kinds.instruction import open_instructions_of
from duty_desk.core.models import KINDS, UrgentEvent, UTCDateTimeField
from duty_desk.core.openitems import is_open
from duty_desk.core.present import state_label
from duty_desk.core.rules import event_label, field_label, is_overdue
from duty_desk.core.services import chasing, common, documents, instructions, urgent

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
        self.names = officer_names()
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
            if "recipient" in value and "means" in value:  # a report's sending
                parts = [value.get("recipient") or "", value.get("means") or "",
                         self.time(value["sent_at"], short=True) if value.get("sent_at") else "",
                         value.get("received_by") or ""]
                return " ".join(p for p in parts if p)
            return json.dumps(value, ensure_ascii=False)
        return str(value)


def action_label(action: str) -> str:
    for key in (f"tui.detail.action.{action}", f"doc.step.{action}", f"event.{action}"):
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
                if name in ("step_id", "event", "report") and isinstance(value, int):
                    continue  # an inner id; the step or event kind beside it names it
                if name == "facts" and isinstance(value, list):
                    continue  # the facts' rows: the item's fields beside them say what changed
                new_text = show.value(name, value)
                if not creation and name in ("party", "text") and not new_text:
                    continue
                old_text = None if creation or name not in old_map else show.value(name, old_map.get(name))
                row.changes.append(Change(field_label(name, kind), old_text, new_text))
        rows.append(row)
    return rows


def load_detail(desk: Desk, kind: str, record_id: int) -> Detail:
    """Everything the detail screen shows, read from the store."""
    row = common.get_record(kind, record_id)
    spec = kinds.find(kind)
    show = Shower(desk, kind)
    data = row.__data__
    names = (spec.detail_fields if spec else ()) or tuple(n for n in row._meta.fields if n not in ("id", "shift"))
    fields = [(field_label(n, kind), show.value(n, data.get(n))) for n in names]
    fields = [(label, value) for label, value in fields if value]
    voided = getattr(row, "voided_at", None) is not None
    state = spec.state_of(row) if spec else ("void" if voided else str(data.get("state") or ""))
    detail = Detail(kind, record_id, kinds.summary(kind, row, desk.cfg) or f"#{record_id}",
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
    if "document_step" in (spec.parts if spec else ()):
        detail.steps = [
            (show.time(s.at, short=True),
             t(f"doc.step.{s.step}") + (t("tui.detail.step_voided") if s.voided_at else ""),
             show.who(s.by), s.party, s.text,
             show.time(s.deadline, short=True))
            for s in documents.steps_of(record_id)
        ]
    if "urgent_event" in (spec.parts if spec else ()):
        detail.timeline = urgent_timeline(desk, record_id, show)
    follow_up(detail, kind, row, show)
    detail.history = history_rows(kind, record_id, show)
    detail.actions = allowed_actions(kind, row)
    return detail


def urgent_timeline(desk: Desk, item_id: int, show: Shower) -> list[tuple[str, ...]]:
    """An urgent item's timeline; a report sent names itself by its title line
    and tells who signed it off, whether it was late and to whom it went; a
    report not sent yet comes last, as it stands."""
    from duty_desk.core.reports import view as reports_view
    from duty_desk.core.reports.service import kind_name, reports_of, title_line

    reports = [r for r in reports_of(item_id) if r.voided_at is None]
    by_event = {r.event: r for r in reports if r.event is not None}
    rows = []
    for e in urgent.timeline(item_id):
        text = e.text
        report = by_event.get(e.id)
        if report is not None:
            text = f"{title_line(report.text)}\n{reports_view.report_line(report, desk.cfg)}"
        rows.append((show.time(e.at, short=True), event_label(e.kind, e.seq), show.who(e.by), e.party, e.means,
                     text, t("state.log.void") if e.voided_at else ""))
    for r in reports:
        if r.sent_at is None:
            rows.append((show.time(r.drafted_at, short=True), kind_name(r.kind, r.seq), show.who(r.drafted_by),
                         "", "", reports_view.report_line(r, desk.cfg), ""))
    return rows


def allowed_actions(kind: str, row: Any) -> set[str]:
    """The actions a record's state allows: exactly what the core would accept
    (the detail screen offers these keys, the forms check them on opening)."""
    spec = kinds.find(kind)
    if spec is None or getattr(row, "voided_at", None) is not None:
        return set()
    actions = {"void"} | spec.state_actions(row)
    if is_open(kind, row):
        actions.add("transfer")
        if spec.chaseable:
            actions.add("chase")
    if spec.instructable:
        actions.add("instruct")
        if open_instructions_of(kind, row.id):
            actions.add("answer")
    return actions


def follow_up(detail: Detail, kind: str, row: Any, show: Shower) -> None:
    """Overdue mark, chases and instructions of a record."""
    now = show.desk.now()
    spec = kinds.find(kind)
    due, due_kind = spec.due_of(row) if spec else (None, "")
    if is_open(kind, row) and is_overdue(due, now):
        detail.marks.append(t("tui.detail.overdue", due=t(f"due.{due_kind}") if due_kind else "",
                              at=show.time(due)))
    if kind == "instruction":
        item = common.get_record(row.item_kind, row.item_id)
        detail.fields.insert(0, (t("tui.form.label.item"), f"{t(f'kind.{row.item_kind}')} #{row.item_id} "
                                 f"{kinds.summary(row.item_kind, item, show.desk.cfg)}"))
    # A document's chases are among its steps already (Art. 24).
    if spec is not None and spec.chaseable and "document_step" not in spec.parts:
        found = chasing.chases_of(kind, row.id)
        if found:
            detail.chases = [(show.time(c.at, short=True), show.who(c.by), c.whom, c.means, c.answer)
                             for c in found]
    if spec is not None and spec.instructable:
        given = instructions.instructions_of(kind, row.id)
        if given:
            detail.instructions = [
                (show.time(i.given_at, short=True), i.leader, i.text, i.assignee, show.time(i.due_at, short=True),
                 instruction_state(i, now, show))
                for i in given
            ]
        detail.open_instructions = [i.id for i in given if i.answered_at is None and i.voided_at is None]


def instruction_state(ins: Any, now: datetime, show: Shower) -> str:
    if ins.voided_at is not None:
        return t("state.log.void")
    if ins.answered_at is not None:
        return t("tui.detail.instruction.answered", at=show.time(ins.answered_at, short=True), result=ins.result)
    if is_overdue(ins.due_at, now):
        return t("tui.detail.instruction.overdue")
    return t("tui.detail.instruction.open")
