"""Messages the desk's screens and panes exchange.

A write anywhere (entry line, form, another SSH session) ends in one
RecordsChanged; every pane that shows one of the named kinds reloads itself
from the store. Panes never learn who wrote.
"""

from __future__ import annotations

from textual.message import Message

from duty_desk.core import kinds

# Record kinds a RecordsChanged may name: every kind of the registry, and shifts and handovers.
KINDS: frozenset[str] = frozenset({*kinds.REGISTRY, "shift", "handover"})


class RecordsChanged(Message):
    """Records of these kinds changed in the store; reload what shows them."""

    def __init__(self, kinds: set[str] | frozenset[str] | None = None) -> None:
        super().__init__()
        # None/empty means "anything may have changed" (e.g. another session wrote).
        self.kinds: set[str] = set(kinds) if kinds else set(KINDS)
