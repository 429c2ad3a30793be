"""The adoption form, driven from code: register an adoption and log a care check."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from cogov_toolkit.demo.sample import build_sample_workspace
from cogov_toolkit.storage import open_workspace
from cogov_toolkit.widgets.adoption_form import AdoptionForm


@pytest.fixture(name="form")
def fixture_form(tmp_path: Path) -> Iterator[AdoptionForm]:
    ws = open_workspace(build_sample_workspace(tmp_path / "幸福社区.gpkg"), backups=0)
    yield AdoptionForm(ws)
    ws.close()


def test_register_then_log_care(form: AdoptionForm) -> None:
    form.zone.value = "A07"
    form.adopter_type.value = "party_member"
    form.public_name.value = "刘大哥"
    form.consent.value = True
    form.contact_name.value = "刘样"
    form.contact_phone.value = "100-0000-2222"
    form.start_on.value = date(2026, 3, 1)
    form.duties.value = "每周清扫楼道"
    form.register_button.click()
    assert form.registered == ["AD001"] and "已登记认养" in form.message.value
    assert "100-0000-2222" not in form.ws.records("adoptions").to_csv()
    assert form.public_name.value == "" and form.consent.value is False
    form.care_zone.value = "A07"
    form.checked_on.value = date(2026, 3, 8)
    form.result.value = "needs_attention"
    form.note.value = "楼道堆放杂物"
    form.log_button.click()
    assert "已记录" in form.message.value
    log = form.ws.records("adoption_care_log")
    assert list(log["adoption_id"]) == ["AD001"] and list(log["result"]) == ["needs_attention"]


def test_a_phone_as_public_name_is_refused_in_chinese(form: AdoptionForm) -> None:
    form.zone.value = "A08"
    form.public_name.value = "<i>13900001234</i>"
    form.start_on.value = date(2026, 3, 1)
    form.register_button.click()
    assert form.registered == []
    assert "公开称呼里不能有电话" in form.message.value and "<i>" not in form.message.value


def test_the_message_escapes_the_name_typed(form: AdoptionForm) -> None:
    form.zone.value = "A08"
    form.adopter_type.value = "volunteer_team"
    form.public_name.value = "<i>红马甲</i>志愿队"
    form.start_on.value = date(2026, 3, 1)
    form.register_button.click()
    assert form.registered and "&lt;i&gt;红马甲" in form.message.value and "<i>" not in form.message.value


def test_a_double_tap_registers_once(form: AdoptionForm) -> None:
    from cogov_toolkit.workflows.adoptions import register_adoption

    values = {"zone_id": "A09", "adopter_type": "enterprise", "start_on": date(2026, 3, 1), "idempotency_key": "k1"}
    assert register_adoption(form.ws, **values) == register_adoption(form.ws, **values)
    assert form.ws.count("adoptions") == 1
