"""The officer list (值班人员名单): who may act at the desk and in which role.

It lives in the database. After a new database was seeded (opening.seed_officers)
only an administrator changes it, here; every change names the administrator
and the minute, and every refused attempt is recorded too. Nothing is deleted:
an officer who leaves is deactivated and stays readable in every record.
"""

from __future__ import annotations

from peewee import Case

from duty_desk.core import audit
from duty_desk.core.config import LOGIN_RE, ROLES
from duty_desk.core.desk import Desk, writing
from duty_desk.core.errors import InvalidInput, NotFound, Refused
from duty_desk.core.models import Officer
from duty_desk.core.sanitize import clean_line
from duty_desk.core.services.common import optional_line, required_line

NAME_LIMIT = 40


def list_officers() -> list[Officer]:
    """Every officer, the active ones first, administrators, leaders, officers."""
    rank = Case(Officer.role, [(r, i) for i, r in enumerate(reversed(ROLES))], len(ROLES))
    return list(Officer.select().order_by(Officer.active.desc(), rank, Officer.id))


def find_officer(login: str) -> Officer | None:
    return Officer.get_or_none(Officer.login == clean_line(login))


def add_officer(desk: Desk, login: str, name: str, role: str = "officer", phone: str = "") -> Officer:
    with writing(desk, "create", "officer", role="admin"):
        login = _login(login)
        name = required_line(name, "name", NAME_LIMIT)
        role = _role(role)
        phone = optional_line(phone, "phone", NAME_LIMIT)
        existing = Officer.get_or_none(Officer.login == login)
        if existing is not None:
            raise Refused("officer.exists", login=login, name=existing.name)
        row = Officer.create(login=login, name=name, role=role, phone=phone, created_at=desk.now())
        audit.append(desk.now(), desk.actor, "create", "officer", row.id, None, audit.snapshot(row))
    return row


def deactivate_officer(desk: Desk, login: str, reason: str) -> Officer:
    """The officer can no longer log in, and a desk of theirs already open
    can no longer write (every write checks, see desk.writing)."""
    with writing(desk, "deactivate", "officer", _id_of(login), role="admin"):
        row = _officer(login)
        reason = required_line(reason, "reason")
        if not row.active:
            raise Refused("officer.already_inactive", login=row.login, name=row.name)
        if row.role == "admin":
            _keep_an_administrator(row)
        row.active = False
        row.save()
        audit.append(desk.now(), desk.actor, "deactivate", "officer", row.id,
                     {"active": True}, {"active": False, "reason": reason})
    return row


def activate_officer(desk: Desk, login: str, reason: str = "") -> Officer:
    with writing(desk, "activate", "officer", _id_of(login), role="admin"):
        row = _officer(login)
        reason = optional_line(reason, "reason")
        if row.active:
            raise Refused("officer.already_active", login=row.login, name=row.name)
        row.active = True
        row.save()
        new = {"active": True, **({"reason": reason} if reason else {})}
        audit.append(desk.now(), desk.actor, "activate", "officer", row.id, {"active": False}, new)
    return row


def change_role(desk: Desk, login: str, role: str, reason: str) -> Officer:
    with writing(desk, "role", "officer", _id_of(login), role="admin"):
        row = _officer(login)
        role = _role(role)
        reason = required_line(reason, "reason")
        if row.role == role:
            raise Refused("officer.same_role", login=row.login, name=row.name, role=role)
        if row.role == "admin" and row.active:
            _keep_an_administrator(row)
        old = row.role
        row.role = role
        row.save()
        audit.append(desk.now(), desk.actor, "role", "officer", row.id, {"role": old}, {"role": role, "reason": reason})
    return row


def _keep_an_administrator(leaving: Officer) -> None:
    """Somebody must remain who can manage the list."""
    others = Officer.select().where((Officer.role == "admin") & Officer.active & (Officer.id != leaving.id))
    if not others.exists():
        raise Refused("officer.last_admin", login=leaving.login, name=leaving.name)


def _id_of(login: str) -> int | None:
    row = find_officer(login)
    return row.id if row else None


def _officer(login: str) -> Officer:
    row = find_officer(login)
    if row is None:
        raise NotFound("officer.not_found", field="login", login=clean_line(login))
    return row


def _login(value: str) -> str:
    login = clean_line(value)
    if not LOGIN_RE.match(login):
        raise InvalidInput("officer.bad_login", field="login", login=login)
    return login


def _role(value: str) -> str:
    role = clean_line(value)
    if role not in ROLES:
        raise InvalidInput("officer.bad_role", field="role", role=role)
    return role
