"""The handover sheet rendered: Markdown, plain text for A4 paper, or JSON.
Only the sheet's data is read; nothing here touches the store."""

from __future__ import annotations

import json
from datetime import date, datetime

from rich.cells import cell_len

from duty_desk.core import kinds
from duty_desk.core.handover.sheet import (
    WIDTH,
    CarriedItem,
    Sheet,
    TimelineLine,
    UrgentLine,
)
from duty_desk.core.i18n import t
from duty_desk.core.rules import NO_LINE_END, NO_LINE_START, event_label, field_label

# --- rendering: shared pieces ------------------------------------------------


def short_time(dt: datetime | None) -> str:
    return dt.strftime("%m-%d %H:%M") if dt else ""


def full_time(dt: datetime | None) -> str:
    return dt.strftime("%Y-%m-%d %H:%M") if dt else ""


def _day(d: date) -> str:
    weekdays = t("handover.weekdays").split()
    return t("handover.date", date=d.isoformat(), weekday=weekdays[d.weekday()] if len(weekdays) == 7 else "")










def kind_label(kind: str, detail: str = "") -> str:
    """What a carried item is: 来电待回复, 交办待落实, 来访在场, 密件保管 …"""
    from duty_desk.core.openitems import kind_label as open_kind_label

    return t("handover.kind.custody") if kind == "custody" else open_kind_label(kind, detail)


def due_text(item: CarriedItem) -> str:
    return ("!" if item.overdue else "") + short_time(item.due_at)


def readback_mark(item: CarriedItem) -> str:
    if item.readback is None:
        return ""
    return t("handover.readback.confirmed") if item.readback == item.next_action else t("handover.readback.restated")


def _in_order(counts: dict[str, int], order: tuple[str, ...]) -> list[tuple[str, int]]:
    """A frozen sheet comes back from JSON with its keys sorted: show them in
    the office's order again."""
    return sorted(counts.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0]))


def counts_line(sheet: Sheet) -> list[str]:
    from duty_desk.core.services.log import CATEGORIES

    # Log lines by category, only those that occur: 来访 and 来文 as log
    # categories (a note about a visit) would otherwise sit at 0 right above
    # the registers' own counts of visitors and documents.
    logs = "  ".join(f"{cat} {n}" for cat, n in _in_order(sheet.log_counts, CATEGORIES) if n)
    records = "  ".join(t(f"handover.count.{k}", n=n)
                        for k, n in _in_order(sheet.record_counts, tuple(k.name for k in kinds.REGISTRY.values() if k.counted_on_sheet)))
    return [f"{t('handover.count.log')}：{logs or t('handover.count.none')}",
            f"{t('handover.count.registers')}：{records}"]


def zero_text(sheet: Sheet) -> str:
    if sheet.zero_report:
        return t("handover.zero.made")
    return t("handover.zero.not_needed") if sheet.day_has_items else t("handover.zero.missing")


def header_fields(sheet: Sheet) -> list[tuple[str, str]]:
    period = t("handover.shift_period", name=sheet.shift_name, start=short_time(sheet.starts_at), end=short_time(sheet.ends_at))
    incoming = (t("handover.incoming_at", name=sheet.incoming, at=full_time(sheet.accepted_at))
                if sheet.incoming else t("handover.awaiting"))
    rows = [
        (t("handover.field.duty_date"), _day(sheet.duty_date)),
        (t("handover.field.shift"), period),
        (t("handover.field.outgoing"), "、".join(
            t("handover.extra_officer", name=n) if n in sheet.extra_officers else n for n in sheet.outgoing) or "—"),
        (t("handover.field.leaders"), "、".join(sheet.leaders) or "—"),
        (t("handover.field.incoming"), incoming),
        (t("handover.field.handed_over_at"),
         f"{full_time(sheet.handed_over_at)} {sheet.handed_over_by}".strip() if sheet.handed_over_at else "—"),
        (t("handover.field.state"), t("handover.state_line", state=t(f"state.shift.{sheet.state}"), id=sheet.shift_id)
         if sheet.shift_id is not None else t(f"state.shift.{sheet.state}")),
    ]
    # After the seven above, whose places the desk's sheet picks by number.
    if sheet.rostered:
        rows.append((t("handover.field.rostered"), "、".join(sheet.rostered)))
    if sheet.expected_incoming:
        rows.append((t("handover.field.expected_incoming"), "、".join(sheet.expected_incoming)))
    return rows


