"""Swaps at the desk: asking a colleague to take one's duty of a day (and
giving theirs in return), an administrator's emergency cover, and the list
of open swap requests with the steps the core allows this officer on each:
accept, approve, refuse with a reason, withdraw.

Every read and write is a core call (roster.service, roster.view,
roster.waiting) on a thread worker. After a step the app is told that swaps
and the roster changed, so the month view and this list read again (as on
another session's write). The forms live here, not under tui/forms, so no
form draft names them (a draft is reopened only by a form the desk knows)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from duty_desk.core.desk import Desk
from duty_desk.core.errors import DeskError, InvalidInput
from duty_desk.core.i18n import t
from duty_desk.core.roster import service
from duty_desk.core.roster.view import duty_of, people
from duty_desk.core.roster.waiting import OpenSwap, open_swaps_for
from duty_desk.core.sanitize import shown
from duty_desk.tui.bindings import translate_bindings
from duty_desk.tui.forms.base import DeskForm
from duty_desk.tui.messages import RecordsChanged
from duty_desk.tui.screens.screen_keys import ScreenCommands, ScreenHelp
from duty_desk.tui.widgets.fields import Field
from duty_desk.tui.workers import run_core

# What a swap or cover changes (core.changes names): the list and the month follow.
SWAP_KINDS = frozenset({"swap", "roster"})
_SHORT_DAY = re.compile(r"^(\d{1,2})[-/.月](\d{1,2})日?$")


def weekday(day: date) -> str:
    return t(f"tui.weekday.{day.weekday()}")


def parse_back_day(text: str, near: date) -> date:
    """The day to take back: ``2026-11-28``, or ``11-28`` / ``11月28日`` (the
    first such day from ``near`` on)."""
    value = text.strip().replace("/", "-")
    try:
        if m := _SHORT_DAY.match(value):
            day = date(near.year, int(m.group(1)), int(m.group(2)))
            return day if day >= near else date(near.year + 1, day.month, day.day)
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("tui.swap.bad_day", field="back", text=text) from None


def slot_options(desk: Desk) -> tuple[tuple[str, str], ...]:
    return tuple((str(i), shown(s.name)) for i, s in enumerate(desk.cfg.shifts))


# --- asking a swap ------------------------------------------------------------------


class SwapForm(DeskForm):
    """申请换班: the officer's own duty of a day, given to a colleague, and
    optionally the colleague's duty of another day taken in return."""

    CHANGES = SWAP_KINDS

    def __init__(self, desk: Desk, day: str, **prefill: Any) -> None:
        self.day = date.fromisoformat(day)
        super().__init__(desk, **prefill)

    def title_text(self) -> str:
        return t("tui.swap.title", date=self.day.isoformat(), weekday=weekday(self.day))

    def form_fields(self) -> list[Field]:
        return [
            Field("slot", label="tui.swap.label.slot", choices=slot_options(self.desk), default="0"),
            Field("with", label="tui.swap.label.with", required=True, placeholder="tui.swap.hint.with"),
            Field("back", label="tui.swap.label.back", placeholder="tui.swap.hint.back",
                  check=lambda form, value: parse_back_day(value, form.day) and None),
            Field("reason", label="tui.swap.label.reason", required=True),
        ]

    def load(self) -> dict[str, Any]:
        everyone = people()
        me = everyone.get(self.desk.actor)
        mine = [i for i in range(len(self.desk.cfg.shifts))
                if self.desk.actor in (*(d := duty_of(self.day, i, self.desk.cfg)).officers, *d.leaders,
                                       *d.standby)]
        role = me.role if me else ""
        same = ("officer", "admin") if role in ("officer", "admin") else (role,)
        colleagues = [p.name for p in everyone.values()
                      if p.active and p.login != self.desk.actor and p.role in same]
        return {"mine": mine, "colleagues": colleagues}

    def loaded(self, data: dict[str, Any]) -> None:
        shifts = self.desk.cfg.shifts
        self.show_field("slot", len(shifts) > 1)
        mine: list[int] = data["mine"]
        if mine and not self.prefill.get("slot"):
            self.set_value("slot", str(mine[0]))
        intro = Text()
        if mine:
            slots = "、".join(shown(shifts[i].name) for i in mine)
            intro.append(t("tui.swap.mine", slots=f"{self.day.isoformat()} {slots}"), "bold")
        if data["colleagues"]:
            if intro:
                intro.append("\n")
            intro.append(t("tui.swap.colleagues", names="、".join(data["colleagues"])))
        self.intro(intro)
        if not mine:
            # Said at once; submitting asks the core all the same.
            self.say(t("tui.swap.mine_none", date=self.day.isoformat()), "warn")

    def after_mount(self) -> None:
        if len(self.desk.cfg.shifts) == 1:
            self.show_field("slot", False)

    def save(self, values: dict[str, str]) -> int:
        back = values.get("back", "")
        back_day = parse_back_day(back, self.day) if back else None
        slot = int(values.get("slot") or 0)
        return service.request_swap(self.desk, self.day, slot, values.get("with", ""), values.get("reason", ""),
                                    back_day, slot).id

    def refused(self, err: DeskError) -> None:
        # A refusal about a person or a day names no field: put it at the
        # field it is about (the colleague, or the day taken back).
        if err.field is None and err.key in ("swap.already_on", "swap.past", "swap.back_not_theirs"):
            back = self.raw_value("back")
            try:
                back_day = parse_back_day(back, self.day).isoformat() if back else None
            except InvalidInput:
                back_day = None
            about_back = err.key == "swap.back_not_theirs" or (back_day and err.params.get("day") == back_day)
            if about_back:
                err.field = "back"
            elif err.key == "swap.already_on":
                err.field = "with"
        super().refused(err)


