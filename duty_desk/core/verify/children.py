"""`audit verify` of the child rows (chases, overdue marks, urgent timelines,
document steps, handover items): each must be what its parent's audit events
say, row for row."""

from __future__ import annotations

from collections import Counter
from typing import Any

from peewee import Model

from duty_desk.core import audit, kinds
from duty_desk.core.i18n import t
from duty_desk.core.models import (
    Chase,
    DocumentStep,
    HandoverItem,
    OverdueMark,
    ReportSending,
    UrgentEvent,
    UrgentFact,
)
from duty_desk.core.verify.report import Problem, Report

# --- child rows: chases, overdue marks, urgent timelines, document steps, handover items ---


class _Children:
    """A child table's rows in parent order, taken one parent at a time."""

    def __init__(self, query, parent) -> None:
        self.rows = iter(query.iterator())
        self.parent = parent
        self.head = next(self.rows, None)

    def take(self, parent_id: int) -> tuple[list[Model], list[Model]]:
        """(rows of this parent, rows of earlier parents that had no events)."""
        orphans: list[Model] = []
        got: list[Model] = []
        while self.head is not None and self.parent(self.head) < parent_id:
            orphans.append(self.head)
            self.head = next(self.rows, None)
        while self.head is not None and self.parent(self.head) == parent_id:
            got.append(self.head)
            self.head = next(self.rows, None)
        return got, orphans

    def rest(self) -> list[Model]:
        out = [] if self.head is None else [self.head]
        out.extend(self.rows)
        self.head = None
        return out


def _by_item(model):
    return lambda kind: model.select().where(model.item_kind == kind).order_by(model.item_id, model.id)


CHILDREN: dict[str, tuple] = {}
for _kind in kinds.REGISTRY:  # every kind of item may be chased and marked overdue
    CHILDREN[_kind] = (("chase", _by_item(Chase), lambda r: r.item_id),
                       ("overdue", _by_item(OverdueMark), lambda r: r.item_id))
CHILDREN["urgent"] += (("urgent_event", lambda kind: UrgentEvent.select().order_by(UrgentEvent.item, UrgentEvent.id),
                        lambda r: r.__data__["item"]),)
CHILDREN["urgent"] += (("urgent_fact", lambda kind: UrgentFact.select().order_by(UrgentFact.item, UrgentFact.id),
                        lambda r: r.item),)
CHILDREN["urgent_report"] = (("report_sending", lambda kind: ReportSending.select().order_by(ReportSending.report,
                                                                                          ReportSending.id),
                              lambda r: r.__data__["report"]),)
CHILDREN["document"] += (("document_step", lambda kind: DocumentStep.select().order_by(DocumentStep.document,
                                                                                       DocumentStep.id),
                          lambda r: r.__data__["document"]),)
CHILDREN["handover"] = (("handover_item", lambda kind: HandoverItem.select().order_by(HandoverItem.handover,
                                                                                      HandoverItem.id),
                         lambda r: r.__data__["handover"]),)


def _orphans(report: Report, name: str, rows: list[Model]) -> None:
    for r in rows[:1]:  # the first names the place; the rest would only repeat it
        report.add(Problem("unaudited", "verify.problem.unaudited", {"kind": name, "id": r.id},
                           f"{name} #{r.id}"))


def _compare_children(report: Report, kind: str, record_id: int, name: str, events: list[tuple],
                      record: dict[str, Any], rows: list[Model]) -> None:
    expected, actual = SIGNATURES[name](events, record, rows)
    if Counter(map(repr, expected)) != Counter(map(repr, actual)):
        report.add(Problem("record", "verify.problem.child",
                           {"kind": kind, "id": record_id, "child": t(f"kind.{name}")},
                           f"{kind} #{record_id} {name}"))


def _new(ev: tuple) -> Any:
    return ev[8]


# The actions whose events tell about a kind of child row, where that is a
# fixed few: a record with neither such events nor rows is skipped quickly.
# Other kinds are compared for every record (their step names may grow).
CHILD_ACTIONS = {"chase": {"chase"}, "overdue": {"overdue"}}


def _chase_sigs(events, record, rows):
    expected = []
    for ev in events:
        new = _new(ev)
        if ev[1] != "chase":
            continue
        if "id" in new:  # the chase's own snapshot
            expected.append((new["id"], new.get("at"), new.get("by"), new.get("whom"), new.get("means"),
                             new.get("answer"), new.get("recorded_at")))
        else:  # a document's chase step: the chase is told by whom and answer
            expected.append((None, ev[7], new.get("party"), new.get("text")))
    with_id = {sig[0] for sig in expected if sig[0] is not None}
    actual = []
    for r in rows:
        s = audit.snapshot(r)
        actual.append((r.id, s["at"], s["by"], s["whom"], s["means"], s["answer"], s["recorded_at"])
                      if r.id in with_id else (None, s["by"], s["whom"], s["answer"]))
    return expected, actual


def _overdue_sigs(events, record, rows):
    expected = [(n.get("due_kind"), n.get("due_at"), n.get("owner") or "", ev[6])
                for ev in events if ev[1] == "overdue" for n in [_new(ev)]]
    actual = [(s["due_kind"], s["due_at"], s["owner"], s["marked_at"]) for s in map(audit.snapshot, rows)]
    return expected, actual


