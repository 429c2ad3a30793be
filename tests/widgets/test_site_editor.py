"""The site editor, driven with the messages the browser's draw control would send."""

from __future__ import annotations

import json
from typing import Any

import pytest
import shapely
from shapely.geometry import mapping

from cogov_toolkit.core.features import Feature
from cogov_toolkit.demo.sample import build_sample_workspace
from cogov_toolkit.errors import RecordError
from cogov_toolkit.storage import Workspace, open_workspace
from cogov_toolkit.widgets.site_editor import FID_PROPERTY, KIND_PROPERTY, PART_PROPERTY, ChangeAction, SiteEditor

# a small garden in open ground inside 幸福社区 (WGS-84), about 20 m x 15 m
GARDEN = shapely.Polygon([(118.1100, 24.4900), (118.1102, 24.4900), (118.1102, 24.49014), (118.1100, 24.49014)])
BOW_TIE = shapely.Polygon([(118.1100, 24.4900), (118.1102, 24.49014), (118.1102, 24.4900), (118.1100, 24.49014)])


@pytest.fixture(name="ws")
def fixture_ws(sample: Workspace) -> Workspace:
    """A fresh copy of the sample (built once per run, tests/conftest.py)."""
    return sample


@pytest.fixture(name="editor")
def fixture_editor(ws: Workspace) -> SiteEditor:
    return SiteEditor(ws)


def browser_sends(editor: SiteEditor, action: str, geometry: shapely.Geometry, **properties: Any) -> None:
    """Deliver a draw event as ipyleaflet receives it from the browser (a custom widget message)."""
    geo_json = {
        "type": "Feature",
        "geometry": mapping(geometry),
        "properties": {**properties, "style": {"color": "#3388ff"}},  # the browser adds the drawn style
    }
    content = json.loads(json.dumps({"event": f"draw:{action}", "geo_json": geo_json}))  # as it crosses the wire
    editor.draw._handle_leaflet_event(None, content, None)


def drawn_properties(editor: SiteEditor, kind: str, fid: int) -> dict[str, Any]:
    """The properties the browser keeps on a saved shape (and sends back with its edits)."""
    hits = [
        f["properties"]
        for f in editor.draw.data
        if f["properties"][KIND_PROPERTY] == kind and f["properties"][FID_PROPERTY] == fid
    ]
    assert len(hits) == 1
    return {k: hits[0][k] for k in (KIND_PROPERTY, FID_PROPERTY, PART_PROPERTY)}


def draw_garden(editor: SiteEditor) -> Feature:
    browser_sends(editor, "created", GARDEN)
    editor.kind.value = "idle_plots"
    editor.type.value = "corner_land"
    editor.status.value = "proposed"
    editor.name.value = "西门边角地"
    editor.proposed_use.value = "口袋花园"
    editor.notes.value = "居民在院坝会上指出：雨后积水"
    editor.save_button.click()
    return editor.ws.get_feature("idle_plots", editor.selected.value[1])


def test_a_drawn_polygon_with_its_attributes_is_in_the_workspace_and_undo_removes_it(
    editor: SiteEditor, ws: Workspace
) -> None:
    before = len(ws.read_layer("idle_plots"))
    browser_sends(editor, "created", GARDEN)
    assert editor.number.value == 15  # the sample has public spaces 1-14: the next free number is proposed
    editor.kind.value = "idle_plots"
    assert editor.number.value == 13  # and idle plots 1-12
    editor.type.value = "corner_land"
    editor.status.value = "proposed"
    editor.name.value = "西门边角地"
    editor.proposed_use.value = "口袋花园"
    editor.notes.value = "居民在院坝会上指出：雨后积水"
    editor.save_button.click()

    with open_workspace(ws.path, backups=0) as other:  # a second connection: it is committed
        layer = other.read_layer("idle_plots")
    compounds = ws.read_layer("neighbourhoods")
    compound = compounds[compounds.contains(GARDEN.centroid)]["neighbourhood_id"].tolist()
    assert len(layer) == before + 1
    row = layer.iloc[-1]
    assert (row["plot_id"], row["number"], row["kind"], row["status"]) == ("P13", 13, "corner_land", "proposed")
    assert (row["name"], row["proposed_use"], row["neighbourhood_id"]) == ("西门边角地", "口袋花园", *compound)
    assert row["notes"] == "居民在院坝会上指出：雨后积水"
    assert row.geometry.equals_exact(shapely.MultiPolygon([GARDEN]), tolerance=1e-9)
    assert 250 < row["area_m2"] < 400  # about 20 m x 15 m, measured in metres, not degrees
    assert "已保存" in editor.message.value
    assert any(f["properties"][KIND_PROPERTY] == "idle_plots" for f in editor.draw.data)

    editor.undo_button.click()
    assert len(ws.read_layer("idle_plots")) == before
    assert "P13" not in ws.read_layer("idle_plots")["plot_id"].tolist()
    assert "已撤销" in editor.message.value


