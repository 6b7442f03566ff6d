"""Records of the day: ``log``, ``show``, ``demo``, ``shift``, ``void`` and
``history``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from duty_desk.cli.common import (
    _fill_demo,
    database_url,
    open_for,
    open_reader,
    parse_date,
    print_json_lines,
    print_rows,
    print_table,
)
from duty_desk.cli.exit_codes import OK as EXIT_OK
from duty_desk.cli.exit_codes import REFUSED as EXIT_REFUSED
from duty_desk.core import kinds
from duty_desk.core.config import Config
from duty_desk.core.i18n import t
from duty_desk.core.models import KINDS as AUDITED
from duty_desk.core.sanitize import shown

# `show WHAT`: a duty day's records of each kind that has a listing.
LISTINGS = {k.listing: k.name for k in kinds.REGISTRY.values() if k.listing}
# `void KIND`: every kind, and the parts of a record voided on their own.
VOIDABLE = tuple(name for k in kinds.REGISTRY.values() for name in (k.name, *k.parts))


def of_day() -> dict:
    """Each listed kind's records of one duty day (voided and amended included)."""
    from duty_desk.core.services import documents, log, urgent, visitors

    return {"log": log.entries_of_day, "visitor": visitors.visitors_of_day,
            "document": documents.documents_of_day, "urgent": urgent.urgent_of_day}


def register(sub: Any) -> None:
    s = sub.add_parser("log", help=t("cli.log.help"), description=t("cli.log.help"))
    s.add_argument("text", metavar="TEXT", help=t("cli.log.text"))
    s.add_argument("--at", metavar="HH:MM", help=t("cli.log.at"))
    s.add_argument("--category", "-c", help=t("cli.log.category"))
    s.add_argument("--needs-action", action="store_true", help=t("cli.log.needs_action"))

    s = sub.add_parser("show", help=t("cli.show.help"), description=t("cli.show.help"))
    s.add_argument("what", nargs="?", default="log", choices=(*LISTINGS, "open"),
                   help=t("cli.show.what"))
    s.add_argument("--date", metavar="YYYY-MM-DD", help=t("cli.show.date"))
    s.add_argument("--json", action="store_true", help=t("cli.show.json"))
    s.add_argument("--overdue", action="store_true", help=t("cli.show.overdue"))
    s.add_argument("--kind", action="append", metavar="KIND",
                   choices=kinds.typed_names(), help=t("cli.show.kind"))
    s.add_argument("--owner", metavar="LOGIN", help=t("cli.show.owner"))

    s = sub.add_parser("demo", help=t("cli.demo.help"), description=t("cli.demo.help"))

    s = sub.add_parser("shift", help=t("cli.shift.help"), description=t("cli.shift.help"))
    s.add_argument("--leader", action="append", metavar="NAME", help=t("cli.shift.leader"))

    s = sub.add_parser("void", help=t("cli.void.help"), description=t("cli.void.help"))
    s.add_argument("kind", choices=VOIDABLE, help=t("cli.void.kind"))
    s.add_argument("id", type=int, help=t("cli.arg.id"))
    s.add_argument("--reason", required=True, help=t("cli.void.reason"))

    s = sub.add_parser("history", help=t("cli.history.help"), description=t("cli.history.help"))
    s.add_argument("kind", choices=tuple(AUDITED), help=t("cli.history.kind"))
    s.add_argument("id", type=int, help=t("cli.arg.id"))
    s.add_argument("--json", action="store_true", help=t("cli.show.json"))

