"""Resident ID numbers: a number that cannot exist is refused (8.20), and a
valid number typed into any free-text field is stored masked, with a notice
(8.5)."""

from __future__ import annotations

import pytest

from duty_desk.core.errors import InvalidInput
from duty_desk.core.idcard import mask_ids_in, validate_resident_id
from duty_desk.core.models import AuditEvent, LogEntry, Visitor
from duty_desk.core.services import log, visitors
from duty_desk.core.services.common import take_masked_fields


@pytest.mark.parametrize(("number", "key"), [
    ("110105199913401233", "id.birth_date"),   # month 13, right check digit
    ("110105199902301237", "id.birth_date"),   # 30 February
    ("110105209901011234", "id.birth_date"),   # born in 2099
    ("110105180001011232", "id.birth_date"),   # born in 1800
    ("000000000000000001", "id.region"),       # all zeros, right check digit
    ("990105194912310023", "id.region"),       # no province 99
])
def test_an_id_number_that_cannot_exist_is_refused_even_with_the_right_check_digit(number, key):
    with pytest.raises(InvalidInput) as caught:
        validate_resident_id(number)
    assert caught.value.key == key
    assert caught.value.message != key


def test_a_visitor_with_an_impossible_birth_date_is_refused_and_nothing_is_stored(desk):
    with pytest.raises(InvalidInput) as caught:
        visitors.register_visitor(desk, "张三", id_number="110105199913401233")
    assert caught.value.key == "id.birth_date"
    assert Visitor.select().count() == 0


def test_an_id_number_inside_a_name_is_masked_before_it_is_stored(desk):
    take_masked_fields()
    v = visitors.register_visitor(desk, "李四市水务局1391234567811010519491231002X汇报防汛工作综合处")
    assert v.name == "李四市水务局13912345678110105********002X汇报防汛工作综合处"
    assert "19491231" not in (AuditEvent.select().order_by(AuditEvent.id.desc()).first().new)
    assert take_masked_fields() == ["name"]
    assert take_masked_fields() == []  # told once


def test_an_id_number_in_log_text_is_masked_and_other_numbers_are_kept(desk):
    take_masked_fields()
    e = log.record_entry(desk, "来电 13912345678，身份证 110101199003077133，工单 2026112400001")
    assert e.content == "来电 13912345678，身份证 110101********7133，工单 2026112400001"
    assert LogEntry.get_by_id(e.id).content == e.content
    assert take_masked_fields() == ["content"]


def test_text_without_a_valid_id_number_is_left_as_typed():
    text = "电话 110105194912310021 校验位不对，18 位数字 123456789012345678"
    assert mask_ids_in(text) == text
