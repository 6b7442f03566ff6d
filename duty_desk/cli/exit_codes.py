"""Exit statuses of ``duty-desk``: one table, so scripts and cron jobs can tell
a mistake in the command from a refusal by a rule and from a store fault.

=====  ===================================================================
0      done
1      done, and something needs attention: ``check`` found an overdue
       item, ``audit verify`` found the trail broken
2      the command itself is wrong: unknown word or option, a missing or
       malformed argument, a bad config.toml, a terminal not set to UTF-8
3      refused: the input is invalid (empty, malformed, out of range), the
       record does not exist, a rule forbids it, or the login is not an
       officer. Nothing was changed
4      the store failed: it cannot be opened, is too new, is locked past the
       busy timeout, read-only or full. Nothing was changed
130    interrupted (Ctrl+C)
=====  ===================================================================
"""

from __future__ import annotations

OK = 0
FOUND = 1
USAGE = 2
REFUSED = 3
STORE = 4
INTERRUPTED = 130

# DeskError keys that report a store fault rather than a refusal.
STORE_KEYS = ("db.open_failed", "db.too_new", "db.failed", "store.full", "store.readonly",
              "store.corrupt", "store.missing", "store.missing_create")


def for_error_key(key: str) -> int:
    """The exit status of a DeskError with catalog key ``key``: a fault of the
    store file itself (missing, damaged, full, read-only) or of opening it is
    a store fault, anything else a refusal."""
    return STORE if key in STORE_KEYS else REFUSED
