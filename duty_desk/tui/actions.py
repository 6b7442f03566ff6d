"""The desk's actions, in one table: each action's id (also its keymap id),
its key on the desk screen, its names, whether the footer shows it, and
whether the palette and the F1 key table offer it. The desk screen's
bindings, the palette (Ctrl+P) and the key table are all made from it, so
an action is added in one place.

Keys bound by a pane (F9 void, Enter detail) or by the app (Ctrl+P, Ctrl+Q)
are listed with no key here: their bindings live where they act."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class DeskAction:
    id: str  # the screen's action and its binding (keymap) id
    label: str  # catalog key: its name in the key table and the palette
    key: str = ""  # its key on the desk screen; "" when a pane or the app binds it
    short: str = ""  # catalog key: its name in the footer
    show: bool = False  # in the footer
    palette: bool = True  # offered by the palette
    help: bool = True  # listed in the F1 key table


# In the order of the key table; the footer shows the shown ones in this order too.
DESK_ACTIONS: tuple[DeskAction, ...] = (
    DeskAction("help", "tui.key.help", "f1", "tui.key.help", show=True),
    DeskAction("new_visitor", "tui.key.new_visitor", "f2", "tui.key.new_visitor_short", show=True),
    DeskAction("new_document", "tui.key.new_document", "f3", "tui.key.new_document_short", show=True),
    DeskAction("new_urgent", "tui.key.new_urgent", "f4", "tui.key.new_urgent_short", show=True),
    # The telephone is the desk's main instrument: a call has F5. The desk
    # refreshes itself on every change; reloading is left to the palette.
    DeskAction("new_call", "tui.key.new_call", "f5", "tui.key.new_call_short", show=True),
    DeskAction("refresh", "tui.key.refresh"),
    DeskAction("open_items", "tui.key.open_items", "f6", "tui.key.open_items_short", show=True),
    DeskAction("zero_report", "tui.key.zero_report", "f7", "tui.key.zero_report_short", show=True),
    DeskAction("zero_report_missed", "tui.key.zero_report_missed", help=False),
    DeskAction("handover", "tui.key.handover", "f8", "tui.key.handover_short", show=True),
    # History: an earlier duty day, read-only. F10 steps back a day (from the
    # live desk: to yesterday); the other keys act only while in history
    # (HISTORY_BINDINGS), where nothing is typed, so they may be letters.
    DeskAction("history", "tui.key.history", "f10", "tui.key.history_short", show=True),
    DeskAction("history_previous", "tui.key.history_previous"),
    DeskAction("history_next", "tui.key.history_next"),
    DeskAction("history_date", "tui.key.history_date"),
    DeskAction("history_today", "tui.key.history_today"),
    # The month's roster, read-only (not in the footer: F1 and the palette name it).
    DeskAction("roster", "tui.key.roster", "f11", "tui.key.roster_short"),
    DeskAction("search", "tui.key.search", "f12", "tui.key.search_short", show=True),
    # 定时事项: the palette and the entry line (/定时) open it; no key of its own.
    DeskAction("standing", "standing.key.open", help=False),
    # The contact book (通讯录): from the palette and the entry line's /通讯录.
    DeskAction("contacts", "contacts.key.open"),
    DeskAction("void", "tui.key.void"),  # F9, on the pane's highlighted row
    # These act on the highlighted row of their pane and work from anywhere;
    # each pane shows its own in the footer when it has focus.
    DeskAction("check_out", "tui.key.check_out", "ctrl+o", "tui.key.check_out_short"),
    DeskAction("next_step", "tui.key.next_step", "ctrl+n", "tui.key.next_step_short"),
    DeskAction("phone_report", "tui.key.phone_report", "ctrl+r", "tui.key.phone_report_short", show=True),
    DeskAction("urgent_event", "tui.key.urgent_event", "ctrl+t", "tui.key.urgent_event_short"),
    DeskAction("record_result", "tui.key.record_result", "ctrl+g", "tui.key.record_result_short"),
    # On the highlighted record of the last pane. Not ctrl+k: the entry
    # line (a Textual Input) deletes to the end of the line with it.
    DeskAction("chase", "tui.key.chase", "ctrl+f", "tui.key.chase_short"),
    DeskAction("transfer", "tui.key.transfer", help=False),
    DeskAction("instruct", "tui.key.instruct", "ctrl+l", "tui.key.instruct_short"),
    DeskAction("detail", "tui.key.detail"),  # Enter, on the pane's highlighted row
    DeskAction("next_pane", "tui.key.next_pane", "tab", "tui.key.next_pane", palette=False),
    DeskAction("previous_pane", "tui.key.previous_pane", "shift+tab", "tui.key.previous_pane",
               palette=False, help=False),
    DeskAction("focus_log", "tui.key.focus_log", help=False),
    DeskAction("focus_visitors", "tui.key.focus_visitors", help=False),
    DeskAction("focus_documents", "tui.key.focus_documents", help=False),
    DeskAction("focus_urgent", "tui.key.focus_urgent", help=False),
    DeskAction("focus_entry", "tui.key.focus_entry", "escape", "tui.key.focus_entry"),
    DeskAction("command_palette", "tui.key.palette", palette=False),  # Ctrl+P, the app's
    DeskAction("quit", "tui.key.quit", palette=False),  # Ctrl+Q, the app's
)

# The desk screen's bindings, descriptions as catalog keys (translate_bindings).
# A function key opens a form or a screen: bound with priority, it acts as
# the app takes it from its queue, so the keys typed right after it (F5 and
# "sw" at once) go to the form it opens. A plain binding would act only once
# the key had bubbled up from the entry line, by when the keys behind it were
# already given to the entry line.
DESK_BINDINGS: list[Binding] = [Binding(a.key, a.id, a.short, show=a.show, id=a.id,
                                        priority=a.key.startswith("f") and a.key[1:].isdigit())
                                for a in DESK_ACTIONS if a.key]
# The keys of history, each enabled only while the desk shows an earlier day
# (DeskScreen.check_action): (binding id, key, action).
HISTORY_KEYS: tuple[tuple[str, str, str], ...] = (
    ("history.previous", "[", "history_previous"),
    ("history.next", "]", "history_next"),
    ("history.date", "d", "history_date"),
    ("history.today", "t", "history_today"),
)
HISTORY_BINDINGS: list[Binding] = [Binding(key, f"in_history('{action}')", f"tui.key.{action}_short", show=False,
                                           id=binding_id) for binding_id, key, action in HISTORY_KEYS]
# action -> label key, for the palette and for the F1 key table.
PALETTE: tuple[tuple[str, str], ...] = tuple((a.id, a.label) for a in DESK_ACTIONS if a.palette)
KEY_TABLE: tuple[tuple[str, str], ...] = tuple((a.id, a.label) for a in DESK_ACTIONS if a.help)
