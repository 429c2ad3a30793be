"""Invariants every rule shares: one signature, a frozen result, ties listed, an audit that recounts."""

from __future__ import annotations

import dataclasses
import inspect
from fractions import Fraction

import numpy as np
import pytest

from cogov_toolkit.core.schema import ENUMS
from cogov_toolkit.core.votes import (
    DEFAULT_PARAMS,
    RULES,
    Audit,
    BallotKind,
    BallotSet,
    CivilCodeMatter,
    Electorate,
    RawBallot,
    Rule,
    RuleParams,
    TieBreak,
    TieBreakMethod,
    VoteResult,
    count,
    recount,
    screen_ballots,
)
from cogov_toolkit.errors import VoteError

OPTIONS = ("A", "B", "C")
YNA = ("赞成", "反对", "弃权")
ROLL = [f"H{i}" for i in range(10)]
# A leads throughout; instant runoff eliminates C (2) in round 1, then A has 6 of 9
RANKED = [
    ["A", "B", "C"],
    ["B", "C"],
    ["C", "A", "B"],
    ["A", "C"],
    ["B", "A", "C"],
    ["A"],
    ["B", "C", "A"],
    ["C", "A"],
    ["A", "B"],
]


def _raw(choices: list) -> list[RawBallot]:
    return [RawBallot(f"r{i}", f"H{i}", choice) for i, choice in enumerate(choices)]


APPROVALS = [["A", "B"], ["B"], ["B", "C"], ["A"], ["A", "B"], ["C"]]


def ballots_for(rule: Rule) -> tuple[BallotSet, RuleParams]:
    """A small, tie-free vote for ``rule`` and the parameters it needs."""
    if rule is Rule.STV:
        return screen_ballots(_raw(RANKED), ROLL, OPTIONS, "households", kind="ranking"), RuleParams(seats=2)
    if rule in (Rule.BLOCK, Rule.PAV, Rule.EQUAL_SHARES):
        ballots = screen_ballots(_raw(APPROVALS), ROLL, OPTIONS, "households", kind="approval")
        return ballots, RuleParams(seats=2)
    if rule in (Rule.PB_GREEDY, Rule.PB_EQUAL_SHARES):
        ballots = screen_ballots(_raw(APPROVALS), ROLL, OPTIONS, "households", kind="approval")
        return ballots, RuleParams(costs=(30, 50, 20), budget=80)
    if rule in (Rule.BORDA, Rule.INSTANT_RUNOFF, Rule.SCHULZE):
        return screen_ballots(_raw(RANKED), ROLL, OPTIONS, "households", kind="ranking"), DEFAULT_PARAMS
    if rule is Rule.PLURALITY:
        return screen_ballots(_raw(["A", "B", "A", "C"]), ROLL, OPTIONS, "households", kind="choice"), DEFAULT_PARAMS
    if rule is Rule.APPROVAL:
        raw = _raw([["A", "B"], ["B"], ["B", "C"], ["A"]])
        return screen_ballots(raw, ROLL, OPTIONS, "households", kind="approval"), DEFAULT_PARAMS
    if rule is Rule.SCORE:
        raw = _raw([{"A": 5, "B": 2}, {"B": 4, "C": 1}, {"A": 2, "C": 4}])
        return screen_ballots(raw, ROLL, OPTIONS, "households", kind="score", max_score=5), DEFAULT_PARAMS
    raw = _raw(["赞成", "赞成", "反对", "弃权", "赞成", "赞成", "赞成"])
    if rule is Rule.CIVIL_CODE_278:
        roll = [{"household_id": h, "registered_area_m2": 80 + i, "is_owner": 1} for i, h in enumerate(ROLL)]
        params = RuleParams(matter=CivilCodeMatter.PROPERTY_MANAGER)
        return screen_ballots(raw, roll, YNA, Electorate.OWNERS, kind="yes_no_abstain"), params
    electorate = Electorate.REPRESENTATIVES if rule is Rule.REPRESENTATIVES else Electorate.HOUSEHOLDS
    return screen_ballots(raw, ROLL, YNA, electorate, kind="yes_no_abstain"), DEFAULT_PARAMS


