"""Writing the roster: planning a month, publishing it, setting a slot,
swaps and cover, leave. Every write is audited; a published day changes only
by amendment (a new entry beside the old one, with its reason)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from duty_desk.core import audit
from duty_desk.core.desk import Desk, check_actor, together
from duty_desk.core.dutytime import duty_day_bounds, shift_slots
from duty_desk.core.errors import InvalidInput, NotFound, Refused
from duty_desk.core.i18n import t
from duty_desk.core.models import Leave, Officer, RosterEntry, RosterMonth, RosterSwap
from duty_desk.core.roster.calendar import mark, marks
from duty_desk.core.roster.plan import Plan, Tally, night_slots, plan
from duty_desk.core.roster.view import live_entries, month_key, month_state, parse_month
from duty_desk.core.services.common import (
    optional_text,
    required_line,
    save_changes,
    void_record,
    writing,
)

# Who may stand in which list of a slot.
OFFICER_ROLES = ("officer", "admin")
LEADER_ROLES = ("leader", "admin")
LISTS = ("officers", "leaders", "standby")


def resolve_person(text: str, field: str = "login", roles: tuple[str, ...] | None = None) -> str:
    """A login from what was typed: the login itself, or a name only one
    active officer has."""
    value = (text or "").strip()
    row = Officer.get_or_none(Officer.login == value)
    if row is None:
        named = list(Officer.select().where((Officer.name == value) & Officer.active))
        if len(named) > 1:
            raise InvalidInput("roster.name_ambiguous", field=field, name=value,
                               logins=" ".join(o.login for o in named))
        row = named[0] if named else None
    if row is None:
        raise NotFound("roster.no_such_person", field=field, who=value)
    if not row.active:
        raise Refused("roster.inactive", field=field, name=row.name, login=row.login)
    if roles and row.role not in roles:
        raise InvalidInput(f"roster.wrong_role.{field}", field=field, name=row.name, login=row.login)
    return row.login


def _people(values: Iterable[str], field: str, roles: tuple[str, ...] | None) -> list[str]:
    out: list[str] = []
    for v in values:
        if not (v or "").strip():
            continue
        login = resolve_person(v, field, roles)
        if login not in out:
            out.append(login)
    return out


def _slot(day: date, slot: int, desk: Desk) -> int:
    if not isinstance(slot, int) or not 0 <= slot < len(desk.cfg.shifts):
        raise InvalidInput("roster.bad_slot", field="slot", slot=slot, count=len(desk.cfg.shifts))
    return slot


def _day_begun(desk: Desk, day: date) -> bool:
    return duty_day_bounds(day, desk.cfg)[0] <= desk.now()


def _slot_ended(desk: Desk, day: date, slot: int) -> bool:
    return shift_slots(day, desk.cfg)[slot].ends_at <= desk.now()


# --- the entries of a month --------------------------------------------------------


def _month_for(desk: Desk, day: date) -> RosterMonth:
    """The day's month, created as a draft when nobody planned it yet."""
    key = month_key(day)
    row = month_state(key)
    if row is None:
        row = RosterMonth.create(month=key, state="draft", planned_at=desk.now(), planned_by=desk.actor)
        audit.append(desk.now(), desk.actor, "create", "roster_month", row.id, None, audit.snapshot(row))
    return row


