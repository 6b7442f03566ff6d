"""The command line's frame: help and usage errors in the UI language, global
options anywhere, exit statuses that tell a usage error from a refusal and a
store fault, arguments from a terminal not set to UTF-8, ids of any size."""

from __future__ import annotations

import json
import sqlite3

import pytest

from duty_desk import cli
from duty_desk.cli import exit_codes, items  # noqa: F401  (commands registers the later commands)
from duty_desk.core import db as store

CALL = "市应急管理局来电，询问防汛值守情况"


def _parsers():
    """(words, parser) of every command and sub-command."""
    parser = cli.build_parser()
    out = [((), parser)]
    i = 0
    while i < len(out):
        words, p = out[i]
        for action in p._actions:
            if action.__class__.__name__ == "_SubParsersAction":
                out += [((*words, name), sub) for name, sub in action.choices.items()]
        i += 1
    return out


@pytest.mark.parametrize("words", [w for w, _ in _parsers()], ids=lambda w: " ".join(w) or "duty-desk")
def test_help_of_every_command_speaks_chinese_from_frame_to_options(words, capsys):
    with pytest.raises(SystemExit) as done:
        cli.main([*words, "--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0
    assert out.startswith("用法：")
    for english in ("usage:", "positional arguments", "options:", "show this help message", "选项:"):
        assert english not in out
    assert "选项：" in out


def test_every_argument_of_every_command_says_what_it_is_for():
    import argparse

    for words, parser in _parsers():
        for action in parser._actions:
            if action.help == argparse.SUPPRESS:
                continue
            assert action.help, f"{' '.join(words)} {action.dest} has no help"


def test_a_usage_error_is_one_chinese_line_and_exit_2(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["show", "nothing"])
    err = capsys.readouterr().err
    assert done.value.code == exit_codes.USAGE
    assert err.count("\n") == 1 and "nothing" in err and "invalid choice" not in err and "无效" in err


def test_a_missing_argument_is_named_in_chinese(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["void", "log", "3"])
    err = capsys.readouterr().err
    assert done.value.code == exit_codes.USAGE
    assert "--reason" in err and "缺少" in err and "required" not in err


def test_db_and_config_may_follow_the_command(tmp_path, capsys, fixed_clock):
    db = str(tmp_path / "x.db")
    config = tmp_path / "en.toml"
    config.write_text('[ui]\nlanguage = "en"\n', encoding="utf-8")
    assert cli.main(["log", CALL, "--db", db, "--config", str(config)]) == 0
    assert "category" in capsys.readouterr().out  # the file named after the command was read
    capsys.readouterr()
    assert cli.main(["show", "log", "--json", "--db", db]) == 0
    assert json.loads(capsys.readouterr().out)["content"] == CALL
    assert cli.main(["show", "open", "--json", "--db", db]) == 0
    assert cli.main(["audit", "verify", "--db", db]) == 0


def test_a_refusal_exits_3_and_a_usage_error_2(tmp_path, capsys, fixed_clock):
    db = str(tmp_path / "x.db")
    assert cli.main(["--db", db, "log", "  "]) == exit_codes.REFUSED
    assert cli.main(["--db", db, "void", "log", "42", "--reason", "误录"]) == exit_codes.REFUSED
    notice, _, err = capsys.readouterr().err.partition("\n")
    assert notice == f"已新建数据库：{db}"
    assert err.count("\n") == 2 and "#42" in err


def test_a_store_too_new_exits_4(tmp_path, capsys, cfg):
    db = tmp_path / "x.db"
    store.close_database(store.open_database(store.url_for(str(db)), cfg))
    with sqlite3.connect(db) as con:
        con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    assert cli.main(["--db", str(db), "show", "log"]) == exit_codes.STORE
    assert capsys.readouterr().err.count("\n") == 1


def test_arguments_from_a_gbk_terminal_say_the_encoding_is_wrong_and_how_to_fix_it(tmp_path, capsys):
    gbk = "来电".encode("gbk").decode("utf-8", "surrogateescape")
    status = cli.main(["--db", str(tmp_path / "x.db"), "log", gbk])
    out, err = capsys.readouterr()
    assert status == exit_codes.USAGE and out == ""
    assert err.count("\n") == 1 and "UTF-8" in err and "LANG" in err
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize("args", [
    ["void", "log", str(2**70), "--reason", "误录"],
    ["history", "log", str(2**64)],
    ["history", "visitor", "-3"],
    ["result", str(2**63), "已回复"],
    ["chase", "call", str(2**70), "--whom", "水务局"],
    ["transfer", "call", str(2**70), "incoming", "--reason", "换班"],
    ["instruct", "call", str(2**70), "--leader", "王军", "--text", "请跟进"],
    ["answer", str(2**70), "已落实"],
    ["void", "document_step", str(2**70), "--reason", "误录"],
    ["void", "urgent_event", str(2**70), "--reason", "误录"],
    ["correct", "log", str(2**70), "--reason", "笔误", "--content", "改"],
    ["handover", "readback", str(2**70)],
    ["handover", "accept", str(2**70)],
    ["handover", "--shift", str(2**70)],
])
def test_an_id_beyond_64_bits_is_not_found_never_a_crash(tmp_path, capsys, fixed_clock, args):
    assert cli.main(["--db", str(tmp_path / "x.db"), "init"]) == 0
    capsys.readouterr()
    status = cli.main(["--db", str(tmp_path / "x.db"), *args])
    out, err = capsys.readouterr()
    assert status == exit_codes.REFUSED, err
    assert err.count("\n") == 1 and "找不到" in err


def test_check_gives_json_for_monitoring(tmp_path, capsys, fixed_clock):
    db = str(tmp_path / "x.db")
    cli.main(["--db", db, "log", CALL, "--needs-action"])
    capsys.readouterr()
    assert cli.main(["--db", db, "check", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"open": 1, "overdue": 0, "zero_report_missing": None,
                                                    "roster": None}  # no roster kept: nothing to say


def test_an_id_number_typed_on_the_command_line_is_masked_and_the_officer_told(tmp_path, capsys, fixed_clock):
    db = str(tmp_path / "x.db")
    assert cli.main(["--db", db, "log", "来访人身份证 11010519491231002X"]) == 0
    out, err = capsys.readouterr()
    assert "110105********002X" in out and "19491231" not in out
    assert "已对身份证号作遮盖处理" in err


def test_a_date_no_desk_can_mean_is_refused_on_show(tmp_path, capsys, fixed_clock):
    assert cli.main(["--db", str(tmp_path / "x.db"), "show", "log", "--date", "0001-01-01"]) == exit_codes.REFUSED
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "0001-01-01" in err


def test_a_terminal_in_gbk_gets_the_record_and_no_traceback_for_an_emoji(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
           "PYTHONIOENCODING": "gbk"}
    env.pop("DUTY_DESK_CONFIG", None)
    db = str(tmp_path / "x.db")
    proc = subprocess.run([sys.executable, "-m", "duty_desk", "--db", db, "log", "来电😀"], capture_output=True,
                          env=env, timeout=60)
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr
    assert "来电".encode("gbk") in proc.stdout


def test_a_refused_entry_with_an_id_number_says_nothing_about_masking_later(tmp_path, capsys, fixed_clock):
    db = str(tmp_path / "x.db")
    assert cli.main(["--db", db, "log", "身份证 11010519491231002X", "--at", "25:99"]) == exit_codes.REFUSED
    capsys.readouterr()
    assert cli.main(["--db", db, "log", "接班"]) == 0
    assert "遮盖" not in capsys.readouterr().err


def test_a_refusal_echoing_typed_text_stays_on_one_line(tmp_path, capsys, fixed_clock):
    db = tmp_path / "x.db"
    status = cli.main(["--db", str(db), "log", "来电", "--at", "10\n30\x1b[2J" + "9" * 300])
    notice, _, err = capsys.readouterr().err.partition("\n")
    assert status == exit_codes.REFUSED and notice == f"已新建数据库：{db}"
    assert err.count("\n") == 1 and "\x1b" not in err and len(err) < 200


def _command_lines():
    """A line for every command and sub-command, global options before and after."""
    for words, p in _parsers():
        if not words:
            continue
        positional = [a for a in p._actions if not a.option_strings and a.nargs != 0
                      and a.__class__.__name__ != "_SubParsersAction"]
        args = []
        for a in positional:
            if a.nargs == "?":
                continue
            args.append(str(a.choices[0]) if a.choices else ("7" if a.type is int else "文字"))
        required = [a for a in p._actions if a.option_strings and a.required]
        for a in required:
            args += [a.option_strings[0], "原因"]
        if any(a.__class__.__name__ == "_SubParsersAction" and a.required for a in p._actions):
            continue  # only its sub-commands make a line
        yield ["--config", "x.toml", *words, *args, "--db", "y.db"]


@pytest.mark.parametrize("argv", list(_command_lines()), ids=lambda a: " ".join(a[2:4]))
def test_a_command_line_parses_alike_with_only_its_group_of_commands(argv):
    """main builds only the parser of the named command's group; it reads the
    line exactly as the whole parser does."""
    assert vars(cli.build_parser(argv).parse_args(argv)) == vars(cli.build_parser().parse_args(argv))
    assert len(cli.build_parser(argv)._subparsers._group_actions[0].choices) < len(
        cli.build_parser()._subparsers._group_actions[0].choices)


def test_an_unknown_command_is_told_with_every_command_to_choose_from(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--db", "x.db", "shwo", "open"])
    err = capsys.readouterr().err
    assert "shwo" in err and "show" in err and "officer" in err and "audit" in err


def test_the_configuration_is_read_once_per_command(monkeypatch, tmp_path, capsys):
    from duty_desk.cli import run
    from duty_desk.core.config import load_config

    db = str(tmp_path / "x.db")
    assert cli.main(["--db", db, "init"]) == 0
    reads = []
    monkeypatch.setattr(run, "load_config", lambda path=None: reads.append(path) or load_config(path))
    assert cli.main(["--db", db, "show", "log"]) == 0
    assert cli.main(["--db", db, "show", "log", "--config", str(tmp_path / "none.toml")]) == 2
    assert reads == [None, str(tmp_path / "none.toml")]
