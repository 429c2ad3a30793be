"""Outline 小区, 网格 and the 社区 from the buildings when the planner has no boundary files.

Planners rarely hold boundary polygons; they do know which 小区 and 网格 each
building belongs to (it is on their Excel list). The outline of a group is
the convex hull of its buildings grown by a margin, drawn in metres in the
CGCS2000 Gauss-Kruger zone of the site, and clipped so that neighbouring
outlines do not overlap. These outlines are a starting point to correct by
drawing on the map, and the report says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import shapely

from cogov_toolkit import i18n
from cogov_toolkit.errors import RecordError
from cogov_toolkit.geo.crs import area_crs_for

MARGIN_M = 15.0


@dataclass(frozen=True)
class BoundaryReport:
    """What was outlined, in words for the planner."""

    neighbourhoods: int
    grids: int

    def __str__(self) -> str:
        return i18n.t("wizard.boundaries.done", neighbourhoods=self.neighbourhoods, grids=self.grids)


@dataclass(frozen=True)
class Outlines:
    """The outlined layers, ready to write (in the site's metric CRS)."""

    neighbourhoods: gpd.GeoDataFrame
    grids: gpd.GeoDataFrame
    community: gpd.GeoDataFrame

    @property
    def report(self) -> BoundaryReport:
        return BoundaryReport(len(self.neighbourhoods), len(self.grids))


def outlines_from_buildings(
    buildings: gpd.GeoDataFrame,
    community_name: str,
    neighbourhood_names: Mapping[str, str] | None = None,
    grid_names: Mapping[str, str] | None = None,
    *,
    margin_m: float = MARGIN_M,
) -> Outlines:
    """Return neighbourhoods, grids and the community outline derived from the buildings.

    ``neighbourhood_names`` and ``grid_names`` map the ids used in the buildings
    layer to display names (the id itself is used where none is given).
    """
    if buildings.empty:
        raise RecordError("wizard.no_buildings")
    crs = area_crs_for(float(buildings.geometry.union_all().centroid.x))
    metric = buildings.to_crs(crs)
    neighbourhoods = _outlines(metric, "neighbourhood_id", margin_m)
    grids = _outlines(metric, "grid_id", margin_m / 2, within=neighbourhoods, parent_of=_parents(metric))
    community = shapely.union_all(list(neighbourhoods.values())).buffer(margin_m / 3).buffer(-margin_m / 3)

    nb_names = dict(neighbourhood_names or {})
    grid_parent = _parents(metric)
    return Outlines(
        neighbourhoods=gpd.GeoDataFrame(
            {
                "neighbourhood_id": list(neighbourhoods),
                "name": [nb_names.get(k, k) for k in neighbourhoods],
                "community_id": ["C01"] * len(neighbourhoods),
            },
            geometry=list(neighbourhoods.values()),
            crs=crs,
        ),
        grids=gpd.GeoDataFrame(
            {
                "grid_id": list(grids),
                "name": [(grid_names or {}).get(k, k) for k in grids],
                "neighbourhood_id": [grid_parent[k] for k in grids],
            },
            geometry=list(grids.values()),
            crs=crs,
        ),
        community=gpd.GeoDataFrame({"community_id": ["C01"], "name": [community_name]}, geometry=[community], crs=crs),
    )


def _parents(metric: gpd.GeoDataFrame) -> dict[str, str]:
    """Map each grid id to the neighbourhood most of its buildings are in."""
    return metric.groupby("grid_id")["neighbourhood_id"].agg(lambda s: s.mode().iloc[0]).to_dict()


def _outlines(
    metric: gpd.GeoDataFrame,
    column: str,
    margin_m: float,
    *,
    within: Mapping[str, shapely.Geometry] | None = None,
    parent_of: Mapping[str, str] | None = None,
) -> dict[str, shapely.Geometry]:
    """Return one outline per value of ``column``: hull plus margin, earlier outlines cut out, inside the parent."""
    outlines: dict[str, shapely.Geometry] = {}
    for key, group in sorted(metric.groupby(column), key=lambda kv: str(kv[0])):
        shape = shapely.convex_hull(group.geometry.union_all()).buffer(margin_m, join_style="mitre")
        if within is not None and parent_of is not None:
            shape = shape.intersection(within[parent_of[key]])
        for other in outlines.values():
            shape = shape.difference(other)
        outlines[str(key)] = _largest_polygon(shape)
    return outlines


def _largest_polygon(shape: shapely.Geometry) -> shapely.Geometry:
    parts = [g for g in getattr(shape, "geoms", [shape]) if isinstance(g, shapely.Polygon)]
    return max(parts, key=lambda g: g.area) if parts else shape


__all__ = ["BoundaryReport", "Outlines", "outlines_from_buildings", "MARGIN_M"]
