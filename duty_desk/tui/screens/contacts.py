"""通讯录 at the desk: the contact book as a list with a find line (Chinese,
full pinyin, initials, a phone, a tag), the highlighted contact in full
below it; administrators add, change and void (with a reason), everyone else
reads. Opened for an urgent item ("who to call"), it lists the contacts
tagged for the item's type, duty lines first, and Enter records a call on
the item's timeline.

Every read and write is a core call (contacts.view, contacts.service,
services.urgent) on a thread worker; what is typed in the find line is
matched by the core. The forms live here, not under tui/forms, so no form
draft names them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Static

from duty_desk.core.contacts import service, view
from duty_desk.core.contacts.view import Card
from duty_desk.core.desk import Desk
from duty_desk.core.i18n import t
from duty_desk.core.sanitize import shown_all
from duty_desk.core.services import urgent
from duty_desk.tui.bindings import translate_bindings
from duty_desk.tui.forms.base import DeskForm
from duty_desk.tui.forms.checks import check_time, optional
from duty_desk.tui.screens.roster import crop
from duty_desk.tui.screens.screen_keys import ScreenCommands, ScreenHelp
from duty_desk.tui.widgets.fields import Field
from duty_desk.tui.workers import run_core

# What a write here changes (core.changes names): the book follows.
CONTACT_KINDS = frozenset({"contact"})
COLUMNS = ("who", "title", "duty_phone", "phone", "tags")
# The box's border and padding, the table's scrollbar and the tags' padding.
FRAME_CELLS = 7
EDITED = ("unit", "name", "title", "duty_phone", "office_phone", "mobile", "fax", "tags", "notes")


@dataclass(frozen=True)
class Book:
    """What the screen shows, read on the worker and made safe to show."""

    cards: list[Card]
    total: int
    keeper: bool  # the officer may add, change and void
    tags: str = ""  # calling: the tags of the item's type
    event_type: str = ""
    title: str = ""


def read_book(desk: Desk, typed: str, item_id: int | None, everyone: bool) -> Book:
    """On the worker: the contacts to list (see the module), made safe to show."""
    keeper = service.is_keeper(desk)
    if item_id is None:
        cards = view.find_contacts(typed)
        return shown_all(Book(cards, len(view.find_contacts()), keeper))
    event_type, title = view.call_target(item_id)
    cards = view.calling_list(event_type, typed, everyone)
    return shown_all(Book(cards, len(view.find_contacts()), keeper, "、".join(view.tags_for(event_type)),
                          event_type, title))


def phones_line(c: Card, fax: bool = True) -> str:
    """值班 0571-86020000 · 办公 … · 手机 … · 传真 …"""
    found = [*c.phones(), *((("fax", c.fax),) if fax and c.fax else ())]
    return " · ".join(f"{t(f'contacts.phone.{f}')} {n}" for f, n in found)


# --- the forms ---------------------------------------------------------------------


def _phone_check(name: str) -> Any:
    """A phone field checks itself as it is left (the core's own check)."""
    return lambda _form, value: service.check_phone(value, name) and None


class ContactForm(DeskForm):
    """新增 / 修改联系人 (administrators): every field of a contact."""

    CHANGES = CONTACT_KINDS

    def __init__(self, desk: Desk, contact_id: int = 0, **prefill: Any) -> None:
        self.contact_id = contact_id
        super().__init__(desk, **prefill)

    def title_text(self) -> str:
        return t("contacts.form.edit", id=self.contact_id) if self.contact_id else t("contacts.form.add")

    def form_fields(self) -> list[Field]:
        hints = {"tags": "contacts.form.tags_hint", "duty_phone": "contacts.form.phone_hint"}
        return [Field(name, label=f"contacts.field.{name}", placeholder=hints.get(name, ""),
                      check=_phone_check(name) if name in service.PHONES else None) for name in EDITED]

    def needs_loading(self) -> bool:
        return bool(self.contact_id)

    def load(self) -> dict[str, str]:
        c = view.get_contact(self.contact_id)
        return {name: "、".join(c.tags) if name == "tags" else getattr(c, name) for name in EDITED}

    def loaded(self, values: dict[str, str]) -> None:
        for name, value in values.items():
            if not self.raw_value(name):  # what was typed while it was read stays
                self.set_value(name, value)

    def save(self, values: dict[str, str]) -> int:
        given = {name: values.get(name, "") for name in EDITED}
        if self.contact_id:
            return service.update_contact(self.desk, self.contact_id, **given).id
        return service.add_contact(self.desk, **given).id


class VoidContactForm(DeskForm):
    """作废联系人: with a reason; the contact stays readable."""

    CHANGES = CONTACT_KINDS

    def __init__(self, desk: Desk, contact_id: int, summary: str = "", **prefill: Any) -> None:
        self.contact_id, self.summary = contact_id, summary
        super().__init__(desk, **prefill)

    def title_text(self) -> str:
        return t("contacts.form.void", id=self.contact_id)

    def form_fields(self) -> list[Field]:
        return [Field("reason", label="contacts.form.void_reason", required=True)]

    def after_mount(self) -> None:
        self.intro(Text(self.summary))

    def save(self, values: dict[str, str]) -> int:
        return service.void_contact(self.desk, self.contact_id, values.get("reason", "")).id


class CallForm(DeskForm):
    """登记去电: a call made about an urgent item, on its timeline
    (urgent.record_contact_call): whom, the number dialled, what was said."""

    CHANGES = frozenset({"urgent"})

    def __init__(self, desk: Desk, item_id: int, item_title: str = "", phones: str = "", **prefill: Any) -> None:
        self.item_id, self.item_title, self.phones = item_id, item_title, phones
        super().__init__(desk, **prefill)

    def title_text(self) -> str:
        return t("contacts.form.call", title=self.item_title)

    def form_fields(self) -> list[Field]:
        return [Field("party", label="contacts.form.whom", required=True),
                Field("means", label="contacts.form.phone"),
                Field("text", label="contacts.form.said"),
                Field("at", label="contacts.form.at", placeholder="tui.form.hint.now", check=check_time)]

    def after_mount(self) -> None:
        if self.phones:  # whom and the number come from the book; the first empty field has focus
            self.intro(Text(t("contacts.form.phones", phones=self.phones)))

    def save(self, values: dict[str, str]) -> int:
        urgent.record_contact_call(self.desk, self.item_id, values.get("party", ""), values.get("means", ""),
                                   values.get("text", ""), at=optional(values.get("at", "")))
        return self.item_id


# --- the list ----------------------------------------------------------------------


class ContactsScreen(ModalScreen[None]):
    """通讯录, or who to call for an urgent item (see the module)."""

    help_key = "contacts.help"
    COMMANDS: ClassVar = {ScreenCommands}
    BINDINGS: ClassVar = [
        Binding("escape", "close", "tui.contacts.key.close", id="contacts.close"),
        Binding("f1", "help", "tui.contacts.key.help", id="contacts.help"),
        Binding("ctrl+n", "add", "tui.contacts.key.add", id="contacts.add"),
        Binding("ctrl+r", "edit", "tui.contacts.key.edit", id="contacts.edit"),
        Binding("f9", "void", "tui.contacts.key.void", id="contacts.void"),
        Binding("ctrl+l", "everyone", "tui.contacts.key.everyone", id="contacts.everyone"),
        # From the find line, the arrows move in the list (the line has no use for them).
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]
    LONG_NAMES: ClassVar[dict[str, str]] = {
        "contacts.add": "tui.contacts.key.add_long", "contacts.edit": "tui.contacts.key.edit_long",
        "contacts.void": "tui.contacts.key.void_long", "contacts.everyone": "tui.contacts.key.everyone_long",
        "contacts.help": "tui.contacts.key.help_long", "contacts.close": "tui.contacts.key.close_long",
    }

    def __init__(self, desk: Desk, item_id: int | None = None) -> None:
        super().__init__(id="contacts-screen")
        self.desk = desk
        self.item_id = item_id  # calling about this urgent item
        self.everyone = False
        self.book: Book | None = None
        self.status = ""
        self.summary_said = True  # the status line says how many (not an outcome to keep)
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        box = Vertical(id="contacts-box")
        box.border_title = Text(t("contacts.title"))
        with box:
            find = Input(placeholder=t("contacts.filter.hint"), id="contacts-filter", compact=True)
            find.cursor_blink = False  # a blinking cursor repaints twice a second over SSH
            yield find
            yield DataTable(id="contacts-table", cursor_type="row", zebra_stripes=False)
            yield Static(id="contacts-detail")
            yield Static(id="contacts-status")
        yield Footer(compact=True)

    @property
    def table(self) -> DataTable:
        return self.query_one("#contacts-table", DataTable)

    @property
    def calling(self) -> bool:
        return self.item_id is not None

    def on_mount(self) -> None:
        for key in COLUMNS:
            label = t("contacts.col.phones") if key == "phone" else t("contacts.col.who") if key == "who" \
                else t(f"contacts.field.{key}")
            self.table.add_column(label, key=key)
        self.say(t("contacts.loading"), "info", summary=True)
        self.load()
        self.query_one("#contacts-filter", Input).focus()

    # --- reading ------------------------------------------------------------------

    def load(self) -> None:
        typed = self.query_one("#contacts-filter", Input).value
        run_core(self, self.desk, read_book, self.desk, typed, self.item_id, self.everyone, done=self._loaded,
                 failed=self.say, group="contacts", exclusive=True, failure_key="tui.read_failed")

    def on_input_changed(self, _event: Input.Changed) -> None:
        self.summary_said = True  # what was said before is about another list
        self.load()

    def records_changed(self, kinds: set[str] | None) -> None:
        if kinds is None or set(kinds) & (CONTACT_KINDS | {"officer"}):
            self.load()

    def _loaded(self, book: Book) -> None:
        keep = self.current.id if self.current else None
        self.book = book
        table = self.table
        table.clear()
        rows = [(f"{c.unit} {c.name}".strip(), c.title, c.duty_phone,
                 next((n for f, n in c.phones() if f != "duty_phone"), ""), "、".join(c.tags)) for c in book.cards]
        # The tags take what the other columns leave: the list never scrolls sideways.
        used = sum(max((cell_len(r[i]) for r in rows), default=0) + 2 for i in range(4))
        room = max(self.app.size.width - FRAME_CELLS - used, 6)
        for c, (label, title, duty, other, tags) in zip(book.cards, rows, strict=True):
            table.add_row(Text(label, "bold" if not c.name else ""), Text(title), Text(duty), Text(other),
                          Text(crop(tags, room)), key=str(c.id))
        if keep is not None and str(keep) in table.rows:
            table.move_cursor(row=table.get_row_index(str(keep)))
        box = self.query_one("#contacts-box")
        if self.calling:
            box.border_title = Text(t("contacts.title.who", type=book.event_type, title=book.title))
        if self.summary_said or not self.status:
            self.say(self._summary_line(book), "info", summary=True)
        self.show_detail()
        self.refresh_bindings()

    def _summary_line(self, book: Book) -> str:
        """The status line when nothing else is said: how many, and what this list is."""
        count = (t("contacts.count_of", count=len(book.cards), total=book.total) if len(book.cards) != book.total
                 else t("contacts.count", count=book.total))
        if self.calling:
            what = t("contacts.who.all", tags=book.tags) if self.everyone else (
                t("contacts.who.tags", tags=book.tags) if book.cards else t("contacts.who.none_here", tags=book.tags))
        else:
            what = "" if book.keeper else t("contacts.read_only")
        return "  ".join(p for p in (count, what) if p)

    @property
    def current(self) -> Card | None:
        if not self.book or not self.book.cards or self.table.row_count == 0:
            return None
        row = self.table.cursor_row
        return self.book.cards[row] if 0 <= row < len(self.book.cards) else None

    def show_detail(self) -> None:
        c = self.current
        text = Text()
        if c is not None:
            text.append(c.who, "bold")
            phones = phones_line(c)
            if phones:
                text.append("\n" + phones)
            extra = "   ".join(p for p in (f"{t('contacts.field.tags')}：{'、'.join(c.tags)}" if c.tags else "",
                                           f"{t('contacts.field.notes')}：{c.notes}" if c.notes else "") if p)
            if extra:
                text.append("\n" + extra)
        self.query_one("#contacts-detail", Static).update(text)

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.show_detail()
        self.refresh_bindings()

    def say(self, message: str, tone: str = "error", summary: bool = False) -> None:
        self.status, self.summary_said = message, summary
        box = self.query_one("#contacts-status", Static)
        box.update(Text(message))
        for cls in ("-error", "-info", "-ok"):
            box.set_class(cls == f"-{tone}", cls)

    # --- keys ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        keeper = bool(self.book and self.book.keeper) and not self.calling
        if action == "add":
            return keeper
        if action in ("edit", "void"):
            return keeper and (self.current is not None or None)
        if action == "everyone":
            return self.calling
        return True

    def action_move(self, step: int) -> None:
        table = self.table
        if table.row_count:
            table.move_cursor(row=max(0, min(table.cursor_row + step, table.row_count - 1)))

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.choose()

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.choose()

    def choose(self) -> None:
        """Enter: a call to the highlighted contact (calling), else change it (administrators)."""
        c = self.current
        if c is None:
            return
        if self.calling:
            phone = c.first_phone
            self.app.push_screen(CallForm(self.desk, self.item_id or 0, self.book.title if self.book else "",
                                          phones_line(c), party=c.who, means=phone),
                                 self._called(c.who, phone))
        elif self.check_action("edit", ()):
            self.action_edit()

    def _called(self, whom: str, phone: str) -> Any:
        def done(item_id: int | None) -> None:
            if item_id is not None:
                message = t("contacts.called", whom=whom, phone=phone)
                self.say(message, "ok")
                self.app.notify(message, markup=False)
            self.table.focus()

        return done

    def _saved(self, key: str) -> Any:
        def done(contact_id: int | None) -> None:
            if contact_id is not None:
                self.say(t(key, id=contact_id), "ok")
                self.load()  # the app tells every screen too; this one need not wait for it
            self.table.focus()

        return done

    def action_add(self) -> None:
        self.app.push_screen(ContactForm(self.desk), self._saved("contacts.saved"))

    def action_edit(self) -> None:
        if (c := self.current) is not None:
            self.app.push_screen(ContactForm(self.desk, c.id), self._saved("contacts.saved"))

    def action_void(self) -> None:
        if (c := self.current) is not None:
            summary = c.who + ("\n" + phones_line(c) if c.phones() else "")
            self.app.push_screen(VoidContactForm(self.desk, c.id, summary), self._saved("contacts.voided_done"))

    def action_everyone(self) -> None:
        self.everyone = not self.everyone
        self.summary_said = True
        self.load()

    def action_help(self) -> None:
        desk_screen = getattr(self.app, "desk_screen", None)
        self.app.push_screen(ScreenHelp(self, desk_screen.keys_by_id() if desk_screen else {}))

    def action_close(self) -> None:
        self.dismiss(None)
