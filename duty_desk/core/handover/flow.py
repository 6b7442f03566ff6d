"""交接班: hand over a shift, read back each carried-over item, accept.

The order of a handover is fixed: the outgoing officer hands over (the sheet
and the audit head are frozen), the incoming officer — a different login —
reads back every carried-over item, then accepts. Acceptance passes the
outgoing officers' open items to the incoming one and locks the shift: later
changes to its records are amendments (services.common.apply_correction).
"""

from __future__ import annotations

from duty_desk.core import audit
from duty_desk.core.desk import Desk, officer_name, writing
from duty_desk.core.dutytime import fmt_dt, shift_slot_at
from duty_desk.core.errors import NotFound, Refused
from duty_desk.core.handover.sheet import Sheet, build_sheet, frozen_digest, sheet_of
from duty_desk.core.i18n import t
from duty_desk.core.models import Handover, HandoverItem, Shift
from duty_desk.core.openitems import is_open, record_owner
from duty_desk.core.services.common import (
    current_shift,
    desk_leaders,
    get_record,
    latest_part,
    optional_text,
    recording_slot,
    required_line,
)
from duty_desk.core.services.ownership import transfer_ownership
from duty_desk.core.standing.service import bring_due, bring_quietly


def shift_label(shift: Shift) -> str:
    return t("handover.shift_label", day=shift.duty_date.isoformat(), name=shift.name)


def _check_duty_officer(desk: Desk) -> None:
    if desk.officer().role == "leader":
        raise Refused("handover.not_duty_officer", name=officer_name(desk.actor))


def hand_over(desk: Desk, notes: str = "", shift_id: int | None = None) -> Handover:
    """Hand over the current shift (or the one given): freeze its sheet and the
    audit head, list every carried-over item for read-back."""
    with writing(desk, "hand_over", "shift", shift_id):
        _check_duty_officer(desk)
        shift = shift_to_hand_over(desk) if shift_id is None else _shift(shift_id)
        if desk.actor not in shift.officers and desk.officer().role != "admin":
            raise Refused("handover.not_on_shift", name=officer_name(desk.actor), shift=shift_label(shift))
        existing = Handover.get_or_none(Handover.shift == shift.id)
        if existing is not None or shift.state != "open":
            raise Refused("handover.already_given", shift=shift_label(shift),
                          name=officer_name(existing.outgoing) if existing else "—",
                          at=fmt_dt(existing.handed_over_at, desk.cfg) if existing else "—")
        text = optional_text(notes, "notes")
        now = desk.now()
        bring_due(desk)  # a standing order due by now is carried over like every open item
        sheet = build_sheet(desk, shift, notes=text, handed_over_by=desk.actor, handed_over_at=now,
                            state="handed_over")
        handover = Handover.create(shift=shift, outgoing=desk.actor, notes=text, handed_over_at=now,
                                   audit_head="", sheet={})
        for item in sheet.carried:
            row = HandoverItem.create(handover=handover, item_kind=item.record_kind, item_id=item.record_id,
                                      open_kind=item.kind, summary=item.title, owner=item.owner,
                                      next_action=item.next_action)
            item.item_id = row.id
        shift.state = "handed_over"
        shift.save()
        audit.append(now, desk.actor, "hand_over", "shift", shift.id, {"state": "open"}, {"state": "handed_over"})
        # The handover's own event is the head the sheet carries, so
        # `duty-desk audit verify` run right after shows the same digest.
        frozen = frozen_digest(sheet.to_dict(), [(i.item_id, i.kind, i.title) for i in sheet.carried])
        event = audit.append(now, desk.actor, "create", "handover", handover.id, None, {
            "shift": shift.id, "outgoing": desk.actor, "notes": text,
            "handed_over_at": audit._plain(now), "officers": sheet.outgoing_logins,
            "items": [[i.item_id, i.record_kind, i.record_id, i.owner, i.next_action] for i in sheet.carried],
            "sheet_sha256": frozen,
        })
        sheet.audit_count, sheet.audit_head = audit.head()
        handover.audit_head = event.hash
        handover.sheet = sheet.to_dict()
        handover.save()
    return handover


