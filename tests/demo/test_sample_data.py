"""The committed sample community (cogov_toolkit/demo/sample_data/) is reproducible, complete and consistent with the schema."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

from cogov_toolkit.core.schema import ENUMS, LAYERS, RECORD_TABLES
from cogov_toolkit.io.gis import WITHIN_MARGIN_M

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "cogov_toolkit" / "demo" / "sample_data"
GENERATOR = ROOT / "data" / "generate_sample.py"
LAYER_NAMES = tuple(LAYERS)  # community … adoption_zones, roads, landmarks
TABLE_NAMES = ("households", "projects", "demands", "votes", "ballots", "evaluations")
AREA_CRS = "EPSG:4548"


def _read_layer(name: str) -> gpd.GeoDataFrame:
    collection = json.loads((SAMPLE / f"{name}.geojson").read_text(encoding="utf-8"))
    frame = gpd.GeoDataFrame.from_features(collection["features"], crs="EPSG:4326")
    return frame[[*collection["features"][0]["properties"], "geometry"]]


@pytest.fixture(name="layers", scope="module")
def fixture_layers() -> dict[str, gpd.GeoDataFrame]:
    """Every layer, read straight from its GeoJSON (property values exactly as written)."""
    return {name: _read_layer(name) for name in LAYER_NAMES}


@pytest.fixture(name="tables", scope="module")
def fixture_tables() -> dict[str, pd.DataFrame]:
    """Every record table as text, empty cells as ''."""
    return {
        name: pd.read_csv(SAMPLE / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8")
        for name in TABLE_NAMES
    }


@pytest.fixture(name="community", scope="module")
def fixture_community(layers: dict[str, gpd.GeoDataFrame]) -> BaseGeometry:
    """The community polygon."""
    assert len(layers["community"]) == 1
    return layers["community"].geometry.iloc[0]


@pytest.fixture(name="manifest", scope="module")
def fixture_manifest() -> dict:
    """The generator's manifest."""
    return json.loads((SAMPLE / "manifest.json").read_text(encoding="utf-8"))


# --- reproducibility and file format -----------------------------------------------------------


def test_generator_reproduces_committed_files(tmp_path: Path) -> None:
    out = tmp_path / "sample"
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(out)], check=True, capture_output=True)
    committed = sorted(p.name for p in SAMPLE.iterdir())
    generated = sorted(p.name for p in out.iterdir())
    assert generated == committed
    differing = [name for name in committed if (SAMPLE / name).read_bytes() != (out / name).read_bytes()]
    assert differing == [], f"re-run python data/generate_sample.py: {differing} differ"


@pytest.mark.parametrize("path", sorted(SAMPLE.iterdir()), ids=lambda p: p.name)
def test_text_files_are_plain_utf8_with_lf(path: Path) -> None:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    assert b"\r" not in raw
    assert raw.endswith(b"\n")
    raw.decode("utf-8")


def test_manifest_counts_match_files(manifest: dict, layers: dict, tables: dict) -> None:
    assert manifest["seed"] == 20260301
    expected = {f"{n}.geojson": len(layers[n]) for n in LAYER_NAMES} | {f"{n}.csv": len(tables[n]) for n in TABLE_NAMES}
    assert manifest["files"] == expected


@pytest.mark.parametrize("name", LAYER_NAMES)
def test_geopandas_reads_every_layer(name: str) -> None:
    frame = gpd.read_file(SAMPLE / f"{name}.geojson")
    assert frame.crs.to_epsg() == 4326
    assert len(frame) > 0


def test_coordinates_have_at_most_seven_decimals() -> None:
    for name in LAYER_NAMES:
        collection = json.loads((SAMPLE / f"{name}.geojson").read_text(encoding="utf-8"))
        flat = json.dumps([f["geometry"]["coordinates"] for f in collection["features"]])
        numbers = flat.replace("[", " ").replace("]", " ").replace(",", " ").split()
        assert all(len(n.partition(".")[2]) <= 7 for n in numbers), name


