"""The registry of record kinds (core.kinds) is the one place a kind is
described: every consumer covers every kind it holds. A kind added to the
registry and forgotten by a consumer fails here, naming both."""

from __future__ import annotations

from datetime import timedelta

import pytest

from duty_desk import cli
from duty_desk.core import kinds
from duty_desk.core.detail import allowed_actions, load_detail
from duty_desk.core.handover import sheet_of
from duty_desk.core.i18n import known
from duty_desk.core.openitems import OPEN_KINDS, is_open, list_open, normalize_kinds, record_owner
from duty_desk.core.present import TABLE_COLUMNS, cell, column_header, record_dict
from duty_desk.core.services import documents, log, urgent, visitors
from duty_desk.core.services.chasing import CHASEABLE
from duty_desk.core.services.common import current_shift
from duty_desk.core.services.instructions import INSTRUCTABLE, record_instruction
from duty_desk.core.services.ownership import OWNED_KINDS

KINDS = list(kinds.REGISTRY.values())


def _standing_item(desk):
    """The occurrence of a standing order at 09:30, recorded the hour before (now 10:00)."""
    from duty_desk.core import clock
    from duty_desk.core.standing.service import bring_due, create_as_system

    with clock.fixed_at(desk.now() - timedelta(hours=1)):
        create_as_system(desk, "每日09:30 报送值班信息")
    (made,) = bring_due(desk)
    return made


@pytest.fixture
def one_of_each(desk):
    """One open record of every kind in the registry."""
    item = urgent.open_urgent(desk, "城西区暴雨致民房倒塌", "自然灾害", "II")
    made = {
        "log": log.record_entry(desk, "东城街道来电反映井盖缺失", "来电", "09:00", needs_action=True),
        "visitor": visitors.register_visitor(desk, "钱秀英", unit="市水务局", purpose="沟通排涝联动"),
        "document": documents.receive_document(desk, "省政府办公厅", title="关于防汛的特提通知", urgency="特提"),
        "urgent": item,
        "instruction": record_instruction(desk, "urgent", item.id, "王军", "全力救治伤员", assignee="市卫健委"),
        "standing": _standing_item(desk),
    }
    assert set(made) == set(kinds.REGISTRY), "the fixture makes one record of every registered kind"
    return made


def test_every_kind_names_its_model_its_catalog_keys_and_its_columns():
    for spec in KINDS:
        assert kinds.REGISTRY[spec.name] is spec and kinds.BY_OPEN_NAME[spec.open_name] is spec
        assert known(f"kind.{spec.name}"), spec.name
        assert known(f"open.kind.{spec.open_name}"), spec.name
        assert spec.table_columns and spec.detail_fields, spec.name
        fields = set(spec.model._meta.fields)
        assert set(spec.detail_fields) <= fields, spec.name
        assert set(spec.table_columns) - {"state"} <= fields, spec.name
        assert spec.due_field is None or spec.due_field in fields, spec.name
        assert spec.default_owner in fields and "owner" in fields, spec.name
        for name in spec.typed_names:
            assert kinds.record_kind(name) == spec.name


def test_open_items_cover_every_kind(desk, one_of_each):
    assert OPEN_KINDS == tuple(k.open_name for k in KINDS)
    for spec in KINDS:
        record = one_of_each[spec.name]
        assert is_open(spec.name, record), spec.name
        assert record_owner(spec.name, record) == "tester", spec.name
        assert normalize_kinds(list(spec.typed_names)) == (spec.open_name,)
        listed = list_open(desk, kinds=spec.open_name)
        assert [(i.record_kind, i.id) for i in listed] == [(spec.name, record.id)], spec.name
        assert listed[0].title and listed[0].next_action is not None, spec.name
        # Every due of the record, the stored (soonest) one among them.
        dues = spec.dues_of(record, desk.cfg)
        due_at, due_kind = spec.due_of(record)
        assert (due_at is None) == (dues == []) or spec.all_dues is not None, spec.name
        if due_at is not None:
            assert (due_kind, due_at) in dues, spec.name


def test_following_up_covers_the_kinds_the_registry_allows():
    assert set(CHASEABLE) == {k.name for k in KINDS if k.chaseable}
    assert set(INSTRUCTABLE) == {k.name for k in KINDS if k.instructable}
    assert set(OWNED_KINDS) == set(kinds.REGISTRY)


def test_the_handover_sheet_covers_every_kind(desk, one_of_each):
    sheet = sheet_of(desk, current_shift(desk))
    assert set(sheet.record_counts) == {k.name for k in KINDS if k.counted_on_sheet}
    for spec in KINDS:
        if spec.counted_on_sheet:
            assert sheet.record_counts[spec.name] == 1, spec.name
    carried = {c.record_kind for c in sheet.carried}
    assert carried >= set(kinds.REGISTRY), "every kind's open item is carried over"


def test_the_command_line_offers_every_kind_by_every_name():
    parser = cli.build_parser()
    for spec in KINDS:
        for name in spec.typed_names:
            assert parser.parse_args(["show", "open", "--kind", name]).kind == [name]
            assert parser.parse_args(["transfer", name, "1", "incoming", "--reason", "换班"]).kind == name
            if spec.chaseable:
                assert parser.parse_args(["chase", name, "1", "--whom", "水务局"]).kind == name
            if spec.instructable:
                assert parser.parse_args(["instruct", name, "1", "--leader", "王军", "--text", "跟进"]).kind == name
        for name in (spec.name, *spec.parts):
            assert parser.parse_args(["void", name, "1", "--reason", "误录"]).kind == name
        assert parser.parse_args(["history", spec.name, "1"]).kind == spec.name
        if spec.listing:
            assert parser.parse_args(["show", spec.listing]).what == spec.listing
    from duty_desk.cli.records import LISTINGS, of_day

    assert set(of_day()) == set(LISTINGS.values())


def test_the_palette_and_the_desk_can_create_every_kind():
    from duty_desk.tui.actions import PALETTE
    from duty_desk.tui.desk_screen import DeskScreen

    offered = {action for action, _label in PALETTE}
    for spec in KINDS:
        assert spec.new_action in offered, spec.name
        assert callable(getattr(DeskScreen, f"action_{spec.new_action}", None)), spec.name


def test_the_detail_covers_every_kind(desk, one_of_each):
    for spec in KINDS:
        record = one_of_each[spec.name]
        detail = load_detail(desk, spec.name, record.id)
        assert detail.headline == kinds.summary(spec.name, record, desk.cfg) and detail.headline, spec.name
        assert detail.fields and detail.history, spec.name
        assert "void" in detail.actions and detail.actions == allowed_actions(spec.name, record), spec.name
        if spec.instructable:
            assert "instruct" in detail.actions, spec.name


def test_presentation_covers_every_kind(desk, one_of_each):
    assert set(TABLE_COLUMNS) == set(kinds.REGISTRY)
    for spec in KINDS:
        row = record_dict(spec.name, one_of_each[spec.name], desk.cfg)
        state = spec.state_of(one_of_each[spec.name])
        assert row["state"] == state, spec.name
        assert not state or known(f"state.{spec.name}.{state}"), (spec.name, state)
        for column in spec.table_columns:
            assert column_header(spec.name, column), (spec.name, column)
            cell(spec.name, column, row)
