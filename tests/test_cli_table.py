"""The command line's tables: written directly when they fit, in exactly the
layout Rich gives them (Rich is only imported for a table that must wrap)."""

from __future__ import annotations

import io
import os
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table
from rich.text import Text

from duty_desk.cli import table

# Text as records hold it: Chinese, ASCII, digits, punctuation, spaces, emoji.
CELL = st.text(alphabet=st.sampled_from(list("值班日志市应急管理局来电 abcXYZ019-:：，。（）#!/[]") + ["😀", "é"]),
               max_size=30)
LONG = st.text(alphabet=st.sampled_from(list("值班日志市应急管理局来电报告：人民路与解放路交叉口发生积水 ，abc-0123")), max_size=90)


def rich_lines(headers: list[str], rows: list[list[str]], width: int) -> str:
    out = io.StringIO()
    console = Console(file=out, highlight=False, soft_wrap=False, width=width, color_system=None)
    t = Table(box=None, show_edge=False, pad_edge=False, header_style="bold")
    for h in headers:
        t.add_column(Text(h), overflow="fold")
    for r in rows:
        t.add_row(*(Text(c) for c in r))
    console.print(t)
    return out.getvalue()


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=1, max_value=11).flatmap(lambda n: st.tuples(
    st.lists(CELL.filter(bool), min_size=n, max_size=n),
    st.lists(st.lists(CELL, min_size=n, max_size=n), min_size=1, max_size=6))),
    st.sampled_from([20, 40, 80, 160]))
def test_a_table_is_laid_out_as_rich_lays_it_out(table_, width):
    """Fitting the line or narrowed and wrapped to fit it, the same lines."""
    headers, rows = table_
    lines = table.layout(headers, rows, width)
    if lines is not None:
        assert "\n".join(lines) + "\n" == rich_lines(headers, rows, width)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(LONG, min_size=11, max_size=11), min_size=1, max_size=4))
def test_the_open_items_table_is_wrapped_as_rich_wraps_it(rows):
    """Eleven columns of long titles and actions at 160 cells, as `show open`."""
    headers = ["编号", "类别", "标题", "责任人", "收到时间", "已历时", "时限", "剩余", "超期", "下一步", "催办"]
    lines = table.layout(headers, rows, 160)
    assert lines is not None
    assert "\n".join(lines) + "\n" == rich_lines(headers, rows, 160)


def test_a_table_too_wide_for_the_line_is_wrapped_as_rich_wraps_it(capsys):
    wide = "市应急管理局来电询问值守情况，已按预案答复。" * 10
    table.print_rows(("id", "content"), [{"id": "1", "content": wide}], {"id": "编号", "content": "内容"})
    out = capsys.readouterr().out
    assert out == rich_lines(["编号", "内容"], [["1", wide]], 160)
    assert all(len(line) <= 160 for line in out.splitlines()) and len(out.splitlines()) > 2


def test_a_cell_with_a_line_break_is_left_to_rich():
    assert table.layout(["内容"], [["第一行\n第二行"]], 160) is None


def test_no_rows_is_one_line_saying_so(capsys):
    table.print_rows(("id",), [], {"id": "编号"})
    assert capsys.readouterr().out == "（无）\n"


def test_rich_is_not_imported_for_a_table_that_fits():
    code = ("import sys\nfrom duty_desk.cli import table\n"
            "table.print_rows(('id', 'content'), [{'id': '1', 'content': '来电'}], {'id': '编号', 'content': '内容'})\n"
            "print(sorted(m for m in sys.modules if m in ('rich.table', 'rich.console')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.stdout == "编号  内容\n1     来电\n[]\n", done.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_header_is_bold_and_the_table_fits_its_width(monkeypatch):
    out = _Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("COLUMNS", "30")  # what shutil.get_terminal_size reads first
    table.print_rows(("id", "content"), [{"id": "1", "content": "市应急管理局来电询问值守情况，已按预案答复。"}],
                     {"id": "编号", "content": "内容"})
    lines = out.getvalue().splitlines()
    assert lines[0] == "\x1b[1m编号  内容" + " " * 20 + "\x1b[0m"  # 30 cells in all
    assert all(len(line) <= 30 for line in lines[1:]) and len(lines) == 3


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 200), st.integers(0, 200)), min_size=1, max_size=12),
       st.integers(0, 400))
def test_the_column_narrowing_shares_out_as_rich_does(slots, total):
    from rich._ratio import ratio_reduce

    ratios, maximums, values = (list(x) for x in zip(*slots, strict=True))
    assert table._ratio_reduce(total, ratios, maximums, values) == ratio_reduce(total, ratios, maximums, values)
