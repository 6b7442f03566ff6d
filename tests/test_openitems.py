"""The open-items view: one list across kinds, its filters, ownership transfer,
chasing, a leader instruction's life, and paging with a long history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import T0

from duty_desk.core import audit, clock, kinds
from duty_desk.core.errors import InvalidInput, Refused
from duty_desk.core.models import Document, Instruction, LogEntry, UrgentItem, Visitor
from duty_desk.core.openitems import count_open, count_overdue, list_open, open_items_sql
from duty_desk.core.services import documents, log, urgent, visitors
from duty_desk.core.services.chasing import record_chase
from duty_desk.core.services.common import void_record
from duty_desk.core.services.instructions import answer_instruction, record_instruction
from duty_desk.core.services.ownership import transfer_ownership

MIN = timedelta(minutes=1)


@pytest.fixture
def scene(desk):
    """One open item of every kind, received at 10:00 (T0) unless said."""
    call = log.record_entry(desk, "东城街道来电反映井盖缺失，需回复处置结果", "来电", "09:00", needs_action=True,
                            counterpart_unit="东城街道办事处")
    visitor = visitors.register_visitor(desk, "钱秀英", unit="市水务局", purpose="沟通排涝联动")
    doc = documents.receive_document(desk, "省政府办公厅", title="关于防汛的特提通知", urgency="特提")
    secret = documents.receive_document(desk, "市委办公室", doc_number="市委办〔2026〕12号", classification="机密",
                                        copy_number="000123")
    item = urgent.open_urgent(desk, "城西区暴雨致民房倒塌", "自然灾害", "II")
    ins = record_instruction(desk, "urgent", item.id, "王军", "全力救治伤员", assignee="市卫健委",
                             due="2026-11-24 10:45")
    log.record_entry(desk, "接班，设备正常", "记事")  # not an open item
    return {"call": call, "visitor": visitor, "doc": doc, "secret": secret, "urgent": item, "ins": ins}


def test_every_kind_of_open_item_is_listed_with_owner_due_and_next_action_soonest_first(desk, scene):
    items = list_open(desk)
    assert [(i.kind, i.id) for i in items] == [
        ("urgent", scene["urgent"].id),  # phone report due 10:30
        ("instruction", scene["ins"].id),  # 10:45
        ("call", scene["call"].id),  # 09:00 + 2 h = 11:00
        ("document", scene["doc"].id),  # 特提: 12:00
        ("document", scene["secret"].id),  # no urgency: 5 days
        ("visitor", scene["visitor"].id),  # nothing due: last
    ]
    by_kind = {i.kind: i for i in items}
    assert all(i.owner == "tester" for i in items)
    assert by_kind["call"].due_at == T0 + 60 * MIN and by_kind["call"].next_action == "登记处理结果"
    assert by_kind["call"].age == timedelta(hours=1)
    assert by_kind["urgent"].due_kind == "phone_report" and by_kind["urgent"].next_action == "电话报告"
    assert by_kind["instruction"].title == "王军：全力救治伤员"
    assert (by_kind["instruction"].parent_kind, by_kind["instruction"].parent_id) == ("urgent", scene["urgent"].id)
    assert by_kind["visitor"].title == "钱秀英（市水务局）" and by_kind["visitor"].due_at is None
    secret = next(i for i in items if i.id == scene["secret"].id)
    assert "机密件 市委办〔2026〕12号" in secret.title  # register data only, no title
    assert not any(i.overdue for i in items)


def test_passing_due_times_makes_items_overdue_and_counts_them(desk, scene):
    assert count_overdue(desk) == 0
    clock.set_now(T0 + 70 * MIN)  # 11:10: phone report, instruction and call are late
    overdue = list_open(desk, overdue_only=True)
    assert [i.kind for i in overdue] == ["urgent", "instruction", "call"]
    assert all(i.overdue for i in overdue)
    assert count_overdue(desk) == 3 and count_open(desk) == 6


def test_both_counts_in_one_query_agree_with_each_count_at_every_moment(desk, scene):
    """`check` reads (open, overdue) at once; an item due exactly now is not yet overdue."""
    from duty_desk.core.openitems import counts

    dues = sorted({i.due_at for i in list_open(desk) if i.due_at})
    for now in [T0, *dues, *(d + MIN for d in dues)]:
        clock.set_now(now)
        assert counts(desk) == (count_open(desk), count_overdue(desk))
        assert counts(desk, owner="tester") == (count_open(desk, owner="tester"),
                                                count_open(desk, owner="tester", overdue_only=True))


def test_filters_by_kind_owner_and_overdue_combine(desk, scene):
    transfer_ownership(desk, "log", scene["call"].id, "incoming", "转夜班跟进")
    assert [i.kind for i in list_open(desk, kinds=["document"])] == ["document", "document"]
    assert [i.kind for i in list_open(desk, kinds="log")] == ["call"]  # "log" means calls
    assert [i.id for i in list_open(desk, owner="incoming")] == [scene["call"].id]
    assert count_open(desk, owner="tester") == 5
    clock.set_now(T0 + 70 * MIN)
    assert [i.kind for i in list_open(desk, owner="incoming", overdue_only=True)] == ["call"]
    assert list_open(desk, kinds="visitor", overdue_only=True) == []
    with pytest.raises(InvalidInput):
        list_open(desk, kinds="nothing")


def test_closed_and_voided_items_leave_the_list(desk, scene):
    log.record_result(desk, scene["call"].id, "市城管局已补装井盖")
    visitors.check_out(desk, scene["visitor"].id, "材料已转综合处")
    documents.advance_document(desk, scene["doc"].id, "close")
    void_record(desk, "document", scene["secret"].id, "重复登记")
    answer_instruction(desk, scene["ins"].id, "伤员已送医")
    assert [i.kind for i in list_open(desk)] == ["urgent"]


def test_ownership_transfer_needs_a_known_officer_and_a_reason_and_is_audited(desk, scene):
    call_id = scene["call"].id
    with pytest.raises(InvalidInput):
        transfer_ownership(desk, "log", call_id, "incoming", "  ")
    with pytest.raises(InvalidInput):
        transfer_ownership(desk, "log", call_id, "nobody", "换班")
    transfer_ownership(desk, "log", call_id, "incoming", "转夜班陈静跟进")
    [item] = list_open(desk, kinds="call")
    assert item.owner == "incoming"
    last = audit.history("log", call_id)[-1]
    assert (last.action, last.actor) == ("transfer", "tester")
    assert '"incoming"' in last.new and "转夜班陈静跟进" in last.new and '"tester"' in last.old
    failures = [e for e in audit.history("log", call_id) if e.outcome == "failure"]
    assert len(failures) == 2


def test_a_chase_is_recorded_on_the_item_with_its_count_and_last_answer(desk, scene):
    call_id = scene["call"].id
    record_chase(desk, "call", call_id, "市城管局值班室", means="电话", answer="已派人前往")
    clock.set_now(T0 + 30 * MIN)
    record_chase(desk, "log", call_id, "市城管局值班室", means="电话", answer="预计11时前补装")
    [item] = list_open(desk, kinds="call")
    assert item.chase_count == 2
    assert item.last_chase.at == T0 + 30 * MIN
    assert (item.last_chase.whom, item.last_chase.answer) == ("市城管局值班室", "预计11时前补装")
    chases = [e for e in audit.history("log", call_id) if e.action == "chase"]
    assert len(chases) == 2 and "预计11时前补装" in chases[-1].new


def test_chasing_a_document_is_one_of_its_steps_and_counts_either_way(desk, scene):
    doc_id = scene["doc"].id
    documents.advance_document(desk, doc_id, "assign", party="市防指办")
    documents.advance_document(desk, doc_id, "chase", party="市防指办", text="正在会商")
    record_chase(desk, "document", doc_id, "市防指办", means="电话", answer="今日报送")
    [item] = [i for i in list_open(desk, kinds="document") if i.id == doc_id]
    assert item.chase_count == 2 and item.last_chase.answer == "今日报送"
    assert [s.step for s in documents.steps_of(doc_id)].count("chase") == 2


def test_a_closed_item_cannot_be_chased(desk, scene):
    log.record_result(desk, scene["call"].id, "已处置")
    with pytest.raises(Refused):
        record_chase(desk, "log", scene["call"].id, "市城管局")
    note = LogEntry.get(LogEntry.category == "记事")
    with pytest.raises(Refused):
        record_chase(desk, "log", note.id, "某人")


def test_a_leader_instruction_stays_open_until_its_result_is_answered_back(desk, scene):
    item_id = scene["urgent"].id
    ins = record_instruction(desk, "urgent", item_id, "王军", "排查周边危房，及时续报", assignee="市住建局",
                             given_at="10:00")
    [row] = [i for i in list_open(desk, kinds="instruction") if i.id == ins.id]
    assert (row.owner, row.due_at, row.next_action) == ("tester", T0 + 120 * MIN, "落实批示并答复")
    assert Instruction.get_by_id(ins.id).assignee == "市住建局"
    record_chase(desk, "instruction", ins.id, "市住建局", answer="已派专家组")
    clock.set_now(T0 + 90 * MIN)
    answered = answer_instruction(desk, ins.id, "周边两处危房已排查，无新增险情")
    assert answered.answered_at == T0 + 90 * MIN
    assert ins.id not in [i.id for i in list_open(desk, kinds="instruction")]
    with pytest.raises(Refused):
        answer_instruction(desk, ins.id, "再次答复")
    actions = [e.action for e in audit.history("instruction", ins.id)]
    assert actions[0] == "create" and "chase" in actions and actions[-1] == "answer"
    assert "instruct" in [e.action for e in audit.history("urgent", item_id)]  # the item's history shows it


def test_an_instruction_given_through_a_documents_steps_is_an_open_item_too(desk, scene):
    doc_id = scene["doc"].id
    documents.advance_document(desk, doc_id, "instruct", party="王军", text="请市防指办牵头落实")
    [ins] = list_open(desk, kinds="instruction", owner="tester", limit=1, offset=1)
    assert (ins.parent_kind, ins.parent_id, ins.detail) == ("document", doc_id, "王军")
    assert Instruction.select().where(Instruction.item_kind == "document").count() == 1


# --- a long history -------------------------------------------------------------

HISTORY = 50_000


def _bulk(desk, model, row: dict, count: int, numbered: str | None = None) -> None:
    """Insert ``count`` copies of ``row`` (``numbered``: a unique column, numbered).
    Peewee renders every value of an insert_many in Python (8 s for 50,000 rows):
    render one row's SQL with it and hand the copies to executemany."""
    sql, params = model.insert_many([row]).sql()
    at = params.index(row[numbered]) if numbered else None
    copies = []
    for n in range(count):
        values = list(params)
        if at is not None:
            values[at] = f"{row[numbered]}-{n:05d}"
        copies.append(values)
    desk.db.cursor().executemany(sql, copies)


