"""Questionnaires as data: the part of XLSForm a community survey uses, checked whole.

A questionnaire is an XLSForm (as ODK, KoboToolbox and pyxform define it): a
``survey`` sheet (``type``, ``name``, ``label`` per language, ``required``,
``relevant``, ``constraint``, ``calculation``, ``choice_filter``) and a ``choices``
sheet (``list_name``, ``name``, ``label`` per language, and any extra columns a
choice filter reads). :mod:`cogov_toolkit.io.surveys` reads the workbook with
pyxform, the reference implementation, and normalises every spelling the spec
allows (``list name``, ``label::chinese``, ``label:english``, ``LABEL::EN``,
``label::中文 (zh)``); :func:`questionnaire_from_rows` here builds and checks the model.

Supported: ``select_one`` / ``select_multiple`` (also ``select one from``, ``select
all that apply``, with ``or_other``), ``integer``, ``decimal``, ``text``, ``note``,
``calculate`` of simple expressions, groups (flattened into sections, their
``relevant`` applied to every question inside) and ``choice_filter`` (cascading
choices). Metadata (``start``, ``end``, ``today``, ``deviceid`` …) is left out and
said so. Everything else (repeats, ``pulldata()``, choices from external files,
dates, GPS points, photos …) is refused with a problem naming the feature, the
sheet and the row. A Likert item is a ``select_one`` whose choice names are whole
numbers (``1`` … ``5``), and its answers are kept as numbers.

Expressions (``relevant``, ``constraint``, ``calculation``, ``choice_filter``) use
a small XPath subset parsed here into a tree of frozen dataclasses and evaluated by
walking that tree — never ``eval``: comparisons ``= != > >= < <=``, ``and``, ``or``,
``not()``, arithmetic ``+ - * div mod``, ``selected()``, ``count-selected()``,
``if()``, ``coalesce()``, ``true()``, ``false()``, ``${q}`` for an answer, ``.``
for the answer being checked, and, in a choice filter, bare column names of the
choices sheet (``${county} = cf``).

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
from cogov_toolkit.core.values import is_blank
from cogov_toolkit.errors import ExpressionError, InputError, Problem, ValidationError

SURVEY_SHEET = "survey"
CHOICES_SHEET = "choices"
SETTINGS_SHEET = "settings"
#: what an answer looks like once checked
Answer = str | int | float | list[str]
#: marks the choice "other" that ``or_other`` adds to a list
OR_OTHER = "__or_other"


class QuestionType(StrEnum):
    """The XLSForm question types that take an answer in this toolkit."""

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
class Column:
    """A bare name: a column of the choices sheet, in a choice filter (``cf``, ``label::English``)."""

    name: str


@dataclass(frozen=True)
class Compare:
    """``left OP right`` with OP one of ``= != > >= < <=``."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Arith:
    """``left OP right`` with OP one of ``+ - * div mod``."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Negate:
    """``-x``."""

    item: Node


@dataclass(frozen=True)
class Selected:
    """``selected(${name}, 'choice')``: true when the choice is among the answers."""

    ref: Ref | Current
    choice: str


@dataclass(frozen=True)
class BoolOp:
    """``a and b …`` or ``a or b …``."""

    op: str
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """``not(x)``."""

    item: Node


@dataclass(frozen=True)
class Call:
    """One of the few functions supported: ``if``, ``count-selected``, ``coalesce``, ``true``, ``false``."""

    name: str
    args: tuple[Node, ...]


Node = Ref | Current | Literal | Column | Compare | Arith | Negate | Selected | BoolOp | Not | Call
#: what parse_expression returns: a node that has a truth value
Expression = Node

#: functions an expression may call, with how many arguments
FUNCTIONS = {"if": 3, "count-selected": 1, "coalesce": 2, "true": 0, "false": 0, "not": 1, "selected": 2}
_TOKEN = re.compile(
    r"\s*(?:(?P<ref>\$\{[^\W\d][\w.-]*\})|(?P<str>'[^']*'|\"[^\"]*\"|‘[^’]*’|“[^”]*”)|(?P<num>\d+(?:\.\d+)?)"
    r"|(?P<op>!=|>=|<=|=|>|<|\+|-|\*)|(?P<punct>[(),.]))"
)
_WORD = re.compile(r"[^\W\d][\w]*(?:(?:::?|[.-])[\w]+)*")
_COMPARISONS = {"=", "!=", ">", ">=", "<", "<="}


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        word = _WORD.match(text, pos)
        if word:
            tokens.append(("word", word.group()))
            pos = word.end()
            continue
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ExpressionError("evaluation.expression.unexpected", token=text[pos:].strip()[:12])
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


class _Parser:
    """Recursive descent: or := and ('or' and)*; and := cmp ('and' cmp)*; cmp := sum (OP sum)?; sum, product, unary."""

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

    def parse(self) -> Node:
        node = self.or_expr()
        if self.peek() is not None:
            raise ExpressionError("evaluation.expression.unexpected", token=self.peek()[1])
        return node

    def or_expr(self) -> Node:
        return self._chain("or", self.and_expr)

    def and_expr(self) -> Node:
        return self._chain("and", self.comparison)

    def _chain(self, word: str, part: Any) -> Node:
        items = [part()]
        while self.peek() == ("word", word):
            self.pos += 1
            items.append(part())
        return items[0] if len(items) == 1 else BoolOp(word, tuple(items))

    def comparison(self) -> Node:
        left = self.additive()
        token = self.peek()
        if token is not None and token[0] == "op" and token[1] in _COMPARISONS:
            self.pos += 1
            return Compare(token[1], left, self.additive())
        return left

    def additive(self) -> Node:
        node = self.multiplicative()
        while (token := self.peek()) is not None and token[0] == "op" and token[1] in "+-":
            self.pos += 1
            node = Arith(token[1], node, self.multiplicative())
        return node

    def multiplicative(self) -> Node:
        node = self.unary()
        while (token := self.peek()) in (("op", "*"), ("word", "div"), ("word", "mod")):
            self.pos += 1
            node = Arith(token[1], node, self.unary())
        return node

    def unary(self) -> Node:
        if self.peek() == ("op", "-"):
            self.pos += 1
            return Negate(self.unary())
        return self.primary()

    def primary(self) -> Node:
        token = self.peek()
        if token is None:
            raise ExpressionError("evaluation.expression.too_short")
        kind, text = token
        self.pos += 1
        if (kind, text) == ("punct", "("):
            node = self.or_expr()
            self.take("punct", ")")
            return node
        if kind == "ref":
            return Ref(text[2:-1])
        if kind == "str":
            return Literal(text[1:-1])
        if kind == "num":
            return Literal(float(text))
        if (kind, text) == ("punct", "."):
            return Current()
        if kind == "word" and self.peek() == ("punct", "("):
            return self.call(text)
        if kind == "word" and text not in ("and", "or", "div", "mod"):
            return Column(text)
        raise ExpressionError("evaluation.expression.unexpected", token=text)

    def call(self, name: str) -> Node:
        if name not in FUNCTIONS:
            raise ExpressionError("evaluation.expression.unsupported_function", name=name)
        self.take("punct", "(")
        args: list[Node] = []
        if self.peek() != ("punct", ")"):
            args.append(self.or_expr())
            while self.peek() == ("punct", ","):
                self.pos += 1
                args.append(self.or_expr())
        self.take("punct", ")")
        if len(args) != FUNCTIONS[name]:
            raise ExpressionError("evaluation.expression.arguments", name=name, count=FUNCTIONS[name])
        if name == "selected":
            if not isinstance(args[0], Ref | Current) or not isinstance(args[1], Literal):
                raise ExpressionError("evaluation.expression.arguments", name=name, count=2)
            return Selected(args[0], str(args[1].value))
        if name == "not":
            return Not(args[0])
        return Call(name, tuple(args))


def parse_expression(text: str) -> Node:
    """Parse a relevance or constraint expression; raise :class:`ExpressionError` if it is not one.

    A condition must have a truth value: ``${q} = 'x'``, ``selected(…)``, ``not(…)``,
    ``true()`` or a number (``0`` is never relevant); a bare ``${q}`` is refused, as
    it is most often a comparison left unfinished.
    """
    node = parse_calculation(text)
    if isinstance(node, Ref | Current | Column | Arith | Negate):
        raise ExpressionError("evaluation.expression.need_comparison")
    return node


def parse_calculation(text: str) -> Node:
    """Parse a calculation or choice filter (any expression, a value or a condition)."""
    if not text.strip():
        raise ExpressionError("evaluation.expression.too_short")
    return _Parser(text).parse()


def _walk(node: Node) -> list[Node]:
    found = [node]
    for child in _children(node):
        found += _walk(child)
    return found


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Compare | Arith):
        return (node.left, node.right)
    if isinstance(node, Negate | Not):
        return (node.item,)
    if isinstance(node, BoolOp):
        return node.items
    if isinstance(node, Call):
        return node.args
    if isinstance(node, Selected):
        return (node.ref,)
    return ()


def references(node: Node) -> set[str]:
    """Return the question names an expression refers to."""
    return {n.name for n in _walk(node) if isinstance(n, Ref)}


def evaluate(node: Node, answers: Mapping[str, Any], current: Any = None, choice: Choice | None = None) -> bool:
    """Return the truth of ``node`` for these answers (``current`` is what ``.`` means, ``choice`` a filter's row)."""
    return _truthy(value_of(node, answers, current, choice))


def value_of(node: Node, answers: Mapping[str, Any], current: Any = None, choice: Choice | None = None) -> Any:
    """Return the value of an expression: a number, a text, a truth value, or None when it cannot be worked out."""
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Ref | Current):
        value = current if isinstance(node, Current) else answers.get(node.name)
        if isinstance(value, list):
            return " ".join(value)  # XLSForm sees a multiple choice as its names joined by spaces
        return "" if value is None else value
    if isinstance(node, Column):
        return _column_value(node.name, choice)
    if isinstance(node, BoolOp):
        results = (evaluate(i, answers, current, choice) for i in node.items)
        return all(results) if node.op == "and" else any(results)
    if isinstance(node, Not):
        return not evaluate(node.item, answers, current, choice)
    if isinstance(node, Selected):
        value = current if isinstance(node.ref, Current) else answers.get(node.ref.name)
        chosen = value if isinstance(value, list) else str(value or "").split()
        return node.choice in chosen
    if isinstance(node, Compare):
        left, right = (value_of(side, answers, current, choice) for side in (node.left, node.right))
        return _compare(node.op, left, right)
    if isinstance(node, Negate):
        number = _as_number(value_of(node.item, answers, current, choice))
        return None if number is None else -number
    if isinstance(node, Arith):
        return _arith(node.op, *(value_of(side, answers, current, choice) for side in (node.left, node.right)))
    return _call(node, answers, current, choice)


