"""The desk's one source of the current time.

Everything that asks "what time is it" asks here, so tests can move the clock
(``set_now``) instead of sleeping. There is deliberately no environment
variable for it: a record's time must be the machine's time.
"""

from __future__ import annotations

from datetime import datetime, timezone

_fixed: datetime | None = None


def now() -> datetime:
    """The current time, timezone-aware, in UTC, to the second."""
    current = _fixed if _fixed is not None else datetime.now(timezone.utc)
    return current.replace(microsecond=0)


def set_now(moment: datetime | None) -> None:
    """Fix the clock at ``moment`` (aware) or, with None, let it run again. Tests only."""
    global _fixed
    if moment is not None and moment.tzinfo is None:
        raise ValueError("set_now needs an aware datetime")
    _fixed = moment.astimezone(timezone.utc) if moment is not None else None


class fixed_at:
    """The clock stands at ``moment`` inside the block, and is as it was after
    it: for writing the demo's past duty days through the services, which
    record "now" as their time, and for tests."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment
        self.before: datetime | None = None

    def __enter__(self) -> datetime:
        self.before = _fixed
        set_now(self.moment)
        return self.moment

    def __exit__(self, *exc: object) -> None:
        set_now(self.before)
