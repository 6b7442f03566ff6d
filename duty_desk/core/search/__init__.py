"""Search every record: the one interface the desk and the command line use.

The index is kept in step with the records in the transaction of each write:
``audit.append`` names the record every event is about (``touched``), and the
end of the write (``core.desk.writing``) re-indexes what was touched
(``flush``) before the commit, so a write and its index entry are committed
or lost together. A record is re-indexed from what is stored, so whatever the
write changed (created, corrected, voided, amended, closed, chased) is what
the index holds. The engine's own index lives behind ``SearchIndex``
(``sqlite.SqliteSearch``); another engine gets its own class.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from peewee import Database

from duty_desk.core.search.docs import HANDOVER, Doc
from duty_desk.core.search.query import SearchQuery, parse

# Events that change nothing the index holds (a due time moved, an overdue mark).
UNSEARCHED_ACTIONS = frozenset({"overdue", "recompute_due"})
PAGE = 20


class SearchIndex(Protocol):
    name: str

    def install(self, db: Database) -> None: ...
    def drop(self, db: Database) -> None: ...
    def installed(self, db: Database) -> bool: ...
    def put(self, db: Database, doc: Doc) -> None: ...
    def remove(self, db: Database, kind: str, record_id: int) -> None: ...
    def find(self, db: Database, query: SearchQuery, logins: tuple[str, ...] | None, lo: int | None,
             hi: int | None, before: int | None, limit: int) -> list[tuple[int, str, int, str, str]]: ...
    def fill(self, db: Database, batches, total: int, progress) -> int: ...
    def rebuild(self, db: Database, batches, total: int, progress) -> dict: ...
    def compare(self, db: Database, batches, total: int, progress) -> dict: ...
    def size(self, db: Database) -> int: ...
    def count(self, db: Database) -> int: ...


def index_of(db: Database) -> SearchIndex:
    from duty_desk.core.search.sqlite import SqliteSearch

    return SqliteSearch()


def kinds() -> tuple[str, ...]:
    from duty_desk.core.search.docs import kinds as _kinds

    return _kinds()


# -- in step with the writes -----------------------------------------------------

_pending = threading.local()
# The databases known to have the index (asked once each, not on every write).
_installed: set[int] = set()


def touched(db: Database | None, kind: str, record_id: int | None, action: str) -> None:
    """A successful audit event about a record: re-index it before the
    commit (at the end of the write, or at once outside one)."""
    if db is None or record_id is None or action in UNSEARCHED_ACTIONS or kind not in _searched():
        return
    queue = getattr(_pending, "queue", None)
    if queue is None:
        _pending.queue = queue = {}
    queue[(kind, record_id)] = None
    if not getattr(_pending, "depth", 0):
        flush(db)


class writes:
    """The extent of one write (core.desk.writing): what it touches is
    re-indexed when it ends, still inside its transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.mark = 0

    def __enter__(self) -> None:
        _pending.depth = getattr(_pending, "depth", 0) + 1
        self.mark = len(getattr(_pending, "queue", None) or {})

    def __exit__(self, exc_type, exc, tb) -> None:
        _pending.depth -= 1
        if exc_type is not None:
            # Only what this write touched is rolled back with it: an
            # enclosing write that goes on still re-indexes what it touched.
            queue = getattr(_pending, "queue", None) or {}
            _pending.queue = dict(list(queue.items())[: self.mark]) or None
        else:
            flush(self.db)


def flush(db: Database) -> None:
    """Re-index every record touched since the last flush (inside the write's transaction)."""
    queue = getattr(_pending, "queue", None)
    if not queue:
        return
    _pending.queue = None
    index = index_of(db)
    if id(db) not in _installed:
        if not index.installed(db):
            return  # a store being migrated: the index is built from the records next
        _installed.add(id(db))
    done: set[tuple[str, int]] = set()
    for kind, record_id in queue:
        reindex(db, index, kind, record_id, done)


def discard() -> None:
    """Forget what was touched: the write was rolled back."""
    _pending.queue = None


def reindex(db: Database, index: SearchIndex, kind: str, record_id: int, done: set | None = None) -> None:
    from duty_desk.core.search.docs import doc_of

    done = set() if done is None else done
    if (kind, record_id) in done:
        return
    done.add((kind, record_id))
    doc, original = doc_of(kind, record_id)
    if doc is None:
        index.remove(db, kind, record_id)
    else:
        index.put(db, doc)
    if original is not None:  # an amendment's state decides its original's
        reindex(db, index, kind, original, done)


