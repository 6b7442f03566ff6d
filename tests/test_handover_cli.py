"""`duty-desk handover …` and `duty-desk correct …` as two officers use them,
in-process against one SQLite file, each with their own login."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import timedelta

import pytest
from conftest import T0

from duty_desk import cli
from duty_desk.core import audit, clock
from duty_desk.core.demo import fill_demo_day
from duty_desk.core.models import HandoverItem, LogEntry


@pytest.fixture
def duty(config_file, db_path, monkeypatch, capsys):
    """Run the command line as a given login: duty("tester", "handover", ...)."""

    def run(login: str, *args: str) -> tuple[int, str, str]:
        monkeypatch.setattr("duty_desk.core.identity.current_login", lambda *a, **k: login)
        status = cli.main(["--config", str(config_file), "--db", str(db_path), *args])
        out, err = capsys.readouterr()
        return status, out, err

    return run


@pytest.fixture
def demo_db(desk):
    """The demo day, recorded by 李明 (tester) up to 10:00."""
    fill_demo_day(desk)
    return desk


def _item_ids() -> list[int]:
    return [i.id for i in HandoverItem.select().order_by(HandoverItem.id)]


def test_printed_sheet_carries_the_digest_that_audit_verify_shows(duty, demo_db):
    status, out, _ = duty("tester", "handover", "give", "--notes", "城西区危房排查结果待续报")
    assert status == 0 and "已交班" in out
    status, verified, _ = duty("tester", "audit", "verify")
    short = audit.short_digest(audit.verify().head)
    assert status == 0 and short in verified and short in out
    status, sheet, _ = duty("tester", "handover", "--format", "txt")
    assert status == 0 and short in sheet and audit.verify().head in sheet
    assert "交 接 班 单" in sheet and "城西区危房排查结果待续报" in sheet and "已交班待接班" in sheet


def test_incoming_officer_reads_back_every_item_then_accepts(duty, demo_db):
    duty("tester", "handover", "give")
    first, *rest = _item_ids()
    status, out, _ = duty("incoming", "handover", "readback", str(first), "--restate", "先催问市城管局，再回复东城街道")
    assert status == 0 and f"#{first}" in out and "先催问市城管局" in out and f"尚余 {len(rest)} 项" in out
    for item_id in rest:
        assert duty("incoming", "handover", "readback", str(item_id))[0] == 0
    clock.set_now(T0 + timedelta(minutes=6))
    status, out, err = duty("incoming", "handover", "accept")
    assert status == 0, err
    assert "陈静 已于 2026-11-24 10:06 接班" in out and f"移交事项 {len(rest) + 1} 项" in out
    assert set(LogEntry.select(LogEntry.owner).where(LogEntry.needs_action).tuples()) == {("incoming",)}
    status, sheet, _ = duty("incoming", "handover", "--shift", "1", "--format", "md")
    assert status == 0 and "陈静（2026-11-24 10:06 接班）" in sheet and "改述：先催问市城管局" in sheet


@pytest.mark.parametrize(("steps", "words"), [
    ([("incoming", "handover", "accept")], "未由本人复述"),
    ([("tester", "handover", "give")], "不能重复交班"),
    ([("tester", "handover", "readback", "1")], "不能自己接班"),
    ([("incoming", "handover", "readback", "999")], "#999"),
    ([("incoming", "handover", "accept", "42")], "#42"),
])
def test_refused_handover_steps_say_why_in_one_line_with_exit_3(duty, demo_db, steps, words):
    duty("tester", "handover", "give")
    for login, *args in steps:
        status, out, err = duty(login, *args)
    assert status == 3 and out == ""
    assert err.count("\n") == 1 and words in err


def test_accepting_when_nothing_was_handed_over_says_so(duty, demo_db, db_path):
    status, out, err = duty("incoming", "handover", "accept")
    notice, _, err = err.partition("\n")  # this process created the store: it says so first
    assert notice == f"已新建数据库：{db_path}"
    assert status == 3 and err.count("\n") == 1 and "没有待接的交班" in err and "尚未交班" in err


def test_second_acceptance_is_refused(duty, demo_db):
    duty("tester", "handover", "give")
    for item_id in _item_ids():
        duty("incoming", "handover", "readback", str(item_id))
    assert duty("incoming", "handover", "accept")[0] == 0
    status, _, err = duty("incoming", "handover", "accept", "1")
    assert status == 3 and "不能重复接班" in err


def test_sheet_can_be_written_to_a_file_in_each_format(duty, demo_db, tmp_path):
    for fmt, mark in (("md", "# 某市人民政府办公室总值班室"), ("txt", "交 接 班 单"), ("json", '"carried"')):
        path = tmp_path / f"sheet.{fmt}"
        status, out, _ = duty("tester", "handover", "--format", fmt, "--out", str(path))
        assert status == 0 and str(path) in out
        assert mark in path.read_text(encoding="utf-8")
    data = json.loads((tmp_path / "sheet.json").read_text(encoding="utf-8"))
    assert len(data["carried"]) == 7 and data["custody"][0]["classification"] == "机密"


def test_writing_the_sheet_to_a_missing_folder_is_one_line_and_exit_3(duty, demo_db, tmp_path):
    status, out, err = duty("tester", "handover", "--out", str(tmp_path / "nope" / "sheet.txt"))
    assert status == 3 and out == "" and err.count("\n") == 1 and "nope" in err


def test_correct_changes_an_open_shift_in_place_and_amends_an_accepted_one(duty, demo_db):
    note = LogEntry.get(LogEntry.category == "记事")
    status, out, _ = duty("tester", "correct", "log", str(note.id), "--reason", "笔误", "--content", "接班。设备正常。")
    assert status == 0 and f"已更正 值班日志 #{note.id}" in out
    duty("tester", "handover", "give")
    for item_id in _item_ids():
        duty("incoming", "handover", "readback", str(item_id))
    duty("incoming", "handover", "accept")
    status, out, _ = duty("incoming", "correct", "log", str(note.id), "--reason", "补记", "--content", "接班。设备、系统正常。")
    amendment = LogEntry.get(LogEntry.amends == note.id)
    assert status == 0 and f"已登记更正记录 值班日志 #{amendment.id}" in out and f"原记录 #{note.id}" in out
    assert LogEntry.get_by_id(note.id).content == "接班。设备正常。"
    status, sheet, _ = duty("incoming", "handover")
    assert "五、更正记录（1 项）" in sheet and "接班。设备正常。 → 接班。设备、系统正常。" in sheet


def test_correct_without_a_reason_is_a_usage_error(duty, demo_db):
    with pytest.raises(SystemExit) as done:
        duty("tester", "correct", "log", "1", "--content", "x")
    assert done.value.code == 2


@pytest.mark.parametrize("command", [["handover"], ["handover", "give"], ["handover", "readback"],
                                     ["handover", "accept"], ["correct"]], ids=" ".join)
def test_every_handover_command_has_help_that_exits_0(command, capsys):
    with pytest.raises(SystemExit) as done:
        cli.main([*command, "--help"])
    assert done.value.code == 0 and capsys.readouterr().out.startswith("用法：")


def test_handover_commands_never_import_textual(tmp_path, config_file):
    db = str(tmp_path / "x.db")
    code = textwrap.dedent(f"""
        import sys
        import duty_desk.core.identity
        from duty_desk.cli import main
        duty_desk.core.identity.current_login = lambda *a, **k: "tester"
        base = ["--config", {str(config_file)!r}, "--db", {db!r}]
        assert main([*base, "log", "市应急管理局来电", "--needs-action"]) == 0
        for argv in (["handover"], ["handover", "--format", "json"], ["handover", "give"],
                     ["correct", "log", "1", "--reason", "笔误", "--content", "市应急管理局来电询问"]):
            assert main([*base, *argv]) == 0, argv
        bad = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
        assert not bad, bad
    """)
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    env.pop("DUTY_DESK_CONFIG", None)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
