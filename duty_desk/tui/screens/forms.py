"""The desk's forms: one per service call a duty officer makes by hand.

Each is a ``DeskForm``: it takes ``(desk, **prefill)`` (the values the entry
line parsed), checks fields as they are typed, runs its service call in a
thread worker, announces RecordsChanged and dismisses with the record id.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text

from duty_desk.core import kinds
from duty_desk.core.desk import officer_name
from duty_desk.core.docnumber import validate_doc_number
from duty_desk.core.dutytime import WEEKDAYS_ZH, fmt_dt, fmt_hm, parse_when
from duty_desk.core.errors import InvalidInput
from duty_desk.core.i18n import language, t
from duty_desk.core.idcard import RESIDENT_ID, mask_id, validate_resident_id
from duty_desk.core.kinds.document import NEXT_STEP, TRANSITIONS
from duty_desk.core.kinds.visitor import visit_steps
from duty_desk.core.rules import event_label
from duty_desk.core.services import common, documents, log, urgent, visitors
from duty_desk.core.services.common import required_line
from duty_desk.tui.screens.base import DeskForm
from duty_desk.tui.widgets.fields import Check, Field, labelled

# --- checks shared by the forms ------------------------------------------------


def check_time(form: DeskForm, value: str) -> None:
    """A time that happened: HH:MM or YYYY-MM-DD HH:MM, not in the future."""
    parse_when(value, form.desk.now(), form.desk.cfg)


def check_deadline(form: DeskForm, value: str) -> None:
    """A deadline may lie ahead; the very parser the service uses."""
    documents.parse_deadline(form.desk, value)


def check_id_number(form: DeskForm, value: str) -> str:
    if form.raw_value("id_type") == RESIDENT_ID:
        number = validate_resident_id(value)
    else:
        number = required_line(value, "id_number", 30)
    return t("tui.form.id_ok", masked=mask_id(number))


def check_doc_number(form: DeskForm, value: str) -> None:
    validate_doc_number(value)


def count_check(key: str, field: str, top: int) -> Check:
    """A whole number from 1 to ``top``, refused with the service's own message."""

    def check(form: DeskForm, value: str) -> None:
        if not value.isdigit() or not 1 <= int(value) <= top:
            raise InvalidInput(key, field=field)

    return check


def optional(value: str) -> str | None:
    """An empty time field means "now" (or "by the rules") to the service."""
    return value or None


# --- choices --------------------------------------------------------------------

ID_TYPE_KEYS = ("tui.form.id_type.resident", "tui.form.id_type.passport", "tui.form.id_type.hk_macao",
                "tui.form.id_type.taiwan", "tui.form.id_type.other")
URGENCY_KEYS = ("tui.form.urgency.tite", "tui.form.urgency.teji", "tui.form.urgency.jiaji",
                "tui.form.urgency.pingji", "tui.form.urgency.none")
CLASSIFICATION_KEYS = ("tui.form.classification.top_secret", "tui.form.classification.confidential",
                       "tui.form.classification.secret", "tui.form.classification.none")
EVENT_TYPE_KEYS = ("tui.form.event_type.natural", "tui.form.event_type.accident",
                   "tui.form.event_type.health", "tui.form.event_type.security")


def urgency_options() -> tuple[tuple[str, str], ...]:
    # "none" first: most documents carry no urgency marking.
    options = labelled(documents.URGENCIES, URGENCY_KEYS)
    return options[-1:] + options[:-1]


def classification_options() -> tuple[tuple[str, str], ...]:
    options = labelled(documents.CLASSIFICATIONS, CLASSIFICATION_KEYS)
    return options[-1:] + options[:-1]


# --- 来访 -----------------------------------------------------------------------


