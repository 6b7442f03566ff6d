"""Every deadline rule, with the clock moved by hand (no sleeps)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import OFFICERS_TOML, T0

from duty_desk.core import audit, clock
from duty_desk.core.config import load_config
from duty_desk.core.deadlines import TimelineFact, urgent_dues
from duty_desk.core.models import Document, Instruction, LogEntry, UrgentItem
from duty_desk.core.openitems import list_open
from duty_desk.core.services import documents, log, urgent
from duty_desk.core.services.instructions import record_instruction

MIN = timedelta(minutes=1)
HOUR = timedelta(hours=1)


def _dues(item_id: int, cfg) -> dict[str, object]:
    item = UrgentItem.get_by_id(item_id)
    facts = [TimelineFact(e.kind, e.at) for e in urgent.timeline(item_id)]
    return {d.kind: d.at for d in urgent_dues(item.level, item.received_at, facts, cfg)}


@pytest.mark.parametrize(("level", "phone", "written", "followup"), [
    ("I", 30, 60, 120), ("II", 30, 60, 120), ("III", 60, 120, 240), ("IV", 120, 240, 480),
])
def test_urgent_item_of_each_level_is_due_by_phone_then_in_writing_as_configured(desk, level, phone, written,
                                                                                  followup):
    item = urgent.open_urgent(desk, "城西区暴雨致民房倒塌", "自然灾害", level)
    assert (item.next_due_kind, item.next_due_at) == ("phone_report", T0 + phone * MIN)
    assert _dues(item.id, desk.cfg) == {"phone_report": T0 + phone * MIN, "first_report": T0 + written * MIN,
                                        "daily": T0 + 24 * HOUR}

    clock.set_now(T0 + 5 * MIN)
    urgent.record_phone_report(desk, item.id, party="省政府总值班室")
    item = UrgentItem.get_by_id(item.id)
    assert (item.next_due_kind, item.next_due_at) == ("first_report", T0 + written * MIN)

    clock.set_now(T0 + 20 * MIN)
    urgent.add_event(desk, item.id, "first_report", text="首报：2人轻伤，已送医。")
    item = UrgentItem.get_by_id(item.id)
    assert (item.next_due_kind, item.next_due_at) == ("followup", T0 + 20 * MIN + followup * MIN)


def test_a_follow_up_resets_the_next_due_follow_up(desk):
    item = urgent.open_urgent(desk, "化工园区泄漏", "事故灾难", "II")
    urgent.record_phone_report(desk, item.id)
    urgent.add_event(desk, item.id, "first_report", text="首报")
    clock.set_now(T0 + 90 * MIN)
    urgent.add_event(desk, item.id, "followup", text="续报一：泄漏已控制。")
    item = UrgentItem.get_by_id(item.id)
    assert (item.next_due_kind, item.next_due_at) == ("followup", T0 + 90 * MIN + 120 * MIN)
    clock.set_now(T0 + 200 * MIN)
    event = urgent.add_event(desk, item.id, "followup", text="续报二：周边群众已返回。")
    assert event.seq == 2
    assert UrgentItem.get_by_id(item.id).next_due_at == T0 + 200 * MIN + 120 * MIN


def test_an_event_open_past_a_day_needs_a_daily_report_then_one_each_day(desk):
    item = urgent.open_urgent(desk, "山体滑坡阻断省道", "自然灾害", "IV")  # follow-ups every 8 hours
    urgent.record_phone_report(desk, item.id)
    urgent.add_event(desk, item.id, "first_report", text="首报")
    for hours in (8, 17):
        clock.set_now(T0 + hours * HOUR)
        urgent.add_event(desk, item.id, "followup", text=f"续报：第{hours}小时")
    item = UrgentItem.get_by_id(item.id)
    assert (item.next_due_kind, item.next_due_at) == ("daily", T0 + 24 * HOUR)

    clock.set_now(T0 + 24 * HOUR + 5 * MIN)
    urgent.add_event(desk, item.id, "daily", text="日报：抢通工作进行中。")
    dues = _dues(item.id, desk.cfg)
    assert dues["daily"] == T0 + 48 * HOUR + 5 * MIN
    assert dues["followup"] == T0 + 24 * HOUR + 5 * MIN + 8 * HOUR


def test_the_final_report_closes_the_urgent_item_and_nothing_more_is_due(desk):
    item = urgent.open_urgent(desk, "城西区暴雨致民房倒塌", "自然灾害", "III")
    urgent.record_phone_report(desk, item.id)
    urgent.add_event(desk, item.id, "first_report", text="首报")
    clock.set_now(T0 + 3 * HOUR)
    urgent.add_event(desk, item.id, "final", text="终报：处置完毕。")
    item = UrgentItem.get_by_id(item.id)
    assert item.state == "closed" and item.closed_at == T0 + 3 * HOUR
    assert (item.next_due_kind, item.next_due_at) == (None, None)
    assert [i.id for i in list_open(desk, kinds="urgent")] == []


@pytest.mark.parametrize(("urgency", "hours"), [("特提", 2), ("特急", 8), ("加急", 24), ("平急", 48), ("", 120)])
def test_a_documents_deadline_follows_its_urgency(desk, urgency, hours):
    doc = documents.receive_document(desk, "省政府办公厅", title="关于做好防汛工作的通知", urgency=urgency)
    assert doc.deadline == T0 + hours * HOUR and not doc.deadline_explicit
    [item] = list_open(desk, kinds="document")
    assert item.due_at == T0 + hours * HOUR and item.due_kind == "deadline"


def test_a_call_needing_action_is_due_within_the_ordinary_limit_from_when_it_came(desk):
    entry = log.record_entry(desk, "东城街道来电反映井盖缺失", "来电", "09:40", needs_action=True)
    assert entry.due_at == T0 - 20 * MIN + 120 * MIN


def test_an_instruction_is_due_when_the_leader_said_or_within_the_ordinary_limit(desk):
    item = urgent.open_urgent(desk, "城西区暴雨致民房倒塌", "自然灾害", "III")
    plain = record_instruction(desk, "urgent", item.id, "王军", "全力救治伤员")
    dated = record_instruction(desk, "urgent", item.id, "王军", "今晚报送处置情况", due="2026-11-24 20:00")
    assert (plain.due_at, plain.due_explicit) == (T0 + 120 * MIN, False)
    assert (dated.due_at, dated.due_explicit) == (T0 + 10 * HOUR, True)  # 20:00 local is 12:00 UTC


@pytest.fixture
def tighter_config(tmp_path):
    path = tmp_path / "tighter.toml"
    path.write_text(OFFICERS_TOML + """
