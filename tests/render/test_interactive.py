"""The interactive map: offline, complete, escaped, and free of personal data (in real headless Chromium)."""

from __future__ import annotations

import io
from pathlib import Path

import folium
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from cogov_toolkit.errors import CogovError
from cogov_toolkit.render.basemaps import Basemap, shift_for, tile_sources
from cogov_toolkit.render.interactive import (
    InteractiveOptions,
    map_payload,
    render_html,
    save_html,
    script_json,
)
from cogov_toolkit.render.map_layers import LayerKey
from cogov_toolkit.render.offline_assets import loadable_urls, make_offline, stray_http
from cogov_toolkit.render.style import COURTYARD_MIN_PX, GRID_TINTS
from cogov_toolkit.storage import Workspace, create_workspace, open_workspace
from cogov_toolkit.workflows.maps import interactive_map, site_point, workspace_content
from tests.browser import COUNT_FEATURES, OPEN_EVERY_OVERLAY, launch, open_offline
from tests.render.conftest import CANARY_ADOPTER, CANARY_NAME, CANARY_PHONE, SAMPLE, XSS_PAYLOADS


def rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)


def personal_values() -> list[str]:
    """Every household name and phone of the sample, plus the planted canaries."""
    households = pd.read_csv(SAMPLE / "households.csv", dtype=str, keep_default_na=False)
    values = [v for v in (*households["name"], *households["phone"]) if v]
    return [*values, CANARY_NAME, CANARY_PHONE, CANARY_ADOPTER]


def leaked(text: str, values: list[str]) -> list[str]:
    """Return the personal values found in ``text``."""
    return [v for v in values if v in text]


@pytest.fixture(name="browser", scope="module")
def fixture_browser():
    with launch() as browser:
        yield browser