def urgent_facts(u: UrgentLine) -> list[str]:
    facts = [t("handover.urgent.head", level=t(f"level.{u.level}"), type=u.event_type,
               state=t(f"state.urgent.{u.state}"))]
    facts.append(t("handover.urgent.received", at=short_time(u.received_at), source=u.source or "—"))
    if u.place:
        facts.append(f"{t('handover.urgent.place')}：{u.place}")
    facts.append(t("handover.urgent.people", first=u.first_responder, owner=u.owner))
    if u.state == "closed":
        facts.append(t("handover.urgent.closed", at=short_time(u.closed_at)))
    elif u.next_due_at:
        facts.append(t("handover.urgent.next_due", kind=t(f"due.{u.next_due_kind}"), at=short_time(u.next_due_at))
                     + (t("handover.urgent.overdue") if u.overdue else ""))
    if u.casualties:
        facts.append(f"{t('handover.urgent.casualties')}：{u.casualties}")
    if u.measures:
        facts.append(f"{t('handover.urgent.measures')}：{u.measures}")
    facts += [f"{t('handover.urgent.report')}：{report_text(r)}" for r in u.reports]
    return facts


def report_text(r) -> str:
    """A report upward on the sheet: 续报二 已发出 14:05 · 签发 王军 13:58（电话签发）·
    迟报25分钟（迟报原因：…）· 发送 省政府总值班室（专网）…"""
    from duty_desk.core.reports.service import kind_name

    parts = [kind_name(r.kind, r.seq) + " " + t(f"report.state.{r.state}")
             + (f" {short_time(r.sent_at)}" if r.sent_at else "")]
    if r.approved_by:
        signed = t("report.signed", name=r.approved_by, at=short_time(r.approved_at) if r.approved_at else "")
        if r.approval_means == "phone":
            signed += "（" + t("report.approval.phone", by=r.approval_recorded_by) + "）"
        parts.append(signed.strip())
    if r.sent_at is not None:
        if r.late_minutes:
            parts.append(t("report.late", minutes=r.late_minutes)
                         + (f"（{t('report.reason', reason=r.delay_reason)}）" if r.delay_reason else ""))
        elif r.late_minutes == 0:
            parts.append(t("report.on_time"))
    elif r.due_at is not None:
        parts.append(f"{t('report.col.due_at')} {short_time(r.due_at)}")
    if r.recipients:
        parts.append(t("report.sent_to", list=r.recipients))
    return " · ".join(parts)


def event_text(e: TimelineLine) -> str:
    """The means (phone, fax, system) leads the text; a voided event says so first."""
    return ((t("handover.voided") if e.voided else "") + (f"〔{e.means}〕" if e.means else "") + e.text)


# --- plain text for paper ----------------------------------------------------



def _tokens(text: str) -> list[str]:
    """Break opportunities: each wide character alone, Latin words whole."""
    out: list[str] = []
    word = ""
    for ch in text:
        if ch == " ":
            if word:
                out.append(word)
                word = ""
            out.append(" ")
        elif cell_len(ch) == 2:
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        else:
            word += ch
    if word:
        out.append(word)
    return out


