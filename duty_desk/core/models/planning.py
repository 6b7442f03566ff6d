"""The roster's records (排班: months, days, swaps, leave), the contact book
(通讯录) and standing orders (定时事项) with their occurrences."""

from __future__ import annotations

from peewee import BooleanField, CharField, DateField, ForeignKeyField, IntegerField, TextField

from duty_desk.core.models.base import BaseModel, JSONField, UTCDateTimeField, Voidable


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
