"""Excel roster templates on the sample community: dropdowns, round trips, marked files, formula safety."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from cogov_toolkit import i18n
from cogov_toolkit.core.schema import BOOLEAN, INTEGER, LAYERS, REAL, Column, resolve_column
from cogov_toolkit.demo.sample import build_sample_workspace, sample_data_dir
from cogov_toolkit.errors import EmptyFileError, InputError, ValidationError
from cogov_toolkit.io.rosters import ROSTERS, RosterKind, RosterSheet
from cogov_toolkit.storage import Workspace, create_workspace, open_workspace
from cogov_toolkit.workflows import rosters as templates
from cogov_toolkit.workflows.imports import import_file

FORMULA_TEXTS = ('=HYPERLINK("http://example.invalid","点我")', "@SUM(A1:A9)", "+86 领取", "-1栋")
HOUSEHOLD_ROWS = 40  # enough rows for every planted error, few enough to stay fast


# --- fixtures ------------------------------------------------------------------------------------
@pytest.fixture(name="sample", scope="module")
def fixture_sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = open_workspace(build_sample_workspace(tmp_path_factory.mktemp("sample") / "幸福社区.gpkg"), backups=0)
    yield ws
    ws.close()


@pytest.fixture(name="fresh")
def fixture_fresh(tmp_path: Path) -> Iterator[Workspace]:
    """A new community holding only the sample's buildings (households must name a known building)."""
    ws = create_workspace(tmp_path / "新社区.gpkg", "新社区")
    import_file(ws, sample_data_dir() / "buildings.geojson", "buildings")
    yield ws
    ws.close()


# --- filling a template the way a planner would, from the sample's own files ---------------------
def _typed(column: Column, text: Any) -> Any:
    """Return a sample value as a planner types it into the template."""
    if text is None or (isinstance(text, float) and pd.isna(text)) or str(text) == "":
        return None
    if column.enum:
        return i18n.label(column.enum, str(text), "zh")
    if column.dtype == BOOLEAN:
        return "是" if str(text) in ("1", "True", "true") else "否"
    if column.dtype == INTEGER:
        return int(float(text))
    if column.dtype == REAL:
        return float(text)
    return str(text)


def _sample_rows(sheet: RosterSheet) -> list[list[Any]]:
    folder = sample_data_dir()
    if sheet.table in LAYERS:
        frame = gpd.read_file(folder / f"{sheet.table}.geojson").drop(columns="geometry")
    else:
        frame = pd.read_csv(folder / f"{sheet.table}.csv", dtype=str, keep_default_na=False).head(HOUSEHOLD_ROWS)
    frame = frame.astype(object).where(frame.notna(), None)
    rows = []
    for record in frame.to_dict("records"):
        values = [_typed(c, record.get(c.name)) for c in sheet.columns]
        values += [record.get(name) or None for name in sheet.personal]
        rows.append(values)
    if sheet.table == "households":  # resident text that looks like a formula must stay text
        public_name = len(sheet.columns) + list(sheet.personal).index("public_name")
        for row, text in zip(rows, FORMULA_TEXTS, strict=False):
            row[public_name] = text
    return rows


def fill_template(kind: RosterKind, path: Path) -> Path:
    """Write the blank template, then type the sample's data into it (text stored as text)."""
    templates.write_template(kind, path)
    book = load_workbook(path)
    for sheet in ROSTERS[kind]:
        worksheet = book[sheet.title]
        for r, values in enumerate(_sample_rows(sheet), start=2):
            for c, value in enumerate(values, start=1):
                cell = worksheet.cell(r, c, value)
                if isinstance(value, str):
                    cell.data_type = "s"
    book.save(path)
    return path


def sheet_values(path: Path, title: str) -> list[tuple[Any, ...]]:
    worksheet = load_workbook(path)[title]
    return [tuple(row) for row in worksheet.iter_rows(values_only=True) if any(v is not None for v in row)]


def formula_cells_in_xml(path: Path) -> list[str]:
    """Return the sheet XML parts of an .xlsx that hold a formula element."""
    with zipfile.ZipFile(path) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        return [name for name in sheets if b"<f>" in archive.read(name) or b"<f " in archive.read(name)]


