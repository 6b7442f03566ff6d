"""Whatever text a script pipes into `duty-desk report draft --text-file -` or
hands `report edit` in a file — any Unicode, control and escape characters,
line breaks of every kind, a BOM, far too much — is stored exactly as the
core cleans it, or refused with exit status 3 (2 for a malformed command):
never a traceback, never a report half written."""

from __future__ import annotations

import io
import re
import sys

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from test_cli_feed_support import Feeder

from duty_desk.cli import exit_codes
from duty_desk.core.reports.service import MAX_REPORT
from duty_desk.core.sanitize import clean_text

WILD = st.one_of(
    st.text(max_size=200),
    st.text(st.characters(min_codepoint=0, max_codepoint=0x9F), max_size=40),  # C0 and C1 controls
    st.text(min_size=1, max_size=5).map(lambda s: s * 5000),  # past the limit, or just under it
    st.sampled_from(["", " \n\t ", "\ufeff", "\ufeff首报", "\x1b]0;title\x07化工园区储罐泄漏（首报）",
                     "[red]3人受伤[/]", "首报\r\n\r\n报告单位：区政府总值班室\r\n", "\u202e反向", "😀🚒\x00",
                     "一" * MAX_REPORT, "一" * (MAX_REPORT + 1), "'; DROP TABLE urgent_report; --"]),
)
QUICK = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def run(config_file, db_path, capsys, monkeypatch, fixed_clock) -> Feeder:
    feeder = Feeder(config_file, db_path, capsys, monkeypatch)
    opened = feeder.run("urgent", "open", "化工园区储罐泄漏", "--type", "事故灾难", "--level", "II", "--at", "09:40")
    assert opened.status == 0, opened.err
    return feeder


def expected(text: str) -> str:
    """What the store keeps of ``text``: the file's BOM is no text; the core cleans the rest."""
    return clean_text(text.removeprefix("\ufeff"))


def fits(text: str) -> bool:
    return 0 < len(expected(text)) <= MAX_REPORT


def successes(run: Feeder) -> int:
    return run.rows("SELECT COUNT(*) FROM audit_event WHERE outcome = 'success'")[0][0]


def refused_cleanly(run: Feeder, done, before: int) -> None:
    event("refused")
    assert done.status in (exit_codes.REFUSED, exit_codes.USAGE), (done.status, done.err)
    assert done.err.count("\n") == 1 and "Traceback" not in done.err
    assert successes(run) == before


def no_id_numbers(*values: str) -> None:
    # 17 digits in a row may be a resident ID number, masked wherever typed (test_idnumbers).
    assume(not any(re.search(r"[0-9]{17}", v) for v in values))


@QUICK
@given(text=WILD, again=WILD)
def test_any_text_piped_into_a_draft_or_edit_is_stored_as_cleaned_or_refused_in_one_line(
        run, monkeypatch, tmp_path, text, again):
    no_id_numbers(text, again)
    before, reports = successes(run), run.count("urgent_report")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))
    done = run.run("report", "draft", "1", "--text-file", "-")
    if not fits(text):
        refused_cleanly(run, done, before)
        assert run.count("urgent_report") == reports
        return
    event("drafted")
    assert done.status == exit_codes.OK, done.err
    (report_id, stored), = run.rows("SELECT id, text FROM urgent_report ORDER BY id DESC LIMIT 1")
    assert stored == expected(text)

    path = tmp_path / "again.txt"
    path.write_bytes(again.encode("utf-8"))
    before = successes(run)
    edited = run.run("report", "edit", str(report_id), "--text-file", str(path))
    if fits(again):
        event("edited")
        assert edited.status == exit_codes.OK, edited.err
        assert run.rows("SELECT text FROM urgent_report WHERE id = ?", report_id) == [(expected(again),)]
    else:
        refused_cleanly(run, edited, before)
        assert run.rows("SELECT text FROM urgent_report WHERE id = ?", report_id) == [(expected(text),)]
    # Out of the way, so the next example drafts again.
    assert run.run("report", "void", str(report_id), "--reason", "试拟").status == exit_codes.OK
