"""The assessment (评估验收) of a workspace: gather its records, compute the indicators, set targets, write the ledger.

* :func:`gather` reads the workspace into :class:`~cogov_toolkit.core.indicators.AssessmentData`:
  the tables as frames, plus the households behind counted ballots, named survey
  answers and sign-ins (household ids only, from the private side, for counting);
* :func:`ledger` computes every indicator against its target;
* targets are set by the planner (:func:`set_target`) or read from the
  街道's 考核表 (:func:`load_scoring_sheet`; blank template: :func:`write_scoring_template`)
  and kept in the ``indicator_targets`` table;
* :func:`write_ledger` writes the 台账 as an Excel workbook (one sheet per
  indicator with the records behind it, a summary and the 回头看 list) and a
  Chinese PDF report, after checking that no name or phone of the private side
  is in it. Nothing per household reaches either file.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.cobuilding import DEFAULT_DISCLOSURE_MONTHS, disclosure_due_dates, disclosure_schedule
from cogov_toolkit.core.indicators import (
    INDICATORS,
    SPECS,
    AssessmentData,
    IndicatorResult,
    Ledger,
    Status,
    Target,
    compute_ledger,
    parse_target,
    personal_in_ledger,
    spec,
)
from cogov_toolkit.core.values import is_blank, parse_date
from cogov_toolkit.errors import AssessmentError
from cogov_toolkit.io.scoring_sheet import ScoringSheet, read_scoring_sheet, write_scoring_template
from cogov_toolkit.workflows.cobuilding import signin_households
from cogov_toolkit.workflows.evaluations import evaluation_frame
from cogov_toolkit.workflows.privacy import publication_gate
from cogov_toolkit.workflows.votes import screen_vote, stored_ballots

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace

#: days after a vote is counted within which its decision notice is due
DECISION_NOTICE_DAYS = 7
_SYSTEM = ["fid", "uuid", "created_at", "updated_at", "origin", "idempotency_key"]


def _present(value: Any) -> bool:
    return not is_blank(value)


def _public(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=[c for c in _SYSTEM if c != "uuid"], errors="ignore")


def _layer(ws: Workspace, kind: str) -> pd.DataFrame:
    return pd.DataFrame(ws.read_layer(kind).drop(columns="geometry"))


def _local_day(stamp: Any) -> dt.date:
    from cogov_toolkit.core.workdays import local_time

    return local_time(pd.Timestamp(str(stamp)).to_pydatetime()).date()


# --- gathering -----------------------------------------------------------------------------------
def counted_votes(ws: Workspace, as_of: dt.date) -> dict[str, dt.date]:
    """Return vote id -> the day it was first counted, for votes counted by ``as_of``."""
    results = ws.records("vote_results")
    first: dict[str, dt.date] = {}
    for vote_id, counted_at in zip(results.get("vote_id", []), results.get("counted_at", []), strict=False):
        day = _local_day(counted_at)
        if day <= as_of and (vote_id not in first or day < first[vote_id]):
            first[vote_id] = day
    return first


def vote_participation(ws: Workspace, as_of: dt.date) -> pd.DataFrame:
    """Return (vote_id, household_id): one row per household with a ballot kept at the count, for counted votes.

    Household ids come from the private ballot links; no choice is read. Never publish this frame.
    """
    rows = []
    for vote_id in sorted(counted_votes(ws, as_of)):
        vote, screened = screen_vote(ws, vote_id)
        if vote.hands is not None:
            continue  # a show of hands names no household
        set_aside = {s.ref for s in screened.set_aside}
        voters = {b.voter for b in stored_ballots(ws, vote_id) if b.ref not in set_aside and b.voter}
        rows += [{"vote_id": vote_id, "household_id": h} for h in sorted(voters)]
    return pd.DataFrame(rows, columns=["vote_id", "household_id"])


def notice_dues(ws: Workspace, as_of: dt.date) -> pd.DataFrame:
    """Return every notice the community owed by ``as_of``, with its deadline and when it was published.

    * each counted vote owes its decision notice within 7 days of the count (a
      convention's vote is also answered by the convention's own notice);
    * each project with a budget owes a 财务公开 every ``disclosure_months``
      (default 3), from ``disclosure_from`` or its first payment, matched to the
      published finance notices by :func:`~cogov_toolkit.core.cobuilding.disclosure_schedule`.
    """
    notices = ws.records("notices")
    published = notices[notices["status"] == "published"] if len(notices) else notices
    issued: dict[tuple[str, str], list[dt.date]] = {}
    for record in published.to_dict("records"):
        if _present(record.get("subject_id")) and _present(record.get("issued_on")):
            issued.setdefault((str(record.get("kind")), str(record["subject_id"])), []).append(
                parse_date(record["issued_on"])
            )
    convention_of: dict[str, str] = {}
    versions = ws.records("convention_versions")
    for record in versions.to_dict("records"):
        for vote_id in json.loads(record["vote_ids"]) if _present(record.get("vote_ids")) else []:
            convention_of[vote_id] = record["convention_id"]
    rows = []
    for vote_id, counted in sorted(counted_votes(ws, as_of).items()):
        days = issued.get(("decision", vote_id), []) + issued.get(("decision", convention_of.get(vote_id, "")), [])
        days = [d for d in days if d >= counted]
        rows.append(
            {
                "kind": "decision",
                "subject_id": vote_id,
                "due_on": counted,
                "deadline": counted + dt.timedelta(days=DECISION_NOTICE_DAYS),
                "published_on": min(days) if days else None,
            }
        )
    finance = ws.records("project_finance")
    spending = ws.records("spending")
    for record in finance.to_dict("records"):
        project_id = record["project_id"]
        first = parse_date(record["disclosure_from"]) if _present(record.get("disclosure_from")) else None
        if first is None and len(spending):
            days = [parse_date(d) for d in spending.loc[spending["project_id"] == project_id, "spent_on"]]
            first = min(days) if days else None
        if first is None:
            continue
        months = (
            int(record["disclosure_months"]) if _present(record.get("disclosure_months")) else DEFAULT_DISCLOSURE_MONTHS
        )
        schedule = disclosure_schedule(
            disclosure_due_dates(first, as_of, months), issued.get(("project", project_id), [])
        )
        rows += [
            {
                "kind": "finance",
                "subject_id": project_id,
                "due_on": d.due_on,
                "deadline": d.deadline,
                "published_on": d.published_on,
            }
            for d in schedule
        ]
    return pd.DataFrame(rows, columns=["kind", "subject_id", "due_on", "deadline", "published_on"])


def gather(ws: Workspace, as_of: dt.date) -> AssessmentData:
    """Read everything the indicators need from the workspace, as of ``as_of``."""
    evaluations = evaluation_frame(ws, with_households=True)
    responses = (
        evaluations[["project_id", "phase", "household_id", "answers", "submitted_at"]] if len(evaluations) else None
    )
    return AssessmentData(
        as_of=as_of,
        households=ws.records("households")[["household_id"]],
        votes=ws.records("votes")[["vote_id", "question"]],
        vote_participation=vote_participation(ws, as_of),
        survey_responses=responses if responses is not None else AssessmentData(as_of).survey_responses,
        sessions=_public(ws.records("workshop_sessions")).drop(columns=["minutes"], errors="ignore"),
        signins=signin_households(ws),
        demands=_public(ws.records("demands")).drop(columns=["text"], errors="ignore"),
        demand_events=_public(ws.records("demand_events")),
        idle_plots=_layer(ws, "idle_plots"),
        adoption_zones=_layer(ws, "adoption_zones"),
        adoptions=_public(ws.records("adoptions")).drop(columns=["public_name"], errors="ignore"),
        care_log=_public(ws.records("adoption_care_log")),
        contributions=_public(ws.records("contributions")).drop(columns=["public_name"], errors="ignore"),
        milestones=_public(ws.records("milestones")),
        notice_dues=notice_dues(ws, as_of),
    )


# --- targets -------------------------------------------------------------------------------------
def targets(ws: Workspace) -> dict[str, Target]:
    """Return the stored target of each indicator that has one."""
    frame = ws.records("indicator_targets")
    return {
        r["indicator"]: Target(r["indicator"], float(r["target"]), r.get("source") or "planner", r.get("sheet_file"))
        for r in frame.to_dict("records")
        if r["indicator"] in SPECS and _present(r.get("target"))
    }


def _target_uuid(ws: Workspace, key: str) -> str | None:
    frame = ws.records("indicator_targets")
    hit = frame.loc[frame["indicator"] == key, "uuid"] if len(frame) else []
    return str(hit.iloc[0]) if len(hit) else None


def set_target(
    ws: Workspace,
    key: str,
    value: Any,
    *,
    source: str = "planner",
    sheet_file: str | None = None,
    on: dt.date | None = None,
) -> Target:
    """Set (or replace) the target of one indicator; ``value`` as a planner writes it ("90%", "≥0.9", "500小时")."""
    target = Target(key, parse_target(key, value), source, sheet_file)
    values = {
        "indicator": key,
        "target": target.value,
        "source": source,
        "sheet_file": sheet_file,
        "set_on": on or dt.date.today(),
    }
    existing = _target_uuid(ws, key)
    if existing is None:
        ws.add("indicator_targets", values)
    else:
        ws.update("indicator_targets", existing, values)
    return target


def clear_target(ws: Workspace, key: str) -> None:
    """Remove the target of one indicator (it then shows 未设目标)."""
    spec(key)
    existing = _target_uuid(ws, key)
    if existing is not None:
        ws.update("indicator_targets", existing, {"target": None, "source": None, "sheet_file": None})


def load_scoring_sheet(ws: Workspace, path: str | Path, *, sheet: str | None = None) -> ScoringSheet:
    """Read the 街道's 考核表 and store its targets in one transaction (replacing earlier ones); return what was read.

    Raises
    ------
    AssessmentError
        As :func:`cogov_toolkit.io.scoring_sheet.read_scoring_sheet`; nothing is stored then.
    """
    read = read_scoring_sheet(path, sheet=sheet)
    with ws.transaction():
        for target in read.targets:
            set_target(ws, target.indicator, target.value, source="sheet", sheet_file=target.sheet_file)
    return read


# --- the ledger ----------------------------------------------------------------------------------
def ledger(ws: Workspace, as_of: dt.date, *, extra_targets: Mapping[str, Target] | None = None) -> Ledger:
    """Return every indicator of the workspace on ``as_of`` against its stored target."""
    chosen = {**targets(ws), **(extra_targets or {})}
    return compute_ledger(gather(ws, as_of), chosen)


def summary_frame(result_ledger: Ledger, language: str | None = None) -> pd.DataFrame:
    """Return the ledger as a table people read: group, indicator, value, target, status, records behind the gap."""
    field = {
        k: i18n.t(f"ledger.field.{k}", language) for k in ("group", "indicator", "value", "target", "status", "gaps")
    }
    rows = [
        {
            field["group"]: i18n.t(f"indicator.group.{r.spec.group}", language),
            field["indicator"]: r.spec.name(language),
            field["value"]: r.value_text(language),
            field["target"]: r.target_text(language),
            field["status"]: r.status_text(language),
            field["gaps"]: len(r.gaps) if r.status is Status.BELOW else "",
        }
        for r in result_ledger.results
    ]
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class LedgerFiles:
    """The ledger's files: the workbook and the PDF report."""

    xlsx: Path
    pdf: Path

    @property
    def files(self) -> list[Path]:
        """Both files, workbook first."""
        return [self.xlsx, self.pdf]


