"""Two officers, each with their own operating-system account, keep the desk
open over a real OpenSSH server on loopback, each in a tmux terminal (one
100×30, one 80×24), on one shared database: what one records, the other sees
within a second; an ssh client killed mid-typing loses nothing.

The accounts and the server are set up as README "Deploying over SSH" says:
the officers are members of a group that ``Match Group … ForceCommand`` sends
straight into the desk, and either

* ``group``: the desk runs as each officer, on a database folder their common
  group may write (setgid, 2770), or
* ``sudo``: the desk runs as a service account through sudo, on a folder only
  that account can open; the desk still knows which officer is acting.

Root only: it makes real accounts with useradd (removed afterwards)."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from e2e_ssh import Account, Accounts, SSHServer, Tmux, missing_tools, start_sshd

import duty_desk

pytestmark = [pytest.mark.ssh, pytest.mark.slow]

# Another officer's write shows in an open desk within this (issue 11's goal).
VISIBLE_WITHIN = 1.0
POLL = 0.05
# Not shown this long after the writer showed it: not shown at all (the desk looks four times a second).
SEEN_LIMIT = 8.0


@dataclass
class Deployment:
    root: Path           # stands for / : etc/, var/lib/, usr/local/bin/ below it
    db: Path
    officers: tuple[Account, Account]
    group_gid: int
    service: Account | None
    server: SSHServer
    python: Path         # the installed environment's interpreter, which every account runs


def _everyone_runs(path: str) -> bool:
    """Every account may run ``path``: each folder above it is searchable by others."""
    real = Path(os.path.realpath(path))
    return all(p.stat().st_mode & 0o001 for p in real.parents) and bool(real.stat().st_mode & 0o001)


def _base_python() -> str | None:
    """This interpreter's base, or the system one of the same version where the
    base is private (a pyenv under /root)."""
    for candidate in (getattr(sys, "_base_executable", ""), f"/usr/bin/python3.{sys.version_info.minor}"):
        if candidate and os.path.exists(candidate) and _everyone_runs(candidate):
            return candidate
    return None


def _our_packages() -> list[str]:
    """The folders this test run imports its packages (and duty_desk) from."""
    found = [p for p in sys.path if p.endswith("site-packages") and os.path.isdir(p)]
    return [*found, str(Path(duty_desk.__file__).parent)]


def _install(root: Path, python: str) -> Path:
    """The guide's layout: a virtual environment under opt/duty-desk from a
    Python every account runs, and usr/local/bin/duty-desk a symlink to its
    entry point. Its packages are this test run's own (a .pth file), so no
    package is downloaded."""
    venv = root / "opt" / "duty-desk"
    subprocess.run([python, "-m", "venv", "--without-pip", str(venv)], check=True)
    [site] = venv.glob("lib/python3.*/site-packages")
    ours = [p for p in _our_packages() if p.endswith("site-packages")]
    (site / "duty_desk_e2e.pth").write_text("".join(f"import site; site.addsitedir({p!r})\n" for p in ours))
    entry = venv / "bin" / "duty-desk"
    entry.write_text(f"#!{venv}/bin/python\nimport sys\nfrom duty_desk.cli import main\nsys.exit(main())\n")
    entry.chmod(0o755)
    link = root / "usr" / "local" / "bin" / "duty-desk"
    link.parent.mkdir(parents=True)
    link.symlink_to(entry)
    return link


@pytest.fixture(params=["group", "sudo"])
def deployment(request):
    missing = missing_tools() + (["sudo"] if request.param == "sudo" and shutil.which("sudo") is None else [])
    if missing:
        pytest.skip(f"needs {', '.join(missing)} on this machine (bash .ci/run installs them)")
    if os.geteuid() != 0:
        pytest.skip("makes real login accounts with useradd and starts sshd: needs root (bash .ci/run in CI runs as root)")
    python = _base_python()
    if python is None:
        pytest.skip(f"no Python {sys.version_info.major}.{sys.version_info.minor} that other accounts may run")
    hidden = [p for p in _our_packages() if not _everyone_runs(p)]
    if hidden:
        pytest.skip(f"the installed packages are in a folder other accounts cannot enter: {hidden[0]}")
    root = Path(tempfile.mkdtemp(prefix="duty-desk-ssh-"))
    root.chmod(0o755)  # every account walks through it: homes, the program, the config
    accounts = Accounts(root)
    sudoers: Path | None = None
    server: SSHServer | None = None
    try:
        tag = secrets.token_hex(3)
        group = f"dutydesk{tag}"
        gid = accounts.group(group)
        zhang = accounts.user(f"zhang{tag}", groups=(group,))
        chen = accounts.user(f"chen{tag}", groups=(group,))
        program = _install(root, python)
        folder = root / "var" / "lib" / "duty-desk"
        folder.parent.mkdir(parents=True)
        config = root / "etc" / "duty-desk" / "config.toml"
        config.parent.mkdir(parents=True)
        service = None
        if request.param == "sudo":
            service = accounts.user(f"desksvc{tag}", ssh_key=False, shell="/usr/sbin/nologin")
            subprocess.run(["install", "-d", "-m", "0700", "-o", service.login, "-g", service.login, str(folder)],
                           check=True)
        else:
            subprocess.run(["install", "-d", "-m", "2770", "-g", group, str(folder)], check=True)
        db = folder / "desk.db"
        config.write_text(
            f'[database]\nurl = "sqlite:///{db}"\nservice_user = "{service.login if service else ""}"\n\n'
            f'[[officers]]\nlogin = "{zhang.login}"\nname = "张伟"\nrole = "admin"\n\n'
            f'[[officers]]\nlogin = "{chen.login}"\nname = "陈静"\nrole = "officer"\n')
        config.chmod(0o644)
        # The administrator makes the store before the officers' first start (the guide's step).
        owner, groups = (service, ()) if service else (zhang, (gid,))
        made = owner.run([str(program), "--config", str(config), "init"], groups=groups)
        assert made.returncode == 0, made.stdout + made.stderr
        desk = f"{program} --config {config}"
        if service is not None:
            desk = f"sudo -u {service.login} {desk}"
            sudoers = Path("/etc/sudoers.d") / f"duty-desk-e2e-{tag}"  # no dot: sudo would skip the file
            rule = (f'Defaults:%{group} env_keep += "LANG LC_ALL COLORTERM"\n'
                    f"%{group} ALL=({service.login}) NOPASSWD: {program} --config {config}\n")
            staged = root / "sudoers"
            staged.write_text(rule)
            subprocess.run(["visudo", "-c", "-q", "-f", str(staged)], check=True)
            shutil.copyfile(staged, sudoers)
            sudoers.chmod(0o440)
        server = start_sshd(root / "sshd", keys_file=accounts.keys_file, extra_config=(
            f"Match Group {group}\n"
            f"    ForceCommand test -t 0 && exec {desk}\n"  # no terminal, no desk
            "    SetEnv LANG=C.UTF-8\n"
            "    DisableForwarding yes\n"))
        yield Deployment(root, db, (zhang, chen), gid, service, server, root / "opt" / "duty-desk" / "bin" / "python")
    finally:
        if server is not None:
            server.stop()
        if sudoers is not None:
            sudoers.unlink(missing_ok=True)
        accounts.remove()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def terminals(deployment):
    opened: list[Tmux] = []

    def open_terminal(account: Account, width: int, height: int, remote: str = "") -> Tmux:
        tmux = Tmux(deployment.root / f"tmux-{len(opened)}.sock", name=account.login)
        opened.append(tmux)
        tmux.start(deployment.server.login_command(account.login, account.key, remote), width=width, height=height)
        return tmux

    yield open_terminal
    for tmux in opened:
        tmux.kill()


def _compact(text: str) -> str:
    return text.replace(" ", "")


def _entry_line(screen: str) -> str:
    """The entry line: the third line from the bottom (a hint and the keys below it)."""
    lines = screen.splitlines()
    return lines[-3] if len(lines) >= 3 else ""


def _in_log(screen: str, text: str) -> bool:
    """``text`` is on the screen outside the entry line (a row of the log)."""
    entry = _entry_line(screen)
    return any(text in _compact(line) for line in screen.splitlines() if line != entry)


def _up(tmux: Tmux) -> str:
    """Wait for the desk (its key hints at the bottom) and the entry line's focus."""
    return tmux.wait_for("F1 帮助", timeout=60)


