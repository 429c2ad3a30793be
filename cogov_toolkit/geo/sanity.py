"""Geometry sanity: repair what is unambiguous, refuse the rest, and list sites worth a look.

Drawn or imported sites (public spaces, idle plots, adoption zones) go through
two checks before a planner relies on them.

**Repair** (:func:`repair_polygon`). A polygon GEOS calls invalid is repaired
with :func:`shapely.make_valid` only when the repair is unambiguous, meaning it
keeps the drawn area: the repaired polygon(s) differ in area by less than 1 %
(``REPAIR_AREA_TOLERANCE``) from the area of the drawn ring, and the result is
still polygonal (zero-area spikes that collapse to lines are dropped and said so).
A self-touching ring (the same corner clicked twice) passes: the area is kept.
A bow-tie (two edges crossing) is refused: its drawn ring encloses opposite
areas that cancel, so the two triangles GEOS would make are a guess at what was
meant (a quadrilateral with two corners swapped is as likely). Refusals carry
the reason GEOS gives (:func:`shapely.is_valid_reason`). A valid polygon with a
corner repeated in a row is cleaned silently but still reported as repaired.

**Look-at list** (:func:`check_sites`): sites outside the community boundary,
overlapping a building, or with an implausible area for their kind. Areas and
distances are computed in metres in the CGCS2000 Gauss-Kruger zone of the sites.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from cogov_toolkit import i18n
from cogov_toolkit.core.escape import html_text
from cogov_toolkit.core.schema import LAYERS
from cogov_toolkit.geo.crs import WGS84, area_crs_for

#: largest relative area change a repair may make and still count as unambiguous
REPAIR_AREA_TOLERANCE = 0.01
#: how far (m) a site may stick out of the boundary before it counts as outside (drawing slack)
BOUNDARY_SLACK_M = 0.5
#: smallest overlap with a building (m² for areas, m for lines) worth reporting
OVERLAP_MIN = 1.0


class RepairOutcome(StrEnum):
    """What happened to one polygon."""

    VALID = "valid"
    REPAIRED = "repaired"
    REFUSED = "refused"


class Issue(StrEnum):
    """Why a site is on the look-at list."""

    REPAIRED = "repaired"
    REFUSED = "refused"
    OUTSIDE_BOUNDARY = "outside_boundary"
    OVERLAPS_BUILDING = "overlaps_building"
    AREA_TOO_SMALL = "area_too_small"
    AREA_TOO_LARGE = "area_too_large"


@dataclass(frozen=True)
class AreaBounds:
    """Plausible area of one site of a layer kind, in m² (inclusive)."""

    low: float
    high: float


#: plausible site areas per layer kind; pass ``area_bounds=`` to :func:`check_sites` to change them
DEFAULT_AREA_BOUNDS: Mapping[str, AreaBounds] = {
    "idle_plots": AreaBounds(2.0, 5_000.0),
    "public_spaces": AreaBounds(5.0, 50_000.0),
    "adoption_zones": AreaBounds(1.0, 5_000.0),
    "buildings": AreaBounds(20.0, 20_000.0),
}

# the start of GEOS's validity reasons -> catalog key under cad.validity
_VALIDITY_KEYS = {
    "Self-intersection": "self_intersection",
    "Ring Self-intersection": "ring_self_intersection",
    "Too few points": "too_few_points",
    "Hole lies outside shell": "hole_outside_shell",
    "Nested holes": "nested_holes",
    "Interior is disconnected": "interior_disconnected",
    "Nested shells": "nested_shells",
    "Duplicate Rings": "duplicate_rings",
    "Invalid Coordinate": "invalid_coordinate",
}


@dataclass(frozen=True)
class Repair:
    """The outcome for one polygon: the geometry to keep (None when refused) and why, as a catalog key."""

    outcome: RepairOutcome
    geometry: shapely.Geometry | None
    reason: str | None = None
    detail: str = ""

    def message(self, language: str | None = None) -> str:
        """Say in words what was repaired or why it was refused (empty for a valid polygon)."""
        if self.reason is None:
            return ""
        return i18n.t(f"cad.validity.{self.reason}", language)


def _validity_key(reason: str) -> str:
    # longest prefix first, so a more specific GEOS reason wins over a shorter one it starts with
    for start in sorted(_VALIDITY_KEYS, key=len, reverse=True):
        if reason.startswith(start):
            return _VALIDITY_KEYS[start]
    return "other"


def _polygonal(geometry: shapely.Geometry) -> tuple[shapely.Geometry | None, bool]:
    """Return the polygonal part of ``geometry`` and whether anything else was dropped."""
    if isinstance(geometry, shapely.Polygon | shapely.MultiPolygon):
        return geometry, False
    parts = [g for g in shapely.get_parts(geometry) if isinstance(g, shapely.Polygon | shapely.MultiPolygon)]
    dropped = len(parts) < len(shapely.get_parts(geometry))
    if not parts:
        return None, dropped
    return shapely.union_all(parts), dropped


def repair_polygon(geometry: shapely.Geometry | None) -> Repair:
    """Repair an invalid polygon when the repair is unambiguous, else refuse it with the reason.

    Parameters
    ----------
    geometry : shapely geometry or None
        A polygon or multipolygon (other types are returned as valid, untouched).

    Returns
    -------
    Repair
        ``VALID`` (untouched), ``REPAIRED`` (with the new geometry and what was
        wrong) or ``REFUSED`` (no geometry; the reason GEOS gives). See the module
        docstring for the rule.
    """
    if geometry is None or geometry.is_empty:
        return Repair(RepairOutcome.REFUSED, None, "empty")
    if not isinstance(geometry, shapely.Polygon | shapely.MultiPolygon):
        return Repair(RepairOutcome.VALID, geometry)
    if geometry.is_valid:
        cleaned = shapely.remove_repeated_points(geometry)
        if shapely.get_num_coordinates(cleaned) < shapely.get_num_coordinates(geometry):
            return Repair(RepairOutcome.REPAIRED, cleaned, "repeated_points")
        return Repair(RepairOutcome.VALID, geometry)
    detail = shapely.is_valid_reason(geometry)
    key = _validity_key(detail)
    fixed, dropped = _polygonal(shapely.make_valid(geometry))
    drawn = geometry.area  # the area the drawn ring(s) enclose, crossings counted with their sign
    if fixed is None or fixed.is_empty or drawn <= 0:
        return Repair(RepairOutcome.REFUSED, None, key, detail)
    if abs(fixed.area - drawn) > REPAIR_AREA_TOLERANCE * max(fixed.area, drawn):
        return Repair(RepairOutcome.REFUSED, None, key, detail)
    return Repair(RepairOutcome.REPAIRED, fixed, "spike_removed" if dropped else key, detail)


@dataclass(frozen=True)
class Finding:
    """One site worth a look: which site, why, and the figures the message shows."""

    site: str
    issue: Issue
    params: tuple[tuple[str, Any], ...] = ()

    def message(self, language: str | None = None) -> str:
        """Return the finding as one sentence in the chosen language."""
        params = dict(self.params)
        if "unit" in params:
            params["unit"] = i18n.t(f"cad.unit.{params['unit']}", language)
        if "validity" in params:
            params["validity"] = i18n.t(f"cad.validity.{params['validity']}", language)
        return i18n.t(f"cad.sanity.{self.issue.value}", language, site=self.site, **params)


@dataclass(frozen=True)
class SanityReport:
    """The look-at list of one layer, and the geometries to keep (repaired; None where refused).

    ``geometries`` follows the order of the checked frame, in WGS-84.
    """

    kind: str
    checked: int
    findings: tuple[Finding, ...]
    geometries: tuple[shapely.Geometry | None, ...] = field(repr=False)

    @property
    def ok(self) -> bool:
        """True when nothing needs a look."""
        return not self.findings

    def sites_with(self, issue: Issue | str) -> tuple[str, ...]:
        """Return the sites with ``issue``, in the order checked."""
        return tuple(f.site for f in self.findings if f.issue is Issue(issue))

    def lines(self, language: str | None = None) -> list[str]:
        """Return the report as lines for people: a headline, then one line per finding."""
        if not self.findings:
            return [i18n.t("cad.sanity.all_clear", language, checked=self.checked)]
        head = i18n.t("cad.sanity.headline", language, checked=self.checked, count=len(self.findings))
        return [head, *(f"- {f.message(language)}" for f in self.findings)]

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def _repr_html_(self) -> str:
        """Show the list in a notebook; site names come from residents' files, so they are escaped."""
        head, *rest = self.lines()
        items = "".join(f"<li>{html_text(line[2:])}</li>" for line in rest)
        return f"<div><p>{html_text(head)}</p><ul>{items}</ul></div>"


