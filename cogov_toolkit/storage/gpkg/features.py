"""Single-feature writes to a workspace layer: insert, update, delete and restore one feature.

:meth:`Workspace.write_layer` replaces a layer whole, which suits an import;
a map editor saves one drawn shape at a time, and each save must be durable at
once (a projector cable pulled mid-workshop loses nothing). Every function here
is one transaction through the workspace's own ``_write`` (so it also joins a
caller's :meth:`Workspace.transaction`), and every write is checked first:
geometry family, validity (with shapely's reason), required attributes, enum
codes and a unique feature id, all reported together in Chinese.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import shapely

from cogov_toolkit.core.features import Feature, _layer, _record, _stored_geometry, check_feature
from cogov_toolkit.core.schema import LayerKind
from cogov_toolkit.core.values import utc_now
from cogov_toolkit.errors import RecordError
from cogov_toolkit.storage.gpkg import binary as gpkg_binary
from cogov_toolkit.storage.gpkg.schema import WGS84_SRS_ID

if TYPE_CHECKING:
    from cogov_toolkit.storage.gpkg.workspace import GpkgWorkspace as Workspace

GEOMETRY_COLUMN = "geom"  # same name as workspace.GEOMETRY_COLUMN (not imported: no cycle, one constant)


def get_feature(ws: Workspace, kind: str, fid: int) -> Feature:
    """Return one feature by its row id; an unknown id raises RecordError."""
    spec = _layer(kind)
    names = [c.name for c in spec.columns]
    with ws._lock:
        cursor = ws.connection.execute(
            f'SELECT {GEOMETRY_COLUMN}, {", ".join(_quoted(names))} FROM main."{kind}" WHERE fid = ?', (fid,)
        )
        row = cursor.fetchone()
    if row is None:
        raise RecordError("feature.not_found", table=kind, fid=fid)
    geometry = gpkg_binary.decode_many([row[0]])[0]
    return Feature(kind, int(fid), geometry, dict(zip(names, row[1:], strict=True)))


def feature_ids(ws: Workspace, kind: str, *, except_fid: int | None = None) -> set[str]:
    """Return the business ids used in a layer (leaving out one feature, e.g. the one being edited)."""
    spec = _layer(kind)
    with ws._lock:
        rows = ws.connection.execute(
            f'SELECT "{spec.id_column}" FROM main."{kind}" WHERE fid IS NOT ?', (except_fid,)
        ).fetchall()
    return {str(r[0]) for r in rows if r[0] is not None}


def next_number(ws: Workspace, kind: str) -> int:
    """Return the next free feature number of a layer (one above the highest)."""
    _layer(kind)
    with ws._lock:
        highest = ws.connection.execute(f'SELECT max("number") FROM main."{kind}"').fetchone()[0]
    return int(highest or 0) + 1


def insert_feature(ws: Workspace, kind: str, geometry: shapely.Geometry, values: Mapping[str, Any]) -> Feature:
    """Check and store one new feature durably; return it with its new row id."""
    spec = _layer(kind)
    record = _record(spec, values)
    check_feature(kind, geometry, record, taken_ids=feature_ids(ws, kind))
    return _insert(ws, spec, None, _stored_geometry(spec, geometry), record)


def restore_feature(ws: Workspace, feature: Feature) -> Feature:
    """Put a deleted feature back under its old row id (what undo of a delete does)."""
    spec = _layer(feature.kind)
    record = _record(spec, feature.values)
    check_feature(feature.kind, feature.geometry, record, taken_ids=feature_ids(ws, feature.kind))
    return _insert(ws, spec, feature.fid, _stored_geometry(spec, feature.geometry), record)


def update_feature(
    ws: Workspace,
    kind: str,
    fid: int,
    *,
    geometry: shapely.Geometry | None = None,
    values: Mapping[str, Any] | None = None,
) -> Feature:
    """Change one feature's geometry and/or attributes durably; return it as it was before.

    The returned old state is what an undo needs to put it back.
    """
    spec = _layer(kind)
    before = get_feature(ws, kind, fid)
    new_geometry = geometry if geometry is not None else before.geometry
    record = _record(spec, {**before.values, **(values or {})})
    check_feature(kind, new_geometry, record, taken_ids=feature_ids(ws, kind, except_fid=fid))
    blob = gpkg_binary.encode(_stored_geometry(spec, new_geometry), WGS84_SRS_ID)
    assignments = ", ".join(f"{name} = ?" for name in (GEOMETRY_COLUMN, *_quoted(record)))
    with ws._write() as conn:
        conn.execute(f'UPDATE main."{kind}" SET {assignments} WHERE fid = ?', (blob, *record.values(), fid))
        _touch_contents(conn, kind)
    return before


def delete_feature(ws: Workspace, kind: str, fid: int) -> Feature:
    """Delete one feature durably; return it as it was (so undo can restore it)."""
    _layer(kind)
    before = get_feature(ws, kind, fid)
    with ws._write() as conn:
        conn.execute(f'DELETE FROM main."{kind}" WHERE fid = ?', (fid,))
        _touch_contents(conn, kind)
    return before


def _quoted(names: Any) -> list[str]:
    return [f'"{n}"' for n in names]


def _insert(
    ws: Workspace, spec: LayerKind, fid: int | None, geometry: shapely.Geometry, record: dict[str, Any]
) -> Feature:
    blob = gpkg_binary.encode(geometry, WGS84_SRS_ID)
    names = ["fid", GEOMETRY_COLUMN, *_quoted(record)]
    marks = ", ".join("?" for _ in names)
    with ws._write() as conn:
        cursor = conn.execute(
            f'INSERT INTO main."{spec.name}" ({", ".join(names)}) VALUES ({marks})', (fid, blob, *record.values())
        )
        new_fid = cursor.lastrowid
        _touch_contents(conn, spec.name)
    return Feature(spec.name, int(new_fid), geometry, record)


def _touch_contents(conn: Any, kind: str) -> None:
    """Record the change time in gpkg_contents (GIS readers and backups look at it)."""
    conn.execute("UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?", (utc_now(), kind))


__all__ = [
    "get_feature",
    "feature_ids",
    "next_number",
    "insert_feature",
    "restore_feature",
    "update_feature",
    "delete_feature",
]
