"""Who is acting: the operating-system login (under sudo, the invoking user)."""

from __future__ import annotations

import os
import pwd
from collections.abc import Mapping


def current_login(environ: Mapping[str, str] | None = None, euid: int | None = None,
                  uid: int | None = None) -> str:
    env = os.environ if environ is None else environ
    euid = os.geteuid() if euid is None else euid
    uid = os.getuid() if uid is None else uid
    sudo_user = env.get("SUDO_USER")
    if euid == 0 and sudo_user and sudo_user != "root":
        return sudo_user
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        # A uid with no passwd entry (some containers): still one stable name.
        return env.get("USER") or f"uid{uid}"
