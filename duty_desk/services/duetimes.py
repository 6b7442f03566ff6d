"""Keep the stored due times of open items in line with config.toml.

Due times are stored so the open-items view can sort and page in SQL. A due
time someone typed (``due_explicit`` / ``deadline_explicit``) is theirs and
stays; every other one follows the rules in ``deadlines``. After the
configuration changed, the next start moves them and audits each move as
actor "system".
"""

from __future__ import annotations

from datetime import datetime

from peewee import Model

from duty_desk import audit
from duty_desk.deadlines import document_due, instruction_due, ordinary_due
from duty_desk.desk import Desk
from duty_desk.models import Document, Instruction, LogEntry
from duty_desk.openitems import DOCUMENT_OPEN_STATES
from duty_desk.services import urgent
from duty_desk.services.common import live


def _move(desk: Desk, kind: str, row: Model, field: str, due: datetime | None) -> bool:
    old = getattr(row, field)
    if old == due:
        return False
    setattr(row, field, due)
    row.save()
    audit.append(desk.now(), "system", "recompute_due", kind, row.id,
                 {field: audit._plain(old)}, {field: audit._plain(due)})
    return True


def recompute_due_times(desk: Desk) -> int:
    """Bring every open item's rule-made due time in line with the current
    configuration. Returns how many moved (each audited as "system")."""
    cfg = desk.cfg
    changed = 0
    with desk.db.atomic():
        calls = LogEntry.select().where((LogEntry.needs_action == True) & LogEntry.closed_at.is_null()  # noqa: E712
                                        & (LogEntry.due_explicit == False) & live(LogEntry))  # noqa: E712
        for entry in calls:
            changed += _move(desk, "log", entry, "due_at", ordinary_due(entry.occurred_at, cfg))
        documents = Document.select().where(Document.state.in_(DOCUMENT_OPEN_STATES)
                                            & (Document.deadline_explicit == False) & live(Document))  # noqa: E712
        for doc in documents:
            changed += _move(desk, "document", doc, "deadline", document_due(doc.urgency, doc.received_at, cfg))
        instructions = Instruction.select().where(Instruction.answered_at.is_null() & Instruction.voided_at.is_null()
                                                  & (Instruction.due_explicit == False))  # noqa: E712
        for ins in instructions:
            changed += _move(desk, "instruction", ins, "due_at", instruction_due(ins.given_at, cfg))
        changed += urgent.recompute_due_times(desk)
    return changed
