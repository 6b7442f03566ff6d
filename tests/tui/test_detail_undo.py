"""Taking back, from a record's detail, what was recorded by mistake: the last
step of a document (u) and one event of an urgent item's timeline (x)."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from app_helpers import Host, settle, type_text
from rich.console import Console
from textual.widgets import Input, Static

from duty_desk.core import clock
from duty_desk.core.models import Document, DocumentStep, UrgentEvent, UrgentItem
from duty_desk.core.services import documents, urgent
from duty_desk.tui.app import DutyDeskApp
from duty_desk.tui.forms.takeback import UndoStepForm, VoidEventForm
from duty_desk.tui.screens.detail import DetailScreen
from duty_desk.tui.widgets.fields import Choice

ROOT = Path(__file__).resolve().parents[2]





def plain(renderable) -> str:
    console = Console(width=76, file=io.StringIO(), record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def detail_text(pilot) -> str:
    return plain(pilot.app.screen.query_one("#detail-content", Static).content)


def form_text(pilot) -> str:
    """The form's intro and its message line, as the officer reads them."""
    screen = pilot.app.screen
    return "\n".join(plain(screen.query_one(f"#{name}", Static).content) for name in ("form-intro", "form-message"))


def active_keys(pilot) -> set[str]:
    return {b.binding.key for b in pilot.app.screen.active_bindings.values() if b.enabled}


def flood_notice(desk):
    doc = documents.receive_document(desk, "省政府办公厅", title="关于切实做好当前防汛防台风工作的紧急通知",
                                     doc_number="浙政办发〔2026〕38号", urgency="特急")
    documents.advance_document(desk, doc.id, "check")
    return doc


async def test_u_takes_back_a_mistaken_assignment_and_the_document_is_as_before(desk):
    doc = flood_notice(desk)
    before = Document.get_by_id(doc.id)
    documents.advance_document(desk, doc.id, "assign", party="市民政局", deadline="2026-11-25 12:00")
    assert Document.get_by_id(doc.id).custody == "市民政局"
    app = Host(lambda: DetailScreen(desk, "document", doc.id))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        assert "u" in active_keys(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(pilot.app.screen, UndoStepForm)
        assert "撤销上一步：承办 市民政局" in form_text(pilot)
        await type_text(pilot, "承办单位选错，应为市防指办")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DetailScreen)
        shown = detail_text(pilot)
        assert "承办（已撤销）" in shown
        assert "撤销办理步骤" in shown  # the history says it too
        assert "u" in active_keys(pilot)  # the check before it may be taken back in turn
    after = Document.get_by_id(doc.id)
    assert (after.state, after.custody, after.handling_units) == (before.state, before.custody, before.handling_units)
    step = DocumentStep.get((DocumentStep.document == doc.id) & (DocumentStep.step == "assign"))
    assert step.voided_at is not None and step.void_reason == "承办单位选错，应为市防指办"
    assert {"document"} in app.changed


async def test_a_document_with_only_its_receipt_steps_offers_no_take_back(desk):
    doc = documents.receive_document(desk, "市应急管理局", title="关于开展安全生产检查的通知")
    app = Host(lambda: DetailScreen(desk, "document", doc.id))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        assert "n" in active_keys(pilot) and "u" not in active_keys(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DetailScreen)


async def test_taking_back_the_register_step_is_refused_in_the_form_and_the_reason_stays(desk):
    doc = documents.receive_document(desk, "市应急管理局", title="关于开展安全生产检查的通知")
    app = Host(lambda: UndoStepForm(desk, doc.id))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        assert "撤销上一步：登记" in form_text(pilot)
        assert "不能撤销" in form_text(pilot)  # said before anything is typed
        await type_text(pilot, "误操作")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, UndoStepForm)
        assert "“登记”不能撤销" in form_text(pilot)
        assert pilot.app.screen.query_one("#field-reason", Input).value == "误操作"
    assert not DocumentStep.select().where(DocumentStep.voided_at.is_null(False)).exists()
    assert app.changed == []


