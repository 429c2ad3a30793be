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

import json
import sqlite3
import uuid as uuid_module
from collections.abc import Callable
from dataclasses import dataclass

from cogov_toolkit import i18n
from cogov_toolkit.core.schema import (
    LAYERS,
    PRIVATE_TABLES,
    RECORD_TABLES,
    SHARED_SUMMARIES,
    SQL_TYPES,
    SYSTEM_COLUMNS,
    LayerKind,
    RecordTable,
)

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


#: record tables that a later migration creates (version 1 made every other table of core.schema)
_ADDED_LATER = {"settings"}
#: the optional layers that help residents find their way on a map (issue 13), added by a later migration
WAYFINDING_LAYERS: tuple[str, ...] = ("roads", "landmarks")


def _create_v1(conn: sqlite3.Connection) -> None:
    """Version 1: every spatial layer and record table of core.schema, registered in gpkg_contents."""
    for kind in LAYERS.values():
        if kind.name in WAYFINDING_LAYERS:
            continue
        create_layer_table(conn, kind)
    for table in RECORD_TABLES.values():
        if table.name in _ADDED_LATER:
            continue
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
    create_lookup_indexes(conn, schema, table)


#: indexes that hold every column a vote's count reads, so the count reads them from the index alone:
#: one vote's entries lie together, whatever the other votes hold (the table's pages are interleaved).
#: The ballots' one leads with ``fid`` after the vote, so they come in stored order without a sort.
COVERING_INDEXES: dict[str, tuple[str, ...]] = {
    "ballots": ("vote_id", "fid", "uuid", "ballot_ref", "channel", "choice"),
    "ballot_links": ("vote_id", "ballot_uuid", "household_id"),
}


def create_lookup_indexes(conn: sqlite3.Connection, schema: str, table: RecordTable) -> None:
    """Index the columns workflows look records up by (``RecordTable.indexes``: one vote's ballots …).

    And the number of each numbered id (``RecordTable.numbered``): a partial
    index on the number of the ids of the form prefix + digits, which answers
    "the highest D-number" in one lookup (:func:`numbered_sql`).
    """
    covering = COVERING_INDEXES.get(table.name)
    for column in table.indexes:
        if covering is not None and covering[0] == column:
            # the covering index leads with this column: it answers the lookup too, one index less to write
            listed = ", ".join(f'"{c}"' for c in covering)
            conn.execute(
                f'CREATE INDEX IF NOT EXISTS {schema}."{table.name}_{column}_covering" ON "{table.name}" ({listed})'
            )
            continue
        conn.execute(f'CREATE INDEX IF NOT EXISTS {schema}."{table.name}_{column}" ON "{table.name}" ("{column}")')
    for column, prefix in table.numbered:
        number, condition = numbered_sql(column, prefix)
        conn.execute(
            f'CREATE INDEX IF NOT EXISTS {schema}."{table.name}_{column}_number" ON "{table.name}" ({number}) '
            f"WHERE {condition}"
        )


def numbered_sql(column: str, prefix: str) -> tuple[str, str]:
    """Return the SQL of an id's number and the condition that it is ``prefix`` + ASCII digits.

    The index of :func:`create_lookup_indexes` and the query of
    ``GpkgWorkspace.max_number`` use these very expressions (SQLite uses an
    expression index only for the same text).
    """
    if not prefix or any(ch in prefix for ch in "'[]*?"):
        raise ValueError(f"an id prefix is plain text: {prefix!r}")
    start = len(prefix) + 1
    number = f'CAST(substr("{column}", {start}) AS INTEGER)'
    condition = f"\"{column}\" GLOB '{prefix}[0-9]*' AND substr(\"{column}\", {start}) NOT GLOB '*[^0-9]*'"
    return number, condition


def create_summary_tables(conn: sqlite3.Connection) -> None:
    """Create and register the shared copy's summary tables (core.schema.SHARED_SUMMARIES)."""
    for table in SHARED_SUMMARIES.values():
        create_record_table(conn, "main", table)
        if conn.execute("SELECT 1 FROM gpkg_contents WHERE table_name = ?", (table.name,)).fetchone() is None:
            _register(conn, table.name, "attributes", None)


