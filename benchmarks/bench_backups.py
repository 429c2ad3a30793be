"""Benchmark of what backups cost a planner: open + one write + close, default backups against none.

Run from the repository root::

    python benchmarks/bench_backups.py             # 1,000,000 ballots (a ~600 MB pair of files)
    python benchmarks/bench_backups.py --small     # 20,000 ballots: a smoke run (what the test does)

The workspace is built deterministically: a real workspace file, then ``ballots``
and their private ``ballot_links`` filled in bulk with SQL (so that building it
takes seconds, not the hours a million form saves would), and ``demands`` to write to.

What is timed, each as a fresh process would see it (the OS file cache warm, as
after the planner's previous session):

* baseline: ``open_workspace(path, backups=0)``, one ``record_demand`` (a form
  save: the demand, its history and its private contact), ``close()``;
* default: the same with the default backup settings — nothing on open, a
  background copy when the workspace has no recent backup, and at close a copy at
  most every 10 minutes for a workspace of this size.

Five runs of each, alternating, median reported; the first default run (which
finds no backup and so takes one) is reported on its own. Target: median
default / baseline ≤ 1.2×. Also printed: the cost of one full backup pair, the
open alone (header check and ``PRAGMA quick_check``), and the disk the kept
backups take.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path


def build(folder: Path, ballots: int) -> Path:
    """Create the workspace with ``ballots`` ballots over 10 votes (and their private links), deterministically."""
    from cogov_toolkit.storage import create_workspace

    path = folder / "大工作区.gpkg"
    create_workspace(path, "大社区").close()
    conn = sqlite3.connect(path)
    conn.execute("ATTACH DATABASE ? AS private", (str(path.with_name("大工作区.private.sqlite")),))
    now = "2026-05-01T00:00:00.000Z"
    namespace = uuid.UUID("00000000-0000-0000-0000-000000000042")
    batch = 50_000
    for start in range(0, ballots, batch):
        rows, links = [], []
        for i in range(start, min(start + batch, ballots)):
            ballot = str(uuid.uuid5(namespace, f"b{i}"))
            vote = f"V{i % 10:02d}"
            household = f"H{i % 100_000:06d}"
            rows.append((ballot, now, now, "bench", vote, "赞成" if i % 3 else "反对", "paper", now, f"BR-{i:010d}"))
            links.append((str(uuid.uuid5(namespace, f"l{i}")), now, now, f"{vote}|paper|纸质:{household}#{i}", ballot,
                          vote, household, f"纸质:{household}#{i}"))  # fmt: skip
        conn.executemany(
            "INSERT INTO ballots (uuid, created_at, updated_at, origin, vote_id, choice, channel, submitted_at, "
            "ballot_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.executemany(
            "INSERT INTO private.ballot_links (uuid, created_at, updated_at, idempotency_key, ballot_uuid, vote_id, "
            "household_id, source_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            links,
        )
        conn.commit()
    conn.close()
    return path


def one_session(path: Path, backups: object, n: int) -> float:
    """Open, save one demand through the workflow, close; return the seconds it took."""
    from cogov_toolkit.storage import open_workspace
    from cogov_toolkit.workflows.demands import Contact, record_demand

    start = time.perf_counter()
    ws = open_workspace(path, backups=backups)
    record_demand(
        ws,
        reported_on=dt.date(2026, 5, 1),
        channel="visit",
        category="repair",
        text=f"楼道灯坏了 {n}",
        contact=Contact("H000001", "王样", "100-0000-0001"),
    )
    ws.close()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="20,000 ballots: a smoke run")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    ballots = 20_000 if args.small else 1_000_000
    scratch = Path(tempfile.mkdtemp(prefix="cogov-bench-backups-"))
    os.environ["COGOV_DATA_DIR"] = str(scratch / "data")  # the backups of this run, removed afterwards
    try:
        from cogov_toolkit.storage import BackupPolicy, list_backups, open_workspace
        from cogov_toolkit.storage.gpkg.backups import DEFAULT_KEEP

        started = time.perf_counter()
        path = build(scratch, ballots)
        private = path.with_name("大工作区.private.sqlite")
        size = path.stat().st_size + private.stat().st_size
        print(f"Workspace: {ballots:,} ballots over 10 votes; .gpkg + private file {size / 1e6:,.0f} MB")
        print(f"  built in {time.perf_counter() - started:.1f} s")
        for file in (path, private):
            file.read_bytes()  # warm the file cache as a previous session would have
        start = time.perf_counter()
        open_workspace(path, backups=0).close()
        print(f"open + close alone (header check, quick_check): {time.perf_counter() - start:.3f} s")
        start = time.perf_counter()
        with open_workspace(path, backups=0) as ws:
            ws.backup()
        print(f"one full backup pair (online backup API, fsynced): {time.perf_counter() - start:.3f} s")
        shutil.rmtree(scratch / "data")
        first = one_session(path, BackupPolicy(), 0)  # no backup yet: one is taken
        baseline, default = [], []
        for n in range(1, args.runs + 1):
            baseline.append(one_session(path, 0, n))
            default.append(one_session(path, BackupPolicy(), n))
        base, ours = statistics.median(baseline), statistics.median(default)
        print(f"open + one write + close, backups off:       median {base:.3f} s  (runs {_runs(baseline)})")
        print(f"open + one write + close, default backups:   median {ours:.3f} s  (runs {_runs(default)})")
        print(f"  ratio default / off: {ours / base:.2f}x  (target <= 1.2x)")
        print(f"  first session without any backup (takes one): {first:.3f} s  = {first / base:.1f}x")
        kept = list_backups(path)
        disk = sum(b.workspace.stat().st_size + b.private.stat().st_size for b in kept)
        print(f"backups kept: {len(kept)} pairs, {disk / 1e6:,.0f} MB (budget: {DEFAULT_KEEP} x {size / 1e6:,.0f} MB)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def _runs(values: list[float]) -> str:
    return ", ".join(f"{v:.3f}" for v in values)


if __name__ == "__main__":
    sys.exit(main())
