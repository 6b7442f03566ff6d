"""The registry of record kinds: one module per kind holds its specification
(``Kind``); everything that treats kinds alike reads it from here.

Adding a kind: a module here with its ``KIND``, its entry in ``REGISTRY``, its
form and pane in the TUI, its catalog keys, and one migration (README,
Development)."""

from __future__ import annotations

from duty_desk.core.errors import InvalidInput, NotFound
from duty_desk.core.kinds import document, instruction, log, standing, urgent, visitor
from duty_desk.core.kinds.base import Kind, OpenColumns, live

# In the order the open-items list and every choice show them.
REGISTRY: dict[str, Kind] = {k.name: k for k in (log.KIND, visitor.KIND, document.KIND, instruction.KIND,
                                                 urgent.KIND, standing.KIND)}
BY_OPEN_NAME: dict[str, Kind] = {k.open_name: k for k in REGISTRY.values()}
_TYPED: dict[str, Kind] = {name: k for k in REGISTRY.values() for name in k.typed_names}

# Open-item kind -> record kind (a ``call`` is a log entry), and the open-item kinds in order.
RECORD_KINDS: dict[str, str] = {k.open_name: k.name for k in REGISTRY.values()}
OPEN_KINDS: tuple[str, ...] = tuple(RECORD_KINDS)


def record_kind(name: str) -> str:
    """The record kind for any name a user may type (``call`` -> ``log``);
    an unknown name is returned as it is, for the caller to refuse."""
    found = _TYPED.get(name)
    return found.name if found else name


def kind(name: str) -> Kind:
    """The specification of a kind, by any of its names; NotFound otherwise."""
    found = _TYPED.get(name)
    if found is None:
        raise NotFound("record.unknown_kind", kind=name)
    return found


def find(name: str) -> Kind | None:
    return _TYPED.get(name)


def typed_names(*, where=lambda k: True) -> tuple[str, ...]:
    """The names a user may type for the kinds ``where`` selects, in order."""
    return tuple(n for k in REGISTRY.values() if where(k) for n in k.typed_names)


def names(*, where=lambda k: True) -> tuple[str, ...]:
    return tuple(k.name for k in REGISTRY.values() if where(k))


def require(name: str, *, where, error: str, field: str = "kind") -> Kind:
    """The kind named, if ``where`` accepts it; else InvalidInput(``error``)
    listing the names that would do."""
    found = _TYPED.get(name)
    if found is None or not where(found):
        raise InvalidInput(error, field=field, kind=name, choices=" ".join(names(where=where)))
    return found


def summary(name: str, record, cfg) -> str:
    """One line naming a record, so the officer sees what is being acted on;
    "" for a kind the registry does not hold."""
    spec = _TYPED.get(name)
    return spec.summary(record, cfg) if spec else ""


__all__ = ["BY_OPEN_NAME", "OPEN_KINDS", "RECORD_KINDS", "REGISTRY", "Kind", "OpenColumns", "find", "kind", "summary",
           "live", "names", "record_kind", "require", "typed_names"]
