"""Draw and edit public spaces, idle plots, adoption spots, roads and landmarks on a map, with a form beside it.

The map is an ipyleaflet widget (its JavaScript ships inside the package, so it
works offline) with a draw control: a planner draws a polygon, rectangle or
marker, fills the form (layer, type, status, number, name) and presses 保存;
moving, reshaping and deleting on the map go to the workspace as soon as the
browser reports them. Every change is one durable transaction
(the workspace's feature methods) and pushes its inverse on an undo
stack, so 撤销上一步 takes back the last change whatever it was.

No basemap is loaded by default: a courtyard meeting has no internet, and a
tile URL would make the map depend on it. The community boundary and the
buildings are drawn as a light background to trace against.

Drawn shapes are tied to workspace features through their GeoJSON properties
(``cogov_kind`` and ``cogov_fid``): the editor puts them there when it fills
the draw control, and the browser sends them back with every edit or delete.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shapely
from shapely.geometry import mapping, shape

from cogov_toolkit import i18n
from cogov_toolkit.core.escape import html_text
from cogov_toolkit.errors import CogovError, ConfigurationError
from cogov_toolkit.storage.base import Feature
from cogov_toolkit.workflows.overview import ENUMS, LAYERS

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace

BUTTON_LAYOUT = {"width": "12em", "height": "3em"}  # large targets: projector remote, touch screen
KIND_PROPERTY = "cogov_kind"
FID_PROPERTY = "cogov_fid"
PART_PROPERTY = "cogov_part"  # which part of a multi-part feature a drawn shape is
NEW_SHAPE = -1  # the "selected" value of a drawn shape not saved yet


class SiteKind(enum.Enum):
    """The layers a planner draws in the editor."""

    PUBLIC_SPACES = "public_spaces"
    IDLE_PLOTS = "idle_plots"
    ADOPTION_ZONES = "adoption_zones"
    ROADS = "roads"
    LANDMARKS = "landmarks"


@dataclass(frozen=True)
class FormFields:
    """Which layer columns the form's 类型 and 状态 dropdowns fill, and the id prefix of new features."""

    type_column: str
    status_column: str | None
    id_prefix: str
    colour: str


FORM_FIELDS: dict[SiteKind, FormFields] = {
    SiteKind.PUBLIC_SPACES: FormFields("type", None, "S", "#1f78b4"),
    SiteKind.IDLE_PLOTS: FormFields("kind", "status", "P", "#e6550d"),
    SiteKind.ADOPTION_ZONES: FormFields("zone_type", "status", "A", "#31a354"),
    SiteKind.ROADS: FormFields("kind", None, "R", "#8c8c8c"),
    SiteKind.LANDMARKS: FormFields("kind", None, "L", "#000000"),
}


class ChangeAction(enum.Enum):
    """What a change did, so undo knows its inverse."""

    ADDED = "added"  # undo: delete
    UPDATED = "updated"  # undo: put the old geometry and values back
    DELETED = "deleted"  # undo: restore under the same row id


@dataclass(frozen=True)
class Change:
    """One saved change and the feature as it was before (None for an added one)."""

    action: ChangeAction
    kind: str
    fid: int
    before: Feature | None = None


def geometry_from_geojson(geo_json: dict[str, Any]) -> shapely.Geometry:
    """Return the shapely geometry of a GeoJSON feature sent by the draw control."""
    return shape(geo_json["geometry"])


