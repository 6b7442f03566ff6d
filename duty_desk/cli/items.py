"""Open items: ``check``, ``result``, ``chase``, ``transfer``, ``instruct``,
``answer`` and ``zero-report``. The core behind these is openitems and
services.{log,chasing,ownership,instructions,escalation}."""

from __future__ import annotations

import argparse
from typing import Any

from duty_desk.cli.common import database_url, open_for, open_reader, print_json_lines, with_desk
from duty_desk.cli.exit_codes import FOUND as EXIT_FOUND
from duty_desk.cli.exit_codes import OK as EXIT_OK
from duty_desk.core import kinds
from duty_desk.core.config import Config
from duty_desk.core.i18n import t

# The kinds each command takes, by any name a user may type (call or log), from the registry.
CHASE_KINDS = kinds.typed_names(where=lambda k: k.chaseable)
TRANSFER_KINDS = kinds.typed_names()
INSTRUCT_KINDS = kinds.typed_names(where=lambda k: k.instructable)


def register(sub: Any) -> None:
    s = sub.add_parser("check", help=t("cli.check.help"), description=t("cli.check.help"))
    s.add_argument("--json", action="store_true", help=t("cli.check.json"))

    s = sub.add_parser("result", help=t("cli.result.help"), description=t("cli.result.help"))
    s.add_argument("id", type=int, metavar="LOG_ID", help=t("cli.arg.log_id"))
    s.add_argument("text", metavar="TEXT", help=t("cli.result.text"))

    s = sub.add_parser("chase", help=t("cli.chase.help"), description=t("cli.chase.help"))
    s.add_argument("kind", choices=CHASE_KINDS, metavar="KIND", help=t("cli.arg.kind"))
    s.add_argument("id", type=int, metavar="ID", help=t("cli.arg.id"))
    s.add_argument("--whom", required=True, metavar="W", help=t("cli.chase.whom"))
    s.add_argument("--means", default="", metavar="M", help=t("cli.chase.means"))
    s.add_argument("--answer", default="", metavar="A", help=t("cli.chase.answer"))
    s.add_argument("--at", metavar="HH:MM", help=t("cli.chase.at"))

    s = sub.add_parser("transfer", help=t("cli.transfer.help"), description=t("cli.transfer.help"))
    s.add_argument("kind", choices=TRANSFER_KINDS, metavar="KIND", help=t("cli.arg.kind"))
    s.add_argument("id", type=int, metavar="ID", help=t("cli.arg.id"))
    s.add_argument("login", metavar="LOGIN", help=t("cli.transfer.login"))
    s.add_argument("--reason", required=True, metavar="R", help=t("cli.transfer.reason"))

    s = sub.add_parser("instruct", help=t("cli.instruct.help"), description=t("cli.instruct.help"))
    s.add_argument("kind", choices=INSTRUCT_KINDS, metavar="KIND", help=t("cli.arg.kind"))
    s.add_argument("id", type=int, metavar="ID", help=t("cli.arg.id"))
    s.add_argument("--leader", required=True, metavar="L", help=t("cli.instruct.leader"))
    s.add_argument("--text", required=True, metavar="T", help=t("cli.instruct.text"))
    s.add_argument("--assignee", default="", metavar="A", help=t("cli.instruct.assignee"))
    s.add_argument("--due", metavar="'YYYY-MM-DD HH:MM'", help=t("cli.instruct.due"))
    s.add_argument("--at", metavar="HH:MM", help=t("cli.instruct.at"))

    s = sub.add_parser("answer", help=t("cli.answer.help"), description=t("cli.answer.help"))
    s.add_argument("id", type=int, metavar="INSTRUCTION_ID", help=t("cli.arg.instruction_id"))
    s.add_argument("text", metavar="TEXT", help=t("cli.answer.text"))

    s = sub.add_parser("zero-report", help=t("cli.zero.help"), description=t("cli.zero.help"))
    s.add_argument("--previous", action="store_true", help=t("cli.zero.previous"))
    s.add_argument("--note", default="", metavar="TEXT", help=t("cli.zero.note"))


def _check_opener(args: argparse.Namespace, cfg: Config):
    """`check` records newly missed due times when an officer runs it on a
    store they may write (cron on the desk's account); anyone else (a
    monitoring user, read-only media) gets the same line from a read-only
    open, and nothing is written for them."""
    import os

    from duty_desk.core.models import Officer
    from duty_desk.core.sqlite_store import file_of

    reader = open_reader(args, cfg)
    officer = Officer.get_or_none((Officer.login == reader.actor) & Officer.active) is not None
    path = file_of(database_url(args, cfg))
    if not officer or (path is not None and not os.access(path, os.W_OK)):
        return reader
    reader.close()
    return open_for(args, cfg)