# --- counts --------------------------------------------------------------------------------------


def test_territory_counts(layers: dict[str, gpd.GeoDataFrame]) -> None:
    assert len(layers["neighbourhoods"]) == 2
    assert len(layers["grids"]) == 4
    assert 35 <= len(layers["buildings"]) <= 45
    assert 1100 <= layers["buildings"]["households"].sum() <= 1300
    assert 10 <= len(layers["public_spaces"]) <= 14
    assert set(layers["public_spaces"]["type"]) == set(ENUMS["public_space_type"])
    assert len(layers["idle_plots"]) >= 8
    assert set(layers["idle_plots"]["status"]) == set(ENUMS["idle_plot_status"])
    assert len(layers["adoption_zones"]) >= 25
    assert set(layers["adoption_zones"]["zone_type"]) == set(ENUMS["adoption_zone_type"])


def test_buildings_have_sensible_attributes(layers: dict[str, gpd.GeoDataFrame]) -> None:
    b = layers["buildings"]
    assert b["units"].between(1, 4).all()
    assert b["floors"].between(5, 18).all()
    assert (b["households"] % (b["units"] * b["floors"]) == 0).all()
    assert list(b["label"]) == [f"{i}栋" for i in range(1, len(b) + 1)]
    assert b["label"].is_unique


def test_households_per_building_match_roster(layers: dict, tables: dict) -> None:
    roster = tables["households"]["building_id"].value_counts().to_dict()
    declared = dict(zip(layers["buildings"]["building_id"], layers["buildings"]["households"], strict=True))
    assert roster == declared


def test_adoption_zone_geometries_follow_their_type(layers: dict[str, gpd.GeoDataFrame]) -> None:
    zones = layers["adoption_zones"]
    assert set(zones.loc[zones["zone_type"] == "tree"].geom_type) == {"Point"}
    assert set(zones.loc[zones["zone_type"] == "lawn"].geom_type) == {"Polygon"}
    assert set(zones.loc[zones["zone_type"] == "public_area"].geom_type) == {"Polygon"}
    adopted = (zones["status"] == "adopted").mean()
    assert 0.35 <= adopted <= 0.65


def test_stairwells_sit_on_an_existing_building(layers: dict[str, gpd.GeoDataFrame]) -> None:
    buildings = layers["buildings"].set_index("building_id")
    stairwells = layers["adoption_zones"].loc[lambda z: z["zone_type"] == "stairwell"]
    assert len(stairwells) > 0
    for _, zone in stairwells.iterrows():
        assert zone.geometry.geom_type == "Point"
        building = buildings.loc[zone["building_id"]]
        assert 1 <= zone["unit"] <= building["units"]
        assert zone.geometry.distance(building.geometry.boundary) < 1e-6  # about 0.1 m
        assert zone["neighbourhood_id"] == building["neighbourhood_id"]


# --- schema --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LAYER_NAMES)
def test_layer_columns_enums_and_ids(name: str, layers: dict[str, gpd.GeoDataFrame]) -> None:
    kind = LAYERS[name]
    frame = layers[name]
    declared = [c.name for c in kind.columns]
    present = [c for c in frame.columns if c != "geometry"]
    # declared columns only, in declared order; optional ones (e.g. notes) may be absent from a planner's file
    assert present == [c for c in declared if c in present]
    assert {c.name for c in kind.columns if c.required} <= set(present)
    for column in kind.columns:
        if column.name not in frame.columns:
            continue
        values = frame[column.name]
        if column.required:
            assert values.notna().all() and (values.astype(str) != "").all(), f"{name}.{column.name}"
        if column.enum:
            used = set(values.dropna())
            assert used <= set(ENUMS[column.enum]), f"{name}.{column.name}: {used - set(ENUMS[column.enum])}"
    assert frame[kind.id_column].is_unique
    if "number" in frame:
        assert list(frame["number"]) == list(range(1, len(frame) + 1))
    assert set(frame.geom_type) <= set(kind.geometry)


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_record_columns_and_enums(name: str, tables: dict[str, pd.DataFrame]) -> None:
    table = RECORD_TABLES[name]
    frame = tables[name]
    # a planner's file carries the required columns; optional ones (later workflow fields) may be absent
    missing = [c.name for c in table.columns if c.required and c.name not in frame.columns]
    assert missing == [], f"{name} lacks required columns {missing}"
    for column in table.columns:
        if column.name not in frame.columns:
            continue
        values = frame[column.name]
        if column.required:
            assert (values != "").all(), f"{name}.{column.name}"
        if column.enum:
            used = set(values) - {""}
            assert used <= set(ENUMS[column.enum]), f"{name}.{column.name}: {used - set(ENUMS[column.enum])}"
    if table.key:
        assert frame[table.key].is_unique


