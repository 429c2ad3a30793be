"""Bring a CAD site plan (总平面图, DXF) or a scanned plan image onto the map.

A planner's DXF is usually drawn in local coordinates (metres from some corner
of the site, or a city's own grid), with buildings, roads and green space on
named CAD layers. :func:`list_cad_layers` shows those layers; the planner says
which layer is what (``layer_roles``), and :func:`import_dxf` places the plan
either by a declared CRS (:class:`DeclaredCRS`, e.g. a CGCS2000 Gauss-Kruger
zone) or by control points matched on the map (:class:`ControlPoints`). The fit
is done in metres, in the CGCS2000 3-degree zone of the map points, with the
residual per point, the RMS and the flagged points of :mod:`cogov_toolkit.core.georef`.

The same control points place a scanned plan image: :func:`image_bounds_for`
gives the corner coordinates of the overlay to trace over.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
import shapely
from numpy.typing import ArrayLike, NDArray

from cogov_toolkit.core.coords import CoordSystem, to_wgs84
from cogov_toolkit.core.georef import Fit, Method, fit_transform, minimum_points
from cogov_toolkit.errors import CorruptFileError, CRSError, InputError, Problem
from cogov_toolkit.geo.crs import (
    CHINA_LAT,
    CHINA_LON,
    WGS84,
    area_crs_for,
)
from cogov_toolkit.geo.sanity import RepairOutcome, repair_polygon
from cogov_toolkit.i18n.text import LocalText
from cogov_toolkit.io.archives import check_file_size
from cogov_toolkit.io.tables import require_file

#: the DXF attribute naming an entity's CAD layer (GDAL's DXF driver)
LAYER_FIELD = "Layer"


class CadRole(StrEnum):
    """What a CAD layer holds, as the planner declares it."""

    BUILDINGS = "buildings"
    ROADS = "roads"
    GREEN_SPACE = "green_space"


#: roles whose closed polylines become polygons (roads stay lines)
POLYGON_ROLES = frozenset({CadRole.BUILDINGS, CadRole.GREEN_SPACE})


@dataclass(frozen=True)
class CadLayer:
    """One CAD layer of a DXF: its name, how many entities, and of which geometry types."""

    name: str
    count: int
    geometry_types: tuple[str, ...]


@dataclass(frozen=True)
class DeclaredCRS:
    """Place the plan by the CRS it is drawn in, e.g. ``DeclaredCRS("EPSG:4548")`` (CGCS2000, CM 117E)."""

    crs: str


@dataclass(frozen=True)
class ControlPoints:
    """Place the plan by matched points: ``((x_plan, y_plan), (lon, lat))`` pairs.

    ``map_system`` says where the map side was read: WGS-84 (the toolkit's maps,
    GPS, Tianditu) by default, or GCJ-02 / BD-09 when the points were picked in
    Gaode, Tencent or Baidu maps. ``plan_y_down`` is for images: pixel rows count
    downwards, so the plan's y is negated before fitting (a similarity transform
    cannot mirror).
    """

    pairs: tuple[tuple[tuple[float, float], tuple[float, float]], ...]
    method: Method = Method.SIMILARITY
    plan_y_down: bool = False
    map_system: CoordSystem = CoordSystem.WGS84

    def __post_init__(self) -> None:
        # accept lists from a notebook; store tuples so the placement stays hashable and frozen
        object.__setattr__(self, "pairs", tuple((tuple(p), tuple(m)) for p, m in self.pairs))
        object.__setattr__(self, "method", Method(self.method))
        object.__setattr__(self, "map_system", CoordSystem(self.map_system))


@dataclass(frozen=True)
class Georeference:
    """A fitted placement: the fit (plan -> projected metres) and the projected CRS it was fitted in."""

    fit: Fit
    crs: str
    plan_y_down: bool = False

    def to_wgs84(self, x: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return (lon, lat) in WGS-84 of plan coordinates."""
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        gx, gy = self.fit.apply(x, -y if self.plan_y_down else y)
        lon, lat = _transformer(self.crs, WGS84).transform(gx, gy)
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


