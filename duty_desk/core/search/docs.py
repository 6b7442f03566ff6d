"""What the index holds of a record: a ``Doc``, built from the record's kind
specification (``core/kinds``: ``search_at``, ``search_text``,
``search_people``, ``search_units``, ``search_parts``), the chases on it, and
for handover notes, from here. Built for many records at once (a rebuild reads
them in batches) or for one (after a write)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from peewee import Model

from duty_desk.core.officer_names import officer_name
from duty_desk.core.search.names import name_tokens
from duty_desk.core.search.text import hex_tag, normalize

# Kinds searched beside the registry's (core.kinds.REGISTRY).
HANDOVER = "handover"


@dataclass(frozen=True)
class Doc:
    kind: str
    record_id: int
    at: int  # seconds since the epoch: its place in "newest first"
    duty_date: str
    state: str  # open | closed | void | superseded
    text: str  # the normalised text of every searched field, one per line
    py: str  # pinyin tokens, each after a space
    tags: str  # filter tokens: kind, state, officers, category

    def same(self, other: Doc | None) -> bool:
        return other is not None and (self.at, self.duty_date, self.state, self.text, self.py, self.tags) == (
            other.at, other.duty_date, other.state, other.text, other.py, other.tags)


def seconds(at: datetime | None) -> int:
    if at is None:
        return 0
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return int(at.timestamp())


def _kinds() -> dict[str, Any]:
    from duty_desk.core.kinds import REGISTRY

    return REGISTRY


def kinds() -> tuple[str, ...]:
    """Every kind the index holds, in the order filters list them."""
    return (*_kinds(), HANDOVER)


def _chases(kind: str, ids: list[int]) -> dict[int, list[tuple[str, str, str]]]:
    from duty_desk.core.models import Chase

    out: dict[int, list[tuple[str, str, str]]] = {}
    rows = (Chase.select(Chase.item_id, Chase.whom, Chase.means, Chase.answer)
            .where((Chase.item_kind == kind) & Chase.item_id.in_(ids)).order_by(Chase.id).tuples())
    for item_id, whom, means, answer in rows:
        out.setdefault(item_id, []).extend((("whom", whom, "unit"), ("means", means, "text"),
                                            ("answer", answer, "text")))
    return out


def _superseded(model: type[Model], ids: list[int]) -> set[int]:
    """Of ``ids``, those a live amendment supersedes."""
    if "amends" not in model._meta.fields:
        return set()
    rows = model.select(model.amends).where(model.amends.in_(ids) & model.voided_at.is_null()).tuples()
    return {r[0] for r in rows}


def _compose(kind: str, record_id: int, at: int, day: date | str, state: str,
             fields: list[tuple[str, str, str]], officers: list[str], extra_tags: list[str]) -> Doc:
    lines: list[str] = []
    py: dict[str, None] = {}
    for _field, value, role in fields:
        if not value:
            continue
        value = str(value)
        lines.append(normalize(value))
        if role in ("person", "unit"):
            for token in name_tokens(value, role == "person"):
                py[token] = None
    tags = [f"k{kind}", f"s{state}", *extra_tags]
    tags.extend(dict.fromkeys(hex_tag("o", o) for o in officers if o))
    return Doc(kind, record_id, at, str(day), state, "\n".join(lines), "".join(" " + p for p in py),
               " ".join(tags))


def record_fields(kind: str, records: list[Model]) -> dict[int, list[tuple[str, str, str]]]:
    """Each record's searched (field, text, role), its sub-records' and chases' included."""
    if kind == HANDOVER:
        return {h.id: _handover_fields(h) for h in records}
    spec = _kinds()[kind]
    ids = [r.id for r in records]
    parts = spec.search_parts(ids) if spec.search_parts else {}
    chases = _chases(kind, ids) if spec.chaseable else {}
    out = {}
    for record in records:
        fields = []
        for name in spec.search_text:
            role = "person" if name in spec.search_people else "unit" if name in spec.search_units else "text"
            fields.append((name, getattr(record, name) or "", role))
        fields.extend(parts.get(record.id, ()))
        fields.extend(chases.get(record.id, ()))
        out[record.id] = fields
    return out


def _record_docs(kind: str, records: list[Model]) -> list[Doc]:
    spec = _kinds()[kind]
    fields = record_fields(kind, records)
    superseded = _superseded(spec.model, [r.id for r in records])
    out = []
    for record in records:
        if record.voided_at is not None:
            state = "void"
        elif record.id in superseded:
            state = "superseded"
        else:
            state = "open" if spec.is_open(record) else "closed"
        at = getattr(record, spec.search_at, None) or record.recorded_at
        officers = [record.recorded_by, getattr(record, "owner", None) or ""]
        extra = [hex_tag("c", record.category)] if kind == "log" else []
        out.append(_compose(kind, record.id, seconds(at), record.duty_date, state, fields[record.id], officers,
                            extra))
    return out


def _handover_fields(h: Model) -> list[tuple[str, str, str]]:
    fields = [("notes", h.notes, "text"), ("outgoing", officer_name(h.outgoing), "person")]
    if h.accepted_by:
        fields.append(("accepted_by", officer_name(h.accepted_by), "person"))
    return fields


def _handover_docs(rows: list[Model]) -> list[Doc]:
    out = []
    for h in rows:
        state = "closed" if h.accepted_at is not None else "open"
        out.append(_compose(HANDOVER, h.id, seconds(h.handed_over_at), h.shift.duty_date, state,
                            _handover_fields(h), [h.outgoing, h.accepted_by or ""], []))
    return out


def _select(kind: str):
    from duty_desk.core.models import Handover, Shift

    if kind == HANDOVER:
        return Handover.select(Handover, Shift).join(Shift)
    return _kinds()[kind].model.select()


def docs_of(kind: str, records: list[Model]) -> list[Doc]:
    if kind == HANDOVER:
        return _handover_docs(records)
    return _record_docs(kind, records)


def records_of(kind: str, ids: list[int]) -> dict[int, Model]:
    """The records of one kind by id (those that exist)."""
    model = _select(kind).model
    return {r.id: r for r in _select(kind).where(model.id.in_(ids))}


def doc_of(kind: str, record_id: int) -> tuple[Doc | None, int | None]:
    """The Doc of one record as it is stored now (None when there is none),
    and the record it amends, if it is an amendment (its state follows)."""
    if kind != HANDOVER and kind not in _kinds():
        return None, None
    found = list(records_of(kind, [record_id]).values())
    if not found:
        return None, None
    return docs_of(kind, found)[0], found[0].__data__.get("amends")


def _stored_kinds() -> tuple[str, ...]:
    """The kinds whose table exists. A store being migrated gets its search
    index (step 5) before later steps create the tables of newer kinds
    (standing orders, step 7): those hold nothing to index yet."""
    return tuple(k for k in kinds() if _select(k).model.table_exists())


def count_all() -> int:
    return sum(_select(k).count() for k in _stored_kinds())


def all_docs(batch: int = 2000) -> Iterator[list[Doc]]:
    """Every record's Doc, kind by kind, in batches by id: memory stays flat."""
    for kind in _stored_kinds():
        query = _select(kind)
        model = query.model
        last = 0
        while True:
            rows = list(query.where(model.id > last).order_by(model.id).limit(batch))
            if not rows:
                break
            last = rows[-1].id
            yield docs_of(kind, rows)
