"""Key bindings whose descriptions speak the UI language."""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from duty_desk.core.i18n import t


def translate_bindings(node: DOMNode) -> None:
    """Give this node's bindings their descriptions in the UI language.

    BINDINGS are class attributes, evaluated once at import; the language is
    chosen later (and tests switch it), so descriptions hold catalog keys
    (``tui.key.*``) and are rendered per instance, on the node's own copy.
    """
    bindings = node._bindings.key_to_bindings
    for key, items in bindings.items():
        bindings[key] = [
            replace(b, description=t(b.description)) if b.description.startswith("tui.") else b
            for b in items
        ]
