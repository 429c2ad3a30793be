"""One vote, several channels: one ballot per household by the declared precedence, subtotals that balance."""

from __future__ import annotations

import pandas as pd
import pytest

from cogov_toolkit import i18n
from cogov_toolkit.core.votes import (
    ChannelPrecedence,
    CivilCodeMatter,
    Electorate,
    RawBallot,
    RuleParams,
    count_civil_code_278,
    count_plurality,
    screen_channels,
)
from cogov_toolkit.errors import VoteError

ROLL = pd.DataFrame(
    {"household_id": [f"H{i}" for i in range(1, 7)], "building_id": ["5栋", "5栋", "5栋", "6栋", "6栋", "6栋"]}
)
PAPER_FIRST = ChannelPrecedence(("paper", "form", "jielong"), keep_last=("jielong",))


def test_a_household_on_paper_and_in_the_jielong_counts_once_by_precedence() -> None:
    paper = [RawBallot("纸1", "H1", "口袋花园")]
    jielong = [RawBallot("3", "H1", "休闲座椅"), RawBallot("4", "H2", "休闲座椅")]
    screened = screen_channels(
        {"jielong": jielong, "paper": paper},
        ROLL,
        ("口袋花园", "休闲座椅"),
        "households",
        kind="choice",
        precedence=PAPER_FIRST,
    )
    result = count_plurality(screened.ballots)
    assert dict(result.scores) == {"口袋花园": 1, "休闲座椅": 1}  # H1's paper ballot, H2's reply
    (other,) = screened.superseded
    assert other.ref == "jielong/3" and other.reason == "vote.set_aside.other_channel"
    assert "更优先的渠道" in other.message("zh")
    assert screened.balanced and screened.counted == result.ballots_counted == 2


def test_the_latest_jielong_edit_counts_and_the_earlier_one_is_listed() -> None:
    jielong = [RawBallot("1", "H3", "赞成"), RawBallot("2", "H4", "反对"), RawBallot("3", "H3", "反对")]
    screened = screen_channels(
        {"jielong": jielong},
        ROLL,
        ("赞成", "反对", "弃权"),
        "households",
        kind="yes_no_abstain",
        precedence=PAPER_FIRST,
    )
    assert screened.ballots.n_ballots == 2 and screened.ballots.data.ravel().tolist() == [1]
    assert [(s.ref, s.reason) for s in screened.ballots.set_aside] == [("jielong/1", "vote.set_aside.earlier_edit")]
    # where the first ballot counts (a form), a second one is a plain duplicate
    form = [RawBallot("f1", "H5", "赞成"), RawBallot("f2", "H5", "反对")]
    screened = screen_channels(
        {"form": form}, ROLL, ("赞成", "反对", "弃权"), "households", kind="yes_no_abstain", precedence=PAPER_FIRST
    )
    assert [(s.ref, s.reason) for s in screened.ballots.set_aside] == [("form/f2", "vote.set_aside.duplicate")]


def test_subtotals_per_channel_and_building_balance_and_the_check_can_fail() -> None:
    paper = [RawBallot("1", "H1", "A"), RawBallot("2", "H2", ""), RawBallot("3", "H9", "A")]  # blank; not on roll
    form = [RawBallot("1", "H1", "B"), RawBallot("2", "H4", "C?")]  # superseded; unknown option
    jielong = [RawBallot("1", "H5", "B"), RawBallot("2", "H6", "A")]
    screened = screen_channels(
        {"paper": paper, "form": form, "jielong": jielong},
        ROLL,
        "AB",
        "households",
        kind="choice",
        precedence=PAPER_FIRST,
    )
    table = screened.subtotals_frame().set_index(["level", "key"])
    assert table.loc[("channel", "paper")].tolist() == [3, 1, 1, 1]
    assert table.loc[("channel", "form")].tolist() == [2, 0, 0, 2]
    assert table.loc[("channel", "jielong")].tolist() == [2, 2, 0, 0]
    assert table.loc[("building", "5栋")].tolist() == [3, 1, 1, 1]  # H1 paper, H1 form (superseded), H2 blank
    assert table.loc[("building", "6栋")].tolist() == [3, 2, 0, 1]
    assert screened.received == 7 == screened.valid + screened.blank + screened.set_aside
    assert screened.balanced
    # the check compares two computations: a count that disagrees with the ballots is caught
    import dataclasses

    assert not dataclasses.replace(screened, counted=screened.counted + 1).balanced


def test_owner_matters_count_one_ballot_per_owner_across_channels() -> None:
    roll = pd.DataFrame(
        {
            "household_id": ["U1", "U2", "U3", "U4"],
            "registered_area_m2": ["80", "90", "100", "70"],
            "is_owner": ["1", "1", "1", "1"],
            "owner_key": ["P1", "P1", "", ""],  # one buyer holds U1 and U2
            "building_id": ["1栋"] * 4,
        }
    )
    paper = [RawBallot("p1", "U1", "赞成")]
    jielong = [RawBallot("1", "U2", "赞成"), RawBallot("2", "U3", "反对"), RawBallot("3", "U1", "反对")]
    screened = screen_channels(
        {"paper": paper, "jielong": jielong},
        roll,
        ("赞成", "反对", "弃权"),
        Electorate.OWNERS,
        kind="yes_no_abstain",
        precedence=PAPER_FIRST,
    )
    assert [(s.ref, s.reason) for s in screened.ballots.set_aside] == [("jielong/3", "vote.set_aside.other_channel")]
    result = count_civil_code_278(screened.ballots, RuleParams(matter=CivilCodeMatter.OWNERS_COMMITTEE))
    assert dict(result.scores) == {"赞成": 1, "反对": 1, "弃权": 0}  # P1 (U1+U2, 170 m²) and U3's owner
    assert result.roll.voters == 3 and screened.counted == 2 and screened.balanced


def test_channels_outside_the_declared_order_and_repeated_references_are_refused() -> None:
    with pytest.raises(VoteError) as info:
        screen_channels({"wechat": []}, ROLL, "AB", "households", kind="choice", precedence=PAPER_FIRST)
    assert info.value.reason == "vote.channel_unknown" and "paper > form > jielong" in str(info.value)
    with pytest.raises(VoteError) as info:
        screen_channels(
            {"paper": [RawBallot("1", "H1", "A"), RawBallot("1", "H2", "A")]},
            ROLL,
            "AB",
            "households",
            kind="choice",
            precedence=PAPER_FIRST,
        )
    assert info.value.reason == "vote.channel_refs_repeat"
    with pytest.raises(VoteError):
        ChannelPrecedence(("paper", "paper"))
    assert i18n.t("vote.set_aside.earlier_edit", "en").startswith("the household changed")
