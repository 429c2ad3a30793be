"""Evaluation statistics: per-item means with 95% t intervals, pre → post changes, building figures.

Pure numpy/pandas over a frame of responses (one row per response, ``answers``
a dict per row); no files, no workspace. The methods, in the words the report
uses (catalog ``evaluation.method.*``):

* **Student's t** quantiles are exact (the regularized incomplete beta function
  inverted by safeguarded Newton steps), for any degrees of freedom > 0, so
  Welch's fractional degrees of freedom get the right interval.
* **Before analysis** (:func:`prepare_responses`) every stored answer is checked
  again against the questionnaire (choices, types, constraints, relevance), and a
  household that answered a phase several times counts once, with its latest
  answer by ``submitted_at``; what is left out is listed with its reason.
* **Scores and levels** come from each question's own scale (its choice list):
  see :class:`~cogov_toolkit.core.questionnaire.LikertScale`.
* **Pre → post** (:func:`compare_phases`): the change is the difference of the
  means of everyone who answered each phase (so it agrees with the items table),
  with the interval of the partially overlapping samples t-test (Derrick, Russ,
  Toher & White 2017, unequal variances): households that answered both phases
  enter through the correlation of their two answers. With no such household it
  is Welch's test; when everyone answered both, the paired t-test. The change of
  the paired households alone is given beside it.
* **Buildings** (:func:`building_figures`): respondents are distinct households
  (a response without a household id counts as one); fewer than
  :data:`MIN_RESPONDENTS` and the figure is withheld.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from statistics import NormalDist

import numpy as np
import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.codes import Phase
from cogov_toolkit.core.privacy import PublicationGate
from cogov_toolkit.core.questionnaire import (
    LikertScale,
    Question,
    Questionnaire,
    check_answers,
    likert_scale,
)
from cogov_toolkit.core.values import is_blank

MIN_RESPONDENTS = 5  # a building figure from fewer households could point at one of them


# ---------------------------------------------------------------- Student's t
_EPS = 1e-15
_TINY = 1e-300
_MAX_TERMS = 100_000
#: beyond this many degrees of freedom the Cornish-Fisher series (to 1/df⁴) is exact to machine precision
_CORNISH_FISHER_DF = 1e5
_LOG_MAX = math.log(sys.float_info.max)


def _softplus(z: float) -> float:
    """log(1 + e^z) without overflow."""
    return z + math.log1p(math.exp(-z)) if z > 0 else math.log1p(math.exp(z))


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz; Numerical Recipes 6.4)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, _MAX_TERMS):
        m2 = 2 * m
        delta = 1.0
        for aa in (m * (b - m) * x / ((qam + m2) * (a + m2)), -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):
            d = 1.0 + aa * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + aa / c
            c = c if abs(c) > _TINY else _TINY
            delta = d * c
            h *= delta
        if abs(delta - 1.0) < _EPS:
            break
    return h


def _log_t_sf(log_t: float, df: float) -> float:
    """log P(T > t) for t = e^log_t, through I_x(df/2, 1/2) with x = df / (df + t²), all in logs."""
    lr = 2.0 * log_t - math.log(df)  # log(t² / df)
    log_x, log_1mx = -_softplus(lr), lr - _softplus(lr)
    a, b = df / 2.0, 0.5
    log_beta = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    x = math.exp(log_x)
    if x < (a + 1.0) / (a + b + 2.0):  # the fraction converges fast on this side
        return math.log(0.5) + a * log_x + b * log_1mx - log_beta - math.log(a) + math.log(_beta_fraction(a, b, x))
    complement = math.exp(b * log_1mx + a * log_x - log_beta) / b * _beta_fraction(b, a, math.exp(log_1mx))
    return math.log(0.5) + math.log1p(-complement)


def _log_t_pdf(log_t: float, df: float) -> float:
    lr = 2.0 * log_t - math.log(df)
    return math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi) - (df + 1) / 2 * _softplus(lr)


def _cornish_fisher(z: float, df: float) -> float:
    z2 = z * z
    return z * (
        1
        + (z2 + 1) / (4 * df)
        + (5 * z2**2 + 16 * z2 + 3) / (96 * df**2)
        + (3 * z2**3 + 19 * z2**2 + 17 * z2 - 15) / (384 * df**3)
        + (79 * z2**4 + 776 * z2**3 + 1482 * z2**2 - 1920 * z2 - 945) / (92160 * df**4)
    )


def t_sf(t: float, df: float) -> float:
    """Return P(T > t) for Student's t with ``df`` > 0 degrees of freedom (the upper tail)."""
    if not df > 0 or math.isnan(t):
        return math.nan
    if t == 0:
        return 0.5
    if t < 0:
        return 1.0 - t_sf(-t, df)
    if math.isinf(t):
        return 0.0
    if math.isinf(df):
        return NormalDist().cdf(-t)
    return math.exp(_log_t_sf(math.log(t), df))


