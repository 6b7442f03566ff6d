"""信息报送 forms of one urgent item, opened from its reports screen: the
facts brought up to date, a report drafted from them (its text edited in a
text box), the text changed, a leader's approval given by phone, an unsent
report voided. Sending is in reports_send.

Every write is one core call (core.reports) on the form's worker; a refusal
is shown in the form and nothing typed is lost. The report's text is a
TextArea: Enter starts a new line, F2 saves."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static, TextArea

from duty_desk.core.errors import InvalidInput
from duty_desk.core.i18n import t
from duty_desk.core.reports import facts as facts_of
from duty_desk.core.reports import screen as reading
from duty_desk.core.reports import service
from duty_desk.core.sanitize import clean_text
from duty_desk.core.suggest import PERSON
from duty_desk.tui.forms.base import DeskForm
from duty_desk.tui.forms.checks import check_time, optional
from duty_desk.tui.widgets.fields import Choice, Field
from duty_desk.tui.workers import run_core

# What a write here changes: the item's timeline and due times follow.
REPORT_CHANGES = frozenset({"urgent"})
INDENT = " \u3000"  # spaces and the ideographic space that open a paragraph


def clean_report_paste(text: str) -> tuple[str, bool]:
    """A paste for the report's text: control sequences removed (and whether
    any were), line breaks and each line's indentation (全角空格) kept."""
    out, removed = [], False
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        body = line.lstrip(INDENT)
        cleaned = line[:len(line) - len(body)] + clean_text(body)
        removed = removed or cleaned != line.rstrip().replace("\t", " ")
        out.append(cleaned)
    return "\n".join(out), removed


def type_into(area: TextArea, text: str) -> None:
    """Put text at the cursor (over a selection), as typing does."""
    start, end = area.selection
    result = area.replace(text, start, end, maintain_selection_offset=False)
    area.move_cursor(result.end_location)


class ReportText(TextArea):
    """The report's text. A paste keeps its lines and indentation; control
    sequences in it are removed and the form says so."""

    def __init__(self, text: str = "", **kwargs: Any) -> None:
        super().__init__(text, soft_wrap=True, compact=True, tab_behavior="focus", **kwargs)
        self.cursor_blink = False  # nothing repaints twice a second over SSH

    async def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        if self.read_only or not event.text:
            return
        cleaned, removed = clean_report_paste(event.text)
        type_into(self, cleaned)
        self.focus()
        say = getattr(self.screen, "say", None)
        if removed and callable(say):
            say(t("tui.paste.controls_removed"), "warn")


def report_name(report_id: int) -> str:
    """首报, 续报一 … and its state: 续报一  草稿 (on the worker)."""
    report = service.get_report(report_id)
    return f"{service.kind_name(report.kind, report.seq)}  {t(f'report.state.{service.state_of(report)}')}"


class ReportForm(DeskForm):
    """A form about one urgent item or one of its reports. Kept as a form
    draft like every form: a desk that closes mid-typing opens it again, with
    what was typed, over the desk."""

    CHANGES = REPORT_CHANGES


