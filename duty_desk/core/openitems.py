"""One notion of an open item across record kinds (件件有着落、事事有回音).

An open item has an owner, a received-at time, a due time and a next action:
a call or task awaiting its result, a visitor on the premises, a document not
closed, a leader's instruction not answered, an urgent item not closed (due:
its next report).

The list is one SQL query: a UNION ALL of one indexed SELECT per kind, sorted
by due time and paged with LIMIT/OFFSET in the database, so the view stays
instant however many closed items the history holds. Only the page's rows
reach Python.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce
from typing import Any, NamedTuple

from peewee import Model, Select, Value

from duty_desk.core import clock
from duty_desk.core import kinds as registry
from duty_desk.core.config import Config
from duty_desk.core.desk import Desk, officer_name
from duty_desk.core.dutytime import fmt_duration, to_local
from duty_desk.core.errors import InvalidInput
from duty_desk.core.i18n import t
from duty_desk.core.models import Chase, UTCDateTimeField
from duty_desk.core.rules import is_overdue

# Open-item kind -> the record kind used in the audit trail, chases and commands.
RECORD_KINDS = registry.RECORD_KINDS
OPEN_KINDS = registry.OPEN_KINDS


_UTC = UTCDateTimeField()


class LastChase(NamedTuple):
    at: datetime
    whom: str
    answer: str
    means: str
    by: str


@dataclass
class OpenItem:
    kind: str  # call | visitor | document | instruction | urgent
    record_kind: str  # the audit kind: log | visitor | document | instruction | urgent
    id: int
    title: str
    owner: str
    received_at: datetime | None
    due_at: datetime | None
    due_kind: str
    next_action: str
    overdue: bool = False
    state: str = ""
    detail: str = ""  # category, unit, serial, level or leader, by kind
    age: timedelta | None = None  # since received, at the time of listing
    parent_kind: str | None = None  # an instruction's item
    parent_id: int | None = None
    last_chase: LastChase | None = None
    chase_count: int = 0

    def as_dict(self, cfg: Config, now: datetime | None = None,
                names: dict[str, str] | None = None) -> dict[str, Any]:
        """The item for display and JSON; ``names`` (login -> name, read once
        for a whole list) spares a query per item."""
        now = now or clock.now()
        chase = self.last_chase
        return {
            "kind": self.kind,
            "kind_label": kind_label(self.kind, self.detail),
            "record_kind": self.record_kind,
            "id": self.id,
            "ref": f"{self.record_kind} {self.id}",
            "title": self.title,
            "detail": self.detail,
            "state": self.state,
            "owner": self.owner,
            "owner_name": names.get(self.owner, self.owner) if names is not None else officer_name(self.owner),
            "received_at": _local(self.received_at, cfg),
            "age": fmt_duration(now - self.received_at) if self.received_at else "",
            "due_at": _local(self.due_at, cfg),
            "due_kind": self.due_kind,
            "due_label": t(f"due.{self.due_kind}") if self.due_kind else "",
            "due_in": fmt_duration(self.due_at - now) if self.due_at else "",
            "overdue": self.overdue,
            "next_action": self.next_action,
            "parent": f"{self.parent_kind} {self.parent_id}" if self.parent_kind else None,
            "chase_count": self.chase_count,
            "last_chase_at": _local(chase.at, cfg) if chase else None,
            "last_chase_whom": chase.whom if chase else None,
            "last_chase_answer": chase.answer if chase else None,
        }


def kind_label(kind: str, detail: str = "") -> str:
    """What an open item is, for a person: a call awaits its result, a task
    (交办) is to be carried out, a visitor is on the premises."""
    if kind == "call" and detail:
        label = t(f"open.kind.call.{detail}")
        return label if label != f"open.kind.call.{detail}" else t("open.kind.call_other", category=detail)
    return t(f"open.kind.{kind}")


def record_ref(record_kind: str, record_id: int | None) -> str:
    """A record as people refer to it: 值班日志 #4."""
    return t("open.ref", kind=t(f"kind.{record_kind}"), id=record_id)


def _local(moment: datetime | None, cfg: Config) -> str | None:
    return to_local(moment, cfg).strftime("%m-%d %H:%M") if moment else None


