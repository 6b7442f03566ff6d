"""Writing reports upward: draft, edit, approve (签发), send (the same text
to every recipient), confirm receipt, void an unsent one.

A report's life: drafted (text editable) → approved by the leader on duty
(an exact text, by its digest; editing it afterwards takes the approval
away) → sent, to one recipient after another, always that text. At its first
sending the report goes on the item's timeline (首报, 续报N, 日报, 终报 as
before, so due times follow from it), and its due time, sending time and
lateness are stored on it; a late one needs the reason (迟报原因)."""

from __future__ import annotations

import hashlib
import math
from datetime import datetime
from typing import Any

from duty_desk.core import audit
from duty_desk.core.deadlines import TimelineFact, urgent_dues
from duty_desk.core.desk import Desk
from duty_desk.core.dutytime import to_local
from duty_desk.core.errors import InvalidInput, NotFound, Refused
from duty_desk.core.kinds.urgent import live_events
from duty_desk.core.models import Officer, ReportSending, UrgentItem, UrgentReport
from duty_desk.core.officer_names import officer_name
from duty_desk.core.reports import facts as facts_of
from duty_desk.core.reports.templates import ELEMENT_OF, REPORT_KINDS, render, template_text
from duty_desk.core.rules import chinese_number
from duty_desk.core.sanitize import clean_text
from duty_desk.core.services import urgent as urgent_service
from duty_desk.core.services.common import (
    check_id,
    get_record,
    optional_line,
    required_line,
    save_changes,
    shift_now,
    when,
    writing,
)

MEANS = ("专网", "传真", "电话口头", "短信")
MAX_REPORT = 20000
WRITTEN = REPORT_KINDS


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def kind_name(kind: str, seq: int) -> str:
    """The report as its title names it: 首报, 续报二, 日报一, 终报 (in Chinese:
    reports go to the level above in Chinese)."""
    if kind == "followup":
        return f"续报{chinese_number(seq)}" if seq else "续报"
    if kind == "daily":
        return f"日报{chinese_number(seq)}" if seq else "日报"
    return {"first_report": "首报", "final": "终报"}.get(kind, kind)


def get_report(report_id: int) -> UrgentReport:
    check_id("urgent_report", report_id)
    row = UrgentReport.get_or_none(UrgentReport.id == report_id)
    if row is None:
        raise NotFound("record.not_found", kind="urgent_report", id=report_id)
    return row


def unsent(item_id: int) -> UrgentReport | None:
    """The item's report not sent yet (a draft or approved), if any: one at a time."""
    return (UrgentReport.select()
            .where((UrgentReport.item == item_id) & UrgentReport.sent_at.is_null() & UrgentReport.voided_at.is_null())
            .order_by(UrgentReport.id).first())


def next_kind(item_id: int) -> str:
    """The written report an item needs next: its first report, else a follow-up."""
    kinds = {e.kind for e in live_events(item_id)}
    return "followup" if "first_report" in kinds else "first_report"


def kinds_allowed(item: UrgentItem) -> tuple[str, ...]:
    if item.voided_at is not None or item.state == "closed":
        return ()
    recorded = [e.kind for e in live_events(item.id)]
    return tuple(k for k in urgent_service.events_allowed(item, recorded) if k in WRITTEN)


def _seq(item_id: int, kind: str) -> int:
    if kind not in ("followup", "daily"):
        return 0
    return sum(1 for e in live_events(item_id) if e.kind == kind) + 1


def leaders_on_duty(desk: Desk, moment: datetime) -> list[str]:
    """The logins of the leaders on duty at ``moment``: the roster's, where it
    names any; else [] (then any active leader may approve)."""
    from duty_desk.core.roster.view import duty_at

    return list(duty_at(moment, desk.cfg).leaders)


def approver_name(desk: Desk, moment: datetime) -> str:
    """Who is expected to sign: the roster's leader on duty, else the shift's."""
    logins = leaders_on_duty(desk, moment)
    if logins:
        return "、".join(officer_name(lg) for lg in logins)
    shift = shift_now(desk)
    return "、".join(shift.leaders) if shift is not None and shift.leaders else ""


def _local(moment: datetime | None, cfg) -> str:
    if moment is None:
        return ""
    at = to_local(moment, cfg)
    return f"{at.year}年{at.month}月{at.day}日{at.hour}时{at.minute:02d}分"


