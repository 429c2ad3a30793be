"""Excel roster templates: blank forms with dropdowns, and the planner's own file handed back marked.

:func:`write_template` writes a template per roster (Chinese headers the
importer reads back, dropdowns for the fixed lists, number checks, a 说明
sheet). When a filled one has problems, :func:`mark_problems` hands back THE
PLANNER'S OWN FILE with exactly the bad cells filled red and a comment on each
saying what is wrong (``<name>_请修改.xlsx``), rather than a list of row
numbers. Checking against a workspace and importing are the rosters
workflow's job (:mod:`cogov_toolkit.workflows.rosters`).

Every text cell this module writes is stored as text (cell type "s"), so a
resident's ``=HYPERLINK(...)`` or ``@SUM(...)`` never becomes a formula.
openpyxl is imported inside the functions that need it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cogov_toolkit import i18n
from cogov_toolkit.core.schema import BOOLEAN, INTEGER, LAYERS, REAL, RECORD_TABLES, Column
from cogov_toolkit.core.validate import CheckedTable, Table
from cogov_toolkit.core.values import plain_value
from cogov_toolkit.errors import CorruptFileError, InputError, Problem
from cogov_toolkit.io.tables import cell_text, column_letter

if TYPE_CHECKING:
    pass
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


#: rows below the header that carry dropdowns and number checks in a blank template
TEMPLATE_ROWS = 1000


#: fill of a cell with a problem (light red, as Excel's own "bad" style)
PROBLEM_FILL = "FFC7CE"


#: fill of the header of a required column
REQUIRED_FILL = "FFF2CC"


#: author shown on the comments the toolkit adds
COMMENT_AUTHOR = "共同缔造工具箱"


#: suffix of the file handed back with the bad cells marked
MARKED_SUFFIX = "_请修改"


#: personal columns a household template offers (they go to the private companion file only; a display
#: name and the consent to publish it become a consent record there)
HOUSEHOLD_PERSONAL_HEADERS = {
    "name": "姓名",
    "phone": "联系电话",
    "public_name": "公开称呼",
    "publish_name_consent": "同意公开姓名",
}


class RosterKind(enum.Enum):
    """The rosters a planner fills in Excel."""

    BUILDINGS = "buildings"
    HOUSEHOLDS = "households"
    SITES = "sites"


@dataclass(frozen=True)
class RosterSheet:
    """One data sheet of a roster template: the workspace table it fills and its columns.

    Attributes
    ----------
    table : str
        A layer kind (``buildings``, ``public_spaces`` …) or record table (``households``).
    key : str
        The id column, unique within the sheet.
    columns : tuple of Column
        The declared columns, in template order.
    personal : dict
        Personal field -> header, for columns that go to the private file.
    """

    table: str
    key: str
    columns: tuple[Column, ...]
    personal: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """The sheet name, always Chinese: uploads are matched to their sheets by it."""
        return i18n.t(f"templates.sheet.{self.table}", "zh")

    @property
    def is_layer(self) -> bool:
        """True when the sheet fills a spatial layer (attributes only; shapes are drawn on the map)."""
        return self.table in LAYERS

    def headers(self) -> list[str]:
        """Return the template's header row: a Chinese spelling of every column, then the personal ones."""
        return [template_header(c) for c in self.columns] + list(self.personal.values())


def _layer_sheet(kind: str) -> RosterSheet:
    spec = LAYERS[kind]
    return RosterSheet(kind, spec.id_column, spec.columns)


def roster_kind(kind: str | RosterKind) -> RosterKind:
    """Return the :class:`RosterKind` named ``kind`` ("buildings", "households", "sites")."""
    if isinstance(kind, RosterKind):
        return kind
    try:
        return RosterKind(kind)
    except ValueError:
        raise InputError("templates.unknown_kind", kind=kind, kinds="、".join(k.value for k in RosterKind)) from None


def template_header(column: Column) -> str:
    """Return the Chinese header of a column: its first Chinese alias (which the importer reads back)."""
    chinese = [a for a in column.aliases if not a.isascii()]
    return chinese[0] if chinese else i18n.t(column.label_key, "zh")


