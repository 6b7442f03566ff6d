"""A screen's own keys, as rebound by the user's keymap, for the palette
(Ctrl+P) and F1: a screen over the desk (the month view, the swap list)
offers every binding it has an id and a name for, and the palette offers
only what the screen allows now (its check_action)."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from duty_desk.core.i18n import t
from duty_desk.tui.commands import ListedCommands
from duty_desk.tui.help import HelpScreen, help_text_for, key_lines, spelled


def own_keys(screen: Screen) -> list[tuple[str, str, str]]:
    """(action, key as shown, long name) of each named binding of the screen,
    once per id. A screen names its bindings' long names in LONG_NAMES."""
    keymap: dict[str, str] = getattr(screen.app, "keymap", {})
    names: dict[str, str] = getattr(screen, "LONG_NAMES", {})
    out: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for _key, binding in screen._bindings:
        if not binding.id or binding.id in seen or binding.id not in names:
            continue
        seen.add(binding.id)
        key = keymap.get(binding.id, binding.key).split(",")[0].strip()
        out.append((binding.action, screen.app.get_key_display(replace(binding, key=key)), t(names[binding.id])))
    return out


class ScreenCommands(ListedCommands):
    """The palette over a screen: its own actions, with their keys."""

    def _commands(self) -> list[tuple[str, Any, str]]:
        screen = self.screen
        out = []
        for action, key, name in own_keys(screen):
            bare, _, _args = action.partition("(")
            if screen.check_action(bare, ()) is False:
                continue
            out.append((name, partial(screen.run_action, action), t("tui.palette.key", key=spelled(key))))
        return out


class ScreenHelp(HelpScreen):
    """F1 over a screen: its help, its own keys, then the desk's."""

    def __init__(self, target: Screen, keys: dict[str, str] | None = None) -> None:
        super().__init__(target, keys)
        self.own = own_keys(target)

    def compose(self) -> ComposeResult:
        title, body = help_text_for(self.target)
        rows = [(spelled(key), name) for _action, key, name in self.own]
        width = max((cell_len(k) for k, _ in rows), default=0) + 2
        own = Text()
        for key, name in rows:
            own.append(key, style="bold")
            own.append(" " * (width - cell_len(key)))
            own.append(name + "\n")
        with VerticalScroll(id="help-box") as box:
            box.border_title = title
            box.border_subtitle = t("tui.help.close")
            yield Static(Text(body), id="help-body")
            yield Static(Text(t("tui.help.own_keys"), style="bold"), classes="help-own-title")
            yield Static(own, id="help-own-keys")
            yield Static(Text(t("tui.help.keys"), style="bold"), id="help-keys-title")
            yield Static(key_lines(self.keys), id="help-keys")
