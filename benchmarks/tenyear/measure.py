"""The measures, each beside a floor measured in the same run on the same store.

Processes are timed whole (spawn to exit, and peak RSS from wait4); the
handover sheet is timed in this process like benchmarks/bench_handover.py.
Measure and floor take turns within each round, so a burst of load from
elsewhere falls on both alike.
"""

from __future__ import annotations

import fcntl
import json
import os
import queue
import random
import select
import statistics
import struct
import subprocess
import sys
import termios
import threading
import time
from datetime import timedelta
from pathlib import Path

PY = sys.executable
ROOT = Path(__file__).resolve().parents[2]
COMMIT_PROCS = 8
COMMITS_EACH = 500
SIZE = (100, 30)
# Exit statuses of a command that did its work (duty_desk.cli.exit_codes):
# 1 is "done, and something needs attention" (`check` found an overdue item).
DONE = (0, 1)
CONTENT = "市应急管理局来电询问值守情况，已按预案答复。"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def run_measured(args: list[str], env: dict[str, str]) -> tuple[float, int, str, int]:
    """Like run_process, with the child's own peak RSS (wait4)."""
    env = {**env, "BENCH_SPAWNED": repr(time.time())}
    t = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.stdout:
        proc.stdout.close()
    return wall, usage.ru_maxrss, out.decode("utf-8", "replace"), proc.returncode


class Store:
    """What the measures need to know about one store."""

    def __init__(self, label: str, db: Path, config: Path, env: dict[str, str]):
        self.label, self.db, self.config, self.env = label, db, config, env

    def cli(self, *args: str) -> list[str]:
        return [PY, "-m", "duty_desk", "--config", str(self.config), "--db", str(self.db), *args]

    def probe(self, *args: str) -> list[str]:
        return [PY, "-m", "benchmarks.tenyear.probes", *args]


def _row(name: str, floor_name: str, values: list[float], floors: list[float], unit: str = "ms",
         p99: bool = False, extra: dict | None = None) -> dict:
    med, fmed = statistics.median(values), statistics.median(floors)
    row = {"measure": name, "floor": floor_name, "unit": unit, "runs": len(values),
           "median": med, "floor_median": fmed, "ratio": med / fmed if fmed else None}
    if p99:
        row.update(p99=percentile(values, 99), floor_p99=percentile(floors, 99))
    if extra:
        row.update(extra)
    return row


def cold_start(store: Store, runs: int) -> list[dict]:
    frames, floors, walls, fwalls, rss, frss, fails = [], [], [], [], [], [], 0
    for _ in range(runs):
        for target in ("desk", "minimal"):
            args = store.probe("desk", str(store.db), str(store.config)) if target == "desk" else store.probe("minimal")
            wall, peak, out, code = run_measured(args, store.env)
            try:
                told = json.loads(out.strip().splitlines()[-1])
                frame = told["frame_s"] * 1000
                peak = told.get("hwm_kib") or peak
            except (ValueError, IndexError, KeyError, TypeError):
                frame, fails = None, fails + 1
            if target == "desk":
                walls.append(wall * 1000)
                rss.append(peak / 1024)
                if frame is not None:
                    frames.append(frame)
            else:
                fwalls.append(wall * 1000)
                frss.append(peak / 1024)
                if frame is not None:
                    floors.append(frame)
    rows = []
    if frames and floors:
        rows.append(_row("cold start to first complete frame 100x30", "minimal Textual app (Header+DataTable+Footer)",
                         frames, floors, extra={"failed_runs": fails}))
    rows.append(_row("  whole desk process, start to exit", "minimal app process", walls, fwalls))
    rows.append(_row("  peak RSS of the desk process", "minimal app process", rss, frss, unit="MiB"))
    return rows


def processes(store: Store, name: str, floor_name: str, args: list[str], floor_args: list[str],
              runs: int) -> dict:
    values, floors, failed = [], [], []
    for _ in range(runs):
        wall, _, _, code = run_measured(args, store.env)
        values.append(wall * 1000)
        if code not in DONE:
            failed.append(code)
        fwall, _, _, fcode = run_measured(floor_args, store.env)
        floors.append(fwall * 1000)
        if fcode != 0:
            failed.append(f"floor {fcode}")
    return _row(name, floor_name, values, floors, p99=True, extra={"failed_runs": failed})


