"""A month's roster as text: plain text that fits A4 in 80 cells (as the
handover sheet does), Markdown, and plain data for JSON. Reads only the
MonthRoster it is given."""

from __future__ import annotations

from typing import Any

from duty_desk.core.handover.render import center, md_escape, text_table, wrap_cells
from duty_desk.core.handover.sheet import WIDTH
from duty_desk.core.i18n import t
from duty_desk.core.roster.calendar import DayMark, holiday_label
from duty_desk.core.roster.view import MonthRoster, RosterDay, SlotDuty


def day_kind(m: DayMark) -> str:
    """What kind of day it is, in words: 国庆节 / 补班（国庆节） / 休 / (nothing)."""
    name = holiday_label(m)
    if m.statutory:
        out = name or t("roster.mark.holiday")
    elif m.makeup:
        out = t("roster.mark.makeup", name=name) if name else t("roster.mark.makeup_plain")
    elif m.rest:
        out = t("roster.mark.weekend")
    else:
        out = ""
    extras = []
    if m.eve:
        extras.append(t("roster.mark.eve"))
    extras += list(m.periods)
    if not m.known:
        extras.append(t("roster.mark.unknown"))
    return " ".join(x for x in (out, *extras) if x)


def weekday(m: DayMark) -> str:
    return t(f"tui.weekday.{m.day.weekday()}")


def _names(roster: MonthRoster, logins: tuple[str, ...]) -> str:
    return "、".join(roster.name(x) for x in logins)


def slot_marks(s: SlotDuty) -> str:
    marks = []
    if s.swapped:
        marks.append(t("roster.mark.swapped"))
    if s.amended:
        marks.append(t("roster.mark.amended"))
    return "".join(marks)


def gaps(day: RosterDay, s: SlotDuty, cfg_officers: int) -> list[str]:
    """What a slot lacks: officers, and (on its first slot) the day's leaders."""
    out = []
    if len(s.officers) < cfg_officers:
        out.append(t("roster.gap.officers", n=cfg_officers - len(s.officers)))
    if s.slot == 0 and len(day.leaders) < day.mark.leaders_needed:
        out.append(t("roster.gap.leaders", n=day.mark.leaders_needed - len(day.leaders)))
    return out


def _rows(roster: MonthRoster, per_shift: int, with_shift: bool) -> list[list[str]]:
    rows = []
    for day in roster.days:
        m = day.mark
        for s in day.slots:
            first = s.slot == 0
            when = t("roster.day", md=f"{m.day.month:02d}-{m.day.day:02d}", weekday=weekday(m)) if first else ""
            note = " ".join(x for x in (slot_marks(s), *gaps(day, s, per_shift), s.note) if x)
            officers = _names(roster, s.officers)
            if s.standby:
                officers += t("roster.standby_suffix", names=_names(roster, s.standby))
            row = [when, day_kind(m) if first else ""]
            if with_shift:
                row.append(s.slot_name)
            row += [officers, _names(roster, s.leaders) if first or s.leaders != day.slots[0].leaders else "", note]
            rows.append(row)
    return rows


def _phones(roster: MonthRoster, role_logins: list[str]) -> str:
    out = []
    for login in role_logins:
        person = roster.people.get(login)
        if person is not None:
            out.append(f"{person.name} {person.phone or '—'}")
    return "  ".join(out)


def _who(roster: MonthRoster) -> tuple[list[str], list[str]]:
    officers: list[str] = []
    leaders: list[str] = []
    for day in roster.days:
        for s in day.slots:
            officers += [o for o in (*s.officers, *s.standby) if o not in officers]
            leaders += [lg for lg in s.leaders if lg not in leaders]
    return officers, leaders


def title(roster: MonthRoster) -> str:
    state = t(f"state.roster.{roster.state}")
    return t("roster.title", year=roster.first.year, month=roster.first.month, state=state)


def render_text(roster: MonthRoster, office: str, per_shift: int, shifts: int) -> str:
    with_shift = shifts > 1
    columns = [(t("roster.col.day"), 10), (t("roster.col.kind"), 14)]
    if with_shift:
        columns.append((t("roster.col.shift"), 6))
    rest = WIDTH - 2 - sum(w + 1 for _, w in columns)
    officers = 12 if with_shift else 14
    columns += [(t("roster.col.officers"), officers), (t("roster.col.leaders"), 20)]
    columns.append((t("roster.col.note"), rest - officers - 1 - 20 - 1))
    out = [center(office), center(title(roster)), "=" * WIDTH]
    out += text_table(columns, _rows(roster, per_shift, with_shift))
    out.append("-" * WIDTH)
    officers, leaders = _who(roster)
    for label, logins in ((t("roster.phones.leaders"), leaders), (t("roster.phones.officers"), officers)):
        if logins:
            out += ["  " + ln for ln in wrap_cells(f"{label}{_phones(roster, logins)}", WIDTH - 2)]
    out += ["  " + ln for ln in wrap_cells(t("roster.legend"), WIDTH - 2)]
    if roster.published_at is not None:
        out.append("  " + t("roster.published_line", name=roster.name(roster.published_by),
                                 at=roster.published_at.strftime("%Y-%m-%d")))
    return "\n".join(line.rstrip() for line in out) + "\n"


def render_markdown(roster: MonthRoster, office: str, per_shift: int, shifts: int) -> str:
    with_shift = shifts > 1
    headers = [t("roster.col.day"), t("roster.col.kind")]
    if with_shift:
        headers.append(t("roster.col.shift"))
    headers += [t("roster.col.officers"), t("roster.col.leaders"), t("roster.col.note")]
    out = [f"# {md_escape(office)}", "", f"## {md_escape(title(roster))}", "",
           "| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in _rows(roster, per_shift, with_shift):
        out.append("| " + " | ".join(md_escape(c) for c in row) + " |")
    officers, leaders = _who(roster)
    out.append("")
    for label, logins in ((t("roster.phones.leaders"), leaders), (t("roster.phones.officers"), officers)):
        if logins:
            out.append(f"- {md_escape(label + _phones(roster, logins))}")
    out.append(f"- {md_escape(t('roster.legend'))}")
    return "\n".join(out) + "\n"


def as_data(roster: MonthRoster, per_shift: int) -> list[dict[str, Any]]:
    """One record per slot, for scripts: codes and logins, and names beside them."""
    out = []
    for day in roster.days:
        m = day.mark
        for s in day.slots:
            out.append({
                "date": m.day.isoformat(), "slot": s.slot, "shift": s.slot_name, "month_state": roster.state,
                "rest": m.rest, "statutory_holiday": m.statutory, "makeup_workday": m.makeup,
                "holiday": holiday_label(m), "eve": m.eve, "periods": list(m.periods), "known": m.known,
                "leaders_needed": m.leaders_needed,
                "officers": list(s.officers), "officer_names": [roster.name(x) for x in s.officers],
                "leaders": list(s.leaders), "leader_names": [roster.name(x) for x in s.leaders],
                "leader_phones": [roster.people[x].phone if x in roster.people else "" for x in s.leaders],
                "standby": list(s.standby), "note": s.note, "swapped": s.swapped, "amended": s.amended,
                "entry_id": s.entry_id, "gaps": gaps(day, s, per_shift),
            })
    return out