def _urgent_event_sigs(events, record, rows):
    timeline: dict[int, dict[str, Any]] = {}
    for ev in events:
        new = _new(ev)
        event = new.get("event") if isinstance(new, dict) else None
        if isinstance(event, dict):
            timeline[event["id"]] = dict(event)
        elif ev[1] == "void_event" and isinstance(event, int) and event in timeline:
            timeline[event].update(voided_at=ev[6], voided_by=ev[7], void_reason=new.get("reason"))
    expected = [tuple(sorted(e.items())) for e in timeline.values()]
    actual = []
    for r in rows:
        snap = {k: v for k, v in audit.snapshot(r).items() if k != "item"}
        if r.id in timeline:  # voided_at is taken a moment before its event's time
            snap["voided_at"] = _near(snap["voided_at"], timeline[r.id].get("voided_at"))
        actual.append(tuple(sorted(snap.items())))
    return expected, actual


def _near(stored: str | None, told: str | None, seconds: int = 5) -> str | None:
    """A time the service took with its own clock reading, a moment before the
    audit event's: the event's time when within a few seconds of it."""
    from datetime import datetime

    if stored is None or told is None or stored == told:
        return stored
    try:
        gap = abs((datetime.fromisoformat(stored) - datetime.fromisoformat(told)).total_seconds())
    except ValueError:
        return stored
    return told if gap <= seconds else stored


STEP_FIELDS = ("id", "step", "at", "by", "party", "text", "deadline", "recorded_at")


def _document_step_sigs(events, record, rows):
    """Steps told in full (``steps`` in their event) are compared field by
    field; events written before steps were told so give step, party, text."""
    expected = []
    told: set[int] = set()
    voided: dict[int, tuple] = {}
    for ev in events:
        new, action = _new(ev), ev[1]
        steps = new.get("steps") if isinstance(new, dict) else None
        if isinstance(steps, list):
            for step in steps:
                expected.append(tuple(step.get(k) if isinstance(step, dict) else None for k in STEP_FIELDS))
                if isinstance(step, dict) and isinstance(step.get("id"), int):
                    told.add(step["id"])
        elif action == "create":
            expected += [("sign", "", str(new.get("copies"))), ("register", "", new.get("serial"))]
        elif action == "void_step":
            voided[new.get("step_id")] = (ev[7], new.get("reason"))
        elif action == "chase" and "id" in new:
            expected.append(("chase", new.get("whom"), new.get("answer")))
        elif action == "instruct" and "instruction" in new:
            expected.append(("instruct", new.get("leader"), new.get("text")))
        elif "step" in new and action == new["step"]:
            expected.append((action, new.get("party"), new.get("text")))
    actual = [tuple(s[k] for k in STEP_FIELDS) if r.id in told else (r.step, r.party, r.text)
              for r in rows for s in [audit.snapshot(r)]]
    voids = {r.id: (r.voided_by, r.void_reason) for r in rows if r.voided_at is not None}
    return expected + sorted(voided.items()), actual + sorted(voids.items())


def _handover_item_sigs(events, record, rows):
    items: dict[int, dict[str, Any]] = {}
    for ev in events:
        new = _new(ev)
        if ev[1] == "create":
            for item_id, item_kind, rid, owner, next_action in new.get("items", []):
                items[item_id] = {"item_kind": item_kind, "item_id": rid, "owner": owner or "",
                                  "next_action": next_action, "readback": None, "read_back_by": None,
                                  "read_back_at": None}
        elif ev[1] == "read_back" and new.get("item") in items:
            items[new["item"]].update(readback=new.get("readback"), read_back_by=new.get("read_back_by"),
                                      read_back_at=ev[6])
    expected = [(i, *sorted(v.items())) for i, v in items.items()]
    actual = []
    for r in rows:
        snap = {k: v for k, v in audit.snapshot(r).items() if k in
                ("item_kind", "item_id", "owner", "next_action", "readback", "read_back_by", "read_back_at")}
        if r.id in items:  # read_back_at is taken a moment before its event's time
            snap["read_back_at"] = _near(snap["read_back_at"], items[r.id]["read_back_at"])
        actual.append((r.id, *sorted(snap.items())))
    return expected, actual


def _urgent_fact_sigs(events, record, rows):
    """An urgent item's facts, each value told in full by the event that brought it."""
    expected = [tuple(sorted(f.items())) for ev in events for new in [_new(ev)] if isinstance(new, dict)
                for f in (new.get("facts") if isinstance(new.get("facts"), list) else []) if isinstance(f, dict)]
    actual = [tuple(sorted(audit.snapshot(r).items())) for r in rows]
    return expected, actual


def _report_sending_sigs(events, record, rows):
    """A report's sendings as their send events tell them, with receipts confirmed later."""
    told: dict[int, dict[str, Any]] = {}
    for ev in events:
        new = _new(ev)
        sending = new.get("sending") if isinstance(new, dict) else None
        if not isinstance(sending, dict) or not isinstance(sending.get("id"), int):
            continue
        if ev[1] == "send":
            told[sending["id"]] = dict(sending)
        elif sending["id"] in told:
            told[sending["id"]].update(sending)
    expected = [tuple(sorted(v.items())) for v in told.values()]
    actual = [tuple(sorted((k, v) for k, v in audit.snapshot(r).items() if k != "report")) for r in rows]
    return expected, actual


SIGNATURES = {"urgent_fact": _urgent_fact_sigs, "report_sending": _report_sending_sigs,"chase": _chase_sigs, "overdue": _overdue_sigs, "urgent_event": _urgent_event_sigs,
              "document_step": _document_step_sigs, "handover_item": _handover_item_sigs}