def cmd_check(args: argparse.Namespace, cfg: Config) -> int:
    """One line for cron or monitoring; exit 1 while anything is overdue."""
    from duty_desk.core import openitems
    from duty_desk.core.roster.checks import roster_check
    from duty_desk.core.services.escalation import mark_overdue
    from duty_desk.core.services.log import missing_zero_report

    def act(desk) -> int:
        if not _is_reader(desk):
            from duty_desk.core.standing.service import bring_quietly

            bring_quietly(desk)  # a standing order's time passed with no desk open: due now, perhaps overdue
            mark_overdue(desk)  # the misses are recorded even when no desk is open
        count, overdue = openitems.counts(desk)
        missing = missing_zero_report(desk)
        roster = roster_check(desk.now(), cfg)
        if args.json:
            print_json_lines([{"open": count, "overdue": overdue,
                                   "zero_report_missing": missing.isoformat() if missing else None,
                                   "roster": roster_data(roster)}])
            return EXIT_FOUND if overdue else EXIT_OK
        line = t("check.line", open=count, overdue=overdue)
        if missing:
            line += t("check.zero_missing", day=missing.isoformat())
        print(line)
        for more in roster_lines(roster):
            print(more)
        return EXIT_FOUND if overdue else EXIT_OK

    return with_desk(args, cfg, act, _check_opener)


def _is_reader(desk) -> bool:
    from duty_desk.core import db as store

    return store.is_reader(desk.db)


def cmd_result(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.services import log

    def act(desk) -> int:
        entry = log.record_result(desk, args.id, args.text)
        print(t("result.done" if entry.needs_action else "result.noted", id=entry.id))
        return EXIT_OK

    return with_desk(args, cfg, act)


def cmd_chase(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.services.chasing import chases_of, record_chase

    def act(desk) -> int:
        kind = kinds.record_kind(args.kind)
        record_chase(desk, kind, args.id, args.whom, args.means, args.answer, args.at)
        print(t("chase.done", kind=t(f"kind.{kind}"), id=args.id, count=len(chases_of(kind, args.id))))
        return EXIT_OK

    return with_desk(args, cfg, act)


def cmd_transfer(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.desk import officer_name
    from duty_desk.core.services.ownership import transfer_ownership

    def act(desk) -> int:
        kind = kinds.record_kind(args.kind)
        transfer_ownership(desk, kind, args.id, args.login, args.reason)
        print(t("transfer.done", kind=t(f"kind.{kind}"), id=args.id, name=officer_name(args.login)))
        return EXIT_OK

    return with_desk(args, cfg, act)


def cmd_instruct(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.dutytime import fmt_dt
    from duty_desk.core.services.instructions import record_instruction

    def act(desk) -> int:
        ins = record_instruction(desk, kinds.record_kind(args.kind), args.id, args.leader, args.text,
                                 assignee=args.assignee, due=args.due, given_at=args.at)
        print(t("instruct.done", id=ins.id, due=fmt_dt(ins.due_at, cfg)))
        return EXIT_OK

    return with_desk(args, cfg, act)


def cmd_answer(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.services.instructions import answer_instruction

    def act(desk) -> int:
        ins = answer_instruction(desk, args.id, args.text)
        print(t("answer.done", id=ins.id))
        return EXIT_OK

    return with_desk(args, cfg, act)


def cmd_zero_report(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.services.log import record_zero_report

    def act(desk) -> int:
        entry = record_zero_report(desk, args.note, previous=args.previous)
        print(t("zero.done", day=entry.duty_date.isoformat(), id=entry.id))
        return EXIT_OK

    return with_desk(args, cfg, act)


RUNNERS = {
    "check": cmd_check, "result": cmd_result, "chase": cmd_chase, "transfer": cmd_transfer,
    "instruct": cmd_instruct, "answer": cmd_answer, "zero-report": cmd_zero_report,
}


def roster_lines(check) -> list[str]:
    """The roster's warnings under check's first line (none when no roster is kept)."""
    if not check.kept:
        return []
    out = [t(f"check.roster.gap.{g.what}" + (".holiday" if g.holiday else ""), day=g.day.isoformat(),
             shift=g.shift, n=g.missing) for g in check.gaps]
    if check.unknown:
        out.append(t("check.roster.unknown", first=check.unknown[0].isoformat(), count=len(check.unknown)))
    if check.pending_swaps:
        out.append(t("check.roster.swaps", count=check.pending_swaps))
    if check.tomorrow_day is not None:
        for shift, officers, leaders in check.tomorrow:
            out.append(t("check.roster.tomorrow", day=check.tomorrow_day.isoformat(), shift=shift,
                         officers="、".join(officers) or "—",
                         leaders="、".join(f"{n} {p}".strip() for n, p in leaders) or "—"))
    return out


def roster_data(check) -> dict | None:
    if not check.kept:
        return None
    return {"gaps": [{"date": g.day.isoformat(), "shift": g.shift, "missing": g.what, "count": g.missing}
                     for g in check.gaps],
            "unknown_days": [d.isoformat() for d in check.unknown], "pending_swaps": check.pending_swaps,
            "tomorrow": None if check.tomorrow_day is None else {
                "date": check.tomorrow_day.isoformat(),
                "shifts": [{"shift": s, "officers": o, "leaders": [{"name": n, "phone": p} for n, p in lg]}
                           for s, o, lg in check.tomorrow]}}