ALL_RULES = list(Rule)
WINNER_RULES = [Rule.PLURALITY, Rule.APPROVAL, Rule.BORDA, Rule.INSTANT_RUNOFF, Rule.SCHULZE, Rule.SCORE]
MULTI_RULES = [Rule.BLOCK, Rule.STV, Rule.PAV, Rule.EQUAL_SHARES, Rule.PB_GREEDY, Rule.PB_EQUAL_SHARES]


def test_rule_codes_are_the_schemas_vote_rule_codes() -> None:
    assert [r.value for r in Rule] == list(ENUMS["vote_rule"])
    assert [e.value for e in Electorate] == list(ENUMS["electorate"])
    assert set(RULES) == set(Rule)


@pytest.mark.parametrize("rule", ALL_RULES)
def test_one_module_one_verb_one_signature(rule: Rule) -> None:
    function = RULES[rule]
    assert function.__name__ == f"count_{rule.value}"
    assert function.__module__ == f"cogov_toolkit.core.votes.rules.{rule.value}"
    signature = inspect.signature(function)
    assert list(signature.parameters) == ["ballots", "params"]
    assert signature.parameters["params"].default is DEFAULT_PARAMS
    assert str(signature.return_annotation) == "VoteResult"
    assert function.__doc__ and "Parameters" in function.__doc__ and "Returns" in function.__doc__


@pytest.mark.parametrize("rule", ALL_RULES)
def test_result_is_frozen_complete_and_consistent(rule: Rule) -> None:
    ballots, params = ballots_for(rule)
    result = RULES[rule](ballots, params)
    assert isinstance(result, VoteResult) and result.rule is rule
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.winners = ("X",)  # type: ignore[misc]
    hash(result)  # all parts immutable
    assert set(result.winners) <= set(result.options) and result.options == ballots.options
    assert [o for o, _ in result.scores] == list(ballots.options)
    assert all(isinstance(s, int | Fraction) for _, s in result.scores)
    assert result.ballots_counted == ballots.n_ballots and result.set_aside == ballots.set_aside
    assert result.audit.digest == ballots.digest and result.audit.rule is rule
    assert result.tie_break is None and not result.tied
    if rule in WINNER_RULES:
        assert len(result.winners) == 1 and result.passed is None
    elif rule in MULTI_RULES:
        assert result.committees == (result.winners,) and not result.contested and result.passed is None
        assert len(result.winners) == (result.seats or len(result.winners)) >= 2
    else:
        assert result.passed is True and result.winners == ("赞成",) and result.checks


@pytest.mark.parametrize("rule", ALL_RULES)
def test_recounting_the_stored_ballots_reproduces_the_result(rule: Rule) -> None:
    ballots, params = ballots_for(rule)
    result = count(ballots, rule.value, params)
    stored_ballots, stored_audit = ballots.to_json(), result.audit.to_json()
    again = recount(BallotSet.from_json(stored_ballots), Audit.from_json(stored_audit))
    assert again == result
    # the same ballots in another order are the same ballots
    shuffled = BallotSet(
        ballots.kind,
        ballots.options,
        np.repeat(ballots.data, ballots.counts, axis=0)[::-1],
        area=None if ballots.area is None else np.repeat(ballots.area, ballots.counts)[::-1],
        roll=ballots.roll,
        set_aside=ballots.set_aside,
        max_score=ballots.max_score,
    )
    assert shuffled.digest == ballots.digest and recount(shuffled, result.audit) == result


@pytest.mark.parametrize("rule", ALL_RULES)
def test_recount_refuses_other_ballots(rule: Rule) -> None:
    ballots, params = ballots_for(rule)
    result = RULES[rule](ballots, params)
    fewer = dataclasses.replace(
        ballots,
        data=ballots.data[1:],
        counts=ballots.counts[1:],
        area=None if ballots.area is None else ballots.area[1:],
    )
    with pytest.raises(VoteError) as info:
        recount(fewer, result.audit)
    assert info.value.reason == "vote.digest_mismatch"


