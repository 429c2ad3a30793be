"""Borda count (波达计数): an option ranked k-th of m gets m - k points; most points wins.

A truncated ranking gives its ranked options the same points a full ranking would
(m-1, m-2, …) and its unranked options 0. On full rankings this is the classic
Borda count, held against ``pref_voting.scoring_methods.borda`` in the tests.
"""

from __future__ import annotations

import numpy as np

from cogov_toolkit.core.votes.ballots import BallotSet
from cogov_toolkit.core.votes.params import DEFAULT_PARAMS, BallotKind, Rule, RuleParams
from cogov_toolkit.core.votes.result import VoteResult, finish_result
from cogov_toolkit.core.votes.ties import leaders, settle, tie_break_record


def count_borda(ballots: BallotSet, params: RuleParams = DEFAULT_PARAMS) -> VoteResult:
    """Add up Borda points; every option with the most is a winner (a tie unless a lot is asked for).

    Parameters
    ----------
    ballots : BallotSet
        ``ranking`` ballots.
    params : RuleParams
        ``tie_break`` and ``seed`` apply.

    Returns
    -------
    VoteResult
        ``scores``: Borda points per option.
    """
    ballots.require(Rule.BORDA, BallotKind.RANKING)
    m = len(ballots.options)
    points = np.zeros(m, dtype=np.int64)
    for position in range(m):
        column = ballots.data[:, position]
        ranked = column >= 0
        # int64 accumulation: exact for any realistic electorate (no float weights)
        np.add.at(points, column[ranked], ballots.counts[ranked] * (m - 1 - position))
    totals = [int(p) for p in points]
    winners, draw = settle(leaders(totals), ballots.options, params)
    return finish_result(
        ballots,
        Rule.BORDA,
        params,
        winners=winners,
        scores=tuple(zip(ballots.options, totals, strict=True)),
        tie_break=tie_break_record(params, [draw] if draw else []),
    )
