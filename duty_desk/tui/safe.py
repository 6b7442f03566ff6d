"""A store failure said in one line, the same everywhere in the desk.
(A whole view is made safe to show by core.sanitize.shown_all.)"""

from __future__ import annotations

from typing import Any

from duty_desk.core import db as store
from duty_desk.core.i18n import t
from duty_desk.core.sanitize import shown, shown_all

__all__ = ["shown_all", "store_failure"]


def store_failure(exc: BaseException, db: Any, key: str = "tui.store_error") -> str:
    """One line for a store call that failed, the same everywhere in the desk:
    a full disk, a read-only or a damaged file named with its path
    (db.describe_fault, as the command line says it); anything else under
    ``key`` with the error shown safely."""
    fault = store.describe_database_fault(exc, db)
    if fault is not None:
        return shown(fault)
    return t(key, error=shown(f"{type(exc).__name__}: {exc}"))
