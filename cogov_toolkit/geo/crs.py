"""Coordinate reference systems of the toolkit: WGS-84 for storage, CGCS2000 Gauss-Kruger for areas.

Areas and distances are computed in metres in the 3-degree Gauss-Kruger zone
of the site, never in degrees; stored geometry is WGS-84 (EPSG:4326).
"""

from __future__ import annotations

import math

import numpy as np
import shapely

from cogov_toolkit.i18n.text import LocalText, localised

#: a rough box around China and its seas (degrees): the swapped-columns check and the far-away warning
CHINA_LON = (73.0, 136.0)


CHINA_LAT = (3.0, 54.0)


#: how far outside that box every feature must lie before the import warns
FAR_MARGIN_DEG = 5.0


WGS84 = "EPSG:4326"


# CGCS2000 3-degree Gauss-Kruger zones without zone prefix: EPSG:4534 is CM 75E, +1 per 3 degrees to 4554 (CM 135E)
_FIRST_ZONE_EPSG, _FIRST_ZONE_CM, _LAST_ZONE_CM = 4534, 75, 135


def area_crs_for(lon: float) -> str:
    """Return the CGCS2000 3-degree Gauss-Kruger CRS whose central meridian is nearest ``lon``.

    Parameters
    ----------
    lon : float
        Longitude in degrees (east).

    Returns
    -------
    str
        ``"EPSG:4534"`` (central meridian 75E) … ``"EPSG:4554"`` (135E); longitudes
        beyond China get the nearest end zone.

    Examples
    --------
    >>> area_crs_for(114.3)
    'EPSG:4547'
    """
    meridian = 3 * math.floor(lon / 3 + 0.5)
    meridian = min(max(meridian, _FIRST_ZONE_CM), _LAST_ZONE_CM)
    return f"EPSG:{_FIRST_ZONE_EPSG + (meridian - _FIRST_ZONE_CM) // 3}"


def far_from_china_note(geometry: np.ndarray) -> LocalText | None:
    """Return a warning text when every feature lies far outside China, else None."""
    bounds = shapely.bounds(geometry)
    x = (bounds[:, 0] + bounds[:, 2]) / 2
    y = (bounds[:, 1] + bounds[:, 3]) / 2
    known = np.isfinite(x) & np.isfinite(y)
    if not known.any():
        return None
    near = (
        (x >= CHINA_LON[0] - FAR_MARGIN_DEG)
        & (x <= CHINA_LON[1] + FAR_MARGIN_DEG)
        & (y >= CHINA_LAT[0] - FAR_MARGIN_DEG)
        & (y <= CHINA_LAT[1] + FAR_MARGIN_DEG)
    )
    if near[known].any():
        return None
    return localised("import.note.far_from_china", lon=f"{np.median(x[known]):.3f}", lat=f"{np.median(y[known]):.3f}")
