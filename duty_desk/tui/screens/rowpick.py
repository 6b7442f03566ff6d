"""Which row is meant: asked when a row key (Ctrl+R, Ctrl+O, F9 …) is pressed
away from the pane it acts on and the pane holds more than one row.

The rows are listed as the pane shows them, named in full; Enter takes the
highlighted one, Escape takes none. Nothing is written here: the caller acts
on the row chosen, and the pane's cursor is moved onto it first, so the
officer sees the row highlighted that the action went to.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from duty_desk.core.i18n import t
from duty_desk.tui.bindings import translate_bindings


class RowPicker(ModalScreen[str | None]):
    """Dismissed with the chosen row's key, or None."""

    BINDINGS: ClassVar = [
        Binding("escape", "cancel", "tui.pick.key.cancel", id="pick.cancel"),
    ]

    def __init__(self, title: str, rows: list[tuple[str, Text]], initial: str | None = None) -> None:
        super().__init__(id="row-picker")
        translate_bindings(self)
        self.title_text = title
        self.rows = rows
        self.initial = initial

    def compose(self) -> ComposeResult:
        box = Vertical(id="row-picker-box")
        box.border_title = Text(self.title_text)
        box.border_subtitle = Text(t("tui.pick.keys"))
        with box:
            yield Static(Text(t("tui.pick.why")), id="row-picker-why")
            yield OptionList(*(Option(label, id=key) for key, label in self.rows), id="row-picker-list")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        keys = [key for key, _label in self.rows]
        options.highlighted = keys.index(self.initial) if self.initial in keys else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


# A second phone report of the same urgent item within this many minutes is
# more likely a slip (the key pressed twice, two officers at once) than a new
# report: the desk asks first.
REPEAT_REPORT_MINUTES = 10


def recent_phone_report(desk: Any, item_id: int) -> tuple[str, str] | None:
    """(hh:mm, officer's name) of a phone report of this urgent item within
    the last REPEAT_REPORT_MINUTES, if any. Reads the store: call on a worker
    thread."""
    from duty_desk.core.desk import officer_name
    from duty_desk.core.dutytime import to_local
    from duty_desk.core.services import urgent

    since = desk.now() - timedelta(minutes=REPEAT_REPORT_MINUTES)
    recent = [e for e in urgent.timeline(item_id)
              if e.kind == "phone_report" and e.voided_at is None and e.at >= since]
    if not recent:
        return None
    return to_local(recent[-1].at, desk.cfg).strftime("%H:%M"), officer_name(recent[-1].by)
