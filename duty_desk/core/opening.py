"""Opening the desk: the store, who is acting, and a brand-new store's first
officers. The command line and the desk open it the same way."""

from __future__ import annotations

from peewee import PeeweeException

from duty_desk.core import audit, identity
from duty_desk.core import db as store
from duty_desk.core.config import Config
from duty_desk.core.desk import Desk, check_actor
from duty_desk.core.errors import NotAnOfficer
from duty_desk.core.models import Officer
from duty_desk.core.sanitize import clean_line
from duty_desk.core.services.duetimes import recompute_due_times


def seed_officers(desk: Desk, from_config: bool = True) -> None:
    """Give a brand-new database its first officers, audited as "system": the
    ``[officers]`` of the configuration, or, with none listed (or not
    ``from_config``), the acting login as administrator.

    A database that has officers is left alone: after the seed, only an
    administrator changes who is an officer (services.officers). Several
    processes starting at once on a new database all get in: the seed runs in
    one BEGIN IMMEDIATE transaction that re-reads the table first, so the first
    one seeds and the others find it done."""
    if Officer.select().exists():
        return  # a read, no lock: the usual start
    with desk.db.atomic():
        if Officer.select().exists():
            return
        specs = [(o.login, clean_line(o.name), o.role, clean_line(o.phone))
                 for o in desk.cfg.officers] if from_config else []
        for login, name, role, phone in specs or [(desk.actor, desk.actor, "admin", "")]:
            row = Officer.create(login=login, name=name, role=role, phone=phone, created_at=desk.now())
            audit.append(desk.now(), "system", "create", "officer", row.id, None, audit.snapshot(row))


def open_desk(cfg: Config, url: str | None = None, login: str | None = None,
              sync_officers_from_config: bool = True) -> Desk:
    """Open the store and establish who is acting.

    The login is the operating system's (identity.current_login) unless given.
    On a brand-new database the officers are seeded (seed_officers; from the
    configuration unless ``sync_officers_from_config`` is False, as for the demo
    store). Raises NotAnOfficer when the login is not an active officer, after
    recording the refusal in the audit trail with the login as actor.
    """
    refused: NotAnOfficer | None = None
    if not login:
        try:
            login = identity.current_login(cfg.service_user)
        except NotAnOfficer as err:  # a uid with no passwd entry: recorded under its number
            refused, login = err, f"uid:{err.params.get('uid')}"
    database = store.open_database(url or cfg.database_url or store.default_url(), cfg)
    desk = Desk(cfg, database, login)
    try:
        try:
            if refused is not None:
                raise refused
            seed_officers(desk, from_config=sync_officers_from_config)
            check_actor(desk)
        except NotAnOfficer as err:
            _record_refused_login(desk, err)
            raise
        # Changing the configuration changes the due times of open items on the next start.
        recompute_due_times(desk)
    except BaseException:
        desk.close()
        raise
    return desk


def _record_refused_login(desk: Desk, err: NotAnOfficer) -> None:
    params = {k: str(v) for k, v in err.params.items()}
    try:
        with desk.db.atomic():
            known = Officer.get_or_none(Officer.login == desk.actor)
            audit.append(desk.now(), desk.actor, "login", "officer", known.id if known else None,
                         None, {"error": err.key, **params}, outcome="failure")
    except PeeweeException:
        # A store this account may not write (the OS keeps it out already):
        # the refusal still reaches the user, which is what matters to them.
        pass