def _change_entry(desk: Desk, day: date, slot: int, values: dict[str, Any], reason: str = "",
                  swap: int | None = None) -> RosterEntry | None:
    """Put ``values`` (officers, leaders, standby, note) on a slot, inside the
    caller's transaction. On a draft month, before its day begins, the entry
    is changed in place (its audit event keeps the old values); on a published
    month or a day that has begun, a new entry amends it, with a reason. None
    when nothing would change."""
    month = _month_for(desk, day)
    old = live_entries(day, day).get((day, slot))
    current = {k: (list(getattr(old, k)) if k != "note" else old.note) for k in (*LISTS, "note")} if old else \
        {"officers": [], "leaders": [], "standby": [], "note": ""}
    wanted = {**current, **values}
    if old is not None and wanted == current:
        return None
    if old is None and not any(wanted[k] for k in (*LISTS, "note")):
        return None
    now = desk.now()
    # A published month, or a day that has begun, is never overwritten: a
    # new version amends it, with its reason.
    if month.state == "published" or (old is not None and _day_begun(desk, day)):
        if not reason:
            raise InvalidInput("roster.reason_required", field="reason", day=day.isoformat())
        row = RosterEntry.create(duty_date=day, slot=slot, **wanted, swap=swap, reason=reason,
                                 recorded_at=now, recorded_by=desk.actor, amends=old.id if old else None)
        if old is not None:
            audit.append(now, desk.actor, "amend", "roster", row.id, {"amends": old.id}, audit.snapshot(row))
        else:
            audit.append(now, desk.actor, "create", "roster", row.id, None, audit.snapshot(row))
        return row
    if old is None:
        row = RosterEntry.create(duty_date=day, slot=slot, **wanted, swap=swap, reason=reason,
                                 recorded_at=now, recorded_by=desk.actor)
        audit.append(now, desk.actor, "create", "roster", row.id, None, audit.snapshot(row))
        return row
    before = audit.snapshot(old)
    for k, v in wanted.items():
        setattr(old, k, v)
    old.swap, old.reason = swap, reason
    changed_old, changed_new = save_changes(old, before)
    audit.append(now, desk.actor, "update", "roster", old.id, changed_old, changed_new)
    return old


def set_duty(desk: Desk, day: date, slot: int = 0, *, officers: list[str] | None = None,
             leaders: list[str] | None = None, standby: list[str] | None = None, note: str | None = None,
             reason: str = "") -> RosterEntry | None:
    """Set who is on duty in one slot (administrators). The lists name
    people by login or by name; a list not given stays as it is."""
    with writing(desk, "update", "roster", None), _admin(desk):
        slot = _slot(day, slot, desk)
        values: dict[str, Any] = {}
        if officers is not None:
            values["officers"] = _people(officers, "officers", OFFICER_ROLES)
        if leaders is not None:
            values["leaders"] = _people(leaders, "leaders", LEADER_ROLES)
        if standby is not None:
            values["standby"] = _people(standby, "standby", None)
        if note is not None:
            values["note"] = optional_text(note, "note", 200)
        reason = optional_text(reason, "reason", 200)
        return _change_entry(desk, day, slot, values, reason)


def void_entry(desk: Desk, entry_id: int, reason: str) -> RosterEntry:
    """Void one version of a slot's entry (the version before it is in force again)."""
    return _void(desk, "roster", entry_id, reason)


def _void(desk: Desk, kind: str, record_id: int, reason: str):
    """Void a roster record with a reason (administrators): the desk's own
    void (services.common.void_record), behind the administrator's check."""
    with writing(desk, "void", kind, record_id), _admin(desk):
        return void_record(desk, kind, record_id, reason)


