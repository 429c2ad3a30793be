"""OpenStreetMap tags as roads and landmarks: the tag rules, and a real .osm file read by GDAL's OSM driver."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cogov_toolkit.errors import EmptyFileError
from cogov_toolkit.io.osm import is_osm_table, landmark_kind, parse_other_tags, road_kind, translate
from cogov_toolkit.storage import Workspace
from cogov_toolkit.workflows.imports import import_layer

# an extract around 幸福社区 (the sample): two ways and four nodes inside it, a road and a kindergarten 4 km away,
# a railway and a restaurant that are neither roads nor landmarks
OSM_XML = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="cogov tests">
  <node id="1" lat="24.4900" lon="118.1080" version="1"/>
  <node id="2" lat="24.4900" lon="118.1110" version="1"/>
  <node id="3" lat="24.4890" lon="118.1080" version="1"/>
  <node id="4" lat="24.4890" lon="118.1110" version="1"/>
  <node id="5" lat="24.5200" lon="118.1500" version="1"/>
  <node id="6" lat="24.5210" lon="118.1510" version="1"/>
  <node id="10" lat="24.4903" lon="118.1077" version="1"><tag k="barrier" v="gate"/><tag k="name" v="西门"/></node>
  <node id="11" lat="24.4901" lon="118.1090" version="1">
    <tag k="shop" v="supermarket"/><tag k="name" v="Mart"/><tag k="name:zh" v="小区超市"/></node>
  <node id="12" lat="24.4895" lon="118.1095" version="1"><tag k="amenity" v="restaurant"/><tag k="name" v="饭店"/></node>
  <node id="13" lat="24.5205" lon="118.1505" version="1"><tag k="amenity" v="kindergarten"/><tag k="name" v="远处"/></node>
  <node id="14" lat="24.4897" lon="118.1100" version="1"><tag k="amenity" v="kindergarten"/><tag k="name" v="阳光幼儿园"/></node>
  <way id="100" version="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/><tag k="name" v="幸福路"/></way>
  <way id="101" version="1"><nd ref="3"/><nd ref="4"/><tag k="railway" v="rail"/></way>
  <way id="102" version="1"><nd ref="5"/><nd ref="6"/><tag k="highway" v="primary"/><tag k="name" v="远路"/></way>
  <way id="103" version="1"><nd ref="3"/><nd ref="1"/><tag k="highway" v="service"/><tag k="service" v="emergency_access"/></way>
</osm>
"""


@pytest.fixture(name="osm_file")
def fixture_osm_file(tmp_path: Path) -> Path:
    path = tmp_path / "幸福社区周边.osm"
    path.write_text(OSM_XML, encoding="utf-8")
    return path


def test_other_tags_are_read_as_gdal_writes_them() -> None:
    text = '"amenity"=>"parcel_locker","name:en"=>"Locker \\"A\\"","operator"=>"丰巢"'
    assert parse_other_tags(text) == {"amenity": "parcel_locker", "name:en": 'Locker "A"', "operator": "丰巢"}
    assert parse_other_tags(None) == {} and parse_other_tags("") == {}


@pytest.mark.parametrize(
    ("tags", "kind"),
    [
        ({"highway": "secondary"}, "city_road"),
        ({"highway": "residential"}, "internal"),
        ({"highway": "service", "service": "emergency_access"}, "fire_lane"),
        ({"highway": "service", "name": "3号消防通道"}, "fire_lane"),
        ({"highway": "footway"}, "footpath"),
        ({"kind": "major_road", "kind_detail": "trunk"}, "city_road"),  # a vector tile's road
        ({"kind": "path", "kind_detail": "steps"}, "footpath"),
        ({"kind": "rail", "kind_detail": "subway"}, None),
        ({"kind": "construction", "kind_detail": "secondary"}, None),  # not a road yet
        ({"railway": "rail"}, None),
        ({"highway": "bus_stop"}, None),  # a node, not a way
    ],
)
def test_road_kinds(tags: dict[str, str], kind: str | None) -> None:
    assert road_kind(tags) == kind


