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
  and the short site numbers ("地3") drawn on the map, placed in the browser at
  every view by the greedy rule of :mod:`.labels` (never overlapping; a leader
  line or hidden when there is no room); buildings numbered where they fit.
  The map opens at its final view, fitted with a margin (no opening animation),
  zoom bounded around the community, a foldable legend that never reaches the
  layer switch, 回到全景 and full-screen buttons, an optional 您在这里 marker,
  a ``<title>``, and a note on the map when basemap tiles cannot load.
  ``courtyard=True`` switches to the projector style.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from cogov_toolkit import i18n
from cogov_toolkit._optional import require
from cogov_toolkit.core.escape import html_text
from cogov_toolkit.errors import CogovError
from cogov_toolkit.render.basemaps import Basemap, shift_for, tile_sources
from cogov_toolkit.render.labels import ALONG
from cogov_toolkit.render.map_layers import MapContent, MapLayer
from cogov_toolkit.render.offline_assets import (
    assert_offline,
    make_offline,
    raw_element,
    raw_script,
)
from cogov_toolkit.render.style import COURTYARD_MIN_PX, MapStyle, StyleName, map_style

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
    here : tuple of float, optional
        (lon, lat, WGS-84) of the meeting's place: a "您在这里" marker, placed
        before every other label (see :func:`~cogov_toolkit.workflows.maps.site_point`).
    """

    courtyard: bool = False
    basemap: Basemap = Basemap.NONE
    tianditu_key: str | None = None
    height: str = "100%"
    here: tuple[float, float] | None = None

    @property
    def hidden_layers(self) -> frozenset[str]:
        """Layers in the layer switch but off at the start: demands on the projector (60 points crowd the sites)."""
        return frozenset({"demands"}) if self.courtyard else frozenset()

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


def _layer_payload(
    layer: MapLayer, geometry: gpd.GeoSeries, origin: tuple[float, float], off: frozenset[str] = frozenset()
) -> dict[str, Any]:
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
    if layer.key in off:
        payload["off"] = 1  # in the layer switch, not shown at the start
    if layer.numbered:
        payload["lb"] = 1  # each feature's name ("5栋") is written on it where it fits
    if any(c.width for c in layer.classes):
        payload["ls"] = [[c.width, list(c.dash)] for c in layer.classes]  # each class's own line: roads
    if any(c.marker for c in layer.classes):
        payload["sym"] = [c.size for c in layer.classes]  # small symbols with a white ring, by size: landmarks
    if layer.names is not None and any(n is not None for n in layer.names):
        payload["nm"] = [html_text(n) if n is not None else None for n in layer.names]
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
  var map = %(map)s, D = %(data)s, S = D.s, OX = D.o[0], OY = D.o[1], U = D.ui;
  if (map.attributionControl) { map.attributionControl.setPrefix(false); }
  var renderer = L.canvas({padding: 0.3, tolerance: 5});
  function ll(x, y) { return L.latLng(OY + y / S, OX + x / S); }
  function pts(c) {
    var out = new Array(c.length / 2), x = 0, y = 0;
    for (var i = 0, j = 0; i < c.length; i += 2, j++) { x += c[i]; y += c[i + 1]; out[j] = ll(x, y); }
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

  // --- the layers, built before they are added: they are projected once, at the final view
  var bgPane = map.createPane('cogovBackground'); bgPane.style.zIndex = 250;
  var background = L.featureGroup();
  eachPolygon(D.bg, function (i, g) {
    L.polygon(g, {renderer: L.canvas({pane: 'cogovBackground'}), pane: 'cogovBackground', interactive: false,
      color: D.st.bgLine, weight: 1, fillColor: D.st.bgFill, fillOpacity: D.st.bgOpacity, cogovLayer: 'background'}).addTo(background);
  });
  var overlays = {}, groups = {}, order = [], numbered = [], sites = [], named = [];
  overlays[D.bgName] = background;
  var labelPane = map.createPane('cogovLabels'); labelPane.style.zIndex = 620; labelPane.style.pointerEvents = 'none';
  L.DomUtil.addClass(labelPane, 'leaflet-zoom-hide');  // hidden while a zoom animates, placed again after
  function makeLabel(cls, html) {
    var el = L.DomUtil.create('div', cls, labelPane);
    el.innerHTML = '<i class="cogov-leader"></i><span>' + html + '</span>';
    el.style.display = 'none';
    return {el: el, span: el.lastChild, leader: el.firstChild, w: 0, h: 0};
  }
  D.layers.forEach(function (ly) {
    var group = L.featureGroup(), features = [];
    function opts(i, extra) {
      var o = {renderer: renderer, color: ly.lb ? D.st.bOutline : D.st.outline, weight: ly.lb ? D.st.bWeight : D.st.weight,
        opacity: 1, fillOpacity: ly.lb ? D.st.bFill : D.st.fill, fillColor: ly.cl[ly.ci[i]][1], cogovLayer: ly.k, cogovIdx: i};
      return extra ? L.extend(o, extra) : o;
    }
    eachPolygon(ly.g.a, function (i, g) { features[i] = L.polygon(g, opts(i)); group.addLayer(features[i]); });
    eachLine(ly.g.l, function (i, g) {
      var look = ly.ls ? ly.ls[ly.ci[i]] : null, w = look ? look[0] * D.st.road : D.st.line;
      var dash = look && look[1].length ? look[1].map(function (d) { return d * w; }).join(' ') : null;
      features[i] = L.polyline(g, opts(i, {color: ly.cl[ly.ci[i]][1], weight: w, dashArray: dash, lineCap: look ? 'butt' : 'round'}));
      group.addLayer(features[i]);
    });
    eachPoint(ly.g.p, function (i, g) {
      var o = ly.sym ? {radius: D.st.symR * ly.sym[ly.ci[i]], color: '#ffffff', weight: 2, fillOpacity: 1} : {radius: D.st.radius, weight: D.st.weight + 1};
      features[i] = L.circleMarker(g, opts(i, o)); group.addLayer(features[i]);
    });
    if (ly.b) {
      for (var i = 0; i < ly.b.length; i++) {
        if (ly.b[i] === null) continue;
        var label = makeLabel('cogov-badge', ly.b[i]);
        label.ll = ll(ly.a[2 * i], ly.a[2 * i + 1]); label.group = group; label.k = ly.k; label.i = i;
        label.r = ly.g.p && features[i] instanceof L.CircleMarker ? D.st.radius + 2 : 0;
        sites.push(label);
      }
    }
    if (ly.lb) { numbered.push({ly: ly, group: group, features: features, pool: {}}); }
    if (ly.nm && ly.sym) {  // a landmark's name beside its symbol, placed after every site number
      for (var j = 0; j < ly.nm.length; j++) {
        if (ly.nm[j] === null || !(features[j] instanceof L.CircleMarker)) continue;
        var place = makeLabel('cogov-place', ly.nm[j]);
        place.ll = features[j].getLatLng(); place.group = group; place.r = features[j].getRadius() + 2; place.beside = true;
        sites.push(place);
      }
    } else if (ly.nm) { named.push({ly: ly, group: group, features: features, pool: {}}); }
    group.bindTooltip(function (l) { return tip(ly, l.options.cogovIdx); }, {sticky: true, className: 'cogov-tip'});
    group.bindPopup(function (l) { return popup(ly, l.options.cogovIdx); }, {className: 'cogov-popup', maxWidth: 420});
    overlays[ly.n] = group; groups[ly.k] = group; order.push(group);
  });
  var here = null;
  if (D.here) {
    here = makeLabel('cogov-badge cogov-here', D.here.t);
    here.ll = ll(D.here.a[0], D.here.a[1]); here.r = 16;
    here.group = L.featureGroup([L.circleMarker(here.ll, {radius: 14, color: D.st.here, weight: 5, fillColor: '#ffffff',
      fillOpacity: 1, interactive: false, cogovLayer: 'here'})]);
    sites.unshift(here);
  }

  // --- controls: the layer switch, a compact legend that never reaches it, back to the whole view, full screen
  var layersCtl = L.control.layers(D.bases.length ? {} : null, overlays, {collapsed: false, position: 'topright'}).addTo(map);
  var legend = L.control({position: 'bottomright'}), legendBody = null;
  legend.onAdd = function () {
    var div = L.DomUtil.create('div', 'cogov-legend');
    div.innerHTML = '<button type="button" class="cogov-legend-toggle" aria-expanded="true">' + U.legend + '</button>'
      + '<div class="cogov-legend-body">' + D.legend + '</div>';
    legendBody = div.lastChild;
    div.firstChild.onclick = function () {
      var open = legendBody.style.display === 'none';
      legendBody.style.display = open ? '' : 'none';
      div.firstChild.setAttribute('aria-expanded', open ? 'true' : 'false');
      if (open) fitLegend();
      schedule();  // labels may use the room the folded legend leaves, or must leave what it takes again
    };
    L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div); return div;
  };
  legend.addTo(map);
  var legendDiv = legend.getContainer(), layersDiv = layersCtl.getContainer();
  function fitLegend() {
    // the room between the layer switch and the bottom: the legend takes columns before it scrolls
    // (a height-bound multi-column box overflows sideways, so the columns are counted from one column's height)
    // when three columns are not enough the type steps down, never below the style's smallest (18 px projected)
    var room = map.getSize().y - (layersDiv.offsetTop + layersDiv.offsetHeight) - 30 - legendDiv.firstChild.offsetHeight;
    legendBody.style.maxHeight = Math.max(80, room) + 'px';
    // (and at last a fourth column, the legend then as wide as two thirds of the screen: it was opened to be read)
    var fits = false;
    for (var cols = 3; cols <= 4 && !fits; cols++) {
      legendDiv.style.maxWidth = cols > 3 ? '64vw' : '';
      for (var px = D.st.font; px >= D.st.legendMin; px--) {
        legendBody.style.fontSize = px < D.st.font ? px + 'px' : '';
        legendBody.style.columnCount = '';
        var need = Math.ceil(legendBody.scrollHeight / Math.max(1, legendBody.clientHeight) - 0.02);
        if (need > 1) legendBody.style.columnCount = Math.min(cols, need);
        fits = legendBody.scrollWidth <= legendBody.clientWidth + 1;
        if (fits) break;
      }
    }
  }
  fitLegend();
  // on a small screen (a 1280×720 projector) the open legend would take the map's room: it starts folded
  if (legendDiv.offsetWidth > 0.34 * map.getSize().x) { legendDiv.firstChild.onclick(); }
  function button(text, act) {
    var ctl = L.control({position: 'topleft'});
    ctl.onAdd = function () {
      var b = L.DomUtil.create('button', 'cogov-btn'); b.type = 'button'; b.innerHTML = text;
      L.DomEvent.disableClickPropagation(b); L.DomEvent.on(b, 'click', function () { act(b); }); return b;
    };
    return ctl.addTo(map);
  }
  function fitPadding() {
    var right = Math.max(legendDiv.offsetWidth, layersDiv.offsetWidth) + 20;
    return {paddingTopLeft: [D.st.padLeft, 20], paddingBottomRight: [right, 36]};
  }
  var whole = L.latLngBounds([[D.bounds[1], D.bounds[0]], [D.bounds[3], D.bounds[2]]]);
  button(U.home, function () { map.fitBounds(whole, fitPadding()); });
  var page = map.getContainer();
  if (page.requestFullscreen) {
    button(U.full, function (b) {
      if (document.fullscreenElement) { document.exitFullscreen(); } else { page.requestFullscreen(); }
    });
    document.addEventListener('fullscreenchange', function () { map.invalidateSize(); fitLegend(); schedule(); });
  }
  L.control.scale({imperial: false, position: 'bottomleft'}).addTo(map);
  if (D.bases.length) {  // offline, tiles fail: say so on the map, the data still shows
    var note = L.control({position: 'bottomleft'}), noted = false;
    note.onAdd = function () { var d = L.DomUtil.create('div', 'cogov-note'); d.innerHTML = U.tiles; return d; };
    map.eachLayer(function (l) {
      if (l instanceof L.TileLayer) l.on('tileerror', function () { if (!noted) { noted = true; note.addTo(map); } });
    });
  }

  // --- open at the final view (no opening animation), zoom bounded around the community
  map.setMaxZoom(D.zmax);
  map.fitBounds(whole, L.extend({animate: false}, fitPadding()));
  map.setMinZoom(Math.max(0, map.getZoom() - D.zout));
  map.setMaxBounds(whole.pad(1.5));
  background.addTo(map);
  order.forEach(function (g, k) { if (!D.layers[k].off) g.addTo(map); });
  if (here) here.group.addTo(map);

  // --- labels: greedy placement over candidate positions, in priority order, at every view
  // (the rule of cogov_toolkit/render/labels.py): the anchor, eight places around it, then rings
  // further out with a leader line; a label with no free place is hidden, never drawn over another
  var RINGS = [1.0, 2.0, 3.2, 4.6, 6.2], NEAR = 2, DIRS = [[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [-1, 1], [1, -1], [-1, -1]], GAP = 3;
  function measure(labels) {
    labels.forEach(function (s) { if (!s.w) { s.el.style.display = ''; } });
    labels.forEach(function (s) { if (!s.w) { s.w = s.span.offsetWidth; s.h = s.span.offsetHeight; } });
  }
  function free(box, boxes) {
    for (var j = 0; j < boxes.length; j++) {
      var o = boxes[j];
      if (box[0] < o[2] + GAP && o[0] < box[2] + GAP && box[1] < o[3] + GAP && o[1] < box[3] + GAP) return false;
    }
    return true;
  }
  function show(s, p, dx, dy, leader) {
    s.el.style.display = '';
    L.DomUtil.setPosition(s.el, p);
    s.span.style.left = (dx - s.w / 2) + 'px'; s.span.style.top = (dy - s.h / 2) + 'px';
    if (leader) {
      s.leader.style.display = 'block';
      s.leader.style.width = Math.sqrt(dx * dx + dy * dy) + 'px';
      s.leader.style.transform = 'rotate(' + Math.atan2(dy, dx) + 'rad)';
    } else { s.leader.style.display = 'none'; }
  }
  function placeSite(s, boxes) {
    var p = map.latLngToLayerPoint(s.ll), hw = s.w / 2 + s.r + GAP, hh = s.h / 2 + s.r + GAP;
    var tries = s.beside ? [] : [[0, 0, false]];  // a name goes beside its symbol, never over it
    for (var k = 0; k < (s.beside ? NEAR : RINGS.length); k++) {  // a name stays near its symbol
      for (var d = 0; d < DIRS.length; d++) {
        tries.push([DIRS[d][0] * (hw + (RINGS[k] - 1) * s.w), DIRS[d][1] * (hh + (RINGS[k] - 1) * s.h), k > 0]);
      }
    }
    for (var t = 0; t < tries.length; t++) {
      var cx = p.x + tries[t][0], cy = p.y + tries[t][1];
      var box = [cx - s.w / 2, cy - s.h / 2, cx + s.w / 2, cy + s.h / 2];
      if (free(box, boxes)) { boxes.push(box); show(s, p, tries[t][0], tries[t][1], tries[t][2]); return true; }
    }
    s.el.style.display = 'none';
    return false;
  }
  var shownNumbers = [];
  function placeNumbers(boxes) {
    shownNumbers.forEach(function (s) { s.el.style.display = 'none'; });
    shownNumbers = [];
    var view = map.getBounds(), zoom = map.getZoom();
    numbered.forEach(function (n) {
      if (!map.hasLayer(n.group)) return;
      var f = n.features, i, picked = [];
      // a sample first: when buildings are smaller than a number (a district on one screen), none is labelled
      var step = Math.max(1, Math.floor(f.length / 50)), wide = 0, seen = 0;
      for (i = 0; i < f.length; i += step) {
        if (!f[i] || !f[i].getBounds) continue;
        var b = f[i].getBounds(), pw = map.latLngToLayerPoint(b.getNorthEast()).x - map.latLngToLayerPoint(b.getSouthWest()).x;
        seen++; if (pw >= D.st.bPx * 2) wide++;
      }
      if (!seen || wide / seen < 0.2) return;
      for (i = 0; i < f.length; i++) {
        if (f[i] && f[i].getBounds && view.intersects(f[i].getBounds())) picked.push(i);
        if (picked.length > 800) return;  // too many to read on one screen
      }
      var fresh = picked.filter(function (i) { return !n.pool[i]; }).map(function (i) {
        var s = n.pool[i] = makeLabel('cogov-number', n.ly.t[i]); s.ll = f[i].getBounds().getCenter(); return s;
      });
      measure(fresh);
      picked.forEach(function (i) {
        var s = n.pool[i], b = f[i].getBounds(), p = map.latLngToLayerPoint(s.ll);
        var ne = map.latLngToLayerPoint(b.getNorthEast()), sw = map.latLngToLayerPoint(b.getSouthWest());
        var box = [p.x - s.w / 2, p.y - s.h / 2, p.x + s.w / 2, p.y + s.h / 2];
        s.el.style.display = 'none';
        if (s.w > 1.15 * (ne.x - sw.x) || s.h > 1.15 * (sw.y - ne.y) || !free(box, boxes)) return;
        boxes.push(box); show(s, p, 0, 0, false); shownNumbers.push(s);
      });
    });
  }
  // road names last, where they fit: along the longest stretches of the road on screen, turned to
  // read left to right, their box (turned) clear of every label placed before
  var shownNames = [];
  function placeNames(boxes) {
    shownNames.forEach(function (s) { s.el.style.display = 'none'; });
    shownNames = [];
    var tl = map.containerPointToLayerPoint([0, 0]), br = map.containerPointToLayerPoint(map.getSize());
    named.forEach(function (n) {
      if (!map.hasLayer(n.group)) return;
      n.features.forEach(function (f, i) {
        if (!f || n.ly.nm[i] === null || !f.getLatLngs) return;
        var s = n.pool[i] || (n.pool[i] = makeLabel('cogov-road', n.ly.nm[i]));
        measure([s]); s.el.style.display = 'none';
        var parts = f.getLatLngs(), segs = [];
        if (parts.length && !Array.isArray(parts[0])) parts = [parts];
        parts.forEach(function (line) {
          for (var k = 1; k < line.length; k++) {
            var a = map.latLngToLayerPoint(line[k - 1]), b = map.latLngToLayerPoint(line[k]);
            segs.push([a, b, a.distanceTo(b)]);
          }
        });
        segs.sort(function (x, y) { return y[2] - x[2]; });
        for (var k = 0; k < Math.min(4, segs.length); k++) {
          var a = segs[k][0], b = segs[k][1];
          if (segs[k][2] < s.w + 2 * s.h) break;
          var ang = Math.atan2(b.y - a.y, b.x - a.x);
          if (ang > Math.PI / 2) ang -= Math.PI; else if (ang <= -Math.PI / 2) ang += Math.PI;
          var cw = Math.abs(s.w * Math.cos(ang)) + Math.abs(s.h * Math.sin(ang));
          var ch = Math.abs(s.w * Math.sin(ang)) + Math.abs(s.h * Math.cos(ang));
          var at = %(along)s;
          for (var q = 0; q < at.length; q++) {
            var c = L.point(a.x + at[q] * (b.x - a.x), a.y + at[q] * (b.y - a.y));
            var box = [c.x - cw / 2, c.y - ch / 2, c.x + cw / 2, c.y + ch / 2];
            if (box[0] < tl.x || box[1] < tl.y || box[2] > br.x || box[3] > br.y || !free(box, boxes)) continue;
            boxes.push(box); s.span.style.transform = 'rotate(' + ang + 'rad)';
            show(s, c, 0, 0, false); shownNames.push(s); return;
          }
        }
      });
    });
  }
  function place() {
    var live = sites.filter(function (s) { return map.hasLayer(s.group); });
    sites.forEach(function (s) { if (!map.hasLayer(s.group)) s.el.style.display = 'none'; });
    measure(live);
    // the legend and the layer switch are taken: a label there is hidden, one beside them keeps clear
    var boxes = [legendDiv, layersDiv].map(function (el) {
      var r = el.getBoundingClientRect(), m = map.getContainer().getBoundingClientRect();
      var a = map.containerPointToLayerPoint([r.left - m.left, r.top - m.top]);
      var b = map.containerPointToLayerPoint([r.right - m.left, r.bottom - m.top]);
      return [a.x, a.y, b.x, b.y];
    }), covered = boxes.slice();
    live.forEach(function (s) {
      var p = map.latLngToLayerPoint(s.ll);
      if (covered.some(function (c) { return p.x >= c[0] && p.x <= c[2] && p.y >= c[1] && p.y <= c[3]; })) {
        s.el.style.display = 'none';
      } else { placeSite(s, boxes); }
    });
    placeNumbers(boxes);
    placeNames(boxes);
  }
  var pending = false;
  function schedule() {
    if (pending) return; pending = true;
    L.Util.requestAnimFrame(function () { pending = false; place(); });
  }
  map.on('zoomend moveend overlayadd overlayremove', schedule);
  map.on('resize', function () { fitLegend(); schedule(); });
  place();
  window.cogovMaps = window.cogovMaps || [];
  window.cogovMaps.push({map: map, groups: groups, background: background, place: place, whole: whole,
    legend: legendDiv, layers: layersDiv, initialZoom: map.getZoom()});
})();
"""

