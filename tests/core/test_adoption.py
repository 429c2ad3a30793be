"""The adoption register: terms, renewals and notice, alerts, and the roster that is published."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from cogov_toolkit import i18n
from cogov_toolkit.core.adoption import (
    DEFAULT_ADOPTION_POLICY,
    MASK,
    ROSTER_COLUMNS,
    AdopterIdentity,
    AdopterType,
    AdoptionPolicy,
    AdoptionTerm,
    Alert,
    AlertKind,
    CareResult,
    TermState,
    ZoneType,
    alerts,
    end_with_notice,
    looks_personal,
    mask_name,
    public_roster,
    renew,
    roster_headers,
    term_for,
)
from cogov_toolkit.core.schema import ENUMS, PERSONAL_COLUMNS
from cogov_toolkit.errors import AdoptionError


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- terms -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        ("2025-03-01", 12, "2026-02-28"),
        ("2023-03-01", 12, "2024-02-29"),  # into a leap year
        ("2024-02-29", 12, "2025-02-28"),  # from a leap day: never a day short
        ("2025-06-15", 12, "2026-06-14"),
        ("2025-01-31", 1, "2025-02-28"),
        ("2025-12-01", 6, "2026-05-31"),
    ],
)
def test_term_for(start: str, months: int, end: str) -> None:
    term = term_for(d(start), AdoptionPolicy(term_months=months))
    assert term == AdoptionTerm(d(start), d(end))


def test_the_default_term_is_one_year() -> None:
    assert DEFAULT_ADOPTION_POLICY.term_months == 12
    assert term_for(d("2025-03-01")).end_on == d("2026-02-28")


def test_renewing_before_the_end_follows_on_without_a_gap() -> None:
    term = term_for(d("2025-03-01"))
    assert renew(term, d("2026-02-10")) == AdoptionTerm(d("2026-03-01"), d("2027-02-28"))
    assert renew(term, d("2026-02-28")) == AdoptionTerm(d("2026-03-01"), d("2027-02-28"))


def test_renewing_after_the_end_starts_on_the_day_of_renewal() -> None:
    assert renew(term_for(d("2025-03-01")), d("2026-04-15")) == AdoptionTerm(d("2026-04-15"), d("2027-04-14"))


def test_ending_early_takes_30_days_notice() -> None:
    term = term_for(d("2025-03-01"))
    assert end_with_notice(term, d("2025-06-01")).end_on == d("2025-07-01")
    assert end_with_notice(term, d("2025-06-01"), end_on=d("2025-08-01")).end_on == d("2025-08-01")
    with pytest.raises(AdoptionError, match="2025-07-01") as info:
        end_with_notice(term, d("2025-06-01"), end_on=d("2025-06-20"))
    assert info.value.reason == "adoption.notice_too_short"
    # notice given less than 30 days before the end: the term just runs out
    assert end_with_notice(term, d("2026-02-10")).end_on == d("2026-02-28")
    with pytest.raises(AdoptionError) as late:
        end_with_notice(term, d("2026-03-05"))
    assert late.value.reason == "adoption.notice_after_end"


def test_notice_period_is_configurable() -> None:
    term = term_for(d("2025-03-01"))
    assert end_with_notice(term, d("2025-06-01"), AdoptionPolicy(notice_days=7)).end_on == d("2025-06-08")


@pytest.mark.parametrize(
    ("today", "state"),
    [
        ("2025-02-28", TermState.NOT_STARTED),
        ("2025-03-01", TermState.ACTIVE),
        ("2026-01-28", TermState.ACTIVE),  # 31 days left
        ("2026-01-29", TermState.ENDING_SOON),  # 30 days left
        ("2026-02-28", TermState.ENDING_SOON),  # the last day
        ("2026-03-01", TermState.ENDED),
    ],
)
def test_term_state(today: str, state: TermState) -> None:
    assert term_for(d("2025-03-01")).state(d(today)) is state


def test_a_term_cannot_end_before_it_starts() -> None:
    with pytest.raises(AdoptionError) as info:
        AdoptionTerm(d("2025-03-01"), d("2025-02-01"))
    assert info.value.reason == "adoption.end_before_start"


def test_policy_defaults_and_partial_care_intervals() -> None:
    intervals = DEFAULT_ADOPTION_POLICY.care_interval_days
    assert (intervals["tree"], intervals["stairwell"]) == (30, 7)
    assert set(intervals) == set(ZoneType)
    policy = AdoptionPolicy(care_interval_days={"tree": 10})
    assert (policy.care_interval_days["tree"], policy.care_interval_days["stairwell"]) == (10, 7)


def test_a_bad_policy_lists_every_problem() -> None:
    with pytest.raises(AdoptionError) as info:
        AdoptionPolicy(term_months=0, notice_days=-1, care_interval_days={"tree": 0, "rooftop": 7})
    assert info.value.reason == "adoption.bad_policy"
    assert {p.column for p in info.value.problems} == {
        "term_months",
        "notice_days",
        "care_interval_days.tree",
        "care_interval_days",
    }


# --- alerts ------------------------------------------------------------------------------------------
@pytest.fixture(name="zones")
def fixture_zones() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "zone_id": ["A01", "A02", "A03", "A04", "A05"],
            "number": [1, 2, 3, 4, 5],
            "zone_type": ["tree", "stairwell", "lawn", "public_area", "tree"],
            "status": ["adopted", "adopted", "adopted", "adopted", "available"],
        }
    )


def adoptions_frame(*rows: tuple) -> pd.DataFrame:
    """Adoptions from (adoption_id, zone_id, start_on, end_on) rows."""
    frame = pd.DataFrame(rows, columns=["adoption_id", "zone_id", "start_on", "end_on"])
    return frame.assign(adopter_type="household")


def care(*rows: tuple) -> pd.DataFrame:
    """A care log from (zone_id, checked_on[, result]) rows."""
    full = [(*row, *([None] * (3 - len(row)))) for row in rows]
    return pd.DataFrame(full, columns=["zone_id", "checked_on", "result"]).assign(photo_path="photos/x.jpg")


def kinds(found: list[Alert]) -> list[tuple[AlertKind, str, int]]:
    return [(a.kind, a.zone_id, a.days) for a in found]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2026-01-28", []),  # 31 days left: no alert
        ("2026-01-29", [(AlertKind.TERM_ENDING, "A01", 30)]),  # exactly 30
        ("2026-02-27", [(AlertKind.TERM_ENDING, "A01", 1)]),
        ("2026-02-28", [(AlertKind.TERM_ENDING, "A01", 0)]),  # the last day
    ],
)
def test_term_ending_within_30_days(zones: pd.DataFrame, today: str, expected: list) -> None:
    adoptions = adoptions_frame(("R1", "A01", "2025-03-01", None))  # blank end: the default year
    log = care(("A01", today))  # cared for today: only the term matters here
    assert kinds(alerts(adoptions, log, d(today), zones=zones)) == expected


def test_the_ending_alert_window_is_configurable(zones: pd.DataFrame) -> None:
    adoptions = adoptions_frame(("R1", "A01", "2025-03-01", "2026-02-28"))
    log = care(("A01", "2026-01-10"))
    policy = AdoptionPolicy(ending_alert_days=60)
    assert kinds(alerts(adoptions, log, d("2026-01-10"), zones=zones, policy=policy)) == [
        (AlertKind.TERM_ENDING, "A01", 49)
    ]


def test_a_renewed_term_raises_no_ending_alert(zones: pd.DataFrame) -> None:
    adoptions = adoptions_frame(("R1", "A01", "2025-03-01", "2026-02-28"), ("R2", "A01", "2026-03-01", None))
    assert alerts(adoptions, care(("A01", "2026-02-10")), d("2026-02-10"), zones=zones) == []


def test_an_ended_term_on_a_zone_still_marked_adopted(zones: pd.DataFrame) -> None:
    adoptions = adoptions_frame(("R4", "A04", "2025-01-01", "2025-12-31"), ("R5", "A05", "2025-01-01", "2025-12-31"))
    found = alerts(adoptions, None, d("2026-01-10"), zones=zones)
    # A05 is marked available: released properly, so nothing to say
    assert kinds(found) == [(AlertKind.TERM_EXPIRED, "A04", 10)]
    assert found[0].adoption_id == "R4" and found[0].on == d("2025-12-31")


@pytest.mark.parametrize(
    ("zone", "last_check", "today", "expected"),
    [
        ("A02", "2025-05-01", "2025-05-08", []),  # stairwell, exactly 7 days: due, not overdue
        ("A02", "2025-05-01", "2025-05-09", [(AlertKind.CARE_OVERDUE, "A02", 1)]),
        ("A01", "2025-05-01", "2025-05-31", []),  # tree, exactly 30 days
        ("A01", "2025-05-01", "2025-06-01", [(AlertKind.CARE_OVERDUE, "A01", 1)]),
        ("A03", "2025-05-01", "2025-05-25", [(AlertKind.CARE_OVERDUE, "A03", 10)]),  # lawn, 14 days
    ],
)
def test_care_overdue_by_zone_type(zones: pd.DataFrame, zone: str, last_check: str, today: str, expected: list) -> None:
    adoptions = adoptions_frame(("R", zone, "2025-03-01", None))
    log = care((zone, "2025-04-01"), (zone, last_check))
    assert kinds(alerts(adoptions, log, d(today), zones=zones)) == expected


def test_care_is_due_from_the_start_when_never_checked(zones: pd.DataFrame) -> None:
    adoptions = adoptions_frame(("R2", "A02", "2025-05-01", None))
    assert alerts(adoptions, None, d("2025-05-08"), zones=zones) == []
    found = alerts(adoptions, None, d("2025-05-09"), zones=zones)
    assert kinds(found) == [(AlertKind.CARE_OVERDUE, "A02", 1)] and found[0].on == d("2025-05-08")


def test_care_clock_never_starts_before_the_term(zones: pd.DataFrame) -> None:
    # the previous adopter's last check was long ago; the new adopter has 7 days from the start
    adoptions = adoptions_frame(("R2", "A02", "2025-05-01", None))
    assert alerts(adoptions, care(("A02", "2025-01-01")), d("2025-05-08"), zones=zones) == []


def test_care_under_the_previous_term_still_counts_after_renewal(zones: pd.DataFrame) -> None:
    adoptions = adoptions_frame(("R1", "A02", "2024-05-01", "2025-04-30"), ("R2", "A02", "2025-05-01", None))
    assert alerts(adoptions, care(("A02", "2025-04-30")), d("2025-05-07"), zones=zones) == []


def test_a_check_dated_in_the_future_is_not_care_given(zones: pd.DataFrame) -> None:
    adoptions = adoptions_frame(("R2", "A02", "2025-05-01", None))
    found = alerts(adoptions, care(("A02", "2025-12-01")), d("2025-05-20"), zones=zones)
    assert kinds(found) == [(AlertKind.CARE_OVERDUE, "A02", 12)]


def test_care_intervals_are_configurable(zones: pd.DataFrame) -> None:
    adoptions = adoptions_frame(("R1", "A01", "2025-03-01", None))
    policy = AdoptionPolicy(care_interval_days={"tree": 10})
    found = alerts(adoptions, care(("A01", "2025-05-01")), d("2025-05-12"), zones=zones, policy=policy)
    assert kinds(found) == [(AlertKind.CARE_OVERDUE, "A01", 1)]


def test_a_check_that_found_a_problem(zones: pd.DataFrame) -> None:
    adoptions = adoptions_frame(("R1", "A01", "2025-03-01", None))
    log = care(("A01", "2025-05-01", "good"), ("A01", "2025-05-10", CareResult.NEEDS_ATTENTION))
    found = alerts(adoptions, log, d("2025-05-12"), zones=zones)
    assert kinds(found) == [(AlertKind.CARE_ISSUE, "A01", 2)] and found[0].on == d("2025-05-10")
    fixed = pd.concat([log, care(("A01", "2025-05-11", "good"))], ignore_index=True)
    assert alerts(adoptions, fixed, d("2025-05-12"), zones=zones) == []


def test_alerts_come_most_pressing_first(zones: pd.DataFrame) -> None:
    adoptions = adoptions_frame(
        ("R1", "A01", "2025-02-15", None),  # ends 2026-02-14: ending
        ("R2", "A02", "2025-03-01", None),  # stairwell, overdue
        ("R3", "A03", "2025-03-01", None),  # lawn, a problem found
        ("R4", "A04", "2024-01-01", "2025-12-31"),  # expired
    )
    log = care(("A01", "2026-01-20"), ("A02", "2026-01-10"), ("A03", "2026-01-19", "needs_attention"))
    found = alerts(adoptions, log, datetime(2026, 1, 20, 9, 0), zones=zones)
    assert [a.kind for a in found] == [
        AlertKind.TERM_EXPIRED,
        AlertKind.CARE_ISSUE,
        AlertKind.CARE_OVERDUE,
        AlertKind.TERM_ENDING,
    ]


def test_today_as_a_datetime_is_the_beijing_day(zones: pd.DataFrame) -> None:
    adoptions = adoptions_frame(("R1", "A01", "2025-03-01", None))
    # 16:00 UTC on 28 January is 29 January in Beijing: 30 days left
    found = alerts(adoptions, care(("A01", "2026-01-28")), datetime(2026, 1, 28, 16, tzinfo=UTC), zones=zones)
    assert kinds(found) == [(AlertKind.TERM_ENDING, "A01", 30)]


def test_zone_type_may_come_with_the_adoptions() -> None:
    adoptions = adoptions_frame(("R2", "A02", "2025-05-01", None)).assign(zone_type="stairwell")
    assert kinds(alerts(adoptions, None, d("2025-05-09"))) == [(AlertKind.CARE_OVERDUE, "A02", 1)]


def test_alert_messages(zones: pd.DataFrame) -> None:
    adoptions = adoptions_frame(("R1", "A01", "2025-03-01", None))
    (alert,) = alerts(adoptions, care(("A01", "2026-01-29")), d("2026-01-29"), zones=zones)
    assert alert.message() == "A01 的认养期将于 2026-02-28 到期（还有 30 天），请联系认养人确认是否续养。"
    assert (
        alert.message("en") == "The adoption of A01 ends on 2026-02-28 (30 days left): ask the adopter about renewing."
    )


def test_a_bad_register_lists_every_problem() -> None:
    adoptions = pd.DataFrame(
        {
            "adoption_id": ["R1", "R2", None, "R4"],
            "zone_id": ["A01", "A02", "A03", "A99"],
            "adopter_type": ["household", "alien", "household", "household"],
            "start_on": ["2025-03-01", "someday", "2025-03-01", None],
            "end_on": ["2025-01-01", None, None, None],
        }
    )
    zones = pd.DataFrame({"zone_id": ["A01", "A02", "A03"], "zone_type": ["tree", "stairwell", "moon"]})
    log = pd.DataFrame(
        {"zone_id": ["A01", "A01"], "checked_on": ["2025-05-01", "yesterday"], "result": ["fine", "good"]}
    )
    with pytest.raises(AdoptionError) as info:
        alerts(adoptions, log, d("2025-05-10"), zones=zones)
    assert info.value.reason == "adoption.bad_register"
    found = {(p.reason, p.row, p.column) for p in info.value.problems}
    assert found == {
        ("adoption.end_before_start", 2, "end_on"),
        ("adoption.bad_code", 3, "adopter_type"),
        ("adoption.bad_date", 3, "start_on"),
        ("adoption.blank_value", 4, "adoption_id"),
        ("adoption.bad_code", 4, "zone_type"),
        ("adoption.unknown_zone_type", 4, "zone_id"),
        ("adoption.unknown_zone_type", 5, "zone_id"),
        ("adoption.blank_value", 5, "start_on"),
        ("adoption.bad_code", 2, "result"),
        ("adoption.bad_date", 3, "checked_on"),
    }
    assert "第 3 行" in str(info.value)


def test_missing_columns_are_named() -> None:
    with pytest.raises(AdoptionError, match="start_on") as info:
        alerts(pd.DataFrame({"adoption_id": ["R1"], "zone_id": ["A01"]}), None, d("2025-05-10"))
    assert info.value.reason == "adoption.missing_columns"
    with pytest.raises(AdoptionError, match="checked_on"):
        alerts(adoptions_frame(("R1", "A01", "2025-03-01", None)), pd.DataFrame({"zone_id": []}), d("2025-05-10"))


# --- masking names -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "building", "masked"),
    [
        ("王建国", "5栋", "5栋王**"),
        ("王小", "5栋", "5栋王**"),  # two stars whatever the length
        ("欧阳娜娜", "12栋", "12栋欧阳**"),  # compound surname
        ("司马光", None, "司马**"),
        ("阿依古丽·买买提", "3栋", "3栋阿**"),
        ("John Smith", "3栋", "3栋J**"),
        ("  李四 ", "", "李**"),
        ("王建国", "５栋", "5栋王**"),  # full-width digits typed on a phone
    ],
)
def test_mask_name(name: str, building: str | None, masked: str) -> None:
    assert mask_name(name, building) == masked
    assert masked.endswith(MASK)


@pytest.mark.parametrize("name", ["", "   ", None])
def test_mask_name_needs_a_name(name: str | None) -> None:
    with pytest.raises(AdoptionError) as info:
        mask_name(name, "5栋")  # type: ignore[arg-type]
    assert info.value.reason == "adoption.blank_name"


@pytest.mark.parametrize(
    ("text", "personal"),
    [
        ("13912345678", True),
        ("139 1234 5678", True),
        ("139-1234-5678", True),
        ("１３９１２３４５６７８", True),  # full-width
        ("张三 13800138000", True),
        ("11010519491231002X", True),  # an ID number
        ("0712-1234567", True),  # a landline
        ("5栋2单元", False),
        ("绿色家园志愿服务队", False),
        ("3号楼502", False),
    ],
)
def test_looks_personal(text: str, personal: bool) -> None:
    assert looks_personal(text) is personal


def test_an_identity_never_shows_the_name_in_its_repr() -> None:
    assert "王建国" not in repr(AdopterIdentity("王建国", "5栋"))


# --- the published roster ----------------------------------------------------------------------------
PHONES = ("13912345678", "13800138000", "13700001111", "18612345678", "0712-7654321")
HIDDEN_NAMES = ("李秀英", "欧阳娜娜", "赵铁柱", "钱多多", "孙悟净")
CANARIES = PHONES + HIDDEN_NAMES


def find_canaries(frame: pd.DataFrame, canaries: tuple[str, ...] = CANARIES) -> set[str]:
    """Return every canary found anywhere in a frame: headers, cells, whatever their type."""
    text = "\n".join([*map(str, frame.columns), *(str(v) for v in frame.to_numpy().ravel())])
    digits_only = text.replace("-", "").replace(" ", "")
    return {c for c in canaries if c in text or c.replace("-", "") in digits_only}


@pytest.fixture(name="register")
def fixture_register() -> pd.DataFrame:
    rows = [
        # id, zone, adopter type, public name, consent, phone (a column that must never travel)
        ("R1", "A01", "household", "王建国", True, "13912345678"),  # consented: shown
        ("R2", "A02", "household", "李秀英", False, "13800138000"),  # typed the real name, no consent
        ("R3", "A03", "party_member", None, None, "13700001111"),  # nothing given
        ("R4", "A04", "volunteer_team", "绿色家园志愿服务队", None, None),
        ("R5", "A05", "enterprise", "13912345678", None, None),  # a phone typed as the name
        ("R6", "A06", "household", "张大爷 18612345678", "是", None),  # consented, but a phone in it
        ("R7", "A07", "household", None, "否", "0712-7654321"),  # no identity known
    ]
    frame = pd.DataFrame(
        rows, columns=["adoption_id", "zone_id", "adopter_type", "public_name", "publish_name_consent", "phone"]
    )
    return frame.assign(
        start_on="2025-03-01",
        end_on=None,
        duties="每周打扫一次，联系 18612345678",
        contact_name=["王建国", "李秀英", "欧阳娜娜", "赵铁柱", "钱多多", "孙悟净", "李秀英"],
        # every personal header the importers know, in case one slips into the public table
        **{header: "13800138000" for header in PERSONAL_COLUMNS["phone"] if header != "phone"},
    )


@pytest.fixture(name="roster_zones")
def fixture_roster_zones() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "zone_id": [f"A0{n}" for n in range(7, 0, -1)],
            "number": list(range(7, 0, -1)),
            "zone_type": ["public_area", "stairwell", "tree", "tree", "lawn", "stairwell", "tree"],
            "name": ["孙悟净家门口"] * 7,  # zone names are free text: not on the roster
        }
    )


@pytest.fixture(name="identities")
def fixture_identities() -> dict[str, AdopterIdentity]:
    return {
        "R1": AdopterIdentity("王建国", "1栋"),
        "R2": AdopterIdentity("李秀英", "5栋"),
        "R3": AdopterIdentity("欧阳娜娜", "12栋"),
        "R6": AdopterIdentity("张大爷", "8栋"),
    }


def test_the_roster_shows_only_what_was_agreed(
    register: pd.DataFrame, roster_zones: pd.DataFrame, identities: dict[str, AdopterIdentity]
) -> None:
    roster = public_roster(register, roster_zones, identities=identities)
    assert tuple(roster.columns) == ROSTER_COLUMNS
    assert list(roster["zone_number"]) == [1, 2, 3, 4, 5, 6, 7]
    assert list(roster["adopter"]) == [
        "王建国",  # consented
        "5栋李**",  # no consent: building and masked surname
        "12栋欧阳**",
        "绿色家园志愿服务队",  # a team by its own name
        "辖区企业",  # a phone is never a name
        "8栋张**",  # consented, but the name held a phone
        "居民家庭",  # nothing known but the type
    ]
    assert list(roster["zone_type"][:3]) == ["树木认养", "楼道认管", "绿地认养"]
    assert roster.loc[0, "adopter_type"] == "居民家庭"
    assert roster.loc[0, "start_on"] == d("2025-03-01") and roster.loc[0, "end_on"] == d("2026-02-28")


def test_the_roster_carries_no_canary(
    register: pd.DataFrame, roster_zones: pd.DataFrame, identities: dict[str, AdopterIdentity]
) -> None:
    roster = public_roster(register, roster_zones, identities=identities)
    assert find_canaries(roster) == set()
    assert find_canaries(public_roster(register, roster_zones, identities=identities, language="en")) == set()


def test_the_canary_search_finds_one_let_through(
    register: pd.DataFrame, roster_zones: pd.DataFrame, identities: dict[str, AdopterIdentity]
) -> None:
    # R2 says yes after all: her real name is now published, and the search must see it
    consented = register.assign(publish_name_consent=[True, True, None, None, None, "是", "否"])
    assert find_canaries(public_roster(consented, roster_zones, identities=identities)) == {"李秀英"}
    # and a phone column let through by mistake is found, dashes or not
    leaky = public_roster(register, roster_zones, identities=identities).assign(phone=register["phone"])
    assert find_canaries(leaky) == {"13912345678", "13800138000", "13700001111", "0712-7654321"}
    assert find_canaries(pd.DataFrame({"x": ["071276 54321"]})) == {"0712-7654321"}


@pytest.mark.parametrize(
    ("consent", "shown"),
    [
        (True, "李秀英"),
        (1, "李秀英"),
        ("是", "李秀英"),
        ("同意", "李秀英"),
        ("TRUE", "李秀英"),
        (False, "5栋李**"),
        (0, "5栋李**"),
        ("否", "5栋李**"),
        ("maybe", "5栋李**"),
        (None, "5栋李**"),
        (float("nan"), "5栋李**"),
    ],
)
def test_only_a_clear_yes_is_consent(consent: object, shown: str, roster_zones: pd.DataFrame) -> None:
    adoptions = pd.DataFrame(
        {
            "adoption_id": ["R2"],
            "zone_id": ["A02"],
            "adopter_type": ["household"],
            "public_name": ["李秀英"],
            "publish_name_consent": pd.Series([consent], dtype=object),
        }
    )
    roster = public_roster(adoptions, roster_zones, identities={"R2": AdopterIdentity("李秀英", "5栋")})
    assert roster.loc[0, "adopter"] == shown


def test_without_a_consent_column_nobody_consented(roster_zones: pd.DataFrame) -> None:
    adoptions = pd.DataFrame(
        {"adoption_id": ["R1"], "zone_id": ["A01"], "adopter_type": ["party_member"], "public_name": ["王建国"]}
    )
    roster = public_roster(adoptions, roster_zones, identities={"R1": AdopterIdentity("王建国", "1栋")})
    assert roster.loc[0, "adopter"] == "1栋王**"


def test_the_roster_on_a_day_lists_running_adoptions_only(roster_zones: pd.DataFrame) -> None:
    adoptions = pd.DataFrame(
        {
            "adoption_id": ["R1", "R2", "R3"],
            "zone_id": ["A01", "A02", "A03"],
            "adopter_type": ["volunteer_team"] * 3,
            "public_name": ["一队", "二队", "三队"],
            "start_on": ["2024-01-01", "2025-03-01", None],
            "end_on": ["2024-12-31", None, None],
        }
    )
    assert list(public_roster(adoptions, roster_zones, on=d("2025-06-01"))["adopter"]) == ["二队"]
    assert len(public_roster(adoptions, roster_zones)) == 3


def test_the_roster_in_english(register: pd.DataFrame, roster_zones: pd.DataFrame) -> None:
    roster = public_roster(register, roster_zones, language="en")
    assert roster.loc[0, "zone_type"] == "tree" and roster.loc[6, "adopter"] == "household"
    assert roster_headers("en")["adopter"] == "adopter"
    assert roster_headers() == {
        "zone_number": "编号",
        "zone_type": "认养类型",
        "adopter_type": "认养人类型",
        "adopter": "认养人",
        "start_on": "开始日期",
        "end_on": "结束日期",
    }


def test_the_roster_refuses_an_unknown_zone(roster_zones: pd.DataFrame) -> None:
    adoptions = pd.DataFrame({"adoption_id": ["R1"], "zone_id": ["A99"], "adopter_type": ["household"]})
    with pytest.raises(AdoptionError) as info:
        public_roster(adoptions, roster_zones)
    assert [p.reason for p in info.value.problems] == ["adoption.unknown_zone"]


# --- codes and catalog -------------------------------------------------------------------------------
def test_codes_are_the_schemas() -> None:
    assert tuple(ZoneType) == ENUMS["adoption_zone_type"]
    assert tuple(AdopterType) == ENUMS["adopter_type"]


def test_every_code_has_text_in_both_languages() -> None:
    keys = [f"adoption.alert.{k}" for k in AlertKind] + [f"adoption.care_result.{c}" for c in CareResult]
    keys += [f"adoption.term_state.{s}" for s in TermState] + [f"adoption.roster.column.{c}" for c in ROSTER_COLUMNS]
    for key in keys:
        assert set(i18n.catalog()[key]) == {"zh", "en"}, key