def sheet(store: Store, runs: int) -> dict:
    """sheet_of today's shift vs the raw SELECTs of the rows it reads."""
    from benchmarks.bench_handover import floor_queries, floor_select
    from duty_desk.core.config import load_config
    from duty_desk.core.handover import sheet_of
    from duty_desk.core.handover.flow import shift_now
    from duty_desk.core.opening import open_desk

    cfg = load_config(str(store.config))
    desk = open_desk(cfg, f"sqlite:///{store.db}", login=store.env.get("BENCH_LOGIN"))
    try:
        shift = shift_now(desk)
        queries = floor_queries(shift)
        values, floors = [], []
        for _ in range(runs):
            t = time.perf_counter()
            sheet_of(desk, shift)
            values.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            floor_select(desk.db, queries)
            floors.append((time.perf_counter() - t) * 1000)
    finally:
        desk.close()
    return _row("handover sheet of today (sheet_of)", "raw SELECTs of the same rows", values, floors, p99=True)


def names(store: Store, runs: int) -> list[dict]:
    """The names a form suggests (core.suggest): reading the book when a form
    opens (on a worker) vs the raw grouping SELECTs it runs; and matching one
    typed ``sw`` against it vs a plain substring scan of the same names."""
    from duty_desk.core import clock
    from duty_desk.core.config import load_config
    from duty_desk.core.opening import open_desk
    from duty_desk.core.suggest import LOOKBACK_DAYS, UNIT, read_book

    cfg = load_config(str(store.config))
    desk = open_desk(cfg, f"sqlite:///{store.db}", login=store.env.get("BENCH_LOGIN"))
    since = (clock.now() - timedelta(days=LOOKBACK_DAYS)).date().isoformat()
    raw = [f"SELECT counterpart_unit, counterpart_name, COUNT(*), MAX(recorded_at) FROM log_entry "
           f"WHERE duty_date >= '{since}' GROUP BY 1, 2",
           f"SELECT unit, name, COUNT(*), MAX(recorded_at) FROM visitor WHERE duty_date >= '{since}' GROUP BY 1, 2",
           f"SELECT sender, COUNT(*) FROM document WHERE duty_date >= '{since}' GROUP BY 1"]
    try:
        reads, floors, book = [], [], None
        for _ in range(runs):
            t = time.perf_counter()
            book = read_book(clock.now())
            reads.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            for sql in raw:
                desk.db.execute_sql(sql).fetchall()
            floors.append((time.perf_counter() - t) * 1000)
        keys, scans = [], []
        words = [(e.item.unit, e.item.name) for e in book.entries]
        for typed in ("sw", "shuiwu", "水务", "dc", "zhang") * max(2, runs):
            t = time.perf_counter()
            book.suggest(typed, UNIT)
            keys.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            _ = [w for w in words if typed in w[0] or typed in w[1]]
            scans.append((time.perf_counter() - t) * 1000)
    finally:
        desk.close()
    return [_row("names to suggest: read the book as a form opens", "raw grouping SELECTs of the same names", reads,
                 floors, extra={"names": len(book.entries) if book else 0}),
            _row("names to suggest: match one typed word", "substring scan of the same names", keys, scans)]


def step_to(desk, day) -> None:
    """What the desk reads when history steps to ``day`` (tui/history.py):
    the four panes' rows of that day (the log with its authors' names), who
    was on duty. The same core calls the panes' workers make."""
    from duty_desk.core import history
    from duty_desk.core.desk import officer_name
    from duty_desk.core.services import log

    names: dict[str, str] = {}
    for entry in log.entries_of_day(day):  # each author named once, as the pane does
        if entry.recorded_by not in names:
            names[entry.recorded_by] = officer_name(entry.recorded_by)
    history.visitors_of(day)
    history.documents_of(day)
    history.urgent_of(day)
    history.day_facts(day)