def test_a_marker_becomes_a_tree_to_adopt(editor: SiteEditor, ws: Workspace) -> None:
    tree = shapely.Point(118.1101, 24.4901)
    browser_sends(editor, "created", tree)
    editor.kind.value = "adoption_zones"
    editor.type.value = "tree"
    editor.name.value = "银杏 1号"
    assert editor.save() is not None
    row = ws.read_layer("adoption_zones").iloc[-1]
    assert (row["zone_id"], row["zone_type"], row["status"], row["name"]) == ("A35", "tree", "available", "银杏 1号")
    assert row.geometry.equals_exact(tree, tolerance=1e-9)


def test_moving_a_shape_updates_its_geometry_and_undo_puts_it_back(editor: SiteEditor, ws: Workspace) -> None:
    saved = draw_garden(editor)
    moved = shapely.affinity.translate(GARDEN, xoff=0.0001)
    browser_sends(editor, "edited", moved, **drawn_properties(editor, "idle_plots", saved.fid))
    stored = ws.get_feature("idle_plots", saved.fid)
    assert stored.geometry.equals_exact(shapely.MultiPolygon([moved]), tolerance=1e-9)
    assert stored.values["name"] == "西门边角地"  # attributes stay with the moved shape
    assert editor.undo_stack[-1].action is ChangeAction.UPDATED

    editor.undo()
    back = ws.get_feature("idle_plots", saved.fid)
    assert back.geometry.equals_exact(shapely.MultiPolygon([GARDEN]), tolerance=1e-9)


def test_reshaping_one_part_of_a_sample_feature_keeps_the_others(editor: SiteEditor, ws: Workspace) -> None:
    frame = ws.read_layer("public_spaces")
    first = frame[frame.geometry.geom_type == "Polygon"].iloc[0]
    fid = int(first["fid"])
    bigger = shapely.affinity.scale(first.geometry, 1.2, 1.2)
    browser_sends(editor, "edited", bigger, **drawn_properties(editor, "public_spaces", fid))
    stored = ws.get_feature("public_spaces", fid)
    assert stored.geometry.equals_exact(bigger, tolerance=1e-9)
    assert stored.values["space_id"] == first["space_id"]


def test_editing_attributes_of_a_selected_site_and_undo(editor: SiteEditor, ws: Workspace) -> None:
    frame = ws.read_layer("idle_plots")
    fid = int(frame["fid"].iloc[0])
    editor.selected.value = ("idle_plots", fid)
    assert editor.kind.value == "idle_plots"
    assert editor.name.value == frame["name"].iloc[0]  # the form shows the stored values
    editor.status.value = "done"
    editor.name.value = "5栋北侧小花园"
    editor.save_button.click()
    stored = ws.get_feature("idle_plots", fid)
    assert (stored.values["status"], stored.values["name"]) == ("done", "5栋北侧小花园")
    assert stored.values["plot_id"] == frame["plot_id"].iloc[0]  # the id stays: records refer to it

    editor.undo_button.click()
    stored = ws.get_feature("idle_plots", fid)
    assert (stored.values["status"], stored.values["name"]) == (frame["status"].iloc[0], frame["name"].iloc[0])


