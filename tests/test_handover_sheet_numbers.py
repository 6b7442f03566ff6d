"""The handover sheet reads plainly: each sheet numbers its carried items
1, 2, 3 (the number `handover readback` takes), and the counts do not show
log categories at 0 right above the registers' counts."""

from __future__ import annotations

import re
from datetime import timedelta

from conftest import T0

from duty_desk import cli
from duty_desk.core import clock
from duty_desk.core.handover import flow as ho
from duty_desk.core.handover import render_text, sheet_of
from duty_desk.core.models import Shift
from duty_desk.core.services import log, visitors
from duty_desk.core.services.common import current_shift


def _numbers(text: str) -> list[str]:
    section = text.split("四、", 1)[0].split("三、", 1)[-1]
    return re.findall(r"^\s{2}(\d+)\s", section, re.M)


def test_a_second_sheet_numbers_its_items_from_1_and_readback_takes_that_number(
        desk, make_desk, config_file, db_path, monkeypatch, capsys):
    for i in range(3):
        log.record_entry(desk, f"来电 {i}：请回复处置结果", "来电", needs_action=True)
    first = ho.hand_over(desk, "")
    incoming = make_desk("incoming")
    for item in ho.items_of(first.id):
        ho.read_back(incoming, item.id)
    ho.accept(incoming, first.id)

    clock.set_now(T0 + timedelta(hours=1))
    log.record_entry(incoming, "来电：再次询问", "来电", needs_action=True)
    shift = current_shift(incoming)
    second = ho.hand_over(incoming, "")
    text = render_text(sheet_of(incoming, Shift.get_by_id(shift.id)))
    assert _numbers(text) == ["1", "2", "3", "4"]

    monkeypatch.setattr("duty_desk.core.identity.current_login", lambda *a, **k: "tester")
    status = cli.main(["--config", str(config_file), "--db", str(db_path), "handover", "readback", "2"])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert "#2" in out
    assert ho.items_of(second.id)[1].read_back_by == "tester"
    assert ho.items_of(second.id)[0].read_back_by is None


def test_counts_do_not_show_log_categories_at_zero_above_the_register_counts(desk):
    log.record_entry(desk, "市气象台来电：今夜有中雨", "来电")
    visitors.register_visitor(desk, "钱秀英", unit="东城街道办事处")
    text = render_text(sheet_of(desk, current_shift(desk)))
    counts = text.split("一、", 1)[1].split("二、", 1)[0]
    log_line = next(line for line in counts.splitlines() if "值班日志" in line)
    assert log_line.strip() == "值班日志：来电 1" and "登记簿：来访 1 批  来文 0 件" in counts
