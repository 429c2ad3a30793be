"""Label placement for printed maps: site numbers that never cover each other.

A greedy placement over candidate positions, in priority order (the same rule
the interactive map's script follows in the browser at every zoom): each label
first tries its anchor, then eight positions around it, then rings further out
joined to the anchor by a leader line. A position is taken only if the label's
box stays inside the frame and overlaps no label placed before it; positions
that cover an obstacle (a building number, the north arrow) are tried last. A
label with no free position is left out and reported, never drawn over another.

Pure geometry in display units: :mod:`.print_map` measures the text with
matplotlib and draws the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: how far out the rings of candidate positions lie, in label sizes (1 = touching the anchor)
RINGS: tuple[float, ...] = (1.0, 2.0, 3.2, 4.6, 6.2)
#: the eight directions tried on each ring, best first (right, left, up, down, then the corners)
DIRECTIONS: tuple[tuple[int, int], ...] = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1))

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass(frozen=True)
class Label:
    """A label to place: anchor point, box size, and how far its marker reaches (all in display units)."""

    x: float
    y: float
    width: float
    height: float
    clearance: float = 0.0


@dataclass(frozen=True)
class Placement:
    """Where a label went: its box centre, whether a leader line joins it to the anchor, or not shown."""

    x: float
    y: float
    leader: bool
    shown: bool

    def box(self, label: Label) -> Box:
        """The label's box at this position."""
        return (
            self.x - label.width / 2,
            self.y - label.height / 2,
            self.x + label.width / 2,
            self.y + label.height / 2,
        )


def overlap(a: Box, b: Box, gap: float = 0.0) -> bool:
    """Whether two boxes overlap (or come closer than ``gap``)."""
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def candidates(label: Label, gap: float) -> list[tuple[float, float, bool]]:
    """Return (dx, dy, leader) of every position tried for ``label``, in order."""
    out = [(0.0, 0.0, False)]
    half_w, half_h = label.width / 2 + label.clearance + gap, label.height / 2 + label.clearance + gap
    for k, ring in enumerate(RINGS):
        for sx, sy in DIRECTIONS:
            out.append((sx * (half_w + (ring - 1) * label.width), sy * (half_h + (ring - 1) * label.height), k > 0))
    return out


def place_labels(
    labels: Sequence[Label],
    *,
    frame: Box,
    obstacles: Sequence[Box] = (),
    blocked: Sequence[Box] = (),
    gap: float = 1.0,
) -> list[Placement]:
    """Place ``labels`` in order (highest priority first) so that no two overlap.

    Parameters
    ----------
    labels : sequence of Label
        In priority order.
    frame : Box
        Every label box stays inside it.
    obstacles : sequence of Box
        Covered only when no free position is left (building numbers).
    blocked : sequence of Box
        Never covered (north arrow, scale bar).
    gap : float
        Least distance between two labels.
    """
    placed: list[Box] = []
    out: list[Placement] = []
    for label in labels:
        best: tuple[int, Placement] | None = None
        for dx, dy, leader in candidates(label, gap):
            spot = Placement(label.x + dx, label.y + dy, leader, True)
            box = spot.box(label)
            if box[0] < frame[0] or box[1] < frame[1] or box[2] > frame[2] or box[3] > frame[3]:
                continue
            if any(overlap(box, other, gap) for other in placed) or any(overlap(box, b) for b in blocked):
                continue
            covered = sum(overlap(box, o) for o in obstacles)
            if best is None or covered < best[0]:
                best = (covered, spot)
            if covered == 0:
                break
        if best is None:
            out.append(Placement(label.x, label.y, False, False))
            continue
        out.append(best[1])
        placed.append(best[1].box(label))
    return out


__all__ = ["DIRECTIONS", "RINGS", "Label", "Placement", "candidates", "overlap", "place_labels"]