def history_step(store: Store, runs: int) -> dict:
    """One step of history to another duty day (yesterday, then days further
    back in turn, each read once: no day comes from SQLite's cache of the run
    before), in process, vs a raw indexed SELECT of that day's log rows."""
    from datetime import timedelta

    from duty_desk.core.config import load_config
    from duty_desk.core.opening import open_desk

    cfg = load_config(str(store.config))
    desk = open_desk(cfg, f"sqlite:///{store.db}", login=store.env.get("BENCH_LOGIN"))
    try:
        values, floors = [], []
        for k in range(runs):
            day = desk.today() - timedelta(days=1 + 37 * k)
            t = time.perf_counter()
            step_to(desk, day)
            values.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            desk.db.execute_sql("SELECT * FROM log_entry WHERE duty_date = ? ORDER BY occurred_at, id",
                                (day.isoformat(),)).fetchall()
            floors.append((time.perf_counter() - t) * 1000)
    finally:
        desk.close()
    return _row("history: step to another duty day (four panes, header)", "raw SELECT of that day's log rows",
                values, floors, p99=True)


def concurrent(store: Store, services: bool, each: int = COMMITS_EACH) -> dict:
    start = time.time() + (6.0 if services else 2.0)  # every process opened before the first commit
    procs = []
    for _ in range(COMMIT_PROCS):
        args = (store.probe("commits", str(store.db), str(store.config), str(each), repr(start)) if services
                else store.probe("rawcommits", str(store.db), str(each), repr(start)))
        procs.append(subprocess.Popen(args, cwd=ROOT, env=store.env, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE))
    lat, errors, crashed = [], [], 0
    for p in procs:
        out, err = p.communicate()
        try:
            data = json.loads(out.decode().strip().splitlines()[-1])
            lat += data["lat"]
            errors += data["errors"]
        except (ValueError, IndexError):
            crashed += 1
            errors.append(err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["crashed"])
    span = max(time.time() - start, 1e-9)
    return {"lat_ms": [x * 1000 for x in lat], "errors": errors, "crashed": crashed, "seconds": span}


def commits(store: Store, each: int = COMMITS_EACH) -> list[dict]:
    svc = concurrent(store, services=True, each=each)
    raw = concurrent(store, services=False, each=each)
    rows = []
    for label, key in (("p99", 99), ("worst", 100)):
        v, f = percentile(svc["lat_ms"], key), percentile(raw["lat_ms"], key)
        rows.append({"measure": f"{COMMIT_PROCS} procs x {each} log commits (services): {label} commit",
                     "floor": f"raw SQLite WAL commits, {label}", "unit": "ms", "runs": len(svc["lat_ms"]),
                     "median": v, "floor_median": f, "ratio": v / f if f else None})
    rows[0].update(errors=len(svc["errors"]), floor_errors=len(raw["errors"]),
                   error_samples=[str(e) for e in svc["errors"][:3]], median_commit=statistics.median(svc["lat_ms"]),
                   floor_median_commit=statistics.median(raw["lat_ms"]), seconds=svc["seconds"],
                   floor_seconds=raw["seconds"], crashed=svc["crashed"])
    rows.append({"measure": "  errors in those commits", "floor": "errors in the raw commits", "unit": "",
                 "runs": len(svc["lat_ms"]), "median": len(svc["errors"]), "floor_median": len(raw["errors"]),
                 "ratio": None})
    return rows


