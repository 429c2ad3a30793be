"""Read tabular files (CSV, TXT, Excel) and check them against a declaration.

Planners bring rosters and lists from Excel, WPS, 问卷星 and government systems:
CSV in UTF-8 or GBK, Excel files old and new, headers in Chinese. This module
turns such a file into a :class:`Table` of text cells (rows numbered as the
planner sees them: header row 1, first data row 2) and checks it against the
declared columns of a layer or record table (:func:`check_records`): every bad
cell of the whole file is reported at once, with its row and column as the file
spells it, in Chinese by default. Cells are converted to their column's type
by :func:`cogov_toolkit.core.records.convert_value`, the converters every
workspace write uses too.

Pure: stdlib, numpy, pandas and shapely only. openpyxl, xlrd and tqdm are
imported inside the functions that need them.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.records import convert_value, parse_real
from cogov_toolkit.core.schema import (
    BOOLEAN,
    INTEGER,
    REAL,
    Column,
    is_dropped,
    normalise_header,
    personal_field,
    resolve_column,
)
from cogov_toolkit.errors import (
    ConversionError,
    CorruptFileError,
    EmptyFileError,
    EncodingError,
    InputError,
    MissingColumnsError,
    Problem,
    UnsupportedFormatError,
    ValidationError,
)
from cogov_toolkit.i18n.text import LocalText, column_display_name, listed, listed_columns, listed_headers, localised

#: suffixes read as delimited text (comma or tab, sniffed)
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
#: suffixes read as Excel workbooks (the content decides between .xlsx and .xls)
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
TABLE_SUFFIXES = TEXT_SUFFIXES + EXCEL_SUFFIXES
#: a progress bar is shown while checking files with more data rows than this
PROGRESS_MIN_ROWS = 5000

# Byte-order marks, longest first (UTF-16 is Excel's "Unicode text" export).
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# Tried in order when no encoding is given; GB18030 is a superset of GBK.
_GUESSED_ENCODINGS = ("utf-8", "gb18030")
_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"










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
    """

    frame: pd.DataFrame
    file: Path
    sheet: str | None
    rows: tuple[int, ...]
    header_row: int | None = 1


def read_table(path: str | Path, *, encoding: str | None = None, sheet: str | None = None) -> Table:
    """Read a CSV/TXT or Excel file into a :class:`Table` of text cells.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.csv``/``.txt`` file (comma or tab separated), an ``.xlsx`` or an ``.xls``.
    encoding : str, optional
        The text encoding of a CSV/TXT. By default UTF-8 (with or without BOM),
        UTF-16 with BOM, then GB18030 (which covers GBK) are tried.
    sheet : str, optional
        The worksheet of an Excel file; the first sheet by default.

    Returns
    -------
    Table

    Raises
    ------
    UnsupportedFormatError
        If the file is not a table type the toolkit reads.
    EncodingError
        If the text is in none of the accepted encodings (the row where decoding failed is named).
    EmptyFileError
        If the file has no bytes, or no data rows below the header.
    CorruptFileError
        If an Excel file is truncated or not really an Excel file.
    ValidationError
        If the header is unusable: merged header cells, a header used twice, or
        rows with more cells than the header.
    """
    path = Path(path)
    require_file(path)
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        records = _text_records(path, encoding)
        return _table_from_records(path, None, records, merged=(), extra_cells_are_errors=True)
    if suffix in EXCEL_SUFFIXES:
        sheet_name, records, merged = _excel_records(path, sheet)
        return _table_from_records(path, sheet_name, records, merged=merged, extra_cells_are_errors=False)
    raise UnsupportedFormatError(
        "import.unsupported_format", file=path, suffix=suffix or path.name, supported=", ".join(TABLE_SUFFIXES)
    )


def require_file(path: Path) -> None:
    """Raise :class:`InputError` naming the file when it does not exist (or is a folder)."""
    if not path.is_file():
        raise InputError("import.file_not_found", file=path)


# CSV / TXT -----------------------------------------------------------------------------
def _text_records(path: Path, encoding: str | None) -> list[tuple[int, list[str]]]:
    """Return (row number, cells) of every record of a delimited text file."""
    data = path.read_bytes()
    if not data.strip():
        raise EmptyFileError(file=path)
    text = decode_text(data, path, encoding).lstrip("\ufeff")
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(number, cells) for number, cells in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise CorruptFileError(
            file=path, row=reader.line_num, detail=localised("import.detail.csv", error=str(exc))
        ) from exc


