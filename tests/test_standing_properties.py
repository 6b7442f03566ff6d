"""定时事项, any order and any way the desks' clock moves: every occurrence
becomes exactly one item, none outside its season and dates, none on a
holiday it skips, and the audit trail replays to the store."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duty_desk.core import clock
from duty_desk.core.config import load_config
from duty_desk.core.dutytime import to_local
from duty_desk.core.models import StandingItem
from duty_desk.core.opening import open_desk
from duty_desk.core.roster.calendar import mark
from duty_desk.core.standing import service
from duty_desk.core.standing.rules import in_season, occurrences
from duty_desk.core.verify import verify_store

TOML = """
[[officers]]
login = "tester"
name = "李明"

[[officers]]
login = "admin"
name = "周主任"
role = "admin"
"""

month_days = st.tuples(st.integers(1, 12), st.integers(1, 28)).map(lambda md: f"{md[0]:02d}-{md[1]:02d}")


@st.composite
def orders(draw) -> dict:
    rule = draw(st.sampled_from(("daily", "workdays", "weekly", "monthly")))
    fields = {"title": "报送值班信息", "rule": rule,
              "at_time": f"{draw(st.integers(0, 23)):02d}:{draw(st.sampled_from((0, 15, 30, 45))):02d}",
              "skip_holidays": draw(st.booleans()), "window_minutes": draw(st.integers(1, 240))}
    if rule == "weekly":
        fields["weekday"] = draw(st.integers(1, 7))
    if rule == "monthly":
        fields["monthday"] = draw(st.integers(1, 31))
    if draw(st.booleans()):
        first, last = draw(month_days), draw(month_days)
        if first != last:
            fields["season_from"], fields["season_to"] = first, last
    if draw(st.booleans()):
        start = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 330)))
        fields["starts_on"], fields["ends_on"] = start, start + timedelta(days=draw(st.integers(0, 40)))
    return fields


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=orders(), begin=st.integers(0, 320), steps=st.lists(st.integers(1, 7 * 24 * 60), min_size=1,
                                                                    max_size=8))
def test_every_occurrence_is_brought_exactly_once_and_only_where_the_order_holds(tmp_path_factory, fields, begin,
                                                                                  steps):
    path = tmp_path_factory.mktemp("standing")
    (path / "c.toml").write_text(TOML, encoding="utf-8")
    cfg = load_config(str(path / "c.toml"))
    start = datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(days=begin, minutes=begin * 7)
    clock.set_now(start)
    admin = open_desk(cfg, "sqlite:///" + str(path / "d.db"), login="admin")
    desk = open_desk(cfg, "sqlite:///" + str(path / "d.db"), login="tester")
    try:
        order = service.add_order(admin, **fields)
        now = start
        for minutes in steps:  # each step at most a week: the catch-up window keeps up
            now += timedelta(minutes=minutes)
            clock.set_now(now)
            service.bring_due(desk)
            service.bring_due(desk)  # again at once: nothing more
        items = list(StandingItem.select().where(StandingItem.order == order.id))
        brought = sorted(i.scheduled_at for i in items)
        assert brought == occurrences(order, start, now, cfg)
        assert len(set(brought)) == len(brought)
        for at in brought:
            day = to_local(at, cfg).date()
            assert to_local(at, cfg).strftime("%H:%M") == order.at_time
            assert in_season(order.season_from, order.season_to, day)
            assert order.starts_on is None or order.starts_on <= day <= order.ends_on
            assert not (order.skip_holidays and mark(day, cfg).statutory)
            assert not (order.rule == "workdays" and mark(day, cfg).rest)
        assert all(i.due_at - i.scheduled_at == timedelta(minutes=order.window_minutes) for i in items)
        assert verify_store(desk.db).problems == []
    finally:
        desk.close()
        admin.close()
        clock.set_now(None)
