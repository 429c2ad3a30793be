"""What a workspace holds, as small tables for the first notebook and ``cogov info``.

Only counts and sums: nothing here reads the private companion file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.schema import ENUMS, LAYERS, PRIVATE_TABLES, RECORD_TABLES

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace


def layer_counts(ws: Workspace) -> pd.DataFrame:
    """Return one row per layer and record table: display name, table name, count."""
    counts = ws.counts()
    rows = [
        {
            i18n.t("overview.kind"): i18n.t("overview.layer" if name in LAYERS else "overview.table"),
            i18n.t("overview.name"): i18n.t(f"layer.{name}"),
            i18n.t("overview.table_name"): name,
            i18n.t("overview.count"): counts[name],
        }
        for name in (*LAYERS, *RECORD_TABLES)
    ]
    return pd.DataFrame(rows)


def neighbourhood_overview(ws: Workspace) -> pd.DataFrame:
    """Return one row per 小区: buildings, households, floor area, sites, adoption zones, demands."""
    # the columns counted, never a geometry or a resident's text
    nb = "neighbourhood_id"
    neighbourhoods = ws.layer_records("neighbourhoods", columns=[nb, "name"])[[nb, "name"]]
    grids = ws.layer_records("grids", columns=[nb])
    buildings = ws.layer_records("buildings", columns=["building_id", nb])
    areas = ["registered_area_m2", "surveyed_area_m2", "contract_area_m2"]
    households = ws.records("households", columns=["household_id", "building_id", *areas])
    spaces = ws.layer_records("public_spaces", columns=[nb])
    plots = ws.layer_records("idle_plots", columns=[nb])
    zones = ws.layer_records("adoption_zones", columns=[nb, "status"])
    demands = ws.records("demands", columns=["building_id"])

    building_nb = buildings.set_index("building_id")["neighbourhood_id"]
    households = households.assign(neighbourhood_id=households["building_id"].map(building_nb))
    area = (
        households["registered_area_m2"].fillna(households["surveyed_area_m2"]).fillna(households["contract_area_m2"])
    )
    households = households.assign(area=area)
    demand_nb = demands["building_id"].map(building_nb)

    rows = []
    for nb_id, name in neighbourhoods.itertuples(index=False):
        nb_households = households[households["neighbourhood_id"] == nb_id]
        nb_zones = zones[zones["neighbourhood_id"] == nb_id]
        rows.append(
            {
                i18n.t("overview.neighbourhood"): name,
                i18n.t("overview.grids"): int((grids["neighbourhood_id"] == nb_id).sum()),
                i18n.t("overview.buildings"): int((buildings["neighbourhood_id"] == nb_id).sum()),
                i18n.t("overview.households"): len(nb_households),
                i18n.t("overview.floor_area"): round(float(nb_households["area"].sum()), 1),
                i18n.t("overview.public_spaces"): int((spaces["neighbourhood_id"] == nb_id).sum()),
                i18n.t("overview.idle_plots"): int((plots["neighbourhood_id"] == nb_id).sum()),
                i18n.t("overview.adoption_zones"): len(nb_zones),
                i18n.t("overview.adopted"): int((nb_zones["status"] == "adopted").sum()),
                i18n.t("overview.demands"): int((demand_nb == nb_id).sum()),
            }
        )
    return pd.DataFrame(rows)


__all__ = [
    "layer_counts",
    "neighbourhood_overview",
    # re-exported for widgets and notebooks
    "LAYERS",
    "ENUMS",
    "PRIVATE_TABLES",
    "RECORD_TABLES",
]
