"""Helpers every service module shares: the current shift, text checks,
voiding, corrections and amendments."""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from peewee import Model

from duty_desk.core import audit
from duty_desk.core.desk import Desk
from duty_desk.core.desk import writing as _desk_writing
from duty_desk.core.dutytime import ShiftSlot, check_past_window, parse_when, shift_slot_at
from duty_desk.core.errors import InvalidInput, NotFound, Refused
from duty_desk.core.i18n import t
from duty_desk.core.models import KINDS, Shift
from duty_desk.core.sanitize import clean_line, clean_text

MAX_LINE = 200
# A handover this close to the end of its slot (or after it) is the regular
# one: the incoming officer then sits the next slot.
REGULAR_HANDOVER_WINDOW = timedelta(hours=1)
MAX_TEXT = 4000

# The fields of the current service call in which a resident ID number was
# masked; the caller (desk or command line) tells the officer and clears it.
_masked: ContextVar[tuple[str, ...]] = ContextVar("masked_fields", default=())
# No ID number without 17 digits in a row: most text never loads the ID rules.
_ID_CANDIDATE = re.compile(r"[0-9]{17}")


def _masked_ids(text: str, field: str) -> str:
    """No free-text field keeps a valid resident ID number unmasked: the store
    is append-only, so what goes in stays for good."""
    if not _ID_CANDIDATE.search(text):
        return text
    from duty_desk.core.idcard import mask_ids_in

    masked = mask_ids_in(text)
    if masked != text and field not in _masked.get():
        _masked.set((*_masked.get(), field))
    return masked


def masked_notice(fields: list[str]) -> str | None:
    """What the officer is told when an ID number was masked in free text, the
    same on the command line and in the desk; None when nothing was masked."""
    from duty_desk.core.i18n import t
    from duty_desk.core.sanitize import shown

    if not fields:
        return None
    names = "、".join(t(f"field.{f}") if t(f"field.{f}") != f"field.{f}" else shown(f) for f in fields)
    return t("id.masked", fields=names)


def take_masked_fields() -> list[str]:
    """The fields whose ID numbers were masked since the last call; clears them."""
    fields = list(_masked.get())
    _masked.set(())
    return fields


def required_line(value: str | None, field: str, limit: int = MAX_LINE) -> str:
    text = _masked_ids(clean_line(value), field)
    if not text:
        raise InvalidInput("input.empty", field=field, field_name=field)
    if len(text) > limit:
        raise InvalidInput("input.too_long", field=field, field_name=field, limit=limit)
    return text


def optional_line(value: str | None, field: str, limit: int = MAX_LINE) -> str:
    text = _masked_ids(clean_line(value), field)
    if len(text) > limit:
        raise InvalidInput("input.too_long", field=field, field_name=field, limit=limit)
    return text


def optional_text(value: str | None, field: str, limit: int = MAX_TEXT) -> str:
    text = _masked_ids(clean_text(value), field)
    if len(text) > limit:
        raise InvalidInput("input.too_long", field=field, field_name=field, limit=limit)
    return text


def when(desk: Desk, value: datetime | str | None, field: str) -> datetime:
    """A time given by the user (typed text or datetime), or now."""
    now = desk.now()
    if value is None or value == "":
        return now
    if isinstance(value, str):
        return parse_when(value, now, desk.cfg, field)
    if value.tzinfo is None:
        raise InvalidInput("time.naive", field=field)
    text = value.strftime("%Y-%m-%d %H:%M")
    tolerance = desk.cfg.future_tolerance_minutes * 60
    if (value - now).total_seconds() > tolerance:
        raise InvalidInput("time.future", field=field, text=text)
    return check_past_window(value.replace(microsecond=0), now, desk.cfg, field, text)


def current_shift(desk: Desk, amending: bool = False) -> Shift:
    """The shift running now; started (and audited) by the first officer to
    record in it. Officers who record in a shift join its list of officers.

    An officer who has handed over is off duty (``off_duty_since``): a new
    record of theirs is refused with the reason; an amendment of theirs
    (``amending``) goes to their own shift, which is locked, so it stays
    marked as an amendment beside the original."""
    slot, shift = recording_slot(desk)
    joining = shift is None or desk.actor not in shift.officers
    if joining and desk.officer().role != "leader":
        handed = off_duty_since(desk, shift)
        if handed is not None:
            if amending:
                return handed.shift
            _refuse_off_duty(desk, handed, shift)
    if shift is None:
        leaders = [o.name for o in desk_leaders(desk)]
        last = latest_part(slot)
        shift = Shift.create(
            duty_date=slot.duty_date, index=slot.index, name=slot.name,
            starts_at=slot.starts_at, ends_at=slot.ends_at, officers=[desk.actor],
            leaders=list(last.leaders) if last is not None else leaders,
            started_at=desk.now(), started_by=desk.actor,
            part=last.part + 1 if last is not None else 0,
        )
        audit.append(desk.now(), desk.actor, "create", "shift", shift.id, None, audit.snapshot(shift))
    elif desk.actor not in shift.officers and desk.officer().role != "leader":
        before = list(shift.officers)
        shift.officers = before + [desk.actor]
        shift.save()
        audit.append(desk.now(), desk.actor, "update", "shift", shift.id,
                     {"officers": before}, {"officers": shift.officers})
    return shift


