"""The models' foundation: the database proxy, the field types, the base
model, and the records every other one refers to (the store's own facts,
officers, shifts, and the fields of every record a person creates)."""

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
