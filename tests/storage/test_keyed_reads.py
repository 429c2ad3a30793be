"""Keyed reads: both backends answer them alike, and the key workflows read only the rows they touch.

The in-memory backend counts every row a read hands back; the workflows run on
a workspace whose ballots, demands and adoptions far outnumber what one action
needs, and the count shows each action reads a handful of rows, not the table.
The same workflows run on the GeoPackage too (from one parametrised fixture),
so the seam is proved on both sides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cogov_toolkit.core.votes import RawBallot
from cogov_toolkit.errors import RecordError
from cogov_toolkit.storage import Workspace, open_workspace
from cogov_toolkit.storage.base import iter_protocol_methods
from cogov_toolkit.storage.memory import MemoryWorkspace
from cogov_toolkit.workflows import adoptions, demands, votes
from tests.conftest import copy_workspace
from tests.storage.busy import BACKENDS, build_busy, open_busy, reset, rows_read

#: ballots and demands put into the busy workspace beside the sample's own
BUSY_BALLOTS = 5_000
BUSY_DEMANDS = 1_000
AT = dt.datetime(2025, 5, 6, 10, 0)


def _fill_busy(ws: Workspace) -> None:
    """Add a large vote (BUSY_BALLOTS ballots of a roll-free show of ballots) and BUSY_DEMANDS demands."""
    votes.create_vote(ws, "VBIG", "大表决", ["赞成", "反对", "弃权"], rule="yes_no_abstain")
    households = [f"H{i:05d}" for i in range(BUSY_BALLOTS)]
    votes.record_ballots(ws, "VBIG", [RawBallot(f"纸质:{h}", h, "赞成") for h in households], votes.Channel.PAPER)
    rows = [
        {
            "demand_id": f"X{i:05d}",
            "reported_on": dt.date(2025, 3, 1),
            "channel": "visit",
            "category": "repair",
            "text": "路灯坏了",
            "status": "received",
        }
        for i in range(BUSY_DEMANDS)
    ]
    ws.add_many("demands", rows)
    ws.add_many(
        "demand_events",
        [
            {"demand_id": r["demand_id"], "seq": 0, "event": "status", "at": AT, "to_value": "received", "by_role": "x"}
            for r in rows
        ],
    )


@pytest.fixture(name="busy_path", scope="module")
def fixture_busy_path(sample_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample community with a big vote and many demands added (closed; copied per test)."""
    return build_busy(sample_path, tmp_path_factory.mktemp("busy"), _fill_busy)


@pytest.fixture(name="busy", params=BACKENDS)
def fixture_busy(request: pytest.FixtureRequest, busy_path: Path, tmp_path: Path) -> Iterator[Workspace]:
    """The busy workspace, as a GeoPackage copy and as an in-memory copy (which counts rows read)."""
    yield from open_busy(request.param, busy_path, tmp_path / "busy")


def test_memory_backend_offers_every_protocol_method() -> None:
    ws = MemoryWorkspace()
    assert isinstance(ws, Workspace)
    missing = [name for name in iter_protocol_methods() if not callable(getattr(ws, name, None))]
    assert missing == []


def test_keyed_reads_agree_between_backends(busy: Workspace) -> None:
    ballots = busy.records("ballots", {"vote_id": "VBIG"}, columns=["vote_id", "choice"])
    assert len(ballots) == BUSY_BALLOTS and set(ballots.columns) == {"vote_id", "choice"}
    assert busy.count("ballots", {"vote_id": "VBIG"}) == BUSY_BALLOTS
    assert busy.count("ballots", {"vote_id": ["VBIG", "no such"]}) == BUSY_BALLOTS
    assert busy.count("ballots", {"vote_id": []}) == 0
    assert busy.find("demands", "X00007")["text"] == "路灯坏了"
    assert busy.find("demands", "nope") is None
    links = busy.private_records("ballot_links", {"household_id": "H00042"}, columns=["household_id", "vote_id"])
    assert links.to_dict("records") == [{"household_id": "H00042", "vote_id": "VBIG"}]
    one = busy.layer_records("buildings", {"building_id": "B01"}, columns=["building_id", "label"])
    assert one.to_dict("records") == [{"building_id": "B01", "label": "1栋"}]
    assert len(busy.read_layer("buildings", {"building_id": ["B01", "B02"]})) == 2
    assert busy.count("demands", {"triage_class": None}) >= BUSY_DEMANDS
    with pytest.raises(RecordError, match="x_y"):
        busy.records("ballots", {"x_y": 1})


