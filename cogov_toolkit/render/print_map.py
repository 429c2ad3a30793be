"""Print export: the workspace map as PNG (300 dpi), vector PDF or SVG, at A4/A3, for proposals and 公示栏.

Every sheet carries a title, a subtitle (community and date), the legend, a
scale bar in metres, a north arrow and a source note. The map is drawn in the
local UTM zone, so the scale bar is true and the north arrow points to true
north (it is turned by the grid convergence, a fraction of a degree).

Text is drawn with a Simplified Chinese font (:mod:`.fonts`); PDFs embed a
TrueType-outline one as a subset (the toolkit's one PDF font rule, no Type 3:
searchable, sharp, accepted by print shops); SVG keeps text as text for designers.
The map frame takes the data's shape and the legend sits beside or below it,
whichever leaves the larger map; buildings carry their numbers, and site numbers
are placed by :mod:`.labels` so that none covers another. Resident text never becomes math: ``$`` in a name is a
dollar sign (math parsing is off).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cogov_toolkit import i18n
from cogov_toolkit._optional import require
from cogov_toolkit.render.fonts import find_cjk_font, pdf_fonts
from cogov_toolkit.render.linebreak import break_lines
from cogov_toolkit.render.map_layers import MapContent, MapLayer
from cogov_toolkit.render.style import MapStyle, StyleName, map_style

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


class Paper(StrEnum):
    """Paper sizes (ISO 216)."""

    A4 = "A4"
    A3 = "A3"


class Orientation(StrEnum):
    """Which way the sheet is turned."""

    PORTRAIT = "portrait"
    LANDSCAPE = "landscape"


class PrintFormat(StrEnum):
    """Output formats, chosen from the file's suffix."""

    PNG = "png"
    PDF = "pdf"
    SVG = "svg"


#: (short side, long side) in millimetres
PAPER_MM: dict[Paper, tuple[float, float]] = {Paper.A4: (210.0, 297.0), Paper.A3: (297.0, 420.0)}
MM_PER_INCH = 25.4
#: the width of the phone-friendly PNG posted in WeChat groups
WECHAT_WIDTH_PX = 1080


@dataclass(frozen=True)
class PrintOptions:
    """Options of :func:`export_print`.

    Attributes
    ----------
    paper : Paper
        A4 or A3.
    orientation : Orientation
        Portrait or landscape.
    greyscale : bool
        Grey levels and hatching for black-and-white printers.
    dpi : int
        Resolution of PNG output (300 for print).
    width_px : int, optional
        Exact PNG width in pixels instead of ``dpi`` (1080 for WeChat).
    title : str, optional
        Defaults to "<community>共同缔造地图"; broken into lines by the Chinese rules.
    date : datetime.date, optional
        Shown in the subtitle; today by default.
    attribution : str, optional
        Credit of a basemap drawn under the data (e.g. "底图 © 天地图"), added to the source note.
    """

    paper: Paper = Paper.A4
    orientation: Orientation = Orientation.LANDSCAPE
    greyscale: bool = False
    dpi: int = 300
    width_px: int | None = None
    title: str | None = None
    date: dt.date | None = None
    attribution: str | None = None

    @property
    def size_inches(self) -> tuple[float, float]:
        """(width, height) of the sheet in inches."""
        short, long = PAPER_MM[Paper(self.paper)]
        w, h = (long, short) if Orientation(self.orientation) is Orientation.LANDSCAPE else (short, long)
        return (w / MM_PER_INCH, h / MM_PER_INCH)

    @property
    def style(self) -> MapStyle:
        """The :class:`MapStyle` these options select."""
        return map_style(StyleName.GREYSCALE if self.greyscale else StyleName.STANDARD)


# --- geometry helpers ---------------------------------------------------------------
def nice_length(target_m: float) -> float:
    """Return the round length (1, 2 or 5 × 10^k metres) closest below ``target_m``."""
    if target_m <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(target_m))
    return max(step * power for step in (1, 2, 5) if step * power <= target_m)


def grid_convergence_deg(crs: Any, lon: float, lat: float) -> float:
    """Return the angle (degrees, counter-clockwise) from grid north to true north at (lon, lat)."""
    from pyproj import Transformer

    to_map = Transformer.from_crs(4326, crs, always_xy=True)
    x0, y0 = to_map.transform(lon, lat)
    x1, y1 = to_map.transform(lon, lat + 0.001)
    return math.degrees(math.atan2(-(x1 - x0), y1 - y0))


