"""Counting by rule code, and recounting stored ballots against a stored audit record.

A stored result keeps its :class:`~cogov_toolkit.core.votes.result.Audit`; the
stored ballots (``BallotSet.to_json``) recount under that record to the very same
result, or the recount refuses because the ballots are not the ones counted.
"""

from __future__ import annotations

from cogov_toolkit.core.votes.ballots import BallotSet
from cogov_toolkit.core.votes.params import DEFAULT_PARAMS, Rule, RuleParams
from cogov_toolkit.core.votes.result import Audit, VoteResult
from cogov_toolkit.core.votes.rules import RULES
from cogov_toolkit.errors import VoteError


def count(ballots: BallotSet, rule: Rule | str, params: RuleParams = DEFAULT_PARAMS) -> VoteResult:
    """Count ``ballots`` by the rule with code ``rule`` (a :class:`Rule` or its ``vote_rule`` code)."""
    try:
        rule = Rule(rule)
    except ValueError:
        raise VoteError("vote.unknown_rule", rule=str(rule), rules="、".join(r.value for r in Rule)) from None
    return RULES[rule](ballots, params)


def recount(ballots: BallotSet, audit: Audit) -> VoteResult:
    """Count the stored ``ballots`` again under the stored ``audit`` record.

    Raises
    ------
    VoteError
        ``vote.digest_mismatch`` when the ballots are not those the audit was made from.
    """
    if ballots.digest != audit.digest:
        raise VoteError("vote.digest_mismatch", expected=audit.digest[:12], found=ballots.digest[:12])
    return count(ballots, audit.rule, audit.rule_params)


__all__ = ["count", "recount"]
