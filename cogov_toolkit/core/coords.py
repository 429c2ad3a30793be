"""Convert between the WGS-84, GCJ-02 and BD-09 coordinates of Chinese web maps.

Points a planner picks on a Gaode (AMap) or Baidu map are not WGS-84: Chinese
web maps publish coordinates with a deliberate, non-linear offset of a few
hundred metres. Before such points sit on an OSM or Tianditu basemap, or go
into a projected CRS for area computations, they must be brought back to
WGS-84; data shown over Gaode or Baidu tiles must be shifted the other way.

The formulas are the publicly known ones used by the reference projects
``eviltransform`` (googollee/eviltransform), ``coordtransform``
(wandergis/coordtransform) and ``coord-convert`` (sshuair/coord-convert):

* WGS-84 -> GCJ-02 is the publicly known, widely reimplemented forward shift, on the
  Krasovsky ellipsoid constants ``a = 6378245``, ``ee = 0.00669342162296594323``.
  It is exact by definition: the reference projects agree to the last digits.
* GCJ-02 -> WGS-84 has no closed form. The one-step inverse most projects ship
  (``gcj - delta(gcj)``) is off by up to a few metres, which is more than the
  width of a footpath on a courtyard map; here it is only the starting point of
  a fixed-point iteration that stops once the forward shift of the estimate
  reproduces the input to 1e-9 degrees (about 0.1 mm).
* GCJ-02 <-> BD-09 is Baidu's published closed form. GCJ-02 -> BD-09 is exact
  by definition; :func:`bd09_to_gcj02` is the standard closed-form inverse (kept
  so results match what Baidu's own tools and the reference projects give).
  It is not exact: a GCJ-02 -> BD-09 -> GCJ-02 round trip is off by up to
  about 2e-6 degrees (about 0.25 m; typically well under 0.1 m).
  :func:`bd09_to_wgs84` does not inherit that error: it refines the closed form
  iteratively, like :func:`gcj02_to_wgs84`.

Every function takes scalars or array-likes and is vectorized with numpy (no
Python loop over points), so a whole GeoDataFrame column converts at once.

Pure module: stdlib, numpy and shapely only (no pyproj), so ``core`` stays
importable anywhere.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from enum import StrEnum
from typing import TypeAlias

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray


class CoordSystem(StrEnum):
    """The geographic coordinate systems met on Chinese maps.

    Attributes
    ----------
    WGS84
        Used by GPS receivers, OpenStreetMap and Tianditu (天地图). Tianditu is
        really CGCS2000, which differs from WGS-84 by centimetres and is treated
        as equal at the precision of these conversions.
    GCJ02
        The "Mars" coordinates (火星坐标) of the national survey bureau, used by
        Gaode/AMap (高德) and Tencent (腾讯) maps and by phones sold in China.
    BD09
        Baidu's (百度) own second offset on top of GCJ-02.
    """

    WGS84 = "wgs84"
    GCJ02 = "gcj02"
    BD09 = "bd09"


#: what every conversion returns: floats for scalar input, numpy arrays otherwise
CoordPair: TypeAlias = "tuple[float, float] | tuple[NDArray[np.float64], NDArray[np.float64]]"
#: a conversion function, (lon, lat) -> (lon, lat)
CoordFunc: TypeAlias = "Callable[[ArrayLike, ArrayLike], CoordPair]"

# --- constants of the reference implementations --------------------------------
# Krasovsky 1940 ellipsoid, the one the GCJ-02 formula was written against.
_A = 6378245.0
_EE = 0.00669342162296594323
# Baidu's angular constant (pi * 3000 / 180) of the BD-09 offset.
_X_PI = math.pi * 3000.0 / 180.0

# The rough bounding box every reference implementation uses to decide that a
# point is "outside China" and must not be shifted. It is a rectangle, so it
# also covers parts of neighbouring countries; we keep it as is so results
# match the published tools point for point.
_CHINA_LON_MIN = 72.004
_CHINA_LON_MAX = 137.8347
_CHINA_LAT_MIN = 0.8293
_CHINA_LAT_MAX = 55.8271

#: the inverse conversions stop when the forward conversion of the estimate
#: reproduces the input to this many degrees (1e-9 deg is about 0.1 mm)
INVERSE_TOLERANCE_DEG = 1e-9
#: the inverse conversions give up refining after this many rounds; they
#: converge in 2-4 rounds because the offsets change slowly across space
INVERSE_MAX_ITERATIONS = 30


# --- helpers --------------------------------------------------------------------
def _as_arrays(lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64], bool]:
    """Return ``lon`` and ``lat`` as broadcast float arrays, and whether both were scalars.

    Parameters
    ----------
    lon, lat : float or array-like
        Longitudes and latitudes in degrees; broadcast against each other.

    Returns
    -------
    lon, lat : numpy.ndarray
        Float64 arrays of the broadcast shape (copies, never views of the input,
        so callers may write to them).
    scalar : bool
        True when both inputs were scalars (0-d), so the result is given back
        as plain floats.
    """
    lon_arr = np.asarray(lon, dtype=np.float64)
    lat_arr = np.asarray(lat, dtype=np.float64)
    scalar = lon_arr.ndim == 0 and lat_arr.ndim == 0
    lon_b, lat_b = np.broadcast_arrays(lon_arr, lat_arr)
    # broadcast_arrays returns read-only views; copy so that no result ever
    # aliases the caller's data
    return np.array(lon_b, dtype=np.float64), np.array(lat_b, dtype=np.float64), scalar


def _result(lon: NDArray[np.float64], lat: NDArray[np.float64], scalar: bool) -> CoordPair:
    """Return the pair as floats for scalar input, as arrays otherwise."""
    if scalar:
        return float(lon), float(lat)
    return lon, lat


def _out_of_china(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Return True where a point lies outside the reference bounding box of China.

    NaN compares False everywhere, so a NaN point counts as inside and comes
    out as NaN, rather than being silently passed through.
    """
    return (lon < _CHINA_LON_MIN) | (lon > _CHINA_LON_MAX) | (lat < _CHINA_LAT_MIN) | (lat > _CHINA_LAT_MAX)


