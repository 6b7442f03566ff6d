"""A desk already open when its officer is deactivated: the next write is
refused by the core, and the desk says so and keeps what was typed."""

from __future__ import annotations

from app_helpers import Host, settle, type_text

from duty_desk.core.models import AuditEvent, LogEntry, Officer
from duty_desk.tui.app import DutyDeskApp


async def test_a_deactivated_officers_open_desk_shows_the_refusal_and_keeps_the_text(desk, make_desk):
    other = make_desk("incoming")
    app = DutyDeskApp(other)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # meanwhile, the administrator deactivates 陈静 from another desk
        Officer.update(active=False).where(Officer.login == "incoming").execute()
        await type_text(pilot, "市应急管理局来电询问防汛值守安排")
        await pilot.press("enter")
        await settle(pilot)
        status = str(app.desk_screen.query_one("#entry-status").render())
        assert "陈静" in status and "已停用" in status
        assert app.desk_screen.entry.value == "市应急管理局来电询问防汛值守安排"
        assert not LogEntry.select().exists()
        event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
        assert (event.actor, event.outcome) == ("incoming", "failure")


async def test_a_deactivated_officers_form_says_why_and_keeps_what_was_typed(desk, make_desk):
    from textual.widgets import Static

    from duty_desk.core.models import Visitor
    from duty_desk.tui.forms import VisitorForm

    other = make_desk("incoming")
    app = Host(lambda: VisitorForm(other, name="张建国", unit="城关街道办事处"))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        Officer.update(active=False).where(Officer.login == "incoming").execute()
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, VisitorForm)  # still open
        said = str(form.query_one("#form-message", Static).render())
        assert "陈静" in said and "已停用" in said
        assert form.widget("name").value == "张建国"
    assert not Visitor.select().exists()
