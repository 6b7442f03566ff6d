"""What the command line prints reads as office Chinese: history with local
times, officers' names and labelled fields; open items labelled by what they
are; documents with their custodian's name and receipt time."""

from __future__ import annotations

import pytest

from duty_desk import cli
from duty_desk.core.services import documents

CALL = "东城街道来电反映井盖缺失，需回复处置结果"


@pytest.fixture
def desk_cli(db_path, config_file, monkeypatch, capsys, fixed_clock):
    monkeypatch.setattr("duty_desk.core.identity.current_login", lambda *a, **k: "tester")
    db = str(db_path)

    def run(*args: str) -> tuple[int, str, str]:
        status = cli.main(["--config", str(config_file), "--db", db, *args])
        out, err = capsys.readouterr()
        return status, out, err

    return run


def test_history_reads_as_office_chinese_with_local_times_and_names(desk_cli):
    desk_cli("log", CALL, "--category", "来电", "--needs-action", "--at", "09:40")
    desk_cli("result", "1", "市城管局已补装井盖")
    status, out, _ = desk_cli("history", "log", "1")
    assert status == 0
    for english in ('"content"', "content", "closed_at", "create", "success", "tester", "root", "{"):
        assert english not in out, english
    assert "李明" in out and "新建" in out and "登记结果" in out and "成功" in out
    assert "处理结果：市城管局已补装井盖" in out
    assert "2026-11-24 10:00" in out  # the result's time, local (02:00 UTC)
    assert "2026-11-24 02:00" not in out
    assert "发生时间：2026-11-24 09:40" in out


def test_history_names_the_system_and_explains_a_failed_attempt(desk_cli):
    desk_cli("log", CALL, "--category", "来电", "--needs-action")
    desk_cli("result", "1", "已回复")
    desk_cli("result", "1", "再次回复")
    _, out, _ = desk_cli("history", "log", "1")
    assert "未成功" in out and "已登记处理结果" in out and "log.result_given" not in out


def test_show_open_labels_a_task_as_a_task_and_refers_to_records_in_chinese(desk_cli):
    desk_cli("log", "王军交办：了解城西积水点处置进展", "--category", "交办")
    desk_cli("log", CALL, "--category", "来电", "--needs-action")
    _, out, _ = desk_cli("show", "open")
    assert "交办待落实" in out and "来电待回复" in out
    assert "log 1" not in out and "值班日志 #1" in out
    assert "收到时间" in out and "接报" not in out


def test_show_documents_names_the_custodian_and_the_receipt_time(desk_cli, make_desk):
    desk = make_desk("tester")
    documents.receive_document(desk, "市应急管理局", title="关于做好防汛值守工作的通知", urgency="特急")
    _, out, _ = desk_cli("show", "documents")
    assert "李明" in out and "tester" not in out
    assert "收文时间" in out and "11-24 10:00" in out