# --- writing templates -------------------------------------------------------------------------
def write_template(kind: str | RosterKind, path: str | Path) -> Path:
    """Write a blank roster template and return its path.

    Parameters
    ----------
    kind : str or RosterKind
        "buildings", "households" or "sites" (one sheet each for public spaces,
        idle plots and adoption zones).
    path : str or pathlib.Path
        The ``.xlsx`` to write (folders are created).

    Returns
    -------
    pathlib.Path
    """
    return _write_roster(roster_kind(kind), path, {})


def _write_roster(kind: RosterKind, path: str | Path, rows: dict[str, list[list[Any]]]) -> Path:
    from openpyxl import Workbook

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    book.remove(book.active)
    for sheet in ROSTERS[kind]:
        data = rows.get(sheet.table, [])
        _data_sheet(book, sheet, data)
    _instructions_sheet(book, kind)
    book.save(path)
    return path


def _data_sheet(book: Workbook, sheet: RosterSheet, data: list[list[Any]]) -> Worksheet:
    from openpyxl.styles import Font, PatternFill

    worksheet = book.create_sheet(sheet.title)
    headers = sheet.headers()
    worksheet.append(headers)
    for values in data:
        worksheet.append(values)
    for row in worksheet.iter_rows(min_row=1):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    required = PatternFill("solid", fgColor=REQUIRED_FILL)
    for index, column in enumerate(sheet.columns, start=1):
        cell = worksheet.cell(1, index)
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = required
    for index in range(len(sheet.columns) + 1, len(headers) + 1):
        worksheet.cell(1, index).font = Font(bold=True)
    for index, header in enumerate(headers, start=1):
        worksheet.column_dimensions[column_letter(index)].width = max(10, 2.2 * len(header) + 4)
    worksheet.freeze_panes = "A2"
    _add_validations(worksheet, sheet, last_row=max(TEMPLATE_ROWS, len(data)) + 1)
    return worksheet


def _add_validations(worksheet: Worksheet, sheet: RosterSheet, last_row: int) -> None:
    """Dropdowns for enum and yes/no columns, number checks for counts and areas."""
    for index, column in enumerate(sheet.columns, start=1):
        validation = _validation(column)
        if validation is None:
            continue
        letter = column_letter(index)
        validation.add(f"{letter}2:{letter}{last_row}")
        worksheet.add_data_validation(validation)


def _validation(column: Column) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    title = i18n.t("templates.validation.title", "zh")
    if column.enum:
        choices = dropdown_choices(column)
        validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        validation.error = i18n.t("templates.validation.choose", "zh", choices="、".join(choices))
    elif column.dtype == BOOLEAN:
        validation = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
        validation.error = i18n.t("templates.validation.yes_no", "zh")
    elif column.dtype == INTEGER:
        validation = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        validation.error = i18n.t("templates.validation.whole", "zh")
    elif column.dtype == REAL:
        validation = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        validation.error = i18n.t("templates.validation.decimal", "zh")
    else:
        return None
    validation.errorTitle = title
    validation.showErrorMessage = True
    return validation


def dropdown_choices(column: Column) -> list[str]:
    """Return the Chinese labels a column's dropdown offers (是/否 for yes/no columns)."""
    from cogov_toolkit.core.schema import ENUMS

    if column.enum:
        return [i18n.label(column.enum, code, "zh") for code in ENUMS[column.enum]]
    if column.dtype == BOOLEAN:
        return ["是", "否"]
    return []


