"""The interactive map: a folium map that opens with no internet, in JupyterLab and as one HTML file.

Design, and why:

* **Offline.** Leaflet is inlined from packages (:mod:`.offline_assets`); no
  basemap by default, the workspace's own outlines are the background.
* **Compact and fast.** Features are not folium ``GeoJson`` objects: each layer
  travels as one compact payload (coordinates as integer steps of 1e-6 degree,
  about 0.1 m, delta-encoded; only the shown properties) that a small script
  turns into Leaflet layers drawn on one canvas. At 50,000 buildings this is a
  fraction of folium's size, build time and drawing time (``benchmarks/bench_maps.py``).
* **Safe.** Every text that becomes HTML (names, demand text, legend labels)
  goes through :func:`cogov_toolkit.core.escape.html_text` here in Python; the
  script only joins escaped strings. The payload itself is embedded with
  ``<``, ``>``, ``&`` written as JSON escapes, so no text can close the script.
* **Readable.** Layer control, Chinese legend with counts, tooltips, popups,
  and the short site numbers ("3号地块") drawn on the map; ``courtyard=True``
  switches to the projector style.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from cogov_toolkit import i18n
from cogov_toolkit._optional import require
from cogov_toolkit.core.escape import html_text
from cogov_toolkit.errors import CogovError
from cogov_toolkit.render.basemaps import Basemap, shift_for, tile_sources
from cogov_toolkit.render.map_layers import MapContent, MapLayer
from cogov_toolkit.render.offline_assets import (
    assert_offline,
    make_offline,
    raw_element,
    raw_script,
)
from cogov_toolkit.render.style import MapStyle, StyleName, map_style

if TYPE_CHECKING:
    import folium
    import geopandas as gpd


#: coordinates travel as integers of this many steps per degree (1e-6 degree is about 0.11 m)
COORD_STEPS_PER_DEGREE = 1_000_000


@dataclass(frozen=True)
class InteractiveOptions:
    """Options of :func:`interactive_map`.

    Attributes
    ----------
    courtyard : bool
        The one switch for projecting outdoors: labels of at least 18 px, a
        high-contrast colour-blind-safe palette, large site numbers.
    basemap : Basemap
        Tiles under the data; none (offline) by default.
    tianditu_key : str, optional
        Key of the Tianditu basemap (else ``COGOV_TIANDITU_KEY``).
    height : str
        Height of the map in a notebook or page (CSS).
    """

    courtyard: bool = False
    basemap: Basemap = Basemap.NONE
    tianditu_key: str | None = None
    height: str = "100%"

    @property
    def style(self) -> MapStyle:
        """The :class:`MapStyle` these options select."""
        return map_style(StyleName.COURTYARD if self.courtyard else StyleName.STANDARD)


# --- compact geometry encoding ---------------------------------------------------------
def _quantize(coords: np.ndarray, origin: tuple[float, float]) -> np.ndarray:
    return np.rint((coords[:, :2] - np.asarray(origin)) * COORD_STEPS_PER_DEGREE).astype(np.int64)


def _deltas(coords: np.ndarray, origin: tuple[float, float]) -> list[int]:
    """Return [dx0, dy0, dx1, dy1, …]: each vertex as the step from the previous one (short numbers)."""
    q = _quantize(coords, origin)
    return np.diff(q, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).ravel().tolist()


def _counts(offsets: np.ndarray) -> list[int]:
    return np.diff(offsets).tolist()


def _family(
    geometry: np.ndarray, positions: np.ndarray, origin: tuple[float, float], total: int, multi: int
) -> dict[str, Any] | None:
    """Encode the geometries of one family (points, lines or polygons) with their feature positions."""
    import shapely

    if positions.size == 0:
        return None
    kind, coords, offsets = shapely.to_ragged_array(geometry[positions])
    out: dict[str, Any] = {"f": None if positions.size == total else positions.tolist(), "c": _deltas(coords, origin)}
    if multi == 0:
        return out
    levels = [_counts(o) for o in offsets]
    if kind in (shapely.GeometryType.POLYGON, shapely.GeometryType.LINESTRING):
        levels.append([1] * positions.size)  # a single part is a multi-part of one
    out["r"] = levels[0]  # vertices per ring (per line)
    if multi == 2:
        out["p"] = levels[1]  # rings per polygon
    out["m"] = levels[-1]  # parts per feature
    return out


def encode_geometry(geometry: gpd.GeoSeries, origin: tuple[float, float]) -> dict[str, Any]:
    """Encode a layer's geometries for the map script: ``{"p": points, "l": lines, "a": polygons}``.

    Multi-points are drawn at one representative point; empty and missing
    geometries are left out (and so not counted on the map).
    """
    import shapely

    values = np.asarray(geometry.array, dtype=object)
    types = shapely.get_type_id(values)
    multipoint = types == shapely.GeometryType.MULTIPOINT
    if multipoint.any():
        values = values.copy()
        values[multipoint] = shapely.point_on_surface(values[multipoint])
        types = shapely.get_type_id(values)
    present = ~shapely.is_missing(values) & ~shapely.is_empty(values)
    point = np.flatnonzero(present & (types == shapely.GeometryType.POINT))
    line = np.flatnonzero(
        present & np.isin(types, [shapely.GeometryType.LINESTRING, shapely.GeometryType.MULTILINESTRING])
    )
    poly = np.flatnonzero(present & np.isin(types, [shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON]))
    n = len(values)
    return {
        "p": _family(values, point, origin, n, 0),
        "l": _family(values, line, origin, n, 1),
        "a": _family(values, poly, origin, n, 2),
    }


def _layer_payload(layer: MapLayer, geometry: gpd.GeoSeries, origin: tuple[float, float]) -> dict[str, Any]:
    """Everything the script needs for one layer; every text already escaped for HTML."""
    payload: dict[str, Any] = {
        "k": str(layer.key),
        "n": html_text(layer.title),
        "cf": html_text(layer.class_field),
        "cl": [[html_text(c.label), c.colour] for c in layer.classes],
        "ci": layer.class_index.tolist(),
        "t": [html_text(t) for t in layer.tips],
        "fl": [html_text(f) for f in layer.fields],
        "v": [[html_text(v) for v in row] for row in layer.values],
        "g": encode_geometry(geometry, origin),
    }
    if layer.badges is not None and any(b is not None for b in layer.badges):
        anchors = _quantize(np.column_stack([*_xy(geometry.representative_point())]), origin)
        payload["b"] = [html_text(b) if b is not None else None for b in layer.badges]
        payload["a"] = anchors.ravel().tolist()
    return payload


def _xy(points: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
    return points.x.to_numpy(), points.y.to_numpy()


def script_json(value: Any) -> str:
    """Return ``value`` as JSON that is safe inside a ``<script>`` element.

    Not HTML escaping (that is :func:`html_text`, applied to every text
    before): this only keeps any ``</script>`` or ``<!--`` in the data from
    ending the script early, by writing ``<``, ``>``, ``&`` and the JS line
    separators as JSON escapes, which decode to the same strings.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


