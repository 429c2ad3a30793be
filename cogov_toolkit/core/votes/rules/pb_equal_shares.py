"""Participatory budget by the method of equal shares (平等份额法), with its completion.

The budget is split equally between the voters; each project is bought by its
supporters at the lowest price per unit of utility (see
:mod:`cogov_toolkit.core.votes.budgets`). Approval ballots value a project at
its cost by default (``Utility.COST``, as equalshares.net), or at one
(``Utility.COUNT``); cumulative ballots value it at the points given.

The first phase usually leaves money unspent; ``params.completion`` says what
happens to it: ``add_one`` (default; every voter's share grows by one unit, e.g.
1 元, and the method runs again, while the outcome stays within the budget; then
greedy by votes), ``greedy`` (greedy by votes at once) or ``none``. Held against
``pabutools``' ``method_of_equal_shares`` (with ``voter_budget_increment=1`` and
``completion_by_rule_combination`` for the completions) in the tests.
"""

from __future__ import annotations

from cogov_toolkit.core.votes.ballots import BallotSet
from cogov_toolkit.core.votes.budgets import Ties, budget_instance, equal_shares_with_completion, funding_table
from cogov_toolkit.core.votes.committees import committee_result
from cogov_toolkit.core.votes.params import DEFAULT_PARAMS, Completion, Rule, RuleParams, Utility
from cogov_toolkit.core.votes.result import VoteResult


def count_pb_equal_shares(ballots: BallotSet, params: RuleParams = DEFAULT_PARAMS) -> VoteResult:
    """Fund projects by the method of equal shares, then complete by ``params.completion``.

    Parameters
    ----------
    ballots : BallotSet
        ``approval`` or ``cumulative`` ballots.
    params : RuleParams
        ``costs`` and ``budget`` (required), ``completion`` (default ``add_one``), ``utility``
        (approval ballots; default ``cost``), ``tie_break`` and ``seed`` apply.

    Returns
    -------
    VoteResult
        ``scores``: votes per project; ``committees``: every funded set; ``funding``: why each
        project was or was not funded, with what each supporter paid; ``budget``.
    """
    instance = budget_instance(ballots, Rule.PB_EQUAL_SHARES, params, default_utility=Utility.COST)
    ties = Ties(params, ballots.options)
    outcomes = equal_shares_with_completion(instance, ties, params.completion or Completion.ADD_ONE)
    return committee_result(
        ballots,
        Rule.PB_EQUAL_SHARES,
        params,
        [o.funded for o in outcomes],
        tuple(zip(ballots.options, instance.votes, strict=True)),
        ties.draws,
        seats=None,
        funding=funding_table(instance, outcomes, shares_rule=True),
        budget=instance.budget,
    )
