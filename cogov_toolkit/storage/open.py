"""Open or create a workspace from a path (a ``.gpkg`` file) or, later, a database URL."""

from __future__ import annotations

import os
import re
from pathlib import Path

from cogov_toolkit.errors import ConfigurationError
from cogov_toolkit.storage.base import Workspace
from cogov_toolkit.storage.gpkg.schema import schema_version
from cogov_toolkit.storage.gpkg.workspace import DEFAULT_BACKUPS, GpkgWorkspace

_DATABASE_URL = re.compile(r"^postgres(ql)?://")


def open_workspace(
    target: str | os.PathLike,
    *,
    create: str | None = None,
    backups: int = DEFAULT_BACKUPS,
    upgrade: bool = False,
) -> Workspace:
    """Open a workspace by path, or create it when missing and ``create`` gives the community name.

    ``backups`` is how many rotating backups a GeoPackage workspace keeps
    beside its file (0: take none). A workspace from an older toolkit raises
    WorkspaceUpgradeNeededError unless ``upgrade`` is True (then it is backed
    up and migrated): it is never upgraded silently. A ``postgresql://`` URL selects the
    shared-database backend, which a later release provides; until then it
    raises a clear ConfigurationError that does not echo the password.
    """
    text = str(target)
    if _DATABASE_URL.match(text):
        raise ConfigurationError("storage.postgis_not_available", url=text.split("@")[-1])
    path = Path(target)
    if not path.exists() and create is not None:
        return GpkgWorkspace.create(path, create)
    return GpkgWorkspace.open(path, backups=backups, upgrade=upgrade)


def create_workspace(target: str | os.PathLike, community_name: str, *, overwrite: bool = False) -> Workspace:
    """Create a new, empty workspace (every layer and table) for ``community_name`` and open it."""
    return GpkgWorkspace.create(target, community_name, overwrite=overwrite)


__all__ = ["open_workspace", "create_workspace", "schema_version"]
