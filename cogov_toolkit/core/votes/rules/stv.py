"""Single transferable vote (单记可转移投票) for several seats: Droop quota, weighted inclusive Gregory.

The method is the one Scottish local elections use (the Scottish Local Government
Elections Order 2007, Sch. 1, rules 45–52), which official result sheets print
stage by stage:

* quota = floor(valid ballots / (seats + 1)) + 1 (Droop); a candidate reaching it is elected;
* the largest surplus is transferred first, before any exclusion: *every* ballot the
  elected candidate holds moves to its next continuing preference at its value times
  surplus / votes of the candidate (weighted inclusive Gregory), the candidate keeps
  the quota;
* with no surplus to transfer, the candidate with fewest votes is excluded and all their
  ballots move on at the value they hold;
* when as many candidates continue as seats are left, they are all elected.

``params.decimals`` truncates transfer values and transferred votes to that many
decimal places (Scottish counts: 5), as official sheets do; the default is exact
fractions. Either way votes are conserved: what a transfer loses to ballots with no
further preference, or to truncation, is counted as non-transferable, so the tallies
plus the non-transferable votes always equal the valid ballots (the tests check it).

Ties (for fewest votes, or between equal largest surpluses) are never broken
silently: with ``TieBreakMethod.REPORT`` the count table stops at the first tie and
the result lists every committee some order of the tied candidates elects; with
``LOT`` a recorded lot decides and the count goes on. (The Scottish look-back to
earlier stages is not applied.)

Works on the distinct rankings with their counts; each ballot's value is the index
of one of a few exact weights, so a count of 100 000 ballots is a few numpy passes
per stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from cogov_toolkit.core.votes.ballots import BallotSet
from cogov_toolkit.core.votes.committees import committee_result, refuse_quotas, require_seats, too_many
from cogov_toolkit.core.votes.params import DEFAULT_PARAMS, BallotKind, Rule, RuleParams, TieBreakMethod
from cogov_toolkit.core.votes.result import StvRound, VoteResult
from cogov_toolkit.core.votes.ties import Draw, draw_lot
from cogov_toolkit.errors import VoteError


def count_stv(ballots: BallotSet, params: RuleParams = DEFAULT_PARAMS) -> VoteResult:
    """Count ranked ballots by STV for ``seats`` seats, with the stage-by-stage table.

    Parameters
    ----------
    ballots : BallotSet
        ``ranking`` ballots (truncated rankings are allowed).
    params : RuleParams
        ``seats`` (required), ``decimals`` (truncation, default exact), ``tie_break`` and ``seed`` apply.

    Returns
    -------
    VoteResult
        ``scores``: first preferences; ``stv_rounds``: every stage; ``committees``: the
        elected (several when a tie was reported).
    """
    ballots.require(Rule.STV, BallotKind.RANKING)
    refuse_quotas(Rule.STV, params)
    seats = require_seats(ballots, Rule.STV, params)
    count = _Count(ballots, seats, params)
    first = count.first_preferences()
    rounds: list[StvRound] = [first]
    draws: list[Draw] = []
    committees = count.run(rounds, draws, record=True)
    scores = tuple((o, int(v)) for o, v in first.tallies)
    return committee_result(
        ballots,
        Rule.STV,
        params,
        committees,
        scores,
        draws,
        seats=seats,
        stv_rounds=tuple(rounds),
        notes=("vote.note.stv_quota",),
    )


def droop_quota(valid: int, seats: int) -> int:
    """floor(valid / (seats + 1)) + 1."""
    return valid // (seats + 1) + 1


@dataclass
class _State:
    pos: np.ndarray  # per distinct ballot: index of its current preference (m: none)
    weight: np.ndarray  # per distinct ballot: index into _Count.weights
    holder: np.ndarray  # per distinct ballot: candidate holding it (-1: non-transferable)
    status: np.ndarray  # per candidate: 0 hopeful, 1 elected, 2 excluded
    tallies: list[Fraction]
    transferred: np.ndarray  # per candidate: surplus already transferred
    elected: list[int]
    non_transferable: Fraction

    def copy(self) -> _State:
        return _State(
            self.pos.copy(),
            self.weight.copy(),
            self.holder.copy(),
            self.status.copy(),
            list(self.tallies),
            self.transferred.copy(),
            list(self.elected),
            self.non_transferable,
        )


class _Count:
    def __init__(self, ballots: BallotSet, seats: int, params: RuleParams) -> None:
        self.options = ballots.options
        self.m = len(ballots.options)
        # rankings with one extra column of -1, so "no further preference" reads as a column
        self.data = np.hstack([ballots.data.astype(np.int64), np.full((len(ballots.data), 1), -1)])
        self.counts = ballots.counts.astype(np.int64)
        self.seats = seats
        self.params = params
        self.valid = ballots.n_ballots
        self.quota = Fraction(droop_quota(self.valid, seats))
        self.scale = None if params.decimals is None else 10**params.decimals
        self.weights: list[Fraction] = [Fraction(1)]
        self._weight_index: dict[Fraction, int] = {Fraction(1): 0}

    # --- arithmetic -------------------------------------------------------------------------
    def truncate(self, value: Fraction) -> Fraction:
        if self.scale is None:
            return value
        return Fraction(value.numerator * self.scale // value.denominator, self.scale)

    def weight_id(self, value: Fraction) -> int:
        if value not in self._weight_index:
            self._weight_index[value] = len(self.weights)
            self.weights.append(value)
        return self._weight_index[value]

    def votes_of(self, rows: np.ndarray, weight: np.ndarray) -> Fraction:
        """Exact votes of the ballots ``rows`` (each with its count and value)."""
        if len(rows) == 0:
            return Fraction(0)
        totals = np.zeros(len(self.weights), dtype=np.int64)
        np.add.at(totals, weight[rows], self.counts[rows])
        return sum((self.weights[w] * int(c) for w, c in enumerate(totals) if c), Fraction(0))

    def tally(self, state: _State) -> list[Fraction]:
        held = state.holder >= 0
        key = state.holder[held] * len(self.weights) + state.weight[held]
        grid = np.zeros(self.m * len(self.weights), dtype=np.int64)
        np.add.at(grid, key, self.counts[held])
        grid = grid.reshape(self.m, len(self.weights))
        result = []
        for c in range(self.m):
            if state.status[c] == 1 and state.transferred[c]:
                result.append(self.quota)
            else:
                row = grid[c]
                result.append(sum((self.weights[w] * int(n) for w, n in enumerate(row) if n), Fraction(0)))
        return result

    # --- stages -----------------------------------------------------------------------------
    def first_preferences(self) -> StvRound:
        n = len(self.data)
        self.state = _State(
            pos=np.zeros(n, dtype=np.int64),
            weight=np.zeros(n, dtype=np.int64),
            holder=self.data[:, 0].copy() if n else np.zeros(0, dtype=np.int64),
            status=np.zeros(self.m, dtype=np.int8),
            tallies=[],
            transferred=np.zeros(self.m, dtype=bool),
            elected=[],
            non_transferable=Fraction(0),
        )
        self.state.tallies = self.tally(self.state)
        elected = self.elect(self.state)
        return self.round(1, "first", self.state, elected=elected)

    def round(self, number: int, action: str, state: _State, **fields) -> StvRound:
        return StvRound(
            number=number,
            action=action,
            tallies=tuple(zip(self.options, state.tallies, strict=True)),
            non_transferable=state.non_transferable,
            **fields,
        )

    def elect(self, state: _State) -> tuple[str, ...]:
        """Elect every hopeful at or over the quota (most votes first); return them."""
        reached = [c for c in range(self.m) if state.status[c] == 0 and state.tallies[c] >= self.quota]
        reached.sort(key=lambda c: (-state.tallies[c], c))
        reached = reached[: self.seats - len(state.elected)]
        for c in reached:
            state.status[c] = 1
            state.elected.append(c)
        return tuple(self.options[c] for c in reached)

    def move_on(self, state: _State, rows: np.ndarray, new_weight: np.ndarray) -> None:
        """Move ``rows`` to their next hopeful preference at ``new_weight``; the rest become non-transferable."""
        hopeful = np.append(state.status == 0, False)  # the -1 column is never hopeful
        pos = state.pos[rows]
        width = self.data.shape[1] - 1
        pending = np.ones(len(rows), dtype=bool)
        while pending.any():
            pos[pending] += 1
            at = self.data[rows[pending], np.minimum(pos[pending], width)]
            settled = hopeful[at] | (at < 0)
            index = np.flatnonzero(pending)
            pending[index[settled]] = False
        state.pos[rows] = pos
        target = self.data[rows, np.minimum(pos, width)]
        state.weight[rows] = new_weight
        state.holder[rows] = np.where(target >= 0, target, -1)

    def transfer_surplus(self, state: _State, c: int) -> Fraction:
        surplus = state.tallies[c] - self.quota
        total = state.tallies[c]
        value = self.truncate(surplus / total)
        rows = np.flatnonzero(state.holder == c)
        new_weight = state.weight[rows].copy()
        for w in np.unique(new_weight).tolist():
            new_weight[state.weight[rows] == w] = self.weight_id(self.truncate(self.weights[w] * value))
        self.move_on(state, rows, new_weight)
        state.transferred[c] = True
        # what the ballots were worth beyond the quota and did not reach a hopeful is non-transferable
        arrived = self.votes_of(rows[state.holder[rows] >= 0], state.weight)
        state.non_transferable += surplus - arrived
        state.tallies = self.tally(state)
        return value

    def exclude(self, state: _State, c: int) -> None:
        rows = np.flatnonzero(state.holder == c)
        state.status[c] = 2
        total = state.tallies[c]
        self.move_on(state, rows, state.weight[rows].copy())
        arrived = self.votes_of(rows[state.holder[rows] >= 0], state.weight)
        state.non_transferable += total - arrived
        state.tallies = self.tally(state)

    # --- the count ----------------------------------------------------------------------------
    def run(self, rounds: list[StvRound], draws: list[Draw], record: bool) -> list[tuple[int, ...]]:
        """Run the count from ``self.state``; return every committee (one unless a tie was reported)."""
        committees: set[tuple[int, ...]] = set()
        stack = [(self.state, record)]
        while stack:
            state, recording = stack.pop()
            outcome = self._advance(state, rounds if recording else None, draws)
            if outcome[0] == "elected":
                committees.add(outcome[1])
                if too_many(len(committees)):
                    raise VoteError("vote.too_many_tied_committees", limit=len(committees) - 1)
                continue
            _, kind, tied, state = outcome  # an unbroken tie: follow every branch, table stops here
            for c in tied:
                branch = state.copy()
                if kind == "surplus":
                    self._do_surplus(branch, c, None)
                else:
                    self._do_exclusion(branch, c, None)
                stack.append((branch, False))
        return sorted(committees)

    def _advance(self, state: _State, rounds: list[StvRound] | None, draws: list[Draw]):
        while True:
            left = self.seats - len(state.elected)
            hopefuls = [c for c in range(self.m) if state.status[c] == 0]
            if left == 0:
                return "elected", tuple(sorted(int(c) for c in state.elected))
            if len(hopefuls) <= left:
                for c in sorted(hopefuls, key=lambda c: (-state.tallies[c], c)):
                    state.status[c] = 1
                    state.elected.append(c)
                if rounds is not None:
                    elected = tuple(self.options[c] for c in state.elected[-len(hopefuls) :]) if hopefuls else ()
                    rounds.append(self.round(len(rounds) + 1, "remaining", state, elected=elected))
                return "elected", tuple(sorted(int(c) for c in state.elected))
            pending = [c for c in state.elected if not state.transferred[c] and state.tallies[c] > self.quota]
            if pending:
                largest = max(state.tallies[c] for c in pending)
                tied = [c for c in pending if state.tallies[c] == largest]
                kind = "surplus"
            else:
                fewest = min(state.tallies[c] for c in hopefuls)
                tied = [c for c in hopefuls if state.tallies[c] == fewest]
                kind = "exclusion"
                if fewest == 0 and len(tied) > 1 and len(hopefuls) - len(tied) >= left:
                    # candidates with no votes hold no ballots: excluding them in any order is the same
                    for c in sorted(tied):
                        self._do_exclusion(state, c, rounds)
                    continue
            if len(tied) > 1:
                names = tuple(self.options[c] for c in sorted(tied))
                if self.params.tie_break is TieBreakMethod.LOT:
                    number = (len(rounds) + 1) if rounds is not None else 0
                    stage = f"{'surplus' if kind == 'surplus' else 'eliminate'} round {number}"
                    drawn = draw_lot(self.params.seed, stage, names)
                    draws.append(Draw(stage, names, drawn))
                    tied = [self.options.index(drawn)]
                else:
                    if rounds is not None:
                        rounds.append(self.round(len(rounds) + 1, kind, state, tied=names))
                    return "tied", kind, sorted(tied), state
            (c,) = tied
            if kind == "surplus":
                self._do_surplus(state, c, rounds)
            else:
                self._do_exclusion(state, c, rounds)

    def _do_surplus(self, state: _State, c: int, rounds: list[StvRound] | None) -> None:
        value = self.transfer_surplus(state, c)
        elected = self.elect(state)
        if rounds is not None:
            rounds.append(
                self.round(
                    len(rounds) + 1, "surplus", state, source=self.options[c], transfer_value=value, elected=elected
                )
            )

    def _do_exclusion(self, state: _State, c: int, rounds: list[StvRound] | None) -> None:
        self.exclude(state, c)
        elected = self.elect(state)
        if rounds is not None:
            rounds.append(
                self.round(
                    len(rounds) + 1,
                    "exclusion",
                    state,
                    source=self.options[c],
                    excluded=(self.options[c],),
                    elected=elected,
                )
            )
