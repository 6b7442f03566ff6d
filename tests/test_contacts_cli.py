"""``duty-desk contacts``: the contact book from the command line, as an
administrator keeps it and as an officer reads it."""

from __future__ import annotations

import json

import pytest

from duty_desk import cli
from duty_desk.core.models import Contact

ADMIN_TOML = """
[[officers]]
login = "admin"
name = "周主任"
role = "admin"
"""


@pytest.fixture
def config_file(config_file):
    config_file.write_text(config_file.read_text(encoding="utf-8") + ADMIN_TOML, encoding="utf-8")
    return config_file


@pytest.fixture
def run(config_file, db_path, monkeypatch, capsys, fixed_clock):
    """``run(*args, login=...)``: the command line as that officer -> (status, out, err)."""

    def run(*args: str, login: str = "admin") -> tuple[int, str, str]:
        monkeypatch.setattr("duty_desk.core.identity.current_login", lambda *a, **k: login)
        status = cli.main(["--config", str(config_file), "--db", str(db_path), *args])
        out, err = capsys.readouterr()
        return status, out, err

    return run


def test_an_administrator_adds_edits_and_voids_and_an_officer_reads(run):
    status, out, err = run("contacts", "add", "--unit", "区水务局", "--name", "王科长", "--title", "科长",
                           "--mobile", "13800001111", "--tags", "防汛,水库")
    assert status == 0, err
    assert "已新增联系人 #1：区水务局 王科长" in out
    status, out, _ = run("contacts", "add", "--unit", "区水务局", "--duty", "0571-86020000", "--tags", "防汛")
    assert status == 0
    status, out, _ = run("contacts", "list", "sw", login="tester")
    assert status == 0 and "王科长" in out and "0571-86020000" in out
    status, out, _ = run("contacts", "edit", "1", "--mobile", "13800002222")
    assert status == 0 and "已修改联系人 #1" in out
    status, out, _ = run("contacts", "show", "1", login="tester")
    assert "手机：13800002222" in out and "标签：防汛、水库" in out
    status, out, _ = run("history", "contact", "1", login="tester")
    assert "修改联系人" in out and "13800001111" in out
    status, out, _ = run("contacts", "void", "1", "--reason", "人员调整")
    assert status == 0
    status, out, _ = run("contacts", "list", "王科长", login="tester")
    assert "没有符合的联系人" in out
    status, out, _ = run("contacts", "show", "1", login="tester")
    assert "已作废" in out and "人员调整" in out


def test_an_officer_is_refused_and_nothing_is_written(run):
    status, _, err = run("contacts", "add", "--unit", "区水务局", login="tester")
    assert status == 3 and "管理员" in err
    assert Contact.select().count() == 0


def test_a_bad_phone_is_refused_with_its_reason(run):
    status, _, err = run("contacts", "add", "--unit", "区水务局", "--duty", "值班室")
    assert status == 3 and "值班电话" in err and "不像电话号码" in err


def test_import_names_each_bad_line_and_export_round_trips(run, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes("单位,姓名,手机\r\n区水务局,王科长,13800001111\r\n区卫健委,赵主任,138-abc\r\n".encode("gbk"))
    status, _, err = run("contacts", "import", str(bad))
    assert status == 3 and "第 3 行（手机）" in err
    assert Contact.select().count() == 0
    good = tmp_path / "good.csv"
    good.write_bytes("单位,姓名,手机,标签\r\n区水务局,王科长,13800001111,防汛\r\n".encode("gbk"))
    status, out, _ = run("contacts", "import", str(good))
    assert status == 0 and "新增 1 条" in out
    out_file = tmp_path / "book.csv"
    status, _, err = run("contacts", "export", str(out_file), login="tester")
    assert status == 0 and str(out_file) in err
    assert out_file.read_bytes().startswith(b"\xef\xbb\xbf")
    status, out, _ = run("contacts", "import", str(out_file))
    assert status == 0 and "新增 0 条" in out and "1 条与通讯录相同" in out


def test_who_to_call_lists_the_tagged_units(run):
    run("contacts", "add", "--unit", "市气象台", "--duty", "0571-85010000", "--tags", "气象")
    run("contacts", "add", "--unit", "区信访局", "--duty", "0571-86080000", "--tags", "信访")
    status, out, _ = run("contacts", "who", "自然灾害", login="tester")
    assert status == 0 and "市气象台" in out and "区信访局" not in out
    status, out, _ = run("contacts", "who", "公共卫生事件", "--json", login="tester")
    assert status == 0 and out == ""
    status, out, _ = run("contacts", "who", "社会安全事件", "--json", login="tester")
    assert [json.loads(line)["unit"] for line in out.splitlines()] == ["区信访局"]


@pytest.mark.parametrize("action", ["list", "show", "add", "edit", "void", "import", "export", "who"])
def test_every_action_has_help_in_chinese(run, action, capsys):
    from duty_desk.core.i18n import t

    with pytest.raises(SystemExit) as done:
        run("contacts", action, "--help")
    assert done.value.code == 0
    assert t(f"cli.contacts.{action}").replace(" ", "")[:10] in capsys.readouterr().out.replace("\n", "").replace(" ", "")
