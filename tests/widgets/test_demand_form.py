"""The meeting demand form, driven from code as a planner would fill and click it."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from cogov_toolkit.demo.sample import build_sample_workspace
from cogov_toolkit.storage import open_workspace
from cogov_toolkit.widgets.demand_form import DemandForm
from cogov_toolkit.workflows import demands as flow


@pytest.fixture(name="form")
def fixture_form(tmp_path: Path) -> Iterator[DemandForm]:
    ws = open_workspace(build_sample_workspace(tmp_path / "幸福社区.gpkg"), backups=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 2026 holidays may be unpublished in the installed calendar
        yield DemandForm(ws)
    ws.close()


def _fill(form: DemandForm) -> None:
    form.reported_on.value = date(2026, 3, 20)
    form.place.value = ("building", "B12")
    form.category.value = "dispute"
    form.scope.value = "household"
    form.text.value = "楼上漏水 <b>渗到</b> 我家"
    form.contact_name.value = "赵样"
    form.contact_phone.value = "100-0000-4321"


def test_the_place_chooser_lists_buildings_and_sites_by_label(form: DemandForm) -> None:
    labels = [label for label, _ in form.place.options]
    assert "楼栋 12栋" in labels
    assert any(label.startswith("公共空间 3号") for label in labels)
    assert any(label.startswith("闲置地 2号") for label in labels)


def test_suggest_shows_the_class_with_its_reason_then_save_confirms(form: DemandForm) -> None:
    _fill(form)
    form.suggest_button.click()
    assert "私事" in form.suggestion.value and "理由" in form.suggestion.value
    assert form.triage_class.value == "private"
    form.save_button.click()
    assert form.saved and "已登记诉求" in form.message.value
    demand_id = form.saved[0]
    row = form.ws.records("demands").set_index("demand_id").loc[demand_id]
    assert (row["triage_class"], row["building_id"], row["channel"]) == ("private", "B12", "meeting")
    assert "100-0000-4321" not in form.ws.records("demands").to_csv()
    assert "100-0000-4321" in set(form.ws.private_records("demand_contacts")["phone"])
    assert len(flow.history(form.ws, demand_id)) == 2
    assert form.text.value == ""  # ready for the next demand


def test_a_blank_text_shows_a_chinese_error_and_saves_nothing(form: DemandForm) -> None:
    _fill(form)
    form.text.value = "   "
    form.save_button.click()
    assert form.saved == [] and "诉求内容不能为空" in form.message.value
    assert form.ws.count("demands") == 60


def test_the_message_escapes_what_residents_typed(form: DemandForm) -> None:
    _fill(form)
    form.place.value = None
    form.channel.value = "online"
    form.save_button.click()
    assert form.saved and "&lt;b&gt;渗到" in form.message.value  # the text is shown, escaped
    assert "<b>" not in form.message.value


def test_after_a_save_every_field_resets_and_a_double_tap_confirms_once(form: DemandForm) -> None:
    _fill(form)
    assert form.triage_class.value == "private"  # the suggestion follows the category, place and scope
    form.save_button.click()
    saved = form.message.value
    assert "已登记诉求" in saved and "表单已全部清空" in saved
    assert (form.place.value, form.scope.value, form.category.value, form.text.value) == (None, None, "sanitation", "")
    assert form.reported_on.value == date.today() and form.triage_class.value != "private"
    count = form.ws.count("demands")
    form.save_button.click()  # the second tap of a double tap: the same confirmation, no "必须填写"
    assert form.message.value == saved and form.ws.count("demands") == count