# --- drawing --------------------------------------------------------------------------
_POINT_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "h")
#: gid of the texts the placement writes, so that tests (and designers in the SVG) find them
SITE_LABEL_GID = "cogov-site-label"
BUILDING_LABEL_GID = "cogov-building-label"
PLACE_LABEL_GID = "cogov-place-label"  # a landmark's name, beside its symbol
ROAD_LABEL_GID = "cogov-road-label"  # a road's name, along it
#: points of line width on paper per screen pixel of a road's width (ROAD_LOOK), on A4
ROAD_PT_PER_PX = 0.4
#: the size of a landmark's symbol on paper, in points across (on A4)
SYMBOL_PT = 6.5


def class_gid(layer: MapLayer, index: int) -> str:
    """The gid of the artists that draw class ``index`` of ``layer`` ("idle_plots:2")."""
    return f"{layer.key}:{index}"


def _draw_layer(ax: Axes, layer: MapLayer, geometry: gpd.GeoSeries, style: MapStyle, scale: float) -> None:
    """Draw one layer class by class: polygons filled, lines thick, points as markers (each tagged with its gid).

    Buildings (numbered layers) are the quiet background: pale fills, thin grey outlines.
    """
    import numpy as np

    kinds = geometry.geom_type.to_numpy()
    edge = style.building_outline if layer.numbered else style.outline
    width = (0.3 if layer.numbered else 0.5) * scale
    for i, cls in enumerate(layer.classes):
        pick = layer.class_index == i
        if not pick.any():
            continue
        gid = class_gid(layer, i)
        if cls.width:  # a road: a quiet line of its kind's width and dashes, under the buildings
            before = len(ax.collections)
            geometry[pick].plot(
                ax=ax,
                color=cls.colour,
                linewidth=cls.width * ROAD_PT_PER_PX * scale,
                linestyle=(0, cls.dash) if cls.dash else "-",
                capstyle="butt",
                zorder=1.5,
            )
            for artist in ax.collections[before:]:
                artist.set_gid(gid)
            continue
        if cls.marker:  # a landmark: a small symbol of its kind, ringed so it stands out on any fill
            reps = geometry[pick].representative_point()
            ax.scatter(
                reps.x,
                reps.y,
                s=(SYMBOL_PT * math.sqrt(scale) * cls.size) ** 2 * (1.6 if cls.marker == "*" else 1.0),
                c=cls.colour,
                edgecolors="#000000" if style.greyscale else "#ffffff",
                linewidths=0.7 * scale,
                marker=cls.marker,
                hatch=cls.hatch or None,
                zorder=4.5,
                gid=gid,
            )
            continue
        polys = geometry[pick & np.isin(kinds, ["Polygon", "MultiPolygon"])]
        lines = geometry[pick & np.isin(kinds, ["LineString", "MultiLineString"])]
        points = geometry[pick & np.isin(kinds, ["Point", "MultiPoint"])]
        if len(polys) and not _add_simple_polygons(ax, polys, cls.colour, edge, width, cls.hatch, gid):
            before = len(ax.collections)
            polys.plot(ax=ax, facecolor=cls.colour, edgecolor=edge, linewidth=width, hatch=cls.hatch, zorder=2)
            for artist in ax.collections[before:]:
                artist.set_gid(gid)
        if len(lines):
            before = len(ax.collections)
            lines.plot(
                ax=ax,
                color=cls.colour if not style.greyscale else "#000000",
                linewidth=2.5 * scale,
                linestyle="-" if not cls.hatch else (0, (4, 2)),
                zorder=3,
            )
            for artist in ax.collections[before:]:
                artist.set_gid(gid)
        if len(points):
            reps = points.representative_point()
            ax.scatter(
                reps.x,
                reps.y,
                s=28 * scale,
                c=cls.colour,
                edgecolors=style.outline,
                linewidths=0.6 * scale,
                marker=_POINT_MARKERS[i % len(_POINT_MARKERS)],
                hatch=cls.hatch or None,
                zorder=4,
                gid=gid,
            )


