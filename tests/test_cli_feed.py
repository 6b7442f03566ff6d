"""`duty-desk call`, `visitor`, `document` and `urgent`: scripts feed the desk,
and what they record is what the desk's forms record through the same
services; what a form's fields refuse is refused here, writing nothing."""

from __future__ import annotations

import json

import pytest
from test_cli_feed_support import Feeder, same_record

from duty_desk.cli import exit_codes
from duty_desk.core import audit
from duty_desk.core.models import Document, LogEntry, UrgentItem, Visitor
from duty_desk.core.services import documents, log, urgent, visitors

ID = "11010519491231002X"  # a valid resident ID number (GB 11643 check digit X)


@pytest.fixture
def feed(config_file, db_path, capsys, monkeypatch, fixed_clock, make_desk) -> Feeder:
    """The store exists with its officers (opening it registers them): a
    refusal then writes nothing at all."""
    feeder = Feeder(config_file, db_path, capsys, monkeypatch)
    assert feeder.run("init").status == 0
    make_desk("tester")
    return feeder


def snap(model, record_id: int) -> dict:
    return audit.snapshot(model.get_by_id(record_id))


# --- call ------------------------------------------------------------------------


def test_a_call_from_the_command_line_is_the_call_the_form_records(feed, make_desk):
    done = feed.run("call", "--unit", "区水务局", "--name", "王科长", "--title", "科长", "--phone", "13800001111",
                    "--informed", "区防办", "--due", "11:30", "--at", "09:50", "--json", "水库水位接近汛限")
    assert done.status == exit_codes.OK, done.err
    printed = json.loads(done.out)
    assert (printed["category"], printed["counterpart_unit"], printed["counterpart_name"]) == ("来电", "区水务局", "王科长")
    desk = make_desk("tester")
    same = log.record_call(desk, "水库水位接近汛限", unit="区水务局", name="王科长", title="科长",
                           phone="13800001111", already_informed="区防办", due="11:30", occurred_at="09:50")
    assert same_record(snap(LogEntry, printed["id"]), audit.snapshot(same)) == {}
    assert printed["due_at"] == "2026-11-24T11:30+08:00" and printed["state"] == "open"


def test_a_call_prints_its_row_with_its_number_as_log_does(feed):
    done = feed.run("call", "--unit", "市应急管理局", "询问防汛值守情况")
    assert done.status == 0, done.err
    header, row = done.out.splitlines()
    assert header.split()[:3] == ["编号", "时间", "类别"]
    assert row.split()[:4] == ["1", "11-24", "10:00", "来电"] and "询问防汛值守情况" in row


def test_a_call_with_its_result_known_is_closed_at_once(feed):
    done = feed.run("call", "--needs-action", "--result", "已告知值班电话", "--json", "询问值班电话")
    record = json.loads(done.out)
    assert record["needs_action"] and record["result"] == "已告知值班电话" and record["closed_at"]


def test_a_call_due_before_it_came_is_refused_and_no_call_is_recorded(feed):
    before = feed.trail()
    done = feed.run("call", "--at", "09:50", "--due", "2026-11-24 09:40", "通知")
    assert done.status == exit_codes.REFUSED
    assert done.err.startswith("错误：") and done.err.count("\n") == 1
    assert feed.count("log_entry") == 0
    # The core keeps the failed attempt in the trail, as it does for the form.
    assert feed.trail()[len(before):] == [("create", "log", "failure")]


@pytest.mark.parametrize("option", ["--at", "--due"])
def test_a_malformed_time_is_refused_before_the_store_is_touched(feed, option):
    before = feed.trail()
    done = feed.run("call", option, "25:61", "通知")
    assert done.status == exit_codes.REFUSED and "25:61" in done.err
    assert feed.trail() == before and feed.count("log_entry") == 0


def test_a_call_in_the_future_is_refused_and_nothing_written(feed):
    before = feed.trail()
    done = feed.run("call", "--at", "2026-11-24 12:00", "通知")
    assert done.status == exit_codes.REFUSED and "将来" in done.err
    assert feed.trail() == before and feed.count("log_entry") == 0


# --- visitor -----------------------------------------------------------------------


def test_a_visitor_from_the_command_line_is_the_visitor_the_form_records(feed, make_desk):
    done = feed.run("visitor", "add", "张三", "--unit", "东城街道办事处", "--phone", "13900002222",
                    "--id-number", ID, "--purpose", "反映小区积水", "--host", "信访科", "--party-size", "3",
                    "--at", "09:40", "--json")
    assert done.status == 0, done.err
    printed = json.loads(done.out)
    assert printed["id_masked"] == "110105********002X" and ID not in done.out
    desk = make_desk("tester")
    same = visitors.register_visitor(desk, "张三", unit="东城街道办事处", phone="13900002222", id_number=ID,
                                     id_type="居民身份证", purpose="反映小区积水", host="信访科", party_size="3",
                                     arrived_at="09:40")
    assert same_record(snap(Visitor, printed["id"]), audit.snapshot(same)) == {}
    assert ID not in json.dumps(feed.rows("SELECT * FROM visitor"), ensure_ascii=False)


