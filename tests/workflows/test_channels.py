"""One vote, every channel screened together on the sample: a household counts once, by the declared precedence."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest

from cogov_toolkit import i18n
from cogov_toolkit.core.votes import RawBallot, count, screen_ballots
from cogov_toolkit.render.vote_results import set_aside_list, tally_check_line, tally_sheet
from cogov_toolkit.storage import Workspace, open_workspace
from cogov_toolkit.workflows.votes import (
    DEFAULT_PRECEDENCE,
    ChannelPrecedence,
    count_vote,
    create_vote,
    get_vote,
    read_precedence,
    record_ballots,
    recount_vote,
    result_data,
    roll_for,
    set_aside_sources,
    stored_ballots,
    stored_ballots_by_channel,
)

OTHER = "vote.set_aside.other_channel"
IDLE_PLOT = ("口袋花园", "休闲座椅", "儿童游乐")
#: on paper and in the 接龙 of the sample's V01, both 儿童游乐
PAPER_AND_JIELONG = "H0115"
#: in the file (儿童游乐) and in the 接龙 (口袋花园) of V01
FILE_AND_JIELONG = "H0223"


@pytest.fixture(name="ws", scope="module")
def fixture_ws(sample_path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    from tests.conftest import copy_workspace

    ws = open_workspace(copy_workspace(sample_path, tmp_path_factory.mktemp("渠道")), backups=0)
    yield ws
    ws.close()


def _sources(ws: Workspace, result) -> dict[str, str]:
    """The planner's private view: the source reference behind each set-aside ballot, and the reason."""
    table = set_aside_sources(ws, result)
    return dict(zip(table["source_ref"], table["reason"], strict=True))


def _copy_v01(ws: Workspace, vote_id: str, precedence: ChannelPrecedence | None) -> None:
    """A vote like V01 declaring ``precedence``, with V01's ballots recorded through their own channels."""
    create_vote(ws, vote_id, "5栋北侧边角地（P01）改造成什么？", IDLE_PLOT, rule="plurality",
                scope_type="neighbourhood", scope_id="N1", precedence=precedence)  # fmt: skip
    by_channel: dict[str, list[RawBallot]] = {}
    for channel, ballot in stored_ballots_by_channel(ws, "V01"):
        by_channel.setdefault(channel, []).append(RawBallot(f"{channel}:{ballot.ref}", ballot.voter, ballot.choice))
    for channel, ballots in by_channel.items():
        record_ballots(ws, vote_id, ballots, channel)


def test_a_household_on_paper_and_in_the_jielong_counts_once_by_the_declared_precedence(ws: Workspace) -> None:
    assert get_vote(ws, "V01").precedence == DEFAULT_PRECEDENCE  # the sample's votes declare none: the default
    stored = count_vote(ws, "V01")
    mine = {b.ref: c for c, b in stored_ballots_by_channel(ws, "V01") if b.voter == PAPER_AND_JIELONG}
    assert sorted(mine.values()) == ["jielong", "paper"]
    aside = {s.ref: s.reason for s in stored.result.set_aside}
    jielong_ref = next(r for r, c in mine.items() if c == "jielong")
    paper_ref = next(r for r, c in mine.items() if c == "paper")
    assert aside[jielong_ref] == OTHER and paper_ref not in aside  # paper counts, the 接龙 is set aside
    # the file counts over the 接龙 too, though they disagree
    theirs = {b.ref: c for c, b in stored_ballots_by_channel(ws, "V01") if b.voter == FILE_AND_JIELONG}
    assert {c: aside.get(r) for r, c in theirs.items()} == {"import": None, "jielong": OTHER}
    # the set-aside list names the overridden ballot with its reason, in Chinese
    listed = set_aside_list(stored.result, {jielong_ref: "jielong"})
    row = listed[listed[i18n.t("vote_results.ballot_ref")] == jielong_ref].iloc[0]
    assert row[i18n.t("vote_results.reason")] == i18n.t("vote.set_aside.other_channel")
    assert "更优先的渠道" in row[i18n.t("vote_results.reason")] and row[i18n.t("vote_results.channel")] == "微信接龙"
    # tally sheet: total = valid + blank + set aside, per channel and per building, and every stored ballot in it
    screening = stored.screening
    assert screening is not None and screening.balanced
    assert screening.received == len(stored_ballots(ws, "V01")) == 350
    assert screening.valid == stored.result.ballots_counted
    assert screening.blank + screening.set_aside == len(stored.result.set_aside)
    assert [s.key for s in screening.by_channel] == ["paper", "import", "jielong"]
    assert stored.result_data["by_channel"] == [
        [s.key, s.received, s.valid, s.blank, s.set_aside] for s in screening.by_channel
    ]
    assert {s.key for s in screening.by_building} <= set(roll_for(ws, "V01")["building_id"]) | {None}
    sheet = tally_sheet(screening)
    assert list(sheet.iloc[-1, 2:6]) == [350, screening.valid, screening.blank, screening.set_aside]
    assert set(sheet[i18n.t("vote_results.sheet.balanced")]) == {"✓"}
    assert "相符" in tally_check_line(screening) and "纸质选票 > 平板表单 > 表格导入 > 微信接龙" in tally_check_line(
        screening
    )
    # the recount reproduces the result, the precedence and the subtotals
    again = recount_vote(ws, "V01")
    assert again.result_data == stored.result_data and again.screening.by_channel == screening.by_channel