def test_delete_selected_and_delete_on_the_map_are_undone(editor: SiteEditor, ws: Workspace) -> None:
    frame = ws.read_layer("adoption_zones")
    first, second = int(frame["fid"].iloc[0]), int(frame["fid"].iloc[1])
    editor.selected.value = ("adoption_zones", first)
    editor.delete_button.click()
    assert first not in ws.read_layer("adoption_zones")["fid"].tolist()
    assert "已删除" in editor.message.value

    geometry = frame.geometry.iloc[1]
    browser_sends(editor, "deleted", geometry, **drawn_properties(editor, "adoption_zones", second))
    assert len(ws.read_layer("adoption_zones")) == len(frame) - 2

    editor.undo_button.click()
    editor.undo_button.click()
    restored = ws.read_layer("adoption_zones")
    assert restored["fid"].tolist() == frame["fid"].tolist()  # back under the same row ids
    assert restored.drop(columns="geometry").equals(frame.drop(columns="geometry"))
    editor.undo_button.click()
    assert "没有可以撤销" in editor.message.value


def test_an_invalid_polygon_is_refused_with_a_chinese_reason(editor: SiteEditor, ws: Workspace) -> None:
    before = len(ws.read_layer("idle_plots"))
    browser_sends(editor, "created", BOW_TIE)
    editor.kind.value = "idle_plots"
    assert editor.save() is None
    assert len(ws.read_layer("idle_plots")) == before
    assert "边线自相交" in editor.message.value
    assert editor.undo_stack == []


def test_missing_attributes_and_wrong_shapes_are_refused(editor: SiteEditor, ws: Workspace) -> None:
    browser_sends(editor, "created", shapely.Point(118.1101, 24.4901))
    editor.kind.value = "idle_plots"  # an idle plot must be an area
    editor.name.value = "<b>x</b>"
    assert editor.save() is None
    assert "闲置地块要画成多边形" in editor.message.value
    assert "<b>x</b>" not in editor.message.value
    with pytest.raises(RecordError, match="idle_plots") as caught:
        ws.insert_feature("idle_plots", GARDEN, {"plot_id": "P99", "number": None, "status": "bogus"})
    text = str(caught.value)
    assert "序号" in text and "必须填写" in text and "「bogus」不是可选的值" in text


def test_a_taken_number_is_refused_and_the_unsaved_shape_stays(editor: SiteEditor, ws: Workspace) -> None:
    browser_sends(editor, "created", GARDEN)
    editor.kind.value = "idle_plots"
    editor.number.value = 1  # P01 exists in the sample
    assert editor.save() is None
    assert "已被别的地点使用" in editor.message.value
    editor.selected.value = ("adoption_zones", 1)
    editor.delete_button.click()  # another change meanwhile: the drawn shape must stay on the map
    unsaved = [f for f in editor.draw.data if KIND_PROPERTY not in f["properties"]]
    assert len(unsaved) == 1
    editor.selected.value = -1
    editor.kind.value = "idle_plots"
    editor.number.value = 40
    assert editor.save() is not None
    assert ws.read_layer("idle_plots")["plot_id"].iloc[-1] == "P40"


