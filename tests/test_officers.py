"""Who is an officer is a fact of the office's database: the ``[officers]``
table of a config file seeds a brand-new database and nothing more; after that
only an administrator changes the list, every change and refusal audited."""

from __future__ import annotations

import json
import multiprocessing
import os
import pwd

import pytest
from conftest import OFFICERS_TOML

from duty_desk.core import audit
from duty_desk.core import db as store
from duty_desk.core.config import load_config
from duty_desk.core.errors import NotAnOfficer
from duty_desk.core.models import AuditEvent, LogEntry, Officer
from duty_desk.core.opening import open_desk
from duty_desk.core.services import log


def officer_table() -> list[tuple]:
    return [(o.login, o.name, o.role, o.phone, o.active) for o in Officer.select().order_by(Officer.id)]


def write_config(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_config(str(path))


# --- a config file is not a boundary (issue 9.1) -----------------------------------


def test_own_config_listing_oneself_as_administrator_changes_no_officer(desk, tmp_path, make_desk):
    before = officer_table()
    mine = write_config(tmp_path, "my.toml", '[[officers]]\nlogin = "intruder"\nname = "某人"\nrole = "admin"\n')
    with pytest.raises(NotAnOfficer):
        make_desk("intruder", mine)
    assert officer_table() == before
    assert not AuditEvent.select().where((AuditEvent.kind == "officer") & (AuditEvent.action == "update")).exists()


def test_a_config_with_fewer_officers_deactivates_nobody(desk, tmp_path, make_desk):
    fewer = write_config(tmp_path, "fewer.toml", '[[officers]]\nlogin = "tester"\nname = "李明"\n')
    before = officer_table()
    make_desk("tester", fewer)
    assert officer_table() == before
    make_desk("incoming", fewer)  # still an officer, whatever that file says


def test_a_config_giving_someone_another_role_changes_no_role(desk, tmp_path, make_desk):
    promoted = write_config(tmp_path, "promoted.toml", OFFICERS_TOML.replace('role = "officer"', 'role = "admin"'))
    make_desk("tester", promoted)
    assert Officer.get(Officer.login == "tester").role == "officer"


def test_config_officers_seed_a_brand_new_database_once(tmp_path, fixed_clock, cfg):
    url = "sqlite:///" + str(tmp_path / "new.db")
    desk = open_desk(cfg, url, login="tester")
    try:
        assert [(o.login, o.role) for o in Officer.select().order_by(Officer.id)] == [
            ("tester", "officer"), ("incoming", "officer"), ("leader", "leader")]
        events = list(AuditEvent.select().where(AuditEvent.kind == "officer"))
        assert len(events) == 3 and {(e.actor, e.action, e.outcome) for e in events} == {
            ("system", "create", "success")}
    finally:
        desk.close()


def test_the_issue_command_with_a_config_naming_oneself_administrator_is_refused(tmp_path, cfg, capsys):
    from duty_desk import cli
    from duty_desk.core.identity import current_login

    db = tmp_path / "x.db"
    open_desk(cfg, "sqlite:///" + str(db), login="tester").close()  # the office's database
    me = current_login()
    mine = tmp_path / "my.toml"
    mine.write_text(f'[[officers]]\nlogin = "{me}"\nname = "某人"\nrole = "admin"\n', encoding="utf-8")
    status = cli.main(["--config", str(mine), "--db", str(db), "log", "x"])
    err = capsys.readouterr().err
    assert status == 3 and err.count("\n") == 1 and me in err
    desk = open_desk(cfg, "sqlite:///" + str(db), login="tester")
    try:
        assert [(o.login, o.role, o.active) for o in Officer.select().order_by(Officer.id)] == [
            ("tester", "officer", True), ("incoming", "officer", True), ("leader", "leader", True)]
        assert not LogEntry.select().exists()
    finally:
        desk.close()


# --- a refused login is audited ------------------------------------------------------


def test_a_login_that_is_not_an_officer_is_recorded_as_a_refused_attempt(desk, make_desk):
    with pytest.raises(NotAnOfficer):
        make_desk("stranger")
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (event.actor, event.action, event.kind, event.outcome) == ("stranger", "login", "officer", "failure")
    assert json.loads(event.new)["error"] == "identity.not_officer"
    assert audit.verify().intact


def test_a_deactivated_officer_is_refused_at_login_and_recorded(desk, make_desk):
    Officer.update(active=False).where(Officer.login == "incoming").execute()
    with pytest.raises(NotAnOfficer) as caught:
        make_desk("incoming")
    assert "陈静" in caught.value.message
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (event.actor, event.action, event.outcome) == ("incoming", "login", "failure")
    assert event.record_id == Officer.get(Officer.login == "incoming").id


# --- a desk already open when its officer is deactivated (issue 9.3) ---------------


def test_an_open_desk_of_a_deactivated_officer_can_no_longer_record(desk, make_desk):
    other = make_desk("incoming")
    log.record_entry(other, "接班，检查值班电话正常")
    # deactivated meanwhile, from another desk or process
    Officer.update(active=False).where(Officer.login == "incoming").execute()
    before = AuditEvent.select().count()
    with pytest.raises(NotAnOfficer) as caught:
        log.record_entry(other, "市应急管理局来电")
    assert "陈静" in caught.value.message
    assert [e.content for e in LogEntry.select()] == ["接班，检查值班电话正常"]
    assert AuditEvent.select().count() == before + 1
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (event.actor, event.outcome) == ("incoming", "failure")
    assert json.loads(event.new)["error"] == "identity.inactive"
    log.record_entry(desk, "其他值班员照常记录")  # the others are not affected


# --- several processes starting at once (issue 8.2) --------------------------------


def _start_desk(url: str, config_path: str, login: str, barrier, results) -> None:
    try:
        cfg = load_config(config_path)
        barrier.wait(timeout=60)
        open_desk(cfg, url, login=login).close()
        results.put("ok")
    except BaseException as exc:  # reported to the test
        results.put(f"{type(exc).__name__}: {exc}")


@pytest.mark.slow
@pytest.mark.parametrize("seeded", [True, False], ids=["officers-in-config", "first-login-admin"])
def test_many_desks_starting_at_once_on_a_new_database_all_get_in(tmp_path, config_file, seeded):
    config = str(config_file) if seeded else str(tmp_path / "empty.toml")
    if not seeded:
        (tmp_path / "empty.toml").write_text("", encoding="utf-8")
    logins = ["tester", "incoming", "leader"] * 2 if seeded else [pwd.getpwuid(os.getuid()).pw_name] * 6
    ctx = multiprocessing.get_context("spawn")
    for attempt in range(2):
        url = "sqlite:///" + str(tmp_path / f"race{attempt}.db")
        # The database exists with its tables, no officer yet: the race is over who seeds it.
        store.close_database(store.open_database(url, load_config(config)))
        barrier, results = ctx.Barrier(len(logins)), ctx.Queue()
        procs = [ctx.Process(target=_start_desk, args=(url, config, login, barrier, results)) for login in logins]
        for p in procs:
            p.start()
        outcomes = [results.get(timeout=120) for _ in procs]
        for p in procs:
            p.join(timeout=60)
        assert outcomes == ["ok"] * len(logins)
        cfg = load_config(config)
        desk = open_desk(cfg, url, login=logins[0])
        try:
            assert Officer.select().count() == (3 if seeded else 1)
            assert AuditEvent.select().where(AuditEvent.kind == "officer").count() == (3 if seeded else 1)
            assert audit.verify().intact
        finally:
            desk.close()


def test_terminal_escapes_in_a_seeded_name_never_reach_the_store(tmp_path, fixed_clock):
    cfg = write_config(tmp_path, "esc.toml", '[[officers]]\nlogin = "tester"\nname = "\\u001b[2J李明"\n'
                       'phone = "138\\u001b]0;x\\u0007"\nrole = "admin"\n')
    desk = open_desk(cfg, "sqlite:///" + str(tmp_path / "esc.db"), login="tester")
    try:
        assert officer_table() == [("tester", "李明", "admin", "138", True)]
    finally:
        desk.close()
