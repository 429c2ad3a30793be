"""The evaluation report of the sample project: Chinese, aggregates only, small buildings suppressed."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from cogov_toolkit.core.evaluation import building_figures
from cogov_toolkit.demo.sample import build_sample_workspace
from cogov_toolkit.io.surveys import bundled_questionnaire
from cogov_toolkit.render.evaluation_report import report_html, write_report
from cogov_toolkit.storage import open_workspace
from cogov_toolkit.workflows.evaluations import Respondent, build_report, evaluation_frame, submit_response
from tests.render.conftest import pdf_font_problems


@pytest.fixture(name="outputs", scope="module")
def fixture_outputs(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("报告")
    form = bundled_questionnaire("satisfaction_5")
    with open_workspace(build_sample_workspace(folder / "幸福社区.gpkg"), backups=0) as ws:
        people = ws.private_records("people")
        canary = people.iloc[0]
        # a resident writes a neighbour's name and phone, and some markup, into a comment
        answers = {k: "4" for k in ("q_overall", "q_safety", "q_greening", "q_facilities", "q_upkeep")}
        answers["comment"] = f"<script>alert(1)</script>找{canary['name']}，电话{canary['phone']}"
        submit_response(
            ws,
            form,
            Respondent("PJ01", "post", "resident", "B02", canary["household_id"]),
            answers,
            idempotency_key="canary",
        )
        report = build_report(ws, "PJ01", form)
        post = evaluation_frame(ws, "PJ01").query("phase == 'post'")
        files = write_report(report, folder / "输出")
    return report, files, canary, post


def _texts(files: list[Path]) -> dict[str, str]:
    html_path, _, xlsx_path = files
    book = load_workbook(xlsx_path)
    cells = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)
    return {"html": html_path.read_text(encoding="utf-8"), "xlsx": cells}


def _leaks(text: str, canary: pd.Series) -> list[str]:
    return [v for v in (canary["name"], canary["phone"], canary["household_id"]) if v and str(v) in text]


def test_the_leak_check_finds_a_name_and_phone() -> None:
    canary = pd.Series({"name": "吴样一", "phone": "100-0000-0001", "household_id": "H0001"})
    assert _leaks("吴样一 100-0000-0001", canary) == ["吴样一", "100-0000-0001"]


def test_report_and_excel_hold_no_names_or_phone_numbers(outputs) -> None:
    report, files, canary, _ = outputs
    assert any("电话***" in c for c in report.comments)  # the comment is there, blanked
    for kind, text in _texts(files).items():
        assert _leaks(text, canary) == [], kind
        assert not re.search(r"\d{3}-\d{4}-\d{4}", text), kind


def test_resident_text_is_escaped_in_html(outputs) -> None:
    _, files, _, _ = outputs
    html = files[0].read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_no_building_figure_from_fewer_than_five_respondents(outputs) -> None:
    report, files, _, post = outputs
    raw = building_figures(post, "q_overall", min_respondents=1)
    small = raw[raw["respondents"] < 5]
    assert not small.empty
    sheet = load_workbook(files[2])["楼栋"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    for _, building in small.iterrows():
        assert rows[building["building_id"]][2] == "人数太少，不显示"
    html = files[0].read_text(encoding="utf-8")
    for _, building in small.iterrows():
        assert re.search(rf"<td>{building['building_id']}</td><td>\d+</td><td>人数太少，不显示</td>", html)


def test_the_map_layer_greys_small_buildings_and_hides_their_figure(outputs) -> None:
    from cogov_toolkit.render.evaluation_report import building_layer

    report, _, _, post = outputs
    layer = building_layer(report)
    raw = building_figures(post, "q_overall", min_respondents=1).set_index("building_id")
    grey = len(layer.classes) - 1  # the last class is "too few respondents"
    ids = list(report.building_shapes["building_id"])
    for position, building in enumerate(ids):
        if building in raw.index and raw.loc[building, "respondents"] < 5:
            assert layer.class_index[position] == grey
            assert f"{raw.loc[building, 'mean']:.2f}" not in layer.values[position]
    assert any(layer.class_index[i] != grey for i in range(len(ids)))


def test_the_report_is_in_chinese_and_says_how_the_change_was_computed(outputs) -> None:
    report, files, _, _ = outputs
    html = files[0].read_text(encoding="utf-8")
    for text in (
        "PJ01 项目效果评价报告",
        "各评价主体的答卷数",
        "95% 置信区间",
        "配对比较",
        "事前预评 → 事后评价",
        "百分制",
    ):
        assert text in html
    assert "https://" not in html and "http://" not in html  # prints and opens offline
    pdf = files[1].read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_html_report_only_shows_what_it_was_given(outputs) -> None:
    report, _, _, _ = outputs
    empty = type(report)(**{**report.__dict__, "comments": ()})
    assert "<li>" not in report_html(empty).split("居民意见")[1]


def test_the_report_pdf_follows_the_one_font_rule(outputs) -> None:
    _, files, _, _ = outputs
    pdf = next(f for f in files if f.suffix == ".pdf")
    assert pdf_font_problems(pdf) == []  # no Type 3, all embedded, no poppler warning
