"""Search (core.search) against a real SQLite file: every query length, mixed
text and brackets, highlighting, filters, pinyin, paging, and the index kept in
step with every kind of write, equal to a rebuild from the records."""

from __future__ import annotations

import sqlite3
import string
import subprocess
import sys
import textwrap
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duty_desk.core import clock, search
from duty_desk.core import db as store
from duty_desk.core.errors import InvalidInput
from duty_desk.core.handover import flow as ho
from duty_desk.core.models import Shift
from duty_desk.core.search.text import normalize, query_tokens, spans
from duty_desk.core.services import chasing, documents, instructions, log, urgent, visitors
from duty_desk.core.services.common import void_record


def found(desk, query, **kw) -> list[tuple[str, int]]:
    return [(h.kind, h.record_id) for h in search.search(desk, query, **kw).hits]


def in_step(desk) -> None:
    """The index kept in step equals one rebuilt from the records."""
    report = search.rebuild(desk.db)
    assert report["identical"], report


# -- what is found ---------------------------------------------------------------


def test_one_two_three_and_four_character_queries_find_every_record_containing_them(desk):
    flood = log.record_entry(desk, "区水务局来电：水库水位接近汛限，请求防汛指导", "来电")
    drill = log.record_entry(desk, "防汛演练通知已转办公室", "记事")
    other = log.record_entry(desk, "消防检查", "记事")
    assert found(desk, "汛") == [("log", drill.id), ("log", flood.id)]
    assert found(desk, "防汛") == [("log", drill.id), ("log", flood.id)]
    assert found(desk, "防") == [("log", other.id), ("log", drill.id), ("log", flood.id)]
    assert found(desk, "水库水位") == [("log", flood.id)]
    assert found(desk, "汛限请求") == []  # not in this order: the comma is between them
    assert found(desk, "汛限，请求") == [("log", flood.id)]
    assert found(desk, "防汛演练通知") == [("log", drill.id)]
    assert found(desk, "演练通 防汛") == [("log", drill.id)]  # every word, in any order
    assert found(desk, "抗旱") == []


def test_phone_numbers_and_their_fragments_are_found(desk):
    call = log.record_entry(desk, "来电询问停水", "来电", counterpart_phone="138-0000-1111")
    visitor = visitors.register_visitor(desk, "王五", phone="13912345678")
    assert found(desk, "1111") == [("log", call.id)]
    assert found(desk, "0000-1111") == [("log", call.id)]
    assert found(desk, "2345") == [("visitor", visitor.id)]
    assert found(desk, "13912345678") == [("visitor", visitor.id)]
    assert found(desk, "1") == [("visitor", visitor.id), ("log", call.id)]


@pytest.mark.parametrize("typed", ["〔2026〕7号", "[2026]7号", "［2026］7号", "【2026】7号", "〔2026〕", "[2026]", "2026〕7"])
def test_document_numbers_are_found_with_any_kind_of_bracket(desk, typed):
    doc = documents.receive_document(desk, "市应急管理局", title="关于做好防汛工作的通知", doc_number="市应急〔2026〕7号")
    other = documents.receive_document(desk, "市政府办公室", title="2026年工作要点", doc_number="市政办〔2025〕12号")
    assert found(desk, typed) == [("document", doc.id)]
    assert ("document", other.id) in found(desk, "2026")


def test_latin_letters_are_found_whatever_their_case_and_width(desk):
    entry = log.record_entry(desk, "收到ＧＰＳ定位数据和Excel表", "记事")
    assert found(desk, "gps") == [("log", entry.id)]
    assert found(desk, "EXCEL") == [("log", entry.id)]
    assert found(desk, "ｅｘ") == [("log", entry.id)]


