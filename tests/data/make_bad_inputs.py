"""Write the malformed import fixtures of tests/data/bad/ and their expectations (re-runnable, deterministic).

Each file is named for what is wrong with it, and is wrong the way planners'
files are: a roster pasted together from two systems, a two-level Excel
header, a shapefile copied without its .prj, points picked on the wrong map.
``cases.toml`` says for each file what it is imported as (a layer kind or a
record table), the toolkit error expected, and where (row and column, as the
message shows them) when the error has a place.

Run: ``python tests/data/make_bad_inputs.py``. Needs xlwt for the .xls files only.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import geopandas as gpd
import openpyxl
import pyogrio
from make_good_inputs import (
    BUILDING_SHAPES,
    FIXED_TIME,
    buildings_frame,
    fix_zip_times,
    write_csv,
    write_xls,
    write_zip,
)

HERE = Path(__file__).resolve().parent
BAD = HERE / "bad"
os.environ["OGR_CURRENT_DATE"] = "2026-01-01T00:00:00Z"

ROSTER_HEADERS = ["户号", "楼栋编号", "单元", "楼层", "房号", "登记面积", "是否业主", "户主姓名", "手机号码"]
ROSTER = [
    ["H0101", "B01", "1", "1", "101", "88.5", "是", "赵丽", "13700000001"],
    ["H0102", "B01", "1", "1", "102", "65.3", "否", "钱军", "13700000002"],
    ["H0201", "B02", "2", "2", "201", "90", "是", "孙梅", "13700000003"],
    ["H0202", "B02", "2", "2", "202", "72", "否", "李强", "13700000004"],
]
TREE_HEADERS = ["认养编号", "序号", "类型", "名称", "状态", "经度", "纬度"]
TREES = [
    ["T01", "1", "树木认养", "香樟", "待认领", "114.3052345", "30.5934567"],
    ["T02", "2", "树木认养", "桂花树", "已认领", "114.3058123", "30.5937891"],
    ["T03", "3", "绿地认养", "小花园草坪", "待认领", "114.3047654", "30.5943219"],
]
DEMAND_HEADERS = ["诉求编号", "日期", "渠道", "类别", "内容"]
DEMANDS = [
    ["D001", "2026-03-05", "入户走访", "停车", "晚上电动车乱停，堵住消防通道"],
    ["D002", "2026/3/6", "问卷调查", "绿化", "小花园杂草多"],
    ["D003", "2026年3月7日", "online", "repair", "3栋楼道灯坏了"],
]
BUILDING_PROPERTIES = [
    {"楼栋编号": "B01", "楼栋": "1栋", "小区编号": "NB01", "网格编号": "G01", "单元数": 2, "层数": 6, "户数": 24},
    {"楼栋编号": "B02", "楼栋": "2栋", "小区编号": "NB01", "网格编号": "G01", "单元数": 3, "层数": 7, "户数": 42},
    {"楼栋编号": "B03", "楼栋": "3号楼", "小区编号": "NB01", "网格编号": "G02", "单元数": 1, "层数": 11, "户数": 44},
]

#: file name -> expectations, written to cases.toml
CASES: dict[str, dict[str, object]] = {}


def case(name: str, import_as: str, error: str, why: str, **expect: object) -> Path:
    """Record what importing ``name`` must raise, and return its path."""
    CASES[name] = {"import_as": import_as, "error": error, "why": why, **expect}
    return BAD / name


def replaced(rows: list[list[str]], row: int, column: int, value: str) -> list[list[str]]:
    """Return a copy of ``rows`` with one cell changed; ``row`` counts like the file (header = 1)."""
    copy = [list(r) for r in rows]
    copy[row - 2][column] = value
    return copy


def geojson(path: Path, features: list[tuple[dict | None, dict]]) -> None:
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": props, "geometry": geom} for geom, props in features],
    }
    path.write_text(json.dumps(collection, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def square(lon: float, lat: float, size: float = 0.0003) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


# --- text tables ------------------------------------------------------------------------------
def text_tables() -> None:
    # a roster pasted together from two systems: row 4 came from a GBK export
    path = case("wrong_encoding.csv", "households", "EncodingError", "UTF-8 file whose row 4 is GBK bytes", row=4)
    lines = [",".join(ROSTER_HEADERS)] + [",".join(r) for r in ROSTER]
    data = b"\r\n".join(
        line.encode("gbk") if number == 4 else line.encode("utf-8") for number, line in enumerate(lines, start=1)
    )
    path.write_bytes(data + b"\r\n")

    path = case(
        "missing_columns.csv",
        "households",
        "MissingColumnsError",
        "no 单元 and no 房号 column",
        contains=["单元", "房号"],
    )
    keep = [0, 1, 3, 5, 7]
    write_csv(path, [ROSTER_HEADERS[i] for i in keep], [[r[i] for i in keep] for r in ROSTER], "utf-8-sig")

    path = case("empty.csv", "households", "EmptyFileError", "0 bytes")
    path.write_bytes(b"")

    path = case("header_only.csv", "households", "EmptyFileError", "a header and no data rows", contains=["只有表头"])
    write_csv(path, ROSTER_HEADERS, [], "utf-8-sig")

    path = case(
        "duplicate_ids.csv",
        "households",
        "ValidationError",
        "row 4 repeats the 户号 of row 2",
        row=4,
        column="户号",
        contains=["第 2 行"],
    )
    write_csv(path, ROSTER_HEADERS, replaced(ROSTER, 4, 0, "H0101"), "utf-8-sig")

    path = case(
        "duplicate_header.csv",
        "households",
        "ValidationError",
        "two columns headed 单元 (C and J)",
        row=1,
        column="单元",
        contains=["C 列", "J 列"],
    )
    write_csv(path, [*ROSTER_HEADERS, "单元"], [[*r, r[2]] for r in ROSTER], "utf-8-sig")

    path = case(
        "unquoted_comma.csv",
        "households",
        "ValidationError",
        "row 3 has an unquoted comma in 房号, one cell too many",
        row=3,
        contains=["10 个单元格"],
    )
    lines = [",".join(ROSTER_HEADERS)] + [",".join(r) for r in ROSTER]
    lines[2] = lines[2].replace(",102,", ",102,东,")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")

    # valid GBK text whose rows have errors: the messages must come out in proper Chinese
    path = case(
        "gbk_with_errors.csv",
        "households",
        "ValidationError",
        "GBK roster: 单元 十二 (row 2), empty 房号 (row 3), 是否业主 可能 (row 4)",
        row=2,
        column="单元",
        contains=["「十二」不是数字", "必填，不能为空", "「可能」不是“是/否”"],
        problems=3,
    )
    rows = replaced(replaced(replaced(ROSTER, 2, 2, "十二"), 3, 4, ""), 4, 6, "可能")
    write_csv(path, ROSTER_HEADERS, rows, "gbk")

    path = case(
        "many_problems.csv",
        "households",
        "ValidationError",
        "one problem of each kind, spread over the whole file",
        row=2,
        column="单元",
        problems=8,
    )
    headers = [*ROSTER_HEADERS, "同意公开姓名"]
    rows = [[*r, "是"] for r in ROSTER] + [
        ["H0301", "B03", "1", "3", "301", "95", "是", "周", "137", "否"],
        ["H0302", "B03", "1", "3", "302", "95", "是", "吴", "137", "是"],
    ]
    rows = replaced(rows, 2, 2, "一单元")  # not a number
    rows = replaced(rows, 3, 3, "2.5")  # not a whole number
    rows = replaced(rows, 3, 5, "约80平")  # not a number
    rows = replaced(rows, 4, 1, "")  # required, empty
    rows = replaced(rows, 5, 6, "业主")  # not a boolean
    rows = replaced(rows, 5, 0, "H0101")  # repeats row 2
    rows = replaced(rows, 6, 4, "")  # required, empty
    rows = replaced(rows, 7, 9, "同意")  # not a boolean
    write_csv(path, headers, rows, "utf-8-sig")

    path = case(
        "unknown_enum.csv",
        "demands",
        "ValidationError",
        "类别 垃圾 is neither a code nor a label (row 3)",
        row=3,
        column="类别",
        contains=["「垃圾」", "环境卫生"],
    )
    write_csv(path, DEMAND_HEADERS, replaced(DEMANDS, 3, 3, "垃圾"), "utf-8-sig")

    path = case(
        "bad_date.csv",
        "demands",
        "ValidationError",
        "日期 3月5日 has no year; 2026-02-30 does not exist",
        row=2,
        column="日期",
        contains=["「3月5日」不是日期", "「2026-02-30」"],
    )
    write_csv(path, DEMAND_HEADERS, replaced(replaced(DEMANDS, 2, 1, "3月5日"), 4, 1, "2026-02-30"), "utf-8-sig")


# --- lon/lat tables ------------------------------------------------------------------------------
def point_tables() -> None:
    path = case(
        "lon_not_numeric.csv",
        "adoption_zones",
        "ValidationError",
        "经度 written as 东经114度 in row 3",
        row=3,
        column="经度",
        contains=["「东经114度」不是数字"],
    )
    write_csv(path, TREE_HEADERS, replaced(TREES, 3, 5, "东经114度"), "utf-8-sig")

    path = case(
        "lon_lat_swapped.csv",
        "adoption_zones",
        "ValidationError",
        "the 经度 and 纬度 columns hold each other's values",
        contains=["填反了"],
        problems=1,
    )
    write_csv(path, TREE_HEADERS, [[*r[:5], r[6], r[5]] for r in TREES], "utf-8-sig")

    path = case(
        "out_of_range.csv",
        "adoption_zones",
        "ValidationError",
        "纬度 95.2 in row 4",
        row=4,
        column="纬度",
        contains=["纬度 95.2 超出范围"],
    )
    write_csv(path, TREE_HEADERS, replaced(TREES, 4, 6, "95.2"), "utf-8-sig")

    path = case(
        "no_lon_lat.csv",
        "adoption_zones",
        "MissingColumnsError",
        "points without coordinate columns",
        contains=["经度", "纬度"],
    )
    write_csv(path, TREE_HEADERS[:5], [r[:5] for r in TREES], "utf-8-sig")

    path = case(
        "points_for_buildings.csv",
        "buildings",
        "UnsupportedFormatError",
        "a lon/lat table cannot give building polygons",
        contains=["楼栋"],
    )
    write_csv(path, ["楼栋编号", "经度", "纬度"], [["B01", "114.3", "30.59"]], "utf-8-sig")


# --- Excel -----------------------------------------------------------------------------------------
def excel_files() -> None:
    good = BAD / "_good.xlsx"
    book = openpyxl.Workbook()
    book.active.append(ROSTER_HEADERS)
    for row in ROSTER:
        book.active.append(row)
    book.properties.created = book.properties.modified = dt.datetime(*FIXED_TIME)
    book.save(good)
    fix_zip_times(good)
    data = good.read_bytes()
    good.unlink()
    path = case("truncated.xlsx", "households", "CorruptFileError", "an .xlsx cut off halfway (download stopped)")
    path.write_bytes(data[: len(data) // 2])

    # a two-level header: 房屋位置 spans 楼栋编号/单元/楼层 of a second header row
    path = case(
        "merged_header.xlsx",
        "households",
        "ValidationError",
        "header cells B1:D1 merged over a second header row",
        row=1,
        contains=["B1:D1", "取消合并"],
    )
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "住户"
    sheet.append(["户号", "房屋位置", None, None, "房号"])
    sheet.append([None, "楼栋编号", "单元", "楼层", None])
    for row in ROSTER:
        sheet.append([row[0], row[1], row[2], row[3], row[4]])
    sheet.merge_cells("B1:D1")
    book.properties.created = book.properties.modified = dt.datetime(*FIXED_TIME)
    book.save(path)
    fix_zip_times(path)

    import xlwt

    path = case(
        "merged_header.xls",
        "households",
        "ValidationError",
        "the same two-level header in an old .xls",
        row=1,
        contains=["B1:D1"],
    )
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("住户")
    sheet.write(0, 0, "户号")
    sheet.write_merge(0, 0, 1, 3, "房屋位置")
    sheet.write(0, 4, "房号")
    for c, text in enumerate(["楼栋编号", "单元", "楼层"], start=1):
        sheet.write(1, c, text)
    for r, row in enumerate(ROSTER, start=2):
        for c, value in enumerate(row[:5]):
            sheet.write(r, c, value)
    book.save(str(path))

    good = BAD / "_good.xls"
    write_xls(good, ROSTER_HEADERS, ROSTER)
    data = good.read_bytes()
    good.unlink()
    path = case("truncated.xls", "households", "CorruptFileError", "an .xls cut off halfway")
    path.write_bytes(data[: len(data) // 2])


# --- GIS files -----------------------------------------------------------------------------------------
def gis_files() -> None:
    props = BUILDING_PROPERTIES
    path = case(
        "self_intersecting.geojson",
        "buildings",
        "ValidationError",
        "feature 2 is a bow-tie polygon",
        row=2,
        contains=["自相交", "Self-intersection"],
    )
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[114.306, 30.593], [114.3064, 30.5934], [114.3064, 30.593], [114.306, 30.5934], [114.306, 30.593]]
        ],
    }
    geojson(path, [(square(114.305, 30.593), props[0]), (bowtie, props[1]), (square(114.307, 30.593), props[2])])

    path = case(
        "empty_polygon.geojson",
        "buildings",
        "ValidationError",
        "feature 2 has an empty polygon, feature 3 no geometry at all",
        row=2,
        contains=["第 3 行", "没有图形"],
        problems=2,
    )
    empty = {"type": "Polygon", "coordinates": []}
    geojson(path, [(square(114.305, 30.593), props[0]), (empty, props[1]), (None, props[2])])

    path = case(
        "mixed_geometry.geojson",
        "buildings",
        "ValidationError",
        "a polygon, a point and a line in the polygon-only buildings layer",
        row=2,
        contains=["混有", "点", "线"],
    )
    point = {"type": "Point", "coordinates": [114.306, 30.593]}
    line = {"type": "LineString", "coordinates": [[114.307, 30.593], [114.3075, 30.5935]]}
    geojson(path, [(square(114.305, 30.593), props[0]), (point, props[1]), (line, props[2])])

    path = case(
        "points_in_polygon_layer.geojson",
        "buildings",
        "ValidationError",
        "buildings drawn as points (picked on a map)",
        row=1,
        contains=["这个要素是点", "只接受面"],
        problems=3,
    )
    geojson(path, [({"type": "Point", "coordinates": [114.305 + i * 0.001, 30.593]}, p) for i, p in enumerate(props)])

    path = case(
        "bad_attributes.geojson",
        "buildings",
        "ValidationError",
        "单元数 三 in feature 2, no 楼栋编号 in feature 3",
        row=2,
        column="单元数",
        contains=["「三」不是数字", "第 3 行"],
        problems=2,
    )
    bad = [dict(props[0]), {**props[1], "单元数": "三"}, {**props[2], "楼栋编号": None}]
    geojson(path, [(square(114.305 + i * 0.001, 30.593), p) for i, p in enumerate(bad)])

    path = case(
        "projected_as_wgs84.geojson",
        "buildings",
        "ValidationError",
        "Gauss-Kruger metres in a GeoJSON (which is always lon/lat)",
        row=1,
        contains=["不是经纬度"],
    )
    metres = [(square(529000.0 + i * 100, 3384000.0, 30.0), p) for i, p in enumerate(props)]
    geojson(path, metres)

    good = buildings_frame()
    pyogrio.write_dataframe(good, BAD / "_good.geojson")
    data = (BAD / "_good.geojson").read_bytes()
    (BAD / "_good.geojson").unlink()
    path = case("truncated.geojson", "buildings", "CorruptFileError", "a GeoJSON cut off halfway")
    path.write_bytes(data[: len(data) // 2])

    path = case("not_a_geopackage.gpkg", "buildings", "CorruptFileError", "a CSV renamed .gpkg")
    path.write_bytes(",".join(ROSTER_HEADERS).encode("utf-8") + b"\r\n")

    path = case(
        "several_layers.gpkg",
        "buildings",
        "InputError",
        "two layers and no layer= given",
        contains=["楼栋", "小区", "layer="],
    )
    pyogrio.write_dataframe(good, path, layer="楼栋")
    neighbourhood = gpd.GeoDataFrame({"小区编号": ["NB01"]}, geometry=[BUILDING_SHAPES[0].buffer(0.001)], crs=4326)
    pyogrio.write_dataframe(neighbourhood, path, layer="小区", append=True)

    # a shapefile copied without its .prj
    shapefile_options = {"DBF_DATE_LAST_UPDATE": "2026-01-01"}
    path = case("unknown_crs.shp", "buildings", "CRSError", "no .prj beside the .shp", contains=["EPSG:4490", ".prj"])
    pyogrio.write_dataframe(good, path, encoding="GBK", layer_options=shapefile_options)
    path.with_suffix(".prj").unlink()
    path.with_suffix(".cpg").unlink()

    path = case("missing_dbf.shp", "buildings", "CorruptFileError", "only .shp, .shx and .prj", contains=[".dbf"])
    pyogrio.write_dataframe(good, path, encoding="GBK", layer_options=shapefile_options)
    for suffix in (".dbf", ".cpg"):
        path.with_suffix(suffix).unlink()

    path = case("broken_shapefile.shp", "buildings", "CorruptFileError", "the .shp holds zeros, .shx/.dbf are fine")
    pyogrio.write_dataframe(good, path, encoding="GBK", layer_options=shapefile_options)
    path.write_bytes(bytes(100))

    path = case("zip_without_shapefile.zip", "buildings", "InputError", "a zip of a Word file and a picture")
    write_zip(path, [("说明.docx", b"PK not really"), ("照片.jpg", b"\xff\xd8\xff")])

    path = case("truncated.kmz", "buildings", "CorruptFileError", "a KMZ cut off halfway")
    pyogrio.write_dataframe(good, BAD / "_good.kml", driver="KML")
    write_zip(BAD / "_good.kmz", [("doc.kml", (BAD / "_good.kml").read_bytes())])
    data = (BAD / "_good.kmz").read_bytes()
    path.write_bytes(data[: len(data) // 2])
    (BAD / "_good.kml").unlink()
    (BAD / "_good.kmz").unlink()

    path = case("cad_drawing.dwg", "buildings", "UnsupportedFormatError", "a CAD drawing", contains=[".dwg"])
    path.write_bytes(b"AC1032" + bytes(26))


def write_cases() -> None:
    lines = [
        "# Written by make_bad_inputs.py: what importing each file of this folder must raise.",
        "# import_as: a layer kind (read_layer) or a record table (read_table + check_records);",
        "# row/column: where the message places the problem; contains: Chinese text the message holds;",
        "# problems: how many problems a ValidationError lists.",
        "",
    ]
    for name, expect in sorted(CASES.items()):
        lines.append(f'["{name}"]')
        for key, value in expect.items():
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
        lines.append("")
    (BAD / "cases.toml").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    if BAD.exists():
        shutil.rmtree(BAD)
    BAD.mkdir(parents=True)
    text_tables()
    point_tables()
    excel_files()
    gis_files()
    write_cases()


if __name__ == "__main__":
    main()
