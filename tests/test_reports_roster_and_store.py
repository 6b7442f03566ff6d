"""Sign-off by the roster's leader on duty, and a store from before reporting
upward: its urgent items' facts start their history from what they hold."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

import pytest
from roster_support import write_config
from support import fails

from duty_desk.core import clock
from duty_desk.core import db as store
from duty_desk.core.config import load_config
from duty_desk.core.errors import Refused
from duty_desk.core.models import UrgentFact
from duty_desk.core.opening import open_desk
from duty_desk.core.reports import facts, service
from duty_desk.core.roster import service as roster
from duty_desk.core.roster import view
from duty_desk.core.services import urgent

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shanghai


@pytest.fixture
def rostered(tmp_path):
    cfg = load_config(str(write_config(tmp_path / "roster.toml")))
    clock.set_now(NOW)
    url = "sqlite:///" + str(tmp_path / "r.db")
    opened = []

    def desk(login):
        d = open_desk(cfg, url, login=login)
        opened.append(d)
        return d

    admin = desk("admin")
    roster.plan_month(admin, "2026-11")
    roster.publish_month(admin, "2026-11")
    yield desk
    for d in opened:
        d.close()


def test_only_the_rostered_leader_on_duty_signs_off(rostered):
    on_duty = view.duty_at(NOW, rostered("admin").cfg)
    officer = rostered(on_duty.officers[0])
    leader_on_duty = on_duty.leaders[0]
    other = next(lg for lg in ("l1", "l2", "l3") if lg not in on_duty.leaders)
    item = urgent.open_urgent(officer, "城东路段山体滑坡", "自然灾害", "II")
    report = service.draft(officer, item.id)
    err = fails(rostered(other), Refused, "report.not_on_duty", service.approve, report.id)
    assert view.people()[leader_on_duty].name in err.message
    # the same by phone: the officer cannot record another leader's approval either
    fails(officer, Refused, "report.not_on_duty", service.approve, report.id, leader=other)
    signed = service.approve(rostered(leader_on_duty), report.id)
    assert signed.approved_by == leader_on_duty and signed.approval_means == "desk"
    name = view.people()[leader_on_duty].name
    assert f"签发人：{name}" in report.text  # the draft named the leader on duty as its signer


def test_a_store_of_schema_7_gets_the_new_facts_and_their_history(cfg, db_path):
    url = store.url_for(str(db_path))
    clock.set_now(NOW)
    desk = open_desk(cfg, url, login="tester")
    item = urgent.open_urgent(desk, "城西区暴雨致一处老旧民房倒塌", "自然灾害", "III", place="古荡社区",
                              casualties="2人轻伤")
    desk.close()
    with sqlite3.connect(db_path) as con:  # back to schema 7: no facts, reports or the four new columns
        for table in ("urgent_fact", "urgent_report", "report_sending"):
            con.execute(f'DROP TABLE "{table}"')
        for column in ("summary", "cause", "next_steps", "reliability"):
            con.execute(f'ALTER TABLE "urgent_item" DROP COLUMN "{column}"')
        con.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    desk = open_desk(cfg, url, login="tester")
    try:
        assert store.schema_version(desk.db) == 8
        rows = list(UrgentFact.select().order_by(UrgentFact.id))
        assert [(r.field, r.value, r.at) for r in rows] == [("place", "古荡社区", NOW), ("casualties", "2人轻伤", NOW)]
        assert facts.update_facts(desk, item.id, {"summary": "民房倒塌", "casualties": "3人受伤"}) == [
            "summary", "casualties"]
        assert [r.value for r in facts.history(item.id)["casualties"]] == ["2人轻伤", "3人受伤"]
    finally:
        desk.close()
