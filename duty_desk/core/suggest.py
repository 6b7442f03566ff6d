"""Suggestions wherever a person or a unit is typed: the caller, the visitor,
the handling unit, the leader, whom a chase went to.

The book of names is read once (``read_book``, on a worker) from the contact
book and from the records of the past year: each (unit, person) with its
title and phone as last given, how often it was used and when last. What is
typed is matched (``NameBook.suggest``, pure, fast enough for every key) as
Chinese, as full pinyin and as initials (``sw`` finds 区水务局), and the
matches are ranked by how well they match, then by use: how often, counting
a use of long ago for less (a use loses half its weight every
``HALF_LIFE_DAYS``). A number typed in a phone field names whose it is
(``NameBook.by_phone``, by the contact book's rule for numbers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from peewee import fn

from duty_desk.core.contacts.view import digits, numbers, same_number
from duty_desk.core.search.names import EXACT_UP_TO, is_pinyin_query, name_tokens

# How far back records count (the contact book counts always).
LOOKBACK_DAYS = 365
HALF_LIFE_DAYS = 90
# The most names kept from records of each source (the most used first).
PER_SOURCE = 2000

UNIT = "unit"
PERSON = "person"


@dataclass(frozen=True)
class Suggestion:
    """One unit, or one person of a unit, as it may be filled into a form."""

    unit: str = ""
    name: str = ""
    title: str = ""
    phone: str = ""
    duty_phone: str = ""
    uses: int = 0
    last_used: datetime | None = None
    contact_id: int | None = None  # from the contact book

    @property
    def who(self) -> str:
        """Unit and person as one party: 区水务局 王科长 (for a field that names either)."""
        return " ".join(p for p in (self.unit, self.name) if p)

    def label(self) -> str:
        """One line naming it: 区水务局 王科长（科长） 13800001111."""
        who = " ".join(p for p in (self.unit, self.name) if p)
        if self.title and self.title not in self.name:
            who += f"（{self.title}）"
        phone = self.phone or self.duty_phone
        return f"{who}  {phone}" if phone else who


@dataclass
class _Entry:
    item: Suggestion
    # A name's pinyin tokens as one string, each between separators, so one
    # substring test finds a token equal to (``\0sw\0``) or beginning with
    # (``\0shuiw``) what was typed: a few thousand names per key, fast.
    unit_tokens: str = ""
    name_tokens: str = ""
    weight: float = 0.0
    blob: str = ""  # all of it: unit, name and their tokens

    def __post_init__(self) -> None:
        self.blob = "\1".join((self.item.unit, self.item.name, self.unit_tokens, self.name_tokens))


_SEP = "\0"


def _joined(tokens: tuple[str, ...]) -> str:
    return _SEP + _SEP.join(tokens) + _SEP if tokens else ""


def weight(uses: int, last_used: datetime | None, now: datetime) -> float:
    """How much a name's use counts: often and lately. A use of long ago counts for less."""
    if not uses or last_used is None:
        return 0.0
    age = max((now - last_used).total_seconds() / 86400, 0.0)
    return math.log1p(uses) * 0.5 ** (age / HALF_LIFE_DAYS)