_CSS = """
.leaflet-container {{ background: #ffffff; font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
  "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; font-size: {font}px; }}
.leaflet-container .leaflet-control-layers, .leaflet-container .leaflet-control-scale-line,
.cogov-tip, .cogov-popup .leaflet-popup-content, .cogov-legend, .cogov-note, .cogov-btn {{ font-size: {font}px;
  line-height: 1.35; }}
.leaflet-container .leaflet-control-attribution {{ font-size: {small}px; }}
.leaflet-container a.leaflet-popup-close-button {{ font-size: {title}px; width: {close}px; height: {close}px;
  line-height: {close}px; }}
.cogov-popup-title {{ font-weight: 700; margin-bottom: 4px; }}
.cogov-popup th {{ text-align: left; padding-right: 10px; font-weight: 400; color: #555; vertical-align: top; }}
.cogov-legend {{ background: rgba(255,255,255,0.95); padding: 4px 10px 6px; border: 1px solid #888; border-radius: 4px;
  max-width: 46vw; }}
.cogov-legend-body {{ overflow-y: auto; column-gap: 16px; }}
.cogov-legend-toggle {{ font: inherit; font-weight: 700; background: none; border: 0; padding: 2px 0; cursor: pointer;
  color: #000; }}
.cogov-legend-toggle::after {{ content: " ▾"; }}
.cogov-legend-toggle[aria-expanded="false"]::after {{ content: " ▸"; }}
.cogov-legend h4 {{ margin: 0 0 4px; font-size: inherit; }}
.cogov-legend h5 {{ margin: 4px 0 2px; font-size: inherit; break-after: avoid; }}
.cogov-legend div {{ break-inside: avoid; white-space: nowrap; }}
.cogov-legend i {{ display: inline-block; width: {swatch}px; height: {swatch}px; margin-right: 6px;
  vertical-align: middle; border: 1px solid {outline}; }}
.cogov-legend .note {{ color: #444; white-space: normal; }}
.cogov-btn {{ display: block; background: #fff; color: #000; border: 2px solid rgba(0,0,0,0.35); border-radius: 4px;
  padding: 2px 8px; cursor: pointer; font-family: inherit; }}
.cogov-note {{ background: #fff3cd; color: #000; border: 1px solid #b58900; border-radius: 4px; padding: 4px 8px;
  max-width: 40vw; }}
.cogov-badge, .cogov-number, .cogov-place, .cogov-road {{ position: absolute; left: 0; top: 0; width: 0; height: 0; }}
.cogov-badge span, .cogov-number span, .cogov-place span, .cogov-road span {{ position: absolute; white-space: nowrap;
  line-height: 1.15; color: #000; }}
.cogov-place span {{ font-size: {number}px; font-weight: 700; background: rgba(255,255,255,0.85); border-radius: 3px;
  padding: 0 2px; }}
.cogov-road span {{ font-size: {number}px; color: #333333; background: rgba(255,255,255,0.75); border-radius: 3px;
  padding: 0 3px; letter-spacing: 0.15em; transform-origin: 50% 50%; }}
.cogov-legend i.cogov-line {{ height: 0; width: {line_swatch}px; border: 0; border-top-style: solid; background: none; }}
.cogov-legend i.cogov-sym {{ border-radius: 50%; border: 2px solid #ffffff; box-shadow: 0 0 0 1px #555555; }}
.cogov-badge span {{ font-weight: 700; font-size: {badge}px; background: #ffffff; border: 2px solid #000;
  border-radius: 4px; padding: 0 3px; }}
.cogov-number span {{ font-size: {number}px; color: #1a1a1a; background: rgba(255,255,255,0.82); border-radius: 3px;
  padding: 0 2px; }}
.cogov-here span {{ background: {here}; color: #ffffff; border-color: {here}; }}
.cogov-leader {{ position: absolute; left: 0; top: 0; height: 0; border-top: 2px solid #000; transform-origin: 0 0;
  display: none; }}
"""


