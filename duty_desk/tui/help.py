"""F1: help for what has focus, and every key of the desk (as rebound)."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from duty_desk.core.i18n import t
from duty_desk.tui.actions import KEY_TABLE
from duty_desk.tui.bindings import translate_bindings

# What the key table lists, in order, comes from the one table of actions (tui.actions).


def help_text_for(widget: Widget | None) -> tuple[str, str]:
    """(title, body) of the help for a widget that carries ``help_key``."""
    key = getattr(widget, "help_key", "") or "tui.help.desk"
    return t(f"{key}.title"), t(key)


def spelled(key: str) -> str:
    """A key as the footer shows it (^o, ⏎, esc) spelled out for the help
    table and the palette: Ctrl+O, Enter, Esc."""
    if key.startswith("^") and len(key) > 1:
        return "Ctrl+" + key[1:].upper()
    return {"⏎": "Enter", "esc": "Esc", "tab": "Tab", "shift+tab": "Shift+Tab"}.get(key, key)


def key_lines(keys: dict[str, str]) -> Text:
    """The key table: one line per action, keys aligned (wide characters too)."""
    rows = [(spelled(keys.get(action, "")), t(label)) for action, label in KEY_TABLE]
    width = max(cell_len(k) for k, _ in rows) + 2
    text = Text()
    for key, label in rows:
        text.append(key, style="bold")
        text.append(" " * (width - cell_len(key)))
        text.append(label + "\n")
    return text


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar = [
        Binding("escape,f1", "close", "tui.key.close", id="close_help"),
    ]

    def __init__(self, target: Widget | None, keys: dict[str, str] | None = None) -> None:
        super().__init__(id="help")
        self.target = target
        self.keys = keys or {}
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        title, body = help_text_for(self.target)
        with VerticalScroll(id="help-box") as box:
            box.border_title = title
            box.border_subtitle = t("tui.help.close")
            yield Static(Text(body), id="help-body")
            yield Static(Text(t("tui.help.keys"), style="bold"), id="help-keys-title")
            yield Static(key_lines(self.keys), id="help-keys")

    def action_close(self) -> None:
        self.dismiss(None)