def wrap_cells(text: str, width: int) -> list[str]:
    """Wrap to ``width`` terminal cells (a Chinese character takes two),
    keeping closing punctuation off the start of a line."""
    lines: list[str] = []
    for paragraph in (text or "").split("\n"):
        line, used = "", 0
        for tok in _tokens(paragraph):
            size = cell_len(tok)
            if tok == " " and not line:
                continue
            if used + size <= width:
                line, used = line + tok, used + size
                continue
            if size > width:  # a word longer than the line: cut it
                for ch in tok:
                    c = cell_len(ch)
                    if used + c > width:
                        lines.append(line.rstrip())
                        line, used = "", 0
                    line, used = line + ch, used + c
                continue
            carry = ""
            if tok in NO_LINE_START and len(line) > 1:
                carry, line = line[-1], line[:-1]
            while line and line[-1] in NO_LINE_END and len(line) > 1:
                carry, line = line[-1] + carry, line[:-1]
            lines.append(line.rstrip())
            line = (carry + tok).lstrip(" ")
            used = cell_len(line)
        lines.append(line.rstrip())
    return lines or [""]


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_len(text))


def center(text: str, width: int = WIDTH) -> str:
    return " " * max(0, (width - cell_len(text)) // 2) + text


def text_table(columns: list[tuple[str, int]], rows: list[list[str] | str], indent: int = 2) -> list[str]:
    """A table of fixed column widths (in cells), each cell wrapped inside its
    column. A row given as a plain string is a note under the previous row."""
    lead = " " * indent
    out = [lead + " ".join(pad(h, w) for h, w in columns).rstrip(),
           lead + " ".join("-" * w for _, w in columns)]
    note_indent = indent + columns[0][1] + 1
    for row in rows:
        if isinstance(row, str):
            out += [" " * note_indent + ln for ln in wrap_cells(row, WIDTH - note_indent)]
            continue
        cells = [wrap_cells(v, w) for v, (_, w) in zip(row, columns, strict=True)]
        for i in range(max(len(c) for c in cells)):
            parts = [pad(c[i] if i < len(c) else "", w) for c, (_, w) in zip(cells, columns, strict=True)]
            out.append((lead + " ".join(parts)).rstrip())
    return out


def _field_lines(label: str, value: str, label_width: int = 12, indent: int = 0) -> list[str]:
    lead = " " * indent + pad(label, label_width)
    body = wrap_cells(value, WIDTH - cell_len(lead))
    return [lead + body[0]] + [" " * cell_len(lead) + ln for ln in body[1:]]


def _para(text: str, indent: int) -> list[str]:
    return [" " * indent + ln for ln in wrap_cells(text, WIDTH - indent)]


def render_text(sheet: Sheet) -> str:
    """Plain text for printing on A4 in a monospaced font: at most 80 cells a
    line, Chinese columns aligned."""
    out: list[str] = [center(sheet.office), center(t("handover.title"))]
    if sheet.state == "open":
        out.append(center(t("handover.preview")))
    out.append("=" * WIDTH)
    for label, value in header_fields(sheet):
        out += _field_lines(label, value)
    out.append("-" * WIDTH)

    out += ["", t("handover.sec.counts")]
    for line in counts_line(sheet):
        out += _para(line, 2)
    out += _field_lines(t("handover.field.zero_report"), zero_text(sheet), indent=2)

    out += ["", t("handover.sec.urgent", n=len(sheet.urgent))]
    if not sheet.urgent:
        out.append("  " + t("handover.none"))
    for n, u in enumerate(sheet.urgent, 1):
        out += _para(f"{n}. {u.title}", 2)
        for fact in urgent_facts(u):
            out += _para(fact, 5)
        if u.timeline:
            cols = [(t("handover.col.at"), 11), (t("handover.col.event"), 8), (t("handover.col.by"), 8),
                    (t("handover.col.party"), 16), (t("handover.col.text"), 28)]
            rows: list[list[str] | str] = [
                [short_time(e.at), event_label(e.kind, e.seq), e.by, e.party, event_text(e)] for e in u.timeline]
            out += text_table(cols, rows, indent=5)

    out += ["", t("handover.sec.carried", n=len(sheet.carried))]
    if not sheet.carried:
        out.append("  " + t("handover.none"))
    else:
        cols = [(t("handover.col.no"), 4), (t("handover.col.kind"), 10), (t("handover.col.item"), 20),
                (t("handover.col.owner"), 8), (t("handover.col.due"), 12), (t("handover.col.next"), 14),
                (t("handover.col.readback"), 4)]
        rows = []
        for n, c in enumerate(sheet.carried, 1):
            rows.append([str(n), kind_label(c.kind, c.detail), c.title, c.owner_name, due_text(c),
                         c.next_action, readback_mark(c)])
            if c.chases:
                rows.append(c.chases)
            if c.readback is not None and c.readback != c.next_action:
                rows.append(t("handover.readback.line", text=c.readback, by=c.read_back_by))
        out += text_table(cols, rows)
        if any(c.overdue for c in sheet.carried):
            out += _para(t("handover.overdue_legend"), 2)

    out += ["", t("handover.sec.custody", n=len(sheet.custody))]
    if not sheet.custody:
        out.append("  " + t("handover.none"))
    else:
        cols = [(t("handover.col.serial"), 10), (t("handover.col.classification"), 4),
                (t("handover.col.copy"), 9), (t("handover.col.sender"), 12), (t("handover.col.doc_number"), 18),
                (t("handover.col.custody"), 12), (t("handover.col.state"), 6)]
        out += text_table(cols, [[d.serial, d.classification, f"{d.copy_number}/{d.copies}", d.sender,
                                  d.doc_number, d.custody, t(f"state.document.{d.state}")] for d in sheet.custody])

    out += ["", t("handover.sec.amendments", n=len(sheet.amendments))]
    if not sheet.amendments:
        out.append("  " + t("handover.none"))
    for n, a in enumerate(sheet.amendments, 1):
        out += _para(f"{n}. " + t("handover.amendment.line", kind=t(f"kind.{a.kind}"), id=a.record_id,
                                  amends=a.amends, by=a.by, at=short_time(a.at)), 2)
        if a.reason:
            out += _para(t("handover.amendment.reason", reason=a.reason), 5)
        for fname, old, new in a.changes:
            out += _para(t("handover.amendment.change", field=field_label(fname, where="sheet"), old=old or "—", new=new or "—"), 5)

    out += ["", t("handover.sec.notes")]
    out += _para(sheet.notes, 2) if sheet.notes else ["  " + t("handover.none")]

    out += ["", "-" * WIDTH]
    out += _field_lines(t("handover.audit"), t("handover.audit.line", short=sheet.audit_short, count=sheet.audit_count))
    out += _field_lines(t("handover.audit.head"), sheet.audit_head)
    out += _field_lines(t("handover.printed_at"), full_time(sheet.built_at))
    out.append("")
    blank = "_" * 14
    out.append(f"{pad(t('handover.sign.outgoing') + '：' + blank, 40)}{t('handover.sign.incoming')}：{blank}")
    out.append(f"{t('handover.sign.leader')}：{blank}")
    return "\n".join(out) + "\n"


# --- Markdown ----------------------------------------------------------------

_MD_SPECIAL = set("\\`*_[]<>|#")


def md_escape(text: str) -> str:
    """User text shown literally in Markdown: no links, emphasis or table breaks."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in (text or "")).replace("\n", "<br>")


def _md_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(md_escape(c) for c in r) + " |" for r in rows]
    return out


def render_markdown(sheet: Sheet) -> str:
    out = [f"# {md_escape(sheet.office)} {t('handover.title')}", ""]
    if sheet.state == "open":
        out += [f"*{t('handover.preview')}*", ""]
    out += [f"- **{label}**：{md_escape(value)}" for label, value in header_fields(sheet)]

    out += ["", f"## {t('handover.sec.counts')}", ""]
    out += [f"- {md_escape(line)}" for line in counts_line(sheet)]
    out.append(f"- {t('handover.field.zero_report')}：{zero_text(sheet)}")

    out += ["", f"## {t('handover.sec.urgent', n=len(sheet.urgent))}", ""]
    if not sheet.urgent:
        out.append(t("handover.none"))
    for n, u in enumerate(sheet.urgent, 1):
        out += ([""] if n > 1 else []) + [f"### {n}. {md_escape(u.title)}", ""]
        out += [f"- {md_escape(f)}" for f in urgent_facts(u)]
        if u.timeline:
            out.append("")
            out += _md_table(
                [t("handover.col.at"), t("handover.col.event"), t("handover.col.by"), t("handover.col.party"),
                 t("handover.col.text")],
                [[short_time(e.at), event_label(e.kind, e.seq), e.by, e.party, event_text(e)] for e in u.timeline])

    out += ["", f"## {t('handover.sec.carried', n=len(sheet.carried))}", ""]
    if not sheet.carried:
        out.append(t("handover.none"))
    else:
        rows = []
        for n, c in enumerate(sheet.carried, 1):
            readback = readback_mark(c)
            if c.readback is not None and c.readback != c.next_action:
                readback += "：" + c.readback
            title = f"{c.title}\n{c.chases}" if c.chases else c.title
            rows.append([str(n), kind_label(c.kind, c.detail), title, c.owner_name, due_text(c),
                         c.next_action, readback])
        out += _md_table([t("handover.col.no"), t("handover.col.kind"), t("handover.col.item"),
                          t("handover.col.owner"), t("handover.col.due"), t("handover.col.next"),
                          t("handover.col.readback")], rows)
        if any(c.overdue for c in sheet.carried):
            out += ["", md_escape(t("handover.overdue_legend"))]

    out += ["", f"## {t('handover.sec.custody', n=len(sheet.custody))}", ""]
    if not sheet.custody:
        out.append(t("handover.none"))
    else:
        out += _md_table([t("handover.col.serial"), t("handover.col.classification"), t("handover.col.copy"),
                          t("handover.col.sender"), t("handover.col.doc_number"), t("handover.col.custody"),
                          t("handover.col.state")],
                         [[d.serial, d.classification, f"{d.copy_number}/{d.copies}", d.sender, d.doc_number,
                           d.custody, t(f"state.document.{d.state}")] for d in sheet.custody])

    out += ["", f"## {t('handover.sec.amendments', n=len(sheet.amendments))}", ""]
    if not sheet.amendments:
        out.append(t("handover.none"))
    for n, a in enumerate(sheet.amendments, 1):
        out.append(f"{n}. " + md_escape(t("handover.amendment.line", kind=t(f"kind.{a.kind}"), id=a.record_id,
                                          amends=a.amends, by=a.by, at=short_time(a.at))))
        if a.reason:
            out.append("   - " + md_escape(t("handover.amendment.reason", reason=a.reason)))
        for fname, old, new in a.changes:
            out.append("   - " + md_escape(t("handover.amendment.change", field=field_label(fname, where="sheet"),
                                             old=old or "—", new=new or "—")))

    out += ["", f"## {t('handover.sec.notes')}", ""]
    if sheet.notes:
        out += "\n\n".join(md_escape(line) for line in sheet.notes.split("\n") if line.strip()).split("\n")
    else:
        out.append(t("handover.none"))

    out += ["", "---", ""]
    out.append(f"- **{t('handover.audit')}**："
               + t("handover.audit.line", short=f"`{sheet.audit_short}`", count=sheet.audit_count))
    out.append(f"- **{t('handover.audit.head')}**：`{sheet.audit_head}`")
    out.append(f"- **{t('handover.printed_at')}**：{full_time(sheet.built_at)}")
    return "\n".join(out) + "\n"


def render_json(sheet: Sheet) -> str:
    return json.dumps(sheet.to_dict(), ensure_ascii=False, indent=2) + "\n"


RENDERERS = {"md": render_markdown, "txt": render_text, "json": render_json}
