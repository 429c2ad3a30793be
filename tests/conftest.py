"""Shared fixtures: the sample community built once per run, fresh copies of it, an empty workspace.

Tests never write inside the repository: every workspace lives under pytest's
temporary folder, and the notebooks' sample folder is pointed there too.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from cogov_toolkit.demo.sample import build_sample_workspace
from cogov_toolkit.storage import Workspace, create_workspace, open_workspace


def copy_workspace(path: Path, folder: Path) -> Path:
    """Copy a closed workspace and its private companion file into ``folder``; return the copy's path."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in path.parent.iterdir():
        if source.name == path.name or source.name == path.stem + ".private.sqlite":
            shutil.copy(source, folder / source.name)
    return folder / path.name


@pytest.fixture(name="sample_path", scope="session")
def fixture_sample_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample community 幸福社区 as a closed workspace file, built once per run (do not write to it)."""
    return Path(build_sample_workspace(tmp_path_factory.mktemp("sample") / "幸福社区.gpkg"))


@pytest.fixture(name="sample")
def fixture_sample(sample_path: Path, tmp_path: Path) -> Iterator[Workspace]:
    """An open, private copy of the sample community for one test."""
    ws = open_workspace(copy_workspace(sample_path, tmp_path / "样本"), backups=0)
    yield ws
    ws.close()


@pytest.fixture(name="empty")
def fixture_empty(tmp_path: Path) -> Iterator[Workspace]:
    """A new, empty workspace for one test."""
    ws = create_workspace(tmp_path / "新社区.gpkg", "新社区")
    yield ws
    ws.close()


@pytest.fixture(autouse=True, scope="session")
def _workdir_outside_the_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point the notebooks' sample folder and the user data folder at a temporary folder."""
    saved = {k: os.environ.get(k) for k in ("COGOV_WORKDIR", "COGOV_DATA_DIR", "COGOV_CACHE_DIR")}
    base = tmp_path_factory.mktemp("cogov-home")
    os.environ.setdefault("COGOV_WORKDIR", str(base / "示例"))
    os.environ.setdefault("COGOV_DATA_DIR", str(base / "data"))
    os.environ.setdefault("COGOV_CACHE_DIR", str(base / "cache"))
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