@pytest.fixture(name="sample_html", scope="module")
def fixture_sample_html(sample_ws_path: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The sample map saved as HTML, and the number of features of each layer."""
    ws = open_workspace(sample_ws_path, backups=0)
    try:
        content = workspace_content(ws)
        path = save_html(interactive_map(ws), tmp_path_factory.mktemp("html") / "幸福社区 地图.html")
    finally:
        ws.close()
    return path, {layer.key: len(layer) for layer in content.layers}


# --- in the browser --------------------------------------------------------------------
def test_offline_map_draws_every_feature_with_no_request_and_no_error(browser, sample_html, tmp_path: Path) -> None:
    path, expected = sample_html
    assert set(expected) == {k.value for k in LayerKey} - {"choropleth"}  # demands included once they exist
    page, log = open_offline(browser, path)
    counted = page.evaluate(COUNT_FEATURES)
    assert log.outside == []
    assert log.errors == []
    assert {k: sorted(v) for k, v in counted.items()} == {k: list(range(n)) for k, n in expected.items()}
    # every site number is drawn on the map
    badges = page.locator(".cogov-badge").count()
    assert badges == expected["public_spaces"] + expected["idle_plots"] + expected["adoption_zones"]
    shot = np.asarray(Image.open(io.BytesIO(page.screenshot())).convert("RGB")).reshape(-1, 3).astype(int)
    # the four grid tints of the buildings, drawn at 0.9 opacity over the light background
    for colour in GRID_TINTS[:4]:
        want = 0.9 * rgb(colour) + 0.1 * rgb("#f3efe6")
        close = np.abs(shot - want).max(axis=1) <= 3
        assert close.sum() > 200, colour  # a few buildings' worth of pixels
    page.close()


def test_decoded_coordinates_match_the_workspace_to_a_decimetre(browser, sample_html, sample_ws: Workspace) -> None:
    path, _ = sample_html
    page, _ = open_offline(browser, path)
    first = page.evaluate(
        """() => { const m = window.cogovMaps[0].map;
        const l = Object.values(m._layers).find(l => l.options.cogovLayer === 'buildings' && l.options.cogovIdx === 0);
        return l.getLatLngs().flat(3).map(p => [p.lng, p.lat]); }"""
    )
    expected = np.asarray(sample_ws.read_layer("buildings").geometry.iloc[0].geoms[0].exterior.coords)[:-1]
    assert np.abs(np.asarray(first) - expected).max() < 1.5e-6  # about 0.15 m
    page.close()


def test_xss_payloads_in_every_text_never_run(browser, xss_ws_path: Path, tmp_path: Path) -> None:
    assert len(XSS_PAYLOADS) >= 20
    ws = open_workspace(xss_ws_path, backups=0)
    try:
        path = save_html(interactive_map(ws), tmp_path / "xss.html")
    finally:
        ws.close()
    page, log = open_offline(browser, path)
    seen = page.evaluate(OPEN_EVERY_OVERLAY)
    total = sum(len(v) for v in page.evaluate(COUNT_FEATURES).values())
    assert seen["tips"] == total and seen["popups"] == total
    assert page.evaluate("() => window.__xss") is None
    assert (
        page.evaluate("() => document.querySelectorAll('.leaflet-container img, .leaflet-container svg').length") == 0
    )
    assert log.outside == [] and log.errors == []
    # the payloads are shown as text, not dropped
    shown = "\n".join(seen["text"])
    assert sum(p.strip() in shown for p in XSS_PAYLOADS) >= 20
    page.close()


def test_the_xss_sentinel_catches_plain_folium(browser, tmp_path: Path) -> None:
    """The check above can fail: folium's own GeoJsonTooltip runs the payload."""
    m = make_offline(folium.Map(tiles=None, location=[24.49, 118.11], zoom_start=16))
    feature = {
        "type": "Feature",
        "properties": {"name": XSS_PAYLOADS[0]},
        "geometry": {"type": "Point", "coordinates": [118.11, 24.49]},
    }
    folium.GeoJson(
        {"type": "FeatureCollection", "features": [feature]}, tooltip=folium.GeoJsonTooltip(fields=["name"])
    ).add_to(m)
    path = tmp_path / "plain.html"
    path.write_text(render_html(m), encoding="utf-8")
    page, log = open_offline(browser, path)
    page.evaluate("""() => { const map = Object.values(window).find(v => v instanceof L.Map);
        map.eachLayer(l => { if (l.feature) l.fire('mouseover', {latlng: l.getLatLng()}, true); }); }""")
    page.wait_for_function("() => window.__xss === 1", timeout=5000)
    assert log.outside  # and the injected <img src=x> tried to fetch a file next to the page
    page.close()


def test_gaode_basemap_shifts_the_data_and_still_shows_offline(browser, sample_ws: Workspace, tmp_path: Path) -> None:
    path = save_html(interactive_map(sample_ws, basemap=Basemap.GAODE), tmp_path / "gaode.html")
    page, log = open_offline(browser, path)
    counted = page.evaluate(COUNT_FEATURES)
    assert len(counted["buildings"]) == sample_ws.count("buildings")
    assert any("autonavi.com" in url for url in log.outside)  # tiles were tried, blocked, and the data shows
    centre = page.evaluate("""() => { const m = window.cogovMaps[0].map;
        const l = Object.values(m._layers).find(l => l.options.cogovLayer === 'buildings' && l.options.cogovIdx === 0);
        const c = l.getBounds().getCenter(); return [c.lng, c.lat]; }""")
    wgs = sample_ws.read_layer("buildings").geometry.iloc[0].envelope.centroid
    gcj = shift_for(Basemap.GAODE, sample_ws.read_layer("buildings").geometry.iloc[:1]).iloc[0].envelope.centroid
    assert abs(centre[0] - gcj.x) < 2e-5 and abs(centre[0] - wgs.x) > 3e-3  # shifted by ~500 m, to GCJ-02
    page.close()


# --- in the file ---------------------------------------------------------------------
def test_html_holds_no_http_reference_and_no_personal_data(sample_html) -> None:
    path, _ = sample_html
    html = path.read_text(encoding="utf-8")
    assert loadable_urls(html) == []
    assert stray_http(html) == []
    for host in ("jsdelivr", "cdnjs", "code.jquery", "bootstrapcdn", "unpkg"):
        assert host not in html
    assert leaked(html, personal_values()) == []


def test_the_http_and_canary_searches_find_what_they_look_for(sample_ws: Workspace) -> None:
    plain = folium.Map().get_root().render()
    assert any("jsdelivr" in u for u in loadable_urls(plain))
    assert stray_http(render_html(interactive_map(sample_ws, basemap=Basemap.OSM)))
    # a canary deliberately let through (as a site name) is found
    plots = sample_ws.read_layer("idle_plots")
    plots.loc[0, "name"] = CANARY_NAME
    sample_ws.write_layer("idle_plots", plots)
    assert leaked(render_html(interactive_map(sample_ws)), personal_values()) == [CANARY_NAME]


def test_adopters_are_shown_by_role_never_by_name(sample_ws: Workspace) -> None:
    content = workspace_content(sample_ws)
    zones = next(layer for layer in content.layers if layer.key == LayerKey.ADOPTION_ZONES)
    shown = {row[-1] for row in zones.values}
    assert {"居民家庭", "党员", "志愿者团队", "辖区企业"} <= shown
    assert CANARY_ADOPTER not in str(zones)


def test_script_json_cannot_close_the_script() -> None:
    text = script_json({"t": "</script><script>alert(1)</script>{{x}}\u2028"})
    assert "<" not in text and ">" not in text and "\u2028" not in text


#: the smallest computed font size of any text on the map, with one tooltip and one popup open
SMALLEST_TEXT = """() => {
  const map = window.cogovMaps[0].map;
  const l = Object.values(map._layers).find(l => l.options.cogovLayer === 'idle_plots' && l.options.cogovIdx === 0);
  l.fire('mouseover', {latlng: l.getCenter()}, true);
  const popupLayer = Object.values(map._layers).find(l => l.options.cogovLayer === 'buildings');
  popupLayer.fire('click', {latlng: popupLayer.getCenter()}, true);
  let smallest = 1000, texts = 0;
  for (const el of document.querySelectorAll('.leaflet-container *')) {
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.offsetParent === null) continue;
    texts++; smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize));
  }
  return [smallest, texts];
}"""


def test_courtyard_mode_is_large_and_high_contrast(browser, sample_ws: Workspace, tmp_path: Path) -> None:
    sizes = {}
    for courtyard in (True, False):
        path = save_html(interactive_map(sample_ws, courtyard=courtyard), tmp_path / f"{courtyard}.html")
        page, log = open_offline(browser, path)
        smallest, texts = page.evaluate(SMALLEST_TEXT)
        assert texts > 60 and log.errors == []  # labels, legend, controls, a tooltip and a popup
        sizes[courtyard] = smallest
        page.close()
    assert sizes[True] >= COURTYARD_MIN_PX > sizes[False]
    html = render_html(interactive_map(sample_ws, courtyard=True))
    assert "#D55E00" in html and "#009E73" in html  # the Okabe-Ito palette


def test_map_shows_in_jupyter_without_cdn(sample_ws: Workspace) -> None:
    shown = interactive_map(sample_ws)._repr_html_()
    assert "<iframe" in shown and "jsdelivr" not in shown and "cogovMaps" in shown


def test_tianditu_needs_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COGOV_TIANDITU_KEY", raising=False)
    with pytest.raises(CogovError) as caught:
        tile_sources(Basemap.TIANDITU)
    assert caught.value.reason == "map.tianditu_key"
    assert all("tk=abc" in s.url for s in tile_sources(Basemap.TIANDITU, "abc"))
    monkeypatch.setenv("COGOV_TIANDITU_KEY", "fromenv")
    assert "tk=fromenv" in tile_sources("tianditu")[0].url


def test_payload_is_compact(sample_ws: Workspace) -> None:
    payload = map_payload(workspace_content(sample_ws), InteractiveOptions())
    buildings = next(layer for layer in payload["layers"] if layer["k"] == "buildings")
    steps = np.abs(np.asarray(buildings["g"]["a"]["c"][2:]))
    assert np.median(steps) < 500  # vertex steps of 0.1 m, not absolute degrees
    assert set(buildings) == {"k", "n", "cf", "cl", "ci", "t", "fl", "v", "g", "lb"}  # lb: numbered on the map


def test_an_empty_workspace_says_so(tmp_path: Path) -> None:
    with create_workspace(tmp_path / "empty.gpkg", "空社区") as ws, pytest.raises(CogovError) as caught:
        interactive_map(ws)
    assert caught.value.reason == "map.empty_map"


# --- courtyard layout, labels and contrast (issue: maps people can read) ----------------------------
#: every site label (and building number) on the page: its box, whether shown, its text, size and colours
#: (a landmark's name, .cogov-place, and a road's, .cogov-road, are "named": its box is the turned text's)
LABELS = """() => Array.from(document.querySelectorAll('.cogov-badge, .cogov-number, .cogov-place, .cogov-road'))
  .map(el => {
  const span = el.querySelector('span'), r = span.getBoundingClientRect(), cs = getComputedStyle(span);
  return {site: el.classList.contains('cogov-badge'), shown: el.style.display !== 'none',
    named: el.classList.contains('cogov-place') || el.classList.contains('cogov-road'),
    box: [r.left, r.top, r.right, r.bottom], text: span.textContent, px: parseFloat(cs.fontSize),
    colour: cs.color, background: cs.backgroundColor};
})"""

#: zoom without animation and wait until the labels are placed again (they are placed on the next frame)
ZOOM_TO = """async z => { const m = window.cogovMaps[0].map; m.setZoom(z, {animate: false});
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))); return m.getZoom(); }"""


def overlapping_pairs(labels: list[dict], tolerance: float = 2.0) -> list[tuple[str, str]]:
    """Pairs of shown site labels and names whose boxes overlap by more than ``tolerance`` px both ways."""
    shown = [lab for lab in labels if (lab["site"] or lab.get("named")) and lab["shown"]]
    pairs = []
    for i, a in enumerate(shown):
        for b in shown[i + 1 :]:
            dx = min(a["box"][2], b["box"][2]) - max(a["box"][0], b["box"][0])
            dy = min(a["box"][3], b["box"][3]) - max(a["box"][1], b["box"][1])
            if dx > tolerance and dy > tolerance:
                pairs.append((a["text"], b["text"]))
    return pairs


def parse_rgba(text: str) -> tuple[float, float, float, float]:
    numbers = [float(v) for v in text[text.index("(") + 1 : -1].split(",")]
    return (*numbers[:3], numbers[3] if len(numbers) == 4 else 1.0)


def luminance(rgb_values: tuple[float, float, float]) -> float:
    """WCAG 2 relative luminance."""

    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb_values)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast of text over its box, the box's transparency taken at its worst (over black or white)."""
    fg, bg = parse_rgba(foreground), parse_rgba(background)
    worst = 21.0
    for under in ((0, 0, 0), (255, 255, 255)):
        shown = tuple(bg[3] * bg[i] + (1 - bg[3]) * under[i] for i in range(3))
        lights = sorted((luminance(fg[:3]), luminance(shown)), reverse=True)
        worst = min(worst, (lights[0] + 0.05) / (lights[1] + 0.05))
    return worst