def _column_value(name: str, choice: Choice | None) -> Any:
    """A choice-sheet column's value for ``choice``; a name that is no column is read as text ("pastel=yes")."""
    if choice is None:
        return name
    base, _, language = name.partition("::") if "::" in name else name.partition(":")
    if name == "name":
        return choice.name
    if base == "label":
        return choice.labels.get(language, choice.label_zh) if language else choice.label_zh
    return choice.extra.get(name, name)


def _call(node: Call, answers: Mapping[str, Any], current: Any, choice: Choice | None) -> Any:
    args = node.args
    if node.name == "true":
        return True
    if node.name == "false":
        return False
    if node.name == "if":
        chosen = args[1] if evaluate(args[0], answers, current, choice) else args[2]
        return value_of(chosen, answers, current, choice)
    if node.name == "count-selected":
        return float(len(str(value_of(args[0], answers, current, choice)).split()))
    first = value_of(args[0], answers, current, choice)  # coalesce
    return first if first not in (None, "") else value_of(args[1], answers, current, choice)


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    return bool(value)


def _arith(op: str, left: Any, right: Any) -> float | None:
    a, b = _as_number(left), _as_number(right)
    if a is None or b is None:
        return None  # an unanswered question leaves a calculation empty
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        return None
    return a / b if op == "div" else a % b


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
    if isinstance(value, bool):
        return "true" if value else "false"
    number = _as_number(value)
    if number is not None and float(number).is_integer():
        return str(int(number))
    return "" if value is None else str(value)


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip()) if str(value).strip() else None
    except ValueError:
        return None