# --- the page ----------------------------------------------------------------------------
_SCRIPT = r"""
(function () {
  var map = %(map)s, D = %(data)s, S = D.s, OX = D.o[0], OY = D.o[1];
  if (map.attributionControl) { map.attributionControl.setPrefix(false); }
  var renderer = L.canvas({padding: 0.3, tolerance: 5});
  function pts(c) {
    var out = new Array(c.length / 2), x = 0, y = 0;
    for (var i = 0, j = 0; i < c.length; i += 2, j++) { x += c[i]; y += c[i + 1]; out[j] = L.latLng(OY + y / S, OX + x / S); }
    return out;
  }
  function at(g, i) { return g.f ? g.f[i] : i; }
  function eachPoint(g, make) { if (!g) return; var P = pts(g.c); for (var i = 0; i < P.length; i++) make(at(g, i), P[i]); }
  function eachLine(g, make) {
    if (!g) return; var P = pts(g.c), k = 0, q = 0;
    for (var i = 0; i < g.m.length; i++) {
      var parts = [];
      for (var j = 0; j < g.m[i]; j++, q++) { parts.push(P.slice(k, k + g.r[q])); k += g.r[q]; }
      make(at(g, i), parts.length === 1 ? parts[0] : parts);
    }
  }
  function eachPolygon(g, make) {
    if (!g) return; var P = pts(g.c), k = 0, r = 0, q = 0;
    for (var i = 0; i < g.m.length; i++) {
      var polys = [];
      for (var j = 0; j < g.m[i]; j++, q++) {
        var rings = [];
        for (var h = 0; h < g.p[q]; h++, r++) { rings.push(P.slice(k, k + g.r[r])); k += g.r[r]; }
        polys.push(rings);
      }
      make(at(g, i), polys.length === 1 ? polys[0] : polys);
    }
  }
  // texts arrive escaped (html_text in Python): joining them here adds markup, never resident text
  function tip(ly, i) { return ly.t[i] + ' · ' + ly.cl[ly.ci[i]][0]; }
  function popup(ly, i) {
    var html = '<div class="cogov-popup-title">' + ly.t[i] + '</div><table><tr><th>' + ly.cf + '</th><td>'
      + ly.cl[ly.ci[i]][0] + '</td></tr>';
    for (var j = 0; j < ly.fl.length; j++) { html += '<tr><th>' + ly.fl[j] + '</th><td>' + ly.v[i][j] + '</td></tr>'; }
    return html + '</table>';
  }
  var bgPane = map.createPane('cogovBackground'); bgPane.style.zIndex = 250;
  var background = L.featureGroup();
  eachPolygon(D.bg, function (i, ll) {
    L.polygon(ll, {renderer: L.canvas({pane: 'cogovBackground'}), pane: 'cogovBackground', interactive: false,
      color: D.st.bgLine, weight: 1, fillColor: D.st.bgFill, fillOpacity: D.st.bgOpacity, cogovLayer: 'background'}).addTo(background);
  });
  background.addTo(map);
  var overlays = {}, groups = {};
  overlays[D.bgName] = background;
  D.layers.forEach(function (ly) {
    var group = L.featureGroup();
    function opts(i, extra) {
      var o = {renderer: renderer, color: D.st.outline, weight: D.st.weight, opacity: 1, fillOpacity: D.st.fill,
        fillColor: ly.cl[ly.ci[i]][1], cogovLayer: ly.k, cogovIdx: i};
      return extra ? L.extend(o, extra) : o;
    }
    eachPolygon(ly.g.a, function (i, ll) { group.addLayer(L.polygon(ll, opts(i))); });
    eachLine(ly.g.l, function (i, ll) { group.addLayer(L.polyline(ll, opts(i, {color: ly.cl[ly.ci[i]][1], weight: D.st.line}))); });
    eachPoint(ly.g.p, function (i, ll) { group.addLayer(L.circleMarker(ll, opts(i, {radius: D.st.radius, weight: D.st.weight + 1}))); });
    if (ly.b) {
      for (var i = 0; i < ly.b.length; i++) {
        if (ly.b[i] === null) continue;
        var icon = L.divIcon({className: 'cogov-badge', html: '<span>' + ly.b[i] + '</span>', iconSize: null});
        group.addLayer(L.marker(L.latLng(OY + ly.a[2 * i + 1] / S, OX + ly.a[2 * i] / S),
          {icon: icon, interactive: false, keyboard: false, cogovBadge: ly.k}));
      }
    }
    group.bindTooltip(function (l) { return tip(ly, l.options.cogovIdx); }, {sticky: true, className: 'cogov-tip'});
    group.bindPopup(function (l) { return popup(ly, l.options.cogovIdx); }, {className: 'cogov-popup', maxWidth: 420});
    group.addTo(map);
    overlays[ly.n] = group; groups[ly.k] = group;
  });
  L.control.layers(D.bases.length ? {} : null, overlays, {collapsed: false, position: 'topright'}).addTo(map);
  var legend = L.control({position: 'bottomright'});
  legend.onAdd = function () {
    var div = L.DomUtil.create('div', 'cogov-legend'); div.innerHTML = D.legend;
    L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div); return div;
  };
  legend.addTo(map);
  L.control.scale({imperial: false, position: 'bottomleft'}).addTo(map);
  map.fitBounds([[D.bounds[1], D.bounds[0]], [D.bounds[3], D.bounds[2]]], {padding: [20, 20]});
  window.cogovMaps = window.cogovMaps || [];
  window.cogovMaps.push({map: map, groups: groups, background: background});
})();
"""

