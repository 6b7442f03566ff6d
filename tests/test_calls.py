"""来电: a call with its caller, recorded through one service (the form, /电
and `duty-desk call` all use it)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duty_desk.core.errors import InvalidInput
from duty_desk.core.openitems import list_open
from duty_desk.core.services import log
from duty_desk.core.verify import verify_store


def test_a_call_keeps_the_callers_unit_name_title_and_phone(desk):
    entry = log.record_call(desk, "水库水位接近汛限", unit="区水务局", name="王科长", title="科长",
                            phone="13800001111", already_informed="区防办")
    assert (entry.category, entry.counterpart_unit, entry.counterpart_name, entry.counterpart_title,
            entry.counterpart_phone, entry.already_informed) == (
        "来电", "区水务局", "王科长", "科长", "13800001111", "区防办")
    assert not entry.needs_action and entry.closed_at is None
    assert verify_store(desk.db).problems == []


def test_a_call_given_a_due_time_is_an_open_item_due_then(desk):
    entry = log.record_call(desk, "请核实东城街道积水情况", unit="市应急管理局", due="11:30")
    assert entry.needs_action and entry.due_explicit
    due = desk.now().replace(hour=3, minute=30)  # 11:30 in Shanghai
    assert entry.due_at == due
    found = [i for i in list_open(desk) if i.record_kind == "log" and i.id == entry.id]
    assert found and found[0].due_at == due


def test_a_call_needing_action_without_a_due_time_gets_the_ordinary_limit(desk):
    entry = log.record_call(desk, "请回电", needs_action=True)
    assert entry.due_at == desk.now() + timedelta(minutes=desk.cfg.ordinary_minutes)
    assert not entry.due_explicit


def test_a_result_known_at_once_is_recorded_and_closes_the_call(desk):
    entry = log.record_call(desk, "询问值班电话", needs_action=True, result="已告知")
    assert entry.result == "已告知" and entry.closed_at == desk.now()
    assert not [i for i in list_open(desk) if i.record_kind == "log" and i.id == entry.id]


def test_a_due_time_for_a_call_said_to_need_no_action_is_refused(desk):
    with pytest.raises(InvalidInput) as caught:
        log.record_call(desk, "通知", needs_action=False, due="11:30")
    assert caught.value.field == "due"
    assert "需办理" in caught.value.message


def test_a_due_time_before_the_call_is_refused(desk):
    with pytest.raises(InvalidInput) as caught:
        log.record_call(desk, "通知", occurred_at="09:50", due="2026-11-24 09:40")
    assert caught.value.field == "due"


# --- /电: the entry line's call ------------------------------------------------------

def _call(line: str) -> dict:
    from duty_desk.core.entryline import parse_entry

    parsed = parse_entry(line)
    assert parsed.form == "call"
    return parsed.prefill


def test_the_call_line_reads_unit_name_title_phone_and_what_was_said():
    assert _call("/电 区水务局 王科长 13800001111 水库水位接近汛限") == {
        "unit": "区水务局", "name": "王科长", "title": "科长", "phone": "13800001111", "content": "水库水位接近汛限"}


def test_the_call_line_takes_chinese_commas_full_width_digits_and_spaces_and_a_chinese_slash():
    prefill = _call("、电　区水务局，王科长，１３８００００１１１１，水库水位接近汛限，请速回复")
    assert prefill == {"unit": "区水务局", "name": "王科长", "title": "科长", "phone": "13800001111",
                       "content": "水库水位接近汛限，请速回复"}


def test_what_follows_the_phone_keeps_its_own_commas_and_spaces():
    assert _call("/电 市气象台 周敏 0571-87000002 发布暴雨蓝色预警, 请 转告")["content"] == "发布暴雨蓝色预警, 请 转告"


def test_the_call_line_without_a_phone_reads_unit_name_and_text_or_unit_and_text():
    assert _call("/电 市气象台 李工 发布暴雨蓝色预警") == {"unit": "市气象台", "name": "李工",
                                                     "content": "发布暴雨蓝色预警"}
    assert _call("/电 区水务局 水库水位接近汛限，请回电") == {"unit": "区水务局", "content": "水库水位接近汛限，请回电"}
    assert _call("/电 sw") == {"unit": "sw"}
    assert _call("/来电 13800001111 反映噪音扰民") == {"phone": "13800001111", "content": "反映噪音扰民"}


def test_a_name_split_from_its_title_and_an_extension_are_read_whole():
    assert _call("/电 区水务局 王 科长 010-6512-3456转8 水位上涨") == {
        "unit": "区水务局", "name": "王科长", "title": "科长", "phone": "010-6512-3456转8", "content": "水位上涨"}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("区水务局王科长市气象台 　，,、；;0123456789-()+转abc!#/：")), max_size=40))
def test_any_call_line_fills_the_form_without_losing_a_word(text):
    from duty_desk.core.entryline import parse_entry

    parsed = parse_entry("/电 " + text)
    assert parsed.form == "call"
    fields = parsed.prefill
    words = [w for w in re.split(r"[\s\u3000，,、；;]+", text.strip()) if w]
    kept = "".join(fields.get(k, "") for k in ("unit", "name", "phone", "content"))
    for word in words:  # every word typed is somewhere in what the form is given
        assert word in kept or word in fields.get("content", ""), (word, fields)
    if fields.get("content"):
        assert text.strip().endswith(fields["content"])
