"""来文: receiving a document, and its next step (Art. 24)."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from duty_desk.core.dutytime import fmt_dt
from duty_desk.core.errors import InvalidInput
from duty_desk.core.i18n import t
from duty_desk.core.kinds.document import NEXT_STEP, TRANSITIONS
from duty_desk.core.services import common, documents
from duty_desk.core.suggest import UNIT
from duty_desk.tui.forms.base import DeskForm
from duty_desk.tui.forms.checks import (
    check_deadline,
    check_doc_number,
    check_time,
    classification_options,
    count_check,
    optional,
    urgency_options,
)
from duty_desk.tui.widgets.fields import Field

# --- 来文 -----------------------------------------------------------------------


class DocumentForm(DeskForm):
    """收文登记: 签收 and 登记 in one (documents.receive_document).

    A classified document is register data only: its title, attachments and
    summary cannot be typed, and the form says why."""

    TITLE_KEY = "tui.form.title.document"
    CHANGES = frozenset({"document", "shift"})
    CONTENT = ("title", "attachments", "summary")

    def form_fields(self) -> list[Field]:
        return [
            Field("sender", required=True, suggest=UNIT, fills=(("unit", "sender"),)),
            Field("doc_number", placeholder="tui.form.hint.doc_number", check=check_doc_number),
            Field("title", required=True),
            Field("urgency", choices=urgency_options()),
            Field("classification", choices=classification_options()),
            Field("secrecy_period"),
            Field("copy_number"),
            Field("copies", default="1", check=count_check("doc.copies", "copies", 9999)),
            Field("attachments"),
            Field("summary"),
            Field("deadline", placeholder="tui.form.hint.deadline", check=check_deadline),
            Field("received_at", label="tui.form.label.document.received_at", placeholder="tui.form.hint.now",
                  check=check_time),
        ]

    def choice_changed(self, name: str, value: str) -> None:
        if name != "classification":
            return
        classified = bool(value)
        for field in self.CONTENT:
            self.enable_field(field, not classified)
        self.set_label("title", required=not classified)
        self.set_label("copy_number", required=classified)
        self.show_field("secrecy_period", classified)
        if classified:
            self.field_message("classification", t("tui.form.classified_warning", classification=value), "warn")

    def save(self, values: dict[str, str]) -> int:
        v = dict(values)
        return documents.receive_document(
            self.desk, v.pop("sender"), deadline=optional(v.pop("deadline", "")),
            received_at=optional(v.pop("received_at", "")), **v).id


# The fields each step asks for: field -> (label key, required). The time of
# the step ("at") is asked for every step.
STEP_FIELDS: dict[str, dict[str, tuple[str, bool]]] = {
    "check": {"text": ("tui.form.label.opinion", False)},
    "return": {"text": ("tui.form.label.return_reason", True)},
    "propose": {"text": ("tui.form.label.proposal", True)},
    "instruct": {"party": ("tui.form.label.leader", True), "text": ("tui.form.label.instruction", True),
                 "deadline": ("tui.form.label.deadline", False)},
    "assign": {"party": ("tui.form.label.handling_unit", True), "deadline": ("tui.form.label.deadline", False),
               "text": ("tui.form.label.note", False)},
    "circulate": {"party": ("tui.form.label.holder", True), "text": ("tui.form.label.note", False)},
    "chase": {"party": ("tui.form.label.chased", True), "text": ("tui.form.label.answer", False)},
    "reply": {"text": ("tui.form.label.reply", True)},
    "close": {"text": ("tui.form.label.note", False)},
    "file": {"text": ("tui.form.label.file_number", True)},
}


class DocumentStepForm(DeskForm):
    """The next step of a document (documents.advance_document): only the steps
    its state allows are offered, the usual next one first."""

    TITLE_KEY = "tui.form.title.doc_step"
    CHANGES = frozenset({"document", "instruction", "shift"})

    def __init__(self, desk: Any, doc_id: int, **prefill: Any) -> None:
        self.doc_id = doc_id
        super().__init__(desk, **prefill)

    def form_fields(self) -> list[Field]:
        return [
            Field("step", choices=()),
            Field("party", suggest=UNIT, fills=(("who", "party"),)),
            Field("text"),
            Field("deadline", placeholder="tui.form.hint.deadline_none", check=check_deadline),
            Field("at", label="tui.form.label.step_at", placeholder="tui.form.hint.now", check=check_time),
        ]

    def load(self) -> dict[str, Any]:
        d = common.get_record("document", self.doc_id)
        return {"serial": d.serial, "sender": d.sender, "doc_number": d.doc_number, "title": d.title,
                "classification": d.classification, "state": d.state, "voided": d.voided_at is not None,
                "deadline": fmt_dt(d.deadline, self.desk.cfg)}

    def loaded(self, data: dict[str, Any]) -> None:
        intro = Text(f"{data['serial']}  ")
        intro.append(data["sender"])
        if data["doc_number"]:
            intro.append(f"  {data['doc_number']}")
        if data["classification"]:
            intro.append(f"  {data['classification']}", "bold")
        if data["title"]:
            intro.append(f"\n{data['title']}")
        intro.append("\n" + t("tui.form.doc_state", state=t(f"state.document.{data['state']}")))
        if data["deadline"]:
            intro.append("  " + t("tui.form.doc_deadline", at=data["deadline"]))
        self.intro(intro)
        steps = () if data["voided"] else TRANSITIONS.get(data["state"], ())
        preferred = self.prefill.get("step") or NEXT_STEP.get(data["state"], "")
        self.set_choices("step", [(s, t(f"doc.step.{s}")) for s in steps],
                         preferred if preferred in steps else (steps[0] if steps else ""))
        if not steps:
            self.say(t("record.voided", kind=t("kind.document"), id=self.doc_id) if data["voided"]
                     else t("tui.form.doc_no_steps", state=t(f"state.document.{data['state']}")))

    def choice_changed(self, name: str, value: str) -> None:
        if name != "step":
            return
        wanted = STEP_FIELDS.get(value, {})
        for field in ("party", "text", "deadline"):
            self.show_field(field, field in wanted)
            if field in wanted:
                key, required = wanted[field]
                self.set_label(field, key, required=required)

    def save(self, values: dict[str, str]) -> int:
        step = values.get("step", "")
        if not step:
            raise InvalidInput("tui.form.nothing_to_do", field="step")
        return documents.advance_document(
            self.desk, self.doc_id, step, party=values.get("party", ""), text=values.get("text", ""),
            deadline=optional(values.get("deadline", "")), at=optional(values.get("at", ""))).id
