"""Generate the fictional sample community 幸福社区 (C01) used by tests, notebooks and demos.

What it makes (all text files, in ``cogov_toolkit/demo/sample_data/`` by default (package data)):

* spatial layers as GeoJSON (WGS-84, EPSG:4326; coordinates rounded to 7 decimals):
  ``community``, ``neighbourhoods`` (2 小区), ``grids`` (4 网格), ``buildings`` (40 楼栋),
  ``public_spaces``, ``idle_plots``, ``adoption_zones``, and what residents find their way by:
  ``roads`` (小区道路, a 消防通道, 步道 and the city road outside) and ``landmarks`` (the four gates,
  党群服务中心, 物业, 快递柜, 垃圾分类点, 小区超市, 幼儿园, a bus stop, a charging shed);
* record tables as CSV (UTF-8, no BOM, "\\n" line ends): ``households`` (the planner's roster,
  *with* fictional personal columns so privacy handling can be tested), ``projects``,
  ``demands``, ``votes``, ``ballots`` (with a few deliberately messy rows), ``evaluations``;
* ``manifest.json`` (row counts and the seed) and ``README.md`` (what the files hold).

Columns and codes follow ``cogov_toolkit/core/schema.py``. Areas (``area_m2``) are computed in
CGCS2000 / 3-degree Gauss-Kruger CM 117E (EPSG:4548) from the rounded WGS-84 geometry.
The layout is drawn in local metres, rotated a little, placed near Xiamen (118.11 E, 24.49 N)
and only then projected to WGS-84.

Everything comes from ``random.Random(SEED)``, so the output is byte-for-byte reproducible.
All people, names, phone numbers and ID numbers are fictional (names contain "样", phones use
the non-existent prefix 100, ID numbers start with "000000").

Re-run (from the repository root)::

    python data/generate_sample.py            # rewrites cogov_toolkit/demo/sample_data/
    python data/generate_sample.py --out DIR  # writes somewhere else

``tests/test_sample_data.py`` checks that a fresh run reproduces the committed files.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely import affinity
from shapely.geometry import LineString, Point, Polygon, box, mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

SEED = 20260301
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "cogov_toolkit" / "demo" / "sample_data"

COMMUNITY_ID = "C01"
COMMUNITY_NAME = "幸福社区"
CENTRE_LONLAT = (118.11, 24.49)  # where the middle of the layout is placed
ROTATION_DEG = -9.0  # the compound is not aligned with north, like most real ones
WIDTH, HEIGHT = 480.0, 320.0  # local layout, metres: N1 west half, N2 east half
CHAMFER = 36.0  # N2 has its north-east corner cut off by a road

TO_PROJECTED = Transformer.from_crs("EPSG:4326", "EPSG:4548", always_xy=True)
TO_WGS84 = Transformer.from_crs("EPSG:4548", "EPSG:4326", always_xy=True)
_CX, _CY = TO_PROJECTED.transform(*CENTRE_LONLAT)

NEIGHBOURHOODS = {"N1": "幸福花园", "N2": "和美家园"}
# grid -> (neighbourhood, name, south-west corner of the 240 x 160 m cell in local metres)
GRIDS = {
    "G1": ("N1", "第一网格", (0.0, 160.0)),
    "G2": ("N1", "第二网格", (0.0, 0.0)),
    "G3": ("N2", "第三网格", (240.0, 160.0)),
    "G4": ("N2", "第四网格", (240.0, 0.0)),
}
GRID_W, GRID_H = 240.0, 160.0
ROW_Y = (18.0, 58.0, 98.0)  # south edge of each building row inside a grid (depth <= 15 m)
ROWS_PER_GRID = {"G1": (4, 3, 3), "G2": (3, 4, 3), "G3": (3, 3, 4), "G4": (4, 3, 3)}
# free bands between the building rows (local y inside a grid): things other than buildings go here
BAND_Y = ((2.0, 16.0), (35.0, 56.0), (75.0, 96.0), (115.0, 158.0))  # bottom, between 1, between 2, top
BAND_X = (4.0, 236.0)
ELEVATOR_BUILDING, ELEVATOR_UNIT = "B05", 2

SURNAMES = "陈林黄张李王吴刘蔡杨郑许谢洪郭曾叶苏庄周江何柯高罗卓游施彭徐詹颜朱钟赖方孙沈潘胡连傅萧"
DIGITS = "〇一二三四五六七八九"
HARDSHIP_NOTES = (
    "独居老人，行动不便",
    "低保户，需协助申请补贴",
    "残疾人家庭，轮椅出行",
    "孤寡老人，需定期探访",
    "大病家庭，经济困难",
)
TREE_SPECIES = ("香樟树", "榕树", "凤凰木", "芒果树", "小叶榄仁", "羊蹄甲")
PLOT_KIND_WORD = {"idle_land": "闲置地", "corner_land": "边角地", "scattered_plot": "零星空地", "small_green": "小绿地"}


# --- geometry helpers -----------------------------------------------------------------------


def _round_coords(coords: Iterable[Sequence[float]]) -> list[list[float]]:
    return [[round(float(x), 7), round(float(y), 7)] for x, y, *_ in coords]


def _rounded(geom: BaseGeometry) -> BaseGeometry:
    """Return ``geom`` with every coordinate rounded to 7 decimals (about 1 cm)."""
    if isinstance(geom, Point):
        return Point(_round_coords(geom.coords)[0])
    if isinstance(geom, LineString):
        return LineString(_round_coords(geom.coords))
    if isinstance(geom, Polygon):
        return Polygon(_round_coords(geom.exterior.coords), [_round_coords(r.coords) for r in geom.interiors])
    raise TypeError(f"unsupported geometry {geom.geom_type}")


def to_wgs84(local: BaseGeometry) -> BaseGeometry:
    """Place a geometry drawn in local metres near Xiamen and return it in WGS-84, rounded."""
    turned = affinity.rotate(local, ROTATION_DEG, origin=(WIDTH / 2, HEIGHT / 2))
    placed = affinity.translate(turned, _CX - WIDTH / 2, _CY - HEIGHT / 2)
    lonlat = shape_transform(placed, TO_WGS84)
    if isinstance(lonlat, Polygon):
        lonlat = orient(lonlat, 1.0)  # RFC 7946: exterior rings counter-clockwise
    return _rounded(lonlat)


def shape_transform(geom: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    """Return ``geom`` with its coordinates passed through ``transformer``."""
    return shapely.transform(geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


def area_m2(geom: BaseGeometry) -> float | None:
    """Area of a WGS-84 polygon in EPSG:4548, rounded to 0.1 m²; None for points and lines."""
    if not isinstance(geom, Polygon):
        return None
    return round(shape_transform(geom, TO_PROJECTED).area, 1)


@dataclass
class Band:
    """A strip between building rows where other features are laid out side by side."""

    grid_id: str
    y0: float
    y1: float
    x0: float
    x1: float
    taken: list[tuple[float, float]] = field(default_factory=list)

    def place(self, width: float, prefer: float, gap: float = 3.0) -> float:
        """Return the free x (left edge) nearest ``prefer`` for an item ``width`` wide, and take it."""
        starts = [prefer, self.x0] + [end + gap for _, end in self.taken]
        fits = [
            s
            for s in starts
            if s >= self.x0
            and s + width <= self.x1
            and all(s + width + gap <= a or s >= b + gap for a, b in self.taken)
        ]
        if not fits:
            raise RuntimeError(f"no room for {width} m in band {self.grid_id} y={self.y0}")
        start = min(fits, key=lambda s: (abs(s - prefer), s))
        self.taken.append((start, start + width))
        self.taken.sort()
        return start

    def box(self, width: float, height: float, prefer: float) -> Polygon:
        """Place a ``width`` x ``height`` rectangle, centred across the band."""
        if height > self.y1 - self.y0:
            raise RuntimeError("item taller than its band")
        x = self.place(width, prefer)
        y = self.y0 + (self.y1 - self.y0 - height) / 2
        return box(x, y, x + width, y + height)


def grid_bands() -> dict[str, list[Band]]:
    """Return the four free bands of every grid, in local layout metres."""
    bands: dict[str, list[Band]] = {}
    for grid_id, (_, _, (ox, oy)) in GRIDS.items():
        bands[grid_id] = []
        for i, (y0, y1) in enumerate(BAND_Y):
            x1 = BAND_X[1]
            if grid_id == "G3" and i == len(BAND_Y) - 1:
                x1 = GRID_W - CHAMFER - 8.0  # keep clear of the cut corner of N2
            bands[grid_id].append(Band(grid_id, oy + y0, oy + y1, ox + BAND_X[0], ox + x1))
    return bands


# --- the territory --------------------------------------------------------------------------


@dataclass
class Building:
    building_id: str
    label: str
    neighbourhood_id: str
    grid_id: str
    row: int
    units: int
    floors: int
    per_floor: int
    local: Polygon

    @property
    def households(self) -> int:
        return self.units * self.floors * self.per_floor


def _length(units: int, rng: random.Random) -> float:
    base = {1: 30.0, 2: 34.0, 3: 45.0, 4: 56.0}[units]
    return base + round(rng.uniform(0, 3) * 2) / 2


def make_buildings(rng: random.Random) -> list[Building]:
    """Lay out ten buildings per grid in three rows and size them to about 1,200 households."""
    specs: list[dict[str, Any]] = []
    number = 0
    for grid_id, (nb, _, (ox, oy)) in GRIDS.items():
        for row, count in enumerate(ROWS_PER_GRID[grid_id]):
            units = [rng.choice((1, 2, 2, 2, 3, 3, 4)) for _ in range(count)]
            if grid_id == "G1" and row == 1:
                units[0] = 3  # B05 gets the elevator-retrofit vote on its unit 2
            lengths = [_length(u, rng) for u in units]
            room = (BAND_X[1] - BAND_X[0]) - 16.0 - 10.0 * (count - 1)
            while sum(lengths) > room:
                i = max(range(count), key=lambda k: (lengths[k], -k))
                units[i] -= 1
                lengths[i] = _length(units[i], rng)
            gap = (room + 10.0 * (count - 1) - sum(lengths)) / (count - 1)
            x = ox + BAND_X[0] + 8.0
            for u, length in zip(units, lengths, strict=True):
                number += 1
                depth = rng.choice((12.0, 12.5, 13.0, 13.5, 14.0, 14.5, 15.0))
                floors = rng.randint(11, 18) if u == 1 else rng.randint(5, 7)
                y = oy + ROW_Y[row]
                specs.append(
                    {
                        "building_id": f"B{number:02d}",
                        "label": f"{number}栋",
                        "neighbourhood_id": nb,
                        "grid_id": grid_id,
                        "row": row,
                        "units": u,
                        "floors": floors,
                        "per_floor": 2,
                        "local": box(x, y, x + length, y + depth),
                    }
                )
                x += length + gap
    buildings = [Building(**s) for s in specs]
    for b in buildings:
        if b.building_id == ELEVATOR_BUILDING:
            b.floors = 7  # a walk-up: the reason for the elevator vote
    # nudge storeys until the roster lands near 1,200 households
    adjustable = [b for b in buildings if b.building_id != ELEVATOR_BUILDING]
    while (total := sum(b.households for b in buildings)) > 1240 or total < 1160:
        b = rng.choice(adjustable)
        low, high = (11, 18) if b.units == 1 else (5, 7)
        if total > 1240 and b.floors > low:
            b.floors -= 1
        elif total < 1160 and b.floors < high:
            b.floors += 1
    return buildings


def _neighbourhood_local() -> dict[str, Polygon]:
    n1 = Polygon([(0, 0), (240, 0), (240, 160), (240, 320), (0, 320), (0, 160)])
    n2 = Polygon([(240, 0), (480, 0), (480, 160), (480, 320 - CHAMFER), (480 - CHAMFER, 320), (240, 320), (240, 160)])
    return {"N1": n1, "N2": n2}


def _grid_local() -> dict[str, Polygon]:
    return {
        "G1": Polygon([(0, 160), (240, 160), (240, 320), (0, 320)]),
        "G2": Polygon([(0, 0), (240, 0), (240, 160), (0, 160)]),
        "G3": Polygon([(240, 160), (480, 160), (480, 320 - CHAMFER), (480 - CHAMFER, 320), (240, 320)]),
        "G4": Polygon([(240, 0), (480, 0), (480, 160), (240, 160)]),
    }


def _band_for(b: Building, side: str, bands: dict[str, list[Band]]) -> Band:
    return bands[b.grid_id][b.row + 1 if side == "北侧" else b.row]


def _centre_x(b: Building) -> float:
    return b.local.bounds[0] + (b.local.bounds[2] - b.local.bounds[0]) / 2


def make_public_spaces(buildings: dict[str, Building], bands: dict[str, list[Band]]) -> list[dict]:
    """Return public spaces: mostly polygons; open ground floors and one corner as points; walls as lines."""
    g = bands
    b03, b24 = buildings["B03"], buildings["B24"]
    wall1_x = g["G1"][3].place(48.0, 20.0)
    top1 = g["G1"][3].y1 - 1.0
    wall2_x = g["G3"][3].place(40.0, 120.0)
    top3 = g["G3"][3].y1 - 1.0
    corner_x = g["G1"][2].place(6.0, 110.0)
    corner_y = (g["G1"][2].y0 + g["G1"][2].y1) / 2
    items = [
        ("open_ground_floor", "3栋架空层", "N1", b03.local.centroid),  # a point on the building it belongs to
        ("culture_wall", "幸福文化墙", "N1", LineString([(wall1_x, top1), (wall1_x + 48.0, top1)])),
        ("pocket_garden", "幸福小花园", "N1", g["G1"][3].box(32.0, 22.0, 100.0)),
        ("deliberation_corner", "邻里议事角", "N1", Point(corner_x + 3.0, corner_y)),
        ("square", "幸福广场", "N1", g["G2"][3].box(50.0, 34.0, 95.0)),
        ("fitness_area", "幸福健身区", "N1", g["G2"][3].box(26.0, 20.0, 160.0)),
        ("parking", "幸福花园停车场", "N1", g["G2"][0].box(70.0, 12.0, 20.0)),
        ("open_ground_floor", f"{b24.label}架空层", "N2", b24.local.centroid),
        ("pocket_garden", "和美小花园", "N2", g["G3"][3].box(28.0, 20.0, 40.0)),
        ("deliberation_corner", "和美议事亭", "N2", g["G3"][1].box(8.0, 8.0, 60.0)),
        ("square", "和美广场", "N2", g["G4"][3].box(46.0, 32.0, 330.0)),
        ("fitness_area", "和美健身区", "N2", g["G4"][3].box(30.0, 22.0, 400.0)),
        ("parking", "和美家园停车场", "N2", g["G4"][0].box(80.0, 12.0, 300.0)),
        ("culture_wall", "和美家风文化墙", "N2", LineString([(wall2_x, top3), (wall2_x + 40.0, top3)])),
    ]
    rows = []
    for i, (kind, name, nb, local) in enumerate(items, start=1):
        geom = to_wgs84(local)
        rows.append(
            {
                "space_id": f"S{i:02d}",
                "number": i,
                "type": kind,
                "name": name,
                "neighbourhood_id": nb,
                "area_m2": area_m2(geom),
                "_geometry": geom,
                "_local": local,
            }
        )
    return rows


# (building, side, kind, status, proposed use) — P01 is the plot of vote V01, P02 the site of PJ01
IDLE_PLOTS = (
    ("B05", "北侧", "corner_land", "proposed", "口袋花园、休闲座椅或儿童游乐（待表决）"),
    ("B02", "北侧", "idle_land", "done", "口袋花园"),
    ("B09", "北侧", "small_green", "idle", ""),
    ("B12", "南侧", "scattered_plot", "proposed", "共享菜园"),
    ("B15", "北侧", "corner_land", "done", "街头博物馆"),
    ("B18", "北侧", "idle_land", "idle", ""),
    ("B22", "北侧", "corner_land", "in_progress", "休闲座椅"),
    ("B27", "南侧", "small_green", "proposed", "雨水花园"),
    ("B29", "北侧", "scattered_plot", "idle", ""),
    ("B32", "北侧", "idle_land", "in_progress", "儿童游乐角"),
    ("B36", "南侧", "corner_land", "done", "休闲座椅"),
    ("B39", "北侧", "scattered_plot", "idle", ""),
)


def make_idle_plots(rng: random.Random, buildings: dict[str, Building], bands: dict[str, list[Band]]) -> list[dict]:
    """Return idle plots, each beside the building it is named after."""
    rows = []
    for i, (bid, side, kind, status, use) in enumerate(IDLE_PLOTS, start=1):
        b = buildings[bid]
        band = _band_for(b, side, bands)
        while True:
            w = rng.randint(8, 24)
            h = rng.randint(5, int(min(20, band.y1 - band.y0 - 1)))
            if 30 <= w * h <= 380:
                break
        local = band.box(float(w), float(h), _centre_x(b) - w / 2)
        geom = to_wgs84(local)
        rows.append(
            {
                "plot_id": f"P{i:02d}",
                "number": i,
                "name": f"{b.label}{side}{PLOT_KIND_WORD[kind]}",
                "kind": kind,
                "status": status,
                "neighbourhood_id": b.neighbourhood_id,
                "proposed_use": use,
                "area_m2": area_m2(geom),
                "_geometry": geom,
                "_local": local,
            }
        )
    return rows


PUBLIC_AREAS = {
    "G1": "幸福花园北门口",
    "G2": "幸福花园快递点周边",
    "G3": "和美家园垃圾分类亭周边",
    "G4": "和美家园南门口",
}
STAIRWELLS = (("B05", 2), ("B07", 1), ("B13", 1), ("B17", 2), ("B23", 1), ("B26", 2), ("B33", 1), ("B38", 1))


def make_adoption_zones(rng: random.Random, buildings: dict[str, Building], bands: dict[str, list[Band]]) -> list[dict]:
    """Return trees (points), lawns (polygons), stairwells (points on a building) and public areas."""
    species_count: dict[str, int] = {}
    items: list[tuple[str, str, str, str | None, int | None, BaseGeometry]] = []
    for grid_id, (nb, _, _) in GRIDS.items():
        in_grid = [b for b in buildings.values() if b.grid_id == grid_id]
        for _ in range(3 + (grid_id in ("G1", "G4"))):
            band = bands[grid_id][rng.randrange(4)]
            x = band.place(3.0, rng.uniform(band.x0, band.x1 - 3.0))
            species = rng.choice(TREE_SPECIES)
            species_count[species] = species_count.get(species, 0) + 1
            tree = Point(x + 1.5, (band.y0 + band.y1) / 2)
            items.append(("tree", f"{species} {species_count[species]}号", nb, None, None, tree))
        for b in rng.sample(in_grid, 2):
            side = rng.choice(("北侧", "南侧"))
            band = _band_for(b, side, bands)
            w, h = float(rng.randint(14, 30)), float(rng.randint(8, 12))
            lawn = band.box(w, h, _centre_x(b) - w / 2)
            items.append(("lawn", f"{b.label}{side}草坪", nb, None, None, lawn))
        for bid, unit in STAIRWELLS:
            b = buildings[bid]
            if b.grid_id != grid_id:
                continue
            minx, miny, maxx, _ = b.local.bounds
            door = Point(minx + (unit - 0.5) * (maxx - minx) / b.units, miny)  # the unit's door, south face
            items.append(("stairwell", f"{b.label}{unit}单元楼道", nb, bid, unit, door))
        band = bands[grid_id][0 if grid_id in ("G2", "G4") else 3]
        area = band.box(12.0, 9.0, rng.uniform(band.x0, band.x1 - 12.0))
        items.append(("public_area", PUBLIC_AREAS[grid_id], nb, None, None, area))
    adopted = set(rng.sample(range(len(items)), len(items) // 2))
    rows = []
    for i, (kind, name, nb, bid, unit, local) in enumerate(items, start=1):
        geom = to_wgs84(local)
        rows.append(
            {
                "zone_id": f"A{i:02d}",
                "number": i,
                "zone_type": kind,
                "name": name,
                "building_id": bid,
                "unit": unit,
                "neighbourhood_id": nb,
                "status": "adopted" if i - 1 in adopted else "available",
                "area_m2": area_m2(geom),
                "_geometry": geom,
                "_local": local,
            }
        )
    return rows


# roads in local metres: (name or None, kind, compound, line). They run where nothing else is laid out:
# between the grids (y = 160), between the compounds (x = 240), along the outer edges, across the top
# bands of G2 (y = 117, clear of every box centred in it) and, outside, along N2's cut corner.
_OUT = np.array([1.0, 1.0]) / np.sqrt(2.0)  # outward normal of the cut corner
_ALONG = np.array([-1.0, 1.0]) / np.sqrt(2.0)


def _corner_road(offset: float, extend: float) -> LineString:
    a, b = np.array([WIDTH, HEIGHT - CHAMFER]), np.array([WIDTH - CHAMFER, HEIGHT])
    return LineString([tuple(a + offset * _OUT - extend * _ALONG), tuple(b + offset * _OUT + extend * _ALONG)])


ROADS = (
    ("幸福路", "internal", "N1", LineString([(0.0, 160.0), (240.0, 160.0)])),
    ("和美路", "internal", "N2", LineString([(240.0, 160.0), (WIDTH, 160.0)])),
    (None, "fire_lane", None, LineString([(240.0, 0.0), (240.0, HEIGHT)])),
    (None, "footpath", "N1", LineString([(10.0, HEIGHT), (2.0, HEIGHT - 8.0), (2.0, 160.0)])),
    (None, "footpath", "N2", LineString([(431.0, 0.0), (431.0, 1.0), (478.0, 1.0), (478.0, 160.0)])),
    ("健身步道", "footpath", "N1", LineString([(2.0, 117.0), (240.0, 117.0)])),
    ("东湖路", "city_road", None, _corner_road(6.0, 25.0)),
)
# landmarks in local metres: (name, kind, compound, point); the gates sit where the roads meet the fence,
# the 快递柜 and the 垃圾分类亭 beside the adoption areas named after them
LANDMARKS = (
    ("幸福花园西门", "gate", "N1", Point(0.0, 160.0)),
    ("幸福花园北门", "gate", "N1", Point(10.0, HEIGHT)),
    ("和美家园东门", "gate", "N2", Point(WIDTH, 160.0)),
    ("和美家园南门", "gate", "N2", Point(431.0, 0.0)),
    ("社区党群服务中心", "party_service_centre", "N1", Point(120.0, 156.5)),
    ("和美家园物业服务中心", "property_office", "N2", Point(353.0, 156.5)),
    ("幸福花园快递柜", "parcel_locker", "N1", Point(138.5, 9.0)),
    ("幸福花园垃圾分类点", "waste_point", "N1", Point(226.0, 140.0)),
    ("和美家园垃圾分类亭", "waste_point", "N2", Point(409.5, 296.5)),
    ("电动车充电棚", "charging_point", "N2", Point(256.0, 9.0)),
    ("东湖路公交站", "bus_stop", None, Point(*(np.array([WIDTH - CHAMFER / 2, HEIGHT - CHAMFER / 2]) + 10.0 * _OUT))),
    ("小区超市", "shop", "N1", Point(60.0, 156.5)),
    ("阳光幼儿园", "school", "N2", Point(300.0, 163.5)),
)


def make_roads() -> list[dict]:
    """Return the roads: two 小区道路 meeting the gates, the 消防通道 between the compounds, 步道, the city road."""
    rows = []
    for i, (name, kind, nb, local) in enumerate(ROADS, start=1):
        rows.append(
            {
                "road_id": f"R{i:02d}",
                "number": i,
                "name": name,
                "kind": kind,
                "neighbourhood_id": nb,
                "_geometry": to_wgs84(local),
                "_local": local,
            }
        )
    return rows


def make_landmarks() -> list[dict]:
    """Return the gates and landmarks residents give directions by."""
    rows = []
    for i, (name, kind, nb, local) in enumerate(LANDMARKS, start=1):
        rows.append(
            {
                "landmark_id": f"L{i:02d}",
                "number": i,
                "name": name,
                "kind": kind,
                "neighbourhood_id": nb,
                "_geometry": to_wgs84(local),
                "_local": local,
            }
        )
    return rows


def check_layout(buildings: list[Building], others: list[dict]) -> None:
    """Fail loudly if the hand layout ever lets features collide (they are drawn in local metres)."""
    polys = [(b.building_id, b.local) for b in buildings]
    polys += [(r.get("space_id") or r.get("plot_id") or r["zone_id"], r["_local"]) for r in others]
    polys = [(k, g) for k, g in polys if isinstance(g, Polygon)]
    for i, (ka, a) in enumerate(polys):
        for kb, b in polys[i + 1 :]:
            if a.intersection(b).area > 0:
                raise RuntimeError(f"{ka} overlaps {kb}")
    for r in others:
        g = r["_local"]
        if not isinstance(g, Polygon) and r.get("zone_type") == "tree":
            hit = [k for k, p in polys if p.intersects(g)]
            if hit:
                raise RuntimeError(f"tree {r['zone_id']} stands in {hit}")


def check_way(roads: list[dict], landmarks: list[dict], buildings: list[Building], others: list[dict]) -> None:
    """Fail loudly if a road crosses a building or a site, or a landmark stands in one or on a point site."""
    shapes = [(b.building_id, b.local) for b in buildings]
    shapes += [(r.get("space_id") or r.get("plot_id") or r["zone_id"], r["_local"]) for r in others]
    areas = [(k, g) for k, g in shapes if isinstance(g, Polygon)]
    points = [(k, g) for k, g in shapes if isinstance(g, Point)]
    for road in roads:
        hit = [k for k, g in areas if g.intersects(road["_local"])]
        if hit:
            raise RuntimeError(f"road {road['road_id']} crosses {hit}")
    for mark in landmarks:
        g = mark["_local"]
        hit = [k for k, a in areas if a.intersects(g)] + [k for k, p in points if p.distance(g) < 3.0]
        if hit:
            raise RuntimeError(f"landmark {mark['landmark_id']} stands in or at {hit}")


# --- the roster -----------------------------------------------------------------------------


def chinese_number(n: int) -> str:
    """Write ``n`` digit by digit in Chinese numerals: 101 -> 一〇一."""
    return "".join(DIGITS[int(d)] for d in str(n))


def make_households(rng: random.Random, buildings: list[Building]) -> list[dict]:
    """Return one roster row per flat, with fictional personal columns."""
    rows: list[dict] = []
    for b in buildings:
        stack_area = {door: round(rng.uniform(60.0, 138.0), 1) for door in range(1, b.per_floor + 1)}
        for unit in range(1, b.units + 1):
            for floor in range(1, b.floors + 1):
                for door in range(1, b.per_floor + 1):
                    rows.append({"b": b, "unit": unit, "floor": floor, "door": door, "base": stack_area[door]})
    out = []
    owner_no = 0
    for idx, r in enumerate(rows, start=1):
        b: Building = r["b"]
        registered: float | None = round(r["base"] + rng.choice((0.0, 0.0, 0.0, 0.1, -0.1)), 1)
        contract = round(r["base"] * rng.uniform(0.99, 1.03), 1)
        surveyed: float | None = None
        if rng.random() < 0.03:
            registered = None  # 不动产登记 not done yet
            if rng.random() < 0.6:
                surveyed = round(r["base"] * rng.uniform(0.98, 1.01), 1)
        elif rng.random() < 0.04:
            surveyed = round(r["base"] * rng.uniform(0.98, 1.01), 1)
        unsold = rng.random() < 0.02
        surname = rng.choice(SURNAMES)
        consent = (not unsold) and rng.random() < 0.4
        if unsold:
            owner_key = "DEVELOPER"
        else:
            owner_no += 1
            owner_key = f"O{owner_no:04d}"
        born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(365 * 60))
        hardship = (not unsold) and rng.random() < 0.02
        out.append(
            {
                "household_id": f"H{idx:04d}",
                "building_id": b.building_id,
                "unit": r["unit"],
                "floor": r["floor"],
                "room": f"{r['floor']}{r['door']:02d}",
                "registered_area_m2": registered,
                "surveyed_area_m2": surveyed,
                "contract_area_m2": contract,
                "is_owner": 1 if unsold or rng.random() < 0.85 else 0,
                "owner_key": owner_key,
                "developer_unsold": int(unsold),
                "publish_name_consent": int(consent),
                "public_name": f"{b.label}{surname}**" if consent else "",
                "name": "" if unsold else f"{surname}样{chinese_number(idx)}",
                "phone": "" if unsold else f"100-{idx // 10000:04d}-{idx % 10000:04d}",
                "id_number": "" if unsold else f"000000{born:%Y%m%d}{idx:04d}",
                "hardship_note": rng.choice(HARDSHIP_NOTES) if hardship else "",
            }
        )
    # about 3 % of buyers own a second flat: that flat takes over their owner_key
    buyers = [h for h in out if h["owner_key"] != "DEVELOPER"]
    second = rng.sample(buyers, round(0.03 * len(buyers)) * 2)
    for first, other in zip(second[0::2], second[1::2], strict=True):
        other["owner_key"] = first["owner_key"]
    renumber: dict[str, str] = {}
    for h in out:  # keys in order of first appearance, without gaps
        if h["owner_key"] != "DEVELOPER":
            h["owner_key"] = renumber.setdefault(h["owner_key"], f"O{len(renumber) + 1:04d}")
    return out


# --- records --------------------------------------------------------------------------------

# (category, place_type, urgency, text); {b} building label, {u} unit, {s} space, {p} plot, {z} zone,
# {n} neighbourhood, {use} a proposed use
DEMAND_TEMPLATES = (
    ("repair", "building", "general", "{b}{u}单元楼道灯坏了，晚上看不见"),
    ("repair", "building", "general", "{b}{u}单元门禁坏了，外人随便进出"),
    ("repair", "building", "urgent", "{b}{u}单元顶楼漏水，下雨天屋里一直滴水"),
    ("repair", "building", "urgent", "{b}{u}单元水管爆了，整个单元停水"),
    ("repair", "public_space", "general", "{s}的路灯不亮了，晚上走路不安全"),
    ("repair", "public_space", "general", "{s}地砖破损，下雨天积水"),
    ("safety", "building", "urgent", "{b}{u}单元有人在楼道给电动车充电，很危险"),
    ("safety", "building", "urgent", "{b}外墙瓷砖有脱落，担心砸到人"),
    ("safety", "building", "general", "{b}楼下消防通道经常被私家车堵住"),
    ("safety", "neighbourhood", "urgent", "{n}东门的井盖缺了一块，小孩容易踩空"),
    ("sanitation", "building", "general", "{b}{u}单元楼道里堆满杂物和纸箱"),
    ("sanitation", "building", "general", "{b}门口的垃圾桶经常满了没人清"),
    ("sanitation", "building", "general", "{b}{u}单元楼道墙上贴满小广告"),
    ("sanitation", "idle_plot", "general", "{p}有人乱倒建筑垃圾"),
    ("sanitation", "neighbourhood", "general", "{n}垃圾分类投放点气味大，希望定时清洗"),
    ("ageing", "building", "consultation", "{b}{u}单元想加装电梯，想问问政策和补贴"),
    ("ageing", "building", "general", "{b}{u}单元楼梯能不能加装扶手，老人上下楼吃力"),
    ("ageing", "neighbourhood", "general", "{n}里没有无障碍坡道，轮椅出行不方便"),
    ("ageing", "public_space", "general", "{s}的座椅太矮，老人坐下站起都困难"),
    ("dispute", "building", "general", "{b}楼上空调外机滴水到楼下阳台，协商不成"),
    ("dispute", "building", "general", "{b}{u}单元有住户在楼道养狗，气味大"),
    ("dispute", "building", "general", "{b}楼上装修噪音太大，晚上十点还在施工"),
    ("dispute", "public_space", "general", "{s}晚上跳广场舞音响太吵，影响休息"),
    ("parking", "building", "general", "{b}楼下电动车乱停，挡住单元门口"),
    ("parking", "neighbourhood", "general", "{n}停车位太少，晚上回来没地方停"),
    ("parking", "neighbourhood", "general", "外来车辆随便进出{n}，希望加强管理"),
    ("parking", "idle_plot", "general", "{p}被人圈起来当私家车位"),
    ("greening", "building", "general", "{b}窗前树枝太长挡住采光，希望修剪"),
    ("greening", "idle_plot", "general", "{p}杂草丛生，夏天蚊子很多"),
    ("greening", "adoption_zone", "general", "{z}长了虫子，叶子都黄了"),
    ("greening", "neighbourhood", "general", "{n}的绿化带被人种了菜"),
    ("other", "idle_plot", "consultation", "{p}能不能改造成{use}？"),
    ("other", "adoption_zone", "consultation", "想认养{z}，请问怎么办手续"),
    ("other", "public_space", "consultation", "希望在{s}多放几张长椅"),
    ("other", "neighbourhood", "consultation", "{n}什么时候开居民议事会？想提意见"),
    ("other", "building", "consultation", "{b}{u}单元想申请楼道认管，怎么报名"),
)
USES = ("口袋花园", "休闲座椅", "街头博物馆", "共享菜园", "儿童游乐角")
CHANNELS = ("visit", "visit", "survey", "meeting", "meeting", "online", "online", "online")


def _random_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def make_demands(
    rng: random.Random,
    households: list[dict],
    buildings: dict[str, Building],
    spaces: list[dict],
    plots: list[dict],
    zones: list[dict],
) -> tuple[list[dict], dict[str, str]]:
    """Return about 60 demands, and the ids of the demands that seeded projects."""
    living = [h for h in households if h["developer_unsold"] == 0]
    by_building: dict[str, list[dict]] = {}
    for h in living:
        by_building.setdefault(h["building_id"], []).append(h)
    nb_of_building = {b.building_id: b.neighbourhood_id for b in buildings.values()}
    by_nb: dict[str, list[dict]] = {}
    for h in living:
        by_nb.setdefault(nb_of_building[h["building_id"]], []).append(h)

    def demand(
        template: tuple[str, str, str, str], day: dt.date, place: dict | str | None = None, unit: int | None = None
    ) -> dict:
        category, place_type, urgency, text = template
        fill: dict[str, Any] = {"use": rng.choice(USES)}
        building_id = None
        if place_type == "building":
            b = buildings[place] if isinstance(place, str) else rng.choice(list(buildings.values()))
            fill |= {"b": b.label, "u": unit or rng.randint(1, b.units)}
            place_id, nb, building_id = b.building_id, b.neighbourhood_id, b.building_id
            reporter = rng.choice([h for h in by_building[b.building_id] if unit in (None, h["unit"])])
        else:
            if place_type == "neighbourhood":
                place_id = place if isinstance(place, str) else rng.choice(list(NEIGHBOURHOODS))
                nb = place_id
                fill["n"] = NEIGHBOURHOODS[nb]
            else:
                pool = {"public_space": spaces, "idle_plot": plots, "adoption_zone": zones}[place_type]
                if place_type == "adoption_zone":
                    pool = [z for z in pool if z["zone_type"] == "tree"]
                row = place if isinstance(place, dict) else rng.choice(pool)
                place_id = row.get("space_id") or row.get("plot_id") or row["zone_id"]
                nb = row["neighbourhood_id"]
                fill |= {"s": row["name"], "p": row["name"], "z": row["name"]}
            reporter = rng.choice(by_nb[nb])
        return {
            "reported_on": day,
            "channel": rng.choice(CHANNELS),
            "place_type": place_type,
            "place_id": place_id,
            "building_id": building_id,
            "category": category,
            "text": text.format(**fill),
            "urgency": urgency,
            "triage_class": "",
            "status": "",
            "due_at": "",
            "reporter_household_id": reporter["household_id"],
        }

    first, last = dt.date(2026, 3, 1), dt.date(2026, 10, 31)
    p02 = next(p for p in plots if p["plot_id"] == "P02")
    wall = next(s for s in spaces if s["name"] == "和美家风文化墙")
    anchors = {
        "PJ01": demand(("greening", "idle_plot", "general", "{p}杂草丛生，夏天蚊子很多"), dt.date(2026, 3, 4), p02),
        "PJ02": demand(
            ("other", "public_space", "consultation", "{s}褪色起皮了，希望重新设计，画上我们小区的故事"),
            dt.date(2026, 3, 18),
            wall,
        ),
        "V03": demand(DEMAND_TEMPLATES[15], dt.date(2026, 3, 25), ELEVATOR_BUILDING, ELEVATOR_UNIT),
    }
    rows = list(anchors.values())
    categories = sorted({t[0] for t in DEMAND_TEMPLATES})
    for category in categories:  # every category at least once more
        template = rng.choice([t for t in DEMAND_TEMPLATES if t[0] == category])
        rows.append(demand(template, _random_day(rng, first, last)))
    while len(rows) < 60:
        rows.append(demand(rng.choice(DEMAND_TEMPLATES), _random_day(rng, first, last)))
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["reported_on"], i))
    out = []
    ids: dict[int, str] = {}
    for n, i in enumerate(order, start=1):
        ids[i] = f"D{n:03d}"
        out.append({"demand_id": ids[i], **rows[i]} | {"reported_on": rows[i]["reported_on"].isoformat()})
    anchor_ids = {key: ids[i] for i, key in enumerate(anchors)}
    return out, anchor_ids


def make_projects(plots: list[dict], spaces: list[dict], anchors: dict[str, str]) -> list[dict]:
    """Return five projects at different stages; PJ01 is the one evaluated before and after."""
    plot = {p["plot_id"]: p for p in plots}
    space = {s["name"]: s for s in spaces}
    open_floor = next(s for s in spaces if s["type"] == "open_ground_floor" and s["neighbourhood_id"] == "N2")
    seat_plot = next(p for p in plots if p["status"] == "in_progress" and p["proposed_use"] == "休闲座椅")
    return [
        {
            "project_id": "PJ01",
            "name": f"{plot['P02']['name']}改造为口袋花园",
            "site_type": "idle_plot",
            "site_id": "P02",
            "status": "done",
            "source_demand_id": anchors["PJ01"],
        },
        {
            "project_id": "PJ02",
            "name": "和美家风文化墙提升",
            "site_type": "public_space",
            "site_id": space["和美家风文化墙"]["space_id"],
            "status": "proposed",
            "source_demand_id": anchors["PJ02"],
        },
        {
            "project_id": "PJ03",
            "name": f"{seat_plot['name']}休闲座椅建设",
            "site_type": "idle_plot",
            "site_id": seat_plot["plot_id"],
            "status": "in_progress",
            "source_demand_id": "",
        },
        {
            "project_id": "PJ04",
            "name": f"{open_floor['name']}改造为邻里客厅",
            "site_type": "public_space",
            "site_id": open_floor["space_id"],
            "status": "decided",
            "source_demand_id": "",
        },
        {
            "project_id": "PJ05",
            "name": f"{plot['P01']['name']}改造（方案表决中）",
            "site_type": "idle_plot",
            "site_id": "P01",
            "status": "proposed",
            "source_demand_id": "",
        },
    ]


def make_votes(plots: list[dict]) -> list[dict]:
    """Return the three sample votes."""
    p01 = next(p for p in plots if p["plot_id"] == "P01")

    def options(*texts: str) -> str:
        return json.dumps(list(texts), ensure_ascii=False)

    return [
        {
            "vote_id": "V01",
            "question": f"{p01['name']}（P01）改造成什么？",
            "options": options("口袋花园", "休闲座椅", "儿童游乐"),
            "rule": "plurality",
            "electorate": "households",
            "scope_type": "neighbourhood",
            "scope_id": "N1",
            "opens_on": "2026-05-11",
            "closes_on": "2026-05-24",
        },
        {
            "vote_id": "V02",
            "question": "是否同意实施“和美家风文化墙提升”项目（PJ02）？",
            "options": options("赞成", "反对", "弃权"),
            "rule": "yes_no_abstain",
            "electorate": "households",
            "scope_type": "community",
            "scope_id": COMMUNITY_ID,
            "opens_on": "2026-06-08",
            "closes_on": "2026-06-21",
        },
        {
            "vote_id": "V03",
            "question": "5栋2单元是否加装电梯？",
            "options": options("赞成", "反对", "弃权"),
            "rule": "civil_code_278",
            "electorate": "owners",
            "scope_type": "unit",
            "scope_id": f"{ELEVATOR_BUILDING}-{ELEVATOR_UNIT}",
            "opens_on": "2026-07-01",
            "closes_on": "2026-07-31",
        },
    ]


def _moment(rng: random.Random, first: str, last: str) -> dt.datetime:
    day = _random_day(rng, dt.date.fromisoformat(first), dt.date.fromisoformat(last))
    return dt.datetime(day.year, day.month, day.day, rng.randint(7, 21), rng.randint(0, 59), rng.randint(0, 59))


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat() + "+08:00"


def make_ballots(
    rng: random.Random, votes: list[dict], households: list[dict], buildings: dict[str, Building]
) -> tuple[list[dict], list[tuple[str, str]]]:
    """Return ballots for the three votes, and the (ballot_id, problem) of the deliberately messy rows."""
    vote = {v["vote_id"]: v for v in votes}
    living = [h for h in households if h["developer_unsold"] == 0]
    nb_of = {b.building_id: b.neighbourhood_id for b in buildings.values()}
    n1 = [h for h in living if nb_of[h["building_id"]] == "N1"]
    n2 = [h for h in living if nb_of[h["building_id"]] == "N2"]
    unit_owners = [
        h for h in living if h["building_id"] == ELEVATOR_BUILDING and h["unit"] == ELEVATOR_UNIT and h["is_owner"] == 1
    ]
    rows: list[dict] = []

    def cast(vote_id: str, h: dict, choice: str, channel: str, problem: str = "") -> None:
        v = vote[vote_id]
        first = v["opens_on"]
        if problem.startswith("duplicate"):  # a second ballot comes after the first one
            earlier = [r for r in rows if (r["vote_id"], r["household_id"]) == (vote_id, h["household_id"])]
            first = earlier[0]["submitted_at"][:10]
        moment = _moment(rng, first, v["closes_on"])
        if problem.startswith("duplicate"):
            moment = max(moment, dt.datetime.fromisoformat(earlier[0]["submitted_at"][:19]) + dt.timedelta(minutes=5))
        rows.append(
            {
                "vote_id": vote_id,
                "household_id": h["household_id"],
                "choice": choice,
                "channel": channel,
                "submitted_at": _iso(moment),
                "_problem": problem,
            }
        )

    channels = ("paper", "paper", "jielong", "jielong", "import")
    v01 = rng.sample(n1, round(0.6 * len(n1)))
    for h in v01:
        cast("V01", h, rng.choices(("口袋花园", "休闲座椅", "儿童游乐"), (45, 35, 20))[0], rng.choice(channels))
    v02 = rng.sample(living, round(0.4 * len(living)))
    for h in v02:
        cast("V02", h, rng.choices(("赞成", "反对", "弃权"), (70, 18, 12))[0], rng.choice(channels))
    turnout = sorted(rng.sample(range(len(unit_owners)), round(0.85 * len(unit_owners))))
    for h in (unit_owners[i] for i in turnout):
        ground = h["floor"] <= 2  # low floors gain least from a lift and lose light
        cast("V03", h, rng.choice(("反对", "弃权")) if ground else "赞成", "paper")
    # the messy rows later features must catch (listed in README.md)
    cast("V01", v01[7], "口袋花园", "jielong", "duplicate: the household already voted in V01")
    cast("V01", v01[19], "儿童游乐", "jielong", "duplicate: the household already voted in V01 (changed choice)")
    cast("V02", v02[11], "赞成", "paper", "duplicate: the household already voted in V02")
    cast("V01", rng.choice([h for h in n1 if h not in v01]), "篮球场", "jielong", "unknown option 篮球场")
    cast("V02", rng.choice([h for h in living if h not in v02]), "同意", "jielong", "unknown option 同意")
    cast("V01", rng.choice(n2), "休闲座椅", "import", "out of scope: an N2 household in the N1 vote")
    rows.sort(key=lambda r: (r["vote_id"], r["submitted_at"], r["household_id"]))
    messy = []
    for i, r in enumerate(rows, start=1):
        r["ballot_id"] = f"BL{i:04d}"
        if r["_problem"]:
            messy.append((r["ballot_id"], r["_problem"]))
    return rows, messy


ITEMS = ("q_overall", "q_safety", "q_greening", "q_facilities", "q_upkeep")
PRE_COMMENTS = (
    "这块地杂草多，蚊子也多",
    "希望能放几张座椅，老人可以坐坐",
    "晚上太暗了，不敢走",
    "经常有人乱扔垃圾",
    "孩子没地方玩",
    "改造时别把树砍了",
    "希望多种些花",
    "施工别影响出行",
)
POST_COMMENTS = (
    "改造后干净多了",
    "座椅很受老人欢迎",
    "晚上灯光还可以再亮一点",
    "花草要有人定期浇水",
    "孩子们很喜欢",
    "希望认养的居民多一些",
    "比以前好太多了，点赞",
    "雨天地面有点滑",
)
NON_RESIDENTS = (
    ("residents_committee", "pre"),
    ("owners_committee", "pre"),
    ("property_manager", "pre"),
    ("volunteer", "pre"),
    ("volunteer", "pre"),
    ("residents_committee", "post"),
    ("owners_committee", "post"),
    ("owners_committee", "post"),
    ("property_manager", "post"),
    ("volunteer", "post"),
)
PRE_SHIFT = {"q_overall": 0.0, "q_safety": 0.2, "q_greening": -0.5, "q_facilities": -0.6, "q_upkeep": -0.2}
POST_SHIFT = {"q_overall": 0.1, "q_safety": 0.1, "q_greening": 0.3, "q_facilities": 0.2, "q_upkeep": -0.2}


def make_evaluations(rng: random.Random, households: list[dict], buildings: dict[str, Building]) -> list[dict]:
    """Return pre- and post-phase satisfaction responses for PJ01 (many households answer both)."""
    nb_of = {b.building_id: b.neighbourhood_id for b in buildings.values()}
    n1 = [h for h in households if h["developer_unsold"] == 0 and nb_of[h["building_id"]] == "N1"]
    pre = rng.sample(n1, 120)
    post = rng.sample(pre, 80) + rng.sample([h for h in n1 if h not in pre], 20)
    mood: dict[str, float] = {}

    def scores(level: float, shift: dict[str, float]) -> dict[str, int]:
        return {q: min(5, max(1, round(level + shift[q] + rng.gauss(0, 0.6)))) for q in ITEMS}

    rows: list[dict] = []

    def respond(phase: str, role: str, h: dict | None, level: float) -> None:
        pool = PRE_COMMENTS if phase == "pre" else POST_COMMENTS
        comment = rng.choice(pool) if rng.random() < 0.6 else ""
        items = scores(level, PRE_SHIFT if phase == "pre" else POST_SHIFT)
        window = ("2026-04-06", "2026-04-19") if phase == "pre" else ("2026-09-14", "2026-09-27")
        rows.append(
            {
                "project_id": "PJ01",
                "phase": phase,
                "evaluator_role": role,
                "household_id": h["household_id"] if h else "",
                "building_id": h["building_id"] if h else "",
                "questionnaire": "satisfaction_5",
                **items,
                "comment": comment,
                "submitted_at": _iso(_moment(rng, *window)),
            }
        )

    for h in pre:
        mood[h["household_id"]] = rng.gauss(2.9, 0.7)
        respond("pre", "resident", h, mood[h["household_id"]])
    for role, phase in NON_RESIDENTS[:5]:
        respond(phase, role, None, rng.gauss(3.2, 0.5))
    for h in post:
        before = mood.get(h["household_id"])
        respond("post", "resident", h, before + rng.gauss(1.0, 0.5) if before is not None else rng.gauss(3.9, 0.6))
    for role, phase in NON_RESIDENTS[5:]:
        respond(phase, role, None, rng.gauss(4.0, 0.5))
    # comments that must come out escaped wherever they are shown (HTML; spreadsheet formulas)
    rows[rng.randrange(10, 110)]["comment"] = "+1 同意楼上"
    rows[rng.randrange(130, 210)]["comment"] = "<script>alert(1)</script>环境变好了"
    for i, r in enumerate(rows, start=1):
        r["response_id"] = f"R{i:04d}"
        answers = {q: r[q] for q in ITEMS} | ({"comment": r["comment"]} if r["comment"] else {})
        r["answers"] = json.dumps(answers, ensure_ascii=False)
    return rows


# --- writing --------------------------------------------------------------------------------

LAYER_COLUMNS = {
    "community": ("community_id", "name"),
    "neighbourhoods": ("neighbourhood_id", "name", "community_id"),
    "grids": ("grid_id", "name", "neighbourhood_id"),
    "buildings": ("building_id", "label", "neighbourhood_id", "grid_id", "units", "floors", "households", "area_m2"),
    "public_spaces": ("space_id", "number", "type", "name", "neighbourhood_id", "area_m2"),
    "idle_plots": ("plot_id", "number", "name", "kind", "status", "neighbourhood_id", "proposed_use", "area_m2"),
    "adoption_zones": (
        "zone_id",
        "number",
        "zone_type",
        "name",
        "building_id",
        "unit",
        "neighbourhood_id",
        "status",
        "area_m2",
    ),
    "roads": ("road_id", "number", "name", "kind", "neighbourhood_id"),
    "landmarks": ("landmark_id", "number", "name", "kind", "neighbourhood_id"),
}
TABLE_COLUMNS = {
    "households": (
        "household_id",
        "building_id",
        "unit",
        "floor",
        "room",
        "registered_area_m2",
        "surveyed_area_m2",
        "contract_area_m2",
        "is_owner",
        "owner_key",
        "developer_unsold",
        "publish_name_consent",
        "public_name",
        "name",
        "phone",
        "id_number",
        "hardship_note",
    ),
    "projects": ("project_id", "name", "site_type", "site_id", "status", "source_demand_id"),
    "demands": (
        "demand_id",
        "reported_on",
        "channel",
        "place_type",
        "place_id",
        "building_id",
        "category",
        "text",
        "urgency",
        "triage_class",
        "status",
        "due_at",
        "reporter_household_id",
    ),
    "votes": (
        "vote_id",
        "question",
        "options",
        "rule",
        "electorate",
        "scope_type",
        "scope_id",
        "opens_on",
        "closes_on",
    ),
    "ballots": ("ballot_id", "vote_id", "household_id", "choice", "channel", "submitted_at"),
    "evaluations": (
        "response_id",
        "project_id",
        "phase",
        "evaluator_role",
        "household_id",
        "building_id",
        "questionnaire",
        *ITEMS,
        "comment",
        "answers",
        "submitted_at",
    ),
}


def _geometry_json(geom: BaseGeometry) -> dict:
    gj = mapping(geom)
    if gj["type"] == "Point":
        coords: Any = [round(c, 7) for c in gj["coordinates"]]
    elif gj["type"] == "LineString":
        coords = _round_coords(gj["coordinates"])
    else:
        coords = [_round_coords(ring) for ring in gj["coordinates"]]
    return {"type": gj["type"], "coordinates": coords}


def write_geojson(path: Path, name: str, rows: list[dict]) -> None:
    """Write a FeatureCollection, one feature per line, properties in declared column order."""
    columns = LAYER_COLUMNS[name]
    lines = ["{", '"type": "FeatureCollection",', f'"name": "{name}",', '"features": [']
    for i, r in enumerate(rows):
        feature = {
            "type": "Feature",
            "properties": {c: r.get(c) for c in columns},
            "geometry": _geometry_json(r["_geometry"]),
        }
        comma = "," if i < len(rows) - 1 else ""
        lines.append(json.dumps(feature, ensure_ascii=False) + comma)
    lines += ["]", "}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def write_csv(path: Path, name: str, rows: list[dict]) -> None:
    """Write a UTF-8 CSV (no BOM, "\\n" line ends) with the declared columns."""
    columns = TABLE_COLUMNS[name]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([_cell(r.get(c)) for c in columns])


README = """\
# 幸福社区 示例数据 / Sample data: 幸福社区 (C01)

