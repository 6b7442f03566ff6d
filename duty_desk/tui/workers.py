"""Thread workers, one way: the desk's event loop never waits on the store.

``in_thread`` runs a core call on a worker thread and closes that thread's
connection after it. ``run_core`` starts such a worker and hands its outcome
back to the event loop: the result to ``done``, a refusal of the core
(DeskError) or a store failure, said in one line, to ``failed`` (by default a
notification). A desk that is closing drops the outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from duty_desk.core.desk import Desk
from duty_desk.core.errors import DeskError
from duty_desk.core.sanitize import shown
from duty_desk.tui.safe import store_failure

R = TypeVar("R")


def in_thread(desk: Desk, call: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    """Run a store call on a worker thread. Peewee keeps one SQLite connection
    per thread; close this thread's when done so none is left to the GC."""
    try:
        return call(*args, **kwargs)
    finally:
        if not desk.db.is_closed():
            desk.db.close()


def saving(desk: Desk, call: Callable[..., R], *args: Any, **kwargs: Any) -> tuple[R, list[str]]:
    """A write on a worker thread, and the fields in which the core masked an
    ID number during it. The core notes them in a ContextVar of this thread,
    so they are collected here, right after the call, on the same thread."""
    from duty_desk.core.services.common import take_masked_fields

    take_masked_fields()  # a pooled thread may hold an earlier call's
    result = in_thread(desk, call, *args, **kwargs)
    return result, take_masked_fields()


def notify_error(node: DOMNode) -> Callable[[str], None]:
    """The default ``failed``: an error notification, the text shown as typed."""
    return lambda message: node.app.notify(message, severity="error", markup=False)


def run_core(node: DOMNode, desk: Desk, call: Callable[..., Any], *args: Any,
             done: Callable[[Any], None] | None = None, failed: Callable[[str], None] | None = None,
             group: str = "default", exclusive: bool = False, failure_key: str = "tui.store_error",
             quiet: bool = False, **kwargs: Any) -> Worker:
    """Run ``call(*args, **kwargs)`` on a thread worker of ``node``; on the
    event loop afterwards, ``done(result)`` or ``failed(message)``. With
    ``quiet`` a failure is dropped (a round that simply tries again later).
    A worker cancelled meanwhile (an exclusive one replaced) reports nothing."""
    app = node.app
    say = failed or notify_error(node)

    def deliver(callback: Callable[[Any], None], value: Any) -> None:
        if get_current_worker().is_cancelled:
            return
        try:
            app.call_from_thread(callback, value)
        except RuntimeError:  # the app is closing
            pass

    def work() -> None:
        try:
            result = in_thread(desk, call, *args, **kwargs)
        except DeskError as err:
            if not quiet:
                deliver(say, shown(err.message))
            return
        except Exception as exc:  # a busy, full, read-only or lost store: said, the desk goes on
            if not quiet:
                deliver(say, store_failure(exc, desk.db, failure_key))
            return
        if done is not None:
            deliver(done, result)

    return node.run_worker(work, thread=True, group=group, exclusive=exclusive, exit_on_error=False)