# ---------------------------------------------------------------- the model
def _in_language(labels: Mapping[str, str], zh: str, en: str, language: str | None, fallback: str) -> str:
    lang = language or i18n.get_language()
    return (en if lang == "en" else zh) or zh or en or fallback


@dataclass(frozen=True)
class Choice:
    """One choice of a list; ``labels`` holds every language of the form, ``extra`` the other columns."""

    name: str
    label_zh: str
    label_en: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    extra: Mapping[str, str] = field(default_factory=dict)

    def label(self, language: str | None = None) -> str:
        """Return the label in the chosen language (Chinese when the English one is missing)."""
        return _in_language(self.labels, self.label_zh, self.label_en, language, self.name)


@dataclass(frozen=True)
class Question:
    """One question that takes an answer (``row`` is its row in the workbook)."""

    name: str
    type: QuestionType
    label_zh: str
    label_en: str = ""
    list_name: str | None = None
    required: bool = False
    relevant: Node | None = None
    constraint: Node | None = None
    constraint_text: str = ""
    row: int | None = None
    section: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    choice_filter: Node | None = None
    other_of: str | None = None  #: the select question whose "other" this text question explains

    def label(self, language: str | None = None) -> str:
        """Return the question text in the chosen language."""
        return _in_language(self.labels, self.label_zh, self.label_en, language, self.name)


