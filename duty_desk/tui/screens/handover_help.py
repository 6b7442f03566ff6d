"""F1 and the palette (Ctrl+P) on the handover screen: what it is for and
its own keys, each with the key that does it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from duty_desk.core.i18n import t
from duty_desk.tui.commands import ListedCommands
from duty_desk.tui.help import HelpScreen, help_text_for
from duty_desk.tui.widgets.sheet import wrapped


class HandoverHelp(HelpScreen):
    """F1 on the handover screen: what it is for, and its own keys."""

    def __init__(self, screen: Any) -> None:  # the HandoverScreen
        super().__init__(screen)
        self.rows = screen.key_rows()

    def compose(self) -> ComposeResult:
        title, body = help_text_for(self.target)
        with VerticalScroll(id="help-box") as box:
            box.border_title = title
            box.border_subtitle = t("tui.help.close")
            yield Static(wrapped(body), id="help-body")
            yield Static(Text(t("tui.handover.help.keys"), style="bold"), id="help-keys-title")
            width = max((cell_len(k) for k, _ in self.rows), default=0) + 2
            keys = Text()
            for key, label in self.rows:
                keys.append(key + " " * (width - cell_len(key)), style="bold")
                keys.append(label + "\n")
            yield Static(keys, id="help-keys")


class HandoverCommands(ListedCommands):
    """The palette (ctrl+p) offers the handover screen's actions that apply now."""

    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        screen = self.screen
        commands = getattr(screen, "palette_commands", None)  # the HandoverScreen's
        return commands() if callable(commands) else []
