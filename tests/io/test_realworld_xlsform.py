"""Every XLSForm of the real-world corpus, with the outcome decided by reading the file.

A form loads with its questions, choices and labels, or is refused naming the
unsupported feature, the sheet and the row (see ``../shared/realworld/SOURCES.md``).
"""

from __future__ import annotations

import pytest
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from cogov_toolkit.core.questionnaire import QuestionType
from cogov_toolkit.errors import ValidationError
from cogov_toolkit.io.surveys import read_questionnaire, read_xlsform_rows
from tests.io.realworld import corpus

T, INT, S1, SM = QuestionType.TEXT, QuestionType.INTEGER, QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE

#: file -> the questions it loads with: (name, type, English label or None when the form has none)
LOADS = {
    "xlsform_pyxform/text_and_integer.xlsx": [
        ("your_name", T, "What is your name?"),
        ("your_age", INT, "How many years old are you?"),
    ],
    "xlsform_pyxform/yes_or_no_question.xlsx": [("good_day", S1, "have you had a good day today?")],
    "xlsform_pyxform/specify_other.xlsx": [("sex", S1, "What sex are you?"), ("sex_other", T, None)],
    "xlsform_pyxform/or_other.xlsx": [("fav_color", S1, None), ("fav_color_other", T, None), ("fav_pastel", S1, None)],
    "xlsform_pyxform/choice_filter_test.xlsx": [("state", S1, None), ("county", S1, None), ("city", S1, None)],
    "xlsform_pyxform/field-list.xlsx": [("table_list_question", S1, "table list question")],
    "xlsform_pyxform/extra_sheet_names.xlsx": [("test", T, None)],
    "xlsform_pyxform/survey_no_name.xlsx": [("state", T, None)],  # one sheet: pyxform reads it as the survey
    "xlsform_pyxform/xl_date_ambiguous.xlsx": [
        ("name1", T, "name1"),
        ("name2", T, "name2"),
        ("name3", T, "name3"),
        ("names", S1, "names"),
    ],
    "xlsform_kobo/form_with_unicode_in_relevant_column.xlsx": [
        ("respondent_marital", S1, "2. What is your marital status?"),
        ("marital_other", T, "Specify other"),
    ],
}
#: file -> (reason, sheet, row, column, text the message names) of one problem its refusal lists
REFUSED = {
    "xlsform_pyxform/group.xlsx": ("evaluation.unsupported_type", "survey", 4, "type", "phone number"),
    "xlsform_pyxform/ODKValidateWarnings.xlsx": ("evaluation.unsupported_type", "survey", 3, "type", "phone number"),
    "xlsform_pyxform/loop.xlsx": ("evaluation.unsupported_feature", "survey", 3, "type", "begin loop"),
    "xlsform_pyxform/attribute_columns_test.xlsx": (
        "evaluation.unsupported_feature",
        "survey",
        15,
        "type",
        "begin repeat",
    ),
    "xlsform_pyxform/xlsform_spec_test.xlsx": ("evaluation.unsupported_feature", "survey", 15, "type", "begin repeat"),
    "xlsform_pyxform/case_insensitivity.xlsx": (
        "evaluation.unsupported_feature",
        "SURVEY",
        3,
        "type",
        "select_one_external",
    ),
    "xlsform_pyxform/pull_data.xlsx": ("evaluation.unsupported_feature", "survey", 2, "calculation", "pulldata()"),
    "xlsform_pyxform/include.xlsx": ("evaluation.unsupported_type", "survey", 3, "type", "include"),
    "xlsform_pyxform/UCL_Biomass_Plot_Form.xlsx": (
        "evaluation.unsupported_feature",
        "survey",
        32,
        "type",
        "begin repeat",
    ),
    "xlsform_pyxform/duplicate_columns.xlsx": ("evaluation.duplicate_column", "survey", 1, "label", "label"),
    "xlsform_pyxform/bad_calc.xlsx": ("evaluation.bad_expression", "survey", 2, "calculation", "because pyxform"),
    "xlsform_pyxform/tutorial.xls": ("evaluation.unsupported_feature", "survey", 2, "type", "begin repeat"),
    "xlsform_kobo/exp.xlsx": ("evaluation.unsupported_type", "survey", 9, "type", "date"),
    "xlsform_kobo/good_eats_multilang.xls": ("evaluation.unsupported_type", "survey", 11, "type", "geopoint"),
    "xlsform_kobo/nested_repeats.xls": ("evaluation.unsupported_feature", "survey", 4, "type", "begin repeat"),
    "xlsform_kobo/transportation.xls": ("evaluation.unsupported_feature", "survey", 5, "type", "begin loop"),
    "xlsform_kobo/tutorial_w_repeats.xls": ("evaluation.unsupported_feature", "survey", 6, "type", "begin repeat"),
}


