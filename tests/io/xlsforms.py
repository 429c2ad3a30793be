"""Write a small XLSForm workbook for a test (the planner's own questionnaire behind an export)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook


def write_xlsform(
    path: Path,
    survey: Sequence[Sequence[object]],
    choices: Sequence[Sequence[object]] = (),
    settings: Sequence[Sequence[object]] = (),
) -> Path:
    """Write sheets survey, choices and settings; the first row of each is its header."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
        if rows:
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(list(row))
    book.save(path)
    return path
