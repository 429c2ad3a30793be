"""Multi-winner rules: STV invariants and a published count, block quotas, ties, the budget table."""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

from cogov_toolkit.core.votes import (
    BallotSet,
    Quota,
    RuleParams,
    TieBreakMethod,
    count_block,
    count_pb_equal_shares,
    count_pb_greedy,
    count_stv,
    recount,
)
from cogov_toolkit.core.votes.rules.stv import droop_quota
from cogov_toolkit.errors import VoteError

_REALWORLD = next(
    (p / "shared" / "realworld" for p in Path(__file__).resolve().parents[3:] if (p / "shared" / "realworld").is_dir()),
    Path(__file__).resolve().parents[4] / "shared" / "realworld",
)
BURLINGTON = _REALWORLD / "preflib" / "00005-00000002.toi"


def random_rankings(rng: np.random.Generator, n: int, m: int) -> BallotSet:
    appeal = rng.random(m)
    order = np.argsort(rng.random((n, m)) + appeal, axis=1)
    lengths = rng.integers(1, m + 1, size=n)
    order[np.arange(m)[None, :] >= lengths[:, None]] = -1
    return BallotSet.from_rankings(order, tuple(f"c{i}" for i in range(m)))


@pytest.mark.parametrize("decimals", [None, 5])
def test_stv_invariants_on_random_profiles(decimals: int | None) -> None:
    rng = np.random.default_rng(2026)
    for _ in range(120):
        m = int(rng.integers(2, 9))
        seats = int(rng.integers(1, m + 1))
        ballots = random_rankings(rng, int(rng.integers(1, 300)), m)
        result = count_stv(ballots, RuleParams(seats=seats, decimals=decimals, tie_break=TieBreakMethod.LOT, seed=7))
        quota = Fraction(droop_quota(ballots.n_ballots, seats))
        assert len(result.winners) == seats and not result.contested  # elected = seats
        for stage in result.stv_rounds:
            # transfers conserve votes: tallies plus non-transferable equal the valid ballots
            assert sum(v for _, v in stage.tallies) + stage.non_transferable == ballots.n_ballots
            assert stage.non_transferable >= 0 and all(v >= 0 for _, v in stage.tallies)
            if stage.action == "surplus":
                assert dict(stage.tallies)[stage.source] == quota  # the elected keep the quota
        first = result.stv_rounds[0]
        assert all(v >= quota for o, v in first.tallies if o in first.elected)  # the quota elects
        assert recount(ballots, result.audit) == result


def test_stv_with_one_seat_is_instant_runoff_on_burlington_2009() -> None:
    """Burlington (VT) 2009 mayor: a real count published round by round; one seat, so STV is IRV."""
    if not BURLINGTON.is_file():
        pytest.skip(f"{BURLINGTON} is absent (the shared real-world folder)")
    rows, counts, names = [], [], {}
    for line in BURLINGTON.read_text(encoding="utf-8").splitlines():
        if line.startswith("# ALTERNATIVE NAME"):
            number, name = line.removeprefix("# ALTERNATIVE NAME ").split(": ", 1)
            names[int(number)] = name
        elif line and not line.startswith("#"):
            count, ranking = line.split(": ", 1)
            # a group ranked equal is an overvote: the ballot stops there (4 ballots have it first: set aside)
            ranking = ranking.split("{", 1)[0].strip(",")
            if not ranking:
                continue
            order = [int(c) - 1 for c in ranking.split(",")]
            rows.append(order + [-1] * (6 - len(order)))
            counts.append(int(count))
    options = tuple(names[i + 1] for i in range(6))
    ballots = BallotSet.from_rankings(np.array(rows), options, counts)
    result = count_stv(ballots, RuleParams(seats=1))
    first = dict(result.stv_rounds[0].tallies)
    # the published first round (SOURCES.md): Wright 2951, Kiss 2585, Montroll 2063, Smith 1306, write-ins 36, Simpson 35
    named = ("Kurt Wright", "Bob Kiss", "Andy Montroll", "Dan Smith", "Write-In", "James Simpson")
    assert [first[o] for o in named] == [2951, 2585, 2063, 1306, 36, 35]
    assert result.winners == ("Bob Kiss",)
    # the published last round is the stage after Montroll's exclusion (STV then excludes Wright too)
    (final,) = [dict(r.tallies) for r in result.stv_rounds if r.excluded == ("Andy Montroll",)]
    # as published: Kiss 4313; Wright 4060 here against 4061 published, the one-ballot gap SOURCES.md notes
    assert (final["Bob Kiss"], final["Kurt Wright"]) == (4313, 4060)