_CSS = """
.leaflet-container {{ background: #ffffff; font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
  "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; font-size: {font}px; }}
.leaflet-container .leaflet-control-layers, .leaflet-container .leaflet-control-scale-line,
.cogov-tip, .cogov-popup .leaflet-popup-content, .cogov-legend {{ font-size: {font}px; line-height: 1.35; }}
.leaflet-container a.leaflet-popup-close-button {{ font-size: {title}px; width: {close}px; height: {close}px;
  line-height: {close}px; }}
.cogov-popup-title {{ font-weight: 700; margin-bottom: 4px; }}
.cogov-popup th {{ text-align: left; padding-right: 10px; font-weight: 400; color: #555; vertical-align: top; }}
.cogov-legend {{ background: rgba(255,255,255,0.92); padding: 6px 10px; border: 1px solid #888; border-radius: 4px;
  max-height: 70vh; overflow-y: auto; }}
.cogov-legend h4 {{ margin: 0 0 4px; font-size: {title}px; }}
.cogov-legend h5 {{ margin: 6px 0 2px; font-size: {font}px; }}
.cogov-legend i {{ display: inline-block; width: {swatch}px; height: {swatch}px; margin-right: 6px;
  vertical-align: middle; border: 1px solid {outline}; }}
.cogov-legend .note {{ color: #555; }}
.cogov-badge span {{ position: absolute; transform: translate(-50%, -50%); white-space: nowrap; font-weight: 700;
  font-size: {badge}px; line-height: 1.1; color: #000; background: rgba(255,255,255,0.88); border: 2px solid #000;
  border-radius: 4px; padding: 0 3px; pointer-events: none; }}
"""


