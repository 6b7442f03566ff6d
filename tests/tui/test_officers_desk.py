"""A desk already open when its officer is deactivated: the next write is
refused by the core, and the desk says so and keeps what was typed."""

from __future__ import annotations

from app_helpers import settle, type_text

from duty_desk.models import AuditEvent, LogEntry, Officer
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
