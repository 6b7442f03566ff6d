"""The contact book (通讯录): kept by administrators, every change audited
with its old values, a contact voided with a reason and still readable;
found by Chinese, full pinyin and initials, by tag and by phone number; and
who to call for an urgent item's type, whose calls go on its timeline."""

from __future__ import annotations

import json

import pytest

from duty_desk.core import audit
from duty_desk.core.contacts import service, view
from duty_desk.core.contacts.demo import DEMO_CONTACTS, fill_demo_contacts
from duty_desk.core.errors import InvalidInput, NotAnOfficer, Refused
from duty_desk.core.models import AuditEvent, Contact, UrgentItem
from duty_desk.core.present import history_rows
from duty_desk.core.services import urgent
from duty_desk.core.verify import verify_store

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
    return make_desk("admin")


def water(admin, **more):
    return service.add_contact(admin, unit="区水务局", name="王科长", title="科长", mobile="13800001111",
                               tags="防汛，水库、 防汛", **more)


def test_an_administrator_adds_a_contact_with_its_tags_tidied_and_audited(admin):
    row = water(admin)
    assert row.tags == ["防汛", "水库"]  # split on ，、 and spaces, each once
    event = AuditEvent.select().where((AuditEvent.kind == "contact") & (AuditEvent.record_id == row.id)).get()
    assert event.action == "create" and event.actor == "admin"
    assert json.loads(event.new)["mobile"] == "13800001111"


def test_an_officer_may_not_add_change_or_void_and_the_attempt_is_on_the_trail(admin, desk):
    row = water(admin)
    with pytest.raises(Refused) as err:
        service.add_contact(desk, unit="区应急管理局")
    assert err.value.key == "role.needs_admin"
    with pytest.raises(Refused):
        service.update_contact(desk, row.id, mobile="13900000000")
    with pytest.raises(Refused):
        service.void_contact(desk, row.id, "撤并")
    failed = list(AuditEvent.select().where((AuditEvent.kind == "contact") & (AuditEvent.outcome == "failure")))
    assert [(e.action, e.actor) for e in failed] == [("create", "tester"), ("update", "tester"), ("void", "tester")]
    assert Contact.get_by_id(row.id).mobile == "13800001111"
    assert Contact.select().count() == 1


def test_a_change_is_made_in_place_and_the_trail_keeps_the_old_values(admin):
    row = water(admin)
    service.update_contact(admin, row.id, mobile="13800002222", title="副科长")
    stored = Contact.get_by_id(row.id)
    assert (stored.mobile, stored.title) == ("13800002222", "副科长")
    event = audit.history("contact", row.id)[-1]
    assert event.action == "update"
    assert json.loads(event.old) == {"mobile": "13800001111", "title": "科长"}
    assert json.loads(event.new) == {"mobile": "13800002222", "title": "副科长"}
    with pytest.raises(InvalidInput) as err:
        service.update_contact(admin, row.id, mobile="13800002222")
    assert err.value.key == "contacts.unchanged"


def test_the_history_says_in_chinese_what_was_done_to_a_contact(admin, cfg):
    row = water(admin)
    service.update_contact(admin, row.id, title="副科长")
    service.void_contact(admin, row.id, "人员调整")
    rows = history_rows("contact", audit.history("contact", row.id), cfg)
    assert [r["action"] for r in rows] == ["新增联系人", "修改联系人", "作废联系人"]
    assert "职务：科长 → 副科长" in rows[1]["change"]  # its title is 职务, not a record's 标题
    assert "人员调整" in rows[2]["change"]
    report = verify_store(admin.db)  # the stored contact is what its trail says
    assert report.intact, report.problems


def test_a_voided_contact_stays_readable_and_leaves_the_lists(admin):
    row = water(admin)
    service.void_contact(admin, row.id, "人员调整")
    assert view.find_contacts() == []
    kept = view.get_contact(row.id)
    assert kept.voided and kept.void_reason == "人员调整" and kept.name == "王科长"
    assert [c.id for c in view.find_contacts(include_void=True)] == [row.id]
    with pytest.raises(Refused):
        service.void_contact(admin, row.id, "再次")
    with pytest.raises(Refused):
        service.update_contact(admin, row.id, title="科员")