@dataclass(frozen=True)
class Note:
    """A ``note`` row: text shown to the person answering, no answer."""

    name: str
    label_zh: str
    label_en: str = ""
    row: int | None = None
    section: str = ""
    relevant: Node | None = None


@dataclass(frozen=True)
class Calculation:
    """A ``calculate`` row: a value worked out from the answers, kept with them."""

    name: str
    expression: Node
    text: str
    row: int | None = None


@dataclass(frozen=True)
class Questionnaire:
    """A whole questionnaire: questions in order, their choice lists, notes and calculations."""

    form_id: str
    title_zh: str
    title_en: str
    questions: tuple[Question, ...]
    choices: Mapping[str, tuple[Choice, ...]] = field(default_factory=dict)
    source: str | None = None
    notes: tuple[Note, ...] = ()
    calculations: tuple[Calculation, ...] = ()
    #: metadata rows (start, end, deviceid …) left out, as "name (type)"
    skipped: tuple[str, ...] = ()
    #: the label languages of the form, as the workbook spells them ("default" for a plain ``label``)
    languages: tuple[str, ...] = ()

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
        """Return the choices of a select question (empty for the other types).

        The "other" that ``or_other`` adds belongs to the question that asked for it,
        not to every question sharing the list.
        """
        choices = self.choices.get(question.list_name or "", ())
        if any(c.extra.get(OR_OTHER) for c in choices) and not any(q.other_of == question.name for q in self.questions):
            return tuple(c for c in choices if not c.extra.get(OR_OTHER))
        return choices

    def choices_for(self, question: Question, answers: Mapping[str, Any]) -> tuple[Choice, ...]:
        """Return the choices offered given the answers so far (a cascading ``choice_filter`` applied)."""
        choices = self.choices_of(question)
        if question.choice_filter is None:
            return choices
        # the "other" that or_other adds has no filter columns: it is always offered
        return tuple(c for c in choices if c.extra.get(OR_OTHER) or evaluate(question.choice_filter, answers, choice=c))

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

    def sections(self) -> tuple[str, ...]:
        """Return the sections (groups of the form) in order; "" for questions outside any group."""
        return tuple(dict.fromkeys(q.section for q in self.questions))


def _numbered(choices: Sequence[Choice]) -> bool:
    return bool(choices) and all(re.fullmatch(r"-?\d+", c.name) for c in choices)


# ---------------------------------------------------------------- answers
def check_answers(questionnaire: Questionnaire, raw: Mapping[str, Any]) -> tuple[dict[str, Answer], list[Problem]]:
    """Return the typed answers and every problem with them (``Problem.column`` is the question name).

    ``raw`` values may be text (from a form or an imported file) or already typed.
    Questions that are not relevant given the other answers are dropped, so a
    skipped branch never leaves stale answers behind; an answer a choice filter
    does not offer is a problem; calculations are worked out and kept.
    """
    typed: dict[str, Answer] = {}
    problems: list[Problem] = []
    for question in questionnaire.questions:
        value, problem = _typed_answer(questionnaire, question, raw.get(question.name))
        if problem:
            problems.append(problem)
        elif value is not None:
            typed[question.name] = value
    _calculate(questionnaire, typed)
    for question in questionnaire.questions:
        if not questionnaire.is_relevant(question, typed):
            typed.pop(question.name, None)
            problems = [p for p in problems if p.column != question.name]
            continue
        if question.name in typed:
            if question.choice_filter is not None:
                offered = {c.name for c in questionnaire.choices_for(question, typed)}
                answer = typed[question.name]
                picked = answer if isinstance(answer, list) else [_plain(answer)]
                outside = [p for p in picked if p not in offered]
                if outside:
                    problems.append(_problem("evaluation.not_offered", question, value="、".join(outside)))
                    continue
            if question.constraint is not None and not evaluate(question.constraint, typed, typed[question.name]):
                problems.append(_problem("evaluation.constraint", question, rule=_rule_text(question)))
        elif question.required and not any(p.column == question.name for p in problems):
            problems.append(_problem("evaluation.required", question))
    _calculate(questionnaire, typed)
    return typed, problems


def _calculate(questionnaire: Questionnaire, typed: dict[str, Answer]) -> None:
    for calculation in questionnaire.calculations:
        typed.pop(calculation.name, None)
        value = value_of(calculation.expression, typed)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if value not in (None, "") and not isinstance(value, bool):
            typed[calculation.name] = value


