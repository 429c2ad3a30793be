"""Read tabular files (CSV, TXT, Excel) and check them against a declaration.

Planners bring rosters and lists from Excel, WPS, 问卷星 and government systems:
CSV in UTF-8 or GBK, Excel files old and new, headers in Chinese. This module
turns such a file into a :class:`Table` of text cells (rows numbered as the
planner sees them: header row 1, first data row 2) and checks it against the
declared columns of a layer or record table (:func:`check_records`): every bad
cell of the whole file is reported at once, with its row and column as the file
spells it, in Chinese by default. Cells are converted to their column's type
by :func:`cogov_toolkit.core.values.convert_value`, the converters every
workspace write uses too.

Pure: stdlib, numpy, pandas and shapely only. openpyxl, xlrd and tqdm are
imported inside the functions that need them.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.schema import (
    normalise_header,
)
from cogov_toolkit.core.validate import Table, raise_problems
from cogov_toolkit.core.values import clean_text, parse_real
from cogov_toolkit.errors import (
    CorruptFileError,
    EmptyFileError,
    EncodingError,
    InputError,
    Problem,
    UnsupportedFormatError,
)
from cogov_toolkit.i18n.text import LocalText, listed, listed_headers, localised
from cogov_toolkit.io.archives import check_file_size, check_zip_file

#: suffixes read as delimited text (comma or tab, sniffed)
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
#: suffixes read as Excel workbooks (the content decides between .xlsx and .xls)
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
TABLE_SUFFIXES = TEXT_SUFFIXES + EXCEL_SUFFIXES

# Byte-order marks, longest first (UTF-16 is Excel's "Unicode text" export).
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# Tried in order when no encoding is given; GB18030 is a superset of GBK.
_GUESSED_ENCODINGS = ("utf-8", "gb18030")
_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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
    check_file_size(path)
    data = path.read_bytes()
    if not data.strip():
        raise EmptyFileError(file=path)
    text = decode_text(data, path, encoding).lstrip("\ufeff")
    delimiter = _sniff_delimiter(text)
    # strict: a quote opened and never closed (a file cut off mid-row) is an error, not a short last row
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        for number, cells in enumerate(reader, start=1):
            records.append((number, cells))
    except csv.Error as exc:
        row = len(records) + 1
        if "unexpected end of data" in str(exc):
            raise CorruptFileError("import.truncated_row", file=path, row=row) from exc
        raise CorruptFileError(file=path, row=row, detail=localised("import.detail.csv", error=str(exc))) from exc
    if _cut_off(data, text) and records:
        raise CorruptFileError("import.truncated_row", file=path, row=records[-1][0])
    return records


def _cut_off(data: bytes, text: str) -> bool:
    """True when a file written by a program (Excel, WPS, an export) lacks the line end of its last row.

    Such writers end every row, the last included, with a line break (CRLF for Excel
    and WPS, which also put a BOM first): a last row without one was cut off, and its
    last cell is short ("2" for "201"). Text typed by hand often has no final line
    break, and is read as it is.
    """
    stripped = text.rstrip(" \t")
    if not stripped or stripped.endswith(("\n", "\r")):
        return False
    return "\r\n" in text or data.startswith(b"\xef\xbb\xbf")


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
    """Return the separator the header line uses most outside quotes: comma, tab, or semicolon.

    KoboToolbox's current CSV export separates with ";" (and quotes every field);
    Excel's "Unicode text" with tabs; most others with commas (the default on a tie).
    """
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    bare = re.sub(r'"[^"]*"', "", first_line)
    counts = {",": bare.count(","), "\t": bare.count("\t"), ";": bare.count(";")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


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

    check_zip_file(path)  # an .xlsx is a zip: no sheet may inflate past the cap
    try:
        # read-only: rows stream from the sheet's XML (memory stays small for a big sheet); a file
        # object, because openpyxl refuses an .xlsx by name when it was renamed .xls
        with path.open("rb") as fh:
            book = openpyxl.load_workbook(fh, read_only=True, data_only=True)
            try:
                worksheet = _pick_sheet(path, book.sheetnames, sheet, lambda name: book[name])
                worksheet.reset_dimensions()  # a sheet "declaring" A1:XFD1048576 is read as far as it goes
                records = [
                    (number, [cell_text(v) for v in values])
                    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1)
                ]
                member = worksheet._worksheet_path  # merged cells are only in the sheet's XML
            finally:
                book.close()
    except InputError:
        raise
    except Exception as exc:  # BadZipFile, KeyError, XML errors: any of them means a broken file
        raise CorruptFileError(file=path, detail=localised("import.detail.broken_xlsx")) from exc
    return worksheet.title, records, _merged_ranges(path, member)


_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _merged_ranges(path: Path, member: str) -> list[tuple[str, int, int]]:
    """Return (range, first row, last row) of every merged range of one sheet, read from its XML in pieces."""
    from cogov_toolkit.io.archives import open_zip

    found: list[tuple[str, int, int]] = []
    tail = b""
    with open_zip(path) as archive, archive.open(member.lstrip("/")) as xml:
        while chunk := xml.read(1 << 20):
            block = tail + chunk
            for m in _MERGE_CELL.finditer(block):
                first_col, first_row = m.group(1).decode(), int(m.group(2))
                last_col, last_row = (m.group(3) or m.group(1)).decode(), int(m.group(4) or m.group(2))
                found.append((f"{first_col}{first_row}:{last_col}{last_row}", first_row, last_row))
            tail = block[-200:]  # a tag cut between two pieces is found whole in the next block
    return sorted(set(found), key=lambda item: (item[1], item[0]))


def _xls_records(path: Path, sheet: str | None) -> tuple[str, list[tuple[int, list[str]]], list[tuple[str, int, int]]]:
    import xlrd

    check_file_size(path)
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
    records, cleaned_cells = _cleaned(records)
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
        problems += _short_row_problems(path, data, len(header_cells))
    raise_problems(problems, file=path, sheet=sheet)
    if not data:
        raise EmptyFileError("import.no_data_rows", file=path, sheet=sheet)

    kept = [i for i, header in enumerate(headers) if header is not None]
    columns = {headers[i]: [_cell(cells, i) for _, cells in data] for i in kept}
    frame = pd.DataFrame(columns, dtype=str)
    data_rows = {number for number, _ in data}
    cleaned: dict[str, int] = {}
    for number, index in cleaned_cells:
        if number in data_rows and index < len(headers) and headers[index] is not None:
            cleaned[headers[index]] = cleaned.get(headers[index], 0) + 1
    return Table(frame, path, sheet, tuple(number for number, _ in data), header_row, cleaned)


def _cleaned(records: list[tuple[int, list[str]]]) -> tuple[list[tuple[int, list[str]]], list[tuple[int, int]]]:
    """Return the records with NUL bytes, control characters and BOMs taken out, and which cells had them."""
    out = []
    touched: list[tuple[int, int]] = []
    for number, cells in records:
        clean = [clean_text(c) for c in cells]
        touched += [(number, i) for i, (a, b) in enumerate(zip(cells, clean, strict=True)) if a != b]
        out.append((number, clean))
    return out, touched


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


def _short_row_problems(path: Path, data: list[tuple[int, list[str]]], width: int) -> list[Problem]:
    """Rows of a CSV with fewer cells than the header: a file cut off, or cells lost when it was edited."""
    return [
        Problem("import.short_row", str(path), number, None, None, {"found": len(cells), "expected": width})
        for number, cells in data
        if len(cells) < width
    ]


#: a progress bar is shown while checking files with more data rows than this
PROGRESS_MIN_ROWS = 5000


def progress_bar(count: int) -> Iterable[int]:
    """Iterate over row indexes, with a progress bar (tqdm) for long files only."""
    if count <= PROGRESS_MIN_ROWS:
        return range(count)
    from tqdm.auto import tqdm

    return tqdm(range(count), desc=i18n.t("import.progress"), unit=i18n.t("import.progress_unit"), leave=False)


__all__ = [
    "progress_bar",
    "TEXT_SUFFIXES",
    "EXCEL_SUFFIXES",
    "TABLE_SUFFIXES",
    "LocalText",
    "listed",
    "read_table",
    "require_file",
    "decode_text",
    "cell_text",
    "column_letter",
    "parse_real",
]
