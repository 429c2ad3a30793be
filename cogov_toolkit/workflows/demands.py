"""The demands workflow on a workspace: record, import, triage, move on, count, map, promote.

The rules live in :mod:`cogov_toolkit.core.triage` (三事分流, status steps,
history) and :mod:`cogov_toolkit.core.workdays` (reply deadlines); this module
applies them to the ``demands`` table and keeps every change in
``demand_events``. Each verb is one durable transaction of the workspace that
appends the history rows (the record of truth: the dashboard trusts the
history over the demand row) and updates the demand row's copy of status,
class and dates together; recording a demand allocates its id, stores it and
its first history row in one transaction, so concurrent saves never share an
id and a killed save never leaves a demand without history.

The reporter's contact (name, phone, household) goes to the private
``demand_contacts`` table only. What is published or mapped comes from an
allow-listed public view (:data:`PUBLIC_COLUMNS`), its text through the
publication gate (:func:`cogov_toolkit.workflows.privacy.publication_gate`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core import triage
from cogov_toolkit.core.schema import ENUMS, RECORD_TABLES
from cogov_toolkit.core.triage import (
    CLOSED,
    DEFAULT_RULES,
    DashboardFigures,
    DemandStatus,
    History,
    Level,
    Suggestion,
    TriageClass,
    TriageRule,
    TriageScope,
    current_class,
    suggest_class,
)
from cogov_toolkit.core.validate import raise_problems, review_records
from cogov_toolkit.core.values import is_blank, plain_value
from cogov_toolkit.core.workdays import DEFAULT_POLICY, Deadline, DeadlinePolicy, deadline_for, local_time
from cogov_toolkit.errors import DemandError, Problem
from cogov_toolkit.i18n.text import column_display_name
from cogov_toolkit.io.tables import progress_bar, read_table
from cogov_toolkit.workflows.privacy import PublicationGate, publication_gate

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace

#: the layer and id column a demand's place is looked up in, by ``place_type``
PLACE_LAYERS: Mapping[str, tuple[str, str]] = {
    "building": ("buildings", "building_id"),
    "public_space": ("public_spaces", "space_id"),
    "idle_plot": ("idle_plots", "plot_id"),
    "adoption_zone": ("adoption_zones", "zone_id"),
    "neighbourhood": ("neighbourhoods", "neighbourhood_id"),
}
#: the only demand columns that reach a map or a published list
PUBLIC_COLUMNS: tuple[str, ...] = (
    "demand_id",
    "reported_on",
    "place_type",
    "place_id",
    "building_id",
    "category",
    "text",
    "urgency",
    "triage_class",
    "status",
    "due_at",
)
#: when a demand recorded with a date only counts as received: the office opens at 09:00
RECEIVED_AT_OPENING = time(9, 0)


@dataclass(frozen=True)
class Contact:
    """The reporter's contact, kept in the private file only (never in the shareable workspace).

    ``name`` and ``phone`` are left out of the repr so that they do not turn up in logs.
    """

    household_id: str | None = None
    name: str | None = None
    phone: str | None = None

    def __repr__(self) -> str:
        return f"Contact(household_id={self.household_id!r}, name=…, phone=…)"

    def private_row(self) -> dict[str, str]:
        """Return the filled fields as a ``demand_contacts`` row (without the link)."""
        values = {"household_id": self.household_id, "name": self.name, "phone": self.phone}
        return {k: str(v).strip() for k, v in values.items() if v is not None and str(v).strip()}


def default_role() -> str:
    """Return the role written in the history when none is given (社区工作者)."""
    return i18n.t("demand_flow.role.planner")


def _aware(moment: datetime | date) -> datetime:
    """Return a moment in Beijing time; a bare date means the office's opening that day."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, RECEIVED_AT_OPENING)
    return local_time(moment)


# --- places ------------------------------------------------------------------------------------
def known_places(ws: Workspace) -> dict[str, set[str]]:
    """Return ``place_type`` -> the ids of that kind of place in the workspace."""
    out = {}
    for place_type, (layer, id_column) in PLACE_LAYERS.items():
        frame = ws.layer_records(layer, columns=[id_column])  # the ids only, no geometry
        out[place_type] = set(frame[id_column].astype(str)) if len(frame) else set()
    return out


