"""Load and validate config.toml.

The root ``config.toml`` is both the commented sample and the built-in default:
every key a user file may set exists there, with the type it must have. A user
file is checked key by key against it and merged over it.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date, time
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

from duty_desk.core.i18n import t
from duty_desk.core.roster.rules import RosterRules, read_roster_rules

LEVELS = ("I", "II", "III", "IV")
URGENCIES = ("特提", "特急", "加急", "平急", "")
ROLES = ("officer", "leader", "admin")
LANGUAGES = ("zh", "en")
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
LOGIN_RE = re.compile(r"^[a-z_][a-z0-9_.-]{0,31}$", re.IGNORECASE)


class ConfigError(Exception):
    """A configuration problem, rendered as one line for the user."""

    def __init__(self, path: str, key: str, expected: str, got: Any = None):
        self.path, self.key, self.expected, self.got = path, key, expected, got
        super().__init__(self.line())

    def line(self) -> str:
        got = "" if self.got is None else t("config.got", got=_short(self.got))
        return t("config.error", path=self.path, key=self.key, expected=self.expected, got=got)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


@dataclass(frozen=True)
class ShiftSpec:
    name: str
    start: time


@dataclass(frozen=True)
class OfficerSpec:
    login: str
    name: str
    role: str = "officer"
    phone: str = ""


@dataclass
class Config:
    path: str
    office_name: str
    timezone: ZoneInfo
    day_start: time
    shifts: list[ShiftSpec]
    double_leader_dates: list[str]
    database_url: str
    busy_timeout: float
    ordinary_minutes: int
    phone_report_minutes: dict[str, int]
    written_report_minutes: dict[str, int]
    followup_minutes: dict[str, int]
    daily_report_after_hours: int
    document_hours: dict[str, float]
    warn_before_minutes: int
    future_tolerance_minutes: int
    past_limit_days: int
    due_limit_days: int
    officers: list[OfficerSpec]
    language: str
    theme: str
    bell: bool
    keymap: dict[str, str] = field(default_factory=dict)
    # The account the desk runs as under ``sudo -u``; only then is SUDO_USER believed.
    service_user: str = ""
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
    anchor_file: str = ""  # [audit] anchor_file: where the trail's head is also appended
    roster: RosterRules = field(default_factory=RosterRules)


# --- where the files are -------------------------------------------------


def packaged_file(name: str) -> Path:
    """A file that travels inside the wheel (config.toml, app.tcss).

    In a source checkout they live at the repository root instead.
    """
    inside = resources.files("duty_desk") / name
    if inside.is_file():
        return Path(str(inside))
    return Path(__file__).resolve().parents[2] / name


def data_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "duty-desk"


def find_config(explicit: str | None = None, environ: dict[str, str] | None = None) -> Path:
    """The first configuration file in lookup order (the built-in default last)."""
    env = os.environ if environ is None else environ
    if explicit:
        return Path(explicit)
    if env.get("DUTY_DESK_CONFIG"):
        return Path(env["DUTY_DESK_CONFIG"])
    xdg = env.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    for candidate in (Path(xdg) / "duty-desk" / "config.toml", Path("/etc/duty-desk/config.toml")):
        if candidate.is_file():
            return candidate
    return packaged_file("config.toml")


# --- reading and checking ------------------------------------------------


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(str(path), "-", t("config.expect.file")) from None
    except OSError as exc:
        raise ConfigError(str(path), "-", t("config.expect.readable"), exc.strerror) from None
    except UnicodeDecodeError:
        raise ConfigError(str(path), "-", t("config.expect.utf8")) from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib puts the position at the end of the message: name it where the key goes.
        m = re.search(r"^(.*?)\s*\(at line (\d+), column (\d+)\)$", str(exc))
        where = t("config.at", line=m.group(2), col=m.group(3)) if m else "-"
        reason = m.group(1) if m else str(exc)
        raise ConfigError(str(path), where, f'{t("config.expect.toml")} ({reason})') from None


def _type_name(value: Any) -> str:
    return {bool: "bool", int: "int", float: "float", str: "str", list: "list", dict: "table"}.get(
        type(value), type(value).__name__
    )


def _check_against(path: str, user: dict, default: dict, prefix: str) -> None:
    """Every key of ``user`` must exist in ``default`` with a compatible type."""
    for key, value in user.items():
        dotted = f"{prefix}{key}"
        if dotted in ("officers", "keymap"):
            continue
        if key not in default:
            raise ConfigError(path, dotted, t("config.expect.known_key"))
        expected = default[key]
        if isinstance(expected, dict):
            if not isinstance(value, dict):
                raise ConfigError(path, dotted, t("config.expect.type", type="table"), value)
            if dotted in _OPEN_TABLES:
                continue
            _check_against(path, value, expected, dotted + ".")
            continue
        ok = isinstance(value, type(expected)) and not (
            isinstance(value, bool) and not isinstance(expected, bool)
        )
        if isinstance(expected, float) and isinstance(value, int) and not isinstance(value, bool):
            ok = True
        if not ok:
            raise ConfigError(path, dotted, t("config.expect.type", type=_type_name(expected)), value)


# Tables whose keys are checked by their own rule rather than against the default.
_OPEN_TABLES = {
    "deadlines.phone_report_minutes",
    "deadlines.written_report_minutes",
    "deadlines.followup_minutes",
    "deadlines.document_hours",
}


def _merge(default: dict, user: dict) -> dict:
    out = dict(default)
    for key, value in user.items():
        if isinstance(value, dict) and isinstance(default.get(key), dict) and key not in (
            "keymap",
        ):
            out[key] = _merge(default[key], value)
        else:
            out[key] = value
    return out


def _parse_time(path: str, key: str, value: Any) -> time:
    if not isinstance(value, str) or not _TIME_RE.match(value):
        raise ConfigError(path, key, t("config.expect.time"), value)
    hh, mm = value.split(":")
    return time(int(hh), int(mm))


# Every number has a range: a limit of 1e18 minutes overflows every date
# computed from it, an infinite busy timeout hangs every start.
RANGES: dict[str, tuple[float, float]] = {
    "database.busy_timeout": (0.1, 600),
    "deadlines.ordinary_minutes": (1, 10080),
    "deadlines.phone_report_minutes": (1, 10080),
    "deadlines.written_report_minutes": (1, 10080),
    "deadlines.followup_minutes": (1, 10080),
    "deadlines.daily_report_after_hours": (1, 720),
    "deadlines.document_hours": (0.1, 8760),
    "deadlines.warn_before_minutes": (1, 1440),
    "deadlines.future_tolerance_minutes": (1, 120),
    "deadlines.past_limit_days": (1, 3660),
    "deadlines.due_limit_days": (1, 3660),
    "roster.officers_per_shift": (1, 9),
    "roster.leaders_per_day": (1, 9),
    "roster.unknown_warn_days": (1, 366),
}


def _in_range(path: str, key: str, value: Any, rule: str | None = None) -> Any:
    """``value`` if it is a number within the range of ``rule`` (default: the key's own)."""
    low, high = RANGES[rule or key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(path, key, t("config.expect.positive"), value)
    if not low <= value <= high:  # also refuses nan
        raise ConfigError(path, key, t("config.expect.range", low=_num(low), high=_num(high)), value)
    return value


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _positive_int_table(path: str, key: str, table: dict, keys: tuple[str, ...]) -> dict:
    out = {}
    for k, v in table.items():
        if k not in keys:
            raise ConfigError(path, f"{key}.{k}", t("config.expect.one_of", choices=", ".join(repr(x) for x in keys)))
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0:
            raise ConfigError(path, f"{key}.{k}", t("config.expect.positive"), v)
        out[k] = _in_range(path, f"{key}.{k}", v, key)
    return out


def load_config(explicit: str | None = None, environ: dict[str, str] | None = None) -> Config:
    """Find, read, check and merge the configuration. Raises ConfigError."""
    default_path = packaged_file("config.toml")
    default = _read_toml(default_path)
    path = find_config(explicit, environ)
    user = _read_toml(path) if path.resolve() != default_path.resolve() else {}
    p = str(path)
    _check_against(p, user, default, "")
    raw = _merge(default, user)

    def positive(key: str, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ConfigError(p, key, t("config.expect.positive"), value)
        return _in_range(p, key, value)

    try:
        tz = ZoneInfo(raw["office"]["timezone"])
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Asia" (a folder), a name too long
        raise ConfigError(p, "office.timezone", t("config.expect.timezone"), raw["office"]["timezone"]) from None

    duty = raw["duty"]
    day_start = _parse_time(p, "duty.day_start", duty["day_start"])
    shifts: list[ShiftSpec] = []
    for i, spec in enumerate(duty["shifts"]):
        key = f"duty.shifts[{i}]"
        if not isinstance(spec, dict) or set(spec) - {"name", "start"} or "start" not in spec:
            raise ConfigError(p, key, t("config.expect.shift"), spec)
        name = spec.get("name") or f"#{i + 1}"
        if not isinstance(name, str):
            raise ConfigError(p, key + ".name", t("config.expect.type", type="str"), name)
        shifts.append(ShiftSpec(name, _parse_time(p, key + ".start", spec["start"])))
    if not shifts:
        raise ConfigError(p, "duty.shifts", t("config.expect.nonempty"))
    if shifts[0].start != day_start:
        raise ConfigError(p, "duty.shifts[0].start", t("config.expect.first_shift", start=duty["day_start"]), duty["shifts"][0].get("start"))
    for d in duty["double_leader_dates"]:
        if not isinstance(d, str) or not _is_date(d):
            raise ConfigError(p, "duty.double_leader_dates", t("config.expect.date"), d)

    dl = raw["deadlines"]
    officers: list[OfficerSpec] = []
    seen: set[str] = set()
    if not isinstance(raw.get("officers", []), list):
        raise ConfigError(p, "officers", t("config.expect.type", type="array of tables"), raw["officers"])
    for i, o in enumerate(raw.get("officers", [])):
        key = f"officers[{i}]"
        if not isinstance(o, dict):
            raise ConfigError(p, key, t("config.expect.type", type="table"), o)
        extra = set(o) - {"login", "name", "role", "phone"}
        if extra:
            raise ConfigError(p, f"{key}.{sorted(extra)[0]}", t("config.expect.known_key"))
        login = o.get("login")
        if not isinstance(login, str) or not LOGIN_RE.match(login):
            raise ConfigError(p, key + ".login", t("config.expect.login"), login)
        if login in seen:
            raise ConfigError(p, key + ".login", t("config.expect.unique"), login)
        seen.add(login)
        name = o.get("name", login)
        role = o.get("role", "officer")
        phone = o.get("phone", "")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(p, key + ".name", t("config.expect.type", type="str"), name)
        if role not in ROLES:
            raise ConfigError(p, key + ".role", t("config.expect.one_of", choices=", ".join(ROLES)), role)
        if not isinstance(phone, str):
            raise ConfigError(p, key + ".phone", t("config.expect.type", type="str"), phone)
        officers.append(OfficerSpec(login, name.strip(), role, phone))

    service_user = raw["database"]["service_user"]
    if service_user and not LOGIN_RE.match(service_user):
        raise ConfigError(p, "database.service_user", t("config.expect.login"), service_user)

    ui = raw["ui"]
    if ui["language"] not in LANGUAGES:
        raise ConfigError(p, "ui.language", t("config.expect.one_of", choices=", ".join(LANGUAGES)), ui["language"])
    keymap = raw.get("keymap", {})
    if not isinstance(keymap, dict):
        raise ConfigError(p, "keymap", t("config.expect.type", type="table"), keymap)
    _check_keymap(p, keymap)

    return Config(
        path=p,
        office_name=raw["office"]["name"],
        timezone=tz,
        day_start=day_start,
        shifts=shifts,
        double_leader_dates=list(duty["double_leader_dates"]),
        database_url=raw["database"]["url"],
        busy_timeout=float(positive("database.busy_timeout", raw["database"]["busy_timeout"])),
        ordinary_minutes=positive("deadlines.ordinary_minutes", dl["ordinary_minutes"]),
        phone_report_minutes=_full_levels(p, "deadlines.phone_report_minutes", _positive_int_table(p, "deadlines.phone_report_minutes", dl["phone_report_minutes"], LEVELS)),
        written_report_minutes=_full_levels(p, "deadlines.written_report_minutes", _positive_int_table(p, "deadlines.written_report_minutes", dl["written_report_minutes"], LEVELS)),
        followup_minutes=_full_levels(p, "deadlines.followup_minutes", _positive_int_table(p, "deadlines.followup_minutes", dl["followup_minutes"], LEVELS)),
        daily_report_after_hours=positive("deadlines.daily_report_after_hours", dl["daily_report_after_hours"]),
        document_hours=_positive_int_table(p, "deadlines.document_hours", dl["document_hours"], URGENCIES),
        warn_before_minutes=positive("deadlines.warn_before_minutes", dl["warn_before_minutes"]),
        future_tolerance_minutes=positive("deadlines.future_tolerance_minutes", dl["future_tolerance_minutes"]),
        past_limit_days=positive("deadlines.past_limit_days", dl["past_limit_days"]),
        due_limit_days=positive("deadlines.due_limit_days", dl["due_limit_days"]),
        officers=officers,
        language=ui["language"],
        theme=ui["theme"],
        bell=ui["bell"],
        keymap=dict(keymap),
        service_user=service_user,
        raw=raw,
        anchor_file=raw["audit"]["anchor_file"],
        roster=read_roster_rules(p, raw["roster"], positive, ConfigError, _is_date),
    )


# --- the keymap ------------------------------------------------------------
# Config stays free of Textual: key names are checked by their spelling here;
# the desk warns about binding ids it does not know.

MODIFIERS = ("ctrl", "alt", "meta", "shift")
NAMED_KEYS = frozenset({
    "backspace", "delete", "down", "end", "enter", "escape", "home", "insert", "left", "pagedown",
    "pageup", "return", "right", "tab", "up", *(f"f{n}" for n in range(1, 25)),
})
# Textual's short names for some characters (its KEY_NAME_REPLACEMENTS).
CHARACTER_SHORT_NAMES = frozenset({"slash", "backslash", "at", "minus", "plus", "underscore", "space"})
# Screens where no text is typed: a plain letter may act there (c to chase).
LETTER_SCOPES = ("open", "detail", "handover.confirm", "history")


def _is_character_key(name: str) -> bool:
    """A key that types a character: ``a``, ``5``, ``?``, ``question_mark``."""
    if len(name) == 1:
        return name.isprintable()
    if name in CHARACTER_SHORT_NAMES:
        return True
    try:
        unicodedata.lookup(name.replace("_", " ").upper())
    except KeyError:
        try:
            unicodedata.lookup(name.replace("_", "-").upper())
        except KeyError:
            return False
    return True


def _parse_key(key: str) -> tuple[bool, bool] | None:
    """(valid, types a character) of one key name like ``ctrl+o`` or ``f6``."""
    parts = key.split("+")
    mods, base = parts[:-1], parts[-1]
    if not base or any(m not in MODIFIERS for m in mods) or len(set(mods)) != len(mods):
        return None
    if base in NAMED_KEYS:
        return True, False
    if not _is_character_key(base):
        return None
    return True, not (set(mods) - {"shift"})


def _scope(binding_id: str) -> str:
    return binding_id.rsplit(".", 1)[0] if "." in binding_id else "desk"


def _check_keymap(path: str, keymap: dict[str, Any]) -> None:
    """Key names that exist; no plain printable key where text is typed (it
    would act instead of typing: ``quit = "a"``); no key bound twice in one
    screen (one of them would silently win)."""
    taken: dict[tuple[str, str], str] = {}
    for binding_id, value in keymap.items():
        where = f"keymap.{binding_id}"
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(path, where, t("config.expect.key"), value)
        scope = _scope(binding_id)
        for key in (k.strip() for k in value.split(",")):
            parsed = _parse_key(key)
            if parsed is None:
                raise ConfigError(path, where, t("config.expect.key"), value)
            if parsed[1] and scope not in LETTER_SCOPES:
                raise ConfigError(path, where, t("config.expect.key_not_printable"), value)
            other = taken.get((scope, key))
            if other is not None and other != binding_id:
                raise ConfigError(path, where, t("config.expect.key_unique", key=key, other=other), value)
            taken[(scope, key)] = binding_id


def _is_date(text: str) -> bool:
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:  # 2026-13-45 has the shape of a date but is none
        return False
    return True


def _full_levels(path: str, key: str, table: dict) -> dict:
    missing = [lv for lv in LEVELS if lv not in table]
    if missing:
        raise ConfigError(path, f"{key}.{missing[0]}", t("config.expect.positive"))
    return table
