"""The quick-entry line: the widget. Its grammar is the core's
(core.entryline), so ``duty-desk log`` reads a line as the desk does.

A paste is kept whole: control sequences are removed (and the officer told),
and lines after the first are joined with ``⏎`` (LINE_MARK), which becomes a
line break again in what is recorded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Label, Static
from textual.worker import get_current_worker

from duty_desk.core.entryline import LINE_MARK, ParsedEntry, parse_entry
from duty_desk.core.errors import DeskError
from duty_desk.core.i18n import t
from duty_desk.core.sanitize import shown
from duty_desk.tui.paste import clean_paste, notes_line
from duty_desk.tui.safe import store_failure

# --- the widget ------------------------------------------------------------------

# A draft is written at most this long after the first unsaved keystroke, so
# text typed continuously is still saved within a second.
DRAFT_DELAY = 0.5


class EntryInput(Input):
    """The input of the entry line. A paste is cleaned of control sequences
    and kept whole: lines after the first are joined with LINE_MARK (a plain
    Input keeps only the first line)."""

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        cleaned, removed = clean_paste(event.text)
        lines = [" ".join(line.split()) for line in cleaned.replace("\t", " ").split("\n")]
        while lines and not lines[-1]:
            lines.pop()
        while lines and not lines[0]:
            lines.pop(0)
        text = f" {LINE_MARK} ".join(lines)
        if text:
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *selection)
        notes = []
        if len(lines) > 1:
            notes.append(t("tui.paste.lines_joined", count=len(lines), mark=LINE_MARK))
        if removed:
            notes.append(t("tui.paste.controls_removed"))
        if notes:
            # After the Changed message this paste sets off, which clears
            # an error shown under the line.
            entry = next((a for a in self.ancestors if isinstance(a, EntryLine)), None)
            if entry is not None:
                self.call_after_refresh(entry.show_done, notes_line(notes))


# How long a new desk waits for the officer's desk that is closing (a dropped
# SSH connection) to let go of its draft, and how often it looks.
TAKE_OVER_WAIT = 10.0
TAKE_OVER_POLL = 0.5


class EntryLine(Vertical):
    """The entry line: a prompt, the input and one line for the reason or a hint."""

    help_key = "tui.help.entry"

    class Submitted(Message):
        """The officer pressed Enter on a line that parsed."""

        def __init__(self, entry: EntryLine, parsed: ParsedEntry, text: str, confirmed: bool = False) -> None:
            super().__init__()
            self.entry = entry
            self.parsed = parsed
            self.text = text
            self.confirmed = confirmed  # recorded even though the same was just recorded

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._draft_timer: Timer | None = None
        # Keeps a draft from being written after the entry it belongs to was
        # recorded: every change and every send takes a new version, and a
        # draft is written only while its version is still the newest. Only
        # threads take the lock; the event loop never waits on it.
        self._draft_lock = threading.Lock()
        self._version = 0
        self.busy = False
        # The line the desk asked about (the same entry recorded minutes
        # ago): Enter on this very text again records it anyway.
        self.confirm_text: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="entry-row"):
            yield Label(t("tui.entry.prompt"), id="entry-prompt")
            yield EntryInput(placeholder=t("tui.entry.placeholder"), id="entry-input",
                             select_on_focus=False)
        yield Static(Text(t("tui.entry.hint")), id="entry-status")

    def on_mount(self) -> None:
        # A steady cursor: a blinking one repaints twice a second over SSH.
        self.input.cursor_blink = False

    @property
    def input(self) -> Input:
        return self.query_one("#entry-input", Input)

    @property
    def value(self) -> str:
        return self.input.value

    def focus(self, scroll_visible: bool = True) -> EntryLine:
        # In history the line is not shown (nothing is recorded there): the
        # focus goes to the log of the day shown instead.
        if getattr(self.screen, "history_day", None) is not None:
            self.screen.action_focus_log()  # type: ignore[attr-defined]
            return self
        self.input.focus(scroll_visible)
        return self

    # --- feedback ---------------------------------------------------------------

    def show_error(self, message: str) -> None:
        status = self.query_one("#entry-status", Static)
        status.update(Text(shown(message)))
        status.set_class(True, "-error")
        status.set_class(False, "-done")

    def show_done(self, message: str) -> None:
        status = self.query_one("#entry-status", Static)
        status.update(Text(shown(message)))
        status.set_class(False, "-error")
        status.set_class(True, "-done")

    def show_hint(self) -> None:
        status = self.query_one("#entry-status", Static)
        status.update(Text(t("tui.entry.hint")))
        status.set_class(False, "-error")
        status.set_class(False, "-done")

    # --- typing and sending -----------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._version += 1
        if self.confirm_text is not None and event.value != self.confirm_text:
            self.confirm_text = None
        if self.query_one("#entry-status", Static).has_class("-error"):
            self.show_hint()
        if self._draft_timer is None:
            self._draft_timer = self.set_timer(DRAFT_DELAY, self._draft_due)

    def _draft_due(self) -> None:
        self._draft_timer = None
        self.save_draft_now()

    def save_draft_now(self) -> None:
        """Write what is typed as the draft (in a thread)."""
        self._save_draft(self.value, self._version)

    @property
    def session(self) -> Any:
        """The running desk the drafts belong to (None in a bare host app)."""
        return getattr(self.app, "session", None)

    @work(thread=True, group="draft")
    def _save_draft(self, text: str, version: int) -> None:
        from duty_desk.core.services import drafts
        from duty_desk.tui.workers import in_thread

        with self._draft_lock:
            if version != self._version:
                return  # newer text (or a send) supersedes this one
            try:
                in_thread(self.app.desk, drafts.save_draft, self.app.desk, text, self.session)
            except Exception as exc:
                self.app.call_from_thread(self.app.notify, store_failure(exc, self.app.desk.db, "tui.draft.not_kept"), title=t("tui.draft.failed"),
                                          severity="warning", markup=False)

    @contextmanager
    def sending(self) -> Iterator[None]:
        """Around recording the line (in a thread): a draft save of this line
        still pending is dropped, never written after the line is recorded."""
        with self._draft_lock:
            self._version += 1
            yield

    @work(thread=True, group="draft")
    def restore_draft(self) -> None:
        """Put back what was typed and not sent (the entry line, an open form)
        by a desk of this officer that is gone; never a desk still running."""
        from duty_desk.core.services import drafts
        from duty_desk.tui.workers import in_thread

        session = self.session
        if session is None:
            return
        # A desk of this officer that still runs keeps its draft; one that is
        # closing after a dropped connection lets go of it within seconds, so
        # the new desk keeps looking for a while (a reconnect is quick).
        claimed: dict[str, str] = {}
        deadline = time.monotonic() + TAKE_OVER_WAIT
        while True:
            try:
                # Asked before claiming: a desk that lets go in between is
                # then claimed from in this same round.
                held = in_thread(self.app.desk, drafts.held_elsewhere, self.app.desk, session)
                claimed.update(in_thread(self.app.desk, drafts.claim_drafts, self.app.desk, session))
            except Exception:
                return
            if get_current_worker().is_cancelled:
                return
            if claimed or not held or time.monotonic() >= deadline:
                break
            time.sleep(TAKE_OVER_POLL)
        if claimed.get(drafts.ENTRY):
            self.app.call_from_thread(self._put_back, claimed[drafts.ENTRY])
        if claimed.get(drafts.FORM):
            self.app.call_from_thread(self.post_message, self.FormDraft(claimed[drafts.FORM]))

    class FormDraft(Message):
        """A form that was open, with what was typed in it, to open again."""

        def __init__(self, state: str) -> None:
            super().__init__()
            self.state = state

    def _put_back(self, text: str) -> None:
        # Typed already while the draft was being read: both are kept, the
        # draft first (it was typed first).
        typed = self.value
        value = f"{text} {typed}" if typed.strip() else text
        self.input.value = value
        self.input.cursor_position = len(value)
        self.show_done(t("tui.draft.restored"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        taking = getattr(self.screen, "pane_taking_focus", None)
        pane = taking() if callable(taking) else None
        if pane is not None:
            # Enter typed right after Tab, before the focus reached the pane:
            # it is the pane's Enter (its highlighted row's detail), never
            # this line's; what is typed here stays.
            pane.call_after_refresh(pane.select_highlighted)
            return
        if self.busy:
            return
        text = event.value
        try:
            parsed = parse_entry(text)
        except DeskError as err:
            self.show_error(err.message)
            return
        self.post_message(self.Submitted(self, parsed, text, confirmed=text == self.confirm_text))
        self.confirm_text = None

    def clear(self) -> None:
        self.input.value = ""
