"""Type-ahead: keys that arrive together (a fast typist, a paste without
bracketed-paste, a barcode reader) land in the fields they were typed for.

Keys are posted to the app all at once, as a terminal delivers them when
the officer types faster than the desk draws; then the test waits for every
message to be handled, never for a time.
"""

from __future__ import annotations

import pytest
from app_helpers import Host
from textual import events
from textual.widgets import Input

from duty_desk.core.models import UrgentItem, Visitor
from duty_desk.core.services import documents, log, urgent, visitors
from duty_desk.tui.forms import (
    CheckOutForm,
    DocumentForm,
    DocumentStepForm,
    ResultForm,
    UrgentEventForm,
    UrgentForm,
    VisitorForm,
    VoidForm,
    ZeroReportForm,
)
from duty_desk.tui.forms.base import DeskForm
from duty_desk.tui.forms.followup import ChaseForm, InstructionForm, TransferForm
from duty_desk.tui.widgets.fields import Choice

GOOD_ID = "11010519491231002X"
CHARS = {"tab": "\t", "shift+tab": None, "enter": "\r"}


def key_event(key: str) -> events.Key:
    if key in CHARS:
        return events.Key(key, CHARS[key])
    return events.Key(key, key)


def type_ahead(app, keys: list[str]) -> None:
    """Every key queued on the app before any of them is handled."""
    for key in keys:
        app.post_message(key_event(key))


def keys_for(text: str) -> list[str]:
    return [{"\t": "tab", "\n": "enter"}.get(ch, ch) for ch in text]


async def settle(pilot) -> None:
    for _ in range(4):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot, ready, rounds: int = 200) -> None:
    """Let the app work until ``ready()`` holds (the test then asserts it),
    however loaded the machine: no fixed time."""
    for _ in range(rounds):
        try:
            if ready():
                break
        except Exception:  # not composed yet
            pass
        await pilot.pause()
    await settle(pilot)


def form(pilot) -> DeskForm:
    screen = pilot.app.screen
    assert isinstance(screen, DeskForm)
    return screen


async def test_fields_typed_ahead_with_tabs_land_each_in_its_own_field(desk):
    app = Host(lambda: VisitorForm(desk))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        type_ahead(app, keys_for("李四\t市水务局\t13912345678\t\t" + GOOD_ID + "\t汇报防汛工作\t综合处\n"))
        await until(pilot, lambda: Visitor.select().exists())
    visitor = Visitor.get()
    assert (visitor.name, visitor.unit, visitor.phone) == ("李四", "市水务局", "13912345678")
    assert visitor.id_masked == "110105********002X"
    assert (visitor.purpose, visitor.host) == ("汇报防汛工作", "综合处")


async def test_shift_tab_typed_ahead_goes_back_a_field(desk):
    app = Host(lambda: VisitorForm(desk))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        type_ahead(app, ["张", "tab", "东", "shift+tab", "三"])
        f = form(pilot)
        await until(pilot, lambda: f.raw_value("name") == "张三")
        assert (f.raw_value("name"), f.raw_value("unit")) == ("张三", "东")


def _make_forms(desk) -> dict[str, object]:
    v = visitors.register_visitor(desk, "张建国", unit="城关街道办事处")
    d = documents.receive_document(desk, "市政府办公室", title="关于做好防汛工作的通知")
    u = urgent.open_urgent(desk, "城西区民房倒塌", "自然灾害", "I")
    call = log.record_entry(desk, "区气象台来电：今晚有暴雨", "来电", needs_action=True)
    return {
        "visitor": lambda: VisitorForm(desk),
        "document": lambda: DocumentForm(desk),
        "urgent": lambda: UrgentForm(desk),
        "checkout": lambda: CheckOutForm(desk, v.id),
        "doc_step": lambda: DocumentStepForm(desk, d.id),
        "urgent_event": lambda: UrgentEventForm(desk, u.id),
        "void": lambda: VoidForm(desk, "log", call.id),
        "zero": lambda: ZeroReportForm(desk),
        "result": lambda: ResultForm(desk, call.id),
        "chase": lambda: ChaseForm(desk, "log", call.id),
        "transfer": lambda: TransferForm(desk, "log", call.id),
        "instruction": lambda: InstructionForm(desk, "log", call.id),
    }


# Every form with more than one text field (the void and zero-report forms have one).
FORMS = ["visitor", "document", "urgent", "checkout", "doc_step", "urgent_event", "result", "chase",
         "transfer", "instruction"]