def test_every_form_of_the_corpus_has_an_expected_outcome() -> None:
    folder = corpus("xlsform_pyxform").parent
    files = {
        f"{p.parent.name}/{p.name}" for d in ("xlsform_pyxform", "xlsform_kobo") for p in (folder / d).glob("*.xls*")
    }
    assert files == set(LOADS) | set(REFUSED)


@pytest.mark.parametrize("name", sorted(LOADS))
def test_form_loads_with_its_questions(name: str) -> None:
    form = read_questionnaire(corpus(*name.split("/")))
    assert [(q.name, q.type) for q in form.questions] == [(n, t) for n, t, _ in LOADS[name]]
    for question, (_, _, english) in zip(form.questions, LOADS[name], strict=True):
        if english is not None:
            assert question.label_en == english
        assert question.label_zh  # a form without Chinese labels still shows its own
    for question in form.questions:
        if question.type.has_choices:
            assert form.choices_of(question), question.name


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_form_is_refused_naming_the_feature_sheet_and_row(name: str) -> None:
    reason, sheet, row, column, text = REFUSED[name]
    with pytest.raises(ValidationError) as info:
        read_questionnaire(corpus(*name.split("/")))
    found = [p for p in info.value.problems if (p.reason, p.sheet, p.row, p.column) == (reason, sheet, row, column)]
    assert found, [(p.reason, p.sheet, p.row, p.column) for p in info.value.problems]
    assert text in found[0].message()
    assert name.split("/")[-1] in str(info.value)


def test_or_other_and_a_choice_filter_without_quotes() -> None:
    form = read_questionnaire(corpus("xlsform_pyxform", "or_other.xlsx"))
    assert [c.name for c in form.choices["colors"]] == ["red", "green", "blue", "mauve", "apricot", "other"]
    other = form.question("fav_color_other")
    assert other.other_of == "fav_color" and not form.is_relevant(other, {"fav_color": "red"})
    assert form.is_relevant(other, {"fav_color": "other"})
    # "pastel=yes": the two pastel colours are offered, not five
    assert [c.name for c in form.choices_for(form.question("fav_pastel"), {})] == ["mauve", "apricot"]


def test_cascading_choices_follow_the_earlier_answers() -> None:
    form = read_questionnaire(corpus("xlsform_pyxform", "choice_filter_test.xlsx"))
    county, city = form.question("county"), form.question("city")
    assert [c.name for c in form.choices_for(county, {"state": "washington"})] == ["king", "pierce"]
    assert [c.name for c in form.choices_for(county, {"state": "texas"})] == ["king", "cameron"]
    assert [c.name for c in form.choices_for(city, {"county": "pierce"})] == ["tacoma", "puyallup"]
    from cogov_toolkit.core.questionnaire import check_answers

    _, problems = check_answers(form, {"state": "texas", "county": "pierce"})
    assert [p.reason for p in problems] == ["evaluation.not_offered"]


def test_chinese_labels_win_over_a_plain_label_column() -> None:
    form = read_questionnaire(corpus("xlsform_pyxform", "field-list.xlsx"))
    assert [(c.label_zh, c.label_en) for c in form.choices["yes_no"]] == [("是", "Yes"), ("没有", "No")]
    assert form.question("table_list_question").section == "name"  # the group, flattened into a section


def test_every_language_of_a_form_is_kept_for_matching_exports() -> None:
    form = read_questionnaire(corpus("xlsform_kobo", "form_with_unicode_in_relevant_column.xlsx"))
    question = form.question("respondent_marital")
    assert question.labels["Tetun"] == "2. Ita nia status saida?"
    assert form.is_relevant(form.question("marital_other"), {"respondent_marital": "other"})  # ‘curly’ quotes


def test_a_form_declaring_a_million_rows_is_read_only_to_its_last_row(monkeypatch: pytest.MonkeyPatch) -> None:
    path = corpus("xlsform_pyxform", "UCL_Biomass_Plot_Form.xlsx")
    pulled = {"rows": 0}
    original = ReadOnlyWorksheet._cells_by_row

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        for row in original(self, *args, **kwargs):
            pulled["rows"] += 1
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting)
    survey, choices, *_ = read_xlsform_rows(path)
    last_survey = max(r["__row"] for r in survey if len(r) > 1)
    last_choice = max(r["__row"] for r in choices if len(r) > 1)
    assert survey[-1]["__row"] == last_survey and choices[-1]["__row"] == last_choice  # the blank tail is not returned
    # the sheets declare 1,048,576 rows each; the reader pulled the filled rows and at most 60 blank ones per sheet
    assert pulled["rows"] <= last_survey + last_choice + 3 * 61, pulled