_SEARCHED: frozenset[str] | None = None


def _searched() -> frozenset[str]:
    global _SEARCHED
    if _SEARCHED is None:
        _SEARCHED = frozenset(kinds())
    return _SEARCHED


# -- building --------------------------------------------------------------------

Progress = Callable[[int, int], None]


def build(db: Database, progress: Progress | None = None) -> int:
    """Create the index and fill it from every record (a new store, or one
    from before search). Returns the number of records indexed."""
    from duty_desk.core.models import Meta
    from duty_desk.core.search import docs
    from duty_desk.core.search.text import TOKENS_VERSION

    index = index_of(db)
    index.drop(db)
    index.install(db)
    done = index.fill(db, docs.all_docs(), docs.count_all(), progress)
    Meta.insert(key=VERSION_KEY, value=str(TOKENS_VERSION)).on_conflict_replace().execute()
    return done


VERSION_KEY = "search_tokens"


def outdated(db: Database) -> bool:
    """Whether the index was built by a version that made other tokens (it is
    then rebuilt: core.db.migrate). A store from before search has none yet."""
    from duty_desk.core.models import Meta
    from duty_desk.core.search.text import TOKENS_VERSION

    if not index_of(db).installed(db):
        return False
    row = Meta.get_or_none(Meta.key == VERSION_KEY)
    return (int(row.value) if row else 1) != TOKENS_VERSION


def rebuild(db: Database, progress: Progress | None = None) -> dict:
    """Rebuild from the records in one transaction, compare with the index kept
    in step, keep the rebuilt one; the comparison is returned (see SqliteSearch)."""
    from duty_desk.core.search import docs

    with db.atomic():
        index = index_of(db)
        if not index.installed(db):
            index.install(db)
        report = index.rebuild(db, docs.all_docs(), docs.count_all(), progress)
        from duty_desk.core.models import Meta
        from duty_desk.core.search.text import TOKENS_VERSION

        Meta.insert(key=VERSION_KEY, value=str(TOKENS_VERSION)).on_conflict_replace().execute()
        return report


def check(db: Database, progress: Progress | None = None) -> dict:
    """Whether the index kept in step equals one rebuilt from the records now
    (built aside and dropped: nothing changes); the report of ``rebuild``."""
    from duty_desk.core.search import docs

    with db.atomic():
        return index_of(db).compare(db, docs.all_docs(), docs.count_all(), progress)


# -- asking ----------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    kind: str
    record_id: int
    place: int  # paging: the next page starts below the last hit's place
    duty_date: str
    at: object  # datetime the record happened
    state: str  # open closed void superseded
    label: str  # the state as the reader sees it (已作废, 已更正, 待办 …; "" when none)
    title: str
    field: str  # the field the snippet is from
    field_label: str  # its name in the UI language
    snippet: str
    spans: tuple[tuple[int, int], ...]  # highlighted ranges of the snippet


@dataclass(frozen=True)
class Page:
    hits: list[Hit]
    after: int | None  # pass as ``before`` for the next page; None: no more


def officer_logins(typed: tuple[str, ...]) -> tuple[str, ...]:
    """The logins ``人:`` names: a login, a name or part of it, or its pinyin."""
    from duty_desk.core.models import Officer
    from duty_desk.core.search import names as pinyin
    from duty_desk.core.search.text import normalize

    officers = list(Officer.select(Officer.login, Officer.name).tuples())
    out: dict[str, None] = {}
    for value in typed:
        low = normalize(value)
        for login, name in officers:
            if low == login.lower() or (name and low in normalize(name)) or (
                    pinyin.is_pinyin_query(value)
                    and any(tok.startswith(low) for tok in pinyin.name_tokens(name or "", True))):
                out[login] = None
    return tuple(out)


