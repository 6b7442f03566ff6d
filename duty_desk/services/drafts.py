"""Unsent text of the entry line, kept per login so a crash, a kill -9 or a
dropped SSH connection loses nothing. Drafts are not records: not audited."""

from __future__ import annotations

from duty_desk.desk import Desk
from duty_desk.models import Draft
from duty_desk.sanitize import clean_text


def save_draft(desk: Desk, text: str) -> None:
    with desk.db.atomic():
        (Draft.insert(login=desk.actor, text=clean_text(text) if text.strip() else "", updated_at=desk.now())
         .on_conflict(conflict_target=[Draft.login], update={Draft.text: clean_text(text), Draft.updated_at: desk.now()})
         .execute())


def load_draft(desk: Desk) -> str:
    row = Draft.get_or_none(Draft.login == desk.actor)
    return row.text if row else ""


def clear_draft(desk: Desk) -> None:
    save_draft(desk, "")