# --- templates -----------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", list(RosterKind))
def test_template_headers_read_back_and_dropdowns_sit_on_the_right_columns(kind: RosterKind, tmp_path: Path) -> None:
    path = templates.write_template(kind, tmp_path / f"{kind.value}.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == [s.title for s in ROSTERS[kind]] + ["说明"]
    for sheet in ROSTERS[kind]:
        worksheet = book[sheet.title]
        headers = [c.value for c in worksheet[1]]
        assert headers == sheet.headers()
        for column, header in zip(sheet.columns, headers, strict=False):
            assert resolve_column(sheet.columns, header) == column, header
        assert worksheet.freeze_panes == "A2"
        by_letter = {}
        for validation in worksheet.data_validations.dataValidation:
            for cell_range in validation.sqref.ranges:
                assert cell_range.min_row == 2 and cell_range.max_row >= templates.TEMPLATE_ROWS
                by_letter[cell_range.coord.split(":")[0].rstrip("0123456789")] = validation
        for index, column in enumerate(sheet.columns, start=1):
            letter = worksheet.cell(1, index).column_letter
            validation = by_letter.get(letter)
            if column.enum or column.dtype == BOOLEAN:
                assert validation is not None and validation.type == "list", column.name
                assert validation.formula1.strip('"').split(",") == templates.dropdown_choices(column)
            elif column.dtype in (INTEGER, REAL):
                assert validation is not None and validation.type in ("whole", "decimal"), column.name
            else:
                assert validation is None, column.name
    assert book["说明"]["A1"].value


def test_enum_dropdowns_offer_the_chinese_labels() -> None:
    spaces = ROSTERS[RosterKind.SITES][0]
    assert "架空层" in templates.dropdown_choices(next(c for c in spaces.columns if c.enum))
    household = ROSTERS[RosterKind.HOUSEHOLDS][0]
    assert templates.dropdown_choices(next(c for c in household.columns if c.name == "is_owner")) == ["是", "否"]


# --- round trips -----------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", list(RosterKind))
def test_each_template_round_trips(kind: RosterKind, fresh: Workspace, tmp_path: Path) -> None:
    filled = fill_template(kind, tmp_path / f"{kind.value}_已填.xlsx")
    check = templates.check_uploaded(filled, kind, fresh)
    assert check.ok, [p.message() for p in check.problems]
    assert check.marked_file is None
    templates.import_uploaded(fresh, filled, kind)
    back = templates.export_roster(fresh, kind, tmp_path / f"{kind.value}_导出.xlsx", include_personal=True)
    for sheet in ROSTERS[kind]:
        assert sheet_values(back, sheet.title) == sheet_values(filled, sheet.title)
        assert len(sheet_values(back, sheet.title)) > 1


def test_export_leaves_personal_columns_empty_unless_asked(fresh: Workspace, tmp_path: Path) -> None:
    filled = fill_template(RosterKind.HOUSEHOLDS, tmp_path / "住户.xlsx")
    templates.import_uploaded(fresh, filled, RosterKind.HOUSEHOLDS)
    assert fresh.private_records("people")["name"].notna().any()
    shared = templates.export_roster(fresh, RosterKind.HOUSEHOLDS, tmp_path / "共享.xlsx")
    rows = sheet_values(shared, "住户名册")
    name_column = rows[0].index("姓名")
    assert all(row[name_column] is None for row in rows[1:])
    assert not {"name", "phone", "姓名"} & set(fresh.records("households").columns)


def test_buildings_roster_updates_attributes_and_keeps_shapes(sample: Workspace, tmp_path: Path) -> None:
    exported = templates.export_roster(sample, RosterKind.BUILDINGS, tmp_path / "楼栋.xlsx")
    book = load_workbook(exported)
    book["楼栋"]["B2"] = "1号楼"
    book.save(exported)
    before = sample.read_layer("buildings")
    templates.import_uploaded(sample, exported, RosterKind.BUILDINGS)
    after = sample.read_layer("buildings")
    assert after.loc[after["building_id"] == "B01", "label"].item() == "1号楼"
    assert after.geometry.equals(before.geometry)


# --- formula-like resident text ----------------------------------------------------------------------
def test_formula_like_resident_text_stays_text(fresh: Workspace, tmp_path: Path) -> None:
    filled = fill_template(RosterKind.HOUSEHOLDS, tmp_path / "住户.xlsx")
    templates.import_uploaded(fresh, filled, RosterKind.HOUSEHOLDS)
    assert set(FORMULA_TEXTS) <= set(fresh.private_records("people")["public_name"])  # a display name is private
    back = templates.export_roster(fresh, RosterKind.HOUSEHOLDS, tmp_path / "导出.xlsx", include_personal=True)
    worksheet = load_workbook(back)["住户名册"]
    found = {c.value: c.data_type for row in worksheet.iter_rows() for c in row if c.value in FORMULA_TEXTS}
    assert found == dict.fromkeys(FORMULA_TEXTS, "s")
    assert formula_cells_in_xml(back) == []


def test_the_formula_scan_finds_a_formula(tmp_path: Path) -> None:
    book = Workbook()
    book.active["A1"] = "=1+1"  # openpyxl stores this as a formula: the scan must see it
    book.save(tmp_path / "公式.xlsx")
    assert formula_cells_in_xml(tmp_path / "公式.xlsx") != []


# --- planted errors --------------------------------------------------------------------------------------
#: (row, header, value, reason) of each planted error in the household roster
PLANTED = (
    (3, "登记面积", "九十平", "import.not_a_number"),
    (4, "单元", "1.5", "import.not_an_integer"),
    (5, "房号", None, "import.required_empty"),
    (6, "户号", "H0001", "import.duplicate_key"),
    (7, "楼栋编号", "B99", "templates.unknown_buildings"),
    (8, "是否业主", "也许", "import.not_a_boolean"),
    (9, "楼层", "三楼", "import.not_a_number"),
    (10, "同意公开姓名", "x", "import.not_a_boolean"),
    (11, "楼栋编号", None, "import.required_empty"),
    (12, "合同面积", "-", "import.not_a_number"),
)


def _plant(path: Path, title: str, planted: tuple[tuple[int, str, Any, str], ...]) -> dict[tuple[int, int], str]:
    """Write the planted values; return (row, column) -> reason."""
    book = load_workbook(path)
    worksheet = book[title]
    headers = {c.value: c.column for c in worksheet[1]}
    where = {}
    for row, header, value, reason in planted:
        cell = worksheet.cell(row, headers[header])
        cell.value = value  # cell(row, column, None) would leave the old value in place
        if isinstance(value, str):
            cell.data_type = "s"
        where[(row, headers[header])] = reason
    book.save(path)
    return where


def _cells(path: Path) -> dict[tuple[str, str], tuple[Any, str | None, bool]]:
    """Return every cell of every sheet: (value, fill colour, has a comment)."""
    book = load_workbook(path)
    return {
        (ws.title, c.coordinate): (c.value, c.fill.fgColor.rgb if c.fill.fill_type else None, c.comment is not None)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
    }


def test_ten_planted_errors_come_back_highlighted_and_commented(fresh: Workspace, tmp_path: Path) -> None:
    path = fill_template(RosterKind.HOUSEHOLDS, tmp_path / "住户名册.xlsx")
    book = load_workbook(path)  # the planner's own extra sheet must survive
    book.create_sheet("我的备注")["A1"] = "楼长名单另存"
    book.save(path)
    where = _plant(path, "住户名册", PLANTED)
    assert len(where) == 10

    check = templates.check_uploaded(path, RosterKind.HOUSEHOLDS, fresh)
    assert not check.ok
    assert sorted(p.reason for p in check.problems) == sorted(reason for *_, reason in PLANTED)
    assert check.marked_file == tmp_path / "住户名册_请修改.xlsx"

    original, marked = _cells(path), _cells(check.marked_file)
    changed = {key for key in marked if marked[key] != original.get(key)}
    expected = {("住户名册", f"{load_workbook(path)['住户名册'].cell(r, c).coordinate}") for r, c in where}
    assert changed == expected
    for key in expected:
        value, colour, commented = marked[key]
        assert value == original[key][0] and colour.endswith(templates.PROBLEM_FILL) and commented
    result = load_workbook(check.marked_file)
    worksheet = result["住户名册"]
    for (row, column), reason in where.items():
        text = worksheet.cell(row, column).comment.text
        planted = next(value for r, _, value, why in PLANTED if r == row and why == reason)
        assert (str(planted) in text) if planted not in (None, "-") else text, (row, reason, text)
    assert "不能为空" in worksheet.cell(5, 5).comment.text  # 房号 left empty
    assert "已经" not in worksheet.cell(7, 2).comment.text and "不在" in worksheet.cell(7, 2).comment.text
    assert "我的备注" in result.sheetnames and result["我的备注"]["A1"].value == "楼长名单另存"
    assert worksheet.data_validations.dataValidation  # the planner's dropdowns are still there
    assert formula_cells_in_xml(check.marked_file) == []  # the residents' "=…" text stayed text


def test_unknown_labels_in_the_sites_roster_are_marked_on_their_own_sheet(tmp_path: Path) -> None:
    path = fill_template(RosterKind.SITES, tmp_path / "场地.xlsx")
    spaces = _plant(path, "公共空间", ((2, "类型", "篮球场", "import.unknown_enum"),))
    plots = _plant(path, "闲置地块", ((3, "状态", "搁置", "import.unknown_enum"), (4, "面积", "大约一百", "")))
    check = templates.check_uploaded(path, RosterKind.SITES)
    marked = load_workbook(check.marked_file)
    red = {
        (ws.title, c.row, c.column)
        for ws in marked.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.fill.fill_type and c.fill.fgColor.rgb.endswith(templates.PROBLEM_FILL)
    }
    assert red == {("公共空间", r, c) for r, c in spaces} | {("闲置地块", r, c) for r, c in plots}
    comment = marked["公共空间"].cell(*next(iter(spaces))).comment.text
    assert "篮球场" in comment and "架空层" in comment


def test_a_missing_column_is_listed_on_a_problem_sheet(tmp_path: Path) -> None:
    path = fill_template(RosterKind.BUILDINGS, tmp_path / "楼栋.xlsx")
    book = load_workbook(path)
    book["楼栋"].delete_cols(5)  # 单元数, a required column
    book.save(path)
    check = templates.check_uploaded(path, RosterKind.BUILDINGS)
    assert [p.reason for p in check.problems] == ["import.missing_columns"]
    listed = [row[0] for row in load_workbook(check.marked_file)["问题清单"].iter_rows(values_only=True)]
    assert any("单元数" in str(text) for text in listed[1:])


def test_a_file_with_problems_is_not_imported(fresh: Workspace, tmp_path: Path) -> None:
    path = fill_template(RosterKind.HOUSEHOLDS, tmp_path / "住户名册.xlsx")
    _plant(path, "住户名册", PLANTED[:1])
    with pytest.raises(ValidationError) as raised:
        templates.import_uploaded(fresh, path, RosterKind.HOUSEHOLDS)
    assert "住户名册_请修改.xlsx" in str(raised.value) and "第 3 行" in str(raised.value)
    assert fresh.count("households") == 0
    assert fresh.private_records("people").empty


def test_a_csv_upload_comes_back_as_a_marked_workbook(fresh: Workspace, tmp_path: Path) -> None:
    csv = tmp_path / "住户.csv"
    csv.write_text("户号,楼栋编号,单元,房号\nH1,B01,1,101\nH2,B77,1,102\n", encoding="gbk")
    check = templates.check_uploaded(csv, "households", fresh)
    worksheet = load_workbook(check.marked_file).active
    assert worksheet["B3"].value == "B77" and worksheet["B3"].comment is not None
    assert worksheet["B2"].comment is None


@pytest.mark.parametrize("kind", list(RosterKind))
def test_the_instructions_sheet_explains_every_column_in_chinese(kind: RosterKind, tmp_path: Path) -> None:
    book = load_workbook(templates.write_template(kind, tmp_path / "模板.xlsx"))
    rows = [row for row in book["说明"].iter_rows(values_only=True) if any(row)]
    texts = [str(v) for row in rows for v in row if v is not None]
    assert not [t for t in texts if t.startswith("templates.")]  # every catalog key found, none shown raw
    assert rows[2][:2] == ("工作表", "列名")
    listed = {(row[0], row[1]) for row in rows[3:]}
    assert listed == {(sheet.title, header) for sheet in ROSTERS[kind] for header in sheet.headers()}


def test_a_sites_roster_may_leave_a_sheet_empty(fresh: Workspace, tmp_path: Path) -> None:
    path = templates.write_template(RosterKind.SITES, tmp_path / "场地.xlsx")
    book = load_workbook(path)
    book["公共空间"].append(["S1", 1, "广场", "中心广场", None, None])
    book.save(path)
    check = templates.check_uploaded(path, RosterKind.SITES, fresh)
    assert check.ok and check.rows == 1
    templates.import_uploaded(fresh, path, RosterKind.SITES)
    assert fresh.read_layer("public_spaces")["type"].tolist() == ["square"]
    assert fresh.read_layer("idle_plots").empty


def test_a_blank_households_template_is_refused_as_empty(tmp_path: Path) -> None:
    path = templates.write_template(RosterKind.HOUSEHOLDS, tmp_path / "住户.xlsx")
    with pytest.raises(EmptyFileError):
        templates.check_uploaded(path, RosterKind.HOUSEHOLDS)


def test_a_sites_csv_is_refused_with_the_reason(tmp_path: Path) -> None:
    csv = tmp_path / "场地.csv"
    csv.write_text("空间编号,序号,类型\nS1,1,广场\n", encoding="utf-8")
    with pytest.raises(InputError, match="xlsx"):
        templates.check_uploaded(csv, RosterKind.SITES)