def search(desk, query: SearchQuery | str, *, before: int | None = None, limit: int = PAGE) -> Page:
    """The newest ``limit`` records matching ``query`` older than ``before``."""
    from duty_desk.core.dutytime import duty_day_bounds
    from duty_desk.core.errors import InvalidInput

    if isinstance(query, str):
        query = parse(query)
    if query.empty:
        raise InvalidInput("search.empty", field="query")
    index = index_of(desk.db)
    if not index.installed(desk.db):
        raise InvalidInput("search.no_index", field="query")
    lo = hi = None
    if query.since:
        lo = int(duty_day_bounds(query.since, desk.cfg)[0].timestamp())
    if query.until:
        hi = int(duty_day_bounds(query.until + timedelta(days=1), desk.cfg)[0].timestamp())
    logins = officer_logins(query.officers) if query.officers else None
    if query.officers and not logins:  # a slip in the name, not "nothing found"
        raise InvalidInput("search.bad_officer", field="officer", officer="、".join(query.officers))
    rows = index.find(desk.db, query, logins, lo, hi, before, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    hits = _hits(desk, query, rows)
    return Page(hits, rows[-1][0] if more and rows else None)


def _hits(desk, query: SearchQuery, rows: list[tuple]) -> list[Hit]:
    from duty_desk.core.search import docs
    from duty_desk.core.search.sqlite import SLOTS

    by_kind: dict[str, list[int]] = {}
    for _place, kind, record_id, _day, _state in rows:
        by_kind.setdefault(kind, []).append(record_id)
    records: dict[tuple[str, int], object] = {}
    fields: dict[tuple[str, int], list] = {}
    for kind, ids in by_kind.items():
        found = docs.records_of(kind, ids)
        for rid, rec in found.items():
            records[(kind, rid)] = rec
        for rid, f in docs.record_fields(kind, list(found.values())).items():
            fields[(kind, rid)] = f
    out = []
    from datetime import datetime, timezone

    from duty_desk.core.rules import field_label

    for place, kind, record_id, day, state in rows:
        record = records.get((kind, record_id))
        if record is None:
            continue
        field, snippet, spans = snippet_of(fields[(kind, record_id)], query)
        out.append(Hit(kind, record_id, place, day, datetime.fromtimestamp(place // SLOTS, timezone.utc), state,
                       label_of(kind, record, state), title_of(kind, record, desk.cfg), field,
                       field_label(field, kind) if field else "", snippet, spans))
    return out


def label_of(kind: str, record, state: str) -> str:
    from duty_desk.core import kinds as registry
    from duty_desk.core.i18n import t

    if state == "superseded":
        return t("search.superseded")
    if kind == HANDOVER:
        return t(f"search.handover.{state}")
    spec = registry.find(kind)
    shown = spec.state_of(record) if spec else ""
    return t(f"state.{kind}.{shown}") if shown else ""


def title_of(kind: str, record, cfg) -> str:
    from duty_desk.core import kinds as registry
    from duty_desk.core.dutytime import fmt_hm
    from duty_desk.core.i18n import t
    from duty_desk.core.officer_names import officer_name

    if kind == HANDOVER:
        return t("search.handover_title", at=fmt_hm(record.handed_over_at, cfg), name=officer_name(record.outgoing))
    return registry.summary(kind, record, cfg)


SNIPPET = 60


def snippet_of(fields: list[tuple[str, str, str]], query: SearchQuery) -> tuple[str, str, tuple]:
    """The first field with a match, cut to about SNIPPET characters around
    the first match, and where the words are in it."""
    from duty_desk.core.search import names as pinyin
    from duty_desk.core.search.text import spans

    for field, value, _role in fields:
        found = spans(value or "", list(query.words)) if value else []
        if found:
            start = max(0, found[0][0] - SNIPPET // 3)
            end = min(len(value), start + SNIPPET)
            start = max(0, min(start, end - SNIPPET))
            cut = value[start:end].replace("\n", " ")
            shifted = tuple((max(a - start, 0), min(b - start, len(cut))) for a, b in found
                            if a < end and b > start)
            return field, ("…" if start else "") + cut + ("…" if end < len(value) else ""), tuple(
                (a + (1 if start else 0), b + (1 if start else 0)) for a, b in shifted)
    if query.pinyin:
        for field, value, role in fields:
            if role in ("person", "unit") and value and any(
                    pinyin.matches(tok, query.pinyin) for tok in pinyin.name_tokens(value, role == "person")):
                cut = value[:SNIPPET].replace("\n", " ")
                return field, cut, ((0, len(cut)),)
    for field, value, _role in fields:
        if value:
            return field, value[:SNIPPET].replace("\n", " "), ()
    return "", "", ()


def size(db: Database) -> int:
    return index_of(db).size(db)


__all__ = ["Hit", "Page", "SearchIndex", "SearchQuery", "build", "discard", "flush", "index_of", "kinds", "parse",
           "rebuild", "search", "size", "touched"]
