"""The detail of one record, shown: its fields, its steps or timeline, and
its full history, with keys to the forms that act on it.

The core reads it into plain data on a worker thread (core.detail.load_detail),
including the actions its state allows; this screen only renders it and
offers exactly those keys. User text is always a rich ``Text``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from duty_desk.core.desk import Desk
from duty_desk.core.detail import Detail, load_detail
from duty_desk.core.i18n import t
from duty_desk.core.sanitize import shown
from duty_desk.core.services import urgent
from duty_desk.tui.bindings import translate_bindings
from duty_desk.tui.forms import (
    CheckOutForm,
    DocumentStepForm,
    ResultForm,
    UrgentEventForm,
    VoidForm,
)
from duty_desk.tui.forms.followup import AnswerForm, ChaseForm, InstructionForm, TransferForm
from duty_desk.tui.forms.takeback import (
    UndoStepForm,
    VoidEventForm,
)
from duty_desk.tui.messages import RecordsChanged
from duty_desk.tui.safe import shown_all
from duty_desk.tui.screens.confirm import ConfirmStep
from duty_desk.tui.screens.rowpick import REPEAT_REPORT_MINUTES, recent_phone_report
from duty_desk.tui.workers import run_core


def _table(headers: list[str], rows: list[tuple[str, ...]], wide: int) -> Table:
    """A plain table; every cell is Text so user text never parses as markup."""
    table = Table(box=None, show_edge=False, pad_edge=False, padding=(0, 1), expand=True,
                  header_style="bold")
    for i, header in enumerate(headers):
        table.add_column(header, ratio=1 if i == wide else None, no_wrap=i == 0, overflow="fold")
    for cells in rows:
        table.add_row(*(Text(c) for c in cells))
    return table


class DetailScreen(ModalScreen[None]):
    """One record, all of it, and what can be done with it next."""

    BINDINGS: ClassVar = [
        # A letter (nothing here takes text), and the desk's own key for the
        # same action so the hand that knows the main screen is right here too.
        Binding("escape", "close", "tui.detail.key.close", id="detail.close"),
        Binding("o,ctrl+o", "checkout", "tui.detail.key.checkout", id="detail.checkout"),
        Binding("n,ctrl+n", "step", "tui.detail.key.step", id="detail.step"),
        Binding("u", "undo_step", "tui.detail.key.undo_step", id="detail.undo_step"),
        Binding("e,ctrl+t", "event", "tui.detail.key.event", id="detail.event"),
        # Written reports (信息报送): early in the footer, in sight at 80 columns.
        Binding("b", "report", "tui.reports.key.detail", id="detail.reports"),
        Binding("p,ctrl+r", "phone_report", "tui.detail.key.phone_report", id="detail.phone_report"),
        Binding("x", "void_event", "tui.detail.key.void_event", id="detail.void_event"),
        Binding("r,ctrl+g", "result", "tui.detail.key.result", id="detail.result"),
        Binding("v,f9", "void", "tui.detail.key.void", id="detail.void"),
        Binding("c,ctrl+f", "chase", "tui.detail.key.chase", id="detail.chase"),
        Binding("t", "transfer", "tui.detail.key.transfer", id="detail.transfer"),
        Binding("i,ctrl+l", "instruct", "tui.detail.key.instruct", id="detail.instruct"),
        Binding("a", "answer", "tui.detail.key.answer", id="detail.answer"),
        Binding("w", "who_to_call", "tui.detail.key.who_to_call", id="detail.who_to_call"),
    ]
    ACTIONS = ("void", "checkout", "step", "undo_step", "event", "phone_report", "void_event", "result", "chase",
               "transfer", "instruct", "answer", "who_to_call", "report")

    def __init__(self, desk: Desk, kind: str, record_id: int, *, read_only: bool = False) -> None:
        super().__init__()
        # Opened from history: shown in full, nothing offered that writes.
        self.read_only = read_only
        translate_bindings(self)
        self.desk = desk
        self.kind = kind
        self.record_id = record_id
        self.detail: Detail | None = None

    def compose(self) -> ComposeResult:
        box = Vertical(id="detail-box", classes="detail-box")
        box.border_title = Text(f"{t(f'kind.{self.kind}')} #{self.record_id}")
        with box:
            with VerticalScroll(id="detail-body", classes="detail-body"):
                yield Static(Text(t("tui.form.loading")), id="detail-content")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#detail-body").focus()
        self.reload()

    def reload(self) -> None:
        # Stored text (fields, steps, the audit trail's payloads, even a
        # refused attempt's input) is made safe to show, once, on the worker.
        run_core(self, self.desk, lambda: shown_all(load_detail(self.desk, self.kind, self.record_id)),
                 done=self._show, failed=self._show_error, group="detail-load", exclusive=True,
                 failure_key="tui.form.failed")

    def _show_error(self, message: str) -> None:
        if self.is_attached:  # closed while it was read: nothing to show it in
            self.query_one("#detail-content", Static).update(Text(shown(message), "bold"))

    def _show(self, d: Detail) -> None:
        if not self.is_attached:
            return
        self.detail = d
        title = Text(f"{t(f'kind.{d.kind}')} #{d.record_id}  ")
        title.append(d.headline)
        if d.state:
            title.append(f"  [{d.state}]", "bold")
        self.query_one("#detail-box").border_title = title
        self.query_one("#detail-content", Static).update(self.render_detail(d))
        self.refresh_bindings()

    def render_detail(self, d: Detail) -> RenderableType:
        parts: list[RenderableType] = []
        if self.read_only:
            parts.append(Text(t("tui.history.detail_read_only"), "bold reverse"))
        for mark in d.marks:
            parts.append(Text(mark, "bold reverse"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, style="bold")
        grid.add_column(overflow="fold")
        for label, value in d.fields:
            grid.add_row(Text(label), Text(value))
        parts.append(grid)
        if d.steps is not None:
            parts.append(Text("\n" + t("tui.detail.steps"), "bold underline"))
            parts.append(_table([t("col.at"), t("tui.detail.col.step"), t("col.actor"), t("tui.form.label.party"),
                                 t("tui.detail.col.text"), t("col.deadline")], d.steps, 4))
        if d.chases:
            parts.append(Text("\n" + t("tui.detail.chases", count=len(d.chases)), "bold underline"))
            parts.append(_table([t("col.at"), t("col.actor"), t("tui.form.label.chased"), t("tui.form.label.means"),
                                 t("tui.form.label.answer")], d.chases, 4))
        if d.instructions:
            parts.append(Text("\n" + t("tui.detail.instructions"), "bold underline"))
            parts.append(_table([t("tui.form.label.given_at"), t("tui.form.label.leader"),
                                 t("tui.form.label.instruction"), t("tui.form.label.assignee"), t("col.deadline"),
                                 t("col.state")], d.instructions, 2))
        if d.timeline is not None:
            parts.append(Text("\n" + t("tui.detail.timeline"), "bold underline"))
            rows = d.timeline or [(t("tui.detail.none"),) + ("",) * 6]
            parts.append(_table([t("col.at"), t("tui.detail.col.event"), t("col.actor"), t("tui.form.label.party"),
                                 t("tui.form.label.means"), t("tui.detail.col.text"), ""], rows, 5))
        parts.append(Text("\n" + t("tui.detail.history"), "bold underline"))
        history = Table(box=None, show_edge=False, pad_edge=False, padding=(0, 1), expand=True,
                        header_style="bold")
        history.add_column(t("col.at"), no_wrap=True)
        history.add_column(t("col.actor"), no_wrap=True)
        history.add_column(t("col.action"), no_wrap=True)
        history.add_column(t("tui.detail.col.changes"), ratio=1, overflow="fold")
        for h in d.history:
            changes = Text()
            if not h.ok:
                changes.append(t("tui.detail.failed") + " ", "bold")
                changes.append(h.note)
            for c in h.changes:
                if changes.plain:
                    changes.append("\n")
                changes.append(f"{c.label}: ", "bold")
                if c.old is not None:
                    changes.append(c.old or t("tui.detail.empty"), "dim")
                    changes.append(" → ")
                changes.append(c.new or t("tui.detail.empty"))
            history.add_row(Text(h.at), Text(h.actor), Text(h.action, "" if h.ok else "bold"), changes)
        parts.append(history)
        return Group(*parts)

    # --- keys -----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.ACTIONS:
            return not self.read_only and self.detail is not None and action in self.detail.actions
        return True

    def _open(self, screen: Any) -> None:
        self.app.push_screen(screen, callback=lambda _result: self.reload())

    def action_close(self) -> None:
        self.dismiss(None)

    def action_void(self) -> None:
        self._open(VoidForm(self.desk, self.kind, self.record_id))

    def action_checkout(self) -> None:
        self._open(CheckOutForm(self.desk, self.record_id))

    def action_step(self) -> None:
        self._open(DocumentStepForm(self.desk, self.record_id))

    def action_undo_step(self) -> None:
        self._open(UndoStepForm(self.desk, self.record_id))

    def action_void_event(self) -> None:
        self._open(VoidEventForm(self.desk, self.record_id))

    def action_event(self) -> None:
        self._open(UrgentEventForm(self.desk, self.record_id))

    def action_result(self) -> None:
        if self.kind == "standing":  # an occurrence of a standing order: its own result
            from duty_desk.tui.forms.standing import StandingResultForm

            self._open(StandingResultForm(self.desk, self.record_id))
            return
        self._open(ResultForm(self.desk, self.record_id))

    def action_chase(self) -> None:
        self._open(ChaseForm(self.desk, self.kind, self.record_id))

    def action_transfer(self) -> None:
        self._open(TransferForm(self.desk, self.kind, self.record_id))

    def action_instruct(self) -> None:
        self._open(InstructionForm(self.desk, self.kind, self.record_id))

    def action_answer(self) -> None:
        ids = [self.record_id] if self.kind == "instruction" else (self.detail.open_instructions if self.detail else [])
        if ids:
            self._open(AnswerForm(self.desk, ids))

    def action_who_to_call(self) -> None:
        """Who to call for the item's type (the contact book); a call made is
        recorded on its timeline, and this screen reads it again."""
        from duty_desk.tui.screens.contacts import ContactsScreen

        self._open(ContactsScreen(self.desk, self.record_id))

    def action_report(self) -> None:
        """信息报送: the item's facts and written reports, drafted, signed off
        and sent from their own screen; this one reads again after it."""
        from duty_desk.tui.screens.reports import ReportsScreen

        self._open(ReportsScreen(self.desk, self.record_id))

    def action_phone_report(self) -> None:
        """One key: reported upward by phone, now — asked first when the same
        item was reported by phone a few minutes ago."""
        run_core(self, self.desk, recent_phone_report, self.desk, self.record_id, done=self._confirm_phone_report,
                 group="detail-phone", exclusive=True)

    def _confirm_phone_report(self, last: tuple[str, str] | None) -> None:
        if last is None:
            self._record_phone_report()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._record_phone_report()

        body = t("tui.phone.again", time=last[0], by=shown(last[1]), minutes=REPEAT_REPORT_MINUTES)
        self.app.push_screen(ConfirmStep(t("tui.phone.confirm_title"), body), answered)

    def _record_phone_report(self) -> None:
        run_core(self, self.desk, urgent.record_phone_report, self.desk, self.record_id,
                 done=lambda _event: self._phone_reported(), group="detail-phone-write", exclusive=True)

    def _phone_reported(self) -> None:
        self.app.post_message(RecordsChanged({"urgent"}))
        self.notify(t("tui.detail.phone_reported"), markup=False)
        self.reload()

    def on_records_changed(self, message: RecordsChanged) -> None:
        self.records_changed(message.kinds)

    def records_changed(self, kinds: set[str]) -> None:
        """Something was written (a form over this screen, another session)."""
        if self.kind in kinds or "instruction" in kinds:
            self.reload()
