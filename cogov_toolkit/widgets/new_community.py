"""New workspace wizard: a planner's own community, step by step, with no code to type.

Step 1 names the community, its 小区 and 网格 and the folder; step 2 brings in
whatever files the planner has (GIS files, phone-app KML/KMZ, Excel lists,
coordinates picked on Gaode or Baidu maps), one at a time; step 3 outlines
小区 and 网格 from the buildings when no boundary file exists. After every step
the panel shows a preview map and says in plain words what was read and what
was not. Errors are the toolkit's own Chinese messages, escaped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cogov_toolkit import i18n
from cogov_toolkit.core.escape import html_text
from cogov_toolkit.errors import CogovError
from cogov_toolkit.widgets.feedback import guarded, message_html
from cogov_toolkit.workflows.overview import LAYERS

if TYPE_CHECKING:
    import folium

    from cogov_toolkit.storage import Workspace

BUTTON = {"width": "14em", "height": "3em"}
IMPORT_KINDS = (*LAYERS, "households")


def parse_names(text: str) -> dict[str, str]:
    """Return {id: name} from lines such as "N1 幸福花园" (a line with one word is both id and name)."""
    names: dict[str, str] = {}
    for line in text.splitlines():
        parts = re.split(r"[\s,，、:：]+", line.strip(), maxsplit=1)
        if parts and parts[0]:
            names[parts[0]] = parts[1].strip() if len(parts) > 1 and parts[1].strip() else parts[0]
    return names


#: what planners type for a CAD layer's role
CAD_ROLE_WORDS = {
    "建筑": "buildings",
    "楼栋": "buildings",
    "道路": "roads",
    "绿地": "green_space",
    "绿化": "green_space",
}


def parse_control_points(text: str) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Return control point pairs from lines "plan_x plan_y lon lat" (the plan point, then the map point)."""
    pairs = []
    for line in text.splitlines():
        numbers = [float(n) for n in re.split(r"[\s,，]+", line.strip()) if n]
        if not numbers:
            continue
        if len(numbers) != 4:
            raise ValueError(line.strip())
        pairs.append(((numbers[0], numbers[1]), (numbers[2], numbers[3])))
    return pairs


