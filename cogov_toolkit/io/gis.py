"""Import a spatial layer from the files planners already have.

GeoJSON, Shapefile (also zipped), GeoPackage, KML/KMZ, and CSV/Excel tables
with longitude/latitude columns all come in through :func:`read_layer`, which
checks them against the declared layer (``schema.LAYERS``) and hands back an
:class:`ImportedLayer` in WGS-84 with the declared columns only. Everything
wrong with a file is reported at once, located by feature (or spreadsheet row)
and column; no GDAL, JSON or zip exception reaches the planner.

Chinese specifics handled here: GBK attribute tables without a ``.cpg``,
CGCS2000 and Gauss-Kruger projections, GCJ-02 (Gaode/AMap, Tencent) and BD-09
(Baidu) coordinates, and areas computed in the CGCS2000 3-degree zone of the
layer.
"""

from __future__ import annotations

import contextlib
import dataclasses
import warnings
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
import shapely

from cogov_toolkit import i18n
from cogov_toolkit.core import coords
from cogov_toolkit.core.schema import LAYERS, LINE, POINT, POLYGON, Column, LayerKind, normalise_header, resolve_column
from cogov_toolkit.core.validate import CheckedTable, Table, raise_problems, review_records
from cogov_toolkit.core.values import parse_real
from cogov_toolkit.errors import (
    CogovError,
    ConversionError,
    CorruptFileError,
    CRSError,
    EmptyFileError,
    EncodingError,
    InputError,
    MissingColumnsError,
    Problem,
    UnsupportedFormatError,
    ValidationError,
)
from cogov_toolkit.geo.crs import CHINA_LAT, CHINA_LON, WGS84, area_crs_for, far_from_china_note
from cogov_toolkit.i18n.text import LocalText, listed, listed_columns, listed_headers, localised
from cogov_toolkit.io.osm import is_osm_table
from cogov_toolkit.io.tables import TABLE_SUFFIXES, cell_text, progress_bar, read_table, require_file

#: suffixes read with GDAL (through pyogrio)
GIS_SUFFIXES = (".geojson", ".json", ".shp", ".zip", ".gpkg", ".kml", ".kmz", ".gpx", ".osm", ".pbf")
#: files read placemark by placemark (phone map apps, Google Earth, GPS loggers)
PLACEMARK_SUFFIXES = (".kml", ".kmz", ".gpx")
#: header spellings recognised as longitude / latitude in tables
LON_ALIASES = ("lon", "lng", "long", "longitude", "经度", "x", "东经")
LAT_ALIASES = ("lat", "latitude", "纬度", "y", "北纬")

_FORMAT_OF_SUFFIX = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".shp": "shapefile",
    ".zip": "shapefile",
    ".gpkg": "geopackage",
    ".kml": "kml",
    ".kmz": "kml",
    ".gpx": "gpx",
    ".osm": "osm",
    ".pbf": "osm",
}
#: the layer of an OpenStreetMap file (GDAL's OSM driver) that holds each kind: ways and nodes
OSM_LAYER = {"roads": "lines", "landmarks": "points"}
#: how far beyond the community's outline roads and landmarks are still taken (a gate on the fence, the street outside)
WITHIN_MARGIN_M = 30.0
#: the prefix of ids assigned to features that come without one
ID_PREFIX = {
    "community": "C",
    "neighbourhoods": "N",
    "grids": "G",
    "buildings": "B",
    "public_spaces": "S",
    "idle_plots": "P",
    "adoption_zones": "A",
    "roads": "R",
    "landmarks": "L",
}
#: the column holding the kind of site, chosen in the wizard or read from a folder or field
TYPE_COLUMN = {
    "public_spaces": "type",
    "adoption_zones": "zone_type",
    "idle_plots": "kind",
    "roads": "kind",
    "landmarks": "kind",
}
#: the status of a site that arrives without one
DEFAULT_STATUS = {"idle_plots": "idle", "adoption_zones": "available"}
# fields the LIBKML driver adds to every placemark; they are KML plumbing, not attributes
_KML_SYSTEM_FIELDS = (
    "id",
    "timestamp",
    "begin",
    "end",
    "altitudeMode",
    "tessellate",
    "extrude",
    "visibility",
    "drawOrder",
    "icon",
    "snippet",
)
# LIBKML turns Chinese <Data name="楼栋编号"> into "____" unless told not to
_KML_READ_OPTIONS = {"LIBKML_LAUNDER_FIELD_NAMES": "NO"}
_FAMILY_OF_TYPE = {
    "Polygon": POLYGON,
    "MultiPolygon": POLYGON,
    "Point": POINT,
    "MultiPoint": POINT,
    "LineString": "LineString",
    "MultiLineString": "LineString",
    "LinearRing": "LineString",
}
# the start of GEOS's validity explanations -> catalog key under import.validity
_VALIDITY_KEYS = {
    "Self-intersection": "self_intersection",
    "Ring Self-intersection": "ring_self_intersection",
    "Too few points": "too_few_points",
    "Hole lies outside shell": "hole_outside_shell",
    "Nested holes": "nested_holes",
    "Nested shells": "nested_shells",
    "Interior is disconnected": "interior_disconnected",
    "Duplicate Rings": "duplicate_rings",
    "Invalid Coordinate": "invalid_coordinate",
    "Ring is not closed": "ring_not_closed",
}


@dataclass(frozen=True, eq=False)
class ImportedLayer:
    """A layer read from a file and checked: WGS-84, declared columns only.

    Attributes
    ----------
    frame : geopandas.GeoDataFrame
        EPSG:4326, the layer's declared columns in declared order (typed as in
        :func:`~cogov_toolkit.io.tables.check_records`) and ``geometry``.
        Polygons are MultiPolygons in polygon-only layers; ``area_m2`` is filled
        where the file left it empty.
    kind : str
        The layer kind (a key of ``schema.LAYERS``).
    personal : pandas.DataFrame
        The id column and any personal columns (name, phone, hardship note):
        for the private companion file only.
    dropped_columns, unknown_columns : tuple of str
        Headers dropped (ID numbers, IP addresses) and headers not imported.
    warnings : tuple of str
        What the import did or noticed, for people (in the current language).
    file : pathlib.Path
        The file read.
    rows : tuple of int
        The source row (feature number, or spreadsheet row) of each feature.
    left_out : tuple of Problem
        Features of the file that were not imported, one by one with why (a KML
        placemark without usable coordinates, say); the rest of the file was.
    coord_system : str
        The web-map system the coordinates were read in ("wgs84", "gcj02", "bd09").
    """

    frame: gpd.GeoDataFrame
    kind: str
    personal: pd.DataFrame
    dropped_columns: tuple[str, ...]
    unknown_columns: tuple[str, ...]
    warnings: tuple[str, ...]
    file: Path
    rows: tuple[int, ...]
    left_out: tuple[Problem, ...] = ()
    coord_system: str = "wgs84"