class SiteEditor:
    """An editable map of the workspace's sites with an attribute form, for people who do not code.

    Attributes (the widgets, so a test or a demo can drive them): ``map``
    (ipyleaflet Map), ``draw`` (DrawControl), ``kind``, ``type``, ``status``
    (Dropdowns), ``number`` (IntText), ``name``, ``proposed_use`` (Text),
    ``selected`` (Dropdown of saved features), ``save_button``,
    ``undo_button``, ``delete_button`` and ``message`` (HTML). ``undo_stack``
    holds the changes that 撤销上一步 can take back, newest last.
    """

    def __init__(self, ws: Workspace) -> None:
        import ipywidgets as widgets

        ipyleaflet = _ipyleaflet()

        self.ws = ws
        self.undo_stack: list[Change] = []
        self.pending: shapely.Geometry | None = None
        self._filling = False  # True while the editor sets the form itself (no observer reactions)
        self.map = ipyleaflet.Map(layers=(), center=self._centre(), zoom=17, scroll_wheel_zoom=True)
        self.map.layout.height = "32em"
        for layer in self._background_layers(ipyleaflet):
            self.map.add(layer)
        self.draw = ipyleaflet.DrawControl(
            polygon={"shapeOptions": {"color": "#6a3d9a"}},
            rectangle={"shapeOptions": {"color": "#6a3d9a"}},
            # an empty dict turns a tool off in ipyleaflet: markers (trees, gates) and lines (roads) stay on
            marker={"repeatMode": False},
            polyline={"shapeOptions": {"color": "#6a3d9a", "weight": 4}},
            circle={},
            circlemarker={},
        )
        self.draw.on_draw(self._on_draw)
        self.map.add(self.draw)

        wide = {"description_width": "6em"}
        self.kind = widgets.Dropdown(
            options=[(i18n.t(f"site_editor.kind.{k.value}"), k.value) for k in SiteKind],
            value=SiteKind.PUBLIC_SPACES.value,
            description=i18n.t("site_editor.field.kind"),
            style=wide,
        )
        self.type = widgets.Dropdown(description=i18n.t("site_editor.field.type"), style=wide)
        self.status = widgets.Dropdown(description=i18n.t("site_editor.field.status"), style=wide)
        self.number = widgets.IntText(description=i18n.t("site_editor.field.number"), style=wide)
        self.name = widgets.Text(description=i18n.t("site_editor.field.name"), style=wide)
        self.proposed_use = widgets.Text(description=i18n.t("site_editor.field.proposed_use"), style=wide)
        self.notes = widgets.Textarea(description=i18n.t("site_editor.field.notes"), style=wide)
        self.selected = widgets.Dropdown(description=i18n.t("site_editor.field.selected"), style=wide)
        self.save_button = widgets.Button(
            description=i18n.t("site_editor.save"), button_style="primary", layout=BUTTON_LAYOUT
        )
        self.undo_button = widgets.Button(description=i18n.t("site_editor.undo"), layout=BUTTON_LAYOUT)
        self.delete_button = widgets.Button(
            description=i18n.t("site_editor.delete"), button_style="danger", layout=BUTTON_LAYOUT
        )
        self.message = widgets.HTML()
        self.kind.observe(lambda _: self._on_kind_change(), names="value")
        self.selected.observe(lambda _: self._on_select(), names="value")
        self.save_button.on_click(lambda _: self.save())
        self.undo_button.on_click(lambda _: self.undo())
        self.delete_button.on_click(lambda _: self.delete_selected())
        form = widgets.VBox(
            [
                widgets.HTML(f"<b>{html_text(i18n.t('site_editor.form_title'))}</b>"),
                self.selected,
                self.kind,
                self.type,
                self.status,
                self.number,
                self.name,
                self.proposed_use,
                self.notes,
                self.save_button,
                self.undo_button,
                self.delete_button,
                self.message,
            ],
            layout={"width": "24em"},
        )
        self.map.layout.width = "100%"
        self.widget = widgets.HBox([widgets.Box([self.map], layout={"flex": "1"}), form])
        self._fill_choices(SiteKind.PUBLIC_SPACES.value)
        self._refresh()
        self._say(i18n.t("site_editor.hint"))

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    # ------------------------------------------------------------------ actions
    def add_plan_image(self, path: str | Path, control_points: Any) -> Any:
        """Lay a scanned plan image over the map to trace over, placed by control points.

        ``control_points`` is a :class:`cogov_toolkit.io.cad.ControlPoints` whose plan
        points are pixel positions (column, row) with ``plan_y_down=True``. The image is
        embedded as a data URI, so nothing is fetched; a web-map overlay is axis-aligned,
        so a plan scanned at an angle is shown by its envelope (the fit's report says how
        far it is turned). Returns the placed corners.
        """
        import base64
        import mimetypes

        import ipyleaflet
        from PIL import Image

        from cogov_toolkit.workflows.imports import image_bounds_for

        path = Path(path)
        with Image.open(path) as image:
            width, height = image.size
        corners = image_bounds_for(control_points, width, height)
        mime = mimetypes.guess_type(path.name)[0] or "image/png"
        url = f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")
        overlay = ipyleaflet.ImageOverlay(url=url, bounds=corners.bounds, opacity=0.6, name=path.name)
        self.map.add(overlay)
        self.plan_overlay = overlay
        return corners

    def save(self) -> Feature | None:
        """Save the form: a new drawn shape becomes a feature, a selected feature gets the form's values."""
        kind = self.kind.value
        try:
            if self.selected.value not in (None, NEW_SHAPE):
                feature = self._save_attributes(*self.selected.value)
            elif self.pending is not None:
                feature = self._save_new(kind)
            else:
                self._say(i18n.t("site_editor.nothing_to_save"), error=True)
                return None
        except CogovError as exc:
            self._say(exc.message(), error=True)
            return None
        self._refresh(select=(feature.kind, feature.fid))
        self._say(i18n.t("site_editor.saved", id=feature.feature_id, number=feature.values.get("number")))
        return feature

    def undo(self) -> Change | None:
        """Take back the last saved change (an add is deleted, a delete restored, an edit reverted)."""
        if not self.undo_stack:
            self._say(i18n.t("site_editor.nothing_to_undo"), error=True)
            return None
        change = self.undo_stack[-1]
        try:
            if change.action is ChangeAction.ADDED:
                self.ws.delete_feature(change.kind, change.fid)
            elif change.action is ChangeAction.DELETED:
                self.ws.restore_feature(change.before)
            else:
                before = change.before
                self.ws.update_feature(change.kind, change.fid, geometry=before.geometry, values=before.values)
        except CogovError as exc:
            self._say(exc.message(), error=True)
            return None
        self.undo_stack.pop()
        self._refresh()
        self._say(i18n.t(f"site_editor.undone.{change.action.value}"))
        return change

    def delete_selected(self) -> Feature | None:
        """Delete the feature chosen in 所选 (or, with 新画的图形 chosen, drop the shape not saved yet)."""
        if self.selected.value in (None, NEW_SHAPE):
            if self.pending is not None:
                self.pending = None
                self._refresh()
                self._say(i18n.t("site_editor.dropped_new"))
            else:
                self._say(i18n.t("site_editor.nothing_selected"), error=True)
            return None
        return self._delete(*self.selected.value)

    # ------------------------------------------------------------------ draw events
    def _on_draw(self, _control: Any, action: str, geo_json: dict[str, Any]) -> None:
        """React to what the browser reports: created, edited (moved, reshaped) or deleted."""
        properties = geo_json.get("properties") or {}
        target = (properties.get(KIND_PROPERTY), properties.get(FID_PROPERTY))
        try:
            geometry = geometry_from_geojson(geo_json)
        except (KeyError, TypeError, ValueError, shapely.errors.GEOSException):
            self._say(i18n.t("site_editor.unreadable_shape"), error=True)
            return
        if action == "created":
            self._on_created(geometry)
        elif action == "edited" and target[1] is not None:
            self._edit_geometry(target[0], int(target[1]), geometry, properties.get(PART_PROPERTY))
        elif action == "edited":
            self.pending = geometry
        elif action == "deleted" and target[1] is not None:
            self._delete(target[0], int(target[1]))
        elif action == "deleted":
            self.pending = None
            self._say(i18n.t("site_editor.dropped_new"))

    def _on_created(self, geometry: shapely.Geometry) -> None:
        self.pending = geometry
        if geometry.geom_type == "Point" and self.kind.value == SiteKind.IDLE_PLOTS.value:
            self._set_kind(SiteKind.ADOPTION_ZONES.value)  # idle plots are areas: a point is a tree or a corner
        elif geometry.geom_type == "Point" and self.kind.value == SiteKind.ROADS.value:
            self._set_kind(SiteKind.LANDMARKS.value)  # a road is a line: a point is a gate or a landmark
        self._filling = True
        try:
            self.selected.value = NEW_SHAPE
        finally:
            self._filling = False
        self._reset_form()
        self._say(i18n.t("site_editor.drawn"))

    def _edit_geometry(self, kind: str, fid: int, geometry: shapely.Geometry, part: int | None) -> None:
        try:
            geometry = _with_part(self.ws.get_feature(kind, fid).geometry, part, geometry)
            values = self._derived(kind, geometry)
            before = self.ws.update_feature(kind, fid, geometry=geometry, values=values)
        except CogovError as exc:
            self._refresh()  # the map shows the stored shape again, not the refused one
            self._say(exc.message(), error=True)
            return
        self.undo_stack.append(Change(ChangeAction.UPDATED, kind, fid, before))
        self._refresh(select=(kind, fid))
        self._say(i18n.t("site_editor.moved", id=before.feature_id))

    def _delete(self, kind: str, fid: int) -> Feature | None:
        try:
            before = self.ws.delete_feature(kind, fid)
        except CogovError as exc:
            self._say(exc.message(), error=True)
            return None
        self.undo_stack.append(Change(ChangeAction.DELETED, kind, fid, before))
        self._refresh()
        self._say(i18n.t("site_editor.deleted", id=before.feature_id))
        return before

    # ------------------------------------------------------------------ saving
    def _save_new(self, kind: str) -> Feature:
        fields = FORM_FIELDS[SiteKind(kind)]
        values = {**self._form_values(kind), **self._derived(kind, self.pending)}
        values[LAYERS[kind].id_column] = f"{fields.id_prefix}{self.number.value:02d}"
        feature = self.ws.insert_feature(kind, self.pending, values)
        self.pending = None
        self.undo_stack.append(Change(ChangeAction.ADDED, kind, feature.fid))
        return feature

    def _save_attributes(self, kind: str, fid: int) -> Feature:
        before = self.ws.update_feature(kind, fid, values=self._form_values(kind))
        self.undo_stack.append(Change(ChangeAction.UPDATED, kind, fid, before))
        return self.ws.get_feature(kind, fid)

    def _form_values(self, kind: str) -> dict[str, Any]:
        fields = FORM_FIELDS[SiteKind(kind)]
        values: dict[str, Any] = {
            "number": self.number.value,
            "name": self.name.value,
            fields.type_column: self.type.value,
        }
        if fields.status_column:
            values[fields.status_column] = self.status.value
        if kind == SiteKind.IDLE_PLOTS.value:
            values["proposed_use"] = self.proposed_use.value
        values["notes"] = self.notes.value.strip() or None  # every site layer has notes (备注)
        return values

    def _derived(self, kind: str, geometry: shapely.Geometry) -> dict[str, Any]:
        """Values that follow from the shape: area (polygons, in a projected CRS) and the compound it lies in."""
        values: dict[str, Any] = {}
        if geometry is None or geometry.is_empty:
            return values
        if "area_m2" in {c.name for c in LAYERS[kind].columns}:
            values["area_m2"] = _area_m2(geometry) if geometry.geom_type in ("Polygon", "MultiPolygon") else None
        neighbourhood = self._neighbourhood_of(geometry)
        if neighbourhood is not None:
            values["neighbourhood_id"] = neighbourhood
        return values

    def _neighbourhood_of(self, geometry: shapely.Geometry) -> str | None:
        frame = self.ws.read_layer("neighbourhoods")
        if frame.empty or not shapely.is_valid(geometry):
            return None
        point = geometry.representative_point()
        hits = frame[frame.geometry.contains(point)]
        return None if hits.empty else str(hits["neighbourhood_id"].iloc[0])

    # ------------------------------------------------------------------ form
    def _on_kind_change(self) -> None:
        if self._filling:
            return
        if self.selected.value not in (None, NEW_SHAPE):  # a saved site keeps its layer: the form is for a new one
            self._filling = True
            try:
                self.selected.value = NEW_SHAPE
            finally:
                self._filling = False
        self._fill_choices(self.kind.value)
        self._reset_form()

    def _set_kind(self, kind: str) -> None:
        self._filling = True
        try:
            self.kind.value = kind
        finally:
            self._filling = False
        self._fill_choices(kind)

    def _fill_choices(self, kind: str) -> None:
        spec = LAYERS[kind]
        fields = FORM_FIELDS[SiteKind(kind)]
        self.type.options = _labelled(spec.column(fields.type_column).enum)
        self.type.description = i18n.t(f"column.{fields.type_column}")
        if fields.status_column:
            self.status.options = _labelled(spec.column(fields.status_column).enum)
            self.status.layout.display = None
        else:
            self.status.options = []
            self.status.layout.display = "none"
        self.proposed_use.layout.display = None if kind == SiteKind.IDLE_PLOTS.value else "none"

    def _reset_form(self) -> None:
        """Empty the form for a new feature, proposing the layer's next free number."""
        self.number.value = self.ws.next_number(self.kind.value)
        self.name.value = ""
        self.proposed_use.value = ""
        self.notes.value = ""
        if self.type.options:
            self.type.index = 0
        if self.status.options:
            self.status.index = 0

    def _on_select(self) -> None:
        if self._filling or self.selected.value in (None, NEW_SHAPE):
            return
        kind, fid = self.selected.value
        feature = self.ws.get_feature(kind, fid)
        self._set_kind(kind)
        fields = FORM_FIELDS[SiteKind(kind)]
        self.type.value = feature.values.get(fields.type_column) or self.type.options[0][1]
        if fields.status_column:
            self.status.value = feature.values.get(fields.status_column) or self.status.options[0][1]
        self.number.value = int(feature.values.get("number") or 0)
        self.name.value = feature.values.get("name") or ""
        self.proposed_use.value = feature.values.get("proposed_use") or ""
        self.notes.value = feature.values.get("notes") or ""

    # ------------------------------------------------------------------ map and lists
    def _refresh(self, select: tuple[str, int] | None = None) -> None:
        """Put every saved site on the draw control and in the 所选 list (after each change)."""
        drawn, options = [], [(i18n.t("site_editor.new_shape"), NEW_SHAPE)]
        for kind in SiteKind:
            frame = self.ws.read_layer(kind.value)
            colour = FORM_FIELDS[kind].colour
            for fid, number, name, geometry in zip(
                frame["fid"], frame["number"], frame["name"], frame.geometry, strict=True
            ):
                for index, part in enumerate(_parts(geometry)):
                    drawn.append(
                        {
                            "type": "Feature",
                            "geometry": mapping(part),
                            "properties": {
                                KIND_PROPERTY: kind.value,
                                FID_PROPERTY: int(fid),
                                PART_PROPERTY: index,
                                "style": {"color": colour, "fillColor": colour, "fillOpacity": 0.3, "weight": 2},
                            },
                        }
                    )
                shown = "" if number is None or number != number else int(number)  # roads from OSM come unnumbered
                text = i18n.t(f"site_editor.option.{kind.value}", number=shown, name=name or "")
                options.append((text, (kind.value, int(fid))))
        if self.pending is not None:  # a drawn shape not saved yet stays on the map, without an id
            drawn.append({"type": "Feature", "geometry": mapping(self.pending), "properties": {}})
        self.draw.data = drawn
        self._filling = True
        try:
            self.selected.options = options
            values = [v for _, v in options]
            self.selected.value = select if select in values else NEW_SHAPE
        finally:
            self._filling = False
        if select is None:
            self._reset_form()

    def _background_layers(self, ipyleaflet: Any) -> list[Any]:
        layers = []
        for kind, colour in (("community", "#555555"), ("buildings", "#999999")):
            frame = self.ws.read_layer(kind)
            if frame.empty:
                continue
            data = json.loads(frame[["geometry"]].to_json(drop_id=True))
            layers.append(
                ipyleaflet.GeoJSON(
                    data=data,
                    name=i18n.t(f"site_editor.background.{kind}"),
                    style={"color": colour, "weight": 1, "fillColor": colour, "fillOpacity": 0.08},
                )
            )
        return layers

    def _centre(self) -> tuple[float, float]:
        for kind in ("community", "buildings", "public_spaces"):
            frame = self.ws.read_layer(kind)
            if not frame.empty:
                minx, miny, maxx, maxy = frame.total_bounds
                return ((miny + maxy) / 2, (minx + maxx) / 2)
        return (30.59, 114.31)  # an empty workspace: somewhere in China until something is drawn

    def _say(self, text: str, *, error: bool = False) -> None:
        colour = "#b00020" if error else "#1b5e20"
        body = "<br>".join(html_text(line) for line in text.splitlines())
        self.message.value = f"<div style='font-size:1.1em;color:{colour}'>{body}</div>"


