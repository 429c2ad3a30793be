"""Workflow writes are one transaction each: SIGKILL at random moments, and many processes at once.

``record_demand`` (demand + history + private contact, id allocated inside),
``import_demands`` (every row with its history), ``register_adoption``
(adoption + contact + consent + the zone's status) and ``count_vote`` (result +
the vote's status) are each killed twenty times at random moments in forked
children; afterwards every acknowledged call is complete and no half is left.
Eight processes recording fifty demands each with automatic ids store exactly 400.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from cogov_toolkit.storage import Workspace, create_workspace, open_workspace
from cogov_toolkit.workflows.adoptions import AdopterContact, register_adoption
from cogov_toolkit.workflows.demands import Contact, import_demands, record_demand
from cogov_toolkit.workflows.votes import Channel, RawBallot, count_vote, create_vote, record_ballots
from tests import forking

ROUNDS = 20


@pytest.fixture(name="ws_path")
def fixture_ws_path(tmp_path: Path) -> Path:
    """An empty workspace with 400 adoption zones and a small roll (created fresh: quick)."""
    path = tmp_path / "原子性" / "社区.gpkg"
    with create_workspace(path, "幸福社区") as ws:
        zones = gpd.GeoDataFrame(
            {
                "zone_id": [f"Z{i:03d}" for i in range(400)],
                "number": range(1, 401),
                "zone_type": "tree",
                "status": "available",
            },
            geometry=[shapely.Point(118.1 + i * 1e-5, 24.5) for i in range(400)],
            crs=4326,
        )
        ws.write_layer("adoption_zones", zones)
        ws.add_many(
            "households",
            [{"household_id": f"H{i:04d}", "building_id": "B01", "unit": 1, "room": f"{100 + i}"} for i in range(20)],
        )
    return path


def _kill_rounds(ws_path: Path, step, seed: int, delay: tuple[float, float] = (0.0, 0.3)) -> list[str]:
    """Run ``step(ws, n)`` in a loop in forked children, killing each at a random moment; return the acks."""
    rng = random.Random(seed)
    acknowledged: list[str] = []
    for round_ in range(ROUNDS):

        def work(ack: forking.Ack, round_: int = round_) -> None:
            ws = open_workspace(ws_path, backups=0)
            ack("ready")
            n = 0
            while True:
                ack(step(ws, f"{round_:02d}{n:04d}"))
                n += 1

        pid, fd = forking.start(work)
        assert forking.wait_for_line(fd) == "ready"
        acknowledged += [a for a in forking.kill_after(pid, fd, rng.uniform(*delay)) if a != "ready"]
    return acknowledged


def test_a_killed_record_demand_leaves_no_demand_without_its_history(ws_path: Path) -> None:
    def step(ws: Workspace, tag: str) -> str:
        return record_demand(
            ws,
            reported_on=dt.date(2026, 5, 1),
            channel="visit",
            category="repair",
            text=f"楼道灯坏了 {tag}",
            contact=Contact("H0001", "王样", "100-0000-0001"),
        )

    acknowledged = _kill_rounds(ws_path, step, seed=1)
    with open_workspace(ws_path, backups=0) as ws:
        demands = ws.records("demands")
        events = ws.records("demand_events")
        contacts = ws.private_records("demand_contacts")
    assert acknowledged and set(acknowledged) <= set(demands["demand_id"])
    assert set(demands["demand_id"]) == set(events["demand_id"])  # every demand has its history, none without
    assert set(demands["uuid"]) == set(contacts["demand_uuid"])  # and its private contact
    assert demands["demand_id"].is_unique


def test_a_killed_import_stores_whole_files_only(ws_path: Path, tmp_path: Path) -> None:
    rows = 30

    def step(ws: Workspace, tag: str) -> str:
        path = tmp_path / f"诉求{tag}.csv"
        lines = ["诉求编号,日期,渠道,类别,内容,reporter_household_id"]
        lines += [f"I{tag}-{i:02d},2026-05-01,meeting,greening,树枝挡窗 {i},H0002" for i in range(rows)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        import_demands(ws, path)
        return tag

    acknowledged = _kill_rounds(ws_path, step, seed=2, delay=(0.0, 0.5))
    with open_workspace(ws_path, backups=0) as ws:
        demands = ws.records("demands")
        events = ws.records("demand_events")
        contacts = ws.private_records("demand_contacts")
    files = demands["demand_id"].str.split("-").str[0]
    assert (files.value_counts() == rows).all()  # each file all or nothing
    assert {f"I{tag}" for tag in acknowledged} <= set(files)
    assert set(demands["demand_id"]) == set(events["demand_id"])
    assert set(demands["uuid"]) == set(contacts["demand_uuid"])


def test_a_killed_registration_leaves_no_adoption_without_its_contact_consent_and_zone(ws_path: Path) -> None:
    def step(ws: Workspace, tag: str) -> str:
        taken = set(ws.records("adoptions")["zone_id"])
        zone = next(z for z in (f"Z{i:03d}" for i in range(400)) if z not in taken)
        return register_adoption(
            ws,
            zone_id=zone,
            adopter_type="household",
            public_name=f"王阿姨{tag}",
            publish_name_consent=True,
            start_on=dt.date(2026, 3, 1),
            contact=AdopterContact("H0003", "王样", "100-0000-0003"),
        )

    acknowledged = _kill_rounds(ws_path, step, seed=3)
    with open_workspace(ws_path, backups=0) as ws:
        adoptions = ws.records("adoptions")
        contacts = ws.private_records("adopter_contacts")
        consents = ws.private_records("consents")
        zones = ws.read_layer("adoption_zones").set_index("zone_id")["status"]
    assert acknowledged and set(acknowledged) <= set(adoptions["adoption_id"])
    assert set(adoptions["uuid"]) == set(contacts["adoption_uuid"])
    assert set(adoptions["adoption_id"]) == set(consents["subject_id"])
    assert (zones[list(adoptions["zone_id"])] == "adopted").all()
    assert (zones.drop(list(adoptions["zone_id"])) == "available").all()
    assert adoptions["adoption_id"].is_unique


def test_a_killed_count_leaves_no_result_without_its_vote_marked_counted(ws_path: Path) -> None:
    def step(ws: Workspace, tag: str) -> str:
        vote_id = f"V{tag}"
        create_vote(ws, vote_id, "是否同意？", ("赞成", "反对", "弃权"), rule="yes_no_abstain")
        ballots = [RawBallot(f"纸质:H{i:04d}", f"H{i:04d}", "赞成" if i % 3 else "反对") for i in range(12)]
        record_ballots(ws, vote_id, ballots, Channel.PAPER)
        count_vote(ws, vote_id)
        return vote_id

    acknowledged = _kill_rounds(ws_path, step, seed=4)
    with open_workspace(ws_path, backups=0) as ws:
        votes = ws.records("votes").set_index("vote_id")["status"]
        results = set(ws.records("vote_results")["vote_id"])
    assert acknowledged and set(acknowledged) <= results
    assert {v for v, status in votes.items() if status == "counted"} == results


def test_eight_processes_recording_fifty_demands_each_store_exactly_400(ws_path: Path) -> None:
    def work(ack: forking.Ack) -> None:
        ws = open_workspace(ws_path, backups=0)
        for i in range(50):
            ack(
                record_demand(
                    ws,
                    reported_on=dt.date(2026, 5, 1),
                    channel="online",
                    category="parking",
                    text=f"停车难 {os.getpid()} {i}",
                )
            )
        ws.close()

    children = [forking.start(work) for _ in range(8)]
    acknowledged = [a for pid, fd in children for a in forking.run_to_end(pid, fd)]
    with open_workspace(ws_path, backups=0) as ws:
        demands = ws.records("demands")
        events = ws.records("demand_events")
    assert len(acknowledged) == len(set(acknowledged)) == 400
    assert len(demands) == 400 and demands["demand_id"].is_unique
    assert set(demands["demand_id"]) == set(acknowledged) == set(events["demand_id"])