def _site_names(frame: gpd.GeoDataFrame, kind: str, id_column: str | None) -> list[str]:
    column = id_column
    if column is None and kind in LAYERS:
        column = LAYERS[kind].id_column
    if column is None or column not in frame.columns:
        return [str(i) for i in frame.index]
    return [str(v) for v in frame[column]]


def _projected(geometries: list[shapely.Geometry | None], crs: str) -> gpd.GeoSeries:
    return gpd.GeoSeries(geometries, crs=WGS84).to_crs(crs)


def _repairs(frame: gpd.GeoDataFrame, names: list[str]) -> tuple[list[shapely.Geometry | None], list[Finding]]:
    kept: list[shapely.Geometry | None] = []
    findings: list[Finding] = []
    for name, geometry in zip(names, frame.geometry, strict=True):
        repair = repair_polygon(geometry)
        kept.append(repair.geometry)
        if repair.outcome is RepairOutcome.REPAIRED:
            findings.append(Finding(name, Issue.REPAIRED, (("validity", repair.reason),)))
        elif repair.outcome is RepairOutcome.REFUSED:
            findings.append(Finding(name, Issue.REFUSED, (("validity", repair.reason),)))
    return kept, findings


def _area_findings(name: str, geometry: shapely.Geometry, bounds: AreaBounds | None) -> list[Finding]:
    if bounds is None or not isinstance(geometry, shapely.Polygon | shapely.MultiPolygon):
        return []
    area = round(geometry.area, 1)
    if area < bounds.low:
        return [Finding(name, Issue.AREA_TOO_SMALL, (("area", area), ("low", bounds.low)))]
    if area > bounds.high:
        return [Finding(name, Issue.AREA_TOO_LARGE, (("area", area), ("high", bounds.high)))]
    return []


