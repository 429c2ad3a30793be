"""The vectorised dashboard gives the figures the row-by-row one gave, on the sample and on random workspaces.

``reference_dashboard`` below is the dashboard as it was before it was
vectorised (core/triage.py up to issue 18): it replays each demand's history
and counts one demand at a time. It is kept here, unchanged but for its name,
as the reference the whole-column computation must agree with.
"""

from __future__ import annotations

import datetime as dt
import random
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

import pandas as pd
import pytest

from cogov_toolkit.core import triage
from cogov_toolkit.core.schema import ENUMS
from cogov_toolkit.core.triage import (
    AWAITING_REPLY,
    CLOSED,
    HANDLING,
    LEVEL_ORDER,
    ClassChange,
    DashboardFigures,
    DemandStatus,
    History,
    ResolutionFigure,
    TriageClass,
    current_class,
    current_status,
    first_at,
    resolution_level,
)
from cogov_toolkit.core.values import is_blank
from cogov_toolkit.core.workdays import (
    DEFAULT_POLICY,
    DeadlinePolicy,
    DemandUrgency,
    deadline_for,
    follow_up_deadline,
    local_time,
)
from cogov_toolkit.errors import DemandTransitionError, Problem, TriageError, TriageWarning
from cogov_toolkit.storage import Workspace
from cogov_toolkit.storage.memory import MemoryWorkspace
from cogov_toolkit.workflows import demands as flow

# --- the reference: the row-by-row dashboard, as it was ------------------------------------------
DASHBOARD_REQUIRED = triage.DASHBOARD_REQUIRED
_CODED_COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "category": ENUMS["demand_category"],
        "urgency": ENUMS["demand_urgency"],
        "triage_class": ENUMS["triage_class"],
        "status": ENUMS["demand_status"],
    }
)


def _present(value: Any) -> bool:
    return not is_blank(value)


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return local_time(value)
    if isinstance(value, date):
        return local_time(datetime(value.year, value.month, value.day))
    stamp = pd.Timestamp(value)
    if pd.isna(stamp):
        raise ValueError(value)
    return local_time(stamp.to_pydatetime())


