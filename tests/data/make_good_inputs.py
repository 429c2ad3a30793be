"""Write the valid import fixtures of tests/data/good/ (re-runnable, deterministic).

The same three buildings go out as GeoJSON, Shapefile (GBK .dbf, no .cpg, as
Chinese desktop GIS hand them out), zipped Shapefile, GeoPackage (WGS-84 and
CGCS2000 Gauss-Kruger), KML (as GDAL and as Google Earth write it) and KMZ; the same three adoption points as CSV in
UTF-8 (with and without BOM), GBK and GB18030, Excel "Unicode text", .xlsx,
.xls and GeoJSON, and shifted to GCJ-02 and BD-09 as a Gaode or Baidu map
would give them. ``truth.json`` holds what every one of them must import to.

Run: ``python tests/data/make_good_inputs.py``. Needs xlwt for the .xls only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import re
import shutil
import zipfile
from pathlib import Path

import geopandas as gpd
import openpyxl
import pyogrio
from shapely.geometry import Point, Polygon

HERE = Path(__file__).resolve().parent
GOOD = HERE / "good"
FIXED_TIME = (2026, 1, 1, 0, 0, 0)
# GDAL writes "today" into GeoPackages and .dbf headers unless told otherwise
os.environ["OGR_CURRENT_DATE"] = "2026-01-01T00:00:00Z"

# --- the truth -------------------------------------------------------------------------
BUILDING_HEADERS = [
    "楼栋编号",
    "楼栋",
    "小区编号",
    "网格编号",
    "单元数",
    "层数",
    "户数",
    "占地面积",
    "联系人",
    "联系电话",
    "身份证号",
    "备注",
]
ENGLISH_BUILDING_HEADERS = [
    "building_id",
    "label",
    "neighbourhood_id",
    "grid_id",
    "units",
    "floors",
    "households",
    "area_m2",
    "name",
    "phone",
    "id_number",
    "note",
]
BUILDINGS = [
    ["B01", "1栋", "NB01", "G01", 2, 6, 24, None, "王建国", "13800000001", "420102198001011234", "临街"],
    ["B02", "2栋（东）", "NB01", "G01", 3, 7, 42, 812.5, "李秀英", "13800000002", "420102198502022345", ""],
    ["B03", "3号楼", "NB01", "G02", 1, 11, 44, None, "张伟", "13800000003", "42010219900303345X", "老旧小区改造"],
]
_ORIGINS = [(114.3051234, 30.5931234), (114.3056789, 30.5935678), (114.3049876, 30.5941111)]


def _building_polygon(lon: float, lat: float, index: int) -> Polygon:
    width, height = 0.0004 + 0.0001 * index, 0.00015
    return Polygon([(lon, lat), (lon + width, lat), (lon + width, lat + height), (lon, lat + height)])


BUILDING_SHAPES = [_building_polygon(lon, lat, i) for i, (lon, lat) in enumerate(_ORIGINS)]

TREE_HEADERS = [
    "认养编号",
    "序号",
    "类型",
    "名称",
    "楼栋编号",
    "单元",
    "状态",
    "经度",
    "纬度",
    "联系人",
    "联系电话",
    "身份证号",
    "IP",
]
TREES = [
    [
        "T01",
        1,
        "树木认养",
        "香樟（百年）",
        "B01",
        1,
        "待认领",
        114.3052345,
        30.5934567,
        "刘芳",
        "13900000001",
        "420102197001011111",
        "10.0.0.1",
    ],
    [
        "T02",
        2,
        "树木认养",
        "桂花树",
        "B02",
        2,
        "已认领",
        114.3058123,
        30.5937891,
        "陈静",
        "13900000002",
        "420102197102022222",
        "10.0.0.2",
    ],
    ["T03", 3, "绿地认养", "小花园草坪", "", None, "待认领", 114.3047654, 30.5943219, "", "", "", "10.0.0.3"],
]
TREE_CODES = {"树木认养": "tree", "绿地认养": "lawn", "待认领": "available", "已认领": "adopted"}

ROSTER_HEADERS = [
    "户号",
    "楼栋编号",
    "单元",
    "楼层",
    "房号",
    "登记面积",
    "是否业主",
    "户主姓名",
    "手机号码",
    "身份证号码",
    "来自IP",
    "备注",
]
ROSTER = [
    ["H0101", "B01", 1, 1, "101", "1,234.5", "是", "赵丽", "13700000001", "420102196001010011", "1.2.3.4", "独居老人"],
    ["H0102", "B01", 1, 1, "102", "65.3", "否", "钱军", "13700000002", "420102196102020022", "1.2.3.5", ""],
    ["H0201", "B02", "２", 2, "201", "", "1", "孙梅", "13700000003", "420102196203030033", "", ""],
]


# --- coordinates of Chinese web maps (the public formulas; independent of the package) -----------------
def _gcj_delta(lon: float, lat: float) -> tuple[float, float]:
    a, ee = 6378245.0, 0.00669342162296594323
    x, y = lon - 105.0, lat - 35.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    d_lat += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    d_lat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    d_lat += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    d_lon += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    d_lon += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    d_lon += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    rad = lat / 180.0 * math.pi
    magic = 1 - ee * math.sin(rad) ** 2
    d_lat = (d_lat * 180.0) / ((a * (1 - ee)) / (magic * math.sqrt(magic)) * math.pi)
    d_lon = (d_lon * 180.0) / (a / math.sqrt(magic) * math.cos(rad) * math.pi)
    return d_lon, d_lat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    d_lon, d_lat = _gcj_delta(lon, lat)
    return lon + d_lon, lat + d_lat


def wgs84_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    x, y = wgs84_to_gcj02(lon, lat)
    x_pi = math.pi * 3000.0 / 180.0
    z = math.sqrt(x * x + y * y) + 0.00002 * math.sin(y * x_pi)
    theta = math.atan2(y, x) + 0.000003 * math.cos(x * x_pi)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


# --- writers ------------------------------------------------------------------------------------
def _text(value: object) -> str:
    return "" if value is None else str(value)


def write_csv(path: Path, headers: list[str], rows: list[list[object]], encoding: str, delimiter: str = ",") -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([[_text(v) for v in row] for row in rows])
    path.write_bytes(buffer.getvalue().encode(encoding))


def write_xlsx(path: Path, headers: list[str], rows: list[list[object]], sheet: str = "Sheet1") -> None:
    book = openpyxl.Workbook()
    worksheet = book.active
    worksheet.title = sheet
    worksheet.append(headers)
    for row in rows:
        worksheet.append(row)
    book.properties.created = book.properties.modified = dt.datetime(*FIXED_TIME)
    book.save(path)
    fix_zip_times(path)


def write_xls(path: Path, headers: list[str], rows: list[list[object]]) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    worksheet = book.add_sheet("Sheet1")
    for c, header in enumerate(headers):
        worksheet.write(0, c, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is not None:
                worksheet.write(r, c, value)
    book.save(str(path))


def fix_zip_times(path: Path) -> None:
    """Rewrite an .xlsx with fixed entry and "modified" times so that re-running changes no bytes."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
    fixed = [(name, _fixed_modified(data) if name == "docProps/core.xml" else data) for name, data in entries]
    write_zip(path, fixed)


