"""KoboToolbox/ODK exports of the real-world corpus: response counts and named cells, decided by reading each file.

The questionnaires behind them are written here as a planner would have them (the
forms in the corpus use repeats and loops, which the toolkit refuses, and the KPI
form exists only as JSON in Kobo's own tests): the supported questions only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cogov_toolkit.core.questionnaire import Questionnaire
from cogov_toolkit.errors import InputError
from cogov_toolkit.io.surveys import SurveyReport, read_kobo_csv, read_questionnaire
from tests.io.realworld import corpus
from tests.io.xlsforms import write_xlsform

TRANSPORT = "available_transportation_types_to_referral_facility"
LOOP_COLUMNS = 9  # transport/loop_over_transport_types_frequency/<type>/frequency_to_referral_facility


@pytest.fixture(name="transportation", scope="module")
def fixture_transportation(tmp_path_factory: pytest.TempPathFactory) -> Questionnaire:
    types = ("ambulance", "bicycle", "boat_canoe", "bus", "donkey_mule_cart", "keke_pepe", "lorry", "motorbike", "taxi")
    path = write_xlsform(
        tmp_path_factory.mktemp("kobo") / "transportation.xlsx",
        [
            ("type", "name", "label"),
            ("begin group", "transport", "Transportation"),
            ("select_multiple transport_types or_other", TRANSPORT, "What types of transportation are available?"),
            ("end group", "", ""),
        ],
        [("list_name", "name", "label"), *[("transport_types", t, t) for t in types]],
    )
    return read_questionnaire(path)


@pytest.fixture(name="tutorial", scope="module")
def fixture_tutorial(tmp_path_factory: pytest.TempPathFactory) -> Questionnaire:
    path = write_xlsform(
        tmp_path_factory.mktemp("kobo") / "tutorial.xlsx",
        [
            ("type", "name", "label"),
            ("text", "name", "1. What is your name?"),
            ("integer", "age", "2. How old are you?"),
            ("select one from yes_no", "has_children", "4. Do you have any children?"),
            ("select all that apply from browsers", "web_browsers", "6. What web browsers do you use?"),
        ],
        [
            ("list name", "name", "label"),
            ("yes_no", "0", "no"),
            ("yes_no", "1", "yes"),
            *[("browsers", b, b) for b in ("firefox", "chrome", "ie", "safari")],
        ],  # fmt: skip
    )
    return read_questionnaire(path)


@pytest.fixture(name="nested", scope="module")
def fixture_nested(tmp_path_factory: pytest.TempPathFactory) -> Questionnaire:
    path = write_xlsform(
        tmp_path_factory.mktemp("kobo") / "nested.xlsx",
        [
            ("type", "name", "label"),
            ("begin group", "kids", "Kids"),
            ("select one from yes_no", "has_kids", "4. Do you have any kids?"),
            ("begin group", "nested_group", "4.2 A Nested Group"),
            ("integer", "nested_age", "4.4 A Nested Age"),
            ("end group", "", ""),
            ("end group", "", ""),
            ("select all that apply from browsers", "web_browsers", "7. What web browsers do you use?"),
        ],
        [
            ("list name", "name", "label"),
            ("yes_no", "0", "no"),
            ("yes_no", "1", "yes"),
            *[("browsers", b, b) for b in ("firefox", "chrome", "ie", "safari")],
        ],  # fmt: skip
    )
    return read_questionnaire(path)


@pytest.fixture(name="animals", scope="module")
def fixture_animals(tmp_path_factory: pytest.TempPathFactory) -> Questionnaire:
    """Kobo's test form "Identificación de animales", in English and Spanish."""
    path = write_xlsform(
        tmp_path_factory.mktemp("kobo") / "animals.xlsx",
        [
            ("type", "name", "label::English (en)", "label::Español (es)"),
            ("start", "start", "", ""),
            ("end", "end", "", ""),
            ("begin group", "external", "External Characteristics", "Características externas"),
            (
                "select_multiple symmetry",
                "symmetry",
                "What kind of symmetry do you have?",
                "¿Qué tipo de simetría tiene?",
            ),
            ("integer", "segments", "How many segments does your body have?", "¿Cuántos segmentos tiene tu cuerpo?"),
            ("end group", "", "", ""),
            (
                "select_one fluids",
                "fluids",
                "Do you have body fluids that occupy intracellular space?",
                "¿Tienes fluidos corporales que ocupan espacio intracelular?",
            ),
            (
                "select_one yes_no",
                "descendant",
                "Do you descend from an ancestral unicellular organism?",
                "¿Desciende de un organismo unicelular ancestral?",
            ),
        ],  # fmt: skip
        [
            ("list_name", "name", "label::English (en)", "label::Español (es)"),
            ("symmetry", "spherical", "Spherical", "Esférico"),
            ("symmetry", "radial", "Radial", "Radial"),
            ("symmetry", "bilateral", "Bilateral", "Bilateral"),
            ("fluids", "yes", "Yes", "Sí"),
            ("fluids", "yes_and_some", "Yes, and some extracellular space", "Sí, y algún espacio extracelular"),
            ("fluids", "no_unsure", "No / Unsure", "No / Inseguro"),
            ("yes_no", "yes", "Yes", "Sí"),
            ("yes_no", "no", "No", "No"),
        ],
    )
    return read_questionnaire(path)


