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
    # The roster of this slot (core.roster): its officers' names, its leaders
    # as (name, phone), and whether anything was rostered at all.
    rostered: bool = False
    rostered_officers: list[str] = field(default_factory=list)
    rostered_leaders: list[tuple[str, str]] = field(default_factory=list)
    # Officers on this shift whom the roster does not name (extra officers),
    # and whether the officer at this desk is one of them.
    extra_officers: list[str] = field(default_factory=list)
    off_roster: bool = False

    @property
    def roster_differs(self) -> bool:
        """Who is actually on duty is not who the roster names."""
        return self.rostered and (bool(self.extra_officers) or set(self.officers) != set(self.rostered_officers))


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
    facts = HeaderFacts(desk.cfg.office_name, slot.duty_date, slot.name,
                        (slot.duty_date, slot.index), officers, leaders, handed_at)
    return with_roster(facts, desk, slot.duty_date, slot.index,
                       shift.officers if shift is not None else ([] if off_duty else [desk.actor]))


def with_roster(facts: HeaderFacts, desk: Desk, day: date, index: int, present: list[str]) -> HeaderFacts:
    """The facts with the roster of the slot beside who is actually on it."""
    from dataclasses import replace

    from duty_desk.core.roster.view import duty_of, people

    duty = duty_of(day, index, desk.cfg)
    if duty.entry_id is None:
        return facts
    everyone = people()
    def name(login: str) -> str:
        return everyone[login].name if login in everyone else login

    extra = [login for login in present if login not in duty.officers and login not in duty.leaders]
    leaders = list(facts.leaders) or [name(lg) for lg in duty.leaders]
    return replace(facts, leaders=leaders, rostered=True,
                   rostered_officers=[name(o) for o in duty.officers],
                   rostered_leaders=[(name(lg), everyone[lg].phone if lg in everyone else "") for lg in duty.leaders],
                   extra_officers=[name(o) for o in extra],
                   off_roster=desk.actor in extra or (desk.actor not in duty.officers
                                                      and desk.actor not in duty.leaders
                                                      and desk.officer().role != "leader"))


def roster_notice(desk: Desk) -> str:
    """What the officer opening the desk is told when the roster does not name
    them for the current slot ("" when it does, or nothing is rostered)."""
    from duty_desk.core.i18n import t
    from duty_desk.core.roster.view import duty_at, people

    duty = duty_at(desk.now(), desk.cfg)
    if duty.entry_id is None or desk.actor in duty.officers or desk.actor in duty.leaders:
        return ""
    if desk.officer().role == "leader":
        return ""
    everyone = people()
    names = "、".join(everyone[o].name if o in everyone else o for o in duty.officers) or "—"
    return t("roster.not_rostered", day=duty.day.isoformat(), shift=duty.slot_name, officers=names)


def tomorrow_notice(desk: Desk) -> str:
    """In the evening (from roster.checks.EVENING), who is on duty on the next
    duty day: what the desk of the officer on duty tells once ("" otherwise,
    or when no roster is kept)."""
    from duty_desk.core.i18n import t
    from duty_desk.core.roster.checks import roster_check

    check = roster_check(desk.now(), desk.cfg)
    if check.tomorrow_day is None:
        return ""
    return "；".join(t("check.roster.tomorrow", day=check.tomorrow_day.isoformat(), shift=shift,
                      officers="、".join(officers) or "—",
                      leaders="、".join(f"{n} {p}".strip() for n, p in leaders) or "—")
                    for shift, officers, leaders in check.tomorrow)


def opening_notices(desk: Desk) -> list[str]:
    """What the desk says once as it opens, most pressing last: to an
    administrator, days ahead whose holiday status nobody has entered;
    tomorrow's people (in the evening); that the roster does not name this
    officer."""
    from duty_desk.core.i18n import t
    from duty_desk.core.roster.checks import roster_check

    check = roster_check(desk.now(), desk.cfg)
    out = []
    # Who keeps the roster can enter the year's notice in config.toml; the
    # officers are not told at every start of what they cannot change.
    if check.unknown and desk.officer().role == "admin":
        out.append(t("check.roster.unknown", first=check.unknown[0].isoformat(), count=len(check.unknown)))
    tomorrow = tomorrow_notice(desk) if check.tomorrow_day is not None else ""
    not_rostered = roster_notice(desk)
    return [x for x in (*out, tomorrow, not_rostered) if x]
