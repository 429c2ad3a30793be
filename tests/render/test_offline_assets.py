"""Leaflet inlined from packages: the right version, images as data URIs, nothing to fetch."""

from __future__ import annotations

import folium
import pytest

from cogov_toolkit.errors import CogovError
from cogov_toolkit.render.offline_assets import (
    assert_offline,
    folium_leaflet_version,
    leaflet_css,
    leaflet_js,
    leaflet_version,
    loadable_urls,
    make_offline,
    stray_http,
)


def test_inlined_leaflet_is_the_version_folium_pins() -> None:
    assert leaflet_version() == folium_leaflet_version()
    assert "sourceMappingURL" not in leaflet_js()
    assert "images/" not in leaflet_css() and "data:image/png;base64," in leaflet_css()


def test_a_plain_folium_map_made_offline_fetches_nothing() -> None:
    html = make_offline(folium.Map(tiles=None)).get_root().render()
    assert loadable_urls(html) == [] and stray_http(html) == []
    assert_offline(html)


def test_the_url_finders_find_what_a_browser_would_fetch() -> None:
    page = '<script src="https://cdn.example.com/a.js"></script><link href="//x.org/b.css"><i style="background:url(http://y.cn/c.png)">'
    assert loadable_urls(page) == ["//x.org/b.css", "http://y.cn/c.png", "https://cdn.example.com/a.js"]
    with pytest.raises(CogovError) as caught:
        assert_offline(page)
    assert caught.value.reason == "map.online_asset"
    assert stray_http("var u = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';")


def test_a_missing_library_names_the_package_to_install(monkeypatch) -> None:
    from cogov_toolkit import _optional

    with pytest.raises(CogovError) as caught:
        _optional.require("no_such_module_xyz", "no-such-package")
    assert caught.value.reason == "optional.missing_library" and 'pip install "no-such-package"' in str(caught.value)
    # a module of an extra names the extra, not the bare package
    monkeypatch.setitem(_optional.EXTRA_OF, "no_such_module_xyz", "maps")
    with pytest.raises(CogovError) as caught:
        _optional.require("no_such_module_xyz.sub")
    assert 'pip install "cogov-toolkit[maps]"' in str(caught.value)
