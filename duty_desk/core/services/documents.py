"""来文: incoming documents through the steps of 党政机关公文处理工作条例 Art. 24:
签收 → 登记 → 初审 (or 退回) → 承办 → 传阅 → 催办 → 答复 → 办结 → 归档.

A classified document is register data only: its title and summary are
refused, and its custody (who holds the copy now) is always known.
"""

from __future__ import annotations

import json
from datetime import datetime

from peewee import fn

from duty_desk.core import audit
from duty_desk.core.deadlines import document_due
from duty_desk.core.desk import Desk
from duty_desk.core.docnumber import validate_doc_number
from duty_desk.core.dutytime import parse_due
from duty_desk.core.errors import InvalidInput, NotFound, Refused
from duty_desk.core.kinds import live
from duty_desk.core.kinds.document import STEP_STATE, TRANSITIONS, UNDOABLE_STEPS, latest_live_step
from duty_desk.core.models import DOCUMENT_OPEN_STATES, AuditEvent, Document, DocumentStep
from duty_desk.core.services.chasing import add_chase
from duty_desk.core.services.common import (
    MAX_ID,
    check_id,
    current_shift,
    get_record,
    optional_line,
    optional_text,
    required_line,
    save_changes,
    step_rows,
    when,
    writing,
)
from duty_desk.core.services.instructions import create_instruction

URGENCIES = ("特提", "特急", "加急", "平急", "")
CLASSIFICATIONS = ("绝密", "机密", "秘密", "")

# The state machine (TRANSITIONS, NEXT_STEP, STEP_STATE, UNDOABLE_STEPS) is the
# document kind's own: core.kinds.document.
OPEN_STATES = DOCUMENT_OPEN_STATES


def next_serial(year: int) -> str:
    prefix = f"{year}-"
    # Longest first, so 2026-10000 comes after 2026-9999; a serial typed by hand
    # that is not a number (2026-临时) is passed over.
    rows = (Document.select(Document.serial)
            .where(Document.serial.startswith(prefix) & ~Document.serial.contains("/"))
            .order_by(fn.LENGTH(Document.serial).desc(), Document.serial.desc()))
    n = 1
    for row in rows:
        tail = row.serial[len(prefix):]
        if tail.isdigit():
            n = int(tail) + 1
            break
    return f"{prefix}{n:04d}"


def receive_document(
    desk: Desk,
    sender: str,
    *,
    title: str = "",
    doc_number: str = "",
    urgency: str = "",
    classification: str = "",
    secrecy_period: str = "",
    copy_number: str = "",
    copies: int | str = 1,
    attachments: str = "",
    summary: str = "",
    deadline: datetime | str | None = None,
    received_at: datetime | str | None = None,
    serial: str | None = None,
) -> Document:
    """签收 and 登记 in one: count it, note the time, give it a serial."""
    with writing(desk, "create", "document"):
        sender = required_line(sender, "sender", 80)
        if urgency not in URGENCIES:
            raise InvalidInput("doc.urgency", field="urgency", choices=" ".join(u or "—" for u in URGENCIES))
        if classification not in CLASSIFICATIONS:
            raise InvalidInput("doc.classification", field="classification",
                               choices=" ".join(c or "—" for c in CLASSIFICATIONS))
        number = validate_doc_number(doc_number) if doc_number and doc_number.strip() else ""
        if classification:
            if clean(title) or clean(summary) or clean(attachments):
                raise InvalidInput("doc.classified_content", field="summary" if clean(summary) else "title",
                                   classification=classification)
            if not clean(copy_number):
                raise InvalidInput("doc.classified_copy", field="copy_number")
        else:
            title = required_line(title, "title", 200)
        try:
            n_copies = int(copies)
        except (TypeError, ValueError):
            raise InvalidInput("doc.copies", field="copies") from None
        if not 1 <= n_copies <= 9999:
            raise InvalidInput("doc.copies", field="copies")
        at = when(desk, received_at, "received_at")
        if deadline in (None, ""):
            due, explicit = document_due(urgency, at, desk.cfg), False
        else:
            due, explicit = parse_deadline(desk, deadline), True
        serial = optional_line(serial, "serial", 30) or next_serial(desk.now().astimezone(desk.cfg.timezone).year)
        if Document.select().where(Document.serial == serial).exists():
            raise Refused("doc.serial_taken", serial=serial)
        shift = current_shift(desk)
        doc = Document.create(
            shift=shift, duty_date=shift.duty_date, recorded_at=desk.now(), recorded_by=desk.actor,
            serial=serial, received_at=at, sender=sender, doc_number=number,
            title=clean(title), classification=classification,
            secrecy_period=optional_line(secrecy_period, "secrecy_period", 20),
            copy_number=optional_line(copy_number, "copy_number", 20), copies=n_copies,
            urgency=urgency, attachments=optional_text(attachments, "attachments"),
            summary=optional_text(summary, "summary"), deadline=due, deadline_explicit=explicit,
            state="registered", custody=desk.actor, owner=desk.actor,
        )
        steps = [DocumentStep.create(document=doc, step=step, at=at, by=desk.actor, recorded_at=doc.recorded_at,
                                     text=f"{n_copies}" if step == "sign" else serial)
                 for step in ("sign", "register")]
        audit.append(doc.recorded_at, desk.actor, "create", "document", doc.id, None,
                     {**audit.snapshot(doc), "steps": step_rows(*steps)})
    return doc


