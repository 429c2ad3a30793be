"""Open or create a workspace from a path (a ``.gpkg`` file) or, later, a database URL; list and restore backups."""

from __future__ import annotations

import os
import re
from pathlib import Path

from cogov_toolkit.errors import ConfigurationError, WorkspaceError
from cogov_toolkit.storage.base import Workspace
from cogov_toolkit.storage.gpkg import backups as _backups
from cogov_toolkit.storage.gpkg.backups import Backup, BackupPolicy
from cogov_toolkit.storage.gpkg.schema import schema_version
from cogov_toolkit.storage.gpkg.workspace import DEFAULT_BACKUPS, GpkgWorkspace, private_path_for

_DATABASE_URL = re.compile(r"^postgres(ql)?://")


def open_workspace(
    target: str | os.PathLike,
    *,
    create: str | None = None,
    backups: int | BackupPolicy = DEFAULT_BACKUPS,
    no_private_data: bool = False,
    upgrade: bool = False,
) -> Workspace:
    """Open a workspace by path, or create it when missing and ``create`` gives the community name.

    ``backups`` is how many backup pairs of a GeoPackage workspace are kept in
    the user's data folder (0: take none), or a ``BackupPolicy``; opening never
    writes one (they are taken before a migration, while writing at most every
    few minutes, and at close). ``no_private_data=True`` says that this copy
    has no private file on purpose. A workspace from an older toolkit raises
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
    return GpkgWorkspace.open(path, backups=backups, no_private_data=no_private_data, upgrade=upgrade)


def create_workspace(target: str | os.PathLike, community_name: str, *, overwrite: bool = False) -> Workspace:
    """Create a new, empty workspace (every layer and table) for ``community_name`` and open it."""
    return GpkgWorkspace.create(target, community_name, overwrite=overwrite)


def list_backups(target: str | os.PathLike) -> list[Backup]:
    """Return the sound backups of a workspace file, newest first (time, counts: ``Backup.describe()``)."""
    return _backups.list_backups(Path(target))


def restore_backup(target: str | os.PathLike, backup: Backup | int = 0) -> Path:
    """Restore a backup (a ``Backup`` from :func:`list_backups`, or its position: 0 = newest) over a closed workspace.

    The backup is checked whole first; the files it replaces are kept aside
    in the backup folder, never deleted.

    Raises
    ------
    WorkspaceError
        ``backup.unknown`` (no such position) or ``backup.not_sound``.
    """
    path = Path(target)
    if not isinstance(backup, Backup):
        found = _backups.list_backups(path)
        if not 0 <= backup < len(found):
            raise WorkspaceError("backup.unknown", file=path, number=backup + 1, count=len(found))
        backup = found[backup]
    return _backups.restore(path, backup, private_path_for(path))


__all__ = [
    "open_workspace",
    "create_workspace",
    "list_backups",
    "restore_backup",
    "schema_version",
    "Backup",
    "BackupPolicy",
]
