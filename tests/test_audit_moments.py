"""A change and its audit event carry the same moment, even when the clock
ticks between the service's steps (one reading per write)."""

from __future__ import annotations

from datetime import timedelta

from conftest import T0

from duty_desk.core import clock
from duty_desk.core.models import AuditEvent, DocumentStep, UrgentEvent
from duty_desk.core.services import documents, urgent


def _ticking(monkeypatch) -> None:
    moments = iter(T0 + timedelta(minutes=40, seconds=s) for s in range(1000))
    monkeypatch.setattr(clock, "now", lambda: next(moments))


def _last_event(action: str) -> AuditEvent:
    return AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id.desc()).first()


def test_a_voided_report_is_marked_void_at_the_moment_its_audit_event_says(desk, monkeypatch):
    item = urgent.open_urgent(desk, "化工园区泄漏", "事故灾难", "II")
    report = urgent.record_phone_report(desk, item.id, party="市应急管理局")
    _ticking(monkeypatch)
    urgent.void_event(desk, report.id, "误报")
    assert UrgentEvent.get_by_id(report.id).voided_at == _last_event("void_event").at


def test_a_timeline_entry_is_recorded_at_the_moment_its_audit_event_says(desk, monkeypatch):
    item = urgent.open_urgent(desk, "化工园区泄漏", "事故灾难", "II")
    _ticking(monkeypatch)
    report = urgent.record_phone_report(desk, item.id, party="市应急管理局")
    assert UrgentEvent.get_by_id(report.id).recorded_at == _last_event(report.kind).at


def test_a_document_step_is_recorded_at_the_moment_its_audit_event_says(desk, monkeypatch):
    doc = documents.receive_document(desk, "市防汛抗旱指挥部", title="关于做好强降雨防范工作的紧急通知")
    _ticking(monkeypatch)
    documents.advance_document(desk, doc.id, "check")
    step = DocumentStep.select().where(DocumentStep.step == "check").get()
    assert step.recorded_at == _last_event("check").at
