"""Working days on the Chinese holiday calendar, and the reply deadlines counted in them.

Demands get a reply within a time limit (限时回复): urgent ones within 24 hours
by the clock, general ones within 3 (at most 5) working days, consultations on
the spot; a follow-up visit comes within a few working days of resolution.
Working days follow the State Council's yearly holiday notice, with its
adjusted working weekends (调休), as shipped by the ``chinese-calendar``
package. For a year that package does not know yet (the notice comes out in
the autumn before), Monday to Friday are used and a
:class:`HolidaysNotPublishedWarning` says so; the deadline records which
calendar it was counted on (:attr:`Deadline.calendar_source`).

How a period of N working days is counted (PRC Civil Code Art. 201 and 203):

* the day of receipt is never counted, whatever the hour and whether or not it
  is a working day; counting starts on the next day, and only working days
  count. A demand received on Saturday, or on a Friday evening, has Monday (if
  a working day) as its first day;
* the period ends when the office closes (:attr:`DeadlinePolicy.office_closes_at`,
  18:00 by default) on the Nth working day;
* a period of 0 working days (a consultation answered on the spot) ends at
  office close on the day of receipt, working day or not, or at the moment of
  receipt when that is later.

Times are Beijing time (Asia/Shanghai). A naive datetime is taken as local
time; an aware one is converted. Every datetime returned is aware.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum

from cogov_toolkit import i18n
from cogov_toolkit.core.codes import DemandUrgency
from cogov_toolkit.errors import ConfigurationError, DeadlineError, HolidaysNotPublishedWarning, Problem

#: Beijing time. China has kept UTC+8 without daylight saving since 1991, so a fixed
#: offset is exact for every date the holiday data covers, and needs no tz database
#: (zoneinfo has none on a planner's Windows laptop unless tzdata is installed).
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


class DeadlineKind(StrEnum):
    """What a deadline is for; names its basis text ``deadline.basis.<kind>``."""

    URGENT = "urgent"
    GENERAL = "general"
    CONSULTATION = "consultation"
    FOLLOW_UP = "follow_up"  # the visit (回访) after a demand is resolved


class CalendarSource(StrEnum):
    """Which calendar a deadline was counted on (label ``deadline.source.<code>``)."""

    OFFICIAL = "official"  # the published holidays and adjusted working days
    WEEKDAYS_ONLY = "weekdays_only"  # Monday to Friday: the year's holidays were not known
    WALL_CLOCK = "wall_clock"  # hours by the clock: no calendar was needed


# --- errors and warnings -----------------------------------------------------------------------


# --- the calendar ------------------------------------------------------------------------------
def _official_is_workday(day: date) -> bool | None:
    """Return whether ``day`` is a working day by the official calendar, or None if its year is unknown."""
    try:
        # imported here: the package is only needed once a deadline is counted
        import chinese_calendar
    except ImportError as exc:
        raise ConfigurationError("deadline.calendar_missing") from exc
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # its way of saying "no data for this year"
        return None


def _day_kind(day: date) -> tuple[bool, CalendarSource]:
    official = _official_is_workday(day)
    if official is None:
        return day.weekday() < 5, CalendarSource.WEEKDAYS_ONLY
    return official, CalendarSource.OFFICIAL


def _warn_unpublished(years: Iterable[int], stacklevel: int) -> None:
    for year in sorted(set(years)):
        warnings.warn(HolidaysNotPublishedWarning(year=year), stacklevel=stacklevel + 1)


def calendar_source(year: int) -> CalendarSource:
    """Return whether working days of ``year`` follow the official calendar or fall back to weekdays.

    Parameters
    ----------
    year : int
        A calendar year.

    Returns
    -------
    CalendarSource
        ``OFFICIAL`` when the installed ``chinese-calendar`` holds the year's
        holidays, ``WEEKDAYS_ONLY`` otherwise. No warning is given.
    """
    # 1 July is as good as any day: the package knows whole years or none
    return _day_kind(date(year, 7, 1))[1]


def _as_date(day: date | datetime) -> date:
    return local_time(day).date() if isinstance(day, datetime) else day


def is_workday(day: date | datetime) -> bool:
    """Return True when ``day`` is a working day in mainland China.

    Parameters
    ----------
    day : date or datetime
        A datetime is first taken to Beijing time (naive means local).

    Returns
    -------
    bool
        Statutory holidays are not working days; adjusted working weekends
        (调休) are. For a year whose holidays are not known, Monday to Friday,
        with a :class:`HolidaysNotPublishedWarning`.
    """
    workday, source = _day_kind(_as_date(day))
    if source is CalendarSource.WEEKDAYS_ONLY:
        _warn_unpublished([_as_date(day).year], stacklevel=2)
    return workday


def local_time(moment: datetime) -> datetime:
    """Return ``moment`` as an aware Beijing-time datetime (a naive one is taken as local time).

    Raises
    ------
    DeadlineError
        ``deadline.not_a_datetime`` when ``moment`` is not a datetime (a plain
        date has no time of day to count 24 hours from).
    """
    if not isinstance(moment, datetime):
        raise DeadlineError("deadline.not_a_datetime", value=repr(moment))
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        return moment.replace(tzinfo=SHANGHAI)
    return moment.astimezone(SHANGHAI)


def _nth_working_day_after(day: date, days: int) -> tuple[date, set[int]]:
    """Return the ``days``-th working day after ``day`` and the years counted on weekdays only."""
    fallback_years: set[int] = set()
    current, counted = day, 0
    while counted < days:
        current += timedelta(days=1)
        workday, source = _day_kind(current)
        if source is CalendarSource.WEEKDAYS_ONLY:
            fallback_years.add(current.year)
        counted += workday
    return current, fallback_years


def _check_days(days: int) -> None:
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise DeadlineError("deadline.bad_days", value=repr(days))


def add_working_days(start: datetime, days: int) -> datetime:
    """Return the same time of day on the ``days``-th working day after ``start``'s day.

    Parameters
    ----------
    start : datetime
        Naive means Beijing time.
    days : int
        How many working days to count, 0 or more. The start day itself is
        never counted (see the module's notes); 0 returns ``start``.

    Returns
    -------
    datetime
        Aware, in Beijing time.

    Warns
    -----
    HolidaysNotPublishedWarning
        Once per year counted on weekdays only.

    Examples
    --------
    National Day 2025: 1–8 October off, Sunday 28 September a working day.

    >>> add_working_days(datetime(2025, 9, 26, 10), 3).date()
    datetime.date(2025, 9, 30)
    """
    _check_days(days)
    start = local_time(start)
    day, fallback_years = _nth_working_day_after(start.date(), days)
    _warn_unpublished(fallback_years, stacklevel=2)
    return datetime.combine(day, start.timetz())


# --- deadlines ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class DeadlinePolicy:
    """How long each kind of demand may wait for a reply; the defaults follow DOMAIN.md.

    Parameters
    ----------
    urgent_within : timedelta
        Urgent demands (water, power, leaks, safety), by the clock: 24 hours.
    general_working_days : int
        General demands: reply within 3 working days ...
    general_max_working_days : int
        ... extendable to at most 5 (:attr:`Deadline.latest_at`).
    consultation_working_days : int
        Consultations: 0, on the spot (the same day).
    follow_up_working_days : int
        The follow-up visit, within 3 working days after resolution.
    office_closes_at : time
        When a working-day period ends on its last day: 18:00.
    """

    urgent_within: timedelta = timedelta(hours=24)
    general_working_days: int = 3
    general_max_working_days: int = 5
    consultation_working_days: int = 0
    follow_up_working_days: int = 3
    office_closes_at: time = time(18, 0)

    def __post_init__(self) -> None:
        # every wrong field at once, so a planner fixes the settings in one go
        problems = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "urgent_within":
                ok = isinstance(value, timedelta) and value > timedelta(0)
            elif f.name == "office_closes_at":
                ok = isinstance(value, time) and value.tzinfo is None
            else:
                ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
            if not ok:
                problems.append(Problem("deadline.bad_policy_field", column=f.name, params={"value": repr(value)}))
        if not problems and self.general_working_days > self.general_max_working_days:
            problems.append(
                Problem(
                    "deadline.general_above_max",
                    column="general_working_days",
                    params={"days": self.general_working_days, "max_days": self.general_max_working_days},
                )
            )
        if problems:
            raise DeadlineError("deadline.bad_policy", problems=problems, count=len(problems))

    def working_days(self, kind: DeadlineKind) -> int | None:
        """Return the working days allowed for ``kind`` (None for the clock-timed urgent kind)."""
        return {
            DeadlineKind.URGENT: None,
            DeadlineKind.GENERAL: self.general_working_days,
            DeadlineKind.CONSULTATION: self.consultation_working_days,
            DeadlineKind.FOLLOW_UP: self.follow_up_working_days,
        }[kind]


DEFAULT_POLICY = DeadlinePolicy()


@dataclass(frozen=True)
class Deadline:
    """When a reply (or a follow-up visit) is due, and on what basis.

    Parameters
    ----------
    kind : DeadlineKind
        What the deadline is for.
    start_at : datetime
        When the clock started (receipt, or resolution for a follow-up), Beijing time.
    due_at : datetime
        The deadline, Beijing time.
    latest_at : datetime
        The furthest it may be extended (general demands: the 5th working
        day); equal to ``due_at`` for other kinds.
    working_days : int or None
        The period in working days, None for a clock-timed deadline.
    calendar_source : CalendarSource
        ``OFFICIAL``, ``WEEKDAYS_ONLY`` when any day counted fell in a year
        whose holidays were not known, or ``WALL_CLOCK``.
    hours : float or None
        The period in hours for a clock-timed deadline, else None.
    """

    kind: DeadlineKind
    start_at: datetime
    due_at: datetime
    latest_at: datetime
    working_days: int | None
    calendar_source: CalendarSource
    hours: float | None = None

    @property
    def basis(self) -> str:
        """The i18n key of the rule this deadline follows (``deadline.basis.<kind>``)."""
        return f"deadline.basis.{self.kind}"

    def describe(self, language: str | None = None) -> str:
        """Return e.g. "3 个工作日内答复，截止 2025-10-11 18:00" in the chosen language."""
        text = i18n.t(
            self.basis,
            language,
            days=self.working_days,
            hours=f"{self.hours:g}" if self.hours is not None else None,
            due=self.due_at.strftime("%Y-%m-%d %H:%M"),
        )
        if self.calendar_source is CalendarSource.WEEKDAYS_ONLY:
            text += i18n.t("deadline.source_note.weekdays_only", language)
        return text

    def is_overdue(self, now: datetime) -> bool:
        """Return True when ``now`` (naive means local) is past the deadline."""
        return local_time(now) > self.due_at


def _end_of_period(start: datetime, days: int, closes_at: time) -> tuple[datetime, set[int]]:
    day, fallback_years = _nth_working_day_after(start.date(), days)
    end = datetime.combine(day, closes_at, tzinfo=SHANGHAI)
    # on the spot: a consultation received after hours is answered when it is received
    return max(end, start), fallback_years


def _working_day_deadline(
    kind: DeadlineKind, start: datetime, days: int, max_days: int, policy: DeadlinePolicy
) -> Deadline:
    due, years_due = _end_of_period(start, days, policy.office_closes_at)
    latest, years_latest = _end_of_period(start, max_days, policy.office_closes_at)
    fallback_years = years_due | years_latest
    _warn_unpublished(fallback_years, stacklevel=3)
    source = CalendarSource.WEEKDAYS_ONLY if fallback_years else CalendarSource.OFFICIAL
    return Deadline(kind, start, due, latest, days, source)


def _urgency(value: DemandUrgency | str) -> DemandUrgency:
    try:
        return DemandUrgency(value)
    except ValueError:
        raise DeadlineError(
            "deadline.unknown_urgency", value=repr(value), allowed="、".join(u.value for u in DemandUrgency)
        ) from None


def deadline_for(
    received_at: datetime, urgency: DemandUrgency | str, policy: DeadlinePolicy = DEFAULT_POLICY
) -> Deadline:
    """Return when the reply to a demand received at ``received_at`` is due.

    Parameters
    ----------
    received_at : datetime
        When the demand was received; naive means Beijing time.
    urgency : DemandUrgency or str
        ``urgent``, ``general`` or ``consultation``.
    policy : DeadlinePolicy
        The time limits; DOMAIN.md's defaults unless configured.

    Returns
    -------
    Deadline
        Urgent: ``received_at`` + 24 h by the clock, whatever the day.
        General: office close on the 3rd working day after the day of receipt
        (``latest_at``: the 5th). Consultation: office close on the day of
        receipt, or the moment of receipt if later.

    Raises
    ------
    DeadlineError
        ``deadline.unknown_urgency`` for any other urgency.

    Warns
    -----
    HolidaysNotPublishedWarning
        When a day counted falls in a year whose holidays are not known.
    """
    start = local_time(received_at)
    kind = DeadlineKind(_urgency(urgency).value)
    if kind is DeadlineKind.URGENT:
        due = start + policy.urgent_within
        hours = policy.urgent_within.total_seconds() / 3600
        return Deadline(kind, start, due, due, None, CalendarSource.WALL_CLOCK, hours)
    if kind is DeadlineKind.GENERAL:
        max_days = policy.general_max_working_days
    else:
        max_days = policy.consultation_working_days
    return _working_day_deadline(kind, start, policy.working_days(kind) or 0, max_days, policy)


def follow_up_deadline(resolved_at: datetime, policy: DeadlinePolicy = DEFAULT_POLICY) -> Deadline:
    """Return when the follow-up visit (and satisfaction rating) is due after resolution.

    Parameters
    ----------
    resolved_at : datetime
        When the demand was resolved; naive means Beijing time.
    policy : DeadlinePolicy
        ``follow_up_working_days`` (3 by default) and ``office_closes_at``.

    Returns
    -------
    Deadline
        Office close on the Nth working day after the day of resolution.
    """
    days = policy.follow_up_working_days
    return _working_day_deadline(DeadlineKind.FOLLOW_UP, local_time(resolved_at), days, days, policy)


__all__ = [
    "SHANGHAI",
    "DemandUrgency",
    "DeadlineKind",
    "CalendarSource",
    "calendar_source",
    "is_workday",
    "local_time",
    "add_working_days",
    "DeadlinePolicy",
    "DEFAULT_POLICY",
    "Deadline",
    "deadline_for",
    "follow_up_deadline",
]
