"""Approval voting (认可投票): each ballot approves any number of options; most approvals wins.

Held against ``pref_voting.grade_methods.approval`` in the tests.
"""

from __future__ import annotations

from cogov_toolkit.core.votes.ballots import BallotSet
from cogov_toolkit.core.votes.params import DEFAULT_PARAMS, BallotKind, Rule, RuleParams
from cogov_toolkit.core.votes.result import VoteResult, finish_result
from cogov_toolkit.core.votes.ties import leaders, settle, tie_break_record


def count_approval(ballots: BallotSet, params: RuleParams = DEFAULT_PARAMS) -> VoteResult:
    """Count approvals; every option with the most is a winner (a tie unless a lot is asked for).

    Parameters
    ----------
    ballots : BallotSet
        ``approval`` ballots.
    params : RuleParams
        ``tie_break`` and ``seed`` apply.

    Returns
    -------
    VoteResult
        ``scores``: approvals per option.
    """
    ballots.require(Rule.APPROVAL, BallotKind.APPROVAL)
    approvals = [int(v) for v in ballots.counts @ ballots.data]
    winners, draw = settle(leaders(approvals), ballots.options, params)
    return finish_result(
        ballots,
        Rule.APPROVAL,
        params,
        winners=winners,
        scores=tuple(zip(ballots.options, approvals, strict=True)),
        tie_break=tie_break_record(params, [draw] if draw else []),
    )
