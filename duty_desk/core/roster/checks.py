"""What the roster asks attention for (``duty-desk check``, the desk): slots
of the coming week with nobody on them, holidays without their two leaders,
days ahead whose holiday status is unknown, swaps waiting for someone, and
in the evening, who is on duty tomorrow."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from duty_desk.core.config import Config
from duty_desk.core.dutytime import duty_date_of, to_local
from duty_desk.core.models import RosterMonth
from duty_desk.core.roster.calendar import unknown_days
from duty_desk.core.roster.view import RosterDay, days_between, people, swaps

# The coming days whose empty slots are warned about.
AHEAD_DAYS = 7
# From this local time on, check and the desk name tomorrow's people.
EVENING = time(16, 0)


@dataclass
class Gap:
    day: date
    shift: str
    what: str  # officers | leaders
    missing: int
    holiday: bool  # the day needs two leaders because of the calendar


@dataclass
class RosterCheck:
    kept: bool  # the office keeps a roster at all (some month was planned)
    gaps: list[Gap] = field(default_factory=list)
    unknown: list[date] = field(default_factory=list)
    pending_swaps: int = 0
    # In the evening: the next duty day as (shift name, officer names, leader (name, phone)).
    tomorrow: list[tuple[str, list[str], list[tuple[str, str]]]] = field(default_factory=list)
    tomorrow_day: date | None = None


def _gaps(days: list[RosterDay], cfg: Config) -> list[Gap]:
    out = []
    for day in days:
        for s in day.slots:
            if len(s.officers) < cfg.roster.officers_per_shift:
                out.append(Gap(day.mark.day, s.slot_name, "officers", cfg.roster.officers_per_shift - len(s.officers),
                               False))
        if len(day.leaders) < day.mark.leaders_needed:
            out.append(Gap(day.mark.day, day.slots[0].slot_name, "leaders",
                           day.mark.leaders_needed - len(day.leaders), day.mark.leaders_needed > 1))
    return out


def roster_check(now: datetime, cfg: Config) -> RosterCheck:
    """Reads only."""
    if not RosterMonth.select().exists():
        return RosterCheck(False)
    today = duty_date_of(now, cfg)
    days = days_between(today, today + timedelta(days=AHEAD_DAYS - 1), cfg)
    check = RosterCheck(True, _gaps(days, cfg), unknown_days(today, cfg),
                        len(swaps(states=("requested", "accepted"))))
    if to_local(now, cfg).time() >= EVENING or to_local(now, cfg).time() < cfg.day_start:
        everyone = people()
        def name(login: str) -> str:
            return everyone[login].name if login in everyone else login
        nxt = days[1] if len(days) > 1 else days_between(today + timedelta(days=1), today + timedelta(days=1), cfg)[0]
        check.tomorrow_day = nxt.mark.day
        check.tomorrow = [(s.slot_name, [name(o) for o in s.officers],
                           [(name(lg), everyone[lg].phone if lg in everyone else "") for lg in s.leaders])
                          for s in nxt.slots]
    return check
