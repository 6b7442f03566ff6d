"""Records as plain dicts for display and export (JSON lines, tables).

Times are in the office's timezone. ID numbers are already masked in the store.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Any

from peewee import Model, fn

from duty_desk.core import kinds
from duty_desk.core.config import Config
from duty_desk.core.dutytime import to_local
from duty_desk.core.i18n import t
from duty_desk.core.rules import field_label

# The columns each kind shows in a table, in order (its Kind says); all fields go to JSON.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {k.name: k.table_columns for k in kinds.REGISTRY.values()}

_HIDDEN = {"shift"}


def column_header(kind: str, column: str) -> str:
    """A column's header; some read differently by kind (收文时间 for a document)."""
    own = t(f"col.{kind}.{column}")
    return own if own != f"col.{kind}.{column}" else t(f"col.{column}")


def _value(value: Any, cfg: Config) -> Any:
    if isinstance(value, datetime):
        return to_local(value, cfg).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Model):
        return value.get_id()
    return value


def record_dict(kind: str, record: Model, cfg: Config) -> dict[str, Any]:
    return record_dicts(kind, [record], cfg)[0]


def record_dicts(kind: str, records: list[Model], cfg: Config) -> list[dict[str, Any]]:
    """Records of one kind as dicts, with what amends them read in one query
    for all of them (not one per record)."""
    if not records:
        return []
    model = type(records[0])
    newer = _amended_by(model, [r.id for r in records]) if "amends" in model._meta.fields else None
    spec = kinds.find(kind)
    out = []
    for record in records:
        row: dict[str, Any] = {"kind": kind}
        for name in record._meta.fields:
            if name in _HIDDEN:
                continue
            row[name] = _value(record.__data__.get(name), cfg)
        row["shift"] = record.__data__.get("shift")
        if spec is not None:
            row["state"] = spec.state_of(record)
        elif getattr(record, "voided_at", None) is not None:
            row["state"] = "void"
        if newer is not None:
            # An amendment and the original it replaces are shown side by side,
            # each marked (the original itself is never changed).
            row["amended_by"] = newer.get(record.id)
        out.append(row)
    return out


def _amended_by(model: type[Model], ids: list[int]) -> dict[int, int]:
    """original id -> its (first) amendment's id, for the originals among ``ids``."""
    found: dict[int, int] = {}
    for start in range(0, len(ids), 500):  # well under SQLite's limit of bound values
        query = (model.select(model.amends, fn.MIN(model.id))
                 .where(model.amends.in_(ids[start:start + 500])).group_by(model.amends).tuples())
        found.update(dict(query))
    return found


def state_label(kind: str, state: str) -> str:
    if not state:
        return ""
    return t(f"state.{kind}.{state}")


def cell(kind: str, column: str, row: dict[str, Any], names: dict[str, str] | None = None) -> str:
    """One table cell as text: local times shortened, states translated,
    people by name (from ``names``, login -> name, when the caller read them
    all at once; else looked up)."""
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
    if column in ("recorded_by", "owner", "first_responder", "custody"):
        # People by name, as everywhere on the desk (a custodian may also be a unit).
        if names is not None:
            return names.get(str(value), str(value))
        from duty_desk.core.desk import officer_name

        return officer_name(str(value))
    if column == "next_due_kind":
        return t(f"due.{value}")
    if column == "level":
        return t(f"level.{value}")
    if isinstance(value, str) and len(value) == 22 and value[10] == "T":
        # 2026-11-24T14:05+08:00 -> 11-24 14:05
        return value[5:16].replace("T", " ")
    return str(value)


# --- the audit trail of one record, as an officer reads it ----------------------

_UTC_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
# Fields that hold a login: shown as the officer's name.
_PEOPLE = {"recorded_by", "owner", "first_responder", "voided_by", "by", "custody", "started_by",
           "read_back_by", "accepted_by", "given_by", "actor", "login",
           # the roster's (core.roster): who gives a duty, who takes it, who decides; its lists of people
           "from_login", "to_login", "requested_by", "decided_by", "planned_by", "published_by",
           "officers", "leaders", "standby"}
