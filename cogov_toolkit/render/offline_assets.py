"""Leaflet inlined from installed packages, so a folium map opens with no internet.

folium links Leaflet, jQuery, Bootstrap, Font Awesome and awesome-markers from
CDNs that are often unreachable in mainland China, and not at all in a
courtyard. Our maps need only Leaflet: its JS and CSS come from the
``xstatic-leaflet`` package (the version folium pins), the CSS images become
``data:`` URIs, and everything is written into the page itself.

:func:`loadable_urls` finds what a browser would still fetch from a page; the
tests run it on every exported file (and on one that does fetch, to prove it
finds things).
"""

from __future__ import annotations

import base64
import functools
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from cogov_toolkit._optional import require
from cogov_toolkit.errors import ConfigurationError

if TYPE_CHECKING:
    import folium

#: http(s) strings inside Leaflet's own source that no browser fetches: the SVG
#: namespace, and the link of Leaflet's attribution prefix (switched off on our maps)
INERT_URLS = ("http://www.w3.org/2000/svg", "https://leafletjs.com")

_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$", re.M)
# what makes a browser fetch: src/href/poster/srcset/data attributes, CSS url() and @import
_LOADABLE = re.compile(
    r"""(?:\b(?:src|href|poster|data|action|srcset)\s*=\s*["']?\s*|url\(\s*["']?|@import\s+["'])"""
    r"""((?:https?:)?//[^\s"')>]+)""",
    re.I,
)
_ANY_HTTP = re.compile(r"""(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s"'<>)\\]*""", re.I)


def _leaflet_dir() -> Path:
    leaflet = require("xstatic.pkg.leaflet", "xstatic-leaflet")
    return Path(leaflet.BASE_DIR)


def leaflet_version() -> str:
    """Return the version of the inlined Leaflet (from xstatic-leaflet)."""
    return require("xstatic.pkg.leaflet", "xstatic-leaflet").VERSION


def folium_leaflet_version() -> str | None:
    """Return the Leaflet version folium links by default, or None if it cannot be told."""
    folium_module = require("folium")
    for name, url in folium_module.Map.default_js:
        if name == "leaflet":
            found = re.search(r"leaflet@([\d.]+)", url)
            return found.group(1) if found else None
    return None


@functools.cache
def leaflet_js() -> str:
    """Return Leaflet's minified JS, without its source-map comment (which devtools would fetch)."""
    source = (_leaflet_dir() / "leaflet.js").read_text(encoding="utf-8")
    return _SOURCE_MAP.sub("", source)


@functools.cache
def leaflet_css() -> str:
    """Return Leaflet's CSS with every image as a ``data:`` URI and comments removed."""
    base = _leaflet_dir()
    css = _CSS_COMMENT.sub("", (base / "leaflet.css").read_text(encoding="utf-8"))

    def inline(match: re.Match[str]) -> str:
        ref = match.group(1)
        if ref.startswith(("data:", "#")):  # already inline, or IE's "#default#VML" behaviour
            return match.group(0)
        data = base64.b64encode((base / ref).read_bytes()).decode("ascii")
        return f'url("data:image/png;base64,{data}")'

    return _CSS_URL.sub(inline, css)


def offline_head() -> str:
    """Return the ``<style>`` and ``<script>`` elements that carry Leaflet inside the page."""
    # neither file contains "</" sequences that could close the element early;
    # checked here once so a future Leaflet cannot break the page silently
    js, css = leaflet_js(), leaflet_css()
    if "</script" in js.lower() or "</style" in css.lower():
        raise ConfigurationError("map.leaflet_not_inlinable", version=leaflet_version())
    return f"<style>{css}</style>\n<script>{js}</script>"


@functools.cache
def _element_classes() -> tuple[type, type]:
    """Return branca element classes whose text is written out verbatim (defined once folium is importable)."""
    require("folium")
    from branca.element import Element, MacroElement

    class RawElement(Element):
        """Text written into the page as is.

        branca compiles every element's output as a Jinja template once more;
        resident text holding ``{{ … }}`` would then run as template code in
        Python, and Leaflet's 150 kB would be compiled on every render.
        """

        def __init__(self, text: str) -> None:
            super().__init__("")
            self.text = text

        def render(self, **kwargs: object) -> str:
            return self.text

    class RawScript(MacroElement):
        """A script added to the page after its parent map's own script (which creates the map)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self._name = "CogovScript"
            self.text = text

        def render(self, **kwargs: object) -> None:
            self.get_root().script.add_child(RawElement(self.text), name=self.get_name())

    return RawElement, RawScript


def raw_element(text: str):
    """Return a branca element that writes ``text`` into the page verbatim (no template processing)."""
    return _element_classes()[0](text)


def raw_script(text: str):
    """Return an element that, added to a map, writes ``text`` as script after the map is created."""
    return _element_classes()[1](text)


def make_offline(m: folium.Map) -> folium.Map:
    """Replace a folium map's CDN links by Leaflet inlined from packages; return the same map.

    Only Leaflet is kept: jQuery, Bootstrap, Font Awesome and awesome-markers
    are needed by folium plugins and markers that our maps do not use. Call
    :func:`assert_offline` on the rendered page to make sure nothing else
    (a plugin, a tile layer) still fetches from the network.
    """
    pinned = folium_leaflet_version()
    if pinned and pinned != leaflet_version():
        warnings.warn(
            f"folium links Leaflet {pinned} but xstatic-leaflet ships {leaflet_version()}; "
            "install the xstatic-leaflet release that matches folium",
            stacklevel=2,
        )
    m.default_js = []
    m.default_css = []
    m.get_root().header.add_child(raw_element(offline_head()), name="cogov_leaflet_inline", index=0)
    return m


def loadable_urls(html: str) -> list[str]:
    """Return every network URL a browser would fetch from ``html`` (src/href/url()/@import).

    Leaflet's attribution link (:data:`INERT_URLS`) is a link, never fetched, and is left out.
    """
    return sorted({u for u in _LOADABLE.findall(html) if not u.startswith(INERT_URLS)})


def stray_http(html: str) -> list[str]:
    """Return every http(s) reference in ``html`` that is not a known inert string of Leaflet's source."""
    return sorted({u for u in _ANY_HTTP.findall(html) if not u.startswith(INERT_URLS)})


def assert_offline(html: str) -> None:
    """Raise a CogovError listing what ``html`` would fetch from the network, if anything."""
    urls = loadable_urls(html)
    if urls:
        raise ConfigurationError("map.online_asset", urls="、".join(urls[:5]))


__all__ = [
    "INERT_URLS",
    "assert_offline",
    "folium_leaflet_version",
    "leaflet_css",
    "leaflet_js",
    "leaflet_version",
    "loadable_urls",
    "make_offline",
    "offline_head",
    "raw_element",
    "raw_script",
    "stray_http",
]
