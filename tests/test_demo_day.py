"""The demo always shows a living duty day: opened on a later day it starts a
fresh demo day instead of an empty log with every item overdue; the earlier
demo file is kept beside it."""

from __future__ import annotations

import json
from datetime import timedelta

from conftest import T0

from duty_desk import cli, clock


def test_the_demo_opened_days_later_shows_todays_duty_day_with_nothing_overdue(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("duty_desk.identity.current_login", lambda *a, **k: "tester")
    clock.set_now(T0)
    assert cli.main(["--demo", "show", "open", "--json"]) == 0
    capsys.readouterr()

    clock.set_now(T0 + timedelta(days=3))
    assert cli.main(["--demo", "show", "open", "--json"]) == 0
    items = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert items and not any(i["overdue"] for i in items)
    assert cli.main(["--demo", "show", "log", "--json"]) == 0
    days = {json.loads(line)["duty_date"] for line in capsys.readouterr().out.splitlines()}
    assert days == {"2026-11-27"}
    data = tmp_path / "data" / "duty-desk"
    assert (data / "demo-2026-11-24.db").is_file()  # the earlier demo day is kept, not deleted


def test_the_demo_opened_again_the_same_day_keeps_what_was_typed_into_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("duty_desk.identity.current_login", lambda *a, **k: "tester")
    clock.set_now(T0)
    cli.main(["--demo", "log", "试用：自己登记的一条"])
    clock.set_now(T0 + timedelta(hours=3))
    capsys.readouterr()
    cli.main(["--demo", "show", "log", "--json"])
    assert "试用：自己登记的一条" in capsys.readouterr().out
