"""Converting values to the stored type of their declared column, and checking whole records.

Pure. One set of converters serves every way a value arrives: the workspace
calls :func:`normalise_record` before every write (a widget, a notebook and an
import all get the same checks and messages), and the file importer
(:mod:`cogov_toolkit.core.tables`) calls :func:`convert_value` on every cell of
a CSV or Excel sheet. A value may be a Python object (int, float, bool, date,
datetime, dict/list for JSON, numpy scalars, pandas NA) or text as planners
type it ("1,234.5", "１２", "2026年3月5日", "是", an enum's Chinese label).
Every value is returned in one canonical form: ISO dates, UTC datetimes,
0/1 booleans, JSON text, enum codes.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import numbers
import re
import unicodedata
import uuid as uuid_module
from collections.abc import Callable, Mapping
from decimal import Decimal
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
    normalise_header,
)
from cogov_toolkit.errors import ConversionError, Problem, RecordError
from cogov_toolkit.i18n.text import listed

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


# NUL and the other C0/C1 control characters (tab, line feed and carriage return kept), BOMs and the
# zero-width no-break space anywhere in a cell: invisible, never meant, and they break exports
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffe]")


def clean_text(text: str) -> str:
    """Return a cell's text without NUL bytes, control characters and byte-order marks.

    Such characters come with files pasted together from other systems (a BOM in
    front of a data row, a NUL from a truncated export); stored, they end up inside
    ids ("\ufeffH0101" is not "H0101") and break every export.
    """
    return _INVISIBLE.sub("", text)


def is_blank(value: Any) -> bool:
    """Return True for None, NaN, NaT, pandas NA, empty/whitespace strings and an empty list or tuple (no choice).

    The one test of "nothing was entered": cells, form fields and answers alike.
    """
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return not value
    try:
        unequal = value != value  # NaN and NaT compare unequal to themselves
    except (TypeError, ValueError):
        return False
    try:
        return bool(unequal)
    except (TypeError, ValueError):  # pandas NA gives NA back, whose truth is ambiguous (an array too)
        return unequal is value


# --- converting one value -----------------------------------------------------------------


def plain_value(value: Any) -> Any:
    """Return ``value`` as a plain Python value: blanks (None, NaN, NA, empty text) become None, numpy scalars unwrap."""
    if is_blank(value):
        return None
    return value.item() if hasattr(value, "item") else value


def convert_value(column: Column, value: Any) -> Any:
    """Return ``value`` in the stored form of ``column``; a blank value gives None.

    Raises
    ------
    ConversionError
        With the reason code of the failure: ``import.required_empty``,
        ``import.not_a_number``, ``import.not_an_integer``, ``import.not_a_boolean``,
        ``import.not_a_date``, ``import.not_a_datetime``, ``import.not_json`` or
        ``import.unknown_enum``.
    """
    if is_blank(value):
        if column.required:
            raise ConversionError("import.required_empty")
        return None
    if column.enum:
        return _enum_code(column.enum, value)
    return _CONVERTERS.get(column.dtype, _text)(value)


def _text(value: Any) -> str:
    """Return a value as text, trimmed: the stored form of a text column, and how messages show a value."""
    return str(value).strip()


_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _number_text(text: str) -> str:
    """Return a number as Python reads it: full-width digits made ASCII, thousands commas removed."""
    text = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    return text


def _number(value: Any) -> int | float | Decimal:
    """Return the number a Python/numpy number or a text ("1,234.5", "１２", "-3e2") holds."""
    if isinstance(value, bool):
        pass  # True is not a number a planner meant
    elif isinstance(value, numbers.Integral):
        return int(value)
    elif isinstance(value, numbers.Real):
        if math.isfinite(value):
            return float(value)
    else:
        text = _number_text(str(value))
        if _NUMBER.fullmatch(text):
            return Decimal(text)
    raise ConversionError("import.not_a_number", value=_text(value))


def parse_real(value: Any) -> float:
    """Return the number written in ``value`` ("1,234.5", "１２", "-3e2", or a number).

    Raises
    ------
    ConversionError
        A ValueError with reason ``import.not_a_number`` if the value is not a plain,
        finite number ("十二", "12 平方米", "1,5", "nan" are not; nor is True).
    """
    try:
        number = float(_number(value))
    except OverflowError:  # an int too large for a float
        number = math.inf
    if not math.isfinite(number):
        raise ConversionError("import.not_a_number", value=_text(value))
    return number


def _integer(value: Any) -> int:
    exact = Decimal(_number(value))
    if exact != exact.to_integral_value() or abs(exact) >= 2**63:  # 2.5, or beyond SQLite's INTEGER
        raise ConversionError("import.not_an_integer", value=_text(value))
    return int(exact)


_TRUE = {"1", "是", "true", "y", "yes", "t"}
_FALSE = {"0", "否", "false", "n", "no", "f"}


def _boolean(value: Any) -> int:
    if isinstance(value, numbers.Real):  # bool, int, float and numpy numbers
        if value in (0, 1):
            return int(value)
    else:
        key = unicodedata.normalize("NFKC", str(value)).strip().lower()
        if key in _TRUE:
            return 1
        if key in _FALSE:
            return 0
    raise ConversionError("import.not_a_boolean", value=_text(value))


_DATE = re.compile(
    r"(?P<y>\d{4})(?:[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})|年(?P<m2>\d{1,2})月(?P<d2>\d{1,2})日?)"
    r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?)?"
)


def _date_parts(text: str) -> tuple[dt.date, dt.time | None] | None:
    """Return (date, time or None) of "2026-03-05", "2026/3/5 9:30", "2026年3月5日", else None."""
    match = _DATE.fullmatch(text)
    if not match:
        return None
    g = match.groupdict()
    try:
        day = dt.date(int(g["y"]), int(g["m"] or g["m2"]), int(g["d"] or g["d2"]))
        time = dt.time(int(g["H"]), int(g["M"]), int(g["S"] or 0)) if g["H"] else None
    except ValueError:  # 2026-02-30, 25:00
        return None
    return day, time


def _moment(value: Any) -> dt.datetime | None:
    """Return the date and time a value holds (midnight when it has no time), or None."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    text = unicodedata.normalize("NFKC", str(value)).strip()
    parts = _date_parts(text)
    if parts is not None:
        return dt.datetime.combine(parts[0], parts[1] or dt.time())
    try:  # full ISO 8601, with a time zone ("2026-03-05T14:30:00.000Z", "…+08:00")
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def parse_date(value: Any) -> dt.date:
    """Return the date of a date/datetime or of the spellings planners type.

    2026-03-05, 2026-3-5, 2026/3/5, 2026.03.05 and 2026年3月5日 are dates, with
    or without a time of day after them (which is dropped), as is ISO 8601.

    Raises
    ------
    ConversionError
        A ValueError with reason ``import.not_a_date`` ("3月5日", "2026-02-30", "明天").
    """
    moment = _moment(value)
    if moment is None:
        raise ConversionError("import.not_a_date", value=_text(value))
    return moment.date()


