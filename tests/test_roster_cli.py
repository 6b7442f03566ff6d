"""`duty-desk roster …` as an office uses it: a fresh store with five duty
officers and three leaders, October 2026 planned, printed, swapped."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from rich.cells import cell_len
from roster_support import write_config

import duty_desk.core.identity as identity
from duty_desk import cli
from duty_desk.core import clock


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    clock.set_now(datetime(2026, 9, 20, 2, 0, tzinfo=timezone.utc))
    config = write_config(tmp_path / "roster.toml")
    base = ["--config", str(config), "--db", str(tmp_path / "desk.db")]
    who = {"login": "admin"}
    monkeypatch.setattr(identity, "current_login", lambda *a, **k: who["login"])

    def run(*args: str, login: str = "admin") -> tuple[int, str, str]:
        who["login"] = login
        status = cli.main([*base, *args])
        out = capsys.readouterr()
        return status, out.out, out.err

    return run


def test_planning_october_puts_two_leaders_on_the_national_day_holiday_and_marks_the_10th_worked(run):
    status, out, err = run("roster", "plan", "2026-10")
    assert status == 0, err
    assert "duty-desk roster publish 2026-10" in err
    status, out, _ = run("roster", "show", "2026-10", "--json")
    slots = [json.loads(line) for line in out.splitlines()]
    assert len(slots) == 31 and {s["month_state"] for s in slots} == {"draft"}
    for s in slots[:7]:
        assert s["statutory_holiday"] and s["holiday"] == "国庆节"
        assert len(s["leaders"]) == 2 and s["gaps"] == []
    tenth = slots[9]
    assert tenth["date"] == "2026-10-10" and tenth["makeup_workday"] and not tenth["rest"]


def test_the_printed_month_fits_80_cells_and_says_what_each_day_is(run):
    run("roster", "plan", "2026-10")
    run("roster", "publish", "2026-10")
    status, out, _ = run("roster", "show", "2026-10", "--format", "txt")
    assert status == 0
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert "2026年10月 值班表（已发布）" in out
    first = next(line for line in lines if line.strip().startswith("10-01"))
    assert "国庆节" in first and "、" in first  # two leaders
    assert "补班（国庆节）" in next(line for line in lines if line.strip().startswith("10-10"))
    assert "13800000001" in out  # the leaders' phones
    status, md, _ = run("roster", "show", "2026-10", "--format", "md")
    assert md.count("\n| 10-") == 31


def test_a_swap_request_acceptance_and_approval_appear_in_history(run):
    run("roster", "plan", "2026-10")
    run("roster", "publish", "2026-10")
    _, out, _ = run("roster", "show", "2026-10", "--json")
    day = next(json.loads(line) for line in out.splitlines() if json.loads(line)["date"] == "2026-10-20")
    mine = day["officers"][0]
    colleague = next(o for o in ("o1", "o2", "o3", "o4", "o5") if o != mine)
    status, out, err = run("roster", "swap", "2026-10-20", "--with", colleague, "--reason", "家中有事", login=mine)
    assert status == 0, err
    assert "#1" in out
    status, out, err = run("roster", "accept", "1", login=colleague)
    assert status == 0 and "待审批" in out, err
    status, out, err = run("roster", "approve", "1", login="l2")
    assert status == 0 and "已生效" in out, err
    status, out, _ = run("history", "swap", "1")
    assert status == 0
    for words in ("申请换班", "被换人同意", "批准换班", "钱副局长", "值班日：2026-10-20", "类别：换班"):
        assert words in out
    names = {"o1": "张伟", "o2": "李娜", "o3": "王强", "o4": "刘洋", "o5": "陈静"}
    assert f"原值班人：{names[mine]}" in out and f"接替人：{names[colleague]}" in out  # names, not logins
    status, out, _ = run("roster", "show", "2026-10")
    assert "〔换〕" in next(line for line in out.splitlines() if line.strip().startswith("10-20"))
    status, out, _ = run("roster", "swaps", "--all")
    assert "已生效" in out


def test_an_officer_cannot_plan_and_is_told_why(run):
    status, _, err = run("roster", "plan", "2026-10", login="o1")
    assert status != 0 and "管理员" in err


def test_a_bad_month_is_refused_in_words(run):
    status, _, err = run("roster", "plan", "2026-13")
    assert status != 0 and "YYYY-MM" in err


def test_check_warns_about_a_holiday_short_of_two_leaders_and_an_empty_slot(run):
    clock.set_now(datetime(2026, 9, 28, 2, 0, tzinfo=timezone.utc))
    run("roster", "plan", "2026-10")
    run("roster", "publish", "2026-10")
    run("roster", "set", "2026-10-02", "--leader", "l1", "--reason", "钱副局长出差")
    run("roster", "set", "2026-10-03", "--officer", "", "--reason", "待定")
    status, out, _ = run("check")
    assert "2026-10-02 是节假日，须双带班，还缺带班领导 1 名" in out
    assert "2026-10-03 全天班 缺值班员 1 名" in out


def test_every_roster_action_has_help(run):
    for action in ("show", "plan", "publish", "set", "swap", "swaps", "accept", "approve", "refuse", "withdraw",
                   "cover", "leave", "leaves", "void-leave", "void"):
        with pytest.raises(SystemExit) as done:
            cli.main(["roster", action, "--help"])
        assert done.value.code == 0


def test_shift_on_a_statutory_holiday_asks_for_two_leaders_from_the_calendar_alone(run):
    clock.set_now(datetime(2026, 10, 1, 2, 0, tzinfo=timezone.utc))  # 国庆节, no date listed in config.toml
    status, out, err = run("shift", "--leader", "赵局长", login="o1")
    assert status == 0 and "双带班" in err
    status, out, err = run("shift", "--leader", "赵局长", "--leader", "钱副局长", login="o1")
    assert status == 0 and err == ""


def test_a_leave_and_a_roster_version_are_voided_with_a_reason_and_stay_readable(run):
    status, out, err = run("roster", "leave", "王强", "2026-10-05", "2026-10-06", "--reason", "年休假")
    assert status == 0 and "请假 #1" in out, err
    status, out, _ = run("roster", "leaves", "2026-10")
    assert "王强" in out and "年休假" in out
    status, _, err = run("roster", "void-leave", "1", "--reason", "登记错误")
    assert status == 0, err
    _, out, _ = run("roster", "leaves", "2026-10")
    assert "王强" not in out
    _, out, _ = run("history", "leave", "1")
    assert "登记请假" in out and "作废" in out and "登记错误" in out
    status, _, err = run("roster", "void-leave", "1", "--reason", "再作废")
    assert status == 3 and "已经作废" in err
    run("roster", "plan", "2026-10")
    run("roster", "publish", "2026-10")
    _, out, _ = run("roster", "show", "2026-10", "--json")
    first = next(json.loads(line) for line in out.splitlines() if json.loads(line)["date"] == "2026-10-12")
    other = next(o for o in ("o1", "o2", "o3", "o4", "o5") if o not in first["officers"])
    run("roster", "set", "2026-10-12", "--officer", other, "--reason", "临时调整")
    _, out, _ = run("roster", "show", "2026-10", "--json")
    changed = next(json.loads(line) for line in out.splitlines() if json.loads(line)["date"] == "2026-10-12")
    assert changed["officers"] == [other] and changed["amended"]
    status, out, err = run("roster", "void", str(changed["entry_id"]), "--reason", "调整取消")
    assert status == 0 and first["officer_names"][0] in out, err  # the version before is in force again
