"""Assertions several test modules share."""

from __future__ import annotations

import json

import pytest

from duty_desk.core.models import AuditEvent


def fails(desk, exc: type, key: str, fn, *args, **kwargs):
    """Call ``fn``; it must raise ``exc`` with ``key`` and a catalog message,
    and leave exactly one new audit event: the failure, by the acting officer."""
    before = AuditEvent.select().count()
    with pytest.raises(exc) as caught:
        fn(desk, *args, **kwargs)
    err = caught.value
    assert err.key == key
    assert err.message != key, "message missing from the catalog"
    assert AuditEvent.select().count() == before + 1
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (event.outcome, event.actor) == ("failure", desk.actor)
    assert json.loads(event.new)["error"] == key
    return err