@dataclass
class _Features:
    """Checked attributes and WGS-84 geometries, before conversion and finishing."""

    checked: CheckedTable
    geometry: np.ndarray
    notes: list[str] = field(default_factory=list)
    left_out: list[Problem] = field(default_factory=list)
    app_system: coords.CoordSystem | None = None


def read_layer(
    path: str | Path,
    kind: str,
    *,
    coord_system: str | None = None,
    crs: str | int | None = None,
    layer: str | None = None,
    lon: str | None = None,
    lat: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    site_type: str | None = None,
    type_from: str | None = None,
    outlines: bool = False,
    within: shapely.Geometry | None = None,
) -> ImportedLayer:
    """Read a GIS file or a lon/lat table as a layer of the workspace, checking everything.

    Parameters
    ----------
    path : str or pathlib.Path
        ``.geojson``/``.json``, ``.shp`` (or a ``.zip`` holding one), ``.gpkg``,
        ``.kml``, ``.kmz``, or ``.csv``/``.txt``/``.xlsx``/``.xls`` with longitude
        and latitude columns.
    kind : str
        The layer kind, e.g. ``"buildings"`` (see ``schema.LAYERS``).
    coord_system : {"wgs84", "gcj02", "bd09"}, optional
        The web-map system of the coordinates: ``"gcj02"`` for points taken from
        Gaode/AMap or Tencent maps, ``"bd09"`` for Baidu; they are converted to WGS-84.
        When not given, a KML/GPX that names the app that wrote it is read in that
        app's system, anything else as WGS-84 (and the report says so).
    crs : str or int, optional
        The coordinate reference system when the file lacks one (a shapefile
        without ``.prj``), e.g. ``"EPSG:4490"``; for tables, the CRS of the
        lon/lat (or x/y) columns, EPSG:4326 by default. Overrides the file's own.
    layer : str, optional
        The layer of a GeoPackage or KML, or the shapefile inside a zip.
    lon, lat : str, optional
        The headers of the longitude and latitude columns of a table, when
        they are not one of the usual spellings (经度/纬度, lon/lat, x/y …).
    encoding : str, optional
        Text encoding of a CSV or of a shapefile's attributes (default: detected).
    sheet : str, optional
        The worksheet of an Excel file (default: the first).
    site_type : str, optional
        For KML/KMZ/GPX: the kind of every site in the file (a code or its Chinese
        label, e.g. ``"pocket_garden"`` or ``"小花园"``).
    type_from : str, optional
        For KML/KMZ/GPX: where each placemark's kind of site is written, ``"folder"``
        (the folder it sits in) or the name of an ExtendedData field.

    outlines : bool
        The file holds shapes only (an OpenStreetMap extract, traced outlines):
        fill ids, numbers and labels as for KML, and leave the roster's columns empty.
    within : shapely.Geometry, optional
        For GIS files: the community's outline (WGS-84). Features farther than
        :data:`WITHIN_MARGIN_M` from it are left out and lines are cut at that
        margin (an OpenStreetMap extract of a whole district brings only the
        community's roads); the report counts both.

    OpenStreetMap data (``.osm``/``.osm.pbf``, an OSM tool's GeoJSON or a vector-tile
    export) imported as ``roads`` or ``landmarks`` is read by its tags
    (:mod:`cogov_toolkit.io.osm`): highway ways become roads of their kind,
    entrance, gate, bus-stop and amenity nodes landmarks; the rest is counted and left out.

    KML, KMZ and GPX files are read placemark by placemark: ids and numbers are
    assigned when the file has none (and the report says which), names and
    descriptions are kept, a placemark that cannot be used is left out and listed
    in ``left_out`` with its index and name while the rest imports, and columns a
    roster fills (a building's units, floors, households) are left empty.

    Returns
    -------
    ImportedLayer

    Raises
    ------
    UnsupportedFormatError, CorruptFileError, EncodingError, EmptyFileError
        When the file cannot be read.
    CRSError
        When the coordinate reference system is missing (pass ``crs=``) or unknown.
    MissingColumnsError
        Listing every required column that is absent.
    ValidationError
        Listing every bad feature, cell and coordinate of the file.

    Warns
    -----
    UserWarning
        When every feature lies far outside China.
    """
    path = Path(path)
    layer_kind = _layer_kind(kind)
    system = _coord_system(coord_system)
    require_file(path)
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        features = _points_from_table(path, layer_kind, crs=crs, lon=lon, lat=lat, encoding=encoding, sheet=sheet)
    elif suffix in PLACEMARK_SUFFIXES:
        features = _features_from_placemarks(path, layer_kind, site_type=site_type, type_from=type_from)
    elif suffix in GIS_SUFFIXES:
        features = _features_from_gis(
            path,
            layer_kind,
            crs=crs,
            layer=layer,
            encoding=encoding,
            outlines=outlines,
            site_type=site_type,
            type_from=type_from,
            within=within,
        )
    else:
        supported = ", ".join(GIS_SUFFIXES + TABLE_SUFFIXES)
        raise UnsupportedFormatError(
            "import.unsupported_format", file=path, suffix=suffix or path.name, supported=supported
        )
    if system is None:
        system = features.app_system or coords.CoordSystem.WGS84
    imported = _finish(features, layer_kind, system, path)
    far = far_from_china_note(imported.frame.geometry.values)
    if far is not None:
        warnings.warn(str(far), UserWarning, stacklevel=2)
        imported = dataclasses.replace(imported, warnings=(*imported.warnings, far))
    return imported


def dbf_encoding(dbf: bytes) -> str:
    """Return the text encoding of a shapefile's .dbf that has no .cpg: UTF-8, else GB18030, else latin-1.

    A GBK .dbf without .cpg is what most Chinese desktop GIS hand out, and GDAL
    would read it as latin-1 (mojibake). Field names and records are tried
    together; GB18030 reads every GBK file.
    """
    text = _dbf_text_bytes(dbf)
    for codec in ("utf-8", "gb18030"):
        try:
            text.decode(codec)
        except UnicodeDecodeError:
            continue
        return codec
    return "latin-1"


def _dbf_complete(dbf: bytes) -> bool:
    """Return True when a .dbf holds its whole header: the field list and its end mark (0x0D)."""
    if len(dbf) < 33:
        return False
    header_length = int.from_bytes(dbf[8:10], "little")
    return 33 <= header_length <= len(dbf) and dbf[header_length - 1] == 0x0D


