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
from cogov_toolkit.core.schema import LAYERS, POINT, POLYGON, LayerKind, normalise_header, resolve_column
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
)
from cogov_toolkit.geo.crs import CHINA_LAT, CHINA_LON, WGS84, area_crs_for, far_from_china_note
from cogov_toolkit.i18n.text import LocalText, listed, listed_columns, listed_headers, localised
from cogov_toolkit.io.tables import TABLE_SUFFIXES, cell_text, progress_bar, read_table, require_file

#: suffixes read with GDAL (through pyogrio)
GIS_SUFFIXES = (".geojson", ".json", ".shp", ".zip", ".gpkg", ".kml", ".kmz")
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
}
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
    """

    frame: gpd.GeoDataFrame
    kind: str
    personal: pd.DataFrame
    dropped_columns: tuple[str, ...]
    unknown_columns: tuple[str, ...]
    warnings: tuple[str, ...]
    file: Path
    rows: tuple[int, ...]


@dataclass
class _Features:
    """Checked attributes and WGS-84 geometries, before conversion and finishing."""

    checked: CheckedTable
    geometry: np.ndarray
    notes: list[str] = field(default_factory=list)


def read_layer(
    path: str | Path,
    kind: str,
    *,
    coord_system: str = "wgs84",
    crs: str | int | None = None,
    layer: str | None = None,
    lon: str | None = None,
    lat: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
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
    coord_system : {"wgs84", "gcj02", "bd09"}
        The web-map system of the coordinates: ``"gcj02"`` for points taken from
        Gaode/AMap or Tencent maps, ``"bd09"`` for Baidu; they are converted to WGS-84.
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
    elif suffix in GIS_SUFFIXES:
        features = _features_from_gis(path, layer_kind, crs=crs, layer=layer, encoding=encoding)
    else:
        supported = ", ".join(GIS_SUFFIXES + TABLE_SUFFIXES)
        raise UnsupportedFormatError(
            "import.unsupported_format", file=path, suffix=suffix or path.name, supported=supported
        )
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


def _coord_system(value: str) -> coords.CoordSystem:
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


# --- GIS files ---------------------------------------------------------------------------------------
@dataclass
class _Source:
    """What GDAL is asked to open, and how."""

    path: str
    layer: str | None = None
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)


def _features_from_gis(
    path: Path, kind: LayerKind, *, crs: str | int | None, layer: str | None, encoding: str | None
) -> _Features:
    """Read a GIS file, check its attributes and geometries, and return it in WGS-84."""
    suffix = path.suffix.lower()
    source = _gis_source(path, suffix, layer, encoding)
    frame = _read_dataframe(path, source, _FORMAT_OF_SUFFIX[suffix])
    if len(frame) == 0:
        raise EmptyFileError(file=path)
    if suffix in (".kml", ".kmz"):
        frame = _without_kml_plumbing(frame, kind)
    if suffix in (".shp", ".zip"):
        frame = frame.rename(columns=_expanded_shapefile_names(frame.columns, kind))
    frame = _with_crs(frame, path, crs)
    geometry = _to_wgs84(frame.geometry, path, source.notes)
    checked, problems = review_records(
        _attribute_table(frame, path), kind.columns, file=path, key=kind.id_column, progress=progress_bar
    )
    problems += geometry_problems(geometry, kind, path)
    raise_problems(problems, file=path)
    return _Features(checked, geometry, source.notes)


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
    return siblings[".dbf"].read_bytes(), ".cpg" in siblings


def _shapefile_in_zip(path: Path, layer: str | None) -> tuple[_Source, bytes, bool]:
    """Find the one shapefile in a zip (or the one named ``layer``) and read its .dbf."""
    try:
        with zipfile.ZipFile(path) as archive:
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
            dbf = archive.read(parts[".dbf"])
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
    return ImportedLayer(
        frame=frame,
        kind=kind.name,
        personal=checked.personal,
        dropped_columns=checked.dropped_columns,
        unknown_columns=checked.unknown_columns,
        warnings=tuple(notes),
        file=path,
        rows=checked.rows,
    )


def _promoted(geometry: np.ndarray, kind: LayerKind) -> np.ndarray:
    """Return Polygons as MultiPolygons when the layer holds polygons only (one storage type)."""
    if kind.geometry != (POLYGON,):
        return geometry
    return np.array(
        [shapely.MultiPolygon([g]) if g is not None and g.geom_type == "Polygon" else g for g in geometry],
        dtype=object,
    )


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
