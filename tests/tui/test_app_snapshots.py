"""Snapshots of the main screen with the demo day, at 80x24 (compact: the log
over one of the other panes, with a tab strip) and 120x40 (2x2), in Chinese
and English. The clock is fixed, so the header clock and every countdown are
the same on every run.

Update with ``pytest tests/tui/test_app_snapshots.py --snapshot-update`` and
look at the SVGs (pytest writes a report of differences) before committing.
"""

from __future__ import annotations

import pytest
from app_helpers import settle

from duty_desk.core.demo import fill_demo_day
from duty_desk.core.i18n import set_language
from duty_desk.tui.app import DutyDeskApp


@pytest.fixture
def demo_app(desk):
    def make(language: str) -> DutyDeskApp:
        set_language(language)
        fill_demo_day(desk)
        return DutyDeskApp(desk)

    return make


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_main_screen_with_the_demo_day(snap_compare, demo_app, language, size):
    assert snap_compare(demo_app(language), terminal_size=size, run_before=settle)


def test_compact_layout_shows_the_focused_lower_pane(snap_compare, demo_app):
    async def to_documents(pilot):
        await settle(pilot)
        await pilot.press("tab", "tab", "tab")  # entry -> log -> visitors -> documents
        await settle(pilot)

    assert snap_compare(demo_app("zh"), terminal_size=(80, 24), run_before=to_documents)
