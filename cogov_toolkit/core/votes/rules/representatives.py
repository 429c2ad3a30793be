"""居民代表会议 (resident representatives' meeting): a quorum of members, then a majority of those present.

Defaults follow common practice: at least 2/3 of the members present, and more
than half of those present approving (abstainers are present and do not
approve). Local rules differ, so both thresholds are parameters. Members
present are ``ballots.roll.present`` when the attendance was recorded apart
from the ballots (someone present may cast no ballot), else the ballots cast.
"""

from __future__ import annotations

from cogov_toolkit.core.votes.ballots import BallotSet
from cogov_toolkit.core.votes.params import (
    AT_LEAST_TWO_THIRDS,
    DEFAULT_PARAMS,
    MORE_THAN_HALF,
    BallotKind,
    Rule,
    RuleParams,
)
from cogov_toolkit.core.votes.result import ThresholdCheck, VoteResult, finish_result
from cogov_toolkit.core.votes.rules.yes_no_abstain import tally_yes_no_abstain
from cogov_toolkit.errors import VoteError


def count_representatives(ballots: BallotSet, params: RuleParams = DEFAULT_PARAMS) -> VoteResult:
    """Decide one proposal at a representatives' meeting.

    Parameters
    ----------
    ballots : BallotSet
        ``yes_no_abstain`` ballots of members, with the roll of members (``roll.voters``).
    params : RuleParams
        ``quorum`` (default at least 2/3 of members present) and ``majority``
        (default more than half of those present) apply.

    Returns
    -------
    VoteResult
        ``passed``, ``checks``: quorum and approval; ``scores``: yes, no, abstain.
    """
    ballots.require(Rule.REPRESENTATIVES, BallotKind.YES_NO_ABSTAIN)
    if ballots.roll is None:
        raise VoteError("vote.roll_required", rule=Rule.REPRESENTATIVES.value)
    yes, no, abstain = tally_yes_no_abstain(ballots)
    cast = yes + no + abstain
    present = cast if ballots.roll.present is None else ballots.roll.present
    if present < cast or present > ballots.roll.voters:
        raise VoteError("vote.bad_attendance", present=present, cast=cast, members=ballots.roll.voters)
    quorum = params.quorum or AT_LEAST_TWO_THIRDS
    majority = params.majority or MORE_THAN_HALF
    members = ballots.roll.voters
    checks = (
        ThresholdCheck("vote.check.quorum", present, members, quorum, quorum.met(present, members)),
        ThresholdCheck("vote.check.approval", yes, present, majority, majority.met(yes, present)),
    )
    passed = all(c.met for c in checks)
    return finish_result(
        ballots,
        Rule.REPRESENTATIVES,
        params,
        winners=ballots.options[:1] if passed else (),
        scores=tuple(zip(ballots.options, (yes, no, abstain), strict=True)),
        passed=passed,
        checks=checks,
    )
