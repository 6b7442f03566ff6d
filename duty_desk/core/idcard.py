"""Mainland resident ID numbers (GB 11643-1999, check digit ISO 7064 MOD 11-2).

A number is valid when its check digit is right, its birth date is a real
date no earlier than 1900 and not in the future, and its first two digits name
a province-level region. The check digit and the birth date come from
python-stdnum; its county table is not used, because county codes change every
year and an old card must still be accepted (the province codes of GB/T 2260
do not change).
"""

from __future__ import annotations

import re
from datetime import date

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from duty_desk.core import clock
from duty_desk.core.errors import InvalidInput

RESIDENT_ID = "居民身份证"
# GB/T 2260 province-level codes; 83 is the residence permit of Hong Kong,
# Macao and Taiwan residents (港澳台居民居住证), which uses the same number scheme.
PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82", "83",
})
EARLIEST_BIRTH = date(1900, 1, 1)


def check_digit(first17: str) -> str:
    """The check digit (ISO 7064 MOD 11-2) the first 17 digits call for."""
    # python-stdnum reads the check digit's place too; its value does not count.
    return ric.calc_check_digit(first17 + "0")


def _birth_date(n: str) -> date | None:
    try:
        born = ric.get_birth_date(n)  # python-stdnum: a real calendar date
    except ValidationError:
        return None
    return born if EARLIEST_BIRTH <= born <= clock.now().date() else None


def validate_resident_id(number: str) -> str:
    """The normalised number, or InvalidInput saying what is wrong with it."""
    n = number.strip().replace(" ", "").upper()
    if len(n) != 18:
        raise InvalidInput("id.length", field="id_number", length=len(n))
    if not re.fullmatch(r"[0-9]{17}[0-9X]", n):
        raise InvalidInput("id.chars", field="id_number")
    expected = check_digit(n[:17])
    if n[17] != expected:
        raise InvalidInput("id.check_digit", field="id_number", got=n[17], expected=expected)
    if n[:2] not in PROVINCES or n[2:6] == "0000":
        raise InvalidInput("id.region", field="id_number", code=n[:6])
    if _birth_date(n) is None:
        raise InvalidInput("id.birth_date", field="id_number", birth=f"{n[6:10]}-{n[10:12]}-{n[12:14]}")
    return n


def is_resident_id(number: str) -> bool:
    try:
        validate_resident_id(number)
    except InvalidInput:
        return False
    return True


def mask_id(number: str) -> str:
    """Show the first 6 and last 4 characters only: 110105********1234."""
    n = number.strip()
    if len(n) <= 10:
        return n[:2] + "*" * max(len(n) - 2, 0)
    return n[:6] + "*" * (len(n) - 10) + n[-4:]


# A run of digits (a final X or x may close it). An ID typed straight after a
# phone number forms one longer run, so every 18-character window is tried.
_DIGIT_RUN = re.compile(r"[0-9]{17,}[0-9Xx]?")


def mask_ids_in(text: str) -> str:
    """``text`` with every valid resident ID number in it masked."""
    if len(text) < 18:
        return text

    def mask_run(m: re.Match[str]) -> str:
        run = m.group(0)
        out, i = [], 0
        while i + 18 <= len(run):
            window = run[i:i + 18]
            if window[:17].isdigit() and is_resident_id(window):
                out.append(mask_id(window.upper()))
                i += 18
            else:
                out.append(run[i])
                i += 1
        out.append(run[i:])
        return "".join(out)

    return _DIGIT_RUN.sub(mask_run, text)
