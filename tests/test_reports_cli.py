"""`duty-desk report …` and `duty-desk urgent facts|history`: a written report
upward from the command line, the way the duty office makes one — drafted,
signed off by the leader on duty (or approved by phone, marked), the one text
sent to every recipient, shown and written out for the fax or the platform,
late ones stored late with their reason — on a real SQLite file, through the
real entry point, as the officer and as the leader."""

from __future__ import annotations

import hashlib
import io
import json
import math
import sys
from datetime import datetime, timezone

import pytest
from test_cli_feed_support import Feeder

from duty_desk.cli import exit_codes
from duty_desk.core import clock

ADMIN_TOML = """
[[officers]]
login = "admin"
name = "周主任"
role = "admin"
"""


def local(text: str) -> datetime:
    """A moment on the office's clock (Asia/Shanghai), as UTC."""
    return datetime.fromisoformat(f"2026-11-24 {text}+08:00").astimezone(timezone.utc)


@pytest.fixture
def desk_cli(config_file, db_path, capsys, monkeypatch, fixed_clock) -> Feeder:
    """The command line on one store, with two contact-book units and an urgent
    item (II级) received at 09:40 with its first casualty figure; 10:00 now."""
    config_file.write_text(config_file.read_text(encoding="utf-8") + ADMIN_TOML, encoding="utf-8")
    run = Feeder(config_file, db_path, capsys, monkeypatch)
    run.login = "admin"
    for unit in ("区应急管理局", "市政府总值班室"):
        assert run.run("contacts", "add", "--unit", unit, "--duty", "0571-86030000").status == 0
    assert run.run("contacts", "add", "--unit", "区应急管理局", "--name", "刘局长", "--title", "副局长").status == 0
    run.login = "tester"
    opened = run.run("urgent", "open", "化工园区储罐泄漏", "--type", "事故灾难", "--level", "II", "--at", "09:40",
                     "--casualties", "2人轻伤")
    assert opened.status == 0, opened.err
    return run


def as_login(run: Feeder, login: str, *args: str):
    run.login = login
    try:
        return run.run(*args)
    finally:
        run.login = "tester"


def stored(run: Feeder, report_id: int) -> dict:
    cols = ("text", "kind", "seq", "approved_by", "approval_means", "approval_recorded_by", "approved_digest",
            "due_at", "sent_at", "late_minutes", "delay_reason")
    row = run.rows(f"SELECT {', '.join(cols)} FROM urgent_report WHERE id = ?", report_id)[0]
    return dict(zip(cols, row, strict=True))


def test_a_report_is_drafted_signed_off_by_the_leader_and_sent_to_two_recipients_in_one_wording(desk_cli, tmp_path):
    run = desk_cli
    drafted = run.run("report", "draft", "1")
    assert drafted.status == 0, drafted.err
    assert drafted.out.startswith("已拟 首报（报告 #1，紧急信息 #1）")
    text = stored(run, 1)["text"]
    assert text in drafted.out and "2人轻伤" in text and "report approve 1" in drafted.out

    refused = run.run("report", "approve", "1")
    assert refused.status == exit_codes.REFUSED and "带班领导" in refused.err
    assert stored(run, 1)["approved_by"] is None
    signed = as_login(run, "leader", "report", "approve", "1")
    assert signed.status == 0, signed.err
    assert "签发：王军 11-24 10:00" in signed.out and "电话签发" not in signed.out
    assert (stored(run, 1)["approved_by"], stored(run, 1)["approval_means"]) == ("leader", "desk")

    same = tmp_path / "same.txt"
    same.write_text(text + "\n", encoding="utf-8")
    first = run.run("report", "send", "1", "--to", "区应急管理局", "--means", "专网")
    assert first.status == 0, first.err
    assert "→ 区应急管理局（专网），通讯录 #1，发送记录 #1" in first.out
    faxed = run.run("report", "send", "1", "--to", "市政府总值班室", "--means", "传真", "--text-file", str(same))
    assert faxed.status == 0, faxed.err
    other = tmp_path / "other.txt"
    other.write_text(text.replace("2人轻伤", "3人轻伤"), encoding="utf-8")
    differs = run.run("report", "send", "1", "--to", "区应急管理局 刘局长", "--means", "传真", "--text-file", str(other))
    assert differs.status == exit_codes.REFUSED and "同口径" in differs.err and "区应急管理局 刘局长" in differs.err

    sendings = run.rows("SELECT recipient, contact, means, digest FROM report_sending ORDER BY id")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert sendings == [("区应急管理局", 1, "专网", digest), ("市政府总值班室", 2, "传真", digest)]
    assert stored(run, 1)["approved_digest"] == digest
    assert run.rows("SELECT kind, party, means FROM urgent_event") == [("first_report", "区应急管理局", "专网")]

    listed = run.run("report", "list", "1")
    assert listed.status == 0 and "首报" in listed.out and "已发出" in listed.out and "按时" in listed.out
    assert "区应急管理局（专网）、市政府总值班室（传真）" in listed.out and "王军" in listed.out


