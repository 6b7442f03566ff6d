"""The desk stays live without waste: nothing is redrawn while nothing
changes (an idle desk over SSH sends nothing), and what another session
writes shows in the panes of the kinds it touched."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from app_helpers import column, settle, type_text
from textual.widget import Widget

from duty_desk.core import clock
from duty_desk.core.models import LogEntry
from duty_desk.core.services import documents, log, urgent, visitors
from duty_desk.tui.app import DutyDeskApp

WATCH_SECONDS = 0.25  # duty_desk.tui.app.WATCH_SECONDS


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
    # Its phone report is due in half an hour: far from the warning time, its
    # countdown shows minutes (it ticked every second).
    urgent.open_urgent(desk, "城西区民房倒塌", "事故灾难", "II")
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


def _count_fetches(monkeypatch) -> dict[str, int]:
    from duty_desk.tui.panes import DocumentsPane, LogPane, UrgentPane, VisitorsPane

    fetched: dict[str, int] = {}
    for cls in (LogPane, VisitorsPane, DocumentsPane, UrgentPane):
        original = cls.fetch

        def fetch(self, desk, _original=original):
            fetched[self.id] = fetched.get(self.id, 0) + 1
            return _original(self, desk)

        monkeypatch.setattr(cls, "fetch", fetch)
    return fetched


async def _until(pilot, condition, seconds: float = 5.0) -> bool:
    """Real time passes (the desk's watching thread runs on its own)."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await asyncio.sleep(0.05)
        await pilot.pause()
    return condition()


async def test_enter_shows_the_line_from_the_written_record_without_reading_the_day_again(desk, monkeypatch):
    """Each Enter re-read the whole day's log (and the visitors, for the
    shift) and redrew every row; the line is now shown from the record just
    written, and the store's watch does not reload it a second time."""
    log.record_entry(desk, "交班前的一条", "记事")
    app = DutyDeskApp(desk)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        fetched = _count_fetches(monkeypatch)
        await type_text(pilot, "市应急管理局来电询问防汛值守安排")
        await pilot.press("enter")
        await settle(pilot)
        assert column(app, "log", "content") == ["交班前的一条", "市应急管理局来电询问防汛值守安排"]
        await asyncio.sleep(4 * WATCH_SECONDS)  # the watching thread looks meanwhile
        await settle(pilot)
        assert fetched == {}
        stored = LogEntry.select().order_by(LogEntry.id.desc()).first()
        assert app.desk_screen.pane("log").table.row_keys()[-1] == str(stored.id)


async def test_another_sessions_write_shows_by_itself_and_reloads_only_its_pane(desk, make_desk, monkeypatch):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        other = make_desk("incoming")
        log.record_entry(other, "开班", "记事")  # 陈静 joins the shift: the header and visitors follow
        assert await _until(pilot, lambda: column(app, "log", "content") == ["开班"])
        await settle(pilot)
        fetched = _count_fetches(monkeypatch)
        log.record_entry(other, "陈静：已通知城管局到场处置", "记事")
        # Nobody asks the desk to look: its watching thread does (how soon is
        # measured by the benchmark and the SSH test, not here).
        assert await _until(pilot, lambda: "陈静：已通知城管局到场处置" in column(app, "log", "content"))
        await settle(pilot)
        assert fetched == {"log": 1}  # neither visitors nor documents nor urgent read again


async def test_a_line_shown_from_enter_looks_as_it_does_after_a_full_reload(desk):
    """The row added from the written record, in the widths the columns had,
    is the row a full reload draws: a longer line widens its column into the
    room there is, a line longer than the pane is cut the same way."""
    log.record_entry(desk, "短", "记事")
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for line in ("#来电 市应急管理局来电询问防汛值守安排",
                     "市水务局通报：全市主要水库水位均在汛限以下，请各地继续加强巡查，发现险情立即报告" * 2):
            await type_text(pilot, line)
            await pilot.press("enter")
            await settle(pilot)
        table = app.desk_screen.pane("log").table
        added = [[cell.plain for cell in table.get_row(key)] for key in table.row_keys()]
        widths = [c.width for c in table.ordered_columns]
        app.desk_screen.pane("log").loaded = False
        app.desk_screen.pane("log").table.clear()
        app.desk_screen.reload({"log"})
        await settle(pilot)
        assert [[cell.plain for cell in table.get_row(key)] for key in table.row_keys()] == added
        assert [c.width for c in table.ordered_columns] == widths
        assert added[-1][3].endswith("…")


async def test_a_tick_that_moves_nothing_on_screen_builds_no_row(desk, monkeypatch):
    """Each second every pane with a countdown or a waiting time rebuilt all
    its rows to find that nothing had changed (6.5 ms a second on a one-year
    store); a pane is now redrawn only when what the clock moves in it moved."""
    from duty_desk.tui.panes import DocumentsPane, UrgentPane, VisitorsPane

    visitors.register_visitor(desk, "钱秀英", unit="市水务局")
    documents.receive_document(desk, "市民政局", title="关于报送冬季救助情况的函", deadline="2026-11-26 18:00")
    urgent.open_urgent(desk, "城西区民房倒塌", "事故灾难", "II")
    clock.set_now(clock.now() + timedelta(seconds=30))
    app = DutyDeskApp(desk)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        built: list[str] = []
        for cls in (VisitorsPane, DocumentsPane, UrgentPane):
            original = cls.cells
            monkeypatch.setattr(cls, "cells", lambda self, *a, _o=original: (built.append(self.id), _o(self, *a))[1])
        for _ in range(5):
            clock.set_now(clock.now() + timedelta(seconds=1))
            app.tick()
        assert built == []
        clock.set_now(clock.now() + timedelta(minutes=1))
        app.tick()
        assert {"visitors", "documents", "urgent"} <= set(built)  # their minutes moved
