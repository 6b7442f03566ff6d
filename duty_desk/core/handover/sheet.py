"""The handover sheet (交接班单) as data.

``build_sheet`` reads the store once and returns plain dataclasses; nothing
here writes. The sheet is frozen as JSON into the Handover row at hand-over
(``Sheet.to_dict`` / ``Sheet.from_dict``), so a handed-over shift is always
shown as it was handed over, with only the read-backs and the acceptance laid
over it.

Times on the sheet are aware datetimes already in the office's timezone: a
frozen sheet renders the same whatever the config says later.
"""

from __future__ import annotations

import json
import types
import typing
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from typing import Any

from peewee import fn

from duty_desk.core import audit, kinds
from duty_desk.core.desk import Desk, officer_names
from duty_desk.core.dutytime import to_local
from duty_desk.core.i18n import t
from duty_desk.core.kinds.document import NEXT_STEP
from duty_desk.core.models import (
    AuditEvent,
    Handover,
    HandoverItem,
    LogEntry,
    Shift,
    UrgentEvent,
    UrgentItem,
    UrgentReport,
)
from duty_desk.core.rules import is_overdue

SHEET_VERSION = 1
WIDTH = 80  # cells on a line of A4 in a 10-pitch monospaced font


# --- the sheet as data -------------------------------------------------------


@dataclass
class TimelineLine:
    at: datetime
    kind: str  # leader_informed phone_report first_report followup daily final
    seq: int
    by: str  # name
    party: str
    means: str
    text: str
    voided: bool = False


@dataclass
class ReportLine:
    """A written report upward (首报, 续报二 …): its sign-off, when it was due
    and sent, whether late and why, to whom."""

    id: int
    kind: str
    seq: int
    state: str  # draft | approved | sent
    approved_by: str  # name
    approved_at: datetime | None
    approval_means: str  # desk | phone | ""
    approval_recorded_by: str  # name
    due_at: datetime | None
    sent_at: datetime | None
    late_minutes: int | None
    delay_reason: str
    recipients: str  # 省政府总值班室（专网）、市应急管理局（传真）


@dataclass
class UrgentLine:
    id: int
    title: str
    event_type: str
    level: str
    place: str
    received_at: datetime
    source: str
    first_responder: str  # name
    owner: str  # name
    casualties: str
    measures: str
    state: str  # open | closed
    next_due_kind: str
    next_due_at: datetime | None
    overdue: bool
    closed_at: datetime | None
    timeline: list[TimelineLine] = field(default_factory=list)
    reports: list[ReportLine] = field(default_factory=list)


@dataclass
class CarriedItem:
    """One open item carried over to the incoming officer."""

    kind: str  # call visitor document instruction urgent custody
    record_kind: str  # log visitor document instruction urgent
    record_id: int
    title: str
    owner: str  # login
    owner_name: str
    received_at: datetime | None
    due_at: datetime | None
    due_kind: str
    overdue: bool
    next_action: str
    chases: str = ""  # how often chased and the last answer, if ever
    item_id: int | None = None  # the HandoverItem, once handed over
    readback: str | None = None
    read_back_by: str = ""  # name
    read_back_at: datetime | None = None
    detail: str = ""  # a call's category (来电, 交办): says what kind of open item it is


@dataclass
class CustodyLine:
    """A classified copy: register data and custody only, never content."""

    document_id: int
    serial: str
    classification: str
    secrecy_period: str
    copy_number: str
    copies: int
    sender: str
    doc_number: str
    custody: str  # who holds it now (a name or a unit)
    state: str
    received_at: datetime


@dataclass
class AmendmentLine:
    kind: str
    record_id: int  # the amendment
    amends: int  # the original, unchanged
    at: datetime
    by: str  # name
    reason: str
    changes: list[list[str]] = field(default_factory=list)  # [field, old, new]


