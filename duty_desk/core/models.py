"""Peewee models: one class per record kind.

Times are stored as UTC text ``YYYY-MM-DD HH:MM:SS`` (sortable, unambiguous on
every backend) and come back as aware UTC datetimes. Nothing is deleted: every
record kind a person creates carries ``voided_at/voided_by/void_reason``, and
corrections after a handover are separate amendment rows pointing at the
original (``amends``).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from peewee import (
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database_proxy = DatabaseProxy()


class UTCDateTimeField(CharField):
    """An aware datetime stored as UTC text."""

    field_type = "VARCHAR"

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("max_length", 19)
        super().__init__(*args, **kwargs)

    def db_value(self, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC field")
        return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")

    def python_value(self, value: Any) -> Any:
        if value is None or isinstance(value, datetime):
            return value
        # fromisoformat reads exactly what db_value writes, ~20x faster than
        # strptime: it dominates building the handover sheet of a busy shift.
        return datetime.fromisoformat(value).replace(tzinfo=timezone.utc)


class JSONField(TextField):
    def db_value(self, value: Any) -> Any:
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    def python_value(self, value: Any) -> Any:
        return None if value is None else json.loads(value)


class BaseModel(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class Meta(BaseModel):
    """Key/value facts about the store itself (schema version)."""

    key = CharField(primary_key=True)
    value = TextField()


class Officer(BaseModel):
    login = CharField(unique=True)
    name = CharField()
    role = CharField(default="officer")  # officer | leader | admin
    phone = CharField(default="")
    active = BooleanField(default=True)
    created_at = UTCDateTimeField()


class Shift(BaseModel):
    """One shift of one duty day, started by the first officer to use it."""

    duty_date = DateField()
    index = IntegerField(default=0)
    name = CharField()
    starts_at = UTCDateTimeField(index=True)
    ends_at = UTCDateTimeField()
    officers = JSONField(default=list)  # logins on duty
    leaders = JSONField(default=list)  # names of the leaders on duty
    state = CharField(default="open", index=True)  # open | handed_over | accepted
    started_at = UTCDateTimeField()
    started_by = CharField()
    # A shift handed over before its slot ends is continued by a new part of the
    # same slot (same duty day), starting at the moment of the handover.
    part = IntegerField(default=0)

    class Meta:
        indexes = ((("duty_date", "index", "part"), True),)


class Voidable(BaseModel):
    """Fields every record a person creates carries."""

    shift = ForeignKeyField(Shift, null=True)
    duty_date = DateField(index=True)
    recorded_at = UTCDateTimeField()
    recorded_by = CharField()
    voided_at = UTCDateTimeField(null=True)
    voided_by = CharField(null=True)
    void_reason = TextField(null=True)


class LogEntry(Voidable):
    """值班日志: one line of the running record of the shift."""

    occurred_at = UTCDateTimeField()
    category = CharField()  # 来电 来文 来访 交办 事件 记事 零报告
    content = TextField()
    counterpart_unit = CharField(default="")
    counterpart_name = CharField(default="")
    counterpart_title = CharField(default="")
    counterpart_phone = CharField(default="")
    already_informed = TextField(default="")
    handling = TextField(default="")
    result = TextField(default="")
    # An entry that needs action stays open until its result is recorded.
    needs_action = BooleanField(default=False)
    owner = CharField(null=True)
    due_at = UTCDateTimeField(null=True)
    due_explicit = BooleanField(default=False)
    closed_at = UTCDateTimeField(null=True)
    amends = ForeignKeyField("self", null=True, backref="amendments")

    class Meta:
        indexes = ((("needs_action", "closed_at"), False),)


class Visitor(Voidable):
    """来访: a visitor expected or on the premises."""

    name = CharField()
    unit = CharField(default="")
    phone = CharField(default="")
    id_type = CharField(default="")
    # Only the masked form is kept: the desk never needs the full number after
    # checking it, and what is not stored cannot leak.
    id_masked = CharField(default="")
    purpose = TextField(default="")
    host = CharField(default="")  # person or office visited
    party_size = IntegerField(default=1)
    arrived_at = UTCDateTimeField(null=True)
    reception_at = UTCDateTimeField(null=True)
    left_at = UTCDateTimeField(null=True)
    state = CharField(default="waiting", index=True)  # waiting | receiving | left
    received_by = CharField(default="")
    result = TextField(default="")
    owner = CharField(null=True)
    amends = ForeignKeyField("self", null=True, backref="amendments")


# The states in which a record is still an open item (indexes serve these).
VISITOR_OPEN_STATES = ("waiting", "receiving")
DOCUMENT_OPEN_STATES = ("registered", "checked", "assigned", "circulating", "replied")


class Document(Voidable):
    """来文: an incoming document and where it is in the steps of Art. 24."""

    serial = CharField(unique=True)  # the office's running number, 2026-0137
    received_at = UTCDateTimeField()
    sender = CharField()
    doc_number = CharField(default="")  # 发文字号
    title = CharField(default="")
    classification = CharField(default="")  # 绝密 机密 秘密 or ""
    secrecy_period = CharField(default="")
    copy_number = CharField(default="")  # 份号
    copies = IntegerField(default=1)
    urgency = CharField(default="")  # 特提 特急 加急 平急 or ""
    attachments = TextField(default="")
    summary = TextField(default="")  # never for classified documents
    deadline = UTCDateTimeField(null=True)
    deadline_explicit = BooleanField(default=False)
    state = CharField(default="signed", index=True)
    custody = CharField(default="")  # who holds the copy now
    proposal = TextField(default="")  # 拟办意见
    handling_units = TextField(default="")
    reply = TextField(default="")
    owner = CharField(null=True)
    closed_at = UTCDateTimeField(null=True, index=True)
    filed_at = UTCDateTimeField(null=True)
    file_number = CharField(default="")
    amends = ForeignKeyField("self", null=True, backref="amendments")


class DocumentStep(BaseModel):
    """One step a document went through: signed, registered, checked, returned,
    proposed, assigned, circulated, chased, replied, closed, filed."""

    document = ForeignKeyField(Document, backref="steps")
    step = CharField()
    at = UTCDateTimeField()
    by = CharField()
    party = CharField(default="")  # unit, leader or person concerned
    text = TextField(default="")
    deadline = UTCDateTimeField(null=True)
    recorded_at = UTCDateTimeField()
    voided_at = UTCDateTimeField(null=True)
    voided_by = CharField(null=True)
    void_reason = TextField(null=True)


class UrgentItem(Voidable):
    """紧急信息: a sudden event being reported upward."""

    title = CharField()
    event_type = CharField()  # 自然灾害 事故灾难 公共卫生事件 社会安全事件
    level = CharField()  # I II III IV
    occurred_at = UTCDateTimeField(null=True)
    place = CharField(default="")
    received_at = UTCDateTimeField()
    source_unit = CharField(default="")
    source_name = CharField(default="")
    source_phone = CharField(default="")
    first_responder = CharField()
    casualties = TextField(default="")
    measures = TextField(default="")
    leaders_on_scene = TextField(default="")
    trend = TextField(default="")
    recommendations = TextField(default="")
    owner = CharField(null=True)
    # The next report due, kept current by every timeline event and on start,
    # so the open-items view can sort and page in SQL.
    next_due_kind = CharField(null=True)
    next_due_at = UTCDateTimeField(null=True)
    state = CharField(default="open", index=True)  # open | closed
    closed_at = UTCDateTimeField(null=True, index=True)
    amends = ForeignKeyField("self", null=True, backref="amendments")


class UrgentEvent(BaseModel):
    """The timeline of an urgent item: leader informed, phone report, 首报,
    续报 n, 日报, 终报 (closes it)."""

    item = ForeignKeyField(UrgentItem, backref="events")
    kind = CharField()  # leader_informed phone_report first_report followup daily final
    seq = IntegerField(default=0)  # 续报一 = 1, 续报二 = 2 ...
    at = UTCDateTimeField()
    by = CharField()
    party = CharField(default="")  # who was informed / reported to
    means = CharField(default="")  # phone, fax, system ...
    text = TextField(default="")
    recorded_at = UTCDateTimeField()
    voided_at = UTCDateTimeField(null=True)
    voided_by = CharField(null=True)
    void_reason = TextField(null=True)


class Instruction(Voidable):
    """批示: a leader's instruction on an item, open until carried out and answered."""

    item_kind = CharField()
    item_id = IntegerField()
    leader = CharField()
    given_at = UTCDateTimeField()
    text = TextField()
    assignee = CharField(default="")
    due_at = UTCDateTimeField(null=True)
    # False: the due time follows deadlines.ordinary_minutes and moves with the config.
    due_explicit = BooleanField(default=False)
    owner = CharField(null=True)
    result = TextField(default="")
    answered_at = UTCDateTimeField(null=True, index=True)

    class Meta:
        indexes = ((("item_kind", "item_id"), False),)