def test_report_show_prints_the_stored_text_exactly_and_writes_it_for_the_fax_in_utf8_or_gbk(desk_cli, tmp_path):
    run = desk_cli
    run.run("report", "draft", "1")
    as_login(run, "leader", "report", "approve", "1")
    run.run("report", "send", "1", "--to", "区应急管理局", "--means", "专网")
    text = stored(run, 1)["text"]

    assert run.run("report", "show", "1").out == text + "\n"
    assert run.run("report", "show", "1", "--format", "txt").out == text + "\n"
    md = run.run("report", "show", "1", "--format", "md").out
    assert md.startswith("# 首报（#1）") and "| 区应急管理局 | 专网 |" in md and text in md
    shown = json.loads(run.run("report", "show", "1", "--format", "json").out)
    assert (shown["text"], shown["state"], [s["recipient"] for s in shown["sendings"]]) == (
        text, "sent", ["区应急管理局"])

    for encoding in ("utf-8", "gbk"):
        path = tmp_path / f"fax-{encoding}.txt"
        done = run.run("report", "show", "1", "--output", str(path), "--encoding", encoding)
        assert done.status == 0, done.err
        assert str(path) in done.out and encoding.upper() in done.out
        assert path.read_bytes() == (text + "\n").encode(encoding)
        assert path.stat().st_mode & 0o077 == 0  # the office's records: the owner's only


def test_a_character_gbk_cannot_hold_is_refused_by_name_and_nothing_is_written(desk_cli, tmp_path, monkeypatch):
    run = desk_cli
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("化工园区储罐泄漏（首报）\n现场 🚒 已到达".encode())))
    assert run.run("report", "draft", "1", "--text-file", "-").status == 0
    path = tmp_path / "upload.txt"
    done = run.run("report", "show", "1", "--output", str(path), "--encoding", "gbk")
    assert done.status == exit_codes.REFUSED and "第 2 行" in done.err and "🚒" in done.err and "U+1F692" in done.err
    assert not path.exists()
    assert run.run("report", "show", "1", "--output", str(path)).status == 0
    assert "🚒" in path.read_text(encoding="utf-8")


