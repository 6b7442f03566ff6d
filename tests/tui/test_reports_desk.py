"""信息报送 at the desk, driven as the officer and the leader drive it, on a
real SQLite file: `b` on an urgent item's detail opens its reports; the
facts are brought up to date (the earlier value stays in sight); a report
is drafted from the template and edited (typed fast, pasted into); signed
off by the leader at the desk, or the leader's approval by phone recorded by
the officer and shown marked; sent to two recipients by 专网 and 传真 with
the identical text; copied to the clipboard; a late sending asks for the
reason for the delay and is refused without it."""

from __future__ import annotations

import io
from datetime import timedelta

from app_helpers import Host, settle, type_text
from rich.console import Console
from textual import events
from textual.widgets import Static

from duty_desk.core import clock
from duty_desk.core.contacts.demo import fill_demo_contacts
from duty_desk.core.models import ReportSending, UrgentReport
from duty_desk.core.reports import service
from duty_desk.core.reports.view import as_text
from duty_desk.core.services import urgent
from duty_desk.tui.app import DutyDeskApp
from duty_desk.tui.forms.base import DeskForm
from duty_desk.tui.forms.reports import DraftReportForm, FactsForm, PhonedApprovalForm, ReportText
from duty_desk.tui.forms.reports_send import SendReportForm
from duty_desk.tui.screens.confirm import ConfirmStep
from duty_desk.tui.screens.detail import DetailScreen
from duty_desk.tui.screens.reports import ReportsScreen

CHARS = {"tab": "\t", "enter": "\r"}


def make_item(desk):
    """A serious landslide received at 09:40 (the clock stands at 10:00): its
    first written report is due at 10:40; the desk's contact book is the demo's."""
    fill_demo_contacts(desk)
    item = urgent.open_urgent(desk, "城东路段山体滑坡，两车受困", "自然灾害", "II", received_at="09:40",
                              occurred_at="09:35", place="城东路K3+200", casualties="2人轻伤",
                              measures="已封闭道路，调派消防救援力量", source_unit="区应急管理局")
    urgent.record_phone_report(desk, item.id, party="市政府总值班室", at="09:55")
    return item


def type_ahead(app, keys: list[str]) -> None:
    """Every key queued on the app before any of them is handled."""
    for key in keys:
        app.post_message(events.Key(key, CHARS.get(key, key if len(key) == 1 else None)))


async def until(pilot, ready, rounds: int = 300) -> None:
    """Let the app work until ``ready()`` holds (the test asserts it after)."""
    for _ in range(rounds):
        try:
            if ready():
                break
        except Exception:  # not composed yet
            pass
        await pilot.pause()
    await settle(pilot)


def screen_text(screen: ReportsScreen, width: int = 200) -> str:
    """What the screen shows, as plain text (wide: one line per line)."""
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    for part in ("reports-facts", "reports-list", "reports-text-body", "reports-status"):
        console.print(screen.query_one(f"#{part}", Static).content)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())


def field_message(form: DeskForm, name: str) -> str:
    return str(form.query_one(f"#msg-{name}", Static).render())


async def open_reports(pilot, item_id: int) -> ReportsScreen:
    app = pilot.app
    await settle(pilot)
    app.push_screen(DetailScreen(app.desk, "urgent", item_id))
    await settle(pilot)
    await pilot.press("b")
    await settle(pilot)
    assert isinstance(app.screen, ReportsScreen)
    return app.screen


async def test_b_on_an_urgent_detail_opens_its_reports_and_the_facts_keep_the_earlier_value(desk):
    item = make_item(desk)
    clock.set_now(desk.now() + timedelta(minutes=40))  # 10:40: the figures changed
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(pilot, item.id)
        assert "尚无书面报告" in screen_text(screen)
        await pilot.press("f")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FactsForm)
        assert form.raw_value("casualties") == "2人轻伤" and form.raw_value("occurred_at") == "2026-11-24 09:35"
        form.set_value("casualties", "")
        form.widget("casualties").focus()
        await pilot.pause()
        await type_text(pilot, "3人受伤，其中1人重伤")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert "伤亡和损失  3人受伤，其中1人重伤 ← 2人轻伤 (09:40)" in screen_text(screen)
        # Nothing changed: said in the form, nothing written.
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FactsForm) and "要素没有改动" in str(app.screen.query_one("#form-message",
                                                                                                Static).render())
    from duty_desk.core.reports.facts import history

    assert [r.value for r in history(item.id)["casualties"]] == ["2人轻伤", "3人受伤，其中1人重伤"]


