"""Service functions called directly (by a script, a future command) with an
id no record can have say "not found", never overflow the database driver."""

from __future__ import annotations

import socket

import pytest
from conftest import T0

from duty_desk.core.errors import NotFound
from duty_desk.core.services import chasing, drafts, instructions

HUGE = (2**64, 2**63, -(2**64))


@pytest.mark.parametrize("record_id", HUGE)
def test_a_chase_written_for_an_id_beyond_64_bits_is_refused_as_not_found(desk, record_id):
    with pytest.raises(NotFound):
        chasing.add_chase(desk, "log", record_id, "市城管局", "", "", T0)


@pytest.mark.parametrize("record_id", HUGE)
def test_an_instruction_written_for_an_id_beyond_64_bits_is_refused_as_not_found(desk, record_id):
    with pytest.raises(NotFound):
        instructions.create_instruction(desk, "log", record_id, "tester", "王军", "请跟进")


@pytest.mark.parametrize("pid", HUGE)
def test_a_draft_from_a_process_number_beyond_64_bits_counts_as_left_behind(pid):
    assert drafts.is_gone("desk-1", socket.gethostname(), pid) is True
