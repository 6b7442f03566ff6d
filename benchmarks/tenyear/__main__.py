"""python -m benchmarks.tenyear [--years N] [--out FILE.json] [--keep DIR] [--runs R]

Builds a store of each size (empty, 1 year, N years), measures the desk on it
against floors measured in the same run, prints a table and writes it as JSON.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import platform
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from benchmarks.tenyear import generate, measure, search_probes
from duty_desk.core.config import load_config
from duty_desk.core.dutytime import duty_date_of

# The goals of the issue "Fast at ten years", by the start of a measure's
# name (numbers in names and keys match any number: a CI run commits fewer
# entries). A row with a p99 line takes that line's goal from GOALS_P99.
GOALS: dict[str, str] = {
    "cold start to first complete frame": "<= 1.3x",
    "peak RSS of the desk process": "<= 1.5x",
    "duty-desk log TEXT": "<= 1.5x",
    "handover sheet of today": "< 50 ms",
    "history: step to another duty day": "< 50 ms",
    "duty-desk show open": "<= 1.5x",
    "duty-desk show log": "<= 1.5x",
    "duty-desk check": "<= 1.5x",
    "duty-desk history": "<= 1.5x",
    "Enter in the entry line": "median < 10 ms",
    "another session's write": "median < 1 s",
    "CPU-s of the open desk per outside write": "only the changed pane reloads",
    "idle desk in a pty": "<= 0.5 %",
    "idle desk: bytes/s": "0 when nothing changed",
    "idle desk: separate writes": "0 when nothing changed",
    "errors in those commits": "0",
    "8 procs x 500 log commits (services): p99": "< 100 ms",
    "search first page": "median < 50 ms",
    "names to suggest: read the book": "< 500 ms (on a worker)",
    "names to suggest: match one typed word": "median < 5 ms",
    "search index size": "report it",
}
GOALS_P99: dict[str, str] = {
    "Enter in the entry line": "< 30 ms",
}


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu_model": model, "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "platform": platform.platform()}


def goal_of(name: str, goals: dict[str, str] = GOALS) -> str:
    def shape(text: str) -> str:
        return re.sub(r"\d+", "#", text.strip())

    for key, goal in goals.items():
        if shape(name).startswith(shape(key)):
            return goal
    return "—" if goals is GOALS else ""


def fmt(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "":
        return f"{value:.0f}"
    if abs(value) < 10:
        return f"{value:,.2f} {unit}"
    return f"{value:,.1f} {unit}"


def table(results: list[dict]) -> str:
    lines = []
    head = f"{'store':7} | {'measure':58} | {'floor':>12} | {'value':>12} | {'ratio':>7} | goal"
    lines += [head, "-" * len(head)]
    for res in results:
        for row in res["rows"]:
            ratio = f"{row['ratio']:.2f}x" if row.get("ratio") else "—"
            lines.append(f"{res['store']:7} | {row['measure'][:58]:58} | {fmt(row['floor_median'], row['unit']):>12} | "
                         f"{fmt(row['median'], row['unit']):>12} | {ratio:>7} | {goal_of(row['measure'])}")
            if "p99" in row:
                r99 = row["p99"] / row["floor_p99"] if row.get("floor_p99") else None
                lines.append(f"{'':7} | {'  p99 of the same':58} | {fmt(row['floor_p99'], row['unit']):>12} | "
                             f"{fmt(row['p99'], row['unit']):>12} | {(f'{r99:.2f}x' if r99 else '—'):>7} | "
                             f"{goal_of(row['measure'], GOALS_P99)}".rstrip())
    notes = [f"{res['store']}: {row['note']}" for res in results for row in res["rows"] if row.get("note")]
    return "\n".join(lines + notes)


def measure_store(root: Path, years: float, login: str, runs: int, progress, keep: bool = False,
                  **sizes) -> dict:
    """Build a store of ``years`` in ``root`` (empty when 0) and take every
    measure on it; ``sizes`` go to measure.all_measures (enters, writes,
    idle, commits_each). The store is deleted afterwards unless ``keep``."""
    label = "empty" if years == 0 else f"{years:g}y"
    folder = root / label
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    env = {**os.environ, "XDG_DATA_HOME": str(folder / "xdg-data"),
           "XDG_CONFIG_HOME": str(folder / "xdg-config"), "BENCH_LOGIN": login, "PYTHONPATH": str(measure.ROOT)}
    env.pop("DUTY_DESK_CONFIG", None)
    # Compiled bytecode, as an installed copy has (pip compiles it): where
    # writing it is turned off, every process would compile the project from
    # source (some 70 ms), desk and floors unlike. Kept in the run's folder.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
    os.environ.update({k: env[k] for k in ("XDG_DATA_HOME", "XDG_CONFIG_HOME")})
    config = generate.write_config(folder, login)
    progress(f"[{label}] building the store")
    t = time.perf_counter()
    if years == 0:
        db, counts = generate.empty_store(folder, config, login), {}
    else:
        db, counts = generate.build_store(folder, years, config, login, progress=progress)
    built = time.perf_counter() - t
    # The rows went in with raw SQL: the index is built as migration 5 builds it.
    index = search_probes.index_store(db, config, login, progress) if years else None
    store = measure.Store(label, db, config, env)
    cfg = load_config(str(config))
    yesterday = (duty_date_of(datetime.now(timezone.utc), cfg) - timedelta(days=1)).isoformat()
    log_id = max(1, counts.get("log", 0) // 2)
    t = time.perf_counter()
    rows = measure.all_measures(store, runs, log_id, yesterday, progress, **sizes)
    result = {"store": label, "years": years, "build_seconds": built, "measure_seconds": time.perf_counter() - t,
              "index": index, "counts": counts, "size_mb": db.stat().st_size / 1e6, "rows": rows}
    if not keep:
        shutil.rmtree(folder, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tenyear", description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=float, default=10)
    parser.add_argument("--out", default=str(Path(__file__).with_name("last.json")))
    parser.add_argument("--keep", metavar="DIR", help="build the stores in DIR and keep them")
    parser.add_argument("--runs", type=int, default=7, help="runs of each process measure (default 7)")
    parser.add_argument("--only", type=float, action="append", help="measure only these sizes in years (0 = empty)")
    parser.add_argument("--enters", type=int, default=50, help="Enters timed in the desk and in its floor (default 50)")
    parser.add_argument("--writes", type=int, default=8, help="outside writes an open desk must show (default 8)")
    parser.add_argument("--idle", type=float, default=20.0, help="seconds of idling watched in a pty (default 20)")
    args = parser.parse_args(argv)

    def progress(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    sizes = args.only or sorted({0.0, 1.0, float(args.years)})
    login = getpass.getuser()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="tenyear-"))
    root.mkdir(parents=True, exist_ok=True)
    results = []
    started = time.perf_counter()
    try:
        for years in sizes:
            results.append(measure_store(root, years, login, args.runs, progress, keep=bool(args.keep),
                                         enters=args.enters, writes=args.writes, idle=args.idle))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    report = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": machine(),
              "runs": args.runs, "seconds": time.perf_counter() - started, "results": results}
    Path(args.out).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    m = report["machine"]
    print(f"machine: {m['cpus']} CPU {m['cpu_model']}; Python {m['python']}; SQLite {m['sqlite']}")
    for res in results:
        print(f"store {res['store']}: {res['size_mb']:.0f} MB, built in {res['build_seconds']:.0f} s"
              + (f", its search index in {res['index']['seconds']:.0f} s" if res.get("index") else ""))
    print(table(results))
    print(f"(JSON: {args.out}; whole run {report['seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