def _unit(geometry: shapely.Geometry) -> str:
    """Return how a site's extent is measured: m² for areas, m for lines and points."""
    return "m2" if geometry.area > 0 else "m"


def _boundary_findings(name: str, geometry: shapely.Geometry, boundary: shapely.Geometry | None) -> list[Finding]:
    if boundary is None or geometry.within(boundary.buffer(BOUNDARY_SLACK_M)):
        return []
    if geometry.area > 0:
        figure = geometry.difference(boundary).area
    elif geometry.length > 0:
        figure = geometry.difference(boundary).length
    else:  # a point: how far outside
        figure = geometry.distance(boundary)
    return [Finding(name, Issue.OUTSIDE_BOUNDARY, (("outside", round(figure, 1)), ("unit", _unit(geometry))))]


def _overlap_measure(geometry: shapely.Geometry, building: shapely.Geometry) -> float:
    """Return how much of a site lies inside a building: m² for areas, m for lines; 0 for points.

    Points are never counted: an open ground floor (架空层) or a stairwell is rightly a
    point on its building. A line is measured against the building shrunk by the
    drawing slack, so a culture wall (文化墙) drawn along a facade does not count.
    """
    if geometry.area > 0:
        return geometry.intersection(building).area
    if geometry.length > 0:
        return geometry.intersection(building.buffer(-BOUNDARY_SLACK_M)).length
    return 0.0


