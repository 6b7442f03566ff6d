"""来访: a visitor, an open item while on the premises (waiting or being
received) until their departure is recorded."""

from __future__ import annotations

from peewee import Model, Value

from duty_desk.core.i18n import t
from duty_desk.core.kinds.base import Kind, OpenColumns, live
from duty_desk.core.models import VISITOR_OPEN_STATES, Visitor


def _open_columns() -> OpenColumns:
    return OpenColumns(title=Visitor.name, detail=Visitor.unit, received=Visitor.arrived_at,
                       state=Visitor.state, due_kind=Value(""))


# What may be recorded next of a visit, by its state (services.visitors refuses the rest).
VISIT_STEPS: dict[str, tuple[str, ...]] = {"waiting": ("check_out", "reception"), "receiving": ("check_out",)}


def visit_steps(visitor: Model) -> tuple[str, ...]:
    """The steps of a visit that may be recorded now: none once voided or gone."""
    return () if visitor.voided_at is not None else VISIT_STEPS.get(visitor.state, ())


def _state_actions(visitor: Model) -> set[str]:
    return {"checkout"} if visit_steps(visitor) else set()


KIND = Kind(
    name="visitor",
    model=Visitor,
    open_name="visitor",
    open_where=lambda: Visitor.state.in_(VISITOR_OPEN_STATES) & live(Visitor),
    open_columns=_open_columns,
    is_open=lambda v: v.state in VISITOR_OPEN_STATES,
    summary=lambda v, cfg: f"{v.name} {v.unit}".strip(),
    open_title=lambda title, detail: f"{title}（{detail}）" if detail else title,
    next_action=lambda state, due_kind: t(f"next.visitor.{state}"),
    state_actions=_state_actions,
    state_of=lambda v: "void" if v.voided_at is not None else v.state,
    table_columns=("id", "name", "unit", "host", "party_size", "arrived_at", "left_at", "state"),
    detail_fields=("name", "unit", "phone", "id_type", "id_masked", "purpose", "host", "party_size",
                   "arrived_at", "reception_at", "received_by", "left_at", "state", "result", "owner",
                   "recorded_by", "recorded_at"),
    counted_on_sheet=True,
    listing="visitors",
    new_action="new_visitor",
    chased_field="host",
    search_at="arrived_at",
    search_text=("name", "unit", "phone", "id_masked", "purpose", "host", "received_by", "result"),
    search_people=("name",),
    search_units=("unit", "host"),
)