class ReportTextForm(ReportForm):
    """A form whose main part is the report's text (see the module)."""

    BINDINGS: ClassVar = [
        Binding("f2", "save_text", "tui.reports.key.save", id="reports.form.save"),
    ]
    KEYS_KEY = "tui.reports.form.keys_text"

    def __init__(self, desk: Any, *args: Any, text: str = "", **prefill: Any) -> None:
        # The text typed before a crash or a dropped connection, from the
        # form's draft: it takes the place of the text the form loads.
        self.restored_text = text or None
        self.shown_text = ""  # the text last put into the box (a change from it is typing)
        super().__init__(desk, *args, **prefill)

    @property
    def text_area(self) -> ReportText:
        return self.query_one("#report-text", ReportText)

    def draft_state(self) -> str | None:
        """The form's draft with the report's text, once the officer changed it."""
        import json

        state = super().draft_state()
        if state is None or not self.query("#report-text") or self.text_area.text == self.shown_text:
            return state
        data = json.loads(state)
        data["values"]["text"] = self.text_area.text
        return json.dumps(data, ensure_ascii=False)

    def on_text_area_changed(self, event: Any) -> None:
        if self.text_area.text != self.shown_text:
            self.typed()

    def compose(self) -> ComposeResult:
        # DeskForm's layout with the text box under the fields.
        box = Vertical(classes="form-box report-text-box")
        box.border_title = Text(self.title_text())
        box.border_subtitle = Text(t(self.KEYS_KEY))
        with box:
            yield Static("", id="form-intro", classes="form-intro")
            body = VerticalScroll(classes="form-body report-text-fields")
            body.can_focus = False
            with body:
                for spec in self.specs.values():
                    yield self._field_row(spec)
            yield ReportText(id="report-text")
            yield Static("", id="form-message", classes="form-message")

    def set_text(self, text: str) -> None:
        """Put ``text`` into the box (a restored draft's text, the first time)."""
        self.shown_text = text
        if self.restored_text is not None:
            text, self.restored_text = self.restored_text, None
        area = self.text_area
        area.load_text(text)
        area.move_cursor((0, 0))

    def values(self) -> dict[str, str]:
        out = super().values()
        out["text"] = self.text_area.text
        return out

    def focus_first_empty(self) -> None:
        # The text is what the officer works on; focused at once, for the keys
        # typed while the form opened go there next.
        self.set_focus(self.text_area)
        self._replay_early_keys()

    def on_key(self, event: events.Key) -> None:
        # A key that reaches the form while the text has focus was sent to the
        # form before the text was focused (typed as the form opened): it is
        # the text's. (DeskForm.on_key runs after this one otherwise.)
        if self._early is not None or not self.query("#report-text") or self.focused is not self.text_area:
            return
        if event.key == "enter" or (event.is_printable and event.character):
            type_into(self.text_area, "\n" if event.key == "enter" else event.character or "")
            event.stop()
            event.prevent_default()

    def _replay_early_keys(self) -> None:
        """Keys typed while the form opened, in order: into the text (Enter a
        new line there: only F2 saves a text), or the field focused."""
        early, self._early = self._early or [], None
        area = self.text_area
        for key, char in early:
            focused = self.focused
            if key == "tab":
                self.focus_next()
            elif key == "shift+tab":
                self.focus_previous()
            elif focused is area:
                if key == "enter":
                    type_into(area, "\n")
                elif char:
                    type_into(area, char)
            elif isinstance(focused, Choice) and char:
                focused.on_key(events.Key(key, char))
            elif isinstance(focused, Input) and char:
                focused.insert_text_at_cursor(char)

    def action_down(self) -> None:
        if self.focused is self.text_area:  # the arrows move in the text
            self.text_area.action_cursor_down()
        else:
            super().action_down()

    def action_up(self) -> None:
        if self.focused is self.text_area:
            self.text_area.action_cursor_up()
        else:
            super().action_up()

    def action_save_text(self) -> None:
        self.submit_now()


class DraftReportForm(ReportTextForm):
    """拟稿: the next report of the item, its kind chosen (the one due next by
    default), its text from the template, edited freely (service.draft)."""

    def __init__(self, desk: Any, item_id: int, **prefill: Any) -> None:
        self.item_id = item_id
        self.shown_kind = ""  # the kind whose template text the box was given
        self.template = ""  # that text: the officer's edits are what differs from it
        super().__init__(desk, **prefill)

    def title_text(self) -> str:
        return t("tui.reports.form.draft")

    def form_fields(self) -> list[Field]:
        return [Field("kind", label="tui.reports.form.kind", choices=())]

    def load(self) -> dict[str, Any]:
        view = reading.load(self.desk, self.item_id)
        kind = view.next_kind if view.next_kind in dict(view.kinds) else (view.kinds[0][0] if view.kinds else "")
        text = service.preview(self.desk, self.item_id, kind)[2] if kind else ""
        return {"title": view.title, "kinds": view.kinds, "kind": kind, "text": text}

    def loaded(self, data: dict[str, Any]) -> None:
        self.intro(Text(data["title"], "bold"))
        self._fill(data["kind"], data["text"])
        self.set_choices("kind", data["kinds"], data["kind"])
        if not data["kinds"]:
            self.say(t("tui.reports.form.no_kind"))

    @property
    def edited(self) -> bool:
        return self.text_area.text != self.template

    def choice_changed(self, name: str, value: str) -> None:
        if name != "kind" or not value or not self.ready or value == self.shown_kind:
            return
        if self.edited:  # the officer's words stay; only the kind changes
            self.say(t("tui.reports.form.kind_kept_text"), "warn")
            return
        run_core(self, self.desk, service.preview, self.desk, self.item_id, value,
                 done=lambda drafted: self._fill(drafted[0], drafted[2], only_if_unedited=True), failed=self.say,
                 group="report-preview", exclusive=True)

    def _fill(self, kind: str, text: str, only_if_unedited: bool = False) -> None:
        if not self.is_attached or (only_if_unedited and self.edited):
            return
        self.shown_kind, self.template = kind, text
        self.set_text(text)

    def save(self, values: dict[str, str]) -> int:
        kind = values.get("kind", "")
        if not kind:
            raise InvalidInput("tui.reports.form.no_kind", field="kind")
        return service.draft(self.desk, self.item_id, kind, text=values.get("text", "")).id