def test_block_elects_the_top_and_lists_every_committee_of_a_tie() -> None:
    ballots = BallotSet("approval", tuple("ABCDE"), [[1, 1, 0, 0, 0], [1, 0, 1, 0, 0], [1, 0, 0, 1, 0]])
    result = count_block(ballots, RuleParams(seats=2))
    assert result.winners == ("A",) and result.contested == ("B", "C", "D") and result.tied
    assert result.committees == (("A", "B"), ("A", "C"), ("A", "D"))
    drawn = count_block(ballots, RuleParams(seats=2, tie_break="lot", seed=3))
    assert len(drawn.winners) == 2 and drawn.winners[0] == "A" and drawn.tie_break.drawn[0].stage == "seat 2"
    with pytest.raises(VoteError) as info:
        count_block(ballots, RuleParams(seats=6))
    assert info.value.reason == "vote.too_few_candidates"


def test_block_quotas_give_the_best_committee_meeting_every_quota() -> None:
    rng = np.random.default_rng(5)
    checked = 0
    for _ in range(150):
        m = int(rng.integers(3, 8))
        seats = int(rng.integers(1, m + 1))
        data = (rng.random((int(rng.integers(1, 12)), m)) < 0.4).astype(int)
        data[data.sum(axis=1) == 0, 0] = 1
        options = tuple(f"c{i}" for i in range(m))
        groups = np.array_split(rng.permutation(m), int(rng.integers(1, 3)))
        quotas = tuple(
            Quota(f"网格{g}", tuple(options[i] for i in members), 1) for g, members in enumerate(groups) if len(members)
        )
        if len(quotas) > seats:
            continue
        ballots = BallotSet("approval", options, data)
        result = count_block(ballots, RuleParams(seats=seats, quotas=quotas))
        approvals = data.sum(axis=0)
        feasible = [
            c
            for c in combinations(range(m), seats)
            if all(any(options.index(o) in c for o in q.options) for q in quotas)
        ]
        best = max(approvals[list(c)].sum() for c in feasible)
        expected = sorted(tuple(options[i] for i in c) for c in feasible if approvals[list(c)].sum() == best)
        assert sorted(result.committees) == expected
        checked += 1
    assert checked > 100


def test_impossible_quotas_are_refused_with_the_group() -> None:
    ballots = BallotSet("approval", tuple("ABC"), [[1, 0, 0]])
    with pytest.raises(VoteError) as info:
        count_block(ballots, RuleParams(seats=1, quotas=(Quota("一网格", ("A",)), Quota("二网格", ("B",)))))
    assert info.value.reason == "vote.quota_impossible"
    with pytest.raises(VoteError) as info:
        count_block(ballots, RuleParams(seats=1, quotas=(Quota("一网格", ("X",)),)))
    assert info.value.reason == "vote.quota_unknown_option" and "X" in str(info.value)


def test_the_budget_table_says_why_each_project_was_or_was_not_funded() -> None:
    options = ("口袋花园", "休闲座椅", "儿童游乐", "健身步道", "文化墙")
    data = [[1, 1, 0, 0, 0], [1, 0, 0, 0, 0], [1, 1, 0, 0, 0], [0, 0, 1, 0, 0]]
    ballots = BallotSet("approval", options, data)
    params = RuleParams(costs=(50_000, 30_000, 40_000, 20_000, 200_000), budget=100_000)
    result = count_pb_greedy(ballots, params)
    table = result.funding_frame().set_index("project")
    assert table.loc["口袋花园", "reason"] == "vote.pb.funded_by_votes" and table.loc["口袋花园", "step"] == 1
    assert table.loc["休闲座椅", "funded"] and table.loc["儿童游乐", "reason"] == "vote.pb.did_not_fit"
    assert table.loc["健身步道", "reason"] == "vote.pb.no_votes" and table.loc["文化墙", "reason"] == "vote.pb.no_votes"
    assert result.spent == 80_000 and result.budget == 100_000 and table.loc["儿童游乐", "budget_left"] == 20_000
    shares = count_pb_equal_shares(ballots, params)
    assert set(shares.winners) <= set(options) and shares.spent <= 100_000
    assert all(row.per_voter is not None for row in shares.funding if row.reason == "vote.pb.funded_by_shares")


def test_budget_rules_refuse_missing_costs_and_wrong_lengths() -> None:
    ballots = BallotSet("approval", tuple("AB"), [[1, 0]])
    with pytest.raises(VoteError) as info:
        count_pb_greedy(ballots, RuleParams(budget=10))
    assert info.value.reason == "vote.budget_required"
    with pytest.raises(VoteError) as info:
        count_pb_greedy(ballots, RuleParams(costs=(1,), budget=10))
    assert info.value.reason == "vote.costs_mismatch"
