"""Label placement for printed maps: site numbers that never cover each other.

A greedy placement over candidate positions, in priority order (the same rule
the interactive map's script follows in the browser at every zoom): each label
first tries its anchor, then eight positions around it, then rings further out
joined to the anchor by a leader line. A position is taken only if the label's
box stays inside the frame and overlaps no label placed before it; positions
that cover an obstacle (a building number, the north arrow) are tried last. A
label with no free position is left out and reported, never drawn over another.
A landmark's name goes beside its symbol (never over it, on the nearest rings
only); a road's name along one of its longest stretches, turned to read left to
right (:func:`place_line_labels`), where it fits.

Pure geometry in display units: :mod:`.print_map` measures the text with
matplotlib and draws the result.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

#: how far out the rings of candidate positions lie, in label sizes (1 = touching the anchor)
RINGS: tuple[float, ...] = (1.0, 2.0, 3.2, 4.6, 6.2)
#: how many rings a name beside its symbol may use: farther, a leader line would lead the eye astray
NEAR_RINGS = 2
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
    #: a name beside its symbol (a landmark): never over the symbol, and only on the nearest rings
    beside: bool = False


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
    out = [] if label.beside else [(0.0, 0.0, False)]
    half_w, half_h = label.width / 2 + label.clearance + gap, label.height / 2 + label.clearance + gap
    for k, ring in enumerate(RINGS[:NEAR_RINGS] if label.beside else RINGS):
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


# --- names along lines (roads) ---------------------------------------------------------------------
#: where along a stretch of a line its name is tried: the middle, then step by step towards either end
ALONG: tuple[float, ...] = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.12, 0.88)
#: how many of a line's longest stretches are tried
STRETCHES = 4

Point = tuple[float, float]


@dataclass(frozen=True)
class LineLabel:
    """A name to write along a line: the line's parts (display units) and the size of the text, unturned."""

    parts: tuple[tuple[Point, ...], ...]
    width: float
    height: float


@dataclass(frozen=True)
class LinePlacement:
    """Where a line's name went: its centre, its angle (degrees, read left to right), or not shown."""

    x: float
    y: float
    angle: float
    shown: bool

    def box(self, label: LineLabel) -> Box:
        """The box that holds the turned text."""
        w, h = turned_size(label.width, label.height, self.angle)
        return (self.x - w / 2, self.y - h / 2, self.x + w / 2, self.y + h / 2)


def turned_size(width: float, height: float, angle: float) -> tuple[float, float]:
    """Width and height of the box around a ``width`` × ``height`` text turned by ``angle`` degrees."""
    c, s = abs(math.cos(math.radians(angle))), abs(math.sin(math.radians(angle)))
    return (width * c + height * s, width * s + height * c)


def reading_angle(a: Point, b: Point) -> float:
    """The angle of the stretch from ``a`` to ``b`` in degrees, turned to read left to right (-90, 90]."""
    angle = math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))
    if angle > 90:
        angle -= 180
    elif angle <= -90:
        angle += 180
    return angle


def place_line_labels(
    labels: Sequence[LineLabel], *, frame: Box, placed: Sequence[Box] = (), gap: float = 1.0
) -> list[LinePlacement]:
    """Write each line's name along one of its longest stretches where it fits, clear of ``placed``.

    The rule of the interactive map's script: a stretch must be longer than the
    name and twice its height; the name sits at its middle (else step by step
    towards either end, :data:`ALONG`), turned along it; its box must stay in ``frame`` and
    clear of every box placed before (other names, numbers, landmarks). A name
    with no such place is not written: the line is still drawn.
    """
    taken = list(placed)
    out = []
    for label in labels:
        stretches = sorted(
            ((a, b, math.dist(a, b)) for part in label.parts for a, b in zip(part, part[1:], strict=False)),
            key=lambda item: -item[2],
        )
        spot = None
        for a, b, length in stretches[:STRETCHES]:
            if length < label.width + 2 * label.height:
                break
            angle = reading_angle(a, b)
            for t in ALONG:
                candidate = LinePlacement(a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), angle, True)
                box = candidate.box(label)
                if box[0] < frame[0] or box[1] < frame[1] or box[2] > frame[2] or box[3] > frame[3]:
                    continue
                if any(overlap(box, other, gap) for other in taken):
                    continue
                spot = candidate
                break
            if spot is not None:
                break
        if spot is None:
            out.append(LinePlacement(0.0, 0.0, 0.0, False))
            continue
        taken.append(spot.box(label))
        out.append(spot)
    return out


__all__ = [
    "ALONG",
    "DIRECTIONS",
    "NEAR_RINGS",
    "RINGS",
    "STRETCHES",
    "Label",
    "LineLabel",
    "LinePlacement",
    "Placement",
    "candidates",
    "overlap",
    "place_labels",
    "place_line_labels",
    "reading_angle",
    "turned_size",
]