@dataclass(frozen=True)
class ImageCorners:
    """Where a plan image's corners land, as (lon, lat); ``bounds`` is ((south, west), (north, east)).

    A web-map image overlay is axis-aligned: ``bounds`` is the envelope of the
    corners, exact only when ``rotation_deg`` is near 0 (rotate the scan first otherwise).
    """

    top_left: tuple[float, float]
    top_right: tuple[float, float]
    bottom_right: tuple[float, float]
    bottom_left: tuple[float, float]
    rotation_deg: float

    @property
    def bounds(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """The envelope as ((south, west), (north, east)), the order ipyleaflet's ImageOverlay takes."""
        corners = (self.top_left, self.top_right, self.bottom_right, self.bottom_left)
        lons = [c[0] for c in corners]
        lats = [c[1] for c in corners]
        return (min(lats), min(lons)), (max(lats), max(lons))


@dataclass(frozen=True)
class CadImport:
    """What :func:`import_dxf` brought in: one WGS-84 GeoDataFrame per role, and how it was placed.

    ``left_out`` counts, per role, entities that could not be used (open
    polylines or texts on a polygon layer), so the planner can look at them in CAD;
    ``repairs`` lists every closed polyline that was not a valid polygon, with its CAD
    layer and handle: repaired when the repair is unambiguous (kept), else refused
    (left out), by the rule of :func:`cogov_toolkit.geo.sanity.repair_polygon`.
    """

    layers: Mapping[str, gpd.GeoDataFrame]
    placement: Georeference | None
    declared_crs: str | None
    left_out: Mapping[str, int] = field(default_factory=dict)
    #: closed polylines that were not valid polygons: repaired (kept) or refused (left out), one by one
    repairs: tuple[Problem, ...] = ()
    #: how the drawing was placed: "crs", "control_points" or "geodata" (the drawing's own GEODATA object)
    placed_by: str = ""


def _transformer(source: str, target: str) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(source, target, always_xy=True)


_UNICODE_ESCAPE = re.compile(r"\\U\+([0-9A-Fa-f]{4})")


def decode_dxf_text(text: str) -> str:
    """Return DXF text with its ``\\U+039B`` escapes (how AutoCAD writes non-codepage letters) decoded."""
    return _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


@dataclass(frozen=True)
class Geodata:
    """A drawing's own placement (the DXF GEODATA object): its CRS and the affine map from drawing to CRS."""

    epsg: int
    #: (a, b, c, d, e, f): x' = a·x + b·y + c, y' = d·x + e·y + f
    affine: tuple[float, float, float, float, float, float]

    @property
    def crs(self) -> str:
        """The CRS as "EPSG:n"."""
        return f"EPSG:{self.epsg}"


def dxf_geodata(path: str | Path) -> Geodata | None:
    """Return the GEODATA placement of a DXF's model space (AutoCAD's "geographic location"), or None.

    Read with ezdxf (GDAL's DXF driver ignores GEODATA). A drawing without one,
    one whose coordinate system has no EPSG code, or a file ezdxf cannot read gives None.
    """
    path = Path(path)
    require_file(path)
    try:
        geodata = _ezdxf_document(path).modelspace().get_geodata()
        if geodata is None:
            return None
        matrix, epsg = geodata.get_crs_transformation()
    except Exception:  # no ezdxf, a binary or damaged DXF, a GEODATA without an EPSG code
        return None
    rows = [list(matrix.get_row(i)) for i in range(4)]
    affine = (rows[0][0], rows[1][0], rows[3][0], rows[0][1], rows[1][1], rows[3][1])
    return Geodata(int(epsg), tuple(float(v) for v in affine))  # type: ignore[arg-type]


def _read_dxf(path: Path) -> gpd.GeoDataFrame:
    require_file(path)
    check_file_size(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # GDAL notes on unsupported entities are not the planner's business
            frame = pyogrio.read_dataframe(path)
    except Exception as exc:  # every GDAL failure becomes one located message
        raise CorruptFileError("cad.unreadable", file=path) from exc
    if LAYER_FIELD not in frame.columns:
        raise CorruptFileError("cad.unreadable", file=path)
    frame = frame[frame.geometry.notna()].copy()
    frame[LAYER_FIELD] = frame[LAYER_FIELD].astype(str).map(decode_dxf_text)
    frame.geometry = shapely.force_2d(frame.geometry.values)
    return frame


def list_cad_layers(path: str | Path) -> tuple[CadLayer, ...]:
    """Return the CAD layers of a DXF with their entity counts and geometry types, by name.

    Parameters
    ----------
    path : str or Path
        The DXF file.

    Returns
    -------
    tuple of CadLayer
        One entry per CAD layer that holds drawn entities.
    """
    path = Path(path)
    frame = _read_dxf(path)
    layers = []
    for name, group in frame.groupby(LAYER_FIELD, sort=True):
        types = tuple(sorted(group.geometry.geom_type.unique()))
        layers.append(CadLayer(name=str(name), count=len(group), geometry_types=types))
    drawn = {layer.name for layer in layers}
    layers += [CadLayer(name, 0, ()) for name in _table_layers(path) if name not in drawn]
    return tuple(sorted(layers, key=lambda layer: layer.name))


def _ezdxf_document(path: Path) -> Any:
    """Read a DXF with ezdxf, its notes on damaged files kept from the planner's screen."""
    import logging

    import ezdxf

    logging.getLogger("ezdxf").setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ezdxf.readfile(str(path))


def _table_layers(path: Path) -> list[str]:
    """The layers a DXF declares (ezdxf), drawn on or not; AutoCAD's own "0" and "Defpoints" left out."""
    try:
        document = _ezdxf_document(path)
        # "0" and "Defpoints" are in every drawing: listed only when something is drawn on them
        return [
            decode_dxf_text(layer.dxf.name)
            for layer in document.layers
            if layer.dxf.name.lower() not in ("0", "defpoints")
        ]
    except Exception:  # no ezdxf, or a file only GDAL reads: the drawn layers are listed still
        return []


def place_by_control_points(points: ControlPoints) -> Georeference:
    """Fit the plan-to-map transform of ``points`` in the CGCS2000 zone of their map side.

    Raises
    ------
    InputError
        Too few or degenerate points (see :func:`cogov_toolkit.core.georef.fit_transform`).
    """
    if not points.pairs:
        raise InputError("cad.too_few_points", needed=minimum_points(points.method), given=0)
    plan = np.array([p for p, _ in points.pairs], dtype=float)
    lonlat = np.array([m for _, m in points.pairs], dtype=float)
    lonlat = np.column_stack(to_wgs84(lonlat[:, 0], lonlat[:, 1], points.map_system))
    crs = area_crs_for(float(lonlat[:, 0].mean()))
    gx, gy = _transformer(WGS84, crs).transform(lonlat[:, 0], lonlat[:, 1])
    if points.plan_y_down:
        plan = plan * np.array([1.0, -1.0])
    fit = fit_transform(plan, np.column_stack([gx, gy]), points.method)
    return Georeference(fit=fit, crs=crs, plan_y_down=points.plan_y_down)


def image_bounds_for(placement: Georeference | ControlPoints, width_px: int, height_px: int) -> ImageCorners:
    """Return where the corners of a ``width_px`` × ``height_px`` plan image land on the map.

    Parameters
    ----------
    placement : Georeference or ControlPoints
        Control points given in pixels as (column, row) with ``plan_y_down=True``;
        without it, the plan's y is taken to point up from the top-left corner (y = -row).
    width_px, height_px : int
        The image size in pixels.

    Returns
    -------
    ImageCorners
        The four corners in WGS-84 and the envelope for an image overlay.
    """
    if isinstance(placement, ControlPoints):
        placement = place_by_control_points(placement)
    cols = np.array([0.0, width_px, width_px, 0.0])
    rows = np.array([0.0, 0.0, height_px, height_px])
    ys = rows if placement.plan_y_down else -rows  # without y-down the caller's plan y already points up
    lon, lat = placement.to_wgs84(cols, ys)
    corners = [(float(a), float(b)) for a, b in zip(lon, lat, strict=True)]
    rotation = placement.fit.rotation_deg
    return ImageCorners(*corners, rotation_deg=rotation)


def _roles(path: Path, layer_roles: Mapping[str, CadRole | str], available: Sequence[str]) -> dict[str, CadRole]:
    roles: dict[str, CadRole] = {}
    for layer, role in layer_roles.items():
        if layer not in available:
            raise InputError("cad.unknown_layer", file=path, layer=layer, available="、".join(available))
        try:
            roles[layer] = CadRole(role)
        except ValueError:
            raise InputError(
                "cad.unknown_role", file=path, role=str(role), roles="、".join(r.value for r in CadRole)
            ) from None
    return roles


def _as_polygon(geometry: shapely.Geometry) -> shapely.Geometry | None:
    """Return a polygon for a polygon or a closed polyline; None for anything else."""
    if isinstance(geometry, shapely.Polygon | shapely.MultiPolygon):
        return geometry
    if isinstance(geometry, shapely.LineString) and geometry.is_closed and len(geometry.coords) >= 4:
        return shapely.Polygon(geometry.coords)
    if isinstance(geometry, shapely.MultiLineString):
        rings = [_as_polygon(part) for part in geometry.geoms]
        if rings and all(r is not None for r in rings):
            return shapely.MultiPolygon(rings)
    return None


def _shape_for_role(frame: gpd.GeoDataFrame, role: CadRole) -> tuple[gpd.GeoDataFrame, int]:
    if role in POLYGON_ROLES:
        shapes = [_as_polygon(g) for g in frame.geometry]
    else:
        shapes = [g if isinstance(g, shapely.LineString | shapely.MultiLineString) else None for g in frame.geometry]
    keep = np.array([s is not None for s in shapes], dtype=bool)
    out = gpd.GeoDataFrame(
        {
            "cad_layer": frame[LAYER_FIELD].to_numpy()[keep],
            "cad_handle": frame.get("EntityHandle", pd.Series([None] * len(frame))).to_numpy()[keep],
        },
        geometry=[s for s in shapes if s is not None],
        crs=None,
    )
    return out, int((~keep).sum())


def _repaired(placed: gpd.GeoDataFrame, path: Path, repairs: list[Problem]) -> gpd.GeoDataFrame:
    """Check the placed polygons; repair the unambiguous ones and leave out the rest, each one listed.

    The same rule as polygons drawn or imported elsewhere
    (:func:`cogov_toolkit.geo.sanity.repair_polygon`), applied where the shapes will
    live: a polygon valid in the plan's metres can cross itself once placed in degrees.
    """
    geometries = list(placed.geometry)
    keep = []
    for i, (shape, layer, handle) in enumerate(zip(geometries, placed["cad_layer"], placed["cad_handle"], strict=True)):
        if shape.is_valid:
            keep.append(i)
            continue
        repair = repair_polygon(shape)
        repaired = repair.outcome is RepairOutcome.REPAIRED
        why = LocalText(lambda language, r=repair: r.message(language))
        reason = "cad.polygon_repaired" if repaired else "cad.polygon_refused"
        repairs.append(
            Problem(reason, str(path), None, None, None, {"layer": layer, "handle": handle or "?", "why": why})
        )
        if repaired:
            geometries[i] = repair.geometry
            keep.append(i)
    fixed = placed.set_geometry(geometries)
    return fixed.iloc[keep].reset_index(drop=True)


def _place(frame: gpd.GeoDataFrame, placement: Georeference | DeclaredCRS | Geodata, path: Path) -> gpd.GeoDataFrame:
    if isinstance(placement, Geodata):
        a, b, c, d, e, f = placement.affine
        moved = shapely.transform(
            frame.geometry.values,
            lambda xy: np.column_stack([a * xy[:, 0] + b * xy[:, 1] + c, d * xy[:, 0] + e * xy[:, 1] + f]),
        )
        placed = gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=moved, crs=placement.crs)
        return placed.to_crs(WGS84)
    if isinstance(placement, DeclaredCRS):
        try:
            crs = pyproj.CRS.from_user_input(placement.crs)
        except pyproj.exceptions.CRSError:
            raise CRSError("import.crs_invalid", file=path, crs=placement.crs) from None
        return frame.set_crs(crs).to_crs(WGS84)

    def _to_wgs84(coords: NDArray[np.float64]) -> NDArray[np.float64]:
        lon, lat = placement.to_wgs84(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    placed = shapely.transform(frame.geometry.values, _to_wgs84)
    return gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=placed, crs=WGS84)


def _check_in_china(layers: Mapping[str, gpd.GeoDataFrame], path: Path, declared: str | None) -> None:
    frames = [f for f in layers.values() if len(f)]
    if not frames:
        return
    bounds = np.array([f.total_bounds for f in frames])
    west, south = bounds[:, 0].min(), bounds[:, 1].min()
    east, north = bounds[:, 2].max(), bounds[:, 3].max()
    inside = CHINA_LON[0] <= west and east <= CHINA_LON[1] and CHINA_LAT[0] <= south and north <= CHINA_LAT[1]
    if np.isfinite(bounds).all() and inside:
        return
    if declared is not None:
        raise CRSError("cad.crs_outside_china", file=path, crs=declared)
    raise CRSError("cad.fit_outside_china", file=path)


def placed_drawing(
    path: str | Path, placement: DeclaredCRS | ControlPoints | Georeference | None = None
) -> gpd.GeoDataFrame:
    """Return every entity of a DXF placed in WGS-84 (``cad_layer``, geometry), to look at before importing.

    With no ``placement`` the drawing's own GEODATA places it (:func:`dxf_geodata`).
    Unlike :func:`import_dxf`, a drawing that lands outside China is returned as it
    lands (a GEODATA drawing of another country, say), for the planner to see.
    """
    path = Path(path)
    frame = _read_dxf(path)
    placement = _placement(path, placement)
    shaped = gpd.GeoDataFrame({"cad_layer": frame[LAYER_FIELD].to_numpy()}, geometry=list(frame.geometry), crs=None)
    return _place(shaped, placement, path)


def _placement(
    path: Path, placement: DeclaredCRS | ControlPoints | Georeference | Geodata | None
) -> DeclaredCRS | Georeference | Geodata:
    if placement is None:
        geodata = dxf_geodata(path)
        if geodata is None:
            raise InputError("cad.no_placement", file=path)
        return geodata
    return place_by_control_points(placement) if isinstance(placement, ControlPoints) else placement


def import_dxf(
    path: str | Path,
    layer_roles: Mapping[str, CadRole | str],
    placement: DeclaredCRS | ControlPoints | Georeference | Geodata | None = None,
) -> CadImport:
    """Read a DXF site plan, keep the CAD layers the planner named, and place them on the map.

    Parameters
    ----------
    path : str or Path
        The DXF file (any CAD version GDAL reads; Chinese layer names in GBK are fine).
    layer_roles : mapping of CAD layer name to role
        e.g. ``{"建筑": "buildings", "道路": "roads", "绿化": "green_space"}``.
        Closed polylines on building and green-space layers become polygons.
    placement : DeclaredCRS, ControlPoints, Georeference or Geodata, optional
        How the plan's coordinates reach the map; by default the drawing's own
        GEODATA (a georeferenced drawing), and without one an error asks for it.

    Returns
    -------
    CadImport
        One EPSG:4326 GeoDataFrame per role (``cad_layer``, ``cad_handle``, geometry),
        the fitted placement (with residuals and flagged points) and what was left out.

    Raises
    ------
    InputError
        The file is missing or unreadable, a named layer is not in the file, a role is
        unknown, the control points are too few or degenerate, or the placed plan lies
        outside China (the wrong CRS, or a control point in the wrong place).
    """
    path = Path(path)
    frame = _read_dxf(path)
    roles = _roles(path, layer_roles, sorted(frame[LAYER_FIELD].unique()))
    georef = _placement(path, placement)
    layers: dict[str, gpd.GeoDataFrame] = {}
    left_out: dict[str, int] = {}
    repairs: list[Problem] = []
    for role in CadRole:
        names = [layer for layer, r in roles.items() if r is role]
        if not names:
            continue
        # blocks (INSERT) arrive as collections: take their pieces one by one
        chosen = frame[frame[LAYER_FIELD].isin(names)].explode(ignore_index=True)
        shaped, dropped = _shape_for_role(chosen, role)
        placed = _place(shaped, georef, path)
        layers[role.value] = _repaired(placed, path, repairs) if role in POLYGON_ROLES else placed
        left_out[role.value] = dropped
    declared = georef.crs if isinstance(georef, DeclaredCRS | Geodata) else None
    _check_in_china(layers, path, declared)
    placed_by = (
        "geodata" if isinstance(georef, Geodata) else ("crs" if isinstance(georef, DeclaredCRS) else "control_points")
    )
    return CadImport(
        layers=layers,
        placement=georef if isinstance(georef, Georeference) else None,
        declared_crs=declared,
        left_out=left_out,
        repairs=tuple(repairs),
        placed_by=placed_by,
    )
