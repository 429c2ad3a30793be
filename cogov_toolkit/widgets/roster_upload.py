"""A small panel for Excel rosters: download a template, upload it filled, check it, import it.

A thin adapter over :mod:`cogov_toolkit.layers.templates`. When the upload has
problems the panel names the marked copy of the planner's own file (bad cells
red, a comment on each). Every message passes through the one escaping module.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cogov_toolkit import i18n
from cogov_toolkit.errors import CogovError
from cogov_toolkit.widgets.feedback import guarded, message_html
from cogov_toolkit.workflows import rosters as templates
from cogov_toolkit.workflows.rosters import RosterKind

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace

BUTTON_LAYOUT = {"width": "14em", "height": "3em"}  # large targets: projector remote, touch screen


class RosterUpload:
    """Widgets to get a roster template and bring a filled one into the workspace.

    Attributes (the widgets, so a test or a demo can drive them): ``kind``
    (Dropdown), ``download_button``, ``upload`` (FileUpload), ``check_button``,
    ``import_button`` and ``message`` (HTML). ``template_path`` is the last
    template written, ``uploaded_path`` the last upload saved, ``last_check``
    the last :class:`~cogov_toolkit.workflows.rosters.UploadCheck`.
    """

    def __init__(self, ws: Workspace, out_dir: str | Path) -> None:
        import ipywidgets as widgets

        self.ws = ws
        self.out_dir = Path(out_dir)
        self.template_path: Path | None = None
        self.uploaded_path: Path | None = None
        self.last_check: templates.UploadCheck | None = None
        self.kind = widgets.Dropdown(
            options=[(i18n.t(f"templates.panel.kinds.{k.value}"), k.value) for k in RosterKind],
            value=RosterKind.HOUSEHOLDS.value,
            description=i18n.t("templates.panel.kind_label"),
            style={"description_width": "initial"},
        )
        self.download_button = widgets.Button(description=i18n.t("templates.panel.download"), layout=BUTTON_LAYOUT)
        self.upload = widgets.FileUpload(
            accept=".xlsx,.xls,.csv", multiple=False, description=i18n.t("templates.panel.upload")
        )
        self.check_button = widgets.Button(description=i18n.t("templates.panel.check"), layout=BUTTON_LAYOUT)
        self.import_button = widgets.Button(
            description=i18n.t("templates.panel.import"), button_style="primary", layout=BUTTON_LAYOUT
        )
        self.message = widgets.HTML()
        self.download_button.on_click(lambda _: guarded(lambda: self.message)(self.download)())
        self.check_button.on_click(lambda _: guarded(lambda: self.message)(self.check)())
        self.import_button.on_click(lambda _: guarded(lambda: self.message)(self.import_)())
        self.upload.observe(lambda _: guarded(lambda: self.message)(self._save_upload)(), names="value")
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.kind, self.download_button]),
                widgets.HBox([self.upload, self.check_button, self.import_button]),
                self.message,
            ]
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def download(self) -> Path | None:
        """Write the chosen blank template into the output folder and say where it is."""
        name = i18n.t("templates.panel.template_file", kind=i18n.t(f"templates.panel.kinds.{self.kind.value}"))
        try:
            self.template_path = templates.write_template(self.kind.value, self.out_dir / name)
        except (CogovError, OSError) as exc:
            self._say(str(exc), error=True)
            return None
        self._say(i18n.t("templates.panel.written", path=str(self.template_path)))
        return self.template_path

    def _save_upload(self) -> Path | None:
        """Keep the uploaded file in the output folder (the checks and the marked copy work on a file)."""
        if not self.upload.value:
            return None
        item = self.upload.value[0]
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.uploaded_path = self.out_dir / Path(item["name"]).name  # a bare name: no path from the browser
        self.uploaded_path.write_bytes(bytes(item["content"]))
        self._say(i18n.t("templates.panel.received", file=self.uploaded_path.name))
        return self.uploaded_path

    def check(self) -> templates.UploadCheck | None:
        """Check the uploaded file; name the marked copy when there are problems."""
        if self.uploaded_path is None:
            self._say(i18n.t("templates.panel.nothing_uploaded"), error=True)
            return None
        try:
            self.last_check = templates.check_uploaded(self.uploaded_path, self.kind.value, self.ws)
        except CogovError as exc:
            self._say(exc.message(), error=True)
            return None
        text = str(self.last_check)
        if self.last_check.marked_file is not None:
            text += "\n" + i18n.t("templates.panel.marked_path", path=str(self.last_check.marked_file))
        self._say(text, error=not self.last_check.ok)
        return self.last_check

    def import_(self) -> bool:
        """Import the uploaded file when it is clean; return True when something was stored."""
        if self.uploaded_path is None:
            self._say(i18n.t("templates.panel.nothing_uploaded"), error=True)
            return False
        try:
            reports = templates.import_uploaded(self.ws, self.uploaded_path, self.kind.value)
        except CogovError as exc:
            self._say(exc.message(), error=True)
            return False
        self._say("\n".join(str(r) for r in reports))
        return True

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.value = message_html(text, error=error)


__all__ = ["RosterUpload"]
