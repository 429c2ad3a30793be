"""What a count returns: one frozen result, the same shape for every rule.

``winners`` is always a tuple: one option is a clear result, several are a tie,
listed as such (a lot is drawn only when the caller asked for one, and then
``tie_break`` records it). Rule-specific detail sits in fields that other rules
leave empty: ``rounds`` (instant runoff), ``pairwise`` and ``strongest_paths``
(Schulze), ``checks`` and ``passed`` (decisions with thresholds). Every number is
an exact int or Fraction, so two results compare equal exactly when they are the
same, which is what :func:`~cogov_toolkit.core.votes.recount.recount` relies on.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from cogov_toolkit.core.votes.ballots import BallotSet, RollTotals, SetAside
from cogov_toolkit.core.votes.params import Rule, RuleParams, Threshold
from cogov_toolkit.core.votes.ties import TieBreak

if TYPE_CHECKING:
    import pandas as pd

Number = int | Fraction


@dataclass(frozen=True)
class ThresholdCheck:
    """One figure against its threshold, e.g. participating area 6 700 of 10 000 m² against ≥ 2/3.

    ``name`` is an i18n key (``vote.check.<x>``) naming the figure.
    """

    name: str
    value: Number
    of: Number
    threshold: Threshold
    met: bool

    @property
    def share(self) -> Fraction | None:
        """``value / of`` exactly (None when ``of`` is 0)."""
        return Fraction(self.value) / Fraction(self.of) if self.of else None


@dataclass(frozen=True)
class IrvRound:
    """One round of an instant-runoff count.

    Parameters
    ----------
    number : int
        1 for the first round.
    tallies : tuple of (option, votes)
        Ballots whose highest continuing choice is each continuing option.
    exhausted : int
        Ballots with no continuing option left (truncated rankings).
    elected : tuple of str
        The option holding a majority of continuing ballots (or the last one left).
    eliminated : tuple of str
        Options eliminated after this round (several only when all had no votes).
    tied_for_last : tuple of str
        Options tied for fewest votes. Without a lot the count stops here and
        ``branch_winners`` says who wins if each of them is eliminated.
    branch_winners : tuple of (option, winners)
        For an unbroken tie for last: the winners when that option is eliminated.
    """

    number: int
    tallies: tuple[tuple[str, int], ...]
    exhausted: int = 0
    elected: tuple[str, ...] = ()
    eliminated: tuple[str, ...] = ()
    tied_for_last: tuple[str, ...] = ()
    branch_winners: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class StvRound:
    """One stage of a single-transferable-vote count, as on an official result sheet.

    Parameters
    ----------
    number : int
        1 for the first preferences.
    action : str
        What the stage did: ``"first"`` (first preferences), ``"surplus"`` (a surplus
        transferred), ``"exclusion"`` (an excluded candidate's ballots transferred) or
        ``"remaining"`` (as many continuing candidates as seats left: all elected).
    source : str, optional
        The candidate whose surplus or ballots were transferred.
    transfer_value : Fraction, optional
        Surplus stages: surplus / votes of the candidate (each ballot moves at its value times this).
    tallies : tuple of (option, Fraction)
        Votes of every candidate after the stage (elected ones keep the quota once their surplus went).
    non_transferable : Fraction
        Votes of ballots with no continuing preference left, cumulated (with truncation losses
        when ``decimals`` is set).
    elected : tuple of str
        Candidates elected at this stage, in the order they reached the quota.
    excluded : tuple of str
        The candidate excluded at this stage.
    tied : tuple of str
        Candidates tied at this stage (for fewest votes, or for the largest surplus).
        Without a lot the count stops here and the result lists every outcome.
    """

    number: int
    action: str
    tallies: tuple[tuple[str, Fraction], ...]
    non_transferable: Fraction = Fraction(0)
    source: str | None = None
    transfer_value: Fraction | None = None
    elected: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    tied: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProjectFunding:
    """One row of a participatory budget's result table: a project, and why it was or was not funded.

    Parameters
    ----------
    project : str
        The option.
    cost : int
        Its cost, in the unit of the budget.
    votes : int
        Approvals (approval ballots) or points (cumulative ballots).
    funded : bool
        Funded in the outcome the table explains (see ``reason`` for a tie).
    reason : str
        i18n key ``vote.pb.<x>``: why (funded by votes / by equal shares / in the completion,
        did not fit the money left, its supporters' shares could not pay, tied, no votes, …).
    step : int, optional
        Funded projects: the order in which they were funded (1 first).
    budget_left : int or Fraction, optional
        Money left after this project was funded, or when it was passed over.
    per_voter : Fraction, optional
        Equal shares: the most one supporter paid for it (approval ballots, cost utility: all
        supporters who could pay paid this much).
    """

    project: str
    cost: int
    votes: int
    funded: bool
    reason: str
    step: int | None = None
    budget_left: Number | None = None
    per_voter: Fraction | None = None


@dataclass(frozen=True)
class Audit:
    """What a stored result keeps to prove it: the ballots' digest, the rule, its parameters, the version.

    Recounting the stored ballots with :func:`~cogov_toolkit.core.votes.recount.recount`
    under this record reproduces the result exactly.
    """

    digest: str
    rule: Rule
    params: str
    version: str

    def to_json(self) -> str:
        """Return the record as canonical JSON text."""
        data = {"digest": self.digest, "rule": self.rule.value, "params": self.params, "version": self.version}
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Audit:
        """Rebuild the record from :meth:`to_json` text."""
        data = json.loads(text)
        return cls(data["digest"], Rule(data["rule"]), data["params"], data["version"])

    @property
    def rule_params(self) -> RuleParams:
        """The parameters the count ran with."""
        return RuleParams.from_json(self.params)


@dataclass(frozen=True, kw_only=True)
class VoteResult:
    """The result of counting one vote by one rule.

    Parameters
    ----------
    rule : Rule
        The rule that counted.
    options : tuple of str
        The options, as on the ballot.
    winners : tuple of str
        The winning options; more than one is a tie, reported as such. Decisions
        (``yes_no_abstain``, ``civil_code_278``, ``representatives``) list the
        "yes" option when the proposal passed and nothing when it did not.
    scores : tuple of (option, number)
        The rule's tally per option: votes, approvals, points, first-round votes
        (instant runoff), Schulze wins (options beaten by strongest path), or ballots
        (decisions: yes, no, abstain; for owner votes the number of owners).
    ballots_counted : int
        Valid ballots counted (owner votes: owners).
    set_aside : tuple of SetAside
        Ballots not counted, each with its reason.
    audit : Audit
        Digest of the ballots, rule, parameters and toolkit version.
    passed : bool, optional
        Decisions only: whether every check was met.
    checks : tuple of ThresholdCheck
        Decisions only: each figure against its threshold (owner votes: all four).
    weighted_scores : tuple of (option, Fraction)
        Owner votes: floor area (m², exact) behind each of yes, no, abstain.
    rounds : tuple of IrvRound
        Instant runoff: the count round by round.
    pairwise : tuple of tuple of int
        Schulze: ``pairwise[i][j]`` ballots rank option i above option j.
    strongest_paths : tuple of tuple of int
        Schulze: strength of the strongest path from i to j (0: none), over margins.
    tie_break : TieBreak, optional
        The lot(s) drawn, when the caller asked for one and a tie needed it.
    roll : RollTotals, optional
        The size of the roll the ballots were checked against.
    notes : tuple of str
        i18n keys (``vote.note.<x>``) of things the report must mention.
    seats : int, optional
        Multi-winner rules: the seats filled (budgets: None; the budget decides).
    contested : tuple of str
        Multi-winner and budget rules: options elected (funded) in some but not every tied
        outcome; empty when the result is clear. ``winners`` then holds only the options
        elected in every outcome.
    committees : tuple of tuple of str
        Multi-winner and budget rules: every winning committee (funded set), each in ballot
        order; one when the result is clear, several for a tie (block ties with more than
        10 000 combinations are not listed: see ``contested`` and the note).
    stv_rounds : tuple of StvRound
        ``stv``: the count stage by stage.
    funding : tuple of ProjectFunding
        Budgets: one row per project, why it was or was not funded.
    budget : int, optional
        Budgets: the money available.
    """

    rule: Rule
    options: tuple[str, ...]
    winners: tuple[str, ...]
    scores: tuple[tuple[str, Number], ...]
    ballots_counted: int
    set_aside: tuple[SetAside, ...]
    audit: Audit
    passed: bool | None = None
    checks: tuple[ThresholdCheck, ...] = ()
    weighted_scores: tuple[tuple[str, Fraction], ...] = ()
    rounds: tuple[IrvRound, ...] = ()
    pairwise: tuple[tuple[int, ...], ...] = ()
    strongest_paths: tuple[tuple[int, ...], ...] = ()
    tie_break: TieBreak | None = None
    roll: RollTotals | None = None
    notes: tuple[str, ...] = ()
    seats: int | None = None
    contested: tuple[str, ...] = ()
    committees: tuple[tuple[str, ...], ...] = ()
    stv_rounds: tuple[StvRound, ...] = ()
    funding: tuple[ProjectFunding, ...] = ()
    budget: int | None = None

    @property
    def tied(self) -> bool:
        """True when the result is a tie: several joint winners, or several winning committees."""
        if self.committees or self.contested:
            return bool(self.contested)
        return len(self.winners) > 1

    @property
    def spent(self) -> int | None:
        """Budgets: the cost of the projects funded in the outcome the table explains."""
        if self.budget is None:
            return None
        return sum(row.cost for row in self.funding if row.funded)

    def funding_frame(self) -> pd.DataFrame:
        """Return the budget's result table (project, cost, votes, funded, reason, step, budget left)."""
        import pandas as pd

        columns = ["project", "cost", "votes", "funded", "reason", "step", "budget_left", "per_voter"]
        return pd.DataFrame([[getattr(row, c) for c in columns] for row in self.funding], columns=columns)

    @property
    def set_aside_counts(self) -> dict[str, int]:
        """Set-aside ballots per reason key (``vote.set_aside.<x>``), most frequent first."""
        return dict(Counter(s.reason for s in self.set_aside).most_common())

    def score_of(self, option: str) -> Number:
        """Return the score of ``option``."""
        return dict(self.scores)[option]

    def to_frame(self) -> pd.DataFrame:
        """Return the scores as a table (option, score, winner), in ballot order."""
        import pandas as pd

        winners = set(self.winners)
        return pd.DataFrame(
            {
                "option": [o for o, _ in self.scores],
                "score": [s for _, s in self.scores],
                "winner": [o in winners for o, _ in self.scores],
            }
        )


def finish_result(
    ballots: BallotSet,
    rule: Rule,
    params: RuleParams,
    *,
    winners: Sequence[str],
    scores: Sequence[tuple[str, Number]],
    **details: Any,
) -> VoteResult:
    """Return the VoteResult of a rule, with the audit record, roll and set-aside ballots attached."""
    from cogov_toolkit import __version__

    audit = Audit(ballots.digest, Rule(rule), params.to_json(), __version__)
    return VoteResult(
        rule=Rule(rule),
        options=ballots.options,
        winners=tuple(winners),
        scores=tuple(scores),
        ballots_counted=ballots.n_ballots,
        set_aside=ballots.set_aside,
        audit=audit,
        roll=ballots.roll,
        **details,
    )


__all__ = ["Number", "ThresholdCheck", "IrvRound", "StvRound", "ProjectFunding", "Audit", "VoteResult", "finish_result"]