async def test_a_step_taken_by_another_session_meanwhile_makes_the_take_back_refused(desk):
    doc = flood_notice(desk)
    documents.advance_document(desk, doc.id, "assign", party="市民政局")
    app = Host(lambda: UndoStepForm(desk, doc.id))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        assert "撤销上一步：承办 市民政局" in form_text(pilot)
        documents.advance_document(desk, doc.id, "circulate", party="王军")  # the other desk
        await type_text(pilot, "承办单位选错")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, UndoStepForm)
        assert "只能撤销最近一步（“传阅”）" in form_text(pilot)
        assert pilot.app.screen.query_one("#field-reason", Input).value == "承办单位选错"
    assert Document.get_by_id(doc.id).custody == "王军"


async def test_x_voids_a_phone_report_recorded_on_the_wrong_item_and_it_falls_due_again(desk, fixed_clock):
    item = urgent.open_urgent(desk, "城西区暴雨致一处老旧民房倒塌", "自然灾害", "III")
    urgent.add_event(desk, item.id, "leader_informed", party="王军", means="电话")
    clock.set_now(fixed_clock + timedelta(minutes=5))
    wrong = urgent.record_phone_report(desk, item.id, party="省政府总值班室")
    assert UrgentItem.get_by_id(item.id).next_due_kind == "first_report"
    app = Host(lambda: DetailScreen(desk, "urgent", item.id))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, VoidEventForm)
        # The latest event is picked; the officer sees what goes before typing why.
        assert form.query_one("#field-event", Choice).value == str(wrong.id)
        assert "电话报告" in form_text(pilot) and "省政府总值班室" in form_text(pilot)
        assert form.query_one("#field-reason", Input).has_focus
        await type_text(pilot, "按错了事项")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DetailScreen)
        assert "作废进展" in detail_text(pilot)
    stored = UrgentEvent.get_by_id(wrong.id)
    assert stored.voided_at is not None and stored.void_reason == "按错了事项"
    assert UrgentItem.get_by_id(item.id).next_due_kind == "phone_report"
    assert UrgentEvent.get(UrgentEvent.kind == "leader_informed").voided_at is None
    assert {"urgent"} in app.changed


async def test_a_first_report_that_later_reports_rest_on_cannot_be_voided_and_the_form_says_why(desk, fixed_clock):
    item = urgent.open_urgent(desk, "城西区暴雨致一处老旧民房倒塌", "自然灾害", "III")
    clock.set_now(fixed_clock + timedelta(minutes=10))
    first = urgent.add_event(desk, item.id, "first_report", text="首报内容")
    clock.set_now(fixed_clock + timedelta(minutes=20))
    urgent.add_event(desk, item.id, "followup", text="续报内容")
    app = Host(lambda: DetailScreen(desk, "urgent", item.id))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        form = pilot.app.screen
        choice = form.query_one("#field-event", Choice)
        assert form.query_one("#field-reason", Input).has_focus  # the pick is made: straight to why
        await pilot.press("up", "1")  # back to the pick; its first option is the 首报
        assert choice.value == str(first.id)
        assert "首报内容" in form_text(pilot)
        await pilot.press("down")
        await type_text(pilot, "误报")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, VoidEventForm)
        assert "首报不能作废" in form_text(pilot)
        assert form.query_one("#field-reason", Input).value == "误报"
    assert UrgentEvent.get_by_id(first.id).voided_at is None


async def test_an_urgent_item_with_an_empty_timeline_offers_no_void_event(desk):
    item = urgent.open_urgent(desk, "城西区暴雨致一处老旧民房倒塌", "自然灾害", "III")
    app = Host(lambda: DetailScreen(desk, "urgent", item.id))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        assert "p" in active_keys(pilot) and "x" not in active_keys(pilot)


def test_the_new_detail_keys_can_be_rebound_from_the_keymap(desk):
    ids = DutyDeskApp(desk).binding_ids()
    assert {"detail.undo_step", "detail.void_event"} <= ids
