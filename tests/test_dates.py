"""8.15: a date no duty desk can mean (year 1, 1900, a year ahead) is refused
with one clear message, never an OverflowError; deadlines may lie ahead, within
a bound. The window is configurable."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from duty_desk.core.config import load_config
from duty_desk.core.dutytime import parse_due, parse_when
from duty_desk.core.errors import InvalidInput
from duty_desk.core.models import LogEntry
from duty_desk.core.services import instructions, log, visitors

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("text", ["0001-01-01 00:00", "1900-01-01 08:00", "1999-12-31 23:59",
                                  "2000-01-01 00:00", "2026-10-01 08:00"])
def test_an_event_time_long_before_this_duty_is_refused_with_a_clear_message(cfg, text):
    with pytest.raises(InvalidInput) as caught:
        parse_when(text, NOW, cfg, "occurred_at")
    assert caught.value.key == "time.too_old"
    assert text in caught.value.message and "天" in caught.value.message


def test_an_event_time_within_the_window_is_taken(cfg):
    assert parse_when("2026-11-10 09:00", NOW, cfg) == datetime(2026, 11, 10, 1, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("text", ["0001-01-01 00:00", "9999-12-31 23:59", "2028-01-01 08:00",
                                  "1999-06-01 08:00"])
def test_a_deadline_outside_the_plausible_window_is_refused_never_overflowing(cfg, text):
    with pytest.raises(InvalidInput) as caught:
        parse_due(text, NOW, cfg, "due")
    assert caught.value.key in ("time.too_old", "time.due_too_far")
    assert text in caught.value.message


def test_a_deadline_months_ahead_is_taken(cfg):
    assert parse_due("2027-03-01 17:00", NOW, cfg) == datetime(2027, 3, 1, 9, 0, tzinfo=timezone.utc)


def test_the_window_follows_the_configuration(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("[deadlines]\npast_limit_days = 90\ndue_limit_days = 30\n", encoding="utf-8")
    cfg = load_config(str(path))
    assert parse_when("2026-10-01 08:00", NOW, cfg) == datetime(2026, 10, 1, 0, 0, tzinfo=timezone.utc)
    with pytest.raises(InvalidInput):
        parse_due("2027-01-01 08:00", NOW, cfg)


def test_year_one_in_a_service_call_is_refused_and_nothing_is_recorded(desk):
    with pytest.raises(InvalidInput):
        log.record_entry(desk, "来电", "来电", "0001-01-01 00:00")
    with pytest.raises(InvalidInput):
        visitors.register_visitor(desk, "张三", arrived_at=datetime(1, 1, 1, tzinfo=timezone.utc))
    entry = log.record_entry(desk, "来电", "来电", needs_action=True)
    with pytest.raises(InvalidInput):
        instructions.record_instruction(desk, "log", entry.id, "王军", "请跟进", due="0001-01-01 00:00")
    assert LogEntry.select().count() == 1
