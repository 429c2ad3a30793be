"""Write tables for spreadsheets (Excel, WPS): text stays text, never a formula.

Every text cell passes through :func:`cogov_toolkit.core.escape.spreadsheet_cell`,
so resident text such as ``=HYPERLINK(...)`` stays text in Excel and WPS.
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
    """Return a copy whose text cells can never run as spreadsheet formulas."""
    return frame.apply(lambda column: column.map(spreadsheet_cell) if column.dtype == object else column)


__all__ = ["safe_for_spreadsheet", "write_xlsx"]