def test_the_map_loads_nothing_from_the_internet_by_default(editor: SiteEditor) -> None:
    import ipyleaflet

    assert not [layer for layer in editor.map.layers if isinstance(layer, ipyleaflet.TileLayer)]
    state = json.dumps(editor.map.get_state(), default=str)
    for layer in editor.map.layers:
        state += json.dumps(layer.get_state(), default=str)
    assert "http" not in state
    # the check sees a tile URL when there is one
    editor.map.add(ipyleaflet.TileLayer(url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"))
    assert any("http" in json.dumps(layer.get_state(), default=str) for layer in editor.map.layers)
    labels = [editor.save_button.description, editor.undo_button.description, editor.delete_button.description]
    assert labels == ["保存", "撤销上一步", "删除所选"]


def test_changing_the_layer_of_a_selected_site_starts_a_new_one(editor: SiteEditor, ws: Workspace) -> None:
    fid = int(ws.read_layer("public_spaces")["fid"].iloc[0])
    editor.selected.value = ("public_spaces", fid)
    editor.kind.value = "adoption_zones"  # a saved site keeps its layer: the form now describes a new shape
    assert editor.selected.value == -1
    assert editor.save() is None  # nothing drawn yet
    assert "请先在地图上画" in editor.message.value
    assert ws.get_feature("public_spaces", fid).values["space_id"] == "S01"


def test_single_feature_writes_join_a_transaction_and_roll_back_with_it(ws: Workspace) -> None:
    before = len(ws.read_layer("idle_plots"))
    values = {"plot_id": "P77", "number": 77, "status": "idle"}
    with pytest.raises(RuntimeError), ws.transaction():
        ws.insert_feature("idle_plots", GARDEN, values)
        assert len(ws.read_layer("idle_plots")) == before + 1
        raise RuntimeError("power cut")
    assert len(ws.read_layer("idle_plots")) == before


def test_without_ipyleaflet_the_planner_is_told_what_to_install(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    from cogov_toolkit.errors import ConfigurationError

    monkeypatch.setitem(__import__("sys").modules, "ipyleaflet", None)  # as if not installed
    with pytest.raises(ConfigurationError, match="pip install"):
        SiteEditor(ws)


def test_a_scanned_plan_image_is_laid_over_the_map_offline(tmp_path) -> None:
    from PIL import Image

    from cogov_toolkit.io.cad import ControlPoints
    from cogov_toolkit.storage import open_workspace
    from cogov_toolkit.widgets.site_editor import SiteEditor

    scan = tmp_path / "总平面图扫描.png"
    Image.new("RGB", (1000, 800), "white").save(scan)
    # pixel (column, row) of three marks on the scan, and where they are on the map: 0.1 m per pixel, north up
    lon0, lat0, deg_per_m_lon, deg_per_m_lat = 118.108, 24.492, 1 / 101_200, 1 / 110_800
    marks = [(100, 100), (900, 150), (500, 700)]
    pairs = tuple(((c, r), (lon0 + c * 0.1 * deg_per_m_lon, lat0 - r * 0.1 * deg_per_m_lat)) for c, r in marks)
    with open_workspace(build_sample_workspace(tmp_path / "ws.gpkg"), backups=0) as ws:
        editor = SiteEditor(ws)
        corners = editor.add_plan_image(scan, ControlPoints(pairs, plan_y_down=True))
    (south, west), (north, east) = corners.bounds
    assert abs(west - lon0) < 1e-6 and abs(north - lat0) < 1e-6
    assert abs((east - west) / deg_per_m_lon - 100) < 0.5  # 1000 px at 0.1 m = 100 m wide
    assert abs((north - south) / deg_per_m_lat - 80) < 0.5
    assert editor.plan_overlay.url.startswith("data:image/png;base64,")  # embedded: nothing to fetch


def test_the_draw_control_offers_lines_and_markers(editor: SiteEditor) -> None:
    # ipyleaflet turns a tool off when its options are an empty dict: roads need the line, gates the marker
    assert editor.draw.polyline and editor.draw.marker and editor.draw.polygon


def test_a_drawn_line_becomes_a_road_and_a_marker_on_it_a_gate(editor: SiteEditor, ws: Workspace) -> None:
    path = shapely.LineString([(118.1090, 24.4905), (118.1096, 24.4905), (118.1096, 24.4908)])
    before = len(ws.read_layer("roads"))
    browser_sends(editor, "created", path)
    editor.kind.value = "roads"
    assert editor.number.value == 8  # the sample's roads are 1-7
    editor.type.value = "footpath"
    editor.name.value = "花园小径"
    assert editor.save() is not None
    road = ws.read_layer("roads").iloc[-1]
    assert len(ws.read_layer("roads")) == before + 1
    assert (road["road_id"], road["number"], road["kind"], road["name"]) == ("R08", 8, "footpath", "花园小径")
    assert road.geometry.equals_exact(shapely.MultiLineString([path]), tolerance=1e-9)
    # with 道路 chosen, a marker is no road: the form turns to 大门和地标
    gate = shapely.Point(118.1090, 24.4905)
    browser_sends(editor, "created", gate)
    assert editor.kind.value == "landmarks"
    editor.type.value = "gate"
    editor.name.value = "小径口"
    assert editor.save() is not None
    mark = ws.read_layer("landmarks").iloc[-1]
    assert (mark["landmark_id"], mark["kind"], mark["name"]) == ("L14", "gate", "小径口")
    editor.undo_button.click()
    editor.undo_button.click()
    assert len(ws.read_layer("roads")) == before and "L14" not in set(ws.read_layer("landmarks")["landmark_id"])