def _legend_html(content: MapContent, layers: tuple[MapLayer, ...]) -> str:
    """The legend: community name, then each layer with colour swatches and counts (all escaped)."""
    parts = [f"<h4>{html_text(content.community)} · {html_text(i18n.t('map.legend.title'))}</h4>"]
    for layer in layers:
        parts.append(f"<h5>{html_text(layer.title)}</h5>")
        for c in layer.classes:
            label = i18n.t("map.legend.count", label=c.label, count=c.count)
            parts.append(f'<div><i style="background:{html_text(c.colour)}"></i>{html_text(label)}</div>')
        if layer.note:
            parts.append(f'<div class="note">{html_text(layer.note)}</div>')
    return "".join(parts)


def _origin(bounds: tuple[float, float, float, float]) -> tuple[float, float]:
    # a round origin near the data keeps the integer steps short and the decoding exact
    return (round(bounds[0], 3), round(bounds[1], 3))


def map_payload(content: MapContent, options: InteractiveOptions) -> dict[str, Any]:
    """Return the data the map script draws: layers, background, legend, style (texts escaped)."""
    style = options.style
    shifted = [shift_for(options.basemap, layer.geometry) for layer in content.layers]
    background = shift_for(options.basemap, content.background)
    with_tiles = options.basemap is not Basemap.NONE
    bounds = MapContent(content.community, (), background).bounds if len(background) else None
    all_bounds = _merged_bounds([g.total_bounds for g in shifted if len(g)] + ([bounds] if bounds else []))
    origin = _origin(all_bounds)
    return {
        "s": COORD_STEPS_PER_DEGREE,
        "o": list(origin),
        "bounds": list(all_bounds),
        "bg": encode_geometry(background, origin)["a"],
        "bgName": html_text(i18n.t("map.layer.background")),
        "layers": [_layer_payload(layer, g, origin) for layer, g in zip(content.layers, shifted, strict=True)],
        "legend": _legend_html(content, content.layers),
        "bases": [str(options.basemap)] if with_tiles else [],
        "st": {
            "outline": style.outline,
            "weight": style.weight,
            "line": style.weight * 3 + 1,
            "radius": style.point_radius,
            "fill": 0.8,
            "bgLine": "#9a9283",
            "bgFill": "#f3efe6",
            # over tiles the background only tints, so the streets stay readable
            "bgOpacity": 0.25 if with_tiles else 1.0,
        },
    }