def _elements(desk: Desk, item: UrgentItem, kind: str, seq: int, values: dict[str, str],
              moment: datetime | None = None) -> dict[str, str]:
    """Every element a template may name, from the facts ``values``."""
    me = Officer.get_or_none(Officer.login == desk.actor)
    phone = (desk.cfg.raw.get("reports") or {}).get("phone", "") or (me.phone if me else "")
    source = " ".join(p for p in (item.source_unit, item.source_name, item.source_phone) if p)
    out = {ELEMENT_OF.get(f, f): v for f, v in values.items()}
    out["occurred_at"] = _local(_time(values.get("occurred_at", "")), desk.cfg)
    out.update(title=item.title, kind_name=kind_name(kind, seq), office=desk.cfg.office_name,
               reported_at=_local(moment or desk.now(), desk.cfg), event_type=item.event_type,
               level=_LEVEL_WORDS.get(item.level, item.level), received_at=_local(item.received_at, desk.cfg),
               source=source, approver=approver_name(desk, moment or desk.now()),
               contact=me.name if me else desk.actor,
               phone=phone)
    return out


_LEVEL_WORDS = {"I": "特别重大（I级）", "II": "重大（II级）", "III": "较大（III级）", "IV": "一般（IV级）"}


def _time(text: str) -> datetime | None:
    if not text:
        return None
    from datetime import timezone

    try:
        return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def base_facts(item_id: int) -> dict[str, str] | None:
    """The facts as they stood at the last written report (None before the first)."""
    written = [e for e in live_events(item_id) if e.kind in WRITTEN]
    if not written:
        return None
    last = max(written, key=lambda e: (e.at, e.id))
    sent = UrgentReport.get_or_none(UrgentReport.event == last.id)
    if sent is not None:
        return {f: sent.facts.get(f, "") for f in facts_of.FACT_FIELDS}
    return facts_of.as_of(item_id, last.at, last.recorded_at)


def changed_fields(now: dict[str, str], before: dict[str, str] | None) -> list[str]:
    if before is None:
        return []
    return [f for f in facts_of.FACT_FIELDS if (now.get(f) or "") != (before.get(f) or "")]


def preview(desk: Desk, item_id: int, kind: str | None = None, at: datetime | None = None) -> tuple[str, int, str]:
    """(kind, seq, text): the draft a report of ``kind`` would start from now
    (or from ``at``, the time it is dated)."""
    item = get_record("urgent", item_id)
    kind = kind or next_kind(item_id)
    if kind not in REPORT_KINDS:
        raise InvalidInput("report.bad_kind", field="kind", kind=kind, choices=" ".join(REPORT_KINDS))
    seq, text, _now, _before = _drafted(desk, item, kind, at)
    return kind, seq, text


def _drafted(desk: Desk, item: UrgentItem, kind: str, at: datetime | None
             ) -> tuple[int, str, dict[str, str], dict[str, str] | None]:
    """(seq, the template's text, the facts now, the facts of the report
    before or None for a first report): what a draft of ``kind`` starts from."""
    from duty_desk.core.reports.templates import FACT_WORDS

    seq = _seq(item.id, kind)
    now = facts_of.current(item)
    before = base_facts(item.id) if kind != "first_report" else None
    values = _elements(desk, item, kind, seq, now, at)
    marked = None
    if before is not None:
        changes = changed_fields(now, before)
        before_values = _elements(desk, item, kind, seq, before, at)
        marked = {ELEMENT_OF.get(f, f): before_values[ELEMENT_OF.get(f, f)] for f in changes}
        values["changes"] = ("本次报告更新：" + "、".join(FACT_WORDS[ELEMENT_OF.get(f, f)] for f in changes) + "。"
                             if changes else "本次报告无新的变化。")
    template, _where = template_text(kind, desk.cfg)
    return seq, render(template, values, marked), now, before


def title_line(text: str) -> str:
    """A report's first line, its title (城西区…倒塌（续报二）): how the
    timeline and the sheet name a report sent."""
    return (text.splitlines() or [""])[0]


def _report_text(text: str) -> str:
    body = clean_text(text)
    if not body:
        raise InvalidInput("report.text_empty", field="text")
    if len(body) > MAX_REPORT:
        raise InvalidInput("input.too_long", field="text", field_name="text", limit=MAX_REPORT)
    return body


