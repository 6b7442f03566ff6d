"""What every start of a command or a desk costs must not grow with the
store: with the configuration's deadline rules unchanged, opening the desk
reads no open item (it read every open item of every kind, one urgent item's
timeline at a time, on every command)."""

from __future__ import annotations

import re

from peewee import SqliteDatabase

from duty_desk.core.models import Meta
from duty_desk.core.services import documents, log, urgent
from duty_desk.core.services.duetimes import STAMP_KEY, rules_stamp

RECORD_TABLES = {"log_entry", "visitor", "document", "urgent_item", "urgent_event", "instruction"}


def _tables_read(make_desk, monkeypatch, login: str = "incoming", config=None) -> set[str]:
    read: set[str] = set()
    original = SqliteDatabase.execute_sql

    def spy(self, sql, params=None, *args, **kwargs):
        read.update(re.findall(r'FROM "(\w+)"', sql))
        return original(self, sql, params, *args, **kwargs)

    monkeypatch.setattr(SqliteDatabase, "execute_sql", spy)
    try:
        make_desk(login, config=config)
    finally:
        monkeypatch.setattr(SqliteDatabase, "execute_sql", original)
    return read


def test_opening_with_the_same_rules_reads_no_open_item(desk, make_desk, monkeypatch):
    log.record_entry(desk, "市城管局来电，需回复", "来电", needs_action=True)
    documents.receive_document(desk, "市民政局", title="关于冬季救助的函", urgency="加急")
    urgent.open_urgent(desk, "化工园区泄漏", "事故灾难", "II")
    assert Meta.get(Meta.key == STAMP_KEY).value == rules_stamp(desk.cfg)
    assert _tables_read(make_desk, monkeypatch) & RECORD_TABLES == set()


def test_other_rules_are_looked_at_once_and_then_stamped(desk, make_desk, monkeypatch, tmp_path):
    from duty_desk.core.config import load_config

    log.record_entry(desk, "市城管局来电，需回复", "来电", needs_action=True)
    path = tmp_path / "tighter.toml"
    with open(desk.cfg.path, encoding="utf-8") as given:
        path.write_text(given.read() + "\n[deadlines]\nordinary_minutes = 30\n", encoding="utf-8")
    tighter = load_config(str(path))
    assert rules_stamp(tighter) != rules_stamp(desk.cfg)
    assert "log_entry" in _tables_read(make_desk, monkeypatch, config=tighter)
    assert Meta.get(Meta.key == STAMP_KEY).value == rules_stamp(tighter)
    assert _tables_read(make_desk, monkeypatch, config=tighter) & RECORD_TABLES == set()


def test_the_desk_starts_without_importing_the_screens_it_opens_later():
    """The desk imported every form and secondary screen at start (for a
    keymap check and the actions that open them): 40 ms of the first frame
    that the first frame does not need."""
    import subprocess
    import sys

    later = ("duty_desk.tui.forms", "duty_desk.tui.screens", "duty_desk.core.handover", "duty_desk.core.detail")
    code = ("import sys, duty_desk.tui.app\n"
            f"print(sorted(m for m in sys.modules if m.startswith({later!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