def _dbf_text_bytes(dbf: bytes) -> bytes:
    """Return the field names and records of a .dbf (its binary header left out)."""
    if len(dbf) < 32:
        return b""
    header_length = int.from_bytes(dbf[8:10], "little")
    names = []
    offset = 32
    while offset + 32 <= header_length and dbf[offset] != 0x0D:
        names.append(dbf[offset : offset + 11].split(b"\0")[0])
        offset += 32
    return b"\n".join(names) + b"\n" + dbf[header_length:]


# --- arguments ------------------------------------------------------------------------------
def _layer_kind(kind: str | LayerKind) -> LayerKind:
    if isinstance(kind, LayerKind):
        return kind
    if kind in LAYERS:
        return LAYERS[kind]
    raise CogovError("import.unknown_layer_kind", kind=kind, kinds=", ".join(LAYERS))


def _coord_system(value: str | None) -> coords.CoordSystem | None:
    if value is None:
        return None
    try:
        return coords.coord_system(value)
    except ValueError:
        raise CogovError("import.unknown_coord_system", system=value) from None


def _parse_crs(crs: str | int, path: Path) -> pyproj.CRS:
    try:
        return pyproj.CRS.from_user_input(crs)
    except pyproj.exceptions.CRSError:
        raise CRSError("import.crs_invalid", file=path, crs=str(crs)) from None


def _kind_name(kind: LayerKind) -> LocalText:
    key = f"layer.{kind.name}"
    return LocalText(lambda language: i18n.t(key, language) if i18n.has(key) else kind.name)


def _family_name(family: str | None, language: str | None) -> str:
    key = f"import.geometry.{family}"
    return i18n.t(key, language) if i18n.has(key) else i18n.t("import.geometry.other", language)


def _allowed_families(kind: LayerKind) -> LocalText:
    return listed(kind.geometry, lambda family, language: _family_name(str(family), language))


# --- tables with lon/lat -------------------------------------------------------------------------
def _points_from_table(
    path: Path,
    kind: LayerKind,
    *,
    crs: str | int | None,
    lon: str | None,
    lat: str | None,
    encoding: str | None,
    sheet: str | None,
) -> _Features:
    """Read a table and build a point per row from its longitude and latitude columns."""
    if POINT not in kind.geometry:
        raise UnsupportedFormatError(
            "import.points_not_accepted", file=path, kind=_kind_name(kind), allowed=_allowed_families(kind)
        )
    source_crs = _parse_crs(crs, path) if crs is not None else pyproj.CRS.from_user_input(WGS84)
    table = read_table(path, encoding=encoding, sheet=sheet)
    lon_header, lat_header = _coordinate_headers(table, lon, lat, path)
    attributes = Table(
        table.frame.drop(columns=[lon_header, lat_header]), table.file, table.sheet, table.rows, table.header_row
    )
    checked, problems = review_records(attributes, kind.columns, file=path, key=kind.id_column, progress=progress_bar)
    x, y, coordinate_problems = _coordinates(table, lon_header, lat_header, geographic=source_crs.is_geographic)
    raise_problems(problems + coordinate_problems, file=path, sheet=table.sheet)
    notes: list[str] = []
    geometry = _to_wgs84(gpd.GeoSeries(shapely.points(x, y), crs=source_crs), path, notes)
    return _Features(checked, geometry, notes)


def _coordinate_headers(table: Table, lon: str | None, lat: str | None, path: Path) -> tuple[str, str]:
    headers = [str(h) for h in table.frame.columns]
    lon_header = _find_header(headers, (lon,) if lon else LON_ALIASES)
    lat_header = _find_header(headers, (lat,) if lat else LAT_ALIASES)
    if lon_header is None or lat_header is None:
        missing = [name for name, header in (("lon", lon_header), ("lat", lat_header)) if header is None]
        raise MissingColumnsError(
            "import.no_lon_lat",
            file=path,
            sheet=table.sheet,
            columns=listed_columns(missing),
            found=listed_headers(headers),
            missing=tuple(missing),
        )
    return lon_header, lat_header


def _find_header(headers: list[str], spellings: tuple[str, ...]) -> str | None:
    wanted = {normalise_header(s) for s in spellings}
    return next((h for h in headers if normalise_header(h) in wanted), None)


def _coordinates(
    table: Table, lon_header: str, lat_header: str, *, geographic: bool
) -> tuple[np.ndarray, np.ndarray, list[Problem]]:
    """Parse the coordinate columns; collect empty, non-numeric, out-of-range and swapped values."""
    x, problems = _coordinate_column(table, lon_header)
    y, more = _coordinate_column(table, lat_header)
    problems += more
    if geographic:
        problems += _degree_problems(table, x, y, lon_header, lat_header)
    return x, y, problems


def _coordinate_column(table: Table, header: str) -> tuple[np.ndarray, list[Problem]]:
    values = np.full(len(table.frame), np.nan)
    problems = []
    for index, text in enumerate(table.frame[header].tolist()):
        row = table.rows[index]
        if not text.strip():
            problems.append(Problem("import.required_empty", str(table.file), row, header, table.sheet))
            continue
        try:
            values[index] = parse_real(text)
        except ConversionError:
            params = {"value": text.strip()}
            problems.append(Problem("import.not_a_number", str(table.file), row, header, table.sheet, params))
    return values, problems


def _in_band(values: np.ndarray, band: tuple[float, float]) -> np.ndarray:
    return (values >= band[0]) & (values <= band[1])


def _degree_problems(table: Table, x: np.ndarray, y: np.ndarray, lon_header: str, lat_header: str) -> list[Problem]:
    """Out-of-range degrees, or one problem when the two columns are swapped.

    A table whose "latitudes" are mostly Chinese longitudes (and the other way
    round) gets a single clear message instead of one out-of-range line per row.
    """
    numeric = np.isfinite(x) & np.isfinite(y)
    swapped = numeric & _in_band(x, CHINA_LAT) & _in_band(y, CHINA_LON)
    problems = []
    if swapped.sum() * 2 > numeric.sum():
        params = {"lon": lon_header, "lat": lat_header, "count": int(swapped.sum())}
        problems.append(Problem("import.lon_lat_swapped", str(table.file), None, None, table.sheet, params))
    else:
        swapped[:] = False
    texts = (table.frame[lon_header].tolist(), table.frame[lat_header].tolist())
    for index in np.flatnonzero(numeric & ~swapped):
        row = table.rows[index]
        if abs(x[index]) > 180:
            params = {"value": texts[0][index].strip()}
            problems.append(Problem("import.lon_out_of_range", str(table.file), row, lon_header, table.sheet, params))
        if abs(y[index]) > 90:
            params = {"value": texts[1][index].strip()}
            problems.append(Problem("import.lat_out_of_range", str(table.file), row, lat_header, table.sheet, params))
    return problems