def _building_findings(
    name: str, geometry: shapely.Geometry, buildings: gpd.GeoSeries | None, building_names: list[str]
) -> list[Finding]:
    if buildings is None:
        return []
    findings = []
    for index in buildings.sindex.query(geometry, predicate="intersects"):
        measure = _overlap_measure(geometry, buildings.iloc[index])
        if measure >= OVERLAP_MIN:
            params = (("building", building_names[index]), ("overlap", round(measure, 1)), ("unit", _unit(geometry)))
            findings.append(Finding(name, Issue.OVERLAPS_BUILDING, params))
    return findings


def check_sites(
    sites: gpd.GeoDataFrame,
    kind: str,
    *,
    boundary: gpd.GeoDataFrame | shapely.Geometry | None = None,
    buildings: gpd.GeoDataFrame | None = None,
    area_bounds: Mapping[str, AreaBounds] | None = None,
    id_column: str | None = None,
) -> SanityReport:
    """Repair what is unambiguous and list the sites of one layer that need a look.

    Parameters
    ----------
    sites : GeoDataFrame
        The sites (any CRS; WGS-84 when none is set).
    kind : str
        The layer kind (``"idle_plots"``, ``"public_spaces"``, ``"adoption_zones"`` …):
        chooses the id column and the plausible area.
    boundary : GeoDataFrame or shapely geometry, optional
        The community boundary (WGS-84 when a bare geometry); sites sticking out by more
        than ``BOUNDARY_SLACK_M`` are listed.
    buildings : GeoDataFrame, optional
        Buildings; sites overlapping one by ``OVERLAP_MIN`` m² (m for lines) or more are listed.
    area_bounds : mapping of kind to AreaBounds, optional
        Plausible areas; ``DEFAULT_AREA_BOUNDS`` when not given.
    id_column : str, optional
        The column naming a site in the report (default: the layer's id column).

    Returns
    -------
    SanityReport
        Findings in site order, and the geometries to keep.
    """
    frame = sites if sites.crs is not None else sites.set_crs(WGS84)
    frame = frame.to_crs(WGS84)
    names = _site_names(frame, kind, id_column)
    kept, findings_by_repair = _repairs(frame, names)
    present = [g for g in kept if g is not None and not g.is_empty]
    if not present:
        return SanityReport(kind, len(frame), tuple(findings_by_repair), tuple(kept))
    crs = area_crs_for(float(shapely.union_all(present).centroid.x))
    projected = _projected(kept, crs)
    bounds = (area_bounds if area_bounds is not None else DEFAULT_AREA_BOUNDS).get(kind)
    area_boundary = _boundary_in(boundary, crs)
    area_buildings, building_names = _buildings_in(buildings, crs)
    by_site: dict[str, list[Finding]] = {name: [] for name in names}
    for finding in findings_by_repair:
        by_site[finding.site].append(finding)
    for name, geometry in zip(names, projected, strict=True):
        if geometry is None or geometry.is_empty:
            continue
        by_site[name] += _area_findings(name, geometry, bounds)
        by_site[name] += _boundary_findings(name, geometry, area_boundary)
        by_site[name] += _building_findings(name, geometry, area_buildings, building_names)
    ordered = tuple(f for name in dict.fromkeys(names) for f in by_site[name])
    return SanityReport(kind, len(frame), ordered, tuple(kept))


def _boundary_in(boundary: gpd.GeoDataFrame | shapely.Geometry | None, crs: str) -> shapely.Geometry | None:
    if boundary is None:
        return None
    if isinstance(boundary, gpd.GeoDataFrame | gpd.GeoSeries):
        series = boundary.geometry if boundary.crs is not None else boundary.geometry.set_crs(WGS84)
        return shapely.union_all(np.asarray(series.to_crs(crs).values))
    return _projected([boundary], crs).iloc[0]


def _buildings_in(buildings: gpd.GeoDataFrame | None, crs: str) -> tuple[gpd.GeoSeries | None, list[str]]:
    if buildings is None or buildings.empty:
        return None, []
    frame = buildings if buildings.crs is not None else buildings.set_crs(WGS84)
    names = _site_names(frame, "buildings", None)
    return frame.geometry.to_crs(crs).reset_index(drop=True), names
