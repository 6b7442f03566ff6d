"""What the desk's reports screen (信息报送) of one urgent item reads: the
item's facts with their earlier values, its reports, and for the forms the
leaders to name for a phoned approval, the recipients from the contact book
and whether a sending now would be late. Plain data, read on a worker."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from duty_desk.core.desk import Desk
from duty_desk.core.dutytime import to_local
from duty_desk.core.i18n import t
from duty_desk.core.kinds.urgent import live_events
from duty_desk.core.models import Contact, Officer, ReportSending, UrgentItem
from duty_desk.core.reports import facts as facts_of
from duty_desk.core.reports import service
from duty_desk.core.reports.view import approval_text, report_line
from duty_desk.core.services.common import get_record
from duty_desk.core.suggest import NameBook, Suggestion, build_book

# Contacts with these tags are the usual recipients of a report: offered first.
RECIPIENT_TAGS = ("上级", "信息报送")


@dataclass(frozen=True)
class FactLine:
    """One fact: its label, its value now, and its earlier values (newest
    first) each with the local time it became known."""

    field: str
    label: str
    value: str
    earlier: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ReportRow:
    id: int
    kind: str
    name: str  # 首报, 续报一 …
    state: str  # draft | approved | sent | void
    line: str  # view.report_line
    text: str
    phoned: bool  # approved by phone, recorded by an officer


@dataclass(frozen=True)
class ReportsView:
    item_id: int
    title: str
    level: str
    writable: bool  # open, not voided: facts and reports can be written
    facts: list[FactLine]
    reports: list[ReportRow]
    unsent: int | None  # the one report not sent yet
    next_kind: str
    kinds: list[tuple[str, str]]  # (kind, name) a new report may be
    leader: bool  # the acting officer signs off at the desk


def _hm(moment: datetime, cfg, today) -> str:
    local = to_local(moment, cfg)
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%m-%d %H:%M")


def fact_value(field_name: str, value: str, cfg) -> str:
    return facts_of.local_text(value, cfg) if field_name == "occurred_at" and value else value


def load(desk: Desk, item_id: int) -> ReportsView:
    """Everything the screen shows of one urgent item."""
    item = get_record("urgent", item_id)
    cfg = desk.cfg
    today = to_local(desk.now(), cfg).date()
    now = facts_of.current(item)
    history = facts_of.history(item.id)
    lines = []
    for name in facts_of.FACT_FIELDS:
        values = history.get(name, [])
        earlier = [(fact_value(name, r.value, cfg) or t("tui.reports.empty"), _hm(r.at, cfg, today))
                   for r in reversed(values[:-1])] if values else []
        lines.append(FactLine(name, t(f"report.field.{name}"), fact_value(name, now[name], cfg), earlier))
    rows = []
    for r in service.reports_of(item.id):
        rows.append(ReportRow(r.id, r.kind, service.kind_name(r.kind, r.seq), service.state_of(r),
                              report_line(r, cfg), r.text, r.approval_means == "phone"))
    pending = service.unsent(item.id)
    writable = item.voided_at is None and item.state == "open"
    me = Officer.get_or_none(Officer.login == desk.actor)
    recorded = [e.kind for e in live_events(item.id)]
    # 续报一, 日报二 …: numbered after those on the timeline.
    kinds = [(k, service.kind_name(k, recorded.count(k) + 1 if k in ("followup", "daily") else 0))
             for k in service.kinds_allowed(item)]
    return ReportsView(item.id, item.title, item.level, writable, lines, rows,
                       pending.id if pending is not None else None, service.next_kind(item.id) if writable else "",
                       kinds, me is not None and me.role == "leader")


def facts_for_form(desk: Desk, item_id: int) -> dict[str, str]:
    """The facts as a form shows them to be changed (a time as local text)."""
    item = get_record("urgent", item_id)
    return {name: fact_value(name, value, desk.cfg) for name, value in facts_of.current(item).items()}


def leaders_book(desk: Desk) -> NameBook:
    """The leaders a phoned approval may name: the leader-role officers, those
    on duty now first."""
    on_duty = set(service.leaders_on_duty(desk, desk.now()))
    now = desk.now()
    items = [Suggestion(name=o.name, phone=o.phone, title=t("tui.reports.leader_title"),
                        uses=2 if o.login in on_duty else 0, last_used=now if o.login in on_duty else None)
             for o in Officer.select().where((Officer.role == "leader") & Officer.active)]
    return build_book(items, now)


def recipients_book(desk: Desk) -> NameBook:
    """The recipients a sending may name: the contact book, those tagged as
    the level above or for reports first, then those sent to before."""
    now = desk.now()
    used: dict[str, int] = {}
    for (recipient,) in ReportSending.select(ReportSending.recipient).tuples():
        used[recipient] = used.get(recipient, 0) + 1
    items = []
    for c in Contact.select().where(Contact.voided_at.is_null()):
        who = " ".join(p for p in (c.unit, c.name) if p)
        uses = used.get(who, 0) + (3 if set(c.tags or ()) & set(RECIPIENT_TAGS) else 0)
        items.append(Suggestion(unit=c.unit, name=c.name, title=c.title, phone=c.fax or c.duty_phone,
                                contact_id=c.id, uses=uses, last_used=now if uses else None))
    return build_book(items, now)


@dataclass(frozen=True)
class Sending:
    """What the sending form needs: the report, whether its first sending is
    still to come (then a late one needs the reason) and when it is due."""

    report_id: int
    name: str
    approval: str
    first: bool
    due_at: datetime | None
    sent_to: list[str]


def sending(desk: Desk, report_id: int) -> Sending:
    report = service.get_report(report_id)
    item = UrgentItem.get_by_id(report.item)
    first = report.sent_at is None
    due = service.due_for(desk, item, report.kind) if first else None
    return Sending(report.id, service.kind_name(report.kind, report.seq), approval_text(report, desk.cfg), first,
                   due, [f"{s.recipient}（{s.means}）" for s in service.sendings(report.id)
                    if s.voided_at is None])


def late_now(due: datetime | None, moment: datetime) -> int:
    """Whole minutes a sending at ``moment`` would be late (0: on time)."""
    return service.late_by(due, moment)
