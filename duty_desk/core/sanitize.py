"""Clean user text at the service boundary.

Terminal control and escape sequences never reach the store, so no view can be
changed by what someone typed. Markup like ``[red]`` is kept as typed: the views
render user text as ``rich.text.Text``, so it shows literally.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Any, TypeVar

# CSI, OSC, DCS/PM/APC and two-character escape sequences.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[@-Z\\-_]"  # other Fe escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)


def _is_control(ch: str) -> bool:
    cat = unicodedata.category(ch)
    # Cc: C0/C1 controls; Cf would also catch ZWJ used in text, so only the
    # bidirectional overrides, which can reorder what is shown, are removed.
    return cat == "Cc" or ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def clean_line(text: str | None) -> str:
    """One line of user text: no escapes, no controls, no line breaks, trimmed."""
    if text is None:
        return ""
    text = _ESCAPES.sub("", str(text))
    text = "".join(" " if ch in "\t\r\n" else ("" if _is_control(ch) else ch) for ch in text)
    return re.sub(r" {2,}", " ", text).strip()


def clean_text(text: str | None) -> str:
    """Multi-line user text: like clean_line but keeps line breaks."""
    if text is None:
        return ""
    text = _ESCAPES.sub("", str(text)).replace("\r\n", "\n").replace("\r", "\n")
    lines = ["".join(" " if ch == "\t" else ("" if _is_control(ch) else ch) for ch in line) for line in text.split("\n")]
    return "\n".join(line.rstrip() for line in lines).strip()


# C0 controls and DEL shown as their Unicode control pictures (␛ ␇ ␀ …), C1
# controls and bidirectional overrides as ⍰: visible evidence, never acted on.
def _picture(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\u2370"


def shown(value: object, keep_newlines: bool = False) -> str:
    """Anything about to be shown on a terminal (TUI or CLI): record text,
    names from a config file, audit payloads, messages that echo input.

    Control characters and escape sequences are made visible instead of being
    sent to the terminal, so a stored ``ESC ] 0 ; title BEL`` shows as
    ``␛]0;title␇`` and never changes anyone's terminal. Markup stays literal
    text; views that parse markup must escape it (``shown_markup``)."""
    if value is None:
        return ""
    text = str(value)
    out = []
    for ch in text:
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch == "\t":
            out.append(" ")
        elif _is_control(ch):
            out.append(_picture(ch))
        else:
            out.append(ch)
    return "".join(out)


def shown_markup(value: object, keep_newlines: bool = False) -> str:
    """``shown`` for a place that parses Rich/Textual markup (notify, Static, Label)."""
    from rich.markup import escape

    return escape(shown(value, keep_newlines))


# --- a whole view at once -------------------------------------------------------
# Everything read from the store or the config made safe to show, in one pass
# over the plain data a view was built from (``shown`` on every string in it),
# so no stored escape sequence reaches anyone's terminal whichever part of the
# view draws it.

T = TypeVar("T")


def shown_all(value: T) -> T:
    """``value`` with every string inside it (dataclass fields, lists, tuples,
    dict values) passed through ``shown``; line breaks are kept."""
    return _walk(value)  # type: ignore[no-any-return]


def _walk(value: Any) -> Any:
    if isinstance(value, str):
        return shown(value, keep_newlines=True)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _walk(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        copy = dataclasses.replace(value, **changes)
        for f in dataclasses.fields(value):
            if not f.init:
                setattr(copy, f.name, _walk(getattr(value, f.name)))
        return copy
    if isinstance(value, list):
        return [_walk(v) for v in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_walk(v) for v in value)
    if isinstance(value, dict):
        return {k: _walk(v) for k, v in value.items()}
    if isinstance(value, set):
        return {_walk(v) for v in value}
    return value

