"""The canonical ballot set: identical ballots merged, rows sorted, bad arrays refused, digest stable."""

from __future__ import annotations

import numpy as np
import pytest

from cogov_toolkit.core.votes import (
    BallotKind,
    BallotSet,
    count_borda,
    count_instant_runoff,
)
from cogov_toolkit.core.votes.ballots import AREA_SCALE
from cogov_toolkit.errors import VoteError


def test_identical_ballots_are_counted_once_in_sorted_order() -> None:
    ballots = BallotSet.from_rankings([[2, 0, 1], [0, 1, 2], [2, 0, 1], [0, 1, -1]], ("A", "B", "C"))
    assert ballots.data.tolist() == [[0, 1, -1], [0, 1, 2], [2, 0, 1]]
    assert ballots.counts.tolist() == [1, 1, 2] and ballots.n_ballots == 4
    with pytest.raises(ValueError):
        ballots.data[0, 0] = 1  # read-only


@pytest.mark.parametrize("m", [3, 6, 9])  # 9 options no longer fit the dense tally: the np.unique path
def test_the_canonical_form_does_not_depend_on_order_or_grouping(m: int) -> None:
    rng = np.random.default_rng(m)
    rankings = np.argsort(rng.random((500, m)), axis=1)
    rankings[rng.random(500) < 0.3, m - 1] = -1  # some truncated
    options = tuple(f"o{i}" for i in range(m))
    once = BallotSet.from_rankings(rankings, options)
    shuffled = BallotSet.from_rankings(rankings[rng.permutation(500)], options)
    grouped = BallotSet.from_rankings(once.data, options, once.counts)
    assert once.digest == shuffled.digest == grouped.digest
    assert np.array_equal(once.data, shuffled.data) and once.n_ballots == 500
    # and the rules agree with a ballot-by-ballot count
    naive = np.zeros(m, dtype=int)
    for row in rankings:
        for position, option in enumerate(row):
            if option >= 0:
                naive[option] += m - 1 - position
    assert [s for _, s in count_borda(once).scores] == naive.tolist()
    assert count_instant_runoff(once) == count_instant_runoff(shuffled)


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ([[0, 0, 1]], "twice"),
        ([[0, -1, 1]], "gap"),
        ([[-1, -1, -1]], "no option"),
        ([[0, 1, 3]], "values must lie"),
        ([[0.0, 1.0, 2.0]], "integer"),
        ([[0, 1]], "columns"),
    ],
)
def test_a_bad_ranking_is_refused(rows: list, problem: str) -> None:
    with pytest.raises(VoteError) as info:
        BallotSet.from_rankings(np.array(rows), ("A", "B", "C"))
    assert info.value.reason == "vote.bad_ballots" and problem in info.value.params["detail"]


def test_bad_options_counts_and_areas_are_refused() -> None:
    for options in [(), ("A", "A")]:
        with pytest.raises(VoteError):
            BallotSet.from_rankings(np.zeros((0, len(options))), options)
    with pytest.raises(VoteError):
        BallotSet.from_rankings([[0, 1]], ("A", "B"), counts=[0])
    with pytest.raises(VoteError):
        BallotSet(BallotKind.YES_NO_ABSTAIN, ("Y", "N", "A"), [0, 1], area=[-5, 10])
    with pytest.raises(VoteError):
        BallotSet(BallotKind.APPROVAL, ("A", "B"), [[0, 0]])


def test_areas_stay_with_their_ballots_and_round_trip_as_json() -> None:
    ballots = BallotSet(
        BallotKind.YES_NO_ABSTAIN, ("Y", "N", "A"), [1, 0, 0, 1], area=[900_000, 750_000, 750_000, 900_000]
    )
    assert ballots.data.ravel().tolist() == [0, 1] and ballots.counts.tolist() == [2, 2]
    assert (ballots.area // AREA_SCALE).tolist() == [75, 90]
    again = BallotSet.from_json(ballots.to_json())
    assert again.digest == ballots.digest and np.array_equal(again.area, ballots.area)
    other = BallotSet(
        BallotKind.YES_NO_ABSTAIN, ("Y", "N", "A"), [1, 0, 0, 1], area=[900_000, 750_000, 750_000, 900_001]
    )
    assert other.digest != ballots.digest
