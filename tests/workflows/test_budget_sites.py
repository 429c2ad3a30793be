"""Budget projects at their places (a public space, an idle plot, a project of the list) and the map of funded ones."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cogov_toolkit.core.votes import RawBallot
from cogov_toolkit.errors import ValidationError
from cogov_toolkit.render.interactive import content_map
from cogov_toolkit.render.offline_assets import loadable_urls
from cogov_toolkit.storage import Workspace, open_workspace
from cogov_toolkit.workflows.selections import create_budget, funded_content, read_projects
from cogov_toolkit.workflows.votes import count_vote, get_vote, record_ballots, roll_for

PROJECTS = "口袋花园 / 2.5万 / P01\n邻里客厅 / 30000 / PJ04\n楼道扶手 / 8000\n文化墙 / 1.2万 / s02"


@pytest.fixture(name="ws", scope="module")
def fixture_ws(sample_path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    from tests.conftest import copy_workspace

    ws = open_workspace(copy_workspace(sample_path, tmp_path_factory.mktemp("预算地图")), backups=0)
    yield ws
    ws.close()


def test_projects_name_their_places_and_the_map_shows_the_funded_ones(ws: Workspace) -> None:
    projects = read_projects(PROJECTS)
    assert [p.site for p in projects] == ["P01", "PJ04", None, "S02"]
    create_budget(ws, "B1", "2026年微实事", projects, budget=45_000)
    assert dict(get_vote(ws, "B1").option_sites) == {"口袋花园": "P01", "邻里客厅": "PJ04", "文化墙": "S02"}
    households = list(roll_for(ws, "B1")["household_id"][:6])
    choices = [
        ("口袋花园", "楼道扶手"),
        ("口袋花园",),
        ("口袋花园", "文化墙"),
        ("邻里客厅",),
        ("楼道扶手",),
        ("文化墙",),
    ]
    record_ballots(
        ws, "B1", [RawBallot(f"纸{i}", h, c) for i, (h, c) in enumerate(zip(households, choices, strict=True))], "paper"
    )
    funding = {f.project: f.funded for f in count_vote(ws, "B1").result.funding}
    assert funding == {"口袋花园": True, "楼道扶手": True, "文化墙": True, "邻里客厅": False}
    content = funded_content(ws, "B1")
    layer = content.layers[0]
    # drawn where they are: the idle plot P01 and the culture wall S02; 楼道扶手 names no place
    assert layer.tips == ("口袋花园", "文化墙") and [v[1] for v in layer.values] == ["P01", "S02"]
    assert "楼道扶手" in layer.note and "邻里客厅" not in "".join(layer.tips)
    html = content_map(content).get_root().render()
    assert "口袋花园" in html and "文化墙" in html and "邻里客厅" not in html
    assert loadable_urls(html) == []  # no CDN: the map opens with no internet
    assert loadable_urls('<script src="https://cdn.jsdelivr.net/x.js"></script>')  # the check sees one


def test_a_project_at_an_unknown_place_is_refused_with_its_name(ws: Workspace) -> None:
    with pytest.raises(ValidationError) as caught:
        create_budget(ws, "B2", "微实事", read_projects("座椅 / 6000 / P99\n扶手 / 8000"), budget=10_000)
    assert any(p.reason == "selection.unknown_site" and p.params["site"] == "P99" for p in caught.value.problems)
