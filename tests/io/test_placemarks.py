"""Files from Chinese phone map apps and GPS loggers: folders as kinds of site, GCJ-02 read from the app's marker, GPX.

No such file could be found among public repositories (see ../shared/realworld/SOURCES.md),
so these are written here the way the apps write them: 两步路 and 六只脚 GPX 1.1 with
their ``creator``, a KML saved from 高德 with its name in the document, folders named
after kinds of site, and one placemark typed wrong among good ones.
"""

from __future__ import annotations

from pathlib import Path

import pyproj
import pytest

from cogov_toolkit.core.coords import wgs84_to_gcj02
from cogov_toolkit.io.gis import read_layer

GEOD = pyproj.Geod(ellps="WGS84")
#: true WGS-84 positions of three spots in a Wuhan community
TRUTH = {"小花园一": (114.30521, 30.59341), "小花园二": (114.30588, 30.59372), "健身角": (114.30471, 30.59430)}


def kml(path: Path, *, app: str, gcj: bool, bad: bool = False) -> Path:
    def point(lon: float, lat: float) -> str:
        if gcj:
            lon, lat = (float(v) for v in wgs84_to_gcj02(lon, lat))
        return f"<Point><coordinates>{lon:.7f},{lat:.7f},0</coordinates></Point>"

    gardens = "".join(
        f"<Placemark><name>{n}</name><description>{n}旁边</description>{point(*TRUTH[n])}</Placemark>"
        for n in ("小花园一", "小花园二")
    )
    broken = "<Placemark><name>忘了定位</name><Point><coordinates>114.3O5,30.59</coordinates></Point></Placemark>"
    fitness = f"<Placemark><name>健身角</name>{point(*TRUTH['健身角'])}</Placemark>"
    text = (
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"<name>{app}导出的收藏点</name>"
        f"<Folder><name>小花园</name>{gardens}{broken if bad else ''}</Folder>"
        f"<Folder><name>健身区</name>{fitness}</Folder></Document></kml>"
    )
    path.write_text(text, encoding="utf-8")
    return path


def gpx(path: Path, creator: str) -> Path:
    waypoints = "".join(
        f'<wpt lat="{lat}" lon="{lon}"><name>{n}</name><desc>{n}</desc></wpt>' for n, (lon, lat) in TRUTH.items()
    )
    track = "".join(f'<trkpt lat="{lat}" lon="{lon}"><ele>20</ele></trkpt>' for lon, lat in TRUTH.values())
    text = (
        f'<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="{creator}" '
        f'xmlns="http://www.topografix.com/GPX/1/1">{waypoints}<trk><name>巡查路线</name><trkseg>{track}</trkseg></trk></gpx>'
    )
    path.write_text(text, encoding="utf-8")
    return path


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    return GEOD.inv(a[0], a[1], b[0], b[1])[2]


def test_folders_give_the_kind_of_site_and_gcj02_is_read_from_the_apps_name(tmp_path: Path) -> None:
    layer = read_layer(kml(tmp_path / "收藏点.kml", app="高德地图", gcj=True), "public_spaces", type_from="folder")
    assert layer.coord_system == "gcj02"
    frame = layer.frame
    assert list(frame["name"]) == ["小花园一", "小花园二", "健身角"]
    assert list(frame["type"]) == ["pocket_garden", "pocket_garden", "fitness_area"]
    assert list(frame["notes"][:2]) == ["小花园一旁边", "小花园二旁边"]
    for name, geometry in zip(frame["name"], frame.geometry, strict=True):
        assert metres((geometry.x, geometry.y), TRUTH[name]) < 1.0
    assert any("高德地图" in str(w) for w in layer.warnings)


def test_without_a_marker_the_coordinates_are_taken_as_wgs84_and_the_report_asks(tmp_path: Path) -> None:
    layer = read_layer(kml(tmp_path / "点.kml", app="同事", gcj=True), "public_spaces", site_type="小花园")
    assert layer.coord_system == "wgs84"
    assert any("GCJ-02" in str(w) for w in layer.warnings)
    geometry = layer.frame.geometry.iloc[0]
    assert metres((geometry.x, geometry.y), TRUTH["小花园一"]) > 100  # the fixture really is shifted
    # the planner answers the question: GCJ-02
    again = read_layer(tmp_path / "点.kml", "public_spaces", site_type="小花园", coord_system="gcj02")
    geometry = again.frame.geometry.iloc[0]
    assert metres((geometry.x, geometry.y), TRUTH["小花园一"]) < 1.0


def test_one_mistyped_placemark_is_listed_while_the_rest_imports(tmp_path: Path) -> None:
    layer = read_layer(
        kml(tmp_path / "点.kml", app="高德地图", gcj=True, bad=True), "public_spaces", type_from="folder"
    )
    assert len(layer.frame) == 3
    (left_out,) = layer.left_out
    assert (left_out.row, left_out.params["name"]) == (3, "忘了定位")
    assert "114.3O5" in left_out.message()


@pytest.mark.parametrize(("creator", "app"), [("2bulu", "两步路"), ("六只脚 foooooot.com", "六只脚")])
def test_gpx_waypoints_and_tracks_import_as_sites(tmp_path: Path, creator: str, app: str) -> None:
    path = gpx(tmp_path / "轨迹.gpx", creator)
    spots = read_layer(path, "public_spaces", site_type="fitness_area")
    assert list(spots.frame["name"]) == [*TRUTH, "巡查路线"]
    assert list(spots.frame.geometry.geom_type) == ["Point", "Point", "Point", "LineString"]
    assert spots.coord_system == "wgs84" and any(app in str(w) for w in spots.warnings)
    first = spots.frame.geometry.iloc[0]
    assert metres((first.x, first.y), TRUTH["小花园一"]) < 0.01
    trees = read_layer(path, "adoption_zones", site_type="树木认养")
    assert len(trees.frame) == 3 and [(p.row, p.params["name"]) for p in trees.left_out] == [(4, "巡查路线")]
    assert set(trees.frame["status"]) == {"available"}
