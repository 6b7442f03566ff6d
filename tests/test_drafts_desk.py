"""The desk's side of drafts: one desk restores a draft, an open form is
kept like the entry line, and the same entry is asked about before it is
recorded twice. Thread workers are awaited, never slept on."""

from __future__ import annotations

import signal

import pytest

from duty_desk.core.models import LogEntry
from duty_desk.core.services import drafts, log
from duty_desk.tui.app import DutyDeskApp
from duty_desk.tui.forms import UrgentForm
from duty_desk.tui.forms.base import DeskForm


async def settle(pilot) -> None:
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def status(app: DutyDeskApp) -> str:
    return str(app.desk_screen.query_one("#entry-status").render())


async def type_line(pilot, text: str) -> None:
    pilot.app.focused.insert_text_at_cursor(text)
    await pilot.pause()


async def test_a_desk_does_not_restore_the_draft_of_the_officers_other_desk_still_open(desk):
    other = drafts.start_session()  # the officer's first desk, still running
    drafts.save_draft(desk, "东城街道来电反映", other)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.desk_screen.entry.value == ""
    drafts.end_session(other)  # now it is gone: the next desk takes it over
    again = DutyDeskApp(desk)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert again.desk_screen.entry.value == "东城街道来电反映"


async def test_a_desk_opened_while_the_dropped_one_is_still_closing_gets_its_draft(desk):
    """A reconnect after a dropped SSH connection is quick: the old desk may
    still be closing when the new one opens. The new one takes the draft over
    as soon as the old one has let go."""
    other = drafts.start_session()  # the desk whose connection dropped, not yet closed
    drafts.save_draft(desk, "东城街道来电反映积水", other)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(1.0)  # not settle: the desk is still waiting for the old one
        assert app.desk_screen.entry.value == ""
        drafts.end_session(other)  # it noticed the hang-up and closed
        for _ in range(100):
            await pilot.pause(0.1)
            if app.desk_screen.entry.value:
                break
        assert app.desk_screen.entry.value == "东城街道来电反映积水"


async def test_the_same_entry_again_within_minutes_is_asked_about_before_it_is_recorded(desk):
    log.record_entry(desk, "区气象台来电：今晚有暴雨", "来电")  # Enter on the other desk
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_line(pilot, "#来电 区气象台来电：今晚有暴雨")
        await pilot.press("enter")
        await settle(pilot)
        assert LogEntry.select().count() == 1
        assert "已记录过相同" in status(app)
        assert app.desk_screen.entry.value == "#来电 区气象台来电：今晚有暴雨"  # kept
        await pilot.press("enter")  # yes, once more
        await settle(pilot)
        assert LogEntry.select().count() == 2
        assert app.desk_screen.entry.value == ""


async def test_a_changed_line_after_the_question_is_asked_about_anew(desk):
    log.record_entry(desk, "接班，设备正常", "记事")
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_line(pilot, "接班，设备正常")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("backspace")
        await type_line(pilot, "常")
        await pilot.press("enter")
        await settle(pilot)
        assert LogEntry.select().count() == 1  # asked again, not recorded


async def test_a_hang_up_keeps_the_line_and_a_half_filled_form_for_the_next_desk(desk, make_desk):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_line(pilot, "市水务局来电，询问")
        app.desk_screen.action_new_urgent()
        await settle(pilot)
        assert isinstance(app.screen, UrgentForm)
        await type_line(pilot, "城西区民房倒塌")
        # Typed an instant ago: no timer has written it yet.
        app.hang_up(signal.SIGHUP)
        await settle(pilot)
    assert app.return_code == 0
    assert drafts.load_draft(desk) == "市水务局来电，询问"
    again = DutyDeskApp(make_desk("tester"))
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = again.screen
        assert isinstance(form, UrgentForm)
        assert form.raw_value("title") == "城西区民房倒塌"
        assert "已恢复" in str(form.query_one("#form-message").render())
        await pilot.press("escape")
        await settle(pilot)
        assert again.desk_screen.entry.value == "市水务局来电，询问"
    assert drafts.load_draft(desk, slot=drafts.FORM) == ""  # given up on purpose: gone


