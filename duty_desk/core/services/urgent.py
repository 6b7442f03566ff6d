"""紧急事项: urgent items (突发事件信息) and their reporting timeline."""

from __future__ import annotations

from datetime import datetime

from duty_desk.core import audit
from duty_desk.core.deadlines import TimelineFact, next_due
from duty_desk.core.desk import Desk
from duty_desk.core.errors import InvalidInput, NotFound, Refused
from duty_desk.core.kinds import live
from duty_desk.core.kinds.urgent import live_events
from duty_desk.core.models import UrgentEvent, UrgentItem, UrgentReport
from duty_desk.core.reports import fields as facts
from duty_desk.core.services.common import (
    MAX_ID,
    check_id,
    current_shift,
    get_record,
    optional_line,
    optional_text,
    required_line,
    save_changes,
    when,
    writing,
)

EVENT_TYPES = ("自然灾害", "事故灾难", "公共卫生事件", "社会安全事件")
LEVELS = ("I", "II", "III", "IV")
# "contacted": a call made from the item (to whom, the number dialled, what
# was said); no report, so it changes no due time (deadlines.urgent_dues).
EVENT_KINDS = ("leader_informed", "phone_report", "first_report", "followup", "daily", "final", "contacted")
# Recorded by record_contact_call (who to call), not offered by the event form.
CALL_KINDS = ("contacted",)
_LEVEL_ALIASES = {"1": "I", "2": "II", "3": "III", "4": "IV", "特别重大": "I", "重大": "II",
                  "较大": "III", "一般": "IV", "Ⅰ": "I", "Ⅱ": "II", "Ⅲ": "III", "Ⅳ": "IV"}


def check_level(level: str) -> str:
    lv = (level or "").strip().upper()
    lv = _LEVEL_ALIASES.get(lv, _LEVEL_ALIASES.get((level or "").strip(), lv))
    if lv not in LEVELS:
        raise InvalidInput("urgent.level", field="level")
    return lv


def open_urgent(
    desk: Desk,
    title: str,
    event_type: str,
    level: str,
    *,
    received_at: datetime | str | None = None,
    occurred_at: datetime | str | None = None,
    place: str = "",
    source_unit: str = "",
    source_name: str = "",
    source_phone: str = "",
    casualties: str = "",
    measures: str = "",
    leaders_on_scene: str = "",
    trend: str = "",
    recommendations: str = "",
    summary: str = "",
    cause: str = "",
    next_steps: str = "",
    reliability: str = "",
) -> UrgentItem:
    """Receive an urgent item; the acting officer is its first responder."""
    with writing(desk, "create", "urgent"):
        title = required_line(title, "title", 120)
        if event_type not in EVENT_TYPES:
            raise InvalidInput("urgent.type", field="event_type", choices=" ".join(EVENT_TYPES))
        lv = check_level(level)
        got = when(desk, received_at, "received_at")
        occurred = when(desk, occurred_at, "occurred_at") if occurred_at not in (None, "") else None
        if occurred and occurred > got:
            raise InvalidInput("urgent.occurred_after_received", field="occurred_at")
        shift = current_shift(desk)
        item = UrgentItem.create(
            shift=shift, duty_date=shift.duty_date, recorded_at=desk.now(), recorded_by=desk.actor,
            title=title, event_type=event_type, level=lv, occurred_at=occurred,
            place=optional_line(place, "place"), received_at=got,
            source_unit=optional_line(source_unit, "source_unit"),
            source_name=optional_line(source_name, "source_name"),
            source_phone=optional_line(source_phone, "source_phone", 40),
            first_responder=desk.actor, owner=desk.actor,
            casualties=optional_text(casualties, "casualties"), measures=optional_text(measures, "measures"),
            leaders_on_scene=optional_text(leaders_on_scene, "leaders_on_scene"),
            trend=optional_text(trend, "trend"), recommendations=optional_text(recommendations, "recommendations"),
            summary=optional_text(summary, "summary"), cause=optional_text(cause, "cause"),
            next_steps=optional_text(next_steps, "next_steps"), reliability=optional_line(reliability, "reliability"),
        )
        _refresh_due(desk, item)
        item.save()
        rows = facts.first_rows(desk.actor, item, desk.now())
        audit.append(desk.now(), desk.actor, "create", "urgent", item.id, None,
                     {**audit.snapshot(item), "facts": facts.snapshots(rows)})
    return item


