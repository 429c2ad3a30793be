"""The evaluation form driven from code: every question type, every inline message, save once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cogov_toolkit.demo.sample import build_sample_workspace
from cogov_toolkit.io.surveys import read_questionnaire
from cogov_toolkit.storage import open_workspace
from cogov_toolkit.widgets.evaluation_form import EvaluationForm, form_for_workspace
from tests.core.test_questionnaire import write_form


@pytest.fixture(name="sample", scope="module")
def fixture_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_workspace(tmp_path_factory.mktemp("表单") / "幸福社区.gpkg")


@pytest.fixture(name="form")
def fixture_form(sample: Path, tmp_path: Path) -> EvaluationForm:
    questionnaire = read_questionnaire(write_form(tmp_path / "问卷.xlsx"))
    return EvaluationForm(sample, questionnaire, projects=["PJ01", "PJ02"], buildings=["B01", "B02"])


def _count(path: Path) -> int:
    with open_workspace(path, backups=0) as ws:
        return ws.count("evaluations")


def fill(form: EvaluationForm, **answers) -> None:
    form.project.value = "PJ01"
    form.phase.value = "post"
    form.role.value = "resident"
    form.building.value = "B02"
    for name, value in answers.items():
        field = form.fields[name]
        if name == "concerns":
            for toggle, choice in zip(field.inputs, ("noise", "other"), strict=True):
                toggle.value = choice in value
        else:
            field.inputs[0].value = value


def test_every_question_type_is_saved_with_its_typed_value(form: EvaluationForm, sample: Path) -> None:
    before = _count(sample)
    fill(form, q_overall="4", concerns=["noise", "other"], other="树太少", visits="3", spend="12.5")
    record_uuid = form.submit_button.click() or form.saved[-1]
    assert "已保存" in form.message.value
    with open_workspace(sample, backups=0) as ws:
        row = ws.get("evaluations", record_uuid)
        assert ws.count("evaluations") == before + 1
    assert json.loads(row["answers"]) == {
        "q_overall": 4,
        "concerns": ["noise", "other"],
        "other": "树太少",
        "visits": 3,
        "spend": 12.5,
    }
    assert (row["project_id"], row["phase"], row["evaluator_role"], row["building_id"]) == (
        "PJ01",
        "post",
        "resident",
        "B02",
    )
    # cleared for the next person, with a new key
    assert (
        form.fields["q_overall"].read() is None and form.fields["concerns"].read() == [] and form.building.value is None
    )


@pytest.mark.parametrize(
    ("answers", "field", "text"),
    [
        ({}, "q_overall", "「总体满意度」必须填写"),
        ({"q_overall": "3", "concerns": ["other"]}, "other", "「其他」必须填写"),
        ({"q_overall": "3", "visits": "两次"}, "visits", "「次数」应填整数，填的是「两次」"),
        ({"q_overall": "3", "visits": "40"}, "visits", "「次数」超出范围"),
        ({"q_overall": "5", "spend": "很多"}, "spend", "「花费」应填数字，填的是「很多」"),
    ],
)
def test_every_validation_message_shows_inline_and_nothing_is_saved(form, sample, answers, field, text) -> None:
    before = _count(sample)
    fill(form, **answers)
    form.submit_button.click()
    assert text in form.field_messages()[field]
    assert "请看红字提示" in form.message.value
    assert _count(sample) == before


def test_who_fields_are_checked_too(form: EvaluationForm, sample: Path) -> None:
    form.project.value = None
    form.role.value = "resident"
    form.building.value = None
    form.fields["q_overall"].inputs[0].value = "3"
    form.submit_button.click()
    messages = form.field_messages()
    assert messages["project_id"] == "「项目」必须填写" and messages["building_id"] == "「楼栋」必须填写"
    form.role.value = "property_manager"  # the property manager answers for no building
    assert form.building.layout.display == "none"
    form.project.value = "PJ01"
    form.submit_button.click()
    assert "已保存" in form.message.value


def test_relevance_hides_and_shows_a_question(form: EvaluationForm) -> None:
    assert form.fields["other"].row.layout.display == "none"
    form.fields["concerns"].inputs[1].value = True
    assert form.fields["other"].row.layout.display is None
    assert form.fields["spend"].row.layout.display == "none"
    form.fields["q_overall"].inputs[0].value = "5"
    assert form.fields["spend"].row.layout.display is None


def test_a_double_tap_or_a_retry_saves_once(form: EvaluationForm, sample: Path) -> None:
    before = _count(sample)
    fill(form, q_overall="2")
    key = form.key
    first = form.submit()
    # the connection dropped before the confirmation arrived: the same filled form is sent again
    form.key = key
    fill(form, q_overall="2")
    second = form.submit()
    assert first == second
    assert _count(sample) == before + 1
    # a plain second tap after the save finds the form cleared: a message, no second record
    form.submit_button.click()
    assert "请看红字提示" in form.message.value
    assert _count(sample) == before + 1


def test_a_failed_save_keeps_the_key_so_a_retry_does_not_duplicate(
    form: EvaluationForm, sample: Path, tmp_path: Path
) -> None:
    form.workspace = tmp_path / "不存在.gpkg"
    fill(form, q_overall="1")
    key = form.key
    assert form.submit() is None
    assert "没有保存成功" in form.message.value and form.key == key
    form.workspace = sample
    assert form.submit() is not None and form.key != key


def test_messages_are_escaped(form: EvaluationForm, sample: Path, tmp_path: Path) -> None:
    questionnaire = read_questionnaire(
        write_form(
            tmp_path / "q.xlsx",
            [("type", "name", "label::zh", "required"), ("integer", "n", "<b>次数</b>", "yes")],
            [("list_name", "name", "label::zh")],
        )
    )
    form = EvaluationForm(sample, questionnaire, projects=["PJ01"])
    form.submit()
    assert "<b>次数</b>" not in form.fields["n"].message.value and "&lt;b&gt;" in form.fields["n"].message.value
    assert "<b>次数</b>" not in form.fields["n"].row.children[0].value


def test_form_for_workspace_offers_the_standard_questionnaire_of_each_phase(sample: Path) -> None:
    form = form_for_workspace(sample)
    assert "PJ01" in [v for _, v in form.project.options]
    form.phase.value = "mid"
    assert "m_quality" in form.fields and form.questionnaire.form_id == "mid_supervision"
    form.fields["problem_seen"].inputs[0].value = "yes"
    assert form.fields["problem_text"].row.layout.display is None
