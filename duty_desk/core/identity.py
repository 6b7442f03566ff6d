"""Who is acting: taken from the operating system, never from the environment.

The acting login is the passwd name of the process's real uid. Environment
variables (USER, LOGNAME, SUDO_USER) are set by whoever starts the process, so
they name nobody, with one exception: a process that really runs under sudo.
SUDO_USER is believed only when all of these hold:

* the real uid is root (``sudo duty-desk``) or the configured service user
  (``[database] service_user``, for ``sudo -u SERVICE duty-desk`` where only
  that account may write the database);
* SUDO_USER is not root and has a passwd entry whose uid is SUDO_UID (sudo
  sets both; a name typed by hand rarely matches the uid as well);
* the parent process is sudo itself (its name in /proc, readable by every
  account; where there is no /proc, SUDO_USER is never believed). So start
  duty-desk directly under sudo, or ``exec`` it from a wrapper script: a shell
  left in between is not sudo, and the desk then acts as the account it runs as.

Root could fake all of this, but root can change the database file anyway;
the rule keeps everybody else, and a careless root, from signing as someone
else. A uid with no passwd entry (some containers) is refused: a name made up
from the environment would let anyone sign as anyone.
"""

from __future__ import annotations

import os
import pwd
from collections.abc import Mapping

from duty_desk.core.errors import NotAnOfficer


def current_login(service_user: str = "", *, environ: Mapping[str, str] | None = None,
                  uid: int | None = None, parent: str | None = None) -> str:
    """The login of the person acting. Raises NotAnOfficer for a uid without
    a passwd entry. ``service_user`` is ``cfg.service_user``; ``environ``,
    ``uid`` and ``parent`` (the parent process's name) default to this process's."""
    env = os.environ if environ is None else environ
    uid = os.getuid() if uid is None else uid
    try:
        own = pwd.getpwuid(uid).pw_name
    except KeyError:
        raise NotAnOfficer("identity.no_passwd", uid=uid) from None
    invoker = _sudo_invoker(env)
    if invoker is None or not _may_sudo_as(uid, service_user):
        return own
    if (parent if parent is not None else parent_process_name()) != "sudo":
        return own
    return invoker


def _sudo_invoker(env: Mapping[str, str]) -> str | None:
    """SUDO_USER, when it is a real account other than root whose uid is SUDO_UID."""
    name, uid_text = env.get("SUDO_USER", ""), env.get("SUDO_UID", "")
    if not name or name == "root" or not uid_text.isdigit():
        return None
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return None
    return name if entry.pw_uid == int(uid_text) else None


def _may_sudo_as(uid: int, service_user: str) -> bool:
    if uid == 0:
        return True
    if not service_user:
        return False
    try:
        return pwd.getpwnam(service_user).pw_uid == uid
    except KeyError:
        return False


def parent_process_name() -> str:
    """The command name of the parent process ("" when it cannot be read)."""
    try:
        with open(f"/proc/{os.getppid()}/comm", encoding="utf-8", errors="replace") as fh:
            return fh.read().strip()
    except OSError:
        return ""