def _add_simple_polygons(
    ax: Axes, polys: gpd.GeoSeries, colour: str, edge: str, width: float, hatch: str, gid: str
) -> bool:
    """Draw polygons without holes as one PolyCollection (5,000 buildings in a fraction of a second).

    Returns False, drawing nothing, when a polygon has a hole: geopandas'
    per-polygon patches draw those correctly, only more slowly.
    """
    import numpy as np
    import shapely
    from matplotlib.collections import PolyCollection

    parts = shapely.get_parts(np.asarray(polys.array, dtype=object))
    if (shapely.get_num_interior_rings(parts) > 0).any():
        return False
    coords, owner = shapely.get_coordinates(shapely.get_exterior_ring(parts), return_index=True)
    rings = np.split(coords, np.flatnonzero(np.diff(owner)) + 1)
    collection = PolyCollection(
        rings, facecolors=colour, edgecolors=edge, linewidths=width, hatch=hatch or None, zorder=2
    )
    collection.set_gid(gid)
    ax.add_collection(collection)
    return True


@dataclass(frozen=True)
class _Measure:
    """Text extents in display pixels of the figure being drawn (matplotlib's own text layout)."""

    renderer: Any
    dpi: float

    def size(self, text: str, fontsize: float, bold: bool = False) -> tuple[float, float]:
        from matplotlib.font_manager import FontProperties

        prop = FontProperties(size=fontsize, weight="bold" if bold else "normal")
        w, h, _ = self.renderer.get_text_width_height_descent(text, prop, ismath=False)
        return w, h

    def inches(self, text: str, fontsize: float, bold: bool = False) -> float:
        return self.size(text, fontsize, bold)[0] / self.dpi


def _em_width(text: str) -> float:
    """Rough width of ``text`` in ems (Chinese 1, Latin and digits about 0.6): to skip labels that cannot fit."""
    import unicodedata

    return sum(1.0 if unicodedata.east_asian_width(c) in ("W", "F") else 0.6 for c in text)


def _building_labels(
    ax: Axes, layer: MapLayer, geometry: gpd.GeoSeries, size: float, measure: _Measure
) -> tuple[list[tuple[float, float, float, float]], int]:
    """Write each building's number ("5栋") inside it where it fits; return the boxes drawn and how many did not fit."""
    import numpy as np

    bounds = geometry.bounds.to_numpy()
    reps = geometry.representative_point()
    to_px = ax.transData.transform
    corners = to_px(np.column_stack([bounds[:, 0], bounds[:, 1]]))
    far = to_px(np.column_stack([bounds[:, 2], bounds[:, 3]]))
    room_w, room_h = far[:, 0] - corners[:, 0], far[:, 1] - corners[:, 1]
    px_per_pt = measure.dpi / 72
    boxes, skipped = [], 0
    anchors = to_px(np.column_stack([reps.x.to_numpy(), reps.y.to_numpy()]))
    for i, text in enumerate(layer.tips):
        if not text:
            continue
        # a cheap estimate first: at 5,000 buildings on one sheet almost none fits, and measuring each costs
        if _em_width(text) * size * px_per_pt > 0.95 * room_w[i] or size * px_per_pt > 0.9 * room_h[i]:
            skipped += 1
            continue
        w, h = measure.size(text, size)
        x, y = anchors[i]
        ax.text(
            reps.x.iloc[i],
            reps.y.iloc[i],
            text,
            fontsize=size,
            ha="center",
            va="center",
            color="#222222",
            zorder=5,
            gid=BUILDING_LABEL_GID,
        )
        boxes.append((x - w / 2, y - h / 2, x + w / 2, y + h / 2))
    return boxes, skipped