def _record_and_time(writer: Tmux, reader: Tmux, text: str) -> tuple[float, float | None]:
    """Type ``text`` into the writer's entry line, Enter, and poll both screens
    every POLL seconds. Returns (Enter → the writer's log shows the row, the
    writer shows it → the reader shows it; None when the reader has not shown it
    SEEN_LIMIT seconds later)."""
    writer.type(text)
    writer.wait_for(text)
    pressed = time.monotonic()
    writer.send("Enter")
    shown = seen = None
    while seen is None and time.monotonic() < (shown or pressed + 15) + SEEN_LIMIT:
        now = time.monotonic()
        if shown is None and _in_log(writer.screen(), text):
            shown = now
        if _in_log(reader.screen(), text):
            seen = time.monotonic()
        time.sleep(POLL)
    assert shown is not None, f"{text!r} never showed in the writing desk's log:\n{writer.screen()}"
    return shown - pressed, None if seen is None else max(0.0, seen - shown)


def _kill_ssh_client(tmux: Tmux) -> None:
    pid = tmux.pane_pid()
    assert Path(f"/proc/{pid}/comm").read_text().strip() == "ssh", "the terminal does not run the ssh client itself"
    os.kill(pid, signal.SIGKILL)


def _rows(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return list(conn.execute("SELECT content, recorded_by FROM log_entry ORDER BY id"))


def test_two_officers_share_one_desk_over_ssh_and_a_killed_client_keeps_its_draft(deployment, terminals):
    zhang, chen = deployment.officers
    # Without a terminal (ssh -T, or a command for a script) the session ends at once: no blind desk.
    blind = subprocess.run(deployment.server.login_command(zhang.login, zhang.key, "echo SHELL-RAN", tty=False),
                           shell=True, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    assert blind.returncode != 0 and "SHELL-RAN" not in blind.stdout and not blind.stdout.strip(), blind

    first = terminals(zhang, 100, 30)
    second = terminals(chen, 80, 24)
    _up(first)
    _up(second)

    # Each records in turn; the other's desk shows it. Times are checked at the end,
    # so that everything else is seen to work whatever the refresh speed.
    lines = [(first, second, "区气象台来电今晚暴雨一"), (second, first, "东城街道报告积水已派员二"),
             (first, second, "市防指办通知加强值守三")]
    timings = [_record_and_time(writer, reader, text) for writer, reader, text in lines]

    # The 80×24 officer types and the ssh client dies mid-line (kill -9): the
    # connection drops, the desk behind it is hung up and keeps the line.
    half = "西城区来电反映路灯"
    second.type(half)
    second.wait_for(half)
    _kill_ssh_client(second)
    second.kill()
    # Reconnecting, the officer asks for a shell command: ForceCommand opens the desk instead.
    again = terminals(chen, 80, 24, remote="echo SHELL-RAN")
    screen = _up(again)
    assert "SHELL-RAN" not in screen
    screen = again.wait_for(half)
    assert half in _compact(_entry_line(screen)), f"the draft is not back in the entry line:\n{screen}"
    assert "已恢复上次未发送的内容" in _compact(screen), f"no line says the draft was restored:\n{screen}"
    # The other officer's desk ran on untouched and did not get the draft.
    assert half not in _compact(first.screen())

    # Finish the line and record it: the restored draft is a live entry line.
    again.type("不亮")
    again.send("Enter")
    first.wait_for(half + "不亮", timeout=10)
    for tmux in (first, again):
        tmux.send("C-q")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not (first.dead() and again.dead()):
        time.sleep(0.2)
    assert first.dead() and again.dead(), \
        "Ctrl+Q did not close both desks:\n" + "\n".join(t.screen() for t in (first, again))

    # Who recorded what: each officer's own login, also through sudo.
    recorded = dict(_rows(deployment.db))
    expected = {text: (zhang if writer is first else chen).login for writer, _, text in lines}
    expected[half + "不亮"] = chen.login
    assert {text: recorded.get(text) for text in expected} == expected
    assert len(recorded) == len(expected), f"unexpected records: {recorded}"

    _check_files(deployment)

    entry_latency = [round(a, 3) for a, _ in timings]
    visible = [f"{b:.2f} s" if b is not None else f"not within {SEEN_LIMIT:.0f} s" for _, b in timings]
    print(f"\n[{'sudo' if deployment.service else 'group'}] Enter → its own row: {entry_latency} s; "
          f"that row → the other officer's desk: {visible}")
    assert all(b is not None and b < VISIBLE_WITHIN for _, b in timings), (
        f"another officer's entry showed in an open desk after {', '.join(visible)} "
        f"(three entries, the first right after both desks opened; measured from the writing desk "
        f"showing its row to the other desk showing it, screens read every {POLL * 1000:.0f} ms; "
        f"goal: within {VISIBLE_WITHIN:.0f} s)")


def _check_files(d: Deployment) -> None:
    """The store, its lock file and who can open them, as the guide sets them up."""
    turns = d.db.parent / f".{d.db.name}.writers"
    assert turns.exists(), "the writers' lock file was never made"
    probe = ("import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDWR); "
             "fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB); print('ok')")
    if d.service is None:
        # Both officers, each as themselves, can open the database and take the writers' turn.
        for path in (d.db, turns):
            st = path.stat()
            assert (st.st_gid, st.st_mode & 0o777) == (d.group_gid, 0o660), f"{path}: {oct(st.st_mode)}"
        for officer in d.officers:
            done = officer.run([str(d.python), "-c", probe, str(turns)], groups=(d.group_gid,))
            assert done.stdout.strip() == "ok", f"{officer.login} cannot take the writers' turn: {done.stderr}"
        reader = (d.officers[0], (d.group_gid,))
    else:
        # Only the service account opens the store: the officers reach it only through the desk.
        assert d.db.stat().st_uid == d.service.uid
        for officer in d.officers:
            done = officer.run([str(d.python), "-c", probe, str(turns)], groups=(d.group_gid,))
            assert done.returncode != 0 and "PermissionError" in done.stderr, done.stdout + done.stderr
        reader = (d.service, ())
    # Two officers writing at once left one intact trail.
    account, groups = reader
    verified = account.run([str(d.python), "-m", "duty_desk", "--db", str(d.db), "audit", "verify"], groups=groups)
    assert verified.returncode == 0, verified.stdout + verified.stderr
