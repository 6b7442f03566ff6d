"""The entry line's grammar: one line of the desk, read the same way by the
desk's entry line and by ``duty-desk log``. A pure parser: it reads no store.

Grammar, read left to right; markers only count before the text starts:

    [[YYYY-MM-DD] HH:MM] [#类别] [!] 内容   a log entry (plain text alone is a 记事 note)
    /电 [来电单位] [姓名] [电话] 内容…  call form, prefilled (``，`` also separates)
    /访 姓名 [单位] [事由…]            visitor check-in form, prefilled
    /文 [特急|加急…] [机密…] [字号] 来文单位 [标题…]   document receipt form
    /急 [I-IV|重大…] [类型] 标题…      urgent item form
    /零 [说明]                          zero report form
    /交                                 handover
    /查 [查找的字词 筛选…]               search (the query line prefilled)
    /排班                               the month's duty roster
    /通讯录                             the contact book

``HH:MM`` or ``YYYY-MM-DD HH:MM`` sets when it happened (``：`` also works;
the core refuses a time in the future); ``#来电`` and the other
categories (English aliases such as ``#call`` too) set the category; ``!``
marks an entry that needs action (a call awaiting its result). Chinese input
methods turn ``/`` into ``、`` and ``!`` into ``！``: both are understood. To
start the text itself with ``/`` or ``#``, put a category first
(``#记事 /etc 目录满``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from duty_desk.core.errors import InvalidInput
from duty_desk.core.services.log import CATEGORIES

# A form's words (urgencies, levels, event types) are read from its services
# when a form is typed: `duty-desk log` never loads the document and urgent ones.

CATEGORY_ALIASES: dict[str, str] = {
    "call": "来电", "phone": "来电", "电话": "来电",
    "doc": "来文", "document": "来文",
    "visit": "来访", "visitor": "来访",
    "task": "交办",
    "incident": "事件", "event": "事件",
    "note": "记事",
    "zero": "零报告",
}

# command word -> the form it opens
COMMANDS: dict[str, str] = {
    "电": "call", "来电": "call", "call": "call", "c": "call",
    "访": "visitor", "visit": "visitor", "v": "visitor",
    "文": "document", "doc": "document", "d": "document",
    "急": "urgent", "urgent": "urgent", "u": "urgent",
    "零": "zero", "zero": "zero", "z": "zero",
    "交": "handover", "handover": "handover", "h": "handover",
    "查": "search", "search": "search", "s": "search",
    "排班": "roster", "roster": "roster",
    "定时": "standing", "standing": "standing",
    "通讯录": "contacts", "contacts": "contacts",
}
COMMAND_PREFIXES = ("/", "／", "、")
CATEGORY_PREFIXES = ("#", "＃")
ACTION_MARKS = ("!", "！")
_TIME_TOKEN = re.compile(r"^\d{1,2}[:：]\d{2}$")
_DATE_TOKEN = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
# Where a pasted text had a line break: shown in the one-line input, kept
# as a line break in what is recorded.
LINE_MARK = "⏎"
_DOC_NUMBER = re.compile(r"[〔\[［(（]\d{2,4}[〕\]］)）]")


@dataclass(frozen=True)
class ParsedEntry:
    """What a line of the entry means: a log entry to record, or a form to open."""

    form: str | None = None  # call | visitor | document | urgent | zero | handover | search | roster | standing | contacts
    prefill: dict[str, Any] = field(default_factory=dict)
    content: str = ""
    category: str = "记事"
    occurred_at: str | None = None  # as typed, HH:MM; the service checks it
    needs_action: bool | None = None  # None: the category decides

    @property
    def is_log(self) -> bool:
        return self.form is None


def parse_entry(line: str) -> ParsedEntry:
    """Read one line of the entry. Raises InvalidInput with the reason."""
    text = line.strip()
    if not text:
        raise InvalidInput("log.empty", field="content")
    if text.startswith(COMMAND_PREFIXES):
        return _parse_command(text[1:])
    occurred_at: str | None = None
    category: str | None = None
    needs: bool | None = None
    rest = text
    while rest:
        token, _, after = rest.partition(" ")
        if occurred_at is None and _DATE_TOKEN.match(token):
            # YYYY-MM-DD HH:MM, as the README and `duty-desk log --at` take it.
            hour, _, beyond = after.lstrip().partition(" ")
            if not _TIME_TOKEN.match(hour):
                break  # a date alone is text
            occurred_at = f"{token} {hour.replace('：', ':')}"
            after = beyond
        elif occurred_at is None and _TIME_TOKEN.match(token):
            occurred_at = token.replace("：", ":")
        elif category is None and token.startswith(CATEGORY_PREFIXES) and len(token) > 1:
            word = token[1:]
            if word.endswith(ACTION_MARKS):  # "#来电!" both at once
                word, needs = word[:-1], True
            category = _category(word)
        elif needs is None and token.startswith(ACTION_MARKS):
            needs = True
            if len(token) > 1:  # "!东城街道反映…": the mark glued to the text
                rest = token[1:] + (" " + after if after else "")
                break
        else:
            break
        rest = after.lstrip()
    if category == "零报告":
        return ParsedEntry(form="zero", prefill=_drop_empty({"note": rest}))
    content = "\n".join(line.strip() for line in rest.split(LINE_MARK))
    return ParsedEntry(content=content, category=category or "记事", occurred_at=occurred_at,
                       needs_action=needs)


def _category(word: str) -> str:
    if word in CATEGORIES:
        return word
    alias = CATEGORY_ALIASES.get(word.lower())
    if alias:
        return alias
    raise InvalidInput("entry.category", field="category", category=word,
                       choices=" ".join("#" + c for c in CATEGORIES))


def _parse_command(body: str) -> ParsedEntry:
    # Any space ends the command word: a Chinese input method types a full-width one.
    word, rest = (body.strip().split(None, 1) + [""])[:2]
    form = COMMANDS.get(word.lower())
    if form is None:
        raise InvalidInput("entry.command", field="content", command=word,
                           choices="/电 /访 /文 /急 /零 /交 /查 /排班 /定时 /通讯录")
    tokens = rest.split()
    if form == "call":
        prefill = call_prefill(rest)
    elif form == "visitor":
        prefill = {"name": tokens[0] if tokens else "", "unit": tokens[1] if len(tokens) > 1 else "",
                   "purpose": " ".join(tokens[2:])}
    elif form == "document":
        prefill = _document_prefill(tokens)
    elif form == "urgent":
        prefill = _urgent_prefill(tokens)
    elif form == "zero":
        prefill = {"note": rest.strip()}
    elif form == "search":
        prefill = {"query": rest.strip()}
    else:
        prefill = {}
    return ParsedEntry(form=form, prefill=_drop_empty(prefill))


# What separates the caller's fields: spaces (full-width too) and Chinese or
# ASCII commas; inside the text that follows, they are kept as typed.
_CALL_SEPARATOR = re.compile(r"[\s\u3000，,、；;]+")
_PHONE = re.compile(r"^[+＋]?[\d０-９][\d０-９\-－—()（）]{4,}([转xX][\d０-９]{1,6})?$")
# Words a caller's name often ends with: the title (王科长 -> 科长).
TITLE_ENDINGS = ("副局长", "局长", "副主任", "主任", "副处长", "处长", "副科长", "科长", "副书记", "书记", "副镇长", "镇长",
                 "副区长", "区长", "副县长", "县长", "站长", "所长", "队长", "部长", "秘书长", "秘书", "经理", "院长",
                 "值班员", "干事", "同志", "主席", "组长", "总")
# A name is short; a longer second word is already what the caller said.
_NAME_MAX = 6


def is_phone(token: str) -> bool:
    """Whether a word of the line is a phone number (digits, -, (), +, 转 extension)."""
    return bool(_PHONE.match(token.strip()))


def call_prefill(body: str) -> dict[str, Any]:
    """``/电 区水务局 王科长 13800001111 水库水位接近汛限``: the caller's unit,
    name (and title, from how the name ends) and phone, then what was said.

    A phone number among the first four words ends the caller's fields: the
    words before it are the unit and the name (``王 科长`` is one name).
    Without one: three words or more are unit, name (when short) and text;
    two are unit and text; one alone is the unit."""
    text = body.strip()
    words: list[tuple[str, int]] = []  # (word, where the text after it starts)
    pos = 0
    while pos < len(text) and len(words) < 4:
        m = _CALL_SEPARATOR.search(text, pos)
        end, after = (m.start(), m.end()) if m else (len(text), len(text))
        words.append((text[pos:end], after))
        pos = after
    at = next((i for i, (w, _) in enumerate(words) if is_phone(w)), None)
    phone = ""
    if at is not None:
        phone = unicodedata.normalize("NFKC", words[at][0])
        fields = [w for w, _ in words[:at]]
        unit = fields[0] if fields else ""
        name = "".join(fields[1:])
        content = text[words[at][1]:]
    elif len(words) >= 3 and len(words[1][0]) <= _NAME_MAX:
        unit, name, content = words[0][0], words[1][0], text[words[1][1]:]
    elif len(words) >= 2:
        unit, name, content = words[0][0], "", text[words[0][1]:]
    else:
        unit, name, content = (words[0][0] if words else ""), "", ""
    title = next((e for e in TITLE_ENDINGS if name.endswith(e) and len(name) > len(e)), "")
    content = "\n".join(line.strip() for line in content.split(LINE_MARK))
    return {"unit": unit, "name": name, "title": title, "phone": phone, "content": content.strip()}


def _document_prefill(tokens: list[str]) -> dict[str, Any]:
    from duty_desk.core.services.documents import CLASSIFICATIONS, URGENCIES

    prefill: dict[str, Any] = {}
    words = []
    for tok in tokens:
        if "urgency" not in prefill and tok in URGENCIES and tok:
            prefill["urgency"] = tok
        elif "classification" not in prefill and tok in CLASSIFICATIONS and tok:
            prefill["classification"] = tok
        elif "doc_number" not in prefill and _DOC_NUMBER.search(tok):
            prefill["doc_number"] = tok
        else:
            words.append(tok)
    if words:
        prefill["sender"] = words[0]
        prefill["title"] = " ".join(words[1:])
    return prefill


def _urgent_prefill(tokens: list[str]) -> dict[str, Any]:
    from duty_desk.core.services.urgent import EVENT_TYPES, check_level

    prefill: dict[str, Any] = {}
    words = []
    for tok in tokens:
        if "level" not in prefill and _is_level(tok):
            prefill["level"] = check_level(tok)
        elif "event_type" not in prefill and tok in EVENT_TYPES:
            prefill["event_type"] = tok
        else:
            words.append(tok)
    prefill["title"] = " ".join(words)
    return prefill


def _is_level(token: str) -> bool:
    from duty_desk.core.services.urgent import check_level

    try:
        check_level(token)
    except InvalidInput:
        return False
    return True


def _drop_empty(prefill: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in prefill.items() if v not in ("", None)}
