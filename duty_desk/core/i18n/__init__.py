"""Message catalogs: one module per language, the same keys in each.

``t(key, **params)`` renders a message in the current language; a missing key
falls back to Chinese, then to the key itself (a test keeps the catalogs equal).
"""

from __future__ import annotations

from typing import Any

from duty_desk.core.i18n import (
    calls,
    contacts,
    en,
    feed,
    reports,
    reports_cli,
    reports_desk,
    roster_desk,
    roster_files,
    standing,
    zh,
)

for _part in (roster_desk, roster_files, calls, contacts, standing, feed, reports, reports_cli, reports_desk):
    zh.MESSAGES.update(_part.ZH)
    en.MESSAGES.update(_part.EN)

CATALOGS: dict[str, dict[str, str]] = {"zh": zh.MESSAGES, "en": en.MESSAGES}
_language = "zh"


def set_language(language: str) -> None:
    global _language
    if language not in CATALOGS:
        raise ValueError(language)
    _language = language


def language() -> str:
    return _language


def known(key: str) -> bool:
    """Whether the catalogs have a message for ``key``."""
    return key in CATALOGS["zh"]


def t(key: str, /, **params: Any) -> str:
    # Positional-only: a message may itself have a {key} parameter (config errors).
    template = CATALOGS[_language].get(key) or CATALOGS["zh"].get(key) or key
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