def test_reversing_the_precedence_flips_which_ballot_counts(ws: Workspace) -> None:
    _copy_v01(ws, "C01", None)
    _copy_v01(ws, "C02", read_precedence(["jielong", "import", "form", "paper"]))
    assert get_vote(ws, "C02").precedence.order == ("jielong", "import", "form", "paper")
    default, reversed_ = count_vote(ws, "C01"), count_vote(ws, "C02")
    for stored, aside in ((default, "jielong"), (reversed_, "paper")):
        theirs = {
            b.ref: c for c, b in stored_ballots_by_channel(ws, stored.vote.vote_id) if b.voter == PAPER_AND_JIELONG
        }
        reasons = {theirs[s.ref]: s.reason for s in stored.result.set_aside if s.ref in theirs}
        assert reasons == {aside: OTHER}
        # privately, the planner finds the very paper ballot or 接龙 line set aside
        table = set_aside_sources(ws, stored.result)
        mine = table[table["ballot_ref"].isin(list(theirs))]
        assert [r.split(":")[0] for r in mine["source_ref"]] == [aside]
    # H0223's disagreeing ballots: the file's 儿童游乐 counts by default, the 接龙's 口袋花园 reversed
    a, b = dict(default.result.scores), dict(reversed_.result.scores)
    assert default.result.ballots_counted == reversed_.result.ballots_counted
    assert b["口袋花园"] - a["口袋花园"] >= 1 and a["儿童游乐"] - b["儿童游乐"] >= 1
    assert sum(a.values()) == sum(b.values())
    assert default.screening.balanced and reversed_.screening.balanced
    recount_vote(ws, "C02")  # reproduces under the reversed precedence


def test_the_latest_jielong_edit_counts(ws: Workspace) -> None:
    create_vote(ws, "C03", "小区议事：停车位划线？", ("赞成", "反对", "弃权"), rule="yes_no_abstain",
                scope_type="neighbourhood", scope_id="N1")  # fmt: skip
    household = roll_for(ws, "C03")["household_id"].iloc[0]
    record_ballots(ws, "C03", [RawBallot("第1次", household, "反对"), RawBallot("第2次", household, "赞成")], "jielong")
    stored = count_vote(ws, "C03")
    assert dict(stored.result.scores)["赞成"] == 1 and dict(stored.result.scores)["反对"] == 0
    assert list(_sources(ws, stored.result).items()) == [("第1次", "vote.set_aside.earlier_edit")]
    # declared otherwise: the first reply counts
    create_vote(ws, "C04", "小区议事：停车位划线？", ("赞成", "反对", "弃权"), rule="yes_no_abstain",
                scope_type="neighbourhood", scope_id="N1", precedence=read_precedence([], keep_last_jielong=False))  # fmt: skip
    record_ballots(ws, "C04", [RawBallot("第1次", household, "反对"), RawBallot("第2次", household, "赞成")], "jielong")
    assert dict(count_vote(ws, "C04").result.scores)["反对"] == 1


def test_a_result_counted_before_precedences_recounts_as_it_was(ws: Workspace) -> None:
    """A result stored by the one-stream screening (no precedence in its data) still recounts the same."""
    _copy_v01(ws, "C05", None)
    vote = get_vote(ws, "C05")
    ballots = screen_ballots(stored_ballots(ws, "C05"), roll_for(ws, vote), vote.options, vote.electorate,
                             kind=vote.kind, duplicates=vote.duplicates)  # fmt: skip
    result = count(ballots, vote.rule, vote.rule_params)
    data = result_data(result)
    assert "channels" not in data and {s.reason for s in result.set_aside} >= {"vote.set_aside.duplicate"}
    ws.add("vote_results", {"vote_id": "C05", "rule": vote.rule.value, "audit": result.audit.to_json(),
                            "result": json.dumps(data, ensure_ascii=False, sort_keys=True),
                            "counted_at": dt.datetime.now(dt.UTC)})  # fmt: skip
    again = recount_vote(ws, "C05")
    assert again.result_data == data and again.screening is None
