"""Swaps at the desk, driven as officers drive them, each at a desk of their
own on one store: 李明 asks 陈静 from the month view to take his duty of
2026-11-26 and give him hers of 11-28 in return (keys without pauses, the
reason pasted); 陈静 is told as her desk opens, opens the list and accepts;
王军 (a leader) is told, and approves; the month then shows the day swapped.
A refused request keeps what was typed and says why; without approval the
acceptance puts the swap in effect; a request is withdrawn or refused; cover
is an administrator's. The clock stands at 2026-11-24 10:00 in Shanghai."""

from __future__ import annotations

from datetime import date

import pytest
from app_helpers import settle, type_text
from test_roster_desk import ROSTER_TOML, open_as  # noqa: F401  (the fixture)
from textual import events

from duty_desk.core import audit
from duty_desk.core.config import load_config
from duty_desk.core.opening import open_desk
from duty_desk.core.roster import service
from duty_desk.core.roster.view import duty_of, swaps
from duty_desk.tui.app import DutyDeskApp
from duty_desk.tui.screens.roster import RosterScreen
from duty_desk.tui.screens.swaps import CoverForm, SwapForm, SwapListScreen

SWAP_DAY = date(2026, 11, 26)  # 李明's, given to 陈静
BACK_DAY = date(2026, 11, 28)  # 陈静's, given to 李明 in return
NOT_HIS = date(2026, 11, 25)  # 欧阳晓峰's


def arrange(admin) -> None:
    """Who is on the days the tests swap (the month is published: amended)."""
    service.set_duty(admin, SWAP_DAY, 0, officers=["李明"], leaders=["王军"], reason="调整")
    service.set_duty(admin, BACK_DAY, 0, officers=["陈静"], leaders=["王军"], reason="调整")
    service.set_duty(admin, NOT_HIS, 0, officers=["欧阳晓峰"], leaders=["王军"], reason="调整")


@pytest.fixture
def desks(open_as):  # noqa: F811
    arrange(open_as("admin"))
    return open_as


@pytest.fixture
def desks_without_approval(tmp_path, db_path, fixed_clock):
    """The same store, with ``[roster] swap_approval = false``."""
    path = tmp_path / "no_approval.toml"
    path.write_text(ROSTER_TOML + "\n[roster]\nswap_approval = false\n", encoding="utf-8")
    cfg = load_config(str(path))
    opened = []

    def open_desk_as(login: str):
        desk = open_desk(cfg, "sqlite:///" + str(db_path), login=login)
        opened.append(desk)
        return desk

    admin = open_desk_as("admin")
    service.plan_month(admin, "2026-11")
    service.publish_month(admin, "2026-11")
    arrange(admin)
    yield open_desk_as
    for desk in opened:
        desk.close()


def asked_swaps():
    """The swaps asked in the test (the store holds a cover of October too)."""
    return [s for s in swaps() if s.kind == "swap"]


def warn_bar(app) -> str:
    return str(app.desk_screen.query_one("#warn-bar").render())


def roster(app) -> RosterScreen:
    for screen in app.screen_stack:
        if isinstance(screen, RosterScreen):
            return screen
    raise AssertionError("no month view")


def swap_list(app) -> SwapListScreen:
    assert isinstance(app.screen, SwapListScreen), app.screen
    return app.screen


def list_rows(app) -> list[str]:
    table = swap_list(app).table
    return [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def ask_swap(pilot, reason: str = "家中老人住院需陪护", back: str = "11-28", days_right: int = 2) -> None:
    """From the desk: F11, to the day, s, the colleague, Tab, the day back,
    Tab, the reason pasted, Enter."""
    await settle(pilot)
    await pilot.press("f11", *["right"] * days_right, "s")
    await settle(pilot)
    assert isinstance(pilot.app.screen, SwapForm)
    await type_text(pilot, "陈静")
    await pilot.press("tab")
    await type_text(pilot, back)
    await pilot.press("tab")
    pilot.app.post_message(events.Paste(reason))
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)


async def test_a_swap_asked_accepted_and_approved_is_on_the_roster_with_each_step_audited(desks):
    app = DutyDeskApp(desks("tester"))
    async with app.run_test(size=(80, 24)) as pilot:
        await ask_swap(pilot)
        assert isinstance(app.screen, RosterScreen)  # the form closed: the request is made
    [asked] = swaps(states=("requested",))
    assert (asked.duty_date, asked.to_login, asked.back_date) == (SWAP_DAY, "incoming", BACK_DAY)
    assert asked.reason == "家中老人住院需陪护"

    colleague = DutyDeskApp(desks("incoming"))
    async with colleague.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = warn_bar(colleague)
        assert f"换班申请 #{asked.id}：李明请您接 2026-11-26 周四 全天班 的班" in bar
        await pilot.press("f11", "w")
        await settle(pilot)
        [row] = list_rows(colleague)
        assert "11-26 周四" in row and "李明" in row and "陈静" in row and "11-28 周六" in row
        assert "待对方同意" in row
        await pilot.press("a", "y")
        await settle(pilot)
        assert "待审批" in list_rows(colleague)[0]
        assert "已同意" not in str(swap_list(colleague).query_one("#swaps-status").render())
        assert "待审批" in str(swap_list(colleague).query_one("#swaps-status").render())

    leader = DutyDeskApp(desks("leader"))
    async with leader.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert f"换班申请 #{asked.id} 待您审批：李明 2026-11-26 周四 全天班 的班由陈静接" in warn_bar(leader)
        await pilot.press("f11", "w", "p")
        await settle(pilot)
        await pilot.press("enter")  # the note is optional
        await settle(pilot)
        assert list_rows(leader) == []  # nothing open is left
        await pilot.press("escape", "right", "right")
        await settle(pilot)
        month = roster(leader)
        assert month.cursor == SWAP_DAY
        assert "26      ⇄✎" in month.grid.render().plain
        assert "值班 陈静" in str(month.query_one("#roster-day").render())
    assert duty_of(BACK_DAY, 0, leader.desk.cfg).officers == ("tester",)
    steps = [(e.action, e.actor) for e in audit.history("swap", asked.id)]
    assert steps == [("create", "tester"), ("accept", "incoming"), ("approve", "leader")]