def timeline(item_id: int) -> list[UrgentEvent]:
    if not 1 <= item_id <= MAX_ID:
        return []
    return list(UrgentEvent.select().where(UrgentEvent.item == item_id).order_by(UrgentEvent.at, UrgentEvent.id))


def rule_due(desk: Desk, item: UrgentItem) -> tuple[str | None, datetime | None]:
    """The next report due by the configured rules: (kind, at), or Nones."""
    facts = [TimelineFact(e.kind, e.at) for e in live_events(item.id)] if item.id else []
    due = next_due(item.level, item.received_at, facts, desk.cfg, closed=item.state == "closed")
    return (due.kind, due.at) if due else (None, None)


def _refresh_due(desk: Desk, item: UrgentItem) -> None:
    item.next_due_kind, item.next_due_at = rule_due(desk, item)


def add_event(
    desk: Desk,
    item_id: int,
    kind: str,
    *,
    party: str = "",
    means: str = "",
    text: str = "",
    at: datetime | str | None = None,
) -> UrgentEvent:
    """Add a timeline event. A final report (终报) closes the item."""
    with writing(desk, kind, "urgent", item_id):
        return event_in_write(desk, item_id, kind, party=party, means=means, text=text, at=at)


def event_in_write(desk: Desk, item_id: int, kind: str, *, party: str = "", means: str = "", text: str = "",
                   at: datetime | str | None = None, report: int | None = None) -> UrgentEvent:
    """``add_event`` inside a write transaction the caller holds (a report's
    sending puts its report on the timeline this way, ``report`` naming it)."""
    item = get_record("urgent", item_id)
    if item.voided_at is not None:
        raise Refused("record.voided", kind="urgent", id=item_id)
    if item.state == "closed":
        raise Refused("urgent.closed", title=item.title)
    if kind not in EVENT_KINDS:
        raise InvalidInput("urgent.event_kind", field="kind", choices=" ".join(EVENT_KINDS))
    moment = when(desk, at, "at")
    if moment < item.received_at:
        raise InvalidInput("urgent.before_receipt", field="at")
    body = optional_text(text, "text")
    party = optional_line(party, "party", 80)
    if kind == "leader_informed" and not party:
        raise InvalidInput("urgent.leader_needed", field="party")
    if kind == "contacted" and not party:
        raise InvalidInput("contacts.call.whom_needed", field="party")
    if kind in ("first_report", "followup", "daily", "final") and not body:
        raise InvalidInput("urgent.report_text", field="text")
    kinds = [e.kind for e in live_events(item.id)]
    refusal = _out_of_order(kind, kinds)
    if refusal is not None:
        raise refusal
    seq = kinds.count("followup") + 1 if kind == "followup" else 0
    now = desk.now()  # one reading: the entry is recorded at its event's time
    event = UrgentEvent.create(item=item, kind=kind, seq=seq, at=moment, by=desk.actor, party=party,
                               means=optional_line(means, "means", 40 if kind in CALL_KINDS else 20),
                               text=body, recorded_at=now)
    before = audit.snapshot(item)
    if kind == "final":
        item.state, item.closed_at = "closed", moment
    _refresh_due(desk, item)
    old, new = save_changes(item, before)
    told = {k: v for k, v in audit.snapshot(event).items() if k != "item"}
    audit.append(now, desk.actor, kind, "urgent", item.id, old or None,
                 {**new, "event": told, **({"report": report} if report is not None else {})})
    return event


def _out_of_order(kind: str, recorded: list[str]) -> Refused | None:
    """Why ``kind`` may not come next after the live events ``recorded``, or
    None: 首报 once, and 续报 / 日报 / 终报 only after it."""
    if kind in ("followup", "daily", "final") and "first_report" not in recorded:
        return Refused("urgent.first_report_first")
    if kind == "first_report" and "first_report" in recorded:
        return Refused("urgent.first_report_twice")
    return None


