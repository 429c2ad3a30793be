"""The map notebook's panel, driven from code as a workshop would click it."""

from __future__ import annotations

from pathlib import Path

import pytest

from cogov_toolkit.demo.sample import build_sample_workspace
from cogov_toolkit.render.offline_assets import loadable_urls
from cogov_toolkit.storage import open_workspace
from cogov_toolkit.widgets.map_panel import MapPanel
from cogov_toolkit.workflows.maps import MAP_SET


@pytest.fixture(name="panel", scope="module")
def fixture_panel(tmp_path_factory: pytest.TempPathFactory) -> MapPanel:
    folder = tmp_path_factory.mktemp("面板")
    ws = open_workspace(build_sample_workspace(folder / "幸福社区.gpkg"), backups=0)
    yield MapPanel(ws, folder / "输出 地图")
    ws.close()


def _shown_html(panel: MapPanel) -> str:
    """The HTML Jupyter displays for the map (an iframe whose srcdoc is the whole page)."""
    import html

    return html.unescape(panel.last_map._repr_html_())


def test_show_draws_an_offline_map(panel: MapPanel) -> None:
    panel.show_button.click()
    html = _shown_html(panel)
    assert "L.map" in html or "leaflet" in html.lower()
    assert "https://" not in html.split("srcdoc")[0]  # nothing before the page either
    assert loadable_urls(html) == []
    assert "地图已显示" in panel.message.value


def test_courtyard_switch_redraws_in_courtyard_mode(panel: MapPanel) -> None:
    panel.courtyard.value = True
    assert "院坝投影模式" in panel.message.value
    panel.courtyard.value = False


def test_missing_tianditu_key_is_a_chinese_message_not_a_crash(
    panel: MapPanel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COGOV_TIANDITU_KEY", raising=False)
    panel.basemap.value = "tianditu"
    panel.show_button.click()
    assert "#b00020" in panel.message.value and "天地图" in panel.message.value
    panel.basemap.value = "none"


def test_export_button_writes_the_map_set(panel: MapPanel) -> None:
    panel.export_button.click()
    names = sorted(p.name for p in panel.exported)
    assert len(names) == len(MAP_SET) and all(p.stat().st_size > 0 for p in panel.exported)
    assert {Path(n).suffix for n in names} == {".html", ".png", ".pdf", ".svg"}
    assert f"已导出 {len(MAP_SET)} 个地图文件" in panel.message.value


def test_messages_are_escaped(panel: MapPanel) -> None:
    panel._say("<img src=x onerror=alert(1)>")
    assert "<img" not in panel.message.value and "&lt;img" in panel.message.value


def test_you_are_here_marks_the_meeting_place_on_the_courtyard_map(panel: MapPanel) -> None:
    labels = [label for label, _ in panel.here.options]
    assert labels[0] == "不标注" and any(label.startswith("空5") for label in labels)
    panel.here.value = next(v for label, v in panel.here.options if label.startswith("空5"))
    panel.courtyard.value = True
    assert '"here":{"a":' in _shown_html(panel)
    panel.here.value = None
    panel.show()
    assert '"here":{"a":' not in _shown_html(panel)
    panel.courtyard.value = False
