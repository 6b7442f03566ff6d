"""Snapshots of every form at 80x24 with Chinese content: labels line up,
nothing is cut off, wide characters take their two cells.

Update with ``pytest tests/tui/test_forms_snapshots.py --snapshot-update``
and look at the SVGs before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import Host

from duty_desk.core.services import documents, log, urgent, visitors
from duty_desk.tui.forms import (
    CheckOutForm,
    DocumentForm,
    DocumentStepForm,
    ResultForm,
    UrgentEventForm,
    UrgentForm,
    VisitorForm,
    VoidForm,
    ZeroReportForm,
)

ROOT = Path(__file__).resolve().parents[2]
SIZE = (80, 24)





def settled(*then):
    """run_before: wait for the form's thread workers, then do ``then``."""

    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        for step in then:
            await step(pilot)
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

    return run_before


def focus(name: str):
    async def step(pilot) -> None:
        pilot.app.screen.widget(name).focus()

    return step


def press(*keys: str):
    async def step(pilot) -> None:
        await pilot.press(*keys)

    return step


def test_visitor_form_snapshot(desk, snap_compare):
    app = Host(lambda: VisitorForm(desk, name="张建国", unit="城关街道办事处", phone="13912345678",
                                   id_number="11010519491231002X", purpose="反映小区雨后积水问题",
                                   host="信访科"))
    assert snap_compare(app, terminal_size=SIZE, run_before=settled(focus("party_size")))


def test_visitor_form_with_a_wrong_id_snapshot(desk, snap_compare):
    app = Host(lambda: VisitorForm(desk, name="王芳", id_number="110105194912310021"))
    assert snap_compare(app, terminal_size=SIZE, run_before=settled(focus("id_number"), press("enter")))


def test_check_out_form_snapshot(desk, snap_compare):
    v = visitors.register_visitor(desk, "张建国", unit="城关街道办事处", host="信访科", arrived_at="09:15")
    app = Host(lambda: CheckOutForm(desk, v.id, result="已转区住建局，答复三日内处理"))
    assert snap_compare(app, terminal_size=SIZE, run_before=settled())


def test_document_form_snapshot(desk, snap_compare):
    app = Host(lambda: DocumentForm(desk, sender="市防汛抗旱指挥部办公室", doc_number="市防指发〔2026〕12号",
                                    title="关于做好强降雨防范工作的紧急通知", urgency="特急",
                                    attachments="防汛责任人名单"))
    assert snap_compare(app, terminal_size=SIZE, run_before=settled(focus("urgency")))


def test_classified_document_form_snapshot(desk, snap_compare):
    app = Host(lambda: DocumentForm(desk, sender="省委办公厅", doc_number="省委办发〔2026〕3号",
                                    classification="机密", copy_number="000015"))
    assert snap_compare(app, terminal_size=SIZE, run_before=settled(focus("classification")))


def test_document_step_form_snapshot(desk, snap_compare):
    doc = documents.receive_document(desk, "市应急管理局", doc_number="市应急发〔2026〕41号",
                                     title="关于开展冬季安全生产大检查的通知", urgency="加急")
    documents.advance_document(desk, doc.id, "check")
    app = Host(lambda: DocumentStepForm(desk, doc.id, party="区应急管理局"))
    assert snap_compare(app, terminal_size=SIZE, run_before=settled())


def test_urgent_form_snapshot(desk, snap_compare):
    app = Host(lambda: UrgentForm(desk, title="城东路段山体滑坡，两车受困", event_type="自然灾害", level="II",
                                  occurred_at="09:35", place="城东路K3+200", source_unit="区应急管理局",
                                  source_name="赵强", source_phone="0571-87001234"))
    assert snap_compare(app, terminal_size=SIZE, run_before=settled(focus("casualties")))


def test_urgent_event_form_snapshot(desk, snap_compare):
    item = urgent.open_urgent(desk, "城东路段山体滑坡，两车受困", "自然灾害", "II", received_at="09:40")
    urgent.record_phone_report(desk, item.id, party="市政府总值班室")
    app = Host(lambda: UrgentEventForm(desk, item.id, kind="phone_report", party="市政府总值班室",
                                       text="已电话报告：09:35城东路K3+200处发生山体滑坡，两车受困"))
    assert snap_compare(app, terminal_size=SIZE, run_before=settled())


def test_void_form_snapshot(desk, snap_compare):
    entry = log.record_entry(desk, "区气象台来电：今晚有暴雨，请做好防范", "来电", "09:40")
    app = Host(lambda: VoidForm(desk, "log", entry.id, reason="与09:38一条重复登记"))
    assert snap_compare(app, terminal_size=SIZE, run_before=settled())


def test_zero_report_form_snapshot(desk, snap_compare):
    app = Host(lambda: ZeroReportForm(desk))
    assert snap_compare(app, terminal_size=SIZE, run_before=settled())


def test_result_form_snapshot(desk, snap_compare):
    entry = log.record_entry(desk, "请报送今日防汛值守情况", "来电", "09:20", counterpart_unit="市委办公室",
                             counterpart_name="刘处长", needs_action=True, handling="已报告带班领导王军")
    app = Host(lambda: ResultForm(desk, entry.id, result="已于10:00电话报送市委值班室"))
    assert snap_compare(app, terminal_size=SIZE, run_before=settled())


def _callers(desk) -> None:
    from duty_desk.core.models import Contact

    Contact.create(unit="区水务局", name="王科长", title="科长", mobile="13800001111", duty_phone="0571-87001111",
                   tags=["防汛"], recorded_at=desk.now(), recorded_by="admin")
    log.record_call(desk, "雨量报告", unit="市水文站", name="刘工", phone="0571-87005555")
    log.record_call(desk, "请示", unit="市委办公室", name="赵秘书")
    for _ in range(2):
        log.record_call(desk, "水情通报", unit="区水务局", name="王科长")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_call_form_with_units_suggested_for_sw_snapshot(desk, snap_compare, size):
    from duty_desk.tui.forms.call import CallForm

    _callers(desk)
    app = Host(lambda: CallForm(desk))
    assert snap_compare(app, terminal_size=size, run_before=settled(press("s", "w")))


def test_call_form_after_taking_the_water_bureau_snapshot(desk, snap_compare):
    from duty_desk.tui.forms.call import CallForm

    _callers(desk)
    app = Host(lambda: CallForm(desk))
    assert snap_compare(app, terminal_size=SIZE, run_before=settled(press("s", "w"), press("tab")))
