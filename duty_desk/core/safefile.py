"""Writing a file that holds records (a handover sheet, a backup) so that
only its owner (and group) can read it, a symlink planted at the target is
refused, and a reader never sees half a file: a temporary file in the same
folder, written, flushed to disk, then renamed over the target."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from duty_desk.core.errors import Refused

MODE = 0o600


def check_target(path: Path) -> None:
    """Refuse a symlink, a folder or any non-regular file at the target."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise Refused("store.file_symlink", path=str(path))
    if not stat.S_ISREG(st.st_mode):
        raise Refused("store.file_not_regular", path=str(path))


def write_with(path: str | os.PathLike, fill: Callable[[Path], None], mode: int = MODE) -> Path:
    """Create ``path`` atomically: ``fill`` writes the content into the
    temporary path it is given (a file already created with ``mode``), then
    the file is flushed to disk and renamed over the target."""
    target = Path(path)
    check_target(target)
    folder = target.parent if str(target.parent) else Path(".")
    tmp = folder / f".{target.name}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    try:
        os.fchmod(fd, mode)  # whatever the umask
    finally:
        os.close(fd)
    try:
        fill(tmp)
        fd = os.open(tmp, os.O_RDONLY | os.O_NOFOLLOW)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        check_target(target)  # planted meanwhile? rename would replace the link, not follow it
        os.replace(tmp, target)
        _sync_folder(folder)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return target


def write_text(path: str | os.PathLike, text: str, mode: int = MODE) -> Path:
    def fill(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)

    return write_with(path, fill, mode)


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
