"""The officer who handed over, on their own desk: they see at once that they
are off duty, an entry is refused with the reason (nothing typed is lost, no
one else's shift gains them), and F8 in the handover screen says why they
cannot take it over. A real SQLite file, the clock fixed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from app_helpers import settle, type_text
from conftest import T0
from test_handover_screen import Host, shown

from duty_desk.core import clock
from duty_desk.core.handover import flow as ho
from duty_desk.core.models import LogEntry, Shift
from duty_desk.core.services import log
from duty_desk.tui.app import DutyDeskApp
from duty_desk.tui.header import HeaderBar
from duty_desk.tui.screens.handover import HandoverScreen


@pytest.fixture
def incoming(make_desk, fixed_clock):
    return make_desk("incoming")


@pytest.fixture
def taken_over(desk, incoming):
    """李明 handed over at 10:30, 陈静 accepted and recorded at 10:40."""
    log.record_entry(desk, "市应急管理局来电通报雨情")
    clock.set_now(T0 + timedelta(minutes=30))
    handover = ho.hand_over(desk, "")
    for item in ho.items_of(handover.id):
        ho.read_back(incoming, item.id)
    ho.accept(incoming, handover.id)
    clock.set_now(T0 + timedelta(minutes=40))
    log.record_entry(incoming, "气象台来电：今晚有暴雨")
    clock.set_now(T0 + timedelta(minutes=50))
    return handover


def header_text(app: DutyDeskApp) -> str:
    return app.desk_screen.query_one(HeaderBar).render().plain


async def test_the_officer_who_handed_over_sees_it_and_an_entry_is_refused_with_the_reason(desk, taken_over):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "已于10:30交班" in header_text(app)
        await type_text(pilot, "补充：雨情已报带班领导")
        await pilot.press("enter")
        await settle(pilot)
        status = str(app.desk_screen.query_one("#entry-status").render())
        assert "已于 2026-11-24 10:30 交班" in status and "陈静" in status
        assert app.desk_screen.entry.value == "补充：雨情已报带班领导"  # kept
        assert not LogEntry.select().where(LogEntry.content.contains("补充")).exists()
        assert Shift.select().where(Shift.state == "open").get().officers == ["incoming"]


async def test_the_officer_on_duty_sees_no_handed_over_mark(incoming, taken_over):
    app = DutyDeskApp(incoming)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "交班" not in header_text(app) and "陈静" in header_text(app)


async def test_f8_on_a_handover_one_cannot_accept_says_why(desk, incoming):
    log.record_entry(desk, "来电：区防汛办询问值班安排")
    ho.hand_over(desk, "")
    app = Host(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HandoverScreen) and screen.view.mode == "handed"
        await pilot.press("f8")
        await settle(pilot)
        assert "不能自己接班" in shown(screen, "message")


async def test_a_leader_pressing_f8_on_a_waiting_handover_is_told_why(desk, make_desk):
    log.record_entry(desk, "来电：区防汛办询问值班安排")
    ho.hand_over(desk, "")
    app = Host(make_desk("leader"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert "带班领导" in shown(app.screen, "message")


async def test_with_nothing_to_take_over_the_handover_screen_says_so(desk, incoming):
    log.record_entry(desk, "来电：区防汛办询问值班安排")
    app = Host(incoming)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "没有待接班的交接" in shown(app.screen, "status") and "李明" in shown(app.screen, "status")
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("enter")  # the confirm step: the core then says why not
        await settle(pilot)
        assert "不是" in shown(app.screen, "message") and "值班员" in shown(app.screen, "message")
