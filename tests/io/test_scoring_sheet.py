"""The 考核表 template: written blank, filled like a street office would, read back; bad rows named."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from cogov_toolkit.core.indicators import INDICATORS
from cogov_toolkit.errors import AssessmentError
from cogov_toolkit.io.scoring_sheet import read_scoring_sheet, write_scoring_template


def test_the_template_lists_every_indicator_with_an_empty_target(tmp_path: Path) -> None:
    path = write_scoring_template(tmp_path / "考核表模板.xlsx")
    sheet = load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("指标编号", "指标名称", "定义", "单位", "目标值")
    assert [r[0] for r in rows[1:]] == [s.key for s in INDICATORS]
    assert all(r[4] is None for r in rows[1:])
    assert read_scoring_sheet(path).targets == ()  # nothing filled in yet


def test_a_filled_template_gives_its_targets(tmp_path: Path) -> None:
    path = write_scoring_template(tmp_path / "考核表.xlsx")
    book = load_workbook(path)
    sheet = book.worksheets[0]
    fill = {"participation_votes": "60%", "demands_replied_on_time": "≥ 0.9", "contributions_labour_hours": "500小时"}
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in fill:
            row[4].value = fill[row[0].value]
    book.save(path)
    sheet_read = read_scoring_sheet(path)
    assert {t.indicator: t.value for t in sheet_read.targets} == {
        "participation_votes": 0.6,
        "demands_replied_on_time": 0.9,
        "contributions_labour_hours": 500.0,
    }
    assert all(t.source == "sheet" and t.sheet_file == "考核表.xlsx" for t in sheet_read.targets)
    assert len(sheet_read.rows_without_target) == len(INDICATORS) - 3


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_the_street_offices_own_csv_matches_rows_by_name(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "街道考核表.csv"
    text = "考核指标,目标值,分值\n诉求限时回复率,95%,10\n小事不出小区,90,5\n  闲置地改造完成比例 ,0.5,5\n"
    path.write_bytes(text.encode(encoding))
    targets = {t.indicator: t.value for t in read_scoring_sheet(path).targets}
    assert targets == {"demands_replied_on_time": 0.95, "demands_kept_neighbourhood": 0.9, "idle_plots_renovated": 0.5}


def test_every_bad_row_is_reported_with_its_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "考核表.csv"
    path.write_text(
        "指标名称,目标值\n诉求办结率,大部分\n居民幸福指数,80%\n诉求办结率,90%\n诉求限时回复率,95%\n", encoding="utf-8"
    )
    with pytest.raises(AssessmentError) as caught:
        read_scoring_sheet(path)
    error = caught.value
    assert error.reason == "assessment.bad_sheet"
    located = [(p.reason, p.row, p.column) for p in error.problems]
    assert located == [
        ("assessment.bad_target", 2, "目标值"),
        ("assessment.sheet_unknown_row", 3, "指标名称"),
        ("assessment.sheet_repeated", 4, "指标名称"),
    ]
    message = error.message()
    assert "第 2 行" in message and "居民幸福指数" in message and "大部分" in message


def test_a_sheet_without_the_needed_columns_says_what_it_found(tmp_path: Path) -> None:
    path = tmp_path / "考核表.csv"
    path.write_text("序号,内容\n1,诉求办结率\n", encoding="utf-8")
    with pytest.raises(AssessmentError) as caught:
        read_scoring_sheet(path)
    assert caught.value.reason == "assessment.sheet_missing_columns" and "序号" in caught.value.message()