def shift_to_hand_over(desk: Desk) -> Shift:
    """The newest open shift the acting officer sat — after an early handover
    that may be the next one, after a late one still their own — else the
    shift records go to now."""
    shift = _own_open_shift(desk)
    if shift is not None:
        return shift
    slot = shift_slot_at(desk.now(), desk.cfg)
    own = latest_part(slot)
    if own is not None and desk.actor in own.officers:
        return own  # already handed over: hand_over says so, rather than hand over the next one
    _, shift = recording_slot(desk)
    return shift if shift is not None else current_shift(desk)


def _own_open_shift(desk: Desk) -> Shift | None:
    """The newest open shift the acting officer sat, if any."""
    for shift in Shift.select().where(Shift.state == "open").order_by(Shift.starts_at.desc()).limit(5):
        if desk.actor in shift.officers:
            return shift
    return None


def shift_to_preview(desk: Desk) -> Shift:
    """The acting officer's open shift, else the one records go to now, found
    as shift_to_hand_over finds it but without starting or joining a shift:
    looking at the sheet writes nothing. Its id is then given to hand_over,
    so what was previewed is what is handed over."""
    shift = _own_open_shift(desk)
    return shift if shift is not None else shift_now(desk)


def shift_and_handover(shift_id: int) -> tuple[Shift, Handover | None]:
    """A shift by id (NotFound when there is none) and its handover, if given."""
    shift = _shift(shift_id)
    return shift, Handover.get_or_none(Handover.shift == shift_id)


def _shift(shift_id: int) -> Shift:
    shift = Shift.get_or_none(Shift.id == shift_id)
    if shift is None:
        raise NotFound("record.not_found", kind=t("kind.shift"), id=shift_id)
    return shift


def pending_handover(desk: Desk) -> Handover | None:
    """The oldest handover still waiting to be accepted."""
    return (Handover.select().join(Shift).where(Shift.state == "handed_over")
            .order_by(Shift.starts_at, Handover.id).first())


def items_of(handover_id: int) -> list[HandoverItem]:
    return list(HandoverItem.select().where(HandoverItem.handover == handover_id).order_by(HandoverItem.id))


def outgoing_logins(handover: Handover) -> set[str]:
    """Who handed over: the officers of the shift as frozen on the sheet."""
    return {handover.outgoing, *(handover.sheet or {}).get("outgoing_logins", [])}


def _check_incoming(desk: Desk, handover: Handover) -> None:
    """Only another duty officer than the outgoing may read back and accept,
    and only while the handover waits."""
    shift = handover.shift
    if handover.accepted_by or shift.state == "accepted":
        raise Refused("handover.already_accepted", shift=shift_label(shift),
                      name=officer_name(handover.accepted_by), at=fmt_dt(handover.accepted_at, desk.cfg))
    if shift.state != "handed_over":
        raise Refused("handover.not_handed_over", shift=shift_label(shift))
    _check_duty_officer(desk)
    if desk.actor in outgoing_logins(handover):
        raise Refused("handover.self", name=officer_name(desk.actor))


def read_back(desk: Desk, item_id: int, restated: str | None = None) -> HandoverItem:
    """The incoming officer confirms (``restated`` None) or restates the next
    action of one carried-over item."""
    with writing(desk, "read_back", "handover"):
        item = HandoverItem.get_or_none(HandoverItem.id == item_id)
        if item is None:
            raise NotFound("handover.item_not_found", id=item_id)
        _check_incoming(desk, item.handover)
        text = item.next_action if restated is None else required_line(restated, "restated", 400)
        old = {"item": item.id, "readback": item.readback, "read_back_by": item.read_back_by}
        item.readback, item.read_back_at, item.read_back_by = text, desk.now(), desk.actor
        item.save()
        audit.append(desk.now(), desk.actor, "read_back", "handover", item.__data__["handover"], old,
                     {"item": item.id, "readback": text, "read_back_by": desk.actor,
                      "restated": restated is not None})
    return item


