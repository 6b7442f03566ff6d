"""The entry line's grammar, as a pure function: what a duty officer types
and what the desk makes of it."""

from __future__ import annotations

import pytest

from duty_desk.core.entryline import parse_entry
from duty_desk.core.errors import InvalidInput
from duty_desk.core.i18n import set_language


def test_plain_text_is_a_note_recorded_now():
    p = parse_entry("交班前检查值班电话正常")
    assert p.is_log and p.content == "交班前检查值班电话正常"
    assert p.category == "记事" and p.occurred_at is None and p.needs_action is None


def test_time_category_and_action_marks_lead_the_text():
    p = parse_entry("14:05 #来电 ! 区气象台：今晚有暴雨，请做好防范")
    assert (p.occurred_at, p.category, p.needs_action) == ("14:05", "来电", True)
    assert p.content == "区气象台：今晚有暴雨，请做好防范"


def test_marks_may_come_in_any_order_and_in_full_width_from_a_chinese_input_method():
    p = parse_entry("＃交办 ！ 9：05 汇总各区值守情况")
    assert (p.occurred_at, p.category, p.needs_action) == ("9:05", "交办", True)
    assert p.content == "汇总各区值守情况"


def test_action_mark_may_be_glued_to_the_category_or_to_the_text():
    assert parse_entry("#来电! 反映噪音").needs_action is True
    glued = parse_entry("!东城街道反映窨井盖缺失")
    assert glued.needs_action is True and glued.content == "东城街道反映窨井盖缺失"


def test_english_category_aliases_are_understood():
    assert parse_entry("#call weather office: heavy rain").category == "来电"
    assert parse_entry("#Incident power cut").category == "事件"


def test_markers_after_the_text_starts_are_text():
    p = parse_entry("#记事 /etc 目录已满 #来电 14:05")
    assert p.category == "记事" and p.content == "/etc 目录已满 #来电 14:05"


def test_an_unknown_category_is_refused_with_the_choices():
    with pytest.raises(InvalidInput) as err:
        parse_entry("#电报 省里来电报")
    assert "电报" in err.value.message and "#来电" in err.value.message


def test_an_unknown_command_is_refused_and_says_how_to_log_a_slash():
    with pytest.raises(InvalidInput) as err:
        parse_entry("/报 something")
    assert "/访" in err.value.message and "#记事" in err.value.message


def test_empty_line_is_refused():
    with pytest.raises(InvalidInput):
        parse_entry("   ")


def test_visitor_command_prefills_name_unit_and_purpose():
    p = parse_entry("/访 张三 东城街道 反映 噪音扰民")
    assert p.form == "visitor"
    assert p.prefill == {"name": "张三", "unit": "东城街道", "purpose": "反映 噪音扰民"}


def test_chinese_input_method_slash_opens_commands_too():
    assert parse_entry("、访 张三").form == "visitor"
    assert parse_entry("／零").form == "zero"


def test_document_command_finds_urgency_classification_and_number_anywhere():
    p = parse_entry("/文 特急 省政府办公厅 浙政办发〔2026〕38号 关于做好防汛工作的紧急通知")
    assert p.form == "document"
    assert p.prefill == {"urgency": "特急", "doc_number": "浙政办发〔2026〕38号",
                         "sender": "省政府办公厅", "title": "关于做好防汛工作的紧急通知"}
    assert parse_entry("/文 机密 市委办公室").prefill == {"classification": "机密", "sender": "市委办公室"}


def test_urgent_command_reads_level_and_type_words():
    p = parse_entry("/急 较大 自然灾害 城西区民房倒塌")
    assert p.prefill == {"level": "III", "event_type": "自然灾害", "title": "城西区民房倒塌"}
    assert parse_entry("/urgent II bridge closed").prefill == {"level": "II", "title": "bridge closed"}


def test_zero_and_handover_commands():
    assert parse_entry("/零 本值班日无重要情况").prefill == {"note": "本值班日无重要情况"}
    assert parse_entry("#零报告").form == "zero"
    assert parse_entry("/交").form == "handover" and parse_entry("/handover").prefill == {}


def test_refusals_speak_english_when_the_ui_does():
    set_language("en")
    with pytest.raises(InvalidInput) as err:
        parse_entry("#telegram hello")
    assert "unknown category" in err.value.message


def test_a_full_date_and_time_prefix_sets_when_and_leaves_the_text_clean():
    p = parse_entry("2026-11-23 19:00 #来电 区气象台：今晚有暴雨")
    assert (p.occurred_at, p.category) == ("2026-11-23 19:00", "来电")
    assert p.content == "区气象台：今晚有暴雨"
    full_width = parse_entry("#来文 2026-11-23 19：05 市政府办公室来文")
    assert (full_width.occurred_at, full_width.category) == ("2026-11-23 19:05", "来文")
    assert full_width.content == "市政府办公室来文"


def test_a_date_without_a_time_is_text():
    p = parse_entry("2026-11-23 全天停电检修")
    assert p.occurred_at is None and p.content == "2026-11-23 全天停电检修"


def test_pasted_lines_joined_by_the_line_mark_are_kept_as_lines():
    p = parse_entry("#来电 区气象台来电 ⏎ 今晚有暴雨 ⏎ 请做好防范")
    assert p.category == "来电"
    assert p.content == "区气象台来电\n今晚有暴雨\n请做好防范"


def test_a_dated_entry_is_recorded_at_that_minute_and_a_future_date_is_refused(desk):
    from datetime import datetime, timezone

    from duty_desk.core.services import log

    p = parse_entry("2026-11-23 19:00 #来电 区气象台：今晚有暴雨")
    entry = log.record_entry(desk, p.content, p.category, p.occurred_at)
    assert entry.occurred_at == datetime(2026, 11, 23, 11, 0, tzinfo=timezone.utc)  # 19:00 in Shanghai
    assert (entry.category, entry.content) == ("来电", "区气象台：今晚有暴雨")
    future = parse_entry("2026-11-26 19:00 #来电 尚未发生")
    with pytest.raises(InvalidInput) as err:
        log.record_entry(desk, future.content, future.category, future.occurred_at)
    assert err.value.key == "time.future"