def off_duty_since(desk: Desk, running: Shift | None):
    """The handover after which the acting officer is off duty, if they are:
    what they record is then neither added to the shift that took over from
    them (which would make them its 交班人 too, and nobody could accept it)
    nor starts a shift of their own in the rest of the slot they handed over.

    They are back on duty once they take over a shift again, once the shift
    that followed theirs was handed over in turn, or once the incoming
    officer's duty has ended by the clock (a later duty of their own)."""
    from duty_desk.core.models import Handover

    mine = None
    for handover in Handover.select().order_by(Handover.handed_over_at.desc(), Handover.id.desc()).limit(20):
        if desk.actor in {handover.outgoing, *(handover.sheet or {}).get("outgoing_logins", [])}:
            mine = handover
            break
    if mine is None:
        return None
    since = mine.handed_over_at
    if Handover.select().where(((Handover.accepted_by == desk.actor) & (Handover.accepted_at >= since))
                               | (Handover.handed_over_at > since)).exists():
        return None
    # The incoming officer's duty: the rest of the slot after an early
    # handover, the next slot after the regular one at (or after) its end.
    successor_until = shift_slot_at(since + REGULAR_HANDOVER_WINDOW, desk.cfg).ends_at
    if desk.now() >= successor_until:
        return None
    # Joining: only a shift begun after they handed over is barred.
    return mine if running is None or running.started_at >= since else None


def _refuse_off_duty(desk: Desk, mine: Any, running: Shift | None) -> None:
    from duty_desk.core.desk import officer_name
    from duty_desk.core.dutytime import fmt_dt

    handed = mine.shift
    params = {"name": officer_name(desk.actor), "at": fmt_dt(mine.handed_over_at, desk.cfg),
              "shift": t("handover.shift_label", day=handed.duty_date.isoformat(), name=handed.name)}
    if running is not None:
        raise Refused("shift.handed_over.joined", whom="、".join(officer_name(o) for o in running.officers),
                      **params)
    raise Refused("shift.handed_over.pending", **params)


def latest_part(slot: ShiftSlot) -> Shift | None:
    """The newest shift row of a slot (a slot handed over early has several)."""
    return (Shift.select()
            .where((Shift.duty_date == slot.duty_date) & (Shift.index == slot.index))
            .order_by(Shift.part.desc()).first())


def recording_slot(desk: Desk) -> tuple[ShiftSlot, Shift | None]:
    """The shift slot new records go to now, and its row if already started.

    A shift that was handed over takes no more records. After an early
    handover the rest of the slot is a new part of the same slot, starting
    now, so records stay on the same duty day."""
    slot = shift_slot_at(desk.now(), desk.cfg)
    shift = latest_part(slot)
    if shift is None or shift.state == "open":
        return slot, shift
    return replace(slot, starts_at=max(desk.now(), slot.starts_at)), None


def shift_now(desk: Desk) -> Shift | None:
    """The shift records go to now, if started (a read: nothing is created)."""
    return recording_slot(desk)[1]


def desk_leaders(desk: Desk) -> list:
    """The leaders a shift starts with: the roster's for this slot when the
    office keeps one, else (as before the roster) the first two leaders."""
    from duty_desk.core.models import Officer
    from duty_desk.core.roster.view import duty_at

    duty = duty_at(desk.now(), desk.cfg)
    if duty.entry_id is not None:
        rows = {o.login: o for o in Officer.select().where(Officer.login.in_(duty.leaders))}
        return [rows[login] for login in duty.leaders if login in rows]
    return list(Officer.select().where((Officer.role == "leader") & Officer.active).order_by(Officer.id).limit(2))


def start_shift(desk: Desk, leaders: list[str] | None = None) -> Shift:
    """Start (or join) the current shift; optionally name its leader(s) on duty."""
    with writing(desk, "update", "shift"):
        shift = current_shift(desk)
        if leaders is not None:
            names = [required_line(n, "leaders", 40) for n in leaders]
            if names != shift.leaders:
                old = list(shift.leaders)
                shift.leaders = names
                shift.save(only=[Shift.leaders])
                audit.append(desk.now(), desk.actor, "update", "shift", shift.id, {"leaders": old}, {"leaders": names})
    return shift


def save_changes(row: Model, before: dict[str, Any]) -> tuple[dict, dict]:
    """Write only the columns that differ from the snapshot ``before`` and
    return their (old, new) values for the audit event. Call inside the write
    transaction the row was read in: a column this change did not touch is
    never written back, so it cannot undo another session's change."""
    old, new = audit.changes(before, audit.snapshot(row))
    if new:
        row.save(only=[row._meta.fields[name] for name in new])
    return old, new


