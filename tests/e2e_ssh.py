"""A private SSH server on loopback and a tmux terminal driving an ssh client,
for end-to-end tests of the desk over a real SSH connection."""

from __future__ import annotations

import os
import shutil
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

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_sshd(workdir: Path) -> SSHServer:
    """sshd on 127.0.0.1 with its own host key, accepting one fresh client key."""
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
        f"AuthorizedKeysFile {authorized}\nPidFile {workdir / 'sshd.pid'}\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n"
        "PermitRootLogin prohibit-password\nStrictModes no\nUsePAM no\nPrintMotd no\n"
        "AcceptEnv LANG LC_*\n"
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

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text.replace(" ", "") in screen.replace(" ", ""):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} did not appear on screen within {timeout} s:\n{screen}")

    def kill(self) -> None:
        self._run("kill-server", check=False)