def test_a_followup_carries_the_new_figures_is_approved_by_phone_and_a_late_sending_needs_its_reason(desk_cli):
    run = desk_cli
    run.run("report", "draft", "1")
    as_login(run, "leader", "report", "approve", "1")
    run.run("report", "send", "1", "--to", "区应急管理局", "--means", "专网")

    clock.set_now(local("10:05"))
    facts = run.run("urgent", "facts", "1", "--casualties", "3人受伤，其中1人重伤", "--measures", "已疏散周边群众")
    assert facts.status == 0, facts.err
    assert "伤亡和损失：2人轻伤 → 3人受伤，其中1人重伤" in facts.out
    assert "处置措施：（空） → 已疏散周边群众" in facts.out
    history = run.run("urgent", "history", "1")
    assert "伤亡和损失：2人轻伤（11-24 09:40 李明） → 3人受伤，其中1人重伤（11-24 10:05 李明）" in history.out
    lines = [json.loads(line) for line in run.run("urgent", "history", "1", "--json").out.splitlines()]
    casualties = next(f for f in lines if f["field"] == "casualties")
    assert [v["value"] for v in casualties["values"]] == ["2人轻伤", "3人受伤，其中1人重伤"]
    assert run.run("urgent", "facts", "1", "--casualties", "3人受伤，其中1人重伤").out.startswith("紧急信息 #1 的要素没有变化")

    drafted = run.run("report", "draft", "1")
    assert drafted.status == 0 and "续报一（报告 #2" in drafted.out
    assert "3人受伤，其中1人重伤（前报：2人轻伤）" in stored(run, 2)["text"]
    phoned = run.run("report", "approve", "2", "--leader", "王军", "--at", "10:04")
    assert phoned.status == exit_codes.REFUSED  # before the text it approves was drafted
    phoned = run.run("report", "approve", "2", "--leader", "王军", "--at", "10:05")
    assert phoned.status == 0, phoned.err
    assert "电话签发" in phoned.out and "王军电话同意，李明登记" in phoned.out
    report = stored(run, 2)
    assert (report["approved_by"], report["approval_means"], report["approval_recorded_by"]) == (
        "leader", "phone", "tester")

    clock.set_now(local("12:25"))  # the follow-up was due two hours after the first report (10:00)
    late = run.run("report", "send", "2", "--to", "区应急管理局", "--means", "专网")
    assert late.status == exit_codes.REFUSED and "迟报原因" in late.err and "25分钟" in late.err
    assert run.count("report_sending") == 1 and stored(run, 2)["sent_at"] is None
    sent = run.run("report", "send", "2", "--to", "区应急管理局", "--to", "市政府总值班室", "--means", "专网",
                   "--delay-reason", "等待现场核实伤亡人数")
    assert sent.status == 0, sent.err
    report = stored(run, 2)
    due, at = (datetime.fromisoformat(report[k]) for k in ("due_at", "sent_at"))
    assert report["late_minutes"] == math.ceil((at - due).total_seconds() / 60) == 25
    assert report["delay_reason"] == "等待现场核实伤亡人数"
    assert "迟报25分钟（迟报原因：等待现场核实伤亡人数）" in sent.out
    listed = run.run("report", "list")
    assert "紧急信息 #1 化工园区储罐泄漏" in listed.out and "迟报25分钟" in listed.out
    rows = [json.loads(line) for line in run.run("report", "list", "--json").out.splitlines()]
    assert [(r["name"], r["late_minutes"]) for r in rows] == [("首报", 0), ("续报一", 25)]


def test_one_refusal_among_several_recipients_says_which_and_what_was_recorded(desk_cli):
    run = desk_cli
    run.run("report", "draft", "1")
    as_login(run, "leader", "report", "approve", "1")
    run.run("report", "send", "1", "--to", "市政府总值班室", "--means", "传真")
    done = run.run("report", "send", "1", "--to", "区应急管理局", "--to", "市政府总值班室", "--to", "区水务局",
                   "--means", "专网")
    assert done.status == exit_codes.REFUSED
    assert "向 市政府总值班室 发送未登记：已向市政府总值班室发送过这份报告" in done.err
    assert "本次已登记：区应急管理局；未办理：区水务局" in done.err
    assert "→ 区应急管理局（专网）" in done.out
    assert run.rows("SELECT recipient, contact FROM report_sending ORDER BY id") == [
        ("市政府总值班室", 2), ("区应急管理局", 1)]


def test_recipients_are_taken_from_the_book_when_exactly_one_contact_is_named(desk_cli):
    run = desk_cli
    run.run("report", "draft", "1")
    as_login(run, "leader", "report", "approve", "1")
    done = run.run("report", "send", "1", "--to", "区应急管理局  刘局长", "--to", "刘局长", "--to", "省应急厅",
                   "--means", "电话口头")
    assert done.status == exit_codes.REFUSED  # 刘局长 twice: the second is refused as sent already
    assert "通讯录 #3" in done.out and "不在通讯录" not in done.out
    assert run.rows("SELECT recipient, contact FROM report_sending") == [("区应急管理局 刘局长（副局长）", 3)]
    done = run.run("report", "send", "1", "--to", "省应急厅", "--means", "phone", "--received-by", "值班员小张")
    assert done.status == 0 and "不在通讯录中" in done.out
    assert run.rows("SELECT recipient, contact, means, received_by FROM report_sending WHERE id = 2") == [
        ("省应急厅", None, "电话口头", "值班员小张")]
    confirmed = run.run("report", "confirm", "1", "--received-by", "刘局长")
    assert confirmed.status == 0 and "已确认收到：刘局长" in confirmed.out