def _site_labels(
    ax: Axes,
    layers: list[tuple[MapLayer, gpd.GeoSeries]],
    size: float,
    measure: _Measure,
    obstacles: list[tuple[float, float, float, float]],
    blocked: list[tuple[float, float, float, float]],
    scale: float,
    places: list[tuple[MapLayer, gpd.GeoSeries]] = (),  # type: ignore[assignment]
    place_size: float = 0.0,
) -> tuple[list[str], list[str], list[tuple[float, float, float, float]]]:
    """Place the site numbers ("地3"), then the landmarks' names beside their symbols, none covering another.

    Site numbers may take leader lines; a name stays near its symbol. Returns
    the numbers and the names left out, and the boxes of every label placed.
    """
    import numpy as np

    from cogov_toolkit.render.labels import Label, place_labels

    px_per_pt = measure.dpi / 72
    pad = 0.15 * size * px_per_pt + 0.5 * px_per_pt  # the white box around the text, and its border
    items, labels = [], []
    for layer, geometry in layers:
        if layer.badges is None:
            continue
        reps = geometry.representative_point()
        anchors = ax.transData.transform(np.column_stack([reps.x.to_numpy(), reps.y.to_numpy()]))
        points = set(np.flatnonzero(geometry.geom_type.isin(["Point", "MultiPoint"]).to_numpy()))
        for i, badge in enumerate(layer.badges):
            if badge is None:
                continue
            w, h = measure.size(badge, size, bold=True)
            clearance = 3.5 * scale * px_per_pt if i in points else 0.0  # keep clear of the point marker
            labels.append(Label(anchors[i][0], anchors[i][1], w + 2 * pad, h + 2 * pad, clearance))
            items.append((badge, reps.x.iloc[i], reps.y.iloc[i], False))
    place_pad = 0.15 * place_size * px_per_pt
    for layer, geometry in places:
        reps = geometry.representative_point()
        anchors = ax.transData.transform(np.column_stack([reps.x.to_numpy(), reps.y.to_numpy()]))
        for i, name in enumerate(layer.names or ()):
            if name is None:
                continue
            w, h = measure.size(name, place_size)
            symbol = layer.classes[int(layer.class_index[i])].size * SYMBOL_PT * math.sqrt(scale)
            clearance = symbol * px_per_pt / 2  # beside the symbol, not on it
            labels.append(Label(anchors[i][0], anchors[i][1], w + 2 * place_pad, h + 2 * place_pad, clearance, True))
            items.append((name, reps.x.iloc[i], reps.y.iloc[i], True))
    frame = tuple(ax.get_window_extent().extents)
    placements = place_labels(labels, frame=frame, obstacles=obstacles, blocked=blocked, gap=1.0 * px_per_pt)
    to_data = ax.transData.inverted().transform
    missing, unnamed, boxes = [], [], []
    for (text, ax_x, ax_y, is_name), spot, label in zip(items, placements, labels, strict=True):
        if not spot.shown:
            (unnamed if is_name else missing).append(text)
            continue
        boxes.append(spot.box(label))
        x, y = to_data((spot.x, spot.y))
        if spot.leader:
            ax.plot([ax_x, x], [ax_y, y], color="black", linewidth=0.5 * scale, zorder=5.5)
            if not is_name:
                ax.scatter([ax_x], [ax_y], s=4 * scale, color="black", zorder=5.6, linewidths=0)
        if is_name:
            ax.text(
                x,
                y,
                text,
                fontsize=place_size,
                ha="center",
                va="center",
                zorder=6,
                color="#000000",
                gid=PLACE_LABEL_GID,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
            )
            continue
        ax.text(
            x,
            y,
            text,
            fontsize=size,
            ha="center",
            va="center",
            zorder=6,
            fontweight="bold",
            gid=SITE_LABEL_GID,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "black", "linewidth": 0.5},
        )
    return missing, unnamed, boxes


def _road_labels(
    ax: Axes,
    layers: list[tuple[MapLayer, gpd.GeoSeries]],
    size: float,
    measure: _Measure,
    taken: list[tuple[float, float, float, float]],
) -> None:
    """Write each road's name along it where it fits (:func:`~.labels.place_line_labels`), clear of every label."""
    import numpy as np
    import shapely

    from cogov_toolkit.render.labels import LineLabel, place_line_labels

    items, labels = [], []
    to_px = ax.transData.transform
    for layer, geometry in layers:
        for name, shape in zip(layer.names or (), geometry, strict=False):
            if name is None or shape is None:
                continue
            parts = tuple(
                tuple(map(tuple, to_px(np.asarray(part.coords)[:, :2])))
                for part in shapely.get_parts(shape)
                if part.geom_type == "LineString"
            )
            w, h = measure.size(name, size)
            labels.append(LineLabel(parts, w * 1.08 + 2, h * 1.1 + 2))  # a little room around the glyphs
            items.append(name)
    frame = tuple(ax.get_window_extent().extents)
    to_data = ax.transData.inverted().transform
    for name, spot in zip(items, place_line_labels(labels, frame=frame, placed=taken), strict=True):
        if not spot.shown:
            continue
        x, y = to_data((spot.x, spot.y))
        ax.text(
            x,
            y,
            name,
            fontsize=size,
            rotation=spot.angle,
            rotation_mode="anchor",
            ha="center",
            va="center",
            color="#333333",
            zorder=5.2,
            gid=ROAD_LABEL_GID,
        )


