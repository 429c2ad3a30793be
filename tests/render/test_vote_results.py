"""Result table, bar chart, instant-runoff flow and turnout map of a counted vote."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from cogov_toolkit.core.votes import BallotSet, count_instant_runoff, count_plurality
from cogov_toolkit.demo.sample import build_sample_workspace, sample_data_dir
from cogov_toolkit.errors import CogovError
from cogov_toolkit.render.vote_results import (
    bar_chart,
    irv_flow,
    public_turnout,
    result_table,
    set_aside_table,
)
from cogov_toolkit.storage import Workspace, open_workspace
from cogov_toolkit.workflows.maps import turnout_layer
from cogov_toolkit.workflows.votes import (
    count_vote,
    create_vote,
    import_ballots,
    turnout_by_building,
)

OPTIONS = ("口袋花园", "休闲座椅", "儿童游乐")


@pytest.fixture(name="ws", scope="module")
def fixture_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = open_workspace(build_sample_workspace(tmp_path_factory.mktemp("结果") / "幸福社区.gpkg"), backups=0)
    create_vote(ws, "R1", "P01 改造成什么？", OPTIONS, rule="plurality", scope_type="neighbourhood", scope_id="N1")
    import_ballots(ws, "R1", sample_data_dir() / "ballots.csv", source_vote_id="V01")
    count_vote(ws, "R1")
    yield ws
    ws.close()


def _irv_result():
    ballots = BallotSet.from_rankings([[0, 1, 2], [1, 0, 2], [2, 1, 0], [2, 0, 1]], OPTIONS, [4, 3, 2, 2])
    return count_instant_runoff(ballots)


def test_the_table_lists_votes_shares_and_the_winner(ws: Workspace) -> None:
    from cogov_toolkit.workflows.votes import recount_vote

    table = result_table(recount_vote(ws, "R1").result)
    assert table.columns.tolist() == ["选项", "票数", "占有效票", "胜出"]
    assert table.values.tolist() == [
        ["口袋花园", "147", "42.5%", "★"],
        ["休闲座椅", "142", "41.0%", ""],
        ["儿童游乐", "57", "16.5%", ""],
    ]
    reasons = set_aside_table(recount_vote(ws, "R1").result)
    assert dict(reasons.values.tolist()) == {
        "重复投票（同一户已有一票计入）": 2,
        "投票户不在花名册上": 1,
        "选了不在选项中的内容": 1,
    }


def test_the_bar_chart_draws_every_option_in_chinese(ws: Workspace) -> None:
    from cogov_toolkit.workflows.votes import recount_vote

    figure = bar_chart(recount_vote(ws, "R1").result)
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.get_yticklabels()] == list(OPTIONS[::-1])
    assert sorted(p.get_width() for p in axes.patches) == [57, 142, 147]
    assert any("★" in t.get_text() for t in axes.texts)
    figure.canvas.draw()  # renders with the CJK font (no missing-glyph boxes would be caught by the font test)


def test_the_irv_flow_shows_each_round() -> None:
    result = _irv_result()
    figure = irv_flow(result)
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.get_xticklabels()] == [f"第 {r.number} 轮" for r in result.rounds]
    eliminated = result.rounds[0].eliminated[0]
    lines = {line.get_label(): line.get_ydata().tolist() for line in axes.get_lines()}
    assert len(lines[eliminated]) == 1  # an eliminated option stops after its last round
    assert len(lines[result.winners[0]]) == len(result.rounds)
    with pytest.raises(CogovError, match="逐轮"):
        irv_flow(count_plurality(BallotSet("choice", OPTIONS, np.array([[0]]))))


def test_turnout_map_greys_buildings_with_fewer_than_5_voters(ws: Workspace) -> None:
    table = turnout_by_building(ws, "R1").set_index("building_id")
    layer = turnout_layer(ws, "R1", min_voters=10)  # the sample has no building under 5 voters; 10 exercises it
    small = set(table.index[table["voters"] < 10])
    assert small, "the check needs buildings under the threshold"
    suppressed = len(layer.classes) - 1  # the last legend class is the grey "fewer than N" one
    hidden = {tip for tip, c in zip(layer.tips, layer.class_index, strict=True) if c == suppressed}
    assert hidden == set(table.loc[sorted(small), "label"])
    hidden_values = {v for (v, _), c in zip(layer.values, layer.class_index, strict=True) if c == suppressed}
    assert len(hidden_values) == 1  # one "no figure" text, no turnout shown
    assert layer.classes[-1].count == len(small)
    shown = public_turnout(table.reset_index(), min_voters=10)
    assert shown.columns.tolist() == ["楼栋", "户数", "投票户数", "投票率（%）"]
    grey = shown["投票户数"].str.startswith("—")
    assert set(shown.loc[grey, "楼栋"]) == set(table.loc[sorted(small), "label"])
    assert shown.loc[grey, "投票率（%）"].str.startswith("—").all()
    assert shown.loc[~grey, "投票户数"].str.isdigit().all()