# --- placemarks (KML, KMZ, GPX) -------------------------------------------------------------------
def _features_from_placemarks(
    path: Path, kind: LayerKind, *, site_type: str | None, type_from: str | None
) -> _Features:
    """Read placemark by placemark; leave out (and list) the ones that cannot be used, keep the rest."""
    from cogov_toolkit.io.placemarks import read_placemarks, refuse_network_links

    found = read_placemarks(path)
    refuse_network_links(path, found)
    if not found.placemarks:
        raise EmptyFileError("import.no_placemarks", file=path, overlays=found.overlays)
    left_out = [
        _left_out(path, p.index, p.name, localised(f"import.placemark.{p.problem}", detail=p.detail))
        for p in found.placemarks
        if p.geometry is None
    ]
    usable = [p for p in found.placemarks if p.geometry is not None]
    notes: list[str] = []
    if found.network_links:
        notes.append(
            localised("import.note.network_links", count=len(found.network_links), links="、".join(found.network_links))
        )
    if found.overlays:
        notes.append(localised("import.note.overlays", count=found.overlays))
    if found.app:
        notes.append(
            localised(
                "import.note.app",
                app=found.app,
                system=localised(f"import.coord_system.{(found.app_system or coords.CoordSystem.WGS84).value}"),
            )
        )
    elif found.app is None and usable:
        notes.append(localised("import.note.assumed_wgs84"))
    if not usable:
        raise ValidationError("import.no_usable_placemarks", file=path, problems=left_out, count=len(left_out))
    declared, table, assigned = _placemark_table(path, kind, usable, site_type=site_type, type_from=type_from)
    notes += assigned
    geometry = np.array([p.geometry for p in usable], dtype=object)
    checked, problems = review_records(table, declared, file=path, key=kind.id_column)
    position_of = {p.index: i for i, p in enumerate(usable)}
    problems += [
        dataclasses.replace(p, row=usable[p.row - 1].index) if p.row is not None else p
        for p in geometry_problems(geometry, kind, path)
        if p.row is not None  # a mix of kinds is listed placemark by placemark instead
    ]
    raise_problems([p for p in problems if p.row is None], file=path)
    bad: dict[int, list[Problem]] = {}
    for problem in problems:
        bad.setdefault(int(problem.row), []).append(problem)  # type: ignore[arg-type]
    for index, listed_problems in sorted(bad.items()):
        placemark = usable[position_of[index]]
        why = listed(listed_problems, lambda p, language: i18n.t(f"error.{p.reason}", language, **p.params))
        left_out.append(_left_out(path, index, placemark.name, why))
    if len(bad) == len(usable):
        raise ValidationError(
            "import.no_usable_placemarks",
            file=path,
            problems=sorted(left_out, key=lambda p: p.row or 0),
            count=len(left_out),
        )
    keep = np.array([p.index not in bad for p in usable])
    checked = _subset(checked, keep)
    left_out.sort(key=lambda p: p.row or 0)
    return _Features(checked, geometry[keep], notes, left_out, found.app_system)


def _left_out(path: Path, index: int, name: str, why: object) -> Problem:
    shown = name or i18n.t("import.nameless")
    return Problem("import.placemark_left_out", str(path), index, None, None, {"name": shown, "why": why})


def _placemark_table(
    path: Path, kind: LayerKind, placemarks: list, *, site_type: str | None, type_from: str | None
) -> tuple[tuple[Column, ...], Table, list[str]]:
    """The placemarks' attributes as a Table (rows numbered by placemark), with what was assigned."""
    names = {c.name for c in kind.columns}
    name_column = "name" if "name" in names else ("label" if "label" in names else None)
    rows = []
    for p in placemarks:
        row = dict(p.data)
        resolved = {c.name for h in row if (c := resolve_column(kind.columns, h)) is not None}
        if name_column and p.name and name_column not in resolved:
            row[name_column] = p.name
        if "notes" in names and p.description and "notes" not in resolved:
            row["notes"] = p.description
        if p.folder:
            row.setdefault("folder", p.folder)
        rows.append(row)
    headers = list(dict.fromkeys(h for row in rows for h in row))
    frame = pd.DataFrame({h: [str(row.get(h, "")) for row in rows] for h in headers}, dtype=str)
    frame.index = pd.RangeIndex(len(rows))
    declared, frame, notes = _shapes_only(path, kind, frame, site_type=site_type, type_from=type_from)
    return declared, Table(frame, path, None, tuple(p.index for p in placemarks), header_row=None), notes


def _shapes_only(
    path: Path, kind: LayerKind, frame: pd.DataFrame, *, site_type: str | None, type_from: str | None
) -> tuple[tuple[Column, ...], pd.DataFrame, list[str]]:
    """Fill what a file of shapes only (KML, GPX, OpenStreetMap) lacks, and say so.

    Ids and numbers are assigned in file order, a building's label is its name (or
    id), the kind of site comes from ``site_type`` or ``type_from``, a site's status
    is the starting one; what a roster fills (units, floors, households, the
    neighbourhood) is left empty, never made up. Returns the columns to check
    against (those left empty made optional), the filled text frame and the notes.
    """
    frame = frame.copy()
    count = len(frame)
    notes: list[str] = []

    def present() -> dict[str, str]:
        return {c.name: h for h in frame.columns if (c := resolve_column(kind.columns, h)) is not None}

    names = {c.name for c in kind.columns}
    if kind.id_column not in present():
        prefix = ID_PREFIX.get(kind.name, "X")
        frame[kind.id_column] = [f"{prefix}{i:02d}" for i in range(1, count + 1)]
        notes.append(
            localised("import.note.ids_assigned", first=f"{prefix}01", last=f"{prefix}{count:02d}", count=count)
        )
    if "number" in names and "number" not in present():
        frame["number"] = [str(i) for i in range(1, count + 1)]
        notes.append(localised("import.note.numbers_assigned", count=count))
    if "label" in names and "label" not in present():
        source = next((h for h in frame.columns if normalise_header(h) in ("name", "name:zh")), None)
        ids = list(frame[present()[kind.id_column]])
        names = list(frame.pop(source)) if source else [""] * count  # a building's name, not a person's
        frame["label"] = [n.strip() or i for n, i in zip(names, ids, strict=True)]
    type_column = TYPE_COLUMN.get(kind.name)
    if type_column and type_column not in present():
        if site_type is not None:
            frame[type_column] = site_type
        elif type_from is not None:
            source = "folder" if type_from in ("folder", "文件夹") else type_from
            if source not in frame.columns:
                raise InputError(
                    "import.no_type_field", file=path, field=type_from, fields=listed_headers(frame.columns)
                )
            frame[type_column] = frame[source]
    status = DEFAULT_STATUS.get(kind.name)
    if status and "status" not in present():
        frame["status"] = status
        enum = next(c.enum for c in kind.columns if c.name == "status")
        shown = LocalText(lambda language: i18n.label(enum, status, language))
        notes.append(localised("import.note.status_default", status=shown))
    found = present()
    later = [c for c in kind.columns if c.required and c.name not in found and c.name != type_column]
    if later:
        notes.append(localised("import.note.left_empty", columns=listed_columns(c.name for c in later)))
    declared = tuple(dataclasses.replace(c, required=False) if c in later else c for c in kind.columns)
    return declared, frame, notes


