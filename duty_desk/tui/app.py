"""The desk: the Textual app a duty officer keeps open for the whole shift.

Data flows one way: a key press → the screen turns it into a call of the core
(a thread worker, tui.workers) → on success a RecordsChanged message → every
pane that shows that kind reloads itself from the store (in a thread worker
too). The event loop never waits on a query. A poll of the audit trail's head
notices what other sessions wrote.

The app holds the desk and its screens; the desk screen is desk_screen (its
actions desk_actions), the header header, the one table of actions actions,
the insistence (warnings, escalation, the store's health) alerts.
"""

from __future__ import annotations

import asyncio
import re
import signal
import sys
import threading
from datetime import date
from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.driver import Driver
from textual.timer import Timer

from duty_desk.core import changes
from duty_desk.core.config import packaged_file
from duty_desk.core.desk import Desk
from duty_desk.core.i18n import t
from duty_desk.core.openitems import OpenItem
from duty_desk.core.sanitize import shown
from duty_desk.core.services import drafts
from duty_desk.core.services.drafts import DeskSession
from duty_desk.core.services.escalation import WarnKey
from duty_desk.tui.alerts import ANCHOR_SECONDS, TICK_SECONDS, Alerts
from duty_desk.tui.bindings import translate_bindings
from duty_desk.tui.desk_screen import DeskScreen
from duty_desk.tui.messages import RecordsChanged
from duty_desk.tui.palette import PALETTE, DeskCommands
from duty_desk.tui.panes import DocumentsPane, LogPane, UrgentPane, VisitorsPane
from duty_desk.tui.panes.base import DeskPane, DeskTable
from duty_desk.tui.paste import desk_driver
from duty_desk.tui.theme import DUTY_DESK
from duty_desk.tui.workers import in_thread, run_core

# Seconds between looks for other sessions' writes (a thread of its own; a
# look at a store where nothing was committed reads one counter, no table).
WATCH_SECONDS = 0.25
# A dropped connection (SIGHUP) or a stop (SIGTERM): drafts kept, desk closed.
HANG_UP_SIGNALS = (signal.SIGHUP, signal.SIGTERM)
# Seconds a closing desk waits for its drafts to be written.
KEEP_TIMEOUT = 10.0