def test_a_wrong_id_number_is_told_what_is_wrong_and_nothing_is_written(feed):
    before = feed.trail()
    done = feed.run("visitor", "add", "张三", "--id-number", "110105194912310021")
    assert done.status == exit_codes.REFUSED
    assert "校验位" in done.err and "X" in done.err and done.err.count("\n") == 1
    assert feed.trail() == before and feed.count("visitor") == 0


def test_another_id_document_is_named_as_the_form_names_it_and_kept_masked(feed):
    done = feed.run("visitor", "add", "John Smith", "--id-type", "护照", "--id-number", "E12345678", "--json")
    assert done.status == 0, done.err
    record = json.loads(done.out)
    assert record["id_type"] == "护照" and "12345678" not in record["id_masked"]
    done = feed.run("visitor", "add", "陈大文", "--id-type", "港澳", "--id-number", "H1234567", "--json")
    assert json.loads(done.out)["id_type"] == "港澳居民来往内地通行证"


def test_an_unknown_id_type_is_refused_with_the_choices(feed):
    done = feed.run("visitor", "add", "张三", "--id-type", "驾驶证", "--id-number", "123")
    assert done.status == exit_codes.REFUSED and "护照" in done.err
    assert feed.count("visitor") == 0


def test_a_visitor_is_received_then_leaves_with_a_result(feed):
    feed.run("visitor", "add", "张三", "--host", "信访科")
    received = feed.run("visitor", "receive", "1", "--json")
    assert received.status == 0, received.err
    assert json.loads(received.out)["state"] == "receiving" and json.loads(received.out)["received_by"] == "信访科"
    left = feed.run("visitor", "leave", "1", "--result", "已登记诉求，转区住建局")
    assert left.status == 0 and "已离开" in left.out
    state, result = feed.rows("SELECT state, result FROM visitor WHERE id = 1")[0]
    assert (state, result) == ("left", "已登记诉求，转区住建局")
    again = feed.run("visitor", "leave", "1")
    assert again.status == exit_codes.REFUSED and "已离开" in again.err


def test_a_visitor_who_never_came_cannot_leave(feed):
    done = feed.run("visitor", "leave", "42")
    assert done.status == exit_codes.REFUSED and "42" in done.err


# --- document ----------------------------------------------------------------------


def test_a_document_from_the_command_line_is_the_document_the_form_records(feed, make_desk):
    done = feed.run("document", "receive", "市应急管理局", "--number", "市应急〔2026〕7号",
                    "--title", "关于做好防汛工作的通知", "--urgency", "特急", "--copies", "2",
                    "--attachments", "值守表", "--summary", "部署防汛值守", "--at", "09:30", "--json")
    assert done.status == 0, done.err
    printed = json.loads(done.out)
    assert printed["serial"] == "2026-0001" and printed["state"] == "registered"
    desk = make_desk("tester")
    same = documents.receive_document(desk, "市应急管理局", doc_number="市应急〔2026〕7号",
                                      title="关于做好防汛工作的通知", urgency="特急", copies="2",
                                      attachments="值守表", summary="部署防汛值守", received_at="09:30")
    assert same_record(snap(Document, printed["id"]), audit.snapshot(same), "serial") == {}


def test_a_classified_document_keeps_register_data_only(feed):
    done = feed.run("document", "receive", "省政府办公厅", "--classification", "机密", "--copy-number", "0012",
                    "--secrecy-period", "10年", "--json")
    assert done.status == 0, done.err
    record = json.loads(done.out)
    assert (record["classification"], record["copy_number"], record["title"]) == ("机密", "0012", "")


def test_a_classified_documents_summary_is_refused_with_the_cores_reason(feed):
    done = feed.run("document", "receive", "省政府办公厅", "--classification", "机密", "--copy-number", "0012",
                    "--summary", "关于某事项的部署")
    assert done.status == exit_codes.REFUSED
    assert "涉密内容不得在非涉密系统中处理" in done.err and done.err.count("\n") == 1
    assert feed.count("document") == 0 and feed.count("document_step") == 0
    assert [e for e in feed.trail() if e[1] == "document"] == [("create", "document", "failure")]


@pytest.mark.parametrize(("option", "value", "words"), [
    ("--number", "市应急〔2026〕07号", "虚位"),
    ("--urgency", "很急", "特急"),
    ("--classification", "内部", "机密"),
    ("--deadline", "明天", "明天"),
])
def test_what_the_document_forms_fields_refuse_is_refused_writing_nothing(feed, option, value, words):
    before = feed.trail()
    done = feed.run("document", "receive", "市应急管理局", "--title", "通知", option, value)
    assert done.status == exit_codes.REFUSED and words in done.err
    assert feed.trail() == before and feed.count("document") == 0


def test_a_document_takes_its_next_steps_named_in_chinese(feed, make_desk):
    feed.run("document", "receive", "市应急管理局", "--title", "关于做好防汛工作的通知")
    checked = feed.run("document", "step", "1", "初审", "--text", "符合要求")
    assert checked.status == 0, checked.err
    assert checked.out.startswith("来文 #1 已初审（办理记录 #3）")
    assigned = feed.run("document", "step", "1", "assign", "--party", "区水务局",
                        "--deadline", "2026-11-26 17:00", "--json")
    record = json.loads(assigned.out)
    assert (record["state"], record["custody"], record["step"]) == ("assigned", "区水务局", "assign")
    assert record["deadline"] == "2026-11-26T17:00+08:00"
    steps = feed.rows("SELECT step, party, text FROM document_step WHERE document_id = 1 ORDER BY id")
    assert steps[2:] == [("check", "", "符合要求"), ("assign", "区水务局", "")]


def test_a_step_the_document_cannot_take_now_is_refused_and_an_unknown_one_named(feed):
    feed.run("document", "receive", "市应急管理局", "--title", "通知")
    done = feed.run("document", "step", "1", "归档", "--text", "2026-永久-001")
    assert done.status == exit_codes.REFUSED
    unknown = feed.run("document", "step", "1", "盖章")
    assert unknown.status == exit_codes.REFUSED and "盖章" in unknown.err and "初审" in unknown.err
    assert feed.count("document_step") == 2  # 签收 and 登记 only


# --- urgent ------------------------------------------------------------------------


def test_an_urgent_item_from_the_command_line_is_the_one_the_form_records(feed, make_desk):
    done = feed.run("urgent", "open", "化工园区储罐泄漏", "--type", "事故灾难", "--level", "重大",
                    "--occurred", "09:20", "--at", "09:35", "--place", "城东化工园区", "--source-unit", "区应急管理局",
                    "--source-name", "李科长", "--source-phone", "0571-87001111", "--casualties", "暂无人员伤亡",
                    "--measures", "已疏散周边群众", "--leaders-on-scene", "副区长", "--trend", "已得到控制",
                    "--recommendations", "持续监测", "--json")
    assert done.status == 0, done.err
    printed = json.loads(done.out)
    assert (printed["level"], printed["first_responder"], printed["next_due_kind"]) == ("II", "tester", "phone_report")
    desk = make_desk("tester")
    same = urgent.open_urgent(desk, "化工园区储罐泄漏", "事故灾难", "II", occurred_at="09:20", received_at="09:35",
                              place="城东化工园区", source_unit="区应急管理局", source_name="李科长",
                              source_phone="0571-87001111", casualties="暂无人员伤亡", measures="已疏散周边群众",
                              leaders_on_scene="副区长", trend="已得到控制", recommendations="持续监测")
    assert same_record(snap(UrgentItem, printed["id"]), audit.snapshot(same)) == {}


@pytest.mark.parametrize(("typed", "stored"), [("II", "II"), ("2", "II"), ("特别重大", "I"), ("iv", "IV")])
def test_a_level_is_taken_as_the_form_takes_it(feed, typed, stored):
    done = feed.run("urgent", "open", "暴雨", "--type", "自然灾害", "--level", typed, "--json")
    assert json.loads(done.out)["level"] == stored


@pytest.mark.parametrize(("option", "value", "words"), [
    ("--level", "V", "特别重大"), ("--type", "火灾", "事故灾难"), ("--occurred", "2026-11-24 11:00", "将来")])
def test_an_unknown_level_or_type_or_a_future_time_is_refused_writing_nothing(feed, option, value, words):
    before = feed.trail()
    args = {"--level": "II", "--type": "事故灾难", option: value}
    done = feed.run("urgent", "open", "泄漏", *[x for kv in args.items() for x in kv])
    assert done.status == exit_codes.REFUSED and words in done.err and done.err.count("\n") == 1
    assert feed.trail() == before and feed.count("urgent_item") == 0


def test_a_type_is_taken_by_the_forms_short_name(feed):
    done = feed.run("urgent", "open", "聚集性疫情", "--type", "公共卫生", "--level", "III", "--json")
    assert json.loads(done.out)["event_type"] == "公共卫生事件"


