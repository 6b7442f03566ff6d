"""The demo always shows a living duty day: opened on a later day it starts a
fresh demo day instead of an empty log with every item overdue; the earlier
demo file is kept beside it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from conftest import T0

from duty_desk import cli
from duty_desk.core import clock


@pytest.fixture(autouse=True)
def _short_history(monkeypatch):
    """These tests are about today's demo day: a few past days stand for the
    ninety (tests/test_cli.py fills the whole demo as a person gets it)."""
    monkeypatch.setattr("duty_desk.core.demo.HISTORY_DAYS", 3)


def test_the_demo_opened_days_later_shows_todays_duty_day_with_nothing_overdue(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("duty_desk.core.identity.current_login", lambda *a, **k: "tester")
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
    monkeypatch.setattr("duty_desk.core.identity.current_login", lambda *a, **k: "tester")
    clock.set_now(T0)
    cli.main(["--demo", "log", "试用：自己登记的一条"])
    clock.set_now(T0 + timedelta(hours=3))
    capsys.readouterr()
    cli.main(["--demo", "show", "log", "--json"])
    assert "试用：自己登记的一条" in capsys.readouterr().out


@pytest.mark.parametrize(("month", "words", "not_words"), [
    (11, ("寒潮", "燃气泄漏"), ("暴雨", "防台风", "汛")),
    (1, ("寒潮",), ("暴雨", "防台风")),
    (7, ("暴雨", "防汛防台风"), ("寒潮",)),
    (4, ("森林", "火险"), ("暴雨", "寒潮")),
])
def test_the_demo_day_fits_the_season_it_is_shown_in(make_desk, month, words, not_words):
    from datetime import datetime, timezone

    from duty_desk.core.demo import fill_demo_day
    from duty_desk.core.models import Document, LogEntry, UrgentEvent, UrgentItem

    clock.set_now(datetime(2027, month, 12, 2, 0, tzinfo=timezone.utc))
    desk = make_desk("tester")
    fill_demo_day(desk)
    text = " ".join([*(e.content for e in LogEntry.select()), *(d.title for d in Document.select()),
                     *(u.title for u in UrgentItem.select()), *(e.text for e in UrgentEvent.select())])
    assert all(w in text for w in words) and not any(w in text for w in not_words), text
    assert "〔2027〕" in " ".join(d.doc_number for d in Document.select())


def test_a_report_in_the_demo_does_not_repeat_its_own_label(make_desk, fixed_clock):
    from duty_desk.core.demo import fill_demo_day
    from duty_desk.core.models import UrgentEvent

    fill_demo_day(make_desk("tester"))
    for e in UrgentEvent.select().where(UrgentEvent.kind.in_(("first_report", "followup"))):
        assert not e.text.startswith(("首报", "续报")), e.text
