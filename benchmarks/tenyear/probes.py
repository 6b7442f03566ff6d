"""The small programs the benchmark starts as whole processes:

    python -m benchmarks.tenyear.probes desk DB CONFIG      # the desk to its first complete frame
    python -m benchmarks.tenyear.probes minimal             # Header + DataTable + Footer, same
    python -m benchmarks.tenyear.probes insert DB           # Peewee open + one INSERT (floor of `log`)
    python -m benchmarks.tenyear.probes select DB SQL       # Peewee open + one SELECT (floor of reads)
    python -m benchmarks.tenyear.probes commits DB CONFIG N START   # N log entries through the services
    python -m benchmarks.tenyear.probes rawcommits DB N START       # N raw WAL commits
    python -m benchmarks.tenyear.probes enter DB CONFIG N           # N Enters in the desk's entry line
    python -m benchmarks.tenyear.probes enterfloor N                # N Enters in a minimal app
    python -m benchmarks.tenyear.probes live DB CONFIG TOKEN N IDLE # the desk seeing N outside writes
    python -m benchmarks.tenyear.probes minimaltty                  # the minimal app in a real terminal

Each prints one JSON line on stdout. ``BENCH_SPAWNED`` (epoch seconds, set by
the parent just before it starts the process) lets a frame probe say how long
after its start the first complete frame was on screen.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
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


def _desk_app(db: str, config: str):
    """The desk app over the store, as `duty-desk` opens it; and the desk."""
    from duty_desk.core.config import load_config
    from duty_desk.core.opening import open_desk
    from duty_desk.tui.app import DutyDeskApp

    cfg = load_config(config)
    d = open_desk(cfg, f"sqlite:///{db}", login=os.environ.get("BENCH_LOGIN") or None)
    return DutyDeskApp(d), d


def desk(db: str, config: str) -> None:
    app, d = _desk_app(db, config)
    try:
        app.run(headless=True, size=SIZE, auto_pilot=_first_frame)
    finally:
        d.close()
    print(json.dumps({"frame_s": getattr(app, "_bench_frame", None), "hwm_kib": _hwm_kib()}))


CONTENT = "市应急管理局来电询问值守情况，已按预案答复。"


def _minimal_app(with_input: bool = False):
    """Header + DataTable of 20 rows + Footer; with an Input that appends
    its line to the table on Enter (the floor of the entry line)."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header, Input

    class Minimal(App):
        BINDINGS = [("q", "quit", "退出")]

        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            if with_input:
                yield Input(id="entry-input")
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("编号", "时间", "类别", "内容")
            for i in range(20):
                table.add_row(str(i), "08:30", "来电", CONTENT)
            if with_input:
                self.query_one(Input).focus()

        def on_input_submitted(self, event: Input.Submitted) -> None:
            table = self.query_one(DataTable)
            table.add_row(str(table.row_count), time.strftime("%H:%M"), "记事", event.value)
            table.move_cursor(row=table.row_count - 1, animate=False)
            event.input.value = ""

    return Minimal()


def minimal() -> None:
    app = _minimal_app()
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


def minimaltty() -> None:
    """The minimal app in the terminal it was started in, until q or ctrl+q."""
    _minimal_app().run()


# --- the desk driven headless: Enter, and other sessions' writes ------------------


async def _settle(pilot, rounds: int = 3) -> None:
    """Every thread worker done and what it handed back shown (as the
    desk's own tests wait)."""
    app = pilot.app
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()


class FrameWatch:
    """Notes the first frame, after ``expect(marker)``, that draws the text
    ``marker`` while ``table`` holds more rows than it did at ``expect``:
    the new row is in the DataTable and on screen. Frames are caught where
    Textual hands them to the terminal driver (``App._display``), and turned
    into the bytes a terminal would get, as a real desk does for every frame."""

    def __init__(self, app, table) -> None:
        self.app, self.table = app, table
        self.marker: str | None = None
        self.rows = 0
        self.seen_at = 0.0  # time.perf_counter()
        self.seen_wall = 0.0  # time.time(), comparable across processes
        self.seen_cpu = 0.0  # time.process_time(): CPU of every thread of this process
        self.event = asyncio.Event()
        self._display = app._display
        app._display = self._frame

    def expect(self, marker: str) -> None:
        self.marker, self.rows = marker, self.table.row_count
        self.event.clear()

    def _frame(self, screen, renderable) -> None:
        self._display(screen, renderable)
        if self.marker is None or renderable is None or self.table.row_count <= self.rows:
            return
        try:
            drawn = renderable.render_segments(self.app.console)
        except Exception:  # a kind of update without segments: judged by the next frame
            return
        if self.marker in drawn:
            self.seen_at, self.seen_wall, self.seen_cpu = time.perf_counter(), time.time(), time.process_time()
            self.marker = None
            self.event.set()


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _draft_delay() -> float:
    try:
        from duty_desk.tui.entry import DRAFT_DELAY
    except ImportError:
        return 0.5
    return float(DRAFT_DELAY)


