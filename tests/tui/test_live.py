"""The desk stays live without waste: nothing is redrawn while nothing
changes (an idle desk over SSH sends nothing), and what another session
writes shows in the panes of the kinds it touched."""

from __future__ import annotations

from datetime import timedelta

from app_helpers import settle
from textual.widget import Widget

from duty_desk.core import clock
from duty_desk.core.services import documents, log, visitors
from duty_desk.tui.app import DutyDeskApp


def _count_refreshes(monkeypatch) -> list[str]:
    seen: list[str] = []
    original = Widget.refresh

    def refresh(self, *args, **kwargs):
        seen.append(f"{type(self).__name__}#{self.id}")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Widget, "refresh", refresh)
    return seen


async def test_an_idle_desk_redraws_nothing_while_the_minute_lasts(desk, monkeypatch):
    """The tick ran every second and set the header and every pane's title
    again: a full redraw each second (20 KiB/s to the terminal on an idle
    desk). Now a second that changes nothing on screen redraws nothing."""
    log.record_entry(desk, "市应急局来电询问值守安排", "来电")
    visitors.register_visitor(desk, "钱秀英", unit="市水务局")
    documents.receive_document(desk, "市民政局", title="关于报送冬季救助情况的函", deadline="2026-11-26 18:00")
    clock.set_now(clock.now() + timedelta(seconds=30))  # a document's countdown shows minutes
    app = DutyDeskApp(desk)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        seen = _count_refreshes(monkeypatch)
        for _ in range(5):
            clock.set_now(clock.now() + timedelta(seconds=1))  # 10:00:31 … 10:00:35
            app.tick()
            await pilot.pause()
        assert seen == []
        clock.set_now(clock.now() + timedelta(minutes=1))
        app.tick()
        await pilot.pause()
        assert "HeaderBar#header" in seen  # the clock shows the new minute
