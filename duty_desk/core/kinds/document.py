"""来文: an incoming document through the steps of 党政机关公文处理工作条例
Art. 24, an open item until closed. Its state machine lives here."""

from __future__ import annotations

from peewee import Case, Model, Value

from duty_desk.core.i18n import t
from duty_desk.core.kinds.base import Kind, OpenColumns, live
from duty_desk.core.models import DOCUMENT_OPEN_STATES, Document, DocumentStep

# state -> the steps allowed from it
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "registered": ("check", "return", "propose", "instruct", "assign", "circulate", "close"),
    "checked": ("propose", "instruct", "assign", "circulate", "close"),
    "assigned": ("propose", "instruct", "circulate", "chase", "reply", "close"),
    "circulating": ("instruct", "circulate", "chase", "reply", "close"),
    "replied": ("chase", "circulate", "close"),
    "closed": ("file",),
    "returned": (),
    "filed": (),
}
# The step a duty officer usually takes next, offered first in the TUI.
NEXT_STEP = {
    "registered": "check", "checked": "assign", "assigned": "reply",
    "circulating": "reply", "replied": "close", "closed": "file",
}
STEP_STATE = {"check": "checked", "return": "returned", "assign": "assigned",
              "circulate": "circulating", "reply": "replied", "close": "closed", "file": "filed"}
# The steps that may be taken back (the latest one only).
UNDOABLE_STEPS = ("check", "return", "propose", "assign", "circulate", "reply", "close", "file")


def latest_live_step(doc_id: int) -> DocumentStep | None:
    """The step void_step would take back: the last one written (by id), not
    the last by its stated time."""
    return (DocumentStep.select()
            .where((DocumentStep.document == doc_id) & DocumentStep.voided_at.is_null())
            .order_by(DocumentStep.id.desc()).first())


def _open_columns() -> OpenColumns:
    # A classified document has no title on this system: show its register data.
    title = Case(None, [(Document.title != "", Document.title)],
                 Document.classification.concat("件 ").concat(Document.doc_number))
    return OpenColumns(title=title, detail=Document.serial, received=Document.received_at,
                       state=Document.state, due_kind=Value("deadline"))


def _state_actions(doc: Model) -> set[str]:
    actions = {"step"} if TRANSITIONS.get(doc.state) else set()
    latest = latest_live_step(doc.id)
    if latest is not None and latest.step in UNDOABLE_STEPS:
        actions.add("undo_step")
    return actions


def _search_parts(ids: list[int]) -> dict[int, list[tuple[str, str, str]]]:
    """The steps' text (the unit or leader concerned, what was written) of many documents."""
    out: dict[int, list[tuple[str, str, str]]] = {}
    rows = (DocumentStep.select(DocumentStep.document, DocumentStep.party, DocumentStep.text)
            .where(DocumentStep.document.in_(ids) & DocumentStep.voided_at.is_null()).order_by(DocumentStep.id)
            .tuples())
    for doc_id, party, text in rows:
        out.setdefault(doc_id, []).extend((("party", party, "unit"), ("text", text, "text")))
    return out


KIND = Kind(
    name="document",
    model=Document,
    open_name="document",
    open_where=lambda: Document.state.in_(DOCUMENT_OPEN_STATES) & live(Document),
    open_columns=_open_columns,
    is_open=lambda d: d.state in DOCUMENT_OPEN_STATES,
    summary=lambda d, cfg: f"{d.serial} {d.sender} {d.title}".strip(),
    open_title=lambda title, detail: f"{detail} {title}".strip(),
    next_action=lambda state, due_kind: t(f"doc.step.{NEXT_STEP.get(state, 'close')}"),
    state_actions=_state_actions,
    state_of=lambda d: "void" if d.voided_at is not None else d.state,
    due_field="deadline",
    due_kind="deadline",
    table_columns=("id", "serial", "received_at", "urgency", "classification", "sender", "doc_number", "title",
                   "deadline", "state", "custody"),
    detail_fields=("serial", "received_at", "sender", "doc_number", "title", "urgency", "classification",
                   "secrecy_period", "copy_number", "copies", "attachments", "summary", "deadline", "state",
                   "custody", "proposal", "handling_units", "reply", "owner", "closed_at", "filed_at",
                   "file_number", "recorded_by"),
    parts=("document_step",),
    counted_on_sheet=True,
    listing="documents",
    new_action="new_document",
    chased_field="handling_units",
    search_at="received_at",
    search_text=("serial", "sender", "doc_number", "title", "attachments", "summary", "custody", "proposal",
                 "handling_units", "reply", "file_number"),
    search_units=("sender", "handling_units", "custody"),
    search_parts=_search_parts,
)
