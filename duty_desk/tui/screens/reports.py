"""信息报送 of one urgent item, opened with `b` from its detail: the item's
facts (each with its earlier values), its written reports, and the text of
the report in view; keys to bring the facts up to date, draft the next
report, edit it, have it signed off (at the desk by the leader, or a
leader's approval by phone recorded by the officer), send it to one
recipient after another, copy its text to the clipboard (OSC 52, over SSH
too) and void an unsent one.

Everything is read by the core (core.reports.screen.load) on a worker and
every write is a form's core call; the screen offers only what the core's
state allows and says the core's refusals as they are."""

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
from duty_desk.core.i18n import t
from duty_desk.core.reports import screen as reading
from duty_desk.core.reports import service
from duty_desk.core.reports.view import as_text
from duty_desk.core.sanitize import shown_all
from duty_desk.tui.bindings import translate_bindings
from duty_desk.tui.messages import RecordsChanged
from duty_desk.tui.screens.confirm import ConfirmStep
from duty_desk.tui.screens.screen_keys import ScreenCommands, ScreenHelp
from duty_desk.tui.workers import run_core

STATE_STYLES = {"draft": "bold", "approved": "bold", "sent": "", "void": "dim strike"}


def read_text(report_id: int) -> str:
    """The report's text exactly as stored (and as sent), for the clipboard."""
    return as_text(service.get_report(report_id))


