"""Reading CSV/TXT/Excel tables and checking them against declared columns (cogov_toolkit.io.tables)."""

from __future__ import annotations

import ast
import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cogov_toolkit import i18n
from cogov_toolkit.core.schema import LAYERS, RECORD_TABLES, Column
from cogov_toolkit.core.validate import Table, check_records
from cogov_toolkit.errors import (
    CogovError,
    ConversionError,
    EmptyFileError,
    EncodingError,
    InputError,
    MissingColumnsError,
    UnsupportedFormatError,
    ValidationError,
)
from cogov_toolkit.i18n.text import listed_columns
from cogov_toolkit.io import tables
from cogov_toolkit.io.tables import (
    LocalText,
    cell_text,
    column_letter,
    parse_real,
    read_table,
)

DATA = Path(__file__).resolve().parents[1] / "data"
GOOD = DATA / "good"
PACKAGE = Path(__file__).resolve().parents[2] / "cogov_toolkit"
HOUSEHOLDS = RECORD_TABLES["households"]


@pytest.fixture(name="english")
def fixture_english() -> Iterator[None]:
    """Switch messages to English for one test, and back to Chinese afterwards."""
    i18n.set_language("en")
    try:
        yield
    finally:
        i18n.set_language("zh")


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def table_of(frame: dict[str, list[str]], rows: tuple[int, ...] | None = None) -> Table:
    data = pd.DataFrame(frame, dtype=str)
    return Table(data, Path("名册.csv"), None, rows or tuple(range(2, len(data) + 2)))


def check(frame: dict[str, list[str]], columns: tuple[Column, ...] = HOUSEHOLDS.columns, key: str | None = None):
    return check_records(table_of(frame), columns, file="名册.csv", key=key, progress=tables.progress_bar)


def roster(**changes: list[str]) -> dict[str, list[str]]:
    base = {"户号": ["H1", "H2"], "楼栋编号": ["B1", "B1"], "单元": ["1", "2"], "房号": ["101", "201"]}
    return {**base, **changes}


# --- reading text files ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "name", ["trees_utf8.csv", "trees_utf8_bom.csv", "trees_gbk.csv", "trees_gb18030.csv", "trees_unicode.txt"]
)
def test_text_encodings_read_to_the_same_table(name: str) -> None:
    reference = read_table(GOOD / "trees_utf8.csv")
    table = read_table(GOOD / name)
    pd.testing.assert_frame_equal(table.frame, reference.frame)
    assert table.rows == (2, 3, 4)
    assert list(table.frame.columns)[:3] == ["认养编号", "序号", "类型"]
    assert table.frame.loc[0, "名称"] == "香樟（百年）"


def test_gb18030_only_characters_are_read(tmp_path: Path) -> None:
    # 䶮 (U+4DAE) is in GB18030 but not in GBK: a GBK-only decoder would fail on it
    path = write(tmp_path / "名册.csv", "户号,姓名\nH1,刘䶮\n", "gb18030")
    assert read_table(path).frame.loc[0, "姓名"] == "刘䶮"


def test_explicit_encoding_is_honoured(tmp_path: Path) -> None:
    path = write(tmp_path / "big5.csv", "名稱,備註\n一,二\n", "big5")
    assert read_table(path, encoding="big5").frame.columns.tolist() == ["名稱", "備註"]
    with pytest.raises(InputError) as info:
        read_table(path, encoding="no-such-codec")
    assert info.value.reason == "import.unknown_encoding"


def test_undecodable_bytes_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "坏.csv"
    path.write_bytes(b"a,b\n1,2\n3,\xff\xfe\x80\n")
    with pytest.raises(EncodingError) as info:
        read_table(path)
    assert info.value.row == 3
    assert "坏.csv" in str(info.value) and "第 3 行" in str(info.value)


