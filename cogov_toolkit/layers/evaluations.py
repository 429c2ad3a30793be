"""Evaluations (事前预评/事中监督/事后评价): store responses, import survey exports, analyse.

* :func:`submit_response` checks one filled questionnaire and commits it with an
  idempotency key, so a double tap or a retried submit saves once; the household
  goes to the private ``evaluation_links`` table only.
* :func:`read_wjx_export` (问卷星 .xlsx) and :func:`read_kobo_csv` (KoboToolbox /
  ODK CSV) map an export onto a questionnaire and report unmatched columns and
  rejected rows; :func:`store_import` commits the accepted rows (re-importing
  the same file adds nothing).
* Analysis: :func:`item_summaries` (mean with a 95 % t-interval and the
  distribution of every scale item), :func:`compare_phases` (pre → post, paired
  on households that answered both), :func:`building_figures` (fewer than 5
  respondents suppressed), :func:`public_comments` (names and phone numbers
  blanked).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.questionnaire import (
    Answer,
    Questionnaire,
    QuestionType,
    check_answers,
    collapse_likert,
    likert_score,
    read_questionnaire,
)
from cogov_toolkit.core.schema import ENUMS
from cogov_toolkit.core.tables import read_table
from cogov_toolkit.errors import InputError, Problem, ValidationError

if TYPE_CHECKING:
    from cogov_toolkit.storage.workspace import Workspace

TABLE = "evaluations"
LINKS = "evaluation_links"
CHINA_TZ = dt.timezone(dt.timedelta(hours=8))
MIN_RESPONDENTS = 5  # a building figure from fewer people could point at a household


class Phase(StrEnum):
    """The three moments of an evaluation."""

    PRE = "pre"
    MID = "mid"
    POST = "post"


#: the bundled standard questionnaire of each phase
STANDARD_FORMS = {Phase.PRE: "pre_assessment", Phase.MID: "mid_supervision", Phase.POST: "post_evaluation"}


def bundled_questionnaire_path(form_id: str) -> Path:
    """Return the path of a bundled questionnaire workbook (``satisfaction_5``, ``pre_assessment`` …)."""
    path = Path(str(resources.files("cogov_toolkit") / "questionnaires" / f"{form_id}.xlsx"))
    if not path.exists():
        raise InputError("evaluation.no_such_form", form=form_id, known="、".join(bundled_form_ids()))
    return path


def bundled_form_ids() -> list[str]:
    """Return the ids of the bundled questionnaires."""
    folder = Path(str(resources.files("cogov_toolkit") / "questionnaires"))
    return sorted(p.stem for p in folder.glob("*.xlsx"))


def bundled_questionnaire(form_id: str) -> Questionnaire:
    """Read a bundled questionnaire."""
    return read_questionnaire(bundled_questionnaire_path(form_id))


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
    stamp = submitted_at or dt.datetime.now(CHINA_TZ).isoformat(timespec="seconds")
    record = response_record(questionnaire.form_id, who, answers, stamp)
    return ws.add(TABLE, record, private=private, idempotency_key=idempotency_key)


# ---------------------------------------------------------------- imports
WJX_FIXED = ("序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP")
WJX_MULTI_SEPARATOR = "┋"
WJX_SKIPPED = ("(跳过)", "（跳过）", "(空)", "（空）")
KOBO_META = re.compile(
    r"^(_.*|start|end|today|deviceid|subscriberid|simserial|phonenumber|username|audit|meta/.*|formhub/.*)$"
)
#: columns that say who answered, by the names planners and exports use
WHO_COLUMNS = {
    "building_id": ("building_id", "楼栋", "楼栋编号", "楼号"),
    "household_id": ("household_id", "住户编号", "户号"),
    "evaluator_role": ("evaluator_role", "评价主体", "身份"),
}
#: dropped on import whatever the questionnaire: personal data no feature needs
DROPPED = ("来自IP", "ip", "IP", "姓名", "name", "手机", "电话", "phone", "身份证", "身份证号")


@dataclass(frozen=True)
class ImportedRow:
    """One accepted row of an export: where it was, who answered, the checked answers."""

    row: int
    answers: dict[str, Answer]
    building_id: str | None = None
    household_id: str | None = None
    evaluator_role: str | None = None
    submitted_at: str | None = None


@dataclass(frozen=True)
class ImportReport:
    """What an import found: accepted rows, rejected rows (with every problem), columns not used."""

    file: str
    questionnaire: str
    accepted: tuple[ImportedRow, ...]
    rejected: tuple[Problem, ...]
    unmatched_columns: tuple[str, ...]
    dropped_columns: tuple[str, ...]
    fingerprint: str = ""
    stored: tuple[str, ...] = field(default_factory=tuple)

    @property
    def rejected_rows(self) -> tuple[int, ...]:
        """The file rows that were not imported."""
        return tuple(sorted({p.row for p in self.rejected if p.row is not None}))

    def summary(self, language: str | None = None) -> str:
        """Return a short Chinese (or English) account of the import."""
        lines = [
            i18n.t(
                "evaluation.import.summary", language, accepted=len(self.accepted), rejected=len(self.rejected_rows)
            ),
        ]
        if self.unmatched_columns:
            lines.append(i18n.t("evaluation.import.unmatched", language, columns="、".join(self.unmatched_columns)))
        if self.dropped_columns:
            lines.append(i18n.t("evaluation.import.dropped", language, columns="、".join(self.dropped_columns)))
        lines += [f"  - {p.message(language)}" for p in self.rejected]
        return "\n".join(lines)


def _fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _match_question(header: str, questionnaire: Questionnaire) -> str | None:
    """Return the question a header stands for: its name, its label, or "3、label" / "Q3. label"."""
    text = header.strip()
    bare = re.sub(r"^(?:Q?\d+[、.．:：]\s*)", "", text)
    bare = bare.rsplit("/", 1)[-1]  # Kobo groups: group/question
    for question in questionnaire.questions:
        if text == question.name or bare in (question.name, question.label_zh, question.label_en):
            return question.name
    return None


def _choice_names(questionnaire: Questionnaire, name: str, cell: str, separator: str | None) -> Any:
    """Turn choice labels (问卷星 writes labels) into choice names; leave other text alone."""
    question = questionnaire.question(name)
    if not question.type.has_choices:
        return cell
    by_label = {}
    for choice in questionnaire.choices_of(question):
        by_label.update({choice.name: choice.name, choice.label_zh: choice.name, choice.label_en: choice.name})
    parts = [p.strip() for p in (cell.split(separator) if separator and separator in cell else [cell])]
    if question.type is QuestionType.SELECT_MULTIPLE and len(parts) == 1 and separator is None:
        parts = cell.split()
    names = [by_label.get(p, p) for p in parts if p]
    return names if question.type is QuestionType.SELECT_MULTIPLE else (names[0] if names else "")


def _who_column(header: str) -> str | None:
    for field_name, spellings in WHO_COLUMNS.items():
        if header.strip() in spellings:
            return field_name
    return None


def _read_export(path: Path, questionnaire: Questionnaire, *, wjx: bool, encoding: str | None) -> ImportReport:
    table = read_table(path, encoding=encoding)
    frame = table.frame
    matched: dict[str, str] = {}
    who: dict[str, str] = {}
    unmatched, dropped = [], []
    time_column = None
    for header in frame.columns:
        if header in DROPPED or header.lower() in ("ip", "来自ip"):
            dropped.append(header)
        elif wjx and header == "提交答卷时间" or (not wjx and header in ("_submission_time", "end")):
            time_column = time_column or header
        elif (wjx and header in WJX_FIXED) or (not wjx and KOBO_META.match(header)):
            continue  # the export's own bookkeeping: known, not wanted
        elif (name := _match_question(header, questionnaire)) and name not in matched.values():
            matched[header] = name
        elif field_name := _who_column(header):
            who[header] = field_name
        else:
            unmatched.append(header)
    if wjx and "序号" not in frame.columns:
        raise InputError("evaluation.not_wjx", file=path, column="序号", sheet=table.sheet)
    if not matched:
        raise InputError("evaluation.no_question_columns", file=path, sheet=table.sheet, form=questionnaire.form_id)
    accepted, rejected = [], []
    for position, (_, values) in enumerate(frame.iterrows()):
        row = table.rows[position]
        raw = {}
        for header, name in matched.items():
            cell = str(values[header]).strip()
            if cell in WJX_SKIPPED:
                cell = ""
            raw[name] = _choice_names(questionnaire, name, cell, WJX_MULTI_SEPARATOR if wjx else None) if cell else ""
        answers, problems = check_answers(questionnaire, raw)
        header_of = {name: header for header, name in matched.items()}
        if problems:
            for p in problems:
                column = header_of.get(p.column or "", p.column)
                rejected.append(Problem(p.reason, str(path), row, column, table.sheet, p.params))
            continue
        people = {field_name: (str(values[h]).strip() or None) for h, field_name in who.items()}
        stamp = _timestamp(str(values[time_column])) if time_column else None
        accepted.append(ImportedRow(row, answers, submitted_at=stamp, **people))
    return ImportReport(
        str(path),
        questionnaire.form_id,
        tuple(accepted),
        tuple(rejected),
        tuple(unmatched),
        tuple(dropped),
        _fingerprint(path),
    )


def _timestamp(text: str) -> str | None:
    """Return an export's submission time as ISO 8601; 问卷星 writes Beijing time with slashes."""
    text = text.strip()
    if not text:
        return None
    try:
        stamp = dt.datetime.fromisoformat(text.replace("/", "-").replace("Z", "+00:00"))
    except ValueError:
        return None  # an unreadable time is left out rather than rejecting the answers
    return (stamp if stamp.tzinfo else stamp.replace(tzinfo=CHINA_TZ)).isoformat()