class ReportsScreen(ModalScreen[None]):
    """The reports of one urgent item (see the module's docstring)."""

    help_key = "tui.reports.help"
    COMMANDS: ClassVar = {ScreenCommands}
    BINDINGS: ClassVar = [
        # Letters, as on the detail screen (nothing here takes text), with the
        # desk's own keys for the same kind of action beside them. Priority:
        # the key is acted on as the app takes it from its queue, so the keys
        # typed right after it (a fast officer) reach the form it opens.
        Binding("escape", "close", "tui.reports.key.close", id="reports.close"),
        Binding("f1", "help", "tui.key.help", show=False, id="reports.help"),
        Binding("f", "facts", "tui.reports.key.facts", priority=True, id="reports.facts"),
        Binding("n,ctrl+n", "new", "tui.reports.key.new", priority=True, id="reports.new"),
        Binding("e", "edit", "tui.reports.key.edit", priority=True, id="reports.edit"),
        Binding("a", "approve", "tui.reports.key.approve", priority=True, id="reports.approve"),
        Binding("s", "send", "tui.reports.key.send", priority=True, id="reports.send"),
        Binding("y,c", "copy", "tui.reports.key.copy", priority=True, id="reports.copy"),
        Binding("v,f9", "void", "tui.reports.key.void", priority=True, id="reports.void"),
        # Which report's text is in view (and copied): the arrows left and right.
        Binding("left", "pick(-1)", "tui.reports.key.previous", show=False, priority=True, id="reports.previous"),
        Binding("right", "pick(1)", "tui.reports.key.next", show=False, priority=True, id="reports.next"),
    ]
    LONG_NAMES: ClassVar[dict[str, str]] = {
        "reports.facts": "tui.reports.key.facts_long", "reports.new": "tui.reports.key.new_long",
        "reports.edit": "tui.reports.key.edit_long", "reports.approve": "tui.reports.key.approve_long",
        "reports.send": "tui.reports.key.send_long", "reports.copy": "tui.reports.key.copy_long",
        "reports.void": "tui.reports.key.void_long", "reports.previous": "tui.reports.key.previous",
        "reports.next": "tui.reports.key.next", "reports.help": "tui.reports.key.help_long",
        "reports.close": "tui.reports.key.close_long",
    }

    def __init__(self, desk: Desk, item_id: int) -> None:
        super().__init__(id="reports-screen")
        translate_bindings(self)
        self.desk = desk
        self.item_id = item_id
        self.view: reading.ReportsView | None = None
        self.picked: int | None = None  # the id of the report in view

    def compose(self) -> ComposeResult:
        box = Vertical(id="reports-box")
        box.border_title = Text(t("tui.reports.title", id=self.item_id))
        box.border_subtitle = Text(t("tui.reports.subtitle"))
        with box:
            with VerticalScroll(id="reports-top"):
                yield Static(Text(t("tui.form.loading")), id="reports-facts")
            yield Static("", id="reports-list")
            with VerticalScroll(id="reports-text"):
                yield Static("", id="reports-text-body")
            yield Static("", id="reports-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#reports-status").display = False
        self.query_one("#reports-text").focus()
        self.reload()

    # --- reading ------------------------------------------------------------------
    def reload(self) -> None:
        run_core(self, self.desk, lambda: shown_all(reading.load(self.desk, self.item_id)), done=self._show,
                 failed=self.say, group="reports-load", exclusive=True, failure_key="tui.read_failed")

    def records_changed(self, kinds: set[str] | None) -> None:
        if kinds is None or "urgent" in kinds:
            self.reload()

    def _show(self, view: reading.ReportsView) -> None:
        if not self.is_attached:
            return
        self.view = view
        ids = [r.id for r in view.reports]
        if self.picked not in ids:
            live = [r.id for r in view.reports if r.state != "void"]
            self.picked = view.unsent or (live[-1] if live else None)
        title = Text(t("tui.reports.title", id=view.item_id) + "  ")
        title.append(f"{t(f'level.{view.level}')} {view.title}")
        self.query_one("#reports-box").border_title = title
        self.redraw()
        self.refresh_bindings()

    @property
    def report(self) -> reading.ReportRow | None:
        """The report in view."""
        if self.view is None:
            return None
        return next((r for r in self.view.reports if r.id == self.picked), None)

    @property
    def unsent(self) -> reading.ReportRow | None:
        if self.view is None or self.view.unsent is None:
            return None
        return next((r for r in self.view.reports if r.id == self.view.unsent), None)

    # --- drawing ------------------------------------------------------------------
    def redraw(self) -> None:
        view = self.view
        if view is None:
            return
        self.query_one("#reports-facts", Static).update(self.facts_part(view))
        self.query_one("#reports-list", Static).update(self.list_part(view))
        self.query_one("#reports-text-body", Static).update(self.text_part())

    def facts_part(self, view: reading.ReportsView) -> RenderableType:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, style="bold")
        grid.add_column(overflow="fold")
        unknown = []
        for fact in view.facts:
            if not fact.value and not fact.earlier:
                unknown.append(fact.label)
                continue
            value = Text(fact.value or t("tui.reports.empty"))
            for earlier, at in fact.earlier:
                value.append(" ← ", "dim")
                value.append(f"{earlier} ({at})", "dim")
            grid.add_row(Text(fact.label), value)
        if unknown:
            grid.add_row(Text(t("tui.reports.unknown")), Text("、".join(unknown), "dim"))
        return Group(Text(t("tui.reports.facts"), "bold underline"), grid)

    def list_part(self, view: reading.ReportsView) -> RenderableType:
        if not view.reports:
            return Group(Text(t("tui.reports.reports"), "bold underline"), Text(t("tui.reports.none"), "dim"))
        # A long line folds under itself, not under the marker.
        grid = Table.grid()
        grid.add_column(no_wrap=True, width=2)
        grid.add_column(overflow="fold")
        for r in view.reports:
            grid.add_row(Text("▶" if r.id == self.picked else "", "bold"), Text(r.line, STATE_STYLES.get(r.state, "")))
        return Group(Text(t("tui.reports.reports"), "bold underline"), grid)

    def text_part(self) -> RenderableType:
        r = self.report
        if r is None:
            return Text(t("tui.reports.no_text"), "dim")
        head = Text(t("tui.reports.text_of", name=r.name, state=t(f"report.state.{r.state}")), "bold underline")
        return Group(head, Text(r.text))

    def say(self, message: str, tone: str = "error") -> None:
        box = self.query_one("#reports-status", Static)
        box.update(Text(message))
        box.display = bool(message)
        for cls in ("-error", "-info", "-ok"):
            box.set_class(cls == f"-{tone}", cls)

    # --- keys -----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view, unsent, report = self.view, self.unsent, self.report
        if action in ("close", "help"):
            return True
        if view is None:
            return False
        if action == "facts":
            return view.writable
        if action == "new":
            return view.writable and unsent is None and bool(view.kinds)
        if action in ("edit", "void"):
            return unsent is not None
        if action == "approve":
            return unsent is not None and unsent.state == "draft"
        if action == "send":
            return self._to_send() is not None
        if action == "copy":
            return report is not None
        if action == "pick":
            return len(view.reports) > 1 or None
        return True

    def _to_send(self) -> reading.ReportRow | None:
        """The report a sending is for: the one in view once signed off (a sent
        one goes to a further recipient, the same text), else the unsent one."""
        report, unsent = self.report, self.unsent
        if report is not None and report.state in ("approved", "sent"):
            return report
        return unsent if unsent is not None and unsent.state == "approved" else None

    def _open(self, screen: Any) -> None:
        self.app.push_screen(screen, callback=lambda _result: self.reload())

    def action_facts(self) -> None:
        from duty_desk.tui.forms.reports import FactsForm

        self._open(FactsForm(self.desk, self.item_id))

    def action_new(self) -> None:
        from duty_desk.tui.forms.reports import DraftReportForm

        def drafted(report_id: int | None) -> None:
            if report_id is not None:
                self.picked = report_id
            self.reload()

        self.app.push_screen(DraftReportForm(self.desk, self.item_id), callback=drafted)

    def action_edit(self) -> None:
        from duty_desk.tui.forms.reports import EditReportForm

        if self.unsent is not None:
            self.picked = self.unsent.id
            self._open(EditReportForm(self.desk, self.unsent.id))

    def action_approve(self) -> None:
        """The leader signs off at the desk after a confirmation; anyone else
        records a leader's approval given by phone."""
        unsent, view = self.unsent, self.view
        if unsent is None or view is None:
            return
        self.picked = unsent.id
        if not view.leader:
            from duty_desk.tui.forms.reports import PhonedApprovalForm

            self._open(PhonedApprovalForm(self.desk, unsent.id))
            return

        def answered(yes: bool | None) -> None:
            if yes:
                run_core(self, self.desk, service.approve, self.desk, unsent.id, done=lambda _r: self._approved(),
                         failed=self.say, group="reports-approve", exclusive=True)

        self.app.push_screen(ConfirmStep(t("tui.reports.approve_title", name=unsent.name),
                                         t("tui.reports.approve_body", name=unsent.name)), answered)

    def _approved(self) -> None:
        self.app.post_message(RecordsChanged({"urgent"}))
        self.say(t("tui.reports.approved"), "ok")
        self.reload()

    def action_send(self) -> None:
        from duty_desk.tui.forms.reports_send import SendReportForm

        report = self._to_send()
        if report is not None:
            self.picked = report.id
            self._open(SendReportForm(self.desk, report.id))

    def action_void(self) -> None:
        from duty_desk.tui.forms.reports import VoidReportForm

        if self.unsent is not None:
            self._open(VoidReportForm(self.desk, self.unsent.id))

    def action_copy(self) -> None:
        """The text of the report in view to the clipboard, exactly as stored."""
        report = self.report
        if report is not None:
            run_core(self, self.desk, read_text, report.id, done=lambda text: self._copied(report, text),
                     failed=self.say, group="reports-copy", exclusive=True)

    def _copied(self, report: reading.ReportRow, text: str) -> None:
        self.app.copy_to_clipboard(text)
        key = {"approved": "tui.reports.copied", "sent": "tui.reports.copied",
               "void": "tui.reports.copied_void"}.get(report.state, "tui.reports.copied_unsigned")
        message = t(key, name=report.name, chars=len(text.rstrip("\n")))
        self.say(message, "ok")
        self.notify(message, markup=False)

    def action_pick(self, step: int) -> None:
        view = self.view
        if view is None or not view.reports:
            return
        ids = [r.id for r in view.reports]
        at = ids.index(self.picked) if self.picked in ids else len(ids) - 1
        self.picked = ids[max(0, min(at + step, len(ids) - 1))]
        self.redraw()
        self.refresh_bindings()

    def action_help(self) -> None:
        desk_screen = getattr(self.app, "desk_screen", None)
        self.app.push_screen(ScreenHelp(self, desk_screen.keys_by_id() if desk_screen else {}))

    def action_close(self) -> None:
        self.dismiss(None)
