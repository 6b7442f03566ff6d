"""The ``duty-desk`` command line, run as the user runs it (subprocesses against
a temporary database), plus quick in-process checks of its error paths."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from duty_desk import __version__, cli
from duty_desk.core import db as store
from duty_desk.core.demo import HISTORY_DAYS

CALL = "市应急管理局来电，询问防汛值守情况"


@pytest.fixture
def run(tmp_path):
    """Run ``python -m duty_desk ARGS`` with the XDG dirs inside tmp_path."""
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
           "PYTHONIOENCODING": "utf-8"}
    env.pop("DUTY_DESK_CONFIG", None)

    def _run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "duty_desk", *args], capture_output=True, text=True,
                              env=env, cwd=tmp_path, timeout=60)

    return _run


def _alter_audit_row(path: Path, event_id: int) -> None:
    """What someone with the sqlite3 shell could do behind the app's back."""
    con = sqlite3.connect(path)
    try:
        con.execute("DROP TRIGGER audit_event_no_update")
        con.execute("UPDATE audit_event SET new = ? WHERE id = ?", ('{"content": "无事"}', event_id))
        con.commit()
    finally:
        con.close()


def test_log_show_json_and_audit_verify_as_in_the_issue(run, tmp_path):
    db = str(tmp_path / "x.db")
    logged = run("--db", db, "log", CALL)
    assert logged.returncode == 0, logged.stderr
    assert CALL in logged.stdout

    shown = run("--db", db, "show", "log", "--json")
    assert shown.returncode == 0, shown.stderr
    records = [json.loads(line) for line in shown.stdout.splitlines()]
    assert len(records) == 1
    assert (records[0]["kind"], records[0]["content"], records[0]["category"]) == ("log", CALL, "记事")

    intact = run("--db", db, "audit", "verify")
    assert intact.returncode == 0, intact.stderr
    head = sqlite3.connect(db).execute("SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert head in intact.stdout
    # no officers configured: whoever ran it first was registered as administrator
    officers = sqlite3.connect(db).execute("SELECT login, role FROM officer").fetchall()
    assert officers == [(cli_login(), "admin")]

    entry_event = sqlite3.connect(db).execute(
        "SELECT id FROM audit_event WHERE kind = 'log' ORDER BY id LIMIT 1").fetchone()[0]
    _alter_audit_row(tmp_path / "x.db", entry_event)
    broken = run("--db", db, "audit", "verify")
    assert broken.returncode == 1
    assert f"#{entry_event}" in broken.stderr and broken.stderr.count("\n") == 1


def test_demo_fills_a_new_demo_database_and_refuses_a_filled_one(run, tmp_path):
    first = run("demo")
    assert first.returncode == 0, first.stderr
    demo_db = tmp_path / "data" / "duty-desk" / "demo.db"
    assert demo_db.is_file() and not (tmp_path / "data" / "duty-desk" / "desk.db").exists()
    con = sqlite3.connect(demo_db)
    try:
        today = con.execute("SELECT MAX(duty_date) FROM log_entry").fetchone()[0]
        days = con.execute("SELECT COUNT(DISTINCT duty_date) FROM log_entry").fetchone()[0]
        handed = con.execute("SELECT COUNT(*) FROM handover WHERE accepted_by IS NOT NULL").fetchone()[0]
        visitors = con.execute("SELECT state FROM visitor WHERE duty_date = ?", (today,)).fetchall()
        docs = con.execute("SELECT urgency, classification, title, summary FROM document WHERE duty_date = ?",
                           (today,)).fetchall()
        kinds = {r[0] for r in con.execute("SELECT e.kind FROM urgent_event e JOIN urgent_item i ON i.id = e.item_id"
                                           " WHERE i.duty_date = ?", (today,))}
        calls = con.execute("SELECT count(*) FROM log_entry WHERE category = '来电' AND duty_date = ?",
                            (today,)).fetchone()[0]
        me = con.execute("SELECT name FROM officer WHERE login = ?", (cli_login(),)).fetchone()
    finally:
        con.close()
    assert len(visitors) == 2 and ("left",) in visitors and sum(s != ("left",) for s in visitors) == 1
    assert len(docs) == 3 and any(d[0] == "特急" for d in docs)
    assert any(d[1] and d[2] == "" and d[3] == "" for d in docs)  # classified: register data only
    assert {"leader_informed", "phone_report", "first_report", "followup"} <= kinds
    assert calls >= 2
    assert me == ("李明",)  # the person trying the demo is one of its officers, named like one
    # and the months before it, each day handed over and accepted (history and search have a past)
    assert days == HISTORY_DAYS + 1 and handed == HISTORY_DAYS

    again = run("demo")
    assert again.returncode == 3
    assert again.stderr.count("\n") == 1 and "Traceback" not in again.stderr


def cli_login() -> str:
    from duty_desk.core.identity import current_login

    return current_login()


def test_demo_flag_fills_the_demo_database_on_first_use_and_shows_open_items(run, tmp_path):
    shown = run("--demo", "show", "open")
    assert shown.returncode == 0, shown.stderr
    assert "钱秀英" in shown.stdout  # the visitor still on the premises
    # The urgent item of the demo day, whatever the season it runs in.
    from datetime import datetime

    from duty_desk.core.demo import season_content

    assert season_content(datetime.now().month, datetime.now().year)["urgent"][:8] in shown.stdout
    assert (tmp_path / "data" / "duty-desk" / "demo.db").is_file()
    assert not (tmp_path / "data" / "duty-desk" / "desk.db").exists()


def test_version_is_printed(run):
    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"duty-desk {__version__}"


def test_non_tui_commands_services_and_models_never_import_textual(tmp_path):
    db = str(tmp_path / "x.db")
    code = textwrap.dedent(f"""
        import pkgutil, sys, importlib
        import duty_desk.core.services, duty_desk.core.models
        for m in pkgutil.iter_modules(duty_desk.core.services.__path__):
            importlib.import_module("duty_desk.core.services." + m.name)
        from duty_desk.cli import main
        for argv in (["log", "来电"], ["show", "log"], ["show", "open", "--json"], ["audit", "verify"],
                     ["history", "log", "1"]):
            assert main(["--db", {db!r}, *argv]) == 0, argv
        bad = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
        assert not bad, bad
    """)
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    env.pop("DUTY_DESK_CONFIG", None)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr


# --- in-process: help, errors --------------------------------------------------------


def _commands() -> list[list[str]]:
    from duty_desk.cli import items  # noqa: F401  (registers the later features' commands, as main does)

    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    out: list[list[str]] = [[]]
    for name, p in sub.choices.items():
        out.append([name])
        for action in p._actions:
            if action.__class__.__name__ == "_SubParsersAction":
                out += [[name, inner] for inner in action.choices]
    return out


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c) or "duty-desk")
def test_every_command_has_help_that_exits_0(command, capsys):
    with pytest.raises(SystemExit) as done:
        cli.main([*command, "--help"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("用法：")


def test_login_not_on_the_officer_list_gets_one_line_and_exit_3(tmp_path, capsys):
    config = tmp_path / "officers.toml"
    config.write_text('[[officers]]\nlogin = "zhangwei"\nname = "张伟"\n', encoding="utf-8")
    status = cli.main(["--config", str(config), "--db", str(tmp_path / "x.db"), "log", CALL])
    out, err = capsys.readouterr()
    assert status == 3 and out == ""
    assert err.count("\n") == 1 and cli_login() in err and "值班人员名单" in err


def test_database_of_a_newer_version_gets_one_line_and_exit_4(tmp_path, capsys, cfg):
    db = tmp_path / "x.db"
    store.close_database(store.open_database(store.url_for(str(db)), cfg))
    with sqlite3.connect(db) as con:
        con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    status = cli.main(["--db", str(db), "show", "log"])
    err = capsys.readouterr().err
    assert status == 4 and err.count("\n") == 1 and "99" in err


@pytest.mark.parametrize(("args", "words"), [
    (["log", CALL, "--at", "25:99"], "25:99"),
    (["log", CALL, "--category", "闲聊"], "闲聊"),
    (["log", "  "], "不能为空"),
    (["show", "log", "--date", "2026-13-01"], "2026-13-01"),
    (["void", "log", "42", "--reason", "误录"], "#42"),
])
def test_bad_input_on_the_command_line_is_one_line_and_exit_3(tmp_path, capsys, args, words):
    db = tmp_path / "x.db"
    status = cli.main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    assert status == 3 and out == ""
    if args[0] != "show":  # a writing command names the database it created first
        notice, _, err = err.partition("\n")
        assert notice == f"已新建数据库：{db}"
    assert err.count("\n") == 1 and words in err


def test_unknown_command_word_is_one_line_and_exit_2(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["show", "nothing"])
    err = capsys.readouterr().err
    assert done.value.code == 2
    assert err.count("\n") == 1 and "无效的选项" in err


def test_log_with_earlier_time_and_category_prints_the_entry(tmp_path, capsys, fixed_clock):
    status = cli.main(["--db", str(tmp_path / "x.db"), "log", CALL, "--at", "09:40", "--category", "来电"])
    out = capsys.readouterr().out
    assert status == 0
    assert CALL in out and "11-24 09:40" in out and "来电" in out


def test_show_for_another_date_lists_that_duty_day_only(tmp_path, capsys, fixed_clock):
    db = str(tmp_path / "x.db")
    cli.main(["--db", db, "log", CALL])
    capsys.readouterr()
    cli.main(["--db", db, "show", "log", "--json", "--date", "2026-11-23"])
    assert capsys.readouterr().out == ""
    cli.main(["--db", db, "show", "log", "--json", "--date", "2026-11-24"])
    assert json.loads(capsys.readouterr().out)["content"] == CALL


def test_void_and_history_show_the_original_beside_the_void(tmp_path, capsys, fixed_clock):
    db = str(tmp_path / "x.db")
    cli.main(["--db", db, "log", CALL])
    assert cli.main(["--db", db, "void", "log", "1", "--reason", "重复登记"]) == 0
    capsys.readouterr()
    cli.main(["--db", db, "show", "log", "--json"])
    record = json.loads(capsys.readouterr().out)
    assert (record["content"], record["state"], record["void_reason"]) == (CALL, "void", "重复登记")
    cli.main(["--db", db, "history", "log", "1", "--json"])
    actions = [json.loads(line)["action"] for line in capsys.readouterr().out.splitlines()]
    assert actions == ["create", "void"]


def test_database_locked_by_another_writer_is_one_line_and_exit_4(tmp_path, capsys, cfg):
    config = tmp_path / "quick.toml"
    config.write_text("[database]\nbusy_timeout = 0.2\n", encoding="utf-8")
    db = tmp_path / "x.db"
    assert cli.main(["--config", str(config), "--db", str(db), "log", "接班"]) == 0
    capsys.readouterr()
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        status = cli.main(["--config", str(config), "--db", str(db), "log", CALL])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    out, err = capsys.readouterr()
    assert status == 4 and out == ""
    assert err.count("\n") == 1 and "locked" in err


def test_demo_never_writes_into_the_offices_real_database_even_when_named(tmp_path, capsys):
    real = tmp_path / "data" / "duty-desk" / "desk.db"  # the default real store under XDG_DATA_HOME
    assert cli.main(["--db", str(real), "demo"]) == 3
    assert cli.main(["--db", str(real), "--demo", "show", "log"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and "正式数据库" in err
    assert not real.exists()
