"""Placemarks from phone map apps and Google Earth (KML/KMZ) and GPS tracks (GPX), one by one.

GDAL reads KML whole and drops a malformed placemark without a word (or reads
``no,no`` as 0,0). Planners' files come from 两步路, 六只脚, 奥维, Google Earth and
colleagues' phones, and one bad placemark must not sink the others, so this module
reads every ``<Placemark>`` (and every GPX waypoint, track and route) itself:
its index, name, description, folder, ExtendedData (``Data`` and ``SimpleData``)
and geometry, or why the geometry cannot be used. ``NetworkLink``s (a link to a
file on the internet) are listed, never followed.

The XML parser is the standard library's expat, which expands no external entity;
KMZ members pass through :func:`cogov_toolkit.io.archives.read_member`, which
refuses a member that would inflate past the toolkit's cap.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import shapely

from cogov_toolkit.core.coords import CoordSystem
from cogov_toolkit.errors import CorruptFileError, InputError, PlacemarkError
from cogov_toolkit.i18n.text import localised
from cogov_toolkit.io.archives import MAX_MEMBER_BYTES, open_zip, read_member


@dataclass(frozen=True)
class Placemark:
    """One placemark (or GPX waypoint/track/route) as read: its place in the file and what it holds.

    ``geometry`` is None when the placemark cannot be used; ``problem`` (an
    ``import.placemark.<key>`` catalog key) and ``detail`` then say why.
    """

    index: int
    name: str
    description: str
    folder: str
    data: dict[str, str]
    geometry: shapely.Geometry | None
    problem: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class PlacemarkFile:
    """Every placemark of a file, the links and overlays left out, and the app that wrote it (when it says)."""

    placemarks: tuple[Placemark, ...]
    network_links: tuple[str, ...] = ()
    overlays: int = 0
    app: str | None = None
    app_system: CoordSystem | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


# apps whose exports say who wrote them, and the coordinate system they write in
_APP_MARKERS: tuple[tuple[str, str, CoordSystem], ...] = (
    ("高德", "高德地图", CoordSystem.GCJ02),
    ("amap", "高德地图", CoordSystem.GCJ02),
    ("autonavi", "高德地图", CoordSystem.GCJ02),
    ("腾讯地图", "腾讯地图", CoordSystem.GCJ02),
    ("tencent", "腾讯地图", CoordSystem.GCJ02),
    ("百度", "百度地图", CoordSystem.BD09),
    ("baidu", "百度地图", CoordSystem.BD09),
    ("2bulu", "两步路", CoordSystem.WGS84),
    ("两步路", "两步路", CoordSystem.WGS84),
    ("foooooot", "六只脚", CoordSystem.WGS84),
    ("六只脚", "六只脚", CoordSystem.WGS84),
    ("google earth", "Google Earth", CoordSystem.WGS84),
)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


_Bad = PlacemarkError  # one placemark's geometry cannot be used: listed, and the reader goes on


def read_placemarks(path: Path) -> PlacemarkFile:
    """Read every placemark of a ``.kml``, ``.kmz`` or ``.gpx``.

    Raises
    ------
    CorruptFileError
        When the file is not well-formed XML, or a KMZ is a broken zip or holds no .kml.
    ArchiveTooLargeError
        When a KMZ member would inflate past the cap.
    """
    suffix = path.suffix.lower()
    data = _kml_bytes_of_kmz(path) if suffix == ".kmz" else _file_bytes(path)
    root = _parse(path, data)
    app, system = _app_of(data, root)
    if _local(root.tag) == "gpx":
        return PlacemarkFile(tuple(_gpx_placemarks(root)), app=app, app_system=system)
    placemarks: list[Placemark] = []
    links: list[str] = []
    overlays = 0
    for element, folder in _walk(root, ""):
        tag = _local(element.tag)
        if tag == "Placemark":
            placemarks.append(_placemark(element, len(placemarks) + 1, folder))
        elif tag == "NetworkLink":
            links.append(_text(_child_path(element, "Link", "href")) or _text(_child_path(element, "Url", "href")))
        elif tag in ("GroundOverlay", "ScreenOverlay", "PhotoOverlay"):
            overlays += 1
    return PlacemarkFile(tuple(placemarks), tuple(links), overlays, app, system)


def _file_bytes(path: Path) -> bytes:
    if path.stat().st_size > MAX_MEMBER_BYTES:
        from cogov_toolkit.errors import ArchiveTooLargeError

        raise ArchiveTooLargeError(file=path, member=path.name, size=path.stat().st_size, limit=MAX_MEMBER_BYTES)
    return path.read_bytes()


def _kml_bytes_of_kmz(path: Path) -> bytes:
    with open_zip(path) as archive:
        names = [n for n in archive.namelist() if n.lower().endswith(".kml")]
        if not names:
            raise CorruptFileError(file=path, detail=localised("import.detail.kmz_without_kml"))
        # Google Earth names the main file doc.kml; otherwise the top-most .kml is the document
        main = "doc.kml" if "doc.kml" in names else min(names, key=lambda n: (n.count("/"), n))
        return read_member(archive, main, path)


def _parse(path: Path, data: bytes) -> ET.Element:
    if b"<!ENTITY" in data[:4096]:  # no document type tricks (entity bombs) in a map file
        raise CorruptFileError(file=path, detail=localised("import.detail.xml_entities"))
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        line, _ = exc.position
        raise CorruptFileError(file=path, row=line, detail=localised("import.detail.bad_xml", error=str(exc))) from None


def _local(tag: object) -> str:
    """A tag without its namespace: ``{http://www.opengis.net/kml/2.2}Point`` -> ``Point``."""
    text = str(tag)
    return text.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next((child for child in element if _local(child.tag) == name), None)


def _child_path(element: ET.Element, *names: str) -> ET.Element | None:
    for name in names:
        if element is None:
            return None
        element = _child(element, name)
    return element


def _text(element: ET.Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _walk(element: ET.Element, folder: str):
    """Yield (element, innermost folder name) for every element below ``element`` (placemarks not descended)."""
    for child in element:
        tag = _local(child.tag)
        yield child, folder
        if tag in ("Folder", "Document"):
            name = _text(_child(child, "name"))
            yield from _walk(child, name if tag == "Folder" and name else folder)
        elif tag not in ("Placemark", "NetworkLink"):
            yield from _walk(child, folder)


def _app_of(data: bytes, root: ET.Element) -> tuple[str | None, CoordSystem | None]:
    """Return the app that wrote the file and its coordinate system, when the file says (GPX creator, KML comments)."""
    head = data[:4096].decode("utf-8", errors="ignore").lower()
    creator = str(root.attrib.get("creator", "")).lower()
    names = " ".join(_text(e) for e in root.iter() if _local(e.tag) in ("name", "author", "generator", "Snippet"))
    haystack = " ".join((creator, head, names[:2000].lower()))
    for marker, app, system in _APP_MARKERS:
        if marker in haystack:
            return app, system
    return None, None


def _placemark(element: ET.Element, index: int, folder: str) -> Placemark:
    name = _text(_child(element, "name"))
    description = _text(_child(element, "description"))
    data = _extended_data(element)
    try:
        geometry = _placemark_geometry(element)
    except _Bad as bad:
        return Placemark(index, name, description, folder, data, None, bad.key, bad.detail)
    return Placemark(index, name, description, folder, data, geometry)


def _extended_data(element: ET.Element) -> dict[str, str]:
    data: dict[str, str] = {}
    extended = _child(element, "ExtendedData")
    if extended is None:
        return data
    for item in extended.iter():
        tag = _local(item.tag)
        if tag == "Data" and item.attrib.get("name"):
            value = _child(item, "value")
            data[item.attrib["name"]] = _text(value) if value is not None else _text(item)
        elif tag == "SimpleData" and item.attrib.get("name"):
            data[item.attrib["name"]] = _text(item)
    return data


_GEOMETRY_TAGS = ("Point", "LineString", "LinearRing", "Polygon", "MultiGeometry", "Track", "MultiTrack", "Model")


def _placemark_geometry(element: ET.Element) -> shapely.Geometry:
    found = [child for child in element if _local(child.tag) in _GEOMETRY_TAGS]
    if not found:
        raise _Bad("no_geometry")
    first: _Bad | None = None
    for candidate in found:  # Google's location history: an empty <Point/> beside the <gx:Track> that holds the way
        try:
            return _geometry(candidate)
        except _Bad as bad:
            first = first or bad
    raise first  # type: ignore[misc]


def _geometry(element: ET.Element) -> shapely.Geometry:
    tag = _local(element.tag)
    if tag == "Point":
        return shapely.Point(_coordinates(element, minimum=1)[0])
    if tag == "LineString":
        return shapely.LineString(_coordinates(element, minimum=2))
    if tag == "LinearRing":
        return shapely.Polygon(_ring(element))
    if tag == "Polygon":
        outer = _child_path(element, "outerBoundaryIs", "LinearRing")
        if outer is None:
            raise _Bad("no_coordinates")
        holes = [
            _ring(ring) for inner in _children(element, "innerBoundaryIs") for ring in _children(inner, "LinearRing")
        ]
        return shapely.Polygon(_ring(outer), holes)
    if tag == "Track":
        return _track(element)
    if tag == "MultiTrack":
        return _multi([_track(t) for t in element if _local(t.tag) == "Track"])
    if tag == "MultiGeometry":
        return _multi([_geometry(part) for part in element if _local(part.tag) in _GEOMETRY_TAGS])
    raise _Bad("model")  # a 3D model: nothing to draw on a plan


def _multi(parts: list[shapely.Geometry]) -> shapely.Geometry:
    if not parts:
        raise _Bad("no_geometry")
    kinds = {p.geom_type.replace("Multi", "") for p in parts}
    flat = [g for p in parts for g in getattr(p, "geoms", [p])]
    if kinds == {"Point"}:
        return shapely.MultiPoint(flat)
    if kinds == {"LineString"}:
        return shapely.MultiLineString(flat)
    if kinds == {"Polygon"}:
        return shapely.MultiPolygon(flat)
    raise _Bad("mixed_geometry", " + ".join(sorted(kinds)))


def _ring(element: ET.Element) -> list[tuple[float, float]]:
    points = _coordinates(element, minimum=3)
    if points[0] != points[-1]:
        points.append(points[0])
    if len(points) < 4:
        raise _Bad("too_few_points", str(len(points)))
    return points


def _track(element: ET.Element) -> shapely.Geometry:
    """A gx:Track: a way (a line), or a place where the track stayed (one point)."""
    points = [_tuple(_text(c).split()) for c in element if _local(c.tag) == "coord"]
    if not points:
        raise _Bad("no_coordinates")
    return shapely.Point(points[0]) if len(points) == 1 else shapely.LineString(points)


def _coordinates(element: ET.Element, *, minimum: int) -> list[tuple[float, float]]:
    node = _child(element, "coordinates")
    text = _text(node)
    if not text:
        raise _Bad("no_coordinates")
    points = [_tuple(item.split(",")) for item in text.split() if item.strip(",")]
    if len(points) < minimum:
        raise _Bad("too_few_points", str(len(points)))
    return points


def _tuple(parts: list[str]) -> tuple[float, float]:
    """Return (lon, lat) of one coordinate tuple; altitude and extra values are left out."""
    shown = ",".join(parts)
    numbers = [p.strip() for p in parts if p.strip()]
    if len(numbers) < 2:
        raise _Bad("bad_coordinate", shown)
    if not all(_NUMBER.match(n) for n in numbers[:2]):
        raise _Bad("bad_coordinate", shown)
    lon, lat = float(numbers[0]), float(numbers[1])
    if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lon) > 180 or abs(lat) > 90:
        raise _Bad("coordinate_out_of_range", shown)
    return lon, lat


# --- GPX (两步路, 六只脚 and every GPS logger) -------------------------------------------------
def _gpx_placemarks(root: ET.Element) -> list[Placemark]:
    """Waypoints become points, tracks and routes lines, in file order."""
    placemarks: list[Placemark] = []
    for element in root:
        tag = _local(element.tag)
        if tag not in ("wpt", "trk", "rte"):
            continue
        index = len(placemarks) + 1
        name, description = _text(_child(element, "name")), _text(_child(element, "desc"))
        data = {k: _text(_child(element, k)) for k in ("type", "cmt", "sym") if _text(_child(element, k))}
        try:
            geometry = _gpx_geometry(element, tag)
        except _Bad as bad:
            placemarks.append(Placemark(index, name, description, "", data, None, bad.key, bad.detail))
            continue
        placemarks.append(Placemark(index, name, description, "", data, geometry))
    return placemarks


def _gpx_geometry(element: ET.Element, tag: str) -> shapely.Geometry:
    if tag == "wpt":
        return shapely.Point(_gpx_point(element))
    if tag == "rte":
        points = [_gpx_point(p) for p in _children(element, "rtept")]
        if len(points) < 2:
            raise _Bad("too_few_points", str(len(points)))
        return shapely.LineString(points)
    segments = []
    for segment in _children(element, "trkseg"):
        points = [_gpx_point(p) for p in _children(segment, "trkpt")]
        if len(points) >= 2:
            segments.append(points)
    if not segments:
        raise _Bad("too_few_points", "0")
    return shapely.LineString(segments[0]) if len(segments) == 1 else shapely.MultiLineString(segments)


def _gpx_point(element: ET.Element) -> tuple[float, float]:
    return _tuple([element.attrib.get("lon", ""), element.attrib.get("lat", "")])


def refuse_network_links(path: Path, found: PlacemarkFile) -> None:
    """Raise when a file holds only network links: there is nothing in it to import."""
    if found.network_links and not found.placemarks:
        raise InputError("import.network_link", file=path, link=found.network_links[0] or "?")


__all__ = ["Placemark", "PlacemarkFile", "read_placemarks", "refuse_network_links"]