def decode_text(data: bytes, path: Path, encoding: str | None = None) -> str:
    """Decode the bytes of a text file the way a Chinese planner's files need.

    Parameters
    ----------
    data : bytes
        The whole file.
    path : pathlib.Path
        The file, named in errors.
    encoding : str, optional
        Honoured when given; otherwise a BOM decides, else UTF-8 then GB18030.

    Returns
    -------
    str

    Raises
    ------
    EncodingError
        Naming the line where decoding failed.
    """
    if encoding:
        return _decode_with(data, _checked_codec(encoding, path), path)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_with(data, codec, path)
    failures = []
    for codec in _GUESSED_ENCODINGS:
        try:
            return data.decode(codec)
        except UnicodeDecodeError as exc:
            failures.append(exc)
            if codec == "utf-8" and _is_damaged_utf8(data, exc):
                # GB18030 would "succeed" and turn the whole file into nonsense:
                # better to point at the damaged line
                break
    furthest = max(failures, key=lambda exc: exc.start)
    raise EncodingError(file=path, row=_line_at(data, furthest)) from furthest


def _checked_codec(encoding: str, path: Path) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InputError("import.unknown_encoding", file=path, encoding=encoding) from None


def _decode_with(data: bytes, codec: str, path: Path) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise EncodingError(file=path, row=_line_at(data, exc)) from exc


def _is_damaged_utf8(data: bytes, exc: UnicodeDecodeError) -> bool:
    """Return True when plenty of Chinese decoded as UTF-8 before the failure.

    GBK text almost never forms several valid multi-byte UTF-8 sequences by
    chance, so such a file is UTF-8 with a damaged (or pasted-in) stretch.
    """
    before = data[: exc.start].decode("utf-8", errors="replace")
    return sum(1 for ch in before if ord(ch) > 0x7F) >= 4


def _line_at(data: bytes, exc: UnicodeDecodeError) -> int:
    """Return the 1-based line number holding the byte where decoding failed."""
    return data[: exc.start].decode(exc.encoding, errors="replace").count("\n") + 1


