"""`duty-desk audit verify`: the record is what its audit trail says it is.

Each way of changing the record behind the desk's back (with the sqlite3
shell, guards dropped where needed) makes verify exit 1 with one line naming
the place; verify itself reads only and needs no officer."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from datetime import timedelta

import pytest
from conftest import T0

from duty_desk import cli
from duty_desk.core import audit, clock
from duty_desk.core import db as store
from duty_desk.core.handover import flow as handover
from duty_desk.core.models import AuditEvent
from duty_desk.core.services import log


@pytest.fixture
def verify(db_path, config_file, capsys, monkeypatch):
    """Run ``duty-desk audit verify ARGS`` in-process: (status, stdout, stderr)."""
    monkeypatch.setattr("duty_desk.core.identity.current_login", lambda: "tester")

    def run(*args: str, db=None) -> tuple[int, str, str]:
        status = cli.main(["--config", str(config_file), "--db", str(db or db_path), "audit", "verify", *args])
        out, err = capsys.readouterr()
        return status, out, err

    return run


def _fill(desk, n: int = 3) -> list[int]:
    return [log.record_entry(desk, f"市应急管理局来电 {i}", "来电").id for i in range(n)]


def _shell(db_path, *statements: tuple[str, tuple], drop: tuple[str, ...] = ()) -> None:
    """What someone with the sqlite3 shell could do behind the desk's back."""
    con = sqlite3.connect(db_path)
    try:
        for name in drop:
            con.execute(f"DROP TRIGGER {name}")
        for sql, params in statements:
            con.execute(sql, params)
        con.commit()
    finally:
        con.close()


ALL_GUARDS = ("audit_event_no_update", "audit_event_no_delete", "audit_event_append_only")


def _rehash_from(db_path, first_id: int) -> None:
    """Recompute every hash from ``first_id`` on, so the chain itself links."""
    con = sqlite3.connect(db_path)
    try:
        rows = con.execute("SELECT id, at, actor, action, kind, record_id, old, new, outcome FROM audit_event"
                           " WHERE id >= ? ORDER BY id", (first_id,)).fetchall()
        prev = con.execute("SELECT hash FROM audit_event WHERE id < ? ORDER BY id DESC LIMIT 1",
                           (first_id,)).fetchone()
        prev = prev[0] if prev else audit.GENESIS
        for (eid, *fields) in rows:
            digest = audit.event_digest(prev, *fields)
            con.execute("UPDATE audit_event SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, eid))
            prev = digest
        con.commit()
    finally:
        con.close()


def _one_line_failure(result, *words: str) -> None:
    status, out, err = result
    assert status == 1 and out == ""
    assert err.count("\n") == 1, err
    for word in words:
        assert word in err, (word, err)


# --- the guards ---------------------------------------------------------------


def test_insert_or_replace_cannot_rewrite_an_audit_event(desk, db_path):
    _fill(desk, 2)
    ev = audit.history("log", 1)[-1]
    con = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="only grows at its head"):
            con.execute("INSERT OR REPLACE INTO audit_event (id, at, actor, action, kind, record_id, old, new,"
                        " outcome, prev_hash, hash) VALUES (?, ?, 'x', ?, ?, ?, ?, ?, ?, ?, ?)",
                        (ev.id, AuditEvent.at.db_value(ev.at), ev.action, ev.kind, ev.record_id, ev.old,
                         '{"content": "无事"}', ev.outcome, ev.prev_hash, ev.hash))
    finally:
        con.close()
    assert AuditEvent.get_by_id(ev.id).actor == "tester"


def test_an_event_that_does_not_extend_the_head_is_refused(desk, db_path):
    _fill(desk, 1)
    count, head = audit.head()
    con = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="only grows at its head"):  # wrong prev_hash
            con.execute("INSERT INTO audit_event (id, at, actor, action, kind, outcome, prev_hash, hash)"
                        " VALUES (?, '2026-11-24 02:00:00', 'x', 'create', 'log', 'success', ?, 'f')",
                        (count + 1, audit.GENESIS))
        with pytest.raises(sqlite3.DatabaseError, match="only grows at its head"):  # an id far ahead
            con.execute("INSERT INTO audit_event (id, at, actor, action, kind, outcome, prev_hash, hash)"
                        " VALUES (?, '2026-11-24 02:00:00', 'x', 'create', 'log', 'success', ?, 'f')",
                        (count + 5, head))
    finally:
        con.close()
    assert audit.head() == (count, head)


