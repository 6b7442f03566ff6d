"""值班日志: the duty log of the shift, zero reports, call results."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from duty_desk.core import audit, dutytime
from duty_desk.core.deadlines import ordinary_due
from duty_desk.core.desk import Desk
from duty_desk.core.errors import InvalidInput, Refused
from duty_desk.core.kinds import live
from duty_desk.core.models import LogEntry
from duty_desk.core.services.common import (
    apply_correction,
    current_shift,
    get_record,
    latest_version,
    optional_line,
    optional_text,
    required_line,
    save_changes,
    when,
    writing,
)

CATEGORIES = ("来电", "来文", "来访", "交办", "事件", "记事", "零报告")
# Categories whose entries are open items by default (a task must be answered).
ACTION_BY_DEFAULT = ("交办",)


def check_category(category: str) -> str:
    c = (category or "记事").strip().lstrip("#")
    if c not in CATEGORIES:
        raise InvalidInput("log.category", field="category", category=c, choices=" ".join(CATEGORIES))
    return c


def record_entry(
    desk: Desk,
    content: str,
    category: str = "记事",
    occurred_at: datetime | str | None = None,
    *,
    counterpart_unit: str = "",
    counterpart_name: str = "",
    counterpart_title: str = "",
    counterpart_phone: str = "",
    already_informed: str = "",
    handling: str = "",
    needs_action: bool | None = None,
    due: datetime | str | None = None,
    result: str = "",
) -> LogEntry:
    """Record one log entry in the current shift. ``occurred_at`` may be earlier
    than now (typed ``HH:MM``); the entry is recorded now.

    ``due``: by when it must be acted on (it then needs action); otherwise an
    entry needing action is due within the ordinary limit. ``result``: known
    at once, it is recorded with the entry, which is then closed."""
    with writing(desk, "create", "log"):
        category = check_category(category)
        if category == "零报告":
            raise InvalidInput("log.zero_via_command", field="category")
        text = optional_text(content, "content")
        if not text:
            raise InvalidInput("log.empty", field="content")
        at = when(desk, occurred_at, "occurred_at")
        shift = current_shift(desk)
        explicit = dutytime.parse_due(due, desk.now(), desk.cfg, "due") if due not in (None, "") else None
        if explicit is not None and needs_action is False:
            raise InvalidInput("log.due_without_action", field="due")
        if explicit is not None and explicit < at:
            raise InvalidInput("log.due_before_occurred", field="due")
        needs = category in ACTION_BY_DEFAULT if needs_action is None else bool(needs_action)
        needs = needs or explicit is not None
        outcome = optional_text(result, "result")
        entry = LogEntry.create(
            shift=shift, duty_date=shift.duty_date, recorded_at=desk.now(), recorded_by=desk.actor,
            occurred_at=at, category=category, content=text,
            counterpart_unit=optional_line(counterpart_unit, "counterpart_unit"),
            counterpart_name=optional_line(counterpart_name, "counterpart_name"),
            counterpart_title=optional_line(counterpart_title, "counterpart_title"),
            counterpart_phone=optional_line(counterpart_phone, "counterpart_phone", 40),
            already_informed=optional_text(already_informed, "already_informed"),
            handling=optional_text(handling, "handling"),
            needs_action=needs,
            owner=desk.actor if needs else None,
            due_at=(explicit or ordinary_due(at, desk.cfg)) if needs else None,
            due_explicit=explicit is not None,
            result=outcome,
            closed_at=desk.now() if needs and outcome else None,
        )
        audit.append(desk.now(), desk.actor, "create", "log", entry.id, None, audit.snapshot(entry))
    return entry


def record_call(desk: Desk, content: str, *, unit: str = "", name: str = "", title: str = "", phone: str = "",
                already_informed: str = "", needs_action: bool | None = None, due: datetime | str | None = None,
                result: str = "", occurred_at: datetime | str | None = None, handling: str = "") -> LogEntry:
    """来电: a phone call, with the caller's unit, name, title and phone, who
    the caller had already informed, whether it needs action and by when, and
    the result when known. The desk's call form, ``/电`` and ``duty-desk call``
    all record through here."""
    return record_entry(desk, content, "来电", occurred_at, counterpart_unit=unit, counterpart_name=name,
                        counterpart_title=title, counterpart_phone=phone, already_informed=already_informed,
                        handling=handling, needs_action=needs_action, due=due, result=result)


def record_result(desk: Desk, entry_id: int, result: str, handling: str | None = None) -> LogEntry:
    """Record the result of an entry that needed action; this closes it."""
    with writing(desk, "result", "log", entry_id):
        # Given an amended original's id, the result belongs to the live version.
        entry = latest_version(get_record("log", entry_id))
        if entry.voided_at is not None:
            raise Refused("record.voided", kind="log", id=entry_id)
        text = required_line(result, "result", 2000)
        if entry.result:
            # A result given is a fact of the record: changing it is a
            # correction with a reason (an amendment once the shift is locked).
            raise Refused("log.result_given", id=entry.id)
        before = audit.snapshot(entry)
        entry.result = text
        if handling is not None:
            entry.handling = optional_text(handling, "handling")
        if entry.needs_action and entry.closed_at is None:
            entry.closed_at = desk.now()
        old, new = save_changes(entry, before)
        audit.append(desk.now(), desk.actor, "result", "log", entry.id, old, new)
    return entry


def record_zero_report(desk: Desk, note: str = "", *, previous: bool = False) -> LogEntry:
    """零报告: the duty day had nothing to report. Refused when it has items.

    ``previous``: for the duty day that just ended with neither an item nor a
    zero report. The entry belongs to that day; it is recorded (and locked
    with) the current shift, and its recorded_at shows it came late."""
    with writing(desk, "create", "log"):
        shift = current_shift(desk)
        day = shift.duty_date - timedelta(days=1) if previous else shift.duty_date
        if previous and not desk_in_use_before(day, desk):
            raise Refused("zero.before_use", day=day.isoformat())
        if has_zero_report(day):
            raise Refused("zero.already", day=day.isoformat())
        if day_has_items(day):
            raise Refused("zero.has_items", day=day.isoformat())
        default = f"值班日 {day.isoformat()} 无重要情况报告（次日补报）。" if previous else "本值班日无重要情况报告。"
        text = optional_text(note, "content") or default
        entry = LogEntry.create(
            shift=shift, duty_date=day, recorded_at=desk.now(), recorded_by=desk.actor,
            occurred_at=desk.now(), category="零报告", content=text,
        )
        audit.append(desk.now(), desk.actor, "create", "log", entry.id, None, audit.snapshot(entry))
    return entry


def missing_zero_report(desk: Desk) -> date | None:
    """The duty day that just ended, when it ended with neither a recorded item
    nor a zero report; None otherwise, and when the desk was not yet in use then."""
    previous = desk.today() - timedelta(days=1)
    if not desk_in_use_before(previous, desk):
        return None
    if has_zero_report(previous) or day_has_items(previous):
        return None
    return previous


def desk_in_use_before(day: date, desk: Desk) -> bool:
    """Whether the desk was in use before ``day`` ended: a day before its first
    audit event needs no zero report (nobody kept the desk then)."""
    from duty_desk.core.dutytime import duty_day_bounds
    from duty_desk.core.models import AuditEvent

    _, end = duty_day_bounds(day, desk.cfg)
    first = AuditEvent.select(AuditEvent.at).order_by(AuditEvent.id).first()
    return first is not None and first.at < end


def has_zero_report(day: date) -> bool:
    return LogEntry.select().where(
        (LogEntry.duty_date == day) & (LogEntry.category == "零报告") & live(LogEntry)
    ).exists()


def day_has_items(day: date) -> bool:
    """Any live record of the day other than a zero report."""
    from duty_desk.core.models import Document, UrgentItem, Visitor

    if LogEntry.select().where((LogEntry.duty_date == day) & (LogEntry.category != "零报告") & live(LogEntry)).exists():
        return True
    return any(
        m.select().where((m.duty_date == day) & live(m)).exists() for m in (Visitor, Document, UrgentItem)
    )


CORRECTABLE = ("content", "category", "occurred_at", "counterpart_unit", "counterpart_name",
               "counterpart_title", "counterpart_phone", "already_informed", "handling", "result")


def correct_entry(desk: Desk, entry_id: int, reason: str, **changes: object) -> LogEntry:
    """Correct a log entry with a reason (an amendment once its shift is locked)."""
    with writing(desk, "correct", "log", entry_id):
        entry = get_record("log", entry_id)
        clean: dict[str, object] = {}
        for key, value in changes.items():
            if key not in CORRECTABLE:
                raise InvalidInput("correct.field", field=key, field_name=key)
            if key == "category":
                clean[key] = check_category(str(value))
            elif key == "occurred_at":
                clean[key] = when(desk, value, key)  # type: ignore[arg-type]
            elif key == "content":
                clean[key] = optional_text(str(value), key)
                if not clean[key]:
                    raise InvalidInput("log.empty", field="content")
            else:
                clean[key] = optional_text(str(value), key)
        return apply_correction(desk, "log", entry, clean, reason)


def entries_of_day(day: date, include_void: bool = True) -> list[LogEntry]:
    """The log of one duty day in order of occurrence (voided entries included,
    marked; superseded originals included, their amendments beside them)."""
    query = LogEntry.select().where(LogEntry.duty_date == day)
    if not include_void:
        query = query.where(live(LogEntry))
    return list(query.order_by(LogEntry.occurred_at, LogEntry.id))


def open_calls() -> list[LogEntry]:
    """Entries awaiting a result, any day."""
    return list(
        LogEntry.select()
        .where(LogEntry.needs_action & LogEntry.closed_at.is_null() & live(LogEntry))
        .order_by(LogEntry.due_at)
    )
