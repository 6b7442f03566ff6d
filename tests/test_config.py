"""config.toml: lookup order, the built-in default, and strict validation that
reports every mistake as one line naming the file, the key and what was expected."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest

from duty_desk import cli
from duty_desk.core.config import ConfigError, find_config, load_config, packaged_file
from duty_desk.core.i18n import set_language

# (what is wrong, the file's text, the key the line must name, a word of what was expected)
BAD_CONFIGS = [
    ("unknown top-level key", "colour = 'red'\n", "colour", "已知的配置项"),
    ("unknown nested key", "[duty]\nday_strat = '08:30'\n", "duty.day_strat", "已知的配置项"),
    ("wrong type", "[deadlines]\nordinary_minutes = '2h'\n", "deadlines.ordinary_minutes", "int"),
    ("bool for a number", "[deadlines]\nordinary_minutes = true\n", "deadlines.ordinary_minutes", "int"),
    ("table given a value", "office = 3\n", "office", "table"),
    ("malformed time", '[duty]\nday_start = "8:3"\n', "duty.day_start", "HH:MM"),
    ("hour out of range", '[duty]\nday_start = "24:00"\nshifts = [{ name = "a", start = "24:00" }]\n',
     "duty.day_start", "HH:MM"),
    ("bad shift start", '[duty]\nshifts = [{ name = "a", start = "8点" }]\n', "duty.shifts[0].start", "HH:MM"),
    ("first shift not at day start", '[duty]\nshifts = [{ name = "a", start = "09:00" }]\n',
     "duty.shifts[0].start", "08:30"),
    ("no shifts", "[duty]\nshifts = []\n", "duty.shifts", "至少一项"),
    ("impossible date", '[duty]\ndouble_leader_dates = ["2026-13-45"]\n', "duty.double_leader_dates",
     "YYYY-MM-DD"),
    ("bad timezone", '[office]\ntimezone = "Mars/Olympus"\n', "office.timezone", "IANA"),
    ("timezone naming a region folder", '[office]\ntimezone = "Asia"\n', "office.timezone", "IANA"),
    ("bad language", '[ui]\nlanguage = "fr"\n', "ui.language", "zh, en"),
    ("negative limit", "[deadlines]\nwarn_before_minutes = -5\n", "deadlines.warn_before_minutes", "正数"),
    ("unknown urgency", '[deadlines]\ndocument_hours = { "超急" = 1 }\n', "deadlines.document_hours.超急", "特急"),
    ("unknown level", "[deadlines]\nphone_report_minutes = { V = 10 }\n", "deadlines.phone_report_minutes.V", "'IV'"),
    ("officer login malformed", '[[officers]]\nlogin = "1zhang"\nname = "张伟"\n', "officers[0].login", "登录名"),
    ("officer without login", '[[officers]]\nname = "张伟"\n', "officers[0].login", "登录名"),
    ("officer unknown field", '[[officers]]\nlogin = "zhang"\nemail = "z@x"\n', "officers[0].email", "已知的配置项"),
    ("officer bad role", '[[officers]]\nlogin = "zhang"\nrole = "boss"\n', "officers[0].role", "officer, leader, admin"),
    ("officer listed twice", '[[officers]]\nlogin = "zhang"\n[[officers]]\nlogin = "zhang"\n',
     "officers[1].login", "不重复"),
    ("officers not a list", "officers = 3\n", "officers", "array"),
    ("keymap not a table", "keymap = 3\n", "keymap", "table"),
    ("keymap value not a key", "[keymap]\nquit = 3\n", "keymap.quit", "按键名"),
    ("broken TOML", "[duty\nday_start = '08:30'\n", "第 1 行第 6 列", "TOML"),
]


def _write(tmp_path: Path, text: str | bytes, name: str = "bad.toml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("case", "text", "key", "expected"), BAD_CONFIGS, ids=[c[0] for c in BAD_CONFIGS])
def test_bad_config_is_one_line_naming_file_key_and_expectation_with_exit_2(
        tmp_path, capsys, case, text, key, expected):
    path = _write(tmp_path, text)
    status = cli.main(["--config", str(path), "show", "log"])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert str(path) in lines[0] and key in lines[0] and expected in lines[0]


def test_config_error_speaks_english_when_english_is_set(tmp_path):
    set_language("en")
    path = _write(tmp_path, '[duty]\nday_start = "8:3"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(str(path))
    assert caught.value.line() == (
        f"config error {path}: duty.day_start: expected a time HH:MM (e.g. 08:30), got '8:3'"
    )


def test_missing_and_non_utf8_config_files_are_one_line_each(tmp_path):
    with pytest.raises(ConfigError) as missing:
        load_config(str(tmp_path / "nope.toml"))
    assert "nope.toml" in missing.value.line() and "\n" not in missing.value.line()
    path = _write(tmp_path, b"\xff\xfe[office]\n")
    with pytest.raises(ConfigError) as binary:
        load_config(str(path))
    assert "UTF-8" in binary.value.line()


def test_very_long_wrong_value_is_shortened_to_keep_one_line(tmp_path):
    path = _write(tmp_path, f'[office]\ntimezone = "{"x" * 500}"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(str(path))
    assert len(caught.value.line()) < 200


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "duty_desk", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=60)


def test_real_command_with_broken_config_exits_2_with_one_line_and_no_traceback(tmp_path):
    path = _write(tmp_path, '[duty]\nday_start = "8:3"\n')
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    env.pop("DUTY_DESK_CONFIG", None)
    proc = _run(["--config", str(path), "show", "log"], env, tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert str(path) in proc.stderr and "duty.day_start" in proc.stderr and "HH:MM" in proc.stderr


def test_broken_config_named_by_environment_also_exits_2_with_one_line(tmp_path):
    path = _write(tmp_path, "[duty\n")
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
           "DUTY_DESK_CONFIG": str(path)}
    proc = _run(["show", "log"], env, tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr and str(path) in proc.stderr


# --- lookup order ------------------------------------------------------------


def test_lookup_order_is_flag_then_env_then_xdg_then_builtin(tmp_path):
    flag = _write(tmp_path, "", "flag.toml")
    env_file = _write(tmp_path, "", "env.toml")
    xdg = tmp_path / "xdg"
    (xdg / "duty-desk").mkdir(parents=True)
    xdg_file = _write(xdg / "duty-desk", "", "config.toml")
    env = {"DUTY_DESK_CONFIG": str(env_file), "XDG_CONFIG_HOME": str(xdg)}
    assert find_config(str(flag), env) == flag
    assert find_config(None, env) == env_file
    assert find_config(None, {"XDG_CONFIG_HOME": str(xdg)}) == xdg_file
    empty = tmp_path / "empty-xdg"
    empty.mkdir()
    if not Path("/etc/duty-desk/config.toml").is_file():
        assert find_config(None, {"XDG_CONFIG_HOME": str(empty)}) == packaged_file("config.toml")


def test_xdg_config_home_defaults_to_dot_config_in_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".config" / "duty-desk").mkdir(parents=True)
    home_file = _write(tmp_path / ".config" / "duty-desk", "", "config.toml")
    assert find_config(None, {}) == home_file


def test_the_file_found_first_is_the_one_that_counts(tmp_path):
    env_file = _write(tmp_path, '[office]\nname = "环境变量值班室"\n', "env.toml")
    xdg = tmp_path / "xdg"
    (xdg / "duty-desk").mkdir(parents=True)
    _write(xdg / "duty-desk", '[office]\nname = "XDG 值班室"\n', "config.toml")
    env = {"DUTY_DESK_CONFIG": str(env_file), "XDG_CONFIG_HOME": str(xdg)}
    assert load_config(None, env).office_name == "环境变量值班室"
    assert load_config(None, {"XDG_CONFIG_HOME": str(xdg)}).office_name == "XDG 值班室"


def test_builtin_default_gives_a_working_chinese_desk(tmp_path):
    cfg = load_config(None, {"XDG_CONFIG_HOME": str(tmp_path)})
    assert cfg.language == "zh"
    assert str(cfg.timezone) == "Asia/Shanghai"
    assert cfg.day_start == time(8, 30)
    assert cfg.document_hours["特急"] == 8
    assert cfg.officers == []


def test_user_file_changes_only_the_keys_it_names(tmp_path):
    path = _write(tmp_path, '[duty]\nday_start = "08:00"\nshifts = [{ name = "白班", start = "08:00" }, '
                            '{ name = "夜班", start = "17:30" }]\n'
                            '[deadlines]\nphone_report_minutes = { I = 15 }\n'
                            '[ui]\nlanguage = "en"\n')
    cfg = load_config(str(path))
    assert cfg.day_start == time(8, 0)
    assert [(s.name, s.start) for s in cfg.shifts] == [("白班", time(8, 0)), ("夜班", time(17, 30))]
    # a partly given level table keeps the other levels' defaults
    assert cfg.phone_report_minutes == {"I": 15, "II": 30, "III": 60, "IV": 120}
    assert cfg.language == "en"
    assert cfg.office_name == "某市人民政府办公室总值班室"


def test_busy_timeout_takes_whole_or_fractional_seconds(tmp_path):
    assert load_config(str(_write(tmp_path, "[database]\nbusy_timeout = 5\n"))).busy_timeout == 5.0
    assert load_config(str(_write(tmp_path, "[database]\nbusy_timeout = 0.5\n", "b.toml"))).busy_timeout == 0.5