def test_a_removed_guard_is_recorded_and_told_before_it_is_put_back(desk, db_path, make_desk, capsys):
    _fill(desk, 1)
    desk.close()
    store.store_warnings()
    _shell(db_path, drop=("audit_event_no_delete",))
    make_desk("tester").close()
    err = capsys.readouterr().err
    assert "audit_event_no_delete" in err and "警告" in err
    assert any("audit_event_no_delete" in w for w in store.store_warnings())  # for the desk to show
    assert store.store_warnings() == []  # told once
    event = AuditEvent.select().where(AuditEvent.action == "guard_missing").get()
    assert (event.actor, event.kind, json.loads(event.new)) == ("system", "store",
                                                                {"missing": ["audit_event_no_delete"]})
    con = sqlite3.connect(db_path)
    try:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    finally:
        con.close()
    assert set(ALL_GUARDS) <= names


def test_verify_reports_a_missing_guard_and_one_that_was_ever_found_missing(desk, db_path, verify, make_desk,
                                                                             capsys):
    _fill(desk, 1)
    _shell(db_path, drop=("audit_event_no_update",))
    _one_line_failure(verify(), "audit_event_no_update")
    desk.close()
    make_desk("tester").close()  # put back, and recorded
    capsys.readouterr()
    _one_line_failure(verify(), "audit_event_no_update")


# --- what verify catches ------------------------------------------------------------


def test_intact_store_verifies_with_count_and_head(desk, verify):
    _fill(desk)
    count, head = audit.head()
    status, out, err = verify()
    assert (status, err) == (0, "")
    assert head in out and str(count) in out and audit.short_digest(head) in out


def test_verify_json_is_one_object_with_intact_count_head_and_problems(desk, db_path, verify):
    _fill(desk)
    status, out, _ = verify("--json")
    report = json.loads(out)
    assert status == 0 and out.count("\n") == 1
    assert (report["intact"], report["count"], report["head"], report["problems"]) == (
        True, *audit.head(), [])
    _shell(db_path, ("UPDATE log_entry SET content = '无事' WHERE id = 2", ()))
    status, out, _ = verify("--json")
    report = json.loads(out)
    assert status == 1 and report["intact"] is False
    assert [(p["code"], p["place"], p["field"]) for p in report["problems"]] == [("record", "log #2", "content")]


def test_an_edited_event_is_named(desk, db_path, verify):
    _fill(desk)
    target = audit.history("log", 2)[-1].id
    _shell(db_path, ("UPDATE audit_event SET new = ? WHERE id = ?", ('{"content": "无事"}', target)),
           drop=("audit_event_no_update",))
    _one_line_failure(verify(), f"#{target}", "断裂")


def test_an_insert_or_replace_rewrite_is_named(desk, db_path, verify):
    _fill(desk)
    ev = audit.history("log", 2)[-1]
    _shell(db_path, ("INSERT OR REPLACE INTO audit_event (id, at, actor, action, kind, record_id, old, new,"
                     " outcome, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (ev.id, AuditEvent.at.db_value(ev.at), ev.actor, ev.action, ev.kind, ev.record_id, ev.old,
                      '{"content": "无事"}', ev.outcome, ev.prev_hash, ev.hash)),
           drop=("audit_event_append_only",))
    _one_line_failure(verify(), f"#{ev.id}")


def test_a_record_edited_behind_the_desks_back_is_named_with_its_field(desk, db_path, verify):
    _fill(desk)
    _shell(db_path, ("UPDATE log_entry SET content = '无重要情况' WHERE id = 2", ()))
    _one_line_failure(verify(), "值班日志 #2", "content")


def test_a_void_undone_behind_the_desks_back_is_named(desk, db_path, verify):
    from duty_desk.core.services.common import void_record

    _fill(desk)
    void_record(desk, "log", 3, "重复登记")
    assert verify()[0] == 0
    _shell(db_path, ("UPDATE log_entry SET voided_at = NULL, voided_by = NULL, void_reason = NULL"
                     " WHERE id = 3", ()))
    _one_line_failure(verify(), "值班日志 #3", "void")


