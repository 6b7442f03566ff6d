"""``duty-desk standing …``: standing orders (定时事项) — list them, add one
from a phrase or options, change one, show one with its next occurrences and
its occurrences, void one, record an occurrence's result. Every command
first brings the occurrences whose time has come (core.standing.service)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from duty_desk.cli.common import open_for, print_json_lines, print_rows, with_desk
from duty_desk.cli.exit_codes import OK as EXIT_OK
from duty_desk.core.config import Config
from duty_desk.core.i18n import t


def _order_options(s: argparse.ArgumentParser, *, change: bool = False) -> None:
    s.add_argument("--title", metavar="TEXT", help=t("cli.standing.title"))
    s.add_argument("--time", metavar="HH:MM", help=t("cli.standing.time"))
    s.add_argument("--rule", choices=("daily", "workdays", "weekly", "monthly"), help=t("cli.standing.rule"))
    s.add_argument("--weekday", metavar="1-7", help=t("cli.standing.weekday"))
    s.add_argument("--monthday", metavar="1-31", help=t("cli.standing.monthday"))
    s.add_argument("--season", metavar="MM-DD..MM-DD", help=t("cli.standing.season"))
    s.add_argument("--from", dest="starts_on", metavar="YYYY-MM-DD", help=t("cli.standing.from"))
    s.add_argument("--until", dest="ends_on", metavar="YYYY-MM-DD", help=t("cli.standing.until"))
    s.add_argument("--skip-holidays", dest="skip_holidays", action="store_const", const=True,
                   help=t("cli.standing.skip_holidays"))
    if change:
        s.add_argument("--keep-holidays", dest="skip_holidays", action="store_const", const=False,
                       help=t("cli.standing.keep_holidays"))
    s.add_argument("--owner", metavar="WHO", help=t("cli.standing.owner"))
    s.add_argument("--discharge", metavar="TEXT", help=t("cli.standing.discharge"))
    s.add_argument("--window", metavar="MINUTES", help=t("cli.standing.window"))


def register(sub: Any) -> None:
    from duty_desk.cli.parser import Parser

    top = sub.add_parser("standing", help=t("cli.standing.help"), description=t("cli.standing.description"))
    ssub = top.add_subparsers(dest="standing_command", metavar="ACTION", parser_class=Parser,
                              title=t("cli.argparse.commands"))
    ssub.required = True

    s = ssub.add_parser("list", help=t("cli.standing.list"), description=t("cli.standing.list"))
    s.add_argument("--all", action="store_true", help=t("cli.standing.all"))
    s.add_argument("--json", action="store_true", help=t("cli.show.json"))
    s.set_defaults(standing_run=cmd_list)

    s = ssub.add_parser("add", help=t("cli.standing.add"), description=t("cli.standing.add_description"))
    s.add_argument("phrase", nargs="?", metavar="PHRASE", help=t("cli.standing.phrase"))
    _order_options(s)
    s.set_defaults(standing_run=cmd_add)

    s = ssub.add_parser("update", help=t("cli.standing.update"), description=t("cli.standing.update"))
    s.add_argument("id", type=int, metavar="ID", help=t("cli.standing.order_id"))
    _order_options(s, change=True)
    s.set_defaults(standing_run=cmd_update)

    s = ssub.add_parser("show", help=t("cli.standing.show"), description=t("cli.standing.show"))
    s.add_argument("id", type=int, metavar="ID", help=t("cli.standing.order_id"))
    s.add_argument("--json", action="store_true", help=t("cli.show.json"))
    s.set_defaults(standing_run=cmd_show)

    s = ssub.add_parser("void", help=t("cli.standing.void"), description=t("cli.standing.void"))
    s.add_argument("id", type=int, metavar="ID", help=t("cli.standing.order_id"))
    s.add_argument("--reason", required=True, help=t("cli.void.reason"))
    s.set_defaults(standing_run=cmd_void)

    s = ssub.add_parser("result", help=t("cli.standing.result"), description=t("cli.standing.result"))
    s.add_argument("id", type=int, metavar="ITEM_ID", help=t("cli.standing.item_id"))
    s.add_argument("text", metavar="TEXT", help=t("cli.standing.result_text"))
    s.set_defaults(standing_run=cmd_result)


def _day(text: str | None, field: str) -> date | None:
    from duty_desk.core.errors import InvalidInput

    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("time.date_format", field=field, text=text) from None


def _given(args: argparse.Namespace) -> dict[str, Any]:
    return {"title": args.title, "at_time": args.time, "rule": args.rule, "weekday": args.weekday,
            "monthday": args.monthday, "starts_on": _day(args.starts_on, "starts_on"),
            "ends_on": _day(args.ends_on, "ends_on"), "skip_holidays": args.skip_holidays, "owner": args.owner,
            "discharge": args.discharge, "window_minutes": args.window}


def _opener(args: argparse.Namespace, cfg: Config):
    """Written by an officer who may write (occurrences due are brought
    first); read-only otherwise, as `check` opens."""
    from duty_desk.cli.items import _check_opener

    return _check_opener(args, cfg)


def _bring(desk) -> None:
    from duty_desk.core.standing.service import bring_quietly

    bring_quietly(desk)


def _order_line(row, cfg: Config) -> dict[str, str]:
    from duty_desk.core.dutytime import fmt_dt

    return {"id": str(row.id), "title": row.title, "rule": row.rule, "owner": row.owner,
            "window": t("cli.standing.minutes", n=row.window_minutes),
            "next": fmt_dt(row.next_at, cfg) if row.next_at else "—",
            "open": str(row.open_items or ""),
            "state": t("state.standing.void") if row.voided else ""}


ORDER_COLUMNS = ("id", "title", "rule", "owner", "window", "next", "open", "state")


def _order_headers() -> dict[str, str]:
    return {c: t(f"cli.standing.col.{c}") for c in ORDER_COLUMNS}


def cmd_list(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.standing.view import list_orders

    def act(desk) -> int:
        _bring(desk)
        rows = list_orders(desk, voided=args.all)
        if args.json:
            print_json_lines([r.as_dict(cfg) for r in rows])
            return EXIT_OK
        print(t("cli.standing.list_title", count=len(rows)))
        print_rows(ORDER_COLUMNS, [_order_line(r, cfg) for r in rows], _order_headers())
        return EXIT_OK

    return with_desk(args, cfg, act, _opener)


def cmd_add(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.standing.service import add_order
    from duty_desk.core.standing.view import describe

    def act(desk) -> int:
        order = add_order(desk, args.phrase, season=args.season, **_given(args))
        print(t("cli.standing.added", id=order.id, title=order.title, rule=describe(order)))
        return EXIT_OK

    return with_desk(args, cfg, act, open_for)


def cmd_update(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.standing.service import update_order
    from duty_desk.core.standing.view import describe

    def act(desk) -> int:
        order = update_order(desk, args.id, season=args.season, **_given(args))
        print(t("cli.standing.updated", id=order.id, title=order.title, rule=describe(order)))
        return EXIT_OK

    return with_desk(args, cfg, act, open_for)


def cmd_show(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.dutytime import fmt_dt
    from duty_desk.core.standing.view import order_detail

    def act(desk) -> int:
        _bring(desk)
        row, upcoming, items = order_detail(desk, args.id)
        if args.json:
            print_json_lines([{**row.as_dict(cfg), "upcoming": [fmt_dt(at, cfg) for at in upcoming],
                               "items": [i.as_dict(cfg) for i in items]}])
            return EXIT_OK
        print(t("cli.standing.show_title", id=row.id, title=row.title, rule=row.rule))
        print(t("cli.standing.show_owner", owner=row.owner, window=row.window_minutes))
        if row.discharge:
            print(t("cli.standing.show_discharge", text=row.discharge))
        if row.voided:
            print(t("cli.standing.show_voided", reason=row.void_reason))
        print(t("cli.standing.upcoming", times="、".join(fmt_dt(at, cfg) for at in upcoming) or "—"))
        columns = ("id", "scheduled_at", "owner", "due_at", "state", "result")
        lines = [{"id": str(i.id), "scheduled_at": fmt_dt(i.scheduled_at, cfg), "owner": i.owner_name,
                  "due_at": fmt_dt(i.due_at, cfg),
                  "state": t("open.overdue") if i.overdue else t(f"state.standing.{i.state}"),
                  "result": i.result} for i in items]
        print(t("cli.standing.items", count=len(items)))
        print_rows(columns, lines, {c: t(f"cli.standing.col.{c}") for c in columns})
        return EXIT_OK

    return with_desk(args, cfg, act, _opener)


def cmd_void(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.standing.service import void_order

    def act(desk) -> int:
        order = void_order(desk, args.id, args.reason)
        print(t("void.done", kind=t("kind.standing_order"), id=order.id))
        return EXIT_OK

    return with_desk(args, cfg, act, open_for)


def cmd_result(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core.standing.service import record_result

    def act(desk) -> int:
        _bring(desk)
        item = record_result(desk, args.id, args.text)
        print(t("cli.standing.result_done", id=item.id, title=item.title))
        return EXIT_OK

    return with_desk(args, cfg, act, open_for)


def cmd_standing(args: argparse.Namespace, cfg: Config) -> int:
    return args.standing_run(args, cfg)


RUNNERS = {"standing": cmd_standing}
