"""The one small family of errors the core raises for the user.

Each carries a catalog key and its parameters; ``message`` renders it in the
UI language at the moment it is shown.
"""

from __future__ import annotations

from typing import Any

from duty_desk.core.i18n import t


class DeskError(Exception):
    """Something the user can correct or must be told; never a bug."""

    def __init__(self, key: str, field: str | None = None, **params: Any):
        self.key = key
        self.field = field
        self.params = params
        super().__init__(key)

    @property
    def message(self) -> str:
        # What the user typed comes back inside the message: on one line, its
        # control characters visible, a long value shortened. A file's path is
        # never shortened: the officer must be able to find the file.
        params = {k: _one_line(v, None if k in _WHOLE else 80) if isinstance(v, str) else v
                  for k, v in self.params.items()}
        # Parameters that are codes (record kind, document step and state) are
        # kept as codes in the audit trail and shown by their label here.
        for name, prefix in _LABELLED.items():
            if name in params:
                code = str(params[name])
                label = t(f"{prefix}{code}")
                params[name] = label if label != f"{prefix}{code}" else code
        return t(self.key, **params)

    def __str__(self) -> str:
        return self.message


def _one_line(value: str, limit: int | None = 80) -> str:
    from duty_desk.core.sanitize import shown

    text = shown(value)
    return text if limit is None or len(text) <= limit else text[:limit - 1] + "…"


# Parameters shown whole however long (paths and database URLs).
_WHOLE = ("path", "url")


_LABELLED = {"field_name": "field.", "kind": "kind.", "step": "doc.step.", "state": "state.document."}


class InvalidInput(DeskError):
    """The input is wrong (empty, malformed, out of range)."""


class NotFound(DeskError):
    """No such record."""


class Refused(DeskError):
    """The input is well-formed but a rule forbids it (locked, out of order, twice)."""


class NotAnOfficer(DeskError):
    """The login is not on the officer list."""
