"""Evaluation statistics held against scipy (a test-only dependency): t quantiles, Welch, paired, overlap."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from cogov_toolkit.core.evaluation import (
    ChangeMethod,
    compare_phases,
    item_summaries,
    mean_ci,
    overlap_interval,
    paired_interval,
    t_quantile,
    t_quantile_975,
    t_sf,
    welch_interval,
)
from cogov_toolkit.core.questionnaire import (
    Choice,
    LikertScale,
    Question,
    Questionnaire,
    QuestionType,
    collapse_likert,
    likert_score,
)

stats = pytest.importorskip("scipy.stats")

# ---------------------------------------------------------------- Student's t
#: whole and fractional degrees of freedom from 1 to 200 (Welch's df are fractional)
DFS = np.unique(np.concatenate([np.arange(1, 200.001, 0.05), [1.5, 2.5, 7.6, 29.99, 30.01, 199.999]]))


@pytest.mark.parametrize("p", [0.975, 0.95, 0.995, 0.9, 0.6])
def test_t_quantiles_match_scipy_from_1_to_200_degrees_of_freedom(p: float) -> None:
    ours = np.array([t_quantile(p, df) for df in DFS])
    np.testing.assert_allclose(ours, stats.t.ppf(p, DFS), rtol=0, atol=1e-6)
    np.testing.assert_allclose(np.array([t_quantile(1 - p, df) for df in DFS[::50]]), -ours[::50], atol=0)


def test_fractional_df_below_the_old_table_are_exact() -> None:
    # the linear interpolation between table rows gave 8.505 and 3.743 (a 97 % interval)
    assert t_quantile_975(1.5) == pytest.approx(6.016663, abs=1e-6)
    assert t_quantile_975(2.5) == pytest.approx(3.574655, abs=1e-6)
    assert stats.t.cdf(t_quantile_975(1.5), 1.5) == pytest.approx(0.975, abs=1e-12)


@pytest.mark.parametrize("df", [0.05, 0.1, 0.3, 0.5, 0.9, 250.5, 1e3, 1e4, 99_999.0, 1e5 + 1, 1e6, 1e9])
def test_t_quantiles_for_tiny_and_huge_df_match_scipy_relatively(df: float) -> None:
    for p in (0.975, 0.9999):
        assert t_quantile(p, df) == pytest.approx(stats.t.ppf(p, df), rel=1e-9)


def test_t_tail_matches_scipy_and_edges_are_nan() -> None:
    for df in (0.7, 1, 2.5, 10, 123.4):
        for t in (-3.0, -0.1, 0.0, 0.5, 2.0, 40.0):
            assert t_sf(t, df) == pytest.approx(stats.t.sf(t, df), rel=1e-10, abs=1e-15)
    assert math.isnan(t_quantile_975(0)) and math.isnan(t_quantile_975(-1)) and math.isnan(t_quantile(1.0, 5))
    assert t_quantile(0.5, 3) == 0.0 and t_quantile_975(math.inf) == pytest.approx(1.959963984540054)


def test_the_statistics_run_without_scipy() -> None:
    # scipy is only the tests' reference: block it and run the quantile and an interval
    code = (
        "import sys; sys.modules['scipy'] = None\n"
        "from cogov_toolkit.core.evaluation import t_quantile_975, welch_interval\n"
        "print(round(t_quantile_975(1.5), 6), round(welch_interval([1, 2], [3, 4, 5, 5, 5, 5, 5]).low, 3))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, check=True)
    assert result.stdout.split() == ["6.016663", "0.274"]


# ---------------------------------------------------------------- intervals against scipy
def _datasets(seed: int, count: int = 250) -> list[tuple[np.ndarray, np.ndarray]]:
    """Likert-like and continuous samples of 2–60 values, variances unequal, some tiny samples."""
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < count:
        n1, n2 = rng.integers(2, 61, size=2)
        if rng.random() < 0.5:
            a, b = rng.integers(1, 6, n1).astype(float), rng.integers(1, 8, n2).astype(float)
        else:
            a, b = rng.normal(3, rng.uniform(0.2, 3), n1), rng.normal(3.5, rng.uniform(0.2, 3), n2)
        if a.var() > 0 and b.var() > 0:
            out.append((a, b))
    return out


def test_welch_intervals_match_scipy_on_250_random_datasets() -> None:
    for a, b in _datasets(19):
        ours = welch_interval(a, b)
        result = stats.ttest_ind(b, a, equal_var=False)
        ci = result.confidence_interval(0.95)
        assert ours.estimate == pytest.approx(b.mean() - a.mean(), abs=1e-12)
        assert ours.df == pytest.approx(result.df, rel=1e-10)
        assert (ours.low, ours.high) == pytest.approx((ci.low, ci.high), abs=1e-6)


def test_paired_intervals_match_scipy_on_250_random_datasets() -> None:
    rng = np.random.default_rng(20)
    checked = 0
    while checked < 250:
        n = int(rng.integers(2, 61))
        before = rng.integers(1, 6, n).astype(float)
        after = np.clip(before + rng.integers(-1, 3, n), 1, 5) if rng.random() < 0.5 else rng.normal(before, 1.0)
        if np.var(after - before) == 0:
            continue
        ours = paired_interval(before, after)
        ci = stats.ttest_rel(after, before).confidence_interval(0.95)
        assert ours.df == n - 1
        assert (ours.low, ours.high) == pytest.approx((ci.low, ci.high), abs=1e-6)
        checked += 1


def test_mean_intervals_match_scipy() -> None:
    for a, _ in _datasets(21, 50):
        ci = mean_ci(a)
        low, high = stats.t.interval(0.95, len(a) - 1, loc=a.mean(), scale=stats.sem(a))
        assert (ci.low, ci.high) == pytest.approx((low, high), abs=1e-6)


def test_the_2_vs_7_gain_is_significant_as_scipy_says() -> None:
    # the table interpolation showed (-0.433, 6.576): "inconclusive" where p = 0.043
    before, after = np.array([1.0, 2.0]), np.array([3.0, 4.0, 5.0, 5.0, 5.0, 5.0, 5.0])
    ours = welch_interval(before, after)
    result = stats.ttest_ind(after, before, equal_var=False)
    assert result.pvalue == pytest.approx(0.0426, abs=1e-4) and 1 < result.df < 2
    assert (ours.low, ours.high) == pytest.approx((0.274, 5.869), abs=1e-3)
    assert ours.low > 0


# ---------------------------------------------------------------- partial overlap
def test_pairs_narrow_the_interval_when_answers_correlate_and_widen_it_when_they_oppose() -> None:
    # welch_interval and paired_interval are overlap_interval's two limits, each held against scipy above
    rng = np.random.default_rng(22)
    before_only, after_only = rng.normal(3, 1, 20), rng.normal(3.5, 1, 20)
    level = rng.normal(0, 1, 15)
    before, after = 3 + level + rng.normal(0, 0.3, 15), 3.5 + level + rng.normal(0, 0.3, 15)
    as_strangers = welch_interval(np.r_[before_only, before], np.r_[after_only, after])
    together = overlap_interval(before_only, after_only, before, after)
    opposed = overlap_interval(before_only, after_only, before, 7 - after)
    assert together.estimate == pytest.approx(as_strangers.estimate)
    assert together.high - together.low < 0.9 * (as_strangers.high - as_strangers.low)
    assert opposed.high - opposed.low > (as_strangers.high - as_strangers.low)


def _forty_and_forty(shared: int, seed: int = 23) -> tuple[np.ndarray, ...]:
    """40 answers before and 40 after, ``shared`` households in both (answers correlated), on 1–5."""
    rng = np.random.default_rng(seed)
    before = np.clip(np.round(rng.normal(2.8, 0.9, 40)), 1, 5)
    after = np.clip(np.round(rng.normal(4.9, 0.9, 40)), 1, 5)
    after[:shared] = np.clip(before[:shared] + rng.integers(1, 4, shared), 1, 5)
    return before[shared:], after[shared:], before[:shared], after[:shared]


def test_overlap_interval_moves_smoothly_with_the_number_of_pairs() -> None:
    # the old rule jumped from Welch on 80 answers (1 pair) to the mean of 2 differences (2 pairs)
    intervals = [overlap_interval(*_forty_and_forty(k)) for k in range(0, 6)]
    widths = [i.high - i.low for i in intervals]
    for narrower, wider in zip(widths[1:], widths[:-1], strict=True):
        assert narrower == pytest.approx(wider, rel=0.1)  # each extra pair changes the width by under 10 %
    estimates = [i.estimate for i in intervals]
    assert max(estimates) - min(estimates) < 0.3
    assert all(i.low > 0 for i in intervals)


def test_overlap_interval_covers_the_true_change_95_percent_of_the_time() -> None:
    rng = np.random.default_rng(24)
    covered, rounds = 0, 1000
    for _ in range(rounds):
        n_pairs, only_before, only_after = rng.integers(3, 30), rng.integers(0, 30), rng.integers(0, 30)
        shared = rng.normal(0, 1, n_pairs)  # a household's own level: its two answers correlate
        before_paired = 3 + shared + rng.normal(0, 0.6, n_pairs)
        after_paired = 3.5 + shared + rng.normal(0, 0.9, n_pairs)
        before_only = 3 + rng.normal(0, math.hypot(1, 0.6), only_before)
        after_only = 3.5 + rng.normal(0, math.hypot(1, 0.9), only_after)
        result = overlap_interval(before_only, after_only, before_paired, after_paired)
        covered += result.low <= 0.5 <= result.high
    assert 0.93 <= covered / rounds <= 0.97


# ---------------------------------------------------------------- scales from the choice list
def _questionnaire(points: range, *extra: Question) -> Questionnaire:
    choices = tuple(Choice(str(v), f"{v} 分") for v in reversed(points))
    question = Question("q", QuestionType.SELECT_ONE, "总体满意度", list_name="scale")
    return Questionnaire("f", "问卷", "form", (question, *extra), {"scale": choices})


def _frame(phase_answers: list[tuple[str, object]], households: list[str | None] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "phase": [p for p, _ in phase_answers],
            "evaluator_role": "resident",
            "answers": [{"q": v} for _, v in phase_answers],
            "submitted_at": [f"2026-06-01T10:{i:02d}:00+08:00" for i in range(len(phase_answers))],
        }
    )
    if households is not None:
        frame["household_id"] = households
    return frame


def test_a_seven_point_item_scores_on_its_own_scale() -> None:
    form = _questionnaire(range(1, 8))
    values = [5, 5, 5, 4, 5, 5]  # mean 4.833: 95.8 if taken as a 1–5 answer
    row = item_summaries(_frame([("post", v) for v in values]), form).iloc[0]
    assert row["mean"] == pytest.approx(29 / 6)
    assert row["score_100"] == pytest.approx(63.9, abs=0.05)
    assert (row["scale_low"], row["scale_high"]) == (1, 7)
    assert (row["share_low"], row["share_neutral"], row["share_high"]) == (
        0,
        pytest.approx(1 / 6),
        pytest.approx(5 / 6),
    )
    assert sum(row[f"count_{v}"] for v in range(1, 8)) == row["n"] == 6


def test_collapse_and_score_follow_the_scale() -> None:
    seven, four, eleven = LikertScale.points(7), LikertScale((1, 2, 3, 4)), LikertScale(tuple(range(0, 11)))
    assert [collapse_likert(v, seven) for v in range(1, 8)] == ["low"] * 3 + ["neutral"] + ["high"] * 3
    assert [collapse_likert(v, four) for v in range(1, 5)] == ["low", "low", "high", "high"]  # no middle choice
    assert four.level_values("neutral") == () and eleven.level_values("neutral") == (5,)
    assert [likert_score(v, eleven) for v in (0, 5, 10)] == [0.0, 50.0, 100.0]
    assert likert_score(4, seven) == pytest.approx(50.0) and likert_score(3) == 50.0  # 1–5 by default
    assert LikertScale.from_choices([Choice("a", "甲")]) is None


# ---------------------------------------------------------------- pre → post on frames
def test_change_uses_everyone_and_agrees_with_the_items_table() -> None:
    form = _questionnaire(range(1, 6))
    before, after, pb, pa = _forty_and_forty(2)
    answers = [("pre", v) for v in [*pb, *before]] + [("post", v) for v in [*pa, *after]]
    ids = ["H1", "H2", *[f"P{i}" for i in range(38)], "H1", "H2", *[f"Q{i}" for i in range(38)]]
    frame = _frame([(p, int(v)) for p, v in answers], ids)
    change = compare_phases(frame, form)[0]
    items = item_summaries(frame, form).set_index("phase")["mean"]
    assert change.method is ChangeMethod.PARTIAL and change.n_pairs == 2
    assert (change.before, change.after) == (pytest.approx(items["pre"]), pytest.approx(items["post"]))
    assert change.difference == pytest.approx(change.after - change.before)
    whole = overlap_interval(before, after, pb, pa)
    assert (change.low, change.high) == pytest.approx((whole.low, whole.high))
    own = stats.ttest_rel(pa, pb).confidence_interval()
    assert change.paired_difference == pytest.approx(np.mean(pa - pb))
    assert (change.paired_low, change.paired_high) == pytest.approx((own.low, own.high))

    nobody = compare_phases(frame.drop(columns="household_id"), form)[0]
    ci = stats.ttest_ind(np.r_[pa, after], np.r_[pb, before], equal_var=False).confidence_interval()
    assert nobody.method is ChangeMethod.UNPAIRED and nobody.n_pairs == 0
    assert (nobody.low, nobody.high) == pytest.approx((ci.low, ci.high), abs=1e-9)
    assert math.isnan(nobody.paired_difference)


def test_everyone_paired_is_the_paired_t_test() -> None:
    form = _questionnaire(range(1, 6))
    before, after = [2, 3, 3, 1, 4, 2], [4, 4, 3, 3, 5, 2]
    ids = [f"H{i}" for i in range(6)]
    frame = _frame([("pre", v) for v in before] + [("post", v) for v in after], ids + ids)
    change = compare_phases(frame, form)[0]
    ci = stats.ttest_rel(after, before).confidence_interval()
    assert change.method is ChangeMethod.PAIRED and change.n_pairs == 6
    assert (change.low, change.high) == pytest.approx((ci.low, ci.high), abs=1e-9)
    assert (change.paired_low, change.paired_high) == pytest.approx((change.low, change.high))
