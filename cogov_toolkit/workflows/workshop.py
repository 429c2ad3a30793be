"""Which community the workshop notebooks work on: the binding, the planner's own copies, the recent list.

``cogov lab 幸福社区.gpkg`` fills a folder beside the workspace (``幸福社区 笔记本/``)
with copies of the shipped notebooks and a small binding file naming the
workspace; a notebook's first cell reads that file from its own folder (the
kernel's working folder), so every notebook there opens the same community
with no code to edit. The shipped notebooks travel inside the package
(``cogov_toolkit/notebooks/``) and are never opened themselves: JupyterLab's
autosave writes only the planner's copies. A newer toolkit's notebooks are
offered beside the planner's copies (``02_居民表决（新版 0.2.0）.ipynb``),
never over them.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cogov_toolkit import __version__
from cogov_toolkit._paths import package_path, user_data_dir

#: the binding file in a notebooks folder (hidden, so the file browser does not offer it for deletion)
BINDING_FILE = ".cogov-workspace.json"
#: what was copied into a notebooks folder, and from which shipped version
COPIES_FILE = ".cogov-notebooks.json"
#: the environment variable ``cogov lab`` sets for the kernels (used when a notebook has no binding beside it)
WORKSPACE_ENV = "COGOV_WORKSPACE"
RECENT_FILE = "recent-workspaces.json"
MAX_RECENT = 8


def shipped_notebooks() -> list[Path]:
    """Return the workshop notebooks shipped in the package, in order (00 … 06)."""
    return sorted(package_path("notebooks").glob("*.ipynb"))


def notebooks_folder_for(workspace: str | os.PathLike) -> Path:
    """Return the folder beside a workspace that holds the planner's copies of the notebooks."""
    workspace = Path(workspace)
    return workspace.with_name(f"{workspace.stem} 笔记本")  # one name whatever the language: the binding stays


# --- the binding -------------------------------------------------------------------------------
def bind(folder: str | os.PathLike, workspace: str | os.PathLike) -> Path:
    """Write the binding file of a notebooks folder: its notebooks open ``workspace``. Return the file."""
    folder = Path(folder)
    workspace = Path(workspace).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    try:  # relative when beside it, so the two can move together (a USB stick, another laptop)
        relative = os.path.relpath(workspace, folder.resolve())
    except ValueError:  # another drive on Windows
        relative = str(workspace)
    data = {"workspace": relative, "absolute": str(workspace)}
    target = folder / BINDING_FILE
    target.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return target


def bound_workspace(folder: str | os.PathLike | None = None) -> Path | None:
    """Return the workspace bound to ``folder`` (default: the working folder), else ``$COGOV_WORKSPACE``, else None."""
    folder = Path(folder) if folder is not None else Path.cwd()
    binding = folder / BINDING_FILE
    if binding.exists():
        try:
            data = json.loads(binding.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        for key in ("workspace", "absolute"):
            if data.get(key):
                candidate = (folder / data[key]).resolve()
                if candidate.exists():
                    return candidate
    from_env = os.environ.get(WORKSPACE_ENV)
    if from_env and Path(from_env).exists():
        return Path(from_env).resolve()
    return None


# --- recent workspaces -------------------------------------------------------------------------
def _recent_path() -> Path:
    return user_data_dir() / RECENT_FILE


def recent_workspaces() -> list[Path]:
    """Return the workspaces opened lately (newest first), those that still exist."""
    try:
        names = json.loads(_recent_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [Path(n) for n in names if isinstance(n, str) and Path(n).exists()]


def remember(workspace: str | os.PathLike) -> None:
    """Put a workspace at the top of the recent list (a failure to write the list is not an error)."""
    path = str(Path(workspace).resolve())
    names = [path, *(str(p) for p in recent_workspaces() if str(p) != path)][:MAX_RECENT]
    try:
        _recent_path().parent.mkdir(parents=True, exist_ok=True)
        _recent_path().write_text(json.dumps(names, ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError:
        pass


# --- the planner's copies ----------------------------------------------------------------------
@dataclass(frozen=True)
class NotebookCopies:
    """What :func:`copy_notebooks` did in a notebooks folder."""

    folder: Path
    copied: tuple[Path, ...]  #: notebooks the folder did not have yet
    offered: tuple[Path, ...]  #: newer shipped versions put beside the planner's own copies
    kept: tuple[Path, ...]  #: the planner's copies, left as they are


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy_notebooks(folder: str | os.PathLike) -> NotebookCopies:
    """Copy the shipped notebooks into ``folder``, never over a file there; offer newer ones beside.

    A notebook the folder lacks is copied. One it has is kept as it is; when the
    shipped notebook changed since it was copied (a newer toolkit), the new one
    is written beside it with the version in its name.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    record_path = folder / COPIES_FILE
    try:
        record: dict[str, str] = json.loads(record_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = {}
    copied: list[Path] = []
    offered: list[Path] = []
    kept: list[Path] = []
    for shipped in shipped_notebooks():
        digest = _digest(shipped)
        target = folder / shipped.name
        if not target.exists():
            target.write_bytes(shipped.read_bytes())
            copied.append(target)
            record[shipped.name] = digest
            continue
        kept.append(target)
        if record.get(shipped.name, _digest(target)) == digest or _digest(target) == digest:
            continue
        offer = folder / f"{shipped.stem}（新版 {__version__}）.ipynb"
        if offer.exists() and _digest(offer) != digest:
            offer = offer.with_name(f"{offer.stem}-{digest[:6]}.ipynb")
        if not offer.exists():
            offer.write_bytes(shipped.read_bytes())
            offered.append(offer)
        record[shipped.name] = digest  # offered once: the next start does not offer it again
    record_path.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    return NotebookCopies(folder, tuple(copied), tuple(offered), tuple(kept))


__all__ = [
    "BINDING_FILE",
    "COPIES_FILE",
    "WORKSPACE_ENV",
    "NotebookCopies",
    "shipped_notebooks",
    "notebooks_folder_for",
    "bind",
    "bound_workspace",
    "recent_workspaces",
    "remember",
    "copy_notebooks",
]