def _problem(reason: str, question: Question, **params: Any) -> Problem:
    return Problem(reason, column=question.name, params={"question": question.label(), **params})


def _rule_text(question: Question) -> str:
    text = question.constraint_text
    for op, word in ((">=", "≥"), ("<=", "≤"), (" and ", "，且 "), (" or ", "，或 ")):
        text = text.replace(op, word)
    return text.replace(".", i18n.t("evaluation.form.this_answer"), 1) if text.startswith(".") else text


def _typed_answer(q: Questionnaire, question: Question, value: Any) -> tuple[Answer | None, Problem | None]:
    if is_blank(value):
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


# ---------------------------------------------------------------- building from a workbook's rows
#: the row layout :func:`questionnaire_from_rows` reads: one dict per row, headers normalised
Row = Mapping[str, Any]

#: metadata an XLSForm collects without asking: left out, and said so
METADATA_TYPES = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "subscriberid",
        "simserial",
        "phonenumber",
        "username",
        "email",
        "imei",
        "audit",
        "start-geopoint",
        "background-audio",
        "background-geopoint",
        "uri:deviceid",
        "uri:subscriberid",
        "uri:simserial",
        "uri:phonenumber",
        "uri:username",
        "uri:email",
    }
)
#: XLSForm question types this toolkit does not take, named in the refusal
UNSUPPORTED_TYPES = frozenset(
    {
        "date",
        "time",
        "datetime",
        "geopoint",
        "geotrace",
        "geoshape",
        "image",
        "photo",
        "audio",
        "video",
        "file",
        "barcode",
        "range",
        "rank",
        "acknowledge",
        "trigger",
        "hidden",
        "phone number",
        "xml-external",
        "csv-external",
        "osm",
        "include",
        "select one external",
        "select_one_external",
        "select_multiple_external",
        "begin repeat",
        "begin loop",
    }
)
_SELECT = re.compile(
    r"^(?P<kind>select_one|select one from|select one|select1|select_multiple|select all that apply from|"
    r"select all that apply|select multiple|add select one prompt using|add select multiple prompt using|"
    r"select_one_from_file|select_multiple_from_file|select one from file|select multiple from file)\s+"
    r"(?P<list>\S+)(?P<other>\s+(?:or_other|or specify other))?$"
)
_MULTIPLE = ("select_multiple", "select all that apply", "select multiple", "add select multiple")
_NAME = re.compile(r"[^\W\d][\w.-]*")
_YES = ("yes", "true", "1", "true()", "是", "y")
_NO = ("", "no", "false", "0", "false()", "否", "n")
_ZH = re.compile(r"^(zh|chinese|中文|汉语|简体|繁体|简体中文)|\(zh[^)]*\)$", re.IGNORECASE)
_EN = re.compile(r"^(en|english|英文|英语)\b|\(en\)$", re.IGNORECASE)


@dataclass
class _Builder:
    """What is gathered while reading the rows; every problem is kept."""

    source: str | None
    survey_sheet: str
    choices_sheet: str
    problems: list[Problem] = field(default_factory=list)

    def problem(
        self, reason: str, row: int | None, column: str | None, sheet: str | None = None, **params: Any
    ) -> None:
        self.problems.append(Problem(reason, self.source, row, column, sheet or self.survey_sheet, params))