def _bulk_history(desk) -> None:
    """50,000 closed calls plus closed items of every other kind."""
    day, at = T0.date() - timedelta(days=400), "2025-10-20 02:00:00"
    base = {"duty_date": day, "recorded_at": at, "recorded_by": "tester"}
    with desk.db.atomic():
        _bulk(desk, LogEntry, {**base, "occurred_at": at, "category": "来电", "content": "历史来电",
                               "needs_action": True, "owner": "tester", "due_at": at, "closed_at": at,
                               "result": "已办结"}, HISTORY)
        _bulk(desk, Document, {**base, "serial": "2025", "received_at": at, "sender": "市民政局",
                               "title": "历史来文", "state": "filed", "deadline": at, "closed_at": at},
              5000, numbered="serial")
        _bulk(desk, Visitor, {**base, "name": "历史来访", "arrived_at": at, "left_at": at, "state": "left"}, 5000)
        _bulk(desk, UrgentItem, {**base, "title": "历史事件", "event_type": "自然灾害", "level": "IV",
                                 "received_at": at, "first_responder": "tester", "state": "closed",
                                 "closed_at": at}, 5000)
        _bulk(desk, Instruction, {**base, "item_kind": "log", "item_id": 1, "leader": "王军", "given_at": at,
                                  "text": "历史批示", "due_at": at, "answered_at": at, "result": "已落实"}, 5000)


