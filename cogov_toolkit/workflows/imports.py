"""Bring a planner's file into the workspace: a layer (GIS file or lon/lat table) or a record table.

Everything is checked first (every problem of the file reported at once);
only a clean file is written, in one durable transaction. Personal columns go
to the private companion file; ID numbers and IP addresses are dropped. A
person's display name (公开称呼) is personal too: it goes to the private file,
and a 同意公开姓名 column becomes a consent record (households: honour roll;
adoptions: adopter roster). Ballots get a random ``ballot_ref``; the file's own
ballot id and the household stay in the private link.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cogov_toolkit import i18n
from cogov_toolkit.core.adoption import PERSONAL_ADOPTERS
from cogov_toolkit.core.escape import html_text
from cogov_toolkit.core.privacy import Purpose, random_reference
from cogov_toolkit.core.schema import LAYERS, PRIVATE_TABLES, RECORD_TABLES
from cogov_toolkit.core.validate import CheckedTable, check_records
from cogov_toolkit.core.values import is_blank, plain_value
from cogov_toolkit.errors import Problem, RecordError, ValidationError
from cogov_toolkit.io.cad import ControlPoints, DeclaredCRS, image_bounds_for, import_dxf, list_cad_layers
from cogov_toolkit.io.tables import progress_bar, read_table

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace

#: where the personal columns of an imported record table go, and how they are tied to it
PERSONAL_DESTINATION = {
    "households": "people",  # keyed by household_id
    "demands": "demand_contacts",  # linked to the demand's uuid
    "adoptions": "adopter_contacts",
}
#: private table that ties a record to the household it came from (who voted how, who answered)
HOUSEHOLD_LINK = {"ballots": "ballot_links", "evaluations": "evaluation_links", "demands": "demand_contacts"}


@dataclass(frozen=True)
class ImportReport:
    """What an import read and stored, and what it left out, in words for the planner."""

    kind: str
    file: Path
    count: int
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __str__(self) -> str:
        head = i18n.t("import.report.done", file=self.file.name, count=self.count, target=i18n.t(f"layer.{self.kind}"))
        return "\n".join([head, *(f"  - {note}" for note in self.notes)])

    def _repr_html_(self) -> str:
        lines = str(self).splitlines()
        items = "".join(f"<li>{html_text(line.strip(' -'))}</li>" for line in lines[1:])
        return f"<div><b>{html_text(lines[0])}</b><ul>{items}</ul></div>"


def import_file(ws: Workspace, path: str | Path, kind: str, **options: Any) -> ImportReport:
    """Import ``path`` into the layer or record table ``kind`` of ``ws`` and report what happened.

    Options for layers: ``coord_system`` ("wgs84", "gcj02", "bd09"), ``crs``, ``layer``,
    ``lon``, ``lat``, ``encoding``, ``sheet``; for record tables: ``encoding``,
    ``sheet`` and ``household_column`` (a column holding the household id, kept
    only as a private link).
    """
    if kind in LAYERS:
        return import_layer(ws, path, kind, **options)
    if kind in RECORD_TABLES:
        allowed = {"encoding", "sheet", "household_column"}
        return import_records(ws, path, kind, **{k: v for k, v in options.items() if k in allowed})
    raise RecordError("record.unknown_layer", table=kind, tables="、".join([*LAYERS, *RECORD_TABLES]))


#: layers taken only where the community is (an OpenStreetMap extract covers a whole district)
WITHIN_COMMUNITY = ("roads", "landmarks")


def import_layer(ws: Workspace, path: str | Path, kind: str, **options: Any) -> ImportReport:
    """Read and check a spatial file, then replace the workspace layer ``kind`` with it.

    Roads and landmarks are kept where the community is: within a margin of its
    outline (the ``community`` layer, else the 小区), when the workspace has one.
    """
    from cogov_toolkit.io.gis import read_layer

    options = {k: v for k, v in options.items() if v is not None}
    if kind in WITHIN_COMMUNITY and "within" not in options:
        options["within"] = community_outline(ws)
        options = {k: v for k, v in options.items() if v is not None}
    imported = read_layer(path, kind, **options)
    count = ws.write_layer(kind, imported.frame)
    notes = list(imported.warnings)
    if not imported.personal.empty and len(imported.personal.columns) > 1:
        notes.append(i18n.t("import.report.personal_not_stored"))
    return ImportReport(kind, Path(path), count, tuple(str(n) for n in notes))


def import_records(
    ws: Workspace,
    path: str | Path,
    table: str,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    household_column: str | None = None,
) -> ImportReport:
    """Read and check a CSV/Excel file, then add its rows to the record table ``table``."""
    spec = RECORD_TABLES[table]
    checked = check_records(
        read_table(path, encoding=encoding, sheet=sheet), spec.columns, file=path, key=spec.key, progress=progress_bar
    )
    rows = [_plain_row(row) for row in checked.frame.to_dict("records")]
    _refuse_stored_ids(ws, table, checked, rows)
    links: list[dict[str, dict[str, Any]]] = [{} for _ in rows]
    private_rows: dict[str, list[dict[str, Any]]] = {}
    keys: list[str | None] = [None] * len(rows)

    destination = PERSONAL_DESTINATION.get(table)
    personal = checked.personal.drop(columns=[c for c in ("row", spec.key) if c in checked.personal.columns])
    personal_rows = personal.to_dict("records") if len(personal.columns) else [{} for _ in rows]
    if table == "adoptions":  # a person's display name is personal; a team's or a firm's is public
        for i, row in enumerate(rows):
            if row.get("adopter_type") in PERSONAL_ADOPTERS and row.get("public_name"):
                personal_rows[i] = {**personal_rows[i], "public_name": row["public_name"]}
                row["public_name"] = None
    consents: list[dict[str, Any]] = []
    if destination and personal_rows:
        wanted = [c.name for c in PRIVATE_TABLES[destination].columns]
        for i, values in enumerate(personal_rows):
            values = _plain_row(values)
            consent = _consent_row(table, rows[i], values)
            if consent:
                consents.append(consent)
            values = {k: v for k, v in values.items() if k in wanted and v is not None}
            if not values:
                continue
            if PRIVATE_TABLES[destination].links_to == table:
                links[i].setdefault(destination, {}).update(values)
            else:
                private_rows.setdefault(destination, []).append({spec.key: rows[i][spec.key], **values})
    if consents:
        private_rows["consents"] = consents
    if table == "ballots":
        ballot_ids = checked.extra["ballot_id"] if "ballot_id" in checked.extra else None
        for i, row in enumerate(rows):
            row["ballot_ref"] = random_reference()
            source = plain_value(ballot_ids.iloc[i]) if ballot_ids is not None else None
            if source is not None:
                links[i].setdefault("ballot_links", {})["source_ref"] = str(source)
                keys[i] = f"{row.get('vote_id')}|{row.get('channel') or 'import'}|{source}"
    if household_column:
        link_table = HOUSEHOLD_LINK[table]
        households = checked.extra[household_column] if household_column in checked.extra else None
        for i, household in enumerate(households if households is not None else []):
            if not is_blank(household):
                extra = {"vote_id": rows[i].get("vote_id")} if link_table == "ballot_links" else {}
                links[i].setdefault(link_table, {}).update({"household_id": str(household).strip(), **extra})

    if table == "ballots":  # a link row needs its household: a ballot with none keeps no reference
        for i, link in enumerate(links):
            if "ballot_links" in link and "household_id" not in link["ballot_links"]:
                del link["ballot_links"]
                keys[i] = None
    ws.add_many(table, rows, private=links, private_rows=private_rows, idempotency_keys=keys)
    notes = [str(n) for n in checked.notes()]
    if household_column:
        notes = [n for n in notes if household_column not in n] + [
            i18n.t("import.report.household_link", column=household_column)
        ]
    return ImportReport(table, Path(path), len(rows), tuple(notes))


def _refuse_stored_ids(ws: Workspace, table: str, checked: CheckedTable, rows: list[dict[str, Any]]) -> None:
    """Raise, naming the file, every row and every id, when rows of the file are already in the workspace."""
    key = RECORD_TABLES[table].key
    if key is None:
        return
    stored = set(ws.records(table)[key].dropna().astype(str)) if ws.count(table) else set()
    header = checked.headers.get(key, key)
    problems = [
        Problem("import.id_in_workspace", str(checked.file), source_row, header, checked.sheet, {"value": row[key]})
        for row, source_row in zip(rows, checked.rows, strict=True)
        if row.get(key) is not None and str(row[key]) in stored
    ]
    if problems:
        ids = "、".join(str(p.params["value"]) for p in problems)
        raise ValidationError(
            "import.ids_in_workspace",
            file=checked.file,
            sheet=checked.sheet,
            problems=problems,
            count=len(problems),
            ids=ids,
        )


def import_cad_buildings(
    ws: Workspace,
    path: str | Path,
    layer_roles: dict[str, str],
    placement: DeclaredCRS | ControlPoints | None = None,
) -> ImportReport:
    """Add the building outlines of a DXF site plan to the buildings layer, with new ids.

    ``layer_roles`` says which CAD layers are what (``{"建筑": "buildings"}``); the plan is
    placed by ``placement`` or, when not given, by its own GEODATA. Outlines get ids
    after the last one in the workspace (B012, B013 …); their roster columns stay empty
    until the buildings roster fills them. Every closed polyline repaired or refused is
    in the report, with its CAD layer and handle.
    """
    import geopandas as gpd
    import pandas as pd

    result = import_dxf(path, layer_roles, placement)
    outlines = result.layers.get("buildings")
    if outlines is None:
        raise RecordError("cad.no_building_layer", file=path, roles="、".join(layer_roles))
    current = ws.read_layer("buildings").drop(columns="fid")
    taken = set(current["building_id"].astype(str))
    start = len(current) + 1
    while any(f"B{start + i:03d}" in taken for i in range(len(outlines))):
        start += 1
    new = gpd.GeoDataFrame(
        {
            "building_id": [f"B{start + i:03d}" for i in range(len(outlines))],
            "label": [f"{start + i}栋" for i in range(len(outlines))],
        },
        geometry=list(outlines.geometry),
        crs=outlines.crs,
    )
    for column in current.columns:
        if column not in new.columns and column != "geometry":
            new[column] = None
    frame = gpd.GeoDataFrame(pd.concat([current, new[current.columns]], ignore_index=True), crs=current.crs or new.crs)
    ws.write_layer("buildings", frame)
    notes = [i18n.t("import.report.cad_placed", how=i18n.t(f"import.report.placed_by.{result.placed_by}"))]
    notes += [p.message() for p in result.repairs]
    if result.left_out.get("buildings"):
        notes.append(i18n.t("import.report.cad_left_out", count=result.left_out["buildings"]))
    return ImportReport("buildings", Path(path), len(new), tuple(notes))


def community_outline(ws: Workspace) -> Any:
    """Return the community's outline (WGS-84, one shapely geometry), from its 社区 or else its 小区; None if neither."""
    import shapely

    for kind in ("community", "neighbourhoods"):
        frame = ws.read_layer(kind)
        shapes = [g for g in frame.geometry if g is not None and not g.is_empty]
        if shapes:
            return shapely.union_all(shapes)
    return None


