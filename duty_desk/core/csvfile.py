"""The CSV files offices edit in Excel or WPS, read and written one way for
every part that has them (the roster, the contact book): the encodings Excel
saves in, the delimiters, a header in either language, every data row
numbered as a spreadsheet numbers it, cells Excel would run as formulas, and
a refusal that names every bad line. Each part gives its own column words
and its own messages (``prefix``: ``{prefix}.bad_line``, ``{prefix}.line`` …)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from duty_desk.core.errors import DeskError, InvalidInput
from duty_desk.core.i18n import t

# A cell Excel would run as a formula; an export writes it behind an apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Problems listed one by one; more are counted, not listed.
MAX_LISTED = 20
# Excel opens a .csv in the system's ANSI code page (GBK on Chinese Windows)
# unless the file starts with a UTF-8 byte order mark: with it, Chinese reads
# correctly; without it, it is mojibake.
BOM = "\ufeff"

# (line as a spreadsheet counts it, column header or "", the error)
Problem = tuple[int, str, DeskError]


class ImportRefused(InvalidInput):
    """An import file with bad lines: every one of them, each with its reason.
    Nothing of the file was written."""

    def __init__(self, problems: list[Problem], prefix: str = "roster_files"):
        self.problems = problems
        self.prefix = prefix
        line, _column, _err = problems[0]
        super().__init__(f"{prefix}.bad_line", field="file", line=line, count=len(problems))

    def lines(self) -> list[str]:
        """One message per bad line (the first MAX_LISTED, then how many more)."""
        p = self.prefix
        out = [t(f"{p}.line_column" if column else f"{p}.line", line=line, column=column, reason=err.message)
               for line, column, err in self.problems[:MAX_LISTED]]
        if len(self.problems) > MAX_LISTED:
            out.append(t(f"{p}.more_lines", count=len(self.problems) - MAX_LISTED))
        return out

    @property
    def message(self) -> str:
        return "\n".join(self.lines())


def excel_cell(text: str) -> str:
    """A cell as an export writes it: behind an apostrophe when Excel would run it."""
    return "'" + text if text.startswith(FORMULA_START) else text


def plain_cell(text: str) -> str:
    """A cell as an import reads it: the apostrophe an export put before it dropped."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def decode(data: bytes, prefix: str) -> str:
    """UTF-8 (with or without the BOM Excel writes for "CSV UTF-8"), UTF-16
    (Excel's "Unicode text"), else GB18030, a superset of the GBK that Excel
    on Chinese Windows saves a plain CSV in."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused([(1, "", InvalidInput(f"{prefix}.encoding"))], prefix)


def delimiter(first_line: str) -> str:
    # Excel's "Unicode text" is tab-separated; some locales save with ";".
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def header_key(word: str, header_words: dict[str, tuple[str, ...]]) -> str | None:
    value = word.strip().strip(BOM).strip().lower()
    for key, words in header_words.items():
        if value in words:
            return key
    return None


@dataclass
class Row:
    line: int
    cells: dict[str, str]


def read_rows(text: str, header_words: dict[str, tuple[str, ...]], prefix: str,
              header_problems: Callable[[list[str | None], int], list[Problem]] | None = None,
              ) -> tuple[list[str | None], list[Row], list[Problem]]:
    """The header's column keys and the data rows, numbered as a spreadsheet
    numbers them (a quoted cell holding a line break is still one row), and
    the rows' own problems (a row of the wrong width). A header that cannot
    be read (unknown or doubled columns, or what ``header_problems`` finds
    wrong with the keys) is refused at once."""
    first_line = text.lstrip(BOM).split("\n", 1)[0]
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(first_line)))
    except csv.Error as err:
        raise ImportRefused([(1, "", InvalidInput(f"{prefix}.not_csv", reason=str(err)))], prefix) from None
    numbered = [(i + 1, r) for i, r in enumerate(records) if any(c.strip() for c in r)]
    if not numbered:
        raise ImportRefused([(1, "", InvalidInput(f"{prefix}.empty"))], prefix)
    header_line, header = numbered[0]
    keys = [header_key(h, header_words) for h in header]
    problems: list[Problem] = []
    for h, k in zip(header, keys, strict=True):
        if k is None and h.strip():
            problems.append((header_line, "", InvalidInput(f"{prefix}.unknown_column", column=h.strip())))
    for k in sorted(set(keys) - {None}, key=str):
        if keys.count(k) > 1:
            problems.append((header_line, "", InvalidInput(f"{prefix}.column_twice", column=t(f"{prefix}.col.{k}"))))
    if header_problems is not None:
        problems.extend(header_problems(keys, header_line))
    if problems:
        raise ImportRefused(problems, prefix)
    rows = []
    width = len(header)
    for line, record in numbered[1:]:
        extra = record[width:]
        if len(record) < width or any(c.strip() for c in extra):
            # Excel pads a row with empty cells; anything else is a row shifted by a stray comma.
            problems.append((line, "", InvalidInput(f"{prefix}.columns", found=len(record), expected=width)))
            continue
        rows.append(Row(line, {k: record[i] for i, k in enumerate(keys) if k is not None}))
    return keys, rows, problems


def write_rows(header: list[str], rows: list[list[str]]) -> str:
    """A CSV Excel opens as it is: the BOM first, CRLF line ends (the csv
    module's default, what Excel writes itself), formula-like cells escaped."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([excel_cell(c) for c in row])
    return out.getvalue()