def test_the_overlap_and_contrast_measures_catch_what_they_look_for() -> None:
    a = {"site": True, "shown": True, "text": "a", "box": [0, 0, 40, 20]}
    assert overlapping_pairs([a, {**a, "text": "b", "box": [30, 10, 70, 30]}]) == [("a", "b")]
    assert overlapping_pairs([a, {**a, "text": "b", "box": [39, 0, 80, 20]}]) == []  # 1 px: within tolerance
    assert overlapping_pairs([a, {**a, "text": "b", "shown": False}]) == []
    road = {"site": False, "named": True, "shown": True, "text": "幸福路", "box": [20, 5, 90, 25]}
    assert overlapping_pairs([a, road]) == [("a", "幸福路")]  # a name over a number is caught too
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21.0)
    assert contrast("rgb(119, 119, 119)", "rgb(255, 255, 255)") < 4.5  # #777 on white fails AA
    assert contrast("rgb(0, 0, 0)", "rgba(255, 255, 255, 0.2)") < 4.5  # a see-through box fails over black


@pytest.fixture(name="courtyard_html", scope="module")
def fixture_courtyard_html(sample_ws_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = open_workspace(sample_ws_path, backups=0)
    try:
        here = site_point(ws, "public_spaces", 5)
        return save_html(interactive_map(ws, courtyard=True, here=here), tmp_path_factory.mktemp("court") / "院坝.html")
    finally:
        ws.close()


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)])
def test_courtyard_map_is_legible_from_the_back_row(browser, courtyard_html: Path, width: int, height: int) -> None:
    page, log = open_offline(browser, courtyard_html, width=width, height=height)
    assert log.outside == [] and log.errors == []
    state = page.evaluate("""() => { const c = window.cogovMaps[0], m = c.map, s = m.getSize();
      const a = m.latLngToContainerPoint(c.whole.getSouthWest()), b = m.latLngToContainerPoint(c.whole.getNorthEast());
      return {zoom: m.getZoom(), min: m.getMinZoom(), max: m.getMaxZoom(),
        fill: Math.max((b.x - a.x) / s.x, (a.y - b.y) / s.y)}; }""")
    assert state["fill"] >= 0.6  # the community fills the screen, with a margin
    labels = page.evaluate(LABELS)
    sites = [lab for lab in labels if lab["site"]]
    assert len(sites) == 14 + 12 + 34 + 1  # every site number, and 您在这里
    shown = [lab for lab in sites if lab["shown"]]
    assert overlapping_pairs(labels) == []
    if width == 1920:
        assert len(shown) >= 0.9 * len(sites), [lab["text"] for lab in sites if not lab["shown"]]
    assert "您在这里" in {lab["text"] for lab in shown}
    numbers = [lab for lab in labels if not lab["site"] and not lab["named"] and lab["shown"]]
    assert numbers and all(lab["text"].endswith("栋") for lab in numbers)  # buildings numbered
    names = [lab for lab in labels if lab["named"] and lab["shown"]]
    assert {"和美家园东门", "幸福花园西门"} <= {lab["text"] for lab in names}  # gates named, roads where they fit
    # readable at 3 m on a 2 m screen: at least 18 px, WCAG AA contrast, measured on what is shown
    for lab in shown + numbers + names:
        assert lab["px"] >= COURTYARD_MIN_PX, lab
        assert contrast(lab["colour"], lab["background"]) >= 4.5, lab
    # one step in and one step out: still no overlap
    for step in (1, -1):
        page.evaluate(ZOOM_TO, state["zoom"] + step)
        assert overlapping_pairs(page.evaluate(LABELS)) == [], step
    # bounded zoom: at most 3 levels out, and never deeper than about a 5 m scale bar
    assert page.evaluate(ZOOM_TO, state["zoom"] - 6) >= state["zoom"] - 3
    deepest = page.evaluate(ZOOM_TO, 30)
    assert deepest == state["max"] <= 21.5
    scale = page.locator(".leaflet-control-scale-line").inner_text().strip()
    metres = float(scale.split()[0]) * (1000 if scale.endswith("km") else 1)
    assert metres >= 5, scale
    deep = page.evaluate(LABELS)
    assert all(lab["shown"] for lab in deep if lab["site"])  # at the deepest zoom every site is labelled
    assert any(lab["named"] and lab["shown"] for lab in deep)
    assert overlapping_pairs(deep) == []
    # 回到全景 brings back the opening view
    page.get_by_role("button", name="回到全景").click()
    page.wait_for_function(f"() => Math.abs(window.cogovMaps[0].map.getZoom() - {state['zoom']}) < 0.01")
    # the legend, open or folded, never covers the layer switch
    legend_toggle = page.locator(".cogov-legend-toggle")
    for _ in range(2):
        legend = page.locator(".cogov-legend").bounding_box()
        control = page.locator(".leaflet-control-layers").bounding_box()
        assert legend["y"] >= control["y"] + control["height"] or legend["x"] >= control["x"] + control["width"]
        legend_toggle.click()
    page.close()


