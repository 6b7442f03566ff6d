"""`duty-desk log LINE` reads the line as the desk's entry line does
(core.entryline): time, category and the action mark lead the text."""

from __future__ import annotations

import json

import pytest

from duty_desk import cli
from duty_desk.cli import exit_codes
from duty_desk.core.entryline import parse_entry


@pytest.fixture
def db(tmp_path):
    return tmp_path / "line.db"


@pytest.fixture
def run(db, config_file, fixed_clock, capsys, monkeypatch):
    monkeypatch.setattr("duty_desk.core.identity.current_login", lambda *a, **k: "tester")

    def go(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        status = cli.main(["--config", str(config_file), "--db", str(db), *args])
        out, err = capsys.readouterr()
        return status, out, err

    return go


def _entries(run) -> list[dict]:
    status, out, _err = run("show", "log", "--json")
    assert status == exit_codes.OK
    return [json.loads(line) for line in out.splitlines()]


def test_a_line_with_time_category_and_mark_records_a_call_at_that_time_needing_action(run):
    status, _out, err = run("log", "09:05 #来电 ! 测试")
    assert status == exit_codes.OK, err
    [entry] = _entries(run)
    assert entry["occurred_at"].endswith("T09:05+08:00")
    assert (entry["category"], entry["content"], entry["needs_action"], entry["state"]) == ("来电", "测试", True, "open")


def test_the_command_line_and_the_entry_line_agree_on_what_a_line_means(run):
    lines = ["接班，设备正常", "#交办 请核实水位", "09:10 #call 区气象台来电", "！东城街道反映井盖缺失", "09:20 ＃来电！ 市应急局来电"]
    for line in lines:
        assert run("log", line)[0] == exit_codes.OK
    stored = {e["content"]: e for e in _entries(run)}
    assert len(stored) == len(lines)
    for line in lines:
        parsed = parse_entry(line)
        entry = stored[parsed.content]
        assert entry["content"] == parsed.content
        assert entry["category"] == parsed.category
        if parsed.occurred_at:
            assert entry["occurred_at"].endswith(f"T{parsed.occurred_at}+08:00")


def test_options_say_the_same_things_and_win_over_the_marks(run):
    assert run("log", "09:05 #来电 区气象台来电", "--at", "09:30", "--category", "交办", "--needs-action")[0] == 0
    [entry] = _entries(run)
    assert entry["occurred_at"].endswith("T09:30+08:00")
    assert (entry["category"], entry["content"], entry["needs_action"]) == ("交办", "区气象台来电", True)


@pytest.mark.parametrize("line", ["/访 张三 市水务局", "/零", "#零报告 无事", "/交"])
def test_a_line_that_opens_a_form_in_the_desk_is_refused_with_the_reason_and_nothing_is_recorded(run, db, line):
    status, _out, err = run("log", line)
    assert status == exit_codes.REFUSED
    assert err.strip().splitlines()[-1].startswith("错误：") and "值班台" in err
    assert _entries(run) == []


def test_an_unknown_category_is_refused_naming_the_categories(run, db):
    assert run("log", "接班")[0] == exit_codes.OK
    status, _out, err = run("log", "#闲聊 天气不错")
    assert status == exit_codes.REFUSED
    assert "#来电" in err
    assert [e["content"] for e in _entries(run)] == ["接班"]


def test_a_whole_call_on_the_line_is_recorded_with_its_caller(run, db):
    from duty_desk.core.models import LogEntry

    status, out, err = run("log", "/电 区水务局，王科长，13800001111，水库水位接近汛限")
    assert status == exit_codes.OK, err
    entry = LogEntry.get(LogEntry.content == "水库水位接近汛限")
    assert (entry.category, entry.counterpart_unit, entry.counterpart_name, entry.counterpart_title,
            entry.counterpart_phone) == ("来电", "区水务局", "王科长", "科长", "13800001111")
    assert "区水务局" in out or "水库水位接近汛限" in out


def test_a_call_line_without_what_was_said_is_refused_and_writes_nothing(run, db):
    from duty_desk.core.models import LogEntry

    status, out, err = run("log", "/电 区水务局")
    assert status == exit_codes.REFUSED
    assert "不能为空" in err
    assert LogEntry.select().count() == 0
