"""Optional libraries: import one where it is needed, or say which extra to install.

The core installs with few dependencies; maps, widgets and the tablet come
with the ``maps`` and ``lab`` extras. A missing one is a
:class:`~cogov_toolkit.errors.ConfigurationError` that names the command to
run, never a bare ImportError.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from cogov_toolkit.errors import ConfigurationError

#: the extra of pyproject.toml that brings each optional top-level module
EXTRA_OF = {
    "folium": "maps",
    "branca": "maps",
    "xstatic": "maps",
    "matplotlib": "maps",
    "mapclassify": "maps",
    "ipywidgets": "lab",
    "ipyleaflet": "lab",
    "voila": "lab",
    "qrcode": "lab",
    "jupyterlab": "lab",
}


def require(module: str, package: str | None = None) -> ModuleType:
    """Import ``module``, or raise a ConfigurationError naming what to install.

    Parameters
    ----------
    module : str
        The module to import (``"folium"``, ``"matplotlib.pyplot"`` …).
    package : str, optional
        The pip name, when it differs from the module's top-level name.
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        top = module.split(".")[0]
        extra = EXTRA_OF.get(top)
        install = f"cogov-toolkit[{extra}]" if extra else (package or top)
        raise ConfigurationError("optional.missing_library", package=package or top, install=install) from None


__all__ = ["require", "EXTRA_OF"]
