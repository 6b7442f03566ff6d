"""``duty-desk search``: the records found newest first, with --json, the
filters as options and as words, paging, refusals in one line, and
``--rebuild`` saying the rebuilt index equals the one kept in step."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from duty_desk import cli
from duty_desk.cli.exit_codes import FOUND, OK, REFUSED, USAGE
from duty_desk.core import clock
from duty_desk.core.services import documents, log, visitors
from duty_desk.core.services.common import void_record


@pytest.fixture
def desk_cli(desk, db_path, config_file, monkeypatch, capsys, fixed_clock):
    monkeypatch.setattr("duty_desk.core.identity.current_login", lambda *a, **k: "tester")

    def run(*args: str) -> tuple[int, str, str]:
        try:
            status = cli.main(["--config", str(config_file), "--db", str(db_path), *args])
        except SystemExit as done:
            status = done.code
        out, err = capsys.readouterr()
        return status, out, err

    return run


@pytest.fixture
def made(desk, fixed_clock):
    ids = {}
    clock.set_now(fixed_clock - timedelta(days=30))
    ids["flood"] = log.record_entry(desk, "区水务局来电：水库水位接近汛限，请求防汛指导", "来电",
                                    counterpart_unit="区水务局", counterpart_phone="0571-87001111").id
    clock.set_now(fixed_clock - timedelta(days=2))
    ids["zhang"] = visitors.register_visitor(desk, "张三", unit="东城街道办事处", phone="13900001234").id
    ids["doc"] = documents.receive_document(desk, "市应急管理局", title="关于做好防汛工作的通知",
                                            doc_number="市应急〔2026〕7号").id
    clock.set_now(fixed_clock)
    ids["drill"] = log.record_entry(desk, "防汛演练", "记事").id
    ids["void"] = log.record_entry(desk, "汛情通报（重复）", "记事").id
    void_record(desk, "log", ids["void"], "重复")
    return ids


def found(out: str) -> list[tuple[str, int]]:
    rows = [json.loads(line) for line in out.splitlines()]
    return [(r["kind"], r["id"]) for r in rows]


def test_the_done_when_queries_find_the_right_records_newest_first(desk_cli, made):
    status, out, err = desk_cli("search", "汛", "--json")
    assert status == OK, err
    assert found(out) == [("log", made["void"]), ("log", made["drill"]), ("document", made["doc"]),
                          ("log", made["flood"])]
    assert found(desk_cli("search", "防汛", "--json")[1]) == [("log", made["drill"]), ("document", made["doc"]),
                                                            ("log", made["flood"])]
    assert found(desk_cli("search", "zs", "--kind", "visitor", "--json")[1]) == [("visitor", made["zhang"])]
    assert found(desk_cli("search", "〔2026〕", "--json")[1]) == [("document", made["doc"])]
    assert found(desk_cli("search", "1234", "--json")[1]) == [("visitor", made["zhang"])]
    assert found(desk_cli("search", "1111", "--json")[1]) == [("log", made["flood"])]


def test_json_gives_the_match_day_state_and_where_it_is(desk_cli, made):
    rows = [json.loads(line) for line in desk_cli("search", "[2026]7号", "--json")[1].splitlines()]
    assert len(rows) == 1
    row = rows[0]
    assert row["duty_date"] == "2026-11-22" and row["at"].startswith("2026-11-22T10:00")
    assert row["field"] == "doc_number" and row["field_label"] == "发文字号"
    assert [row["snippet"][a:b] for a, b in row["spans"]] == ["〔2026〕7号"]
    voided = json.loads(desk_cli("search", "汛情", "--json")[1].splitlines()[0])
    assert voided["voided"] is True and voided["state_label"] == "已作废"


def test_the_plain_listing_names_kind_day_and_the_matching_field(desk_cli, made):
    status, out, _ = desk_cli("search", "防汛")
    assert status == OK
    lines = out.splitlines()
    assert lines[0].startswith("2026-11-24 10:00  值班日志 #") and "防汛演练" in lines[0]
    assert lines[1].strip() == "内容：防汛演练"
    assert "\x1b" not in out  # no marking when not on a terminal
    assert desk_cli("search", "抗旱") == (OK, "没有找到\n", "")


def test_options_and_words_filter_alike(desk_cli, made):
    by_words = desk_cli("search", "防汛", "类:来电", "自:2026-10-01", "人:tester", "--json")[1]
    by_options = desk_cli("search", "防汛", "--kind", "来电", "--since", "2026-10-01", "--officer", "tester",
                          "--json")[1]
    assert found(by_words) == found(by_options) == [("log", made["flood"])]
    assert found(desk_cli("search", "汛", "--until", "2026-11-01", "--json")[1]) == [("log", made["flood"])]
    assert found(desk_cli("search", "张三", "--open", "--json")[1]) == [("visitor", made["zhang"])]
    assert found(desk_cli("search", "张三", "--closed", "--json")[1]) == []


def test_pages_follow_with_before(desk_cli, desk, fixed_clock):
    for i in range(5):
        clock.set_now(fixed_clock + timedelta(minutes=i))
        log.record_entry(desk, f"第{i}次巡查", "记事")
    status, out, err = desk_cli("search", "巡查", "--limit", "3", "--json")
    first = found(out)
    assert len(first) == 3 and "--before" in err
    before = err.split("--before ")[1].split()[0]
    second = found(desk_cli("search", "巡查", "--limit", "3", "--before", before, "--json")[1])
    assert [r for _k, r in first + second] == [5, 4, 3, 2, 1]


@pytest.mark.parametrize(("args", "status", "words"), [
    (("search", "防汛", "--kind", "电报"), REFUSED, "电报"),
    (("search", "防汛", "--since", "6月1日"), REFUSED, "6月1日"),
    (("search", "防汛", "--limit", "0"), REFUSED, "--limit"),
    (("search", "防汛", "--officer", "nobody"), REFUSED, "nobody"),
    (("search",), REFUSED, "查找"),
    (("search", "，。"), REFUSED, "查找"),
    (("search", "防汛", "--rebuild"), USAGE, "--rebuild"),
    (("search", "防汛", "--open", "--closed"), USAGE, "--closed"),
])
def test_a_bad_search_is_refused_in_one_line(desk_cli, made, args, status, words):
    got, out, err = desk_cli(*args)
    assert got == status and out == ""
    assert err.count("\n") == 1 and words in err


def test_rebuild_reports_the_index_identical_to_the_one_kept_in_step(desk_cli, made, desk):
    status, out, err = desk_cli("search", "--rebuild")
    assert status == OK, err
    assert "完全一致" in out and "5 条记录" in out
    assert "100%" in err  # progress on stderr
    desk.db.execute_sql("DELETE FROM search_doc WHERE kind = 'visitor'")  # someone broke it
    status, out, _ = desk_cli("search", "--rebuild")
    assert status == FOUND
    assert "不一致" in out and f"原索引缺少：来访 #{made['zhang']}" in out
    assert desk_cli("search", "--rebuild")[0] == OK  # the rebuilt one is kept


def test_search_has_help(desk_cli):
    status, out, _ = desk_cli("search", "--help")
    assert status == OK
    for option in ("--kind", "--since", "--until", "--officer", "--open", "--json", "--rebuild"):
        assert option in out
    assert "类:来电" in out


def test_opening_a_large_store_from_before_search_says_how_far_the_index_is(desk_cli, made, desk, db_path,
                                                                           monkeypatch):
    import sqlite3

    desk.close()
    with sqlite3.connect(db_path) as con:
        con.execute("DROP TABLE search_fts")
        con.execute("DROP TABLE search_doc")
        con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    # A command that only reads leaves the store as it is, and says what to do.
    status, out, err = desk_cli("search", "防汛", "--json")
    assert status == REFUSED and "duty-desk search --rebuild" in err
    monkeypatch.setattr("duty_desk.cli.run.QUIET_BELOW", 0)  # as if it held many records
    status, out, err = desk_cli("log", "防汛值守正常")  # the first write migrates it
    assert status == OK
    assert "正在建立检索索引：5/5（100%）" in err.splitlines()
    assert len(found(desk_cli("search", "防汛", "--json")[1])) == 4
