"""Mainland resident ID numbers (GB 11643-1999, check digit ISO 7064 MOD 11-2)."""

from __future__ import annotations

import re

from duty_desk.errors import InvalidInput

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
RESIDENT_ID = "居民身份证"


def check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=False))
    return _CHECK[total % 11]


def validate_resident_id(number: str) -> str:
    """The normalised number, or InvalidInput saying what is wrong with it."""
    n = number.strip().replace(" ", "").upper()
    if len(n) != 18:
        raise InvalidInput("id.length", field="id_number", length=len(n))
    if not re.fullmatch(r"\d{17}[\dX]", n):
        raise InvalidInput("id.chars", field="id_number")
    expected = check_digit(n[:17])
    if n[17] != expected:
        raise InvalidInput("id.check_digit", field="id_number", got=n[17], expected=expected)
    return n


def mask_id(number: str) -> str:
    """Show the first 6 and last 4 characters only: 110105********1234."""
    n = number.strip()
    if len(n) <= 10:
        return n[:2] + "*" * max(len(n) - 2, 0)
    return n[:6] + "*" * (len(n) - 10) + n[-4:]
