"""What goes on a map, independent of how it is drawn: layers, classes, labels, popups.

A :class:`MapLayer` holds plain text (never HTML) and the class of every
feature; the interactive map escapes the text with
:func:`cogov_toolkit.core.escape.html_text` when it becomes HTML, the print
export draws it as text. Building this model once keeps the colours, numbers
and legends of the screen and the paper map identical.

Only allow-listed columns are read, and never the private companion file:
household names and phones cannot reach a map by construction (adopters are
shown by role, never by name).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.schema import ENUMS
from cogov_toolkit.errors import CogovError
from cogov_toolkit.render.style import MapStyle, map_style

if TYPE_CHECKING:
    import geopandas as gpd


class LayerKey(StrEnum):
    """The layers a workspace map can show, in drawing order (bottom first): roads under everything."""

    ROADS = "roads"
    BUILDINGS = "buildings"
    PUBLIC_SPACES = "public_spaces"
    IDLE_PLOTS = "idle_plots"
    ADOPTION_ZONES = "adoption_zones"
    LANDMARKS = "landmarks"
    DEMANDS = "demands"
    CHOROPLETH = "choropleth"


@dataclass(frozen=True)
class LegendClass:
    """One entry of a layer's legend: the label people read, its colour and hatch, and how many features.

    ``width`` and ``dash`` are set for a class drawn as a line of its own look (a road: width in
    screen px, dash pattern in line widths); ``marker`` for a class drawn as a symbol (a landmark:
    a matplotlib marker code), ``size`` its size against the other symbols (a gate is larger).
    """

    label: str
    colour: str
    hatch: str = ""
    count: int = 0
    width: float = 0.0
    dash: tuple[float, ...] = ()
    marker: str = ""
    size: float = 1.0


@dataclass(frozen=True)
class MapLayer:
    """One data layer, ready to draw.

    Attributes
    ----------
    key : str
        Stable identifier (a :class:`LayerKey` value); tests count features by it.
    title : str
        Display name for the layer control and the legend.
    classes : tuple of LegendClass
        Legend entries; ``class_index`` points into it.
    class_field : str
        What the classes are (网格, 状态 …): the first row of every popup.
    geometry : geopandas.GeoSeries
        One geometry per feature, WGS-84.
    class_index : numpy.ndarray
        The class of each feature.
    tips : tuple of str
        Name of each feature (plain text); the tooltip adds its class.
    fields : tuple of str
        Row labels of the popup table.
    values : tuple of tuple of str
        Popup values of each feature, one per field (plain text).
    badges : tuple of (str or None), optional
        The short number drawn on the map ("地3"; the tooltip says "3号地块"), or None per feature.
    note : str, optional
        A line for the legend (e.g. demands without a place).
    numbered : bool
        Write each feature's name (its tip: "5栋") on it where it fits: buildings.
    names : tuple of (str or None), optional
        The name written on the map where it fits: along a road ("幸福路"), beside a
        landmark's symbol ("北门"); None for a feature without one.
    """

    key: str
    title: str
    classes: tuple[LegendClass, ...]
    class_field: str
    geometry: gpd.GeoSeries
    class_index: np.ndarray
    tips: tuple[str, ...]
    fields: tuple[str, ...]
    values: tuple[tuple[str, ...], ...]
    badges: tuple[str | None, ...] | None = None
    note: str | None = None
    numbered: bool = False
    names: tuple[str | None, ...] | None = None

    def __len__(self) -> int:
        return len(self.geometry)


@dataclass(frozen=True)
class MapContent:
    """Everything one map shows: the community's name, its outline layers and the data layers."""

    community: str
    layers: tuple[MapLayer, ...]
    background: gpd.GeoSeries

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(min lon, min lat, max lon, max lat) of everything on the map.

        Raises
        ------
        CogovError
            ``map.empty_map`` when there is nothing to draw.
        """
        import geopandas as gpd

        parts = [self.background, *(layer.geometry for layer in self.layers)]
        parts = [p for p in parts if len(p)]
        if not parts:
            raise CogovError("map.empty_map")
        return tuple(gpd.GeoSeries(pd.concat(parts, ignore_index=True), crs=4326).total_bounds)


# --- formatting -------------------------------------------------------------------
def _text(value: object) -> str:
    """Return a display string for a cell; missing values read 暂无."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value == "":
        return i18n.t("map.value.none")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _column_text(series: pd.Series) -> list[str]:
    """Vectorized :func:`_text` for a whole column (50,000 buildings build in milliseconds)."""
    none = i18n.t("map.value.none")
    if pd.api.types.is_numeric_dtype(series):
        numbers = pd.to_numeric(series, errors="coerce")
        whole = numbers.dropna().mod(1).eq(0).all()
        shown = numbers.round(0).astype("Int64").astype(str) if whole else numbers.round(1).astype(str)
        return shown.where(numbers.notna(), none).tolist()
    text = series.astype("string")
    return text.where(text.notna() & text.ne(""), none).tolist()


