"""Feeding the desk: ``document`` (receive, the next step) and ``urgent``
(open, a timeline event, its facts as they change and their history), each
through the service its desk form calls, with the same arguments; the checks
are cli.feed's. Written reports (首报, 续报, 日报, 终报) are `duty-desk report`'s."""

from __future__ import annotations

import argparse
from typing import Any

from duty_desk.cli.feed import check_due, check_times, json_option, pick, say
from duty_desk.core.config import Config
from duty_desk.core.i18n import t


def register(sub: Any) -> None:
    _register_document(sub)
    _register_urgent(sub)


def _register_document(sub: Any) -> None:
    from duty_desk.cli.parser import Parser
    from duty_desk.core.services import documents

    top = sub.add_parser("document", help=t("feed.document.help"), description=t("feed.document.help"))
    dsub = top.add_subparsers(dest="document_command", metavar="ACTION", parser_class=Parser,
                              title=t("cli.argparse.commands"))
    dsub.required = True

    s = dsub.add_parser("receive", help=t("feed.document.receive"), description=t("feed.document.receive"))
    s.add_argument("sender", metavar="SENDER", help=t("feed.document.sender"))
    s.add_argument("--number", default="", metavar="NUMBER", help=t("feed.document.number"))
    s.add_argument("--title", default="", metavar="TITLE", help=t("feed.document.title"))
    s.add_argument("--urgency", default="", metavar="URGENCY",
                   help=t("feed.document.urgency", choices=_listed(documents.URGENCIES)))
    s.add_argument("--classification", default="", metavar="LEVEL",
                   help=t("feed.document.classification", choices=_listed(documents.CLASSIFICATIONS)))
    s.add_argument("--secrecy-period", default="", metavar="PERIOD", help=t("feed.document.secrecy_period"))
    s.add_argument("--copy-number", default="", metavar="NUMBER", help=t("feed.document.copy_number"))
    s.add_argument("--copies", default="1", metavar="N", help=t("feed.document.copies"))
    s.add_argument("--attachments", default="", metavar="TEXT", help=t("feed.document.attachments"))
    s.add_argument("--summary", default="", metavar="TEXT", help=t("feed.document.summary"))
    s.add_argument("--deadline", metavar="'YYYY-MM-DD HH:MM'", help=t("feed.document.deadline"))
    s.add_argument("--at", metavar="HH:MM", help=t("feed.document.at"))
    json_option(s)
    s.set_defaults(feed_run=cmd_document_receive)

    s = dsub.add_parser("step", help=t("feed.document.step"), description=t("feed.document.step"))
    s.add_argument("id", type=int, metavar="ID", help=t("feed.document.id"))
    s.add_argument("step", metavar="STEP", help=t("feed.document.step_word", choices=_labels(_steps(), "doc.step")))
    s.add_argument("--party", default="", metavar="WHO", help=t("feed.document.party"))
    s.add_argument("--text", default="", metavar="TEXT", help=t("feed.document.text"))
    s.add_argument("--deadline", metavar="'YYYY-MM-DD HH:MM'", help=t("feed.document.step_deadline"))
    s.add_argument("--at", metavar="HH:MM", help=t("feed.document.step_at"))
    json_option(s)
    s.set_defaults(feed_run=cmd_document_step)


