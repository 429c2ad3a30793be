"""Write tables for spreadsheets (Excel, WPS, LibreOffice): text stays text, never a formula.

One guard for every cell, whatever the column's dtype (``object``, pandas 3's
``str``, ``string``, ``category``, a mixed column): in a CSV a text cell that a
spreadsheet would run (``=``, ``+``, ``-``, ``@``, a tab or a carriage return in
front) gets a leading apostrophe (:func:`cogov_toolkit.core.escape.spreadsheet_cell`);
in an .xlsx every text cell is a typed string cell, which no spreadsheet runs,
so the text comes back exactly as typed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cogov_toolkit.core.escape import spreadsheet_cell

if TYPE_CHECKING:
    import pandas as pd


def write_xlsx(sheets: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """Write frames to an .xlsx workbook where every text cell is stored as text, never as a formula.

    In a CSV the only defence is a leading apostrophe; in .xlsx the cell type
    itself can say "string", so the text comes back exactly as typed.
    """
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, frame in sheets.items():
        sheet = book.create_sheet(title=_sheet_title(title))
        sheet.append([str(c) for c in frame.columns])
        for values in frame.itertuples(index=False):
            sheet.append([_cell_value(v) for v in values])
        for row in sheet.iter_rows(min_row=1):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    book.save(path)
    return Path(path)


def _sheet_title(title: str) -> str:
    for char in "[]:*?/\\":
        title = title.replace(char, "_")
    return title[:31]


def _cell_value(value: object) -> object:
    if value is None:
        return None
    try:
        if value != value:  # NaN / NA
            return None
    except (TypeError, ValueError):
        return None
    return value.item() if hasattr(value, "item") else value


def safe_for_spreadsheet(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose text cells can never run as spreadsheet formulas (for CSV), whatever their dtype.

    Numeric, boolean and datetime columns pass unchanged (a negative number is
    a number); every other column is guarded cell by cell, so a text cell is
    guarded in an ``object``, ``str``, ``string`` or ``category`` column alike.
    """
    import pandas as pd

    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_datetime64_any_dtype(column):
            if not isinstance(column.dtype, pd.CategoricalDtype):
                continue
        out[name] = column.astype(object).map(spreadsheet_cell)
    return out


__all__ = ["safe_for_spreadsheet", "write_xlsx"]