def _legend_html(content: MapContent, layers: tuple[MapLayer, ...]) -> str:
    """The legend: community name, then each layer with colour swatches and counts (all escaped)."""
    parts = [f"<h4>{html_text(content.community)}</h4>"]
    for layer in layers:
        parts.append(f"<h5>{html_text(layer.title)}</h5>")
        for c in layer.classes:
            if not c.count and (c.width or c.marker):
                continue  # roads and landmarks list only the kinds the workspace has
            label = i18n.t("map.legend.count", label=c.label, count=c.count)
            colour = html_text(c.colour)
            if c.width:  # a road: its own width and dashes
                line = "dotted" if c.dash and c.dash[0] < 2 else ("dashed" if c.dash else "solid")
                swatch = f'<i class="cogov-line" style="border-top:{c.width:g}px {line} {colour}"></i>'
            elif c.marker:  # a landmark: its round symbol
                swatch = f'<i class="cogov-sym" style="background:{colour}"></i>'
            else:
                swatch = f'<i style="background:{colour}"></i>'
            parts.append(f"<div>{swatch}{html_text(label)}</div>")
        if layer.note:
            parts.append(f'<div class="note">{html_text(layer.note)}</div>')
    return "".join(parts)


#: the colour of the "您在这里" marker: a red no layer uses, white text on it at 6.6:1
HERE_COLOUR = "#B00020"
#: how many zoom levels out from the opening view a resident may go (then the community is a speck)
ZOOM_OUT_LEVELS = 3
#: the finest scale: the scale bar (100 px at most) never reads less than about 5 m
FINEST_METRES_PER_PX = 0.05


