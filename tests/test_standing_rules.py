"""定时事项 rules: when a standing order falls due (the calendar's holidays and
worked weekends, weekdays, month ends, seasons, the duty-day edge) and the
one-line phrase an officer writes an order in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import pytest

from duty_desk.core.config import load_config
from duty_desk.core.dutytime import duty_date_of, local_at, to_local
from duty_desk.core.errors import InvalidInput
from duty_desk.core.standing.rules import (
    check_fields,
    in_season,
    occurrences,
    parse_phrase,
    parse_time,
)


@dataclass
class Order:
    title: str = "报送值班信息"
    at_time: str = "09:00"
    rule: str = "daily"
    weekday: int | None = None
    monthday: int | None = None
    season_from: str = ""
    season_to: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    skip_holidays: bool = False


@pytest.fixture
def plain(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("", encoding="utf-8")
    return load_config(str(path))


def _days(order, first: date, last: date, cfg) -> list[date]:
    start = local_at(first, datetime.min.time(), cfg)
    end = local_at(last + timedelta(days=1), datetime.min.time(), cfg) - timedelta(seconds=1)
    return [to_local(at, cfg).date() for at in occurrences(order, start, end, cfg)]


def test_a_daily_order_falls_due_every_day_at_its_local_time(plain):
    order = Order(at_time="16:00")
    start = datetime(2026, 7, 10, 0, 0, tzinfo=timezone.utc)
    found = occurrences(order, start, start + timedelta(days=3), plain)
    assert [to_local(at, plain).strftime("%m-%d %H:%M") for at in found] == ["07-10 16:00", "07-11 16:00",
                                                                             "07-12 16:00"]
    assert found[0] == datetime(2026, 7, 10, 8, 0, tzinfo=timezone.utc)  # 16:00 in Shanghai


def test_a_daily_order_skipping_holidays_rests_through_national_day_but_not_on_weekends(plain):
    order = Order(skip_holidays=True)
    days = _days(order, date(2026, 9, 29), date(2026, 10, 11), plain)
    assert days == [date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 9),
                    date(2026, 10, 10), date(2026, 10, 11)]  # 10-11 is an ordinary Sunday
    assert _days(Order(), date(2026, 10, 1), date(2026, 10, 3), plain) == [date(2026, 10, 1), date(2026, 10, 2),
                                                                            date(2026, 10, 3)]


def test_a_working_day_order_follows_the_chinese_calendar_with_its_worked_saturday(plain):
    order = Order(rule="workdays")
    days = _days(order, date(2026, 9, 28), date(2026, 10, 11), plain)
    # 9-28..9-30 Mon-Wed; 10-1..10-7 National Day; 10-8, 10-9 Thu-Fri; 10-10 Sat is 补班; 10-11 Sun rests.
    assert days == [date(2026, 9, 28), date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 9),
                    date(2026, 10, 10)]


def test_an_office_closure_in_config_is_skipped_like_a_holiday(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[roster]\nholidays = [{ date = "2026-11-30", name = "单位停电检修" }]\n', encoding="utf-8")
    cfg = load_config(str(path))
    days = _days(Order(skip_holidays=True), date(2026, 11, 29), date(2026, 12, 1), cfg)
    assert days == [date(2026, 11, 29), date(2026, 12, 1)]


def test_a_weekly_order_falls_on_its_weekday_only(plain):
    days = _days(Order(rule="weekly", weekday=1), date(2026, 11, 1), date(2026, 11, 30), plain)
    assert days == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23), date(2026, 11, 30)]


def test_the_31st_of_each_month_is_the_last_day_of_a_shorter_month(plain):
    days = _days(Order(rule="monthly", monthday=31), date(2027, 1, 1), date(2027, 4, 30), plain)
    assert days == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]
    assert _days(Order(rule="monthly", monthday=30), date(2028, 2, 1), date(2028, 2, 29), plain) == [date(2028, 2, 29)]


def test_a_season_ends_on_its_last_day_and_nothing_falls_on_the_day_after(plain):
    order = Order(at_time="16:00", season_from="06-01", season_to="09-30")
    assert _days(order, date(2026, 9, 29), date(2026, 10, 2), plain) == [date(2026, 9, 29), date(2026, 9, 30)]
    assert _days(order, date(2026, 5, 30), date(2026, 6, 1), plain) == [date(2026, 6, 1)]
    assert _days(order, date(2026, 11, 1), date(2026, 11, 30), plain) == []


def test_a_season_may_wrap_over_the_new_year(plain):
    order = Order(season_from="12-30", season_to="01-02")
    assert _days(order, date(2026, 12, 28), date(2027, 1, 4), plain) == [date(2026, 12, 30), date(2026, 12, 31),
                                                                          date(2027, 1, 1), date(2027, 1, 2)]
    assert in_season("11-15", "03-15", date(2027, 2, 28)) and not in_season("11-15", "03-15", date(2027, 4, 1))


def test_the_first_and_last_day_bound_an_order(plain):
    order = Order(starts_on=date(2026, 11, 3), ends_on=date(2026, 11, 5))
    assert _days(order, date(2026, 11, 1), date(2026, 11, 10), plain) == [date(2026, 11, 3), date(2026, 11, 4),
                                                                           date(2026, 11, 5)]


def test_an_order_at_08_00_belongs_to_the_duty_day_before_one_at_08_30_to_its_own(plain):
    monday = date(2026, 11, 23)
    early = occurrences(Order(rule="weekly", weekday=1, at_time="08:00"), local_at(monday, datetime.min.time(), plain),
                        local_at(monday, datetime.max.time(), plain), plain)
    on_time = occurrences(Order(rule="weekly", weekday=1, at_time="08:30"),
                          local_at(monday, datetime.min.time(), plain), local_at(monday, datetime.max.time(), plain),
                          plain)
    # The rule takes the calendar day (Monday); the duty day is the one its time falls in.
    assert duty_date_of(early[0], plain) == date(2026, 11, 22)
    assert duty_date_of(on_time[0], plain) == monday


@pytest.mark.parametrize("phrase, fields", [
    ("每日16:00 报雨情（6月1日至9月30日）",
     {"rule": "daily", "at_time": "16:00", "title": "报雨情", "season_from": "06-01", "season_to": "09-30"}),
    ("每天１６：００报雨情（６月１日至９月３０日）",  # full-width digits, colon and brackets
     {"rule": "daily", "at_time": "16:00", "title": "报雨情", "season_from": "06-01", "season_to": "09-30"}),
    ("汛期每日16时报雨情", {"rule": "daily", "at_time": "16:00", "title": "汛期报雨情"}),
    ("工作日 09:00 报送值班信息", {"rule": "workdays", "at_time": "09:00", "title": "报送值班信息"}),
    ("每周一 10:00 报安全生产情况", {"rule": "weekly", "weekday": 1, "at_time": "10:00", "title": "报安全生产情况"}),
    ("每周日上午10点报安全生产情况", {"rule": "weekly", "weekday": 7, "at_time": "10:00", "title": "报安全生产情况"}),
    ("每月15号 下午3点半 报送信访情况", {"rule": "monthly", "monthday": 15, "at_time": "15:30", "title": "报送信访情况"}),
    ("每月最后一天17：30报月度值班情况（节假日除外）",
     {"rule": "monthly", "monthday": 31, "at_time": "17:30", "title": "报月度值班情况", "skip_holidays": True}),
])
def test_a_phrase_makes_an_order_in_one_line(phrase, fields):
    assert parse_phrase(phrase) == fields


@pytest.mark.parametrize("phrase, key", [
    ("16:00 报雨情", "standing.phrase_no_rule"),
    ("每日 报雨情", "standing.phrase_no_time"),
    ("每日16:00", "standing.phrase_no_title"),
    ("", "standing.phrase_empty"),
])
def test_a_phrase_missing_a_part_says_which(phrase, key):
    with pytest.raises(InvalidInput) as err:
        parse_phrase(phrase)
    assert err.value.key == key and err.value.field == "phrase"


def test_times_are_read_as_people_write_them():
    assert [parse_time(x) for x in ("9:05", "16：00", "16时", "下午4点", "晚上8点半", "0时")] == [
        "09:05", "16:00", "16:00", "16:00", "20:30", "00:00"]
    with pytest.raises(InvalidInput) as err:
        parse_time("25:00")
    assert err.value.key == "standing.bad_time" and err.value.field == "at_time"


@pytest.mark.parametrize("fields, key, field", [
    ({"rule": "weekly", "weekday": 8}, "standing.bad_weekday", "weekday"),
    ({"rule": "monthly", "monthday": 32}, "standing.bad_monthday", "monthday"),
    ({"season_from": "06-01", "season_to": ""}, "standing.bad_season", "season"),
    ({"season_from": "02-30", "season_to": "03-01"}, "standing.bad_month_day", "season"),
    ({"window_minutes": 0}, "standing.bad_window", "window_minutes"),
    ({"rule": "hourly"}, "standing.bad_rule", "rule"),
    ({"starts_on": date(2026, 12, 1), "ends_on": date(2026, 11, 1)}, "standing.bad_range", "ends_on"),
    ({"title": " "}, "input.empty", "title"),
])
def test_a_wrong_field_is_refused_naming_it(fields, key, field):
    with pytest.raises(InvalidInput) as err:
        check_fields({"title": "报雨情", "at_time": "16:00", **fields})
    assert (err.value.key, err.value.field) == (key, field)
    assert "{" not in err.value.message
