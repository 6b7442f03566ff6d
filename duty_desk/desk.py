"""The Desk: configuration, open database and acting officer, passed to every
service call. The TUI and the command line build one the same way."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from peewee import Database

from duty_desk import audit, clock
from duty_desk import db as store
from duty_desk.config import Config
from duty_desk.dutytime import duty_date_of
from duty_desk.errors import DeskError, NotAnOfficer
from duty_desk.models import Officer


@dataclass
class Desk:
    cfg: Config
    db: Database
    actor: str  # the acting officer's login

    def now(self) -> datetime:
        return clock.now()

    def today(self) -> date:
        """The current duty day."""
        return duty_date_of(self.now(), self.cfg)

    def officer(self) -> Officer:
        return Officer.get(Officer.login == self.actor)

    def close(self) -> None:
        store.close_database(self.db)


@contextmanager
def writing(desk: Desk, action: str, kind: str, record_id: int | None = None) -> Iterator[None]:
    """One write transaction. A DeskError raised inside rolls it back and is
    itself recorded in the audit trail as a failed attempt, then re-raised."""
    try:
        with desk.db.atomic():
            yield
    except DeskError as err:
        with desk.db.atomic():
            params = {k: str(v) for k, v in err.params.items()}
            audit.append(desk.now(), desk.actor, action, kind, record_id,
                         None, {"error": err.key, **params}, outcome="failure")
        raise


def officer_name(login: str | None) -> str:
    if not login:
        return ""
    row = Officer.get_or_none(Officer.login == login)
    return row.name if row else login


def sync_officers(desk: Desk) -> None:
    """Bring the officer table in line with config.toml; audit every change.
    Officers removed from the file are deactivated, never deleted.

    Compares first and writes (taking the write lock) only when the file
    differs from the table, so a read-only command never waits on a writer."""
    configured = {o.login: o for o in desk.cfg.officers}
    rows = {o.login: o for o in Officer.select()}

    def wanted(spec) -> dict[str, Any]:
        return {"name": spec.name, "role": spec.role, "phone": spec.phone, "active": True}

    stale = [login for login, spec in configured.items()
             if login not in rows or any(getattr(rows[login], k) != v for k, v in wanted(spec).items())]
    retired = [r for login, r in rows.items() if configured and r.active and login not in configured]
    if not stale and not retired:
        return
    with desk.db.atomic():
        for login in stale:
            spec, row = configured[login], rows.get(login)
            if row is None:
                row = Officer.create(login=login, created_at=desk.now(), **wanted(spec))
                audit.append(desk.now(), "system", "create", "officer", row.id, None, audit.snapshot(row))
                continue
            before = audit.snapshot(row)
            for k, v in wanted(spec).items():
                setattr(row, k, v)
            old, new = audit.changes(before, audit.snapshot(row))
            row.save()
            audit.append(desk.now(), "system", "update", "officer", row.id, old, new)
        for row in retired:
            row.active = False
            row.save()
            audit.append(desk.now(), "system", "update", "officer", row.id, {"active": True}, {"active": False})


def open_desk(cfg: Config, url: str | None = None, login: str | None = None,
              sync_officers_from_config: bool = True) -> Desk:
    """Open the store and establish who is acting.

    Raises NotAnOfficer when the login is not an active officer. On a brand-new
    database with no officers configured, the login becomes administrator.
    """
    from duty_desk.identity import current_login

    login = login or current_login()
    database = store.open_database(url or cfg.database_url or store.default_url(), cfg)
    desk = Desk(cfg, database, login)
    try:
        if sync_officers_from_config:
            sync_officers(desk)
        if (not cfg.officers or not sync_officers_from_config) and not Officer.select().exists():
            with desk.db.atomic():
                row = Officer.create(login=login, name=login, role="admin", created_at=desk.now())
                audit.append(desk.now(), "system", "create", "officer", row.id, None, audit.snapshot(row))
        me = Officer.get_or_none((Officer.login == login) & Officer.active)
        if me is None:
            raise NotAnOfficer("identity.not_officer", login=login)
        # Changing the configuration changes the due times of open items on the next start.
        from duty_desk.services.duetimes import recompute_due_times

        recompute_due_times(desk)
    except BaseException:
        desk.close()
        raise
    return desk