def test_a_contact_needs_a_unit_or_a_name_and_is_not_entered_twice(admin):
    with pytest.raises(InvalidInput) as err:
        service.add_contact(admin, title="科长", mobile="13800001111")
    assert err.value.key == "contacts.unit_or_name" and err.value.field == "unit"
    water(admin)
    with pytest.raises(Refused) as err:
        service.add_contact(admin, unit="区水务局", name="王科长")
    assert err.value.key == "contacts.duplicate" and "区水务局 王科长" in err.value.message
    service.add_contact(admin, unit="区水务局")  # the unit itself is another card


@pytest.mark.parametrize("number", ["0571-86020000", "(0571) 8602 0000", "+86 138 0000 1111", "0571-86020000转8001",
                                    "86020000 分机 12", "１３８００００１１１１", "0571-86020000/86020001",
                                    "010-12345678 ext 9"])
def test_phone_numbers_are_taken_as_offices_write_them(admin, number):
    row = service.add_contact(admin, unit="区应急管理局", office_phone=number)
    assert view.digits(row.office_phone)[:3].isdigit()


@pytest.mark.parametrize("number", ["水务局", "1.38E+10", "12", "call me", "0571#8602"])
def test_a_phone_that_is_no_number_is_refused_with_the_field_named(admin, number):
    with pytest.raises(InvalidInput) as err:
        service.add_contact(admin, unit="区应急管理局", duty_phone=number)
    assert err.value.field == "duty_phone"
    assert "值班电话" in err.value.message and "分机" in err.value.message


def test_a_tag_too_long_is_refused(admin):
    with pytest.raises(InvalidInput) as err:
        service.add_contact(admin, unit="区应急管理局", tags="防汛" * 11)
    assert err.value.field == "tags"


def test_initials_full_pinyin_and_chinese_all_find_the_water_bureau(admin):
    water(admin)
    service.add_contact(admin, unit="区水务局", duty_phone="0571-86020000", tags="防汛")
    service.add_contact(admin, unit="区卫健委", duty_phone="0571-86060000", tags="卫生")
    for typed in ("sw", "shuiwu", "水务", "swj", "shui wu", "SW"):
        assert {c.unit for c in view.find_contacts(typed)} == {"区水务局"}, typed
    assert [c.name for c in view.find_contacts("wkz")] == ["王科长"]
    assert [c.unit for c in view.find_contacts("", tag="卫生")] == ["区卫健委"]
    # The unit's own card comes before its people.
    assert [c.name for c in view.find_contacts("水务")] == ["", "王科长"]


def test_a_phone_number_is_recognised_however_it_is_typed(admin):
    row = water(admin)
    unit = service.add_contact(admin, unit="区水务局", duty_phone="0571-86020000 转 8001")
    assert [(c.id, f) for c, f in view.by_phone("138 0000 1111")] == [(row.id, "mobile")]
    assert [(c.id, f) for c, f in view.by_phone("+8613800001111")] == [(row.id, "mobile")]
    assert [(c.id, f) for c, f in view.by_phone("86020000")] == [(unit.id, "duty_phone")]
    assert view.by_phone("057186020000") and not view.by_phone("0200")
    assert view.by_phone("13900009999") == []