def test_highlighting_marks_the_chinese_match_in_the_original_text(desk):
    log.record_entry(desk, "区水务局来电：水库水位接近汛限，请求防汛指导", "来电")
    hit = search.search(desk, "防汛").hits[0]
    assert hit.field == "content"
    assert [hit.snippet[a:b] for a, b in hit.spans] == ["防汛"]
    hit = search.search(desk, "汛").hits[0]
    assert [hit.snippet[a:b] for a, b in hit.spans] == ["汛", "汛"]
    documents.receive_document(desk, "市应急管理局", title="通知", doc_number="市应急〔2026〕7号")
    hit = search.search(desk, "[2026]7号").hits[0]
    assert [hit.snippet[a:b] for a, b in hit.spans] == ["〔2026〕7号"]


def test_a_long_text_is_cut_around_its_first_match(desk):
    text = "甲" * 100 + "水库" + "乙" * 100
    log.record_entry(desk, text, "记事")
    hit = search.search(desk, "水库").hits[0]
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert len(hit.snippet) <= search.SNIPPET + 2
    assert [hit.snippet[a:b] for a, b in hit.spans] == ["水库"]


def test_the_parts_of_a_record_are_searched_with_it(desk):
    doc = documents.receive_document(desk, "市政府办公室", title="通知")
    documents.advance_document(desk, doc.id, "assign", party="区水务局", text="请于周五前落实")
    item = urgent.open_urgent(desk, "城西区暴雨内涝", "自然灾害", "III")
    urgent.record_phone_report(desk, item.id, party="市应急管理局总值班室")
    chasing.record_chase(desk, "document", doc.id, "区水务局", answer="已在办理")
    assert found(desk, "周五前") == [("document", doc.id)]
    assert found(desk, "总值班室") == [("urgent", item.id)]
    assert found(desk, "已在办理") == [("document", doc.id)]


# -- pinyin ----------------------------------------------------------------------


def test_pinyin_full_initials_and_syllables_find_people_and_units(desk):
    zhang = visitors.register_visitor(desk, "张三", unit="街道办")
    call = log.record_entry(desk, "询问汛情", "来电", counterpart_unit="区水务局", counterpart_name="王科长")
    for typed in ("zhangsan", "zs", "zhang s", "ZhangSan", "zhangs"):
        assert found(desk, typed) == [("visitor", zhang.id)], typed
    assert found(desk, "jdb") == [("visitor", zhang.id)]
    assert found(desk, "sw") == [("log", call.id)]  # 水务局 inside 区水务局
    assert found(desk, "qushuiwuju") == [("log", call.id)]
    assert found(desk, "wangkezhang") == found(desk, "wkz") == [("log", call.id)]
    hit = search.search(desk, "zs").hits[0]
    assert [hit.snippet[a:b] for a, b in hit.spans] == ["张三"]


@pytest.mark.parametrize(("name", "typed"), [("单田芳", "shantianfang"), ("单田芳", "stf"), ("曾国藩", "zeng"), ("曾国藩", "zgf"),
                                             ("解缙", "xiejin"), ("解缙", "xj"), ("单田芳", "dantianfang")])
def test_polyphonic_surnames_are_found_by_their_usual_reading(desk, name, typed):
    visitor = visitors.register_visitor(desk, name)
    assert found(desk, typed) == [("visitor", visitor.id)]


def test_a_word_of_latin_letters_is_found_in_text_as_well_as_in_pinyin(desk):
    entry = log.record_entry(desk, "zs系统告警", "记事")
    visitor = visitors.register_visitor(desk, "张三")
    assert found(desk, "zs") == [("visitor", visitor.id), ("log", entry.id)]


# -- filters ---------------------------------------------------------------------


