"""The workspace: one community's maps and records in one GeoPackage file.

Durability, in order of what it protects against:

* Every write is one SQLite transaction, and a call returns only after COMMIT.
* ``journal_mode=DELETE`` with ``synchronous=EXTRA``: the rollback journal is
  fsynced before the database is touched, the database is fsynced before the
  journal is deleted, and (EXTRA) the directory is fsynced after the delete,
  so a commit that returned survives a power cut, not only a killed process.
  WAL is not used on purpose: it would leave acknowledged records in a
  ``-wal`` side file, and a workspace copied to a USB stick or sent over
  WeChat must be one self-sufficient file.
* Personal data (names, phones, who voted how) lives in a private companion
  file beside the workspace (``<name>.private.sqlite``, mode 0600), ATTACHed
  to the same connection: a record and its private link commit atomically
  across the two files (SQLite's super-journal), yet the ``.gpkg`` alone
  carries none of it. A missing private file is an error, never a silent new
  empty one; a copy that has no private data says so (``no_private_data=True``,
  or the shared copy, which is marked as such).
* Opening checks the file (its header against its size, then
  ``PRAGMA quick_check``) and writes nothing; a damaged file gets its own
  error naming the newest sound backup. Backups (:mod:`.backups`) are
  consistent pairs in the user's data folder, taken before a migration, at
  most every few minutes while writing and at close.

Writers in several processes are serialised by ``BEGIN IMMEDIATE`` with a busy
timeout, so concurrent saves queue instead of failing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import sqlite3
import threading
import time
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shapely

from cogov_toolkit import __version__
from cogov_toolkit.core.features import _stored_geometry
from cogov_toolkit.core.privacy import PublicationGate
from cogov_toolkit.core.schema import (
    LAYERS,
    PRIVATE_TABLES,
    RECORD_TABLES,
    SHARED_SUMMARIES,
    SHARED_SUMMARY,
    SYSTEM_COLUMNS,
    LayerKind,
    RecordTable,
)
from cogov_toolkit.core.values import new_uuid, normalise_record, utc_now
from cogov_toolkit.errors import (
    BackupWarning,
    DamagedWorkspaceError,
    NotAWorkspaceError,
    PrivateFileMissingError,
    Problem,
    RecordError,
    WorkspaceError,
    WorkspaceUpgradeNeededError,
    WorkspaceVersionError,
)
from cogov_toolkit.storage.gpkg import backups as backup_files
from cogov_toolkit.storage.gpkg import binary as gpkg_binary
from cogov_toolkit.storage.gpkg import features
from cogov_toolkit.storage.gpkg.backups import Backup, BackupPolicy
from cogov_toolkit.storage.gpkg.schema import (
    GPKG_APPLICATION_ID,
    META_TABLE,
    MIGRATIONS,
    WGS84_SRS_ID,
    create_base_tables,
    create_private_tables,
    create_summary_tables,
    numbered_sql,
    schema_version,
)

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from cogov_toolkit.core.features import Feature

_SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 120.0
DEFAULT_BACKUPS = backup_files.DEFAULT_KEEP
GEOMETRY_COLUMN = "geom"
#: cogov_meta key of a copy that has no private data by construction (the shared copy)
NO_PRIVATE_DATA_KEY = "private_data"


def private_path_for(path: Path) -> Path:
    """Return the private companion file that goes with a workspace file."""
    return path.with_name(path.stem + ".private.sqlite")


def backup_dir_for(path: Path) -> Path:
    """Return the folder of a workspace file's backups (in the user's data folder, not beside the file)."""
    return backup_files.backup_folder_for(path)


class GpkgWorkspace:
    """One community's workspace: spatial layers and record tables in a GeoPackage.

    Open one with :meth:`open` or :meth:`create`; use it as a context manager
    (or call :meth:`close`) so the file is left complete and alone.
    """

    def __init__(
        self,
        path: Path,
        connection: sqlite3.Connection,
        *,
        policy: BackupPolicy = backup_files.OFF,
        private_data: bool = True,
    ) -> None:
        self.path = path
        self.private_path = private_path_for(path)
        self._conn = connection
        self._lock = threading.RLock()
        self._in_transaction = False
        self._policy = policy
        #: False for a copy opened without private data: a write with a private part is refused
        self.private_data = private_data
        self._written = False  # something was committed through this handle since the last backup
        self._wrote_any = False  # something was committed through this handle at all
        self._last_backup_at: float | None = None  # time.monotonic() of the newest backup this handle knows of
        self._backup_thread: threading.Thread | None = None
        meta = dict(connection.execute(f"SELECT key, value FROM main.{META_TABLE}").fetchall())
        self.workspace_id: str = meta["workspace_id"]
        self.community_name: str = meta.get("community_name", "")

    # ------------------------------------------------------------------ opening
    @classmethod
    def create(cls, path: str | os.PathLike, community_name: str, *, overwrite: bool = False) -> GpkgWorkspace:
        """Create a new, empty workspace file (with every layer and table) and its private file, and open it."""
        path = Path(path)
        if path.exists():
            if not overwrite:
                raise WorkspaceError("workspace.exists", file=path)
            path.unlink()
        private = private_path_for(path)
        if overwrite:
            private.unlink(missing_ok=True)
            for side in (path.with_name(path.name + "-journal"), private.with_name(private.name + "-journal")):
                side.unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        _create_private_file(private)
        conn = _connect(path)
        try:
            with _transaction(conn):
                conn.execute(f"PRAGMA application_id = {GPKG_APPLICATION_ID}")
                conn.execute("PRAGMA user_version = 10300")  # GeoPackage 1.3: read by every GDAL since 2.x, QGIS 3
                create_base_tables(conn)
                meta = {
                    "schema_version": "0",
                    "workspace_id": new_uuid(),
                    "community_name": community_name,
                    "created_at": utc_now(),
                    "created_by": f"cogov_toolkit {__version__}",
                }
                conn.executemany(f"INSERT INTO {META_TABLE}(key, value) VALUES (?, ?)", meta.items())
            _attach_private(conn, private)
            _migrate(conn, 0)
        finally:
            conn.close()
        return cls.open(path, backups=0)

    @classmethod
    def open(
        cls,
        path: str | os.PathLike,
        *,
        backups: int | BackupPolicy = DEFAULT_BACKUPS,
        no_private_data: bool = False,
        upgrade: bool = False,
    ) -> GpkgWorkspace:
        """Open an existing workspace (checked first, nothing written); an older one is migrated only on request.

        Parameters
        ----------
        path : str or PathLike
            The ``.gpkg`` file; its private file ``<name>.private.sqlite`` must be beside it.
        backups : int or BackupPolicy
            How many backup pairs to keep in the user's data folder (0: take none),
            or a :class:`~cogov_toolkit.storage.gpkg.backups.BackupPolicy`.
        no_private_data : bool
            Say explicitly that this copy has no private file (e.g. a copy sent
            to a designer): it opens with an empty private side, and any write
            of personal data is refused. A shared copy is marked and needs no flag.
        upgrade : bool
            A workspace of an older schema is migrated only with ``upgrade=True``
            (after a backup, taken even when ``backups`` is 0); otherwise it raises
            WorkspaceUpgradeNeededError and the file is left as it was: a Run All
            never upgrades a planner's workspace silently.

        Raises
        ------
        NotAWorkspaceError, DamagedWorkspaceError, PrivateFileMissingError, WorkspaceVersionError,
        WorkspaceUpgradeNeededError
        """
        path = Path(path)
        policy = BackupPolicy.of(backups)
        private = private_path_for(path)
        _recover_hot_journals(path, private)  # a write killed mid-commit is rolled back before anything is judged
        _check_is_workspace(path)
        _check_header(path, path, "workspace")
        verified = _verified_state(path, private)
        conn = _connect(path)
        try:
            if not verified:
                _quick_check(conn, "main", path)
            found = _stored_version(conn, path)
            supported = schema_version()
            if found > supported:
                raise WorkspaceVersionError(file=path, found=found, supported=supported)
            marked = _meta_value(conn, NO_PRIVATE_DATA_KEY) == "none"
            private_data = not (no_private_data or marked)
            if private_data:
                if not private.exists():
                    raise PrivateFileMissingError(file=path, private=private.name)
                _check_header(private, path, "private")
                _make_owner_only(private)
                _attach_private(conn, private)
                if not verified:
                    _quick_check(conn, "private", path)
            else:
                _attach_private(conn, None)
                with _transaction(conn):
                    create_private_tables(conn)  # in memory: nothing is written to disk
            if not verified:
                _remember_verified(path, private if private_data else None)
            if found < supported:
                if not upgrade:
                    raise WorkspaceUpgradeNeededError(file=path, found=found, supported=supported)
                _take_backup(
                    conn,
                    path,
                    private if private_data else None,
                    policy if policy.enabled else BackupPolicy.of(DEFAULT_BACKUPS),
                )
                _migrate(conn, found)
        except BaseException:
            conn.close()
            raise
        return cls(path, conn, policy=policy, private_data=private_data)

    def close(self) -> None:
        """Close the workspace, taking a backup first when one is due; the .gpkg is then complete on its own.

        A backup that fails (a full disk …) does not keep the workspace from
        closing: it is reported as a :class:`~cogov_toolkit.errors.BackupWarning`.
        """
        thread = self._backup_thread
        if thread is not None:
            thread.join()
        with self._lock:
            if self._conn is None:
                return
            try:
                if self._wrote_any:
                    self._remove_stale_super_journals()
                    _remember_verified(self.path, self.private_path if self.private_data else None)
                if self._backup_due(closing=True):
                    self._backup_with(self._conn)
            except Exception as exc:  # noqa: BLE001 - the workspace must still close
                warnings.warn(BackupWarning(detail=type(exc).__name__), stacklevel=2)
            finally:
                self._conn.close()
                self._conn = None  # type: ignore[assignment]

    def __enter__(self) -> GpkgWorkspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"GpkgWorkspace({str(self.path)!r}, community={self.community_name!r})"

    @property
    def connection(self) -> sqlite3.Connection:
        """The open SQLite connection (raises once the workspace is closed)."""
        if self._conn is None:
            raise WorkspaceError("workspace.closed", file=self.path)
        return self._conn

    # ------------------------------------------------------------------ transactions
    @contextlib.contextmanager
    def transaction(self) -> Iterator[GpkgWorkspace]:
        """Group several writes into one durable transaction: all of them are stored, or none.

        >>> with ws.transaction():                       # doctest: +SKIP
        ...     ws.add("demand_events", event)
        ...     ws.update("demands", uuid, {"status": "assigned"})
        """
        with self._lock:
            if self._in_transaction:  # nested: the outer transaction decides
                yield self
                return
            with _transaction(self.connection):
                self._in_transaction = True
                try:
                    yield self
                finally:
                    self._in_transaction = False
            self._committed()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write: its own durable transaction, or part of the caller's :meth:`transaction`."""
        with self._lock:
            if self._in_transaction:
                yield self.connection
            else:
                with _transaction(self.connection) as conn:
                    yield conn
                self._committed()

    def _remove_stale_super_journals(self) -> None:
        """Delete a super-journal (``<name>.gpkg-mj…``) that a process killed at the very end of a commit left behind.

        Only while this connection holds the write lock on both files (no other
        process can be committing) and after reading both (so SQLite has rolled
        back any hot journal); and only when no journal of either file is left,
        so the deleted file is referenced by nothing. It holds file names only.
        """
        stale = list(self.path.parent.glob(f"{glob_escape(self.path.name)}-mj*"))
        if not stale or not self.private_data:
            return
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(f"SELECT count(*) FROM main.{META_TABLE}").fetchone()
            conn.execute("SELECT count(*) FROM private.sqlite_master").fetchone()
            journals = [p.with_name(p.name + "-journal") for p in (self.path, self.private_path)]
            if not any(j.exists() for j in journals):
                for file in stale:
                    file.unlink(missing_ok=True)
        finally:
            conn.execute("ROLLBACK")

    # ------------------------------------------------------------------ backups
    def _committed(self) -> None:
        """After a durable commit: remember it, and start a background backup when one is due."""
        self._written = True
        self._wrote_any = True
        if self._backup_due(closing=False) and (self._backup_thread is None or not self._backup_thread.is_alive()):
            self._backup_thread = threading.Thread(target=self._background_backup, name="cogov-backup", daemon=True)
            self._backup_thread.start()

    def _backup_due(self, *, closing: bool) -> bool:
        """True when a backup should be taken now: something was written, and the newest backup is old enough.

        At close a small workspace is always copied after a write (it costs
        milliseconds); a large one, like every workspace while open, at most
        every ``every_minutes``.
        """
        if not self._policy.enabled or not self._written or not self.private_data:
            return False
        if self._last_backup_at is None:
            newest = backup_files.newest_backup(self.path)
            if newest is not None:
                age = (dt.datetime.now(dt.UTC) - newest.taken_at).total_seconds()
                self._last_backup_at = time.monotonic() - max(age, 0.0)
            else:
                self._last_backup_at = float("-inf")
        if closing and self._pair_size() <= self._policy.small_bytes:
            return True
        return time.monotonic() - self._last_backup_at >= self._policy.every_minutes * 60

    def _pair_size(self) -> int:
        size = self.path.stat().st_size
        if self.private_data and self.private_path.exists():
            size += self.private_path.stat().st_size
        return size

    def _backup_with(self, conn: sqlite3.Connection) -> Backup:
        """Take a backup through ``conn`` (the workspace's own, under its lock) and remember when."""
        backup = _take_backup(conn, self.path, self.private_path if self.private_data else None, self._policy)
        self._written = False
        self._last_backup_at = time.monotonic()
        return backup

    def _background_backup(self) -> None:
        """Take a backup through a read-only connection of its own, so writes in this process go on meanwhile."""
        try:
            self._written = False
            self._last_backup_at = time.monotonic()
            backup_files.backup_path_now(
                self.path,
                self.private_path,
                workspace_id=self.workspace_id,
                community=self.community_name,
                policy=self._policy,
                tables=(*RECORD_TABLES, *LAYERS),
            )
        except Exception as exc:  # noqa: BLE001 - reported, never raised into the writer
            self._written = True
            warnings.warn(BackupWarning(detail=type(exc).__name__), stacklevel=1)

    def backup(self, keep: int | None = None) -> Path:
        """Take a backup pair now (workspace and private file) and return the workspace copy's path."""
        policy = self._policy if keep is None else BackupPolicy(keep=keep)
        if not policy.enabled:
            policy = BackupPolicy()
        with self._lock:
            backup = _take_backup(self.connection, self.path, self.private_path if self.private_data else None, policy)
            self._written = False
            self._last_backup_at = time.monotonic()
        return backup.workspace

    # ------------------------------------------------------------------ records
    def add(
        self,
        table: str,
        values: Mapping[str, Any],
        *,
        private: Mapping[str, Mapping[str, Any]] | None = None,
        idempotency_key: str | None = None,
    ) -> str:
        """Store one record durably and return its uuid.

        ``private`` maps private tables to the personal part of this record, e.g.
        ``{"ballot_links": {"household_id": "H0001", "vote_id": "V01"}}``; the
        record's uuid is filled into the private row's key column. Everything
        commits together or not at all. With an ``idempotency_key`` already
        stored, nothing new is written and the earlier record's uuid is returned,
        so a double tap or a retried submit saves once.
        """
        return self.add_many(
            table, [values], private=[private] if private else None, idempotency_keys=[idempotency_key]
        )[0]

    def add_many(
        self,
        table: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        private: Iterable[Mapping[str, Mapping[str, Any]] | None] | None = None,
        idempotency_keys: Iterable[str | None] | None = None,
        private_rows: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
    ) -> list[str]:
        """Store many records in one durable transaction and return their uuids (in order).

        ``private`` gives each record's linked private rows (see :meth:`add`);
        ``private_rows`` adds unlinked private rows (e.g. ``people`` for an
        imported roster) in the same transaction.
        """
        spec = _record_table(table)
        rows = list(rows)
        privates = list(private) if private is not None else [None] * len(rows)
        keys = list(idempotency_keys) if idempotency_keys is not None else [None] * len(rows)
        if not (len(privates) == len(keys) == len(rows)):
            raise ValueError("private and idempotency_keys must have one entry per row")
        prepared = [normalise_record(spec, row) for row in rows]
        private_prepared = [self._prepare_private(table, p) for p in privates]
        extra_private = {name: self._prepare_rows(name, rows_) for name, rows_ in (private_rows or {}).items()}
        if not self.private_data and (any(private_prepared) or any(extra_private.values())):
            raise WorkspaceError("workspace.no_private_side", file=self.path)
        # a key that names a household (a ballot's) is kept with the private link, never in the .gpkg
        key_table = spec.private_keys
        key_column = PRIVATE_TABLES[key_table].columns[0].name if key_table else None
        now = utc_now()
        uuids: list[str] = []
        with self._write() as conn:
            for values, links, key in zip(prepared, private_prepared, keys, strict=True):
                if key is not None:
                    if key_table:
                        sql = f'SELECT "{key_column}" FROM private."{key_table}" WHERE idempotency_key = ?'
                    else:
                        sql = f'SELECT uuid FROM main."{table}" WHERE idempotency_key = ?'
                    hit = conn.execute(sql, (key,)).fetchone()
                    if hit:
                        uuids.append(hit[0])
                        continue
                record_uuid = new_uuid()
                system = {
                    "uuid": record_uuid,
                    "created_at": now,
                    "updated_at": now,
                    "origin": self.workspace_id,
                    "idempotency_key": None if key_table else key,
                }
                _insert(conn, "main", table, {**system, **values}, spec)
                for private_table, private_values in links.items():
                    pspec = PRIVATE_TABLES[private_table]
                    private_row = {**private_values, pspec.columns[0].name: record_uuid}
                    private_row = {"uuid": new_uuid(), "created_at": now, "updated_at": now, **private_row}
                    if private_table == key_table:
                        private_row["idempotency_key"] = key
                    _insert(conn, "private", private_table, private_row, pspec)
                uuids.append(record_uuid)
            for private_table, values_list in extra_private.items():
                for values in values_list:
                    system = {"uuid": new_uuid(), "created_at": now, "updated_at": now}
                    _insert(conn, "private", private_table, {**system, **values}, PRIVATE_TABLES[private_table])
        return uuids

    def add_private(self, table: str, rows: Iterable[Mapping[str, Any]]) -> int:
        """Store rows of a private table (e.g. ``people``) durably; return how many were written.

        A row may bring its own ``uuid`` (so the caller knows it); otherwise one is made.
        """
        rows = list(rows)
        given = [row.get("uuid") for row in rows]
        prepared = self._prepare_rows(table, rows)
        if prepared and not self.private_data:
            raise WorkspaceError("workspace.no_private_side", file=self.path)
        now = utc_now()
        with self._write() as conn:
            for values, uuid in zip(prepared, given, strict=True):
                system = {"uuid": uuid or new_uuid(), "created_at": now, "updated_at": now}
                _insert(conn, "private", table, {**system, **values}, PRIVATE_TABLES[table])
        return len(prepared)

    def update(self, table: str, record_uuid: str, changes: Mapping[str, Any]) -> None:
        """Change fields of one record durably (updated_at is set); unknown uuid raises RecordError."""
        spec = _record_table(table)
        current = self.get(table, record_uuid)
        merged = normalise_record(spec, {**{c: current[c] for c in spec.column_names}, **changes})
        changed = {name: merged[name] for name in changes}
        assignments = ", ".join(f'"{name}" = ?' for name in changed)
        with self._write() as conn:
            conn.execute(
                f'UPDATE main."{table}" SET {assignments}, updated_at = ? WHERE uuid = ?',
                (*changed.values(), utc_now(), record_uuid),
            )

    def update_private(self, table: str, record_uuid: str, changes: Mapping[str, Any]) -> None:
        """Change fields of one private row durably (updated_at is set); unknown uuid raises RecordError."""
        spec = _private_table(table)
        with self._lock:
            cursor = self.connection.execute(f'SELECT * FROM private."{table}" WHERE uuid = ?', (record_uuid,))
            row = cursor.fetchone()
            if row is None:
                raise RecordError("record.not_found", table=table, uuid=record_uuid)
            current = dict(zip([d[0] for d in cursor.description], row, strict=True))
        merged = normalise_record(spec, {**{c: current[c] for c in spec.column_names}, **changes})
        changed = {name: merged[name] for name in changes}
        assignments = ", ".join(f'"{name}" = ?' for name in changed)
        with self._write() as conn:
            conn.execute(
                f'UPDATE private."{table}" SET {assignments}, updated_at = ? WHERE uuid = ?',
                (*changed.values(), utc_now(), record_uuid),
            )

    def erase_household(self, household_id: str) -> tuple[dict[str, int], int]:
        """Delete every private row naming ``household_id``, here and in every backup; return the counts.

        Returns (rows deleted per private table, rows deleted in backups).
        Deleted rows are overwritten (``secure_delete``); backup copies are VACUUMed.
        """
        from cogov_toolkit.core.privacy import HOUSEHOLD_COLUMNS

        statements = [
            (f'DELETE FROM "{table}" WHERE "{column}" = ?', (household_id,))
            for table, column in HOUSEHOLD_COLUMNS.items()
        ]
        counts: dict[str, int] = {}
        with self._write() as conn:
            for (sql, params), table in zip(statements, HOUSEHOLD_COLUMNS, strict=True):
                counts[table] = conn.execute(sql.replace("DELETE FROM ", "DELETE FROM private.", 1), params).rowcount
        in_backups = backup_files.erase_in_backups(self.path, statements)
        return counts, in_backups

    def get(self, table: str, record_uuid: str) -> dict[str, Any]:
        """Return one record as a dict; an unknown uuid raises RecordError."""
        _record_table(table)
        with self._lock:
            cursor = self.connection.execute(f'SELECT * FROM main."{table}" WHERE uuid = ?', (record_uuid,))
            row = cursor.fetchone()
            if row is None:
                raise RecordError("record.not_found", table=table, uuid=record_uuid)
            return dict(zip([d[0] for d in cursor.description], row, strict=True))

    def find(self, table: str, key: Any) -> dict[str, Any] | None:
        """Return the record whose business key (``RecordTable.key``) is ``key``, or None (one indexed lookup)."""
        spec = _record_table(table)
        if spec.key is None:
            raise RecordError("record.no_key", table=table)
        with self._lock:
            cursor = self.connection.execute(
                f'SELECT * FROM main."{table}" WHERE "{spec.key}" = ? ORDER BY fid DESC LIMIT 1', (_plain(key),)
            )
            row = cursor.fetchone()
            return None if row is None else dict(zip([d[0] for d in cursor.description], row, strict=True))

    def count(self, table: str, where: Mapping[str, Any] | None = None) -> int:
        """Return the number of records (or features) in a table or layer, of those matching ``where`` if given."""
        allowed = _layer_columns(table) if table in LAYERS else _table_columns(_record_table(table))
        clause, params = _where_sql(table, where, allowed)
        with self._lock:
            return self.connection.execute(f'SELECT count(*) FROM main."{table}"{clause}', params).fetchone()[0]

    def records(
        self, table: str, where: Mapping[str, Any] | None = None, *, columns: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """Return the records of a table as a DataFrame (system columns included), in stored order.

        ``where`` selects by column (an indexed lookup for the columns the table
        declares in ``indexes``); ``columns`` reads only those. A shared copy also
        answers for its summary tables (``vote_totals``, ``evaluation_summaries``,
        ``household_totals``).
        """
        if table in SHARED_SUMMARIES and self._has_table(table):
            spec = SHARED_SUMMARIES[table]
        else:
            spec = _record_table(table)
        return self._select("main", table, _table_columns(spec), where, columns, "fid")

    def column_values(self, table: str, column: str) -> list[Any]:
        """Return one column of every record or feature, in stored order (e.g. every demand id)."""
        allowed = _layer_columns(table) if table in LAYERS else _table_columns(_record_table(table))
        _where_sql(table, {column: None}, allowed)  # checks the name
        with self._lock:
            return [r[0] for r in self.connection.execute(f'SELECT "{column}" FROM main."{table}" ORDER BY fid')]

    def max_number(self, table: str, column: str, prefix: str) -> int | None:
        """Return the highest number of the ids ``prefix`` + digits in ``column``, None when there is none.

        For a declared numbered id (``RecordTable.numbered``) SQLite answers from
        the partial index on the number (one index entry); another column is scanned.
        """
        spec = _record_table(table)
        _where_sql(table, {column: None}, _table_columns(spec))  # checks the name
        number, condition = numbered_sql(column, prefix)
        # named, or SQLite may walk the key index over every id that starts with the prefix
        indexed = f' INDEXED BY "{table}_{column}_number"' if (column, prefix) in spec.numbered else ""
        with self._lock:
            found = self.connection.execute(
                f'SELECT max({number}) FROM main."{table}"{indexed} WHERE {condition}'
            ).fetchone()
        return None if found[0] is None else int(found[0])

    def private_records(
        self, table: str, where: Mapping[str, Any] | None = None, *, columns: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """Return rows of a private table (personal data: handle with care, never publish)."""
        return self._select("private", table, _table_columns(_private_table(table)), where, columns, "rowid")

    def _select(
        self,
        schema: str,
        table: str,
        allowed: set[str],
        where: Mapping[str, Any] | None,
        columns: Sequence[str] | None,
        order: str,
    ) -> pd.DataFrame:
        import pandas as pd

        clause, params = _where_sql(table, where, allowed)
        if columns is None:
            names = "*"
        else:
            _where_sql(table, dict.fromkeys(columns), allowed)  # checks the names
            names = ", ".join(f'"{c}"' for c in columns)
        with self._lock:
            return pd.read_sql_query(
                f'SELECT {names} FROM {schema}."{table}"{clause} ORDER BY {order}', self.connection, params=params
            )

    def _has_table(self, table: str) -> bool:
        with self._lock:
            query = "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?"
            return self.connection.execute(query, (table,)).fetchone() is not None

    def private_strings_gate(self) -> PublicationGate:
        """Return the publication gate built from this workspace's private tables (core.privacy)."""
        import pandas as pd

        with self._lock:
            private = {
                name: pd.read_sql_query(f'SELECT * FROM private."{name}"', self.connection) for name in PRIVATE_TABLES
            }
            households = [r[0] for r in self.connection.execute("SELECT household_id FROM main.households")]
        return PublicationGate.from_tables(private, household_ids=households)

    @staticmethod
    def _prepare_rows(table: str, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        spec = _private_table(table)
        return [normalise_record(spec, row) for row in rows]

    @staticmethod
    def _prepare_private(table: str, links: Mapping[str, Mapping[str, Any]] | None) -> dict[str, dict[str, Any]]:
        out = {}
        for private_table, values in (links or {}).items():
            spec = _private_table(private_table)
            if spec.links_to != table:
                raise RecordError("record.private_link", table=private_table, record_table=table)
            key_column = spec.columns[0].name
            out[private_table] = normalise_record(spec, {**values, key_column: "pending"})
            out[private_table].pop(key_column)
        return out

    # ------------------------------------------------------------------ layers
    def write_layer(self, kind: str, frame: gpd.GeoDataFrame) -> int:
        """Replace a spatial layer's features with ``frame`` (WGS-84) in one durable transaction.

        Returns the number of features written. Columns are the layer's declared
        ones; anything else is ignored, so personal columns can never slip in.
        """
        spec = _layer(kind)
        if frame.crs is not None and frame.crs.to_epsg() != 4326:
            frame = frame.to_crs(4326)
        columns = [c.name for c in spec.columns]
        missing = [c.name for c in spec.columns if c.required and c.name not in frame.columns]
        if missing:
            raise RecordError("record.layer_columns", table=kind, columns="、".join(missing))
        geometries = frame.geometry.array
        if spec.geometry_type in ("MultiPolygon", "MultiLineString"):  # the declared type: one-part multis
            geometries = [_stored_geometry(spec, g) for g in geometries]
        blobs = gpkg_binary.encode_many(geometries, WGS84_SRS_ID)
        rows = []
        for blob, values in zip(
            blobs, frame[[c for c in columns if c in frame.columns]].to_dict("records"), strict=True
        ):
            record = {name: _plain(values.get(name)) for name in columns}
            rows.append((blob, *record.values()))
        names = ", ".join(f'"{c}"' for c in (GEOMETRY_COLUMN, *columns))
        marks = ", ".join("?" for _ in range(len(columns) + 1))
        bounds = frame.total_bounds if len(frame) else (None,) * 4
        with self._write() as conn:
            conn.execute(f'DELETE FROM main."{kind}"')
            conn.executemany(f'INSERT INTO main."{kind}" ({names}) VALUES ({marks})', rows)
            conn.execute(
                "UPDATE gpkg_contents SET last_change = ?, min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?",
                (utc_now(), *(_plain(b) for b in bounds), kind),
            )
        return len(rows)

    def read_layer(self, kind: str, where: Mapping[str, Any] | None = None) -> gpd.GeoDataFrame:
        """Return a spatial layer (its features matching ``where`` if given) as a GeoDataFrame in WGS-84."""
        import geopandas as gpd

        spec = _layer(kind)
        columns = [c.name for c in spec.columns]
        frame = self._select("main", kind, _layer_columns(kind), where, None, "fid")
        geometry = gpkg_binary.decode_many(frame.pop(GEOMETRY_COLUMN))
        return gpd.GeoDataFrame(frame[["fid", *columns]], geometry=geometry, crs="EPSG:4326")

    def layer_records(
        self, kind: str, where: Mapping[str, Any] | None = None, *, columns: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """Return a layer's attributes without decoding any geometry (``fid`` and the declared columns, or ``columns``)."""
        spec = _layer(kind)
        wanted = ["fid", *(c.name for c in spec.columns)] if columns is None else list(columns)
        return self._select("main", kind, _layer_columns(kind), where, wanted, "fid")

    # ------------------------------------------------------------------ features, one at a time
    def get_feature(self, kind: str, fid: int) -> Feature:
        """Return one feature by its row id; an unknown id raises RecordError."""
        return features.get_feature(self, kind, fid)

    def feature_ids(self, kind: str, *, except_fid: int | None = None) -> set[str]:
        """Return the business ids used in a layer (leaving out one feature, e.g. the one being edited)."""
        return features.feature_ids(self, kind, except_fid=except_fid)

    def next_number(self, kind: str) -> int:
        """Return the next free feature number of a layer (one above the highest)."""
        return features.next_number(self, kind)

    def insert_feature(self, kind: str, geometry: shapely.Geometry, values: Mapping[str, Any]) -> Feature:
        """Check and store one new feature durably; return it with its new row id."""
        return features.insert_feature(self, kind, geometry, values)

    def restore_feature(self, feature: Feature) -> Feature:
        """Put a deleted feature back under its old row id (what undo of a delete does)."""
        return features.restore_feature(self, feature)

    def update_feature(
        self,
        kind: str,
        fid: int,
        *,
        geometry: shapely.Geometry | None = None,
        values: Mapping[str, Any] | None = None,
    ) -> Feature:
        """Change one feature's geometry and/or attributes durably; return it as it was before."""
        return features.update_feature(self, kind, fid, geometry=geometry, values=values)

    def delete_feature(self, kind: str, fid: int) -> Feature:
        """Delete one feature durably; return it as it was (so undo can restore it)."""
        return features.delete_feature(self, kind, fid)

    # ------------------------------------------------------------------ overview, sharing
    def counts(self) -> dict[str, int]:
        """Return the number of features or records of every layer and record table."""
        return {name: self.count(name) for name in (*LAYERS, *RECORD_TABLES)}

    def share_copy(self, destination: str | os.PathLike) -> Path:
        """Write a shareable copy of the workspace and return its path: nothing private, no row per person.

        What the copy holds is decided by the publication gate (core.privacy),
        built from the private file, and it cannot be skipped:

        * nothing of the private file;
        * no per-person row: ballots, evaluation responses and the households
          roll are replaced by their summaries (``vote_totals``,
          ``evaluation_summaries`` with groups under 5 suppressed,
          complementary suppression included, ``household_totals``);
        * every free-text cell masked (phones and ID numbers, rooms,
          household ids, private names; a vote's options keep only names
          consented to a nominee list); no idempotency key and no photo path;
        * VACUUMed, so that no deleted row lingers in free pages.

        The copy is marked as having no private data, so it opens on its own.
        """
        destination = Path(destination)
        if destination.resolve() in (self.path.resolve(), self.private_path.resolve()):
            raise WorkspaceError("workspace.share_onto_itself", file=destination)
        destination.parent.mkdir(parents=True, exist_ok=True)
        tmp = destination.with_name(destination.name + ".part")
        tmp.unlink(missing_ok=True)
        with self._lock:
            gate = self.private_strings_gate()
            target = sqlite3.connect(tmp, isolation_level=None)
            try:
                # backup() copies only the main schema: the attached private file stays behind
                self.connection.backup(target, name="main")
            except BaseException:
                target.close()
                tmp.unlink(missing_ok=True)
                raise
        try:
            with _transaction(target):
                _share_view(target, gate)
            target.execute("VACUUM")
        finally:
            target.close()
        backup_files.fsync_file(tmp)
        os.replace(tmp, destination)
        backup_files.fsync_dir(destination.parent)
        return destination


def _share_view(conn: sqlite3.Connection, gate: PublicationGate) -> None:
    """Turn a plain copy of the .gpkg into its shared view (see :meth:`GpkgWorkspace.share_copy`)."""
    import pandas as pd

    from cogov_toolkit.core.privacy import Purpose, household_totals, response_summaries

    create_summary_tables(conn)
    now = utc_now()
    summaries = {
        "vote_totals": pd.read_sql_query(
            "SELECT vote_id, channel, count(*) AS ballots FROM ballots GROUP BY vote_id, channel ORDER BY 1, 2", conn
        ),
        "evaluation_summaries": response_summaries(
            pd.read_sql_query("SELECT project_id, phase, evaluator_role, answers FROM evaluations", conn)
        ),
        "household_totals": household_totals(pd.read_sql_query("SELECT * FROM households", conn)),
    }
    for name, frame in summaries.items():
        spec = SHARED_SUMMARIES[name]
        for values in frame.to_dict("records"):
            row = {c.name: _plain(values.get(c.name)) for c in spec.columns}
            _insert(conn, "main", name, {"uuid": new_uuid(), "created_at": now, "updated_at": now, **row}, spec)
    for name, spec in RECORD_TABLES.items():
        if spec.shared == SHARED_SUMMARY:
            conn.execute(f'DELETE FROM main."{name}"')
            continue
        conn.execute(f'UPDATE main."{name}" SET idempotency_key = NULL')
        table_gate = gate.for_purpose(Purpose.NOMINEE_LIST) if name == "votes" else gate
        columns = [c.name for c in spec.columns if _free_text(c) or (name, c.name) == ("votes", "options")]
        _mask_rows(conn, name, "uuid", columns, table_gate)
    conn.execute("UPDATE main.adoption_care_log SET photo_path = NULL")  # photos may show people
    for name, spec in LAYERS.items():
        _mask_rows(conn, name, "fid", [c.name for c in spec.columns if _free_text(c)], gate)
    conn.execute(
        f"INSERT OR REPLACE INTO {META_TABLE}(key, value) VALUES (?, 'none'), ('shared_at', ?)",
        (NO_PRIVATE_DATA_KEY, now),
    )


def _free_text(column: Any) -> bool:
    """True for a column planners or residents type free text into (not an id, a code or a number)."""
    return column.dtype == "text" and column.enum is None and not column.name.endswith("_id")


def _mask_rows(conn: sqlite3.Connection, table: str, key: str, columns: list[str], gate: PublicationGate) -> None:
    if not columns:
        return
    names = ", ".join(f'"{c}"' for c in columns)
    changed = []
    for row in conn.execute(f'SELECT "{key}", {names} FROM main."{table}"').fetchall():
        masked = [gate.mask(v) if isinstance(v, str) else v for v in row[1:]]
        if masked != list(row[1:]):
            changed.append((*masked, row[0]))
    if changed:
        assignments = ", ".join(f'"{c}" = ?' for c in columns)
        conn.executemany(f'UPDATE main."{table}" SET {assignments} WHERE "{key}" = ?', changed)


# ---------------------------------------------------------------------- helpers
def _connect(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = EXTRA")
    except sqlite3.DatabaseError as exc:
        raise NotAWorkspaceError(file=path, detail=str(exc)) from None
    return conn


def _attach_private(conn: sqlite3.Connection, private_path: Path | None) -> None:
    """Attach the private file as ``private`` (None: an empty in-memory side, for a copy without private data).

    ``secure_delete``: a deleted name or phone is overwritten, not left in a free page.
    """
    conn.execute("ATTACH DATABASE ? AS private", (str(private_path) if private_path is not None else ":memory:",))
    conn.execute("PRAGMA private.journal_mode = DELETE")
    conn.execute("PRAGMA private.synchronous = EXTRA")
    conn.execute("PRAGMA private.secure_delete = ON")


def _create_private_file(path: Path) -> None:
    """Create an empty private file readable and writable by the user only (0600), before SQLite touches it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def _make_owner_only(path: Path) -> None:
    """Make a private file 0600 (an older toolkit created it 0644); the content is not touched."""
    if os.name == "posix" and not backup_files.is_private_mode(path):
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)


def _meta_value(conn: sqlite3.Connection, key: str) -> str | None:
    try:
        row = conn.execute(f"SELECT value FROM main.{META_TABLE} WHERE key = ?", (key,)).fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def _take_backup(conn: sqlite3.Connection, path: Path, private: Path | None, policy: BackupPolicy) -> Backup:
    meta = dict(conn.execute(f"SELECT key, value FROM main.{META_TABLE}").fetchall())
    return backup_files.take_backup(
        conn,
        path,
        workspace_id=meta.get("workspace_id", ""),
        community=meta.get("community_name", ""),
        private_path=private,
        policy=policy,
        tables=(*RECORD_TABLES, *LAYERS),
    )


def _damaged(path: Path, detail: str, part: str = "workspace") -> DamagedWorkspaceError:
    """Return the error for a damaged file, naming the newest sound backup and how to restore it."""
    from cogov_toolkit import i18n

    newest = backup_files.newest_backup(path)
    shown = i18n.t(f"backup.part.{part}")
    detail = " ".join(detail.replace("*", "").split())[:80]  # SQLite's report, on one line
    if newest is None:
        return DamagedWorkspaceError("workspace.damaged_no_backup", file=path, detail=detail, part=shown)
    return DamagedWorkspaceError(
        file=path,
        detail=detail,
        part=shown,
        path=str(path),
        backup_time=newest.local_time(),
        backup=str(newest.folder),
    )


def _check_header(path: Path, workspace: Path, part: str) -> None:
    """Refuse a file whose header does not fit its size: cut short, zeroed, or not a whole number of pages.

    SQLite keeps the number of pages in the header (valid when the
    "version-valid-for" number equals the change counter); a file shorter than
    that, or not a whole number of pages, was cut or overwritten.
    """
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(100)
    if len(head) < 100 or not head.startswith(_SQLITE_MAGIC):
        raise _damaged(workspace, "header", part)
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise _damaged(workspace, "page size", part)
    pages = int.from_bytes(head[28:32], "big")
    valid = head[92:96] == head[24:28]
    if size % page_size or (valid and pages and size < pages * page_size):
        raise _damaged(workspace, "size", part)


def _recover_hot_journals(path: Path, private: Path) -> None:
    """Let SQLite roll back a transaction that a killed process left in a journal, before the files are checked.

    Until then the file may look cut short (its header already promising pages
    not yet written); a first read rolls the journal back.
    """
    for file in (path, private):
        journal = file.with_name(file.name + "-journal")
        if file.exists() and journal.exists() and journal.stat().st_size > 0:
            conn = sqlite3.connect(file, timeout=BUSY_TIMEOUT_S)
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.DatabaseError:
                pass  # judged by the checks that follow
            finally:
                conn.close()


def _file_state(path: Path | None) -> list[int] | None:
    if path is None or not path.exists():
        return None
    info = path.stat()
    return [info.st_size, info.st_mtime_ns, backup_files.change_counter(path) or 0]


def _verified_marker(path: Path) -> Path:
    """Where the state of a workspace's files last known sound is kept (the user's cache folder, not the workspace)."""
    from cogov_toolkit._paths import user_cache_dir

    return user_cache_dir() / "verified" / (backup_files.backup_folder_for(path).name + ".json")


def _verified_state(path: Path, private: Path) -> bool:
    """True when both files are exactly as they were when last found sound (size, mtime, change counter).

    Then the whole-file ``quick_check`` (about a second for 600 MB) is not
    needed again; any change made outside this toolkit (a copy, an editor, a
    damaged disk that rewrites the file) changes the state and brings it back.
    """
    import json

    try:
        known = json.loads(_verified_marker(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return known == {"workspace": _file_state(path), "private": _file_state(private)}


def _remember_verified(path: Path, private: Path | None) -> None:
    import json

    marker = _verified_marker(path)
    with contextlib.suppress(OSError):
        marker.parent.mkdir(parents=True, exist_ok=True)
        state = {"workspace": _file_state(path), "private": _file_state(private)}
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(state, fh)


def _quick_check(conn: sqlite3.Connection, schema: str, workspace: Path) -> None:
    """Run SQLite's quick_check on one attached file; a damaged one raises DamagedWorkspaceError."""
    try:
        result = conn.execute(f"PRAGMA {schema}.quick_check(1)").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        result = str(exc)
    if result != "ok":
        raise _damaged(workspace, str(result)[:80], "workspace" if schema == "main" else "private")


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT; roll back on any error. Returns only after a durable commit."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _check_is_workspace(path: Path) -> None:
    """Refuse what is not a workspace; a file that has backups but no longer reads as one is damaged."""
    if not path.exists():
        raise WorkspaceError("workspace.missing", file=path)
    if path.is_dir():
        raise NotAWorkspaceError(file=path)
    with path.open("rb") as fh:
        head = fh.read(100)
    if head.startswith(_SQLITE_MAGIC) and int.from_bytes(head[68:72], "big") == GPKG_APPLICATION_ID:
        return
    if backup_files.newest_backup(path) is not None:  # it was a workspace: its start was overwritten or cut
        raise _damaged(path, "header")
    raise NotAWorkspaceError(file=path)


def _stored_version(conn: sqlite3.Connection, path: Path) -> int:
    try:
        row = conn.execute(f"SELECT value FROM main.{META_TABLE} WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError:
        row = None
    if row is None:
        raise NotAWorkspaceError(file=path)
    return int(row[0])


def _migrate(conn: sqlite3.Connection, found: int) -> None:
    """Run every migration above ``found``, each in its own transaction, recording the version."""
    for migration in MIGRATIONS:
        if migration.to_version <= found:
            continue
        with _transaction(conn):
            migration.apply(conn)
            conn.execute(
                f"UPDATE {META_TABLE} SET value = ? WHERE key = 'schema_version'", (str(migration.to_version),)
            )


def _record_table(table: str) -> RecordTable:
    spec = RECORD_TABLES.get(table)
    if spec is None:
        raise RecordError("record.unknown_table", table=table, tables="、".join(RECORD_TABLES))
    return spec


def _private_table(table: str) -> RecordTable:
    spec = PRIVATE_TABLES.get(table)
    if spec is None:
        raise RecordError("record.unknown_table", table=table, tables="、".join(PRIVATE_TABLES))
    return spec


def _table_columns(spec: RecordTable) -> set[str]:
    return {"fid", *(c.name for c in SYSTEM_COLUMNS), *spec.column_names}


def _layer_columns(kind: str) -> set[str]:
    return {"fid", GEOMETRY_COLUMN, *(c.name for c in _layer(kind).columns)}


def _where_sql(table: str, where: Mapping[str, Any] | None, allowed: set[str]) -> tuple[str, list[Any]]:
    """Return `` WHERE …`` and its parameters for a keyed selection (column names checked against the table)."""
    if not where:
        return "", []
    unknown = [name for name in where if name not in allowed]
    if unknown:
        raise RecordError("record.unknown_column", table=table, column="、".join(map(str, unknown)))
    parts, params = [], []
    for name, value in where.items():
        if value is None:
            parts.append(f'"{name}" IS NULL')
        elif isinstance(value, list | tuple | set | frozenset):
            values = [_plain(v) for v in value]
            if not values:
                parts.append("0")
                continue
            # a long list goes through json_each: one parameter, no limit on the number of values
            parts.append(f'"{name}" IN (SELECT value FROM json_each(?))')
            params.append(json.dumps(values, ensure_ascii=False))
        else:
            parts.append(f'"{name}" = ?')
            params.append(_plain(value))
    return " WHERE " + " AND ".join(parts), params


def _layer(kind: str) -> LayerKind:
    spec = LAYERS.get(kind)
    if spec is None:
        raise RecordError("record.unknown_layer", table=kind, tables="、".join(LAYERS))
    return spec


def _insert(conn: sqlite3.Connection, schema: str, table: str, row: Mapping[str, Any], spec: RecordTable) -> None:
    names = ", ".join(f'"{n}"' for n in row)
    marks = ", ".join("?" for _ in row)
    try:
        conn.execute(f'INSERT INTO {schema}."{table}" ({names}) VALUES ({marks})', tuple(row.values()))
    except sqlite3.IntegrityError:
        key = spec.key
        raise RecordError(
            "record.duplicate_key",
            problems=[Problem("record.duplicate_key_value", column=key, params={"value": row.get(key or "")})],
            table=table,
            key=key or "uuid",
            value=row.get(key or "uuid"),
        ) from None


def _plain(value: Any) -> Any:
    """Return a value SQLite can store (numpy scalars and pandas NA made plain)."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    try:
        if value != value:  # pandas NA
            return None
    except (TypeError, ValueError):
        return None
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def glob_escape(text: str) -> str:
    """Escape glob metacharacters in a file name part (community names may hold brackets)."""
    return re.sub(r"([\[\]*?])", r"[\1]", text)


__all__ = ["GpkgWorkspace", "private_path_for", "backup_dir_for", "GEOMETRY_COLUMN", "NO_PRIVATE_DATA_KEY"]