def _ipyleaflet() -> Any:
    """Import ipyleaflet, or say in Chinese what to install (it is part of the ``lab`` extra)."""
    try:
        import ipyleaflet
    except ImportError:
        raise ConfigurationError("site_editor.no_ipyleaflet") from None
    return ipyleaflet


def _labelled(enum_name: str | None) -> list[tuple[str, str]]:
    return [(i18n.label(enum_name, code), code) for code in ENUMS[enum_name or ""]]


def _parts(geometry: shapely.Geometry) -> list[shapely.Geometry]:
    """Leaflet.draw edits single shapes: a one-part MultiPolygon is drawn as its Polygon."""
    if geometry is None:
        return []
    if isinstance(geometry, shapely.MultiPolygon | shapely.MultiPoint | shapely.MultiLineString):
        return list(geometry.geoms)
    return [geometry]


def _with_part(stored: shapely.Geometry, part: int | None, edited: shapely.Geometry) -> shapely.Geometry:
    """Return the stored geometry with one of its parts replaced by the edited shape.

    A multi-part feature is drawn as one shape per part, and the browser reports
    only the part that moved; the other parts must stay.
    """
    parts = _parts(stored)
    if part is None or len(parts) < 2 or not 0 <= int(part) < len(parts):
        return edited
    parts[int(part)] = edited
    return type(stored)(parts)


def _area_m2(geometry: shapely.Geometry) -> float:
    """Area in square metres, measured in the nearest CGCS2000 Gauss-Kruger zone (never in degrees)."""
    import geopandas as gpd

    from cogov_toolkit.workflows.sites import area_crs_for

    series = gpd.GeoSeries([geometry], crs="EPSG:4326")
    return round(float(series.to_crs(area_crs_for(geometry.centroid.x)).area.iloc[0]), 1)


__all__ = ["SiteEditor", "SiteKind", "ChangeAction", "Change", "FORM_FIELDS", "geometry_from_geojson"]
