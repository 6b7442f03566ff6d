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
from collections.abc import Iterator
from itertools import groupby
from pathlib import Path
from typing import Any

from peewee import Database, DatabaseError, Model

from duty_desk.core import audit, sqlite_store
from duty_desk.core.models import (
    KINDS,
    AuditEvent,
    Handover,
    Meta,
)
from duty_desk.core.verify.children import (
    CHILD_ACTIONS,
    CHILDREN,
    _Children,
    _compare_children,
    _orphans,
)
from duty_desk.core.verify.report import RANK, Problem, Report

# Actions that write an event about a record without changing its fields.
NOT_CHANGING = {"chase", "overdue", "instruct", "read_back"}
# Fields written without their value in the audit trail (the handover sheet is
# derived from the records and frozen; it is not a record of its own).
UNAUDITED_FIELDS = {"handover": {"sheet"}}


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


__all__ = ["Problem", "Report", "read_anchors", "verify_open", "verify_store"]
