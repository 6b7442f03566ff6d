"""Whatever a script hands `duty-desk call` and `duty-desk visitor add` —
any Unicode, control and escape characters, line breaks, very long values —
is either recorded exactly as the core cleans it, or refused with exit status
3 (or 2 for a malformed command) and one line saying why: never a traceback,
never a record half written."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from test_cli_feed_support import Feeder

from duty_desk.cli import exit_codes
from duty_desk.core.sanitize import clean_line, clean_text

WILD = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(min_codepoint=0, max_codepoint=0x9F), max_size=20),  # C0 and C1 controls
    st.text(min_size=1, max_size=5).map(lambda s: s * 900),  # far past any limit
    st.sampled_from(["", "  ", "区水务局", "\x1b]0;title\x07区水务局", "[red]王科长[/]", "--unit", "-", "\u202e反向",
                     "水务局\n科长", "\t王\r\n科长\t", "😀🚒", "ＧＰＳ　定位", "'; DROP TABLE log_entry; --"]),
)

LINE, TEXT = clean_line, clean_text
# option -> (the column it is stored in, how the core cleans it, its limit)
CALL_FIELDS = {
    "unit": ("counterpart_unit", LINE, 200), "name": ("counterpart_name", LINE, 200),
    "title": ("counterpart_title", LINE, 200), "phone": ("counterpart_phone", LINE, 40),
    "informed": ("already_informed", TEXT, 4000), "handling": ("handling", TEXT, 4000),
    "result": ("result", TEXT, 4000),
}
VISITOR_FIELDS = {
    "unit": ("unit", LINE, 200), "phone": ("phone", LINE, 40), "purpose": ("purpose", TEXT, 4000),
    "host": ("host", LINE, 200),
}
VALID_ID = "11010519491231002X"
QUICK = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def feed(config_file, db_path, capsys, monkeypatch, fixed_clock, make_desk) -> Feeder:
    feeder = Feeder(config_file, db_path, capsys, monkeypatch)
    assert feeder.run("init").status == 0
    make_desk("tester")
    return feeder


def _no_id_numbers(*values: str) -> None:
    # 17 digits in a row may be a resident ID number, which the core masks
    # wherever it is typed (a test of its own, test_idnumbers).
    assume(not any(re.search(r"[0-9]{17}", v) for v in values))


def _fits(value: str, clean, limit: int) -> bool:
    return len(clean(value)) <= limit


def _refused_cleanly(feed: Feeder, done, table: str, rows_before: int, successes_before: int) -> None:
    event("refused")
    assert done.status in (exit_codes.REFUSED, exit_codes.USAGE), (done.status, done.err)
    assert done.err.count("\n") == 1 and "Traceback" not in done.err
    assert feed.count(table) == rows_before
    assert _successes(feed) == successes_before


def _successes(feed: Feeder) -> int:
    return feed.rows("SELECT COUNT(*) FROM audit_event WHERE outcome = 'success'")[0][0]


@QUICK
@given(text=WILD, options=st.fixed_dictionaries({}, optional={k: WILD for k in CALL_FIELDS}))
def test_a_call_records_exactly_what_was_given_or_is_refused_in_one_line(feed, text, options):
    _no_id_numbers(text, *options.values())
    rows, successes = feed.count("log_entry"), _successes(feed)
    done = feed.run("call", *[f"--{k}={v}" for k, v in options.items()], "--", text)
    fits = bool(clean_text(text)) and len(clean_text(text)) <= 4000 and all(
        _fits(v, CALL_FIELDS[k][1], CALL_FIELDS[k][2]) for k, v in options.items())
    if not fits:
        _refused_cleanly(feed, done, "log_entry", rows, successes)
        return
    event("recorded")
    assert done.status == exit_codes.OK, done.err
    assert feed.count("log_entry") == rows + 1
    columns = ["content", *(CALL_FIELDS[k][0] for k in options)]
    stored = feed.rows(f"SELECT {', '.join(columns)} FROM log_entry ORDER BY id DESC LIMIT 1")[0]
    assert list(stored) == [clean_text(text), *(CALL_FIELDS[k][1](v) for k, v in options.items())]


@QUICK
@given(name=WILD, options=st.fixed_dictionaries({}, optional={k: WILD for k in VISITOR_FIELDS}),
       id_number=st.integers(0, 3).flatmap(lambda n: [st.none(), st.none(), st.just(VALID_ID), WILD][n]),
       party_size=st.integers(0, 3).flatmap(lambda n: [st.none(), st.none(), st.integers(-3, 600).map(str), WILD][n]))
def test_a_visitor_is_recorded_exactly_as_given_or_refused_in_one_line(feed, name, options, id_number, party_size):
    _no_id_numbers(name, *options.values())
    rows, successes = feed.count("visitor"), _successes(feed)
    argv = [f"--{k}={v}" for k, v in options.items()]
    if id_number is not None:
        argv.append(f"--id-number={id_number}")
    if party_size is not None:
        argv.append(f"--party-size={party_size}")
    done = feed.run("visitor", "add", *argv, "--", name)
    try:
        size = 1 if party_size is None else int(party_size)  # as the service reads it
    except ValueError:
        size = 0
    id_ok = id_number is None or not id_number.strip() or id_number == VALID_ID
    fits = id_ok and bool(clean_line(name)) and len(clean_line(name)) <= 60 and 1 <= size <= 500 and all(
        _fits(v, VISITOR_FIELDS[k][1], VISITOR_FIELDS[k][2]) for k, v in options.items())
    if not fits:
        _refused_cleanly(feed, done, "visitor", rows, successes)
        return
    event("recorded")
    assert done.status == exit_codes.OK, done.err
    assert feed.count("visitor") == rows + 1
    columns = ["name", "party_size", "id_masked", *(VISITOR_FIELDS[k][0] for k in options)]
    stored = feed.rows(f"SELECT {', '.join(columns)} FROM visitor ORDER BY id DESC LIMIT 1")[0]
    masked = "110105********002X" if id_number == VALID_ID else ""
    assert list(stored) == [clean_line(name), size, masked, *(VISITOR_FIELDS[k][1](v) for k, v in options.items())]