def _gcj_delta(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return the GCJ-02 offset (dlon, dlat) in degrees at WGS-84 points, ignoring the China box.

    Term for term the formula of the reference implementations; the grouping of
    the sums follows them too so that results agree to the last bits.
    """
    x = lon - 105.0
    y = lat - 35.0
    xy = x * y
    abs_x = np.sqrt(np.abs(x))
    x_pi = x * math.pi
    y_pi = y * math.pi
    common = (20.0 * np.sin(6.0 * x_pi) + 20.0 * np.sin(2.0 * x_pi)) * 2.0 / 3.0

    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * xy + 0.2 * abs_x
    d_lat += common
    d_lat += (20.0 * np.sin(y_pi) + 40.0 * np.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    d_lat += (160.0 * np.sin(y / 12.0 * math.pi) + 320.0 * np.sin(y * math.pi / 30.0)) * 2.0 / 3.0

    d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * xy + 0.1 * abs_x
    d_lon += common
    d_lon += (20.0 * np.sin(x_pi) + 40.0 * np.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    d_lon += (150.0 * np.sin(x / 12.0 * math.pi) + 300.0 * np.sin(x / 30.0 * math.pi)) * 2.0 / 3.0

    # the polynomial gives metres-like units; scale them to degrees with the
    # radii of curvature of the Krasovsky ellipsoid at this latitude
    rad_lat = lat / 180.0 * math.pi
    magic = 1.0 - _EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * np.cos(rad_lat) * math.pi)
    return d_lon, d_lat


def _wgs_to_gcj_unmasked(
    lon: NDArray[np.float64], lat: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Apply the GCJ-02 shift everywhere (the inverse iterates on this smooth map)."""
    d_lon, d_lat = _gcj_delta(lon, lat)
    return lon + d_lon, lat + d_lat


def _gcj_to_bd(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Baidu's closed-form GCJ-02 -> BD-09 offset, on arrays."""
    # sqrt(x*x + y*y) rather than hypot: the reference projects compute it
    # this way, and matching them bit for bit keeps their test vectors exact
    z = np.sqrt(lon * lon + lat * lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def _bd_to_gcj_closed_form(
    lon: NDArray[np.float64], lat: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Baidu's closed-form BD-09 -> GCJ-02, on arrays (approximate: see the module docstring)."""
    x = lon - 0.0065
    y = lat - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def _invert(
    forward: Callable[[NDArray[np.float64], NDArray[np.float64]], tuple[NDArray[np.float64], NDArray[np.float64]]],
    target_lon: NDArray[np.float64],
    target_lat: NDArray[np.float64],
    start_lon: NDArray[np.float64],
    start_lat: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Solve ``forward(p) == target`` for ``p`` by fixed-point iteration, all points at once.

    ``p <- p - (forward(p) - target)`` converges because both offsets are small
    and change slowly across space: ``forward`` is the identity plus a map whose
    derivative is of order 1e-3, so every round gains about three digits. Only
    the points not yet converged are recomputed in a round.

    Parameters
    ----------
    forward : callable
        Vectorized (lon, lat) -> (lon, lat) map to invert.
    target_lon, target_lat : numpy.ndarray
        The values ``forward`` must reproduce.
    start_lon, start_lat : numpy.ndarray
        First estimate (the crude closed-form inverse); refined in place.

    Returns
    -------
    lon, lat : numpy.ndarray
        The refined estimate. A point that has not converged after
        :data:`INVERSE_MAX_ITERATIONS` rounds (none does inside China) keeps its
        last estimate; NaN points stay NaN.
    """
    lon = start_lon.ravel()
    lat = start_lat.ravel()
    t_lon = target_lon.ravel()
    t_lat = target_lat.ravel()
    active = np.arange(lon.size)
    for _ in range(INVERSE_MAX_ITERATIONS):
        if active.size == 0:
            break
        f_lon, f_lat = forward(lon[active], lat[active])
        r_lon = f_lon - t_lon[active]
        r_lat = f_lat - t_lat[active]
        # NaN residuals compare False, so NaN points drop out instead of
        # keeping the loop busy for nothing
        not_done = (np.abs(r_lon) > INVERSE_TOLERANCE_DEG) | (np.abs(r_lat) > INVERSE_TOLERANCE_DEG)
        # the residual is already below tolerance for the done points, so one
        # last correction for them costs nothing and only helps
        lon[active] -= r_lon
        lat[active] -= r_lat
        active = active[not_done]
    return lon.reshape(start_lon.shape), lat.reshape(start_lat.shape)


# --- public conversions ----------------------------------------------------------
def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> CoordPair:
    """Convert WGS-84 (GPS, OSM, Tianditu) coordinates to GCJ-02 (Gaode/AMap, Tencent).

    Parameters
    ----------
    lon, lat : float or array-like
        WGS-84 longitudes and latitudes in degrees; broadcast against each other.

    Returns
    -------
    lon, lat : float or numpy.ndarray
        GCJ-02 coordinates: floats for scalar input, arrays of the broadcast
        shape otherwise. Points outside the reference bounding box of China are
        returned unchanged, as the reference implementations do.

    Examples
    --------
    >>> wgs84_to_gcj02(120.0, 40.0)
    (120.00567568355486, 40.0013047896019)
    """
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    g_lon, g_lat = _wgs_to_gcj_unmasked(lon_a, lat_a)
    out = _out_of_china(lon_a, lat_a)
    return _result(np.where(out, lon_a, g_lon), np.where(out, lat_a, g_lat), scalar)


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> CoordPair:
    """Convert GCJ-02 (Gaode/AMap, Tencent) coordinates to WGS-84, exactly.

    Starts from the usual one-step inverse ``gcj - delta(gcj)`` (off by up to a
    few metres) and refines it until :func:`wgs84_to_gcj02` of the result
    matches the input to 1e-9 degrees (about 0.1 mm), at most
    :data:`INVERSE_MAX_ITERATIONS` rounds.

    Parameters
    ----------
    lon, lat : float or array-like
        GCJ-02 longitudes and latitudes in degrees; broadcast against each other.

    Returns
    -------
    lon, lat : float or numpy.ndarray
        WGS-84 coordinates: floats for scalar input, arrays of the broadcast
        shape otherwise.

    Notes
    -----
    Whether a point is "outside China" (and returned unchanged) is decided on
    the GCJ-02 input, as in the reference implementations. Within a few hundred
    metres of the edges of the bounding box (open sea and neighbouring
    countries only) this can disagree with the decision :func:`wgs84_to_gcj02`
    makes on the WGS-84 point, so the round trip is exact inside China only.
    """
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    d_lon, d_lat = _gcj_delta(lon_a, lat_a)
    w_lon, w_lat = _invert(_wgs_to_gcj_unmasked, lon_a, lat_a, lon_a - d_lon, lat_a - d_lat)
    out = _out_of_china(lon_a, lat_a)
    return _result(np.where(out, lon_a, w_lon), np.where(out, lat_a, w_lat), scalar)


def gcj02_to_bd09(lon: ArrayLike, lat: ArrayLike) -> CoordPair:
    """Convert GCJ-02 (Gaode/AMap, Tencent) coordinates to BD-09 (Baidu).

    Baidu's closed form. Like ``coordtransform`` and ``coord-convert`` (and
    unlike ``eviltransform``) the Baidu offset is applied everywhere, also
    outside the China bounding box; only the GCJ-02 shift has that exception.

    Parameters
    ----------
    lon, lat : float or array-like
        GCJ-02 longitudes and latitudes in degrees; broadcast against each other.

    Returns
    -------
    lon, lat : float or numpy.ndarray
        BD-09 coordinates: floats for scalar input, arrays otherwise.
    """
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    return _result(*_gcj_to_bd(lon_a, lat_a), scalar)


def bd09_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> CoordPair:
    """Convert BD-09 (Baidu) coordinates to GCJ-02 with Baidu's closed-form inverse.

    This is the standard formula every reference implementation ships, kept so
    results match theirs digit for digit. It is not an exact inverse of
    :func:`gcj02_to_bd09`: the round trip is off by up to about 2e-6 degrees
    (about 0.25 m; typically well under 0.1 m) across China. Use :func:`bd09_to_wgs84` when
    WGS-84 is the goal: it removes this error.

    Parameters
    ----------
    lon, lat : float or array-like
        BD-09 longitudes and latitudes in degrees; broadcast against each other.

    Returns
    -------
    lon, lat : float or numpy.ndarray
        GCJ-02 coordinates: floats for scalar input, arrays otherwise.
    """
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    return _result(*_bd_to_gcj_closed_form(lon_a, lat_a), scalar)


def wgs84_to_bd09(lon: ArrayLike, lat: ArrayLike) -> CoordPair:
    """Convert WGS-84 (GPS, OSM, Tianditu) coordinates to BD-09 (Baidu).

    The composition of :func:`wgs84_to_gcj02` and :func:`gcj02_to_bd09`.

    Parameters
    ----------
    lon, lat : float or array-like
        WGS-84 longitudes and latitudes in degrees; broadcast against each other.

    Returns
    -------
    lon, lat : float or numpy.ndarray
        BD-09 coordinates: floats for scalar input, arrays otherwise.
    """
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    g_lon, g_lat = wgs84_to_gcj02(lon_a, lat_a)
    return _result(*_gcj_to_bd(g_lon, g_lat), scalar)


def bd09_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> CoordPair:
    """Convert BD-09 (Baidu) coordinates to WGS-84, exactly.

    Inverts both steps precisely: the closed-form BD-09 -> GCJ-02 estimate is
    refined until :func:`gcj02_to_bd09` reproduces the input to 1e-9 degrees,
    then :func:`gcj02_to_wgs84` (itself exact) finishes the job. The round trip
    through :func:`wgs84_to_bd09` is therefore exact to about 0.1 mm inside
    China, unlike the usual ``gcj02_to_wgs84(bd09_to_gcj02(...))`` chain.

    Parameters
    ----------
    lon, lat : float or array-like
        BD-09 longitudes and latitudes in degrees; broadcast against each other.

    Returns
    -------
    lon, lat : float or numpy.ndarray
        WGS-84 coordinates: floats for scalar input, arrays otherwise.
    """
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    g_lon, g_lat = _invert(_gcj_to_bd, lon_a, lat_a, *_bd_to_gcj_closed_form(lon_a, lat_a))
    return _result(*gcj02_to_wgs84(g_lon, g_lat), scalar)


# --- dispatch ------------------------------------------------------------------------
_TO_WGS84: dict[CoordSystem, CoordFunc] = {
    CoordSystem.GCJ02: gcj02_to_wgs84,
    CoordSystem.BD09: bd09_to_wgs84,
}
_FROM_WGS84: dict[CoordSystem, CoordFunc] = {
    CoordSystem.GCJ02: wgs84_to_gcj02,
    CoordSystem.BD09: wgs84_to_bd09,
}


def coord_system(system: CoordSystem | str) -> CoordSystem:
    """Return ``system`` as a :class:`CoordSystem`, accepting its string value in any case.

    Parameters
    ----------
    system : CoordSystem or str
        ``CoordSystem.GCJ02``, ``"gcj02"``, ``"GCJ02"`` …

    Returns
    -------
    CoordSystem

    Raises
    ------
    ValueError
        If ``system`` names no known coordinate system; the message lists the
        valid values.
    """
    if isinstance(system, CoordSystem):
        return system
    try:
        return CoordSystem(str(system).strip().lower())
    except ValueError:
        valid = ", ".join(repr(s.value) for s in CoordSystem)
        raise ValueError(f"unknown coordinate system {system!r}; expected one of {valid}") from None


def to_wgs84(lon: ArrayLike, lat: ArrayLike, system: CoordSystem | str) -> CoordPair:
    """Convert coordinates given in ``system`` to WGS-84.

    Parameters
    ----------
    lon, lat : float or array-like
        Longitudes and latitudes in degrees, in ``system``.
    system : CoordSystem or str
        The system of the input (``"wgs84"``, ``"gcj02"`` or ``"bd09"``).

    Returns
    -------
    lon, lat : float or numpy.ndarray
        WGS-84 coordinates (for WGS-84 input, a float copy of it).

    Raises
    ------
    ValueError
        If ``system`` is not a known coordinate system.
    """
    system = coord_system(system)
    if system is CoordSystem.WGS84:
        return _result(*_as_arrays(lon, lat))
    return _TO_WGS84[system](lon, lat)


def from_wgs84(lon: ArrayLike, lat: ArrayLike, system: CoordSystem | str) -> CoordPair:
    """Convert WGS-84 coordinates to ``system``.

    Parameters
    ----------
    lon, lat : float or array-like
        WGS-84 longitudes and latitudes in degrees.
    system : CoordSystem or str
        The system wanted (``"wgs84"``, ``"gcj02"`` or ``"bd09"``).

    Returns
    -------
    lon, lat : float or numpy.ndarray
        Coordinates in ``system`` (for WGS-84, a float copy of the input).

    Raises
    ------
    ValueError
        If ``system`` is not a known coordinate system.
    """
    system = coord_system(system)
    if system is CoordSystem.WGS84:
        return _result(*_as_arrays(lon, lat))
    return _FROM_WGS84[system](lon, lat)


# --- geometries -----------------------------------------------------------------------
def _shapely_keeps_z() -> bool | None:
    """Return the ``include_z`` value that keeps each geometry's own dimensionality.

    ``include_z=None`` (keep 2D as 2D and 3D as 3D) exists from shapely 2.1 on;
    shapely 2.0 only knows True/False, and False (always 2D) is the safe choice
    there because True would give 2D input NaN heights.
    """
    match = re.match(r"(\d+)\.(\d+)", shapely.__version__)
    version = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    return None if version >= (2, 1) else False


_INCLUDE_Z = _shapely_keeps_z()


def transform_geometry(
    geometry: shapely.Geometry | ArrayLike, func: CoordFunc
) -> shapely.Geometry | NDArray[np.object_]:
    """Apply a (lon, lat) -> (lon, lat) conversion to every coordinate of a geometry.

    Uses :func:`shapely.transform`, which hands all coordinates of all
    geometries to ``func`` in one array, so the conversion stays vectorized.
    Heights (Z) are kept untouched where the installed shapely can (2.1+).

    Parameters
    ----------
    geometry : shapely.Geometry or array-like of them
        A geometry, or a numpy array (or list) of geometries; ``None`` entries
        stay ``None``.
    func : callable
        A conversion such as :func:`gcj02_to_wgs84`; it receives two 1-D arrays
        (longitudes, latitudes) and must return two arrays of the same length.

    Returns
    -------
    shapely.Geometry or numpy.ndarray
        New geometries of the same types (the input is not modified); an array
        for array input.

    Examples
    --------
    >>> from shapely import Point
    >>> transform_geometry(Point(120.0, 40.0), wgs84_to_gcj02)  # doctest: +ELLIPSIS
    <POINT (120.006 40.001)>
    """

    def _apply(coords: NDArray[np.float64]) -> NDArray[np.float64]:
        # coords is (N, 2) or (N, 3); only lon/lat change, a Z column stays
        out = np.array(coords, dtype=np.float64)
        new_lon, new_lat = func(out[:, 0], out[:, 1])
        out[:, 0] = new_lon
        out[:, 1] = new_lat
        return out

    return shapely.transform(geometry, _apply, include_z=_INCLUDE_Z)


__all__ = [
    "INVERSE_MAX_ITERATIONS",
    "INVERSE_TOLERANCE_DEG",
    "CoordFunc",
    "CoordPair",
    "CoordSystem",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "coord_system",
    "from_wgs84",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "to_wgs84",
    "transform_geometry",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]