class VisitorForm(DeskForm):
    """来访登记: a visitor arrives (visitors.register_visitor)."""

    TITLE_KEY = "tui.form.title.visitor"
    CHANGES = frozenset({"visitor", "shift"})

    def form_fields(self) -> list[Field]:
        return [
            Field("name", required=True),
            Field("unit"),
            Field("phone"),
            Field("id_type", choices=labelled(visitors.ID_TYPES, ID_TYPE_KEYS), default=RESIDENT_ID),
            Field("id_number", check=check_id_number, id_number=True),
            Field("purpose"),
            Field("host"),
            Field("party_size", default="1",
                  check=count_check("visitor.party_size", "party_size", 500)),
            Field("arrived_at", placeholder="tui.form.hint.now", check=check_time),
        ]

    def save(self, values: dict[str, str]) -> int:
        v = dict(values)
        return visitors.register_visitor(
            self.desk, v.pop("name"), arrived_at=optional(v.pop("arrived_at", "")), **v).id


class CheckOutForm(DeskForm):
    """A visitor leaves (visitors.check_out), or is now being received
    (visitors.start_reception): both close a step of the visit."""

    TITLE_KEY = "tui.form.title.checkout"
    CHANGES = frozenset({"visitor"})

    def __init__(self, desk: Any, visitor_id: int, **prefill: Any) -> None:
        self.visitor_id = visitor_id
        super().__init__(desk, **prefill)

    def form_fields(self) -> list[Field]:
        return [
            Field("action", choices=()),
            Field("result"),
            Field("left_at", placeholder="tui.form.hint.now", check=check_time),
            Field("received_by"),
        ]

    def load(self) -> dict[str, Any]:
        v = common.get_record("visitor", self.visitor_id)
        return {"name": v.name, "unit": v.unit, "host": v.host, "state": v.state,
                "arrived": fmt_hm(v.arrived_at, self.desk.cfg), "voided": v.voided_at is not None,
                "steps": list(visit_steps(v))}

    def loaded(self, data: dict[str, Any]) -> None:
        intro = Text(data["name"], "bold")
        if data["unit"]:
            intro.append(f"  {data['unit']}")
        intro.append("  " + t("tui.form.visitor_since", at=data["arrived"],
                              state=t(f"state.visitor.{data['state']}")))
        self.intro(intro)
        actions: list[str] = data["steps"]  # what the core accepts next
        self.set_choices("action", [(a, t(f"tui.form.visitor_action.{a}")) for a in actions],
                         self.prefill.get("action", actions[0] if actions else ""))
        if not actions:
            self.say(t("record.voided", kind=t("kind.visitor"), id=self.visitor_id) if data["voided"]
                     else t("visitor.already_left", name=data["name"]))
        if data["host"]:
            self.widget("received_by").placeholder = data["host"]

    def choice_changed(self, name: str, value: str) -> None:
        if name == "action":
            for field in ("result", "left_at"):
                self.show_field(field, value == "check_out")
            self.show_field("received_by", value == "reception")

    def save(self, values: dict[str, str]) -> int:
        if values.get("action") == "reception":
            return visitors.start_reception(self.desk, self.visitor_id, values.get("received_by", "")).id
        if values.get("action") != "check_out":
            raise InvalidInput("tui.form.nothing_to_do", field="action")
        return visitors.check_out(self.desk, self.visitor_id, values.get("result", ""),
                                  optional(values.get("left_at", ""))).id


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
            Field("sender", required=True),
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
            Field("party"),
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


# --- 紧急事项 --------------------------------------------------------------------


class UrgentForm(DeskForm):
    """紧急信息接报: an urgent item comes in (urgent.open_urgent); the acting
    officer is its first responder."""

    TITLE_KEY = "tui.form.title.urgent"
    CHANGES = frozenset({"urgent", "shift"})

    def form_fields(self) -> list[Field]:
        return [
            Field("title", required=True),
            Field("event_type", required=True, choices=labelled(urgent.EVENT_TYPES, EVENT_TYPE_KEYS)),
            Field("level", required=True, choices=labelled(urgent.LEVELS, [f"level.{lv}" for lv in urgent.LEVELS])),
            Field("received_at", placeholder="tui.form.hint.now", check=check_time),
            Field("occurred_at", check=check_time),
            Field("place"),
            Field("source_unit"),
            Field("source_name"),
            Field("source_phone"),
            Field("casualties"),
            Field("measures"),
            Field("leaders_on_scene"),
            Field("trend"),
            Field("recommendations"),
        ]

    def __init__(self, desk: Any, **prefill: Any) -> None:
        level = prefill.get("level")
        if level:
            # The entry line may say 重大 or 2; the choice holds I-IV.
            try:
                prefill["level"] = urgent.check_level(str(level))
            except InvalidInput:
                prefill["level"] = ""
        super().__init__(desk, **prefill)

    def save(self, values: dict[str, str]) -> int:
        v = dict(values)
        return urgent.open_urgent(
            self.desk, v.pop("title"), v.pop("event_type", ""), v.pop("level", ""),
            received_at=optional(v.pop("received_at", "")), occurred_at=optional(v.pop("occurred_at", "")),
            **v).id


