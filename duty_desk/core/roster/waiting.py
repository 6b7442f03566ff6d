"""Swap requests as an officer at the desk meets them: the open ones that
concern this officer (asked of them, asked by them, and for an approver
those awaiting approval), each with the steps the core allows this officer
on it; and the sentences the desk says once about those waiting for them.
Nothing here writes; the rules of each step are roster.service's, read the
same way here so the desk offers only what the service would accept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from duty_desk.core.desk import Desk
from duty_desk.core.dutytime import shift_slots
from duty_desk.core.i18n import t
from duty_desk.core.roster.view import people, swaps
from duty_desk.core.sanitize import shown

OPEN_STATES = ("requested", "accepted")
APPROVERS = ("admin", "leader")
# Past this many, the desk says how many are waiting in one line.
SAY_EACH = 1


@dataclass(frozen=True)
class OpenSwap:
    """One open swap request, names resolved, with what this officer may do."""

    id: int
    day: date
    slot: int
    slot_name: str
    from_login: str
    from_name: str
    to_login: str
    to_name: str
    back_day: date | None
    back_slot: int | None
    reason: str
    state: str
    actions: tuple[str, ...]  # of accept, approve, refuse, withdraw
    waiting_for_me: bool  # asked of me, or awaiting my approval


def _slot_name(desk: Desk, slot: int | None) -> str:
    shifts = desk.cfg.shifts
    return shifts[slot].name if slot is not None and 0 <= slot < len(shifts) else ""


def _ended(desk: Desk, day: date, slot: int) -> bool:
    slots = shift_slots(day, desk.cfg)
    return slot >= len(slots) or slots[slot].ends_at <= desk.now()


def open_swaps_for(desk: Desk) -> list[OpenSwap]:
    """The open requests that concern the acting officer, oldest first."""
    everyone = people()
    me = everyone.get(desk.actor)
    approver = me is not None and me.active and me.role in APPROVERS
    needs_approval = desk.cfg.roster.swap_approval
    out: list[OpenSwap] = []
    for row in swaps(states=OPEN_STATES):
        mine = desk.actor in (row.from_login, row.to_login)
        to_approve = approver and not mine and row.state == "accepted" and needs_approval
        if not (mine or to_approve):
            continue
        ended = _ended(desk, row.duty_date, row.slot)
        asked_of_me = row.to_login == desk.actor and row.state == "requested"
        actions: list[str] = []
        if asked_of_me and not ended:
            actions.append("accept")
        if to_approve and not ended:
            actions.append("approve")
        if asked_of_me or (approver and not mine):
            actions.append("refuse")
        if row.requested_by == desk.actor:
            actions.append("withdraw")

        def name(login: str) -> str:
            person = everyone.get(login)
            return person.name if person else login

        out.append(OpenSwap(row.id, row.duty_date, row.slot, _slot_name(desk, row.slot), row.from_login,
                            name(row.from_login), row.to_login, name(row.to_login), row.back_date, row.back_slot,
                            row.reason, row.state, tuple(actions),
                            not ended and (asked_of_me or to_approve)))
    return out


def _day(desk: Desk, day: date, slot: int | None) -> str:
    return t("roster.waiting.day", date=day.isoformat(), weekday=t(f"tui.weekday.{day.weekday()}"),
             slot=_slot_name(desk, slot)).strip()


def swaps_waiting_for(desk: Desk) -> list[str]:
    """What the desk tells the officer once: each request asked of them and
    each awaiting their approval, a sentence each; more than SAY_EACH in one
    line that counts them."""
    waiting = [s for s in open_swaps_for(desk) if s.waiting_for_me]
    if len(waiting) > SAY_EACH:
        return [t("roster.waiting.many", count=len(waiting))]
    out = []
    for s in waiting:
        back = t("roster.waiting.back", day=_day(desk, s.back_day, s.back_slot)) if s.back_day else ""
        key = "roster.waiting.asked" if s.state == "requested" else "roster.waiting.approve"
        out.append(t(key, id=s.id, by=shown(s.from_name), to=shown(s.to_name), day=_day(desk, s.day, s.slot),
                     back=back, reason=shown(s.reason)))
    return out