def normalize_kinds(kinds: Iterable[str] | str | None) -> tuple[str, ...]:
    """Open-item kinds from what a user typed (``log`` means ``call``)."""
    if kinds is None:
        return OPEN_KINDS
    if isinstance(kinds, str):
        kinds = [kinds]
    wanted = {registry.find(k).open_name if registry.find(k) else k for k in kinds}
    unknown = wanted - set(OPEN_KINDS)
    if unknown:
        raise InvalidInput("open.kind_unknown", field="kind", kind=sorted(unknown)[0],
                           choices=" ".join(OPEN_KINDS))
    return tuple(k for k in OPEN_KINDS if k in wanted)


# --- the query ---------------------------------------------------------------

def _branch(kind: str, model: type[Model], where, *, title, detail, owner, received, due, due_kind, state,
            parent_kind=None, parent_id=None) -> Select:
    """One kind's open rows, with the columns every kind shares, in one order."""
    return model.select(
        Value(kind).alias("kind"),
        model.id.alias("id"),
        title.alias("title"),
        detail.alias("detail"),
        owner.alias("owner"),
        received.alias("received_at"),
        due.alias("due_at"),
        due_kind.alias("due_kind"),
        state.alias("state"),
        (parent_kind if parent_kind is not None else Value(None)).alias("parent_kind"),
        (parent_id if parent_id is not None else Value(None)).alias("parent_id"),
        # Items without a due time sort last; a compound ORDER BY needs a column.
        due.is_null().alias("no_due"),
    ).where(where)


def _branches(wanted: tuple[str, ...], owner: str | None, overdue_before: datetime | None) -> list[Select]:
    """One SELECT per wanted kind, from the kind's own open rule and columns."""
    out: list[Select] = []
    for spec in registry.REGISTRY.values():
        if spec.open_name not in wanted:
            continue
        model, cols = spec.model, spec.open_columns()
        where, owner_expr = spec.open_where(), spec.owner_expr()
        due = getattr(model, spec.due_field) if spec.due_field else None
        if owner:
            where &= owner_expr == owner
        if overdue_before is not None:
            if due is None:
                continue  # nothing due, never overdue
            where &= due < overdue_before  # rules.is_overdue, in SQL
        out.append(_branch(spec.open_name, model, where, title=cols.title, detail=cols.detail, owner=owner_expr,
                           received=cols.received, due=due if due is not None else Value(None),
                           due_kind=cols.due_kind, state=cols.state, parent_kind=cols.parent_kind,
                           parent_id=cols.parent_id))
    return out


def _union_sql(branches: list[Select]) -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    for b in branches:
        sql, p = b.sql()
        parts.append(sql)
        params.extend(p)
    return " UNION ALL ".join(parts), params


ORDER = "no_due, due_at, received_at, kind, id"


def open_items_sql(desk: Desk, *, kinds: Iterable[str] | str | None = None, owner: str | None = None,
                   overdue_only: bool = False, limit: int | None = None,
                   offset: int = 0) -> tuple[str, list[Any]] | None:
    """The page query as (sql, params); None when the filters exclude every kind.
    Public so a test can ask the database for its plan."""
    wanted = normalize_kinds(kinds)
    branches = _branches(wanted, owner or None, desk.now() if overdue_only else None)
    if not branches:
        return None
    union, params = _union_sql(branches)
    param = desk.db.param
    sql = f"SELECT * FROM ({union}) AS open_items ORDER BY {ORDER}"
    if limit is not None or offset:
        # SQLite needs a LIMIT to accept an OFFSET: "no limit" is a very large one.
        sql += f" LIMIT {param} OFFSET {param}"
        params += [limit if limit is not None else 2**62, max(0, int(offset))]
    return sql, params


def list_open(desk: Desk, *, kinds: Iterable[str] | str | None = None, owner: str | None = None,
              overdue_only: bool = False, limit: int | None = None, offset: int = 0) -> list[OpenItem]:
    """Every open item of every kind and every day (or one page of them):
    overdue first, then by how soon due; items with nothing due last."""
    query = open_items_sql(desk, kinds=kinds, owner=owner, overdue_only=overdue_only, limit=limit, offset=offset)
    if query is None:
        return []
    now = desk.now()
    cursor = desk.db.execute_sql(*query)
    names = [c[0] for c in cursor.description]
    items = [_item(dict(zip(names, row, strict=True)), now) for row in cursor.fetchall()]
    _attach_chases(items)
    return items


