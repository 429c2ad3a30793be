"""Score voting (打分投票): each ballot gives every option 0..max_score points; highest sum wins.

An option a ballot leaves unscored gets 0 (screening fills it in). Held against
``pref_voting.grade_methods.score_voting`` (sum of grades) in the tests.
"""

from __future__ import annotations

from cogov_toolkit.core.votes.ballots import BallotSet
from cogov_toolkit.core.votes.params import DEFAULT_PARAMS, BallotKind, Rule, RuleParams
from cogov_toolkit.core.votes.result import VoteResult, finish_result
from cogov_toolkit.core.votes.ties import leaders, settle, tie_break_record


def count_score(ballots: BallotSet, params: RuleParams = DEFAULT_PARAMS) -> VoteResult:
    """Sum the scores; every option with the highest sum is a winner (a tie unless a lot is asked for).

    Parameters
    ----------
    ballots : BallotSet
        ``score`` ballots.
    params : RuleParams
        ``tie_break`` and ``seed`` apply.

    Returns
    -------
    VoteResult
        ``scores``: sum of scores per option.
    """
    ballots.require(Rule.SCORE, BallotKind.SCORE)
    sums = [int(v) for v in ballots.counts @ ballots.data]
    winners, draw = settle(leaders(sums), ballots.options, params)
    return finish_result(
        ballots,
        Rule.SCORE,
        params,
        winners=winners,
        scores=tuple(zip(ballots.options, sums, strict=True)),
        tie_break=tie_break_record(params, [draw] if draw else []),
    )
