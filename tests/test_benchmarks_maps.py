"""The map benchmark still runs (on a 200-building district), so it cannot rot."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_maps.py"


def test_bench_maps_small_runs_and_reports_every_figure() -> None:
    if not Path("/usr/bin/chromium").exists():
        pytest.fail("/usr/bin/chromium is missing: apt-get install -y chromium (scripts/test.sh does)")
    out = subprocess.run(
        [sys.executable, str(BENCH), "--small"], capture_output=True, text=True, timeout=300, check=True
    ).stdout
    row = re.search(
        r"^\s+200\s+([\d.]+) /\s+([\d.]+)\s+([\d.]+)\s+([\d.]+) /\s+([\d.]+)\s+([\d.]+)"
        r"\s+([\d.]+) /\s+([\d.]+)\s+([\d.]+)$",
        out,
        re.M,
    )
    assert row, out
    size_ratio = float(row.group(3))
    assert 0 < size_ratio < 1  # even at 200 buildings the compact encoding is smaller
    assert all(float(g) > 0 for g in row.groups())
    assert re.search(r"A3 300-dpi PNG of 200 buildings: [\d.]+ s", out)


def test_the_draw_time_waits_for_the_final_view_of_an_animated_fit(tmp_path: Path) -> None:
    """folium's fit_bounds animates: the timing must not stop at load, while the zoom is still the opening one."""
    from tests.browser import launch

    sys.path.insert(0, str(BENCH.parent))
    import bench_maps

    frame, _ = bench_maps.generate_district(400)
    html, _ = bench_maps.build_folium(frame)
    path = tmp_path / "folium.html"
    path.write_text(html, encoding="utf-8")
    # record, from the first script on, when the page loaded and when each zoom animation ended
    trap = """(() => { window.__events = []; let leaflet;
      window.addEventListener('load', () => window.__events.push(['load', performance.now()]));
      Object.defineProperty(window, 'L', { configurable: true, get() { return leaflet; }, set(value) {
        leaflet = value;
        value.Map.addInitHook(function () {
          this.on('zoomanim', () => window.__events.push(['zoomanim', performance.now()]));
          this.on('zoomend', () => window.__events.push(['zoomend', performance.now()]));
        });
      } }); })();"""
    with launch() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.add_init_script(trap)
        page.goto(path.as_uri(), wait_until="load")
        page.evaluate(bench_maps.FINAL_VIEW)
        final = page.evaluate("""() => { const m = Object.values(window).find(v => v instanceof L.Map);
          return [m.getZoom(), m._animatingZoom, m.getBoundsZoom(L.geoJSON(Object.values(window).find(
            v => v instanceof L.GeoJSON).toGeoJSON()).getBounds())]; }""")
        events = page.evaluate("() => window.__events")
        page.close()
    kinds = [kind for kind, _ in events]
    assert "zoomanim" in kinds  # the opening fit of a plain folium map animates (zoom 15 to 17)
    loaded = next(t for kind, t in events if kind == "load")
    last_zoomend = max(t for kind, t in events if kind == "zoomend")
    if last_zoomend <= loaded:
        pytest.skip("this machine was so slow that the 0.25 s zoom animation ended before the load event")
    # the final view comes after the page has loaded: stopping the clock at load would be too early
    zoom, animating, fitted = final
    assert not animating and zoom == fitted
