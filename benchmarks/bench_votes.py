"""Benchmark of the vote-counting core against pref_voting, and of the Civil Code rule.

Run from the repository root::

    python benchmarks/bench_votes.py           # 1,000,000 ranked ballots, 100,000 owner units
    python benchmarks/bench_votes.py --small   # 10,000 of each: a smoke run (what the test does)

What is timed
-------------
Instant runoff and Borda on the same in-memory ballots: an ``(n, 6)`` integer array of
rankings (option indices), as a counting machine or an import would hand them over.

* ours, end to end: ``BallotSet.from_rankings`` (checks the ballots, merges identical
  ones: at most 6! = 720 distinct rankings) plus the rule;
* ours, rule alone: the rule on the prebuilt BallotSet;
* pref_voting, end to end: building its ``Profile`` from the array plus the rule;
* pref_voting, rule alone: the rule on the prebuilt Profile.

pref_voting's instant runoff is ``instant_runoff_put`` (all tied winners, as ours reports
them); its Borda is ``borda``. Both sides are warmed up first on a small
profile (pref_voting compiles parts of itself with numba on first use). Ours is timed as the best of three runs, pref_voting's once
(it is too slow to repeat at full size). Targets: ours end to end at least 100× faster than
pref_voting end to end, and our rule at least 10× faster than pref_voting's rule alone
on its prebuilt Profile (ours counts each distinct ranking once; pref_voting's rule walks
every ballot of the Profile). For information, our end to end time against pref_voting's
rule alone is printed too. At ``--small`` size the fixed costs dominate and the ratios say
little; the targets are for the full size.

The Civil Code Art. 278 rule is timed end to end on a roll of owner units as read from a
roster (text cells): screening the ballots against the roll (headcount per owner, areas)
plus the count. Target: under 1 s.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from cogov_toolkit.core.votes import (
    BallotSet,
    CivilCodeMatter,
    Electorate,
    RuleParams,
    count_borda,
    count_civil_code_278,
    count_instant_runoff,
    screen_ballots,
)

OPTIONS = ("口袋花园", "休闲座椅", "儿童游乐", "健身步道", "文化墙", "停车位")


def timed(function: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Return (best wall time in seconds over ``repeat`` runs, last result)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def ranked_ballots(n: int, seed: int) -> np.ndarray:
    """``n`` full rankings of 6 options, skewed so that rounds and eliminations happen."""
    rng = np.random.default_rng(seed)
    appeal = np.array([0.0, 0.15, 0.3, 0.45, 0.6, 0.75])
    return np.argsort(rng.random((n, len(OPTIONS))) + appeal, axis=1).astype(np.int64)


def owner_roll(units: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A roster of ``units`` exclusive units (as text cells) and the ballots of a vote on it."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"H{i:06d}" for i in range(units)])
    area = np.round(rng.uniform(45, 160, units), 2)
    registered = np.where(rng.random(units) < 0.97, area.astype(str), "")
    surveyed = np.where(registered == "", np.round(area + 0.3, 2).astype(str), "")
    developer = rng.random(units) < 0.02
    # about 3 % of buyers hold two units: give every 33rd unit the owner of the one before
    owner = np.array([f"P{i:06d}" for i in range(units)])
    owner[1::33] = owner[0:-1:33][: len(owner[1::33])]
    owner = np.where(developer, "DEVELOPER", owner)
    tenant = (rng.random(units) < 0.12) & ~developer
    roll = pd.DataFrame(
        {
            "household_id": ids,
            "registered_area_m2": registered,
            "surveyed_area_m2": surveyed,
            "contract_area_m2": np.round(area + 0.5, 2).astype(str),
            "is_owner": np.where(tenant, "0", "1"),
            "owner_key": owner,
            "developer_unsold": np.where(developer, "1", "0"),
        }
    )
    voting = np.flatnonzero(rng.random(units) < 0.78)
    choice = rng.choice(["赞成", "反对", "弃权"], size=len(voting), p=[0.7, 0.2, 0.1])
    ballots = pd.DataFrame(
        {"ballot_id": [f"B{i:06d}" for i in range(len(voting))], "household_id": ids[voting], "choice": choice}
    )
    return roll, ballots


def ratio_line(name: str, ours: float, theirs: float, target: float | None) -> str:
    speedup = theirs / ours if ours > 0 else float("inf")
    if target is None:
        return f"    {name:<46} {speedup:>10,.1f}×"
    verdict = "met" if speedup >= target else "MISSED"
    return f"    {name:<46} {speedup:>10,.1f}×   target ≥ {target:,.0f}×: {verdict}"


def bench_ranked(n: int, seed: int) -> bool:
    """Time instant runoff and Borda against pref_voting; return True when the winners agree."""
    from pref_voting.iterative_methods import instant_runoff_put
    from pref_voting.profiles import Profile
    from pref_voting.scoring_methods import borda

    rankings = ranked_ballots(n, seed)
    # warm both up first, so neither pays for first calls (pref_voting compiles with numba)
    count_borda(BallotSet.from_rankings(rankings[:1000], OPTIONS))
    count_instant_runoff(BallotSet.from_rankings(rankings[:1000], OPTIONS))
    warm = Profile(rankings[:50])
    instant_runoff_put(warm), borda(warm)
    print(f"Ranked ballots: {n:,} over {len(OPTIONS)} options (numpy array in memory)")
    build_ours, ballots = timed(lambda: BallotSet.from_rankings(rankings, OPTIONS), repeat=3)
    print(f"  distinct rankings: {len(ballots.data)}")
    build_pv, profile = timed(lambda: Profile(rankings))
    print(f"  {'build':<16} ours {build_ours * 1e3:>10.1f} ms   pref_voting Profile {build_pv * 1e3:>12.1f} ms")
    agree = True
    for name, ours_rule, pv_name, pv_rule in (
        ("instant runoff", count_instant_runoff, "instant_runoff_put", instant_runoff_put),
        ("Borda", count_borda, "borda", borda),
    ):
        e2e_ours, _ = timed(lambda rule=ours_rule: rule(BallotSet.from_rankings(rankings, OPTIONS)), repeat=3)
        rule_ours, result = timed(lambda rule=ours_rule: rule(ballots), repeat=3)
        rule_pv, pv_winners = timed(lambda rule=pv_rule: rule(profile))
        e2e_pv = build_pv + rule_pv
        same = sorted(OPTIONS.index(w) for w in result.winners) == sorted(pv_winners)
        agree &= same
        print(f"  {name} (pref_voting.{pv_name}): winners {result.winners} {'agree' if same else 'DISAGREE'}")
        print(f"    ours end to end {e2e_ours * 1e3:>10.1f} ms   pref_voting end to end {e2e_pv * 1e3:>12.1f} ms")
        print(f"    ours rule alone {rule_ours * 1e3:>10.2f} ms   pref_voting rule alone {rule_pv * 1e3:>12.1f} ms")
        print(ratio_line("end to end vs pref_voting end to end", e2e_ours, e2e_pv, 100))
        print(ratio_line("rule alone vs pref_voting's rule alone", rule_ours, rule_pv, 10))
        print(ratio_line("(ours end to end vs pref_voting's rule alone)", e2e_ours, rule_pv, None))
    return agree


def bench_civil_code(units: int, seed: int) -> None:
    """Time screening and counting an owners' decision on ``units`` exclusive units."""
    roll, raw = owner_roll(units, seed)

    def decide():
        screened = screen_ballots(raw, roll, ("赞成", "反对", "弃权"), Electorate.OWNERS, kind="yes_no_abstain")
        return screened, count_civil_code_278(screened, RuleParams(matter=CivilCodeMatter.RAISE_MAINTENANCE_FUND))

    seconds, (screened, result) = timed(decide, repeat=3)
    print(f"Civil Code Art. 278: {units:,} owner units, {len(raw):,} ballots (screened against the roll)")
    print(f"  owners {screened.roll.voters:,}, counted {result.ballots_counted:,}, set aside {screened.n_set_aside:,}")
    for check in result.checks:
        print(f"    {check.name:<34} {float(check.share):.4f} ({'met' if check.met else 'not met'})")
    count_only, _ = timed(lambda: count_civil_code_278(screened, RuleParams(matter=CivilCodeMatter.REBUILD)), repeat=3)
    verdict = "met" if seconds < 1 else "MISSED"
    print(f"  screen + count {seconds * 1e3:>8.1f} ms (count alone {count_only * 1e3:.2f} ms)  target < 1 s: {verdict}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 1 when a result disagrees with pref_voting, else 0."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--small", action="store_true", help="10,000 ballots and units: a quick smoke run")
    parser.add_argument("--ballots", type=int, default=None, help="ranked ballots (default 1,000,000)")
    parser.add_argument("--units", type=int, default=None, help="owner units (default 100,000)")
    parser.add_argument("--seed", type=int, default=20260301)
    args = parser.parse_args(argv)
    n = args.ballots or (10_000 if args.small else 1_000_000)
    units = args.units or (10_000 if args.small else 100_000)
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, pandas {pd.__version__}")
    agree = bench_ranked(n, args.seed)
    bench_civil_code(units, args.seed)
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