> 本目录由 `data/generate_sample.py` 生成（种子 {seed}），请勿手工修改；重新生成：
> `python data/generate_sample.py`。
> Generated by `data/generate_sample.py` (seed {seed}); do not edit by hand. Re-run with
> `python data/generate_sample.py`.

**所有人员、姓名、电话、身份证号均为虚构。** 姓名形如“王样一〇一”（都含“样”字），电话使用不存在的
100 号段（如 100-0000-0001），身份证号以 000000 开头。社区、小区和地点也是虚构的。

**All people, names, phone numbers and ID numbers are fictional.** Names look like “王样一〇一”
(every one contains 样), phones use the non-existent prefix 100 (e.g. 100-0000-0001), ID numbers
start with 000000. The community, its compounds and places are fictional too.

## 社区 / The community
幸福社区（C01）位于福建省厦门市（虚构位置，约东经 118.11°、北纬 24.49°），由两个小区组成：
N1 幸福花园（第一、第二网格）和 N2 和美家园（第三、第四网格），共 {buildings} 栋楼、{households} 户。

A fictional community in Xiamen, Fujian: two compounds side by side (N1 幸福花园 with grids G1–G2,
N2 和美家园 with grids G3–G4), {buildings} buildings and {households} households.
Geometry is WGS-84 (EPSG:4326), coordinates rounded to 7 decimals; `area_m2` is computed in
CGCS2000 / 3-degree Gauss-Kruger CM 117E (EPSG:4548) and rounded to 0.1 m².
Columns and codes follow `cogov_toolkit/core/schema.py`.