def _register(conn: sqlite3.Connection, name: str, data_type: str, srs_id: int | None) -> None:
    identifier = f"{i18n.t(f'layer.{name}', 'zh')} {name}"
    description = i18n.t(f"layer.{name}.about", "en") if i18n.has(f"layer.{name}.about") else ""
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES (?, ?, ?, ?, ?)",
        (name, data_type, identifier, description, srs_id),
    )


def _add_settings(conn: sqlite3.Connection) -> None:
    """The ``settings`` table (office phone, contact, issuer: entered once per workspace)."""
    create_record_table(conn, "main", RECORD_TABLES["settings"])
    if conn.execute("SELECT 1 FROM gpkg_contents WHERE table_name = 'settings'").fetchone() is None:
        _register(conn, "settings", "attributes", None)


@dataclass(frozen=True)
class Migration:
    """One numbered step of the workspace schema."""

    to_version: int
    description: str
    apply: Callable[[sqlite3.Connection], None]


def _columns(conn: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f'PRAGMA {schema}.table_info("{table}")')]


def _add_missing_columns(conn: sqlite3.Connection, schema: str, table: RecordTable) -> None:
    present = _columns(conn, schema, table.name)
    for column in (*SYSTEM_COLUMNS, *table.columns):
        if column.name not in present:
            conn.execute(f'ALTER TABLE {schema}."{table.name}" ADD COLUMN "{column.name}" {SQL_TYPES[column.dtype]}')


def create_private_tables(conn: sqlite3.Connection) -> None:
    """Create every private table of core.schema in the attached ``private`` file (and any missing column)."""
    for spec in PRIVATE_TABLES.values():
        create_record_table(conn, "private", spec, with_fid=False)
        _add_missing_columns(conn, "private", spec)