async def test_a_form_is_kept_as_a_draft_while_it_is_typed(desk):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.desk_screen.action_new_visitor()
        await settle(pilot)
        await type_line(pilot, "张建国")
        form = app.screen
        assert isinstance(form, DeskForm)
        form._draft_due()  # the timer's moment
        await settle(pilot)
        assert "张建国" in drafts.load_draft(desk, app.session, drafts.FORM)
        await pilot.press("enter")
        await settle(pilot)
        assert drafts.load_draft(desk, app.session, drafts.FORM) == ""  # saved: no draft lingers


async def test_a_crash_keeps_what_was_typed_and_ends_with_a_failure_status(desk):
    app = DutyDeskApp(desk)
    with pytest.raises(RuntimeError, match="boom"):
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await type_line(pilot, "省应急厅来电")

            def broken() -> None:
                raise RuntimeError("boom")

            app.desk_screen.action_new_call = broken
            await pilot.press("f5")
            await settle(pilot)
    assert app.return_code == 1
    assert drafts.load_draft(desk) == "省应急厅来电"


async def test_a_crash_in_a_form_keeps_the_form_and_ends_with_a_failure_status(desk):
    from duty_desk.tui.forms import VisitorForm

    app = DutyDeskApp(desk)
    with pytest.raises(RuntimeError, match="boom"):
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.desk_screen.action_new_visitor()
            await settle(pilot)
            form = app.screen
            assert isinstance(form, VisitorForm)
            await type_line(pilot, "张建国")

            def broken() -> None:
                raise RuntimeError("boom")

            form.action_submit = broken
            await pilot.press("enter")
            await settle(pilot)
    assert app.return_code == 1
    assert '"name": "张建国"' in drafts.load_draft(desk, slot=drafts.FORM)


async def test_a_form_draft_never_keeps_an_id_number_and_the_restored_form_asks_for_it(desk, make_desk):
    from duty_desk.tui.forms import VisitorForm

    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.desk_screen.action_new_visitor()
        await settle(pilot)
        form = app.screen
        assert isinstance(form, VisitorForm)
        await type_line(pilot, "李四")
        form.widget("id_number").value = "11010519491231002X"
        await pilot.pause()
        app.hang_up(signal.SIGHUP)
        await settle(pilot)
    kept = drafts.load_draft(desk, slot=drafts.FORM)
    assert "李四" in kept and "1949" not in kept
    again = DutyDeskApp(make_desk("tester"))
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = again.screen
        assert isinstance(form, VisitorForm) and form.raw_value("name") == "李四"
        assert form.raw_value("id_number") == ""
        assert "证件号码" in str(form.query_one("#form-message").render())


async def test_text_typed_before_the_draft_came_back_is_kept_beside_it(desk):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        gone = drafts.start_session()
        drafts.save_draft(desk, "东城街道来电反映", gone)
        drafts.end_session(gone)
        entry = app.desk_screen.entry
        entry.input.value = "积水"  # typed at once, before the draft was read
        entry.restore_draft()
        await settle(pilot)
        assert entry.value == "东城街道来电反映 积水"


async def test_a_report_being_drafted_is_kept_and_comes_back_with_its_text(desk, make_desk):
    """Nothing typed is lost: the text of a report being drafted (a text box,
    not a field) is kept in the form's draft, and the next desk opens the
    same form with that text."""
    from duty_desk.core.services import urgent
    from duty_desk.tui.forms.reports import DraftReportForm

    item = urgent.open_urgent(desk, "城西区暴雨致一处老旧民房倒塌", "自然灾害", "III")
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.desk_screen.push_form(DraftReportForm, item.id)
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DraftReportForm)
        form.text_area.insert("【领导关注】")
        await pilot.pause()
        form._draft_due()  # the timer's moment
        await settle(pilot)
        app.hang_up(signal.SIGHUP)
        await settle(pilot)
    kept = drafts.load_draft(desk, slot=drafts.FORM)
    assert "DraftReportForm" in kept and "【领导关注】" in kept
    again = DutyDeskApp(make_desk("tester"))
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(20):
            if isinstance(again.screen, DraftReportForm) and again.screen.ready:
                break
            await pilot.pause(0.05)
        form = again.screen
        assert isinstance(form, DraftReportForm)
        await settle(pilot)
        text = form.text_area.text
        assert text.startswith("【领导关注】") and "（首报）" in text
