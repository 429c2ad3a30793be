"""Backups of a workspace: restore points that are always sound, cheap to take, and kept private.

A backup is one consistent *pair*: the ``.gpkg`` and its private file, copied
with SQLite's online backup API inside one read transaction on both files, so
that no writer (in this process or another) can commit between the two copies.
Each pair is written into a temporary folder, every file fsynced, a manifest
(time, counts, sizes) written last, and only then renamed into place: a pair
is either complete or not there at all, and a killed or failed copy leaves at
most a temporary folder that the next rotation removes.

Backups live in the user's data folder (``cogov_toolkit._paths.user_data_dir()
/ "backups"``), one folder per workspace file, never beside the workspace: a
planner who zips the workspace folder to send it sends no backup of anyone's
personal data. Folders are 0700 and files 0600.

When: nothing is copied on open (an open never writes, rotates or deletes a
backup); a pair is taken before a migration changes the files, after writes
at most every ``every_minutes`` while the workspace is open, and at close
when something was written since the newest backup — at once for a small
workspace, at most every ``every_minutes`` for a large one, so that the cost
of backups follows the work done, not the size of the file. Rotation keeps
the ``keep`` newest sound pairs, deletes pairs older than ``max_age_days``
(except the newest), and removes what a killed backup left behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import stat
import time
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cogov_toolkit import i18n
from cogov_toolkit.errors import WorkspaceError

#: how many sound pairs are kept per workspace file
DEFAULT_KEEP = 5
#: a large workspace is copied at most this often while open (and at close)
DEFAULT_EVERY_MINUTES = 10.0
#: a pair smaller than this is copied at every close that follows a write (it costs milliseconds)
SMALL_WORKSPACE_BYTES = 32 * 1024 * 1024
#: backups older than this are deleted at rotation (the newest one is always kept)
DEFAULT_MAX_AGE_DAYS = 90
BUSY_TIMEOUT_S = 120.0
MANIFEST = "manifest.json"
WORKSPACE_FILE = "workspace.gpkg"
PRIVATE_FILE = "private.sqlite"
_FORMAT = 1
_STAMP = re.compile(r"^\d{8}T\d{6}\.\d{6}Z-\d+$")
_TMP_PREFIX = ".tmp-"
_DELETING_PREFIX = ".del-"  # a pair being deleted: renamed first, so a kill never leaves half a pair under its name
_DAMAGED_PREFIX = "replaced-"
_SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class BackupPolicy:
    """How a workspace is backed up: how many pairs are kept, how often a large one is copied, how long."""

    keep: int = DEFAULT_KEEP
    every_minutes: float = DEFAULT_EVERY_MINUTES
    small_bytes: int = SMALL_WORKSPACE_BYTES
    max_age_days: int = DEFAULT_MAX_AGE_DAYS

    @classmethod
    def of(cls, value: int | BackupPolicy | None) -> BackupPolicy:
        """Return a policy from a number of pairs to keep (0: no backups) or a policy."""
        if isinstance(value, BackupPolicy):
            return value
        return cls(keep=int(value or 0))

    @property
    def enabled(self) -> bool:
        """True when backups are taken at all."""
        return self.keep > 0


OFF = BackupPolicy(keep=0)


@dataclass(frozen=True)
class Backup:
    """One sound backup pair: where it is, when it was taken, of what, and what it holds."""

    folder: Path
    taken_at: dt.datetime
    source: str
    workspace_id: str
    community: str
    counts: Mapping[str, int] = field(default_factory=dict)
    private_data: bool = True
    counters: tuple[int, int | None] = (0, None)

    @property
    def workspace(self) -> Path:
        """The copy of the ``.gpkg``."""
        return self.folder / WORKSPACE_FILE

    @property
    def private(self) -> Path:
        """The copy of the private file."""
        return self.folder / PRIVATE_FILE

    def local_time(self) -> str:
        """When it was taken, in Beijing time, as a planner reads it."""
        moment = self.taken_at.astimezone(dt.timezone(dt.timedelta(hours=8)))
        return moment.strftime("%Y-%m-%d %H:%M:%S")

    def describe(self, language: str | None = None) -> str:
        """Return "2026-05-14 10:12:03 — 诉求 12 条、选票 340 张 …" for a list of backups."""
        shown = [
            i18n.t("backup.count", language, table=i18n.t(f"layer.{name}", language), count=n)
            for name, n in self.counts.items()
            if n and i18n.has(f"layer.{name}")
        ]
        counts = i18n.t("backup.count_join", language).join(shown) or i18n.t("backup.empty", language)
        return i18n.t("backup.line", language, time=self.local_time(), counts=counts)


# --- where ---------------------------------------------------------------------------------------------------
def backup_root() -> Path:
    """Return the folder that holds every workspace's backups (in the user's data folder)."""
    from cogov_toolkit._paths import user_data_dir

    return user_data_dir() / "backups"


def backup_folder_for(path: str | os.PathLike) -> Path:
    """Return the backup folder of a workspace file (named after the file and its full path).

    The name does not depend on the file's content, so the backups of a damaged
    file are found even when the file can no longer be read.
    """
    path = Path(path).resolve()
    stem = unicodedata.normalize("NFKC", path.stem)
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f\s]+', "_", stem).strip("._")[:40] or "workspace"
    digest = hashlib.sha256(str(path).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return backup_root() / f"{stem}-{digest}"


def _private_dir(folder: Path) -> None:
    """Create ``folder`` (and the backup root) readable by the user only."""
    for part in (backup_root(), folder):
        part.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(part, 0o700)


# --- taking ----------------------------------------------------------------------------------------------------
def change_counter(path: Path) -> int | None:
    """Return a SQLite file's change counter (header bytes 24–27), or None when it cannot be read.

    In rollback-journal mode every committed write transaction increases it, so
    equal counters mean nothing was written since a backup was taken.
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(28)
    except OSError:
        return None
    if len(head) < 28 or not head.startswith(_SQLITE_MAGIC):
        return None
    return int.from_bytes(head[24:28], "big")


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ") + f"-{os.getpid()}"


