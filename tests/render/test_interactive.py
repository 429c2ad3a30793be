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
from cogov_toolkit.render.style import COURTYARD_MIN_PX
from cogov_toolkit.storage import Workspace, create_workspace, open_workspace
from cogov_toolkit.workflows.maps import interactive_map, workspace_content
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
    # the four grid colours of the buildings, drawn at 0.8 opacity over the light background
    for colour in ("#4E79A7", "#F28E2B", "#59A14F", "#E15759"):
        want = 0.8 * rgb(colour) + 0.2 * rgb("#f3efe6")
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
        assert texts > 100 and log.errors == []
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
    assert set(buildings) == {"k", "n", "cf", "cl", "ci", "t", "fl", "v", "g"}


def test_an_empty_workspace_says_so(tmp_path: Path) -> None:
    with create_workspace(tmp_path / "empty.gpkg", "空社区") as ws, pytest.raises(CogovError) as caught:
        interactive_map(ws)
    assert caught.value.reason == "map.empty_map"
