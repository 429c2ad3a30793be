"""Tests for cogov_toolkit.core.coords: WGS-84 / GCJ-02 / BD-09 conversions.

Expected values are either published test vectors of the reference projects
(cited where they are used) or properties that need no stored output: round
trips, unchanged points outside China, scalar/array agreement.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from numpy.testing import assert_allclose, assert_array_equal
from shapely.geometry import Point, Polygon

from cogov_toolkit.core import coords
from cogov_toolkit.core.coords import (
    CoordSystem,
    bd09_to_gcj02,
    bd09_to_wgs84,
    from_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    to_wgs84,
    transform_geometry,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

#: metres per degree of latitude, for the local error estimate the brief asks for
M_PER_DEG = 111_320.0

# --- published reference vectors ---------------------------------------------------------
# All as (lon, lat) -> (lon, lat). eviltransform lists (lat, lng) pairs: swapped here.
WGS_TO_GCJ_VECTORS = [
    pytest.param(
        (120.0, 40.0),
        (120.00567568355486, 40.0013047896019),
        # sshuair/coord-convert README.md: "the result should be: 120.00567568355486 40.0013047896019"
        id="coord-convert-120-40",
    ),
    pytest.param(
        (121.5272106, 31.1774276),
        (121.531541859215, 31.17530398364597),
        # googollee/eviltransform python/test.py (also go/transform_test.go, c/test.c): shanghai
        id="eviltransform-shanghai",
    ),
    pytest.param(
        (113.912316, 22.543847),
        (113.9171764808363, 22.540796131694766),
        # googollee/eviltransform python/test.py: shenzhen
        id="eviltransform-shenzhen",
    ),
    pytest.param(
        (116.377817, 39.911954),
        (116.38404722455657, 39.91334545536069),
        # googollee/eviltransform python/test.py: beijing
        id="eviltransform-beijing",
    ),
    pytest.param(
        (116.404, 39.915),
        (116.41024449916938, 39.91640428150164),
        # wandergis/coordtransform README.md "wgs84togcj02"; wyxloading/coordtransform-rs tests/tests.rs
        id="coordtransform-beijing",
    ),
]

# Closed-form Baidu conversions and the composed WGS-84 -> BD-09, all for the input
# (116.404, 39.915): wandergis/coordtransform README.md ("//result" block) and
# wyxloading/coordtransform-rs tests/tests.rs (assert_eq! on the same numbers).
BD_VECTORS = [
    pytest.param(gcj02_to_bd09, (116.404, 39.915), (116.41036949371029, 39.92133699351021), id="gcj02tobd09"),
    pytest.param(bd09_to_gcj02, (116.404, 39.915), (116.39762729119315, 39.90865673957631), id="bd09togcj02"),
    pytest.param(wgs84_to_bd09, (116.404, 39.915), (116.41662724378733, 39.922699552216216), id="wgs84tobd09"),
]

# Published results of the *one-step* (approximate) inverses, for the input (116.404, 39.915):
# wandergis/coordtransform README.md "gcj02towgs84" and wyxloading/coordtransform-rs
# tests/tests.rs test_gcj02_wgs84 / test_bd09_to_wgs84. Ours are exact, so they differ slightly.
ONE_STEP_INVERSE_VECTORS = [
    pytest.param(gcj02_to_wgs84, wgs84_to_gcj02, (116.404, 39.915), (116.39775550083061, 39.91359571849836), id="gcj"),
    pytest.param(bd09_to_wgs84, wgs84_to_bd09, (116.404, 39.915), (116.3913836995125, 39.907253214522164), id="bd"),
]

ALL_FUNCS = [wgs84_to_gcj02, gcj02_to_wgs84, gcj02_to_bd09, bd09_to_gcj02, wgs84_to_bd09, bd09_to_wgs84]


def metres(lon_a, lat_a, lon_b, lat_b) -> np.ndarray:
    """Distance in metres between points, with a local equirectangular approximation."""
    lat_mid = np.radians((np.asarray(lat_a) + np.asarray(lat_b)) / 2.0)
    d_lon = (np.asarray(lon_a) - np.asarray(lon_b)) * M_PER_DEG * np.cos(lat_mid)
    d_lat = (np.asarray(lat_a) - np.asarray(lat_b)) * M_PER_DEG
    return np.hypot(d_lon, d_lat)


def points_in_china(n: int = 2000, seed: int = 20240501) -> tuple[np.ndarray, np.ndarray]:
    """Seeded random points spread over mainland China and Hainan (inside the reference box)."""
    rng = np.random.default_rng(seed)
    return rng.uniform(73.6, 134.7, n), rng.uniform(18.2, 53.5, n)


# --- reference vectors -----------------------------------------------------------------------
@pytest.mark.parametrize(("wgs", "gcj"), WGS_TO_GCJ_VECTORS)
def test_wgs84_to_gcj02_matches_published_vectors(wgs, gcj):
    lon, lat = wgs84_to_gcj02(*wgs)
    assert lon == pytest.approx(gcj[0], abs=1e-9)
    assert lat == pytest.approx(gcj[1], abs=1e-9)


@pytest.mark.parametrize(("wgs", "gcj"), WGS_TO_GCJ_VECTORS)
def test_gcj02_to_wgs84_recovers_published_wgs(wgs, gcj):
    # the published GCJ-02 values are forward results, so an exact inverse must
    # give back the WGS-84 input they were computed from
    lon, lat = gcj02_to_wgs84(*gcj)
    assert lon == pytest.approx(wgs[0], abs=1e-9)
    assert lat == pytest.approx(wgs[1], abs=1e-9)


@pytest.mark.parametrize(("func", "given", "expected"), BD_VECTORS)
def test_baidu_conversions_match_published_vectors(func, given, expected):
    lon, lat = func(*given)
    assert lon == pytest.approx(expected[0], abs=1e-9)
    assert lat == pytest.approx(expected[1], abs=1e-9)


def test_bd09_to_wgs84_recovers_published_wgs():
    # wgs84tobd09(116.404, 39.915) = (116.41662724378733, 39.922699552216216), see BD_VECTORS
    lon, lat = bd09_to_wgs84(116.41662724378733, 39.922699552216216)
    assert lon == pytest.approx(116.404, abs=1e-9)
    assert lat == pytest.approx(39.915, abs=1e-9)


@pytest.mark.parametrize(("inverse", "forward", "given", "published"), ONE_STEP_INVERSE_VECTORS)
def test_exact_inverse_beats_published_one_step_inverse(inverse, forward, given, published):
    lon, lat = inverse(*given)
    # close to the published approximation (eviltransform's own tests allow 5 m for it) ...
    assert metres(lon, lat, *published) < 2.0
    # ... but exact: the forward conversion of our result gives the input back,
    # which the published one-step result does not
    ours = metres(*forward(lon, lat), *given)
    theirs = metres(*forward(*published), *given)
    assert ours < 1e-4
    assert ours < theirs


# --- round trips ----------------------------------------------------------------------------
def test_gcj02_round_trip_is_sub_millimetre_across_china():
    lon, lat = points_in_china()
    back_lon, back_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    err = metres(back_lon, back_lat, lon, lat)
    assert err.max() < 0.5
    # the iteration stops at 1e-9 degrees (~0.1 mm), so the error is far smaller
    assert err.max() < 1e-3


def test_bd09_round_trip_is_sub_millimetre_across_china():
    lon, lat = points_in_china()
    back_lon, back_lat = bd09_to_wgs84(*wgs84_to_bd09(lon, lat))
    err = metres(back_lon, back_lat, lon, lat)
    assert err.max() < 0.5
    assert err.max() < 1e-3


def test_gcj02_to_wgs84_reproduces_input_under_forward_transform():
    # the defining property of the iteration: forward(inverse(g)) == g to the tolerance
    lon, lat = points_in_china(seed=7)
    w_lon, w_lat = gcj02_to_wgs84(lon, lat)
    f_lon, f_lat = wgs84_to_gcj02(w_lon, w_lat)
    assert np.abs(f_lon - lon).max() <= 1e-9
    assert np.abs(f_lat - lat).max() <= 1e-9


def test_gcj02_shift_is_hundreds_of_metres():
    # guards against a silently disabled shift (the round trips alone would pass then)
    lon, lat = points_in_china()
    shift = metres(*wgs84_to_gcj02(lon, lat), lon, lat)
    assert shift.min() > 1.0
    assert shift.max() < 1000.0


def test_closed_form_bd09_to_gcj02_precision_is_as_documented():
    lon, lat = points_in_china()
    back_lon, back_lat = bd09_to_gcj02(*gcj02_to_bd09(lon, lat))
    assert metres(back_lon, back_lat, lon, lat).max() < 0.3


# --- outside China ----------------------------------------------------------------------------
OUTSIDE = [
    pytest.param(2.3522, 48.8566, id="paris"),
    pytest.param(-74.006, 40.7128, id="new-york"),
    pytest.param(139.6917, 35.6895, id="tokyo-east-of-box"),
    pytest.param(151.2093, -33.8688, id="sydney"),
    pytest.param(72.0039, 39.0, id="just-west-of-box"),
    pytest.param(100.0, 55.8272, id="just-north-of-box"),
    pytest.param(110.0, 0.8292, id="just-south-of-box"),
    pytest.param(137.8348, 45.0, id="just-east-of-box"),
]


@pytest.mark.parametrize(("lon", "lat"), OUTSIDE)
@pytest.mark.parametrize("func", [wgs84_to_gcj02, gcj02_to_wgs84])
def test_points_outside_china_are_not_gcj_shifted(func, lon, lat):
    assert func(lon, lat) == (lon, lat)


def test_outside_points_unchanged_inside_points_shifted_in_one_array():
    lon = np.array([2.3522, 116.404, -74.006, 121.4737])
    lat = np.array([48.8566, 39.915, 40.7128, 31.2304])
    for func in (wgs84_to_gcj02, gcj02_to_wgs84):
        new_lon, new_lat = func(lon, lat)
        assert_array_equal(new_lon[[0, 2]], lon[[0, 2]])
        assert_array_equal(new_lat[[0, 2]], lat[[0, 2]])
        assert np.all(metres(new_lon[[1, 3]], new_lat[[1, 3]], lon[[1, 3]], lat[[1, 3]]) > 1.0)


def test_wgs84_bd09_round_trip_outside_china():
    # only the GCJ shift stops at the box; the Baidu offset still applies and inverts
    back = bd09_to_wgs84(*wgs84_to_bd09(2.3522, 48.8566))
    assert back == pytest.approx((2.3522, 48.8566), abs=1e-9)


# --- scalars, arrays, shapes ---------------------------------------------------------------------
@pytest.mark.parametrize("func", ALL_FUNCS, ids=lambda f: f.__name__)
def test_scalar_input_gives_python_floats(func):
    lon, lat = func(116.404, 39.915)
    assert type(lon) is float
    assert type(lat) is float
    # numpy scalars and ints count as scalars too
    assert func(np.float64(116.404), np.float64(39.915)) == (lon, lat)
    assert all(type(v) is float for v in func(116, 40))


@pytest.mark.parametrize("func", ALL_FUNCS, ids=lambda f: f.__name__)
def test_scalar_and_array_input_give_the_same_numbers(func):
    lon, lat = points_in_china(50, seed=3)
    arr_lon, arr_lat = func(lon, lat)
    one_by_one = np.array([func(x, y) for x, y in zip(lon, lat, strict=True)])
    assert_allclose(arr_lon, one_by_one[:, 0], rtol=0, atol=1e-12)
    assert_allclose(arr_lat, one_by_one[:, 1], rtol=0, atol=1e-12)


@pytest.mark.parametrize("shape", [(0,), (1,), (7,), (2, 3), (2, 1, 4)])
@pytest.mark.parametrize("func", ALL_FUNCS, ids=lambda f: f.__name__)
def test_array_shapes_are_preserved(func, shape):
    size = math.prod(shape)
    lon, lat = points_in_china(size, seed=11)
    lon, lat = lon.reshape(shape), lat.reshape(shape)
    new_lon, new_lat = func(lon, lat)
    assert isinstance(new_lon, np.ndarray)
    assert isinstance(new_lat, np.ndarray)
    assert new_lon.shape == shape
    assert new_lat.shape == shape
    assert new_lon.dtype == np.float64


@pytest.mark.parametrize("func", ALL_FUNCS, ids=lambda f: f.__name__)
def test_lists_and_broadcasting(func):
    lon_list = [116.404, 121.4737, 113.2644]
    lat_list = [39.915, 31.2304, 23.1291]
    from_lists = func(lon_list, lat_list)
    from_arrays = func(np.array(lon_list), np.array(lat_list))
    assert_array_equal(from_lists[0], from_arrays[0])
    assert_array_equal(from_lists[1], from_arrays[1])
    # a scalar latitude broadcasts against an array of longitudes
    b_lon, b_lat = func(np.array([116.40, 116.41]), 39.915)
    assert b_lon.shape == b_lat.shape == (2,)
    assert b_lon[0] == pytest.approx(func(116.40, 39.915)[0], abs=1e-12)


@pytest.mark.parametrize("func", ALL_FUNCS, ids=lambda f: f.__name__)
def test_input_arrays_are_not_modified(func):
    lon, lat = points_in_china(20, seed=5)
    lon_before, lat_before = lon.copy(), lat.copy()
    new_lon, _ = func(lon, lat)
    assert_array_equal(lon, lon_before)
    assert_array_equal(lat, lat_before)
    assert not np.shares_memory(new_lon, lon)


@pytest.mark.parametrize("func", ALL_FUNCS, ids=lambda f: f.__name__)
def test_nan_points_stay_nan_without_disturbing_others(func):
    new_lon, new_lat = func(np.array([np.nan, 116.404]), np.array([np.nan, 39.915]))
    assert np.isnan(new_lon[0]) and np.isnan(new_lat[0])
    assert new_lon[1] == pytest.approx(func(116.404, 39.915)[0], abs=1e-12)


# --- dispatch ------------------------------------------------------------------------------------------
def test_coord_system_values():
    assert [s.value for s in CoordSystem] == ["wgs84", "gcj02", "bd09"]
    assert CoordSystem.GCJ02 == "gcj02"
    assert CoordSystem("bd09") is CoordSystem.BD09


@pytest.mark.parametrize(
    ("system", "inverse", "forward"),
    [
        (CoordSystem.GCJ02, gcj02_to_wgs84, wgs84_to_gcj02),
        ("gcj02", gcj02_to_wgs84, wgs84_to_gcj02),
        (CoordSystem.BD09, bd09_to_wgs84, wgs84_to_bd09),
        ("bd09", bd09_to_wgs84, wgs84_to_bd09),
        ("BD09", bd09_to_wgs84, wgs84_to_bd09),
    ],
)
def test_to_and_from_wgs84_dispatch(system, inverse, forward):
    lon, lat = points_in_china(10, seed=9)
    assert_array_equal(to_wgs84(lon, lat, system)[0], inverse(lon, lat)[0])
    assert_array_equal(to_wgs84(lon, lat, system)[1], inverse(lon, lat)[1])
    assert_array_equal(from_wgs84(lon, lat, system)[0], forward(lon, lat)[0])
    assert_array_equal(from_wgs84(lon, lat, system)[1], forward(lon, lat)[1])
    assert to_wgs84(116.404, 39.915, system) == inverse(116.404, 39.915)


@pytest.mark.parametrize("system", [CoordSystem.WGS84, "wgs84"])
def test_wgs84_dispatch_is_identity(system):
    lon, lat = points_in_china(10, seed=13)
    for func in (to_wgs84, from_wgs84):
        new_lon, new_lat = func(lon, lat, system)
        assert_array_equal(new_lon, lon)
        assert_array_equal(new_lat, lat)
        assert not np.shares_memory(new_lon, lon)
        assert func(116.404, 39.915, system) == (116.404, 39.915)


@pytest.mark.parametrize("system", list(CoordSystem))
def test_from_then_to_wgs84_round_trip(system):
    lon, lat = points_in_china(200, seed=17)
    back_lon, back_lat = to_wgs84(*from_wgs84(lon, lat, system), system)
    assert metres(back_lon, back_lat, lon, lat).max() < 1e-3


@pytest.mark.parametrize("bad", ["epsg:4326", "", "gcj-02", None, 4326])
@pytest.mark.parametrize("func", [to_wgs84, from_wgs84])
def test_unknown_system_raises_value_error_listing_valid_ones(func, bad):
    with pytest.raises(ValueError, match="unknown coordinate system") as info:
        func(116.404, 39.915, bad)
    for valid in ("wgs84", "gcj02", "bd09"):
        assert valid in str(info.value)


# --- geometries ---------------------------------------------------------------------------------------
def test_transform_geometry_point():
    point = Point(116.404, 39.915)
    moved = transform_geometry(point, wgs84_to_gcj02)
    assert isinstance(moved, Point)
    assert (moved.x, moved.y) == pytest.approx((116.41024449916938, 39.91640428150164), abs=1e-9)
    # the input geometry is left as it was
    assert (point.x, point.y) == (116.404, 39.915)


def test_transform_geometry_polygon_with_hole():
    shell = [(116.40, 39.91), (116.41, 39.91), (116.41, 39.92), (116.40, 39.92), (116.40, 39.91)]
    hole = [(116.403, 39.913), (116.406, 39.913), (116.406, 39.916), (116.403, 39.913)]
    polygon = Polygon(shell, [hole])
    moved = transform_geometry(polygon, gcj02_to_wgs84)
    assert isinstance(moved, Polygon)
    assert len(moved.interiors) == 1
    expected_shell = np.column_stack(gcj02_to_wgs84(*np.array(shell).T))
    expected_hole = np.column_stack(gcj02_to_wgs84(*np.array(hole).T))
    assert_allclose(np.asarray(moved.exterior.coords), expected_shell, rtol=0, atol=1e-12)
    assert_allclose(np.asarray(moved.interiors[0].coords), expected_hole, rtol=0, atol=1e-12)
    assert moved.is_valid
    # a round trip gives the same polygon back
    back = transform_geometry(moved, wgs84_to_gcj02)
    assert_allclose(np.asarray(back.exterior.coords), np.array(shell), rtol=0, atol=1e-9)


def test_transform_geometry_array_of_geometries():
    geoms = np.array([Point(116.404, 39.915), None, Point(2.3522, 48.8566)], dtype=object)
    moved = transform_geometry(geoms, wgs84_to_gcj02)
    assert isinstance(moved, np.ndarray)
    assert moved.shape == (3,)
    assert moved[1] is None
    assert (moved[0].x, moved[0].y) == pytest.approx((116.41024449916938, 39.91640428150164), abs=1e-9)
    assert (moved[2].x, moved[2].y) == (2.3522, 48.8566)


def test_transform_geometry_empty_geometry():
    assert transform_geometry(Polygon(), wgs84_to_gcj02).is_empty


@pytest.mark.skipif(coords._INCLUDE_Z is not None, reason="keeping Z needs shapely >= 2.1")
def test_transform_geometry_keeps_z():
    moved = transform_geometry(Point(116.404, 39.915, 52.0), wgs84_to_gcj02)
    assert shapely.has_z(moved)
    assert moved.z == 52.0
    assert (moved.x, moved.y) == pytest.approx(wgs84_to_gcj02(116.404, 39.915), abs=1e-12)
    assert not shapely.has_z(transform_geometry(Point(116.404, 39.915), wgs84_to_gcj02))
