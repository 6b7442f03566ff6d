"""Peewee models: one class per record kind.

Times are stored as UTC text ``YYYY-MM-DD HH:MM:SS`` (sortable, unambiguous on
every backend) and come back as aware UTC datetimes. Nothing is deleted: every
record kind a person creates carries ``voided_at/voided_by/void_reason``, and
corrections after a handover are separate amendment rows pointing at the
original (``amends``).
"""
from __future__ import annotations

from peewee import BooleanField, CharField, ForeignKeyField, IntegerField, TextField

from duty_desk.core.models.base import (
    BaseModel,
    JSONField,
    Meta,
    Officer,
    Shift,
    UTCDateTimeField,
    Voidable,
    database_proxy,
)
from duty_desk.core.models.planning import (
    Contact,
    Leave,
    RosterEntry,
    RosterMonth,
    RosterSwap,
    StandingItem,
    StandingOrder,
)
from duty_desk.core.models.reports import ReportSending, UrgentFact, UrgentReport


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
    # Facts added with reporting upward (schema 8): what happened, the cause as
    # far as known, the next steps, how reliable the source is.
    summary = TextField(default="")
    cause = TextField(default="")
    next_steps = TextField(default="")
    reliability = CharField(default="")
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
    UrgentFact,
    UrgentReport,
    ReportSending,
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
    "urgent_report": UrgentReport,
}

__all__ = ["ALL_MODELS", "DOCUMENT_OPEN_STATES", "KINDS", "VISITOR_OPEN_STATES", "AuditEvent", "BaseModel", "Chase",
           "Contact", "Document", "DocumentStep", "Draft", "Handover", "HandoverItem", "Instruction", "JSONField",
           "Leave", "LogEntry", "Meta", "Officer", "OverdueMark", "ReportSending", "RosterEntry", "RosterMonth", "RosterSwap", "Shift",
           "StandingItem", "StandingOrder", "UTCDateTimeField", "UrgentEvent", "UrgentFact", "UrgentItem", "UrgentReport", "Visitor", "Voidable",
           "database_proxy"]
