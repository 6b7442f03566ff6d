"""紧急信息: opening an urgent item, and the events of its timeline."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from duty_desk.core.dutytime import fmt_hm
from duty_desk.core.errors import InvalidInput
from duty_desk.core.i18n import t
from duty_desk.core.rules import event_label
from duty_desk.core.services import common, urgent
from duty_desk.core.suggest import PERSON, UNIT
from duty_desk.tui.forms.base import DeskForm
from duty_desk.tui.forms.checks import (
    EVENT_TYPE_KEYS,
    check_time,
    optional,
)
from duty_desk.tui.forms.suggesting import PHONE
from duty_desk.tui.widgets.fields import Field, labelled

# Whom the report came from: a chosen name fills the three source fields.
SOURCE_FILLS = (("unit", "source_unit"), ("name", "source_name"), ("phone", "source_phone"))

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
            Field("source_unit", suggest=UNIT, fills=SOURCE_FILLS),
            Field("source_name", suggest=PERSON, fills=SOURCE_FILLS),
            Field("source_phone", suggest=PHONE, fills=SOURCE_FILLS),
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
# The written reports (首报, 续报, 日报, 终报) are not offered here: they are
# drafted, signed off and sent on the item's reports screen (`b` on its detail).
EVENT_FIELDS: dict[str, dict[str, tuple[str, bool]]] = {
    "leader_informed": {"party": ("tui.form.label.leader", True), "means": ("tui.form.label.means", False),
                        "text": ("tui.form.label.leader_instruction", False)},
    "phone_report": {"party": ("tui.form.label.reported_to", False), "means": ("tui.form.label.means", False),
                     "text": ("tui.form.label.note", False)},
}


class UrgentEventForm(DeskForm):
    """A timeline event of an urgent item (urgent.add_event): leader informed,
    phone report. The written reports go through the reports screen, signed
    off first; the form says so."""

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
            Field("party", suggest=UNIT, fills=(("who", "party"),)),
            Field("means"),
            Field("text"),
            Field("at", label="tui.form.label.event_at", placeholder="tui.form.hint.now", check=check_time),
        ]

    def load(self) -> dict[str, Any]:
        item = common.get_record("urgent", self.item_id)
        return {"title": item.title, "level": item.level, "state": item.state, "voided": item.voided_at is not None,
                "next_kind": item.next_due_kind, "next_at": fmt_hm(item.next_due_at, self.desk.cfg),
                "offered": list(urgent.events_allowed(item, [e.kind for e in urgent.timeline(self.item_id)
                                                             if e.voided_at is None]))}

    def loaded(self, data: dict[str, Any]) -> None:
        intro = Text(t(f"level.{data['level']}") + "  ", "bold")
        intro.append(data["title"])
        if data["next_kind"] and data["next_at"]:
            intro.append("\n" + t("tui.form.next_due", kind=t(f"due.{data['next_kind']}"), at=data["next_at"]))
        # Only what the core would accept next, and no written report: those
        # are signed off before they go out, on the reports screen.
        offered: list[str] = [k for k in data["offered"] if k in EVENT_FIELDS]
        if offered:
            intro.append("\n" + t("tui.reports.event_form_hint"))
        self.intro(intro)
        preferred = self.prefill.get("kind") or data["next_kind"] or ""
        self.set_choices("kind", [(k, event_label(k)) for k in offered],
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
