"""Follow-up forms (件件有着落、事事有回音): chase an open item (催办), hand it
to another officer with a reason (移交), record a leader's instruction on it
(批示), and answer an instruction back (答复).

Each is a ``DeskForm``: it reads the item on a worker thread, shows what is
being acted on, and makes one service call; a refusal from the core is shown
and what was typed stays.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from duty_desk.core import kinds
from duty_desk.core.desk import officer_name
from duty_desk.core.dutytime import fmt_dt, fmt_hm
from duty_desk.core.errors import InvalidInput
from duty_desk.core.i18n import t
from duty_desk.core.openitems import is_open, record_owner
from duty_desk.core.sanitize import shown
from duty_desk.core.services import chasing, common, instructions, ownership
from duty_desk.core.services.officers import list_officers
from duty_desk.core.suggest import PERSON, UNIT
from duty_desk.tui.forms.base import DeskForm
from duty_desk.tui.forms.checks import check_time, optional
from duty_desk.tui.safe import shown_all
from duty_desk.tui.widgets.fields import Field


def check_due(form: DeskForm, value: str) -> None:
    """A due time may lie ahead; the very parser the service uses."""
    instructions.parse_due(form.desk, value)


def item_intro(kind: str, record: Any, desk: Any) -> Text:
    """The first line of a follow-up form: which item, whose, due when."""
    intro = Text(f"{t(f'kind.{kind}')} #{record.id}  ", "bold")
    intro.append(shown(kinds.summary(kind, record, desk.cfg)))
    facts = [t("tui.form.owner_now", owner=shown(officer_name(record_owner(kind, record))))]
    due, _due_kind = kinds.kind(kind).due_of(record)
    if due is not None:
        facts.append(t("tui.form.due_now", at=fmt_dt(due, desk.cfg)))
    intro.append("\n" + "  ".join(facts))
    return intro


def _item(kind: str, record_id: int) -> tuple[Any, bool]:
    record = common.get_record(kind, record_id)
    return record, is_open(kind, record)


class ChaseForm(DeskForm):
    """催办: whom, by what means, the answer, when (chasing.record_chase)."""

    TITLE_KEY = "tui.form.title.chase"

    def __init__(self, desk: Any, kind: str, record_id: int, **prefill: Any) -> None:
        self.kind = chasing.record_kind(kind)
        self.record_id = record_id
        self.CHANGES = frozenset({self.kind})
        super().__init__(desk, **prefill)

    def form_fields(self) -> list[Field]:
        return [
            Field("whom", label="tui.form.label.chased", required=True, suggest=UNIT, fills=(("who", "whom"),)),
            Field("means", label="tui.form.label.means", default=t("tui.form.means.phone")),
            Field("answer", label="tui.form.label.answer"),
            Field("at", label="tui.form.label.chase_at", placeholder="tui.form.hint.now", check=check_time),
        ]

    def load(self) -> dict[str, Any]:
        record, open_ = _item(self.kind, self.record_id)
        chases = chasing.chases_of(self.kind, self.record_id)
        last = chases[-1] if chases else None
        # Whom one usually chases: the unit it was handed to, the host, the assignee.
        spec = kinds.kind(self.kind)
        whom = getattr(record, spec.chased_field, "") if spec.chased_field else ""
        return shown_all({"intro": item_intro(self.kind, record, self.desk), "open": open_, "count": len(chases),
                          "last_at": fmt_hm(last.at, self.desk.cfg) if last else "",
                          "last_whom": last.whom if last else "", "whom": (whom or "").split("\n")[0].strip()})

    def loaded(self, data: dict[str, Any]) -> None:
        intro: Text = data["intro"]
        if data["count"]:
            intro.append("\n" + t("open.chases", count=data["count"], at=data["last_at"], whom=data["last_whom"]))
        else:
            intro.append("\n" + t("tui.form.chase_none"))
        self.intro(intro)
        if data["whom"] and not self.raw_value("whom"):
            self.set_value("whom", data["whom"])
        if not data["open"]:
            self.say(t("chase.closed", kind=self.kind, id=self.record_id))

    def save(self, values: dict[str, str]) -> int:
        return chasing.record_chase(self.desk, self.kind, self.record_id, values.get("whom", ""),
                                    values.get("means", ""), values.get("answer", ""),
                                    at=optional(values.get("at", ""))).id


class TransferForm(DeskForm):
    """移交: an open item to another active officer, with a reason
    (ownership.transfer_ownership)."""

    TITLE_KEY = "tui.form.title.transfer"

    def __init__(self, desk: Any, kind: str, record_id: int, **prefill: Any) -> None:
        self.kind = kinds.record_kind(kind)
        self.record_id = record_id
        self.CHANGES = frozenset({self.kind})
        super().__init__(desk, **prefill)

    def form_fields(self) -> list[Field]:
        return [
            Field("owner", label="tui.form.label.new_owner", required=True, choices=()),
            Field("reason", label="tui.form.label.transfer_reason", required=True),
        ]

    def load(self) -> dict[str, Any]:
        record, open_ = _item(self.kind, self.record_id)
        owner = record_owner(self.kind, record)
        officers = [(o.login, o.name) for o in sorted(list_officers(), key=lambda o: o.id)
                    if o.active and o.login != owner]
        return shown_all({"intro": item_intro(self.kind, record, self.desk), "open": open_, "officers": officers})

    def loaded(self, data: dict[str, Any]) -> None:
        self.intro(data["intro"])
        officers = data["officers"]
        self.set_choices("owner", officers, self.prefill.get("owner", ""))
        if not data["open"]:
            self.say(t("owner.closed", kind=self.kind, id=self.record_id))
        elif not officers:
            self.say(t("tui.form.no_other_officer"))

    def save(self, values: dict[str, str]) -> int:
        if not values.get("owner"):
            raise InvalidInput("tui.form.required", field="owner")
        return ownership.transfer_ownership(self.desk, self.kind, self.record_id, values["owner"],
                                            values.get("reason", "")).id


class InstructionForm(DeskForm):
    """批示: who gave it, the text, who carries it out, by when
    (instructions.record_instruction). It stays open until answered."""

    TITLE_KEY = "tui.form.title.instruction"

    def __init__(self, desk: Any, kind: str, record_id: int, **prefill: Any) -> None:
        self.kind = kinds.record_kind(kind)
        self.record_id = record_id
        self.CHANGES = frozenset({self.kind, "instruction"})
        super().__init__(desk, **prefill)

    def form_fields(self) -> list[Field]:
        return [
            Field("leader", label="tui.form.label.leader", required=True, suggest=PERSON, fills=(("name", "leader"),)),
            Field("text", label="tui.form.label.instruction", required=True),
            Field("assignee", label="tui.form.label.assignee", suggest=UNIT, fills=(("who", "assignee"),)),
            Field("due", label="tui.form.label.deadline", check=check_due),
            Field("given_at", label="tui.form.label.given_at", placeholder="tui.form.hint.now", check=check_time),
        ]

    def load(self) -> dict[str, Any]:
        from duty_desk.core.services.common import desk_leaders, recording_slot

        if self.kind not in instructions.INSTRUCTABLE:
            raise InvalidInput("instruction.kind", field="kind", kind=self.kind,
                               choices=" ".join(instructions.INSTRUCTABLE))
        record = common.get_record(self.kind, self.record_id)
        # The leader on duty is the usual one to give it.
        _slot, shift = recording_slot(self.desk)
        leaders = list(shift.leaders) if shift is not None else [o.name for o in desk_leaders(self.desk)]
        return shown_all({"intro": item_intro(self.kind, record, self.desk), "voided": record.voided_at is not None,
                          "leader": leaders[0] if leaders else ""})

    def loaded(self, data: dict[str, Any]) -> None:
        self.intro(data["intro"])
        self.widget("due").placeholder = t("tui.form.hint.instruction_due",  # type: ignore[attr-defined]
                                           minutes=self.desk.cfg.ordinary_minutes)
        if data["leader"] and not self.raw_value("leader"):
            self.set_value("leader", data["leader"])
        if data["voided"]:
            self.say(t("record.voided", kind=t(f"kind.{self.kind}"), id=self.record_id))

    def save(self, values: dict[str, str]) -> int:
        return instructions.record_instruction(
            self.desk, self.kind, self.record_id, values.get("leader", ""), values.get("text", ""),
            values.get("assignee", ""), due=optional(values.get("due", "")),
            given_at=optional(values.get("given_at", ""))).id


class AnswerForm(DeskForm):
    """答复: how an instruction was carried out; this closes it
    (instructions.answer_instruction). Given several open instructions of
    one item, the officer picks which."""

    TITLE_KEY = "tui.form.title.answer"

    def __init__(self, desk: Any, instruction_ids: int | list[int], **prefill: Any) -> None:
        self.instruction_ids = [instruction_ids] if isinstance(instruction_ids, int) else list(instruction_ids)
        self.CHANGES = frozenset({"instruction"})
        super().__init__(desk, **prefill)

    def form_fields(self) -> list[Field]:
        return [
            Field("instruction", label="tui.form.label.instruction_pick", choices=()),
            Field("result", label="tui.form.label.instruction_result", required=True),
        ]

    def load(self) -> list[dict[str, Any]]:
        out = []
        for ins_id in self.instruction_ids:
            ins = common.get_record("instruction", ins_id)
            out.append({"id": ins.id, "leader": ins.leader, "text": ins.text, "assignee": ins.assignee,
                        "given": fmt_dt(ins.given_at, self.desk.cfg), "due": fmt_dt(ins.due_at, self.desk.cfg),
                        "item_kind": ins.item_kind, "item_id": ins.item_id,
                        "answered": ins.answered_at is not None, "voided": ins.voided_at is not None})
        return shown_all(out)

    def loaded(self, data: list[dict[str, Any]]) -> None:
        self.data = {str(d["id"]): d for d in data}
        self.CHANGES = frozenset({"instruction", *(d["item_kind"] for d in data)})
        options = [(str(d["id"]), f"#{d['id']} {d['leader']}：{d['text'][:16]}") for d in data]
        self.set_choices("instruction", options, options[0][0] if options else "")
        self.show_field("instruction", len(options) > 1)

    def choice_changed(self, name: str, value: str) -> None:
        data = getattr(self, "data", {}).get(value)
        if name != "instruction" or data is None:
            return
        intro = Text(f"{data['leader']}  ", "bold")
        intro.append(f"{data['given']}\n")
        intro.append(data["text"])
        facts = [t("tui.form.due_now", at=data["due"])] if data["due"] else []
        if data["assignee"]:
            facts.append(t("tui.form.assignee_now", assignee=data["assignee"]))
        if facts:
            intro.append("\n" + "  ".join(facts))
        self.intro(intro)
        if data["voided"]:
            self.say(t("record.voided", kind=t("kind.instruction"), id=data["id"]))
        elif data["answered"]:
            self.say(t("instruction.answered", id=data["id"]))
        else:
            self.say("", "info")

    def save(self, values: dict[str, str]) -> int:
        chosen = values.get("instruction") or (str(self.instruction_ids[0]) if self.instruction_ids else "")
        if not chosen:
            raise InvalidInput("tui.form.nothing_to_do", field="instruction")
        return instructions.answer_instruction(self.desk, int(chosen), values.get("result", "")).id
