"""Every rule that pref_voting also implements, held against it on random profiles with ties.

pref_voting (Holliday & Pacuit) is a test-only dependency. Each rule is compared with
one named pref_voting function on 250 seeded random profiles; the profiles are small
(1–15 voters, 2–5 options, rankings drawn from a short list, every other profile
balanced between the rankings of its list) so that ties are frequent,
and each test asserts that a fair share of the profiles did end in a tie.

| rule                   | pref_voting function                                              |
|------------------------|-------------------------------------------------------------------|
| count_plurality        | pref_voting.scoring_methods.plurality (and Profile.plurality_scores) |
| count_borda            | pref_voting.scoring_methods.borda (and Profile.borda_scores)      |
| count_instant_runoff   | pref_voting.iterative_methods.instant_runoff_put (all tied winners) |
| count_schulze          | pref_voting.margin_based_methods.beat_path (Floyd–Warshall; and Profile.support) |
| count_approval         | pref_voting.grade_methods.approval (GradeProfile, grades {0, 1})  |
| count_score            | pref_voting.grade_methods.score_voting (GradeProfile, sum)        |
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from pref_voting.grade_methods import approval as pv_approval
from pref_voting.grade_methods import score_voting as pv_score_voting
from pref_voting.grade_profiles import GradeProfile
from pref_voting.iterative_methods import instant_runoff_put as pv_instant_runoff_put
from pref_voting.margin_based_methods import beat_path as pv_beat_path
from pref_voting.profiles import Profile
from pref_voting.scoring_methods import borda as pv_borda
from pref_voting.scoring_methods import plurality as pv_plurality

from cogov_toolkit.core.votes import (
    BallotKind,
    BallotSet,
    RuleParams,
    TieBreakMethod,
    count_approval,
    count_borda,
    count_instant_runoff,
    count_plurality,
    count_schulze,
    count_score,
)

PROFILES = 250
MAX_SCORE = 3


def random_rankings(rng: np.random.Generator) -> Iterator[tuple[int, np.ndarray]]:
    """Yield (options, rankings) for PROFILES small profiles with frequent ties."""
    for _ in range(PROFILES):
        m = int(rng.integers(2, 6))
        n = int(rng.integers(1, 16))
        # voters pick from a few distinct rankings: repeated rankings make ties likely, and
        # every other profile gives each ranking of its pool the same number of voters
        pool = np.array([rng.permutation(m) for _ in range(int(rng.integers(1, 5)))])
        if rng.random() < 0.5:
            yield m, np.repeat(pool, int(rng.integers(1, 4)), axis=0)
        else:
            yield m, pool[rng.integers(0, len(pool), size=n)]


def options_of(m: int) -> tuple[str, ...]:
    return tuple(f"c{i}" for i in range(m))


def indices(winners: tuple[str, ...]) -> list[int]:
    return sorted(int(w[1:]) for w in winners)


def check_ranked_rule(rule, reference, seed: int, extra=None) -> float:
    """Compare ``rule`` with ``reference`` on random profiles; return the share of tied results."""
    rng = np.random.default_rng(seed)
    ties = 0
    for m, rankings in random_rankings(rng):
        profile = Profile(rankings.tolist())
        ballots = BallotSet.from_rankings(rankings, options_of(m))
        result = rule(ballots, RuleParams())
        assert indices(result.winners) == sorted(reference(profile)), (rankings.tolist(), result)
        if extra:
            extra(profile, ballots, result)
        ties += result.tied
    return ties / PROFILES


def test_plurality_against_pref_voting_plurality() -> None:
    def scores_agree(profile: Profile, ballots: BallotSet, result) -> None:
        assert [s for _, s in result.scores] == [profile.plurality_scores()[c] for c in profile.candidates]

    assert check_ranked_rule(count_plurality, pv_plurality, seed=1, extra=scores_agree) > 0.1


def test_borda_against_pref_voting_borda() -> None:
    def scores_agree(profile: Profile, ballots: BallotSet, result) -> None:
        assert [s for _, s in result.scores] == [profile.borda_scores()[c] for c in profile.candidates]

    assert check_ranked_rule(count_borda, pv_borda, seed=2, extra=scores_agree) > 0.1


def test_instant_runoff_against_pref_voting_instant_runoff_put() -> None:
    def lot_picks_one_of_them(profile: Profile, ballots: BallotSet, result) -> None:
        # breaking ties for last by lot always lands on one of the parallel-universe winners
        drawn = count_instant_runoff(ballots, RuleParams(TieBreakMethod.LOT, seed=len(result.rounds)))
        assert len(drawn.winners) == 1 and drawn.winners[0] in result.winners
        first = {o: v for o, v in result.rounds[0].tallies}
        assert [first[f"c{c}"] for c in profile.candidates] == [
            profile.plurality_scores()[c] for c in profile.candidates
        ]

    assert check_ranked_rule(count_instant_runoff, pv_instant_runoff_put, seed=3, extra=lot_picks_one_of_them) > 0.1


def test_schulze_against_pref_voting_beat_path() -> None:
    def pairwise_agrees(profile: Profile, ballots: BallotSet, result) -> None:
        expected = [[profile.support(a, b) if a != b else 0 for b in profile.candidates] for a in profile.candidates]
        assert [list(row) for row in result.pairwise] == expected

    assert check_ranked_rule(count_schulze, pv_beat_path, seed=4, extra=pairwise_agrees) > 0.1


def random_grades(rng: np.random.Generator, top: int) -> Iterator[tuple[int, np.ndarray]]:
    """Yield (options, grades matrix) for PROFILES small graded profiles."""
    for _ in range(PROFILES):
        m = int(rng.integers(2, 6))
        n = int(rng.integers(1, 12))
        pool = rng.integers(0, top + 1, size=(int(rng.integers(1, 5)), m))
        if top == 1:
            pool[pool.sum(axis=1) == 0, 0] = 1  # an approval ballot approves something
        if rng.random() < 0.5:
            yield m, np.repeat(pool, int(rng.integers(1, 4)), axis=0)
        else:
            yield m, pool[rng.integers(0, len(pool), size=n)]


@pytest.mark.parametrize(
    ("rule", "kind", "top", "reference"),
    [
        pytest.param(count_approval, BallotKind.APPROVAL, 1, pv_approval, id="approval-vs-grade_methods.approval"),
        pytest.param(
            count_score, BallotKind.SCORE, MAX_SCORE, pv_score_voting, id="score-vs-grade_methods.score_voting"
        ),
    ],
)
def test_graded_rules_against_pref_voting(rule, kind: BallotKind, top: int, reference) -> None:
    rng = np.random.default_rng(5 + top)
    ties = 0
    for m, grades in random_grades(rng, top):
        gprofile = GradeProfile(
            [dict(enumerate(int(g) for g in row)) for row in grades], list(range(top + 1)), candidates=list(range(m))
        )
        ballots = BallotSet(kind, options_of(m), grades, max_score=top if kind is BallotKind.SCORE else None)
        result = rule(ballots, RuleParams())
        assert indices(result.winners) == sorted(reference(gprofile)), (grades.tolist(), result)
        assert [s for _, s in result.scores] == [int(gprofile.sum(c)) for c in range(m)]
        ties += result.tied
    assert ties / PROFILES > 0.1