def _register_urgent(sub: Any) -> None:
    from duty_desk.cli.parser import Parser
    from duty_desk.core.services import urgent

    top = sub.add_parser("urgent", help=t("cli.urgent.help"), description=t("cli.urgent.help"))
    usub = top.add_subparsers(dest="urgent_command", metavar="ACTION", parser_class=Parser,
                              title=t("cli.argparse.commands"))
    usub.required = True

    s = usub.add_parser("open", help=t("feed.urgent.open"), description=t("feed.urgent.open"))
    s.add_argument("title", metavar="TITLE", help=t("feed.urgent.title"))
    s.add_argument("--type", dest="event_type", required=True, metavar="TYPE",
                   help=t("feed.urgent.type", choices=" ".join(urgent.EVENT_TYPES)))
    s.add_argument("--level", required=True, metavar="LEVEL", help=t("feed.urgent.level"))
    s.add_argument("--at", metavar="HH:MM", help=t("feed.urgent.at"))
    s.add_argument("--occurred", metavar="HH:MM", help=t("feed.urgent.occurred"))
    for name in URGENT_TEXTS:
        s.add_argument(f"--{name.replace('_', '-')}", dest=name, default="", metavar="TEXT",
                       help=t(f"feed.urgent.{name}"))
    json_option(s)
    s.set_defaults(feed_run=cmd_urgent_open)

    s = usub.add_parser("event", help=t("cli.urgent.event"), description=t("cli.urgent.event"))
    s.add_argument("id", type=int, metavar="ID", help=t("feed.urgent.id"))
    s.add_argument("kind", metavar="KIND", help=t("feed.urgent.kind", choices=_labels(_event_kinds(), "event")))
    s.add_argument("--party", default="", metavar="WHO", help=t("feed.urgent.party"))
    s.add_argument("--means", default="", metavar="MEANS", help=t("feed.urgent.means"))
    s.add_argument("--text", default="", metavar="TEXT", help=t("feed.urgent.text"))
    s.add_argument("--at", metavar="HH:MM", help=t("feed.urgent.event_at"))
    json_option(s)
    s.set_defaults(feed_run=cmd_urgent_event)
    _register_facts(usub)


def _register_facts(usub: Any) -> None:
    from duty_desk.core.reports.fields import FACT_FIELDS

    s = usub.add_parser("facts", help=t("cli.urgent.facts"), description=t("cli.urgent.facts_description"))
    s.add_argument("id", type=int, metavar="ITEM", help=t("feed.urgent.id"))
    for field in FACT_FIELDS:
        s.add_argument(f"--{field.replace('_', '-')}", dest=f"fact_{field}", default=None,
                       metavar="TIME" if field == "occurred_at" else "TEXT",
                       help=t("cli.urgent.fact", label=t(f"report.field.{field}")))
    s.add_argument("--at", metavar="HH:MM", help=t("cli.urgent.facts_at"))
    s.set_defaults(feed_run=cmd_urgent_facts)

    s = usub.add_parser("history", help=t("cli.urgent.history"), description=t("cli.urgent.history"))
    s.add_argument("id", type=int, metavar="ITEM", help=t("feed.urgent.id"))
    json_option(s)
    s.set_defaults(feed_run=cmd_urgent_history)


# The urgent form's free-text fields, in its order, and the facts a report also names.
URGENT_TEXTS = ("place", "source_unit", "source_name", "source_phone", "casualties", "measures",
                "leaders_on_scene", "trend", "recommendations", "summary", "cause", "next_steps", "reliability")


# Written reports: drafted, signed off and sent with `duty-desk report`, not typed as an event.
WRITTEN_KINDS = ("first_report", "followup", "daily", "final")


def _event_kinds() -> tuple[str, ...]:
    """The timeline events `urgent event` records."""
    from duty_desk.core.services import urgent

    return tuple(k for k in urgent.EVENT_KINDS if k not in WRITTEN_KINDS)


def _listed(values: tuple[str, ...]) -> str:
    return " ".join(v or "—" for v in values)


def _labels(codes: tuple[str, ...], prefix: str) -> str:
    """Codes as the UI language names them: 初审 退回 … (the codes themselves
    are accepted too)."""
    return t("feed.list_sep").join(t(f"{prefix}.{c}") for c in codes)


def _steps() -> tuple[str, ...]:
    """Every step a document may be taken, in the order of its states."""
    from duty_desk.core.kinds.document import TRANSITIONS

    return tuple(dict.fromkeys(s for steps in TRANSITIONS.values() for s in steps))


def _run(args: argparse.Namespace, cfg: Config) -> int:
    return args.feed_run(args, cfg)


# --- duty-desk document ---------------------------------------------------------