def _privacy_v2(conn: sqlite3.Connection) -> None:
    """Version 2: nothing that names a household stays in the shareable file (core/privacy.py).

    * ``ballots`` get a random ``ballot_ref``; their idempotency keys, which
      carry the paper ballot's, the 接龙 line's or the file's reference (often
      the household), move to the private ``ballot_links`` with that reference
      (``source_ref``); stored results name set-aside ballots by the new
      reference; a blank ballot's choice becomes empty (was "[]").
    * Names a household or a person adopter agreed to publish move to the
      private file (``people.public_name``, ``adopter_contacts.public_name``)
      and their consent becomes a ``consents`` record; the public
      ``publish_name_consent`` columns go.

    Runs with the private file attached as ``private``; every step is guarded,
    so the migration also fits a workspace created with today's tables.
    """
    create_private_tables(conn)
    now = _utc_now()
    _add_missing_columns(conn, "main", RECORD_TABLES["ballots"])
    # in SQL, not row by row: a busy year's million ballots migrate in seconds
    letters = "ABCDEFGHJKMNPQRSTUVWXYZ"  # as core.privacy.random_reference: letters only, ten of them
    random_ref = "'BR-' || " + " || ".join(f"substr('{letters}', 1 + abs(random()) % 23, 1)" for _ in range(10))
    conn.execute(f"UPDATE main.ballots SET ballot_ref = {random_ref} WHERE ballot_ref IS NULL")
    key = "b.idempotency_key"
    old_ref = (
        f"CASE WHEN {key} LIKE '%|%|%' THEN substr({key}, instr({key}, '|') + "
        f"instr(substr({key}, instr({key}, '|') + 1), '|') + 1) ELSE b.uuid END"
    )
    conn.execute(
        "UPDATE private.ballot_links SET "
        f"idempotency_key = coalesce(idempotency_key, (SELECT {key} FROM main.ballots b WHERE b.uuid = ballot_uuid)), "
        f"source_ref = coalesce(source_ref, (SELECT {old_ref} FROM main.ballots b WHERE b.uuid = ballot_uuid))"
    )
    for uuid, vote_id, result, audit in conn.execute(
        "SELECT uuid, vote_id, result, audit FROM main.vote_results"
    ).fetchall():
        data = json.loads(result)
        if not data.get("set_aside"):
            continue
        refs = dict(conn.execute(f"SELECT {old_ref}, b.ballot_ref FROM main.ballots b WHERE b.vote_id = ?", (vote_id,)))
        data["set_aside"] = [[refs.get(r, r), reason] for r, reason in data["set_aside"]]
        audit_data = json.loads(audit)
        audit_data["ref_scheme"] = "source_ref"  # the digest was taken over the old references (recount knows)
        conn.execute(
            "UPDATE main.vote_results SET result = ?, audit = ? WHERE uuid = ?",
            (json.dumps(data, ensure_ascii=False, sort_keys=True), json.dumps(audit_data, sort_keys=True), uuid),
        )
    conn.execute("UPDATE main.ballots SET idempotency_key = NULL WHERE idempotency_key IS NOT NULL")
    conn.execute("UPDATE main.ballots SET choice = NULL WHERE choice = '[]'")

    if {"public_name", "publish_name_consent"} <= set(_columns(conn, "main", "households")):
        for household, name, consent, created in conn.execute(
            "SELECT household_id, public_name, publish_name_consent, created_at FROM main.households"
        ).fetchall():
            if name:
                _upsert_person(conn, household, name, now)
            if consent in (1, "1", True) and name:
                _consent(conn, "honour_roll", created, household, name, None, now)
    for column in ("public_name", "publish_name_consent"):
        if column in _columns(conn, "main", "households"):
            conn.execute(f'ALTER TABLE main.households DROP COLUMN "{column}"')

    adoption_columns = _columns(conn, "main", "adoptions")
    consent_column = "publish_name_consent" in adoption_columns
    query = "SELECT uuid, adoption_id, adopter_type, public_name, start_on, created_at"
    query += ", publish_name_consent" if consent_column else ", NULL"
    for uuid, adoption_id, adopter_type, name, start_on, created, consent in conn.execute(
        query + " FROM main.adoptions"
    ).fetchall():
        if adopter_type not in ("household", "party_member") or not name:
            continue
        contact = conn.execute(
            "SELECT household_id FROM private.adopter_contacts WHERE adoption_uuid = ?", (uuid,)
        ).fetchone()
        if contact is None:
            conn.execute(
                "INSERT INTO private.adopter_contacts (uuid, created_at, updated_at, adoption_uuid, public_name) "
                "VALUES (?, ?, ?, ?, ?)",
                (str(uuid_module.uuid4()), now, now, uuid, name),
            )
        else:
            conn.execute("UPDATE private.adopter_contacts SET public_name = ? WHERE adoption_uuid = ?", (name, uuid))
        if consent in (1, "1", True):
            household = contact[0] if contact else None
            _consent(conn, "adopter_roster", start_on or created, household, name, adoption_id, now)
        conn.execute("UPDATE main.adoptions SET public_name = NULL WHERE uuid = ?", (uuid,))
    if consent_column:
        conn.execute('ALTER TABLE main.adoptions DROP COLUMN "publish_name_consent"')


def _utc_now() -> str:
    from cogov_toolkit.core.values import utc_now

    return utc_now()


def _upsert_person(conn: sqlite3.Connection, household: str, public_name: str, now: str) -> None:
    hit = conn.execute("SELECT uuid FROM private.people WHERE household_id = ?", (household,)).fetchone()
    if hit:
        conn.execute("UPDATE private.people SET public_name = ? WHERE household_id = ?", (public_name, household))
    else:
        conn.execute(
            "INSERT INTO private.people (uuid, created_at, updated_at, household_id, public_name) VALUES (?, ?, ?, ?, ?)",
            (str(uuid_module.uuid4()), now, now, household, public_name),
        )


