"""The open-items view (F6): every open item of every kind and day, most
overdue first, filtered and paged in SQL; and escalation on the desk: an item
passing its due time turns red in the view, counts in the header and is
recorded once in the audit trail however often the escalation timer runs.

The clock is fixed (T0 = 2026-11-24 10:00 Asia/Shanghai) and moved with
clock.set_now; the app's tick and escalation round are called directly and
their thread workers awaited.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from app_helpers import settle
from conftest import T0
from rich.console import Console
from rich.text import Text

from duty_desk.core import audit, clock
from duty_desk.core.demo import fill_demo_day
from duty_desk.core.i18n import set_language
from duty_desk.core.openitems import OPEN_KINDS
from duty_desk.core.services import documents, instructions, log, urgent, visitors
from duty_desk.tui.app import DutyDeskApp
from duty_desk.tui.panes.base import DeskTable
from duty_desk.tui.screens.open_items import OpenItemsScreen

MIN = timedelta(minutes=1)


def view_column(app: DutyDeskApp, col: str) -> list[str]:
    table = app.screen.query_one(DeskTable)
    return [c.plain if isinstance(c, Text) else str(c) for c in table.get_column(col)]


def view_row(app: DutyDeskApp, key: str) -> list[Text]:
    return list(app.screen.query_one(DeskTable).get_row(key))


def status(app: DutyDeskApp) -> str:
    return str(app.screen.query_one("#open-items-status").render())


def detail_text(app: DutyDeskApp, width: int = 100) -> str:
    """What the detail screen's body shows, as plain text."""
    body = app.screen.query_one("#detail-content").content
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(body)
    return console.export_text()


def header(app: DutyDeskApp) -> str:
    return str(app.desk_screen.query_one("#header").render())


async def open_view(pilot, page_size: int | None = None) -> OpenItemsScreen:
    await settle(pilot)
    if page_size is None:
        await pilot.press("f6")
    else:
        pilot.app.push_screen(OpenItemsScreen(pilot.app.desk, page_size=page_size))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, OpenItemsScreen)
    return screen


@pytest.fixture
def mixed_day(desk, make_desk):
    """One open item of each kind; the oldest call is already overdue."""
    clock.set_now(T0 - timedelta(hours=3))  # 07:00, the duty day before
    late_call = log.record_entry(desk, "东城街道来电：窨井盖缺失，需回复", "来电", needs_action=True)  # due 09:00
    clock.set_now(T0)
    doc = documents.receive_document(desk, "省政府办公厅", title="防汛紧急通知", urgency="特急",
                                     deadline="2026-11-24 17:00")
    item = urgent.open_urgent(desk, "城西区民房倒塌", "自然灾害", "I")  # phone report due 10:30
    visitor = visitors.register_visitor(desk, "钱秀英", unit="市水务局")
    ins = instructions.record_instruction(desk, "document", doc.id, "王军", "请市防指办今日12时前反馈",
                                          due="11:50")
    other = make_desk("incoming")
    task = log.record_entry(other, "陈静：汇总各区防汛值守情况", "交办")  # due 12:00, 陈静's
    return {"late_call": late_call, "doc": doc, "urgent": item, "visitor": visitor, "instruction": ins,
            "task": task}


async def test_f6_lists_every_kind_most_overdue_first_with_owner_age_and_next_action(mixed_day, desk):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_view(pilot)
        assert view_column(app, "kind_label") == [
            "来电待回复",  # overdue since 09:00
            "紧急事项",  # phone report due 10:30
            "批示待落实",  # 11:50
            "交办待落实",  # 陈静's task, 12:00: a task, not a call
            "待办公文",  # 17:00
            "来访在场",  # nothing due: last
        ]
        late = [c.plain for c in view_row(app, f"log-{mixed_day['late_call'].id}")]
        assert late[1] == "东城街道来电：窨井盖缺失，需回复"
        assert late[2:6] == ["李明", "3:00", "超期 1:00", "登记处理结果"]
        assert view_row(app, f"log-{mixed_day['late_call'].id}")[4].style.bold
        assert [c.plain for c in view_row(app, f"log-{mixed_day['task'].id}")][2] == "陈静"
        assert [c.plain for c in view_row(app, f"urgent-{mixed_day['urgent'].id}")][4:6] == ["0:30", "电话报告"]
        assert view_column(app, "due_in")[-1] == "—"
        assert "共 6 项" in status(app) and "超期 1 项" in status(app)