def questionnaire_from_rows(
    survey: Sequence[Row] | None,
    choices: Sequence[Row] | None,
    settings: Row | None = None,
    *,
    source: str | None = None,
    sheet_names: Mapping[str, str] | None = None,
    missing_columns: Mapping[str, Sequence[str]] | None = None,
) -> Questionnaire:
    """Build and check a questionnaire from its sheets' rows; raise with every problem.

    Parameters
    ----------
    survey, choices : sequence of dict
        One dict per row: lower-case headers (``type``, ``name``, ``list_name``,
        ``required`` …), ``label`` (and ``hint``) as ``{language: text}`` with
        ``"default"`` for a plain ``label`` column, and the workbook row in ``__row``.
    settings : dict, optional
        The first row of the settings sheet (``form_title``, ``form_id`` …).
    sheet_names : dict, optional
        ``"survey"``/``"choices"`` -> the sheet's name as the workbook spells it.
    missing_columns : dict, optional
        Sheet -> required headers the reader did not find (reported row 1).

    Raises
    ------
    InputError
        ``evaluation.missing_sheet`` when there is no survey sheet, or select
        questions and no choices sheet.
    ValidationError
        ``evaluation.bad_questionnaire`` listing every problem with sheet, row and column.
    """
    names = dict(sheet_names or {})
    if survey is None:
        raise InputError("evaluation.missing_sheet", file=source, sheet=SURVEY_SHEET, sheets=SURVEY_SHEET)
    build = _Builder(source, names.get(SURVEY_SHEET, SURVEY_SHEET), names.get(CHOICES_SHEET, CHOICES_SHEET))
    for sheet, columns in (missing_columns or {}).items():
        for column in columns:
            build.problem("evaluation.missing_column", 1, column, names.get(sheet, sheet))
    allow_duplicates = _flag(str((settings or {}).get("allow_choice_duplicates", "")))
    lists = _read_choices(choices or (), build, allow_duplicates)
    selects = [r for r in survey if _SELECT.match(_type_text(r))]
    if choices is None and selects:
        raise InputError("evaluation.missing_sheet", file=source, sheet=CHOICES_SHEET, sheets=CHOICES_SHEET)
    parts = _read_survey(survey, lists, build)
    title_zh, title_en, form_id = _settings(settings, source)
    if build.problems:
        problems = sorted(build.problems, key=lambda p: (p.sheet != build.survey_sheet, p.row or 0))
        raise ValidationError("evaluation.bad_questionnaire", file=source, problems=problems, count=len(problems))
    questions, notes, calculations, skipped, languages = parts
    return Questionnaire(
        form_id,
        title_zh,
        title_en,
        tuple(questions),
        lists,
        source,
        tuple(notes),
        tuple(calculations),
        tuple(skipped),
        tuple(languages),
    )


def _type_text(row: Row) -> str:
    return " ".join(str(row.get("type", "")).split())


def _labels(row: Row, key: str = "label") -> dict[str, str]:
    value = row.get(key)
    if isinstance(value, Mapping):
        return {str(k): str(v).strip() for k, v in value.items() if str(v).strip()}
    return {"default": str(value).strip()} if value is not None and str(value).strip() else {}


def _zh_en(labels: Mapping[str, str]) -> tuple[str, str]:
    """The Chinese and English texts of a label: a ``label::zh`` (chinese, 中文 …) wins over a plain ``label``."""
    zh_key = next((k for k in labels if k != "default" and _ZH.search(k.strip())), None)
    en_key = next((k for k in labels if k != "default" and _EN.search(k.strip())), None)
    default = labels.get("default", "")
    zh = labels.get(zh_key, "") if zh_key else ""
    en = labels.get(en_key, "") if en_key else ""
    if not zh:
        zh = default or en or next(iter(labels.values()), "")
    elif not en and default and default != zh:
        en = default  # "label" beside "label::zh" is the other language
    return zh, en


def _flag(text: str) -> bool:
    return text.strip().lower() in _YES


def _read_choices(rows: Sequence[Row], build: _Builder, allow_duplicates: bool) -> dict[str, tuple[Choice, ...]]:
    lists: dict[str, list[Choice]] = {}
    sheet = build.choices_sheet
    for row in rows:
        list_name, name = str(row.get("list_name", "")).strip(), str(row.get("name", "")).strip()
        number = row.get("__row")
        if not list_name and not name:
            continue  # a blank row, or a row with a label only (a note in the margin)
        if not list_name or not name:
            build.problem("evaluation.blank_cell", number, "list_name" if not list_name else "name", sheet)
            continue
        if any(c.name == name for c in lists.get(list_name, [])) and not allow_duplicates:
            build.problem("evaluation.duplicate_choice", number, "name", sheet, name=name, list=list_name)
            continue
        labels = _labels(row)
        zh, en = _zh_en(labels)
        extra = {
            k: str(v).strip()
            for k, v in row.items()
            if k not in ("list_name", "name", "label", "__row") and not isinstance(v, Mapping)
        }
        lists.setdefault(list_name, []).append(Choice(name, zh, en, labels, extra))
    return {k: tuple(v) for k, v in lists.items()}


