"""Which days are holidays, worked weekends (调休/补班) and eves, checked
against the State Council's notices; a year the library does not know, and
config.toml's own days."""

from __future__ import annotations

from datetime import date

import pytest

from duty_desk.core.config import ConfigError, load_config
from duty_desk.core.roster.calendar import holiday_label, leaders_required, mark, unknown_days


@pytest.fixture
def plain(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("", encoding="utf-8")
    return load_config(str(path))


def _cfg(tmp_path, text: str):
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(str(path))


def test_national_day_2026_is_off_from_1_to_7_october_and_saturday_10_october_is_worked(plain):
    # 国务院办公厅关于2026年部分节假日安排的通知: 10月1日至7日放假调休，共7天；10月10日（周六）上班。
    for d in range(1, 8):
        m = mark(date(2026, 10, d), plain)
        assert m.rest and m.statutory and m.holiday == "national_day", d
        assert m.leaders_needed == 2
    worked = mark(date(2026, 10, 10), plain)
    assert worked.day.weekday() == 5
    assert not worked.rest and worked.makeup and holiday_label(worked) == "国庆节"
    assert worked.leaders_needed == 1
    assert mark(date(2026, 10, 11), plain).rest and not mark(date(2026, 10, 11), plain).statutory
    # 9月30日 is the working day before it: an eve.
    assert mark(date(2026, 9, 30), plain).eve


def test_spring_festival_2026_and_its_worked_weekends(plain):
    # 2026年春节：2月15日至23日放假调休，共9天；2月14日（周六）、2月28日（周六）上班。
    for d in range(15, 24):
        assert mark(date(2026, 2, d), plain).statutory, d
    for worked in (date(2026, 2, 14), date(2026, 2, 28)):
        m = mark(worked, plain)
        assert m.makeup and not m.rest, worked


def test_2025_national_day_and_mid_autumn_and_its_worked_weekends(plain):
    # 2025年：10月1日至8日放假调休，共8天；9月28日（周日）、10月11日（周六）上班。
    for d in range(1, 9):
        assert mark(date(2025, 10, d), plain).statutory, d
    assert mark(date(2025, 9, 28), plain).makeup
    assert mark(date(2025, 10, 11), plain).makeup
    # 2025年劳动节：5月1日至5日放假，4月27日（周日）上班。
    assert all(mark(date(2025, 5, d), plain).statutory for d in range(1, 6))
    assert mark(date(2025, 4, 27), plain).makeup


def test_an_ordinary_weekend_is_off_but_needs_one_leader_by_default(plain):
    m = mark(date(2026, 11, 28), plain)
    assert m.rest and not m.statutory and not m.makeup and m.category == "weekend"
    assert leaders_required(date(2026, 11, 28), plain) == 1


def test_a_year_the_library_does_not_know_is_warned_about_weeks_ahead(plain):
    m = mark(date(2027, 1, 1), plain)
    assert not m.known
    assert not m.statutory  # nobody can say yet
    unknown = unknown_days(date(2026, 12, 1), plain)  # the next 60 days
    assert unknown[0] == date(2027, 1, 1) and len(unknown) == 29


def test_config_enters_a_year_the_library_does_not_know(tmp_path):
    cfg = _cfg(tmp_path, """
[roster]
holidays = [{ from = "2027-01-01", to = "2027-01-03", name = "元旦" }]
workdays = [{ date = "2027-01-04", name = "元旦补班" }]
""")
    assert mark(date(2027, 1, 2), cfg).statutory and holiday_label(mark(date(2027, 1, 2), cfg)) == "元旦"
    assert mark(date(2027, 1, 2), cfg).leaders_needed == 2
    assert mark(date(2027, 1, 4), cfg).known and not mark(date(2027, 1, 4), cfg).rest
    assert mark(date(2027, 3, 6), cfg).known and mark(date(2027, 3, 6), cfg).rest  # an ordinary Saturday
    assert unknown_days(date(2026, 12, 1), cfg) == []
    assert mark(date(2026, 12, 31), cfg).eve


def test_an_office_closure_in_config_wins_over_the_library(tmp_path):
    cfg = _cfg(tmp_path, '[roster]\nholidays = [{ date = "2026-11-30", name = "单位停电检修" }]\n')
    m = mark(date(2026, 11, 30), cfg)
    assert m.statutory and holiday_label(m) == "单位停电检修" and m.leaders_needed == 2


def test_periods_and_which_days_need_two_leaders_are_configuration(tmp_path):
    cfg = _cfg(tmp_path, """
[duty]
double_leader_dates = ["2026-11-25"]
[roster]
periods = [{ from = "2026-06-01", to = "2026-09-30", name = "汛期" }]
double_leader = ["holiday", "period"]
""")
    assert mark(date(2026, 7, 15), cfg).periods == ("汛期",)
    assert leaders_required(date(2026, 7, 15), cfg) == 2
    assert leaders_required(date(2026, 10, 15), cfg) == 1
    assert leaders_required(date(2026, 11, 25), cfg) == 2  # the hand-kept list still counts


@pytest.mark.parametrize(("text", "key"), [
    ('[roster]\nholidays = [{ from = "2027-01-03", to = "2027-01-01" }]\n', "roster.holidays[0].to"),
    ('[roster]\nholidays = [{ date = "2027-02-30" }]\n', "roster.holidays[0].date"),
    ('[roster]\nworkdays = ["2027-02-07"]\n', "roster.workdays[0]"),
    ('[roster]\ndouble_leader = ["sundays"]\n', "roster.double_leader"),
    ('[roster]\nofficers_per_shift = 0\n', "roster.officers_per_shift"),
])
def test_a_wrong_roster_setting_is_refused_naming_the_key(tmp_path, text, key):
    with pytest.raises(ConfigError) as caught:
        _cfg(tmp_path, text)
    assert key in caught.value.line()
