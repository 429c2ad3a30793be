"""Excel roster templates: blank forms with dropdowns, checking an upload, importing and exporting it.

Planners keep their buildings, households and sites in Excel. This module
writes a template per roster (:func:`write_template`: Chinese headers the
importer reads back, dropdowns for the fixed lists, number checks, a 说明
sheet), checks a filled one (:func:`check_uploaded`) and, when something is
wrong, hands back THE PLANNER'S OWN FILE with exactly the bad cells filled red
and a comment on each saying what is wrong (``<name>_请修改.xlsx``), rather
than a list of row numbers. A clean file is imported (:func:`import_uploaded`)
and the workspace can be written back in the same layout (:func:`export_roster`).

Every text cell this module writes is stored as text (cell type "s"), so a
resident's ``=HYPERLINK(...)`` or ``@SUM(...)`` never becomes a formula.
openpyxl is imported inside the functions that need it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cogov_toolkit import i18n
from cogov_toolkit.core.schema import LAYERS
from cogov_toolkit.core.validate import CheckedTable, Table, review_records
from cogov_toolkit.core.values import is_blank, plain_value
from cogov_toolkit.errors import EmptyFileError, InputError, MissingColumnsError, Problem, ValidationError
from cogov_toolkit.io.rosters import (
    MARKED_SUFFIX,
    PROBLEM_FILL,
    ROSTERS,
    TEMPLATE_ROWS,
    RosterKind,
    RosterSheet,
    UploadCheck,
    _sheet_names,
    _SheetResult,
    _template_value,
    _write_roster,
    dropdown_choices,
    mark_problems,
    roster_kind,
    write_template,
)
from cogov_toolkit.io.tables import progress_bar, read_table
from cogov_toolkit.workflows.imports import ImportReport, import_records
from cogov_toolkit.workflows.privacy import Purpose, publication_gate

if TYPE_CHECKING:
    import pandas as pd

    from cogov_toolkit.storage import Workspace


def export_roster(ws: Workspace, kind: str | RosterKind, path: str | Path, *, include_personal: bool = False) -> Path:
    """Write the workspace's current roster in the template layout and return the path.

    Enum codes become their Chinese labels, booleans 是/否, text stays text
    (never a formula). Personal columns (households' names and phones) are left
    empty unless ``include_personal``: they come from the private companion file.
    """
    kind = roster_kind(kind)
    rows = {sheet.table: _workspace_rows(ws, sheet, include_personal) for sheet in ROSTERS[kind]}
    return _write_roster(kind, path, rows)


# --- rows of the workspace in template form ----------------------------------------------------
def _workspace_rows(ws: Workspace, sheet: RosterSheet, include_personal: bool) -> list[list[Any]]:
    if sheet.is_layer:
        frame = ws.read_layer(sheet.table).drop(columns=["fid", "geometry"])
    else:
        frame = ws.records(sheet.table)
    personal: dict[str, dict[str, Any]] = {}
    if include_personal and sheet.personal:
        people = ws.private_records("people")
        personal = {str(r[sheet.key]): r for r in people.to_dict("records")}
        if "publish_name_consent" in sheet.personal:  # the consent record, as the template's 1/0 column
            gate = publication_gate(ws).for_purpose(Purpose.HONOUR_ROLL, date.today())
            for key in frame[sheet.key].astype(str):
                row = personal.setdefault(key, {})
                row["publish_name_consent"] = "1" if gate.consented(row.get("public_name"), household_id=key) else "0"
    rows = []
    for record in frame.to_dict("records"):
        values = [_template_value(column, record.get(column.name)) for column in sheet.columns]
        extra = personal.get(str(record.get(sheet.key)), {})
        values += [plain_value(extra.get(name)) for name in sheet.personal]
        rows.append(values)
    return rows


def check_uploaded(
    path: str | Path, kind: str | RosterKind, ws: Workspace | None = None, *, out_dir: str | Path | None = None
) -> UploadCheck:
    """Check a filled roster and, when something is wrong, write the planner's file with the bad cells marked.

    Parameters
    ----------
    path : str or pathlib.Path
        The planner's file (.xlsx from the template, or any CSV/Excel with the same headers).
    kind : str or RosterKind
        "buildings", "households" or "sites".
    ws : Workspace, optional
        When given, ids are checked against it too (a household's building must exist).
    out_dir : str or pathlib.Path, optional
        Where ``<name>_请修改.xlsx`` goes; beside the planner's file by default.

    Returns
    -------
    UploadCheck

    Raises
    ------
    InputError
        When the file cannot be read at all (missing, empty, broken): there is nothing to mark.
    """
    return _check(Path(path), roster_kind(kind), ws, out_dir)[0]


def _check(
    path: Path, kind: RosterKind, ws: Workspace | None, out_dir: str | Path | None
) -> tuple[UploadCheck, list[_SheetResult]]:
    results = _review(path, kind, ws)
    problems = tuple(p for result in results for p in result.problems)
    rows = sum(len(r.table.frame) for r in results if r.table is not None)
    marked = None
    if problems:
        folder = Path(out_dir) if out_dir is not None else path.parent
        marked = mark_problems(path, problems, folder / f"{path.stem}{MARKED_SUFFIX}.xlsx", results)
    return UploadCheck(kind, path, problems, rows, marked), results


def _review(path: Path, kind: RosterKind, ws: Workspace | None) -> list[_SheetResult]:
    sheets = ROSTERS[kind]
    names = _sheet_names(path)
    if names is None and len(sheets) > 1:  # one CSV cannot say which kind of site each row is
        raise InputError("templates.needs_workbook", file=path, sheets="、".join(s.title for s in sheets))
    results = []
    empty: EmptyFileError | None = None
    for sheet in sheets:
        if names is not None and sheet.title not in names:
            if len(sheets) > 1:
                continue  # a sites file may hold only some kinds of site
            wanted = None  # a single-sheet roster: whatever the first sheet is called
        else:
            wanted = sheet.title if names is not None else None
        try:
            results.append(_review_sheet(path, sheet, wanted, ws))
        except EmptyFileError as exc:
            if len(sheets) == 1:
                raise
            empty = exc  # a sites file without idle plots, say: the other sheets still count
    if not results and empty is not None:
        raise empty
    if not results:
        titles = "、".join(s.title for s in sheets)
        raise InputError("templates.no_roster_sheet", file=path, sheets=titles)
    return results


def _review_sheet(path: Path, sheet: RosterSheet, wanted: str | None, ws: Workspace | None) -> _SheetResult:
    try:
        table = read_table(path, sheet=wanted)
    except ValidationError as exc:  # merged or duplicate headers: the header row is marked
        return _SheetResult(sheet, None, None, list(exc.problems))
    try:
        checked, problems = review_records(table, sheet.columns, file=path, key=sheet.key, progress=progress_bar)
    except MissingColumnsError as exc:
        return _SheetResult(sheet, table, None, [exc.headline])
    if ws is not None:
        problems += _workspace_problems(ws, sheet, table, checked)
    return _SheetResult(sheet, table, checked, problems)


def _workspace_problems(ws: Workspace, sheet: RosterSheet, table: Table, checked: CheckedTable) -> list[Problem]:
    """Ids the workspace does not know (a household in a building that is not on the map)."""
    problems = []
    for name, layer in (("building_id", "buildings"), ("neighbourhood_id", "neighbourhoods")):
        if name not in checked.headers or name == sheet.key:
            continue
        known = set(ws.read_layer(layer)[LAYERS[layer].id_column].astype(str))
        if not known and layer == "neighbourhoods":
            continue  # a new community without neighbourhoods drawn yet
        header = checked.headers[name]
        for index, value in enumerate(checked.frame[name].tolist()):
            if not is_blank(value) and str(value) not in known:
                reason = f"templates.unknown_{layer}"
                problems.append(
                    Problem(reason, str(table.file), table.rows[index], header, table.sheet, {"value": value})
                )
    if sheet.table == "households":
        existing = set(ws.records("households")["household_id"].astype(str))
        header = checked.headers[sheet.key]
        for index, value in enumerate(checked.frame[sheet.key].tolist()):
            if not is_blank(value) and str(value) in existing:
                problems.append(
                    Problem(
                        "templates.household_exists",
                        str(table.file),
                        table.rows[index],
                        header,
                        table.sheet,
                        {"value": value},
                    )
                )
    return problems


# --- importing a clean upload -------------------------------------------------------------------
def import_uploaded(ws: Workspace, path: str | Path, kind: str | RosterKind) -> list[ImportReport]:
    """Check a filled roster and, when it is clean, store it in the workspace.

    Households are added as records (names and phones to the private companion
    file, as :func:`cogov_toolkit.workflows.imports.import_records` does). Buildings and
    sites update the attributes of the features with the same id and add the
    others without a shape, to be drawn on the map.

    Raises
    ------
    ValidationError
        Listing every problem when the file is not clean (nothing is stored);
        ``params["marked"]`` names the marked copy.
    """
    path = Path(path)
    kind = roster_kind(kind)
    check, results = _check(path, kind, ws, None)
    if not check.ok:
        raise ValidationError(
            "templates.not_imported",
            file=path,
            count=len(check.problems),
            marked=check.marked_file.name if check.marked_file else "",
            problems=check.problems,
        )
    reports = []
    for result in results:
        sheet, checked = result.sheet, result.checked
        if checked is None:
            continue
        if sheet.is_layer:
            reports.append(_merge_layer(ws, sheet, checked.frame, path))
        else:
            reports.append(import_records(ws, path, sheet.table, sheet=checked.sheet))
    return reports


def _merge_layer(ws: Workspace, sheet: RosterSheet, frame: pd.DataFrame, path: Path) -> ImportReport:
    """Update the features with a listed id, add the rest without a shape; one durable write."""
    import geopandas as gpd
    import pandas as pd

    current = ws.read_layer(sheet.table).drop(columns="fid")
    names = [c.name for c in sheet.columns]
    by_id = {str(v): i for i, v in enumerate(current[sheet.key].tolist())}
    updated = current.copy()
    new_rows = []
    for record in frame.to_dict("records"):
        record = {k: plain_value(v) for k, v in record.items() if k in names}
        index = by_id.get(str(record[sheet.key]))
        if index is None:
            new_rows.append(record)
            continue
        for name in names:
            updated.at[updated.index[index], name] = record.get(name)
    added = gpd.GeoDataFrame(pd.DataFrame(new_rows, columns=names), geometry=[None] * len(new_rows), crs=4326)
    merged = pd.concat([updated, added], ignore_index=True) if len(updated) else added
    ws.write_layer(sheet.table, gpd.GeoDataFrame(merged, geometry="geometry", crs=4326))
    notes = (i18n.t("templates.report.no_shape", count=len(new_rows)),) if new_rows else ()
    return ImportReport(sheet.table, path, len(frame), notes)


__all__ = [
    "export_roster",
    "check_uploaded",
    "import_uploaded",
    # the file side, for widgets and notebooks (cogov_toolkit.io.rosters)
    "RosterKind",
    "UploadCheck",
    "write_template",
    "dropdown_choices",
    "TEMPLATE_ROWS",
    "PROBLEM_FILL",
    "MARKED_SUFFIX",
    # re-exported for widgets and notebooks
]