@pytest.mark.parametrize("name", FORMS)
async def test_every_form_keeps_each_typed_ahead_field_where_it_was_typed(desk, name):
    make = _make_forms(desk)[name]
    app = Host(make)
    async with app.run_test(size=(100, 40), notifications=False) as pilot:
        await settle(pilot)
        f = form(pilot)
        start = f.focused
        assert start is not None
        # The fields in the order Tab visits them, from the one focused.
        chain = f.focus_chain
        order = chain[chain.index(start):] + chain[:chain.index(start)]
        expected: dict[str, str] = {}
        keys: list[str] = []
        for i, widget in enumerate(order):
            if isinstance(widget, Input) and not widget.value:
                text = f"x{i}y"
                expected[widget.id or ""] = text
                keys += list(text)
            keys.append("tab")
        assert len(expected) >= 1
        type_ahead(app, keys)

        def typed() -> dict[str, str]:
            return {wid: f.query_one(f"#{wid}", Input).value for wid in expected}

        await until(pilot, lambda: typed() == expected and f.focused is start)
        got = typed()
        assert got == expected
        assert f.focused is start  # the last Tab came round to the start


async def test_choices_typed_ahead_take_their_digit_and_the_next_field_its_text(desk):
    app = Host(lambda: UrgentForm(desk))
    async with app.run_test(size=(100, 40), notifications=False) as pilot:
        await settle(pilot)
        f = form(pilot)
        assert f.focused is f.widget("title") and isinstance(f.widget("level"), Choice)
        type_ahead(app, keys_for("东城区化工厂火灾\t2\t3\t\t\t东城区") + ["enter"])
        await until(pilot, lambda: UrgentItem.select().exists())
    item = UrgentItem.get()
    assert (item.title, item.event_type, item.level, item.place) == ("东城区化工厂火灾", "事故灾难", "III", "东城区")


async def test_keys_typed_while_a_form_opens_land_in_its_fields(desk):
    from duty_desk.tui.app import DutyDeskApp

    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        app.desk_screen.action_new_visitor()  # F2: the form is pushed, not yet up
        type_ahead(app, keys_for("李四\t市水务局"))
        await until(pilot, lambda: isinstance(app.screen, DeskForm) and app.screen.raw_value("unit") == "市水务局")
        f = form(pilot)
        assert (f.raw_value("name"), f.raw_value("unit")) == ("李四", "市水务局")


async def test_keys_typed_while_a_form_reads_its_record_land_in_its_fields(desk):
    call = log.record_entry(desk, "区气象台来电：今晚有暴雨", "来电", needs_action=True)
    app = Host(lambda: ResultForm(desk, call.id))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        type_ahead(app, keys_for("已转告城管\t值班员电话通知"))
        await until(pilot, lambda: isinstance(app.screen, DeskForm) and app.screen.ready
                    and app.screen.raw_value("handling") == "值班员电话通知")
        f = form(pilot)
        assert (f.raw_value("result"), f.raw_value("handling")) == ("已转告城管", "值班员电话通知")


async def test_text_typed_on_the_entry_line_before_a_command_form_opened_stays_there(desk):
    from duty_desk.tui.app import DutyDeskApp

    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        entry = app.desk_screen.entry
        entry.input.insert_text_at_cursor("/访 张三 东城街道")
        await pilot.pause()
        await entry.input.action_submit()  # Enter ...
        entry.input.insert_text_at_cursor(" #记事 接班")  # ... and typing on before the form is up
        await until(pilot, lambda: isinstance(app.screen, VisitorForm) and app.screen.ready)
        assert isinstance(app.screen, VisitorForm)
        await pilot.press("enter")  # the form is saved
        await until(pilot, lambda: app.screen is app.desk_screen)
        assert Visitor.get().name == "张三"
        assert entry.value == "#记事 接班"  # kept, the command gone


async def test_tab_then_enter_typed_at_once_opens_the_rows_detail_and_records_nothing(desk):
    """Half a line on the entry line, then Tab and Enter arriving together:
    the Enter is the pane's (its highlighted row's detail), not the entry
    line's — the half-typed text is never recorded as a log entry."""
    from duty_desk.core.services import log
    from duty_desk.tui.app import DutyDeskApp
    from duty_desk.tui.screens.detail import DetailScreen

    first = log.record_entry(desk, "接班，设备正常", "记事")
    app = DutyDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.desk_screen.entry.input.value = "区水务局来电：水库水"
        type_ahead(app, ["tab", "enter"])
        await until(pilot, lambda: isinstance(app.screen, DetailScreen))
        assert isinstance(app.screen, DetailScreen)
        assert (app.screen.kind, app.screen.record_id) == ("log", first.id)
        assert [e.content for e in log.entries_of_day(desk.today())] == ["接班，设备正常"]
        await pilot.press("escape")
        await settle(pilot)
        assert app.desk_screen.entry.value == "区水务局来电：水库水"  # what was typed stays


async def test_a_name_typed_right_after_f2_goes_to_the_visitor_form_not_the_entry_line(desk):
    """F2 and the keys after it arrive together: the function key opens the
    form as the app takes it from its queue, so the name is the form's."""
    from app_helpers import settle

    from duty_desk.tui.app import DutyDeskApp

    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        type_ahead(app, ["f2", *"Zhang", "tab", *"ABC"])
        await settle(pilot)
        form = app.screen
        assert isinstance(form, VisitorForm)
        assert (form.raw_value("name"), form.raw_value("unit")) == ("Zhang", "ABC")
        assert app.desk_screen.entry.value == ""
