"""Every malformed file of tests/data/bad/ fails with its toolkit error, located, in Chinese and in English.

The files and their expectations (``cases.toml``) come from
``tests/data/make_bad_inputs.py``. Importing any of them must raise a
:class:`CogovError` and nothing else: no GDAL, JSON, zip or decoding exception
may reach a planner.
"""

from __future__ import annotations

import tomllib
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cogov_toolkit import errors, i18n
from cogov_toolkit.core.schema import LAYERS, RECORD_TABLES
from cogov_toolkit.core.validate import check_records
from cogov_toolkit.errors import CogovError, ValidationError
from cogov_toolkit.io.cad import import_dxf, list_cad_layers
from cogov_toolkit.io.gis import read_layer
from cogov_toolkit.io.surveys import bundled_questionnaire, read_kobo_csv, read_questionnaire
from cogov_toolkit.io.tables import read_table

BAD = Path(__file__).resolve().parent / "data" / "bad"
CASES: dict[str, dict[str, Any]] = tomllib.loads((BAD / "cases.toml").read_text(encoding="utf-8"))
# parts of a shapefile that come along with the .shp a case names
SIDECARS = {".shx", ".dbf", ".prj", ".cpg"}


def import_file(path: Path, import_as: str) -> object:
    """Import ``path`` the way a notebook would: as a layer kind, a record table, a questionnaire, a DXF or a Kobo export."""
    if import_as in LAYERS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a far-from-China warning is not what these cases test
            return read_layer(path, import_as, site_type="square" if import_as == "public_spaces" else None)
    if import_as == "questionnaire":
        return read_questionnaire(path)
    if import_as == "cad":
        return list_cad_layers(path)
    if import_as == "cad_import":
        return import_dxf(path, {"建筑": "buildings"})
    if import_as == "kobo":
        return read_kobo_csv(path, bundled_questionnaire("satisfaction_5"))
    table = RECORD_TABLES[import_as]
    return check_records(read_table(path), table.columns, file=path, key=table.key)


def raised(name: str) -> CogovError:
    """Return the error importing the case ``name`` raises (any other exception fails the test)."""
    with pytest.raises(CogovError) as info:
        import_file(BAD / name, CASES[name]["import_as"])
    return info.value


@pytest.fixture(name="english")
def fixture_english() -> Iterator[None]:
    """Switch messages to English for one test, and back to Chinese afterwards."""
    i18n.set_language("en")
    try:
        yield
    finally:
        i18n.set_language("zh")


def test_there_are_enough_cases_and_every_file_has_one() -> None:
    assert len(CASES) >= 60
    assert {"zip", "kmz", "xlsx"} <= {n.rsplit(".", 1)[-1] for n in CASES if n.startswith("bomb")}
    assert any(CASES[n]["import_as"] == "questionnaire" for n in CASES if n.startswith("bomb"))
    files = {p.name for p in BAD.iterdir() if p.name != "cases.toml" and p.suffix not in SIDECARS}
    assert files == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_raises_its_error_located_in_chinese(name: str) -> None:
    case = CASES[name]
    error = raised(name)
    assert type(error) is getattr(errors, case["error"]), str(error)
    message = str(error)
    assert name in message
    assert i18n.t(f"error.{error.reason}", "zh", **error.params) in message, "Chinese by default"
    if "row" in case:
        assert f"第 {case['row']} 行" in message
        assert _located(error, case["row"], case.get("column"))
    if "column" in case:
        assert f"「{case['column']}」列" in message
    for text in case.get("contains", []):
        assert text in message
    for text in case.get("not_contains", []):  # a resident's name never reaches a message
        assert text not in message
    if "problems" in case:
        assert len(error.problems) == case["problems"]


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.usefixtures("english")
def test_bad_file_message_is_english_on_request(name: str) -> None:
    case = CASES[name]
    error = raised(name)
    message = str(error)
    assert f"file '{name}'" in message
    if "row" in case:
        assert f"row {case['row']}" in message
        assert "第" not in message.replace(name, "")
    if "column" in case:
        assert f"column '{case['column']}'" in message
    # headline and problems are rendered from the English catalog, and no Chinese catalog text is left
    for problem in (error.headline, *error.problems):
        english = i18n.t(f"error.{problem.reason}", "en", **problem.params)
        chinese = i18n.t(f"error.{problem.reason}", "zh", **problem.params)
        assert english in message
        assert chinese not in message
    if i18n.has(f"hint.{error.reason}"):
        assert i18n.t(f"hint.{error.reason}", "en", **error.params) in message


