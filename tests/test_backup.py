"""`duty-desk backup DEST`: a consistent copy while desks are running, with
what is still in the -wal file, private to its owner, verified."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from duty_desk import cli
from duty_desk.core import audit, backup
from duty_desk.core.services import log

CALL = "市应急管理局来电，询问防汛值守情况"


@pytest.fixture
def duty(config_file, db_path, capsys, monkeypatch):
    monkeypatch.setattr("duty_desk.core.identity.current_login", lambda *a, **k: "tester")

    def run(*args: str) -> tuple[int, str, str]:
        status = cli.main(["--config", str(config_file), "--db", str(db_path), *args])
        out, err = capsys.readouterr()
        return status, out, err

    return run


def test_backup_while_a_desk_is_open_copies_what_is_still_in_the_wal_file(desk, db_path, tmp_path, duty):
    for i in range(5):
        log.record_entry(desk, f"{CALL} {i}", "来电")
    assert (db_path.parent / (db_path.name + "-wal")).stat().st_size > 0  # not yet in the main file
    dest = tmp_path / "backups" / "desk-2026-11-24.db"
    dest.parent.mkdir()
    status, out, err = duty("backup", str(dest))
    assert status == 0, err
    count, head = audit.head()
    assert str(dest) in out and str(count) in out and audit.short_digest(head) in out
    copy = sqlite3.connect(dest)
    try:
        assert copy.execute("SELECT count(*) FROM log_entry").fetchone() == (5,)
        assert copy.execute("SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1").fetchone() == (head,)
    finally:
        copy.close()
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    assert sorted(p.name for p in dest.parent.iterdir()) == [dest.name]  # no temporary left


def test_a_backup_never_overwrites_a_file_nor_follows_a_symlink(desk, tmp_path, duty):
    log.record_entry(desk, CALL, "来电")
    existing = tmp_path / "old.db"
    existing.write_bytes(b"older backup")
    status, _, err = duty("backup", str(existing))
    assert status == 3 and str(existing) in err and existing.read_bytes() == b"older backup"
    link = tmp_path / "link.db"
    link.symlink_to(tmp_path / "elsewhere.db")
    status, _, err = duty("backup", str(link))
    assert status == 3 and "符号链接" in err and not (tmp_path / "elsewhere.db").exists()


def test_a_big_store_shows_progress_while_backing_up(desk, tmp_path, duty, monkeypatch):
    for i in range(20):
        log.record_entry(desk, f"{CALL} {i}" + "。" * 500, "来电")
    monkeypatch.setattr(backup, "PAGES_PER_STEP", 2)
    status, _, err = duty("backup", str(tmp_path / "copy.db"))
    assert status == 0
    lines = [line for line in err.splitlines() if line.startswith("备份中")]
    assert len(lines) > 2 and lines[-1].split("：")[1].split("/")[0] == lines[-1].split("/")[1].split(" ")[0]


def test_a_restored_backup_verifies_and_opens_as_the_desk(desk, db_path, tmp_path, duty, make_desk):
    log.record_entry(desk, CALL, "来电")
    dest = tmp_path / "copy.db"
    assert duty("backup", str(dest))[0] == 0
    desk.close()
    db_path.unlink()
    for side in ("-wal", "-shm"):
        (db_path.parent / (db_path.name + side)).unlink(missing_ok=True)
    dest.rename(db_path)  # the README's restore: desks stopped, the copy put in place
    assert duty("audit", "verify")[0] == 0
    status, out, _ = duty("show", "log")
    assert status == 0 and CALL in out
