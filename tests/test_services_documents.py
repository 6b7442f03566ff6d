"""来文: receiving (serial, deadline from urgency, 发文字号, classified register
data only) and every step of Art. 24 through closing and filing; each step
audited, each refused step audited as a failure."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from support import fails

from duty_desk.core import audit, clock
from duty_desk.core.errors import InvalidInput, Refused
from duty_desk.core.models import Document, DocumentStep, Instruction
from duty_desk.core.services import documents


def _receive(desk, **kw):
    kw.setdefault("title", "关于切实做好当前防汛防台风工作的紧急通知")
    kw.setdefault("doc_number", "浙政办发〔2026〕38号")
    return documents.receive_document(desk, "省政府办公厅", **kw)


def test_received_document_gets_the_next_serial_of_the_year_and_is_audited(desk, fixed_clock):
    first, second = _receive(desk), _receive(desk, doc_number="浙政办发〔2026〕39号")
    assert (first.serial, second.serial) == ("2026-0001", "2026-0002")
    assert (first.state, first.received_at, first.custody, first.owner) == ("registered", fixed_clock, "tester", "tester")
    event = audit.history("document", first.id)[-1]
    assert (event.action, event.outcome) == ("create", "success")
    assert json.loads(event.new)["doc_number"] == "浙政办发〔2026〕38号"
    assert [s.step for s in documents.steps_of(first.id)] == ["sign", "register"]


def test_default_deadline_follows_the_urgency(desk, fixed_clock):
    assert _receive(desk, urgency="特急").deadline == fixed_clock + timedelta(hours=8)
    assert _receive(desk, urgency="加急").deadline == fixed_clock + timedelta(hours=24)
    plain = _receive(desk)
    assert plain.deadline == fixed_clock + timedelta(hours=120) and not plain.deadline_explicit


def test_explicit_deadline_wins_and_may_lie_in_the_future(desk, fixed_clock):
    doc = _receive(desk, urgency="特急", deadline="2026-11-24 17:00")
    assert doc.deadline == fixed_clock + timedelta(hours=7) and doc.deadline_explicit


@pytest.mark.parametrize(("number", "key"), [
    ("浙政办发[2026]38号", "docno.brackets"),
    ("浙政办发〔26〕38号", "docno.year_full"),
    ("浙政办发〔2026〕038号", "docno.leading_zero"),
    ("浙政办发〔2026〕第38号", "docno.no_di"),
    ("〔2026〕38号", "docno.no_issuer"),
    ("浙政办发2026年38号", "docno.no_year"),
    ("浙政办发〔2026〕38", "docno.sequence"),
])
def test_malformed_document_number_is_refused_naming_the_fault(desk, number, key):
    err = fails(desk, InvalidInput, key, _receive, doc_number=number)
    assert err.field == "doc_number"
    assert Document.select().count() == 0


def test_classified_document_is_register_data_only(desk):
    doc = documents.receive_document(desk, "市委办公室", doc_number="市委办〔2026〕12号", classification="机密",
                                     secrecy_period="10年", copy_number="000123")
    assert (doc.title, doc.summary, doc.custody, doc.copy_number) == ("", "", "tester", "000123")
    assert [d.id for d in documents.classified_in_custody()] == [doc.id]


@pytest.mark.parametrize("content", [{"title": "关于某事的通知"}, {"summary": "内容摘要"}, {"attachments": "附件一"}])
def test_classified_document_refuses_title_and_summary_with_the_reason(desk, content):
    err = fails(desk, InvalidInput, "doc.classified_content", documents.receive_document, "市委办公室",
                classification="秘密", copy_number="000007", **content)
    assert "非涉密系统" in err.message and "秘密" in err.message
    assert Document.select().count() == 0


def test_classified_document_needs_its_copy_number(desk):
    fails(desk, InvalidInput, "doc.classified_copy", documents.receive_document, "市委办公室", classification="绝密")


def test_unclassified_document_needs_a_title(desk):
    fails(desk, InvalidInput, "input.empty", documents.receive_document, "省政府办公厅")


def test_unknown_urgency_and_taken_serial_are_refused(desk):
    fails(desk, InvalidInput, "doc.urgency", _receive, urgency="急")
    _receive(desk, serial="2026-0137")
    fails(desk, Refused, "doc.serial_taken", _receive, serial="2026-0137")


def test_document_goes_through_every_step_to_closed_and_filed(desk, fixed_clock):
    doc = _receive(desk, urgency="特急")
    steps = [
        ("check", {}, "checked"),
        ("propose", {"text": "拟请王军副秘书长阅示"}, "checked"),
        ("instruct", {"party": "王军", "text": "请市防指办牵头落实"}, "checked"),
        ("assign", {"party": "市防指办", "deadline": "2026-11-24 17:00"}, "assigned"),
        ("circulate", {"party": "王军副秘书长"}, "circulating"),
        ("chase", {"party": "市防指办", "text": "答复：正在汇总"}, "circulating"),
        ("reply", {"text": "已按要求部署落实"}, "replied"),
        ("close", {}, "closed"),
        ("file", {"text": "2026-WS-0012"}, "filed"),
    ]
    for i, (step, kw, state) in enumerate(steps, start=1):
        clock.set_now(fixed_clock + timedelta(minutes=i))
        doc = documents.advance_document(desk, doc.id, step, **kw)
        assert doc.state == state, step
        event = audit.history("document", doc.id)[-1]
        assert (event.action, event.outcome, json.loads(event.new)["step"]) == (step, "success", step)
    assert doc.proposal == "拟请王军副秘书长阅示"
    assert doc.handling_units == "市防指办" and doc.custody == "王军副秘书长"
    assert doc.deadline == fixed_clock + timedelta(hours=7) and doc.deadline_explicit
    assert doc.reply == "已按要求部署落实"
    assert doc.closed_at == fixed_clock + timedelta(minutes=8)
    assert (doc.file_number, doc.filed_at) == ("2026-WS-0012", fixed_clock + timedelta(minutes=9))
    assert [s.step for s in documents.steps_of(doc.id)] == ["sign", "register"] + [s[0] for s in steps]
    ins = Instruction.get((Instruction.item_kind == "document") & (Instruction.item_id == doc.id))
    assert (ins.leader, ins.text) == ("王军", "请市防指办牵头落实")
    assert audit.history("instruction", ins.id)[0].action == "create"
    assert documents.pending_documents() == []


def test_filing_before_closing_is_refused_in_the_users_language(desk):
    doc = _receive(desk)
    err = fails(desk, Refused, "doc.step_not_allowed", documents.advance_document, doc.id, "file", text="X-1")
    assert err.message == "当前状态“已登记”下不能执行“归档”"
    assert Document.get_by_id(doc.id).state == "registered"
    assert DocumentStep.select().where(DocumentStep.step == "file").count() == 0


def test_checking_again_after_assignment_is_refused(desk):
    doc = _receive(desk)
    documents.advance_document(desk, doc.id, "assign", party="社会事务处")
    fails(desk, Refused, "doc.step_not_allowed", documents.advance_document, doc.id, "check")


def test_returned_document_is_closed_with_its_reason_and_takes_no_further_step(desk, fixed_clock):
    doc = _receive(desk)
    doc = documents.advance_document(desk, doc.id, "return", text="缺少附件，退回补正")
    assert (doc.state, doc.reply, doc.closed_at) == ("returned", "缺少附件，退回补正", fixed_clock)
    fails(desk, Refused, "doc.step_not_allowed", documents.advance_document, doc.id, "assign", party="综合处")


def test_return_without_a_reason_is_refused(desk):
    doc = _receive(desk)
    fails(desk, InvalidInput, "input.empty", documents.advance_document, doc.id, "return")
    assert Document.get_by_id(doc.id).state == "registered"


def test_assignment_needs_a_unit(desk):
    doc = _receive(desk)
    fails(desk, InvalidInput, "input.empty", documents.advance_document, doc.id, "assign")


def test_classified_document_refuses_a_proposal_text(desk):
    doc = documents.receive_document(desk, "市委办公室", classification="机密", copy_number="000123")
    fails(desk, InvalidInput, "doc.classified_content", documents.advance_document, doc.id, "propose",
          text="拟请领导阅示，内容涉及……")
    doc = documents.advance_document(desk, doc.id, "circulate", party="王军副秘书长")
    assert doc.custody == "王军副秘书长"
    assert [d.custody for d in documents.classified_in_custody()] == ["王军副秘书长"]


def test_pending_documents_put_the_nearest_deadline_first(desk):
    plain = _receive(desk)
    urgent = _receive(desk, urgency="特急", doc_number="浙政办发〔2026〕40号")
    assert [d.id for d in documents.pending_documents()] == [urgent.id, plain.id]


def test_serial_keeps_counting_past_9999_and_past_hand_made_serials(desk):
    _receive(desk, serial="2026-9999")
    _receive(desk, serial="2026-临时件")
    assert _receive(desk).serial == "2026-10000"
    assert _receive(desk).serial == "2026-10001"
