"""Proportional approval voting (比例认可投票, PAV): the committee with the highest harmonic score.

A ballot that approves j members of a committee adds 1 + 1/2 + … + 1/j to its
score; the committee of ``seats`` candidates with the highest score is elected.
This is the optimal (not the sequential) PAV, as ``abcvoting``'s ``pav`` rule,
which the tests hold it against on random profiles with ties.

The scores are exact: every harmonic number is scaled by lcm(1, …, seats), so
they are integers. The best committees are found by branch and bound over the
distinct ballots: a partial committee is abandoned when even its best possible
completion (its score plus the ``r`` largest marginal gains, an upper bound
because the score is submodular) falls short of the best committee found, so
every committee with the best score is found and listed as a tie. A lot, when
asked for, draws one of the tied committees.
"""

from __future__ import annotations

from math import lcm

import numpy as np

from cogov_toolkit.core.votes.ballots import BallotSet
from cogov_toolkit.core.votes.committees import committee_result, refuse_quotas, require_seats, too_many
from cogov_toolkit.core.votes.params import DEFAULT_PARAMS, BallotKind, Rule, RuleParams, TieBreakMethod
from cogov_toolkit.core.votes.result import VoteResult
from cogov_toolkit.core.votes.ties import Draw, draw_lot
from cogov_toolkit.errors import VoteError


def count_pav(ballots: BallotSet, params: RuleParams = DEFAULT_PARAMS) -> VoteResult:
    """Elect the ``seats`` committee with the highest PAV score.

    Parameters
    ----------
    ballots : BallotSet
        ``approval`` ballots.
    params : RuleParams
        ``seats`` (required), ``tie_break`` and ``seed`` apply.

    Returns
    -------
    VoteResult
        ``scores``: approvals per option; ``committees``: every committee with the best score.
    """
    ballots.require(Rule.PAV, BallotKind.APPROVAL)
    refuse_quotas(Rule.PAV, params)
    seats = require_seats(ballots, Rule.PAV, params)
    m = len(ballots.options)
    data = ballots.data.astype(np.int64)
    counts = ballots.counts.astype(np.int64)
    approvals = [int(v) for v in counts @ data] if len(data) else [0] * m
    scores = tuple(zip(ballots.options, approvals, strict=True))
    best = _best_committees(data, counts, m, seats)
    draws: list[Draw] = []
    if len(best) > 1 and params.tie_break is TieBreakMethod.LOT:
        labels = tuple("、".join(ballots.options[i] for i in c) for c in best)
        drawn = draw_lot(params.seed, "winner", labels)
        draws.append(Draw("winner", labels, drawn))
        best = [best[labels.index(drawn)]]
    return committee_result(ballots, Rule.PAV, params, best, scores, draws, seats=seats)


def _best_committees(data: np.ndarray, counts: np.ndarray, m: int, seats: int) -> list[tuple[int, ...]]:
    """Every committee of ``seats`` options with the highest PAV score (branch and bound)."""
    scale = lcm(*range(1, seats + 1))
    # weight[t] = what the (t+1)-th approved member adds to a ballot's score, scaled to an integer
    weight = np.array([scale // (t + 1) for t in range(seats)] + [0], dtype=np.int64)
    approvals = counts @ data if len(data) else np.zeros(m, dtype=np.int64)
    order = sorted(range(m), key=lambda i: (-int(approvals[i]), i))  # promising candidates first
    best_score = -1
    best: list[tuple[int, ...]] = []

    def search(start: int, chosen: list[int], held: np.ndarray, score: int) -> None:
        nonlocal best_score, best
        left = seats - len(chosen)
        if left == 0:
            if score > best_score:
                best_score, best = score, [tuple(sorted(chosen))]
            elif score == best_score:
                best.append(tuple(sorted(chosen)))
                if too_many(len(best)):
                    raise VoteError("vote.too_many_tied_committees", limit=len(best) - 1)
            return
        rest = order[start:]
        if len(rest) < left:
            return
        # marginal gain of each remaining candidate given the partial committee
        gains = (counts * weight[held]) @ data[:, rest] if len(data) else np.zeros(len(rest), dtype=np.int64)
        if score + int(np.sort(gains)[::-1][:left].sum()) < best_score:
            return
        for position in range(len(rest) - left + 1):
            candidate = rest[position]
            # taking no candidate before ``position`` leaves rest[position:] to fill the seats
            bound = score + int(gains[position]) + int(np.sort(gains[position + 1 :])[::-1][: left - 1].sum())
            if bound < best_score:
                continue
            column = data[:, candidate] if len(data) else np.zeros(0, dtype=np.int64)
            search(start + position + 1, chosen + [candidate], held + column, score + int(gains[position]))

    search(0, [], np.zeros(len(data), dtype=np.int64), 0)
    return sorted(best)
