"""批示: a leader's instruction on an item — who gave it, when, the text, who
must carry it out and by when. It stays open until its result is answered back."""

from __future__ import annotations

from datetime import datetime

from duty_desk.core import audit, dutytime, kinds
from duty_desk.core.deadlines import instruction_due
from duty_desk.core.desk import Desk
from duty_desk.core.errors import InvalidInput, Refused
from duty_desk.core.models import DocumentStep, Instruction
from duty_desk.core.openitems import record_owner
from duty_desk.core.services.common import (
    MAX_ID,
    check_id,
    current_shift,
    get_record,
    optional_line,
    required_line,
    save_changes,
    step_rows,
    when,
    writing,
)

INSTRUCTABLE = kinds.names(where=lambda k: k.instructable)


def parse_due(desk: Desk, value: datetime | str, field: str = "due") -> datetime:
    """A due time a person gave (may lie in the future); see dutytime.parse_due."""
    return dutytime.parse_due(value, desk.now(), desk.cfg, field)


def create_instruction(desk: Desk, item_kind: str, item_id: int, owner: str, leader: str, text: str,
                       assignee: str = "", due: datetime | str | None = None,
                       given_at: datetime | str | None = None) -> Instruction:
    """Validate and write an instruction and its audit event, inside the caller's
    transaction (the caller checked the item)."""
    check_id(item_kind, item_id)
    leader = required_line(leader, "leader", 40)
    text = required_line(text, "text", 2000)
    assignee = optional_line(assignee, "assignee", 80)
    given = when(desk, given_at, "given_at")
    explicit = parse_due(desk, due, "due") if due not in (None, "") else None
    if explicit is not None and explicit < given:
        raise InvalidInput("instruction.due_before_given", field="due")
    shift = current_shift(desk)
    ins = Instruction.create(
        shift=shift, duty_date=shift.duty_date, recorded_at=desk.now(), recorded_by=desk.actor,
        item_kind=item_kind, item_id=item_id, leader=leader, given_at=given, text=text, assignee=assignee,
        due_at=instruction_due(given, desk.cfg, explicit), due_explicit=explicit is not None, owner=owner,
    )
    audit.append(desk.now(), desk.actor, "create", "instruction", ins.id, None, audit.snapshot(ins))
    return ins


def record_instruction(desk: Desk, item_kind: str, item_id: int, leader: str, text: str, assignee: str = "",
                       due: datetime | str | None = None,
                       given_at: datetime | str | None = None) -> Instruction:
    """Record a leader's instruction on an item. The item's owner sees it through."""
    kind = kinds.record_kind(item_kind)
    with writing(desk, "instruct", kind if kind in INSTRUCTABLE else "instruction", item_id):
        if kind not in INSTRUCTABLE:
            raise InvalidInput("instruction.kind", field="kind", kind=item_kind, choices=" ".join(INSTRUCTABLE))
        item = get_record(kind, item_id)
        if item.voided_at is not None:
            raise Refused("record.voided", kind=kind, id=item_id)
        ins = create_instruction(desk, kind, item.id, record_owner(kind, item) or desk.actor, leader, text,
                                 assignee, due, given_at)
        told = {"instruction": ins.id, "leader": ins.leader, "text": ins.text}
        now = desk.now()  # one reading: the step's recorded_at is its event's time
        if kind == "document":
            # Art. 24: the instruction is one of the document's steps too.
            step = DocumentStep.create(document=item.id, step="instruct", at=ins.given_at, by=desk.actor,
                                       party=ins.leader, text=ins.text, deadline=ins.due_at, recorded_at=now)
            told["steps"] = step_rows(step)
        # The item's own history shows the instruction too (as advance_document does).
        audit.append(now, desk.actor, "instruct", kind, item.id, None, told)
    return ins


def answer_instruction(desk: Desk, instruction_id: int, result: str) -> Instruction:
    """Report back how the instruction was carried out; this closes it."""
    with writing(desk, "answer", "instruction", instruction_id):
        ins = get_record("instruction", instruction_id)
        if ins.voided_at is not None:
            raise Refused("record.voided", kind="instruction", id=instruction_id)
        if ins.answered_at is not None:
            raise Refused("instruction.answered", id=instruction_id)
        before = audit.snapshot(ins)
        ins.result = required_line(result, "result", 2000)
        ins.answered_at = desk.now()
        old, new = save_changes(ins, before)
        audit.append(desk.now(), desk.actor, "answer", "instruction", ins.id, old, new)
    return ins


def instructions_of(item_kind: str, item_id: int) -> list[Instruction]:
    """The instructions given on one item, oldest first."""
    if not 1 <= item_id <= MAX_ID:
        return []
    return list(Instruction.select()
                .where((Instruction.item_kind == item_kind) & (Instruction.item_id == item_id))
                .order_by(Instruction.given_at, Instruction.id))
