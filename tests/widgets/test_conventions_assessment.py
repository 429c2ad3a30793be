"""The convention editor and the assessment panel, driven from code as a planner would fill and click them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cogov_toolkit.core.votes import RawBallot
from cogov_toolkit.storage import Workspace, open_workspace
from cogov_toolkit.widgets.assessment import AssessmentPanel
from cogov_toolkit.widgets.conventions import NEW, ConventionEditor
from cogov_toolkit.workflows import votes
from tests.conftest import copy_workspace
from tests.workflows.cobuilding_workspace import AS_OF, CANARIES, HOUSEHOLDS, OFFICE, build_cobuilding_workspace
from tests.workflows.notice_workspace import leaked

XSS = '<img src=x onerror="window.__xss=1">'


@pytest.fixture(name="built", scope="module")
def fixture_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_cobuilding_workspace(tmp_path_factory.mktemp("测试社区") / "测试社区.gpkg")


@pytest.fixture(name="ws")
def fixture_ws(built: Path, tmp_path: Path) -> Iterator[Workspace]:
    ws = open_workspace(copy_workspace(built, tmp_path / "ws"), backups=0)
    yield ws
    ws.close()


def test_the_editor_drafts_revises_votes_adopts_and_prints(ws: Workspace, tmp_path: Path) -> None:
    before = ws.counts()
    editor = ConventionEditor(ws, tmp_path / "公约")
    assert ws.counts() == before and editor.pick.value == NEW  # building the editor writes nothing
    editor.convention_id.value, editor.title.value = "GY01", "测试小区停车公约"
    editor.topics.value = ("parking",)
    editor.demands.value = ("D2",)
    editor.articles.value = "第一条 车辆按线停放。\n第二条 不占用消防通道。"
    editor.save_button.click()
    assert "第1版" in editor.message.value and editor.pick.value == "GY01"
    editor.articles.value = "第1条 车辆按线停放。\n第2条 不占用消防通道和盲道。\n第3条 " + XSS
    editor.save_button.click()
    assert "第2条 修改、第3条 新增" in editor.message.value
    assert "<img" not in editor.message.value
    editor.old_version.value, editor.new_version.value = 1, 2
    editor.compare_button.click()
    assert "第2条 修改、第3条 新增" in editor.diff.value
    editor.save_button.click()  # nothing changed
    assert "没有保存新版本" in editor.message.value
    editor.vote_button.click()
    assert "GY01-v2" in editor.message.value
    editor.adopt_button.click()
    assert "还没有计票" in editor.message.value
    ballots = [RawBallot(f"纸{i}", h, "赞成" if i < 7 else "反对") for i, h in enumerate(HOUSEHOLDS)]
    votes.record_ballots(ws, "GY01-v2", ballots, "paper")
    votes.count_vote(ws, "GY01-v2")
    editor.adopted_on.value = dt.date(2026, 6, 1)
    editor.adopt_button.click()
    assert "已通过" in editor.message.value and "赞成 7 票，反对 3 票" in editor.message.value
    editor.print_button.click()
    assert [p.suffix for p in editor.files] == [".pdf", ".docx"] and all(p.exists() for p in editor.files)
    editor.contact.value, editor.office_phone.value = OFFICE["contact"], OFFICE["office_phone"]
    editor.publish_button.click()
    assert editor.review is not None and "测试小区停车公约" in editor.review.preview.value
    assert "&lt;img" in editor.review.preview.value and "<img" not in editor.review.preview.value
    assert leaked(editor.review.preview.value, CANARIES) == []


def test_the_assessment_panel_computes_sets_targets_and_writes_the_ledger(ws: Workspace, tmp_path: Path) -> None:
    before = ws.counts()
    panel = AssessmentPanel(ws, tmp_path / "台账")
    assert ws.counts() == before and panel.table.value == ""  # nothing computed or written by itself
    panel.as_of.value = AS_OF
    panel.compute_button.click()
    assert "60.0%（6/10）" in panel.table.value and "无数据" in panel.table.value
    assert "按户计" in panel.table.value  # the definition is shown with the figure
    panel.indicator.value, panel.target.value = "idle_plots_renovated", "60%"
    panel.target_button.click()
    assert "已设定" in panel.message.value and "闲置地改造完成比例" in panel.look_back.value
    assert "P3" in panel.look_back.value
    panel.indicator.value, panel.target.value = "idle_plots_renovated", "很多"
    panel.target_button.click()
    assert "无法识别" in panel.message.value
    template = panel.write_template()
    book = load_workbook(template)
    for row in book.worksheets[0].iter_rows(min_row=2):
        if row[0].value == "participation_votes":
            row[4].value = "80%"
    book.save(template)
    content = template.read_bytes()
    when = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)
    upload = {"name": "../../街道考核表.xlsx", "type": "", "size": len(content), "content": memoryview(content)}
    panel.upload.value = ({**upload, "last_modified": when},)
    assert panel.uploaded_path == tmp_path / "台账" / "街道考核表.xlsx"  # a bare name, inside the folder
    panel.sheet_button.click()
    assert "导入 1 个目标值" in panel.message.value and "参与表决的户数比例" in panel.look_back.value
    panel.write_button.click()
    assert panel.files is not None and all(p.exists() for p in panel.files.files)
    assert "评估验收台账_2026-06-30.xlsx" in panel.message.value
