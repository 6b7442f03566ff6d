"""紧急信息: an urgent item, open until its final report; what is due next is
its next report (phone report, first report, follow-up …)."""

from __future__ import annotations

from typing import Any

from peewee import Model, fn

from duty_desk.core.config import Config
from duty_desk.core.deadlines import TimelineFact, urgent_dues
from duty_desk.core.i18n import t
from duty_desk.core.kinds.base import Kind, OpenColumns, live
from duty_desk.core.models import UrgentEvent, UrgentItem


def live_events(item_id: int) -> list[UrgentEvent]:
    """The timeline events not voided, oldest first."""
    return list(UrgentEvent.select()
                .where((UrgentEvent.item == item_id) & UrgentEvent.voided_at.is_null())
                .order_by(UrgentEvent.at, UrgentEvent.id))


def _all_dues(item: Model, cfg: Config) -> list[tuple[str, Any]]:
    """Every report still due, by the configured rules and the live timeline."""
    facts = [TimelineFact(e.kind, e.at) for e in live_events(item.id)]
    return [(d.kind, d.at) for d in urgent_dues(item.level, item.received_at, facts, cfg,
                                                 closed=item.state != "open")]


def _open_columns() -> OpenColumns:
    return OpenColumns(title=UrgentItem.title, detail=UrgentItem.level, received=UrgentItem.received_at,
                       state=UrgentItem.state, due_kind=fn.COALESCE(UrgentItem.next_due_kind, ""))


def _state_actions(item: Model) -> set[str]:
    actions = {"event", "phone_report", "who_to_call", "report"} if item.state == "open" else set()
    if live_events(item.id):
        actions.update(("void_event", "report"))  # a closed item's reports can still be read and copied
    return actions


def _search_parts(ids: list[int]) -> dict[int, list[tuple[str, str, str]]]:
    """The timeline's text (who was told or reported to, what was said) of many items."""
    out: dict[int, list[tuple[str, str, str]]] = {}
    rows = (UrgentEvent.select(UrgentEvent.item, UrgentEvent.party, UrgentEvent.text)
            .where(UrgentEvent.item.in_(ids) & UrgentEvent.voided_at.is_null()).order_by(UrgentEvent.id).tuples())
    for item_id, party, text in rows:
        out.setdefault(item_id, []).extend((("party", party, "unit"), ("text", text, "text")))
    return out


KIND = Kind(
    name="urgent",
    model=UrgentItem,
    open_name="urgent",
    open_where=lambda: (UrgentItem.state == "open") & live(UrgentItem),
    open_columns=_open_columns,
    is_open=lambda u: u.state == "open",
    summary=lambda u, cfg: f"{t('level.' + u.level)} {u.title}",
    open_title=lambda title, detail: title,
    next_action=lambda state, due_kind: t(f"due.{due_kind}") if due_kind else "",
    state_actions=_state_actions,
    state_of=lambda u: "void" if u.voided_at is not None else u.state,
    all_dues=_all_dues,
    default_owner="first_responder",
    due_field="next_due_at",
    due_kind_field="next_due_kind",
    table_columns=("id", "level", "event_type", "title", "received_at", "next_due_kind", "next_due_at", "state"),
    detail_fields=("title", "event_type", "level", "state", "received_at", "occurred_at", "place",
                   "source_unit", "source_name", "source_phone", "reliability", "first_responder", "summary",
                   "casualties", "cause", "measures", "next_steps", "leaders_on_scene", "trend", "recommendations", "next_due_kind", "next_due_at", "owner",
                   "closed_at"),
    parts=("urgent_event",),
    counted_on_sheet=True,
    listing="urgent",
    new_action="new_urgent",
    search_at="received_at",
    search_text=("title", "event_type", "place", "source_unit", "source_name", "source_phone", "casualties",
                 "measures", "leaders_on_scene", "trend", "recommendations", "summary", "cause", "next_steps"),
    search_people=("source_name", "leaders_on_scene"),
    search_units=("source_unit",),
    search_parts=_search_parts,
)
