"""The new workspace wizard, driven from code step by step."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cogov_toolkit.demo.sample import sample_data_dir
from cogov_toolkit.render.interactive import render_html
from cogov_toolkit.render.offline_assets import loadable_urls
from cogov_toolkit.widgets.new_community import NewCommunityWizard, parse_names
from cogov_toolkit.workflows.maps import workspace_content


@pytest.fixture(name="wizard")
def fixture_wizard(tmp_path: Path) -> NewCommunityWizard:
    wizard = NewCommunityWizard(tmp_path / "我的 社区")
    yield wizard
    if wizard.ws is not None:
        wizard.ws.close()


def test_parse_names() -> None:
    assert parse_names("N1 幸福花园\nN2，和美家园\n\nG9") == {"N1": "幸福花园", "N2": "和美家园", "G9": "G9"}


def test_steps_in_order_build_a_workspace_the_map_renders(wizard: NewCommunityWizard, tmp_path: Path) -> None:
    wizard.name.value = "和美社区"
    wizard.neighbourhoods.value = "N1 东苑\nN2 西苑"
    wizard.grids.value = "G1 一网格\nG2 二网格\nG3 三网格\nG4 四网格"
    wizard.create_button.click()
    assert wizard.ws is not None and wizard.ws.path == tmp_path / "我的 社区" / "和美社区.gpkg"
    assert "已创建工作区" in wizard.message.value

    wizard.file_path.value = str(sample_data_dir() / "buildings.geojson")
    wizard.kind.value = "buildings"
    wizard.import_button.click()
    assert "导入 40 条" in wizard.message.value
    assert wizard.last_map is not None

    wizard.outline_button.click()
    assert wizard.ws.count("neighbourhoods") == 2 and wizard.ws.count("grids") == 4
    assert list(wizard.ws.read_layer("neighbourhoods")["name"]) == ["东苑", "西苑"]
    legend = [c.label for layer in workspace_content(wizard.ws).layers for c in layer.classes]
    assert {"一网格", "四网格"} <= set(legend)  # the buildings are classed by the grids just outlined
    assert loadable_urls(render_html(wizard.last_map)) == []

    wizard.file_path.value = str(sample_data_dir() / "households.csv")
    wizard.kind.value = "households"
    wizard.import_button.click()
    assert wizard.ws.count("households") == 1202
    # the plain-language report says what was not kept: the ID numbers dropped, the names and phones set apart
    assert "已删除不保存的列" in wizard.message.value and "id_number" in wizard.message.value
    assert "个人信息列已移到单独的个人信息表" in wizard.message.value


def test_upload_widget_file_is_saved_and_imported(wizard: NewCommunityWizard) -> None:
    wizard.name.value = "上传社区"
    wizard.create_button.click()
    content = (sample_data_dir() / "idle_plots.geojson").read_bytes()
    wizard.upload.value = (
        {
            "name": "闲置地.geojson",
            "type": "application/geo+json",
            "size": len(content),
            "last_modified": dt.datetime(2026, 11, 26, tzinfo=dt.UTC),
            "content": memoryview(content),
        },
    )
    wizard.kind.value = "idle_plots"
    wizard.import_button.click()
    assert wizard.ws.count("idle_plots") == 12
    assert (wizard.ws.path.parent / "导入的文件" / "闲置地.geojson").exists()


def test_mistakes_give_chinese_messages_not_tracebacks(wizard: NewCommunityWizard, tmp_path: Path) -> None:
    wizard.create_button.click()
    assert "请先填写社区名称" in wizard.message.value and "#b00020" in wizard.message.value
    wizard.import_button.click()
    assert "请先完成第一步" in wizard.message.value
    wizard.name.value = "和美社区"
    wizard.create_button.click()
    wizard.outline_button.click()
    assert "还没有楼栋" in wizard.message.value
    bad = tmp_path / "楼栋 <b>坏.csv"
    bad.write_text("楼栋编号,经度\nB1,不是数字\n", encoding="gbk")
    wizard.file_path.value = str(bad)
    wizard.import_button.click()
    assert "&lt;b&gt;" in wizard.message.value and "<b>坏" not in wizard.message.value  # escaped file name
    again = NewCommunityWizard(tmp_path / "我的 社区")
    again.name.value = "和美社区"
    again.create_button.click()  # the same name again never overwrites the first workspace
    assert "已存在" in again.message.value and again.ws is None


CAD = Path(__file__).resolve().parents[1] / "data" / "cad"


def test_a_cad_site_plan_is_placed_by_control_points_and_a_bad_point_is_flagged(wizard: NewCommunityWizard) -> None:
    import json

    truth = {
        (c["building_id"], c["corner"]): c
        for c in json.loads((CAD / "truth.json").read_text(encoding="utf-8"))["corners"]
    }
    wizard.name.value = "总平面图社区"
    wizard.create_button.click()
    wizard.dxf_path.value = str(CAD / "site_plan_local.dxf")
    wizard.dxf_layers_button.click()
    assert "「建筑」" in wizard.message.value
    wizard.dxf_roles.value = "建筑 建筑\n道路 道路"
    lines = []
    for i, corner in enumerate([("B01", 0), ("B10", 2), ("B30", 1), ("B40", 3), ("B20", 0)]):
        (x, y), (lon, lat) = truth[corner]["plan"], truth[corner]["lonlat"]
        if i == 4:
            lat += 20 / 111_320  # a point clicked 20 m north of where it belongs
        lines.append(f"{x} {y} {lon} {lat}")
    wizard.control_points.value = "\n".join(lines)
    wizard.dxf_button.click()
    assert wizard.ws.count("buildings") == 40
    assert "控制点 5" in wizard.message.value and wizard.message.value.count("误差偏大") == 1
    assert wizard.placement.fit.flagged == (4,)
    wizard.control_points.value = "1 2 3"
    wizard.dxf_button.click()
    assert "控制点格式不对" in wizard.message.value


def test_sites_imported_through_the_wizard_are_checked(wizard: NewCommunityWizard, tmp_path: Path) -> None:
    import geopandas as gpd
    import shapely

    wizard.name.value = "检查社区"
    wizard.create_button.click()
    wizard.file_path.value = str(sample_data_dir() / "buildings.geojson")
    wizard.import_button.click()
    wizard.outline_button.click()
    plots = gpd.read_file(sample_data_dir() / "idle_plots.geojson")
    plots.loc[0, "geometry"] = shapely.affinity.translate(plots.geometry[1], xoff=0.05)  # 5 km east: outside
    bad = tmp_path / "闲置地.geojson"
    plots.to_file(bad)
    wizard.file_path.value = str(bad)
    wizard.kind.value = "idle_plots"
    wizard.import_button.click()
    assert plots.loc[0, "plot_id"] in wizard.message.value
    assert wizard.roster_area.children  # the Excel roster panel appears once the workspace exists