def test_record_ids_unique(tables: dict[str, pd.DataFrame]) -> None:
    assert tables["ballots"]["ballot_id"].is_unique
    assert tables["evaluations"]["response_id"].is_unique


def test_all_demand_categories_used(tables: dict[str, pd.DataFrame]) -> None:
    demands = tables["demands"]
    assert 50 <= len(demands) <= 70
    assert set(demands["category"]) == set(ENUMS["demand_category"])
    assert set(demands["urgency"]) == set(ENUMS["demand_urgency"])
    assert (demands["triage_class"] == "").all() and (demands["status"] == "").all()
    assert demands["reported_on"].between("2026-03-01", "2026-10-31").all()


def test_references_resolve(layers: dict, tables: dict) -> None:
    ids = {
        "building": set(layers["buildings"]["building_id"]),
        "public_space": set(layers["public_spaces"]["space_id"]),
        "idle_plot": set(layers["idle_plots"]["plot_id"]),
        "adoption_zone": set(layers["adoption_zones"]["zone_id"]),
        "neighbourhood": set(layers["neighbourhoods"]["neighbourhood_id"]),
    }
    households = set(tables["households"]["household_id"])
    assert set(tables["households"]["building_id"]) == ids["building"]
    for _, d in tables["demands"].iterrows():
        assert d["place_id"] in ids[d["place_type"]]
        assert d["building_id"] == (d["place_id"] if d["place_type"] == "building" else "")
        assert d["reporter_household_id"] in households
    for _, p in tables["projects"].iterrows():
        assert p["site_id"] in ids[p["site_type"]]
        assert p["source_demand_id"] in set(tables["demands"]["demand_id"]) | {""}
    assert set(tables["ballots"]["household_id"]) <= households
    assert set(tables["ballots"]["vote_id"]) == set(tables["votes"]["vote_id"])
    assert set(tables["evaluations"]["household_id"]) - {""} <= households
    assert set(layers["buildings"]["grid_id"]) == set(layers["grids"]["grid_id"])


# --- geometry ------------------------------------------------------------------------------------


def test_geometries_valid_and_inside_community(layers: dict, community: BaseGeometry) -> None:
    assert community.is_valid
    # roads and landmarks may lie just outside (the city road, its bus stop, gates on the fence): as far as an
    # import keeps them
    around = gpd.GeoSeries([community], crs=4326).to_crs(AREA_CRS).buffer(WITHIN_MARGIN_M).to_crs(4326).iloc[0]
    for name in LAYER_NAMES:
        area = around if name in ("roads", "landmarks") else community
        for fid, geom in zip(layers[name][LAYERS[name].id_column], layers[name].geometry, strict=True):
            assert geom is not None and not geom.is_empty, f"{name} {fid}"
            assert geom.is_valid, f"{name} {fid}"
            assert area.covers(geom), f"{name} {fid} lies outside the community"


