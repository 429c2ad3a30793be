"""Features of a workspace layer as the site editor and importers handle them, and their checks.

A :class:`Feature` is one row of a spatial layer: its row id (``fid``), its
geometry in WGS-84 and its attribute values. :func:`check_feature` lists every
problem of a feature about to be saved. Pure: storing is the backend's job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import shapely

from cogov_toolkit import i18n
from cogov_toolkit.core.schema import ENUMS, INTEGER, LAYERS, POINT, POLYGON, REAL, LayerKind
from cogov_toolkit.errors import Problem, RecordError


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


# ---------------------------------------------------------------------- helpers
def _layer(kind: str) -> LayerKind:
    spec = LAYERS.get(kind)
    if spec is None:
        raise RecordError("record.unknown_layer", table=kind, tables="、".join(LAYERS))
    return spec


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
    """A lone Polygon (LineString) becomes a one-part MultiPolygon (MultiLineString) where the layer is declared so."""
    if spec.geometry_type == "MultiPolygon" and isinstance(geometry, shapely.Polygon):
        return shapely.MultiPolygon([geometry])
    if spec.geometry_type == "MultiLineString" and isinstance(geometry, shapely.LineString):
        return shapely.MultiLineString([geometry])
    return geometry


#: shapely geometry type -> the schema's geometry family
_FAMILIES = {
    "Point": POINT,
    "MultiPoint": POINT,
    "Polygon": POLYGON,
    "MultiPolygon": POLYGON,
    "LineString": "LineString",
    "MultiLineString": "LineString",
}


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


__all__ = ["Feature", "check_feature"]