class DutyDeskApp(Alerts, App):
    """值班台. ``DutyDeskApp(desk).run()``; tests use ``run_test``."""

    CSS_PATH = str(packaged_file("app.tcss"))
    COMMANDS = App.COMMANDS | {DeskCommands}
    BINDINGS: ClassVar = [
        Binding("ctrl+q", "quit", "tui.key.quit", show=False, priority=True, id="quit"),
        Binding("ctrl+p", "command_palette", "tui.key.palette_short", show=False, priority=True,
                id="command_palette"),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        translate_bindings(self)
        self.title = t("tui.title")
        self.sub_title = desk.cfg.office_name
        self.register_theme(DUTY_DESK)
        self._bad_theme = desk.cfg.theme not in self.available_themes
        self.theme = "duty-desk" if self._bad_theme else desk.cfg.theme
        self.keymap = dict(desk.cfg.keymap)
        self.set_keymap(self.keymap)
        # (due of one item, minutes before it; 0 = passed): each warned once.
        self.warned: set[WarnKey] = set()
        self.bells = 0
        # From the last escalation round: every open item with a due time,
        # and the duty day that ended with neither a record nor a zero report.
        self.dues: list[OpenItem] = []
        self.missed_day: date | None = None
        self._escalating = False
        self._escalate_again = False
        self._escalation_timer: Timer | None = None
        # What other sessions changed, by kind (core.changes); the head it
        # starts from is read now, before any pane loads.
        self.watch = changes.ChangeWatch()
        self.watch.look(desk)
        self._watcher: StoreWatcher | None = None
        self.watch_seconds = WATCH_SECONDS  # 0: no watching thread (a test looks with _poll)
        self._slot: tuple[date, int] | None = None
        # The drafts of this desk (services.drafts), and whether SIGHUP and
        # SIGTERM save what is typed and close the desk (set by run()).
        self.session: DeskSession | None = None
        self.handle_signals = False
        self.signalled: int | None = None
        self.keep_failed = ""  # why the drafts could not be written on closing
        self.anchor_seconds = ANCHOR_SECONDS

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver, reading pastes whole (duty_desk.tui.paste)."""
        return desk_driver(super().get_driver_class())

    def action_command_palette(self) -> None:
        """The palette, its prompt in the UI language."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=t("tui.palette.placeholder")))

    def get_key_display(self, binding: Binding) -> str:
        """F-keys as printed on the keyboard (F1), the rest as Textual shows them."""
        shown = super().get_key_display(binding)
        return shown.upper() if re.fullmatch(r"f\d{1,2}", shown) else shown

    def on_mount(self) -> None:
        self.session = drafts.start_session()
        if self.handle_signals:
            self._catch_signals()
        self.push_screen(DeskScreen(self.desk))
        self._slot = self._slot_now()
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self._bad_theme:
            self.notify(t("tui.theme.unknown", theme=shown(self.desk.cfg.theme)), severity="warning", markup=False)
        # Checked only when there is a keymap: it imports every screen.
        unknown = sorted(set(self.desk.cfg.keymap) - self.binding_ids()) if self.desk.cfg.keymap else []
        if unknown:
            self.notify(t("tui.keymap.unknown", ids=shown(", ".join(unknown))), severity="warning", markup=False)
        self.set_interval(TICK_SECONDS, self.tick)
        if self.watch_seconds > 0:
            self._watcher = StoreWatcher(self, self.watch_seconds)
            self._watcher.start()
        self._anchor_round()  # also says what was found wrong when the store opened

    def on_unmount(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher.join(2.0)  # its connection closed before the store is
        if self.handle_signals:
            loop = asyncio.get_running_loop()
            for signum in HANG_UP_SIGNALS:
                loop.remove_signal_handler(signum)
        if self.session is not None:
            drafts.end_session(self.session)  # its drafts are the next desk's to restore

    # --- nothing typed is lost -----------------------------------------------------

    def _catch_signals(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in HANG_UP_SIGNALS:
            loop.add_signal_handler(signum, self.hang_up, signum)

    def hang_up(self, signum: int) -> None:
        """SIGHUP (the SSH connection dropped) or SIGTERM: keep the entry
        line and any open form as drafts, then close the desk normally."""
        if self.signalled is not None:
            return  # a hang-up comes as a signal and as a failed read
        self.signalled = signum
        self.keep_unsent()
        self.exit(return_code=0)

    async def action_quit(self) -> None:
        self.keep_unsent()
        self.exit()

    def _handle_exception(self, error: Exception) -> None:
        # A crash: keep what is typed first, then Textual ends the app with
        # status 1 and its report.
        try:
            self.keep_unsent()
        except Exception:
            pass
        super()._handle_exception(error)

    def unsent(self) -> dict[str, str]:
        """What is typed and not sent: slot -> draft text (services.drafts)."""
        found: dict[str, str] = {}
        try:
            found[drafts.ENTRY] = self.desk_screen.entry.value
        except Exception:
            pass  # not composed yet, or torn down
        for screen in reversed(self.screen_stack):
            if callable(getattr(screen, "draft_state", None)):  # a form (tui.forms.base.DeskForm)
                state = screen.draft_state()
                if state is not None:
                    found[drafts.FORM] = state
                break
        return found

    def keep_unsent(self) -> None:
        """Write the drafts now, at once, from a thread of their own (the
        event loop runs no query) and wait for it: the desk is closing."""
        session = self.session
        found = self.unsent()
        if session is None or not found:
            return
        failed: list[BaseException] = []

        def write() -> None:
            try:
                for slot, text in found.items():
                    in_thread(self.desk, drafts.save_draft, self.desk, text, session, slot)
            except BaseException as exc:  # said below, on the event loop
                failed.append(exc)

        writer = threading.Thread(target=write, name="keep-unsent")
        writer.start()
        writer.join(KEEP_TIMEOUT)
        if failed:
            # Said by run() once the terminal is given back; a notification
            # now, in case the desk goes on.
            self.keep_failed = str(failed[0])
            self.notify(self.keep_failed, title=t("tui.draft.failed"), severity="error", markup=False)

    @property
    def desk_screen(self) -> DeskScreen:
        for screen in self.screen_stack:
            if isinstance(screen, DeskScreen):
                return screen
        raise LookupError("desk screen")

    def binding_ids(self) -> set[str]:
        from duty_desk.tui.forms.base import DeskForm
        from duty_desk.tui.screens.contacts import ContactsScreen
        from duty_desk.tui.screens.detail import DetailScreen
        from duty_desk.tui.screens.handover import HandoverScreen
        from duty_desk.tui.screens.history_date import HistoryDatePrompt
        from duty_desk.tui.screens.history_sheets import HistorySheets
        from duty_desk.tui.screens.open_items import OpenItemsScreen
        from duty_desk.tui.screens.roster import RosterScreen
        from duty_desk.tui.screens.standing import StandingScreen
        from duty_desk.tui.screens.swaps import SwapListScreen

        ids = {b.id for _k, b in self._bindings if b.id}
        ids |= {b.id for b in DeskScreen.BINDINGS if isinstance(b, Binding) and b.id}
        for cls in (DeskPane, DeskTable, LogPane, VisitorsPane, DocumentsPane, UrgentPane, OpenItemsScreen,
                    DetailScreen, DeskForm, HandoverScreen, HistoryDatePrompt, HistorySheets, RosterScreen,
                    SwapListScreen, StandingScreen, ContactsScreen):
            ids |= {b.id for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding) and b.id}
        return ids

    def _theme_changed(self, _theme: Any) -> None:
        for pane in self.desk_screen.panes:
            pane.theme_changed()

    # --- changes --------------------------------------------------------------------

    def on_records_changed(self, message: RecordsChanged) -> None:
        self.desk_screen.reload(message.kinds)
        # Screens over the desk that show records (the open-items view, a
        # detail) refresh too.
        for screen in self.screen_stack:
            refresh = getattr(screen, "records_changed", None)
            if screen is not self.desk_screen and callable(refresh):
                refresh(message.kinds)

    def _poll(self) -> None:
        """One look for other sessions' writes, on a worker (the watching
        thread does the same on its own)."""
        run_core(self, self.desk, self.watch.look, self.desk, done=self.changed, quiet=True, group="poll")

    def changed(self, kinds: frozenset[str]) -> None:
        """Records of these kinds changed elsewhere: only their panes reload."""
        if kinds:
            self.post_message(RecordsChanged(None if "*" in kinds else kinds))

    # --- screens ---------------------------------------------------------------------

    def open_detail(self, kind: str, record_id: int) -> None:
        desk_screen = self.desk_screen

        def closed(_result: Any) -> None:
            if self.screen is desk_screen:
                desk_screen.entry.focus()

        from duty_desk.tui.screens.detail import DetailScreen

        # Opened from history: read-only, like the day it belongs to.
        read_only = desk_screen.history_day is not None
        self.push_screen(DetailScreen(self.desk, kind, record_id, read_only=read_only), closed)


class StoreWatcher(threading.Thread):
    """Looks for other sessions' writes a few times a second, on a thread of
    its own that keeps its connection (the store's change counter is counted
    per connection), and tells the app which kinds changed."""

    def __init__(self, app: DutyDeskApp, seconds: float) -> None:
        super().__init__(name="store-watch", daemon=True)
        self.app, self.seconds = app, seconds
        self._stopping = threading.Event()

    def stop(self) -> None:
        self._stopping.set()

    def run(self) -> None:
        desk, version = self.app.desk, None
        try:
            while not self._stopping.wait(self.seconds):
                try:
                    now = changes.data_version(desk)
                    if now is not None and now == version:
                        continue  # nothing committed since the last look
                    kinds = self.app.watch.look(desk)
                    version = now
                except Exception:  # a busy or lost store: the next look tries again
                    if not desk.db.is_closed():
                        desk.db.close()
                    version = None
                    continue
                if kinds and not self._stopping.is_set():
                    try:
                        self.app.call_from_thread(self.app.changed, kinds)
                    except RuntimeError:  # the app is closing
                        return
        finally:
            try:
                if not desk.db.is_closed():
                    desk.db.close()
            except Exception:
                pass


def run(desk: Desk) -> int:
    """Run the desk on an open store until it closes; closes the store."""
    from duty_desk.core.sanitize import shown

    app = DutyDeskApp(desk)
    app.handle_signals = True
    try:
        app.run()
    except OSError:
        # The terminal went away as the desk closed (a dropped connection):
        # its last words could not be shown; what was typed is kept.
        if app.signalled is None:
            raise
    finally:
        desk.close()
    if app.keep_failed:
        print(t("tui.draft.failed") + ": " + shown(app.keep_failed), file=sys.stderr)
    # Non-zero after a crash (what was typed is kept as drafts); a hang-up or
    # SIGTERM closes the desk normally.
    return app.return_code or 0


__all__ = ["PALETTE", "DeskCommands", "DeskScreen", "DutyDeskApp", "RecordsChanged", "run"]
