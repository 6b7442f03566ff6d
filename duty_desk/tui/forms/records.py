"""作废、零报告、处理结果: voiding a record with a reason, the zero report of a
duty day, and the result of a call awaiting action."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text

from duty_desk.core import kinds
from duty_desk.core.desk import officer_name
from duty_desk.core.dutytime import WEEKDAYS_ZH, fmt_hm
from duty_desk.core.i18n import language, t
from duty_desk.core.services import common, log
from duty_desk.tui.forms.base import DeskForm
from duty_desk.tui.widgets.fields import Field

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
