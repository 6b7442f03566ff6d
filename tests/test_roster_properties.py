"""Property-based: random roster operations, by random people, with random
text, never crash; each refusal is a DeskError with a catalog message; and
after every example the roster keeps its rules: one entry in force per slot,
people only in lists their role allows, the audit trail replaying to the
stored records."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from roster_support import write_config

from duty_desk import cli
from duty_desk.core import clock
from duty_desk.core.config import load_config
from duty_desk.core.errors import DeskError
from duty_desk.core.i18n import zh
from duty_desk.core.models import Officer, RosterEntry
from duty_desk.core.opening import open_desk
from duty_desk.core.roster import service, view
from duty_desk.core.verify import verify_store

SETTINGS = settings(max_examples=40, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
NOW = datetime(2026, 10, 12, 2, 0, tzinfo=timezone.utc)
LOGINS = ["admin", "o1", "o2", "o3", "o4", "o5", "l1", "l2", "l3"]
people = st.one_of(st.sampled_from([*LOGINS, "张伟", "赵局长", "无名氏", ""]), st.text(max_size=12))
days = st.dates(min_value=date(2026, 9, 25), max_value=date(2026, 11, 5))
texts = st.one_of(st.sampled_from(["家中有事", "出差", "", "年休假"]), st.text(max_size=30))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("roster-props")
    cfg = load_config(str(write_config(path / "c.toml", '[duty]\nshifts = [{ name = "白班", start = "08:30" }, '
                                                        '{ name = "夜班", start = "17:30" }]\n')))
    clock.set_now(NOW)
    desks = {login: open_desk(cfg, "sqlite:///" + str(path / "r.db"), login=login) for login in LOGINS}
    service.plan_month(desks["admin"], "2026-10")
    service.publish_month(desks["admin"], "2026-10")
    yield cfg, desks
    for d in desks.values():
        d.close()
    clock.set_now(None)


def _operation(name, desks, draw):
    actor = desks[draw(st.sampled_from(LOGINS))]
    if name == "set":
        return service.set_duty(actor, draw(days), draw(st.integers(-1, 2)),
                                officers=draw(st.none() | st.lists(people, max_size=3)),
                                leaders=draw(st.none() | st.lists(people, max_size=3)),
                                note=draw(st.none() | texts), reason=draw(texts))
    if name == "swap":
        back = draw(st.none() | days)
        return service.request_swap(actor, draw(days), draw(st.integers(0, 1)), draw(people), draw(texts),
                                    back, draw(st.integers(0, 1)))
    swap_id = draw(st.integers(-1, 12))
    if name == "accept":
        return service.accept_swap(actor, swap_id)
    if name == "approve":
        return service.approve_swap(actor, swap_id, draw(texts))
    if name == "refuse":
        return service.refuse_swap(actor, swap_id, draw(texts))
    if name == "cover":
        return service.cover(actor, draw(days), draw(st.integers(0, 1)), draw(people), draw(people), draw(texts))
    if name == "leave":
        first = draw(days)
        return service.add_leave(actor, draw(people), first, first + timedelta(days=draw(st.integers(-3, 400))),
                                 draw(texts))
    return service.plan_month(actor, draw(st.sampled_from(["2026-11", "2026-10", "2026-1x", "1999-01"])))


@SETTINGS
@given(st.data())
def test_random_roster_work_never_crashes_and_keeps_the_roster_whole(store, data):
    cfg, desks = store
    for _ in range(data.draw(st.integers(1, 6))):
        name = data.draw(st.sampled_from(["set", "swap", "accept", "approve", "refuse", "cover", "leave", "plan"]))
        try:
            _operation(name, desks, data.draw)
        except DeskError as err:
            assert err.key in zh.MESSAGES, err.key
            assert "\n" not in err.message
    live = list(RosterEntry.select().where(RosterEntry.voided_at.is_null()))
    superseded = {e.__data__["amends"] for e in live if e.__data__.get("amends")}
    in_force = [e for e in live if e.id not in superseded]
    slots = [(e.duty_date, e.slot) for e in in_force]
    assert len(slots) == len(set(slots))
    roles = dict(Officer.select(Officer.login, Officer.role).tuples())
    for e in in_force:
        assert all(roles[o] in ("officer", "admin") for o in e.officers)
        assert all(roles[lg] in ("leader", "admin") for lg in e.leaders)
    assert view.month_roster("2026-10", cfg).state == "published"
    assert verify_store(desks["admin"].db).problems == []


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("roster-cli")
    base = ["--config", str(write_config(path / "c.toml")), "--db", str(path / "d.db")]
    assert cli.main([*base, "init"]) == 0
    return base


@settings(max_examples=60, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=20))
def test_any_month_typed_on_the_command_line_is_answered_in_one_line(cli_store, capsys, text):
    status = cli.main([*cli_store, "roster", "show", "--", text] if text.startswith("-")
                      else [*cli_store, "roster", "show", text])
    err = capsys.readouterr().err
    assert status in (0, 2, 3)
    if status:
        assert len(err.strip().splitlines()) == 1
