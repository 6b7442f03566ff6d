"""The contact book at the desk, driven as an officer drives it: opened with
/通讯录 and from the palette, found by initials, read-only for an officer,
kept by an administrator (add, change, void with a reason); and who to call
from an urgent item's detail, the call recorded on its timeline."""

from __future__ import annotations

import pytest
from app_helpers import Host, settle, type_text
from test_detail import shown_text

from duty_desk.core.contacts import service
from duty_desk.core.contacts.demo import fill_demo_contacts
from duty_desk.core.models import Contact, UrgentEvent
from duty_desk.core.services import urgent
from duty_desk.tui.app import DutyDeskApp
from duty_desk.tui.screens.contacts import CallForm, ContactForm, ContactsScreen, VoidContactForm
from duty_desk.tui.screens.detail import DetailScreen

ADMIN_TOML = """
[[officers]]
login = "admin"
name = "周主任"
role = "admin"
"""


@pytest.fixture
def config_file(config_file):
    config_file.write_text(config_file.read_text(encoding="utf-8") + ADMIN_TOML, encoding="utf-8")
    return config_file


@pytest.fixture
def admin(make_desk, fixed_clock):
    desk = make_desk("admin")
    fill_demo_contacts(desk)
    return desk


def listed(screen: ContactsScreen) -> list[str]:
    table = screen.table
    return [table.get_row_at(i)[0].plain for i in range(table.row_count)]


def status(screen: ContactsScreen) -> str:
    return str(screen.query_one("#contacts-status").render())


def detail_text(screen: ContactsScreen) -> str:
    return str(screen.query_one("#contacts-detail").render())


async def test_the_entry_line_opens_the_book_and_initials_find_the_water_bureau(admin, desk):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "/通讯录")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContactsScreen)
        assert len(listed(screen)) == Contact.select().count()
        assert "只读" in status(screen)  # an officer reads the book
        await pilot.press("s", "w")
        await settle(pilot)
        assert listed(screen) == ["区水务局", "区水务局 王科长"]
        await pilot.press("down")  # from the find line, the arrows move in the list
        await settle(pilot)
        assert "13800001111" in detail_text(screen) and "防汛" in detail_text(screen)
        # No key of the keeper's works for an officer.
        await pilot.press("ctrl+n")
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.desk_screen and app.desk_screen.entry.value == ""


async def test_the_palette_opens_the_book(admin, desk):
    app = DutyDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "通讯录")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactsScreen)


async def test_an_administrator_adds_a_contact_and_a_bad_phone_keeps_the_form(admin):
    app = Host(lambda: ContactsScreen(admin))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm)
        await type_text(pilot, "区人防办")  # unit
        await pilot.press("tab", "tab", "tab")
        await type_text(pilot, "人防值班室")  # the duty line: no number
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm)  # refused, nothing typed is lost
        assert "不像电话号码" in str(app.screen.query_one("#msg-duty_phone").render())
        app.screen.widget("duty_phone").value = "0571-86990000"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactsScreen)
    row = Contact.get(Contact.unit == "区人防办")
    assert row.duty_phone == "0571-86990000" and row.recorded_by == "admin"


async def test_an_administrator_changes_and_voids_the_highlighted_contact(admin):
    wang = Contact.get(Contact.name == "王科长")
    app = Host(lambda: ContactsScreen(admin))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        await type_text(pilot, "wkz")
        await settle(pilot)
        assert listed(app.screen) == ["区水务局 王科长"]
        await pilot.press("enter")  # Enter: change it
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactForm) and form.raw_value("mobile") == "13800001111"
        form.widget("title").value = "副科长"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, VoidContactForm)
        await type_text(pilot, "人员调整")
        await pilot.press("enter")
        await settle(pilot)
        assert listed(app.screen) == []
        assert "已作废联系人" in status(app.screen)
    wang = Contact.get_by_id(wang.id)
    assert wang.title == "副科长" and wang.void_reason == "人员调整"


async def test_who_to_call_from_an_urgent_detail_records_the_call_on_its_timeline(admin, desk):
    item = urgent.open_urgent(desk, "东城街道积水严重", "自然灾害", "III")
    due = item.next_due_at
    app = Host(lambda: DetailScreen(desk, "urgent", item.id))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContactsScreen)
        units = listed(screen)
        assert "区防汛抗旱指挥部办公室" in units and "市气象台" in units and "区信访局" not in units
        assert "东城街道积水严重" in str(screen.query_one("#contacts-box").border_title)
        await type_text(pilot, "qxt")  # 市气象台 by its initials
        await settle(pilot)
        assert listed(screen) == ["市气象台"]
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CallForm)
        assert (form.raw_value("party"), form.raw_value("means")) == ("市气象台", "0571-85010000")
        await type_text(pilot, "询问今晚降雨量")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and "已登记去电" in status(screen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert "去电联系" in shown_text(pilot) and "询问今晚降雨量" in shown_text(pilot)
    [event] = UrgentEvent.select()
    assert (event.kind, event.party, event.means, event.text) == ("contacted", "市气象台", "0571-85010000",
                                                                  "询问今晚降雨量")
    assert urgent.get_record("urgent", item.id).next_due_at == due


async def test_who_to_call_with_no_tagged_contact_offers_the_whole_book(desk, admin):
    Contact.update(tags=[]).execute()
    item = urgent.open_urgent(desk, "某小区燃气泄漏", "事故灾难", "IV")
    app = Host(lambda: ContactsScreen(desk, item.id))
    async with app.run_test(size=(80, 24), notifications=False) as pilot:
        await settle(pilot)
        assert listed(app.screen) == [] and "Ctrl+L" in status(app.screen)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert len(listed(app.screen)) == Contact.select().count()


def test_the_keeper_is_the_administrator(admin, desk):
    assert service.is_keeper(admin) and not service.is_keeper(desk)


async def test_the_void_form_shows_which_contact_it_voids(admin):
    """Textual runs every class's on_mount: the form's own ran a second time
    after the void form's and hid the contact's summary it had just shown."""
    app = Host(lambda: VoidContactForm(admin, 1, summary="区水务局 王科长（科长）"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        intro = app.screen.query_one("#form-intro")
        assert intro.display and "区水务局 王科长" in str(intro.content)
