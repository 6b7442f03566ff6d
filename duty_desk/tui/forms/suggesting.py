"""Suggestions in a form: a field that names a unit or a person offers the
names the office knows (the contact book, the records of the past year) as
it is typed, in Chinese, full pinyin or initials; Tab or Enter takes the
highlighted one and fills the phone and title too; ↑/↓ move the highlight;
Esc puts the list away. A number typed in a phone field that belongs to a
known contact names whose it is and fills the caller's empty fields. A
mixin of DeskForm: the book is read on a worker when the form opens."""

from __future__ import annotations

from typing import Any

from duty_desk.core.i18n import t
from duty_desk.core.suggest import NameBook, Suggestion, read_book
from duty_desk.tui.widgets.fields import Field
from duty_desk.tui.widgets.suggest import SuggestList
from duty_desk.tui.workers import run_core

PHONE = "phone"


class Suggesting:
    """What DeskForm does for fields with ``suggest`` (see the module's docstring).

    Tab or Enter in a field that suggests names is decided only once the
    keys typed before it have reached that field and the names are read
    (``sw`` and Tab arrive together from a fast typist, or before the book
    is read): meanwhile no field has focus, so the keys typed after it wait
    in the form's queue of early keys and go where the pick sends them."""

    specs: dict[str, Field]
    book: NameBook | None = None
    _picked_values: dict[str, str]
    _pending: tuple[str, str] | None = None  # (field, key) decided when the names are read

    def read_names(self) -> None:
        """Read the book of names once the form is shown (on a worker)."""
        self._picked_values = {}
        if not self.suggesting_fields():
            return
        # The book the last form read serves at once (on years of records the
        # reading takes a moment); it is read again meanwhile, for what is new.
        self.book = getattr(self.app, "name_book", None)  # type: ignore[attr-defined]
        run_core(self, self.desk, read_book, self.desk.now(), done=self._names_read,  # type: ignore[attr-defined]
                 failed=self._names_not_read, group="form-names", exclusive=True)

    def suggesting_fields(self) -> list[Field]:
        return [f for f in self.specs.values() if f.suggest]

    def _names_read(self, book: NameBook) -> None:
        self.book = book
        self.app.name_book = book  # type: ignore[attr-defined]
        focused = getattr(self.focused, "id", "") or ""  # type: ignore[attr-defined]
        name = focused.removeprefix("field-")
        if name in self.specs and self.specs[name].suggest:
            self.names_typed(name)  # what was typed before the book was read
        self._decide_pending()

    def _names_not_read(self, message: str) -> None:
        """No suggestions this time (the store is busy): the form works without them."""
        self.book = NameBook()
        self._decide_pending()

    def _decide_pending(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            self._decide(*pending)

    def suggest_list(self, name: str) -> SuggestList | None:
        found = self.query(f"#suggest-{name}")  # type: ignore[attr-defined]
        return found.first(SuggestList) if found else None

    def _matches(self, spec: Field, value: str) -> list[Suggestion]:
        if self.book is None or not value:
            return []
        found = self.book.suggest(value, spec.suggest, limit=5)
        # The name typed out in full needs no list.
        if len(found) == 1 and value in (found[0].unit, found[0].name):
            return []
        return found

    def names_typed(self, name: str) -> None:
        """A suggesting field changed: offer the names that match it."""
        spec = self.specs.get(name)
        if spec is None or not spec.suggest or self.book is None:
            return
        value = self.raw_value(name)  # type: ignore[attr-defined]
        if spec.suggest == PHONE:
            self._phone_typed(spec, value)
            return
        box = self.suggest_list(name)
        if box is None:
            return
        if self.focused is not self.widget(name):  # type: ignore[attr-defined]
            box.hide()
            return
        box.show(self._matches(spec, value))
        box.typed = value

    def _phone_typed(self, spec: Field, value: str) -> None:
        who = self.book.by_phone(value) if self.book is not None else None
        if who is None or getattr(self, "_picked_values", {}).get(spec.name) == value:
            return  # unknown, or put there with the name just picked: nothing to tell
        self.field_message(spec.name, t("calls.phone_known", who=who.label()), "ok")  # type: ignore[attr-defined]
        self._fill(who, spec, replace_typed=False)

    def open_suggestions(self) -> SuggestList | None:
        """The list shown under the focused field, if any."""
        focused = getattr(self.focused, "id", "") or ""  # type: ignore[attr-defined]
        box = self.suggest_list(focused.removeprefix("field-"))
        return box if box is not None and box.display and box.items else None

    def _suggesting_spec(self) -> Field | None:
        focused = getattr(self.focused, "id", "") or ""  # type: ignore[attr-defined]
        spec = self.specs.get(focused.removeprefix("field-"))
        return spec if spec is not None and spec.suggest and spec.suggest != PHONE else None

    def take_suggestion(self, key: str) -> bool:
        """Tab or Enter in a field that suggests names: decided once the keys
        before it reached the field (and the names are read). True when the
        form takes it so; False: the key does what it always does."""
        spec = self._suggesting_spec()
        if spec is None:
            return False
        field = self.focused  # type: ignore[attr-defined]
        if self._early is None:  # type: ignore[has-type]
            self._early = []  # keys typed from now on wait for the decision
        self.set_focus(None)  # type: ignore[attr-defined]
        field.call_later(self._decide, spec.name, key)  # after the keys already given to the field
        return True

    def _decide(self, name: str, key: str) -> None:
        if not self.is_attached:  # type: ignore[attr-defined]
            return
        if self.book is None:
            self._pending = (name, key)
            return
        spec = self.specs[name]
        value = self.raw_value(name)  # type: ignore[attr-defined]
        box = self.suggest_list(name)
        picked = None
        if box is not None and box.display and box.items and getattr(box, "typed", None) == value:
            picked = box.picked  # the one the officer highlighted
        elif value:
            found = self._matches(spec, value)
            picked = found[0] if found else None
        if key == "enter" and picked is not None and value in (picked.unit, picked.name):
            picked = None  # a name typed out in full: Enter sends the form
        if box is not None:
            box.hide()
        self.set_focus(self.widget(name))  # type: ignore[attr-defined]
        if picked is not None:
            self._fill(picked, spec, replace_typed=True)
            self.focus_after(name)
            self._replay_early_keys()  # type: ignore[attr-defined]
        elif key == "enter":
            self._replay_early_keys()  # type: ignore[attr-defined]
            self.submit_now()  # type: ignore[attr-defined]
        else:
            self.focus_next()  # type: ignore[attr-defined]
            self._replay_early_keys()  # type: ignore[attr-defined]

    def move_suggestion(self, step: int) -> bool:
        box = self.open_suggestions()
        if box is None:
            return False
        box.move(step)
        return True

    def close_suggestions(self) -> bool:
        box = self.open_suggestions()
        if box is None:
            return False
        box.hide()
        return True

    def _fill(self, picked: Suggestion, spec: Field, *, replace_typed: bool) -> None:
        """Fill the fields a pick gives: the field typed in (when picking from
        its list) and every other one still empty; what was typed elsewhere stays."""
        for attr, field_name in spec.fills:
            value: Any = getattr(picked, attr, "") or ""
            if attr == "phone" and not value:
                value = picked.duty_phone
            if not value or field_name not in self.specs or not self.is_live(field_name):  # type: ignore[attr-defined]
                continue
            if field_name == spec.name and not replace_typed:
                continue
            if field_name != spec.name and self.raw_value(field_name):  # type: ignore[attr-defined]
                continue
            self.__dict__.setdefault("_picked_values", {})[field_name] = str(value)
            self.set_value(field_name, str(value))  # type: ignore[attr-defined]
            self.check_field(field_name)  # type: ignore[attr-defined]

    def focus_after(self, name: str) -> None:
        """Focus the first empty field after this one (else the next), at once:
        the keys typed meanwhile go there next."""
        names = list(self.specs)
        after = names[names.index(name) + 1:]
        for other in after:
            if self.is_live(other) and not self.raw_value(other):  # type: ignore[attr-defined]
                self.set_focus(self.widget(other))  # type: ignore[attr-defined]
                return
        self.focus_next()  # type: ignore[attr-defined]

    def suggestion_rows(self, spec: Field) -> list[Any]:
        """The widgets a suggesting field adds under itself."""
        if not spec.suggest or spec.suggest == PHONE:
            return []
        return [SuggestList(id=f"suggest-{spec.name}", classes="form-suggest")]