def draft(desk: Desk, item_id: int, kind: str | None = None, text: str | None = None,
          at: datetime | str | None = None) -> UrgentReport:
    """Draft the item's next report of ``kind`` (its next one by default), from
    the template and its facts unless the officer gives the text; dated
    ``at`` when it was drafted earlier than it is recorded (now by default)."""
    with writing(desk, "create", "urgent_report"):
        item = get_record("urgent", item_id)
        if item.voided_at is not None:
            raise Refused("record.voided", kind="urgent", id=item_id)
        if item.state == "closed":
            raise Refused("urgent.closed", title=item.title)
        pending = unsent(item.id)
        if pending is not None:
            raise Refused("report.unsent_exists", id=pending.id, name=kind_name(pending.kind, pending.seq))
        kind = kind or next_kind(item.id)
        if kind not in REPORT_KINDS:
            raise InvalidInput("report.bad_kind", field="kind", kind=kind, choices=" ".join(REPORT_KINDS))
        if kind not in kinds_allowed(item):
            raise Refused("report.kind_not_now", name=kind_name(kind, 0))
        moment = when(desk, at, "at")
        if moment < item.received_at:
            raise InvalidInput("urgent.before_receipt", field="at")
        seq, drafted, now_facts, before = _drafted(desk, item, kind, moment)
        body = _report_text(drafted if text is None else text)
        now = desk.now()
        report = UrgentReport.create(item=item.id, kind=kind, seq=seq, text=body, facts=now_facts,
                                     base_facts=before or {}, drafted_at=moment, drafted_by=desk.actor)
        audit.append(now, desk.actor, "create", "urgent_report", report.id, None, audit.snapshot(report))
    return report


def _live_unsent(report: UrgentReport) -> None:
    if report.voided_at is not None:
        raise Refused("void.already", kind="urgent_report", id=report.id)
    if report.sent_at is not None:
        raise Refused("report.sent_fixed", name=kind_name(report.kind, report.seq))


def edit(desk: Desk, report_id: int, text: str) -> UrgentReport:
    """The officer's own wording. An approved report edited needs approving again."""
    with writing(desk, "edit", "urgent_report", report_id):
        report = get_report(report_id)
        _live_unsent(report)
        body = _report_text(text)
        if body == report.text:
            return report
        before = audit.snapshot(report)
        report.text, report.edited_at, report.edited_by = body, desk.now(), desk.actor
        if report.approved_at is not None:
            report.approved_by = report.approved_name = report.approved_at = None
            report.approval_means = report.approval_recorded_by = report.approved_digest = None
        old, new = save_changes(report, before)
        audit.append(desk.now(), desk.actor, "edit", "urgent_report", report.id, old, new)
    return report


def _leader(who: str) -> Officer | None:
    who = (who or "").strip()
    return (Officer.select().where((Officer.role == "leader") & Officer.active
                                   & ((Officer.login == who) | (Officer.name == who))).first())


def approve(desk: Desk, report_id: int, *, leader: str = "", at: datetime | str | None = None) -> UrgentReport:
    """签发. At the desk (``leader`` empty) the acting officer must be a
    leader, the roster's leader on duty where it names any. An officer
    records a leader's approval given by phone with ``leader`` (name or
    login) and the time: marked as phoned, with who recorded it."""
    with writing(desk, "approve", "urgent_report", report_id):
        report = get_report(report_id)
        _live_unsent(report)
        me = Officer.get(Officer.login == desk.actor)
        phoned = bool((leader or "").strip()) and (leader.strip() not in (me.login, me.name))
        if phoned:
            signer = _leader(leader)
            if signer is None:
                raise Refused("report.no_such_leader", name=clean_text(leader))
        else:
            if me.role != "leader":
                raise Refused("report.leader_only")
            signer = me
        moment = when(desk, at, "at")
        if moment < (report.edited_at or report.drafted_at):
            raise InvalidInput("report.approved_before_text", field="at")
        on_duty = leaders_on_duty(desk, moment)
        if on_duty and signer.login not in on_duty:
            raise Refused("report.not_on_duty", name=signer.name,
                          leaders="、".join(officer_name(lg) for lg in on_duty))
        if report.approved_digest == digest(report.text):
            raise Refused("report.already_approved", name=officer_name(report.approved_by))
        before = audit.snapshot(report)
        report.approved_by, report.approved_name, report.approved_at = signer.login, signer.name, moment
        report.approval_means = "phone" if phoned else "desk"
        report.approval_recorded_by = desk.actor
        report.approved_digest = digest(report.text)
        old, new = save_changes(report, before)
        audit.append(desk.now(), desk.actor, "approve", "urgent_report", report.id, old, new)
    return report


