"""Shared fixtures: a real SQLite file in a temp dir, a config file, a fixed clock.

Every test that touches the store uses ``desk`` (or ``make_desk`` for a second
officer); none touches the user's real data: XDG dirs point into tmp_path.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from duty_desk.core import clock, told
from duty_desk.core.config import load_config
from duty_desk.core.i18n import set_language
from duty_desk.core.opening import open_desk

# 2026-11-24 10:00 in Asia/Shanghai: well inside the duty day that started 08:30.
T0 = datetime(2026, 11, 24, 2, 0, tzinfo=timezone.utc)

OFFICERS_TOML = """
[[officers]]
login = "tester"
name = "李明"
role = "officer"
phone = "13800000000"

[[officers]]
login = "incoming"
name = "陈静"
role = "officer"

[[officers]]
login = "leader"
name = "王军"
role = "leader"
"""


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Keep every test away from the real XDG dirs and reset global state."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("DUTY_DESK_CONFIG", raising=False)
    set_language("zh")
    told.warnings.clear()  # a warning about another test's store is not this test's
    yield
    clock.set_now(None)
    set_language("zh")
    told.warnings.clear()
    told.progress_hook = None  # the command line's, set by a test that ran it


@pytest.fixture
def config_file(tmp_path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(OFFICERS_TOML, encoding="utf-8")
    return path


@pytest.fixture
def cfg(config_file):
    return load_config(str(config_file))


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "desk.db"


@pytest.fixture
def fixed_clock():
    """The clock stands at T0; tests move it with clock.set_now."""
    clock.set_now(T0)
    return T0


@pytest.fixture
def make_desk(cfg, db_path):
    opened = []

    def make(login: str = "tester", config=None):
        desk = open_desk(config or cfg, "sqlite:///" + str(db_path), login=login)
        opened.append(desk)
        return desk

    yield make
    for d in opened:
        d.close()


@pytest.fixture
def desk(make_desk, fixed_clock):
    return make_desk("tester")
