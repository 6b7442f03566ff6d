"""An administrator manages the officer list; nobody else can. Every change
names the administrator, every refusal is recorded, and the desk always keeps
an active administrator."""

from __future__ import annotations

import json

import pytest
from conftest import OFFICERS_TOML
from support import fails

from duty_desk.core import audit
from duty_desk.core.config import load_config
from duty_desk.core.errors import InvalidInput, NotAnOfficer, NotFound, Refused
from duty_desk.core.models import Officer
from duty_desk.core.opening import open_desk
from duty_desk.core.services import log
from duty_desk.core.services.instructions import record_instruction
from duty_desk.core.services.officers import (
    activate_officer,
    add_officer,
    change_role,
    deactivate_officer,
    list_officers,
)

CHIEF_TOML = OFFICERS_TOML + """
[[officers]]
login = "chief"
name = "周丽"
role = "admin"
phone = "13800000009"
"""


@pytest.fixture
def office(tmp_path, db_path, fixed_clock):
    """Open desks on the office's database (seeded with an administrator, chief)."""
    path = tmp_path / "office.toml"
    path.write_text(CHIEF_TOML, encoding="utf-8")
    cfg = load_config(str(path))
    opened = []

    def make(login: str):
        desk = open_desk(cfg, "sqlite:///" + str(db_path), login=login)
        opened.append(desk)
        return desk

    yield make
    for d in opened:
        d.close()


@pytest.fixture
def chief(office):
    return office("chief")


def last_event(officer: Officer):
    return audit.history("officer", officer.id)[-1]


def test_administrator_adds_an_officer_who_can_then_log_in(chief, office):
    row = add_officer(chief, "zhaomin", " 赵敏 ", "leader", "13900000001")
    assert (row.login, row.name, row.role, row.phone, row.active) == ("zhaomin", "赵敏", "leader", "13900000001", True)
    event = last_event(row)
    assert (event.actor, event.action, event.outcome) == ("chief", "create", "success")
    assert office("zhaomin").officer().name == "赵敏"


def test_an_officer_who_is_not_administrator_cannot_add_anyone(chief, office):
    tester = office("tester")
    err = fails(tester, Refused, "role.needs_admin", add_officer, "friend", "某人", "admin")
    assert "管理员" in err.message
    assert Officer.get_or_none(Officer.login == "friend") is None


@pytest.mark.parametrize("change", [
    lambda d: deactivate_officer(d, "incoming", "调离"),
    lambda d: activate_officer(d, "incoming"),
    lambda d: change_role(d, "tester", "admin", "自己提拔自己"),
], ids=["deactivate", "activate", "role"])
def test_a_leader_cannot_change_the_officer_list(chief, office, change):
    leader = office("leader")
    fails(leader, Refused, "role.needs_admin", change)
    assert [(o.login, o.role, o.active) for o in Officer.select().order_by(Officer.id)] == [
        ("tester", "officer", True), ("incoming", "officer", True), ("leader", "leader", True),
        ("chief", "admin", True)]


def test_deactivated_officer_cannot_log_in_and_the_trail_names_admin_and_reason(chief, office):
    row = deactivate_officer(chief, "incoming", "调离值班岗位")
    assert row.active is False
    event = last_event(row)
    assert (event.actor, event.action) == ("chief", "deactivate")
    assert json.loads(event.new) == {"active": False, "reason": "调离值班岗位"}
    with pytest.raises(NotAnOfficer) as caught:
        office("incoming")
    assert "已停用" in caught.value.message


def test_deactivating_needs_a_reason(chief):
    fails(chief, InvalidInput, "input.empty", deactivate_officer, "incoming", "  ")
    assert Officer.get(Officer.login == "incoming").active


def test_deactivating_someone_already_deactivated_says_so(chief):
    deactivate_officer(chief, "incoming", "调离")
    err = fails(chief, Refused, "officer.already_inactive", deactivate_officer, "incoming", "再次停用")
    assert "陈静" in err.message


