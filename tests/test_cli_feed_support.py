"""Running ``duty-desk`` in-process for the feed tests (call, visitor,
document, urgent) and reading the store behind its back. No tests here."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import duty_desk.core.identity as identity
from duty_desk import cli


@dataclass
class Ran:
    status: int
    out: str
    err: str


class Feeder:
    """``run(*args)`` runs the command line as officer ``login`` on one store."""

    def __init__(self, config: Path, db: Path, capsys, monkeypatch) -> None:
        self.base = ["--config", str(config), "--db", str(db)]
        self.db = db
        self.capsys = capsys
        self.login = "tester"
        monkeypatch.setattr(identity, "current_login", lambda *a, **k: self.login)

    def run(self, *args: str) -> Ran:
        try:
            status = cli.main([*self.base, *args])
        except SystemExit as done:  # argparse: --help, a usage error
            status = int(done.code or 0)
        out = self.capsys.readouterr()
        return Ran(status, out.out, out.err)

    def rows(self, sql: str, *params: object) -> list[tuple]:
        con = sqlite3.connect(self.db)
        try:
            return con.execute(sql, params).fetchall()
        finally:
            con.close()

    def count(self, table: str) -> int:
        return self.rows(f"SELECT COUNT(*) FROM {table}")[0][0]

    def trail(self) -> list[tuple]:
        """The audit trail: (action, kind, outcome) of every event."""
        return self.rows("SELECT action, kind, outcome FROM audit_event ORDER BY id")


def same_record(a: dict, b: dict, *ignore: str) -> dict:
    """The fields in which two snapshots differ, other than ``ignore`` and the id."""
    skip = {"id", *ignore}
    return {k: (a.get(k), b.get(k)) for k in {*a, *b} - skip if a.get(k) != b.get(k)}
