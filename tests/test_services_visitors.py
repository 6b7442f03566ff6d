"""来访: register (ID check digit, masking), reception, check-out; each step
audited, each refused step audited as a failure."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

from support import fails

from duty_desk.core import audit, clock, search
from duty_desk.core.errors import InvalidInput, Refused
from duty_desk.core.models import AuditEvent, Visitor
from duty_desk.core.services import visitors

VALID_ID = "11010519491231002X"  # GB 11643: check digit X is right for these 17 digits




def _register(desk, **kw):
    kw.setdefault("unit", "东城街道办事处")
    kw.setdefault("id_number", VALID_ID)
    return visitors.register_visitor(desk, "赵建国", purpose="报送防汛物资材料", host="应急协调处",
                                     party_size=2, **kw)


def test_visitor_is_registered_waiting_with_the_id_masked_and_audited(desk, fixed_clock):
    v = _register(desk)
    assert (v.state, v.arrived_at, v.owner, v.party_size) == ("waiting", fixed_clock, "tester", 2)
    assert v.id_masked == "110105********002X"
    event = audit.history("visitor", v.id)[-1]
    assert (event.action, event.outcome) == ("create", "success")
    assert json.loads(event.new)["id_masked"] == "110105********002X"


def test_full_id_number_is_stored_nowhere(desk, db_path):
    _register(desk)
    con = sqlite3.connect(db_path)
    try:
        # Every stored table, the search index's own included (a contentless
        # FTS table cannot be read as a table: its data is in its shadow tables).
        tables = [name for name, sql in con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
                  if not sql.upper().startswith("CREATE VIRTUAL")]
        assert "search_doc" in tables and "search_fts_data" in tables
        dump = "\n".join(repr(row) for name in tables for row in con.execute(f'SELECT * FROM "{name}"'))
    finally:
        con.close()
    assert VALID_ID not in dump and "11010519491231" not in dump
    assert search.search(desk, "11010519491231").hits == []  # nor can any search find it
    assert search.search(desk, "1949").hits == []


def test_lowercase_x_and_spaces_in_the_id_are_accepted(desk):
    v = _register(desk, id_number=" 110105 19491231 002x ")
    assert v.id_masked == "110105********002X"


def test_wrong_check_digit_is_refused_saying_which_digit_was_expected(desk):
    err = fails(desk, InvalidInput, "id.check_digit", _register, id_number="110105194912310021")
    assert err.field == "id_number"
    assert "末位为1" in err.message and "应为X" in err.message
    assert Visitor.select().count() == 0


def test_wrong_length_of_the_id_is_refused(desk):
    err = fails(desk, InvalidInput, "id.length", _register, id_number="11010519491231002")
    assert "17" in err.message


def test_failed_id_check_does_not_leak_the_number_into_the_audit_trail(desk):
    fails(desk, InvalidInput, "id.check_digit", _register, id_number="110105194912310021")
    assert not AuditEvent.select().where(AuditEvent.new.contains("11010519491231")).exists()


def test_passport_number_is_not_checked_as_a_resident_id_but_still_masked(desk):
    v = _register(desk, id_type="护照", id_number="E12345678")
    assert v.id_type == "护照" and v.id_masked.startswith("E1") and "2345678" not in v.id_masked


def test_visitor_without_id_is_registered(desk):
    v = _register(desk, id_number="")
    assert v.id_masked == "" and v.id_type == ""


def test_empty_name_and_bad_party_size_are_refused(desk):
    fails(desk, InvalidInput, "input.empty", visitors.register_visitor, " ")
    fails(desk, InvalidInput, "visitor.party_size", visitors.register_visitor, "钱秀英", party_size=0)
    fails(desk, InvalidInput, "visitor.party_size", visitors.register_visitor, "钱秀英", party_size="两")
    assert Visitor.select().count() == 0


def test_reception_then_check_out_each_audited(desk, fixed_clock):
    v = _register(desk)
    clock.set_now(fixed_clock + timedelta(minutes=5))
    v = visitors.start_reception(desk, v.id, "应急协调处 钱处长")
    assert (v.state, v.received_by, v.reception_at) == ("receiving", "应急协调处 钱处长", fixed_clock + timedelta(minutes=5))
    clock.set_now(fixed_clock + timedelta(minutes=40))
    v = visitors.check_out(desk, v.id, "材料已转应急协调处")
    assert (v.state, v.left_at, v.result) == ("left", fixed_clock + timedelta(minutes=40), "材料已转应急协调处")
    actions = [(e.action, e.outcome) for e in audit.history("visitor", v.id)]
    assert actions == [("create", "success"), ("receive", "success"), ("check_out", "success")]
    assert json.loads(audit.history("visitor", v.id)[-1].old)["state"] == "receiving"


def test_reception_defaults_to_the_host_visited(desk):
    v = visitors.start_reception(desk, _register(desk).id)
    assert v.received_by == "应急协调处"


def test_visitor_still_here_is_on_the_premises_until_checked_out(desk):
    v = _register(desk)
    assert [x.id for x in visitors.on_premises()] == [v.id]
    visitors.check_out(desk, v.id)
    assert visitors.on_premises() == []
    assert [x.id for x in visitors.visitors_of_day(desk.today())] == [v.id]


def test_checking_out_twice_is_refused(desk):
    v = _register(desk)
    visitors.check_out(desk, v.id)
    err = fails(desk, Refused, "visitor.already_left", visitors.check_out, v.id)
    assert "赵建国" in err.message


def test_reception_of_a_visitor_who_left_is_refused(desk):
    v = _register(desk)
    visitors.check_out(desk, v.id)
    fails(desk, Refused, "visitor.not_waiting", visitors.start_reception, v.id)
    assert Visitor.get_by_id(v.id).state == "left"


def test_leaving_before_arriving_is_refused(desk):
    v = _register(desk, arrived_at="09:30")
    fails(desk, InvalidInput, "visitor.left_before_arrival", visitors.check_out, v.id, left_at="09:00")
    assert Visitor.get_by_id(v.id).state == "waiting"


def test_voided_visitor_cannot_be_checked_out(desk):
    from duty_desk.core.services.common import void_record

    v = _register(desk)
    void_record(desk, "visitor", v.id, "重复登记")
    err = fails(desk, Refused, "record.voided", visitors.check_out, v.id)
    assert "来访" in err.message
    assert visitors.on_premises() == []
