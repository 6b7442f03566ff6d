"""Reading the contact book: the live contacts (or all, voided ones marked),
found by Chinese text, full pinyin or initials (``sw``, ``shuiwu`` and
``水务`` all find 区水务局) and by tag; one contact; who a phone number
belongs to; and who to call for an urgent item's type, duty lines first.

Contacts are returned as ``Card``: plain data any face shows as it is."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from duty_desk.core.errors import NotFound
from duty_desk.core.models import Contact
from duty_desk.core.search.names import is_pinyin_query, matches, name_tokens
from duty_desk.core.services.common import check_id

# An urgent item's type -> the tags of the units and people called about it.
# A tag equal to the type itself counts too (see tags_for). Kept here, not in
# the configuration: an office that tags differently tags its contacts with
# the type's own name (自然灾害 …), which always matches.
TYPE_TAGS: dict[str, tuple[str, ...]] = {
    "自然灾害": ("防汛", "抗旱", "防汛抗旱", "地震", "气象", "地质灾害", "森林防火", "自然灾害"),
    "事故灾难": ("安全生产", "应急", "消防", "交通", "危化品", "事故灾难"),
    "公共卫生事件": ("卫生", "卫健", "疫情", "疾控", "公共卫生", "食品安全", "公共卫生事件"),
    "社会安全事件": ("公安", "信访", "维稳", "社会安全", "社会安全事件"),
}
# The phones a card lists, in the order "who to call" dials them.
CALL_ORDER = ("duty_phone", "office_phone", "mobile")
_DIGITS = re.compile(r"\d+")
_EXTENSION = re.compile(r"(?:分机|转|ext\.?|x)\s*\d+\s*$", re.IGNORECASE)
# A number typed with or without its area code or +86 still matches from this many digits on.
MIN_TAIL = 7


@dataclass(frozen=True)
class Card:
    id: int
    unit: str
    name: str
    title: str
    office_phone: str
    mobile: str
    duty_phone: str
    fax: str
    tags: tuple[str, ...]
    notes: str
    recorded_at: datetime
    recorded_by: str
    voided_at: datetime | None = None
    voided_by: str | None = None
    void_reason: str | None = None

    @property
    def who(self) -> str:
        """区水务局 王科长 (科长): how a list names it."""
        text = " ".join(p for p in (self.unit, self.name) if p)
        return f"{text}（{self.title}）" if self.title and self.name else text

    @property
    def voided(self) -> bool:
        return self.voided_at is not None

    def phones(self) -> list[tuple[str, str]]:
        """(field, number) of each phone it has, duty line first."""
        return [(f, getattr(self, f)) for f in CALL_ORDER if getattr(self, f)]

    @property
    def first_phone(self) -> str:
        found = self.phones()
        return found[0][1] if found else ""


def card(row: Contact) -> Card:
    return Card(row.id, row.unit, row.name, row.title, row.office_phone, row.mobile, row.duty_phone, row.fax,
                tuple(row.tags or ()), row.notes, row.recorded_at, row.recorded_by, row.voided_at, row.voided_by,
                row.void_reason)


def _all(include_void: bool = False) -> list[Contact]:
    query = Contact.select()
    if not include_void:
        query = query.where(Contact.voided_at.is_null())
    # A unit's own card before its people; units in the order of their names.
    return list(query.order_by(Contact.unit, Contact.name != "", Contact.name, Contact.id))


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def text_matches(row: Contact | Card, typed: str) -> bool:
    """Whether what was typed finds the contact: each word (parted by spaces)
    in its unit, name, title, tags, notes or phones, or as the pinyin or
    initials of its unit or name."""
    words = _plain(typed).split()
    if not words:
        return True
    if is_pinyin_query(typed) and _pinyin_matches(row, typed):
        return True
    haystack = _plain(" ".join([row.unit, row.name, row.title, row.notes, " ".join(row.tags or ()),
                                row.office_phone, row.mobile, row.duty_phone, row.fax]))
    return all(w in haystack for w in words)


def _pinyin_matches(row: Contact | Card, typed: str) -> bool:
    query = typed.replace(" ", "").lower()
    tokens = [*name_tokens(row.unit), *name_tokens(row.name, person=True), *(
        tok for tag in row.tags or () for tok in name_tokens(tag))]
    return any(matches(tok, query) for tok in tokens)


def find_contacts(typed: str = "", tag: str = "", include_void: bool = False) -> list[Card]:
    """The contacts what was typed finds (everyone when nothing), with ``tag`` if given."""
    wanted = _plain(tag).strip().lstrip("#")
    out = []
    for row in _all(include_void):
        if wanted and wanted not in {_plain(x) for x in row.tags or ()}:
            continue
        if text_matches(row, typed):
            out.append(card(row))
    return out


def get_contact(contact_id: int) -> Card:
    check_id("contact", contact_id)
    row = Contact.get_or_none(Contact.id == contact_id)
    if row is None:
        raise NotFound("record.not_found", kind="contact", id=contact_id)
    return card(row)


def all_tags() -> list[tuple[str, int]]:
    """Every tag of the live contacts with how many have it, the commonest first."""
    counts: dict[str, int] = {}
    for row in _all():
        for tag in row.tags or ():
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


# --- phone numbers -------------------------------------------------------------


def digits(number: str) -> str:
    """The digits of one number without its extension: 0571-8888 1234 转 8001 -> 057188881234."""
    text = _EXTENSION.sub("", unicodedata.normalize("NFKC", number or ""))
    return "".join(_DIGITS.findall(text))


def numbers(stored: str) -> list[str]:
    """The digits of each number a field holds (two may be parted by / or 、)."""
    return [d for d in (digits(p) for p in re.split(r"\s*[/、]\s*", stored or "")) if d]


def same_number(typed: str, stored: str) -> bool:
    """Whether a typed number is one of the stored ones: the same digits, or
    one ending with the other (an area code or +86 left off) from MIN_TAIL on."""
    want = digits(typed)
    if len(want) < 3:
        return False
    for have in numbers(stored):
        if want == have:
            return True
        short, long = sorted((want, have), key=len)
        if len(short) >= MIN_TAIL and long.endswith(short):
            return True
    return False


def by_phone(number: str) -> list[tuple[Card, str]]:
    """The live contacts with this number, each with the field it is in
    (duty_phone, office_phone, mobile or fax)."""
    if len(digits(number)) < 3:
        return []
    out = []
    for row in _all():
        for field in (*CALL_ORDER, "fax"):
            if same_number(number, getattr(row, field)):
                out.append((card(row), field))
                break
    return out


# --- who to call ------------------------------------------------------------------


def tags_for(event_type: str) -> tuple[str, ...]:
    """The tags of who is called about an urgent item of this type (the type itself too)."""
    value = (event_type or "").strip()
    return tuple(dict.fromkeys((*TYPE_TAGS.get(value, ()), value))) if value else ()


def who_to_call(event_type: str) -> list[Card]:
    """The live contacts tagged for an urgent item's type: those with a
    24-hour duty line first (a unit's duty room answers at any hour), then
    the others; each group by unit."""
    wanted = set(tags_for(event_type))
    found = [card(row) for row in _all() if wanted & set(row.tags or ())]
    return sorted(found, key=lambda c: (not c.duty_phone, not c.first_phone))


def calling_list(event_type: str, typed: str = "", everyone: bool = False) -> list[Card]:
    """Who to call, narrowed by what was typed; ``everyone``: the whole book."""
    if everyone:
        return find_contacts(typed)
    return [c for c in who_to_call(event_type) if text_matches(c, typed)]


def call_target(item_id: int) -> tuple[str, str]:
    """(event type, title) of the urgent item a call is made about."""
    from duty_desk.core.services.common import get_record

    item = get_record("urgent", item_id)
    return item.event_type, item.title
