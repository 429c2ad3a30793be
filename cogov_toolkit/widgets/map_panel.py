"""The map notebook's control panel: courtyard switch, basemap choice, show and export buttons.

A thin adapter: it calls :mod:`cogov_toolkit.render` and shows the result or a
Chinese message. Every message that holds text from the workspace or a file
name passes through the one escaping module.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cogov_toolkit import i18n
from cogov_toolkit.core.escape import html_text
from cogov_toolkit.errors import CogovError
from cogov_toolkit.widgets.feedback import guarded, message_html

if TYPE_CHECKING:
    import folium

    from cogov_toolkit.storage import Workspace

BUTTON_LAYOUT = {"width": "16em", "height": "3em"}  # large targets: projector remote, touch screen


class MapPanel:
    """Widgets to show a workspace's map and write the map files, for people who do not code.

    Attributes (the widgets, so a test or a demo can drive them): ``courtyard``
    (ToggleButton), ``basemap`` (Dropdown), ``here`` (Dropdown: the meeting's
    place, marked "您在这里"), ``show_button``, ``export_button``,
    ``message`` (HTML) and ``map_area`` (Output). ``exported`` lists the files
    of the last export; ``last_map`` is the map last shown.
    """

    def __init__(self, ws: Workspace, out_dir: str | Path) -> None:
        import ipywidgets as widgets

        from cogov_toolkit.render.basemaps import Basemap

        self.ws = ws
        self.out_dir = Path(out_dir)
        self.exported: list[Path] = []
        self.last_map: folium.Map | None = None
        self.courtyard = widgets.ToggleButton(
            description=i18n.t("map.panel.courtyard"), value=False, icon="", layout=BUTTON_LAYOUT
        )
        self.basemap = widgets.Dropdown(
            options=[(i18n.t(f"map.panel.basemaps.{b.value}"), b.value) for b in Basemap],
            value=Basemap.NONE.value,
            description=i18n.t("map.panel.basemap_label"),
            style={"description_width": "initial"},
        )
        self.here = widgets.Dropdown(
            options=[(i18n.t("map.panel.here_none"), None), *self._places()],
            value=None,
            description=i18n.t("map.panel.here_label"),
            style={"description_width": "initial"},
        )
        self.show_button = widgets.Button(description=i18n.t("map.panel.show"), layout=BUTTON_LAYOUT)
        self.export_button = widgets.Button(
            description=i18n.t("map.panel.export"), button_style="primary", layout=BUTTON_LAYOUT
        )
        self.message = widgets.HTML()
        # an HTML widget, not an Output widget: output capture through a widget loses messages when
        # a notebook runs headless (nbval, nbclient), and the map's own HTML is all it needs
        self.map_area = widgets.HTML()
        self.show_button.on_click(lambda _: guarded(lambda: self.message)(self.show)())
        self.export_button.on_click(lambda _: guarded(lambda: self.message)(self.export)())
        self.courtyard.observe(lambda _: guarded(lambda: self.message)(self.show)(), names="value")
        self.here.observe(
            lambda _: guarded(lambda: self.message)(self.show)() if self.last_map is not None else None, names="value"
        )
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.courtyard, self.basemap, self.here]),
                widgets.HBox([self.show_button, self.export_button]),
                self.message,
                self.map_area,
            ]
        )

    def _places(self) -> list[tuple[str, tuple[str, str]]]:
        """The sites a meeting is held at: public spaces and idle plots, by the numbers on the map."""
        from cogov_toolkit.workflows.maps import meeting_places

        return meeting_places(self.ws)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def show(self) -> None:
        """Draw the map with the current choices into the panel."""
        from cogov_toolkit.render.interactive import InteractiveOptions
        from cogov_toolkit.workflows.maps import interactive_map, site_point

        try:
            here = site_point(self.ws, *self.here.value) if self.here.value else None
            options = InteractiveOptions(courtyard=self.courtyard.value, basemap=self.basemap.value, here=here)
            self.last_map = interactive_map(self.ws, options)
        except CogovError as exc:
            self._say(exc.message(), error=True)
            return
        self.map_area.value = self.last_map._repr_html_()
        key = "map.panel.shown_courtyard" if self.courtyard.value else "map.panel.shown"
        self._say(i18n.t(key))

    def export(self) -> list[Path]:
        """Write the map files into the output folder and list them in the panel."""
        from cogov_toolkit.workflows.maps import write_map_set

        self._say(i18n.t("map.panel.exporting"))
        try:
            self.exported = write_map_set(self.ws, self.out_dir)
        except CogovError as exc:
            self._say(exc.message(), error=True)
            return []
        names = "".join(f"<li>{html_text(p.name)}</li>" for p in self.exported)
        head = html_text(i18n.t("map.panel.exported", count=len(self.exported), folder=str(self.out_dir)))
        self.message.value = f"<div style='font-size:1.1em'>{head}<ul>{names}</ul></div>"
        return self.exported

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.value = message_html(text, error=error)


__all__ = ["MapPanel"]
