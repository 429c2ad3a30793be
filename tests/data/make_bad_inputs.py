"""Write the malformed import fixtures of tests/data/bad/ and their expectations (re-runnable, deterministic).

Each file is named for what is wrong with it, and is wrong the way planners'
files are: a roster pasted together from two systems, a two-level Excel
header, a shapefile copied without its .prj, points picked on the wrong map.
``cases.toml`` says for each file what it is imported as (a layer kind or a
record table), the toolkit error expected, and where (row and column, as the
message shows them) when the error has a place.

Since issue 11/12 it also holds the files that used to end in a raw traceback or
import silently wrong (a .dbf cut inside its field list, a NUL byte or a BOM in a cell,
a CSV cut off mid-row, malformed questionnaire XML, KML with entity tricks …) and a zip
bomb of each archive type (zipped shapefile, KMZ, .xlsx roster, .xlsx questionnaire):
small on disk, gigabytes by their headers or by their data. ``import_as`` may then also
be ``questionnaire`` (read_questionnaire), ``cad`` (list_cad_layers), ``cad_import``
(import_dxf by its GEODATA) or ``kobo`` (read_kobo_csv against the bundled satisfaction form).

Run: ``python tests/data/make_bad_inputs.py``. Needs xlwt for the .xls files only.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import struct
import zipfile
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
    write_xlsx,
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


# --- archives that inflate past the cap (zip bombs), and their lying-header cousins -------------
GIGABYTES_3 = 3 * 1024**3


def patched_sizes(path: Path, sizes: dict[str, int]) -> None:
    """Rewrite the uncompressed size of members in both zip headers (the central directory and the local one)."""
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    count, _, offset = struct.unpack_from("<HII", data, end + 10)
    position = offset
    for _ in range(count):
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, position + 28)
        name = data[position + 46 : position + 46 + name_length].decode("utf-8")
        local = struct.unpack_from("<I", data, position + 42)[0]
        if name in sizes:
            struct.pack_into("<I", data, position + 24, sizes[name])
            struct.pack_into("<I", data, local + 22, sizes[name])
        position += 46 + name_length + extra_length + comment_length
    path.write_bytes(bytes(data))


def zeros_member(archive: zipfile.ZipFile, name: str, size: int, compression: int = zipfile.ZIP_DEFLATED) -> None:
    """Write ``size`` zero bytes as a compressed member, streamed (never ``size`` bytes in memory).

    bzip2 packs a gigabyte of zeros into under a kilobyte, and Python's zipfile inflates a
    bzip2 member in one piece: the most dangerous bomb there is for a reader that trusts it.
    """
    info = zipfile.ZipInfo(name, FIXED_TIME)
    info.compress_type = compression
    chunk = bytes(1 << 22)
    with archive.open(info, "w", force_zip64=False) as member:
        left = size
        while left > 0:
            member.write(chunk[: min(left, len(chunk))])
            left -= len(chunk)


def bombs() -> None:
    from make_good_inputs import GOOD

    shapefile = {suffix: (GOOD / f"buildings_gbk{suffix}").read_bytes() for suffix in (".shp", ".shx", ".dbf", ".prj")}
    path = case(
        "bomb_shapefile.zip", "buildings", "ArchiveTooLargeError", "a zipped shapefile whose .dbf says it holds 3 GB",
        contains=["buildings.dbf", "3,072 MB"],
    )  # fmt: skip
    write_zip(path, [(f"buildings{suffix}", data) for suffix, data in shapefile.items()])
    patched_sizes(path, {"buildings.dbf": GIGABYTES_3})

    path = case(
        "bomb.kmz",
        "public_spaces",
        "ArchiveTooLargeError",
        "a KMZ whose doc.kml says it holds 3 GB",
        contains=["doc.kml"],
    )
    write_zip(path, [("doc.kml", b'<kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>')])
    patched_sizes(path, {"doc.kml": GIGABYTES_3})

    roster = BAD / "bomb_roster.xlsx"
    write_xlsx(roster, ROSTER_HEADERS, ROSTER)
    case(
        "bomb_roster.xlsx",
        "households",
        "ArchiveTooLargeError",
        "an .xlsx roster whose sheet says it holds 3 GB",
        contains=["sheet1.xml"],
    )
    patched_sizes(roster, {"xl/worksheets/sheet1.xml": GIGABYTES_3})

    form = case(
        "bomb_questionnaire.xlsx", "questionnaire", "ArchiveTooLargeError", "an XLSForm whose survey sheet says 3 GB",
        contains=["sheet1.xml"],
    )  # fmt: skip
    questionnaire(form, [("type", "name", "label::zh"), ("text", "q1", "意见")])
    patched_sizes(form, {"xl/worksheets/sheet1.xml": GIGABYTES_3})

    path = case(
        "bomb_many_members.zip", "buildings", "ArchiveTooLargeError", "a zip of 8 members of 200 MB each (1.6 GB in all)",
        contains=["1,600 MB"],
    )  # fmt: skip
    write_zip(path, [(f"part{i}.dbf", b"x") for i in range(8)])
    patched_sizes(path, {f"part{i}.dbf": 200 * 1024**2 for i in range(8)})

    # headers that lie the other way: they say a few bytes, the data inflates to 300 MB
    path = case(
        "bomb_lying.kmz", "public_spaces", "CorruptFileError", "a KMZ whose doc.kml says 1 KB and inflates to 300 MB"
    )
    with zipfile.ZipFile(path, "w") as archive:
        zeros_member(archive, "doc.kml", 300 * 1024**2)
    patched_sizes(path, {"doc.kml": 1024})

    path = case(
        "bomb_bzip2_shapefile.zip", "buildings", "UnsupportedFormatError",
        "a zipped .dbf saying 1 KB, bzip2 data inflating to 1 GB (under 1 KB on disk)", contains=["bzip2"],
    )  # fmt: skip
    with zipfile.ZipFile(path, "w") as archive:
        for suffix in (".shp", ".shx", ".prj"):
            archive.writestr(zipfile.ZipInfo(f"buildings{suffix}", FIXED_TIME), shapefile[suffix], zipfile.ZIP_DEFLATED)
        zeros_member(archive, "buildings.dbf", 1024**3, zipfile.ZIP_BZIP2)
    patched_sizes(path, {"buildings.dbf": 1024})

    path = case(
        "bomb_bzip2_roster.xlsx", "households", "UnsupportedFormatError",
        "an .xlsx whose sheet says 1 KB, bzip2 data inflating to 1 GB", contains=["bzip2"],
    )  # fmt: skip
    write_xlsx(BAD / "_roster.xlsx", ROSTER_HEADERS, ROSTER)
    with zipfile.ZipFile(BAD / "_roster.xlsx") as source, zipfile.ZipFile(path, "w") as archive:
        for info in source.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                zeros_member(archive, info.filename, 1024**3, zipfile.ZIP_BZIP2)
            else:
                archive.writestr(
                    zipfile.ZipInfo(info.filename, FIXED_TIME), source.read(info.filename), zipfile.ZIP_DEFLATED
                )
    (BAD / "_roster.xlsx").unlink()
    patched_sizes(path, {"xl/worksheets/sheet1.xml": 1024})


def questionnaire(path: Path, survey: list[tuple[str, ...]], choices: list[tuple[str, ...]] | None = None) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(list(row))
    if choices:
        other = book.create_sheet("choices")
        for row in choices:
            other.append(list(row))
    book.properties.created = dt.datetime(2026, 1, 1)
    book.save(path)
    fix_zip_times(path)


# --- what used to end in a raw traceback, or import silently wrong ---------------------------------
def formerly_raw() -> None:
    path = case(
        "dbf_cut_in_field_list.shp", "buildings", "CorruptFileError", "the .dbf ends inside its field list",
        contains=["字段列表"],
    )  # fmt: skip
    for suffix in (".shp", ".shx", ".prj"):
        shutil.copy(HERE / "good" / f"buildings_gbk{suffix}", BAD / f"dbf_cut_in_field_list{suffix}")
    dbf = (HERE / "good" / "buildings_gbk.dbf").read_bytes()
    (BAD / "dbf_cut_in_field_list.dbf").write_bytes(dbf[: 32 + 32 * 2 + 5])

    path = case(
        "nul_in_roster.csv", "households", "ValidationError", "a NUL byte inside a resident's name, and 单元 一 in row 2",
        row=2, column="单元", contains=["「一」不是数字"], not_contains=["赵丽", "赵"],
    )  # fmt: skip
    rows = replaced(replaced(ROSTER, 2, 7, "赵\x00丽"), 2, 2, "一")
    write_csv(path, ROSTER_HEADERS, rows, "utf-8-sig")

    path = case(
        "bom_in_data_row.csv", "households", "ValidationError", "a BOM glued before row 4's id, which repeats row 2's",
        row=4, column="户号", contains=["「H0101」", "第 2 行"],
    )  # fmt: skip
    lines = [",".join(ROSTER_HEADERS)] + [",".join(r) for r in replaced(ROSTER, 4, 0, "\ufeffH0101")]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))

    path = case(
        "nul_in_id.csv", "households", "ValidationError", "row 5's id has a NUL byte and repeats row 3's",
        row=5, column="户号", contains=["「H0102」"],
    )  # fmt: skip
    write_csv(path, ROSTER_HEADERS, replaced(ROSTER, 5, 0, "H01\x0002"), "utf-8")

    path = case(
        "cut_mid_row.csv", "households", "CorruptFileError", "an Excel CSV cut off inside row 5 (房号 2 for 202)",
        row=5, contains=["中途结束"],
    )  # fmt: skip
    write_csv(path, ROSTER_HEADERS, ROSTER, "utf-8-sig")
    data = path.read_bytes()
    path.write_bytes(data[: data.rindex(b",202,") + 2])

    path = case(
        "cut_inside_quotes.csv", "households", "CorruptFileError", "a CSV cut off inside a quoted cell", row=5,
        contains=["引号没有闭合"],
    )  # fmt: skip
    text = "\n".join([",".join(ROSTER_HEADERS)] + [",".join(r) for r in ROSTER[:3]] + ['H0202,B02,2,2,"20'])
    path.write_text(text, encoding="utf-8")

    path = case(
        "short_row.csv", "households", "ValidationError", "row 3 lost its last four cells", row=3,
        contains=["只有 5 个单元格"],
    )  # fmt: skip
    lines = [",".join(ROSTER_HEADERS)] + [",".join(r) for r in ROSTER]
    lines[2] = ",".join(ROSTER[1][:5])
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")

    path = case(
        "semicolon_export.csv", "households", "ValidationError", "a ';' separated export (as KoboToolbox writes) with 单元 二",
        row=3, column="单元", contains=["「二」不是数字"],
    )  # fmt: skip
    write_csv(path, ROSTER_HEADERS, replaced(ROSTER, 3, 2, "二"), "utf-8", delimiter=";")


def questionnaires() -> None:
    path = case(
        "malformed_questionnaire.xlsx", "questionnaire", "CorruptFileError", "a questionnaire whose sheet XML is cut"
    )
    questionnaire(BAD / "_form.xlsx", [("type", "name", "label::zh"), ("text", "q1", "意见")])
    with zipfile.ZipFile(BAD / "_form.xlsx") as source, zipfile.ZipFile(path, "w") as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            archive.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    (BAD / "_form.xlsx").unlink()

    path = case(
        "questionnaire_with_repeat.xlsx", "questionnaire", "ValidationError", "a repeat group (每位家庭成员)",
        row=3, column="type", contains=["begin repeat"],
    )  # fmt: skip
    questionnaire(path, [("type", "name", "label::zh"), ("integer", "size", "家里几口人"), ("begin repeat", "member", "每位家庭成员"),
                         ("integer", "age", "年龄"), ("end repeat", "", "")])  # fmt: skip

    path = case(
        "questionnaire_two_labels.xlsx", "questionnaire", "ValidationError", "two columns headed label",
        row=1, column="label", contains=["两次"],
    )  # fmt: skip
    questionnaire(path, [("type", "name", "label", "label"), ("text", "q1", "意见", "建议")])

    path = case(
        "questionnaire_pulldata.xlsx", "questionnaire", "ValidationError", "a calculation with pulldata()",
        row=3, column="calculation", contains=["pulldata()"],
    )  # fmt: skip
    questionnaire(path, [("type", "name", "label::zh", "calculation"), ("text", "q1", "楼栋", ""),
                         ("calculate", "households", "", "pulldata('楼栋', 'households', 'id', ${q1})")])  # fmt: skip

    path = case(
        "questionnaire_unknown_list.xlsx", "questionnaire", "ValidationError", "select_one of a list the choices sheet lacks",
        row=2, column="type", contains=["colours"],
    )  # fmt: skip
    questionnaire(
        path,
        [("type", "name", "label::zh"), ("select_one colours", "q1", "颜色")],
        [("list_name", "name", "label::zh"), ("yes_no", "yes", "是")],
    )

    path = case(
        "kobo_without_questions.csv",
        "kobo",
        "InputError",
        "a Kobo export none of whose columns is a question",
        contains=["没有一列"],
    )
    path.write_text("start;end;_uuid;x\r\n2026-06-01;2026-06-01;abc;1\r\n", encoding="utf-8")


def placemarks() -> None:
    path = case(
        "network_link_only.kml",
        "public_spaces",
        "InputError",
        "a KML holding only a NetworkLink",
        contains=["NetworkLink"],
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        "<NetworkLink><Link><href>https://example.invalid/sites.kml</href></Link></NetworkLink></Document></kml>",
        encoding="utf-8",
    )
    path = case(
        "every_placemark_bad.kml", "public_spaces", "ValidationError", "three placemarks, none with usable coordinates",
        row=2, contains=["「no,no」", "小花园"], problems=3,
    )  # fmt: skip
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        "<Placemark><name>议事角</name><Point><coordinates>no,no</coordinates></Point></Placemark>"
        "<Placemark><name>小花园</name><Point><coordinates>114.3,</coordinates></Point></Placemark>"
        "<Placemark><name>广场</name></Placemark></Document></kml>",
        encoding="utf-8",
    )
    path = case(
        "entity_expansion.kml",
        "public_spaces",
        "CorruptFileError",
        "a KML declaring XML entities (a billion laughs)",
        contains=["ENTITY"],
    )
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&c;</name>'
        "<Point><coordinates>114.3,30.59</coordinates></Point></Placemark></kml>",
        encoding="utf-8",
    )
    path = case(
        "cut_off.kml", "public_spaces", "CorruptFileError", "a KML cut off inside a placemark", contains=["XML"]
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark>'
        "<name>小花园</name><Point><coordinates>114.30",
        encoding="utf-8",
    )
    path = case("cut_off.gpx", "public_spaces", "CorruptFileError", "a 两步路 GPX cut off inside its track")
    path.write_text(
        '<?xml version="1.0"?><gpx version="1.1" creator="2bulu" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg><trkpt lat="30.59" lon="114.3">',
        encoding="utf-8",
    )
    path = case(
        "gpx_without_points.gpx", "public_spaces", "EmptyFileError", "a GPX holding metadata only", contains=["地标"]
    )
    path.write_text(
        '<?xml version="1.0"?><gpx version="1.1" creator="六只脚" xmlns="http://www.topografix.com/GPX/1/1"><metadata><name>空</name></metadata></gpx>',
        encoding="utf-8",
    )


def cad_files() -> None:
    path = case("garbage.dxf", "cad", "CorruptFileError", "random bytes named .dxf")
    path.write_bytes(bytes(range(256)) * 8)
    path = case(
        "plan_without_geodata.dxf",
        "cad_import",
        "InputError",
        "a local-coordinate plan with no GEODATA and no placement",
        contains=["GEODATA"],
    )
    shutil.copy(HERE / "cad" / "site_plan_local.dxf", path)


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
    bombs()
    formerly_raw()
    questionnaires()
    placemarks()
    cad_files()
    write_cases()


if __name__ == "__main__":
    main()
