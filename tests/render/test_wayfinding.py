"""Roads, gates and landmarks on every map: under the buildings and over the sites, in the legend, never personal."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from matplotlib.text import Text

from cogov_toolkit.render.interactive import InteractiveOptions, map_payload, render_html
from cogov_toolkit.render.map_layers import LayerKey
from cogov_toolkit.render.print_map import PLACE_LABEL_GID, PrintOptions, draw_print_figure
from cogov_toolkit.storage import Workspace
from cogov_toolkit.workflows.maps import (
    DEMAND_LAYERS,
    PRINT_LAYERS,
    choropleth_content,
    export_print,
    interactive_map,
    meeting_places,
    open_demands_map,
    site_point,
    workspace_content,
)
from tests.render.conftest import CANARY_NAME
from tests.render.test_print_map import poppler, svg_text


def test_roads_lie_under_the_buildings_and_landmarks_over_the_sites(sample_ws: Workspace) -> None:
    for include in (None, PRINT_LAYERS, DEMAND_LAYERS):
        keys = [layer.key for layer in workspace_content(sample_ws, include=include).layers]
        assert keys[0] == LayerKey.ROADS and keys[1] == LayerKey.BUILDINGS
        sites = [k for k in keys if k not in (LayerKey.DEMANDS, LayerKey.ROADS, LayerKey.BUILDINGS)]
        assert sites[-1] == LayerKey.LANDMARKS
    # a thematic map (a figure by building) is read by the same roads and gates
    buildings = sample_ws.read_layer("buildings")["building_id"]
    figure = choropleth_content(sample_ws, pd.Series(1.0, index=buildings), pd.Series(9, index=buildings), name="x")
    assert [layer.key for layer in figure.layers][0] == LayerKey.ROADS
    assert [layer.key for layer in figure.layers][-1] == LayerKey.LANDMARKS


def test_road_widths_follow_their_kind_and_gates_are_the_largest_symbol(sample_ws: Workspace) -> None:
    content = workspace_content(sample_ws)
    roads = next(layer for layer in content.layers if layer.key == LayerKey.ROADS)
    width = {c.label: c.width for c in roads.classes}
    assert width["市政道路"] > width["小区道路"] > width["消防通道"] > width["步道"] > 0
    marks = next(layer for layer in content.layers if layer.key == LayerKey.LANDMARKS)
    gate = next(c for c in marks.classes if c.label == "大门、出入口")
    assert gate.size == max(c.size for c in marks.classes) > 1
    payload = map_payload(content, InteractiveOptions(courtyard=True))
    drawn = {layer["k"]: layer for layer in payload["layers"]}
    assert [w for w, _ in drawn["roads"]["ls"]] == [c.width for c in roads.classes]
    assert "幸福花园西门" in drawn["landmarks"]["nm"] and "幸福路" in drawn["roads"]["nm"]


def test_the_legend_lists_the_kinds_the_workspace_has(sample_ws: Workspace) -> None:
    html = render_html(interactive_map(sample_ws))
    for entry in (
        "道路（按类型）",
        "小区道路（2）",
        "步道（3）",
        "大门和地标（按类型）",
        "大门、出入口（4）",
        "幼儿园、学校（1）",
    ):
        assert entry in html, entry
    assert "其他地标（" not in html  # a kind the sample has none of is left out
    figure = draw_print_figure(workspace_content(sample_ws, include=PRINT_LAYERS), PrintOptions())
    texts = [t.get_text() for t in figure.findobj(Text)]
    assert "大门、出入口（4）" in texts and "市政道路（1）" in texts
    assert {"和美家园南门", "社区党群服务中心"} <= {
        t.get_text() for t in figure.findobj(Text) if t.get_gid() == PLACE_LABEL_GID
    }


def test_the_open_demands_map_has_the_roads_and_gates(sample_ws: Workspace) -> None:
    html = render_html(open_demands_map(sample_ws))
    assert "幸福路" in html and "和美家园东门" in html


def test_a_meeting_at_a_landmark_puts_you_are_here_there(sample_ws: Workspace) -> None:
    places = dict(meeting_places(sample_ws))
    layer, number = places["社区党群服务中心"]
    assert site_point(sample_ws, layer, number) == pytest.approx((118.1088267, 24.4901469), abs=1e-6)  # lon, lat


@pytest.mark.parametrize("layer", ["roads", "landmarks"])
def test_notes_on_roads_and_landmarks_never_reach_a_map(sample_ws: Workspace, tmp_path: Path, layer: str) -> None:
    frame = sample_ws.read_layer(layer).drop(columns="fid")
    frame["notes"] = f"{CANARY_NAME} 家门口"  # a planner's note naming a resident
    sample_ws.write_layer(layer, frame)
    assert CANARY_NAME not in render_html(interactive_map(sample_ws, courtyard=True))
    pdf = export_print(sample_ws, tmp_path / "map.pdf")
    svg = export_print(sample_ws, tmp_path / "map.svg")
    assert CANARY_NAME not in poppler("pdftotext", str(pdf), "-") and CANARY_NAME not in svg_text(svg)
    # the same search finds the name once it is where a map shows it
    frame.loc[0, "name"] = CANARY_NAME
    sample_ws.write_layer(layer, frame)
    assert CANARY_NAME in render_html(interactive_map(sample_ws))