def accept(desk: Desk, handover_id: int) -> Handover:
    """Accept a handover: only after every item was read back by the accepting
    officer, never twice, never before the previous shift was accepted."""
    with writing(desk, "accept", "handover", handover_id):
        handover = Handover.get_or_none(Handover.id == handover_id)
        if handover is None:
            raise NotFound("handover.not_found", id=handover_id)
        shift = handover.shift
        _check_incoming(desk, handover)
        previous = (Shift.select().where(Shift.starts_at < shift.starts_at)
                    .order_by(Shift.starts_at.desc()).first())
        if previous is not None and previous.state != "accepted":
            raise Refused("handover.previous_open", shift=shift_label(previous),
                          state=t(f"state.shift.{previous.state}"))
        items = items_of(handover.id)
        missing = [i for i in items if i.read_back_by != desk.actor]
        if missing:
            raise Refused("handover.readback_missing", count=len(missing), id=missing[0].id,
                          summary=missing[0].summary)
        # Ownership passes first, so the acceptance event can list what moved.
        leaving = outgoing_logins(handover)
        reason = t("handover.transfer_reason", shift=shift_label(shift), name=officer_name(desk.actor))
        moved = []
        for item in items:
            if item.open_kind == "custody":
                continue  # custody is confirmed, not owned
            record = get_record(item.item_kind, item.item_id)
            owner = record_owner(item.item_kind, record)
            if owner in leaving and owner != desk.actor and is_open(item.item_kind, record):
                transfer_ownership(desk, item.item_kind, item.item_id, desk.actor, reason, action="handover")
                moved.append([item.item_kind, item.item_id])
        now = desk.now()
        handover.accepted_by, handover.accepted_at = desk.actor, now
        handover.save()
        shift.state = "accepted"
        shift.save()
        audit.append(now, desk.actor, "accept", "shift", shift.id, {"state": "handed_over"}, {"state": "accepted"})
        audit.append(now, desk.actor, "accept", "handover", handover.id, {"accepted_by": None},
                     {"accepted_by": desk.actor, "accepted_at": audit._plain(now), "moved": moved})
    return handover


def moved_items(handover: Handover) -> list[tuple[str, int]]:
    """The (kind, id) of the items whose owner changed on acceptance, as the
    acceptance event in the audit trail records them."""
    import json

    from duty_desk.core.models import AuditEvent

    event = (AuditEvent.select(AuditEvent.new)
             .where((AuditEvent.kind == "handover") & (AuditEvent.record_id == handover.id)
                    & (AuditEvent.action == "accept") & (AuditEvent.outcome == "success"))
             .order_by(AuditEvent.id.desc()).first())
    return [(kind, item_id) for kind, item_id in json.loads(event.new).get("moved", [])] if event else []


def sheet_for(desk: Desk, shift_id: int | None = None) -> Sheet:
    """The sheet to show: the given shift's; else the handover waiting for
    acceptance; else the shift running now (without starting it)."""
    if shift_id is not None:
        return sheet_of(desk, _shift(shift_id))
    bring_quietly(desk)  # what hand_over will carry over (a reader brings nothing)
    pending = pending_handover(desk)
    if pending is not None:
        return sheet_of(desk, pending.shift)
    return sheet_of(desk, shift_now(desk))


def shift_now(desk: Desk) -> Shift:
    """The shift new records go to now; an unsaved one when nobody has used it
    yet, so looking at its sheet writes nothing."""
    slot, shift = recording_slot(desk)
    if shift is None:
        shift = Shift(duty_date=slot.duty_date, index=slot.index, name=slot.name, starts_at=slot.starts_at,
                      ends_at=slot.ends_at, officers=[], leaders=[o.name for o in desk_leaders(desk)],
                      state="open", started_at=desk.now(), started_by=desk.actor)
    return shift