def write_ledger(ws: Workspace, folder: str | Path, as_of: dt.date, *, language: str | None = None) -> LedgerFiles:
    """Write the 台账 of ``as_of`` into ``folder``: ``评估验收台账_<日期>.xlsx`` and ``.pdf``.

    Raises
    ------
    AssessmentError
        ``assessment.personal_data`` when a name or phone of the private side
        appears anywhere in the ledger; nothing is written then.
    """
    from cogov_toolkit.render.ledger import write_ledger_pdf, write_ledger_xlsx

    result = ledger(ws, as_of)
    if personal_in_ledger(result, sorted(publication_gate(ws).private_strings)):
        raise AssessmentError("assessment.personal_data")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = i18n.t("ledger.file_stem", language, day=as_of.isoformat())
    return LedgerFiles(
        write_ledger_xlsx(result, folder / f"{stem}.xlsx", community=ws.community_name, language=language),
        write_ledger_pdf(result, folder / f"{stem}.pdf", community=ws.community_name, language=language),
    )


__all__ = [
    "DECISION_NOTICE_DAYS",
    "counted_votes",
    "vote_participation",
    "notice_dues",
    "gather",
    "targets",
    "set_target",
    "clear_target",
    "load_scoring_sheet",
    "write_scoring_template",
    "ledger",
    "summary_frame",
    "LedgerFiles",
    "write_ledger",
    # re-exported for widgets and notebooks
    "INDICATORS",
    "IndicatorResult",
    "Ledger",
    "Status",
    "Target",
]
