"""Yes/no/abstain and representatives' meetings: thresholds at and around their edges."""

from __future__ import annotations

from fractions import Fraction

import pytest

from cogov_toolkit.core.votes import (
    YES_NO_ABSTAIN_OPTIONS,
    Electorate,
    RawBallot,
    RuleParams,
    Threshold,
    count_representatives,
    count_yes_no_abstain,
    screen_ballots,
)
from cogov_toolkit.errors import VoteError

YES, NO, ABSTAIN = YES_NO_ABSTAIN_OPTIONS


def vote(choices: list[str], roll_size: int, electorate=Electorate.HOUSEHOLDS, present: int | None = None):
    raw = [RawBallot(str(i), f"M{i}", c) for i, c in enumerate(choices)]
    roll = [f"M{i}" for i in range(roll_size)]
    return screen_ballots(raw, roll, YES_NO_ABSTAIN_OPTIONS, electorate, kind="yes_no_abstain", present=present)


def test_abstentions_take_part_and_do_not_approve() -> None:
    exactly_half = count_yes_no_abstain(vote([YES, YES, NO, ABSTAIN], 10))
    assert not exactly_half.passed and exactly_half.winners == ()
    (check,) = exactly_half.checks
    assert (check.value, check.of, check.met) == (2, 4, False)
    assert count_yes_no_abstain(vote([YES, YES, YES, NO, ABSTAIN], 10)).passed
    at_least_half = RuleParams(majority=Threshold.at_least(Fraction(1, 2)))
    assert count_yes_no_abstain(vote([YES, YES, NO, ABSTAIN], 10), at_least_half).passed


def test_an_optional_quorum_of_the_roll() -> None:
    residents_meeting = RuleParams(quorum=Threshold.more_than(Fraction(1, 2)))
    half_came = count_yes_no_abstain(vote([YES] * 5, 10), residents_meeting)
    assert [c.name for c in half_came.checks] == ["vote.check.quorum", "vote.check.approval"]
    assert [c.met for c in half_came.checks] == [False, True] and not half_came.passed
    assert count_yes_no_abstain(vote([YES] * 6, 10), residents_meeting).passed


@pytest.mark.parametrize(
    ("present", "yes", "quorum_met", "passed"),
    [
        (10, 6, True, True),  # exactly 2/3 of 15 present is a quorum; 6 of 10 is a majority
        (9, 9, False, False),  # one short of 2/3: nothing is decided, however unanimous
        (10, 5, True, False),  # exactly half of those present is not more than half
        (11, 6, True, True),
    ],
)
def test_representatives_default_thresholds(present: int, yes: int, quorum_met: bool, passed: bool) -> None:
    result = count_representatives(vote([YES] * yes + [ABSTAIN] * (present - yes), 15, Electorate.REPRESENTATIVES))
    quorum, approval = result.checks
    assert (quorum.value, quorum.of, quorum.met) == (present, 15, quorum_met)
    assert (approval.value, approval.of) == (yes, present)
    assert result.passed is passed


def test_representatives_attendance_recorded_apart_and_thresholds_configurable() -> None:
    # 12 present, 10 ballots: 6 yes is half of those present, not more
    ballots = vote([YES] * 6 + [NO] * 4, 15, Electorate.REPRESENTATIVES, present=12)
    assert not count_representatives(ballots).passed
    local_rule = RuleParams(quorum=Threshold.more_than(Fraction(1, 2)), majority=Threshold.at_least(Fraction(1, 2)))
    assert count_representatives(ballots, local_rule).passed
    with pytest.raises(VoteError) as info:
        count_representatives(vote([YES] * 6, 15, Electorate.REPRESENTATIVES, present=5))
    assert info.value.reason == "vote.bad_attendance"


def test_thresholds_compare_exactly() -> None:
    two_thirds = Threshold.at_least(Fraction(2, 3))
    assert two_thirds.met(2, 3) and not two_thirds.met(Fraction(6666666, 10**7), 1)
    assert Threshold.at_least("2/3") == two_thirds and Threshold(0.5, False).ratio == Fraction(1, 2)
    assert not Threshold.more_than(Fraction(1, 2)).met(1, 2) and not two_thirds.met(0, 0)
    for bad in ("x", 2, -0.1):
        with pytest.raises(VoteError) as info:
            Threshold(bad, True)
        assert info.value.reason == "vote.bad_threshold"