def _fixed_modified(core_xml: bytes) -> bytes:
    # openpyxl stamps the time of saving, whatever the workbook's properties say
    return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", core_xml)


def write_zip(path: Path, entries: list[tuple[str, bytes]]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(zipfile.ZipInfo(name, FIXED_TIME), data, zipfile.ZIP_DEFLATED)


def buildings_frame() -> gpd.GeoDataFrame:
    data = {h: [row[i] for row in BUILDINGS] for i, h in enumerate(BUILDING_HEADERS)}
    return gpd.GeoDataFrame(data, geometry=BUILDING_SHAPES, crs="EPSG:4326")


def trees_frame() -> gpd.GeoDataFrame:
    headers = [h for h in TREE_HEADERS if h not in ("经度", "纬度")]
    data = {h: [row[TREE_HEADERS.index(h)] for row in TREES] for h in headers}
    points = [Point(row[7], row[8]) for row in TREES]
    return gpd.GeoDataFrame(data, geometry=points, crs="EPSG:4326")


def write_shapefile(path: Path, frame: gpd.GeoDataFrame, encoding: str, keep_cpg: bool) -> None:
    pyogrio.write_dataframe(frame, path, encoding=encoding, layer_options={"DBF_DATE_LAST_UPDATE": "2026-01-01"})
    if not keep_cpg:
        path.with_suffix(".cpg").unlink()


def google_earth_kml(frame: gpd.GeoDataFrame) -> str:
    """Return the buildings as Google Earth or 两步路 write KML: the label as the placemark's
    name, other attributes as untyped <Data> elements, coordinates with a height."""
    placemarks = []
    for _, feature in frame.iterrows():
        data = "".join(
            f'<Data name="{header}"><value>{_text(feature[header])}</value></Data>'
            for header in BUILDING_HEADERS
            if header != "楼栋" and _text(feature[header]) not in ("", "nan")
        )
        ring = " ".join(f"{x},{y},0" for x, y in feature.geometry.exterior.coords)
        placemarks.append(
            f"<Placemark><name>{feature['楼栋']}</name><ExtendedData>{data}</ExtendedData>"
            f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{ring}</coordinates>"
            "</LinearRing></outerBoundaryIs></Polygon></Placemark>"
        )
    body = "\n".join(placemarks)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n'
        f"<Document><name>幸福社区楼栋</name>\n{body}\n</Document>\n</kml>\n"
    )


