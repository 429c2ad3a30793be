"""The roster panel driven from code: download a template, upload a filled roster, check, import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cogov_toolkit.demo.sample import sample_data_dir
from cogov_toolkit.storage import Workspace, create_workspace
from cogov_toolkit.widgets.roster_upload import RosterUpload
from cogov_toolkit.workflows.imports import import_file


@pytest.fixture(name="ws")
def fixture_ws(tmp_path: Path) -> Iterator[Workspace]:
    ws = create_workspace(tmp_path / "新社区.gpkg", "新社区")
    import_file(ws, sample_data_dir() / "buildings.geojson", "buildings")
    yield ws
    ws.close()


def _upload(panel: RosterUpload, path: Path, name: str) -> None:
    content = path.read_bytes()
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    panel.upload.value = (
        {"name": name, "type": "", "size": len(content), "content": memoryview(content), "last_modified": when},
    )


def _fill(template: Path, rows: list[list[object]]) -> None:
    book = load_workbook(template)
    sheet = book["住户名册"]
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            sheet.cell(r, c, value).data_type = "s" if isinstance(value, str) else sheet.cell(r, c).data_type
    book.save(template)


def test_the_panel_marks_a_bad_upload_then_imports_the_corrected_one(ws: Workspace, tmp_path: Path) -> None:
    panel = RosterUpload(ws, tmp_path / "输出")
    panel.kind.value = "households"
    panel.download_button.click()
    assert panel.template_path is not None and panel.template_path.exists()

    _fill(panel.template_path, [["H1", "B01", 1, 1, "101"], ["H2", "<b>B77</b>", 1, 1, "102"]])
    _upload(panel, panel.template_path, "我的住户.xlsx")
    panel.check_button.click()
    assert panel.last_check is not None and not panel.last_check.ok
    assert "我的住户_请修改.xlsx" in panel.message.value
    panel.import_button.click()
    assert ws.count("households") == 0
    assert "&lt;b&gt;B77" in panel.message.value and "<b>B77" not in panel.message.value  # file text is escaped

    _fill(panel.template_path, [["H1", "B01", 1, 1, "101"], ["H2", "B02", 1, 1, "102"]])
    _upload(panel, panel.template_path, "我的住户.xlsx")
    panel.check_button.click()
    assert panel.last_check.ok
    panel.import_button.click()
    assert ws.count("households") == 2


def test_check_without_an_upload_says_so(ws: Workspace, tmp_path: Path) -> None:
    panel = RosterUpload(ws, tmp_path)
    panel.check_button.click()
    assert "还没有上传" in panel.message.value
