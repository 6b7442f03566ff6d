"""Who is acting: the account of the real uid (the invoking user only under a
real sudo), never a name from the environment; checked against the officer
list; a brand-new desk never locks its first user out."""

from __future__ import annotations

import json
import os
import pwd

import pytest

from duty_desk.core import audit
from duty_desk.core.config import ConfigError, load_config
from duty_desk.core.errors import NotAnOfficer
from duty_desk.core.identity import current_login
from duty_desk.core.models import AuditEvent, Officer
from duty_desk.core.opening import open_desk

MY_NAME = pwd.getpwuid(os.getuid()).pw_name


# Accounts every Linux passwd file has, standing in for officers' accounts.
DAEMON_UID = pwd.getpwnam("daemon").pw_uid
SERVICE, SERVICE_UID = "bin", pwd.getpwnam("bin").pw_uid
REAL_SUDO = {"SUDO_USER": "daemon", "SUDO_UID": str(DAEMON_UID)}


def test_login_is_the_invoking_user_under_a_real_sudo():
    assert current_login(environ=REAL_SUDO, uid=0, parent="sudo") == "daemon"


def test_root_with_sudo_user_set_by_hand_is_recorded_as_root():
    """Without sudo as parent, SUDO_USER is only a variable anyone can set."""
    assert current_login(environ={"SUDO_USER": "daemon"}, uid=0) == "root"
    assert current_login(environ=REAL_SUDO, uid=0, parent="bash") == "root"


def test_sudo_user_whose_uid_is_not_the_one_sudo_recorded_is_not_believed():
    assert current_login(environ={"SUDO_USER": "daemon", "SUDO_UID": "4242"}, uid=0, parent="sudo") == "root"
    assert current_login(environ={"SUDO_USER": "daemon"}, uid=0, parent="sudo") == "root"


def test_sudo_to_the_configured_service_user_records_the_invoking_officer():
    assert current_login(SERVICE, environ=REAL_SUDO, uid=SERVICE_UID, parent="sudo") == "daemon"


def test_sudo_to_an_account_that_is_not_the_service_user_stays_that_account():
    assert current_login("", environ=REAL_SUDO, uid=SERVICE_UID, parent="sudo") == SERVICE
    assert current_login("nobody", environ=REAL_SUDO, uid=SERVICE_UID, parent="sudo") == SERVICE
    assert current_login(SERVICE, environ=REAL_SUDO, uid=SERVICE_UID, parent="bash") == SERVICE


def test_sudo_user_is_ignored_when_not_running_as_root():
    """Anyone can set SUDO_USER; an ordinary account stays itself."""
    me = os.getuid() or 1000
    name = pwd.getpwuid(me).pw_name
    assert current_login(environ=REAL_SUDO, uid=me, parent="sudo") == name


def test_login_is_the_account_of_the_process_without_sudo():
    assert current_login(environ={}) == MY_NAME


def test_sudo_as_root_itself_stays_root():
    assert current_login(environ={"SUDO_USER": "root", "SUDO_UID": "0"}, uid=0, parent="sudo") == "root"


def test_uid_without_passwd_entry_is_refused_whatever_user_says():
    with pytest.raises(NotAnOfficer) as caught:
        current_login(environ={"USER": "daemon", "LOGNAME": "daemon"}, uid=4242424)
    assert caught.value.key == "identity.no_passwd"
    assert "4242424" in caught.value.message and "\n" not in caught.value.message


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


def test_sudo_to_the_configured_service_user_opens_the_desk_as_the_officer(tmp_path, fixed_clock, monkeypatch):
    path = tmp_path / "service.toml"
    path.write_text(f'[database]\nservice_user = "{SERVICE}"\n\n'
                    '[[officers]]\nlogin = "daemon"\nname = "张伟"\nrole = "admin"\n', encoding="utf-8")
    monkeypatch.setattr(os, "getuid", lambda: SERVICE_UID)
    monkeypatch.setattr("duty_desk.core.identity.parent_process_name", lambda: "sudo")
    for k, v in REAL_SUDO.items():
        monkeypatch.setenv(k, v)
    desk = open_desk(load_config(str(path)), "sqlite:///" + str(tmp_path / "svc.db"))
    try:
        assert desk.actor == "daemon" and desk.officer().name == "张伟"
    finally:
        desk.close()


def test_a_uid_without_account_is_refused_at_the_desk_and_recorded_by_number(cfg, tmp_path, fixed_clock,
                                                                                monkeypatch):
    url = "sqlite:///" + str(tmp_path / "desk.db")
    open_desk(cfg, url, login="tester").close()
    with monkeypatch.context() as m, pytest.raises(NotAnOfficer) as caught:
        m.setenv("USER", "tester")
        m.setattr(os, "getuid", lambda: 4242424)
        open_desk(cfg, url)
    assert caught.value.key == "identity.no_passwd"
    desk = open_desk(cfg, url, login="tester")
    try:
        event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
        assert (event.actor, event.action, event.outcome) == ("uid:4242424", "login", "failure")
    finally:
        desk.close()


def test_a_malformed_service_user_is_a_config_error(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[database]\nservice_user = "duty desk"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(str(path))
    assert caught.value.key == "database.service_user"
