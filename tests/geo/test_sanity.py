"""Geometry sanity: unambiguous repairs, refusals, and the look-at list (cogov_toolkit.geo.sanity)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely

from cogov_toolkit import i18n
from cogov_toolkit.demo.sample import sample_data_dir
from cogov_toolkit.geo.sanity import (
    AreaBounds,
    Issue,
    RepairOutcome,
    check_sites,
    repair_polygon,
)

SAMPLE = sample_data_dir()
GK = "EPSG:4548"  # the sample community's CGCS2000 zone (central meridian 117E)
TO_GK = pyproj.Transformer.from_crs("EPSG:4326", GK, always_xy=True)
BOW_TIE = shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
# the same corner clicked twice, not in a row: the outline touches itself at (5, 5)
SELF_TOUCHING = shapely.Polygon([(0, 0), (10, 0), (5, 5), (10, 10), (0, 10), (5, 5)])
REPEATED_CORNER = shapely.Polygon([(0, 0), (10, 0), (10, 0), (10, 10), (0, 10)])
SPIKE = shapely.Polygon([(0, 0), (10, 0), (10, 5), (20, 5), (10, 5), (10, 10), (0, 10)])


@pytest.fixture(name="sample", scope="module")
def fixture_sample() -> dict[str, gpd.GeoDataFrame]:
    return {name: gpd.read_file(SAMPLE / f"{name}.geojson") for name in ("idle_plots", "buildings", "community")}


def _square(lon: float, lat: float, side_m: float) -> shapely.Polygon:
    """Return a WGS-84 square of ``side_m`` metres (in the GK zone) centred on lon, lat."""
    x, y = TO_GK.transform(lon, lat)
    square = shapely.box(x - side_m / 2, y - side_m / 2, x + side_m / 2, y + side_m / 2)
    return shapely.transform(square, lambda c: np.column_stack(TO_GK.transform(*c.T, direction="INVERSE")))


def test_a_valid_polygon_is_left_alone() -> None:
    square = shapely.box(0, 0, 10, 10)
    repair = repair_polygon(square)
    assert repair.outcome is RepairOutcome.VALID and repair.geometry.equals(square) and repair.message() == ""


def test_a_bow_tie_is_refused_with_the_reason() -> None:
    repair = repair_polygon(BOW_TIE)
    assert repair.outcome is RepairOutcome.REFUSED and repair.geometry is None
    assert repair.reason == "self_intersection" and "Self-intersection" in repair.detail
    assert "自相交" in repair.message()


def test_a_lopsided_bow_tie_is_refused_too() -> None:
    repair = repair_polygon(shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 20)]))
    assert repair.outcome is RepairOutcome.REFUSED


def test_a_self_touching_outline_is_repaired_keeping_its_area() -> None:
    repair = repair_polygon(SELF_TOUCHING)
    assert repair.outcome is RepairOutcome.REPAIRED and repair.reason == "ring_self_intersection"
    assert repair.geometry.is_valid and repair.geometry.area == pytest.approx(SELF_TOUCHING.area)


def test_a_repeated_corner_is_removed_and_said_so() -> None:
    assert REPEATED_CORNER.is_valid  # GEOS accepts it; the toolkit still cleans it
    repair = repair_polygon(REPEATED_CORNER)
    assert repair.outcome is RepairOutcome.REPAIRED and repair.reason == "repeated_points"
    assert shapely.get_num_coordinates(repair.geometry) == 5
    assert "重复" in repair.message()


def test_a_zero_area_spike_is_cut_off() -> None:
    repair = repair_polygon(SPIKE)
    assert repair.outcome is RepairOutcome.REPAIRED and repair.reason == "spike_removed"
    assert repair.geometry.equals(shapely.box(0, 0, 10, 10))


def test_the_untouched_sample_needs_no_look(sample: dict[str, gpd.GeoDataFrame]) -> None:
    for kind in ("idle_plots", "public_spaces", "adoption_zones"):
        sites = gpd.read_file(SAMPLE / f"{kind}.geojson")
        report = check_sites(sites, kind, boundary=sample["community"], buildings=sample["buildings"])
        assert report.ok, report.lines()
        assert report.lines() == [f"检查了 {len(sites)} 处，没有发现问题。"]


@pytest.fixture(name="planted", scope="module")
def fixture_planted(sample: dict[str, gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """The sample's idle plots with five planted problems (P01…P05), the others untouched."""
    plots = sample["idle_plots"].copy()
    west, south, east, north = sample["community"].total_bounds
    building = sample["buildings"].geometry.iloc[0].centroid
    lon, lat = plots.geometry.iloc[5].centroid.coords[0]
    plots.loc[0, "geometry"] = _square(east + 0.001, (south + north) / 2, 20)  # wholly outside
    plots.loc[1, "geometry"] = _square(building.x, building.y, 8)  # on building B01
    plots.loc[2, "geometry"] = _square(lon, lat, 1)  # 1 m²
    plots.loc[3, "geometry"] = _square(lon, lat, 100)  # 10 000 m²
    plots.loc[4, "geometry"] = shapely.transform(BOW_TIE, lambda c: c * 1e-5 + (lon, lat))
    return plots


