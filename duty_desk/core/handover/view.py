"""What the desk's handover screen shows, as plain data: the sheet, the mode
(preview, handed over, incoming, accepted) and each carried-over item as the
incoming officer reads it back. Built by reading the store; each step of the
flow is followed by a fresh read, so the screen always shows what is stored."""

from __future__ import annotations

from dataclasses import dataclass, field

from duty_desk.core.desk import Desk
from duty_desk.core.handover import flow as ho
from duty_desk.core.handover.render import due_text, kind_label
from duty_desk.core.handover.sheet import Sheet, sheet_of
from duty_desk.core.sanitize import shown_all


@dataclass
class ReadBackItem:
    """One carried-over item as the incoming officer reads it back."""

    item_id: int
    kind: str  # label
    title: str
    owner: str  # name
    due: str
    overdue: bool
    chases: str
    next_action: str
    readback: str | None  # by whoever read it back
    read_back_by: str  # name
    mine: bool  # read back by the acting officer: only that counts for acceptance


@dataclass
class HandoverView:
    # preview: the shift is open, the sheet as it stands; handed: waiting for
    # someone else to take over; incoming: the actor may read back and accept;
    # accepted: done.
    mode: str
    sheet: Sheet
    shift_id: int | None
    handover_id: int | None
    items: list[ReadBackItem] = field(default_factory=list)
    # Preview only: the acting officer is not on the shift shown, and nothing
    # waits to be taken over (the screen says so; F8 would be refused).
    not_theirs: bool = False

    @property
    def read_back(self) -> int:
        return sum(1 for i in self.items if i.mine)


def load_view(desk: Desk, shift_id: int | None = None) -> HandoverView:
    """The handover of ``shift_id``; without one, the handover waiting to be
    accepted, else the preview of the acting officer's shift."""
    if shift_id is not None:
        shift, handover = ho.shift_and_handover(shift_id)
    else:
        handover = ho.pending_handover(desk)
        shift = handover.shift if handover is not None else ho.shift_to_preview(desk)
    sheet = sheet_of(desk, shift)
    if handover is None:
        not_theirs = bool(sheet.outgoing_logins) and desk.actor not in sheet.outgoing_logins
        return shown_all(HandoverView("preview", sheet, shift.id, None, not_theirs=not_theirs))
    if handover.accepted_by:
        mode = "accepted"
    elif desk.actor in ho.outgoing_logins(handover) or desk.officer().role == "leader":
        mode = "handed"  # the core would refuse them anyway; no read-back to offer
    else:
        mode = "incoming"
    rows = {i.id: i for i in ho.items_of(handover.id)}
    items = []
    for c in sheet.carried:
        row = rows.get(c.item_id or 0)
        if row is None:
            continue
        items.append(ReadBackItem(
            row.id, kind_label(c.kind), c.title, c.owner_name, due_text(c), c.overdue, c.chases, c.next_action,
            row.readback if row.read_back_at is not None else None, c.read_back_by,
            row.read_back_by == desk.actor))
    # Stored text (titles, notes, names, read-backs) made safe to show, once.
    return shown_all(HandoverView(mode, sheet, shift.id, handover.id, items))


def hand_over_and_load(desk: Desk, notes: str, shift_id: int | None) -> tuple[int, HandoverView]:
    handover = ho.hand_over(desk, notes, shift_id=shift_id)
    return handover.id, load_view(desk, handover.__data__["shift"])


def read_back_and_load(desk: Desk, item_id: int, restated: str | None,
                       shift_id: int | None) -> tuple[int, HandoverView]:
    item = ho.read_back(desk, item_id, restated)
    return item.__data__["handover"], load_view(desk, shift_id)


def accept_and_load(desk: Desk, handover_id: int, shift_id: int | None) -> tuple[int, HandoverView]:
    handover = ho.accept(desk, handover_id)
    return handover.id, load_view(desk, shift_id)
