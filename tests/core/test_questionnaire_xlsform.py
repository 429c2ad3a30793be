"""What a community survey uses from XLSForm: groups as sections, notes, calculations, cascading choices, or_other."""

from __future__ import annotations

from pathlib import Path

import pytest

from cogov_toolkit.core.questionnaire import check_answers, evaluate, parse_calculation, parse_expression, value_of
from cogov_toolkit.errors import ExpressionError
from cogov_toolkit.io.surveys import read_questionnaire
from tests.io.xlsforms import write_xlsform

SURVEY = [
    (
        "TYPE",
        "NAME",
        "LABEL::中文 (zh)",
        "label:English",
        "Relevant",
        "calculation",
        "choice_filter",
    ),  # spellings of the spec
    ("begin group", "home", "家庭情况", "Household", "", "", ""),
    ("integer", "adults", "成年人数", "Adults", "", "", ""),
    ("integer", "children", "儿童人数", "Children", "", "", ""),
    ("calculate", "size", "", "", "", "${adults} + ${children}", ""),
    ("note", "thanks", "谢谢，下面是关于小区的问题", "Thanks", "", "", ""),
    ("end group", "", "", "", "", "", ""),
    ("begin group", "kids", "儿童活动", "Children's play", "${children} > 0", "", ""),
    ("select_one area", "area", "孩子常去哪个片区", "Area", "", "", ""),
    ("select_one place or_other", "place", "常去的地方", "Place", "", "", "area = ${area}"),
    ("end group", "", "", "", "", "", ""),
]
CHOICES = [
    ("list name", "name", "label::中文 (zh)", "area"),
    ("area", "east", "东苑", ""),
    ("area", "west", "西苑", ""),
    ("place", "garden", "小花园", "east"),
    ("place", "square", "广场", "east"),
    ("place", "court", "球场", "west"),
]


@pytest.fixture(name="form")
def fixture_form(tmp_path: Path):
    return read_questionnaire(write_xlsform(tmp_path / "家庭问卷.xlsx", SURVEY, CHOICES))


def test_groups_become_sections_and_their_relevance_applies_inside(form) -> None:
    assert [(q.name, q.section) for q in form.questions] == [
        ("adults", "家庭情况"), ("children", "家庭情况"), ("area", "儿童活动"), ("place", "儿童活动"), ("place_other", "儿童活动"),
    ]  # fmt: skip
    assert form.question("adults").label_en == "Adults"  # "label:English", one colon
    assert not form.is_relevant(form.question("area"), {"children": 0})
    assert form.is_relevant(form.question("area"), {"children": 2})
    assert [n.name for n in form.notes] == ["thanks"] and form.notes[0].section == "家庭情况"


def test_calculations_are_worked_out_with_the_answers(form) -> None:
    answers, problems = check_answers(form, {"adults": "2", "children": "1", "area": "west", "place": "court"})
    assert problems == [] and answers["size"] == 3
    answers, _ = check_answers(form, {"adults": "2"})
    assert "size" not in answers  # an unanswered part leaves the calculation empty


def test_choices_cascade_and_other_is_asked_for(form) -> None:
    place = form.question("place")
    assert [c.name for c in form.choices_for(place, {"area": "east"})] == ["garden", "square", "other"]
    _, problems = check_answers(form, {"adults": "1", "children": "1", "area": "east", "place": "court"})
    assert [(p.column, p.reason) for p in problems] == [("place", "evaluation.not_offered")]
    answers, problems = check_answers(
        form, {"adults": "1", "children": "1", "area": "east", "place": "other", "place_other": "楼下空地"}
    )
    assert problems == [] and answers["place_other"] == "楼下空地"


def test_expressions_walk_a_tree_with_arithmetic_and_functions() -> None:
    assert value_of(parse_calculation("(${a} + 2) * 3 div 2"), {"a": 4}) == 9
    assert value_of(parse_calculation("if(${a} > 3, 'big', 'small')"), {"a": 4}) == "big"
    assert value_of(parse_calculation("count-selected(${m})"), {"m": ["x", "y"]}) == 2
    assert evaluate(parse_expression("not(selected(${m}, 'x'))"), {"m": ["y"]})
    assert evaluate(parse_expression("0"), {}) is False  # a never-relevant question
    for bad in ("pulldata('x', 'y', 'z', 'w')", "regex(${a}, 'x')", "${a} + ", "if(${a}, 1)"):
        with pytest.raises(ExpressionError):
            parse_calculation(bad)
