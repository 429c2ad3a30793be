"""Working days on the Chinese holiday calendar, and reply deadlines counted in them.

Expected dates are written by hand from the State Council's holiday notices for
2025 (国办发明电〔2024〕12号) and 2026, and checked against the chinese-calendar
package itself, so a wrong table in either place shows up.
"""

from __future__ import annotations

import sys
import warnings
from datetime import UTC, date, datetime, time, timedelta

import chinese_calendar
import pytest

from cogov_toolkit import i18n
from cogov_toolkit.core import workdays
from cogov_toolkit.core.schema import ENUMS
from cogov_toolkit.core.workdays import (
    DEFAULT_POLICY,
    SHANGHAI,
    CalendarSource,
    DeadlineKind,
    DeadlinePolicy,
    DemandUrgency,
    add_working_days,
    calendar_source,
    deadline_for,
    follow_up_deadline,
    is_workday,
    local_time,
)
from cogov_toolkit.errors import CogovError, ConfigurationError, DeadlineError, HolidaysNotPublishedWarning


def at(text: str) -> datetime:
    """Beijing time from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def d(text: str) -> date:
    return date.fromisoformat(text)


def _days(start: str, end: str) -> list[date]:
    first, last = d(start), d(end)
    return [first + timedelta(n) for n in range((last - first).days + 1)]


# --- the official exceptions, by hand from the notices ----------------------------------------------
#: weekdays that are holidays
WEEKDAY_HOLIDAYS = {
    2025: [
        d("2025-01-01"),  # 元旦
        *_days("2025-01-28", "2025-01-31"),  # 春节 1.28–2.4
        *_days("2025-02-03", "2025-02-04"),
        d("2025-04-04"),  # 清明
        *_days("2025-05-01", "2025-05-02"),  # 劳动节 5.1–5.5
        d("2025-05-05"),
        d("2025-06-02"),  # 端午 5.31–6.2
        *_days("2025-10-01", "2025-10-03"),  # 国庆、中秋 10.1–10.8
        *_days("2025-10-06", "2025-10-08"),
    ],
    2026: [
        *_days("2026-01-01", "2026-01-02"),  # 元旦 1.1–1.3
        *_days("2026-02-16", "2026-02-20"),  # 春节 2.15–2.23
        d("2026-02-23"),
        d("2026-04-06"),  # 清明 4.4–4.6
        d("2026-05-01"),  # 劳动节 5.1–5.5
        *_days("2026-05-04", "2026-05-05"),
        d("2026-06-19"),  # 端午 6.19–6.21
        d("2026-09-25"),  # 中秋 9.25–9.27
        *_days("2026-10-01", "2026-10-02"),  # 国庆 10.1–10.7
        *_days("2026-10-05", "2026-10-07"),
    ],
}
#: weekend days that are working days (调休)
WEEKEND_WORKDAYS = {
    2025: [d("2025-01-26"), d("2025-02-08"), d("2025-04-27"), d("2025-09-28"), d("2025-10-11")],
    2026: [d("2026-01-04"), d("2026-02-14"), d("2026-02-28"), d("2026-05-09"), d("2026-09-20"), d("2026-10-10")],
}


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_package_holds_exactly_the_notices_exceptions(year: int) -> None:
    days = _days(f"{year}-01-01", f"{year}-12-31")
    holidays = [x for x in days if x.weekday() < 5 and not chinese_calendar.is_workday(x)]
    weekend_work = [x for x in days if x.weekday() >= 5 and chinese_calendar.is_workday(x)]
    assert holidays == WEEKDAY_HOLIDAYS[year]
    assert weekend_work == WEEKEND_WORKDAYS[year]


@pytest.mark.parametrize("year", [2025, 2026])
def test_is_workday_agrees_with_the_package_every_day_of_the_year(year: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a published year gives no warning
        for day in _days(f"{year}-01-01", f"{year}-12-31"):
            expected = day.weekday() < 5 and day not in WEEKDAY_HOLIDAYS[year] or day in WEEKEND_WORKDAYS[year]
            assert is_workday(day) is expected is chinese_calendar.is_workday(day), day


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2025-09-28", True),  # Sunday, worked for National Day
        ("2025-10-01", False),
        ("2025-10-08", False),  # National Day and Mid-Autumn, eight days
        ("2025-10-11", True),  # Saturday, worked
        ("2025-10-12", False),  # an ordinary Sunday
        ("2025-10-18", False),  # an ordinary Saturday
        ("2026-02-14", True),  # Saturday before Spring Festival, worked
        ("2026-02-15", False),  # Spring Festival, nine days to 2.23 (a Monday)
        ("2026-02-23", False),
        ("2026-02-28", True),  # Saturday after, worked
    ],
)
def test_is_workday_on_the_dates_that_matter(day: str, expected: bool) -> None:
    assert is_workday(d(day)) is expected
    assert chinese_calendar.is_workday(d(day)) is expected


def test_is_workday_takes_a_datetime_on_beijing_time() -> None:
    # 16:30 UTC on Saturday 10 October 2025 is already Sunday in Beijing
    assert is_workday(datetime(2025, 10, 10, 16, 30, tzinfo=UTC)) is True  # Sat 11th, worked
    assert is_workday(datetime(2025, 10, 11, 16, 30, tzinfo=UTC)) is False  # Sun 12th


# --- add_working_days --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        ("2025-10-17 10:00", 1, "2025-10-20 10:00"),  # an ordinary weekend is skipped
        ("2025-09-26 10:00", 3, "2025-09-30 10:00"),  # Sunday 28 September is worked
        ("2025-09-30 15:00", 1, "2025-10-09 15:00"),  # the whole of National Day is skipped
        ("2025-09-30 15:00", 3, "2025-10-11 15:00"),  # landing on the worked Saturday
        ("2025-10-10 09:00", 1, "2025-10-11 09:00"),
        ("2025-10-11 09:00", 1, "2025-10-13 09:00"),
        ("2025-10-03 12:00", 1, "2025-10-09 12:00"),  # from inside the holiday
        ("2025-01-24 09:00", 1, "2025-01-26 09:00"),  # Spring Festival 2025: Sunday 26 January worked
        ("2025-01-26 09:00", 1, "2025-01-27 09:00"),
        ("2025-01-26 09:00", 2, "2025-02-05 09:00"),  # 27th worked, then off 28.1–4.2
        ("2025-12-31 09:00", 1, "2026-01-04 09:00"),  # across the year: 1–3 January off, Sunday 4th worked
        ("2026-02-13 09:00", 1, "2026-02-14 09:00"),  # Spring Festival 2026: Saturday 14th worked
        ("2026-02-14 09:00", 1, "2026-02-24 09:00"),  # then off 15–23 February
        ("2026-02-24 09:00", 4, "2026-02-28 09:00"),  # Saturday 28th worked
        ("2026-09-18 09:00", 1, "2026-09-20 09:00"),  # Sunday 20 September 2026 worked
        ("2026-09-20 09:00", 1, "2026-09-21 09:00"),
        ("2026-09-30 09:00", 1, "2026-10-08 09:00"),
        ("2026-09-30 09:00", 3, "2026-10-10 09:00"),  # Saturday 10 October 2026 worked
    ],
)
def test_add_working_days(start: str, days: int, expected: str) -> None:
    assert add_working_days(at(start), days) == at(expected)


def test_add_working_days_steps_onto_the_next_official_working_day_all_year() -> None:
    for day in _days("2025-01-01", "2026-12-30"):
        following = day + timedelta(1)
        while not chinese_calendar.is_workday(following):
            following += timedelta(1)
        start = datetime.combine(day, time(9), tzinfo=SHANGHAI)
        assert add_working_days(start, 1).date() == following, day


def test_add_working_days_keeps_the_time_and_returns_beijing_time() -> None:
    result = add_working_days(datetime(2025, 9, 26, 10, 15), 3)  # naive: Beijing time
    assert result == at("2025-09-30 10:15")
    assert result.utcoffset() == timedelta(hours=8)
    assert add_working_days(datetime(2025, 9, 26, 10), 0) == at("2025-09-26 10:00")


@pytest.mark.parametrize("days", [-1, 1.5, True])
def test_add_working_days_refuses_a_bad_count(days: object) -> None:
    with pytest.raises(DeadlineError) as info:
        add_working_days(at("2025-09-26 10:00"), days)  # type: ignore[arg-type]
    assert info.value.reason == "deadline.bad_days"


# --- deadlines ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("received", "due", "latest"),
    [
        # received Friday: Sunday 28 September is a working day, so the 3rd is Tuesday
        ("2025-09-26 10:00", "2025-09-30 18:00", "2025-10-10 18:00"),
        # received the day before National Day: 9, 10, 11 (worked Saturday) October; 5th: Tuesday 14th
        ("2025-09-30 15:00", "2025-10-11 18:00", "2025-10-14 18:00"),
        # received during the holiday: counting starts on the next working day
        ("2025-10-03 11:00", "2025-10-11 18:00", "2025-10-14 18:00"),
        # received on a Saturday: Monday is the 1st
        ("2025-10-18 10:00", "2025-10-22 18:00", "2025-10-24 18:00"),
        # received late on Friday: same as Saturday
        ("2025-10-17 23:30", "2025-10-22 18:00", "2025-10-24 18:00"),
        # received early on Monday: the day of receipt never counts
        ("2025-10-20 08:00", "2025-10-23 18:00", "2025-10-27 18:00"),
        # across New Year 2026: 1–3 January off, Sunday 4th worked
        ("2025-12-31 10:00", "2026-01-06 18:00", "2026-01-08 18:00"),
        # Spring Festival 2026: Saturday 14th worked, off 15–23, then 24, 25; 5th: 27th
        ("2026-02-13 10:00", "2026-02-25 18:00", "2026-02-27 18:00"),
        # and after it: Saturday 28 February worked, so the 5th is Monday 2 March
        ("2026-02-24 10:00", "2026-02-27 18:00", "2026-03-02 18:00"),
    ],
)
def test_general_deadline(received: str, due: str, latest: str) -> None:
    deadline = deadline_for(at(received), "general")
    assert (deadline.due_at, deadline.latest_at) == (at(due), at(latest))
    assert deadline.kind is DeadlineKind.GENERAL
    assert deadline.working_days == 3
    assert deadline.calendar_source is CalendarSource.OFFICIAL
    assert deadline.basis == "deadline.basis.general"
    assert add_working_days(at(received), 3).date() == at(due).date()  # the same count, by the other door


def test_urgent_deadline_is_24_hours_by_the_clock_even_on_a_holiday() -> None:
    deadline = deadline_for(at("2025-10-01 09:00"), DemandUrgency.URGENT)
    assert deadline.due_at == deadline.latest_at == at("2025-10-02 09:00")
    assert deadline.calendar_source is CalendarSource.WALL_CLOCK
    assert deadline.working_days is None and deadline.hours == 24
    assert deadline.describe() == "紧急诉求 24 小时内答复，截止 2025-10-02 09:00"


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("2025-10-09 10:00", "2025-10-09 18:00"),  # by the end of the day
        ("2025-10-04 10:00", "2025-10-04 18:00"),  # a weekend workshop during the holiday: still the same day
        ("2025-10-09 19:30", "2025-10-09 19:30"),  # after hours: answered when asked
    ],
)
def test_consultation_is_answered_on_the_spot(received: str, due: str) -> None:
    deadline = deadline_for(at(received), "consultation")
    assert deadline.due_at == deadline.latest_at == at(due)
    assert deadline.working_days == 0


def test_follow_up_visit_counts_working_days_after_resolution() -> None:
    deadline = follow_up_deadline(at("2025-09-28 17:00"))  # resolved on the worked Sunday
    assert deadline.due_at == at("2025-10-09 18:00")  # 29th, 30th, then 9 October
    assert deadline.kind is DeadlineKind.FOLLOW_UP
    assert deadline.basis == "deadline.basis.follow_up"


def test_naive_and_aware_times_give_the_same_deadline() -> None:
    naive = deadline_for(datetime(2025, 9, 30, 15), "general")
    aware = deadline_for(datetime(2025, 9, 30, 7, tzinfo=UTC), "general")  # 15:00 in Beijing
    assert naive == aware


def test_the_day_of_receipt_is_the_beijing_day() -> None:
    # 17:00 UTC on Saturday 27 September 2025 is 01:00 on Sunday 28th (a working day) in Beijing;
    # the Sunday is the day of receipt and does not count: 29th, 30th, 9 October
    deadline = deadline_for(datetime(2025, 9, 27, 17, tzinfo=UTC), "general")
    assert deadline.due_at == at("2025-10-09 18:00")
    assert deadline.start_at == at("2025-09-28 01:00")


def test_is_overdue() -> None:
    deadline = deadline_for(at("2025-09-30 15:00"), "general")
    assert not deadline.is_overdue(datetime(2025, 10, 11, 18, 0))
    assert deadline.is_overdue(datetime(2025, 10, 11, 18, 1))


def test_describe_in_both_languages() -> None:
    deadline = deadline_for(at("2025-09-30 15:00"), "general")
    assert deadline.describe() == "一般诉求 3 个工作日内答复，截止 2025-10-11 18:00"
    assert deadline.describe("en") == "General: reply within 3 working days, by 2025-10-11 18:00"


# --- policy ------------------------------------------------------------------------------------------
def test_a_configured_policy() -> None:
    policy = DeadlinePolicy(
        urgent_within=timedelta(hours=12),
        general_working_days=5,
        general_max_working_days=7,
        follow_up_working_days=2,
        office_closes_at=time(17, 30),
    )
    general = deadline_for(at("2025-09-30 15:00"), "general", policy)
    assert general.due_at == at("2025-10-14 17:30")  # 9, 10, 11, 13, 14 October
    assert general.latest_at == at("2025-10-16 17:30")
    assert deadline_for(at("2025-10-01 09:00"), "urgent", policy).due_at == at("2025-10-01 21:00")
    assert follow_up_deadline(at("2026-02-13 12:00"), policy).due_at == at("2026-02-24 17:30")


def test_the_defaults_are_domain_md() -> None:
    assert DEFAULT_POLICY.urgent_within == timedelta(hours=24)
    assert (DEFAULT_POLICY.general_working_days, DEFAULT_POLICY.general_max_working_days) == (3, 5)
    assert DEFAULT_POLICY.consultation_working_days == 0
    assert DEFAULT_POLICY.follow_up_working_days == 3
    assert DEFAULT_POLICY.office_closes_at == time(18, 0)


def test_a_bad_policy_lists_every_problem() -> None:
    with pytest.raises(DeadlineError) as info:
        DeadlinePolicy(urgent_within=timedelta(0), general_working_days=-1, office_closes_at="18:00")  # type: ignore[arg-type]
    assert info.value.reason == "deadline.bad_policy"
    assert {p.column for p in info.value.problems} == {"urgent_within", "general_working_days", "office_closes_at"}


def test_a_general_period_longer_than_its_maximum_is_refused() -> None:
    with pytest.raises(DeadlineError) as info:
        DeadlinePolicy(general_working_days=6)
    assert [p.reason for p in info.value.problems] == ["deadline.general_above_max"]
    assert "6" in str(info.value) and "5" in str(info.value)


def test_an_unknown_urgency_is_refused() -> None:
    with pytest.raises(DeadlineError, match="urgent") as info:
        deadline_for(at("2025-09-30 15:00"), "very_urgent")
    assert info.value.reason == "deadline.unknown_urgency"
    assert isinstance(info.value, CogovError)


def test_a_date_without_a_time_is_refused() -> None:
    with pytest.raises(DeadlineError) as info:
        deadline_for(date(2025, 9, 30), "general")  # type: ignore[arg-type]
    assert info.value.reason == "deadline.not_a_datetime"


def test_local_time() -> None:
    assert local_time(datetime(2025, 1, 1, 8)) == datetime(2025, 1, 1, 0, tzinfo=UTC)
    assert local_time(datetime(2025, 1, 1, tzinfo=UTC)).hour == 8


# --- a year whose holidays are not published ---------------------------------------------------------
def test_an_unpublished_year_falls_back_to_weekdays_with_a_warning() -> None:
    assert calendar_source(2031) is CalendarSource.WEEKDAYS_ONLY
    assert calendar_source(2025) is calendar_source(2026) is CalendarSource.OFFICIAL
    with pytest.raises(NotImplementedError):  # how the package says it does not know the year
        chinese_calendar.is_workday(d("2031-01-01"))
    with pytest.warns(HolidaysNotPublishedWarning, match="2031"):
        assert is_workday(d("2031-01-01")) is True  # a Wednesday; New Year's Day is not known
    with pytest.warns(HolidaysNotPublishedWarning, match="2031"):
        deadline = deadline_for(at("2031-01-03 10:00"), "general")  # a Friday
    assert deadline.due_at == at("2031-01-08 18:00")  # Monday 6th, 7th, 8th
    assert deadline.calendar_source is CalendarSource.WEEKDAYS_ONLY
    assert "尚未公布" in deadline.describe()


def test_the_warning_comes_once_per_year_counted() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        add_working_days(at("2031-01-03 10:00"), 40)
    assert [str(w.message.params["year"]) for w in caught] == ["2031"]
    assert caught[0].filename == __file__  # it points at the caller, not at the toolkit


def test_the_warning_in_english() -> None:
    warning = HolidaysNotPublishedWarning(year=2031)
    assert "2031" in warning.message("en") and "Monday to Friday" in warning.message("en")
    assert "2031" in str(warning)
    assert isinstance(warning, UserWarning)


def test_a_deadline_reaching_into_an_unknown_year_is_marked(monkeypatch: pytest.MonkeyPatch) -> None:
    # pretend 2026 is not yet published, as it was in the autumn of 2025
    known = workdays._official_is_workday
    monkeypatch.setattr(workdays, "_official_is_workday", lambda day: None if day.year == 2026 else known(day))
    with pytest.warns(HolidaysNotPublishedWarning, match="2026"):
        deadline = deadline_for(at("2025-12-31 10:00"), "general")
    # New Year's Day 2026 (a Thursday) and Friday 2nd are counted as working days
    assert deadline.due_at == at("2026-01-05 18:00")
    assert deadline.calendar_source is CalendarSource.WEEKDAYS_ONLY
    # a deadline within 2025 is unaffected
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert deadline_for(at("2025-12-01 10:00"), "general").calendar_source is CalendarSource.OFFICIAL


def test_without_the_package_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "chinese_calendar", None)  # makes the import fail
    with pytest.raises(ConfigurationError, match="pip install chinese-calendar") as info:
        is_workday(d("2025-10-01"))
    assert info.value.reason == "deadline.calendar_missing"


# --- codes and catalog -------------------------------------------------------------------------------
def test_urgency_codes_are_the_schemas() -> None:
    assert tuple(DemandUrgency) == ENUMS["demand_urgency"]


def test_every_code_has_its_text_in_both_languages() -> None:
    keys = [f"deadline.source.{s}" for s in CalendarSource] + [f"deadline.basis.{k}" for k in DeadlineKind]
    for key in keys + [HolidaysNotPublishedWarning.reason]:
        assert i18n.has(key), key
        assert set(i18n.catalog()[key]) == {"zh", "en"}
