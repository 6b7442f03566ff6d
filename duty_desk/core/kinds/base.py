"""What a record kind is: one specification per kind module, read by every
consumer (open items, chasing, instructions, ownership, escalation, the
handover sheet, presentation, the command line's choices, the palette, the
detail screen and the forms)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from peewee import Expression, Model, fn

from duty_desk.core.config import Config


def live(model: type[Model]) -> Expression:
    """The condition for records that are neither voided nor superseded by an
    amendment (the amendment is the live version; the original stays readable)."""
    cond = model.voided_at.is_null()
    if "amends" in model._meta.fields:
        newer = model.alias()
        # A voided amendment supersedes nothing: the version before it is live again.
        cond &= ~fn.EXISTS(newer.select(newer.id).where((newer.amends == model.id) & newer.voided_at.is_null()))
    return cond


@dataclass(frozen=True)
class OpenColumns:
    """One kind's columns in the open-items query (SQL expressions): what the
    item is called, a detail that says more (category, unit, serial, leader,
    level), when it came in, its state, what is due, and its parent item."""

    title: Any
    detail: Any
    received: Any
    state: Any
    due_kind: Any
    parent_kind: Any = None
    parent_id: Any = None


@dataclass(frozen=True)
class Kind:
    """A record kind's specification.

    ``name`` is the kind as the audit trail, chases, instructions and the
    command line name it (``log``); ``open_name`` is what it is as an open
    item (a log entry awaiting its result is a ``call``). Catalog keys are
    ``kind.<name>``, ``state.<name>.<state>`` and ``open.kind.<open_name>``.
    """

    name: str
    model: type[Model]
    open_name: str
    # The SQL of the open rule (is_open below says the same of one record).
    open_where: Callable[[], Expression]
    open_columns: Callable[[], OpenColumns]
    is_open: Callable[[Model], bool]
    # One line naming a record (what is being voided, chased, carried over).
    summary: Callable[[Model, Config], str]
    # What the open-items list shows as its title, from the query's title and detail.
    open_title: Callable[[str, str], str]
    # The next action of an open item, from its state and due kind.
    next_action: Callable[[str, str], str]
    # Actions its own state allows (related rows are asked in core.detail).
    state_actions: Callable[[Model], set[str]]
    # The state a reader sees ("" when the kind has none).
    state_of: Callable[[Model], str]
    # Every due of one open record as (due kind, at), earliest first, when the
    # kind can owe several at once (an urgent item's phone and first report);
    # None: its one stored due (due_of) is all there is.
    all_dues: Callable[[Model, Config], list[tuple[str, Any]]] | None = None
    default_owner: str = "recorded_by"  # whose it is until transferred
    due_field: str | None = None  # the stored due time the open-items query sorts by
    due_kind: str = ""  # what is due then; "" when a column says it (due_kind_field)
    due_kind_field: str | None = None
    table_columns: tuple[str, ...] = ()  # a table row on the command line
    detail_fields: tuple[str, ...] = ()  # the detail screen, in reading order
    parts: tuple[str, ...] = ()  # sub-records voided on their own (a document's steps)
    chaseable: bool = True  # 催办 may be recorded on it
    instructable: bool = True  # a leader's 批示 may be given on it
    amendable: bool = True  # a locked record is corrected by an amendment
    counted_on_sheet: bool = False  # the handover sheet counts the shift's new ones
    listing: str | None = None  # `duty-desk show WHAT` of one duty day
    new_action: str = ""  # the desk's action that creates one (palette, keys)
    chased_field: str = ""  # whom one usually chases: the field naming them (host, assignee …)
    aliases: tuple[str, ...] = field(default=())
    # Search (core.search): when a record happened (its place in "newest
    # first"), the fields whose text is searched, and of those the persons
    # and units found by pinyin as well; ``search_parts`` gives the text of
    # its sub-records for many records at once: id -> [(field, text, role)],
    # role "text", "person" or "unit".
    search_at: str = "recorded_at"
    search_text: tuple[str, ...] = ()
    search_people: tuple[str, ...] = ()
    search_units: tuple[str, ...] = ()
    search_parts: Callable[[list[int]], dict[int, list[tuple[str, str, str]]]] | None = None

    @property
    def typed_names(self) -> tuple[str, ...]:
        """Every name a user may type for it: ``call`` and ``log`` alike."""
        return tuple(dict.fromkeys((self.open_name, self.name, *self.aliases)))

    def owner_of(self, record: Model) -> str:
        """Who owns a record now: the owner, else whoever first received it."""
        return getattr(record, "owner", None) or getattr(record, self.default_owner)

    def due_of(self, record: Model) -> tuple[Any, str]:
        """(due time, due kind) of one record, as the open-items query reads them."""
        if self.due_field is None:
            return None, ""
        kind = getattr(record, self.due_kind_field) if self.due_kind_field else self.due_kind
        return getattr(record, self.due_field), kind or ""

    def dues_of(self, record: Model, cfg: Config) -> list[tuple[str, Any]]:
        """Every due of one record as (due kind, at), earliest first."""
        if self.all_dues is not None:
            return self.all_dues(record, cfg)
        at, kind = self.due_of(record)
        return [(kind, at)] if at is not None else []

    def owner_expr(self) -> Expression:
        return fn.COALESCE(self.model.owner, getattr(self.model, self.default_owner))