def _sniff_delimiter(text: str) -> str:
    """Return a tab when the header line has more tabs than commas, else a comma."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


# Excel -----------------------------------------------------------------------------------
def _excel_records(
    path: Path, sheet: str | None
) -> tuple[str, list[tuple[int, list[str]]], list[tuple[str, int, int]]]:
    """Return (sheet name, records, merged ranges touching each row) of a workbook.

    The content decides the reader, not the suffix: an .xlsx renamed .xls is common.
    """
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head:
        raise EmptyFileError(file=path)
    if head.startswith(_XLSX_MAGIC):
        return _xlsx_records(path, sheet)
    if head == _XLS_MAGIC:
        return _xls_records(path, sheet)
    raise CorruptFileError(file=path, detail=localised("import.detail.not_excel"))


def _xlsx_records(path: Path, sheet: str | None) -> tuple[str, list[tuple[int, list[str]]], list[tuple[str, int, int]]]:
    import openpyxl

    try:
        # not read_only: merged cells are only known to the full model; a file object,
        # because openpyxl refuses an .xlsx by name when it was renamed .xls
        with path.open("rb") as fh:
            book = openpyxl.load_workbook(fh, data_only=True)
    except Exception as exc:  # BadZipFile, KeyError, XML errors: any of them means a broken file
        raise CorruptFileError(file=path, detail=localised("import.detail.broken_xlsx")) from exc
    worksheet = _pick_sheet(path, book.sheetnames, sheet, lambda name: book[name])
    records = [
        (number, [cell_text(v) for v in values])
        for number, values in enumerate(worksheet.iter_rows(min_row=1, min_col=1, values_only=True), start=1)
    ]
    merged = [(r.coord, r.min_row, r.max_row) for r in worksheet.merged_cells.ranges]
    return worksheet.title, records, merged


def _xls_records(path: Path, sheet: str | None) -> tuple[str, list[tuple[int, list[str]]], list[tuple[str, int, int]]]:
    import xlrd

    quiet = io.StringIO()  # xlrd reports damage on stdout; the planner gets our message instead
    try:
        book = xlrd.open_workbook(path, formatting_info=True, logfile=quiet)
    except Exception:  # some writers' files only open without formatting info
        try:
            book = xlrd.open_workbook(path, logfile=quiet)
        except Exception as exc:  # XLRDError, CompDocError, struct errors: a broken file
            raise CorruptFileError(file=path, detail=localised("import.detail.broken_xls")) from exc
    worksheet = _pick_sheet(path, book.sheet_names(), sheet, book.sheet_by_name)
    records = [
        (r + 1, [_xls_cell_text(worksheet.cell(r, c), book.datemode) for c in range(worksheet.ncols)])
        for r in range(worksheet.nrows)
    ]
    merged = [
        (f"{column_letter(clo + 1)}{rlo + 1}:{column_letter(chi)}{rhi}", rlo + 1, rhi)
        for rlo, rhi, clo, chi in getattr(worksheet, "merged_cells", [])
    ]
    return worksheet.name, records, merged


def _pick_sheet(path: Path, names: Sequence[str], wanted: str | None, get: Callable[[str], Any]) -> Any:
    if wanted is None:
        return get(names[0])
    if wanted in names:
        return get(wanted)
    raise InputError("import.no_such_sheet", file=path, sheet=wanted, sheets=listed_headers(names))


def _xls_cell_text(cell: Any, datemode: int) -> str:
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if cell.ctype == xlrd.XL_CELL_DATE:
        return cell_text(xlrd.xldate_as_datetime(cell.value, datemode))
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERR")
    return cell_text(cell.value)


def cell_text(value: object) -> str:
    """Return a spreadsheet or GIS attribute value as the text a person would type.

    Whole numbers lose Excel's ".0" (12.0 -> "12"), dates become ISO text, a
    missing value becomes "".
    """
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time() and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _float_text(value: float) -> str:
    if value != value:  # NaN: a missing value in GIS attributes
        return ""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def column_letter(number: int) -> str:
    """Return the Excel letter of a 1-based column number (1 -> "A", 28 -> "AB")."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# from records to a Table ---------------------------------------------------------------------
def _table_from_records(
    path: Path,
    sheet: str | None,
    records: list[tuple[int, list[str]]],
    *,
    merged: Sequence[tuple[str, int, int]],
    extra_cells_are_errors: bool,
) -> Table:
    """Turn (row number, cells) records into a Table, checking the header first."""
    filled = [(number, cells) for number, cells in records if any(c.strip() for c in cells)]
    if not filled:
        raise EmptyFileError(file=path, sheet=sheet)
    header_row, header_cells = filled[0]
    data = filled[1:]
    width = max(len(header_cells), *(len(cells) for _, cells in data)) if data else len(header_cells)
    headers = _header_names(header_cells, data, width)

    problems = _merged_header_problems(path, sheet, header_row, merged)
    problems += _duplicate_header_problems(path, sheet, header_row, headers)
    if extra_cells_are_errors:
        problems += _extra_cell_problems(path, data, len(header_cells))
    raise_problems(problems, file=path, sheet=sheet)
    if not data:
        raise EmptyFileError("import.no_data_rows", file=path, sheet=sheet)

    kept = [i for i, header in enumerate(headers) if header is not None]
    columns = {headers[i]: [_cell(cells, i) for _, cells in data] for i in kept}
    frame = pd.DataFrame(columns, dtype=str)
    return Table(frame, path, sheet, tuple(number for number, _ in data), header_row)


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _header_names(header_cells: list[str], data: list[tuple[int, list[str]]], width: int) -> list[str | None]:
    """Return each column's header; a column with no header is named by its letter, or None when it is empty too."""
    names: list[str | None] = []
    for i in range(width):
        text = _cell(header_cells, i).strip()
        if text:
            names.append(text)
        elif any(_cell(cells, i).strip() for _, cells in data):
            names.append(f"[{column_letter(i + 1)}]")
        else:
            names.append(None)
    return names


