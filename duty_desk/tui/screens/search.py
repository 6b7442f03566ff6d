"""查找: every record of every day, by words, pinyin, phone numbers and
document numbers, newest first (core.search). The query line takes the
filters as words (``防汛 类:来电 自:2026-06-01 人:zs 状态:未结``); results
come as the officer types, a page at a time, each with its kind, duty day and
the match highlighted; Enter opens the record. The store is read on a thread
worker; the screen holds only the hits it shows."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from duty_desk.core.desk import Desk
from duty_desk.core.dutytime import fmt_dt
from duty_desk.core.i18n import t
from duty_desk.core.search import Hit, Page
from duty_desk.tui.bindings import translate_bindings
from duty_desk.tui.workers import run_core

# Seconds of quiet typing before the results follow the query line.
TYPING_PAUSE = 0.25


def run_search(desk: Desk, text: str, before: int | None) -> Page:
    """One page of hits (on a worker thread)."""
    from duty_desk.core import search

    return search.search(desk, text, before=before)


class SearchScreen(ModalScreen[None]):
    help_key = "tui.help.search"
    BINDINGS: ClassVar = [
        Binding("escape", "dismiss_screen", "tui.key.close", id="close"),
        Binding("f1", "help", "tui.key.help", show=False, id="help"),
        Binding("f12", "dismiss_screen", "tui.key.close", show=False, id="search"),
        Binding("down", "to_results", show=False, id="search.to_results"),
        Binding("ctrl+u", "clear_query", "tui.search.key.clear", id="search.clear"),
        Binding("ctrl+d", "go_to_day", "tui.search.key.day", id="search.day"),
    ]

    def __init__(self, desk: Desk, query: str = "") -> None:
        super().__init__(id="search-screen")
        self.desk = desk
        self.initial = query
        self.text = ""  # the query the hits are for
        self.hits: list[Hit] = []
        self.after: int | None = None  # where the next page starts; None: no more
        self.loading_more = False
        self._timer: Timer | None = None
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield Input(self.initial, placeholder=t("tui.search.placeholder"), id="search-query",
                        select_on_focus=False)
            yield Static(Text(t("tui.search.hint"), no_wrap=True, overflow="ellipsis"), id="search-hint")
            yield OptionList(id="search-results")
            yield Static(Text(""), id="search-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        box = self.query_one("#search-box")
        box.border_title = Text(t("tui.search.title"), "bold")
        self.query_one("#search-query", Input).focus()
        if self.initial.strip():
            self.start(self.initial)
        else:
            self._status(t("tui.search.start"))

    @property
    def results(self) -> OptionList:
        return self.query_one("#search-results", OptionList)

    # --- asking ----------------------------------------------------------------------

    @on(Input.Changed, "#search-query")
    def typed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(TYPING_PAUSE, lambda: self.start(event.value))

    @on(Input.Submitted, "#search-query")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        if event.value.strip() == self.text.strip() and self.hits:
            self.action_to_results()
            return
        self.start(event.value, focus_results=True)

    def start(self, text: str, focus_results: bool = False) -> None:
        """Search for ``text`` from the newest record."""
        if not text.strip():
            self.text, self.hits, self.after = "", [], None
            self.results.clear_options()
            self._status(t("tui.search.start"))
            return
        self._status(t("tui.search.searching"))
        run_core(self, self.desk, run_search, self.desk, text, None,
                 done=lambda page: self._show(text, page, focus_results), failed=self._failed,
                 group="search", exclusive=True, failure_key="tui.read_failed")

    def _failed(self, message: str) -> None:
        self.loading_more = False
        self._status(message, error=True)

    def _show(self, text: str, page: Page, focus_results: bool = False) -> None:
        if not self.is_attached or text != self.query_one("#search-query", Input).value:
            return  # typed on meanwhile: that search is on its way
        self.text, self.hits, self.after = text, list(page.hits), page.after
        results = self.results
        results.clear_options()
        results.add_options([self._option(h) for h in page.hits])
        if page.hits:
            results.highlighted = 0
            if focus_results:
                results.focus()
        self._count()

    def _more(self) -> None:
        """The next, older page, below the last hit (keyset paging in SQL)."""
        if self.after is None or self.loading_more:
            return
        self.loading_more = True
        text, before = self.text, self.after

        def shown(page: Page) -> None:
            self.loading_more = False
            if not self.is_attached or text != self.text:
                return
            self.hits.extend(page.hits)
            self.after = page.after
            self.results.add_options([self._option(h) for h in page.hits])
            self._count()

        run_core(self, self.desk, run_search, self.desk, text, before, done=shown, failed=self._failed,
                 group="search-more", exclusive=True, failure_key="tui.read_failed")

    # --- drawing ---------------------------------------------------------------------

    def _option(self, hit: Hit) -> Option:
        return Option(hit_text(hit, self.desk), id=f"{hit.kind}-{hit.record_id}")

    def _count(self) -> None:
        if not self.hits:
            self._status(t("tui.search.none"))
        elif self.after is not None:
            self._status(t("tui.search.count_more", count=len(self.hits)))
        else:
            self._status(t("tui.search.count", count=len(self.hits)))

    def _status(self, message: str, error: bool = False) -> None:
        self.query_one("#search-status", Static).update(
            Text(message, style="bold red" if error else "", no_wrap=True, overflow="ellipsis"))

    # --- keys ------------------------------------------------------------------------

    def action_to_results(self) -> None:
        if self.hits:
            self.results.focus()
            if self.results.highlighted is None:
                self.results.highlighted = 0

    def action_clear_query(self) -> None:
        query = self.query_one("#search-query", Input)
        query.value = ""
        query.focus()

    def action_go_to_day(self) -> None:
        """The highlighted record's duty day, in history on the desk (today: the live desk)."""
        index = self.results.highlighted
        if index is None or not 0 <= index < len(self.hits):
            return
        from datetime import date

        day = date.fromisoformat(self.hits[index].duty_date)
        self.dismiss(None)
        self.app.desk_screen.show_day(day)  # type: ignore[attr-defined]

    def action_help(self) -> None:
        """F1: what search finds and how, then the desk's keys."""
        from duty_desk.tui.help import HelpScreen

        desk_screen = getattr(self.app, "desk_screen", None)
        self.app.push_screen(HelpScreen(self, desk_screen.keys_by_id() if desk_screen else {}))

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_results":  # Down moves within the list once it is there
            return self.query_one("#search-query", Input).has_focus
        if action == "go_to_day":  # on a result (in the query line Ctrl+D deletes)
            return self.results.has_focus and bool(self.hits)
        return True

    @on(OptionList.OptionHighlighted, "#search-results")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index >= len(self.hits) - 3:
            self._more()

    @on(OptionList.OptionSelected, "#search-results")
    def selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.hits):
            hit = self.hits[event.option_index]
            self.app.open_detail(hit.kind, hit.record_id)  # type: ignore[attr-defined]

    def on_key(self, event: Any) -> None:
        # Up from the first result goes back to the query line.
        if event.key == "up" and self.results.has_focus and self.results.highlighted in (None, 0):
            event.stop()
            self.query_one("#search-query", Input).focus()

    def records_changed(self, _kinds: set[str]) -> None:
        """Written meanwhile (here or in another session): the shown hits keep
        their place; the officer searches again to see new ones (Enter)."""


def hit_text(hit: Hit, desk: Desk) -> Text:
    """Two lines: when, kind, number, state and what it is; then the field
    that matched with the match highlighted."""
    head = Text(no_wrap=True, overflow="ellipsis")
    head.append(fmt_dt(hit.at, desk.cfg), "dim")
    head.append("  ")
    head.append(t(f"kind.{hit.kind}"), "bold")
    head.append(f" #{hit.record_id}", "dim")
    if hit.label:
        style = "bold red" if hit.state == "void" else "yellow" if hit.state in ("open", "superseded") else "dim"
        head.append(f" [{hit.label}]", style)
    head.append("  ")
    head.append(hit.title.replace("\n", " "), "strike" if hit.state == "void" else "")
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append("  ")
    if hit.field_label:
        line.append(f"{hit.field_label}：", "dim")
    start = len(line)
    line.append(hit.snippet)
    for a, b in hit.spans:
        line.stylize("bold reverse", start + a, start + b)
    both = Text("\n").join([head, line])
    both.no_wrap, both.overflow = True, "ellipsis"
    return both
