"""来访: registering a visitor, and the next step of a visit (received, left)."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from duty_desk.core.dutytime import fmt_hm
from duty_desk.core.errors import InvalidInput
from duty_desk.core.i18n import t
from duty_desk.core.idcard import RESIDENT_ID
from duty_desk.core.kinds.visitor import visit_steps
from duty_desk.core.services import common, visitors
from duty_desk.core.suggest import PERSON, UNIT
from duty_desk.tui.forms.base import DeskForm
from duty_desk.tui.forms.checks import (
    ID_TYPE_KEYS,
    check_id_number,
    check_time,
    count_check,
    optional,
)
from duty_desk.tui.forms.suggesting import PHONE
from duty_desk.tui.widgets.fields import Field, labelled

# What a chosen name fills in: (the suggestion's attribute, the form's field).
VISITOR_FILLS = (("name", "name"), ("unit", "unit"), ("phone", "phone"))

# --- 来访 -----------------------------------------------------------------------


class VisitorForm(DeskForm):
    """来访登记: a visitor arrives (visitors.register_visitor)."""

    TITLE_KEY = "tui.form.title.visitor"
    CHANGES = frozenset({"visitor", "shift"})

    def form_fields(self) -> list[Field]:
        return [
            Field("name", required=True, suggest=PERSON, fills=VISITOR_FILLS),
            Field("unit", suggest=UNIT, fills=VISITOR_FILLS),
            Field("phone", suggest=PHONE, fills=VISITOR_FILLS),
            Field("id_type", choices=labelled(visitors.ID_TYPES, ID_TYPE_KEYS), default=RESIDENT_ID),
            Field("id_number", check=check_id_number, id_number=True),
            Field("purpose"),
            Field("host", suggest=UNIT, fills=(("who", "host"),)),
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