def _merged_bounds(boxes: list) -> tuple[float, float, float, float]:
    if not boxes:
        raise CogovError("map.empty_map")
    arr = np.asarray(boxes, dtype=float)
    return (float(arr[:, 0].min()), float(arr[:, 1].min()), float(arr[:, 2].max()), float(arr[:, 3].max()))


def content_map(content: MapContent, options: InteractiveOptions | None = None) -> folium.Map:
    """Return an offline folium map of ``content`` (the layer model of :mod:`.map_layers`).

    Use :func:`interactive_map` for a workspace; this lower level serves
    generated data (benchmarks) and thematic layers.
    """
    folium = require("folium")
    options = options or InteractiveOptions()
    style = options.style
    payload = map_payload(content, options)
    b = payload["bounds"]
    m = folium.Map(
        location=[(b[1] + b[3]) / 2, (b[0] + b[2]) / 2],
        zoom_start=17,
        tiles=None,
        prefer_canvas=True,
        max_zoom=21,
        height=options.height,
    )
    make_offline(m)
    for source in tile_sources(options.basemap, options.tianditu_key):
        folium.TileLayer(
            tiles=source.url,
            attr=html_text(source.attribution),
            name=i18n.t(f"map.basemap.{options.basemap}"),
            subdomains=source.subdomains or "abc",
            max_zoom=21,
            max_native_zoom=source.max_zoom,
            overlay=False,
            control=False,
        ).add_to(m)
    css = _CSS.format(
        font=style.font_px,
        title=style.font_px + 2,
        swatch=max(12, style.font_px - 2),
        badge=style.badge_px,
        outline=style.outline,
        close=style.font_px + 10,
    )
    m.get_root().header.add_child(raw_element(f"<style>{css}</style>"), name="cogov_map_css")
    m.add_child(raw_script(_SCRIPT % {"map": m.get_name(), "data": script_json(payload)}))
    return m


def render_html(m: folium.Map) -> str:
    """Return the complete HTML page of a map."""
    return m.get_root().render()


def save_html(m: folium.Map, path: str | Path) -> Path:
    """Write a map as one self-contained HTML file and return its path.

    Raises
    ------
    CogovError
        If the page would still fetch something from the network (a CDN
        script or style added by another folium plugin).
    """
    html = render_html(m)
    assert_offline(html)
    path = Path(path)
    path.write_text(html, encoding="utf-8")
    return path


__all__ = [
    "COORD_STEPS_PER_DEGREE",
    "InteractiveOptions",
    "content_map",
    "encode_geometry",
    "map_payload",
    "render_html",
    "save_html",
    "script_json",
]