def import_cad_roads(
    ws: Workspace,
    path: str | Path,
    layer_roles: dict[str, str],
    placement: DeclaredCRS | ControlPoints | None = None,
    *,
    kind: str = "internal",
) -> ImportReport:
    """Add the road lines of a DXF site plan (the CAD layers given the role ``roads``) to the roads layer.

    Each line gets a new id (R01 …) and the road kind ``kind`` (小区道路 unless told, e.g.
    ``"fire_lane"`` for a 消防通道 layer); names are typed later (in the site editor or a file).
    """
    import geopandas as gpd
    import pandas as pd

    result = import_dxf(path, layer_roles, placement)
    lines = result.layers.get("roads")
    if lines is None:
        raise RecordError("cad.no_road_layer", file=path, roles="、".join(layer_roles))
    current = ws.read_layer("roads").drop(columns="fid")
    taken = set(current["road_id"].astype(str))
    start = len(current) + 1
    while any(f"R{start + i:02d}" in taken for i in range(len(lines))):
        start += 1
    new = gpd.GeoDataFrame(
        {"road_id": [f"R{start + i:02d}" for i in range(len(lines))], "kind": kind},
        geometry=list(lines.geometry),
        crs=lines.crs,
    )
    for column in current.columns:
        if column not in new.columns and column != "geometry":
            new[column] = None
    frame = gpd.GeoDataFrame(pd.concat([current, new[current.columns]], ignore_index=True), crs=current.crs or new.crs)
    ws.write_layer("roads", frame)
    notes = [i18n.t("import.report.cad_roads_placed", how=i18n.t(f"import.report.placed_by.{result.placed_by}"))]
    if result.left_out.get("roads"):
        notes.append(i18n.t("import.report.cad_roads_left_out", count=result.left_out["roads"]))
    return ImportReport("roads", Path(path), len(new), tuple(notes))