def _probe_json(args: list[str], env: dict[str, str], timeout: float = 600.0) -> dict:
    """Run a probe to its end; its last line of stdout, as JSON (or why not)."""
    proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, timeout=timeout)
    try:
        return json.loads(proc.stdout.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        return {"error": f"exit {proc.returncode}: " + " | ".join(tail)}


def entry_latency(store: Store, enters: int) -> list[dict]:
    """Enter in the desk's entry line (typed text, then the key) until a
    frame shows the new row, in the desk run headless on the store; the
    floor is a minimal app (Input + DataTable) appending the line as a row
    on Enter, timed the same way. Two halves each, taking turns."""
    half = max(1, enters // 2)
    got: dict[str, dict] = {"desk": {}, "floor": {}}
    for _ in range(2):
        for target in ("floor", "desk"):
            args = (store.probe("enter", str(store.db), str(store.config), str(half)) if target == "desk"
                    else store.probe("enterfloor", str(half)))
            out = _probe_json(args, store.env)
            acc = got[target]
            for key in ("lat", "cpu", "commit"):
                acc.setdefault(key, []).extend(out.get(key, []))
            acc["missed"] = acc.get("missed", 0) + out.get("missed", 0)
            if "error" in out:
                acc.setdefault("errors", []).append(out["error"])
    desk, floor = got["desk"], got["floor"]
    problems = desk.get("missed", 0) + len(desk.get("errors", []))
    if not desk.get("lat") or not floor.get("lat"):
        return [{"measure": "Enter in the entry line -> row committed and visible", "floor": "minimal app",
                 "unit": "ms", "runs": 0, "median": None, "floor_median": None, "ratio": None,
                 "failed_runs": problems or 1, "errors": desk.get("errors", []) + floor.get("errors", [])}]
    rows = [_row("Enter in the entry line -> row committed and visible", "minimal app: Enter adds a DataTable row",
                 desk["lat"], floor["lat"], p99=True,
                 extra={"failed_runs": problems, "errors": desk.get("errors", [])[:3],
                        "floor_failed_runs": floor.get("missed", 0) + len(floor.get("errors", []))})]
    rows.append(_row("  CPU of the desk process per Enter", "CPU of the minimal app per Enter",
                     desk["cpu"], floor["cpu"]))
    if desk.get("commit"):
        rows.append({"measure": "  key -> its transaction returned (in the desk)", "floor": "—", "unit": "ms",
                     "runs": len(desk["commit"]), "median": statistics.median(desk["commit"]),
                     "floor_median": None, "ratio": None, "p99": percentile(desk["commit"], 99), "floor_p99": None})
    return rows


class _Lines:
    """The stdout of a running probe, line by line, with a timeout."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, args=(proc,), daemon=True).start()

    def _read(self, proc: subprocess.Popen) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            self.queue.put(line.decode("utf-8", "replace"))
        self.queue.put(None)

    def next_json(self, timeout: float) -> dict | None:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.queue.get(timeout=left)
            except queue.Empty:
                return None
            if line is None:
                return None
            try:
                return json.loads(line)
            except ValueError:
                continue
        return None


def outside_writes(store: Store, writes: int, idle: float) -> list[dict]:
    """A desk open on the store (a probe process, headless); another process
    runs `duty-desk log TEXT` on the same store, ``writes`` times, at random
    moments; each time, from that process's exit (its commit is a little
    before) to the first frame of the open desk showing the line."""
    token = f"W{os.getpid() % 100:02d}{int(time.time()) % 1000:03d}-"
    desk = subprocess.Popen(store.probe("live", str(store.db), str(store.config), token, str(writes), str(idle)),
                            cwd=ROOT, env=store.env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    lines = _Lines(desk)
    lat, missed, cli_failed, done = [], 0, 0, None
    rnd = random.Random(writes)
    try:
        ready = lines.next_json(180.0)
        if not ready or not ready.get("ready"):
            raise RuntimeError("the desk probe did not start")
        for k in range(writes):
            time.sleep(rnd.uniform(0.2, 3.2))  # any moment of the desk's polling
            _, _, _, code = run_measured(store.cli("log", f"{token}{k:03d} {CONTENT}"), store.env)
            written = time.time()
            if code not in DONE:
                cli_failed += 1
            told = lines.next_json(35.0)
            if told and told.get("seen") == k:
                lat.append((told["at"] - written) * 1000)
            else:
                missed += 1
        done = lines.next_json(60.0)
    except RuntimeError:
        missed = writes
    finally:
        try:
            desk.wait(timeout=30)
        except subprocess.TimeoutExpired:
            desk.kill()
            desk.wait()
    name = "another session's write -> visible in an open desk"
    if not lat:
        return [{"measure": name, "floor": "—", "unit": "ms", "runs": 0, "median": None, "floor_median": None,
                 "ratio": None, "failed_runs": missed + cli_failed}]
    row = {"measure": name, "floor": "—", "unit": "ms", "runs": len(lat), "median": statistics.median(lat),
           "floor_median": None, "ratio": None, "max": max(lat), "failed_runs": missed + cli_failed,
           "missed": missed, "cli_failed": cli_failed}
    rows = [row, {"measure": "  max of the same", "floor": "—", "unit": "ms", "runs": len(lat), "median": max(lat),
                  "floor_median": None, "ratio": None}]
    if done and done.get("done"):
        idle_rate = done["idle_cpu_s"] / done["idle_s"] if done["idle_s"] else 0.0
        per_write = (done["cpu_s"] - idle_rate * done["span_s"]) / writes
        workers = {k: round(v / writes, 1) for k, v in sorted(done.get("workers", {}).items())}
        rows.append({"measure": "  CPU-s of the open desk per outside write", "floor": "—", "unit": "s",
                     "runs": writes, "median": per_write, "floor_median": None, "ratio": None,
                     "idle_cpu_percent": idle_rate * 100, "workers_per_write": workers,
                     "note": "workers the open desk started per outside write: "
                             + ", ".join(f"{k} {v:g}" for k, v in workers.items())})
    return rows


def _cpu_ticks(pid: int) -> int | None:
    """utime + stime of a process (every thread), in clock ticks."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[11]) + int(fields[12])


def in_pty(args: list[str], env: dict[str, str], seconds: float, settle: float = 10.0) -> dict:
    """Run ``args`` in a pseudo-terminal of 100x30 (TERM=xterm-256color) and
    read all it writes. After the first paint, once it has been quiet for
    1.5 s (or ``settle`` s have passed), take ``seconds`` of idling: CPU %
    of a core (/proc utime+stime), bytes/s written to the terminal and how
    many separate writes (bursts 50 ms apart). Then ctrl+q."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    env = {**env, "TERM": "xterm-256color", "COLUMNS": str(SIZE[0]), "LINES": str(SIZE[1])}
    env.pop("COLORTERM", None)  # SSH does not forward it
    if "UTF-8" not in (env.get("LC_ALL") or env.get("LANG") or "").upper().replace("UTF8", "UTF-8"):
        env["LC_ALL"] = "C.UTF-8"  # a terminal set up as the README asks
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdin=slave, stdout=slave, stderr=slave,
                            start_new_session=True, close_fds=True)
    os.close(slave)
    got: list[tuple[float, int]] = []  # (time.monotonic(), bytes)
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            got.append((time.monotonic(), len(chunk)))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    result: dict = {}
    try:
        start = time.monotonic()
        while not got and time.monotonic() - start < 120 and proc.poll() is None:
            time.sleep(0.05)
        if got:
            first = got[0][0]
            result["first_paint_s"] = first - start
            while time.monotonic() - first < settle and time.monotonic() - got[-1][0] < 1.5:
                time.sleep(0.1)
        ticks0, t0, n0 = _cpu_ticks(proc.pid), time.monotonic(), len(got)
        time.sleep(seconds)
        ticks1, t1 = _cpu_ticks(proc.pid), time.monotonic()
        window = [g for g in got[n0:] if t0 <= g[0] <= t1]
        bursts = sum(1 for i, g in enumerate(window) if i == 0 or g[0] - window[i - 1][0] > 0.05)
        if ticks0 is not None and ticks1 is not None and proc.poll() is None:
            hz = os.sysconf("SC_CLK_TCK")
            result.update(cpu_percent=(ticks1 - ticks0) / hz / (t1 - t0) * 100,
                          bytes_per_s=sum(b for _, b in window) / (t1 - t0), writes_per_s=bursts / (t1 - t0))
        else:
            result["error"] = f"exited early ({proc.returncode})"
    finally:
        try:
            os.write(master, b"\x11")  # ctrl+q
            proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        stop.set()
        reader.join(timeout=2)
        os.close(master)
    return result


def idle_desk(store: Store, seconds: float) -> list[dict]:
    """The real desk (`duty-desk` on the store) and the minimal app, each in
    a pty, idle after their first paint."""
    settle = min(10.0, max(4.0, seconds / 2))  # a desk redrawing every second is never quiet for 1.5 s
    floor = in_pty(store.probe("minimaltty"), store.env, seconds, settle)
    desk = in_pty(store.cli(), store.env, seconds, settle)
    ok = "cpu_percent" in desk and "cpu_percent" in floor
    rows = []
    for key, name, fname, unit in (
            ("cpu_percent", "idle desk in a pty 100x30: CPU % of a core", "minimal app, same way", "%"),
            ("bytes_per_s", "  idle desk: bytes/s written to the terminal", "minimal app", "B/s"),
            ("writes_per_s", "  idle desk: separate writes (frames) per s", "minimal app", "/s")):
        v, f = desk.get(key), floor.get(key)
        rows.append({"measure": name, "floor": fname, "unit": unit, "runs": 1, "median": v, "floor_median": f,
                     "ratio": v / f if ok and f else None})
    rows[0].update(seconds=seconds, first_paint_s=desk.get("first_paint_s"),
                   floor_first_paint_s=floor.get("first_paint_s"), failed_runs=0 if ok else 1,
                   errors=[e for e in (desk.get("error"), floor.get("error")) if e])
    return rows


def all_measures(store: Store, runs: int, log_id: int, day: str, progress, *, enters: int = 50,
                 writes: int = 8, idle: float = 20.0, commits_each: int = COMMITS_EACH) -> list[dict]:
    """Every measure on one store, in this order: the ones that only read
    first, then the ones that write a few entries of today (Enter, outside
    writes), then the concurrent commits (thousands)."""
    import sqlite3

    con = sqlite3.connect(store.db)
    con.execute(
        "CREATE TABLE IF NOT EXISTS bench_floor (id INTEGER PRIMARY KEY, at VARCHAR(19), by VARCHAR(255), content TEXT)")
    con.commit()
    con.close()
    rows: list[dict] = []

    def step(what: str, fn):
        t = time.perf_counter()
        got = fn()
        progress(f"  [{store.label}] {what}: {time.perf_counter() - t:.1f} s")
        rows.extend(got if isinstance(got, list) else [got])

    step("cold start", lambda: cold_start(store, max(3, runs // 2)))
    step("log", lambda: processes(
        store, "duty-desk log TEXT (whole process)", "Peewee open + one INSERT (process)",
        store.cli("log", "市应急管理局来电询问值守情况，已按预案答复。"), store.probe("insert", str(store.db)), runs))
    step("sheet", lambda: sheet(store, max(15, runs * 2)))
    step("history step", lambda: history_step(store, max(15, runs * 2)))
    step("names", lambda: names(store, max(5, runs)))
    from benchmarks.tenyear.search_probes import search_rows
    step("search", lambda: search_rows(store, max(16, runs * 3)))
    select = "SELECT * FROM log_entry WHERE needs_action = 1 AND closed_at IS NULL AND voided_at IS NULL"
    reads = [
        ("duty-desk show open", ["show", "open"], select),
        (f"duty-desk show log --date {day}", ["show", "log", "--date", day],
         f"SELECT * FROM log_entry WHERE duty_date = '{day}' ORDER BY occurred_at, id"),
        ("duty-desk check", ["check"], select),
        (f"duty-desk history log {log_id}", ["history", "log", str(log_id)],
         f"SELECT * FROM audit_event WHERE kind = 'log' AND record_id = {log_id} ORDER BY id"),
    ]
    for name, args, sql in reads:
        step(name, lambda name=name, args=args, sql=sql: processes(
            store, name + " (whole process)", "Peewee open + one SELECT (process)", store.cli(*args),
            store.probe("select", str(store.db), sql), runs))
    step("Enter in the desk", lambda: entry_latency(store, enters))
    step("outside writes", lambda: outside_writes(store, writes, min(idle, 10.0)))
    step("idle desk", lambda: idle_desk(store, idle))
    step("commits", lambda: commits(store, commits_each))
    return rows