# Record ids are SQLite integers: anything outside 1 .. 2**63-1 names no record
# (and would overflow the driver if it reached a query).
MAX_ID = 2**63 - 1


def check_id(kind: str, record_id: object) -> int:
    """``record_id`` as an int that can name a record of ``kind``, else NotFound."""
    if isinstance(record_id, bool) or not isinstance(record_id, int) or not 1 <= record_id <= MAX_ID:
        raise NotFound("record.not_found", kind=kind, id=record_id)
    return record_id


def step_rows(*steps: Model) -> list[dict[str, Any]]:
    """Document steps as their event tells them (``steps`` in the event's new
    values), so `audit verify` can compare every stored field of each."""
    return [{k: v for k, v in audit.snapshot(s).items() if k in STEP_FIELDS} for s in steps]


STEP_FIELDS = ("id", "step", "at", "by", "party", "text", "deadline", "recorded_at")


def writing(desk: Desk, action: str, kind: str, record_id: object = None):
    """The write transaction of a service call (see ``desk.writing``). An id
    no record can have is left out of the failure event's record column (the
    store could not hold it); the error's parameters keep it as typed."""
    in_range = isinstance(record_id, int) and not isinstance(record_id, bool) and 1 <= record_id <= MAX_ID
    return _desk_writing(desk, action, kind, record_id if in_range else None)


def get_record(kind: str, record_id: int) -> Model:
    model = KINDS.get(kind)
    if model is None:
        raise NotFound("record.unknown_kind", kind=kind)
    check_id(kind, record_id)
    row = model.get_or_none(model.id == record_id)
    if row is None:
        raise NotFound("record.not_found", kind=kind, id=record_id)
    return row


def is_locked(record: Model) -> bool:
    """A record of a shift that was handed over is locked: from the moment its
    sheet is frozen (so the sheet and the read-back match the records), and
    for good once accepted. Changes after that are amendments."""
    shift_id = record.__data__.get("shift")
    if shift_id is None:
        return False
    shift = Shift.get_by_id(shift_id)
    return shift.state in ("handed_over", "accepted")


def void_record(desk: Desk, kind: str, record_id: int, reason: str) -> Model:
    """Void a mistaken record with a reason. It stays readable, marked void."""
    with writing(desk, "void", kind, record_id):
        row = get_record(kind, record_id)
        if not hasattr(row, "voided_at"):
            raise Refused("void.not_voidable", kind=kind)
        if row.voided_at is not None:
            raise Refused("void.already", kind=kind, id=record_id)
        reason = required_line(reason, "reason")
        before = audit.snapshot(row)
        row.voided_at, row.voided_by, row.void_reason = desk.now(), desk.actor, reason
        old, new = save_changes(row, before)
        audit.append(desk.now(), desk.actor, "void", kind, row.id, old, new)
    return row


def apply_correction(desk: Desk, kind: str, row: Model, changes: dict[str, Any], reason: str) -> Model:
    """Correct fields of a record, inside the caller's transaction.

    While its shift is open, the record is corrected and the audit event keeps
    the old values. Once its shift was accepted, the record is locked: a new
    amendment row is written beside it (``amends`` points at the original) and
    the original is left exactly as it was.
    """
    reason = required_line(reason, "reason")
    row = latest_version(row)
    if row.voided_at is not None:
        raise Refused("correct.voided", kind=kind, id=row.id)
    if is_locked(row):
        if all(getattr(row, k) == v for k, v in changes.items()):
            raise InvalidInput("correct.nothing", field=None)
        data = {k: v for k, v in row.__data__.items() if k != "id"}
        data.update(changes)
        data.update(recorded_at=desk.now(), recorded_by=desk.actor, amends=row.id,
                    shift=current_shift(desk, amending=True).id)
        if "serial" in data:  # unique: an amended document keeps a marked serial
            base = row.serial.split("/A")[0]
            model = type(row)
            data["serial"] = f"{base}/A{model.select().where(model.serial.startswith(base + '/A')).count() + 1}"
        amendment = type(row).create(**data)
        audit.append(desk.now(), desk.actor, "amend", kind, amendment.id,
                     {"amends": row.id}, {**audit.changes(audit.snapshot(row), audit.snapshot(amendment))[1], "reason": reason})
        return amendment
    before = audit.snapshot(row)
    for k, v in changes.items():
        setattr(row, k, v)
    old, new = audit.changes(before, audit.snapshot(row))
    if not new:
        raise InvalidInput("correct.nothing", field=None)
    save_changes(row, before)
    audit.append(desk.now(), desk.actor, "correct", kind, row.id, old, {**new, "reason": reason})
    return row


def latest_version(row: Model) -> Model:
    """The live version of a record: its newest amendment, if any, else itself.
    Correcting an amended original amends the amendment, so there is only ever
    one live version (amendments form a chain back to the original)."""
    model = type(row)
    if "amends" not in model._meta.fields:
        return row
    while True:
        newer = (model.select().where((model.amends == row.id) & model.voided_at.is_null())
                 .order_by(model.id.desc()).first())
        if newer is None:
            return row
        row = newer
