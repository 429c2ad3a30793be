"""Write the place fixtures of the "your own community" import test from the sample's true positions.

Run from the repository root: ``python tests/data/places/make_places.py``. The
truth is the sample community's adoption register (``data/sample/adoption_zones.geojson``,
WGS-84). From it this script writes, as a planner would receive them:

* ``sample_sites.kmz``: every adoption spot (trees as points, lawns and
  stairwells as polygons) as a phone map app or Google Earth exports them: a
  zip holding ``doc.kml``, the name as the placemark's name, other attributes
  as untyped ``<Data>`` elements, coordinates with a height.
* ``sample_points_gcj02.csv``: the point spots as picked on a Gaode/AMap map,
  i.e. shifted to GCJ-02 with the toolkit's own converter, 9 decimals.

Re-running writes the same bytes (fixed zip entry times, no dates).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from cogov_toolkit.core.coords import wgs84_to_gcj02

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
TRUTH = ROOT / "cogov_toolkit" / "demo" / "sample_data" / "adoption_zones.geojson"
FIXED_TIME = (2026, 1, 1, 0, 0, 0)
#: the headers a planner's export carries (Chinese, as the importer's aliases accept)
HEADERS = {
    "zone_id": "编号",
    "number": "序号",
    "zone_type": "类型",
    "status": "状态",
    "building_id": "楼栋编号",
    "unit": "单元",
    "neighbourhood_id": "小区",
}


def truth_features() -> list[dict]:
    """The sample's adoption spots: the WGS-84 truth both fixtures are made from."""
    return json.loads(TRUTH.read_text(encoding="utf-8"))["features"]


def _coordinates(ring: list[list[float]]) -> str:
    return " ".join(f"{x:.7f},{y:.7f},0" for x, y in ring)


def _placemark(feature: dict) -> str:
    props = feature["properties"]
    data = "".join(
        f'<Data name="{header}"><value>{escape(str(props[column]))}</value></Data>'
        for column, header in HEADERS.items()
        if props.get(column) is not None
    )
    geometry = feature["geometry"]
    if geometry["type"] == "Point":
        shape = f"<Point><coordinates>{_coordinates([geometry['coordinates']])}</coordinates></Point>"
    else:
        shape = (
            "<Polygon><outerBoundaryIs><LinearRing><coordinates>"
            f"{_coordinates(geometry['coordinates'][0])}</coordinates></LinearRing></outerBoundaryIs></Polygon>"
        )
    return f"<Placemark><name>{escape(props['name'])}</name><ExtendedData>{data}</ExtendedData>{shape}</Placemark>"


def kml_text(features: list[dict]) -> str:
    """Return the KML document of the adoption spots."""
    body = "\n".join(_placemark(f) for f in features)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n'
        f"<Document><name>幸福社区认养点</name>\n{body}\n</Document>\n</kml>\n"
    )


def write_kmz(path: Path, features: list[dict]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("doc.kml", FIXED_TIME), kml_text(features).encode("utf-8"), zipfile.ZIP_DEFLATED
        )


def write_gcj02_csv(path: Path, features: list[dict]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*HEADERS.values(), "名称", "经度", "纬度"])
    for feature in features:
        if feature["geometry"]["type"] != "Point":
            continue
        props = feature["properties"]
        lon, lat = wgs84_to_gcj02(*feature["geometry"]["coordinates"])
        writer.writerow([*(props.get(c) or "" for c in HEADERS), props["name"], f"{lon:.9f}", f"{lat:.9f}"])
    path.write_bytes(out.getvalue().encode("utf-8"))


def main() -> None:
    features = truth_features()
    write_kmz(HERE / "sample_sites.kmz", features)
    write_gcj02_csv(HERE / "sample_points_gcj02.csv", features)


if __name__ == "__main__":
    main()
