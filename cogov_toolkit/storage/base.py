"""The Workspace protocol: what every storage backend offers the workflows.

Workflows, widgets and the command line are written against this protocol,
never against a backend class, so a community's records can live in a
GeoPackage file today (:mod:`cogov_toolkit.storage.gpkg`) and in a shared
database later without a workflow changing. Every write is durable when the
call returns (one transaction, committed), and a record with personal data
commits together with its private link, or not at all.

Keyed reads. A workflow reads what it touches, not a whole table: ``where``
selects records by column (``{"vote_id": "V01"}``; a list, tuple or set of
values means any of them, ``None`` means empty), ``columns`` names the columns
wanted. Backends index the columns a table declares in
:attr:`cogov_toolkit.core.schema.RecordTable.indexes` (and every business key),
so a lookup costs what it returns, whatever the workspace holds.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from cogov_toolkit.core.features import Feature

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd
    import shapely


#: a keyed selection: column -> value (equal), or a list/tuple/set of values (any of them); None matches empty
Where = Mapping[str, Any]


@runtime_checkable
class Workspace(Protocol):
    """One community's workspace: spatial layers, record tables and their private side."""

    #: where the workspace lives (a file path, or a URL for a database backend)
    path: Path
    #: the id of this copy of the workspace (written into every record's ``origin``)
    workspace_id: str
    #: the community's name as the planner typed it
    community_name: str

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        """Close the workspace; nothing more can be read or written through it."""

    def __enter__(self) -> Workspace: ...

    def __exit__(self, *exc: object) -> None: ...

    def transaction(self) -> contextlib.AbstractContextManager[Workspace]:
        """Group several writes into one durable transaction: all of them are stored, or none."""

    # ------------------------------------------------------------------ records
    def add(
        self,
        table: str,
        values: Mapping[str, Any],
        *,
        private: Mapping[str, Mapping[str, Any]] | None = None,
        idempotency_key: str | None = None,
    ) -> str:
        """Store one record durably and return its uuid (an idempotency key already stored: the earlier uuid)."""

    def add_many(
        self,
        table: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        private: Iterable[Mapping[str, Mapping[str, Any]] | None] | None = None,
        idempotency_keys: Iterable[str | None] | None = None,
        private_rows: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
    ) -> list[str]:
        """Store many records in one durable transaction and return their uuids (in order)."""

    def add_private(self, table: str, rows: Iterable[Mapping[str, Any]]) -> int:
        """Store rows of a private table durably; return how many were written."""

    def update(self, table: str, record_uuid: str, changes: Mapping[str, Any]) -> None:
        """Change fields of one record durably."""

    def update_private(self, table: str, record_uuid: str, changes: Mapping[str, Any]) -> None:
        """Change fields of one private row durably (e.g. a consent's withdrawal date)."""

    def erase_household(self, household_id: str) -> tuple[dict[str, int], int]:
        """Delete every private row naming a household, in the private file and its backups; return the counts."""

    def get(self, table: str, record_uuid: str) -> dict[str, Any]:
        """Return one record by uuid."""

    def find(self, table: str, key: Any) -> dict[str, Any] | None:
        """Return the record whose business key (``RecordTable.key``: ``demand_id``, ``vote_id`` …) is ``key``, or None."""

    def count(self, table: str, where: Where | None = None) -> int:
        """Return the number of records (or features) of a table or layer, of those matching ``where`` if given."""

    def records(self, table: str, where: Where | None = None, *, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Return the records of a table (those matching ``where``; only ``columns`` if given), in stored order."""

    def column_values(self, table: str, column: str) -> list[Any]:
        """Return one column of every record or feature (e.g. every demand id, to allocate the next one)."""

    def max_number(self, table: str, column: str, prefix: str) -> int | None:
        """Return the highest number of the ids ``prefix`` + digits in ``column`` (``D017`` -> 17), None when none.

        One indexed lookup for the ids a table declares in ``RecordTable.numbered``
        (how the next demand id is allocated), whatever the table holds.
        """

    def private_records(
        self, table: str, where: Where | None = None, *, columns: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """Return rows of a private table (personal data: never publish), those matching ``where`` if given."""

    def counts(self) -> dict[str, int]:
        """Return the number of features or records of every layer and table."""

    # ------------------------------------------------------------------ layers and features
    def write_layer(self, kind: str, frame: gpd.GeoDataFrame) -> int:
        """Replace a spatial layer's features in one durable transaction; return how many were written."""

    def read_layer(self, kind: str, where: Where | None = None) -> gpd.GeoDataFrame:
        """Return a spatial layer in WGS-84 (its features matching ``where`` if given), with ``fid``."""

    def layer_records(
        self, kind: str, where: Where | None = None, *, columns: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """Return a layer's attributes without geometry (``fid`` and the declared columns, or ``columns``)."""

    def get_feature(self, kind: str, fid: int) -> Feature:
        """Return one feature of a layer by its row id."""

    def feature_ids(self, kind: str, *, except_fid: int | None = None) -> set[str]:
        """Return the business ids used in a layer."""

    def next_number(self, kind: str) -> int:
        """Return the next free feature number of a layer."""

    def insert_feature(self, kind: str, geometry: shapely.Geometry, values: Mapping[str, Any]) -> Feature:
        """Check and store one new feature durably; return it with its row id."""

    def restore_feature(self, feature: Feature) -> Feature:
        """Put a deleted feature back under its old row id."""

    def update_feature(
        self,
        kind: str,
        fid: int,
        *,
        geometry: shapely.Geometry | None = None,
        values: Mapping[str, Any] | None = None,
    ) -> Feature:
        """Change one feature durably; return it as it was before (for undo)."""

    def delete_feature(self, kind: str, fid: int) -> Feature:
        """Delete one feature durably; return it as it was (for undo)."""

    # ------------------------------------------------------------------ sharing
    def share_copy(self, destination: str | os.PathLike) -> Path:
        """Write a shareable copy through the publication gate: nothing private, no row per person; return its path."""

    def backup(self) -> Path:
        """Take a backup pair (workspace and private file) now; return where the workspace copy went."""


def iter_protocol_methods() -> Iterator[str]:
    """Yield the names of the protocol's methods (for backends' conformance tests)."""
    for name, value in vars(Workspace).items():
        if callable(value) and not name.startswith("_"):
            yield name


__all__ = ["Workspace", "Where", "Feature", "iter_protocol_methods"]
