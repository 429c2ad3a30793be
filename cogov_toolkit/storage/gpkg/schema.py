"""The GeoPackage tables of a workspace and the migrations that create and evolve them.

A workspace is a standard GeoPackage 1.4 (QGIS and GDAL open it): spatial
layers are registered 'features' tables, record tables are registered
'attributes' tables, so ``ogrinfo`` and QGIS list both. The toolkit's own
bookkeeping (schema version, workspace id) sits in ``cogov_meta``.

Migrations are numbered; :data:`SCHEMA_VERSION` is the highest. A workspace
opened by this toolkit is migrated up, one transaction per step, after a
backup; a workspace with a higher number than ours is refused.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from cogov_toolkit import i18n
from cogov_toolkit.core.schema import LAYERS, RECORD_TABLES, SQL_TYPES, SYSTEM_COLUMNS, LayerKind, RecordTable

GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
META_TABLE = "cogov_meta"
WGS84_SRS_ID = 4326

_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
    'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],'
    'UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],'
    'AUTHORITY["EPSG","4326"]]'
)


def create_base_tables(conn: sqlite3.Connection) -> None:
    """Create the GeoPackage core tables (SRS, contents, geometry columns) and the meta table."""
    # one statement at a time: executescript() would COMMIT the caller's transaction
    script = f"""
        CREATE TABLE gpkg_spatial_ref_sys (
            srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
            organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
        CREATE TABLE gpkg_contents (
            table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
            description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
            min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
            CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
        CREATE TABLE gpkg_geometry_columns (
            table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
            srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
            CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
            CONSTRAINT uk_gc_table_name UNIQUE (table_name),
            CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
            CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
        CREATE TABLE {META_TABLE} (key TEXT PRIMARY KEY NOT NULL, value TEXT);
        """
    for statement in filter(str.strip, script.split(";")):
        conn.execute(statement)
    conn.executemany(
        "INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
        [
            ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system"),
            ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system"),
            (
                "WGS 84 geodetic",
                WGS84_SRS_ID,
                "EPSG",
                4326,
                _WGS84_WKT,
                "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid",
            ),
        ],
    )


def _create_v1(conn: sqlite3.Connection) -> None:
    """Version 1: every spatial layer and record table of core.schema, registered in gpkg_contents."""
    for kind in LAYERS.values():
        create_layer_table(conn, kind)
    for table in RECORD_TABLES.values():
        create_record_table(conn, "main", table)
        _register(conn, table.name, "attributes", None)


def create_layer_table(conn: sqlite3.Connection, kind: LayerKind) -> None:
    """Create a spatial layer's feature table and register it, each step only when it is missing.

    Registered in ``gpkg_contents`` and ``gpkg_geometry_columns``, so QGIS and
    ``ogrinfo`` list the layer; running it twice changes nothing.
    """
    geometry_type = kind.geometry_type.upper() if kind.geometry_type != "Unknown" else "GEOMETRY"
    body = ["fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL", f"geom {geometry_type}"]
    body += [f'"{c.name}" {SQL_TYPES[c.dtype]}' for c in kind.columns]
    conn.execute(f'CREATE TABLE IF NOT EXISTS "{kind.name}" ({", ".join(body)})')
    conn.execute(f'CREATE UNIQUE INDEX IF NOT EXISTS "{kind.name}_id" ON "{kind.name}" ("{kind.id_column}")')
    if conn.execute("SELECT 1 FROM gpkg_contents WHERE table_name = ?", (kind.name,)).fetchone() is None:
        _register(conn, kind.name, "features", WGS84_SRS_ID)
    if conn.execute("SELECT 1 FROM gpkg_geometry_columns WHERE table_name = ?", (kind.name,)).fetchone() is None:
        conn.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)",
            (kind.name, geometry_type, WGS84_SRS_ID),
        )


def create_record_table(conn: sqlite3.Connection, schema: str, table: RecordTable, *, with_fid: bool = True) -> None:
    """Create a record table (system columns first) with its uuid, idempotency and key indexes."""
    body = [f'"{c.name}" {SQL_TYPES[c.dtype]}' for c in (*SYSTEM_COLUMNS, *table.columns)]
    if with_fid:
        body.insert(0, "fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL")
    name = table.name
    conn.execute(f'CREATE TABLE IF NOT EXISTS {schema}."{name}" ({", ".join(body)})')
    conn.execute(f'CREATE UNIQUE INDEX IF NOT EXISTS {schema}."{name}_uuid" ON "{name}" (uuid)')
    conn.execute(
        f'CREATE UNIQUE INDEX IF NOT EXISTS {schema}."{name}_idempotency" ON "{name}" (idempotency_key) '
        "WHERE idempotency_key IS NOT NULL"
    )
    if table.key:
        conn.execute(f'CREATE UNIQUE INDEX IF NOT EXISTS {schema}."{name}_key" ON "{name}" ("{table.key}")')


def _register(conn: sqlite3.Connection, name: str, data_type: str, srs_id: int | None) -> None:
    identifier = f"{i18n.t(f'layer.{name}', 'zh')} {name}"
    description = i18n.t(f"layer.{name}.about", "en") if i18n.has(f"layer.{name}.about") else ""
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES (?, ?, ?, ?, ?)",
        (name, data_type, identifier, description, srs_id),
    )


@dataclass(frozen=True)
class Migration:
    """One numbered step of the workspace schema."""

    to_version: int
    description: str
    apply: Callable[[sqlite3.Connection], None]


#: the record tables of 发展共建, project accountability, conventions and the assessment ledger (issue 16)
COBUILDING_TABLES: tuple[str, ...] = (
    "workshop_sessions",
    "contributions",
    "project_finance",
    "budget_sources",
    "spending",
    "milestones",
    "milestone_evaluations",
    "project_photos",
    "photo_files",
    "conventions",
    "convention_versions",
    "indicator_targets",
)


def _create_cobuilding(conn: sqlite3.Connection) -> None:
    """Co-building register, project accountability, conventions and indicator targets.

    A new workspace already has these tables from version 1 (which creates every
    table of core.schema), so each is created and registered only when missing.
    """
    registered = {row[0] for row in conn.execute("SELECT table_name FROM gpkg_contents")}
    for name in COBUILDING_TABLES:
        create_record_table(conn, "main", RECORD_TABLES[name])
        if name not in registered:
            _register(conn, name, "attributes", None)


#: the optional layers that help residents find their way on a map (issue 13)
WAYFINDING_LAYERS: tuple[str, ...] = ("roads", "landmarks")


def _create_wayfinding(conn: sqlite3.Connection) -> None:
    """Roads and landmarks (gates, 党群服务中心, 快递柜 …): two feature tables, empty until imported or drawn.

    Idempotent like every step here: a new workspace already has them from
    version 1, and another branch's migration may have run first.
    """
    for name in WAYFINDING_LAYERS:
        create_layer_table(conn, LAYERS[name])


MIGRATIONS: list[Migration] = [
    Migration(1, "layers and record tables", _create_v1),
    Migration(2, "co-building register, project accountability, conventions, indicator targets", _create_cobuilding),
    Migration(3, "roads and landmarks layers", _create_wayfinding),
]


def schema_version() -> int:
    """Return the schema version this toolkit writes (the highest migration)."""
    return max(m.to_version for m in MIGRATIONS)


SCHEMA_VERSION = schema_version()

__all__ = [
    "GPKG_APPLICATION_ID",
    "META_TABLE",
    "WGS84_SRS_ID",
    "Migration",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "schema_version",
    "WAYFINDING_LAYERS",
    "create_base_tables",
    "create_layer_table",
    "create_record_table",
]
