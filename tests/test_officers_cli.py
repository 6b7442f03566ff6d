"""``duty-desk officer ...``: anyone on the list may read it, only an
administrator changes it; every refusal is one line and exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from test_officers_manage import CHIEF_TOML

from duty_desk import cli
from duty_desk.core import audit
from duty_desk.core.models import AuditEvent, Officer

SUBCOMMANDS = ("list", "add", "deactivate", "activate", "role")


@pytest.fixture
def office_config(tmp_path):
    path = tmp_path / "office.toml"
    path.write_text(CHIEF_TOML, encoding="utf-8")
    return path


@pytest.fixture
def duty(office_config, db_path, monkeypatch, capsys, fixed_clock):
    """Run the command line as a given login: duty("chief", "officer", "list")."""

    def run(login: str, *args: str) -> tuple[int, str, str]:
        monkeypatch.setattr("duty_desk.core.identity.current_login", lambda *a, **k: login)
        status = cli.main(["--config", str(office_config), "--db", str(db_path), *args])
        out, err = capsys.readouterr()
        return status, out, err

    return run


def test_any_officer_lists_names_roles_and_who_is_active(duty):
    assert duty("chief", "officer", "deactivate", "incoming", "--reason", "调离")[0] == 0
    status, out, err = duty("tester", "officer", "list")
    assert status == 0, err
    lines = out.splitlines()
    assert ["登录名", "姓名", "角色", "电话", "状态"] == lines[0].split()
    assert lines[1].split() == ["chief", "周丽", "管理员", "13800000009", "在岗"]
    assert lines[-1].split() == ["incoming", "陈静", "值班员", "已停用"]


def test_list_as_json_gives_one_officer_per_line(duty):
    status, out, _ = duty("leader", "officer", "list", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and rows[0] == {"login": "chief", "name": "周丽", "role": "admin",
                                       "phone": "13800000009", "active": True}
    assert {r["login"] for r in rows} == {"chief", "leader", "tester", "incoming"}


def test_administrator_adds_gives_a_role_deactivates_and_activates(duty, db_path):
    status, out, err = duty("chief", "officer", "add", "zhaomin", "--name", "赵敏", "--role", "leader",
                            "--phone", "13900000001")
    assert (status, err) == (0, f"已新建数据库：{db_path}\n") and out == "已添加值班人员 赵敏（zhaomin），角色：带班领导\n"
    status, out, _ = duty("chief", "officer", "role", "zhaomin", "admin", "--reason", "兼任办公室主任")
    assert status == 0 and out == "赵敏（zhaomin）的角色已由 带班领导 改为 管理员\n"
    status, out, _ = duty("zhaomin", "officer", "deactivate", "tester", "--reason", "调离值班岗位")
    assert status == 0 and out == "已停用 李明（tester）\n"
    status, _, err = duty("tester", "log", "接班")
    assert status == 3 and "已停用" in err and err.count("\n") == 1
    status, out, _ = duty("chief", "officer", "activate", "tester")
    assert status == 0 and out == "已重新启用 李明（tester）\n"
    assert duty("tester", "log", "接班")[0] == 0
    tester = Officer.get(Officer.login == "tester")
    assert [(e.actor, e.action, e.outcome) for e in audit.history("officer", tester.id)][-3:] == [
        ("zhaomin", "deactivate", "success"), ("tester", "login", "failure"), ("chief", "activate", "success")]


@pytest.mark.parametrize(("argv", "words"), [
    (("officer", "add", "friend", "--name", "某人", "--role", "admin"), "只能由管理员"),
    (("officer", "role", "tester", "admin", "--reason", "自荐"), "只能由管理员"),
    (("officer", "deactivate", "chief", "--reason", "不满"), "只能由管理员"),
], ids=["add", "role", "deactivate"])
def test_an_officer_changing_the_list_gets_one_line_exit_3_and_a_recorded_refusal(duty, db_path, argv, words):
    status, out, err = duty("tester", *argv)
    notice, _, err = err.partition("\n")  # the first command on a new --db names it
    assert notice == f"已新建数据库：{db_path}"
    assert (status, out) == (3, "") and words in err and err.count("\n") == 1
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (event.actor, event.kind, event.outcome) == ("tester", "officer", "failure")
    assert json.loads(event.new)["error"] == "role.needs_admin"
    assert [(o.login, o.role, o.active) for o in Officer.select().order_by(Officer.id)] == [
        ("tester", "officer", True), ("incoming", "officer", True), ("leader", "leader", True),
        ("chief", "admin", True)]


@pytest.mark.parametrize(("argv", "words"), [
    (("officer", "deactivate", "chief", "--reason", "离任"), "唯一在岗的管理员"),
    (("officer", "add", "incoming", "--name", "陈晶"), "已在值班人员名单中"),
    (("officer", "add", "Zhang Wei", "--name", "张伟"), "登录名"),
    (("officer", "role", "tester", "boss", "--reason", "x"), "officer（值班员）"),
    (("officer", "activate", "nobody"), "没有登录名 nobody"),
], ids=["last-admin", "twice", "bad-login", "bad-role", "unknown"])
def test_refused_officer_changes_say_why_in_one_line(duty, db_path, argv, words):
    status, out, err = duty("chief", *argv)
    notice, _, err = err.partition("\n")  # the first command on a new --db names it
    assert notice == f"已新建数据库：{db_path}"
    assert (status, out) == (3, "") and words in err and err.count("\n") == 1 and "Traceback" not in err


def test_a_stranger_cannot_even_list_the_officers(duty):
    status, out, err = duty("stranger", "officer", "list")
    assert (status, out) == (3, "") and "stranger" in err and err.count("\n") == 1


@pytest.mark.parametrize("sub", SUBCOMMANDS)
def test_every_officer_subcommand_has_help_in_chinese(sub, capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["officer", sub, "--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0 and "用法：" in out
    assert "登录名" in out or "JSON" in out


def test_the_officer_group_help_names_its_actions(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["officer", "--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0 and "值班人员名单" in out
    assert all(sub in out for sub in SUBCOMMANDS)


def test_officer_commands_never_import_textual(tmp_path, office_config):
    db = str(tmp_path / "x.db")
    code = textwrap.dedent(f"""
        import sys
        import duty_desk.core.identity
        from duty_desk.cli import main
        duty_desk.core.identity.current_login = lambda *a, **k: "chief"
        base = ["--config", {str(office_config)!r}, "--db", {db!r}, "officer"]
        for argv in (["list"], ["add", "zhaomin", "--name", "赵敏"], ["role", "zhaomin", "leader", "--reason", "任命"],
                     ["deactivate", "zhaomin", "--reason", "调离"], ["activate", "zhaomin"]):
            assert main([*base, *argv]) == 0, argv
        bad = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
        assert not bad, bad
    """)
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    env.pop("DUTY_DESK_CONFIG", None)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
