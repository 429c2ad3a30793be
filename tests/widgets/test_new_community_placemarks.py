"""The wizard's "kind of site" field for KML/GPX from phone apps, and the app's own coordinate system."""

from __future__ import annotations

from pathlib import Path

import pytest

from cogov_toolkit.widgets.new_community import NewCommunityWizard
from tests.io.test_placemarks import kml


@pytest.fixture(name="wizard")
def fixture_wizard(tmp_path: Path) -> NewCommunityWizard:
    wizard = NewCommunityWizard(tmp_path / "社区")
    wizard.name.value = "和美社区"
    wizard.neighbourhoods.value = "N1 东苑"
    wizard.grids.value = "G1 一网格"
    wizard.create_button.click()
    yield wizard
    if wizard.ws is not None:
        wizard.ws.close()


def test_a_phone_app_kml_imports_with_its_folders_as_kinds_of_site(wizard: NewCommunityWizard, tmp_path: Path) -> None:
    wizard.file_path.value = str(kml(tmp_path / "收藏点.kml", app="高德地图", gcj=True))
    wizard.kind.value = "public_spaces"
    wizard.site_type.value = "文件夹"
    wizard.import_button.click()
    spaces = wizard.ws.read_layer("public_spaces")
    assert list(spaces["type"]) == ["pocket_garden", "pocket_garden", "fitness_area"]
    assert "高德地图" in wizard.message.value and "S01–S03" in wizard.message.value


def test_without_a_kind_the_wizard_says_which_column_is_missing(wizard: NewCommunityWizard, tmp_path: Path) -> None:
    wizard.file_path.value = str(kml(tmp_path / "点.kml", app="同事", gcj=False))
    wizard.kind.value = "public_spaces"
    wizard.import_button.click()
    assert "类型" in wizard.message.value and wizard.ws.count("public_spaces") == 0
    wizard.site_type.value = "广场"
    wizard.import_button.click()
    assert set(wizard.ws.read_layer("public_spaces")["type"]) == {"square"}
