"""定时事项 forms: recording what was done for one occurrence (closes it),
and, for administrators, adding a standing order in one line (and its
details) and voiding one."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text

from duty_desk.core.dutytime import fmt_hm, to_local
from duty_desk.core.i18n import t
from duty_desk.core.standing import service, view
from duty_desk.tui.forms.base import DeskForm
from duty_desk.tui.widgets.fields import Field


class StandingResultForm(DeskForm):
    """The result of one occurrence of a standing order (service.record_result)."""

    TITLE_KEY = "standing.form.result_title"
    CHANGES = frozenset({"standing"})

    def __init__(self, desk: Any, item_id: int, **prefill: Any) -> None:
        self.item_id = item_id
        super().__init__(desk, **prefill)

    def form_fields(self) -> list[Field]:
        return [Field("result", label="tui.form.label.standing.result", required=True,
                      placeholder="standing.form.result_hint")]

    def load(self) -> view.ItemRow:
        return view.item(self.desk, self.item_id)

    def loaded(self, row: view.ItemRow) -> None:
        cfg = self.desk.cfg
        intro = Text(f"{to_local(row.scheduled_at, cfg).strftime('%m-%d %H:%M')}  ", "bold")
        intro.append(row.title)
        intro.append("\n" + t("standing.form.result_due", owner=row.owner_name, at=fmt_hm(row.due_at, cfg)))
        if row.discharge:
            intro.append("\n" + t("standing.form.discharge", text=row.discharge))
        self.intro(intro)
        if row.state != "open":
            self.say(t("standing.form.not_open", state=t(f"state.standing.{row.state}")))

    def save(self, values: dict[str, str]) -> int:
        return service.record_result(self.desk, self.item_id, values.get("result", "")).id


class StandingOrderForm(DeskForm):
    """A new standing order (administrators): one line such as
    每日16:00 报雨情（6月1日至9月30日）, what must be recorded, the owner."""

    TITLE_KEY = "standing.form.add_title"
    CHANGES = frozenset({"standing", "standing_order"})
    # What the phrase gives is refused at the phrase.
    ALIASES: ClassVar[dict[str, str]] = dict.fromkeys(("title", "at_time", "rule", "weekday", "monthday", "season"),
                                                      "phrase")

    def form_fields(self) -> list[Field]:
        return [Field("phrase", label="standing.form.phrase", required=True, placeholder="standing.form.phrase_hint"),
                Field("discharge", label="tui.form.label.standing_order.discharge",
                      placeholder="standing.form.discharge_hint"),
                Field("owner", label="tui.form.label.standing.owner", placeholder="standing.form.owner_hint"),
                Field("window_minutes", label="tui.form.label.standing_order.window_minutes",
                      placeholder="standing.form.window_hint")]

    def save(self, values: dict[str, str]) -> int:
        return service.add_order(self.desk, values.get("phrase", ""), discharge=values.get("discharge") or None,
                                 owner=values.get("owner") or None,
                                 window_minutes=values.get("window_minutes") or None).id


class StandingVoidForm(DeskForm):
    """Void a standing order with a reason (administrators); its open occurrences go with it."""

    TITLE_KEY = "standing.form.void_title"
    CHANGES = frozenset({"standing", "standing_order"})

    def __init__(self, desk: Any, order_id: int, **prefill: Any) -> None:
        self.order_id = order_id
        super().__init__(desk, **prefill)

    def form_fields(self) -> list[Field]:
        return [Field("reason", label="tui.form.label.void_reason", required=True)]

    def load(self) -> view.OrderRow:
        return view.order_detail(self.desk, self.order_id, items=0, ahead=0)[0]

    def loaded(self, row: view.OrderRow) -> None:
        intro = Text(f"#{row.id}  ", "bold")
        intro.append(f"{row.title}（{row.rule}）")
        intro.append("\n" + t("standing.form.void_keeps", count=row.open_items))
        self.intro(intro)

    def save(self, values: dict[str, str]) -> int:
        return service.void_order(self.desk, self.order_id, values.get("reason", "")).id


def offer_results(screen: Any, calls: list[Any], standing: list[Any]) -> None:
    """Ctrl+G away from a call in the log: the result of which item? The one
    open occurrence of a standing order at once; else the open calls and
    occurrences, named in full, to pick from."""
    from duty_desk.core import clock
    from duty_desk.tui.forms.records import ResultForm
    from duty_desk.tui.screens.rowpick import RowPicker

    if not calls and len(standing) == 1:
        screen.app.push_screen(StandingResultForm(screen.desk, standing[0].id), lambda _r: screen.entry.focus())
        return
    log_pane, now, cfg = screen.pane("log"), clock.now(), screen.desk.cfg
    rows = [(f"log-{c.id}", log_pane.row_label(c, now)) for c in calls]
    for item in standing:
        label = Text(t("open.kind.standing") + "  ", "bold")
        label.append(f"{to_local(item.received_at, cfg).strftime('%H:%M')} {item.title}  ")
        label.append(t("standing.form.due_at", at=fmt_hm(item.due_at, cfg)))
        rows.append((f"standing-{item.id}", label))

    def picked(key: str | None) -> None:
        if key is None:
            return
        kind, _, item_id = key.partition("-")
        form = ResultForm(screen.desk, int(item_id)) if kind == "log" else StandingResultForm(screen.desk, int(item_id))
        screen.app.push_screen(form, lambda _r: screen.entry.focus())

    screen.app.push_screen(RowPicker(t("standing.pick_result"), rows, rows[0][0]), picked)
