"""Who is on duty now, as the desk's header shows it: the duty day and shift,
the officers on it and the leaders on duty (带班领导), and whether the officer
at this desk has handed over and is off duty."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from duty_desk.core.desk import Desk, officer_name
from duty_desk.core.dutytime import shift_slot_at, to_local
from duty_desk.core.services.common import desk_leaders, latest_part, off_duty_since, shift_now


@dataclass(frozen=True)
class HeaderFacts:
    office: str
    day: date
    shift_name: str
    shift_key: tuple[date, int]
    officers: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    # When the officer at this desk handed over and is off duty ("HH:MM"),
    # else "": what they record now is refused (services.common.off_duty_since).
    handed_over_at: str = ""


def header_facts(desk: Desk) -> HeaderFacts:
    """Who is on duty now (reads the store)."""
    slot = shift_slot_at(desk.now(), desk.cfg)
    shift = shift_now(desk)
    off_duty = None
    if desk.officer().role != "leader" and (shift is None or desk.actor not in shift.officers):
        off_duty = off_duty_since(desk, shift)
    handed_at = to_local(off_duty.handed_over_at, desk.cfg).strftime("%H:%M") if off_duty else ""
    if shift is None:
        # Nobody has recorded yet this shift (or its first part was handed
        # over early): show who is at the desk and the leaders it starts with.
        officers = [] if off_duty else [officer_name(desk.actor)]
        earlier = latest_part(slot)
        leaders = list(earlier.leaders) if earlier else [o.name for o in desk_leaders(desk)]
    else:
        officers = [officer_name(login) for login in shift.officers]
        leaders = list(shift.leaders)
    return HeaderFacts(desk.cfg.office_name, slot.duty_date, slot.name,
                       (slot.duty_date, slot.index), officers, leaders, handed_at)
