"""One module per counting rule, one verb-named function per module, all with one signature.

Every rule is ``count_<rule>(ballots: BallotSet, params: RuleParams = DEFAULT_PARAMS) -> VoteResult``:
pure (no I/O, no clock, no randomness beyond the seeded lot), it reads from
``params`` what applies to it and raises :class:`VoteError` for ballots of the
wrong kind or a missing parameter. :data:`RULES` maps each :class:`Rule` to its
function, so callers (and tests) can loop over every rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from cogov_toolkit.core.votes.ballots import BallotSet
from cogov_toolkit.core.votes.params import Rule, RuleParams
from cogov_toolkit.core.votes.result import VoteResult
from cogov_toolkit.core.votes.rules.approval import count_approval
from cogov_toolkit.core.votes.rules.block import count_block
from cogov_toolkit.core.votes.rules.borda import count_borda
from cogov_toolkit.core.votes.rules.civil_code_278 import count_civil_code_278
from cogov_toolkit.core.votes.rules.equal_shares import count_equal_shares
from cogov_toolkit.core.votes.rules.instant_runoff import count_instant_runoff
from cogov_toolkit.core.votes.rules.pav import count_pav
from cogov_toolkit.core.votes.rules.pb_equal_shares import count_pb_equal_shares
from cogov_toolkit.core.votes.rules.pb_greedy import count_pb_greedy
from cogov_toolkit.core.votes.rules.plurality import count_plurality
from cogov_toolkit.core.votes.rules.representatives import count_representatives
from cogov_toolkit.core.votes.rules.schulze import count_schulze
from cogov_toolkit.core.votes.rules.score import count_score
from cogov_toolkit.core.votes.rules.stv import count_stv
from cogov_toolkit.core.votes.rules.yes_no_abstain import count_yes_no_abstain

#: the shared signature of every rule
CountRule = Callable[[BallotSet, RuleParams], VoteResult]

#: every rule, by its code
RULES: Mapping[Rule, CountRule] = MappingProxyType(
    {
        Rule.YES_NO_ABSTAIN: count_yes_no_abstain,
        Rule.PLURALITY: count_plurality,
        Rule.APPROVAL: count_approval,
        Rule.BORDA: count_borda,
        Rule.INSTANT_RUNOFF: count_instant_runoff,
        Rule.SCHULZE: count_schulze,
        Rule.SCORE: count_score,
        Rule.CIVIL_CODE_278: count_civil_code_278,
        Rule.REPRESENTATIVES: count_representatives,
        Rule.BLOCK: count_block,
        Rule.STV: count_stv,
        Rule.PAV: count_pav,
        Rule.EQUAL_SHARES: count_equal_shares,
        Rule.PB_GREEDY: count_pb_greedy,
        Rule.PB_EQUAL_SHARES: count_pb_equal_shares,
    }
)

__all__ = [
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
]