def _instructions_sheet(book: Workbook, kind: RosterKind) -> None:
    from openpyxl.styles import Alignment, Font

    worksheet = book.create_sheet(i18n.t("templates.instructions_sheet", "zh"))
    worksheet.append([i18n.t(f"templates.intro.{kind.value}", "zh")])
    worksheet.append([i18n.t("templates.intro.common", "zh")])
    worksheet.append([])
    worksheet.append([i18n.t(f"templates.instructions.{h}", "zh") for h in ("sheet", "column", "required", "fill")])
    for sheet in ROSTERS[kind]:
        for column in sheet.columns:
            required = i18n.t("templates.instructions.yes" if column.required else "templates.instructions.no", "zh")
            worksheet.append([sheet.title, template_header(column), required, _fill_hint(column)])
        for header in sheet.personal.values():
            worksheet.append([sheet.title, header, i18n.t("templates.instructions.no", "zh"), _personal_hint()])
    for cell in worksheet[4]:
        cell.font = Font(bold=True)
    worksheet["A1"].font = Font(bold=True, size=13)
    for letter, width in zip("ABCD", (14, 16, 8, 70), strict=True):
        worksheet.column_dimensions[letter].width = width
    for row in worksheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, str):
                cell.data_type = "s"


def _fill_hint(column: Column) -> str:
    if column.enum or column.dtype == BOOLEAN:
        return i18n.t("templates.hint.choose", "zh", choices="、".join(dropdown_choices(column)))
    if column.dtype == INTEGER:
        return i18n.t("templates.hint.whole", "zh")
    if column.dtype == REAL:
        return i18n.t("templates.hint.decimal", "zh")
    return i18n.t("templates.hint.text", "zh")


def _personal_hint() -> str:
    return i18n.t("templates.hint.personal", "zh")


def _template_value(column: Column, value: Any) -> Any:
    """Return a stored value as the planner types it: labels for codes, 是/否, plain numbers."""
    value = plain_value(value)
    if value is None:
        return None
    if column.enum:
        return i18n.label(column.enum, str(value), "zh")
    if column.dtype == BOOLEAN:
        return "是" if int(value) else "否"
    if column.dtype == INTEGER:
        return int(value)
    if column.dtype == REAL:
        return float(value)
    return str(value)


# --- checking an upload -------------------------------------------------------------------------
@dataclass(frozen=True)
class UploadCheck:
    """The outcome of checking a filled roster.

    Attributes
    ----------
    kind : RosterKind
    file : pathlib.Path
        The planner's file.
    problems : tuple of Problem
        Every problem found (empty when the file can be imported).
    rows : int
        Data rows read, over all sheets.
    marked_file : pathlib.Path or None
        The planner's file with the bad cells marked, when there are problems.
    """

    kind: RosterKind
    file: Path
    problems: tuple[Problem, ...]
    rows: int
    marked_file: Path | None = None

    @property
    def ok(self) -> bool:
        """True when the file has no problem and can be imported."""
        return not self.problems

    def __str__(self) -> str:
        if self.ok:
            return i18n.t("templates.check.ok", file=self.file.name, rows=self.rows)
        head = i18n.t("templates.check.problems", file=self.file.name, count=len(self.problems))
        if self.marked_file is None:
            return head
        return head + "\n" + i18n.t("templates.check.marked", marked=self.marked_file.name)


@dataclass(frozen=True)
class _SheetResult:
    sheet: RosterSheet
    table: Table | None
    checked: CheckedTable | None
    problems: list[Problem]