def _consent(
    conn: sqlite3.Connection,
    purpose: str,
    given: str | None,
    household: str | None,
    public_name: str,
    subject: str | None,
    now: str,
) -> None:
    conn.execute(
        "INSERT INTO private.consents (uuid, created_at, updated_at, purpose, given_on, household_id, public_name, "
        "subject_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (str(uuid_module.uuid4()), now, now, purpose, str(given or now)[:10], household, public_name, subject),
    )


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


def _keyed_reads(conn: sqlite3.Connection) -> None:
    """Indexes on the columns workflows look records up by, so a lookup costs what it returns; ``vote_steps``."""
    create_record_table(conn, "main", RECORD_TABLES["vote_steps"])
    if conn.execute("SELECT 1 FROM gpkg_contents WHERE table_name = 'vote_steps'").fetchone() is None:
        _register(conn, "vote_steps", "attributes", None)
    # the steps a vote's params held until now become vote_steps records (params keep the rest)
    now = _utc_now()
    for vote_uuid, vote_id, params in conn.execute("SELECT uuid, vote_id, params FROM main.votes").fetchall():
        data = json.loads(params) if params else {}
        if not data.get("steps"):
            continue
        for step in data.pop("steps"):
            conn.execute(
                'INSERT INTO main.vote_steps (uuid, created_at, updated_at, vote_id, step, "on", note) '
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (str(uuid_module.uuid4()), now, now, vote_id, step["step"], step["on"], step.get("note") or None),
            )
        conn.execute(
            "UPDATE main.votes SET params = ? WHERE uuid = ?",
            (json.dumps(data, ensure_ascii=False, sort_keys=True), vote_uuid),
        )
    for spec in RECORD_TABLES.values():
        create_lookup_indexes(conn, "main", spec)
    for spec in PRIVATE_TABLES.values():
        create_lookup_indexes(conn, "private", spec)


def _create_wayfinding(conn: sqlite3.Connection) -> None:
    """Roads and landmarks (gates, 党群服务中心, 快递柜 …): two feature tables, empty until imported or drawn.

    Idempotent: each table and registration is made only when it is missing.
    """
    for name in WAYFINDING_LAYERS:
        create_layer_table(conn, LAYERS[name])


def _numbered_ids(conn: sqlite3.Connection) -> None:
    """Index the numbers of numbered ids, so allocating the next demand id reads one index entry."""
    for spec in RECORD_TABLES.values():
        create_lookup_indexes(conn, "main", spec)


def _covering_vote_indexes(conn: sqlite3.Connection) -> None:
    """A vote's ballots and links from covering indexes (:data:`COVERING_INDEXES`), in place of the one-column ones.

    A count then reads its own vote's index entries only, so it costs what the vote
    holds, not what the workspace holds; the one-column ``vote_id`` indexes they replace go.
    """
    for schema, spec in (("main", RECORD_TABLES["ballots"]), ("private", PRIVATE_TABLES["ballot_links"])):
        create_lookup_indexes(conn, schema, spec)
        conn.execute(f'DROP INDEX IF EXISTS {schema}."{spec.name}_vote_id"')


MIGRATIONS: list[Migration] = [
    Migration(1, "layers and record tables", _create_v1),
    Migration(2, "privacy: random ballot references, private keys and public names, consent records", _privacy_v2),
    Migration(3, "co-building register, project accountability, conventions, indicator targets", _create_cobuilding),
    Migration(4, "workspace settings", _add_settings),
    Migration(5, "indexes for keyed reads, 四议两公开 steps as records (vote_steps)", _keyed_reads),
    Migration(6, "roads and landmarks layers", _create_wayfinding),
    Migration(7, "indexes on the number of numbered ids (D001, PJ01, AD001), for the next id", _numbered_ids),
    Migration(
        8, "covering indexes on a vote's ballots and links, so a count reads only that vote", _covering_vote_indexes
    ),
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
    "COVERING_INDEXES",
    "schema_version",
    "WAYFINDING_LAYERS",
    "create_base_tables",
    "create_layer_table",
    "create_record_table",
    "create_private_tables",
    "create_summary_tables",
]
