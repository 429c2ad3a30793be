"""Thematic maps: classes from mapclassify, class bounds in the legend, small samples greyed out."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from cogov_toolkit.errors import CogovError
from cogov_toolkit.render.choropleth import MIN_RESPONDENTS, Scheme, building_choropleth
from cogov_toolkit.render.interactive import content_map, render_html
from cogov_toolkit.render.print_map import save_print
from cogov_toolkit.render.style import map_style
from cogov_toolkit.storage import Workspace
from cogov_toolkit.workflows.maps import choropleth_content
from tests.render.conftest import SAMPLE


def satisfaction() -> tuple[pd.Series, pd.Series]:
    """Mean post-evaluation satisfaction by building, and respondents, from the sample's evaluations.

    Two buildings keep only 3 and 4 answers, so that the map has small samples to grey out.
    """
    evaluations = pd.read_csv(SAMPLE / "evaluations.csv")
    evaluations = evaluations[evaluations["phase"] == "post"]
    first = evaluations.groupby("building_id").cumcount()
    evaluations = evaluations[
        ~((evaluations["building_id"] == "B01") & (first >= 3))
        & ~((evaluations["building_id"] == "B02") & (first >= 4))
    ]
    answers = evaluations["answers"].map(json.loads).map(lambda a: a["q_overall"])
    grouped = answers.groupby(evaluations["building_id"])
    return grouped.mean(), grouped.size()


def test_classes_bounds_and_suppression(sample_ws: Workspace) -> None:
    values, counts = satisfaction()
    assert (counts < MIN_RESPONDENTS).any() and (counts >= MIN_RESPONDENTS).any()  # the sample has both
    buildings = sample_ws.read_layer("buildings")
    layer = building_choropleth(buildings, values, counts, name="满意度", k=4)
    suppressed = layer.classes[-1]
    assert suppressed.colour == map_style().suppressed and "少于 5 人" in suppressed.label
    small = set(counts[counts < MIN_RESPONDENTS].index) | (set(buildings["building_id"]) - set(counts.index))
    for bid, cls, row in zip(buildings["building_id"], layer.class_index, layer.values, strict=True):
        if bid in small:
            assert cls == len(layer.classes) - 1 and row == ("暂无", "暂无")  # value hidden, not only grey
        else:
            assert cls < len(layer.classes) - 1
    # legend shows the class bounds: consecutive, covering the shown values
    bounds = [tuple(float(x) for x in c.label.split(" – ")) for c in layer.classes[:-1]]
    shown = values[counts >= MIN_RESPONDENTS]
    assert bounds[0][0] == pytest.approx(shown.min(), abs=0.01) and bounds[-1][1] == pytest.approx(
        shown.max(), abs=0.01
    )
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:], strict=False))


def test_choropleth_on_screen_and_paper(sample_ws: Workspace, tmp_path: Path) -> None:
    values, counts = satisfaction()
    content = choropleth_content(sample_ws, values, counts, name="总体满意度", scheme=Scheme.EQUAL_INTERVAL, k=3)
    html = render_html(content_map(content))
    assert "总体满意度" in html and "样本不足" in html
    pdf = save_print(content, tmp_path / "choropleth.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "总体满意度" in text and "样本不足" in text and " – " in text


def test_bad_figures_are_refused(sample_ws: Workspace) -> None:
    buildings = sample_ws.read_layer("buildings")
    with pytest.raises(CogovError) as caught:
        building_choropleth(buildings, pd.Series({"B99": 1.0}), pd.Series({"B99": 9}), name="x")
    assert caught.value.reason == "map.unknown_buildings"
    with pytest.raises(CogovError) as caught:
        building_choropleth(buildings, pd.Series({"B01": "高"}), pd.Series({"B01": 9}), name="x")
    assert caught.value.reason == "map.figure_not_numeric"
