"""The road lines of a DXF site plan added to a workspace's roads layer (workflows.imports.import_cad_roads).

The fixture is the sample community's site plan in Gauss-Krüger coordinates
(``tests/data/make_cad_fixture.py``): its 道路 layer holds the sample's roads as lines.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyproj
import pytest
import shapely

from cogov_toolkit.errors import RecordError
from cogov_toolkit.io.cad import DeclaredCRS, list_cad_layers
from cogov_toolkit.storage import Workspace
from cogov_toolkit.workflows.imports import import_cad_roads

CAD = Path(__file__).resolve().parents[1] / "data" / "cad"
GK_FILE = CAD / "site_plan_gk.dxf"
TRUTH = json.loads((CAD / "truth.json").read_text(encoding="utf-8"))


def _road_count() -> int:
    return next(layer.count for layer in list_cad_layers(GK_FILE) if layer.name == "道路")


def test_cad_roads_join_the_roads_layer_with_new_ids_placed_on_the_site(sample: Workspace) -> None:
    before = sample.read_layer("roads")
    report = import_cad_roads(sample, GK_FILE, {"道路": "roads"}, DeclaredCRS(TRUTH["crs"]), kind="fire_lane")
    after = sample.read_layer("roads")
    lines = _road_count()
    assert lines > 0 and report.count == lines and len(after) == len(before) + lines
    new = after[~after["road_id"].isin(before["road_id"])]
    assert len(new) == lines and new["road_id"].is_unique and set(new["kind"]) == {"fire_lane"}
    assert set(new.geom_type) <= {"LineString", "MultiLineString"}
    # placed on the site: every new line lies within the sample's boundary grown by 50 m
    boundary = sample.read_layer("community").to_crs(TRUTH["crs"]).geometry.union_all().buffer(50)
    to_gk = pyproj.Transformer.from_crs("EPSG:4326", TRUTH["crs"], always_xy=True)
    for line in new.geometry:
        assert boundary.contains(shapely.transform(line, lambda xy: np.column_stack(to_gk.transform(*xy.T))))
    # the sample's own roads are kept as they were
    kept = after[after["road_id"].isin(before["road_id"])].sort_values("road_id")
    assert list(kept["name"]) == list(before.sort_values("road_id")["name"])
    assert report.notes[0].startswith("图纸按") and "地点编辑" in report.notes[0]


def test_a_second_import_takes_further_ids(sample: Workspace) -> None:
    import_cad_roads(sample, GK_FILE, {"道路": "roads"}, DeclaredCRS(TRUTH["crs"]))
    import_cad_roads(sample, GK_FILE, {"道路": "roads"}, DeclaredCRS(TRUTH["crs"]))
    roads = sample.read_layer("roads")
    assert roads["road_id"].is_unique and len(roads) == 7 + 2 * _road_count()


def test_a_plan_without_a_road_layer_is_refused_by_name(sample: Workspace) -> None:
    before = len(sample.read_layer("roads"))
    with pytest.raises(RecordError) as caught:
        import_cad_roads(sample, GK_FILE, {"建筑": "buildings"}, DeclaredCRS(TRUTH["crs"]))
    assert caught.value.reason == "cad.no_road_layer" and GK_FILE.name in caught.value.message()
    assert len(sample.read_layer("roads")) == before
