"""交接班: the sheet's content, hand-over, read-back, acceptance, ownership and
locking, against a real SQLite file with the clock fixed."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from conftest import T0

from duty_desk.core import audit, clock, openitems
from duty_desk.core.demo import fill_demo_day
from duty_desk.core.errors import Refused
from duty_desk.core.handover import (
    Sheet,
    build_sheet,
    render_json,
    render_markdown,
    render_text,
    sheet_of,
)
from duty_desk.core.handover import flow as ho
from duty_desk.core.kinds import live
from duty_desk.core.models import AuditEvent, Document, Handover, HandoverItem, LogEntry, Shift
from duty_desk.core.services import documents, log
from duty_desk.core.services.common import current_shift, void_record
from duty_desk.core.services.ownership import transfer_ownership


@pytest.fixture
def demo(desk):
    """The demo day recorded by 李明 (login tester) up to 10:00."""
    fill_demo_day(desk)
    return current_shift(desk)


@pytest.fixture
def incoming(make_desk, fixed_clock):
    return make_desk("incoming")


def at(minutes: int) -> None:
    clock.set_now(T0 + timedelta(minutes=minutes))


def read_back_all(desk, handover, restate: dict[int, str] | None = None) -> None:
    for item in ho.items_of(handover.id):
        ho.read_back(desk, item.id, (restate or {}).get(item.id))


# --- the sheet's content ---------------------------------------------------------


def test_demo_day_sheet_carries_every_open_item_with_owner_and_next_action(desk, demo):
    sheet = build_sheet(desk, demo)
    expected = {(i.record_kind, i.id) for i in openitems.list_open(desk)}
    carried = {(c.record_kind, c.record_id) for c in sheet.carried if c.kind != "custody"}
    assert carried == expected and len(expected) == 7
    assert {c.kind for c in sheet.carried} >= {"call", "visitor", "document", "urgent"}
    assert all(c.owner == "tester" and c.owner_name == "李明" and c.next_action for c in sheet.carried)


def test_demo_day_sheet_counts_each_category_of_the_shift(desk, demo):
    sheet = build_sheet(desk, demo)
    assert sheet.log_counts == {"来电": 3, "来文": 0, "来访": 0, "交办": 1, "事件": 0, "记事": 1, "零报告": 0}
    assert sheet.record_counts == {"visitor": 2, "document": 3, "urgent": 1}
    assert (sheet.zero_report, sheet.day_has_items) == (False, True)
    assert sheet.outgoing == ["李明"] and sheet.leaders == ["王军"] and sheet.office


def test_voided_records_are_not_counted_on_the_sheet(desk, demo):
    note = LogEntry.get(LogEntry.category == "记事")
    void_record(desk, "log", note.id, "重复登记")
    assert build_sheet(desk, demo).log_counts["记事"] == 0


def test_classified_document_is_listed_with_register_data_and_custody_only(desk, demo):
    secret = Document.get(Document.classification == "机密")
    documents.advance_document(desk, secret.id, "circulate", party="办公室主任 赵强")
    sheet = build_sheet(desk, demo)
    (line,) = sheet.custody
    assert (line.serial, line.classification, line.copy_number, line.sender, line.doc_number, line.custody) == (
        secret.serial, "机密", "000123", "市委办公室", "市委办〔2026〕12号", "办公室主任 赵强")
    assert not {"title", "summary", "proposal", "reply", "attachments"} & set(json.loads(render_json(sheet))["custody"][0])
    (item,) = [c for c in sheet.carried if (c.record_kind, c.record_id) == ("document", secret.id)]
    assert item.title == f"{secret.serial} 机密件 市委办〔2026〕12号"
    for text in (render_text(sheet), render_markdown(sheet)):
        assert "000123" in text and "赵强" in text


def test_classified_copy_closed_but_not_filed_is_carried_over_for_custody(desk, demo):
    secret = Document.get(Document.classification == "机密")
    documents.advance_document(desk, secret.id, "close")
    sheet = build_sheet(desk, demo)
    (custody,) = [c for c in sheet.carried if c.kind == "custody"]
    assert custody.record_id == secret.id and "李明" in custody.next_action and "归档" in custody.next_action


def test_urgent_item_shows_its_timeline_state_and_next_report(desk, demo):
    (u,) = build_sheet(desk, demo).urgent
    # T0 is in November: the demo day is a winter one.
    assert u.title == "城西区一居民楼燃气泄漏引发火情" and u.state == "open" and u.level == "III"
    assert [e.kind for e in u.timeline] == ["leader_informed", "phone_report", "first_report", "followup"]
    assert u.next_due_kind == "followup" and u.next_due_at is not None
    text = render_text(build_sheet(desk, demo))
    assert "续报一" in text and "报告领导" in text and "下次报告：续报" in text


def test_an_empty_shift_says_the_zero_report_is_missing_until_it_is_made(desk):
    shift = current_shift(desk)
    assert "未报" in render_text(build_sheet(desk, shift))
    log.record_zero_report(desk)
    sheet = build_sheet(desk, shift)
    assert sheet.zero_report and "已报零报告" in render_text(sheet)


def test_sheet_survives_the_round_trip_through_json(desk, demo):
    sheet = build_sheet(desk, demo, notes="夜间注意雨情")
    assert Sheet.from_dict(json.loads(render_json(sheet))) == sheet


def test_looking_at_the_sheet_of_an_unused_shift_writes_nothing(desk):
    before = audit.head()
    sheet = ho.sheet_for(desk)
    assert sheet.shift_id is None and sheet.carried == [] and audit.head() == before
    assert not Shift.select().exists()


# --- hand-over ---------------------------------------------------------------------


def test_hand_over_freezes_the_sheet_lists_items_and_marks_the_shift(desk, demo):
    handover = ho.hand_over(desk, "城西区危房排查结果待续报，请关注。")
    shift = Shift.get_by_id(demo.id)
    assert shift.state == "handed_over" and handover.outgoing == "tester"
    items = ho.items_of(handover.id)
    sheet = sheet_of(desk, shift)
    assert [i.id for i in items] == [c.item_id for c in sheet.carried]
    assert all(i.owner == "tester" and i.next_action and i.readback is None for i in items)
    assert sheet.notes == "城西区危房排查结果待续报，请关注。" and sheet.state == "handed_over"
    assert sheet.handed_over_by == "李明" and sheet.handed_over_at is not None
    assert [e.action for e in audit.history("shift", shift.id)][-1] == "hand_over"


def test_sheet_digest_is_the_audit_head_that_audit_verify_shows(desk, demo):
    handover = ho.hand_over(desk)
    verdict = audit.verify()
    assert verdict.intact and handover.audit_head == verdict.head
    sheet = sheet_of(desk, demo)
    assert sheet.audit_head == verdict.head and sheet.audit_count == verdict.count
    assert audit.short_digest(verdict.head) in render_text(sheet)


def test_records_made_after_hand_over_go_to_the_next_shift_and_leave_the_frozen_sheet_alone(desk, demo, incoming):
    ho.hand_over(desk)
    frozen = Handover.get(Handover.shift == demo.id).sheet
    at(1)
    # By the incoming officer: the one who handed over is off duty (test_handover_two_officers).
    entry = log.record_entry(incoming, "市气象台来电：暴雨黄色预警解除。", "来电")
    assert entry.__data__["shift"] != demo.id
    assert sheet_of(desk, Shift.get_by_id(demo.id)).to_dict() == frozen


def test_a_shift_cannot_be_handed_over_twice(desk, demo):
    ho.hand_over(desk)
    with pytest.raises(Refused) as err:
        ho.hand_over(desk, shift_id=demo.id)
    assert "不能重复交班" in err.value.message and "李明" in err.value.message
    assert AuditEvent.select().where(AuditEvent.outcome == "failure").count() == 1


def test_only_an_officer_of_the_shift_can_hand_it_over(desk, demo, incoming):
    with pytest.raises(Refused) as err:
        ho.hand_over(incoming)
    assert "陈静 不是 2026-11-24 全天班 的值班员" in err.value.message
    assert Shift.get_by_id(demo.id).state == "open"


def test_late_hand_over_hands_over_the_officers_own_shift(desk, demo):
    at(24 * 60)  # the next duty day has begun
    handover = ho.hand_over(desk)
    assert handover.shift.id == demo.id


# --- read-back and acceptance ------------------------------------------------------------


def test_acceptance_is_refused_until_every_item_is_read_back(desk, demo, incoming):
    handover = ho.hand_over(desk)
    items = ho.items_of(handover.id)
    at(5)
    for item in items[:-1]:
        ho.read_back(incoming, item.id)
    with pytest.raises(Refused) as err:
        ho.accept(incoming, handover.id)
    assert "1 项未由本人复述" in err.value.message and f"#{items[-1].id}" in err.value.message
    assert Shift.get_by_id(demo.id).state == "handed_over"
    ho.read_back(incoming, items[-1].id, "请城管局值班室回电后登记结果")
    accepted = ho.accept(incoming, handover.id)
    assert accepted.accepted_by == "incoming" and accepted.accepted_at == T0 + timedelta(minutes=5)
    assert Shift.get_by_id(demo.id).state == "accepted"


def test_read_back_confirms_or_restates_the_next_action_and_is_audited(desk, demo, incoming):
    handover = ho.hand_over(desk)
    first, second = ho.items_of(handover.id)[:2]
    confirmed = ho.read_back(incoming, first.id)
    restated = ho.read_back(incoming, second.id, "先电话催问城管局，再回复东城街道")
    assert confirmed.readback == first.next_action and confirmed.read_back_by == "incoming"
    assert restated.readback == "先电话催问城管局，再回复东城街道"
    events = [e for e in audit.history("handover", handover.id) if e.action == "read_back"]
    assert [json.loads(e.new)["restated"] for e in events] == [False, True]
    text = render_text(sheet_of(desk, demo))
    assert "确认" in text and "改述" in text and "先电话催问城管局" in text


def test_the_outgoing_officer_cannot_read_back_or_accept_their_own_handover(desk, demo):
    handover = ho.hand_over(desk)
    with pytest.raises(Refused) as err:
        ho.read_back(desk, ho.items_of(handover.id)[0].id)
    assert "不能自己接班" in err.value.message
    with pytest.raises(Refused):
        ho.accept(desk, handover.id)


def test_a_leader_on_duty_cannot_take_over_the_shift(desk, demo, make_desk):
    handover = ho.hand_over(desk)
    leader = make_desk("leader")
    with pytest.raises(Refused) as err:
        ho.read_back(leader, ho.items_of(handover.id)[0].id)
    assert "带班领导" in err.value.message


def test_a_shift_cannot_be_taken_over_twice(desk, demo, incoming):
    handover = ho.hand_over(desk)
    read_back_all(incoming, handover)
    ho.accept(incoming, handover.id)
    with pytest.raises(Refused) as err:
        ho.accept(incoming, handover.id)
    assert "不能重复接班" in err.value.message and "陈静" in err.value.message
    with pytest.raises(Refused):
        ho.read_back(incoming, ho.items_of(handover.id)[0].id, "再复述一次")


def test_a_shift_cannot_be_taken_over_before_the_previous_one(desk, incoming):
    first_call = log.record_entry(desk, "东城街道来电反映积水，需回复。", "来电", needs_action=True)
    first = ho.hand_over(desk)
    at(24 * 60)  # the next duty day: 李明 sits it too and hands it over
    log.record_entry(desk, "接班，设备正常。")
    second = ho.hand_over(desk)
    assert ho.pending_handover(incoming).id == first.id
    read_back_all(incoming, second)
    with pytest.raises(Refused) as err:
        ho.accept(incoming, second.id)
    assert "上一班次 2026-11-24 全天班 尚未完成交接" in err.value.message
    read_back_all(incoming, first)
    ho.accept(incoming, first.id)
    ho.accept(incoming, second.id)
    assert LogEntry.get_by_id(first_call.id).owner == "incoming"


def test_acceptance_passes_the_outgoing_officers_open_items_to_the_incoming_one(desk, demo, incoming):
    call = LogEntry.get(LogEntry.needs_action & (LogEntry.category == "来电"))
    transfer_ownership(desk, "log", call.id, "leader", "王军副秘书长亲自督办")
    handover = ho.hand_over(desk)
    read_back_all(incoming, handover)
    ho.accept(incoming, handover.id)
    owners = {(i.record_kind, i.id): i.owner for i in openitems.list_open(incoming)}
    assert owners.pop(("log", call.id)) == "leader"
    assert set(owners.values()) == {"incoming"} and len(owners) == 6
    moved = AuditEvent.select().where((AuditEvent.action == "handover") & (AuditEvent.outcome == "success"))
    assert moved.count() == 6 == len(ho.moved_items(Handover.get_by_id(handover.id)))
    assert ("log", call.id) not in ho.moved_items(Handover.get_by_id(handover.id))
    urgent_id = next(record_id for kind, record_id in owners if kind == "urgent")
    event = audit.history("urgent", urgent_id)[-1]
    assert (event.action, event.actor, json.loads(event.old)) == ("handover", "incoming", {"owner": "tester"})


def test_accepted_sheet_names_the_incoming_officer_and_when(desk, demo, incoming):
    handover = ho.hand_over(desk)
    at(7)
    read_back_all(incoming, handover)
    ho.accept(incoming, handover.id)
    sheet = sheet_of(desk, Shift.get_by_id(demo.id))
    assert sheet.state == "accepted" and sheet.incoming == "陈静"
    assert "陈静（2026-11-24 10:07 接班）" in render_text(sheet)
    assert ho.pending_handover(incoming) is None


# --- locking and amendments -----------------------------------------------------------------


def test_editing_a_record_of_the_accepted_shift_writes_a_marked_amendment(desk, demo, incoming):
    call = LogEntry.get(LogEntry.needs_action & (LogEntry.category == "来电"))
    original_content = call.content
    handover = ho.hand_over(desk)
    read_back_all(incoming, handover)
    ho.accept(incoming, handover.id)
    at(20)
    amendment = log.correct_entry(incoming, call.id, "补记来电人职务", content=original_content + "（来电人：孙立科长）")
    assert amendment.id != call.id and amendment.amends_id == call.id
    assert LogEntry.get_by_id(call.id).content == original_content
    assert [e.action for e in audit.history("log", amendment.id)] == ["amend"]
    assert [e.id for e in LogEntry.select().where(live(LogEntry) & (LogEntry.id.in_([call.id, amendment.id])))] == [
        amendment.id]
    # The next handover lists it, beside the original it amends.
    (line,) = ho.sheet_for(incoming).amendments
    assert (line.kind, line.record_id, line.amends, line.by, line.reason) == (
        "log", amendment.id, call.id, "陈静", "补记来电人职务")
    assert line.changes == [["content", original_content, original_content + "（来电人：孙立科长）"]]


def test_correcting_an_amended_original_amends_the_amendment_so_one_version_stays_live(desk, demo, incoming):
    note = LogEntry.get(LogEntry.category == "记事")
    handover = ho.hand_over(desk)
    read_back_all(incoming, handover)
    ho.accept(incoming, handover.id)
    first = log.correct_entry(incoming, note.id, "措辞", content="接班。检查值班电话、传真正常。")
    # The amendment lies in the incoming officer's own open shift: corrected in place.
    second = log.correct_entry(incoming, note.id, "再改", content="接班。检查值班电话、传真、系统正常。")
    assert second.id == first.id
    live_ids = [e.id for e in LogEntry.select().where(live(LogEntry) & (LogEntry.category == "记事"))]
    assert live_ids == [first.id]


def test_an_amendment_that_changes_nothing_is_refused(desk, demo, incoming):
    note = LogEntry.get(LogEntry.category == "记事")
    handover = ho.hand_over(desk)
    read_back_all(incoming, handover)
    ho.accept(incoming, handover.id)
    with pytest.raises(Exception) as err:
        log.correct_entry(incoming, note.id, "核对", content=note.content)
    assert "没有需要更正的内容" in str(err.value)
    assert not LogEntry.select().where(LogEntry.amends.is_null(False)).exists()


def test_records_of_a_shift_handed_over_but_not_yet_accepted_are_amended_so_the_frozen_sheet_still_matches(
        desk, demo):
    note = LogEntry.get(LogEntry.category == "记事")
    original = note.content
    ho.hand_over(desk)
    corrected = log.correct_entry(desk, note.id, "笔误", content="接班。设备运行正常。")
    assert corrected.id != note.id and corrected.amends_id == note.id
    assert LogEntry.get_by_id(note.id).content == original


def test_voiding_an_amendment_makes_the_original_live_again(desk, demo, incoming):
    note = LogEntry.get(LogEntry.category == "记事")
    handover = ho.hand_over(desk)
    read_back_all(incoming, handover)
    ho.accept(incoming, handover.id)
    amendment = log.correct_entry(incoming, note.id, "措辞", content="接班。")
    void_record(incoming, "log", amendment.id, "更正有误")
    assert LogEntry.select().where(live(LogEntry) & (LogEntry.category == "记事")).get().id == note.id


def test_handover_items_record_kind_owner_and_next_action_per_item(desk, demo):
    handover = ho.hand_over(desk)
    rows = {(i.item_kind, i.item_id): i for i in HandoverItem.select().where(HandoverItem.handover == handover.id)}
    for item in openitems.list_open(desk):
        row = rows[(item.record_kind, item.id)]
        assert (row.open_kind, row.owner, row.next_action) == (item.kind, item.owner, item.next_action)


def test_an_amendment_is_listed_on_the_next_handover_only(desk, demo, incoming):
    note = LogEntry.get(LogEntry.category == "记事")
    first = ho.hand_over(desk)
    read_back_all(incoming, first)
    ho.accept(incoming, first.id)
    at(10)
    amendment = log.correct_entry(incoming, note.id, "补记", content="接班。检查值班电话、传真、系统正常。")
    at(20)
    second = ho.hand_over(incoming, "请继续关注城西区续报")
    assert second.shift.id == amendment.__data__["shift"] != demo.id
    assert [a.record_id for a in sheet_of(incoming, second.shift).amendments] == [amendment.id]
    read_back_all(desk, second)
    ho.accept(desk, second.id)
    assert ho.sheet_for(desk).amendments == []
