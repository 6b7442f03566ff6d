"""发文字号: issuer code, the year in full inside 〔〕, the sequence number, 号.

GB/T 9704-2012 7.2.4: 年份应标全称，用六角括号“〔〕”括入；发文顺序号不加“第”字，
不编虚位（即 1 不编为 01），在阿拉伯数字后加“号”字.
"""

from __future__ import annotations

import re

from duty_desk.core.errors import InvalidInput

_VALID = re.compile(r"^(?P<issuer>[^\s〔〕\[\]()（）]+)〔(?P<year>\d{4})〕(?P<seq>[1-9]\d*)号$")


def validate_doc_number(text: str) -> str:
    """The 发文字号 as given if well-formed, else InvalidInput naming the fault."""
    s = text.strip()
    if _VALID.match(s):
        return s
    if re.search(r"[\[\]［］(（)）【】]\s*\d{2,4}\s*[\]］)）】]", s):
        raise InvalidInput("docno.brackets", field="doc_number")
    m = re.search(r"〔(\d*)〕", s)
    if not m:
        raise InvalidInput("docno.no_year", field="doc_number")
    if len(m.group(1)) != 4:
        raise InvalidInput("docno.year_full", field="doc_number")
    if not s[: m.start()].strip():
        raise InvalidInput("docno.no_issuer", field="doc_number")
    tail = s[m.end():]
    if tail.startswith("第"):
        raise InvalidInput("docno.no_di", field="doc_number")
    if re.match(r"^0\d*号$", tail):
        raise InvalidInput("docno.leading_zero", field="doc_number")
    raise InvalidInput("docno.sequence", field="doc_number")
