"""A form's fields, by name: reading and setting them, showing, hiding and
labelling them, checking each as it is typed, and a paste spread over
successive fields. A mixin of DeskForm."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from duty_desk.core.errors import DeskError
from duty_desk.core.i18n import t
from duty_desk.tui.paste import clean_paste, notes_line
from duty_desk.tui.widgets.fields import Choice, Field, IdInput


class FieldAccess:
    """DeskForm's fields by name (see the module's docstring)."""

    specs: dict[str, Field]

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
            self.names_typed(name)
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
        for box in self.query(".form-suggest"):  # a list belongs to the field being typed in
            if box.id != "suggest-" + current.removeprefix("row-"):
                box.hide()

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
