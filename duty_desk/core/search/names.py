"""Pinyin for people and units: ``zhangsan``, ``zs`` and ``zhang s`` find
张三. A name is indexed by its full pinyin and its initials, from each of its
syllables on (``san`` finds 张三 too; ``swj`` finds 区水务局). A person's
surname is read as a surname (单 shan, 曾 zeng, 解 xie), and every other
reading of it is indexed as well, since offices differ.

pypinyin is imported on first use only: most writes (a line of the log)
name nobody, and neither the desk nor a command should pay for it at start."""

from __future__ import annotations

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


def _pinyin(text: str) -> list[list[str]]:
    """Each character's readings (lower case, no tones); a character that is no
    Chinese character is its own reading, letters and digits grouped."""
    from pypinyin import Style, lazy_pinyin

    return [[s] for s in lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: list(chars))]


@lru_cache(maxsize=4096)
def _surname_readings(ch: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin

    readings = [SURNAMES[ch]] if ch in SURNAMES else []
    for group in pinyin(ch, style=Style.NORMAL, heteronym=True):
        readings.extend(r for r in group if r not in readings)
    return tuple(readings)


def _syllables(name: str, person: bool) -> list[list[str]]:
    chars = [c for c in name if not c.isspace()]
    if not chars:
        return []
    out = []
    for group in _pinyin("".join(chars)):
        reading = "".join(ch for ch in group[0].lower() if ch.isalnum() and ch.isascii())
        if reading:
            out.append([reading])
    if person and out and "\u4e00" <= chars[0] <= "\u9fff":
        out[0] = list(_surname_readings(chars[0])) or out[0]
    return out[:MAX_SYLLABLES]


@lru_cache(maxsize=8192)
def name_tokens(name: str, person: bool = False) -> tuple[str, ...]:
    """The pinyin tokens of one name: full pinyin and initials from each
    syllable on, with every reading of a person's surname."""
    syllables = _syllables(name, person)
    if not syllables or all(len(s) == 1 and not s[0].isalpha() for s in syllables):
        return ()
    out: dict[str, None] = {}
    for start in range(len(syllables)):
        heads = syllables[start] if start == 0 else [syllables[start][0]]
        rest = [s[0] for s in syllables[start + 1:]]
        for head in heads:
            full = head + "".join(rest)
            initials = head[0] + "".join(s[0] for s in rest)
            for token in (full, initials):
                if token.isalnum() and token.isascii() and any(c.isalpha() for c in token):
                    out[token] = None
    return tuple(out)


def is_pinyin_query(text: str) -> bool:
    """A query that may be pinyin: ASCII letters, with spaces between syllables."""
    stripped = text.replace(" ", "")
    return bool(stripped) and stripped.isascii() and stripped.isalpha()
