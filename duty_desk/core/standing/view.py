"""Reading standing orders as the desk and the command line show them: the
orders with their rule in words and their next occurrence, what falls due
later today, one order's occurrences. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from duty_desk.core.config import Config
from duty_desk.core.desk import Desk, officer_names
from duty_desk.core.dutytime import duty_day_bounds, fmt_dt
from duty_desk.core.errors import NotFound
from duty_desk.core.i18n import t
from duty_desk.core.models import StandingItem, StandingOrder
from duty_desk.core.rules import is_overdue
from duty_desk.core.services.common import check_id
from duty_desk.core.standing.rules import next_occurrences, occurrences, office_calendar


def _md_words(text: str) -> str:
    month, day = text.split("-")
    return t("standing.month_day", month=int(month), day=int(day))


def describe(order: Any) -> str:
    """The rule in words: 每日 16:00（6月1日至9月30日）, 每周一 10:00，节假日除外."""
    if order.rule == "weekly":
        rule = t(f"standing.rule.weekly.{order.weekday}")
    elif order.rule == "monthly":
        rule = t("standing.rule.monthly_last") if order.monthday == 31 else t("standing.rule.monthly",
                                                                                day=order.monthday)
    else:
        rule = t(f"standing.rule.{order.rule}")
    text = f"{rule} {order.at_time}"
    if order.season_from:
        text += t("standing.season", first=_md_words(order.season_from), last=_md_words(order.season_to))
    if order.starts_on or order.ends_on:
        text += t("standing.dates", first=order.starts_on.isoformat() if order.starts_on else "…",
                  last=order.ends_on.isoformat() if order.ends_on else "…")
    if order.skip_holidays:
        text += t("standing.skips_holidays")
    return text


@dataclass
class OrderRow:
    id: int
    title: str
    rule: str  # in words
    at_time: str
    owner: str  # a name, or "the officer on duty"
    discharge: str
    window_minutes: int
    next_at: datetime | None
    open_items: int
    voided: bool = False
    void_reason: str = ""

    def as_dict(self, cfg: Config) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "rule": self.rule, "at_time": self.at_time, "owner": self.owner,
                "discharge": self.discharge, "window_minutes": self.window_minutes,
                "next": fmt_dt(self.next_at, cfg) if self.next_at else "", "open_items": self.open_items,
                "voided": self.voided, "void_reason": self.void_reason}


def _owner_name(order: StandingOrder, names: dict[str, str]) -> str:
    return names.get(order.owner, order.owner) if order.owner else t("standing.owner_on_duty")


def list_orders(desk: Desk, *, voided: bool = False) -> list[OrderRow]:
    """Every live order (and the voided ones, asked), with its next occurrence."""
    query = StandingOrder.select().where(StandingOrder.id > 0)
    if not voided:
        query = query.where(StandingOrder.voided_at.is_null())
    orders = list(query.order_by(StandingOrder.at_time, StandingOrder.id))
    names = officer_names()
    counts = _open_counts([o.id for o in orders])
    now = desk.now()
    calendar = office_calendar(desk.cfg)
    out = []
    for o in orders:
        nxt = next_occurrences(o, now, desk.cfg, 1, calendar=calendar) if o.voided_at is None else []
        out.append(OrderRow(o.id, o.title, describe(o), o.at_time, _owner_name(o, names), o.discharge,
                            o.window_minutes, nxt[0] if nxt else None, counts.get(o.id, 0),
                            o.voided_at is not None, o.void_reason or ""))
    return out


def _open_counts(ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    from peewee import fn

    rows = (StandingItem.select(StandingItem.order, fn.COUNT(StandingItem.id))
            .where(StandingItem.order.in_(ids) & StandingItem.closed_at.is_null() & StandingItem.voided_at.is_null())
            .group_by(StandingItem.order).tuples())
    return dict(rows)


@dataclass(frozen=True)
class Upcoming:
    order_id: int
    title: str
    at: datetime


def later_today(desk: Desk) -> list[Upcoming]:
    """What falls due from now until the end of the current duty day."""
    from duty_desk.core.standing.service import live_orders

    now = desk.now()
    _, end = duty_day_bounds(desk.today(), desk.cfg)
    calendar = office_calendar(desk.cfg)
    out = [Upcoming(o.id, o.title, at) for o in live_orders()
           for at in occurrences(o, now, end, desk.cfg, calendar) if at > now]
    return sorted(out, key=lambda u: (u.at, u.order_id))


@dataclass
class ItemRow:
    id: int
    title: str
    scheduled_at: datetime
    due_at: datetime
    owner: str  # login
    owner_name: str
    result: str
    closed_at: datetime | None
    state: str  # open | done | void
    overdue: bool
    discharge: str = ""

    def as_dict(self, cfg: Config) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "scheduled_at": fmt_dt(self.scheduled_at, cfg),
                "due_at": fmt_dt(self.due_at, cfg), "owner": self.owner, "owner_name": self.owner_name,
                "result": self.result, "closed_at": fmt_dt(self.closed_at, cfg), "state": self.state,
                "overdue": self.overdue}


def _rows(items: list[StandingItem], now: datetime, discharge: dict[int, str] | None = None) -> list[ItemRow]:
    from duty_desk.core.kinds.standing import state_of

    names = officer_names()
    return [ItemRow(i.id, i.title, i.scheduled_at, i.due_at, i.owner or "", names.get(i.owner or "", i.owner or ""),
                    i.result, i.closed_at, state_of(i),
                    i.closed_at is None and i.voided_at is None and is_overdue(i.due_at, now),
                    (discharge or {}).get(i.__data__["order"], ""))
            for i in items]


def order_detail(desk: Desk, order_id: int, *, items: int = 30, ahead: int = 5) -> tuple[OrderRow, list[datetime],
                                                                                         list[ItemRow]]:
    """One order: its row, its next occurrences, its latest occurrences (newest first)."""
    check_id("standing_order", order_id)
    order = StandingOrder.get_or_none(StandingOrder.id == order_id)
    if order is None:
        raise NotFound("record.not_found", kind="standing_order", id=order_id)
    names = officer_names()
    nxt = next_occurrences(order, desk.now(), desk.cfg, ahead) if order.voided_at is None else []
    row = OrderRow(order.id, order.title, describe(order), order.at_time, _owner_name(order, names),
                   order.discharge, order.window_minutes, nxt[0] if nxt else None,
                   _open_counts([order.id]).get(order.id, 0), order.voided_at is not None, order.void_reason or "")
    rows = list(StandingItem.select().where(StandingItem.order == order.id)
                .order_by(StandingItem.scheduled_at.desc(), StandingItem.id.desc()).limit(items))
    return row, nxt, _rows(rows, desk.now(), {order.id: order.discharge})


def open_items(desk: Desk) -> list[ItemRow]:
    """Every occurrence still open, oldest first, with what must be recorded."""
    rows = list(StandingItem.select().where(StandingItem.closed_at.is_null() & StandingItem.voided_at.is_null())
                .order_by(StandingItem.due_at, StandingItem.id))
    discharge = dict(StandingOrder.select(StandingOrder.id, StandingOrder.discharge)
                     .where(StandingOrder.id.in_(sorted({r.__data__["order"] for r in rows}))).tuples()) if rows else {}
    return _rows(rows, desk.now(), discharge)


def item(desk: Desk, item_id: int) -> ItemRow:
    """One occurrence, with what its order says must be recorded."""
    check_id("standing", item_id)
    row = StandingItem.get_or_none(StandingItem.id == item_id)
    if row is None:
        raise NotFound("record.not_found", kind="standing", id=item_id)
    order = StandingOrder.get_by_id(row.__data__["order"])
    return _rows([row], desk.now(), {order.id: order.discharge})[0]


@dataclass
class Overview:
    """What the standing screen shows: the orders, today's coming ones, the open occurrences."""

    orders: list[OrderRow]
    later: list[Upcoming]
    open: list[ItemRow]
    admin: bool
    extra: dict[str, Any] = field(default_factory=dict)


def overview(desk: Desk) -> Overview:
    from duty_desk.core.standing.service import bring_quietly

    bring_quietly(desk)
    admin = desk.officer().role == "admin"
    return Overview(list_orders(desk), later_today(desk), open_items(desk), admin)