# --- emergency cover ------------------------------------------------------------------


class CoverForm(DeskForm):
    """替班: an administrator puts someone in for an absent officer, at once."""

    CHANGES = SWAP_KINDS

    def __init__(self, desk: Desk, day: str, **prefill: Any) -> None:
        self.day = date.fromisoformat(day)
        super().__init__(desk, **prefill)

    def title_text(self) -> str:
        return t("tui.cover.title", date=self.day.isoformat(), weekday=weekday(self.day))

    def form_fields(self) -> list[Field]:
        return [
            Field("slot", label="tui.swap.label.slot", choices=slot_options(self.desk), default="0"),
            Field("absent", label="tui.cover.label.absent", required=True, placeholder="tui.cover.hint.who"),
            Field("with", label="tui.cover.label.with", required=True, placeholder="tui.cover.hint.who"),
            Field("reason", label="tui.swap.label.reason", required=True),
        ]

    def load(self) -> list[str]:
        names = {p.login: p.name for p in people().values()}
        on: list[str] = []
        for i in range(len(self.desk.cfg.shifts)):
            d = duty_of(self.day, i, self.desk.cfg)
            on.extend(names.get(x, x) for x in (*d.officers, *d.leaders))
        return list(dict.fromkeys(on))

    def loaded(self, names: list[str]) -> None:
        self.show_field("slot", len(self.desk.cfg.shifts) > 1)
        self.intro(Text(t("tui.cover.on_duty", names="、".join(names) or t("tui.roster.gap"))))

    def after_mount(self) -> None:
        if len(self.desk.cfg.shifts) == 1:
            self.show_field("slot", False)

    def save(self, values: dict[str, str]) -> int:
        return service.cover(self.desk, self.day, int(values.get("slot") or 0), values.get("absent", ""),
                             values.get("with", ""), values.get("reason", "")).id

    def refused(self, err: DeskError) -> None:
        if err.field is None and err.key == "swap.not_on":
            err.field = "absent"
        elif err.field is None and err.key == "swap.already_on":
            err.field = "with"
        super().refused(err)


# --- deciding a request -----------------------------------------------------------------


class RefuseSwapForm(DeskForm):
    """不同意: the colleague declines, or an approver refuses, with a reason."""

    CHANGES = SWAP_KINDS

    def __init__(self, desk: Desk, swap_id: int, summary: str = "", **prefill: Any) -> None:
        self.swap_id, self.summary = swap_id, summary
        super().__init__(desk, **prefill)

    def title_text(self) -> str:
        return t("tui.swaps.refuse.title", id=self.swap_id)

    def form_fields(self) -> list[Field]:
        return [Field("reason", label="tui.swaps.label.refuse_reason", required=True)]

    def after_mount(self) -> None:
        self.intro(Text(self.summary))

    def save(self, values: dict[str, str]) -> int:
        return service.refuse_swap(self.desk, self.swap_id, values.get("reason", "")).id


class ApproveSwapForm(RefuseSwapForm):
    """批准: an administrator or a leader approves, with an optional note."""

    def title_text(self) -> str:
        return t("tui.swaps.approve.title", id=self.swap_id)

    def form_fields(self) -> list[Field]:
        return [Field("note", label="tui.swaps.label.note")]

    def save(self, values: dict[str, str]) -> int:
        return service.approve_swap(self.desk, self.swap_id, values.get("note", "")).id


