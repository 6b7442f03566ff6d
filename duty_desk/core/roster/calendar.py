"""What kind of day a date is for the roster: a working day, a weekend, a
statutory holiday (法定节假日) or a weekend worked in its place (调休/补班), the
eve of a holiday, inside a sensitive period (汛期 …), and so how many leaders
it needs on duty (双带班).

Statutory days come from the chinese-calendar library, which follows the
State Council's yearly notices; [roster] in config.toml adds the years it does
not know yet and the office's own closures, and wins where both speak.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from duty_desk.core.config import Config
from duty_desk.core.roster.rules import DaySpan

# The library's English holiday names -> catalog keys (holiday.<key>).
HOLIDAY_KEYS = {
    "New Year's Day": "new_year",
    "Spring Festival": "spring_festival",
    "Tomb-sweeping Day": "tomb_sweeping",
    "Labour Day": "labour_day",
    "Dragon Boat Festival": "dragon_boat",
    "National Day": "national_day",
    "Mid-autumn Festival": "mid_autumn",
    "Anti-Fascist 70th Day": "anti_fascist_70",
}


@dataclass(frozen=True)
class DayMark:
    day: date
    # A day off (statutory holiday or an ordinary weekend); a weekend worked
    # in place of a holiday is not.
    rest: bool
    # The holiday's name (a catalog key "holiday.…" or the name config gives);
    # on a worked weekend, the holiday it makes up for.
    holiday: str = ""
    statutory: bool = False  # a statutory holiday or office closure, not a mere weekend
    makeup: bool = False  # 调休/补班: a weekend day worked
    eve: bool = False  # the working day before a holiday
    periods: tuple[str, ...] = ()
    known: bool = True  # False: a year neither the library nor config.toml knows
    leaders_needed: int = 1

    @property
    def weekend(self) -> bool:
        return self.day.weekday() >= 5

    @property
    def category(self) -> str:
        """For fairness: "holiday", "weekend" (an ordinary one) or "work"."""
        if self.statutory:
            return "holiday"
        return "weekend" if self.rest else "work"


def _in(spans: tuple[DaySpan, ...], day: date) -> DaySpan | None:
    for span in spans:
        if span.first <= day <= span.last:
            return span
    return None


@lru_cache(maxsize=64)
def _library_year_known(year: int) -> bool:
    import chinese_calendar

    try:
        chinese_calendar.is_holiday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _library(day: date) -> tuple[bool, str, bool]:
    """(rest, holiday name key, statutory) as the library says."""
    import chinese_calendar

    on_holiday, name = chinese_calendar.get_holiday_detail(day)
    key = HOLIDAY_KEYS.get(name, name) if name else ""
    if on_holiday:
        return True, key, bool(name)
    return False, key if day.weekday() >= 5 else "", False


def year_known(year: int, cfg: Config) -> bool:
    """Whether a year's holidays are known: the library has it, or config.toml
    lists at least one holiday in it (the office entered that year's notice)."""
    rules = cfg.roster
    return _library_year_known(year) or any(s.first.year <= year <= s.last.year for s in rules.holidays)


def _base(day: date, cfg: Config) -> tuple[bool, str, bool, bool, bool]:
    """(rest, holiday, statutory, makeup, known) before eves and periods."""
    rules = cfg.roster
    weekend = day.weekday() >= 5
    worked = _in(rules.workdays, day)
    if worked is not None:
        return False, worked.name, False, weekend, True
    closed = _in(rules.holidays, day)
    if closed is not None:
        return True, closed.name, True, False, True
    if _library_year_known(day.year):
        rest, name, statutory = _library(day)
        return rest, name, statutory, weekend and not rest, True
    return weekend, "", False, False, year_known(day.year, cfg)


def mark(day: date, cfg: Config) -> DayMark:
    rest, holiday, statutory, makeup, known = _base(day, cfg)
    following = _base(day + timedelta(days=1), cfg)
    eve = not statutory and following[2]
    periods = tuple(s.name for s in cfg.roster.periods if s.first <= day <= s.last)
    day_mark = DayMark(day, rest, holiday, statutory, makeup, eve, periods, known)
    needed = cfg.roster.leaders_per_day
    if _needs_two(day_mark, cfg):
        needed = max(needed, 2)
    return DayMark(day, rest, holiday, statutory, makeup, eve, periods, known, needed)


def _needs_two(m: DayMark, cfg: Config) -> bool:
    marks = cfg.roster.double_leader
    return (m.day.isoformat() in cfg.double_leader_dates
            or ("holiday" in marks and m.statutory)
            or ("eve" in marks and m.eve)
            or ("weekend" in marks and m.rest and not m.statutory)
            or ("period" in marks and bool(m.periods)))


def marks(first: date, last: date, cfg: Config) -> list[DayMark]:
    return [mark(first + timedelta(days=i), cfg) for i in range((last - first).days + 1)]


def leaders_required(day: date, cfg: Config) -> int:
    """How many leaders the duty day needs on duty: two on the days [roster]
    double_leader names (holidays by default) and on duty.double_leader_dates."""
    return mark(day, cfg).leaders_needed


def unknown_days(start: date, cfg: Config, days: int | None = None) -> list[date]:
    """The days of the coming ``days`` (default [roster] unknown_warn_days)
    whose holiday status nobody knows yet."""
    span = cfg.roster.unknown_warn_days if days is None else days
    out = []
    for i in range(span):
        d = start + timedelta(days=i)
        if not year_known(d.year, cfg):
            out.append(d)
    return out


def holiday_label(m: DayMark) -> str:
    """The holiday's name as shown (a library name through the catalog)."""
    from duty_desk.core.i18n import known, t

    if not m.holiday:
        return ""
    key = f"holiday.{m.holiday}"
    return t(key) if known(key) else m.holiday