def _legend_entries(
    layers: tuple[MapLayer, ...], style: MapStyle, scale: float, notes: dict[str, str]
) -> tuple[list, list[str], list[int]]:
    """Return legend handles, labels, and the positions of the layer headings (drawn bold)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles, labels, headings = [], [], []
    for layer in layers:
        headings.append(len(labels))
        handles.append(Patch(facecolor="none", edgecolor="none"))
        labels.append(layer.title)
        kinds = set(layer.geometry.geom_type)
        edge = style.building_outline if layer.numbered else style.outline
        for i, cls in enumerate(layer.classes):
            if not cls.count and (cls.width or cls.marker):
                continue  # roads and landmarks list only the kinds the workspace has
            label = i18n.t("map.legend.count", label=cls.label, count=cls.count)
            if cls.width:
                handle = Line2D(
                    [],
                    [],
                    color=cls.colour,
                    linewidth=cls.width * ROAD_PT_PER_PX * scale,
                    linestyle=(0, cls.dash) if cls.dash else "-",
                    solid_capstyle="butt",
                    dash_capstyle="butt",
                )
            elif cls.marker:
                handle = Line2D(
                    [],
                    [],
                    marker=cls.marker,
                    linestyle="none",
                    markerfacecolor=cls.colour,
                    markeredgecolor="#000000" if style.greyscale else "#ffffff",
                    markersize=SYMBOL_PT * math.sqrt(scale) * cls.size * (1.25 if cls.marker == "*" else 1.0),
                )
            elif kinds <= {"Point", "MultiPoint"}:
                handle = Line2D(
                    [],
                    [],
                    marker=_POINT_MARKERS[i % len(_POINT_MARKERS)],
                    linestyle="none",
                    markerfacecolor=cls.colour,
                    markeredgecolor=style.outline,
                    markersize=6 * scale,
                )
            else:
                handle = Patch(facecolor=cls.colour, edgecolor=edge, hatch=cls.hatch, linewidth=0.5 * scale)
            handle.set_gid(class_gid(layer, i))
            handles.append(handle)
            labels.append(label)
        for note in (layer.note, notes.get(str(layer.key))):
            if note:
                handles.append(Patch(facecolor="none", edgecolor="none"))
                labels.append(note)
    return handles, labels, headings


def _scale_bar(ax: Axes, scale: float, font: float) -> tuple[float, float, float, float]:
    """Draw a two-segment scale bar in metres in the lower left of the map; return its box in display pixels."""
    from matplotlib.patches import Rectangle

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = nice_length((x1 - x0) / 5)
    left, bottom = x0 + (x1 - x0) * 0.03, y0 + (y1 - y0) * 0.03
    height = (y1 - y0) * 0.008
    for k, colour in enumerate(("black", "white")):
        ax.add_patch(
            Rectangle(
                (left + k * length / 2, bottom),
                length / 2,
                height,
                facecolor=colour,
                edgecolor="black",
                linewidth=0.6 * scale,
                zorder=8,
            )
        )
    ax.text(left, bottom + height * 1.8, "0", fontsize=font, ha="center", va="bottom", zorder=8)
    shown = f"{length:g}"
    ax.text(
        left + length,
        bottom + height * 1.8,
        i18n.t("map.print.metres", length=shown),
        fontsize=font,
        ha="center",
        va="bottom",
        zorder=8,
    )
    (a, b), (c, d) = ax.transData.transform([(left - length * 0.1, bottom), (left + length * 1.25, bottom + height)])
    return (a, b, c, d + font * 2.2 * ax.figure.dpi / 72)


def _north_arrow(ax: Axes, rotation_deg: float, font: float) -> tuple[float, float, float, float]:
    """Draw a north arrow in the upper right of the map, turned by the grid convergence; return its box in pixels."""
    from matplotlib.patches import FancyArrow
    from matplotlib.transforms import Affine2D

    cx, cy, length = 0.95, 0.88, 0.06
    turn = Affine2D().rotate_deg_around(cx, cy, rotation_deg) + ax.transAxes
    ax.add_patch(
        FancyArrow(
            cx,
            cy - length / 2,
            0,
            length,
            width=0.010,
            head_width=0.03,
            head_length=0.025,
            length_includes_head=True,
            color="black",
            transform=turn,
            zorder=8,
        )
    )
    ax.text(
        cx,
        cy + length / 2 + 0.012,
        i18n.t("map.print.north"),
        fontsize=font,
        ha="center",
        va="bottom",
        transform=turn,
        zorder=8,
        fontweight="bold",
    )
    (a, b), (c, d) = ax.transAxes.transform([(cx - 0.035, cy - length / 2 - 0.01), (cx + 0.035, 0.995)])
    return (a, b, c, d)


def draw_print_figure(content: MapContent, options: PrintOptions, *, pdf: bool = False) -> Figure:
    """Return the matplotlib figure of a printed map (not yet saved), its text in a Simplified Chinese font.

    ``pdf=True`` lays it out with the PDF font (:func:`~.fonts.pdf_rc`), as :func:`save_print` does for PDFs.

    Raises
    ------
    ConfigurationError
        When matplotlib or a Simplified Chinese font is missing.
    """
    matplotlib = require("matplotlib")
    with pdf_fonts() if pdf else matplotlib.rc_context(_rc(find_cjk_font().family)):
        return _draw(content, options)


def _fit(aspect: float, width: float, height: float) -> tuple[float, float]:
    """The largest (width, height) of the given aspect (width / height) inside width × height."""
    return (width, width / aspect) if width / aspect <= height else (height * aspect, height)


def _legend_size(
    labels: list[str], headings: list[int], ncol: int, font: float, measure: _Measure
) -> tuple[float, float]:
    """Width and height in inches of the legend matplotlib will draw (its own spacing rules, estimated)."""
    em = font / 72
    rows = math.ceil(len(labels) / ncol)
    widths = [measure.inches(label, font, bold=i in headings) for i, label in enumerate(labels)]
    columns = [widths[c * rows : (c + 1) * rows] for c in range(ncol)]
    col_width = [max(c, default=0.0) + (1.6 + 0.8) * em for c in columns]
    width = sum(col_width) + 2.0 * em * (ncol - 1)
    height = rows * em * 1.5 + 2.2 * em  # rows at labelspacing 0.5, and the title
    return width, height


def _draw(content: MapContent, options: PrintOptions) -> Figure:
    """Lay out the sheet: title, subtitle, map frame sized to the data, legend beside or below it, source note."""
    import geopandas as gpd
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    style = options.style
    width_in, height_in = options.size_inches
    scale = width_in / (PAPER_MM[Paper.A4][1] / MM_PER_INCH)  # 1 on A4 landscape, larger on A3
    scale = max(scale, height_in / (PAPER_MM[Paper.A4][1] / MM_PER_INCH))
    base = 9.0 * math.sqrt(scale)

    figure = Figure(figsize=(width_in, height_in))
    FigureCanvasAgg(figure)
    measure = _Measure(figure.canvas.get_renderer(), figure.dpi)
    margin = 0.45 * math.sqrt(scale)
    gap = 0.2 * math.sqrt(scale)
    title = options.title or i18n.t("map.print.title", community=content.community)
    date = (options.date or dt.date.today()).isoformat()

    # title block, broken by the Chinese rules (no line starts with 」）。，)
    title_size = base * 2.0
    top = height_in - margin
    for line in break_lines(title, width_in - 2 * margin, lambda t: measure.inches(t, title_size, bold=True)):
        figure.text(margin / width_in, top / height_in, line, fontsize=title_size, fontweight="bold", va="top")
        top -= title_size * 1.3 / 72
    subtitle = i18n.t("map.print.subtitle", community=content.community, date=date)
    figure.text(margin / width_in, top / height_in, subtitle, fontsize=base * 1.2, va="top", color="#333333")
    top -= base * 1.2 * 1.3 / 72 + gap
    source_size = base * 0.8
    source = i18n.t("map.print.source", community=content.community)
    if options.attribution:
        source = f"{source} {options.attribution}"
    source_lines = break_lines(source, width_in - 2 * margin, lambda t: measure.inches(t, source_size))
    for k, line in enumerate(reversed(source_lines)):
        y = margin * 0.6 + k * source_size * 1.3 / 72
        figure.text(margin / width_in, y / height_in, line, fontsize=source_size, va="bottom", color="#333333")
    bottom = margin * 0.6 + len(source_lines) * source_size * 1.3 / 72 + gap
    region_w, region_h = width_in - 2 * margin, top - bottom

    # the data, in the local UTM zone, and its aspect
    utm = gpd.GeoSeries(
        content.background if len(content.background) else content.layers[0].geometry, crs=4326
    ).estimate_utm_crs()
    background = content.background.to_crs(utm) if len(content.background) else content.background
    projected = [layer.geometry.set_crs(4326, allow_override=True).to_crs(utm) for layer in content.layers]
    bounds = gpd.GeoSeries([*background] + [g for p in projected for g in p], crs=utm).total_bounds
    pad = max(bounds[2] - bounds[0], bounds[3] - bounds[1]) * 0.04
    x0, y0, x1, y1 = bounds[0] - pad, bounds[1] - pad, bounds[2] + pad, bounds[3] + pad
    aspect = (x1 - x0) / max(y1 - y0, 1e-9)

    # the legend beside the map or below it, whichever leaves the larger map frame (sized to the data);
    # then the legend's type grows (up to 1.8 times) and its columns change to fill what the frame left
    notes: dict[str, str] = {}
    handles, labels, headings = _legend_entries(content.layers, style, scale, notes)
    legend_base = base * 0.85
    sizes = {
        (factor, ncol): _legend_size(labels, headings, ncol, legend_base * factor, measure)
        for factor in (1.0, 1.15, 1.3, 1.45, 1.6, 1.8)
        for ncol in (1, 2, 3, 4)
    }
    frames = []
    for (factor, _ncol), (lw, lh) in sizes.items():
        if factor != 1.0:
            continue
        if lh <= region_h and lw < region_w * 0.45:
            frames.append((*_fit(aspect, region_w - lw - gap, region_h), "side"))
        if lw <= region_w and lh < region_h * 0.5:
            frames.append((*_fit(aspect, region_w, region_h - lh - gap), "below"))
    layout = None
    if frames:
        fw, fh, where = max(frames, key=lambda f: f[0] * f[1])
        room_w, room_h = (region_w - fw - gap, region_h) if where == "side" else (region_w, region_h - fh - gap)
        # the largest type that fits, then the fewest columns (the legend reads down, and fills the height)
        fitting = [
            (factor, lh, -ncol, lw) for (factor, ncol), (lw, lh) in sizes.items() if lw <= room_w and lh <= room_h
        ]
        if fitting:
            factor, lh, neg_ncol, lw = max(fitting)
            ncol = -neg_ncol
            layout = (where, ncol, legend_base * factor, fw, fh, lw, lh)
    if layout is None:  # a legend too long for the sheet: a narrower map, the legend in two columns beside it
        fw, fh = _fit(aspect, region_w * 0.6, region_h)
        layout = ("side", 2, legend_base, fw, fh, region_w * 0.4 - gap, region_h)
    where, ncol, legend_font, fw, fh, lw, lh = layout
    if where == "side":
        left = margin + (region_w - fw - gap - lw) / 2
        map_box = (left, top - fh, fw, fh)
        legend_box = (left + fw + gap, top - lh, lw, lh)
    else:
        left = margin + (region_w - fw) / 2
        lower = top - fh
        map_box = (left, lower, fw, fh)
        legend_box = (left, lower - gap - lh, max(lw, fw), lh)
    ax = figure.add_axes((map_box[0] / width_in, map_box[1] / height_in, map_box[2] / width_in, map_box[3] / height_in))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(0.6 * scale)

    if len(background):
        background.plot(
            ax=ax,
            facecolor="#f7f4ee" if not style.greyscale else "white",
            edgecolor="#8c8c8c",
            linewidth=0.6 * scale,
            zorder=1,
        )
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    for layer, geometry in zip(content.layers, projected, strict=True):
        _draw_layer(ax, layer, geometry, style, scale)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("")  # geopandas labels projected axes "Easting [metre]": not for residents
    ax.set_ylabel("")
    centre_lon, centre_lat = (sum(content.bounds[0::2]) / 2, sum(content.bounds[1::2]) / 2)
    blocked = [
        _scale_bar(ax, scale, base * 0.9),
        _north_arrow(ax, grid_convergence_deg(utm, centre_lon, centre_lat), base * 1.1),
    ]
    building_boxes: list[tuple[float, float, float, float]] = []
    for layer, geometry in zip(content.layers, projected, strict=True):
        if layer.numbered:
            boxes, skipped = _building_labels(ax, layer, geometry, base * 0.62, measure)
            building_boxes += boxes
            if skipped:
                notes[str(layer.key)] = i18n.t("map.print.unnumbered", count=skipped)
    drawn = list(zip(content.layers, projected, strict=True))
    sites = [(layer, g) for layer, g in drawn if layer.badges is not None]
    places = [(layer, g) for layer, g in drawn if layer.names is not None and any(c.marker for c in layer.classes)]
    roads = [(layer, g) for layer, g in drawn if layer.names is not None and any(c.width for c in layer.classes)]
    missing, unnamed, placed = _site_labels(
        ax, sites, base * 0.75, measure, building_boxes, blocked, scale, places, base * 0.62
    )
    _road_labels(ax, roads, base * 0.58, measure, placed + building_boxes + blocked)
    if missing:
        notes["_missing"] = i18n.t("map.print.unlabelled", badges="、".join(missing))
    if unnamed:
        notes["_unnamed"] = i18n.t("map.print.unnamed", names="、".join(unnamed))

    legend_ax = figure.add_axes(
        (legend_box[0] / width_in, legend_box[1] / height_in, legend_box[2] / width_in, legend_box[3] / height_in)
    )
    legend_ax.set_axis_off()
    if notes:  # the notes found while drawing join the legend
        handles, labels, headings = _legend_entries(content.layers, style, scale, notes)
        for key in ("_missing", "_unnamed"):
            if key in notes:
                from matplotlib.patches import Patch

                handles.append(Patch(facecolor="none", edgecolor="none"))
                labels.append(notes[key])
    legend = legend_ax.legend(
        handles,
        labels,
        loc="upper left",
        frameon=False,
        fontsize=legend_font,
        ncol=ncol,
        handlelength=1.6,
        borderaxespad=0,
        title=i18n.t("map.legend.title"),
        title_fontsize=legend_font * 1.25,
        alignment="left",
    )
    for i in headings:
        legend.get_texts()[i].set_fontweight("bold")
    return figure


def _rc(font_family: str) -> dict[str, Any]:
    """Matplotlib settings of PNG and SVG sheets: Chinese font first, text kept as text, no math."""
    return {
        "font.family": [font_family, "DejaVu Sans"],
        "svg.fonttype": "none",  # SVG keeps <text>: designers can edit it, search finds it
        "text.parse_math": False,  # a "$" typed by a resident is a dollar sign, not TeX
        "hatch.linewidth": 0.6,
        "axes.unicode_minus": False,
    }


def save_print(content: MapContent, path: str | Path, options: PrintOptions | None = None) -> Path:
    """Draw ``content`` and save it to ``path`` (PNG, PDF or SVG, from the suffix); return the path.

    PDFs follow the one font rule of the toolkit (:func:`~.fonts.pdf_rc`: TrueType subsets, no Type 3).
    """
    matplotlib = require("matplotlib")
    options = options or PrintOptions()
    path = Path(path)
    fmt = PrintFormat(path.suffix.lstrip(".").lower())
    fonts = pdf_fonts() if fmt is PrintFormat.PDF else matplotlib.rc_context(_rc(find_cjk_font().family))
    with fonts, matplotlib.rc_context({"hatch.linewidth": 0.6, "svg.fonttype": "none"}):
        figure = _draw(content, options)
        dpi = options.width_px / options.size_inches[0] if options.width_px else options.dpi
        metadata = {"Creator": "cogov_toolkit"} if fmt is not PrintFormat.PNG else {"Software": "cogov_toolkit"}
        figure.savefig(path, format=str(fmt), dpi=dpi, metadata=metadata)
    return path


__all__ = [
    "BUILDING_LABEL_GID",
    "PAPER_MM",
    "PLACE_LABEL_GID",
    "ROAD_LABEL_GID",
    "SITE_LABEL_GID",
    "WECHAT_WIDTH_PX",
    "Orientation",
    "Paper",
    "PrintFormat",
    "PrintOptions",
    "class_gid",
    "draw_print_figure",
    "grid_convergence_deg",
    "nice_length",
    "save_print",
]