class NewCommunityWizard:
    """The wizard's widgets (attributes, so a notebook demo or a test can drive them) and its steps."""

    def __init__(self, folder: str | Path, *, workshop: Any = None) -> None:
        import ipywidgets as widgets

        wide = {"width": "36em"}
        label_style = {"description_width": "7em"}
        self.ws: Workspace | None = None
        self.last_map: folium.Map | None = None
        self.log: list[str] = []
        self.name = widgets.Text(description=i18n.t("wizard.name"), layout=wide, style=label_style)
        self.neighbourhoods = widgets.Textarea(
            description=i18n.t("wizard.neighbourhoods"), placeholder=i18n.t("wizard.neighbourhoods_hint"),
            layout={**wide, "height": "5em"}, style=label_style,
        )  # fmt: skip
        self.grids = widgets.Textarea(
            description=i18n.t("wizard.grids"), placeholder=i18n.t("wizard.grids_hint"),
            layout={**wide, "height": "5em"}, style=label_style,
        )  # fmt: skip
        self.folder = widgets.Text(
            value=str(folder), description=i18n.t("wizard.folder"), layout=wide, style=label_style
        )
        self.create_button = widgets.Button(description=i18n.t("wizard.create"), button_style="primary", layout=BUTTON)
        self.workshop = workshop
        self.use_button = widgets.Button(description=i18n.t("wizard.use_in_notebooks"), layout=BUTTON)
        self.use_button.layout.display = "none"

        self.upload = widgets.FileUpload(description=i18n.t("wizard.upload"), multiple=False, layout=BUTTON)
        self.file_path = widgets.Text(description=i18n.t("wizard.file_path"), layout=wide, style=label_style)
        self.kind = widgets.Dropdown(
            options=[(i18n.t(f"layer.{k}"), k) for k in IMPORT_KINDS], value="buildings",
            description=i18n.t("wizard.kind"), style=label_style,
        )  # fmt: skip
        self.coords = widgets.Dropdown(
            options=[(i18n.t(f"wizard.coords.{c}"), c) for c in ("wgs84", "gcj02", "bd09")], value="wgs84",
            description=i18n.t("wizard.coords_label"), style=label_style,
        )  # fmt: skip
        # KML/GPX from phone apps carry no kind of site: typed here ("小花园"), or "文件夹" to read each folder's name
        self.site_type = widgets.Text(
            description=i18n.t("wizard.site_type"), placeholder=i18n.t("wizard.site_type_hint"), style=label_style
        )
        self.import_button = widgets.Button(description=i18n.t("wizard.import"), layout=BUTTON)
        self.outline_button = widgets.Button(description=i18n.t("wizard.outline"), layout=BUTTON)
        self.dxf_path = widgets.Text(description=i18n.t("wizard.dxf_path"), layout=wide, style=label_style)
        self.dxf_layers_button = widgets.Button(description=i18n.t("wizard.dxf_layers"), layout=BUTTON)
        self.dxf_roles = widgets.Textarea(
            description=i18n.t("wizard.dxf_roles"), placeholder=i18n.t("wizard.dxf_roles_hint"),
            layout={**wide, "height": "4em"}, style=label_style,
        )  # fmt: skip
        self.dxf_crs = widgets.Text(
            description=i18n.t("wizard.dxf_crs"), placeholder="EPSG:4548", layout=wide, style=label_style
        )
        self.control_points = widgets.Textarea(
            description=i18n.t("wizard.control_points"), placeholder=i18n.t("wizard.control_points_hint"),
            layout={**wide, "height": "6em"}, style=label_style,
        )  # fmt: skip
        self.dxf_button = widgets.Button(description=i18n.t("wizard.dxf_import"), layout=BUTTON)
        self.roster_area = widgets.VBox()
        self.placement = None
        self.message = widgets.HTML()
        # an HTML widget, not an Output widget: output capture through a widget loses messages when
        # a notebook runs headless (nbval, nbclient), and the map's own HTML is all it needs
        self.map_area = widgets.HTML()

        self.create_button.on_click(lambda _: guarded(lambda: self.message)(self.create)())
        self.use_button.on_click(lambda _: guarded(lambda: self.message)(self.use_in_notebooks)())
        self.import_button.on_click(lambda _: guarded(lambda: self.message)(self.import_file)())
        self.outline_button.on_click(lambda _: guarded(lambda: self.message)(self.outline)())
        self.dxf_layers_button.on_click(lambda _: guarded(lambda: self.message)(self.list_dxf_layers)())
        self.dxf_button.on_click(lambda _: guarded(lambda: self.message)(self.import_cad)())
        self.widget = widgets.VBox(
            [
                widgets.HTML(f"<h3>{html_text(i18n.t('wizard.step1'))}</h3>"),
                self.name, self.neighbourhoods, self.grids, self.folder,
                widgets.HBox([self.create_button, self.use_button]),
                widgets.HTML(f"<h3>{html_text(i18n.t('wizard.step2'))}</h3>"),
                widgets.HBox([self.upload, self.file_path]), widgets.HBox([self.kind, self.coords]), self.site_type, self.import_button,
                widgets.HTML(f"<h3>{html_text(i18n.t('wizard.step_cad'))}</h3>"),
                widgets.HBox([self.dxf_path, self.dxf_layers_button]), self.dxf_roles, self.dxf_crs,
                self.control_points, widgets.HBox([self.coords, self.dxf_button]),
                widgets.HTML(f"<h3>{html_text(i18n.t('wizard.step_roster'))}</h3>"), self.roster_area,
                widgets.HTML(f"<h3>{html_text(i18n.t('wizard.step3'))}</h3>"),
                self.outline_button, self.message, self.map_area,
            ]
        )  # fmt: skip

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    # --- steps ----------------------------------------------------------------------------------
    def create(self) -> Path | None:
        """Step 1: create the workspace file (never overwriting one that exists)."""
        from cogov_toolkit.storage import create_workspace

        name = self.name.value.strip()
        if not name:
            return self._say(i18n.t("wizard.name_missing"), error=True)
        path = Path(self.folder.value).expanduser() / f"{name}.gpkg"
        try:
            self.ws = create_workspace(path, name)
        except CogovError as exc:
            return self._say(exc.message(), error=True)
        from cogov_toolkit.widgets.roster_upload import RosterUpload

        self.roster = RosterUpload(self.ws, path.parent / i18n.t("wizard.roster_folder"))
        self.roster_area.children = [self.roster.widget]
        nbs, grids = parse_names(self.neighbourhoods.value), parse_names(self.grids.value)
        self._say(i18n.t("wizard.created", path=str(path), neighbourhoods=len(nbs), grids=len(grids)))
        if self.workshop is not None:
            self.use_button.layout.display = None
        return path

    def use_in_notebooks(self) -> Path | None:
        """Make the new community the one every workshop notebook in this folder opens (the banner's switch)."""
        if self.ws is None or self.workshop is None:
            return self._say(i18n.t("wizard.create_first"), error=True)
        chosen = self.workshop.switch(self.ws.path)
        if chosen is not None:
            self._say(i18n.t("workshop.switched", name=self.ws.community_name))
        return chosen

    def import_file(self) -> Any:
        """Step 2: import the uploaded file, or the file at the typed path, into the chosen layer or table."""
        from cogov_toolkit.workflows.imports import import_file

        if self.ws is None:
            return self._say(i18n.t("wizard.create_first"), error=True)
        path = self._uploaded_file() or (Path(self.file_path.value.strip()) if self.file_path.value.strip() else None)
        if path is None:
            return self._say(i18n.t("wizard.no_file"), error=True)
        options: dict[str, Any] = {}
        if self.kind.value in LAYERS:
            # WGS-84 is the default: left unsaid, so that a KML naming its app (高德 …) is read in that app's system
            options = {"coord_system": self.coords.value} if self.coords.value != "wgs84" else {}
            typed = self.site_type.value.strip()
            if typed and path.suffix.lower() in (".kml", ".kmz", ".gpx"):
                options |= {"type_from": "folder"} if typed in ("文件夹", "folder") else {"site_type": typed}
        try:
            report = import_file(self.ws, path, self.kind.value, **options)
        except CogovError as exc:
            return self._say(exc.message(), error=True)
        self._say("\n".join([str(report), *self._site_checks(self.kind.value)]))
        self._preview()
        return report

    def list_dxf_layers(self) -> list[Any]:
        """Show the CAD layers of the DXF file so the planner can say which hold buildings, roads, green space."""
        from cogov_toolkit.workflows.imports import list_cad_layers

        try:
            layers = list_cad_layers(Path(self.dxf_path.value.strip()))
        except CogovError as exc:
            self._say(exc.message(), error=True)
            return []
        lines = [i18n.t("wizard.dxf_layer_line", name=layer.name, count=layer.count) for layer in layers]
        self._say("\n".join([i18n.t("wizard.dxf_layers_found", count=len(layers)), *lines]))
        return layers

    def import_cad(self) -> Any:
        """Place the DXF site plan (declared CRS or control points) and add its building outlines."""
        from cogov_toolkit.workflows.imports import ControlPoints, DeclaredCRS, import_dxf

        if self.ws is None:
            return self._say(i18n.t("wizard.create_first"), error=True)
        roles = parse_names(self.dxf_roles.value)
        roles = {layer: CAD_ROLE_WORDS.get(role, role) for layer, role in roles.items()}
        try:
            pairs = parse_control_points(self.control_points.value)
            if pairs:
                placement = ControlPoints(tuple(pairs), map_system=self.coords.value)
            else:
                placement = DeclaredCRS(self.dxf_crs.value.strip() or "EPSG:4548")
            result = import_dxf(Path(self.dxf_path.value.strip()), roles, placement)
        except CogovError as exc:
            return self._say(exc.message(), error=True)
        except ValueError as exc:  # a control point line that is not four numbers
            return self._say(i18n.t("wizard.control_points_bad", detail=str(exc)), error=True)
        self.placement = result.placement
        count = self._add_cad_buildings(result.layers.get("buildings"))
        lines = [i18n.t("wizard.dxf_done", count=count)]
        if result.placement is not None:
            fit = result.placement.fit
            lines.append(i18n.t("wizard.fit_rms", rms=f"{fit.rms:.2f}"))
            lines += [
                i18n.t(
                    "wizard.fit_point",
                    n=i + 1,
                    residual=f"{r:.2f}",
                    flag=i18n.t("wizard.flagged") if i in fit.flagged else "",
                )
                for i, r in enumerate(fit.residuals)
            ]
        lines += [i18n.t("wizard.dxf_left_out", role=role, count=n) for role, n in result.left_out.items() if n]
        self._say("\n".join(lines))
        self._preview()
        return result

    def _add_cad_buildings(self, outlines: Any) -> int:
        """Add the CAD building outlines to the buildings layer with new ids; attributes come from the roster."""
        import geopandas as gpd

        if outlines is None or outlines.empty:
            return 0
        current = self.ws.read_layer("buildings").drop(columns="fid")
        start = len(current) + 1
        new = gpd.GeoDataFrame(
            {
                "building_id": [f"B{start + i:03d}" for i in range(len(outlines))],
                "label": [f"{start + i}栋" for i in range(len(outlines))],
            },
            geometry=list(outlines.geometry),
            crs="EPSG:4326",
        )
        for column in ("neighbourhood_id", "grid_id", "units", "floors", "households"):
            new[column] = None  # to fill in with the buildings roster (step: Excel 名册)
        self.ws.write_layer("buildings", gpd.GeoDataFrame(
            __import__("pandas").concat([current, new], ignore_index=True), crs="EPSG:4326"
        ))  # fmt: skip
        return len(new)

    def _site_checks(self, kind: str) -> list[str]:
        """Return the geometry sanity findings for a site layer just imported (empty for other kinds)."""
        from cogov_toolkit.workflows.sites import check_sites

        if kind not in ("public_spaces", "idle_plots", "adoption_zones"):
            return []
        community = self.ws.read_layer("community")
        report = check_sites(
            self.ws.read_layer(kind),
            kind,
            boundary=community if len(community) else None,
            buildings=self.ws.read_layer("buildings"),
        )
        return report.lines()

    def outline(self) -> Any:
        """Step 3: outline 小区, 网格 and the 社区 from the buildings, with the names typed in step 1."""
        from cogov_toolkit.workflows.sites import outline_from_buildings

        if self.ws is None:
            return self._say(i18n.t("wizard.create_first"), error=True)
        try:
            report = outline_from_buildings(
                self.ws,
                self.ws.community_name,
                parse_names(self.neighbourhoods.value),
                parse_names(self.grids.value),
            )
        except CogovError as exc:
            return self._say(exc.message(), error=True)
        self._say(f"{report}\n{i18n.t('wizard.outline_note')}")
        self._preview()
        return report

    # --- helpers --------------------------------------------------------------------------------
    def _uploaded_file(self) -> Path | None:
        """Save the FileUpload's file into the workspace folder (under 导入的文件/) and return its path."""
        if not self.upload.value or self.ws is None:
            return None
        item = self.upload.value[0]
        target = self.ws.path.parent / i18n.t("wizard.upload_folder") / Path(item["name"]).name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(bytes(item["content"]))
        self.upload.value = ()
        return target

    def _preview(self) -> None:
        from cogov_toolkit.workflows.maps import interactive_map

        try:
            self.last_map = interactive_map(self.ws)
        except CogovError:  # nothing drawable yet (e.g. only a household list): the report says enough
            self.last_map = None
            return
        self.map_area.value = self.last_map._repr_html_()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.log.append(text)
        self.message.value = message_html(text, error=error)
        return None


__all__ = ["NewCommunityWizard", "parse_names", "parse_control_points", "IMPORT_KINDS", "CAD_ROLE_WORDS"]
