"""定时事项 in the store: orders kept by administrators, each occurrence an
open item from its time (brought once, however many desks bring it), overdue
after its window, on the handover sheet and in `check` until its result is
recorded; a desk that was closed when the time passed brings it late."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, timezone

import pytest
from conftest import OFFICERS_TOML

from duty_desk import cli
from duty_desk.core import clock, openitems
from duty_desk.core.config import load_config
from duty_desk.core.errors import NotFound, Refused
from duty_desk.core.handover import flow as ho
from duty_desk.core.handover import sheet_of
from duty_desk.core.models import AuditEvent, StandingItem
from duty_desk.core.opening import open_desk
from duty_desk.core.services.common import current_shift, void_record
from duty_desk.core.services.escalation import escalation_round
from duty_desk.core.standing import service
from duty_desk.core.verify import verify_store

ADMIN_TOML = OFFICERS_TOML + """
[[officers]]
login = "admin"
name = "周主任"
role = "admin"
"""
RAIN = "每日16:00 报雨情（6月1日至9月30日）"


def at(text: str) -> datetime:
    """A Shanghai wall-clock time as the aware UTC instant."""
    return datetime.fromisoformat(text + "+08:00").astimezone(timezone.utc)


@pytest.fixture
def office(tmp_path):
    path = tmp_path / "office.toml"
    path.write_text(ADMIN_TOML, encoding="utf-8")
    return path


@pytest.fixture
def desks(office, tmp_path):
    """Desks of one store by login: admin, tester, incoming, leader."""
    cfg = load_config(str(office))
    opened = {}

    def desk(login: str = "tester"):
        if login not in opened:
            opened[login] = open_desk(cfg, "sqlite:///" + str(tmp_path / "desk.db"), login=login)
        return opened[login]

    clock.set_now(at("2026-07-10 08:00"))
    desk("admin")
    yield desk
    for d in opened.values():
        d.close()


def open_standing(desk) -> list:
    return openitems.list_open(desk, kinds="standing")


def test_the_rainfall_order_makes_an_open_item_at_16_00_on_the_sheet_until_its_result(desks):
    """The issue's Done-when: an open item at 16:00 each day of the season,
    on the handover sheet until its result is recorded, none on 10-01."""
    order = service.add_order(desks("admin"), RAIN)
    tester = desks("tester")
    clock.set_now(at("2026-07-10 15:59"))
    escalation_round(tester)
    assert open_standing(tester) == []
    clock.set_now(at("2026-07-10 16:00"))
    escalation_round(tester)  # the desk's tick
    (item,) = open_standing(tester)
    assert (item.title, item.received_at, item.due_at) == ("报雨情", at("2026-07-10 16:00"), at("2026-07-10 16:30"))
    assert item.next_action == "登记完成情况" and not item.overdue

    clock.set_now(at("2026-07-10 17:00"))
    sheet = sheet_of(tester, current_shift(tester))
    carried = [c for c in sheet.carried if c.record_kind == "standing"]
    assert [(c.title, c.overdue) for c in carried] == [("报雨情", True)]
    service.record_result(tester, item.id, "已报市防指，雨量正常")
    sheet = sheet_of(tester, current_shift(tester))
    assert [c for c in sheet.carried if c.record_kind == "standing"] == []

    clock.set_now(at("2026-09-30 16:05"))  # the desk was closed for weeks: the last seven days come
    made = service.bring_due(tester)
    assert [i.scheduled_at for i in made] == [at(f"2026-09-{d} 16:00") for d in range(24, 31)]
    for day in ("2026-10-01 16:05", "2026-10-15 16:05"):
        clock.set_now(at(day))
        assert service.bring_due(tester) == []
    assert StandingItem.select().where(StandingItem.order == order.id).count() == 1 + 7
    assert verify_store(tester.db).problems == []


def test_bringing_twice_makes_nothing_more(desks):
    service.add_order(desks("admin"), "每日09:00 报送值班信息")
    clock.set_now(at("2026-07-10 09:00"))
    tester = desks("tester")
    assert len(service.bring_due(tester)) == 1
    events = AuditEvent.select().count()
    assert service.bring_due(tester) == [] and AuditEvent.select().count() == events


def test_two_desks_bringing_at_the_same_moment_make_one_item_each_occurrence(desks):
    service.add_order(desks("admin"), "每日09:00 报送值班信息")
    service.add_order(desks("admin"), "每日09:30 检查值班系统")
    clock.set_now(at("2026-07-12 10:00"))  # 2 orders × 3 days
    one, other = desks("tester"), desks("incoming")
    start = threading.Barrier(2)
    made: dict[str, int] = {}
    errors: list[BaseException] = []

    def bring(desk) -> None:
        try:
            start.wait()
            made[desk.actor] = len(service.bring_due(desk))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=bring, args=(d,)) for d in (one, other)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert sum(made.values()) == 6 and StandingItem.select().count() == 6
    assert verify_store(one.db).problems == []


def test_an_occurrence_brought_meanwhile_by_another_desk_is_skipped(desks, monkeypatch):
    """The first look (outside the write lock) missed the other desk's item:
    the look again under the lock, and the unique index behind it, keep it one."""
    service.add_order(desks("admin"), "每日09:00 报送值班信息")
    clock.set_now(at("2026-07-10 09:00"))
    assert len(service.bring_due(desks("incoming"))) == 1
    monkeypatch.setattr(service, "_brought", lambda wanted: set())  # every look is stale
    assert service.bring_due(desks("tester")) == []
    assert StandingItem.select().count() == 1
    assert verify_store(desks("tester").db).problems == []


def test_a_desk_closed_at_16_00_brings_the_occurrence_at_18_00_overdue_and_check_says_so(desks, office, tmp_path,
                                                                                        monkeypatch, capsys):
    service.add_order(desks("admin"), RAIN)
    clock.set_now(at("2026-07-10 18:00"))  # nobody had the desk open at 16:00
    monkeypatch.setattr("duty_desk.core.identity.current_login", lambda *a, **k: "tester")
    status = cli.main(["--config", str(office), "--db", str(tmp_path / "desk.db"), "check", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert status == 1 and (out["open"], out["overdue"]) == (1, 1)
    (item,) = open_standing(desks("tester"))
    assert item.received_at == at("2026-07-10 16:00") and item.overdue
    marks = AuditEvent.select().where((AuditEvent.kind == "standing") & (AuditEvent.action == "overdue")).count()
    assert marks == 1
    service.record_result(desks("tester"), item.id, "已补报市防指")
    assert cli.main(["--config", str(office), "--db", str(tmp_path / "desk.db"), "check"]) == 0


def test_a_long_closed_desk_brings_a_week_back_and_nothing_before_the_order_or_its_change(desks):
    admin = desks("admin")
    clock.set_now(at("2026-07-01 12:00"))
    order = service.add_order(admin, "每日09:00 报送值班信息")
    clock.set_now(at("2026-07-20 12:00"))
    made = service.bring_due(desks("tester"))
    assert [i.scheduled_at for i in made] == [at(f"2026-07-{d} 09:00") for d in range(14, 21)]
    clock.set_now(at("2026-07-20 12:30"))
    service.update_order(admin, order.id, at_time="11:00")
    clock.set_now(at("2026-07-21 12:00"))
    assert [i.scheduled_at for i in service.bring_due(desks("tester"))] == [at("2026-07-21 11:00")]


def test_the_owner_is_the_orders_else_the_officer_on_duty_then_else_who_brings_it(desks):
    admin, tester = desks("admin"), desks("tester")
    service.add_order(admin, "每日09:00 报送值班信息", owner="陈静")
    service.add_order(admin, "每日09:30 检查值班系统")
    clock.set_now(at("2026-07-10 09:10"))
    current_shift(tester)  # tester sits the shift from 08:30
    clock.set_now(at("2026-07-10 10:00"))
    owners = {i.title: i.owner for i in service.bring_due(desks("incoming"))}
    assert owners == {"报送值班信息": "incoming", "检查值班系统": "tester"}
    clock.set_now(at("2026-07-11 09:40"))  # no shift began on the 11th yet: whoever brings it
    owners = {i.title: i.owner for i in service.bring_due(desks("leader"))}
    assert owners == {"报送值班信息": "incoming", "检查值班系统": "leader"}


def test_a_result_closes_an_occurrence_once_and_a_voided_one_takes_none(desks):
    service.add_order(desks("admin"), "每日09:00 报送值班信息")
    clock.set_now(at("2026-07-11 10:00"))
    first, second = service.bring_due(desks("tester"))
    tester = desks("tester")
    service.record_result(tester, first.id, "已报送")
    assert StandingItem.get_by_id(first.id).closed_at == at("2026-07-11 10:00")
    with pytest.raises(Refused) as err:
        service.record_result(tester, first.id, "再报一次")
    assert err.value.key == "standing.result_given"
    void_record(tester, "standing", second.id, "重复生成")
    with pytest.raises(Refused) as err:
        service.record_result(tester, second.id, "已报送")
    assert err.value.key == "record.voided"
    with pytest.raises(NotFound):
        service.record_result(tester, 999, "x")
    failures = AuditEvent.select().where((AuditEvent.kind == "standing") & (AuditEvent.outcome == "failure")).count()
    assert failures == 3
    assert verify_store(tester.db).problems == []


def test_only_an_administrator_keeps_orders_and_a_void_takes_its_open_occurrences_along(desks):
    with pytest.raises(Refused) as err:
        service.add_order(desks("tester"), RAIN)
    assert err.value.key == "role.needs_admin"
    admin = desks("admin")
    order = service.add_order(admin, "每日09:00 报送值班信息", discharge="报送对象")
    clock.set_now(at("2026-07-11 10:00"))
    done, still_open = service.bring_due(desks("tester"))
    service.record_result(desks("tester"), done.id, "已报送")
    changed = service.update_order(admin, order.id, title="报送值班信息（含零报告）", window="15")
    assert changed.title == "报送值班信息（含零报告）"
    event = AuditEvent.select().where((AuditEvent.kind == "standing_order") & (AuditEvent.action == "update")).get()
    assert json.loads(event.old) == {"title": "报送值班信息"}
    service.void_order(admin, order.id, "市里已改为系统自动报送")
    assert StandingItem.get_by_id(still_open.id).void_reason == "市里已改为系统自动报送"
    assert StandingItem.get_by_id(done.id).voided_at is None
    clock.set_now(at("2026-07-12 10:00"))
    assert service.bring_due(desks("tester")) == []
    with pytest.raises(Refused):
        service.update_order(admin, order.id, title="x")
    assert verify_store(admin.db).problems == []


def test_an_order_starting_later_and_a_handover_carry_its_occurrences(desks):
    admin = desks("admin")
    service.add_order(admin, "每日17:00 报送值班信息", starts_on=date(2026, 7, 11))
    clock.set_now(at("2026-07-10 17:30"))
    tester = desks("tester")
    current_shift(tester)
    assert service.bring_due(tester) == []
    clock.set_now(at("2026-07-11 17:10"))
    handover = ho.hand_over(tester)  # brings the 17:00 one first
    items = ho.items_of(handover.id)
    assert [(i.item_kind, i.summary) for i in items] == [("standing", "报送值班信息")]
