"""`duty-desk backup DEST`: a consistent copy of the store while desks are
running (SQLite's online backup API copies what is still in the -wal file
too, which a plain `cp` of the database file misses), written 0600 next to
its final name and renamed into place, then opened read-only and verified
like `audit verify` does."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from duty_desk.core import safefile, sqlite_store
from duty_desk.core.config import Config
from duty_desk.core.errors import Refused

PAGES_PER_STEP = 1024  # 4 MiB at the default page size: progress for big stores only


def back_up(url: str, cfg: Config, dest: Path,
            progress: Callable[[int, int], None] | None = None):
    """Copy the database at ``url`` to ``dest`` (which must not exist) and
    verify the copy. Returns (dest, verify report of the copy)."""
    from duty_desk.core import db as store
    from duty_desk.core.verify import verify_open

    source_path = sqlite_store.file_of(url)
    if source_path is None:
        raise Refused("backup.not_sqlite", url=store._shown(url))
    dest = dest.expanduser()
    safefile.check_target(dest)
    if dest.exists():
        raise Refused("backup.exists", path=str(dest))
    source = store.open_reader(url, cfg)  # refuses a missing, empty or damaged file with its path
    try:
        connection = source.connection()

        def fill(tmp: Path) -> None:
            target = sqlite3.connect(tmp)
            try:
                def step(status: int, remaining: int, total: int) -> None:
                    if progress is not None and total > PAGES_PER_STEP:
                        progress(total - remaining, total)

                connection.backup(target, pages=PAGES_PER_STEP, progress=step)
            finally:
                target.close()

        safefile.write_with(dest, fill)
    finally:
        store.close_database(source)
    copy = store.open_reader(store.url_for(str(dest)), cfg)
    try:
        report = verify_open(copy)
    finally:
        store.close_database(copy)
    return dest, report
