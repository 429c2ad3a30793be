"""Method of equal shares for a committee (平等份额法选出多名): proportional, and opt-in.

The everyday 评选 is :mod:`.block`; this rule is for committees that should
reflect the groups among the voters (each group of a sixth of the voters can
elect about a sixth of the seats). It is the budget method with every candidate
costing 1 and a budget of ``seats``: each voter starts with ``seats / n``, and
candidates are bought by their supporters at the lowest equal price.

What the first phase leaves (seats unfilled) is filled by ``params.completion``:
``add_one`` (default; abcvoting's "increment" completion: the budget grows one
virtual seat at a time until the seats fill), ``greedy`` (most approvals;
abcvoting's "av" completion) or ``none`` (seats may stay unfilled; the result
notes it). Held against ``abcvoting``'s ``equal-shares`` rules in the tests.
"""

from __future__ import annotations

from cogov_toolkit.core.votes.ballots import BallotSet
from cogov_toolkit.core.votes.budgets import Ties, committee_instance, equal_shares_with_completion
from cogov_toolkit.core.votes.committees import committee_result, refuse_quotas, require_seats
from cogov_toolkit.core.votes.params import DEFAULT_PARAMS, BallotKind, Completion, Rule, RuleParams
from cogov_toolkit.core.votes.result import VoteResult


def count_equal_shares(ballots: BallotSet, params: RuleParams = DEFAULT_PARAMS) -> VoteResult:
    """Elect a committee of ``seats`` by the method of equal shares.

    Parameters
    ----------
    ballots : BallotSet
        ``approval`` ballots.
    params : RuleParams
        ``seats`` (required), ``completion`` (default ``add_one``), ``tie_break`` and ``seed`` apply.

    Returns
    -------
    VoteResult
        ``scores``: approvals per option; ``committees``: every winning committee.
    """
    ballots.require(Rule.EQUAL_SHARES, BallotKind.APPROVAL)
    refuse_quotas(Rule.EQUAL_SHARES, params)
    seats = require_seats(ballots, Rule.EQUAL_SHARES, params)
    instance = committee_instance(ballots, seats)
    ties = Ties(params, ballots.options)
    outcomes = equal_shares_with_completion(instance, ties, params.completion or Completion.ADD_ONE, committee=True)
    return committee_result(
        ballots,
        Rule.EQUAL_SHARES,
        params,
        [o.funded for o in outcomes],
        tuple(zip(ballots.options, instance.votes, strict=True)),
        ties.draws,
        seats=seats,
    )
