"""Owners' decisions (Civil Code Art. 278) on hand-worked cases at and just around each threshold.

Each case is small enough to check on paper: the roll, who voted what, and the four
figures (participating area and owners against ≥ 2/3; approving area and owners
against > 1/2, or ≥ 3/4 for items 6–8). "以上" includes the threshold, "过半数" does not.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
import pytest

from cogov_toolkit.core.votes import (
    CivilCodeMatter,
    Electorate,
    RawBallot,
    RuleParams,
    Threshold,
    count_civil_code_278,
    screen_ballots,
)
from cogov_toolkit.core.votes.params import BallotKind
from cogov_toolkit.errors import VoteError

OPTIONS = ("赞成", "反对", "弃权")
YES, NO, ABSTAIN = OPTIONS
ORDINARY = CivilCodeMatter.USE_MAINTENANCE_FUND  # item 5: > 1/2
SPECIAL = CivilCodeMatter.RAISE_MAINTENANCE_FUND  # item 6: ≥ 3/4


def roll_of(areas: list[str]) -> pd.DataFrame:
    """One owner-occupied unit per area (text, as in a roster), ids U1, U2, …"""
    return pd.DataFrame(
        {
            "household_id": [f"U{i + 1}" for i in range(len(areas))],
            "registered_area_m2": areas,
            "is_owner": ["1"] * len(areas),
        }
    )


def decide(roll: pd.DataFrame, votes: dict[str, str], matter: CivilCodeMatter):
    ballots = [RawBallot(f"b{i}", unit, choice) for i, (unit, choice) in enumerate(votes.items())]
    screened = screen_ballots(ballots, roll, OPTIONS, Electorate.OWNERS, kind=BallotKind.YES_NO_ABSTAIN)
    return count_civil_code_278(screened, RuleParams(matter=matter))


def figures(result) -> dict[str, tuple[Fraction, bool]]:
    return {c.name.rsplit(".", 1)[1]: (c.share, c.met) for c in result.checks}


# --- participation: ≥ 2/3 of area and of owners ------------------------------------------------
def test_participation_at_exactly_two_thirds_of_both_is_enough() -> None:
    result = decide(roll_of(["100.00"] * 3), {"U1": YES, "U2": YES}, ORDINARY)
    f = figures(result)
    assert f["participation_area"] == (Fraction(2, 3), True)
    assert f["participation_owners"] == (Fraction(2, 3), True)
    assert result.passed


def test_participation_just_below_two_thirds_of_area_fails_though_owners_are_exactly_two_thirds() -> None:
    # 200.00 of 300.01 m² is 0.0011 % short of 2/3
    result = decide(roll_of(["100.00", "100.00", "100.01"]), {"U1": YES, "U2": YES}, ORDINARY)
    f = figures(result)
    assert f["participation_area"] == (Fraction(20000, 30001), False)
    assert f["participation_owners"] == (Fraction(2, 3), True)
    assert not result.passed and result.winners == ()


def test_participation_just_above_two_thirds_of_area_but_below_two_thirds_of_owners_fails() -> None:
    # 2 of 4 owners take part (1/2), holding 300 of 400 m² (3/4)
    result = decide(roll_of(["150", "150", "50", "50"]), {"U1": YES, "U2": YES}, ORDINARY)
    f = figures(result)
    assert f["participation_area"] == (Fraction(3, 4), True)
    assert f["participation_owners"] == (Fraction(1, 2), False)
    assert not result.passed


def test_participation_one_owner_short_of_two_thirds_fails() -> None:
    # 3 of 5 owners (< 2/3) with 4/5 of the area
    result = decide(roll_of(["100", "100", "200", "50", "50"]), {"U1": YES, "U2": YES, "U3": NO}, ORDINARY)
    f = figures(result)
    assert f["participation_owners"] == (Fraction(3, 5), False)
    assert f["participation_area"] == (Fraction(4, 5), True)
    assert not result.passed


# --- ordinary matters: > 1/2 of participating area and owners -------------------------------------
def test_approval_at_exactly_half_is_not_a_majority() -> None:
    # 4 owners take part, all of equal area; 2 yes: exactly half of both, 过半数 needs more
    result = decide(roll_of(["90"] * 4), {"U1": YES, "U2": YES, "U3": NO, "U4": NO}, ORDINARY)
    f = figures(result)
    assert f["approval_area"] == (Fraction(1, 2), False)
    assert f["approval_owners"] == (Fraction(1, 2), False)
    assert not result.passed


def test_approval_just_above_half_of_area_and_of_owners_passes() -> None:
    # 3 of 5 owners say yes with 270.01 of 540.01 m²: both just over half
    roll = roll_of(["90", "90", "90.01", "135", "135"])
    result = decide(roll, {"U1": YES, "U2": YES, "U3": YES, "U4": NO, "U5": NO}, ORDINARY)
    f = figures(result)
    assert f["approval_area"] == (Fraction(27001, 54001), True)
    assert f["approval_owners"] == (Fraction(3, 5), True)
    assert result.passed and result.winners == (YES,)


def test_approval_needs_both_area_and_owners() -> None:
    # 3 of 5 owners say yes (> 1/2) but hold exactly half of the participating area
    roll = roll_of(["50", "50", "50", "75", "75"])
    result = decide(roll, {"U1": YES, "U2": YES, "U3": YES, "U4": NO, "U5": NO}, ORDINARY)
    f = figures(result)
    assert f["approval_owners"] == (Fraction(3, 5), True)
    assert f["approval_area"] == (Fraction(1, 2), False)
    assert not result.passed


def test_abstention_takes_part_but_does_not_approve() -> None:
    # 3 yes, 1 no, 2 abstain of 6 equal owners: 3/6 is exactly half, so it fails
    votes = {"U1": YES, "U2": YES, "U3": YES, "U4": NO, "U5": ABSTAIN, "U6": ABSTAIN}
    result = decide(roll_of(["80"] * 6), votes, ORDINARY)
    f = figures(result)
    assert f["participation_owners"] == (Fraction(1), True)
    assert f["approval_owners"] == (Fraction(1, 2), False)
    assert dict(result.scores) == {YES: 3, NO: 1, ABSTAIN: 2}
    assert dict(result.weighted_scores) == {YES: 240, NO: 80, ABSTAIN: 160}
    assert not result.passed


# --- items 6–8: ≥ 3/4 of participating area and owners --------------------------------------------
def test_special_matter_at_exactly_three_quarters_of_both_passes() -> None:
    votes = {"U1": YES, "U2": YES, "U3": YES, "U4": NO}
    result = decide(roll_of(["100"] * 4), votes, SPECIAL)
    f = figures(result)
    assert f["approval_area"] == (Fraction(3, 4), True)
    assert f["approval_owners"] == (Fraction(3, 4), True)
    assert result.passed


def test_special_matter_just_below_three_quarters_of_area_fails() -> None:
    # 300 of 400.01 m² approve: a hair under 3/4; owners exactly 3/4
    votes = {"U1": YES, "U2": YES, "U3": YES, "U4": NO}
    result = decide(roll_of(["100", "100", "100", "100.01"]), votes, SPECIAL)
    f = figures(result)
    assert f["approval_area"] == (Fraction(30000, 40001), False)
    assert f["approval_owners"] == (Fraction(3, 4), True)
    assert not result.passed
    # the same figures carry an ordinary matter (> 1/2)
    assert decide(roll_of(["100", "100", "100", "100.01"]), votes, ORDINARY).passed


def test_special_matter_just_below_three_quarters_of_owners_fails() -> None:
    # 5 of 7 owners (< 3/4) holding 600 of 700 m² (> 3/4)
    areas = ["200", "200", "50", "50", "100", "50", "50"]
    votes = {"U1": YES, "U2": YES, "U3": YES, "U4": YES, "U5": YES, "U6": NO, "U7": NO}
    result = decide(roll_of(areas), votes, SPECIAL)
    f = figures(result)
    assert f["approval_owners"] == (Fraction(5, 7), False)
    assert f["approval_area"] == (Fraction(6, 7), True)
    assert not result.passed


@pytest.mark.parametrize("matter", list(CivilCodeMatter))
def test_the_matter_picks_the_threshold(matter: CivilCodeMatter) -> None:
    special = matter.item in (6, 7, 8)
    assert matter.approval == (Threshold.at_least(Fraction(3, 4)) if special else Threshold.more_than(Fraction(1, 2)))
    # exactly 3/4 of both: passes every matter; 2/3 of both: passes only ordinary ones
    three_quarters = decide(roll_of(["60"] * 4), {"U1": YES, "U2": YES, "U3": YES, "U4": NO}, matter)
    two_thirds = decide(roll_of(["60"] * 3), {"U1": YES, "U2": YES, "U3": NO}, matter)
    assert three_quarters.passed
    assert two_thirds.passed is (not special)


def test_nine_matters_in_the_article_order() -> None:
    assert [m.item for m in CivilCodeMatter] == list(range(1, 10))
    assert [m.item for m in CivilCodeMatter if m.approval.ratio == Fraction(3, 4)] == [6, 7, 8]


# --- who counts, and with what area (SPC interpretation Arts. 8–9) ---------------------------------
def test_headcount_and_area_follow_the_interpretation() -> None:
    roll = pd.DataFrame(
        {
            "household_id": ["A1", "A2", "B1", "D1", "D2", "D3", "T1", "S1"],
            # registered, else surveyed, else contract
            "registered_area_m2": ["100", "50", "80", "70", "70", "70", "", ""],
            "surveyed_area_m2": ["", "", "", "", "", "", "91.5", "999"],
            "contract_area_m2": ["", "", "", "", "", "", "95", "60.25"],
            "is_owner": ["1", "1", "1", "1", "1", "1", "0", "1"],
            "owner_key": ["P-a", "P-a", "P-b", "DEV", "DEV", "DEV", "P-t", ""],
            "developer_unsold": ["0", "0", "0", "1", "1", "1", "0", "0"],
        }
    )
    ballots = [
        RawBallot("1", "A1", YES),  # buyer P-a, two flats: one owner, 150 m²
        RawBallot("2", "D2", NO),  # the developer: one owner for three unsold flats, 210 m²
        RawBallot("3", "T1", YES),  # a tenant's household: set aside
    ]
    screened = screen_ballots(ballots, roll, OPTIONS, Electorate.OWNERS, kind=BallotKind.YES_NO_ABSTAIN)
    # owners: P-a, P-b, developer, P-t (owner of the let flat), S1 (no key: its unit) = 5
    assert screened.roll.voters == 5 and screened.roll.units == 8
    # S1 has no registered area: its surveyed 999 wins over contract 60.25
    assert screened.roll.area_m2 == 100 + 50 + 80 + 210 + Fraction(915, 10) + 999
    assert [(s.ref, s.reason) for s in screened.set_aside] == [("3", "vote.set_aside.not_owner")]
    result = count_civil_code_278(screened, RuleParams(matter=ORDINARY))
    assert dict(result.scores) == {YES: 1, NO: 1, ABSTAIN: 0}
    assert dict(result.weighted_scores) == {YES: 150, NO: 210, ABSTAIN: 0}


def test_one_owners_units_vote_once_and_must_agree() -> None:
    roll = roll_of(["100", "50", "80"]).assign(owner_key=["P", "P", "Q"])
    agree = [RawBallot("1", "U1", YES), RawBallot("2", "U2", YES), RawBallot("3", "U3", NO)]
    screened = screen_ballots(agree, roll, OPTIONS, Electorate.OWNERS, kind=BallotKind.YES_NO_ABSTAIN)
    assert screened.n_ballots == 2 and screened.set_aside == ()
    result = count_civil_code_278(screened, RuleParams(matter=ORDINARY))
    assert dict(result.weighted_scores)[YES] == 150
    disagree = [RawBallot("1", "U1", YES), RawBallot("2", "U2", NO), RawBallot("3", "U3", NO)]
    screened = screen_ballots(disagree, roll, OPTIONS, Electorate.OWNERS, kind=BallotKind.YES_NO_ABSTAIN)
    assert screened.n_ballots == 1
    assert [s.reason for s in screened.set_aside] == ["vote.set_aside.conflicting_owner_ballots"] * 2


def test_a_unit_without_area_is_reported_and_its_ballot_set_aside() -> None:
    roll = roll_of(["100", "100", "100", ""])
    result = decide(roll, {"U1": YES, "U2": YES, "U3": YES, "U4": YES}, ORDINARY)
    assert result.roll.units_missing_area == 1 and result.roll.area_m2 == 300
    assert result.set_aside_counts == {"vote.set_aside.missing_floor_area": 1}
    assert result.notes == ("vote.note.units_missing_area",)


def test_the_law_fixes_the_thresholds_and_needs_a_matter() -> None:
    roll = roll_of(["100"] * 3)
    screened = screen_ballots(
        [RawBallot("1", "U1", YES)], roll, OPTIONS, Electorate.OWNERS, kind=BallotKind.YES_NO_ABSTAIN
    )
    with pytest.raises(VoteError) as info:
        count_civil_code_278(screened, RuleParams())
    assert info.value.reason == "vote.matter_required"
    with pytest.raises(VoteError) as info:
        count_civil_code_278(screened, RuleParams(matter=ORDINARY, majority=Threshold.more_than(Fraction(2, 3))))
    assert info.value.reason == "vote.fixed_by_law"
    households = screen_ballots(
        [RawBallot("1", "U1", YES)], roll, OPTIONS, Electorate.HOUSEHOLDS, kind=BallotKind.YES_NO_ABSTAIN
    )
    with pytest.raises(VoteError) as info:
        count_civil_code_278(households, RuleParams(matter=ORDINARY))
    assert info.value.reason == "vote.area_required"
