"""Benchmark of a busy year in a big community: what a planner waits for, against plain baselines.

Run from the repository root::

    python benchmarks/bench_workspace.py           # full size, then a real 社区's row set (about 15 minutes)
    python benchmarks/bench_workspace.py --small   # a fiftieth of it, once (what the test does)

The workspace (issue 18): 50,000 buildings, 100,000 households (each an owner
unit with its floor area), 1,000,000 ballots over 10 votes (100,000 each, one
per household; V09 is a Civil Code Art. 278 owners' decision), 100,000 demands
with their first history row, 5,000 adoption zones. It is built
deterministically: a real workspace file (``create_workspace``), the buildings
and zones through ``write_layer``, the records in bulk with SQL (about two and
a half minutes at full size, not the days a million form saves would take);
beside it the same buildings and households with one vote only. Then the row
set again for a real 社区 of 4,000 households (scale 0.04).

Each action is timed as the planner waits for it (the call returns only after
the durable commit), the median of ``--runs`` runs, against baselines in the
same run, with the process's peak resident memory over those runs (target
< 1 GB):

* open + one write + close with the default backups — vs the same with backups
  off (``bench_backups.one_session``; target ≤ 1.2×);
* record one ballot — vs ``ws.add`` of the same row with its private link, and
  vs the naive check (pandas reads every ballot and link);
* record one demand (``demands.record_demand``) and confirm one class
  (``demands.confirm_class``) — each vs ``ws.add`` of a demand row (target ≤ 3×);
* count one 100,000-ballot vote of the 1,000,000 — vs the same vote in the
  workspace holding only it (target ≤ 1.2×), and vs pandas reading every ballot;
* the Civil Code vote of 100,000 units from the workspace — vs the same screen
  and count on ballots and roll in memory (target ≤ 4×);
* the demands dashboard — vs pandas reading the table and making the same
  counts (target ≤ 1.5×);
* one adoption zone's status (``update_feature``) — vs rewriting the layer;
* ``import_demands`` of a 50,000-row Excel list — vs ``pandas.read_excel`` and
  ``pyogrio`` writing the same rows to a GeoPackage (target ≤ 2×).
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

NOW = "2026-05-01T00:00:00.000Z"
NAMESPACE = uuid.UUID("00000000-0000-0000-0000-000000000018")


def _squares(n: int, size_deg: float = 0.0002) -> Any:
    import geopandas as gpd
    import numpy as np
    import shapely

    side = int(np.ceil(np.sqrt(n)))
    x = 114.30 + (np.arange(n) % side) * size_deg * 1.5
    y = 30.50 + (np.arange(n) // side) * size_deg * 1.5
    geoms = shapely.box(x, y, x + size_deg, y + size_deg)
    return gpd.GeoSeries(geoms, crs="EPSG:4326")


#: the Civil Code Art. 278 vote of the busy workspace (one of its 10: every household an owner unit)
CIVIL_VOTE = "V09"


def build(folder: Path, scale: float, *, only_vote: str | None = None) -> tuple[Path, dict[str, int]]:
    """Create the busy workspace at ``scale`` (1.0: full size) deterministically; return its path and sizes.

    With ``only_vote``, the same buildings and households but only that vote's
    ballots (and no demands): the workspace "holding only it", to show that a
    count costs what its vote holds, not what the workspace holds.
    """
    import geopandas as gpd

    from cogov_toolkit.core.votes import CivilCodeMatter, RuleParams
    from cogov_toolkit.storage import create_workspace
    from cogov_toolkit.workflows import votes

    sizes = {
        "buildings": int(50_000 * scale),
        "households": int(100_000 * scale),
        "votes": 10,
        "ballots": int(1_000_000 * scale),
        "demands": int(100_000 * scale),
        "zones": int(5_000 * scale),
    }
    path = folder / "大社区.gpkg"
    ws = create_workspace(path, "大社区")
    # the Civil Code vote through the workflow (its rule parameters as stored); its ballots in bulk below
    votes.create_vote(
        ws,
        CIVIL_VOTE,
        "使用住宅专项维修资金",
        ["赞成", "反对", "弃权"],
        rule="civil_code_278",
        electorate="owners",
        rule_params=RuleParams(matter=CivilCodeMatter.RAISE_MAINTENANCE_FUND),
    )
    try:
        nb = sizes["buildings"]
        buildings = gpd.GeoDataFrame(
            {
                "building_id": [f"B{i:05d}" for i in range(nb)],
                "label": [f"{i}栋" for i in range(nb)],
                "neighbourhood_id": [f"N{i % 20:02d}" for i in range(nb)],
                "grid_id": [f"G{i % 60:02d}" for i in range(nb)],
                "units": 2,
                "floors": 6,
                "households": 24,
            },
            geometry=_squares(nb),
        )
        ws.write_layer("buildings", buildings)
        nz = sizes["zones"]
        zones = gpd.GeoDataFrame(
            {
                "zone_id": [f"Z{i:05d}" for i in range(nz)],
                "number": list(range(1, nz + 1)),
                "zone_type": "lawn",
                "name": [f"绿地{i}" for i in range(nz)],
                "status": "available",
            },
            geometry=_squares(nz).translate(0.5, 0.0),
        )
        ws.write_layer("adoption_zones", zones)
    finally:
        ws.close()
    conn = sqlite3.connect(path)
    conn.execute("ATTACH DATABASE ? AS private", (str(path.with_name("大社区.private.sqlite")),))
    nh = sizes["households"]
    conn.executemany(
        "INSERT INTO households (uuid, created_at, updated_at, household_id, building_id, unit, floor, room, "
        "registered_area_m2, is_owner, owner_key, developer_unsold) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, 0)",
        (
            (str(uuid.uuid5(NAMESPACE, f"h{i}")), NOW, NOW, f"H{i:06d}", f"B{i % nb:05d}", 1 + i % 2, 1, f"{i}",
             60.0 + (i * 37) % 90, f"P{i:06d}")
            for i in range(nh)
        ),
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO votes (uuid, created_at, updated_at, vote_id, question, options, rule, electorate, scope_type, "
        "ballot_kind, params, status) VALUES (?, ?, ?, ?, ?, ?, 'yes_no_abstain', 'households', 'community', "
        "'yes_no_abstain', '{}', 'open')",
        (
            (str(uuid.uuid5(NAMESPACE, f"v{v}")), NOW, NOW, f"V{v:02d}", f"表决{v}", '["赞成", "反对", "弃权"]')
            for v in range(10)
            if f"V{v:02d}" != CIVIL_VOTE
        ),
    )
    batch = 100_000
    for start in range(0, sizes["ballots"], batch):
        rows, links = [], []
        for i in range(start, min(start + batch, sizes["ballots"])):
            vote = f"V{i % 10:02d}"
            if only_vote is not None and vote != only_vote:
                continue
            ballot = str(uuid.uuid5(NAMESPACE, f"b{i}"))
            household = f"H{(i // 10) % nh:06d}"
            rows.append((ballot, NOW, NOW, "bench", vote, "赞成" if i % 3 else "反对", "paper", NOW, f"BR-{i:010d}"))
            links.append((str(uuid.uuid5(NAMESPACE, f"l{i}")), NOW, NOW, f"{vote}|paper|纸质:{household}", ballot,
                          vote, household, f"纸质:{household}"))  # fmt: skip
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
    if only_vote is not None:
        conn.commit()
        conn.close()
        return path, {**sizes, "ballots": sizes["ballots"] // sizes["votes"], "votes": 1, "demands": 0}
    categories = ("sanitation", "parking", "greening", "repair", "safety")
    conn.executemany(
        "INSERT INTO demands (uuid, created_at, updated_at, demand_id, reported_on, channel, place_type, place_id, "
        "building_id, category, text, urgency, status, received_at, due_at) "
        "VALUES (?, ?, ?, ?, ?, 'visit', 'building', ?, ?, ?, '楼道灯坏了', 'general', 'received', ?, ?)",
        (
            (str(uuid.uuid5(NAMESPACE, f"d{i}")), NOW, NOW, f"D{i + 1:06d}", "2026-03-02", f"B{i % nb:05d}",
             f"B{i % nb:05d}", categories[i % 5], "2026-03-02T09:00:00+08:00", "2026-03-05T09:00:00+08:00")
            for i in range(sizes["demands"])
        ),
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO demand_events (uuid, created_at, updated_at, demand_id, seq, event, at, to_value, by_role) "
        "VALUES (?, ?, ?, ?, 0, 'status', '2026-03-02T09:00:00+08:00', 'received', '社区工作者')",
        ((str(uuid.uuid5(NAMESPACE, f"e{i}")), NOW, NOW, f"D{i + 1:06d}") for i in range(sizes["demands"])),
    )
    conn.commit()
    conn.close()
    return path, sizes


def _peak_reset() -> bool:
    """Reset this process's peak resident memory (Linux ``clear_refs``); False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_mb() -> float | None:
    """Peak resident memory of this process since the last reset, in MB (Linux), else the lifetime peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


PEAKS: dict[str, float] = {}


def median_time(function: Callable[[int], Any], runs: int, label: str | None = None) -> float:
    """Return the median wall time of ``runs`` calls of ``function(n)`` (n = run number, for fresh values).

    With a ``label``, the process's peak resident memory over the runs is kept in :data:`PEAKS`.
    """
    import gc

    gc.collect()
    reset = _peak_reset()
    times = []
    for n in range(runs):
        start = time.perf_counter()
        function(n)
        times.append(time.perf_counter() - start)
    if label is not None and reset:
        PEAKS[label] = _peak_mb() or 0.0
    return statistics.median(times)


def row(label: str, ours: float, baselines: list[tuple[str, float, str]]) -> None:
    peak = f"  (peak RSS {PEAKS[label]:,.0f} MB)" if label in PEAKS else ""
    print(f"{label}: {ours * 1000:,.1f} ms{peak}")
    for name, base, target in baselines:
        print(
            f"  vs {name}: {base * 1000:,.1f} ms -> ratio {ours / base:.2f}x{f'  (target {target})' if target else ''}"
        )


def write_demands_excel(path: Path, rows: int, buildings: int) -> Path:
    """Write a demands list of ``rows`` rows as a planner's Excel file (write-only openpyxl), deterministically."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("诉求")
    sheet.append(["诉求编号", "反映日期", "渠道", "地点类型", "地点编号", "类别", "诉求内容", "紧急程度"])
    categories = ("repair", "parking", "greening", "sanitation", "safety")
    for i in range(rows):
        sheet.append(
            [f"I{i + 1:06d}", "2026-04-01", "visit", "building", f"B{i % buildings:05d}", categories[i % 5],
             f"{i % buildings}栋楼道灯坏了", "general"]
        )  # fmt: skip
    book.save(path)
    return path


