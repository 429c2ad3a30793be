"""The evaluation report of the sample project: Chinese, aggregates only, small buildings suppressed."""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from openpyxl import load_workbook

from cogov_toolkit.core.evaluation import building_figures
from cogov_toolkit.demo.sample import build_sample_workspace
from cogov_toolkit.io.surveys import bundled_questionnaire
from cogov_toolkit.render.evaluation_report import building_layer, method_notes, report_html, write_report
from cogov_toolkit.render.interactive import content_map, render_html
from cogov_toolkit.storage import open_workspace
from cogov_toolkit.workflows.evaluations import Respondent, build_report, evaluation_frame, submit_response
from cogov_toolkit.workflows.maps import choropleth_content
from tests.conftest import copy_workspace
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
        "事前预评 → 事后评价",
        "百分制",
        # the methods, in words: which test, how the scale is read, how respondents are counted
        "部分重叠样本 t 检验（部分住户前后都答了）",
        "没有住户两次都答时，它就是 Welch t 检验",
        "按每道题自己的选项换算",
        "答题人数按户计",
        "另有 10 份答卷没有户号",
        "全部纳入分析",
    ):
        assert text in html, text
    assert "https://" not in html and "http://" not in html  # prints and opens offline
    pdf = files[1].read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_html_report_only_shows_what_it_was_given(outputs) -> None:
    report, _, _, _ = outputs
    empty = type(report)(**{**report.__dict__, "comments": ()})
    assert "<li>" not in report_html(empty).split("居民意见")[1]


# ---------------------------------------------------------------- one household answering four times
PLANTED, SMALL, LARGE, THIRD = "PJ99", "B11", "B12", "B13"


def _answers(value: int) -> dict[str, str]:
    return {k: str(value) for k in ("q_overall", "q_safety", "q_greening", "q_facilities", "q_upkeep")}


@pytest.fixture(name="planted", scope="module")
def fixture_planted(sample_path: Path, tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """Project PJ99 after works: in B11 one household answered 4 times and one neighbour once; 3 in B13; 6 in B12."""
    folder = tmp_path_factory.mktemp("一户四答")
    form = bundled_questionnaire("satisfaction_5")
    with open_workspace(copy_workspace(sample_path, folder / "工作区"), backups=0) as ws:
        households = ws.records("households")
        small = households.loc[households["building_id"] == SMALL, "household_id"].tolist()
        large = households.loc[households["building_id"] == LARGE, "household_id"].tolist()
        # the repeated household's latest answer (by time) is the one stored first
        for k, (value, day) in enumerate([(2, 9), (1, 6), (1, 7), (1, 8)]):
            who = Respondent(PLANTED, "post", "resident", SMALL, small[0])
            stamp = f"2026-10-{day:02d}T09:00:00+08:00"
            submit_response(ws, form, who, _answers(value), idempotency_key=f"again{k}", submitted_at=stamp)
        who = Respondent(PLANTED, "post", "resident", SMALL, small[1])
        submit_response(
            ws, form, who, _answers(5), idempotency_key="neighbour", submitted_at="2026-10-05T09:00:00+08:00"
        )
        # a second small building: with one building hidden, the overall figure minus the shown one would give it
        # away, so the report would hide a second building too (complementary suppression); two small ones keep
        # the large building's figure shown
        third = households.loc[households["building_id"] == THIRD, "household_id"].tolist()
        for k, household in enumerate(third[:3]):
            who = Respondent(PLANTED, "post", "resident", THIRD, household)
            submit_response(
                ws, form, who, _answers(3), idempotency_key=f"third{k}", submitted_at="2026-10-05T11:00:00+08:00"
            )
        for k, household in enumerate(large[:6]):
            who = Respondent(PLANTED, "post", "resident", LARGE, household)
            submit_response(
                ws, form, who, _answers(4), idempotency_key=f"large{k}", submitted_at="2026-10-05T10:00:00+08:00"
            )
        report = build_report(ws, PLANTED, form)
        by_answers = building_figures(evaluation_frame(ws, PLANTED), "q_overall")  # no household ids: answers
        figures = report.buildings.set_index("building_id")
        content = choropleth_content(ws, figures["mean"], figures["respondents"], name="总体满意度")
        shared = ws.share_copy(folder / "给设计师" / "社区.gpkg")
        live = ws.path
    files = write_report(report, folder / "输出")
    return SimpleNamespace(
        report=report,
        by_answers=by_answers,
        files=files,
        map_html=render_html(content_map(content)),
        shared=shared,
        live=live,
    )


def test_the_planted_building_would_be_shown_if_answers_were_counted(planted) -> None:
    row = planted.by_answers.set_index("building_id").loc[SMALL]
    assert row["respondents"] == 5 and not row["suppressed"]  # the old rule published this building's mean


def test_a_household_answering_four_times_counts_once_in_the_report(planted) -> None:
    report = planted.report
    figures = report.buildings.set_index("building_id")
    assert figures.loc[SMALL, "respondents"] == 2 and figures.loc[SMALL, "suppressed"]
    assert pd.isna(figures.loc[SMALL, "mean"])
    assert figures.loc[LARGE, "respondents"] == 6 and figures.loc[LARGE, "mean"] == 4.0
    assert report.items.query("item == 'q_overall'")["n"].item() == 11  # households, not 14 answers
    assert figures.loc[THIRD, "suppressed"] and figures.loc[THIRD, "respondents"] == 3
    assert any("答题人数按户计" in note for note in method_notes(report))

    html_path, pdf_path, xlsx_path = planted.files
    html = html_path.read_text(encoding="utf-8")
    assert f"<td>{LARGE}</td><td>6</td><td>4.00</td>" in html  # a shown building has its figure here
    assert f"<td>{SMALL}</td><td>2</td><td>人数太少，不显示</td>" in html
    rows = {r[0]: r for r in load_workbook(xlsx_path)["楼栋"].iter_rows(min_row=2, values_only=True)}
    assert rows[LARGE] == (LARGE, 6, "4.00") and rows[SMALL] == (SMALL, 2, "人数太少，不显示")
    text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True)
    lines = {line.split()[0]: line.split()[1:] for line in text.stdout.splitlines() if re.match(r"\s*B1[12]\s", line)}
    assert lines[LARGE] == ["6", "4.00"] and lines[SMALL] == ["2", "人数太少，不显示"]