def count_open(desk: Desk, *, kinds: Iterable[str] | str | None = None, owner: str | None = None,
               overdue_only: bool = False) -> int:
    query = open_items_sql(desk, kinds=kinds, owner=owner, overdue_only=overdue_only)
    if query is None:
        return 0
    sql, params = query
    return desk.db.execute_sql(f"SELECT COUNT(*) FROM ({sql}) AS page", params).fetchone()[0]


def count_overdue(desk: Desk) -> int:
    """How many open items are past their due time (the header's count)."""
    return count_open(desk, overdue_only=True)


def counts(desk: Desk, *, kinds: Iterable[str] | str | None = None, owner: str | None = None) -> tuple[int, int]:
    """(open items, of them overdue) in one query: what `check` and a header
    say, without building and running the union twice."""
    query = open_items_sql(desk, kinds=kinds, owner=owner)
    if query is None:
        return 0, 0
    sql, params = query
    # rules.is_overdue in SQL, as the overdue filter of each branch has it.
    row = desk.db.execute_sql(
        f"SELECT COUNT(*), COALESCE(SUM(due_at IS NOT NULL AND due_at < {desk.db.param}), 0) FROM ({sql}) AS page",
        [_UTC.db_value(desk.now()), *params]).fetchone()
    return row[0], row[1]


def _time(value: Any) -> datetime | None:
    return _UTC.python_value(value) if value is not None else None


def _item(row: dict[str, Any], now: datetime) -> OpenItem:
    kind = row["kind"]
    received, due = _time(row["received_at"]), _time(row["due_at"])
    title, detail, state = row["title"] or "", row["detail"] or "", row["state"] or ""
    title = registry.BY_OPEN_NAME[kind].open_title(title, detail)
    return OpenItem(
        kind=kind, record_kind=RECORD_KINDS[kind], id=row["id"], title=title, owner=row["owner"] or "",
        received_at=received, due_at=due, due_kind=row["due_kind"] or "",
        next_action=next_action(kind, state, row["due_kind"] or ""),
        overdue=is_overdue(due, now), state=state, detail=detail,
        age=now - received if received else None,
        parent_kind=row["parent_kind"], parent_id=row["parent_id"],
    )


def next_action(kind: str, state: str, due_kind: str = "") -> str:
    """What an open item of open-item kind ``kind`` waits for next."""
    return registry.BY_OPEN_NAME[kind].next_action(state, due_kind)


def _attach_chases(items: list[OpenItem]) -> None:
    """The number of chases and the last one, for the page's items only."""
    by_kind: dict[str, list[int]] = {}
    for it in items:
        by_kind.setdefault(it.record_kind, []).append(it.id)
    found: dict[tuple[str, int], list[Chase]] = {}
    if not by_kind:
        return
    # One query for every kind on the page (each branch of the OR an index search).
    where = reduce(operator.or_, [(Chase.item_kind == kind) & Chase.item_id.in_(ids) for kind, ids in by_kind.items()])
    for c in Chase.select().where(where).order_by(Chase.at, Chase.id):
        found.setdefault((c.item_kind, c.item_id), []).append(c)
    for it in items:
        chases = found.get((it.record_kind, it.id), [])
        it.chase_count = len(chases)
        if chases:
            last = chases[-1]
            it.last_chase = LastChase(last.at, last.whom, last.answer, last.means, last.by)


# --- one record --------------------------------------------------------------

def is_open(record_kind: str, record: Model) -> bool:
    """Whether one record is an open item (the same rules as the query)."""
    if getattr(record, "voided_at", None) is not None:
        return False
    spec = registry.find(record_kind)
    return spec is not None and spec.is_open(record)


def record_owner(record_kind: str, record: Model) -> str:
    """Who owns a record now: the owner, else whoever first received it."""
    return registry.kind(record_kind).owner_of(record)