def test_the_way_in_roads_gates_and_landmarks(layers: dict, community: BaseGeometry) -> None:
    roads, landmarks = layers["roads"], layers["landmarks"]
    assert set(roads["kind"]) == set(ENUMS["road_kind"])
    assert set(landmarks["kind"]) == set(ENUMS["landmark_kind"]) - {"other"}
    assert roads["name"].isna().sum() == 3  # a road's name is optional
    metres = {n: layers[n].to_crs(AREA_CRS) for n in ("roads", "landmarks", "buildings", "community")}
    outline = metres["community"].geometry.iloc[0].boundary
    gates = metres["landmarks"][landmarks["kind"] == "gate"]
    assert len(gates) == 4 and (gates.distance(outline) < 0.1).all()  # on the fence
    footprints = metres["buildings"].union_all()
    assert not metres["roads"].intersects(footprints).any()  # no road runs through a building
    assert not metres["landmarks"].intersects(footprints).any()
    # every gate is where a road meets the fence
    assert all(metres["roads"].distance(g).min() < 0.1 for g in gates.geometry)


def test_grids_tile_neighbourhoods_and_neighbourhoods_tile_community(layers: dict, community: BaseGeometry) -> None:
    metres = {n: layers[n].to_crs(AREA_CRS) for n in ("neighbourhoods", "grids", "community")}
    for _, nb in metres["neighbourhoods"].iterrows():
        cells = metres["grids"].loc[lambda g, nb=nb: g["neighbourhood_id"] == nb["neighbourhood_id"]]
        assert len(cells) == 2
        assert cells.union_all().symmetric_difference(nb.geometry).area < 1.0  # m²
    union = metres["neighbourhoods"].union_all()
    assert union.symmetric_difference(metres["community"].geometry.iloc[0]).area < 1.0


def test_buildings_overlap_nothing(layers: dict[str, gpd.GeoDataFrame]) -> None:
    buildings = layers["buildings"].to_crs(AREA_CRS)
    others = pd.concat(
        [
            layers["idle_plots"].to_crs(AREA_CRS).assign(fid=lambda f: f["plot_id"]),
            layers["public_spaces"].to_crs(AREA_CRS).assign(fid=lambda f: f["space_id"]),
            layers["adoption_zones"].to_crs(AREA_CRS).assign(fid=lambda f: f["zone_id"]),
        ]
    )
    polygons = others.loc[others.geom_type == "Polygon", ["fid", "geometry"]]
    shapes = list(zip(buildings["building_id"], buildings.geometry, strict=True)) + list(
        zip(polygons["fid"], polygons.geometry, strict=True)
    )
    for i, (ka, a) in enumerate(shapes[: len(buildings)]):
        for kb, b in shapes[i + 1 :]:
            assert a.intersection(b).area < 0.01, f"{ka} overlaps {kb}"  # m²


def test_trees_and_lines_stay_out_of_buildings(layers: dict[str, gpd.GeoDataFrame]) -> None:
    footprints = layers["buildings"].union_all()
    trees = layers["adoption_zones"].loc[lambda z: z["zone_type"] == "tree"]
    walls = layers["public_spaces"].loc[lambda s: s.geom_type == "LineString"]
    for geom in [*trees.geometry, *walls.geometry]:
        assert not footprints.intersects(geom)


@pytest.mark.parametrize("name", ("buildings", "public_spaces", "idle_plots", "adoption_zones"))
def test_area_matches_projected_geometry(name: str, layers: dict[str, gpd.GeoDataFrame]) -> None:
    frame = layers[name]
    projected = frame.to_crs(AREA_CRS)
    for declared, geom, measured in zip(frame["area_m2"], frame.geometry, projected.area, strict=True):
        if isinstance(geom, Polygon):
            assert declared == pytest.approx(measured, rel=0.005)
            assert round(declared, 1) == declared
        else:
            assert declared is None or pd.isna(declared)


def test_idle_plot_sizes_and_uses(layers: dict[str, gpd.GeoDataFrame]) -> None:
    plots = layers["idle_plots"]
    assert plots["area_m2"].between(30, 400).all()
    idle = plots["status"] == "idle"
    assert (plots.loc[idle, "proposed_use"] == "").all()
    assert (plots.loc[~idle, "proposed_use"] != "").all()


