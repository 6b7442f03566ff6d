"""Pure checks at the service boundary: resident ID check digits and masking,
发文字号, cleaning of typed text, the duty day, shifts and typed times."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from duty_desk.core.config import ShiftSpec
from duty_desk.core.docnumber import validate_doc_number
from duty_desk.core.dutytime import (
    duty_date_of,
    duty_day_bounds,
    fmt_duration,
    parse_when,
    shift_slot_at,
    shift_slots,
)
from duty_desk.core.errors import InvalidInput
from duty_desk.core.i18n import set_language
from duty_desk.core.idcard import check_digit, mask_id, validate_resident_id
from duty_desk.core.sanitize import clean_line, clean_text

# --- resident ID (GB 11643, ISO 7064 MOD 11-2) ------------------------------------


# Check digits worked out by hand: sum of digit x weight (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2),
# remainder mod 11 -> "10X98765432". 11010519491231002: 167 % 11 = 2 -> X; 11010119900307713: 218 % 11 = 9 -> 3.
@pytest.mark.parametrize("number", ["11010519491231002X", "110101199003077133"])
def test_valid_resident_ids_pass(number):
    assert validate_resident_id(number) == number


def test_check_digit_is_computed_by_mod_11_2():
    assert check_digit("11010519491231002") == "X"
    assert check_digit("11010119900307713") == "3"


@pytest.mark.parametrize(("number", "key"), [
    ("110105194912310021", "id.check_digit"),
    ("1101051949123100", "id.length"),
    ("11010519491231002XX", "id.length"),
    ("1101051949123100AX", "id.chars"),
    ("X10105194912310021", "id.chars"),
])
def test_wrong_resident_ids_say_what_is_wrong(number, key):
    with pytest.raises(InvalidInput) as caught:
        validate_resident_id(number)
    assert caught.value.key == key and caught.value.field == "id_number"


def test_id_is_masked_to_first_six_and_last_four():
    assert mask_id("110105194912311234") == "110105********1234"
    assert mask_id("E12345678") == "E1*******"
    assert mask_id("") == ""


# --- 发文字号 ----------------------------------------------------------------------


@pytest.mark.parametrize("number", ["某政办发〔2026〕7号", "国办发〔2012〕14号", "浙政办发〔2026〕138号"])
def test_well_formed_document_numbers_pass(number):
    assert validate_doc_number(f" {number} ") == number


@pytest.mark.parametrize(("number", "key"), [
    ("某政办发（2026）7号", "docno.brackets"),
    ("某政办发【2026】7号", "docno.brackets"),
    ("某政办发〔26〕7号", "docno.year_full"),
    ("某政办发〔2026〕07号", "docno.leading_zero"),
    ("某政办发〔2026〕第7号", "docno.no_di"),
    ("〔2026〕7号", "docno.no_issuer"),
    ("某政办发7号", "docno.no_year"),
    ("某政办发〔2026〕七号", "docno.sequence"),
])
def test_malformed_document_numbers_name_the_fault(number, key):
    with pytest.raises(InvalidInput) as caught:
        validate_doc_number(number)
    assert caught.value.key == key


# --- cleaning typed text --------------------------------------------------------------


def test_escape_sequences_and_controls_are_removed_from_a_line():
    assert clean_line("市应急\x1b[31m管理局\x1b[0m\x07来电\x00") == "市应急管理局来电"
    assert clean_line("\x1b]8;;http://x\x1b\\链接\x1b]8;;\x1b\\") == "链接"
    assert clean_line("a\u202eb") == "ab"


def test_line_breaks_become_spaces_in_a_line_and_stay_in_a_text():
    assert clean_line("  第一行\n第二行\t  尾  ") == "第一行 第二行 尾"
    assert clean_text("第一行\r\n第二行  \n\n第四行\x1b[2J") == "第一行\n第二行\n\n第四行"


def test_markup_is_kept_literally():
    assert clean_line("[red]x[/red]") == "[red]x[/red]"


def test_none_is_empty():
    assert clean_line(None) == "" and clean_text(None) == ""


# --- duty day, shifts, typed times -----------------------------------------------------

LOCAL = timezone(timedelta(hours=8))


def local(y, mo, d, h, mi):
    return datetime(y, mo, d, h, mi, tzinfo=LOCAL).astimezone(timezone.utc)


def test_duty_day_starts_at_the_configured_time_not_at_midnight(cfg):
    assert duty_date_of(local(2026, 11, 24, 8, 29), cfg) == date(2026, 11, 23)
    assert duty_date_of(local(2026, 11, 24, 8, 30), cfg) == date(2026, 11, 24)
    assert duty_date_of(local(2026, 11, 25, 2, 0), cfg) == date(2026, 11, 24)
    assert duty_day_bounds(date(2026, 11, 24), cfg) == (local(2026, 11, 24, 8, 30), local(2026, 11, 25, 8, 30))


def test_day_and_night_shifts_cover_the_duty_day(cfg):
    cfg.shifts = [ShiftSpec("白班", time(8, 30)), ShiftSpec("夜班", time(17, 30))]
    day, night = shift_slots(date(2026, 11, 24), cfg)
    assert (day.name, day.starts_at, day.ends_at) == ("白班", local(2026, 11, 24, 8, 30), local(2026, 11, 24, 17, 30))
    assert (night.name, night.starts_at, night.ends_at) == ("夜班", local(2026, 11, 24, 17, 30), local(2026, 11, 25, 8, 30))
    assert shift_slot_at(local(2026, 11, 25, 3, 0), cfg).name == "夜班"
    assert shift_slot_at(local(2026, 11, 24, 12, 0), cfg).name == "白班"


def test_typed_hh_mm_is_the_latest_such_time_not_in_the_future(cfg):
    now = local(2026, 11, 24, 10, 0)
    assert parse_when("09:40", now, cfg) == local(2026, 11, 24, 9, 40)
    assert parse_when("9：05", now, cfg) == local(2026, 11, 24, 9, 5)  # full-width colon from a Chinese IME
    just_after_midnight = local(2026, 11, 25, 0, 10)
    assert parse_when("23:50", just_after_midnight, cfg) == local(2026, 11, 24, 23, 50)


def test_typed_full_date_and_time_is_local(cfg):
    now = local(2026, 11, 24, 10, 0)
    assert parse_when("2026-11-23 22:15", now, cfg) == local(2026, 11, 23, 22, 15)


@pytest.mark.parametrize(("text", "key"), [
    ("10:06", "time.future"),
    ("2026-11-25 09:00", "time.future"),
    ("25:00", "time.format"),
    ("2026-02-30 10:00", "time.format"),
    ("昨晚", "time.format"),
])
def test_bad_typed_times_are_refused(cfg, text, key):
    with pytest.raises(InvalidInput) as caught:
        parse_when(text, local(2026, 11, 24, 10, 0), cfg, "at")
    assert caught.value.key == key and caught.value.field == "at"


def test_durations_are_compact_and_signed():
    assert fmt_duration(timedelta(minutes=65)) == "1:05"
    assert fmt_duration(timedelta(minutes=-12)) == "-0:12"
    assert fmt_duration(timedelta(days=2, hours=3)) == "2天03:00"
    set_language("en")
    assert fmt_duration(timedelta(days=-2, hours=-3)) == "-2d03:00"