def test_a_record_slipped_in_without_an_audit_event_is_named(desk, db_path, verify):
    _fill(desk, 1)
    _shell(db_path, ("INSERT INTO log_entry (shift_id, duty_date, recorded_at, recorded_by, occurred_at, category,"
                     " content, counterpart_unit, counterpart_name, counterpart_title, counterpart_phone,"
                     " already_informed, handling, result, needs_action, due_explicit)"
                     " SELECT shift_id, duty_date, recorded_at, recorded_by, occurred_at, category, '补记一条',"
                     " '', '', '', '', '', '', '', 0, 0 FROM log_entry WHERE id = 1", ()))
    _one_line_failure(verify(), "值班日志 #2", "没有创建")


def test_amendments_corrections_results_and_transfers_replay_to_what_is_stored(desk, verify, make_desk):
    """The replay follows every way the desk changes a record (no false alarm)."""
    from duty_desk.core.services import chasing, ownership, visitors

    call = log.record_entry(desk, "东城街道来电反映井盖缺失", "来电", needs_action=True)
    log.correct_entry(desk, call.id, "听错了单位", content="西城街道来电反映井盖缺失")
    chasing.record_chase(desk, "log", call.id, "市城管局", answer="已派人")
    ownership.transfer_ownership(desk, "log", call.id, "incoming", "转夜班跟进")
    v = visitors.register_visitor(desk, "张三", unit="东城街道办事处", purpose="反映噪音")
    visitors.start_reception(desk, v.id)
    clock.set_now(T0 + timedelta(minutes=30))
    handover.hand_over(desk)
    other = make_desk("incoming")
    for item in handover.items_of(handover.pending_handover(other).id):
        handover.read_back(other, item.id)
    handover.accept(other, handover.pending_handover(other).id)
    log.correct_entry(other, call.id, "补充处理结果", handling="已转市城管局")  # an amendment now
    log.record_result(other, call.id, "已补装")
    status, out, err = verify()
    assert (status, err) == (0, ""), err


def test_newest_events_deleted_back_past_a_handover_are_caught_by_its_frozen_digest(desk, make_desk, db_path,
                                                                                 verify):
    _fill(desk, 2)
    given = handover.hand_over(desk)
    handover_event = AuditEvent.get(AuditEvent.hash == given.audit_head).id
    _fill(make_desk("incoming"), 2)  # the officer who handed over is off duty
    _shell(db_path, ("DELETE FROM audit_event WHERE id >= ?", (handover_event - 1,)),
           drop=("audit_event_no_delete",))
    _one_line_failure(verify(), f"#{given.id}", "交接班")


# --- anchors outside the database -------------------------------------------------


@pytest.fixture
def anchored(tmp_path, config_file):
    """The configuration with an anchor file."""
    path = tmp_path / "anchors.log"
    config_file.write_text(config_file.read_text(encoding="utf-8")
                           + f'\n[audit]\nanchor_file = "{path}"\n', encoding="utf-8")
    return path


def test_an_anchor_leaves_the_database_at_handover_and_hourly(anchored, cfg, make_desk, fixed_clock):
    desk = make_desk("tester", cfg)
    _fill(desk, 1)
    desk.close()
    first = anchored.read_text(encoding="utf-8").splitlines()
    assert len(first) == 1 and f"count={audit.head()[0]} head={audit.head()[1]}" in first[0]
    desk = make_desk("tester", cfg)
    _fill(desk, 1)
    desk.close()
    assert len(anchored.read_text(encoding="utf-8").splitlines()) == 1  # not an hour yet
    desk = make_desk("tester", cfg)
    handover.hand_over(desk)
    desk.close()
    lines = anchored.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and f"head={audit.head()[1]}" in lines[-1]  # at the handover
    clock.set_now(fixed_clock + timedelta(minutes=61))
    desk = make_desk("tester", cfg)
    desk.close()
    assert len(anchored.read_text(encoding="utf-8").splitlines()) == 3  # hourly