def optional_date(value: Any) -> dt.date | None:
    """Return None for a blank value (:func:`is_blank`), else :func:`parse_date` of it."""
    return None if is_blank(value) else parse_date(value)


def _date(value: Any) -> str:
    return parse_date(value).isoformat()


def _datetime(value: Any) -> str:
    moment = _moment(value)
    if moment is None:
        raise ConversionError("import.not_a_datetime", value=_text(value))
    return format_datetime(moment)


def _json(value: Any) -> str:
    if isinstance(value, str):
        text = value.strip()
        try:
            json.loads(text)
        except ValueError:
            raise ConversionError("import.not_json", value=text) from None
        return text
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):  # a set, a numpy number, keys of mixed types
        raise ConversionError("import.not_json", value=_text(value)) from None


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    INTEGER: _integer,
    REAL: parse_real,
    BOOLEAN: _boolean,
    DATE: _date,
    DATETIME: _datetime,
    JSON: _json,
}


@functools.cache
def _enum_spellings(enum: str) -> dict[str, str]:
    """Return every accepted spelling of an enum's codes (the code, its Chinese and English labels) -> code."""
    lookup: dict[str, str] = {}
    for code in ENUMS.get(enum, ()):
        for spelling in (code, *(i18n.label(enum, code, language) for language in i18n.LANGUAGES)):
            lookup.setdefault(normalise_header(spelling), code)
    return lookup


def _enum_code(enum: str, value: Any) -> str:
    code = _enum_spellings(enum).get(normalise_header(unicodedata.normalize("NFKC", str(value))))
    if code is None:
        allowed = listed(ENUMS.get(enum, ()), lambda code, language: i18n.label(enum, str(code), language))
        raise ConversionError("import.unknown_enum", value=_text(value), allowed=allowed)
    return code


# --- checking one record -----------------------------------------------------------------
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
        except ConversionError as exc:
            problems.append(Problem(exc.reason, column=column_label(name), params=exc.params))
    if problems:
        raise RecordError("record.invalid", problems=problems, table=i18n.t(f"layer.{table.name}"), count=len(problems))
    return out


__all__ = [
    "new_uuid",
    "utc_now",
    "format_datetime",
    "clean_text",
    "is_blank",
    "plain_value",
    "convert_value",
    "parse_real",
    "parse_date",
    "optional_date",
    "normalise_record",
    "column_label",
]
