"""The banner at the top of every workshop notebook: which community is open, today's date, its settings.

``社区 = Workshop("02_居民表决")`` in a notebook's first cell opens the community
that ``cogov lab PATH`` bound to the notebook's folder (else the bundled sample)
and shows "当前社区：…" with the date the forms use (today, unless the planner
picks another), the community's settings entered once (office phone, contact,
issuer), a chooser of recent workspaces, and a link to the 06 wizard for a new
one. Nothing here writes by itself: a workspace is opened, never rebuilt or
closed, so running the cell again, or Run All, leaves every form below working.
An older workspace is upgraded only when the planner clicks "备份并升级".

The sample is the one exception, on purpose: demonstrations need a known start,
so each notebook works on its own fresh copy of the sample, made when the
kernel first opens it (a restart gives a fresh copy again). Demonstration cells
ask :meth:`Workshop.demo` first, which is True on the sample only.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cogov_toolkit import i18n
from cogov_toolkit.core.escape import html_text
from cogov_toolkit.errors import CogovError, WorkspaceUpgradeNeededError
from cogov_toolkit.widgets.feedback import BUTTON, guarded, message_html, say
from cogov_toolkit.workflows import settings as settings_flow
from cogov_toolkit.workflows import workshop as binding

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace

#: workspaces opened in this kernel, by resolved path: running a cell again reuses them, never reopens
_OPEN: dict[str, Workspace] = {}
#: sample copies made in this kernel (one per notebook), so a re-run cell does not rebuild under open forms
_BUILT: set[str] = set()
#: the community chosen in this kernel with the chooser, when the folder's binding cannot be written
_CHOSEN: dict[str, Path] = {}
WIZARD_NOTEBOOK = "06_新建社区.ipynb"


def _sample_copy(notebook: str, skip: tuple[str, ...]) -> Path:
    """Return this notebook's own copy of the sample, built fresh the first time in this kernel."""
    from cogov_toolkit.demo.sample import COMMUNITY_NAME, build_sample_workspace, default_workdir

    path = default_workdir() / notebook / f"{COMMUNITY_NAME}.gpkg"
    key = str(path.resolve())
    if key not in _BUILT:
        if key in _OPEN:
            _OPEN.pop(key).close()
        build_sample_workspace(path, skip=skip)
        _BUILT.add(key)
    return path


def _is_sample_path(path: Path) -> bool:
    from cogov_toolkit.demo.sample import sample_workspace_path

    return path.resolve() == sample_workspace_path().resolve()


def open_once(path: Path, *, upgrade: bool = False) -> Workspace:
    """Open a workspace once per kernel (a second call returns the same open workspace)."""
    from cogov_toolkit.storage import open_workspace

    key = str(path.resolve())
    ws = _OPEN.get(key)
    if ws is not None and _is_open(ws):
        return ws
    ws = open_workspace(path, upgrade=upgrade)
    _OPEN[key] = ws
    return ws


def _is_open(ws: Workspace) -> bool:
    from cogov_toolkit.errors import WorkspaceError

    try:
        ws.count("settings")
    except WorkspaceError:
        return False
    return True


