"""A dropped connection or a stop: the desk, running in a real terminal (a
pty), keeps the entry line and an open form as drafts and shuts down, with
a clean exit, instead of dying by the signal. Waits are for what the
terminal shows or for the process to end, never a fixed time."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

from duty_desk.core.config import load_config
from duty_desk.core.identity import current_login
from duty_desk.core.opening import open_desk
from duty_desk.core.services import drafts

pytestmark = pytest.mark.slow  # real processes

WAIT = 30.0  # seconds at most for any one thing, on a loaded machine


class Desk:
    """``duty-desk --db FILE`` in a pty of 80x24."""

    def __init__(self, tmp: Path) -> None:
        self.db = tmp / "desk.db"
        env = dict(os.environ, XDG_DATA_HOME=str(tmp / "data"), XDG_CONFIG_HOME=str(tmp / "config"),
                   TERM="xterm-256color")
        env.pop("DUTY_DESK_CONFIG", None)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the desk
            os.execve(sys.executable, [sys.executable, "-m", "duty_desk", "--db", str(self.db)], env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.screen = b""
        self.status: int | None = None

    def wait_for(self, text: str) -> None:
        wanted = text.encode()
        end = time.monotonic() + WAIT
        while wanted not in self.screen:
            assert time.monotonic() < end, f"{text!r} never shown"
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                self.screen += os.read(self.fd, 65536)

    def type(self, text: str, shown: str) -> None:
        os.write(self.fd, text.encode())
        self.wait_for(shown)

    def wait_exit(self, reading: bool = True) -> int:
        end = time.monotonic() + WAIT
        while time.monotonic() < end:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
                return status
            if reading:
                ready, _, _ = select.select([self.fd], [], [], 0.1)
                if ready:
                    try:
                        self.screen += os.read(self.fd, 65536)
                    except OSError:
                        reading = False
            else:
                time.sleep(0.05)
        raise AssertionError("the desk did not close")

    def stop(self) -> None:
        if self.status is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        try:
            os.close(self.fd)
        except OSError:
            pass


@pytest.fixture
def running(tmp_path):
    desk = Desk(tmp_path)
    yield desk
    desk.stop()


def stored_drafts(tmp_path) -> dict[str, str]:
    cfg = load_config()  # no officers configured: the login is the desk's administrator
    desk = open_desk(cfg, "sqlite:///" + str(tmp_path / "desk.db"), login=current_login())
    try:
        return {slot: drafts.load_draft(desk, slot=slot) for slot in (drafts.ENTRY, drafts.FORM)}
    finally:
        desk.close()


def fill_line_and_form(desk: Desk) -> None:
    desk.wait_for("F8")  # the desk is up
    desk.type("wsj 13912345678", "13912345678")
    desk.type("\x1bOS", "紧急信息接报")  # F4: a new urgent item
    desk.type("fire-5678", "fire-5678")


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_a_signal_keeps_the_line_and_the_open_form_and_the_desk_exits_cleanly(running, tmp_path, signum):
    fill_line_and_form(running)
    os.kill(running.pid, signum)  # typed an instant ago: no draft timer has run
    status = running.wait_exit()
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0  # shut down, not killed
    assert b"\x1b[?1049l" in running.screen  # the terminal given back as it was
    kept = stored_drafts(tmp_path)
    assert kept[drafts.ENTRY] == "wsj 13912345678"
    assert json.loads(kept[drafts.FORM])["values"] == {"title": "fire-5678"}


def test_a_dropped_connection_keeps_what_was_typed_and_the_desk_exits_cleanly(running, tmp_path):
    fill_line_and_form(running)
    os.close(running.fd)  # the SSH connection is gone: the terminal hangs up
    status = running.wait_exit(reading=False)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    kept = stored_drafts(tmp_path)
    assert kept[drafts.ENTRY] == "wsj 13912345678"
    assert json.loads(kept[drafts.FORM])["values"] == {"title": "fire-5678"}


def test_a_crashed_desk_ends_with_a_failure_status(tmp_path, monkeypatch):
    import argparse

    from duty_desk.cli.run import run_tui  # opens the store, then the desk on it
    from duty_desk.tui import app as tui

    def crashing_run(self) -> None:
        self._return_code = 1  # what Textual leaves after an unhandled exception

    monkeypatch.setattr(tui.DutyDeskApp, "run", crashing_run)
    args = argparse.Namespace(db=str(tmp_path / "desk.db"), demo=False, command=None)
    assert run_tui(args, load_config()) == 1