def take_backup(
    conn: sqlite3.Connection,
    path: Path,
    *,
    workspace_id: str,
    community: str,
    private_path: Path | None,
    policy: BackupPolicy = BackupPolicy(),
    tables: Iterable[str] = (),
) -> Backup:
    """Copy the workspace and its private file as one consistent pair and return the backup.

    ``conn`` is a connection with the workspace as ``main`` and, when
    ``private_path`` is given, its private file attached as ``private``; it
    must not be inside a transaction. ``tables`` are counted for the list of
    backups. Old pairs are rotated away only after the new one is in place.
    """
    folder = backup_folder_for(path)
    _private_dir(folder)
    stamp = _stamp()
    tmp = folder / f"{_TMP_PREFIX}{stamp}"
    tmp.mkdir(mode=0o700)
    try:
        conn.execute("BEGIN")  # a read transaction on both files: no writer can commit until COMMIT below
        try:
            conn.execute("SELECT count(*) FROM main.sqlite_master").fetchone()
            if private_path is not None:
                conn.execute("SELECT count(*) FROM private.sqlite_master").fetchone()
            counters = (change_counter(path) or 0, change_counter(private_path) if private_path else None)
            counts = {}
            for table in tables:
                with contextlib.suppress(sqlite3.DatabaseError):
                    counts[table] = conn.execute(f'SELECT count(*) FROM main."{table}"').fetchone()[0]
            _copy(conn, "main", tmp / WORKSPACE_FILE)
            if private_path is not None:
                _copy(conn, "private", tmp / PRIVATE_FILE)
        finally:
            conn.execute("COMMIT")
        taken = dt.datetime.now(dt.UTC)
        manifest = {
            "format": _FORMAT,
            "taken_at": taken.isoformat(),
            "source": str(Path(path).resolve()),
            "workspace_id": workspace_id,
            "community": community,
            "counts": counts,
            "private_data": private_path is not None,
            "counters": list(counters),
            "files": {
                name: (tmp / name).stat().st_size for name in (WORKSPACE_FILE, PRIVATE_FILE) if (tmp / name).exists()
            },
        }
        _write_private(tmp / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
        fsync_dir(tmp)
        final = folder / stamp
        os.replace(tmp, final)
        fsync_dir(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    backup = _read_backup(final)
    assert backup is not None
    rotate(path, policy)
    return backup


def _copy(conn: sqlite3.Connection, schema: str, target: Path) -> None:
    """Copy one attached database of ``conn`` into ``target`` (a new file, 0600, fsynced)."""
    _write_private(target, b"")
    dst = sqlite3.connect(target)
    try:
        conn.backup(dst, name=schema)
        dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        dst.close()
    fsync_file(target)


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` into a new file readable by the user only, fsynced."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)


def backup_path_now(
    path: Path,
    private_path: Path | None,
    *,
    workspace_id: str,
    community: str,
    policy: BackupPolicy = BackupPolicy(),
    tables: Iterable[str] = (),
) -> Backup:
    """Take a backup pair through a connection of its own (read-only): for a background thread or a tool."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    conn.isolation_level = None
    try:
        if private_path is not None:
            conn.execute("ATTACH DATABASE ? AS private", (f"{Path(private_path).resolve().as_uri()}?mode=ro",))
        return take_backup(
            conn,
            path,
            workspace_id=workspace_id,
            community=community,
            private_path=private_path,
            policy=policy,
            tables=tables,
        )
    finally:
        conn.close()


# --- reading ---------------------------------------------------------------------------------------------------
def _read_backup(folder: Path) -> Backup | None:
    """Return the backup in ``folder`` when it is sound (complete manifest, files present and of their size)."""
    if not _STAMP.match(folder.name):
        return None
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != _FORMAT:
            return None
        for name, size in manifest["files"].items():
            file = folder / name
            if file.stat().st_size != size or size == 0:
                return None
            with file.open("rb") as fh:
                if not fh.read(16).startswith(_SQLITE_MAGIC):
                    return None
        if WORKSPACE_FILE not in manifest["files"]:
            return None
        if manifest.get("private_data") and PRIVATE_FILE not in manifest["files"]:
            return None
        counters = manifest.get("counters") or [0, None]
        return Backup(
            folder=folder,
            taken_at=dt.datetime.fromisoformat(manifest["taken_at"]),
            source=manifest.get("source", ""),
            workspace_id=manifest.get("workspace_id", ""),
            community=manifest.get("community", ""),
            counts=dict(manifest.get("counts", {})),
            private_data=bool(manifest.get("private_data")),
            counters=(int(counters[0] or 0), None if counters[1] is None else int(counters[1])),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def list_backups(path: str | os.PathLike) -> list[Backup]:
    """Return the sound backups of a workspace file, newest first."""
    folder = backup_folder_for(path)
    if not folder.is_dir():
        return []
    found = [b for b in (_read_backup(child) for child in folder.iterdir() if child.is_dir()) if b is not None]
    return sorted(found, key=lambda b: (b.taken_at, b.folder.name), reverse=True)


def newest_backup(path: str | os.PathLike) -> Backup | None:
    """Return the newest sound backup of a workspace file, or None."""
    backups = list_backups(path)
    return backups[0] if backups else None


def verify(backup: Backup) -> bool:
    """Return True when both files of the pair pass SQLite's quick_check (reads them whole)."""
    files = [backup.workspace] + ([backup.private] if backup.private_data else [])
    for file in files:
        try:
            conn = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
            try:
                if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    return False
            finally:
                conn.close()
        except sqlite3.DatabaseError:
            return False
    return True


# --- rotating ---------------------------------------------------------------------------------------------------
def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - someone else's process
        return True
    return True


def rotate(path: str | os.PathLike, policy: BackupPolicy = BackupPolicy()) -> list[Path]:
    """Keep the ``policy.keep`` newest sound pairs; delete older ones, expired ones and leftovers. Return what went.

    A temporary folder is a leftover when the process that wrote it is gone
    (or it is a day old); a finished folder that is not a sound pair (a file
    missing or cut short) is a leftover too. The newest sound pair is never
    deleted for its age.
    """
    folder = backup_folder_for(path)
    if not folder.is_dir() or policy.keep <= 0:
        return []
    removed: list[Path] = []
    now = time.time()
    sound: list[Backup] = []
    for child in folder.iterdir():
        if not child.is_dir():
            continue
        if child.name.startswith(_DELETING_PREFIX):
            removed.append(child)
            continue
        if child.name.startswith(_TMP_PREFIX):
            pid = int(child.name.rsplit("-", 1)[-1]) if child.name.rsplit("-", 1)[-1].isdigit() else -1
            if (pid != os.getpid() and not _pid_alive(pid)) or now - child.stat().st_mtime > 86400:
                removed.append(child)
            continue
        if child.name.startswith(_DAMAGED_PREFIX):
            if now - child.stat().st_mtime > policy.max_age_days * 86400:
                removed.append(child)
            continue
        backup = _read_backup(child)
        if backup is None:
            if _STAMP.match(child.name):
                removed.append(child)
            continue
        sound.append(backup)
    sound.sort(key=lambda b: (b.taken_at, b.folder.name), reverse=True)
    limit = dt.datetime.now(dt.UTC) - dt.timedelta(days=policy.max_age_days)
    for position, backup in enumerate(sound):
        if position >= policy.keep or (position > 0 and backup.taken_at < limit):
            removed.append(backup.folder)
    for child in removed:
        doomed = child
        if not child.name.startswith((_DELETING_PREFIX, _TMP_PREFIX)):
            doomed = folder / f"{_DELETING_PREFIX}{child.name}"
            try:
                os.replace(child, doomed)  # atomic: the pair is gone from the list before any file of it is
            except OSError:
                continue
        shutil.rmtree(doomed, ignore_errors=True)
    if removed:
        fsync_dir(folder)
    return removed


# --- restoring ---------------------------------------------------------------------------------------------------
def restore(path: str | os.PathLike, backup: Backup, private_path: Path) -> Path:
    """Put ``backup`` back as the workspace at ``path`` (and its private file); return the workspace path.

    The backup is checked whole first (quick_check). The files it replaces,
    damaged or not, are kept aside in the backup folder (``replaced-…``), so a
    restore never loses anything; their journals go with them, so no stale
    journal is played back into the restored file. The workspace must be closed.
    """
    path = Path(path)
    if not verify(backup):
        raise WorkspaceError("backup.not_sound", file=backup.folder, time=backup.local_time())
    folder = backup_folder_for(path)
    _private_dir(folder)
    aside = folder / f"{_DAMAGED_PREFIX}{_stamp()}"
    aside.mkdir(mode=0o700)
    pairs = [(backup.workspace, path)]
    if backup.private_data:
        pairs.append((backup.private, private_path))
    staged = []
    for source, target in pairs:
        part = target.with_name(target.name + ".restoring")
        shutil.copyfile(source, part)
        os.chmod(part, 0o600 if target == private_path else 0o644)
        fsync_file(part)
        staged.append((part, target))
    for target in (path, private_path):
        for side in (target, target.with_name(target.name + "-journal")):
            if side.exists():
                os.replace(side, aside / side.name)
    for part, target in staged:
        os.replace(part, target)
    fsync_dir(path.parent)
    fsync_dir(aside)
    return path


# --- deleting personal data on request -------------------------------------------------------------------------
def erase_in_backups(path: str | os.PathLike, statements: Iterable[tuple[str, tuple[Any, ...]]]) -> int:
    """Run deleting ``statements`` on the private file of every backup of ``path``; return the rows deleted.

    Each private copy is changed in place with ``secure_delete`` on and then
    VACUUMed, so the deleted rows do not linger in its free pages; its
    manifest's size is updated, so the pair stays sound.
    """
    statements = list(statements)
    deleted = 0
    for backup in list_backups(path):
        if not backup.private_data:
            continue
        conn = sqlite3.connect(backup.private, isolation_level=None)
        try:
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("BEGIN IMMEDIATE")
            for sql, params in statements:
                with contextlib.suppress(sqlite3.OperationalError):  # a table an older copy does not have
                    deleted += conn.execute(sql, params).rowcount
            conn.execute("COMMIT")
            conn.execute("VACUUM")
        finally:
            conn.close()
        fsync_file(backup.private)
        manifest_path = backup.folder / MANIFEST
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        manifest["files"][PRIVATE_FILE] = backup.private.stat().st_size
        part = manifest_path.with_name(MANIFEST + ".part")
        _write_private(part, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
        os.replace(part, manifest_path)
        fsync_dir(backup.folder)
    return deleted


# --- small helpers ---------------------------------------------------------------------------------------------
def fsync_file(path: Path) -> None:
    """Flush a file's data to disk (before a rename makes it visible)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries to disk (a rename inside it survives a power cut); no-op off POSIX."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def is_private_mode(path: Path) -> bool:
    """Return True when only the owner may read and write ``path`` (mode 0600 or stricter)."""
    return not (path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))


__all__ = [
    "DEFAULT_KEEP",
    "DEFAULT_EVERY_MINUTES",
    "DEFAULT_MAX_AGE_DAYS",
    "SMALL_WORKSPACE_BYTES",
    "BackupPolicy",
    "OFF",
    "Backup",
    "backup_root",
    "backup_folder_for",
    "change_counter",
    "take_backup",
    "backup_path_now",
    "list_backups",
    "newest_backup",
    "verify",
    "rotate",
    "restore",
    "erase_in_backups",
    "is_private_mode",
]
