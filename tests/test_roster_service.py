"""Planning, publishing, changing, swapping and leave, against a real store."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timezone

import pytest
from roster_support import LEADERS, OFFICERS, write_config

from duty_desk.core import audit, clock
from duty_desk.core.config import load_config
from duty_desk.core.errors import InvalidInput, NotAnOfficer, Refused
from duty_desk.core.models import AuditEvent, RosterEntry
from duty_desk.core.opening import open_desk
from duty_desk.core.roster import service, view
from duty_desk.core.verify import verify_store

# 2026-09-20 10:00 in Shanghai: planning October ahead of time.
SEPT = datetime(2026, 9, 20, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def roster_cfg(tmp_path):
    return load_config(str(write_config(tmp_path / "roster.toml")))


@pytest.fixture
def desks(roster_cfg, tmp_path):
    clock.set_now(SEPT)
    opened = {}

    def desk(login: str, cfg=None):
        if login not in opened:
            opened[login] = open_desk(cfg or roster_cfg, "sqlite:///" + str(tmp_path / "r.db"), login=login)
        return opened[login]

    yield desk
    for d in opened.values():
        d.close()


def test_planning_october_2026_puts_two_leaders_on_every_national_day_holiday(desks, roster_cfg):
    outcome = service.plan_month(desks("admin"), "2026-10")
    assert outcome.plan.gaps == []
    month = view.month_roster("2026-10", roster_cfg)
    assert month.state == "draft"
    for day in month.days[:7]:
        assert len(day.leaders) == 2, day.mark.day
        assert len(set(day.leaders)) == 2
    tenth = month.days[9]
    assert tenth.mark.makeup and not tenth.mark.rest and len(tenth.leaders) == 1
    for day in month.days:
        assert len(day.slots[0].officers) == 1
        assert day.slots[0].officers[0] in OFFICERS and set(day.leaders) <= set(LEADERS)


def test_nobody_takes_two_consecutive_nights_and_leave_is_respected(desks, roster_cfg):
    admin = desks("admin")
    service.add_leave(admin, "o3", date(2026, 10, 1), date(2026, 10, 15), "年休假")
    service.add_leave(admin, "钱副局长", date(2026, 10, 8), date(2026, 10, 9), "出差")
    service.plan_month(admin, "2026-10")
    month = view.month_roster("2026-10", roster_cfg)
    previous = None
    for day in month.days:
        officer = day.slots[0].officers[0]
        assert officer != previous, day.mark.day  # one 24-hour shift: every duty is a night
        previous = officer
        if day.mark.day <= date(2026, 10, 15):
            assert officer != "o3"
        if day.mark.day in (date(2026, 10, 8), date(2026, 10, 9)):
            assert "l2" not in day.leaders


def test_a_years_plan_balances_holiday_and_weekend_duties_to_within_one(desks, roster_cfg):
    clock.set_now(datetime(2025, 12, 10, 2, 0, tzinfo=timezone.utc))
    admin = desks("admin")
    for m in range(1, 13):
        service.plan_month(admin, f"2026-{m:02d}")
    officers = {k: Counter() for k in ("holiday", "weekend")}
    leaders = {k: Counter() for k in ("holiday", "weekend")}
    for m in range(1, 13):
        for day in view.month_roster(f"2026-{m:02d}", roster_cfg).days:
            kind = day.mark.category
            if kind == "work":
                continue
            officers[kind].update(day.slots[0].officers)
            leaders[kind].update(day.leaders)
    for counts, people in ((officers, OFFICERS), (leaders, LEADERS)):
        for kind, counter in counts.items():
            values = [counter[p] for p in people]
            assert max(values) - min(values) <= 1, (kind, values)


def test_a_published_month_is_not_planned_again_and_changes_only_by_amendment(desks, roster_cfg):
    admin = desks("admin")
    service.plan_month(admin, "2026-10")
    # A draft may be planned again.
    assert service.plan_month(admin, "2026-10").replaced
    service.publish_month(admin, "2026-10")
    with pytest.raises(Refused):
        service.plan_month(admin, "2026-10")
    original = view.duty_of(date(2026, 10, 12), 0, roster_cfg)
    other = next(o for o in OFFICERS if o not in original.officers)
    with pytest.raises(InvalidInput) as caught:
        service.set_duty(admin, date(2026, 10, 12), 0, officers=[other])
    assert caught.value.key == "roster.reason_required"
    clock.set_now(datetime(2026, 10, 12, 3, 0, tzinfo=timezone.utc))  # the day has begun
    row = service.set_duty(admin, date(2026, 10, 12), 0, officers=[other], reason="原值班员突发疾病")
    assert row.id != original.entry_id and row.amends.id == original.entry_id
    now = view.duty_of(date(2026, 10, 12), 0, roster_cfg)
    assert now.officers == (other,) and now.amended
    first = RosterEntry.get_by_id(original.entry_id)
    assert list(first.officers) == list(original.officers)  # the original stays as it was
    assert [e.action for e in audit.history("roster", row.id)] == ["amend"]
    assert verify_store(admin.db).problems == []


def test_only_an_administrator_plans_and_the_refusal_is_audited(desks):
    with pytest.raises(Refused) as caught:
        service.plan_month(desks("o1"), "2026-10")
    assert caught.value.key == "role.needs_admin"
    failed = AuditEvent.select().where(AuditEvent.outcome == "failure").order_by(AuditEvent.id.desc()).first()
    assert failed.actor == "o1" and failed.kind == "roster_month"


def _planned(desks, roster_cfg, approval: bool = True):
    admin = desks("admin")
    service.plan_month(admin, "2026-10")
    service.publish_month(admin, "2026-10")
    day = date(2026, 10, 20)
    mine = view.duty_of(day, 0, roster_cfg).officers[0]
    colleague = next(o for o in OFFICERS if o != mine and o not in view.duty_of(day, 0, roster_cfg).officers)
    return day, mine, colleague


def test_a_swap_is_asked_accepted_and_approved_and_each_step_is_in_its_history(desks, roster_cfg):
    day, mine, colleague = _planned(desks, roster_cfg)
    swap = service.request_swap(desks(mine), day, 0, colleague, "家中有事")
    with pytest.raises(Refused):
        service.approve_swap(desks("l1"), swap.id)  # not yet accepted
    with pytest.raises(Refused):
        service.accept_swap(desks("o1" if colleague != "o1" and mine != "o1" else "o2"), swap.id)
    service.accept_swap(desks(colleague), swap.id)
    assert view.duty_of(day, 0, roster_cfg).officers == (mine,)  # approval still needed
    with pytest.raises(Refused):
        service.approve_swap(desks(colleague), swap.id)  # an officer does not approve
    service.approve_swap(desks("l1"), swap.id, "同意")
    duty = view.duty_of(day, 0, roster_cfg)
    assert duty.officers == (colleague,) and duty.swapped
    done = [e for e in audit.history("swap", swap.id) if e.outcome == "success"]
    assert [(e.action, e.actor) for e in done] == [("create", mine), ("accept", colleague), ("approve", "l1")]
    refused = [e for e in audit.history("swap", swap.id) if e.outcome == "failure"]
    assert [e.action for e in refused] == ["approve", "accept", "approve"]  # the refused attempts too
    assert verify_store(desks("admin").db).problems == []


def test_without_approval_the_colleagues_acceptance_puts_the_swap_in_effect(desks, tmp_path):
    cfg = load_config(str(write_config(tmp_path / "free.toml", "[roster]\nswap_approval = false\n")))
    admin = desks("admin", cfg)
    service.plan_month(admin, "2026-10")
    day = date(2026, 10, 20)
    mine = view.duty_of(day, 0, cfg).officers[0]
    colleague = next(o for o in OFFICERS if o != mine)
    back = next(d.mark.day for d in view.month_roster("2026-10", cfg).days
                if d.mark.day > day and d.slots[0].officers == (colleague,))
    swap = service.request_swap(desks(mine, cfg), day, 0, colleague, "换班", back_day=back)
    done = service.accept_swap(desks(colleague, cfg), swap.id)
    assert done.state == "approved"
    assert view.duty_of(day, 0, cfg).officers == (colleague,)
    assert view.duty_of(back, 0, cfg).officers == (mine,)


def test_a_swap_cannot_be_asked_for_someone_elses_duty_or_a_day_that_is_over(desks, roster_cfg):
    day, mine, colleague = _planned(desks, roster_cfg)
    with pytest.raises(Refused) as caught:
        service.request_swap(desks(colleague), day, 0, mine, "想换")
    assert caught.value.key == "swap.not_yours"
    clock.set_now(datetime(2026, 10, 22, 2, 0, tzinfo=timezone.utc))
    with pytest.raises(Refused) as caught:
        service.request_swap(desks(mine), day, 0, colleague, "补换")
    assert caught.value.key == "swap.past"


def test_a_refused_or_withdrawn_swap_changes_nothing(desks, roster_cfg):
    day, mine, colleague = _planned(desks, roster_cfg)
    first = service.request_swap(desks(mine), day, 0, colleague, "家中有事")
    service.refuse_swap(desks(colleague), first.id, "当天已有安排")
    second = service.request_swap(desks(mine), day, 0, colleague, "再试一次")
    service.withdraw_swap(desks(mine), second.id)
    assert view.duty_of(day, 0, roster_cfg).officers == (mine,)
    with pytest.raises(Refused):
        service.accept_swap(desks(colleague), second.id)


def test_emergency_cover_by_an_administrator_takes_effect_at_once(desks, roster_cfg):
    day, mine, colleague = _planned(desks, roster_cfg)
    row = service.cover(desks("admin"), day, 0, mine, colleague, "突发疾病")
    assert row.kind == "cover" and row.state == "approved"
    assert view.duty_of(day, 0, roster_cfg).officers == (colleague,)
    with pytest.raises(Refused):
        service.cover(desks("o1"), day, 0, colleague, mine, "无权")


def test_a_deactivated_officer_cannot_ask_for_a_swap(desks, roster_cfg):
    from duty_desk.core.services.officers import deactivate_officer

    day, mine, colleague = _planned(desks, roster_cfg)
    me = desks(mine)
    deactivate_officer(desks("admin"), mine, "调离")
    with pytest.raises(NotAnOfficer):
        service.request_swap(me, day, 0, colleague, "换")


def test_a_person_is_named_by_login_or_name_and_a_wrong_role_is_refused(desks, roster_cfg):
    admin = desks("admin")
    service.set_duty(admin, date(2026, 10, 3), 0, officers=["张伟"], leaders=["l1", "钱副局长"])
    assert view.duty_of(date(2026, 10, 3), 0, roster_cfg).officers == ("o1",)
    with pytest.raises(InvalidInput) as caught:
        service.set_duty(admin, date(2026, 10, 3), 0, leaders=["张伟"])
    assert caught.value.key == "roster.wrong_role.leaders"
    with pytest.raises(Exception) as caught:
        service.set_duty(admin, date(2026, 10, 3), 0, officers=["无名氏"])
    assert caught.value.key == "roster.no_such_person"


def test_a_draft_day_that_has_begun_is_amended_with_a_reason_not_overwritten(desks, roster_cfg):
    admin = desks("admin")
    service.plan_month(admin, "2026-10")
    clock.set_now(datetime(2026, 10, 5, 3, 0, tzinfo=timezone.utc))  # 5 October has begun
    before = view.duty_of(date(2026, 10, 5), 0, roster_cfg)
    other = next(o for o in OFFICERS if o not in before.officers)
    with pytest.raises(InvalidInput):
        service.set_duty(admin, date(2026, 10, 5), 0, officers=[other])
    row = service.set_duty(admin, date(2026, 10, 5), 0, officers=[other], reason="临时调整")
    assert row.amends.id == before.entry_id
    # Planning the draft again keeps the days that have begun as they are.
    ahead = view.duty_of(date(2026, 10, 20), 0, roster_cfg)
    service.plan_month(admin, "2026-10")
    assert view.duty_of(date(2026, 10, 5), 0, roster_cfg).entry_id == row.id
    assert view.duty_of(date(2026, 10, 20), 0, roster_cfg).entry_id == ahead.entry_id  # same row, maybe new people
