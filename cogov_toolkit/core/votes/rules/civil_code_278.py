"""Owners' decisions under PRC Civil Code Art. 278 (业主共同决定).

The article (in force 2021-01-01) sets two double thresholds:

* participation: owners holding **at least 2/3** of the exclusive floor area and
  **at least 2/3** of the owners take part ("三分之二以上", threshold included);
* approval, of those taking part: **at least 3/4** of their area and of their
  number for items 6–8 (raising maintenance funds; rebuilding; changing the use
  of common parts or running a business on them), otherwise **more than half**
  ("过半数", strictly) of both.

The :class:`~cogov_toolkit.core.votes.params.CivilCodeMatter` picks the approval
threshold; neither threshold can be changed. Abstaining owners take part and do
not approve. How owners and areas are counted (one per exclusive unit, one for
all units of a buyer, one for the developer's unsold units; registered, else
surveyed, else contract area — SPC interpretation on 建筑物区分所有权, Arts. 8–9)
is done when ballots are screened against the roll; here each ballot row is one
owner with their area. All four figures are reported against their thresholds,
in exact arithmetic (areas in 1/10 000 m²).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from cogov_toolkit.core.votes.ballots import AREA_SCALE, BallotSet
from cogov_toolkit.core.votes.params import (
    AT_LEAST_TWO_THIRDS,
    DEFAULT_PARAMS,
    BallotKind,
    Rule,
    RuleParams,
)
from cogov_toolkit.core.votes.result import ThresholdCheck, VoteResult, finish_result
from cogov_toolkit.core.votes.rules.yes_no_abstain import tally_yes_no_abstain
from cogov_toolkit.errors import VoteError


def count_civil_code_278(ballots: BallotSet, params: RuleParams = DEFAULT_PARAMS) -> VoteResult:
    """Decide an owners' matter by Art. 278: participation and approval by area and by headcount.

    Parameters
    ----------
    ballots : BallotSet
        ``yes_no_abstain`` ballots of owners, one row per owner with their area, and the
        roll totals (owners and area), as :func:`screen_ballots` makes for ``Electorate.OWNERS``.
    params : RuleParams
        ``matter`` is required; ``quorum`` and ``majority`` must be left unset (the law fixes them).

    Returns
    -------
    VoteResult
        ``passed``; ``checks``: participating area, participating owners, approving area,
        approving owners, each against its threshold; ``scores``: owners for yes, no,
        abstain; ``weighted_scores``: their area in m².
    """
    ballots.require(Rule.CIVIL_CODE_278, BallotKind.YES_NO_ABSTAIN, weighted=True)
    if params.matter is None:
        raise VoteError("vote.matter_required")
    if params.quorum is not None or params.majority is not None:
        raise VoteError("vote.fixed_by_law")
    yes, no, abstain = tally_yes_no_abstain(ballots)
    areas = np.zeros(3, dtype=np.int64)
    np.add.at(areas, ballots.data[:, 0], ballots.counts * ballots.area)
    yes_area, no_area, abstain_area = (int(a) for a in areas)
    part_owners = yes + no + abstain
    part_area = yes_area + no_area + abstain_area
    roll = ballots.roll
    approval = params.matter.approval

    def m2(units: int) -> Fraction:
        return Fraction(units, AREA_SCALE)

    checks = (
        ThresholdCheck(
            "vote.check.participation_area",
            m2(part_area),
            m2(roll.area),
            AT_LEAST_TWO_THIRDS,
            AT_LEAST_TWO_THIRDS.met(part_area, roll.area),
        ),
        ThresholdCheck(
            "vote.check.participation_owners",
            part_owners,
            roll.voters,
            AT_LEAST_TWO_THIRDS,
            AT_LEAST_TWO_THIRDS.met(part_owners, roll.voters),
        ),
        ThresholdCheck(
            "vote.check.approval_area", m2(yes_area), m2(part_area), approval, approval.met(yes_area, part_area)
        ),
        ThresholdCheck("vote.check.approval_owners", yes, part_owners, approval, approval.met(yes, part_owners)),
    )
    passed = all(c.met for c in checks)
    notes = ("vote.note.units_missing_area",) if roll.units_missing_area else ()
    return finish_result(
        ballots,
        Rule.CIVIL_CODE_278,
        params,
        winners=ballots.options[:1] if passed else (),
        scores=tuple(zip(ballots.options, (yes, no, abstain), strict=True)),
        weighted_scores=tuple(zip(ballots.options, (m2(yes_area), m2(no_area), m2(abstain_area)), strict=True)),
        passed=passed,
        checks=checks,
        notes=notes,
    )