def _subset(checked: CheckedTable, keep: np.ndarray) -> CheckedTable:
    """Return the checked table without the rows left out."""
    index = np.flatnonzero(keep)
    return dataclasses.replace(
        checked,
        frame=checked.frame.iloc[index].reset_index(drop=True),
        personal=checked.personal.iloc[index].reset_index(drop=True),
        extra=checked.extra.iloc[index].reset_index(drop=True),
        rows=tuple(checked.rows[i] for i in index),
    )


# --- GIS files ---------------------------------------------------------------------------------------
@dataclass
class _Source:
    """What GDAL is asked to open, and how."""

    path: str
    layer: str | None = None
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)


def _features_from_gis(
    path: Path,
    kind: LayerKind,
    *,
    crs: str | int | None,
    layer: str | None,
    encoding: str | None,
    outlines: bool = False,
    site_type: str | None = None,
    type_from: str | None = None,
    within: shapely.Geometry | None = None,
) -> _Features:
    """Read a GIS file, check its attributes and geometries, and return it in WGS-84."""
    suffix = path.suffix.lower()
    if suffix in (".osm", ".pbf") and layer is None:
        layer = OSM_LAYER.get(kind.name)
    source = _gis_source(path, suffix, layer, encoding)
    frame = _read_dataframe(path, source, _FORMAT_OF_SUFFIX[suffix])
    if len(frame) == 0:
        raise EmptyFileError(file=path)
    if suffix in (".kml", ".kmz"):
        frame = _without_kml_plumbing(frame, kind)
    if suffix in (".shp", ".zip"):
        frame = frame.rename(columns=_expanded_shapefile_names(frame.columns, kind))
    frame = _with_crs(frame, path, crs)
    from_osm = kind.name in OSM_LAYER and is_osm_table(frame.columns)
    if from_osm:
        frame = _from_osm(frame, kind, path, source.notes)
    frame = _dissolved_pieces(frame, kind, source.notes)
    geometry = _to_wgs84(frame.geometry, path, source.notes)
    if within is not None:
        frame, geometry = _inside(frame, geometry, within, kind, path, source.notes)
        if from_osm:  # numbered again without the gaps of what was left outside
            frame["number"] = _numbers(frame[kind.id_column])
    table = _attribute_table(frame, path)
    declared = kind.columns
    if outlines:
        declared, filled, notes = _shapes_only(path, kind, table.frame, site_type=site_type, type_from=type_from)
        table = dataclasses.replace(table, frame=filled)
        source.notes.extend(notes)
    checked, problems = review_records(table, declared, file=path, key=kind.id_column, progress=progress_bar)
    problems += geometry_problems(geometry, kind, path)
    raise_problems(problems, file=path)
    return _Features(checked, geometry, source.notes)


def _dissolved_pieces(frame: gpd.GeoDataFrame, kind: LayerKind, notes: list[str]) -> gpd.GeoDataFrame:
    """Merge polygons that share an id and touch (a building cut by map tiles) into one feature, with a note.

    OpenStreetMap extracts cut by vector tiles repeat a building's id on each piece.
    Pieces that do not touch keep their ids, and the duplicate-id check then lists them:
    two separate shapes with one id is a real mistake, not a tile cut.
    """
    header = next(
        (h for h in frame.columns if (c := resolve_column(kind.columns, h)) is not None and c.name == kind.id_column),
        None,
    )
    if header is None or (POLYGON not in kind.geometry and kind.geometry != (LINE,)):
        return frame
    ids = frame[header]
    repeated = ids[ids.notna() & ids.duplicated(keep=False)]
    if repeated.empty:
        return frame
    drop: list[int] = []
    merged: list[str] = []
    joined: list[str] = []  # lines
    geometry = frame.geometry.copy()
    for value, positions in repeated.groupby(repeated.map(cell_text)).groups.items():
        pieces = frame.geometry.loc[positions]
        if pieces.geom_type.isin(["LineString", "MultiLineString"]).all() and kind.geometry == (LINE,):
            # a way cut by tiles: its pieces joined end to end (one line, or one feature of several lines)
            whole = shapely.line_merge(shapely.union_all(pieces.values))
            if whole.geom_type not in ("LineString", "MultiLineString"):
                continue
            geometry.loc[positions[0]] = whole
            drop += list(positions[1:])
            joined.append(str(value))
            continue
        if not pieces.geom_type.isin(["Polygon", "MultiPolygon"]).all() or not pieces.is_valid.all():
            continue
        whole = shapely.union_all(pieces.values)
        if whole.geom_type != "Polygon":
            continue  # separate shapes with one id: left for the duplicate-id check
        geometry.loc[positions[0]] = whole
        drop += list(positions[1:])
        merged.append(str(value))
    if not merged and not joined:
        return frame
    frame = frame.set_geometry(geometry).drop(index=drop).reset_index(drop=True)
    for key, ids in (("import.note.dissolved", merged), ("import.osm.joined", joined)):
        if ids:
            shown = "、".join(ids[:20]) + ("…" if len(ids) > 20 else "")
            notes.append(localised(key, count=len(ids), ids=shown))
    return frame


