"""What changed since a desk last looked (core.changes), and a line and its
draft written as one transaction (services.drafts.record_line)."""

from __future__ import annotations

import threading

import pytest

from duty_desk.core import changes
from duty_desk.core.errors import DeskError
from duty_desk.core.models import AuditEvent, Draft, LogEntry, Officer
from duty_desk.core.services import drafts, log, officers, visitors


def test_a_look_names_the_kinds_written_since_the_last_one(desk, make_desk):
    watch = changes.ChangeWatch()
    assert watch.look(desk) == frozenset()  # the first look learns where the trail ends
    assert watch.look(desk) == frozenset()  # nothing written since
    other = make_desk("incoming")
    visitors.register_visitor(other, "钱秀英", unit="市水务局")
    assert watch.look(desk) == {"visitor", "shift"}  # 陈静 joined the shift with it
    assert watch.look(desk) == frozenset()
    log.record_entry(other, "城管局来电", "来电")
    log.record_entry(other, "巡查完毕", "记事")
    assert watch.look(desk) == {"log"}


def test_a_change_to_an_officer_reloads_everything(desk):
    Officer.update(role="admin").where(Officer.login == "tester").execute()
    watch = changes.ChangeWatch()
    watch.look(desk)
    officers.add_officer(desk, "newbie", "新同事", "officer")
    assert watch.look(desk) == changes.EVERYTHING


def test_a_desks_own_write_already_shown_is_not_reported_again(desk, make_desk):
    watch = changes.ChangeWatch()
    watch.look(desk)
    entry, wrote = changes.written(desk, log.record_entry, desk, "本机记录的一条", "记事")
    assert wrote.kinds >= {"log"} and wrote.last >= wrote.first
    assert AuditEvent.get_by_id(wrote.last).record_id == entry.id
    watch.own(wrote.first, wrote.last)
    assert watch.look(desk) == frozenset()
    other = make_desk("incoming")
    log.record_entry(other, "另一台的记录", "记事")
    assert "log" in watch.look(desk)  # another desk's write is still seen


def test_the_store_counter_moves_only_when_another_connection_commits(desk):
    seen: list[int | None] = []

    def read() -> None:
        seen.append(changes.data_version(desk))
        seen.append(changes.data_version(desk))
        done.wait(5)
        seen.append(changes.data_version(desk))
        desk.db.close()

    done = threading.Event()
    reader = threading.Thread(target=read)
    reader.start()
    while len(seen) < 2:
        pass
    log.record_entry(desk, "主线程写入", "记事")  # this thread's connection commits
    done.set()
    reader.join()
    assert seen[0] == seen[1] != seen[2]


def test_a_line_and_its_draft_are_one_transaction(desk, monkeypatch):
    session = drafts.start_session()
    drafts.save_draft(desk, "市应急局来电", session)

    def broken(*_args, **_kwargs):
        raise DeskError("store.error", reason="disk")

    monkeypatch.setattr(drafts, "clear_draft", broken)
    with pytest.raises(DeskError):
        drafts.record_line(desk, session, "市应急局来电", "来电")
    # Not recorded without its draft cleared: sent again, it is not twice in the log.
    assert not LogEntry.select().exists()
    assert Draft.get(Draft.desk_id == session.id).text == "市应急局来电"
    monkeypatch.undo()
    entry = drafts.record_line(desk, session, "市应急局来电", "来电")
    assert entry.content == "市应急局来电" and Draft.get(Draft.desk_id == session.id).text == ""


def test_a_refused_line_is_still_recorded_as_a_failed_attempt(desk):
    Officer.update(active=False).where(Officer.login == "tester").execute()
    with pytest.raises(DeskError):
        changes.written(desk, drafts.record_line, desk, None, "市应急局来电", "来电")
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (event.actor, event.kind, event.outcome) == ("tester", "log", "failure")
    assert not LogEntry.select().exists()
