"""Backups as restore points: consistent 0600 pairs in the user's data folder, damaged files, restore, erase.

Opening writes nothing (not the workspace, not a backup); a pair is taken at
close after a write (small workspace) or at most every few minutes (large);
a damaged file is refused with its own error naming the newest sound backup,
which the public API restores; SIGKILL at any moment of open/write/close or
of a shared copy leaves no orphan, no empty backup and no lost acknowledged record.
"""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import stat
from pathlib import Path

import pytest

from cogov_toolkit.errors import DamagedWorkspaceError, NotAWorkspaceError, PrivateFileMissingError
from cogov_toolkit.storage import BackupPolicy, create_workspace, list_backups, open_workspace, restore_backup
from cogov_toolkit.storage.gpkg import backups as backup_files
from cogov_toolkit.storage.gpkg.workspace import backup_dir_for, private_path_for
from tests import forking

DEMAND = {"reported_on": "2026-05-01", "channel": "visit", "category": "parking", "text": "停车难"}
SECRET = "金丝雀备份人"
EVERY_CLOSE = BackupPolicy(keep=3, every_minutes=0, small_bytes=0)


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own user data folder, so backups of one test are not another's."""
    monkeypatch.setenv("COGOV_DATA_DIR", str(tmp_path / "用户数据"))


@pytest.fixture(name="ws_path")
def fixture_ws_path(tmp_path: Path) -> Path:
    path = tmp_path / "工作区 文件夹" / "幸福社区.gpkg"
    create_workspace(path, "幸福社区").close()
    return path


def _add(ws, n: int, start: int = 0) -> list[str]:
    return [
        ws.add("demands", {**DEMAND, "demand_id": f"D{i:04d}"}, private={"demand_contacts": {"name": SECRET}})
        for i in range(start, start + n)
    ]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _final_folders(path: Path) -> list[Path]:
    folder = backup_dir_for(path)
    leftovers = (".tmp-", ".del-", "replaced-")  # half-written, being deleted, or set aside by a restore
    return sorted(p for p in folder.iterdir() if not p.name.startswith(leftovers)) if folder.exists() else []


# --- where, what, when -------------------------------------------------------------------------------------
def test_opening_and_reading_writes_nothing_not_even_a_backup(ws_path: Path) -> None:
    with open_workspace(ws_path) as ws:
        _add(ws, 3)
    before = (_sha(ws_path), _sha(private_path_for(ws_path)), [b.folder for b in list_backups(ws_path)])
    for _ in range(3):
        with open_workspace(ws_path) as ws:  # default backups: open, read everything, close
            ws.counts()
            ws.records("demands")
            ws.private_records("demand_contacts")
            ws.private_strings_gate()
    after = (_sha(ws_path), _sha(private_path_for(ws_path)), [b.folder for b in list_backups(ws_path)])
    assert after == before
    assert sorted(p.name for p in ws_path.parent.iterdir()) == ["幸福社区.gpkg", "幸福社区.private.sqlite"]


