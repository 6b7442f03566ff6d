"""Swap requests waiting for an officer (roster.waiting): who is told what,
and which steps each officer is offered on an open request, as the service
would accept them."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from roster_support import write_config

from duty_desk.core import clock
from duty_desk.core.config import load_config
from duty_desk.core.opening import open_desk
from duty_desk.core.roster import service
from duty_desk.core.roster.waiting import open_swaps_for, swaps_waiting_for

SEPT = datetime(2026, 9, 20, 2, 0, tzinfo=timezone.utc)
DAY, BACK = date(2026, 10, 12), date(2026, 10, 14)


@pytest.fixture
def desks(tmp_path):
    def make(extra: str = ""):
        cfg = load_config(str(write_config(tmp_path / "roster.toml", extra)))
        clock.set_now(SEPT)
        opened = {}

        def desk(login: str):
            if login not in opened:
                opened[login] = open_desk(cfg, "sqlite:///" + str(tmp_path / "r.db"), login=login)
            return opened[login]

        admin = desk("admin")
        service.plan_month(admin, "2026-10")
        service.publish_month(admin, "2026-10")
        service.set_duty(admin, DAY, 0, officers=["o1"], leaders=["l1"], reason="调整")
        service.set_duty(admin, BACK, 0, officers=["o2"], leaders=["l1"], reason="调整")
        made.append(opened)
        return desk

    made: list[dict] = []
    yield make
    for opened in made:
        for d in opened.values():
            d.close()


def test_the_colleague_asked_is_told_with_the_day_the_day_back_and_the_reason(desks):
    desk = desks()
    row = service.request_swap(desk("o1"), DAY, 0, "李娜", "孩子发烧", back_day=BACK)
    told = swaps_waiting_for(desk("o2"))
    assert told == [f"换班申请 #{row.id}：张伟请您接 2026-10-12 周一 全天班 的班，换回您 2026-10-14 周三 全天班 的班"
                    "（孩子发烧），请在排班表的换班申请中办理"]
    assert swaps_waiting_for(desk("o1")) == []  # the asker waits for nobody's word but the colleague's
    assert swaps_waiting_for(desk("l2")) == []  # nothing to approve until it is accepted


def test_once_accepted_it_waits_for_leaders_and_administrators_not_for_those_it_concerns(desks):
    desk = desks()
    row = service.request_swap(desk("o1"), DAY, 0, "o2", "孩子发烧")
    service.accept_swap(desk("o2"), row.id)
    assert swaps_waiting_for(desk("o2")) == []
    assert swaps_waiting_for(desk("l2")) == [f"换班申请 #{row.id} 待您审批：张伟 2026-10-12 周一 全天班 的班由李娜接（孩子发烧）"]
    assert len(swaps_waiting_for(desk("admin"))) == 1
    assert swaps_waiting_for(desk("o3")) == []
    [seen] = open_swaps_for(desk("l2"))
    assert seen.actions == ("approve", "refuse")
    assert open_swaps_for(desk("o1"))[0].actions == ("withdraw",)


def test_the_steps_offered_are_those_the_service_accepts(desks):
    desk = desks()
    row = service.request_swap(desk("o1"), DAY, 0, "o2", "孩子发烧")
    assert open_swaps_for(desk("o2"))[0].actions == ("accept", "refuse")
    assert open_swaps_for(desk("o1"))[0].actions == ("withdraw",)
    assert open_swaps_for(desk("o3")) == []  # neither asked nor an approver
    service.accept_swap(desk("o2"), row.id)
    service.approve_swap(desk("l2"), row.id)
    assert open_swaps_for(desk("o1")) == [] and swaps_waiting_for(desk("l2")) == []


def test_without_approval_nothing_waits_for_a_leader_and_a_past_day_is_not_told(desks):
    desk = desks("[roster]\nswap_approval = false\n")
    row = service.request_swap(desk("o1"), DAY, 0, "o2", "孩子发烧")
    assert open_swaps_for(desk("l2")) == []
    clock.set_now(datetime(2026, 10, 13, 3, 0, tzinfo=timezone.utc))  # the 12th's duty day is over
    assert swaps_waiting_for(desk("o2")) == []
    [late] = open_swaps_for(desk("o2"))
    assert late.id == row.id and late.actions == ("refuse",)  # it can still be declined, no longer accepted


def test_several_waiting_are_counted_in_one_line(desks):
    desk = desks()
    service.set_duty(desk("admin"), date(2026, 10, 16), 0, officers=["o4"], reason="调整")
    service.request_swap(desk("o1"), DAY, 0, "o2", "孩子发烧")
    service.request_swap(desk("o4"), date(2026, 10, 16), 0, "o2", "外出培训")
    assert swaps_waiting_for(desk("o2")) == ["有 2 件换班申请待您办理，请在排班表的换班申请中查看"]
