"""The roster as a CSV an office edits in Excel: exported, edited, imported
back — through the command line as an administrator uses it. An import is
checked line by line before anything is written; a bad line is named as a
spreadsheet numbers it (the header is line 1) and nothing is imported."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from duty_desk import cli
from duty_desk.core.config import load_config
from duty_desk.core.errors import InvalidInput
from duty_desk.core.i18n import set_language
from duty_desk.core.models import AuditEvent, RosterEntry
from duty_desk.core.opening import open_desk
from duty_desk.core.roster import files, service
from duty_desk.core.roster.view import month_roster

CONFIG = Path(__file__).parent / "roster_files" / "config.toml"
HEADER = "日期,班次,值班员,带班领导,备班,备注"


@pytest.fixture
def office(tmp_path, monkeypatch, capsys, fixed_clock):
    """December 2026 planned by the administrator; ``office.run(...)`` runs
    the command line as ``office.login``, ``office.roster()`` reads the month."""
    cfg = load_config(str(CONFIG))
    db = tmp_path / "desk.db"

    class Office:
        login = "admin"

        def __init__(self) -> None:
            self.cfg, self.db, self.dir = cfg, db, tmp_path

        def desk(self, login: str = "admin"):
            return open_desk(cfg, "sqlite:///" + str(db), login=login)

        def run(self, *args: str) -> tuple[int, str, str]:
            monkeypatch.setattr("duty_desk.core.identity.current_login", lambda *a, **k: self.login)
            status = cli.main(["--config", str(CONFIG), "--db", str(db), *args])
            out, err = capsys.readouterr()
            return status, out, err

        def roster(self, month: str = "2026-12") -> dict:
            desk = self.desk()
            try:
                return {(s.day, s.slot): (s.officers, s.leaders, s.standby, s.note)
                        for day in month_roster(month, cfg).days for s in day.slots}
            finally:
                desk.close()

        def export(self, month: str = "2026-12") -> list[str]:
            path = tmp_path / f"{month}.csv"
            status, _, err = self.run("roster", "export", month, "--out", str(path))
            assert status == 0, err
            return path.read_bytes().decode("utf-8-sig").splitlines()

        def write(self, lines: list[str], encoding: str = "utf-8-sig", name: str = "edited.csv") -> str:
            path = tmp_path / name
            path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
            return str(path)

    office = Office()
    desk = office.desk()
    try:
        service.plan_month(desk, "2026-12")
    finally:
        desk.close()
    return office


def _row(lines: list[str], day: str, shift: str) -> int:
    return next(i for i, line in enumerate(lines) if line.startswith(f"{day},{shift},"))


def test_an_export_starts_with_the_byte_order_mark_excel_needs_and_names_people(office):
    path = office.dir / "dec.csv"
    office.run("roster", "export", "2026-12", "--out", str(path))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf" + HEADER.encode("utf-8") + b"\r\n")
    lines = data.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 31 * 2  # the header, then every day's 白班 and 夜班
    december = office.roster()
    officers, leaders, _, _ = december[(date(2026, 12, 1), 0)]
    names = {"zhangs": "张三", "lis": "李四", "wangw": "王五", "zhaol": "赵六", "sunq": "孙七",
             "zhoub": "周八", "wuj": "吴九", "zhengs": "郑十"}
    assert lines[1] == f"2026-12-01,白班,{'、'.join(names[x] for x in officers)},{'、'.join(names[x] for x in leaders)},,"


def test_export_to_the_screen_and_show_as_csv_give_the_same_file(office):
    _, exported, _ = office.run("roster", "export", "2026-12")
    _, shown, _ = office.run("roster", "show", "2026-12", "--format", "csv")
    assert exported == shown and exported.startswith("\ufeff" + HEADER)


def test_english_interface_exports_english_headers(office):
    set_language("en")
    desk = office.desk()
    try:
        text = files.month_csv(month_roster("2026-12", office.cfg), office.cfg)
    finally:
        desk.close()
    assert text.startswith("\ufeffDate,Shift,Officers,Leaders,Standby,Note\r\n")


def test_export_then_import_leaves_the_roster_unchanged_and_reports_nothing_changed(office):
    before = office.roster()
    path = office.write(office.export())
    status, out, err = office.run("roster", "import", path)
    assert status == 0, err
    assert "0 个班次有变更" in out
    assert office.roster() == before


def test_an_edited_csv_changes_exactly_the_edited_slots(office):
    before = office.roster()
    lines = office.export()
    i = _row(lines, "2026-12-03", "夜班")
    lines[i] = "2026-12-03,夜班,孙七、zhaol,郑十,李四,防汛值守加强"
    j = _row(lines, "2026-12-20", "白班")
    lines[j] = lines[j] + "元旦前检查"
    status, out, err = office.run("roster", "import", office.write(lines))
    assert status == 0, err
    assert "2 个班次有变更" in out
    after = office.roster()
    assert after[(date(2026, 12, 3), 1)] == (("sunq", "zhaol"), ("zhengs",), ("lis",), "防汛值守加强")
    assert after[(date(2026, 12, 20), 0)][3] == "元旦前检查"
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {(date(2026, 12, 3), 1), (date(2026, 12, 20), 0)}


def test_a_gbk_file_as_excel_saves_it_on_chinese_windows_imports(office):
    # Excel's plain "CSV" on Chinese Windows: GBK, no BOM, dates re-written as 2026/12/5.
    path = office.write([HEADER, "2026/12/5,白班,赵六,吴九,,节前值守"], encoding="gbk")
    status, out, err = office.run("roster", "import", path)
    assert status == 0, err
    assert "1 个班次有变更" in out
    assert office.roster()[(date(2026, 12, 5), 0)] == (("zhaol",), ("wuj",), (), "节前值守")


def test_english_headers_with_logins_import_and_leave_missing_columns_alone(office):
    before = office.roster()[(date(2026, 12, 7), 1)]
    path = office.write(["Date,Shift,Officers", "2026-12-07,1,lis; wangw"])
    status, out, err = office.run("roster", "import", path)
    assert status == 0, err
    assert office.roster()[(date(2026, 12, 7), 1)] == (("lis", "wangw"), *before[1:])


def test_a_file_with_a_bad_row_writes_nothing_and_names_line_4_and_why(office):
    before = office.roster()
    path = office.write([HEADER,
                         "2026-12-01,白班,赵六,周八,,",
                         "2026-12-02,白班,孙七,吴九,,",
                         "2026-12-03,白班,钱十一,郑十,,"])
    status, out, err = office.run("roster", "import", path)
    assert status == 3
    assert "已导入" not in out
    assert err.splitlines() == ["错误：第 4 行（值班员）：没有登录名或姓名为“钱十一”的值班人员"]
    assert office.roster() == before  # lines 2 and 3 were good, and were not written either


def test_every_bad_line_is_named_with_its_reason(office):
    path = office.write([HEADER,
                         "2026-12-32,白班,赵六,周八,,",       # 2: no such day
                         "2026-12-02,晚班,孙七,吴九,,",       # 3: no such shift
                         "2026-12-03,白班,周八,郑十,,",       # 4: a leader as officer
                         "2026-12-04,白班,孙七,吴九,,,多一列",  # 5: a stray comma
                         "2026-12-05,白班,孙七,张三,,"])      # 6: an officer as leader
    status, _, err = office.run("roster", "import", path)
    assert status == 3
    lines = err.splitlines()
    assert len(lines) == 5
    assert lines[0].startswith("错误：第 2 行（日期）：“2026-12-32”不是日期")
    assert lines[1].startswith("错误：第 3 行（班次）：班次“晚班”不存在") and "白班、夜班" in lines[1]
    assert lines[2] == "错误：第 4 行（值班员）：周八（zhoub）不是值班员，不能排为值班员"
    assert lines[3].startswith("错误：第 5 行：有 7 列，表头有 6 列")
    assert lines[4] == "错误：第 6 行（带班领导）：张三（zhangs）不是带班领导，不能排为带班领导"


def test_a_duplicate_day_and_shift_is_refused_naming_the_first_line(office):
    before = office.roster()
    path = office.write([HEADER, "2026-12-01,白班,赵六,周八,,", "2026-12-01,夜班,孙七,周八,,",
                         "2026/12/1,白班,孙七,周八,,"])
    status, _, err = office.run("roster", "import", path)
    assert status == 3
    assert err.splitlines() == ["错误：第 4 行：2026-12-01 白班 已在第 2 行出现，同一班次只能有一行"]
    assert office.roster() == before


def test_an_unknown_header_is_refused_on_line_1(office):
    status, _, err = office.run("roster", "import", office.write(["日期,班次,值班人,带班领导", "2026-12-01,白班,赵六,周八"]))
    assert status == 3
    assert "第 1 行" in err and "“值班人”不认识" in err


def test_only_an_administrator_imports(office):
    office.login = "zhangs"
    before = office.roster()
    status, _, err = office.run("roster", "import", office.write([HEADER, "2026-12-01,白班,赵六,周八,,"]))
    assert status == 3
    assert "管理员" in err
    assert office.roster() == before


def test_a_published_month_needs_a_reason_and_then_takes_amendments(office):
    office.run("roster", "publish", "2026-12")
    lines = office.export()
    i = _row(lines, "2026-12-10", "白班")
    lines[i] = "2026-12-10,白班,赵六,郑十,,"
    path = office.write(lines)

    status, _, err = office.run("roster", "import", path)
    assert status == 3
    assert "已发布" in err and "原因" in err
    assert office.roster()[(date(2026, 12, 10), 0)][:2] != (("zhaol",), ("zhengs",))
    failed = AuditEvent.select().where(AuditEvent.outcome == "failure").order_by(AuditEvent.id.desc()).first()
    assert failed.actor == "admin"  # the refused import is on the audit trail

    status, out, err = office.run("roster", "import", path, "--reason", "赵六与孙七对调")
    assert status == 0, err
    assert "1 个班次有变更" in out
    desk = office.desk()
    try:
        entry = (RosterEntry.select().where((RosterEntry.duty_date == date(2026, 12, 10)) & (RosterEntry.slot == 0))
                 .order_by(RosterEntry.id.desc()).first())
        assert entry.__data__["amends"] is not None and entry.reason == "赵六与孙七对调"
    finally:
        desk.close()
    status, out, _ = office.run("history", "roster", str(entry.id))
    assert status == 0
    assert "变更已发布排班" in out and "赵六与孙七对调" in out


def test_names_can_be_separated_as_people_type_them(office):
    path = office.write([HEADER, '2026-12-01,白班,"张三，李四; 王五  赵六",周八,"孙七,zhaol",'])
    status, _, err = office.run("roster", "import", path)
    assert status == 0, err
    assert office.roster()[(date(2026, 12, 1), 0)][:3] == (("zhangs", "lis", "wangw", "zhaol"), ("zhoub",),
                                                           ("sunq", "zhaol"))


def test_an_office_with_one_shift_may_leave_the_shift_column_out(office):
    one_shift = dataclasses.replace(office.cfg, shifts=office.cfg.shifts[:1])
    desk = office.desk()
    try:
        rows = files.read_csv("日期,值班员\n2026-12-01,孙七\n".encode(), one_shift)
        with pytest.raises(InvalidInput) as caught:
            files.read_csv("日期,值班员\n2026-12-01,孙七\n".encode(), office.cfg)
    finally:
        desk.close()
    assert rows == [{"day": date(2026, 12, 1), "slot": 0, "officers": ["sunq"]}]
    assert "缺少“班次”列" in caught.value.message


def test_a_note_excel_would_run_as_a_formula_goes_out_quoted_and_comes_back_as_typed(office):
    desk = office.desk()
    try:
        service.set_duty(desk, date(2026, 12, 1), 0, note="-夜间注意雨情")
        text = files.month_csv(month_roster("2026-12", office.cfg), office.cfg)
        assert "2026-12-01,白班," in text and ",'-夜间注意雨情\r\n" in text
        assert files.read_csv(text.encode("utf-8"), office.cfg) == []  # read back: nothing differs
    finally:
        desk.close()
