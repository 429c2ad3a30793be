"""Benchmark of the vote-counting core against pref_voting, and of the Civil Code rule.

Run from the repository root::

    python benchmarks/bench_votes.py           # full size (see below)
    python benchmarks/bench_votes.py --small   # a smoke run at a small size (what the test does)

What is timed
-------------
Instant runoff and Borda on the same in-memory ballots: an ``(n, 6)`` integer array of
rankings (option indices), as a counting machine or an import would hand them over.

* ours, end to end: ``BallotSet.from_rankings`` (checks the ballots, merges identical
  ones: at most 6! = 720 distinct rankings) plus the rule;
* ours, rule alone: the rule on the prebuilt BallotSet;
* pref_voting with ``rcounts``, end to end: the distinct rankings and their counts the
  documented numpy way (``np.unique(rankings, axis=0, return_counts=True)``), its
  ``Profile(rankings, rcounts=counts)`` and the rule;
* plain numpy collapse, end to end (second baseline): each ranking encoded as one integer
  and ``np.unique`` of those (three lines), then pref_voting's ``Profile`` with ``rcounts`` and
  the rule: the fastest a numpy user would get;
* pref_voting, rule alone: the rule on the prebuilt Profile (with rcounts).

pref_voting's instant runoff is ``instant_runoff_put`` (all tied winners, as ours reports
them); its Borda is ``borda``. Both sides are warmed up first on a small
profile (pref_voting compiles parts of itself with numba on first use). Ours is timed as the best of three runs, pref_voting's once
(it is too slow to repeat at full size). Target: ours end to end at least 100× faster than
pref_voting with rcounts end to end; the plain numpy collapse and pref_voting's rule alone
are printed for information. At ``--small`` size the fixed costs dominate and the ratios say
little; the targets are for the full size.

Method of equal shares, 100 projects × 100,000 approval ballots (``--pb-ballots``), against
pabutools' ``method_of_equal_shares`` (Cost_Sat, exact fractions, resolute) on the same
ballots, both from the ballots in memory to the funded set (ours: ``BallotSet`` plus the rule;
pabutools: its ``Instance`` and ``ApprovalProfile`` plus the rule), without completion. pabutools
is run first at a tenth of the size, and at full size only if that took under 120 s; when it
does not run at full size the comparison is at the size it finished. Target ≥ 10×.

STV, 100,000 ranked ballots × 20 candidates for 5 seats (``--stv-ballots``), against a plain-
Python STV of the same method (Droop quota, weighted inclusive Gregory, exact fractions, one
ballot object per distinct ranking with its count, as a careful user would write it); both
must elect the same five and agree stage by stage. Target ≥ 20×.

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
    count_pb_equal_shares,
    count_stv,
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
    """Time instant runoff and Borda against pref_voting with rcounts; return True when the winners agree."""
    from pref_voting.iterative_methods import instant_runoff_put
    from pref_voting.profiles import Profile
    from pref_voting.scoring_methods import borda

    rankings = ranked_ballots(n, seed)
    # warm both up first, so neither pays for first calls (pref_voting compiles with numba)
    count_borda(BallotSet.from_rankings(rankings[:1000], OPTIONS))
    count_instant_runoff(BallotSet.from_rankings(rankings[:1000], OPTIONS))
    warm_u, warm_c = np.unique(rankings[:1000], axis=0, return_counts=True)
    warm = Profile(warm_u.tolist(), rcounts=warm_c.tolist())
    instant_runoff_put(warm), borda(warm)

    def pv_profile_numpy_unique():
        distinct, counts = np.unique(rankings, axis=0, return_counts=True)
        return Profile(distinct.tolist(), rcounts=counts.tolist())

    def pv_profile_plain_collapse():
        # the three-line collapse: one integer per ranking, np.unique of those, decode
        codes = rankings @ (len(OPTIONS) ** np.arange(len(OPTIONS)))
        keys, counts = np.unique(codes, return_counts=True)
        distinct = (keys[:, None] // (len(OPTIONS) ** np.arange(len(OPTIONS)))) % len(OPTIONS)
        return Profile(distinct.tolist(), rcounts=counts.tolist())

    print(f"Ranked ballots: {n:,} over {len(OPTIONS)} options (numpy array in memory)")
    build_ours, ballots = timed(lambda: BallotSet.from_rankings(rankings, OPTIONS), repeat=3)
    print(f"  distinct rankings: {len(ballots.data)}")
    build_pv, profile = timed(pv_profile_numpy_unique)
    build_plain, _ = timed(pv_profile_plain_collapse, repeat=3)
    print(
        f"  {'build':<16} ours {build_ours * 1e3:>10.1f} ms   pref_voting (np.unique axis=0 + rcounts) "
        f"{build_pv * 1e3:>10.1f} ms   plain collapse + rcounts {build_plain * 1e3:>8.1f} ms"
    )
    agree = True
    for name, ours_rule, pv_name, pv_rule in (
        ("instant runoff", count_instant_runoff, "instant_runoff_put", instant_runoff_put),
        ("Borda", count_borda, "borda", borda),
    ):
        e2e_ours, _ = timed(lambda rule=ours_rule: rule(BallotSet.from_rankings(rankings, OPTIONS)), repeat=3)
        rule_ours, result = timed(lambda rule=ours_rule: rule(ballots), repeat=3)
        rule_pv, pv_winners = timed(lambda rule=pv_rule: rule(profile), repeat=3)
        e2e_pv = build_pv + rule_pv
        e2e_plain = build_plain + rule_pv
        same = sorted(OPTIONS.index(w) for w in result.winners) == sorted(pv_winners)
        agree &= same
        print(f"  {name} (pref_voting.{pv_name}, rcounts): winners {result.winners} {'agree' if same else 'DISAGREE'}")
        print(
            f"    ours end to end {e2e_ours * 1e3:>10.1f} ms   pref_voting+rcounts end to end {e2e_pv * 1e3:>10.1f} ms"
        )
        print(f"    plain numpy collapse + pref_voting rule end to end {e2e_plain * 1e3:>10.1f} ms")
        print(f"    ours rule alone {rule_ours * 1e3:>10.2f} ms   pref_voting rule alone {rule_pv * 1e3:>10.2f} ms")
        print(ratio_line("end to end vs pref_voting with rcounts", e2e_ours, e2e_pv, 100))
        print(ratio_line("(end to end vs plain numpy collapse)", e2e_ours, e2e_plain, None))
        print(ratio_line("(rule alone vs pref_voting's rule alone)", rule_ours, rule_pv, None))
    return agree


def approval_ballots(n: int, projects: int, seed: int) -> tuple[np.ndarray, tuple[int, ...], int]:
    """``n`` approval ballots over ``projects`` projects (popularity skewed), their costs and a budget."""
    rng = np.random.default_rng(seed)
    popularity = rng.beta(1.2, 6.0, size=projects)
    data = (rng.random((n, projects)) < popularity).astype(np.int8)
    data[data.sum(axis=1) == 0, int(np.argmax(popularity))] = 1
    costs = tuple(int(c) for c in rng.integers(5, 200, size=projects) * 1000)
    return data, costs, sum(costs) // 4


def bench_equal_shares(n: int, projects: int, seed: int) -> bool:
    """Time the method of equal shares against pabutools; return True when the funded sets agree."""
    from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, Instance, Project
    from pabutools.rules import method_of_equal_shares

    print(f"Method of equal shares: {projects} projects × {n:,} approval ballots (no completion)")
    names = tuple(f"p{j:03d}" for j in range(projects))

    def ours(data, costs, budget):
        ballots = BallotSet("approval", names, data)
        return count_pb_equal_shares(ballots, RuleParams(costs=costs, budget=budget, completion="none")).committees

    def theirs(data, costs, budget):
        objects = [Project(names[j], costs[j]) for j in range(projects)]
        instance = Instance(objects, budget_limit=budget)
        profile = ApprovalProfile([ApprovalBallot([objects[j] for j in np.flatnonzero(row)]) for row in data])
        return method_of_equal_shares(instance, profile, sat_class=Cost_Sat)

    agree = True
    size = max(n // 10, 1)
    pabu_s = 0.0
    for rows in (size, n) if size < n else (n,):
        data, costs, budget = approval_ballots(rows, projects, seed)
        ours_s, ours_funded = timed(lambda data=data, costs=costs, budget=budget: ours(data, costs, budget), repeat=3)
        if rows == n and rows != size and pabu_s > 120:
            print(
                f"  {rows:>9,} ballots: ours {ours_s:>8.2f} s; pabutools not run (it took {pabu_s:.0f} s at {size:,})"
            )
            break
        pabu_s, allocation = timed(lambda data=data, costs=costs, budget=budget: theirs(data, costs, budget))
        same = [tuple(sorted(c)) for c in ours_funded] == [tuple(sorted(p.name for p in allocation))]
        agree &= same
        print(
            f"  {rows:>9,} ballots: ours {ours_s:>8.2f} s   pabutools {pabu_s:>8.2f} s   funded {len(ours_funded[0])} {'agree' if same else 'DISAGREE'}"
        )
        print(ratio_line(f"vs pabutools at {rows:,} ballots", ours_s, pabu_s, 10))
    return agree


def plain_stv(rankings: list[tuple[int, ...]], counts: list[int], m: int, seats: int, names, seed: int):
    """STV as a careful user writes it in plain Python: Droop quota, weighted inclusive Gregory, exact fractions.

    One [ranking, position, value, count] per distinct ranking; the same stages as ``count_stv``
    (largest surplus first, else exclude the fewest; all elected when as many continue as seats;
    a tie settled by the same recorded lot, ``draw_lot``). Returns the elected and the tallies
    after each stage.
    """
    from fractions import Fraction

    from cogov_toolkit.core.votes import draw_lot

    def settle(tied, kind):
        if len(tied) == 1:
            return tied[0]
        drawn = draw_lot(seed, f"{kind} round {len(stages) + 1}", tuple(names[c] for c in sorted(tied)))
        return names.index(drawn)

    total = sum(counts)
    quota = Fraction(total // (seats + 1) + 1)
    ballots = [[r, 0, Fraction(1), c] for r, c in zip(rankings, counts, strict=True)]
    status = [0] * m  # 0 hopeful, 1 elected, 2 excluded
    done = [False] * m
    elected: list[int] = []
    stages = []

    def holder(b):
        return b[0][b[1]] if b[1] < len(b[0]) else -1

    def tallies():
        t = [Fraction(0)] * m
        for b in ballots:
            h = holder(b)
            if h >= 0:
                t[h] += b[2] * b[3]
        return [quota if status[c] == 1 and done[c] else t[c] for c in range(m)]

    def advance(b):
        b[1] += 1
        while b[1] < len(b[0]) and status[b[0][b[1]]] != 0:
            b[1] += 1

    def elect(t):
        reached = sorted((c for c in range(m) if status[c] == 0 and t[c] >= quota), key=lambda c: (-t[c], c))
        for c in reached[: seats - len(elected)]:
            status[c] = 1
            elected.append(c)

    t = tallies()
    elect(t)
    stages.append(t)
    while len(elected) < seats:
        hopeful = [c for c in range(m) if status[c] == 0]
        if len(hopeful) <= seats - len(elected):
            elected.extend(sorted(hopeful, key=lambda c: (-t[c], c)))
            break
        pending = [c for c in elected if not done[c] and t[c] > quota]
        if pending:
            c = settle([c for c in pending if t[c] == max(t[k] for k in pending)], "surplus")
            value = (t[c] - quota) / t[c]
            for b in ballots:
                if holder(b) == c:
                    b[2] *= value
                    advance(b)
            done[c] = True
        else:
            fewest = min(t[c] for c in hopeful)
            tied = [c for c in hopeful if t[c] == fewest]
            if fewest == 0 and len(hopeful) - len(tied) >= seats - len(elected):
                tied = tied[:1]  # candidates with no votes hold no ballots: any order is the same
            c = settle(tied, "eliminate")
            status[c] = 2
            for b in ballots:
                if holder(b) == c:
                    advance(b)
        t = tallies()
        elect(t)
        stages.append(t)
    return sorted(elected), stages


def bench_stv(n: int, m: int, seats: int, seed: int) -> bool:
    """Time STV against the plain-Python STV; return True when both elect the same and agree stage by stage."""
    rng = np.random.default_rng(seed)
    appeal = np.linspace(0, 1.2, m)
    order = np.argsort(rng.random((n, m)) + appeal, axis=1)
    lengths = rng.integers(1, m + 1, size=n)
    order[np.arange(m)[None, :] >= lengths[:, None]] = -1
    options = tuple(f"候选人{i + 1:02d}" for i in range(m))
    print(f"STV: {n:,} ranked ballots × {m} candidates for {seats} seats (truncated rankings)")

    # exact ties do happen among the last candidates (equal fractional transfers): both sides
    # settle them by the same recorded lot, so the stages can be compared one by one
    params = RuleParams(seats=seats, tie_break="lot", seed=seed)

    def ours():
        return count_stv(BallotSet.from_rankings(order, options), params)

    def baseline():
        from collections import Counter

        counted = Counter(tuple(int(c) for c in row if c >= 0) for row in order.tolist())
        return plain_stv(list(counted), list(counted.values()), m, seats, options, seed)

    ours_s, result = timed(ours, repeat=3)
    plain_s, (elected, stages) = timed(baseline)
    same = sorted(options.index(w) for w in result.winners) == elected
    # the rule's stages without a "remaining" stage (plain STV elects those without a new stage)
    ours_stages = [[v for _, v in r.tallies] for r in result.stv_rounds if r.action != "remaining"]
    same &= ours_stages == stages
    lots = len(result.tie_break.drawn) if result.tie_break else 0
    print(
        f"  elected {', '.join(result.winners)}; {len(result.stv_rounds)} stages, {lots} lot(s), {'agree' if same else 'DISAGREE'}"
    )
    print(f"  ours end to end {ours_s * 1e3:>10.1f} ms   plain-Python STV {plain_s * 1e3:>10.1f} ms")
    print(ratio_line("STV vs plain-Python STV", ours_s, plain_s, 20))
    return same


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
    parser.add_argument("--small", action="store_true", help="small sizes: a quick smoke run")
    parser.add_argument("--ballots", type=int, default=None, help="ranked ballots (default 1,000,000)")
    parser.add_argument("--units", type=int, default=None, help="owner units (default 100,000)")
    parser.add_argument(
        "--pb-ballots", type=int, default=None, help="approval ballots for equal shares (default 100,000)"
    )
    parser.add_argument("--projects", type=int, default=None, help="projects for equal shares (default 100)")
    parser.add_argument("--stv-ballots", type=int, default=None, help="ranked ballots for STV (default 100,000)")
    parser.add_argument("--seed", type=int, default=20260301)
    args = parser.parse_args(argv)
    n = args.ballots or (10_000 if args.small else 1_000_000)
    units = args.units or (10_000 if args.small else 100_000)
    pb = args.pb_ballots or (2_000 if args.small else 100_000)
    projects = args.projects or (20 if args.small else 100)
    stv = args.stv_ballots or (2_000 if args.small else 100_000)
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, pandas {pd.__version__}")
    agree = bench_ranked(n, args.seed)
    bench_civil_code(units, args.seed)
    agree &= bench_equal_shares(pb, projects, args.seed)
    agree &= bench_stv(stv, 20, 5, args.seed)
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
