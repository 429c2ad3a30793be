"""The publication gate: one pattern set, one masker, consents, and small-group suppression (complementary too)."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from cogov_toolkit.core.privacy import (
    Consent,
    PublicationGate,
    Purpose,
    consents_from,
    find_numbers,
    household_totals,
    mask_numbers,
    mask_rooms,
    random_reference,
    response_summaries,
    suppress_small_groups,
)

DAY = dt.date(2026, 5, 1)


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("电话138 1234 5678", ["13812345678"]),
        ("手机 139-0000-4242", ["13900004242"]),
        ("全角１３９００００４２４２", ["13900004242"]),
        ("全角加分隔 １３９－００００－４２４２", ["13900004242"]),
        ("+86 139 0000 4242", ["8613900004242"]),
        ("座机(0592)5550000", ["05925550000"]),
        ("身份证 11010519491231002X", ["11010519491231002"]),
        ("用点分隔 139.0000.4242", ["13900004242"]),
        ("表意空格 139\u30000000\u30004242", ["13900004242"]),
    ],
)
def test_one_pattern_finds_phones_and_id_numbers_however_typed(text: str, digits: list[str]) -> None:
    assert find_numbers(text) == digits
    assert "***" in mask_numbers(text)


@pytest.mark.parametrize(
    "text", ["2026-05-25", "2026年共120户", "2026-05-25 09 30 开会", "第 123456 号文件", "BR-KQMXTAPDHW"]
)
def test_dates_counts_and_references_are_not_numbers(text: str) -> None:
    assert find_numbers(text) == []
    assert mask_numbers(text) == text


def test_the_allowed_office_phone_is_kept_in_any_spelling() -> None:
    assert mask_numbers("请打 ０５９２－５５５００００ 或 13900004242", allowed=["0592-5550000"]) == (
        "请打 ０５９２－５５５００００ 或 ***"
    )


def test_room_addresses_are_masked_and_buildings_kept() -> None:
    text = "5栋2单元301漏水到５栋２单元２０１，还有12号楼1201室和5-2-301；5栋2单元门口、19栋1单元门禁不算"
    assert mask_rooms(text) == "5栋***漏水到５栋***，还有12号楼***和***；5栋2单元门口、19栋1单元门禁不算"


def test_the_gate_masks_names_households_rooms_and_numbers_and_reports_each_leak() -> None:
    gate = PublicationGate(private_strings=["王样一", "13900004242", "a", "5栋吴**"], household_ids=["H0118"])
    text = "王样一（H0118，5栋2单元301）说打13900004242；H01180 号文件"
    assert gate.mask(text) == "王**（***，5栋***）说打***；H01180 号文件"
    assert sorted(leak.kind for leak in gate.leaks(text)) == ["household", "number", "private", "room"]
    assert gate.leaks("H01180 号文件，幸福花园") == []  # a longer id, and ordinary words, are not leaks
    assert "5栋吴**" not in gate.private_strings and "a" not in gate.private_strings  # masked forms, single letters
    assert all("王样一" not in leak.excerpt for leak in gate.leaks(text))  # an error message never echoes it


def test_many_names_are_found_quickly_and_the_longest_wins() -> None:
    names = [f"居民{i:04d}" for i in range(5000)] + ["欧阳", "欧阳春花"]
    gate = PublicationGate(private_strings=names)
    assert gate.mask("欧阳春花和居民4999、居民0001来了") == "欧**和居**、居**来了"


def test_a_consent_lets_a_name_through_its_purpose_only_and_only_while_active() -> None:
    consent = Consent(
        Purpose.ADOPTER_ROSTER,
        dt.date(2026, 3, 1),
        household_id="H0002",
        public_name="志愿者小杨",
        withdrawn_on=dt.date(2026, 6, 1),
        subject_id="AD002",
    )
    gate = PublicationGate(private_strings=["志愿者小杨", "杨样样"], consents=[consent])
    assert not gate.is_public("志愿者小杨")  # no purpose: no private name at all
    roster = gate.for_purpose(Purpose.ADOPTER_ROSTER, DAY)
    assert roster.is_public("志愿者小杨") and not roster.is_public("杨样样")
    assert roster.consented("志愿者小杨", subject_id="AD002") and not roster.consented("志愿者小杨", subject_id="AD009")
    assert not gate.for_purpose(Purpose.HONOUR_ROLL, DAY).is_public("志愿者小杨")  # another purpose
    assert not gate.for_purpose(Purpose.ADOPTER_ROSTER, dt.date(2026, 6, 1)).is_public("志愿者小杨")  # withdrawn
    assert not gate.for_purpose(Purpose.ADOPTER_ROSTER, dt.date(2026, 2, 28)).is_public("志愿者小杨")  # not yet
    assert "志愿者小杨" not in repr(consent)


def test_consents_are_read_from_their_table_and_the_gate_from_every_private_table() -> None:
    private = {
        "people": pd.DataFrame({"household_id": ["H1"], "name": ["张样"], "phone": ["100-1"], "public_name": [None]}),
        "demand_contacts": pd.DataFrame({"household_id": ["H2"], "name": ["李样"], "phone": [None]}),
        "objection_contacts": pd.DataFrame({"household_id": [None], "name": [None], "phone": ["13700007777"]}),
        "ballot_links": pd.DataFrame({"household_id": ["H3"], "vote_id": ["V1"]}),
        "consents": pd.DataFrame(
            {
                "purpose": ["honour_roll", "no_such_purpose"],
                "given_on": ["2026-01-01", "2026-01-01"],
                "withdrawn_on": [None, None],
                "household_id": ["H1", "H1"],
                "name": ["张样", None],
                "public_name": ["1栋张**", "x"],
                "subject_id": [None, None],
            }
        ),
    }
    gate = PublicationGate.from_tables(private, household_ids=["H4"])
    assert {"张样", "李样", "13700007777", "100-1"} <= gate.private_strings
    assert gate.leaks("H3 和 H4") and gate.mask("H1、H2、H3、H4") == "***、***、***、***"
    assert [c.purpose for c in consents_from(private["consents"])] == [Purpose.HONOUR_ROLL]
    assert gate.for_purpose("honour_roll", DAY).is_public("张样")


def test_primary_and_complementary_suppression() -> None:
    frame = pd.DataFrame(
        {
            "building": ["B1", "B2", "B3", "B4", "B5", "B6"],
            "neighbourhood": ["N1", "N1", "N1", "N2", "N2", "N3"],
            "n": [3, 12, 8, 20, 30, 2],
        }
    )
    assert suppress_small_groups(frame, "n").tolist() == [True, False, False, False, False, True]
    hidden = suppress_small_groups(frame, "n", ["neighbourhood"])
    # N1: B1 is small; B3 (the smallest shown) goes too, so N1's total minus B2 gives only B1+B3
    assert hidden.tolist() == [True, False, True, False, False, True]
    for _, group in frame.assign(hidden=hidden).groupby("neighbourhood"):
        assert group["hidden"].sum() != 1 or len(group) == 1


def test_response_summaries_share_no_response_and_hide_small_groups() -> None:
    rows = [("PJ01", "post", "resident", {"q1": 4, "q2": 5, "comment": "王样一说很好"})] * 12
    rows += [("PJ01", "post", "volunteer", {"q1": 2})] * 2
    rows += [("PJ01", "post", "property_manager", {"q1": 3})] * 6
    frame = pd.DataFrame(rows, columns=["project_id", "phase", "evaluator_role", "answers"])
    frame["answers"] = frame["answers"].map(json.dumps)
    summary = response_summaries(frame)
    q1 = summary[summary["item"] == "q1"].set_index("evaluator_role")
    assert q1.loc["volunteer", "suppressed"] and pd.isna(q1.loc["volunteer", "mean"])
    assert q1.loc["property_manager", "suppressed"]  # complementary: the all-roles total would give volunteers away
    assert not q1.loc["resident", "suppressed"] and q1.loc["resident", "mean"] == 4
    assert q1.loc["all", "respondents"] == 20 and not q1.loc["all", "suppressed"]
    assert "comment" not in set(summary["item"])  # free text is no aggregate
    assert not any("王样一" in str(v) for v in summary.to_numpy().ravel())


def test_household_totals_count_per_building_and_unit() -> None:
    households = pd.DataFrame(
        {
            "household_id": ["H1", "H2", "H3"],
            "building_id": ["B1", "B1", "B2"],
            "unit": [1, 1, 2],
            "room": ["101", "102", "201"],
            "is_owner": [1, 0, 1],
            "registered_area_m2": [80.0, 90.0, None],
        }
    )
    totals = household_totals(households)
    assert totals.to_dict("records") == [
        {"building_id": "B1", "unit": 1, "households": 2, "owners": 1, "registered_area_m2": 170.0},
        {"building_id": "B2", "unit": 2, "households": 1, "owners": 1, "registered_area_m2": 0.0},
    ]


def test_random_references_name_nothing_and_differ() -> None:
    refs = {random_reference() for _ in range(200)}
    assert len(refs) == 200
    assert all(r.startswith("BR-") and r[3:].isalpha() and not find_numbers(r) for r in refs)


def test_a_total_whose_only_group_is_hidden_is_hidden_too() -> None:
    import pandas as pd

    from cogov_toolkit.core.privacy import response_summaries

    frame = pd.DataFrame(
        {
            "project_id": ["PJ01"] * 3 + ["PJ02"] * 6,
            "phase": ["post"] * 9,
            "evaluator_role": ["resident"] * 9,
            "answers": ['{"q_overall": 4}'] * 9,
        }
    )
    out = response_summaries(frame).set_index(["project_id", "evaluator_role"])
    assert bool(out.loc[("PJ01", "resident"), "suppressed"]) and bool(out.loc[("PJ01", "all"), "suppressed"])
    assert not bool(out.loc[("PJ02", "all"), "suppressed"]) and out.loc[("PJ02", "all"), "mean"] == 4
