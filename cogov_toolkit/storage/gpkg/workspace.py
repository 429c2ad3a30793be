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
  file beside the workspace (``<name>.private.sqlite``), ATTACHed to the same
  connection: a record and its private link commit atomically across the two
  files (SQLite's super-journal), yet the ``.gpkg`` alone carries none of it.
* On open, the workspace and its companion are copied into a rotating backup
  folder before anything (a migration included) can change them.

Writers in several processes are serialised by ``BEGIN IMMEDIATE`` with a busy
timeout, so concurrent saves queue instead of failing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shapely

from cogov_toolkit import __version__
from cogov_toolkit.core.features import _stored_geometry
from cogov_toolkit.core.schema import LAYERS, PRIVATE_TABLES, RECORD_TABLES, LayerKind, RecordTable
from cogov_toolkit.core.values import new_uuid, normalise_record, utc_now
from cogov_toolkit.errors import (
    NotAWorkspaceError,
    Problem,
    RecordError,
    WorkspaceError,
    WorkspaceVersionError,
)
from cogov_toolkit.storage.gpkg import binary as gpkg_binary
from cogov_toolkit.storage.gpkg import features
from cogov_toolkit.storage.gpkg.schema import (
    GPKG_APPLICATION_ID,
    META_TABLE,
    MIGRATIONS,
    WGS84_SRS_ID,
    create_base_tables,
    create_record_table,
    schema_version,
)

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from cogov_toolkit.core.features import Feature

_SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 120.0
DEFAULT_BACKUPS = 5
GEOMETRY_COLUMN = "geom"


def private_path_for(path: Path) -> Path:
    """Return the private companion file that goes with a workspace file."""
    return path.with_name(path.stem + ".private.sqlite")


def backup_dir_for(path: Path) -> Path:
    """Return the folder of rotating backups kept beside a workspace file."""
    return path.with_name(path.stem + ".backups")


class GpkgWorkspace:
    """One community's workspace: spatial layers and record tables in a GeoPackage.

    Open one with :meth:`open` or :meth:`create`; use it as a context manager
    (or call :meth:`close`) so the file is left complete and alone.
    """

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self.private_path = private_path_for(path)
        self._conn = connection
        self._lock = threading.RLock()
        self._in_transaction = False
        meta = dict(connection.execute(f"SELECT key, value FROM main.{META_TABLE}").fetchall())
        self.workspace_id: str = meta["workspace_id"]
        self.community_name: str = meta.get("community_name", "")

    # ------------------------------------------------------------------ opening
    @classmethod
    def create(cls, path: str | os.PathLike, community_name: str, *, overwrite: bool = False) -> GpkgWorkspace:
        """Create a new, empty workspace file (with every layer and table) and open it."""
        path = Path(path)
        if path.exists():
            if not overwrite:
                raise WorkspaceError("workspace.exists", file=path)
            path.unlink()
            private_path_for(path).unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
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
            _migrate(conn, 0)
        finally:
            conn.close()
        return cls.open(path, backups=0)

    @classmethod
    def open(cls, path: str | os.PathLike, *, backups: int = DEFAULT_BACKUPS) -> GpkgWorkspace:
        """Open an existing workspace, backing it up first and migrating it to this version.

        ``backups`` is how many rotating backups to keep beside the file (0: take none).
        """
        path = Path(path)
        _check_is_workspace(path)
        if backups:
            _rotate_backup(path, backups)
        conn = _connect(path)
        try:
            found = _stored_version(conn, path)
            supported = schema_version()
            if found > supported:
                raise WorkspaceVersionError(file=path, found=found, supported=supported)
            if found < supported:
                _migrate(conn, found)
            _attach_private(conn, private_path_for(path))
        except BaseException:
            conn.close()
            raise
        return cls(path, conn)

    def close(self) -> None:
        """Close the workspace; the .gpkg is then complete on its own (no side journal)."""
        with self._lock:
            if self._conn is not None:
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

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write: its own durable transaction, or part of the caller's :meth:`transaction`."""
        with self._lock:
            if self._in_transaction:
                yield self.connection
            else:
                with _transaction(self.connection) as conn:
                    yield conn

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
        now = utc_now()
        uuids: list[str] = []
        with self._write() as conn:
            for values, links, key in zip(prepared, private_prepared, keys, strict=True):
                if key is not None:
                    hit = conn.execute(f'SELECT uuid FROM main."{table}" WHERE idempotency_key = ?', (key,)).fetchone()
                    if hit:
                        uuids.append(hit[0])
                        continue
                record_uuid = new_uuid()
                system = {
                    "uuid": record_uuid,
                    "created_at": now,
                    "updated_at": now,
                    "origin": self.workspace_id,
                    "idempotency_key": key,
                }
                _insert(conn, "main", table, {**system, **values}, spec)
                for private_table, private_values in links.items():
                    pspec = PRIVATE_TABLES[private_table]
                    private_row = {**private_values, pspec.columns[0].name: record_uuid}
                    private_row = {"uuid": new_uuid(), "created_at": now, "updated_at": now, **private_row}
                    _insert(conn, "private", private_table, private_row, pspec)
                uuids.append(record_uuid)
            for private_table, values_list in extra_private.items():
                for values in values_list:
                    system = {"uuid": new_uuid(), "created_at": now, "updated_at": now}
                    _insert(conn, "private", private_table, {**system, **values}, PRIVATE_TABLES[private_table])
        return uuids

    def add_private(self, table: str, rows: Iterable[Mapping[str, Any]]) -> int:
        """Store rows of a private table (e.g. ``people``) durably; return how many were written."""
        prepared = self._prepare_rows(table, rows)
        now = utc_now()
        with self._write() as conn:
            for values in prepared:
                system = {"uuid": new_uuid(), "created_at": now, "updated_at": now}
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

    def get(self, table: str, record_uuid: str) -> dict[str, Any]:
        """Return one record as a dict; an unknown uuid raises RecordError."""
        _record_table(table)
        with self._lock:
            cursor = self.connection.execute(f'SELECT * FROM main."{table}" WHERE uuid = ?', (record_uuid,))
            row = cursor.fetchone()
            if row is None:
                raise RecordError("record.not_found", table=table, uuid=record_uuid)
            return dict(zip([d[0] for d in cursor.description], row, strict=True))

    def count(self, table: str) -> int:
        """Return the number of records (or features) in a table or layer."""
        if table not in RECORD_TABLES and table not in LAYERS:
            _record_table(table)
        with self._lock:
            return self.connection.execute(f'SELECT count(*) FROM main."{table}"').fetchone()[0]

    def records(self, table: str) -> pd.DataFrame:
        """Return every record of a table as a DataFrame (system columns included)."""
        import pandas as pd

        _record_table(table)
        with self._lock:
            return pd.read_sql_query(f'SELECT * FROM main."{table}" ORDER BY fid', self.connection)

    def private_records(self, table: str) -> pd.DataFrame:
        """Return a private table (personal data: handle with care, never publish)."""
        import pandas as pd

        _private_table(table)
        with self._lock:
            return pd.read_sql_query(f'SELECT * FROM private."{table}" ORDER BY rowid', self.connection)

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

    def read_layer(self, kind: str) -> gpd.GeoDataFrame:
        """Return a spatial layer as a GeoDataFrame in WGS-84 (EPSG:4326)."""
        import geopandas as gpd
        import pandas as pd

        spec = _layer(kind)
        columns = [c.name for c in spec.columns]
        with self._lock:
            frame = pd.read_sql_query(f'SELECT * FROM main."{kind}" ORDER BY fid', self.connection)
        geometry = gpkg_binary.decode_many(frame.pop(GEOMETRY_COLUMN))
        return gpd.GeoDataFrame(frame[["fid", *columns]], geometry=geometry, crs="EPSG:4326")

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
        """Write a shareable copy of the workspace (the .gpkg alone, compacted) and return its path.

        The copy holds every layer and record but nothing of the private
        companion file; it is VACUUMed so that no deleted row lingers in free pages.
        """
        destination = Path(destination)
        if destination.resolve() in (self.path.resolve(), self.private_path.resolve()):
            raise WorkspaceError("workspace.share_onto_itself", file=destination)
        destination.parent.mkdir(parents=True, exist_ok=True)
        tmp = destination.with_name(destination.name + ".part")
        tmp.unlink(missing_ok=True)
        with self._lock:
            target = sqlite3.connect(tmp)
            try:
                # backup() copies only the main schema: the attached private file stays behind
                self.connection.backup(target, name="main")
                target.execute("VACUUM")
                target.commit()
            finally:
                target.close()
        _fsync_file(tmp)
        os.replace(tmp, destination)
        _fsync_dir(destination.parent)
        return destination

    def backup(self, keep: int = DEFAULT_BACKUPS) -> Path:
        """Take a backup now (workspace and private file) and return the workspace copy's path."""
        return _rotate_backup(self.path, keep)


# ---------------------------------------------------------------------- helpers
def _connect(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = EXTRA")
    except sqlite3.DatabaseError as exc:
        raise NotAWorkspaceError(file=path, detail=str(exc)) from None
    return conn


def _attach_private(conn: sqlite3.Connection, private_path: Path) -> None:
    conn.execute("ATTACH DATABASE ? AS private", (str(private_path),))
    conn.execute("PRAGMA private.journal_mode = DELETE")
    conn.execute("PRAGMA private.synchronous = EXTRA")
    with _transaction(conn):
        for spec in PRIVATE_TABLES.values():
            create_record_table(conn, "private", spec, with_fid=False)


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
    if not path.exists():
        raise WorkspaceError("workspace.missing", file=path)
    if path.is_dir():
        raise NotAWorkspaceError(file=path)
    with path.open("rb") as fh:
        head = fh.read(100)
    if not head.startswith(_SQLITE_MAGIC):
        raise NotAWorkspaceError(file=path)
    if int.from_bytes(head[68:72], "big") != GPKG_APPLICATION_ID:
        raise NotAWorkspaceError(file=path)


def _stored_version(conn: sqlite3.Connection, path: Path) -> int:
    try:
        row = conn.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'").fetchone()
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


def _rotate_backup(path: Path, keep: int) -> Path:
    """Copy the workspace (and its private file) into the backup folder; keep the newest ``keep``."""
    folder = backup_dir_for(path)
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f") + f"-{os.getpid()}"
    target = folder / f"{path.stem}-{stamp}.gpkg"
    _sqlite_copy(path, target)
    private = private_path_for(path)
    if private.exists():
        _sqlite_copy(private, folder / f"{path.stem}-{stamp}.private.sqlite")
    copies = sorted(folder.glob(f"{glob_escape(path.stem)}-*.gpkg"))
    for old in copies[: max(0, len(copies) - keep)]:
        old.unlink(missing_ok=True)
        old.with_name(old.stem + ".private.sqlite").unlink(missing_ok=True)
    return target


def glob_escape(text: str) -> str:
    """Escape glob metacharacters in a file name part (community names may hold brackets)."""
    return re.sub(r"([\[\]*?])", r"[\1]", text)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy a SQLite file consistently (the backup API waits out concurrent writers)."""
    src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_S)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    _fsync_file(target)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


__all__ = ["GpkgWorkspace", "private_path_for", "backup_dir_for", "GEOMETRY_COLUMN"]
