"""Following items up from the desk: chasing (催办), handing an item to another
officer (移交), a leader's instruction from record to answer (批示), warnings
before due for every kind of open item, and the zero report for a duty day
that ended with nothing recorded.

The clock is fixed (T0 = 2026-11-24 10:00 Asia/Shanghai) and moved with
clock.set_now; the app's tick is called directly, thread workers awaited.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from app_helpers import settle, type_text
from conftest import T0
from rich.text import Text

from duty_desk.core import audit, clock
from duty_desk.core.models import Chase, Instruction, LogEntry
from duty_desk.core.services import documents, log, urgent
from duty_desk.tui.app import DutyDeskApp
from duty_desk.tui.forms.followup import AnswerForm, ChaseForm, InstructionForm, TransferForm
from duty_desk.tui.panes.base import DeskTable
from duty_desk.tui.screens.detail import DetailScreen
from duty_desk.tui.screens.open_items import OpenItemsScreen

MIN = timedelta(minutes=1)


def view_cells(app: DutyDeskApp, key: str) -> list[str]:
    table = app.screen.query_one(DeskTable)
    return [c.plain if isinstance(c, Text) else str(c) for c in table.get_row(key)]


async def open_view(pilot) -> OpenItemsScreen:
    await settle(pilot)
    await pilot.press("f6")
    await settle(pilot)
    assert isinstance(pilot.app.screen, OpenItemsScreen)
    return pilot.app.screen


async def fill(pilot, name: str, text: str) -> None:
    widget = pilot.app.screen.widget(name)
    widget.focus()
    await pilot.pause()
    widget.value = ""
    await type_text(pilot, text)


async def submit(pilot) -> None:
    await pilot.press("enter")
    await settle(pilot)


def watch_notes(app: DutyDeskApp) -> list[str]:
    """Every due-time warning the desk announces (its warning bar)."""
    said: list[str] = []
    original = app.announce_warnings

    def spy(messages, late):
        said.extend(messages)
        return original(messages, late)

    app.announce_warnings = spy  # type: ignore[method-assign]
    return said


# --- chasing -------------------------------------------------------------------------


async def test_a_chase_from_the_open_items_view_shows_the_count_and_the_last_chase(desk):
    call = log.record_entry(desk, "东城街道来电：窨井盖缺失，需回复处置结果", "来电", needs_action=True)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_view(pilot)
        key = f"log-{call.id}"
        assert view_cells(app, key)[6] == ""
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ChaseForm)
        assert app.screen.raw_value("means") == "电话"
        await fill(pilot, "whom", "市城管局值班室")
        await fill(pilot, "answer", "已派员处置，今晚回复")
        await submit(pilot)
        assert isinstance(app.screen, OpenItemsScreen)
        assert view_cells(app, key)[6] == "1次 10:00"
        clock.set_now(T0 + 25 * MIN)
        await pilot.press("ctrl+f")  # the desk's key for the same
        await settle(pilot)
        assert "1 次" in str(app.screen.query_one("#form-intro").render())
        await fill(pilot, "whom", "市城管局值班室")
        await submit(pilot)
        assert view_cells(app, key)[6] == "2次 10:25"
        chases = list(Chase.select().order_by(Chase.id))
        assert [(c.item_kind, c.item_id, c.by, c.whom, c.means) for c in chases] == [
            ("log", call.id, "tester", "市城管局值班室", "电话")] * 2
        assert chases[0].answer == "已派员处置，今晚回复" and chases[1].at == T0 + 25 * MIN
        assert [e.action for e in audit.history("log", call.id)].count("chase") == 2


async def test_ctrl_f_chases_the_highlighted_record_of_a_desk_pane(desk):
    doc = documents.receive_document(desk, "市民政局", title="关于报送冬季救助情况的函", deadline="2026-11-24 18:00")
    app = DutyDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.desk_screen.action_focus_documents()
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ChaseForm) and (form.kind, form.record_id) == ("document", doc.id)
        await fill(pilot, "whom", "社会事务处")
        await submit(pilot)
        assert Chase.get().item_id == doc.id
        # A document's chase is one of its steps as well (Art. 24).
        assert [s.step for s in documents.steps_of(doc.id)][-1] == "chase"


async def test_chasing_a_closed_item_says_why_and_keeps_what_was_typed(desk):
    entry = log.record_entry(desk, "区气象台来电", "来电", needs_action=True)
    log.record_result(desk, entry.id, "已转告")
    app = DutyDeskApp(desk)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(ChaseForm(desk, "log", entry.id))
        await settle(pilot)
        message = str(app.screen.query_one("#form-message").render())
        assert "不是未结事项" in message
        await fill(pilot, "whom", "区气象台")
        await submit(pilot)
        assert isinstance(app.screen, ChaseForm) and app.screen.raw_value("whom") == "区气象台"
        assert Chase.select().count() == 0


# --- transfer --------------------------------------------------------------------------


async def test_a_transfer_from_the_detail_changes_the_owner_and_is_audited(desk):
    call = log.record_entry(desk, "东城街道来电：窨井盖缺失，需回复处置结果", "来电", needs_action=True)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_view(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("t")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TransferForm)
        assert form.widget("owner").values == ["incoming", "leader"]  # not the owner already
        await submit(pilot)  # nobody picked: refused at the field, nothing written
        assert isinstance(app.screen, TransferForm) and LogEntry.get_by_id(call.id).owner == "tester"
        form.set_value("owner", "incoming")
        await fill(pilot, "reason", "本人下班，交陈静跟进")
        await submit(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert LogEntry.get_by_id(call.id).owner == "incoming"
        [event] = [e for e in audit.history("log", call.id) if e.action == "transfer"]
        assert event.actor == "tester" and json.loads(event.old) == {"owner": "tester"}
        assert json.loads(event.new) == {"owner": "incoming", "reason": "本人下班，交陈静跟进"}
        await pilot.press("escape")
        await settle(pilot)
        assert view_cells(app, f"log-{call.id}")[2] == "陈静"


# --- instructions ------------------------------------------------------------------------


async def test_a_leader_instruction_lives_from_record_to_answer(desk):
    doc = documents.receive_document(desk, "省政府办公厅", title="关于做好防汛工作的紧急通知", urgency="特急")
    app = DutyDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_view(pilot)
        await pilot.press("i")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, InstructionForm)
        assert form.raw_value("leader") == "王军"  # the leader on duty
        await fill(pilot, "text", "请市防指办今日12时前反馈落实情况")
        await fill(pilot, "assignee", "市防指办")
        await fill(pilot, "due", "12:00")
        await submit(pilot)
        ins = Instruction.get()
        assert (ins.item_kind, ins.item_id, ins.leader, ins.assignee) == ("document", doc.id, "王军", "市防指办")
        assert ins.due_at == T0 + 120 * MIN and ins.answered_at is None
        key = f"instruction-{ins.id}"
        assert view_cells(app, key)[0] == "批示待落实" and view_cells(app, key)[5] == "落实批示并答复"
        app.screen.query_one(DeskTable).move_cursor(row=app.screen.query_one(DeskTable).get_row_index(key))
        await pilot.press("i")  # an instruction is answered, not instructed on
        await settle(pilot)
        assert isinstance(app.screen, OpenItemsScreen)
        clock.set_now(T0 + 90 * MIN)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AnswerForm)
        await fill(pilot, "result", "市防指办已反馈，各区均已落实")
        await submit(pilot)
        ins = Instruction.get()
        assert ins.answered_at == T0 + 90 * MIN and ins.result == "市防指办已反馈，各区均已落实"
        assert key not in [str(r.key.value) for r in app.screen.query_one(DeskTable).ordered_rows]
        assert [e.action for e in audit.history("instruction", ins.id)] == ["create", "answer"]
        # The document's detail lists the instruction and how it was answered.
        app.open_detail("document", doc.id)
        await settle(pilot)
        detail = app.screen.detail
        assert detail is not None and detail.instructions is not None
        [row] = detail.instructions
        assert row[1:4] == ("王军", "请市防指办今日12时前反馈落实情况", "市防指办")
        assert "已答复" in row[5] and "各区均已落实" in row[5]


# --- warnings ----------------------------------------------------------------------------


async def test_a_warning_comes_once_per_item_and_threshold_for_every_kind(desk):
    doc = documents.receive_document(desk, "市民政局", title="关于报送冬季救助情况的函", deadline="2026-11-24 10:30")
    log.record_entry(desk, "区气象台来电：需回复防范措施", "来电", needs_action=True)  # due 12:00
    app = DutyDeskApp(desk)
    # Watch before the app starts: on a busy machine its first escalation
    # round may end (and warn) before the test body runs.
    said = watch_notes(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.tick()
        assert said == [] and app.bells == 0
        clock.set_now(T0 + 21 * MIN)  # the document: 9 minutes left
        app.tick()
        app.tick()
        assert app.bells == 1 and len(said) == 1 and "关于报送冬季救助情况的函" in said[0] and "10:30" in said[0]
        clock.set_now(T0 + 31 * MIN)  # the document's deadline passed
        for _ in range(3):
            app.tick()
            app.escalate()
            await settle(pilot)
        assert app.bells == 2 and len(said) == 2 and "超时" in said[1]
        clock.set_now(T0 + 111 * MIN)  # the call: 9 minutes left
        app.tick()
        app.tick()
        assert app.bells == 3 and "区气象台来电" in said[2]
        assert ((("document", doc.id, "deadline", doc.deadline), 10)) in app.warned


async def test_a_backlog_found_on_opening_the_desk_is_one_warning_and_one_bell(desk):
    clock.set_now(T0 - timedelta(hours=4))
    for n in range(5):
        log.record_entry(desk, f"第{n + 1}个待回复的来电", "来电", needs_action=True)  # due 08:00
    clock.set_now(T0)
    app = DutyDeskApp(desk)
    # Watch before the app starts: on a busy machine its first escalation
    # round may end (and warn) before the test body runs.
    said = watch_notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # Said as soon as the due times were read, without waiting for a tick.
        assert app.bells == 1 and len(said) == 1
        app.tick()
        app.tick()
        assert app.bells == 1 and len(said) == 1
        assert "5 项" in said[0] and "F6" in said[0]
        assert "超期 5" in str(app.desk_screen.query_one("#header").render())


async def test_an_urgent_item_warns_before_each_report_falls_due(desk):
    item = urgent.open_urgent(desk, "城西区民房倒塌", "自然灾害", "I")  # phone report due 10:30
    app = DutyDeskApp(desk)
    # Watch before the app starts: on a busy machine its first escalation
    # round may end (and warn) before the test body runs.
    said = watch_notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        clock.set_now(T0 + 21 * MIN)
        app.tick()
        assert app.bells == 1 and "电话报告" in said[0]
        urgent.record_phone_report(desk, item.id)
        app.desk_screen.reload({"urgent"})
        await settle(pilot)
        clock.set_now(T0 + 52 * MIN)  # first report due 11:00
        app.tick()
        app.tick()
        assert app.bells == 2 and "首报" in said[1]


# --- zero report -------------------------------------------------------------------------


async def test_a_day_ended_with_nothing_shows_a_banner_and_one_key_files_its_zero_report(desk):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        banner = app.desk_screen.query_one("#zero-banner")
        assert not banner.display
        clock.set_now(T0 + timedelta(hours=22, minutes=31))  # 08:31 on the 25th: a new duty day
        app.tick()
        await settle(pilot)
        assert banner.display
        text = str(banner.render())
        assert "2026-11-24" in text and "零报告" in text and "F7" in text
        await pilot.press("f7")
        await settle(pilot)
        entry = LogEntry.get(LogEntry.category == "零报告")
        assert entry.duty_date == date(2026, 11, 24) and entry.recorded_at == clock.now()
        assert not banner.display
        assert log.missing_zero_report(desk) is None
        await pilot.press("f7")  # the usual zero report of today again
        await settle(pilot)
        from duty_desk.tui.forms import ZeroReportForm

        assert isinstance(app.screen, ZeroReportForm)


async def test_no_banner_when_the_day_before_had_records(desk):
    log.record_entry(desk, "接班，设备正常", "记事")
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        clock.set_now(T0 + timedelta(hours=22, minutes=31))
        app.tick()
        await settle(pilot)
        assert not app.desk_screen.query_one("#zero-banner").display
        assert app.missed_day is None
