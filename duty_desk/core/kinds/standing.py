"""定时事项: one occurrence of a standing order, an open item from its time
until its result is recorded (the order itself is core.standing's)."""

from __future__ import annotations

from peewee import Model, Value

from duty_desk.core.dutytime import fmt_dt
from duty_desk.core.i18n import t
from duty_desk.core.kinds.base import Kind, OpenColumns
from duty_desk.core.models import StandingItem


def state_of(item: Model) -> str:
    if item.voided_at is not None:
        return "void"
    return "open" if item.closed_at is None else "done"


def _open_where():
    # Starts with the condition the closed_at index serves.
    return StandingItem.closed_at.is_null() & StandingItem.voided_at.is_null()


def _open_columns() -> OpenColumns:
    return OpenColumns(title=StandingItem.title, detail=Value(""), received=StandingItem.scheduled_at,
                       state=Value("open"), due_kind=Value("standing"))


KIND = Kind(
    name="standing",
    model=StandingItem,
    open_name="standing",
    open_where=_open_where,
    open_columns=_open_columns,
    is_open=lambda i: i.closed_at is None,
    summary=lambda i, cfg: f"{fmt_dt(i.scheduled_at, cfg)} {i.title}",
    open_title=lambda title, detail: title,
    next_action=lambda state, due_kind: t("next.standing"),
    # Its result is recorded with the standing form (tui.forms.standing), not the call's.
    state_actions=lambda i: {"result"} if i.closed_at is None else set(),
    state_of=state_of,
    due_field="due_at",
    due_kind="standing",
    table_columns=("id", "scheduled_at", "title", "owner", "due_at", "result", "state"),
    detail_fields=("title", "scheduled_at", "due_at", "owner", "result", "closed_at", "recorded_by", "recorded_at"),
    amendable=False,  # no amendment rows: a result given is final, a wrong one is voided
    new_action="standing",
    search_at="scheduled_at",
    search_text=("title", "result"),
)
