"""The detail screen: a record's fields, its steps or timeline, its full
history from the audit trail, and the keys that act on it."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from app_helpers import Host
from rich.console import Console
from textual.widgets import Static

from duty_desk.core import clock
from duty_desk.core.detail import load_detail
from duty_desk.core.errors import Refused
from duty_desk.core.models import UrgentEvent, Visitor
from duty_desk.core.services import common, documents, log, urgent, visitors
from duty_desk.tui.forms import VoidForm
from duty_desk.tui.screens.detail import DetailScreen

ROOT = Path(__file__).resolve().parents[2]
GOOD_ID = "11010519491231002X"





async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def shown_text(pilot, width: int = 76) -> str:
    """What the detail body shows, as plain text."""
    body = pilot.app.screen.query_one("#detail-content", Static).content
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(body)
    return console.export_text()


def make_urgent_day(desk):
    """A serious landslide with leader informed, phone report and first report."""
    item = urgent.open_urgent(desk, "城东路段山体滑坡，两车受困", "自然灾害", "II", received_at="09:40",
                              occurred_at="09:35", place="城东路K3+200", source_unit="区应急管理局",
                              source_name="赵强", source_phone="0571-87001234",
                              measures="已封闭道路，调派消防救援力量")
    urgent.add_event(desk, item.id, "leader_informed", party="王军", means="电话", text="立即组织救援，随时报告",
                     at="09:45")
    urgent.record_phone_report(desk, item.id, party="市政府总值班室", at="09:55")
    urgent.add_event(desk, item.id, "first_report", party="市政府总值班室", means="政务专网",
                     text="城东路K3+200处山体滑坡，两车受困，无人员伤亡报告", at="09:58")
    return item


def test_detail_of_a_visitor_shows_the_masked_id_and_who_did_what(desk):
    v = visitors.register_visitor(desk, "张建国", unit="城关街道办事处", id_number=GOOD_ID, arrived_at="09:15")
    clock.set_now(desk.now() + timedelta(minutes=20))
    visitors.check_out(desk, v.id, "已转区住建局")
    d = load_detail(desk, "visitor", v.id)
    fields = dict(d.fields)
    assert fields["证件号码"] == "110105********002X"
    assert fields["到达时间"] == "2026-11-24 09:15"  # local time, not UTC
    assert [(h.actor, h.action) for h in d.history] == [("李明", "登记"), ("李明", "离开")]
    leave = {c.label: (c.old, c.new) for c in d.history[1].changes}
    assert leave["状态"] == ("等候", "已离开")
    assert leave["离开时间"] == ("", "2026-11-24 10:20")
    assert GOOD_ID not in repr(d)


def test_detail_of_a_voided_record_says_so_and_keeps_the_original(desk):
    entry = log.record_entry(desk, "区气象台来电：今晚有暴雨", "来电", "09:40")
    common.void_record(desk, "log", entry.id, "重复登记")
    d = load_detail(desk, "log", entry.id)
    assert any("已作废" in m and "重复登记" in m for m in d.marks)
    assert dict(d.fields)["内容"] == "区气象台来电：今晚有暴雨"
    assert d.history[-1].action == "作废"
    assert "void" not in d.actions


def test_a_corrected_entry_shows_the_old_and_new_value_and_why(desk):
    entry = log.record_entry(desk, "区气象台来电：今晚有大雨", "来电", "09:40")
    log.correct_entry(desk, entry.id, "听错了，是暴雨", content="区气象台来电：今晚有暴雨")
    d = load_detail(desk, "log", entry.id)
    last = d.history[-1]
    assert last.action == "更正"
    changes = {c.label: (c.old, c.new) for c in last.changes}
    assert changes["内容"] == ("区气象台来电：今晚有大雨", "区气象台来电：今晚有暴雨")
    assert changes["原因"] == (None, "听错了，是暴雨")


def test_a_refused_attempt_is_in_the_history_with_its_reason(desk):
    item = urgent.open_urgent(desk, "城东路段山体滑坡", "自然灾害", "II")
    with pytest.raises(Refused):
        urgent.add_event(desk, item.id, "followup", text="续报内容")
    d = load_detail(desk, "urgent", item.id)
    failed = [h for h in d.history if not h.ok]
    assert failed and "尚未首报" in failed[0].note


async def test_detail_screen_shows_the_timeline_and_history_of_an_urgent_item(desk):
    item = make_urgent_day(desk)
    app = Host(lambda: DetailScreen(desk, "urgent", item.id))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        text = shown_text(pilot)
    assert "城东路段山体滑坡，两车受困" in text
    for line in ("报告领导", "电话报告", "首报", "市政府总值班室", "立即组织救援，随时报告"):
        assert line in text
    assert "痕迹" in text and "王军" in text


async def test_detail_keys_open_the_void_form_and_the_detail_shows_the_void_after(desk):
    entry = log.record_entry(desk, "区气象台来电：今晚有暴雨", "来电", "09:40")
    app = Host(lambda: DetailScreen(desk, "log", entry.id))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(pilot.app.screen, VoidForm)
        await pilot.press(*"chongfu")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DetailScreen)
        assert "已作废" in shown_text(pilot)


async def test_p_in_an_urgent_items_detail_records_a_phone_report_now(desk):
    item = urgent.open_urgent(desk, "城东路段山体滑坡", "自然灾害", "II")
    app = Host(lambda: DetailScreen(desk, "urgent", item.id))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert "电话报告" in shown_text(pilot)
    event = UrgentEvent.get()
    assert event.kind == "phone_report" and event.at == desk.now()
    assert {"urgent"} <= app.changed[0]


async def test_keys_that_do_not_apply_are_neither_shown_nor_active(desk):
    v = visitors.register_visitor(desk, "张建国")
    visitors.check_out(desk, v.id)
    app = Host(lambda: DetailScreen(desk, "visitor", v.id))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        keys = {b.binding.key for b in pilot.app.screen.active_bindings.values() if b.enabled}
        assert "o" not in keys and "p" not in keys and "v" in keys
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DetailScreen)
    assert Visitor.get_by_id(v.id).state == "left"


async def test_escape_leaves_the_detail(desk):
    doc = documents.receive_document(desk, "市应急管理局", title="关于开展安全生产检查的通知")
    app = Host(lambda: DetailScreen(desk, "document", doc.id))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        assert "签收" in shown_text(pilot) and "登记" in shown_text(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, DetailScreen)


def test_detail_of_an_urgent_item_snapshot(desk, snap_compare):
    item = make_urgent_day(desk)
    app = Host(lambda: DetailScreen(desk, "urgent", item.id))

    async def run_before(pilot) -> None:
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_detail_of_an_urgent_item_scrolled_to_its_history_snapshot(desk, snap_compare):
    item = make_urgent_day(desk)
    app = Host(lambda: DetailScreen(desk, "urgent", item.id))

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("end")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
