"""Commands added by later features register here with cli.EXTRA_COMMANDS and
cli.EXTRA_RUNNERS, so cli.py stays the one front. Imported by cli.main."""

from __future__ import annotations

import argparse
from typing import Any

from duty_desk import cli, exit_codes
from duty_desk.config import Config
from duty_desk.i18n import t

# --- open items: check, result, chase, transfer, instruct, answer, zero-report ---------
# The core behind these is openitems and services.{log,chasing,ownership,
# instructions,escalation}; nothing here imports Textual.

ITEM_KINDS = ("call", "log", "visitor", "document", "urgent", "instruction")


def _item_kind(kind: str) -> str:
    return "log" if kind == "call" else kind


def register_open_item_commands(sub: Any) -> None:
    s = sub.add_parser("check", help=t("cli.check.help"), description=t("cli.check.help"))
    s.add_argument("--json", action="store_true", help=t("cli.check.json"))

    s = sub.add_parser("result", help=t("cli.result.help"), description=t("cli.result.help"))
    s.add_argument("id", type=int, metavar="LOG_ID", help=t("cli.arg.log_id"))
    s.add_argument("text", metavar="TEXT", help=t("cli.result.text"))

    s = sub.add_parser("chase", help=t("cli.chase.help"), description=t("cli.chase.help"))
    s.add_argument("kind", choices=ITEM_KINDS, metavar="KIND", help=t("cli.arg.kind"))
    s.add_argument("id", type=int, metavar="ID", help=t("cli.arg.id"))
    s.add_argument("--whom", required=True, metavar="W", help=t("cli.chase.whom"))
    s.add_argument("--means", default="", metavar="M", help=t("cli.chase.means"))
    s.add_argument("--answer", default="", metavar="A", help=t("cli.chase.answer"))
    s.add_argument("--at", metavar="HH:MM", help=t("cli.chase.at"))

    s = sub.add_parser("transfer", help=t("cli.transfer.help"), description=t("cli.transfer.help"))
    s.add_argument("kind", choices=ITEM_KINDS, metavar="KIND", help=t("cli.arg.kind"))
    s.add_argument("id", type=int, metavar="ID", help=t("cli.arg.id"))
    s.add_argument("login", metavar="LOGIN", help=t("cli.transfer.login"))
    s.add_argument("--reason", required=True, metavar="R", help=t("cli.transfer.reason"))

    s = sub.add_parser("instruct", help=t("cli.instruct.help"), description=t("cli.instruct.help"))
    s.add_argument("kind", choices=ITEM_KINDS[:-1], metavar="KIND", help=t("cli.arg.kind"))
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


def _run(args: argparse.Namespace, cfg: Config, act, opener=None) -> int:
    desk = (opener or cli.open_for)(args, cfg)
    try:
        return act(desk)
    finally:
        desk.close()


def _check_opener(args: argparse.Namespace, cfg: Config):
    """`check` records newly missed due times when an officer runs it on a
    store they may write (cron on the desk's account); anyone else (a
    monitoring user, read-only media) gets the same line from a read-only
    open, and nothing is written for them."""
    import os

    from duty_desk.models import Officer
    from duty_desk.sqlite_store import file_of

    reader = cli.open_reader(args, cfg)
    officer = Officer.get_or_none((Officer.login == reader.actor) & Officer.active) is not None
    path = file_of(cli.database_url(args, cfg))
    if not officer or (path is not None and not os.access(path, os.W_OK)):
        return reader
    reader.close()
    return cli.open_for(args, cfg)


def cmd_check(args: argparse.Namespace, cfg: Config) -> int:
    """One line for cron or monitoring; exit 1 while anything is overdue."""
    from duty_desk import openitems
    from duty_desk.services.escalation import mark_overdue
    from duty_desk.services.log import missing_zero_report

    def act(desk) -> int:
        if not _is_reader(desk):
            mark_overdue(desk)  # the misses are recorded even when no desk is open
        overdue = openitems.count_overdue(desk)
        count = openitems.count_open(desk)
        missing = missing_zero_report(desk)
        if args.json:
            cli.print_json_lines([{"open": count, "overdue": overdue,
                                   "zero_report_missing": missing.isoformat() if missing else None}])
            return cli.EXIT_FOUND if overdue else cli.EXIT_OK
        line = t("check.line", open=count, overdue=overdue)
        if missing:
            line += t("check.zero_missing", day=missing.isoformat())
        print(line)
        return cli.EXIT_FOUND if overdue else cli.EXIT_OK

    return _run(args, cfg, act, _check_opener)


def _is_reader(desk) -> bool:
    from duty_desk import db as store

    return store.is_reader(desk.db)