class _StoredPlaces(Mapping[str, "_StoredIds"]):
    """``place_type`` -> ids, answered by one keyed count per id checked (no layer is read)."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def __getitem__(self, place_type: str) -> _StoredIds:
        layer, id_column = PLACE_LAYERS[place_type]
        return _StoredIds(self._ws, layer, id_column)

    def __iter__(self) -> Iterator[str]:
        return iter(PLACE_LAYERS)

    def __len__(self) -> int:
        return len(PLACE_LAYERS)


@dataclass(frozen=True)
class _StoredIds:
    ws: Workspace
    layer: str
    id_column: str

    def __contains__(self, place_id: object) -> bool:
        return self.ws.count(self.layer, {self.id_column: str(place_id)}) > 0


def place_choices(ws: Workspace) -> list[tuple[str, tuple[str, str]]]:
    """Return the places a demand may be at, as (label, (place_type, id)) for a chooser.

    Labels are what residents say: "5栋", "3号 幸福小花园（小花园）", "闲置地 2号 2栋北侧闲置地".
    """
    choices: list[tuple[str, tuple[str, str]]] = []
    buildings = ws.read_layer("buildings")
    for bid, label in zip(buildings["building_id"], buildings["label"], strict=True):
        choices.append((f"{i18n.t('demand_flow.place.building')} {label}", ("building", str(bid))))
    for place_type, layer, id_column in (
        ("public_space", "public_spaces", "space_id"),
        ("idle_plot", "idle_plots", "plot_id"),
    ):
        frame = ws.read_layer(layer)
        for record in frame.drop(columns="geometry").to_dict("records"):
            name = record.get("name") if not is_blank(record.get("name")) else ""
            label = i18n.t(f"demand_flow.place.{place_type}", number=record["number"], name=name)
            choices.append((label.strip(), (place_type, str(record[id_column]))))
    neighbourhoods = ws.read_layer("neighbourhoods")
    for nid, name in zip(neighbourhoods["neighbourhood_id"], neighbourhoods["name"], strict=True):
        choices.append((f"{i18n.t('demand_flow.place.neighbourhood')} {name}", ("neighbourhood", str(nid))))
    return choices


def _place_problems(
    values: Mapping[str, Any], places: Mapping[str, set[str]], locate: Any, headers: Mapping[str, str]
) -> list[Problem]:
    """Return problems of a demand's place: unknown building or place, or a place with no type."""
    problems = []
    place_type, place_id, building_id = (values.get(k) for k in ("place_type", "place_id", "building_id"))
    same_as_place = place_type == "building" and place_id == building_id
    if building_id is not None and not same_as_place and str(building_id) not in places["building"]:
        problems.append(
            locate("demand_flow.unknown_building", headers.get("building_id", "building_id"), value=building_id)
        )
    if place_id is not None:
        if place_type is None:
            problems.append(locate("demand_flow.place_without_type", headers.get("place_type", "place_type")))
        elif place_type in places and str(place_id) not in places[place_type]:
            problems.append(
                locate(
                    "demand_flow.unknown_place",
                    headers.get("place_id", "place_id"),
                    value=place_id,
                    place_type=i18n.label("place_type", place_type),
                )
            )
    return problems


# --- recording ---------------------------------------------------------------------------------
def next_demand_id(ws: Workspace) -> str:
    """Return the next free id of the form D001 (one more than the highest so far: one indexed lookup)."""
    return f"D{(ws.max_number('demands', 'demand_id', 'D') or 0) + 1:03d}"


