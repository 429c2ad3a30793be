"""Acceptance (issue 7): a KMZ and a GCJ-02 point list import to within 1 m of their WGS-84 truth.

The fixtures in ``tests/data/places/`` are written by ``make_places.py`` there
from the sample community's true positions (``data/sample/adoption_zones.geojson``);
this test compares what the importer makes of them with that truth.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyproj
import pytest
import shapely
from shapely.geometry import shape

from cogov_toolkit.demo.sample import sample_data_dir
from cogov_toolkit.io.gis import ImportedLayer, read_layer

ROOT = Path(__file__).resolve().parents[2]
PLACES = ROOT / "tests" / "data" / "places"
TRUTH_FILE = sample_data_dir() / "adoption_zones.geojson"
GEOD = pyproj.Geod(ellps="WGS84")
TOLERANCE_M = 1.0


@pytest.fixture(name="truth", scope="module")
def fixture_truth() -> dict[str, dict[str, Any]]:
    """zone_id -> {"geometry": shapely geometry, **properties} of the sample's adoption spots."""
    features = json.loads(TRUTH_FILE.read_text(encoding="utf-8"))["features"]
    return {f["properties"]["zone_id"]: {**f["properties"], "geometry": shape(f["geometry"])} for f in features}


def worst_offset_m(found: shapely.Geometry, expected: shapely.Geometry) -> float:
    """The largest distance in metres between matching vertices of two shapes of the same make-up."""
    a = shapely.get_coordinates(found)
    b = shapely.get_coordinates(expected)
    assert a.shape == b.shape, (found.wkt, expected.wkt)
    metres = [GEOD.inv(float(x1), float(y1), float(x2), float(y2))[2] for (x1, y1), (x2, y2) in zip(a, b, strict=True)]
    return max(metres)


def offsets(layer: ImportedLayer, truth: dict[str, dict[str, Any]]) -> dict[str, float]:
    frame = layer.frame
    return {
        zid: worst_offset_m(g, truth[zid]["geometry"]) for zid, g in zip(frame["zone_id"], frame.geometry, strict=True)
    }


def test_the_offset_measure_sees_a_shift_of_a_few_metres(truth: dict[str, dict[str, Any]]) -> None:
    point = truth["A01"]["geometry"]
    moved = shapely.Point(point.x + 0.00003, point.y)  # about 3 m east at this latitude
    assert 2.5 < worst_offset_m(moved, point) < 3.5


def test_kmz_from_a_phone_map_app_lands_within_a_metre(truth: dict[str, dict[str, Any]]) -> None:
    layer = read_layer(PLACES / "sample_sites.kmz", "adoption_zones")
    frame = layer.frame
    assert frame.crs.to_epsg() == 4326
    assert sorted(frame["zone_id"]) == sorted(truth)  # every spot, points and polygons
    assert set(frame.geometry.geom_type) == {"Point", "Polygon"}
    worst = offsets(layer, truth)
    assert max(worst.values()) < TOLERANCE_M, {k: v for k, v in worst.items() if v >= TOLERANCE_M}
    for row in frame.itertuples():
        expected = truth[row.zone_id]
        assert (row.name, row.zone_type, row.status, row.number) == (
            expected["name"],
            expected["zone_type"],
            expected["status"],
            expected["number"],
        )


def test_gcj02_point_list_lands_within_a_metre_once_converted(truth: dict[str, dict[str, Any]]) -> None:
    layer = read_layer(PLACES / "sample_points_gcj02.csv", "adoption_zones", coord_system="gcj02")
    points = {zid for zid, t in truth.items() if t["geometry"].geom_type == "Point"}
    assert sorted(layer.frame["zone_id"]) == sorted(points)
    worst = offsets(layer, truth)
    assert max(worst.values()) < TOLERANCE_M, {k: v for k, v in worst.items() if v >= TOLERANCE_M}


def test_the_same_list_read_as_wgs84_is_hundreds_of_metres_off(truth: dict[str, dict[str, Any]]) -> None:
    """The fixture really is shifted: without the conversion the 1 m test would fail."""
    layer = read_layer(PLACES / "sample_points_gcj02.csv", "adoption_zones")
    assert min(offsets(layer, truth).values()) > 100