def test_a_household_answering_four_times_leaves_the_building_grey_on_the_map(planted) -> None:
    ids = list(planted.report.building_shapes["building_id"])
    layer = building_layer(planted.report)
    grey = len(layer.classes) - 1
    assert layer.class_index[ids.index(SMALL)] == grey and layer.values[ids.index(SMALL)] == ("暂无", "暂无")
    assert layer.class_index[ids.index(LARGE)] != grey and layer.values[ids.index(LARGE)] == ("4", "6")
    # and in the interactive map as drawn: the popup data of each building
    payload = _choropleth_payload(planted.map_html)
    position = {tip: i for i, tip in enumerate(payload["t"])}
    assert (
        payload["v"][position["11栋"]] == ["暂无", "暂无"] and payload["ci"][position["11栋"]] == len(payload["cl"]) - 1
    )
    assert payload["v"][position["12栋"]] == ["4", "6"]


def _choropleth_payload(html: str) -> dict:
    """The data the interactive map's script draws the choropleth layer from."""
    key = re.search(r'"k":\s*"choropleth"', html)
    payload, _ = json.JSONDecoder().raw_decode(html, html.rindex("{", 0, key.start()))
    return payload


def _rows_about(path: Path, project: str, building: str) -> list[tuple[str, tuple]]:
    """Rows of any table with a project column that belong to ``project`` and name ``building`` anywhere."""
    found = []
    with contextlib.closing(sqlite3.connect(path)) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            columns = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
            if "project_id" not in columns:
                continue
            for row in db.execute(f'SELECT * FROM "{table}" WHERE project_id = ?', (project,)):
                if any(building == str(c) or f'"{building}"' in str(c) for c in row if c is not None):
                    found.append((table, row))
    return found


def test_the_shared_copy_holds_no_figure_of_the_planted_building(planted) -> None:
    # the search finds the building's responses in the workspace itself
    assert {table for table, _ in _rows_about(planted.live, PLANTED, SMALL)} == {"evaluations"}
    # the shared copy holds per-item aggregates only (no response rows), and none of this building
    assert _rows_about(planted.shared, PLANTED, SMALL) == []


def test_the_report_pdf_follows_the_one_font_rule(outputs) -> None:
    _, files, _, _ = outputs
    pdf = next(f for f in files if f.suffix == ".pdf")
    assert pdf_font_problems(pdf) == []  # no Type 3, all embedded, no poppler warning
