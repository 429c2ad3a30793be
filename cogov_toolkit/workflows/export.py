"""Export a workspace's shareable contents: layers as GeoJSON, record tables as CSV and Excel.

Only the workspace itself is exported, never the private companion file. Every
text cell passes through :func:`cogov_toolkit.core.escape.spreadsheet_cell`, so
resident text such as ``=HYPERLINK(...)`` stays text in Excel and WPS.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cogov_toolkit import i18n
from cogov_toolkit.core.schema import LAYERS, RECORD_TABLES
from cogov_toolkit.io.spreadsheets import safe_for_spreadsheet, write_xlsx

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace


def export_workspace(ws: Workspace, folder: str | Path) -> list[Path]:
    """Write every layer (GeoJSON) and record table (CSV, plus one .xlsx workbook); return the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for kind in LAYERS:
        path = folder / f"{kind}.geojson"
        frame = ws.read_layer(kind).drop(columns="fid")
        path.write_text(frame.to_json(ensure_ascii=False, drop_id=True), encoding="utf-8")
        written.append(path)
    tables = {name: ws.records(name).drop(columns="fid") for name in RECORD_TABLES}
    for name, frame in tables.items():
        path = folder / f"{name}.csv"
        safe_for_spreadsheet(frame).to_csv(path, index=False, encoding="utf-8-sig")  # BOM: Excel reads UTF-8
        written.append(path)
    workbook = folder / f"{ws.community_name or 'workspace'}.xlsx"
    write_xlsx({i18n.t(f"layer.{name}"): frame for name, frame in tables.items()}, workbook)
    written.append(workbook)
    return written


__all__ = ["export_workspace", "write_xlsx"]
