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

pytestmark = [pytest.mark.ssh, pytest.mark.slow]

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


def _one(data, what: str, record_id: int) -> dict:
    return next(r for r in _show(data, what) if r["id"] == record_id)


def _phone_reports(data) -> int:
    db = data / "duty-desk" / "demo.db"
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM urgent_event WHERE kind = 'phone_report'").fetchone()[0]


def _wait_until(condition, tmux: Tmux, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError("the desk did not record the change in time; the screen:\n" + tmux.screen())


def _wait_for_draft(data, text: str, timeout: float = 10.0) -> None:
    """The desk saves unsent text within a second; wait until the store has it."""
    db = data / "duty-desk" / "demo.db"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sqlite3.connect(db) as conn:
            if any(text in (row[0] or "") for row in conn.execute("SELECT text FROM desk_draft")):
                return
        time.sleep(0.2)
    raise AssertionError(f"draft {text!r} not saved within {timeout} s")


def test_an_entry_typed_over_ssh_reaches_the_store_and_an_unsent_draft_survives_a_killed_client(ssh_desk):
    server, tmux, remote, data = ssh_desk
    tmux.start(server.command(remote), width=100, height=30)
    tmux.wait_for("F1 帮助", timeout=60)  # the footer: the desk is up (not the demo filling)

    # A call logged with the time it came in and its category marker.
    when = (datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(minutes=3)).strftime("%H:%M")
    tmux.type(f"{when} #来电 区气象台：今晚有暴雨，请做好防范")
    tmux.send("Enter")
    _wait_until(lambda: any("区气象台" in e["content"] for e in _show(data, "log")), tmux)
    logged = [e for e in _show(data, "log") if "区气象台" in e["content"]]
    assert len(logged) == 1
    # ... and in the log pane, once the entry line is empty again.
    screen = tmux.wait_for("区气象台：今晚有暴")
    assert "区气象台" not in screen.splitlines()[-3].replace(" ", "")
    assert logged[0]["category"] == "来电"
    assert logged[0]["occurred_at"][11:16] == when

    # Check the visitor still on the premises out: Tab to the visitors pane, ctrl+o, Enter.
    [waiting] = [v for v in _show(data, "visitors") if v["state"] != "left"]
    tmux.send("Tab", "Tab")
    tmux.send("C-o")
    tmux.wait_for("来访离开")
    tmux.send("Enter")
    _wait_until(lambda: _one(data, "visitors", waiting["id"])["state"] == "left", tmux)
    # The store has it before the dialog is gone: a Tab sent now would go to the dialog.
    _wait_until(lambda: "来访离开" not in tmux.screen(), tmux)

    # Move the 特急 document one step (checked -> assigned to a unit). A closed
    # form gives the focus back to the entry line; a row key acts on the row
    # highlighted in the focused pane: Tab to the documents pane first.
    tmux.send("Tab", "Tab", "Tab")
    _wait_until(lambda: "下一步" in tmux.screen().splitlines()[-1], tmux)  # the documents pane has focus
    tmux.send("C-n")
    tmux.wait_for("公文办理")
    tmux.type("市防指办")
    tmux.send("Enter")
    _wait_until(lambda: [d for d in _show(data, "documents") if d["urgency"] == "特急"][0]["state"] == "assigned",
                tmux)
    _wait_until(lambda: "公文办理" not in tmux.screen(), tmux)  # the form has closed

    # Record "reported by phone now" on the urgent item: one key in its pane.
    before = _phone_reports(data)
    tmux.send("Tab", "Tab", "Tab", "Tab")
    _wait_until(lambda: "报告" in tmux.screen().splitlines()[-1].replace("电话已报", ""), tmux)  # the urgent pane
    tmux.send("C-r")
    # Where the desk names the item first and asks, the officer confirms.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _phone_reports(data) == before:
        if "记录电话报告" in tmux.screen():
            tmux.send("y")
            break
        time.sleep(0.2)
    _wait_until(lambda: _phone_reports(data) == before + 1, tmux)

    # Back to the entry line (Esc); typing, then the SSH client dies: the next start shows the text again.
    tmux.send("Escape")
    # A key sent right behind Esc would arrive as Alt+key; wait until the
    # footer shows the entry line has focus again (no row keys in it).
    _wait_until(lambda: "详情" not in tmux.screen().splitlines()[-1], tmux)
    tmux.type("东城街道来电反映积水")
    tmux.wait_for("东城街道来电反映积水")
    _wait_for_draft(data, "东城街道来电反映积水")
    subprocess.run(["pkill", "-9", "-f", f"-p {server.port} "], check=False)
    tmux.kill()

    again = Tmux(Path(tmux.socket + "2"))
    again.start(server.command(remote), width=100, height=30)
    try:
        screen = again.wait_for("F1 帮助", timeout=60)
        screen = again.wait_for("东城街道来电反映积水")
        assert "东城街道来电反映积水" in screen.replace(" ", "")
        # It is only a draft: nothing was recorded.
        assert not [e for e in _show(data, "log") if "积水" in e["content"]]
        again.send("C-q")
        _wait_until(lambda: "值班日志" not in again.screen().replace(" ", ""), again)
    finally:
        again.kill()
