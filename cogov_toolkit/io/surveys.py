"""Survey files in: XLSForm-style questionnaires (.xlsx), 问卷星 exports and KoboToolbox/ODK CSV.

Readers return what they found (accepted and rejected rows, with every
problem) and touch no workspace; storing is the evaluations workflow's job.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cogov_toolkit import i18n
from cogov_toolkit.core.questionnaire import (
    Answer,
    Questionnaire,
    QuestionType,
    Sheet,
    check_answers,
    questionnaire_from_sheets,
)
from cogov_toolkit.core.workdays import SHANGHAI
from cogov_toolkit.errors import CorruptFileError, InputError, Problem
from cogov_toolkit.io.tables import read_table

if TYPE_CHECKING:
    pass


def read_questionnaire(path: str | Path) -> Questionnaire:
    """Read and check a questionnaire workbook (.xlsx).

    Raises
    ------
    CogovError
        ``evaluation.not_xlsx`` when the file is not a workbook; a
        ``ValidationError`` listing every problem (missing sheet or column,
        unknown type, choice list not found, duplicate names, bad expression)
        with sheet, row and column.
    """
    path = Path(path)
    sheets = _workbook_sheets(path)
    return questionnaire_from_sheets(sheets, source=str(path))


def _workbook_sheets(path: Path) -> dict[str, Sheet]:
    from openpyxl import load_workbook

    from cogov_toolkit.io.tables import cell_text, require_file

    require_file(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise CorruptFileError("evaluation.not_xlsx", file=path, detail=type(exc).__name__) from None
    try:
        sheets = {}
        for ws in book.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            header = [cell_text(v).strip() for v in rows[0]] if rows else []
            body = []
            for number, values in enumerate(rows[1:], start=2):
                texts = {h: cell_text(v).strip() for h, v in zip(header, values, strict=False) if h}
                if any(texts.values()):
                    body.append((number, texts))
            sheets[ws.title.strip().lower()] = Sheet(ws.title, tuple(h for h in header if h), tuple(body))
    finally:
        book.close()
    return sheets


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
    return (stamp if stamp.tzinfo else stamp.replace(tzinfo=SHANGHAI)).isoformat()


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
