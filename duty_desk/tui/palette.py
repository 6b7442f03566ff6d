"""The palette (Ctrl+P): every action of the desk (tui.actions), with its key."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from duty_desk.core.i18n import t
from duty_desk.tui.actions import PALETTE
from duty_desk.tui.commands import ListedCommands
from duty_desk.tui.desk_screen import DeskScreen
from duty_desk.tui.help import spelled

__all__ = ["PALETTE", "DeskCommands"]


class DeskCommands(ListedCommands):
    """The palette (ctrl+p) offers every action of the desk, with its key."""

    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        screen = self.screen
        if not isinstance(screen, DeskScreen):
            return []
        keys = screen.keys_by_id()
        out = []
        for action, label_key in PALETTE:
            key = keys.get(action, "")
            help_text = t("tui.palette.key", key=spelled(key)) if key else ""
            out.append((t(label_key), partial(screen.run_action, action), help_text))
        return out
