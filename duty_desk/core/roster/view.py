"""Reading the roster: who is on duty in a slot, a month as rows of days,
the people it names. Nothing here writes."""

from __future__ import annotations

import calendar as _cal
from dataclasses import dataclass, field
from datetime import date, datetime

from duty_desk.core.config import Config
from duty_desk.core.dutytime import shift_slot_at
from duty_desk.core.errors import InvalidInput
from duty_desk.core.kinds.base import live
from duty_desk.core.models import Leave, Officer, RosterEntry, RosterMonth, RosterSwap
from duty_desk.core.roster.calendar import DayMark, marks


def parse_month(text: str) -> tuple[date, date]:
    """``2026-10`` -> (first day, last day); InvalidInput otherwise."""
    value = (text or "").strip().replace("/", "-").replace("年", "-").rstrip("月")
    try:
        year, month = (int(p) for p in value.split("-"))
        first = date(year, month, 1)
    except (ValueError, TypeError):
        raise InvalidInput("roster.bad_month", field="month", month=text) from None
    if not 2000 <= year <= 2100:
        raise InvalidInput("roster.bad_month", field="month", month=text)
    return first, date(year, month, _cal.monthrange(year, month)[1])


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


@dataclass(frozen=True)
class Person:
    login: str
    name: str
    role: str
    phone: str
    active: bool


def people() -> dict[str, Person]:
    """Every officer by login (one query)."""
    return {o.login: Person(o.login, o.name, o.role, o.phone, o.active) for o in Officer.select()}


@dataclass(frozen=True)
class SlotDuty:
    day: date
    slot: int
    slot_name: str
    officers: tuple[str, ...] = ()
    leaders: tuple[str, ...] = ()
    standby: tuple[str, ...] = ()
    note: str = ""
    entry_id: int | None = None
    swapped: bool = False  # this version was made by a swap or cover
    amended: bool = False  # this version replaced an earlier one of a published day

    @property
    def empty(self) -> bool:
        return not self.officers


@dataclass
class RosterDay:
    mark: DayMark
    slots: list[SlotDuty] = field(default_factory=list)

    @property
    def leaders(self) -> tuple[str, ...]:
        """The day's leaders on duty (every slot's, once each)."""
        return tuple(dict.fromkeys(lg for s in self.slots for lg in s.leaders))


@dataclass
class MonthRoster:
    month: str
    first: date
    last: date
    state: str  # "" (nothing planned) | draft | published
    days: list[RosterDay]
    people: dict[str, Person]
    published_at: datetime | None = None
    published_by: str = ""

    def name(self, login: str) -> str:
        person = self.people.get(login)
        if person is None and login == "system":
            from duty_desk.core.i18n import t

            return t("hist.system")  # the demo's roster, written by the desk itself
        return person.name if person else login


def live_entries(first: date, last: date) -> dict[tuple[date, int], RosterEntry]:
    """The entry in force of every (duty day, slot) between two dates."""
    rows = (RosterEntry.select()
            .where((RosterEntry.duty_date >= first) & (RosterEntry.duty_date <= last) & live(RosterEntry))
            .order_by(RosterEntry.id))
    return {(r.duty_date, r.slot): r for r in rows}


def slot_duty(entry: RosterEntry | None, day: date, slot: int, cfg: Config) -> SlotDuty:
    name = cfg.shifts[slot].name if slot < len(cfg.shifts) else f"#{slot + 1}"
    if entry is None:
        return SlotDuty(day, slot, name)
    return SlotDuty(day, slot, name, tuple(entry.officers), tuple(entry.leaders), tuple(entry.standby),
                    entry.note, entry.id, entry.swap is not None, entry.__data__.get("amends") is not None)


def month_state(month: str) -> RosterMonth | None:
    return RosterMonth.get_or_none(RosterMonth.month == month)


def days_between(first: date, last: date, cfg: Config) -> list[RosterDay]:
    entries = live_entries(first, last)
    return [RosterDay(m, [slot_duty(entries.get((m.day, i)), m.day, i, cfg) for i in range(len(cfg.shifts))])
            for m in marks(first, last, cfg)]


def month_roster(month: str, cfg: Config) -> MonthRoster:
    first, last = parse_month(month)
    key = month_key(first)
    row = month_state(key)
    return MonthRoster(key, first, last, row.state if row else "", days_between(first, last, cfg), people(),
                       row.published_at if row else None, (row.published_by or "") if row else "")


def duty_at(moment: datetime, cfg: Config) -> SlotDuty:
    """Who the roster puts on duty at a moment (the slot it falls in)."""
    slot = shift_slot_at(moment, cfg)
    entries = live_entries(slot.duty_date, slot.duty_date)
    return slot_duty(entries.get((slot.duty_date, slot.index)), slot.duty_date, slot.index, cfg)


def duty_of(day: date, slot: int, cfg: Config) -> SlotDuty:
    entries = live_entries(day, day)
    return slot_duty(entries.get((day, slot)), day, slot, cfg)


def next_slot(day: date, slot: int, cfg: Config) -> tuple[date, int]:
    """The slot after this one (the first of the next duty day after the last)."""
    from datetime import timedelta

    if slot + 1 < len(cfg.shifts):
        return day, slot + 1
    return day + timedelta(days=1), 0


def on_leave(login: str, day: date) -> Leave | None:
    return (Leave.select().where((Leave.login == login) & (Leave.starts_on <= day) & (Leave.ends_on >= day)
                                 & Leave.voided_at.is_null()).first())


def leaves_between(first: date, last: date) -> list[Leave]:
    return list(Leave.select().where((Leave.starts_on <= last) & (Leave.ends_on >= first)
                                     & Leave.voided_at.is_null()).order_by(Leave.starts_on, Leave.id))


def swaps(*, states: tuple[str, ...] | None = None, login: str | None = None) -> list[RosterSwap]:
    q = RosterSwap.select()
    if states:
        q = q.where(RosterSwap.state.in_(states))
    if login:
        q = q.where((RosterSwap.from_login == login) | (RosterSwap.to_login == login))
    return list(q.order_by(RosterSwap.id))


def entry_history(day: date, slot: int) -> list[RosterEntry]:
    """Every version of a slot's entry, oldest first (voided and replaced ones too)."""
    return list(RosterEntry.select().where((RosterEntry.duty_date == day) & (RosterEntry.slot == slot))
                .order_by(RosterEntry.id))