def shifted_trees(convert) -> list[list[object]]:
    rows = []
    for row in TREES:
        lon, lat = convert(row[7], row[8])
        rows.append([*row[:7], f"{lon:.9f}", f"{lat:.9f}", *row[9:]])
    return rows


def truth() -> dict[str, object]:
    return {
        "buildings": [
            {
                "building_id": row[0],
                "label": row[1],
                "neighbourhood_id": row[2],
                "grid_id": row[3],
                "units": row[4],
                "floors": row[5],
                "households": row[6],
                "area_m2": row[7],
                "name": row[8],
                "phone": row[9],
                "wkt": shape.wkt,
            }
            for row, shape in zip(BUILDINGS, BUILDING_SHAPES, strict=True)
        ],
        "trees": [
            {
                "zone_id": row[0],
                "number": row[1],
                "zone_type": TREE_CODES[row[2]],
                "name": row[3],
                "building_id": row[4] or None,
                "unit": row[5],
                "status": TREE_CODES[row[6]],
                "lon": row[7],
                "lat": row[8],
                "contact": row[9] or None,
                "phone": row[10] or None,
            }
            for row in TREES
        ],
        "households": [
            {"household_id": row[0], "registered_area_m2": row[5], "is_owner": row[6], "name": row[7]} for row in ROSTER
        ],
    }


def main() -> None:
    if GOOD.exists():
        shutil.rmtree(GOOD)
    GOOD.mkdir(parents=True)

    buildings = buildings_frame()
    pyogrio.write_dataframe(buildings, GOOD / "buildings.geojson")
    write_shapefile(GOOD / "buildings_gbk.shp", buildings, "GBK", keep_cpg=False)
    pyogrio.write_dataframe(buildings, GOOD / "buildings.gpkg", layer="buildings")
    pyogrio.write_dataframe(buildings.to_crs("EPSG:4545"), GOOD / "buildings_cgcs2000_gk.gpkg", layer="楼栋")
    pyogrio.write_dataframe(buildings, GOOD / "buildings.kml", driver="KML")
    write_zip(GOOD / "buildings.kmz", [("doc.kml", (GOOD / "buildings.kml").read_bytes())])
    (GOOD / "buildings_google_earth.kml").write_text(google_earth_kml(buildings), encoding="utf-8")
    # UTF-8 Chinese field names do not fit the 10 bytes of a .dbf, so zipped shapefiles from
    # other tools often carry English names, cut to 10 characters (building_i, neighbourh)
    zipped = HERE / "_zip_tmp"
    zipped.mkdir(exist_ok=True)
    english = buildings.rename(columns=dict(zip(BUILDING_HEADERS, ENGLISH_BUILDING_HEADERS, strict=True)))
    write_shapefile(zipped / "楼栋.shp", english, "UTF-8", keep_cpg=True)
    write_zip(GOOD / "buildings_shp.zip", [(p.name, p.read_bytes()) for p in sorted(zipped.iterdir())])
    shutil.rmtree(zipped)

    write_csv(GOOD / "trees_utf8.csv", TREE_HEADERS, TREES, "utf-8")
    write_csv(GOOD / "trees_utf8_bom.csv", TREE_HEADERS, TREES, "utf-8-sig")
    write_csv(GOOD / "trees_gbk.csv", TREE_HEADERS, TREES, "gbk")
    write_csv(GOOD / "trees_gb18030.csv", TREE_HEADERS, TREES, "gb18030")
    write_csv(GOOD / "trees_unicode.txt", TREE_HEADERS, TREES, "utf-16", delimiter="\t")
    write_xlsx(GOOD / "trees.xlsx", TREE_HEADERS, TREES, sheet="认养台账")
    write_xls(GOOD / "trees.xls", TREE_HEADERS, TREES)
    pyogrio.write_dataframe(trees_frame(), GOOD / "trees.geojson")
    write_csv(GOOD / "trees_gcj02.csv", TREE_HEADERS, shifted_trees(wgs84_to_gcj02), "utf-8")
    write_csv(GOOD / "trees_bd09.csv", TREE_HEADERS, shifted_trees(wgs84_to_bd09), "utf-8")

    write_csv(GOOD / "households_roster.csv", ROSTER_HEADERS, ROSTER, "utf-8-sig")
    write_xlsx(GOOD / "households_roster.xlsx", ROSTER_HEADERS, ROSTER, sheet="住户名册")

    (GOOD / "truth.json").write_text(json.dumps(truth(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
