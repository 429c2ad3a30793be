"""The adoption register on the sample community: register, renew, end, care, alerts, roster."""

from __future__ import annotations

from datetime import date

import pytest

from cogov_toolkit.errors import AdoptionError
from cogov_toolkit.storage import Workspace
from cogov_toolkit.workflows import adoptions as register
from tests.canaries import CANARY_NAME, CANARY_PHONE

TODAY = date(2026, 3, 20)


@pytest.fixture(name="ws")
def fixture_ws(sample: Workspace) -> Workspace:
    return sample


def _household(ws: Workspace, **overrides: object) -> str:
    values = {
        "zone_id": "A01",
        "adopter_type": "household",
        "start_on": date(2026, 3, 1),
        "public_name": "王阿姨",
        "duties": "每周浇水一次",
        "contact": register.AdopterContact("H0100", CANARY_NAME, CANARY_PHONE),
    }
    return register.register_adoption(ws, **{**values, **overrides})


def test_register_marks_the_zone_and_keeps_the_contact_private(ws: Workspace) -> None:
    adoption_id = _household(ws)
    record = ws.records("adoptions").set_index("adoption_id").loc[adoption_id]
    assert (record["start_on"], record["end_on"]) == ("2026-03-01", "2027-02-28")
    zones = ws.read_layer("adoption_zones").set_index("zone_id")
    assert zones.loc["A01", "status"] == "adopted"
    assert CANARY_PHONE not in ws.records("adoptions").to_csv()
    assert CANARY_PHONE in set(ws.private_records("adopter_contacts")["phone"])


def test_register_refuses_overlap_unknown_zone_and_a_number_as_name(ws: Workspace) -> None:
    _household(ws)
    with pytest.raises(register.AdoptionRegisterError) as overlap:
        _household(ws, start_on=date(2026, 6, 1))
    assert [p.reason for p in overlap.value.problems] == ["adoption_flow.overlap"]
    with pytest.raises(register.AdoptionRegisterError) as bad:
        _household(ws, zone_id="A99", public_name="电话13900001234", adopter_type="neighbour")
    assert {p.reason for p in bad.value.problems} == {
        "adoption_flow.unknown_zone",
        "adoption_flow.number_in_name",
        "adoption_flow.bad_code",
    }


def test_renew_follows_on_and_end_needs_notice(ws: Workspace) -> None:
    first = _household(ws, start_on=date(2025, 4, 1))
    assert first in register.ending_within(ws, TODAY)
    renewed = register.renew_adoption(ws, first, TODAY)
    record = ws.records("adoptions").set_index("adoption_id").loc[renewed]
    assert (record["start_on"], record["end_on"], record["renewed_from"]) == ("2026-04-01", "2027-03-31", first)
    assert len(ws.private_records("adopter_contacts")) == 2  # the contact carries over, privately
    with pytest.raises(AdoptionError) as short:
        register.end_adoption(ws, renewed, date(2026, 5, 1), end_on=date(2026, 5, 10))
    assert short.value.reason == "adoption.notice_too_short"
    term = register.end_adoption(ws, renewed, date(2026, 5, 1))
    assert term.end_on == date(2026, 5, 31)
    with pytest.raises(register.AdoptionRegisterError):
        register.renew_adoption(ws, renewed, date(2026, 5, 2))


def test_alerts_for_terms_ending_and_care_overdue(ws: Workspace) -> None:
    ending = _household(ws, start_on=date(2025, 4, 10))
    _household(ws, zone_id="A07", start_on=date(2026, 3, 1), adopter_type="volunteer_team", public_name="绿叶志愿队")
    register.log_care(ws, "A07", date(2026, 3, 5))
    register.log_care(ws, "A01", date(2026, 3, 18), "needs_attention", note="树枝折断", photo_path="照片/A01.jpg")
    found = {(a.kind, a.zone_id) for a in register.adoption_alerts(ws, TODAY)}
    assert ("term_ending", "A01") in found
    assert ("care_issue", "A01") in found
    assert ("care_overdue", "A07") in found  # a stairwell: checked weekly
    assert ending == ws.records("adoption_care_log")["adoption_id"].iloc[-1]
    table = register.alert_table(register.adoption_alerts(ws, TODAY))
    assert len(table) == len(found) and "即将到期" in set(table.iloc[:, 0])


def test_roster_shows_consented_names_only_and_no_phone(ws: Workspace) -> None:
    _household(ws, public_name="王阿姨")  # no consent: building and masked surname
    _household(ws, zone_id="A02", public_name="李大姐", publish_name_consent=True)
    _household(ws, zone_id="A06", adopter_type="enterprise", public_name="幸福物业公司", contact=None)
    shown = register.roster(ws, TODAY)
    text = shown.to_csv()
    assert set(shown["adopter"]) == {"李大姐", "幸福物业公司", shown["adopter"].iloc[0]}
    assert shown["adopter"].iloc[0].endswith("金**") and "王阿姨" not in text
    assert CANARY_NAME not in text and CANARY_PHONE not in text and "H0100" not in text
    # the control: the same search finds the canary in a table that has it
    assert CANARY_PHONE in ws.private_records("adopter_contacts").to_csv()


def test_expired_zones_alert_then_are_released(ws: Workspace) -> None:
    _household(ws, start_on=date(2025, 1, 1))  # ended 2025-12-31, not renewed
    assert ("term_expired", "A01") in {(a.kind, a.zone_id) for a in register.adoption_alerts(ws, TODAY)}
    assert register.release_expired(ws, TODAY) == ["A01"]
    zones = ws.read_layer("adoption_zones").set_index("zone_id")
    assert zones.loc["A01", "status"] == "available" and zones.loc["A03", "status"] == "adopted"
    assert "A01" in register.available_zones(ws, TODAY)
    assert register.adoption_alerts(ws, TODAY) == []
