"""Checking one record against its table's declaration before it is stored.

Pure: the workspace calls :func:`normalise_record` before every write, so a
widget, an import and a notebook all get the same checks and the same
messages, and every value is stored in one canonical form (ISO dates, 0/1
booleans, JSON text).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import uuid as uuid_module
from collections.abc import Mapping
from typing import Any

from cogov_toolkit import i18n
from cogov_toolkit.core.schema import (
    BOOLEAN,
    DATE,
    DATETIME,
    ENUMS,
    INTEGER,
    JSON,
    REAL,
    SYSTEM_COLUMNS,
    Column,
    RecordTable,
)
from cogov_toolkit.errors import Problem, RecordError

_TRUE = {"1", "true", "yes", "y", "是", "t"}
_FALSE = {"0", "false", "no", "n", "否", "f"}
_SYSTEM_NAMES = {c.name for c in SYSTEM_COLUMNS}


def new_uuid() -> str:
    """Return a new random record id (UUID4, text)."""
    return str(uuid_module.uuid4())


def utc_now() -> str:
    """Return the current time as GeoPackage DATETIME text (UTC, milliseconds, 'Z')."""
    return format_datetime(dt.datetime.now(dt.UTC))


def format_datetime(value: dt.datetime) -> str:
    """Return a datetime as 'YYYY-MM-DDTHH:MM:SS.sssZ' in UTC (naive values are taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    value = value.astimezone(dt.UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def is_blank(value: Any) -> bool:
    """Return True for None, NaN, pandas NA and empty/whitespace strings."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # NaN and pandas NA compare unequal to themselves
    except (TypeError, ValueError):
        return False


def convert_value(column: Column, value: Any) -> Any:
    """Return ``value`` in the stored form of ``column``, or raise ValueError with a reason code.

    The reason code (``record.not_integer`` …) is the i18n key suffix of the message.
    """
    if is_blank(value):
        return None
    if column.dtype == INTEGER:
        number = _number(value, "record.not_integer")
        if not float(number).is_integer():
            raise ValueError("record.not_integer")
        return int(number)
    if column.dtype == REAL:
        return float(_number(value, "record.not_number"))
    if column.dtype == BOOLEAN:
        return _boolean(value)
    if column.dtype == DATE:
        return _date(value)
    if column.dtype == DATETIME:
        return _datetime(value)
    if column.dtype == JSON:
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value).strip()
    if column.enum and text not in ENUMS[column.enum]:
        raise ValueError("record.unknown_code")
    return text


def _number(value: Any, reason: str) -> float:
    if isinstance(value, bool):
        raise ValueError(reason)
    if isinstance(value, int | float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError(reason)
        return value
    text = str(value).strip().replace(",", "")
    try:
        number = float(text)
    except ValueError:
        raise ValueError(reason) from None
    if math.isnan(number) or math.isinf(number):
        raise ValueError(reason)
    return number


def _boolean(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float) and value in (0, 1):
        return int(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return 1
    if text in _FALSE:
        return 0
    raise ValueError("record.not_boolean")


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)


def parse_date(value: Any) -> dt.date:
    """Return a date from a date/datetime or the spellings planners type (2026-3-5, 2026/3/5, 2026年3月5日)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    head = str(value).strip().split("T")[0].split(" ")[0]  # a time of day after the date is ignored
    for pattern in _DATE_PATTERNS:
        match = pattern.match(head)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                break
    raise ValueError("record.not_date")


def _date(value: Any) -> str:
    return parse_date(value).isoformat()


def _datetime(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    text = str(value).strip()
    try:
        return format_datetime(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    return format_datetime(dt.datetime.combine(parse_date(text), dt.time()))


def column_label(name: str) -> str:
    """Return a column's display name in the current language (the name itself if uncatalogued)."""
    key = f"column.{name}"
    return i18n.t(key) if i18n.has(key) else name


def normalise_record(table: RecordTable, values: Mapping[str, Any]) -> dict[str, Any]:
    """Return the record's declared fields converted for storage; raise RecordError listing every problem.

    System columns (uuid, timestamps, origin) are set by the storage, not here.
    """
    problems: list[Problem] = []
    declared = {c.name: c for c in table.columns}
    unknown = sorted(set(values) - set(declared) - _SYSTEM_NAMES)
    for name in unknown:
        problems.append(Problem("record.unknown_field", column=column_label(name), params={"table": table.name}))
    out: dict[str, Any] = {}
    for name, column in declared.items():
        try:
            out[name] = convert_value(column, values.get(name))
        except ValueError as exc:
            params = {"value": str(values.get(name)), "table": table.name}
            if column.enum:
                params["codes"] = "、".join(ENUMS[column.enum])
            problems.append(Problem(str(exc), column=column_label(name), params=params))
            continue
        if column.required and out[name] is None:
            problems.append(Problem("record.required", column=column_label(name), params={"table": table.name}))
    if problems:
        raise RecordError("record.invalid", problems=problems, table=i18n.t(f"layer.{table.name}"), count=len(problems))
    return out


__all__ = [
    "new_uuid",
    "utc_now",
    "format_datetime",
    "is_blank",
    "convert_value",
    "parse_date",
    "normalise_record",
    "column_label",
]