def test_the_legend_shows_every_layer_when_open_on_a_small_screen(browser, courtyard_html: Path) -> None:
    page, _ = open_offline(browser, courtyard_html, width=1280, height=720)
    page.locator(".cogov-legend-toggle").click()  # folded at the start on a small screen: open it
    body = page.locator(".cogov-legend-body")
    box = body.bounding_box()
    for heading in ("闲置地块（按状态）", "认领认管认养（按认领情况）", "居民诉求（按三事分流）"):
        h = body.get_by_text(heading).bounding_box()
        assert box["x"] <= h["x"] and h["x"] + h["width"] <= box["x"] + box["width"] + 1, heading
        assert box["y"] <= h["y"] and h["y"] + h["height"] <= box["y"] + box["height"] + 1, heading
    page.close()


def test_every_html_map_has_a_title_and_the_demands_map_shows_buildings(sample_ws: Workspace) -> None:
    from cogov_toolkit.workflows.maps import open_demands_map

    for m in (interactive_map(sample_ws), interactive_map(sample_ws, courtyard=True), open_demands_map(sample_ws)):
        html = render_html(m)
        assert "<title>幸福社区 · 共同缔造地图</title>" in html
    payload_layers = [ly["k"] for ly in map_payload(_demands_content(sample_ws), InteractiveOptions())["layers"]]
    assert payload_layers == ["buildings", "demands"]


