"""查找 in the desk, driven as an officer drives it: F12 or ``/查`` or the
palette, typing (with and without pauses) and pasting, the filters as
words, results newest first with the match highlighted, Enter opening the
record, paging at the end of the list; snapshots at 80x24 and 120x40."""

from __future__ import annotations

from datetime import timedelta

import pytest
from app_helpers import settle, type_text
from textual import events
from textual.widgets import Input, OptionList

from duty_desk.core import clock
from duty_desk.core.i18n import set_language
from duty_desk.core.services import documents, log, visitors
from duty_desk.core.services.common import void_record
from duty_desk.tui.app import DutyDeskApp
from duty_desk.tui.screens.detail import DetailScreen
from duty_desk.tui.screens.search import TYPING_PAUSE, SearchScreen


def records(desk, fixed_clock) -> dict[str, int]:
    made = {}
    clock.set_now(fixed_clock - timedelta(days=40))
    made["old_flood"] = log.record_entry(desk, "区水务局来电：水库水位接近汛限，请求防汛指导", "来电",
                                         counterpart_unit="区水务局", counterpart_name="王科长",
                                         counterpart_phone="0571-87001111").id
    clock.set_now(fixed_clock - timedelta(days=3))
    made["zhang"] = visitors.register_visitor(desk, "张三", unit="东城街道办事处", phone="13900001234",
                                              purpose="反映积水点整治").id
    made["doc"] = documents.receive_document(desk, "市应急管理局", title="关于做好防汛物资调拨工作的通知",
                                             doc_number="市应急〔2026〕7号").id
    clock.set_now(fixed_clock)
    made["drill"] = log.record_entry(desk, "防汛演练通知已转办公室", "记事").id
    made["void"] = log.record_entry(desk, "防汛值守名单（重复）", "记事").id
    void_record(desk, "log", made["void"], "重复录入")
    return made


def screen(app) -> SearchScreen:
    assert isinstance(app.screen, SearchScreen)
    return app.screen


def shown(app) -> list[tuple[str, int]]:
    return [(h.kind, h.record_id) for h in screen(app).hits]


def status(app) -> str:
    return str(screen(app).query_one("#search-status").render())


async def wait_results(pilot) -> None:
    await pilot.pause(TYPING_PAUSE + 0.1)
    await settle(pilot)


async def opened_search(pilot) -> None:
    """F12 from the desk, once it has settled."""
    await settle(pilot)
    await pilot.press("f12")
    await settle(pilot)


async def typed_in_search(pilot, text: str) -> None:
    """F12 from the desk, ``text`` typed, and the results it brings."""
    await opened_search(pilot)
    await type_text(pilot, text)
    await wait_results(pilot)


async def searched(pilot, text: str) -> None:
    """F12, ``text`` typed and Enter at once (no pause): results, focused."""
    await settle(pilot)
    await pilot.press("f12")
    await type_text(pilot, text)
    await pilot.press("enter")
    await settle(pilot)


async def test_f12_opens_search_and_results_follow_typing_newest_first(desk, fixed_clock):
    made = records(desk, fixed_clock)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened_search(pilot)
        assert app.focused is screen(app).query_one("#search-query", Input)
        for key in "fangxun":  # keys that arrive without pauses: only the last query is shown
            await pilot.press(key)
        await pilot.press(*["backspace"] * 7)
        await type_text(pilot, "防汛")
        await wait_results(pilot)
        assert shown(app) == [("log", made["void"]), ("log", made["drill"]), ("document", made["doc"]),
                              ("log", made["old_flood"])]
        assert "4" in status(app)
        # the voided one is found, and marked voided
        assert screen(app).hits[0].state == "void" and screen(app).hits[0].label == "已作废"
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, SearchScreen)


async def test_the_match_is_highlighted_in_the_result(desk, fixed_clock):
    records(desk, fixed_clock)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await typed_in_search(pilot, "[2026]7号")
        option = screen(app).results.get_option_at_index(0)
        prompt = option.prompt
        marked = [prompt.plain[span.start:span.end] for span in prompt.spans if "reverse" in str(span.style)]
        assert marked == ["〔2026〕7号"]


async def test_enter_goes_to_the_results_and_opens_the_record(desk, fixed_clock):
    made = records(desk, fixed_clock)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await searched(pilot, "zs")  # before the pause is over: searched at once
        results = screen(app).query_one("#search-results", OptionList)
        assert app.focused is results and shown(app) == [("visitor", made["zhang"])]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert (app.screen.kind, app.screen.record_id) == ("visitor", made["zhang"])
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)  # back to the results
        await pilot.press("up")
        assert app.focused is screen(app).query_one("#search-query", Input)


async def test_ctrl_d_on_a_result_shows_its_duty_day_in_history(desk, fixed_clock):
    made = records(desk, fixed_clock)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await searched(pilot, "水库")
        assert shown(app) == [("log", made["old_flood"])]
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert not isinstance(app.screen, SearchScreen)
        day = (fixed_clock - timedelta(days=40)).date()
        assert app.desk_screen.history_day == day
        assert [e.id for e in app.desk_screen.pane("log").items] == [made["old_flood"]]


async def test_slash_search_on_the_entry_line_opens_search_with_the_query(desk, fixed_clock):
    made = records(desk, fixed_clock)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "/查 防汛 类:来电")
        await pilot.press("enter")
        await settle(pilot)
        assert screen(app).query_one("#search-query", Input).value == "防汛 类:来电"
        assert shown(app) == [("log", made["old_flood"])]
        await pilot.press("escape")
        await settle(pilot)
        assert app.desk_screen.entry.value == ""  # the command went with the search


async def test_a_pasted_query_is_searched(desk, fixed_clock):
    made = records(desk, fixed_clock)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened_search(pilot)
        app.post_message(events.Paste("1111"))
        await wait_results(pilot)
        assert shown(app) == [("log", made["old_flood"])]


async def test_a_bad_filter_is_said_and_the_query_kept(desk, fixed_clock):
    records(desk, fixed_clock)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await typed_in_search(pilot, "防汛 类:电报")
        assert "电报" in status(app) and "类别" in status(app)
        assert screen(app).query_one("#search-query", Input).value == "防汛 类:电报"


async def test_older_results_follow_at_the_end_of_the_list(desk, fixed_clock):
    for i in range(45):
        clock.set_now(fixed_clock + timedelta(minutes=i))
        log.record_entry(desk, f"第{i}次巡查", "记事")
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await searched(pilot, "巡查")
        assert len(screen(app).hits) == 20
        for _ in range(40):
            await pilot.press("down")
            await settle(pilot, rounds=1)
        await settle(pilot)
        ids = [r for _k, r in shown(app)]
        assert len(ids) == 45 and ids == sorted(ids, reverse=True)


async def test_f1_explains_search(desk):
    from duty_desk.tui.help import HelpScreen

    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened_search(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.query_one("#help-box").border_title == "帮助：查找"
        assert "zhang s" in str(app.screen.query_one("#help-body").render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)


async def test_search_is_in_the_palette(desk):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.desk_screen.run_action("search")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
    from duty_desk.tui.actions import PALETTE

    assert ("search", "tui.key.search") in PALETTE


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_search_screen_snapshot(snap_compare, desk, fixed_clock, size, language):
    set_language(language)
    records(desk, fixed_clock)

    async def search(pilot):
        await searched(pilot, "防汛")

    assert snap_compare(DutyDeskApp(desk), terminal_size=size, run_before=search)
