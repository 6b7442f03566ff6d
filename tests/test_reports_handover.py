"""Reports upward on the handover sheet: who signed off and when, when each
went, whether it was late and why, to whom — frozen with the sheet."""

from __future__ import annotations

from datetime import timedelta

from duty_desk.core import clock
from duty_desk.core.handover import build_sheet, render_markdown, render_text
from duty_desk.core.handover.flow import hand_over
from duty_desk.core.handover.sheet import Sheet
from duty_desk.core.models import Handover
from duty_desk.core.reports import facts, service
from duty_desk.core.services import urgent
from duty_desk.core.services.common import current_shift


def test_a_late_report_and_its_reason_are_on_the_handover_sheet(desk, make_desk, fixed_clock):
    item = urgent.open_urgent(desk, "城西区暴雨致一处老旧民房倒塌", "自然灾害", "III", casualties="2人轻伤")
    first = service.draft(desk, item.id)
    clock.set_now(fixed_clock + timedelta(minutes=25))
    service.approve(desk, first.id, leader="王军", at="10:20")
    clock.set_now(fixed_clock + timedelta(minutes=135))  # the written report was due at 12:00
    service.send(desk, first.id, "省政府总值班室", "专网", delay_reason="伤亡人数反复核实")
    service.send(desk, first.id, "市应急管理局", "传真")
    facts.update_facts(desk, item.id, {"casualties": "3人受伤，其中1人重伤"})
    service.draft(desk, item.id)  # a 续报一 drafted, not signed yet
    shift = current_shift(desk)
    text = render_text(build_sheet(desk, shift))
    flat = "".join(line.strip() for line in text.splitlines())  # the sheet wraps long lines
    assert ("报送：首报 已发出 11-24 12:15 · 签发：王军 11-24 10:20（电话签发，李明登记） · "
            "迟报15分钟（迟报原因：伤亡人数反复核实） · 发送：省政府总值班室（专网）、市应急管理局（传真）") in flat
    # the timeline names the report by its title line, not its whole text again
    assert "〔专网〕城西区暴雨致一处老旧民房倒塌（首报）" in flat and "报告单位" not in text
    # the 续报 drafted, not signed: when it is due (four hours after the 首报 went, for a III)
    assert "报送：续报一 草稿 · 时限 11-24 16:15" in flat
    assert "伤亡人数反复核实" in render_markdown(build_sheet(desk, shift))
    # handed over, the sheet keeps it as it was
    handover = hand_over(desk, notes="")
    frozen = Sheet.from_dict(Handover.get_by_id(handover.id).sheet)
    assert frozen.urgent[0].reports[0].late_minutes == 15
    assert frozen.urgent[0].reports[0].delay_reason == "伤亡人数反复核实"


def test_the_timeline_names_a_sent_report_by_its_title_and_shows_an_unsent_one_last(desk, make_desk, fixed_clock):
    from duty_desk.core.detail import load_detail

    item = urgent.open_urgent(desk, "城西区暴雨致一处老旧民房倒塌", "自然灾害", "III")
    first = service.draft(desk, item.id)
    service.approve(make_desk("leader"), first.id)
    service.send(desk, first.id, "省政府总值班室", "专网")
    service.draft(desk, item.id)
    rows = load_detail(desk, "urgent", item.id).timeline
    sent, unsent = rows[-2], rows[-1]
    assert sent[1] == "首报" and sent[3] == "省政府总值班室"
    title, line = sent[5].split("\n")
    assert title == "城西区暴雨致一处老旧民房倒塌（首报）"
    assert line.startswith("首报 · 已发出 11-24 10:00 · 签发：王军 11-24 10:00 · 按时 · 发送：省政府总值班室（专网）")
    assert unsent[1] == "续报一" and unsent[5] == "续报一 · 草稿 · 时限 11-24 14:00"