def test_the_open_items_page_comes_from_indexes_with_50000_closed_items_in_history(desk):
    _bulk_history(desk)
    for minute in range(25):  # 25 open calls, each due a minute after the last
        clock.set_now(T0 + minute * MIN)
        log.record_entry(desk, f"待回复来电 {minute}", "来电", needs_action=True)
    clock.set_now(T0 + 125 * MIN)  # the first five are late
    assert LogEntry.select().count() == HISTORY + 25

    everything = list_open(desk)
    assert [i.title for i in everything] == [f"待回复来电 {m}" for m in range(25)]
    page = list_open(desk, limit=10, offset=10)
    assert [i.id for i in page] == [i.id for i in everything[10:20]]
    assert [i.title for i in list_open(desk, limit=10, offset=20)] == [f"待回复来电 {m}" for m in range(20, 25)]
    assert count_open(desk) == 25 and count_overdue(desk) == 5

    sql, params = open_items_sql(desk, limit=10, offset=10)
    plan = [row[3] for row in desk.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()]
    searches = [p for p in plan if p.startswith("SEARCH t1")]
    assert len(searches) == len(kinds.REGISTRY) and all("USING INDEX" in p for p in searches), plan
    # No table is read row by row: the only scan is of the small union of open rows.
    assert [p for p in plan if p.startswith("SCAN")] == ["SCAN open_items"], plan
