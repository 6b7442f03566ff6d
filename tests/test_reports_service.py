"""Reporting upward (信息报送) through the core: the facts as a living record,
reports drafted from templates, sign-off by the leader on duty, the one
approved text to every recipient, lateness stored on the report itself."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from support import fails

from duty_desk.core import clock
from duty_desk.core.errors import InvalidInput, Refused
from duty_desk.core.models import AuditEvent, ReportSending, UrgentFact, UrgentReport
from duty_desk.core.reports import facts, service, templates, view
from duty_desk.core.services import urgent
from duty_desk.core.services.common import start_shift
from duty_desk.core.verify import verify_store


def _open(desk, **kw):
    return urgent.open_urgent(desk, "城西区暴雨致一处老旧民房倒塌", "自然灾害", "III", place="城西区西湖街道古荡社区",
                              source_unit="城西区政府总值班室", source_name="吴刚", casualties="2人轻伤", **kw)


def _later(fixed_clock, minutes):
    clock.set_now(fixed_clock + timedelta(minutes=minutes))


def _sent_first_report(desk, leader, item):
    report = service.draft(desk, item.id)
    service.approve(leader, report.id)
    service.send(desk, report.id, "省政府总值班室", "专网")
    return UrgentReport.get_by_id(report.id)


def test_the_default_first_report_names_every_element_and_marks_the_unknown_待核实(desk, fixed_clock):
    start_shift(desk, leaders=["王军"])
    item = _open(desk, occurred_at="09:45", measures="区应急、住建、消防已到场")
    kind, seq, text = service.preview(desk, item.id)
    assert (kind, seq) == ("first_report", 0)
    lines = text.splitlines()
    assert lines[0] == "城西区暴雨致一处老旧民房倒塌（首报）"
    expected = ["报告单位：某市人民政府办公室总值班室", "报告时间：2026年11月24日10时00分",
                "事件类型：自然灾害　事件等级：较大（III级）", "事发时间：2026年11月24日9时45分",
                "事发地点：城西区西湖街道古荡社区", "事件概况：待核实", "2人轻伤", "区应急、住建、消防已到场",
                "城西区政府总值班室 吴刚（可靠程度：待核实）", "签发人：王军", "联系人：李明　联系电话：13800000000"]
    for line in expected:
        assert line in lines, line
    # cause, next steps, who is in charge: unknown, so 待核实 under their headings, never left out
    for heading in ("三、事件原因", "五、下一步工作", "六、现场负责人"):
        assert lines[lines.index(heading) + 1] == "待核实"
    assert "${" not in text and not any(line.startswith("#") for line in lines)


def test_every_element_an_office_template_names_is_filled(desk, fixed_clock, tmp_path):
    folder = tmp_path / "config" / "duty-desk" / "reports"
    folder.mkdir(parents=True)
    (folder / "first_report.txt").write_text(
        "# 本办模板\n" + "\n".join(f"{name}=${{{name}}}" for name in templates.ELEMENTS) + "\n", encoding="utf-8")
    item = _open(desk)
    text = service.preview(desk, item.id)[2]
    assert "${" not in text and "本办模板" not in text
    got = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    assert got["title"] == "城西区暴雨致一处老旧民房倒塌" and got["kind_name"] == "首报"
    assert got["casualties"] == "2人轻伤" and got["cause"] == "待核实"
    assert set(got) == set(templates.ELEMENTS) and got["changes"] == ""  # a first report changes nothing
    # the other kinds still come from the default set
    assert templates.template_text("followup", desk.cfg)[1] == "default"


def test_a_followup_brings_new_facts_keeps_the_old_and_marks_what_changed(desk, make_desk, fixed_clock):
    leader = make_desk("leader")
    item = _open(desk)
    _sent_first_report(desk, leader, item)
    _later(fixed_clock, 40)
    changed = facts.update_facts(desk, item.id, {"casualties": "3人受伤，其中1人重伤",
                                                 "measures": "伤员已送市一医院救治", "place": "城西区西湖街道古荡社区"})
    assert changed == ["casualties", "measures"]  # the place was the same: not a new value
    history = facts.history(item.id)
    assert [r.value for r in history["casualties"]] == ["2人轻伤", "3人受伤，其中1人重伤"]
    assert history["casualties"][1].at == fixed_clock + timedelta(minutes=40)
    kind, seq, text = service.preview(desk, item.id)
    assert (kind, seq) == ("followup", 1)
    assert text.splitlines()[0] == "城西区暴雨致一处老旧民房倒塌（续报一）"
    assert "本次报告更新：人员伤亡和财产损失、已采取的处置措施。" in text
    assert "3人受伤，其中1人重伤（前报：2人轻伤）" in text
    assert "伤员已送市一医院救治（新增）" in text
    assert "事发地点：城西区西湖街道古荡社区" in text.splitlines()  # unchanged: unmarked
    report = service.draft(desk, item.id)
    assert report.facts["casualties"] == "3人受伤，其中1人重伤" and report.base_facts["casualties"] == "2人轻伤"


def test_a_second_followup_is_marked_against_the_first_not_the_first_report(desk, make_desk, fixed_clock):
    leader = make_desk("leader")
    item = _open(desk)
    _sent_first_report(desk, leader, item)
    facts.update_facts(desk, item.id, {"casualties": "3人受伤"})
    one = service.draft(desk, item.id)
    service.approve(leader, one.id)
    service.send(desk, one.id, "省政府总值班室", "专网")
    _, seq, text = service.preview(desk, item.id)
    assert seq == 2 and "本次报告无新的变化。" in text and "（前报：" not in text


def test_an_officer_cannot_sign_off_a_leader_can(desk, make_desk, fixed_clock):
    item = _open(desk)
    report = service.draft(desk, item.id)
    fails(desk, Refused, "report.leader_only", service.approve, report.id)
    signed = service.approve(make_desk("leader"), report.id)
    assert (signed.approved_by, signed.approved_name, signed.approval_means) == ("leader", "王军", "desk")
    assert service.state_of(signed) == "approved"
    assert "签发：王军" in view.report_line(signed, desk.cfg) and "电话" not in view.report_line(signed, desk.cfg)


def test_a_phoned_approval_is_recorded_by_the_officer_and_marked(desk, fixed_clock):
    item = _open(desk)
    report = service.draft(desk, item.id)
    _later(fixed_clock, 10)
    fails(desk, Refused, "report.no_such_leader", service.approve, report.id, leader="陈静")  # an officer
    signed = service.approve(desk, report.id, leader="王军", at="10:08")
    assert (signed.approved_by, signed.approval_means, signed.approval_recorded_by) == ("leader", "phone", "tester")
    assert signed.approved_at == fixed_clock + timedelta(minutes=8)
    assert "（电话签发，李明登记）" in view.report_line(signed, desk.cfg)
    event = AuditEvent.select().where((AuditEvent.action == "approve") & (AuditEvent.outcome == "success")).get()
    assert (event.actor, json.loads(event.new)["approval_means"]) == ("tester", "phone")


def test_an_approval_before_the_last_change_of_the_text_is_refused(desk, fixed_clock):
    item = _open(desk)
    report = service.draft(desk, item.id)
    _later(fixed_clock, 10)
    service.edit(desk, report.id, report.text + "\n补充：现场已拉起警戒线。")
    fails(desk, InvalidInput, "report.approved_before_text", service.approve, report.id, leader="王军", at="10:05")


def test_editing_an_approved_report_takes_its_approval_away(desk, make_desk, fixed_clock):
    item = _open(desk)
    report = service.draft(desk, item.id)
    service.approve(make_desk("leader"), report.id)
    edited = service.edit(desk, report.id, report.text.replace("2人轻伤", "2人轻伤，均无生命危险"))
    assert service.state_of(edited) == "draft" and edited.approved_at is None
    fails(desk, Refused, "report.not_approved", service.send, report.id, "省政府总值班室", "专网")


def test_every_recipient_gets_the_one_approved_text(desk, make_desk, fixed_clock):
    leader = make_desk("leader")
    item = _open(desk)
    report = service.draft(desk, item.id)
    fails(desk, Refused, "report.not_approved", service.send, report.id, "省政府总值班室", "专网")
    service.approve(leader, report.id)
    first = service.send(desk, report.id, "省政府总值班室", "专网", text=report.text)
    other = report.text.replace("2人轻伤", "3人轻伤")
    fails(desk, Refused, "report.not_same_text", service.send, report.id, "市应急管理局", "传真", text=other)
    fails(desk, Refused, "report.sent_already", service.send, report.id, "省政府总值班室", "传真")
    fails(desk, InvalidInput, "report.bad_means", service.send, report.id, "市应急管理局", "邮件")
    second = service.send(desk, report.id, "市应急管理局", "传真", received_by="值班员刘洋")
    approved = UrgentReport.get_by_id(report.id).approved_digest
    assert first.digest == second.digest == service.digest(report.text) == approved
    assert [s.recipient for s in service.sendings(report.id)] == ["省政府总值班室", "市应急管理局"]
    assert second.confirmed_at is not None and ReportSending.select().count() == 2
    # the first sending put it on the timeline: one 首报, its text the report's
    events = [e for e in urgent.timeline(item.id) if e.kind == "first_report"]
    assert len(events) == 1 and events[0].text == report.text
    assert UrgentReport.get_by_id(report.id).event == events[0].id


def test_a_sent_report_never_changes_a_correction_is_a_new_followup(desk, make_desk, fixed_clock):
    item = _open(desk)
    report = _sent_first_report(desk, make_desk("leader"), item)
    fails(desk, Refused, "report.sent_fixed", service.edit, report.id, "改过的正文")
    fails(desk, Refused, "report.sent_fixed", service.void, report.id, "发错了")
    assert UrgentReport.get_by_id(report.id).text == report.text
    assert service.draft(desk, item.id).kind == "followup"


def test_one_unsent_report_at_a_time_and_a_void_one_stays_readable(desk, fixed_clock):
    item = _open(desk)
    report = service.draft(desk, item.id)
    fails(desk, Refused, "report.unsent_exists", service.draft, item.id)
    fails(desk, Refused, "report.kind_not_now", service.void(desk, report.id, "拟错了") and service.draft, item.id,
          "followup")
    voided = UrgentReport.get_by_id(report.id)
    assert (voided.void_reason, service.state_of(voided)) == ("拟错了", "void")


def test_a_report_sent_after_its_limit_is_late_with_its_reason_with_no_desk_open_meanwhile(
        desk, make_desk, fixed_clock):
    """The limit passes while no desk runs (no escalation round, nothing
    marked overdue): the lateness is computed from the stored due time when
    the sending is recorded, and the reason is asked for."""
    leader = make_desk("leader")
    item = _open(desk)
    report = service.draft(desk, item.id)
    service.approve(leader, report.id)
    due = fixed_clock + timedelta(minutes=desk.cfg.written_report_minutes["III"])
    assert service.due_for(desk, item, "first_report") == due
    _later(fixed_clock, desk.cfg.written_report_minutes["III"] + 25)
    err = fails(desk, InvalidInput, "report.delay_reason_needed", service.send, report.id, "省政府总值班室", "专网")
    assert err.params["minutes"] == 25 and "25" in err.message
    assert UrgentReport.get_by_id(report.id).sent_at is None
    service.send(desk, report.id, "省政府总值班室", "专网", delay_reason="现场通信中断，核实伤亡耗时")
    stored = UrgentReport.get_by_id(report.id)
    assert (stored.due_at, stored.late_minutes) == (due, 25)
    assert stored.sent_at == fixed_clock + timedelta(minutes=desk.cfg.written_report_minutes["III"] + 25)
    assert stored.delay_reason == "现场通信中断，核实伤亡耗时"
    assert "迟报25分钟（迟报原因：现场通信中断，核实伤亡耗时）" in view.report_line(stored, desk.cfg)
    # a later recipient does not change when the report went, nor ask again
    service.send(desk, report.id, "市应急管理局", "传真")
    assert UrgentReport.get_by_id(report.id).late_minutes == 25


def test_a_sending_recorded_late_but_sent_in_time_is_not_late(desk, make_desk, fixed_clock):
    item = _open(desk)
    report = service.draft(desk, item.id)
    service.approve(make_desk("leader"), report.id)
    _later(fixed_clock, 300)
    service.send(desk, report.id, "省政府总值班室", "专网", at="11:30")
    stored = UrgentReport.get_by_id(report.id)
    assert stored.late_minutes == 0 and stored.delay_reason == ""
    assert view.late_text(stored) == "按时"


def test_a_final_report_has_no_limit_and_closes_the_item(desk, make_desk, fixed_clock):
    leader = make_desk("leader")
    item = _open(desk)
    _sent_first_report(desk, leader, item)
    final = service.draft(desk, item.id, "final")
    assert final.text.splitlines()[0].endswith("（终报）")
    service.approve(leader, final.id)
    service.send(desk, final.id, "省政府总值班室", "专网")
    service.send(desk, final.id, "市应急管理局", "传真")  # a closed item's final report still goes to all
    assert urgent.get_record("urgent", item.id).state == "closed"
    assert UrgentReport.get_by_id(final.id).late_minutes is None
    fails(desk, Refused, "urgent.closed", facts.update_facts, item.id, {"casualties": "无"})


def test_facts_refuse_unknown_fields_and_an_occurrence_after_receipt(desk, fixed_clock):
    item = _open(desk)
    fails(desk, InvalidInput, "report.fact_unknown", facts.update_facts, item.id, {"weather": "晴"})
    fails(desk, InvalidInput, "urgent.occurred_after_received", facts.update_facts, item.id,
          {"occurred_at": "10:03"})
    assert facts.update_facts(desk, item.id, {"occurred_at": "09:40"}) == ["occurred_at"]
    assert facts.update_facts(desk, item.id, {"occurred_at": "09:40"}) == []


def test_the_audit_trail_tells_every_fact_report_and_sending_and_verify_finds_a_changed_one(
        desk, make_desk, fixed_clock):
    leader = make_desk("leader")
    item = _open(desk)
    report = _sent_first_report(desk, leader, item)
    service.send(desk, report.id, "市应急管理局", "传真")
    facts.update_facts(desk, item.id, {"casualties": "3人受伤"})
    service.confirm(desk, 2, "刘洋")
    assert verify_store(desk.db).intact
    ReportSending.update(recipient="别的单位").where(ReportSending.id == 2).execute()
    problems = verify_store(desk.db).as_dict()["problems"]
    assert [(p["code"], p["place"]) for p in problems] == [("record", "urgent_report #1 report_sending")]
    UrgentFact.update(value="1人轻伤").where(UrgentFact.value == "2人轻伤").execute()
    places = [p["place"] for p in verify_store(desk.db).as_dict()["problems"]]
    assert "urgent #1 urgent_fact" in places


def test_report_show_forms(desk, make_desk, fixed_clock):
    item = _open(desk)
    report = _sent_first_report(desk, make_desk("leader"), item)
    assert view.render(report, "txt", desk.cfg) == report.text + "\n"
    md = view.render(report, "md", desk.cfg)
    assert md.startswith("# 首报（#1）") and "| 省政府总值班室 | 专网 |" in md and report.text in md
    data = json.loads(view.render(report, "json", desk.cfg))
    assert data["state"] == "sent" and data["sendings"][0]["recipient"] == "省政府总值班室"
    assert data["text"] == report.text


@pytest.mark.parametrize("kind", templates.REPORT_KINDS)
def test_each_default_template_has_every_element_of_a_written_report(kind, desk):
    text = templates.template_text(kind, desk.cfg)[0]
    for element in ("title", "office", "reported_at", "occurred_at", "place", "summary", "casualties", "cause",
                    "measures", "next_steps", "in_charge", "approver", "contact", "phone"):
        assert f"${{{element}}}" in text, (kind, element)


def test_the_markdown_names_the_signer_once(desk, fixed_clock):
    item = _open(desk)
    report = service.draft(desk, item.id)
    service.approve(desk, report.id, leader="王军")
    md = view.render(UrgentReport.get_by_id(report.id), "md", desk.cfg)
    assert "- 签发：王军 11-24 10:00（电话签发，李明登记）" in md.splitlines() and "签发：签发" not in md


def test_a_sending_recorded_by_mistake_is_voided_and_the_last_one_takes_the_report_off_the_timeline(
        desk, make_desk, fixed_clock):
    item = _open(desk)
    report = _sent_first_report(desk, make_desk("leader"), item)
    wrong = service.send(desk, report.id, "区应急管理局", "传真")
    fails(desk, Refused, "report.event_of_report", urgent.void_event, report.event, "发错了")
    service.void_sending(desk, wrong.id, "发错对象")
    assert "区应急管理局" not in view.report_line(UrgentReport.get_by_id(report.id), desk.cfg)
    assert UrgentReport.get_by_id(report.id).sent_at is not None  # it still went to 省政府总值班室
    first = service.sendings(report.id)[0]
    fails(desk, Refused, "void.already", service.void_sending, wrong.id, "再次")
    service.void_sending(desk, first.id, "专网未发出")
    stored = UrgentReport.get_by_id(report.id)
    assert (service.state_of(stored), stored.sent_at, stored.event) == ("approved", None, None)
    assert [e.voided_at is not None for e in urgent.timeline(item.id) if e.kind == "first_report"] == [True]
    assert urgent.get_record("urgent", item.id).next_due_kind == "phone_report"
    service.send(desk, report.id, "省政府总值班室", "专网")  # sent again: on the timeline again
    assert UrgentReport.get_by_id(report.id).event is not None
    assert verify_store(desk.db).intact