def _merged_header_problems(
    path: Path, sheet: str | None, header_row: int, merged: Sequence[tuple[str, int, int]]
) -> list[Problem]:
    return [
        Problem("import.merged_header", str(path), header_row, None, sheet, {"range": coord})
        for coord, first_row, last_row in merged
        if first_row <= header_row <= last_row
    ]


def _duplicate_header_problems(
    path: Path, sheet: str | None, header_row: int, headers: list[str | None]
) -> list[Problem]:
    problems = []
    first_seen: dict[str, int] = {}
    for i, header in enumerate(headers):
        if header is None:
            continue
        key = normalise_header(header)
        if key in first_seen:
            params = {"header": header, "first": column_letter(first_seen[key] + 1), "second": column_letter(i + 1)}
            problems.append(Problem("import.duplicate_header", str(path), header_row, header, sheet, params))
        else:
            first_seen[key] = i
    return problems


def _extra_cell_problems(path: Path, data: list[tuple[int, list[str]]], width: int) -> list[Problem]:
    """Rows of a CSV with filled cells beyond the header: usually an unquoted comma in a value."""
    return [
        Problem("import.too_many_cells", str(path), number, None, None, {"found": len(cells), "expected": width})
        for number, cells in data
        if any(c.strip() for c in cells[width:])
    ]


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

    def notes(self) -> list[str]:
        """Return what the import did besides reading (columns dropped, set apart, ignored), for people."""
        notes = []
        if self.dropped_columns:
            notes.append(localised("import.note.dropped_columns", columns=listed_headers(self.dropped_columns)))
        if self.personal_columns:
            notes.append(localised("import.note.personal_columns", columns=listed_headers(self.personal_columns)))
        if self.unknown_columns:
            notes.append(localised("import.note.unknown_columns", columns=listed_headers(self.unknown_columns)))
        return notes


def check_records(
    table: Table, declared_columns: Sequence[Column], *, file: str | Path, key: str | None = None
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
    checked, problems = review_records(table, declared_columns, file=file, key=key)
    raise_problems(problems, file=file, sheet=table.sheet)
    return checked


def review_records(
    table: Table, declared_columns: Sequence[Column], *, file: str | Path, key: str | None = None
) -> tuple[CheckedTable, list[Problem]]:
    """Like :func:`check_records`, but return the problems instead of raising them.

    For callers that add problems of their own (a layer's geometries) before
    raising everything together with :func:`raise_problems`. Missing required
    columns are still raised at once: without them no row can be checked.
    """
    declared = tuple(declared_columns)
    plan = _plan_columns(table.frame.columns, declared)
    _raise_if_missing(plan, declared, table, file)
    where = _Where(str(file), table.sheet, table.rows, table.header_row)
    problems = list(plan.problems(where))
    values = _typed_values(table.frame, declared, plan, where, problems)
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
    frame: pd.DataFrame, declared: tuple[Column, ...], plan: _ColumnPlan, where: _Where, problems: list[Problem]
) -> dict[str, list[Any]]:
    """Convert every cell of the declared columns, collecting a problem for each bad one."""
    present = [(c, plan.declared[c.name]) for c in declared if c.name in plan.declared]
    cells = {c.name: frame[header].tolist() for c, header in present}
    caches: dict[str, dict[str, Any]] = {c.name: {} for c, _ in present}
    values: dict[str, list[Any]] = {c.name: [] for c, _ in present}
    for index in _progress(len(frame)):
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


def _progress(count: int) -> Iterable[int]:
    """Iterate over row indexes, with a progress bar for long files only."""
    if count <= PROGRESS_MIN_ROWS:
        return range(count)
    from tqdm.auto import tqdm

    return tqdm(range(count), desc=i18n.t("import.progress"), unit=i18n.t("import.progress_unit"), leave=False)


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


def _first_filled(texts: Iterable[str]) -> str | None:
    return next((t.strip() for t in texts if t.strip()), None)


__all__ = [
    "TEXT_SUFFIXES",
    "EXCEL_SUFFIXES",
    "TABLE_SUFFIXES",
    "PROGRESS_MIN_ROWS",
    "LocalText",
    "listed",
    "Table",
    "read_table",
    "require_file",
    "decode_text",
    "cell_text",
    "column_letter",
    "raise_problems",
    "CheckedTable",
    "check_records",
    "review_records",
    "parse_real",
    "pandas_dtype",
]
