"""The roster in files: CSV (import, export) and iCalendar.

The CSV is for offices that plan in a spreadsheet: export a month, edit it in
Excel or WPS, import it back. The iCalendar puts one person's duties in the
calendar of their phone."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, time, timedelta
from typing import Any

from duty_desk.core import clock, csvfile
from duty_desk.core.config import Config
from duty_desk.core.desk import Desk, writing
from duty_desk.core.dutytime import shift_slots
from duty_desk.core.errors import DeskError, InvalidInput, NotFound
from duty_desk.core.i18n import t
from duty_desk.core.models import Officer
from duty_desk.core.roster.service import LEADER_ROLES, OFFICER_ROLES, resolve_person, set_many
from duty_desk.core.roster.view import (
    MonthRoster,
    Person,
    RosterDay,
    days_between,
    live_entries,
    people,
)
from duty_desk.core.services.common import optional_text

# The columns, in the order an export writes them; an import reads them by
# header, in any order, in either language (and a few other spellings).
COLUMNS = ("date", "shift", "officers", "leaders", "standby", "note")
LISTS = ("officers", "leaders", "standby")
HEADER_WORDS = {
    "date": ("日期", "值班日", "值班日期", "date", "day"),
    "shift": ("班次", "shift", "slot"),
    "officers": ("值班员", "值班人员", "值班", "officers", "officer"),
    "leaders": ("带班领导", "带班", "领导", "leaders", "leader"),
    "standby": ("备班", "备班人员", "standby"),
    "note": ("备注", "note", "notes"),
}
# Between names in a cell: what people type in a spreadsheet.
NAME_SEPARATORS = re.compile(r"[、，,;；\s]+")
# 陈静（chenj）: the form an export writes for a name several officers share.
NAME_WITH_LOGIN = re.compile(r"^(.*?)[（(]([^()（）]+)[)）]$")
# The catalog keys of its columns and refusals (csvfile's messages).
PREFIX = "roster_files"


# --- export ----------------------------------------------------------------------


def _names(logins: tuple[str, ...], everyone: dict[str, Person], shared: set[str]) -> str:
    out = []
    for login in logins:
        person = everyone.get(login)
        if person is None:
            out.append(login)
        elif person.name in shared:
            out.append(f"{person.name}（{login}）")  # several officers have this name
        else:
            out.append(person.name)
    return "、".join(out)


def month_csv(roster: MonthRoster, cfg: Config) -> str:
    """The month as CSV, in the columns an import reads: one row per duty day
    and shift, names joined with 、, headers in the UI language."""
    seen: dict[str, int] = {}
    for person in roster.people.values():
        seen[person.name] = seen.get(person.name, 0) + 1
    shared = {name for name, n in seen.items() if n > 1}
    rows = [[day.mark.day.isoformat(), s.slot_name, _names(s.officers, roster.people, shared),
             _names(s.leaders, roster.people, shared), _names(s.standby, roster.people, shared), s.note]
            for day in roster.days for s in day.slots]
    # With the BOM Excel needs to read it as UTF-8 (see csvfile.write_rows).
    return csvfile.write_rows([t(f"roster_files.col.{c}") for c in COLUMNS], rows)


# --- import ----------------------------------------------------------------------


class ImportRefused(csvfile.ImportRefused):
    """An import file with bad lines (csvfile.ImportRefused, in the roster's words)."""

    def __init__(self, problems: list[tuple[int, str, DeskError]]):
        super().__init__(problems, PREFIX)


def _decode(data: bytes) -> str:
    return csvfile.decode(data, PREFIX)


def _parse_day(text: str) -> date | None:
    """2026-12-01, 2026/12/1 (how Excel saves a date it recognised on
    Chinese Windows), 2026.12.1, 2026年12月1日; a time after it is ignored."""
    m = re.match(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+0{1,2}:00(?::00)?)?\s*$", text)
    if not m:
        return None
    try:
        day = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None


def _parse_shift(text: str, cfg: Config) -> int | None:
    value = text.strip()
    if not value and len(cfg.shifts) == 1:
        return 0
    for i, spec in enumerate(cfg.shifts):
        if value == spec.name:
            return i
    # A number counts from 0, as --shift does on the command line.
    if value.isdigit() and int(value) < len(cfg.shifts):
        return int(value)
    return None


def _person(token: str, field: str, current: tuple[str, ...]) -> str:
    """A login from a name, a login or 姓名（登录名）. Someone already in this
    list of the slot stays even if they could not be put there now (left the
    office since, changed role): an unchanged cell of an exported file must
    import."""
    m = NAME_WITH_LOGIN.match(token)
    if m and Officer.get_or_none(Officer.login == m[2].strip()) is not None:
        token = m[2].strip()
    roles = {"officers": OFFICER_ROLES, "leaders": LEADER_ROLES}.get(field)
    try:
        return resolve_person(token, field, roles)
    except DeskError:
        everyone = people()
        held = [login for login in current
                if login == token or (login in everyone and everyone[login].name == token)]
        if len(held) == 1:
            return held[0]
        raise


def _header_problems(keys: list[str | None], header_line: int) -> list[tuple[int, str, DeskError]]:
    problems: list[tuple[int, str, DeskError]] = []
    if "date" not in keys:
        problems.append((header_line, "", InvalidInput("roster_files.column_missing",
                                                       column=t("roster_files.col.date"))))
    if not set(keys) & {*LISTS, "note"}:
        problems.append((header_line, "", InvalidInput("roster_files.nothing_to_import")))
    return problems


def _rows(text: str) -> tuple[list[str | None], list[csvfile.Row], list[tuple[int, str, DeskError]]]:
    """The header's column keys and the data rows, numbered as a spreadsheet
    numbers them (see csvfile.read_rows)."""
    try:
        return csvfile.read_rows(text, HEADER_WORDS, PREFIX, _header_problems)
    except csvfile.ImportRefused as err:
        raise ImportRefused(err.problems) from None


def read_csv(data: bytes, cfg: Config) -> list[dict[str, Any]]:
    """The rows of an import file, every one checked against the roster's
    rules before anything is written: each a dict for ``service.set_many``
    (``day``, ``slot`` and only the lists and note that differ from the
    roster now). Any bad line: ImportRefused naming every bad line."""
    keys, rows, problems = _rows(_decode(data))
    if "shift" not in keys and len(cfg.shifts) > 1:
        raise ImportRefused([(1, "", InvalidInput("roster_files.column_missing",
                                                  column=t("roster_files.col.shift")))])
    parsed: list[tuple[csvfile.Row, date, int]] = []
    for row in rows:
        day = _parse_day(row.cells["date"])
        slot = _parse_shift(row.cells.get("shift", ""), cfg)
        if day is None:
            problems.append((row.line, t("roster_files.col.date"),
                             InvalidInput("roster_files.bad_date", text=row.cells["date"])))
        if slot is None:
            problems.append((row.line, t("roster_files.col.shift"),
                             InvalidInput("roster_files.bad_shift", text=row.cells.get("shift", ""),
                                          names="、".join(s.name for s in cfg.shifts))))
        if day is not None and slot is not None:
            parsed.append((row, day, slot))
    current = live_entries(min(d for _, d, _ in parsed), max(d for _, d, _ in parsed)) if parsed else {}
    seen: dict[tuple[date, int], int] = {}
    out: list[dict[str, Any]] = []
    for row, day, slot in parsed:
        if (day, slot) in seen:
            problems.append((row.line, "", InvalidInput("roster_files.duplicate", other=seen[(day, slot)],
                                                        day=day.isoformat(), shift=cfg.shifts[slot].name)))
            continue
        seen[(day, slot)] = row.line
        entry = current.get((day, slot))
        values: dict[str, Any] = {}
        for field in LISTS:
            if field not in row.cells:
                continue
            held = tuple(getattr(entry, field)) if entry else ()
            logins: list[str] = []
            for token in NAME_SEPARATORS.split(row.cells[field].strip()):
                if not token:
                    continue
                try:
                    login = _person(token, field, held)
                except DeskError as err:
                    problems.append((row.line, t(f"roster_files.col.{field}"), err))
                    continue
                if login not in logins:
                    logins.append(login)
            if logins != list(held):
                values[field] = logins
        if "note" in row.cells:
            note = csvfile.plain_cell(row.cells["note"])  # without the apostrophe an export put before it
            try:
                note = optional_text(note, "note", 200)
            except DeskError as err:
                problems.append((row.line, t("roster_files.col.note"), err))
            else:
                if note != (entry.note if entry else ""):
                    values["note"] = note
        if values:
            out.append({"day": day, "slot": slot, **values})
    if problems:
        raise ImportRefused(sorted(problems, key=lambda p: p[0]))
    return out


def import_csv(desk: Desk, data: bytes, reason: str = "") -> int:
    """Import a CSV onto the roster (administrators): every row checked
    first, then every change written in one transaction (a published month's
    days as amendments, with ``reason``). Returns how many slots changed."""
    with writing(desk, "update", "roster", None, role="admin"):
        return set_many(desk, read_csv(data, desk.cfg), reason)


# --- iCalendar -------------------------------------------------------------------

# The reminder: at this local time on the evening before the duty's first
# calendar day. A fixed clock time rather than "N hours before": shifts start
# at different hours, and 18:00 is when the working day ends, when an officer
# can still arrange the evening and the next morning.
REMIND_AT = time(18, 0)


def find_person(text: str) -> Person:
    """Someone by login, or by a name only one officer has (left or not:
    their past duties can still be exported)."""
    everyone = people()
    value = (text or "").strip()
    if value in everyone:
        return everyone[value]
    named = [p for p in everyone.values() if p.name == value]
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        raise InvalidInput("roster.name_ambiguous", field="login", name=value,
                           logins=" ".join(p.login for p in named))
    raise NotFound("roster.no_such_person", field="login", who=value)


def _office_tag(cfg: Config) -> str:
    # Part of every UID: two offices' calendars never collide in one phone.
    return hashlib.sha256(cfg.office_name.encode("utf-8")).hexdigest()[:12]


def _who(logins: tuple[str, ...], everyone: dict[str, Person]) -> str:
    out = []
    for login in logins:
        person = everyone.get(login)
        if person is None:
            out.append(login)
        else:
            out.append(f"{person.name} {person.phone}".strip())
    return "、".join(out) or "—"


def officer_ical(login: str, first: date, last: date, cfg: Config, remind_at: time | None = REMIND_AT) -> bytes:
    """An iCalendar (RFC 5545) of one person's duties (as officer, leader or
    standby) between two duty days: one event per slot, at the slot's real
    times in the office's zone, a UID that stays the same for the same duty
    (importing again updates instead of duplicating), and a reminder on the
    evening before (``remind_at``; None for none)."""
    from icalendar import Alarm, Calendar, Event  # imported when used: it is slow to import

    if last < first:
        raise InvalidInput("roster_files.bad_range", field="until", first=first.isoformat(), last=last.isoformat())
    if (last - first).days > 366:
        raise InvalidInput("roster_files.range_too_long", field="until")
    everyone = people()
    person = find_person(login)
    cal = Calendar()
    cal.add("prodid", "-//duty-desk//roster//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", t("roster_files.ical.calendar", name=person.name, office=cfg.office_name))
    cal.add("x-wr-timezone", str(cfg.timezone))
    stamp = clock.now()
    tag = _office_tag(cfg)
    days: list[RosterDay] = days_between(first, last, cfg)
    for day in days:
        times = None
        for s in day.slots:
            for role in LISTS:
                if person.login not in getattr(s, role):
                    continue
                times = times or shift_slots(day.mark.day, cfg)
                starts = times[s.slot].starts_at.astimezone(cfg.timezone)
                ends = times[s.slot].ends_at.astimezone(cfg.timezone)
                event = Event()
                event.add("uid", f"{day.mark.day:%Y%m%d}-{s.slot}-{role}-{person.login}@{tag}.duty-desk")
                event.add("dtstamp", stamp)
                event.add("dtstart", starts)
                event.add("dtend", ends)
                event.add("summary", t(f"roster_files.ical.summary.{role}", shift=s.slot_name))
                lines = [t("roster_files.ical.officers", who=_who(s.officers, everyone)),
                         t("roster_files.ical.leaders", who=_who(s.leaders, everyone))]
                if s.standby:
                    lines.append(t("roster_files.ical.standby", who=_who(s.standby, everyone)))
                if s.note:
                    lines.append(t("roster_files.ical.note", note=s.note))
                event.add("description", "\n".join(lines))
                event.add("location", cfg.office_name)
                event.add("categories", [t("roster_files.ical.category")])
                event.add("transp", "OPAQUE")
                if remind_at is not None:
                    at = datetime.combine(starts.date() - timedelta(days=1), remind_at, tzinfo=cfg.timezone)
                    alarm = Alarm()
                    alarm.add("action", "DISPLAY")
                    alarm.add("description", t(f"roster_files.ical.summary.{role}", shift=s.slot_name))
                    alarm.add("trigger", at - starts)  # relative to the start: every client reads it
                    event.add_component(alarm)
                cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
