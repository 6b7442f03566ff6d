"""What an officer typed and has not sent, kept so a crash, a kill -9 or a
dropped SSH connection loses nothing. Drafts are not records: not audited.

A draft belongs to one running desk (a ``DeskSession``). A desk that starts
takes over (claims) the drafts of desks of the same officer that are gone,
one row at a time with a conditional UPDATE, so when two desks start
together each draft is restored by one of them only, and a desk still
running keeps its own. Gone means: on this host, a process that no longer
runs (or, in this process, a session that ended); on another host, where
the process cannot be looked at, always (the desk then asks before
recording an entry it finds already recorded, see ``recent_duplicate``).
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from duty_desk.core.desk import Desk, together
from duty_desk.core.dutytime import duty_date_of
from duty_desk.core.models import Draft, LogEntry
from duty_desk.core.sanitize import clean_text
from duty_desk.core.services import log

ENTRY = "entry"
FORM = "form"
# An entry identical to one the same officer recorded this recently is asked
# about before it is recorded again.
DUPLICATE_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class DeskSession:
    """One running desk: which host and process, and a name of its own."""

    id: str
    host: str
    pid: int


# Sessions of this process that are still running.
_live: set[str] = set()


def start_session() -> DeskSession:
    host, pid = socket.gethostname(), os.getpid()
    session = DeskSession(f"{host}:{pid}:{uuid.uuid4().hex[:12]}", host, pid)
    _live.add(session.id)
    return session


def end_session(session: DeskSession) -> None:
    """The desk closed: its drafts are left for the next desk to take over."""
    _live.discard(session.id)


def _process_runs(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it runs
        return True
    except (OSError, OverflowError):  # OverflowError: no process can have that number
        return False
    return True


def is_gone(desk_id: str, host: str, pid: int) -> bool:
    """True when the desk that wrote a draft no longer runs."""
    if host != socket.gethostname() or pid <= 0:
        return True
    if pid == os.getpid():
        return desk_id not in _live
    return not _process_runs(pid)


def _owner(desk: Desk, session: DeskSession | None) -> str:
    return session.id if session is not None else f"login:{desk.actor}"


def save_draft(desk: Desk, text: str, session: DeskSession | None = None, slot: str = ENTRY) -> None:
    """Keep what is typed (the entry line's text, or a form as JSON)."""
    value = clean_text(text) if slot == ENTRY else text
    host, pid = (session.host, session.pid) if session is not None else ("", 0)
    with desk.db.atomic():
        (Draft.insert(login=desk.actor, desk_id=_owner(desk, session), host=host, pid=pid, slot=slot,
                      text=value, updated_at=desk.now())
         .on_conflict(conflict_target=[Draft.desk_id, Draft.slot],
                      update={Draft.text: value, Draft.updated_at: desk.now()})
         .execute())


def load_draft(desk: Desk, session: DeskSession | None = None, slot: str = ENTRY) -> str:
    """This desk's draft; without a session, the officer's newest draft."""
    query = Draft.select().where((Draft.login == desk.actor) & (Draft.slot == slot))
    if session is not None:
        query = query.where(Draft.desk_id == session.id)
    row = query.order_by(Draft.updated_at.desc(), Draft.id.desc()).first()
    return row.text if row else ""


def clear_draft(desk: Desk, session: DeskSession | None = None, slot: str = ENTRY) -> None:
    save_draft(desk, "", session, slot)


def record_line(desk: Desk, session: DeskSession | None, content: str, category: str,
                occurred_at: datetime | None = None, needs_action: bool | None = None) -> LogEntry:
    """Record a line sent from the desk's entry line and clear its draft in the
    same transaction: a crash can leave neither the entry without its draft
    cleared (the line restored and recorded twice) nor the reverse."""
    with together(desk):
        entry = log.record_entry(desk, content, category, occurred_at, needs_action=needs_action)
        clear_draft(desk, session)
    return entry


def claim_drafts(desk: Desk, session: DeskSession) -> dict[str, str]:
    """Take over, for this desk, the newest unsent draft of each slot left
    by a desk of the same officer that is gone. Returns slot -> text."""
    rows = list(Draft.select().where((Draft.login == desk.actor) & (Draft.desk_id != session.id)
                                     & (Draft.text != ""))
                .order_by(Draft.updated_at.desc(), Draft.id.desc()))
    claimed: dict[str, str] = {}
    for row in rows:
        if row.slot in claimed or not is_gone(row.desk_id, row.host, row.pid):
            continue
        own = Draft.get_or_none((Draft.desk_id == session.id) & (Draft.slot == row.slot))
        if own is not None and own.text:
            continue  # this desk has its own already
        with desk.db.atomic():
            if own is None:
                taken = (Draft.update(desk_id=session.id, host=session.host, pid=session.pid,
                                      updated_at=desk.now())
                         .where((Draft.id == row.id) & (Draft.desk_id == row.desk_id))
                         .execute())
            else:  # this desk kept an empty line so far: the text moves to its row
                taken = (Draft.update(text="", updated_at=desk.now())
                         .where((Draft.id == row.id) & (Draft.desk_id == row.desk_id) & (Draft.text == row.text))
                         .execute())
                if taken:
                    Draft.update(text=row.text, updated_at=desk.now()).where(Draft.id == own.id).execute()
        if taken:  # another desk starting at the same moment did not get there first
            claimed[row.slot] = row.text
    return claimed


def held_elsewhere(desk: Desk, session: DeskSession) -> bool:
    """True while another desk of this officer that still runs holds an unsent
    draft: after a dropped connection the old desk may take a few seconds to
    notice the hang-up, keep what was typed and close."""
    rows = (Draft.select(Draft.desk_id, Draft.host, Draft.pid)
            .where((Draft.login == desk.actor) & (Draft.desk_id != session.id) & (Draft.text != "")))
    return any(not is_gone(r.desk_id, r.host, r.pid) for r in rows)


def recent_duplicate(desk: Desk, content: str, category: str,
                     window: timedelta = DUPLICATE_WINDOW, now: datetime | None = None) -> LogEntry | None:
    """The entry, if any, with this very content and category that this
    officer recorded within ``window`` and did not void: recording the same
    again is most likely the same Enter pressed on two desks."""
    since = (now or desk.now()) - window
    # Through the duty-day index: without it, the usual answer (no such
    # entry) read every entry ever recorded, on every Enter.
    first_day = duty_date_of(since, desk.cfg) - timedelta(days=1)
    # No ORDER BY in SQL: sorting by id would tempt SQLite to walk the whole
    # table backwards instead of the index; the few matches are sorted here.
    found = (LogEntry.select()
             .where((LogEntry.duty_date >= first_day)
                    & (LogEntry.recorded_by == desk.actor) & (LogEntry.category == category)
                    & (LogEntry.content == clean_text(content)) & (LogEntry.recorded_at >= since)
                    & LogEntry.voided_at.is_null()))
    return max(found, key=lambda e: e.id, default=None)