def due_for(desk: Desk, item: UrgentItem, kind: str) -> datetime | None:
    """When a report of ``kind`` is due by the configured rules and the live
    timeline (None: no limit, as for the final report)."""
    return due_by_rules(desk.cfg, item, kind)


def due_by_rules(cfg, item: UrgentItem, kind: str) -> datetime | None:
    recorded = [TimelineFact(e.kind, e.at) for e in live_events(item.id)]
    for due in urgent_dues(item.level, item.received_at, recorded, cfg):
        if due.kind == kind:
            return due.at
    return None


def late_by(due: datetime | None, sent: datetime) -> int:
    """Whole minutes late (rounded up; 0 on time)."""
    if due is None or sent <= due:
        return 0
    return math.ceil((sent - due).total_seconds() / 60)


def send(desk: Desk, report_id: int, recipient: str, means: str, *, text: str | None = None,
         at: datetime | str | None = None, received_by: str = "", contact: int | None = None,
         delay_reason: str = "") -> ReportSending:
    """Record the approved text sent to one recipient. ``text``, when given,
    must be that text (同口径). The first sending puts the report on the
    timeline and stores its due time, sending time and lateness; a late one
    needs ``delay_reason``."""
    with writing(desk, "send", "urgent_report", report_id):
        report = get_report(report_id)
        if report.voided_at is not None:
            raise Refused("void.already", kind="urgent_report", id=report.id)
        if report.approved_digest is None or report.approved_digest != digest(report.text):
            raise Refused("report.not_approved", name=kind_name(report.kind, report.seq))
        if text is not None and clean_text(text) != report.text:
            raise Refused("report.not_same_text", name=kind_name(report.kind, report.seq))
        if means not in MEANS:
            raise InvalidInput("report.bad_means", field="means", means=clean_text(means), choices=" ".join(MEANS))
        recipient = required_line(recipient, "recipient", 80)
        taken = ReportSending.get_or_none((ReportSending.report == report.id) & (ReportSending.recipient == recipient)
                                          & ReportSending.voided_at.is_null())
        if taken is not None:
            raise Refused("report.sent_already", recipient=recipient)
        moment = when(desk, at, "at")
        if moment < report.approved_at:
            raise InvalidInput("report.sent_before_approval", field="at")
        received_by = optional_line(received_by, "received_by", 40)
        before = audit.snapshot(report)
        if report.sent_at is None:
            item = UrgentItem.get_by_id(report.item)
            due = due_for(desk, item, report.kind)
            late = late_by(due, moment)
            reason = clean_text(delay_reason)
            if late and not reason:
                raise InvalidInput("report.delay_reason_needed", field="delay_reason", minutes=late)
            event = urgent_service.event_in_write(desk, item.id, report.kind, party=recipient, means=means,
                                                  text=report.text[:4000], at=moment, report=report.id)
            report.due_at, report.sent_at, report.event = due, moment, event.id
            report.late_minutes = late if due is not None else None
            report.delay_reason = reason if late else ""
        now = desk.now()
        sending = ReportSending.create(report=report.id, recipient=recipient, contact=contact, means=means,
                                       sent_at=moment, by=desk.actor, digest=report.approved_digest,
                                       received_by=received_by, confirmed_at=moment if received_by else None,
                                       recorded_at=now)
        old, new = save_changes(report, before)
        told = {k: v for k, v in audit.snapshot(sending).items() if k != "report"}
        audit.append(now, desk.actor, "send", "urgent_report", report.id, old or None, {**new, "sending": told})
    return sending


