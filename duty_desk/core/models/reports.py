"""Reporting upward (信息报送): an urgent item's facts as they changed, the
written reports drafted from them (首报, 续报, 日报, 终报), their sign-off
(签发) and every sending of the one approved text (同口径)."""

from __future__ import annotations

from peewee import CharField, ForeignKeyField, IntegerField, TextField

from duty_desk.core.models.base import BaseModel, JSONField, UTCDateTimeField


class UrgentFact(BaseModel):
    """One value of one of an urgent item's facts (casualties, measures …),
    as it became known. Nothing is overwritten: the item carries the latest
    value, these rows every value it had, so the history shows how the
    figures changed (2人轻伤 → 3人受伤，其中1人重伤)."""

    item = IntegerField(index=True)  # urgent_item.id
    field = CharField()
    value = TextField(default="")
    at = UTCDateTimeField()  # when it became known
    by = CharField()
    recorded_at = UTCDateTimeField()


class UrgentReport(BaseModel):
    """A written report to the level above. Its text is the officer's to edit
    until it is sent; approval (签发) is of one exact text (its digest), and
    every sending carries that text. Due time, sending time and lateness are
    stored here, when the report is sent, whether or not a desk was open."""

    item = IntegerField(index=True)  # urgent_item.id
    kind = CharField()  # first_report | followup | daily | final
    seq = IntegerField(default=0)  # 续报一 = 1 …, 日报 numbered the same way
    text = TextField(default="")
    facts = JSONField(default=dict)  # the facts the draft was built from
    base_facts = JSONField(default=dict)  # the facts of the report before (what changed)
    drafted_at = UTCDateTimeField()
    drafted_by = CharField()
    edited_at = UTCDateTimeField(null=True)
    edited_by = CharField(null=True)
    approved_by = CharField(null=True)  # the leader's login
    approved_name = CharField(null=True)
    approved_at = UTCDateTimeField(null=True)
    approval_means = CharField(null=True)  # desk | phone
    approval_recorded_by = CharField(null=True)
    approved_digest = CharField(null=True)
    due_at = UTCDateTimeField(null=True)
    sent_at = UTCDateTimeField(null=True)
    late_minutes = IntegerField(null=True)
    delay_reason = TextField(default="")
    event = IntegerField(null=True)  # the urgent_event its sending put on the timeline
    voided_at = UTCDateTimeField(null=True)
    voided_by = CharField(null=True)
    void_reason = TextField(null=True)


class ReportSending(BaseModel):
    """The approved text of a report sent to one recipient by one means."""

    report = ForeignKeyField(UrgentReport, backref="sendings")
    recipient = CharField()
    contact = IntegerField(null=True)  # contact.id when chosen from the contact book
    means = CharField()  # 专网 传真 电话口头 短信
    sent_at = UTCDateTimeField()
    by = CharField()
    digest = CharField()  # of the text sent: always the approved one
    received_by = CharField(default="")
    confirmed_at = UTCDateTimeField(null=True)
    recorded_at = UTCDateTimeField()
    # A sending recorded by mistake (the wrong recipient, a fax that did not go):
    voided_at = UTCDateTimeField(null=True)
    voided_by = CharField(null=True)
    void_reason = TextField(null=True)