async def test_the_officer_drafts_records_a_phoned_approval_sends_to_two_and_copies(desk):
    item = make_item(desk)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(pilot, item.id)
        # Draft: the first report, from the template; typed fast at its start, then a paste.
        type_ahead(app, ["n", *"【急】", "enter"])
        await until(pilot, lambda: isinstance(app.screen, DraftReportForm) and app.screen.ready
                    and app.screen.text_area.text.startswith("【急】\n"))
        form = app.screen
        assert isinstance(form, DraftReportForm)
        assert form.raw_value("kind") == "first_report"
        assert isinstance(app.focused, ReportText)
        app.post_message(events.Paste("　　现场已设警戒。\x1b[31m\n　　另有一车待救。"))
        await settle(pilot)
        text = form.text_area.text
        assert text.startswith("【急】\n　　现场已设警戒。\n　　另有一车待救。")
        assert "城东路段山体滑坡，两车受困（首报）" in text and "\x1b" not in text
        await pilot.press("f2")
        await settle(pilot)
        assert app.screen is screen
        report = UrgentReport.get()
        assert report.text == text.strip() and service.state_of(report) == "draft"
        assert "首报 · 草稿 · 时限 11-24 10:40" in screen_text(screen)
        # Not sendable before it is signed off: no send key.
        assert screen.check_action("send", ()) is False
        # Sign-off: the officer is no leader; the leader said yes by phone.
        await pilot.press("a")
        await settle(pilot)
        approval = app.screen
        assert isinstance(approval, PhonedApprovalForm)
        await type_text(pilot, "王")
        await settle(pilot)
        await pilot.press("tab")
        await settle(pilot)
        assert approval.raw_value("leader") == "王军"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        report = UrgentReport.get()
        assert (report.approved_name, report.approval_means, report.approval_recorded_by) == ("王军", "phone", "tester")
        assert "签发：王军 11-24 10:00（电话签发，李明登记）" in screen_text(screen)
        # Sending: to the city's duty office by the private network, typed
        # fast as the form opens, then to the emergency bureau by fax.
        type_ahead(app, ["s", *"市政府总值班室", "enter"])
        await until(pilot, lambda: ReportSending.select().count() == 1)
        send = app.screen
        assert isinstance(send, SendReportForm)
        assert "已发送给市政府总值班室（专网）" in str(send.query_one("#form-message", Static).render())
        assert send.raw_value("recipient") == "" and app.focused is send.widget("recipient")
        await type_text(pilot, "区应急管理局")
        await pilot.press("tab")  # the contact book's name, taken
        await settle(pilot)
        send.widget("means").focus()
        await pilot.pause()
        await pilot.press("right")  # 专网 → 传真
        await pilot.press("enter")
        await settle(pilot)
        assert ReportSending.select().count() == 2
        # The same recipient again: refused, and what was typed stays.
        send.widget("recipient").focus()
        await pilot.pause()
        await type_text(pilot, "区应急管理局")
        await pilot.press("enter")
        await settle(pilot)
        assert "已向区应急管理局发送过" in str(send.query_one("#form-message", Static).render()) + field_message(
            send, "recipient")
        assert send.raw_value("recipient") == "区应急管理局"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        line = screen_text(screen)
        assert "首报 · 已发出 11-24 10:00" in line and "按时" in line
        assert "发送：市政府总值班室（专网）、区应急管理局（传真）" in line
        # Copy: the exact text, to the app's clipboard (OSC 52 to the terminal).
        await pilot.press("y")
        await settle(pilot)
        assert app.clipboard == as_text(UrgentReport.get())
        assert "已复制到剪贴板" in screen_text(screen)
    rows = list(ReportSending.select().order_by(ReportSending.id))
    assert [(r.recipient, r.means) for r in rows] == [("市政府总值班室", "专网"), ("区应急管理局", "传真")]
    assert rows[0].digest == rows[1].digest == service.digest(UrgentReport.get().text)
    assert rows[0].contact is not None  # named from the contact book


