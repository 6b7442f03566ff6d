"""Reading reports: one line for the timeline, the handover sheet and
`show urgent`; the text, Markdown and JSON forms `report show` prints."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from duty_desk.core.dutytime import to_local
from duty_desk.core.i18n import t
from duty_desk.core.models import ReportSending, UrgentReport
from duty_desk.core.officer_names import officer_name
from duty_desk.core.reports.service import (
    as_dict,
    kind_name,
    pending_due,
    reports_of,
    sendings,
    state_of,
)

FORMATS = ("txt", "md", "json")


def hm(moment: datetime | None, cfg) -> str:
    return "" if moment is None else to_local(moment, cfg).strftime("%m-%d %H:%M")


def late_text(report: UrgentReport) -> str:
    """迟报25分钟 / 按时 / 无时限, or "" before it is sent."""
    if report.sent_at is None:
        return ""
    if report.late_minutes is None:
        return t("report.no_limit")
    return t("report.late", minutes=report.late_minutes) if report.late_minutes else t("report.on_time")


def signer_text(report: UrgentReport, cfg) -> str:
    """王军 11-24 10:20（电话签发，李明登记）, or "" while not signed off."""
    if report.approved_at is None or state_of(report) == "draft":
        return ""
    line = f"{report.approved_name or officer_name(report.approved_by)} {hm(report.approved_at, cfg)}"
    if report.approval_means == "phone":
        line += "（" + t("report.approval.phone", by=officer_name(report.approval_recorded_by)) + "）"
    return line


def approval_text(report: UrgentReport, cfg) -> str:
    """签发：王军 11-24 10:20（电话签发，李明登记）, or "" while not signed off."""
    signer = signer_text(report, cfg)
    return t("report.signed_line", signer=signer) if signer else ""


def recipients_text(rows: list[ReportSending]) -> str:
    """The live sendings' recipients and means (a voided sending is left out)."""
    return "、".join(f"{s.recipient}（{s.means}）" for s in rows if s.voided_at is None)


def report_line(report: UrgentReport, cfg, rows: list[ReportSending] | None = None) -> str:
    """One line about a report: what it is, its state or when it went, who
    signed it off, whether it was late (and why), to whom it went."""
    rows = sendings(report.id) if rows is None else rows
    parts = [kind_name(report.kind, report.seq)]
    state = state_of(report)
    if state == "sent":
        parts.append(f"{t('report.state.sent')} {hm(report.sent_at, cfg)}")
    else:
        parts.append(t(f"report.state.{state}"))
    signed = approval_text(report, cfg)
    if signed:
        parts.append(signed)
    if report.sent_at is None and report.voided_at is None:
        due = pending_due(report, cfg)
        if due is not None:
            parts.append(f"{t('report.col.due_at')} {hm(due, cfg)}")
    late = late_text(report)
    if late:
        parts.append(late + (f"（{t('report.reason', reason=report.delay_reason)}）" if report.delay_reason else ""))
    if rows:
        parts.append(t("report.sent_to", list=recipients_text(rows)))
    return " · ".join(parts)


def lines_of(item_id: int, cfg, with_void: bool = False) -> list[str]:
    return [report_line(r, cfg) for r in reports_of(item_id) if with_void or r.voided_at is None]


def as_text(report: UrgentReport) -> str:
    """The report exactly as approved and sent: for a fax cover or an upload."""
    return report.text + "\n"


def as_markdown(report: UrgentReport, cfg) -> str:
    rows = sendings(report.id)
    lines = [f"# {kind_name(report.kind, report.seq)}（#{report.id}）", ""]
    facts = [(t("report.col.state"), t(f"report.state.{state_of(report)}")),
             (t("report.col.due_at"), hm(report.due_at, cfg)),
             (t("report.col.sent_at"), hm(report.sent_at, cfg)),
             (t("report.col.late"), late_text(report)),
             (t("report.col.approved"), signer_text(report, cfg))]
    if report.delay_reason:
        facts.append((t("report.reason", reason="").rstrip("：: "), report.delay_reason))
    lines += [f"- {k}：{v}" for k, v in facts if v]
    if rows:
        lines += ["", f"| {t('report.col.recipient')} | {t('report.col.means')} | {t('report.col.sent_at')} "
                      f"| {t('report.col.received_by')} |", "|---|---|---|---|"]
        lines += [f"| {s.recipient}{'（' + t('report.state.void') + '）' if s.voided_at else ''} | {s.means} "
                  f"| {hm(s.sent_at, cfg)} | {s.received_by} |" for s in rows]
    lines += ["", "```text", report.text, "```", ""]
    return "\n".join(lines)


def as_json(report: UrgentReport) -> str:
    return json.dumps(as_dict(report), ensure_ascii=False, indent=2) + "\n"


def render(report: UrgentReport, fmt: str, cfg) -> str:
    if fmt == "md":
        return as_markdown(report, cfg)
    if fmt == "json":
        return as_json(report)
    return as_text(report)


def summaries(item_ids: list[int], cfg) -> dict[int, list[dict[str, Any]]]:
    """The live reports of many items as plain data (for the sheet and JSON)."""
    out: dict[int, list[dict[str, Any]]] = {}
    if not item_ids:
        return out
    rows = (UrgentReport.select().where(UrgentReport.item.in_(item_ids) & UrgentReport.voided_at.is_null())
            .order_by(UrgentReport.id))
    for r in rows:
        out.setdefault(r.item, []).append({
            "id": r.id, "name": kind_name(r.kind, r.seq), "state": state_of(r), "line": report_line(r, cfg),
            "due_at": hm(r.due_at, cfg), "sent_at": hm(r.sent_at, cfg), "late_minutes": r.late_minutes,
            "delay_reason": r.delay_reason, "approved_by": r.approved_name or "",
            "approval_means": r.approval_means or ""})
    return out
