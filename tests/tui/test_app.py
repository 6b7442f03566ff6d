"""Pilot tests of the desk's main screen: what a duty officer types or
presses, what the panes then show and what the store then holds.

The clock is fixed (tests/conftest.py: T0 = 2026-11-24 10:00 Asia/Shanghai)
and moved with clock.set_now; the app's tick is called directly. Thread
workers run against a real SQLite file and are awaited, never slept on.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import timedelta

import pytest
from app_helpers import cells, column, settle, type_text
from peewee import SqliteDatabase

from duty_desk.core import clock
from duty_desk.core.config import load_config
from duty_desk.core.demo import fill_demo_day
from duty_desk.core.i18n import set_language
from duty_desk.core.models import LogEntry, UrgentEvent
from duty_desk.core.services import documents, drafts, log, urgent, visitors
from duty_desk.tui.app import PALETTE, DeskCommands, DutyDeskApp
from duty_desk.tui.entry import DRAFT_DELAY, EntryLine
from duty_desk.tui.panes.base import DeskTable


@pytest.fixture
def demo_desk(desk):
    fill_demo_day(desk)
    return desk


def entry_status(app: DutyDeskApp) -> str:
    return str(app.desk_screen.query_one("#entry-status").render())


# --- the entry line --------------------------------------------------------------


async def test_typing_an_entry_shows_it_in_the_log_pane_and_the_store(desk):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.focused.parent.parent, EntryLine)  # focused on start
        await type_text(pilot, "市应急管理局来电询问防汛值守安排")
        await pilot.press("enter")
        await settle(pilot)
        stored = list(LogEntry.select())
        assert [e.content for e in stored] == ["市应急管理局来电询问防汛值守安排"]
        assert stored[0].category == "记事" and stored[0].recorded_by == "tester"
        assert column(app, "log", "content") == ["市应急管理局来电询问防汛值守安排"]
        assert app.desk_screen.entry.value == ""  # cleared, and still focused
        assert isinstance(app.focused.parent.parent, EntryLine)
        assert f"#{stored[0].id}" in entry_status(app)


async def test_time_prefix_and_category_marker_set_when_and_what(desk):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "09:35 #来电 ! 区气象台：今晚有暴雨，请做好防范")
        await pilot.press("enter")
        await settle(pilot)
        entry = LogEntry.get()
        assert entry.category == "来电" and entry.needs_action and entry.closed_at is None
        assert entry.occurred_at == clock.now() - timedelta(minutes=25)
        row = [c.plain for c in cells(app, "log", str(entry.id))]
        assert row[0] == "09:35" and row[2] == "来电" and row[3] == "区气象台：今晚有暴雨，请做好防范"
        assert "待办" in row[1]  # an open item is marked


async def test_invalid_input_shows_the_reason_and_keeps_the_text(desk):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "#电报 省里来的电报")
        await pilot.press("enter")
        await settle(pilot)
        assert app.desk_screen.entry.value == "#电报 省里来的电报"
        assert "电报" in entry_status(app) and "#来电" in entry_status(app)
        # A time in the future: refused by the core, reason shown, text kept.
        app.desk_screen.entry.clear()
        await type_text(pilot, "10:30 #记事 尚未发生的事")
        await pilot.press("enter")
        await settle(pilot)
        assert app.desk_screen.entry.value == "10:30 #记事 尚未发生的事"
        assert "将来" in entry_status(app)
        assert LogEntry.select().count() == 0


async def test_a_slash_command_opens_the_prefilled_form_and_the_entry_gets_focus_back(desk):
    from duty_desk.tui.forms import VisitorForm

    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "/访 张三 东城街道")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, VisitorForm)
        assert app.screen.prefill == {"name": "张三", "unit": "东城街道"}
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.desk_screen
        assert isinstance(app.focused.parent.parent, EntryLine)
        assert app.desk_screen.entry.value == "/访 张三 东城街道"  # cancelled: kept


async def test_unsent_text_is_saved_within_a_second_and_restored_on_next_start(desk, make_desk):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "东城街道来电反映")
        started = time.monotonic()
        # Wall-clock debounce: wait for the store, not for a fixed time.
        while drafts.load_draft(desk) != "东城街道来电反映" and time.monotonic() - started < 2:
            await pilot.pause(0.05)
        assert drafts.load_draft(desk) == "东城街道来电反映"
        assert time.monotonic() - started < 1.0 + DRAFT_DELAY / 2
    # The session is gone (as after kill -9): a new app on the same store.
    again = DutyDeskApp(make_desk("tester"))
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert again.desk_screen.entry.value == "东城街道来电反映"


async def test_recording_an_entry_leaves_no_draft_behind(desk):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "接班，设备正常")
        app.desk_screen.entry.save_draft_now()
        await settle(pilot)
        assert drafts.load_draft(desk) == "接班，设备正常"
        await pilot.press("enter")
        await settle(pilot)
        assert drafts.load_draft(desk) == ""


# --- display safety ----------------------------------------------------------------


async def test_markup_and_escape_sequences_typed_by_users_show_literally(desk):
    visitors.register_visitor(desk, "[b]张三[/b]", unit="[red]东城街道")
    app = DutyDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_text(pilot, "[red]警报[/red] \x1b[31m红字\x1b[0m\x07 完")
        await pilot.press("enter")
        await settle(pilot)
        entry = LogEntry.get()
        assert entry.content == "[red]警报[/red] 红字 完"  # controls stripped in the core
        content = cells(app, "log", str(entry.id))[3]
        assert content.plain == "[red]警报[/red] 红字 完" and not content.spans
        name = column(app, "visitors", "name")
        assert name == ["[b]张三[/b]"]
        unit = cells(app, "visitors", "1")[2]
        assert unit.plain.startswith("[red]") and not unit.spans


# --- time ----------------------------------------------------------------------------


async def test_an_urgent_report_falling_due_warns_once_with_a_bell(desk):
    item = urgent.open_urgent(desk, "城西区民房倒塌", "自然灾害", "I")  # phone report due in 30 min
    app = DutyDeskApp(desk)
    said: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        original = app.announce_warnings  # watched before the desk's own tick can warn
        app.announce_warnings = lambda messages, late: (said.extend(messages), original(messages, late))  # type: ignore[method-assign]
        await settle(pilot)
        app.tick()
        assert said == [] and app.bells == 0  # 30 minutes left: nothing yet
        clock.set_now(clock.now() + timedelta(minutes=21))  # 9 minutes left
        app.tick()
        app.tick()
        clock.set_now(clock.now() + timedelta(minutes=5))
        app.tick()
        assert app.bells == 1 and len(said) == 1 and "城西区民房倒塌" in said[0]
        bar = app.desk_screen.query_one("#warn-bar")
        assert bar.has_class("-shown") and "城西区民房倒塌" in str(bar.render())
        countdown = column(app, "urgent", "countdown")
        assert countdown == ["0:04:00"]  # the countdown ticked with the clock
        # The phone report is made; the next due (first report) warns once in its turn.
        urgent.record_phone_report(desk, item.id)
        app.desk_screen.reload({"urgent"})
        await settle(pilot)
        clock.set_now(clock.now() + timedelta(minutes=26))  # first report due in 8 min
        app.tick()
        app.tick()
        assert app.bells == 2 and len(said) == 2


async def test_a_document_passing_its_deadline_moves_to_the_top_and_turns_red(desk):
    later = documents.receive_document(desk, "市民政局", title="关于报送冬季救助情况的函", deadline="2026-11-24 18:00")
    sooner = documents.receive_document(desk, "省政府办公厅", title="防汛紧急通知", urgency="特急",
                                        deadline="2026-11-24 10:30")
    undated = documents.receive_document(desk, "市档案馆", title="档案移交清单", deadline=None)
    undated.deadline = None
    undated.save()
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.desk_screen.pane("documents").table
        assert table.row_keys() == [str(sooner.id), str(later.id), str(undated.id)]
        assert cells(app, "documents", str(sooner.id))[0].plain == ""
        clock.set_now(clock.now() + timedelta(minutes=31))
        app.tick()
        first = cells(app, "documents", table.row_keys()[0])
        assert table.row_keys()[0] == str(sooner.id)
        assert first[0].plain == "超期" and first[0].style.bold
        assert first[0].style.color is not None
        assert first[5].plain == "-0:01"


async def test_the_header_follows_the_duty_day_across_its_boundary(desk):
    log.record_entry(desk, "昨日的日志", "记事")
    app = DutyDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        header = str(app.desk_screen.query_one("#header").render())
        assert "2026-11-24" in header and "10:00" in header
        clock.set_now(clock.now().replace(hour=0, minute=29, second=59))  # 08:29:59 local on the 25th
        clock.set_now(clock.now() + timedelta(days=1))
        app.tick()
        await settle(pilot)
        assert "2026-11-24" in str(app.desk_screen.query_one("#header").render())
        clock.set_now(clock.now() + timedelta(seconds=2))
        app.tick()
        await settle(pilot)
        header = str(app.desk_screen.query_one("#header").render())
        assert "2026-11-25" in header and "周三" in header and "08:30" in header
        assert column(app, "log", "content") == []  # the new duty day's log is empty


# --- keys ------------------------------------------------------------------------------


async def test_reported_by_phone_now_is_one_key(demo_desk):
    app = DutyDeskApp(demo_desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.desk_screen.action_focus_urgent()  # in the pane, the highlighted row is in view
        await settle(pilot)
        item_id = app.desk_screen.pane("urgent").highlighted_id()
        before = UrgentEvent.select().where(UrgentEvent.kind == "phone_report").count()
        await pilot.press("ctrl+r")
        await settle(pilot)
        events = list(UrgentEvent.select().where(UrgentEvent.kind == "phone_report").order_by(UrgentEvent.id))
        assert len(events) == before + 1
        assert events[-1].item_id == item_id and events[-1].at == clock.now() and events[-1].means == "电话"


async def test_context_keys_open_the_forms_for_the_highlighted_row(demo_desk):
    from duty_desk.tui.forms import CheckOutForm, DocumentStepForm, VoidForm
    from duty_desk.tui.screens.rowpick import RowPicker

    app = DutyDeskApp(demo_desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.desk_screen
        await pilot.press("tab", "tab")  # entry -> log -> visitors
        await settle(pilot)
        assert screen.focused is screen.pane("visitors").table
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, CheckOutForm)
        assert app.screen.visitor_id == screen.pane("visitors").highlighted_id()
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+n")  # works from the entry line too: which of three documents?
        await settle(pilot)
        assert isinstance(app.screen, RowPicker)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DocumentStepForm)
        assert app.screen.doc_id == screen.pane("documents").highlighted_id()
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("tab")
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, VoidForm) and app.screen.kind == "log"


async def test_keys_are_rebound_from_the_config_keymap(tmp_path, make_desk, fixed_clock):
    path = tmp_path / "keys.toml"
    path.write_text('[[officers]]\nlogin = "tester"\nname = "李明"\n\n'
                    '[keymap]\nnew_visitor = "ctrl+l"\nopen_items = "f10"\n', encoding="utf-8")
    cfg = load_config(str(path))
    from duty_desk.tui.forms import VisitorForm
    from duty_desk.tui.screens.open_items import OpenItemsScreen

    app = DutyDeskApp(make_desk("tester", cfg))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f2")  # the old key does nothing now
        await settle(pilot)
        assert app.screen is app.desk_screen
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, VisitorForm)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, OpenItemsScreen)
        keys = app.desk_screen.keys_by_id()
        assert keys["new_visitor"] == "^l" and keys["open_items"] == "F10"


async def test_f1_shows_help_for_what_has_focus(desk):
    from duty_desk.tui.help import HelpScreen

    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.query_one("#help-box").border_title == "帮助：输入行"
        assert "/访" in str(app.screen.query_one("#help-body").render())
        await pilot.press("escape")
        await pilot.press("tab", "tab", "tab", "tab")  # the urgent items pane
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen.query_one("#help-box").border_title == "帮助：紧急事项"
        keys = str(app.screen.query_one("#help-keys").render())
        assert "Ctrl+R" in keys and "F9" in keys and "Enter" in keys


async def test_the_command_palette_offers_every_action_with_its_key(desk):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        provider = DeskCommands(app.desk_screen)
        hits = [hit async for hit in provider.discover()]
        assert len(hits) == len(PALETTE)
        by_name = {str(h.display): h for h in hits}
        assert by_name["零报告"].help == "按键 F7"
        assert by_name["紧急事项：已电话报告（现在）"].help == "按键 Ctrl+R"


# --- the store, other sessions, threads ---------------------------------------------


async def test_what_another_session_writes_appears_after_the_next_poll(desk, make_desk):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app._poll()  # the first look learns the head
        await settle(pilot)
        other = make_desk("incoming")
        log.record_entry(other, "陈静：已通知城管局到场处置", "记事")
        app._poll()
        await settle(pilot)
        assert column(app, "log", "content") == ["陈静：已通知城管局到场处置"]
        assert column(app, "log", "author") == ["陈静"]


async def test_the_event_loop_never_runs_a_query(demo_desk, monkeypatch):
    """Every statement the app sends to the store comes from a worker thread."""
    threads: list[str] = []
    original = SqliteDatabase.execute_sql

    def spy(self, sql, params=None, *args, **kwargs):
        threads.append(threading.current_thread().name)
        return original(self, sql, params, *args, **kwargs)

    app = DutyDeskApp(demo_desk)
    async with app.run_test(size=(80, 24)) as pilot:
        monkeypatch.setattr(SqliteDatabase, "execute_sql", spy)
        await settle(pilot)
        await type_text(pilot, "#记事 检查线路")
        await pilot.press("enter")
        await settle(pilot)
        app.tick()
        app._poll()
        await pilot.press("ctrl+r")
        await settle(pilot)
        monkeypatch.setattr(SqliteDatabase, "execute_sql", original)
    assert threads, "the app read nothing"
    assert threading.main_thread().name not in threads


async def test_rows_are_updated_in_place_and_the_cursor_stays_on_its_record(demo_desk):
    app = DutyDeskApp(demo_desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table: DeskTable = app.desk_screen.pane("log").table
        table.move_cursor(row=1)
        kept = table.highlighted_key()
        rows_before = {k: table.rows[k] for k in table.rows}
        log.record_entry(demo_desk, "新的一条", "记事")
        app.desk_screen.reload({"log"})
        await settle(pilot)
        assert all(table.rows[k] is row for k, row in rows_before.items())  # same Row objects
        assert table.row_count == len(rows_before) + 1
        assert table.highlighted_key() == kept


async def test_english_ui_and_any_textual_theme(demo_desk):
    set_language("en")
    cfg = replace(demo_desk.cfg, theme="nord")
    demo_desk.cfg = cfg
    app = DutyDeskApp(demo_desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        assert "Duty log" in str(app.desk_screen.pane("log").border_title)
        assert "call" in column(app, "log", "category")


# --- theme, language, start ------------------------------------------------------------


def test_default_theme_signal_colours_stay_distinct_at_256_and_16_colours():
    from rich.color import Color, ColorSystem

    from duty_desk.tui.theme import DUTY_DESK

    for system in (ColorSystem.EIGHT_BIT, ColorSystem.STANDARD):
        def down(name: str, system=system) -> int:
            return Color.parse(getattr(DUTY_DESK, name)).downgrade(system).number

        signals = [down(n) for n in ("error", "warning", "success", "foreground")]
        assert len(set(signals)) == 4, (system, signals)
        assert down("background") not in signals


def test_every_tui_message_key_exists_in_both_catalogs():
    import re
    from pathlib import Path

    from duty_desk.core.i18n import en, zh

    root = Path(__file__).resolve().parents[2] / "duty_desk" / "tui"
    mine = [root / "app.py", root / "entry.py", root / "help.py", *sorted((root / "panes").glob("*.py"))]
    used = {k for f in mine for k in re.findall(r'"(tui\.[a-z0-9_.]+)"', f.read_text(encoding="utf-8"))}
    assert used, "no keys found"
    assert sorted(used - set(zh.MESSAGES)) == []
    assert sorted(used - set(en.MESSAGES)) == []
    for key in ("tui.cat.来电", "tui.level.III", "tui.weekday.6", "tui.none.visitors"):
        assert key in zh.MESSAGES and key in en.MESSAGES


def test_a_login_that_is_not_an_officer_gets_one_line_and_exit_2(cfg, capsys, monkeypatch):
    import argparse

    from duty_desk.cli.run import run_tui as run

    monkeypatch.setattr("duty_desk.core.identity.current_login", lambda *a, **k: "stranger")
    args = argparse.Namespace(db=None, demo=False, command=None, config=None)
    assert run(args, cfg) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "stranger" in err[0]


async def test_enter_on_a_row_opens_its_detail_and_f6_lists_every_open_item(demo_desk):
    from duty_desk.tui.screens.detail import DetailScreen
    from duty_desk.tui.screens.open_items import OpenItemsScreen

    app = DutyDeskApp(demo_desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("tab")  # the log, cursor on its newest line
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert (app.screen.kind, app.screen.record_id) == ("log", app.desk_screen.pane("log").highlighted_id())
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, OpenItemsScreen)
        table = app.screen.query_one(DeskTable)
        kinds = [c.plain for c in table.get_column("kind_label")]
        # a call awaiting its result and a task to carry out (named as on the
        # handover sheet), a visitor, three documents, the urgent item
        assert sorted(kinds) == sorted(["来电待回复", "交办待落实", "来访在场", "待办公文", "待办公文", "待办公文",
                                        "紧急事项"])


async def test_the_clock_ticking_while_views_close_fails_nothing(demo_desk):
    """The app's tick may come round while the open-items view (or the desk,
    at exit) is being taken down, its table already gone."""
    from duty_desk.tui.screens.open_items import OpenItemsScreen

    app = DutyDeskApp(demo_desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, OpenItemsScreen) and view.page is not None
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, OpenItemsScreen)
        view.tick(clock.now())  # a tick that was already under way: nothing to redraw, nothing raised
        pane = app.desk_screen.pane("log")
        await pane.query_one(DeskTable).remove()
        pane.tick(clock.now())