def cmd_document_receive(args: argparse.Namespace, cfg: Config) -> int:
    """签收 and 登记 through documents.receive_document, as the document form."""
    from duty_desk.cli.common import with_desk
    from duty_desk.core.docnumber import validate_doc_number
    from duty_desk.core.errors import InvalidInput
    from duty_desk.core.services import documents

    urgency = pick(args.urgency, documents.URGENCIES, refuse=lambda: InvalidInput(
        "doc.urgency", field="urgency", choices=_listed(documents.URGENCIES)))
    classification = pick(args.classification, documents.CLASSIFICATIONS, refuse=lambda: InvalidInput(
        "doc.classification", field="classification", choices=_listed(documents.CLASSIFICATIONS)))
    if args.number.strip():
        validate_doc_number(args.number)
    deadline = check_due(cfg, "deadline", args.deadline)
    at = check_times(cfg, received_at=args.at)["received_at"]

    def act(desk) -> int:
        doc = documents.receive_document(
            desk, args.sender, doc_number=args.number, title=args.title, urgency=urgency,
            classification=classification, secrecy_period=args.secrecy_period, copy_number=args.copy_number,
            copies=args.copies, attachments=args.attachments, summary=args.summary, deadline=deadline,
            received_at=at)
        return say(args, "document", doc, cfg)

    return with_desk(args, cfg, act)


def cmd_document_step(args: argparse.Namespace, cfg: Config) -> int:
    """The next step through documents.advance_document, as the step form."""
    from duty_desk.cli.common import with_desk
    from duty_desk.core.errors import InvalidInput
    from duty_desk.core.kinds.document import latest_live_step
    from duty_desk.core.services import documents

    step = pick(args.step, _steps(), label_key="doc.step.{value}", refuse=lambda: InvalidInput(
        "feed.step_unknown", field="step", step=args.step, choices=_labels(_steps(), "doc.step")))
    deadline = check_due(cfg, "deadline", args.deadline)
    at = check_times(cfg, at=args.at)["at"]

    def act(desk) -> int:
        doc = documents.advance_document(desk, args.id, step, party=args.party, text=args.text,
                                         deadline=deadline, at=at)
        taken = latest_live_step(doc.id)
        if not args.json:
            print(t("feed.step_done", id=doc.id, step=t(f"doc.step.{step}"), step_id=taken.id))
        return say(args, "document", doc, cfg, {"step_id": taken.id, "step": step})

    return with_desk(args, cfg, act)


# --- duty-desk urgent -------------------------------------------------------------


def cmd_urgent_open(args: argparse.Namespace, cfg: Config) -> int:
    """接报 through urgent.open_urgent, as the urgent form."""
    from duty_desk.cli.common import with_desk
    from duty_desk.core.errors import InvalidInput
    from duty_desk.core.services import urgent

    event_type = pick(args.event_type, urgent.EVENT_TYPES, refuse=lambda: InvalidInput(
        "urgent.type", field="event_type", choices=" ".join(urgent.EVENT_TYPES)))
    level = urgent.check_level(args.level)
    times = check_times(cfg, received_at=args.at, occurred_at=args.occurred)
    texts = {name: getattr(args, name) for name in URGENT_TEXTS}

    def act(desk) -> int:
        item = urgent.open_urgent(desk, args.title, event_type, level, **times, **texts)
        return say(args, "urgent", item, cfg)

    return with_desk(args, cfg, act)


def cmd_urgent_event(args: argparse.Namespace, cfg: Config) -> int:
    """A timeline event through urgent.add_event, as the event form (which
    offers 电话 as the means of a phone report)."""
    from duty_desk.cli.common import with_desk
    from duty_desk.core.errors import InvalidInput, Refused
    from duty_desk.core.rules import event_label
    from duty_desk.core.services import urgent

    kind = pick(args.kind, urgent.EVENT_KINDS, label_key="event.{value}", refuse=lambda: InvalidInput(
        "feed.event_unknown", field="kind", kind=args.kind, choices=_labels(_event_kinds(), "event")))
    if kind in WRITTEN_KINDS:
        # A report typed as an event would skip the sign-off and the one approved text.
        raise Refused("cli.urgent.written_report", name=t(f"event.{kind}"))
    at = check_times(cfg, at=args.at)["at"]
    means = args.means or (t("tui.form.means.phone") if kind == "phone_report" else "")

    def act(desk) -> int:
        event = urgent.add_event(desk, args.id, kind, party=args.party, means=means, text=args.text, at=at)
        item = event.item
        if not args.json:
            print(t("feed.event_done", id=item.id, kind=event_label(kind, event.seq), event_id=event.id))
        return say(args, "urgent", item, cfg, {"event_id": event.id, "event": kind})

    return with_desk(args, cfg, act)


