"""Snapshots of the contact book with Chinese units and names: the whole book
as an officer reads it, and who to call for a flood (自然灾害) from an urgent
item, at 80x24 and 120x40. The clock is fixed.

Update with ``pytest tests/tui/test_contacts_snapshots.py --snapshot-update``
and look at the SVGs (their text) before committing."""

from __future__ import annotations

import pytest
from app_helpers import Host, settle

from duty_desk.core.contacts.demo import fill_demo_contacts
from duty_desk.core.services import urgent
from duty_desk.tui.screens.contacts import ContactsScreen


def pressing(*keys: str):
    async def run(pilot):
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    return run


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_the_book_as_an_officer_reads_it(snap_compare, desk, size):
    fill_demo_contacts(desk)
    assert snap_compare(Host(lambda: ContactsScreen(desk)), terminal_size=size, run_before=pressing("down", "down"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_who_to_call_for_a_flood(snap_compare, desk, size):
    fill_demo_contacts(desk)
    item = urgent.open_urgent(desk, "东城街道积水严重", "自然灾害", "III")
    assert snap_compare(Host(lambda: ContactsScreen(desk, item.id)), terminal_size=size, run_before=pressing())
