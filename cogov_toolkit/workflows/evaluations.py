"""Evaluations (事前预评/事中监督/事后评价): store responses, import survey exports, analyse.

* :func:`submit_response` checks one filled questionnaire and commits it with an
  idempotency key, so a double tap or a retried submit saves once; the household
  goes to the private ``evaluation_links`` table only.
* :func:`read_wjx_export` (问卷星 .xlsx) and :func:`read_kobo_csv` (KoboToolbox /
  ODK CSV) map an export onto a questionnaire and report unmatched columns and
  rejected rows; :func:`store_import` commits the accepted rows (re-importing
  the same file adds nothing).
* Analysis (:func:`build_report`): the stored answers are checked again against
  the questionnaire and each household counts once per phase (its latest
  answer), see :func:`~cogov_toolkit.core.evaluation.prepare_responses`; then
  item means with exact 95 % t intervals, the pre → post change (partially
  overlapping samples t-test: Welch when nobody answered both phases, paired
  when everyone did), building figures (fewer than 5 households suppressed, and
  a second building wherever one hidden building could be worked out from the
  total: complementary suppression) and comments through the publication gate
  (phones, rooms, household ids and names masked).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.evaluation import (
    MIN_RESPONDENTS,
    Phase,
    building_figures,
    compare_phases,
    item_summaries,
    prepare_responses,
    public_comments,
    responses_by_role,
)
from cogov_toolkit.core.privacy import suppress_small_groups
from cogov_toolkit.core.questionnaire import (
    Answer,
    Question,
    Questionnaire,
    QuestionType,
    check_answers,
)
from cogov_toolkit.core.schema import ENUMS
from cogov_toolkit.core.workdays import SHANGHAI
from cogov_toolkit.errors import Problem, ValidationError
from cogov_toolkit.io.surveys import (
    SurveyReport,
    bundled_form_ids,
    bundled_questionnaire,
    read_kobo_csv,
    read_wjx_export,
)
from cogov_toolkit.render.evaluation_report import EvaluationReport
from cogov_toolkit.workflows.privacy import publication_gate

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace


TABLE = "evaluations"
LINKS = "evaluation_links"


#: the bundled standard questionnaire of each phase
STANDARD_FORMS = {Phase.PRE: "pre_assessment", Phase.MID: "mid_supervision", Phase.POST: "post_evaluation"}


# ---------------------------------------------------------------- storing
@dataclass(frozen=True)
class Respondent:
    """Who answered, for which project and phase (``household_id`` is kept private)."""

    project_id: str
    phase: str
    evaluator_role: str
    building_id: str | None = None
    household_id: str | None = None


def check_respondent(who: Respondent) -> list[Problem]:
    """Return the problems of the who/what part of a response (blank project, unknown codes)."""
    problems = []
    if not (who.project_id or "").strip():
        problems.append(
            Problem("evaluation.required", column="project_id", params={"question": i18n.t("evaluation.form.project")})
        )
    for column, enum in (("phase", "evaluation_phase"), ("evaluator_role", "evaluator_role")):
        if getattr(who, column) not in ENUMS[enum]:
            problems.append(
                Problem("evaluation.required", column=column, params={"question": i18n.t(f"evaluation.form.{column}")})
            )
    if who.evaluator_role == "resident" and not (who.building_id or "").strip():
        problems.append(
            Problem(
                "evaluation.required", column="building_id", params={"question": i18n.t("evaluation.form.building")}
            )
        )
    return problems


def response_record(
    form_id: str, who: Respondent, answers: Mapping[str, Answer], submitted_at: str | None
) -> dict[str, Any]:
    """Return the ``evaluations`` row of a checked response."""
    comment = answers.get("comment")
    return {
        "project_id": who.project_id.strip(),
        "phase": who.phase,
        "evaluator_role": who.evaluator_role,
        "building_id": (who.building_id or "").strip() or None,
        "questionnaire": form_id,
        "answers": json.dumps(dict(answers), ensure_ascii=False),
        "comment": comment if isinstance(comment, str) and comment else None,
        "submitted_at": submitted_at,
    }


def submit_response(
    ws: Workspace,
    questionnaire: Questionnaire,
    who: Respondent,
    raw_answers: Mapping[str, Any],
    *,
    idempotency_key: str,
    submitted_at: str | None = None,
) -> str:
    """Check one filled questionnaire and store it durably; return the record's uuid.

    Raises
    ------
    ValidationError
        ``evaluation.incomplete`` with one problem per field (column = question
        name) when something required is missing or out of range; nothing is saved.
    """
    answers, problems = check_answers(questionnaire, raw_answers)
    problems = check_respondent(who) + problems
    if problems:
        raise ValidationError("evaluation.incomplete", problems=problems, count=len(problems))
    private = {LINKS: {"household_id": who.household_id}} if who.household_id else None
    stamp = submitted_at or dt.datetime.now(SHANGHAI).isoformat(timespec="seconds")
    record = response_record(questionnaire.form_id, who, answers, stamp)
    return ws.add(TABLE, record, private=private, idempotency_key=idempotency_key)


def store_import(
    ws: Workspace, report: SurveyReport, *, project_id: str, phase: str, evaluator_role: str = "resident"
) -> SurveyReport:
    """Commit the accepted rows of an import in one transaction; return the report with their uuids.

    Each row's idempotency key is the file's fingerprint and row number, so
    importing the same file twice stores each response once.
    """
    records, privates, keys = [], [], []
    for item in report.accepted:
        who = Respondent(project_id, phase, item.evaluator_role or evaluator_role, item.building_id, item.household_id)
        problems = check_respondent(who)
        if problems:
            raise ValidationError(
                "evaluation.incomplete", file=report.file, row=item.row, problems=problems, count=len(problems)
            )
        records.append(response_record(report.questionnaire, who, item.answers, item.submitted_at))
        privates.append({LINKS: {"household_id": who.household_id}} if who.household_id else None)
        keys.append(f"import:{report.fingerprint}:{project_id}:{phase}:{item.row}")
    uuids = ws.add_many(TABLE, records, private=privates, idempotency_keys=keys)
    return SurveyReport(
        report.file,
        report.questionnaire,
        report.accepted,
        report.rejected,
        report.unmatched_columns,
        report.dropped_columns,
        report.fingerprint,
        tuple(uuids),
    )


# ---------------------------------------------------------------- analysis
def evaluation_frame(ws: Workspace, project_id: str | None = None, *, with_households: bool = False) -> pd.DataFrame:
    """Return the evaluations (optionally of one project) with ``answers`` parsed into dicts.

    ``answers`` that cannot be read as a record (written by some other tool)
    are ``None``, for :func:`~cogov_toolkit.core.evaluation.prepare_responses`
    to leave out and report. ``with_households`` adds the private
    ``household_id`` (for counting and pairing households; never publish it).
    """
    frame = ws.records(TABLE, {"project_id": project_id} if project_id is not None else None).copy()
    frame["answers"] = pd.Series([_answers(a) for a in frame["answers"]], index=frame.index, dtype=object)
    if with_households:
        mine = {"evaluation_uuid": list(frame["uuid"])} if project_id is not None else None
        links = ws.private_records(LINKS, mine, columns=["evaluation_uuid", "household_id"])
        links = links.drop_duplicates("evaluation_uuid", keep="last")
        frame = frame.merge(links, how="left", left_on="uuid", right_on="evaluation_uuid").drop(
            columns="evaluation_uuid"
        )
    return frame.reset_index(drop=True)


def _answers(stored: Any) -> dict[str, Any] | None:
    if isinstance(stored, dict):
        return stored
    if stored is None or (isinstance(stored, float) and math.isnan(stored)):
        return {}
    try:
        value = json.loads(stored)
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def build_report(
    ws: Workspace,
    project_id: str,
    questionnaire: Questionnaire,
    *,
    before: str = "pre",
    after: str = "post",
    building_item: str | None = None,
    min_respondents: int = MIN_RESPONDENTS,
) -> EvaluationReport:
    """Gather the report of ``project_id`` (building map from the ``after`` phase).

    Every stored answer is checked again against ``questionnaire`` and each
    household counts once per phase (its latest answer by ``submitted_at``);
    what was left out, and why, goes into the report.
    """
    prepared = prepare_responses(evaluation_frame(ws, project_id, with_households=True), questionnaire)
    frame = prepared.frame
    item = building_item or (questionnaire.scale_items()[0].name if questionnaire.scale_items() else "")
    latest = frame[frame["phase"] == after] if (frame["phase"] == after).any() else frame
    buildings = building_figures(latest, item, min_respondents=min_respondents) if item else pd.DataFrame()
    if len(buildings):
        # the report shows the overall mean too: one hidden building must not follow from it
        hidden = suppress_small_groups(buildings.assign(_all=1), "respondents", ["_all"], min_group=min_respondents)
        buildings = buildings.assign(suppressed=hidden.to_numpy())
        buildings.loc[buildings["suppressed"], "mean"] = float("nan")
    comments = public_comments(frame, publication_gate(ws))
    public = frame.drop(columns=["household_id"])  # only counting and pairing households needed it
    return EvaluationReport(
        project_id,
        ws.community_name,
        questionnaire,
        responses_by_role(public),
        item_summaries(public, questionnaire),
        tuple(compare_phases(frame, questionnaire, before, after)),
        before,
        after,
        item,
        buildings,
        tuple(comments),
        ws.read_layer("buildings")[["building_id", "label", "geometry"]],
        left_out=prepared.left_out,
        by_household=prepared.by_household,
        without_household=prepared.without_household,
        min_respondents=min_respondents,
    )


__all__ = [
    "STANDARD_FORMS",
    "Respondent",
    "check_respondent",
    "submit_response",
    "store_import",
    "evaluation_frame",
    "build_report",
    # re-exported for widgets and notebooks
    "bundled_questionnaire",
    "bundled_form_ids",
    "read_wjx_export",
    "read_kobo_csv",
    "check_answers",
    "Question",
    "Questionnaire",
    "QuestionType",
]
