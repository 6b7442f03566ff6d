"""Writing the contact book: add, change (in place, the audit event keeps the
old values) and void with a reason. Administrators keep the book; anyone
else's attempt is refused and recorded as a failed attempt."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from duty_desk.core import audit
from duty_desk.core.desk import Desk, check_actor
from duty_desk.core.errors import DeskError, InvalidInput, Refused
from duty_desk.core.i18n import t
from duty_desk.core.models import Contact
from duty_desk.core.services.common import (
    get_record,
    optional_line,
    optional_text,
    save_changes,
    void_record,
    writing,
)

KIND = "contact"
PHONES = ("office_phone", "mobile", "duty_phone", "fax")
FIELDS = ("unit", "name", "title", *PHONES, "tags", "notes")
LIMITS = {"unit": 60, "name": 40, "title": 40, "office_phone": 40, "mobile": 40, "duty_phone": 40, "fax": 40}
MAX_NOTES = 500
MAX_TAG = 20
MAX_TAGS = 20

# Between tags: what people type (Chinese and English commas, 、, spaces, ;).
TAG_SEPARATORS = re.compile(r"[，,、;；\s]+")
# One number: digits with spaces, -, + and parentheses, then an extension
# (分机 123, 转123, ext 123, x123). Several numbers are parted by / or 、.
_NUMBER = re.compile(r"^\+?[\d\s()\-]*\d[\d\s()\-]*(?:(?:分机|转|ext\.?|x)\s*\d+)?$", re.IGNORECASE)
_NUMBER_SEPARATORS = re.compile(r"\s*[/、]\s*")
MIN_DIGITS = 3


def _line(value: str | None, field: str) -> str:
    """A field's text, cleaned as every field of the desk is, within its limit."""
    limit = LIMITS.get(field, MAX_NOTES)
    text = optional_text(value, field, 10 * limit) if field == "notes" else optional_line(value, field, 10 * limit)
    if len(text) > limit:
        raise InvalidInput("contacts.too_long", field=field, label=t(f"contacts.field.{field}"), limit=limit)
    return text


def check_phone(value: str | None, field: str) -> str:
    """A phone number as stored: full-width digits and brackets made plain,
    spaces squeezed. Checked loosely (see _NUMBER); "" when empty."""
    text = re.sub(r"\s+", " ", _line(unicodedata.normalize("NFKC", value or ""), field)).strip()
    if not text:
        return ""
    for part in _NUMBER_SEPARATORS.split(text):
        if not _NUMBER.match(part) or sum(c.isdigit() for c in part) < MIN_DIGITS:
            raise InvalidInput("contacts.bad_phone", field=field, label=t(f"contacts.field.{field}"), text=text)
    return text


def normalize_tags(value: str | Iterable[str] | None) -> list[str]:
    """Tags from what was typed (防汛，安全生产、信访 or a list): split,
    trimmed, a leading # dropped, each once, in the order typed."""
    if value is None:
        return []
    pieces = TAG_SEPARATORS.split(value) if isinstance(value, str) else \
        [p for v in value for p in TAG_SEPARATORS.split(str(v))]
    out: list[str] = []
    for piece in pieces:
        tag = unicodedata.normalize("NFKC", piece).strip().lstrip("#＃").strip()
        if not tag or tag in out:
            continue
        if len(tag) > MAX_TAG:
            raise InvalidInput("contacts.tag_too_long", field="tags", tag=tag, limit=MAX_TAG)
        out.append(tag)
    if len(out) > MAX_TAGS:
        raise InvalidInput("contacts.too_many_tags", field="tags", limit=MAX_TAGS)
    return out


def clean_values(values: dict[str, Any]) -> dict[str, Any]:
    """The given fields checked and made as stored; fields not given are left out."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name not in FIELDS:
            raise InvalidInput("contacts.unknown_field", field=name, name=name)
        if value is None:
            continue
        if name in PHONES:
            out[name] = check_phone(value, name)
        elif name == "tags":
            out[name] = normalize_tags(value)
        else:
            out[name] = _line(value, name)
    return out


def check_contact(values: dict[str, Any], except_id: int | None = None) -> None:
    """A contact names a unit or a person, and is not already in the book."""
    unit, name = values.get("unit", ""), values.get("name", "")
    if not unit and not name:
        raise InvalidInput("contacts.unit_or_name", field="unit")
    same = Contact.select().where((Contact.unit == unit) & (Contact.name == name) & Contact.voided_at.is_null())
    if except_id is not None:
        same = same.where(Contact.id != except_id)
    other = same.first()
    if other is not None:
        raise Refused("contacts.duplicate", field="name" if name else "unit", id=other.id,
                      who=" ".join(p for p in (unit, name) if p))


def write_new(desk: Desk, values: dict[str, Any]) -> Contact:
    """Inside the caller's transaction: a checked contact, stored and audited."""
    full = {f: ([] if f == "tags" else "") for f in FIELDS} | values
    check_contact(full)
    row = Contact.create(**full, recorded_at=desk.now(), recorded_by=desk.actor)
    audit.append(desk.now(), desk.actor, "create", KIND, row.id, None, audit.snapshot(row))
    return row


def write_changes(desk: Desk, row: Contact, values: dict[str, Any]) -> bool:
    """Inside the caller's transaction: the changed fields written in place,
    the audit event keeping their old values. False when nothing changed."""
    wanted = {f: getattr(row, f) for f in FIELDS} | values
    check_contact(wanted, except_id=row.id)
    before = audit.snapshot(row)
    for name, value in values.items():
        setattr(row, name, value)
    old, new = save_changes(row, before)
    if not new:
        return False
    audit.append(desk.now(), desk.actor, "update", KIND, row.id, old, new)
    return True


def add_contact(desk: Desk, **values: Any) -> Contact:
    """A unit or a person in the book (administrators). Fields: unit, name,
    title, office_phone, mobile, duty_phone, fax, tags (text or a list), notes."""
    with writing(desk, "create", KIND):
        check_actor(desk, "admin")
        return write_new(desk, clean_values(values))


def live_contact(contact_id: int) -> Contact:
    row = get_record(KIND, contact_id)
    if row.voided_at is not None:
        raise Refused("record.voided", kind=KIND, id=contact_id)
    return row


def update_contact(desk: Desk, contact_id: int, **values: Any) -> Contact:
    """Change the fields given (None: left as it is), in place (administrators)."""
    with writing(desk, "update", KIND, contact_id):
        check_actor(desk, "admin")
        row = live_contact(contact_id)
        if not write_changes(desk, row, clean_values(values)):
            raise InvalidInput("contacts.unchanged", field=None)
    return row


def void_contact(desk: Desk, contact_id: int, reason: str) -> Contact:
    """A contact no longer in use, voided with a reason (administrators); it
    stays readable, marked void."""
    with writing(desk, "void", KIND, contact_id):
        check_actor(desk, "admin")
        return void_record(desk, KIND, contact_id, reason)


def is_keeper(desk: Desk) -> bool:
    """Whether the acting officer keeps the book (may add, change and void)."""
    try:
        check_actor(desk, "admin")
    except DeskError:
        return False
    return True
