"""A report's recipient as the officer types it, found in the contact book:
the unit (区应急管理局) or the unit and the person (区应急管理局 张科长), as
the book spells them. Exactly one live contact found: the sending keeps the
contact's id and the book's name for it. None or several: the recipient is
recorded as typed (the level above is not always in the book)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from duty_desk.core.contacts.view import Card, card
from duty_desk.core.models import Contact
from duty_desk.core.sanitize import clean_line

MAX_NAME = 80  # what a sending's recipient holds (service.send)


@dataclass(frozen=True)
class Recipient:
    name: str  # as the sending records it
    contact: Card | None  # the one contact it is, if found
    candidates: int  # how many live contacts the typed text named


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip().casefold()


def _names(row: Contact) -> set[str]:
    """How the book may be quoted for a contact: unit and name, with or
    without the title (区应急管理局 张科长（科长）)."""
    c = card(row)
    both = " ".join(p for p in (row.unit, row.name) if p)
    return {_plain(both), _plain(c.who), _plain(row.unit + row.name)} - {""}


def resolve(typed: str) -> Recipient:
    """The recipient ``typed`` names: a contact found exactly (its whole name,
    else its unit alone or its person alone when only one contact has it)."""
    text = clean_line(typed)
    wanted = _plain(text)
    if not wanted:
        return Recipient(text, None, 0)
    rows = list(Contact.select().where(Contact.voided_at.is_null()).order_by(Contact.id))
    whole = [r for r in rows if wanted in _names(r)]
    found = whole or [r for r in rows if wanted in (_plain(r.unit), _plain(r.name))]
    if len(found) == 1:
        c = card(found[0])
        # The book's name unless it is longer than a sending keeps (then as typed).
        return Recipient(c.who if len(c.who) <= MAX_NAME else text, c, 1)
    return Recipient(text, None, len(found))
