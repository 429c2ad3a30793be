"""Label placement (render/labels.py), Chinese line breaking (render/linebreak.py) and the one palette per meaning."""

from __future__ import annotations

import numpy as np
import pytest

from cogov_toolkit.core.schema import ENUMS
from cogov_toolkit.render.labels import Label, overlap, place_labels
from cogov_toolkit.render.linebreak import NO_LINE_END, NO_LINE_START, break_lines, check_lines
from cogov_toolkit.render.style import GREYS, StyleName, map_style


def test_a_crowd_of_labels_is_placed_with_no_overlap_and_inside_the_frame() -> None:
    rng = np.random.default_rng(7)
    frame = (0.0, 0.0, 800.0, 600.0)
    # 60 labels around four hot spots, as sites cluster around a courtyard
    centres = rng.choice([(200, 150), (600, 150), (200, 450), (600, 450)], size=60)
    labels = [Label(float(x + rng.normal(0, 15)), float(y + rng.normal(0, 15)), 40, 20) for x, y in centres]
    blocked = [(700.0, 500.0, 800.0, 600.0)]
    spots = place_labels(labels, frame=frame, blocked=blocked, gap=2)
    boxes = [s.box(lab) for s, lab in zip(spots, labels, strict=True) if s.shown]
    assert len(boxes) >= 55  # nearly all find room, a few with leader lines
    assert any(s.leader for s in spots)
    assert not any(overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert all(frame[0] <= b[0] and b[2] <= frame[2] and frame[1] <= b[1] and b[3] <= frame[3] for b in boxes)
    assert not any(overlap(b, blocked[0]) for b in boxes)


def test_a_label_with_no_room_is_left_out_not_drawn_over_another() -> None:
    frame = (0.0, 0.0, 50.0, 25.0)  # room for one label only
    spots = place_labels([Label(25, 12, 40, 20), Label(25, 12, 40, 20)], frame=frame)
    assert [s.shown for s in spots] == [True, False]


def test_obstacles_are_avoided_when_there_is_room() -> None:
    spot = place_labels([Label(100, 100, 40, 20)], frame=(0, 0, 400, 400), obstacles=[(70, 85, 130, 115)])[0]
    assert spot.shown and not overlap(spot.box(Label(100, 100, 40, 20)), (70, 85, 130, 115))


def ems(text: str) -> float:
    return sum(1.0 if ord(c) > 0x2E80 else 0.55 for c in text)


@pytest.mark.parametrize("width", range(3, 22))
def test_no_line_starts_with_closing_punctuation(width: int) -> None:
    text = "幸福社区「共同缔造」微更新（第二期）公示：闲置地块、认养点，2026-03-01 起。"
    lines = break_lines(text, width, ems)
    assert check_lines(lines) == []
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(ems(line) <= width for line in lines if len(line) > 1 and "2026-03-01" not in line)
    if width >= ems("2026-03-01"):
        assert "2026-03-01" in "\n".join(lines)  # a date is never cut when it fits on a line


def test_the_rule_check_finds_a_bad_break() -> None:
    assert check_lines(["幸福社区「", "」地图"]) == ["幸福社区「", "」地图"]
    assert "」" in NO_LINE_START and "「" in NO_LINE_END


def site_classes(style_name: StyleName) -> list[tuple[str, str]]:
    style = map_style(style_name)
    out = []
    for enum in ("public_space_type", "idle_plot_status", "adoption_status", "triage_class"):
        for i, code in enumerate([*ENUMS[enum], *([""] if enum == "triage_class" else [])]):
            out.append((style.class_colour(enum, code, i), style.class_hatch(enum, code, i)))
    return out


@pytest.mark.parametrize("name", list(StyleName))
def test_one_palette_per_meaning(name: StyleName) -> None:
    style = map_style(name)
    looks = site_classes(name)
    grids = {(style.class_colour("grid", None, i), style.class_hatch("grid", None, i)) for i in range(8)}
    if style.greyscale:
        assert len(set(looks)) == len(looks)  # (grey, hatch) pairs
        assert all(hatch for _, hatch in looks) and all(colour in GREYS for colour, _ in looks)
        assert not grids & set(looks)
    else:
        colours = [c for c, _ in looks]
        assert len(set(colours)) == len(colours)
        assert not {c for c, _ in grids} & set(colours)


# --- names beside symbols and along roads ----------------------------------------------------------------
def test_a_name_goes_beside_its_symbol_never_over_it_nor_far() -> None:
    from cogov_toolkit.render.labels import NEAR_RINGS, candidates

    name = Label(100.0, 100.0, 60, 20, clearance=5, beside=True)
    tries = candidates(name, gap=2)
    assert (0.0, 0.0, False) not in tries and len(tries) == 8 * NEAR_RINGS
    assert (0.0, 0.0, False) in candidates(Label(100.0, 100.0, 60, 20), gap=2)
    # crowded all round at the nearest rings: left out, not sent far away on a long leader
    crowd = [Label(100.0, 100.0, 60, 20, beside=True)]
    walls = [(0.0, 0.0, 400.0, 400.0)]
    assert not place_labels(crowd, frame=(0.0, 0.0, 400.0, 400.0), blocked=walls)[0].shown


def test_a_road_name_runs_along_its_longest_stretch_read_left_to_right() -> None:
    from cogov_toolkit.render.labels import LineLabel, place_line_labels, reading_angle

    assert reading_angle((0, 0), (10, 0)) == 0 and reading_angle((10, 0), (0, 0)) == 0  # never upside down
    assert reading_angle((0, 0), (0, 10)) == 90 and reading_angle((0, 10), (0, 0)) == 90
    frame = (0.0, 0.0, 500.0, 500.0)
    # an L-shaped road drawn east to west: its long leg is the horizontal one
    road = LineLabel((((480.0, 100.0), (20.0, 100.0), (20.0, 160.0)),), 80, 16)
    spot = place_line_labels([road], frame=frame)[0]
    assert spot.shown and (spot.x, spot.y, spot.angle) == (250.0, 100.0, 0.0)
    # something already there in the middle: the name moves a third of the way along
    spot = place_line_labels([road], frame=frame, placed=[(230.0, 90.0, 270.0, 110.0)])[0]
    assert spot.shown and round(spot.x) in (158, 342) and not overlap(spot.box(road), (230.0, 90.0, 270.0, 110.0), 1.0)
    # a road too short for its name is drawn unnamed; two names never overlap
    short = LineLabel((((0.0, 300.0), (90.0, 300.0)),), 80, 16)
    assert not place_line_labels([short], frame=frame)[0].shown
    twins = place_line_labels([road, road], frame=frame)
    assert all(t.shown for t in twins) and not overlap(twins[0].box(road), twins[1].box(road))