def t_quantile(p: float, df: float) -> float:
    """Return the ``p`` quantile of Student's t with ``df`` > 0 degrees of freedom (fractional df allowed).

    Solves P(T > t) = 1 − p in log t by Newton steps kept inside a bracket
    (doubling or bisection when a step would leave it), with the tail from the
    regularized incomplete beta function; relative error below 1e-12 against
    scipy for 0 < df ≤ 1e5, and the Cornish-Fisher series beyond. NaN when
    ``df`` ≤ 0 or ``p`` is outside (0, 1); infinite when the quantile is
    beyond the largest float (0.975 at df < 0.0055).
    """
    if not (df > 0 and 0 < p < 1):
        return math.nan
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    z = NormalDist().inv_cdf(p)
    if math.isinf(df):
        return z
    if df > _CORNISH_FISHER_DF:
        return _cornish_fisher(z, df)
    target = math.log1p(-p)
    u = math.log(max(_cornish_fisher(z, df) if df >= 3 else z, 1e-3))  # u = log t
    lo, hi, step = -math.inf, math.inf, 1.0
    for _ in range(400):
        log_sf = _log_t_sf(u, df)
        gap = log_sf - target  # decreasing in u
        if gap > 0:
            lo = u
        else:
            hi = u
        new = u + gap / math.exp(u + _log_t_pdf(u, df) - log_sf)  # Newton: d(log sf)/du = -t·pdf/sf
        if not lo < new < hi:  # keep inside the bracket; widen it while one side is still open
            if math.isinf(hi):
                new, step = lo + step, step * 2
            elif math.isinf(lo):
                new, step = hi - step, step * 2
            else:
                new = (lo + hi) / 2
        if abs(new - u) <= 1e-14 * max(1.0, abs(u)):
            break
        u = new
    return math.exp(new) if new < _LOG_MAX else math.inf  # beyond floats only for df far below 0.05


def t_quantile_975(df: float) -> float:
    """Return the 0.975 quantile of Student's t (the multiplier of a two-sided 95% interval)."""
    return t_quantile(0.975, df)


# ---------------------------------------------------------------- intervals
@dataclass(frozen=True)
class MeanCI:
    """A mean with its 95 % confidence interval (t-distribution)."""

    n: int
    mean: float
    low: float
    high: float


def _numbers(values: Iterable[float]) -> np.ndarray:
    return np.asarray([v for v in values if v is not None and not pd.isna(v)], dtype=float)


def mean_ci(values: Iterable[float]) -> MeanCI:
    """Return the mean of ``values`` with a 95 % t-interval (NaN bounds for fewer than 2 values)."""
    data = _numbers(values)
    if data.size == 0:
        return MeanCI(0, math.nan, math.nan, math.nan)
    mean = float(data.mean())
    if data.size < 2:
        return MeanCI(1, mean, math.nan, math.nan)
    half = t_quantile_975(data.size - 1) * float(data.std(ddof=1)) / math.sqrt(data.size)
    return MeanCI(int(data.size), mean, mean - half, mean + half)


@dataclass(frozen=True)
class Interval:
    """An estimated difference with its 95 % interval and the t degrees of freedom behind it."""

    estimate: float
    low: float
    high: float
    df: float


