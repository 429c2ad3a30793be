"""Print export: sizes, fonts, vector output, greyscale, scale bar, and no personal data."""

from __future__ import annotations

import subprocess
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from shutil import which

import matplotlib
import numpy as np
import pytest
from matplotlib.text import Text
from PIL import Image

from cogov_toolkit.errors import CogovError
from cogov_toolkit.render import fonts
from cogov_toolkit.render.linebreak import check_lines
from cogov_toolkit.render.print_map import (
    BUILDING_LABEL_GID,
    PLACE_LABEL_GID,
    ROAD_LABEL_GID,
    SITE_LABEL_GID,
    WECHAT_WIDTH_PX,
    Orientation,
    Paper,
    PrintOptions,
    draw_print_figure,
    grid_convergence_deg,
    nice_length,
)
from cogov_toolkit.storage import Workspace, open_workspace
from cogov_toolkit.workflows.maps import (
    DEMAND_LAYERS,
    DEMAND_MAP_FILE,
    PRINT_LAYERS,
    export_demand_map,
    export_print,
    export_wechat_png,
    workspace_content,
    write_map_set,
)
from tests.render.conftest import CANARY_NAME, pdf_font_problems
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


def test_pdf_is_vector_with_its_fonts_embedded_as_print_shops_want(pdf: Path, sample_ws: Workspace) -> None:
    assert pdf_font_problems(pdf) == []  # no Type 3, every font embedded, no poppler warning
    listing = poppler("pdffonts", str(pdf))
    assert "WenQuanYi" in listing and "CID TrueType" in listing  # a Simplified Chinese face, TrueType outlines
    assert poppler("pdfimages", "-list", str(pdf)).count("\n") <= 2  # header only: no raster inside
    text = poppler("pdftotext", str(pdf), "-")
    for expected in ("幸福社区共同缔造地图", "图例", "北", "米", "第一网格", "已提议", "3号地块", "数据来源"):
        assert expected in text, expected
    words = set(text.split())
    labels = sample_ws.read_layer("buildings")["label"].tolist()
    assert [label for label in labels if label not in words] == []  # every building number, whole ("5栋")


def test_the_font_check_finds_type3_and_a_misdeclared_cff_font(tmp_path: Path) -> None:
    import matplotlib

    from cogov_toolkit.render.fonts import find_cjk_font, has_truetype_outlines

    noto = find_cjk_font(("Noto Sans CJK SC",))
    assert not has_truetype_outlines(noto.path, noto.index)  # CFF outlines: matplotlib would misdeclare them
    for fonttype in (3, 42):
        with matplotlib.rc_context({"pdf.fonttype": fonttype, "font.family": [noto.family]}):
            figure = matplotlib.figure.Figure()
            figure.text(0.1, 0.5, "幸福社区 5栋")
            figure.savefig(tmp_path / f"{fonttype}.pdf")
        problems = pdf_font_problems(tmp_path / f"{fonttype}.pdf")
        assert any(("Type 3" if fonttype == 3 else "Mismatch") in p for p in problems), problems


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


# --- layout, labels and colours, checked on what matplotlib drew --------------------------------------
def drawn(sample_ws: Workspace, options: PrintOptions, include=PRINT_LAYERS, *, pdf: bool = False):
    """The sheet as matplotlib draws it for ``options``, with its renderer."""
    content = workspace_content(sample_ws, options.style, include=include)
    figure = draw_print_figure(content, options, pdf=pdf)
    figure.canvas.draw()
    return figure, figure.canvas.get_renderer(), content


def box_overlaps(boxes: list) -> list[tuple[int, int]]:
    """Index pairs of matplotlib Bboxes that overlap (touching edges do not count)."""
    return [
        (i, j)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes[i + 1 :], start=i + 1)
        if min(a.x1, b.x1) - max(a.x0, b.x0) > 0.01 and min(a.y1, b.y1) - max(a.y0, b.y0) > 0.01
    ]


