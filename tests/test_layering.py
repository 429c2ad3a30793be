"""The house: each folder imports only what lies below it, and importing core loads no heavy library.

Arrows run widgets, cli, demo → workflows → storage protocol, io, geo, render → core.
``errors``, ``i18n``, ``_optional`` and ``_paths`` may be imported by every folder. The
concrete GeoPackage backend (``storage/gpkg``) is imported only inside ``storage``.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "cogov_toolkit"
HEAVY = ("folium", "ipywidgets", "matplotlib", "geopandas", "pyogrio", "IPython", "jupyter_client", "openpyxl", "tqdm")
#: importable from everywhere
SHARED = {"errors", "i18n", "_optional", "_paths"}
#: what each folder (or top-level module) may import from the package, besides SHARED and itself
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "i18n": set(),
    "errors": {"core.escape"},  # an error shows itself as escaped HTML in a notebook
    "_optional": set(),
    "_paths": set(),
    "io": {"core", "geo"},
    "geo": {"core"},
    "storage": {"core"},
    "render": {"core", "io", "geo"},
    "workflows": {"core", "io", "geo", "render", "storage"},
    # widgets: workflows, render and the storage protocol; core.escape is the one escaping module
    # (and demo: the workshop banner opens the bundled sample when no community is bound)
    "widgets": {"workflows", "render", "storage", "core.escape", "demo"},
    "demo": {"core", "io", "geo", "render", "storage", "workflows"},
    "cli": {"core", "storage", "workflows", "demo", "lab"},
    "lab": {"storage", "workflows", "demo"},
    "__init__": {"storage", "workflows", "demo", "core"},
}
#: third-party libraries core may use (chinese_calendar: the official holiday and 调休 table, pure data)
CORE_THIRD_PARTY = {"numpy", "pandas", "shapely", "chinese_calendar"}
#: no file I/O in core: these calls and modules never appear there
CORE_FORBIDDEN_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "iterdir", "glob", "rglob"}
CORE_FORBIDDEN_MODULES = {"openpyxl", "xlrd", "tqdm", "sqlite3", "io", "csv", "zipfile", "shutil", "tempfile", "glob"}
#: only storage may name the concrete backend
CONCRETE = ("cogov_toolkit.storage.gpkg",)
#: widgets may reach storage only through its protocol and opener
STORAGE_PROTOCOL = {"cogov_toolkit.storage", "cogov_toolkit.storage.base", "cogov_toolkit.storage.open"}


def _imports(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # "from cogov_toolkit.storage import gpkg" names a module too
            names |= {f"{node.module}.{a.name}" for a in node.names if node.module.startswith("cogov_toolkit")}
    return names


def _calls(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            found.add(func.id if isinstance(func, ast.Name) else getattr(func, "attr", ""))
    return found


def _is_module(dotted: str) -> bool:
    parts = dotted.split(".")[1:]
    path = PACKAGE.joinpath(*parts)
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _allowed(folder: str, target: str) -> bool:
    """Is ``cogov_toolkit.<target>`` (dotted, without the package) allowed from ``folder``?"""
    top = target.split(".")[0]
    if top in SHARED or top == folder:
        return True
    return any(target == a or target.startswith(a + ".") or (top == a) for a in ALLOWED[folder])


def violations(folder: str, source: str) -> set[str]:
    """Return the imports (and, in core, the file-I/O calls) that break the house rules for ``folder``."""
    bad = set()
    for module in _imports(source):
        parts = module.split(".")
        if module == "cogov_toolkit":
            continue  # "from cogov_toolkit import i18n": the names it imports are checked one by one
        if parts[0] == "cogov_toolkit":
            if module.startswith("cogov_toolkit.") and not _is_module(module):
                module = module.rsplit(".", 1)[0]  # "from x import Name": the module is x
                parts = module.split(".")
                if len(parts) == 1:
                    continue
            target = ".".join(parts[1:])
            if not _allowed(folder, target):
                bad.add(module)
            elif folder != "storage" and module.startswith(CONCRETE):
                bad.add(module)
            elif folder == "widgets" and parts[1] == "storage" and module not in STORAGE_PROTOCOL:
                bad.add(module)
        elif folder == "core":
            if parts[0] not in CORE_THIRD_PARTY and parts[0] not in sys.stdlib_module_names:
                bad.add(module)
            if parts[0] in CORE_FORBIDDEN_MODULES:
                bad.add(module)
    if folder == "core":
        bad |= {f"{call}()" for call in _calls(source) & CORE_FORBIDDEN_CALLS}
    return bad


def _folder_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def _package_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_folder_of_the_package_has_rules() -> None:
    assert {_folder_of(p) for p in _package_files()} <= set(ALLOWED)


@pytest.mark.parametrize("path", _package_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_only_look_down(path: Path) -> None:
    assert violations(_folder_of(path), path.read_text(encoding="utf-8")) == set()


def test_the_check_flags_each_kind_of_forbidden_import() -> None:
    assert violations("core", "import openpyxl\nfrom cogov_toolkit.storage.base import Workspace\nimport tqdm") == {
        "openpyxl",
        "tqdm",
        "cogov_toolkit.storage.base",
    }
    assert violations("core", "from pathlib import Path\nPath('x').read_text()\nopen('y')") == {"read_text()", "open()"}
    assert violations("render", "from cogov_toolkit.storage import Workspace") == {"cogov_toolkit.storage"}
    assert violations("io", "from cogov_toolkit.storage.open import open_workspace") == {"cogov_toolkit.storage.open"}
    assert violations("workflows", "from cogov_toolkit.storage.gpkg.workspace import GpkgWorkspace") == {
        "cogov_toolkit.storage.gpkg.workspace"
    }
    assert violations("widgets", "from cogov_toolkit.core.schema import LAYERS") == {"cogov_toolkit.core.schema"}
    assert violations("widgets", "from cogov_toolkit.io.cad import import_dxf") == {"cogov_toolkit.io.cad"}
    assert violations("storage", "from cogov_toolkit.widgets.ballot_entry import BallotEntry") == {
        "cogov_toolkit.widgets.ballot_entry"
    }
    # and lets the allowed ones through
    assert (
        violations(
            "widgets", "from cogov_toolkit.storage import Workspace\nfrom cogov_toolkit.core.escape import html_text"
        )
        == set()
    )
    assert violations("core", "import numpy\nfrom cogov_toolkit.errors import CogovError") == set()


def test_importing_core_loads_no_heavy_library() -> None:
    code = (
        "import json, sys, pkgutil, importlib, cogov_toolkit.core as c\n"
        "for m in pkgutil.walk_packages(c.__path__, 'cogov_toolkit.core.'): importlib.import_module(m.name)\n"
        f"print(json.dumps([h for h in {list(HEAVY)!r} if h in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == []


def test_the_subprocess_check_sees_a_heavy_import() -> None:
    code = f"import json, sys, folium\nprint(json.dumps([h for h in {list(HEAVY)!r} if h in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "folium" in json.loads(out)


def test_no_private_workspace_access_outside_storage() -> None:
    offenders = []
    for path in _package_files():
        if _folder_of(path) == "storage":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                base = node.value
                if isinstance(base, ast.Name) and base.id in {"ws", "workspace"}:
                    offenders.append(f"{path.name}:{node.lineno} {base.id}.{node.attr}")
                if isinstance(base, ast.Attribute) and base.attr in {"ws", "workspace"}:
                    offenders.append(f"{path.name}:{node.lineno} .{base.attr}.{node.attr}")
    assert offenders == []


#: test- and benchmark-only libraries (GPL, proprietary or heavy): never imported by the package
TEST_ONLY = {"pref_voting", "abcvoting", "pabutools", "gurobipy", "scipy", "playwright", "pytest", "nbval"}


def _test_only_imports(source: str) -> set[str]:
    return {m for m in _imports(source) if m.split(".")[0] in TEST_ONLY}


def test_no_test_only_library_is_imported_at_run_time() -> None:
    found = {str(p.relative_to(PACKAGE)): _test_only_imports(p.read_text(encoding="utf-8")) for p in _package_files()}
    assert {k: v for k, v in found.items() if v} == {}


def test_the_test_only_check_sees_a_planted_import() -> None:
    assert _test_only_imports("import pabutools.rules\nfrom abcvoting import abcrules\nimport numpy") == {
        "pabutools.rules",
        "abcvoting",
    }


#: what a shipped notebook may import from the package: the top level (``cogov_toolkit.votes`` …) and the widgets
NOTEBOOK_ALLOWED = ("cogov_toolkit", "cogov_toolkit.widgets")


def notebook_violations(source: str) -> set[str]:
    """Package modules a notebook's code imports beyond the top-level API and the widgets."""
    cells = [c for c in json.loads(source)["cells"] if c["cell_type"] == "code"]
    code = "\n".join(
        "\n".join(line for line in "".join(c["source"]).splitlines() if not line.lstrip().startswith(("%", "!")))
        for c in cells
    )
    return {
        name
        for name in _imports(code)
        if name.split(".")[0] == "cogov_toolkit"
        and not (
            name == "cogov_toolkit" or name == "cogov_toolkit.widgets" or name.startswith("cogov_toolkit.widgets.")
        )
    }


@pytest.mark.parametrize("path", sorted((PACKAGE / "notebooks").glob("*.ipynb")), ids=lambda p: p.stem)
def test_notebooks_import_only_the_public_api_and_the_widgets(path: Path) -> None:
    assert notebook_violations(path.read_text(encoding="utf-8")) == set()


def test_the_notebook_check_sees_a_planted_import() -> None:
    planted = {
        "cells": [
            {
                "cell_type": "code",
                "source": ["import cogov_toolkit as cg\n", "from cogov_toolkit.widgets.workshop import Workshop\n"],
            },
            {"cell_type": "code", "source": ["from cogov_toolkit.storage.gpkg.workspace import GpkgWorkspace\n"]},
            {"cell_type": "markdown", "source": ["from cogov_toolkit.core import votes"]},
        ]
    }
    assert "cogov_toolkit.storage.gpkg.workspace" in notebook_violations(json.dumps(planted))
    assert not any(
        name.startswith(("cogov_toolkit.widgets", "cogov_toolkit.core"))
        for name in notebook_violations(json.dumps(planted))
    )