## 文件 / Files
| file | rows | what |
|---|---|---|
{table}

Notes:
- `public_spaces`: 架空层 (open ground floors) are **points** on their building (they are part of
  the building's footprint); 文化墙 are lines; one 议事角 is a point, the other a polygon.
- `adoption_zones`: stairwells are points on the south face of their building, at the door of
  the unit (`building_id`, `unit`).
- `roads` are centre lines: 幸福路 and 和美路 (小区道路) meet the west and east gates, the 消防通道
  runs between the two compounds, 步道 lead from the north and south gates, and 东湖路 (市政道路)
  passes N2's cut corner outside the community. Three have no name (a name is optional).
- `landmarks`: the four gates where the roads meet the fence, 党群服务中心, 物业服务中心, 快递柜 and
  垃圾分类点 beside the adoption areas named after them, a charging shed, 小区超市 by the west gate,
  阳光幼儿园 on 和美路, and the bus stop on 东湖路.
- `households.csv` is the roster as a planner holds it, **including personal columns** (`name`,
  `phone`, `id_number`, `hardship_note`) so that privacy handling can be tested: importers must
  move them to the private file, drop `id_number`, and never publish them. `owner_key` names the
  flat's owner (产权人) even when the household living there is a tenant (`is_owner` = 0); about
  3 % of owners hold two flats, so their key repeats; unsold flats (`developer_unsold` = 1) have
  owner `DEVELOPER` and no residents. `public_name` is filled only with consent.
- `demands.csv`: `triage_class`, `status` and `due_at` are left empty for later features;
  `reporter_household_id` is a private link.
- `ballots.csv` and `evaluations.csv`: `household_id` is a private link (who voted / answered).
  Times are ISO 8601 with +08:00. `evaluations.csv` holds the items both as columns (`q_*`,
  `comment`) and as the schema's `answers` JSON.
- `evaluations.csv` contains a comment with a literal `<script>alert(1)</script>` and one starting
  with `+` (“+1 同意楼上”), to test HTML escaping and spreadsheet-formula escaping.

## 故意留下的脏数据 / Deliberately messy ballots
Later features (deduplication, checks against the roll) must catch these rows of `ballots.csv`:

| ballot_id | problem |
|---|---|
{messy}
"""


def write_readme(path: Path, counts: dict[str, int], messy: list[tuple[str, str]], households: int) -> None:
    what = {
        "community.geojson": "社区边界 / community boundary",
        "neighbourhoods.geojson": "小区 / compounds",
        "grids.geojson": "网格 / grids",
        "buildings.geojson": "楼栋 / buildings (footprints)",
        "public_spaces.geojson": "公共空间 / public spaces",
        "idle_plots.geojson": "闲置地、边角地 / idle plots",
        "adoption_zones.geojson": "认养认管区域 / adoption zones",
        "roads.geojson": "道路（小区道路、消防通道、步道、市政道路）/ roads",
        "landmarks.geojson": "大门和地标（党群服务中心、物业、超市、幼儿园……）/ gates and landmarks",
        "households.csv": "住户花名册（含虚构个人信息）/ household roster (with fictional personal data)",
        "projects.csv": "项目清单 / projects",
        "demands.csv": "诉求（问题清单）/ demands",
        "votes.csv": "表决 / votes",
        "ballots.csv": "选票 / ballots",
        "evaluations.csv": "项目 PJ01 事前、事后评价 / pre and post evaluations of PJ01",
    }
    table = "\n".join(f"| `{name}` | {n} | {what[name]} |" for name, n in counts.items())
    messy_rows = "\n".join(f"| {bid} | {problem} |" for bid, problem in messy)
    text = README.format(
        seed=SEED,
        buildings=counts["buildings.geojson"],
        households=households,
        table=table,
        messy=messy_rows,
    )
    path.write_text(text, encoding="utf-8", newline="\n")


def generate(out: Path, seed: int = SEED) -> dict[str, int]:
    """Write every sample file into ``out``; return the row count of each file."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)

    buildings = make_buildings(rng)
    by_id = {b.building_id: b for b in buildings}
    bands = grid_bands()
    spaces = make_public_spaces(by_id, bands)
    plots = make_idle_plots(rng, by_id, bands)
    zones = make_adoption_zones(rng, by_id, bands)
    check_layout(buildings, spaces + plots + zones)
    roads, landmarks = make_roads(), make_landmarks()  # no random draws: the other files stay as they were
    check_way(roads, landmarks, buildings, spaces + plots + zones)

    grid_local = _grid_local()
    grids = [
        {"grid_id": g, "name": name, "neighbourhood_id": nb, "_geometry": to_wgs84(grid_local[g])}
        for g, (nb, name, _) in GRIDS.items()
    ]
    neighbourhoods = [
        {"neighbourhood_id": n, "name": name, "community_id": COMMUNITY_ID, "_geometry": to_wgs84(poly)}
        for (n, name), poly in zip(NEIGHBOURHOODS.items(), _neighbourhood_local().values(), strict=True)
    ]
    # the union of N1 and N2, keeping the vertices where grids meet the edge so that grids stay covered
    outline = Polygon(
        [
            (0, 0),
            (240, 0),
            (480, 0),
            (480, 160),
            (480, 320 - CHAMFER),
            (480 - CHAMFER, 320),
            (240, 320),
            (0, 320),
            (0, 160),
        ]
    )
    community = [{"community_id": COMMUNITY_ID, "name": COMMUNITY_NAME, "_geometry": to_wgs84(outline)}]
    building_rows = [
        {
            "building_id": b.building_id,
            "label": b.label,
            "neighbourhood_id": b.neighbourhood_id,
            "grid_id": b.grid_id,
            "units": b.units,
            "floors": b.floors,
            "households": b.households,
            "area_m2": area_m2(geom := to_wgs84(b.local)),
            "_geometry": geom,
        }
        for b in buildings
    ]

    households = make_households(rng, buildings)
    demands, anchors = make_demands(rng, households, by_id, spaces, plots, zones)
    projects = make_projects(plots, spaces, anchors)
    votes = make_votes(plots)
    ballots, messy = make_ballots(rng, votes, households, by_id)
    evaluations = make_evaluations(rng, households, by_id)

    counts: dict[str, int] = {}
    for name, rows in (
        ("community", community),
        ("neighbourhoods", neighbourhoods),
        ("grids", grids),
        ("buildings", building_rows),
        ("public_spaces", spaces),
        ("idle_plots", plots),
        ("adoption_zones", zones),
        ("roads", roads),
        ("landmarks", landmarks),
    ):
        write_geojson(out / f"{name}.geojson", name, rows)
        counts[f"{name}.geojson"] = len(rows)
    for name, rows in (
        ("households", households),
        ("projects", projects),
        ("demands", demands),
        ("votes", votes),
        ("ballots", ballots),
        ("evaluations", evaluations),
    ):
        write_csv(out / f"{name}.csv", name, rows)
        counts[f"{name}.csv"] = len(rows)

    manifest = {
        "generator": "data/generate_sample.py",
        "seed": seed,
        "community_id": COMMUNITY_ID,
        "crs": "EPSG:4326",
        "area_crs": "EPSG:4548",
        "files": counts,
        "messy_ballots": [{"ballot_id": b, "problem": p} for b, p in messy],
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8", newline="\n"
    )
    write_readme(out / "README.md", counts, messy, sum(b.households for b in buildings))
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the fictional sample community 幸福社区 (C01).")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output folder (default: cogov_toolkit/demo/sample_data/)"
    )
    parser.add_argument("--seed", type=int, default=SEED, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    counts = generate(args.out, args.seed)
    for name, n in counts.items():
        print(f"{name}: {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
