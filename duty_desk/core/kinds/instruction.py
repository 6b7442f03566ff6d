"""领导批示: a leader's instruction on an item, open until its carrying-out is
answered. It is itself followed up (chased, transferred), never instructed on."""

from __future__ import annotations

from peewee import Model, Value, fn

from duty_desk.core.i18n import t
from duty_desk.core.kinds.base import Kind, OpenColumns
from duty_desk.core.models import Instruction


def open_instructions_of(item_kind: str, item_id: int) -> list[int]:
    """The ids of the instructions on one item still awaiting their answer."""
    return [i for (i,) in Instruction.select(Instruction.id)
            .where((Instruction.item_kind == item_kind) & (Instruction.item_id == item_id)
                   & Instruction.answered_at.is_null() & Instruction.voided_at.is_null())
            .order_by(Instruction.given_at, Instruction.id).tuples()]


def _open_columns() -> OpenColumns:
    return OpenColumns(title=fn.SUBSTR(Instruction.text, 1, 80), detail=Instruction.leader,
                       received=Instruction.given_at, state=Value("open"), due_kind=Value("answer"),
                       parent_kind=Instruction.item_kind, parent_id=Instruction.item_id)


def _state_of(ins: Model) -> str:
    if ins.voided_at is not None:
        return "void"
    return "answered" if ins.answered_at is not None else "open"


KIND = Kind(
    name="instruction",
    model=Instruction,
    open_name="instruction",
    open_where=lambda: Instruction.answered_at.is_null() & Instruction.voided_at.is_null(),
    open_columns=_open_columns,
    is_open=lambda i: i.answered_at is None,
    summary=lambda i, cfg: f"{i.leader}: {i.text}",
    open_title=lambda title, detail: f"{detail}：{title}",
    next_action=lambda state, due_kind: t("next.instruction"),
    state_actions=lambda i: {"answer"} if i.answered_at is None else set(),
    state_of=_state_of,
    due_field="due_at",
    due_kind="answer",
    table_columns=("id", "leader", "given_at", "text", "assignee", "due_at", "state"),
    detail_fields=("leader", "given_at", "text", "assignee", "due_at", "owner", "result", "answered_at"),
    instructable=False,
    amendable=False,
    new_action="instruct",
    chased_field="assignee",
    search_at="given_at",
    search_text=("leader", "text", "assignee", "result"),
    search_people=("leader",),
    search_units=("assignee",),
)
