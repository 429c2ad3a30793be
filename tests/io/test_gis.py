"""Importing layers from GIS files and lon/lat tables (cogov_toolkit.io.gis)."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely
from shapely import wkt

from cogov_toolkit.core.schema import LAYERS
from cogov_toolkit.errors import CogovError, CRSError, EncodingError, InputError, ValidationError
from cogov_toolkit.geo.crs import area_crs_for
from cogov_toolkit.io.gis import ImportedLayer, dbf_encoding, read_layer

DATA = Path(__file__).resolve().parents[1] / "data"
GOOD = DATA / "good"
BAD = DATA / "bad"
TRUTH: dict[str, list[dict[str, Any]]] = json.loads((GOOD / "truth.json").read_text(encoding="utf-8"))
BUILDING_FILES = [
    "buildings.geojson",
    "buildings_gbk.shp",
    "buildings_shp.zip",
    "buildings.gpkg",
    "buildings_cgcs2000_gk.gpkg",
    "buildings.kml",
    "buildings_google_earth.kml",
    "buildings.kmz",
]
TREE_FILES = [
    "trees_utf8.csv",
    "trees_utf8_bom.csv",
    "trees_gbk.csv",
    "trees_gb18030.csv",
    "trees_unicode.txt",
    "trees.xlsx",
    "trees.xls",
    "trees.geojson",
]
SECRETS = ("420102198001011234", "42010219900303345X", "420102197001011111", "10.0.0.1")
GEOD = pyproj.Geod(ellps="WGS84")


def imported(path: Path, kind: str, **options: Any) -> ImportedLayer:
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # good fixtures import without any warning of ours
        return read_layer(path, kind, **options)


def all_text(layer: ImportedLayer) -> str:
    """Every value of the layer (attributes and personal frame) as one string."""
    values = [*layer.frame.drop(columns="geometry").to_numpy().ravel(), *layer.personal.to_numpy().ravel()]
    return " ".join(str(v) for v in values)


# --- the same features whatever the format -------------------------------------------------------
@pytest.mark.parametrize("name", BUILDING_FILES)
def test_buildings_import_to_the_same_features(name: str) -> None:
    layer = imported(GOOD / name, "buildings")
    frame = layer.frame
    assert frame.crs.to_epsg() == 4326
    assert list(frame.columns) == [c.name for c in LAYERS["buildings"].columns] + ["geometry"]
    truth = TRUTH["buildings"]
    for column in ("building_id", "label", "neighbourhood_id", "grid_id", "units", "floors", "households"):
        assert frame[column].tolist() == [t[column] for t in truth], column
    for shape, expected in zip(frame.geometry, truth, strict=True):
        assert shape.geom_type == "MultiPolygon"
        truth_shape = shapely.MultiPolygon([wkt.loads(expected["wkt"])])
        assert shape.normalize().equals_exact(truth_shape.normalize(), tolerance=1e-6)
    assert frame.loc[1, "area_m2"] == 812.5  # given in the file: kept
    assert frame["area_m2"].notna().all()  # left empty: computed
    assert layer.rows == (1, 2, 3)


@pytest.mark.parametrize("name", TREE_FILES)
def test_points_import_to_the_same_features(name: str) -> None:
    layer = imported(GOOD / name, "adoption_zones")
    frame = layer.frame
    truth = TRUTH["trees"]
    for column in ("zone_id", "number", "zone_type", "name", "status"):
        assert frame[column].tolist() == [t[column] for t in truth], column
    assert [None if v is None or v is pd_na() else v for v in frame["building_id"].tolist()] == [
        t["building_id"] for t in truth
    ]
    assert np.allclose(frame.geometry.x, [t["lon"] for t in truth], atol=1e-6, rtol=0)
    assert np.allclose(frame.geometry.y, [t["lat"] for t in truth], atol=1e-6, rtol=0)
    assert frame["area_m2"].isna().all()  # points have no area


def pd_na() -> object:
    import pandas as pd

    return pd.NA


@pytest.mark.parametrize(("name", "system"), [("trees_gcj02.csv", "gcj02"), ("trees_bd09.csv", "bd09")])
def test_web_map_points_land_within_a_metre_of_the_truth(name: str, system: str) -> None:
    layer = imported(GOOD / name, "adoption_zones", coord_system=system)
    for point, truth in zip(layer.frame.geometry, TRUTH["trees"], strict=True):
        _, _, metres = GEOD.inv(point.x, point.y, truth["lon"], truth["lat"])
        assert metres < 1.0
    assert any("WGS-84" in w for w in layer.warnings)


def test_web_map_points_read_as_wgs84_are_hundreds_of_metres_off() -> None:
    layer = imported(GOOD / "trees_gcj02.csv", "adoption_zones")
    point, truth = layer.frame.geometry.iloc[0], TRUTH["trees"][0]
    assert GEOD.inv(point.x, point.y, truth["lon"], truth["lat"])[2] > 100


# --- personal data --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "kind"), [(n, "buildings") for n in BUILDING_FILES] + [(n, "adoption_zones") for n in TREE_FILES]
)
def test_id_numbers_and_ips_are_dropped_and_names_kept_apart(name: str, kind: str) -> None:
    layer = imported(GOOD / name, kind)
    text = all_text(layer)
    for secret in SECRETS:
        assert secret not in text
    assert layer.dropped_columns
    attributes = " ".join(str(v) for v in layer.frame.drop(columns="geometry").to_numpy().ravel())
    assert "13800000001" not in attributes and "13900000001" not in attributes
    assert "王建国" not in attributes and "刘芳" not in attributes
    id_column = LAYERS[kind].id_column
    assert layer.personal.columns.tolist() == [id_column, "name", "phone"]
    expected_names = [t["name"] for t in TRUTH["buildings"]] if kind == "buildings" else ["刘芳", "陈静", None]
    names = [None if v is pd_na() else v for v in layer.personal["name"].tolist()]
    assert names == expected_names


def test_notes_say_what_was_dropped_moved_and_ignored() -> None:
    layer = imported(GOOD / "buildings_gbk.shp", "buildings")
    notes = " ".join(layer.warnings)
    assert "GBK" in notes  # no .cpg: the encoding was detected
    assert "「身份证号」" in notes and "「联系人」" in notes and "「备注」" in notes
    assert "EPSG:4547" in notes  # areas computed in the CGCS2000 zone of CM 114E
    assert layer.unknown_columns == ("备注",)


# --- CRS, areas, geometry ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("lon", "code"),
    [(73.5, "EPSG:4534"), (75.0, "EPSG:4534"), (76.4, "EPSG:4534"), (76.6, "EPSG:4535"), (114.3, "EPSG:4547")]
    + [(116.4, "EPSG:4548"), (121.5, "EPSG:4550"), (135.0, "EPSG:4554"), (140.0, "EPSG:4554"), (10.0, "EPSG:4534")],
)
def test_area_crs_is_the_nearest_cgcs2000_zone(lon: float, code: str) -> None:
    assert area_crs_for(lon) == code
    assert pyproj.CRS(code).name.startswith("CGCS2000 / 3-degree Gauss-Kruger CM")


def test_computed_area_matches_a_geodesic_area() -> None:
    layer = imported(GOOD / "buildings.geojson", "buildings")
    shape = layer.frame.geometry.iloc[0]
    geodesic = abs(GEOD.geometry_area_perimeter(shape)[0])
    assert layer.frame.loc[0, "area_m2"] == pytest.approx(geodesic, rel=1e-3)


def test_projected_layer_is_reprojected_and_noted() -> None:
    layer = imported(GOOD / "buildings_cgcs2000_gk.gpkg", "buildings")
    assert any("EPSG:4545" in w for w in layer.warnings)


def test_missing_crs_can_be_given(tmp_path: Path) -> None:
    with pytest.raises(CRSError):
        read_layer(BAD / "unknown_crs.shp", "buildings")
    layer = imported(BAD / "unknown_crs.shp", "buildings", crs="EPSG:4490")
    assert layer.frame.crs.to_epsg() == 4326
    assert layer.frame["label"].tolist() == [t["label"] for t in TRUTH["buildings"]]


def test_unknown_crs_text_is_a_crs_error() -> None:
    with pytest.raises(CRSError) as info:
        read_layer(BAD / "unknown_crs.shp", "buildings", crs="EPSG:99999999")
    assert "EPSG:99999999" in str(info.value)


def test_geopackage_layer_is_chosen_by_name() -> None:
    layer = imported(BAD / "several_layers.gpkg", "buildings", layer="楼栋")
    assert layer.frame["building_id"].tolist() == ["B01", "B02", "B03"]
    with pytest.raises(InputError) as info:
        read_layer(BAD / "several_layers.gpkg", "buildings", layer="网格")
    assert "「楼栋」、「小区」" in str(info.value)


def test_a_layer_accepting_several_families_takes_them_mixed(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"空间编号": ["S1", "S2"], "序号": [1, 2], "类型": ["小花园", "culture_wall"]},
        geometry=[shapely.box(114.30, 30.59, 114.301, 30.591), shapely.Point(114.302, 30.592)],
        crs=4326,
    )
    frame.to_file(tmp_path / "spaces.geojson")
    layer = imported(tmp_path / "spaces.geojson", "public_spaces")
    assert layer.frame.geometry.geom_type.tolist() == ["Polygon", "Point"]  # no promotion in mixed layers
    assert layer.frame["type"].tolist() == ["pocket_garden", "culture_wall"]
    assert layer.frame["area_m2"].isna().tolist() == [False, True]


def test_far_away_features_give_a_warning_not_an_error(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"认养编号": ["T1"], "序号": [1], "类型": ["tree"], "状态": ["available"]},
        geometry=[shapely.Point(2.35, 48.85)],
        crs=4326,
    )
    frame.to_file(tmp_path / "paris.geojson")
    with pytest.warns(UserWarning, match="中国以外") as record:
        layer = read_layer(tmp_path / "paris.geojson", "adoption_zones")
    assert record[0].filename == __file__  # stacklevel points at the caller
    assert any("中国以外" in w for w in layer.warnings)


def test_point_table_in_a_projected_crs(tmp_path: Path) -> None:
    lons, lats = [114.3052345, 114.3058123], [30.5934567, 30.5937891]
    x, y = pyproj.Transformer.from_crs(4326, 4547, always_xy=True).transform(lons, lats)
    rows = "".join(f"T{i},{i},tree,available,{x[i]:.4f},{y[i]:.4f}\n" for i in range(2))
    (tmp_path / "gk.csv").write_text("认养编号,序号,类型,状态,X坐标,Y坐标\n" + rows, encoding="utf-8")
    layer = imported(tmp_path / "gk.csv", "adoption_zones", crs="EPSG:4547", lon="X坐标", lat="Y坐标")
    assert np.allclose(layer.frame.geometry.x, lons, atol=1e-6, rtol=0)
    assert np.allclose(layer.frame.geometry.y, lats, atol=1e-6, rtol=0)


def test_wrong_explicit_encoding_is_an_encoding_error() -> None:
    with pytest.raises(EncodingError):
        read_layer(GOOD / "buildings_gbk.shp", "buildings", encoding="utf-8")


def test_shapefile_with_its_cpg_is_read_as_the_cpg_says(tmp_path: Path) -> None:
    for part in GOOD.glob("buildings_gbk.*"):
        shutil.copy(part, tmp_path / part.name)
    (tmp_path / "buildings_gbk.cpg").write_text("CP936", encoding="ascii")
    layer = imported(tmp_path / "buildings_gbk.shp", "buildings")
    assert layer.frame["label"].tolist()[1] == "2栋（东）"
    assert not any("GBK" in w for w in layer.warnings)


def test_dbf_encoding_detection() -> None:
    gbk = (GOOD / "buildings_gbk.dbf").read_bytes()
    assert dbf_encoding(gbk) == "gb18030"
    header = bytearray(32) + b"\r"
    header[8:10] = (33).to_bytes(2, "little")
    assert dbf_encoding(bytes(header) + " 香樟".encode()) == "utf-8"
    assert dbf_encoding(bytes(header) + b" caf\xe9,") == "latin-1"


def test_wrong_arguments_are_toolkit_errors() -> None:
    with pytest.raises(CogovError) as info:
        read_layer(GOOD / "buildings.geojson", "houses")
    assert "buildings" in str(info.value)
    with pytest.raises(CogovError):
        read_layer(GOOD / "buildings.geojson", "buildings", coord_system="mars")


def test_layer_problems_and_attribute_problems_come_together(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"楼栋编号": ["B1", "B1"], "楼栋": ["1栋", "2栋"], "小区": ["N", "N"], "网格": ["G", "G"]}
        | {"单元数": ["二", "2"], "层数": [6, 6], "户数": [12, 12]},
        geometry=[shapely.Point(114.3, 30.59), shapely.box(114.3, 30.59, 114.301, 30.591)],
        crs=4326,
    )
    frame.to_file(tmp_path / "b.geojson")
    with pytest.raises(ValidationError) as info:
        read_layer(tmp_path / "b.geojson", "buildings")
    found = sorted((p.row or 0, p.reason) for p in info.value.problems)
    assert found == [
        (0, "import.mixed_geometry"),
        (1, "import.not_a_number"),
        (1, "import.wrong_geometry"),
        (2, "import.duplicate_key"),
    ]
