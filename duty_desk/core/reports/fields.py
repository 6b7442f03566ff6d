"""An urgent item's fact fields and the first rows of their history, with
nothing but the models beneath (the store's migration 8 uses them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from duty_desk.core import audit
from duty_desk.core.models import UrgentFact, UrgentItem

# The facts a report is drafted from, in the order a report gives them.
FACT_FIELDS = ("occurred_at", "place", "summary", "casualties", "cause", "measures", "next_steps", "trend",
               "leaders_on_scene", "reliability", "recommendations")
LINE_FIELDS = ("place", "reliability")


def shown_value(item: UrgentItem, field: str) -> str:
    """A fact's value as text (a time as the office's local clock reads it)."""
    value = getattr(item, field)
    if field == "occurred_at":
        return "" if value is None else stored_time(value)
    return value or ""


def stored_time(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


def current(item: UrgentItem) -> dict[str, str]:
    return {f: shown_value(item, f) for f in FACT_FIELDS}


def first_rows(desk_actor: str, item: UrgentItem, now: datetime) -> list[UrgentFact]:
    """The facts an item is opened with, each as its first known value."""
    rows = []
    for f in FACT_FIELDS:
        value = shown_value(item, f)
        if value:
            rows.append(UrgentFact.create(item=item.id, field=f, value=value, at=item.received_at, by=desk_actor,
                                          recorded_at=now))
    return rows


def snapshots(rows: list[UrgentFact]) -> list[dict[str, Any]]:
    return [audit.snapshot(r) for r in rows]


def seed_history() -> None:
    """Migration 8: every urgent item's history starts from the values it
    holds, as of its receipt (its audit trail says so, as the system's)."""
    from duty_desk.core import clock

    for item in UrgentItem.select().order_by(UrgentItem.id):
        rows = first_rows(item.first_responder, item, item.recorded_at)
        if rows:
            audit.append(clock.now(), "system", "facts", "urgent", item.id, None, {"facts": snapshots(rows)})