def test_newest_events_deleted_are_caught_by_the_anchors(anchored, cfg, make_desk, db_path, verify):
    desk = make_desk("tester", cfg)
    _fill(desk, 3)
    desk.close()  # the anchor is written here
    desk = make_desk("tester", cfg)
    assert verify("--anchors")[0] == 0
    count, _ = audit.head()
    _shell(db_path, ("DELETE FROM audit_event WHERE id > ?", (count - 2,)), drop=("audit_event_no_delete",))
    _one_line_failure(verify("--anchors"), "锚点", f"第 {count} 条")


def test_a_chain_recomputed_after_its_head_left_the_database_is_caught_by_the_anchors(
        anchored, cfg, make_desk, db_path, verify):
    desk = make_desk("tester", cfg)
    _fill(desk, 3)
    desk.close()
    desk = make_desk("tester", cfg)
    target = audit.history("log", 1)[-1]
    _shell(db_path, ("UPDATE audit_event SET new = ? WHERE id = ?",
                     (target.new.replace("市应急管理局来电 0", "无事"), target.id)),
           ("UPDATE log_entry SET content = '无事' WHERE id = 1", ()), drop=ALL_GUARDS)
    _rehash_from(db_path, target.id)
    assert verify()[0] == 1  # the guards are gone: that alone is told
    _one_line_failure(verify("--anchors"), "锚点")


def test_anchors_can_be_read_back_from_saved_syslog_lines(anchored, cfg, make_desk, tmp_path, verify):
    desk = make_desk("tester", cfg)
    _fill(desk, 2)
    desk.close()
    journal = tmp_path / "journal.txt"
    journal.write_text("".join(f"Nov 24 10:00:00 desk duty-desk: {line}\n"
                               for line in anchored.read_text(encoding="utf-8").splitlines()), encoding="utf-8")
    status, out, _ = verify("--anchors", str(journal))
    assert status == 0 and "1 个链外锚点" in out


def test_an_anchor_that_cannot_be_written_never_fails_the_write(tmp_path, config_file, make_desk, capsys):
    from duty_desk.core.config import load_config

    config_file.write_text(config_file.read_text(encoding="utf-8")
                           + f'\n[audit]\nanchor_file = "{tmp_path / "no" / "such" / "anchors.log"}"\n',
                           encoding="utf-8")
    cfg = load_config(str(config_file))
    for _ in range(2):
        desk = make_desk("tester", cfg)
        _fill(desk, 1)
        clock.set_now(clock.now() + timedelta(hours=2))
        desk.close()
    err = capsys.readouterr().err
    assert err.count("锚点") == 1  # told once
    assert audit.head()[0] > 0


# --- verify reads only ---------------------------------------------------------------


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_verifying_a_copy_changes_nothing_and_needs_no_officer(desk, db_path, tmp_path, config_file, capsys,
                                                               monkeypatch):
    _fill(desk)
    desk.close()
    copy = tmp_path / "copy" / "desk.db"
    copy.parent.mkdir()
    shutil.copy(db_path, copy)
    before = _digest(copy)
    other = tmp_path / "auditor.toml"
    other.write_text('[[officers]]\nlogin = "zhangwei"\nname = "张伟"\n', encoding="utf-8")
    monkeypatch.setattr("duty_desk.core.identity.current_login", lambda: "auditor")  # not an officer
    status = cli.main(["--config", str(other), "--db", str(copy), "audit", "verify"])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert _digest(copy) == before
    assert sorted(p.name for p in copy.parent.iterdir()) == ["desk.db"]


def test_verifying_a_read_only_file_works_and_leaves_no_side_files(desk, db_path, tmp_path, verify):
    _fill(desk)
    desk.close()
    copy = tmp_path / "ro" / "desk.db"
    copy.parent.mkdir()
    shutil.copy(db_path, copy)
    copy.chmod(0o444)
    status, out, err = verify(db=copy)
    assert status == 0, err
    assert sorted(p.name for p in copy.parent.iterdir()) == ["desk.db"]


def test_verifying_a_missing_file_creates_nothing_and_says_no_database(tmp_path, verify):
    typo = tmp_path / "backup" / "typo.db"
    status, out, err = verify(db=typo)
    assert status == 4 and out == "" and err.count("\n") == 1
    assert str(typo) in err and "没有数据库" in err
    assert not typo.exists() and not typo.parent.exists()


