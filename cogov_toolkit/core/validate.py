"""Check a table read from a file against the declared columns of a layer or record table.

Every bad cell of the whole file is reported at once, with its row and column
as the file spells it, in Chinese by default. Cells are converted to their
column's type by :func:`cogov_toolkit.core.values.convert_value`, the
converters every workspace write uses too. Pure: reading the file is
:mod:`cogov_toolkit.io.tables`' job, and a progress bar for long files is
passed in (``progress=``) by the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.schema import (
    BOOLEAN,
    INTEGER,
    PERSONAL_TYPES,
    REAL,
    Column,
    is_dropped,
    personal_field,
    resolve_column,
)
from cogov_toolkit.core.values import convert_value
from cogov_toolkit.errors import (
    ConversionError,
    MissingColumnsError,
    Problem,
    ValidationError,
)
from cogov_toolkit.i18n.text import LocalText, column_display_name, listed_columns, listed_headers, localised

#: what iterates over a table's row indexes while it is checked (``range``, or one with a progress bar)
Progress = Callable[[int], Iterable[int]]


# --- reading -------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Table:
    """A table as read from a file: every cell is text, rows numbered as a person sees them.

    Attributes
    ----------
    frame : pandas.DataFrame
        One column per header (the header text as the file spells it, trimmed),
        values as strings; an empty cell is an empty string. Blank rows are left out.
    file : pathlib.Path
        The file read.
    sheet : str or None
        The worksheet read, for Excel files.
    rows : tuple of int
        The row number in the file of each row of ``frame`` (header row 1 unless
        blank rows precede it).
    header_row : int or None
        The row number of the header (None for GIS attributes, which have none).
    cleaned : dict
        Header -> how many of its cells had NUL bytes, control characters or BOMs
        taken out on reading (said in the import report).
    """

    frame: pd.DataFrame
    file: Path
    sheet: str | None
    rows: tuple[int, ...]
    header_row: int | None = 1
    cleaned: dict[str, int] = field(default_factory=dict)


def raise_problems(problems: Sequence[Problem], *, file: str | Path, sheet: str | None = None) -> None:
    """Raise one :class:`ValidationError` listing every problem (file-wide ones first), if there are any."""
    if not problems:
        return
    ordered = sorted(problems, key=lambda p: (p.row is not None, p.row or 0))
    raise ValidationError(file=file, sheet=sheet, count=len(ordered), problems=ordered)


# --- checking against a declaration ---------------------------------------------------------
@dataclass(frozen=True, eq=False)
class CheckedTable:
    """A table checked against its declared columns, values typed, personal data set apart.

    Attributes
    ----------
    frame : pandas.DataFrame
        Every declared column, in declared order (absent optional ones empty),
        typed: ``Int64``, ``Float64``, ``boolean``, ``string`` (dates as ISO text,
        datetimes as UTC text, enum values as their codes, JSON as text). Never
        holds personal or dropped columns.
    personal : pandas.DataFrame
        The key column (or ``row`` when there is no key) and the personal
        columns found (``name``, ``phone``, ``hardship_note``), same index as ``frame``.
        Belongs in the private companion file only.
    dropped_columns : tuple of str
        Headers whose values were thrown away (ID numbers, IP addresses).
    personal_columns : tuple of str
        Headers moved to ``personal``.
    unknown_columns : tuple of str
        Headers that are none of the above and match no declared column.
    extra : pandas.DataFrame
        The unknown columns' raw text, kept aside for the planner to look at;
        the toolkit stores none of it.
    headers : dict
        Declared column name -> the header that supplied it, as the file spells it.
    rows : tuple of int
        The source row number of each row.
    file : pathlib.Path
    sheet : str or None
    """

    frame: pd.DataFrame
    personal: pd.DataFrame
    dropped_columns: tuple[str, ...]
    personal_columns: tuple[str, ...]
    unknown_columns: tuple[str, ...]
    extra: pd.DataFrame
    headers: dict[str, str]
    rows: tuple[int, ...]
    file: Path
    sheet: str | None = None
    cleaned: dict[str, int] = field(default_factory=dict)

    def notes(self) -> list[str]:
        """Return what the import did besides reading (columns dropped, set apart, ignored), for people."""
        notes = []
        if self.cleaned:
            count = sum(self.cleaned.values())
            notes.append(localised("import.note.cleaned_text", count=count, columns=listed_headers(self.cleaned)))
        if self.dropped_columns:
            notes.append(localised("import.note.dropped_columns", columns=listed_headers(self.dropped_columns)))
        if self.personal_columns:
            notes.append(localised("import.note.personal_columns", columns=listed_headers(self.personal_columns)))
        if self.unknown_columns:
            notes.append(localised("import.note.unknown_columns", columns=listed_headers(self.unknown_columns)))
        return notes


def check_records(
    table: Table,
    declared_columns: Sequence[Column],
    *,
    file: str | Path,
    key: str | None = None,
    progress: Progress | None = None,
) -> CheckedTable:
    """Check a table against declared columns and return it typed, personal data set apart.

    Headers are matched to declared columns by name or alias (楼栋编号, 单元,
    登记面积 …). ID-number and IP columns are dropped; name, phone and hardship
    columns go to a separate personal frame; other columns are set aside and
    reported. Every cell of the whole file is checked before anything is raised.

    Parameters
    ----------
    table : Table
        As returned by :func:`read_table`.
    declared_columns : sequence of Column
        The columns of a layer kind or record table (``schema.LAYERS[...].columns``).
    file : str or pathlib.Path
        The file named in messages.
    key : str, optional
        A declared column whose values must be unique (e.g. ``household_id``);
        the personal frame is keyed by it.

    Returns
    -------
    CheckedTable

    Raises
    ------
    MissingColumnsError
        Listing every required column that no header supplies.
    ValidationError
        Listing every bad cell (row and column), duplicate key and clashing header.
    """
    checked, problems = review_records(table, declared_columns, file=file, key=key, progress=progress)
    raise_problems(problems, file=file, sheet=table.sheet)
    return checked


def review_records(
    table: Table,
    declared_columns: Sequence[Column],
    *,
    file: str | Path,
    key: str | None = None,
    progress: Progress | None = None,
) -> tuple[CheckedTable, list[Problem]]:
    """Like :func:`check_records`, but return the problems instead of raising them.

    ``progress(count)`` returns the row indexes to iterate over; a caller with a
    screen passes :func:`cogov_toolkit.io.tables.progress_bar` for long files.

    For callers that add problems of their own (a layer's geometries) before
    raising everything together with :func:`raise_problems`. Missing required
    columns are still raised at once: without them no row can be checked.
    """
    declared = tuple(declared_columns)
    plan = _plan_columns(table.frame.columns, declared)
    _raise_if_missing(plan, declared, table, file)
    where = _Where(str(file), table.sheet, table.rows, table.header_row)
    problems = list(plan.problems(where))
    values = _typed_values(table.frame, declared, plan, where, problems, progress or range)
    problems += _typed_personal_problems(table.frame, plan, where)
    if key is not None and key in plan.declared:
        problems += _duplicate_key_problems(values[key], plan.declared[key], where)
    frame = _typed_frame(values, declared, len(table.frame))
    checked = CheckedTable(
        frame=frame,
        personal=_personal_frame(table, plan, key, values),
        dropped_columns=tuple(plan.dropped),
        personal_columns=tuple(h for headers in plan.personal.values() for h in headers),
        unknown_columns=tuple(plan.unknown),
        extra=table.frame[list(plan.unknown)].copy(),
        headers=dict(plan.declared),
        rows=table.rows,
        file=Path(file),
        sheet=table.sheet,
        cleaned=dict(table.cleaned),
    )
    return checked, problems


@dataclass(frozen=True)
class _Where:
    """Where the cells being checked come from, to locate problems."""

    file: str
    sheet: str | None
    rows: tuple[int, ...]
    header_row: int | None

    def problem(self, reason: str, index: int | None, column: str | None, **params: object) -> Problem:
        """Return a Problem at data row ``index`` (None: the header row)."""
        row = self.rows[index] if index is not None else self.header_row
        return Problem(reason, self.file, row, column, self.sheet, params)


@dataclass
class _ColumnPlan:
    """What becomes of each header of a file."""

    declared: dict[str, str]  # declared name -> header
    personal: dict[str, list[str]]  # personal field -> headers
    dropped: list[str]
    unknown: list[str]
    clashes: list[tuple[str, str, str]]  # (declared name, first header, second header)

    def problems(self, where: _Where) -> Iterator[Problem]:
        for name, first, second in self.clashes:
            yield where.problem("import.duplicate_column", None, second, first=first, second=second, column_name=name)


def _plan_columns(headers: Iterable[str], declared: tuple[Column, ...]) -> _ColumnPlan:
    """Sort headers into declared, personal, dropped and unknown columns.

    Dropped comes first (an ID number is never kept, whatever else it matches);
    declared comes before personal, so a layer's own ``name`` column (a
    neighbourhood's name) is not mistaken for a person's name.
    """
    plan = _ColumnPlan({}, {}, [], [], [])
    for header in headers:
        column = resolve_column(declared, header)
        if is_dropped(header):
            plan.dropped.append(header)
        elif column is not None and column.name in plan.declared:
            plan.clashes.append((column.name, plan.declared[column.name], header))
        elif column is not None:
            plan.declared[column.name] = header
        elif (field_name := personal_field(header)) is not None:
            plan.personal.setdefault(field_name, []).append(header)
        else:
            plan.unknown.append(header)
    return plan


def _raise_if_missing(plan: _ColumnPlan, declared: tuple[Column, ...], table: Table, file: str | Path) -> None:
    missing = [c for c in declared if c.required and c.name not in plan.declared]
    if not missing:
        return
    raise MissingColumnsError(
        "import.missing_columns",
        file=file,
        sheet=table.sheet,
        columns=listed_columns(c.name for c in missing),
        spellings=_spellings(missing),
        found=listed_headers(table.frame.columns),
        missing=tuple(c.name for c in missing),
    )


def _spellings(columns: Sequence[Column]) -> LocalText:
    """Return, for each column, the header spellings an import accepts ("单元数：单元数 / units")."""

    def render(language: str | None) -> str:
        lines = []
        for column in columns:
            names = dict.fromkeys((*column.aliases, column.name))
            lines.append(
                i18n.t(
                    "import.spelling",
                    language,
                    column=column_display_name(column.name, language),
                    names=" / ".join(names),
                )
            )
        return i18n.t("import.list_separator", language).join(lines)

    return LocalText(render)


# typed values ---------------------------------------------------------------------------------
def _typed_values(
    frame: pd.DataFrame,
    declared: tuple[Column, ...],
    plan: _ColumnPlan,
    where: _Where,
    problems: list[Problem],
    progress: Progress,
) -> dict[str, list[Any]]:
    """Convert every cell of the declared columns, collecting a problem for each bad one."""
    present = [(c, plan.declared[c.name]) for c in declared if c.name in plan.declared]
    cells = {c.name: frame[header].tolist() for c, header in present}
    caches: dict[str, dict[str, Any]] = {c.name: {} for c, _ in present}
    values: dict[str, list[Any]] = {c.name: [] for c, _ in present}
    for index in progress(len(frame)):
        for column, header in present:
            value = _convert_cell(cells[column.name][index], column, caches[column.name])
            if isinstance(value, ConversionError):
                problems.append(where.problem(value.reason, index, header, **value.params))
                value = None
            values[column.name].append(value)
    return values


def _convert_cell(raw: str, column: Column, cache: dict[str, Any]) -> Any:
    """Return the stored value of a cell, or its ConversionError; the same text is converted once per column."""
    if raw not in cache:
        try:
            cache[raw] = convert_value(column, raw)
        except ConversionError as bad:
            cache[raw] = bad
    return cache[raw]


def _duplicate_key_problems(values: list[Any], header: str, where: _Where) -> list[Problem]:
    first_index: dict[Any, int] = {}
    problems = []
    for index, value in enumerate(values):
        if value is None:
            continue
        if value in first_index:
            first_row = where.rows[first_index[value]]
            problems.append(where.problem("import.duplicate_key", index, header, value=value, first_row=first_row))
        else:
            first_index[value] = index
    return problems


# frames -----------------------------------------------------------------------------------------
_PANDAS_DTYPES = {INTEGER: "Int64", REAL: "Float64", BOOLEAN: "boolean"}


def pandas_dtype(column: Column) -> str:
    """Return the pandas dtype a declared column is held in (``Int64``, ``Float64``, ``boolean``, ``string``)."""
    return _PANDAS_DTYPES.get(column.dtype, "string")


def _typed_frame(values: dict[str, list[Any]], declared: tuple[Column, ...], length: int) -> pd.DataFrame:
    data = {c.name: pd.array(values.get(c.name, [None] * length), dtype=pandas_dtype(c)) for c in declared}
    return pd.DataFrame(data, index=pd.RangeIndex(length))


def _personal_frame(table: Table, plan: _ColumnPlan, key: str | None, values: dict[str, list[Any]]) -> pd.DataFrame:
    """Return the key (or source row) and the personal columns; several headers of one field keep the first."""
    length = len(table.frame)
    if key is not None and key in values:
        data: dict[str, Any] = {key: pd.array(values[key], dtype="string")}
    else:
        data = {"row": pd.array(table.rows, dtype="Int64")}
    for field_name, headers in plan.personal.items():
        columns = [table.frame[h].tolist() for h in headers]
        data[field_name] = pd.array([_first_filled(texts) for texts in zip(*columns, strict=True)], dtype="string")
    return pd.DataFrame(data, index=pd.RangeIndex(length))


def _typed_personal_problems(frame: pd.DataFrame, plan: _ColumnPlan, where: _Where) -> list[Problem]:
    """Return a problem for each personal cell that does not fit its type (a consent that is neither yes nor no)."""
    problems: list[Problem] = []
    for field_name, headers in plan.personal.items():
        column = PERSONAL_TYPES.get(field_name)
        if column is None:
            continue
        for header in headers:
            cache: dict[str, Any] = {}
            for index, text in enumerate(frame[header].tolist()):
                value = _convert_cell(text, column, cache)
                if isinstance(value, ConversionError):
                    problems.append(where.problem(value.reason, index, header, **value.params))
    return problems


def _first_filled(texts: Iterable[str]) -> str | None:
    return next((t.strip() for t in texts if t.strip()), None)