def _interval(estimate: float, variance: float, df: float) -> Interval:
    if not (variance >= 0 and df > 0):  # too few answers for a spread (NaN compares False)
        return Interval(estimate, math.nan, math.nan, math.nan)
    if variance == 0:
        return Interval(estimate, estimate, estimate, df)
    half = t_quantile_975(df) * math.sqrt(variance)
    return Interval(estimate, estimate - half, estimate + half, df)


def welch_interval(before: Sequence[float], after: Sequence[float]) -> Interval:
    """Return ``mean(after) − mean(before)`` with Welch's 95 % interval (independent samples)."""
    return overlap_interval(before, after, (), ())


def paired_interval(before: Sequence[float], after: Sequence[float]) -> Interval:
    """Return the mean of ``after − before`` (same respondents, same order) with its 95 % t interval."""
    return overlap_interval((), (), before, after)


def overlap_interval(
    before_only: Sequence[float],
    after_only: Sequence[float],
    before_paired: Sequence[float],
    after_paired: Sequence[float],
) -> Interval:
    """Return ``mean(after) − mean(before)`` over everyone, with the partially overlapping samples interval.

    Derrick, Russ, Toher & White (2017), T_new2 (variances not assumed equal):
    ``before`` holds ``before_only`` and ``before_paired``, ``after`` likewise,
    and the paired answers (same order in both) enter through their
    correlation r::

        se² = s₁²/n₁ + s₂²/n₂ − 2 r s₁ s₂ n₁₂ / (n₁ n₂)
        df  = (n₁₂ − 1) + (γ − n₁₂ + 1) (a + b) / (a + b + 2 n₁₂)

    with γ Welch's degrees of freedom and a, b the unpaired counts. No pairs:
    exactly Welch's test. Everyone paired: exactly the paired t-test. In between
    the interval moves smoothly with the number of pairs (r is taken as 0 below
    two pairs or when one side of the pairs does not vary, as the authors' R
    package does).
    """
    xa, xb = _numbers(before_only), _numbers(after_only)
    pa, pb = np.asarray(before_paired, dtype=float), np.asarray(after_paired, dtype=float)
    first, second = np.concatenate([xa, pa]), np.concatenate([xb, pb])
    n1, n2, n12 = first.size, second.size, pa.size
    if n1 == 0 or n2 == 0:
        return Interval(math.nan, math.nan, math.nan, math.nan)
    estimate = float(second.mean() - first.mean())
    if n1 < 2 or n2 < 2:
        return Interval(estimate, math.nan, math.nan, math.nan)
    v1, v2 = float(first.var(ddof=1)), float(second.var(ddof=1))
    r = 0.0
    if n12 >= 2 and pa.std() > 0 and pb.std() > 0:
        r = float(np.corrcoef(pa, pb)[0, 1])
    variance = max(0.0, v1 / n1 + v2 / n2 - 2 * r * math.sqrt(v1 * v2) * n12 / (n1 * n2))
    welch_terms = (v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1)
    unpaired = xa.size + xb.size
    if welch_terms == 0:  # neither phase varies: any df gives the same zero-width interval
        return _interval(estimate, variance, max(1.0, n1 + n2 - 2.0))
    welch_df = (v1 / n1 + v2 / n2) ** 2 / welch_terms
    df = (n12 - 1) + (welch_df - n12 + 1) * unpaired / (unpaired + 2 * n12)
    return _interval(estimate, variance, df)


# ---------------------------------------------------------------- preparing the stored answers
class LeftOutReason(StrEnum):
    """Why a stored response or answer was not analysed (catalog ``evaluation.left_out.<reason>``)."""

    UNREADABLE = "unreadable"  # the stored answers are not a readable record
    UNKNOWN_PHASE = "unknown_phase"  # the phase is none of pre / mid / post
    REPEATED = "repeated"  # the household answered the same phase again later
    UNKNOWN_CHOICE = "unknown_choice"  # not one of the question's choices
    NOT_AN_INTEGER = "not_an_integer"
    NOT_A_NUMBER = "not_a_number"
    CONSTRAINT = "constraint"  # outside the question's constraint
    NOT_RELEVANT = "not_relevant"  # the question does not apply given the other answers