def _demands_content(ws: Workspace):
    from cogov_toolkit.render.map_layers import MapContent, background_geometry, building_layer, demand_layer
    from cogov_toolkit.workflows.demands import open_demands_layer

    places = {kind: ws.read_layer(kind) for kind in ("community", "neighbourhoods", "grids", "buildings")}
    places.update({kind: ws.read_layer(kind) for kind in ("public_spaces", "idle_plots", "adoption_zones")})
    layers = (building_layer(places["buildings"], places["grids"]), demand_layer(open_demands_layer(ws), places))
    return MapContent(ws.community_name, layers, background_geometry(places))


def test_a_note_says_when_basemap_tiles_cannot_load(browser, sample_ws: Workspace, tmp_path: Path) -> None:
    page, log = open_offline(browser, save_html(interactive_map(sample_ws, basemap=Basemap.OSM), tmp_path / "osm.html"))
    page.wait_for_selector(".cogov-note", timeout=10_000)
    assert "底图无法加载" in page.locator(".cogov-note").inner_text()
    assert any("openstreetmap" in url for url in log.outside)
    page.close()
    # and none without a basemap: nothing failed
    page, _ = open_offline(browser, save_html(interactive_map(sample_ws), tmp_path / "none.html"))
    page.wait_for_timeout(300)
    assert page.locator(".cogov-note").count() == 0
    page.close()


