"""Shift handover and corrections: ``handover`` (print, give, readback,
accept) and ``correct``. The core behind these is duty_desk.core.handover."""

from __future__ import annotations

import argparse
from typing import Any

from duty_desk.cli.common import open_reader, with_desk
from duty_desk.cli.exit_codes import OK as EXIT_OK
from duty_desk.cli.exit_codes import REFUSED as EXIT_REFUSED
from duty_desk.cli.parser import Parser
from duty_desk.core.config import Config
from duty_desk.core.i18n import t

HANDOVER_FORMATS = ("md", "txt", "json")


def register(sub: Any) -> None:
    s = sub.add_parser("handover", help=t("cli.handover.help"), description=t("cli.handover.help"))
    s.add_argument("--shift", type=int, metavar="ID", help=t("cli.handover.shift"))
    s.add_argument("--format", choices=HANDOVER_FORMATS, default="txt", help=t("cli.handover.format"))
    s.add_argument("--out", metavar="FILE", help=t("cli.handover.out"))
    hsub = s.add_subparsers(dest="handover_command", metavar="ACTION", parser_class=Parser)
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
    from duty_desk.core.services.common import check_id

    action = {None: _handover_show, "give": _handover_give, "readback": _handover_readback,
              "accept": _handover_accept}[args.handover_command]
    # Ids beyond what the store can hold name nothing: say so before any query.
    for kind, value in (("shift", args.shift), ("shift", getattr(args, "give_shift", None)),
                        ("handover_item", getattr(args, "item", None)),
                        ("handover", getattr(args, "handover_id", None))):
        if value is not None:
            check_id(kind, value)
    opener = open_reader if args.handover_command is None else None  # printing only reads
    return with_desk(args, cfg, lambda desk: action(args, desk), opener)


def _handover_show(args: argparse.Namespace, desk) -> int:
    import sys

    from duty_desk.core.handover import RENDERERS
    from duty_desk.core.handover.flow import sheet_for

    text = RENDERERS[args.format](sheet_for(desk, args.shift))
    if not args.out:
        sys.stdout.write(text)
        return EXIT_OK
    from duty_desk.core import safefile

    try:
        safefile.write_text(args.out, text)  # 0600, atomic, never through a symlink
    except OSError as err:
        print(t("cli.error", message=t("cli.file_error", path=args.out, error=err.strerror or err)),
              file=sys.stderr)
        return EXIT_REFUSED
    print(t("cli.handover.written", path=args.out))
    return EXIT_OK


def _handover_give(args: argparse.Namespace, desk) -> int:
    from duty_desk.core import audit
    from duty_desk.core.handover.flow import hand_over, items_of, shift_label

    handover = hand_over(desk, args.notes, args.give_shift)
    print(t("cli.handover.given", shift=shift_label(handover.shift), count=len(items_of(handover.id)),
            short=audit.short_digest(handover.audit_head)))
    return EXIT_OK


def _handover_readback(args: argparse.Namespace, desk) -> int:
    from duty_desk.core.errors import NotFound
    from duty_desk.core.handover.flow import items_of, pending_handover, read_back

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
    return EXIT_OK


def _handover_accept(args: argparse.Namespace, desk) -> int:
    from duty_desk.core.desk import officer_name
    from duty_desk.core.dutytime import fmt_dt
    from duty_desk.core.errors import Refused
    from duty_desk.core.handover.flow import (
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
    return EXIT_OK


def cmd_correct(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.services import log

    def act(desk) -> int:
        changes = {k: v for k, v in (("content", args.content), ("category", args.category),
                                     ("result", args.result), ("handling", args.handling),
                                     ("occurred_at", args.at)) if v is not None}
        row = log.correct_entry(desk, args.id, args.reason, **changes)
        if row.amends_id is not None:
            print(t("cli.correct.amended", kind=t("kind.log"), id=row.id, amends=row.amends_id))
        else:
            print(t("cli.correct.corrected", kind=t("kind.log"), id=row.id))
        return EXIT_OK

    return with_desk(args, cfg, act)


RUNNERS = {"handover": cmd_handover, "correct": cmd_correct}
