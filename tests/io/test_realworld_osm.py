"""OpenStreetMap buildings of Wuhan (光谷), cut by vector tiles into pieces that share an OSM id.

``wuhan_osm_tiles.geojson`` holds 12 tiles' layers; a planner takes the buildings layer's
polygons out of it (in QGIS, or as below) and imports them as outlines.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

from cogov_toolkit.errors import ValidationError
from cogov_toolkit.io.gis import read_layer
from cogov_toolkit.storage import Workspace
from cogov_toolkit.workflows.imports import import_layer
from cogov_toolkit.workflows.maps import interactive_map
from tests.io.realworld import corpus


@pytest.fixture(name="buildings_file")
def fixture_buildings_file(tmp_path: Path) -> Path:
    data = json.loads(corpus("osm_wuhan", "wuhan_osm_tiles.geojson").read_text(encoding="utf-8"))
    polygons = [
        f for f in data["features"] if f["properties"]["layer"] == "buildings" and f["geometry"]["type"] == "Polygon"
    ]
    assert (len(polygons), len({f["properties"]["id"] for f in polygons})) == (265, 237)  # as read off the file
    path = tmp_path / "光谷建筑.geojson"
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": polygons}, ensure_ascii=False), encoding="utf-8"
    )
    return path


def test_pieces_of_one_building_come_back_whole(buildings_file: Path) -> None:
    layer = read_layer(buildings_file, "buildings", outlines=True)
    frame = layer.frame
    assert len(frame) == 237 and frame["building_id"].is_unique
    assert any("28 个编号的图形被切成了几块" in str(w) for w in layer.warnings)
    # 98965867 (光谷資本大廈) came in two tile pieces: one polygon now, as large as both together
    data = json.loads(buildings_file.read_text(encoding="utf-8"))
    pieces = [shape(f["geometry"]) for f in data["features"] if f["properties"]["id"] == 98965867]
    whole = frame.loc[frame["building_id"] == "98965867"].geometry.iloc[0]
    assert len(pieces) == 2 and whole.geom_type == "MultiPolygon" and len(whole.geoms) == 1
    assert abs(whole.area - shapely.union_all(pieces).area) < 1e-12
    assert frame.loc[frame["building_id"] == "98965867", "label"].iloc[0] == "光谷資本大廈"
    assert frame["households"].isna().all()  # left for the roster, never made up
    assert "name" not in layer.personal.columns  # a building's name is no person's


def test_without_outlines_the_missing_roster_columns_are_said(buildings_file: Path) -> None:
    with pytest.raises(Exception) as info:
        read_layer(buildings_file, "buildings")
    assert "户数" in str(info.value)


def test_separate_shapes_sharing_an_id_stay_a_duplicate_id_error(tmp_path: Path) -> None:
    far = {"type": "Polygon", "coordinates": [[[114.39, 30.50], [114.391, 30.50], [114.391, 30.501], [114.39, 30.50]]]}
    other = {
        "type": "Polygon",
        "coordinates": [[[114.40, 30.51], [114.401, 30.51], [114.401, 30.511], [114.40, 30.51]]],
    }
    features = [{"type": "Feature", "properties": {"id": 7}, "geometry": g} for g in (far, other)]
    path = tmp_path / "two.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_layer(path, "buildings", outlines=True)
    assert [p.reason for p in info.value.problems] == ["import.duplicate_key"]


def test_the_buildings_draw_on_the_offline_map(empty: Workspace, buildings_file: Path) -> None:
    report = import_layer(empty, buildings_file, "buildings", outlines=True)
    assert report.count == 237
    # the map classes buildings by 网格: the roster's step gives them one (here all in G1), then they draw
    frame = empty.read_layer("buildings").drop(columns="fid")
    frame["grid_id"] = "G1"
    empty.write_layer("buildings", frame)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        html = interactive_map(empty).get_root().render()
    assert "光谷資本大廈" in html
    assert "tile.openstreetmap" not in html and "webrd" not in html  # offline: no basemap unless asked


def test_the_roads_of_the_tiles_come_back_whole_by_kind() -> None:
    # the same 12 tiles' roads layer: 374 pieces of 216 ways, 36 of them rail or under construction
    layer = read_layer(corpus("osm_wuhan", "wuhan_osm_tiles.geojson"), "roads")
    frame = layer.frame
    assert len(frame) == 210 and frame["road_id"].is_unique
    assert frame["kind"].value_counts().to_dict() == {"internal": 81, "footpath": 75, "city_road": 54}
    notes = [str(w) for w in layer.warnings]
    assert any("kind=rail/subway 23" in n and "kind=construction/secondary 13" in n for n in notes)
    assert any("82 条道路被切成了几段" in n for n in notes)
    # 鲁磨路 (secondary, one way per carriageway) is a 市政道路, each way one feature, each piece joined
    lumo = frame[frame["name"] == "鲁磨路"]
    assert len(lumo) == 4 and set(lumo["kind"]) == {"city_road"}
    assert frame.geometry.geom_type.eq("MultiLineString").all() and frame.geometry.is_valid.all()
