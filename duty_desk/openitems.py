"""One notion of an open item across record kinds (件件有着落、事事有回音).

An open item has an owner, a received-at time, a due time and a next action.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from duty_desk.config import Config
from duty_desk.desk import Desk, officer_name
from duty_desk.dutytime import fmt_duration, to_local
from duty_desk.i18n import t


@dataclass
class OpenItem:
    kind: str  # call | visitor | document | instruction | urgent
    record_kind: str  # the audit kind: log | visitor | document | instruction | urgent
    id: int
    title: str
    owner: str
    received_at: datetime | None
    due_at: datetime | None
    due_kind: str
    next_action: str
    overdue: bool = False

    def as_dict(self, cfg: Config, now: datetime | None = None) -> dict[str, Any]:
        from duty_desk import clock

        now = now or clock.now()
        return {
            "kind": self.kind,
            "kind_label": t(f"open.kind.{self.kind}"),
            "record_kind": self.record_kind,
            "id": self.id,
            "title": self.title,
            "owner": self.owner,
            "owner_name": officer_name(self.owner),
            "received_at": _local(self.received_at, cfg),
            "due_at": _local(self.due_at, cfg),
            "due_kind": self.due_kind,
            "due_in": fmt_duration(self.due_at - now) if self.due_at else "",
            "overdue": self.overdue,
            "next_action": self.next_action,
        }


def _local(moment: datetime | None, cfg: Config) -> str | None:
    return to_local(moment, cfg).strftime("%m-%d %H:%M") if moment else None


def list_open(desk: Desk, overdue_only: bool = False) -> list[OpenItem]:
    """Every open item of every kind and every day, most urgent first."""
    from duty_desk.services import documents, log, urgent, visitors

    now = desk.now()
    items: list[OpenItem] = []
    for e in log.open_calls():
        items.append(OpenItem("call", "log", e.id, e.content[:60], e.owner or e.recorded_by, e.occurred_at,
                              e.due_at, "result", t("next.call")))
    for v in visitors.on_premises():
        title = f"{v.name}（{v.unit}）" if v.unit else v.name
        items.append(OpenItem("visitor", "visitor", v.id, title, v.owner or v.recorded_by, v.arrived_at,
                              None, "leave", t(f"next.visitor.{v.state}")))
    for d in documents.pending_documents():
        title = d.title or f"{d.classification}件 {d.doc_number}".strip()
        items.append(OpenItem("document", "document", d.id, f"{d.serial} {title}", d.owner or d.recorded_by,
                              d.received_at, d.deadline, "deadline",
                              t(f"doc.step.{documents.NEXT_STEP.get(d.state, 'close')}")))
    for u in urgent.open_urgent_items():
        items.append(OpenItem("urgent", "urgent", u.id, u.title, u.owner or u.first_responder, u.received_at,
                              u.next_due_at, u.next_due_kind or "", t(f"due.{u.next_due_kind}") if u.next_due_kind else ""))
    for it in items:
        it.overdue = bool(it.due_at and it.due_at < now)
    if overdue_only:
        items = [i for i in items if i.overdue]
    far = datetime.max.replace(tzinfo=now.tzinfo)
    items.sort(key=lambda i: (i.due_at is None, i.due_at or far))
    return items