def _plain_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: plain_value(v) for k, v in row.items()}


#: the consent a 同意公开姓名 column gives, by the table imported
_CONSENT_PURPOSE = {"households": Purpose.HONOUR_ROLL, "adoptions": Purpose.ADOPTER_ROSTER}
_YES = frozenset({"1", "true", "yes", "y", "是", "同意", "已同意"})


def _consent_row(table: str, row: dict[str, Any], personal: dict[str, Any]) -> dict[str, Any] | None:
    """Return the consent record a row's 同意公开姓名 cell gives (a clear yes and a name to show), or None."""
    purpose = _CONSENT_PURPOSE.get(table)
    consent = personal.get("publish_name_consent")
    shown = personal.get("public_name")
    if purpose is None or shown is None or str(consent).strip().lower() not in _YES:
        return None
    if table == "adoptions":
        start = row.get("start_on") or dt.date.today().isoformat()
        return {"purpose": str(purpose), "given_on": start, "public_name": shown, "subject_id": row.get("adoption_id")}
    return {
        "purpose": str(purpose),
        "given_on": dt.date.today().isoformat(),
        "public_name": shown,
        "household_id": row.get("household_id"),
    }


__all__ = [
    "ImportReport",
    "import_file",
    "import_layer",
    "import_records",
    "import_cad_buildings",
    "import_cad_roads",
    "community_outline",
    "PERSONAL_DESTINATION",
    "HOUSEHOLD_LINK",
    # re-exported for widgets and notebooks
    "list_cad_layers",
    "image_bounds_for",
    "ControlPoints",
    "DeclaredCRS",
    "import_dxf",
]
