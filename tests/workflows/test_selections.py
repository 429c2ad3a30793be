"""Selections with several winners and participatory budgets on the sample workspace: create, vote, count, notice."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cogov_toolkit.core.notice import Notice
from cogov_toolkit.errors import NoticeError, RecordError, ValidationError, VoteError
from cogov_toolkit.storage import Workspace
from cogov_toolkit.workflows import selections
from cogov_toolkit.workflows import votes as flow
from cogov_toolkit.workflows.notices import decision_notice

DAY = dt.date(2026, 5, 11)
OFFICE = {"contact": "社区居委会", "office_phone": "027-86001234", "issuer": "幸福社区居民委员会"}


def _voters(ws: Workspace, n: int) -> list[str]:
    return list(flow.roll_for(ws, flow.get_vote(ws, "V01"))["household_id"][:n])


def _notice_text(notice: Notice) -> str:
    return json.dumps(notice.record(), ensure_ascii=False, default=str) + json.dumps(
        [notice.table.columns, notice.table.rows], ensure_ascii=False
    )


def test_forms_text_is_read_with_every_problem_listed() -> None:
    nominees = selections.read_nominees("王秀英家庭 / 第一网格\n\n李建国家庭／第二网格\n周家")
    assert nominees == (
        selections.Nominee("王秀英家庭", "第一网格"),
        selections.Nominee("李建国家庭", "第二网格"),  # a full-width slash from a Chinese IME
        selections.Nominee("周家"),
    )
    assert [selections.read_cost(t) for t in ("8000", "8,000元", "０．８万", "2.5万", "八千", "12.5")] == [
        8000, 8000, 8000, 25000, None, None,
    ]  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        selections.read_projects("楼道扶手 / 8000\n口袋花园\n楼道扶手 / 9000\n座椅 / 很多")
    assert [(p.reason, p.row) for p in caught.value.problems] == [
        ("selection.no_cost", 2),
        ("selection.repeated", 3),
        ("selection.no_cost", 4),
    ]
    assert "第 2 行" in str(caught.value) and "楼道扶手 / 8000" in str(caught.value)


def test_a_selection_refuses_fewer_nominees_than_seats_and_quotas_without_groups(sample: Workspace) -> None:
    with pytest.raises(ValidationError) as caught:
        selections.create_selection(sample, "S1", "文明家庭", ["甲", "乙"], seats=3, quota_minimum=1, consent_on=DAY)
    assert {p.reason for p in caught.value.problems} == {"selection.too_few_nominees", "selection.quota_needs_groups"}
    assert sample.records("votes")["vote_id"].tolist().count("S1") == 0


def test_a_selection_is_stored_counted_recounted_and_published_without_voters(sample: Workspace) -> None:
    named = sample.private_records("people")["name"].iloc[0]  # a resident's real name, private until consent
    nominees = [
        selections.Nominee(named, "第一网格"),
        selections.Nominee("李家", "第一网格"),
        selections.Nominee("张家", "第二网格"),
        selections.Nominee("赵家", "第二网格"),
        selections.Nominee("刘家", "第二网格"),
    ]
    vote = selections.create_selection(
        sample, "S1", "2026年文明家庭评选", nominees, seats=2, quota_minimum=1, consent_on=DAY
    )
    again = flow.get_vote(sample, "S1")
    assert again.kind.value == "approval" and again.max_choices == 2 and again.hide_running
    assert [q.options for q in again.rule_params.quotas] == [(named, "李家"), ("张家", "赵家", "刘家")]
    assert vote.uuid == again.uuid

    voters = _voters(sample, 7)
    choices = [
        ["赵家", "刘家"],
        ["赵家", "张家"],
        ["刘家", "赵家"],
        [named],
        ["李家", "赵家"],
        ["赵家", "刘家", "张家"],
    ]
    ballots = [flow.RawBallot(f"纸质:{h}", h, c) for h, c in zip(voters, choices, strict=False)]
    flow.record_ballots(sample, "S1", ballots, flow.Channel.PAPER)
    flow.record_ballots(sample, "S1", ballots, flow.Channel.PAPER)  # a double click stores nothing twice
    public = sample.records("ballots").query("vote_id == 'S1'")
    assert len(public) == 6 and not set(voters) & set(public.astype(str).to_numpy().ravel())
    links = sample.private_records("ballot_links").query("vote_id == 'S1'")
    assert set(links["household_id"]) == set(voters[:6])  # who voted is on the private side only

    board = selections.board(sample, "S1")
    assert board.hidden and board.received == 6 and board.result is None  # open: no running figures

    counted = flow.count_vote(sample, "S1")
    result = counted.result
    # 赵家 4, 刘家 2 — but the first 网格 must have a seat, and its best are 李家 and the named one, 1 each: a tie
    assert dict(result.scores)["赵家"] == 4 and result.winners == ("赵家",)
    assert set(result.contested) == {named, "李家"} and len(result.committees) == 2
    assert result.set_aside_counts == {"vote.set_aside.too_many_choices": 1}
    data, _ = flow.stored_result(sample, "S1")
    assert data["seats"] == 2 and data["committees"] == [list(c) for c in result.committees]
    assert flow.recount_vote(sample, "S1").result_data == counted.result_data

    board = selections.board(sample, "S1")
    assert not board.hidden and dict(board.result.scores) == dict(result.scores)  # counted: the figures show

    notice = decision_notice(sample, "S1", start_on=DAY, **OFFICE)
    text = _notice_text(notice)
    assert named in text and "赵家" in text and "并列" in text  # a consented nominee is named
    assert not [h for h in voters if h in text]
    assert [h for h in voters if h in json.dumps(links.to_dict("records"), ensure_ascii=False, default=str)]


def test_a_nominee_named_without_consent_stops_the_notice(sample: Workspace) -> None:
    named = sample.private_records("people")["name"].iloc[0]
    params = flow.RuleParams(seats=1)
    flow.create_vote(sample, "S2", "社区好人", [named, "李家"], rule="block", rule_params=params)
    voters = _voters(sample, 3)
    flow.record_ballots(sample, "S2", [flow.RawBallot(h, h, [named]) for h in voters], flow.Channel.PAPER)
    flow.count_vote(sample, "S2")
    with pytest.raises(NoticeError):
        decision_notice(sample, "S2", start_on=DAY, **OFFICE)


def test_stv_selection_stores_its_stages_and_recounts(sample: Workspace) -> None:
    selections.create_selection(
        sample, "S3", "最美三小长", ["甲", "乙", "丙", "丁"], seats=2, rule="stv", consent_on=DAY
    )
    assert flow.get_vote(sample, "S3").kind.value == "ranking"
    rankings = [["甲", "乙"], ["甲", "丙"], ["丙", "丁"], ["乙", "甲"], ["甲", "乙", "丙"], ["丁", "丙"], "甲>丙"]
    voters = _voters(sample, len(rankings))
    flow.record_ballots(sample, "S3", [flow.RawBallot(h, h, r) for h, r in zip(voters, rankings, strict=True)], "form")
    counted = flow.count_vote(sample, "S3")
    data = counted.result_data
    assert data["stv_rounds"][0]["action"] == "first" and data["stv_rounds"][0]["tallies"][0] == ["甲", "4"]
    # quota = 7 // 3 + 1 = 3; 甲's surplus of 1 moves on at 1/4
    assert data["stv_rounds"][1]["source"] == "甲" and data["stv_rounds"][1]["transfer_value"] == "1/4"
    assert set(counted.result.winners) == {"甲", "丙"}
    assert flow.recount_vote(sample, "S3").result_data == data
    notice = decision_notice(sample, "S3", start_on=DAY, **OFFICE)
    assert notice.table.columns[1] == "第一选择票数"


def test_a_budget_with_cumulative_ballots_applies_the_cap_and_explains_each_project(sample: Workspace) -> None:
    projects = selections.read_projects("楼道扶手 / 8000\n口袋花园 / 2.5万\n健身器材 / 30000\n休闲座椅 / 6000")
    selections.create_budget(
        sample, "B1", "2026年微实事", projects, budget=40_000, kind="cumulative", points=5, rule="pb_greedy"
    )
    vote = flow.get_vote(sample, "B1")
    assert vote.max_total == 5 and vote.rule_params.costs == (8000, 25000, 30000, 6000)
    points = [
        {"楼道扶手": 3, "口袋花园": 2},
        {"健身器材": 5},
        {"口袋花园": 4, "休闲座椅": 1},
        {"健身器材": 3, "楼道扶手": 3},
    ]
    voters = _voters(sample, 4)
    flow.record_ballots(sample, "B1", [flow.RawBallot(h, h, p) for h, p in zip(voters, points, strict=True)], "form")
    assert selections.board(sample, "B1").hidden
    counted = flow.count_vote(sample, "B1")
    result = counted.result
    assert result.set_aside_counts == {"vote.set_aside.too_many_points": 1}  # 6 points over the cap of 5
    table = {row.project: (row.votes, row.funded, row.reason) for row in result.funding}
    assert table == {
        "口袋花园": (6, True, "vote.pb.funded_by_votes"),
        "健身器材": (5, False, "vote.pb.did_not_fit"),
        "楼道扶手": (3, True, "vote.pb.funded_by_votes"),
        "休闲座椅": (1, True, "vote.pb.funded_by_votes"),
    }
    assert counted.result_data["funding"][0]["project"] == "楼道扶手" and counted.result_data["budget"] == 40_000
    assert flow.recount_vote(sample, "B1").result_data == counted.result_data
    notice = decision_notice(sample, "B1", start_on=DAY, **OFFICE)
    assert "39000" in notice.matter and notice.table.rows[1][:2] == ("口袋花园", "25000")
    assert not [h for h in voters if h in _notice_text(notice)]


def test_a_budget_by_equal_shares_and_the_rules_it_refuses(sample: Workspace) -> None:
    projects = [selections.Project("A", 30), selections.Project("B", 30), selections.Project("C", 30)]
    with pytest.raises(ValidationError) as caught:
        selections.create_budget(sample, "B2", "预算", projects, budget=0, rule="block", kind="ranking")
    assert {p.reason for p in caught.value.problems} == {
        "selection.not_a_budget_rule", "selection.bad_budget_ballot", "selection.no_budget",
    }  # fmt: skip
    selections.create_budget(sample, "B2", "预算", projects, budget=60, rule="pb_equal_shares")
    voters = _voters(sample, 6)
    ballots = [["A"], ["A"], ["A"], ["C"], ["C"], ["B", "C"]]
    flow.record_ballots(sample, "B2", [flow.RawBallot(h, h, b) for h, b in zip(voters, ballots, strict=True)], "form")
    result = flow.count_vote(sample, "B2").result
    assert {r.project for r in result.funding if r.funded} == {"A", "C"}  # A by its 3 supporters, C by its 3
    with pytest.raises(RecordError):
        selections.board(sample, "nope")


def test_hide_running_is_kept_for_an_ordinary_vote(sample: Workspace) -> None:
    flow.create_vote(sample, "V9", "门前空地", ["花园", "车位"], rule="plurality", hide_running=True)
    assert flow.get_vote(sample, "V9").hide_running and selections.board(sample, "V9").hidden
    plain = flow.create_vote(sample, "V8", "门前空地", ["花园", "车位"], rule="plurality")
    assert "limits" not in plain.params_json()  # earlier votes' records read as before
    with pytest.raises(VoteError):  # the screening's limits reach the core: a cumulative vote without a cap
        flow.create_vote(sample, "V7", "点数", ["花园", "车位"], rule="pb_greedy", kind="cumulative")
        flow.count_vote(sample, "V7")