def _from_osm(frame: gpd.GeoDataFrame, kind: LayerKind, path: Path, notes: list[str]) -> gpd.GeoDataFrame:
    """Turn OpenStreetMap tags into the layer's id, name and kind; count and leave out what is not of the layer."""
    from cogov_toolkit.io.osm import translate

    rows = translate(pd.DataFrame(frame.drop(columns=frame.geometry.name)), kind.name)
    shown = LocalText(lambda language: i18n.t(f"layer.{kind.name}", language))
    left = "、".join(f"{tag} {n}" for tag, n in rows.left_out.most_common(8))
    if rows.left_out.total() > 8 and len(rows.left_out) > 8:
        left += "…"
    if not len(rows.frame):
        raise EmptyFileError("import.osm.nothing", file=path, kind=shown, found=left or "-")
    out = gpd.GeoDataFrame(rows.frame, geometry=frame.geometry.iloc[rows.kept].to_numpy(), crs=frame.crs)
    id_column = kind.id_column
    if POINT in kind.geometry and LINE not in kind.geometry:
        # a node cut by tiles repeats with its id: one landmark each
        repeated = out[id_column].notna() & out[id_column].duplicated()
        if repeated.any():
            notes.append(localised("import.osm.repeats", count=int(repeated.sum())))
            out = out[~repeated].reset_index(drop=True)
    missing = out[id_column].isna()
    if missing.any():
        prefix = ID_PREFIX.get(kind.name, "X")
        out.loc[missing, id_column] = [f"{prefix}{i:02d}" for i in range(1, int(missing.sum()) + 1)]
    out["number"] = _numbers(out[id_column])
    counts = out.drop_duplicates(id_column)["kind"].value_counts()  # a way cut by tiles counts once
    found = LocalText(
        lambda language: "、".join(
            f"{i18n.label(kind.column('kind').enum, code, language)} {int(n)}" for code, n in counts.items()
        )
    )
    notes.append(localised("import.osm.read", count=int(counts.sum()), kind=shown, found=found))
    if rows.left_out:
        notes.append(localised("import.osm.left_out", count=rows.left_out.total(), kind=shown, tags=left))
    return out


def _numbers(ids: pd.Series) -> np.ndarray:
    """Numbers 1, 2 … in the file's order, one per id (a way cut by tiles keeps one): how a planner names them."""
    return pd.factorize(ids)[0] + 1


def _inside(
    frame: gpd.GeoDataFrame, geometry: np.ndarray, within: shapely.Geometry, kind: LayerKind, path: Path, notes: list
) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Keep the features within :data:`WITHIN_MARGIN_M` of ``within``, lines cut at that margin; note what was not."""
    centre = shapely.centroid(within)
    area_crs = area_crs_for(float(centre.x))
    area = gpd.GeoSeries([within], crs=WGS84).to_crs(area_crs).buffer(WITHIN_MARGIN_M).to_crs(WGS84).iloc[0]
    present = np.array([g is not None and not g.is_empty for g in geometry], dtype=bool)
    hits = present.copy()
    hits[present] = shapely.intersects(geometry[present], area)
    out = geometry.copy()
    cut = 0
    for i in np.flatnonzero(hits):
        shape = geometry[i]
        if shape.geom_type not in ("LineString", "MultiLineString") or shapely.within(shape, area):
            continue
        parts = [p for p in shapely.get_parts(shapely.intersection(shape, area)) if p.geom_type == "LineString"]
        if not parts:
            hits[i] = False
            continue
        out[i] = parts[0] if len(parts) == 1 else shapely.MultiLineString(parts)
        cut += 1
    keep = hits | ~present  # a missing geometry stays, for the geometry check to name it
    outside = int((~keep).sum())
    shown = LocalText(lambda language: i18n.t(f"layer.{kind.name}", language))
    if outside or cut:
        notes.append(localised("import.note.outside", count=outside, cut=cut, kind=shown, margin=int(WITHIN_MARGIN_M)))
    if not keep.any():
        raise EmptyFileError("import.nothing_inside", file=path, kind=shown, margin=int(WITHIN_MARGIN_M))
    index = np.flatnonzero(keep)
    return frame.iloc[index].reset_index(drop=True), out[index]


def _gis_source(path: Path, suffix: str, layer: str | None, encoding: str | None) -> _Source:
    """Return what GDAL should open (inside a zip, which layer) and the attribute encoding to use."""
    if suffix == ".zip":
        source, dbf, has_cpg = _shapefile_in_zip(path, layer)
    elif suffix == ".shp":
        source, dbf, has_cpg = _Source(str(path)), *_shapefile_parts(path)
    elif suffix == ".kmz":
        inner = _kml_in_kmz(path)
        source, dbf, has_cpg = _Source(inner, _choose_layer(path, layer, inner)), None, True
    else:
        source, dbf, has_cpg = _Source(str(path), _choose_layer(path, layer)), None, True
    source.encoding = encoding
    if dbf is not None and not _dbf_complete(dbf):
        raise CorruptFileError(file=path, detail=localised("import.detail.dbf_cut"))
    if dbf is not None and encoding is None and not has_cpg:
        source.encoding = dbf_encoding(dbf)
        if source.encoding != "utf-8":
            shown = "GBK/GB18030" if source.encoding == "gb18030" else source.encoding
            source.notes.append(localised("import.note.encoding_guessed", encoding=shown))
    return source


def _shapefile_parts(path: Path) -> tuple[bytes, bool]:
    """Return the .dbf bytes and whether a .cpg exists; a missing .shx or .dbf is a broken shapefile."""
    siblings = {p.suffix.lower(): p for p in path.parent.iterdir() if p.stem.lower() == path.stem.lower()}
    missing = [suffix for suffix in (".shx", ".dbf") if suffix not in siblings]
    if missing:
        detail = localised("import.detail.shapefile_parts", missing=", ".join(path.stem + s for s in missing))
        raise CorruptFileError(file=path, detail=detail)
    from cogov_toolkit.io.archives import check_file_size

    check_file_size(siblings[".dbf"])
    return siblings[".dbf"].read_bytes(), ".cpg" in siblings


def _shapefile_in_zip(path: Path, layer: str | None) -> tuple[_Source, bytes, bool]:
    """Find the one shapefile in a zip (or the one named ``layer``) and read its .dbf."""
    from cogov_toolkit.io.archives import open_zip, read_member

    try:
        with open_zip(path) as archive:
            names = [n for n in archive.namelist() if not n.startswith("__MACOSX/")]
            member = _zipped_shapefile(path, names, layer)
            stem = member[:-4]
            parts = {n.lower()[len(stem) :]: n for n in names if n.lower().startswith(stem.lower())}
            missing = [suffix for suffix in (".shx", ".dbf") if suffix not in parts]
            if missing:
                detail = localised(
                    "import.detail.shapefile_parts", missing=", ".join(Path(stem).name + s for s in missing)
                )
                raise CorruptFileError(file=path, detail=detail)
            dbf = read_member(archive, parts[".dbf"], path)
            has_cpg = ".cpg" in parts
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise CorruptFileError(file=path, detail=localised("import.detail.broken_zip")) from exc
    return _Source(f"/vsizip/{path.resolve().as_posix()}/{member}"), dbf, has_cpg


def _zipped_shapefile(path: Path, names: list[str], layer: str | None) -> str:
    shapefiles = [n for n in names if n.lower().endswith(".shp")]
    if layer is not None:
        chosen = [n for n in shapefiles if layer in (n, Path(n).name, Path(n).stem)]
        if not chosen:
            raise InputError("import.no_such_layer", file=path, layer=layer, layers=listed_headers(shapefiles))
        return chosen[0]
    if not shapefiles:
        raise InputError("import.zip_no_shapefile", file=path)
    if len(shapefiles) > 1:
        raise InputError("import.zip_many_shapefiles", file=path, layers=listed_headers(shapefiles))
    return shapefiles[0]


def _kml_in_kmz(path: Path) -> str:
    """Return the GDAL path of the main .kml inside a .kmz.

    Read through /vsizip/: LIBKML opening the .kmz itself loses the
    ExtendedData schema, and with it every attribute.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".kml")]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise CorruptFileError(file=path, detail=localised("import.detail.broken_zip")) from exc
    if not names:
        raise CorruptFileError(file=path, detail=localised("import.detail.kmz_without_kml"))
    # Google Earth names the main file doc.kml; otherwise the top-most .kml is the document
    main = "doc.kml" if "doc.kml" in names else min(names, key=lambda n: (n.count("/"), n))
    return f"/vsizip/{path.resolve().as_posix()}/{main}"


