"""Officers as people name them: a leaf, so that any part of the core (the
desk, search's index of handover notes) can name an officer without the
modules a write needs."""

from __future__ import annotations

from duty_desk.core.models import Officer


def officer_name(login: str | None) -> str:
    """An officer as people name them; a login that is no officer stays as it is."""
    if not login:
        return ""
    row = Officer.get_or_none(Officer.login == login)
    return row.name if row else login


def officer_names() -> dict[str, str]:
    """Every officer's login -> name, in one query (for a screen full of names)."""
    return dict(Officer.select(Officer.login, Officer.name).tuples())
