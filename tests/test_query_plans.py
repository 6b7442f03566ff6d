"""Queries on the desk's start and refresh paths, the handover sheet and the
command line are served by indexes, however many years of records the store
holds: SQLite's own plan says so (no SCAN of a record table).

Each path is run against a store with some history (a demo day handed over
and accepted, an amendment, a void, then a day of work), with every SQL
statement it executes recorded; each one is then EXPLAINed. A query added to
one of these paths later is checked without anyone listing it here.

The store has no ANALYZE statistics (the desk never runs ANALYZE), so the
planner chooses here as it does on a ten-year store.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import timedelta

import peewee
import pytest
from conftest import T0

from duty_desk import cli
from duty_desk.core import audit, clock, openitems
from duty_desk.core.demo import fill_demo_day, fill_demo_roster
from duty_desk.core.handover import flow as ho
from duty_desk.core.handover import sheet_of
from duty_desk.core.models import LogEntry
from duty_desk.core.onduty import header_facts, roster_notice, tomorrow_notice
from duty_desk.core.services import documents, log, urgent, visitors
from duty_desk.core.services.chasing import record_chase
from duty_desk.core.services.common import void_record

# Tables that grow with the years. (officer, meta and desk_draft stay small.)
RECORD_TABLES = ("log_entry", "visitor", "document", "document_step", "urgent_item", "urgent_event",
                 "instruction", "chase", "overdue_mark", "handover", "handover_item", "audit_event", "shift",
                 "search_doc", "roster_entry", "roster_swap", "leave", "contact", "standing_order",
                 "standing_item")


# --- recording and explaining ------------------------------------------------------


@contextmanager
def recorded():
    """Every statement any Database executes meanwhile: [(sql, params)]."""
    seen: list[tuple[str, tuple]] = []
    real = peewee.Database.execute_sql

    def spy(self, sql, params=None, *args, **kwargs):
        seen.append((sql, tuple(params or ())))
        return real(self, sql, params, *args, **kwargs)

    peewee.Database.execute_sql = spy
    try:
        yield seen
    finally:
        peewee.Database.execute_sql = real


_ALIAS = re.compile(r'"(\w+)" AS "(\w+)"')
_AGGREGATE = re.compile(r"\b(COUNT|SUM|MIN|MAX|AVG|GROUP BY)\b", re.IGNORECASE)


def _plan(db, sql: str, params: tuple) -> list[str]:
    return [row[3] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()]


def _stops_early(sql: str, plan: list[str]) -> bool:
    """``ORDER BY id DESC LIMIT 1`` on a whole table reads one row although
    its plan says SCAN: no filter, no aggregate, served in index order."""
    return ("LIMIT" in sql and "ORDER BY" in sql and " WHERE " not in sql and not _AGGREGATE.search(sql)
            and not any("TEMP B-TREE" in step for step in plan))


def full_scans(db, sql: str, params: tuple) -> list[str]:
    """The steps of the plan that read a whole record table (or a whole index of
    one: ``SCAN t1 USING COVERING INDEX`` still reads every row)."""
    if not re.match(r"\s*(SELECT|WITH|UPDATE|DELETE|INSERT\s+INTO\s+\S+\s+SELECT)", sql, re.IGNORECASE):
        return []
    tables = {alias: table for table, alias in _ALIAS.findall(sql)}
    plan = _plan(db, sql, params)
    out = []
    for step in plan:
        found = re.match(r"SCAN (\w+)", step)
        if not found:
            continue
        table = tables.get(found.group(1), found.group(1))
        if table in RECORD_TABLES and not _stops_early(sql, plan):
            out.append(f"{step} [{table}] in: {sql}")
    return out


def assert_indexed(db, statements: list[tuple[str, tuple]]) -> None:
    assert statements, "the path ran no query: nothing was checked"
    problems = [p for sql, params in dict.fromkeys(statements) for p in full_scans(db, sql, params)]
    assert problems == [], "\n".join(problems)


# --- a store with history ----------------------------------------------------------


@pytest.fixture
def history(desk, make_desk, config_file, tmp_path, db_path):
    """Yesterday's demo day, handed over and accepted, one of its calls amended
    and a visitor voided; today, a day of work still open."""
    clock.set_now(T0 - timedelta(days=1))
    fill_demo_roster(desk)
    fill_demo_day(desk)
    incoming = make_desk("incoming")
    handover = ho.hand_over(desk)
    for item in ho.items_of(handover.id):
        ho.read_back(incoming, item.id)
    ho.accept(incoming, handover.id)
    clock.set_now(T0 - timedelta(days=1) + timedelta(minutes=30))
    call = LogEntry.get(LogEntry.needs_action & (LogEntry.category == "来电"))
    log.correct_entry(incoming, call.id, "补记来电人职务", content=call.content + "（来电人：孙立科长）")
    clock.set_now(T0)
    v = visitors.register_visitor(desk, "钱秀英", unit="市水务局")
    void_record(desk, "visitor", v.id, "登记重复")
    fill_demo_day(desk)
    return desk


@pytest.fixture
def run_cli(history, config_file, db_path, monkeypatch, capsys):
    monkeypatch.setattr("duty_desk.core.identity.current_login", lambda *a, **k: "tester")

    def run(*args: str) -> int:
        status = cli.main(["--config", str(config_file), "--db", str(db_path), *args])
        capsys.readouterr()
        return status

    return run


# --- the paths ----------------------------------------------------------------------


def test_the_desks_start_and_refresh_read_through_indexes(history):
    """What the desk's panes, header and open-items screen load, at start and on
    every refresh (tui/panes/*, tui/desk_screen.py, tui/app.py)."""
    today = history.today()
    with recorded() as statements:
        log.entries_of_day(today)
        visitors.visitors_of_day(today)
        documents.pending_documents()
        urgent.open_urgent_items()
        openitems.list_open(history)
        openitems.count_open(history)
        openitems.count_overdue(history)
        openitems.counts(history)
        # The open-items screen: filtered by kind and owner, overdue only, a page at a time.
        openitems.list_open(history, kinds=("call", "document"), owner="tester", overdue_only=True, limit=20, offset=20)
        openitems.count_open(history, kinds="urgent", owner="incoming", overdue_only=True)
        ho.pending_handover(history)
        header_facts(history)
        roster_notice(history)
        tomorrow_notice(history)
        audit.head_id()
    assert_indexed(history.db, statements)


def test_the_roster_reads_through_indexes(history):
    """The month view, `roster show`, `check`'s roster lines, the leave and
    swap lists: one month whatever the years."""
    from duty_desk.core.roster import checks, view

    with recorded() as statements:
        view.month_roster("2026-11", history.cfg)
        checks.roster_check(clock.now(), history.cfg)
        view.leaves_between(T0.date(), T0.date() + timedelta(days=30))
        view.swaps(states=("requested", "accepted"))
        view.duty_at(clock.now(), history.cfg)
    assert_indexed(history.db, statements)


def test_opening_the_desk_and_its_escalation_round_read_through_indexes(history, cfg, db_path):
    """What every start runs (open_desk: schema, guards, officers, due times)
    and what the desk repeats every half minute (the escalation round, the
    audit anchor)."""
    from duty_desk.core import anchor
    from duty_desk.core.opening import open_desk
    from duty_desk.core.services.escalation import escalation_round

    with recorded() as statements:
        opened = open_desk(cfg, "sqlite:///" + str(db_path), login="incoming")
        escalation_round(opened)
        anchor.maybe_write(opened.db, "", force=True)
        opened.close()
    assert_indexed(history.db, statements)


def test_the_day_lists_of_every_kind_read_through_indexes(history):
    """`show log|visitor|document|urgent --date`: one duty day of each kind."""
    day = history.today() - timedelta(days=1)
    with recorded() as statements:
        log.entries_of_day(day)
        visitors.visitors_of_day(day)
        documents.documents_of_day(day)
        urgent.urgent_of_day(day)
    assert_indexed(history.db, statements)


def test_a_step_to_another_day_in_history_reads_through_indexes(history):
    """What the desk reads when it steps to an earlier duty day (tui/history.py):
    the four panes of that day, who was on duty, and its handover sheets (F8)."""
    from duty_desk.core import history as past

    for day in (history.today() - timedelta(days=1), history.today() - timedelta(days=400)):
        with recorded() as statements:
            log.entries_of_day(day)
            past.visitors_of(day)
            past.documents_of(day)
            past.urgent_of(day)
            past.day_facts(day)
            past.sheets_of_day(history, day)
        assert_indexed(history.db, statements)


def test_the_handover_sheet_of_today_reads_through_indexes(history):
    """The sheet the outgoing officer previews, and the one handed over."""
    with recorded() as statements:
        sheet_of(history, ho.shift_now(history))
        ho.sheet_for(history)
    assert_indexed(history.db, statements)


@pytest.mark.parametrize("args", [
    ("show", "open"),
    ("show", "log", "--date", "2026-11-23"),
    ("show", "log"),
    ("show", "visitors", "--date", "2026-11-23"),
    ("show", "documents", "--date", "2026-11-23"),
    ("show", "urgent", "--date", "2026-11-23"),
    ("check",),
    ("history", "log", "3"),
    ("log", "市应急管理局来电询问值守情况，已按预案答复。"),
    ("handover",),
    ("handover", "--shift", "1"),
    ("search", "防汛"),
    ("search", "汛", "--officer", "tester", "--json"),
    ("search", "zs", "--kind", "visitor"),
    ("search", "〔2026〕"),
    ("search", "0001", "--since", "2026-11-01", "--until", "2026-11-30", "--open"),
    ("search", "类:来访", "状态:已结"),
    ("search", "寒潮防范值守安排", "--limit", "5", "--before", "9999999999999"),
], ids=lambda a: " ".join(a))
def test_the_commands_read_through_indexes(run_cli, history, args):
    with recorded() as statements:
        assert run_cli(*args) in (0, 1)
    assert_indexed(history.db, statements)


def test_the_visitors_of_the_day_and_those_still_here_are_read_through_indexes(desk):
    """The visitors pane on every refresh: today's visitors and everyone still on
    the premises. `state != 'left'` made SQLite read every visitor ever."""
    visitors.register_visitor(desk, "钱秀英", unit="市水务局")
    sql, params = visitors.visitors_of_day_query(desk.today()).sql()
    plan = _plan(desk.db, sql, params)
    assert full_scans(desk.db, sql, params) == [], plan
    assert any("visitor_duty_date" in step for step in plan) and any("visitor_state" in step for step in plan)


def test_a_scan_of_a_record_table_is_found_whatever_its_alias_and_index():
    """The checker itself: a COUNT over a covering index is a full read; the
    newest row by id is not."""

    class Plans:
        def __init__(self, plan):
            self.plan = plan

        def execute_sql(self, sql, params):
            return self

        def fetchall(self):
            return [(0, 0, 0, step) for step in self.plan]

    count = 'SELECT COUNT(1) FROM (SELECT 1 FROM "audit_event" AS "t1") AS "_wrapped" LIMIT ?'
    assert full_scans(Plans(["SCAN t1 USING COVERING INDEX audit_event_kind_record_id"]), count, (1,))
    newest = 'SELECT "t1"."id" FROM "audit_event" AS "t1" ORDER BY "t1"."id" DESC LIMIT ?'
    assert full_scans(Plans(["SCAN t1"]), newest, (1,)) == []
    filtered = 'SELECT "t1"."id" FROM "document" AS "t1" WHERE ("t1"."classification" != ?) ORDER BY "t1"."serial"'
    assert full_scans(Plans(["SCAN t1 USING INDEX document_serial"]), filtered, ("",))


# --- one query per view, however many rows ---------------------------------------


@pytest.mark.parametrize("args", [("show", "log"), ("show", "log", "--json"), ("show", "open"),
                                  ("show", "open", "--json"), ("show", "visitors")],
                         ids=lambda a: " ".join(a))
def test_a_listing_runs_as_many_queries_for_ten_more_rows(run_cli, history, make_desk, args):
    """No query per row (names, amendments, chases): ten more rows, by another
    officer, with amendments and chases of their own, add no statement."""
    # `show open` opens the store for writing (it brings standing orders due
    # first): the first such open may stamp the due rules once; not measured.
    run_cli(*args)
    with recorded() as before:
        run_cli(*args)
    other = make_desk("incoming")
    for i in range(10):
        entry = log.record_entry(other, f"区气象台来电{i}", "来电", needs_action=True)
        log.correct_entry(other, 1, f"补正{i}", handling=f"已转告{i}")
        visitors.register_visitor(other, f"访客{i}", unit="市水务局")
        record_chase(other, "log", entry.id, "区气象台", "电话", "")
    with recorded() as after:
        run_cli(*args)
    assert len(after) == len(before), [sql for sql, _ in after]


@pytest.mark.parametrize("json", [(), ("--json",)], ids=["table", "json"])
def test_a_records_history_runs_as_many_queries_for_ten_more_events(run_cli, history, make_desk, json):
    entry = log.record_entry(history, "区气象台来电", "来电", needs_action=True)
    with recorded() as before:
        run_cli("history", "log", str(entry.id), *json)
    other = make_desk("incoming")
    for i in range(10):
        log.correct_entry(other, entry.id, f"补正{i}", handling=f"已转告{i}")
    with recorded() as after:
        run_cli("history", "log", str(entry.id), *json)
    assert len(after) == len(before), [sql for sql, _ in after]