def _choose_layer(path: Path, layer: str | None, gdal_path: str | None = None) -> str | None:
    """Return the layer to read: the one named, or the only layer with geometries."""
    try:
        layers = pyogrio.list_layers(gdal_path or str(path))
    except Exception as exc:  # pyogrio's DataSourceError and friends: GDAL cannot open it at all
        raise CorruptFileError(file=path, detail=_gdal_detail(exc, path)) from exc
    names = [str(name) for name, _ in layers]
    if layer is not None:
        if layer not in names:
            raise InputError("import.no_such_layer", file=path, layer=layer, layers=listed_headers(names))
        return layer
    spatial = [str(name) for name, geometry_type in layers if geometry_type is not None]
    if not spatial:
        raise InputError("import.no_layers", file=path)
    if len(spatial) > 1:
        raise InputError("import.choose_layer", file=path, layers=listed_headers(spatial))
    return spatial[0]


def _read_dataframe(path: Path, source: _Source, file_format: str) -> gpd.GeoDataFrame:
    """Read with pyogrio, turning every GDAL, decoding or parsing failure into a toolkit error."""
    options = _KML_READ_OPTIONS if file_format == "kml" else {}
    try:
        with warnings.catch_warnings(), _gdal_config(options):
            # pyogrio's own notes ("could not parse column as JSON") mean nothing to a planner;
            # what matters is checked field by field afterwards
            warnings.simplefilter("ignore")
            return pyogrio.read_dataframe(source.path, layer=source.layer, encoding=source.encoding, force_2d=True)
    except UnicodeDecodeError as exc:
        raise EncodingError("import.attribute_encoding", file=path, encoding=source.encoding or "") from exc
    except Exception as exc:  # DataSourceError, DataLayerError, FieldError …: the file is not what it says
        raise CorruptFileError(file=path, detail=_gdal_detail(exc, path, file_format)) from exc


@contextlib.contextmanager
def _gdal_config(options: dict[str, str]) -> Iterator[None]:
    """Set GDAL configuration options for one read, restoring the previous values afterwards."""
    previous = {name: pyogrio.get_gdal_config_option(name) for name in options}
    pyogrio.set_gdal_config_options(options)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(previous)


def _gdal_detail(exc: Exception, path: Path, file_format: str | None = None) -> LocalText:
    """Return GDAL's message, shortened and without the full path, inside a translated frame."""
    message = str(exc).split("; It might help", 1)[0].replace(str(path), path.name).strip(" .;")
    shown_format = file_format or _FORMAT_OF_SUFFIX.get(path.suffix.lower(), "geojson")
    if "not recognized as being in a supported file format" in message:
        return LocalText(
            lambda language: i18n.t(
                "import.detail.not_recognised", language, format=i18n.t(f"import.format.{shown_format}", language)
            )
        )
    return LocalText(
        lambda language: i18n.t(
            "import.detail.gis", language, format=i18n.t(f"import.format.{shown_format}", language), error=message
        )
    )


def _without_kml_plumbing(frame: gpd.GeoDataFrame, kind: LayerKind) -> gpd.GeoDataFrame:
    """Drop the fields LIBKML adds to every placemark, and empty Name/description fields.

    A placemark's Name is the feature's label in KML from Google Earth or 两步路;
    in a layer with a ``label`` but no ``name`` column it is taken as the label.
    """
    drop = [c for c in frame.columns if c in _KML_SYSTEM_FIELDS]
    drop += [c for c in ("Name", "description") if c in frame.columns and not frame[c].notna().any()]
    frame = frame.drop(columns=drop)
    headers = [c for c in frame.columns if c != frame.geometry.name]
    names = {c.name for c in kind.columns}
    has_label = any((col := resolve_column(kind.columns, h)) is not None and col.name == "label" for h in headers)
    if "Name" in frame.columns and "name" not in names and "label" in names and not has_label:
        frame = frame.rename(columns={"Name": "label"})
    return frame


def _expanded_shapefile_names(headers: pd.Index, kind: LayerKind) -> dict[str, str]:
    """Map shapefile field names cut to 10 characters (``neighbourh``) back to the declared name."""
    renames = {}
    for header in headers:
        if len(str(header)) != 10 or resolve_column(kind.columns, header) is not None:
            continue
        candidates = [c.name for c in kind.columns if c.name.lower().startswith(str(header).lower())]
        if len(candidates) == 1:
            renames[header] = candidates[0]
    return renames


def _with_crs(frame: gpd.GeoDataFrame, path: Path, crs: str | int | None) -> gpd.GeoDataFrame:
    if crs is not None:
        return frame.set_crs(_parse_crs(crs, path), allow_override=True)
    if frame.crs is None:
        raise CRSError("import.crs_missing", file=path)
    return frame


def _to_wgs84(geometry: gpd.GeoSeries, path: Path, notes: list[str]) -> np.ndarray:
    """Return the geometries in EPSG:4326 as an array, noting a projected source."""
    source = geometry.crs
    if source is not None and source.to_epsg() != 4326:
        try:
            geometry = geometry.to_crs(WGS84)
        except Exception as exc:  # pyproj cannot build the transformation
            raise CRSError("import.crs_invalid", file=path, crs=source.to_string()) from exc
        if not source.is_geographic:
            notes.append(localised("import.note.reprojected", crs=source.to_string()))
    return np.asarray(geometry.values, dtype=object)


