"""Counting votes: screening ballots against the roll, and the counting rules.

Pure (stdlib, numpy, pandas): no notebook, map or storage code, so every rule can
be tested and benchmarked on its own.

The shape of a count::

    ballots = screen_ballots(raw_ballots, roll, options, Electorate.HOUSEHOLDS, kind=BallotKind.RANKING)
    result = count_instant_runoff(ballots, RuleParams())          # or count(ballots, "instant_runoff")
    result.winners          # ("口袋花园",) — two or more means a tie, listed, never broken silently
    result.set_aside_counts # {"vote.set_aside.duplicate": 3, ...}
    recount(ballots, result.audit) == result

Every rule has the signature ``count_<rule>(ballots: BallotSet, params: RuleParams =
DEFAULT_PARAMS) -> VoteResult`` (see :mod:`.rules`), returns a frozen
:class:`VoteResult` and reads from :class:`RuleParams` only what applies to it.
"""

from __future__ import annotations

# ballots and screening
from cogov_toolkit.core.votes.ballots import AREA_SCALE, BallotSet, RawBallot, RollTotals, SetAside

# options and parameters
from cogov_toolkit.core.votes.params import (
    AT_LEAST_THREE_QUARTERS,
    AT_LEAST_TWO_THIRDS,
    DEFAULT_PARAMS,
    MORE_THAN_HALF,
    BallotKind,
    CivilCodeMatter,
    Completion,
    DuplicatePolicy,
    Electorate,
    Quota,
    Rule,
    RuleParams,
    Threshold,
    TieBreakMethod,
    Utility,
)

# counting and recounting
from cogov_toolkit.core.votes.recount import count, recount

# results
from cogov_toolkit.core.votes.result import Audit, IrvRound, ProjectFunding, StvRound, ThresholdCheck, VoteResult
from cogov_toolkit.core.votes.rules import (
    RULES,
    CountRule,
    count_approval,
    count_block,
    count_borda,
    count_civil_code_278,
    count_equal_shares,
    count_instant_runoff,
    count_pav,
    count_pb_equal_shares,
    count_pb_greedy,
    count_plurality,
    count_representatives,
    count_schulze,
    count_score,
    count_stv,
    count_yes_no_abstain,
)
from cogov_toolkit.core.votes.screening import (
    SET_ASIDE_REASONS,
    YES_NO_ABSTAIN_OPTIONS,
    ChannelPrecedence,
    ChannelScreening,
    Subtotal,
    screen_ballots,
    screen_channels,
)
from cogov_toolkit.core.votes.ties import Draw, TieBreak, draw_lot

__all__ = [
    # options and parameters
    "Rule",
    "BallotKind",
    "Electorate",
    "TieBreakMethod",
    "DuplicatePolicy",
    "CivilCodeMatter",
    "Completion",
    "Utility",
    "Quota",
    "Threshold",
    "MORE_THAN_HALF",
    "AT_LEAST_TWO_THIRDS",
    "AT_LEAST_THREE_QUARTERS",
    "RuleParams",
    "DEFAULT_PARAMS",
    # ballots and screening
    "AREA_SCALE",
    "RawBallot",
    "SetAside",
    "RollTotals",
    "BallotSet",
    "YES_NO_ABSTAIN_OPTIONS",
    "SET_ASIDE_REASONS",
    "screen_ballots",
    "ChannelPrecedence",
    "ChannelScreening",
    "Subtotal",
    "screen_channels",
    # rules
    "CountRule",
    "RULES",
    "count_yes_no_abstain",
    "count_plurality",
    "count_approval",
    "count_borda",
    "count_instant_runoff",
    "count_schulze",
    "count_score",
    "count_civil_code_278",
    "count_representatives",
    "count_block",
    "count_stv",
    "count_pav",
    "count_equal_shares",
    "count_pb_greedy",
    "count_pb_equal_shares",
    # results, ties, audit
    "VoteResult",
    "IrvRound",
    "StvRound",
    "ProjectFunding",
    "ThresholdCheck",
    "Audit",
    "TieBreak",
    "Draw",
    "draw_lot",
    "count",
    "recount",
    # errors
]