def test_the_overlap_check_finds_overlapping_boxes() -> None:
    from matplotlib.transforms import Bbox

    assert box_overlaps([Bbox([[0, 0], [10, 10]]), Bbox([[5, 5], [15, 15]]), Bbox([[10, 0], [20, 4]])]) == [(0, 1)]


SHEETS = [
    PrintOptions(paper=Paper.A3, orientation=Orientation.PORTRAIT),
    PrintOptions(paper=Paper.A4),
    PrintOptions(paper=Paper.A4, greyscale=True),
    PrintOptions(orientation=Orientation.PORTRAIT, width_px=WECHAT_WIDTH_PX),
]


@pytest.mark.parametrize("options", SHEETS, ids=["A3-portrait", "A4-landscape", "A4-greyscale", "wechat"])
def test_site_numbers_never_overlap_and_every_one_is_on_the_sheet(sample_ws: Workspace, options: PrintOptions) -> None:
    figure, renderer, content = drawn(sample_ws, options, pdf=options.width_px is None)
    texts = [t for t in figure.findobj(Text) if t.get_gid() == SITE_LABEL_GID]
    boxes = [t.get_bbox_patch().get_window_extent(renderer) for t in texts]
    assert box_overlaps(boxes) == []
    badges = [b for layer in content.layers if layer.badges for b in layer.badges if b]
    assert sorted(t.get_text() for t in texts) == sorted(badges)  # none left out on the sample
    frame = figure.axes[0].get_window_extent(renderer)
    assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1 for b in boxes)
    numbers = {t.get_text() for t in figure.findobj(Text) if t.get_gid() == BUILDING_LABEL_GID}
    assert numbers == set(sample_ws.read_layer("buildings")["label"])  # every building numbered
    # landmarks' names beside their symbols and roads' names along them: clear of the numbers and of each other
    names = [t for t in figure.findobj(Text) if t.get_gid() in (PLACE_LABEL_GID, ROAD_LABEL_GID)]
    name_boxes = [
        t.get_bbox_patch().get_window_extent(renderer) if t.get_gid() == PLACE_LABEL_GID else t.get_window_extent()
        for t in names
    ]
    assert box_overlaps(boxes + name_boxes) == []
    assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1 for b in name_boxes)
    places = {t.get_text() for t in names if t.get_gid() == PLACE_LABEL_GID}
    legend = " ".join(t.get_text() for t in figure.legends[0].get_texts()) if figure.legends else ""
    legend += " ".join(t.get_text() for ax in figure.axes[1:] if ax.get_legend() for t in ax.get_legend().get_texts())
    for name in sample_ws.read_layer("landmarks")["name"]:
        assert name in places or name in legend, name  # on the map, or listed as having no room
    assert len(places) >= 10  # on the sample nearly every landmark finds room
    assert {"幸福路", "和美路"} <= {t.get_text() for t in names if t.get_gid() == ROAD_LABEL_GID}


def class_colours(figure, *, lines: bool = True) -> dict[str, set]:
    """gid ("idle_plots:2") -> the (face colour, hatch) of every map artist drawn for that class.

    A line is drawn in its edge colour; ``lines=False`` leaves lines out (greyscale draws them black, dashed).
    """
    out: dict[str, set] = {}
    for artist in figure.axes[0].get_children():
        gid = artist.get_gid()
        if not gid or ":" not in gid or not hasattr(artist, "get_facecolor"):
            continue
        faces = np.atleast_2d(artist.get_facecolor())
        if not len(faces) or not faces[:, 3].any():
            if not lines:
                continue
            faces = np.atleast_2d(artist.get_edgecolor())
        for face in faces:
            out.setdefault(gid, set()).add((tuple(np.round(face[:3], 3)), artist.get_hatch() or ""))
    return out