def read_wjx_export(path: str | Path, questionnaire: Questionnaire) -> ImportReport:
    """Read a 问卷星 Excel export ("按选项文本" download) against a questionnaire.

    The fixed leading columns (序号, 提交答卷时间, 所用时间, 来源, 来源详情, 来自IP)
    are recognised; the IP column is dropped; multiple choices joined with ┋
    are split; ``(跳过)`` is an unanswered question. A question column is matched
    by its label (with or without the "3、" number), or its name.
    """
    return _read_export(Path(path), questionnaire, wjx=True, encoding=None)


def read_kobo_csv(path: str | Path, questionnaire: Questionnaire, *, encoding: str | None = None) -> ImportReport:
    """Read a KoboToolbox or ODK Central CSV export (columns named after the questions, ``group/`` prefixes allowed)."""
    return _read_export(Path(path), questionnaire, wjx=False, encoding=encoding)


def store_import(
    ws: Workspace, report: ImportReport, *, project_id: str, phase: str, evaluator_role: str = "resident"
) -> ImportReport:
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
    return ImportReport(
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

    ``with_households`` adds the private ``household_id`` (only for pairing pre
    and post answers; never publish it).
    """
    frame = ws.records(TABLE)
    if project_id is not None:
        frame = frame[frame["project_id"] == project_id]
    frame = frame.copy()
    frame["answers"] = [json.loads(a) if isinstance(a, str) else (a or {}) for a in frame["answers"]]
    if with_households:
        links = ws.private_records(LINKS)[["evaluation_uuid", "household_id"]]
        frame = frame.merge(links, how="left", left_on="uuid", right_on="evaluation_uuid").drop(
            columns="evaluation_uuid"
        )
    return frame.reset_index(drop=True)


#: two-sided 95 % quantiles of Student's t for 1–30 degrees of freedom
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip
_Z975 = 1.959963984540054


def t_quantile_975(df: float) -> float:
    """Return the 0.975 quantile of Student's t with ``df`` degrees of freedom.

    A table up to 30; beyond, the Cornish-Fisher expansion around the normal
    quantile (error below 1e-4 there), so no scipy is needed.
    """
    if df < 1:
        return math.nan
    if df <= 30 and float(df).is_integer():
        return _T975[int(df) - 1]
    if df <= 30:  # Welch's fractional df: interpolate between table rows
        low = _T975[int(df) - 1]
        high = _T975[min(int(df), 29)]
        return low + (high - low) * (df - int(df))
    z = _Z975
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )


@dataclass(frozen=True)
class MeanCI:
    """A mean with its 95 % confidence interval (t-distribution)."""

    n: int
    mean: float
    low: float
    high: float


def mean_ci(values: Iterable[float]) -> MeanCI:
    """Return the mean of ``values`` with a 95 % t-interval (NaN bounds for fewer than 2 values)."""
    data = np.asarray([v for v in values if v is not None and not pd.isna(v)], dtype=float)
    if data.size == 0:
        return MeanCI(0, math.nan, math.nan, math.nan)
    mean = float(data.mean())
    if data.size < 2:
        return MeanCI(1, mean, math.nan, math.nan)
    half = t_quantile_975(data.size - 1) * float(data.std(ddof=1)) / math.sqrt(data.size)
    return MeanCI(int(data.size), mean, mean - half, mean + half)


def item_values(frame: pd.DataFrame, item: str) -> pd.Series:
    """Return the numeric answers to ``item`` (index as in ``frame``; unanswered left out)."""
    values = pd.to_numeric(pd.Series([a.get(item) for a in frame["answers"]], index=frame.index), errors="coerce")
    return values.dropna()


def responses_by_role(frame: pd.DataFrame) -> pd.DataFrame:
    """Return how many responses each evaluator role gave, per phase (labels in the current language)."""
    counts = frame.groupby(["phase", "evaluator_role"]).size().rename("n").reset_index()
    counts["phase_label"] = [i18n.label("evaluation_phase", p) for p in counts["phase"]]
    counts["role_label"] = [i18n.label("evaluator_role", r) for r in counts["evaluator_role"]]
    return counts


def item_summaries(frame: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    """Return, per phase and scale item: n, mean, 95 % CI, 100-point score and the distribution.

    Likert items (1–5) also get the share of low (1–2), neutral (3) and high (4–5) answers.
    """
    rows = []
    for phase in sorted(frame["phase"].unique(), key=lambda p: list(Phase).index(Phase(p))):
        part = frame[frame["phase"] == phase]
        for question in questionnaire.scale_items():
            values = item_values(part, question.name)
            if values.empty:
                continue
            ci = mean_ci(values)
            row = {
                "phase": phase,
                "item": question.name,
                "label": question.label(),
                "n": ci.n,
                "mean": ci.mean,
                "ci_low": ci.low,
                "ci_high": ci.high,
            }
            if question.type is QuestionType.SELECT_ONE:
                row["score_100"] = likert_score(ci.mean)
                levels = values.map(collapse_likert).value_counts()
                for level in ("low", "neutral", "high"):
                    row[f"share_{level}"] = float(levels.get(level, 0)) / ci.n
                for choice in questionnaire.choices_of(question):
                    row[f"count_{choice.name}"] = int((values == int(choice.name)).sum())
            rows.append(row)
    return pd.DataFrame(rows)


class ChangeMethod(StrEnum):
    """How a pre → post change was computed."""

    PAIRED = "paired"  # the same households answered both: mean of their own differences
    UNPAIRED = "unpaired"  # different people: difference of means, Welch's interval


@dataclass(frozen=True)
class Change:
    """The change of one item between two phases, and how it was computed.

    ``before`` and ``after`` are the means the change is the difference of:
    of the paired households when paired, of everyone otherwise.
    """

    item: str
    label: str
    method: ChangeMethod
    n_before: int
    n_after: int
    n_pairs: int
    before: float
    after: float
    difference: float
    low: float
    high: float


MIN_PAIRS = 2  # a paired interval needs at least two differences


def compare_phases(
    frame: pd.DataFrame, questionnaire: Questionnaire, before: str = "pre", after: str = "post"
) -> list[Change]:
    """Return the change of every scale item from ``before`` to ``after``.

    ``frame`` comes from :func:`evaluation_frame` with ``with_households=True``.
    Where at least two households answered both phases the change is paired on
    them; otherwise it is the unpaired difference of means (Welch).
    """
    changes = []
    first, second = frame[frame["phase"] == before], frame[frame["phase"] == after]
    for question in questionnaire.scale_items():
        a, b = item_values(first, question.name), item_values(second, question.name)
        if a.empty or b.empty:
            continue
        pairs = _pairs(first.loc[a.index], a, second.loc[b.index], b)
        if len(pairs) >= MIN_PAIRS:
            # the before and after shown are those of the paired households, so after - before = change
            ci = mean_ci(pairs["after"] - pairs["before"])
            method, diff, low, high = ChangeMethod.PAIRED, ci.mean, ci.low, ci.high
            before_mean, after_mean = float(pairs["before"].mean()), float(pairs["after"].mean())
        else:
            method = ChangeMethod.UNPAIRED
            diff, low, high = _welch(a.to_numpy(float), b.to_numpy(float))
            before_mean, after_mean = float(a.mean()), float(b.mean())
        changes.append(
            Change(
                question.name,
                question.label(),
                method,
                len(a),
                len(b),
                len(pairs),
                before_mean,
                after_mean,
                diff,
                low,
                high,
            )
        )
    return changes


def _pairs(first: pd.DataFrame, a: pd.Series, second: pd.DataFrame, b: pd.Series) -> pd.DataFrame:
    if "household_id" not in first.columns:
        return pd.DataFrame(columns=["before", "after"])
    left = pd.DataFrame({"household_id": first["household_id"], "before": a}).dropna()
    right = pd.DataFrame({"household_id": second["household_id"], "after": b}).dropna()
    # one answer per household and phase: the latest wins if a household answered twice
    left, right = left.drop_duplicates("household_id", keep="last"), right.drop_duplicates("household_id", keep="last")
    return left.merge(right, on="household_id")


def _welch(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    diff = float(b.mean() - a.mean())
    if a.size < 2 or b.size < 2:
        return diff, math.nan, math.nan
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = math.sqrt(va + vb)
    if se == 0:
        return diff, diff, diff
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    half = t_quantile_975(df) * se
    return diff, diff - half, diff + half


def building_figures(frame: pd.DataFrame, item: str, *, min_respondents: int = MIN_RESPONDENTS) -> pd.DataFrame:
    """Return per building: respondents, mean of ``item`` and whether it is suppressed.

    A building with fewer than ``min_respondents`` answers keeps its count for
    the map's grey class but its mean is NaN, so no table or map can show it.
    """
    values = item_values(frame, item)
    part = pd.DataFrame({"building_id": frame.loc[values.index, "building_id"], "value": values}).dropna()
    grouped = part.groupby("building_id")["value"].agg(["count", "mean"]).rename(columns={"count": "respondents"})
    grouped["suppressed"] = grouped["respondents"] < min_respondents
    grouped.loc[grouped["suppressed"], "mean"] = np.nan
    return grouped.reset_index()


#: 11-digit mobile numbers (with +86, spaces or dashes) and landlines with an area code
PHONE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?\d{3}[- ]?\d{4}[- ]?\d{4}(?!\d)|(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")


def redact(text: str, names: Iterable[str] = ()) -> str:
    """Return ``text`` with phone numbers and the given personal names blanked out."""
    text = PHONE.sub("***", text)
    for name in sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True):
        text = text.replace(name, "***")
    return text


def public_comments(frame: pd.DataFrame, names: Iterable[str] = ()) -> list[str]:
    """Return the free-text comments with phone numbers and known names blanked (not yet HTML-escaped)."""
    names = list(names)
    texts = []
    for comment, answers in zip(frame.get("comment", []), frame["answers"], strict=False):
        text = comment if isinstance(comment, str) and comment.strip() else answers.get("comment")
        if isinstance(text, str) and text.strip():
            texts.append(redact(text.strip(), names))
    return texts


def household_names(ws: Workspace) -> list[str]:
    """Return the names on the private roster, to blank them out of anything published."""
    people = ws.private_records("people")
    return [n for n in people.get("name", pd.Series(dtype=str)).dropna().astype(str)]


__all__ = [
    "Phase",
    "STANDARD_FORMS",
    "bundled_questionnaire",
    "bundled_questionnaire_path",
    "bundled_form_ids",
    "Respondent",
    "check_respondent",
    "submit_response",
    "ImportedRow",
    "ImportReport",
    "read_wjx_export",
    "read_kobo_csv",
    "store_import",
    "evaluation_frame",
    "t_quantile_975",
    "MeanCI",
    "mean_ci",
    "item_values",
    "responses_by_role",
    "item_summaries",
    "ChangeMethod",
    "Change",
    "compare_phases",
    "building_figures",
    "redact",
    "public_comments",
    "household_names",
]