class _admin:
    """Inside ``writing``: the actor must be an administrator (the roster keeper)."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def __enter__(self) -> None:
        check_actor(self.desk, "admin")

    def __exit__(self, *exc: Any) -> None:
        return None


# --- planning and publishing -------------------------------------------------------


@dataclass
class PlanOutcome:
    month: str
    plan: Plan
    replaced: bool  # an earlier draft of the month was planned again


def _ordered(roles: tuple[str, ...]) -> list[str]:
    return [o.login for o in Officer.select().where(Officer.active & Officer.role.in_(roles)).order_by(Officer.id)]


def _tallies(first: date, cfg, officers: list[str], leaders: list[str]) -> tuple[Tally, Tally]:
    """What each did from the start of the year to the day before ``first``."""
    officer_tally, leader_tally = Tally(), Tally()
    start = date(first.year, 1, 1)
    if first > start:
        before = live_entries(start, first - timedelta(days=1))
        nights = night_slots(cfg)
        day_marks = {m.day: m for m in marks(start, first - timedelta(days=1), cfg)}
        seen_leaders: set[tuple[date, str]] = set()
        last_officer = None
        for (day, slot), entry in sorted(before.items(), key=lambda kv: kv[0]):
            m = day_marks[day]
            for login in entry.officers:
                officer_tally.add(login, m, slot in nights)
                last_officer = login
            for login in entry.leaders:
                if (day, login) not in seen_leaders:
                    seen_leaders.add((day, login))
                    leader_tally.add(login, m, False)
        if last_officer in officers:
            officer_tally.pointer = (officers.index(last_officer) + 1) % len(officers)
    return officer_tally, leader_tally


def _away(first: date, last: date) -> dict[str, set[date]]:
    away: dict[str, set[date]] = {}
    rows = Leave.select().where((Leave.starts_on <= last) & (Leave.ends_on >= first) & Leave.voided_at.is_null())
    for row in rows:
        d = max(row.starts_on, first)
        while d <= min(row.ends_on, last):
            away.setdefault(row.login, set()).add(d)
            d += timedelta(days=1)
    return away


def plan_month(desk: Desk, month: str) -> PlanOutcome:
    """Fill a month by rotation as a draft (administrators). A draft planned
    before is planned again; a published month is refused."""
    first, last = parse_month(month)
    key = month_key(first)
    with writing(desk, "plan", "roster_month", None), _admin(desk):
        row = month_state(key)
        if row is not None and row.state == "published":
            raise Refused("roster.already_published", month=key)
        replaced = row is not None
        officers, leaders = _ordered(OFFICER_ROLES[:1]), _ordered(LEADER_ROLES[:1])
        if not officers:
            raise Refused("roster.no_officers")
        if not leaders:
            raise Refused("roster.no_leaders")
        officer_tally, leader_tally = _tallies(first, desk.cfg, officers, leaders)
        result = plan(marks(first, last, desk.cfg), desk.cfg, officers, leaders, _away(first, last),
                      officer_tally, leader_tally)
        month_row = _month_for(desk, first)
        if replaced:
            before = audit.snapshot(month_row)
            month_row.planned_at, month_row.planned_by = desk.now(), desk.actor
            old, new = save_changes(month_row, before)
            audit.append(desk.now(), desk.actor, "plan", "roster_month", month_row.id, old, new)
        existing = live_entries(first, last)
        for (day, slot), (officers_on, leaders_on) in sorted(result.slots.items()):
            if (day, slot) in existing and _day_begun(desk, day):
                continue  # a day that has begun keeps its entry: planning again is for the days ahead
            _change_entry(desk, day, slot, {"officers": officers_on, "leaders": leaders_on})
    return PlanOutcome(key, result, replaced)


def publish_month(desk: Desk, month: str) -> RosterMonth:
    first, _ = parse_month(month)
    key = month_key(first)
    with writing(desk, "publish", "roster_month", None), _admin(desk):
        row = month_state(key)
        if row is None:
            raise Refused("roster.nothing_planned", month=key)
        if row.state == "published":
            raise Refused("roster.already_published", month=key)
        before = audit.snapshot(row)
        row.state, row.published_at, row.published_by = "published", desk.now(), desk.actor
        old, new = save_changes(row, before)
        audit.append(desk.now(), desk.actor, "publish", "roster_month", row.id, old, new)
    return row


# --- swaps and cover ---------------------------------------------------------------


def _entry_lists(day: date, slot: int) -> dict[str, list[str]]:
    entry = live_entries(day, day).get((day, slot))
    return {k: list(getattr(entry, k)) if entry else [] for k in LISTS}


def _holds(lists: dict[str, list[str]], login: str) -> str | None:
    return next((k for k in LISTS if login in lists[k]), None)


def _replace(lists: dict[str, list[str]], out: str, inn: str) -> dict[str, list[str]]:
    which = _holds(lists, out)
    assert which is not None
    return {which: [inn if x == out else x for x in lists[which]]}


def request_swap(desk: Desk, day: date, slot: int, with_login: str, reason: str,
                 back_day: date | None = None, back_slot: int = 0) -> RosterSwap:
    """An officer asks a colleague to take their duty (and, given
    ``back_day``, to give theirs of that day in return)."""
    with writing(desk, "create", "swap", None):
        slot = _slot(day, slot, desk)
        reason = required_line(reason, "reason", 200)
        me = desk.actor
        lists = _entry_lists(day, slot)
        if _holds(lists, me) is None:
            raise Refused("swap.not_yours", day=day.isoformat(), slot=desk.cfg.shifts[slot].name)
        if _slot_ended(desk, day, slot):
            raise Refused("swap.past", day=day.isoformat())
        other = resolve_person(with_login, "with")
        if other == me:
            raise InvalidInput("swap.self", field="with")
        if _holds(lists, other) is not None:
            raise Refused("swap.already_on", name=_name(other), day=day.isoformat())
        if back_day is not None:
            back_slot = _slot(back_day, back_slot, desk)
            back = _entry_lists(back_day, back_slot)
            if _holds(back, other) is None:
                raise Refused("swap.back_not_theirs", name=_name(other), day=back_day.isoformat())
            if _holds(back, me) is not None:
                raise Refused("swap.already_on", name=_name(me), day=back_day.isoformat())
            if _slot_ended(desk, back_day, back_slot):
                raise Refused("swap.past", day=back_day.isoformat())
        pending = RosterSwap.select().where((RosterSwap.duty_date == day) & (RosterSwap.slot == slot)
                                            & (RosterSwap.from_login == me)
                                            & RosterSwap.state.in_(("requested", "accepted")))
        if pending.exists():
            raise Refused("swap.pending", id=pending.first().id)
        row = RosterSwap.create(kind="swap", duty_date=day, slot=slot, from_login=me, to_login=other,
                                back_date=back_day, back_slot=back_slot if back_day else None, reason=reason,
                                state="requested", requested_at=desk.now(), requested_by=me)
        audit.append(desk.now(), me, "create", "swap", row.id, None, audit.snapshot(row))
    return row


def _swap(swap_id: int) -> RosterSwap:
    row = RosterSwap.get_or_none(RosterSwap.id == swap_id)
    if row is None:
        raise NotFound("record.not_found", kind="swap", id=swap_id)
    return row


def _name(login: str) -> str:
    from duty_desk.core.officer_names import officer_name

    return officer_name(login)


def _apply(desk: Desk, row: RosterSwap) -> None:
    """Put the swap on the roster (inside the caller's transaction)."""
    lists = _entry_lists(row.duty_date, row.slot)
    if _holds(lists, row.from_login) is None or _holds(lists, row.to_login) is not None:
        raise Refused("swap.roster_changed", id=row.id, day=row.duty_date.isoformat())
    _change_entry(desk, row.duty_date, row.slot, _replace(lists, row.from_login, row.to_login), row.reason, row.id)
    if row.back_date is not None:
        back = _entry_lists(row.back_date, row.back_slot)
        if _holds(back, row.to_login) is None or _holds(back, row.from_login) is not None:
            raise Refused("swap.roster_changed", id=row.id, day=row.back_date.isoformat())
        _change_entry(desk, row.back_date, row.back_slot, _replace(back, row.to_login, row.from_login),
                      row.reason, row.id)


def _step(desk: Desk, row: RosterSwap, action: str, **values: Any) -> RosterSwap:
    before = audit.snapshot(row)
    for k, v in values.items():
        setattr(row, k, v)
    old, new = save_changes(row, before)
    audit.append(desk.now(), desk.actor, action, "swap", row.id, old, new)
    return row


def accept_swap(desk: Desk, swap_id: int) -> RosterSwap:
    """The colleague agrees. Without [roster] swap_approval it takes effect now."""
    with writing(desk, "accept", "swap", swap_id):
        row = _swap(swap_id)
        if row.to_login != desk.actor:
            raise Refused("swap.not_asked", id=row.id, name=_name(row.to_login))
        if row.state != "requested":
            raise Refused("swap.wrong_state", id=row.id, state=t(f"state.swap.{row.state}"))
        if _slot_ended(desk, row.duty_date, row.slot):
            raise Refused("swap.past", day=row.duty_date.isoformat())
        if desk.cfg.roster.swap_approval:
            return _step(desk, row, "accept", state="accepted", accepted_at=desk.now())
        _apply(desk, row)
        return _step(desk, row, "accept", state="approved", accepted_at=desk.now(), decided_at=desk.now())


def _decider(desk: Desk, row: RosterSwap) -> None:
    me = check_actor(desk)
    if me.role not in ("admin", "leader"):
        raise Refused("swap.needs_approver")
    if desk.actor in (row.from_login, row.to_login):
        raise Refused("swap.own", id=row.id)


def approve_swap(desk: Desk, swap_id: int, note: str = "") -> RosterSwap:
    """An administrator or a leader approves an accepted swap: it takes effect."""
    with writing(desk, "approve", "swap", swap_id):
        row = _swap(swap_id)
        _decider(desk, row)
        if row.state != "accepted":
            raise Refused("swap.wrong_state", id=row.id, state=t(f"state.swap.{row.state}"))
        if _slot_ended(desk, row.duty_date, row.slot):
            raise Refused("swap.past", day=row.duty_date.isoformat())
        note = optional_text(note, "note", 200)
        _apply(desk, row)
        return _step(desk, row, "approve", state="approved", decided_at=desk.now(), decided_by=desk.actor,
                     decision_note=note)


def refuse_swap(desk: Desk, swap_id: int, note: str) -> RosterSwap:
    """The colleague declines a request, or an approver refuses it."""
    with writing(desk, "refuse", "swap", swap_id):
        row = _swap(swap_id)
        if row.state not in ("requested", "accepted"):
            raise Refused("swap.wrong_state", id=row.id, state=t(f"state.swap.{row.state}"))
        if not (desk.actor == row.to_login and row.state == "requested"):
            _decider(desk, row)
        note = required_line(note, "reason", 200)
        return _step(desk, row, "refuse", state="refused", decided_at=desk.now(), decided_by=desk.actor,
                     decision_note=note)


def withdraw_swap(desk: Desk, swap_id: int) -> RosterSwap:
    with writing(desk, "withdraw", "swap", swap_id):
        row = _swap(swap_id)
        if row.requested_by != desk.actor:
            raise Refused("swap.not_yours_to_withdraw", id=row.id)
        if row.state not in ("requested", "accepted"):
            raise Refused("swap.wrong_state", id=row.id, state=t(f"state.swap.{row.state}"))
        return _step(desk, row, "withdraw", state="withdrawn", decided_at=desk.now(), decided_by=desk.actor)


def cover(desk: Desk, day: date, slot: int, absent: str, with_login: str, reason: str) -> RosterSwap:
    """Emergency cover (替班) set by an administrator: effective at once."""
    with writing(desk, "create", "swap", None), _admin(desk):
        slot = _slot(day, slot, desk)
        reason = required_line(reason, "reason", 200)
        out = resolve_person(absent, "absent")
        inn = resolve_person(with_login, "with")
        lists = _entry_lists(day, slot)
        if _holds(lists, out) is None:
            raise Refused("swap.not_on", name=_name(out), day=day.isoformat())
        if _holds(lists, inn) is not None:
            raise Refused("swap.already_on", name=_name(inn), day=day.isoformat())
        now = desk.now()
        row = RosterSwap.create(kind="cover", duty_date=day, slot=slot, from_login=out, to_login=inn,
                                reason=reason, state="approved", requested_at=now, requested_by=desk.actor,
                                decided_at=now, decided_by=desk.actor)
        audit.append(now, desk.actor, "create", "swap", row.id, None, audit.snapshot(row))
        _apply(desk, row)
    return row


# --- leave -------------------------------------------------------------------------


def add_leave(desk: Desk, login: str, first: date, last: date, reason: str) -> Leave:
    """Someone is not to be rostered from ``first`` to ``last`` (administrators)."""
    with writing(desk, "create", "leave", None), _admin(desk):
        who = resolve_person(login, "login")
        if last < first:
            raise InvalidInput("leave.bad_range", field="until", first=first.isoformat(), last=last.isoformat())
        if (last - first).days > 366:
            raise InvalidInput("leave.too_long", field="until")
        reason = required_line(reason, "reason", 200)
        row = Leave.create(login=who, starts_on=first, ends_on=last, reason=reason, recorded_at=desk.now(),
                           recorded_by=desk.actor)
        audit.append(desk.now(), desk.actor, "create", "leave", row.id, None, audit.snapshot(row))
    return row


def void_leave(desk: Desk, leave_id: int, reason: str) -> Leave:
    return _void(desk, "leave", leave_id, reason)


def set_many(desk: Desk, rows: list[dict[str, Any]], reason: str = "") -> int:
    """Several slots at once, all or none (an import): each row has ``day``,
    ``slot`` and any of the lists and ``note``. Returns how many changed."""
    changed = 0
    with together(desk):
        for row in rows:
            values = {k: row[k] for k in (*LISTS, "note") if k in row}
            if set_duty(desk, row["day"], row.get("slot", 0), reason=reason, **values) is not None:
                changed += 1
    return changed


def needs(day: date, desk: Desk) -> int:
    return mark(day, desk.cfg).leaders_needed
