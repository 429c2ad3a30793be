"""Screening: every bad ballot ends in the set-aside list with its reason, none silently dropped."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from cogov_toolkit.core.votes import (
    SET_ASIDE_REASONS,
    BallotKind,
    DuplicatePolicy,
    Electorate,
    RawBallot,
    count_plurality,
    count_yes_no_abstain,
    screen_ballots,
)
from cogov_toolkit.demo.sample import sample_data_dir
from cogov_toolkit.errors import VoteError

SAMPLE = sample_data_dir()
OPTIONS = ("A", "B", "C")
ROLL = ["H1", "H2", "H3", "H4", "H5", "H6"]


def reasons(ballots) -> list[tuple[str, str]]:
    return [(s.ref, s.reason.removeprefix("vote.set_aside.")) for s in ballots.set_aside]


@pytest.mark.parametrize(
    ("kind", "choice", "reason"),
    [
        (BallotKind.CHOICE, "D", "unknown_option"),
        (BallotKind.CHOICE, "", "blank"),
        (BallotKind.CHOICE, None, "blank"),
        (BallotKind.CHOICE, float("nan"), "blank"),
        (BallotKind.CHOICE, ["A", "B"], "too_many_choices"),
        (BallotKind.CHOICE, {"A": 1}, "unreadable"),
        (BallotKind.RANKING, ["A", "B", "A"], "repeated_option"),
        (BallotKind.RANKING, "A>B>A", "repeated_option"),
        (BallotKind.RANKING, ["A", "Z"], "unknown_option"),
        (BallotKind.RANKING, [], "blank"),
        (BallotKind.RANKING, "[]", "blank"),
        (BallotKind.RANKING, '["A", ', "unreadable"),
        (BallotKind.RANKING, {"A", "B"}, "unreadable"),  # a set has no order
        (BallotKind.APPROVAL, [], "blank"),
        (BallotKind.APPROVAL, ["A", "A"], "repeated_option"),
        (BallotKind.APPROVAL, ["A", "Q"], "unknown_option"),
        (BallotKind.SCORE, {}, "blank"),
        (BallotKind.SCORE, {"A": 6}, "score_out_of_range"),
        (BallotKind.SCORE, {"A": -1}, "score_out_of_range"),
        (BallotKind.SCORE, {"A": 2.5}, "not_a_score"),
        (BallotKind.SCORE, {"A": "很好"}, "not_a_score"),
        (BallotKind.SCORE, {"X": 3}, "unknown_option"),
        (BallotKind.SCORE, "A", "unreadable"),
    ],
)
def test_a_bad_ballot_is_set_aside_with_its_reason(kind: BallotKind, choice, reason: str) -> None:
    good = {
        BallotKind.CHOICE: "A",
        BallotKind.RANKING: ["B", "A"],
        BallotKind.APPROVAL: ["A", "C"],
        BallotKind.SCORE: {"A": 5, "B": "3"},
    }[kind]
    raw = [RawBallot("ok", "H1", good), RawBallot("bad", "H2", choice)]
    screened = screen_ballots(raw, ROLL, OPTIONS, Electorate.HOUSEHOLDS, kind=kind, max_score=5)
    assert reasons(screened) == [("bad", reason)]
    assert screened.n_ballots == 1


def test_household_not_on_the_roll_and_duplicates() -> None:
    raw = [
        RawBallot("1", "H1", "A"),
        RawBallot("2", "H9", "A"),  # not on the roll
        RawBallot("3", "H1", "B"),  # H1 again, changed its mind
        RawBallot("4", "H2", "Z"),  # unreadable ballots do not use up H2's ballot
        RawBallot("5", "H2", "C"),
        RawBallot("6", " H3 ", "B"),  # ids and choices are compared stripped
    ]
    first = screen_ballots(raw, ROLL, OPTIONS, "households", kind="choice")
    assert reasons(first) == [("2", "not_on_roll"), ("3", "duplicate"), ("4", "unknown_option")]
    assert dict(count_plurality(first).scores) == {"A": 1, "B": 1, "C": 1}
    last = screen_ballots(raw, ROLL, OPTIONS, "households", kind="choice", duplicates=DuplicatePolicy.KEEP_LAST)
    assert reasons(last) == [("1", "duplicate"), ("2", "not_on_roll"), ("4", "unknown_option")]
    assert dict(count_plurality(last).scores) == {"A": 0, "B": 2, "C": 1}
    none = screen_ballots(raw, ROLL, OPTIONS, "households", kind="choice", duplicates="set_aside_all")
    assert reasons(none) == [("1", "duplicate"), ("2", "not_on_roll"), ("3", "duplicate"), ("4", "unknown_option")]
    result = count_plurality(none)
    assert result.set_aside_counts == {
        "vote.set_aside.duplicate": 2,
        "vote.set_aside.not_on_roll": 1,
        "vote.set_aside.unknown_option": 1,
    }
    assert result.ballots_counted == 2


def test_owner_matter_sets_aside_non_owners_and_missing_area() -> None:
    roll = pd.DataFrame(
        {
            "household_id": ["O1", "T1", "N1", "O2"],
            "registered_area_m2": [88.5, 90.0, None, 70.25],
            "is_owner": [True, False, True, 1],
        }
    )
    raw = [
        RawBallot("a", "O1", "赞成"),
        RawBallot("b", "T1", "赞成"),  # tenant
        RawBallot("c", "N1", "反对"),  # owner, but the unit has no area at all
        RawBallot("d", "X1", "反对"),  # not on the roll
        RawBallot("e", "O2", "同意"),  # not one of the options
    ]
    screened = screen_ballots(raw, roll, ("赞成", "反对", "弃权"), Electorate.OWNERS, kind=BallotKind.YES_NO_ABSTAIN)
    assert reasons(screened) == [
        ("b", "not_owner"),
        ("c", "missing_floor_area"),
        ("d", "not_on_roll"),
        ("e", "unknown_option"),
    ]
    assert screened.n_ballots == 1 and screened.area.tolist() == [885000]


def test_the_report_counts_every_reason_and_nothing_is_lost() -> None:
    raw = [RawBallot(str(i), f"H{i % 8}", choice) for i, choice in enumerate(["A", "", "Z", "B", "A", "C", "B"] * 3)]
    screened = screen_ballots(raw, ROLL, OPTIONS, "households", kind="choice")
    assert screened.n_ballots + screened.n_set_aside == len(raw)
    assert sum(screened.set_aside_counts.values()) == screened.n_set_aside
    assert set(screened.set_aside_counts) <= set(SET_ASIDE_REASONS)
    assert [s.ref for s in screened.set_aside] == sorted((s.ref for s in screened.set_aside), key=int)


def test_a_ballot_table_is_read_like_raw_ballots() -> None:
    table = pd.DataFrame(
        {"ballot_id": ["x1", "x2", "x3"], "household_id": ["H1", "H2", "H1"], "choice": ['["A","B"]', "C>A", '["B"]']}
    )
    screened = screen_ballots(table, ROLL, OPTIONS, "households", kind="ranking")
    assert reasons(screened) == [("x3", "duplicate")]
    assert screened.data.tolist() == [[0, 1, -1], [2, 0, -1]]


def test_a_bad_roll_or_call_raises() -> None:
    with pytest.raises(VoteError) as info:
        screen_ballots([], ["H1", "H1"], OPTIONS, "households", kind="choice")
    assert info.value.reason == "vote.roll_repeated_id"
    with pytest.raises(VoteError) as info:
        screen_ballots([], ROLL, ("赞成", "反对"), "owners", kind="yes_no_abstain")
    assert info.value.reason == "vote.bad_options"
    with pytest.raises(VoteError) as info:
        screen_ballots([], ROLL, ("赞成", "反对", "弃权"), "owners", kind="yes_no_abstain")
    assert info.value.reason == "vote.roll_missing_column"
    with pytest.raises(VoteError) as info:
        screen_ballots([], ROLL, OPTIONS, "households", kind="score")
    assert info.value.reason == "vote.bad_parameter"
    with pytest.raises(VoteError) as info:
        screen_ballots([("1", "H1", "A")], ROLL, OPTIONS, "households", kind="choice")
    assert info.value.reason == "vote.ballots_unreadable"


def test_the_sample_communitys_messy_ballots_are_all_caught() -> None:
    households = pd.read_csv(SAMPLE / "households.csv", dtype=str, keep_default_na=False)
    ballots = pd.read_csv(SAMPLE / "ballots.csv", dtype=str, keep_default_na=False)
    votes = pd.read_csv(SAMPLE / "votes.csv", dtype=str, keep_default_na=False).set_index("vote_id")
    buildings = json.loads((SAMPLE / "buildings.geojson").read_text(encoding="utf-8"))["features"]
    in_n1 = {f["properties"]["building_id"] for f in buildings if f["properties"]["neighbourhood_id"] == "N1"}
    rolls = {
        "V01": households[households["building_id"].isin(in_n1)],
        "V02": households,
        "V03": households[(households["building_id"] == "B05") & (households["unit"] == "2")],
    }
    kinds = {"plurality": "choice", "yes_no_abstain": "yes_no_abstain", "civil_code_278": "yes_no_abstain"}
    found = {}
    for vote_id, roll in rolls.items():
        vote = votes.loc[vote_id]
        screened = screen_ballots(
            ballots[ballots["vote_id"] == vote_id],
            roll,
            json.loads(vote["options"]),
            vote["electorate"],
            kind=kinds[vote["rule"]],
        )
        found |= {s.ref: s.reason.removeprefix("vote.set_aside.") for s in screened.set_aside}
    assert found == {
        "BL0036": "not_on_roll",
        "BL0193": "unknown_option",
        "BL0320": "duplicate",
        "BL0349": "duplicate",
        "BL0638": "duplicate",
        "BL0717": "unknown_option",
    }
    v02 = screen_ballots(
        ballots[ballots["vote_id"] == "V02"], households, ("赞成", "反对", "弃权"), "households", kind="yes_no_abstain"
    )
    assert count_yes_no_abstain(v02).passed
