"""Keep the stored due times of open items in line with config.toml.

Due times are stored so the open-items view can sort and page in SQL. A due
time someone typed (``due_explicit`` / ``deadline_explicit``) is theirs and
stays; every other one follows the rules in ``deadlines``. After the
configuration changed, the next start moves them and audits each move as
actor "system".
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from peewee import Model, PeeweeException

from duty_desk.core import audit
from duty_desk.core.config import Config
from duty_desk.core.deadlines import document_due, instruction_due, ordinary_due
from duty_desk.core.desk import Desk
from duty_desk.core.kinds import live
from duty_desk.core.models import DOCUMENT_OPEN_STATES, Document, Instruction, LogEntry, Meta
from duty_desk.core.services import urgent


def _pending(desk: Desk) -> list[tuple[str, Model, dict[str, Any]]]:
    """The rule-made due times that differ from the rules now, as
    (kind, record, {field: new value}). Inside a write transaction it is
    the read the writes rest on; outside, only a cheap first look."""
    cfg = desk.cfg
    out: list[tuple[str, Model, dict[str, Any]]] = []
    calls = LogEntry.select().where((LogEntry.needs_action == True) & LogEntry.closed_at.is_null()  # noqa: E712
                                    & (LogEntry.due_explicit == False) & live(LogEntry))  # noqa: E712
    out += [("log", e, {"due_at": ordinary_due(e.occurred_at, cfg)}) for e in calls]
    documents = Document.select().where(Document.state.in_(DOCUMENT_OPEN_STATES)
                                        & (Document.deadline_explicit == False) & live(Document))  # noqa: E712
    out += [("document", d, {"deadline": document_due(d.urgency, d.received_at, cfg)}) for d in documents]
    instructions = Instruction.select().where(Instruction.answered_at.is_null() & Instruction.voided_at.is_null()
                                              & (Instruction.due_explicit == False))  # noqa: E712
    out += [("instruction", i, {"due_at": instruction_due(i.given_at, cfg)}) for i in instructions]
    for item in urgent.open_urgent_items():
        kind, at = urgent.rule_due(desk, item)
        out.append(("urgent", item, {"next_due_kind": kind, "next_due_at": at}))
    return [(k, row, new) for (k, row, new) in out if any(getattr(row, f) != v for f, v in new.items())]


# Raised whenever the deadline rules in ``deadlines`` change in a way that
# moves due times: the next start recomputes, as after a configuration change.
RULES_VERSION = 1
# The store remembers the rules of its last recompute here (table meta).
STAMP_KEY = "due_rules"


def rules_stamp(cfg: Config) -> str:
    """The rules the stored due times follow: the deadline settings of the
    configuration and the version of the rules' code."""
    settings = {name: getattr(cfg, name) for name in (
        "ordinary_minutes", "document_hours", "followup_minutes", "phone_report_minutes",
        "written_report_minutes", "daily_report_after_hours")}
    text = json.dumps([RULES_VERSION, settings], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def recompute_due_times(desk: Desk) -> int:
    """Bring every open item's rule-made due time in line with the current
    configuration. Returns how many moved (each audited as "system").

    Every start asks, so it must cost nothing in the usual case: the store
    keeps the stamp of the rules its due times were last brought in line
    with (``rules_stamp``), and while the configuration's rules are the same,
    no item is read (one read of one row). A store of a desk with other
    rules is recomputed at that desk's start, and stamped with its rules.

    A first look takes no lock, so starting a read-only command never waits on
    another desk's write. When something must move, the items are read again
    inside the write transaction and only their due columns are written: a
    result or closure another officer recorded in between stays as it is."""
    stamp = rules_stamp(desk.cfg)
    row = Meta.get_or_none(Meta.key == STAMP_KEY)
    if row is not None and row.value == stamp:
        return 0
    if not _pending(desk):
        _stamp(stamp)
        return 0
    with desk.db.atomic():  # BEGIN IMMEDIATE: the read below is the one the writes rest on
        pending = _pending(desk)
        for kind, row, new in pending:
            old = {field: getattr(row, field) for field in new}
            model = type(row)
            model.update({getattr(model, f): v for f, v in new.items()}).where(model.id == row.id).execute()
            changed_old, changed_new = audit.changes(
                {f: audit._plain(v) for f, v in old.items()}, {f: audit._plain(v) for f, v in new.items()})
            audit.append(desk.now(), "system", "recompute_due", kind, row.id, changed_old, changed_new)
        _stamp(stamp)
    return len(pending)


def _stamp(stamp: str) -> None:
    try:
        Meta.insert(key=STAMP_KEY, value=stamp).on_conflict_replace().execute()
    except PeeweeException:
        pass  # a store this account may only read: the next start looks again
