"""Export a workspace's shareable contents: layers as GeoJSON, record tables as CSV and Excel.

What is exported is exactly what the shared copy holds (:meth:`Workspace.share_copy`,
built through the publication gate): nothing of the private companion file,
no row per person (ballots, evaluation responses and the households roll
become per-vote totals, per-item aggregates with small groups suppressed and
per-building counts), free text masked. Every text cell of every CSV and Excel
sheet passes through one spreadsheet guard
(:func:`cogov_toolkit.io.spreadsheets.safe_for_spreadsheet`), whatever its
dtype, so resident text such as ``=HYPERLINK(...)`` stays text in Excel, WPS
and LibreOffice. File names built from data are made safe (:func:`~cogov_toolkit.core.escape.file_name`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.escape import file_name
from cogov_toolkit.core.schema import BOOLEAN, INTEGER, LAYERS, RECORD_TABLES, SHARED_COPY, SHARED_SUMMARIES
from cogov_toolkit.io.spreadsheets import safe_for_spreadsheet, write_xlsx

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace

#: the tables an export holds: the shareable record tables, then the summaries of the per-person ones
EXPORTED_TABLES: tuple[str, ...] = (
    *(name for name, spec in RECORD_TABLES.items() if spec.shared == SHARED_COPY),
    *SHARED_SUMMARIES,
)


def export_workspace(ws: Workspace, folder: str | Path) -> list[Path]:
    """Write every layer (GeoJSON) and shareable table (CSV, plus one .xlsx workbook); return the paths."""
    from cogov_toolkit.storage import open_workspace

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="cogov-export-") as scratch:
        shared = ws.share_copy(Path(scratch) / "shared.gpkg")
        with open_workspace(shared, backups=0) as copy:
            for kind in LAYERS:
                path = folder / f"{kind}.geojson"
                frame = copy.read_layer(kind).drop(columns="fid")
                path.write_text(frame.to_json(ensure_ascii=False, drop_id=True), encoding="utf-8")
                written.append(path)
            tables = {name: _typed(name, copy.records(name)) for name in EXPORTED_TABLES}
    for name, frame in tables.items():
        path = folder / f"{name}.csv"
        safe_for_spreadsheet(frame).to_csv(path, index=False, encoding="utf-8-sig")  # BOM: Excel reads UTF-8
        written.append(path)
    workbook = folder / f"{file_name(ws.community_name, fallback='workspace')}.xlsx"
    write_xlsx({i18n.t(f"layer.{name}"): frame for name, frame in tables.items()}, workbook)
    written.append(workbook)
    return written


def _typed(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Drop the bookkeeping columns; whole numbers stay whole where a NULL made SQLite hand back floats."""
    spec = RECORD_TABLES.get(name) or SHARED_SUMMARIES[name]
    frame = frame.drop(columns=["fid", "idempotency_key"])
    for column in spec.columns:
        if column.dtype in (INTEGER, BOOLEAN) and column.name in frame.columns:
            frame[column.name] = pd.to_numeric(frame[column.name], errors="coerce").astype("Int64")
    return frame


__all__ = ["EXPORTED_TABLES", "export_workspace", "write_xlsx"]
