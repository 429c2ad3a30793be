"""The notebook API: ``cogov_toolkit`` lists what a notebook calls, and importing it stays light."""

from __future__ import annotations

import json
import subprocess
import sys

import cogov_toolkit


def test_the_public_api_lists_every_lazy_name_and_each_resolves() -> None:
    lazy = set(cogov_toolkit._WORKFLOWS) | set(cogov_toolkit._FUNCTIONS)
    assert lazy <= set(cogov_toolkit.__all__)
    for name in cogov_toolkit.__all__:
        assert getattr(cogov_toolkit, name) is not None, name


def test_importing_the_toolkit_loads_no_heavy_library() -> None:
    code = "import json, sys, cogov_toolkit\nprint(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {'geopandas', 'folium', 'ipywidgets', 'matplotlib', 'openpyxl', 'pyogrio'})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == []
