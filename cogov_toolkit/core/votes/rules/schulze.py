"""Condorcet by the Schulze method (孔多塞·舒尔茨法), with the pairwise matrix.

``pairwise[i][j]`` is how many ballots rank option i above option j (a ranked
option is above every unranked one; unranked options are not compared with each
other). A path from i to j is a chain of options each beating the next by a
positive margin; its strength is its smallest margin. i beats j when the
strongest path from i to j is stronger than the strongest path back; the winners
are the options no one beats (always at least one; several means a tie).

Strength is the margin, as in ``pref_voting.margin_based_methods.beat_path``
(Floyd–Warshall), which the tests hold this rule against. On complete rankings
margins and "winning votes" give the same winners.
"""

from __future__ import annotations

import numpy as np

from cogov_toolkit.core.votes.ballots import BallotSet
from cogov_toolkit.core.votes.params import DEFAULT_PARAMS, BallotKind, Rule, RuleParams
from cogov_toolkit.core.votes.result import VoteResult, finish_result
from cogov_toolkit.core.votes.ties import settle, tie_break_record


def count_schulze(ballots: BallotSet, params: RuleParams = DEFAULT_PARAMS) -> VoteResult:
    """Count ranked ballots by the Schulze method.

    Parameters
    ----------
    ballots : BallotSet
        ``ranking`` ballots (truncated rankings are allowed).
    params : RuleParams
        ``tie_break`` and ``seed`` apply.

    Returns
    -------
    VoteResult
        ``pairwise``, ``strongest_paths``; ``scores``: how many options each one beats.
    """
    ballots.require(Rule.SCHULZE, BallotKind.RANKING)
    m = len(ballots.options)
    pairwise = pairwise_matrix(ballots)
    margin = pairwise - pairwise.T
    # 0 stands for "no path": every real path has strength >= 1 (integer margins > 0)
    strength = np.where(margin > 0, margin, 0)
    for via in range(m):
        through = np.minimum(strength[:, via][:, None], strength[via, :][None, :])
        np.maximum(strength, through, out=strength)
        np.fill_diagonal(strength, 0)
    beats = strength > strength.T
    undefeated = [i for i in range(m) if not beats[:, i].any()]
    winners, draw = settle(undefeated, ballots.options, params)
    wins = [int(w) for w in beats.sum(axis=1)]
    return finish_result(
        ballots,
        Rule.SCHULZE,
        params,
        winners=winners,
        scores=tuple(zip(ballots.options, wins, strict=True)),
        pairwise=_tuples(pairwise),
        strongest_paths=_tuples(strength),
        tie_break=tie_break_record(params, [draw] if draw else []),
    )


def pairwise_matrix(ballots: BallotSet) -> np.ndarray:
    """Return the m×m matrix of ballots ranking option i above option j."""
    m = len(ballots.options)
    k = len(ballots.data)
    # position of each option on each distinct ballot; unranked options share position m
    position = np.full((k, m), m, dtype=np.int64)
    ranked = ballots.data >= 0
    rows = np.repeat(np.arange(k), m).reshape(k, m)
    position[rows[ranked], ballots.data[ranked]] = np.broadcast_to(np.arange(m), (k, m))[ranked]
    above = position[:, :, None] < position[:, None, :]
    return np.einsum("k,kij->ij", ballots.counts, above.astype(np.int64))


def _tuples(matrix: np.ndarray) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(int(v) for v in row) for row in matrix)