def test_who_to_call_lists_the_tagged_contacts_with_duty_lines_first(admin):
    fill_demo_contacts(admin)
    found = view.who_to_call("自然灾害")
    units = [c.unit for c in found]
    assert "区水务局" in units and "市气象台" in units and "区防汛抗旱指挥部办公室" in units
    assert "区信访局" not in units and "区卫健委" not in units
    with_duty = [bool(c.duty_phone) for c in found]
    assert with_duty == sorted(with_duty, reverse=True)  # every duty line before any card without one
    assert found[0].phones()[0][0] == "duty_phone"
    assert {c.unit for c in view.who_to_call("社会安全事件")} >= {"区公安分局指挥中心", "区信访局"}
    # A contact tagged with the type's own name is called for it too.
    service.add_contact(admin, unit="区人防办", duty_phone="0571-86990000", tags="社会安全事件")
    assert "区人防办" in {c.unit for c in view.who_to_call("社会安全事件")}


def test_the_demo_book_is_filled_once_and_verifies(admin, db_path):
    assert fill_demo_contacts(admin) == len(DEMO_CONTACTS)
    assert fill_demo_contacts(admin) == 0
    wang = view.find_contacts("王科长")[0]
    assert (wang.unit, wang.title, wang.mobile) == ("区水务局", "科长", "13800001111")
    assert view.find_contacts("区水务局")[0].duty_phone  # the unit's own duty line
    report = verify_store(admin.db)
    assert report.intact, report.problems


# --- a call made from an urgent item ------------------------------------------------


def flood(desk) -> UrgentItem:
    return urgent.open_urgent(desk, "东城街道积水严重", "自然灾害", "III", source_unit="东城街道办事处")


def test_a_call_made_about_an_urgent_item_is_on_its_timeline_and_in_its_history(desk, cfg):
    item = flood(desk)
    due = (item.next_due_kind, item.next_due_at)
    urgent.record_contact_call(desk, item.id, "区水务局 王科长", "13800001111", "请派排水车")
    [event] = urgent.timeline(item.id)
    assert (event.kind, event.party, event.means, event.text) == ("contacted", "区水务局 王科长", "13800001111",
                                                                  "请派排水车")
    stored = UrgentItem.get_by_id(item.id)
    assert (stored.next_due_kind, stored.next_due_at) == due  # a call is no report: nothing due moves
    rows = history_rows("urgent", audit.history("urgent", item.id), cfg)
    assert rows[-1]["action"] == "去电联系" and "区水务局 王科长" in rows[-1]["change"]
    report = verify_store(desk.db)
    assert report.intact, report.problems


def test_a_call_needs_whom_and_is_not_offered_by_the_report_form(desk):
    item = flood(desk)
    with pytest.raises(InvalidInput) as err:
        urgent.record_contact_call(desk, item.id, "", "13800001111")
    assert err.value.field == "party"
    assert "contacted" not in urgent.events_allowed(item, [])


def test_the_urgent_detail_offers_who_to_call_while_the_item_is_open(desk):
    from duty_desk.core.detail import load_detail

    item = flood(desk)
    urgent.record_contact_call(desk, item.id, "市气象台", "0571-85010000")
    detail = load_detail(desk, "urgent", item.id)
    assert "who_to_call" in detail.actions
    assert detail.timeline[0][1] == "去电联系" and detail.timeline[0][3] == "市气象台"


def test_a_desk_whose_officer_was_removed_cannot_write(admin, make_desk):
    from duty_desk.core.models import Officer

    Officer.update(active=False).where(Officer.login == "admin").execute()
    with pytest.raises(NotAnOfficer):
        service.add_contact(admin, unit="区应急管理局")


@pytest.mark.parametrize("line", ["/通讯录", "、通讯录", "／通讯录", "/contacts"])
def test_the_entry_line_command_opens_the_contact_book(line):
    from duty_desk.core.entryline import parse_entry

    assert parse_entry(line).form == "contacts"


def test_the_handover_sheet_shows_the_call_on_the_urgent_items_timeline(desk):
    from duty_desk.core.handover import build_sheet, render_text
    from duty_desk.core.services.common import current_shift

    item = flood(desk)
    urgent.record_contact_call(desk, item.id, "区水务局", "0571-86020000", "请派排水车")
    text = render_text(build_sheet(desk, current_shift(desk)))
    assert "去电联系" in text and "区水务局" in text and "0571-86020000" in text
