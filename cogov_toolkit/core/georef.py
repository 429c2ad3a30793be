"""Fit a plan's local coordinates to the map from matched control points.

A CAD site plan (总平面图) or a scanned plan image has its own coordinates; the
planner clicks the same corners on the plan and on the map, and this module
fits the transform between them by least squares, in metres (both sides in a
projected CRS, e.g. the CGCS2000 Gauss-Kruger zone; ``layers/cad.py`` does the
projecting).

Two transforms:

- **similarity** (4-parameter Helmert: shift, one scale, rotation): a CAD plan
  drawn to scale. Needs 2 points; residuals need 3 or more.
- **affine** (6 parameters: shift, two scales, rotation, shear): a scanned
  image that may be stretched. Needs 3 points; residuals need 4 or more.

**Which point looks wrong** (the flag rule). Each point is checked against a fit
made *without it* (leave-one-out): its check residual is the distance between
where the others place it and where the planner put it on the map. Repeatedly,
the suspect is the point whose removal leaves the others agreeing best (the
smallest RMS of the fit without it); it is flagged if its check residual exceeds
``max(3 × that RMS, FLAG_FLOOR_M)``, then left out, and the rest are checked
again. Choosing by the agreement of the others, not by the largest residual,
keeps a good corner point (which pulls hard on an affine fit) from being blamed. Checking stops while at least one
redundant point remains (a fit with no spare point cannot judge). Because a bad
point is judged by a fit it did not pull, it stands out alone instead of
spreading its error over the good points. The fit itself always uses every
point the planner gave: flagged points are shown, and the planner decides.

With the affine transform, singling out a bad point reliably needs 5 or more
points (4 points leave only 2 spare coordinates).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

from cogov_toolkit.errors import InputError

#: a check residual under this many metres is never flagged: a careful click on the map is good to
#: about 1 m, and a point checked from the others (near the edge of the site) can double that
FLAG_FLOOR_M = 2.0
#: a check residual is flagged above this many times the RMS of the fit without the point
FLAG_FACTOR = 3.0


class Method(StrEnum):
    """The transform fitted between plan and map coordinates."""

    SIMILARITY = "similarity"
    AFFINE = "affine"


#: unknowns per transform (each control point gives two equations)
_PARAMETERS = {Method.SIMILARITY: 4, Method.AFFINE: 6}


@dataclass(frozen=True)
class Fit:
    """A fitted plan-to-map transform with its per-point quality.

    ``matrix`` holds ``(a, b, c, d, e, f)`` with ``X = a·x + b·y + c`` and
    ``Y = d·x + e·y + f``. ``residuals`` are the distances (metres, map units)
    between each control point placed by the fit and where it was put on the
    map; ``check_residuals`` the same from a fit without that point (NaN when too
    few points remain); ``flagged`` the indices of suspect points (see module doc).
    """

    method: Method
    matrix: tuple[float, float, float, float, float, float]
    residuals: tuple[float, ...]
    check_residuals: tuple[float, ...]
    rms: float
    flagged: tuple[int, ...]

    @property
    def scale(self) -> float:
        """Mean linear scale (map units per plan unit)."""
        a, b, _, d, e, _ = self.matrix
        return float(np.sqrt(abs(a * e - b * d)))

    @property
    def rotation_deg(self) -> float:
        """Rotation from plan to map, degrees anticlockwise."""
        a, _, _, d, _, _ = self.matrix
        return float(np.degrees(np.arctan2(d, a)))

    def apply(self, x: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return map coordinates of plan coordinates ``x``, ``y`` (arrays of equal shape)."""
        return _apply(self.matrix, np.asarray(x, dtype=float), np.asarray(y, dtype=float))


def minimum_points(method: Method | str) -> int:
    """Return how many control points ``method`` needs to be determined at all."""
    return _PARAMETERS[Method(method)] // 2


def fit_transform(
    plan: Sequence[tuple[float, float]] | ArrayLike,
    target: Sequence[tuple[float, float]] | ArrayLike,
    method: Method | str = Method.SIMILARITY,
) -> Fit:
    """Fit a plan-to-map transform from matched control points by least squares.

    Parameters
    ----------
    plan : array-like of shape (n, 2)
        Control points in plan coordinates (CAD units or image pixels).
    target : array-like of shape (n, 2)
        The same points on the map, in a projected CRS (metres).
    method : Method or str
        ``"similarity"`` (≥ 2 points, residuals from 3) or ``"affine"`` (≥ 3, residuals from 4).

    Returns
    -------
    Fit
        The transform, residual per point, RMS and flagged points.

    Raises
    ------
    InputError
        ``cad.too_few_points`` with too few pairs; ``cad.degenerate_points`` when
        the points lie (nearly) on one line or on one spot.
    """
    method = Method(method)
    src, dst = _pairs(plan, target)
    needed = minimum_points(method)
    if len(src) < needed:
        raise InputError("cad.too_few_points", needed=needed, given=len(src))
    matrix = _solve(src, dst, method)
    residuals = _distances(matrix, src, dst)
    rms = float(np.sqrt(np.mean(residuals**2)))
    check = _check_residuals(src, dst, method)
    return Fit(
        method=method,
        matrix=matrix,
        residuals=tuple(float(r) for r in residuals),
        check_residuals=tuple(float(r) for r in check),
        rms=rms,
        flagged=_flag(src, dst, method),
    )