def test_footprints_are_realistic_rectangles(layers: dict[str, gpd.GeoDataFrame]) -> None:
    for geom in layers["buildings"].to_crs(AREA_CRS).geometry:
        rect = geom.minimum_rotated_rectangle
        corners = list(rect.exterior.coords)
        sides = sorted(Point(a).distance(Point(b)) for a, b in zip(corners, corners[1:], strict=False))
        assert 11.9 <= sides[0] <= 15.1 and 29.9 <= sides[-1] <= 60.1, sides
        assert geom.area == pytest.approx(rect.area, rel=1e-3)  # a rectangle, not just any polygon


# --- the roster and personal data -------------------------------------------------------------


def test_personal_columns_are_obviously_fake_and_unique(tables: dict[str, pd.DataFrame]) -> None:
    h = tables["households"]
    names = h.loc[h["name"] != "", "name"]
    phones = h.loc[h["phone"] != "", "phone"]
    ids = h.loc[h["id_number"] != "", "id_number"]
    assert len(names) == len(phones) == len(ids) == (h["developer_unsold"] == "0").sum()
    assert names.str.contains("样").all() and names.is_unique
    assert phones.str.fullmatch(r"100-\d{4}-\d{4}").all() and phones.is_unique
    assert ids.str.fullmatch(r"000000\d{12}").all() and ids.is_unique
    hardship = (h["hardship_note"] != "").mean()
    assert 0.005 <= hardship <= 0.04


def test_roster_shares(tables: dict[str, pd.DataFrame]) -> None:
    h = tables["households"]
    assert h["room"].str.fullmatch(r"\d{3,4}").all()
    assert (h["room"].str[:-2] == h["floor"]).all()
    assert set(h[["is_owner", "developer_unsold", "publish_name_consent"]].stack()) == {"0", "1"}
    assert 0.80 <= (h["is_owner"] == "1").mean() <= 0.90
    assert 0.33 <= (h["publish_name_consent"] == "1").mean() <= 0.47
    assert 0.01 <= (h["registered_area_m2"] == "").mean() <= 0.05
    assert (h["contract_area_m2"] != "").all()
    registered = pd.to_numeric(h["registered_area_m2"].replace("", None))
    assert registered.dropna().between(60, 140).all()
    assert ((h["registered_area_m2"] == "") & (h["surveyed_area_m2"] != "")).any()
    unsold = h["developer_unsold"] == "1"
    assert 0.01 <= unsold.mean() <= 0.03
    assert (h.loc[unsold, "owner_key"] == "DEVELOPER").all() and (h.loc[unsold, "is_owner"] == "1").all()
    buyers = h.loc[~unsold, "owner_key"].value_counts()
    assert 0.02 <= (buyers == 2).mean() <= 0.04 and buyers.max() == 2


def test_public_name_only_with_consent(tables: dict[str, pd.DataFrame]) -> None:
    h = tables["households"]
    consent = h["publish_name_consent"] == "1"
    assert (h.loc[~consent, "public_name"] == "").all()
    assert h.loc[consent, "public_name"].str.fullmatch(r"\d+栋.\*\*").all()
    labels = h["building_id"].str[1:].astype(int).astype(str) + "栋"
    assert all(
        name.startswith(label) for name, label in zip(h.loc[consent, "public_name"], labels[consent], strict=True)
    )


# --- votes, ballots, evaluations -------------------------------------------------------------


def test_votes_as_specified(tables: dict[str, pd.DataFrame]) -> None:
    votes = tables["votes"].set_index("vote_id")
    assert json.loads(votes.loc["V01", "options"]) == ["口袋花园", "休闲座椅", "儿童游乐"]
    assert (votes.loc["V01", "rule"], votes.loc["V01", "scope_id"]) == ("plurality", "N1")
    assert json.loads(votes.loc["V02", "options"]) == ["赞成", "反对", "弃权"]
    assert (votes.loc["V02", "rule"], votes.loc["V02", "scope_type"]) == ("yes_no_abstain", "community")
    assert (votes.loc["V03", "rule"], votes.loc["V03", "electorate"]) == ("civil_code_278", "owners")
    assert (votes.loc["V03", "scope_type"], votes.loc["V03", "scope_id"]) == ("unit", "B05-2")
    assert (votes["opens_on"] < votes["closes_on"]).all()