# kind -> {field: (label key, required)}; "at" is asked for every event.
EVENT_FIELDS: dict[str, dict[str, tuple[str, bool]]] = {
    "leader_informed": {"party": ("tui.form.label.leader", True), "means": ("tui.form.label.means", False),
                        "text": ("tui.form.label.leader_instruction", False)},
    "phone_report": {"party": ("tui.form.label.reported_to", False), "means": ("tui.form.label.means", False),
                     "text": ("tui.form.label.note", False)},
}
_REPORT_FIELDS = {"party": ("tui.form.label.reported_to", False), "means": ("tui.form.label.means", False),
                  "text": ("tui.form.label.report_text", True)}
for _kind in ("first_report", "followup", "daily", "final"):
    EVENT_FIELDS[_kind] = _REPORT_FIELDS


class UrgentEventForm(DeskForm):
    """A timeline event of an urgent item (urgent.add_event): leader informed,
    phone report, 首报, 续报, 日报, 终报 (which closes it)."""

    TITLE_KEY = "tui.form.title.urgent_event"
    CHANGES = frozenset({"urgent"})

    def __init__(self, desk: Any, item_id: int, kind: str | None = None, **prefill: Any) -> None:
        self.item_id = item_id
        if kind:
            prefill["kind"] = kind
        super().__init__(desk, **prefill)

    def form_fields(self) -> list[Field]:
        return [
            Field("kind", choices=()),
            Field("party"),
            Field("means"),
            Field("text"),
            Field("at", label="tui.form.label.event_at", placeholder="tui.form.hint.now", check=check_time),
        ]

    def load(self) -> dict[str, Any]:
        item = common.get_record("urgent", self.item_id)
        kinds = [e.kind for e in urgent.timeline(self.item_id) if e.voided_at is None]
        return {"title": item.title, "level": item.level, "state": item.state, "voided": item.voided_at is not None,
                "next_kind": item.next_due_kind, "next_at": fmt_hm(item.next_due_at, self.desk.cfg),
                "kinds": kinds, "offered": list(urgent.events_allowed(item, kinds))}

    def loaded(self, data: dict[str, Any]) -> None:
        intro = Text(t(f"level.{data['level']}") + "  ", "bold")
        intro.append(data["title"])
        if data["next_kind"] and data["next_at"]:
            intro.append("\n" + t("tui.form.next_due", kind=t(f"due.{data['next_kind']}"), at=data["next_at"]))
        self.intro(intro)
        offered: list[str] = data["offered"]  # only what the core would accept next
        preferred = self.prefill.get("kind") or data["next_kind"] or ""
        seq = data["kinds"].count("followup") + 1
        self.set_choices("kind", [(k, event_label(k, seq)) for k in offered],
                         preferred if preferred in offered else (offered[0] if offered else ""))
        if not offered:
            self.say(t("record.voided", kind=t("kind.urgent"), id=self.item_id) if data["voided"]
                     else t("urgent.closed", title=data["title"]))

    def choice_changed(self, name: str, value: str) -> None:
        if name != "kind":
            return
        wanted = EVENT_FIELDS.get(value, {})
        for field in ("party", "means", "text"):
            self.show_field(field, field in wanted)
            if field in wanted:
                key, required = wanted[field]
                self.set_label(field, key, required=required)
        means = self.widget("means")
        if value == "phone_report" and not means.value:
            means.value = t("tui.form.means.phone")

    def save(self, values: dict[str, str]) -> int:
        kind = values.get("kind", "")
        if not kind:
            raise InvalidInput("tui.form.nothing_to_do", field="kind")
        urgent.add_event(self.desk, self.item_id, kind, party=values.get("party", ""),
                         means=values.get("means", ""), text=values.get("text", ""),
                         at=optional(values.get("at", "")))
        return self.item_id


