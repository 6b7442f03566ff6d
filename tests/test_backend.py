"""The storage seam (core.backend): the engine is chosen by the URL's scheme,
and what the desk needs of it is asked of the backend."""

from __future__ import annotations

import pytest

from duty_desk.core import backend, db
from duty_desk.core.errors import Refused


def test_the_engine_is_chosen_by_the_urls_scheme():
    assert backend.backend_for("sqlite:////tmp/desk.db").name == "sqlite"
    assert backend.backend_for("SQLITE:////tmp/desk.db").name == "sqlite"


@pytest.mark.parametrize("url", ["postgresql://desk:s3cret@127.0.0.1/desk", "nosuch://x", "desk.db"])
def test_a_scheme_the_desk_has_no_engine_for_is_refused_in_one_line_without_the_password(url):
    with pytest.raises(Refused) as caught:
        backend.backend_for(url)
    assert caught.value.key == "db.open_failed"
    message = caught.value.message
    assert "\n" not in message and "s3cret" not in message and "sqlite://" in message


def test_two_urls_of_one_file_are_the_same_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    assert backend.same_store("sqlite:///desk.db", f"sqlite:///{tmp_path}/sub/../desk.db")
    assert not backend.same_store("sqlite:///desk.db", "sqlite:///other.db")
    assert not backend.same_store("sqlite:///desk.db", "postgresql://x/desk.db")


def test_the_audit_head_is_locked_through_the_backend_on_every_append(desk, monkeypatch):
    from duty_desk.core import audit

    seen = []
    monkeypatch.setattr(backend.SQLiteBackend, "lock_audit_head", lambda self, database: seen.append(database))
    with desk.db.atomic():
        audit.append(desk.now(), desk.actor, "update", "shift", None, None, {"x": 1})
    assert seen == [desk.db]


def test_the_first_migration_names_its_tables_and_later_models_come_with_their_own(tmp_path, cfg):
    from duty_desk.core.models import Draft

    url = db.url_for(str(tmp_path / "v1.db"))
    database = db.open_database(url, cfg)
    try:
        database.execute_sql("DROP TABLE desk_draft")
        with database.atomic():
            db.MIGRATIONS[1](database)
        assert not database.table_exists(Draft._meta.table_name)  # version 1 had no desk_draft
        with database.atomic():
            db.MIGRATIONS[3](database)
        assert database.table_exists(Draft._meta.table_name)
    finally:
        db.close_database(database)