async def _enters(pilot, table, line, n: int, tag: str, pause: float) -> dict:
    """``n`` times: type a line (as a person would: the draft it starts is
    written), wait until the desk is idle, press Enter and time it until a
    frame shows the new row. Only the wait after the key is timed."""
    from textual import events

    app = pilot.app
    watch = FrameWatch(app, table)
    commits: list[float] = []
    pressed = [0.0]
    _time_commits(commits, pressed)
    lat, cpu, missed = [], [], 0
    for i in range(n):
        marker = f"{tag}{os.getpid() % 1000:03d}{i:03d}"
        line.focus()
        line.insert_text_at_cursor(f"{marker} {CONTENT}")
        await pilot.pause()
        if pause:
            await asyncio.sleep(pause)
        await _settle(pilot)
        watch.expect(marker)
        cpu0 = time.process_time()
        pressed[0] = time.perf_counter()
        app._driver.send_message(events.Key("enter", "\r"))  # as the terminal driver hands a key over
        try:
            await asyncio.wait_for(watch.event.wait(), 15.0)
            lat.append((watch.seen_at - pressed[0]) * 1000)
            cpu.append((watch.seen_cpu - cpu0) * 1000)
        except asyncio.TimeoutError:
            missed += 1
        await _settle(pilot)
    return {"lat": lat, "cpu": cpu, "missed": missed, "commit": commits}


def _time_commits(commits: list[float], pressed: list[float]) -> None:
    """Note when each log entry's transaction returned, after the key press
    (services.log.record_entry, looked up by the desk at each call)."""
    try:
        from duty_desk.core.services import log
    except ImportError:
        return
    record = getattr(log, "record_entry", None)
    if record is None:
        return

    def timed(*args, **kwargs):
        row = record(*args, **kwargs)
        commits.append((time.perf_counter() - pressed[0]) * 1000)
        return row

    log.record_entry = timed


def enter(db: str, config: str, n: int) -> None:
    """Enter in the desk's entry line, ``n`` times, on the store."""
    from textual.widgets import DataTable, Input

    app, d = _desk_app(db, config)

    async def run() -> dict:
        async with app.run_test(size=SIZE) as pilot:
            await _settle(pilot)
            table = app.screen.query_one("#log").query_one(DataTable)
            line = app.screen.query_one("#entry-input", Input)
            return await _enters(pilot, table, line, n, "E", _draft_delay() + 0.1)

    try:
        result = asyncio.run(run())
    finally:
        d.close()
    print(json.dumps(result))


def enterfloor(n: int) -> None:
    """The floor: a minimal app appending a DataTable row on Enter."""
    from textual.widgets import DataTable, Input

    app = _minimal_app(with_input=True)

    async def run() -> dict:
        async with app.run_test(size=SIZE) as pilot:
            await _settle(pilot)
            return await _enters(pilot, app.query_one(DataTable), app.query_one(Input), n, "M", 0.0)

    print(json.dumps(asyncio.run(run())))


def _count_workers(app, started: dict[str, int]) -> None:
    """Count the thread workers the app starts, by the widget that starts
    them and their group (which panes reload, which rounds run)."""
    add = app.workers.add_worker

    def counted(worker, *args, **kwargs):
        node = worker.node
        key = f"{getattr(node, 'id', None) or type(node).__name__}:{worker.group}"
        started[key] = started.get(key, 0) + 1
        return add(worker, *args, **kwargs)

    app.workers.add_worker = counted


def live(db: str, config: str, token: str, n: int, idle: float) -> None:
    """The desk open on the store while another process writes: say on
    stdout (one JSON line each) when it is ready, and when each write
    ``TOKEN###`` (### from 000) is in the log pane and on screen; at the
    end the CPU the desk spent beyond idling, and the workers it started."""
    from textual.widgets import DataTable

    app, d = _desk_app(db, config)

    def say(**what) -> None:
        print(json.dumps(what), flush=True)

    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await _settle(pilot)
            table = app.screen.query_one("#log").query_one(DataTable)
            watch = FrameWatch(app, table)
            cpu0, t0 = _cpu_s(), time.perf_counter()
            await asyncio.sleep(idle)
            idle_cpu, idle_s = _cpu_s() - cpu0, time.perf_counter() - t0
            started: dict[str, int] = {}
            _count_workers(app, started)
            cpu0, t0 = _cpu_s(), time.perf_counter()
            say(ready=True, idle_cpu_s=idle_cpu, idle_s=idle_s)
            for k in range(n):
                watch.expect(f"{token}{k:03d}")
                try:
                    await asyncio.wait_for(watch.event.wait(), 30.0)
                    say(seen=k, at=watch.seen_wall)
                except asyncio.TimeoutError:
                    say(missed=k)
            await asyncio.sleep(3.0)  # the reloads and rounds the last write set off
            await _settle(pilot)
            say(done=True, cpu_s=_cpu_s() - cpu0, span_s=time.perf_counter() - t0,
                idle_cpu_s=idle_cpu, idle_s=idle_s, workers=started)

    try:
        asyncio.run(run())
    finally:
        d.close()


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
    elif cmd == "enter":
        enter(rest[0], rest[1], int(rest[2]))
    elif cmd == "enterfloor":
        enterfloor(int(rest[0]))
    elif cmd == "live":
        live(rest[0], rest[1], rest[2], int(rest[3]), float(rest[4]))
    elif cmd == "minimaltty":
        minimaltty()
    else:
        raise SystemExit(f"unknown probe {cmd}")


if __name__ == "__main__":
    main(sys.argv[1:])
