"""Queries on the desk's refresh path are served by indexes, however many
years of records the store holds: SQLite's own plan says so (no SCAN of a
record table). The first of the checks the issue "Fast at ten years" asks
for; each query added here must keep its index."""

from __future__ import annotations

from duty_desk.core.services import visitors

RECORD_TABLES = ("log_entry", "visitor", "document", "urgent_item", "instruction", "audit_event")


def _plan(desk, query) -> list[str]:
    sql, params = query.sql()
    return [row[3] for row in desk.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()]


def _scans(plan: list[str]) -> list[str]:
    """Full scans of a record table (a SCAN using an index is a search of it)."""
    return [step for step in plan if step.startswith("SCAN") and "USING" not in step]


def test_the_visitors_of_the_day_and_those_still_here_are_read_through_indexes(desk):
    """The visitors pane on every refresh: today's visitors and everyone still on
    the premises. `state != 'left'` made SQLite read every visitor ever."""
    visitors.register_visitor(desk, "钱秀英", unit="市水务局")
    query = visitors.visitors_of_day_query(desk.today())
    plan = _plan(desk, query)
    assert _scans(plan) == [], plan
    assert any("visitor_duty_date" in step for step in plan) and any("visitor_state" in step for step in plan)
