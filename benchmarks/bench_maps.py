"""Benchmark the offline interactive map against a plain folium map, and time the A3 print export.

For generated districts of 5,000 and 50,000 buildings (``--small``: 200) it
prints, against ``folium.GeoJson(gdf)`` of the same layer built in the same run
(given the same inlined Leaflet, so both open offline):

* the HTML size ratio (ours / folium),
* the Python build-time ratio,
* the ratio of time until the map shows its final view in headless Chromium
  (the median of 5 page loads; folium's opening fit animates, and the time
  waits for its ``zoomend``; ours opens at the final view),

and the time of an A3, 300-dpi PNG export of the 5,000-building district.
Targets at 50,000: size <= 0.3, build <= 0.3, draw <= 0.5; at 5,000 no ratio
above 1; the A3 PNG within 5 s.

    python benchmarks/bench_maps.py            # 5,000 and 50,000 buildings
    python benchmarks/bench_maps.py --small    # 200 buildings: a quick check that it still runs
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BUILDINGS_PER_GRID = 250
TARGETS = {"size": 0.3, "build": 0.3, "draw": 0.5}


@dataclass(frozen=True)
class Row:
    """One district's measurements."""

    buildings: int
    ours_bytes: int
    folium_bytes: int
    ours_build_s: float
    folium_build_s: float
    ours_draw_s: float
    folium_draw_s: float

    def ratios(self) -> dict[str, float]:
        return {
            "size": self.ours_bytes / self.folium_bytes,
            "build": self.ours_build_s / self.folium_build_s,
            "draw": self.ours_draw_s / self.folium_draw_s,
        }


def generate_district(n: int, seed: int = 20260301) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Return ``n`` rectangular buildings in rows around Xiamen, and their grids."""
    rng = np.random.default_rng(seed)
    side = math.ceil(math.sqrt(n))
    col, row = np.arange(n) % side, np.arange(n) // side
    lat0, lon0 = 24.45, 118.05
    m_lat, m_lon = 1 / 110_540.0, 1 / (111_320.0 * math.cos(math.radians(lat0)))
    cx = lon0 + col * 45 * m_lon
    cy = lat0 + row * 35 * m_lat
    w = rng.uniform(12, 30, n) * m_lon
    h = rng.uniform(8, 16, n) * m_lat
    boxes = shapely.box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
    grid_number = (row // 10) * math.ceil(side / 25) + col // 25  # blocks of about 250 buildings
    grid_ids = np.array([f"G{g + 1}" for g in grid_number])
    floors = rng.integers(3, 34, n)
    units = rng.integers(1, 7, n)
    frame = gpd.GeoDataFrame(
        {
            "building_id": [f"B{i + 1:05d}" for i in range(n)],
            "label": [f"{i + 1}栋" for i in range(n)],
            "neighbourhood_id": [f"N{g // 4 + 1}" for g in grid_number],
            "grid_id": grid_ids,
            "units": units,
            "floors": floors,
            "households": units * floors * 2,
            "area_m2": np.round(w / m_lon * h / m_lat, 1),
        },
        geometry=boxes,
        crs=4326,
    )
    grids = pd.DataFrame({"grid_id": sorted(set(grid_ids)), "name": [f"第{g[1:]}网格" for g in sorted(set(grid_ids))]})
    return frame, grids


def build_ours(frame: gpd.GeoDataFrame, grids: pd.DataFrame) -> tuple[str, float]:
    from cogov_toolkit.render.interactive import content_map, render_html
    from cogov_toolkit.render.map_layers import MapContent, building_layer

    start = time.perf_counter()
    layer = building_layer(frame, grids)
    content = MapContent("生成区", (layer,), gpd.GeoSeries([], crs=4326))
    html = render_html(content_map(content))
    return html, time.perf_counter() - start


def build_folium(frame: gpd.GeoDataFrame) -> tuple[str, float]:
    import folium

    from cogov_toolkit.render.offline_assets import make_offline

    start = time.perf_counter()
    bounds = frame.total_bounds
    m = make_offline(
        folium.Map(location=[(bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2], zoom_start=15, tiles=None)
    )
    folium.GeoJson(frame).add_to(m)
    m.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])
    html = m.get_root().render()
    return html, time.perf_counter() - start


#: resolves with performance.now() once the map shows its final view: a zoom animation of the opening fit (folium's
#: fit_bounds animates; ours opens at the final view) has ended, then two animation frames (canvas layers draw on
#: the next frame, SVG ones during load)
FINAL_VIEW = """() => new Promise(resolve => {
  const map = Object.values(window).find(v => v instanceof L.Map);
  const frames = f => requestAnimationFrame(() => requestAnimationFrame(f));
  const drawn = () => frames(() => resolve(performance.now()));
  // one frame first: Leaflet starts an animated zoom on the frame after fitBounds is called
  requestAnimationFrame(() => {
    if (map._animatingZoom || (map._panAnim && map._panAnim._inProgress)) { map.once('zoomend moveend', drawn); }
    else { drawn(); }
  });
})"""


def draw_seconds(browser, path: Path) -> tuple[float, float]:
    """Seconds from navigation start until the map shows its final view, offline; and the final zoom (a check)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page_url = path.resolve().as_uri()
    page.route("**/*", lambda r: r.continue_() if r.request.url == page_url else r.abort())
    page.goto(page_url, wait_until="load", timeout=600_000)
    ms = page.evaluate(FINAL_VIEW)
    zoom = page.evaluate("() => Object.values(window).find(v => v instanceof L.Map).getZoom()")
    page.close()
    return ms / 1000.0, zoom


