"""The engines behind participatory budgets and proportional committees: greedy by votes, equal shares.

Both work on the distinct ballots of a :class:`BallotSet` (with their counts) and
an integer cost per option. Everything that decides an outcome is exact.

**Greedy by votes** (the common rule): projects are taken in order of votes
(approvals, or points on cumulative ballots); one that costs more than what is
left is passed over, and the next is tried.

**Method of equal shares** (Peters & Skowron; equalshares.net): the budget is
split equally between the voters; a project is bought by its supporters, each
paying in proportion to what the project is worth to them, as little as
possible: the project whose price per unit of utility (``ρ``) is lowest goes
first. Voters who cannot pay their share pay what they have. A project whose
supporters together no longer hold its cost cannot be bought.

The equal-shares engine is exact without carrying a fraction per voter: every
voter's money is ``b0 - Σ_k ρ_k·paid_k`` over the projects bought so far, so a
sum over any set of voters is an integer combination of the few exact ``ρ_k``.
Voters are ordered (to find who pays all they have) by a float copy of their
money, and the few whose float lies within 1e-9 of the boundary are settled in
exact arithmetic, so float rounding never decides anything. Projects are
examined lazily in order of their last ``ρ`` (which only grows), as pabutools
does, so a round looks at a handful of projects, not all of them.

Ties (two projects at the same ``ρ``, or the same votes when only one fits) are
reported as several outcomes (every order explored, as pabutools' irresolute
mode) or settled by a recorded lot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from cogov_toolkit.core.votes.ballots import BallotSet
from cogov_toolkit.core.votes.committees import MAX_LISTED
from cogov_toolkit.core.votes.params import BallotKind, Completion, Rule, RuleParams, TieBreakMethod, Utility
from cogov_toolkit.core.votes.result import ProjectFunding
from cogov_toolkit.core.votes.ties import Draw, draw_lot
from cogov_toolkit.errors import VoteError

# why a project was or was not funded (i18n keys of the result table)
FUNDED_BY_VOTES = "vote.pb.funded_by_votes"
FUNDED_BY_SHARES = "vote.pb.funded_by_shares"
FUNDED_IN_COMPLETION = "vote.pb.funded_in_completion"
FUNDED_FREE = "vote.pb.funded_free"
DID_NOT_FIT = "vote.pb.did_not_fit"
OVER_BUDGET = "vote.pb.over_budget"
SHARES_TOO_SMALL = "vote.pb.shares_too_small"
NO_VOTES = "vote.pb.no_votes"
TIED = "vote.pb.tied"
FUNDING_REASONS = (
    FUNDED_BY_VOTES,
    FUNDED_BY_SHARES,
    FUNDED_IN_COMPLETION,
    FUNDED_FREE,
    DID_NOT_FIT,
    OVER_BUDGET,
    SHARES_TOO_SMALL,
    NO_VOTES,
    TIED,
)

_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Instance:
    """A budget question: utilities and votes per distinct ballot and option, costs, the money."""

    utility: np.ndarray  # (rows, options) int: what each option is worth to the ballot (0: not supported)
    counts: np.ndarray  # (rows,) int: identical ballots per row
    votes: tuple[int, ...]  # per option: approvals or points
    costs: tuple[int, ...]
    budget: int
    options: tuple[str, ...]

    @property
    def voters(self) -> int:
        return int(self.counts.sum())


def budget_instance(ballots: BallotSet, rule: Rule, params: RuleParams, *, default_utility: Utility) -> Instance:
    """Return the budget instance of ``ballots`` under ``params`` (costs and budget required)."""
    ballots.require(rule, BallotKind.APPROVAL, BallotKind.CUMULATIVE)
    if params.quotas or params.seats is not None:
        raise VoteError("vote.bad_parameter", detail="seats / quotas do not apply to a budget")
    if params.costs is None or params.budget is None:
        raise VoteError("vote.budget_required", rule=rule.value)
    if len(params.costs) != len(ballots.options):
        raise VoteError("vote.costs_mismatch", costs=len(params.costs), options=len(ballots.options))
    data = ballots.data.astype(np.int64)
    if ballots.kind is BallotKind.CUMULATIVE:
        utility = data  # points are the utility
    elif (params.utility or default_utility) is Utility.COST:
        utility = data * np.array(params.costs, dtype=np.int64)
    else:
        utility = data
    votes = tuple(int(v) for v in ballots.counts @ data) if len(data) else (0,) * len(ballots.options)
    return Instance(utility, ballots.counts.astype(np.int64), votes, params.costs, params.budget, ballots.options)


def committee_instance(ballots: BallotSet, seats: int) -> Instance:
    """Return a committee election as a budget: every candidate costs 1, the budget is ``seats``."""
    data = ballots.data.astype(np.int64)
    votes = tuple(int(v) for v in ballots.counts @ data) if len(data) else (0,) * len(ballots.options)
    m = len(ballots.options)
    return Instance(data, ballots.counts.astype(np.int64), votes, (1,) * m, seats, ballots.options)


# --- outcomes --------------------------------------------------------------------------------------
@dataclass
class Outcome:
    """One way the count can go: projects in the order funded, how, at what price."""

    funded: list[int] = field(default_factory=list)
    how: dict[int, str] = field(default_factory=dict)
    price: dict[int, Fraction] = field(default_factory=dict)
    left_after: dict[int, Fraction] = field(default_factory=dict)

    def copy(self) -> Outcome:
        return Outcome(list(self.funded), dict(self.how), dict(self.price), dict(self.left_after))

    @property
    def key(self) -> tuple[int, ...]:
        return tuple(sorted(self.funded))


class Ties:
    """Settles or records ties met on the way: a lot (recorded) or every branch."""

    def __init__(self, params: RuleParams, options: tuple[str, ...]) -> None:
        self.params = params
        self.options = options
        self.draws: list[Draw] = []

    @property
    def by_lot(self) -> bool:
        return self.params.tie_break is TieBreakMethod.LOT

    def pick(self, tied: Sequence[int], stage: str) -> list[int]:
        """Return the branches to follow: all tied options, or the one drawn by lot."""
        tied = sorted(tied)
        if len(tied) == 1 or not self.by_lot:
            return tied
        names = tuple(self.options[i] for i in tied)
        drawn = draw_lot(self.params.seed, stage, names)
        self.draws.append(Draw(stage, names, drawn))
        return [self.options.index(drawn)]


def _cost_of(instance: Instance, funded: Sequence[int]) -> int:
    return sum(instance.costs[j] for j in funded)


# --- greedy by votes -------------------------------------------------------------------------------
def greedy(
    instance: Instance,
    ties: Ties,
    start: Outcome | None = None,
    how: str = FUNDED_BY_VOTES,
    *,
    unvoted: bool = False,
) -> list[Outcome]:
    """Fund by votes while the budget lasts, from ``start``; every tied order explored (or one by lot).

    Projects nobody voted for are left out, unless ``unvoted`` (a committee's seats are filled
    as approval voting fills them, as abcvoting's completions do).
    """
    start = start or Outcome()
    results: dict[tuple[int, ...], Outcome] = {}
    seen: set[tuple[int, ...]] = set()
    stack = [start]
    while stack:
        outcome = stack.pop()
        left = instance.budget - _cost_of(instance, outcome.funded)
        fits = [
            j
            for j in range(len(instance.options))
            if j not in outcome.how and instance.costs[j] <= left and (unvoted or instance.votes[j] > 0)
        ]
        if not fits:
            results.setdefault(outcome.key, outcome)
            if len(results) > MAX_LISTED:
                raise VoteError("vote.too_many_tied_committees", limit=MAX_LISTED)
            continue
        best = max(instance.votes[j] for j in fits)
        tied = [j for j in fits if instance.votes[j] == best]
        for j in ties.pick(tied, f"fund step {len(outcome.funded) + 1}"):
            branch = outcome.copy()
            branch.funded.append(j)
            branch.how[j] = how
            branch.left_after[j] = Fraction(left - instance.costs[j])
            if (*sorted(branch.funded), -1, *branch.funded) not in seen:
                seen.add((*sorted(branch.funded), -1, *branch.funded))
                stack.append(branch)
    return list(results.values())


# --- method of equal shares ------------------------------------------------------------------------
class _Shares:
    """The voters' money during one run of equal shares, exact (see the module docstring)."""

    def __init__(self, instance: Instance, start_share: Fraction) -> None:
        self.instance = instance
        self.b0 = start_share
        self.b0_float = float(start_share)
        self.utility = instance.utility
        self.counts = instance.counts
        self.rows = len(self.counts)
        self.spent_all = np.zeros(self.rows, dtype=bool)  # paid everything they had
        self.rhos: list[Fraction] = []  # ρ of each purchase
        self.paid: list[np.ndarray] = []  # utility each voter paid ρ for, per purchase (0: did not pay ρ·u)
        self.money = np.full(self.rows, self.b0_float)  # float copy, for ordering only

    def copy(self) -> _Shares:
        other = object.__new__(_Shares)
        other.__dict__ = {**self.__dict__}
        other.spent_all = self.spent_all.copy()
        other.rhos = list(self.rhos)
        other.paid = list(self.paid)
        other.money = self.money.copy()
        return other

    def exact_money(self, rows: np.ndarray) -> list[Fraction]:
        """Exact money of a few voters."""
        result = []
        for i in rows.tolist():
            if self.spent_all[i]:
                result.append(Fraction(0))
            else:
                result.append(
                    self.b0 - sum((rho * int(p[i]) for rho, p in zip(self.rhos, self.paid, strict=True)), Fraction(0))
                )
        return result

    def exact_sum(self, mask: np.ndarray) -> Fraction:
        """Exact total money of the voters in ``mask`` (each row counted with its multiplicity)."""
        alive = mask & ~self.spent_all
        weights = self.counts[alive]
        total = self.b0 * int(weights.sum())
        for rho, paid in zip(self.rhos, self.paid, strict=True):
            total -= rho * _dot(weights, paid[alive])
        return total

    def rho(self, j: int, supporters: np.ndarray) -> Fraction | None:
        """The lowest ρ at which the supporters of ``j`` can pay its cost, or None if they cannot."""
        cost = self.instance.costs[j]
        u = self.utility[supporters, j]
        w = self.counts[supporters]
        money = self.money[supporters]
        if float(np.dot(w, money)) < cost * (1 - _TOLERANCE):
            return None  # clearly unaffordable
        if self.exact_sum(_mask(self.rows, supporters)) < cost:
            return None
        ratio = money / u
        order = np.argsort(ratio, kind="stable")
        ratio_sorted = ratio[order]
        paid_before = np.concatenate(([0.0], np.cumsum((w * money)[order])[:-1]))
        utility_after = np.cumsum((w * u)[order][::-1])[::-1]  # utility of voters t.. (rich if the first t are poor)
        candidate = (cost - paid_before) / utility_after
        valid = np.flatnonzero(ratio_sorted >= candidate * (1 - _TOLERANCE))
        t = int(valid[0]) if len(valid) else len(order) - 1
        poor = np.zeros(len(supporters), dtype=bool)
        poor[order[:t]] = True
        # settle exactly: iterate the split until it is exact (a few voters near the boundary at most)
        for _ in range(len(supporters) + 1):
            rich_utility = _dot(w[~poor], u[~poor])
            if rich_utility == 0:
                return None
            rho = (cost - self.exact_sum(_mask(self.rows, supporters[poor]))) / rich_utility
            exact_poor = self._cannot_pay(supporters, u, money, rho)
            if (exact_poor == poor).all():
                return rho
            poor = exact_poor
        raise VoteError("vote.cannot_count")  # the split always settles; never silently wrong

    def _cannot_pay(self, supporters: np.ndarray, u: np.ndarray, money: np.ndarray, rho: Fraction) -> np.ndarray:
        """Which supporters hold less than ρ·u, exactly (floats decide only far from the boundary)."""
        rho_float = float(rho)
        gap = money - rho_float * u
        near = np.flatnonzero(np.abs(gap) <= _TOLERANCE * (self.b0_float + rho_float * u))
        poor = gap < 0
        for position, value in zip(near.tolist(), self.exact_money(supporters[near]), strict=True):
            poor[position] = value < rho * int(u[position])
        return poor

    def buy(self, j: int, supporters: np.ndarray, rho: Fraction) -> None:
        """Charge the supporters of ``j`` at ``rho``: those who cannot pay ρ·u pay all they have."""
        u = self.utility[supporters, j]
        rho_float = float(rho)
        exact_poor = self._cannot_pay(supporters, u, self.money[supporters], rho)
        rich = supporters[~exact_poor]
        paid = np.zeros(self.rows, dtype=np.int64)
        paid[rich] = self.utility[rich, j]
        self.rhos.append(rho)
        self.paid.append(paid)
        self.spent_all[supporters[exact_poor]] = True
        self.money[supporters[exact_poor]] = 0.0
        self.money[rich] = np.maximum(self.money[rich] - rho_float * u[~exact_poor], 0.0)


def _mask(rows: int, indices: np.ndarray) -> np.ndarray:
    mask = np.zeros(rows, dtype=bool)
    mask[indices] = True
    return mask


def _dot(a: np.ndarray, b: np.ndarray) -> int:
    """Exact integer dot product (Python integers once the int64 bound could overflow)."""
    if len(a) == 0:
        return 0
    if float(np.abs(a).max()) * float(np.abs(b).max()) * len(a) < 2**62:
        return int(np.dot(a, b))
    return int(np.dot(a.astype(object), b.astype(object)))


def equal_shares(
    instance: Instance,
    ties: Ties,
    start_share: Fraction,
    stop_at: int | None = None,
) -> list[Outcome]:
    """One run of equal shares with ``start_share`` per voter; every tied order (or one by lot)."""
    supporters = [np.flatnonzero(instance.utility[:, j] > 0) for j in range(len(instance.options))]
    start = Outcome()
    for j in range(len(instance.options)):
        if instance.costs[j] == 0 and len(supporters[j]):
            start.funded.append(j)  # costs nothing and someone wants it
            start.how[j] = FUNDED_FREE
            start.price[j] = Fraction(0)
    candidates = [j for j in range(len(instance.options)) if instance.costs[j] > 0 and len(supporters[j])]
    shares = _Shares(instance, start_share)
    # the lowest conceivable ρ of each project (all its supporters with their whole start share)
    lower = {
        j: Fraction(instance.costs[j], _dot(instance.counts[supporters[j]], instance.utility[supporters[j], j]))
        for j in candidates
    }
    results: dict[tuple[int, ...], Outcome] = {}
    seen: set[tuple] = set()
    branched = False
    stack = [(start, shares, lower, candidates)]
    while stack:
        outcome, shares, lower, candidates = stack.pop()
        if stop_at is not None and len(outcome.funded) >= stop_at:
            results.setdefault(outcome.key, outcome)
            continue
        lower = dict(lower)
        alive = list(candidates)
        best: Fraction | None = None
        tied: list[int] = []
        for j in sorted(alive, key=lambda j: (lower[j], j)):
            if best is not None and lower[j] > best:
                break
            rho = shares.rho(j, supporters[j])
            if rho is None:
                alive.remove(j)  # money only shrinks: it will never be affordable again
                continue
            lower[j] = rho
            if best is None or rho < best:
                best, tied = rho, [j]
            elif rho == best:
                tied.append(j)
        if best is None:
            results.setdefault(outcome.key, outcome)
            if len(results) > MAX_LISTED:
                raise VoteError("vote.too_many_tied_committees", limit=MAX_LISTED)
            continue
        branches = ties.pick(tied, f"fund step {len(outcome.funded) + 1}")
        for j in branches:
            branch = outcome.copy()
            money = shares if len(branches) == 1 else shares.copy()
            branch.funded.append(j)
            branch.how[j] = FUNDED_BY_SHARES
            u = instance.utility[supporters[j], j]
            branch.price[j] = best * int(u.max())
            money.buy(j, supporters[j], best)
            branch.left_after[j] = Fraction(instance.budget - _cost_of(instance, branch.funded))
            if len(branches) > 1 or branched:
                # tied orders often meet again in the same state: the same projects, the same money
                branched = True
                key = (branch.key, tuple(money.exact_money(np.arange(money.rows))))
                if key in seen:
                    continue
                seen.add(key)
            stack.append((branch, money, lower, [k for k in alive if k != j]))
    return list(results.values())


def exhaustive(instance: Instance, outcome: Outcome) -> bool:
    """True when no unfunded project with votes fits in what is left of the budget."""
    left = instance.budget - _cost_of(instance, outcome.funded)
    return not any(
        instance.costs[j] <= left and instance.votes[j] > 0
        for j in range(len(instance.options))
        if j not in outcome.how
    )


def equal_shares_with_completion(
    instance: Instance,
    ties: Ties,
    completion: Completion,
    *,
    committee: bool = False,
) -> list[Outcome]:
    """Equal shares, then the completion; every outcome (REPORT) or the one the lots give."""
    voters = instance.voters
    if voters == 0:
        return [Outcome()]
    stop_at = instance.budget if committee else None
    share = Fraction(instance.budget, voters)
    outcomes = equal_shares(instance, ties, share, stop_at)
    if completion is Completion.ADD_ONE:
        if committee:
            # abcvoting's increment completion: one more virtual seat at a time, until the seats fill
            seats = instance.budget
            extra = 1
            # fewer approved candidates than seats: no budget fills them (abcvoting then fills as AV does)
            approved = sum(1 for v in instance.votes if v > 0)
            while approved >= seats and not any(len(o.funded) >= seats for o in outcomes) and extra <= seats * voters:
                outcomes = equal_shares(instance, ties, Fraction(seats + extra, voters), stop_at)
                extra += 1
        else:
            # pabutools / equalshares.net "add1": one more unit of money per voter while within budget
            step = 1
            while not any(exhaustive(instance, o) for o in outcomes):
                more = equal_shares(instance, ties, share + step, stop_at)
                if any(_cost_of(instance, o.funded) > instance.budget for o in more):
                    break
                outcomes = more
                step += 1
    if completion is Completion.NONE:
        return outcomes
    completed: dict[tuple[int, ...], Outcome] = {}
    for outcome in outcomes:
        for done in greedy(instance, ties, outcome, how=FUNDED_IN_COMPLETION, unvoted=committee):
            completed.setdefault(done.key, done)
    return list(completed.values())


# --- the result table ------------------------------------------------------------------------------
def funding_table(instance: Instance, outcomes: list[Outcome], shares_rule: bool) -> tuple[ProjectFunding, ...]:
    """One row per project explaining the first outcome; projects funded in only some outcomes are tied."""
    first = sorted(outcomes, key=lambda o: o.key)[0]
    everywhere = set.intersection(*(set(o.funded) for o in outcomes))
    somewhere = set().union(*(set(o.funded) for o in outcomes))
    rows = []
    left = Fraction(instance.budget)
    step_of = {j: n + 1 for n, j in enumerate(first.funded)}
    for j, project in enumerate(instance.options):
        cost, votes = instance.costs[j], instance.votes[j]
        if j in somewhere and j not in everywhere:
            reason = TIED
        elif j in first.how:
            reason = first.how[j]
        elif votes == 0:
            reason = NO_VOTES
        elif cost > instance.budget:
            reason = OVER_BUDGET
        elif shares_rule and not exhaustive_for(instance, first, j):
            reason = SHARES_TOO_SMALL
        else:
            reason = DID_NOT_FIT
        funded = j in first.how
        rows.append(
            ProjectFunding(
                project=project,
                cost=cost,
                votes=votes,
                funded=funded,
                reason=reason,
                step=step_of.get(j),
                budget_left=_plain(
                    first.left_after.get(j, left - _cost_of(instance, first.funded))
                    if funded
                    else left - _cost_of(instance, first.funded)
                ),
                per_voter=first.price.get(j),
            )
        )
    return tuple(rows)


def exhaustive_for(instance: Instance, outcome: Outcome, j: int) -> bool:
    """True when project ``j`` does not fit in what the outcome leaves (so money, not shares, kept it out)."""
    return instance.costs[j] > instance.budget - _cost_of(instance, outcome.funded)


def _plain(value: Fraction) -> int | Fraction:
    return int(value) if value.denominator == 1 else value


__all__ = [
    "FUNDING_REASONS",
    "Instance",
    "Outcome",
    "Ties",
    "budget_instance",
    "committee_instance",
    "greedy",
    "equal_shares",
    "equal_shares_with_completion",
    "exhaustive",
    "funding_table",
]