def test_a_pair_is_taken_at_close_after_a_write_in_the_data_folder_owner_only(ws_path: Path, tmp_path: Path) -> None:
    with open_workspace(ws_path) as ws:
        uuids = _add(ws, 2)
    # the first write of a workspace without backups started one in the background; closing took the newest
    backup = list_backups(ws_path)[0]
    assert len(list_backups(ws_path)) <= 2
    assert backup.folder.is_relative_to(tmp_path / "用户数据")  # not beside the workspace …
    assert not any(p.name.endswith(".backups") for p in ws_path.parent.iterdir())  # … which can be zipped and sent
    assert backup.counts["demands"] == 2 and backup.private_data
    for part in (backup.workspace, backup.private, backup.folder / "manifest.json"):
        assert stat.S_IMODE(part.stat().st_mode) == 0o600
    for folder in (backup.folder, backup.folder.parent, backup.folder.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(private_path_for(ws_path).stat().st_mode) == 0o600
    assert SECRET.encode() in backup.private.read_bytes() and SECRET.encode() not in backup.workspace.read_bytes()
    links = sqlite3.connect(backup.private).execute("SELECT demand_uuid FROM demand_contacts").fetchall()
    assert sorted(u for (u,) in links) == sorted(uuids)  # the pair is consistent: every record with its link


def test_an_old_world_readable_private_file_is_made_owner_only_on_open(ws_path: Path) -> None:
    private = private_path_for(ws_path)
    os.chmod(private, 0o644)
    digest = _sha(private)
    open_workspace(ws_path, backups=0).close()
    assert stat.S_IMODE(private.stat().st_mode) == 0o600 and _sha(private) == digest


def test_a_large_workspace_is_copied_at_most_every_n_minutes(ws_path: Path) -> None:
    large = BackupPolicy(keep=5, every_minutes=60, small_bytes=0)  # "large": every workspace is above 0 bytes
    for round_ in range(3):
        with open_workspace(ws_path, backups=large) as ws:
            _add(ws, 1, start=round_)
    assert len(list_backups(ws_path)) == 1  # the first close; the next two fall within the hour
    for round_ in range(3, 5):  # a small workspace (the default policy) is copied at every close after a write
        with open_workspace(ws_path) as ws:
            _add(ws, 1, start=round_)
    assert [b.counts["demands"] for b in list_backups(ws_path)] == [5, 4, 1]


def test_while_open_a_background_copy_follows_the_writes(ws_path: Path) -> None:
    ws = open_workspace(ws_path, backups=EVERY_CLOSE)
    _add(ws, 1)
    ws._backup_thread.join()  # a write started a background backup through a connection of its own
    assert list_backups(ws_path)[0].counts["demands"] == 1
    ws.close()


def test_rotation_keeps_n_sound_pairs_and_deletes_leftovers(ws_path: Path) -> None:
    with open_workspace(ws_path, backups=EVERY_CLOSE) as ws:
        _add(ws, 1)
    folder = backup_dir_for(ws_path)
    dead = folder / ".tmp-20260101T000000.000000Z-999999999"  # a backup killed half way (no such process)
    dead.mkdir()
    (dead / "workspace.gpkg").write_bytes(b"")
    broken = folder / "20260101T000000.000000Z-1"  # a finished name without a sound pair
    broken.mkdir()
    (broken / "private.sqlite").write_bytes(b"SQLite format 3\x00")
    for i in range(5):
        with open_workspace(ws_path, backups=EVERY_CLOSE) as ws:
            _add(ws, 1, start=i + 1)
    assert not dead.exists() and not broken.exists()
    assert [b.counts["demands"] for b in list_backups(ws_path)] == [6, 5, 4]
    assert len(list(folder.iterdir())) == 3


# --- damaged and missing files -----------------------------------------------------------------------------
def _root_page(path: Path, table: str) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    return page_size, root


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.999)])


def _truncate_whole_pages(path: Path) -> None:
    page_size, _ = _root_page(path, "demands")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 3 * page_size])


def _bit_flip(path: Path) -> None:
    page_size, root = _root_page(path, "demands")
    data = bytearray(path.read_bytes())
    data[(root - 1) * page_size] ^= 0x01  # the b-tree page type of the demands table: 0x0D becomes 0x0C
    path.write_bytes(bytes(data))


def _zero_fill(path: Path) -> None:
    page_size, root = _root_page(path, "demands")
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start : start + 2 * page_size] = bytes(2 * page_size)
    path.write_bytes(bytes(data))