def median_draw(browser, path: Path, runs: int) -> float:
    """Median of ``runs`` draw times (a page load varies by tens of percent from run to run)."""
    return statistics.median(draw_seconds(browser, path)[0] for _ in range(runs))


def measure(n: int, browser, folder: Path, runs: int) -> Row:
    frame, grids = generate_district(n)
    ours_html, ours_build = build_ours(frame, grids)
    folium_html, folium_build = build_folium(frame)
    ours_path, folium_path = folder / f"ours_{n}.html", folder / f"folium_{n}.html"
    ours_path.write_text(ours_html, encoding="utf-8")
    folium_path.write_text(folium_html, encoding="utf-8")
    return Row(
        n,
        len(ours_html.encode()),
        len(folium_html.encode()),
        ours_build,
        folium_build,
        median_draw(browser, ours_path, runs),
        median_draw(browser, folium_path, runs),
    )


def print_export_seconds(n: int, folder: Path) -> tuple[float, float]:
    """Seconds of an A3 300-dpi PNG export: first in the process (imports, font search), then warm."""
    from cogov_toolkit.render.map_layers import MapContent, building_layer
    from cogov_toolkit.render.print_map import Paper, PrintOptions, save_print

    frame, grids = generate_district(n)
    times = []
    for run in range(2):
        start = time.perf_counter()
        content = MapContent("生成区", (building_layer(frame, grids),), gpd.GeoSeries([], crs=4326))
        save_print(content, folder / f"a3_{n}_{run}.png", PrintOptions(paper=Paper.A3, dpi=300))
        times.append(time.perf_counter() - start)
    return times[0], times[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="one district of 200 buildings (a smoke test)")
    parser.add_argument("--sizes", type=int, nargs="*", help="district sizes (default 5000 50000)")
    parser.add_argument("--runs", type=int, default=5, help="page loads per map; the median is reported (default 5)")
    args = parser.parse_args(argv)
    sizes = [200] if args.small else (args.sizes or [5000, 50000])
    from playwright.sync_api import sync_playwright

    # warm up both paths once (imports, catalog, Leaflet read from disk) so build times compare work, not imports
    warm, warm_grids = generate_district(20)
    build_ours(warm, warm_grids)
    build_folium(warm)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        folder = Path(tmp)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        runs = 1 if args.small else args.runs
        rows = [measure(n, browser, folder, runs) for n in sizes]
        browser.close()
        print_n = sizes[0] if args.small else 5000
        print_s = print_export_seconds(print_n, folder)
    print(
        f"{'buildings':>9} {'html ours/folium (MB)':>22} {'size':>6} {'build ours/folium (s)':>22} {'build':>6} "
        f"{'draw ours/folium (s)':>21} {'draw':>6}"
    )
    for r in rows:
        q = r.ratios()
        print(
            f"{r.buildings:>9} {r.ours_bytes / 1e6:>10.2f} /{r.folium_bytes / 1e6:>9.2f} {q['size']:>6.3f} "
            f"{r.ours_build_s:>10.2f} /{r.folium_build_s:>9.2f} {q['build']:>6.3f} "
            f"{r.ours_draw_s:>9.2f} /{r.folium_draw_s:>9.2f} {q['draw']:>6.3f}"
        )
    print(f"A3 300-dpi PNG of {print_n} buildings: {print_s[1]:.2f} s (first in a fresh process: {print_s[0]:.2f} s)")
    for r in rows:
        q = r.ratios()
        if r.buildings >= 50000:
            missed = {k: v for k, v in q.items() if v > TARGETS[k]}
        elif r.buildings >= 5000:
            missed = {k: v for k, v in q.items() if v > 1}
        else:
            missed = {}
        print(f"targets at {r.buildings}: {'met' if not missed else 'missed ' + str(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