def answers(report: SurveyReport) -> dict[int, dict[str, object]]:
    return {r.row: r.answers for r in report.accepted}


def test_every_export_of_the_corpus_is_covered() -> None:
    folder = corpus("kobo_exports")
    tested = {
        "transportation.csv", "transportation_without_na.csv", "transportation_export.xlsx", "tutorial_w_repeats.csv",
        "tutorial_w_repeats_flattened.csv", "export.csv", "nested_repeats.csv", "kpi_csv_default_options.csv",
        "kpi_csv_english_labels_no_hxl.csv", "kpi_csv_filter_fields.csv", "kpi_csv_hierarchy_in_labels.csv",
        "kpi_csv_spanish_labels.csv",
    }  # fmt: skip
    assert {p.name for p in folder.iterdir()} == tested


@pytest.mark.parametrize("name", ["transportation.csv", "transportation_export.xlsx"])
def test_true_false_columns_are_one_multiple_choice(transportation: Questionnaire, name: str) -> None:
    report = read_kobo_csv(corpus("kobo_exports", name), transportation)
    assert report.rejected == ()
    got = answers(report)
    assert list(got) == [2, 3, 4, 5]
    assert TRANSPORT not in got[2]  # every option False (the joined column says "none"): no answer
    assert got[3][TRANSPORT] == ["ambulance", "bicycle"]
    assert got[5][TRANSPORT] == ["taxi", "other"] and got[5][f"{TRANSPORT}_other"] == "camel"
    assert report.accepted[0].submitted_at == "2013-02-14T23:37:21+08:00"  # _submission_time is UTC
    assert len(report.unmatched_columns) == LOOP_COLUMNS  # the loop's columns: listed, not imported
    assert any(TRANSPORT in target for _, target in report.mapping)


def test_an_export_with_blanks_instead_of_n_a(transportation: Questionnaire) -> None:
    report = read_kobo_csv(corpus("kobo_exports", "transportation_without_na.csv"), transportation)
    assert [r.row for r in report.accepted] == [2] and report.rejected == ()
    assert report.accepted[0].answers == {}
    assert report.accepted[0].submitted_at == "2013-02-18T23:54:01+08:00"
    assert {"_tags", "_notes", "_validation_status", "_uuid"} <= set(report.meta_columns)