[deadlines]
ordinary_minutes = 30
phone_report_minutes = { I = 15, II = 15, III = 30, IV = 60 }
document_hours = { "特提" = 1, "特急" = 4, "加急" = 12, "平急" = 24, "" = 72 }
""", encoding="utf-8")
    return load_config(str(path))


def test_changing_the_config_moves_rule_made_due_times_of_open_items_on_next_start(desk, make_desk,
                                                                                    tighter_config):
    call = log.record_entry(desk, "市城管局来电，需回复", "来电", needs_action=True)
    done = log.record_entry(desk, "已办结的交办事项", "交办")
    log.record_result(desk, done.id, "已办结")
    ruled = documents.receive_document(desk, "市民政局", title="关于冬季救助的函", urgency="加急")
    fixed = documents.receive_document(desk, "市水务局", title="关于排涝的函", urgency="加急",
                                       deadline="2026-11-26 17:00")
    item = urgent.open_urgent(desk, "化工园区泄漏", "事故灾难", "II")
    ins = record_instruction(desk, "urgent", item.id, "王军", "及时续报")
    before_done = LogEntry.get_by_id(done.id).due_at

    make_desk("tester", config=tighter_config)  # the next start, with the new file

    assert LogEntry.get_by_id(call.id).due_at == T0 + 30 * MIN
    assert LogEntry.get_by_id(done.id).due_at == before_done  # closed: left alone
    assert Document.get_by_id(ruled.id).deadline == T0 + 12 * HOUR
    assert Document.get_by_id(fixed.id).deadline == fixed.deadline  # typed by a person: theirs
    assert UrgentItem.get_by_id(item.id).next_due_at == T0 + 15 * MIN
    assert Instruction.get_by_id(ins.id).due_at == T0 + 30 * MIN
    moved = [e for e in audit.history("log", call.id) if e.action == "recompute_due"]
    assert len(moved) == 1 and moved[0].actor == "system"
    assert audit.verify().intact

    events = audit.head()[0]
    make_desk("incoming", config=tighter_config)  # same config again: nothing moves, nothing audited
    assert audit.head()[0] == events
