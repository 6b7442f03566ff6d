"""One confirming step: a question and yes / no, for an action that cannot be
taken back (hand over, accept, a second phone report)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from duty_desk.core.i18n import t
from duty_desk.tui.bindings import translate_bindings
from duty_desk.tui.widgets.sheet import wrapped


class ConfirmStep(ModalScreen[bool]):
    """Say what the step does and wait for a deliberate yes."""

    BINDINGS: ClassVar = [
        Binding("enter,y", "answer(True)", "tui.handover.key.yes", id="handover.confirm.yes"),
        Binding("escape,n", "answer(False)", "tui.handover.key.no", id="handover.confirm.no"),
    ]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        box = Vertical(id="handover-confirm-box")
        box.border_title = Text(self.title_text)
        box.border_subtitle = Text(t("tui.handover.confirm.keys"))
        with box:
            yield Static(wrapped(self.body), id="handover-confirm-body")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