def _require_columns(frame: pd.DataFrame, columns: Any, table: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise TriageError("triage.missing_columns", table=table, columns="、".join(missing))


def _status_changes(history: History) -> list[triage.StatusChange]:
    return [e for e in history if isinstance(e, triage.StatusChange)]


@dataclass(frozen=True)
class _DemandRow:
    demand_id: str
    category: str
    urgency: DemandUrgency
    triage_class: TriageClass | None
    status: DemandStatus | None
    due_at: datetime | None
    reported_on: datetime | None


def _reference_rows(demands: pd.DataFrame) -> list[_DemandRow]:
    """Check the demands table, collecting every problem before raising."""
    _require_columns(demands, DASHBOARD_REQUIRED, "demands")
    problems: list[Problem] = []
    rows: list[_DemandRow] = []
    seen: set[str] = set()
    for position, record in enumerate(demands.to_dict("records")):
        # rows counted as a person sees a sheet: header row 1, first demand row 2
        row_number = position + 2
        demand_id = str(record["demand_id"]).strip() if _present(record["demand_id"]) else ""
        if not demand_id:
            problems.append(Problem("triage.blank_id", row=row_number, column="demand_id"))
        elif demand_id in seen:
            problems.append(
                Problem("triage.duplicate_id", row=row_number, column="demand_id", params={"value": demand_id})
            )
        seen.add(demand_id)
        values: dict[str, str | None] = {}
        for column, allowed in _CODED_COLUMNS.items():
            value = record.get(column)
            values[column] = str(value).strip() if _present(value) else None
            if values[column] is None and column == "category":
                problems.append(Problem("triage.blank_category", row=row_number, column=column))
            elif values[column] is not None and values[column] not in allowed:
                params = {"value": repr(values[column]), "allowed": "、".join(allowed)}
                problems.append(Problem("triage.bad_code", row=row_number, column=column, params=params))
                values[column] = None
        moments: dict[str, datetime | None] = {}
        for column in ("due_at", "reported_on"):
            value = record.get(column)
            moments[column] = None
            if _present(value):
                try:
                    moments[column] = _as_datetime(value)
                except (ValueError, TypeError):
                    problems.append(
                        Problem("triage.bad_datetime", row=row_number, column=column, params={"value": repr(value)})
                    )
        rows.append(
            _DemandRow(
                demand_id,
                values["category"] or "",
                DemandUrgency(values["urgency"] or DemandUrgency.GENERAL),
                TriageClass(values["triage_class"]) if values["triage_class"] else None,
                DemandStatus(values["status"]) if values["status"] else None,
                moments["due_at"],
                moments["reported_on"],
            )
        )
    if problems:
        raise TriageError("triage.bad_demands", problems=problems, count=len(problems))
    return rows


def reference_dashboard(
    demands: pd.DataFrame,
    histories: Mapping[str, History],
    now: datetime,
    *,
    policy: DeadlinePolicy = DEFAULT_POLICY,
) -> DashboardFigures:
    """The dashboard as it was computed before, one demand at a time (the reference)."""
    moment = local_time(now)
    rows = _reference_rows(demands)
    strays = sorted(set(map(str, histories)) - {r.demand_id for r in rows})
    if strays:
        warnings.warn(TriageWarning(ids="、".join(strays), count=len(strays)), stacklevel=2)

    by_class = dict.fromkeys(map(str, TriageClass), 0)
    by_status = dict.fromkeys(map(str, DemandStatus), 0)
    by_category = dict.fromkeys(ENUMS["demand_category"], 0)
    unclassified = replied = replied_on_time = 0
    overdue: list[tuple[datetime, str]] = []
    follow_up_overdue: list[tuple[datetime, str]] = []
    resolved = dict.fromkeys(TriageClass, 0)
    kept = dict.fromkeys(TriageClass, 0)

    for row in rows:
        history = tuple(histories.get(row.demand_id, ()))
        status = current_status(history) or row.status or DemandStatus.RECEIVED
        triage_class = current_class(history) or row.triage_class
        by_status[status] += 1
        by_category[row.category] += 1
        if triage_class is None:
            unclassified += 1
        else:
            by_class[triage_class] += 1

        received_at = first_at(history, DemandStatus.RECEIVED) or row.reported_on
        due = row.due_at or (deadline_for(received_at, row.urgency, policy).due_at if received_at else None)
        first_reply = first_at(history, DemandStatus.REPLIED)
        if first_reply is not None and due is not None:
            replied += 1
            replied_on_time += first_reply <= due
        reopenings = [e.at for e in _status_changes(history) if e.is_backward]
        if status in AWAITING_REPLY:
            # a re-opened demand owes a fresh reply, counted from the re-opening
            reply_due = deadline_for(reopenings[-1], row.urgency, policy).due_at if reopenings else due
            if reply_due is not None and moment > reply_due:
                overdue.append((reply_due, row.demand_id))
        if status is DemandStatus.RESOLVED:
            resolved_at = [e.at for e in _status_changes(history) if e.to_status is DemandStatus.RESOLVED]
            if resolved_at:
                visit_due = follow_up_deadline(resolved_at[-1], policy).due_at
                if moment > visit_due:
                    follow_up_overdue.append((visit_due, row.demand_id))
        if status in CLOSED:
            classes = [e.to_class for e in history if isinstance(e, ClassChange)]
            original = classes[0] if classes else triage_class
            if original is not None:
                level = resolution_level(history) or HANDLING[triage_class or original].level
                resolved[original] += 1
                kept[original] += LEVEL_ORDER.index(level) <= LEVEL_ORDER.index(HANDLING[original].level)

    resolution = tuple(
        ResolutionFigure(c, HANDLING[c].level, resolved[c], kept[c])
        for c in (TriageClass.PRIVATE, TriageClass.MINOR, TriageClass.MAJOR)
    )
    return DashboardFigures(
        now=moment,
        total=len(rows),
        by_class=MappingProxyType(by_class),
        unclassified=unclassified,
        by_status=MappingProxyType(by_status),
        by_category=MappingProxyType(by_category),
        overdue=tuple(i for _, i in sorted(overdue)),
        follow_up_overdue=tuple(i for _, i in sorted(follow_up_overdue)),
        replied=replied,
        replied_on_time=replied_on_time,
        resolution=resolution,
    )


# --- the comparison -----------------------------------------------------------------------------
def assert_same_figures(ours: DashboardFigures, reference: DashboardFigures) -> None:
    """Every figure equal (field by field, so a failure names the figure)."""
    for field in fields(DashboardFigures):
        mine, theirs = getattr(ours, field.name), getattr(reference, field.name)
        if isinstance(theirs, Mapping):
            mine, theirs = dict(mine), dict(theirs)
        assert mine == theirs, field.name


START = datetime(2025, 9, 1, 9, 0)
MOMENTS = (datetime(2025, 9, 20, 12, 0), datetime(2025, 10, 20, 18, 0), datetime(2026, 3, 1, 9, 0))


def random_history(rng: random.Random, received: datetime) -> History:
    """A history that the verbs allow: classes, steps on, re-openings, escalations, in random order."""
    history = triage.apply_transition((), DemandStatus.RECEIVED, received, "社区工作者")
    at = received
    for _ in range(rng.randint(0, 9)):
        at += dt.timedelta(hours=rng.choice([0, 1, 7, 30, 80, 200]))
        status, triage_class = current_status(history), current_class(history)
        choices: list[tuple[str, Any, str | None]] = []
        if triage_class is None:
            choices.append(("class", rng.choice(list(TriageClass)), None))
        else:
            choices.append(("class", rng.choice([c for c in TriageClass if c is not triage_class]), "改分流"))
        position = triage.STATUS_ORDER.index(status)
        if position + 1 < len(triage.STATUS_ORDER):
            choices += [("status", triage.STATUS_ORDER[position + 1], None)] * 3
        if status in (DemandStatus.REPLIED, DemandStatus.RESOLVED, DemandStatus.RATED):
            choices.append(("status", DemandStatus.ASSIGNED, "居民不满意，重新交办"))
        choices.append(("escalate", rng.choice(triage.ESCALATION_TARGETS), "需街道协调"))
        kind, value, reason = rng.choice(choices)
        try:
            if kind == "class":
                history = triage.classify(history, value, at, "社区工作者", reason)
            elif kind == "status":
                history = triage.apply_transition(history, value, at, "社区工作者", reason)
            else:
                history = triage.escalate(history, value, at, "社区工作者", reason)
        except DemandTransitionError:
            continue  # not allowed from here (escalating a 小事 …): another step next time
    return history


def _moment_text(rng: random.Random, moment: datetime) -> Any:
    """The same moment as a file or a workspace may hold it: UTC text, +08:00 text, naive text, an object."""
    local = local_time(moment)
    return rng.choice(
        [
            local.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            local.isoformat(),
            local.strftime("%Y-%m-%d %H:%M"),
            local,
        ]
    )


def random_demands(seed: int, count: int = 300) -> tuple[pd.DataFrame, dict[str, History]]:
    """A demands table and its histories: stale and blank copies, blank deadlines, mixed spellings of moments."""
    rng = random.Random(seed)
    rows, histories = [], {}
    for number in range(1, count + 1):
        demand_id = f"D{number:03d}"
        received = START + dt.timedelta(hours=rng.randint(0, 24 * 120))
        urgency = rng.choice([*ENUMS["demand_urgency"], None])
        if rng.random() < 0.9:
            histories[demand_id] = random_history(rng, received)
        history = histories.get(demand_id, ())
        copy_status = current_status(history) if rng.random() < 0.8 else rng.choice([*DemandStatus, None])
        copy_class = current_class(history) if rng.random() < 0.8 else rng.choice([*TriageClass, None])
        due = deadline_for(local_time(received), urgency or "general").due_at
        rows.append(
            {
                "demand_id": demand_id,
                "category": rng.choice(ENUMS["demand_category"]),
                "urgency": urgency,
                "triage_class": None if copy_class is None else str(copy_class),
                "status": None if copy_status is None else str(copy_status),
                "due_at": _moment_text(rng, due) if rng.random() < 0.7 else None,
                "reported_on": received.date().isoformat() if rng.random() < 0.9 else None,
            }
        )
    return pd.DataFrame(rows), histories


@pytest.mark.parametrize("seed", range(6))
def test_vectorised_dashboard_equals_the_row_by_row_one_on_random_demands(seed: int) -> None:
    frame, histories = random_demands(seed)
    for moment in MOMENTS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # holidays of a year not published: both warn alike
            assert_same_figures(
                triage.dashboard(frame, histories, moment), reference_dashboard(frame, histories, moment)
            )


def test_the_random_demands_reach_every_figure() -> None:
    """The comparison above means something: the random workspaces hold every case the figures count."""
    frame, histories = random_demands(0)
    figures = reference_dashboard(frame, histories, MOMENTS[1])
    assert all(figures.by_status.values()) and all(figures.by_class.values()) and figures.unclassified
    assert figures.overdue and figures.follow_up_overdue and figures.replied > figures.replied_on_time > 0
    assert all(f.resolved > f.kept_within > 0 for f in figures.resolution)
    entries = [e for h in histories.values() for e in h]
    assert any(isinstance(e, triage.Escalation) for e in entries)
    assert any(isinstance(e, triage.StatusChange) and e.is_backward for e in entries)
    assert frame["due_at"].isna().any() and frame["urgency"].isna().any()


def test_vectorised_dashboard_lists_the_same_bad_rows() -> None:
    frame = pd.DataFrame(
        {
            "demand_id": ["D1", "D1", None, "D4", " "],
            "category": ["repair", "weather", "other", None, "repair"],
            "status": ["received", "received", "done", None, "rated"],
            "due_at": [None, "not a date", None, "2025-13-01", None],
        }
    )
    with pytest.raises(TriageError) as ours:
        triage.dashboard(frame, {}, MOMENTS[0])
    with pytest.raises(TriageError) as theirs:
        reference_dashboard(frame, {}, MOMENTS[0])
    assert [(p.reason, p.row, p.column) for p in ours.value.problems] == [
        (p.reason, p.row, p.column) for p in theirs.value.problems
    ]


def _workflow_workspace(seed: int) -> MemoryWorkspace:
    """Demands recorded and moved on through the workflow verbs, a few rows then edited by hand."""
    rng = random.Random(seed)
    ws = MemoryWorkspace()
    for number in range(120):
        received = START + dt.timedelta(hours=rng.randint(0, 24 * 120))
        demand_id = flow.record_demand(
            ws,
            reported_on=received.date(),
            received_at=received,
            channel="visit",
            category=rng.choice(ENUMS["demand_category"]),
            urgency=rng.choice(ENUMS["demand_urgency"]),
            text=f"诉求{number}",
        )
        history = random_history(rng, local_time(received))
        for entry in history[1:]:
            try:
                if isinstance(entry, ClassChange):
                    flow.confirm_class(ws, demand_id, entry.to_class, at=entry.at, reason=entry.reason)
                elif isinstance(entry, triage.Escalation):
                    flow.escalate(ws, demand_id, entry.to_level, at=entry.at, reason=entry.reason)
                else:
                    flow.transition(
                        ws, demand_id, entry.to_status, at=entry.at, reason=entry.reason, handler_unit="物业",
                        handler="王", reply="已处理", rating=4,
                    )  # fmt: skip
            except DemandTransitionError:
                break
    records = ws.records("demands", columns=["uuid", "demand_id"])
    for uuid in records["uuid"].sample(15, random_state=seed):
        ws.update("demands", uuid, {"due_at": None})  # a deadline cleared: counted from the receipt
    for uuid in records["uuid"].sample(10, random_state=seed + 1):
        ws.update("demands", uuid, {"status": "assigned"})  # a status copy edited by hand: the history wins
    return ws


@pytest.mark.parametrize("seed", range(3))
def test_workflow_dashboard_equals_the_row_by_row_one(seed: int) -> None:
    ws = _workflow_workspace(seed)
    assert len(ws.records("demands")) == 120
    for moment in MOMENTS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reference = reference_dashboard(ws.records("demands"), flow.histories(ws), moment)
            assert_same_figures(flow.demand_dashboard(ws, moment), reference)


def test_workflow_dashboard_equals_the_row_by_row_one_on_the_sample(sample: Workspace) -> None:
    def compare() -> None:
        for moment in (datetime(2025, 5, 6, 10, 0), datetime(2026, 12, 1), datetime(2027, 1, 15)):
            reference = reference_dashboard(sample.records("demands"), flow.histories(sample), moment)
            assert_same_figures(flow.demand_dashboard(sample, moment), reference)

    compare()  # as shipped: demands imported without a history yet
    flow.receive_unreceived(sample)
    ids = list(sample.records("demands")["demand_id"])
    at = datetime(2026, 12, 20, 9, 0)
    for number, demand_id in enumerate(ids[:30]):
        flow.confirm_class(sample, demand_id, at=at)
        if number % 2:
            flow.transition(sample, demand_id, "assigned", at=at, handler_unit="物业", handler="王")
        if number % 4 == 1:
            flow.transition(sample, demand_id, "replied", at=at + dt.timedelta(days=number), reply="已修")
    assert sample.count("demand_events") > sample.count("demands") > 0
    compare()


def test_stray_histories_warn_as_before() -> None:
    frame, histories = random_demands(1, count=20)
    stray = next(iter(histories))
    kept = frame[frame["demand_id"] != stray]
    with pytest.warns(TriageWarning, match=stray):
        ours = triage.dashboard(kept, histories, MOMENTS[1])
    with pytest.warns(TriageWarning, match=stray):
        reference = reference_dashboard(kept, histories, MOMENTS[1])
    assert_same_figures(ours, reference)


def test_a_history_row_no_verb_writes_is_refused() -> None:
    ws = _workflow_workspace(0)
    flow.demand_dashboard(ws, MOMENTS[1])
    ws.add(
        "demand_events",
        {"demand_id": "D001", "seq": 99, "event": "status", "at": MOMENTS[1], "to_value": "done", "by_role": "x"},
    )
    with pytest.raises(TriageError) as caught:
        flow.demand_dashboard(ws, MOMENTS[1])
    assert caught.value.reason == "triage.bad_history_event" and "done" in str(caught.value)