def events_allowed(item: UrgentItem, recorded: list[str]) -> tuple[str, ...]:
    """The timeline events add_event accepts next on ``item``, whose live
    events so far are ``recorded``: none once voided or closed."""
    if item.voided_at is not None or item.state == "closed":
        return ()
    return tuple(k for k in EVENT_KINDS if k not in CALL_KINDS and _out_of_order(k, recorded) is None)


def record_phone_report(desk: Desk, item_id: int, party: str = "", at: datetime | str | None = None) -> UrgentEvent:
    """One key: "reported upward by phone at hh:mm" (now unless given)."""
    return add_event(desk, item_id, "phone_report", party=party, means="电话", at=at)


def record_contact_call(desk: Desk, item_id: int, whom: str, phone: str = "", text: str = "",
                        at: datetime | str | None = None) -> UrgentEvent:
    """A call made about the item (who to call): to whom, the number dialled
    and what was said, on its timeline. Due times stay as they were."""
    return add_event(desk, item_id, "contacted", party=whom, means=phone, text=text, at=at)


def open_urgent_items() -> list[UrgentItem]:
    return list(
        UrgentItem.select().where((UrgentItem.state == "open") & live(UrgentItem))
        .order_by(UrgentItem.next_due_at.is_null(), UrgentItem.next_due_at)
    )


def urgent_of_day(day) -> list[UrgentItem]:
    return list(UrgentItem.select().where(UrgentItem.duty_date == day).order_by(UrgentItem.received_at))


def void_event(desk: Desk, event_id: int, reason: str) -> UrgentEvent:
    """Void a timeline event recorded by mistake (a phone report on the wrong
    item, say). It stays readable, marked void; the item's next due report is
    recomputed, and voiding a final report reopens the item. A written report
    sent through the report flow is undone by voiding its sendings instead."""
    check_id("urgent_event", event_id)
    first_look = UrgentEvent.get_or_none(UrgentEvent.id == event_id)
    item_id = first_look.item_id if first_look else None
    with writing(desk, "void_event", "urgent", item_id):
        # Read again under the write lock: another desk may have voided it meanwhile.
        event = UrgentEvent.get_or_none(UrgentEvent.id == event_id)
        if event is None:
            raise NotFound("record.not_found", kind="urgent_event", id=event_id)
        report = UrgentReport.get_or_none((UrgentReport.event == event.id) & UrgentReport.voided_at.is_null())
        if report is not None:
            raise Refused("report.event_of_report", id=report.id)
        return void_event_in_write(desk, event, reason)


def void_event_in_write(desk: Desk, event: UrgentEvent, reason: str) -> UrgentEvent:
    """``void_event`` inside a write transaction the caller holds (a report's
    last sending voided takes its timeline event with it)."""
    if event.voided_at is not None:
        raise Refused("void.already", kind="urgent_event", id=event.id)
    reason = required_line(reason, "reason")
    item = event.item
    later_final = [e for e in timeline(item.id) if e.kind == "final" and e.voided_at is None and e.id != event.id]
    if event.kind == "first_report" and any(
        e.kind in ("followup", "daily", "final") and e.voided_at is None for e in timeline(item.id)
    ):
        raise Refused("urgent.first_report_needed")
    now = desk.now()  # one reading: voided at the moment its event says
    event.voided_at, event.voided_by, event.void_reason = now, desk.actor, reason
    event.save(only=[UrgentEvent.voided_at, UrgentEvent.voided_by, UrgentEvent.void_reason])
    before = audit.snapshot(item)
    if event.kind == "final" and not later_final:
        item.state, item.closed_at = "open", None
    _refresh_due(desk, item)
    old, new = save_changes(item, before)
    audit.append(now, desk.actor, "void_event", "urgent", item.id, old or None,
                 {**new, "event": event.id, "event_kind": event.kind, "reason": reason})
    return event
