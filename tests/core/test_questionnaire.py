"""Questionnaires as data: the bundled workbooks read, bad ones are refused with sheet, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from cogov_toolkit.core.questionnaire import (
    BoolOp,
    Compare,
    QuestionType,
    Selected,
    check_answers,
    collapse_likert,
    evaluate,
    likert_score,
    parse_expression,
)
from cogov_toolkit.errors import CogovError, ExpressionError, InputError, ValidationError
from cogov_toolkit.io.surveys import read_questionnaire

FORMS = Path(__file__).resolve().parents[2] / "cogov_toolkit" / "questionnaires"
SURVEY = [
    ("type", "name", "label::zh", "label::en", "required", "relevant", "constraint"),
    ("select_one likert5", "q_overall", "总体满意度", "Overall", "yes", "", ""),
    ("select_multiple concern", "concerns", "担心", "Worries", "", "", ""),
    ("text", "other", "其他", "Other", "yes", "selected(${concerns}, 'other')", ""),
    ("integer", "visits", "次数", "Visits", "", "", ". >= 0 and . <= 21"),
    ("decimal", "spend", "花费", "Spend", "", "${q_overall} > 3", ""),
]
CHOICES = [
    ("list_name", "name", "label::zh", "label::en"),
    *[("likert5", str(v), f"{v}分", f"{v}") for v in range(1, 6)],
    ("concern", "noise", "噪音", "noise"),
    ("concern", "other", "其他", "other"),
]


def write_form(path: Path, survey=SURVEY, choices=CHOICES, *, sheets=("survey", "choices")) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in zip(("survey", "choices"), (survey, choices), strict=True):
        if title in sheets:
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
    if not book.sheetnames:
        book.create_sheet("Sheet1")
    book.save(path)
    return path


@pytest.fixture(name="form")
def fixture_form(tmp_path: Path):
    return read_questionnaire(write_form(tmp_path / "问卷.xlsx"))


@pytest.mark.parametrize("path", sorted(FORMS.glob("*.xlsx")), ids=lambda p: p.stem)
def test_every_bundled_questionnaire_reads(path: Path) -> None:
    form = read_questionnaire(path)
    assert form.form_id == path.stem
    assert form.title_zh and form.questions
    assert all(q.label_zh and q.label_en for q in form.questions)


def test_the_three_phases_are_bundled() -> None:
    assert {p.stem for p in FORMS.glob("*.xlsx")} >= {"pre_assessment", "mid_supervision", "post_evaluation"}
    post = read_questionnaire(FORMS / "post_evaluation.xlsx")
    assert [c.name for c in post.choices["likert5"]] == ["5", "4", "3", "2", "1"]
    assert {"q_overall", "adopt", "visits_per_week"} <= {q.name for q in post.questions}


def test_every_type_is_read(form) -> None:
    kinds = {q.name: q.type for q in form.questions}
    assert kinds == {
        "q_overall": QuestionType.SELECT_ONE,
        "concerns": QuestionType.SELECT_MULTIPLE,
        "other": QuestionType.TEXT,
        "visits": QuestionType.INTEGER,
        "spend": QuestionType.DECIMAL,
    }
    assert [q.name for q in form.scale_items()] == ["q_overall", "visits", "spend"]


def test_answers_are_typed_and_checked(form) -> None:
    answers, problems = check_answers(
        form, {"q_overall": "4", "concerns": "other noise", "other": " 树 ", "visits": "3", "spend": "2.5"}
    )
    assert problems == []
    assert answers == {"q_overall": 4, "concerns": ["noise", "other"], "other": "树", "visits": 3, "spend": 2.5}


@pytest.mark.parametrize(
    ("raw", "column", "reason"),
    [
        ({}, "q_overall", "evaluation.required"),
        ({"q_overall": "7"}, "q_overall", "evaluation.unknown_choice"),
        ({"q_overall": "3", "concerns": ["other"]}, "other", "evaluation.required"),
        ({"q_overall": "3", "visits": "2.5"}, "visits", "evaluation.not_an_integer"),
        ({"q_overall": "3", "visits": "40"}, "visits", "evaluation.constraint"),
        ({"q_overall": "4", "spend": "很多"}, "spend", "evaluation.not_a_number"),
    ],
)
def test_every_answer_problem_names_its_question(form, raw, column, reason) -> None:
    _, problems = check_answers(form, raw)
    assert [(p.column, p.reason) for p in problems] == [(column, reason)]
    assert "「" in problems[0].message()  # the Chinese message quotes the question


def test_answers_to_irrelevant_questions_are_dropped(form) -> None:
    answers, problems = check_answers(form, {"q_overall": "2", "spend": "很多", "concerns": ["noise"], "other": "x"})
    assert problems == []
    assert "spend" not in answers and "other" not in answers


def test_expressions_parse_into_a_tree_and_never_run_code() -> None:
    node = parse_expression("${a} = 'x' or selected(${b}, 'y') and . >= 2")
    assert isinstance(node, BoolOp) and node.op == "or"
    assert isinstance(node.items[0], Compare) and isinstance(node.items[1].items[0], Selected)
    assert evaluate(node, {"a": "x"}) is True
    assert evaluate(node, {"a": "z", "b": ["y"]}, current=3) is True
    assert evaluate(node, {"a": "z", "b": ["y"]}, current=1) is False
    assert evaluate(parse_expression("${n} != 3"), {"n": 3}) is False
    assert evaluate(parse_expression("${n} < 3"), {}) is False  # unanswered is not less than anything
    for bad in ("__import__('os')", "${a} == 1", "${a}", "${a} = ", "(${a} = 'x'", "${a} = 'x' and"):
        with pytest.raises(ExpressionError):
            parse_expression(bad)


def test_likert_collapses_to_three_levels_and_a_100_point_score() -> None:
    assert [collapse_likert(v) for v in (1, 2, 3, 4, 5)] == ["low", "low", "neutral", "high", "high"]
    assert [likert_score(v) for v in (1, 3, 5)] == [0.0, 50.0, 100.0]


def _problems(path: Path) -> list[tuple[str | None, int | None, str | None, str]]:
    with pytest.raises(ValidationError) as info:
        read_questionnaire(path)
    assert info.value.reason == "evaluation.bad_questionnaire"
    return [(p.sheet, p.row, p.column, p.reason) for p in info.value.problems]


def test_missing_sheet_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_questionnaire(write_form(tmp_path / "q.xlsx", sheets=("survey",)))
    assert info.value.sheet == "choices" and "choices" in str(info.value)
    assert "工作表" in str(info.value)


def test_unknown_type_list_duplicates_and_bad_expressions_are_all_listed(tmp_path: Path) -> None:
    survey = [
        SURVEY[0],
        ("select_one likert5", "q_overall", "总体", "Overall", "yes", "", ""),
        ("rating", "stars", "星级", "Stars", "", "", ""),
        ("select_one colours", "colour", "颜色", "Colour", "", "", ""),
        ("text", "q_overall", "重复", "Again", "", "", ""),
        ("text", "why", "为什么", "Why", "", "${q_overall} == 1", ""),
        ("text", "where", "哪里", "Where", "maybe", "${nobody} = 'x'", ""),
    ]
    choices = [*CHOICES, ("concern", "noise", "噪音", "noise")]
    found = _problems(write_form(tmp_path / "坏问卷.xlsx", survey, choices))
    assert ("survey", 3, "type", "evaluation.unknown_type") in found
    assert ("survey", 4, "type", "evaluation.unknown_list") in found
    assert ("survey", 5, "name", "evaluation.duplicate_name") in found
    assert ("survey", 6, "relevant", "evaluation.bad_expression") in found
    assert ("survey", 7, "required", "evaluation.bad_required") in found
    assert ("survey", 7, "relevant", "evaluation.unknown_reference") in found
    assert ("choices", 9, "name", "evaluation.duplicate_choice") in found


def test_missing_column_is_named(tmp_path: Path) -> None:
    survey = [("name", "label::zh"), ("q1", "题一")]
    assert ("survey", 1, "type", "evaluation.missing_column") in _problems(write_form(tmp_path / "q.xlsx", survey))


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "问卷.xlsx"
    path.write_bytes("不是表格".encode("gb18030"))
    with pytest.raises(CogovError) as info:
        read_questionnaire(path)
    assert info.value.reason == "evaluation.not_xlsx" and "问卷.xlsx" in str(info.value)
