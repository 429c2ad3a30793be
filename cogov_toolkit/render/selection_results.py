"""Showing a selection with several winners: the STV count stage by stage, as an official result sheet prints it.

Takes a counted :class:`~cogov_toolkit.core.votes.VoteResult` (never a Workspace). The
table holds aggregates only: votes per candidate at each stage, no ballot, no voter.
Candidates' names are resident text; callers turn the frame into HTML with
``escape=True``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

import pandas as pd

from cogov_toolkit import i18n

if TYPE_CHECKING:
    from cogov_toolkit.core.votes import VoteResult


def _votes(value: Fraction | int) -> str:
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.2f}"


def stage_title(number: int, action: str, source: str | None) -> str:
    """Return the heading of one stage: 第 2 阶段：转移张三的盈余."""
    what = i18n.t(f"vote.stv.{action}", source=source or "")
    return i18n.t("selection.stage", number=number, what=what)


def stv_table(result: VoteResult) -> pd.DataFrame:
    """Return the STV count as a table: one row per candidate (then non-transferable votes), one column per stage.

    Each cell is the candidate's votes after the stage (exact values to 2 decimals); the last
    row says who was elected or excluded at that stage. Empty for a result without stages.
    """
    if not result.stv_rounds:
        return pd.DataFrame()
    candidate = i18n.t("selection.candidate")
    rows = [*result.options, i18n.t("selection.non_transferable"), i18n.t("selection.stage_outcome")]
    table: dict[str, list[str]] = {candidate: rows}
    for stage in result.stv_rounds:
        tallies = dict(stage.tallies)
        outcome = [i18n.t("selection.elected_at", names="、".join(stage.elected))] if stage.elected else []
        if stage.excluded:
            outcome.append(i18n.t("selection.excluded_at", names="、".join(stage.excluded)))
        if stage.tied:
            outcome.append(i18n.t("selection.tied_at", names="、".join(stage.tied)))
        column = [_votes(tallies[o]) for o in result.options] + [_votes(stage.non_transferable), "；".join(outcome)]
        table[stage_title(stage.number, stage.action, stage.source)] = column
    return pd.DataFrame(table)


def elected_line(result: VoteResult) -> str:
    """Return "当选（5 名）：A、B、C" — with the candidates tied for the last seats when there is a tie."""
    text = i18n.t(
        "selection.elected_line",
        seats=result.seats,
        winners="、".join(result.winners) or i18n.t("vote_notice.no_winner"),
    )
    if result.contested:
        text += i18n.t("selection.notice.contested", options="、".join(result.contested))
    return text


__all__ = ["stv_table", "stage_title", "elected_line"]
