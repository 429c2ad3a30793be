"""OpenStreetMap data as roads and landmarks: what its tags mean for a resident finding their way.

An OpenStreetMap extract reaches the toolkit in three shapes: an ``.osm`` or
``.osm.pbf`` file (read by GDAL's OSM driver: ``highway``, ``barrier`` … as
fields, every other tag in the ``other_tags`` field), a GeoJSON written by an
OSM tool (one field per tag), or a vector-tile export (Tilezen/Nextzen:
``kind`` and ``kind_detail``, as in ``wuhan_osm_tiles.geojson``). All three
are turned here into the columns of the ``roads`` and ``landmarks`` layers:
an id (the OSM id), a name (``name:zh`` before ``name``) and a kind code.

Highway ways become roads (市政道路, 小区道路, 消防通道, 步道); entrance, gate,
bus-stop, shop and amenity nodes become landmarks (大门, 公交站, 快递柜, 小区超市, 幼儿园 …).
What is neither (a railway, a road under construction, a restaurant) is left
out and counted by its tag, never dropped in silence. Pure: a DataFrame in,
a DataFrame and notes out.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: fields that mark a table as OpenStreetMap tags (GDAL's OSM driver, OSM GeoJSON, vector tiles)
TAG_FIELDS = (
    "highway",
    "other_tags",
    "kind_detail",
    "amenity",
    "entrance",
    "public_transport",
    "barrier",
    "office",
    "shop",
)
#: fields holding a feature's OSM id, best first
ID_FIELDS = ("osm_id", "@id", "id", "osm_way_id")
#: fields holding a feature's name, best first (Simplified Chinese before the local default)
NAME_FIELDS = ("name:zh", "name:zh-Hans", "name:zh-CN", "name")

# --- roads: highway=* -> road_kind ---------------------------------------------------------------
CITY_HIGHWAYS = frozenset(
    {"motorway", "trunk", "primary", "secondary", "tertiary"}
    | {f"{k}_link" for k in ("motorway", "trunk", "primary", "secondary", "tertiary")}
)
INTERNAL_HIGHWAYS = frozenset({"residential", "living_street", "service", "unclassified", "road", "track"})
FOOT_HIGHWAYS = frozenset({"footway", "path", "pedestrian", "steps", "cycleway", "bridleway"})
#: vector-tile kinds that are roads (their ``kind_detail`` is the highway value); rail, ferries … are not
TILE_ROAD_KINDS = frozenset({"highway", "major_road", "minor_road", "path"})

# --- landmarks: tags -> landmark_kind -------------------------------------------------------------
GATE_BARRIERS = frozenset({"gate", "lift_gate", "swing_gate", "sliding_gate", "entrance", "turnstile"})
#: entrance=* values of a compound's gates (staircase and home are a building's own doors)
GATE_ENTRANCES = frozenset({"yes", "main", "service", "emergency", "exit", "entrance"})
#: amenity=* (or a vector tile's kind) -> landmark kind
AMENITY_KINDS = {
    "parcel_locker": "parcel_locker",
    "recycling": "waste_point",
    "waste_disposal": "waste_point",
    "waste_transfer_station": "waste_point",
    "charging_station": "charging_point",
    # in Chinese communities the 社区服务中心 is the 党群服务中心 (the name it has carried since 2018)
    "community_centre": "party_service_centre",
    "bus_station": "bus_stop",
    "kindergarten": "school",
    "school": "school",
    "childcare": "school",
    # other places residents meet or ask for: kept as 其他地标 with their name
    "toilets": "other",
    "clinic": "other",
    "doctors": "other",
    "pharmacy": "other",
    "police": "other",
    "post_office": "other",
    "library": "other",
    "social_facility": "other",
    "shelter": "other",
}
#: shop=* values of the shops a compound's residents give directions by (小区超市, 便利店)
SHOPS = frozenset({"supermarket", "convenience", "general", "greengrocer"})
#: words in a name that say what a place is, whatever its tags (a 物业 mapped as an office, say)
NAME_KINDS = (
    ("党群", "party_service_centre"),
    ("物业", "property_office"),
    ("快递柜", "parcel_locker"),
    ("幼儿园", "school"),
    ("超市", "shop"),
    ("便利店", "shop"),
)

_HSTORE = re.compile(r'"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"')


def parse_other_tags(text: object) -> dict[str, str]:
    """Return the tags of GDAL's ``other_tags`` field (``"amenity"=>"parcel_locker","name:en"=>"…"``)."""
    if not isinstance(text, str) or not text:
        return {}
    return {k.replace('\\"', '"'): v.replace('\\"', '"') for k, v in _HSTORE.findall(text)}