def test_filters_for_kind_category_officer_and_state(make_desk, fixed_clock):
    me, other = make_desk("tester"), make_desk("incoming")
    call = log.record_entry(me, "防汛来电", "来电", needs_action=True)
    note = log.record_entry(other, "防汛记事", "记事")
    visitor = visitors.register_visitor(me, "防汛办张三")
    assert found(me, "防汛 类:来电") == [("log", call.id)]
    assert found(me, "防汛") == [("visitor", visitor.id), ("log", note.id), ("log", call.id)]
    assert found(me, "防汛 类:visitor") == [("visitor", visitor.id)]
    assert found(me, "防汛 类:来访") == [("visitor", visitor.id)]
    assert found(me, "防汛 类:log") == [("log", note.id), ("log", call.id)]
    assert found(me, "防汛 kind:日志") == found(me, "防汛 类:值班日志") == [("log", note.id), ("log", call.id)]
    assert found(me, "防汛 人:incoming") == [("log", note.id)]
    assert found(me, "防汛 人:陈静") == [("log", note.id)]  # the officer's name
    assert found(me, "防汛 人:cj") == [("log", note.id)]  # or its pinyin
    with pytest.raises(InvalidInput) as caught:  # a slip in the name is said, not "nothing found"
        found(me, "防汛 人:nobody")
    assert caught.value.key == "search.bad_officer" and "nobody" in caught.value.message
    assert found(me, "防汛 状态:未结") == [("visitor", visitor.id), ("log", call.id)]
    log.record_result(me, call.id, "已答复")
    assert found(me, "防汛 state:open") == [("visitor", visitor.id)]
    assert found(me, "防汛 state:closed") == [("log", note.id), ("log", call.id)]
    void_record(me, "log", note.id, "录错了")
    assert found(me, "防汛 状态：作废") == [("log", note.id)]  # a full-width colon as well


def test_a_voided_record_is_found_and_marked_voided(desk):
    entry = log.record_entry(desk, "水库巡查", "记事")
    void_record(desk, "log", entry.id, "重复录入")
    hit = search.search(desk, "水库").hits[0]
    assert (hit.kind, hit.record_id, hit.state) == ("log", entry.id, "void")


def test_date_filters_are_duty_days_across_the_0830_edge(desk, fixed_clock):
    # 08:29 on the 24th belongs to the duty day of the 23rd.
    clock.set_now(fixed_clock.replace(hour=0, minute=29) + timedelta(days=-1))  # 08:29 local on the 23rd
    early = log.record_entry(desk, "夜间巡查", "记事")
    clock.set_now(fixed_clock)
    late = log.record_entry(desk, "日间巡查", "记事")
    assert early.duty_date == date(2026, 11, 22) and late.duty_date == date(2026, 11, 24)
    assert found(desk, "巡查 日:2026-11-22") == [("log", early.id)]
    assert found(desk, "巡查 自:2026-11-23") == [("log", late.id)]
    assert found(desk, "巡查 至:2026-11-23") == [("log", early.id)]
    assert found(desk, "巡查 自:2026-11-22 至:2026-11-24") == [("log", late.id), ("log", early.id)]
    assert found(desk, "巡查 自:2026-11-25") == []


def test_filters_alone_are_a_search_and_nothing_at_all_is_refused(desk):
    visitor = visitors.register_visitor(desk, "张三")
    assert found(desk, "类:来访") == [("visitor", visitor.id)]
    for typed in ("", "   ", "，。"):
        with pytest.raises(InvalidInput) as caught:
            search.search(desk, typed)
        assert caught.value.key == "search.empty"


@pytest.mark.parametrize(("typed", "key"), [("类:电报", "search.bad_kind"), ("自:6月1日", "search.bad_date"),
                                            ("状态:挂起", "search.bad_state"),
                                            ("自:2026-06-02 至:2026-06-01", "search.bad_range")])
def test_a_bad_filter_is_refused_naming_it(desk, typed, key):
    with pytest.raises(InvalidInput) as caught:
        search.search(desk, "防汛 " + typed)
    assert caught.value.key == key


