"""The measures, each beside a floor measured in the same run on the same store.

Processes are timed whole (spawn to exit, and peak RSS from wait4); the
handover sheet is timed in this process like benchmarks/bench_handover.py.
Measure and floor take turns within each round, so a burst of load from
elsewhere falls on both alike.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PY = sys.executable
ROOT = Path(__file__).resolve().parents[2]
COMMIT_PROCS = 8
COMMITS_EACH = 500


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
        if code != 0:
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


def concurrent(store: Store, services: bool) -> dict:
    start = time.time() + (6.0 if services else 2.0)  # every process opened before the first commit
    procs = []
    for _ in range(COMMIT_PROCS):
        args = (store.probe("commits", str(store.db), str(store.config), str(COMMITS_EACH), repr(start)) if services
                else store.probe("rawcommits", str(store.db), str(COMMITS_EACH), repr(start)))
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


def commits(store: Store) -> list[dict]:
    svc = concurrent(store, services=True)
    raw = concurrent(store, services=False)
    rows = []
    for label, key in (("p99", 99), ("worst", 100)):
        v, f = percentile(svc["lat_ms"], key), percentile(raw["lat_ms"], key)
        rows.append({"measure": f"{COMMIT_PROCS} procs x {COMMITS_EACH} log commits (services): {label} commit",
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


def all_measures(store: Store, runs: int, log_id: int, day: str, progress) -> list[dict]:
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
    step("commits", lambda: commits(store))
    return rows
