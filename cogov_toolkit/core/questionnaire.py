"""Questionnaires as data: an XLSForm-compatible subset, read from .xlsx and checked whole.

A questionnaire is a workbook with a ``survey`` sheet (``type``, ``name``,
``label::zh``, ``label::en``, ``required``, ``relevant``, ``constraint``) and a
``choices`` sheet (``list_name``, ``name``, ``label::zh``, ``label::en``), as
ODK, KoboToolbox and XLSForm tools write them. Question types:
``select_one LIST``, ``select_multiple LIST``, ``integer``, ``decimal``,
``text``; a Likert item is a ``select_one`` whose choice names are whole numbers
(``1`` … ``5``), and its answers are kept as numbers.

``relevant`` and ``constraint`` use a tiny expression language parsed here into
a tree of frozen dataclasses and evaluated by walking that tree — never
``eval``: ``${q} = 'x'``, ``!=``, ``>``, ``>=``, ``<``, ``<=``, ``and``, ``or``,
parentheses, ``selected(${q}, 'x')``, and ``.`` for the answer being checked.

Every problem of a workbook is collected before raising one
:class:`~cogov_toolkit.errors.ValidationError` naming sheet, row and column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from cogov_toolkit import i18n
from cogov_toolkit.errors import ExpressionError, InputError, Problem, ValidationError

SURVEY_SHEET = "survey"
CHOICES_SHEET = "choices"
SETTINGS_SHEET = "settings"
#: what an answer looks like once checked
Answer = str | int | float | list[str]


class QuestionType(StrEnum):
    """The XLSForm question types this toolkit reads."""

    SELECT_ONE = "select_one"
    SELECT_MULTIPLE = "select_multiple"
    INTEGER = "integer"
    DECIMAL = "decimal"
    TEXT = "text"

    @property
    def has_choices(self) -> bool:
        """True for the two select types, which name a choice list."""
        return self in (QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE)


# ---------------------------------------------------------------- expressions


@dataclass(frozen=True)
class Ref:
    """``${name}``: the answer to another question."""

    name: str


@dataclass(frozen=True)
class Current:
    """``.``: the answer being checked (in a constraint)."""


@dataclass(frozen=True)
class Literal:
    """A quoted text or a number."""

    value: str | float


@dataclass(frozen=True)
class Compare:
    """``left OP right`` with OP one of ``= != > >= < <=``."""

    op: str
    left: Ref | Current | Literal
    right: Ref | Current | Literal


@dataclass(frozen=True)
class Selected:
    """``selected(${name}, 'choice')``: true when the choice is among the answers."""

    ref: Ref
    choice: str


@dataclass(frozen=True)
class BoolOp:
    """``a and b …`` or ``a or b …``."""

    op: str
    items: tuple[Expression, ...]


Expression = Compare | Selected | BoolOp

_TOKEN = re.compile(
    r"\s*(?:(?P<ref>\$\{[A-Za-z_][A-Za-z0-9_.-]*\})|(?P<str>'[^']*'|\"[^\"]*\")|(?P<num>-?\d+(?:\.\d+)?)"
    r"|(?P<op>!=|>=|<=|=|>|<)|(?P<word>[A-Za-z_-]+)|(?P<punct>[(),.]))"
)
_OPERATORS = {"=", "!=", ">", ">=", "<", "<="}


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ExpressionError("evaluation.expression.unexpected", token=text[pos:].strip()[:12])
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


class _Parser:
    """Recursive descent over: or_expr := and_expr ('or' and_expr)*; and_expr := term ('and' term)*."""

    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, kind: str, value: str | None = None) -> str:
        token = self.peek()
        if token is None or token[0] != kind or (value is not None and token[1] != value):
            found = i18n.t("error.evaluation.expression.end") if token is None else token[1]
            raise ExpressionError("evaluation.expression.expected", wanted=value or kind, token=found)
        self.pos += 1
        return token[1]

    def parse(self) -> Expression:
        node = self.or_expr()
        if self.peek() is not None:
            raise ExpressionError("evaluation.expression.unexpected", token=self.peek()[1])
        return node

    def or_expr(self) -> Expression:
        return self._chain("or", self.and_expr)

    def and_expr(self) -> Expression:
        return self._chain("and", self.term)

    def _chain(self, word: str, part: Any) -> Expression:
        items = [part()]
        while self.peek() == ("word", word):
            self.pos += 1
            items.append(part())
        return items[0] if len(items) == 1 else BoolOp(word, tuple(items))

    def term(self) -> Expression:
        token = self.peek()
        if token == ("punct", "("):
            self.pos += 1
            node = self.or_expr()
            self.take("punct", ")")
            return node
        if token == ("word", "selected"):
            self.pos += 1
            self.take("punct", "(")
            ref = Ref(self.take("ref")[2:-1])
            self.take("punct", ",")
            choice = self.take("str")[1:-1]
            self.take("punct", ")")
            return Selected(ref, choice)
        left = self.operand()
        token = self.peek()
        if token is None or token[0] != "op":
            raise ExpressionError("evaluation.expression.need_comparison")
        self.pos += 1
        return Compare(token[1], left, self.operand())

    def operand(self) -> Ref | Current | Literal:
        token = self.peek()
        if token is None:
            raise ExpressionError("evaluation.expression.too_short")
        kind, text = token
        self.pos += 1
        if kind == "ref":
            return Ref(text[2:-1])
        if kind == "str":
            return Literal(text[1:-1])
        if kind == "num":
            return Literal(float(text))
        if (kind, text) == ("punct", "."):
            return Current()
        raise ExpressionError("evaluation.expression.unexpected", token=text)


def parse_expression(text: str) -> Expression:
    """Parse a relevance or constraint expression; raise :class:`ExpressionError` if it is not one."""
    if not text.strip():
        raise ExpressionError("evaluation.expression.too_short")
    return _Parser(text).parse()


def references(node: Expression) -> set[str]:
    """Return the question names an expression refers to."""
    if isinstance(node, BoolOp):
        return set().union(*(references(i) for i in node.items))
    if isinstance(node, Selected):
        return {node.ref.name}
    return {side.name for side in (node.left, node.right) if isinstance(side, Ref)}


def evaluate(node: Expression, answers: Mapping[str, Any], current: Any = None) -> bool:
    """Return the truth of ``node`` for these answers (``current`` is what ``.`` means)."""
    if isinstance(node, BoolOp):
        results = (evaluate(i, answers, current) for i in node.items)
        return all(results) if node.op == "and" else any(results)
    if isinstance(node, Selected):
        value = answers.get(node.ref.name)
        chosen = value if isinstance(value, list) else str(value or "").split()
        return node.choice in chosen
    left, right = _value(node.left, answers, current), _value(node.right, answers, current)
    return _compare(node.op, left, right)


def _value(side: Ref | Current | Literal, answers: Mapping[str, Any], current: Any) -> Any:
    if isinstance(side, Literal):
        return side.value
    value = current if isinstance(side, Current) else answers.get(side.name)
    if isinstance(value, list):
        return " ".join(value)  # XLSForm sees a multiple choice as its names joined by spaces
    return "" if value is None else value


def _compare(op: str, left: Any, right: Any) -> bool:
    numbers = _as_number(left), _as_number(right)
    if numbers[0] is not None and numbers[1] is not None:
        left, right = numbers
    elif op in ("=", "!="):
        left, right = _plain(left), _plain(right)
    else:
        return False  # an unanswered question is neither more nor less than anything
    return {
        "=": left == right,
        "!=": left != right,
        ">": left > right,
        ">=": left >= right,
        "<": left < right,
        "<=": left <= right,
    }[op]


def _plain(value: Any) -> str:
    number = _as_number(value)
    if number is not None and float(number).is_integer():
        return str(int(number))
    return str(value)


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip()) if str(value).strip() else None
    except ValueError:
        return None


# ---------------------------------------------------------------- the model
@dataclass(frozen=True)
class Choice:
    """One choice of a list."""

    name: str
    label_zh: str
    label_en: str = ""

    def label(self, language: str | None = None) -> str:
        """Return the label in the chosen language (Chinese when the English one is missing)."""
        lang = language or i18n.get_language()
        return (self.label_en if lang == "en" else self.label_zh) or self.label_zh or self.name


@dataclass(frozen=True)
class Question:
    """One question of the survey sheet (``row`` is its row in the workbook)."""

    name: str
    type: QuestionType
    label_zh: str
    label_en: str = ""
    list_name: str | None = None
    required: bool = False
    relevant: Expression | None = None
    constraint: Expression | None = None
    constraint_text: str = ""
    row: int | None = None

    def label(self, language: str | None = None) -> str:
        """Return the question text in the chosen language."""
        lang = language or i18n.get_language()
        return (self.label_en if lang == "en" else self.label_zh) or self.label_zh or self.name


@dataclass(frozen=True)
class Questionnaire:
    """A whole questionnaire: questions in order and their choice lists."""

    form_id: str
    title_zh: str
    title_en: str
    questions: tuple[Question, ...]
    choices: Mapping[str, tuple[Choice, ...]] = field(default_factory=dict)
    source: str | None = None

    def title(self, language: str | None = None) -> str:
        """Return the title in the chosen language."""
        lang = language or i18n.get_language()
        return (self.title_en if lang == "en" else self.title_zh) or self.title_zh or self.form_id

    def question(self, name: str) -> Question:
        """Return the question called ``name`` (KeyError if there is none)."""
        for question in self.questions:
            if question.name == name:
                return question
        raise KeyError(name)

    def choices_of(self, question: Question) -> tuple[Choice, ...]:
        """Return the choices of a select question (empty for the other types)."""
        return self.choices.get(question.list_name or "", ())

    def is_scale(self, question: Question) -> bool:
        """True when answers are numbers: integer, decimal, or a Likert-style numbered select_one."""
        if question.type in (QuestionType.INTEGER, QuestionType.DECIMAL):
            return True
        return question.type is QuestionType.SELECT_ONE and _numbered(self.choices_of(question))

    def scale_items(self) -> tuple[Question, ...]:
        """Return the questions whose answers can be averaged."""
        return tuple(q for q in self.questions if self.is_scale(q))

    def is_relevant(self, question: Question, answers: Mapping[str, Any]) -> bool:
        """True when the question should be asked given the answers so far."""
        return question.relevant is None or evaluate(question.relevant, answers)


def _numbered(choices: Sequence[Choice]) -> bool:
    return bool(choices) and all(re.fullmatch(r"-?\d+", c.name) for c in choices)


# ---------------------------------------------------------------- answers
def check_answers(questionnaire: Questionnaire, raw: Mapping[str, Any]) -> tuple[dict[str, Answer], list[Problem]]:
    """Return the typed answers and every problem with them (``Problem.column`` is the question name).

    ``raw`` values may be text (from a form or an imported file) or already typed.
    Questions that are not relevant given the other answers are dropped, so a
    skipped branch never leaves stale answers behind.
    """
    typed: dict[str, Answer] = {}
    problems: list[Problem] = []
    for question in questionnaire.questions:
        value, problem = _typed_answer(questionnaire, question, raw.get(question.name))
        if problem:
            problems.append(problem)
        elif value is not None:
            typed[question.name] = value
    for question in questionnaire.questions:
        if not questionnaire.is_relevant(question, typed):
            typed.pop(question.name, None)
            problems = [p for p in problems if p.column != question.name]
            continue
        if question.name in typed:
            if question.constraint is not None and not evaluate(question.constraint, typed, typed[question.name]):
                problems.append(_problem("evaluation.constraint", question, rule=_rule_text(question)))
        elif question.required and not any(p.column == question.name for p in problems):
            problems.append(_problem("evaluation.required", question))
    return typed, problems


def _problem(reason: str, question: Question, **params: Any) -> Problem:
    return Problem(reason, column=question.name, params={"question": question.label(), **params})


def _rule_text(question: Question) -> str:
    text = question.constraint_text
    for op, word in ((">=", "≥"), ("<=", "≤"), (" and ", "，且 "), (" or ", "，或 ")):
        text = text.replace(op, word)
    return text.replace(".", i18n.t("evaluation.form.this_answer"), 1) if text.startswith(".") else text


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == [] or value == ()


def _typed_answer(q: Questionnaire, question: Question, value: Any) -> tuple[Answer | None, Problem | None]:
    if _is_blank(value):
        return None, None
    kind = question.type
    if kind is QuestionType.TEXT:
        return str(value).strip(), None
    if kind is QuestionType.INTEGER:
        number = _as_number(value)
        if number is None or not float(number).is_integer():
            return None, _problem("evaluation.not_an_integer", question, value=str(value))
        return int(number), None
    if kind is QuestionType.DECIMAL:
        number = _as_number(value)
        if number is None:
            return None, _problem("evaluation.not_a_number", question, value=str(value))
        return float(number), None
    names = [c.name for c in q.choices_of(question)]
    picked = _picked(value, kind)
    unknown = [p for p in picked if p not in names]
    if unknown:
        return None, _problem("evaluation.unknown_choice", question, value="、".join(unknown))
    if kind is QuestionType.SELECT_MULTIPLE:
        return [n for n in names if n in picked], None  # the list's order, whatever the order of taps
    return (int(picked[0]) if q.is_scale(question) else picked[0]), None


def _picked(value: Any, kind: QuestionType) -> list[str]:
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if kind is QuestionType.SELECT_MULTIPLE:
        return str(value).split()
    return [_plain(value).strip()]


# ---------------------------------------------------------------- reading
@dataclass(frozen=True)
class Sheet:
    """One sheet as text: header names and (row number, {header: text}) for every non-empty row."""

    name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]


def questionnaire_from_sheets(sheets: Mapping[str, Sheet], *, source: str | None = None) -> Questionnaire:
    """Build and check a questionnaire from its sheets (names lower-cased); raise with every problem."""
    missing = [s for s in (SURVEY_SHEET, CHOICES_SHEET) if s not in sheets]
    if missing:
        raise InputError("evaluation.missing_sheet", file=source, sheet=missing[0], sheets="、".join(missing))
    problems: list[Problem] = []
    choices = _read_choices(sheets[CHOICES_SHEET], source, problems)
    questions = _read_survey(sheets[SURVEY_SHEET], choices, source, problems)
    title_zh, title_en, form_id = _settings(sheets.get(SETTINGS_SHEET), source)
    if problems:
        raise ValidationError("evaluation.bad_questionnaire", file=source, problems=problems, count=len(problems))
    return Questionnaire(form_id, title_zh, title_en, tuple(questions), choices, source)


def _label_columns(sheet: Sheet) -> tuple[str, str]:
    """The Chinese and English label headers; plain ``label`` counts as Chinese."""
    zh = next((h for h in sheet.headers if h.lower() in ("label::zh", "label::chinese (zh)", "label")), "label::zh")
    en = next((h for h in sheet.headers if h.lower() in ("label::en", "label::english (en)")), "label::en")
    return zh, en


def _require_columns(sheet: Sheet, columns: Sequence[str], source: str | None, problems: list[Problem]) -> bool:
    absent = [c for c in columns if c not in sheet.headers]
    for column in absent:
        problems.append(Problem("evaluation.missing_column", source, 1, column, sheet.name))
    return not absent


def _read_choices(sheet: Sheet, source: str | None, problems: list[Problem]) -> dict[str, tuple[Choice, ...]]:
    zh, en = _label_columns(sheet)
    if not _require_columns(sheet, ("list_name", "name", zh), source, problems):
        return {}
    lists: dict[str, list[Choice]] = {}
    for row, cells in sheet.rows:
        list_name, name = cells.get("list_name", ""), cells.get("name", "")
        if not list_name or not name:
            problems.append(
                Problem("evaluation.blank_cell", source, row, "list_name" if not list_name else "name", sheet.name)
            )
            continue
        if any(c.name == name for c in lists.get(list_name, [])):
            problems.append(
                Problem(
                    "evaluation.duplicate_choice", source, row, "name", sheet.name, {"name": name, "list": list_name}
                )
            )
            continue
        lists.setdefault(list_name, []).append(Choice(name, cells.get(zh, ""), cells.get(en, "")))
    return {k: tuple(v) for k, v in lists.items()}


def _read_survey(
    sheet: Sheet, choices: Mapping[str, tuple[Choice, ...]], source: str | None, problems: list[Problem]
) -> list[Question]:
    zh, en = _label_columns(sheet)
    if not _require_columns(sheet, ("type", "name", zh), source, problems):
        return []
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for row, cells in sheet.rows:
        where = {"file": source, "row": row, "sheet": sheet.name}
        name = cells.get("name", "")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            problems.append(Problem("evaluation.bad_name", column="name", params={"name": name}, **where))
            continue
        if name in seen:
            problems.append(
                Problem("evaluation.duplicate_name", column="name", params={"name": name, "first": seen[name]}, **where)
            )
            continue
        seen[name] = row
        kind, list_name = _question_type(cells.get("type", ""), choices, where, problems)
        if kind is None:
            continue
        required = _required(cells.get("required", ""), where, problems)
        relevant = _expression(cells.get("relevant", ""), "relevant", where, problems)
        constraint = _expression(cells.get("constraint", ""), "constraint", where, problems)
        questions.append(
            Question(
                name,
                kind,
                cells.get(zh, ""),
                cells.get(en, ""),
                list_name,
                required,
                relevant,
                constraint,
                cells.get("constraint", ""),
                row,
            )
        )
    names = {q.name for q in questions}
    for question in questions:
        for column, node in (("relevant", question.relevant), ("constraint", question.constraint)):
            for ref in sorted(references(node) - names) if node else ():
                problems.append(
                    Problem("evaluation.unknown_reference", source, question.row, column, sheet.name, {"name": ref})
                )
    return questions


def _question_type(
    text: str, choices: Mapping[str, tuple[Choice, ...]], where: dict[str, Any], problems: list[Problem]
) -> tuple[QuestionType | None, str | None]:
    parts = text.split()
    try:
        kind = QuestionType(parts[0]) if parts else None
    except ValueError:
        kind = None
    if kind is None:
        known = "、".join(t.value for t in QuestionType)
        problems.append(
            Problem("evaluation.unknown_type", column="type", params={"type": text, "known": known}, **where)
        )
        return None, None
    if not kind.has_choices:
        return kind, None
    if len(parts) != 2 or parts[1] not in choices:
        problems.append(
            Problem("evaluation.unknown_list", column="type", params={"list": " ".join(parts[1:])}, **where)
        )
        return None, None
    return kind, parts[1]


def _required(text: str, where: dict[str, Any], problems: list[Problem]) -> bool:
    value = text.strip().lower()
    if value in ("", "no", "false", "0", "false()", "否"):
        return False
    if value in ("yes", "true", "1", "true()", "是"):
        return True
    problems.append(Problem("evaluation.bad_required", column="required", params={"value": text}, **where))
    return False


def _expression(text: str, column: str, where: dict[str, Any], problems: list[Problem]) -> Expression | None:
    if not text.strip():
        return None
    try:
        return parse_expression(text)
    except ExpressionError as exc:
        problems.append(
            Problem("evaluation.bad_expression", column=column, params={"text": text, "detail": exc.detail()}, **where)
        )
        return None


def _settings(sheet: Sheet | None, source: str | None) -> tuple[str, str, str]:
    fallback = Path(source).stem if source else "questionnaire"
    if sheet is None or not sheet.rows:
        return fallback, fallback, fallback
    cells = sheet.rows[0][1]
    zh = cells.get("form_title::zh") or cells.get("form_title") or fallback
    return zh, cells.get("form_title::en", "") or zh, cells.get("form_id") or fallback


# ---------------------------------------------------------------- Likert scales
LIKERT_POINTS = 5  # the default scale when none is given: 1 … 5


@dataclass(frozen=True)
class LikertScale:
    """The numbered choices of a Likert item, lowest first (a higher number is a better answer).

    The 100-point score and the 3-level collapse come from the scale itself:
    the lowest choice scores 0 and the highest 100; answers below the middle of
    the scale are ``low``, at the middle ``neutral`` (only an odd scale has one),
    above it ``high``. A 1–5 item: 1–2 low, 3 neutral, 4–5 high; 1–7: 1–3, 4, 5–7.
    """

    values: tuple[int, ...]

    @classmethod
    def points(cls, points: int = LIKERT_POINTS) -> LikertScale:
        """Return the scale 1 … ``points``."""
        return cls(tuple(range(1, points + 1)))

    @classmethod
    def from_choices(cls, choices: Sequence[Choice]) -> LikertScale | None:
        """Return the scale of a numbered choice list (None when the names are not all whole numbers)."""
        if not _numbered(choices):
            return None
        return cls(tuple(sorted({int(c.name) for c in choices})))

    @property
    def low(self) -> int:
        """The lowest choice."""
        return self.values[0]

    @property
    def high(self) -> int:
        """The highest choice."""
        return self.values[-1]

    @property
    def middle(self) -> float:
        """The middle of the scale (a choice only on an odd scale)."""
        return (self.low + self.high) / 2

    def score(self, value: float | None) -> float | None:
        """Return ``value`` on 0–100: the lowest choice 0, the highest 100 (None for a one-choice scale)."""
        if value is None or self.high == self.low:
            return None
        return (float(value) - self.low) * 100.0 / (self.high - self.low)

    def level(self, value: float | None) -> str | None:
        """Return ``low``, ``neutral`` or ``high``: below, at or above the middle of the scale."""
        if value is None:
            return None
        return "low" if value < self.middle else ("neutral" if value == self.middle else "high")

    def level_values(self, level: str) -> tuple[int, ...]:
        """Return the choices that collapse to ``level`` (empty for ``neutral`` on an even scale)."""
        return tuple(v for v in self.values if self.level(v) == level)


def likert_scale(questionnaire: Questionnaire, question: Question) -> LikertScale | None:
    """Return the scale of a numbered ``select_one`` question (None for any other question)."""
    if question.type is not QuestionType.SELECT_ONE:
        return None
    return LikertScale.from_choices(questionnaire.choices_of(question))


def _scale(scale: LikertScale | int | None) -> LikertScale:
    if isinstance(scale, LikertScale):
        return scale
    return LikertScale.points(LIKERT_POINTS if scale is None else scale)


def collapse_likert(value: float | None, scale: LikertScale | int | None = None) -> str | None:
    """Return the 3-level code of an answer on ``scale`` (default 1–5): ``low``, ``neutral`` or ``high``."""
    return _scale(scale).level(value)


def likert_score(value: float | None, scale: LikertScale | int | None = None) -> float | None:
    """Return an answer (or a mean) on ``scale`` (default 1–5) as a 0–100 score: lowest 0, highest 100."""
    return _scale(scale).score(value)


__all__ = [
    "Answer",
    "QuestionType",
    "Ref",
    "Current",
    "Literal",
    "Compare",
    "Selected",
    "BoolOp",
    "Expression",
    "parse_expression",
    "references",
    "evaluate",
    "Choice",
    "Question",
    "Questionnaire",
    "check_answers",
    "Sheet",
    "questionnaire_from_sheets",
    "LikertScale",
    "likert_scale",
    "collapse_likert",
    "likert_score",
    "LIKERT_POINTS",
]