def _latest(item_id: int) -> dict[str, str]:
    from duty_desk.core.reports.facts import history

    return {field: rows[-1].value for field, rows in history(item_id).items()}


def _fact_value(field: str, value: str, cfg: Config) -> str:
    """A fact's value on one line: a time as the local clock reads it, line breaks as " / "."""
    from duty_desk.core.reports.facts import local_text
    from duty_desk.core.sanitize import shown

    if not value:
        return t("cli.urgent.empty_value")
    text = local_text(value, cfg) if field == "occurred_at" else value
    return shown(" / ".join(line.strip() for line in text.splitlines() if line.strip()))


def cmd_urgent_facts(args: argparse.Namespace, cfg: Config) -> int:
    """New values of an item's facts (a 续报's new figures): what changed, old → new."""
    import sys

    from duty_desk.cli.common import open_for, with_desk
    from duty_desk.cli.exit_codes import OK, USAGE
    from duty_desk.core.reports.facts import FACT_FIELDS, update_facts

    changes = {f: getattr(args, f"fact_{f}") for f in FACT_FIELDS if getattr(args, f"fact_{f}") is not None}
    if not changes:
        print(t("cli.usage_error", prog="duty-desk urgent facts", message=t("cli.urgent.facts_none")),
              file=sys.stderr)
        return USAGE

    def act(desk) -> int:
        before = _latest(args.id)
        changed = update_facts(desk, args.id, changes, at=args.at)
        if not changed:
            print(t("cli.urgent.facts_same", id=args.id))
            return OK
        after = _latest(args.id)
        print(t("cli.urgent.facts_done", id=args.id, count=len(changed)))
        for field in changed:
            print(t("cli.urgent.fact_change", label=t(f"report.field.{field}"),
                    old=_fact_value(field, before.get(field, ""), cfg),
                    new=_fact_value(field, after.get(field, ""), cfg)))
        return OK

    return with_desk(args, cfg, act, open_for)


def cmd_urgent_history(args: argparse.Namespace, cfg: Config) -> int:
    """Every value each fact had, oldest first, with when it became known and who recorded it."""
    from duty_desk.cli.common import open_reader, print_json_lines, with_desk
    from duty_desk.cli.exit_codes import OK
    from duty_desk.core.dutytime import fmt_dt
    from duty_desk.core.officer_names import officer_name
    from duty_desk.core.reports.facts import history
    from duty_desk.core.reports.view import hm
    from duty_desk.core.sanitize import shown
    from duty_desk.core.services.common import get_record

    def act(desk) -> int:
        item = get_record("urgent", args.id)
        facts = history(item.id)
        if args.json:
            print_json_lines([{"field": field, "label": t(f"report.field.{field}"),
                               "values": [{"value": r.value, "at": fmt_dt(r.at, cfg), "by": r.by,
                                           "by_name": officer_name(r.by),
                                           "recorded_at": fmt_dt(r.recorded_at, cfg)} for r in rows]}
                              for field, rows in facts.items()])
            return OK
        print(t("cli.urgent.history_title", id=item.id, title=shown(item.title)))
        if not facts:
            print(t("cli.none"))
        for field, rows in facts.items():
            values = " → ".join(t("cli.urgent.history_value", value=_fact_value(field, r.value, cfg),
                                  at=hm(r.at, cfg), by=shown(officer_name(r.by))) for r in rows)
            print(t("cli.urgent.history_line", label=t(f"report.field.{field}"), values=values))
        return OK

    return with_desk(args, cfg, act, open_reader)


RUNNERS = {"document": _run, "urgent": _run}
