"""The desk's warning at the edge: an item due exactly now is warned about as
due, not as overdue (the desk used ``<= now`` where the core says ``< now``),
and a moment later as overdue, once."""

from __future__ import annotations

from datetime import timedelta

from app_helpers import settle

from duty_desk.core import clock
from duty_desk.core.services import log
from duty_desk.tui.app import DutyDeskApp


async def test_an_item_due_exactly_now_is_warned_as_due_then_as_overdue(desk):
    entry = log.record_entry(desk, "东城街道来电反映井盖缺失", "来电", needs_action=True)
    app = DutyDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        said: list[tuple[list[str], bool]] = []
        app.announce_warnings = lambda messages, late: said.append((messages, late))  # type: ignore[method-assign]
        app.warned.clear()
        now = entry.due_at
        clock.set_now(now)
        app.warn_due(now)
        assert said and not any(late for _m, late in said)
        assert app.overdue_at(now) == 0
        said.clear()
        later = now + timedelta(seconds=1)
        clock.set_now(later)
        app.warn_due(later)
        assert [late for _m, late in said] == [True]
        assert app.overdue_at(later) == 1
