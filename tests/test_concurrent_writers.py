"""Several desks writing at once never surface "database is locked": writers
take their turn at the store's write lock in order (a lock file the kernel
queues), so none starves past the busy timeout while others keep writing.

Each writer is a separate process on one SQLite file, as officers on
different SSH sessions are; the busy timeout is short so that starving would
show within the test."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from duty_desk.core.config import load_config
from duty_desk.core.opening import open_desk

pytestmark = pytest.mark.slow  # real processes

WRITERS = 6
ENTRIES_EACH = 150

CONFIG = """
[database]
busy_timeout = 0.3

[[officers]]
login = "tester"
name = "李明"
"""


def _writer(config: str, url: str, n: int, failures) -> None:
    from duty_desk.core.services import log

    desk = open_desk(load_config(config), url, login="tester", sync_officers_from_config=False)
    try:
        for i in range(n):
            try:
                log.record_entry(desk, f"第{i}条：来电询问值守安排，已答复", "来电")
            except Exception as err:  # every one is a write an officer was refused
                failures.put(f"{type(err).__name__}: {err}")
    finally:
        desk.close()


def test_six_desks_writing_at_once_are_never_refused_as_locked(tmp_path: Path):
    from duty_desk.core import audit
    from duty_desk.core.models import LogEntry

    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    desk = open_desk(load_config(str(config)), url, login="tester")  # the store exists before the rush
    ctx = multiprocessing.get_context("spawn")
    failures = ctx.Queue()
    writers = [ctx.Process(target=_writer, args=(str(config), url, ENTRIES_EACH, failures)) for _ in range(WRITERS)]
    for w in writers:
        w.start()
    for w in writers:
        w.join(300)
    said = []
    while not failures.empty():
        said.append(failures.get())
    try:
        assert said == []
        assert all(w.exitcode == 0 for w in writers)
        assert LogEntry.select().count() == WRITERS * ENTRIES_EACH
        assert audit.verify().intact
    finally:
        desk.close()
