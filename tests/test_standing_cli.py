"""`duty-desk standing …`: an administrator adds an order in one line, the
officer on duty sees its occurrence in `show open` and records its result."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from test_standing_service import ADMIN_TOML

from duty_desk import cli
from duty_desk.core import clock


def at(text: str) -> datetime:
    return datetime.fromisoformat(text + "+08:00").astimezone(timezone.utc)


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    """``run(login, *args)`` -> (status, stdout, stderr), in-process."""
    config = tmp_path / "c.toml"
    config.write_text(ADMIN_TOML, encoding="utf-8")
    db = str(tmp_path / "x.db")
    clock.set_now(at("2026-07-10 08:00"))

    def run(login: str, *args: str) -> tuple[int, str, str]:
        monkeypatch.setattr("duty_desk.core.identity.current_login", lambda *a, **k: login)
        status = cli.main(["--config", str(config), "--db", db, *args])
        out, err = capsys.readouterr()
        return status, out, err

    return run


def test_an_order_added_in_one_line_becomes_an_open_item_at_its_time_and_is_closed_by_its_result(run):
    status, out, _ = run("admin", "standing", "add", "每日16:00 报雨情（6月1日至9月30日）", "--discharge", "雨量、水位")
    assert status == 0 and out.strip() == "已新增定时事项 #1：报雨情（每日 16:00（6月1日至9月30日））"
    status, out, _ = run("tester", "standing", "list", "--json")
    (row,) = [json.loads(line) for line in out.splitlines()]
    assert (row["title"], row["next"], row["owner"]) == ("报雨情", "2026-07-10 16:00", "当班值班员")

    clock.set_now(at("2026-07-10 16:40"))
    status, out, _ = run("tester", "show", "open", "--json", "--kind", "standing")
    (item,) = [json.loads(line) for line in out.splitlines()]
    assert (item["title"], item["kind_label"], item["due_at"], item["overdue"]) == ("报雨情", "定时事项",
                                                                                   "07-10 16:30", True)
    status, out, _ = run("tester", "standing", "show", "1")
    assert status == 0 and "须记录：雨量、水位" in out and "2026-07-11 16:00" in out and "超期" in out
    status, out, _ = run("tester", "standing", "result", str(item["id"]), "已报市防指")
    assert status == 0 and "已办结" in out
    status, out, _ = run("tester", "standing", "result", str(item["id"]), "再报")
    assert status == 3 and out == ""
    assert run("tester", "check")[0] == 0


def test_options_give_or_override_the_phrase_and_bad_ones_are_refused_by_name(run):
    status, out, _ = run("admin", "standing", "add", "--title", "报安全生产情况", "--time", "10:00", "--rule", "weekly",
                         "--weekday", "1", "--skip-holidays", "--window", "60")
    assert status == 0 and "每周一 10:00，节假日除外" in out
    status, _, err = run("admin", "standing", "add", "每日 报雨情")
    assert status == 3 and "没有时间" in err
    status, _, err = run("admin", "standing", "add", "每日16:00 报雨情", "--season", "06-01..06-01")
    assert status == 3 and "时段" in err
    status, _, err = run("tester", "standing", "add", "每日16:00 报雨情")
    assert status == 3
    status, out, _ = run("admin", "standing", "update", "1", "--time", "09:30", "--keep-holidays")
    assert status == 0 and "每周一 09:30（" not in out and "每周一 09:30" in out
    status, out, _ = run("admin", "standing", "void", "1", "--reason", "改由系统报送")
    assert status == 0
    status, out, _ = run("tester", "standing", "list", "--all", "--json")
    assert json.loads(out)["voided"] is True


@pytest.mark.parametrize("action", ["list", "add", "update", "show", "void", "result"])
def test_every_standing_command_explains_itself(run, action):
    with pytest.raises(SystemExit) as done:
        run("tester", "standing", action, "--help")
    assert done.value.code == 0
