"""催办: chasing an open item — when, whom, by what means, and the answer.

Any open item can be chased. Each chase is a Chase row and an audit event on
the chased record; a document's chase also appears among its steps (Art. 24).
"""

from __future__ import annotations

from datetime import datetime

from duty_desk.core import audit, kinds
from duty_desk.core.desk import Desk
from duty_desk.core.errors import InvalidInput, Refused
from duty_desk.core.models import Chase, DocumentStep
from duty_desk.core.openitems import is_open
from duty_desk.core.services.common import (
    MAX_ID,
    check_id,
    get_record,
    latest_version,
    optional_line,
    optional_text,
    required_line,
    step_rows,
    when,
    writing,
)

CHASEABLE = kinds.names(where=lambda k: k.chaseable)


def record_kind(kind: str) -> str:
    """The record kind from what a user typed: an open-item kind (``call``) or a record kind."""
    kind = (kind or "").strip()
    kind = kinds.record_kind(kind)
    if kind not in CHASEABLE:
        raise InvalidInput("chase.kind", field="kind", kind=kind, choices=" ".join(CHASEABLE))
    return kind


def add_chase(desk: Desk, item_kind: str, item_id: int, whom: str, means: str, answer: str,
              at: datetime) -> Chase:
    """Write the Chase row inside the caller's transaction (no audit: the caller audits)."""
    check_id(item_kind, item_id)
    return Chase.create(item_kind=item_kind, item_id=item_id, at=at, by=desk.actor, whom=whom,
                        means=means, answer=answer, recorded_at=desk.now())


def record_chase(desk: Desk, item_kind: str, item_id: int, whom: str, means: str = "", answer: str = "",
                 at: datetime | str | None = None) -> Chase:
    """Record one chase of an open item (now unless ``at`` is given)."""
    kind = record_kind(item_kind)
    with writing(desk, "chase", kind, item_id):
        # An amended original's id means its live version, which the open-items view shows.
        record = latest_version(get_record(kind, item_id))
        if record.voided_at is not None:
            raise Refused("record.voided", kind=kind, id=item_id)
        if not is_open(kind, record):
            raise Refused("chase.closed", kind=kind, id=item_id)
        whom = required_line(whom, "whom", 80)
        means = optional_line(means, "means", 20)
        answer = optional_text(answer, "answer", 2000)
        moment = when(desk, at, "at")
        chase = add_chase(desk, kind, record.id, whom, means, answer, moment)
        told = {k: v for k, v in audit.snapshot(chase).items() if k not in ("item_kind", "item_id")}
        if "document_step" in kinds.kind(kind).parts:  # a document's chase is one of its steps (Art. 24)
            step = DocumentStep.create(document=record.id, step="chase", at=moment, by=desk.actor, party=whom,
                                       text=answer, recorded_at=chase.recorded_at)
            told["steps"] = step_rows(step)
        audit.append(chase.recorded_at, desk.actor, "chase", kind, record.id, None, told)
    return chase


def chases_of(item_kind: str, item_id: int) -> list[Chase]:
    """Every chase of one item, oldest first."""
    kind = record_kind(item_kind)
    if not 1 <= item_id <= MAX_ID:
        return []
    return list(Chase.select().where((Chase.item_kind == kind) & (Chase.item_id == item_id))
                .order_by(Chase.at, Chase.id))