class Chase(BaseModel):
    """催办: a chase on any open item."""

    item_kind = CharField()
    item_id = IntegerField()
    at = UTCDateTimeField()
    by = CharField()
    whom = CharField()
    means = CharField(default="")
    answer = TextField(default="")
    recorded_at = UTCDateTimeField()

    class Meta:
        indexes = ((("item_kind", "item_id"), False),)


class OverdueMark(BaseModel):
    """A due time that passed, recorded once per item and due."""

    item_kind = CharField()
    item_id = IntegerField()
    due_kind = CharField()
    due_at = UTCDateTimeField()
    owner = CharField(default="")
    marked_at = UTCDateTimeField()

    class Meta:
        indexes = ((("item_kind", "item_id", "due_kind", "due_at"), True),)


class Handover(BaseModel):
    """交接班: the sheet handed over at the end of a shift and its acceptance."""

    shift = ForeignKeyField(Shift, unique=True, backref="handovers")
    outgoing = CharField()
    notes = TextField(default="")
    handed_over_at = UTCDateTimeField()
    audit_head = CharField()  # digest of the audit trail's head at hand-over
    sheet = JSONField()  # the sheet as data, as it was at hand-over
    accepted_by = CharField(null=True)
    accepted_at = UTCDateTimeField(null=True)


