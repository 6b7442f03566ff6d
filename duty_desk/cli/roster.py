"""``duty-desk roster …``: the duty roster (排班) — show a month, plan and
publish it, change a day, swaps and cover, leave; files (import, export,
iCalendar) come from ``cli.roster_files``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from duty_desk.cli.common import open_for, open_reader, print_json_lines, print_rows
from duty_desk.cli.exit_codes import OK as EXIT_OK
from duty_desk.core.config import Config
from duty_desk.core.i18n import t


def register(sub: Any) -> None:
    from duty_desk.cli import roster_files
    from duty_desk.cli.parser import Parser

    top = sub.add_parser("roster", help=t("cli.roster.help"), description=t("cli.roster.help"))
    rsub = top.add_subparsers(dest="roster_command", metavar="ACTION", parser_class=Parser,
                              title=t("cli.argparse.commands"))
    rsub.required = True

    s = rsub.add_parser("show", help=t("cli.roster.show"), description=t("cli.roster.show"))
    s.add_argument("month", nargs="?", metavar="YYYY-MM", help=t("cli.roster.month_opt"))
    s.add_argument("--format", choices=("txt", "md", "csv"), default="txt", help=t("cli.roster.format"))
    s.add_argument("--json", action="store_true", help=t("cli.show.json"))
    s.set_defaults(roster_run=cmd_show)

    s = rsub.add_parser("plan", help=t("cli.roster.plan"), description=t("cli.roster.plan"))
    s.add_argument("month", metavar="YYYY-MM", help=t("cli.roster.month"))
    s.set_defaults(roster_run=cmd_plan)

    s = rsub.add_parser("publish", help=t("cli.roster.publish"), description=t("cli.roster.publish"))
    s.add_argument("month", metavar="YYYY-MM", help=t("cli.roster.month"))
    s.set_defaults(roster_run=cmd_publish)

    s = rsub.add_parser("set", help=t("cli.roster.set"), description=t("cli.roster.set"))
    s.add_argument("date", metavar="YYYY-MM-DD", help=t("cli.roster.date"))
    _shift_option(s)
    s.add_argument("--officer", action="append", metavar="WHO", help=t("cli.roster.officer"))
    s.add_argument("--leader", action="append", metavar="WHO", help=t("cli.roster.leader"))
    s.add_argument("--standby", action="append", metavar="WHO", help=t("cli.roster.standby"))
    s.add_argument("--note", help=t("cli.roster.note"))
    s.add_argument("--reason", default="", help=t("cli.roster.reason_change"))
    s.set_defaults(roster_run=cmd_set)

    s = rsub.add_parser("swap", help=t("cli.roster.swap"), description=t("cli.roster.swap"))
    s.add_argument("date", metavar="YYYY-MM-DD", help=t("cli.roster.swap_date"))
    _shift_option(s)
    s.add_argument("--with", dest="with_login", required=True, metavar="WHO", help=t("cli.roster.with"))
    s.add_argument("--back", metavar="YYYY-MM-DD", help=t("cli.roster.back"))
    s.add_argument("--back-shift", default="0", metavar="SHIFT", help=t("cli.roster.shift"))
    s.add_argument("--reason", required=True, help=t("cli.roster.reason"))
    s.set_defaults(roster_run=cmd_swap)

    s = rsub.add_parser("swaps", help=t("cli.roster.swaps"), description=t("cli.roster.swaps"))
    s.add_argument("--all", action="store_true", help=t("cli.roster.swaps_all"))
    s.add_argument("--json", action="store_true", help=t("cli.show.json"))
    s.set_defaults(roster_run=cmd_swaps)

    for name, needs_reason in (("accept", False), ("approve", False), ("refuse", True), ("withdraw", False)):
        s = rsub.add_parser(name, help=t(f"cli.roster.{name}"), description=t(f"cli.roster.{name}"))
        s.add_argument("id", type=int, help=t("cli.arg.id"))
        if name == "approve":
            s.add_argument("--note", default="", help=t("cli.roster.note"))
        if needs_reason:
            s.add_argument("--reason", required=True, help=t("cli.roster.reason"))
        s.set_defaults(roster_run=cmd_decide, decision=name)

    s = rsub.add_parser("cover", help=t("cli.roster.cover"), description=t("cli.roster.cover"))
    s.add_argument("date", metavar="YYYY-MM-DD", help=t("cli.roster.date"))
    _shift_option(s)
    s.add_argument("--absent", required=True, metavar="WHO", help=t("cli.roster.absent"))
    s.add_argument("--with", dest="with_login", required=True, metavar="WHO", help=t("cli.roster.with_cover"))
    s.add_argument("--reason", required=True, help=t("cli.roster.reason"))
    s.set_defaults(roster_run=cmd_cover)

    s = rsub.add_parser("leave", help=t("cli.roster.leave"), description=t("cli.roster.leave"))
    s.add_argument("who", metavar="WHO", help=t("cli.roster.leave_who"))
    s.add_argument("first", metavar="FROM", help=t("cli.roster.leave_from"))
    s.add_argument("last", nargs="?", metavar="TO", help=t("cli.roster.leave_to"))
    s.add_argument("--reason", required=True, help=t("cli.roster.reason"))
    s.set_defaults(roster_run=cmd_leave)

    s = rsub.add_parser("leaves", help=t("cli.roster.leaves"), description=t("cli.roster.leaves"))
    s.add_argument("month", nargs="?", metavar="YYYY-MM", help=t("cli.roster.month_opt"))
    s.add_argument("--json", action="store_true", help=t("cli.show.json"))
    s.set_defaults(roster_run=cmd_leaves)

    s = rsub.add_parser("void-leave", help=t("cli.roster.void_leave"), description=t("cli.roster.void_leave"))
    s.add_argument("id", type=int, help=t("cli.arg.id"))
    s.add_argument("--reason", required=True, help=t("cli.void.reason"))
    s.set_defaults(roster_run=cmd_void_leave)

    s = rsub.add_parser("void", help=t("cli.roster.void"), description=t("cli.roster.void"))
    s.add_argument("id", type=int, help=t("cli.arg.id"))
    s.add_argument("--reason", required=True, help=t("cli.void.reason"))
    s.set_defaults(roster_run=cmd_void)

    roster_files.register(rsub)


def _shift_option(s: argparse.ArgumentParser) -> None:
    s.add_argument("--shift", default="0", metavar="SHIFT", help=t("cli.roster.shift"))


def shift_index(text: str, cfg: Config) -> int:
    """A shift by its number (from 0) or its name."""
    from duty_desk.core.errors import InvalidInput

    value = (text or "0").strip()
    for i, spec in enumerate(cfg.shifts):
        if value == spec.name:
            return i
    if value.isdigit() and int(value) < len(cfg.shifts):
        return int(value)
    raise InvalidInput("roster.bad_slot", field="slot", slot=value, count=len(cfg.shifts))


def _day(text: str) -> date:
    from duty_desk.core.errors import InvalidInput

    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise InvalidInput("time.date_format", text=text) from None


def _month_arg(text: str | None, desk) -> str:
    from duty_desk.core.roster.view import month_key, parse_month

    return month_key(parse_month(text)[0]) if text else month_key(desk.today())


def cmd_show(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.roster import render
    from duty_desk.core.roster.view import month_roster

    desk = open_reader(args, cfg)
    try:
        roster = month_roster(_month_arg(args.month, desk), cfg)
        per_shift = cfg.roster.officers_per_shift
        if args.json:
            print_json_lines(render.as_data(roster, per_shift))
        elif args.format == "md":
            sys.stdout.write(render.render_markdown(roster, cfg.office_name, per_shift, len(cfg.shifts)))
        elif args.format == "csv":
            from duty_desk.core.roster.files import month_csv

            sys.stdout.write(month_csv(roster, cfg))
        else:
            sys.stdout.write(render.render_text(roster, cfg.office_name, per_shift, len(cfg.shifts)))
        if not roster.state:
            print(t("roster.none_yet", month=roster.month), file=sys.stderr)
    finally:
        desk.close()
    return EXIT_OK


def cmd_plan(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.roster import render
    from duty_desk.core.roster.calendar import unknown_days
    from duty_desk.core.roster.service import plan_month
    from duty_desk.core.roster.view import month_roster, parse_month

    desk = open_for(args, cfg)
    try:
        first, last = parse_month(args.month)
        unknown = [d for d in unknown_days(first, cfg, (last - first).days + 1)]
        outcome = plan_month(desk, args.month)
        print(t("roster.planned_again" if outcome.replaced else "roster.planned", month=outcome.month))
        if unknown:
            print(t("roster.unknown_year", year=first.year), file=sys.stderr)
        for day, slot, what, n in outcome.plan.gaps:
            print(t(f"roster.plan_gap.{what}", day=day.isoformat(), shift=cfg.shifts[slot].name, n=n),
                  file=sys.stderr)
        sys.stdout.write(render.render_text(month_roster(outcome.month, cfg), cfg.office_name,
                                            cfg.roster.officers_per_shift, len(cfg.shifts)))
        print(t("roster.publish_hint", month=outcome.month), file=sys.stderr)
    finally:
        desk.close()
    return EXIT_OK


def cmd_publish(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.roster.service import publish_month

    desk = open_for(args, cfg)
    try:
        row = publish_month(desk, args.month)
        print(t("roster.published", month=row.month))
    finally:
        desk.close()
    return EXIT_OK


def _slot_line(day: date, slot: int, cfg: Config) -> str:
    from duty_desk.core.roster.view import duty_of, people

    duty = duty_of(day, slot, cfg)
    everyone = people()
    def names(xs):
        return "、".join(everyone[x].name if x in everyone else x for x in xs) or "—"
    return t("roster.slot_line", day=day.isoformat(), shift=duty.slot_name, officers=names(duty.officers),
             leaders=names(duty.leaders), standby=names(duty.standby))


def cmd_set(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.roster.service import set_duty

    desk = open_for(args, cfg)
    try:
        day, slot = _day(args.date), shift_index(args.shift, cfg)
        row = set_duty(desk, day, slot, officers=args.officer, leaders=args.leader, standby=args.standby,
                       note=args.note, reason=args.reason)
        if row is None:
            print(t("roster.unchanged"))
        print(_slot_line(day, slot, cfg))
    finally:
        desk.close()
    return EXIT_OK


def cmd_swap(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.roster.service import request_swap

    desk = open_for(args, cfg)
    try:
        back = _day(args.back) if args.back else None
        row = request_swap(desk, _day(args.date), shift_index(args.shift, cfg), args.with_login, args.reason,
                           back, shift_index(args.back_shift, cfg))
        print(t("roster.swap_asked", id=row.id, name=_name(row.to_login)))
    finally:
        desk.close()
    return EXIT_OK


def _name(login: str) -> str:
    from duty_desk.core.officer_names import officer_name

    return officer_name(login)


def swap_rows(swaps: list, cfg: Config) -> list[dict[str, str]]:
    from duty_desk.core.dutytime import fmt_dt

    rows = []
    for s in swaps:
        back = f"{s.back_date.isoformat()} {cfg.shifts[s.back_slot or 0].name}" if s.back_date else ""
        rows.append({"id": str(s.id), "kind": t(f"swap.kind.{s.kind}"),
                     "day": f"{s.duty_date.isoformat()} {cfg.shifts[s.slot].name if s.slot < len(cfg.shifts) else s.slot}",
                     "from": _name(s.from_login), "to": _name(s.to_login), "back": back,
                     "state": t(f"state.swap.{s.state}"), "reason": s.reason,
                     "asked": fmt_dt(s.requested_at, cfg), "decided_by": _name(s.decided_by or "")})
    return rows


def cmd_swaps(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.roster.view import swaps

    desk = open_reader(args, cfg)
    try:
        found = swaps(states=None if args.all else ("requested", "accepted"))
        if args.json:
            from duty_desk.core import audit

            print_json_lines([audit.snapshot(s) for s in found])
        else:
            columns = ("id", "kind", "day", "from", "to", "back", "state", "reason", "asked", "decided_by")
            print_rows(columns, swap_rows(found, cfg), {k: t(f"roster.swapcol.{k}") for k in columns})
    finally:
        desk.close()
    return EXIT_OK


def cmd_decide(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.roster import service

    desk = open_for(args, cfg)
    try:
        if args.decision == "accept":
            row = service.accept_swap(desk, args.id)
        elif args.decision == "approve":
            row = service.approve_swap(desk, args.id, args.note)
        elif args.decision == "refuse":
            row = service.refuse_swap(desk, args.id, args.reason)
        else:
            row = service.withdraw_swap(desk, args.id)
        print(t("roster.swap_state", id=row.id, state=t(f"state.swap.{row.state}")))
        if row.state == "approved":
            print(_slot_line(row.duty_date, row.slot, cfg))
            if row.back_date:
                print(_slot_line(row.back_date, row.back_slot or 0, cfg))
    finally:
        desk.close()
    return EXIT_OK


def cmd_cover(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.roster.service import cover

    desk = open_for(args, cfg)
    try:
        day, slot = _day(args.date), shift_index(args.shift, cfg)
        row = cover(desk, day, slot, args.absent, args.with_login, args.reason)
        print(t("roster.covered", id=row.id))
        print(_slot_line(day, slot, cfg))
    finally:
        desk.close()
    return EXIT_OK


def cmd_leave(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.roster.service import add_leave

    desk = open_for(args, cfg)
    try:
        first = _day(args.first)
        last = _day(args.last) if args.last else first
        row = add_leave(desk, args.who, first, last, args.reason)
        print(t("roster.leave_added", id=row.id, name=_name(row.login), first=row.starts_on.isoformat(),
                last=row.ends_on.isoformat()))
    finally:
        desk.close()
    return EXIT_OK


def cmd_leaves(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.roster.view import leaves_between, parse_month

    desk = open_reader(args, cfg)
    try:
        first, last = parse_month(_month_arg(args.month, desk))
        rows = leaves_between(first, last)
        if args.json:
            from duty_desk.core import audit

            print_json_lines([audit.snapshot(r) for r in rows])
        else:
            columns = ("id", "who", "from", "to", "reason")
            print_rows(columns, [{"id": str(r.id), "who": _name(r.login), "from": r.starts_on.isoformat(),
                                  "to": r.ends_on.isoformat(), "reason": r.reason} for r in rows],
                       {k: t(f"roster.leavecol.{k}") for k in columns})
    finally:
        desk.close()
    return EXIT_OK


def cmd_void_leave(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.roster.service import void_leave

    desk = open_for(args, cfg)
    try:
        row = void_leave(desk, args.id, args.reason)
        print(t("void.done", kind=t("kind.leave"), id=row.id))
    finally:
        desk.close()
    return EXIT_OK


def cmd_void(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.roster.service import void_entry

    desk = open_for(args, cfg)
    try:
        row = void_entry(desk, args.id, args.reason)
        print(t("void.done", kind=t("kind.roster"), id=row.id))
        print(_slot_line(row.duty_date, row.slot, cfg))
    finally:
        desk.close()
    return EXIT_OK


def cmd_roster(args: argparse.Namespace, cfg: Config) -> int:
    return args.roster_run(args, cfg)


RUNNERS = {"roster": cmd_roster}
