"""A search as the officer types it: words, and filters written as words
(``防汛 类:来电 自:2026-06-01``), the same on the command line's options.

Filters: ``类:`` / ``kind:`` a record kind or a log category (来电 …);
``自:`` / ``since:`` and ``至:`` / ``until:`` duty days; ``日:`` / ``on:`` one
duty day; ``人:`` / ``officer:`` an officer (login, name or its pinyin);
``状态:`` / ``state:`` 未结 open, 已结 closed, 作废 void. A full-width colon
does as well as a half-width one."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from duty_desk.core.errors import InvalidInput
from duty_desk.core.search.names import is_pinyin_query
from duty_desk.core.search.text import normalize, query_tokens

STATES = {"open": "open", "未结": "open", "未办结": "open", "待办": "open", "closed": "closed", "已结": "closed",
          "已办结": "closed", "void": "void", "作废": "void", "已作废": "void"}
_PREFIXES = {"类": "kind", "kind": "kind", "自": "since", "since": "since", "至": "until", "until": "until",
             "日": "on", "on": "on", "人": "officer", "officer": "officer", "状态": "state", "state": "state"}


@dataclass(frozen=True)
class SearchQuery:
    words: tuple[str, ...] = ()  # normalised, each must occur
    pinyin: str = ""  # the words as one pinyin prefix, when they may be pinyin
    kinds: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()  # log categories (来电 …)
    since: date | None = None
    until: date | None = None
    officers: tuple[str, ...] = ()  # what was typed; resolved to logins by the search
    state: str = ""  # open | closed | void | ""
    typed: tuple[str, ...] = field(default=())  # the words as typed (highlighting the original)

    @property
    def empty(self) -> bool:
        return not (self.words or self.kinds or self.categories or self.officers or self.state
                    or self.since or self.until)


@lru_cache(maxsize=1)
def kind_choices() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """What ``类:`` accepts -> (kinds, categories): the kinds by any of their
    names and their names in both catalogs, and the log's categories."""
    from duty_desk.core.i18n import CATALOGS
    from duty_desk.core.kinds import REGISTRY
    from duty_desk.core.search.docs import HANDOVER

    out: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for name, spec in [*((n, s) for n, s in REGISTRY.items()), (HANDOVER, None)]:
        typed = spec.typed_names if spec else (HANDOVER,)
        labels = [c.get(f"kind.{name}", "") for c in CATALOGS.values()]
        for word in (*typed, *labels):
            if word:
                out[word.lower()] = ((name,), ())
    for short, name in (("日志", "log"), ("公文", "document"), ("文件", "document"), ("急件", "urgent"),
                        ("紧急", "urgent"), ("交接", HANDOVER)):
        out.setdefault(short, ((name,), ()))
    for category in ("来电", "来文", "来访", "交办", "事件", "记事", "零报告"):
        kinds_, cats = out.get(category, ((), ()))
        out[category] = (kinds_, (*cats, category))
    return out


def _date(value: str, field_name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("search.bad_date", field=field_name, value=value) from None


def parse(text: str, **options) -> SearchQuery:
    """The query in ``text``, with ``options`` (kinds, since, until, officers,
    state) added as the command line gives them. Refuses an unknown kind,
    state or a date that is not YYYY-MM-DD, naming it."""
    words: list[str] = []
    typed: list[str] = []
    kinds_: list[str] = []
    categories: list[str] = []
    officers: list[str] = list(options.get("officers") or ())
    since, until, state = options.get("since"), options.get("until"), options.get("state") or ""
    for kind_name in options.get("kinds") or ():
        k, c = _kind(kind_name)
        kinds_.extend(k)
        categories.extend(c)
    for raw in text.replace("：", ":").split():
        key, sep, value = raw.partition(":")
        prefix = _PREFIXES.get(key.lower()) if sep else None
        if prefix is None or not value:
            typed.append(raw)
            norm = normalize(raw)
            if query_tokens(norm):
                words.append(norm)
            continue
        if prefix == "kind":
            k, c = _kind(value)
            kinds_.extend(k)
            categories.extend(c)
        elif prefix == "since":
            since = _date(value, "since")
        elif prefix == "until":
            until = _date(value, "until")
        elif prefix == "on":
            since = until = _date(value, "on")
        elif prefix == "officer":
            officers.append(value)
        elif prefix == "state":
            state = _state(value)
    if state:
        state = _state(state)
    if since and until and since > until:
        raise InvalidInput("search.bad_range", field="since", since=since.isoformat(), until=until.isoformat())
    joined = "".join(typed)
    query = SearchQuery(tuple(words), "", tuple(dict.fromkeys(kinds_)), tuple(dict.fromkeys(categories)),
                        since, until, tuple(officers), state, tuple(typed))
    if typed and is_pinyin_query(" ".join(typed)):
        query = replace(query, pinyin=joined.lower())
    return query


def _kind(value: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    found = kind_choices().get(value.lower())
    if found is None:
        raise InvalidInput("search.bad_kind", field="kind", kind=value,
                           choices=" ".join(sorted({k for k in kind_choices() if k.isascii()})))
    return found


def _state(value: str) -> str:
    found = STATES.get(value.lower())
    if found is None:
        raise InvalidInput("search.bad_state", field="state", state=value)
    return found
