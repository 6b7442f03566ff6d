"""The call form (来电登记) at the desk: F5 or ``/电`` opens it; the caller's
unit and name are suggested as typed (pinyin, initials, Chinese), and a
pick fills the title and phone; a known number names its owner."""

from __future__ import annotations

from datetime import timedelta

from app_helpers import Host, settle
from textual import events
from textual.widgets import Input

from duty_desk.core import clock
from duty_desk.core.models import Contact, LogEntry
from duty_desk.core.services import log
from duty_desk.core.suggest import read_book
from duty_desk.tui.app import DutyDeskApp
from duty_desk.tui.forms.base import DeskForm
from duty_desk.tui.forms.call import CallForm
from duty_desk.tui.widgets.suggest import SuggestList


def _office(desk, make_desk) -> None:
    """A contact book entry for the water bureau, and a past year's calls:
    the water bureau called three times lately, the hydrology station often
    but long ago."""
    Contact.create(unit="区水务局", name="王科长", title="科长", mobile="13800001111", duty_phone="0571-87001111",
                   tags=["防汛"], recorded_at=desk.now(), recorded_by="admin")
    with clock.fixed_at(desk.now() - timedelta(days=250)):
        other = make_desk("incoming")
        for _ in range(5):
            log.record_call(other, "雨量报告", unit="市水文站", name="刘工", phone="0571-87005555")
    for _ in range(3):
        log.record_call(desk, "水情通报", unit="区水务局", name="王科长")


def form(app) -> DeskForm:
    assert isinstance(app.screen, DeskForm)
    return app.screen


def suggestions(app, name: str) -> list[str]:
    box = form(app).query_one(f"#suggest-{name}", SuggestList)
    return [s.label() for s in box.items] if box.display else []


async def test_a_call_from_the_water_bureau_takes_two_keys_after_the_first_pinyin_letters(desk, make_desk):
    """Done when: 区水务局王科长 in under ten keystrokes after the letters of
    the unit. F5, ``sw``, then Tab takes the bureau's 王科长 with title and
    phone; what was said is typed; Enter records it."""
    _office(desk, make_desk)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("s", "w")
        await settle(pilot)
        assert suggestions(app, "unit")[0] == "区水务局 王科长  13800001111"
        keys_after_letters = ["tab"]
        await pilot.press(*keys_after_letters)
        await settle(pilot)
        f = form(app)
        assert [f.raw_value(n) for n in ("unit", "name", "title", "phone")] == ["区水务局", "王科长", "科长",
                                                                                "13800001111"]
        assert f.focused is f.widget("content")
        f.focused.insert_text_at_cursor("水库水位接近汛限")  # what was said, as the input method commits it
        keys_after_letters.append("enter")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, DeskForm)
    assert len(keys_after_letters) < 10
    entry = LogEntry.select().order_by(LogEntry.id.desc()).get()
    assert (entry.category, entry.counterpart_unit, entry.counterpart_name, entry.counterpart_title,
            entry.counterpart_phone, entry.content) == ("来电", "区水务局", "王科长", "科长", "13800001111",
                                                        "水库水位接近汛限")


async def test_keys_typed_at_once_still_take_the_suggestion_the_officer_expected(desk, make_desk, monkeypatch):
    """F5, s, w, Tab with no pause, on a busy store (the names take a while
    to read): the Tab waits for them, and takes the bureau."""
    import time

    from duty_desk.tui.forms import suggesting

    def slow_read(now):
        time.sleep(0.5)
        return read_book(now)

    monkeypatch.setattr(suggesting, "read_book", slow_read)
    _office(desk, make_desk)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        keys = (("f5", None), ("s", "s"), ("w", "w"), ("tab", "\t"), ("1", "1"), ("2", "2"))
        for key, char in keys:  # all queued before any is handled
            app.post_message(events.Key(key, char))
        await settle(pilot)
        await pilot.pause(0.6)
        await settle(pilot)
        f = form(app)
        assert (f.raw_value("unit"), f.raw_value("name")) == ("区水务局", "王科长")
        assert f.focused is f.widget("content")
        assert f.raw_value("content") == "12"  # typed after the Tab: where the Tab led


async def test_the_whole_call_typed_on_the_entry_line_fills_the_form(desk):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.focused.insert_text_at_cursor("/电 区水务局，王科长，13800001111，水库水位接近汛限")
        await pilot.press("enter")
        await settle(pilot)
        f = form(app)
        assert [f.raw_value(n) for n in ("unit", "name", "title", "phone", "content")] == [
            "区水务局", "王科长", "科长", "13800001111", "水库水位接近汛限"]
        await pilot.press("enter")
        await settle(pilot)
        assert app.desk_screen.entry.value == ""  # the command is done
    assert LogEntry.get(LogEntry.content == "水库水位接近汛限").counterpart_phone == "13800001111"


async def test_pinyin_on_the_entry_line_opens_the_form_with_the_units_suggested(desk, make_desk):
    _office(desk, make_desk)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.focused.insert_text_at_cursor("/电 sw")
        await pilot.press("enter")
        await settle(pilot)
        f = form(app)
        assert f.focused is f.widget("unit")
        assert suggestions(app, "unit")[0].startswith("区水务局 王科长")