def test_utf8_file_with_one_gbk_row_is_not_read_as_gbk_nonsense(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes("户号,姓名\nH1,张三\n".encode() + "H2,李四\n".encode("gbk"))
    with pytest.raises(EncodingError) as info:
        read_table(path)
    assert info.value.row == 3


def test_values_are_strings_and_empty_stays_empty(tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", "a,b,c\n001,,NA\n")
    frame = read_table(path).frame
    assert frame.iloc[0].tolist() == ["001", "", "NA"]
    assert all(pd.api.types.is_string_dtype(dtype) for dtype in frame.dtypes)


def test_rows_are_numbered_as_a_person_sees_them(tmp_path: Path) -> None:
    # a blank line is a row in Excel too; a quoted line break stays inside its cell
    path = write(tmp_path / "t.csv", '户号,备注\nH1,"两行\n备注"\n\nH2,x\n')
    table = read_table(path)
    assert table.rows == (2, 4)
    assert table.frame["户号"].tolist() == ["H1", "H2"]


def test_tab_separated_text_is_sniffed(tmp_path: Path) -> None:
    path = write(tmp_path / "t.txt", "户号\t备注\nH1\t有, 逗号\n")
    assert read_table(path).frame.loc[0, "备注"] == "有, 逗号"


def test_header_only_and_blank_files_are_empty(tmp_path: Path) -> None:
    for text in ("", "  \r\n", "户号,房号\r\n", "户号,房号\r\n,\r\n"):
        with pytest.raises(EmptyFileError):
            read_table(write(tmp_path / "e.csv", text))


def test_unsupported_suffix(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormatError) as info:
        read_table(write(tmp_path / "名册.docx", "x"))
    assert ".docx" in str(info.value)


def test_missing_file_is_a_toolkit_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_table(tmp_path / "没有.csv")
    assert "没有.csv" in str(info.value)


# --- reading Excel -----------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["trees.xlsx", "trees.xls"])
def test_excel_reads_like_the_csv(name: str) -> None:
    table = read_table(GOOD / name)
    reference = read_table(GOOD / "trees_utf8.csv")
    pd.testing.assert_frame_equal(table.frame, reference.frame)
    assert table.rows == (2, 3, 4)


def test_excel_cells_become_the_text_a_person_typed(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["整数", "小数", "日期", "时间", "布尔", "空"])
    book.active.append([12.0, 65.5, dt.datetime(2026, 3, 5), dt.datetime(2026, 3, 5, 14, 30), True, None])
    book.save(tmp_path / "t.xlsx")
    assert read_table(tmp_path / "t.xlsx").frame.iloc[0].tolist() == [
        "12",
        "65.5",
        "2026-03-05",
        "2026-03-05 14:30:00",
        "true",
        "",
    ]


def test_sheet_is_chosen_by_name_and_a_wrong_name_lists_the_sheets(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["这是说明页"])
    second = book.create_sheet("名册")
    second.append(["户号"])
    second.append(["H1"])
    book.save(tmp_path / "t.xlsx")
    table = read_table(tmp_path / "t.xlsx", sheet="名册")
    assert (table.sheet, table.frame["户号"].tolist()) == ("名册", ["H1"])
    with pytest.raises(InputError) as info:
        read_table(tmp_path / "t.xlsx", sheet="住户")
    assert "「说明」、「名册」" in str(info.value)


def test_xlsx_renamed_xls_is_read_by_its_content(tmp_path: Path) -> None:
    shutil.copy(GOOD / "trees.xlsx", tmp_path / "trees.xls")
    assert read_table(tmp_path / "trees.xls").frame.shape == (3, 13)


def test_column_without_header_but_with_data_is_named_by_its_letter(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["户号", None, None])
    book.active.append(["H1", "备注在这里", None])
    book.save(tmp_path / "t.xlsx")
    assert read_table(tmp_path / "t.xlsx").frame.columns.tolist() == ["户号", "[B]"]


def test_cell_text_and_letters() -> None:
    assert [cell_text(v) for v in (None, 3, 3.0, 0.1, float("nan"), False, dt.date(2026, 1, 2))] == [
        "",
        "3",
        "3",
        "0.1",
        "",
        "false",
        "2026-01-02",
    ]
    assert [column_letter(n) for n in (1, 26, 27, 28)] == ["A", "Z", "AA", "AB"]


# --- checking against declared columns -------------------------------------------------------------
def test_households_roster_with_chinese_headers() -> None:
    table = read_table(GOOD / "households_roster.xlsx")
    checked = check_records(table, HOUSEHOLDS.columns, file=table.file, key="household_id")
    frame = checked.frame
    assert list(frame.columns) == list(HOUSEHOLDS.column_names)
    assert frame["household_id"].tolist() == ["H0101", "H0102", "H0201"]
    assert frame["unit"].tolist() == [1, 1, 2]  # "２" (full width) is 2
    assert frame["registered_area_m2"].tolist()[:2] == [1234.5, 65.3]  # "1,234.5"
    assert frame["registered_area_m2"].isna().tolist() == [False, False, True]
    assert frame["is_owner"].tolist() == [True, False, True]  # 是 / 否 / 1
    assert frame["surveyed_area_m2"].isna().all()  # declared but absent: present and empty
    assert {str(frame[c].dtype) for c in ("unit", "registered_area_m2", "is_owner", "room")} == {
        "Int64",
        "Float64",
        "boolean",
        "string",
    }
    assert checked.rows == (2, 3, 4)
    assert checked.headers["registered_area_m2"] == "登记面积"


def test_personal_columns_go_apart_and_id_numbers_and_ips_are_dropped() -> None:
    table = read_table(GOOD / "households_roster.csv")
    checked = check_records(table, HOUSEHOLDS.columns, file=table.file, key="household_id")
    assert checked.personal.columns.tolist() == ["household_id", "name", "phone"]
    assert checked.personal["name"].tolist() == ["赵丽", "钱军", "孙梅"]
    assert checked.dropped_columns == ("身份证号码", "来自IP")
    assert checked.personal_columns == ("户主姓名", "手机号码")
    assert checked.unknown_columns == ("备注",)
    everything = [checked.frame, checked.personal, checked.extra]
    text = " ".join(str(v) for frame in everything for v in frame.to_numpy().ravel())
    for secret in ("420102196001010011", "1.2.3.4"):
        assert secret not in text
    for personal in ("赵丽", "13700000001"):
        assert personal not in " ".join(str(v) for v in checked.frame.to_numpy().ravel())
    notes = " ".join(checked.notes())
    assert "「身份证号码」" in notes and "「户主姓名」" in notes and "「备注」" in notes


def test_personal_frame_without_a_key_keeps_source_rows() -> None:
    checked = check(roster(电话=["1", "2"]))
    assert checked.personal.columns.tolist() == ["row", "phone"]
    assert checked.personal["row"].tolist() == [2, 3]


def test_a_layer_name_column_is_not_mistaken_for_a_persons_name() -> None:
    frame = {"小区编号": ["NB1"], "name": ["幸福小区"]}
    checked = check(frame, LAYERS["neighbourhoods"].columns, key="neighbourhood_id")
    assert checked.frame["name"].tolist() == ["幸福小区"]
    assert "name" not in checked.personal.columns


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,234.5", 1234.5), ("１２", 12.0), (" 7 ", 7.0), ("-3e2", -300.0), ("０.５", 0.5)],
)
def test_numbers_people_write(text: str, value: float) -> None:
    assert parse_real(text) == value


@pytest.mark.parametrize("text", ["十二", "12平方米", "1,5", "1.2.3", "nan", "inf", ""])
def test_not_numbers(text: str) -> None:
    with pytest.raises(ConversionError):
        parse_real(text)


def test_every_bad_cell_of_the_whole_file_is_listed() -> None:
    checked_columns = (*HOUSEHOLDS.columns,)
    frame = roster(单元=["十二", "2.5"], 登记面积=["约80", "1,234.5"], 是否业主=["可能", "y"])
    with pytest.raises(ValidationError) as info:
        check(frame, checked_columns)
    found = [(p.row, p.column, p.reason, p.params.get("value")) for p in info.value.problems]
    assert found == [
        (2, "单元", "import.not_a_number", "十二"),
        (2, "登记面积", "import.not_a_number", "约80"),
        (2, "是否业主", "import.not_a_boolean", "可能"),
        (3, "单元", "import.not_an_integer", "2.5"),
    ]


@pytest.mark.parametrize("text", ["2026-03-05", "2026/3/5", "2026年3月5日", "2026.03.05", "2026-03-05 00:00:00"])
def test_dates_people_write(text: str) -> None:
    columns = RECORD_TABLES["votes"].columns
    frame = {"表决编号": ["V1"], "表决事项": ["加装电梯"], "选项": ['["赞成","反对"]']}
    frame |= {"计票规则": ["yes_no_abstain"], "投票人": ["households"], "开始日期": [text]}
    assert check(frame, columns).frame["opens_on"].tolist() == ["2026-03-05"]


@pytest.mark.parametrize("text", ["3月5日", "2026-02-30", "05/03/2026", "明天"])
def test_not_dates(text: str) -> None:
    frame = {"诉求编号": ["D1"], "日期": [text], "渠道": ["visit"], "类别": ["parking"], "内容": ["x"]}
    with pytest.raises(ValidationError) as info:
        check(frame, RECORD_TABLES["demands"].columns)
    assert [p.reason for p in info.value.problems] == ["import.not_a_date"]


def test_enum_accepts_code_chinese_label_and_english_label() -> None:
    frame = {
        "诉求编号": ["D1", "D2", "D3"],
        "日期": ["2026-03-05"] * 3,
        "渠道": ["visit", "问卷调查", "online channel"],
        "类别": ["parking", "环境卫生", "Safety Hazard"],
        "内容": ["x", "y", "z"],
    }
    frame_out = check(frame, RECORD_TABLES["demands"].columns).frame
    assert frame_out["channel"].tolist() == ["visit", "survey", "online"]
    assert frame_out["category"].tolist() == ["parking", "sanitation", "safety"]


def test_missing_required_columns_are_all_listed_by_display_name() -> None:
    with pytest.raises(MissingColumnsError) as info:
        check({"户号": ["H1"], "备注": ["x"]})
    error = info.value
    assert error.params["missing"] == ("building_id", "unit", "room")
    assert "缺少必填列：楼栋编号、单元、房号" in str(error)
    assert "门牌号" in str(error)  # the hint shows the accepted spellings


@pytest.mark.usefixtures("english")
def test_missing_columns_in_english() -> None:
    with pytest.raises(MissingColumnsError) as info:
        check({"户号": ["H1"]})
    assert "Required columns are missing: building id, entrance, room." in str(info.value)


def test_two_headers_for_one_column_are_a_problem() -> None:
    with pytest.raises(ValidationError) as info:
        check(roster(门牌号=["101", "201"]))
    (problem,) = info.value.problems
    assert (problem.reason, problem.row, problem.params["first"], problem.params["second"]) == (
        "import.duplicate_column",
        1,
        "房号",
        "门牌号",
    )


def test_duplicate_keys_name_the_first_row() -> None:
    with pytest.raises(ValidationError) as info:
        check(roster(户号=["H1", "H1"]), key="household_id")
    (problem,) = info.value.problems
    assert (problem.row, problem.column, problem.params["first_row"]) == (3, "户号", 2)
    assert "与第 2 行相同" in str(info.value)


def test_local_text_follows_the_language(english: None) -> None:
    text = listed_columns(["building_id", "unit"])
    assert str.__str__(text) == "楼栋编号、单元"  # the plain value is Chinese
    assert str(text) == "building id, entrance"
    assert f"{text}" == "building id, entrance"
    assert isinstance(text, LocalText) and isinstance(text, str)


def test_progress_bar_only_for_long_files(capsys: pytest.CaptureFixture[str]) -> None:
    count = tables.PROGRESS_MIN_ROWS + 1
    frame = {
        "户号": [f"H{i}" for i in range(count)],
        "楼栋编号": ["B1"] * count,
        "单元": ["1"] * count,
        "房号": [str(i) for i in range(count)],
    }
    checked = check(frame, key="household_id")
    assert len(checked.frame) == count
    assert "正在检查" in capsys.readouterr().err
    check(roster())
    assert "正在检查" not in capsys.readouterr().err


def test_core_validate_is_pure() -> None:
    tree = ast.parse((PACKAGE / "core" / "validate.py").read_text(encoding="utf-8"))
    modules = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    modules |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not {m for m in modules if m.split(".")[0] in {"geopandas", "pyogrio", "pyproj", "fiona"}}


def test_every_import_key_used_by_the_importers_is_in_the_catalog() -> None:
    sources = [PACKAGE / "io" / "tables.py", PACKAGE / "core" / "validate.py", PACKAGE / "io" / "gis.py"]
    used = set()
    for path in sources:
        used |= set(re.findall(r'"(import\.[a-z0-9_.]+)"', path.read_text(encoding="utf-8")))
    assert len(used) > 40
    for key in used:
        assert i18n.has(key) or i18n.has(f"error.{key}"), key
    # keys built at run time: reasons of GEOS, geometry families, web-map systems
    from cogov_toolkit.io import gis as read

    for key in (*read._VALIDITY_KEYS.values(), "other", "location"):
        assert i18n.has(f"import.validity.{key}")
    for family in ("Polygon", "Point", "LineString", "other"):
        assert i18n.has(f"import.geometry.{family}")
    for system in ("gcj02", "bd09"):
        assert i18n.has(f"import.coord_system.{system}")
    for file_format in set(read._FORMAT_OF_SUFFIX.values()):
        assert i18n.has(f"import.format.{file_format}")


def test_every_declared_column_has_a_display_name_in_both_languages() -> None:
    for declared in [*LAYERS.values(), *RECORD_TABLES.values()]:
        for column in declared.columns:
            entry = i18n.catalog().get(f"column.{column.name}")
            assert entry and entry["zh"] and entry["en"], column.name


def test_import_entries_have_both_languages_and_the_same_placeholders() -> None:
    for key, entry in i18n.catalog().items():
        if key.startswith(("import.", "error.import.", "hint.import.", "column.")):
            assert entry.get("zh") and entry.get("en"), key
            assert i18n.placeholders(entry["zh"]) == i18n.placeholders(entry["en"]), key


def test_errors_are_toolkit_errors() -> None:
    assert issubclass(EncodingError, CogovError) and issubclass(ValidationError, CogovError)