def test_results_are_newest_first_and_paged_without_gaps_or_repeats(desk, fixed_clock):
    made = []
    for i in range(45):
        clock.set_now(fixed_clock + timedelta(minutes=i))
        made.append(log.record_entry(desk, f"第{i}次巡查", "记事").id)
    # one recorded late, about an earlier time: placed by when it happened
    late = log.record_entry(desk, "补记巡查", "记事", "08:40")
    seen, before = [], None
    while True:
        page = search.search(desk, "巡查", before=before)
        seen.extend(h.record_id for h in page.hits)
        assert len(page.hits) <= search.PAGE
        if page.after is None:
            break
        before = page.after
    assert seen == [*reversed(made), late.id]


# -- in step with the writes --------------------------------------------------------


def test_the_index_follows_create_correct_void_and_amendment(desk):
    entry = log.record_entry(desk, "市应急局来电", "来电", "09:40")
    assert found(desk, "应急局") == [("log", entry.id)]
    log.correct_entry(desk, entry.id, "写错了", content="市水务局来电")
    assert found(desk, "应急局") == [] and found(desk, "水务局") == [("log", entry.id)]
    in_step(desk)
    Shift.update(state="accepted").where(Shift.id == entry.shift_id).execute()  # locked: amendments now
    amendment = log.correct_entry(desk, entry.id, "单位名称写全", content="市水务管理局来电")
    hits = {h.record_id: h.state for h in search.search(desk, "水务").hits}
    assert hits == {amendment.id: "closed", entry.id: "superseded"}
    in_step(desk)
    void_record(desk, "log", amendment.id, "更正有误")  # the original is live again
    hits = {h.record_id: h.state for h in search.search(desk, "水务").hits}
    assert hits == {amendment.id: "void", entry.id: "closed"}
    in_step(desk)


def test_the_index_follows_every_kind_of_write(desk, make_desk):
    visitor = visitors.register_visitor(desk, "李四", unit="街道办")
    visitors.start_reception(desk, visitor.id, received_by="值班员")
    visitors.check_out(desk, visitor.id, result="已解决")
    doc = documents.receive_document(desk, "市政府办公室", title="通知", doc_number="市政办〔2026〕3号")
    documents.advance_document(desk, doc.id, "assign", party="区水务局", text="请落实")
    item = urgent.open_urgent(desk, "城西区暴雨内涝", "自然灾害", "III")
    urgent.record_phone_report(desk, item.id, party="市应急管理局")
    ins = instructions.record_instruction(desk, "urgent", item.id, "王军", "全力处置", assignee="区应急局")
    instructions.answer_instruction(desk, ins.id, "已转达")
    call = log.record_entry(desk, "询问停水", "来电", needs_action=True)
    chasing.record_chase(desk, "log", call.id, "区水务局", answer="下午恢复")
    log.record_result(desk, call.id, "已答复")
    ho.hand_over(desk, "城西区积水待续报")
    assert found(desk, "已解决") == [("visitor", visitor.id)]
    assert found(desk, "下午恢复") == [("log", call.id)]
    assert found(desk, "全力处置") == [("instruction", ins.id)]
    assert [h.kind for h in search.search(desk, "待续报").hits] == ["handover"]
    in_step(desk)


def test_a_refused_write_leaves_the_index_as_it_was(desk):
    from duty_desk.core.desk import together

    with pytest.raises(InvalidInput), together(desk):
        log.record_entry(desk, "第一条", "记事")
        log.record_entry(desk, "", "记事")  # refused: the whole transaction is rolled back
    assert found(desk, "第一条") == []
    in_step(desk)


