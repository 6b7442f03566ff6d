"""Warnings about the store found in this process (missing audit guards, a
damaged page, an anchor that could not be written), for whoever shows them:
the command line prints them on stderr, the desk asks ``db.store_warnings()``.
A leaf module, so the store and the anchor can both add to it."""

from __future__ import annotations

warnings: list[str] = []


# Who shows the progress of a long step of opening a store (building the
# search index of a store from before search): (what, done, total); the
# command line prints it on stderr; None: nobody is told.
progress_hook = None


def progress(what: str, done: int, total: int) -> None:
    if progress_hook is not None:
        progress_hook(what, done, total)
