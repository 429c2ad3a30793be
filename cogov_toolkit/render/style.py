"""How the maps look: the three styles (standard, courtyard projection, greyscale print) and their palettes.

Pure data and small lookups, no map library: the interactive map and the print
export both read a :class:`MapStyle`, so a class has the same colour on the
screen, on the projector and on paper.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class StyleName(StrEnum):
    """The map styles a planner can choose.

    Attributes
    ----------
    STANDARD
        For a laptop screen and colour print.
    COURTYARD
        For a projector outdoors: labels at least 18 px, thick outlines, and
        the Okabe-Ito palette, which stays distinct in daylight glare and for
        the common colour-vision deficiencies.
    GREYSCALE
        For black-and-white printers: grey levels plus hatching, so classes
        stay apart without colour.
    """

    STANDARD = "standard"
    COURTYARD = "courtyard"
    GREYSCALE = "greyscale"


# Okabe & Ito (2008), "Color Universal Design": distinguishable with protanopia,
# deuteranopia and tritanopia; used by Nature's figure guidelines.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
# Tableau 10: soft, well-separated hues for an indoor screen
TABLEAU10 = (
    "#4E79A7",
    "#F28E2B",
    "#59A14F",
    "#E15759",
    "#76B7B2",
    "#EDC948",
    "#B07AA1",
    "#FF9DA7",
    "#9C755F",
    "#BAB0AC",
)
# grey levels far enough apart to survive a cheap laser printer
GREYS = ("#f0f0f0", "#bdbdbd", "#7a7a7a", "#3d3d3d", "#ffffff", "#d9d9d9", "#969696", "#525252")
HATCHES = ("", "///", "...", "xxx", "\\\\\\", "+++", "ooo", "---")

#: pale tints for buildings by 网格: a quiet background that no site colour repeats
GRID_TINTS = ("#dbe4ee", "#efe2cc", "#dae8d5", "#eed9df", "#e3dcef", "#d5eae8", "#ebe6c9", "#f0dccb")
#: the same idea without colour: near-white greys, never hatched (sites carry the hatching)
GRID_GREYS = ("#ffffff", "#ececec", "#f7f7f7", "#e2e2e2")

#: enum -> code -> colour of every site class and triage class in one style. One palette per
#: meaning: every code of every layer that can be shown together has its own colour (tests check
#: it on the drawn map), and none is a grid tint. Standard: Tableau 20, which pairs a strong and a
#: light shade of ten hues that stay apart on screen and in colour print.
_SITES_STANDARD: dict[str, dict[str, str]] = {
    "public_space_type": {
        "open_ground_floor": "#4E79A7",
        "culture_wall": "#B07AA1",
        "pocket_garden": "#8CD17D",
        "deliberation_corner": "#D37295",
        "square": "#86BCB6",
        "fitness_area": "#9D7660",
        "parking": "#BAB0AC",
    },
    "idle_plot_status": {"idle": "#79706E", "proposed": "#F28E2B", "in_progress": "#F1CE63", "done": "#59A14F"},
    "adoption_status": {"available": "#FFFFFF", "adopted": "#499894"},
    "triage_class": {"major": "#E15759", "minor": "#FFBE7D", "private": "#A0CBE8", "": "#C9C9C9"},
    # roads are quiet warm greys (the fire lane a muted brick, the footpath a sage): under everything
    "road_kind": {"city_road": "#A69D8F", "internal": "#CBC3B4", "fire_lane": "#D9896B", "footpath": "#9DAE84"},
    # landmarks are small dark symbols: they must stand out on pale buildings and on colour prints
    "landmark_kind": {
        "gate": "#000000",
        "party_service_centre": "#B6992D",
        "property_office": "#5B5EA6",
        "waste_point": "#1B7837",
        "parcel_locker": "#8C510A",
        "bus_stop": "#2166AC",
        "charging_point": "#762A83",
        "shop": "#C51B7D",
        "school": "#E08214",
        "other": "#4D4D4D",
    },
}
#: courtyard: the Okabe-Ito colours for what residents argue about (plot status, adoption, triage),
#: Paul Tol's "muted" colours, also chosen for colour-blind viewers, for the kinds of public space
_SITES_COURTYARD: dict[str, dict[str, str]] = {
    "public_space_type": {
        "open_ground_floor": "#332288",
        "culture_wall": "#AA4499",
        "pocket_garden": "#117733",
        "deliberation_corner": "#CC6677",
        "square": "#882255",
        "fitness_area": "#999933",
        "parking": "#DDCC77",
    },
    "idle_plot_status": {"idle": "#666666", "proposed": "#E69F00", "in_progress": "#F0E442", "done": "#009E73"},
    "adoption_status": {"available": "#FFFFFF", "adopted": "#56B4E9"},
    "triage_class": {"major": "#D55E00", "minor": "#CC79A7", "private": "#0072B2", "": "#BBBBBB"},
    "road_kind": {"city_road": "#857D71", "internal": "#ADA493", "fire_lane": "#C0583F", "footpath": "#718A4F"},
    "landmark_kind": {
        "gate": "#000000",
        "party_service_centre": "#A6761D",
        "property_office": "#6A3D9A",
        "waste_point": "#00441B",
        "parcel_locker": "#7F3B08",
        "bus_stop": "#08519C",
        "charging_point": "#40004B",
        "shop": "#8E0152",
        "school": "#B35806",
        "other": "#4D4D4D",
    },
}
#: the order the greyscale style hands out (grey, hatch) pairs, so that no two site classes share one
#: (roads are lines: told apart in greyscale by grey and dash, see ROAD_GREYS and ROAD_LOOK)
_SITE_ORDER = ("public_space_type", "idle_plot_status", "adoption_status", "triage_class", "landmark_kind")
#: road kind -> (width in screen px, dash pattern in line widths): the same on screen and paper
ROAD_LOOK: dict[str, tuple[float, tuple[float, ...]]] = {
    "city_road": (7.0, ()),
    "internal": (5.0, ()),
    "fire_lane": (4.0, (3.0, 1.5)),
    "footpath": (2.5, (1.0, 1.2)),
}
#: roads on a black-and-white print: greys a laser printer keeps apart, with the dashes of ROAD_LOOK
ROAD_GREYS = {"city_road": "#8c8c8c", "internal": "#b4b4b4", "fire_lane": "#4d4d4d", "footpath": "#6e6e6e"}
#: landmark kind -> matplotlib marker of its symbol on paper (a square gate, a star for the 党群服务中心 …)
LANDMARK_MARKERS = {
    "gate": "s",
    "party_service_centre": "*",
    "property_office": "p",
    "waste_point": "^",
    "parcel_locker": "D",
    "bus_stop": "o",
    "charging_point": "v",
    "shop": "h",
    "school": "P",
    "other": "X",
}
#: landmark kind -> size of its symbol against the others: a gate, where people come in, is the one to find first
LANDMARK_SIZE = {"gate": 1.5, "party_service_centre": 1.25}


@dataclass(frozen=True)
class MapStyle:
    """Every visual choice of one style; see :func:`map_style` for the three defined ones.

    Attributes
    ----------
    name : StyleName
        Which style this is.
    categorical : tuple of str
        Colours cycled through for classes of an enum without a palette of its own.
    sites : dict
        Colour of every site and triage class, ``{enum: {code: colour}}``; all distinct.
    grid_tints : tuple of str
        Pale fills of buildings by 网格 (cycled): buildings are the quiet background.
    hatches : tuple of str
        Matplotlib hatch patterns of site classes (greyscale print only).
    font_px : int
        Size of tooltips, popups, legend and layer control on screen.
    badge_px : int
        Size of the site numbers drawn on the map.
    building_px : int
        Size of the building numbers ("5栋") drawn on the map.
    outline : str
        Stroke colour of site polygons.
    building_outline : str
        Stroke colour of buildings (lighter: background).
    weight : float
        Stroke width of polygons on screen, in px.
    point_radius : float
        Radius of point sites on screen, in px.
    suppressed : str
        Fill of buildings whose figure is suppressed (fewer than 5 respondents).
    sequential : str
        Matplotlib colormap name of choropleth classes.
    """

    name: StyleName
    categorical: tuple[str, ...]
    sites: dict[str, dict[str, str]] = field(default_factory=dict)
    grid_tints: tuple[str, ...] = GRID_TINTS
    hatches: tuple[str, ...] = ("",)
    font_px: int = 13
    badge_px: int = 12
    building_px: int = 11
    outline: str = "#444444"
    building_outline: str = "#8a8a8a"
    weight: float = 1.0
    point_radius: float = 7.0
    suppressed: str = "#d0d0d0"
    sequential: str = "YlOrRd"

    @property
    def greyscale(self) -> bool:
        """Whether classes are told apart by grey level and hatching instead of colour."""
        return self.name is StyleName.GREYSCALE

    def _site_slot(self, enum: str, code: str) -> int | None:
        """Position of (enum, code) among all site classes of the style, or None if it is no site class."""
        slot = 0
        for name in _SITE_ORDER:
            codes = list(_SITES_STANDARD[name])
            if name == enum:
                return slot + codes.index(code) if code in codes else None
            slot += len(codes)
        return None

    def class_colour(self, enum: str | None, code: str | None, position: int) -> str:
        """Return the colour of a class: the site palette's if it has one, else the ``position``-th colour.

        ``enum="grid"`` asks for the pale tint of the ``position``-th 网格.
        """
        if enum == "grid":
            return self.grid_tints[position % len(self.grid_tints)]
        if self.greyscale and enum == "road_kind" and code in ROAD_GREYS:
            return ROAD_GREYS[code]
        if self.greyscale:
            slot = self._site_slot(enum or "", code or "")
            if slot is not None:
                return GREYS[slot % len(GREYS)]
        fixed = self.sites.get(enum or "", {})
        if (code or "") in fixed:
            return fixed[code or ""]
        return self.categorical[position % len(self.categorical)]

    def class_hatch(self, enum: str | None, code: str | None, position: int) -> str:
        """Return the hatch pattern of a class (greyscale only; buildings are never hatched).

        Site classes get (grey, hatch) pairs that no other site class has: the
        k-th site class takes grey ``k % 8`` and a non-empty hatch that moves
        on by one every eight classes.
        """
        if not self.greyscale or enum in ("grid", "road_kind"):
            return ""
        slot = self._site_slot(enum or "", code or "")
        if slot is None:
            return self.hatches[position % len(self.hatches)]
        patterns = [h for h in self.hatches if h]
        return patterns[(slot + slot // len(GREYS)) % len(patterns)]

    def hatch(self, position: int) -> str:
        """Return the ``position``-th hatch pattern (empty in colour styles)."""
        return self.hatches[position % len(self.hatches)]


_STYLES: dict[StyleName, MapStyle] = {
    StyleName.STANDARD: MapStyle(StyleName.STANDARD, TABLEAU10, _SITES_STANDARD),
    StyleName.COURTYARD: MapStyle(
        StyleName.COURTYARD,
        OKABE_ITO,
        _SITES_COURTYARD,
        font_px=20,
        badge_px=24,
        building_px=18,
        outline="#000000",
        building_outline="#6b6b6b",
        weight=2.5,
        point_radius=11.0,
        sequential="viridis",  # perceptually uniform and readable by colour-blind viewers
    ),
    StyleName.GREYSCALE: MapStyle(
        StyleName.GREYSCALE,
        GREYS,
        {},
        grid_tints=GRID_GREYS,
        hatches=HATCHES,
        outline="#000000",
        building_outline="#555555",
        suppressed="#ffffff",
        sequential="Greys",
    ),
}

#: the smallest text a projected map may show (the issue asks for at least 18 px)
COURTYARD_MIN_PX = 18


def map_style(name: StyleName | str = StyleName.STANDARD) -> MapStyle:
    """Return the :class:`MapStyle` called ``name`` ("standard", "courtyard" or "greyscale")."""
    return _STYLES[StyleName(name)]


__all__ = [
    "COURTYARD_MIN_PX",
    "GREYS",
    "GRID_GREYS",
    "GRID_TINTS",
    "HATCHES",
    "LANDMARK_MARKERS",
    "LANDMARK_SIZE",
    "OKABE_ITO",
    "ROAD_GREYS",
    "ROAD_LOOK",
    "TABLEAU10",
    "MapStyle",
    "StyleName",
    "map_style",
]