def test_site_point_finds_a_site_by_number_or_says_it_has_none(sample_ws: Workspace) -> None:
    lon, lat = site_point(sample_ws, "public_spaces", 5)
    assert 118 < lon < 119 and 24 < lat < 25
    with pytest.raises(CogovError) as caught:
        site_point(sample_ws, "public_spaces", 999)
    assert caught.value.reason == "map.unknown_site"


def test_buildings_with_no_grid_yet_are_drawn_in_a_class_of_their_own() -> None:
    import geopandas as gpd
    import pandas as pd
    import shapely

    from cogov_toolkit.render.map_layers import building_layer

    squares = [shapely.box(114.30 + i * 0.001, 30.50, 114.3005 + i * 0.001, 30.5005) for i in range(3)]
    buildings = gpd.GeoDataFrame(
        {
            "building_id": ["B1", "B2", "B3"],
            "label": ["1栋", "2栋", "3栋"],
            "grid_id": ["G1", None, ""],
            "units": [1, 1, 1],
            "floors": [6, 6, 6],
            "households": [12, 12, 12],
        },
        geometry=squares,
        crs="EPSG:4326",
    )
    layer = building_layer(buildings, pd.DataFrame({"grid_id": ["G1"], "name": ["第一网格"]}))
    assert len(layer.geometry) == 3  # none of them vanishes from the map
    assert [c.label for c in layer.classes] == ["第一网格", "未分网格"]
    assert [c.count for c in layer.classes] == [1, 2]