class EditReportForm(ReportTextForm):
    """修改: the unsent report's text (service.edit); an approved one needs
    approving again once its text changed."""

    def __init__(self, desk: Any, report_id: int, **prefill: Any) -> None:
        self.report_id = report_id
        super().__init__(desk, **prefill)

    def title_text(self) -> str:
        return t("tui.reports.form.edit")

    def form_fields(self) -> list[Field]:
        return []

    def load(self) -> dict[str, Any]:
        report = service.get_report(self.report_id)
        return {"name": service.kind_name(report.kind, report.seq), "state": service.state_of(report),
                "text": report.text}

    def loaded(self, data: dict[str, Any]) -> None:
        intro = Text(data["name"] + "  ", "bold")
        intro.append(t(f"report.state.{data['state']}"))
        if data["state"] == "approved":
            intro.append("\n" + t("tui.reports.form.edit_loses_approval"))
        self.intro(intro)
        self.set_text(data["text"])

    def save(self, values: dict[str, str]) -> int:
        return service.edit(self.desk, self.report_id, values.get("text", "")).id


class PhonedApprovalForm(ReportForm):
    """领导电话同意: the officer records the leader's approval given by phone,
    with the leader's name and the time (service.approve(leader=…)); marked
    as phoned, with who recorded it."""

    TITLE_KEY = "tui.reports.form.phoned"

    def __init__(self, desk: Any, report_id: int, **prefill: Any) -> None:
        self.report_id = report_id
        super().__init__(desk, **prefill)

    def form_fields(self) -> list[Field]:
        return [Field("leader", label="tui.reports.form.leader", required=True, suggest=PERSON,
                      fills=(("name", "leader"),), placeholder="tui.reports.form.leader_hint"),
                Field("at", label="tui.reports.form.approved_at", placeholder="tui.form.hint.now", check=check_time)]

    def load(self) -> str:
        return report_name(self.report_id)

    def loaded(self, name: str) -> None:
        intro = Text(name + "  ", "bold")
        intro.append(t("tui.reports.form.phoned_intro"))
        self.intro(intro)

    def read_names(self) -> None:
        """The names offered are the leaders', those on duty first."""
        self._picked_values = {}
        run_core(self, self.desk, reading.leaders_book, self.desk, done=self._leaders_read,
                 failed=self._names_not_read, group="form-names", exclusive=True)

    def _leaders_read(self, book: Any) -> None:
        # Not the app's book of every name: that one serves the other forms.
        self.book = book
        self.names_typed("leader")
        self._decide_pending()

    def save(self, values: dict[str, str]) -> int:
        return service.approve(self.desk, self.report_id, leader=values.get("leader", ""),
                               at=optional(values.get("at", ""))).id


class VoidReportForm(ReportForm):
    """作废 an unsent report with a reason (service.void); it stays readable."""

    TITLE_KEY = "tui.reports.form.void"

    def __init__(self, desk: Any, report_id: int, **prefill: Any) -> None:
        self.report_id = report_id
        super().__init__(desk, **prefill)

    def form_fields(self) -> list[Field]:
        return [Field("reason", label="tui.form.label.void_reason", required=True)]

    def load(self) -> str:
        return report_name(self.report_id)

    def loaded(self, name: str) -> None:
        self.intro(Text(name, "bold"))

    def save(self, values: dict[str, str]) -> int:
        return service.void(self.desk, self.report_id, values.get("reason", "")).id


class FactsForm(ReportForm):
    """更新要素: every fact of the item prefilled with its value now; only
    those changed are sent (facts.update_facts), known from the time given."""

    TITLE_KEY = "tui.reports.form.facts"

    def __init__(self, desk: Any, item_id: int, **prefill: Any) -> None:
        self.item_id = item_id
        self.original: dict[str, str] = {}
        super().__init__(desk, **prefill)

    def form_fields(self) -> list[Field]:
        fields = [Field(name, label=f"report.field.{name}", check=check_time if name == "occurred_at" else None)
                  for name in facts_of.FACT_FIELDS]
        return [*fields, Field("at", label="tui.reports.form.known_at", placeholder="tui.form.hint.now",
                               check=check_time)]

    def load(self) -> dict[str, str]:
        return reading.facts_for_form(self.desk, self.item_id)

    def loaded(self, values: dict[str, str]) -> None:
        self.original = {name: value.strip() for name, value in values.items()}
        for name, value in values.items():
            if not self.raw_value(name):  # what was typed while it was read stays
                self.set_value(name, value)
        self.intro(Text(t("tui.reports.form.facts_intro")))

    def save(self, values: dict[str, str]) -> int:
        changes = {name: values.get(name, "") for name in facts_of.FACT_FIELDS
                   if values.get(name, "") != self.original.get(name, "")}
        if not changes:
            raise InvalidInput("tui.reports.form.nothing_changed")
        facts_of.update_facts(self.desk, self.item_id, changes, at=optional(values.get("at", "")))
        return self.item_id