def _zero_header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[:4096] = bytes(4096)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_truncate, _truncate_whole_pages, _bit_flip, _zero_fill, _zero_header])
def test_a_damaged_workspace_is_refused_ten_times_and_the_newest_backup_restores_it(ws_path: Path, damage) -> None:
    with open_workspace(ws_path) as ws:
        acknowledged = _add(ws, 12)  # closing takes the backup: its point is after these 12
    backup_state = {b.folder: (b.workspace.stat().st_size, b.private.stat().st_size) for b in list_backups(ws_path)}
    damage(ws_path)
    for _ in range(10):
        with pytest.raises(DamagedWorkspaceError) as info:
            open_workspace(ws_path)
        message = str(info.value)
        newest = list_backups(ws_path)[0]
        assert newest.local_time() in message and "cogov restore" in message and "{" not in message
    # ten failed opens wrote, rotated and deleted nothing: the same sound, non-empty pairs
    assert {b.folder: (b.workspace.stat().st_size, b.private.stat().st_size) for b in list_backups(ws_path)} == (
        backup_state
    )
    assert all(size > 0 for sizes in backup_state.values() for size in sizes)
    assert sorted(p.name for p in _final_folders(ws_path)) == sorted(f.name for f in backup_state)
    restore_backup(ws_path, 0)
    with open_workspace(ws_path) as ws:
        assert set(acknowledged) <= set(ws.records("demands")["uuid"])
        assert set(acknowledged) == set(ws.private_records("demand_contacts")["demand_uuid"])
        assert ws.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    aside = [p for p in backup_dir_for(ws_path).iterdir() if p.name.startswith("replaced-")]
    assert len(aside) == 1 and (aside[0] / ws_path.name).exists()  # the damaged file is kept, not lost


def test_a_damaged_file_without_backups_says_so(ws_path: Path) -> None:
    with open_workspace(ws_path, backups=0) as ws:
        _add(ws, 3)
    _bit_flip(ws_path)
    with pytest.raises(DamagedWorkspaceError) as info:
        open_workspace(ws_path)
    assert info.value.reason == "workspace.damaged_no_backup"


def test_a_damaged_private_file_is_refused_too(ws_path: Path) -> None:
    with open_workspace(ws_path) as ws:
        _add(ws, 3)
    _truncate(private_path_for(ws_path))
    with pytest.raises(DamagedWorkspaceError, match="个人信息文件"):
        open_workspace(ws_path)


def test_a_missing_private_file_is_an_error_never_a_new_empty_one(ws_path: Path) -> None:
    with open_workspace(ws_path, backups=0) as ws:
        _add(ws, 1)
    private_path_for(ws_path).unlink()
    with pytest.raises(PrivateFileMissingError) as info:
        open_workspace(ws_path)
    assert "幸福社区.private.sqlite" in str(info.value) and "no_private_data=True" in str(info.value)
    assert not private_path_for(ws_path).exists()


def test_not_a_workspace_names_the_file_without_a_raw_template(tmp_path: Path) -> None:
    bogus = tmp_path / "名单.gpkg"
    bogus.write_text("这不是数据库", encoding="utf-8")
    with pytest.raises(NotAWorkspaceError) as info:
        open_workspace(bogus)
    assert "名单.gpkg" in str(info.value) and "{file}" not in str(info.value)


def test_a_backup_that_went_bad_is_not_restored(ws_path: Path) -> None:
    with open_workspace(ws_path) as ws:
        _add(ws, 3)
    for backup in list_backups(ws_path):
        _zero_fill(backup.workspace)
    digest = _sha(ws_path)
    with pytest.raises(Exception, match="已损坏"):
        restore_backup(ws_path, 0)
    assert _sha(ws_path) == digest


# --- deletion on request -------------------------------------------------------------------------------------
def test_erasing_a_household_removes_it_from_the_private_file_and_every_backup(ws_path: Path) -> None:
    with open_workspace(ws_path) as ws:
        ws.add_private("people", [{"household_id": "H0118", "name": SECRET, "phone": "100-1111-2222"}])
        ws.add_private("people", [{"household_id": "H0119", "name": "留下的人", "phone": "100-3333-4444"}])
    with open_workspace(ws_path) as ws:
        ws.add("demands", {**DEMAND, "demand_id": "D1"}, private={"demand_contacts": {"household_id": "H0118"}})
    copies = [b.private for b in list_backups(ws_path)]
    assert len(copies) >= 2 and all(SECRET.encode() in p.read_bytes() for p in copies)  # the search finds it first
    others = [p for p in copies if "留下的人".encode() in p.read_bytes()]
    assert others
    with open_workspace(ws_path) as ws:
        rows, in_backups = ws.erase_household("H0118")
    assert rows["people"] == 1 and rows["demand_contacts"] == 1 and in_backups >= 2
    for blob in [private_path_for(ws_path).read_bytes(), *(p.read_bytes() for p in copies)]:
        assert SECRET.encode() not in blob and b"100-1111-2222" not in blob
    assert all("留下的人".encode() in p.read_bytes() for p in others)  # only that household went
    assert len(list_backups(ws_path)) >= 2  # the backups stay sound after the erasure


