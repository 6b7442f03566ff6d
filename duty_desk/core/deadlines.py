"""Due times from the configured rules. Pure functions: no database, no clock.

Ordinary items (a call or task awaiting its result) are due
``ordinary_minutes`` after they happened. A document is due
``document_hours[urgency]`` after receipt (no deadline when the urgency has no
entry). A leader's instruction is due when the leader said, or
``ordinary_minutes`` after it was given.

Urgent items (counted from receipt, by level): a phone report and a first
written report; while open, a follow-up (续报) within the follow-up interval of
the last written report; open past ``daily_report_after_hours``, a daily
report (日报) each day; the final report (终报) closes the item.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from duty_desk.core.config import Config

WRITTEN = ("first_report", "followup", "daily", "final")


@dataclass(frozen=True)
class Due:
    kind: str  # phone_report | first_report | followup | daily
    at: datetime


@dataclass(frozen=True)
class TimelineFact:
    kind: str
    at: datetime


def ordinary_due(happened_at: datetime, cfg: Config) -> datetime:
    """When a call or task awaiting its result is due."""
    return happened_at + timedelta(minutes=cfg.ordinary_minutes)


def document_due(urgency: str, received_at: datetime, cfg: Config) -> datetime | None:
    """A document's default handling deadline by its urgency (特提 特急 加急 平急 or "")."""
    hours = cfg.document_hours.get(urgency)
    return received_at + timedelta(hours=hours) if hours else None


def instruction_due(given_at: datetime, cfg: Config, explicit: datetime | None = None) -> datetime:
    """A leader's instruction is due when the leader said, else like an ordinary item."""
    return explicit if explicit is not None else ordinary_due(given_at, cfg)


def urgent_dues(level: str, received_at: datetime, events: Iterable[TimelineFact], cfg: Config,
                closed: bool = False) -> list[Due]:
    """Every report still due for an urgent item, earliest first."""
    if closed:
        return []
    facts = sorted(events, key=lambda e: e.at)
    kinds = {e.kind for e in facts}
    dues: list[Due] = []
    if "phone_report" not in kinds:
        dues.append(Due("phone_report", received_at + timedelta(minutes=cfg.phone_report_minutes[level])))
    if "first_report" not in kinds:
        dues.append(Due("first_report", received_at + timedelta(minutes=cfg.written_report_minutes[level])))
    else:
        last_written = max(e.at for e in facts if e.kind in WRITTEN)
        dues.append(Due("followup", last_written + timedelta(minutes=cfg.followup_minutes[level])))
    daily_after = timedelta(hours=cfg.daily_report_after_hours)
    last_daily = max((e.at for e in facts if e.kind == "daily"), default=None)
    # A daily report is due one day after receipt (or the last daily report).
    if last_daily is None:
        dues.append(Due("daily", received_at + daily_after))
    else:
        dues.append(Due("daily", last_daily + timedelta(days=1)))
    return sorted(dues, key=lambda d: d.at)


def next_due(level: str, received_at: datetime, events: Iterable[TimelineFact], cfg: Config,
             closed: bool = False) -> Due | None:
    dues = urgent_dues(level, received_at, events, cfg, closed)
    return dues[0] if dues else None