def test_planted_problems_are_listed_exactly(planted: gpd.GeoDataFrame, sample: dict[str, gpd.GeoDataFrame]) -> None:
    report = check_sites(planted, "idle_plots", boundary=sample["community"], buildings=sample["buildings"])
    ids = list(planted["plot_id"])
    assert report.sites_with(Issue.OUTSIDE_BOUNDARY)[0] == ids[0]
    assert report.sites_with(Issue.OVERLAPS_BUILDING)[0] == ids[1]
    assert report.sites_with(Issue.AREA_TOO_SMALL) == (ids[2],)
    assert report.sites_with(Issue.AREA_TOO_LARGE) == (ids[3],)
    assert report.sites_with(Issue.REFUSED) == (ids[4],)
    assert report.geometries[4] is None and report.geometries[6] is not None
    # the big square may also touch buildings or the boundary; no untouched plot is listed
    assert {f.site for f in report.findings} <= set(ids[:5])
    overlap = next(f for f in report.findings if f.issue is Issue.OVERLAPS_BUILDING)
    assert dict(overlap.params)["building"] == "B01"
    assert dict(overlap.params)["overlap"] == pytest.approx(64, abs=1)
    small = next(f for f in report.findings if f.issue is Issue.AREA_TOO_SMALL)
    assert dict(small.params)["area"] == pytest.approx(1.0, abs=0.05)


def test_the_report_reads_in_chinese_and_english(
    planted: gpd.GeoDataFrame, sample: dict[str, gpd.GeoDataFrame]
) -> None:
    report = check_sites(planted, "idle_plots", boundary=sample["community"], buildings=sample["buildings"])
    zh = report.lines()
    assert zh[0].startswith(f"检查了 {len(planted)} 处")
    assert any("超出社区范围" in line and "平方米" in line for line in zh)
    assert any("与楼栋 B01 重叠" in line for line in zh)
    assert any("无法确定本意" in line for line in zh)
    en = report.lines("en")
    assert any("overlaps building B01" in line for line in en)
    assert i18n.get_language() == "zh"


def test_area_bounds_are_configurable(planted: gpd.GeoDataFrame) -> None:
    report = check_sites(planted, "idle_plots", area_bounds={"idle_plots": AreaBounds(0.5, 50_000.0)})
    assert report.sites_with(Issue.AREA_TOO_SMALL) == () and report.sites_with(Issue.AREA_TOO_LARGE) == ()


def test_points_on_buildings_are_not_overlaps_but_points_outside_are(sample: dict[str, gpd.GeoDataFrame]) -> None:
    building = sample["buildings"].geometry.iloc[0]
    west, south, east, north = sample["community"].total_bounds
    points = gpd.GeoDataFrame(
        {"zone_id": ["A-stair", "A-far"]},
        geometry=[building.representative_point(), shapely.Point(east + 0.001, north)],
        crs="EPSG:4326",
    )
    report = check_sites(points, "adoption_zones", boundary=sample["community"], buildings=sample["buildings"])
    assert [(f.site, f.issue) for f in report.findings] == [("A-far", Issue.OUTSIDE_BOUNDARY)]
    assert "米" in report.findings[0].message()


def test_site_names_are_escaped_in_the_notebook_view() -> None:
    sites = gpd.GeoDataFrame({"plot_id": ["<script>x</script>"]}, geometry=[BOW_TIE], crs=GK)
    html = check_sites(sites, "idle_plots")._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
