"""What every form shares: fields that check themselves as the user types,
a one-line choice widget, and a save that runs in a thread worker.

A form never loses what was typed: a refusal from the core is shown at the
field it names (or at the bottom) and the form stays open as it was.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, Vertical, VerticalGroup, VerticalScroll
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from duty_desk.core.desk import Desk
from duty_desk.core.dutytime import fmt_dt
from duty_desk.core.errors import DeskError
from duty_desk.core.i18n import t
from duty_desk.core.idcard import mask_id
from duty_desk.core.rules import field_label
from duty_desk.core.services.common import masked_notice
from duty_desk.tui.bindings import translate_bindings
from duty_desk.tui.messages import RecordsChanged
from duty_desk.tui.paste import clean_paste, notes_line
from duty_desk.tui.safe import shown_all, store_failure

R = TypeVar("R")

# A form's draft is written at most this long after the first unsaved change.
FORM_DRAFT_DELAY = 0.5






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


def as_text(value: Any, desk: Desk) -> str:
    """A prefill value as the text a field holds (times local, to the minute)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return fmt_dt(value, desk.cfg)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# A check gets the form (for the desk and other fields) and the typed value.
# It raises DeskError when the value is wrong; it may return a note to show
# when it is right (the masked ID number, say).
Check = Callable[["DeskForm", str], "str | None"]


@dataclass(frozen=True)
class Field:
    name: str  # the service's keyword; DeskError.field names it
    label: str = ""  # catalog key; field_label(name) when empty
    required: bool = False
    choices: tuple[tuple[str, str], ...] | None = None  # (value, label): a Choice
    placeholder: str = ""  # catalog key
    check: Check | None = None
    id_number: bool = False  # shown masked once valid and left
    default: str = ""


