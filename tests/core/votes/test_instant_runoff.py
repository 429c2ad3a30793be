"""Instant runoff's round-by-round table: eliminations, exhausted ballots, ties for last."""

from __future__ import annotations

import numpy as np

from cogov_toolkit.core.votes import BallotSet, RuleParams, TieBreakMethod, count_instant_runoff

ABC = ("A", "B", "C")


def ranked(*groups: tuple[int, list[str]], options: tuple[str, ...] = ABC) -> BallotSet:
    """Ballots from (how many, ranking) groups."""
    rows, counts = [], []
    for how_many, ranking in groups:
        rows.append([options.index(o) for o in ranking] + [-1] * (len(options) - len(ranking)))
        counts.append(how_many)
    return BallotSet.from_rankings(np.array(rows), options, counts)


def test_a_count_over_two_rounds() -> None:
    result = count_instant_runoff(ranked((4, ["A", "B", "C"]), (3, ["B", "C", "A"]), (2, ["C", "B", "A"])))
    first, second = result.rounds
    assert first.tallies == (("A", 4), ("B", 3), ("C", 2)) and first.eliminated == ("C",)
    assert second.tallies == (("A", 4), ("B", 5)) and second.elected == ("B",)
    assert result.winners == ("B",) and result.scores == first.tallies


def test_an_unbroken_tie_for_last_stops_the_table_and_shows_each_universe() -> None:
    # eliminating B exhausts its two ballots and A wins 3-2; eliminating C sends its ballots to B, who wins 4-3
    ballots = ranked((3, ["A"]), (2, ["B"]), (2, ["C", "B"]))
    result = count_instant_runoff(ballots)
    assert result.winners == ("A", "B") and result.tied and result.tie_break is None
    (only,) = result.rounds
    assert only.tied_for_last == ("B", "C") and only.eliminated == ()
    assert only.branch_winners == (("B", ("A",)), ("C", ("B",)))


def test_a_lot_settles_a_tie_for_last_and_the_count_goes_on() -> None:
    ballots = ranked((3, ["A"]), (2, ["B"]), (2, ["C", "B"]))
    outcomes = set()
    for seed in range(10):
        result = count_instant_runoff(ballots, RuleParams(TieBreakMethod.LOT, seed=seed))
        (draw,) = result.tie_break.drawn
        assert draw.stage == "eliminate round 1" and draw.tied == ("B", "C")
        first, second = result.rounds
        assert first.eliminated == (draw.drawn,) and first.tied_for_last == ("B", "C")
        if draw.drawn == "B":
            assert second.exhausted == 2 and second.elected == ("A",)
        else:
            assert second.tallies == (("A", 3), ("B", 4)) and second.elected == ("B",)
        outcomes.add(result.winners)
    assert outcomes == {("A",), ("B",)}


def test_options_without_votes_go_together() -> None:
    options = ("A", "B", "C", "D", "E")
    ballots = ranked((2, ["A"]), (2, ["B"]), (1, ["C", "A"]), options=options)
    result = count_instant_runoff(ballots)
    assert [r.eliminated for r in result.rounds] == [("D", "E"), ("C",), ()]
    assert result.rounds[-1].elected == ("A",) and result.rounds[-1].exhausted == 0
    assert result.winners == ("A",)


def test_a_majority_of_continuing_ballots_is_enough() -> None:
    # A's 3 of 6 is no majority; once C's ballot is exhausted, 3 of the 5 continuing is
    result = count_instant_runoff(ranked((3, ["A"]), (2, ["B"]), (1, ["C"])))
    first, second = result.rounds
    assert first.elected == () and first.eliminated == ("C",)
    assert second.exhausted == 1 and second.elected == ("A",) and result.winners == ("A",)
