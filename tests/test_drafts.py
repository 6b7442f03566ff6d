"""Drafts belong to one desk: one officer with two desks open never gets the
same unsent text restored on both, and an entry recorded twice within
minutes is caught before it is."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import threading
from datetime import timedelta

from duty_desk.core import clock
from duty_desk.core import db as store
from duty_desk.core.models import Draft
from duty_desk.core.services import common, drafts, log


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_second_desk_does_not_restore_the_draft_of_a_desk_still_running(desk):
    first = drafts.start_session()
    drafts.save_draft(desk, "东城街道来电反映", first)
    second = drafts.start_session()
    assert drafts.claim_drafts(desk, second) == {}
    assert drafts.load_draft(desk, first) == "东城街道来电反映"  # still the first desk's


def test_the_draft_of_a_closed_desk_is_restored_by_one_new_desk_only(desk):
    first = drafts.start_session()
    drafts.save_draft(desk, "东城街道来电反映", first)
    drafts.end_session(first)
    second, third = drafts.start_session(), drafts.start_session()
    assert drafts.claim_drafts(desk, second) == {"entry": "东城街道来电反映"}
    assert drafts.claim_drafts(desk, third) == {}
    assert drafts.load_draft(desk, second) == "东城街道来电反映"


def test_the_draft_of_a_killed_desk_process_is_restored(desk):
    Draft.create(login="tester", desk_id="gone", host=socket.gethostname(), pid=dead_pid(), slot="entry",
                 text="市水务局来电", updated_at=desk.now())
    session = drafts.start_session()
    assert drafts.claim_drafts(desk, session) == {"entry": "市水务局来电"}


def test_a_draft_of_another_officer_is_never_restored(desk, make_desk):
    other = make_desk("incoming")
    first = drafts.start_session()
    drafts.save_draft(other, "陈静的草稿", first)
    drafts.end_session(first)
    assert drafts.claim_drafts(desk, drafts.start_session()) == {}


def test_two_desks_starting_together_restore_a_draft_once(desk, make_desk):
    for n in range(5):
        gone = drafts.start_session()
        drafts.save_draft(desk, f"草稿{n}", gone)
        drafts.end_session(gone)
        results: list[dict[str, str]] = []
        desks = [make_desk("tester"), make_desk("tester")]

        def start(d, results=results):
            try:
                results.append(drafts.claim_drafts(d, drafts.start_session()))
            finally:
                d.db.close()

        threads = [threading.Thread(target=start, args=(d,)) for d in desks]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert sorted(results, key=len) == [{}, {"entry": f"草稿{n}"}]


def test_a_version_1_database_keeps_its_draft_through_the_upgrade(cfg, db_path, make_desk, fixed_clock):
    d = make_desk("tester")
    d.close()
    with sqlite3.connect(db_path) as con:  # as version 1 left it
        con.execute("DROP TABLE desk_draft")
        con.execute("CREATE TABLE draft (id INTEGER PRIMARY KEY, login VARCHAR(255) NOT NULL UNIQUE, "
                    "text TEXT NOT NULL, updated_at VARCHAR(19) NOT NULL)")
        con.execute("INSERT INTO draft (login, text, updated_at) VALUES ('tester', '接班，设备正常', "
                    "'2026-11-24 01:00:00')")
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    again = make_desk("tester")
    assert store.schema_version(again.db) == store.SCHEMA_VERSION
    assert drafts.claim_drafts(again, drafts.start_session()) == {"entry": "接班，设备正常"}


def test_the_same_entry_by_the_same_officer_within_minutes_is_found(desk, make_desk):
    entry = log.record_entry(desk, "区气象台来电：今晚有暴雨", "来电")
    assert drafts.recent_duplicate(desk, "区气象台来电：今晚有暴雨", "来电") == entry
    assert drafts.recent_duplicate(desk, "区气象台来电：今晚有暴雨", "记事") is None
    assert drafts.recent_duplicate(desk, "区气象台来电：明晚有暴雨", "来电") is None
    assert drafts.recent_duplicate(make_desk("incoming"), "区气象台来电：今晚有暴雨", "来电") is None
    clock.set_now(desk.now() + drafts.DUPLICATE_WINDOW + timedelta(minutes=1))
    assert drafts.recent_duplicate(desk, "区气象台来电：今晚有暴雨", "来电") is None


def test_a_voided_entry_is_no_duplicate(desk):
    entry = log.record_entry(desk, "误记的一条", "记事")
    common.void_record(desk, "log", entry.id, "重复")
    assert drafts.recent_duplicate(desk, "误记的一条", "记事") is None


def test_asking_whether_a_line_was_just_recorded_reads_only_the_last_days(desk):
    """Asked on every Enter. Without a bound on the duty day, the usual answer
    (no such line) made SQLite read every entry ever recorded: 0.2-2.8 s on a
    ten-year store."""
    from duty_desk.core.services.drafts import recent_duplicate

    log.record_entry(desk, "市应急局来电", "来电")
    captured: list[str] = []
    original = desk.db.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        captured.append((sql, params))
        return original(sql, params, *args, **kwargs)

    desk.db.execute_sql = spy
    try:
        assert recent_duplicate(desk, "市应急局来电", "来电") is not None
    finally:
        del desk.db.execute_sql
    (sql, params), = captured
    plan = [row[3] for row in desk.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()]
    assert not [step for step in plan if step.startswith("SCAN") and "USING" not in step], plan
