"""Who is acting: the OS login (the invoking user under sudo), checked against
the officer list; a brand-new desk never locks its first user out."""

from __future__ import annotations

import json
import os
import pwd

import pytest

from duty_desk import audit
from duty_desk.config import load_config
from duty_desk.desk import open_desk
from duty_desk.errors import NotAnOfficer
from duty_desk.identity import current_login
from duty_desk.models import Officer

MY_NAME = pwd.getpwuid(os.getuid()).pw_name


def test_login_is_the_invoking_user_under_sudo():
    assert current_login({"SUDO_USER": "zhangwei"}, euid=0, uid=0) == "zhangwei"


def test_sudo_user_is_ignored_when_not_running_as_root():
    """Anyone can set SUDO_USER; only a real sudo (euid 0) makes it believable."""
    assert current_login({"SUDO_USER": "zhangwei"}, euid=os.getuid() or 1000, uid=os.getuid()) == MY_NAME


def test_login_is_the_account_of_the_process_without_sudo():
    assert current_login({}, euid=os.geteuid(), uid=os.getuid()) == MY_NAME


def test_sudo_as_root_itself_stays_root():
    assert current_login({"SUDO_USER": "root"}, euid=0, uid=0) == "root"


def test_uid_without_passwd_entry_still_gets_a_stable_name():
    assert current_login({"USER": "ghost"}, euid=4242424, uid=4242424) == "ghost"
    assert current_login({}, euid=4242424, uid=4242424) == "uid4242424"


def test_login_not_on_the_officer_list_is_refused(cfg, db_path):
    with pytest.raises(NotAnOfficer) as caught:
        open_desk(cfg, "sqlite:///" + str(db_path), login="stranger")
    assert "stranger" in caught.value.message and "\n" not in caught.value.message


def test_first_login_on_a_new_database_without_officers_becomes_administrator(tmp_path, fixed_clock):
    cfg = load_config(None, {"XDG_CONFIG_HOME": str(tmp_path / "none")})  # built-in: no officers
    assert cfg.officers == []
    desk = open_desk(cfg, "sqlite:///" + str(tmp_path / "new.db"), login="zhangwei")
    try:
        me = desk.officer()
        assert (me.login, me.role, me.active) == ("zhangwei", "admin", True)
        event = audit.history("officer", me.id)[-1]
        assert (event.actor, event.action, event.outcome) == ("system", "create", "success")
        assert json.loads(event.new)["role"] == "admin"
    finally:
        desk.close()


def test_second_login_on_that_desk_is_not_let_in_by_itself(tmp_path, fixed_clock):
    cfg = load_config(None, {"XDG_CONFIG_HOME": str(tmp_path / "none")})
    url = "sqlite:///" + str(tmp_path / "new.db")
    open_desk(cfg, url, login="zhangwei").close()
    with pytest.raises(NotAnOfficer):
        open_desk(cfg, url, login="lisi")
    assert Officer.select().count() == 1


def test_configured_officers_are_registered_and_audited(desk):
    rows = {o.login: o for o in Officer.select()}
    assert {k: (v.name, v.role) for k, v in rows.items()} == {
        "tester": ("李明", "officer"), "incoming": ("陈静", "officer"), "leader": ("王军", "leader")}
    assert all(audit.history("officer", o.id) for o in rows.values())


def test_officer_removed_from_config_is_deactivated_not_deleted(desk, tmp_path, make_desk):
    path = tmp_path / "fewer.toml"
    path.write_text('[[officers]]\nlogin = "tester"\nname = "李明"\n', encoding="utf-8")
    make_desk("tester", load_config(str(path)))
    gone = Officer.get(Officer.login == "incoming")
    assert gone.active is False
    assert audit.history("officer", gone.id)[-1].new == json.dumps({"active": False})
    with pytest.raises(NotAnOfficer):
        make_desk("incoming", load_config(str(path)))