def test_recording_one_ballot_reads_no_ballots(busy: Workspace) -> None:
    reset(busy)
    [uuid] = votes.record_ballots(busy, "VBIG", [RawBallot("纸质:NEW", "H99999", "反对")], votes.Channel.PAPER)
    assert busy.get("ballots", uuid)["choice"] == "反对"
    reads = rows_read(busy)
    if reads is not None:
        assert reads.get("ballots", 0) <= 1 and reads.get("ballot_links", 0) == 0


def test_counting_one_vote_reads_only_its_ballots(busy: Workspace) -> None:
    votes.create_vote(
        busy, "VS", "小表决", ["赞成", "反对", "弃权"], rule="yes_no_abstain", scope_type="building", scope_id="B01"
    )
    roll = votes.roll_for(busy, "VS")
    votes.record_ballots(
        busy, "VS", [RawBallot(f"纸质:{h}", h, "赞成") for h in roll["household_id"][:5]], votes.Channel.PAPER
    )
    reset(busy)
    stored = votes.count_vote(busy, "VS")
    assert stored.result.ballots_counted == 5
    reads = rows_read(busy)
    if reads is not None:
        # its 5 ballots and links (plus the vote), not the thousands of the big vote; one building's households
        assert reads["ballots"] == 5 and reads["ballot_links"] == 5
        assert reads["households"] == len(roll) and reads["buildings"] == 1


def test_recording_a_demand_and_its_transitions_read_one_demand(busy: Workspace) -> None:
    reset(busy)
    demand_id = demands.record_demand(
        busy,
        reported_on=dt.date(2025, 5, 6),
        channel="visit",
        category="repair",
        text="5栋楼道灯不亮",
        place_type="building",
        place_id="B05",
    )
    demands.confirm_class(busy, demand_id, "minor", at=AT)
    demands.transition(busy, demand_id, "assigned", at=AT + dt.timedelta(hours=1), handler_unit="物业", handler="王")
    assert [e.to_status for e in demands.history(busy, demand_id) if hasattr(e, "to_status")][-1] == "assigned"
    reads = rows_read(busy)
    if reads is not None:
        # a handful of demand and event rows (this demand's), no layer read at all, no other demand's events
        assert reads.get("demands", 0) <= 6 and reads.get("demand_events", 0) <= 12
        assert not any(reads.get(layer) for layer in ("buildings", "public_spaces", "idle_plots", "adoption_zones"))
        assert busy.values_read.get("demands", 0) == 0  # the next id is one lookup (max_number), no id read


@pytest.mark.parametrize("backend", ["gpkg", "memory"])
def test_max_number_takes_only_prefix_and_digits(backend: str, tmp_path: Path) -> None:
    from cogov_toolkit.storage import create_workspace

    ws: Workspace = create_workspace(tmp_path / "编号.gpkg", "编号") if backend == "gpkg" else MemoryWorkspace()
    try:
        assert ws.max_number("demands", "demand_id", "D") is None
        ids = ["D009", "D10", "D2", "X999", "D12a", "D", "d99", "D0011", "2024-001", "DD50", "D８８"]
        ws.add_many(
            "demands",
            [
                {"demand_id": i, "reported_on": "2025-01-01", "channel": "visit", "category": "repair", "text": "x"}
                for i in ids
            ],
        )
        # numerically, not as text ("D9" < "D10"); leading zeros count for nothing; full-width digits are no number
        assert ws.max_number("demands", "demand_id", "D") == 11
        assert demands.next_demand_id(ws) == "D012"
        assert ws.max_number("demands", "demand_id", "X") == 999
        with pytest.raises(RecordError):
            ws.max_number("demands", "no_such_column", "D")
    finally:
        ws.close()


