"""A private SSH server on loopback and a tmux terminal driving an ssh client,
for end-to-end tests of the desk over a real SSH connection; and real
operating-system accounts for them (root only), made with groupadd / useradd
and removed afterwards with everything they run."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SSHD_CANDIDATES = ("/usr/sbin/sshd", "/usr/bin/sshd")


def missing_tools() -> list[str]:
    missing = [t for t in ("ssh", "ssh-keygen", "tmux") if shutil.which(t) is None]
    if not any(os.access(p, os.X_OK) for p in SSHD_CANDIDATES) and shutil.which("sshd") is None:
        missing.append("sshd")
    return missing


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class SSHServer:
    port: int
    key: Path
    process: subprocess.Popen

    def command(self, remote: str) -> str:
        """The ssh client command line that runs ``remote`` in a pty."""
        return (
            f"ssh -tt -p {self.port} -i {self.key} -o StrictHostKeyChecking=no "
            f"-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes "
            f"{os.environ.get('USER') or 'root'}@127.0.0.1 {remote!r}"
        )

    def login_command(self, login: str, key: Path, remote: str = "", tty: bool = True) -> str:
        """The ssh client, as the terminal's own process (exec), logging in as
        ``login`` with ``key``, asking for a pty (or, ``tty`` false, for none)
        and to run ``remote`` (a ForceCommand on the server runs instead)."""
        return (
            f"exec ssh {'-tt' if tty else '-T'} -p {self.port} -i {key} -o StrictHostKeyChecking=no "
            f"-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes {login}@127.0.0.1"
            + (f" {remote!r}" if remote else "")
        )

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_sshd(workdir: Path, *, keys_file: str = "", extra_config: str = "") -> SSHServer:
    """sshd on 127.0.0.1 with its own host key, accepting one fresh client key.

    ``keys_file`` replaces the authorized keys file (``%u`` is the login, as in
    sshd_config); ``extra_config`` is appended last (a ``Match`` block goes there)."""
    sshd = next((p for p in SSHD_CANDIDATES if os.access(p, os.X_OK)), None) or shutil.which("sshd")
    workdir.mkdir(parents=True, exist_ok=True)
    host_key, client_key = workdir / "host_ed25519", workdir / "client_ed25519"
    for key in (host_key, client_key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    authorized = workdir / "authorized_keys"
    authorized.write_text(Path(str(client_key) + ".pub").read_text())
    authorized.chmod(0o600)
    port = _free_port()
    config = workdir / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {host_key}\n"
        f"AuthorizedKeysFile {keys_file or authorized}\nPidFile {workdir / 'sshd.pid'}\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n"
        "PermitRootLogin prohibit-password\nStrictModes no\nUsePAM no\nPrintMotd no\n"
        "AcceptEnv LANG LC_*\n" + extra_config
    )
    Path("/run/sshd").mkdir(exist_ok=True)  # privilege-separation directory
    proc = subprocess.Popen([sshd, "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return SSHServer(port, client_key, proc)
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("sshd did not start: " + proc.stderr.read().decode(errors="replace")) from None
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("sshd did not listen within 10 s")


class Tmux:
    """One tmux session on a private socket, sized like a real terminal."""

    def __init__(self, socket_path: Path, name: str = "desk"):
        self.socket, self.name = str(socket_path), name

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(["tmux", "-S", self.socket, *args], check=check,
                              capture_output=True, text=True)

    def start(self, command: str, width: int = 100, height: int = 30) -> None:
        self._run("new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), command)
        self._run("set-option", "-t", self.name, "remain-on-exit", "on")

    def send(self, *keys: str) -> None:
        self._run("send-keys", "-t", self.name, *keys)

    def type(self, text: str) -> None:
        self._run("send-keys", "-t", self.name, "-l", text)

    def screen(self) -> str:
        return self._run("capture-pane", "-p", "-t", self.name).stdout

    def pane_pid(self) -> int:
        """The process the terminal runs (the ssh client, when started with exec)."""
        return int(self._run("display-message", "-p", "-t", self.name, "#{pane_pid}").stdout)

    def dead(self) -> bool:
        """The terminal's program has ended (tmux may not print "Pane is dead" yet)."""
        return self._run("display-message", "-p", "-t", self.name, "#{pane_dead}").stdout.strip() == "1"

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text.replace(" ", "") in screen.replace(" ", ""):
                return screen
            if "Pane is dead" in screen:
                break
            time.sleep(0.2)
        raise AssertionError(f"{text!r} did not appear on screen within {timeout} s:\n{screen}")

    def kill(self) -> None:
        self._run("kill-server", check=False)

@dataclass(frozen=True)
class Account:
    login: str
    uid: int
    gid: int
    home: Path
    key: Path | None  # the private key a test's ssh client logs in with

    def run(self, args: list[str], groups: tuple[int, ...] = (), **kw) -> subprocess.CompletedProcess:
        """Run ``args`` as this account (with its supplementary ``groups``)."""
        env = {"PATH": "/usr/bin:/bin", "HOME": str(self.home), "LANG": "C.UTF-8"}
        return subprocess.run(args, user=self.uid, group=self.gid, extra_groups=list(groups),
                              env=env, cwd=self.home, capture_output=True, text=True, **kw)


class Accounts:
    """Accounts made for one test. Homes and keys live under ``workdir``, which
    every account can traverse; ``workdir/authorized/%u`` is each login's
    authorized keys file, for sshd's ``AuthorizedKeysFile``."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.logins: list[str] = []
        self.groups: list[str] = []
        for sub in ("home", "keys", "authorized"):
            (workdir / sub).mkdir(mode=0o755, exist_ok=True)

    @property
    def keys_file(self) -> str:
        return f"{self.workdir / 'authorized'}/%u"

    def group(self, name: str) -> int:
        subprocess.run(["groupadd", name], check=True, capture_output=True)
        self.groups.append(name)
        return grp.getgrnam(name).gr_gid

    def user(self, login: str, groups: tuple[str, ...] = (), ssh_key: bool = True,
             shell: str = "/bin/sh") -> Account:
        """A login with its own group, member of ``groups``; its password field
        is "*" (no password, not locked: sshd without PAM refuses a locked one)."""
        home = self.workdir / "home" / login
        args = ["useradd", "--create-home", "--home-dir", str(home), "--shell", shell, "--password", "*"]
        if groups:
            args += ["--groups", ",".join(groups)]
        subprocess.run([*args, login], check=True, capture_output=True)
        self.logins.append(login)
        entry = pwd.getpwnam(login)
        key = None
        if ssh_key:
            key = self.workdir / "keys" / login
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
            authorized = self.workdir / "authorized" / login
            authorized.write_text(Path(f"{key}.pub").read_text())
            os.chown(authorized, entry.pw_uid, entry.pw_gid)  # sshd reads it as the user
            authorized.chmod(0o600)
        return Account(login, entry.pw_uid, entry.pw_gid, home, key)

    def processes(self) -> list[int]:
        pids = []
        for login in self.logins:
            out = subprocess.run(["ps", "-o", "pid=", "-u", login], capture_output=True, text=True).stdout
            pids += [int(p) for p in out.split()]
        return pids

    def remove(self) -> None:
        """End what the accounts still run (by process id), then remove them."""
        deadline = time.monotonic() + 5
        while (pids := self.processes()) and time.monotonic() < deadline:
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGTERM if time.monotonic() < deadline - 2 else signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.2)
        for login in reversed(self.logins):
            subprocess.run(["userdel", login], check=False, capture_output=True)
        for name in reversed(self.groups):
            subprocess.run(["groupdel", name], check=False, capture_output=True)
