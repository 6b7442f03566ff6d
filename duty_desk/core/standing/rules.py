"""定时事项: what a standing order says and when it falls due. Pure: reads no
store; the calendar of working days and holidays comes in as a function.

A standing order holds on a calendar day when the day is inside its
``starts_on`` .. ``ends_on`` and inside its yearly season (汛期 06-01 ..
09-30; a season may wrap over the new year, 11-15 .. 03-15), its rule takes
the day (every day; working days by the Chinese calendar, 补班 weekends
included; one weekday; one date of the month, the month's last day when the
month is shorter), and, with ``skip_holidays``, the day is no statutory
holiday nor office closure (ordinary weekends are not skipped). On such a day
its occurrence is at its local clock time.

``parse_phrase`` reads an order from one line as people write it:
``每日16:00 报雨情（6月1日至9月30日）``, ``工作日 9时 报送值班信息``,
``每周一上午10点报安全生产情况``, ``每月最后一天 17:00 报月报``.
"""

from __future__ import annotations

import calendar as _cal
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from duty_desk.core.config import Config
from duty_desk.core.dutytime import local_at, to_local
from duty_desk.core.errors import InvalidInput

RULES = ("daily", "workdays", "weekly", "monthly")
WEEKDAY_WORDS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7, "七": 7}
# How long an occurrence may be overdue before it is due at all (minutes).
MAX_WINDOW = 24 * 60
MAX_TITLE = 100
MAX_DISCHARGE = 400


@dataclass(frozen=True)
class Day:
    """What the calendar says of a day, as far as standing orders care."""

    rest: bool  # a day off: statutory holiday or ordinary weekend (a 补班 weekend is not)
    statutory: bool  # a statutory holiday or office closure


Calendar = Callable[[date], Day]


def office_calendar(cfg: Config) -> Calendar:
    """The office's calendar (chinese-calendar and [roster] in config.toml)."""
    from duty_desk.core.roster.calendar import mark

    def day(d: date) -> Day:
        m = mark(d, cfg)
        return Day(m.rest, m.statutory)

    return day


# --- one day ------------------------------------------------------------------


def _md(text: str) -> tuple[int, int]:
    month, day = text.split("-")
    return int(month), int(day)


def in_season(season_from: str, season_to: str, day: date) -> bool:
    """Whether ``day`` is inside the yearly season (MM-DD .. MM-DD), which may
    wrap over the new year; no season: every day."""
    if not season_from or not season_to:
        return True
    key, first, last = (day.month, day.day), _md(season_from), _md(season_to)
    if first <= last:
        return first <= key <= last
    return key >= first or key <= last


def holds_on(order: Any, day: date, calendar: Calendar) -> bool:
    """Whether the order has an occurrence on calendar day ``day``."""
    if order.starts_on is not None and day < order.starts_on:
        return False
    if order.ends_on is not None and day > order.ends_on:
        return False
    if not in_season(order.season_from or "", order.season_to or "", day):
        return False
    rule = order.rule
    if rule == "weekly" and day.isoweekday() != order.weekday:
        return False
    if rule == "monthly" and day.day != min(order.monthday, _cal.monthrange(day.year, day.month)[1]):
        return False
    if rule == "workdays" and calendar(day).rest:
        return False
    return not (order.skip_holidays and calendar(day).statutory)


def clock_time(order: Any) -> tuple[int, int]:
    hour, minute = order.at_time.split(":")
    return int(hour), int(minute)


def occurrences(order: Any, start: datetime, end: datetime, cfg: Config,
                calendar: Calendar | None = None) -> list[datetime]:
    """Every occurrence (UTC) with ``start <= at <= end``, oldest first.
    ``calendar`` defaults to the office's (office_calendar)."""
    if end < start:
        return []
    calendar = calendar or office_calendar(cfg)
    hour, minute = clock_time(order)
    at_time = datetime.min.replace(hour=hour, minute=minute).time()
    day, last = to_local(start, cfg).date(), to_local(end, cfg).date()
    out = []
    while day <= last:
        if holds_on(order, day, calendar):
            at = local_at(day, at_time, cfg)
            if start <= at <= end:
                out.append(at)
        day += timedelta(days=1)
    return out


def next_occurrences(order: Any, after: datetime, cfg: Config, count: int = 5, *, horizon_days: int = 400,
                     calendar: Calendar | None = None) -> list[datetime]:
    """The next ``count`` occurrences after ``after``, looking at most
    ``horizon_days`` ahead (a season order may rest for most of a year)."""
    calendar = calendar or office_calendar(cfg)
    out: list[datetime] = []
    start = after + timedelta(seconds=1)
    for step in range(0, horizon_days, 31):
        begin = start + timedelta(days=step)
        out += occurrences(order, begin, min(begin + timedelta(days=31), start + timedelta(days=horizon_days))
                           - timedelta(seconds=1), cfg, calendar)
        if len(out) >= count:
            break
    return out[:count]