def is_osm_table(columns: object) -> bool:
    """Whether a file's fields are OpenStreetMap tags (and so need translating) rather than the layer's columns."""
    return any(str(c) in TAG_FIELDS for c in columns)


def road_kind(tags: dict[str, str]) -> str | None:
    """Return the road_kind code of a way's tags, or None when it is no road (a railway, a waterway)."""
    highway = tags.get("highway")
    tile_kind = tags.get("kind")
    if highway is None and tile_kind in TILE_ROAD_KINDS:
        highway = tags.get("kind_detail")
    elif tile_kind is not None and tile_kind not in TILE_ROAD_KINDS and "highway" not in tags:
        return None  # a vector tile's rail, ferry, construction …
    if highway not in CITY_HIGHWAYS | INTERNAL_HIGHWAYS | FOOT_HIGHWAYS:
        return None
    name = tags.get("name", "")
    if tags.get("service") == "emergency_access" or tags.get("emergency") in ("yes", "designated") or "消防" in name:
        return "fire_lane"
    if highway in CITY_HIGHWAYS:
        return "city_road"
    if highway in FOOT_HIGHWAYS:
        return "footpath"
    return "internal"


def landmark_kind(tags: dict[str, str]) -> str | None:
    """Return the landmark_kind code of a node's tags, or None when it is nothing a resident steers by."""
    name = tags.get("name", "")
    for word, kind in NAME_KINDS:
        if word in name:
            return kind
    if tags.get("entrance") in GATE_ENTRANCES or tags.get("barrier") in GATE_BARRIERS:
        return "gate"
    if tags.get("highway") == "bus_stop" or (
        tags.get("public_transport") in ("platform", "stop_position") and tags.get("bus") == "yes"
    ):
        return "bus_stop"
    if tags.get("office") == "property_management":
        return "property_office"
    if tags.get("shop") in SHOPS:
        return "shop"
    amenity = tags.get("amenity") or tags.get("kind")  # a vector tile's pois carry the amenity as their kind
    if amenity == "vending_machine" and "parcel" in tags.get("vending", ""):
        return "parcel_locker"
    if tags.get("kind") == "entrance":
        return "gate"
    return AMENITY_KINDS.get(amenity or "")


def _what(tags: dict[str, str]) -> str:
    """The tag that says what a left-out feature is ("railway=subway", "amenity=restaurant")."""
    for key in ("highway", "railway", "amenity", "shop", "entrance", "barrier", "waterway", "kind"):
        if key in tags:
            detail = tags.get("kind_detail") if key == "kind" else None
            return f"{key}={tags[key]}" + (f"/{detail}" if detail else "")
    return "?"


@dataclass(frozen=True)
class OsmRows:
    """OSM features as layer rows: the kept rows (id, name, kind), which source rows they are, and what was left out."""

    frame: pd.DataFrame
    kept: np.ndarray
    left_out: Counter


def translate(table: pd.DataFrame, layer: str) -> OsmRows:
    """Return the rows of ``table`` (OSM tags as columns) that are ``layer`` ("roads" or "landmarks"), translated.

    The result has the layer's ``{layer}_id`` (the OSM id), ``name`` and ``kind``
    columns; ``kept`` gives the source row of each, ``left_out`` counts the
    features that were not taken, by the tag that says what they are.
    """
    id_column = "road_id" if layer == "roads" else "landmark_id"
    classify = road_kind if layer == "roads" else landmark_kind
    id_field = next((f for f in ID_FIELDS if f in table.columns), None)
    rows, kept, left_out = [], [], Counter()
    plain = [c for c in table.columns if c != "other_tags"]
    for position, record in enumerate(table.to_dict("records")):
        tags = {str(k): _tag_text(v) for k, v in record.items() if k in plain and _tag_text(v)}
        tags.update(parse_other_tags(record.get("other_tags")))
        kind = classify(tags)
        if kind is None:
            left_out[_what(tags)] += 1
            continue
        name = next((tags[f] for f in NAME_FIELDS if tags.get(f)), None)
        osm_id = _tag_text(record.get(id_field)) if id_field else ""
        rows.append({id_column: osm_id or None, "name": name, "kind": kind})
        kept.append(position)
    frame = pd.DataFrame(rows, columns=[id_column, "name", "kind"])
    return OsmRows(frame, np.asarray(kept, dtype=int), left_out)


def _tag_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip()


__all__ = [
    "OsmRows",
    "is_osm_table",
    "landmark_kind",
    "parse_other_tags",
    "road_kind",
    "translate",
]
