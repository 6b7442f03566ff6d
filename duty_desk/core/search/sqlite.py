"""The search index in SQLite: FTS5, with the tokens made by
``core.search.text`` (so no engine's word-splitting decides what a word is).

``search_doc`` holds one row per record: its place (``id``: the second it
happened times SLOTS, plus a slot, so "newest first" is the index's own order
and a date range is a range of ids), its duty day, state, normalised text,
pinyin and filter tags. ``search_fts`` is a contentless FTS5 table over the
tokens of that row (``detail=column``: no positions are kept; a word longer
than two characters is checked as a substring of ``text``). A contentless row
is deleted by giving its tokens again, which are made from ``search_doc``.
"""

from __future__ import annotations

from collections.abc import Callable

from peewee import Database

from duty_desk.core.search.docs import Doc
from duty_desk.core.search.names import EXACT_UP_TO
from duty_desk.core.search.query import SearchQuery
from duty_desk.core.search.text import body_tokens, hex_tag, query_tokens

SLOTS = 4096
DOC, FTS = "search_doc", "search_fts"


def _schema(doc: str, fts: str, schema: str = "main") -> list[str]:
    return [
        f'CREATE TABLE IF NOT EXISTS {schema}."{doc}" (id INTEGER PRIMARY KEY, kind TEXT NOT NULL,'
        " record_id INTEGER NOT NULL, duty_date TEXT NOT NULL, state TEXT NOT NULL, text TEXT NOT NULL,"
        " py TEXT NOT NULL, tags TEXT NOT NULL)",
        f'CREATE UNIQUE INDEX IF NOT EXISTS {schema}."{doc}_record" ON "{doc}" (kind, record_id)',
        f'CREATE VIRTUAL TABLE IF NOT EXISTS {schema}."{fts}" USING fts5(body, py, tags, content=\'\','
        " detail=column, columnsize=0, tokenize='ascii')",
    ]


