"""交接班 screen: the outgoing officer previews the sheet, writes notes and
hands over; the incoming officer (another login) reads back every carried-over
item and accepts.

The screen shows what the core says: ``load_view`` reads the sheet
(duty_desk.core.handover) and the read-backs on a worker thread, every write is a
call of duty_desk.core.handover.flow in a worker, followed by a fresh read. A
refusal is shown in the screen as the core words it; nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static, TextArea

from duty_desk.core.desk import Desk
from duty_desk.core.errors import DeskError
from duty_desk.core.handover import (
    full_time,
)
from duty_desk.core.handover.view import (
    HandoverView,
    accept_and_load,
    hand_over_and_load,
    load_view,
    read_back_and_load,
)
from duty_desk.core.i18n import t
from duty_desk.core.sanitize import shown
from duty_desk.tui.bindings import translate_bindings
from duty_desk.tui.help import spelled
from duty_desk.tui.messages import RecordsChanged
from duty_desk.tui.safe import store_failure
from duty_desk.tui.screens.confirm import ConfirmStep
from duty_desk.tui.screens.handover_help import HandoverCommands, HandoverHelp
from duty_desk.tui.theme import row_styles
from duty_desk.tui.widgets.sheet import sheet_renderable, wrapped
from duty_desk.tui.workers import in_thread, run_core

# Notes typed but not yet handed over, per store and login: closing the
# screen (or a refusal) must not lose them. Kept for the life of the process.
_NOTES: dict[tuple[str, str], str] = {}


# --- the screen ---------------------------------------------------------------------

# action -> (label key, the modes it applies in)
ACTIONS: dict[str, tuple[str, frozenset[str]]] = {
    "hand_over": ("tui.handover.key.hand_over", frozenset({"preview"})),
    "accept": ("tui.handover.key.accept", frozenset({"incoming"})),
    "read_back": ("tui.handover.key.read_back", frozenset({"incoming"})),
    "why_not": ("tui.handover.key.why_not", frozenset({"handed", "accepted"})),
    "previous_item": ("tui.handover.key.previous", frozenset({"incoming"})),
    "next_item": ("tui.handover.key.next", frozenset({"incoming"})),
    "sheet_up": ("tui.handover.key.sheet_up", frozenset()),
    "sheet_down": ("tui.handover.key.sheet_down", frozenset()),
    "reload": ("tui.handover.key.reload", frozenset()),
    "help": ("tui.handover.key.help", frozenset()),
    "close": ("tui.handover.key.close", frozenset()),
}


class HandoverScreen(ModalScreen[int | None]):
    """交接班. Dismissed with the handover's id when this session handed over,
    read back or accepted something, else None."""

    help_key = "tui.handover.help"
    COMMANDS: ClassVar = {HandoverCommands}
    AUTO_FOCUS = None  # focus follows the mode, once the sheet is read

    BINDINGS: ClassVar = [
        Binding("escape", "close", "tui.handover.key.close", id="handover.close"),
        Binding("f1", "help", "tui.handover.key.help", id="handover.help"),
        # One key for the step that ends each side: hand over, or accept.
        Binding("f8", "hand_over", "tui.handover.key.hand_over", id="handover.hand_over"),
        Binding("f8", "accept", "tui.handover.key.accept", id="handover.accept"),
        # Where neither step is open to this officer, the same key says why.
        Binding("f8", "why_not", "tui.handover.key.why_not", show=False, id="handover.why_not"),
        # Priority, so the footer shows them over the input's own keys; they
        # are enabled only while reading back, and pass through otherwise.
        Binding("enter", "read_back", "tui.handover.key.read_back", priority=True, id="handover.read_back"),
        Binding("up", "previous_item", "tui.handover.key.previous", priority=True, id="handover.previous_item"),
        Binding("down", "next_item", "tui.handover.key.next", priority=True, id="handover.next_item"),
        Binding("pageup", "sheet_up", "tui.handover.key.sheet_up", show=False, id="handover.sheet_up"),
        Binding("pagedown", "sheet_down", "tui.handover.key.sheet_down", show=False, id="handover.sheet_down"),
        Binding("f5", "reload", "tui.handover.key.reload", show=False, id="handover.reload"),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__(id="handover")
        translate_bindings(self)
        self.desk = desk
        self.view: HandoverView | None = None
        self.shift_id: int | None = None
        self.current = 0  # index into view.items
        self.typed: dict[int, str] = {}  # item id -> restatement typed, not yet sent
        self.busy = False
        self.result: int | None = None
        self._notes_key = (str(desk.db.database), desk.actor)

    # --- layout -----------------------------------------------------------------
    def compose(self) -> ComposeResult:
        box = Vertical(id="handover-box")
        box.border_title = Text(t("tui.handover.title"))
        with box:
            with VerticalScroll(id="handover-sheet"):
                yield Static(Text(t("tui.form.loading")), id="handover-content")
            with Vertical(id="handover-outgoing"):
                yield Label(Text(t("tui.handover.notes_label")), id="handover-notes-label")
                yield TextArea(_NOTES.get(self._notes_key, ""), id="handover-notes", compact=True,
                               placeholder=t("tui.handover.notes_placeholder"))
            with Vertical(id="handover-readback"):
                yield Static("", id="handover-item")
                yield HorizontalGroup(Label(Text(t("tui.handover.restate_label")), id="handover-restate-label"),
                                      Input(id="handover-restate", compact=True, select_on_focus=False,
                                            placeholder=t("tui.handover.restate_placeholder")))
            yield Static("", id="handover-status")
            yield Static("", id="handover-message")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        for part in ("#handover-outgoing", "#handover-readback", "#handover-status", "#handover-message"):
            self.query_one(part).display = False
        self.query_one("#handover-sheet").focus()
        self._load()

    # --- reading ----------------------------------------------------------------
    def _load(self) -> None:
        run_core(self, self.desk, load_view, self.desk, self.shift_id, done=self._show, failed=self.say,
                 group="handover-load", exclusive=True, failure_key="tui.handover.load_failed")

    def _show(self, view: HandoverView) -> None:
        if not self.is_attached:
            return
        first = self.view is None
        old_mode = self.view.mode if self.view else None
        self._keep_typed()
        self.view = view
        if view.shift_id is not None:
            self.shift_id = view.shift_id
        sheet = view.sheet
        shift = t("handover.shift_label", day=sheet.duty_date.isoformat(), name=sheet.shift_name)
        self.query_one("#handover-box").border_title = Text(
            t("tui.handover.box_title", shift=shift, state=t(f"state.shift.{sheet.state}")))
        if view.mode == "incoming":
            self._pick_current(first)
        self.query_one("#handover-outgoing").display = view.mode == "preview"
        self.query_one("#handover-readback").display = view.mode == "incoming"
        self._render_sheet()
        self._render_item()
        self._render_status()
        if view.mode != old_mode:
            self._focus_for_mode()
        self.refresh_bindings()

    def _pick_current(self, first: bool) -> None:
        """Stay on the item in hand, unless it was just read back: then the
        next one still to read back."""
        items = self.view.items if self.view else []
        if not items:
            self.current = 0
            return
        start = min(self.current, len(items) - 1)
        if not first and not items[start].mine:
            self.current = start
            return
        order = list(range(start, len(items))) + list(range(0, start))
        self.current = next((i for i in order if not items[i].mine), start)

    def _focus_for_mode(self) -> None:
        mode = self.view.mode if self.view else ""
        if mode == "incoming" and self.view and self.view.items:
            self.query_one("#handover-restate", Input).focus()
        else:
            # Preview: the sheet first (arrows scroll it), Tab goes to the notes.
            self.query_one("#handover-sheet").focus()

    def _render_sheet(self) -> None:
        view = self.view
        if view is None:
            return
        current = view.items[self.current].item_id if view.mode == "incoming" and view.items else None
        self.query_one("#handover-content", Static).update(sheet_renderable(
            view.sheet, overdue=row_styles(self.app).overdue, current=current, show_notes=view.mode != "preview"))

    def _render_item(self) -> None:
        view = self.view
        box = self.query_one("#handover-item", Static)
        restate = self.query_one("#handover-restate", Input)
        if view is None or view.mode != "incoming":
            return
        total = len(view.items)
        progress = Text(t("tui.handover.progress", done=view.read_back, total=total), style="bold")
        if not total:
            progress.append("  " + t("tui.handover.no_items", key=self.key_for("accept")))
            box.update(wrapped(progress))
            restate.display = False
            self.query_one("#handover-restate-label").display = False
            return
        item = view.items[self.current]
        text = Text.assemble(progress, "  ", t("tui.handover.item_head", n=self.current + 1, total=total,
                                                kind=item.kind, id=item.item_id))
        text.append("  " + t("tui.handover.item.owner", owner=item.owner))
        if item.due:
            text.append("  ")
            text.append(t("tui.handover.item.due", due=item.due), style=row_styles(self.app).overdue if item.overdue else "")
        text.append("\n")
        text.append(item.title)
        text.append("\n" + t("tui.handover.item.next"), style="bold")
        text.append(item.next_action)
        if item.chases:
            text.append("\n" + item.chases, style="dim")
        if item.mine:
            done = (t("tui.handover.item.confirmed") if item.readback == item.next_action
                    else t("tui.handover.item.restated", text=item.readback or ""))
            text.append("\n✓ " + done, style="bold")
        elif item.readback is not None:
            text.append("\n" + t("tui.handover.item.other", name=item.read_back_by), style="dim")
        if view.read_back == total:
            text.append("\n" + t("tui.handover.all_read", total=total, key=self.key_for("accept")), style="bold")
        box.update(wrapped(text))
        restate.value = self.typed.get(item.item_id, "")
        restate.cursor_position = len(restate.value)

    def _render_status(self) -> None:
        view = self.view
        status = self.query_one("#handover-status", Static)
        if view is not None and view.mode == "preview" and view.not_theirs:
            status.update(wrapped(t("tui.handover.nothing_pending", officers="、".join(view.sheet.outgoing)), "bold"))
            status.set_class(False, "-done")
            status.display = True
            return
        if view is None or view.mode in ("preview", "incoming"):
            status.display = False
            return
        sheet = view.sheet
        if view.mode == "accepted":
            text = t("tui.handover.accepted", name=sheet.incoming, at=full_time(sheet.accepted_at),
                     by=sheet.handed_over_by)
        else:
            text = t("tui.handover.waiting", name=sheet.handed_over_by, at=full_time(sheet.handed_over_at))
        status.update(wrapped(text, "bold"))
        status.set_class(view.mode == "accepted", "-done")
        status.display = True

    def say(self, message: str | Text, tone: str = "error") -> None:
        """The result of the last step, or why it was refused."""
        box = self.query_one("#handover-message", Static)
        box.update(wrapped(message))
        box.display = bool(str(message))
        for cls in ("-error", "-info", "-ok"):
            box.set_class(cls == f"-{tone}", cls)

    # --- what was typed ---------------------------------------------------------------
    def _keep_typed(self) -> None:
        view = self.view
        if view is None or view.mode != "incoming" or not view.items:
            return
        value = self.query_one("#handover-restate", Input).value
        item_id = view.items[min(self.current, len(view.items) - 1)].item_id
        if value.strip():
            self.typed[item_id] = value
        else:
            self.typed.pop(item_id, None)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id == "handover-notes":
            _NOTES[self._notes_key] = event.text_area.text

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_read_back()

    # --- keys ---------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ACTIONS and ACTIONS[action][1]:
            if self.view is None or self.view.mode not in ACTIONS[action][1]:
                return False
            if action in ("read_back", "previous_item", "next_item") and not self.view.items:
                return False
        return True

    def key_for(self, action: str) -> str:
        """The key that runs ``action`` here, as the footer shows it, spelled out."""
        keymap: dict[str, str] = getattr(self.app, "keymap", {})
        for _key, binding in self._bindings:
            if binding.action == action:
                key = keymap.get(binding.id or "", binding.key).split(",")[0].strip()
                shown = spelled(self.app.get_key_display(Binding(key, binding.action)))
                return {"pgup": "PgUp", "pgdn": "PgDn"}.get(shown, shown)
        return ""

    def key_rows(self) -> list[tuple[str, str]]:
        return [(self.key_for(action), t(label)) for action, (label, _modes) in ACTIONS.items()]

    def palette_commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        out = []
        for action, (label, _modes) in ACTIONS.items():
            if self.check_action(action, ()) is False:
                continue
            key = self.key_for(action)
            out.append((t(label), partial(self.run_action, action),
                        t("tui.palette.key", key=key) if key else ""))
        return out

    def action_close(self) -> None:
        if not self.busy:  # a write in flight must come back to this screen
            self.dismiss(self.result)

    def action_help(self) -> None:
        self.app.push_screen(HandoverHelp(self))

    def action_reload(self) -> None:
        self._load()

    def action_sheet_up(self) -> None:
        self.query_one("#handover-sheet", VerticalScroll).scroll_page_up(animate=False)

    def action_sheet_down(self) -> None:
        self.query_one("#handover-sheet", VerticalScroll).scroll_page_down(animate=False)

    def _move(self, step: int) -> None:
        view = self.view
        if view is None or not view.items:
            return
        self._keep_typed()
        self.current = (self.current + step) % len(view.items)
        self._render_item()
        self._render_sheet()

    def action_previous_item(self) -> None:
        self._move(-1)

    def action_next_item(self) -> None:
        self._move(1)

    # --- the steps ------------------------------------------------------------------
    def action_hand_over(self) -> None:
        view = self.view
        if self.busy or view is None:
            return
        notes = self.query_one("#handover-notes", TextArea).text

        def answered(yes: bool | None) -> None:
            if yes:
                self._start(t("tui.handover.working"))
                self._hand_over(notes, view.shift_id)

        self.app.push_screen(ConfirmStep(t("tui.handover.confirm.hand_over.title"),
                                         t("tui.handover.confirm.hand_over", n=len(view.sheet.carried))), answered)

    def action_read_back(self) -> None:
        view = self.view
        if self.busy or view is None or not view.items:
            return
        item = view.items[self.current]
        typed = self.query_one("#handover-restate", Input).value.strip()
        self._keep_typed()
        self._start(t("tui.handover.working"))
        # An empty line confirms the next action as written; a typed one restates it.
        self._read_back(item.item_id, typed or None, view.shift_id)

    def action_accept(self) -> None:
        view = self.view
        if self.busy or view is None or view.handover_id is None:
            return
        if view.read_back < len(view.items):
            # The core says what is missing (and records the attempt); no confirm
            # for a step that cannot succeed.
            self._start(t("tui.handover.working"))
            self._accept(view.handover_id, view.shift_id)
            return

        def answered(yes: bool | None) -> None:
            if yes and view.handover_id is not None:
                self._start(t("tui.handover.working"))
                self._accept(view.handover_id, view.shift_id)

        moving = sum(1 for c in view.sheet.carried if c.kind != "custody")
        self.app.push_screen(ConfirmStep(t("tui.handover.confirm.accept.title"),
                                         t("tui.handover.confirm.accept", n=moving, by=view.sheet.handed_over_by)),
                             answered)

    def action_why_not(self) -> None:
        """F8 where this officer can neither hand over nor accept (they handed
        it over themselves, they are a leader, it was accepted already): the
        core is asked, and its refusal says why."""
        view = self.view
        if self.busy or view is None or view.handover_id is None:
            return
        self._start(t("tui.handover.working"))
        self._accept(view.handover_id, view.shift_id)

    def _start(self, message: str) -> None:
        self.busy = True
        self.say(message, "info")

    @work(thread=True, exclusive=True, group="handover-write", exit_on_error=False)
    def _hand_over(self, notes: str, shift_id: int | None) -> None:
        self._run(partial(hand_over_and_load, self.desk, notes, shift_id), "hand_over")

    @work(thread=True, exclusive=True, group="handover-write", exit_on_error=False)
    def _read_back(self, item_id: int, restated: str | None, shift_id: int | None) -> None:
        self._run(partial(read_back_and_load, self.desk, item_id, restated, shift_id), "read_back",
                  item_id=item_id, restated=restated)

    @work(thread=True, exclusive=True, group="handover-write", exit_on_error=False)
    def _accept(self, handover_id: int, shift_id: int | None) -> None:
        self._run(partial(accept_and_load, self.desk, handover_id, shift_id), "accept")

    def _run(self, call: Callable[[], tuple[int, HandoverView]], step: str, **about: Any) -> None:
        """On the worker thread: the write and the fresh read; the outcome
        goes back to the event loop."""
        try:
            handover_id, view = in_thread(self.desk, call)
        except DeskError as err:
            self.app.call_from_thread(self._refused, err)
        except Exception as exc:  # a locked or lost store: keep what was typed
            self.app.call_from_thread(self._refused, None, exc)
        else:
            self.app.call_from_thread(self._done, step, handover_id, view, about)

    def _refused(self, err: DeskError | None, exc: Exception | None = None) -> None:
        self.busy = False
        if not self.is_attached:
            return
        self.say(shown(err.message) if err is not None
                 else store_failure(exc, self.desk.db, "tui.handover.failed"))
        self._load()  # the store may have moved on (another session): show it as it is

    def _done(self, step: str, handover_id: int, view: HandoverView, about: dict[str, Any]) -> None:
        self.busy = False
        self.result = handover_id
        if step == "hand_over":
            _NOTES.pop(self._notes_key, None)
            self.app.post_message(RecordsChanged({"shift", "handover"}))
            message = t("tui.handover.done.hand_over", n=len(view.items))
        elif step == "read_back":
            self.typed.pop(about["item_id"], None)
            if self.view and self.view.items and self.view.items[self.current].item_id == about["item_id"]:
                self.query_one("#handover-restate", Input).value = ""
            key = "tui.handover.done.restated" if about["restated"] else "tui.handover.done.confirmed"
            message = t(key, id=about["item_id"])
        else:
            # Ownership moved to this officer: every pane may show it.
            self.app.post_message(RecordsChanged())
            message = t("tui.handover.done.accepted")
        if not self.is_attached:
            return
        self.say(message, "ok")
        self._show(view)
