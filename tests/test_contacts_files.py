"""The contact book as CSV: exported for Excel, imported from what Excel
and WPS save; every bad row named with its line, nothing half-imported."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duty_desk.core.contacts import files, service, view
from duty_desk.core.contacts.demo import fill_demo_contacts
from duty_desk.core.csvfile import ImportRefused
from duty_desk.core.errors import DeskError, Refused
from duty_desk.core.models import AuditEvent, Contact

ADMIN_TOML = """
[[officers]]
login = "admin"
name = "周主任"
role = "admin"
"""
HEADER = "单位,姓名,职务,办公电话,手机,值班电话,传真,标签,备注"


@pytest.fixture
def config_file(config_file):
    config_file.write_text(config_file.read_text(encoding="utf-8") + ADMIN_TOML, encoding="utf-8")
    return config_file


@pytest.fixture
def admin(make_desk, fixed_clock):
    return make_desk("admin")


def csv_bytes(lines: list[str], encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def test_an_export_opens_in_excel_and_imports_back_into_an_empty_book_as_it_was(admin, make_desk, tmp_path):
    fill_demo_contacts(admin)
    before = [(c.unit, c.name, c.title, c.office_phone, c.mobile, c.duty_phone, c.fax, c.tags, c.notes)
              for c in view.find_contacts()]
    text = files.export_csv()
    assert text.startswith("\ufeff" + HEADER + "\r\n")  # the BOM Excel needs to read UTF-8
    assert "区水务局,王科长,科长,0571-86020101,13800001111,,,防汛、水库" in text
    # Importing it back into the same book changes nothing.
    outcome = files.import_csv(admin, text.encode("utf-8"))
    assert (outcome.added, outcome.changed, outcome.unchanged) == (0, 0, len(before))
    # Into an empty one, it is the same book.
    Contact.delete().execute()
    outcome = files.import_csv(admin, text.encode("utf-8"))
    assert outcome.added == len(before)
    after = [(c.unit, c.name, c.title, c.office_phone, c.mobile, c.duty_phone, c.fax, c.tags, c.notes)
             for c in view.find_contacts()]
    assert after == before


def test_a_bad_row_is_named_with_its_line_and_nothing_is_imported(admin):
    data = csv_bytes([HEADER,
                      "区水务局,王科长,科长,,13800001111,,,防汛,",
                      ",,科员,,13800002222,,,,",  # neither unit nor name
                      "区应急管理局,,,,,水务局,,应急,",  # a duty line that is no number
                      "区水务局,王科长,,,,,,,"])  # the same person again
    with pytest.raises(ImportRefused) as err:
        files.import_csv(admin, data)
    lines = err.value.lines()
    assert lines[0].startswith("第 3 行") and "单位和姓名至少填一项" in lines[0]
    assert lines[1].startswith("第 4 行（值班电话）") and "水务局" in lines[1]
    assert lines[2].startswith("第 5 行") and "第 2 行" in lines[2]
    assert Contact.select().count() == 0
    failed = AuditEvent.select().where((AuditEvent.kind == "contact") & (AuditEvent.outcome == "failure")).get()
    assert failed.action == "import"


def test_a_gbk_file_with_english_headers_imports(admin):
    data = csv_bytes(["Unit,Name,Title,Mobile,Duty line,Tags", "区卫健委,,,,0571-86060000,卫生 疫情",
                      "区卫健委,赵主任,应急办主任,13700003333,,疫情"], "gbk")
    outcome = files.import_csv(admin, data)
    assert outcome.added == 2
    assert view.find_contacts("赵主任")[0].tags == ("疫情",)
    assert view.find_contacts("wjw")[0].duty_phone == "0571-86060000"


def test_utf16_tab_separated_as_excel_saves_unicode_text_imports(admin):
    data = "单位\t值班电话\r\n市气象台\t0571-85010000\r\n".encode("utf-16")  # with its byte order mark
    assert files.import_csv(admin, data).added == 1
    assert view.find_contacts("气象")[0].duty_phone == "0571-85010000"


def test_a_row_for_a_contact_in_the_book_changes_it_with_the_old_value_kept(admin):
    row = service.add_contact(admin, unit="区水务局", name="王科长", mobile="13800001111")
    outcome = files.import_csv(admin, csv_bytes(["单位,姓名,手机", "区水务局,王科长,13800002222"]))
    assert (outcome.added, outcome.changed) == (0, 1)
    assert Contact.get_by_id(row.id).mobile == "13800002222"
    last = AuditEvent.select().where(AuditEvent.kind == "contact").order_by(AuditEvent.id.desc()).first()
    assert last.action == "update" and json.loads(last.old) == {"mobile": "13800001111"}


def test_only_an_administrator_imports(desk):
    with pytest.raises(Refused):
        files.import_csv(desk, csv_bytes(["单位", "区水务局"]))
    assert Contact.select().count() == 0


def test_unknown_columns_and_a_missing_unit_column_are_said(admin):
    with pytest.raises(ImportRefused) as err:
        files.import_csv(admin, csv_bytes(["职务,邮箱", "科长,a@b"]))
    text = err.value.message
    assert "邮箱" in text and "单位" in text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.one_of(st.text(max_size=12), st.sampled_from(
    ["区水务局", "王科长", "13800001111", "0571-86020000转8", "防汛、信访", "=1+2", "", "水务局", "'-x"])),
    min_size=1, max_size=6), min_size=1, max_size=6),
    st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
    st.booleans())
def test_any_file_is_imported_whole_or_not_at_all(admin, cells, encoding, with_header):
    import csv
    import io

    Contact.delete().where(Contact.id > 0).execute()
    out = io.StringIO()
    writer = csv.writer(out)
    if with_header:
        writer.writerow(["单位", "姓名", "手机", "值班电话", "标签", "备注"])
    for row in cells:
        writer.writerow(row)
    try:
        data = out.getvalue().encode(encoding)
    except UnicodeEncodeError:
        return
    before = Contact.select().count()
    try:
        outcome = files.import_csv(admin, data)
    except DeskError:
        assert Contact.select().count() == before  # nothing of it
        return
    # Written whole: every row of the file is a contact now.
    assert Contact.select().count() == before + outcome.added
    assert not with_header or outcome.added + outcome.changed + outcome.unchanged == len([r for r in cells if any(
        c.strip() for c in r)])