# --- the fields of an order -----------------------------------------------------

_HHMM = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")
_HOUR = re.compile(r"^(上午|早上|中午|下午|晚上)?(\d{1,2})[时点](?:(\d{1,2})分?|(半))?$")
_MMDD = re.compile(r"^(\d{1,2})[-/.月](\d{1,2})[日号]?$")


def parse_time(text: str, field: str = "at_time") -> str:
    """``16:00``, ``16：00``, ``16时``, ``下午4点半`` -> ``HH:MM``."""
    value = unicodedata.normalize("NFKC", (text or "").strip()).replace(" ", "")
    m = _HHMM.match(value)
    if m:
        return f"{int(m.group(1)):02d}:{m.group(2)}"
    m = _HOUR.match(value)
    if m:
        hour = int(m.group(2))
        minute = 30 if m.group(4) else int(m.group(3) or 0)
        if m.group(1) in ("下午", "晚上") and hour < 12:
            hour += 12
        if hour <= 23 and minute <= 59:
            return f"{hour:02d}:{minute:02d}"
    raise InvalidInput("standing.bad_time", field=field, text=text)


def parse_month_day(text: str, field: str = "season") -> str:
    """``06-01``, ``6月1日``, ``6/1`` -> ``MM-DD`` (02-29 is a day of the season)."""
    value = unicodedata.normalize("NFKC", (text or "").strip()).replace(" ", "")
    m = _MMDD.match(value)
    if m:
        month, day = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12 and 1 <= day <= _cal.monthrange(2024, month)[1]:
            return f"{month:02d}-{day:02d}"
    raise InvalidInput("standing.bad_month_day", field=field, text=text)


_RANGE_SPLIT = re.compile(r"\.\.|至|到|~|～|—|–|,|，")


def parse_season(text: str) -> tuple[str, str]:
    """``06-01..09-30`` or ``6月1日至9月30日`` -> (``06-01``, ``09-30``); "" -> no season."""
    value = unicodedata.normalize("NFKC", (text or "").strip())
    if not value:
        return "", ""
    parts = [p for p in _RANGE_SPLIT.split(value) if p.strip()]
    if len(parts) != 2:
        raise InvalidInput("standing.bad_season", field="season", text=text)
    first, last = parse_month_day(parts[0]), parse_month_day(parts[1])
    if first == last:
        raise InvalidInput("standing.bad_season", field="season", text=text)
    return first, last


def parse_weekday(value: Any, field: str = "weekday") -> int:
    text = unicodedata.normalize("NFKC", str(value or "")).strip().removeprefix("周").removeprefix("星期")
    if text in WEEKDAY_WORDS:
        return WEEKDAY_WORDS[text]
    if text.isdigit() and 1 <= int(text) <= 7:
        return int(text)
    raise InvalidInput("standing.bad_weekday", field=field, text=str(value))


RULE_WORDS = {"daily": "daily", "每日": "daily", "每天": "daily", "day": "daily",
              "workdays": "workdays", "workday": "workdays", "工作日": "workdays",
              "weekly": "weekly", "每周": "weekly", "week": "weekly",
              "monthly": "monthly", "每月": "monthly", "month": "monthly"}


def check_fields(values: dict[str, Any]) -> dict[str, Any]:
    """An order's fields made whole and checked (InvalidInput naming the
    field): the rule's day, the time, the season, the date range, the window."""
    from duty_desk.core.services.common import optional_text, required_line

    out = dict(values)
    out["title"] = required_line(values.get("title"), "title", MAX_TITLE)
    out["at_time"] = parse_time(values.get("at_time") or "")
    rule = RULE_WORDS.get(str(values.get("rule") or "daily").strip().lower())
    if rule is None:
        raise InvalidInput("standing.bad_rule", field="rule", text=values.get("rule"), choices=" ".join(RULES))
    out["rule"] = rule
    out["weekday"] = parse_weekday(values.get("weekday")) if rule == "weekly" else None
    out["monthday"] = _monthday(values.get("monthday")) if rule == "monthly" else None
    first, last = values.get("season_from") or "", values.get("season_to") or ""
    if bool(first) != bool(last):
        raise InvalidInput("standing.bad_season", field="season", text=f"{first}..{last}")
    out["season_from"], out["season_to"] = (parse_month_day(first), parse_month_day(last)) if first else ("", "")
    if out["season_from"] and out["season_from"] == out["season_to"]:
        raise InvalidInput("standing.bad_season", field="season", text=f"{first}..{last}")
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if starts is not None and ends is not None and ends < starts:
        raise InvalidInput("standing.bad_range", field="ends_on", first=starts.isoformat(), last=ends.isoformat())
    window = values.get("window_minutes", 30)
    try:
        window = int(window)
    except (TypeError, ValueError):
        window = -1
    if not 1 <= window <= MAX_WINDOW:
        raise InvalidInput("standing.bad_window", field="window_minutes", text=values.get("window_minutes"),
                           limit=MAX_WINDOW)
    out["window_minutes"] = window
    out["skip_holidays"] = bool(values.get("skip_holidays"))
    out["discharge"] = optional_text(values.get("discharge"), "discharge", MAX_DISCHARGE)
    return out


