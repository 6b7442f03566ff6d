"""The store: opened from a URL, migrated from empty, refusing a newer schema,
with the SQLite settings that keep a saved record saved."""

from __future__ import annotations

import sqlite3

import pytest

from duty_desk.core import db as store
from duty_desk.core.errors import Refused
from duty_desk.core.models import ALL_MODELS, Meta
from duty_desk.core.opening import open_desk


def _tables(path) -> set[str]:
    with sqlite3.connect(path) as con:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_empty_database_is_migrated_to_the_current_schema_version(cfg, db_path):
    database = store.open_database(store.url_for(str(db_path)), cfg)
    try:
        assert store.schema_version(database) == store.SCHEMA_VERSION
        assert {m._meta.table_name for m in ALL_MODELS} <= _tables(db_path)
    finally:
        store.close_database(database)
    with sqlite3.connect(db_path) as con:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    assert row == (str(store.SCHEMA_VERSION),)


def test_opening_a_current_database_again_changes_nothing(cfg, db_path):
    url = store.url_for(str(db_path))
    store.close_database(store.open_database(url, cfg))
    with sqlite3.connect(db_path) as con:
        before = con.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    database = store.open_database(url, cfg)
    try:
        assert store.migrate(database) == store.SCHEMA_VERSION  # found current: no step ran
    finally:
        store.close_database(database)
    with sqlite3.connect(db_path) as con:
        after = con.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    assert after == before


def test_a_store_of_version_3_gains_the_indexes_of_version_4_and_matches_a_new_store(cfg, db_path, tmp_path):
    """Migration 4 gives a store written before it the indexes the handover
    sheet and the desk read through (tests/test_query_plans.py), named as a
    new store names them."""
    url = store.url_for(str(db_path))
    store.close_database(store.open_database(url, cfg))
    with sqlite3.connect(db_path) as con:
        new_schema = con.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
        for name in ("shift_starts_at", "shift_state", "urgent_item_closed_at"):
            con.execute(f'DROP INDEX "{name}"')
        con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    database = store.open_database(url, cfg)
    try:
        assert store.schema_version(database) == store.SCHEMA_VERSION
    finally:
        store.close_database(database)
    with sqlite3.connect(db_path) as con:
        migrated = con.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    assert migrated == new_schema


def test_database_from_a_newer_version_is_refused_with_a_clear_message(cfg, db_path):
    url = store.url_for(str(db_path))
    store.close_database(store.open_database(url, cfg))
    with sqlite3.connect(db_path) as con:
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(store.SCHEMA_VERSION + 1),))
    with pytest.raises(Refused) as caught:
        open_desk(cfg, url, login="tester")
    assert caught.value.key == "db.too_new"
    assert str(store.SCHEMA_VERSION + 1) in caught.value.message
    assert "升级" in caught.value.message
    # nothing was written to it
    with sqlite3.connect(db_path) as con:
        assert con.execute("SELECT count(*) FROM audit_event").fetchone() == (0,)
    assert url not in store._open


def test_sqlite_store_keeps_saved_records_safe(desk):
    pragma = {name: desk.db.execute_sql(f"PRAGMA {name}").fetchone()[0]
              for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}
    assert pragma == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 10000}
    assert desk.db._lock_type == "IMMEDIATE"


def test_db_flag_takes_a_path_or_a_url(tmp_path):
    assert store.url_for(str(tmp_path / "x.db")) == "sqlite:///" + str(tmp_path / "x.db")
    assert store.url_for("postgresql://desk@localhost/desk") == "postgresql://desk@localhost/desk"


def test_default_and_demo_databases_live_under_xdg_data_home(tmp_path):
    assert store.default_url() == "sqlite:///" + str(tmp_path / "data" / "duty-desk" / "desk.db")
    assert store.demo_url() == "sqlite:///" + str(tmp_path / "data" / "duty-desk" / "demo.db")


def test_missing_folder_of_the_database_file_is_created(cfg, tmp_path):
    path = tmp_path / "new" / "deeper" / "desk.db"
    desk = open_desk(cfg, store.url_for(str(path)), login="tester")
    desk.close()
    assert path.is_file()


def test_schema_version_is_recorded_in_the_meta_table(desk):
    assert Meta.get(Meta.key == "schema_version").value == str(store.SCHEMA_VERSION)


@pytest.mark.parametrize("target", ["not-a-database.txt", "folder", "postgresql://desk:s3cret@127.0.0.1:1/desk",
                                    "nosuch://x"])
def test_store_that_cannot_be_opened_is_refused_in_one_line(cfg, tmp_path, target):
    (tmp_path / "not-a-database.txt").write_text("值班记录\n", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    url = target if "://" in target else store.url_for(str(tmp_path / target))
    with pytest.raises(Refused) as caught:
        open_desk(cfg, url, login="tester")
    message = caught.value.message
    assert caught.value.key == "db.open_failed" and "\n" not in message
    assert "s3cret" not in message  # a password in the URL never reaches the screen
    assert url not in store._open


def test_a_store_from_before_the_search_index_and_the_contact_book_migrates_whole(cfg, db_path):
    """A store of version 4 has neither the search index (step 5) nor the
    contact book and standing orders (step 7): building the index must not
    read the tables a later step creates. It failed to open before."""
    url = store.url_for(str(db_path))
    store.close_database(store.open_database(url, cfg))
    with sqlite3.connect(db_path) as con:
        new_tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for name in ("standing_item", "standing_order", "contact"):
            con.execute(f'DROP TABLE "{name}"')
        con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    database = store.open_database(url, cfg)
    try:
        assert store.schema_version(database) == store.SCHEMA_VERSION
    finally:
        store.close_database(database)
    with sqlite3.connect(db_path) as con:
        assert {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} == new_tables
