"""Importing a DXF site plan and placing plans on the map (cogov_toolkit.io.cad).

The fixture (``tests/data/make_cad_fixture.py``) is the sample community's buildings drawn in
local plan coordinates by a known transform, with the WGS-84 truth of every building corner.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pyproj
import pytest

from cogov_toolkit.core.coords import wgs84_to_gcj02
from cogov_toolkit.core.georef import Method
from cogov_toolkit.errors import CogovError, CRSError, InputError
from cogov_toolkit.io.cad import (
    CadImport,
    ControlPoints,
    DeclaredCRS,
    image_bounds_for,
    import_dxf,
    list_cad_layers,
    place_by_control_points,
)

CAD = Path(__file__).resolve().parents[1] / "data" / "cad"
LOCAL = CAD / "site_plan_local.dxf"
GK_FILE = CAD / "site_plan_gk.dxf"
TRUTH: dict[str, Any] = json.loads((CAD / "truth.json").read_text(encoding="utf-8"))
CORNERS = {(c["building_id"], c["corner"]): c for c in TRUTH["corners"]}
# four control corners spread over the site, three check corners elsewhere (not used for the fit)
CONTROL = [("B01", 0), ("B10", 2), ("B30", 1), ("B40", 3)]
CHECK = [("B05", 1), ("B20", 0), ("B35", 2)]
# a planner's clicks on the map are off by a few decimetres (east, north in metres)
CLICK_ERRORS = [(0.25, -0.1), (-0.2, 0.2), (0.1, 0.3), (-0.3, -0.15)]
ROLES = {"建筑": "buildings", "道路": "roads", "绿化": "green_space"}
TO_GK = pyproj.Transformer.from_crs("EPSG:4326", TRUTH["crs"], always_xy=True)


def _gk(lon: Any, lat: Any) -> np.ndarray:
    return np.column_stack(TO_GK.transform(np.asarray(lon), np.asarray(lat)))


def _clicked(corner: tuple[str, int], error: tuple[float, float]) -> tuple[float, float]:
    """Return the map position a planner clicks for ``corner``: the truth moved by ``error`` metres."""
    x, y = _gk(*CORNERS[corner]["lonlat"])[0] + error
    lon, lat = TO_GK.transform(x, y, direction="INVERSE")
    return float(lon), float(lat)


def _control_points(moved: int | None = None, method: Method = Method.SIMILARITY) -> ControlPoints:
    pairs = []
    for i, (corner, error) in enumerate(zip(CONTROL, CLICK_ERRORS, strict=True)):
        if i == moved:
            error = (error[0] + 12.0, error[1] + 16.0)  # 20 m off
        pairs.append((tuple(CORNERS[corner]["plan"]), _clicked(corner, error)))
    return ControlPoints(pairs, method=method)


@pytest.fixture(name="placed", scope="module")
def fixture_placed() -> CadImport:
    return import_dxf(LOCAL, ROLES, _control_points())


def test_lists_the_cad_layers_with_counts_and_types() -> None:
    layers = {layer.name: layer for layer in list_cad_layers(LOCAL)}
    assert set(layers) == {"建筑", "道路", "绿化", "标注"}  # GBK layer names read back as Chinese
    assert layers["建筑"].count == 41  # 40 building outlines and one open polyline
    assert layers["标注"].geometry_types == ("Point",)
    assert layers["道路"].geometry_types == ("LineString",)


def test_four_control_points_place_check_points_within_half_a_metre(placed: CadImport) -> None:
    assert _check_errors(placed).max() < 0.5
    assert placed.placement.fit.flagged == ()
    assert 0 < placed.placement.fit.rms < 0.5


def _check_errors(placed: CadImport) -> np.ndarray:
    """Return the distances (m) between the placed check corners and their truth."""
    assert placed.placement is not None
    plan = np.array([CORNERS[c]["plan"] for c in CHECK])
    lon, lat = placed.placement.to_wgs84(plan[:, 0], plan[:, 1])
    truth = np.array([CORNERS[c]["lonlat"] for c in CHECK])
    return np.hypot(*(_gk(lon, lat) - _gk(truth[:, 0], truth[:, 1])).T)


def test_control_points_picked_on_a_gaode_map_are_converted_first() -> None:
    wgs = _control_points()
    gcj = [(plan, tuple(map(float, wgs84_to_gcj02(*lonlat)))) for plan, lonlat in wgs.pairs]
    placed = import_dxf(LOCAL, {"建筑": "buildings"}, ControlPoints(gcj, map_system="gcj02"))
    assert _check_errors(placed).max() < 0.5
    # the same points taken as WGS-84 put the plan hundreds of metres off: the setting matters
    shifted = import_dxf(LOCAL, {"建筑": "buildings"}, ControlPoints(gcj))
    assert _check_errors(shifted).min() > 100


def test_imported_buildings_land_on_their_true_outlines(placed: CadImport) -> None:
    buildings = placed.layers["buildings"]
    assert len(buildings) == 40 and set(buildings.geom_type) == {"Polygon"}
    assert buildings.crs.to_epsg() == 4326
    truth = {}
    for (building, _), corner in CORNERS.items():
        truth.setdefault(building, []).append(corner["lonlat"])
    worst = 0.0
    for geometry in buildings.geometry:
        drawn = _gk(*np.asarray(geometry.exterior.coords)[:-1].T)
        # match each placed outline to the truth building whose first corner is nearest
        nearest = min(truth.values(), key=lambda ring: np.hypot(*(_gk(*np.asarray(ring).T)[0] - drawn[0])))
        worst = max(worst, float(np.hypot(*(drawn - _gk(*np.asarray(nearest).T)).T).max()))
    assert worst < 0.5


def test_roles_shape_the_entities(placed: CadImport) -> None:
    assert placed.left_out == {"buildings": 1, "roads": 0, "green_space": 0}  # the open polyline
    assert set(placed.layers["roads"].geom_type) == {"LineString"}
    assert set(placed.layers["green_space"].geom_type) == {"Polygon"}
    assert set(placed.layers) == {"buildings", "roads", "green_space"}  # 标注 was not asked for


@pytest.mark.parametrize("moved", range(4))
def test_a_control_point_moved_20_m_is_flagged_alone(moved: int) -> None:
    placement = place_by_control_points(_control_points(moved))
    assert placement.fit.flagged == (moved,)
    assert placement.fit.check_residuals[moved] > 15


def test_declared_crs_places_a_gk_plan() -> None:
    placed = import_dxf(GK_FILE, {"建筑": "buildings"}, DeclaredCRS("EPSG:4548"))
    assert placed.placement is None and placed.declared_crs == "EPSG:4548"
    first = placed.layers["buildings"].geometry.iloc[0]
    drawn = _gk(*np.asarray(first.exterior.coords)[:-1].T)
    truth = _gk(*np.array([CORNERS[("B01", i)]["lonlat"] for i in range(len(drawn))]).T)
    assert np.hypot(*(drawn - truth).T).max() < 0.05


def test_declared_crs_on_a_local_plan_says_it_lands_outside_china() -> None:
    with pytest.raises(CRSError) as caught:
        import_dxf(LOCAL, {"建筑": "buildings"}, DeclaredCRS("EPSG:4548"))
    assert caught.value.reason == "cad.crs_outside_china"
    assert "site_plan_local.dxf" in str(caught.value) and "控制点" in str(caught.value)


def test_an_unknown_layer_names_the_file_and_the_layers_it_has() -> None:
    with pytest.raises(InputError) as caught:
        import_dxf(LOCAL, {"房屋": "buildings"}, _control_points())
    message = str(caught.value)
    assert caught.value.reason == "cad.unknown_layer"
    assert "site_plan_local.dxf" in message and "房屋" in message and "建筑" in message


def test_an_unknown_role_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        import_dxf(LOCAL, {"建筑": "houses"}, _control_points())
    assert caught.value.reason == "cad.unknown_role"


def test_a_broken_or_missing_file_is_one_located_error(tmp_path: Path) -> None:
    broken = tmp_path / "总平面图.dxf"
    broken.write_bytes(b"\x00\x01 not a drawing")
    with pytest.raises(CogovError) as caught:
        list_cad_layers(broken)
    assert caught.value.reason == "cad.unreadable" and "总平面图.dxf" in str(caught.value)
    with pytest.raises(InputError) as missing:
        list_cad_layers(tmp_path / "nowhere.dxf")
    assert missing.value.reason == "import.file_not_found"


def test_image_corners_from_pixel_control_points() -> None:
    # a north-up scan at 0.5 m per pixel whose top-left pixel sits at a known GK point
    x0, y0 = _gk(*CORNERS[("B01", 0)]["lonlat"])[0] - (150.0, -120.0)
    width, height = 1200, 900

    def lonlat(col: float, row: float) -> tuple[float, float]:
        lon, lat = TO_GK.transform(x0 + 0.5 * col, y0 - 0.5 * row, direction="INVERSE")
        return float(lon), float(lat)

    pixels = [(100.0, 80.0), (1100.0, 60.0), (1050.0, 850.0), (90.0, 820.0)]
    points = ControlPoints([(p, lonlat(*p)) for p in pixels], plan_y_down=True)
    corners = image_bounds_for(points, width, height)
    expected = {
        "top_left": (0, 0),
        "top_right": (width, 0),
        "bottom_right": (width, height),
        "bottom_left": (0, height),
    }
    for name, pixel in expected.items():
        got = _gk(*getattr(corners, name))[0]
        want = _gk(*lonlat(*pixel))[0]
        assert np.hypot(*(got - want)) < 0.05, name
    assert abs(corners.rotation_deg) < 0.01
    (south, west), (north, east) = corners.bounds
    assert south < north and west < east
    # the axis-aligned envelope is a few metres off the turned corners (GK grid vs meridians), no more
    envelope_nw = _gk(west, north)[0]
    assert 0 < np.hypot(*(envelope_nw - _gk(*corners.top_left)[0])) < 5


def test_the_flag_rule_finds_the_moved_point_where_simple_rules_would_not() -> None:
    # on this site a 20 m slip of corner 0 leaves corner 1 with the larger plain residual, and a
    # slip of corner 1 leaves corner 0 with the larger leave-one-out residual; the rule still picks right
    slip0 = place_by_control_points(_control_points(0)).fit
    assert int(np.argmax(slip0.residuals)) != 0 and slip0.flagged == (0,)
    slip1 = place_by_control_points(_control_points(1)).fit
    assert int(np.argmax(slip1.check_residuals)) != 1 and slip1.flagged == (1,)