class Choice(Widget, can_focus=True):
    """A one-line select: every option in view, ←/→ or space (or the option's
    digit) picks one. Enter is left to the form, so it submits from here as
    from any input."""

    BINDINGS: ClassVar = [
        Binding("left", "move(-1)", show=False),
        Binding("right,space", "move(1)", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"choice--option", "choice--selected"}

    value: reactive[str] = reactive("", init=False)

    class Changed(Message):
        def __init__(self, choice: Choice, value: str) -> None:
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> Choice:
            return self.choice

    def __init__(self, options: Sequence[tuple[str, str]], value: str = "", *,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._options = list(options)
        self.set_reactive(Choice.value, value if value in self.values else "")

    @property
    def values(self) -> list[str]:
        return [v for v, _ in self._options]

    @property
    def options(self) -> list[tuple[str, str]]:
        return list(self._options)

    def set_options(self, options: Sequence[tuple[str, str]], value: str = "") -> None:
        self._options = list(options)
        self.value = value if value in self.values else ""
        self.refresh(layout=True)

    def watch_value(self, value: str) -> None:
        self.post_message(self.Changed(self, value))

    def action_move(self, step: int) -> None:
        if not self._options:
            return
        values = self.values
        index = values.index(self.value) if self.value in values else (-1 if step > 0 else 0)
        self.value = values[(index + step) % len(values)]

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit() and 1 <= int(event.character) <= len(self._options):
            self.value = self._options[int(event.character) - 1][0]
            event.stop()
            event.prevent_default()

    def _lines(self, width: int) -> list[Text]:
        """The options packed into lines of ``width`` cells, never broken
        inside an option (a wrapped "[秘密 / secret]" would read as two)."""
        lines: list[Text] = [Text()]
        for value, label in self._options:
            if value == self.value:
                # Brackets as well as colour: the pick must show on a mono terminal.
                part = Text(f"[{label}]", self.get_component_rich_style("choice--selected"))
            else:
                part = Text(f" {label} ", self.get_component_rich_style("choice--option"))
            line = lines[-1]
            gap = 2 if line.cell_len else 0
            if line.cell_len and line.cell_len + gap + part.cell_len > width:
                lines.append(part)
            else:
                line.append(" " * gap)
                line.append_text(part)
        return lines

    def render(self) -> Text:
        return Text("\n").join(self._lines(max(self.content_size.width, 1)))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(max(width, 1)))


class FormInput(Input):
    """A text field of a form. A paste that holds tabs (a row copied from a
    spreadsheet) fills this field and the ones after it, one cell each; a
    plain Input would keep only the first line and put the tabs in as text."""

    def _on_paste(self, event: events.Paste) -> None:
        screen = self.screen
        if isinstance(screen, DeskForm) and event.text:
            event.stop()
            event.prevent_default()
            screen.paste_into(self, event.text)
            return
        super()._on_paste(event)


class IdInput(FormInput):
    """An ID number field that shows only the masked number once it was
    checked and left, and the full number again while being edited."""

    full: str | None = None

    @property
    def real_value(self) -> str:
        return self.full if self.full is not None else self.value

    def mask(self) -> None:
        if self.full is None and self.value.strip():
            self.full = self.value
            self.value = mask_id(self.value.strip().upper())

    def unmask(self) -> None:
        if self.full is not None:
            value, self.full = self.full, None
            self.value = value
            self.cursor_position = len(value)

    def on_focus(self) -> None:
        self.unmask()

    def on_blur(self) -> None:
        screen = self.screen
        if isinstance(screen, DeskForm) and screen.field_ok(self):
            self.mask()


class DeskForm(ModalScreen[int | None]):
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
        Binding("down", "next_field", show=False, priority=True, id="form.next_field"),
        Binding("up", "previous_field", show=False, priority=True, id="form.previous_field"),
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
        return HorizontalGroup(label, VerticalGroup(widget, message), id=f"row-{spec.name}",
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
        if self.ready:
            self.focus_first_empty()
            if self.note:
                self.say(self.note, "info")
        else:
            self.say(t("tui.form.loading"), "info")
            self._load()

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

    def action_next_field(self) -> None:
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
        for key, char in early:
            focused = self.focused
            if key == "tab":
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

    # --- fields -----------------------------------------------------------------
    def widget(self, name: str) -> Widget:
        return self.query_one(f"#field-{name}")

    def raw_value(self, name: str) -> str:
        w = self.widget(name)
        if isinstance(w, IdInput):
            return w.real_value.strip()
        if isinstance(w, Input):
            return w.value.strip()
        if isinstance(w, Choice):
            return w.value
        return ""

    def is_live(self, name: str) -> bool:
        """Shown and enabled: only such fields are checked and sent."""
        w = self.widget(name)
        return bool(self.query_one(f"#row-{name}").display) and not w.disabled

    def show_field(self, name: str, shown: bool) -> None:
        self.query_one(f"#row-{name}").display = shown
        if not shown:
            self.field_message(name, "")

    def enable_field(self, name: str, enabled: bool) -> None:
        self.widget(name).disabled = not enabled
        if not enabled:
            self.field_message(name, "")

    def set_label(self, name: str, key: str = "", required: bool | None = None) -> None:
        if required is not None:
            (self.required.add if required else self.required.discard)(name)
        self.query_one(f"#label-{name}", Label).update(self._label_text(name, key or self.specs[name].label))

    def set_choices(self, name: str, options: Sequence[tuple[str, str]], value: str = "") -> None:
        """Offer these options (once the record is read); the fields that
        depend on the pick follow at once, before anything is focused."""
        choice = self.widget(name)
        assert isinstance(choice, Choice)
        choice.set_options(options, value)
        self.choice_changed(name, choice.value)

    def set_value(self, name: str, value: str) -> None:
        w = self.widget(name)
        if isinstance(w, Choice):
            w.value = value
        elif isinstance(w, Input):
            w.value = value

    def field_message(self, name: str, message: str, tone: str = "error") -> None:
        box = self.query_one(f"#msg-{name}", Static)
        box.update(Text(message))
        box.display = bool(message)
        for cls in ("-error", "-ok", "-warn"):
            box.set_class(cls == f"-{tone}", cls)
        w = self.widget(name)
        w.set_class(bool(message) and tone == "error", "-invalid")

    def check_field(self, name: str, submitting: bool = False) -> bool:
        """Check one field and show the result under it. True when it is fine."""
        spec = self.specs[name]
        if not self.is_live(name):
            return True
        value = self.raw_value(name)
        if not value:
            if name in self.required and submitting:
                self.field_message(name, t("tui.form.required"))
                return False
            if spec.choices is None:
                self.field_message(name, "")
            return True
        if spec.choices is not None:
            return True  # a choice holds only offered values; its line is for choice_changed
        if spec.check is None:
            self.field_message(name, "")
            return True
        try:
            note = spec.check(self, value)
        except DeskError as err:
            self.field_message(name, err.message)
            return False
        except (ValueError, OverflowError):
            # A parser that gave up on a value out of its range (year 1, say):
            # still the user's input, refused at its field, never a crash.
            self.field_message(name, t("tui.form.unreadable", value=value))
            return False
        self.field_message(name, note or "", "ok")
        return True

    def field_ok(self, widget: Widget) -> bool:
        name = (widget.id or "").removeprefix("field-")
        return name in self.specs and bool(self.raw_value(name)) and self.check_field(name)

    def on_input_changed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("field-")
        if name in self.specs and not (isinstance(event.input, IdInput) and event.input.full is not None):
            self.check_field(name)
        self.typed()

    def on_choice_changed(self, event: Choice.Changed) -> None:
        self.typed()
        name = (event.choice.id or "").removeprefix("field-")
        self.field_message(name, "")
        self.choice_changed(name, event.value)
        # Other fields may be checked against this one (an ID against its type).
        for other in self.specs:
            if other != name and self.raw_value(other):
                self.check_field(other)

    def choice_changed(self, name: str, value: str) -> None:
        """A choice moved; subclasses show, hide or relabel fields here."""

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # A class, not :focus-within: the label beside the focused field must
        # restyle at once, and a class change restyles the row's children.
        current = "row-" + (event.widget.id or "").removeprefix("field-")
        for row in self.query(".form-row"):
            row.set_class(row.id == current, "-current")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    # --- pastes -----------------------------------------------------------------
    def paste_into(self, start: Input, text: str) -> None:
        """Pasted text: control sequences removed (and said so); cells split
        by tabs go to this field and the next ones in Tab order, a line break
        inside a cell becomes a space. A field that already holds text keeps
        it; cells that found no place are shown at the bottom."""
        cleaned, removed = clean_paste(text.rstrip("\r\n"))
        cells = [" ".join(cell.split()) for cell in cleaned.split("\t")]
        chain = self.focus_chain
        fields = chain[chain.index(start) + 1:] if start in chain else []
        start.insert_text_at_cursor(cells[0])
        last: Widget = start
        left: list[str] = []
        for cell in cells[1:]:
            widget = fields.pop(0) if fields else None
            if widget is None:
                if cell:
                    left.append(cell)
                continue
            if not cell:
                continue
            if isinstance(widget, Choice):
                pick = next((v for v, label in widget.options if cell in (v, label)), None)
                if pick is None:
                    left.append(cell)
                else:
                    widget.value, last = pick, widget
            elif isinstance(widget, Input):
                current = widget.real_value if isinstance(widget, IdInput) else widget.value
                if current.strip():
                    left.append(cell)
                else:
                    widget.value, last = cell, widget
        if last is not start:
            last.focus()
        self.mask_checked_ids()
        notes = []
        if removed:
            notes.append(t("tui.paste.controls_removed"))
        if left:
            notes.append(t("tui.paste.not_placed", values=" | ".join(left)))
        if notes:
            self.say(notes_line(notes), "warn")

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
    @work(thread=True, exclusive=True, group="form-load", exit_on_error=False)
    def _load(self) -> None:
        try:
            # What a form shows of the stored record (names, titles, units)
            # is made safe to show here, once, for every form.
            data = shown_all(in_thread(self.desk, self.load))
        except DeskError as err:
            self.app.call_from_thread(self._not_loaded, err.message)
        except Exception as exc:  # say it, keep the form
            self.app.call_from_thread(self._not_loaded, store_failure(exc, self.desk.db, "tui.form.failed"))
        else:
            self.app.call_from_thread(self._show_loaded, data)

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

    # --- the form's draft ---------------------------------------------------------
    def draft_state(self) -> str | None:
        """The form as a draft: which form, about what, and every field that
        holds something (JSON); None for a form that cannot be opened again."""
        module = type(self).__module__
        if not module.startswith("duty_desk.tui.screens.") or not all(
                isinstance(a, (str, int)) for a in self.made_with):
            return None
        try:
            values = {name: self.raw_value(name) for name in self.specs}
        except Exception:
            return None  # not composed
        values = {k: v for k, v in values.items() if v}
        # An ID number is never stored in full, not even in a draft: it is
        # left out, and the restored form asks for it again.
        withheld = [name for name, spec in self.specs.items() if spec.id_number and values.pop(name, None)]
        return json.dumps({"module": module.rsplit(".", 1)[1], "name": type(self).__name__,
                           "args": list(self.made_with), "values": values, "withheld": withheld},
                          ensure_ascii=False)

    def typed(self) -> None:
        """Something changed: the form's draft is written within a second."""
        self._draft_version += 1
        if self._draft_timer is None and getattr(self.app, "session", None) is not None:
            self._draft_timer = self.set_timer(FORM_DRAFT_DELAY, self._draft_due)

    def _draft_due(self) -> None:
        self._draft_timer = None
        if self._dismissed:
            return
        state = self.draft_state()
        if state is not None:
            self._keep_draft(state, self._draft_version)

    @work(thread=True, group="form-draft", exit_on_error=False)
    def _keep_draft(self, state: str, version: int) -> None:
        from duty_desk.core.services import drafts

        with self._draft_lock:
            if version != self._draft_version:
                return  # newer typing, or the form closed
            try:
                in_thread(self.desk, drafts.save_draft, self.desk, state, self.app.session, drafts.FORM)
            except Exception as exc:
                self.app.call_from_thread(self.app.notify, store_failure(exc, self.desk.db, "tui.draft.not_kept"), title=t("tui.draft.failed"),
                                          severity="warning", markup=False)

    def _drop_draft(self, session: Any) -> None:
        """Clear the form's draft on a worker of the app: a worker of the
        form would be cancelled with the closing form before it ran, and a
        saved form left as a draft would be offered (and saved) again."""
        from duty_desk.core.services import drafts

        self.app.run_worker(partial(self._clear_draft, session, drafts.FORM), thread=True,
                            group="form-draft", exit_on_error=False)

    def _clear_draft(self, session: Any, slot: str) -> None:
        from duty_desk.core.services import drafts

        with self._draft_lock:
            self._draft_version += 1
            try:
                in_thread(self.desk, drafts.clear_draft, self.desk, session, slot)
            except Exception:
                pass  # a stale form draft is restored once more, never lost

    def dismiss(self, result: Any = None) -> Any:
        # Saved or given up on purpose: the form's draft goes with it.
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        self._draft_version += 1
        self._dismissed = True
        session = getattr(self.app, "session", None)
        if session is not None:
            self._drop_draft(session)
        return super().dismiss(result)

    def action_submit(self) -> None:
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
        # Not while saving: the record may be written, and the caller must learn its id.
        if not self.busy:
            self.dismiss(None)


def labelled(values: Sequence[str], labels: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """Choice options from service values and catalog keys, in order."""
    return tuple((v, t(k)) for v, k in zip(values, labels, strict=True))
