"""The desk's default theme, and the Rich styles the panes colour rows with.

Every colour of "duty-desk" is an entry of the xterm 256-colour palette, so an
SSH session (which does not forward COLORTERM and falls back to 256 colours)
shows exactly what was designed, and the three signal colours (error, warning,
success) stay distinct when a terminal downgrades further to 16 colours.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from textual.app import App
from textual.theme import Theme

DUTY_DESK = Theme(
    name="duty-desk",
    primary="#0087af",  # xterm 31
    secondary="#5f87af",  # xterm 67
    accent="#d7af00",  # xterm 178
    warning="#ffaf00",  # xterm 214
    error="#ff5f5f",  # xterm 203
    success="#5faf5f",  # xterm 71
    foreground="#dadada",  # xterm 253 (rich rounds it to 252)
    background="#1c1c1c",  # xterm 234
    surface="#262626",  # xterm 235
    panel="#303030",  # xterm 236
    dark=True,
    variables={
        "footer-key-foreground": "#ffd75f",  # xterm 221
        "block-cursor-background": "#005f87",  # xterm 24
        "block-cursor-foreground": "#ffffff",
        "block-cursor-text-style": "bold",
    },
)


@dataclass(frozen=True)
class RowStyles:
    """Styles for whole rows, taken from the running theme."""

    overdue: Style
    warn: Style
    open: Style
    void: Style
    quiet: Style
    plain: Style


def row_styles(app: App) -> RowStyles:
    theme = app.current_theme
    error = theme.error or "red"
    warning = theme.warning or "yellow"
    accent = theme.accent or warning
    return RowStyles(
        overdue=Style(color=error, bold=True),
        warn=Style(color=warning, bold=True),
        open=Style(color=accent),
        void=Style(dim=True, strike=True),
        quiet=Style(dim=True),
        plain=Style(),
    )
