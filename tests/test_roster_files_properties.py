"""Property-based: whatever file an administrator hands to ``roster import``
— random bytes, text in any encoding, CSV with random cells — reading it
either gives rows to write or refuses it as InvalidInput, with a catalog
message naming lines; it never crashes, and a refused file writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duty_desk.core.config import load_config
from duty_desk.core.errors import DeskError, InvalidInput
from duty_desk.core.models import RosterEntry
from duty_desk.core.opening import open_desk
from duty_desk.core.roster import files, service

CONFIG = Path(__file__).parent / "roster_files" / "config.toml"
SETTINGS = settings(max_examples=60, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

HEADERS = ["日期", "班次", "值班员", "带班领导", "备班", "备注", "date", "shift", "officers", "leaders",
           "standby", "note", "值班人", ""]
CELLS = st.one_of(
    st.sampled_from(["2026-12-01", "2026/12/31", "2026-12-32", "2026年12月5日", "0000-00-00", "9999-12-31",
                     "白班", "夜班", "0", "1", "2", "-1", "张三", "赵六、孙七", "周八", "zhangs; lis", "钱十一",
                     "陈静（zhangs）", "（）", "=1+1", "'-x", "", " ", "\u3000"]),
    st.text(max_size=30),
)
CSV_TEXT = st.builds(
    lambda header, rows, sep, newline: newline.join(sep.join(r) for r in [header, *rows]),
    st.lists(st.sampled_from(HEADERS), min_size=0, max_size=7),
    st.lists(st.lists(CELLS, max_size=8), max_size=6),
    st.sampled_from([",", "\t", ";", "，"]),
    st.sampled_from(["\n", "\r\n", "\r"]),
)


@pytest.fixture
def store(tmp_path, fixed_clock):
    cfg = load_config(str(CONFIG))
    desk = open_desk(cfg, "sqlite:///" + str(tmp_path / "desk.db"), login="admin")
    service.plan_month(desk, "2026-12")
    yield desk
    desk.close()


def _entries() -> list[tuple]:
    return [(r.id, r.duty_date, r.slot, tuple(r.officers), tuple(r.leaders), tuple(r.standby), r.note)
            for r in RosterEntry.select().order_by(RosterEntry.id)]


def _read_or_refuse(data: bytes, desk) -> None:
    before = _entries()
    try:
        rows = files.read_csv(data, desk.cfg)
    except InvalidInput as err:
        assert err.message and err.message != err.key
        assert all(line.startswith("第 ") for line in err.message.splitlines())
    else:
        assert all({"day", "slot"} <= set(r) for r in rows)
    assert _entries() == before  # reading never writes


@SETTINGS
@given(data=st.binary(max_size=400))
def test_random_bytes_are_read_or_refused_as_invalid_input(store, data):
    _read_or_refuse(data, store)


@SETTINGS
@given(text=CSV_TEXT, encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
def test_random_csv_text_is_read_or_refused_as_invalid_input(store, text, encoding):
    _read_or_refuse(text.encode(encoding, errors="replace"), store)


@SETTINGS
@given(text=CSV_TEXT)
def test_an_import_is_written_whole_or_not_at_all(store, text):
    before = _entries()
    try:
        files.import_csv(store, text.encode("utf-8"), "核对后调整")
    except DeskError as err:
        assert err.message and err.message != err.key
        assert _entries() == before
