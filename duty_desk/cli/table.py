"""Tables on the command line: columns aligned for Chinese text (a wide
character takes two cells), a bold header on a terminal.

A table is written directly, in the very layout Rich gives it, its widest
columns narrowed and wrapped when it is too wide for the line (built from
Rich's own line breaking; tests/test_cli_table.py compares the two); only a
cell with a line break or a control character is laid out by Rich itself.
Importing Rich's console and table costs more than a short command does all
together, so `duty-desk log` and the listings do without them.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence

from rich.cells import cell_len

# Rich's own default width when the output is no terminal.
PIPE_WIDTH = 160


def _width() -> int:
    if sys.stdout.isatty():
        import shutil

        return shutil.get_terminal_size().columns
    return PIPE_WIDTH


def styled() -> bool:
    """Rich shows bold only on a terminal that is not dumb."""
    return sys.stdout.isatty() and os.environ.get("TERM", "").lower() not in ("dumb", "unknown")


# Line breaks and control characters, which Rich shows in its own ways.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _plain_cell(text: str) -> bool:
    """A cell Rich would show as one line, character for character."""
    return _CONTROL.search(text) is None


def _column_width(lengths: list[int], max_width: int, extra: int) -> int | None:
    """Rich's width of a column of padded cells (their cell lengths) within
    ``max_width``; None where Rich would squeeze the padding itself (not laid
    out here). (Rich also measures the longest word; it never uses it here.)"""
    if max_width - extra < 1:
        return None
    return min(max(min(n, max_width) + extra if min(n, max_width) >= 1 else extra for n in lengths), max_width)


def _wrap(text: str, width: int) -> list[str]:
    """A cell's lines as Rich wraps them (words, then folding a long word)."""
    from rich._wrap import divide_line
    from rich.cells import set_cell_size

    if width < 1:
        return [""]
    if cell_len(text) <= width:
        return [text]
    cuts = [0, *divide_line(text, width, fold=True), len(text)]
    lines = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        line = text[start:end]
        if len(line) > width:  # Rich counts characters here, not cells
            trailing = len(line) - len(line.rstrip())
            line = line[:len(line) - min(trailing, len(line) - width)]
        if cell_len(line) > width:
            line = set_cell_size(line, width)
        lines.append(line)
    return lines


def layout(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> list[str] | None:
    """The lines of the table as Rich lays it out in ``width`` cells (_laid_out)."""
    found = _laid_out(headers, rows, width)
    return found[0] if found is not None else None


def _laid_out(headers: Sequence[str], rows: Sequence[Sequence[str]],
              width: int) -> tuple[list[str], int] | None:
    """The lines of the table as Rich lays it out in ``width`` cells (a table
    too wide has its widest columns narrowed and their cells wrapped), or None
    for text only Rich lays out as the user expects (line breaks, control
    characters, columns too narrow for their padding); with how many of the
    lines are the header's."""
    if not all(_plain_cell(c) for c in headers) or not all(_plain_cell(c) for r in rows for c in r):
        return None
    n = len(headers)
    pads = [(0 if i == 0 else 1, 0 if i == n - 1 else 1) for i in range(n)]
    lengths = [[cell_len(headers[i]), *(cell_len(r[i]) for r in rows)] for i in range(n)]
    widths = []
    for i in range(n):
        w = _column_width(lengths[i], width, sum(pads[i]))
        if w is None:
            return None
        widths.append(w or 1)
    if sum(widths) > width:
        widths = _narrowed(widths, width)
        again = [_column_width(lengths[i], widths[i], sum(pads[i])) for i in range(n)]
        if any(w is None for w in again):
            return None
        widths = again  # type: ignore[assignment]
        if any(w - sum(p) < 1 for w, p in zip(widths, pads, strict=True)):
            return None
    out: list[str] = []
    header_lines = 0
    for k, r in enumerate([list(headers), *rows]):
        cells = []
        for i, text in enumerate(r):
            left, right = pads[i]
            inner = min(min(lengths[i][k], widths[i]) + left + right, widths[i]) - left - right
            if lengths[i][k] <= inner:  # the usual cell: one line as it is
                cells.append([" " * left + text + " " * (widths[i] - left - lengths[i][k])])
            else:
                cells.append([" " * left + line + " " * (widths[i] - left - cell_len(line))
                              for line in _wrap(text, inner)])
        height = max(len(c) for c in cells)
        if height > 1:
            blank = [" " * w for w in widths]
            if k == 0:  # the header row sits on the body (Rich aligns it to the bottom)
                cells = [[blank[i]] * (height - len(c)) + c for i, c in enumerate(cells)]
            cells = [c + [blank[i]] * (height - len(c)) for i, c in enumerate(cells)]  # a row hangs from the top
        out.extend("".join(c[line] for c in cells) for line in range(height))
        header_lines = header_lines or len(out)
    return out, header_lines


def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """rich._ratio.ratio_reduce, here because that module imports fractions,
    which this never needs."""
    ratios = [ratio if most else 0 for ratio, most in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining, out = total, []
    for ratio, most, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            distributed = min(most, round(ratio * remaining / total_ratio))
            out.append(value - distributed)
            remaining -= distributed
            total_ratio -= ratio
        else:
            out.append(value)
    return out


def _narrowed(widths: list[int], max_width: int) -> list[int]:
    """Rich's way of fitting columns in: the widest shrink first, then all evenly."""
    total, excess = sum(widths), sum(widths) - max_width
    while total and excess > 0:
        widest = max(widths)
        second = max((w for w in widths if w != widest), default=0)
        ratios = [1 if w == widest else 0 for w in widths]
        if widest == second:
            break
        widths = _ratio_reduce(excess, ratios, [min(excess, widest - second)] * len(widths), widths)
        total, excess = sum(widths), sum(widths) - max_width
    if total > max_width:
        widths = _ratio_reduce(total - max_width, [1] * len(widths), widths, widths)
    return widths


def print_rows(columns: Sequence[str], rows: list[dict[str, str]], headers: dict[str, str]) -> None:
    """A plain table of ``rows`` (column -> text) under ``headers``; one line
    saying there is nothing when there are no rows."""
    if not rows:
        from duty_desk.core.i18n import t

        sys.stdout.write(t("cli.none") + "\n")
        return
    heads = [headers.get(c, c) for c in columns]
    body = [[r.get(c, "") for c in columns] for r in rows]
    found = _laid_out(heads, body, _width())
    if found is None:
        _print_with_rich(heads, body)
        return
    lines, header_lines = found
    if styled():
        for i in range(header_lines):
            lines[i] = f"\x1b[1m{lines[i]}\x1b[0m"
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