# Fields a creation event need not list: they are the record's frame, not its content.
_FRAME = {"id", "shift", "duty_date", "recorded_at", "recorded_by"}
# ... except where the duty day is what the record is about (a roster entry, a swap).
_FRAME_KEPT = {"roster": {"duty_date"}, "swap": {"duty_date"}}


def _hist_value(kind: str, name: str, value: Any, cfg: Config, names: dict[str, str]) -> str:
    from duty_desk.core.sanitize import shown

    if value is None or value == "":
        return t("hist.empty")
    if isinstance(value, bool):
        return t("hist.yes") if value else t("hist.no")
    if isinstance(value, list):
        return "、".join(_hist_value(kind, name, v, cfg, names) for v in value) or t("hist.empty")
    if isinstance(value, dict):
        return "（" + "；".join(f"{field_label(k, where='history')}：{_hist_value(kind, k, v, cfg, names)}" for k, v in value.items()
                               if v not in (None, "")) + "）"
    text = str(value)
    if _UTC_TEXT.match(text):
        moment = datetime.fromisoformat(text).replace(tzinfo=timezone.utc)
        return to_local(moment, cfg).strftime("%Y-%m-%d %H:%M")
    if name in _PEOPLE:
        return shown(names.get(text, text))
    for key in (f"state.{kind}.{text}" if name == "state" else "",
                f"due.{text}" if name in ("next_due_kind", "due_kind") else "",
                f"doc.step.{text}" if name == "step" else "",
                f"level.{text}" if name == "level" else "",
                f"swap.kind.{text}" if kind == "swap" and name == "kind" else "",
                f"event.{text}" if kind == "urgent" and name == "kind" else ""):
        if key and t(key) != key:
            return t(key)
    return shown(text, keep_newlines=False)


def _hist_change(kind: str, action: str, old: dict | None, new: dict | None, cfg: Config,
                 names: dict[str, str]) -> str:
    old, new = old or {}, new or {}
    if "error" in new:
        from duty_desk.core.errors import DeskError

        params = {k: v for k, v in new.items() if k != "error"}
        return t("hist.failed", message=DeskError(str(new["error"]), **params).message)
    parts = []
    for name in list(dict.fromkeys([*old, *new])):
        if action == "create" and ((name in _FRAME and name not in _FRAME_KEPT.get(kind, ()))
                                   or new.get(name) in (None, "", False, [])):
            continue
        label = field_label(name, kind, where="history")
        if name in old and name in new and old[name] not in (None, ""):
            parts.append(f"{label}：{_hist_value(kind, name, old[name], cfg, names)} → {_hist_value(kind, name, new[name], cfg, names)}")
        elif name in new:
            parts.append(f"{label}：{_hist_value(kind, name, new[name], cfg, names)}")
        else:
            parts.append(f"{label}：{_hist_value(kind, name, old[name], cfg, names)} → {t('hist.empty')}")
    return "；".join(parts)


def history_rows(kind: str, events: list[Any], cfg: Config) -> list[dict[str, str]]:
    """Each audit event of one record as a row: number, local time, the
    officer's name, what was done, whether it succeeded, what changed."""
    import json

    from duty_desk.core.desk import officer_names
    from duty_desk.core.dutytime import fmt_dt

    names = officer_names()  # one query for every name on every row
    rows = []
    for e in events:
        action = t(f"action.{kind}.{e.action}")  # a kind's own word for it first (申请换班)
        if action == f"action.{kind}.{e.action}":
            action = t(f"action.{e.action}")
        if action == f"action.{e.action}":
            step = t(f"doc.step.{e.action}")
            due = t(f"due.{e.action}")
            action = step if step != f"doc.step.{e.action}" else due if due != f"due.{e.action}" else e.action
        actor = t("hist.system") if e.actor == "system" else names.get(e.actor, e.actor)
        rows.append({
            "id": str(e.id), "at": fmt_dt(e.at, cfg), "actor": actor, "action": action,
            "outcome": t(f"hist.outcome.{e.outcome}") if t(f"hist.outcome.{e.outcome}") != f"hist.outcome.{e.outcome}"
            else e.outcome,
            "change": _hist_change(kind, e.action, json.loads(e.old) if e.old else None,
                                   json.loads(e.new) if e.new else None, cfg, names),
        })
    return rows