@dataclass
class Sheet:
    office: str
    shift_id: int | None
    duty_date: date
    shift_name: str
    starts_at: datetime
    ends_at: datetime
    state: str  # open | handed_over | accepted
    outgoing_logins: list[str]
    outgoing: list[str]  # names
    leaders: list[str]
    handed_over_by: str  # name
    handed_over_at: datetime | None
    incoming: str  # name, once accepted
    accepted_at: datetime | None
    log_counts: dict[str, int]
    record_counts: dict[str, int]  # visitor document urgent
    urgent: list[UrgentLine]
    carried: list[CarriedItem]
    custody: list[CustodyLine]
    amendments: list[AmendmentLine]
    notes: str
    zero_report: bool
    day_has_items: bool
    audit_count: int
    audit_head: str
    built_at: datetime
    version: int = SHEET_VERSION
    # The roster (core.roster), when the office keeps one: who it names for
    # this shift, the outgoing officers it does not name (extra officers),
    # and who it names for the next shift (the expected incoming officer).
    rostered: list[str] = field(default_factory=list)
    extra_officers: list[str] = field(default_factory=list)
    expected_incoming: list[str] = field(default_factory=list)

    @property
    def audit_short(self) -> str:
        return audit.short_digest(self.audit_head)

    def to_dict(self) -> dict[str, Any]:
        return _encode(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sheet:
        return _decode(cls, data)


# The sheet's own pointer into the audit trail is set after the handover's
# event is written (it is that event's digest), so the digest leaves it out;
# `audit verify` checks it against the handover row and the chain.
_SET_AFTER_EVENT = ("audit_count", "audit_head")


def frozen_digest(sheet: dict[str, Any], items: list[tuple[int, str, str]]) -> str:
    """SHA-256 of the frozen sheet (as stored) and its carried items' (id,
    open-item kind, summary), which the handover's create event keeps, so an
    edited sheet or item is found by `audit verify`."""
    import hashlib

    body = {k: v for k, v in (sheet or {}).items() if k not in _SET_AFTER_EVENT}
    text = json.dumps({"sheet": body, "items": [list(i) for i in sorted(items)]},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _encode(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if is_dataclass(value):
        return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    return value


def _decode(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        real = [a for a in typing.get_args(hint) if a is not type(None)]
        return _decode(real[0], value)
    if origin is list:
        (inner,) = typing.get_args(hint)
        return [_decode(inner, v) for v in value]
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is date:
        return date.fromisoformat(value)
    if isinstance(hint, type) and is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        # Keys a later version added or dropped are ignored / defaulted, so an
        # old frozen sheet still opens.
        known = {f.name for f in fields(hint) if f.init}
        return hint(**{k: _decode(hints[k], v) for k, v in value.items() if k in known})
    return value


# --- building it -------------------------------------------------------------


def build_sheet(desk: Desk, shift: Shift, *, notes: str = "", handed_over_by: str = "",
                handed_over_at: datetime | None = None, state: str | None = None) -> Sheet:
    """The sheet of ``shift`` as the store stands now. ``shift`` may be unsaved
    (a shift nobody has recorded in yet): it then has no records of its own."""
    from duty_desk.core import openitems
    from duty_desk.core.services import documents, log

    cfg = desk.cfg
    names = officer_names()

    def name(login: str | None) -> str:
        return names.get(login or "", login or "")

    def local(moment: datetime | None) -> datetime | None:
        return to_local(moment, cfg) if moment else None

    now = desk.now()
    sid = shift.id
    log_counts = dict.fromkeys(log.CATEGORIES, 0)
    counted = [k for k in kinds.REGISTRY.values() if k.counted_on_sheet]
    record_counts = {k.name: 0 for k in counted}
    if sid is not None:
        # Voided records do not count; an amendment is not a new record.
        query = (LogEntry.select(LogEntry.category, fn.COUNT(LogEntry.id))
                 .where((LogEntry.shift == sid) & LogEntry.voided_at.is_null() & LogEntry.amends.is_null())
                 .group_by(LogEntry.category).tuples())
        log_counts.update(dict(query))
        for spec in counted:
            model = spec.model
            record_counts[spec.name] = model.select().where(
                (model.shift == sid) & model.voided_at.is_null() & model.amends.is_null()).count()

    carried = _carried(openitems.list_open(desk), name, local)
    open_docs = {c.record_id for c in carried if c.record_kind == "document"}
    custody: list[CustodyLine] = []
    for d in documents.classified_in_custody():
        custody.append(CustodyLine(d.id, d.serial, d.classification, d.secrecy_period, d.copy_number,
                                   d.copies, d.sender, d.doc_number, name(d.custody), d.state,
                                   local(d.received_at)))
        if d.id not in open_docs:
            # A classified copy no longer being handled is still somewhere:
            # the incoming officer confirms where, like any open item.
            owner = d.owner or d.recorded_by
            carried.append(CarriedItem(
                "custody", "document", d.id, f"{d.serial} {d.classification}件 {d.doc_number}".strip(),
                owner, name(owner), local(d.received_at), None, "", False,
                t("handover.next.custody", holder=name(d.custody) or "—",
                  step=t(f"doc.step.{NEXT_STEP.get(d.state, 'file')}"))))

    head_count, head = audit.head()
    rostered, extra, expected = _roster_of(shift, cfg, name)
    return Sheet(
        office=cfg.office_name, shift_id=sid, duty_date=shift.duty_date, shift_name=shift.name,
        starts_at=local(shift.starts_at), ends_at=local(shift.ends_at),
        state=state or shift.state, outgoing_logins=list(shift.officers or []),
        outgoing=[name(o) for o in shift.officers or []], leaders=list(shift.leaders or []),
        handed_over_by=name(handed_over_by), handed_over_at=local(handed_over_at), incoming="", accepted_at=None,
        log_counts=log_counts, record_counts=record_counts,
        urgent=_urgent_lines(sid, shift.starts_at, name, local, now, desk.cfg),
        carried=carried, custody=custody,
        amendments=_amendments(shift, name, local),
        notes=notes, zero_report=log.has_zero_report(shift.duty_date),
        day_has_items=log.day_has_items(shift.duty_date),
        audit_count=head_count, audit_head=head, built_at=local(now),
        rostered=rostered, extra_officers=extra, expected_incoming=expected,
    )


def _roster_of(shift: Shift, cfg, name) -> tuple[list[str], list[str], list[str]]:
    """(rostered, extra officers, expected incoming) as names; empty lists
    where the roster says nothing."""
    from duty_desk.core.roster.view import duty_of, next_slot

    duty = duty_of(shift.duty_date, shift.index, cfg)
    rostered = [name(o) for o in duty.officers] if duty.entry_id is not None else []
    extra = [name(o) for o in shift.officers or [] if o not in duty.officers] if duty.entry_id is not None else []
    nxt = duty_of(*next_slot(shift.duty_date, shift.index, cfg), cfg)
    return rostered, extra, [name(o) for o in nxt.officers]


def _carried(items: list, name, local) -> list[CarriedItem]:
    out = []
    for i in items:
        chase = getattr(i, "last_chase", None)
        last = (t("handover.chases", count=i.chase_count, at=local(chase.at).strftime("%m-%d %H:%M"),
                  whom=chase.whom, answer=chase.answer or "—") if chase else "")
        out.append(CarriedItem(i.kind, i.record_kind, i.id, i.title, i.owner, name(i.owner), local(i.received_at),
                               local(i.due_at), i.due_kind, bool(i.overdue), i.next_action, chases=last,
                               detail=i.detail if i.kind == "call" else ""))
    return out


def _urgent_lines(sid: int | None, starts_at: datetime, name, local, now: datetime, cfg) -> list[UrgentLine]:
    """Urgent items received in the shift, still open, or closed during it."""
    from duty_desk.core.kinds import live

    cond = (UrgentItem.state == "open") | (UrgentItem.closed_at >= starts_at)
    if sid is not None:
        cond |= UrgentItem.shift == sid
    items = list(UrgentItem.select().where(live(UrgentItem) & cond).order_by(UrgentItem.received_at, UrgentItem.id))
    events: dict[int, list[TimelineLine]] = {u.id: [] for u in items}
    if items:
        titled = report_titles(list(events))
        for e in (UrgentEvent.select().where(UrgentEvent.item.in_(list(events)))
                  .order_by(UrgentEvent.at, UrgentEvent.id)):
            events[e.__data__["item"]].append(TimelineLine(
                local(e.at), e.kind, e.seq, name(e.by), e.party, e.means, titled.get(e.id, e.text),
                e.voided_at is not None))
    reports = _report_lines([u.id for u in items], name, local, cfg)
    lines = []
    for u in items:
        source = " ".join(s for s in (u.source_unit, u.source_name, u.source_phone) if s)
        lines.append(UrgentLine(
            u.id, u.title, u.event_type, u.level, u.place, local(u.received_at), source,
            name(u.first_responder), name(u.owner or u.first_responder), u.casualties, u.measures, u.state,
            u.next_due_kind or "", local(u.next_due_at), is_overdue(u.next_due_at, now),
            local(u.closed_at), events[u.id], reports.get(u.id, [])))
    return lines


def report_titles(item_ids: list[int]) -> dict[int, str]:
    """Timeline event id -> the title line of the report it sent: the sheet
    and the timeline name a report so, its report line tells the rest."""
    rows = (UrgentReport.select(UrgentReport.event, UrgentReport.text)
            .where(UrgentReport.item.in_(item_ids) & UrgentReport.event.is_null(False)).tuples())
    from duty_desk.core.reports.service import title_line

    return {event: title_line(text) for event, text in rows}


def _report_lines(item_ids: list[int], name, local, cfg) -> dict[int, list[ReportLine]]:
    """The live written reports of these urgent items, oldest first (one not
    sent yet with the time it is due by)."""
    from duty_desk.core.reports.service import pending_due, sendings, state_of
    from duty_desk.core.reports.view import recipients_text

    out: dict[int, list[ReportLine]] = {}
    if not item_ids:
        return out
    for r in (UrgentReport.select().where(UrgentReport.item.in_(item_ids) & UrgentReport.voided_at.is_null())
              .order_by(UrgentReport.id)):
        state = state_of(r)
        signed = state != "draft"
        out.setdefault(r.item, []).append(ReportLine(
            r.id, r.kind, r.seq, state, (r.approved_name or name(r.approved_by)) if signed else "",
            local(r.approved_at) if signed else None, (r.approval_means or "") if signed else "",
            name(r.approval_recorded_by) if signed and r.approval_means == "phone" else "",
            local(pending_due(r, cfg)), local(r.sent_at), r.late_minutes, r.delay_reason,
            recipients_text(sendings(r.id))))
    return out


# Fields an amendment copies without meaning a change.
_BOOKKEEPING = {"id", "shift", "duty_date", "recorded_at", "recorded_by", "amends", "serial"}
# What a classified document's amendment never shows, whatever was typed.
_CONTENT = {"title", "summary", "attachments", "proposal", "reply"}
_AMENDABLE = tuple((k.name, k.model) for k in kinds.REGISTRY.values() if k.amendable)


def _amendments(shift: Shift, name, local) -> list[AmendmentLine]:
    """Amendments to records of accepted shifts written since the previous
    handover — by time, not by shift, so none is missed after an early
    handover — less those the previous sheet already listed."""
    previous = (Handover.select(Handover.id, Handover.handed_over_at).join(Shift)
                .where(Shift.starts_at < shift.starts_at).order_by(Shift.starts_at.desc()).first())
    since = previous.handed_over_at if previous else None
    listed: set | None = None  # what the previous sheet listed, read only when needed
    lines: list[AmendmentLine] = []
    for kind, model in _AMENDABLE:
        # ``amends > 0`` (ids start at 1) reads the amends index, where
        # ``IS NOT NULL`` read every record ever written.
        query = model.select().where(model.amends > 0)
        if since is not None:
            query = query.where(model.recorded_at >= since)
        # Sorted here: ORDER BY id made SQLite walk the table in id order instead.
        rows = sorted(query, key=lambda r: r.id)
        if since is not None and any(r.recorded_at == since for r in rows):
            # Written in the second of the previous handover: it may be on that sheet.
            if listed is None:
                frozen = Handover.get_by_id(previous.id).sheet or {}
                listed = {(a["kind"], a["record_id"]) for a in frozen.get("amendments", [])}
            rows = [r for r in rows if (kind, r.id) not in listed]
        if not rows:
            continue
        ids = [r.id for r in rows]
        originals = {o.id: o for o in model.select().where(model.id.in_([r.__data__["amends"] for r in rows]))}
        reasons = {}
        for ev in AuditEvent.select(AuditEvent.record_id, AuditEvent.new).where(
                (AuditEvent.kind == kind) & (AuditEvent.action == "amend") & AuditEvent.record_id.in_(ids)):
            reasons[ev.record_id] = (json.loads(ev.new or "{}") or {}).get("reason", "")
        for r in rows:
            original = originals.get(r.__data__["amends"])
            changes = []
            classified = kind == "document" and bool(r.classification or (original and original.classification))
            if original is not None:
                for fname in model._meta.fields:
                    if fname in _BOOKKEEPING or (classified and fname in _CONTENT):
                        continue
                    old, new = original.__data__.get(fname), r.__data__.get(fname)
                    if old != new:
                        changes.append([fname, _plain(old, local), _plain(new, local)])
            lines.append(AmendmentLine(kind, r.id, r.__data__["amends"], local(r.recorded_at), name(r.recorded_by),
                                       reasons.get(r.id, ""), changes))
    lines.sort(key=lambda a: (a.at, a.kind, a.record_id))
    return lines


def _plain(value: Any, local) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return local(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


def sheet_of(desk: Desk, shift: Shift) -> Sheet:
    """What the sheet of ``shift`` shows: once handed over, the frozen sheet
    with its read-backs and acceptance laid over it; before, as it stands now."""
    handover = Handover.get_or_none(Handover.shift == shift.id) if shift.id is not None else None
    if handover is None:
        return build_sheet(desk, shift)
    sheet = Sheet.from_dict(handover.sheet)
    names = officer_names()
    sheet.state = shift.state
    if handover.accepted_by:
        sheet.incoming = names.get(handover.accepted_by, handover.accepted_by)
        sheet.accepted_at = to_local(handover.accepted_at, desk.cfg)
    rows = {i.id: i for i in HandoverItem.select().where(HandoverItem.handover == handover.id)}
    for item in sheet.carried:
        row = rows.get(item.item_id or 0)
        if row is not None and row.read_back_at is not None:
            item.readback = row.readback
            item.read_back_by = names.get(row.read_back_by or "", row.read_back_by or "")
            item.read_back_at = to_local(row.read_back_at, desk.cfg)
    return sheet