def confirm(desk: Desk, sending_id: int, received_by: str, at: datetime | str | None = None) -> ReportSending:
    """Who at the recipient confirmed receipt, and when."""
    check_id("report_sending", sending_id)
    first = ReportSending.get_or_none(ReportSending.id == sending_id)
    with writing(desk, "confirm", "urgent_report", first.__data__["report"] if first else None):
        sending = ReportSending.get_or_none(ReportSending.id == sending_id)
        if sending is None:
            raise NotFound("record.not_found", kind="report_sending", id=sending_id)
        who = required_line(received_by, "received_by", 40)
        moment = when(desk, at, "at")
        if moment < sending.sent_at:
            raise InvalidInput("report.confirmed_before_sent", field="at")
        before = audit.snapshot(sending)
        sending.received_by, sending.confirmed_at = who, moment
        old, new = save_changes(sending, before)
        audit.append(desk.now(), desk.actor, "confirm", "urgent_report", sending.__data__["report"], None,
                     {"sending": {"id": sending.id, **new}})
    return sending


def void_sending(desk: Desk, sending_id: int, reason: str) -> ReportSending:
    """Void a sending recorded by mistake. It stays readable, marked void. The
    report's last live sending voided means it did not go out after all: its
    timeline event is voided with it, its sending time and lateness cleared,
    and it waits, approved, to be sent again."""
    check_id("report_sending", sending_id)
    first = ReportSending.get_or_none(ReportSending.id == sending_id)
    with writing(desk, "void_sending", "urgent_report", first.__data__["report"] if first else None):
        sending = ReportSending.get_or_none(ReportSending.id == sending_id)
        if sending is None:
            raise NotFound("record.not_found", kind="report_sending", id=sending_id)
        if sending.voided_at is not None:
            raise Refused("void.already", kind="report_sending", id=sending_id)
        reason = required_line(reason, "reason")
        report = get_report(sending.__data__["report"])
        others = [s for s in sendings(report.id) if s.voided_at is None and s.id != sending.id]
        before = audit.snapshot(report)
        if not others and report.event is not None:
            from duty_desk.core.models import UrgentEvent

            event = UrgentEvent.get_by_id(report.event)
            urgent_service.void_event_in_write(desk, event, reason)
            report.due_at = report.sent_at = report.late_minutes = report.event = None
            report.delay_reason = ""
        now = desk.now()
        sending.voided_at, sending.voided_by, sending.void_reason = now, desk.actor, reason
        sending.save(only=[ReportSending.voided_at, ReportSending.voided_by, ReportSending.void_reason])
        old, new = save_changes(report, before)
        audit.append(now, desk.actor, "void_sending", "urgent_report", report.id, old or None,
                     {**new, "sending": {"id": sending.id, "voided_at": audit.snapshot(sending)["voided_at"],
                                         "voided_by": desk.actor, "void_reason": reason}})
    return sending


def void(desk: Desk, report_id: int, reason: str) -> UrgentReport:
    """Void a report not sent (a draft made by mistake). A sent report stays:
    a correction is a new follow-up report."""
    with writing(desk, "void", "urgent_report", report_id):
        report = get_report(report_id)
        _live_unsent(report)
        reason = required_line(reason, "reason")
        before = audit.snapshot(report)
        report.voided_at, report.voided_by, report.void_reason = desk.now(), desk.actor, reason
        old, new = save_changes(report, before)
        audit.append(desk.now(), desk.actor, "void", "urgent_report", report.id, old, new)
    return report


def sendings(report_id: int) -> list[ReportSending]:
    return list(ReportSending.select().where(ReportSending.report == report_id).order_by(ReportSending.sent_at,
                                                                                         ReportSending.id))


def reports_of(item_id: int) -> list[UrgentReport]:
    return list(UrgentReport.select().where(UrgentReport.item == item_id).order_by(UrgentReport.id))


def state_of(report: UrgentReport) -> str:
    if report.voided_at is not None:
        return "void"
    if report.sent_at is not None:
        return "sent"
    if report.approved_digest is not None and report.approved_digest == digest(report.text):
        return "approved"
    return "draft"


def pending_due(report: UrgentReport, cfg) -> datetime | None:
    """When a report not sent yet is due (its stored due time once sent)."""
    if report.sent_at is not None or report.voided_at is not None:
        return report.due_at
    item = UrgentItem.get_or_none(UrgentItem.id == report.item)
    if item is None or item.state != "open":
        return None
    return due_by_rules(cfg, item, report.kind)


def as_dict(report: UrgentReport) -> dict[str, Any]:
    out = audit.snapshot(report)
    out["name"] = kind_name(report.kind, report.seq)
    out["state"] = state_of(report)
    out["sendings"] = [{k: v for k, v in audit.snapshot(s).items() if k != "report"}
                       for s in sendings(report.id)]
    return out
