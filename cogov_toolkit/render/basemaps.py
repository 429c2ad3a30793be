"""Optional web basemaps, and the coordinate shift each one needs.

The default is no basemap: the map is drawn from the workspace alone and works
offline. OSM and Tianditu (天地图) tiles are WGS-84 (Tianditu is CGCS2000,
equal at map precision); Gaode (高德) tiles are GCJ-02, so the data layers are
shifted with :mod:`cogov_toolkit.core.coords` to line up with them. Without a
network the tiles fail quietly and the data still shows.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from cogov_toolkit.core.coords import CoordSystem, from_wgs84, transform_geometry
from cogov_toolkit.errors import ConfigurationError

if TYPE_CHECKING:
    import geopandas as gpd

#: environment variable holding the Tianditu key when none is passed
TIANDITU_KEY_ENV = "COGOV_TIANDITU_KEY"


class Basemap(StrEnum):
    """Which tiles lie under the data.

    Attributes
    ----------
    NONE
        No tiles: a light background drawn from the workspace (offline).
    OSM
        OpenStreetMap (WGS-84).
    TIANDITU
        天地图 vector map with Chinese labels (WGS-84/CGCS2000; needs a key).
    GAODE
        高德地图 (GCJ-02: the data is shifted to match).
    """

    NONE = "none"
    OSM = "osm"
    TIANDITU = "tianditu"
    GAODE = "gaode"


@dataclass(frozen=True)
class TileSource:
    """One tile layer: URL template, attribution, subdomains and zoom limit."""

    url: str
    attribution: str
    subdomains: str = "abc"
    max_zoom: int = 19


def coordinate_system(basemap: Basemap | str) -> CoordSystem:
    """Return the coordinate system the basemap's tiles are drawn in."""
    return CoordSystem.GCJ02 if Basemap(basemap) is Basemap.GAODE else CoordSystem.WGS84


def tile_sources(basemap: Basemap | str, tianditu_key: str | None = None) -> tuple[TileSource, ...]:
    """Return the tile layers of ``basemap`` (none for :attr:`Basemap.NONE`).

    Raises
    ------
    ConfigurationError
        For Tianditu without a key (neither passed nor in ``COGOV_TIANDITU_KEY``).
    """
    basemap = Basemap(basemap)
    if basemap is Basemap.NONE:
        return ()
    if basemap is Basemap.OSM:
        return (TileSource("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors", ""),)
    if basemap is Basemap.GAODE:
        return (
            TileSource(
                "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
                "© 高德地图 AutoNavi",
                "1234",
                18,
            ),
        )
    key = tianditu_key or os.environ.get(TIANDITU_KEY_ENV)
    if not key:
        raise ConfigurationError("map.tianditu_key")
    wmts = (
        "https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}"
        "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
    )
    # the vector map and its Chinese annotation are two tile sets
    return tuple(
        TileSource(wmts.format(layer=layer, key=key), "© 天地图 Tianditu", "01234567", 18) for layer in ("vec", "cva")
    )


def shift_for(basemap: Basemap | str, geometry: gpd.GeoSeries) -> gpd.GeoSeries:
    """Return ``geometry`` (WGS-84) moved into the basemap's coordinate system (a copy; unchanged for WGS-84)."""
    import geopandas as gpd

    system = coordinate_system(basemap)
    if system is CoordSystem.WGS84 or len(geometry) == 0:
        return geometry
    moved = transform_geometry(geometry.array, lambda lon, lat: from_wgs84(lon, lat, system))
    return gpd.GeoSeries(moved, index=geometry.index, crs=geometry.crs)


__all__ = ["TIANDITU_KEY_ENV", "Basemap", "TileSource", "coordinate_system", "shift_for", "tile_sources"]