def test_received_by_with_several_recipients_and_an_unknown_means_are_refused_before_anything_is_written(desk_cli):
    run = desk_cli
    run.run("report", "draft", "1")
    as_login(run, "leader", "report", "approve", "1")
    both = run.run("report", "send", "1", "--to", "区应急管理局", "--to", "市政府总值班室", "--means", "专网",
                   "--received-by", "张三")
    assert both.status == exit_codes.USAGE and "report confirm" in both.err
    means = run.run("report", "send", "1", "--to", "区应急管理局", "--means", "邮件")
    assert means.status == exit_codes.REFUSED and "专网 传真 电话口头 短信" in means.err
    assert run.count("report_sending") == 0


def test_an_edit_takes_the_sign_off_away_and_a_draft_can_be_voided(desk_cli, tmp_path):
    run = desk_cli
    run.run("report", "draft", "1", "--kind", "首报")
    as_login(run, "leader", "report", "approve", "1")
    own = tmp_path / "own.txt"
    own.write_bytes("化工园区储罐泄漏（首报）\r\n\r\n报告单位：区政府总值班室\r\n".encode("gbk"))
    edited = run.run("report", "edit", "1", "--text-file", str(own))
    assert edited.status == 0, edited.err
    assert "原签发失效" in edited.out
    assert stored(run, 1)["text"] == "化工园区储罐泄漏（首报）\n\n报告单位：区政府总值班室"
    assert run.run("report", "edit", "1", "--text-file", str(own)).out.startswith("首报（报告 #1）的正文没有变化")
    unsigned = run.run("report", "send", "1", "--to", "区应急管理局", "--means", "专网")
    assert unsigned.status == exit_codes.REFUSED and "尚未签发" in unsigned.err
    voided = run.run("report", "void", "1", "--reason", "重拟")
    assert voided.status == 0 and "#1" in voided.out
    assert run.run("report", "draft", "1", "--kind", "followup").status == exit_codes.REFUSED
    assert run.run("report", "draft", "1", "--kind", "周报").status == exit_codes.REFUSED
    missing = run.run("report", "edit", "1", "--text-file", str(tmp_path / "none.txt"))
    assert missing.status == exit_codes.REFUSED and "none.txt" in missing.err


def test_written_reports_are_no_longer_typed_as_timeline_events(desk_cli):
    run = desk_cli
    for kind in ("首报", "first_report", "续报", "日报", "终报"):
        done = run.run("urgent", "event", "1", kind, "--text", "储罐泄漏已控制")
        assert done.status == exit_codes.REFUSED and "report draft" in done.err and "签发" in done.err
    assert run.count("urgent_event") == 0
    assert "首报" not in run.run("urgent", "event", "--help").out.split("KIND", 2)[-1].split("--party")[0]


def test_urgent_facts_without_a_fact_is_a_usage_error_and_a_closed_item_refuses(desk_cli):
    run = desk_cli
    assert run.run("urgent", "facts", "1").status == exit_codes.USAGE
    assert run.run("urgent", "facts", "9", "--cause", "阀门老化").status == exit_codes.REFUSED
    assert run.run("urgent", "history", "9").status == exit_codes.REFUSED


# --- help, in both languages ------------------------------------------------------------

COMMANDS = [("report",), *[("report", a) for a in ("list", "draft", "edit", "approve", "send", "confirm", "void",
                                                     "show")], ("urgent", "facts"), ("urgent", "history")]


@pytest.mark.parametrize("words", COMMANDS, ids=" ".join)
def test_every_report_command_explains_itself_in_chinese_and_english(desk_cli, tmp_path, words):
    from test_cli_feed import speak_english

    zh = desk_cli.run(*words, "--help")
    assert zh.status == 0 and zh.out.startswith("用法：") and "选项：" in zh.out
    speak_english(desk_cli, tmp_path)
    en = desk_cli.run(*words, "--help")
    assert en.status == 0 and en.out.startswith("usage:") and "options:" in en.out
    assert "用法" not in en.out and "签发" not in en.out.replace("专网|传真|电话口头|短信", "")


def test_the_facts_options_are_every_fact_in_kebab_case(desk_cli):
    from duty_desk.core.reports.facts import FACT_FIELDS

    out = desk_cli.run("urgent", "facts", "--help").out
    assert all(f"--{f.replace('_', '-')}" in out for f in FACT_FIELDS)
