"""Headless Chromium for the map tests: every request outside the page is recorded and aborted."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
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


def require_chromium() -> None:
    """Fail (not skip: a skipped acceptance test is a silent pass) when Chromium or Playwright is missing."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install it with 'apt-get install -y chromium' (scripts/test.sh does)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        pytest.fail("Playwright's Python package is missing: pip install playwright (never 'playwright install')")


@dataclass
class PageLog:
    """What a page did: requests that left the file (all aborted), console errors, uncaught exceptions."""

    page_url: str
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@contextmanager
def launch() -> Iterator[object]:
    """Yield a running headless Chromium (Playwright Browser)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_offline(browser, html_path: Path, *, width: int = 1200, height: int = 900):
    """Open ``html_path`` with every other request aborted; return (page, PageLog)."""
    page = browser.new_page(viewport={"width": width, "height": height})
    log = PageLog(html_path.resolve().as_uri())

    def route(r) -> None:
        if r.request.url == log.page_url:
            r.continue_()
        else:
            log.outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: log.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.errors.append(str(e)))
    page.on(
        "requestfailed", lambda r: None if r.url == log.page_url or r.url in log.outside else log.outside.append(r.url)
    )
    page.goto(log.page_url, wait_until="load")
    # two frames: the canvas renderer draws on the next animation frame
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return page, log


#: per data layer: how many features Leaflet holds on the map, and which indices
COUNT_FEATURES = """() => {
  const map = window.cogovMaps[0].map, out = {};
  for (const l of Object.values(map._layers)) {
    const o = l.options || {};
    if (o.cogovIdx === undefined) continue;
    (out[o.cogovLayer] = out[o.cogovLayer] || []).push(o.cogovIdx);
  }
  return out;
}"""

#: hover and click every feature from code; return the tooltip and popup texts seen
OPEN_EVERY_OVERLAY = """() => {
  const map = window.cogovMaps[0].map, seen = {tips: 0, popups: 0, text: []};
  for (const l of Object.values(map._layers)) {
    const o = l.options || {};
    if (o.cogovIdx === undefined) continue;
    const at = l.getLatLng ? l.getLatLng() : l.getCenter();
    l.fire('mouseover', {latlng: at}, true);
    // the newest tooltip: a closed one lingers in the page for its 200 ms fade
    const tips = document.querySelectorAll('.leaflet-tooltip'), tip = tips[tips.length - 1];
    if (tip) { seen.tips++; seen.text.push(tip.textContent); }
    l.fire('mouseout', {latlng: at}, true);
    l.fire('click', {latlng: at}, true);
    const pop = document.querySelector('.leaflet-popup-content');
    if (pop) { seen.popups++; seen.text.push(pop.textContent); }
    map.closePopup();
  }
  seen.text.push(document.querySelector('.cogov-legend').textContent);
  seen.text.push(document.querySelector('.leaflet-control-layers').textContent);
  return seen;
}"""
