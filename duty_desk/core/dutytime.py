"""The duty day, shifts, and times typed by a person.

A duty day starts at ``duty.day_start`` local time and runs until the same time
next day; it is named by the date it starts on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from duty_desk.core.config import Config
from duty_desk.core.errors import InvalidInput
from duty_desk.core.i18n import t

WEEKDAYS_ZH = "一二三四五六日"


def to_local(moment: datetime, cfg: Config) -> datetime:
    return moment.astimezone(cfg.timezone)


def local_at(day: date, at: time, cfg: Config) -> datetime:
    """The UTC instant of local wall time ``at`` on ``day``."""
    return datetime.combine(day, at, tzinfo=cfg.timezone).astimezone(timezone.utc)


def duty_date_of(moment: datetime, cfg: Config) -> date:
    local = to_local(moment, cfg)
    if local.time() < cfg.day_start:
        return local.date() - timedelta(days=1)
    return local.date()


def duty_day_bounds(day: date, cfg: Config) -> tuple[datetime, datetime]:
    """[start, end) of a duty day, in UTC."""
    return local_at(day, cfg.day_start, cfg), local_at(day + timedelta(days=1), cfg.day_start, cfg)


@dataclass(frozen=True)
class ShiftSlot:
    duty_date: date
    index: int
    name: str
    starts_at: datetime
    ends_at: datetime


def shift_slots(day: date, cfg: Config) -> list[ShiftSlot]:
    """The shifts of one duty day, each running until the next one starts."""
    starts: list[datetime] = []
    for i, spec in enumerate(cfg.shifts):
        # Shifts after midnight belong to the next calendar date.
        d = day if spec.start >= cfg.day_start or i == 0 else day + timedelta(days=1)
        starts.append(local_at(d, spec.start, cfg))
    _, day_end = duty_day_bounds(day, cfg)
    ends = starts[1:] + [day_end]
    return [ShiftSlot(day, i, cfg.shifts[i].name, s, e) for i, (s, e) in enumerate(zip(starts, ends, strict=False))]


def shift_slot_at(moment: datetime, cfg: Config) -> ShiftSlot:
    day = duty_date_of(moment, cfg)
    for slot in shift_slots(day, cfg):
        if slot.starts_at <= moment < slot.ends_at:
            return slot
    return shift_slots(day, cfg)[-1]


# A typed HH:MM up to this far ahead of now is refused as "in the future";
# further ahead, it is read as that time yesterday.
RECENT_FUTURE = timedelta(hours=2)

_HHMM = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")
_FULL = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T]([01]?\d|2[0-3])[:：]([0-5]\d)$")


# No record of a duty desk running today is dated before this, whatever the
# configuration says: it keeps a mistyped year out of the store.
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)


def _local_moment(m: re.Match[str], cfg: Config, field: str, text: str) -> datetime:
    """The UTC instant of a typed ``YYYY-MM-DD HH:MM`` (local); refuses dates
    that do not exist and years no duty desk can mean (year 1 would overflow)."""
    year = int(m.group(1))
    if year < EARLIEST.year:
        raise InvalidInput("time.too_old", field=field, text=text, days=cfg.past_limit_days,
                           earliest=EARLIEST.date().isoformat())
    try:
        return datetime(*(int(g) for g in m.groups()), tzinfo=cfg.timezone).astimezone(timezone.utc)
    except ValueError:
        raise InvalidInput("time.format", field=field, text=text) from None
    except OverflowError:
        raise InvalidInput("time.due_too_far", field=field, text=text, days=cfg.due_limit_days) from None


def check_past_window(moment: datetime, now: datetime, cfg: Config, field: str, text: str) -> datetime:
    """Refuse a time before 2000 or more than ``past_limit_days`` before now."""
    limit = max(EARLIEST, now - timedelta(days=cfg.past_limit_days))
    if moment < limit:
        raise InvalidInput("time.too_old", field=field, text=text, days=cfg.past_limit_days,
                           earliest=fmt_dt(limit, cfg))
    return moment


def check_due_window(moment: datetime, now: datetime, cfg: Config, field: str, text: str) -> datetime:
    """A due time: within the past window, and at most ``due_limit_days`` ahead."""
    check_past_window(moment, now, cfg, field, text)
    if moment > now + timedelta(days=cfg.due_limit_days):
        raise InvalidInput("time.due_too_far", field=field, text=text, days=cfg.due_limit_days)
    return moment


def parse_when(text: str, now: datetime, cfg: Config, field: str = "occurred_at") -> datetime:
    """A time a person typed: ``HH:MM`` (the latest such time not in the future)
    or ``YYYY-MM-DD HH:MM``, local. Refuses times beyond the future tolerance
    and times further back than ``deadlines.past_limit_days``."""
    s = text.strip()
    tolerance = timedelta(minutes=cfg.future_tolerance_minutes)
    local_now = to_local(now, cfg)
    m = _HHMM.match(s)
    if m:
        candidate = datetime.combine(
            local_now.date(), time(int(m.group(1)), int(m.group(2))), tzinfo=cfg.timezone
        )
        if candidate - local_now > RECENT_FUTURE:
            # "When it happened" is in the past: "23:50" typed at 00:10, or
            # "20:30" typed at 08:40, means last night. A time only a little
            # ahead is more likely a slip, and is refused below.
            candidate -= timedelta(days=1)
        result = candidate.astimezone(timezone.utc)
    else:
        m = _FULL.match(s)
        if not m:
            raise InvalidInput("time.format", field=field, text=s)
        result = _local_moment(m, cfg, field, s)
    if result > now + tolerance:
        raise InvalidInput("time.future", field=field, text=s)
    return check_past_window(result, now, cfg, field, s)


def fmt_hm(moment: datetime | None, cfg: Config) -> str:
    return "" if moment is None else to_local(moment, cfg).strftime("%H:%M")


def fmt_dt(moment: datetime | None, cfg: Config) -> str:
    return "" if moment is None else to_local(moment, cfg).strftime("%Y-%m-%d %H:%M")


def fmt_duration(delta: timedelta) -> str:
    """A signed, compact duration: 1:05, -0:12, 2天03:00 (2d03:00 in English)."""
    secs = int(delta.total_seconds())
    sign = "-" if secs < 0 else ""
    secs = abs(secs)
    days, rem = divmod(secs, 86400)
    hours, rem = divmod(rem, 3600)
    minutes = rem // 60
    if days:
        return t("duration.days", sign=sign, days=days, hm=f"{hours:02d}:{minutes:02d}")
    return f"{sign}{hours}:{minutes:02d}"


def parse_due(value: datetime | str, now: datetime, cfg: Config, field: str = "due") -> datetime:
    """A due time or deadline a person gave: ``YYYY-MM-DD HH:MM`` or ``HH:MM``
    (today), local. Unlike "when it happened", it may lie in the future, up to
    ``deadlines.due_limit_days`` ahead."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise InvalidInput("time.naive", field=field)
        moment = value.replace(microsecond=0)
        return check_due_window(moment, now, cfg, field, fmt_dt(moment, cfg) if moment >= EARLIEST else
                                moment.strftime("%Y-%m-%d %H:%M"))
    s = value.strip()
    m = _FULL.match(s)
    if m:
        return check_due_window(_local_moment(m, cfg, field, s), now, cfg, field, s)
    m = _HHMM.match(s)
    if m:
        local = to_local(now, cfg).replace(hour=int(m.group(1)), minute=int(m.group(2)), second=0)
        if local < to_local(now, cfg) - timedelta(minutes=cfg.future_tolerance_minutes):
            local += timedelta(days=1)  # "08:00" given at 23:00 means tomorrow morning
        return local.astimezone(timezone.utc)
    raise InvalidInput("time.format", field=field, text=s)
