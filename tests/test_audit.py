"""The hash-chained audit trail: every event names who, when, what and the
outcome; the database refuses to change it; the verifier finds a change made
behind the app's back."""

from __future__ import annotations

import json
import sqlite3

import pytest

from duty_desk.core import audit
from duty_desk.core.models import AuditEvent
from duty_desk.core.services import log


def _fill(desk, n: int = 3) -> list[int]:
    return [log.record_entry(desk, f"来电记录 {i}", "来电").id for i in range(n)]


def _tamper(db_path, sql: str, params: tuple = (), drop: str = "audit_event_no_update") -> None:
    con = sqlite3.connect(db_path)
    try:
        con.execute(f"DROP TRIGGER {drop}")
        con.execute(sql, params)
        con.commit()
    finally:
        con.close()


def test_every_event_records_time_actor_action_record_values_and_outcome(desk, fixed_clock):
    entry = log.record_entry(desk, "市气象台来电，发布暴雨黄色预警", "来电")
    event = audit.history("log", entry.id)[-1]
    assert event.at == fixed_clock
    assert (event.actor, event.action, event.kind, event.record_id, event.outcome) == (
        "tester", "create", "log", entry.id, "success")
    assert event.old is None
    assert json.loads(event.new)["content"] == "市气象台来电，发布暴雨黄色预警"
    assert len(event.hash) == 64 and event.prev_hash != event.hash


def test_each_event_is_chained_to_the_one_before(desk):
    _fill(desk)
    events = list(AuditEvent.select().order_by(AuditEvent.id))
    assert events[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))


def test_intact_chain_verifies_with_count_and_head(desk):
    _fill(desk)
    verdict = audit.verify()
    count, head = audit.head()
    assert verdict.intact and verdict.broken_id is None
    assert (verdict.count, verdict.head) == (count, head)
    assert count == AuditEvent.select().count()


def test_verifier_walks_long_chains_in_batches(desk):
    _fill(desk, 5)
    assert audit.verify(batch=2) == audit.verify()


def test_database_refuses_to_update_an_audit_event(desk, db_path):
    _fill(desk, 1)
    con = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="audit trail cannot be changed"):
            con.execute("UPDATE audit_event SET actor = 'someone' WHERE id = 1")
    finally:
        con.close()
    assert AuditEvent.get_by_id(1).actor != "someone"


def test_database_refuses_to_delete_an_audit_event(desk, db_path):
    _fill(desk, 1)
    con = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="cannot be deleted"):
            con.execute("DELETE FROM audit_event")
    finally:
        con.close()
    assert AuditEvent.select().count() > 0


def test_app_itself_cannot_rewrite_the_trail(desk):
    _fill(desk, 1)
    with pytest.raises(Exception, match="audit trail cannot be changed"):
        AuditEvent.update(actor="x").execute()


def test_verifier_names_the_event_altered_after_dropping_the_trigger(desk, db_path):
    _fill(desk)
    target = audit.history("log", 2)[-1].id
    _tamper(db_path, "UPDATE audit_event SET new = ? WHERE id = ?",
            (json.dumps({"content": "无事"}, ensure_ascii=False), target))
    verdict = audit.verify()
    assert not verdict.intact
    assert verdict.broken_id == target
    assert verdict.count == target - 1


def test_verifier_catches_an_event_deleted_from_the_middle(desk, db_path):
    _fill(desk)
    target = audit.history("log", 2)[-1].id
    _tamper(db_path, "DELETE FROM audit_event WHERE id = ?", (target,), drop="audit_event_no_delete")
    verdict = audit.verify()
    assert not verdict.intact and verdict.broken_id == target + 1


def test_verifier_catches_a_rehashed_event_whose_successor_no_longer_links(desk, db_path):
    """Recomputing the altered event's own hash is not enough: the next link breaks."""
    _fill(desk)
    ev = audit.history("log", 2)[-1]
    new = json.dumps({"content": "无事"}, ensure_ascii=False)
    digest = audit.event_digest(ev.prev_hash, AuditEvent.at.db_value(ev.at), ev.actor, ev.action, ev.kind,
                                ev.record_id, ev.old, new, ev.outcome)
    _tamper(db_path, "UPDATE audit_event SET new = ?, hash = ? WHERE id = ?", (new, digest, ev.id))
    verdict = audit.verify()
    assert not verdict.intact and verdict.broken_id == ev.id + 1


def test_triggers_come_back_when_the_desk_is_opened_again(desk, db_path, make_desk):
    _fill(desk, 1)
    desk.close()
    _tamper(db_path, "SELECT 1")
    make_desk("tester").close()
    con = sqlite3.connect(db_path)
    try:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    finally:
        con.close()
    assert {"audit_event_no_update", "audit_event_no_delete"} <= names


def test_short_digest_is_four_groups_of_four_hex_digits():
    assert audit.short_digest("0123456789abcdef" + "0" * 48) == "0123 4567 89ab cdef"