def test_show_urgent_tells_each_report_its_sign_off_lateness_and_recipients(db_path, config_file, monkeypatch,
                                                                            capsys, make_desk, fixed_clock):
    import json

    from duty_desk import cli

    desk, leader = make_desk("tester"), make_desk("leader")
    item = urgent.open_urgent(desk, "城西区暴雨致一处老旧民房倒塌", "自然灾害", "III")
    first = service.draft(desk, item.id)
    service.approve(leader, first.id)
    clock.set_now(fixed_clock + timedelta(minutes=130))
    service.send(desk, first.id, "省政府总值班室", "专网", delay_reason="等待伤亡核实")
    monkeypatch.setattr("duty_desk.core.identity.current_login", lambda *a, **k: "tester")
    assert cli.main(["--config", str(config_file), "--db", str(db_path), "show", "urgent"]) == 0
    out = capsys.readouterr().out
    assert f"#{item.id} 报送：首报 · 已发出 11-24 12:10 · 签发：王军 11-24 10:00 · 迟报10分钟（迟报原因：等待伤亡核实）" in out
    assert cli.main(["--config", str(config_file), "--db", str(db_path), "show", "urgent", "--json"]) == 0
    record = json.loads(capsys.readouterr().out.splitlines()[0])
    assert record["reports"][0]["late_minutes"] == 10 and record["reports"][0]["delay_reason"] == "等待伤亡核实"


def test_the_demo_reports_through_sign_off_and_one_past_report_was_late_on_its_sheet(make_desk, fixed_clock):
    from duty_desk.core.contacts.demo import fill_demo_contacts
    from duty_desk.core.demo import fill_demo_day, fill_demo_history, fill_demo_roster
    from duty_desk.core.models import UrgentItem, UrgentReport

    desk = make_desk("tester")
    fill_demo_roster(desk)
    fill_demo_contacts(desk)
    fill_demo_history(desk, days=23)  # the 23rd day back holds the one that went late
    fill_demo_day(desk)
    past = UrgentItem.select().where(UrgentItem.level == "IV")
    assert past.count() == 2 and all(u.state == "closed" for u in past)  # each closed by its 终报
    today = UrgentItem.get(UrgentItem.level == "III")
    first, followup = service.reports_of(today.id)
    assert (first.kind, first.approval_means, followup.kind, followup.approval_means) == (
        "first_report", "desk", "followup", "phone")
    assert [(s.recipient, s.means) for s in service.sendings(first.id)] == [("省政府总值班室", "专网"),
                                                                            ("市应急管理局", "传真")]
    late = UrgentReport.get(UrgentReport.late_minutes > 0)
    assert late.delay_reason == "现场通信中断，伤亡情况核实耗时"
    sheets = [Sheet.from_dict(h.sheet) for h in Handover.select()]
    on_sheet = [r for s in sheets for u in s.urgent for r in u.reports if r.id == late.id]
    assert on_sheet and on_sheet[0].late_minutes == late.late_minutes
    assert "迟报" in render_text(next(s for s in sheets if any(r.id == late.id for u in s.urgent
                                                             for r in u.reports)))


def test_urgent_open_takes_the_facts_a_report_names(db_path, config_file, monkeypatch, capsys, fixed_clock):
    from duty_desk import cli
    from duty_desk.core.models import UrgentItem

    monkeypatch.setattr("duty_desk.core.identity.current_login", lambda *a, **k: "tester")
    status = cli.main(["--config", str(config_file), "--db", str(db_path), "urgent", "open", "城东路段山体滑坡",
                       "--type", "自然灾害", "--level", "II", "--summary", "山体滑坡致两车受困",
                       "--cause", "连日降雨", "--next-steps", "组织救援", "--reliability", "已电话核实"])
    assert status == 0, capsys.readouterr()
    item = UrgentItem.get()
    assert (item.summary, item.cause, item.next_steps, item.reliability) == (
        "山体滑坡致两车受困", "连日降雨", "组织救援", "已电话核实")
    assert set(facts.history(item.id)) == {"summary", "cause", "next_steps", "reliability"}