def test_the_timeline_is_fed_a_phone_report_and_the_written_reports_go_through_sign_off(feed):
    feed.run("urgent", "open", "化工园区储罐泄漏", "--type", "事故灾难", "--level", "II")
    phoned = feed.run("urgent", "event", "1", "电话报告", "--party", "市应急办")
    assert phoned.status == 0, phoned.err
    assert phoned.out.startswith("紧急信息 #1 时间线已登记电话报告（时间线 #1）") and "首报" in phoned.out
    # 首报, 续报 and 终报 are drafted, signed off by the leader and sent (`duty-desk report`).
    for report_id, kind in enumerate(("首报", "续报", "终报"), 1):
        assert feed.run("report", "draft", "1", "--kind", kind).status == 0
        feed.login = "leader"
        assert feed.run("report", "approve", str(report_id)).status == 0
        feed.login = "tester"
        assert feed.run("report", "send", str(report_id), "--to", "市应急办", "--means", "专网").status == 0
    assert feed.rows("SELECT state FROM urgent_item") == [("closed",)]
    events = feed.rows("SELECT kind, seq, means, party FROM urgent_event ORDER BY id")
    assert events == [("phone_report", 0, "电话", "市应急办"), ("first_report", 0, "专网", "市应急办"),
                      ("followup", 1, "专网", "市应急办"), ("final", 0, "专网", "市应急办")]
    closed = feed.run("urgent", "event", "1", "报告领导", "--party", "王军")
    assert closed.status == exit_codes.REFUSED
    assert feed.run("report", "draft", "1", "--kind", "日报").status == exit_codes.REFUSED


def test_a_written_report_typed_as_an_event_and_an_unknown_event_are_refused(feed):
    feed.run("urgent", "open", "暴雨", "--type", "自然灾害", "--level", "IV")
    written = feed.run("urgent", "event", "1", "首报", "--text", "雨情汇总")
    assert written.status == exit_codes.REFUSED and "duty-desk report" in written.err
    unknown = feed.run("urgent", "event", "1", "传真")
    assert unknown.status == exit_codes.REFUSED and "电话报告" in unknown.err and "首报" not in unknown.err
    assert feed.count("urgent_event") == 0


# --- help and language ---------------------------------------------------------------

def speak_english(feed: Feeder, tmp_path) -> None:
    """The same officers, the UI in English."""
    english = tmp_path / "en.toml"
    with open(feed.base[1], encoding="utf-8") as given:
        english.write_text(given.read() + '\n[ui]\nlanguage = "en"\n', encoding="utf-8")
    feed.base[1] = str(english)


COMMANDS = [("call",), ("visitor",), ("visitor", "add"), ("visitor", "receive"), ("visitor", "leave"),
            ("document",), ("document", "receive"), ("document", "step"), ("urgent",), ("urgent", "open"),
            ("urgent", "event")]


@pytest.mark.parametrize("words", COMMANDS, ids=" ".join)
def test_help_speaks_chinese_and_english_as_the_ui_does(feed, tmp_path, words):
    zh = feed.run(*words, "--help")
    assert zh.status == 0 and zh.out.startswith("用法：") and "选项：" in zh.out
    speak_english(feed, tmp_path)
    en = feed.run(*words, "--help")
    assert en.status == 0 and en.out.startswith("usage:") and "options:" in en.out
    assert "用法" not in en.out


def test_the_lists_in_help_come_from_the_services(feed):
    assert all(v in feed.run("urgent", "open", "--help").out for v in urgent.EVENT_TYPES)
    assert all(v in feed.run("visitor", "add", "--help").out for v in visitors.ID_TYPES)
    assert all(v in feed.run("document", "receive", "--help").out for v in documents.CLASSIFICATIONS if v)


def test_a_refusal_speaks_english_when_the_ui_does(feed, tmp_path):
    speak_english(feed, tmp_path)
    done = feed.run("visitor", "add", "张三", "--id-number", "110105194912310021")
    assert done.status == exit_codes.REFUSED and done.err.startswith("error:") and "check digit" in done.err


def test_a_missing_level_is_a_usage_error(feed):
    done = feed.run("urgent", "open", "泄漏", "--type", "事故灾难")
    assert done.status == exit_codes.USAGE and "--level" in done.err and done.err.count("\n") == 1


def test_steps_and_events_are_also_taken_by_their_english_names(feed):
    feed.run("document", "receive", "市应急管理局", "--title", "通知")
    assert json.loads(feed.run("document", "step", "1", "Check", "--json").out)["state"] == "checked"
    feed.run("urgent", "open", "暴雨", "--type", "自然灾害", "--level", "IV")
    done = feed.run("urgent", "event", "1", "leader informed", "--party", "王军", "--text", "加强巡查", "--json")
    assert done.status == 0, done.err
    assert feed.rows("SELECT kind, party, text FROM urgent_event") == [("leader_informed", "王军", "加强巡查")]
    assert feed.run("urgent", "event", "1", "").status == exit_codes.REFUSED