class HandoverItem(BaseModel):
    """One carried-over open item and its read-back by the incoming officer."""

    handover = ForeignKeyField(Handover, backref="items")
    item_kind = CharField()
    item_id = IntegerField()
    # The open-item kind (call visitor document instruction urgent) or
    # "custody": a classified copy whose whereabouts are confirmed, not owned.
    open_kind = CharField(default="")
    summary = TextField()
    owner = CharField(default="")
    next_action = TextField(default="")
    readback = TextField(null=True)
    read_back_at = UTCDateTimeField(null=True)
    read_back_by = CharField(null=True)


class Draft(BaseModel):
    """What an officer typed and has not sent: the entry line (slot "entry")
    or an open form (slot "form", its fields as JSON). A draft belongs to one
    running desk (desk_id, with the host and process that run it); another
    desk takes it over only once that desk is gone (services.drafts)."""

    login = CharField(index=True)
    desk_id = CharField()
    host = CharField(default="")
    pid = IntegerField(default=0)
    slot = CharField(default="entry")
    text = TextField(default="")
    updated_at = UTCDateTimeField()

    class Meta:
        # Schema step 2: the first draft table ("draft", one per login) is
        # left in place and its rows copied here.
        table_name = "desk_draft"
        indexes = ((("desk_id", "slot"), True),)


class RosterMonth(BaseModel):
    """排班: one month's roster as a whole, a draft until an administrator
    publishes it; after that its days change only by amendment."""

    month = CharField(unique=True)  # YYYY-MM
    state = CharField(default="draft")  # draft | published
    planned_at = UTCDateTimeField()
    planned_by = CharField()
    published_at = UTCDateTimeField(null=True)
    published_by = CharField(null=True)


class RosterEntry(BaseModel):
    """Who is on duty in one shift slot of one duty day: the duty officers,
    the leaders on duty (带班领导) and standby people, all by login. A change
    to a published day is a new row that amends this one (with its reason);
    the original stays readable."""

    duty_date = DateField(index=True)
    slot = IntegerField(default=0)  # the shift's index in duty.shifts
    officers = JSONField(default=list)
    leaders = JSONField(default=list)
    standby = JSONField(default=list)
    note = TextField(default="")
    # The swap or cover (RosterSwap) that made this version, and why it replaced the one before.
    swap = IntegerField(null=True)
    reason = TextField(default="")
    recorded_at = UTCDateTimeField()
    recorded_by = CharField()
    voided_at = UTCDateTimeField(null=True)
    voided_by = CharField(null=True)
    void_reason = TextField(null=True)
    amends = ForeignKeyField("self", null=True, backref="amendments")


class RosterSwap(BaseModel):
    """换班 / 替班: an officer's duty handed to a colleague (and, for a swap,
    the colleague's duty on ``back_date`` taken in return). Asked, accepted by
    the colleague, approved by an administrator or leader when the office
    requires it; or a cover (``kind`` "cover") set at once by an administrator."""

    kind = CharField(default="swap")  # swap | cover
    duty_date = DateField(index=True)
    slot = IntegerField(default=0)
    from_login = CharField()
    to_login = CharField()
    back_date = DateField(null=True)
    back_slot = IntegerField(null=True)
    reason = TextField()
    state = CharField(default="requested", index=True)  # requested accepted approved refused withdrawn
    requested_at = UTCDateTimeField()
    requested_by = CharField()
    accepted_at = UTCDateTimeField(null=True)
    decided_at = UTCDateTimeField(null=True)
    decided_by = CharField(null=True)
    decision_note = TextField(default="")