def test_a_crash_in_the_middle_of_a_write_leaves_records_and_index_together(desk, db_path, config_file, tmp_path):
    """A process killed after the index was written but before the commit:
    neither the record nor its index entry is there; the store is in step."""
    log.record_entry(desk, "崩溃之前", "记事")
    script = tmp_path / "crash.py"
    script.write_text(textwrap.dedent(f"""
        import os
        from datetime import datetime, timezone
        from duty_desk.core import clock, sqlite_store
        from duty_desk.core.config import load_config
        from duty_desk.core.opening import open_desk
        from duty_desk.core.services import log
        clock.set_now(datetime(2026, 11, 24, 2, 30, tzinfo=timezone.utc))
        desk = open_desk(load_config({str(config_file)!r}), "sqlite:///{db_path}", login="tester")
        real = sqlite_store.DeskSqliteDatabase.commit
        def die(self):
            if self.execute_sql("SELECT COUNT(*) FROM search_doc").fetchone()[0] >= 2:
                os._exit(9)  # killed between the index write and the commit
            real(self)
        sqlite_store.DeskSqliteDatabase.commit = die
        log.record_entry(desk, "崩溃之中", "记事")
    """), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 9, done.stderr
    assert found(desk, "崩溃") == [("log", 1)]
    with sqlite3.connect(db_path) as con:
        assert con.execute("SELECT COUNT(*) FROM log_entry").fetchone()[0] == 1
    in_step(desk)
    log.record_entry(desk, "崩溃之后", "记事")
    assert [r for _k, r in found(desk, "崩溃")] == [2, 1]


def reopened(make_desk):
    """The store opened again, and what opening it said of its progress."""
    from duty_desk.core import told

    said: list[tuple[str, int, int]] = []
    told.progress_hook = lambda what, done, total: said.append((what, done, total))
    try:
        return make_desk(), said
    finally:
        told.progress_hook = None


def test_a_store_from_before_search_gets_its_index_when_opened(cfg, db_path, make_desk, fixed_clock):
    desk = make_desk()
    log.record_entry(desk, "升级之前的记录", "记事")
    visitors.register_visitor(desk, "单田芳")
    desk.close()
    with sqlite3.connect(db_path) as con:
        con.execute("DROP TABLE search_fts")
        con.execute("DROP TABLE search_doc")
        con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    desk, told = reopened(make_desk)
    assert store.schema_version(desk.db) == store.SCHEMA_VERSION
    assert told and told[-1][0] == "search.building" and told[-1][1] == told[-1][2] >= 2
    assert found(desk, "升级之前") == [("log", 1)] and found(desk, "shantianfang") == [("visitor", 1)]
    in_step(desk)


def test_rebuild_reports_a_difference_when_the_index_was_changed_behind_its_back(desk, db_path):
    entry = log.record_entry(desk, "水库巡查", "记事")
    desk.db.execute_sql("UPDATE search_doc SET state = 'void' WHERE record_id = ?", (entry.id,))
    report = search.rebuild(desk.db)
    assert not report["identical"] and report["differ"] == [("log", entry.id)]
    in_step(desk)  # the rebuilt index is kept: in step again


# -- the rule, for any text --------------------------------------------------------

ALPHABET = "防汛水库位张三〔〕[]2026号-1 ，a"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=12), min_size=1, max_size=6),
       query=st.text(alphabet=ALPHABET, min_size=1, max_size=5))
def test_a_query_finds_exactly_the_records_whose_text_contains_it(desk, texts, query):
    """For random text and queries: found == the records containing every word."""
    made = {}
    for text in texts:
        if text.strip(" ，-"):
            entry = log.record_entry(desk, text, "记事")
            made[entry.id] = entry.content
    words = [normalize(w) for w in query.split() if query_tokens(normalize(w))]
    if not words:
        return
    expected = sorted(i for i, content in made.items() if all(w in normalize(content) for w in words))
    got = sorted(r for k, r in found(desk, query, limit=1000) if k == "log" and r in made)
    assert got == expected
    for hit in search.search(desk, query, limit=1000).hits:
        assert hit.spans and all(0 <= a < b <= len(hit.snippet) for a, b in hit.spans)


@given(st.text(alphabet=string.printable + "〔〕［］【】汛防ＡＢ１２", max_size=30))
def test_normalising_keeps_one_character_for_one(text):
    assert len(normalize(text)) == len(text)
    for a, b in spans(text, [normalize(text)[:3]] if normalize(text)[:3].strip() else []):
        assert 0 <= a < b <= len(text)