# --- the list ---------------------------------------------------------------------------


def short_day(day: date | None, slot_name: str, shifts: int) -> str:
    if day is None:
        return "—"
    text = t("tui.swaps.day", date=day.strftime("%m-%d"), weekday=weekday(day))
    return f"{text} {slot_name}" if shifts > 1 else text


def full_day(day: date, slot_name: str) -> str:
    return f"{t('tui.swaps.day', date=day.isoformat(), weekday=weekday(day))} {slot_name}".strip()


def swap_summary(s: OpenSwap) -> str:
    """One request in a line and its reason in the next (names already made safe)."""
    line = t(f"state.swap.{s.state}") + "  " + t("tui.swaps.detail", id=s.id, day=full_day(s.day, s.slot_name),
                                                  by=s.from_name, to=s.to_name)
    if s.back_day is not None:
        line += t("tui.swaps.detail_back", day=full_day(s.back_day, s.slot_name))
    return line + "\n" + t("tui.swaps.detail_reason", reason=s.reason)


COLUMNS = ("id", "day", "from", "to", "back", "state", "reason")
# Cells the other columns take (with their padding); the reason gets the rest.
FIXED_CELLS = 68


def _loaded_swaps(desk: Desk) -> list[OpenSwap]:
    """On the worker: the rows, every name and reason made safe to show."""
    from dataclasses import replace

    return [replace(s, from_name=shown(s.from_name), to_name=shown(s.to_name), reason=shown(s.reason),
                    slot_name=shown(s.slot_name)) for s in open_swaps_for(desk)]