@pytest.mark.parametrize(
    ("tags", "kind"),
    [
        ({"barrier": "gate"}, "gate"),
        ({"entrance": "main"}, "gate"),
        ({"entrance": "staircase"}, None),  # a building's own door, not the compound's gate
        ({"highway": "bus_stop"}, "bus_stop"),
        ({"amenity": "parcel_locker"}, "parcel_locker"),
        ({"amenity": "vending_machine", "vending": "parcel_pickup"}, "parcel_locker"),
        ({"amenity": "recycling"}, "waste_point"),
        ({"amenity": "community_centre"}, "party_service_centre"),
        ({"office": "property_management"}, "property_office"),
        ({"office": "company", "name": "和美物业"}, "property_office"),  # the name says what it is
        ({"shop": "supermarket"}, "shop"),
        ({"shop": "convenience"}, "shop"),
        ({"amenity": "kindergarten"}, "school"),
        ({"amenity": "clinic"}, "other"),
        ({"amenity": "restaurant"}, None),
        ({"shop": "clothes"}, None),
    ],
)
def test_landmark_kinds(tags: dict[str, str], kind: str | None) -> None:
    assert landmark_kind(tags) == kind


def test_translate_keeps_names_in_chinese_first_and_counts_what_it_leaves_out() -> None:
    table = pd.DataFrame(
        {
            "osm_id": ["7", "8", "9"],
            "name": ["North Gate", None, "饭店"],
            "barrier": ["gate", None, None],
            "other_tags": ['"name:zh"=>"北门"', '"amenity"=>"parcel_locker"', '"amenity"=>"restaurant"'],
        }
    )
    assert is_osm_table(table.columns) and not is_osm_table(["landmark_id", "名称", "类型"])
    rows = translate(table, "landmarks")
    assert rows.frame.fillna("").to_dict("records") == [
        {"landmark_id": "7", "name": "北门", "kind": "gate"},
        {"landmark_id": "8", "name": "", "kind": "parcel_locker"},  # a nameless 快递柜 is drawn as 快递柜
    ]
    assert list(rows.kept) == [0, 1] and dict(rows.left_out) == {"amenity=restaurant": 1}


def test_an_osm_file_gives_the_community_its_roads_and_landmarks(sample: Workspace, osm_file: Path) -> None:
    roads = import_layer(sample, osm_file, "roads")
    frame = sample.read_layer("roads")
    assert roads.count == 2
    assert frame[["road_id", "number", "kind"]].to_dict("records") == [
        {"road_id": "100", "number": 1, "kind": "internal"},
        {"road_id": "103", "number": 2, "kind": "fire_lane"},
    ]
    assert frame["name"].iloc[0] == "幸福路" and frame.geometry.geom_type.eq("MultiLineString").all()
    notes = [str(n) for n in roads.notes]
    assert any("railway=rail 1" in n for n in notes)  # left out, and said
    assert any("超过 30 米" in n and "1 处" in n for n in notes)  # 远路, 4 km away
    marks = import_layer(sample, osm_file, "landmarks")
    frame = sample.read_layer("landmarks")
    assert frame[["name", "kind", "number"]].to_dict("records") == [
        {"name": "西门", "kind": "gate", "number": 1},
        {"name": "小区超市", "kind": "shop", "number": 2},  # name:zh before name
        {"name": "阳光幼儿园", "kind": "school", "number": 3},
    ]
    assert any("amenity=restaurant 1" in str(n) for n in marks.notes)


def test_an_osm_file_with_nothing_of_the_layer_or_nothing_near_says_so(
    sample: Workspace, tmp_path: Path, osm_file: Path
) -> None:
    rail = tmp_path / "铁路.osm"
    rail.write_text(OSM_XML.replace('k="highway"', 'k="waterway"'), encoding="utf-8")
    with pytest.raises(EmptyFileError) as info:
        import_layer(sample, rail, "roads")
    assert info.value.reason == "import.osm.nothing" and "railway=rail" in str(info.value)
    far = tmp_path / "别处.osm"
    far.write_text(OSM_XML.replace('lat="24.4', 'lat="24.6'), encoding="utf-8")
    with pytest.raises(EmptyFileError) as info:
        import_layer(sample, far, "landmarks")
    assert info.value.reason == "import.nothing_inside" and "社区范围" in str(info.value)
    assert len(sample.read_layer("landmarks")) == 13  # the sample's own stay