#: the problem reasons of check_answers that make an answer unusable
_PROBLEM_REASONS = {
    "evaluation.unknown_choice": LeftOutReason.UNKNOWN_CHOICE,
    "evaluation.not_an_integer": LeftOutReason.NOT_AN_INTEGER,
    "evaluation.not_a_number": LeftOutReason.NOT_A_NUMBER,
    "evaluation.constraint": LeftOutReason.CONSTRAINT,
}


@dataclass(frozen=True)
class LeftOut:
    """How many stored responses (``item`` empty) or answers to ``item`` were left out of a phase, and why."""

    phase: str
    item: str
    reason: LeftOutReason
    count: int


@dataclass(frozen=True)
class Prepared:
    """The responses the analysis uses, and what was left out.

    ``by_household`` says whether household ids were available (respondents are
    then households); ``without_household`` counts the analysed responses that
    have no household id, each of which counts as one respondent.
    """

    frame: pd.DataFrame
    left_out: tuple[LeftOut, ...]
    by_household: bool
    without_household: int


def _has_households(frame: pd.DataFrame) -> bool:
    return "household_id" in frame.columns


def latest_per_household(frame: pd.DataFrame, by: Sequence[str] = ("phase",)) -> pd.DataFrame:
    """Return ``frame`` with one response per household (and ``by`` group): the latest by ``submitted_at``.

    Answers with no time count as older than any timed one; equal times fall
    back to storage order. Responses without a household id are all kept.
    The order of the kept rows is that of ``frame``.
    """
    if not _has_households(frame) or frame.empty:
        return frame
    stamps = frame["submitted_at"] if "submitted_at" in frame.columns else pd.Series(None, index=frame.index)
    times = pd.to_datetime(stamps, utc=True, errors="coerce", format="ISO8601")
    untimed = np.iinfo(np.int64).min
    nanoseconds = np.array([untimed if pd.isna(t) else t.value for t in times], dtype=np.int64)
    order = np.lexsort((np.arange(len(frame)), nanoseconds))  # oldest first, storage order among equals
    ids = frame["household_id"].to_numpy()
    known = order[pd.notna(ids[order])]
    keys = frame.iloc[known][[c for c in by if c in frame.columns] + ["household_id"]]
    keep = pd.isna(ids)
    keep[known[~keys.duplicated(keep="last").to_numpy()]] = True
    return frame[keep]


def prepare_responses(frame: pd.DataFrame, questionnaire: Questionnaire) -> Prepared:
    """Check the stored responses again before analysis; return those kept and what was left out.

    ``frame`` comes from ``evaluation_frame`` (``answers`` parsed; ``None`` when
    unreadable; ``household_id`` when known). In order: responses whose answers
    cannot be read or whose phase is unknown are left out; a household's
    repeated responses in one phase give way to its latest (by ``submitted_at``);
    then every answer is checked against ``questionnaire`` as the form checks it
    (choice lists, whole numbers, constraints, relevance) and a failing answer is
    left out of its item — the rest of that response still counts. The kept
    ``answers`` are the checked, typed values.
    """
    left: dict[tuple[str, str, LeftOutReason], int] = {}

    def leave(phase: str, item: str, reason: LeftOutReason, count: int = 1) -> None:
        if count:
            left[(str(phase), item, reason)] = left.get((str(phase), item, reason), 0) + count

    readable = frame["answers"].map(lambda a: isinstance(a, dict))
    for phase, count in frame.loc[~readable, "phase"].value_counts(dropna=False).items():
        leave(phase, "", LeftOutReason.UNREADABLE, int(count))
    known_phase = frame["phase"].isin([p.value for p in Phase])
    for phase, count in frame.loc[readable & ~known_phase, "phase"].value_counts(dropna=False).items():
        leave(phase, "", LeftOutReason.UNKNOWN_PHASE, int(count))
    kept = frame[readable & known_phase]
    latest = latest_per_household(kept)
    for phase, count in kept.loc[~kept.index.isin(latest.index), "phase"].value_counts().items():
        leave(phase, "", LeftOutReason.REPEATED, int(count))

    checked = []
    names = [q.name for q in questionnaire.questions]
    for phase, stored in zip(latest["phase"], latest["answers"], strict=True):
        typed, problems = check_answers(questionnaire, stored)
        failing = {p.column: _PROBLEM_REASONS[p.reason] for p in problems if p.reason in _PROBLEM_REASONS}
        for name in names:
            if is_blank(stored.get(name)):
                continue
            if name in failing:
                typed.pop(name, None)
                leave(phase, name, failing[name])
            elif name not in typed:
                leave(phase, name, LeftOutReason.NOT_RELEVANT)
        checked.append(typed)
    latest = latest.copy()
    latest["answers"] = checked
    without = int(latest["household_id"].isna().sum()) if _has_households(latest) else len(latest)
    phases = [p.value for p in Phase]

    def position(key: tuple[str, str, LeftOutReason]) -> tuple[int, str, int]:
        phase, item, _ = key
        return (phases.index(phase) if phase in phases else len(phases), phase, names.index(item) if item else -1)

    left_out = tuple(LeftOut(*key, count) for key, count in sorted(left.items(), key=lambda kv: position(kv[0])))
    return Prepared(latest.reset_index(drop=True), left_out, _has_households(frame), without)


