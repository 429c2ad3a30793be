"""The 街道's scoring sheet (考核表) as a template file: write it blank, read the targets back.

:func:`write_scoring_template` writes an Excel workbook listing every pilot
indicator (key, name, definition, unit) with an empty 目标值 column; the
street office fills in its targets and sends it back. :func:`read_scoring_sheet`
reads such a file (Excel, or CSV in UTF-8/GBK/GB18030), matching each row to
an indicator by its key or its Chinese or English name, and returns the
targets; every problem of the file (a row that matches no indicator, a target
that is not a number, an indicator listed twice) is reported at once with its
row and column, and nothing is returned then.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from cogov_toolkit import i18n
from cogov_toolkit.core.indicators import INDICATORS, SPECS, Target, parse_target
from cogov_toolkit.core.schema import normalise_header
from cogov_toolkit.errors import AssessmentError, CogovError, Problem
from cogov_toolkit.io.tables import read_table

#: header spellings of the columns a scoring sheet may use (besides the template's own, in both languages)
KEY_HEADERS = ("指标编号", "编号", "key", "indicator key", "indicator_key")
NAME_HEADERS = ("指标名称", "指标", "考核指标", "考核内容", "indicator", "name")
TARGET_HEADERS = ("目标值", "目标", "考核目标", "标准", "target")


@dataclass(frozen=True)
class ScoringSheet:
    """The targets read from a scoring sheet, and the rows left without a target."""

    file: Path
    targets: tuple[Target, ...]
    rows_without_target: tuple[int, ...]


def write_scoring_template(path: str | Path, language: str | None = None) -> Path:
    """Write the blank scoring sheet: one row per indicator, the 目标值 column empty; return its path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = i18n.t("assessment.template_title", language)
    headers = [i18n.t(f"assessment.sheet.{c}", language) for c in ("key", "name", "definition", "unit", "target")]
    sheet.append(headers)
    for spec in INDICATORS:
        sheet.append(
            [
                spec.key,
                spec.name(language),
                spec.definition(language),
                i18n.t(f"assessment.unit_name.{spec.unit.value}", language),
                None,
            ]
        )
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text (a definition starting with "=" is not a formula)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2DCDB")
    for letter, width in zip("ABCDE", (28, 30, 70, 14, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    note = book.create_sheet(i18n.t("assessment.sheet.definition", language))
    note.append([i18n.t("assessment.template_note", language)])
    note["A1"].data_type = "s"
    note.column_dimensions["A"].width = 100
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _squeezed(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).lower()


def _names() -> dict[str, str]:
    """Every way a row may name an indicator (key, Chinese name, English name) -> the key."""
    names = {}
    for spec in INDICATORS:
        for spelling in (spec.key, spec.name("zh"), spec.name("en")):
            names[_squeezed(spelling)] = spec.key
    return names


def _find(columns: list[str], spellings: tuple[str, ...], catalog_key: str) -> str | None:
    wanted = {normalise_header(s) for s in spellings}
    wanted |= {normalise_header(i18n.t(catalog_key, lang)) for lang in i18n.LANGUAGES}
    return next((c for c in columns if normalise_header(c) in wanted), None)


def read_scoring_sheet(path: str | Path, *, sheet: str | None = None) -> ScoringSheet:
    """Read the targets of a filled scoring sheet.

    Parameters
    ----------
    path : str or Path
        The sheet: the template filled in, or the street office's own table with
        a column naming the indicator (指标编号 or 指标名称) and a 目标值 column.
    sheet : str, optional
        The worksheet of an Excel file (the first by default).

    Raises
    ------
    AssessmentError
        ``assessment.sheet_missing_columns``, or ``assessment.bad_sheet`` listing
        every bad row (``assessment.sheet_unknown_row``, ``assessment.bad_target``,
        ``assessment.sheet_repeated``), each with its row and column.
    """
    table = read_table(path, sheet=sheet)
    columns = [str(c) for c in table.frame.columns]
    key_column = _find(columns, KEY_HEADERS, "assessment.sheet.key")
    name_column = _find(columns, NAME_HEADERS, "assessment.sheet.name")
    target_column = _find(columns, TARGET_HEADERS, "assessment.sheet.target")
    if target_column is None or (key_column is None and name_column is None):
        raise AssessmentError("assessment.sheet_missing_columns", file=table.file, found="、".join(columns))
    names = _names()
    problems: list[Problem] = []
    targets: dict[str, Target] = {}
    first_row: dict[str, int] = {}
    blank_rows: list[int] = []
    where = {"file": str(table.file), "sheet": table.sheet}
    for position, row_no in enumerate(table.rows):
        cells = table.frame.iloc[position]
        said = [cells[c].strip() for c in (key_column, name_column) if c is not None and cells[c].strip()]
        key = next((names[_squeezed(s)] for s in said if _squeezed(s) in names), None)
        raw = cells[target_column].strip()
        if key is None:
            if said and raw:  # a heading or a row of the street office's own we do not know, with a target
                problems.append(
                    Problem(
                        "assessment.sheet_unknown_row",
                        row=row_no,
                        column=key_column or name_column,
                        params={"value": said[0]},
                        **where,
                    )
                )
            continue
        if key in first_row:
            problems.append(
                Problem(
                    "assessment.sheet_repeated",
                    row=row_no,
                    column=key_column or name_column,
                    params={"value": SPECS[key].name(), "first": first_row[key]},
                    **where,
                )
            )
            continue
        first_row[key] = row_no
        if not raw:
            blank_rows.append(row_no)
            continue
        try:
            targets[key] = Target(key, parse_target(key, raw), "sheet", Path(path).name)
        except CogovError as exc:
            problems.append(Problem(exc.reason, row=row_no, column=target_column, params=exc.params, **where))
    if problems:
        raise AssessmentError("assessment.bad_sheet", file=table.file, problems=problems, count=len(problems))
    return ScoringSheet(table.file, tuple(targets.values()), tuple(blank_rows))


__all__ = [
    "KEY_HEADERS",
    "NAME_HEADERS",
    "TARGET_HEADERS",
    "ScoringSheet",
    "write_scoring_template",
    "read_scoring_sheet",
]
