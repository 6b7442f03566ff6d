"""Suggestions of people and units (core.suggest): from the contact book and
the records of the past year, matched as Chinese, full pinyin and initials,
ranked by how often and how recently used; a phone number names its owner."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from duty_desk.core import clock
from duty_desk.core.contacts.view import digits
from duty_desk.core.models import Contact
from duty_desk.core.services import common, log, visitors
from duty_desk.core.suggest import PERSON, UNIT, Suggestion, build_book, read_book

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=timezone.utc)


def _book(*items: Suggestion):
    return build_book(list(items), NOW)


def test_initials_full_pinyin_and_chinese_all_find_the_water_bureau():
    book = _book(Suggestion(unit="区水务局", name="王科长", phone="13800001111", uses=1, last_used=NOW))
    for typed in ("sw", "swj", "shuiwu", "qushuiwuju", "水务", "区水务局"):
        assert [s.unit for s in book.suggest(typed, UNIT)][:1] == ["区水务局"], typed
    assert book.suggest("wang", PERSON)[0].name == "王科长"
    assert book.suggest("xyz", UNIT) == []


def test_the_more_used_unit_comes_first_and_an_old_use_counts_for_less():
    old = NOW - timedelta(days=300)
    book = _book(Suggestion(unit="市水文站", name="刘工", uses=6, last_used=old),
                 Suggestion(unit="区水务局", name="王科长", uses=3, last_used=NOW - timedelta(days=1)),
                 Suggestion(unit="市委办公室", uses=1, last_used=NOW - timedelta(days=2)))
    assert [s.unit for s in book.suggest("sw", UNIT) if s.name] == ["区水务局", "市水文站"]
    fresh = _book(Suggestion(unit="市水文站", name="刘工", uses=6, last_used=NOW),
                  Suggestion(unit="区水务局", name="王科长", uses=3, last_used=NOW))
    assert fresh.suggest("sw", UNIT)[0].unit == "市水文站"


def test_a_match_in_the_field_typed_ranks_before_a_match_in_the_other():
    book = _book(Suggestion(unit="王庄村委会", uses=1, last_used=NOW),
                 Suggestion(unit="区水务局", name="王科长", uses=9, last_used=NOW))
    assert book.suggest("王", PERSON)[0].name == "王科长"
    assert book.suggest("王", UNIT)[0].unit == "王庄村委会"


def test_the_contact_books_title_and_phone_win_and_uses_add_up():
    book = _book(Suggestion(unit="区水务局", name="王科长", title="科长", phone="13800001111", contact_id=7),
                 Suggestion(unit="区水务局", name="王科长", phone="0571-1", uses=4, last_used=NOW))
    (only,) = [s for s in book.suggest("区水务局", UNIT) if s.name]
    assert (only.title, only.phone, only.uses, only.contact_id) == ("科长", "13800001111", 4, 7)


def test_a_phone_number_names_its_owner_however_it_is_written():
    book = _book(Suggestion(unit="区水务局", name="王科长", phone="138-0000-1111", contact_id=1),
                 Suggestion(unit="区水务局", duty_phone="(0571) 8700 1111", contact_id=2))
    assert book.by_phone("13800001111").name == "王科长"
    assert book.by_phone("１３８ ００００ １１１１").name == "王科长"
    assert book.by_phone("057187001111").unit == "区水务局"
    assert book.by_phone("1380") is None and book.by_phone("13900000000") is None
    assert digits("(0571) 8700-1111") == "057187001111"
    assert book.by_phone("87001111").unit == "区水务局"  # the area code left off, as the contact book allows


def test_the_book_reads_contacts_and_what_records_used_and_leaves_out_voided_ones(desk):
    Contact.create(unit="区水务局", name="王科长", title="科长", mobile="13800001111", duty_phone="0571-87001111",
                   recorded_at=desk.now(), recorded_by="admin")
    Contact.create(unit="撤销单位", name="某人", recorded_at=desk.now(), recorded_by="admin", voided_at=desk.now(),
                   voided_by="admin", void_reason="撤并")
    log.record_call(desk, "水库水位接近汛限", unit="区水务局", name="王科长", phone="13800001111")
    log.record_call(desk, "询问", unit="区水务局", name="王科长")
    log.record_call(desk, "雨情", unit="市水文站", name="刘工", phone="0571-87005555")
    wrong = log.record_call(desk, "错录", unit="市水产站", name="错人")
    common.void_record(desk, "log", wrong.id, "录错了")
    visitors.register_visitor(desk, "张建国", unit="城关街道办事处", phone="13900000001", host="信访科")
    book = read_book(desk.now())
    first = book.suggest("sw", UNIT)[0]
    assert (first.unit, first.name, first.title, first.phone, first.uses) == ("区水务局", "王科长", "科长",
                                                                             "13800001111", 2)
    assert book.by_phone("13800001111").name == "王科长"
    assert book.by_phone("0571-87005555").name == "刘工"
    assert not book.suggest("撤销", UNIT) and not book.suggest("错人", PERSON)
    assert book.suggest("zjg", PERSON)[0].unit == "城关街道办事处"
    assert book.suggest("信访", PERSON)[0].name == "信访科"  # whom visitors came to see


def test_records_older_than_a_year_are_not_suggested(desk, make_desk):
    with clock.fixed_at(NOW - timedelta(days=400)):
        log.record_call(make_desk("incoming"), "旧事", unit="旧单位", name="老张")
    assert not read_book(desk.now()).suggest("旧单位", UNIT)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=8), st.text(max_size=5), st.integers(0, 50)), max_size=12),
       st.text(max_size=10), st.sampled_from([UNIT, PERSON]))
def test_suggesting_never_fails_and_only_offers_names_that_match(rows, typed, role):
    book = _book(*(Suggestion(unit=u.strip(), name=n.strip(), uses=k, last_used=NOW if k else None)
                   for u, n, k in rows))
    found = book.suggest(typed, role)
    assert len(found) <= 6
    text = " ".join(typed.split())
    for s in found:
        assert s.unit or s.name
        if role == PERSON:
            assert s.name
        if not text.replace(" ", "").isascii():  # Chinese (or other) text: a plain substring of one of them
            assert text in s.unit or text in s.name
