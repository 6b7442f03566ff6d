"""Text as the search index sees it: Chinese has no spaces, so every
character of a run of letters and digits is a unit, and a record is indexed by
its units (unigrams) and pairs of neighbouring units (bigrams). A query of one
character looks for its unigram; a longer one for all its bigrams, and the
match is then checked as a substring of the record's text (the index keeps no
positions), so a query of any length finds exactly the records containing it.

Normalising: full-width forms fold to half-width (NFKC), letters to lower
case, and every kind of square bracket (〔〕 [] ［］ 【】 ﹝﹞) to 〔〕, so
``[2026]7号`` finds ``〔2026〕7号``. Normalising is per character, so a
position in normalised text is a position in the original (highlighting).

A token is written in ASCII (base 36 of the code point): whatever engine holds
the index splits it only at spaces, and no Unicode table of the engine decides
what a "letter" is.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

OPEN, CLOSE = "〔", "〕"
_BRACKETS = {c: OPEN for c in "[［【﹝〖"} | {c: CLOSE for c in "]］】﹞〗"}
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
# Raise when what the index holds of a record changes (the tokens of text
# here, of names in names.py, the tags in docs.py): a store whose index was
# built by another version has it rebuilt when it is next opened for writing.
# 2: one and two initials of a name are tokens; every reading of a character.
TOKENS_VERSION = 2


@lru_cache(maxsize=8192)
def _fold(ch: str) -> str:
    if ch in _BRACKETS:
        return _BRACKETS[ch]
    folded = unicodedata.normalize("NFKC", ch).lower()
    if len(folded) != 1:
        # A character that folds into several (㈱ -> (株)) stays itself, so
        # positions keep matching the original text one to one.
        return ch.lower() if len(ch.lower()) == 1 else ch
    return _BRACKETS.get(folded, folded)


def normalize(text: str) -> str:
    """The text as it is indexed and matched, one character for one."""
    if text.isascii():
        out = text.lower()
        return out.translate(_ASCII_BRACKETS) if ("[" in out or "]" in out) else out
    return "".join(_fold(ch) for ch in text)


_ASCII_BRACKETS = str.maketrans({"[": OPEN, "]": CLOSE})


def is_unit(ch: str) -> bool:
    """A character that is part of a run: letters of every script, digits,
    and the 〔〕 of a document number."""
    return ch.isalnum() or ch == OPEN or ch == CLOSE


# What is_unit says, for a whole text at once (\w is isalnum() or "_").
_RUN = re.compile(f"(?:[^\\W_]|[{OPEN}{CLOSE}])+")


def runs(text: str) -> list[str]:
    """The runs of units in normalised text (punctuation and spaces split them)."""
    return _RUN.findall(text)


_CODES: dict[str, str] = {}


def _code(ch: str) -> str:
    found = _CODES.get(ch)
    if found is None:
        n = ord(ch)
        out = []
        for _ in range(4):
            n, r = divmod(n, 36)
            out.append(_DIGITS[r])
        found = _CODES[ch] = "".join(reversed(out))
    return found


def unigram(ch: str) -> str:
    return "u" + _code(ch)


def bigram(a: str, b: str) -> str:
    return "v" + _code(a) + _code(b)


def body_tokens(text: str) -> str:
    """The index's body column for normalised text: each distinct unigram and
    bigram once, in order of first appearance (the index keeps no positions)."""
    seen: dict[str, None] = {}
    codes = _CODES
    for run in _RUN.findall(text):
        prev = None
        for ch in run:
            code = codes.get(ch) or _code(ch)
            seen["u" + code] = None
            if prev is not None:
                seen["v" + prev + code] = None
            prev = code
    return " ".join(seen)


def query_tokens(word: str) -> list[str]:
    """The tokens every record containing the normalised ``word`` has: its
    single unit's unigram, or the bigrams of each of its runs."""
    out: dict[str, None] = {}
    for run in runs(word):
        if len(run) == 1:
            out[unigram(run)] = None
        for a, b in zip(run, run[1:], strict=False):
            out[bigram(a, b)] = None
    return list(out)


def hex_tag(prefix: str, value: str) -> str:
    """A filter tag (officer, category) as one ASCII token."""
    return prefix + value.encode("utf-8").hex()


def spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where the normalised ``words`` occur in ``text`` (original), as merged
    (start, end) character ranges."""
    norm = normalize(text)
    found: list[tuple[int, int]] = []
    for word in words:
        if not word:
            continue
        at = norm.find(word)
        while at >= 0:
            found.append((at, at + len(word)))
            at = norm.find(word, at + 1)
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
