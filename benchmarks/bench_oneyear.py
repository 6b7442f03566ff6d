"""The ten-year benchmark in small, for CI: a one-year store, every measure.

Builds a store of one year of history (100,000 log entries, 10,000
visitors, 5,000 documents, 1,000 urgent items, through the project's schema
and audit chain; about 20 s) in a temporary folder, takes every measure of
``benchmarks/tenyear`` on it with few runs, and prints the table (the goals
are the issue's). Whole run: about 2 to 3 minutes on a shared 2-core machine.

    python benchmarks/bench_oneyear.py        # from the repository root

It exits 1 only on a sign of a real regression, never on a slow moment of
a shared machine: see alarms(). Being far from a goal is what the table is
for; failing CI is for what noise cannot do.
"""

from __future__ import annotations

import getpass
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.tenyear import measure
from benchmarks.tenyear.__main__ import machine, measure_store, table

RUNS = 3  # of each process measure (measure and floor take turns)
SIZES = {"enters": 16, "writes": 4, "idle": 8.0, "commits_each": 250}


def _failed(row: dict) -> int:
    failed = row.get("failed_runs") or 0
    return len(failed) if isinstance(failed, list) else int(failed)


def _row(rows: list[dict], start: str) -> dict | None:
    return next((r for r in rows if r["measure"].strip().startswith(start)), None)


def alarms(rows: list[dict]) -> list[str]:
    """What in these rows cannot be noise. A loaded machine makes everything
    slower, the floors too (each measure's floor runs in turn with it), so a
    ratio moves little; and a few things do not depend on speed at all.
    The limits are far past both the goals and the desk as measured when
    this was written (noted beside each), so only a broken path trips them."""
    found = []

    # A desk command or probe that failed, an Enter whose row never showed
    # (15 s), an outside write no open desk showed (30 s; the desk looks
    # four times a second): errors, not slowness.
    for row in rows:
        if _failed(row):
            found.append(f"{row['measure'].strip()}: {_failed(row)} failed run(s) {row.get('errors') or ''}".strip())

    # Concurrent writers take their turn: "database is locked" or a crashed
    # writer is a bug whatever the load (goal 0; the busy wait is 10 s).
    commits = _row(rows, f"{measure.COMMIT_PROCS} procs x")
    if commits is not None and (commits.get("errors") or commits.get("crashed")):
        found.append(f"concurrent commits: {commits.get('errors')} error(s), {commits.get('crashed')} crashed "
                     f"writer(s): {commits.get('error_samples')}")

    def ratio_over(start: str, limit: float, why: str) -> None:
        row = _row(rows, start)
        if row is not None and row.get("ratio") and row["ratio"] > limit:
            found.append(f"{row['measure'].strip()}: {row['ratio']:.1f}x its floor > {limit:g}x ({why})")

    # Whole processes, medians, measure and floor alternating: a burst of
    # load hits both. Goals 1.3x-1.5x; measured at one year 1.8x-4x.
    ratio_over("cold start to first complete frame", 6.0, "goal 1.3x")
    ratio_over("peak RSS of the desk process", 3.0, "goal 1.5x; memory does not depend on load")
    for name in ("duty-desk log TEXT", "duty-desk show open", "duty-desk show log", "duty-desk check",
                 "duty-desk history"):
        ratio_over(name, 10.0, "goal 1.5x; a query per row or a scan of the history")
    # CPU of the process per Enter, beside a minimal app's: CPU time hardly
    # depends on others' load. Goal: the desk as fast as a frame; measured 4-5x.
    ratio_over("CPU of the desk process per Enter", 25.0, "a re-fetch grown with history on every Enter")

    def over(start: str, limit: float, unit: str, why: str) -> None:
        row = _row(rows, start)
        if row is not None and row.get("median") is not None and row["median"] > limit:
            found.append(f"{row['measure'].strip()}: {row['median']:,.1f} {unit} > {limit:,g} {unit} ({why})")

    # In-process, on a shift of a day: goal 50 ms, measured tens of ms.
    over("handover sheet of today", 1000.0, "ms", "goal 50 ms")
    # In-process, each kind of query's first page: goal 50 ms, measured
    # 5-9 ms at one year (one or two letters of pinyin: 34 ms); a second
    # would be a scan of the index or of the records.
    for row in rows:
        if row["measure"].startswith("search first page") and (row.get("median") or 0) > 1000.0:
            found.append(f"{row['measure']}: {row['median']:,.1f} ms > 1,000 ms (goal 50 ms)")
    # The desk looks four times a second: 10 s means it stopped noticing.
    over("another session's write", 10_000.0, "ms", "goal 1 s")
    # Its own CPU, not the machine's: a spinning desk, not a busy machine.
    # Goal 0.5 %; measured 3-5 % (a redraw every second).
    over("idle desk in a pty", 30.0, "%", "goal 0.5 %")
    # Bytes do not depend on load: 100x30 redrawn in full is about 12 KB.
    # Goal 0; measured about 12 KB/s (once a second).
    over("idle desk: bytes/s", 200_000.0, "B/s", "goal 0; an animation or a redraw loop")
    return found


def main() -> int:
    started = time.perf_counter()

    def progress(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="oneyear-") as tmp:
        result = measure_store(Path(tmp), 1.0, getpass.getuser(), RUNS, progress, **SIZES)
    m = machine()
    print(f"machine: {m['cpus']} CPU {m['cpu_model']}; Python {m['python']}; SQLite {m['sqlite']}")
    print(f"store {result['store']}: {result['size_mb']:.0f} MB, built in {result['build_seconds']:.0f} s, "
          f"measured in {result['measure_seconds']:.0f} s")
    print(table([result]))
    found = alarms(result["rows"])
    print(f"(whole run {time.perf_counter() - started:.0f} s)")
    for alarm in found:
        print(f"REGRESSION: {alarm}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