def test_check_compares_without_changing_anything(desk):
    entry = log.record_entry(desk, "水库巡查", "记事")
    assert search.check(desk.db)["identical"]
    desk.db.execute_sql("UPDATE search_doc SET state = 'void' WHERE record_id = ?", (entry.id,))
    report = search.check(desk.db)
    assert not report["identical"] and report["differ"] == [("log", entry.id)]
    assert search.check(desk.db)["differ"] == [("log", entry.id)]  # still there: check changed nothing


def test_every_kind_of_the_registry_says_what_is_searched():
    from duty_desk.core.kinds import REGISTRY

    for name, spec in REGISTRY.items():
        fields = spec.model._meta.fields
        assert spec.search_at in fields, name
        assert spec.search_text and set(spec.search_text) <= set(fields), name
        assert set(spec.search_people) | set(spec.search_units) <= set(spec.search_text), name
    assert set(search.kinds()) == {*REGISTRY, "handover"}


def test_every_reading_of_a_polyphonic_character_finds_it(desk):
    bank = log.record_entry(desk, "询问网点营业时间", "来电", counterpart_unit="工商银行城西支行")
    assert found(desk, "yinhang") == found(desk, "gsyh") == [("log", bank.id)]
    assert found(desk, "yinxing") == [("log", bank.id)]  # read otherwise, found all the same


def test_pinyin_reads_the_dictionary_of_characters_without_the_whole_package():
    """The package would load its dictionary of phrases too (about 57 MB)."""
    code = ("import sys; from duty_desk.core.search.names import name_tokens;"
            "assert name_tokens('张三', True)[:2] == ('zhangsan', 'zs');"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pypinyin'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_one_or_two_letters_of_pinyin_are_initials_and_three_begin_a_reading(desk):
    """A prefix of one or two letters would gather most of the index: they
    are looked up as initials (so they are instant on ten years); from three
    letters on, any reading they begin."""
    zhou = visitors.register_visitor(desk, "周敏")
    assert found(desk, "zm") == found(desk, "z") == found(desk, "m") == [("visitor", zhou.id)]
    assert found(desk, "zh") == []  # not the start of zhoumin: initials
    assert found(desk, "zho") == found(desk, "zhoum") == [("visitor", zhou.id)]


def test_an_index_built_by_another_version_is_built_again_when_opened(cfg, db_path, make_desk, fixed_clock):
    from duty_desk.core.models import Meta

    desk = make_desk()
    visitors.register_visitor(desk, "周敏")
    assert found(desk, "z") == [("visitor", 1)]
    # As an earlier version left it: other tokens, and no version written.
    desk.db.execute_sql("DELETE FROM meta WHERE key = 'search_tokens'")
    desk.db.execute_sql("UPDATE search_doc SET py = ' zhoumin'")
    assert search.outdated(desk.db)
    desk.close()
    desk, told = reopened(make_desk)
    assert told and told[-1] == ("search.building", 1, 1)
    assert not search.outdated(desk.db) and Meta.get(Meta.key == "search_tokens").value == "2"
    assert found(desk, "z") == [("visitor", 1)]
    in_step(desk)


def test_a_refused_write_inside_another_leaves_the_other_indexed(desk):
    """A write that catches the refusal of one inside it and goes on still
    has its own change indexed (only the refused one's is dropped)."""
    from duty_desk.core import audit
    from duty_desk.core.desk import writing
    from duty_desk.core.models import LogEntry

    entry = log.record_entry(desk, "来电询问", "来电", needs_action=True)
    with writing(desk, "result", "log", entry.id):
        # as a service writes: the change, then its audit event
        LogEntry.update(result="外层结果").where(LogEntry.id == entry.id).execute()
        audit.append(desk.now(), desk.actor, "result", "log", entry.id, None, {"result": "外层结果"})
        with pytest.raises(InvalidInput):
            log.record_entry(desk, "", "记事")
    assert found(desk, "外层结果") == [("log", entry.id)]
    in_step(desk)
