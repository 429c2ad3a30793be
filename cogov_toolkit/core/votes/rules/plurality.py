"""Plurality (简单多数): the option named first by most ballots wins.

Counts ``choice`` ballots, or the first preferences of ``ranking`` ballots.
Held against ``pref_voting.scoring_methods.plurality`` in the tests.
"""

from __future__ import annotations

import numpy as np

from cogov_toolkit.core.votes.ballots import BallotSet
from cogov_toolkit.core.votes.params import DEFAULT_PARAMS, BallotKind, Rule, RuleParams
from cogov_toolkit.core.votes.result import VoteResult, finish_result
from cogov_toolkit.core.votes.ties import leaders, settle, tie_break_record


def count_plurality(ballots: BallotSet, params: RuleParams = DEFAULT_PARAMS) -> VoteResult:
    """Count first choices; every option with the most is a winner (a tie unless a lot is asked for).

    Parameters
    ----------
    ballots : BallotSet
        ``choice`` or ``ranking`` ballots (a ranking counts for its first option).
    params : RuleParams
        ``tie_break`` and ``seed`` apply.

    Returns
    -------
    VoteResult
        ``scores``: first choices per option.
    """
    ballots.require(Rule.PLURALITY, BallotKind.CHOICE, BallotKind.RANKING)
    m = len(ballots.options)
    tally = np.zeros(m, dtype=np.int64)
    np.add.at(tally, ballots.data[:, 0], ballots.counts)  # exact integers, no float weights
    votes = [int(v) for v in tally]
    winners, draw = settle(leaders(votes), ballots.options, params)
    return finish_result(
        ballots,
        Rule.PLURALITY,
        params,
        winners=winners,
        scores=tuple(zip(ballots.options, votes, strict=True)),
        tie_break=tie_break_record(params, [draw] if draw else []),
    )
