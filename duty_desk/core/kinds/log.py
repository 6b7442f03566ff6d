"""值班日志: a log entry. One that needs action (a call to answer, a task
交办) is an open item, a ``call``, until its result is recorded."""

from __future__ import annotations

from peewee import Case, Model, Value, fn

from duty_desk.core.dutytime import fmt_hm
from duty_desk.core.i18n import t
from duty_desk.core.kinds.base import Kind, OpenColumns, live
from duty_desk.core.models import LogEntry


def caller_of(entry: Model) -> str:
    """Who is on the other end (a call's caller): 区水务局 王科长."""
    return " ".join(p for p in (entry.counterpart_unit, entry.counterpart_name) if p)


def with_caller(entry: Model) -> str:
    """What was said, after who said it: 区水务局 王科长：水库水位接近汛限."""
    who = caller_of(entry)
    return f"{who}：{entry.content}" if who else entry.content


def state_of(entry: Model) -> str:
    if entry.voided_at is not None:
        return "void"
    if entry.needs_action and entry.closed_at is None:
        return "open"
    if entry.needs_action:
        return "done"
    return ""


def _open_where():
    # Starts with the condition the partial index serves (see models.py).
    return (LogEntry.needs_action == True) & LogEntry.closed_at.is_null() & live(LogEntry)  # noqa: E712


def _open_columns() -> OpenColumns:
    who = fn.TRIM(LogEntry.counterpart_unit.concat(" ").concat(LogEntry.counterpart_name))
    title = Case(None, [(who == "", LogEntry.content)], who.concat("：").concat(LogEntry.content))
    return OpenColumns(title=fn.SUBSTR(title, 1, 80), detail=LogEntry.category,
                       received=LogEntry.occurred_at, state=Value("open"), due_kind=Value("result"))


def _is_open(entry: Model) -> bool:
    return bool(entry.needs_action) and entry.closed_at is None


def _state_actions(entry: Model) -> set[str]:
    return {"result"} if _is_open(entry) else set()


KIND = Kind(
    name="log",
    model=LogEntry,
    open_name="call",
    open_where=_open_where,
    open_columns=_open_columns,
    is_open=_is_open,
    summary=lambda e, cfg: f"{fmt_hm(e.occurred_at, cfg)} {e.category} {with_caller(e)}",
    open_title=lambda title, detail: title,
    next_action=lambda state, due_kind: t("next.call"),
    state_actions=_state_actions,
    state_of=state_of,
    due_field="due_at",
    due_kind="result",
    table_columns=("id", "occurred_at", "category", "content", "recorded_by", "state"),
    detail_fields=("occurred_at", "category", "content", "counterpart_unit", "counterpart_name",
                   "counterpart_title", "counterpart_phone", "already_informed", "handling", "result",
                   "owner", "due_at", "closed_at", "recorded_by", "recorded_at"),
    listing="log",
    new_action="focus_entry",
    search_at="occurred_at",
    search_text=("content", "category", "counterpart_unit", "counterpart_name", "counterpart_title",
                 "counterpart_phone", "already_informed", "handling", "result"),
    search_people=("counterpart_name",),
    search_units=("counterpart_unit",),
)