def test_a_deactivated_officer_is_activated_again_and_can_log_in(chief, office):
    deactivate_officer(chief, "incoming", "病休")
    row = activate_officer(chief, "incoming", "病休结束")
    assert row.active is True
    assert json.loads(last_event(row).new) == {"active": True, "reason": "病休结束"}
    assert office("incoming").actor == "incoming"
    fails(chief, Refused, "officer.already_active", activate_officer, "incoming")


def test_the_last_active_administrator_cannot_be_deactivated_or_demoted(chief):
    err = fails(chief, Refused, "officer.last_admin", deactivate_officer, "chief", "离任")
    assert "唯一" in err.message
    fails(chief, Refused, "officer.last_admin", change_role, "chief", "officer", "改任值班员")
    me = Officer.get(Officer.login == "chief")
    assert (me.role, me.active) == ("admin", True)


def test_with_a_second_administrator_the_first_may_step_down(chief, office):
    change_role(chief, "leader", "admin", "兼任办公室主任")
    change_role(chief, "chief", "officer", "改任值班员")
    assert Officer.get(Officer.login == "chief").role == "officer"
    # no longer an administrator: the next change is refused
    fails(chief, Refused, "role.needs_admin", add_officer, "friend", "某人")
    fails(office("leader"), Refused, "officer.last_admin", deactivate_officer, "leader", "离任")


def test_a_role_change_keeps_old_and_new_role_and_the_reason(chief):
    row = change_role(chief, "tester", "leader", "任带班领导")
    event = last_event(row)
    assert (event.actor, event.action) == ("chief", "role")
    assert (json.loads(event.old), json.loads(event.new)) == ({"role": "officer"}, {"role": "leader", "reason": "任带班领导"})
    fails(chief, Refused, "officer.same_role", change_role, "tester", "leader", "再改一次")


def test_adding_a_login_already_listed_is_refused_naming_who_has_it(chief):
    err = fails(chief, Refused, "officer.exists", add_officer, "incoming", "陈晶")
    assert "陈静" in err.message
    assert Officer.get(Officer.login == "incoming").name == "陈静"


@pytest.mark.parametrize(("args", "key"), [
    (("1zhang", "张伟"), "officer.bad_login"),
    (("zhang wei", "张伟"), "officer.bad_login"),
    (("zhangwei", "张伟", "boss"), "officer.bad_role"),
    (("zhangwei", ""), "input.empty"),
], ids=["digit-first", "space", "role", "no-name"])
def test_a_malformed_officer_is_refused_in_one_line(chief, args, key):
    err = fails(chief, InvalidInput, key, add_officer, *args)
    assert "\n" not in err.message
    assert Officer.get_or_none(Officer.login == "zhangwei") is None


def test_changing_someone_not_on_the_list_is_not_found(chief):
    err = fails(chief, NotFound, "officer.not_found", deactivate_officer, "nobody", "调离")
    assert "nobody" in err.message


def test_the_list_shows_active_officers_first_administrators_leading(chief):
    deactivate_officer(chief, "tester", "调离")
    assert [(o.login, o.active) for o in list_officers()] == [
        ("chief", True), ("leader", True), ("incoming", True), ("tester", False)]


def test_an_administrator_deactivated_meanwhile_cannot_manage_from_an_open_desk(chief, office):
    change_role(chief, "leader", "admin", "兼任办公室主任")
    other = office("leader")
    deactivate_officer(other, "chief", "离任")
    fails(chief, NotAnOfficer, "identity.inactive", add_officer, "friend", "某人")


def test_an_officer_still_records_a_leaders_instruction_on_the_leaders_behalf(chief, office):
    tester = office("tester")
    call = log.record_entry(tester, "市防指来电：请做好夜间防汛值守", "来电", needs_action=True)
    ins = record_instruction(tester, "log", call.id, "王军", "请各单位加强值守")
    assert (ins.leader, ins.recorded_by) == ("王军", "tester")