def test_the_next_demand_id_is_one_index_lookup(tmp_path: Path) -> None:
    """SQLite answers the highest D-number from the partial index on it, not from a scan of the table."""
    from cogov_toolkit.storage import create_workspace

    with create_workspace(tmp_path / "编号.gpkg", "编号") as ws:
        queries: list[str] = []
        ws.connection.set_trace_callback(queries.append)
        ws.max_number("demands", "demand_id", "D")
        ws.connection.set_trace_callback(None)
        [query] = [q for q in queries if "max(" in q]
        plan = " ".join(str(step[-1]) for step in ws.connection.execute(f"EXPLAIN QUERY PLAN {query}"))
    assert "INDEX demands_demand_id_number" in plan, plan


def test_unknown_place_is_still_refused(busy: Workspace) -> None:
    with pytest.raises(Exception, match="B999") as caught:
        demands.record_demand(
            busy,
            reported_on=dt.date(2025, 5, 6),
            channel="visit",
            category="repair",
            text="x",
            place_type="building",
            place_id="B999",
        )
    assert caught.value.reason == "demand_flow.bad_demand"


def test_registering_an_adoption_changes_one_zone_in_place(busy: Workspace) -> None:
    zones = busy.layer_records("adoption_zones", columns=["fid", "zone_id", "status"])
    free = zones[zones["status"] == "available"].iloc[0]
    before = busy.read_layer("adoption_zones").set_index("zone_id")
    reset(busy)
    adoption_id = adoptions.register_adoption(
        busy, zone_id=free["zone_id"], adopter_type="volunteer_team", start_on=dt.date(2025, 5, 1), public_name="绿手指"
    )
    reads = rows_read(busy)
    after = busy.read_layer("adoption_zones").set_index("zone_id")
    assert after.loc[free["zone_id"], "status"] == "adopted"
    assert int(after.loc[free["zone_id"], "fid"]) == int(free["fid"])  # changed in place, same row id
    others = after.index != free["zone_id"]
    assert (after.loc[others, "status"] == before.loc[others, "status"]).all()
    assert busy.find("adoptions", adoption_id)["public_name"] == "绿手指"
    if reads is not None:
        assert reads.get("adoption_zones", 0) <= 2 and reads.get("adoptions", 0) <= 2


def test_dashboard_reads_the_demands_once(busy: Workspace) -> None:
    reset(busy)
    figures = demands.demand_dashboard(busy, AT)
    assert sum(figures.by_status.values()) == busy.count("demands")
    reads = rows_read(busy)
    if reads is not None:
        assert reads["demands"] == busy.count("demands")
        assert reads["demand_events"] == busy.count("demand_events")


def test_a_failed_transaction_stores_nothing_in_memory() -> None:
    ws = MemoryWorkspace()
    ws.add(
        "demands",
        {"demand_id": "D1", "reported_on": "2025-01-01", "channel": "visit", "category": "repair", "text": "x"},
    )
    with pytest.raises(RecordError):
        with ws.transaction():
            ws.add(
                "demands",
                {"demand_id": "D2", "reported_on": "2025-01-01", "channel": "visit", "category": "repair", "text": "y"},
            )
            ws.add(
                "demands",
                {"demand_id": "D1", "reported_on": "2025-01-01", "channel": "visit", "category": "repair", "text": "z"},
            )
    assert ws.column_values("demands", "demand_id") == ["D1"]
    assert ws.find("demands", "D2") is None