def record_demand(
    ws: Workspace,
    *,
    reported_on: date,
    channel: str,
    category: str,
    text: str,
    place_type: str | None = None,
    place_id: str | None = None,
    urgency: str = "general",
    scope: str | None = None,
    households_affected: int | None = None,
    contact: Contact | None = None,
    demand_id: str | None = None,
    received_at: datetime | None = None,
    by: str | None = None,
    idempotency_key: str | None = None,
    policy: DeadlinePolicy = DEFAULT_POLICY,
) -> str:
    """Record one demand as received, its contact kept private, and return its demand id.

    Parameters
    ----------
    ws : Workspace
        The open workspace.
    reported_on : date
        The day it was raised.
    channel, category, urgency, scope : str
        Codes of ``demand_channel``, ``demand_category``, ``demand_urgency``
        (general by default) and ``triage_scope``.
    text : str
        What the resident asked for (not blank).
    place_type, place_id : str, optional
        Where: a building, public space, idle plot, adoption zone or
        neighbourhood of this workspace.
    households_affected : int, optional
        How many households it touches (used by the triage suggestion).
    contact : Contact, optional
        Stored only in the private ``demand_contacts`` table.
    demand_id : str, optional
        By default the next free ``D###``.
    received_at : datetime, optional
        When the community received it; by default ``reported_on`` at 09:00.
    by : str, optional
        Who recorded it (社区工作者 by default).
    idempotency_key : str, optional
        One per filled form, so a double tap records once.
    policy : DeadlinePolicy
        The reply time limits.

    Raises
    ------
    DemandError
        ``demand_flow.bad_demand`` listing every problem (unknown code, blank
        text, unknown place).
    """
    values: dict[str, Any] = {
        "channel": channel,
        "category": category,
        "urgency": urgency or "general",
        "scope": scope,
        "place_type": place_type,
        "place_id": place_id,
        "building_id": place_id if place_type == "building" else None,
        "text": text.strip() if isinstance(text, str) else text,
        "households_affected": households_affected,
    }
    problems = _code_problems(values)
    if is_blank(values["text"]):
        problems.append(Problem("demand_flow.blank_text", column=i18n.t("column.text")))
    if households_affected is not None and (not isinstance(households_affected, int) or households_affected < 0):
        problems.append(Problem("demand_flow.bad_households", column=i18n.t("column.households_affected")))

    def locate(reason: str, column: str, **params: Any) -> Problem:
        return Problem(reason, column=column, params=params)

    display = {c: column_display_name(c) for c in ("place_type", "place_id", "building_id")}
    problems += _place_problems(values, _StoredPlaces(ws), locate, display)
    if problems:
        raise DemandError("demand_flow.bad_demand", problems=problems, count=len(problems))
    received = _aware(received_at or reported_on)
    deadline = deadline_for(received, values["urgency"], policy)
    private = {"demand_contacts": contact.private_row()} if contact and contact.private_row() else None
    history_now = triage.apply_transition((), DemandStatus.RECEIVED, received, by or default_role())
    # one transaction: the id is allocated, the demand and its first history row stored together
    with ws.transaction():
        new_id = demand_id or next_demand_id(ws)
        row = {
            **values,
            "demand_id": new_id,
            "reported_on": reported_on,
            "status": DemandStatus.RECEIVED.value,
            "received_at": received,
            "due_at": deadline.due_at,
        }
        stored = ws.add("demands", row, private=private, idempotency_key=idempotency_key)
        if idempotency_key is not None:
            # a retried form returns the demand saved the first time, under the id it got then
            stored_id = str(ws.get("demands", stored)["demand_id"])
            if stored_id != new_id:
                if not history(ws, stored_id):
                    _append_events(ws, stored_id, (), history_now)
                return stored_id
        # a new demand: its first history row is written as it is, not read back
        _append_events(ws, new_id, (), history_now)
    return new_id


def _code_problems(values: Mapping[str, Any]) -> list[Problem]:
    problems = []
    for column, enum in (
        ("channel", "demand_channel"),
        ("category", "demand_category"),
        ("urgency", "demand_urgency"),
        ("scope", "triage_scope"),
        ("place_type", "place_type"),
    ):
        value = values.get(column)
        if value is None and column in ("channel", "category"):
            problems.append(Problem("demand_flow.blank_value", column=i18n.t(f"column.{column}")))
        elif value is not None and value not in ENUMS[enum]:
            allowed = "、".join(i18n.label(enum, c) for c in ENUMS[enum])
            problems.append(
                Problem(
                    "demand_flow.bad_code",
                    column=i18n.t(f"column.{column}"),
                    params={"value": value, "allowed": allowed},
                )
            )
    return problems