@dataclass
class NameBook:
    """The names a form may suggest, ranked (see the module's docstring)."""

    entries: list[_Entry] = field(default_factory=list)
    phones: dict[str, Suggestion] = field(default_factory=dict)

    def suggest(self, typed: str, role: str = UNIT, limit: int = 6) -> list[Suggestion]:
        """The best matches of what was typed in a unit field (``role`` UNIT)
        or a person's field (PERSON)."""
        text = " ".join((typed or "").split())
        if not text:
            return []
        pinyin = text.replace(" ", "").lower() if is_pinyin_query(text) else ""
        token = _SEP + pinyin + (_SEP if len(pinyin) <= EXACT_UP_TO else "") if pinyin else None
        scored: list[tuple[int, float, int, _Entry]] = []
        for order, entry in enumerate(self.entries):
            # One test of all the entry's text first: most names do not match at all.
            if text not in entry.blob and (token is None or token not in entry.blob):
                continue
            item = entry.item
            if role == PERSON and not item.name:
                continue
            first, second = (item.unit, item.name) if role == UNIT else (item.name, item.unit)
            first_tokens, second_tokens = ((entry.unit_tokens, entry.name_tokens) if role == UNIT
                                           else (entry.name_tokens, entry.unit_tokens))
            quality = _quality(text, pinyin, first, first_tokens, 3)
            if quality and first == text and not second:
                quality += 1  # exactly what was typed, and nothing more: first
            if not quality:
                quality = _quality(text, pinyin, second, second_tokens, 0)
            if quality:
                scored.append((-quality, -entry.weight, order, entry))
        scored.sort(key=lambda s: s[:3])
        out: list[Suggestion] = []
        seen: set[tuple[str, str]] = set()
        for *_, entry in scored:
            key = (entry.item.unit, entry.item.name if role == PERSON or entry.item.name else "")
            if key in seen:
                continue
            seen.add(key)
            out.append(entry.item)
            if len(out) >= limit:
                break
        return out

    def by_phone(self, number: str) -> Suggestion | None:
        """Whose number this is, when it is known (at least 5 digits typed):
        the same digits, or with the area code or +86 left off on one side
        (the contact book's rule, ``contacts.view.same_number``)."""
        key = digits(number)
        if len(key) < 5:
            return None
        found = self.phones.get(key)
        if found is None:
            found = next((item for have, item in self.phones.items() if same_number(key, have)), None)
        return found


def _quality(text: str, pinyin: str, value: str, tokens: str, bonus: int) -> int:
    """How well ``text`` matches one name: 0 not at all; a match on the
    field being typed (``bonus``) ranks before one on the other field."""
    if not value:
        return 0
    if value == text:
        return 10 + bonus
    if value.startswith(text):
        return 8 + bonus
    if text in value:
        return 6 + bonus
    if pinyin and _SEP + pinyin + (_SEP if len(pinyin) <= EXACT_UP_TO else "") in tokens:
        # Initials match inside a name as well as from its start (``sw``:
        # 区水务局 as much as 市委办公室): which is meant, use decides.
        return 4 + bonus
    return 0


def build_book(items: list[Suggestion], now: datetime) -> NameBook:
    """A book from names gathered anywhere (pure: tests and the reader use it).
    The same unit and person from several sources become one, keeping the
    contact book's title and phones over those of records, and the uses of all."""
    merged: dict[tuple[str, str], Suggestion] = {}
    for item in items:
        key = (item.unit, item.name)
        if not (item.unit or item.name):
            continue
        have = merged.get(key)
        if have is None:
            merged[key] = item
            continue
        contact = have if have.contact_id is not None else item if item.contact_id is not None else None
        newer = have if (have.last_used or datetime.min.replace(tzinfo=now.tzinfo)) >= (
            item.last_used or datetime.min.replace(tzinfo=now.tzinfo)) else item
        base = contact or newer
        last = max((x for x in (have.last_used, item.last_used) if x is not None), default=None)
        merged[key] = replace(base, uses=have.uses + item.uses, last_used=last,
                              title=base.title or newer.title or have.title or item.title,
                              phone=base.phone or newer.phone or have.phone or item.phone)
    book = NameBook()
    for item in merged.values():
        book.entries.append(_Entry(item, _joined(name_tokens(item.unit, False)) if item.unit else "",
                                   _joined(name_tokens(item.name, True)) if item.name else "",
                                   weight(item.uses, item.last_used, now)))
    book.entries.sort(key=lambda e: (-e.weight, e.item.contact_id is None, e.item.unit, e.item.name))
    # Units without a person, for a unit field: each person's unit is a unit too.
    units = {e.item.unit for e in book.entries if not e.item.name}
    extra: dict[str, _Entry] = {}
    for entry in book.entries:
        unit = entry.item.unit
        if unit and entry.item.name and unit not in units:
            have = extra.get(unit)
            w = entry.weight + (have.weight if have else 0.0)
            extra[unit] = _Entry(Suggestion(unit=unit, uses=entry.item.uses + (have.item.uses if have else 0),
                                            last_used=entry.item.last_used), entry.unit_tokens, "", w)
    book.entries.extend(sorted(extra.values(), key=lambda e: -e.weight))
    for entry in book.entries:
        item = entry.item
        for key in (*numbers(item.phone), *numbers(item.duty_phone)):
            if len(key) >= 5 and (key not in book.phones or item.contact_id is not None
                                  and book.phones[key].contact_id is None):
                book.phones[key] = item
    return book