def clean(value: str | None) -> str:
    return optional_text(value, "text")


def parse_deadline(desk: Desk, value: datetime | str) -> datetime:
    """A handling deadline may lie in the future: parse without the future check."""
    return parse_due(value, desk.now(), desk.cfg, "deadline")


def advance_document(
    desk: Desk,
    doc_id: int,
    step: str,
    *,
    party: str = "",
    text: str = "",
    deadline: datetime | str | None = None,
    at: datetime | str | None = None,
) -> Document:
    """Take one step. ``party`` is the unit (assign), the holder (circulate),
    the leader (instruct), whom was chased (chase); ``text`` the reason,
    proposal, instruction, answer or reply; for ``file`` the file number."""
    with writing(desk, step, "document", doc_id):
        doc = get_record("document", doc_id)
        if doc.voided_at is not None:
            raise Refused("record.voided", kind="document", id=doc_id)
        allowed = TRANSITIONS.get(doc.state, ())
        if step not in allowed:
            raise Refused("doc.step_not_allowed", step=step, state=doc.state)
        when_at = when(desk, at, "at")
        party = optional_line(party, "party", 80)
        body = optional_text(text, "text")
        if doc.classification and step in ("propose", "reply") and body:
            # A proposal or reply may quote the content; keep it off this system.
            raise InvalidInput("doc.classified_content", field="text", classification=doc.classification)
        due = parse_deadline(desk, deadline) if deadline not in (None, "") else None
        before = audit.snapshot(doc)
        told: dict = {}  # what the event tells besides the document's changes
        if step == "return":
            doc.reply = required_line(body, "text", 2000)
            doc.closed_at = when_at
        elif step == "propose":
            doc.proposal = required_line(body, "text", 2000)
        elif step == "instruct":
            create_instruction(desk, "document", doc.id, doc.owner or doc.recorded_by, required_line(party, "party", 40),
                               body, assignee=doc.handling_units, due=due, given_at=when_at)
        elif step == "assign":
            unit = required_line(party, "party", 80)
            doc.handling_units = unit if not doc.handling_units else f"{doc.handling_units}、{unit}"
            doc.custody = unit
            if due:
                doc.deadline, doc.deadline_explicit = due, True
        elif step == "circulate":
            doc.custody = required_line(party, "party", 80)
        elif step == "chase":
            chase = add_chase(desk, "document", doc.id, required_line(party, "party", 80), "", body, when_at)
            # The chase itself, as record_chase tells it.
            told = {k: v for k, v in audit.snapshot(chase).items() if k not in ("item_kind", "item_id")}
        elif step == "reply":
            doc.reply = required_line(body, "text", 2000)
        elif step == "close":
            doc.closed_at = when_at
        elif step == "file":
            doc.file_number = required_line(body or party, "text", 40)
            doc.filed_at = when_at
        doc.state = STEP_STATE.get(step, doc.state)
        old, new = save_changes(doc, before)
        now = desk.now()  # one reading: the step's recorded_at is its event's time
        row = DocumentStep.create(document=doc, step=step, at=when_at, by=desk.actor, party=party,
                                  text=body, deadline=due, recorded_at=now)
        audit.append(now, desk.actor, step, "document", doc.id, old,
                     {**told, **new, "step": step, "party": party, "text": body, "steps": step_rows(row)})
    return doc


