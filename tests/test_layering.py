"""Layers only look down: core/ is pure, and importing it loads no Jupyter, map or plot library."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "cogov_toolkit"
HEAVY = ("folium", "ipywidgets", "matplotlib", "geopandas", "pyogrio", "IPython", "jupyter_client")
# what each layer may import from the package (arrows run widgets/render/cli -> storage/layers -> core)
ALLOWED = {
    "core": {"core", "errors", "i18n"},
    "i18n": {"i18n"},
    "storage": {"core", "errors", "i18n", "storage"},
    "layers": {"core", "errors", "i18n", "storage", "layers"},
    "render": {"core", "errors", "i18n", "storage", "layers", "render"},
}
# chinese_calendar: the official holiday and 调休 table, pure Python data (core/workdays.py)
CORE_THIRD_PARTY = {"numpy", "pandas", "shapely", "tqdm", "openpyxl", "xlrd", "chinese_calendar"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _violations(layer: str, modules: set[str]) -> set[str]:
    bad = set()
    for module in modules:
        parts = module.split(".")
        if parts[0] == "cogov_toolkit" and len(parts) > 1 and parts[1] not in ALLOWED[layer]:
            bad.add(module)
        if layer == "core" and parts[0] not in {"cogov_toolkit", *CORE_THIRD_PARTY} and parts[0] not in sys.stdlib_module_names:
            bad.add(module)
    return bad


def test_importing_core_loads_no_heavy_library() -> None:
    code = (
        "import json, sys, pkgutil, importlib, cogov_toolkit.core as c\n"
        "for m in pkgutil.iter_modules(c.__path__): importlib.import_module('cogov_toolkit.core.' + m.name)\n"
        f"print(json.dumps([h for h in {list(HEAVY)!r} if h in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == []


def test_the_subprocess_check_sees_a_heavy_import() -> None:
    code = f"import json, sys, folium\nprint(json.dumps([h for h in {list(HEAVY)!r} if h in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "folium" in json.loads(out)


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_only_look_down(layer: str) -> None:
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        assert _violations(layer, _imports(path)) == set(), path


def test_the_layer_check_flags_an_upward_import() -> None:
    assert _violations("core", {"cogov_toolkit.storage.workspace", "folium"}) == {"cogov_toolkit.storage.workspace", "folium"}
    assert _violations("storage", {"cogov_toolkit.widgets.forms"}) == {"cogov_toolkit.widgets.forms"}