# ---------------------------------------------------------------- summaries
def item_values(frame: pd.DataFrame, item: str) -> pd.Series:
    """Return the numeric answers to ``item`` (index as in ``frame``; unanswered left out)."""
    answers = [a.get(item) if isinstance(a, dict) else None for a in frame["answers"]]
    return pd.to_numeric(pd.Series(answers, index=frame.index, dtype=object), errors="coerce").dropna()


def _phases(frame: pd.DataFrame) -> list[str]:
    present = set(frame["phase"])
    return [p.value for p in Phase if p.value in present]


def responses_by_role(frame: pd.DataFrame) -> pd.DataFrame:
    """Return how many responses each evaluator role gave, per phase (labels in the current language)."""
    counts = frame.groupby(["phase", "evaluator_role"]).size().rename("n").reset_index()
    counts["phase_label"] = [i18n.label("evaluation_phase", p) for p in counts["phase"]]
    counts["role_label"] = [i18n.label("evaluator_role", r) for r in counts["evaluator_role"]]
    return counts


def item_summaries(frame: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    """Return, per phase and scale item: n, mean, 95 % CI and, for Likert items, score and distribution.

    A household's repeated answers in a phase count once (its latest). Likert
    items (numbered choices) also get their scale (``scale_low``,
    ``scale_high``), the 100-point score of the mean and the shares of answers
    below, at and above the middle of their own scale.
    """
    frame = latest_per_household(frame)
    rows = []
    for phase in _phases(frame):
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
            scale = likert_scale(questionnaire, question)
            if scale is not None:
                row.update(_likert_columns(questionnaire, question, scale, values, ci.mean))
            rows.append(row)
    return pd.DataFrame(rows)


def _likert_columns(
    questionnaire: Questionnaire, question: Question, scale: LikertScale, values: pd.Series, mean: float
) -> dict[str, float | int | None]:
    row: dict[str, float | int | None] = {
        "scale_low": scale.low,
        "scale_high": scale.high,
        "score_100": scale.score(mean),
    }
    levels = values.map(scale.level).value_counts()
    for level in ("low", "neutral", "high"):
        row[f"share_{level}"] = float(levels.get(level, 0)) / len(values)
    for choice in questionnaire.choices_of(question):
        row[f"count_{choice.name}"] = int((values == int(choice.name)).sum())
    return row


class ChangeMethod(StrEnum):
    """Which case of the partially overlapping samples test a pre → post change fell in."""

    PAIRED = "paired"  # everyone answered both phases: the paired t-test
    PARTIAL = "partial"  # some households answered both: their correlation narrows Welch's interval
    UNPAIRED = "unpaired"  # nobody is known to have answered both: Welch's test


@dataclass(frozen=True)
class Change:
    """The change of one item between two phases, and how it was computed.

    ``before`` and ``after`` are the means of everyone who answered each phase
    (as in the items table) and ``difference`` = ``after`` − ``before``, with
    its 95 % interval (``low``, ``high``, ``df``) from :func:`overlap_interval`.
    ``paired_difference`` … are the mean change of the ``n_pairs`` households
    that answered both, with its paired interval (NaN below two pairs).
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
    df: float = math.nan
    paired_difference: float = math.nan
    paired_low: float = math.nan
    paired_high: float = math.nan


def compare_phases(
    frame: pd.DataFrame, questionnaire: Questionnaire, before: str = "pre", after: str = "post"
) -> list[Change]:
    """Return the change of every scale item from ``before`` to ``after`` (see :class:`Change`).

    Households are paired by ``household_id`` (present when the frame comes from
    ``evaluation_frame(..., with_households=True)``); without it nobody is paired.
    """
    frame = latest_per_household(frame)
    changes = []
    first, second = frame[frame["phase"] == before], frame[frame["phase"] == after]
    for question in questionnaire.scale_items():
        a, b = item_values(first, question.name), item_values(second, question.name)
        if a.empty or b.empty:
            continue
        pairs = _pairs(first.loc[a.index], a, second.loc[b.index], b)
        paired_a = a.index.isin(pairs["before_index"])
        paired_b = b.index.isin(pairs["after_index"])
        whole = overlap_interval(
            a[~paired_a].to_numpy(float),
            b[~paired_b].to_numpy(float),
            pairs["before"].to_numpy(float),
            pairs["after"].to_numpy(float),
        )
        if len(pairs) >= 2:
            own = paired_interval(pairs["before"].to_numpy(float), pairs["after"].to_numpy(float))
        else:
            own = Interval(math.nan, math.nan, math.nan, math.nan)
        if pairs.empty:
            method = ChangeMethod.UNPAIRED
        elif len(pairs) == len(a) == len(b):
            method = ChangeMethod.PAIRED
        else:
            method = ChangeMethod.PARTIAL
        changes.append(
            Change(
                question.name,
                question.label(),
                method,
                len(a),
                len(b),
                len(pairs),
                float(a.mean()),
                float(b.mean()),
                whole.estimate,
                whole.low,
                whole.high,
                whole.df,
                own.estimate,
                own.low,
                own.high,
            )
        )
    return changes


def _pairs(first: pd.DataFrame, a: pd.Series, second: pd.DataFrame, b: pd.Series) -> pd.DataFrame:
    columns = ["household_id", "before_index", "before", "after_index", "after"]
    if not _has_households(first):
        return pd.DataFrame(columns=columns)
    left = pd.DataFrame({"household_id": first["household_id"], "before_index": a.index, "before": a}).dropna()
    right = pd.DataFrame({"household_id": second["household_id"], "after_index": b.index, "after": b}).dropna()
    return left.merge(right, on="household_id")[columns]


def building_figures(frame: pd.DataFrame, item: str, *, min_respondents: int = MIN_RESPONDENTS) -> pd.DataFrame:
    """Return per building: respondents, mean of ``item`` and whether it is suppressed.

    Respondents are distinct households (each household's latest answer, by
    ``submitted_at``; a response with no household id counts as one). A building
    with fewer than ``min_respondents`` keeps its count for the map's grey class
    but its mean is NaN, so no table or map can show it.
    """
    frame = latest_per_household(frame, by=())
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
        text = comment if isinstance(comment, str) and comment.strip() else (answers or {}).get("comment")
        if isinstance(text, str) and text.strip():
            texts.append(gate.mask(text.strip()))
    return texts


__all__ = [
    "MIN_RESPONDENTS",
    "Phase",
    # Student's t and intervals
    "t_sf",
    "t_quantile",
    "t_quantile_975",
    "MeanCI",
    "mean_ci",
    "Interval",
    "welch_interval",
    "paired_interval",
    "overlap_interval",
    # preparing stored answers
    "LeftOutReason",
    "LeftOut",
    "Prepared",
    "latest_per_household",
    "prepare_responses",
    # summaries
    "item_values",
    "responses_by_role",
    "item_summaries",
    "ChangeMethod",
    "Change",
    "compare_phases",
    "building_figures",
    # comments
    "public_comments",
]
