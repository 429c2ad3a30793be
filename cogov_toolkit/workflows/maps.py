"""Maps of a workspace: gather its layers into :class:`~cogov_toolkit.render.map_layers.MapContent` and render them.

The renderers in :mod:`cogov_toolkit.render` take content and data only; this
module is where a workspace is read for them: the interactive offline map,
print exports, the WeChat image, the map set of ``cogov demo``, choropleths
and the turnout map of a vote.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.schema import LAYERS
from cogov_toolkit.errors import CogovError
from cogov_toolkit.render.choropleth import MIN_RESPONDENTS, building_choropleth
from cogov_toolkit.render.interactive import InteractiveOptions, content_map
from cogov_toolkit.render.map_layers import (
    LayerKey,
    MapContent,
    MapLayer,
    adoption_layer,
    background_geometry,
    building_layer,
    demand_layer,
    idle_plot_layer,
    landmark_layer,
    public_space_layer,
    road_layer,
)
from cogov_toolkit.render.print_map import WECHAT_WIDTH_PX, Orientation, PrintOptions, save_print
from cogov_toolkit.render.style import MapStyle, map_style

if TYPE_CHECKING:
    import folium

    from cogov_toolkit.storage import Workspace


def workspace_content(
    ws: Workspace, style: MapStyle | None = None, *, include: Iterable[LayerKey | str] | None = None
) -> MapContent:
    """Read a workspace and return every data layer it has, ready to draw.

    Parameters
    ----------
    ws : Workspace
        An open workspace.
    style : MapStyle, optional
        Colours; the standard style by default.
    include : iterable of LayerKey, optional
        Which layers to show; all that have features by default. The demand
        layer appears once demands exist.
    """
    style = style or map_style()
    wanted = {LayerKey(k) for k in include} if include is not None else set(LayerKey) - {LayerKey.CHOROPLETH}
    spatial = {kind: ws.read_layer(kind) for kind in LAYERS}
    layers: list[MapLayer] = []
    if LayerKey.ROADS in wanted and len(spatial["roads"]):
        layers.append(road_layer(spatial["roads"], style))
    if LayerKey.BUILDINGS in wanted and len(spatial["buildings"]):
        layers.append(building_layer(spatial["buildings"], spatial["grids"], style))
    if LayerKey.PUBLIC_SPACES in wanted and len(spatial["public_spaces"]):
        layers.append(public_space_layer(spatial["public_spaces"], style))
    if LayerKey.IDLE_PLOTS in wanted and len(spatial["idle_plots"]):
        layers.append(idle_plot_layer(spatial["idle_plots"], style))
    if LayerKey.ADOPTION_ZONES in wanted and len(spatial["adoption_zones"]):
        layers.append(adoption_layer(spatial["adoption_zones"], ws.records("adoptions"), style))
    if LayerKey.LANDMARKS in wanted and len(spatial["landmarks"]):
        layers.append(landmark_layer(spatial["landmarks"], style))
    if LayerKey.DEMANDS in wanted:
        demands = ws.records("demands")
        if len(demands):
            layers.append(demand_layer(demands, spatial, style))
    return MapContent(ws.community_name, tuple(layers), background_geometry(spatial))


#: what a printed map shows unless asked: demands make their own thematic map (a clutter of points otherwise)
PRINT_LAYERS: tuple[LayerKey, ...] = (
    LayerKey.ROADS,
    LayerKey.BUILDINGS,
    LayerKey.PUBLIC_SPACES,
    LayerKey.IDLE_PLOTS,
    LayerKey.ADOPTION_ZONES,
    LayerKey.LANDMARKS,
)
#: the thematic map of demands: where they are, on the buildings, with the roads and gates to find them by
DEMAND_LAYERS: tuple[LayerKey, ...] = (LayerKey.ROADS, LayerKey.BUILDINGS, LayerKey.LANDMARKS, LayerKey.DEMANDS)
#: what every other map (a figure by building, a vote's turnout, the open demands) shows to find one's way
WAYFINDING_LAYERS: tuple[LayerKey, ...] = (LayerKey.ROADS, LayerKey.LANDMARKS)


def around(spatial: dict[str, Any], layers: Iterable[MapLayer], style: MapStyle | None = None) -> tuple[MapLayer, ...]:
    """Return ``layers`` with the workspace's roads under them and its gates and landmarks over them.

    ``spatial`` holds the layers read from the workspace (``roads`` and
    ``landmarks`` when it has them); a thematic map (a figure by building, the
    open demands) is read like every other map, by the roads and gates around it.
    """
    style = style or map_style()
    roads, landmarks = spatial.get("roads"), spatial.get("landmarks")
    below = (road_layer(roads, style),) if roads is not None and len(roads) else ()
    above = (landmark_layer(landmarks, style),) if landmarks is not None and len(landmarks) else ()
    return (*below, *layers, *above)


def site_point(ws: Workspace, layer: LayerKey | str, number: int | str) -> tuple[float, float]:
    """Return (lon, lat) of a site by its number ("空5" is ``site_point(ws, "public_spaces", 5)``): for "您在这里".

    Raises
    ------
    CogovError
        ``map.unknown_site`` when the layer has no site of that number.
    """
    frame = ws.read_layer(str(LayerKey(layer)))
    match = frame[frame["number"].astype(str) == str(number)] if "number" in frame else frame.iloc[:0]
    if match.empty:
        raise CogovError("map.unknown_site", layer=i18n.t(f"map.layer.{LayerKey(layer)}"), number=str(number))
    point = match.geometry.iloc[0].representative_point()
    return (point.x, point.y)


def meeting_places(ws: Workspace) -> list[tuple[str, tuple[str, str]]]:
    """Return (label, (layer, number)) of every public space, idle plot and landmark, for a "您在这里" choice.

    Sites read as on the map ("空5 · 议事角"), landmarks by name ("社区党群服务中心").
    """
    out = []
    for key in (LayerKey.PUBLIC_SPACES, LayerKey.IDLE_PLOTS):
        frame = ws.read_layer(str(key))
        for number, name in zip(frame["number"], frame.get("name", [None] * len(frame)), strict=True):
            if pd.isna(number):
                continue
            shown = i18n.t(f"map.badge_short.{key}", number=int(number))
            out.append((f"{shown} · {name}" if isinstance(name, str) and name else shown, (str(key), str(int(number)))))
    # meetings are held at the 党群服务中心 or by a gate as often as in a garden: landmarks by name
    frame = ws.read_layer(str(LayerKey.LANDMARKS))
    for number, name, kind in zip(frame["number"], frame["name"], frame["kind"], strict=True):
        if pd.isna(number):
            continue
        shown = name if isinstance(name, str) and name else i18n.label("landmark_kind", kind)
        out.append((shown, (str(LayerKey.LANDMARKS), str(int(number)))))
    return out


def interactive_map(ws: Workspace, options: InteractiveOptions | None = None, **kwargs: Any) -> folium.Map:
    """Return the offline interactive map of a workspace, shown as is in JupyterLab.

    Parameters
    ----------
    ws : Workspace
        An open workspace.
    options : InteractiveOptions, optional
        Style and basemap; keyword arguments (``courtyard=True``,
        ``basemap="gaode"``, ``here=site_point(ws, "public_spaces", 5)`` …)
        build one when not given.

    Returns
    -------
    folium.Map
        Save it with :func:`save_html`.

    Examples
    --------
    >>> m = interactive_map(ws, courtyard=True)   # doctest: +SKIP
    >>> save_html(m, "幸福社区地图.html")          # doctest: +SKIP
    """
    options = options or InteractiveOptions(**kwargs)
    return content_map(workspace_content(ws, options.style), options)


def export_print(
    ws: Workspace,
    path: str | Path,
    options: PrintOptions | None = None,
    *,
    include: Iterable[LayerKey | str] | None = None,
    **kwargs: Any,
) -> Path:
    """Export the workspace map for print (format from the suffix: .png, .pdf, .svg).

    Parameters
    ----------
    ws : Workspace
        An open workspace.
    path : str or Path
        Where to write; the suffix chooses the format.
    options : PrintOptions, optional
        Paper, orientation, greyscale …; keyword arguments (``paper="A3"``,
        ``greyscale=True`` …) build one when not given.
    include : iterable of LayerKey, optional
        The layers to print; :data:`PRINT_LAYERS` (no demands) by default,
        :data:`DEMAND_LAYERS` for the thematic map of demands.

    Examples
    --------
    >>> export_print(ws, "幸福社区.pdf", paper="A3", orientation="portrait")   # doctest: +SKIP
    >>> export_print(ws, "诉求分布.png", include=DEMAND_LAYERS)                # doctest: +SKIP
    """
    options = options or PrintOptions(**kwargs)
    layers = PRINT_LAYERS if include is None else include
    return save_print(workspace_content(ws, options.style, include=layers), path, options)


def export_demand_map(ws: Workspace, path: str | Path, options: PrintOptions | None = None) -> Path:
    """Export the thematic map of demands (buildings and demands by triage class), titled as such."""
    options = options or PrintOptions()
    if options.title is None:
        options = replace(options, title=i18n.t("map.print.title_demands", community=ws.community_name))
    return export_print(ws, path, options, include=DEMAND_LAYERS)


def open_demands_map(ws: Workspace, options: InteractiveOptions | None = None) -> folium.Map:
    """Return the offline map of the demands not yet resolved, on the buildings, coloured by triage class.

    Fed from :func:`cogov_toolkit.workflows.demands.open_demands_layer`
    (public columns only, phone-like numbers masked).
    """
    from cogov_toolkit.workflows.demands import open_demands_layer

    options = options or InteractiveOptions()
    places = {kind: ws.read_layer(kind) for kind in LAYERS}
    layers = []
    if len(places["buildings"]):
        layers.append(building_layer(places["buildings"], places["grids"], options.style))
    layers = [*around(places, layers, options.style), demand_layer(open_demands_layer(ws), places, options.style)]
    return content_map(MapContent(ws.community_name, tuple(layers), background_geometry(places)), options)


def export_wechat_png(ws: Workspace, path: str | Path, options: PrintOptions | None = None) -> Path:
    """Export a 1080-pixel-wide PNG for WeChat groups (A4 portrait layout: phones are upright)."""
    options = replace(options or PrintOptions(orientation=Orientation.PORTRAIT), width_px=WECHAT_WIDTH_PX)
    return export_print(ws, Path(path).with_suffix(".png"), options)


@dataclass(frozen=True)
class MapFile:
    """One file of the set: its name stem (from the catalog) and how to make it."""

    name_key: str
    suffix: str
    paper: str | None = None  # "A4" / "A3" for print sheets; None for HTML and WeChat
    orientation: str = "landscape"
    greyscale: bool = False
    courtyard: bool = False
    wechat: bool = False
    demands: bool = False  # the thematic map of demands instead of the sites

    def file_name(self) -> str:
        """Return the file name in the current language (e.g. 地图_A3横版.pdf)."""
        return i18n.t(self.name_key) + self.suffix


MAP_SET: tuple[MapFile, ...] = (
    MapFile("map.file.interactive", ".html"),
    MapFile("map.file.interactive_courtyard", ".html", courtyard=True),
    MapFile("map.file.a4_landscape", ".png", paper="A4"),
    MapFile("map.file.a4_landscape", ".pdf", paper="A4"),
    MapFile("map.file.a3_portrait", ".pdf", paper="A3", orientation="portrait"),
    MapFile("map.file.a3_portrait", ".svg", paper="A3", orientation="portrait"),
    MapFile("map.file.a4_greyscale", ".pdf", paper="A4", greyscale=True),
    MapFile("map.file.wechat", ".png", wechat=True),
)
#: the thematic map of demands, written on request (``write_map_set(ws, folder, (DEMAND_MAP_FILE,))``)
DEMAND_MAP_FILE = MapFile("map.file.demands", ".png", paper="A4", demands=True)


def write_map_set(ws: Workspace, folder: str | Path, files: tuple[MapFile, ...] = MAP_SET) -> list[Path]:
    """Write the map files of ``ws`` into ``folder`` and return their paths (in ``files`` order)."""
    from cogov_toolkit.render.interactive import save_html
    from cogov_toolkit.render.print_map import Paper

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for item in files:
        path = folder / item.file_name()
        if item.suffix == ".html":
            save_html(interactive_map(ws, InteractiveOptions(courtyard=item.courtyard)), path)
        elif item.wechat:
            export_wechat_png(ws, path)
        elif item.demands:
            export_demand_map(
                ws, path, PrintOptions(paper=Paper(item.paper), orientation=Orientation(item.orientation))
            )
        else:
            options = PrintOptions(
                paper=Paper(item.paper), orientation=Orientation(item.orientation), greyscale=item.greyscale
            )
            export_print(ws, path, options)
        written.append(path)
    return written


#: the workspace layers a thematic map reads besides its figure: the outlines and the buildings
_OUTLINES = ("community", "neighbourhoods", "grids", "buildings")


def choropleth_content(
    ws: Workspace, values: pd.Series, respondents: pd.Series, *, name: str, **kwargs: object
) -> MapContent:
    """Return a map of one building-level figure of a workspace, for :func:`~.interactive.content_map` or print.

    Keyword arguments go to :func:`building_choropleth` (``scheme``, ``k`` …).
    """
    spatial = {kind: ws.read_layer(kind) for kind in (*_OUTLINES, *WAYFINDING_LAYERS)}
    layer = building_choropleth(spatial["buildings"], values, respondents, name=name, **kwargs)
    return MapContent(ws.community_name, around(spatial, (layer,)), background_geometry(spatial))


def turnout_layer(ws: Workspace, vote_id: str, *, min_voters: int = MIN_RESPONDENTS) -> MapLayer:
    """Return a choropleth layer of turnout (%) by building; buildings with fewer than ``min_voters`` voters greyed."""
    from cogov_toolkit.workflows.votes import turnout_by_building

    turnout = turnout_by_building(ws, vote_id).set_index("building_id")
    buildings = ws.read_layer("buildings")
    buildings = buildings[buildings["building_id"].isin(turnout.index)]
    return building_choropleth(
        buildings,
        (turnout["turnout"] * 100).round(1),
        turnout["voters"],
        name=i18n.t("vote_results.turnout"),
        min_respondents=min_voters,
    )


def turnout_content(ws: Workspace, vote_id: str, *, min_voters: int = MIN_RESPONDENTS) -> MapContent:
    """Return the turnout map of a vote (for :func:`~cogov_toolkit.render.interactive.content_map` or print)."""
    spatial = {kind: ws.read_layer(kind) for kind in (*_OUTLINES, *WAYFINDING_LAYERS)}
    layers = around(spatial, (turnout_layer(ws, vote_id, min_voters=min_voters),))
    return MapContent(ws.community_name, layers, background_geometry(spatial))


__all__ = [
    "DEMAND_LAYERS",
    "WAYFINDING_LAYERS",
    "around",
    "DEMAND_MAP_FILE",
    "MAP_SET",
    "PRINT_LAYERS",
    "MapFile",
    "choropleth_content",
    "export_demand_map",
    "export_print",
    "export_wechat_png",
    "interactive_map",
    "meeting_places",
    "open_demands_map",
    "site_point",
    "turnout_content",
    "turnout_layer",
    "workspace_content",
    "write_map_set",
]
