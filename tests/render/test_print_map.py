"""Print export: sizes, fonts, vector output, greyscale, scale bar, and no personal data."""

from __future__ import annotations

import subprocess
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from shutil import which

import numpy as np
import pytest
from PIL import Image

from cogov_toolkit.errors import CogovError
from cogov_toolkit.render import fonts
from cogov_toolkit.render.print_map import (
    WECHAT_WIDTH_PX,
    Orientation,
    Paper,
    PrintOptions,
    grid_convergence_deg,
    nice_length,
)
from cogov_toolkit.storage import Workspace, open_workspace
from cogov_toolkit.workflows.maps import export_print, export_wechat_png
from tests.render.conftest import CANARY_NAME
from tests.render.test_interactive import leaked, personal_values


def poppler(tool: str, *args: str) -> str:
    """Run a poppler tool; fail (not skip) when it is missing, as CI installs poppler-utils."""
    if which(tool) is None:
        pytest.fail(f"{tool} is missing: install poppler-utils (apt-get install -y poppler-utils)")
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True).stdout


def svg_text(path: Path) -> str:
    """All text content of an SVG file."""
    return "\n".join(ET.parse(path).getroot().itertext())


@pytest.fixture(name="pdf", scope="module")
def fixture_pdf(sample_ws_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = open_workspace(sample_ws_path, backups=0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a missing glyph is a warning in matplotlib: make it fail here
            return export_print(ws, tmp_path_factory.mktemp("print") / "幸福社区.pdf", paper=Paper.A3)
    finally:
        ws.close()


def test_pdf_is_vector_with_an_embedded_simplified_chinese_font(pdf: Path) -> None:
    listing = poppler("pdffonts", str(pdf))
    cjk = [line for line in listing.splitlines() if "CJKsc" in line or "SC-" in line]
    assert cjk and all(" yes " in line for line in cjk)  # embedded
    assert "CJKjp" not in listing
    assert poppler("pdfimages", "-list", str(pdf)).count("\n") <= 2  # header only: no raster inside
    text = poppler("pdftotext", str(pdf), "-")
    for expected in ("幸福社区共同缔造地图", "图例", "北", "米", "第一网格", "已提议", "3号地块", "数据来源"):
        assert expected in text, expected


def test_pdf_svg_png_hold_no_personal_data_and_the_search_finds_a_planted_one(
    pdf: Path, sample_ws: Workspace, tmp_path: Path
) -> None:
    values = personal_values()
    assert leaked(poppler("pdftotext", str(pdf), "-"), values) == []
    svg = export_print(sample_ws, tmp_path / "map.svg", orientation=Orientation.PORTRAIT)
    assert "幸福社区" in svg_text(svg) and leaked(svg_text(svg), values) == []
    # let one through on purpose (a grid named after a resident): both searches find it
    grids = sample_ws.read_layer("grids")
    grids.loc[0, "name"] = CANARY_NAME
    sample_ws.write_layer("grids", grids)
    leaky_pdf = export_print(sample_ws, tmp_path / "leak.pdf")
    leaky_svg = export_print(sample_ws, tmp_path / "leak.svg")
    assert leaked(poppler("pdftotext", str(leaky_pdf), "-"), values) == [CANARY_NAME]
    assert leaked(svg_text(leaky_svg), values) == [CANARY_NAME]


@pytest.mark.parametrize(
    ("paper", "orientation", "size"),
    [(Paper.A4, Orientation.LANDSCAPE, (3508, 2480)), (Paper.A3, Orientation.PORTRAIT, (3508, 4961))],
)
def test_png_is_300_dpi_at_paper_size(sample_ws: Workspace, tmp_path: Path, paper, orientation, size) -> None:
    path = export_print(sample_ws, tmp_path / "map.png", paper=paper, orientation=orientation)
    with Image.open(path) as image:
        assert abs(image.size[0] - size[0]) <= 2 and abs(image.size[1] - size[1]) <= 2
        assert round(image.info["dpi"][0]) == 300


def test_wechat_png_is_1080_wide(sample_ws: Workspace, tmp_path: Path) -> None:
    with Image.open(export_wechat_png(sample_ws, tmp_path / "wechat.png")) as image:
        assert image.size[0] == WECHAT_WIDTH_PX and image.size[1] > image.size[0]


def test_greyscale_has_no_colour_and_colour_has(sample_ws: Workspace, tmp_path: Path) -> None:
    def saturation(path: Path) -> int:
        pixels = np.asarray(Image.open(path).convert("RGB")).astype(int)
        return int((pixels.max(axis=2) - pixels.min(axis=2)).max())

    assert saturation(export_print(sample_ws, tmp_path / "grey.png", greyscale=True, dpi=60)) <= 2
    assert saturation(export_print(sample_ws, tmp_path / "colour.png", dpi=60)) > 100


def test_missing_font_raises_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(CogovError) as caught:
        fonts.find_cjk_font(("No Such Font SC",))
    assert caught.value.reason == "map.font_missing"
    assert "fonts-noto-cjk" in str(caught.value) and "conda" in str(caught.value)


def test_the_simplified_chinese_face_is_chosen_not_the_japanese_one() -> None:
    font = fonts.find_cjk_font()
    assert font.family.endswith(("SC", "CN")) or "Hei" in font.family


def test_scale_bar_lengths_and_north() -> None:
    assert [nice_length(x) for x in (7, 140, 260, 999)] == [5, 100, 200, 500]
    # at the central meridian of a UTM zone grid north is true north; east of it the grid turns
    assert abs(grid_convergence_deg("EPSG:32650", 117.0, 24.5)) < 1e-6
    assert 0.3 < abs(grid_convergence_deg("EPSG:32650", 118.11, 24.49)) < 0.6


def test_options_give_sheet_sizes() -> None:
    assert PrintOptions().size_inches == pytest.approx((297 / 25.4, 210 / 25.4))
    assert PrintOptions(paper=Paper.A3, orientation=Orientation.PORTRAIT).size_inches == pytest.approx(
        (297 / 25.4, 420 / 25.4)
    )
