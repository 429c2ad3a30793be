"""Folders of the toolkit's own on this computer: the user's data and cache folders (platformdirs).

Package data (the sample community, the bundled questionnaires, the tablet
form) is found inside the installed package, never through a repository
checkout, so a plain ``pip install`` works from any folder.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

APP_NAME = "cogov"


def package_path(*parts: str) -> Path:
    """Return a file or folder shipped inside the package (``package_path("demo", "sample_data")``)."""
    return Path(str(resources.files("cogov_toolkit").joinpath(*parts)))


def user_data_dir() -> Path:
    """Return the toolkit's folder for the user's data (``COGOV_DATA_DIR`` overrides)."""
    import platformdirs

    return Path(os.environ.get("COGOV_DATA_DIR") or platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_cache_dir() -> Path:
    """Return the toolkit's cache folder (crash logs, the sample workspace; ``COGOV_CACHE_DIR`` overrides)."""
    import platformdirs

    return Path(os.environ.get("COGOV_CACHE_DIR") or platformdirs.user_cache_dir(APP_NAME, appauthor=False))


__all__ = ["APP_NAME", "package_path", "user_data_dir", "user_cache_dir"]
