"""The first notebook's tables: one row per 小区, counted from the columns it needs."""

from __future__ import annotations

from cogov_toolkit.storage import Workspace
from cogov_toolkit.storage.memory import MemoryWorkspace
from cogov_toolkit.workflows.overview import neighbourhood_overview


def test_the_neighbourhood_overview_counts_what_each_layer_holds(sample: Workspace) -> None:
    table = neighbourhood_overview(sample)
    buildings = sample.read_layer("buildings").set_index("building_id")["neighbourhood_id"]
    households = sample.records("households")
    demands = sample.records("demands")
    zones = sample.read_layer("adoption_zones")
    for row in table.to_dict("records"):
        [nb_id] = sample.layer_records("neighbourhoods", {"name": row["小区"]})["neighbourhood_id"]
        assert row["楼栋"] == int((buildings == nb_id).sum())
        assert row["住户"] == int((households["building_id"].map(buildings) == nb_id).sum())
        assert row["诉求"] == int((demands["building_id"].map(buildings) == nb_id).sum())
        assert row["其中已认领"] == int(((zones["neighbourhood_id"] == nb_id) & (zones["status"] == "adopted")).sum())
    assert table["住户"].sum() == len(households) and table["楼栋"].sum() == len(buildings)


def test_the_neighbourhood_overview_is_the_same_in_memory(sample: Workspace) -> None:
    memory = MemoryWorkspace.copy_of(sample)
    assert neighbourhood_overview(memory).equals(neighbourhood_overview(sample))
