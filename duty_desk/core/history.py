"""An earlier duty day, as the desk shows it in history: read-only, the same
four kinds of record the live desk shows, who was on duty, and the handover
sheets of its shifts.

Every read names one duty day, so each is served by the ``duty_date`` index
of its table however many years the store holds (tests/test_query_plans.py).
What was received that day is shown with its state as it is now: a document
received on Monday and closed on Wednesday shows as closed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from duty_desk.core.desk import Desk, officer_names
from duty_desk.core.errors import InvalidInput
from duty_desk.core.handover.sheet import Sheet, sheet_of
from duty_desk.core.kinds import live
from duty_desk.core.models import Document, Shift, UrgentItem, Visitor
from duty_desk.core.sanitize import shown_all


@dataclass(frozen=True)
class DayFacts:
    """Who was on duty on a past duty day (the header in history)."""

    day: date
    officers: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    shifts: int = 0  # shift rows of the day (0: nobody used the desk)


@dataclass(frozen=True)
class DaySheet:
    """The handover sheet of one shift of the day, or None when the shift was
    never handed over (then ``sheet`` is the sheet as it stands)."""

    label: str  # the shift's name
    handed_over: bool
    sheet: Sheet


def shifts_of_day(day: date) -> list[Shift]:
    """The shift rows of one duty day, in order (a slot handed over early has several parts)."""
    return list(Shift.select().where(Shift.duty_date == day).order_by(Shift.index, Shift.part))


def day_facts(day: date) -> DayFacts:
    """The officers and leaders on duty on ``day``, each named once, in shift order."""
    shifts = shifts_of_day(day)
    names = officer_names() if shifts else {}
    officers: list[str] = []
    leaders: list[str] = []
    for shift in shifts:
        for login in shift.officers:
            name = names.get(login, login)
            if name not in officers:
                officers.append(name)
        for leader in shift.leaders:
            if leader not in leaders:
                leaders.append(leader)
    return DayFacts(day, officers, leaders, len(shifts))


def visitors_of(day: date) -> list[Visitor]:
    """The visitors who came on ``day`` (also those who have left), as they are now."""
    return list(Visitor.select().where((Visitor.duty_date == day) & live(Visitor))
                .order_by(Visitor.arrived_at, Visitor.id))


def documents_of(day: date) -> list[Document]:
    """The documents received on ``day``, in the state they are in now."""
    return list(Document.select().where((Document.duty_date == day) & live(Document))
                .order_by(Document.received_at, Document.id))


def urgent_of(day: date) -> list[UrgentItem]:
    """The urgent items received on ``day``, open or closed now."""
    return list(UrgentItem.select().where((UrgentItem.duty_date == day) & live(UrgentItem))
                .order_by(UrgentItem.received_at, UrgentItem.id))


def sheets_of_day(desk: Desk, day: date) -> list[DaySheet]:
    """The handover sheet of every shift of ``day``: the frozen one of each
    shift handed over, else the sheet as it stands. Empty: nobody used the
    desk that day."""
    out = []
    for shift in shifts_of_day(day):
        sheet = sheet_of(desk, shift)
        out.append(DaySheet(shift.name, shift.state != "open", shown_all(sheet)))
    return out


# --- moving through the days ----------------------------------------------------

# Words for a day that cost nothing to read: today and the days before it.
DAY_WORDS = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2, "大前天": 3,
             "today": 0, "yesterday": 1}
_FULL = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_SHORT = re.compile(r"^(\d{1,2})[-/.月](\d{1,2})日?$")
_BACK = re.compile(r"^-(\d{1,4})$")


def parse_day(text: str, today: date) -> date:
    """A duty day as typed: ``2026-06-01``, ``2026/6/1``, ``6-1`` or ``6月1日``
    (the latest such day not after today), ``-3`` (three days back),
    ``昨天`` / ``前天``. A day after today is refused: it has no records yet."""
    typed = text.strip().replace("－", "-").replace("／", "/").replace("．", ".")
    typed = typed.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not typed:
        raise InvalidInput("history.date.empty")
    if typed.lower() in DAY_WORDS:
        return today - timedelta(days=DAY_WORDS[typed.lower()])
    try:
        if m := _BACK.match(typed):
            return today - timedelta(days=int(m.group(1)))
        if m := _FULL.match(typed):
            day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        elif m := _SHORT.match(typed):
            month, dom = int(m.group(1)), int(m.group(2))
            day = date(today.year, month, dom)
            if day > today:
                day = date(today.year - 1, month, dom)
        else:
            raise InvalidInput("history.date.invalid", text=typed)
    except ValueError:  # 2-30, or a year before 1
        raise InvalidInput("history.date.invalid", text=typed) from None
    if day > today:
        raise InvalidInput("history.date.future", day=day.isoformat())
    return day
