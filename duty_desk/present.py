"""Records as plain dicts for display and export (JSON lines, tables).

Times are in the office's timezone. ID numbers are already masked in the store.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from peewee import Model

from duty_desk.config import Config
from duty_desk.dutytime import to_local
from duty_desk.i18n import t

# The columns each kind shows in a table, in order; all fields go to JSON.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "log": ("id", "occurred_at", "category", "content", "recorded_by", "state"),
    "visitor": ("id", "name", "unit", "host", "party_size", "arrived_at", "left_at", "state"),
    "document": ("id", "serial", "urgency", "classification", "sender", "doc_number", "title", "deadline", "state", "custody"),
    "urgent": ("id", "level", "event_type", "title", "received_at", "next_due_kind", "next_due_at", "state"),
}

_HIDDEN = {"shift"}


def _value(value: Any, cfg: Config) -> Any:
    if isinstance(value, datetime):
        return to_local(value, cfg).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Model):
        return value.get_id()
    return value


def record_dict(kind: str, record: Model, cfg: Config) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": kind}
    for name in record._meta.fields:
        if name in _HIDDEN:
            continue
        out[name] = _value(record.__data__.get(name), cfg)
    out["shift"] = record.__data__.get("shift")
    if kind == "log":
        out["state"] = log_state(record)
    if getattr(record, "voided_at", None) is not None:
        out["state"] = "void"
    if "amends" in record._meta.fields:
        # An amendment and the original it replaces are shown side by side,
        # each marked (the original itself is never changed).
        newer = type(record).select(type(record).id).where(type(record).amends == record.id).first()
        out["amended_by"] = newer.id if newer else None
    return out


def log_state(entry: Model) -> str:
    if entry.voided_at is not None:
        return "void"
    if entry.needs_action and entry.closed_at is None:
        return "open"
    if entry.needs_action:
        return "done"
    return ""


def state_label(kind: str, state: str) -> str:
    if not state:
        return ""
    return t(f"state.{kind}.{state}")


def cell(kind: str, column: str, row: dict[str, Any]) -> str:
    """One table cell as text: local times shortened, states translated."""
    value = row.get(column)
    if (value is None or value == "") and not (column == "state" and (row.get("amends") or row.get("amended_by"))):
        return ""
    if column == "state":
        # A superseded original is no longer open: its amendment carries on.
        label = "" if row.get("amended_by") else state_label(kind, str(value or ""))
        marks = []
        if row.get("amends"):
            marks.append(t("present.amendment_of", id=row["amends"]))
        if row.get("amended_by"):
            marks.append(t("present.amended_by", id=row["amended_by"]))
        return " ".join([label, *marks]).strip()
    if column in ("recorded_by", "owner", "first_responder"):
        from duty_desk.desk import officer_name

        return officer_name(str(value))  # people by name, as everywhere on the desk
    if column == "next_due_kind":
        return t(f"due.{value}")
    if column == "level":
        return t(f"level.{value}")
    if isinstance(value, str) and len(value) == 22 and value[10] == "T":
        # 2026-11-24T14:05+08:00 -> 11-24 14:05
        return value[5:16].replace("T", " ")
    return str(value)
