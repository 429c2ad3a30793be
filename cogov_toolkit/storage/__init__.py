"""Storage: the Workspace protocol (:mod:`.base`), opening by path or URL (:mod:`.open`) and the backends."""

from __future__ import annotations

from cogov_toolkit.storage.base import Workspace
from cogov_toolkit.storage.open import (
    Backup,
    BackupPolicy,
    create_workspace,
    list_backups,
    open_workspace,
    restore_backup,
)

__all__ = [
    "Workspace",
    "open_workspace",
    "create_workspace",
    "list_backups",
    "restore_backup",
    "Backup",
    "BackupPolicy",
]