def cmd_result(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.services import log

    def act(desk) -> int:
        entry = log.record_result(desk, args.id, args.text)
        print(t("result.done" if entry.needs_action else "result.noted", id=entry.id))
        return cli.EXIT_OK

    return _run(args, cfg, act)


def cmd_chase(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.services.chasing import chases_of, record_chase

    def act(desk) -> int:
        kind = _item_kind(args.kind)
        record_chase(desk, kind, args.id, args.whom, args.means, args.answer, args.at)
        print(t("chase.done", kind=t(f"kind.{kind}"), id=args.id, count=len(chases_of(kind, args.id))))
        return cli.EXIT_OK

    return _run(args, cfg, act)


def cmd_transfer(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.desk import officer_name
    from duty_desk.services.ownership import transfer_ownership

    def act(desk) -> int:
        kind = _item_kind(args.kind)
        transfer_ownership(desk, kind, args.id, args.login, args.reason)
        print(t("transfer.done", kind=t(f"kind.{kind}"), id=args.id, name=officer_name(args.login)))
        return cli.EXIT_OK

    return _run(args, cfg, act)


def cmd_instruct(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.dutytime import fmt_dt
    from duty_desk.services.instructions import record_instruction

    def act(desk) -> int:
        ins = record_instruction(desk, _item_kind(args.kind), args.id, args.leader, args.text,
                                 assignee=args.assignee, due=args.due, given_at=args.at)
        print(t("instruct.done", id=ins.id, due=fmt_dt(ins.due_at, cfg)))
        return cli.EXIT_OK

    return _run(args, cfg, act)


def cmd_answer(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.services.instructions import answer_instruction

    def act(desk) -> int:
        ins = answer_instruction(desk, args.id, args.text)
        print(t("answer.done", id=ins.id))
        return cli.EXIT_OK

    return _run(args, cfg, act)


def cmd_zero_report(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.services.log import record_zero_report

    def act(desk) -> int:
        entry = record_zero_report(desk, args.note, previous=args.previous)
        print(t("zero.done", day=entry.duty_date.isoformat(), id=entry.id))
        return cli.EXIT_OK

    return _run(args, cfg, act)


cli.EXTRA_COMMANDS.append(register_open_item_commands)
cli.EXTRA_RUNNERS.update({
    "check": cmd_check, "result": cmd_result, "chase": cmd_chase, "transfer": cmd_transfer,
    "instruct": cmd_instruct, "answer": cmd_answer, "zero-report": cmd_zero_report,
})


# --- shift handover and corrections -----------------------------------------
# The core behind these is duty_desk.handover (the sheet) and
# services.handover (hand over, read back, accept).

HANDOVER_FORMATS = ("md", "txt", "json")


def register_handover_commands(sub: Any) -> None:
    s = sub.add_parser("handover", help=t("cli.handover.help"), description=t("cli.handover.help"))
    s.add_argument("--shift", type=int, metavar="ID", help=t("cli.handover.shift"))
    s.add_argument("--format", choices=HANDOVER_FORMATS, default="txt", help=t("cli.handover.format"))
    s.add_argument("--out", metavar="FILE", help=t("cli.handover.out"))
    hsub = s.add_subparsers(dest="handover_command", metavar="ACTION", parser_class=cli._Parser)
    g = hsub.add_parser("give", help=t("cli.handover.give"), description=t("cli.handover.give"))
    g.add_argument("--notes", default="", metavar="TEXT", help=t("cli.handover.notes"))
    g.add_argument("--shift", type=int, metavar="ID", dest="give_shift", help=t("cli.handover.shift"))
    r = hsub.add_parser("readback", help=t("cli.handover.readback"), description=t("cli.handover.readback"))
    r.add_argument("item", type=int, metavar="ITEM_ID", help=t("cli.handover.item"))
    r.add_argument("--restate", metavar="TEXT", help=t("cli.handover.restate"))
    a = hsub.add_parser("accept", help=t("cli.handover.accept"), description=t("cli.handover.accept"))
    a.add_argument("handover_id", type=int, nargs="?", metavar="HANDOVER_ID", help=t("cli.handover.id"))

    s = sub.add_parser("correct", help=t("cli.correct.help"), description=t("cli.correct.help"))
    s.add_argument("kind", choices=("log",), metavar="KIND", help=t("cli.correct.kind"))
    s.add_argument("id", type=int, metavar="ID", help=t("cli.arg.id"))
    s.add_argument("--reason", required=True, metavar="R", help=t("cli.correct.reason"))
    s.add_argument("--content", metavar="TEXT", help=t("cli.correct.content"))
    s.add_argument("--category", metavar="CAT", help=t("cli.correct.category"))
    s.add_argument("--result", metavar="TEXT", help=t("cli.correct.result"))
    s.add_argument("--handling", metavar="TEXT", help=t("cli.correct.handling"))
    s.add_argument("--at", metavar="HH:MM", help=t("cli.correct.at"))


def cmd_handover(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.services.common import check_id

    action = {None: _handover_show, "give": _handover_give, "readback": _handover_readback,
              "accept": _handover_accept}[args.handover_command]
    # Ids beyond what the store can hold name nothing: say so before any query.
    for kind, value in (("shift", args.shift), ("shift", getattr(args, "give_shift", None)),
                        ("handover_item", getattr(args, "item", None)),
                        ("handover", getattr(args, "handover_id", None))):
        if value is not None:
            check_id(kind, value)
    opener = cli.open_reader if args.handover_command is None else None  # printing only reads
    return _run(args, cfg, lambda desk: action(args, desk), opener)


def _handover_show(args: argparse.Namespace, desk) -> int:
    import sys

    from duty_desk.handover import RENDERERS
    from duty_desk.services.handover import sheet_for

    text = RENDERERS[args.format](sheet_for(desk, args.shift))
    if not args.out:
        sys.stdout.write(text)
        return cli.EXIT_OK
    from duty_desk import safefile

    try:
        safefile.write_text(args.out, text)  # 0600, atomic, never through a symlink
    except OSError as err:
        print(t("cli.error", message=t("cli.file_error", path=args.out, error=err.strerror or err)),
              file=sys.stderr)
        return exit_codes.REFUSED
    print(t("cli.handover.written", path=args.out))
    return cli.EXIT_OK


def _handover_give(args: argparse.Namespace, desk) -> int:
    from duty_desk import audit
    from duty_desk.services.handover import hand_over, items_of, shift_label

    handover = hand_over(desk, args.notes, args.give_shift)
    print(t("cli.handover.given", shift=shift_label(handover.shift), count=len(items_of(handover.id)),
            short=audit.short_digest(handover.audit_head)))
    return cli.EXIT_OK


def _handover_readback(args: argparse.Namespace, desk) -> int:
    from duty_desk.errors import NotFound
    from duty_desk.services.handover import items_of, pending_handover, read_back

    # ITEM is the number on the sheet (1, 2, 3 … on every sheet), not a row id.
    pending = pending_handover(desk)
    number, item_id = args.item, args.item
    if pending is not None:
        items = items_of(pending.id)
        if not 1 <= number <= len(items):
            raise NotFound("handover.item_not_found", id=number)
        item_id = items[number - 1].id
    item = read_back(desk, item_id, args.restate)
    left = sum(1 for i in items_of(item.__data__["handover"]) if i.read_back_by != desk.actor)
    print(t("cli.handover.read_back", id=number, text=item.readback, left=left))
    return cli.EXIT_OK


def _handover_accept(args: argparse.Namespace, desk) -> int:
    from duty_desk.desk import officer_name
    from duty_desk.dutytime import fmt_dt
    from duty_desk.errors import Refused
    from duty_desk.services.handover import (
        accept,
        items_of,
        moved_items,
        pending_handover,
        shift_label,
        shift_now,
    )

    handover_id = args.handover_id
    if handover_id is None:
        pending = pending_handover(desk)
        if pending is None:
            raise Refused("handover.none_pending", shift=shift_label(shift_now(desk)))
        handover_id = pending.id
    handover = accept(desk, handover_id)
    print(t("cli.handover.accepted", name=officer_name(desk.actor), at=fmt_dt(handover.accepted_at, desk.cfg),
            shift=shift_label(handover.shift), count=len(items_of(handover.id)), moved=len(moved_items(handover))))
    return cli.EXIT_OK


def cmd_correct(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.services import log

    def act(desk) -> int:
        changes = {k: v for k, v in (("content", args.content), ("category", args.category),
                                     ("result", args.result), ("handling", args.handling),
                                     ("occurred_at", args.at)) if v is not None}
        row = log.correct_entry(desk, args.id, args.reason, **changes)
        if row.amends_id is not None:
            print(t("cli.correct.amended", kind=t("kind.log"), id=row.id, amends=row.amends_id))
        else:
            print(t("cli.correct.corrected", kind=t("kind.log"), id=row.id))
        return cli.EXIT_OK

    return _run(args, cfg, act)


cli.EXTRA_COMMANDS.append(register_handover_commands)
cli.EXTRA_RUNNERS.update({"handover": cmd_handover, "correct": cmd_correct})
