"""Warnings about the store found in this process (missing audit guards, a
damaged page, an anchor that could not be written), for whoever shows them:
the command line prints them on stderr, the desk asks ``db.store_warnings()``.
A leaf module, so the store and the anchor can both add to it."""

from __future__ import annotations

warnings: list[str] = []
