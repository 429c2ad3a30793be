"""The assessment on a hand-made workspace: every figure as worked by hand, in the ledger files too, and no personal data."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cogov_toolkit.core.indicators import AssessmentData, Status, compute_ledger
from cogov_toolkit.errors import AssessmentError
from cogov_toolkit.io.scoring_sheet import write_scoring_template
from cogov_toolkit.render.ledger import write_ledger_pdf, write_ledger_xlsx
from cogov_toolkit.storage import Workspace, open_workspace
from cogov_toolkit.workflows import assessment
from tests.conftest import copy_workspace
from tests.workflows.cobuilding_workspace import (
    AS_OF,
    CANARIES,
    EXPECTED,
    HOUSEHOLDS,
    LOOK_BACK,
    TARGETS,
    build_cobuilding_workspace,
)
from tests.workflows.notice_workspace import leaked, pdf_text


@pytest.fixture(name="built", scope="module")
def fixture_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_cobuilding_workspace(tmp_path_factory.mktemp("测试社区") / "测试社区.gpkg")


@pytest.fixture(name="ws")
def fixture_ws(built: Path, tmp_path: Path) -> Iterator[Workspace]:
    ws = open_workspace(copy_workspace(built, tmp_path / "ws"), backups=0)
    yield ws
    ws.close()


@pytest.fixture(name="files", scope="module")
def fixture_files(built: Path, tmp_path_factory: pytest.TempPathFactory) -> assessment.LedgerFiles:
    folder = tmp_path_factory.mktemp("台账")
    with open_workspace(copy_workspace(built, folder / "ws"), backups=0) as ws:
        for key, value in TARGETS.items():
            assessment.set_target(ws, key, value)
        return assessment.write_ledger(ws, folder / "输出", AS_OF)


def _figure(result) -> object:
    if result.value is None:
        return None
    return (result.numerator, result.denominator) if result.spec.unit.value == "share" else result.value


def test_every_indicator_of_the_workspace_equals_the_hand_worked_value(ws: Workspace) -> None:
    ledger = assessment.ledger(ws, AS_OF)
    assert {r.key: _figure(r) for r in ledger.results} == EXPECTED


def test_targets_from_the_planner_give_the_look_back_list(ws: Workspace) -> None:
    for key, value in TARGETS.items():
        assessment.set_target(ws, key, value)
    ledger = assessment.ledger(ws, AS_OF)
    assert ledger["participation_votes"].status is Status.MET
    assert [r.key for r in ledger.look_back()] == LOOK_BACK
    assert ledger["demands_replied_on_time"].gaps["demand_id"].tolist() == ["D2", "D3"]
    assert ledger["idle_plots_renovated"].gaps["plot_id"].tolist() == ["P2", "P3"]
    assessment.set_target(ws, "idle_plots_renovated", "50%")  # replaced, not added
    assert assessment.targets(ws)["idle_plots_renovated"].value == 0.5 and ws.count("indicator_targets") == 5
    assessment.clear_target(ws, "notices_on_time")
    assert assessment.ledger(ws, AS_OF)["notices_on_time"].status is Status.NO_TARGET


def test_targets_from_the_street_offices_scoring_sheet(ws: Workspace, tmp_path: Path) -> None:
    path = write_scoring_template(tmp_path / "考核表.xlsx")
    book = load_workbook(path)
    for row in book.worksheets[0].iter_rows(min_row=2):
        if row[0].value == "milestones_on_time":
            row[4].value = "不低于80%"
    book.save(path)
    read = assessment.load_scoring_sheet(ws, path)
    assert [t.indicator for t in read.targets] == ["milestones_on_time"]
    stored = assessment.targets(ws)["milestones_on_time"]
    assert (stored.value, stored.source, stored.sheet_file) == (0.8, "sheet", "考核表.xlsx")
    assert assessment.ledger(ws, AS_OF)["milestones_on_time"].status is Status.BELOW


def test_the_workbook_has_a_sheet_per_indicator_and_the_hand_worked_figures(files: assessment.LedgerFiles) -> None:
    book = load_workbook(files.xlsx)
    names = book.sheetnames
    assert names[0] == "指标总表" and names[-1] == "回头看" and len(names) == 2 + len(EXPECTED)
    summary = list(book["指标总表"].iter_rows(min_row=5, max_row=4 + len(EXPECTED), values_only=True))
    by_key = {row[1]: row for row in summary}
    for key, expected in EXPECTED.items():
        value, numerator, denominator = by_key[key][4], by_key[key][6], by_key[key][7]
        if expected is None:
            assert value is None and by_key[key][5] == "无数据", key
        elif isinstance(expected, tuple):
            assert (numerator, denominator) == expected and value == pytest.approx(expected[0] / expected[1]), key
        else:
            assert value == pytest.approx(expected), key
    replies = book["诉求限时回复率"]
    cells = [c for row in replies.iter_rows(values_only=True) for c in row if c is not None]
    assert "D2" in cells and "D3" in cells and "D4" not in cells  # D4 is not due: not behind this indicator
    look_back = [c for row in book["回头看"].iter_rows(values_only=True) for c in row if c is not None]
    assert "闲置地改造完成比例" in look_back and "P3" in look_back


def _workbook_text(path: Path) -> str:
    book = load_workbook(path)
    return "\n".join(
        str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c is not None
    )


def test_the_pdf_report_embeds_a_searchable_chinese_font_and_shows_the_figures(files: assessment.LedgerFiles) -> None:
    fonts = subprocess.run(["pdffonts", str(files.pdf)], capture_output=True, text=True, check=True).stdout
    listed = fonts.splitlines()[2:]
    assert listed and all(" yes " in line for line in listed), fonts  # embedded
    assert not any("Type 3" in line for line in listed), fonts
    assert any("CJK" in line or "Hei" in line or "Han" in line for line in listed), fonts
    text = "".join(pdf_text(files.pdf).split())
    for figure in ("60.0%（6/10）", "33.3%（1/3）", "+1.00分", "9.5小时", "5,120.50元", "无数据", "回头看"):
        assert figure in text, figure


def test_no_name_phone_or_household_reaches_the_ledger(files: assessment.LedgerFiles) -> None:
    texts = {"xlsx": _workbook_text(files.xlsx), "pdf": pdf_text(files.pdf)}
    for kind, text in texts.items():
        assert leaked(text, CANARIES) == [], kind
        # no household id at all, so no household↔choice link either
        assert [h for h in HOUSEHOLDS if h in text] == [], kind
        assert "赞成" not in text and "反对" not in text, kind


def test_the_search_finds_a_canary_in_ledger_files_that_have_one(built: Path, tmp_path: Path) -> None:
    with open_workspace(copy_workspace(built, tmp_path / "ws"), backups=0) as ws:
        data = assessment.gather(ws, AS_OF)
    sessions = data.sessions.assign(title=lambda f: [f"{t}（H03 {CANARIES[0]} {CANARIES[1]}）" for t in f["title"]])
    leaky = compute_ledger(AssessmentData(**{**data.__dict__, "sessions": sessions}))
    xlsx = write_ledger_xlsx(leaky, tmp_path / "漏.xlsx", community="测试社区")
    pdf = write_ledger_pdf(leaky, tmp_path / "漏.pdf", community="测试社区")
    for text in (_workbook_text(xlsx), pdf_text(pdf)):
        assert leaked(text, CANARIES) == [CANARIES[0], CANARIES[1]]
        assert "H03" in text


def test_a_ledger_holding_a_private_name_is_refused_before_anything_is_written(ws: Workspace, tmp_path: Path) -> None:
    sessions = ws.records("workshop_sessions")
    ws.update("workshop_sessions", sessions["uuid"].iloc[0], {"title": f"{CANARIES[0]}主持的方案讨论会"})
    with pytest.raises(AssessmentError) as caught:
        assessment.write_ledger(ws, tmp_path / "输出", AS_OF)
    assert caught.value.reason == "assessment.personal_data" and CANARIES[0] not in caught.value.message()
    assert not (tmp_path / "输出").exists()


def test_an_empty_workspace_shows_no_data_everywhere(empty: Workspace, tmp_path: Path) -> None:
    ledger = assessment.ledger(empty, AS_OF)
    assert all(r.value is None and r.value_text() == "无数据" for r in ledger.results)
    path = write_ledger_xlsx(ledger, tmp_path / "台账.xlsx", community=empty.community_name)  # the PDF: see above
    summary = list(load_workbook(path)["指标总表"].iter_rows(min_row=5, max_row=4 + len(EXPECTED), values_only=True))
    assert all(row[5] == "无数据" and row[4] is None for row in summary)
    assert "0.0%" not in _workbook_text(path)
