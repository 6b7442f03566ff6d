"""Pastes: what an officer pastes into the desk arrives whole, in order, in
the fields it belongs to, and without terminal control sequences."""

from __future__ import annotations

from app_helpers import Host, settle
from textual import events
from textual._xterm_parser import XTermParser

from duty_desk.core.models import LogEntry, Visitor
from duty_desk.tui.app import DutyDeskApp
from duty_desk.tui.forms import VisitorForm
from duty_desk.tui.forms.base import DeskForm
from duty_desk.tui.paste import PasteParser

GOOD_ID = "11010519491231002X"
ESCAPED = "#来电 市应急局\x1b[31m红色预警\x07\x1b[0m 请转告"


def entry_status(app: DutyDeskApp) -> str:
    return str(app.desk_screen.query_one("#entry-status").render())


async def test_a_pasted_message_of_three_lines_is_recorded_whole_with_its_lines(desk):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.post_message(events.Paste("#来电 区气象台来电\n今晚有暴雨\r\n请做好防范\n"))
        await settle(pilot)
        assert "3" in entry_status(app) and "行" in entry_status(app)  # the officer is told
        await pilot.press("enter")
        await settle(pilot)
    entry = LogEntry.get()
    assert entry.category == "来电"
    assert entry.content == "区气象台来电\n今晚有暴雨\n请做好防范"


async def test_control_sequences_in_a_paste_are_removed_and_the_officer_is_told(desk):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.post_message(events.Paste(ESCAPED))
        await settle(pilot)
        assert app.desk_screen.entry.value == "#来电 市应急局红色预警 请转告"
        assert "控制字符" in entry_status(app)
        assert app.screen is app.desk_screen  # no action was set off
        await pilot.press("enter")
        await settle(pilot)
    entry = LogEntry.get()
    assert (entry.category, entry.content) == ("来电", "市应急局红色预警 请转告")


def test_a_bracketed_paste_with_escape_sequences_reaches_the_desk_whole_and_in_order():
    raw = "a\x1b[200~" + ESCAPED + "\x1b[201~b"
    # Textual's own parser splits it: keys (Ctrl+G among them) before the paste.
    stock = list(XTermParser().feed(raw))
    assert any(isinstance(e, events.Key) and e.key == "ctrl+g" for e in stock)
    for cut in (len(raw), 5, 8, 12, len(raw) - 3):  # however the terminal's writes are cut
        parser = PasteParser()
        got = list(parser.feed(raw[:cut])) + list(parser.feed(raw[cut:]))
        assert [type(e).__name__ for e in got] == ["Key", "Paste", "Key"]
        assert got[1].text == ESCAPED
        assert (got[0].key, got[2].key) == ("a", "b")


def test_the_desk_reads_the_terminal_with_the_paste_parser(desk):
    from textual.drivers.linux_driver import LinuxDriver

    app = DutyDeskApp(desk)
    assert issubclass(app.driver_class, LinuxDriver) and app.driver_class is not LinuxDriver
    assert "PasteParser" in app.driver_class.run_input_thread.__code__.co_names


async def test_a_row_pasted_from_a_spreadsheet_fills_successive_form_fields(desk):
    app = Host(lambda: VisitorForm(desk))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        app.post_message(events.Paste(f"李四\t市水务局\t13912345678\t居民身份证\t{GOOD_ID}\t汇报防汛工作\t综合处\r\n"))
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DeskForm)
        assert [form.raw_value(n) for n in ("name", "unit", "phone", "id_number", "purpose", "host")] == [
            "李四", "市水务局", "13912345678", GOOD_ID, "汇报防汛工作", "综合处"]
        await pilot.press("enter")
        await settle(pilot)
    visitor = Visitor.get()
    assert (visitor.name, visitor.host, visitor.id_masked) == ("李四", "综合处", "110105********002X")


async def test_a_pasted_row_never_overwrites_a_field_already_typed_and_says_what_was_left(desk):
    app = Host(lambda: VisitorForm(desk, unit="城关街道办事处"))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DeskForm)
        form.widget("name").focus()
        await pilot.pause()
        app.post_message(events.Paste("李四\t市水务局\x1b[31m\t13912345678"))
        await settle(pilot)
        assert [form.raw_value(n) for n in ("name", "unit", "phone")] == ["李四", "城关街道办事处", "13912345678"]
        said = str(form.query_one("#form-message").render())
        assert "市水务局" in said and "控制字符" in said