# --- importing ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class DemandImport:
    """What :func:`import_demands` stored."""

    file: Path
    demand_ids: tuple[str, ...]
    contacts: int
    notes: tuple[str, ...] = ()

    def __str__(self) -> str:
        head = i18n.t(
            "demand_flow.import.done", file=self.file.name, count=len(self.demand_ids), contacts=self.contacts
        )
        return "\n".join([head, *(f"  - {n}" for n in self.notes)])


def import_demands(
    ws: Workspace,
    path: str | Path,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    household_column: str = "reporter_household_id",
    by: str | None = None,
    policy: DeadlinePolicy = DEFAULT_POLICY,
) -> DemandImport:
    """Import a demands list (CSV in UTF-8 or GBK, or Excel) as received demands.

    Every problem of the file is reported at once with its row and column:
    unknown codes (category, channel …), blank text, bad dates (by the
    table checker), and, against the workspace, unknown buildings and places
    and demand ids already recorded. A status other than 已受理 (received) is refused: a
    demand moves on through the workflow, where each step is kept.
    Name and phone columns (姓名, 电话 …) and the household column go to the
    private ``demand_contacts`` table only.

    Raises
    ------
    EncodingError, ValidationError, MissingColumnsError
        From :mod:`cogov_toolkit.core.tables`, naming file, row and column.
    """
    spec = RECORD_TABLES["demands"]
    table = read_table(path, encoding=encoding, sheet=sheet)
    checked, problems = review_records(table, spec.columns, file=path, key="demand_id", progress=progress_bar)
    places = known_places(ws)
    headers = checked.headers
    rows = [{k: plain_value(v) for k, v in r.items()} for r in checked.frame.to_dict("records")]
    # the file's ids already recorded: one keyed read of those, not of every id
    wanted = [str(r["demand_id"]) for r in rows if r.get("demand_id") is not None]
    existing = set(ws.records("demands", {"demand_id": wanted}, columns=["demand_id"])["demand_id"].astype(str))
    for index, values in enumerate(rows):
        row_number = checked.rows[index]

        def locate(reason: str, column: str, _row: int = row_number, **params: Any) -> Problem:
            return Problem(reason, str(path), _row, column, checked.sheet, params)

        problems += _place_problems(values, places, locate, headers)
        if values.get("demand_id") is not None and str(values["demand_id"]) in existing:
            problems.append(locate("demand_flow.already_recorded", headers["demand_id"], value=values["demand_id"]))
        if values.get("status") not in (None, DemandStatus.RECEIVED.value):
            problems.append(
                locate(
                    "demand_flow.import_status",
                    headers.get("status", "status"),
                    value=i18n.label("demand_status", values["status"]),
                )
            )
    raise_problems(problems, file=path, sheet=checked.sheet)

    role = by or default_role()
    links: list[dict[str, dict[str, Any]]] = []
    personal = checked.personal
    households = checked.extra[household_column] if household_column in checked.extra else None
    histories: list[History] = []
    for index, values in enumerate(rows):
        received = _received_at(values)
        urgency = values.get("urgency") or "general"
        values.update(
            urgency=urgency,
            status=DemandStatus.RECEIVED.value,
            received_at=received,
            due_at=deadline_for(received, urgency, policy).due_at,
            building_id=values.get("building_id")
            or (values["place_id"] if values.get("place_type") == "building" else None),
        )
        contact = Contact(
            household_id=plain_value(households.iloc[index]) if households is not None else None,
            name=plain_value(personal["name"].iloc[index]) if "name" in personal else None,
            phone=plain_value(personal["phone"].iloc[index]) if "phone" in personal else None,
        )
        links.append({"demand_contacts": contact.private_row()} if contact.private_row() else {})
        history_now = triage.apply_transition((), DemandStatus.RECEIVED, received, role)
        if values.get("triage_class") is not None:
            history_now = triage.classify(history_now, values["triage_class"], received, role)
        histories.append(history_now)
    events = [_event_rows(str(v["demand_id"]), (), h) for v, h in zip(rows, histories, strict=True)]
    with ws.transaction():  # the demands and their history rows: all stored, or none
        ws.add_many("demands", rows, private=links)
        ws.add_many("demand_events", [e for group in events for e in group])
    notes = [str(n) for n in checked.notes() if household_column not in str(n)]
    return DemandImport(
        Path(path), tuple(str(v["demand_id"]) for v in rows), sum(bool(link) for link in links), tuple(notes)
    )