def test_verify_checks_the_files_integrity(desk, db_path, verify):
    for i in range(300):
        log.record_entry(desk, f"市气象台来电，发布暴雨预警第 {i} 次更新" + "。" * 200, "来电")
    desk.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    desk.close()
    store._open.clear()
    page_size = 4096
    pages = db_path.stat().st_size // page_size
    with open(db_path, "r+b") as fh:
        fh.seek(page_size * (pages // 2))
        fh.write(b"\xde\xad\xbe\xef" * (page_size // 4))
    status, out, err = verify()
    assert status == 1 and out == "" and err.count("\n") == 1
    assert "损坏" in err


# --- child rows -------------------------------------------------------------------------


@pytest.fixture
def busy_day(desk, make_desk):
    """A chase, an overdue miss, an urgent timeline, document steps, a read-back."""
    from duty_desk.core.services import chasing, documents, urgent
    from duty_desk.core.services.escalation import mark_overdue

    call = log.record_entry(desk, "东城街道来电反映井盖缺失", "来电", needs_action=True)
    chasing.record_chase(desk, "log", call.id, "市城管局", answer="已派人")
    item = urgent.open_urgent(desk, "化工园区泄漏", "事故灾难", "II")
    urgent.record_phone_report(desk, item.id, party="市应急管理局")
    doc = documents.receive_document(desk, "市防汛抗旱指挥部", title="关于做好强降雨防范工作的紧急通知",
                                     urgency="特急")
    documents.advance_document(desk, doc.id, "check")
    documents.advance_document(desk, doc.id, "assign", party="市水务局")
    documents.advance_document(desk, doc.id, "chase", party="市水务局", text="正在组织排查")
    clock.set_now(T0 + timedelta(hours=3))
    mark_overdue(desk)
    given = handover.hand_over(desk)
    other = make_desk("incoming")
    first = handover.items_of(given.id)[0]
    handover.read_back(other, first.id, "先催问市城管局")
    return {"chase": call.id, "urgent": item.id, "document": doc.id, "handover": given.id, "item": first.id}


@pytest.mark.parametrize(("sql", "words"), [
    ("UPDATE chase SET answer = '无人接听' WHERE item_id = :chase", ("值班日志", "催办记录")),
    ("DELETE FROM overdue_mark", ("超期记录",)),
    ("UPDATE urgent_event SET party = '无' WHERE item_id = :urgent", ("紧急事项", "紧急事项报告")),
    ("DELETE FROM document_step WHERE document_id = :document AND step = 'assign'", ("来文", "公文办理步骤")),
    ("UPDATE handover_item SET readback = '不必催问' WHERE id = :item", ("交接班", "交接事项")),
])
def test_child_rows_edited_behind_the_desks_back_are_named(busy_day, db_path, verify, sql, words):
    assert verify()[0] == 0
    _shell(db_path, (sql, busy_day))
    _one_line_failure(verify(), *words)


def test_a_version_1_store_migrates_without_a_false_guard_alarm_and_verifies(desk, db_path, make_desk, verify,
                                                                             capsys):
    _fill(desk, 2)
    desk.close()
    _shell(db_path, ("UPDATE meta SET value = '1' WHERE key = 'schema_version'", ()),
           ("DELETE FROM meta WHERE key = 'store_id'", ()), drop=("audit_event_append_only",))
    store.store_warnings()
    make_desk("tester").close()
    assert capsys.readouterr().err == "" and store.store_warnings() == []
    assert not AuditEvent.select().where(AuditEvent.action == "guard_missing").exists()
    assert verify()[0] == 0


def test_no_false_alarm_when_the_clock_ticks_between_a_change_and_its_event(desk, make_desk, verify, monkeypatch):
    """Some services read the clock for a row and again for its event."""
    from duty_desk.core.services import urgent

    item = urgent.open_urgent(desk, "化工园区泄漏", "事故灾难", "II")
    event = urgent.record_phone_report(desk, item.id, party="市应急管理局")
    log.record_entry(desk, "东城街道来电", "来电", needs_action=True)
    given = handover.hand_over(desk)
    other = make_desk("incoming")
    moments = iter(T0 + timedelta(minutes=40, seconds=s) for s in range(1000))
    monkeypatch.setattr(clock, "now", lambda: next(moments))
    urgent.void_event(desk, event.id, "误报")
    for row in handover.items_of(given.id):
        handover.read_back(other, row.id)
    status, _, err = verify()
    assert (status, err) == (0, "")


@pytest.mark.parametrize(("sql", "words"), [
    ("UPDATE handover SET sheet = json_set(sheet, '$.notes', '一切正常') WHERE id = :handover", ("交接班", "sheet")),
    ("UPDATE handover SET sheet = json_set(sheet, '$.carried[0].next_action', '不必处理') WHERE id = :handover",
     ("交接班", "sheet")),
    ("UPDATE handover_item SET summary = '无事' WHERE id = :item", ("交接班",)),
    ("UPDATE handover_item SET open_kind = 'custody' WHERE id = :item", ("交接班",)),
    ("UPDATE document_step SET at = datetime(at, '-1 hour') WHERE document_id = :document AND step = 'assign'",
     ("来文", "公文办理步骤")),
    ("UPDATE document_step SET deadline = datetime(at, '+1 day') WHERE document_id = :document AND step = 'check'",
     ("来文", "公文办理步骤")),
    ("UPDATE document_step SET by = 'incoming' WHERE document_id = :document AND step = 'sign'",
     ("来文", "公文办理步骤")),
    ("UPDATE document_step SET recorded_at = datetime(recorded_at, '-1 hour')"
     " WHERE document_id = :document AND step = 'register'", ("来文", "公文办理步骤")),
    ("UPDATE document_step SET id = 900 WHERE document_id = :document AND step = 'check'",
     ("来文", "公文办理步骤")),
    ("UPDATE chase SET at = datetime(at, '-1 hour') WHERE item_kind = 'document'", ("来文", "催办记录")),
], ids=["sheet-notes", "sheet-next-action", "item-summary", "item-open-kind", "step-at", "step-deadline",
        "step-by", "step-recorded-at", "step-id", "document-chase-time"])
def test_frozen_sheets_document_steps_and_document_chases_edited_behind_the_desks_back_are_named(
        busy_day, db_path, verify, sql, words):
    assert verify()[0] == 0
    _shell(db_path, (sql, busy_day))
    _one_line_failure(verify(), *words)


def _old_shape_append(append):
    """audit.append as the previous version wrote these events: no step rows,
    no sheet digest, a document's chase step told by whom and answer only."""
    chase_keys = {"id", "at", "by", "whom", "means", "answer", "recorded_at"}

    def old_append(at, actor, action, kind, record_id, old, new, *args, **kwargs):
        if isinstance(new, dict):
            new = {k: v for k, v in new.items() if k not in ("steps", "sheet_sha256")}
            if kind == "document" and action == "chase" and new.get("step") == "chase":
                new = {k: v for k, v in new.items() if k not in chase_keys}
        return append(at, actor, action, kind, record_id, old, new, *args, **kwargs)

    return old_append


def test_a_store_written_by_the_previous_version_still_verifies(desk, make_desk, verify, monkeypatch):
    from duty_desk.core.services import chasing, documents, instructions

    monkeypatch.setattr(audit, "append", _old_shape_append(audit.append))
    doc = documents.receive_document(desk, "市防汛抗旱指挥部", title="关于做好强降雨防范工作的紧急通知")
    documents.advance_document(desk, doc.id, "assign", party="市水务局", deadline="2026-11-25 17:00")
    documents.advance_document(desk, doc.id, "chase", party="市水务局", text="正在组织排查")
    chasing.record_chase(desk, "document", doc.id, "市水务局", answer="已回复")
    instructions.record_instruction(desk, "document", doc.id, "王军", "请水务局今日反馈")
    given = handover.hand_over(desk)
    handover.read_back(make_desk("incoming"), handover.items_of(given.id)[0].id)
    assert not AuditEvent.select().where(AuditEvent.new.contains("sheet_sha256")
                                         | AuditEvent.new.contains('"steps"')).exists()
    status, _, err = verify()
    assert (status, err) == (0, "")
