"""Pilot tests of the desk's forms: what a duty officer types, what the store
then holds (with its audit event), and what the form says when it is wrong.

Each test pushes one form on a tiny host app (the real app is tested on its
own); services run on the forms' thread workers against a real SQLite file.
"""

from __future__ import annotations

from pathlib import Path

from app_helpers import Host
from textual.widgets import Input, Static

from duty_desk.core import audit
from duty_desk.core.i18n import set_language
from duty_desk.core.kinds import document as document_kind
from duty_desk.core.models import Document, LogEntry, UrgentEvent, UrgentItem, Visitor
from duty_desk.core.services import documents, log, urgent, visitors
from duty_desk.tui.forms import (
    CheckOutForm,
    DocumentForm,
    DocumentStepForm,
    ResultForm,
    UrgentEventForm,
    UrgentForm,
    VisitorForm,
    VoidForm,
    ZeroReportForm,
)
from duty_desk.tui.forms.base import DeskForm
from duty_desk.tui.widgets.fields import Choice

ROOT = Path(__file__).resolve().parents[2]
GOOD_ID = "11010519491231002X"
BAD_ID = "110105194912310021"  # check digit should be X





async def settle(pilot) -> None:
    """Let the form's thread workers (load, save) finish and their results show."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def form(pilot) -> DeskForm:
    screen = pilot.app.screen
    assert isinstance(screen, DeskForm)
    return screen


async def fill(pilot, name: str, text: str) -> None:
    """Focus a field and type into it, key by key, as a user does. Pilot has no
    key for CJK punctuation (〔〕：); those arrive as an input method commits them."""
    widget = form(pilot).widget(name)
    assert isinstance(widget, Input)
    widget.focus()
    await pilot.pause()
    widget.value = ""
    for ch in text:
        if ch.isascii() or ch.isalnum():
            await pilot.press(ch)
        else:
            widget.insert_text_at_cursor(ch)
            await pilot.pause()


async def choose(pilot, name: str, value: str) -> None:
    """Move a choice with the arrow keys until it holds ``value``."""
    widget = form(pilot).widget(name)
    assert isinstance(widget, Choice)
    widget.focus()
    await pilot.pause()
    for _ in range(len(widget.values) + 1):
        if widget.value == value:
            return
        await pilot.press("right")
    raise AssertionError(f"{value!r} is not offered in {widget.values}")


def message(pilot, name: str) -> str:
    box = form(pilot).query_one(f"#msg-{name}", Static)
    return str(box.content) if box.display else ""


def bottom(pilot) -> str:
    return str(form(pilot).query_one("#form-message", Static).content)


def last_event(kind: str, record_id: int):
    return audit.history(kind, record_id)[-1]


# --- 来访 -----------------------------------------------------------------------


async def test_visitor_form_registers_the_visitor_with_a_masked_id_and_its_audit_event(desk):
    app = Host(lambda: VisitorForm(desk, name="张建国", unit="城关街道办事处"))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        assert form(pilot).focused is form(pilot).widget("phone")  # first field not given
        await fill(pilot, "id_number", GOOD_ID)
        assert "110105********002X" in message(pilot, "id_number")
        await fill(pilot, "purpose", "反映小区积水问题")
        await fill(pilot, "party_size", "2")
        await pilot.press("enter")
        await settle(pilot)
    visitor = Visitor.get()
    assert (visitor.name, visitor.unit, visitor.party_size) == ("张建国", "城关街道办事处", 2)
    assert visitor.id_masked == "110105********002X"
    assert app.results == [visitor.id]
    assert {"visitor"} <= app.changed[0]
    assert last_event("visitor", visitor.id).action == "create"


async def test_arrow_keys_move_between_fields_like_tab(desk):
    app = Host(lambda: VisitorForm(desk))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        f = form(pilot)
        assert f.focused is f.widget("name")
        await pilot.press("down", "down")
        assert f.focused is f.widget("phone")
        await pilot.press("up")
        assert f.focused is f.widget("unit")


async def test_a_checked_id_number_shows_masked_once_the_officer_moves_on(desk):
    app = Host(lambda: VisitorForm(desk))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        await fill(pilot, "id_number", GOOD_ID)
        await pilot.press("tab")
        field = form(pilot).widget("id_number")
        assert field.value == "110105********002X"
        field.focus()
        await pilot.pause()
        assert field.value == GOOD_ID  # editable again in full


async def test_a_wrong_check_digit_is_named_at_once_and_nothing_typed_is_lost(desk):
    app = Host(lambda: VisitorForm(desk))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        await fill(pilot, "name", "王芳")
        await fill(pilot, "id_number", BAD_ID)
        assert "校验位错误" in message(pilot, "id_number") and "应为X" in message(pilot, "id_number")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, VisitorForm)
        assert form(pilot).widget("id_number").value == BAD_ID  # not masked: it is wrong
        assert form(pilot).widget("name").value == "王芳"
        assert "请先改正" in bottom(pilot)
    assert not Visitor.select().exists()


async def test_a_refusal_from_the_core_shows_at_its_field_and_keeps_the_form(desk):
    long_name = "张" * 61  # the service allows 60 characters
    app = Host(lambda: VisitorForm(desk, name=long_name))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "过长" in message(pilot, "name")
        assert form(pilot).widget("name").value == long_name
        assert form(pilot).focused is form(pilot).widget("name")
    assert not Visitor.select().exists()


async def test_escape_closes_a_form_without_recording_anything(desk):
    app = Host(lambda: VisitorForm(desk, name="张建国"))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    assert app.results == [None]
    assert not Visitor.select().exists() and not app.changed


async def test_check_out_form_records_the_visitor_leaving_with_the_result(desk):
    v = visitors.register_visitor(desk, "张建国", unit="城关街道办事处", arrived_at="09:15")
    app = Host(lambda: CheckOutForm(desk, v.id))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        assert form(pilot).raw_value("action") == "check_out"
        assert form(pilot).focused is form(pilot).widget("result")  # ready to type
        await fill(pilot, "result", "已转区住建局答复")
        await pilot.press("enter")
        await settle(pilot)
    v = Visitor.get_by_id(v.id)
    assert v.state == "left" and v.result == "已转区住建局答复"
    assert last_event("visitor", v.id).action == "check_out"


async def test_check_out_form_can_start_the_reception_instead(desk):
    v = visitors.register_visitor(desk, "张建国", host="信访科")
    app = Host(lambda: CheckOutForm(desk, v.id))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        await choose(pilot, "action", "reception")
        assert not form(pilot).is_live("result")
        await fill(pilot, "received_by", "刘科长")
        await pilot.press("enter")
        await settle(pilot)
    v = Visitor.get_by_id(v.id)
    assert v.state == "receiving" and v.received_by == "刘科长"
    assert last_event("visitor", v.id).action == "receive"


async def test_check_out_form_says_when_the_visitor_already_left(desk):
    v = visitors.register_visitor(desk, "张建国")
    visitors.check_out(desk, v.id)
    app = Host(lambda: CheckOutForm(desk, v.id))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        assert "已离开" in bottom(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CheckOutForm)


async def test_user_text_with_markup_shows_literally_in_a_form(desk):
    v = visitors.register_visitor(desk, "[red]张三[/red]")
    app = Host(lambda: CheckOutForm(desk, v.id))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        intro = form(pilot).query_one("#form-intro", Static).content
        assert "[red]张三[/red]" in str(intro)


# --- 来文 -----------------------------------------------------------------------


async def test_document_form_receives_a_document_with_its_urgency(desk):
    app = Host(lambda: DocumentForm(desk, sender="市防汛抗旱指挥部办公室"))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        await fill(pilot, "doc_number", "市防指发〔2026〕12号")
        assert message(pilot, "doc_number") == ""
        await fill(pilot, "title", "关于做好强降雨防范工作的紧急通知")
        await choose(pilot, "urgency", "特急")
        await pilot.press("enter")
        await settle(pilot)
    doc = Document.get()
    assert (doc.doc_number, doc.urgency, doc.state) == ("市防指发〔2026〕12号", "特急", "registered")
    assert doc.title == "关于做好强降雨防范工作的紧急通知"
    assert last_event("document", doc.id).action == "create"
    assert app.results == [doc.id]


async def test_a_malformed_document_number_is_explained_while_typing(desk):
    app = Host(lambda: DocumentForm(desk, sender="市政府办公室", title="关于防汛的通知"))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        await fill(pilot, "doc_number", "市政办发[2026]7号")
        assert "六角括号" in message(pilot, "doc_number")
        await pilot.press("enter")
        await settle(pilot)
        assert form(pilot).widget("doc_number").value == "市政办发[2026]7号"
        assert form(pilot).widget("title").value == "关于防汛的通知"
    assert not Document.select().exists()


async def test_classified_document_form_refuses_content_and_says_why(desk):
    app = Host(lambda: DocumentForm(desk, sender="省委办公厅", title="不应录入的标题"))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        await choose(pilot, "classification", "机密")
        f = form(pilot)
        assert all(f.widget(n).disabled for n in ("title", "attachments", "summary"))
        warning = message(pilot, "classification")
        assert "涉密内容不得在非涉密系统中处理" in warning
        await pilot.press("enter")  # no copy number yet: required for a classified copy
        await settle(pilot)
        assert message(pilot, "copy_number") == "必填"
        await fill(pilot, "copy_number", "000015")
        await pilot.press("enter")
        await settle(pilot)
    doc = Document.get()
    assert (doc.classification, doc.copy_number, doc.title, doc.summary) == ("机密", "000015", "", "")
    assert "不应录入" not in (audit.history("document", doc.id)[-1].new or "")


async def test_document_step_form_offers_the_usual_next_step_and_takes_it(desk):
    doc = documents.receive_document(desk, "市应急管理局", title="关于开展安全生产检查的通知")
    documents.advance_document(desk, doc.id, "check")
    app = Host(lambda: DocumentStepForm(desk, doc.id))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        step = form(pilot).widget("step")
        assert step.value == document_kind.NEXT_STEP["checked"] == "assign"
        assert step.values == list(document_kind.TRANSITIONS["checked"])
        assert form(pilot).focused is form(pilot).widget("party")
        await pilot.press("enter")  # the handling unit is needed
        await settle(pilot)
        assert message(pilot, "party") == "必填"
        await fill(pilot, "party", "区应急管理局")
        await pilot.press("enter")
        await settle(pilot)
    doc = Document.get_by_id(doc.id)
    assert (doc.state, doc.handling_units, doc.custody) == ("assigned", "区应急管理局", "区应急管理局")
    assert last_event("document", doc.id).action == "assign"


# --- 紧急事项 --------------------------------------------------------------------


async def test_urgent_form_opens_an_urgent_item_with_its_next_report_due(desk):
    app = Host(lambda: UrgentForm(desk, title="城东路段山体滑坡", level="重大"))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        assert form(pilot).raw_value("level") == "II"
        await pilot.press("enter")
        await settle(pilot)
        assert message(pilot, "event_type") == "必填"
        await choose(pilot, "event_type", "自然灾害")
        await fill(pilot, "place", "城东路K3+200")
        await fill(pilot, "source_unit", "区应急管理局")
        await pilot.press("enter")
        await settle(pilot)
    item = UrgentItem.get()
    assert (item.title, item.event_type, item.level, item.place) == ("城东路段山体滑坡", "自然灾害", "II", "城东路K3+200")
    assert item.next_due_at is not None
    assert last_event("urgent", item.id).action == "create"


async def test_urgent_event_form_records_the_leader_informed(desk):
    item = urgent.open_urgent(desk, "城东路段山体滑坡", "自然灾害", "II")
    app = Host(lambda: UrgentEventForm(desk, item.id, kind="leader_informed"))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        offered = form(pilot).widget("kind").values
        # The written reports are drafted, signed off and sent on the reports screen.
        assert offered == ["leader_informed", "phone_report"]
        await pilot.press("enter")
        await settle(pilot)
        assert message(pilot, "party") == "必填"
        await fill(pilot, "party", "王军")
        await fill(pilot, "text", "立即组织人员疏散")
        await pilot.press("enter")
        await settle(pilot)
    event = UrgentEvent.get()
    assert (event.kind, event.party, event.text) == ("leader_informed", "王军", "立即组织人员疏散")
    assert last_event("urgent", item.id).action == "leader_informed"


async def test_a_written_report_asked_of_the_event_form_is_not_offered_and_the_form_says_where_it_goes(desk):
    item = urgent.open_urgent(desk, "城东路段山体滑坡", "自然灾害", "II")
    app = Host(lambda: UrgentEventForm(desk, item.id, kind="first_report"))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        f = form(pilot)
        assert f.raw_value("kind") == "leader_informed"
        assert "按 b 报送" in str(f.query_one("#form-intro", Static).content)
        await pilot.press("enter")
        await settle(pilot)
        assert message(pilot, "party") == "必填"  # the leader informed, asked for its leader
    assert not UrgentEvent.select().exists()


# --- 作废、零报告、处理结果 --------------------------------------------------------


async def test_void_form_needs_a_reason_and_keeps_the_record_readable(desk):
    entry = log.record_entry(desk, "区气象台来电：今晚有暴雨", "来电")
    app = Host(lambda: VoidForm(desk, "log", entry.id))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        assert "区气象台来电" in str(form(pilot).query_one("#form-intro", Static).content)
        await pilot.press("enter")
        await settle(pilot)
        assert message(pilot, "reason") == "必填"
        await fill(pilot, "reason", "重复登记")
        await pilot.press("enter")
        await settle(pilot)
    entry = LogEntry.get_by_id(entry.id)
    assert entry.void_reason == "重复登记" and entry.content == "区气象台来电：今晚有暴雨"
    assert last_event("log", entry.id).action == "void"
    assert {"log"} <= app.changed[0]


async def test_zero_report_form_records_the_quiet_day_with_one_key(desk):
    app = Host(lambda: ZeroReportForm(desk))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        assert "2026-11-24" in str(form(pilot).query_one("#form-intro", Static).content)
        await pilot.press("enter")
        await settle(pilot)
    entry = LogEntry.get()
    assert entry.category == "零报告" and entry.content == "本值班日无重要情况报告。"
    assert last_event("log", entry.id).action == "create"


async def test_zero_report_form_refuses_a_day_that_has_items(desk):
    log.record_entry(desk, "市应急管理局来电询问值守情况", "来电")
    app = Host(lambda: ZeroReportForm(desk))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        assert "已登记事项" in bottom(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "已登记事项" in bottom(pilot)
        assert isinstance(pilot.app.screen, ZeroReportForm)
    assert not LogEntry.select().where(LogEntry.category == "零报告").exists()


async def test_result_form_closes_a_call_awaiting_action(desk):
    entry = log.record_entry(desk, "市委办来电：请报送今日防汛值守情况", "来电", needs_action=True,
                             handling="已报告带班领导")
    app = Host(lambda: ResultForm(desk, entry.id))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        assert form(pilot).widget("handling").value == "已报告带班领导"
        await fill(pilot, "result", "已于11:20电话报送")
        await pilot.press("enter")
        await settle(pilot)
    entry = LogEntry.get_by_id(entry.id)
    assert entry.result == "已于11:20电话报送" and entry.closed_at is not None
    assert last_event("log", entry.id).action == "result"


async def test_forms_speak_english_when_the_ui_language_is_english(desk):
    set_language("en")
    app = Host(lambda: VisitorForm(desk))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        assert str(form(pilot).query_one("#label-id_number").content).startswith("ID number")
        await fill(pilot, "id_number", BAD_ID)
        assert "check digit" in message(pilot, "id_number")
        await pilot.press("enter")
        await settle(pilot)
        assert message(pilot, "name") == "required"


async def test_year_one_in_a_time_or_deadline_field_is_named_at_the_field_and_the_form_stays(desk):
    app = Host(lambda: DocumentForm(desk, sender="市政府办公室", title="关于做好防汛工作的通知"))
    async with app.run_test(size=(100, 40), notifications=False) as pilot:
        await settle(pilot)
        await fill(pilot, "received_at", "0001-01-01 00:00")
        await fill(pilot, "deadline", "0001-01-01 00:01")
        await settle(pilot)
        assert message(pilot, "received_at") and message(pilot, "deadline")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DocumentForm)
        assert form(pilot).widget("received_at").value == "0001-01-01 00:00"
        assert form(pilot).widget("sender").value == "市政府办公室"
    assert app.return_code in (None, 0)
    assert not Document.select().exists()


async def test_a_value_a_check_cannot_read_is_shown_at_the_field_and_keeps_the_form(desk):
    def broken(form, value):
        raise OverflowError("date value out of range")

    app = Host(lambda: VisitorForm(desk, name="张建国"))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        spec = form(pilot).specs["arrived_at"]
        form(pilot).specs["arrived_at"] = type(spec)(**{**spec.__dict__, "check": broken})
        await fill(pilot, "arrived_at", "09:00")
        await settle(pilot)
        assert message(pilot, "arrived_at")
        assert isinstance(pilot.app.screen, VisitorForm)
        assert form(pilot).widget("name").value == "张建国"
    assert app.return_code in (None, 0)
