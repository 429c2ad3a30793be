"""A selection and a participatory budget through the vote desk, driven from code as a planner clicks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cogov_toolkit.widgets.feedback import plain
from cogov_toolkit.widgets.vote_desk import VoteDesk
from cogov_toolkit.widgets.workshop import Workshop
from cogov_toolkit.workflows import workshop as binding
from tests.lab_session import planner_workspace


@pytest.fixture(name="desk")
def fixture_desk(sample_path: Path, tmp_path: Path) -> VoteDesk:
    path = planner_workspace(sample_path, tmp_path / "社区")
    folder = binding.notebooks_folder_for(path)
    binding.bind(folder, path)
    workshop = Workshop("09_评选与微实事", folder=folder)
    workshop.date.value = dt.date(2026, 6, 1)
    return VoteDesk(workshop)


def _type(desk: VoteDesk, *rows: str) -> list[str]:
    said = []
    for row in rows:
        desk.entry.household.value = row
        desk.entry.press_enter()
        said.append(desk.entry.message_text)
    return said


def test_a_selection_with_a_grid_quota_from_the_form_to_the_notice(desk: VoteDesk) -> None:
    creator = desk.creator
    creator.rule.value = "block"
    assert creator.selection_box.layout.display is None and creator.budget_box.layout.display == "none"
    assert "第一网格" in creator.options.placeholder
    creator.question.value = "2026年文明家庭评选"
    creator.options.value = "王家 / 第一网格\n李家 / 第一网格\n张家 / 第二网格\n赵家 / 第二网格\n刘家"
    creator.seats.value, creator.quota.value = 2, 1
    creator.create_button.click()
    assert "同意" in plain(creator.message.value) and desk.ws.count("votes") == 3  # consent first
    creator.consent.value = True
    creator.create_button.click()
    assert "所在组" in plain(creator.message.value) and desk.ws.count("votes") == 3  # 刘家 has no grid
    creator.options.value = creator.options.value.replace("刘家", "刘家 / 第二网格")
    creator.create_button.click()
    assert desk.vote.vote_id == "V04" and desk.vote.max_choices == 2 and desk.entry.choice is None

    said = _type(desk, "5-1-202 3 4", "５－１－４０１　４，５", "5-1-101 1 2 3", "5-1-301 9", "5-1-501 3 3")
    assert said[0].startswith("✔") and "张家、赵家" in said[0] and "赵家、刘家" in said[1]
    assert "超过最多可选的 2 项" in said[2] and "没有第 9 项" in said[3] and "写了两次" in said[4]
    desk.entry.household.value = "5-1-601"
    desk.entry.picks[0].value = desk.entry.picks[3].value = True  # click 王家 and 赵家
    assert "王家、赵家" in plain(desk.entry.picked.value)
    desk.entry.press_enter()
    assert "王家、赵家" in desk.entry.message_text and not any(p.value for p in desk.entry.picks)

    board = plain(desk.tally.board.value)
    assert "已收到选票3" in board.replace(" ", "") and desk.tally.counts == {}  # open: no running figures
    desk.counting.count_button.click()
    shown = plain(desk.counting.result.value)
    # 赵家 3 approvals; the first 网格's seat goes to its best, 王家 (1), over 张家 and 刘家 (1 each)
    assert "当选（2 名）：王家、赵家。" in shown and "并列" not in shown
    assert desk.tally.counts["赵家"] == 3  # counted: the board shows the figures
    desk.counting.recount_button.click()
    assert "复核一致" in plain(desk.counting.message.value)

    desk.notice.build_button.click()
    review = desk.notice.review
    assert review is not None and "赵家" in review.preview.value and "当选" in review.preview.value
    assert "5栋1单元" not in review.preview.value and "H0" not in review.preview.value


def test_an_stv_selection_by_clicks_in_order_shows_its_stages(desk: VoteDesk) -> None:
    creator = desk.creator
    creator.rule.value = "stv"
    assert creator.quota.layout.display == "none"  # quotas are for the block rule only
    creator.question.value = "最美三小长"
    creator.options.value = "甲\n乙\n丙\n丁"
    creator.seats.value, creator.consent.value = 2, True
    creator.create_button.click()
    assert desk.vote.kind.value == "ranking"
    entry = desk.entry
    entry.household.value = "5-1-202"
    entry.picks[2].value = True  # 丙 first
    entry.picks[0].value = True  # then 甲
    assert "丙 > 甲" in plain(entry.picked.value)
    entry.press_enter()
    said = _type(desk, "5-1-401 1>2", "5-1-101 1 3", "5-1-301 1 2 3", "5-1-501 2 1", "5-1-601 4 3", "5-1-701 1>3")
    assert all(s.startswith("✔") for s in said) and "甲 > 乙" in said[0]
    desk.counting.count_button.click()
    shown = plain(desk.counting.result.value)
    assert "逐轮计票表" in shown and "转移甲的盈余" in shown and "淘汰丁并转移其选票" in shown
    assert "当选（2 名）：甲、丙。" in shown


def test_a_budget_with_points_from_the_form_to_the_why_funded_table(desk: VoteDesk) -> None:
    creator = desk.creator
    creator.rule.value = "pb_greedy"
    creator.ballot_kind.value = "cumulative"
    assert creator.budget_box.layout.display is None and creator.points.layout.display is None
    creator.question.value = "2026年微实事"
    creator.options.value = "楼道扶手 / 8000\n口袋花园 / 2.5万\n健身器材\n休闲座椅 / 6000"
    creator.budget.value, creator.points.value = 40_000, 5
    creator.create_button.click()
    assert "第 3 行" in plain(creator.message.value) and desk.ws.count("votes") == 3  # 健身器材 has no cost
    creator.options.value = creator.options.value.replace("健身器材", "健身器材 / 30000")
    creator.create_button.click()
    assert desk.vote.max_total == 5 and desk.vote.rule_params.budget == 40_000
    said = _type(desk, "5-1-202 1:3 2:2", "5-1-401 3:5", "5-1-101 2:4 4", "5-1-301 3:4 1:2")
    assert "楼道扶手 3、口袋花园 2" in said[0] and "口袋花园 4、休闲座椅 1" in said[2]
    assert "共 6 点，超过每户最多的 5 点" in said[3]
    desk.entry.household.value = "5-1-501"
    desk.entry.points[3].value = 2
    desk.entry.press_enter()
    assert "休闲座椅 2" in desk.entry.message_text
    assert desk.tally.counts == {} and "已收到选票" in plain(desk.tally.board.value)
    desk.counting.count_button.click()
    shown = plain(desk.counting.result.value)
    assert "预算 40,000，已资助 39,000，结余 1,000" in shown and "剩余预算不足以支付其费用" in shown
    desk.notice.build_button.click()
    assert "口袋花园" in desk.notice.review.preview.value and "39000" in desk.notice.review.preview.value