def _classes(
    codes: pd.Series, order: Sequence[str], labels: Sequence[str], style: MapStyle, enum: str | None
) -> tuple[tuple[LegendClass, ...], np.ndarray]:
    """Return legend classes (in ``order``) and the class index of each feature."""
    position = {code: i for i, code in enumerate(order)}
    # a code outside ``order`` gets -1 (unclassed), as a Categorical would, without its deprecation
    index = codes.fillna("").astype(str).map(position).fillna(-1).to_numpy(dtype=np.int32)
    counts = np.bincount(index[index >= 0], minlength=len(order))
    classes = tuple(
        LegendClass(label, style.class_colour(enum, code, i), style.class_hatch(enum, code, i), int(counts[i]))
        for i, (code, label) in enumerate(zip(order, labels, strict=True))
    )
    return classes, index


def _drop_unclassed(layer: MapLayer) -> MapLayer:
    """Keep only features that fell in a class (a code outside the enum is not drawn as a wrong colour)."""
    keep = layer.class_index >= 0
    if keep.all():
        return layer
    pick = np.flatnonzero(keep)
    return MapLayer(
        layer.key,
        layer.title,
        layer.classes,
        layer.class_field,
        layer.geometry.iloc[pick].reset_index(drop=True),
        layer.class_index[pick],
        tuple(layer.tips[i] for i in pick),
        layer.fields,
        tuple(layer.values[i] for i in pick),
        tuple(layer.badges[i] for i in pick) if layer.badges is not None else None,
        layer.note,
        layer.numbered,
        tuple(layer.names[i] for i in pick) if layer.names is not None else None,
    )


def _badges(numbers: pd.Series, key: LayerKey, form: str = "badge") -> tuple[str | None, ...]:
    """Return the site numbers residents call out: "3号地块" (``form="badge"``) or "地3" (``"badge_short"``)."""
    return tuple(i18n.t(f"map.{form}.{key}", number=_text(n)) if not pd.isna(n) else None for n in numbers.tolist())