class Leave(BaseModel):
    """请假 / 不可排班: an officer or leader not to be rostered on these days."""

    login = CharField(index=True)
    starts_on = DateField()
    ends_on = DateField(index=True)
    reason = TextField()
    recorded_at = UTCDateTimeField()
    recorded_by = CharField()
    voided_at = UTCDateTimeField(null=True)
    voided_by = CharField(null=True)
    void_reason = TextField(null=True)


class Contact(BaseModel):
    """通讯录: a unit (``name`` empty: the unit itself, with its 24-hour duty
    line) or a person of a unit. Kept by administrators; a change is made in
    place and audited with the old values; a contact no longer in use is
    voided with a reason and stays readable."""

    unit = CharField(default="", index=True)
    name = CharField(default="")
    title = CharField(default="")
    office_phone = CharField(default="")
    mobile = CharField(default="")
    duty_phone = CharField(default="")  # the unit's 24-hour duty line (值班电话)
    fax = CharField(default="")
    tags = JSONField(default=list)  # what it is called about: 防汛 安全生产 信访 …
    notes = TextField(default="")
    recorded_at = UTCDateTimeField()
    recorded_by = CharField()
    voided_at = UTCDateTimeField(null=True)
    voided_by = CharField(null=True)
    void_reason = TextField(null=True)


class StandingOrder(BaseModel):
    """定时事项: a recurring duty at a clock time (汛期每日16时报雨情). Each
    occurrence becomes a StandingItem, an open item until its result is
    recorded."""

    title = CharField()
    at_time = CharField()  # local clock time, HH:MM
    rule = CharField(default="daily")  # daily | workdays | weekly | monthly
    weekday = IntegerField(null=True)  # weekly: 1 Monday … 7 Sunday
    monthday = IntegerField(null=True)  # monthly: 1 … 31 (the month's last day when shorter)
    # A yearly season (汛期 06-01 … 09-30, may wrap over the new year) as MM-DD.
    season_from = CharField(default="")
    season_to = CharField(default="")
    # The first and last day the order holds at all.
    starts_on = DateField(null=True)
    ends_on = DateField(null=True)
    skip_holidays = BooleanField(default=False)
    owner = CharField(null=True)  # login; None: the officer on duty
    discharge = TextField(default="")  # what must be recorded to discharge it
    # Minutes from its time until it is overdue.
    window_minutes = IntegerField(default=30)
    recorded_at = UTCDateTimeField()
    recorded_by = CharField()
    voided_at = UTCDateTimeField(null=True)
    voided_by = CharField(null=True)
    void_reason = TextField(null=True)


class StandingItem(Voidable):
    """One occurrence of a standing order: open from its time until its
    result is recorded. One per order and time (a unique index keeps it
    single when several desks bring it at once)."""

    order = ForeignKeyField(StandingOrder, backref="items")
    title = CharField()
    scheduled_at = UTCDateTimeField()
    due_at = UTCDateTimeField(index=True)
    owner = CharField(null=True)
    result = TextField(default="")
    closed_at = UTCDateTimeField(null=True, index=True)

    class Meta:
        indexes = ((("order", "scheduled_at"), True),)


class AuditEvent(BaseModel):
    """The hash-chained audit trail. The database refuses UPDATE and DELETE."""

    at = UTCDateTimeField()
    actor = CharField()
    action = CharField()
    kind = CharField()
    record_id = IntegerField(null=True)
    old = TextField(null=True)
    new = TextField(null=True)
    outcome = CharField(default="success")  # success | failure
    prev_hash = CharField()
    hash = CharField()

    class Meta:
        indexes = ((("kind", "record_id"), False),)


ALL_MODELS = [
    Meta,
    Officer,
    Shift,
    LogEntry,
    Visitor,
    Document,
    DocumentStep,
    UrgentItem,
    UrgentEvent,
    Instruction,
    Chase,
    OverdueMark,
    Handover,
    HandoverItem,
    Draft,
    RosterMonth,
    RosterEntry,
    RosterSwap,
    Leave,
    Contact,
    StandingOrder,
    StandingItem,
    AuditEvent,
]

# record kind name -> model, as used in audit events and open items
KINDS = {
    "log": LogEntry,
    "visitor": Visitor,
    "document": Document,
    "urgent": UrgentItem,
    "instruction": Instruction,
    "shift": Shift,
    "handover": Handover,
    "officer": Officer,
    "roster_month": RosterMonth,
    "roster": RosterEntry,
    "swap": RosterSwap,
    "leave": Leave,
    "contact": Contact,
    "standing_order": StandingOrder,
    "standing": StandingItem,
}