def _attribute_table(frame: gpd.GeoDataFrame, path: Path) -> Table:
    """Return a GIS file's attributes as a Table of text, rows numbered by feature from 1."""
    columns = [c for c in frame.columns if c != frame.geometry.name]
    data = {str(c): [cell_text(v) for v in frame[c].tolist()] for c in columns}
    index = pd.RangeIndex(len(frame))
    text = pd.DataFrame(data, index=index, dtype=str) if data else pd.DataFrame(index=index)
    return Table(text, path, None, tuple(range(1, len(frame) + 1)), header_row=None)


# --- geometry checks ------------------------------------------------------------------------------------
def geometry_problems(geometry: np.ndarray, kind: LayerKind, file: str | Path) -> list[Problem]:
    """Return every problem of a layer's geometries (row = feature number from 1).

    Checks: empty or missing geometry, a family the layer does not accept (and
    mixed families in a single-family layer), coordinates that are not
    degrees, and invalid geometry with GEOS's reason.
    """
    problems = []
    families = Counter()
    allowed = _allowed_families(kind)
    for row, shape in enumerate(geometry, start=1):
        if shape is None or shape.is_empty:
            problems.append(Problem("import.empty_geometry", str(file), row))
            continue
        family = _FAMILY_OF_TYPE.get(shape.geom_type)
        families[family] += 1
        if family not in kind.geometry:
            found = LocalText(lambda language, f=family: _family_name(f, language))
            params = {"found": found, "kind": _kind_name(kind), "allowed": allowed}
            problems.append(Problem("import.wrong_geometry", str(file), row, None, None, params))
        elif not _within_degrees(shape):
            x, y = shapely.get_coordinates(shape)[0]
            params = {"x": f"{x:.10g}", "y": f"{y:.10g}"}
            problems.append(Problem("import.coordinates_out_of_range", str(file), row, None, None, params))
        elif not shapely.is_valid(shape):
            problems.append(Problem("import.invalid_geometry", str(file), row, None, None, _validity_params(shape)))
    if len(kind.geometry) == 1 and len(families) > 1:
        problems.append(_mixed_problem(families, kind, file))
    return problems


def _within_degrees(shape: shapely.Geometry) -> bool:
    xmin, ymin, xmax, ymax = shapely.bounds(shape)
    return bool(
        np.isfinite([xmin, ymin, xmax, ymax]).all() and -180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90
    )


def _validity_params(shape: shapely.Geometry) -> dict[str, object]:
    """Return GEOS's reason (as is) and a translated explanation with its location."""
    reason = shapely.is_valid_reason(shape)
    text, _, where = reason.partition("[")
    key = f"import.validity.{_VALIDITY_KEYS.get(text.strip(), 'other')}"
    parts = where.rstrip("]").split()
    if len(parts) >= 2:
        x, y = (f"{float(v):.6f}" for v in parts[:2])
        explanation = LocalText(
            lambda language: i18n.t("import.validity.location", language, explanation=i18n.t(key, language), x=x, y=y)
        )
    else:
        explanation = localised(key)
    return {"explanation": explanation, "reason": reason}


def _mixed_problem(families: Counter, kind: LayerKind, file: str | Path) -> Problem:
    counts = sorted(families.items(), key=lambda item: -item[1])
    found = listed(
        counts,
        lambda item, language: i18n.t(
            "import.family_count", language, family=_family_name(item[0], language), count=item[1]
        ),
    )
    return Problem(
        "import.mixed_geometry",
        str(file),
        None,
        None,
        None,
        {"found": found, "kind": _kind_name(kind), "allowed": _allowed_families(kind)},
    )


# --- finishing -------------------------------------------------------------------------------------------
def _finish(features: _Features, kind: LayerKind, system: coords.CoordSystem, path: Path) -> ImportedLayer:
    """Convert web-map coordinates, promote polygons, fill areas and assemble the result."""
    notes = list(features.notes)
    geometry = features.geometry
    if system is not coords.CoordSystem.WGS84:
        geometry = coords.transform_geometry(geometry, lambda x, y: coords.to_wgs84(x, y, system))
        notes.append(localised("import.note.converted", system=localised(f"import.coord_system.{system.value}")))
    geometry = _promoted(geometry, kind)
    checked = features.checked
    frame = gpd.GeoDataFrame(checked.frame.copy(), geometry=list(geometry), crs=WGS84)
    filled = _fill_area(frame)
    if filled:
        notes.append(localised("import.note.area_filled", count=filled[0], crs=filled[1]))
    notes += checked.notes()
    if features.left_out:
        notes.append(
            localised("import.note.left_out", count=len(features.left_out), total=len(frame) + len(features.left_out))
        )
    return ImportedLayer(
        frame=frame,
        kind=kind.name,
        personal=checked.personal,
        dropped_columns=checked.dropped_columns,
        unknown_columns=checked.unknown_columns,
        warnings=tuple(notes),
        file=path,
        rows=checked.rows,
        left_out=tuple(features.left_out),
        coord_system=system.value,
    )


def _promoted(geometry: np.ndarray, kind: LayerKind) -> np.ndarray:
    """Return Polygons (LineStrings) as MultiPolygons (MultiLineStrings) in polygon-only (line-only) layers."""
    if kind.geometry == (POLYGON,):
        single, multi = "Polygon", shapely.MultiPolygon
    elif kind.geometry == (LINE,):
        single, multi = "LineString", shapely.MultiLineString
    else:
        return geometry
    return np.array([multi([g]) if g is not None and g.geom_type == single else g for g in geometry], dtype=object)


def _fill_area(frame: gpd.GeoDataFrame) -> tuple[int, str] | None:
    """Compute ``area_m2`` of polygons left empty, in the layer's CGCS2000 zone; return (count, CRS)."""
    if "area_m2" not in frame.columns:
        return None
    polygonal = frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    todo = polygonal & frame["area_m2"].isna().to_numpy()
    if not todo.any():
        return None
    centre = float(np.mean(shapely.get_x(shapely.centroid(frame.geometry.values[polygonal]))))
    area_crs = area_crs_for(centre)
    areas = frame.geometry[todo].to_crs(area_crs).area.round(2)
    frame.loc[todo, "area_m2"] = areas.to_numpy()
    return int(todo.sum()), area_crs


__all__ = [
    "GIS_SUFFIXES",
    "LON_ALIASES",
    "LAT_ALIASES",
    "ImportedLayer",
    "read_layer",
    "dbf_encoding",
    "geometry_problems",
]
