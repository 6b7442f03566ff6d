"""`audit verify`: is the record what its audit trail says it is?

Five checks, each naming the first place that differs:
1. the file's own integrity (SQLite's integrity_check),
2. the guards of the audit trail are in place (and none was ever found removed),
3. the hash chain, event by event,
4. every handover's frozen head digest is still in the chain, at its event,
   and every anchor kept outside the database matches the chain,
5. every record's stored state is what replaying its audit events gives.

Reads only; memory stays flat on big stores: events are streamed per record
kind in record order and merged with the stored rows, keeping one record's
state at a time.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

from peewee import Database, DatabaseError, Model

from duty_desk.core import audit, sqlite_store
from duty_desk.core.i18n import t
from duty_desk.core.models import (
    KINDS,
    AuditEvent,
    Chase,
    DocumentStep,
    Handover,
    HandoverItem,
    Meta,
    OverdueMark,
    UrgentEvent,
)

# Actions that write an event about a record without changing its fields.
NOT_CHANGING = {"chase", "overdue", "instruct", "read_back"}
# Fields written without their value in the audit trail (the handover sheet is
# derived from the records and frozen; it is not a record of its own).
UNAUDITED_FIELDS = {"handover": {"sheet"}}


@dataclass
class Problem:
    code: str  # integrity guard chain handover anchor record unaudited missing_row
    key: str
    params: dict[str, Any]
    place: str

    @property
    def message(self) -> str:
        params = dict(self.params)
        if "kind" in params:
            label = t(f"kind.{params['kind']}")
            params["kind"] = label if label != f"kind.{params['kind']}" else params["kind"]
        if "field" in params:  # the column's name stays: it is what the sqlite3 shell shows
            label = t(f"field.{params['field']}")
            if label != f"field.{params['field']}":
                params["field"] = t("verify.field_label", label=label, name=params["field"])
        return t(self.key, **params)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "place": self.place, "message": self.message, **self.params}


@dataclass
class Report:
    count: int = 0
    head: str = audit.GENESIS
    problems: list[Problem] = field(default_factory=list)
    anchors: int = 0
    total: int = 0  # problems found, of which the first MAX_KEPT of each code are kept

    @property
    def intact(self) -> bool:
        return not self.problems

    def add(self, problem: Problem) -> None:
        """Keep the first few of each code: a store rewritten wholesale would
        otherwise fill memory with one problem per record."""
        self.total += 1
        if sum(1 for p in self.problems if p.code == problem.code) < MAX_KEPT:
            self.problems.append(problem)

    def as_dict(self) -> dict[str, Any]:
        return {"intact": self.intact, "count": self.count, "head": self.head, "anchors": self.anchors,
                "problem_count": self.total, "problems": [p.as_dict() for p in self.problems]}


MAX_KEPT = 50


def verify_store(db: Database, anchors: list[tuple[str, int, str]] | None = None, batch: int = 2000) -> Report:
    """Run every check on the open database (bound to the models)."""
    report = Report()
    if sqlite_store.is_sqlite(db):
        _check_integrity(db, report)
        if report.problems:
            return report  # a damaged file: what it says further cannot be trusted
        _check_guards(db, report)
    try:
        handovers = _handover_heads()
        positions = _check_chain(db, report, handovers, anchors or [], batch)
        _check_handovers(report, handovers, positions)
        _check_records(db, report)
    except DatabaseError as exc:
        report.add(Problem("integrity", "verify.problem.integrity", {"detail": _line(exc)}, "file"))
    report.problems.sort(key=lambda p: RANK.get(p.code, len(RANK)))
    return report


# The most telling problem comes first (the one-line answer names it).
RANK = {code: i for i, code in enumerate(
    ("integrity", "chain", "anchor", "handover", "record", "missing_row", "unaudited", "guard"))}


# --- 1, 2: the file and its guards -----------------------------------------------


def _check_integrity(db: Database, report: Report) -> None:
    try:
        rows = [r[0] for r in db.execute_sql("PRAGMA integrity_check").fetchall()]
    except DatabaseError as exc:
        rows = [_line(exc)]
    if rows != ["ok"]:
        report.add(Problem("integrity", "verify.problem.integrity", {"detail": rows[0]}, "file"))


def _check_guards(db: Database, report: Report) -> None:
    for name in sqlite_store.missing_guards(db):
        report.add(Problem("guard", "verify.problem.guard", {"name": name}, f"trigger {name}"))
    for ev in AuditEvent.select().where((AuditEvent.kind == "store") & (AuditEvent.action == "guard_missing")):
        names = "、".join(json.loads(ev.new or "{}").get("missing", []))
        report.add(Problem("guard", "verify.problem.guard_was_missing",
                           {"at": audit._plain(ev.at), "names": names, "id": ev.id},
                           f"audit_event #{ev.id}"))


# --- 3, 4: the chain, the handover digests, the anchors -----------------------------


def _handover_heads() -> dict[str, list[int]]:
    heads: dict[str, list[int]] = {}
    for hid, digest in Handover.select(Handover.id, Handover.audit_head).tuples():
        heads.setdefault(digest, []).append(hid)
    return heads


def _check_chain(db: Database, report: Report, handovers: dict[str, list[int]],
                 anchors: list[tuple[str, int, str]], batch: int) -> dict[str, tuple[str, int | None]]:
    """Walk the chain; return where each handover digest was found (kind, record)."""
    wanted = {count: (at, digest) for at, count, digest in anchors}
    positions: dict[str, tuple[str, int | None]] = {}
    prev, count, last_id = audit.GENESIS, 0, 0
    broken = False
    while not broken:
        rows = db.execute_sql(
            "SELECT id, at, actor, action, kind, record_id, old, new, outcome, prev_hash, hash"
            f" FROM audit_event WHERE id > {db.param} ORDER BY id LIMIT {db.param}", (last_id, batch)).fetchall()
        if not rows:
            break
        for (eid, at, actor, action, kind, record_id, old, new, outcome, prev_hash, digest) in rows:
            expected = audit.event_digest(prev, at, actor, action, kind, record_id, old, new, outcome)
            if prev_hash != prev or digest != expected or eid != count + 1:
                report.add(Problem("chain", "verify.problem.chain", {"id": eid, "count": count},
                                   f"audit_event #{eid}"))
                broken = True
                break
            prev, count, last_id = digest, count + 1, eid
            if digest in handovers:
                positions[digest] = (kind, record_id)
            if count in wanted and wanted.pop(count)[1] != digest:
                _anchor_problem(report, anchors, count)
    report.count, report.head = count, prev
    if not broken:
        for n in sorted(wanted):  # anchors beyond the head: events were deleted
            _anchor_problem(report, anchors, n)
    report.anchors = len(anchors)
    return positions


def _anchor_problem(report: Report, anchors: list[tuple[str, int, str]], count: int) -> None:
    at, _, digest = next(a for a in anchors if a[1] == count)
    report.add(Problem("anchor", "verify.problem.anchor",
                       {"at": at, "count": count, "short": audit.short_digest(digest)}, f"anchor {at}"))


def _check_handovers(report: Report, handovers: dict[str, list[int]],
                     positions: dict[str, tuple[str, int | None]]) -> None:
    for digest, ids in handovers.items():
        for hid in ids:
            if positions.get(digest) != ("handover", hid):
                report.add(Problem("handover", "verify.problem.handover",
                                   {"id": hid, "short": audit.short_digest(digest or "")}, f"handover #{hid}"))


# --- 5: the records ---------------------------------------------------------------


def _check_records(db: Database, report: Report) -> None:
    for kind, model in KINDS.items():
        _check_kind(db, report, kind, model)
    _check_sheets(db, report)


def _check_sheets(db: Database, report: Report) -> None:
    """Each frozen handover sheet and its items' summaries against the digest
    its create event keeps (events written before it was kept have none)."""
    from duty_desk.core.handover import frozen_digest

    for record_id, new_text in db.execute_sql(
            "SELECT record_id, new FROM audit_event WHERE kind = 'handover' AND action = 'create'"
            " AND outcome = 'success' AND record_id IS NOT NULL ORDER BY id").fetchall():
        told = json.loads(new_text or "{}")
        digest = told.get("sheet_sha256") if isinstance(told, dict) else None
        row = db.execute_sql("SELECT sheet, audit_head FROM handover WHERE id = " + db.param, (record_id,)).fetchone()
        if digest is None or row is None:
            continue  # older events keep no digest; a missing row is named by the record check
        try:
            sheet = json.loads(row[0]) if row[0] else {}
        except ValueError:
            sheet = None
        items = db.execute_sql("SELECT id, open_kind, summary FROM handover_item WHERE handover_id = "
                               + db.param, (record_id,)).fetchall()
        if (not isinstance(sheet, dict) or sheet.get("audit_head") != row[1]
                or frozen_digest(sheet, [tuple(i) for i in items]) != digest):
            report.add(Problem("record", "verify.problem.record",
                               {"kind": "handover", "id": record_id, "field": "sheet"}, f"handover #{record_id}"))


def _events(db: Database, kind: str, record_id: int | None = None, before: int | None = None) -> Iterator[tuple]:
    sql = ("SELECT id, action, record_id, old, new, hash, at, actor FROM audit_event"
           f" WHERE kind = {db.param} AND outcome = 'success' AND record_id IS NOT NULL")
    params: list[Any] = [kind]
    if record_id is not None:
        sql += f" AND record_id = {db.param} AND id < {db.param}"
        params += [record_id, before]
    cursor = db.execute_sql(sql + " ORDER BY record_id, id", params)
    yield from cursor


def _rows(db: Database, model: type[Model], batch: int = 2000) -> Iterator[dict[str, Any]]:
    """Stored rows as raw column values, by id, a page at a time."""
    columns = [f.column_name for f in model._meta.sorted_fields]
    quoted = ", ".join(f'"{c}"' for c in columns)
    names = [f.name for f in model._meta.sorted_fields]
    table = model._meta.table_name
    last = 0
    while True:
        page = db.execute_sql(
            f'SELECT {quoted} FROM "{table}" WHERE id > {db.param} ORDER BY id LIMIT {db.param}',
            (last, batch)).fetchall()
        if not page:
            return
        for values in page:
            yield dict(zip(names, values, strict=True))
        last = page[-1][columns.index("id")]


def _same(field, expected: Any, stored: Any) -> bool:
    """The value the events give (a snapshot's plain form) against the raw
    stored one: equal as they are (text, numbers) or once the stored one is
    read the way the model reads it (a flag, a list, a date)."""
    if expected == stored:
        return True
    try:
        return audit._plain(field.python_value(stored)) == expected
    except (TypeError, ValueError):
        return False


def _check_kind(db: Database, report: Report, kind: str, model: type[Model]) -> None:
    fields = set(model._meta.fields) - UNAUDITED_FIELDS.get(kind, set())
    rows = _rows(db, model)
    row = next(rows, None)
    children = [(name, _Children(query(kind), parent)) for name, query, parent in CHILDREN.get(kind, ())]
    for record_id, group in groupby(_events(db, kind), key=lambda e: e[2]):
        while row is not None and row["id"] < record_id:
            _unaudited(report, kind, row["id"])
            row = next(rows, None)
        events = [(*ev, json.loads(ev[4]) if ev[4] else {}) for ev in group]
        expected = _replay(db, kind, fields, events)
        stored = None
        if row is not None and row["id"] == record_id:
            stored, row = row, next(rows, None)
        for name, stream in children:
            got, orphans = stream.take(record_id)
            _orphans(report, name, orphans)
            quick = CHILD_ACTIONS.get(name)
            if expected is not None and (got or quick is None or any(ev[1] in quick for ev in events)):
                _compare_children(report, kind, record_id, name, events, expected, got)
        if expected is None:
            if stored is not None:
                _unaudited(report, kind, record_id)
            continue
        if stored is None:
            report.add(Problem("missing_row", "verify.problem.missing_row",
                               {"kind": kind, "id": record_id}, f"{kind} #{record_id}"))
            continue
        for name in sorted(fields):
            if name in expected and not _same(model._meta.fields[name], expected[name], stored.get(name)):
                report.add(Problem("record", "verify.problem.record",
                                   {"kind": kind, "id": record_id, "field": name},
                                   f"{kind} #{record_id}"))
                break
    while row is not None:
        _unaudited(report, kind, row["id"])
        row = next(rows, None)
    for name, stream in children:
        _orphans(report, name, stream.rest())


def _unaudited(report: Report, kind: str, record_id: int) -> None:
    report.add(Problem("unaudited", "verify.problem.unaudited", {"kind": kind, "id": record_id},
                       f"{kind} #{record_id}"))


def _replay(db: Database, kind: str, fields: set[str], events: list[tuple]) -> dict[str, Any] | None:
    """A record's fields as its audit events say they are (None: never created)."""
    state: dict[str, Any] | None = None
    for eid, action, record_id, old, _new_text, digest, _at, _actor, *parsed in events:
        new_values = parsed[0] if parsed else (json.loads(_new_text) if _new_text else {})
        if action == "create":
            state = {k: v for k, v in new_values.items() if k in fields}
            state["id"] = record_id
            if kind == "handover":
                state["audit_head"] = digest  # the sheet carries its own event's digest
            continue
        if action == "amend":
            base_id = json.loads(old or "{}").get("amends")
            base = _replay(db, kind, fields, list(_events(db, kind, base_id, eid))) if base_id else None
            state = {**(base or {}), **{k: v for k, v in new_values.items() if k in fields}, "id": record_id}
            continue
        if action in NOT_CHANGING or state is None or not isinstance(new_values, dict):
            continue
        state.update({k: v for k, v in new_values.items() if k in fields})
    return state


# --- child rows: chases, overdue marks, urgent timelines, document steps, handover items ---


class _Children:
    """A child table's rows in parent order, taken one parent at a time."""

    def __init__(self, query, parent) -> None:
        self.rows = iter(query.iterator())
        self.parent = parent
        self.head = next(self.rows, None)

    def take(self, parent_id: int) -> tuple[list[Model], list[Model]]:
        """(rows of this parent, rows of earlier parents that had no events)."""
        orphans: list[Model] = []
        got: list[Model] = []
        while self.head is not None and self.parent(self.head) < parent_id:
            orphans.append(self.head)
            self.head = next(self.rows, None)
        while self.head is not None and self.parent(self.head) == parent_id:
            got.append(self.head)
            self.head = next(self.rows, None)
        return got, orphans

    def rest(self) -> list[Model]:
        out = [] if self.head is None else [self.head]
        out.extend(self.rows)
        self.head = None
        return out


def _by_item(model):
    return lambda kind: model.select().where(model.item_kind == kind).order_by(model.item_id, model.id)


CHILDREN: dict[str, tuple] = {}
for _kind in ("log", "visitor", "document", "urgent", "instruction"):
    CHILDREN[_kind] = (("chase", _by_item(Chase), lambda r: r.item_id),
                       ("overdue", _by_item(OverdueMark), lambda r: r.item_id))
CHILDREN["urgent"] += (("urgent_event", lambda kind: UrgentEvent.select().order_by(UrgentEvent.item, UrgentEvent.id),
                        lambda r: r.__data__["item"]),)
CHILDREN["document"] += (("document_step", lambda kind: DocumentStep.select().order_by(DocumentStep.document,
                                                                                       DocumentStep.id),
                          lambda r: r.__data__["document"]),)
CHILDREN["handover"] = (("handover_item", lambda kind: HandoverItem.select().order_by(HandoverItem.handover,
                                                                                      HandoverItem.id),
                         lambda r: r.__data__["handover"]),)


def _orphans(report: Report, name: str, rows: list[Model]) -> None:
    for r in rows[:1]:  # the first names the place; the rest would only repeat it
        report.add(Problem("unaudited", "verify.problem.unaudited", {"kind": name, "id": r.id},
                           f"{name} #{r.id}"))


def _compare_children(report: Report, kind: str, record_id: int, name: str, events: list[tuple],
                      record: dict[str, Any], rows: list[Model]) -> None:
    expected, actual = SIGNATURES[name](events, record, rows)
    if Counter(map(repr, expected)) != Counter(map(repr, actual)):
        report.add(Problem("record", "verify.problem.child",
                           {"kind": kind, "id": record_id, "child": t(f"kind.{name}")},
                           f"{kind} #{record_id} {name}"))


def _new(ev: tuple) -> Any:
    return ev[8]


# The actions whose events tell about a kind of child row, where that is a
# fixed few: a record with neither such events nor rows is skipped quickly.
# Other kinds are compared for every record (their step names may grow).
CHILD_ACTIONS = {"chase": {"chase"}, "overdue": {"overdue"}}


def _chase_sigs(events, record, rows):
    expected = []
    for ev in events:
        new = _new(ev)
        if ev[1] != "chase":
            continue
        if "id" in new:  # the chase's own snapshot
            expected.append((new["id"], new.get("at"), new.get("by"), new.get("whom"), new.get("means"),
                             new.get("answer"), new.get("recorded_at")))
        else:  # a document's chase step: the chase is told by whom and answer
            expected.append((None, ev[7], new.get("party"), new.get("text")))
    with_id = {sig[0] for sig in expected if sig[0] is not None}
    actual = []
    for r in rows:
        s = audit.snapshot(r)
        actual.append((r.id, s["at"], s["by"], s["whom"], s["means"], s["answer"], s["recorded_at"])
                      if r.id in with_id else (None, s["by"], s["whom"], s["answer"]))
    return expected, actual


def _overdue_sigs(events, record, rows):
    expected = [(n.get("due_kind"), n.get("due_at"), n.get("owner") or "", ev[6])
                for ev in events if ev[1] == "overdue" for n in [_new(ev)]]
    actual = [(s["due_kind"], s["due_at"], s["owner"], s["marked_at"]) for s in map(audit.snapshot, rows)]
    return expected, actual


def _urgent_event_sigs(events, record, rows):
    timeline: dict[int, dict[str, Any]] = {}
    for ev in events:
        new = _new(ev)
        event = new.get("event") if isinstance(new, dict) else None
        if isinstance(event, dict):
            timeline[event["id"]] = dict(event)
        elif ev[1] == "void_event" and isinstance(event, int) and event in timeline:
            timeline[event].update(voided_at=ev[6], voided_by=ev[7], void_reason=new.get("reason"))
    expected = [tuple(sorted(e.items())) for e in timeline.values()]
    actual = []
    for r in rows:
        snap = {k: v for k, v in audit.snapshot(r).items() if k != "item"}
        if r.id in timeline:  # voided_at is taken a moment before its event's time
            snap["voided_at"] = _near(snap["voided_at"], timeline[r.id].get("voided_at"))
        actual.append(tuple(sorted(snap.items())))
    return expected, actual


def _near(stored: str | None, told: str | None, seconds: int = 5) -> str | None:
    """A time the service took with its own clock reading, a moment before the
    audit event's: the event's time when within a few seconds of it."""
    from datetime import datetime

    if stored is None or told is None or stored == told:
        return stored
    try:
        gap = abs((datetime.fromisoformat(stored) - datetime.fromisoformat(told)).total_seconds())
    except ValueError:
        return stored
    return told if gap <= seconds else stored


STEP_FIELDS = ("id", "step", "at", "by", "party", "text", "deadline", "recorded_at")


def _document_step_sigs(events, record, rows):
    """Steps told in full (``steps`` in their event) are compared field by
    field; events written before steps were told so give step, party, text."""
    expected = []
    told: set[int] = set()
    voided: dict[int, tuple] = {}
    for ev in events:
        new, action = _new(ev), ev[1]
        steps = new.get("steps") if isinstance(new, dict) else None
        if isinstance(steps, list):
            for step in steps:
                expected.append(tuple(step.get(k) if isinstance(step, dict) else None for k in STEP_FIELDS))
                if isinstance(step, dict) and isinstance(step.get("id"), int):
                    told.add(step["id"])
        elif action == "create":
            expected += [("sign", "", str(new.get("copies"))), ("register", "", new.get("serial"))]
        elif action == "void_step":
            voided[new.get("step_id")] = (ev[7], new.get("reason"))
        elif action == "chase" and "id" in new:
            expected.append(("chase", new.get("whom"), new.get("answer")))
        elif action == "instruct" and "instruction" in new:
            expected.append(("instruct", new.get("leader"), new.get("text")))
        elif "step" in new and action == new["step"]:
            expected.append((action, new.get("party"), new.get("text")))
    actual = [tuple(s[k] for k in STEP_FIELDS) if r.id in told else (r.step, r.party, r.text)
              for r in rows for s in [audit.snapshot(r)]]
    voids = {r.id: (r.voided_by, r.void_reason) for r in rows if r.voided_at is not None}
    return expected + sorted(voided.items()), actual + sorted(voids.items())


def _handover_item_sigs(events, record, rows):
    items: dict[int, dict[str, Any]] = {}
    for ev in events:
        new = _new(ev)
        if ev[1] == "create":
            for item_id, item_kind, rid, owner, next_action in new.get("items", []):
                items[item_id] = {"item_kind": item_kind, "item_id": rid, "owner": owner or "",
                                  "next_action": next_action, "readback": None, "read_back_by": None,
                                  "read_back_at": None}
        elif ev[1] == "read_back" and new.get("item") in items:
            items[new["item"]].update(readback=new.get("readback"), read_back_by=new.get("read_back_by"),
                                      read_back_at=ev[6])
    expected = [(i, *sorted(v.items())) for i, v in items.items()]
    actual = []
    for r in rows:
        snap = {k: v for k, v in audit.snapshot(r).items() if k in
                ("item_kind", "item_id", "owner", "next_action", "readback", "read_back_by", "read_back_at")}
        if r.id in items:  # read_back_at is taken a moment before its event's time
            snap["read_back_at"] = _near(snap["read_back_at"], items[r.id]["read_back_at"])
        actual.append((r.id, *sorted(snap.items())))
    return expected, actual


SIGNATURES = {"chase": _chase_sigs, "overdue": _overdue_sigs, "urgent_event": _urgent_event_sigs,
              "document_step": _document_step_sigs, "handover_item": _handover_item_sigs}


def _line(exc: BaseException) -> str:
    return (str(exc).strip() or type(exc).__name__).splitlines()[0]


# --- anchors kept outside the database ------------------------------------------------


def read_anchors(path: Path, store: str) -> list[tuple[str, int, str]]:
    """(when, event count, head digest) of this store's anchors, from an anchor
    file or from syslog / journal lines saved to a file (``journalctl -t duty-desk``)."""
    from duty_desk.core.anchor import parse_line

    out = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            found = parse_line(line)
            if found is not None and found[3] == store:
                out.append(found[:3])
    return out


def verify_open(database, anchor_path: Path | None = None) -> Report:
    """Every check of this module on an open database, with the anchors
    of this store read from ``anchor_path`` when given."""
    anchors = None
    missing_anchor = None
    if anchor_path is not None:
        row = Meta.get_or_none(Meta.key == "store_id")
        try:
            anchors = read_anchors(anchor_path, row.value if row else "")
        except OSError:
            anchors = []
        if not anchors:
            missing_anchor = Problem("anchor", "verify.problem.anchor_none", {"path": str(anchor_path)},
                                            f"anchor file {anchor_path}")
    report = verify_store(database, anchors)
    if missing_anchor is not None:
        report.add(missing_anchor)
    return report