def _monthday(value: Any) -> int:
    text = unicodedata.normalize("NFKC", str(value or "")).strip().rstrip("日号")
    if text in ("最后一天", "月末", "last", "-1"):
        return 31
    if text.isdigit() and 1 <= int(text) <= 31:
        return int(text)
    raise InvalidInput("standing.bad_monthday", field="monthday", text=str(value))


# --- one line ----------------------------------------------------------------------

_P_RULE = re.compile(r"(每日|每天|天天|工作日(?:每天)?|每个工作日|每(?:周|星期)([一二三四五六日天1-7])"
                     r"|每月(?:(\d{1,2})[日号]|(最后一天|月末)))")
_P_TIME = re.compile(r"(?:(上午|早上|中午|下午|晚上)\s*)?(?:(\d{1,2})[:](\d{2})|(\d{1,2})[时点](?:(\d{1,2})分|(半))?)")
_P_RANGE = re.compile(r"\(?\s*(\d{1,2})月(\d{1,2})[日号]?\s*(?:至|到|-|~|～|—)\s*(\d{1,2})月(\d{1,2})[日号]?\s*\)?")
_P_SKIP = re.compile(r"[,;，；]?\s*\(?(?:节假日除外|遇节假日不报|法定节假日除外)\)?")
_TRIM = " \t,.;:、，。；：()（）"


def parse_phrase(text: str) -> dict[str, Any]:
    """The fields one line gives (title, at_time, rule, weekday, monthday,
    season_from, season_to, skip_holidays); InvalidInput naming what is
    missing. Full-width digits, colons and brackets are read as half-width."""
    line = unicodedata.normalize("NFKC", text or "").strip()
    if not line:
        raise InvalidInput("standing.phrase_empty", field="phrase")
    out: dict[str, Any] = {}
    m = _P_RANGE.search(line)
    if m:
        out["season_from"] = parse_month_day(f"{m.group(1)}-{m.group(2)}")
        out["season_to"] = parse_month_day(f"{m.group(3)}-{m.group(4)}")
        line = line[:m.start()] + " " + line[m.end():]
    m = _P_SKIP.search(line)
    if m:
        out["skip_holidays"] = True
        line = line[:m.start()] + " " + line[m.end():]
    m = _P_RULE.search(line)
    if m is None:
        raise InvalidInput("standing.phrase_no_rule", field="phrase", text=text)
    word = m.group(1)
    if m.group(2):
        out["rule"], out["weekday"] = "weekly", parse_weekday(m.group(2))
    elif m.group(3) or m.group(4):
        out["rule"], out["monthday"] = "monthly", _monthday(m.group(3) or m.group(4))
    else:
        out["rule"] = "workdays" if "工作日" in word else "daily"
    line = line[:m.start()] + " " + line[m.end():]
    m = _P_TIME.search(line)
    if m is None:
        raise InvalidInput("standing.phrase_no_time", field="phrase", text=text)
    if m.group(2):
        spoken = f"{m.group(1) or ''}{m.group(2)}点{m.group(3)}分"
    else:
        spoken = f"{m.group(1) or ''}{m.group(4)}点" + ("半" if m.group(6) else f"{m.group(5) or 0}分")
    out["at_time"] = parse_time(spoken, "phrase")
    title = (line[:m.start()] + " " + line[m.end():]).strip(_TRIM)
    title = re.sub(r"\s+", " ", title).strip(_TRIM)
    title = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", title)  # 汛期 报雨情 -> 汛期报雨情
    if not title:
        raise InvalidInput("standing.phrase_no_title", field="phrase", text=text)
    out["title"] = title
    return out
