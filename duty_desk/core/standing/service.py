"""定时事项: writing standing orders and their occurrences.

Orders are kept by administrators (like the roster and the contact book):
adding, changing (in place, the old values in the audit event) and voiding
(with a reason; its occurrences still open are voided with it). Any officer
records an occurrence's result, which closes it.

``bring_due`` turns every occurrence whose time has come into an open item
(StandingItem), audited as the actor "system". It is called wherever open
items are read by a writer (the desk's escalation round, `check`, the
handover, `show open`, the `standing` commands), so an occurrence whose time
passed while no desk was open appears at the next of these with its real
time, overdue. It looks back at most CATCH_UP_DAYS days, and never before the
order was recorded or last changed (a changed time does not invent past
occurrences). Two desks bringing the same occurrence at once make one item:
the write re-reads under the write lock and the unique index (order, time)
refuses a second row, which is then skipped.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from peewee import DatabaseError, IntegrityError, fn

from duty_desk.core import audit, search
from duty_desk.core import db as store
from duty_desk.core.desk import Desk, check_actor
from duty_desk.core.dutytime import duty_date_of
from duty_desk.core.errors import InvalidInput, NotFound, Refused
from duty_desk.core.models import AuditEvent, Shift, StandingItem, StandingOrder
from duty_desk.core.services.common import (
    check_id,
    required_line,
    save_changes,
    void_record,
    writing,
)
from duty_desk.core.standing.rules import (
    check_fields,
    occurrences,
    office_calendar,
    parse_phrase,
    parse_season,
)

# How far back a desk that was closed brings missed occurrences.
CATCH_UP_DAYS = 7
# The fields an order is made of (what add and update take).
FIELDS = ("title", "at_time", "rule", "weekday", "monthday", "season_from", "season_to", "starts_on", "ends_on",
          "skip_holidays", "owner", "discharge", "window_minutes")
SYSTEM = "system"


def _admin(desk: Desk) -> None:
    check_actor(desk, "admin")


def _order(order_id: object) -> StandingOrder:
    check_id("standing_order", order_id)
    row = StandingOrder.get_or_none(StandingOrder.id == order_id)
    if row is None:
        raise NotFound("record.not_found", kind="standing_order", id=order_id)
    return row


def _owner(value: str | None) -> str | None:
    if value is None or not str(value).strip():
        return None
    from duty_desk.core.roster.service import resolve_person

    return resolve_person(str(value), "owner")


def order_fields(phrase: str | None = None, *, season: str | None = None, **given: Any) -> dict[str, Any]:
    """The fields of an order from a phrase and/or explicit values (explicit
    ones win; None means not given), before checking."""
    values: dict[str, Any] = {"rule": "daily", "window_minutes": 30}
    if phrase:
        values.update(parse_phrase(phrase))
    if season is not None:
        values["season_from"], values["season_to"] = parse_season(season)
    values.update({k: v for k, v in given.items() if v is not None and k in FIELDS})
    return values


def add_order(desk: Desk, phrase: str | None = None, *, season: str | None = None, **given: Any) -> StandingOrder:
    """A new standing order (administrators), from a phrase such as
    ``每日16:00 报雨情（6月1日至9月30日）`` and/or its fields."""
    with writing(desk, "create", "standing_order"):
        _admin(desk)
        values = check_fields(order_fields(phrase, season=season, **given))
        values["owner"] = _owner(values.get("owner"))
        order = StandingOrder.create(**{k: values.get(k) for k in FIELDS}, recorded_at=desk.now(),
                                     recorded_by=desk.actor)
        audit.append(desk.now(), desk.actor, "create", "standing_order", order.id, None, audit.snapshot(order))
    return order


def create_as_system(desk: Desk, phrase: str | None = None, **given: Any) -> StandingOrder:
    """An order written by the desk itself (the demo), without an administrator."""
    with desk.db.atomic(), search.writes(desk.db):
        values = check_fields(order_fields(phrase, **given))
        order = StandingOrder.create(**{k: values.get(k) for k in FIELDS}, recorded_at=desk.now(),
                                     recorded_by=SYSTEM)
        audit.append(desk.now(), SYSTEM, "create", "standing_order", order.id, None, audit.snapshot(order))
    return order


def update_order(desk: Desk, order_id: int, *, season: str | None = None, **changes: Any) -> StandingOrder:
    """Change an order in place (administrators); the audit event keeps the
    old values. Occurrences already brought keep their time and title."""
    with writing(desk, "update", "standing_order", order_id):
        _admin(desk)
        order = _order(order_id)
        if order.voided_at is not None:
            raise Refused("record.voided", kind="standing_order", id=order_id)
        before = audit.snapshot(order)
        values = {k: getattr(order, k) for k in FIELDS}
        if season is not None:
            values["season_from"], values["season_to"] = parse_season(season)
        values.update({k: v for k, v in changes.items() if v is not None and k in FIELDS})
        if changes.get("owner") == "":
            values["owner"] = None  # back to the officer on duty
        values = check_fields(values)
        values["owner"] = _owner(values.get("owner"))
        for k in FIELDS:
            setattr(order, k, values.get(k))
        old, new = save_changes(order, before)
        if not new:
            raise InvalidInput("correct.nothing", field=None)
        audit.append(desk.now(), desk.actor, "update", "standing_order", order.id, old, new)
    return order


def void_order(desk: Desk, order_id: int, reason: str) -> StandingOrder:
    """Void a standing order with a reason (administrators): no occurrence
    follows, and those still open are voided with the same reason."""
    with writing(desk, "void", "standing_order", order_id):
        _admin(desk)
        _order(order_id)
        order = void_record(desk, "standing_order", order_id, reason)
        for item in StandingItem.select().where((StandingItem.order == order.id) & StandingItem.closed_at.is_null()
                                                & StandingItem.voided_at.is_null()):
            void_record(desk, "standing", item.id, reason)
    return order


def record_result(desk: Desk, item_id: int, result: str) -> StandingItem:
    """Record what was done for one occurrence; this closes it. A second
    result, or one on a voided occurrence, is refused."""
    with writing(desk, "result", "standing", item_id):
        check_id("standing", item_id)
        item = StandingItem.get_or_none(StandingItem.id == item_id)
        if item is None:
            raise NotFound("record.not_found", kind="standing", id=item_id)
        if item.voided_at is not None:
            raise Refused("record.voided", kind="standing", id=item_id)
        if item.closed_at is not None:
            from duty_desk.core.dutytime import fmt_dt

            raise Refused("standing.result_given", id=item_id, at=fmt_dt(item.closed_at, desk.cfg))
        text = required_line(result, "result", 2000)
        before = audit.snapshot(item)
        item.result, item.closed_at = text, desk.now()
        old, new = save_changes(item, before)
        audit.append(desk.now(), desk.actor, "result", "standing", item.id, old, new)
    return item


# --- bringing occurrences ----------------------------------------------------------


def live_orders() -> list[StandingOrder]:
    # ``id > 0`` reads the few orders an office keeps by their key; voided ones
    # stay in the table for good, so the filter is on the rows read.
    return list(StandingOrder.select().where((StandingOrder.id > 0) & StandingOrder.voided_at.is_null())
                .order_by(StandingOrder.at_time, StandingOrder.id))


def _last_changed(ids: list[int]) -> dict[int, datetime]:
    """When each order was last changed, from its update events."""
    rows = (AuditEvent.select(AuditEvent.record_id, fn.MAX(AuditEvent.at))
            .where((AuditEvent.kind == "standing_order") & AuditEvent.record_id.in_(ids)
                   & (AuditEvent.action == "update") & (AuditEvent.outcome == "success"))
            .group_by(AuditEvent.record_id).tuples())
    out = {}
    for record_id, at in rows:
        out[record_id] = AuditEvent.at.python_value(at) if isinstance(at, str) else at
    return out


def due_occurrences(desk: Desk, orders: list[StandingOrder] | None = None) -> list[tuple[StandingOrder, datetime]]:
    """Every occurrence whose time has come within the catch-up window, brought or not."""
    now = desk.now()
    orders = live_orders() if orders is None else orders
    if not orders:
        return []
    changed = _last_changed([o.id for o in orders])
    calendar = office_calendar(desk.cfg)
    out = []
    for order in orders:
        floor = max(order.recorded_at, changed.get(order.id, order.recorded_at), now - timedelta(days=CATCH_UP_DAYS))
        out += [(order, at) for at in occurrences(order, floor, now, desk.cfg, calendar)]
    return out


def _brought(wanted: list[tuple[StandingOrder, datetime]]) -> set[tuple[int, datetime]]:
    """Of the wanted occurrences, those already brought (one indexed query)."""
    if not wanted:
        return set()
    earliest = min(at for _, at in wanted)
    rows = (StandingItem.select(StandingItem.order, StandingItem.scheduled_at)
            .where(StandingItem.order.in_(sorted({o.id for o, _ in wanted}))
                   & (StandingItem.scheduled_at >= earliest)).tuples())
    return {(order_id, at) for order_id, at in rows}


def owner_at(desk: Desk, order: StandingOrder, at: datetime) -> str:
    """Whose an occurrence is: the order's owner; else the officer rostered
    at its time; else an officer of the shift running then; else whoever
    brings it."""
    if order.owner:
        return order.owner
    from duty_desk.core.roster.view import duty_at

    duty = duty_at(at, desk.cfg)
    if duty.officers:
        return duty.officers[0]
    shift = _shift_at(at)
    if shift is not None and shift.officers:
        return shift.officers[0]
    return desk.actor


def _shift_at(at: datetime) -> Shift | None:
    return (Shift.select().where((Shift.starts_at <= at) & (Shift.ends_at > at))
            .order_by(Shift.starts_at.desc(), Shift.part.desc()).first())


def bring_due(desk: Desk) -> list[StandingItem]:
    """Make every occurrence whose time has come an open item, once. Returns
    the items made now (none on a read-only store: readers never write)."""
    if store.is_reader(desk.db):
        return []
    wanted = due_occurrences(desk)
    brought = _brought(wanted)
    missing = [(o, at) for o, at in wanted if (o.id, at) not in brought]
    if not missing:
        return []  # the usual case: nothing new, nothing written
    now = desk.now()
    made: list[StandingItem] = []
    with desk.db.atomic(), search.writes(desk.db):
        brought = _brought(missing)  # again under the write lock: another desk may have brought them
        for order, at in missing:
            if (order.id, at) in brought:
                continue
            shift = _shift_at(at)
            try:
                with desk.db.atomic():
                    item = StandingItem.create(
                        order=order.id, title=order.title, scheduled_at=at,
                        due_at=at + timedelta(minutes=order.window_minutes), owner=owner_at(desk, order, at),
                        shift=shift.id if shift is not None else None, duty_date=duty_date_of(at, desk.cfg),
                        recorded_at=now, recorded_by=SYSTEM)
            except IntegrityError:
                continue  # brought by another session in the meantime
            audit.append(now, SYSTEM, "create", "standing", item.id, None, audit.snapshot(item))
            made.append(item)
    return made


def needs_bringing(desk: Desk) -> bool:
    """Whether an occurrence's time has come and it is not an open item yet
    (reads only: a reader of open items opens the store for writing only then)."""
    wanted = due_occurrences(desk)
    if not wanted:
        return False
    brought = _brought(wanted)
    return any((o.id, at) not in brought for o, at in wanted)


def bring_quietly(desk: Desk) -> list[StandingItem]:
    """bring_due for a reader of open items: a store that cannot be written
    now (busy, read-only media) only means the occurrences come next time."""
    from duty_desk.core.errors import DeskError

    try:
        return bring_due(desk)
    except (DeskError, DatabaseError):
        return []


def items_between(first: date, last: date) -> list[StandingItem]:
    """Occurrences of the duty days ``first`` .. ``last``, by time."""
    return list(StandingItem.select().where((StandingItem.duty_date >= first) & (StandingItem.duty_date <= last))
                .order_by(StandingItem.scheduled_at, StandingItem.id))
