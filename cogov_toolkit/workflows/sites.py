"""Site layers of a workspace derived from other layers: boundaries outlined from the buildings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from cogov_toolkit.geo.boundaries import MARGIN_M, BoundaryReport, outlines_from_buildings
from cogov_toolkit.geo.crs import area_crs_for
from cogov_toolkit.geo.sanity import check_sites

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace


def outline_from_buildings(
    ws: Workspace,
    community_name: str,
    neighbourhood_names: Mapping[str, str] | None = None,
    grid_names: Mapping[str, str] | None = None,
    *,
    margin_m: float = MARGIN_M,
) -> BoundaryReport:
    """Write neighbourhoods, grids and the community outline derived from the buildings layer.

    The three layers are written in one transaction: all of them, or none.
    """
    outlines = outlines_from_buildings(
        ws.read_layer("buildings"), community_name, neighbourhood_names, grid_names, margin_m=margin_m
    )
    with ws.transaction():
        ws.write_layer("neighbourhoods", outlines.neighbourhoods)
        ws.write_layer("grids", outlines.grids)
        ws.write_layer("community", outlines.community)
    return outlines.report


__all__ = [
    "outline_from_buildings",
    # re-exported for widgets and notebooks
    "check_sites",
    "area_crs_for",
]
