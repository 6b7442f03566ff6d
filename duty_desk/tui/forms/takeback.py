"""Taking back what was recorded by mistake, from a record's detail: the
latest step of a document (documents.void_step) and one event of an urgent
item's timeline (urgent.void_event). Both stay readable, marked, with the
reason; the core decides whether it may be taken back and says why not.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from duty_desk.core import kinds
from duty_desk.core.desk import officer_name
from duty_desk.core.dutytime import fmt_dt, fmt_hm
from duty_desk.core.errors import InvalidInput, Refused
from duty_desk.core.i18n import t
from duty_desk.core.kinds.document import UNDOABLE_STEPS, latest_live_step
from duty_desk.core.kinds.urgent import live_events
from duty_desk.core.rules import event_label
from duty_desk.core.services import common, documents, urgent
from duty_desk.tui.forms.base import DeskForm
from duty_desk.tui.widgets.fields import Field


class UndoStepForm(DeskForm):
    """撤销上一步: the latest step of a document, taken by mistake, is taken back
    with a reason; the document returns to where it was before it."""

    TITLE_KEY = "tui.form.title.undo_step"
    CHANGES = frozenset({"document"})

    def __init__(self, desk: Any, doc_id: int, **prefill: Any) -> None:
        self.doc_id = doc_id
        self.step_id: int | None = None
        super().__init__(desk, **prefill)

    def form_fields(self) -> list[Field]:
        return [Field("reason", label="tui.form.label.undo_reason", required=True)]

    def load(self) -> dict[str, Any]:
        doc = common.get_record("document", self.doc_id)
        step = latest_live_step(self.doc_id)
        data: dict[str, Any] = {"summary": kinds.summary("document", doc, self.desk.cfg), "step": None}
        if step is not None:
            data["step"] = {"id": step.id, "step": step.step, "party": step.party, "text": step.text,
                            "at": fmt_dt(step.at, self.desk.cfg), "by": officer_name(step.by)}
        return data

    def loaded(self, data: dict[str, Any]) -> None:
        step = data["step"]
        if step is None:
            self.intro(Text(data["summary"]))
            self.say(t("tui.form.undo_step_none"))
            return
        self.step_id = step["id"]
        # The officer must see exactly which step goes, before typing why.
        intro = Text(t("tui.form.undo_step_names", step=t(f"doc.step.{step['step']}"), party=step["party"]).strip(),
                     "bold")
        intro.append(f"\n{step['at']}  {step['by']}")
        if step["text"]:
            intro.append(f"  {step['text']}")
        intro.append(f"\n{data['summary']}")
        intro.append("\n" + t("tui.form.undo_step_keeps"))
        self.intro(intro)
        if step["step"] not in UNDOABLE_STEPS:
            # Said at once; submitting asks the core all the same.
            self.say(Refused("doc.step_not_undoable", step=step["step"]).message, "warn")

    def save(self, values: dict[str, str]) -> int:
        if self.step_id is None:
            raise InvalidInput("tui.form.undo_step_none")
        documents.void_step(self.desk, self.step_id, values.get("reason", ""))
        return self.doc_id


class VoidEventForm(DeskForm):
    """作废进展: one timeline event of an urgent item recorded by mistake (a
    phone report on the wrong item, say) is voided with a reason; the next
    due report is worked out again without it."""

    TITLE_KEY = "tui.form.title.void_event"
    CHANGES = frozenset({"urgent"})

    def __init__(self, desk: Any, item_id: int, **prefill: Any) -> None:
        self.item_id = item_id
        self.events: dict[str, dict[str, Any]] = {}
        self.summary = ""
        super().__init__(desk, **prefill)

    def form_fields(self) -> list[Field]:
        return [
            Field("event", label="tui.form.label.event_pick", choices=()),
            Field("reason", label="tui.form.label.void_reason", required=True),
        ]

    def load(self) -> dict[str, Any]:
        item = common.get_record("urgent", self.item_id)
        events = [{"id": e.id, "label": event_label(e.kind, e.seq), "at": fmt_hm(e.at, self.desk.cfg),
                   "when": fmt_dt(e.at, self.desk.cfg), "by": officer_name(e.by), "party": e.party,
                   "means": e.means, "text": e.text}
                  for e in live_events(self.item_id)]
        return {"summary": kinds.summary("urgent", item, self.desk.cfg), "events": events}

    def loaded(self, data: dict[str, Any]) -> None:
        self.summary = data["summary"]
        self.events = {str(e["id"]): e for e in data["events"]}
        options = [(str(e["id"]), f"{e['at']} {e['label']}") for e in data["events"]]
        # The timeline runs oldest first; the mistake is most often the last one.
        self.set_choices("event", options, self.prefill.get("event") or (options[-1][0] if options else ""))
        if not options:
            self.intro(Text(self.summary))
            self.say(t("tui.form.void_event_none"))

    def choice_changed(self, name: str, value: str) -> None:
        event = self.events.get(value)
        if name != "event" or event is None:
            return
        intro = Text(f"{event['label']}  ", "bold")
        intro.append(f"{event['when']}  {event['by']}")
        detail = "  ".join(x for x in (event["party"], event["means"], event["text"]) if x)
        if detail:
            intro.append(f"\n{detail}")
        intro.append(f"\n{self.summary}")
        intro.append("\n" + t("tui.form.void_event_keeps"))
        self.intro(intro)

    def save(self, values: dict[str, str]) -> int:
        chosen = values.get("event", "")
        if not chosen:
            raise InvalidInput("tui.form.void_event_none", field="event")
        urgent.void_event(self.desk, int(chosen), values.get("reason", ""))
        return self.item_id