def receive_unreceived(ws: Workspace, *, by: str | None = None, policy: DeadlinePolicy = DEFAULT_POLICY) -> list[str]:
    """Give demands stored without a history (e.g. by the generic importer) their receipt and deadline.

    Each is received at its ``received_at``, else its ``reported_on`` at 09:00.
    Returns the demand ids received.
    """
    demands = ws.records("demands")
    with_history = set(ws.records("demand_events")["demand_id"].astype(str))
    role = by or default_role()
    done = []
    events: list[dict[str, Any]] = []
    with ws.transaction():  # every demand's receipt and its history row, together
        for record in demands.to_dict("records"):
            demand_id = str(record["demand_id"])
            if demand_id in with_history:
                continue
            received = _received_at(record)
            urgency = record.get("urgency") if not is_blank(record.get("urgency")) else "general"
            history_now = triage.apply_transition((), DemandStatus.RECEIVED, received, role)
            events += _event_rows(demand_id, (), history_now)
            ws.update(
                "demands",
                record["uuid"],
                {
                    "status": DemandStatus.RECEIVED.value,
                    "received_at": received,
                    "urgency": urgency,
                    "due_at": deadline_for(received, urgency, policy).due_at,
                },
            )
            done.append(demand_id)
        if events:
            ws.add_many("demand_events", events)
    return done


def _received_at(record: Mapping[str, Any]) -> datetime:
    if not is_blank(record.get("received_at")):
        return local_time(pd.Timestamp(record["received_at"]).to_pydatetime())
    return _aware(date.fromisoformat(str(record["reported_on"])[:10]))


# --- the history -------------------------------------------------------------------------------
def _event_rows(demand_id: str, before: History, after: History) -> list[dict[str, Any]]:
    return triage.history_rows(demand_id, after, start=len(before))


def _append_events(ws: Workspace, demand_id: str, before: History, after: History) -> None:
    ws.add_many("demand_events", _event_rows(demand_id, before, after))


def history(ws: Workspace, demand_id: str) -> History:
    """Return a demand's history, rebuilt from ``demand_events`` with every rule replayed."""
    events = ws.records("demand_events", {"demand_id": str(demand_id)}, columns=list(triage.HISTORY_COLUMNS))
    return triage.histories_from_frame(events).get(str(demand_id), ())


def history_lines(ws: Workspace, demand_id: str, language: str | None = None) -> list[str]:
    """Return the history as the lines shown to planners, each with its time."""
    return [entry.describe(language) for entry in history(ws, demand_id)]


def _demand(ws: Workspace, demand_id: str) -> dict[str, Any]:
    found = ws.find("demands", str(demand_id))
    if found is None:
        raise DemandError("demand_flow.unknown_demand", demand_id=demand_id)
    return found


def _commit(ws: Workspace, demand_id: str, before: History, after: History, changes: Mapping[str, Any]) -> History:
    """Store the new history rows and the demand row's copy of what changed, in one durable transaction."""
    with ws.transaction():
        _append_events(ws, demand_id, before, after)
        if changes:
            ws.update("demands", _demand(ws, demand_id)["uuid"], changes)
    return after


