"""The Desk: configuration, open database and acting officer, passed to every
service call. The TUI and the command line build one the same way."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from peewee import Database

from duty_desk.core import audit, clock, search
from duty_desk.core import db as store
from duty_desk.core.config import Config
from duty_desk.core.dutytime import duty_date_of
from duty_desk.core.errors import DeskError, NotAnOfficer, Refused
from duty_desk.core.models import Officer
from duty_desk.core.officer_names import officer_name, officer_names  # noqa: F401  (named from here too)


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
def writing(desk: Desk, action: str, kind: str, record_id: int | None = None,
            role: str | None = None) -> Iterator[None]:
    """One write transaction. A DeskError raised inside rolls it back and is
    itself recorded in the audit trail as a failed attempt, then re-raised.

    First, inside the transaction, the actor must still be an active officer
    (an administrator may have deactivated them since their desk opened) and,
    when ``role`` is given, hold that role."""
    try:
        with desk.db.atomic(), search.writes(desk.db):
            check_actor(desk, role)
            yield
    except DeskError as err:
        failure = (desk.now(), desk.actor, action, kind, record_id,
                   {"error": err.key, **{k: str(v) for k, v in err.params.items()}})
        deferred = getattr(_together, "failures", None)
        if deferred is not None:
            deferred.append(failure)  # recorded after the enclosing transaction is rolled back
        else:
            _record_failures(desk, [failure])
        raise


# The failed attempts of writes inside ``together`` on this thread, waiting
# for the enclosing transaction to end.
_together = threading.local()


def _record_failures(desk: Desk, failures: list[tuple]) -> None:
    with desk.db.atomic():
        for at, actor, action, kind, record_id, new in failures:
            audit.append(at, actor, action, kind, record_id, None, new, outcome="failure")


@contextmanager
def together(desk: Desk) -> Iterator[None]:
    """Several writes as one transaction: all or none. A refused one is still
    recorded as a failed attempt, once the transaction is rolled back (inside
    it, the record would be rolled back with the rest)."""
    if getattr(_together, "failures", None) is not None:
        yield  # already inside one: it is that one's transaction
        return
    _together.failures = []
    try:
        with desk.db.atomic():
            yield
    except DeskError:
        failures, _together.failures = _together.failures, None
        if failures:
            _record_failures(desk, failures)
        raise
    finally:
        _together.failures = None


def check_actor(desk: Desk, role: str | None = None) -> Officer:
    """The acting officer, refused unless active and (if asked) in ``role``."""
    me = Officer.get_or_none(Officer.login == desk.actor)
    if me is None:
        raise NotAnOfficer("identity.not_officer", login=desk.actor)
    if not me.active:
        raise NotAnOfficer("identity.inactive", login=desk.actor, name=me.name)
    if role is not None and me.role != role:
        raise Refused(f"role.needs_{role}", role=role)
    return me