async def test_the_leader_signs_off_at_the_desk_after_a_confirmation(desk, make_desk):
    item = make_item(desk)
    report = service.draft(desk, item.id)
    leader = make_desk("leader")
    app = Host(lambda: ReportsScreen(leader, item.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmStep)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert "▶ 首报 · 已签发待发 · 签发：王军 11-24 10:00 · 时限 11-24 10:40\n" in screen_text(screen)
        assert screen.check_action("approve", ()) is False and screen.check_action("send", ()) is True
    report = UrgentReport.get_by_id(report.id)
    assert (report.approved_by, report.approval_means) == ("leader", "desk")


async def test_a_late_sending_asks_for_the_reason_and_is_refused_without_it(desk):
    item = make_item(desk)
    report = service.draft(desk, item.id)
    service.approve(desk, report.id, leader="王军")
    clock.set_now(desk.now() + timedelta(minutes=70))  # 11:10: the limit was 10:40
    app = Host(lambda: SendReportForm(desk, report.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = app.screen
        assert form.is_live("delay_reason")
        assert "已超时限 30 分钟" in field_message(form, "delay_reason")
        await type_text(pilot, "市政府总值班室")
        await pilot.press("enter")
        await settle(pilot)
        assert field_message(form, "delay_reason") == "必填"
        assert not ReportSending.select().exists() and form.raw_value("recipient") == "市政府总值班室"
        # Sent at 10:30 (typed): on time, no reason asked.
        form.widget("at").focus()
        await pilot.pause()
        await type_text(pilot, "10:30")
        await settle(pilot)
        assert not form.is_live("delay_reason")
        form.set_value("at", "")
        await settle(pilot)
        form.widget("delay_reason").focus()
        await pilot.pause()
        await type_text(pilot, "现场信息核实耗时")
        await pilot.press("enter")
        await settle(pilot)
        assert ReportSending.select().count() == 1
        assert not form.is_live("delay_reason")  # the next recipient: lateness is the first sending's
    report = UrgentReport.get_by_id(report.id)
    assert (report.late_minutes, report.delay_reason) == (30, "现场信息核实耗时")


async def test_the_urgent_event_form_no_longer_offers_the_written_reports_and_says_where_they_went(desk):
    from duty_desk.tui.forms.urgent import UrgentEventForm

    item = make_item(desk)
    app = Host(lambda: UrgentEventForm(desk, item.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = app.screen
        assert form.widget("kind").values == ["leader_informed", "phone_report"]
        assert "按 b 报送" in str(form.query_one("#form-intro", Static).render())


async def test_editing_a_signed_off_report_takes_its_approval_away_and_voiding_needs_a_reason(desk):
    from duty_desk.tui.forms.reports import EditReportForm, VoidReportForm

    item = make_item(desk)
    report = service.draft(desk, item.id)
    service.approve(desk, report.id, leader="王军")
    app = Host(lambda: ReportsScreen(desk, item.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.check_action("send", ()) is True and screen.check_action("approve", ()) is False
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EditReportForm)
        assert "正文改动后须重新签发" in str(form.query_one("#form-intro", Static).content)
        await type_text_area(pilot, form, "（更正）")
        await pilot.press("f2")
        await settle(pilot)
        assert app.screen is screen
        assert "▶ 首报 · 草稿 · 时限 11-24 10:40" in screen_text(screen)
        assert screen.check_action("send", ()) is False and screen.check_action("approve", ()) is True
        await pilot.press("v")
        await settle(pilot)
        void = app.screen
        assert isinstance(void, VoidReportForm)
        await pilot.press("enter")
        await settle(pilot)
        assert field_message(void, "reason") == "必填"
        await type_text(pilot, "领导要求重新核实后再报")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert "首报 · 已作废" in screen_text(screen)
        assert screen.check_action("new", ()) is True  # a new first report may be drafted
    report = UrgentReport.get_by_id(report.id)
    assert report.text.startswith("（更正）") and report.approved_at is None
    assert report.void_reason == "领导要求重新核实后再报"


async def type_text_area(pilot, form, text: str) -> None:
    """Type into the form's report text where its cursor is."""
    from duty_desk.tui.forms.reports import type_into

    type_into(form.text_area, text)
    await pilot.pause()


async def test_a_closed_item_offers_its_reports_to_read_and_copy_only(desk):
    item = make_item(desk)
    report = service.draft(desk, item.id)
    service.approve(desk, report.id, leader="王军")
    service.send(desk, report.id, "市政府总值班室", "专网")
    final = service.draft(desk, item.id, "final")
    service.approve(desk, final.id, leader="王军")
    service.send(desk, final.id, "市政府总值班室", "专网")
    app = Host(lambda: ReportsScreen(desk, item.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        for action in ("facts", "new", "edit", "approve", "void"):
            assert screen.check_action(action, ()) is False, action
        assert screen.check_action("copy", ()) is True
        assert "▶ 终报 · 已发出" in screen_text(screen)
        await pilot.press("left")  # the first report's text in view, and copied
        await pilot.press("c")
        await settle(pilot)
        assert app.clipboard == as_text(UrgentReport.get_by_id(report.id))


async def test_the_screen_speaks_english_when_the_desk_does_and_f1_explains_it(desk):
    from duty_desk.core.i18n import set_language
    from duty_desk.tui.screens.screen_keys import ScreenHelp

    item = make_item(desk)
    service.draft(desk, item.id)
    set_language("en")
    app = Host(lambda: ReportsScreen(desk, item.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        text = screen_text(screen)
        assert "casualties and losses  2人轻伤" in text and "Written reports" in text
        assert "▶ 首报 · draft" in text  # the report's own name is Chinese, as its text
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, ScreenHelp)
        own = [name for _action, _key, name in app.screen.own]
        assert "Sign off the report (or record a leader's approval by phone)" in own


def test_recipients_come_from_the_contact_book_the_level_above_first_and_leaders_only_leaders(desk):
    from duty_desk.core.reports import screen as reading
    from duty_desk.core.suggest import PERSON, UNIT

    make_item(desk)
    recipients = reading.recipients_book(desk)
    offered = [s.unit for s in recipients.suggest("市", UNIT)]
    # Those tagged 上级 or 信息报送 first, then the rest of the book.
    assert set(offered[:2]) == {"市政府总值班室", "市应急管理局"} and "市气象台" in offered[2:]
    from duty_desk.core.reports.recipients import resolve

    assert resolve("区水务局 王科长").contact is not None and resolve("某某单位").contact is None
    leaders = reading.leaders_book(desk)
    assert [s.name for s in leaders.suggest("王", PERSON)] == ["王军"]
    assert leaders.suggest("李", PERSON) == []  # 李明 is an officer, not a leader


async def test_a_voided_sending_is_not_listed_as_sent_and_that_recipient_can_be_sent_to_again(desk):
    item = make_item(desk)
    report = service.draft(desk, item.id)
    service.approve(desk, report.id, leader="王军")
    service.send(desk, report.id, "市政府总值班室", "专网")
    wrong = service.send(desk, report.id, "区水务局", "传真")
    service.void_sending(desk, wrong.id, "传真未发出")
    app = Host(lambda: SendReportForm(desk, report.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = app.screen
        intro = str(form.query_one("#form-intro", Static).content)
        assert "发送：市政府总值班室（专网）" in intro and "区水务局" not in intro
        await type_text(pilot, "区水务局")
        await pilot.press("enter")
        await settle(pilot)
    live = [s for s in service.sendings(report.id) if s.voided_at is None]
    assert [(s.recipient, s.means) for s in live] == [("市政府总值班室", "专网"), ("区水务局", "专网")]


async def test_a_recipient_not_in_the_contact_book_is_recorded_as_typed_and_the_officer_is_told(desk):
    """The desk takes a recipient as the contact book names it (as `report
    send` does) and says when it is not there at all: a typo such as a
    half-typed pinyin would otherwise go on the record unnoticed."""
    item = make_item(desk)
    report = service.draft(desk, item.id)
    service.approve(desk, report.id, leader="王军")
    app = Host(lambda: SendReportForm(desk, report.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "shengzf")  # no name matches: nothing is offered
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        told = str(app.screen.query_one("#form-message", Static).content)
        assert "“shengzf”不在通讯录中" in told
        await type_text(pilot, "区水务局 王科长")
        await pilot.press("enter")
        await settle(pilot)
        told = str(app.screen.query_one("#form-message", Static).content)
        assert "不在通讯录" not in told
    sent = [(s.recipient, s.contact is not None) for s in service.sendings(report.id)]
    assert sent == [("shengzf", False), ("区水务局 王科长（科长）", True)]