def test_migration_5_moves_vote_steps_out_of_params(tmp_path: Path) -> None:
    import json
    import sqlite3

    from cogov_toolkit.storage import create_workspace

    path = tmp_path / "旧.gpkg"
    with create_workspace(path, "旧社区") as ws:
        votes.create_vote(ws, "V1", "加装电梯", ["赞成", "反对", "弃权"], rule="yes_no_abstain")
    conn = sqlite3.connect(path)
    params = {
        "duplicates": "keep_first",
        "steps": [{"step": "committees_discussion", "on": "2026-05-02", "note": "两委"}],
    }
    conn.execute("UPDATE votes SET params = ?", (json.dumps(params, ensure_ascii=False),))
    conn.execute("DROP TABLE vote_steps")
    conn.execute("DELETE FROM gpkg_contents WHERE table_name = 'vote_steps'")
    conn.execute("UPDATE cogov_meta SET value = '4' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with open_workspace(path, backups=0, upgrade=True) as ws:
        vote = votes.get_vote(ws, "V1")
        assert [(s.step.value, s.on.isoformat(), s.note) for s in vote.steps] == [
            ("committees_discussion", "2026-05-02", "两委")
        ]
        assert "steps" not in json.loads(ws.find("votes", "V1")["params"])
        votes.record_step(ws, "V1", votes.Step.PARTY_PROPOSAL, dt.date(2026, 4, 20))
        assert [s.step for s in votes.get_vote(ws, "V1").steps][0] is votes.Step.PARTY_PROPOSAL


def _vote_reads(ws: Workspace, action: Callable[[], object]) -> list[str]:
    """The SQL that reads ballots or ballot links while ``action`` runs (values bound in, as SQLite ran it)."""
    statements: list[str] = []
    ws.connection.set_trace_callback(statements.append)
    try:
        action()
    finally:
        ws.connection.set_trace_callback(None)
    return [
        sql
        for sql in statements
        if sql.lstrip().upper().startswith("SELECT") and ('."ballots"' in sql or '."ballot_links"' in sql)
    ]


def test_a_count_reads_its_ballots_and_links_from_covering_indexes_only(busy_path: Path, tmp_path: Path) -> None:
    """Migration 8: the count never touches the table pages, which hold every other vote's rows too."""
    with open_workspace(copy_workspace(busy_path, tmp_path / "busy"), backups=0) as ws:
        reads = _vote_reads(ws, lambda: votes.count_vote(ws, "VBIG"))
        assert any('."ballots"' in sql for sql in reads) and any('."ballot_links"' in sql for sql in reads)
        for sql in reads:
            plan = " | ".join(row[3] for row in ws.connection.execute("EXPLAIN QUERY PLAN " + sql))
            assert "USING COVERING INDEX" in plan and "vote_id=?" in plan, (sql, plan)
        # the check itself fails on a read that needs the table: the links' source_ref is not in the index
        legacy = _vote_reads(ws, lambda: votes.stored_ballots(ws, "VBIG", legacy_refs=True))
        plans = [" | ".join(r[3] for r in ws.connection.execute("EXPLAIN QUERY PLAN " + sql)) for sql in legacy]
        assert any("USING COVERING INDEX" not in plan for plan in plans)


def test_migration_8_puts_covering_indexes_in_place_of_the_vote_id_ones(tmp_path: Path) -> None:
    import sqlite3

    from cogov_toolkit.storage import create_workspace
    from cogov_toolkit.storage.gpkg.workspace import private_path_for

    path = tmp_path / "旧.gpkg"
    with create_workspace(path, "旧社区") as ws:
        votes.create_vote(ws, "V1", "加装电梯", ["赞成", "反对", "弃权"], rule="yes_no_abstain")
        ballots = [RawBallot(f"纸质:H{i}", f"H{i}", choice) for i, choice in enumerate(["赞成", "反对", "赞成"])]
        votes.record_ballots(ws, "V1", ballots, votes.Channel.PAPER)
        before = votes.tally_now(ws, "V1")
    conn = sqlite3.connect(path)
    conn.execute("ATTACH DATABASE ? AS private", (str(private_path_for(path)),))
    for schema, table in (("main", "ballots"), ("private", "ballot_links")):  # as version 7 had them
        conn.execute(f'DROP INDEX {schema}."{table}_vote_id_covering"')
        conn.execute(f'CREATE INDEX {schema}."{table}_vote_id" ON "{table}" ("vote_id")')
    conn.execute("UPDATE cogov_meta SET value = '7' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()

    def indexes(ws: Workspace, schema: str, table: str) -> set[str]:
        query = f"SELECT name FROM {schema}.sqlite_master WHERE type = 'index' AND tbl_name = ?"
        return {row[0] for row in ws.connection.execute(query, (table,))}

    with open_workspace(path, backups=0, upgrade=True) as ws:
        for schema, table in (("main", "ballots"), ("private", "ballot_links")):
            found = indexes(ws, schema, table)
            assert f"{table}_vote_id_covering" in found and f"{table}_vote_id" not in found
        assert votes.tally_now(ws, "V1") == before
        assert votes.count_vote(ws, "V1").result.ballots_counted == 0  # H0… are not on the empty roll