# --- triage ------------------------------------------------------------------------------------
def suggestion(ws: Workspace, demand_id: str, *, rules: Iterable[TriageRule] = DEFAULT_RULES) -> Suggestion:
    """Return the suggested 三事分流 class of a stored demand, from its category, place and scope."""
    record = _demand(ws, demand_id)
    households = record.get("households_affected")
    return triage.suggest_class(
        record["category"],
        plain_value(record.get("place_type")),
        plain_value(record.get("scope")) if plain_value(record.get("scope")) in set(triage.TriageScope) else None,
        int(households) if not is_blank(households) else None,
        rules=rules,
    )


def confirm_class(
    ws: Workspace,
    demand_id: str,
    triage_class: TriageClass | str | None = None,
    *,
    at: datetime,
    by: str | None = None,
    reason: str | None = None,
) -> History:
    """Confirm a demand's class (the suggestion when none is given), or reclassify it with a reason.

    Raises
    ------
    DemandTransitionError
        ``triage.same_class``, ``triage.reclassify_without_reason`` …
    """
    before = history(ws, demand_id)
    chosen = triage_class or suggestion(ws, demand_id).triage_class
    after = triage.classify(before, chosen, at, by or default_role(), reason)
    return _commit(ws, demand_id, before, after, {"triage_class": str(TriageClass(chosen))})


def reclassify(
    ws: Workspace, demand_id: str, triage_class: TriageClass | str, *, at: datetime, reason: str, by: str | None = None
) -> History:
    """Change a confirmed class; the reason is required and kept in the history."""
    return confirm_class(ws, demand_id, triage_class, at=at, by=by, reason=reason)


def escalate(
    ws: Workspace, demand_id: str, to_level: Level | str, *, at: datetime, reason: str, by: str | None = None
) -> History:
    """Escalate a 大事 to the 街道 or the 12345 hotline; the reason is required.

    The handling unit shown for the demand becomes that level.
    """
    before = history(ws, demand_id)
    after = triage.escalate(before, to_level, at, by or default_role(), reason)
    return _commit(ws, demand_id, before, after, {"handler_unit": i18n.t(f"triage.level.{Level(to_level)}")})


def transition(
    ws: Workspace,
    demand_id: str,
    to_status: DemandStatus | str,
    *,
    at: datetime,
    by: str | None = None,
    reason: str | None = None,
    handler_unit: str | None = None,
    handler: str | None = None,
    reply: str | None = None,
    rating: int | None = None,
) -> History:
    """Move a demand one step on (or, with a reason, back to 已交办 to re-open it).

    Parameters
    ----------
    ws : Workspace
        The open workspace.
    demand_id : str
        The demand.
    to_status : DemandStatus or str
        ``assigned`` (with ``handler_unit`` and ``handler``: a 大事 needs both),
        ``replied`` (with the ``reply``), ``resolved``, ``rated`` (with a
        ``rating`` of 1–5 from the resident).
    at : datetime
        When; naive means Beijing time.
    by : str, optional
        Who made the change (社区工作者 by default).
    reason : str, optional
        Why; required to go back (re-open).
    handler_unit, handler : str, optional
        The unit and person it is assigned to.
    reply : str, optional
        The reply given to the resident.
    rating : int, optional
        The resident's satisfaction, 1 (非常不满意) to 5 (非常满意).

    Raises
    ------
    DemandTransitionError
        A skipped step, a step back without a reason, …  (core.triage).
    DemandError
        ``demand_flow.needs_handler``, ``demand_flow.needs_reply`` or
        ``demand_flow.bad_rating``.
    """
    before = history(ws, demand_id)
    after = triage.apply_transition(before, to_status, at, by or default_role(), reason)
    target = DemandStatus(to_status)
    moment = local_time(at)
    changes: dict[str, Any] = {"status": target.value}
    if target is DemandStatus.ASSIGNED:
        if triage.current_class(after) is TriageClass.MAJOR and (is_blank(handler_unit) or is_blank(handler)):
            # 大事: a named unit and person answer for it (三.3)
            raise DemandError("demand_flow.needs_handler")
        changes.update({k: v for k, v in (("handler_unit", handler_unit), ("handler", handler)) if not is_blank(v)})
    elif target is DemandStatus.REPLIED:
        if is_blank(reply):
            raise DemandError("demand_flow.needs_reply")
        changes.update(reply=reply.strip(), replied_at=moment)
    elif target is DemandStatus.RESOLVED:
        changes["resolved_at"] = moment
    elif target is DemandStatus.RATED:
        if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
            raise DemandError("demand_flow.bad_rating", value=repr(rating))
        changes["rating"] = rating
    return _commit(ws, demand_id, before, after, changes)


