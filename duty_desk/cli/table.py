"""Tables on the command line: columns aligned for Chinese text (a wide
character takes two cells), a bold header on a terminal.

A table that fits the line is written directly, in the very layout Rich gives
it (tests/test_cli_table.py compares the two); only a table that must wrap
its cells, or a cell with a line break or a control character, is laid out by
Rich. Importing Rich's console and table costs more than a short command does
all together, so `duty-desk log` and the listings seldom pay for it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from rich.cells import cell_len

# Rich's own default width when the output is no terminal.
PIPE_WIDTH = 160
GAP = "  "  # one cell of padding on each side of a column edge, none at the table's edges


def _width() -> int:
    if sys.stdout.isatty():
        import shutil

        return shutil.get_terminal_size().columns
    return PIPE_WIDTH


def _styled() -> bool:
    """Rich shows bold only on a terminal that is not dumb."""
    return sys.stdout.isatty() and os.environ.get("TERM", "").lower() not in ("dumb", "unknown")


def _plain_cell(text: str) -> bool:
    """A cell Rich would show as one line, character for character."""
    return not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in text)


def layout(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> list[str] | None:
    """The lines of the table, or None when it does not fit in ``width`` cells
    (or holds text only Rich lays out as the user expects)."""
    if not all(_plain_cell(c) for c in headers) or not all(_plain_cell(c) for r in rows for c in r):
        return None
    widths = [cell_len(h) for h in headers]
    for r in rows:
        widths = [max(w, cell_len(c)) for w, c in zip(widths, r, strict=True)]
    if sum(widths) + len(GAP) * (len(widths) - 1) > width:
        return None
    return [GAP.join(c + " " * (w - cell_len(c)) for c, w in zip(r, widths, strict=True))
            for r in [list(headers), *rows]]


def print_rows(columns: Sequence[str], rows: list[dict[str, str]], headers: dict[str, str]) -> None:
    """A plain table of ``rows`` (column -> text) under ``headers``; one line
    saying there is nothing when there are no rows."""
    if not rows:
        from duty_desk.core.i18n import t

        sys.stdout.write(t("cli.none") + "\n")
        return
    heads = [headers.get(c, c) for c in columns]
    body = [[r.get(c, "") for c in columns] for r in rows]
    lines = layout(heads, body, _width())
    if lines is None:
        _print_with_rich(heads, body)
        return
    if _styled():
        lines[0] = f"\x1b[1m{lines[0]}\x1b[0m"
    sys.stdout.write("\n".join(lines) + "\n")


def _print_with_rich(heads: list[str], body: list[list[str]]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else PIPE_WIDTH)
    table = Table(box=None, show_edge=False, pad_edge=False, header_style="bold")
    for h in heads:
        table.add_column(h, overflow="fold")
    for r in body:
        table.add_row(*(Text(c) for c in r))
    console.print(table)
