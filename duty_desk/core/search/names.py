"""Pinyin for people and units: ``zhangsan``, ``zs`` and ``zhang s`` find
张三. A name is indexed by its full pinyin and its initials, from each of its
syllables on (``san`` finds 张三 too; ``swj`` finds 区水务局). A character
with several readings is indexed by each (银行: yinhang and yinxing), so the
officer finds it however they read it; a person's surname is read first as a
surname (单 shan, 曾 zeng, 解 xie).

The readings are pypinyin's dictionary of characters, read on first use from
that one module: the package itself would also load its dictionary of phrases
(about 57 MB, where the characters take 12 MB), which search does without by
indexing every reading."""

from __future__ import annotations

import importlib.util
import itertools
import os
import unicodedata
from functools import lru_cache

# Surnames whose everyday reading is not the first one pypinyin gives.
SURNAMES = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "朴": "piao", "区": "ou", "查": "zha", "盖": "ge",
    "覃": "qin", "缪": "miao", "翟": "zhai", "秘": "bi", "种": "chong", "乐": "yue", "召": "shao",
    "尉": "yu", "宁": "ning", "纪": "ji", "任": "ren", "华": "hua", "燕": "yan", "员": "yun", "句": "gou",
    "万": "wan", "沈": "shen", "贾": "jia", "薛": "xue", "柏": "bai", "繁": "po", "朝": "chao",
    "长": "chang", "重": "chong", "折": "she", "曲": "qu", "藏": "zang", "洗": "xian", "冼": "xian",
}
# Longest syllable suffixes indexed per name (a long unit name stays bounded).
MAX_SYLLABLES = 12


# A name's readings indexed at most: a long unit name of many polyphonic
# characters stays bounded (the first readings come first).
MAX_READINGS = 16


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    """pypinyin's readings of each character: code point -> "zhāng,zhǎng"."""
    spec = importlib.util.find_spec("pypinyin")
    path = os.path.join(list(spec.submodule_search_locations or [""])[0], "pinyin_dict.py") if spec else ""
    if path and os.path.isfile(path):
        loaded = importlib.util.spec_from_file_location("duty_desk_pinyin_dict", path)
        if loaded is not None and loaded.loader is not None:
            module = importlib.util.module_from_spec(loaded)
            loaded.loader.exec_module(module)
            return module.pinyin_dict
    from pypinyin.pinyin_dict import pinyin_dict  # another layout: the whole package

    return pinyin_dict


def _plain(reading: str) -> str:
    """A reading without its tone: zhǎng -> zhang, lǜ -> lv."""
    reading = reading.replace("ü", "v").replace("ǖ", "v").replace("ǘ", "v").replace("ǚ", "v").replace("ǜ", "v")
    return "".join(c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=8192)
def readings(ch: str) -> tuple[str, ...]:
    """Every reading of one Chinese character, the commonest first; () for any other."""
    found = _table().get(ord(ch))
    if not found:
        return ()
    return tuple(dict.fromkeys(_plain(r) for r in found.split(",") if r))


def _syllables(name: str, person: bool) -> list[tuple[str, ...]]:
    """Each character's readings; letters and digits in a row are one syllable."""
    out: list[tuple[str, ...]] = []
    run = ""
    for ch in name:
        found = readings(ch)
        if found:
            if run:
                out.append((run.lower(),))
                run = ""
            out.append(found)
        elif ch.isascii() and ch.isalnum():
            run += ch
        elif run:
            out.append((run.lower(),))
            run = ""
    if run:
        out.append((run.lower(),))
    if person and out and _table().get(ord(name.strip()[:1] or " ")):
        first = name.strip()[0]
        if first in SURNAMES:
            out[0] = tuple(dict.fromkeys((SURNAMES[first], *out[0])))
    return out[:MAX_SYLLABLES]


@lru_cache(maxsize=8192)
def name_tokens(name: str, person: bool = False) -> tuple[str, ...]:
    """The pinyin tokens of one name: full pinyin and initials from each
    syllable on, for each reading (at most MAX_READINGS of them)."""
    syllables = _syllables(name, person)
    if not any(any(c.isalpha() for c in s[0]) for s in syllables):
        return ()
    out: dict[str, None] = {}
    for start in range(len(syllables)):
        for combo in itertools.islice(itertools.product(*syllables[start:]), MAX_READINGS):
            full = "".join(combo)
            initials = "".join(r[0] for r in combo)
            # A query of one or two letters is looked up as it is (a prefix
            # query of so few letters would gather most of the index), so
            # the first one and two initials are tokens too.
            for token in (full, initials, *(initials[:n] for n in range(1, EXACT_UP_TO + 1))):
                if token.isascii() and token.isalnum() and any(c.isalpha() for c in token):
                    out[token] = None
    return tuple(out)


# Pinyin queries this short match a token exactly; longer ones any token they begin.
EXACT_UP_TO = 2


def matches(token: str, typed: str) -> bool:
    """Whether a pinyin token answers the typed pinyin (as the index does)."""
    return token == typed if len(typed) <= EXACT_UP_TO else token.startswith(typed)


def is_pinyin_query(text: str) -> bool:
    """A query that may be pinyin: ASCII letters, with spaces between syllables."""
    stripped = text.replace(" ", "")
    return bool(stripped) and stripped.isascii() and stripped.isalpha()
