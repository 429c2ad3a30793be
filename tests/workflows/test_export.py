"""Exports: every text cell is text in Excel and in LibreOffice, whatever its dtype; no per-person row.

The .xlsx check reads the cells' types back with openpyxl (a typed string cell,
``data_type == "s"``, never a formula). The CSV check converts each exported
CSV with LibreOffice headless (``soffice --convert-to xlsx``) and reads what
LibreOffice made of every cell; the same conversion of an unguarded CSV is
shown to produce formulas, so the check can fail.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from cogov_toolkit.io.spreadsheets import safe_for_spreadsheet, write_xlsx
from cogov_toolkit.storage import Workspace
from cogov_toolkit.workflows.demands import record_demand
from cogov_toolkit.workflows.export import export_workspace

FORMULAS = ("=1+1", "+1", "-1+1", "@SUM(A1)", '=HYPERLINK("x")', "\t=1+1", "\r=1+1")
SOFFICE = shutil.which("soffice")


def _soffice_cells(csv_paths: list[Path], out: Path) -> dict[str, list[tuple[object, str]]]:
    """Convert CSVs with LibreOffice (UTF-8, comma; one run) and return each file's cells as (value, data_type)."""
    from openpyxl import load_workbook

    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{out / 'profile'}",
            "--headless",
            "--infilter=CSV:44,34,76,1",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            *map(str, csv_paths),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    cells = {}
    for path in csv_paths:
        book = load_workbook(out / (path.stem + ".xlsx"))
        cells[path.name] = [
            (c.value, c.data_type) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None
        ]
    return cells


@pytest.fixture(name="exported")
def fixture_exported(sample: Workspace, tmp_path: Path) -> Path:
    for text in FORMULAS:
        record_demand(sample, reported_on=dt.date(2026, 5, 1), channel="online", category="other", text=text)
    export_workspace(sample, tmp_path / "导出")
    return tmp_path / "导出"


def test_every_xlsx_text_cell_is_a_typed_string_and_the_planted_formulas_come_back_as_typed(exported: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(exported / "幸福社区.xlsx")
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert cells and {c.data_type for c in cells} == {"s"}
    values = {c.value for c in cells}
    assert {f.strip() for f in FORMULAS} <= {v.strip() for v in values}  # as typed (a tab or CR kept or trimmed)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_no_formula_from_any_exported_csv(exported: Path, tmp_path: Path) -> None:
    converted = _soffice_cells(sorted(exported.glob("*.csv")), tmp_path / "lo")
    assert len(converted) >= 10
    for name, cells in converted.items():
        assert "f" not in {kind for _, kind in cells}, name
    texts = {str(v) for v, _ in converted["demands.csv"]}
    assert {"'=1+1", "'@SUM(A1)", "'-1+1", "'+1"} <= texts  # text, shown with its guard


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_the_libreoffice_check_sees_a_formula_in_an_unguarded_csv(tmp_path: Path) -> None:
    raw = tmp_path / "raw.csv"
    pd.DataFrame({"text": list(FORMULAS)}).to_csv(raw, index=False, encoding="utf-8-sig")
    assert "f" in {kind for _, kind in _soffice_cells([raw], tmp_path / "lo")["raw.csv"]}


@pytest.mark.parametrize("dtype", [object, "str", "string", "category"])
def test_the_guard_covers_every_text_dtype(dtype: object) -> None:
    frame = pd.DataFrame({"text": pd.Series(FORMULAS, dtype=dtype), "n": range(len(FORMULAS)), "x": -1.5})
    guarded = safe_for_spreadsheet(frame)
    assert all(str(v).startswith("'") for v in guarded["text"])
    assert guarded["n"].tolist() == list(range(len(FORMULAS))) and (guarded["x"] == -1.5).all()  # numbers stay numbers


def test_write_xlsx_types_text_cells_whatever_the_dtype(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    frame = pd.DataFrame({"a": pd.Series(FORMULAS, dtype="str"), "b": pd.Categorical(FORMULAS)})
    path = write_xlsx({"表": frame}, tmp_path / "t.xlsx")
    cells = [c for row in load_workbook(path)["表"].iter_rows(min_row=2) for c in row]
    assert {c.data_type for c in cells} == {"s"} and {c.value for c in cells} >= {"=1+1", "@SUM(A1)"}


def test_exports_hold_no_ballot_or_response_row(exported: Path) -> None:
    assert not (exported / "ballots.csv").exists() and not (exported / "evaluations.csv").exists()
    assert not (exported / "households.csv").exists()
    totals = pd.read_csv(exported / "vote_totals.csv", encoding="utf-8-sig")
    assert set(totals.columns) == {"uuid", "created_at", "updated_at", "origin", "vote_id", "channel", "ballots"}
    assert totals["ballots"].sum() > 0
