"""A workspace held in memory, for tests: the same protocol as the GeoPackage, and a count of the rows it returns.

:class:`MemoryWorkspace` proves the seam (every workflow is written against
:class:`cogov_toolkit.storage.base.Workspace`, so it runs on a second backend)
and makes the cost of a workflow visible: :attr:`MemoryWorkspace.rows_read`
counts, per table and layer, every row a read handed back (``records``,
``private_records``, ``read_layer``, ``layer_records``, ``get``, ``find``,
``get_feature``), and :attr:`MemoryWorkspace.values_read` the cells of
``column_values``. A test that records one ballot in a workspace of 100,000
asserts that it read a handful of rows, not the table.

It keeps the rules a workflow relies on: records are checked by their schema,
business keys stay unique, idempotency keys save once, a record and its
private links are stored together, and a :meth:`transaction` stores all of its
writes or none. Lookups by a key or an indexed column
(``RecordTable.indexes``) go through an index, so a large table stays quick.
Nothing is durable: it is for tests, never for a planner's data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shapely

from cogov_toolkit.core.features import Feature, _record, _stored_geometry, check_feature
from cogov_toolkit.core.schema import LAYERS, PRIVATE_TABLES, RECORD_TABLES, SYSTEM_COLUMNS, RecordTable
from cogov_toolkit.core.values import new_uuid, normalise_record, utc_now
from cogov_toolkit.errors import RecordError, WorkspaceError

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

_SYSTEM = tuple(c.name for c in SYSTEM_COLUMNS)


class _Table:
    """Rows by uuid in stored order, with indexes on the key, the idempotency key and the declared lookup columns."""

    def __init__(self, spec: RecordTable, *, with_fid: bool = True) -> None:
        self.spec = spec
        self.with_fid = with_fid
        self.rows: dict[str, dict[str, Any]] = {}
        self.next_fid = 1
        indexed = {"uuid", "idempotency_key", *spec.indexes, *([spec.key] if spec.key else [])}
        self.index: dict[str, defaultdict[Any, dict[str, None]]] = {c: defaultdict(dict) for c in indexed}

    @property
    def columns(self) -> list[str]:
        return [*(["fid"] if self.with_fid else []), *_SYSTEM, *self.spec.column_names]

    def replace(self, row: dict[str, Any]) -> dict[str, Any]:
        """Put a changed row in place of the stored one (same position); return the old one."""
        old = self.rows[row["uuid"]]
        for column, index in self.index.items():
            index[old.get(column)].pop(row["uuid"], None)
            index[row.get(column)][row["uuid"]] = None
        self.rows[row["uuid"]] = row
        return old

    def insert(self, row: dict[str, Any]) -> None:
        self.rows[row["uuid"]] = row
        for column, index in self.index.items():
            index[row.get(column)][row["uuid"]] = None

    def remove(self, uuid: str) -> dict[str, Any]:
        row = self.rows.pop(uuid)
        for column, index in self.index.items():
            index[row.get(column)].pop(uuid, None)
        return row

    def select(self, where: Mapping[str, Any] | None) -> list[dict[str, Any]]:
        """Return the rows matching ``where``, through an index when one of its columns has one."""
        if not where:
            return list(self.rows.values())
        keyed = next((c for c in where if c in self.index), None)
        if keyed is None:
            candidates: Iterable[dict[str, Any]] = self.rows.values()
        else:
            wanted = where[keyed]
            values = wanted if isinstance(wanted, list | tuple | set | frozenset) else [wanted]
            uuids = [u for v in values for u in self.index[keyed].get(_stored(v), {})]
            candidates = sorted((self.rows[u] for u in dict.fromkeys(uuids)), key=lambda r: r["_seq"])
        return [row for row in candidates if _matches(row, where)]


class MemoryWorkspace:
    """One community's workspace in memory (tests only), counting the rows every read returns."""

    def __init__(self, community_name: str = "测试社区", *, path: str | os.PathLike = "memory.gpkg") -> None:
        self.path = Path(path)
        self.private_path = self.path.with_name(self.path.stem + ".private.sqlite")
        self.workspace_id = new_uuid()
        self.community_name = community_name
        self.private_data = True
        self._tables = {name: _Table(spec) for name, spec in RECORD_TABLES.items()}
        self._private = {name: _Table(spec, with_fid=False) for name, spec in PRIVATE_TABLES.items()}
        self._layers: dict[str, dict[int, tuple[shapely.Geometry, dict[str, Any]]]] = {kind: {} for kind in LAYERS}
        self._undo: list[Callable[[], None]] | None = None
        self._closed = False
        #: rows handed back by reads, per table or layer (private tables under their own names)
        self.rows_read: Counter[str] = Counter()
        #: cells handed back by :meth:`column_values`, per table or layer
        self.values_read: Counter[str] = Counter()

    @classmethod
    def copy_of(cls, source: Any) -> MemoryWorkspace:
        """Return an in-memory copy of another workspace: every layer, record and private row, uuids kept."""
        ws = cls(source.community_name, path=source.path)
        for kind in LAYERS:
            frame = source.read_layer(kind)
            if len(frame):
                ws.write_layer(kind, frame)
                ws._layers[kind] = dict(zip((int(f) for f in frame["fid"]), ws._layers[kind].values(), strict=True))
        for tables, read in ((ws._tables, source.records), (ws._private, source.private_records)):
            for name, target in tables.items():
                for row in read(name).to_dict("records"):
                    ws._insert(target, {k: v for k, v in row.items() if k != "fid"}, undo=None)
        ws.reset_counts()
        return ws

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        """Close the workspace; nothing more can be read or written through it."""
        self._closed = True

    def __enter__(self) -> MemoryWorkspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"MemoryWorkspace(community={self.community_name!r})"

    def reset_counts(self) -> None:
        """Forget the rows read so far (call it before the action a test measures)."""
        self.rows_read.clear()
        self.values_read.clear()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[MemoryWorkspace]:
        """Group several writes: all of them are stored, or none (an error rolls every one back)."""
        with self._write():
            yield self

    @contextlib.contextmanager
    def _write(self) -> Iterator[list[Callable[[], None]]]:
        self._check_open()
        if self._undo is not None:  # nested: the outer transaction decides
            yield self._undo
            return
        self._undo = []
        try:
            yield self._undo
        except BaseException:
            for undo in reversed(self._undo):
                undo()
            raise
        finally:
            self._undo = None

    def _check_open(self) -> None:
        if self._closed:
            raise WorkspaceError("workspace.closed", file=self.path)

    # ------------------------------------------------------------------ records
    def add(
        self,
        table: str,
        values: Mapping[str, Any],
        *,
        private: Mapping[str, Mapping[str, Any]] | None = None,
        idempotency_key: str | None = None,
    ) -> str:
        """Store one record and return its uuid (an idempotency key already stored: the earlier uuid)."""
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
        """Store many records (and their private links) together and return their uuids, in order."""
        target = self._record_table(table)
        spec = target.spec
        rows = list(rows)
        privates = list(private) if private is not None else [None] * len(rows)
        keys = list(idempotency_keys) if idempotency_keys is not None else [None] * len(rows)
        if not (len(privates) == len(keys) == len(rows)):
            raise ValueError("private and idempotency_keys must have one entry per row")
        prepared = [normalise_record(spec, row) for row in rows]
        links = [self._prepare_links(table, p) for p in privates]
        extra = {name: [self._prepare_private(name, r) for r in rows_] for name, rows_ in (private_rows or {}).items()}
        key_table = self._private[spec.private_keys] if spec.private_keys else None
        now = utc_now()
        uuids: list[str] = []
        with self._write() as undo:
            for values, linked, key in zip(prepared, links, keys, strict=True):
                if key is not None:
                    hit = (key_table or target).select({"idempotency_key": key})
                    if hit:
                        uuids.append(hit[0][key_table.spec.columns[0].name] if key_table else hit[0]["uuid"])
                        continue
                uuid = new_uuid()
                system = {"uuid": uuid, "created_at": now, "updated_at": now, "origin": self.workspace_id}
                system["idempotency_key"] = None if key_table else key
                self._insert(target, {**system, **values}, undo)
                for name, private_values in linked.items():
                    pspec = PRIVATE_TABLES[name]
                    row = {"uuid": new_uuid(), "created_at": now, "updated_at": now, "origin": None}
                    row["idempotency_key"] = key if key_table is not None and name == key_table.spec.name else None
                    self._insert(self._private[name], {**row, **private_values, pspec.columns[0].name: uuid}, undo)
                uuids.append(uuid)
            for name, values_list in extra.items():
                for values in values_list:
                    row = {"uuid": new_uuid(), "created_at": now, "updated_at": now, "origin": None}
                    self._insert(self._private[name], {**row, "idempotency_key": None, **values}, undo)
        return uuids

    def add_private(self, table: str, rows: Iterable[Mapping[str, Any]]) -> int:
        """Store rows of a private table; return how many were written (a row may bring its own uuid)."""
        rows = list(rows)
        target = self._private_table(table)
        prepared = [self._prepare_private(table, row) for row in rows]
        now = utc_now()
        with self._write() as undo:
            for row, values in zip(rows, prepared, strict=True):
                system = {"uuid": row.get("uuid") or new_uuid(), "created_at": now, "updated_at": now}
                self._insert(target, {**system, "origin": None, "idempotency_key": None, **values}, undo)
        return len(prepared)

    def update(self, table: str, record_uuid: str, changes: Mapping[str, Any]) -> None:
        """Change fields of one record (updated_at is set); an unknown uuid raises RecordError."""
        self._update(self._record_table(table), record_uuid, changes)

    def update_private(self, table: str, record_uuid: str, changes: Mapping[str, Any]) -> None:
        """Change fields of one private row (updated_at is set); an unknown uuid raises RecordError."""
        self._update(self._private_table(table), record_uuid, changes)

    def _update(self, target: _Table, record_uuid: str, changes: Mapping[str, Any]) -> None:
        spec = target.spec
        current = target.rows.get(record_uuid)
        if current is None:
            raise RecordError("record.not_found", table=spec.name, uuid=record_uuid)
        merged = normalise_record(spec, {**{c: current[c] for c in spec.column_names}, **changes})
        new = {**current, **{name: _stored(merged[name]) for name in changes}, "updated_at": utc_now()}
        with self._write() as undo:
            target.replace(new)
            undo.append(lambda: target.replace(current))

    def erase_household(self, household_id: str) -> tuple[dict[str, int], int]:
        """Delete every private row naming a household; return the counts (there are no backups in memory)."""
        from cogov_toolkit.core.privacy import HOUSEHOLD_COLUMNS

        counts = {}
        with self._write() as undo:
            for name, column in HOUSEHOLD_COLUMNS.items():
                target = self._private[name]
                found = [row["uuid"] for row in target.rows.values() if row.get(column) == household_id]
                for uuid in found:
                    row = target.remove(uuid)
                    undo.append(lambda t=target, r=row: t.insert(r))
                counts[name] = len(found)
        return counts, 0

    def get(self, table: str, record_uuid: str) -> dict[str, Any]:
        """Return one record by uuid; an unknown uuid raises RecordError."""
        row = self._record_table(table).rows.get(record_uuid)
        if row is None:
            raise RecordError("record.not_found", table=table, uuid=record_uuid)
        self.rows_read[table] += 1
        return dict(row)

    def find(self, table: str, key: Any) -> dict[str, Any] | None:
        """Return the record whose business key is ``key``, or None."""
        target = self._record_table(table)
        if target.spec.key is None:
            raise RecordError("record.no_key", table=table)
        rows = target.select({target.spec.key: key})
        if not rows:
            return None
        self.rows_read[table] += 1
        return dict(rows[-1])

    def count(self, table: str, where: Mapping[str, Any] | None = None) -> int:
        """Return the number of records or features, of those matching ``where`` if given (reads no row)."""
        if table in LAYERS:
            return len(self._layer_rows(table, where))
        target = self._record_table(table)
        self._check_columns(table, where, target.columns)
        return len(target.select(where))

    def records(
        self, table: str, where: Mapping[str, Any] | None = None, *, columns: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """Return the records of a table (those matching ``where``; only ``columns`` if given), in stored order."""
        return self._frame(self._record_table(table), where, columns)

    def private_records(
        self, table: str, where: Mapping[str, Any] | None = None, *, columns: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """Return rows of a private table (personal data: never publish)."""
        return self._frame(self._private_table(table), where, columns)

    def column_values(self, table: str, column: str) -> list[Any]:
        """Return one column of every record or feature, in stored order."""
        if table in LAYERS:
            self._check_columns(table, {column: None}, ["fid", *(c.name for c in LAYERS[table].columns)])
            values = [fid if column == "fid" else v.get(column) for fid, _, v in self._layer_rows(table, None)]
        else:
            target = self._record_table(table)
            self._check_columns(table, {column: None}, target.columns)
            values = [row.get(column) for row in target.rows.values()]
        self.values_read[table] += len(values)
        return values

    def max_number(self, table: str, column: str, prefix: str) -> int | None:
        """Return the highest number of the ids ``prefix`` + ASCII digits in ``column``, None when none (reads no row)."""
        target = self._record_table(table)
        self._check_columns(table, {column: None}, target.columns)
        if column in target.index:
            values: Iterable[Any] = (v for v, uuids in target.index[column].items() if uuids)
        else:
            values = (r.get(column) for r in target.rows.values())
        numbers = [
            int(v[len(prefix) :])
            for v in values
            if isinstance(v, str) and v.startswith(prefix) and v[len(prefix) :].isascii() and v[len(prefix) :].isdigit()
        ]
        return max(numbers, default=None)

    def counts(self) -> dict[str, int]:
        """Return the number of features or records of every layer and record table."""
        return {name: self.count(name) for name in (*LAYERS, *RECORD_TABLES)}

    def _frame(self, target: _Table, where: Mapping[str, Any] | None, columns: Sequence[str] | None) -> pd.DataFrame:
        import pandas as pd

        self._check_open()
        names = target.columns if columns is None else list(columns)
        self._check_columns(target.spec.name, {**(where or {}), **dict.fromkeys(names)}, target.columns)
        rows = target.select(where)
        self.rows_read[target.spec.name] += len(rows)
        return pd.DataFrame([[row.get(c) for c in names] for row in rows], columns=names)

    def _insert(self, target: _Table, row: dict[str, Any], undo: list[Callable[[], None]] | None) -> None:
        spec = target.spec
        row = {c: _stored(row.get(c)) for c in target.columns if c != "fid"}
        if spec.key and row.get(spec.key) is not None and target.index[spec.key].get(row[spec.key]):
            from cogov_toolkit.errors import Problem

            raise RecordError(
                "record.duplicate_key",
                problems=[Problem("record.duplicate_key_value", column=spec.key, params={"value": row[spec.key]})],
                table=spec.name,
                key=spec.key,
                value=row[spec.key],
            )
        # every row keeps its place in stored order; record tables show it as their fid
        row = {"_seq": target.next_fid, **({"fid": target.next_fid} if target.with_fid else {}), **row}
        target.next_fid += 1
        target.insert(row)
        if undo is not None:
            undo.append(lambda: target.remove(row["uuid"]))

    def _record_table(self, table: str) -> _Table:
        self._check_open()
        target = self._tables.get(table)
        if target is None:
            raise RecordError("record.unknown_table", table=table, tables="、".join(RECORD_TABLES))
        return target

    def _private_table(self, table: str) -> _Table:
        self._check_open()
        target = self._private.get(table)
        if target is None:
            raise RecordError("record.unknown_table", table=table, tables="、".join(PRIVATE_TABLES))
        return target

    @staticmethod
    def _check_columns(table: str, where: Mapping[str, Any] | None, allowed: Sequence[str]) -> None:
        unknown = [c for c in where or () if c not in allowed]
        if unknown:
            raise RecordError("record.unknown_column", table=table, column="、".join(map(str, unknown)))

    def _prepare_private(self, table: str, row: Mapping[str, Any]) -> dict[str, Any]:
        return normalise_record(self._private_table(table).spec, row)

    def _prepare_links(self, table: str, links: Mapping[str, Mapping[str, Any]] | None) -> dict[str, dict[str, Any]]:
        out = {}
        for name, values in (links or {}).items():
            spec = self._private_table(name).spec
            if spec.links_to != table:
                raise RecordError("record.private_link", table=name, record_table=table)
            key_column = spec.columns[0].name
            out[name] = normalise_record(spec, {**values, key_column: "pending"})
            out[name].pop(key_column)
        return out

    # ------------------------------------------------------------------ layers and features
    def write_layer(self, kind: str, frame: gpd.GeoDataFrame) -> int:
        """Replace a spatial layer's features with ``frame`` (reprojected to WGS-84); return how many."""
        spec = self._layer(kind)
        if frame.crs is not None and frame.crs.to_epsg() != 4326:
            frame = frame.to_crs(4326)
        missing = [c.name for c in spec.columns if c.required and c.name not in frame.columns]
        if missing:
            raise RecordError("record.layer_columns", table=kind, columns="、".join(missing))
        names = [c.name for c in spec.columns]
        present = [c for c in names if c in frame.columns]
        features = {}
        for fid, (geometry, values) in enumerate(
            zip(frame.geometry.array, frame[present].to_dict("records"), strict=True), start=1
        ):
            features[fid] = (_stored_geometry(spec, geometry), {n: _stored(values.get(n)) for n in names})
        with self._write() as undo:
            before = self._layers[kind]
            self._layers[kind] = features
            undo.append(lambda: self._layers.__setitem__(kind, before))
        return len(features)

    def read_layer(self, kind: str, where: Mapping[str, Any] | None = None) -> gpd.GeoDataFrame:
        """Return a spatial layer (its features matching ``where`` if given) in WGS-84, with ``fid``."""
        import geopandas as gpd
        import pandas as pd

        spec = self._layer(kind)
        names = [c.name for c in spec.columns]
        rows = self._layer_rows(kind, where)
        self.rows_read[kind] += len(rows)
        frame = pd.DataFrame([[fid, *(v.get(n) for n in names)] for fid, _, v in rows], columns=["fid", *names])
        return gpd.GeoDataFrame(frame, geometry=[g for _, g, _ in rows], crs="EPSG:4326")

    def layer_records(
        self, kind: str, where: Mapping[str, Any] | None = None, *, columns: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """Return a layer's attributes without geometry (``fid`` and the declared columns, or ``columns``)."""
        import pandas as pd

        spec = self._layer(kind)
        names = ["fid", *(c.name for c in spec.columns)] if columns is None else list(columns)
        self._check_columns(kind, dict.fromkeys(names), ["fid", *(c.name for c in spec.columns)])
        rows = self._layer_rows(kind, where)
        self.rows_read[kind] += len(rows)
        return pd.DataFrame([[fid if n == "fid" else v.get(n) for n in names] for fid, _, v in rows], columns=names)

    def _layer_rows(
        self, kind: str, where: Mapping[str, Any] | None
    ) -> list[tuple[int, shapely.Geometry, dict[str, Any]]]:
        spec = self._layer(kind)
        self._check_columns(kind, where, ["fid", *(c.name for c in spec.columns)])
        return [
            (fid, geometry, values)
            for fid, (geometry, values) in sorted(self._layers[kind].items())
            if _matches({"fid": fid, **values}, where or {})
        ]

    def get_feature(self, kind: str, fid: int) -> Feature:
        """Return one feature by its row id; an unknown id raises RecordError."""
        self._layer(kind)
        found = self._layers[kind].get(int(fid))
        if found is None:
            raise RecordError("feature.not_found", table=kind, fid=fid)
        self.rows_read[kind] += 1
        return Feature(kind, int(fid), found[0], dict(found[1]))

    def feature_ids(self, kind: str, *, except_fid: int | None = None) -> set[str]:
        """Return the business ids used in a layer (leaving out one feature)."""
        column = self._layer(kind).id_column
        ids = {str(v[column]) for fid, (_, v) in self._layers[kind].items() if fid != except_fid and v.get(column)}
        self.values_read[kind] += len(ids)
        return ids

    def next_number(self, kind: str) -> int:
        """Return the next free feature number of a layer (one above the highest)."""
        self._layer(kind)
        return max((int(v.get("number") or 0) for _, v in self._layers[kind].values()), default=0) + 1

    def insert_feature(self, kind: str, geometry: shapely.Geometry, values: Mapping[str, Any]) -> Feature:
        """Check and store one new feature; return it with its row id."""
        return self._put(kind, None, geometry, values)

    def restore_feature(self, feature: Feature) -> Feature:
        """Put a deleted feature back under its old row id."""
        return self._put(feature.kind, feature.fid, feature.geometry, feature.values)

    def update_feature(
        self,
        kind: str,
        fid: int,
        *,
        geometry: shapely.Geometry | None = None,
        values: Mapping[str, Any] | None = None,
    ) -> Feature:
        """Change one feature; return it as it was before (for undo)."""
        spec = self._layer(kind)
        before = self.get_feature(kind, fid)
        new_geometry = geometry if geometry is not None else before.geometry
        record = _record(spec, {**before.values, **(values or {})})
        check_feature(kind, new_geometry, record, taken_ids=self.feature_ids(kind, except_fid=fid))
        with self._write() as undo:
            self._layers[kind][int(fid)] = (_stored_geometry(spec, new_geometry), record)
            undo.append(lambda: self._layers[kind].__setitem__(int(fid), (before.geometry, before.values)))
        return before

    def delete_feature(self, kind: str, fid: int) -> Feature:
        """Delete one feature; return it as it was (for undo)."""
        before = self.get_feature(kind, fid)
        with self._write() as undo:
            del self._layers[kind][int(fid)]
            undo.append(lambda: self._layers[kind].__setitem__(int(fid), (before.geometry, before.values)))
        return before

    def _put(self, kind: str, fid: int | None, geometry: shapely.Geometry, values: Mapping[str, Any]) -> Feature:
        spec = self._layer(kind)
        record = _record(spec, values)
        check_feature(kind, geometry, record, taken_ids=self.feature_ids(kind))
        layer = self._layers[kind]
        new_fid = int(fid) if fid is not None else max(layer, default=0) + 1
        stored = _stored_geometry(spec, geometry)
        with self._write() as undo:
            layer[new_fid] = (stored, record)
            undo.append(lambda: layer.pop(new_fid, None))
        return Feature(kind, new_fid, stored, record)

    def _layer(self, kind: str) -> Any:
        self._check_open()
        spec = LAYERS.get(kind)
        if spec is None:
            raise RecordError("record.unknown_layer", table=kind, tables="、".join(LAYERS))
        return spec

    # ------------------------------------------------------------------ sharing
    def share_copy(self, destination: str | os.PathLike) -> Path:
        """A workspace in memory has no file to share (tests of the shared copy use the GeoPackage)."""
        raise WorkspaceError("workspace.memory_only", file=destination)

    def backup(self) -> Path:
        """A workspace in memory has no file to back up."""
        raise WorkspaceError("workspace.memory_only", file=self.path)


def _stored(value: Any) -> Any:
    """Return a value as the GeoPackage hands it back (dates as ISO text, booleans as 0/1, numpy made plain)."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _matches(row: Mapping[str, Any], where: Mapping[str, Any]) -> bool:
    for column, wanted in where.items():
        value = row.get(column)
        if isinstance(wanted, list | tuple | set | frozenset):
            if value not in {_stored(w) for w in wanted}:
                return False
        elif value != _stored(wanted):
            return False
    return True


__all__ = ["MemoryWorkspace"]
