"""Store faults told in one line naming the file, and stores never created or
changed by accident: a full disk, a read-only file, a damaged file, a missing
or empty file, a sheet written where others could read it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from duty_desk import cli
from duty_desk.core import db as store
from duty_desk.core import sqlite_store
from duty_desk.core.models import AuditEvent
from duty_desk.core.services import log

CALL = "市应急管理局来电，询问防汛值守情况"


@pytest.fixture
def duty(config_file, db_path, capsys, monkeypatch, fixed_clock):
    """Run the command line in-process as officer "tester": (status, out, err)."""
    monkeypatch.setattr("duty_desk.core.identity.current_login", lambda *a, **k: "tester")

    def run(*args: str, db=None, login="tester") -> tuple[int, str, str]:
        monkeypatch.setattr("duty_desk.core.identity.current_login", lambda *a, **k: login)
        argv = ["--config", str(config_file)]
        if db is not False:
            argv += ["--db", str(db or db_path)]
        status = cli.main([*argv, *args])
        out, err = capsys.readouterr()
        return status, out, err

    return run


def _one_line(result, status: int, *words: str) -> None:
    got, out, err = result
    assert got == status, (out, err)
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, (word, err)


# --- 8.11 a full disk ----------------------------------------------------------------


def test_a_full_disk_is_named_with_the_file_and_reading_still_works(duty, db_path, monkeypatch):
    assert duty("log", CALL)[0] == 0
    con = sqlite3.connect(db_path)
    pages = con.execute("PRAGMA page_count").fetchone()[0]
    con.close()
    plain = sqlite_store.connect_params

    def capped(timeout):  # SQLite's own "database or disk is full", as on a full disk
        params = plain(timeout)
        params["pragmas"] = {**params["pragmas"], "max_page_count": pages}
        return params

    monkeypatch.setattr(sqlite_store, "connect_params", capped)
    results = [duty("log", "长" * 3900) for _ in range(5)]
    failed = [r for r in results if r[0] != 0]
    assert failed, "the cap did not fill the file"
    _one_line(failed[0], 4, "磁盘已满", str(db_path))
    status, out, _ = duty("show", "log")
    assert status == 0 and CALL in out
    assert duty("audit", "verify")[0] == 0


def test_a_failed_rollback_on_a_full_disk_is_still_told_as_a_full_disk(tmp_path, monkeypatch):
    from peewee import OperationalError

    class Full:
        f_bavail, f_frsize = 3, 4096

    monkeypatch.setattr(os, "statvfs", lambda _p: Full())
    err = OperationalError("cannot rollback - no transaction is active")
    assert sqlite_store.fault_of(err, tmp_path / "desk.db") == "full"


# --- 8.12 a read-only file -------------------------------------------------------------


def test_a_read_only_database_is_named_when_a_write_is_refused(duty, db_path, monkeypatch):
    assert duty("log", CALL)[0] == 0
    plain = sqlite_store.connect_params

    def read_only(timeout):  # what a file without write permission gives a non-root user
        params = plain(timeout)
        params["pragmas"] = {**params["pragmas"], "query_only": 1}
        return params

    monkeypatch.setattr(sqlite_store, "connect_params", read_only)
    _one_line(duty("log", "第二条"), 4, "只读", str(db_path))


def _python_for(user_is_other: bool) -> str | None:
    if not user_is_other:
        return sys.executable
    candidate = f"/usr/bin/python3.{sys.version_info.minor}"
    return candidate if os.path.exists(candidate) else None


def test_a_read_only_file_is_read_without_leaving_side_files_and_writable_again_after_chmod():
    """The real case, as a user without root's powers (root ignores file modes)."""
    as_other = os.geteuid() == 0
    python = _python_for(as_other)
    if python is None:
        pytest.skip("needs a non-root user and an interpreter it may run")  # outside our control
    work = Path(tempfile.mkdtemp(prefix="duty-desk-ro-"))
    try:
        work.chmod(0o777)
        config = work / "config.toml"
        from duty_desk.core.identity import current_login

        login = "nobody" if as_other else current_login()
        config.write_text(f'[[officers]]\nlogin = "{login}"\nname = "李明"\n', encoding="utf-8")
        config.chmod(0o644)
        db = work / "desk.db"
        site = [p for p in sys.path if p.endswith("site-packages")]
        env = {"PATH": "/usr/bin:/bin", "HOME": str(work), "XDG_DATA_HOME": str(work / "data"),
               "XDG_CONFIG_HOME": str(work / "cfg"), "PYTHONIOENCODING": "utf-8",
               "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parent.parent), *site])}

        def run(*args: str) -> subprocess.CompletedProcess:
            def drop() -> None:
                if as_other:
                    os.setgid(65534)
                    os.setuid(65534)

            return subprocess.run([python, "-m", "duty_desk", "--config", str(config), "--db", str(db), *args],
                                  capture_output=True, text=True, env=env, cwd=work, timeout=60,
                                  preexec_fn=drop)

        first = run("log", CALL)
        assert first.returncode == 0, first.stderr
        db.chmod(0o444)
        shown = run("show", "log")
        assert shown.returncode == 0, shown.stderr
        assert CALL in shown.stdout
        assert sorted(p.name for p in work.iterdir() if p.name.startswith("desk.db")) == ["desk.db"]
        for suffix in ("-wal", "-shm"):  # as an older version's read-only open of the 0444 file left them
            side = Path(str(db) + suffix)
            side.write_bytes(b"")
            if as_other:
                os.chown(side, 65534, 65534)
            side.chmod(0o444)
        db.chmod(0o660)
        again = run("log", "恢复写权限后继续记录")
        assert again.returncode == 0, again.stderr
        work.chmod(0o555)  # read-only media: not even -wal/-shm can be made
        verified = run("audit", "verify")
        assert verified.returncode == 0, verified.stderr
        assert sorted(p.name for p in work.iterdir() if p.name.startswith("desk.db")) == ["desk.db"]
        work.chmod(0o777)
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --- 8.13 a damaged file ------------------------------------------------------------


def _junk(path: Path, start: float, end: float | None = None) -> None:
    """Overwrite pages from ``start`` to ``end`` (fractions of the file) with junk."""
    page = 4096
    pages = path.stat().st_size // page
    first = max(1, int(pages * start))
    last = first + 1 if end is None else int(pages * end)
    with open(path, "r+b") as fh:
        for n in range(first, last):
            fh.seek(n * page)
            fh.write(b"\xde\xad\xbe\xef" * (page // 4))


def _filled(desk, n: int = 300) -> None:
    for i in range(n):
        log.record_entry(desk, f"市气象台来电，发布暴雨预警第 {i} 次更新" + "。" * 200, "来电")
    desk.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    desk.close()
    store._open.clear()


def test_a_damaged_page_near_the_end_is_told_with_the_file_and_the_backup_advice(desk, db_path, duty):
    _filled(desk)
    _junk(db_path, 0.6, 1.0)
    for args in (("show", "log", "--date", "2026-11-24"), ("log", CALL)):
        result = duty(*args)
        _one_line(result, 4, str(db_path), "损坏", "备份")


def test_an_empty_file_is_refused_as_not_a_database_and_left_as_it_is(duty, tmp_path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    for args in (("log", CALL), ("show", "log"), ("audit", "verify")):
        _one_line(duty(*args, db=empty), 4, str(empty), "空文件")
    assert empty.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("empty")) == ["empty.db"]


def test_read_only_commands_never_create_a_database(duty, tmp_path):
    typo = tmp_path / "typo.db"
    for args in (("show", "log"), ("history", "log", "1"), ("handover",), ("audit", "verify")):
        _one_line(duty(*args, db=typo), 4, str(typo), "没有数据库")
    assert not typo.exists()


def test_init_creates_a_database_on_purpose_and_says_so(duty, tmp_path):
    new = tmp_path / "office" / "desk.db"
    status, out, err = duty("init", db=new)
    assert status == 0 and str(new) in out and "已新建" in out
    assert sqlite3.connect(new).execute(
        "SELECT actor, action, kind FROM audit_event").fetchall() == [("tester", "create", "store")]
    status, out, err = duty("init", db=new)
    assert status == 3 and out == "" and "已存在" in err
    assert duty("audit", "verify", db=new)[0] == 0


def test_the_configured_database_is_created_on_first_use_with_a_notice_naming_it(duty, tmp_path):
    status, out, err = duty("log", CALL, db=False)
    path = tmp_path / "data" / "duty-desk" / "desk.db"
    assert status == 0 and err == f"已新建数据库：{path}\n"
    first = sqlite3.connect(path).execute(
        "SELECT actor, action, kind, new FROM audit_event WHERE kind = 'store'").fetchall()
    assert first == [("tester", "create", "store", f'{{"path": "{path}"}}')]
    assert duty("log", "第二条", db=False)[2] == ""  # said once


# --- `check` and handover printing read only ------------------------------------------


def test_check_and_handover_printing_work_for_someone_who_is_not_an_officer(duty, db_path):
    assert duty("log", CALL, "--category", "来电", "--needs-action")[0] == 0
    before = AuditEvent.select().count()
    status, out, _ = duty("check", login="auditor")
    assert status == 0 and "未结事项 1 项" in out
    status, out, _ = duty("handover", login="auditor")
    assert status == 0 and "交 接 班 单" in out
    assert AuditEvent.select().count() == before


# --- 9.9 the handover sheet written to a file -------------------------------------------


def test_a_handover_sheet_written_to_a_file_is_readable_by_its_owner_only(duty, tmp_path):
    duty("log", CALL)
    out_file = tmp_path / "sheet.txt"
    old = os.umask(0o022)
    try:
        status, out, _ = duty("handover", "--out", str(out_file))
    finally:
        os.umask(old)
    assert status == 0 and "交 接 班 单" in out_file.read_text(encoding="utf-8")
    assert stat.S_IMODE(out_file.stat().st_mode) == 0o600


def test_a_symlink_planted_at_the_sheets_target_is_refused(duty, tmp_path):
    duty("log", CALL)
    victim = tmp_path / "victim.txt"
    victim.write_text("别人的文件\n", encoding="utf-8")
    link = tmp_path / "sheet.txt"
    link.symlink_to(victim)
    _one_line(duty("handover", "--out", str(link)), 3, str(link), "符号链接")
    assert victim.read_text(encoding="utf-8") == "别人的文件\n" and link.is_symlink()


def test_a_damaged_page_in_the_middle_is_told_within_the_hour_by_a_writing_command(desk, db_path, duty):
    from datetime import timedelta

    from duty_desk.core import anchor, clock

    _filled(desk)
    _junk(db_path, 0.5)
    anchor._told.discard("damaged")
    clock.set_now(clock.now() + timedelta(hours=2))
    status, out, err = duty("zero-report", "--previous")  # a write that does not touch the damaged page
    assert "损坏" in err and str(db_path) in err
    assert any("损坏" in w for w in store.store_warnings())


def test_check_by_someone_else_with_another_configuration_writes_nothing(duty, db_path, tmp_path, capsys,
                                                                         monkeypatch):
    assert duty("log", CALL, "--category", "来电", "--needs-action")[0] == 0
    with sqlite3.connect(db_path) as con:
        before = con.execute("SELECT count(*) FROM audit_event").fetchone()
    other = tmp_path / "monitor.toml"
    other.write_text('[[officers]]\nlogin = "zhangwei"\nname = "张伟"\n', encoding="utf-8")
    monkeypatch.setattr("duty_desk.core.identity.current_login", lambda *a, **k: "monitor")
    status = cli.main(["--config", str(other), "--db", str(db_path), "check"])
    out, err = capsys.readouterr()
    assert status == 0 and "未结事项 1 项" in out, err
    with sqlite3.connect(db_path) as con:
        assert con.execute("SELECT count(*) FROM audit_event").fetchone() == before


def test_a_database_named_with_db_is_created_on_first_use_with_a_notice_naming_it(duty, tmp_path):
    new = tmp_path / "elsewhere.db"
    status, out, err = duty("log", CALL, db=new)
    assert status == 0 and err == f"已新建数据库：{new}\n"
    assert duty("log", "第二条", db=new)[2] == ""  # said once


def test_a_new_store_file_is_never_seen_empty_by_another_desk_opening_it(tmp_path):
    """Two desks opening one new store at once: the first made an empty file
    and the second, seeing zero bytes, refused it as no database (found with
    two officers over SSH). The file now appears already a database."""
    from duty_desk.core import sqlite_store

    path = tmp_path / "shared" / "desk.db"
    path.parent.mkdir()
    sqlite_store.create_shared(path)
    assert not sqlite_store.is_not_a_database(path)
    assert path.stat().st_mode & 0o777 == 0o660
    assert sorted(p.name for p in path.parent.iterdir()) == ["desk.db"]  # nothing left beside it
    before = path.read_bytes()
    sqlite_store.create_shared(path)  # a second desk: the first one's file stays as it is
    assert path.read_bytes() == before