def _pairs(plan: ArrayLike, target: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    src = np.asarray(plan, dtype=float).reshape(-1, 2)
    dst = np.asarray(target, dtype=float).reshape(-1, 2)
    if src.shape != dst.shape:
        raise InputError("cad.unmatched_points", plan=len(src), map=len(dst))
    if not (np.isfinite(src).all() and np.isfinite(dst).all()):
        raise InputError("cad.point_not_a_number")
    return src, dst


def _design(src: NDArray[np.float64], method: Method) -> NDArray[np.float64]:
    """Return the least-squares design matrix: rows for X equations, then Y equations."""
    x, y = src[:, 0], src[:, 1]
    one, zero = np.ones_like(x), np.zeros_like(x)
    if method is Method.SIMILARITY:  # unknowns a, b, c, f with X = a x - b y + c, Y = b x + a y + f
        top = np.column_stack([x, -y, one, zero])
        bottom = np.column_stack([y, x, zero, one])
    else:  # unknowns a, b, c, d, e, f
        top = np.column_stack([x, y, one, zero, zero, zero])
        bottom = np.column_stack([zero, zero, zero, x, y, one])
    return np.vstack([top, bottom])


def _solve(
    src: NDArray[np.float64], dst: NDArray[np.float64], method: Method
) -> tuple[float, float, float, float, float, float]:
    # centre both sides so the normal equations stay well conditioned with GK coordinates in the millions
    src_c, dst_c = src.mean(axis=0), dst.mean(axis=0)
    spread = np.abs(src - src_c).max()
    if spread == 0:
        raise InputError("cad.degenerate_points")
    design = _design(src - src_c, method)
    rhs = np.concatenate([dst[:, 0] - dst_c[0], dst[:, 1] - dst_c[1]])
    solution, _, rank, singular = np.linalg.lstsq(design, rhs, rcond=None)
    if rank < design.shape[1] or singular[-1] < 1e-9 * singular[0]:
        raise InputError("cad.degenerate_points")
    if method is Method.SIMILARITY:
        a, b = solution[0], solution[1]
        lin = np.array([[a, -b], [b, a]])
    else:
        lin = np.array([[solution[0], solution[1]], [solution[3], solution[4]]])
    shift = dst_c - lin @ src_c
    return (
        float(lin[0, 0]),
        float(lin[0, 1]),
        float(shift[0]),
        float(lin[1, 0]),
        float(lin[1, 1]),
        float(shift[1]),
    )


def _apply(
    matrix: tuple[float, ...], x: NDArray[np.float64], y: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    a, b, c, d, e, f = matrix
    return a * x + b * y + c, d * x + e * y + f


def _distances(matrix: tuple[float, ...], src: NDArray[np.float64], dst: NDArray[np.float64]) -> NDArray[np.float64]:
    px, py = _apply(matrix, src[:, 0], src[:, 1])
    return np.hypot(px - dst[:, 0], py - dst[:, 1])


def _leave_out(
    src: NDArray[np.float64], dst: NDArray[np.float64], method: Method, index: int
) -> tuple[float, float] | None:
    """Return (check residual of ``index``, RMS of the fit without it), or None when that fit is impossible."""
    keep = np.arange(len(src)) != index
    if keep.sum() < minimum_points(method):
        return None
    try:
        matrix = _solve(src[keep], dst[keep], method)
    except InputError:
        return None
    check = float(_distances(matrix, src[index : index + 1], dst[index : index + 1])[0])
    rest = _distances(matrix, src[keep], dst[keep])
    return check, float(np.sqrt(np.mean(rest**2)))


def _check_residuals(src: NDArray[np.float64], dst: NDArray[np.float64], method: Method) -> NDArray[np.float64]:
    out = np.full(len(src), np.nan)
    for i in range(len(src)):
        result = _leave_out(src, dst, method, i)
        if result is not None:
            out[i] = result[0]
    return out


def _flag(src: NDArray[np.float64], dst: NDArray[np.float64], method: Method) -> tuple[int, ...]:
    """Flag points one at a time by leave-one-out (see the module docstring)."""
    remaining = list(range(len(src)))
    flagged: list[int] = []
    # judging needs a spare point beyond the minimum after leaving the candidate out
    while len(remaining) - 1 > minimum_points(method):
        sub_src, sub_dst = src[remaining], dst[remaining]
        best: tuple[float, float, int] | None = None  # (RMS without it, check residual, index)
        for position, index in enumerate(remaining):
            result = _leave_out(sub_src, sub_dst, method, position)
            if result is not None and (best is None or result[1] < best[0]):
                best = (result[1], result[0], index)
        if best is None or best[1] <= max(FLAG_FACTOR * best[0], FLAG_FLOOR_M):
            break
        flagged.append(best[2])
        remaining.remove(best[2])
    return tuple(sorted(flagged))