# --- SIGKILL at random moments -----------------------------------------------------------------------------
def _check_backups_sound(path: Path) -> None:
    for folder in _final_folders(path):
        backup = backup_files._read_backup(folder)
        assert backup is not None, folder  # a finished name always holds a complete pair
        assert backup.workspace.stat().st_size > 0 and backup.private.stat().st_size > 0
    for child in backup_dir_for(path).iterdir() if backup_dir_for(path).exists() else []:
        for file in child.rglob("*"):
            if child.name.startswith((".tmp-", ".del-")):
                continue
            assert file.stat().st_size > 0, file


def test_sigkill_during_open_write_close_and_backup_leaves_no_orphan_and_loses_nothing(ws_path: Path) -> None:
    rng = random.Random(11)
    acknowledged: list[str] = []

    def work(ack: forking.Ack) -> None:
        ack("ready")
        round_ = 0
        while True:
            with open_workspace(ws_path, backups=EVERY_CLOSE) as ws:
                demand = {**DEMAND, "demand_id": f"K{os.getpid()}-{round_}"}
                uuid = ws.add("demands", demand, private={"demand_contacts": {"name": SECRET}})
            ack(uuid)
            round_ += 1

    for _ in range(20):
        pid, fd = forking.start(work)
        assert forking.wait_for_line(fd) == "ready"
        acknowledged += forking.kill_after(pid, fd, rng.uniform(0.0, 0.25))
        _check_backups_sound(ws_path)
    with open_workspace(ws_path, backups=EVERY_CLOSE) as ws:  # a normal open afterwards: recovers and rotates
        stored = set(ws.records("demands")["uuid"])
        _add(ws, 1, start=99_999_999)
    assert acknowledged and set(acknowledged) <= stored
    leftovers = [p.name for p in backup_dir_for(ws_path).iterdir() if p.name.startswith((".tmp-", ".del-"))]
    assert leftovers == [] and len(list_backups(ws_path)) == 3
    _check_backups_sound(ws_path)
    stray = [p.name for p in ws_path.parent.iterdir() if p.name not in (ws_path.name, private_path_for(ws_path).name)]
    assert stray == []  # no -journal or side file left beside the workspace


def test_sigkill_during_a_shared_copy_leaves_either_nothing_or_a_sound_copy(ws_path: Path, tmp_path: Path) -> None:
    with open_workspace(ws_path, backups=0) as ws:
        _add(ws, 50)
    destination = tmp_path / "给设计师" / "幸福社区.gpkg"
    rng = random.Random(5)

    def work(ack: forking.Ack) -> None:
        ws = open_workspace(ws_path, backups=0)
        ack("ready")
        while True:
            ws.share_copy(destination)
            ack("copied")

    for _ in range(20):
        pid, fd = forking.start(work)
        assert forking.wait_for_line(fd) == "ready"
        forking.kill_after(pid, fd, rng.uniform(0.0, 0.2))
        if destination.exists():
            with open_workspace(destination, backups=0) as copy:  # opens alone: the copy has no private data
                assert copy.count("demands") == 50
                assert copy.connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            assert SECRET.encode() not in destination.read_bytes()
    with open_workspace(ws_path, backups=0) as ws:
        ws.share_copy(destination)
    assert sorted(p.name for p in destination.parent.iterdir()) == [destination.name]  # the killed .part is gone