def _read_survey(
    rows: Sequence[Row], lists: dict[str, tuple[Choice, ...]], build: _Builder
) -> tuple[list[Question], list[Note], list[Calculation], list[str], list[str]]:
    questions: list[Question] = []
    notes: list[Note] = []
    calculations: list[Calculation] = []
    skipped: list[str] = []
    languages: dict[str, None] = {}
    seen: dict[str, int | None] = {}
    groups: list[tuple[str, Node | None, int | None]] = []  # (section name, relevant, row) of the open groups
    blocked: list[tuple[str, int | None]] = []  # an open repeat or loop: its rows are refused with it
    for row in rows:
        number = row.get("__row")
        kind = _type_text(row)
        name = str(row.get("name", "")).strip()
        languages.update(dict.fromkeys(_labels(row)))
        if not kind and not name:
            continue
        low = kind.lower()
        opens = low.startswith(
            ("begin group", "begin_group", "begin repeat", "begin_repeat", "begin loop", "begin_loop")
        )
        closes = low in ("end group", "end_group", "end repeat", "end_repeat", "end loop", "end_loop")
        if blocked:  # inside a repeat or loop: refused with it, not row by row
            if opens:
                blocked.append((name, None))
            elif closes:
                blocked.pop()
            continue
        if closes:
            if groups and low in ("end group", "end_group"):
                groups.pop()
            else:
                build.problem("evaluation.unmatched_end", number, "type", type=kind)
            continue
        if low.startswith(("begin repeat", "begin_repeat", "begin loop", "begin_loop")):
            feature = "begin loop" if "loop" in low else "begin repeat"
            build.problem("evaluation.unsupported_feature", number, "type", feature=feature, name=name)
            blocked.append((name, number))
            continue
        if not kind:
            build.problem("evaluation.blank_cell", number, "type")
            continue
        if low in ("begin group", "begin_group"):
            relevant = _expression(row, "relevant", build, number)
            labels = _labels(row)
            section = _zh_en(labels)[0] or name
            groups.append((section, relevant, number))
            continue
        if low in METADATA_TYPES:
            skipped.append(f"{name} ({low})")
            continue
        if not _NAME.fullmatch(name):
            build.problem("evaluation.bad_name", number, "name", name=name)
            continue
        if name in seen:
            build.problem("evaluation.duplicate_name", number, "name", name=name, first=seen[name])
            continue
        seen[name] = number
        section = " / ".join(g[0] for g in groups)
        group_relevant = [g[1] for g in groups if g[1] is not None]
        labels = _labels(row)
        zh, en = _zh_en(labels)
        relevant = _all_of([*group_relevant, _expression(row, "relevant", build, number)])
        if low == "note":
            notes.append(Note(name, zh, en, number, section, relevant))
            continue
        if low == "calculate":
            calculation = _calculation(row, build, number)
            if calculation is not None:
                calculations.append(Calculation(name, calculation, str(row.get("calculation", "")), number))
            continue
        select = _SELECT.match(kind)
        if select is None:
            simple = {"text": QuestionType.TEXT, "string": QuestionType.TEXT, "integer": QuestionType.INTEGER,
                      "int": QuestionType.INTEGER, "decimal": QuestionType.DECIMAL}  # fmt: skip
            if low in simple:
                question_type, list_name, other = simple[low], None, False
            elif low.split()[0] in ("select_one_external", "select_multiple_external"):
                build.problem("evaluation.unsupported_feature", number, "type", feature=low.split()[0], name=name)
                continue
            else:
                reason = "evaluation.unsupported_type" if _known_type(low) else "evaluation.unknown_type"
                build.problem(reason, number, "type", type=kind, known=_KNOWN)
                continue
        else:
            list_name, other = select.group("list"), bool(select.group("other"))
            if "file" in select.group("kind") or list_name.lower().endswith((".csv", ".xml", ".geojson")):
                build.problem("evaluation.unsupported_feature", number, "type", feature=select.group("kind"), name=name)
                continue
            question_type = (
                QuestionType.SELECT_MULTIPLE if select.group("kind").startswith(_MULTIPLE) else QuestionType.SELECT_ONE
            )
            if list_name not in lists:
                build.problem("evaluation.unknown_list", number, "type", list=list_name)
                continue
            if other and not any(c.name == "other" for c in lists[list_name]):
                other_choice = Choice("other", "其他", "Other", {"default": "Other"}, {OR_OTHER: "yes"})
                lists[list_name] = (*lists[list_name], other_choice)
        required = _required(row, build, number)
        constraint = _expression(row, "constraint", build, number)
        choice_filter = _choice_filter(row, build, number) if list_name else None
        questions.append(
            Question(
                name,
                question_type,
                zh,
                en,
                list_name,
                required,
                relevant,
                constraint,
                str(row.get("constraint", "")),
                number,
                section,
                labels,
                choice_filter,
            )  # fmt: skip
        )
        if other:  # or_other: the text that says what "other" is, asked only when "other" is chosen
            asked = (
                BoolOp("and", (relevant, Selected(Ref(name), "other"))) if relevant else Selected(Ref(name), "other")
            )
            other_zh, other_en = f"{zh}（其他，请注明）", f"{en or zh} (other, please specify)"
            questions.append(
                Question(
                    f"{name}_other",
                    QuestionType.TEXT,
                    other_zh,
                    other_en,
                    row=number,
                    section=section,
                    relevant=asked,
                    other_of=name,
                )  # fmt: skip
            )
    for section, _, number in groups:
        build.problem("evaluation.unclosed_group", number, "type", name=section)
    for name, number in blocked[:1]:
        build.problem("evaluation.unclosed_group", number, "type", name=name)
    _check_references(questions, notes, calculations, build)
    return questions, notes, calculations, skipped, list(languages)


