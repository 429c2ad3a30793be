"""What the rules that elect several (or fund several) share: seats, outcomes, ties and their report.

A multi-winner count may end in a tie between whole committees (two sets of five
families with the same score). The rules here never pick one silently: with
``TieBreakMethod.REPORT`` they return every winning committee, ``winners`` holds
the options elected in all of them and ``contested`` the others; with ``LOT``
each tie met on the way is settled by a recorded lot and the count goes on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from math import comb

from cogov_toolkit.core.votes.ballots import BallotSet
from cogov_toolkit.core.votes.params import Rule, RuleParams
from cogov_toolkit.core.votes.result import Number, VoteResult, finish_result
from cogov_toolkit.core.votes.ties import Draw, tie_break_record
from cogov_toolkit.errors import VoteError

#: ties with more winning committees than this are described by ``contested``, not listed
MAX_LISTED = 10_000
#: notes a multi-winner result may carry
NOTE_NOT_LISTED = "vote.note.committees_not_listed"
NOTE_SEATS_UNFILLED = "vote.note.seats_unfilled"


def require_seats(ballots: BallotSet, rule: Rule, params: RuleParams) -> int:
    """Return the number of seats, checked: given, and no more than the candidates (等额 at most)."""
    if params.seats is None:
        raise VoteError("vote.seats_required", rule=rule.value)
    if params.seats > len(ballots.options):
        raise VoteError("vote.too_few_candidates", seats=params.seats, candidates=len(ballots.options))
    return params.seats


def refuse_quotas(rule: Rule, params: RuleParams) -> None:
    """Raise unless ``params`` has no quotas (only ``block`` counts with quotas)."""
    if params.quotas:
        raise VoteError("vote.quotas_unsupported", rule=rule.value)


def committee_result(
    ballots: BallotSet,
    rule: Rule,
    params: RuleParams,
    committees: Iterable[Iterable[int]],
    scores: Sequence[tuple[str, Number]],
    draws: Sequence[Draw] = (),
    *,
    seats: int | None,
    sure: Iterable[int] = (),
    contested: Iterable[int] | None = None,
    notes: Sequence[str] = (),
    **details,
) -> VoteResult:
    """Return the VoteResult of a multi-winner rule from its winning committees (option indices).

    When a tie had too many committees to list, ``committees`` is empty and ``sure`` (elected
    in every outcome) and ``contested`` (in some) describe it instead.
    """
    options = ballots.options
    listed = sorted({tuple(sorted(set(c))) for c in committees})
    if contested is None:
        every = set.intersection(*(set(c) for c in listed)) if listed else set()
        some = set().union(*(set(c) for c in listed)) if listed else set()
        sure, open_ = sorted(every), sorted(some - every)
    else:
        sure, open_ = sorted(set(sure)), sorted(set(contested))
    notes = tuple(notes)
    if seats is not None and listed and all(len(c) < seats for c in listed) and NOTE_SEATS_UNFILLED not in notes:
        notes += (NOTE_SEATS_UNFILLED,)
    return finish_result(
        ballots,
        rule,
        params,
        winners=tuple(options[i] for i in sure),
        scores=scores,
        seats=seats,
        contested=tuple(options[i] for i in open_),
        committees=tuple(tuple(options[i] for i in c) for c in listed),
        tie_break=tie_break_record(params, draws),
        notes=notes,
        **details,
    )


def too_many(count: int) -> bool:
    """True when a tie has more committees than are listed."""
    return count > MAX_LISTED


def combinations_count(tied: int, open_seats: int) -> int:
    """How many ways ``open_seats`` seats can go to ``tied`` candidates."""
    return comb(tied, open_seats)


__all__ = [
    "MAX_LISTED",
    "NOTE_NOT_LISTED",
    "NOTE_SEATS_UNFILLED",
    "require_seats",
    "refuse_quotas",
    "committee_result",
    "too_many",
    "combinations_count",
]
