"""Planning a month by rotation: pure rules over plain inputs (who, in what
order, who is away, what each has done so far this year), so that fairness
can be tested on its own.

Each slot takes, among the people free that day, the one with the fewest
duties of that day's kind so far this year (statutory holidays, ordinary
weekends, nights), then the fewest duties in all, then the next in the
rotation. Nobody takes night shifts on two consecutive days unless
[roster] consecutive_nights allows it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from duty_desk.core.config import Config
from duty_desk.core.roster.calendar import DayMark


def night_slots(cfg: Config) -> frozenset[int]:
    """The shift slots that run through midnight (one 24-hour shift is one)."""
    def minutes(t) -> int:
        return t.hour * 60 + t.minute

    start = minutes(cfg.day_start)
    offsets = [(minutes(s.start) - start) % 1440 for s in cfg.shifts] + [1440]
    midnight = (1440 - start) % 1440
    return frozenset(i for i in range(len(cfg.shifts)) if offsets[i] <= midnight < offsets[i + 1])


@dataclass
class Tally:
    """What one group of people (officers, or leaders) has done so far."""

    by_kind: dict[str, Counter] = field(default_factory=lambda: {"holiday": Counter(), "weekend": Counter(),
                                                                 "work": Counter()})
    nights: Counter = field(default_factory=Counter)
    total: Counter = field(default_factory=Counter)
    # Who had a night shift on each day (for the consecutive-nights rule).
    night_of: dict[date, set[str]] = field(default_factory=dict)
    pointer: int = 0  # the rotation continues after the last one picked

    def add(self, login: str, m: DayMark, night: bool) -> None:
        self.by_kind[m.category][login] += 1
        self.total[login] += 1
        if night:
            self.nights[login] += 1
            self.night_of.setdefault(m.day, set()).add(login)


@dataclass
class Plan:
    # (day, slot) -> (officers, leaders)
    slots: dict[tuple[date, int], tuple[list[str], list[str]]]
    # (day, slot, "officers" | "leaders", how many missing)
    gaps: list[tuple[date, int, str, int]]


def _pick(pool: list[str], tally: Tally, m: DayMark, night: bool, how_many: int,
          free, *, avoid_nights: bool) -> list[str]:
    chosen: list[str] = []
    n = len(pool)
    for _ in range(how_many):
        candidates = []
        for i, login in enumerate(pool):
            if login in chosen or not free(login):
                continue
            if night and avoid_nights and login in tally.night_of.get(m.day - timedelta(days=1), ()):
                continue
            rank = (tally.by_kind[m.category][login] if m.category != "work" else 0,
                    tally.nights[login] if night else 0,
                    tally.total[login],
                    (i - tally.pointer) % n)
            candidates.append((rank, i, login))
        if not candidates:
            break
        _, i, login = min(candidates)
        chosen.append(login)
        tally.pointer = (i + 1) % n
    return chosen


def plan(days: list[DayMark], cfg: Config, officers: list[str], leaders: list[str],
         away: dict[str, set[date]], officer_tally: Tally, leader_tally: Tally) -> Plan:
    """Fill every slot of ``days``. The tallies carry what was done before
    the first day (and are updated as the plan goes)."""
    nights = night_slots(cfg)
    per_shift = cfg.roster.officers_per_shift
    avoid = not cfg.roster.consecutive_nights
    slots: dict[tuple[date, int], tuple[list[str], list[str]]] = {}
    gaps: list[tuple[date, int, str, int]] = []
    for m in days:
        def free(login: str, day: date = m.day, taken: set[str] | None = None) -> bool:
            return day not in away.get(login, ()) and login not in (taken or ())

        day_leaders = _pick(leaders, leader_tally, m, False, m.leaders_needed, free, avoid_nights=False)
        for login in day_leaders:
            leader_tally.add(login, m, False)
        taken: set[str] = set()
        for index in range(len(cfg.shifts)):
            night = index in nights
            chosen = _pick(officers, officer_tally, m, night, per_shift,
                           lambda login, taken=taken: free(login, taken=taken), avoid_nights=avoid)
            for login in chosen:
                officer_tally.add(login, m, night)
                taken.add(login)
            slots[(m.day, index)] = (chosen, list(day_leaders))
            if len(chosen) < per_shift:
                gaps.append((m.day, index, "officers", per_shift - len(chosen)))
            if index == 0 and len(day_leaders) < m.leaders_needed:
                gaps.append((m.day, index, "leaders", m.leaders_needed - len(day_leaders)))
    return Plan(slots, gaps)
