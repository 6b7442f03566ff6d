"""[roster] of config.toml: the office's own holidays, worked weekends and
sensitive periods, and the rules of planning. A leaf the configuration
reads (it imports the configuration's checks only when reading)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from duty_desk.core.i18n import t


@dataclass(frozen=True)
class DaySpan:
    """A run of days from [roster] (a holiday, a worked weekend, a period)."""

    first: date
    last: date
    name: str


DOUBLE_LEADER_MARKS = ("holiday", "eve", "weekend", "period")


@dataclass(frozen=True)
class RosterRules:
    holidays: tuple[DaySpan, ...] = ()
    workdays: tuple[DaySpan, ...] = ()
    periods: tuple[DaySpan, ...] = ()
    double_leader: tuple[str, ...] = ("holiday",)
    officers_per_shift: int = 1
    leaders_per_day: int = 1
    swap_approval: bool = True
    consecutive_nights: bool = False
    unknown_warn_days: int = 60



def _spans(path: str, key: str, entries: Any, ConfigError: Any, _is_date: Any) -> tuple[DaySpan, ...]:
    """``[{ from, to, name }]`` or ``[{ date, name }]`` as spans of days."""
    out = []
    for i, entry in enumerate(entries):
        where = f"{key}[{i}]"
        if not isinstance(entry, dict) or set(entry) - {"from", "to", "date", "name"}:
            raise ConfigError(path, where, t("config.expect.span"), entry)
        if "date" in entry:
            first = last = entry["date"]
            if "from" in entry or "to" in entry:
                raise ConfigError(path, where, t("config.expect.span"), entry)
        else:
            first, last = entry.get("from"), entry.get("to", entry.get("from"))
        for part, value in (("from", first), ("to", last)):
            if not isinstance(value, str) or not _is_date(value):
                raise ConfigError(path, f"{where}.{'date' if 'date' in entry else part}", t("config.expect.date"), value)
        name = entry.get("name", "")
        if not isinstance(name, str):
            raise ConfigError(path, where + ".name", t("config.expect.type", type="str"), name)
        a, b = date.fromisoformat(first), date.fromisoformat(last)
        if b < a or (b - a).days > 366:
            raise ConfigError(path, where + ".to", t("config.expect.span_order"), last)
        out.append(DaySpan(a, b, name.strip()))
    return tuple(out)


def read_roster_rules(path: str, raw: dict, positive: Any, ConfigError: Any, is_date: Any) -> RosterRules:
    """[roster] checked; ``ConfigError`` and ``is_date`` are the configuration's
    own (passed in: this module is imported by it)."""
    marks = raw["double_leader"]
    for mark in marks:
        if mark not in DOUBLE_LEADER_MARKS:
            raise ConfigError(path, "roster.double_leader",
                              t("config.expect.one_of", choices=", ".join(DOUBLE_LEADER_MARKS)), mark)
    return RosterRules(
        holidays=_spans(path, "roster.holidays", raw["holidays"], ConfigError, is_date),
        workdays=_spans(path, "roster.workdays", raw["workdays"], ConfigError, is_date),
        periods=_spans(path, "roster.periods", raw["periods"], ConfigError, is_date),
        double_leader=tuple(dict.fromkeys(marks)),
        officers_per_shift=int(positive("roster.officers_per_shift", raw["officers_per_shift"])),
        leaders_per_day=int(positive("roster.leaders_per_day", raw["leaders_per_day"])),
        swap_approval=raw["swap_approval"],
        consecutive_nights=raw["consecutive_nights"],
        unknown_warn_days=int(positive("roster.unknown_warn_days", raw["unknown_warn_days"])),
    )