async def test_a_refused_request_keeps_what_was_typed_and_says_why(desks):
    app = DutyDeskApp(desks("tester"))
    async with app.run_test(size=(80, 24)) as pilot:
        await ask_swap(pilot, reason="参加培训", days_right=1)  # 11-25: 欧阳晓峰's, not his
        form = app.screen
        assert isinstance(form, SwapForm)
        assert "您在 2026-11-25 全天班 没有值班安排" in str(form.query_one("#form-message").render())
        assert form.raw_value("reason") == "参加培训" and form.raw_value("with") == "陈静"
        await pilot.press("escape", "right", "s")  # 11-26, his; 陈静 is not on 11-27
        await settle(pilot)
        await type_text(pilot, "陈静")
        await pilot.press("tab")
        await type_text(pilot, "11-27")
        await pilot.press("tab")
        await type_text(pilot, "参加培训")
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SwapForm)
        assert "陈静在 2026-11-27 没有值班安排，无法换回" in str(form.query_one("#msg-back").render())
        assert form.raw_value("reason") == "参加培训"
    assert asked_swaps() == []


async def test_without_approval_the_colleagues_acceptance_puts_it_in_effect(desks_without_approval):
    app = DutyDeskApp(desks_without_approval("tester"))
    async with app.run_test(size=(80, 24)) as pilot:
        await ask_swap(pilot, back="")
    colleague = DutyDeskApp(desks_without_approval("incoming"))
    async with colleague.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f11", "w", "a")
        await settle(pilot)
        assert "同意后立即生效" in colleague.screen.body
        await pilot.press("y")
        await settle(pilot)
        assert list_rows(colleague) == []
        assert "已生效" in str(swap_list(colleague).query_one("#swaps-status").render())
        await pilot.press("escape", "right", "right")
        await settle(pilot)
        assert "值班 陈静" in str(roster(colleague).query_one("#roster-day").render())
    assert [s.state for s in asked_swaps()] == ["approved"]


async def test_the_asker_withdraws_and_the_colleague_refuses_with_a_reason(desks):
    app = DutyDeskApp(desks("tester"))
    async with app.run_test(size=(80, 24)) as pilot:
        await ask_swap(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert "待对方同意" in list_rows(app)[0]
        await pilot.press("a")  # not his to accept: nothing happens
        await settle(pilot)
        assert isinstance(app.screen, SwapListScreen)
        await pilot.press("x", "y")
        await settle(pilot)
        assert list_rows(app) == []
        await pilot.press("escape", "s")  # asked again
        await settle(pilot)
        await type_text(pilot, "陈静")
        await pilot.press("tab", "tab")
        await type_text(pilot, "临时出差")
        await pilot.press("enter")
        await settle(pilot)
    colleague = DutyDeskApp(desks("incoming"))
    async with colleague.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f11", "w", "r")
        await settle(pilot)
        await type_text(pilot, "当天已有安排")
        await pilot.press("enter")
        await settle(pilot)
        assert list_rows(colleague) == []
    states = [(s.state, s.decision_note) for s in asked_swaps()]
    assert states == [("withdrawn", ""), ("refused", "当天已有安排")]


async def test_cover_is_for_administrators_and_others_are_told_why(desks):
    app = DutyDeskApp(desks("tester"))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f11", "c")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        assert any("替班只能由管理员安排" in str(n.message) for n in app._notifications)
        shown = [b.binding.description for b in app.screen.active_bindings.values() if b.binding.show]
        assert "替班" not in shown  # the footer offers cover to administrators only
    admin = DutyDeskApp(desks("admin"))
    async with admin.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f11", "right", "right", "c")
        await settle(pilot)
        assert isinstance(admin.screen, CoverForm)
        await type_text(pilot, "李明")
        await pilot.press("tab")
        await type_text(pilot, "欧阳晓峰")
        await pilot.press("tab")
        await type_text(pilot, "突发疾病")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(admin.screen, RosterScreen)
        assert "值班 欧阳晓峰" in str(admin.screen.query_one("#roster-day").render())
    covered = swaps()[-1]
    assert (covered.kind, covered.state, covered.requested_by) == ("cover", "approved", "admin")


async def test_the_palette_of_the_month_view_opens_the_swap_list(desks):
    app = DutyDeskApp(desks("tester"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f11", "ctrl+p")
        await settle(pilot)
        await type_text(pilot, "换班申请列表")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SwapListScreen)
        assert "没有未办结的换班申请" in str(app.screen.query_one("#swaps-status").render())


async def test_the_swap_keys_are_rebound_from_the_keymap_and_listed_by_f1(desks):
    desk = desks("tester")
    desk.cfg.keymap = {"roster.swaps": "l"}
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f11", "f1")
        await settle(pilot)
        own = str(app.screen.query_one("#help-own-keys").render())
        assert "\nl    换班申请列表" in own  # the key as rebound, aligned with the others
        assert "申请换班" in own
        await pilot.press("escape", "l")
        await settle(pilot)
        assert isinstance(app.screen, SwapListScreen)
