"""首问责任制: an item belongs to whoever first received it until it is
formally transferred — with the new owner and a reason, audited."""

from __future__ import annotations

from peewee import Model

from duty_desk.core import audit, kinds
from duty_desk.core.desk import Desk
from duty_desk.core.errors import InvalidInput, Refused
from duty_desk.core.models import Officer
from duty_desk.core.openitems import is_open
from duty_desk.core.services.common import get_record, latest_version, required_line, writing

OWNED_KINDS = kinds.names()  # every kind of item has an owner (首问责任制)


def transfer_ownership(desk: Desk, item_kind: str, item_id: int, new_owner: str, reason: str,
                       action: str = "transfer") -> Model:
    """Hand an open item to another officer. ``action`` names why in the audit
    trail (``transfer`` by hand, ``handover`` on acceptance of a shift)."""
    with writing(desk, action, item_kind, item_id):
        if item_kind not in OWNED_KINDS:
            raise InvalidInput("owner.kind", field="kind", kind=item_kind)
        # An amended original's id means its live version, which the open-items view shows.
        record = latest_version(get_record(item_kind, item_id))
        if record.voided_at is not None:
            raise Refused("record.voided", kind=item_kind, id=item_id)
        if not is_open(item_kind, record):
            raise Refused("owner.closed", kind=item_kind, id=item_id)
        target = Officer.get_or_none((Officer.login == new_owner) & Officer.active)
        if target is None:
            raise InvalidInput("owner.unknown", field="owner", login=new_owner)
        reason = required_line(reason, "reason")
        old = record.owner
        if old == new_owner:
            raise Refused("owner.same", login=new_owner)
        record.owner = new_owner
        record.save(only=[type(record).owner])
        audit.append(desk.now(), desk.actor, action, item_kind, record.id,
                     {"owner": old}, {"owner": new_owner, "reason": reason})
    return record
