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

#: enum -> code -> colour, for the enums whose codes carry meaning (status, triage)
_SEMANTIC_STANDARD: dict[str, dict[str, str]] = {
    "idle_plot_status": {"idle": "#9C755F", "proposed": "#F28E2B", "in_progress": "#4E79A7", "done": "#59A14F"},
    "adoption_status": {"available": "#FFFFFF", "adopted": "#59A14F"},
    "triage_class": {"major": "#E15759", "minor": "#F28E2B", "private": "#4E79A7", "": "#9D9D9D"},
}
_SEMANTIC_COURTYARD: dict[str, dict[str, str]] = {
    "idle_plot_status": {"idle": "#000000", "proposed": "#E69F00", "in_progress": "#0072B2", "done": "#009E73"},
    "adoption_status": {"available": "#FFFFFF", "adopted": "#009E73"},
    "triage_class": {"major": "#D55E00", "minor": "#E69F00", "private": "#0072B2", "": "#7F7F7F"},
}


@dataclass(frozen=True)
class MapStyle:
    """Every visual choice of one style; see :func:`map_style` for the three defined ones.

    Attributes
    ----------
    name : StyleName
        Which style this is.
    categorical : tuple of str
        Colours cycled through for classes without a fixed meaning (grids, space types).
    semantic : dict
        Fixed colours of meaningful codes, ``{enum: {code: colour}}``.
    hatches : tuple of str
        Matplotlib hatch patterns cycled with the colours (greyscale print only).
    font_px : int
        Size of tooltips, popups, legend and layer control on screen.
    badge_px : int
        Size of the site numbers drawn on the map.
    outline : str
        Stroke colour of polygons.
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
    semantic: dict[str, dict[str, str]] = field(default_factory=dict)
    hatches: tuple[str, ...] = ("",)
    font_px: int = 13
    badge_px: int = 12
    outline: str = "#444444"
    weight: float = 1.0
    point_radius: float = 7.0
    suppressed: str = "#d0d0d0"
    sequential: str = "YlOrRd"

    def class_colour(self, enum: str | None, code: str | None, position: int) -> str:
        """Return the colour of a class: its fixed colour if the code has one, else the ``position``-th colour."""
        fixed = self.semantic.get(enum or "", {})
        if (code or "") in fixed:
            return fixed[code or ""]
        return self.categorical[position % len(self.categorical)]

    def hatch(self, position: int) -> str:
        """Return the hatch pattern of the ``position``-th class (empty in colour styles)."""
        return self.hatches[position % len(self.hatches)]


_STYLES: dict[StyleName, MapStyle] = {
    StyleName.STANDARD: MapStyle(StyleName.STANDARD, TABLEAU10, _SEMANTIC_STANDARD),
    StyleName.COURTYARD: MapStyle(
        StyleName.COURTYARD,
        OKABE_ITO,
        _SEMANTIC_COURTYARD,
        font_px=20,
        badge_px=24,
        outline="#000000",
        weight=2.5,
        point_radius=11.0,
        sequential="viridis",  # perceptually uniform and readable by colour-blind viewers
    ),
    StyleName.GREYSCALE: MapStyle(
        StyleName.GREYSCALE,
        GREYS,
        {},
        hatches=HATCHES,
        outline="#000000",
        suppressed="#ffffff",
        sequential="Greys",
    ),
}

#: the smallest text a projected map may show (the issue asks for at least 18 px)
COURTYARD_MIN_PX = 18


def map_style(name: StyleName | str = StyleName.STANDARD) -> MapStyle:
    """Return the :class:`MapStyle` called ``name`` ("standard", "courtyard" or "greyscale")."""
    return _STYLES[StyleName(name)]


__all__ = ["COURTYARD_MIN_PX", "GREYS", "HATCHES", "OKABE_ITO", "TABLEAU10", "MapStyle", "StyleName", "map_style"]