@pytest.mark.parametrize("greyscale", [False, True])
def test_no_two_classes_drawn_together_share_a_colour(sample_ws: Workspace, greyscale: bool) -> None:
    for include in (PRINT_LAYERS, DEMAND_LAYERS):
        figure, _, _ = drawn(sample_ws, PrintOptions(greyscale=greyscale), include)
        drawn_classes = class_colours(figure, lines=not greyscale)
        # 4 grids, 7 kinds of space (one drawn as lines only), 4 plot states, 2 adoption states; or 4 triage classes
        assert len(drawn_classes) >= (17 - greyscale if include == PRINT_LAYERS else 8)
        assert all(len(v) == 1 for v in drawn_classes.values())  # one look per class
        looks = [next(iter(v)) if greyscale else next(iter(v))[0] for v in drawn_classes.values()]
        assert len(set(looks)) == len(looks), drawn_classes
        if greyscale:  # sites keep their hatching; buildings are the plain background
            assert all(next(iter(v))[1] for k, v in drawn_classes.items() if not k.startswith("buildings"))
        legend = figure.axes[1].get_legend()
        for handle in legend.legend_handles:
            gid = handle.get_gid()
            if gid in drawn_classes and hasattr(handle, "get_facecolor"):
                face = tuple(np.round(matplotlib.colors.to_rgba(handle.get_facecolor())[:3], 3))
                assert face == next(iter(drawn_classes[gid]))[0], gid  # the legend shows what the map drew


def test_the_colour_check_finds_a_shared_colour(sample_ws: Workspace) -> None:
    figure, _, _ = drawn(sample_ws, PrintOptions())
    ax = figure.axes[0]
    collection = next(a for a in ax.collections if a.get_gid() == "idle_plots:3")
    collection.set_facecolor(next(a for a in ax.collections if a.get_gid() == "public_spaces:2").get_facecolor())
    looks = [next(iter(v))[0] for v in class_colours(figure).values()]
    assert len(set(looks)) < len(looks)


def test_demands_are_a_thematic_map_not_on_the_site_map(sample_ws: Workspace, tmp_path: Path) -> None:
    figure, _, _ = drawn(sample_ws, PrintOptions())
    assert not any(k.startswith("demands:") for k in class_colours(figure))
    figure, _, _ = drawn(sample_ws, PrintOptions(), DEMAND_LAYERS)
    assert any(k.startswith("demands:") for k in class_colours(figure))
    path = export_demand_map(sample_ws, tmp_path / "诉求.pdf")
    assert "幸福社区居民诉求分布图" in poppler("pdftotext", str(path), "-")
    (png,) = write_map_set(sample_ws, tmp_path / "set", (DEMAND_MAP_FILE,))
    assert png.name == "居民诉求分布图_A4横版.png" and png.stat().st_size > 0


def test_the_map_fills_the_sheet(sample_ws: Workspace) -> None:
    for options in SHEETS[:2]:
        figure, renderer, _ = drawn(sample_ws, options)
        sheet = figure.bbox
        frame = figure.axes[0].get_window_extent(renderer)
        legend = figure.axes[1].get_legend().get_window_extent(renderer)
        printable = sheet.width * 0.9, sheet.height * 0.9  # within the margins
        # the frame, sized to the data, spans the sheet one way; the legend leaves no empty band below
        assert frame.width >= 0.9 * printable[0] or frame.height >= 0.75 * printable[1], options
        lowest = min(frame.y0, legend.y0)
        assert lowest <= 0.15 * sheet.height, (options, lowest / sheet.height)


def test_a_long_title_breaks_by_the_chinese_rules(sample_ws: Workspace) -> None:
    title = "幸福社区「共同缔造」微更新项目（第二期）：闲置地块改造、认领认养与公共空间分布图（2026年3月）"
    figure, _, _ = drawn(
        sample_ws, PrintOptions(orientation=Orientation.PORTRAIT, width_px=WECHAT_WIDTH_PX, title=title)
    )
    lines = [t.get_text() for t in figure.texts if t.get_fontweight() == "bold"]
    assert len(lines) > 1 and "".join(lines) == title
    assert check_lines(lines) == []
