"""The shift command names the leaders on duty and insists on 双带班 where configured."""

from conftest import OFFICERS_TOML

import duty_desk.core.identity as identity
from duty_desk import cli


def test_shift_on_a_double_leader_day_warns_until_two_leaders_are_named(tmp_path, fixed_clock, capsys,
                                                                         monkeypatch):
    config = tmp_path / "double.toml"
    config.write_text('[duty]\ndouble_leader_dates = ["2026-11-24"]\n' + OFFICERS_TOML, encoding="utf-8")
    base = ["--config", str(config), "--db", str(tmp_path / "desk.db")]
    monkeypatch.setattr(identity, "current_login", lambda *a, **k: "tester")

    assert cli.main([*base, "shift", "--leader", "王军"]) == 0
    out = capsys.readouterr()
    assert "王军" in out.out and "双带班" in out.err

    assert cli.main([*base, "shift", "--leader", "王军", "--leader", "赵敏"]) == 0
    out = capsys.readouterr()
    assert "王军、赵敏" in out.out and out.err == ""