class SwapListScreen(ModalScreen[None]):
    """换班申请: the open requests that concern this officer (see the module)."""

    help_key = "tui.help.swaps"
    COMMANDS: ClassVar = {ScreenCommands}
    BINDINGS: ClassVar = [
        Binding("escape", "close", "tui.key.close", id="roster.swaps.close"),
        Binding("f1", "help", "tui.key.help", id="roster.swaps.help"),
        Binding("a", "step('accept')", "tui.swaps.key.accept", id="roster.swap_accept"),
        Binding("p", "step('approve')", "tui.swaps.key.approve", id="roster.swap_approve"),
        Binding("r", "step('refuse')", "tui.swaps.key.refuse", id="roster.swap_refuse"),
        Binding("x", "step('withdraw')", "tui.swaps.key.withdraw", id="roster.swap_withdraw"),
    ]
    LONG_NAMES: ClassVar[dict[str, str]] = {
        "roster.swap_accept": "tui.swaps.key.accept_long",
        "roster.swap_approve": "tui.swaps.key.approve_long",
        "roster.swap_refuse": "tui.swaps.key.refuse_long",
        "roster.swap_withdraw": "tui.swaps.key.withdraw_long",
        "roster.swaps.help": "tui.roster.key.help_long",
        "roster.swaps.close": "tui.roster.key.close_long",
    }

    def __init__(self, desk: Desk) -> None:
        super().__init__(id="swaps-screen")
        self.desk = desk
        self.rows: list[OpenSwap] = []
        self.busy = False
        self.status = ""
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        box = Vertical(id="swaps-box")
        box.border_title = Text(t("tui.swaps.title"))
        with box:
            yield DataTable(id="swaps-table", cursor_type="row", zebra_stripes=False)
            yield Static(id="swaps-detail")
            yield Static(id="swaps-status")
        yield Footer(compact=True)

    @property
    def table(self) -> DataTable:
        return self.query_one("#swaps-table", DataTable)

    def on_mount(self) -> None:
        for key in COLUMNS:
            self.table.add_column(t(f"tui.swaps.col.{key}"), key=key)
        self.say(t("tui.swaps.loading"), "info")
        self.load()
        self.table.focus()

    # --- reading ------------------------------------------------------------------

    def load(self) -> None:
        run_core(self, self.desk, _loaded_swaps, self.desk, done=self._loaded, failed=self.say,
                 group="swaps", exclusive=True, failure_key="tui.read_failed")

    def records_changed(self, kinds: set[str] | None) -> None:
        if kinds is None or set(kinds) & (SWAP_KINDS | {"officer"}):
            self.load()

    def _loaded(self, rows: list[OpenSwap]) -> None:
        keep = self.current.id if self.current else None
        self.rows = rows
        table = self.table
        table.clear()
        shifts = len(self.desk.cfg.shifts)
        room = max(self.app.size.width - FIXED_CELLS, 8)
        for s in rows:
            reason = s.reason if len(s.reason) * 2 <= room else s.reason[:max(room // 2 - 1, 1)] + "…"
            state = Text(t(f"state.swap.{s.state}"), "bold" if s.waiting_for_me else "")
            table.add_row(Text(f"#{s.id}"), Text(short_day(s.day, s.slot_name, shifts)), Text(s.from_name),
                          Text(s.to_name), Text(short_day(s.back_day, s.slot_name, shifts)), state, Text(reason),
                          key=str(s.id))
        if keep is not None and any(s.id == keep for s in rows):
            table.move_cursor(row=table.get_row_index(str(keep)))
        # A step's outcome stays said; otherwise the line says whether any is open.
        if self.status in ("", t("tui.swaps.loading"), t("tui.swaps.none")):
            self.say("" if rows else t("tui.swaps.none"), "info")
        self.show_detail()

    @property
    def current(self) -> OpenSwap | None:
        if not self.rows or self.table.row_count == 0:
            return None
        row = self.table.cursor_row
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def show_detail(self) -> None:
        s = self.current
        self.query_one("#swaps-detail", Static).update(Text(swap_summary(s)) if s else Text(""))
        self.refresh_bindings()

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def say(self, message: str, tone: str = "error") -> None:
        self.status = message
        box = self.query_one("#swaps-status", Static)
        box.update(Text(message))
        for cls in ("-error", "-info", "-ok"):
            box.set_class(cls == f"-{tone}", cls)

    # --- steps --------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "step":
            return True
        s = self.current
        if not parameters:  # asked by the palette: offered when any row allows it
            return True
        return True if s is not None and parameters[0] in s.actions else None

    def action_step(self, step: str) -> None:
        s = self.current
        if s is None or self.busy:
            return
        if step not in s.actions:  # from the palette, on a request it does not fit
            self.say(t("tui.swaps.not_allowed", step=t(f"tui.swaps.key.{step}"), id=s.id))
            return
        summary = swap_summary(s)
        if step == "refuse":
            self.app.push_screen(RefuseSwapForm(self.desk, s.id, summary), self._form_done("refused"))
        elif step == "approve":
            self.app.push_screen(ApproveSwapForm(self.desk, s.id, summary), self._form_done("approved"))
        elif step == "accept":
            from duty_desk.tui.screens.confirm import ConfirmStep

            back = t("tui.swaps.detail_back", day=full_day(s.back_day, s.slot_name)) if s.back_day else ""
            effect = t("tui.swaps.confirm.effect_approval" if self.desk.cfg.roster.swap_approval
                       else "tui.swaps.confirm.effect_now")
            body = t("tui.swaps.confirm.accept_body", by=s.from_name, day=full_day(s.day, s.slot_name), back=back,
                     effect=effect)
            self.app.push_screen(ConfirmStep(t("tui.swaps.confirm.accept", id=s.id), body),
                                 lambda yes: self._write(service.accept_swap, s.id) if yes else None)
        elif step == "withdraw":
            from duty_desk.tui.screens.confirm import ConfirmStep

            body = t("tui.swaps.confirm.withdraw_body", day=full_day(s.day, s.slot_name), to=s.to_name)
            self.app.push_screen(ConfirmStep(t("tui.swaps.confirm.withdraw", id=s.id), body),
                                 lambda yes: self._write(service.withdraw_swap, s.id) if yes else None)

    def _write(self, call: Any, swap_id: int) -> None:
        self.busy = True
        self.say(t("tui.form.saving"), "info")
        run_core(self, self.desk, lambda: (lambda row: (row.id, row.state))(call(self.desk, swap_id)),
                 done=self._written, failed=self._not_written, group="swaps-write")

    def _written(self, outcome: tuple[int, str]) -> None:
        self.busy = False
        swap_id, state = outcome
        self.say(t("tui.swaps.done", id=swap_id, state=t(f"state.swap.{state}")), "ok")
        self.app.post_message(RecordsChanged(set(SWAP_KINDS)))

    def _not_written(self, message: str) -> None:
        self.busy = False
        self.say(message)
        self.load()  # another session may have decided it meanwhile

    def _form_done(self, state: str) -> Any:
        def done(swap_id: int | None) -> None:
            if swap_id is not None:
                self.say(t("tui.swaps.done", id=swap_id, state=t(f"state.swap.{state}")), "ok")
            self.table.focus()

        return done

    def action_help(self) -> None:
        desk_screen = getattr(self.app, "desk_screen", None)
        self.app.push_screen(ScreenHelp(self, desk_screen.keys_by_id() if desk_screen else {}))

    def action_close(self) -> None:
        self.dismiss(None)
