"""Fitting plan-to-map transforms from control points (cogov_toolkit.core.georef)."""

from __future__ import annotations

import numpy as np
import pytest

from cogov_toolkit.core.georef import FLAG_FLOOR_M, Fit, Method, fit_transform, minimum_points
from cogov_toolkit.errors import InputError

# a site grid 120 m × 90 m in GK-sized coordinates, turned 30 degrees and scaled 1.02
PLAN = np.array([[0, 0], [120, 0], [120, 90], [0, 90], [60, 45], [20, 60], [100, 30]], dtype=float)
ORIGIN = np.array([611_234.5, 2_709_876.5])
THETA = np.radians(30.0)
ROTATE = np.array([[np.cos(THETA), -np.sin(THETA)], [np.sin(THETA), np.cos(THETA)]])
# fixed click errors of a few decimetres, like a planner's on a map
CLICKS = np.array([[0.2, -0.1], [-0.15, 0.25], [0.1, 0.2], [-0.25, -0.1], [0.05, -0.2], [0.2, 0.1], [-0.1, -0.15]])


def _map(plan: np.ndarray, scale: float = 1.02) -> np.ndarray:
    return plan @ ROTATE.T * scale + ORIGIN


@pytest.mark.parametrize("method", list(Method))
def test_exact_points_give_back_the_transform(method: Method) -> None:
    fit = fit_transform(PLAN[:4], _map(PLAN[:4]), method)
    assert fit.scale == pytest.approx(1.02, abs=1e-9)
    assert fit.rotation_deg == pytest.approx(30.0, abs=1e-7)
    assert fit.rms < 1e-6
    x, y = fit.apply(PLAN[4:, 0], PLAN[4:, 1])
    assert np.allclose(np.column_stack([x, y]), _map(PLAN[4:]), atol=1e-6)


def test_affine_recovers_a_stretched_scan() -> None:
    stretch = np.array([[1.05, 0.02], [0.0, 0.97]])  # a scan pulled unevenly by the scanner
    target = (PLAN @ stretch.T) @ ROTATE.T + ORIGIN
    assert fit_transform(PLAN, target, "affine").rms < 1e-6
    assert fit_transform(PLAN, target, "similarity").rms > 0.5  # the similarity cannot follow it


def test_residuals_and_rms_follow_the_click_errors() -> None:
    fit = fit_transform(PLAN[:4], _map(PLAN[:4]) + CLICKS[:4])
    assert len(fit.residuals) == 4
    assert all(0 < r < 0.5 for r in fit.residuals)
    assert fit.rms == pytest.approx(np.sqrt(np.mean(np.square(fit.residuals))))
    assert fit.flagged == ()


@pytest.mark.parametrize("moved", range(4))
def test_a_point_moved_20_m_among_four_is_flagged_alone(moved: int) -> None:
    target = _map(PLAN[:4]) + CLICKS[:4]
    target[moved] += [12.0, 16.0]  # 20 m off
    fit = fit_transform(PLAN[:4], target, "similarity")
    assert fit.flagged == (moved,)
    assert fit.check_residuals[moved] > 15


@pytest.mark.parametrize("moved", range(7))
def test_affine_with_seven_points_flags_the_moved_one_alone(moved: int) -> None:
    target = _map(PLAN) + CLICKS
    target[moved] += [0.0, 20.0]
    assert fit_transform(PLAN, target, "affine").flagged == (moved,)


def test_good_points_are_not_flagged_even_when_all_are_a_bit_off() -> None:
    target = _map(PLAN) + CLICKS * 3  # up to about 1 m of click error everywhere
    for method in Method:
        assert fit_transform(PLAN, target, method).flagged == ()


def test_the_floor_keeps_small_residuals_unflagged() -> None:
    target = _map(PLAN[:4]).copy()
    target[2] += [0.0, FLAG_FLOOR_M * 0.5]  # clearly the odd one out, yet well under a metre
    assert fit_transform(PLAN[:4], target).flagged == ()


def test_three_points_cannot_judge_a_similarity_fit() -> None:
    target = _map(PLAN[:3])
    target[1] += [20.0, 0.0]
    fit = fit_transform(PLAN[:3], target)
    assert fit.flagged == ()  # no spare point: the residuals are shown, nothing is blamed
    assert fit.rms > 1


@pytest.mark.parametrize(("method", "given"), [(Method.SIMILARITY, 1), (Method.AFFINE, 2)])
def test_too_few_points_is_refused(method: Method, given: int) -> None:
    with pytest.raises(InputError) as caught:
        fit_transform(PLAN[:given], _map(PLAN[:given]), method)
    assert caught.value.reason == "cad.too_few_points"
    assert str(minimum_points(method)) in str(caught.value)
    assert "控制点太少" in str(caught.value)


def test_points_on_one_line_are_refused() -> None:
    line = np.array([[0, 0], [10, 10], [20, 20], [30, 30]], dtype=float)
    with pytest.raises(InputError) as caught:
        fit_transform(line, _map(line), "affine")
    assert caught.value.reason == "cad.degenerate_points"


def test_unmatched_point_lists_are_refused() -> None:
    with pytest.raises(InputError) as caught:
        fit_transform(PLAN[:4], _map(PLAN[:3]))
    assert caught.value.reason == "cad.unmatched_points"


def test_fit_is_frozen() -> None:
    fit = fit_transform(PLAN[:4], _map(PLAN[:4]))
    assert isinstance(fit, Fit)
    with pytest.raises(AttributeError):
        fit.rms = 0.0  # type: ignore[misc]
