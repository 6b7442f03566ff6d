"""A form's fields: what each is (Field), the one-line choice widget, and
inputs that read a paste whole and hide an ID number once it checks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input

from duty_desk.core.desk import Desk
from duty_desk.core.dutytime import fmt_dt
from duty_desk.core.i18n import t
from duty_desk.core.idcard import mask_id


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
Check = Callable[[Any, str], "str | None"]


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
    # Names to suggest as it is typed (core.suggest: "unit" or "person"), or
    # "phone": a number typed names whose it is. ``fills``: what a chosen
    # name fills in, as (the suggestion's attribute, this form's field).
    suggest: str = ""
    fills: tuple[tuple[str, str], ...] = ()


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

    # A steady cursor, as the entry line's: no animation sent over SSH, and a
    # form looks the same whenever it is looked at.
    cursor_blink = reactive(False, init=False)

    def _on_paste(self, event: events.Paste) -> None:
        screen = self.screen
        if callable(getattr(screen, "paste_into", None)) and event.text:  # a DeskForm
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
        if callable(getattr(screen, "field_ok", None)) and screen.field_ok(self):  # a DeskForm
            self.mask()


def labelled(values: Sequence[str], labels: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """Choice options from service values and catalog keys, in order."""
    return tuple((v, t(k)) for v, k in zip(values, labels, strict=True))