def reply_deadline(ws: Workspace, demand_id: str, policy: DeadlinePolicy = DEFAULT_POLICY) -> Deadline:
    """Return the reply deadline of a stored demand (counted from its receipt, by urgency)."""
    record = _demand(ws, demand_id)
    received = triage.first_at(history(ws, demand_id), DemandStatus.RECEIVED) or _received_at(record)
    urgency = record.get("urgency") if not is_blank(record.get("urgency")) else "general"
    return deadline_for(received, urgency, policy)


# --- figures, map, projects --------------------------------------------------------------------
def histories(ws: Workspace) -> dict[str, History]:
    """Return every demand's history."""
    return triage.histories_from_frame(ws.records("demand_events", columns=list(triage.HISTORY_COLUMNS)))


def demand_dashboard(ws: Workspace, now: datetime, *, policy: DeadlinePolicy = DEFAULT_POLICY) -> DashboardFigures:
    """Return the triage figures of the workspace at ``now`` (core.triage.dashboard_frames).

    Whole-column pandas work over the columns shown of the demands and the
    history rows that decide a figure: no demand's history is replayed one
    by one. Every demand has a receipt row, which only counts where the
    demand row has no deadline (``due_at``) or where its status copy says the
    demand moved on while no later step says so (a hand-edited file); so the
    receipts are read for those demands only, and every later row (a class,
    a step, an escalation) for all. A row of neither kind (an unknown value)
    makes it read the whole history, where the row is refused.
    """
    shown = ["demand_id", "category", "urgency", "triage_class", "status", "due_at", "reported_on"]
    columns = list(triage.DASHBOARD_HISTORY_COLUMNS)
    table = ws.records("demands", columns=shown)
    receipt = DemandStatus.RECEIVED.value
    later_values = [v for v in (*ENUMS["demand_status"], *ENUMS["triage_class"], *triage.ESCALATION_TARGETS)]
    later_values = [str(v) for v in later_values if str(v) != receipt]
    later = ws.records("demand_events", {"to_value": later_values}, columns=columns)
    receipts = ws.count("demand_events", {"to_value": receipt})
    if len(later) + receipts != ws.count("demand_events"):
        events = ws.records("demand_events", columns=columns)
    else:
        stepped = later["demand_id"][later["event"] == triage.EventKind.STATUS.value]
        moved_on = table["status"].notna() & (table["status"] != receipt) & ~table["demand_id"].isin(stepped)
        needed = table["demand_id"][table["due_at"].isna() | moved_on]
        first = ws.records("demand_events", {"demand_id": list(needed), "to_value": receipt}, columns=columns)
        events = pd.concat([first, later], ignore_index=True) if len(first) else later
    return triage.dashboard_frames(table, events, now, policy=policy)


def overdue_table(ws: Workspace, figures: DashboardFigures, language: str | None = None) -> pd.DataFrame:
    """Return the overdue demands, most overdue first: id, category, class, place and deadline."""
    wanted = ["demand_id", "category", "triage_class", "due_at"]
    demands = ws.records("demands", {"demand_id": list(figures.overdue)}, columns=wanted).set_index("demand_id")
    rows = []
    for demand_id in figures.overdue:
        record = demands.loc[demand_id]
        rows.append(
            {
                i18n.t("column.demand_id", language): demand_id,
                i18n.t("column.category", language): i18n.label("demand_category", record["category"], language),
                i18n.t("column.triage_class", language): i18n.label(
                    "triage_class", plain_value(record["triage_class"]), language
                )
                or i18n.t("triage.unclassified", language),
                i18n.t("column.due_at", language): _local_text(record["due_at"]),
            }
        )
    return pd.DataFrame(rows)


