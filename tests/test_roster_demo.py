"""The demo comes with a published roster that agrees with who sat each day."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from conftest import T0

from duty_desk import cli
from duty_desk.core import clock
from duty_desk.core.demo import fill_demo_day, fill_demo_history, fill_demo_roster
from duty_desk.core.models import Handover


@pytest.fixture(autouse=True)
def _short_history(monkeypatch):
    monkeypatch.setattr("duty_desk.core.demo.HISTORY_DAYS", 3)
    monkeypatch.setattr("duty_desk.core.identity.current_login", lambda *a, **k: "tester")
    clock.set_now(T0)


def test_the_demo_roster_is_published_and_names_who_sits_today(capsys):
    assert cli.main(["--demo", "roster", "show", "--json"]) == 0
    slots = {s["date"]: s for s in map(json.loads, capsys.readouterr().out.splitlines())}
    assert {s["month_state"] for s in slots.values()} == {"published"}
    assert slots["2026-11-24"]["officers"] == ["tester"]
    assert slots["2026-11-24"]["leader_names"] == ["王军"]


def test_every_past_demo_day_was_sat_by_the_officer_the_roster_names(desk):
    fill_demo_roster(desk)
    fill_demo_history(desk, days=3)
    fill_demo_day(desk)
    sheets = [h.sheet for h in Handover.select().order_by(Handover.id)]
    assert len(sheets) == 3
    for sheet in sheets:
        assert sheet["rostered"] == sheet["outgoing"] and sheet["extra_officers"] == []
        assert sheet["expected_incoming"]  # the roster names who takes over


def test_the_demo_check_names_tomorrows_people_in_the_evening(capsys):
    clock.set_now(T0 + timedelta(hours=9))  # 19:00 in Shanghai
    cli.main(["--demo", "check"])
    out = capsys.readouterr().out
    assert "明日值班 2026-11-25 全天班" in out and "王军 13800000003" in out


def test_the_demo_roster_says_the_desk_itself_published_it(capsys):
    assert cli.main(["--demo", "roster", "show"]) == 0
    out = capsys.readouterr().out
    assert "发布：系统" in out and "system" not in out
