"""The open-items commands: show open, check, result, chase, transfer, instruct,
answer, zero-report — in-process with the clock set, and `check` once as cron
runs it, as a subprocess."""

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
from duty_desk.core import clock

CALL = "东城街道来电反映井盖缺失，需回复处置结果"
COMMANDS = ("check", "result", "chase", "transfer", "instruct", "answer", "zero-report")


@pytest.fixture
def desk_cli(tmp_path, config_file, monkeypatch, capsys, fixed_clock):
    """Run ``duty-desk --config ... --db ... ARGS`` in-process as officer "tester"."""
    monkeypatch.setattr("duty_desk.core.identity.current_login", lambda *a, **k: "tester")
    db = str(tmp_path / "x.db")

    def run(*args: str) -> tuple[int, str, str]:
        status = cli.main(["--config", str(config_file), "--db", db, *args])
        out, err = capsys.readouterr()
        return status, out, err

    return run


def _open_json(run, *filters: str) -> list[dict]:
    status, out, _ = run("show", "open", "--json", *filters)
    assert status == 0
    return [json.loads(line) for line in out.splitlines()]


def test_check_exits_0_then_1_when_something_is_overdue_then_0_after_it_is_dealt_with(desk_cli):
    assert desk_cli("log", CALL, "--category", "来电", "--needs-action", "--at", "09:40")[0] == 0
    status, out, _ = desk_cli("check")
    assert status == 0 and out == "未结事项 1 项，超期 0 项\n"

    clock.set_now(T0 + timedelta(hours=2))  # 12:00: due at 11:40
    status, out, _ = desk_cli("check")
    assert status == 1 and out == "未结事项 1 项，超期 1 项\n"
    assert desk_cli("check")[0] == 1

    status, out, _ = desk_cli("result", "1", "市城管局已补装井盖")
    assert status == 0 and "#1" in out
    assert desk_cli("check")[:2] == (0, "未结事项 0 项，超期 0 项\n")
    status, out, _ = desk_cli("history", "log", "1", "--json")
    assert [json.loads(line)["action"] for line in out.splitlines()].count("overdue") == 1


def test_show_open_lists_each_item_with_owner_and_due_time_and_filters(desk_cli):
    desk_cli("log", CALL, "--category", "来电", "--needs-action", "--at", "09:40")
    desk_cli("log", "王军副秘书长交办：17时前汇总防汛值守情况", "--category", "交办")
    status, out, _ = desk_cli("show", "open")
    assert status == 0
    assert "未结事项 2 项，超期 0 项" in out and "李明" in out and "11-24 11:40" in out and "值班日志 #1" in out

    desk_cli("transfer", "call", "2", "incoming", "--reason", "转夜班跟进")
    assert [r["id"] for r in _open_json(desk_cli, "--owner", "incoming")] == [2]
    clock.set_now(T0 + timedelta(minutes=110))  # 11:50: the first is late
    overdue = _open_json(desk_cli, "--overdue")
    assert [(r["id"], r["overdue"], r["owner"]) for r in overdue] == [(1, True, "tester")]
    assert _open_json(desk_cli, "--kind", "visitor") == []
    assert len(_open_json(desk_cli, "--kind", "call", "--kind", "visitor")) == 2


def test_chase_instruct_and_answer_from_the_command_line(desk_cli):
    desk_cli("log", CALL, "--category", "来电", "--needs-action")
    status, out, _ = desk_cli("chase", "call", "1", "--whom", "市城管局值班室", "--means", "电话",
                              "--answer", "已派人前往")
    assert status == 0 and "共 1 次" in out
    [row] = _open_json(desk_cli)
    assert (row["chase_count"], row["last_chase_whom"], row["last_chase_answer"]) == (1, "市城管局值班室", "已派人前往")

    status, out, _ = desk_cli("instruct", "log", "1", "--leader", "王军", "--text", "督促城管局今日处置完毕",
                              "--assignee", "市城管局", "--due", "2026-11-24 17:00")
    assert status == 0 and "2026-11-24 17:00" in out
    [ins] = _open_json(desk_cli, "--kind", "instruction")
    assert (ins["title"], ins["parent"], ins["due_at"]) == ("王军：督促城管局今日处置完毕", "log 1", "11-24 17:00")

    assert desk_cli("answer", str(ins["id"]), "已处置完毕，已回复街道")[0] == 0
    assert _open_json(desk_cli, "--kind", "instruction") == []
    status, out, err = desk_cli("answer", str(ins["id"]), "再次答复")
    assert status == 3 and out == "" and err.count("\n") == 1


def test_zero_report_for_the_previous_day_and_check_mentions_the_missing_one(desk_cli):
    desk_cli("shift")  # the desk is in use on 11-24, and nothing is recorded
    clock.set_now(T0 + timedelta(hours=22, minutes=35))  # 08:35 on 11-25
    status, out, _ = desk_cli("check")
    assert status == 0 and "2026-11-24" in out and "零报告" in out
    status, out, _ = desk_cli("zero-report", "--previous")
    assert status == 0 and "2026-11-24" in out
    assert "零报告" not in desk_cli("check")[1]


@pytest.mark.parametrize(("args", "words"), [
    (["chase", "log", "9", "--whom", "某人"], "#9"),
    (["transfer", "call", "1", "nobody", "--reason", "换班"], "nobody"),
    (["instruct", "log", "1", "--leader", "王军", "--text", "办", "--due", "明天"], "明天"),
    (["result", "1", "  "], "不能为空"),
    (["show", "open", "--kind", "nothing"], "nothing"),
])
def test_bad_input_is_one_line_on_stderr_and_exit_3_or_2_for_usage(desk_cli, args, words):
    desk_cli("log", CALL, "--category", "来电", "--needs-action")
    if args[0] == "show":
        with pytest.raises(SystemExit) as done:
            desk_cli(*args)
        assert done.value.code == 2
        return
    status, out, err = desk_cli(*args)
    assert status == 3 and out == ""
    assert err.count("\n") == 1 and words in err


@pytest.mark.parametrize("command", COMMANDS)
def test_every_open_items_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as done:
        cli.main([command, "--help"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("用法：")


def test_check_from_cron_exits_1_on_an_item_late_since_yesterday_without_loading_textual(tmp_path):
    """As a monitoring system runs it: a real process, the real clock, a call from yesterday."""
    db = tmp_path / "x.db"
    code = textwrap.dedent(f"""
        import sys
        from datetime import datetime, timedelta, timezone
        from duty_desk import cli
        from duty_desk.core import clock
        clock.set_now(datetime.now(timezone.utc) - timedelta(days=1))
        assert cli.main(["--db", {str(db)!r}, "log", "来电待回复", "--needs-action"]) == 0
        clock.set_now(None)
        status = cli.main(["--db", {str(db)!r}, "check"])
        assert "textual" not in sys.modules, "check imported textual"
        sys.exit(status)
    """)
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
           "PYTHONIOENCODING": "utf-8"}
    env.pop("DUTY_DESK_CONFIG", None)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines()[-1] == "未结事项 1 项，超期 1 项"