def max_zoom(lat: float) -> float:
    """The deepest zoom (in quarter levels) at which 100 px still cover 5 m at latitude ``lat``."""
    z = math.log2(156_543.033_92 * math.cos(math.radians(lat)) / FINEST_METRES_PER_PX)
    return math.floor(z * 4) / 4


def _origin(bounds: tuple[float, float, float, float]) -> tuple[float, float]:
    # a round origin near the data keeps the integer steps short and the decoding exact
    return (round(bounds[0], 3), round(bounds[1], 3))


def map_payload(content: MapContent, options: InteractiveOptions) -> dict[str, Any]:
    """Return the data the map script draws: layers, background, legend, style (texts escaped)."""
    import geopandas as gpd
    import shapely

    style = options.style
    shifted = [shift_for(options.basemap, layer.geometry) for layer in content.layers]
    background = shift_for(options.basemap, content.background)
    with_tiles = options.basemap is not Basemap.NONE
    bounds = MapContent(content.community, (), background).bounds if len(background) else None
    all_bounds = _merged_bounds([g.total_bounds for g in shifted if len(g)] + ([bounds] if bounds else []))
    origin = _origin(all_bounds)
    payload: dict[str, Any] = {
        "s": COORD_STEPS_PER_DEGREE,
        "o": list(origin),
        "bounds": list(all_bounds),
        "bg": encode_geometry(background, origin)["a"],
        "bgName": html_text(i18n.t("map.layer.background")),
        "layers": [
            _layer_payload(layer, g, origin, options.hidden_layers)
            for layer, g in zip(content.layers, shifted, strict=True)
        ],
        "legend": _legend_html(content, content.layers),
        "bases": [str(options.basemap)] if with_tiles else [],
        "zmax": max_zoom((all_bounds[1] + all_bounds[3]) / 2),
        "zout": ZOOM_OUT_LEVELS,
        "ui": {key: html_text(i18n.t(f"map.ui.{key}")) for key in ("legend", "home", "full", "tiles", "here")},
        "st": {
            "outline": style.outline,
            "weight": style.weight,
            "bOutline": style.building_outline,
            "bWeight": max(1.0, style.weight / 2),
            "bFill": 0.9,
            "bPx": style.building_px,
            "line": style.weight * 3 + 1,
            "radius": style.point_radius,
            "symR": round(style.point_radius * 0.75, 1),
            "road": 1.5 if options.courtyard else 1.0,
            "fill": 0.85,
            "bgLine": "#9a9283",
            "bgFill": "#f3efe6",
            # over tiles the background only tints, so the streets stay readable
            "bgOpacity": 0.25 if with_tiles else 1.0,
            "here": HERE_COLOUR,
            "padLeft": 20 + 10 * style.font_px // 2,
            "font": style.font_px,
            "legendMin": COURTYARD_MIN_PX if options.courtyard else min(style.font_px, 12),
        },
    }
    if options.here is not None:
        point = shift_for(options.basemap, gpd.GeoSeries([shapely.Point(*options.here)], crs=4326)).iloc[0]
        anchor = _quantize(np.array([[point.x, point.y]]), origin)[0]
        payload["here"] = {"a": anchor.tolist(), "t": payload["ui"]["here"]}
    return payload


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
        max_zoom=payload["zmax"],
        height=options.height,
        zoom_snap=0.25,  # the opening fit fills the screen, not the nearest whole level below
        zoom_delta=1,
        # one wheel notch is about one level: two notches no longer fly from the whole view to 5 m
        wheel_px_per_zoom_level=120 if options.courtyard else 90,
    )
    make_offline(m)
    title = i18n.t("map.ui.title", community=content.community)
    m.get_root().header.add_child(raw_element(f"<title>{html_text(title)}</title>"), name="cogov_title")
    for source in tile_sources(options.basemap, options.tianditu_key):
        folium.TileLayer(
            tiles=source.url,
            attr=html_text(source.attribution),
            name=i18n.t(f"map.basemap.{options.basemap}"),
            subdomains=source.subdomains or "abc",
            max_zoom=math.ceil(payload["zmax"]),
            max_native_zoom=source.max_zoom,
            overlay=False,
            control=False,
        ).add_to(m)
    css = _CSS.format(
        font=style.font_px,
        small=max(11, style.font_px - 4),
        title=style.font_px + 2,
        swatch=max(12, style.font_px - 2),
        badge=style.badge_px,
        number=style.building_px,
        outline=style.outline,
        close=style.font_px + 10,
        here=HERE_COLOUR,
        line_swatch=max(22, 2 * style.font_px),
    )
    m.get_root().header.add_child(raw_element(f"<style>{css}</style>"), name="cogov_map_css")
    along = json.dumps(list(ALONG))  # the rule of render/labels.py, one list for screen and paper
    m.add_child(raw_script(_SCRIPT % {"map": m.get_name(), "data": script_json(payload), "along": along}))
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
    "HERE_COLOUR",
    "InteractiveOptions",
    "content_map",
    "encode_geometry",
    "map_payload",
    "max_zoom",
    "render_html",
    "save_html",
    "script_json",
]