def pending_documents() -> list[Document]:
    """Every document not yet closed, any day: overdue first, then by deadline."""
    return list(
        Document.select()
        .where(Document.state.in_(OPEN_STATES) & live(Document))
        .order_by(Document.deadline.is_null(), Document.deadline, Document.received_at)
    )


def documents_of_day(day) -> list[Document]:
    return list(Document.select().where(Document.duty_date == day).order_by(Document.received_at))


def steps_of(doc_id: int) -> list[DocumentStep]:
    if not 1 <= doc_id <= MAX_ID:
        return []
    return list(DocumentStep.select().where(DocumentStep.document == doc_id).order_by(DocumentStep.at, DocumentStep.id))


# The states in which a copy is still in someone's hands (not filed, not
# returned), named so the state index serves them (NOT IN read every document).
CUSTODY_STATES = tuple(s for s in ("signed", *TRANSITIONS) if s not in ("filed", "returned"))


def classified_in_custody() -> list[Document]:
    """Every classified copy not yet filed or returned: its custody is handed over."""
    return list(
        Document.select()
        .where((Document.classification != "") & Document.state.in_(CUSTODY_STATES) & live(Document))
        .order_by(Document.serial)
    )


def void_step(desk: Desk, step_id: int, reason: str) -> DocumentStep:
    """Take back the latest step of a document, taken by mistake: the step stays
    readable, marked void with the reason, and the document returns to what it
    was before it (the values the step's audit event recorded as old). Only the
    latest step can be taken back, so nothing later rests on it."""
    check_id("document_step", step_id)
    first_look = DocumentStep.get_or_none(DocumentStep.id == step_id)
    doc_id = first_look.document_id if first_look else None
    with writing(desk, "void_step", "document", doc_id):
        # Read again under the write lock: another desk may have voided it meanwhile.
        step = DocumentStep.get_or_none(DocumentStep.id == step_id)
        if step is None:
            raise NotFound("record.not_found", kind="document_step", id=step_id)
        if step.voided_at is not None:
            raise Refused("void.already", kind="document_step", id=step_id)
        reason = required_line(reason, "reason")
        if step.step not in UNDOABLE_STEPS:
            raise Refused("doc.step_not_undoable", step=step.step)
        latest = latest_live_step(doc_id)  # the one rule the detail's "undo" key asks too
        if latest.id != step.id:
            raise Refused("doc.step_not_latest", step=latest.step)
        event = (AuditEvent.select()
                 .where((AuditEvent.kind == "document") & (AuditEvent.record_id == doc_id)
                        & (AuditEvent.action == step.step) & (AuditEvent.outcome == "success"))
                 .order_by(AuditEvent.id.desc()).first())
        doc = get_record("document", doc_id)
        before = audit.snapshot(doc)
        for name, value in json.loads(event.old or "{}").items():
            setattr(doc, name, value)
        save_changes(doc, before)
        step.voided_at, step.voided_by, step.void_reason = desk.now(), desk.actor, reason
        step.save(only=[DocumentStep.voided_at, DocumentStep.voided_by, DocumentStep.void_reason])
        old, new = audit.changes(before, audit.snapshot(get_record("document", doc_id)))
        audit.append(desk.now(), desk.actor, "void_step", "document", doc_id, old,
                     {**new, "step_id": step.id, "step": step.step, "reason": reason})
    return step
