"""The rules that used to have several copies, each now in core.rules."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from duty_desk.core.i18n import set_language
from duty_desk.core.rules import chinese_number, cjk_breaks, event_label, field_label, is_overdue


@pytest.mark.parametrize(("n", "text"), [
    (1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一"), (99, "九十九"),
    (100, "一百"), (101, "一百零一"), (110, "一百一十"), (115, "一百一十五"), (999, "九百九十九"),
    (1000, "一千"), (1001, "一千零一"), (1010, "一千零一十"), (2026, "二千零二十六"), (10000, "10000"),
])
def test_chinese_numerals_read_as_written(n, text):
    # The desk's copy raised IndexError from 100 up and the sheet's printed digits.
    assert chinese_number(n) == text


def test_the_hundredth_follow_up_is_named_in_chinese_in_the_desk_and_on_the_sheet():
    set_language("zh")
    assert event_label("followup", 100) == "续报一百"
    assert event_label("followup", 3) == "续报三"
    assert event_label("followup") == "续报"
    set_language("en")
    try:
        assert event_label("followup", 100) == "follow-up 100"
    finally:
        set_language("zh")


def test_an_item_due_exactly_now_is_due_not_overdue():
    now = datetime(2026, 11, 26, 6, 0, tzinfo=timezone.utc)
    assert not is_overdue(now, now)
    assert is_overdue(now - timedelta(microseconds=1), now)
    assert not is_overdue(now + timedelta(minutes=1), now)
    assert not is_overdue(None, now)


def test_field_labels_are_looked_up_where_they_are_shown():
    set_language("zh")
    assert field_label("received_at", "document") != "received_at"
    assert field_label("no_such_field") == "no_such_field"
    assert field_label("content", where="history") != "content"


def test_chinese_breaks_between_characters_never_before_closing_punctuation():
    line = "李明已于十点交班，请接班人复述事项。"
    for width in range(4, 20):
        cuts = cjk_breaks(line, width)
        pieces = [line[a:b] for a, b in zip([0, *cuts], [*cuts, len(line)], strict=True)]
        assert "".join(pieces) == line
        assert not any(p.startswith(("，", "。")) for p in pieces[1:])