@pytest.mark.parametrize("rule", ALL_RULES)
def test_ballots_of_the_wrong_kind_are_refused(rule: Rule) -> None:
    wrong = BallotSet(BallotKind.SCORE, OPTIONS, [[1, 2, 3]], max_score=3)
    if rule is Rule.SCORE:
        wrong = BallotSet.from_rankings([[0, 1, 2]], OPTIONS)
    with pytest.raises(VoteError) as info:
        RULES[rule](wrong, RuleParams(matter=CivilCodeMatter.REBUILD))
    assert info.value.reason == "vote.wrong_ballot_kind"


def tied_ballots(rule: Rule) -> BallotSet:
    """Two ballots that leave A and B tied under ``rule`` (C trails)."""
    if rule is Rule.APPROVAL:
        return BallotSet(BallotKind.APPROVAL, OPTIONS, [[1, 0, 0], [0, 1, 0]])
    if rule is Rule.SCORE:
        return BallotSet(BallotKind.SCORE, OPTIONS, [[3, 0, 1], [0, 3, 1]], max_score=3)
    return BallotSet.from_rankings([[0, 1, 2], [1, 0, 2]], OPTIONS)


@pytest.mark.parametrize("rule", WINNER_RULES)
def test_a_tie_is_reported_unless_a_lot_is_asked_for(rule: Rule) -> None:
    ballots = tied_ballots(rule)
    reported = RULES[rule](ballots, DEFAULT_PARAMS)
    assert reported.winners == ("A", "B") and reported.tied and reported.tie_break is None
    drawn = {}
    for seed in range(12):
        result = RULES[rule](ballots, RuleParams(TieBreakMethod.LOT, seed=seed))
        assert len(result.winners) == 1 and result.winners[0] in ("A", "B")
        assert isinstance(result.tie_break, TieBreak) and result.tie_break.seed == seed
        assert result.tie_break.method is TieBreakMethod.LOT
        assert {d.tied for d in result.tie_break.drawn} == {("A", "B")}
        assert recount(ballots, result.audit) == result  # the lot is drawn again, identically
        drawn[seed] = result.winners[0]
    assert set(drawn.values()) == {"A", "B"}  # the seed matters


@pytest.mark.parametrize("rule", WINNER_RULES)
def test_no_lot_is_recorded_when_there_is_no_tie(rule: Rule) -> None:
    ballots, _ = ballots_for(rule)
    assert RULES[rule](ballots, RuleParams(TieBreakMethod.LOT, seed=7)).tie_break is None


def test_a_lot_needs_a_seed_and_parameters_round_trip() -> None:
    with pytest.raises(VoteError) as info:
        RuleParams(TieBreakMethod.LOT)
    assert info.value.reason == "vote.seed_required"
    params = RuleParams("lot", seed=2026, matter="rebuild")
    assert params.tie_break is TieBreakMethod.LOT and params.matter is CivilCodeMatter.REBUILD
    assert RuleParams.from_json(params.to_json()) == params
    with pytest.raises(VoteError) as info:
        count(tied_ballots(Rule.BORDA), "condorcet")
    assert info.value.reason == "vote.unknown_rule"


def test_no_ballots_is_a_tie_of_all_options_or_a_failed_decision() -> None:
    empty = BallotSet.from_rankings(np.zeros((0, 3), dtype=int), OPTIONS)
    for rule in (Rule.PLURALITY, Rule.BORDA, Rule.INSTANT_RUNOFF, Rule.SCHULZE):
        assert RULES[rule](empty).winners == OPTIONS
    nothing = screen_ballots([], ROLL, YNA, "households", kind="yes_no_abstain")
    assert RULES[Rule.YES_NO_ABSTAIN](nothing).passed is False