def _located(error: CogovError, row: int, column: str | None) -> bool:
    """Return True when the error itself, or one of its problems, sits at (row, column)."""
    places = [(error.row, error.column)] + [(p.row, p.column) for p in error.problems]
    return any(r == row and (column is None or c == column) for r, c in places)


def test_one_file_with_many_problems_lists_them_all() -> None:
    error = raised("many_problems.csv")
    assert isinstance(error, ValidationError)
    found = sorted((p.row, p.column, p.reason) for p in error.problems)
    assert found == [
        (2, "单元", "import.not_a_number"),
        (3, "楼层", "import.not_an_integer"),
        (3, "登记面积", "import.not_a_number"),
        (4, "楼栋编号", "import.required_empty"),
        (5, "户号", "import.duplicate_key"),
        (5, "是否业主", "import.not_a_boolean"),
        (6, "房号", "import.required_empty"),
        (7, "同意公开姓名", "import.not_a_boolean"),
    ]
    assert error.params["count"] == 8
    assert all("- 文件「many_problems.csv」" in line for line in str(error).splitlines()[1:9])


def test_gbk_file_messages_quote_its_chinese_exactly() -> None:
    error = raised("gbk_with_errors.csv")
    values = [p.params.get("value") for p in error.problems]
    assert values == ["十二", None, "可能"]
    assert "「十二」不是数字" in str(error)


def test_duplicate_key_names_the_row_it_repeats() -> None:
    (problem,) = raised("duplicate_ids.csv").problems
    assert (problem.row, problem.column, problem.params["first_row"]) == (4, "户号", 2)


def test_swapped_columns_give_one_problem_not_one_per_row() -> None:
    (problem,) = raised("lon_lat_swapped.csv").problems
    assert problem.reason == "import.lon_lat_swapped"
    assert (problem.params["lon"], problem.params["lat"]) == ("经度", "纬度")


def test_invalid_geometry_carries_shapely_reason() -> None:
    (problem,) = raised("self_intersecting.geojson").problems
    assert problem.params["reason"].startswith("Self-intersection")


def test_mixed_geometry_is_reported_for_the_layer_and_per_feature() -> None:
    problems = raised("mixed_geometry.geojson").problems
    assert [p.reason for p in problems] == ["import.mixed_geometry", "import.wrong_geometry", "import.wrong_geometry"]
    assert [p.row for p in problems] == [None, 2, 3]


def test_missing_columns_lists_all_by_chinese_name() -> None:
    error = raised("missing_columns.csv")
    assert error.params["missing"] == ("unit", "room")
    assert "缺少必填列：单元、房号" in str(error)


MEASURE = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from tests.test_bad_inputs import BAD, CASES, import_file
from cogov_toolkit.errors import CogovError
out = {}
for name, case in sorted(CASES.items()):
    start = time.perf_counter()
    try:
        import_file(BAD / name, case["import_as"])
        outcome = "no error"
    except CogovError as exc:
        outcome = type(exc).__name__
    except BaseException as exc:  # a raw error: what the test is there to catch
        outcome = "raw " + type(exc).__name__
    out[name] = [outcome, time.perf_counter() - start]
out["__peak_rss_kb__"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(out))
"""


def test_every_bad_file_fails_within_a_minute_and_a_gigabyte_in_a_separate_process() -> None:
    """Peak memory is measured on a fresh process that imports every case in turn (the peak bounds each case)."""
    import json
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(root)], capture_output=True, text=True, cwd=root, timeout=60 * len(CASES)
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    peak_mb = result.pop("__peak_rss_kb__") / 1024
    assert set(result) == set(CASES)
    for name, (outcome, seconds) in result.items():
        assert outcome == CASES[name]["error"], (name, outcome)
        assert seconds < 60, (name, seconds)
    assert peak_mb < 1024, peak_mb