def _rows(frame: pd.DataFrame, columns: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(zip(*(_column_text(frame[c]) for c in columns), strict=True)) if len(frame) else ()


# --- the layers ---------------------------------------------------------------------
#: the class of buildings that belong to no 网格 yet
NO_GRID = "__no_grid__"


def building_layer(buildings: gpd.GeoDataFrame, grids: pd.DataFrame, style: MapStyle | None = None) -> MapLayer:
    """Return buildings in a pale tint of their 网格 (grid), each numbered with its label ("5栋").

    Buildings are the quiet background of every map: the sites on them carry the colour.

    Parameters
    ----------
    buildings : geopandas.GeoDataFrame
        The ``buildings`` layer (``label``, ``grid_id``, ``units``, ``floors``, ``households``).
    grids : pandas.DataFrame
        ``grid_id`` and ``name`` of every grid (the legend lists them in id order).
    style : MapStyle, optional
        Colours; the standard style by default.
    """
    style = style or map_style()
    # a building whose 网格 has no outline yet (a new workspace, before grids are drawn) is still shown,
    # classed by its grid id, instead of disappearing from the map
    # outlines imported without a roster (OSM, CAD) have no 网格 yet: drawn in a class of their own, listed last
    codes = buildings["grid_id"].astype(object).where(buildings["grid_id"].notna(), "").astype(str).str.strip()
    codes = codes.replace("", NO_GRID)
    known = grids[["grid_id", "name"]].astype(str)
    missing = sorted(set(codes) - set(known["grid_id"]) - {NO_GRID})
    if missing:
        known = pd.concat([known, pd.DataFrame({"grid_id": missing, "name": missing})], ignore_index=True)
    grids = known.sort_values("grid_id")
    if (codes == NO_GRID).any():
        grids = pd.concat(
            [grids, pd.DataFrame({"grid_id": [NO_GRID], "name": [i18n.t("map.grid.none")]})], ignore_index=True
        )
    classes, index = _classes(codes, grids["grid_id"].astype(str).tolist(), grids["name"].tolist(), style, "grid")
    tips = buildings["label"].astype(str).tolist()
    columns = ("units", "floors", "households")
    fields = tuple(i18n.t(f"map.field.{f}") for f in columns)
    values = tuple(zip(*(_column_text(buildings[c]) for c in columns), strict=True)) if len(buildings) else ()
    layer = MapLayer(
        LayerKey.BUILDINGS,
        i18n.t("map.layer.buildings"),
        classes,
        i18n.t("map.field.grid"),
        buildings.geometry.reset_index(drop=True),
        index,
        tuple(tips),
        fields,
        values,
        numbered=True,
    )
    return _drop_unclassed(layer)


def _enum_layer(
    frame: gpd.GeoDataFrame,
    key: LayerKey,
    class_column: str,
    enum: str,
    class_field: str,
    rows: dict[str, tuple[str, str]],
    style: MapStyle,
) -> MapLayer:
    """A layer of numbered sites classed by one enum column; ``rows`` maps field key -> (column, enum or '')."""
    order = ENUMS[enum]
    classes, index = _classes(frame[class_column], order, [i18n.label(enum, c) for c in order], style, enum)
    shown = pd.DataFrame(index=frame.index)
    for field_key, (column, field_enum) in rows.items():
        column_values = frame[column] if column in frame else pd.Series(None, index=frame.index, dtype=object)
        shown[field_key] = column_values.map(lambda v, e=field_enum: i18n.label(e, v)) if field_enum else column_values
    badges = _badges(frame["number"], key)
    short = _badges(frame["number"], key, "badge_short")
    names = frame["name"].fillna("").astype(str) if "name" in frame else pd.Series("", index=frame.index)
    tips = tuple(str(b) if not n else f"{b} · {n}" for b, n in zip(badges, names.tolist(), strict=True))
    layer = MapLayer(
        key,
        i18n.t(f"map.layer.{key}"),
        classes,
        i18n.t(f"map.field.{class_field}"),
        frame.geometry.reset_index(drop=True),
        index,
        tips,
        tuple(i18n.t(f"map.field.{k}") for k in rows),
        _rows(shown, rows),
        short,
        i18n.t(f"map.badge_note.{key}"),
    )
    return _drop_unclassed(layer)


def public_space_layer(spaces: gpd.GeoDataFrame, style: MapStyle | None = None) -> MapLayer:
    """Return public spaces (架空层, 文化墙, 小花园 …) coloured by type, each with its number."""
    rows = {"area": ("area_m2", "")}
    return _enum_layer(spaces, LayerKey.PUBLIC_SPACES, "type", "public_space_type", "type", rows, style or map_style())


def idle_plot_layer(plots: gpd.GeoDataFrame, style: MapStyle | None = None) -> MapLayer:
    """Return idle plots coloured by status (闲置 / 已提议 / 改造中 / 已完成), each with its number."""
    rows = {"kind": ("kind", "idle_plot_kind"), "proposed_use": ("proposed_use", ""), "area": ("area_m2", "")}
    return _enum_layer(plots, LayerKey.IDLE_PLOTS, "status", "idle_plot_status", "status", rows, style or map_style())


def current_adopter_roles(adoptions: pd.DataFrame, today: str | None = None) -> pd.Series:
    """Return zone_id -> adopter role code of the adoption in force (latest start, not ended).

    Only ``zone_id``, ``adopter_type``, ``start_on`` and ``end_on`` are read:
    the adopter's name (``public_name``) never reaches a map.
    """
    if adoptions is None or adoptions.empty:
        return pd.Series(dtype=object)
    today = today or pd.Timestamp.today().strftime("%Y-%m-%d")
    frame = adoptions[["zone_id", "adopter_type", "start_on", "end_on"]].copy()
    ended = frame["end_on"].notna() & (frame["end_on"].astype(str) < today) & frame["end_on"].astype(str).ne("")
    frame = frame[~ended].sort_values("start_on", na_position="first")
    return frame.groupby("zone_id")["adopter_type"].last()


def adoption_layer(
    zones: gpd.GeoDataFrame, adoptions: pd.DataFrame | None = None, style: MapStyle | None = None
) -> MapLayer:
    """Return adoption zones: available or adopted, the adopter shown by role (党员, 志愿者团队 …), never by name."""
    roles = current_adopter_roles(adoptions if adoptions is not None else pd.DataFrame())
    zones = zones.assign(adopter=zones["zone_id"].map(roles))
    rows = {"type": ("zone_type", "adoption_zone_type"), "adopter": ("adopter", "adopter_type")}
    return _enum_layer(
        zones, LayerKey.ADOPTION_ZONES, "status", "adoption_status", "status", rows, style or map_style()
    )


def _named_layer(frame: gpd.GeoDataFrame, key: LayerKey, style: MapStyle) -> MapLayer:
    """A layer classed by its ``kind`` code, each feature named where it has a name: roads and landmarks."""
    from cogov_toolkit.render.style import LANDMARK_MARKERS, LANDMARK_SIZE, ROAD_LOOK

    enum = "road_kind" if key is LayerKey.ROADS else "landmark_kind"
    order = ENUMS[enum]
    classes, index = _classes(frame["kind"], order, [i18n.label(enum, c) for c in order], style, enum)
    if key is LayerKey.ROADS:
        classes = tuple(
            LegendClass(c.label, c.colour, c.hatch, c.count, width=ROAD_LOOK[code][0], dash=ROAD_LOOK[code][1])
            for c, code in zip(classes, order, strict=True)
        )
    else:
        classes = tuple(
            LegendClass(
                c.label, c.colour, c.hatch, c.count, marker=LANDMARK_MARKERS[code], size=LANDMARK_SIZE.get(code, 1.0)
            )
            for c, code in zip(classes, order, strict=True)
        )
    raw = frame["name"] if "name" in frame else pd.Series(None, index=frame.index, dtype=object)
    names = [n.strip() if isinstance(n, str) and n.strip() else None for n in raw.tolist()]
    kinds = [i18n.label(enum, c) if isinstance(c, str) else "" for c in frame["kind"].tolist()]
    tips = tuple(n or k for n, k in zip(names, kinds, strict=True))
    if key is LayerKey.LANDMARKS:
        names = [n or k for n, k in zip(names, kinds, strict=True)]  # a nameless 快递柜 is labelled 快递柜
    # name and kind only: notes are the planner's and never reach a published map
    layer = MapLayer(
        key,
        i18n.t(f"map.layer.{key}"),
        classes,
        i18n.t("map.field.kind"),
        frame.geometry.reset_index(drop=True),
        index,
        tips,
        (),
        tuple(() for _ in range(len(frame))),
        names=tuple(names),
    )
    return _drop_unclassed(layer)


def road_layer(roads: gpd.GeoDataFrame, style: MapStyle | None = None) -> MapLayer:
    """Return roads as quiet lines by kind (市政道路, 小区道路, 消防通道, 步道), named where they have a name."""
    return _named_layer(roads, LayerKey.ROADS, style or map_style())


def landmark_layer(landmarks: gpd.GeoDataFrame, style: MapStyle | None = None) -> MapLayer:
    """Return gates and landmarks (大门, 党群服务中心, 快递柜 …) as small symbols by kind, each with its name."""
    return _named_layer(landmarks, LayerKey.LANDMARKS, style or map_style())


#: place_type code -> (layer, id column) a demand's place is looked up in
_PLACE_LAYERS = {
    "building": ("buildings", "building_id"),
    "public_space": ("public_spaces", "space_id"),
    "idle_plot": ("idle_plots", "plot_id"),
    "adoption_zone": ("adoption_zones", "zone_id"),
    "neighbourhood": ("neighbourhoods", "neighbourhood_id"),
}
#: metres between demands reported at the same place, so that each one can be clicked
_SPREAD_M = 4.0


def _place_points(places: dict[str, gpd.GeoDataFrame]) -> dict[tuple[str, str], tuple[float, float]]:
    """Return (place_type, id) -> a point inside that place."""
    out: dict[tuple[str, str], tuple[float, float]] = {}
    for place_type, (layer, id_column) in _PLACE_LAYERS.items():
        frame = places.get(layer)
        if frame is None or frame.empty:
            continue
        points = frame.geometry.representative_point()
        for pid, x, y in zip(frame[id_column].astype(str), points.x, points.y, strict=True):
            out[(place_type, pid)] = (x, y)
    return out


def demand_layer(demands: pd.DataFrame, places: dict[str, gpd.GeoDataFrame], style: MapStyle | None = None) -> MapLayer:
    """Return demands (诉求) as points at their place, coloured by triage class (大事 / 小事 / 私事 / 未分流).

    Demands at the same place are spread on a small sunflower spiral so each
    stays clickable. Demands without a known place are counted in the legend
    note instead of being guessed onto the map.
    """
    import geopandas as gpd
    import shapely

    style = style or map_style()
    lookup = _place_points(places)
    xs, ys, keep, seen = [], [], [], {}
    for i, row in enumerate(demands[["place_type", "place_id", "building_id"]].itertuples(index=False)):
        point = lookup.get((str(row.place_type), str(row.place_id))) or lookup.get(("building", str(row.building_id)))
        if point is None:
            continue
        k = seen[point] = seen.get(point, -1) + 1
        # golden-angle spiral: evenly spaced, deterministic, no overlap for any count
        angle, radius = k * 2.39996, _SPREAD_M * math.sqrt(k)
        xs.append(point[0] + radius * math.cos(angle) / (111_320.0 * math.cos(math.radians(point[1]))))
        ys.append(point[1] + radius * math.sin(angle) / 110_540.0)
        keep.append(i)
    placed = demands.iloc[keep].reset_index(drop=True)
    order = ("major", "minor", "private", "")
    labels = [i18n.label("triage_class", c) for c in order[:-1]] + [i18n.t("map.value.unclassified")]
    classes, index = _classes(placed["triage_class"], order, labels, style, "triage_class")
    shown = pd.DataFrame(
        {
            "category": placed["category"].map(lambda v: i18n.label("demand_category", v)),
            "reported_on": placed["reported_on"],
            "text": placed["text"],
        }
    )
    tips = tuple(i18n.t("map.badge.demands", number=d) for d in placed["demand_id"].astype(str))
    unplaced = len(demands) - len(placed)
    geometry = gpd.GeoSeries(shapely.points(xs, ys) if xs else [], crs=4326)
    return MapLayer(
        LayerKey.DEMANDS,
        i18n.t("map.layer.demands"),
        classes,
        i18n.t("map.field.triage"),
        geometry,
        index,
        tips,
        tuple(i18n.t(f"map.field.{k}") for k in shown.columns),
        _rows(shown, shown.columns),
        None,
        i18n.t("map.value.unplaced", count=unplaced) if unplaced else None,
    )


# --- a whole workspace ----------------------------------------------------------------
def background_geometry(layers: dict[str, gpd.GeoDataFrame]) -> gpd.GeoSeries:
    """Return the light outline map drawn from the workspace itself (community, compounds, grids)."""
    import geopandas as gpd

    parts = [layers[k].geometry for k in ("community", "neighbourhoods", "grids") if k in layers and len(layers[k])]
    if not parts:
        return gpd.GeoSeries([], crs=4326)
    return gpd.GeoSeries(pd.concat(parts, ignore_index=True), crs=4326)


__all__ = [
    "LayerKey",
    "LegendClass",
    "MapContent",
    "MapLayer",
    "adoption_layer",
    "background_geometry",
    "building_layer",
    "current_adopter_roles",
    "demand_layer",
    "idle_plot_layer",
    "landmark_layer",
    "public_space_layer",
    "road_layer",
]
