"""``search``: every record, by words, pinyin, phone numbers and document
numbers, newest first; ``search --rebuild`` rebuilds the index and says
whether it was the same as the one kept in step with the writes."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from duty_desk.cli.common import open_for, open_reader, parse_date, print_json_lines, say_progress
from duty_desk.cli.exit_codes import FOUND as EXIT_FOUND
from duty_desk.cli.exit_codes import OK as EXIT_OK
from duty_desk.cli.exit_codes import USAGE as EXIT_USAGE
from duty_desk.core.config import Config
from duty_desk.core.i18n import t

MAX_LIMIT = 1000


def register(sub: Any) -> None:
    s = sub.add_parser("search", help=t("cli.search.help"), description=t("cli.search.description"),
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("query", nargs="*", metavar="QUERY", help=t("cli.search.query"))
    s.add_argument("--kind", action="append", metavar="KIND", help=t("cli.search.kind"))
    s.add_argument("--since", metavar="YYYY-MM-DD", help=t("cli.search.since"))
    s.add_argument("--until", metavar="YYYY-MM-DD", help=t("cli.search.until"))
    s.add_argument("--officer", action="append", metavar="LOGIN", help=t("cli.search.officer"))
    state = s.add_mutually_exclusive_group()
    state.add_argument("--open", action="store_true", help=t("cli.search.open"))
    state.add_argument("--closed", action="store_true", help=t("cli.search.closed"))
    s.add_argument("--limit", type=int, default=20, metavar="N", help=t("cli.search.limit"))
    s.add_argument("--before", type=int, metavar="PLACE", help=t("cli.search.before"))
    s.add_argument("--json", action="store_true", help=t("cli.search.json"))
    s.add_argument("--rebuild", action="store_true", help=t("cli.search.rebuild"))


def cmd_search(args: argparse.Namespace, cfg: Config) -> int:
    if args.rebuild:
        if args.query:
            print(t("cli.search.rebuild_alone"), file=sys.stderr)
            return EXIT_USAGE
        return rebuild(args, cfg)
    from duty_desk.core import search
    from duty_desk.core.errors import InvalidInput

    if not 1 <= args.limit <= MAX_LIMIT:
        raise InvalidInput("cli.search.bad_limit", field="limit", limit=MAX_LIMIT)
    since = parse_date(args.since, None) if args.since else None
    until = parse_date(args.until, None) if args.until else None
    state = "open" if args.open else "closed" if args.closed else ""
    query = search.parse(" ".join(args.query), kinds=args.kind or (), since=since, until=until,
                         officers=args.officer or (), state=state)
    desk = open_reader(args, cfg)
    try:
        page = search.search(desk, query, before=args.before, limit=args.limit)
        if args.json:
            print_json_lines([hit_dict(h, desk.cfg) for h in page.hits])
        else:
            print_hits(page.hits, desk.cfg)
        if page.after is not None:  # on stderr: stdout stays one record a line
            print(t("cli.search.more", before=page.after), file=sys.stderr)
    finally:
        desk.close()
    return EXIT_OK


def hit_dict(hit, cfg: Config) -> dict[str, Any]:
    from duty_desk.core.dutytime import to_local

    return {"kind": hit.kind, "id": hit.record_id, "duty_date": hit.duty_date,
            "at": to_local(hit.at, cfg).isoformat(timespec="minutes"), "state": hit.state,
            "state_label": hit.label, "voided": hit.state == "void", "title": hit.title, "field": hit.field, "field_label": hit.field_label,
            "snippet": hit.snippet,
            "spans": [list(s) for s in hit.spans], "place": hit.place}


def _marked(text: str, spans, styled: bool) -> str:
    """The snippet with its matches in reverse video on a terminal (plain elsewhere)."""
    from duty_desk.core.sanitize import shown

    if not styled or not spans:
        return shown(text)
    out, at = [], 0
    for a, b in spans:
        out.append(shown(text[at:a]))
        out.append("\x1b[7m" + shown(text[a:b]) + "\x1b[27m")
        at = b
    out.append(shown(text[at:]))
    return "".join(out)


def print_hits(hits, cfg: Config) -> None:
    """Two lines a record: when, kind, number, state and what it is; then the
    field that matched, with the match marked."""
    from duty_desk.cli.table import styled
    from duty_desk.core.dutytime import fmt_dt
    from duty_desk.core.sanitize import shown

    if not hits:
        sys.stdout.write(t("cli.search.none") + "\n")
        return
    on_terminal = styled()
    for hit in hits:
        state = hit.label
        head = f"{fmt_dt(hit.at, cfg)}  {t('kind.' + hit.kind)} #{hit.record_id}"
        head += f"  [{state}]" if state else ""
        sys.stdout.write(f"{head}  {shown(hit.title)}\n")
        sys.stdout.write(f"    {hit.field_label}：{_marked(hit.snippet, hit.spans, on_terminal)}\n")


def rebuild(args: argparse.Namespace, cfg: Config) -> int:
    from duty_desk.core import search

    def progress(done: int, total: int) -> None:
        say_progress(t("cli.search.progress", done=done, total=total, percent=done * 100 // max(total, 1)),
                     done, total)

    desk = open_for(args, cfg)
    try:
        print(t("cli.search.rebuilding"), file=sys.stderr)
        report = search.rebuild(desk.db, progress)
        size = search.size(desk.db)
    finally:
        desk.close()
    mb = f"{size / 1048576:.1f}"
    if report["identical"]:
        print(t("cli.search.identical", count=report["records"], size=mb))
        return EXIT_OK
    print(t("cli.search.differs", count=report["records"], size=mb, terms=report["terms_differ"]))
    for label, key in (("missing", "cli.search.missing"), ("extra", "cli.search.extra"),
                       ("differ", "cli.search.differ")):
        for kind, record_id in report[label]:
            print(t(key, kind=t("kind." + kind), id=record_id))
    return EXIT_FOUND


RUNNERS = {"search": cmd_search}
