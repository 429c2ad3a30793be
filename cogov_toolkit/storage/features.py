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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import shapely

from cogov_toolkit import i18n
from cogov_toolkit.core.records import utc_now
from cogov_toolkit.core.schema import ENUMS, INTEGER, LAYERS, POINT, POLYGON, REAL, LayerKind
from cogov_toolkit.errors import Problem, RecordError
from cogov_toolkit.storage import gpkg_binary
from cogov_toolkit.storage.gpkg_schema import WGS84_SRS_ID

if TYPE_CHECKING:
    from cogov_toolkit.storage.workspace import Workspace

GEOMETRY_COLUMN = "geom"  # same name as workspace.GEOMETRY_COLUMN (not imported: no cycle, one constant)

#: shapely geometry type -> the schema's geometry family
_FAMILIES = {
    "Point": POINT,
    "MultiPoint": POINT,
    "Polygon": POLYGON,
    "MultiPolygon": POLYGON,
    "LineString": "LineString",
    "MultiLineString": "LineString",
}


@dataclass(frozen=True)
class Feature:
    """One feature of a workspace layer: its row id (``fid``), geometry and attribute values."""

    kind: str
    fid: int
    geometry: shapely.Geometry
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def feature_id(self) -> str:
        """The feature's business id (``space_id``, ``plot_id`` or ``zone_id`` …)."""
        return str(self.values.get(LAYERS[self.kind].id_column) or "")


def check_feature(
    kind: str,
    geometry: shapely.Geometry | None,
    values: Mapping[str, Any],
    *,
    taken_ids: set[str] | frozenset[str] = frozenset(),
) -> None:
    """Raise a RecordError listing every problem of a feature about to be saved, or return.

    Parameters
    ----------
    kind : str
        The layer kind (``public_spaces``, ``idle_plots``, ``adoption_zones`` …).
    geometry : shapely.Geometry or None
        The shape in WGS-84 longitude/latitude.
    values : mapping
        Attribute values by column name.
    taken_ids : set of str
        Feature ids already used by other features of the layer.

    Raises
    ------
    RecordError
        ``feature.invalid`` with one :class:`Problem` per fault.
    """
    spec = _layer(kind)
    problems = _geometry_problems(spec, geometry) + _value_problems(spec, values)
    feature_id = values.get(spec.id_column)
    if feature_id not in (None, "") and str(feature_id) in taken_ids:
        problems.append(
            Problem("feature.duplicate_id", column=_column_label(spec.id_column), params={"value": feature_id})
        )
    if problems:
        raise RecordError("feature.invalid", problems=problems, table=kind)


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


# ---------------------------------------------------------------------- helpers
def _layer(kind: str) -> LayerKind:
    spec = LAYERS.get(kind)
    if spec is None:
        raise RecordError("record.unknown_layer", table=kind, tables="、".join(LAYERS))
    return spec


def _quoted(names: Any) -> list[str]:
    return [f'"{n}"' for n in names]


def _record(spec: LayerKind, values: Mapping[str, Any]) -> dict[str, Any]:
    """Return the declared columns only (anything else, e.g. a person's name, cannot slip in)."""
    record = {}
    for column in spec.columns:
        value = values.get(column.name)
        if isinstance(value, str):
            value = value.strip() or None
        record[column.name] = value
    return record


def _geometry_problems(spec: LayerKind, geometry: shapely.Geometry | None) -> list[Problem]:
    if geometry is None or geometry.is_empty:
        return [Problem("feature.no_geometry")]
    family = _FAMILIES.get(geometry.geom_type)
    if family not in spec.geometry:
        return [Problem("feature.wrong_geometry", params={"geometry": geometry.geom_type})]
    if not shapely.is_valid(geometry):
        return [Problem("feature.invalid_geometry", params={"reason": _reason_text(shapely.is_valid_reason(geometry))})]
    if family == POLYGON and geometry.area == 0:
        return [Problem("feature.invalid_geometry", params={"reason": i18n.t("feature.reason.zero_area")})]
    return []


#: GEOS validity reasons (English, with a location in brackets) -> catalog key of the Chinese text
_REASONS = {
    "Self-intersection": "feature.reason.self_intersection",
    "Ring Self-intersection": "feature.reason.self_intersection",
    "Too few points": "feature.reason.too_few_points",
    "Hole lies outside shell": "feature.reason.hole_outside",
    "Nested holes": "feature.reason.hole_outside",
    "Interior is disconnected": "feature.reason.disconnected",
    "Nested shells": "feature.reason.nested_shells",
    "Duplicate Rings": "feature.reason.nested_shells",
}


def _reason_text(reason: str) -> str:
    """Return GEOS's reason in the planner's language (the bracketed coordinates dropped)."""
    head = reason.split("[", 1)[0].strip()
    key = _REASONS.get(head)
    return i18n.t(key) if key else head


def _value_problems(spec: LayerKind, values: Mapping[str, Any]) -> list[Problem]:
    problems = []
    for column in spec.columns:
        value = values.get(column.name)
        if value in (None, ""):
            if column.required and column.name != "area_m2":
                problems.append(Problem("feature.required", column=_column_label(column.name)))
            continue
        if column.enum and value not in ENUMS[column.enum]:
            problems.append(Problem("feature.bad_code", column=_column_label(column.name), params={"value": value}))
        elif column.dtype in (INTEGER, REAL) and not _is_number(value, column.dtype):
            problems.append(Problem("feature.not_a_number", column=_column_label(column.name), params={"value": value}))
    return problems


def _column_label(name: str) -> str:
    """The column's Chinese name, as the planner sees it in the form."""
    key = f"column.{name}"
    return i18n.t(key) if i18n.has(key) else name


def _is_number(value: Any, dtype: str) -> bool:
    if isinstance(value, bool):
        return False
    if dtype == INTEGER:
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    return isinstance(value, int | float)


def _stored_geometry(spec: LayerKind, geometry: shapely.Geometry) -> shapely.Geometry:
    """A lone Polygon becomes a one-part MultiPolygon where the layer is declared MultiPolygon."""
    if spec.geometry_type == "MultiPolygon" and isinstance(geometry, shapely.Polygon):
        return shapely.MultiPolygon([geometry])
    return geometry


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
    "Feature",
    "check_feature",
    "get_feature",
    "feature_ids",
    "next_number",
    "insert_feature",
    "restore_feature",
    "update_feature",
    "delete_feature",
]