def bench_size(scratch: Path, scale: float, runs: int, title: str) -> None:
    """Build the workspace at ``scale`` and print every action against its baseline."""
    import bench_backups
    import geopandas as gpd
    import pandas as pd
    import pyogrio

    from cogov_toolkit.core.votes import RawBallot, count, screen_ballots
    from cogov_toolkit.storage import BackupPolicy, open_workspace
    from cogov_toolkit.workflows import adoptions, demands, votes

    print(f"== {title}")
    started = time.perf_counter()
    path, sizes = build(scratch / "busy", scale)
    size = path.stat().st_size + path.with_name("大社区.private.sqlite").stat().st_size
    print(
        f"Workspace: {sizes['buildings']:,} buildings, {sizes['households']:,} households, "
        f"{sizes['ballots']:,} ballots over {sizes['votes']} votes, {sizes['demands']:,} demands, "
        f"{sizes['zones']:,} adoption zones; {size / 1e6:,.0f} MB; built in {time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    only_path, only_sizes = build(scratch / "only", scale, only_vote="V00")
    print(
        f"and the same with one vote only ({only_sizes['ballots']:,} ballots): "
        f"built in {time.perf_counter() - started:.1f} s"
    )
    per_vote = sizes["ballots"] // sizes["votes"]
    print(f"median of {runs} runs each; peak RSS = this process's peak resident memory during those runs")

    # --- open + one write + close: default backups against none (bench_backups' session, on this workspace)
    bench_backups.one_session(path, BackupPolicy(), 0)  # the first default session takes the first backup
    baseline_s: list[float] = []
    default_s: list[float] = []
    _peak_reset()
    for n in range(1, runs + 1):
        baseline_s.append(bench_backups.one_session(path, 0, n))
        default_s.append(bench_backups.one_session(path, BackupPolicy(), n))
    PEAKS["open + one write + close"] = _peak_mb() or 0.0
    row(
        "open + one write + close",
        statistics.median(default_s),
        [("the same with backups off", statistics.median(baseline_s), "<= 1.2x")],
    )

    ws = open_workspace(path, backups=0)
    conn = ws.connection  # the naive baselines read through pandas on the same open file

    # --- one ballot
    def one_ballot(n: int) -> None:
        votes.record_ballots(ws, "V01", [RawBallot(f"纸质:NEW{n}", f"HX{n}", "赞成")], votes.Channel.PAPER)

    def plain_add(n: int) -> None:
        ws.add(
            "ballots",
            {"vote_id": "V02", "choice": "赞成", "channel": "paper", "ballot_ref": f"BR-P{n:08d}"},
            private={"ballot_links": {"household_id": f"HP{n}", "vote_id": "V02", "source_ref": f"P{n}"}},
            idempotency_key=f"V02|paper|P{n}",
        )

    def naive_ballot(n: int) -> None:
        public = pd.read_sql_query("SELECT * FROM ballots", conn)
        links = pd.read_sql_query("SELECT * FROM private.ballot_links", conn)
        mine = public[public["vote_id"] == "V03"].merge(links, left_on="uuid", right_on="ballot_uuid")
        if not (mine["household_id"] == f"HN{n}").any():
            plain_add(10_000 + n)

    label = "record one ballot (votes.record_ballots)"
    row(
        label,
        median_time(one_ballot, runs, label),
        [
            ("ws.add of the same row", median_time(plain_add, runs), "<= 3x"),
            ("naive: pandas reads ballots + links, filters, ws.add", median_time(naive_ballot, runs), ""),
        ],
    )

    # --- one demand, one class confirmed
    def one_demand(n: int) -> None:
        demands.record_demand(
            ws,
            reported_on=dt.date(2026, 5, 1),
            channel="visit",
            category="repair",
            text=f"楼道灯坏了 {n}",
            place_type="building",
            place_id="B00007",
        )

    demand_row = {
        "reported_on": dt.date(2026, 5, 1),
        "channel": "visit",
        "category": "repair",
        "text": "楼道灯坏了",
        "place_type": "building",
        "place_id": "B00007",
        "status": "received",
    }
    added = iter(range(10**6))

    def demand_add(_: int) -> None:
        ws.add("demands", {**demand_row, "demand_id": f"P{next(added):06d}"})

    def demand_naive(n: int) -> None:
        buildings = gpd.read_file(path, layer="buildings")
        assert "B00007" in set(buildings["building_id"])
        ids = pd.read_sql_query("SELECT demand_id FROM demands", conn)["demand_id"]
        assert len(ids)
        ws.add("demands", {**demand_row, "demand_id": f"N{n:06d}"})

    label = "record one demand (demands.record_demand, with its history row)"
    add_seconds = median_time(demand_add, runs)
    row(
        label,
        median_time(one_demand, runs, label),
        [
            ("ws.add of the same row", add_seconds, "<= 3x"),
            ("naive: geopandas reads the buildings, pandas the ids, ws.add", median_time(demand_naive, runs), ""),
        ],
    )
    label = "confirm one demand's class (demands.confirm_class)"
    confirmed = median_time(
        lambda n: demands.confirm_class(ws, f"D{n + 1:06d}", "minor", at=dt.datetime(2026, 5, 2, 10)), runs, label
    )
    row(label, confirmed, [("ws.add of a row", median_time(demand_add, runs), "<= 3x")])

    # --- count one vote: in the busy workspace, and in one holding only that vote
    only = open_workspace(only_path, backups=0)
    label = f"count one {per_vote:,}-ballot vote among {sizes['ballots']:,} (votes.count_vote, result stored)"
    in_busy = median_time(lambda _: votes.count_vote(ws, "V00"), runs, label)

    vote = votes.get_vote(ws, "V00")

    def count_naive(_: int) -> None:
        public = pd.read_sql_query("SELECT * FROM ballots", conn)
        links = pd.read_sql_query("SELECT * FROM private.ballot_links", conn)
        joined = public[public["vote_id"] == "V00"].merge(links, left_on="uuid", right_on="ballot_uuid")
        raw = [
            RawBallot(r, h, c)
            for r, h, c in zip(joined["ballot_ref"], joined["household_id"], joined["choice"], strict=True)
        ]
        roll = votes.roll_for(ws, vote)
        count(screen_ballots(raw, roll, vote.options, vote.electorate, kind=vote.kind), vote.rule)

    row(
        label,
        in_busy,
        [
            (
                f"the same vote in a workspace holding only its {per_vote:,} ballots",
                median_time(lambda _: votes.count_vote(only, "V00"), runs),
                "<= 1.2x",
            ),
            ("naive: pandas reads every ballot and link, filters, same count", median_time(count_naive, runs), ""),
        ],
    )
    only.close()

    # --- the Civil Code vote: from the workspace, against the same screen and count on ballots in memory
    civil = votes.get_vote(ws, CIVIL_VOTE)
    roll = votes.roll_for(ws, civil)
    public = ws.records("ballots", {"vote_id": CIVIL_VOTE})
    links = ws.private_records("ballot_links", {"vote_id": CIVIL_VOTE}).set_index("ballot_uuid")
    in_memory = [
        RawBallot(ref, links.loc[u, "household_id"], choice)
        for u, ref, choice in zip(public["uuid"], public["ballot_ref"], public["choice"], strict=True)
    ]

    def civil_memory(_: int) -> None:
        screened = screen_ballots(in_memory, roll, civil.options, civil.electorate, kind=civil.kind)
        count(screened, civil.rule, civil.rule_params)

    label = f"Civil Code Art. 278 vote of {len(roll):,} owner units from the workspace (votes.count_vote)"
    row(
        label,
        median_time(lambda _: votes.count_vote(ws, CIVIL_VOTE), runs, label),
        [("the same screen and count on ballots and roll in memory", median_time(civil_memory, runs), "<= 4x")],
    )

    # --- dashboard
    moment = dt.datetime(2026, 5, 6, 10, 0)

    def dashboard_pandas(_: int) -> None:
        frame = pd.read_sql_query("SELECT demand_id, category, triage_class, status, due_at FROM demands", conn)
        frame["status"].value_counts(), frame["triage_class"].value_counts(), frame["category"].value_counts()
        (pd.to_datetime(frame["due_at"], utc=True, format="ISO8601") < pd.Timestamp(moment, tz="Asia/Shanghai")).sum()

    label = f"open the demands dashboard ({ws.count('demands'):,} demands)"
    row(
        label,
        median_time(lambda _: demands.demand_dashboard(ws, moment), runs, label),
        [("pandas reads the table + the same counts", median_time(dashboard_pandas, runs), "<= 1.5x")],
    )

    # --- one zone
    states = ("adopted", "available")

    def zone_keyed(n: int) -> None:
        adoptions._set_zone_status(ws, "Z00003", states[n % 2])

    def zone_naive(n: int) -> None:
        frame = gpd.read_file(path, layer="adoption_zones")
        frame.loc[frame["zone_id"] == "Z00004", "status"] = states[n % 2]
        ws.write_layer("adoption_zones", frame)

    label = "one adoption zone's status (update_feature)"
    row(
        label,
        median_time(zone_keyed, runs, label),
        [("naive: geopandas reads the layer, ws.write_layer writes it back", median_time(zone_naive, runs), "")],
    )

    # --- import a demands list from Excel (into the busy workspace; the rows are removed again between runs)
    rows = int(50_000 * scale)
    started = time.perf_counter()
    excel = write_demands_excel(scratch / "诉求清单.xlsx", rows, sizes["buildings"])
    print(f"(a {rows:,}-row demands list written in {time.perf_counter() - started:.1f} s)")

    def import_ours(_: int) -> None:
        report = demands.import_demands(ws, excel)
        assert len(report.demand_ids) == rows
        with ws.transaction():  # not timed in spirit: a few ms against seconds; keeps every run alike
            ws.connection.execute("DELETE FROM demands WHERE demand_id GLOB 'I[0-9]*'")
            ws.connection.execute("DELETE FROM demand_events WHERE demand_id GLOB 'I[0-9]*'")

    def import_pandas(n: int) -> None:
        frame = pd.read_excel(excel, engine="openpyxl")
        pyogrio.write_dataframe(frame, scratch / f"plain{n}.gpkg", layer="demands")

    label = f"import_demands, {rows:,} Excel rows (checked, with history rows)"
    row(
        label,
        median_time(import_ours, runs, label),
        [("pandas.read_excel + pyogrio writes the same rows to a GPKG", median_time(import_pandas, runs), "<= 2x")],
    )
    ws.close()
    shutil.rmtree(scratch / "busy", ignore_errors=True)
    shutil.rmtree(scratch / "only", ignore_errors=True)
    highest = max(PEAKS.values(), default=0.0)
    print(f"highest peak RSS of any action above: {highest:,.0f} MB (target < 1 GB)")
    PEAKS.clear()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a fiftieth of the full size (the CI smoke run)")
    parser.add_argument("--scale", type=float, default=None, help="the size as a share of the full one (1.0)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-community", action="store_true", help="leave out the row set of a real 社区")
    args = parser.parse_args(argv)
    scale = args.scale if args.scale is not None else (0.02 if args.small else 1.0)
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_backups, beside this file
    scratch = Path(tempfile.mkdtemp(prefix="cogov-bench-workspace-"))
    os.environ["COGOV_DATA_DIR"] = str(scratch / "data")
    os.environ["COGOV_CACHE_DIR"] = str(scratch / "cache")
    try:
        started = time.perf_counter()
        bench_size(scratch, scale, args.runs, f"a busy year in a big community (scale {scale:g})")
        if not (args.small or args.no_community):
            bench_size(scratch, COMMUNITY_SCALE, args.runs, "a real 社区 of 4,000 households")
        print(f"whole run: {time.perf_counter() - started:.0f} s")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


#: the row set of a real 社区: 4,000 households in 2,000 buildings' worth, 40,000 ballots, 4,000 demands
COMMUNITY_SCALE = 0.04


if __name__ == "__main__":
    sys.exit(main())