async def test_single_keys_filter_by_kind_owner_and_overdue(mixed_day, desk):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_view(pilot)
        await pilot.press("k")  # calls and tasks
        await settle(pilot)
        assert view_column(app, "kind_label") == ["来电待回复", "交办待落实"]
        assert "类别：待回复" in str(screen.query_one("#open-items-box").border_title)
        await pilot.press("m")  # mine only: 陈静's task goes
        await settle(pilot)
        assert view_column(app, "owner_name") == ["李明"]
        await pilot.press(*["k"] * len(OPEN_KINDS))  # round to "all" again, still mine
        await settle(pilot)
        assert "陈静" not in view_column(app, "owner_name") and len(view_column(app, "kind_label")) == 5
        await pilot.press("o")  # overdue only
        await settle(pilot)
        assert view_column(app, "title") == ["东城街道来电：窨井盖缺失，需回复"]
        await pilot.press("m", "o")  # everyone, everything
        await settle(pilot)
        assert len(view_column(app, "title")) == 6


async def test_paging_reads_the_next_page_from_the_store(desk):
    for n in range(5):
        log.record_entry(desk, f"第{n + 1}个待回复的来电", "来电", f"09:{10 + n}", needs_action=True)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_view(pilot, page_size=2)
        assert view_column(app, "title") == ["第1个待回复的来电", "第2个待回复的来电"]
        assert len(screen.items) == 2  # only the page came from the store
        assert "第 1/3 页" in status(app)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert view_column(app, "title") == ["第3个待回复的来电", "第4个待回复的来电"]
        assert "第 2/3 页" in status(app) and "3–4" in status(app)
        await pilot.press("pagedown")  # within the page first: to its last row
        await pilot.press("pagedown")  # at the last row: the next page
        await settle(pilot)
        assert view_column(app, "title") == ["第5个待回复的来电"]
        await pilot.press("pagedown")  # no page after the last
        await settle(pilot)
        assert "第 3/3 页" in status(app)
        await pilot.press("pageup")  # at the first row: the page before, its last row highlighted
        await settle(pilot)
        assert view_column(app, "title") == ["第3个待回复的来电", "第4个待回复的来电"]
        assert screen.highlighted().title == "第4个待回复的来电"
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert "第 1/3 页" in status(app)


async def test_enter_opens_the_detail_of_the_highlighted_item(mixed_day, desk):
    from duty_desk.tui.screens.detail import DetailScreen

    app = DutyDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_view(pilot)
        await pilot.press("down", "down")  # the instruction
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert (app.screen.kind, app.screen.record_id) == ("instruction", mixed_day["instruction"].id)
        shown = detail_text(app)
        assert "来文 #" in shown and "请市防指办今日12时前反馈" in shown
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OpenItemsScreen)


async def test_a_passed_due_time_turns_red_counts_in_the_header_and_is_audited_once(desk):
    call = log.record_entry(desk, "区气象台来电：今晚有暴雨，需回复防范措施", "来电", needs_action=True)  # due 12:00
    app = DutyDeskApp(desk)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_view(pilot)
        key = f"log-{call.id}"
        assert view_row(app, key)[4].plain == "2:00"
        assert "超期" not in header(app)
        clock.set_now(T0 + 121 * MIN)
        app.tick()
        due = view_row(app, key)[4]
        assert due.plain == "超期 0:01" and due.style.bold and due.style.color is not None
        assert "超期 1" in header(app)  # the second it passed, before the store was asked
        assert "超期 1 项" in status(app)
        for _ in range(3):  # the escalation timer comes round again and again
            app.escalate()
            await settle(pilot)
            clock.set_now(clock.now() + MIN)
            app.tick()
        events = [e for e in audit.history("log", call.id) if e.action == "overdue"]
        assert len(events) == 1 and events[0].actor == "system"
        assert "超期 1" in header(app)
        await pilot.press("escape")
        await settle(pilot)
        log_mark = app.desk_screen.pane("log").table.get_row(str(call.id))[1]
        assert log_mark.plain == "超期"  # marked in the log pane too
        log.record_result(desk, call.id, "已转告市防指办")
        app.desk_screen.reload({"log"})
        await settle(pilot)
        app.tick()
        assert "超期" not in header(app)


async def test_open_items_view_in_english(mixed_day, desk):
    set_language("en")
    app = DutyDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_view(pilot)
        assert view_column(app, "kind_label")[0] == "call awaiting result"
        assert view_column(app, "due_in")[0] == "late 1:00"
        assert "1–6 of 6" in status(app) and "1 overdue" in status(app)


def test_open_items_view_with_the_demo_day_snapshot(snap_compare, desk):
    fill_demo_day(desk)

    async def to_open_items(pilot):
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)

    assert snap_compare(DutyDeskApp(desk), terminal_size=(80, 24), run_before=to_open_items)
