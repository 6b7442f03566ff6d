"""The small programs the benchmark starts as whole processes:

    python -m benchmarks.tenyear.probes desk DB CONFIG      # the desk to its first complete frame
    python -m benchmarks.tenyear.probes minimal             # Header + DataTable + Footer, same
    python -m benchmarks.tenyear.probes insert DB           # Peewee open + one INSERT (floor of `log`)
    python -m benchmarks.tenyear.probes select DB SQL       # Peewee open + one SELECT (floor of reads)
    python -m benchmarks.tenyear.probes commits DB CONFIG N START   # N log entries through the services
    python -m benchmarks.tenyear.probes rawcommits DB N START       # N raw WAL commits

Each prints one JSON line on stdout. ``BENCH_SPAWNED`` (epoch seconds, set by
the parent just before it starts the process) lets a frame probe say how long
after its start the first complete frame was on screen.
"""

from __future__ import annotations

import json
import os
import sys
import time

SIZE = (100, 30)


def _hwm_kib() -> int | None:
    """This process's own peak RSS (VmHWM). Not ru_maxrss: a child's maxrss
    starts at its parent's size at fork, which says nothing about the child."""
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def _since_spawn() -> float:
    return time.time() - float(os.environ.get("BENCH_SPAWNED", time.time()))


async def _first_frame(pilot) -> None:
    """Wait until the screen is built and every worker that fills it is done,
    then one more refresh: that frame is complete. Then leave."""
    app = pilot.app
    await pilot.pause()
    for _ in range(50):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            break
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
    app._bench_frame = _since_spawn()
    app.exit()


def desk(db: str, config: str) -> None:
    from duty_desk.core.config import load_config
    from duty_desk.core.opening import open_desk
    from duty_desk.tui.app import DutyDeskApp

    cfg = load_config(config)
    d = open_desk(cfg, f"sqlite:///{db}", login=os.environ.get("BENCH_LOGIN") or None)
    app = DutyDeskApp(d)
    try:
        app.run(headless=True, size=SIZE, auto_pilot=_first_frame)
    finally:
        d.close()
    print(json.dumps({"frame_s": getattr(app, "_bench_frame", None), "hwm_kib": _hwm_kib()}))


def minimal() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class Minimal(App):
        BINDINGS = [("q", "quit", "退出")]

        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("编号", "时间", "类别", "内容")
            for i in range(20):
                table.add_row(str(i), "08:30", "来电", "市应急管理局来电询问值守情况，已按预案答复。")

    app = Minimal()
    app.run(headless=True, size=SIZE, auto_pilot=_first_frame)
    print(json.dumps({"frame_s": getattr(app, "_bench_frame", None), "hwm_kib": _hwm_kib()}))


def _peewee(db: str):
    from peewee import SqliteDatabase

    from duty_desk.core import sqlite_store

    params = sqlite_store.connect_params(10.0)
    conn = SqliteDatabase(db, pragmas=params["pragmas"], timeout=params["timeout"], lock_type="IMMEDIATE")
    conn.connect()
    return conn


FLOOR_TABLE = ("CREATE TABLE IF NOT EXISTS bench_floor (id INTEGER PRIMARY KEY, at VARCHAR(19), by VARCHAR(255),"
               " content TEXT)")


def insert(db: str) -> None:
    """The floor of `duty-desk log`: open the store with Peewee (the same
    pragmas as the desk) and commit one row, in a table of its own so the
    audit trail stays whole."""
    conn = _peewee(db)
    with conn.atomic():
        conn.execute_sql("INSERT INTO bench_floor (at, by, content) VALUES (?, ?, ?)",
                         (time.strftime("%Y-%m-%d %H:%M:%S"), "floor", "市应急管理局来电询问值守情况，已按预案答复。"))
    conn.close()
    print(json.dumps({"ok": True}))


def select(db: str, sql: str) -> None:
    conn = _peewee(db)
    rows = conn.execute_sql(sql).fetchall()
    conn.close()
    print(json.dumps({"rows": len(rows)}))


def _wait(start: float) -> None:
    delay = start - time.time()
    if delay > 0:
        time.sleep(delay)


def commits(db: str, config: str, n: int, start: float) -> None:
    """``n`` log entries through services.log.record_entry, one transaction each."""
    from duty_desk.core.config import load_config
    from duty_desk.core.opening import open_desk
    from duty_desk.core.services import log

    cfg = load_config(config)
    d = open_desk(cfg, f"sqlite:///{db}", login=os.environ.get("BENCH_LOGIN") or None)
    lat, errors = [], []
    _wait(start)
    for i in range(n):
        t = time.perf_counter()
        try:
            log.record_entry(d, f"并发测试第{os.getpid()}-{i}条：市应急管理局来电询问值守情况，已按预案答复。", "来电",
                             counterpart_unit="市应急管理局")
        except Exception as exc:  # counted, not fatal: the count is the measure
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
        lat.append(time.perf_counter() - t)
    d.close()
    print(json.dumps({"lat": lat, "errors": errors}))


def rawcommits(db: str, n: int, start: float) -> None:
    """The floor: ``n`` single-row commits with sqlite3 alone, WAL,
    synchronous FULL, BEGIN IMMEDIATE, the same busy timeout."""
    import sqlite3

    con = sqlite3.connect(db, timeout=10.0, isolation_level=None)
    con.execute("PRAGMA journal_mode = wal")
    con.execute("PRAGMA synchronous = 2")
    con.execute("PRAGMA busy_timeout = 10000")
    lat, errors = [], []
    _wait(start)
    for i in range(n):
        t = time.perf_counter()
        try:
            con.execute("BEGIN IMMEDIATE")
            con.execute("INSERT INTO bench_floor (at, by, content) VALUES (?, ?, ?)",
                        (time.strftime("%Y-%m-%d %H:%M:%S"), str(os.getpid()), f"并发测试第{i}条"))
            con.execute("COMMIT")
        except sqlite3.Error as exc:
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
            if con.in_transaction:
                con.execute("ROLLBACK")
        lat.append(time.perf_counter() - t)
    con.close()
    print(json.dumps({"lat": lat, "errors": errors}))


def main(argv: list[str]) -> None:
    cmd, *rest = argv
    if cmd == "desk":
        desk(rest[0], rest[1])
    elif cmd == "minimal":
        minimal()
    elif cmd == "insert":
        insert(rest[0])
    elif cmd == "select":
        select(rest[0], rest[1])
    elif cmd == "commits":
        commits(rest[0], rest[1], int(rest[2]), float(rest[3]))
    elif cmd == "rawcommits":
        rawcommits(rest[0], int(rest[1]), float(rest[2]))
    else:
        raise SystemExit(f"unknown probe {cmd}")


if __name__ == "__main__":
    main(sys.argv[1:])
