"""Evaluation statistics: per-item means with 95% t intervals, pre → post changes, building figures.

Pure numpy/pandas over a frame of responses (one row per response, one column
per question); no files, no workspace.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.privacy import PublicationGate
from cogov_toolkit.core.questionnaire import (
    Questionnaire,
    QuestionType,
    collapse_likert,
    likert_score,
)

if TYPE_CHECKING:
    pass


MIN_RESPONDENTS = 5  # a building figure from fewer people could point at a household


def t_quantile_975(df: float) -> float:
    """Return the 0.975 quantile of Student's t with ``df`` degrees of freedom.

    A table up to 30; beyond, the Cornish-Fisher expansion around the normal
    quantile (error below 1e-4 there), so no scipy is needed.
    """
    if df < 1:
        return math.nan
    if df <= 30 and float(df).is_integer():
        return _T975[int(df) - 1]
    if df <= 30:  # Welch's fractional df: interpolate between table rows
        low = _T975[int(df) - 1]
        high = _T975[min(int(df), 29)]
        return low + (high - low) * (df - int(df))
    z = _Z975
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )


@dataclass(frozen=True)
class MeanCI:
    """A mean with its 95 % confidence interval (t-distribution)."""

    n: int
    mean: float
    low: float
    high: float


def mean_ci(values: Iterable[float]) -> MeanCI:
    """Return the mean of ``values`` with a 95 % t-interval (NaN bounds for fewer than 2 values)."""
    data = np.asarray([v for v in values if v is not None and not pd.isna(v)], dtype=float)
    if data.size == 0:
        return MeanCI(0, math.nan, math.nan, math.nan)
    mean = float(data.mean())
    if data.size < 2:
        return MeanCI(1, mean, math.nan, math.nan)
    half = t_quantile_975(data.size - 1) * float(data.std(ddof=1)) / math.sqrt(data.size)
    return MeanCI(int(data.size), mean, mean - half, mean + half)


def item_values(frame: pd.DataFrame, item: str) -> pd.Series:
    """Return the numeric answers to ``item`` (index as in ``frame``; unanswered left out)."""
    values = pd.to_numeric(pd.Series([a.get(item) for a in frame["answers"]], index=frame.index), errors="coerce")
    return values.dropna()


def responses_by_role(frame: pd.DataFrame) -> pd.DataFrame:
    """Return how many responses each evaluator role gave, per phase (labels in the current language)."""
    counts = frame.groupby(["phase", "evaluator_role"]).size().rename("n").reset_index()
    counts["phase_label"] = [i18n.label("evaluation_phase", p) for p in counts["phase"]]
    counts["role_label"] = [i18n.label("evaluator_role", r) for r in counts["evaluator_role"]]
    return counts


def item_summaries(frame: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    """Return, per phase and scale item: n, mean, 95 % CI, 100-point score and the distribution.

    Likert items (1–5) also get the share of low (1–2), neutral (3) and high (4–5) answers.
    """
    rows = []
    for phase in sorted(frame["phase"].unique(), key=lambda p: list(Phase).index(Phase(p))):
        part = frame[frame["phase"] == phase]
        for question in questionnaire.scale_items():
            values = item_values(part, question.name)
            if values.empty:
                continue
            ci = mean_ci(values)
            row = {
                "phase": phase,
                "item": question.name,
                "label": question.label(),
                "n": ci.n,
                "mean": ci.mean,
                "ci_low": ci.low,
                "ci_high": ci.high,
            }
            if question.type is QuestionType.SELECT_ONE:
                row["score_100"] = likert_score(ci.mean)
                levels = values.map(collapse_likert).value_counts()
                for level in ("low", "neutral", "high"):
                    row[f"share_{level}"] = float(levels.get(level, 0)) / ci.n
                for choice in questionnaire.choices_of(question):
                    row[f"count_{choice.name}"] = int((values == int(choice.name)).sum())
            rows.append(row)
    return pd.DataFrame(rows)


class ChangeMethod(StrEnum):
    """How a pre → post change was computed."""

    PAIRED = "paired"  # the same households answered both: mean of their own differences
    UNPAIRED = "unpaired"  # different people: difference of means, Welch's interval


@dataclass(frozen=True)
class Change:
    """The change of one item between two phases, and how it was computed.

    ``before`` and ``after`` are the means the change is the difference of:
    of the paired households when paired, of everyone otherwise.
    """

    item: str
    label: str
    method: ChangeMethod
    n_before: int
    n_after: int
    n_pairs: int
    before: float
    after: float
    difference: float
    low: float
    high: float


MIN_PAIRS = 2  # a paired interval needs at least two differences


def compare_phases(
    frame: pd.DataFrame, questionnaire: Questionnaire, before: str = "pre", after: str = "post"
) -> list[Change]:
    """Return the change of every scale item from ``before`` to ``after``.

    ``frame`` comes from :func:`evaluation_frame` with ``with_households=True``.
    Where at least two households answered both phases the change is paired on
    them; otherwise it is the unpaired difference of means (Welch).
    """
    changes = []
    first, second = frame[frame["phase"] == before], frame[frame["phase"] == after]
    for question in questionnaire.scale_items():
        a, b = item_values(first, question.name), item_values(second, question.name)
        if a.empty or b.empty:
            continue
        pairs = _pairs(first.loc[a.index], a, second.loc[b.index], b)
        if len(pairs) >= MIN_PAIRS:
            # the before and after shown are those of the paired households, so after - before = change
            ci = mean_ci(pairs["after"] - pairs["before"])
            method, diff, low, high = ChangeMethod.PAIRED, ci.mean, ci.low, ci.high
            before_mean, after_mean = float(pairs["before"].mean()), float(pairs["after"].mean())
        else:
            method = ChangeMethod.UNPAIRED
            diff, low, high = _welch(a.to_numpy(float), b.to_numpy(float))
            before_mean, after_mean = float(a.mean()), float(b.mean())
        changes.append(
            Change(
                question.name,
                question.label(),
                method,
                len(a),
                len(b),
                len(pairs),
                before_mean,
                after_mean,
                diff,
                low,
                high,
            )
        )
    return changes


def _pairs(first: pd.DataFrame, a: pd.Series, second: pd.DataFrame, b: pd.Series) -> pd.DataFrame:
    if "household_id" not in first.columns:
        return pd.DataFrame(columns=["before", "after"])
    left = pd.DataFrame({"household_id": first["household_id"], "before": a}).dropna()
    right = pd.DataFrame({"household_id": second["household_id"], "after": b}).dropna()
    # one answer per household and phase: the latest wins if a household answered twice
    left, right = left.drop_duplicates("household_id", keep="last"), right.drop_duplicates("household_id", keep="last")
    return left.merge(right, on="household_id")


def _welch(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    diff = float(b.mean() - a.mean())
    if a.size < 2 or b.size < 2:
        return diff, math.nan, math.nan
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = math.sqrt(va + vb)
    if se == 0:
        return diff, diff, diff
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    half = t_quantile_975(df) * se
    return diff, diff - half, diff + half


def building_figures(frame: pd.DataFrame, item: str, *, min_respondents: int = MIN_RESPONDENTS) -> pd.DataFrame:
    """Return per building: respondents, mean of ``item`` and whether it is suppressed.

    A building with fewer than ``min_respondents`` answers keeps its count for
    the map's grey class but its mean is NaN, so no table or map can show it.
    """
    values = item_values(frame, item)
    part = pd.DataFrame({"building_id": frame.loc[values.index, "building_id"], "value": values}).dropna()
    grouped = part.groupby("building_id")["value"].agg(["count", "mean"]).rename(columns={"count": "respondents"})
    grouped["suppressed"] = grouped["respondents"] < min_respondents
    grouped.loc[grouped["suppressed"], "mean"] = np.nan
    return grouped.reset_index()


def public_comments(frame: pd.DataFrame, gate: PublicationGate) -> list[str]:
    """Return the free-text comments through the publication gate: numbers, rooms, names masked (not HTML-escaped)."""
    texts = []
    for comment, answers in zip(frame.get("comment", []), frame["answers"], strict=False):
        text = comment if isinstance(comment, str) and comment.strip() else answers.get("comment")
        if isinstance(text, str) and text.strip():
            texts.append(gate.mask(text.strip()))
    return texts


class Phase(StrEnum):
    """The three moments of an evaluation."""

    PRE = "pre"
    MID = "mid"
    POST = "post"


#: two-sided 95 % quantiles of Student's t for 1–30 degrees of freedom
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


_Z975 = 1.959963984540054
