"""``duty-desk roster import|export|ical``: the roster in files (a CSV for
offices that plan in a spreadsheet, an iCalendar per officer)."""

from __future__ import annotations

from typing import Any


def register(rsub: Any) -> None:
    """Add this module's actions to ``duty-desk roster``; each parser sets
    ``roster_run`` to its runner ``(args, cfg) -> exit status``."""