def test_repeat_group_columns_are_never_questions_and_names_are_dropped(tutorial: Questionnaire) -> None:
    report = read_kobo_csv(corpus("kobo_exports", "tutorial_w_repeats.csv"), tutorial)
    assert answers(report) == {2: {"age": 25, "has_children": 1}}
    assert report.repeat_columns == (
        "children[1]/childs_name", "children[1]/childs_age", "children[2]/childs_name", "children[2]/childs_age",
    )  # fmt: skip
    assert {"name", "gps", "_gps_latitude", "_gps_longitude"} <= set(report.dropped_columns)
    assert "picture" in report.unmatched_columns


def test_one_submission_split_over_two_rows_is_one_response(tutorial: Questionnaire) -> None:
    report = read_kobo_csv(corpus("kobo_exports", "tutorial_w_repeats_flattened.csv"), tutorial)
    assert [r.row for r in report.accepted] == [2]
    assert report.merged_rows == (3,)
    assert answers(report)[2] == {"age": 25, "has_children": 1}


def test_an_export_of_repeat_members_only_is_refused_without_echoing_a_name(tutorial: Questionnaire) -> None:
    with pytest.raises(InputError) as info:
        read_kobo_csv(corpus("kobo_exports", "export.csv"), tutorial)
    assert info.value.reason == "evaluation.no_question_columns"
    assert "Andrew" not in str(info.value) and "export.csv" in str(info.value)


def test_nested_repeats_leave_the_top_level_answers(nested: Questionnaire) -> None:
    report = read_kobo_csv(corpus("kobo_exports", "nested_repeats.csv"), nested)
    got = answers(report)
    assert list(got) == [2, 3] and report.rejected == ()
    assert got[2]["web_browsers"] == ["ie", "safari"]
    assert got[3]["web_browsers"] == ["firefox", "chrome", "ie"]
    assert got[3]["nested_age"] == 38 and got[2]["has_kids"] == 1
    assert {"kids/nested_group/nested_name", "address", "gps"} <= set(report.dropped_columns)
    assert len(report.repeat_columns) == 13


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        ("kpi_csv_default_options.csv", [3, 4, 5]),
        ("kpi_csv_english_labels_no_hxl.csv", [2, 3, 4]),
        ("kpi_csv_hierarchy_in_labels.csv", [3, 4, 5]),
        ("kpi_csv_spanish_labels.csv", [3, 4, 5]),
    ],
)
def test_current_kpi_exports_semicolons_hxl_and_labels(animals: Questionnaire, name: str, rows: list[int]) -> None:
    report = read_kobo_csv(corpus("kobo_exports", name), animals)
    assert report.rejected == ()
    got = answers(report)
    assert list(got) == rows
    first, second, third = (got[r] for r in rows)
    assert first["symmetry"] == ["spherical", "radial", "bilateral"]
    assert first["fluids"] == "yes_and_some" and second["segments"] == 3
    assert third["fluids"] == "no_unsure" and third["descendant"] == "yes"
    assert report.accepted[0].submitted_at == "2017-10-23T17:41:19+08:00"
    assert report.skipped_rows == ((2,) if rows[0] == 3 else ())  # the HXL tag row


def test_a_kpi_export_of_some_fields(animals: Questionnaire) -> None:
    report = read_kobo_csv(corpus("kobo_exports", "kpi_csv_filter_fields.csv"), animals)
    assert [a for a in answers(report).values()] == [{"descendant": "no"}, {"descendant": "no"}, {"descendant": "yes"}]


def test_a_kobo_form_file_and_its_export_need_nothing_else(tmp_path: Path, transportation: Questionnaire) -> None:
    """The report lists every column of the file exactly once somewhere."""
    report = read_kobo_csv(corpus("kobo_exports", "transportation.csv"), transportation)
    import csv

    with corpus("kobo_exports", "transportation.csv").open(encoding="utf-8") as fh:
        headers = next(csv.reader(fh))
    listed = [c for c, _ in report.mapping] + [*report.unmatched_columns, *report.dropped_columns,
                                               *report.repeat_columns, *report.meta_columns]  # fmt: skip
    assert sorted(listed) == sorted(headers)
