"""The roster in files: CSV (import, export) and iCalendar."""

from __future__ import annotations

from duty_desk.core.config import Config
from duty_desk.core.roster.view import MonthRoster


def month_csv(roster: MonthRoster, cfg: Config) -> str:
    """The month as CSV, in the columns an import reads."""
    raise NotImplementedError
