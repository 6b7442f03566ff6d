"""Everything read from the store or the config made safe to show, in one
pass over the plain data a view was built from (``sanitize.shown`` on every
string in it), so no stored escape sequence reaches anyone's terminal
whichever part of the view draws it."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from duty_desk.core.sanitize import shown

T = TypeVar("T")


def shown_all(value: T) -> T:
    """``value`` with every string inside it (dataclass fields, lists, tuples,
    dict values) passed through ``shown``; line breaks are kept."""
    return _walk(value)  # type: ignore[no-any-return]


def _walk(value: Any) -> Any:
    if isinstance(value, str):
        return shown(value, keep_newlines=True)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _walk(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        copy = dataclasses.replace(value, **changes)
        for f in dataclasses.fields(value):
            if not f.init:
                setattr(copy, f.name, _walk(getattr(value, f.name)))
        return copy
    if isinstance(value, list):
        return [_walk(v) for v in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_walk(v) for v in value)
    if isinstance(value, dict):
        return {k: _walk(v) for k, v in value.items()}
    if isinstance(value, set):
        return {_walk(v) for v in value}
    return value


def store_failure(exc: BaseException, db: Any, key: str = "tui.store_error") -> str:
    """One line for a store call that failed, the same everywhere in the desk:
    a full disk, a read-only or a damaged file named with its path
    (db.describe_fault, as the command line says it); anything else under
    ``key`` with the error shown safely."""
    from peewee import SqliteDatabase

    from duty_desk.core import db as store
    from duty_desk.core.i18n import t

    url = f"sqlite:///{db.database}" if isinstance(db, SqliteDatabase) else ""
    try:
        fault = store.describe_fault(exc, url)
    except Exception:  # looking at the disk failed too: say the error itself
        fault = None
    if fault is not None:
        return shown(fault)
    return t(key, error=shown(f"{type(exc).__name__}: {exc}"))
