"""评选 of several (block / approval voting with ``seats``): the options with most approvals are elected.

The everyday selection ("选出 5 户文明家庭"): each ballot approves candidates (a
ballot approving more than ``seats`` is set aside at screening when the vote
says so, ``screen_ballots(..., max_choices=seats)``), and the ``seats``
candidates with most approvals are elected. 等额 (as many candidates as seats)
and 差额 (more candidates than seats) both count this way; fewer candidates
than seats is refused.

Quotas ("at least one per 网格"): with ``params.quotas`` the elected are the
committee with the most approvals in total among those meeting every quota,
found greedily: candidates are taken by approvals, skipping one whose seat
would leave too few seats for the groups still short. (Committees meeting
lower bounds on disjoint groups form the bases of a matroid, so greedy is
optimal, and the greedy outcomes over every order of equal approvals are
exactly the optimal committees: that is what a reported tie lists.)

A tie for the last seats is reported (every committee, when at most 10 000)
or settled by lot, one seat at a time. Held against ``abcvoting``'s ``av`` rule
(irresolute) in the tests.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from cogov_toolkit.core.votes.ballots import BallotSet
from cogov_toolkit.core.votes.committees import (
    NOTE_NOT_LISTED,
    combinations_count,
    committee_result,
    require_seats,
    too_many,
)
from cogov_toolkit.core.votes.params import DEFAULT_PARAMS, BallotKind, Rule, RuleParams, TieBreakMethod
from cogov_toolkit.core.votes.result import VoteResult
from cogov_toolkit.core.votes.ties import Draw, draw_lot
from cogov_toolkit.errors import VoteError


def count_block(ballots: BallotSet, params: RuleParams = DEFAULT_PARAMS) -> VoteResult:
    """Elect the ``seats`` options with most approvals (meeting the quotas, if any).

    Parameters
    ----------
    ballots : BallotSet
        ``approval`` ballots.
    params : RuleParams
        ``seats`` (required), ``quotas``, ``tie_break`` and ``seed`` apply.

    Returns
    -------
    VoteResult
        ``scores``: approvals per option; ``committees``: every winning committee;
        ``winners``: elected in all of them; ``contested``: tied for the last seats.
    """
    ballots.require(Rule.BLOCK, BallotKind.APPROVAL)
    seats = require_seats(ballots, Rule.BLOCK, params)
    approvals = [int(v) for v in ballots.counts @ ballots.data] if len(ballots.data) else [0] * len(ballots.options)
    scores = tuple(zip(ballots.options, approvals, strict=True))
    if params.quotas:
        groups, minimums = _groups(ballots.options, params, seats)
        committees, draws = _with_quotas(approvals, seats, groups, minimums, ballots.options, params)
        return committee_result(ballots, Rule.BLOCK, params, committees, scores, draws, seats=seats)

    order = sorted(range(len(approvals)), key=lambda i: -approvals[i])
    cut = approvals[order[seats - 1]]
    sure = [i for i in order if approvals[i] > cut]
    tied = sorted(i for i in order if approvals[i] == cut)
    open_seats = seats - len(sure)
    if params.tie_break is TieBreakMethod.LOT and len(tied) > open_seats:
        chosen, draws = _draw_seats(tied, open_seats, ballots.options, params, len(sure))
        return committee_result(ballots, Rule.BLOCK, params, [sure + chosen], scores, draws, seats=seats)
    if too_many(combinations_count(len(tied), open_seats)):
        contested = tied if len(tied) > open_seats else []
        return committee_result(
            ballots,
            Rule.BLOCK,
            params,
            [],
            scores,
            seats=seats,
            sure=sure,
            contested=contested,
            notes=(NOTE_NOT_LISTED,),
        )
    committees = [sure + list(c) for c in combinations(tied, open_seats)]
    return committee_result(ballots, Rule.BLOCK, params, committees, scores, seats=seats)


def _groups(options: tuple[str, ...], params: RuleParams, seats: int) -> tuple[np.ndarray, list[int]]:
    """Return each option's quota group (-1: none) and each group's minimum; refuse impossible quotas."""
    group = np.full(len(options), -1)
    index = {o: i for i, o in enumerate(options)}
    minimums = []
    for g, quota in enumerate(params.quotas):
        unknown = [o for o in quota.options if o not in index]
        if unknown:
            raise VoteError("vote.quota_unknown_option", group=quota.group, options="、".join(unknown))
        members = [index[o] for o in quota.options]
        if (group[members] >= 0).any():
            raise VoteError("vote.quota_overlap", group=quota.group)
        if quota.minimum > len(members):
            raise VoteError("vote.quota_impossible", group=quota.group, minimum=quota.minimum, seats=seats)
        group[members] = g
        minimums.append(quota.minimum)
    if sum(minimums) > seats:
        raise VoteError(
            "vote.quota_impossible", group="、".join(q.group for q in params.quotas), minimum=sum(minimums), seats=seats
        )
    return group, minimums


def _with_quotas(
    approvals: list[int],
    seats: int,
    group: np.ndarray,
    minimums: list[int],
    options: tuple[str, ...],
    params: RuleParams,
) -> tuple[list[tuple[int, ...]], list[Draw]]:
    """Greedy under lower bounds; every order of equal approvals (REPORT) or one drawn by lot."""

    def admissible(chosen: frozenset[int]) -> list[int]:
        have = [0] * len(minimums)
        for i in chosen:
            if group[i] >= 0:
                have[group[i]] += 1
        left = seats - len(chosen) - 1  # seats left after taking one more
        result = []
        for i in range(len(approvals)):
            if i in chosen:
                continue
            short = sum(max(0, m - have[g] - (1 if group[i] == g else 0)) for g, m in enumerate(minimums))
            if short <= left:
                result.append(i)
        return result

    draws: list[Draw] = []
    found: set[tuple[int, ...]] = set()
    seen: set[frozenset[int]] = set()
    stack = [frozenset()]
    while stack:
        chosen = stack.pop()
        if chosen in seen:
            continue
        seen.add(chosen)
        if len(chosen) == seats:
            found.add(tuple(sorted(chosen)))
            if too_many(len(found)):
                raise VoteError("vote.too_many_tied_committees", limit=len(found) - 1)
            continue
        candidates = admissible(chosen)
        best = max(approvals[i] for i in candidates)
        tied = [i for i in candidates if approvals[i] == best]
        if len(tied) > 1 and params.tie_break is TieBreakMethod.LOT:
            stage = f"seat {len(chosen) + 1}"
            names = tuple(options[i] for i in tied)
            drawn = draw_lot(params.seed, stage, names)
            draws.append(Draw(stage, names, drawn))
            tied = [options.index(drawn)]
        stack.extend(chosen | {i} for i in tied)
    return sorted(found), draws


def _draw_seats(
    tied: list[int], open_seats: int, options: tuple[str, ...], params: RuleParams, filled: int
) -> tuple[list[int], list[Draw]]:
    """Draw ``open_seats`` of the ``tied`` options by lot, one seat at a time (each draw recorded)."""
    left, chosen, draws = list(tied), [], []
    for seat in range(open_seats):
        names = tuple(options[i] for i in left)
        stage = f"seat {filled + seat + 1}"
        drawn = draw_lot(params.seed, stage, names)
        draws.append(Draw(stage, names, drawn))
        chosen.append(options.index(drawn))
        left.remove(options.index(drawn))
    return chosen, draws
