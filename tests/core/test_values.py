"""Converting values to their column's stored type, from text cells and from Python objects (core.records)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from cogov_toolkit import i18n
from cogov_toolkit.core.schema import BOOLEAN, DATE, DATETIME, INTEGER, JSON, REAL, RECORD_TABLES, TEXT, Column
from cogov_toolkit.core.values import (
    convert_value,
    is_blank,
    normalise_record,
    optional_date,
    parse_date,
    parse_real,
)
from cogov_toolkit.errors import CogovError, ConversionError, RecordError

PACKAGE = Path(__file__).resolve().parents[2] / "cogov_toolkit"
DEMANDS = RECORD_TABLES["demands"]


def speak_english(request: pytest.FixtureRequest) -> None:
    """Show messages in English until the test ends."""
    i18n.set_language("en")
    request.addfinalizer(lambda: i18n.set_language("zh"))


def converted(dtype: str, value: Any, enum: str | None = None) -> Any:
    return convert_value(Column("x", dtype, False, enum), value)


def failure(dtype: str, value: Any, enum: str | None = None, required: bool = False) -> ConversionError:
    with pytest.raises(ConversionError) as info:
        convert_value(Column("x", dtype, required, enum), value)
    assert isinstance(info.value, CogovError)
    return info.value


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("12", 12),
        (" 1,234 ", 1234),
        ("１２", 12),
        ("-3e2", -300),
        ("7.0", 7),
        (12, 12),
        (12.0, 12),
        (np.int64(5), 5),
        (np.float64(6.0), 6),
        (Decimal("8"), 8),
    ],
)
def test_integers_from_text_and_objects(value: Any, stored: int) -> None:
    result = converted(INTEGER, value)
    assert result == stored and type(result) is int


@pytest.mark.parametrize(
    ("value", "stored"),
    [("1,234.5", 1234.5), ("０.５", 0.5), (" 7 ", 7.0), (80, 80.0), (2.5, 2.5), (np.float32(0.5), 0.5)],
)
def test_reals_from_text_and_objects(value: Any, stored: float) -> None:
    result = converted(REAL, value)
    assert result == stored and type(result) is float
    assert parse_real(value) == stored


@pytest.mark.parametrize(
    "value", ["十二", "约80", "12平方米", "1,5", "1.2.3", "nan", "inf", True, np.bool_(False), float("inf")]
)
def test_not_a_number(value: Any) -> None:
    for dtype in (INTEGER, REAL):
        bad = failure(dtype, value)
        assert bad.reason == "import.not_a_number"
        assert bad.params["value"] == str(value).strip()


@pytest.mark.parametrize("value", ["2.5", 2.5, "1e30", 2**63, Decimal("0.1")])
def test_not_an_integer(value: Any) -> None:
    bad = failure(INTEGER, value)
    assert (bad.reason, bad.params["value"]) == ("import.not_an_integer", str(value))


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("是", 1),
        ("否", 0),
        ("Yes", 1),
        ("ＹＥＳ", 1),
        ("f", 0),
        ("1", 1),
        (True, 1),
        (False, 0),
        (np.bool_(True), 1),
        (1, 1),
        (0.0, 0),
    ],
)
def test_booleans_from_text_and_objects(value: Any, stored: int) -> None:
    assert converted(BOOLEAN, value) == stored


@pytest.mark.parametrize("value", ["可能", "业主", 2, "1.0"])
def test_not_a_boolean(value: Any) -> None:
    bad = failure(BOOLEAN, value)
    assert (bad.reason, bad.params["value"]) == ("import.not_a_boolean", str(value))


@pytest.mark.parametrize(
    "value",
    [
        "2026-03-05",
        "2026-3-5",
        "2026/3/5",
        "2026.03.05",
        "2026年3月5日",
        "２０２６年３月５日",
        "2026-03-05 14:30",
        "2026-03-05T14:30:00.000Z",
        dt.date(2026, 3, 5),
        dt.datetime(2026, 3, 5, 14, 30),
        pd.Timestamp("2026-03-05"),
    ],
)
def test_dates_from_text_and_objects(value: Any) -> None:
    assert converted(DATE, value) == "2026-03-05"
    assert parse_date(value) == dt.date(2026, 3, 5)


@pytest.mark.parametrize("value", ["3月5日", "2026-02-30", "05/03/2026", "明天", "三月"])
def test_not_a_date(value: str) -> None:
    bad = failure(DATE, value)
    assert (bad.reason, bad.params["value"]) == ("import.not_a_date", value)


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("2026-03-05 14:30", "2026-03-05T14:30:00.000Z"),
        ("2026/3/5 9:30:15", "2026-03-05T09:30:15.000Z"),
        ("2026年3月5日", "2026-03-05T00:00:00.000Z"),
        ("2026-03-05T14:30:00+08:00", "2026-03-05T06:30:00.000Z"),
        ("2026-03-05T06:30:00.123Z", "2026-03-05T06:30:00.123Z"),
        (dt.datetime(2026, 3, 5, 14, 30), "2026-03-05T14:30:00.000Z"),
        (dt.date(2026, 3, 5), "2026-03-05T00:00:00.000Z"),
    ],
)
def test_datetimes_from_text_and_objects(value: Any, stored: str) -> None:
    assert converted(DATETIME, value) == stored


@pytest.mark.parametrize("value", ["明天下午", "2026-03-05 25:00", "14:30"])
def test_not_a_datetime(value: str) -> None:
    bad = failure(DATETIME, value)
    assert (bad.reason, bad.params["value"]) == ("import.not_a_datetime", value)


def test_json_from_text_and_objects() -> None:
    assert converted(JSON, {"b": 1, "a": "赞成"}) == '{"a": "赞成", "b": 1}'
    assert converted(JSON, ["赞成", "反对"]) == '["赞成", "反对"]'
    assert converted(JSON, ' ["赞成","反对"] ') == '["赞成","反对"]'


@pytest.mark.parametrize("value", ["{oops", "赞成,反对", {1, 2}])
def test_not_json(value: Any) -> None:
    bad = failure(JSON, value)
    assert (bad.reason, bad.params["value"]) == ("import.not_json", str(value))


@pytest.mark.parametrize("value", ["survey", "问卷调查", "Survey", " 问卷调查 ", "ＳＵＲＶＥＹ"])
def test_enum_accepts_codes_and_labels(value: str) -> None:
    assert converted(TEXT, value, "demand_channel") == "survey"


def test_unknown_enum_lists_the_labels_in_the_current_language(request: pytest.FixtureRequest) -> None:
    bad = failure(TEXT, "飞鸽", "demand_channel")
    assert (bad.reason, bad.params["value"]) == ("import.unknown_enum", "飞鸽")
    allowed = bad.params["allowed"]
    assert "问卷调查" in str(allowed)
    speak_english(request)
    assert "问卷调查" not in str(allowed) and i18n.label("demand_channel", "survey", "en") in str(allowed)


@pytest.mark.parametrize("value", [None, "", "   ", float("nan"), pd.NA, pd.NaT, np.nan])
def test_blank_values(value: Any) -> None:
    for dtype in (TEXT, INTEGER, REAL, BOOLEAN, DATE, DATETIME, JSON):
        assert converted(dtype, value) is None
        bad = failure(dtype, value, required=True)
        assert (bad.reason, bad.params) == ("import.required_empty", {})


def test_text_is_trimmed() -> None:
    assert converted(TEXT, "  停车难 ") == "停车难"
    assert converted(TEXT, 12) == "12"


def test_normalise_record_accepts_what_planners_type() -> None:
    record = normalise_record(
        DEMANDS,
        {
            "demand_id": "D1",
            "reported_on": "2026年3月5日",
            "channel": "问卷调查",
            "category": "环境卫生",
            "text": "垃圾没人清",
            "due_at": dt.datetime(2026, 3, 6, 9, 0),
        },
    )
    assert record["reported_on"] == "2026-03-05"
    assert (record["channel"], record["category"]) == ("survey", "sanitation")
    assert record["due_at"] == "2026-03-06T09:00:00.000Z"


def test_normalise_record_lists_every_problem_with_its_value() -> None:
    values = {"demand_id": "D9", "reported_on": "三月", "channel": "飞鸽", "category": "parking", "due_at": "明天"}
    with pytest.raises(RecordError) as info:
        normalise_record(DEMANDS, values)
    found = [(p.column, p.reason, p.params.get("value")) for p in info.value.problems]
    assert found == [
        ("反映日期", "import.not_a_date", "三月"),
        ("来源渠道", "import.unknown_enum", "飞鸽"),
        ("诉求内容", "import.required_empty", None),
        ("答复期限", "import.not_a_datetime", "明天"),
    ]
    message = str(info.value)
    assert "「三月」不是日期" in message and "「飞鸽」不是可选的值" in message and "必填，不能为空" in message


def test_normalise_record_messages_in_english(request: pytest.FixtureRequest) -> None:
    speak_english(request)
    with pytest.raises(RecordError) as info:
        normalise_record(DEMANDS, {"demand_id": "D9", "reported_on": "三月", "channel": "visit", "category": "x"})
    message = str(info.value)
    assert "'三月' is not a date" in message and "'x' is not one of the allowed values" in message


def test_every_conversion_reason_is_in_the_catalog_with_the_value() -> None:
    source = (PACKAGE / "core" / "values.py").read_text(encoding="utf-8")
    reasons = set(re.findall(r'ConversionError\("([a-z_.]+)"', source))
    assert reasons == {
        "import.required_empty",
        "import.not_a_number",
        "import.not_an_integer",
        "import.not_a_boolean",
        "import.not_a_date",
        "import.not_a_datetime",
        "import.not_json",
        "import.unknown_enum",
    }
    for reason in reasons - {"import.required_empty"}:
        for language in i18n.LANGUAGES:
            assert "{value}" in i18n.catalog()[f"error.{reason}"][language], (reason, language)


@pytest.mark.parametrize(
    ("value", "blank"),
    [
        (None, True), ("", True), ("  \u3000", True), (float("nan"), True), (pd.NA, True), (pd.NaT, True),
        (np.nan, True), ([], True), ((), True), ("0", False), (0, False), (False, False), (["a"], False),
        (("a",), False), (dt.date(2026, 3, 5), False), (np.array([]), False),
    ],
)  # fmt: skip
def test_is_blank_is_the_one_test_of_nothing_entered(value: Any, blank: bool) -> None:
    assert is_blank(value) is blank


def test_optional_date_is_none_for_blank_and_parses_the_rest() -> None:
    assert optional_date(None) is None and optional_date(" ") is None and optional_date(float("nan")) is None
    assert optional_date("2026年3月5日") == dt.date(2026, 3, 5) == optional_date(dt.datetime(2026, 3, 5, 9, 30))
    with pytest.raises(ConversionError):
        optional_date("明天")
