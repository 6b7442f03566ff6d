"""The desk over a real SSH connection, in a 100×30 tmux terminal, as a new user
following the README would use it. bash .ci/run installs sshd, ssh and tmux."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from e2e_ssh import Tmux, missing_tools, start_sshd

pytestmark = pytest.mark.ssh

MISSING = missing_tools()


@pytest.fixture
def ssh_desk(tmp_path):
    if MISSING:
        pytest.skip(f"needs {', '.join(MISSING)} on this machine (bash .ci/run installs them)")
    if os.geteuid() != 0 and not os.access("/run/sshd", os.W_OK):
        pytest.skip("sshd needs /run/sshd, which only root can create here")
    server = start_sshd(tmp_path / "ssh")
    data = tmp_path / "data"
    remote = (f"cd {tmp_path} && XDG_DATA_HOME={data} XDG_CONFIG_HOME={tmp_path / 'cfg'} "
              f"{sys.executable} -m duty_desk --demo")
    tmux = Tmux(tmp_path / "tmux.sock")
    yield server, tmux, remote, data
    tmux.kill()
    server.stop()


def _show(data, what: str) -> list[dict]:
    env = {**os.environ, "XDG_DATA_HOME": str(data), "XDG_CONFIG_HOME": str(data / "nocfg")}
    out = subprocess.run([sys.executable, "-m", "duty_desk", "--demo", "show", what, "--json"],
                         env=env, capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def _wait_for_draft(data, text: str, timeout: float = 10.0) -> None:
    """The desk saves unsent text within a second; wait until the store has it."""
    db = data / "duty-desk" / "demo.db"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sqlite3.connect(db) as conn:
            if any(text in (row[0] or "") for row in conn.execute("SELECT text FROM draft")):
                return
        time.sleep(0.2)
    raise AssertionError(f"draft {text!r} not saved within {timeout} s")


def test_an_entry_typed_over_ssh_reaches_the_store_and_an_unsent_draft_survives_a_killed_client(ssh_desk):
    server, tmux, remote, data = ssh_desk
    tmux.start(server.command(remote), width=100, height=30)
    tmux.wait_for("值班日志", timeout=60)

    # A call logged with the time it came in and its category marker.
    when = (datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(minutes=3)).strftime("%H:%M")
    tmux.type(f"{when} #来电 区气象台：今晚有暴雨，请做好防范")
    tmux.send("Enter")
    tmux.wait_for("区气象台：今晚有暴雨")
    logged = [e for e in _show(data, "log") if "区气象台" in e["content"]]
    assert len(logged) == 1
    assert logged[0]["category"] == "来电"
    assert logged[0]["occurred_at"][11:16] == when

    # Typing, then the SSH client dies: the next start shows the text again.
    tmux.type("东城街道来电反映积水")
    tmux.wait_for("东城街道来电反映积水")
    _wait_for_draft(data, "东城街道来电反映积水")
    subprocess.run(["pkill", "-9", "-f", f"-p {server.port} "], check=False)
    tmux.kill()

    again = Tmux(Path(tmux.socket + "2"))
    again.start(server.command(remote), width=100, height=30)
    try:
        screen = again.wait_for("值班日志", timeout=60)
        screen = again.wait_for("东城街道来电反映积水")
        assert "东城街道来电反映积水" in screen.replace(" ", "")
        # It is only a draft: nothing was recorded.
        assert not [e for e in _show(data, "log") if "积水" in e["content"]]
    finally:
        again.kill()
