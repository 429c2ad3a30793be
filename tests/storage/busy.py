"""Busy workspaces for the keyed-read tests: filled once, opened per test on the GeoPackage and in memory.

The in-memory backend counts every row a read hands back (:func:`rows_read`), so a
test can assert that one action reads the rows it touches, not the table; the
GeoPackage runs the same actions, so the seam is proved on both sides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from cogov_toolkit.storage import Workspace, open_workspace
from cogov_toolkit.storage.memory import MemoryWorkspace
from tests.conftest import copy_workspace

BACKENDS = ["gpkg", "memory"]


def build_busy(sample_path: Path, folder: Path, fill: Callable[[Workspace], None]) -> Path:
    """Copy the sample into ``folder``, ``fill`` it, close it; return its path (copied again per test)."""
    path = copy_workspace(sample_path, folder)
    ws = open_workspace(path, backups=0)
    try:
        fill(ws)
    finally:
        ws.close()
    return path


def open_busy(backend: str, path: Path, folder: Path) -> Iterator[Workspace]:
    """Yield a copy of the busy workspace on ``backend`` ("gpkg", or "memory", which counts rows read)."""
    ws = open_workspace(copy_workspace(path, folder), backups=0)
    if backend == "memory":
        memory = MemoryWorkspace.copy_of(ws)
        ws.close()
        yield memory
    else:
        yield ws
        ws.close()


def rows_read(ws: Workspace) -> dict[str, int] | None:
    """Rows read since the last reset (memory backend only; None on the GeoPackage)."""
    return dict(ws.rows_read) if isinstance(ws, MemoryWorkspace) else None


def reset(ws: Workspace) -> None:
    """Start counting rows read afresh (memory backend only)."""
    if isinstance(ws, MemoryWorkspace):
        ws.reset_counts()


__all__ = ["BACKENDS", "build_busy", "open_busy", "rows_read", "reset"]
