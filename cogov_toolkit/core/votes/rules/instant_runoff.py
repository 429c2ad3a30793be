"""Instant runoff (排序复选): eliminate the option with fewest first choices until one has a majority.

Round by round, each ballot counts for its highest-ranked option still in the
count; a ballot with none left is *exhausted*. An option holding more than half
of the continuing ballots is elected. Otherwise the option with fewest votes is
eliminated; options with no votes at all go together (that cannot change who
wins, since none of them can overtake another on the way out).

Ties for last place are where instant runoff needs care, and they are never
broken silently:

* ``TieBreakMethod.REPORT`` (default): the winners are every option that wins
  under *some* order of eliminating the tied options ("parallel-universe
  tie-breaking"), which is what ``pref_voting.iterative_methods.instant_runoff_put``
  computes and what the tests hold this rule against. The round table stops at
  the first tie for last and lists, for each tied option, who wins if it goes.
* ``TieBreakMethod.LOT``: each tie for last is settled by a lot drawn from the
  recorded seed, the draw is listed in ``tie_break``, and the count goes on.

Works on the distinct rankings of the BallotSet (at most m! of them), so a
million ballots cost no more than a few hundred.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from cogov_toolkit.core.votes.ballots import BallotSet
from cogov_toolkit.core.votes.params import DEFAULT_PARAMS, BallotKind, Rule, RuleParams, TieBreakMethod
from cogov_toolkit.core.votes.result import IrvRound, VoteResult, finish_result
from cogov_toolkit.core.votes.ties import Draw, draw_lot, settle, tie_break_record


def count_instant_runoff(ballots: BallotSet, params: RuleParams = DEFAULT_PARAMS) -> VoteResult:
    """Count ranked ballots by instant runoff, with the round-by-round table.

    Parameters
    ----------
    ballots : BallotSet
        ``ranking`` ballots (truncated rankings are allowed; they may exhaust).
    params : RuleParams
        ``tie_break`` and ``seed`` apply (to ties for last place and to a final tie).

    Returns
    -------
    VoteResult
        ``scores``: first-round votes; ``rounds``: every round.
    """
    ballots.require(Rule.INSTANT_RUNOFF, BallotKind.RANKING)
    options = ballots.options
    m = len(options)
    count = _RunoffCounter(ballots)

    def names(indices: list[int] | tuple[int, ...]) -> tuple[str, ...]:
        return tuple(options[i] for i in sorted(indices))

    remaining = (1 << m) - 1
    rounds: list[IrvRound] = []
    draws: list[Draw] = []
    path_winners: tuple[str, ...] = ()
    while True:
        number = len(rounds) + 1
        tallies, exhausted = count.tally(remaining)
        alive = _members(remaining, m)
        table = tuple((options[i], tallies[i]) for i in alive)
        continuing = count.total - exhausted
        majority = [i for i in alive if 2 * tallies[i] > continuing]
        if majority or len(alive) == 1:
            elected = names(majority or alive)
            rounds.append(IrvRound(number, table, exhausted, elected=elected))
            path_winners = elected
            break
        low = min(tallies[i] for i in alive)
        lowest = [i for i in alive if tallies[i] == low]
        if len(lowest) == len(alive) and low == 0:
            # no ballot names any continuing option (all exhausted, or no ballots): all tie
            path_winners, draw = settle(alive, options, params)
            draws += [draw] if draw else []
            rounds.append(IrvRound(number, table, exhausted, elected=path_winners, tied_for_last=names(lowest)))
            break
        if low == 0 or len(lowest) == 1:
            rounds.append(IrvRound(number, table, exhausted, eliminated=names(lowest)))
            remaining &= ~_mask(lowest)
            continue
        if params.tie_break is TieBreakMethod.LOT:
            stage = f"eliminate round {number}"
            drawn = draw_lot(params.seed, stage, names(lowest))
            draws.append(Draw(stage, names(lowest), drawn))
            rounds.append(IrvRound(number, table, exhausted, eliminated=(drawn,), tied_for_last=names(lowest)))
            remaining &= ~(1 << options.index(drawn))
            continue
        branches = tuple((options[i], names(count.put_winners(remaining & ~(1 << i)))) for i in lowest)
        rounds.append(IrvRound(number, table, exhausted, tied_for_last=names(lowest), branch_winners=branches))
        break

    if params.tie_break is TieBreakMethod.REPORT:
        winners = names(count.put_winners((1 << m) - 1))
    else:
        winners = path_winners
    first_round = rounds[0].tallies
    return finish_result(
        ballots,
        Rule.INSTANT_RUNOFF,
        params,
        winners=winners,
        scores=first_round,
        rounds=tuple(rounds),
        tie_break=tie_break_record(params, draws),
    )


def _members(mask: int, m: int) -> list[int]:
    return [i for i in range(m) if mask >> i & 1]


def _mask(indices: list[int]) -> int:
    return sum(1 << i for i in indices)


class _RunoffCounter:
    """Tallies of the distinct rankings for any set of continuing options (a bit mask), memoised."""

    def __init__(self, ballots: BallotSet) -> None:
        self.data = ballots.data
        self.counts = ballots.counts
        self.m = len(ballots.options)
        self.total = ballots.n_ballots
        self.rows = np.arange(len(self.data))
        self.tally = cache(self._tally)
        self.put_winners = cache(self._put_winners)

    def _tally(self, mask: int) -> tuple[tuple[int, ...], int]:
        # continuing[k] for option k; the extra last cell makes -1 padding read as "not continuing"
        continuing = np.array([bool(mask >> i & 1) for i in range(self.m)] + [False])
        alive = continuing[self.data]
        has_choice = alive.any(axis=1)
        first = self.data[self.rows, alive.argmax(axis=1)]
        tallies = np.zeros(self.m, dtype=np.int64)
        np.add.at(tallies, first[has_choice], self.counts[has_choice])
        return tuple(int(t) for t in tallies), int(self.counts[~has_choice].sum())

    def _put_winners(self, mask: int) -> tuple[int, ...]:
        """Every option that wins under some order of breaking ties for last (parallel universes)."""
        alive = _members(mask, self.m)
        if len(alive) <= 1:
            return tuple(alive)
        tallies, exhausted = self.tally(mask)
        continuing = self.total - exhausted
        majority = tuple(i for i in alive if 2 * tallies[i] > continuing)
        if majority:
            return majority
        with_votes = [i for i in alive if tallies[i] > 0]
        if not with_votes:
            return tuple(alive)
        if len(with_votes) < len(alive):
            # options without votes go first in every universe: drop them together
            return self.put_winners(_mask(with_votes))
        low = min(tallies[i] for i in alive)
        winners: set[int] = set()
        for i in alive:
            if tallies[i] == low:
                winners.update(self.put_winners(mask & ~(1 << i)))
        return tuple(sorted(winners))