def test_ballots_carry_exactly_the_documented_mess(tables: dict, layers: dict, manifest: dict) -> None:
    ballots = tables["ballots"]
    votes = tables["votes"].set_index("vote_id")
    households = tables["households"].set_index("household_id")
    nb_of = dict(zip(layers["buildings"]["building_id"], layers["buildings"]["neighbourhood_id"], strict=True))
    duplicates = set(ballots.loc[ballots.duplicated(["vote_id", "household_id"]), "ballot_id"])
    unknown = {
        b["ballot_id"]
        for _, b in ballots.iterrows()
        if b["choice"] not in json.loads(votes.loc[b["vote_id"], "options"])
    }
    v01 = ballots["vote_id"] == "V01"
    outside = set(
        ballots.loc[v01 & (ballots["household_id"].map(households["building_id"]).map(nb_of) != "N1"), "ballot_id"]
    )
    assert (len(duplicates), len(unknown), len(outside)) == (3, 2, 1)
    documented = {m["ballot_id"]: m["problem"] for m in manifest["messy_ballots"]}
    assert documented.keys() == duplicates | unknown | outside
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    assert all(bid in readme for bid in documented)
    assert "虚构" in readme and "fictional" in readme


def test_turnout_per_vote(tables: dict, layers: dict) -> None:
    ballots = tables["ballots"].drop_duplicates(["vote_id", "household_id"])
    h = tables["households"]
    living = h[h["developer_unsold"] == "0"]
    n1 = layers["buildings"].loc[lambda b: b["neighbourhood_id"] == "N1", "building_id"]
    counts = ballots["vote_id"].value_counts()
    assert counts["V01"] / living["building_id"].isin(n1).sum() == pytest.approx(0.6, abs=0.03)
    assert counts["V02"] / len(living) == pytest.approx(0.4, abs=0.03)
    owners = living[(living["building_id"] == "B05") & (living["unit"] == "2") & (living["is_owner"] == "1")]
    v03 = ballots.loc[ballots["vote_id"] == "V03", "household_id"]
    assert set(v03) <= set(owners["household_id"]) and len(v03) > len(owners) / 2
    assert set(ballots["channel"]) <= {"paper", "import", "jielong"}


def test_evaluations_pre_post_paired_and_improving(tables: dict[str, pd.DataFrame]) -> None:
    e = tables["evaluations"]
    assert set(e["project_id"]) == {"PJ01"} and set(e["phase"]) == {"pre", "post"}
    residents = e[e["evaluator_role"] == "resident"]
    others = e[e["evaluator_role"] != "resident"]
    assert (residents["household_id"] != "").all() and (others["household_id"] == "").all()
    assert 8 <= len(others) <= 12
    pre = residents[residents["phase"] == "pre"]
    post = residents[residents["phase"] == "post"]
    assert 110 <= len(pre) <= 130 and 90 <= len(post) <= 110
    assert len(set(pre["household_id"]) & set(post["household_id"])) >= 60
    items = ["q_overall", "q_safety", "q_greening", "q_facilities", "q_upkeep"]
    scores = e[items].astype(int)
    assert scores.isin(range(1, 6)).all().all()
    assert (scores[e["phase"] == "post"].mean() > scores[e["phase"] == "pre"].mean()).all()
    for _, row in e.iterrows():
        answers = json.loads(row["answers"])
        assert [answers[q] for q in items] == [int(row[q]) for q in items]
        assert answers.get("comment", "") == row["comment"]
    assert (e["comment"] == "<script>alert(1)</script>环境变好了").sum() == 1
    assert Counter(e["comment"] == "")[True] > 0