class SqliteSearch:
    """One store's search index (see the module's text)."""

    name = "sqlite-fts5"

    def install(self, db: Database) -> None:
        for sql in _schema(DOC, FTS):
            db.execute_sql(sql)

    def drop(self, db: Database) -> None:
        for table in (FTS, DOC):
            db.execute_sql(f'DROP TABLE IF EXISTS "{table}"')

    def installed(self, db: Database) -> bool:
        return db.table_exists(DOC)

    # -- keeping it in step ---------------------------------------------------

    def put(self, db: Database, doc: Doc, *, doc_table: str = DOC, fts_table: str = FTS,
            fresh: bool = False) -> None:
        """The record's row as ``doc`` says, replacing what was there
        (``fresh``: there is none, the index is being built)."""
        old = None if fresh else db.execute_sql(
            f'SELECT id, duty_date, state, text, py, tags FROM "{doc_table}" WHERE kind = ? AND record_id = ?',
            (doc.kind, doc.record_id)).fetchone()
        if old is not None:
            rowid, duty_date, state, text, py, tags = old
            was = Doc(doc.kind, doc.record_id, rowid // SLOTS, duty_date, state, text, py, tags)
            if doc.same(was):
                return
            self._unindex(db, rowid, text, py, tags, fts_table)
            if was.at == doc.at:
                db.execute_sql(f'UPDATE "{doc_table}" SET duty_date = ?, state = ?, text = ?, py = ?, tags = ?'
                               " WHERE id = ?", (doc.duty_date, doc.state, doc.text, doc.py, doc.tags, rowid))
                self._index(db, rowid, doc, fts_table)
                return
            db.execute_sql(f'DELETE FROM "{doc_table}" WHERE id = ?', (rowid,))
        rowid = self._free_slot(db, doc.at, doc_table)
        db.execute_sql(f'INSERT INTO "{doc_table}" (id, kind, record_id, duty_date, state, text, py, tags)'
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (rowid, doc.kind, doc.record_id, doc.duty_date, doc.state, doc.text, doc.py, doc.tags))
        self._index(db, rowid, doc, fts_table)

    def remove(self, db: Database, kind: str, record_id: int) -> None:
        old = db.execute_sql(f'SELECT id, text, py, tags FROM "{DOC}" WHERE kind = ? AND record_id = ?',
                             (kind, record_id)).fetchone()
        if old is not None:
            self._unindex(db, *old, FTS)
            db.execute_sql(f'DELETE FROM "{DOC}" WHERE id = ?', (old[0],))

    @staticmethod
    def _index(db: Database, rowid: int, doc: Doc, fts_table: str) -> None:
        db.execute_sql(f'INSERT INTO "{fts_table}" (rowid, body, py, tags) VALUES (?, ?, ?, ?)',
                       (rowid, body_tokens(doc.text), doc.py, doc.tags))

    @staticmethod
    def _unindex(db: Database, rowid: int, text: str, py: str, tags: str, fts_table: str) -> None:
        db.execute_sql(f'INSERT INTO "{fts_table}" ("{fts_table}", rowid, body, py, tags)'
                       " VALUES ('delete', ?, ?, ?, ?)", (rowid, body_tokens(text), py, tags))

    @staticmethod
    def _free_slot(db: Database, at: int, doc_table: str) -> int:
        base = max(at, 0) * SLOTS
        while True:
            top = db.execute_sql(f'SELECT MAX(id) FROM "{doc_table}" WHERE id BETWEEN ? AND ?',
                                 (base, base + SLOTS - 1)).fetchone()[0]
            if top is None:
                return base
            if top < base + SLOTS - 1:
                return top + 1
            base += SLOTS  # a full second: the next one (never in practice)

    # -- asking -----------------------------------------------------------------

    def find(self, db: Database, query: SearchQuery, logins: tuple[str, ...] | None, lo: int | None,
             hi: int | None, before: int | None, limit: int) -> list[tuple[int, str, int, str, str]]:
        """(place, kind, record id, duty day, state) of the newest ``limit``
        matches older than ``before``; ``lo``/``hi``: seconds, hi exclusive."""
        match, checks, params = self._match(query, logins)
        where = [f'"{FTS}" MATCH ?']
        args: list = [match]
        if lo is not None:
            where.append("f.rowid >= ?")
            args.append(lo * SLOTS)
        if hi is not None:
            where.append("f.rowid < ?")
            args.append(hi * SLOTS)
        if before is not None:
            where.append("f.rowid < ?")
            args.append(before)
        if checks:
            where.append(checks)
            args.extend(params)
        sql = (f'SELECT d.id, d.kind, d.record_id, d.duty_date, d.state FROM "{FTS}" f'
               f' CROSS JOIN "{DOC}" d ON d.id = f.rowid WHERE {" AND ".join(where)}'
               " ORDER BY f.rowid DESC LIMIT ?")
        return [tuple(r) for r in db.execute_sql(sql, (*args, limit)).fetchall()]

    @staticmethod
    def _match(query: SearchQuery, logins: tuple[str, ...] | None) -> tuple[str, str, list]:
        """The FTS5 expression, and the substring checks the index alone cannot make."""
        parts: list[str] = []
        text_terms = []
        checks: list[str] = []
        params: list = []
        for word in query.words:
            tokens = query_tokens(word)
            text_terms.append(" AND ".join(f"body:{tok}" for tok in tokens))
            checks.append("instr(d.text, ?) > 0")
            params.append(word)
        text_expr = " AND ".join(f"({t})" for t in text_terms)
        check = " AND ".join(checks)
        if query.pinyin:
            exact = len(query.pinyin) <= EXACT_UP_TO
            py_expr = f"py:{query.pinyin}" if exact else f"py:{query.pinyin}*"
            text_expr = f"({text_expr}) OR ({py_expr})" if text_expr else py_expr
            if check:
                check = f"(({check}) OR instr(d.py || ' ', ?) > 0)"
                params.append(" " + query.pinyin + (" " if exact else ""))
        if text_expr:
            parts.append(f"({text_expr})")
        tags = [f"tags:k{k}" for k in query.kinds if not query.categories or k != "log"]
        tags += [f"tags:{hex_tag('c', c)}" for c in query.categories]
        if tags:
            parts.append("(" + " OR ".join(tags) + ")")
        if query.state:
            parts.append(f"tags:s{query.state}")
        if logins is not None:
            parts.append("(" + " OR ".join(f"tags:{hex_tag('o', x)}" for x in logins) + ")" if logins
                         else "tags:knothing")
        if not parts:
            parts.append("(" + " OR ".join(f"tags:k{k}" for k in _all_kinds()) + ")")
        return " AND ".join(parts), check, params

    # -- rebuilding and checking -------------------------------------------------

    def rebuild(self, db: Database, batches, total: int, progress: Callable[[int, int], None] | None) -> dict:
        """Build the index afresh beside the one kept in step, compare the two,
        and keep the new one. Returns {"records": n, "identical": bool,
        "missing": [...], "extra": [...], "differ": [...], "terms_differ": n}."""
        new_doc, new_fts = "search_doc_new", "search_fts_new"
        for table in (new_fts, new_doc):
            db.execute_sql(f'DROP TABLE IF EXISTS "{table}"')
        for sql in _schema(new_doc, new_fts):
            db.execute_sql(sql)
        done = self.fill(db, batches, total, progress, doc_table=new_doc, fts_table=new_fts)
        report = self._compare(db, DOC, new_doc, FTS, new_fts)
        report["records"] = done
        for table in (FTS, DOC):
            db.execute_sql(f'DROP TABLE IF EXISTS "{table}"')
        db.execute_sql(f'ALTER TABLE "{new_doc}" RENAME TO "{DOC}"')
        db.execute_sql(f'ALTER TABLE "{new_fts}" RENAME TO "{FTS}"')
        db.execute_sql(f'DROP INDEX IF EXISTS "{new_doc}_record"')
        db.execute_sql(f'CREATE UNIQUE INDEX IF NOT EXISTS "{DOC}_record" ON "{DOC}" (kind, record_id)')
        return report

    def compare(self, db: Database, batches, total: int, progress) -> dict:
        """Build the index afresh in the connection's temporary tables (so a
        read-only store can be checked too), compare it with the one kept in
        step and drop it: the same report as ``rebuild``, nothing changed."""
        new_doc, new_fts = "search_doc_check", "search_fts_check"
        for table in (new_fts, new_doc):
            db.execute_sql(f'DROP TABLE IF EXISTS temp."{table}"')
        for sql in _schema(new_doc, new_fts, "temp"):
            db.execute_sql(sql)
        try:
            done = self.fill(db, batches, total, progress, doc_table=new_doc, fts_table=new_fts)
            report = self._compare(db, DOC, new_doc, FTS, new_fts, new_schema="temp")
        finally:
            for table in (new_fts, new_doc):
                db.execute_sql(f'DROP TABLE IF EXISTS temp."{table}"')
        report["records"] = done
        return report

    def fill(self, db: Database, batches, total: int, progress, *, doc_table: str = DOC,
             fts_table: str = FTS) -> int:
        done = 0
        for batch in batches:
            for doc in batch:
                self.put(db, doc, doc_table=doc_table, fts_table=fts_table, fresh=True)
            done += len(batch)
            if progress is not None:
                progress(done, total)
        return done

    @staticmethod
    def _compare(db: Database, old: str, new: str, old_fts: str, new_fts: str, new_schema: str = "main") -> dict:
        cols = "kind, record_id, id / 4096, duty_date, state, text, py, tags"
        only_old = db.execute_sql(f'SELECT kind, record_id FROM (SELECT {cols} FROM "{old}" EXCEPT'
                                  f' SELECT {cols} FROM "{new}") LIMIT 50').fetchall()
        only_new = db.execute_sql(f'SELECT kind, record_id FROM (SELECT {cols} FROM "{new}" EXCEPT'
                                  f' SELECT {cols} FROM "{old}") LIMIT 50').fetchall()
        old_keys, new_keys = set(map(tuple, only_old)), set(map(tuple, only_new))
        for name, fts, schema in (("old", old_fts, "main"), ("new", new_fts, new_schema)):
            db.execute_sql(f'DROP TABLE IF EXISTS temp."search_vocab_{name}"')
            db.execute_sql(f'CREATE VIRTUAL TABLE temp."search_vocab_{name}" USING fts5vocab({schema}, "{fts}", row)')
        terms = db.execute_sql(
            'SELECT COUNT(*) FROM (SELECT term, doc, cnt FROM temp.search_vocab_old EXCEPT'
            ' SELECT term, doc, cnt FROM temp.search_vocab_new)').fetchone()[0]
        terms += db.execute_sql(
            'SELECT COUNT(*) FROM (SELECT term, doc, cnt FROM temp.search_vocab_new EXCEPT'
            ' SELECT term, doc, cnt FROM temp.search_vocab_old)').fetchone()[0]
        for name in ("old", "new"):
            db.execute_sql(f'DROP TABLE IF EXISTS temp."search_vocab_{name}"')
        return {
            "identical": not old_keys and not new_keys and terms == 0,
            "missing": sorted(new_keys - old_keys),  # in the rebuilt index only
            "extra": sorted(old_keys - new_keys),  # in the kept index only
            "differ": sorted(old_keys & new_keys),
            "terms_differ": terms,
        }

    def size(self, db: Database) -> int:
        """Bytes the index takes in the file (0 when the engine cannot say)."""
        try:
            return int(db.execute_sql("SELECT COALESCE(SUM(pgsize), 0) FROM dbstat"
                                      " WHERE name LIKE 'search\\_%' ESCAPE '\\'").fetchone()[0])
        except Exception:  # dbstat not compiled in
            return 0

    def count(self, db: Database) -> int:
        return db.execute_sql(f'SELECT COUNT(*) FROM "{DOC}"').fetchone()[0]


def _all_kinds() -> tuple[str, ...]:
    from duty_desk.core.search.docs import kinds

    return kinds()