def _local_text(value: Any) -> str:
    if is_blank(value):
        return ""
    return local_time(pd.Timestamp(value).to_pydatetime()).strftime("%Y-%m-%d %H:%M")


def public_demands(ws: Workspace, gate: PublicationGate | None = None) -> pd.DataFrame:
    """Return the demands as they may be shown: allow-listed columns, the text through the publication gate.

    Status and class are taken from the history (the record of truth). The
    text is the resident's own words, so any phone or ID number, room
    address, household id and real name held in the private file is masked
    before it can reach a map or list (``gate``: the workspace's by default).
    """
    demands = ws.records("demands")
    known = histories(ws)
    frame = demands[list(PUBLIC_COLUMNS)].copy()
    frame["status"] = [
        str(triage.current_status(known.get(str(d), ())) or plain_value(s) or DemandStatus.RECEIVED)
        for d, s in zip(frame["demand_id"], frame["status"], strict=True)
    ]
    frame["triage_class"] = [
        (str(c) if (c := triage.current_class(known.get(str(d), ()))) else plain_value(t))
        for d, t in zip(frame["demand_id"], frame["triage_class"], strict=True)
    ]
    gate = gate or publication_gate(ws)
    frame["text"] = frame["text"].map(gate.mask)
    return frame.reset_index(drop=True)


def open_demands_layer(ws: Workspace) -> pd.DataFrame:
    """Return the demands not yet resolved, public columns only, to feed ``render.map_layers.demand_layer``."""
    frame = public_demands(ws)
    closed = {str(s) for s in CLOSED}
    return frame[~frame["status"].isin(closed)].reset_index(drop=True)


def promote_to_project(
    ws: Workspace,
    demand_id: str,
    *,
    name: str,
    project_id: str | None = None,
    site_type: str | None = None,
    site_id: str | None = None,
) -> str:
    """Put a demand on the project list (项目清单), linked to a site, and return the project id.

    The site defaults to the demand's place. The demand keeps the project id.

    Raises
    ------
    DemandError
        ``demand_flow.already_promoted``, ``demand_flow.blank_value`` (name) or
        ``demand_flow.unknown_place`` for a site not in the workspace.
    """
    record = _demand(ws, demand_id)
    if not is_blank(record.get("project_id")):
        raise DemandError("demand_flow.already_promoted", demand_id=demand_id, project_id=record["project_id"])
    if is_blank(name):
        raise DemandError("demand_flow.blank_value", column=i18n.t("column.name"))
    site_type = site_type or plain_value(record.get("place_type"))
    site_id = site_id or plain_value(record.get("place_id"))
    if site_type is not None and site_id is not None:
        if site_type not in PLACE_LAYERS or site_id not in _StoredPlaces(ws)[site_type]:
            raise DemandError(
                "demand_flow.unknown_place", value=site_id, place_type=i18n.label("place_type", site_type)
            )
    with ws.transaction():  # the project and the demand's link to it, together; the id allocated inside
        project_id = project_id or f"PJ{(ws.max_number('projects', 'project_id', 'PJ') or 0) + 1:02d}"
        ws.add(
            "projects",
            {
                "project_id": project_id,
                "name": name.strip(),
                "site_type": site_type,
                "site_id": site_id,
                "status": "proposed",
                "source_demand_id": demand_id,
            },
        )
        ws.update("demands", record["uuid"], {"project_id": project_id})
    return project_id


__all__ = [
    "PLACE_LAYERS",
    "PUBLIC_COLUMNS",
    "Contact",
    "DemandImport",
    "known_places",
    "place_choices",
    "next_demand_id",
    "record_demand",
    "import_demands",
    "receive_unreceived",
    "history",
    "history_lines",
    "suggestion",
    "confirm_class",
    "reclassify",
    "escalate",
    "transition",
    "reply_deadline",
    "histories",
    "demand_dashboard",
    "overdue_table",
    "public_demands",
    "open_demands_layer",
    "promote_to_project",
    # re-exported for widgets and notebooks
    "TriageClass",
    "TriageScope",
    "current_class",
    "suggest_class",
]