def cmd_demo(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core import db as store
    from duty_desk.core.opening import open_desk

    url = database_url(args, cfg)
    desk = open_desk(cfg, url, sync_officers_from_config=False)
    try:
        if not store.is_empty(desk.db):
            print(t("demo.not_empty", url=url), file=sys.stderr)
            return EXIT_REFUSED
        n = _fill_demo(desk)
        print(t("demo.done", count=n, url=url))
    finally:
        desk.close()
    return EXIT_OK

def cmd_log(args: argparse.Namespace, cfg: Config) -> int:
    """One line, read as the desk's entry line reads it (core.entryline):
    ``14:05 #来电 ! 区气象台来电…`` is a 来电 at 14:05 needing action. The
    options, when given, say the same things and win over the line's marks."""
    from duty_desk.core.entryline import parse_entry
    from duty_desk.core.errors import InvalidInput
    from duty_desk.core.present import record_dict
    from duty_desk.core.services import log

    desk = open_for(args, cfg)  # a writing command: the store is opened (or created) first, as always
    try:
        parsed = parse_entry(args.text)
        if parsed.form == "call":  # /电 holds a whole call: recorded as the call form would
            fields = dict(parsed.prefill)
            entry = log.record_call(desk, fields.pop("content", ""), occurred_at=args.at,
                                    needs_action=True if args.needs_action else None, **fields)
            print_table("log", [record_dict("log", entry, cfg)])
            return EXIT_OK
        if not parsed.is_log:  # /访 /文 /急 /零 /交 open a form in the desk
            raise InvalidInput("cli.log.form", field="content", command=args.text.strip().split()[0])
        needs = True if args.needs_action else parsed.needs_action
        entry = log.record_entry(desk, parsed.content, args.category or parsed.category,
                                 args.at or parsed.occurred_at, needs_action=needs)
        print_table("log", [record_dict("log", entry, cfg)])
    finally:
        desk.close()
    return EXIT_OK

def cmd_show(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.present import record_dicts

    day = parse_date(args.date, None) if args.date else None  # a typo is told before the store is looked for
    desk = open_reader(args, cfg)
    if args.what == "open" and not getattr(args, "demo", False):
        from duty_desk.cli.items import _check_opener
        from duty_desk.core.standing.service import needs_bringing

        if needs_bringing(desk):  # an officer who may write brings standing orders due first
            desk.close()
            desk = _check_opener(args, cfg)
    try:
        day = day or desk.today()
        if args.what == "open":
            return show_open(args, desk)
        kind = LISTINGS[args.what]
        records = record_dicts(kind, of_day()[kind](day), cfg)
        reports = _reports_of(records, cfg) if kind == "urgent" else {}
        if args.json:
            for r in records if kind == "urgent" else ():
                r["reports"] = reports.get(r["id"], [])
            print_json_lines(records)
        else:
            print(t("cli.show.title", what=t(f"kind.{kind}"), day=day.isoformat()))
            print_table(kind, records)
            for record_id, lines in reports.items():
                for line in lines:
                    print(shown(t("cli.show.report_line", id=record_id, line=line["line"])))
    finally:
        desk.close()
    return EXIT_OK

def _reports_of(records: list[dict[str, Any]], cfg: Config) -> dict[int, list[dict[str, Any]]]:
    """The reports upward of the urgent items listed (their sign-off, due and
    sending times, lateness and its reason, recipients)."""
    from duty_desk.core.reports.view import summaries

    return summaries([r["id"] for r in records], cfg)


def show_open(args: argparse.Namespace, desk) -> int:
    from duty_desk.core import openitems
    from duty_desk.core.desk import officer_names
    from duty_desk.core.standing.service import bring_quietly

    bring_quietly(desk)  # nothing on a read-only store
    items = openitems.list_open(desk, kinds=args.kind, owner=args.owner, overdue_only=args.overdue)
    now = desk.now()
    names = officer_names()  # one query for every owner on the list
    rows = [i.as_dict(desk.cfg, now, names) for i in items]
    if args.json:
        print_json_lines(rows)
        return EXIT_OK
    print(t("cli.open.title", count=len(items), overdue=sum(i.overdue for i in items)))
    for r, item in zip(rows, items, strict=True):
        r["ref"] = openitems.record_ref(item.record_kind, item.id)
        r["flag"] = t("open.overdue") if r["overdue"] else ""
        r["chases"] = (t("open.chases", count=r["chase_count"], at=r["last_chase_at"], whom=r["last_chase_whom"])
                       if r["chase_count"] else "")
    columns = ("ref", "kind_label", "title", "owner_name", "received_at", "age", "due_at", "due_in", "flag",
               "next_action", "chases")
    print_rows(columns, [{k: ("" if r.get(k) is None else str(r[k])) for k in columns} for r in rows],
               {"ref": t("col.ref"), "kind_label": t("col.kind"), "title": t("col.title"),
                "owner_name": t("col.owner"), "received_at": t("col.open_received_at"), "age": t("col.age"),
                "due_at": t("col.due_at"), "due_in": t("col.due_in"), "flag": t("col.flag"),
                "next_action": t("col.next_action"), "chases": t("col.chases")})
    return EXIT_OK

def cmd_shift(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.desk import officer_name
    from duty_desk.core.dutytime import fmt_dt
    from duty_desk.core.services.common import start_shift

    desk = open_for(args, cfg)
    try:
        shift = start_shift(desk, args.leader)
        print(t("shift.line", day=shift.duty_date.isoformat(), name=shift.name,
                start=fmt_dt(shift.starts_at, cfg), end=fmt_dt(shift.ends_at, cfg),
                officers="、".join(officer_name(o) for o in shift.officers),
                leaders="、".join(shift.leaders) or "—", state=t(f"state.shift.{shift.state}")))
        needed = leaders_required(shift.duty_date, cfg)
        if len(shift.leaders) < needed:
            print(t("shift.leaders_short", day=shift.duty_date.isoformat(), needed=needed,
                    have=len(shift.leaders)), file=sys.stderr)
    finally:
        desk.close()
    return EXIT_OK

def leaders_required(day: date, cfg: Config) -> int:
    """双带班: from the roster's calendar (holidays by default, [roster]
    double_leader) and the dates duty.double_leader_dates lists."""
    from duty_desk.core.roster.calendar import leaders_required as required

    return required(day, cfg)

def cmd_void(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.present import record_dict
    from duty_desk.core.services.common import void_record

    desk = open_for(args, cfg)
    try:
        if args.kind == "document_step":
            from duty_desk.core.services.documents import void_step

            step = void_step(desk, args.id, args.reason)
            print(t("void.done", kind=t("kind.document_step"), id=step.id))
            return EXIT_OK
        if args.kind == "urgent_event":
            from duty_desk.core.services.urgent import void_event

            event = void_event(desk, args.id, args.reason)
            print(t("void.done", kind=t("kind.urgent_event"), id=event.id))
            return EXIT_OK
        row = void_record(desk, args.kind, args.id, args.reason)
        print(t("void.done", kind=t(f"kind.{args.kind}"), id=row.id))
        if args.kind in LISTINGS.values():
            print_table(args.kind, [record_dict(args.kind, row, cfg)])
    finally:
        desk.close()
    return EXIT_OK

def cmd_history(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core import audit
    from duty_desk.core.desk import officer_names
    from duty_desk.core.dutytime import fmt_dt
    from duty_desk.core.present import history_rows
    from duty_desk.core.services.common import get_record

    desk = open_reader(args, cfg)
    try:
        get_record(args.kind, args.id)
        events = audit.history(args.kind, args.id)
        if args.json:
            # For scripts: codes and the stored values, times local.
            names = officer_names()
            print_json_lines([{"id": e.id, "at": fmt_dt(e.at, cfg), "actor": e.actor,
                               "actor_name": names.get(e.actor, e.actor) if e.actor else "", "action": e.action, "outcome": e.outcome,
                               "old": e.old or "", "new": e.new or ""} for e in events])
        else:
            columns = ("id", "at", "actor", "action", "outcome", "change")
            print_rows(columns, history_rows(args.kind, events, cfg), {k: t(f"col.{k}") for k in columns})
    finally:
        desk.close()
    return EXIT_OK


RUNNERS = {"log": cmd_log, "show": cmd_show, "demo": cmd_demo, "shift": cmd_shift, "void": cmd_void,
           "history": cmd_history}
