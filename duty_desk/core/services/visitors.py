"""来访: visitors, from arrival to leaving. ID numbers are checked and only
their masked form is kept."""

from __future__ import annotations

from datetime import date, datetime

from duty_desk.core import audit
from duty_desk.core.desk import Desk
from duty_desk.core.errors import InvalidInput, Refused
from duty_desk.core.idcard import RESIDENT_ID, mask_id, validate_resident_id
from duty_desk.core.kinds import live
from duty_desk.core.models import VISITOR_OPEN_STATES, Visitor
from duty_desk.core.services.common import (
    current_shift,
    get_record,
    optional_line,
    optional_text,
    required_line,
    save_changes,
    when,
    writing,
)

STATES = ("waiting", "receiving", "left")
ID_TYPES = (RESIDENT_ID, "护照", "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "其他")


def register_visitor(
    desk: Desk,
    name: str,
    *,
    unit: str = "",
    phone: str = "",
    id_number: str = "",
    id_type: str = RESIDENT_ID,
    purpose: str = "",
    host: str = "",
    party_size: int | str = 1,
    arrived_at: datetime | str | None = None,
) -> Visitor:
    """Register a visitor at the gate (state: waiting)."""
    with writing(desk, "create", "visitor"):
        name = required_line(name, "name", 60)
        if id_type not in ID_TYPES:
            raise InvalidInput("visitor.id_type", field="id_type", choices=" ".join(ID_TYPES))
        masked = ""
        if id_number and id_number.strip():
            number = validate_resident_id(id_number) if id_type == RESIDENT_ID else required_line(id_number, "id_number", 30)
            masked = mask_id(number)
        try:
            size = int(party_size)
        except (TypeError, ValueError):
            raise InvalidInput("visitor.party_size", field="party_size") from None
        if not 1 <= size <= 500:
            raise InvalidInput("visitor.party_size", field="party_size")
        shift = current_shift(desk)
        visitor = Visitor.create(
            shift=shift, duty_date=shift.duty_date, recorded_at=desk.now(), recorded_by=desk.actor,
            name=name, unit=optional_line(unit, "unit"), phone=optional_line(phone, "phone", 40),
            id_type=id_type if masked else "", id_masked=masked,
            purpose=optional_text(purpose, "purpose"), host=optional_line(host, "host"),
            party_size=size, arrived_at=when(desk, arrived_at, "arrived_at"), state="waiting",
            owner=desk.actor,
        )
        audit.append(desk.now(), desk.actor, "create", "visitor", visitor.id, None, audit.snapshot(visitor))
    return visitor


def _change(desk: Desk, visitor: Visitor, action: str, **fields: object) -> Visitor:
    before = audit.snapshot(visitor)
    for k, v in fields.items():
        setattr(visitor, k, v)
    old, new = save_changes(visitor, before)
    audit.append(desk.now(), desk.actor, action, "visitor", visitor.id, old, new)
    return visitor


def _live_visitor(visitor_id: int) -> Visitor:
    visitor = get_record("visitor", visitor_id)
    if visitor.voided_at is not None:
        raise Refused("record.voided", kind="visitor", id=visitor_id)
    return visitor


def start_reception(desk: Desk, visitor_id: int, received_by: str = "",
                    at: datetime | str | None = None) -> Visitor:
    """The visitor is being received (by a person or office), now or at ``at``."""
    with writing(desk, "receive", "visitor", visitor_id):
        visitor = _live_visitor(visitor_id)
        if visitor.state != "waiting":
            raise Refused("visitor.not_waiting", name=visitor.name)
        moment = when(desk, at, "reception_at")
        if visitor.arrived_at and moment < visitor.arrived_at:
            raise InvalidInput("visitor.received_before_arrival", field="reception_at")
        by = optional_line(received_by, "received_by") or visitor.host
        return _change(desk, visitor, "receive", state="receiving", reception_at=moment, received_by=by)


def check_out(desk: Desk, visitor_id: int, result: str = "", left_at: datetime | str | None = None) -> Visitor:
    """The visitor left the premises."""
    with writing(desk, "check_out", "visitor", visitor_id):
        visitor = _live_visitor(visitor_id)
        if visitor.state == "left":
            raise Refused("visitor.already_left", name=visitor.name)
        at = when(desk, left_at, "left_at")
        if visitor.arrived_at and at < visitor.arrived_at:
            raise InvalidInput("visitor.left_before_arrival", field="left_at")
        return _change(desk, visitor, "check_out", state="left", left_at=at,
                       result=optional_text(result, "result") or visitor.result)


def visitors_of_day_query(day: date):
    """The query of visitors_of_day (a test asks SQLite for its plan). Both
    sides of the OR name an indexed column with equality, so SQLite serves
    each by its index; ``state != 'left'`` read every visitor of the years."""
    return (Visitor.select()
            .where(((Visitor.duty_date == day) | Visitor.state.in_(VISITOR_OPEN_STATES)) & live(Visitor))
            .order_by(Visitor.arrived_at, Visitor.id))


def visitors_of_day(day: date) -> list[Visitor]:
    """The day's visitors plus anyone from earlier still on the premises."""
    return list(visitors_of_day_query(day))


def on_premises() -> list[Visitor]:
    return list(Visitor.select().where(Visitor.state.in_(VISITOR_OPEN_STATES) & live(Visitor))
                .order_by(Visitor.arrived_at))
