"""Search in the benchmark: the index of a store, and the first page of a search.

    python -m benchmarks.tenyear.search_probes index DB CONFIG       # give a store its index; JSON
    python -m benchmarks.tenyear.search_probes search DB CONFIG RUNS # time the first pages; JSON

A store written by ``generate`` gets its rows with raw SQL, so the index is
built afterwards, as a real store from before search gets it: opened at an
older schema, migration 5 builds it (``index`` on a copy of an old store);
at the current schema, ``search.build`` in one transaction, which is what
migration 5 runs. Either way the time and the index's size are told.

``search`` opens the desk in its own process and, for each kind of query of
the issue "Fast at ten years" (one, two and four Chinese characters, pinyin
initials, four digits of a phone number, a 发文字号; and the first letters
of pinyin as they are typed, which the issue does not name), times
``search.search(desk, q)``: the first page, 20 hits with their titles and
highlighted snippets. Each run takes the next query of its kind (QUERIES),
so the median is over several queries, the common and the rare. Beside each
search, in turn, the floor: a raw indexed SELECT of 20 log entries (one duty
day's newest, by the index on ``duty_date``) on the same connection.
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import sys
import time
from datetime import date
from pathlib import Path

# The query kinds, each with the queries its runs take in turn: a
# character in nearly every record and rarer ones; words of the generator's
# calls, places and titles; names (张伟, 市水务局, 林明 as 'lm'); phone digits
# found in some hundreds of records over ten years; a year's document numbers.
# ``{y}`` is this year, ``{y1}`` the last. A pinyin prefix of one or two
# letters is a prefix query over every name's tokens that begin so.
QUERIES: dict[str, list[str]] = {
    "1 Chinese character": ["市", "涝", "隧", "堃"],
    "2 Chinese characters": ["防汛", "积水", "塌陷", "供电"],
    "4 Chinese characters": ["来电报告", "供水管道", "道路塌陷", "安全生产"],
    "pinyin initials": ["zs", "swj", "zw", "lm"],
    # What the box holds while pinyin is being typed: one letter, then two.
    "pinyin, first letters typed": ["s", "z", "sh", "zh"],
    "phone fragment, 4 digits": ["3721", "8456", "9012", "6655"],
    "document number (发文字号)": ["〔{y}〕", "市应急发〔{y1}〕", "浙政办发〔{y}〕1", "[{y1}]"],
}
# The first search of a process, taken before the timed ones: a pinyin query
# with hits reads pypinyin's dictionary of characters (its snippet reads the names' pinyin), as the
# first such search in a desk that has indexed no name yet does.
FIRST_QUERY = "zw"
FLOOR_SQL = "SELECT * FROM log_entry WHERE duty_date = ? ORDER BY id DESC LIMIT 20"
FLOOR_NAME = "raw indexed SELECT: 20 log entries of a day"


def queries(today: date | None = None) -> dict[str, list[str]]:
    y = (today or date.today()).year
    return {kind: [q.format(y=y, y1=y - 1) for q in qs] for kind, qs in QUERIES.items()}


def _schema_version(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    finally:
        con.close()
    return int(row[0]) if row else 0


def index_store(db: Path, config: Path, login: str | None = None, progress=print) -> dict:
    """Give the store its search index (see the module's text); how long it
    took, how it was built, and its size."""
    from duty_desk.core import search, told
    from duty_desk.core.config import load_config
    from duty_desk.core.db import SCHEMA_VERSION
    from duty_desk.core.opening import open_desk

    last = [0.0]

    def told_progress(done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 10 or done >= total:
            last[0] = time.perf_counter()
            progress(f"  search index: {done:,}/{total:,} records  {time.perf_counter() - t0:.0f} s")

    found = _schema_version(db)
    told.progress_hook = lambda _what, done, total: told_progress(done, total)
    t0 = time.perf_counter()
    try:
        desk = open_desk(load_config(str(config)), f"sqlite:///{db}", login=login)
        try:
            if found >= SCHEMA_VERSION:  # written after search came: the rows went in past it
                with desk.db.atomic():
                    search.build(desk.db, told_progress)
            seconds = time.perf_counter() - t0
            index = search.index_of(desk.db)
            size, records = search.size(desk.db), index.count(desk.db)
        finally:
            desk.close()
    finally:
        told.progress_hook = None
    how = f"migration {SCHEMA_VERSION} (store at schema {found})" if found < SCHEMA_VERSION else "search.build"
    store_bytes = db.stat().st_size
    progress(f"search index built in {seconds:.1f} s by {how}: {records:,} records, {size / 1e6:.0f} MB "
             f"of {store_bytes / 1e6:.0f} MB")
    return {"seconds": seconds, "how": how, "records": records, "index_bytes": size, "store_bytes": store_bytes}


# -- in the measuring process -------------------------------------------------------


def _days(db) -> list[str]:
    """Duty days for the floor, spread over the store (ten of them)."""
    rows = db.execute_sql("SELECT MIN(duty_date), MAX(duty_date) FROM log_entry").fetchone()
    if not rows or rows[0] is None:
        return [date.today().isoformat()]
    first, last = date.fromisoformat(rows[0]), date.fromisoformat(rows[1])
    span = (last - first).days
    return [date.fromordinal(first.toordinal() + span * i // 9).isoformat() for i in range(10)]


def probe(db: str, config: str, runs: int) -> None:
    """Time the first page of each query kind beside the floor; one JSON line."""
    from duty_desk.core import search
    from duty_desk.core.config import load_config
    from duty_desk.core.opening import open_desk

    desk = open_desk(load_config(config), f"sqlite:///{db}", login=os.environ.get("BENCH_LOGIN") or None)
    out: dict = {"kinds": {}}
    try:
        days = _days(desk.db)
        kinds = queries()
        first = {}
        t = time.perf_counter()
        search.search(desk, FIRST_QUERY)
        first["first search of the process"] = (time.perf_counter() - t) * 1000
        got = {k: {"ms": [], "floor_ms": [], "by_query": {q: [] for q in qs}, "hits": {}} for k, qs in kinds.items()}
        n = 0
        for i in range(runs):
            for kind, qs in kinds.items():
                q = qs[i % len(qs)]
                t = time.perf_counter()
                page = search.search(desk, q)
                took = (time.perf_counter() - t) * 1000
                day = days[n % len(days)]
                t = time.perf_counter()
                rows = desk.db.execute_sql(FLOOR_SQL, (day,)).fetchall()
                floor = (time.perf_counter() - t) * 1000
                n += 1
                acc = got[kind]
                acc["ms"].append(took)
                acc["floor_ms"].append(floor)
                acc["by_query"][q].append(took)
                acc["hits"][q] = len(page.hits)
                if not rows:
                    acc.setdefault("errors", []).append(f"floor: no log entry on {day}")
        out["kinds"] = got
        out["first"] = first
        out["index_bytes"] = search.size(desk.db)
        out["index_records"] = search.index_of(desk.db).count(desk.db)
    finally:
        desk.close()
    out["store_bytes"] = Path(db).stat().st_size
    print(json.dumps(out, ensure_ascii=False))


def search_rows(store, runs: int) -> list[dict]:
    """The rows of the table: each query kind's first page (median, and p95
    under it) beside the floor, and the index's size beside the store's."""
    from benchmarks.tenyear.measure import _probe_json, percentile

    args = [sys.executable, "-m", "benchmarks.tenyear.search_probes", "search", str(store.db), str(store.config),
            str(runs)]
    out = _probe_json(args, store.env)
    if "error" in out:
        return [{"measure": "search first page", "floor": FLOOR_NAME, "unit": "ms", "runs": 0, "median": None,
                 "floor_median": None, "ratio": None, "failed_runs": 1, "errors": [out["error"]]}]
    rows = []
    for kind, acc in out["kinds"].items():
        med, fmed = statistics.median(acc["ms"]), statistics.median(acc["floor_ms"])
        p95, fp95 = percentile(acc["ms"], 95), percentile(acc["floor_ms"], 95)
        by_query = {q: round(statistics.median(v), 2) for q, v in acc["by_query"].items() if v}
        empty = [q for q, n in acc["hits"].items() if n == 0]
        rows.append({"measure": f"search first page: {kind.split(' (')[0]}", "floor": FLOOR_NAME, "unit": "ms",
                     "runs": len(acc["ms"]), "median": med, "floor_median": fmed, "ratio": med / fmed if fmed else None,
                     "p95": p95, "floor_p95": fp95, "by_query_median_ms": by_query, "hits": acc["hits"],
                     # Every query of the kind finds records in a generated store:
                     # none found is an index that is empty or broken.
                     "failed_runs": len(acc.get("errors", [])) + (len(empty) == len(acc["hits"])),
                     "errors": acc.get("errors", [])[:3] or (["no query found anything"] if len(empty) == len(
                         acc["hits"]) else []),
                     "note": f"search {kind}: median ms by query " + ", ".join(f"{q} {v:g}" for q, v in by_query.items())
                     + (f" (no hit: {' '.join(empty)})" if empty else "")})
        rows.append({"measure": "  p95 of the same", "floor": FLOOR_NAME, "unit": "ms", "runs": len(acc["ms"]),
                     "median": p95, "floor_median": fp95, "ratio": p95 / fp95 if fp95 else None})
    first = out.get("first", {}).get("first search of the process")
    if first is not None:
        rows.append({"measure": f"  first search of a process ({FIRST_QUERY}: reads the pinyin dictionary)", "floor": "—", "unit": "ms",
                     "runs": 1, "median": first, "floor_median": None, "ratio": None})
    index_mb, store_mb = out["index_bytes"] / 1e6, out["store_bytes"] / 1e6
    rows.append({"measure": "search index size (dbstat)", "floor": "the whole store file", "unit": "MB", "runs": 1,
                 "median": index_mb, "floor_median": store_mb, "ratio": index_mb / store_mb if store_mb else None,
                 "index_records": out["index_records"]})
    return rows


def main(argv: list[str]) -> None:
    what = argv[0]
    if what == "index":
        found = index_store(Path(argv[1]), Path(argv[2]), os.environ.get("BENCH_LOGIN") or None,
                            progress=lambda s: print(s, file=sys.stderr, flush=True))
        print(json.dumps(found))
    elif what == "search":
        probe(argv[1], argv[2], int(argv[3]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
