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
from cogov_toolkit.core.schema import LAYERS
from cogov_toolkit.errors import CogovError

if TYPE_CHECKING:
    import folium

    from cogov_toolkit.storage.workspace import Workspace

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


class NewCommunityWizard:
    """The wizard's widgets (attributes, so a notebook demo or a test can drive them) and its steps."""

    def __init__(self, folder: str | Path) -> None:
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
        self.folder = widgets.Text(value=str(folder), description=i18n.t("wizard.folder"), layout=wide, style=label_style)
        self.create_button = widgets.Button(description=i18n.t("wizard.create"), button_style="primary", layout=BUTTON)

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
        self.import_button = widgets.Button(description=i18n.t("wizard.import"), layout=BUTTON)
        self.outline_button = widgets.Button(description=i18n.t("wizard.outline"), layout=BUTTON)
        self.message = widgets.HTML()
        self.map_area = widgets.Output()

        self.create_button.on_click(lambda _: self.create())
        self.import_button.on_click(lambda _: self.import_file())
        self.outline_button.on_click(lambda _: self.outline())
        self.widget = widgets.VBox(
            [
                widgets.HTML(f"<h3>{html_text(i18n.t('wizard.step1'))}</h3>"),
                self.name, self.neighbourhoods, self.grids, self.folder, self.create_button,
                widgets.HTML(f"<h3>{html_text(i18n.t('wizard.step2'))}</h3>"),
                widgets.HBox([self.upload, self.file_path]), widgets.HBox([self.kind, self.coords]), self.import_button,
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
        from cogov_toolkit.storage.workspace import Workspace

        name = self.name.value.strip()
        if not name:
            return self._say(i18n.t("wizard.name_missing"), error=True)
        path = Path(self.folder.value).expanduser() / f"{name}.gpkg"
        try:
            self.ws = Workspace.create(path, name)
        except CogovError as exc:
            return self._say(exc.message(), error=True)
        nbs, grids = parse_names(self.neighbourhoods.value), parse_names(self.grids.value)
        self._say(i18n.t("wizard.created", path=str(path), neighbourhoods=len(nbs), grids=len(grids)))
        return path

    def import_file(self) -> Any:
        """Step 2: import the uploaded file, or the file at the typed path, into the chosen layer or table."""
        from cogov_toolkit.layers.load import import_file

        if self.ws is None:
            return self._say(i18n.t("wizard.create_first"), error=True)
        path = self._uploaded_file() or (Path(self.file_path.value.strip()) if self.file_path.value.strip() else None)
        if path is None:
            return self._say(i18n.t("wizard.no_file"), error=True)
        options = {"coord_system": self.coords.value} if self.kind.value in LAYERS else {}
        try:
            report = import_file(self.ws, path, self.kind.value, **options)
        except CogovError as exc:
            return self._say(exc.message(), error=True)
        self._say(str(report))
        self._preview()
        return report

    def outline(self) -> Any:
        """Step 3: outline 小区, 网格 and the 社区 from the buildings, with the names typed in step 1."""
        from cogov_toolkit.layers.boundaries import outline_from_buildings

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
        from IPython.display import display

        from cogov_toolkit.render.interactive import interactive_map

        try:
            self.last_map = interactive_map(self.ws)
        except CogovError:  # nothing drawable yet (e.g. only a household list): the report says enough
            self.last_map = None
            return
        self.map_area.clear_output()
        with self.map_area:
            display(self.last_map)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.log.append(text)
        colour = "#b00020" if error else "#1b5e20"
        body = "<br>".join(html_text(line) for line in text.splitlines())
        self.message.value = f"<div style='font-size:1.1em;color:{colour}'>{body}</div>"
        return None


__all__ = ["NewCommunityWizard", "parse_names", "IMPORT_KINDS"]
