"""赞成/反对/弃权 on one proposal: the commonest vote in a community.

Everyone who returns a ballot takes part, abstainers included; the proposal
passes when the "yes" ballots reach the majority threshold *of those taking
part* (default: more than half), so an abstention weighs like a "no" against
the threshold. A quorum, as a share of the households on the roll, is checked
only when one is given (e.g. ``Threshold.more_than(Fraction(1, 2))`` for a
居民会议 of household representatives).
"""

from __future__ import annotations

import numpy as np

from cogov_toolkit.core.votes.ballots import BallotSet
from cogov_toolkit.core.votes.params import DEFAULT_PARAMS, MORE_THAN_HALF, BallotKind, Rule, RuleParams
from cogov_toolkit.core.votes.result import ThresholdCheck, VoteResult, finish_result
from cogov_toolkit.errors import VoteError


def count_yes_no_abstain(ballots: BallotSet, params: RuleParams = DEFAULT_PARAMS) -> VoteResult:
    """Decide one proposal by yes / no / abstain ballots.

    Parameters
    ----------
    ballots : BallotSet
        ``yes_no_abstain`` ballots (options in the order yes, no, abstain).
    params : RuleParams
        ``majority`` (default more than half of participants) and ``quorum``
        (default none; a share of ``ballots.roll.voters``) apply.

    Returns
    -------
    VoteResult
        ``passed``, ``checks`` (quorum if asked, approval), ``scores``: yes, no, abstain.
    """
    ballots.require(Rule.YES_NO_ABSTAIN, BallotKind.YES_NO_ABSTAIN)
    yes, no, abstain = tally_yes_no_abstain(ballots)
    taking_part = yes + no + abstain
    checks = []
    if params.quorum is not None:
        if ballots.roll is None:
            raise VoteError("vote.roll_required", rule=Rule.YES_NO_ABSTAIN.value)
        electorate = ballots.roll.voters
        checks.append(
            ThresholdCheck(
                "vote.check.quorum", taking_part, electorate, params.quorum, params.quorum.met(taking_part, electorate)
            )
        )
    majority = params.majority or MORE_THAN_HALF
    checks.append(ThresholdCheck("vote.check.approval", yes, taking_part, majority, majority.met(yes, taking_part)))
    passed = all(c.met for c in checks)
    return finish_result(
        ballots,
        Rule.YES_NO_ABSTAIN,
        params,
        winners=ballots.options[:1] if passed else (),
        scores=tuple(zip(ballots.options, (yes, no, abstain), strict=True)),
        passed=passed,
        checks=tuple(checks),
    )


def tally_yes_no_abstain(ballots: BallotSet) -> tuple[int, int, int]:
    """Return the ballots (owner votes: owners) for yes, no and abstain."""
    tally = np.zeros(3, dtype=np.int64)
    np.add.at(tally, ballots.data[:, 0], ballots.counts)
    return int(tally[0]), int(tally[1]), int(tally[2])