def _sheet_names(path: Path) -> list[str] | None:
    """Return the sheet names of an .xlsx (None for CSV and old .xls: read their first sheet)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    from openpyxl import load_workbook

    from cogov_toolkit.io.archives import check_zip_file

    try:
        check_zip_file(path)  # openpyxl peeks into every sheet: a bomb must be refused before it opens the book
    except CorruptFileError:
        return None  # a broken file: read_table reports it with the right message
    try:
        book = load_workbook(path, read_only=True)
    except Exception:  # a broken file: read_table reports it with the right message
        return None
    names = list(book.sheetnames)
    book.close()
    return names


# --- marking the planner's file ---------------------------------------------------------------
def mark_problems(path: Path, problems: Sequence[Problem], target: Path, results: Sequence[_SheetResult] = ()) -> Path:
    """Write the planner's file to ``target`` with each problem cell filled and commented.

    An .xlsx is loaded as it is (formatting, other sheets and comments kept);
    a CSV or old .xls is copied into a new workbook cell by cell first. Problems
    with no single cell (a missing column) are listed on an added 问题清单 sheet.
    """
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    book = _planner_book(path, results)
    fill = PatternFill("solid", fgColor=PROBLEM_FILL)
    by_cell: dict[tuple[str, int, int], list[str]] = {}
    unplaced: list[Problem] = []
    columns: dict[tuple[str, int], dict[str, int]] = {}  # each header row read once, however many problems
    header_rows = {r.table.sheet: r.table.header_row for r in results if r.table is not None}
    for problem in problems:
        place = _cell_of(book, problem, header_rows, columns)
        if place is None:
            unplaced.append(problem)
        else:
            by_cell.setdefault(place, []).append(i18n.t(f"error.{problem.reason}", "zh", **problem.params))
    for (title, row, column), texts in by_cell.items():
        cell = book[title].cell(row, column)
        cell.fill = fill
        note = "\n".join(dict.fromkeys(texts))
        cell.comment = Comment(note, COMMENT_AUTHOR, width=260, height=max(80, 40 * len(texts)))
    if unplaced:
        _problem_list_sheet(book, unplaced)
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


def _planner_book(path: Path, results: Sequence[_SheetResult]) -> Workbook:
    from openpyxl import Workbook, load_workbook

    if path.suffix.lower() in (".xlsx", ".xlsm"):
        with path.open("rb") as fh:
            return load_workbook(fh)
    book = Workbook()
    worksheet = book.active
    table = next((r.table for r in results if r.table is not None), None)
    if table is not None:
        worksheet.title = table.sheet or path.stem[:31]
        for index, header in enumerate(table.frame.columns, start=1):
            worksheet.cell(table.header_row or 1, index, header).data_type = "s"
        for row, values in zip(table.rows, table.frame.itertuples(index=False), strict=True):
            for index, value in enumerate(values, start=1):
                if value != "":
                    worksheet.cell(row, index, value).data_type = "s"
    return book


def _cell_of(
    book: Workbook,
    problem: Problem,
    header_rows: dict[str | None, int | None],
    columns: dict[tuple[str, int], dict[str, int]],
) -> tuple[str, int, int] | None:
    """Return (sheet, row, column) of the cell a problem is about, or None when it has no single cell.

    ``columns`` caches each sheet's header -> column number, so that marking N
    problems reads each header row once (linear in the problems, not N × the sheet).
    """
    if problem.row is None or not problem.column:
        return None
    title = problem.sheet if problem.sheet in book.sheetnames else book.sheetnames[0]
    header_row = header_rows.get(problem.sheet) or 1
    key = (title, header_row)
    if key not in columns:
        worksheet = book[title]
        found: dict[str, int] = {}
        for row in worksheet.iter_rows(min_row=header_row, max_row=header_row):
            for cell in row:
                if cell.value is not None:
                    found.setdefault(cell_text(cell.value).strip(), cell.column)
        columns[key] = found
    if problem.column in columns[key]:
        return title, problem.row, columns[key][problem.column]
    if problem.column.startswith("[") and problem.column.endswith("]"):  # a header-less column: "[C]"
        from openpyxl.utils import column_index_from_string

        return title, problem.row, column_index_from_string(problem.column[1:-1])
    return None


def _problem_list_sheet(book: Workbook, problems: Iterable[Problem]) -> None:
    from openpyxl.styles import Font

    worksheet = book.create_sheet(i18n.t("templates.problem_sheet", "zh"))
    worksheet.append([i18n.t("templates.problem_sheet_header", "zh")])
    worksheet["A1"].font = Font(bold=True)
    worksheet.column_dimensions["A"].width = 100
    for problem in problems:
        worksheet.append([problem.message("zh")])
    for row in worksheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


ROSTERS: dict[RosterKind, tuple[RosterSheet, ...]] = {
    RosterKind.BUILDINGS: (_layer_sheet("buildings"),),
    RosterKind.HOUSEHOLDS: (
        RosterSheet(
            "households", "household_id", RECORD_TABLES["households"].columns, dict(HOUSEHOLD_PERSONAL_HEADERS)
        ),
    ),
    RosterKind.SITES: (_layer_sheet("public_spaces"), _layer_sheet("idle_plots"), _layer_sheet("adoption_zones")),
}
