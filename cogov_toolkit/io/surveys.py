"""Survey files in: XLSForm questionnaires (read with pyxform), 问卷星 exports and KoboToolbox/ODK exports.

Readers return what they found (accepted and rejected rows, with every
problem, and what became of every column) and touch no workspace; storing is the
evaluations workflow's job.

腾讯问卷 (Tencent Survey) exports are not read: their columns are not documented
anywhere we could find (only a column list in someone's code: 编号, 开始答题时间,
结束答题时间, 答题时长, 地理位置…, 用户标识, 昵称, 自定义字段), and guessing them
would import answers into the wrong questions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cogov_toolkit import i18n
from cogov_toolkit.core.questionnaire import (
    Answer,
    Question,
    Questionnaire,
    QuestionType,
    check_answers,
    questionnaire_from_rows,
)
from cogov_toolkit.core.schema import is_dropped, personal_field
from cogov_toolkit.core.values import clean_text
from cogov_toolkit.core.workdays import SHANGHAI
from cogov_toolkit.errors import CorruptFileError, InputError, Problem, ValidationError
from cogov_toolkit.i18n.text import localised
from cogov_toolkit.io.archives import check_file_size, check_zip_file
from cogov_toolkit.io.tables import read_table, require_file

if TYPE_CHECKING:
    pass


def read_questionnaire(path: str | Path) -> Questionnaire:
    """Read and check an XLSForm questionnaire (.xlsx, .xls or .csv), with pyxform's reader.

    pyxform, the XLSForm reference implementation, reads the workbook (up to the last
    non-empty rows: a sheet "declaring" a million blank rows is not walked through)
    and its header spellings are all accepted: ``label::zh``, ``label::chinese``,
    ``label:english``, ``LABEL::EN``, ``list name`` … The questionnaire is then built
    and checked by :func:`cogov_toolkit.core.questionnaire.questionnaire_from_rows`.

    Raises
    ------
    CogovError
        ``evaluation.not_xlsx`` (a CorruptFileError) when the file is not a readable
        workbook; a ``ValidationError`` listing every problem (missing sheet or column,
        unknown or unsupported type, repeat, ``pulldata()``, choice list not found,
        duplicate names or columns, bad expression) with sheet, row and column.
    """
    path = Path(path)
    survey, choices, settings, names, missing = read_xlsform_rows(path)
    return questionnaire_from_rows(
        survey, choices, settings, source=str(path), sheet_names=names, missing_columns=missing
    )


#: header spellings of the XLSForm spec and older tools -> the name the model reads
_HEADER_ALIASES = {
    "list name": "list_name",
    "relevance": "relevant",
    "calculate": "calculation",
    "caption": "label",
    "choice filter": "choice_filter",
    "form title": "form_title",
    "form id": "form_id",
}
_REQUIRED_HEADERS = {"survey": ("type", "name"), "choices": ("list_name", "name")}
_TRANSLATED = (
    "label",
    "hint",
    "constraint_message",
    "required_message",
    "form_title",
    "title",
    "media",
    "image",
    "audio",
    "video",
)


def read_xlsform_rows(
    path: Path,
) -> tuple[
    list[dict[str, Any]] | None,
    list[dict[str, Any]] | None,
    dict[str, Any] | None,
    dict[str, str],
    dict[str, list[str]],
]:
    """Read an XLSForm's sheets with pyxform and normalise their headers.

    Returns the survey rows, the choices rows (None without a choices sheet), the
    first settings row, the sheets' names as spelled, and the required headers missing
    per sheet. Each row is a dict of normalised headers with ``__row``, the workbook
    row (header = row 1); a translated column becomes ``{"label": {"zh": …, "default": …}}``.
    """
    import warnings

    from pyxform.errors import PyXFormError
    from pyxform.xls2json_backends import get_xlsform

    require_file(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            check_zip_file(path)
        except CorruptFileError:
            raise CorruptFileError("evaluation.not_xlsx", file=path, detail="BadZipFile") from None
    else:
        check_file_size(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's notes on unknown extensions are not the planner's business
            definition = get_xlsform(str(path))
    except PyXFormError as exc:
        header = re.match(r"Duplicate column header: (.*)", str(exc))
        if header:
            raise ValidationError(
                "evaluation.bad_questionnaire",
                file=path,
                count=1,
                problems=[
                    Problem(
                        "evaluation.duplicate_column",
                        str(path),
                        1,
                        header.group(1),
                        _sheet_with(path, header.group(1)),
                        {"column": header.group(1)},
                    )
                ],
            ) from None
        raise CorruptFileError("evaluation.not_xlsx", file=path, detail=type(exc).__name__) from None
    except Exception as exc:  # broken zip, malformed sheet XML, a renamed file: not a readable workbook
        raise CorruptFileError("evaluation.not_xlsx", file=path, detail=type(exc).__name__) from None
    spelled = {str(n).strip().lower(): str(n) for n in (definition.sheet_names or [])}
    names = {
        "survey": spelled.get("survey") or next(iter(spelled.values()), "survey"),
        "choices": spelled.get("choices", "choices"),
    }
    problems: list[Problem] = []
    missing: dict[str, list[str]] = {}
    sheets: dict[str, list[dict[str, Any]] | None] = {}
    for sheet in ("survey", "choices", "settings"):
        rows = getattr(definition, sheet)
        header_rows = getattr(definition, f"{sheet}_header")
        if rows is None and not header_rows:
            sheets[sheet] = None
            continue
        headers = list(header_rows[0]) if header_rows else list(dict.fromkeys(k for r in rows or () for k in r))
        normalised, clashes = _normalised_headers(headers)
        title = names.get(sheet, spelled.get(sheet, sheet))
        for first, second in clashes:
            problems.append(Problem("evaluation.duplicate_column", str(path), 1, second, title, {"column": first}))
        sheets[sheet] = [_row(row, normalised, number) for number, row in enumerate(rows or (), start=2)]
        if sheet in _REQUIRED_HEADERS and (sheet == "survey" or any(sheets[sheet] or [])):
            present = {normalised[h][0] for h in headers if h in normalised}
            missing[sheet] = [h for h in _REQUIRED_HEADERS[sheet] if h not in present]
    if problems:
        raise ValidationError("evaluation.bad_questionnaire", file=path, problems=problems, count=len(problems))
    settings = (sheets.get("settings") or [None])[0]
    return sheets["survey"], sheets["choices"], settings, names, {k: v for k, v in missing.items() if v}


def _normalised_headers(headers: list[str]) -> tuple[dict[str, tuple[str, str | None]], list[tuple[str, str]]]:
    """Header -> (column, language or None), the way pyxform reads them; and headers naming one column twice."""
    double = any("::" in h for h in headers)
    out: dict[str, tuple[str, str | None]] = {}
    seen: dict[tuple[str, str | None], str] = {}
    clashes = []
    for header in headers:
        text = " ".join(str(header).split())
        head = text.split(":", 1)[0].strip().lower()
        if "::" in text:
            base, language = text.split("::", 1)
        elif ":" in text and (not double or head in (*_TRANSLATED, "bind")):  # "label:English" beside "label::zh"
            base, language = text.split(":", 1)
        else:
            base, language = text, None
        base = base.strip().lower()
        if base == "bind" and language:  # "bind:relevant" in old forms
            base, language = language.strip().lower(), None
        base = _HEADER_ALIASES.get(base, base).replace(" ", "_") if base not in ("list name",) else "list_name"
        base = _HEADER_ALIASES.get(base, base)
        key = (base, language.strip() if language else None)
        if base not in _TRANSLATED and language:
            key = (f"{base}::{language.strip()}", None)
        if key in seen:
            clashes.append((seen[key], header))
            continue
        seen[key] = header
        out[header] = key
    return out, clashes


def _row(row: dict[str, Any], headers: dict[str, tuple[str, str | None]], number: int) -> dict[str, Any]:
    out: dict[str, Any] = {"__row": number}
    for header, value in row.items():
        if header not in headers or value is None:
            continue
        column, language = headers[header]
        if column in _TRANSLATED:
            out.setdefault(column, {})[language or "default"] = clean_text(str(value))
        else:
            out[column] = clean_text(str(value))
    return out


def _sheet_with(path: Path, header: str) -> str | None:
    """The sheet whose header row holds ``header`` twice (pyxform's message does not say)."""
    try:
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        try:
            for sheet in book.worksheets:
                first = next(sheet.iter_rows(max_row=1, values_only=True), ())
                if [str(v).strip() for v in first if v is not None].count(header) > 1:
                    return sheet.title
        finally:
            book.close()
    except Exception:  # an .xls, or a damaged file: the message still names the column
        return None
    return None


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
#: what 问卷星 writes for a question the respondent never saw (text export, and the coded export's −3)
WJX_SKIPPED = ("(跳过)", "（跳过）", "(空)", "（空）", "-3", "-2", "NULL")
#: 问卷星 appends the question type to a title: "性别 (单选题 *必答)"
_WJX_TYPE_NOTE = re.compile(
    r"\s*[（(](?:单选题|多选题|填空题|矩阵单选题|矩阵多选题|排序题|量表题|多项填空题|下拉框题|比重题|滑动条)[^)）]*[)）]\s*$"
)
#: "其他【请注明】〖你好好〗": the choice, and the text the respondent wrote
_WJX_OTHER = re.compile(r"^(?P<choice>.*?)〖(?P<text>.*)〗$")
#: the coded export's column per option of a multiple choice: "第6题(运动)"
_WJX_OPTION = re.compile(r"^第(?P<number>\d+)题[（(](?P<option>.*)[)）]$")
_NUMBERED = re.compile(r"^(?:Q?\d+[、.．:：]\s*)")
KOBO_META = re.compile(
    r"^(_.*|start|end|today|deviceid|subscriberid|simserial|phonenumber|username|audit|meta/.*|formhub/.*|__version__)$"
)
#: a repeat group's column in a Kobo/ODK export: "bed_net[1]/member[2]/name"
_REPEAT = re.compile(r"\[\d+\]")
_KOBO_TRUE = ("true", "1", "yes", "1.0")
_KOBO_FALSE = ("false", "0", "no", "0.0", "n/a", "")
_NA = ("n/a", "N/A", "NA")

#: columns that say who answered, by the names planners and exports use
WHO_COLUMNS = {
    "building_id": ("building_id", "楼栋", "楼栋编号", "楼号"),
    "household_id": ("household_id", "住户编号", "户号"),
    "evaluator_role": ("evaluator_role", "评价主体", "身份"),
}
#: dropped on import whatever the questionnaire: personal data no feature needs (names, phones, ID numbers, GPS of a home)
DROPPED = ("来自IP", "ip", "IP", "姓名", "name", "手机", "电话", "phone", "身份证", "身份证号")
_GPS = re.compile(
    r"(^|/|_)(gps|geopoint|location|位置|定位|坐标)(_latitude|_longitude|_altitude|_precision)?$", re.IGNORECASE
)


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
class SurveyReport:
    """What an import found: accepted rows, rejected rows (with every problem), and what became of every column.

    ``mapping`` says for each column of the file which question (and choice) it was
    read as; every column not read is in ``unmatched_columns``, ``dropped_columns``
    (personal data), ``repeat_columns`` (a repeat group: never taken as a question)
    or ``meta_columns`` (the export's own bookkeeping); ``merged_rows`` are rows that
    repeated a submission (same ``_uuid``/instanceID) and were merged into it, and
    ``skipped_rows`` rows that are no answers at all (Kobo's HXL tag row).
    """

    file: str
    questionnaire: str
    accepted: tuple[ImportedRow, ...]
    rejected: tuple[Problem, ...]
    unmatched_columns: tuple[str, ...]
    dropped_columns: tuple[str, ...]
    fingerprint: str = ""
    stored: tuple[str, ...] = field(default_factory=tuple)
    mapping: tuple[tuple[str, str], ...] = ()
    repeat_columns: tuple[str, ...] = ()
    meta_columns: tuple[str, ...] = ()
    merged_rows: tuple[int, ...] = ()
    skipped_rows: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def rejected_rows(self) -> tuple[int, ...]:
        """The file rows that were not imported."""
        return tuple(sorted({p.row for p in self.rejected if p.row is not None}))

    def summary(self, language: str | None = None) -> str:
        """Return a short Chinese (or English) account of the import: counts, every column not read, every problem."""
        lines = [
            i18n.t(
                "evaluation.import.summary", language, accepted=len(self.accepted), rejected=len(self.rejected_rows)
            ),
        ]
        if self.unmatched_columns:
            lines.append(i18n.t("evaluation.import.unmatched", language, columns="、".join(self.unmatched_columns)))
        if self.dropped_columns:
            lines.append(i18n.t("evaluation.import.dropped", language, columns="、".join(self.dropped_columns)))
        if self.repeat_columns:
            lines.append(i18n.t("evaluation.import.repeats", language, columns="、".join(self.repeat_columns)))
        if self.merged_rows:
            lines.append(i18n.t("evaluation.import.merged", language, rows="、".join(map(str, self.merged_rows))))
        if self.skipped_rows:
            lines.append(
                i18n.t("evaluation.import.skipped_rows", language, rows="、".join(map(str, self.skipped_rows)))
            )
        lines += [str(note) for note in self.notes]
        lines += [f"  - {p.message(language)}" for p in self.rejected]
        return "\n".join(lines)

    def mapping_table(self, language: str | None = None) -> str:
        """Return "column → question" lines: what was read where."""
        return "\n".join(f"{column} → {target}" for column, target in self.mapping)


def _fingerprint(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()[:16]


def _squash(text: str) -> str:
    """Text compared loosely: full-width made half-width, spaces and end punctuation gone, lower case."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s?？:：。.!！,，、]+", "", text).lower()


def _bare_title(header: str, *, wjx: bool) -> list[str]:
    """The spellings a column header may give its question: "3、性别 (单选题 *必答)" -> "性别"; Kobo "group/q" -> "q"."""
    text = header.strip()
    forms = [text]
    bare = _WJX_TYPE_NOTE.sub("", _NUMBERED.sub("", text)).strip()
    forms.append(bare)
    if wjx and "—" in bare:  # a matrix question: "如下各方面重要性如何？—外观"
        forms.append(bare.rsplit("—", 1)[-1])
    if not wjx and "/" in bare:  # Kobo groups: group/question (a "/" in a 问卷星 title is part of the title)
        forms.append(bare.rsplit("/", 1)[-1])
    return forms


def _question_index(questionnaire: Questionnaire) -> dict[str, str]:
    """Every way an export may spell a question (name, each label in each language) -> its name."""
    index: dict[str, str] = {}
    for question in questionnaire.questions:
        for text in (question.name, question.label_zh, question.label_en, *question.labels.values()):
            if text:
                index.setdefault(_squash(_NUMBERED.sub("", text)), question.name)
    for question in questionnaire.questions:
        index[_squash(question.name)] = question.name  # a name always wins over another question's label
    return index


def _match_question(
    header: str, questionnaire: Questionnaire, *, wjx: bool = False, index: dict[str, str] | None = None
) -> str | None:
    """Return the question a header stands for: its name, a label, "3、label", "Q3. label", "group/name"."""
    index = index if index is not None else _question_index(questionnaire)
    for form in _bare_title(header, wjx=wjx):
        name = index.get(_squash(form))
        if name is not None:
            return name
    return None


def _choice_of(questionnaire: Questionnaire, name: str, text: str) -> str | None:
    """Return the choice of question ``name`` that ``text`` names (its name, or a label in any language)."""
    wanted = _squash(text)
    for choice in questionnaire.choices_of(questionnaire.question(name)):
        if wanted in {
            _squash(t) for t in (choice.name, choice.label_zh, choice.label_en, *choice.labels.values()) if t
        }:
            return choice.name
    return None


def _who_column(header: str) -> str | None:
    for field_name, spellings in WHO_COLUMNS.items():
        if header.strip() in spellings or header.strip().rsplit("/", 1)[-1] in spellings:
            return field_name
    return None


_ADDRESS = ("address", "home_address", "地址", "住址", "家庭住址", "家庭地址")
#: words that make a column personal wherever they stand in its name ("kids_name", "father_phone")
_PERSONAL_WORDS = re.compile(r"(^|[_\-\s])(name|phone|mobile|tel|idcard|id_card|address)($|[_\-\s])", re.IGNORECASE)


def _personal(header: str) -> bool:
    last = header.strip().rsplit("/", 1)[-1]
    return (
        last.lower() in _ADDRESS
        or bool(_PERSONAL_WORDS.search(last))
        or header in DROPPED
        or header.lower() in ("ip", "来自ip")
        or is_dropped(last)
        or personal_field(last) is not None
        or bool(_GPS.search(last))
    )


@dataclass
class _Plan:
    """What becomes of each column of an export."""

    questions: dict[str, str] = field(default_factory=dict)  # header -> question
    options: dict[str, tuple[str, str]] = field(default_factory=dict)  # header -> (question, choice): a 0/1 column
    who: dict[str, str] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    repeats: list[str] = field(default_factory=list)
    meta: list[str] = field(default_factory=list)
    time_column: str | None = None
    key_column: str | None = None


def _plan(headers: list[str], questionnaire: Questionnaire, *, wjx: bool) -> _Plan:
    plan = _Plan()
    index = _question_index(questionnaire)
    multiple = {q.name for q in questionnaire.questions if q.type is QuestionType.SELECT_MULTIPLE}
    numbered = {i + 1: None for i in range(0)}
    for header in headers:
        text = header.strip()
        if wjx and text == "提交答卷时间" or (not wjx and text in ("_submission_time",)):
            plan.time_column = text
            plan.meta.append(header)
        elif wjx and text == "序号" or (not wjx and text in ("_uuid", "meta/instanceID", "instanceID")):
            plan.key_column = plan.key_column if plan.key_column in ("_uuid",) else text
            plan.meta.append(header)
        elif not wjx and _REPEAT.search(text):
            plan.repeats.append(header)
        elif _personal(text):
            plan.dropped.append(header)
        elif (wjx and text in WJX_FIXED) or (not wjx and KOBO_META.match(text)):
            plan.meta.append(header)
        elif (
            name := _match_question(text, questionnaire, wjx=wjx, index=index)
        ) and name not in plan.questions.values():
            plan.questions[header] = name
        elif (option := _option_column(text, questionnaire, multiple, index, wjx=wjx)) is not None:
            plan.options[header] = option
        elif field_name := _who_column(text):
            plan.who[header] = field_name
        else:
            plan.unmatched.append(header)
    del numbered
    if not wjx and plan.time_column is None and "end" in headers:
        plan.time_column = "end"
    if not wjx and "_uuid" in headers:
        plan.key_column = "_uuid"
    # a Kobo repeat flattened without indexes ("children/childs_name") is found by its group: the rows repeat
    return plan


def _option_column(
    header: str, questionnaire: Questionnaire, multiple: set[str], index: dict[str, str], *, wjx: bool
) -> tuple[str, str] | None:
    """(question, choice) of a column holding one option of a multiple choice: "q/choice", "第6题(运动)"."""
    if wjx:
        match = _WJX_OPTION.match(header)
        if not match:
            return None
        number = int(match.group("number"))
        candidates = [q for q in questionnaire.questions if q.type.has_choices]
        name = next((q.name for q in candidates if _question_number(q, questionnaire) == number), None)
        if name is None:
            return None
        choice = _choice_of(questionnaire, name, _wjx_option_label(match.group("option")))
        return (name, choice) if choice else None
    if "/" not in header:
        return None
    question_part, _, choice_part = header.rpartition("/")
    name = _match_question(question_part, questionnaire, index=index)
    if name is None or name not in multiple:
        return None
    choice = _choice_of(questionnaire, name, choice_part)
    return (name, choice) if choice else None


def _wjx_option_label(text: str) -> str:
    return text.replace("【请注明】", "").strip() or text


def _question_number(question: Question, questionnaire: Questionnaire) -> int | None:
    """The 问卷星 number of a question: from its label ("6、兴趣爱好"), its name ("q6"), or its place in the form."""
    for text in (question.label_zh, *question.labels.values()):
        match = re.match(r"^\s*(\d+)[、.．]", text or "")
        if match:
            return int(match.group(1))
    match = re.fullmatch(r"(?:q|Q|第)(\d+)(?:题)?", question.name)
    if match:
        return int(match.group(1))
    if any(re.fullmatch(r"(?:q|Q|第)\d+(?:_\d+)?(?:题)?", q.name) for q in questionnaire.questions):
        return None  # the form numbers its questions by name, and this one has no number of its own
    asked = [q for q in questionnaire.questions if q.other_of is None]
    return asked.index(question) + 1 if question in asked else None


def _read_export(
    path: Path, questionnaire: Questionnaire, *, wjx: bool, encoding: str | None, coded: bool | None = None
) -> SurveyReport:
    table = read_table(path, encoding=encoding)
    frame = table.frame
    headers = [str(h) for h in frame.columns]
    if wjx and "序号" not in headers:
        raise InputError("evaluation.not_wjx", file=path, column="序号", sheet=table.sheet)
    plan = _plan(headers, questionnaire, wjx=wjx)
    if not plan.questions and not plan.options:
        raise InputError("evaluation.no_question_columns", file=path, sheet=table.sheet, form=questionnaire.form_id)
    if wjx and coded is None:
        coded = bool(plan.options) or _looks_coded(frame, plan, questionnaire)
    option_groups: dict[str, list[tuple[str, str]]] = {}
    for header, (name, choice) in plan.options.items():
        option_groups.setdefault(name, []).append((header, choice))
    header_of = {name: header for header, name in plan.questions.items()}
    header_of.update({name: f"{name}/…" for name in option_groups if name not in header_of})
    accepted: list[ImportedRow] = []
    rejected: list[Problem] = []
    skipped_rows: list[int] = []
    merged: list[int] = []
    notes: list[str] = []
    seen: dict[str, tuple[int, dict[str, Any]]] = {}
    for position, row_no in enumerate(table.rows):
        cells = {h: str(v) for h, v in zip(headers, frame.iloc[position].tolist(), strict=True)}
        if not wjx and _is_hxl_row(cells):
            skipped_rows.append(row_no)
            continue
        raw: dict[str, Any] = {}
        for header, name in plan.questions.items():
            raw[name] = _cell_answer(questionnaire, name, cells[header], wjx=wjx, coded=bool(coded), raw=raw)
        for name, columns in option_groups.items():
            # one column per option is what the respondent ticked: it wins over a joined column beside it
            if any(_option_on(cells[h]) is None for h, _ in columns):
                raw[name] = ""  # −3: the question was skipped
            else:
                raw[name] = [choice for header, choice in columns if _option_on(cells[header])]
        key = cells.get(plan.key_column or "", "").strip().removeprefix("uuid:") if plan.key_column and not wjx else ""
        if key and key in seen:
            first_row, first_raw = seen[key]
            clashing = [n for n in raw if _differs(raw[n], first_raw.get(n))]
            if clashing:
                rejected.append(
                    Problem(
                        "evaluation.same_submission",
                        str(path),
                        row_no,
                        header_of.get(clashing[0], clashing[0]),
                        table.sheet,
                        {"first": first_row},
                    )
                )
            else:
                merged.append(row_no)
            continue
        if key:
            seen[key] = (row_no, raw)
        answers, problems = check_answers(questionnaire, raw)
        if problems:
            for p in problems:
                column = header_of.get(p.column or "", p.column)
                rejected.append(Problem(p.reason, str(path), row_no, column, table.sheet, p.params))
            continue
        people = {field_name: (cells[h].strip() or None) for h, field_name in plan.who.items()}
        stamp = (
            _timestamp(cells[plan.time_column], utc=not wjx and plan.time_column == "_submission_time")
            if plan.time_column
            else None
        )
        accepted.append(ImportedRow(row_no, answers, submitted_at=stamp, **people))
    if table.cleaned:
        notes.append(
            str(
                localised(
                    "import.note.cleaned_text", count=sum(table.cleaned.values()), columns="、".join(table.cleaned)
                )
            )
        )
    mapping = [(h, n) for h, n in plan.questions.items()] + [(h, f"{n} = {c}") for h, (n, c) in plan.options.items()]
    return SurveyReport(
        str(path),
        questionnaire.form_id,
        tuple(accepted),
        tuple(rejected),
        tuple(plan.unmatched),
        tuple(plan.dropped),
        _fingerprint(path),
        mapping=tuple(mapping),
        repeat_columns=tuple(plan.repeats),
        meta_columns=tuple(plan.meta),
        merged_rows=tuple(merged),
        skipped_rows=tuple(skipped_rows),
        notes=tuple(notes),
    )


def _differs(a: Any, b: Any) -> bool:
    return (a or "") != (b or "")


def _is_hxl_row(cells: Mapping[str, str]) -> bool:
    """True for Kobo's HXL tag row ("#symmetry", "#segments" …): column tags, not answers."""
    filled = [v.strip() for v in cells.values() if v.strip()]
    return bool(filled) and all(re.fullmatch(r"#[A-Za-z][\w+-]*", v) for v in filled)


def _option_on(cell: str) -> bool | None:
    """A 0/1 (True/False) option column: True when chosen, None when the question was skipped (−3)."""
    text = cell.strip().lower()
    if text in ("-3", "-2", "(跳过)", "（跳过）"):
        return None
    return text in _KOBO_TRUE


def _looks_coded(frame: Any, plan: _Plan, questionnaire: Questionnaire) -> bool:
    """True when the select columns hold numbers (the "按序号" export) rather than option texts."""
    selects = [h for h, n in plan.questions.items() if questionnaire.question(n).type.has_choices]
    values = [
        str(v).strip() for h in selects for v in frame[h].tolist()[:50] if str(v).strip() not in ("", *WJX_SKIPPED)
    ]
    return bool(values) and all(re.fullmatch(r"-?\d+", v) for v in values)


def _cell_answer(
    questionnaire: Questionnaire, name: str, cell: str, *, wjx: bool, coded: bool, raw: dict[str, Any]
) -> Any:
    """Turn an export's cell into the answer's raw form: choice names for selects, text otherwise."""
    text = cell.strip()
    if text in WJX_SKIPPED or (not wjx and text in _NA):
        return ""
    question = questionnaire.question(name)
    if not question.type.has_choices or not text:
        return text
    if wjx and coded:
        return _coded_choices(questionnaire, question, text)
    separator = WJX_MULTI_SEPARATOR if wjx else None
    parts = [p.strip() for p in (text.split(separator) if separator and separator in text else [text])]
    if question.type is QuestionType.SELECT_MULTIPLE and len(parts) == 1 and not wjx:
        whole = _choice_of(questionnaire, name, text)
        parts = [text] if whole else text.split()
    names = []
    for part in parts:
        other = _WJX_OTHER.match(part) if wjx else None
        if other:
            part = other.group("choice")
            if f"{name}_other" in {q.name for q in questionnaire.questions}:
                raw[f"{name}_other"] = other.group("text").strip()
        choice = _choice_of(questionnaire, name, part) or _choice_of(questionnaire, name, _wjx_option_label(part))
        names.append(choice or part)
    return names if question.type is QuestionType.SELECT_MULTIPLE else (names[0] if names else "")


def _coded_choices(questionnaire: Questionnaire, question: Question, text: str) -> Any:
    """问卷星's coded export: option k is the k-th choice of the list."""
    choices = questionnaire.choices_of(question)
    codes = [c for c in re.split(r"[┋,，\s]+", text) if c]
    names = []
    for code in codes:
        number = int(code) if re.fullmatch(r"\d+", code) else 0
        names.append(choices[number - 1].name if 0 < number <= len(choices) else code)
    return names if question.type is QuestionType.SELECT_MULTIPLE else (names[0] if names else "")


def _timestamp(text: str, *, utc: bool = False) -> str | None:
    """Return an export's submission time as ISO 8601 in Beijing time.

    问卷星 writes Beijing time with slashes; Kobo's ``_submission_time`` is UTC
    without saying so (``2017-10-23T09:41:19`` is 17:41 in Beijing).
    """
    text = text.strip()
    if not text or text in WJX_SKIPPED:
        return None
    try:
        stamp = dt.datetime.fromisoformat(text.replace("/", "-").replace("Z", "+00:00"))
    except ValueError:
        return None  # an unreadable time is left out rather than rejecting the answers
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC if utc else SHANGHAI)
    return stamp.astimezone(SHANGHAI).isoformat()


def read_wjx_export(path: str | Path, questionnaire: Questionnaire, *, coded: bool | None = None) -> SurveyReport:
    """Read a 问卷星 Excel export, "按选项文本" (texts) or "按序号" (codes), against a questionnaire.

    The fixed leading columns (序号, 提交答卷时间, 所用时间, 来源, 来源详情, 来自IP, in
    any order) are recognised; the IP column is dropped; multiple choices joined
    with ┋ are split; ``(跳过)`` and −3 are an unanswered question; a coded export's
    option k is the k-th choice of the question's list, and its ``第6题(运动)`` 0/1
    columns are one multiple choice; ``其他【请注明】〖text〗`` is the choice "other"
    with its text kept in the question's ``<name>_other`` answer. A column is matched
    by its title with or without the "3、" number and the "(单选题 *必答)" note
    (a "/" in a title is part of it), or by its name. ``coded`` says which export it
    is; by default the cells decide.
    """
    return _read_export(Path(path), questionnaire, wjx=True, encoding=None, coded=coded)


def read_kobo_csv(path: str | Path, questionnaire: Questionnaire, *, encoding: str | None = None) -> SurveyReport:
    """Read a KoboToolbox or ODK Central export (CSV with "," or ";", or XLSX) against a questionnaire.

    Columns are matched by name or label (``group/`` prefixes allowed); Kobo's HXL tag
    row is skipped; a multiple choice given as one True/False (or 1/0) column per
    option is recombined; ``n/a`` is unanswered; ``_submission_time`` (UTC) is stored in
    Beijing time; rows repeating a ``_uuid``/instanceID are one submission; repeat-group
    columns (``member[1]/name``) are never read as questions; personal-looking columns
    (names, phones, ID numbers, GPS) are dropped. Everything not read is in the report.
    """
    return _read_export(Path(path), questionnaire, wjx=False, encoding=encoding)


read_kobo_export = read_kobo_csv
