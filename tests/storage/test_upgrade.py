"""An older workspace is upgraded only when asked (a click in the banner, ``cogov upgrade``), after a backup."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from cogov_toolkit.errors import WorkspaceUpgradeNeededError
from cogov_toolkit.storage import create_workspace, open_workspace
from cogov_toolkit.storage.gpkg.backups import list_backups
from cogov_toolkit.storage.gpkg.schema import schema_version
from cogov_toolkit.storage.gpkg.workspace import private_path_for


def _as_version_1(path: Path) -> None:
    """Make a workspace look as one written before the settings table existed (schema version 1)."""
    conn = sqlite3.connect(path)
    conn.execute('DROP TABLE "settings"')
    conn.execute("DELETE FROM gpkg_contents WHERE table_name = 'settings'")
    conn.execute("UPDATE cogov_meta SET value = '1' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(name="old_path")
def fixture_old_path(tmp_path: Path) -> Path:
    path = tmp_path / "旧社区.gpkg"
    with create_workspace(path, "旧社区") as ws:
        ws.add("demands", {"demand_id": "D001", "reported_on": "2026-11-20", "channel": "meeting",
                           "category": "repair", "text": "3栋楼道灯坏了"})  # fmt: skip
    _as_version_1(path)
    return path


def test_an_older_workspace_is_refused_with_a_chinese_message_and_left_as_it_was(old_path: Path) -> None:
    before = _digest(old_path), _digest(private_path_for(old_path))
    with pytest.raises(WorkspaceUpgradeNeededError) as info:
        open_workspace(old_path, backups=0)
    assert info.value.reason == "workspace.needs_upgrade"
    assert "旧版本" in str(info.value) and "cogov upgrade" in str(info.value)
    assert (_digest(old_path), _digest(private_path_for(old_path))) == before


def test_upgrade_backs_up_first_then_migrates_and_keeps_the_records(old_path: Path) -> None:
    with open_workspace(old_path, backups=0, upgrade=True) as ws:
        assert ws.count("settings") == 0 and ws.count("demands") == 1
        version = ws.connection.execute("SELECT value FROM cogov_meta WHERE key='schema_version'").fetchone()[0]
    assert int(version) == schema_version()
    (backup,) = list_backups(old_path)  # taken although backups=0 was asked
    old = sqlite3.connect(backup.workspace)
    assert old.execute("SELECT value FROM cogov_meta WHERE key='schema_version'").fetchone()[0] == "1"
    old.close()
    with open_workspace(old_path, backups=0) as ws:  # upgraded: opens plainly from now on
        assert ws.count("demands") == 1


def test_cogov_upgrade_on_the_command_line(old_path: Path) -> None:
    run = [sys.executable, "-m", "cogov_toolkit.cli", "upgrade", str(old_path)]
    result = subprocess.run(run, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "已升级" in result.stdout and "备份" in result.stdout
    again = subprocess.run(run, capture_output=True, text=True)
    assert again.returncode == 0 and "无需升级" in again.stdout
    info = subprocess.run(
        [sys.executable, "-m", "cogov_toolkit.cli", "info", str(old_path)], capture_output=True, text=True
    )
    assert info.returncode == 0, info.stderr
