"""发送: the approved report sent to one recipient after another, the same
text to each by construction (service.send is given no text of its own).

The recipient comes from the contact book (Tab takes the one suggested),
the means is one of 专网 / 传真 / 电话口头 / 短信, the time is now unless
typed. Whether a sending at that time would be late is worked out as the
form opens and as the time is typed (service.due_for / late_by): the first
sending of a late report asks for the reason (迟报原因) before it is sent.
After each sending the form stays, for the next recipient; Esc ends."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.text import Text

from duty_desk.core.dutytime import fmt_dt, parse_when
from duty_desk.core.errors import DeskError
from duty_desk.core.i18n import t
from duty_desk.core.reports import screen as reading
from duty_desk.core.reports import service
from duty_desk.core.reports.recipients import resolve
from duty_desk.core.suggest import UNIT
from duty_desk.tui.forms.checks import check_time, optional
from duty_desk.tui.forms.reports import ReportForm
from duty_desk.tui.messages import RecordsChanged
from duty_desk.tui.widgets.fields import Field
from duty_desk.tui.workers import run_core


class SendReportForm(ReportForm):
    """Record the approved report sent to a recipient (see the module)."""

    TITLE_KEY = "tui.reports.form.send"

    def __init__(self, desk: Any, report_id: int, **prefill: Any) -> None:
        self.report_id = report_id
        self.info: reading.Sending | None = None
        self.sent: list[str] = []  # recipients sent to from this form
        super().__init__(desk, **prefill)

    def form_fields(self) -> list[Field]:
        return [
            Field("recipient", label="report.col.recipient", required=True, suggest=UNIT,
                  fills=(("who", "recipient"),), placeholder="tui.reports.form.recipient_hint"),
            Field("means", label="report.col.means", choices=tuple((m, m) for m in service.MEANS),
                  default=service.MEANS[0]),
            Field("at", label="tui.reports.form.sent_at", placeholder="tui.form.hint.now", check=check_time),
            Field("received_by", label="report.col.received_by", placeholder="tui.reports.form.received_hint"),
            Field("delay_reason", label="tui.reports.form.delay_reason"),
        ]

    def _field_row(self, spec: Field) -> Any:
        row = super()._field_row(spec)
        if spec.name == "delay_reason":
            row.display = False  # asked only of a sending that would be late
        return row

    def load(self) -> reading.Sending:
        return reading.sending(self.desk, self.report_id)

    def loaded(self, info: reading.Sending) -> None:
        self.info = info
        self.show_intro()
        self.check_lateness()

    def show_intro(self) -> None:
        info = self.info
        if info is None:
            return
        intro = Text(info.name + "  ", "bold")
        intro.append(info.approval)
        if info.first and info.due_at is not None:
            intro.append("\n" + t("tui.reports.form.due", at=fmt_dt(info.due_at, self.desk.cfg)))
        sent_to = [*info.sent_to, *self.sent]
        if sent_to:
            intro.append("\n" + t("report.sent_to", list="、".join(sent_to)))
        self.intro(intro)

    # --- the names offered: the contact book's -------------------------------------
    def read_names(self) -> None:
        self._picked_values = {}
        run_core(self, self.desk, reading.recipients_book, self.desk, done=self._recipients_read,
                 failed=self._names_not_read, group="form-names", exclusive=True)

    def _recipients_read(self, book: Any) -> None:
        self.book = book  # not the app's book of every name: that one serves the other forms
        self.names_typed("recipient")
        self._decide_pending()

    # --- lateness, before sending --------------------------------------------------
    def late_minutes(self) -> int:
        """How late a sending at the time typed (now if none) would be; 0
        when on time, or when the report went out already (lateness is the
        first sending's)."""
        info = self.info
        if info is None or not info.first or info.due_at is None:
            return 0
        typed = self.raw_value("at")
        try:
            moment = parse_when(typed, self.desk.now(), self.desk.cfg, "at") if typed else self.desk.now()
        except (DeskError, ValueError, OverflowError):
            return 0  # the time field says what is wrong with it
        return reading.late_now(info.due_at, moment)

    def check_lateness(self) -> None:
        late = self.late_minutes()
        was = self.is_live("delay_reason")
        self.show_field("delay_reason", bool(late))
        self.set_label("delay_reason", required=bool(late))
        if late:
            self.field_message("delay_reason", t("tui.reports.form.late", minutes=late), "warn")
        elif was:
            self.set_value("delay_reason", "")

    def on_input_changed(self, event: Any) -> None:
        # DeskForm's own handler runs too (Textual calls each class's).
        if (event.input.id or "") == "field-at":
            self.check_lateness()

    def submit_now(self) -> None:
        self.check_lateness()  # the clock moved on while the form was open
        super().submit_now()

    def refused(self, err: DeskError) -> None:
        if err.field == "delay_reason":
            self.show_field("delay_reason", True)
            self.set_label("delay_reason", required=True)
        super().refused(err)

    # --- sending ---------------------------------------------------------------------
    def save(self, values: dict[str, str]) -> int:
        # The recipient as the contact book names it, when it names one (as `report send` does).
        target = resolve(values.get("recipient", ""))
        self.in_book = target.contact is not None
        return service.send(self.desk, self.report_id, target.name, values.get("means", ""),
                            at=optional(values.get("at", "")), received_by=values.get("received_by", ""),
                            contact=target.contact.id if target.contact else None,
                            delay_reason=values.get("delay_reason", "")).id

    def saved(self, record_id: int) -> None:
        """Sent: said, and the form is ready for the next recipient."""
        self.busy = False
        self.app.post_message(RecordsChanged(set(self.CHANGES)))
        recipient, means = self.raw_value("recipient"), self.raw_value("means")
        self.sent.append(f"{recipient}（{means}）")
        if self.info is not None and self.info.first:
            self.info = replace(self.info, first=False)
        for name in ("recipient", "at", "received_by", "delay_reason"):
            self.set_value(name, "")
            self.field_message(name, "")
        self.check_lateness()
        self.show_intro()
        told = t("tui.reports.form.sent_next", recipient=recipient, means=means)
        if not getattr(self, "in_book", True):
            told = t("tui.reports.form.not_in_book", recipient=recipient) + told
        self.say(told, "info")
        self.widget("recipient").focus()

    def action_cancel(self) -> None:
        if self.close_suggestions() or self.busy:
            return
        self.dismiss(self.report_id if self.sent else None)
