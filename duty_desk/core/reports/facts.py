"""An urgent item's facts as a living record: the item carries the latest
value of each, ``UrgentFact`` rows every value it had and when it became
known. Each follow-up report (续报) brings new values; none is overwritten."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from duty_desk.core import audit
from duty_desk.core.desk import Desk
from duty_desk.core.dutytime import to_local
from duty_desk.core.errors import InvalidInput, Refused
from duty_desk.core.models import UrgentFact, UrgentItem
from duty_desk.core.reports.fields import (  # noqa: F401  (named from here too)
    FACT_FIELDS,
    LINE_FIELDS,
    current,
    first_rows,
    shown_value,
    snapshots,
    stored_time,
)
from duty_desk.core.services.common import (
    get_record,
    optional_line,
    optional_text,
    save_changes,
    when,
    writing,
)


def fact_rows(item_id: int) -> list[UrgentFact]:
    return list(UrgentFact.select().where(UrgentFact.item == item_id).order_by(UrgentFact.at, UrgentFact.id))


def as_of(item_id: int, moment: datetime | None, recorded_by: datetime | None = None) -> dict[str, str]:
    """The facts as they were known at ``moment`` and recorded by
    ``recorded_by`` (every field; "" if none yet)."""
    out = dict.fromkeys(FACT_FIELDS, "")
    for row in fact_rows(item_id):
        if (moment is None or row.at <= moment) and (recorded_by is None or row.recorded_at <= recorded_by):
            out[row.field] = row.value
    return out


def history(item_id: int) -> dict[str, list[UrgentFact]]:
    """Each fact's values in the order they became known (only fields that had one)."""
    out: dict[str, list[UrgentFact]] = {}
    for row in fact_rows(item_id):
        out.setdefault(row.field, []).append(row)
    return {f: out[f] for f in FACT_FIELDS if f in out}


def local_text(value: str, cfg) -> str:
    """A stored time value (UTC text) as local 'YYYY-MM-DD HH:MM'; other text as is."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        from datetime import timezone

        moment = moment.replace(tzinfo=timezone.utc)
    return to_local(moment, cfg).strftime("%Y-%m-%d %H:%M")


def update_facts(desk: Desk, item_id: int, changes: Mapping[str, Any], at: datetime | str | None = None
                 ) -> list[str]:
    """New values of some facts, known from ``at`` (now unless given). Returns
    the fields that changed; the earlier values stay in the history."""
    with writing(desk, "facts", "urgent", item_id):
        item = get_record("urgent", item_id)
        if item.voided_at is not None:
            raise Refused("record.voided", kind="urgent", id=item_id)
        if item.state == "closed":
            raise Refused("urgent.closed", title=item.title)
        moment = when(desk, at, "at")
        if moment < item.received_at:
            raise InvalidInput("urgent.before_receipt", field="at")
        before = audit.snapshot(item)
        now = desk.now()
        rows: list[UrgentFact] = []
        for field, raw in changes.items():
            if field not in FACT_FIELDS:
                raise InvalidInput("report.fact_unknown", field=field, name=field, choices=" ".join(FACT_FIELDS))
            value = _checked(desk, item, field, raw)
            if shown_value(item, field) == (stored_time(value) if isinstance(value, datetime) else value):
                continue
            setattr(item, field, value if value != "" or field != "occurred_at" else None)
            rows.append(UrgentFact.create(item=item.id, field=field, value=shown_value(item, field), at=moment,
                                          by=desk.actor, recorded_at=now))
        if not rows:
            return []
        old, new = save_changes(item, before)
        audit.append(now, desk.actor, "facts", "urgent", item.id, old, {**new, "facts": snapshots(rows)})
    return [r.field for r in rows]


def _checked(desk: Desk, item: UrgentItem, field: str, raw: Any) -> Any:
    if field == "occurred_at":
        if raw in (None, ""):
            return ""
        moment = when(desk, raw, "occurred_at")
        if moment > item.received_at:
            raise InvalidInput("urgent.occurred_after_received", field="occurred_at")
        return moment
    text = "" if raw is None else str(raw)
    if field in LINE_FIELDS:
        return optional_line(text, field)
    return optional_text(text, field)