def read_book(now: datetime) -> NameBook:
    """The book of names from the store (on a worker thread)."""
    from duty_desk.core.models import (
        Chase,
        Contact,
        Document,
        Instruction,
        LogEntry,
        Officer,
        UrgentItem,
        Visitor,
    )

    since = now - timedelta(days=LOOKBACK_DAYS)
    items: list[Suggestion] = []
    for c in Contact.select().where(Contact.voided_at.is_null()):
        items.append(Suggestion(unit=c.unit, name=c.name, title=c.title, phone=c.mobile or c.office_phone,
                                duty_phone=c.duty_phone, contact_id=c.id))
    for o in Officer.select().where(Officer.active == True):  # noqa: E712 (SQL)
        if o.role == "leader":
            items.append(Suggestion(name=o.name, phone=o.phone, title="带班领导"))
    items += _used(LogEntry, since, unit=LogEntry.counterpart_unit, name=LogEntry.counterpart_name,
                   title=LogEntry.counterpart_title, phone=LogEntry.counterpart_phone)
    items += _used(Visitor, since, unit=Visitor.unit, name=Visitor.name, phone=Visitor.phone)
    items += _used(Visitor, since, name=Visitor.host)
    items += _used(UrgentItem, since, unit=UrgentItem.source_unit, name=UrgentItem.source_name,
                   phone=UrgentItem.source_phone)
    items += _used(Document, since, unit=Document.sender)
    items += _used(Instruction, since, name=Instruction.leader)
    items += _used(Chase, since, name=Chase.whom)
    return build_book(items, now)


def _used(model, since: datetime, *, unit=None, name=None, title=None, phone=None) -> list[Suggestion]:
    """The names one kind of record used since then, each with how often and when last."""
    cols = [c for c in (unit, name) if c is not None]
    extra = [fn.MAX(c) for c in (title, phone) if c is not None]
    # A duty day's records are found by its index; a chase has no duty day.
    recent = model.duty_date >= since.date() if "duty_date" in model._meta.fields else model.recorded_at >= since
    # Title and phone: the greatest given (portable SQL); the contact book's win over them.
    query = (model.select(*cols, fn.COUNT(model.id), fn.MAX(model.recorded_at), *extra)
             .where(recent)
             .group_by(*cols).order_by(fn.COUNT(model.id).desc()).limit(PER_SOURCE))
    if "voided_at" in model._meta.fields:
        query = query.where(model.voided_at.is_null())
    out = []
    for row in query.tuples():
        values = dict(zip([c.name for c in cols], row[:len(cols)], strict=True))
        rest = row[len(cols):]
        count, last = rest[0], rest[1]
        more = dict(zip([c.name for c in (title, phone) if c is not None], rest[2:], strict=True))
        unit_value = (values.get(unit.name) if unit is not None else "") or ""
        name_value = (values.get(name.name) if name is not None else "") or ""
        if not (unit_value.strip() or name_value.strip()):
            continue
        last_dt = model.recorded_at.python_value(last) if isinstance(last, str) else last
        out.append(Suggestion(unit=unit_value.strip(), name=name_value.strip(),
                              title=(more.get(title.name) if title is not None else "") or "",
                              phone=(more.get(phone.name) if phone is not None else "") or "",
                              uses=int(count), last_used=last_dt))
    return out
