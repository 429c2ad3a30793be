"""The vote desk and the panels of notebooks 03–05, driven from code as a planner clicks them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cogov_toolkit.demo.sample import sample_data_dir, sample_wjx_export
from cogov_toolkit.widgets.feedback import guarded, plain
from cogov_toolkit.widgets.vote_desk import VoteDesk, scope_choices
from cogov_toolkit.widgets.workshop import Workshop
from cogov_toolkit.workflows import workshop as binding
from tests.lab_session import planner_workspace


@pytest.fixture(name="community")
def fixture_community(sample_path: Path, tmp_path: Path) -> Workshop:
    path = planner_workspace(sample_path, tmp_path / "社区")
    folder = binding.notebooks_folder_for(path)
    binding.bind(folder, path)
    return Workshop("02_居民表决", folder=folder)


def test_a_vote_goes_from_the_form_to_a_counted_result_and_a_notice(community: Workshop) -> None:
    desk = VoteDesk(community)
    creator = desk.creator
    votes, notices = desk.ws.count("votes"), desk.ws.count("notices")
    creator.create_button.click()  # nothing filled in: says what is missing, creates nothing
    assert "请先填写" in plain(creator.message.value) and desk.ws.count("votes") == votes
    creator.question.value = "7栋门前空地做什么？"
    creator.options.value = "停车位\n小花园\n小花园"
    creator.create_button.click()
    assert "重复" in plain(creator.message.value)
    creator.options.value = "停车位\n小花园\n健身角"
    creator.scope_type.value = "building"
    assert ("7栋", "B07") in scope_choices(desk.ws, "building")
    creator.scope.value = "B07"
    creator.create_button.click()
    assert desk.vote is not None and desk.vote.vote_id == "V04" and desk.vote.scope_id == "B07"
    assert desk.chooser.value == "V04" and "7栋门前空地做什么？" in dict((v, k) for k, v in desk.chooser.options)["V04"]

    desk.steps.step.value = "party_proposal"
    desk.steps.record_button.click()
    desk.steps.record_button.click()  # a double tap records the step once
    assert len(desk.vote.steps) == 1 and "已经记录" in plain(desk.steps.message.value)

    desk.entry.household.value = "7-1-101"
    desk.entry.choice.value = "小花园"
    desk.entry.press_enter()
    desk.jielong.text.value = "1. 7栋1单元102 健身角\n2. 30栋1单元101 停车位"
    stored = desk.ws.count("ballots")
    desk.jielong.check_button.click()
    assert desk.ws.count("ballots") == stored  # checking stores nothing
    desk.jielong.store_button.click()
    assert "接龙已保存" in plain(desk.jielong.message.value) and "楼栋不在本次表决范围内" in desk.jielong.to_check.value
    assert desk.tally.counts == {"停车位": 0, "小花园": 1, "健身角": 1}

    desk.notice.build_button.click()  # not counted yet: the Chinese reason, in red
    assert "还没有计票结果" in plain(desk.notice.message.value) and "cogov-message-error" in desk.notice.message.value
    desk.counting.count_button.click()
    assert "有效票 2 张" in plain(desk.counting.message.value) and bytes(desk.counting.chart.value).startswith(
        b"\x89PNG"
    )
    desk.counting.recount_button.click()
    assert "复核一致" in plain(desk.counting.message.value)
    desk.notice.build_button.click()
    review = desk.notice.review
    assert review is not None and "0592-5550000" in review.preview.value
    assert desk.ws.count("notices") == notices + 1


def test_a_ballot_file_is_uploaded_with_its_report(community: Workshop) -> None:
    desk = VoteDesk(community)
    desk.chooser.value = "V01"
    desk.upload.import_button.click()
    assert "请先点" in plain(desk.upload.message.value)
    desk.upload.upload.value = (
        {"name": "../选票.csv", "type": "text/csv", "size": 0, "content": memoryview((sample_data_dir() / "ballots.csv").read_bytes()), "last_modified": dt.datetime.now(dt.UTC)},
    )  # fmt: skip
    desk.upload.import_button.click()
    assert "「选票.csv」：读到" in plain(desk.upload.message.value)
    assert (community.path.parent / "导入的文件" / "选票.csv").exists()  # a bare name: no path from the browser


def test_the_panels_of_notebooks_3_to_5(community: Workshop) -> None:
    from cogov_toolkit.widgets.panels import AdoptionDesk, DemandDesk, EvaluationReportPanel, SurveyImport

    survey = SurveyImport(community)
    survey.import_path(sample_wjx_export())
    assert "请先选择项目" in plain(survey.message.value) or survey.last is not None
    survey.project.value = "PJ01"
    survey.import_path(sample_wjx_export())
    assert "已保存 80 份" in plain(survey.message.value)
    report = EvaluationReportPanel(community)
    report.project.value = "PJ01"
    report.write_button.click()
    assert len(report.files) == 3 and all(f.stat().st_size > 0 for f in report.files)
    demands = DemandDesk(community)
    demands.dashboard_button.click()
    assert "cogov-message-error" not in demands.dashboard.value and demands.dashboard.value
    demands.map_button.click()
    assert demands.map_file is not None and demands.map_file.exists()
    from cogov_toolkit.widgets.adoption_form import AdoptionForm

    adoptions = AdoptionDesk(community)
    community.date.value = dt.date(2026, 11, 20)
    adoptions.alerts_button.click()
    adoptions.signs_button.click()  # nothing adopted yet: said so, no file claimed
    assert adoptions.signs is None and "没有可打印的认养牌" in plain(adoptions.message.value)
    form = AdoptionForm(community.ws, today=lambda: community.today)
    form.zone.value, form.adopter_type.value, form.public_name.value = "A01", "volunteer_team", "绿叶志愿服务队"
    form.register_button.click()
    adoptions.signs_button.click()
    assert adoptions.signs is not None and adoptions.signs.read_bytes().startswith(b"%PDF")


def test_an_unexpected_exception_in_a_callback_becomes_a_chinese_message(tmp_path: Path, monkeypatch) -> None:
    import ipywidgets as widgets

    monkeypatch.setenv("COGOV_CACHE_DIR", str(tmp_path))
    message = widgets.HTML()

    @guarded(message)
    def boom() -> None:
        raise KeyError("意外")

    assert boom() is None
    text = plain(message.value)
    assert "出现了意外错误" in text and "KeyError" in text and "Traceback" not in text
    assert "KeyError" in (tmp_path / "cogov-widget-error.log").read_text(encoding="utf-8")


def test_the_create_form_declares_the_precedence_and_the_count_shows_the_tally_sheet(community: Workshop) -> None:
    desk = VoteDesk(community)
    creator = desk.creator
    creator.question.value = "7栋门前空地做什么？"
    creator.options.value = "停车位\n小花园"
    creator.scope_type.value = "building"
    creator.scope.value = "B07"
    creator.precedence_first.value = "jielong"  # this community counts the 接龙 over paper
    creator.create_button.click()
    assert desk.vote.precedence.order[:2] == ("jielong", "paper") and desk.vote.precedence.keep_last == ("jielong",)
    desk.entry.household.value = "7-1-101"
    desk.entry.choice.value = "小花园"
    desk.entry.press_enter()
    desk.jielong.text.value = "1. 7栋1单元101 停车位"
    desk.jielong.store_button.click()
    desk.counting.count_button.click()
    assert dict(desk.counting.last.result.scores) == {"停车位": 1, "小花园": 0}  # the 接龙 counts, as declared
    shown = plain(desk.counting.result.value)
    assert "计票单" in shown and "收到 2 张 = 有效 1 + 空白 0 + 未计入 1，相符" in shown
    assert "微信接龙 > 纸质选票" in shown and "cogov-sheet" in desk.counting.result.value
    assert "同一户已通过更优先的渠道投票" in shown and "纸质选票" in shown  # the paper ballot set aside, and why
