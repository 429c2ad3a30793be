"""Participatory budget, greedy by votes (按票数依次资助): the common rule of 微实事 budgets.

Projects are taken in order of votes (approvals; points on cumulative ballots):
each is funded when its cost fits in what is left of the budget, else passed
over, and the next one is tried. Projects nobody voted for are not funded.
Equal votes where only one of the projects fits are a tie: every outcome is
reported, or a lot decides. Held against ``pabutools``' greedy rule in the tests,
on random instances and on every pabulib file in the shared real-world folder.
"""

from __future__ import annotations

from cogov_toolkit.core.votes.ballots import BallotSet
from cogov_toolkit.core.votes.budgets import Ties, budget_instance, funding_table, greedy
from cogov_toolkit.core.votes.committees import committee_result
from cogov_toolkit.core.votes.params import DEFAULT_PARAMS, Rule, RuleParams, Utility
from cogov_toolkit.core.votes.result import VoteResult


def count_pb_greedy(ballots: BallotSet, params: RuleParams = DEFAULT_PARAMS) -> VoteResult:
    """Fund projects by votes while the budget lasts.

    Parameters
    ----------
    ballots : BallotSet
        ``approval`` or ``cumulative`` ballots (cumulative: the declared per-voter cap is
        ``ballots.max_total``).
    params : RuleParams
        ``costs`` and ``budget`` (required), ``tie_break`` and ``seed`` apply.

    Returns
    -------
    VoteResult
        ``scores``: votes per project; ``committees``: every funded set; ``funding``: one row
        per project saying why it was or was not funded; ``budget``.
    """
    instance = budget_instance(ballots, Rule.PB_GREEDY, params, default_utility=Utility.COUNT)
    ties = Ties(params, ballots.options)
    outcomes = greedy(instance, ties)
    return committee_result(
        ballots,
        Rule.PB_GREEDY,
        params,
        [o.funded for o in outcomes],
        tuple(zip(ballots.options, instance.votes, strict=True)),
        ties.draws,
        seats=None,
        funding=funding_table(instance, outcomes, shares_rule=False),
        budget=instance.budget,
    )