_KNOWN = "select_one、select_multiple、integer、decimal、text、note、calculate、begin group"


def _known_type(kind: str) -> bool:
    return kind in UNSUPPORTED_TYPES or kind.split()[0] in {t.split()[0] for t in UNSUPPORTED_TYPES}


def _all_of(parts: list[Node | None]) -> Node | None:
    present = [p for p in parts if p is not None]
    if not present:
        return None
    return present[0] if len(present) == 1 else BoolOp("and", tuple(present))


def _required(row: Row, build: _Builder, number: int | None) -> bool:
    value = str(row.get("required", "")).strip().lower()
    if value in _NO:
        return False
    if value in _YES:
        return True
    build.problem("evaluation.bad_required", number, "required", value=str(row.get("required", "")))
    return False


def _expression(row: Row, column: str, build: _Builder, number: int | None) -> Node | None:
    text = str(row.get(column, "") or "")
    if not text.strip():
        return None
    try:
        return parse_expression(text)
    except ExpressionError as exc:
        _bad_expression(exc, text, column, build, number)
        return None


def _calculation(row: Row, build: _Builder, number: int | None) -> Node | None:
    text = str(row.get("calculation", "") or "")
    if not text.strip():
        build.problem("evaluation.blank_cell", number, "calculation")
        return None
    try:
        return parse_calculation(text)
    except ExpressionError as exc:
        _bad_expression(exc, text, "calculation", build, number)
        return None


def _choice_filter(row: Row, build: _Builder, number: int | None) -> Node | None:
    text = str(row.get("choice_filter", "") or "")
    if not text.strip():
        return None
    try:
        return parse_calculation(text)
    except ExpressionError as exc:
        _bad_expression(exc, text, "choice_filter", build, number)
        return None


def _bad_expression(exc: ExpressionError, text: str, column: str, build: _Builder, number: int | None) -> None:
    if exc.reason == "evaluation.expression.unsupported_function":
        feature = f"{exc.params['name']}()"
        build.problem("evaluation.unsupported_feature", number, column, feature=feature, name=text)
        return
    build.problem("evaluation.bad_expression", number, column, text=text, detail=exc.detail())


def _check_references(
    questions: list[Question], notes: list[Note], calculations: list[Calculation], build: _Builder
) -> None:
    names = {q.name for q in questions} | {c.name for c in calculations}
    for question in questions:
        for column, node in (
            ("relevant", question.relevant),
            ("constraint", question.constraint),
            ("choice_filter", question.choice_filter),
        ):
            for ref in sorted(references(node) - names) if node else ():
                build.problem("evaluation.unknown_reference", question.row, column, name=ref)
    for calculation in calculations:
        for ref in sorted(references(calculation.expression) - names):
            build.problem("evaluation.unknown_reference", calculation.row, "calculation", name=ref)
    for note in notes:
        for ref in sorted(references(note.relevant) - names) if note.relevant else ():
            build.problem("evaluation.unknown_reference", note.row, "relevant", name=ref)


def _settings(settings: Row | None, source: str | None) -> tuple[str, str, str]:
    fallback = Path(source).stem if source else "questionnaire"
    if not settings:
        return fallback, fallback, fallback
    titles = _labels(settings, "form_title") or _labels(settings, "title")
    zh, en = _zh_en(titles) if titles else (fallback, "")
    form_id = str(settings.get("form_id") or settings.get("id_string") or fallback).strip()
    return zh or fallback, en or zh or fallback, form_id


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
    "LikertScale",
    "likert_scale",
    "Column",
    "Arith",
    "Negate",
    "Not",
    "Call",
    "Node",
    "parse_calculation",
    "value_of",
    "Note",
    "Calculation",
    "METADATA_TYPES",
    "UNSUPPORTED_TYPES",
    "questionnaire_from_rows",
    "collapse_likert",
    "likert_score",
    "LIKERT_POINTS",
]