# --- 作废、零报告、处理结果 --------------------------------------------------------


class VoidForm(DeskForm):
    """作废: a mistaken record is voided with a reason; it stays readable."""

    TITLE_KEY = "tui.form.title.void"

    def __init__(self, desk: Any, kind: str, record_id: int, **prefill: Any) -> None:
        self.kind, self.record_id = kind, record_id
        self.CHANGES = frozenset({kind})
        super().__init__(desk, **prefill)

    def form_fields(self) -> list[Field]:
        return [Field("reason", label="tui.form.label.void_reason", required=True)]

    def load(self) -> dict[str, Any]:
        row = common.get_record(self.kind, self.record_id)
        return {"summary": kinds.summary(self.kind, row, self.desk.cfg),
                "voided": getattr(row, "voided_at", None) is not None}

    def loaded(self, data: dict[str, Any]) -> None:
        kind = t(f"kind.{self.kind}")
        intro = Text(f"{kind} #{self.record_id}  ", "bold")
        intro.append(data["summary"])
        intro.append("\n" + t("tui.form.void_keeps"))
        self.intro(intro)
        if data["voided"]:
            self.say(t("void.already", kind=kind, id=self.record_id))

    def save(self, values: dict[str, str]) -> int:
        return common.void_record(self.desk, self.kind, self.record_id, values.get("reason", "")).id


class ZeroReportForm(DeskForm):
    """零报告: the duty day had nothing to report; one confirmation."""

    TITLE_KEY = "tui.form.title.zero"
    CHANGES = frozenset({"log", "shift"})
    ALIASES: ClassVar[dict[str, str]] = {"content": "note"}

    def form_fields(self) -> list[Field]:
        return [Field("note", placeholder="tui.form.hint.zero_note")]

    def load(self) -> dict[str, Any]:
        day = self.desk.today()
        return {"day": day, "zero": log.has_zero_report(day), "items": log.day_has_items(day)}

    def loaded(self, data: dict[str, Any]) -> None:
        day = data["day"]
        weekday = WEEKDAYS_ZH[day.weekday()] if language() == "zh" else day.strftime("%A")
        self.intro(Text(t("tui.form.zero_confirm", day=day.isoformat(), weekday=weekday)))
        if data["zero"]:
            self.say(t("zero.already", day=day.isoformat()))
        elif data["items"]:
            self.say(t("zero.has_items", day=day.isoformat()))

    def save(self, values: dict[str, str]) -> int:
        return log.record_zero_report(self.desk, values.get("note", "")).id


class ResultForm(DeskForm):
    """The result of a call awaiting action (log.record_result); closes it."""

    TITLE_KEY = "tui.form.title.result"
    CHANGES = frozenset({"log"})

    def __init__(self, desk: Any, log_id: int, **prefill: Any) -> None:
        self.log_id = log_id
        super().__init__(desk, **prefill)

    def form_fields(self) -> list[Field]:
        return [Field("result", required=True), Field("handling")]

    def load(self) -> dict[str, Any]:
        e = common.get_record("log", self.log_id)
        who = " ".join(x for x in (e.counterpart_unit, e.counterpart_name) if x)
        return {"at": fmt_hm(e.occurred_at, self.desk.cfg), "category": e.category, "content": e.content,
                "who": who, "handling": e.handling, "owner": officer_name(e.owner),
                "due": fmt_hm(e.due_at, self.desk.cfg)}

    def loaded(self, data: dict[str, Any]) -> None:
        intro = Text(f"{data['at']} {data['category']}  ", "bold")
        if data["who"]:
            intro.append(f"{data['who']}：")
        intro.append(data["content"])
        if data["due"]:
            intro.append("\n" + t("tui.form.result_due", owner=data["owner"], at=data["due"]))
        self.intro(intro)
        if data["handling"] and not self.raw_value("handling"):
            self.set_value("handling", data["handling"])

    def save(self, values: dict[str, str]) -> int:
        return log.record_result(self.desk, self.log_id, values.get("result", ""),
                                 values.get("handling")).id