async def test_arrows_choose_among_the_suggestions_and_escape_puts_them_away_keeping_the_form(desk, make_desk):
    _office(desk, make_desk)
    app = Host(lambda: CallForm(desk))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        await pilot.press("s", "w")
        await settle(pilot)
        shown = suggestions(app, "unit")
        assert len(shown) >= 2 and "市水文站 刘工" in " ".join(shown)
        second = shown[1]
        await pilot.press("down")
        assert form(app).focused is form(app).widget("unit")  # ↓ moved in the list, not to the next field
        await pilot.press("escape")
        assert suggestions(app, "unit") == [] and isinstance(app.screen, CallForm)
        assert form(app).raw_value("unit") == "sw"  # what was typed stays
        await pilot.press("backspace", "w")
        await settle(pilot)
        await pilot.press("down", "tab")
        await settle(pilot)
        assert " ".join(p for p in (form(app).raw_value("unit"), form(app).raw_value("name")) if p) == \
            second.split("  ")[0]


async def test_a_known_number_says_whose_it_is_and_fills_the_callers_empty_fields(desk, make_desk):
    _office(desk, make_desk)
    app = Host(lambda: CallForm(desk))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        phone = form(app).widget("phone")
        assert isinstance(phone, Input)
        phone.focus()
        await pilot.press(*"13800001111")
        await settle(pilot)
        f = form(app)
        assert "区水务局 王科长" in str(f.query_one("#msg-phone").content)
        assert (f.raw_value("unit"), f.raw_value("name"), f.raw_value("title")) == ("区水务局", "王科长", "科长")


async def test_a_due_time_before_the_call_is_refused_at_its_field_and_nothing_typed_is_lost(desk):
    app = Host(lambda: CallForm(desk, unit="区水务局", content="请回电"))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        f = form(app)
        f.set_value("occurred_at", "09:50")
        f.set_value("due", "2026-11-24 09:40")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CallForm)
        assert "早于" in str(f.query_one("#msg-due").content)
        assert (f.raw_value("unit"), f.raw_value("content")) == ("区水务局", "请回电")
    assert not LogEntry.select().where(LogEntry.content == "请回电").exists()


async def test_a_call_that_needs_action_with_a_due_time_is_an_open_item(desk):
    app = Host(lambda: CallForm(desk, unit="市应急管理局", content="请于11:30前报告积水情况"))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        f = form(app)
        f.set_value("needs_action", "yes")
        f.set_value("due", "11:30")
        await pilot.press("enter")
        await settle(pilot)
    entry = LogEntry.get(LogEntry.counterpart_unit == "市应急管理局")
    assert entry.needs_action and entry.due_explicit and entry.closed_at is None


# --- the same suggestions in the other forms -----------------------------------------


async def test_the_visitor_form_suggests_a_past_visitor_and_fills_unit_and_phone(desk):
    from duty_desk.core.models import Visitor
    from duty_desk.core.services import visitors
    from duty_desk.tui.forms import VisitorForm

    visitors.register_visitor(desk, "张建国", unit="城关街道办事处", phone="13900000001", host="信访科")
    app = Host(lambda: VisitorForm(desk))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        await pilot.press("z", "j", "g")
        await settle(pilot)
        assert suggestions(app, "name")[0].startswith("城关街道办事处 张建国")
        await pilot.press("tab")
        await settle(pilot)
        f = form(app)
        assert (f.raw_value("name"), f.raw_value("unit"), f.raw_value("phone")) == ("张建国", "城关街道办事处",
                                                                                 "13900000001")
        assert f.focused is f.widget("id_number")  # the next field still empty (id type has a default)
    assert Visitor.select().count() == 1  # nothing saved by the pick


async def test_the_urgent_form_fills_the_source_from_a_known_number(desk, make_desk):
    from duty_desk.tui.forms import UrgentForm

    _office(desk, make_desk)
    app = Host(lambda: UrgentForm(desk))
    async with app.run_test(size=(120, 40), notifications=False) as pilot:
        await settle(pilot)
        f = form(app)
        f.widget("source_phone").focus()
        await pilot.pause()
        await pilot.press(*"0571-87001111")
        await settle(pilot)
        assert (f.raw_value("source_unit"), f.raw_value("source_name")) == ("区水务局", "王科长")


async def test_enter_on_a_name_typed_out_in_full_sends_the_chase_as_typed(desk, make_desk):
    from duty_desk.core.models import Chase
    from duty_desk.tui.forms.followup import ChaseForm

    _office(desk, make_desk)
    entry = log.record_call(desk, "请回复处置结果", unit="东城街道办事处", needs_action=True)
    app = Host(lambda: ChaseForm(desk, "log", entry.id))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        f = form(app)
        f.widget("whom").focus()
        await pilot.pause()
        f.focused.insert_text_at_cursor("区水务局")  # one unit, and a person of it, are known
        await settle(pilot)
        assert suggestions(app, "whom")[0].startswith("区水务局")
        await pilot.press("enter")
        await settle(pilot)
    assert Chase.get().whom == "区水务局"
