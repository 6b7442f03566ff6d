"""What every form shares: fields that check themselves as the user types,
a one-line choice widget, and a save that runs in a thread worker.

A form never loses what was typed: a refusal from the core is shown at the
field it names (or at the bottom) and the form stays open as it was.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, Vertical, VerticalGroup, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from duty_desk.core.desk import Desk
from duty_desk.core.errors import DeskError
from duty_desk.core.i18n import t
from duty_desk.core.rules import field_label
from duty_desk.core.services.common import masked_notice
from duty_desk.tui.bindings import translate_bindings
from duty_desk.tui.forms.drafts import FormDrafts
from duty_desk.tui.forms.fields import FieldAccess
from duty_desk.tui.forms.suggesting import Suggesting
from duty_desk.tui.messages import RecordsChanged
from duty_desk.tui.safe import shown_all, store_failure
from duty_desk.tui.widgets.fields import Choice, Field, FormInput, IdInput, as_text
from duty_desk.tui.workers import run_core, saving


class DeskForm(Suggesting, FieldAccess, FormDrafts, ModalScreen[int | None]):
    """A form over one service call. Subclasses give the fields, optionally
    load what they need from the store, and make the call in ``save``."""

    TITLE_KEY: ClassVar[str] = ""
    AUTO_FOCUS = None  # the form focuses its first empty field itself
    # Record kinds announced as changed when the form saved.
    CHANGES: ClassVar[frozenset[str]] = frozenset()
    # DeskError.field names that differ from the form's field names.
    ALIASES: ClassVar[dict[str, str]] = {}

    BINDINGS: ClassVar = [
        Binding("escape", "cancel", "tui.form.key.cancel", id="form.cancel"),
        Binding("enter", "submit", "tui.form.key.submit", id="form.submit", show=False),
        # Tab and the arrows move between fields. Priority bindings run as the
        # app takes the key from its queue, before it hands the next key to a
        # widget: keys typed ahead (a fast typist, a paste without brackets)
        # go to the field they were typed for. A plain binding would run only
        # after the key bubbled up from the field, by when the keys behind it
        # were already given to the old field. No field uses these keys.
        Binding("tab", "next_field", show=False, priority=True),
        Binding("shift+tab", "previous_field", show=False, priority=True),
        # With names suggested under a field, ↑/↓ move among them instead.
        Binding("down", "down", show=False, priority=True, id="form.next_field"),
        Binding("up", "up", show=False, priority=True, id="form.previous_field"),
    ]

    def __new__(cls, *args: Any, **kwargs: Any) -> DeskForm:
        form = super().__new__(cls)
        # What the form is about (a visitor's id, a record's kind and id):
        # kept so a form draft can open the same form again.
        form.made_with = args[1:]
        return form

    def __init__(self, desk: Desk, **prefill: Any) -> None:
        super().__init__()
        translate_bindings(self)
        self.note = ""  # a line shown once the form is ready (a restored draft)
        # Keys typed before the form had a field to take them (while it
        # opened or read its record), put into the fields once it has.
        self._early: list[tuple[str, str | None]] | None = []
        self._draft_timer: Timer | None = None
        self._draft_lock = threading.Lock()
        self._draft_version = 0
        self._dismissed = False
        self.desk = desk
        self.specs = {f.name: f for f in self.form_fields()}
        unknown = set(prefill) - set(self.specs)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field(s) {', '.join(sorted(unknown))}")
        self.prefill = {k: as_text(v, desk) for k, v in prefill.items() if v is not None}
        self.required = {f.name for f in self.specs.values() if f.required}
        self.busy = False
        self.ready = not self.needs_loading()

    # --- what subclasses provide -------------------------------------------------
    def form_fields(self) -> list[Field]:
        raise NotImplementedError

    def save(self, values: dict[str, str]) -> int:
        """Call the service (on a worker thread) and return the record id."""
        raise NotImplementedError

    def load(self) -> Any:
        """Read what the form needs from the store (on a worker thread)."""
        return None

    def loaded(self, data: Any) -> None:
        """Show what ``load`` read (on the event loop)."""

    def needs_loading(self) -> bool:
        return type(self).load is not DeskForm.load

    def title_text(self) -> str:
        return t(self.TITLE_KEY)

    # --- layout -----------------------------------------------------------------
    def compose(self) -> ComposeResult:
        # Title and key hints sit in the border: at 80x24 every line counts.
        box = Vertical(classes="form-box")
        box.border_title = Text(self.title_text())
        has_choice = any(f.choices is not None for f in self.specs.values())
        box.border_subtitle = Text(t("tui.form.keys_choice" if has_choice else "tui.form.keys"))
        with box:
            yield Static("", id="form-intro", classes="form-intro")
            body = VerticalScroll(classes="form-body")
            body.can_focus = False  # Tab goes from field to field, never to the box
            with body:
                for spec in self.specs.values():
                    yield self._field_row(spec)
            yield Static("", id="form-message", classes="form-message")

    def _field_row(self, spec: Field) -> HorizontalGroup:
        value = self.prefill.get(spec.name, spec.default)
        widget: Widget
        if spec.choices is not None:
            widget = Choice(spec.choices, value, id=f"field-{spec.name}", classes="form-field")
        else:
            cls = IdInput if spec.id_number else FormInput
            widget = cls(value, placeholder=t(spec.placeholder) if spec.placeholder else "",
                         id=f"field-{spec.name}", compact=True, select_on_focus=False,
                         classes="form-field")
        label = Label(self._label_text(spec.name, spec.label), id=f"label-{spec.name}",
                      classes="form-label")
        message = Static("", id=f"msg-{spec.name}", classes="form-field-message")
        return HorizontalGroup(label, VerticalGroup(widget, message, *self.suggestion_rows(spec)), id=f"row-{spec.name}",
                               classes="form-row")

    def _label_text(self, name: str, key: str) -> Text:
        text = Text(t(key) if key else field_label(name))
        # The marker column is kept for every label so the labels stay aligned.
        text.append("*" if name in self.required else " ", "bold")
        return text

    def on_mount(self) -> None:
        if not self.query("#form-intro"):
            return  # opened as the desk closes: nothing was composed
        self.query_one("#form-intro", Static).display = False
        self.query_one("#form-message", Static).display = False
        for choice in self.query(Choice):
            self.choice_changed((choice.id or "").removeprefix("field-"), choice.value)
        for name, value in self.prefill.items():
            if value:
                self.check_field(name)
        self.mask_checked_ids()
        self.read_names()
        if self.ready:
            self.focus_first_empty()
            if self.note:
                self.say(self.note, "info")
        else:
            self.say(t("tui.form.loading"), "info")
            self._load()
        self.after_mount()

    def after_mount(self) -> None:
        """What a form adds once it is mounted (its intro, a field hidden).
        Not an ``on_mount`` of its own: Textual runs every class's
        ``on_mount``, so a subclass's calling ``super().on_mount()`` ran the
        form's twice, the second time hiding what the subclass had shown."""

    def focus_first_empty(self) -> None:
        self._focus_first_empty()
        self._replay_early_keys()

    def _focus_first_empty(self) -> None:
        for name in self.specs:
            widget = self.widget(name)
            if self.is_live(name) and not self.raw_value(name):
                widget.focus()
                return
        for name in self.specs:
            if self.is_live(name):
                self.widget(name).focus()
                return

    # --- keys typed ahead ---------------------------------------------------------
    class EarlyKey(Message):
        """Tab or Shift+Tab typed before a field had focus: queued behind the
        keys typed before it, so all are taken in the order typed."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def on_key(self, event: events.Key) -> None:
        # A typed key reaches the form itself when the app handed it over
        # while no field had focus: the form was opening. Kept for the field.
        if not (event.is_printable or event.key == "enter"):
            return
        focused = self.focused
        if self._early is not None or focused is None:
            if self._early is None:
                self._early = []
            self._early.append((event.key, event.character))
        elif event.key == "enter":
            return  # the form's own Enter binding
        elif isinstance(focused, Input) and event.character:
            focused.insert_text_at_cursor(event.character)
        elif isinstance(focused, Choice) and event.character:
            focused.on_key(events.Key(event.key, event.character))
        else:
            return
        event.stop()
        event.prevent_default()

    def on_desk_form_early_key(self, message: EarlyKey) -> None:
        if self._early is not None or self.focused is None:
            if self._early is None:
                self._early = []
            self._early.append((message.key, None))
        elif message.key == "tab":
            self.focus_next()
        else:
            self.focus_previous()

    def action_down(self) -> None:
        if not self.move_suggestion(1):
            self.action_next_field()

    def action_up(self) -> None:
        if not self.move_suggestion(-1):
            self.action_previous_field()

    def action_next_field(self) -> None:
        if self.take_suggestion("tab"):
            return
        if self.focused is None:
            self.post_message(self.EarlyKey("tab"))
        else:
            self.focus_next()

    def action_previous_field(self) -> None:
        if self.focused is None:
            self.post_message(self.EarlyKey("shift+tab"))
        else:
            self.focus_previous()

    def _replay_early_keys(self) -> None:
        """The keys typed while the form opened, in order, as if typed now."""
        early, self._early = self._early or [], None
        submit = False
        for i, (key, char) in enumerate(early):
            focused = self.focused
            if key == "tab":
                if self.take_suggestion("tab"):
                    # Decided once the names are read; the keys after it wait again.
                    self._early = early[i + 1:] + ([("enter", None)] if submit else [])
                    return
                self.focus_next()
            elif key == "shift+tab":
                self.focus_previous()
            elif key == "enter":
                submit = True
            elif isinstance(focused, Input) and char:
                focused.insert_text_at_cursor(char)
            elif isinstance(focused, Choice) and char:
                focused.on_key(events.Key(key, char))
        if submit:
            self.action_submit()

    def mask_checked_ids(self) -> None:
        for w in self.query(IdInput):
            if not w.has_focus and self.field_ok(w):
                w.mask()

    # --- messages at the bottom ---------------------------------------------------
    def say(self, message: str | Text, tone: str = "error") -> None:
        box = self.query_one("#form-message", Static)
        box.update(message if isinstance(message, Text) else Text(message))
        box.display = bool(str(message))
        for cls in ("-error", "-info", "-warn"):
            box.set_class(cls == f"-{tone}", cls)

    def intro(self, text: Text | str) -> None:
        box = self.query_one("#form-intro", Static)
        box.update(text if isinstance(text, Text) else Text(text))
        box.display = bool(str(text))

    # --- loading and saving -------------------------------------------------------
    def _load(self) -> None:
        # What a form shows of the stored record (names, titles, units) is
        # made safe to show on the worker, once, for every form; a refusal or
        # a store failure is said and the form kept.
        run_core(self, self.desk, lambda: shown_all(self.load()), done=self._show_loaded, failed=self._not_loaded,
                 group="form-load", exclusive=True, failure_key="tui.form.failed")

    def _not_loaded(self, message: str) -> None:
        if not self.is_attached:
            return
        self.say(message)
        self.focus_first_empty()  # what was typed meanwhile is not lost

    def _show_loaded(self, data: Any) -> None:
        if not self.is_attached:  # closed while reading
            return
        self.say(self.note, "info")
        self.ready = True
        self.loaded(data)
        self.focus_first_empty()

    def values(self) -> dict[str, str]:
        return {name: self.raw_value(name) for name in self.specs if self.is_live(name)}

    def action_submit(self) -> None:
        if self.take_suggestion("enter"):
            return
        self.submit_now()

    def submit_now(self) -> None:
        if self.busy or not self.ready:
            return
        bad = [name for name in self.specs if not self.check_field(name, submitting=True)]
        if bad:
            self.say(t("tui.form.fix_fields"))
            self.widget(bad[0]).focus()
            return
        self.busy = True
        self.say(t("tui.form.saving"), "info")
        self._save(self.values())

    @work(thread=True, exclusive=True, group="form-save", exit_on_error=False)
    def _save(self, values: dict[str, str]) -> None:
        try:
            record_id, masked = saving(self.desk, self.save, values)
        except DeskError as err:
            self.app.call_from_thread(self.refused, err)
        except Exception as exc:  # a locked or lost store: keep what was typed
            self.app.call_from_thread(self.failed, exc)
        else:
            notice = masked_notice(masked)
            if notice is not None:
                self.app.call_from_thread(self.app.notify, notice, markup=False)
            self.app.call_from_thread(self.saved, record_id)

    def refused(self, err: DeskError) -> None:
        """The core said no: show why where it belongs; everything typed stays."""
        self.busy = False
        if not self.is_attached:
            return
        name = self.ALIASES.get(err.field or "", err.field or "")
        if name in self.specs and self.is_live(name):
            self.field_message(name, err.message)
            self.widget(name).focus()
            self.say(t("tui.form.fix_fields"))
        else:
            self.say(err.message)

    def failed(self, exc: Exception) -> None:
        self.busy = False
        if not self.is_attached:
            return
        self.say(store_failure(exc, self.desk.db, "tui.form.failed"))

    def saved(self, record_id: int) -> None:
        self.app.post_message(RecordsChanged(set(self.CHANGES)))
        self.dismiss(record_id)

    def action_cancel(self) -> None:
        if self.close_suggestions():
            return
        # Not while saving: the record may be written, and the caller must learn its id.
        if not self.busy:
            self.dismiss(None)

