"""A document step taken by mistake is taken back with a reason: the step stays
readable, marked void, and the document is as it was before the step."""

import pytest
from support import fails

from duty_desk.core import audit
from duty_desk.core.errors import Refused
from duty_desk.core.models import Document, DocumentStep
from duty_desk.core.services import documents


def _doc(desk):
    return documents.receive_document(desk, "省政府办公厅", title="关于切实做好当前防汛防台风工作的紧急通知",
                                      doc_number="浙政办发〔2026〕38号", urgency="特急")


def _last_step(doc_id):
    return DocumentStep.select().where(DocumentStep.document == doc_id).order_by(DocumentStep.id.desc()).first()


def test_assigning_to_the_wrong_unit_is_taken_back_and_the_document_is_as_before(desk):
    doc = _doc(desk)
    documents.advance_document(desk, doc.id, "check")
    before = Document.get_by_id(doc.id)
    documents.advance_document(desk, doc.id, "assign", party="市民政局", deadline="2026-11-25 12:00")
    wrong = _last_step(doc.id)

    documents.void_step(desk, wrong.id, "承办单位选错，应为市防指办")

    after = Document.get_by_id(doc.id)
    assert (after.state, after.custody, after.handling_units, after.deadline, after.deadline_explicit) == (
        before.state, before.custody, before.handling_units, before.deadline, before.deadline_explicit)
    step = DocumentStep.get_by_id(wrong.id)
    assert step.party == "市民政局" and step.void_reason == "承办单位选错，应为市防指办"
    event = audit.history("document", doc.id)[-1]
    assert event.action == "void_step" and "市防指办" in event.new
    # The right step can now be taken.
    documents.advance_document(desk, doc.id, "assign", party="市防指办")
    assert Document.get_by_id(doc.id).custody == "市防指办"
    assert audit.verify().intact


def test_only_the_latest_step_can_be_taken_back_and_receipt_steps_never(desk):
    doc = _doc(desk)
    documents.advance_document(desk, doc.id, "check")
    check = _last_step(doc.id)
    documents.advance_document(desk, doc.id, "propose", text="拟请王军副秘书长阅示")
    fails(desk, Refused, "doc.step_not_latest", documents.void_step, check.id, "误操作")
    register = DocumentStep.get((DocumentStep.document == doc.id) & (DocumentStep.step == "register"))
    fails(desk, Refused, "doc.step_not_undoable", documents.void_step, register.id, "误操作")
    propose = _last_step(doc.id)
    documents.void_step(desk, propose.id, "拟办意见写错")
    assert Document.get_by_id(doc.id).proposal == ""
    with pytest.raises(Refused):
        documents.void_step(desk, propose.id, "再次撤销")
