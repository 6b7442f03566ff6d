"""Rules every part of the desk applies the same way, each in one place:
when an item is overdue, Chinese numerals, the names of timeline events and
of record fields, and where Chinese text may break across lines."""

from __future__ import annotations

from datetime import datetime

from rich.cells import cell_len

from duty_desk.core.i18n import known, language, t


def is_overdue(due_at: datetime | None, now: datetime) -> bool:
    """Past its due time. An item due exactly now is due, not yet overdue: the
    time has come but not passed (the open-items query says ``due < now``)."""
    return due_at is not None and due_at < now


_CN_DIGITS = "零一二三四五六七八九"
_CN_UNITS = ((1000, "千"), (100, "百"), (10, "十"))


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一, 100 -> 一百, 105 -> 一百零五,
    110 -> 一百一十 (as in 续报一百一十); 10000 and up in digits."""
    if n < 0 or n >= 10000:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:  # 十, 十二: no leading 一
        return "十" + (_CN_DIGITS[n - 10] if n > 10 else "")
    out, zero = "", False
    for value, unit in _CN_UNITS:
        digit, n = divmod(n, value)
        if digit:
            if zero:
                out += "零"
            out += _CN_DIGITS[digit] + unit
            zero = False
        elif out:
            zero = True
    if n:
        out += ("零" if zero else "") + _CN_DIGITS[n]
    return out


def event_label(kind: str, seq: int = 0) -> str:
    """An urgent item's timeline event: 首报, 续报二, 终报 … (follow-ups are
    numbered in Chinese numerals in Chinese, in digits in English)."""
    if kind == "followup" and seq:
        return t("event.followup_n", n=chinese_number(seq) if language() == "zh" else seq)
    return t(f"event.{kind}")


# Where a field's name is looked up, first to last, by where it is shown: a
# form (and the detail screen) may name a field its own way per kind (a
# document's received_at is 收文时间), the history has its own words, the
# handover sheet its own.
_FIELD_KEYS = {
    "form": ("tui.form.label.{kind}.{name}", "tui.form.label.{name}", "col.{name}", "field.{name}"),
    "history": ("hist.field.{kind}.{name}", "hist.field.{name}", "col.{name}", "field.{name}"),
    "sheet": ("handover.field_name.{name}", "field.{name}", "col.{name}"),
}


def field_label(name: str, kind: str = "", where: str = "form") -> str:
    """A record field's name in the UI language; the name itself if none."""
    for pattern in _FIELD_KEYS[where]:
        key = pattern.format(kind=kind, name=name)
        if known(key):
            return t(key)
    return name


# --- Chinese line breaking ------------------------------------------------------

# Never at the start of a line (closing punctuation) / never at its end (opening).
NO_LINE_START = set("，。、；：！？）》」』】〕,.;:!?)]%")
NO_LINE_END = set("（《「『【〔([")


def can_break(before: str, after: str) -> bool:
    """Whether a line may break between two characters: after a space or
    beside a wide (CJK) character, never before closing punctuation nor
    after opening punctuation."""
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    return before == " " or cell_len(before) == 2 or cell_len(after) == 2


def cjk_breaks(line: str, width: int) -> list[int]:
    """Where to break ``line`` so each piece fits ``width`` cells: between
    wide characters or after a space, never before closing punctuation. A
    run with no break in it longer than the line is cut where it must be."""
    offsets: list[int] = []
    start, used, last = 0, 0, 0
    for i, ch in enumerate(line):
        if i > start and can_break(line[i - 1], ch):
            last = i
        size = cell_len(ch)
        if used + size > width and i > start:
            cut = last if last > start else i
            offsets.append(cut)
            start, used, last = cut, cell_len(line[cut:i]), cut
        used += size
    return offsets
