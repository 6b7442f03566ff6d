"""Any text an officer types into the facts or a report: the draft names
every element, marks what changed and never breaks; the stored text is what
was typed (after the core's cleaning) and every recipient gets that text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duty_desk.core.errors import DeskError
from duty_desk.core.models import UrgentReport
from duty_desk.core.reports import facts, service, templates
from duty_desk.core.sanitize import clean_text
from duty_desk.core.services import urgent

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
FACTS = st.fixed_dictionaries({}, optional={f: TEXT for f in facts.FACT_FIELDS if f != "occurred_at"})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=FACTS, second=FACTS)
def test_any_facts_render_a_whole_report_and_a_followup_marks_exactly_what_changed(desk, make_desk, fixed_clock,
                                                                                  first, second):
    leader = make_desk("leader")
    item = urgent.open_urgent(desk, "某地突发事件", "事故灾难", "IV")
    try:
        facts.update_facts(desk, item.id, first)
    except DeskError:
        return  # a value the core refuses (too long after cleaning) leaves nothing half-written
    report = service.draft(desk, item.id)
    assert "${" not in report.text and templates.UNKNOWN in report.text  # the cause is never given here
    service.approve(leader, report.id)
    service.send(desk, report.id, "省政府总值班室", "专网")
    before = facts.current(urgent.get_record("urgent", item.id))
    try:
        facts.update_facts(desk, item.id, second)
    except DeskError:
        return
    after = facts.current(urgent.get_record("urgent", item.id))
    changed = [f for f in facts.FACT_FIELDS if before[f] != after[f]]
    _, _, text = service.preview(desk, item.id)
    if changed:
        words = "、".join(templates.FACT_WORDS[templates.ELEMENT_OF.get(f, f)] for f in changed)
        assert f"本次报告更新：{words}。" in text
    else:
        assert "本次报告无新的变化。" in text
    for f in changed:
        history = facts.history(item.id)[f]
        assert history[-1].value == after[f]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.text(max_size=300), other=st.text(max_size=300))
def test_any_text_is_stored_as_cleaned_and_only_that_text_goes_out(desk, make_desk, fixed_clock, body, other):
    item = urgent.open_urgent(desk, "某地突发事件", "事故灾难", "IV")
    try:
        report = service.draft(desk, item.id, text=body)
    except DeskError as err:
        assert err.key == "report.text_empty" and not clean_text(body)
        return
    assert report.text == clean_text(body)
    service.approve(make_desk("leader"), report.id)
    if clean_text(other) != report.text:
        try:
            service.send(desk, report.id, "市应急管理局", "传真", text=other)
        except DeskError as err:
            assert err.key == "report.not_same_text"
        else:
            raise AssertionError("a different text went out")
    service.send(desk, report.id, "市应急管理局", "传真", text=body)
    assert UrgentReport.get_by_id(report.id).sent_at is not None
