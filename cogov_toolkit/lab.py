"""``cogov lab [WORKSPACE]``: JupyterLab in Chinese on the planner's own copies of the workshop notebooks.

With a workspace, its notebooks folder (``幸福社区 笔记本/`` beside ``幸福社区.gpkg``)
is filled on first use with copies of the notebooks shipped in the package and
bound to the workspace; without one, the bundled sample community gets the same
treatment in the user's data folder. JupyterLab then starts in that folder, so
autosave only ever writes the planner's copies, never the shipped notebooks.

JupyterLab's own settings live in a folder of the toolkit's
(``<user data>/jupyterlab-settings``), where ``cogov lab`` sets the interface
language to Simplified Chinese (the ``jupyterlab-language-pack-zh-CN`` package)
and turns the news and update pop-ups off; whatever else the planner changes
there is kept. As root (a container, a shared classroom machine) it passes
``--allow-root``.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from cogov_toolkit import i18n
from cogov_toolkit._paths import user_data_dir
from cogov_toolkit.workflows.workshop import (
    WORKSPACE_ENV,
    NotebookCopies,
    bind,
    copy_notebooks,
    notebooks_folder_for,
    remember,
)

LOCALE = "zh_CN"
FIRST_NOTEBOOK = "00_开始.ipynb"
#: JupyterLab settings the toolkit sets (plugin file → values); other keys in those files are left alone
LAB_SETTINGS: dict[str, dict[str, object]] = {
    "@jupyterlab/translation-extension/plugin.jupyterlab-settings": {"locale": LOCALE},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
}


def lab_settings_dir() -> Path:
    """Return the folder of JupyterLab's user settings that ``cogov lab`` uses."""
    return user_data_dir() / "jupyterlab-settings"


def write_lab_settings(folder: Path | None = None) -> Path:
    """Set the Chinese interface and no news pop-ups in JupyterLab's settings folder; return the folder."""
    folder = folder or lab_settings_dir()
    for name, wanted in LAB_SETTINGS.items():
        path = folder / name
        try:
            current = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            current = {}
        merged = {**current, **wanted}
        if merged != current:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(merged, ensure_ascii=False, indent=2), encoding="utf-8")
    return folder


@dataclass(frozen=True)
class LabPlan:
    """What ``cogov lab`` starts: the command, its folder and environment, and the notebooks prepared."""

    workspace: Path
    folder: Path
    command: list[str]
    env: dict[str, str]
    copies: NotebookCopies


def prepare_lab(
    workspace: str | os.PathLike | None = None, *, no_browser: bool = False, port: int | None = None
) -> LabPlan:
    """Copy and bind the notebooks for ``workspace`` (default: the sample) and return how to start JupyterLab."""
    from cogov_toolkit.storage import open_workspace

    if workspace is None:
        from cogov_toolkit.demo.sample import sample_workspace

        path = sample_workspace()
    else:
        path = Path(workspace).expanduser().resolve()
        # a wrong path or a file that is not a workspace is said now, in Chinese, not in a notebook later;
        # an older workspace is fine here: the banner offers to upgrade it after a backup
        from cogov_toolkit.errors import WorkspaceUpgradeNeededError

        try:
            open_workspace(path, backups=0).close()
        except WorkspaceUpgradeNeededError:
            pass
        remember(path)
    folder = notebooks_folder_for(path)
    copies = copy_notebooks(folder)
    bind(folder, path)
    env = {
        **os.environ,
        WORKSPACE_ENV: str(path),
        "JUPYTERLAB_SETTINGS_DIR": str(write_lab_settings()),
        "JUPYTERLAB_WORKSPACES_DIR": str(user_data_dir() / "jupyterlab-workspaces"),
    }
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={folder}",
        "--LabApp.news_url=None",  # no news feed asked for (offline, and no pop-up)
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    if no_browser:
        command.append("--no-browser")
    if port:
        command.append(f"--port={port}")
    command.append(FIRST_NOTEBOOK)
    return LabPlan(path, folder, command, env, copies)


def describe(plan: LabPlan) -> list[str]:
    """Return the lines ``cogov lab`` prints before starting: the community, the folder, notebooks copied or offered."""
    lines = [i18n.t("cli.lab_workspace", path=str(plan.workspace)), i18n.t("cli.lab_folder", folder=str(plan.folder))]
    if plan.copies.copied:
        lines.append(i18n.t("cli.lab_copied", count=len(plan.copies.copied)))
    for offer in plan.copies.offered:
        lines.append(i18n.t("cli.lab_offered", name=offer.name))
    return lines


def run_lab(workspace: str | os.PathLike | None = None, *, no_browser: bool = False, port: int | None = None) -> int:
    """Prepare and run JupyterLab until it is stopped; return its exit status."""
    import subprocess

    plan = prepare_lab(workspace, no_browser=no_browser, port=port)
    for line in describe(plan):
        print(line)
    try:
        return subprocess.call(plan.command, cwd=plan.folder, env=plan.env)
    except KeyboardInterrupt:
        return 0


__all__ = ["LOCALE", "LAB_SETTINGS", "LabPlan", "lab_settings_dir", "write_lab_settings", "prepare_lab", "run_lab"]
