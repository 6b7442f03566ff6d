"""8.1: a desk that starts after a deadline setting changed moves the due
times of open items. It must never take back what other officers recorded
meanwhile: every result acknowledged to a writer survives any number of
restarts, and the audit trail shows only the due-time moves.

Writers and restarting desks run in separate processes against one SQLite
file, as officers on different SSH sessions do."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from duty_desk.core.config import load_config
from duty_desk.core.opening import open_desk

pytestmark = pytest.mark.slow  # real processes

ROUNDS_PER_WRITER = 60
WRITERS = 2
RESTARTERS = 2

CONFIG = """
[deadlines]
ordinary_minutes = {minutes}

[[officers]]
login = "tester"
name = "李明"

[[officers]]
login = "incoming"
name = "陈静"
"""


def _config(tmp: Path, minutes: int) -> Path:
    path = tmp / f"config-{minutes}.toml"
    path.write_text(CONFIG.format(minutes=minutes), encoding="utf-8")
    return path


def _writer(config: str, url: str, ids: list[int], acknowledged) -> None:
    from duty_desk.core.services import log

    desk = open_desk(load_config(config), url, login="tester", sync_officers_from_config=False)
    try:
        for entry_id in ids:
            for _ in range(50):  # a busy store refuses now and then: try again, as an officer would
                try:
                    log.record_result(desk, entry_id, f"已回复 {entry_id}")
                    acknowledged.put(entry_id)
                    break
                except Exception as err:
                    if "locked" not in str(err):
                        raise
    finally:
        desk.close()


def _restarter(configs: list[str], url: str, stop) -> None:
    i = 0
    while not stop.is_set():
        # Each start reads the other setting: every start moves the due times.
        cfg = load_config(configs[i % 2])
        i += 1
        try:
            desk = open_desk(cfg, url, login="incoming", sync_officers_from_config=False)
        except Exception as err:
            if "locked" in str(err):
                continue
            raise
        desk.close()


def test_results_recorded_while_desks_restart_after_a_deadline_change_all_survive(tmp_path):
    from duty_desk.core import audit
    from duty_desk.core.models import AuditEvent, LogEntry
    from duty_desk.core.services import log

    url = "sqlite:///" + str(tmp_path / "desk.db")
    fast, slow = _config(tmp_path, 60), _config(tmp_path, 120)
    desk = open_desk(load_config(str(fast)), url, login="tester")
    ids = [log.record_entry(desk, f"来电 {i}", "来电", needs_action=True).id
           for i in range(WRITERS * ROUNDS_PER_WRITER)]
    desk.close()

    ctx = multiprocessing.get_context("spawn")
    acknowledged = ctx.Queue()
    stop = ctx.Event()
    restarters = [ctx.Process(target=_restarter, args=([str(fast), str(slow)], url, stop))
                  for _ in range(RESTARTERS)]
    writers = [ctx.Process(target=_writer, args=(str(fast), url, ids[w::WRITERS], acknowledged))
               for w in range(WRITERS)]
    for p in restarters + writers:
        p.start()
    for p in writers:
        p.join(120)
    stop.set()
    for p in restarters:
        p.join(60)
    assert all(p.exitcode == 0 for p in writers + restarters), [p.exitcode for p in writers + restarters]
    done = set()
    while not acknowledged.empty():
        done.add(acknowledged.get())
    assert len(done) == len(ids)

    desk = open_desk(load_config(str(fast)), url, login="tester")
    try:
        lost = [e.id for e in LogEntry.select().where(LogEntry.id.in_(ids))
                if e.result != f"已回复 {e.id}" or e.closed_at is None]
        assert lost == []
        assert audit.verify().intact
        # The recompute events name only the due time they moved.
        for event in AuditEvent.select().where(AuditEvent.action == "recompute_due"):
            assert set(json.loads(event.new)) <= {"due_at"}, event.new
    finally:
        desk.close()

