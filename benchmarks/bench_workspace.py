"""Benchmark of a busy year in a big community: what a planner waits for, keyed reads against the naive way.

Run from the repository root::

    python benchmarks/bench_workspace.py           # full size (see below)
    python benchmarks/bench_workspace.py --small   # a tenth of it (what the test does)

The workspace (issue 18): 50,000 buildings, 100,000 households, 1,000,000 ballots
over 10 votes (100,000 each, one per household), 100,000 demands with their first
history row, 5,000 adoption zones. It is built deterministically: a real
workspace file (``create_workspace``), the buildings and zones through
``write_layer``, the records in bulk with SQL (building it takes about a minute
at full size, not the days a million form saves would).

Each action is timed as the planner waits for it (the call returns only after
the durable commit), the median of ``--runs`` runs, against baselines in the same run:

* record one ballot (``votes.record_ballots``) — vs ``ws.add`` of the same row
  with its private link (target ≤ 3×), and vs the naive check a user would
  write: read every ballot and link with pandas, look for the household's
  earlier ballot, then ``ws.add``;
* count one 100,000-ballot vote (``votes.count_vote``: its ballots, links and
  roll, screened and counted, the result stored) — vs the naive read of the
  whole ballots and links tables with pandas, filtered to the vote, then the
  same screen and count;
* record one demand (``demands.record_demand`` on a building) — vs ``ws.add``
  of the same row (target ≤ 3×), and vs the naive way: the buildings layer read
  with ``geopandas.read_file`` (pyogrio) to check the place, every demand id
  read with pandas to allocate the next, then ``ws.add``;
* open the demands dashboard (``demands.demand_dashboard``) — vs pandas
  reading the same columns and counting by status, class and category
  (target ≤ 1.5×);
* one adoption zone's status (what ``register_adoption`` does to the zone: one
  ``update_feature``) — vs the naive way: the layer read with
  ``geopandas.read_file``, the status set, the layer written back whole
  (``ws.write_layer``).
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


def build(folder: Path, scale: float) -> tuple[Path, dict[str, int]]:
    """Create the busy workspace at ``scale`` (1.0: full size) deterministically; return its path and sizes."""
    import geopandas as gpd

    from cogov_toolkit.storage import create_workspace

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
        "INSERT INTO households (uuid, created_at, updated_at, household_id, building_id, unit, floor, room) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (str(uuid.uuid5(NAMESPACE, f"h{i}")), NOW, NOW, f"H{i:06d}", f"B{i % nb:05d}", 1 + i % 2, 1, f"{i}")
            for i in range(nh)
        ),
    )
    conn.executemany(
        "INSERT INTO votes (uuid, created_at, updated_at, vote_id, question, options, rule, electorate, scope_type, "
        "ballot_kind, params, status) VALUES (?, ?, ?, ?, ?, ?, 'yes_no_abstain', 'households', 'community', "
        "'yes_no_abstain', '{}', 'open')",
        (
            (str(uuid.uuid5(NAMESPACE, f"v{v}")), NOW, NOW, f"V{v:02d}", f"表决{v}", '["赞成", "反对", "弃权"]')
            for v in range(10)
        ),
    )
    batch = 100_000
    for start in range(0, sizes["ballots"], batch):
        rows, links = [], []
        for i in range(start, min(start + batch, sizes["ballots"])):
            ballot = str(uuid.uuid5(NAMESPACE, f"b{i}"))
            vote = f"V{i % 10:02d}"
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


def median_time(function: Callable[[int], Any], runs: int) -> float:
    """Return the median wall time of ``runs`` calls of ``function(n)`` (n = run number, for fresh values)."""
    times = []
    for n in range(runs):
        start = time.perf_counter()
        function(n)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def row(label: str, ours: float, baselines: list[tuple[str, float, str]]) -> None:
    print(f"{label}: {ours * 1000:,.1f} ms")
    for name, base, target in baselines:
        print(
            f"  vs {name}: {base * 1000:,.1f} ms -> ratio {ours / base:.2f}x{f'  (target {target})' if target else ''}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a tenth of the full size (the CI smoke run)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="cogov-bench-workspace-"))
    os.environ["COGOV_DATA_DIR"] = str(scratch / "data")
    os.environ["COGOV_CACHE_DIR"] = str(scratch / "cache")
    try:
        import geopandas as gpd
        import pandas as pd

        from cogov_toolkit.core.votes import RawBallot, count, screen_ballots
        from cogov_toolkit.storage import open_workspace
        from cogov_toolkit.workflows import adoptions, demands, votes

        started = time.perf_counter()
        path, sizes = build(scratch, 0.1 if args.small else 1.0)
        size = path.stat().st_size + path.with_name("大社区.private.sqlite").stat().st_size
        print(
            f"Workspace: {sizes['buildings']:,} buildings, {sizes['households']:,} households, "
            f"{sizes['ballots']:,} ballots over {sizes['votes']} votes, {sizes['demands']:,} demands, "
            f"{sizes['zones']:,} adoption zones; {size / 1e6:,.0f} MB; built in {time.perf_counter() - started:.1f} s"
        )
        ws = open_workspace(path, backups=0)
        conn = ws.connection  # the naive baselines read through pandas on the same open file
        per_vote = sizes["ballots"] // sizes["votes"]
        print(f"median of {args.runs} runs each")

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

        row(
            "record one ballot (votes.record_ballots)",
            median_time(one_ballot, args.runs),
            [
                ("ws.add of the same row", median_time(plain_add, args.runs), "<= 3x"),
                ("naive: pandas reads ballots + links, filters, ws.add", median_time(naive_ballot, args.runs), ""),
            ],
        )

        # --- count one vote
        def count_keyed(_: int) -> None:
            votes.count_vote(ws, "V00")

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

        count_runs = max(1, min(args.runs, 3))
        row(
            f"count one {per_vote:,}-ballot vote of {sizes['ballots']:,} (votes.count_vote, result stored)",
            median_time(count_keyed, count_runs),
            [
                (
                    "naive: pandas reads every ballot and link, filters, same count",
                    median_time(count_naive, count_runs),
                    "",
                )
            ],
        )

        # --- one demand
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

        def demand_add(n: int) -> None:
            ws.add("demands", {**demand_row, "demand_id": f"P{n:06d}"})

        def demand_naive(n: int) -> None:
            buildings = gpd.read_file(path, layer="buildings")
            assert "B00007" in set(buildings["building_id"])
            ids = pd.read_sql_query("SELECT demand_id FROM demands", conn)["demand_id"]
            assert len(ids)
            ws.add("demands", {**demand_row, "demand_id": f"N{n:06d}"})

        row(
            "record one demand (demands.record_demand, with its history row)",
            median_time(one_demand, args.runs),
            [
                ("ws.add of the same row", median_time(demand_add, args.runs), "<= 3x"),
                (
                    "naive: geopandas reads the buildings, pandas the ids, ws.add",
                    median_time(demand_naive, args.runs),
                    "",
                ),
            ],
        )

        # --- dashboard
        moment = dt.datetime(2026, 5, 6, 10, 0)

        def dashboard(_: int) -> None:
            demands.demand_dashboard(ws, moment)

        def dashboard_pandas(_: int) -> None:
            frame = pd.read_sql_query("SELECT demand_id, category, triage_class, status, due_at FROM demands", conn)
            frame["status"].value_counts(), frame["triage_class"].value_counts(), frame["category"].value_counts()
            (
                pd.to_datetime(frame["due_at"], utc=True, format="ISO8601") < pd.Timestamp(moment, tz="Asia/Shanghai")
            ).sum()

        row(
            f"open the demands dashboard ({ws.count('demands'):,} demands)",
            median_time(dashboard, max(1, min(args.runs, 3))),
            [("pandas reads the table + the same counts", median_time(dashboard_pandas, args.runs), "<= 1.5x")],
        )

        # --- one zone
        states = ("adopted", "available")

        def zone_keyed(n: int) -> None:
            adoptions._set_zone_status(ws, "Z00003", states[n % 2])

        def zone_naive(n: int) -> None:
            frame = gpd.read_file(path, layer="adoption_zones")
            frame.loc[frame["zone_id"] == "Z00004", "status"] = states[n % 2]
            ws.write_layer("adoption_zones", frame)

        row(
            "one adoption zone's status (update_feature)",
            median_time(zone_keyed, args.runs),
            [
                (
                    "naive: geopandas reads the layer, ws.write_layer writes it back",
                    median_time(zone_naive, args.runs),
                    "",
                )
            ],
        )
        ws.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