def _install_error_display() -> None:
    """Show a toolkit error raised in a cell as its Chinese message, not as a traceback."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - widgets always run in IPython
        return
    shell = get_ipython()
    if shell is None:
        return

    def show(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None) -> None:
        from IPython.display import HTML, display

        display(HTML(value._repr_html_()))  # type: ignore[attr-defined]

    shell.set_custom_exc((CogovError,), show)


class Workshop:
    """The community a notebook works on, and the banner that says which one it is.

    Parameters
    ----------
    notebook : str
        The notebook's name ("02_居民表决"): names its output folder and its copy of the sample.
    sample_skip : tuple of str
        Record files the sample copy leaves out (04 imports the sample's demands itself).
    folder : path, optional
        The notebooks folder whose binding to read (default: the working folder, the notebook's own).

    Attributes: ``path`` (the workspace file), ``is_sample``, ``date`` (DatePicker),
    ``office_phone``, ``contact``, ``issuer`` (Text), ``save_settings_button``,
    ``chooser`` (Dropdown), ``open_button``, ``upgrade_button``, ``message`` (HTML).
    """

    def __init__(self, notebook: str, *, sample_skip: tuple[str, ...] = (), folder: str | Path | None = None) -> None:
        import ipywidgets as widgets

        _install_error_display()
        self.notebook = notebook
        self.folder = Path(folder) if folder is not None else Path.cwd()
        self._ws: Workspace | None = None
        self._problem: CogovError | None = None
        chosen = _CHOSEN.get(str(self.folder.resolve())) or binding.bound_workspace(self.folder)
        self.bound = chosen
        self.is_sample = chosen is None or _is_sample_path(chosen)
        self.path = _sample_copy(notebook, sample_skip) if self.is_sample else chosen
        try:
            self._ws = open_once(self.path)
        except WorkspaceUpgradeNeededError as exc:
            self._problem = exc
        except CogovError as exc:
            self._problem = exc
        if self._ws is not None and not self.is_sample:
            binding.remember(self.path)

        self.title = widgets.HTML()
        self.date = widgets.DatePicker(
            value=dt.date.today(), description=i18n.t("workshop.date"), style={"description_width": "initial"}
        )
        self.message = widgets.HTML()
        self.upgrade_button = widgets.Button(
            description=i18n.t("workshop.upgrade"), button_style="warning", layout=BUTTON
        )
        self.upgrade_button.on_click(lambda _: self.upgrade())
        self.upgrade_button.layout.display = None if isinstance(self._problem, WorkspaceUpgradeNeededError) else "none"
        style = {"description_width": "7em"}
        self.office_phone = widgets.Text(description=i18n.t("workshop.office_phone"), style=style)
        self.contact = widgets.Text(description=i18n.t("workshop.contact"), style=style, layout={"width": "26em"})
        self.issuer = widgets.Text(description=i18n.t("workshop.issuer"), style=style, layout={"width": "26em"})
        self.save_settings_button = widgets.Button(description=i18n.t("workshop.save_settings"), layout=BUTTON)
        self.save_settings_button.on_click(lambda _: self.save_settings())
        self.settings_message = widgets.HTML()
        self.chooser = widgets.Dropdown(
            options=self._choices(),
            value=None,
            description=i18n.t("workshop.choose"),
            style={"description_width": "initial"},
            layout={"width": "40em"},
        )
        self.open_button = widgets.Button(description=i18n.t("workshop.open"), layout=BUTTON)
        self.open_button.on_click(lambda _: self.switch())
        wizard = html_text(i18n.t("workshop.new_community"))
        self.new_link = widgets.HTML(
            f"<a href='{WIZARD_NOTEBOOK}' target='_blank' style='font-size:1.1em'>{wizard}</a>"
        )
        settings_box = widgets.VBox(
            [
                widgets.HTML(message_html(i18n.t("workshop.settings_note"), note=True)),
                self.office_phone,
                self.contact,
                self.issuer,
                self.save_settings_button,
                self.settings_message,
            ]
        )
        switch_box = widgets.VBox([widgets.HBox([self.chooser, self.open_button]), self.new_link])
        self.more = widgets.Accordion(children=[settings_box, switch_box])
        self.more.set_title(0, i18n.t("workshop.settings_title"))
        self.more.set_title(1, i18n.t("workshop.switch_title"))
        self.more.selected_index = None
        self._fill_settings()
        self.widget = widgets.VBox(
            [self.title, widgets.HBox([self.date, self.upgrade_button]), self.message, self.more],
            layout={"border": "2px solid #1b5e20", "padding": "0.4em 0.8em"},
        )
        self.widget.add_class("cogov-banner")
        self._show_title()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    # --- what the cells below use ------------------------------------------------------------------
    @property
    def ws(self) -> Workspace:
        """The open workspace (raises the reason in Chinese when it could not be opened)."""
        if self._ws is None:
            raise self._problem or CogovError("workspace.not_open")
        return self._ws

    @property
    def today(self) -> dt.date:
        """The date the forms use: today, unless the planner picked another in the banner."""
        return self.date.value or dt.date.today()

    @property
    def settings(self) -> settings_flow.WorkspaceSettings:
        """The community's settings (office phone, contact, issuer) as stored."""
        return settings_flow.get_settings(self.ws)

    def out_dir(self, *parts: str) -> Path:
        """Return the output folder of this notebook, beside the workspace (created on first write)."""
        base = self.path.with_name(f"{self.path.stem} 输出")
        return base.joinpath(self.notebook, *parts)

    def demo(self) -> bool:
        """Return True when demonstration cells may run (the sample only); else say they were skipped."""
        if self.is_sample:
            return True
        from IPython.display import HTML, display

        display(HTML(message_html(i18n.t("workshop.demo_skipped"), note=True)))
        return False

    # --- actions -----------------------------------------------------------------------------------
    def _show_title(self) -> None:
        name = self._ws.community_name if self._ws is not None else self.path.stem
        suffix = i18n.t("workshop.sample_suffix") if self.is_sample else ""
        head = html_text(i18n.t("workshop.current", name=name, suffix=suffix))
        where = html_text(i18n.t("workshop.where", path=str(self.bound or self.path)))
        self.title.value = (
            f"<div style='font-size:1.5em;font-weight:bold;color:#1b5e20'>{head}</div>"
            f"<div style='color:#555'>{where}</div>"
        )
        if self._problem is not None:
            self.message.value = message_html(self._problem.message(), error=True)
        elif self.is_sample:
            self.message.value = message_html(i18n.t("workshop.sample_note"), note=True)

    def _choices(self) -> list[tuple[str, Any]]:
        from cogov_toolkit.demo.sample import sample_workspace_path

        choices: list[tuple[str, Any]] = [(i18n.t("workshop.choose_prompt"), None)]
        for path in binding.recent_workspaces():
            choices.append((f"{path.stem}（{path.parent}）", str(path)))
        choices.append((i18n.t("workshop.the_sample"), str(sample_workspace_path())))
        return choices

    def _fill_settings(self) -> None:
        if self._ws is None:
            for field in (self.office_phone, self.contact, self.issuer, self.save_settings_button):
                field.disabled = True
            return
        current = settings_flow.get_settings(self._ws)
        self.office_phone.value, self.contact.value, self.issuer.value = (
            current.office_phone,
            current.contact,
            current.issuer,
        )
        missing = current.missing()
        if missing and not self.is_sample:
            self.more.selected_index = 0  # open the settings: the planner enters them once
            names = "、".join(i18n.t(f"workshop.{m}") for m in missing)
            say(self.settings_message, i18n.t("workshop.settings_missing", names=names), note=True)

    @guarded(lambda self: self.settings_message)
    def save_settings(self) -> settings_flow.WorkspaceSettings:
        """Store the office phone, contact and issuer typed in (entered once; every notice uses them)."""
        saved = settings_flow.save_settings(
            self.ws,
            settings_flow.WorkspaceSettings(self.office_phone.value, self.contact.value, self.issuer.value),
        )
        say(self.settings_message, i18n.t("workshop.settings_saved"))
        return saved

    @guarded(lambda self: self.message)
    def upgrade(self) -> Workspace | None:
        """Back up and upgrade the older workspace (only on this click), then open it."""
        self._ws = open_once(self.path, upgrade=True)
        self._problem = None
        self.upgrade_button.layout.display = "none"
        self._fill_settings()
        self._show_title()
        say(self.message, i18n.t("workshop.upgraded"))
        return self._ws

    @guarded(lambda self: self.message)
    def switch(self, path: str | os.PathLike | None = None) -> Path | None:
        """Make the chosen workspace the community of this notebooks folder (the next Run All opens it)."""
        from cogov_toolkit.storage import open_workspace

        target = path or self.chooser.value
        if not target:
            say(self.message, i18n.t("workshop.choose_first"), error=True)
            return None
        target = Path(target).resolve()
        try:  # say now if it is not a workspace; an older one is fine (the banner offers the upgrade)
            open_workspace(target, backups=0).close()
        except WorkspaceUpgradeNeededError:
            pass
        if _is_shipped_folder(self.folder):  # never write beside the notebooks shipped in the package
            _CHOSEN[str(self.folder.resolve())] = target
        else:
            binding.bind(self.folder, target)
            _CHOSEN.pop(str(self.folder.resolve()), None)
        binding.remember(target)
        say(self.message, i18n.t("workshop.switched", name=target.stem))
        return target


def _is_shipped_folder(folder: Path) -> bool:
    from cogov_toolkit._paths import package_path

    try:
        return folder.resolve() == package_path("notebooks").resolve()
    except OSError:
        return False


__all__ = ["Workshop", "open_once", "WIZARD_NOTEBOOK"]
