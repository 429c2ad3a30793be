"""认领认管认养 adoption register: terms, alerts, and the roster that is published.

Residents, party members, volunteer teams and firms adopt trees (树木认养),
lawns (绿地认养), stairwells (楼道认管) and public areas (公共环境认领) (三.3).
An adoption runs for a term (1 year by default, renewable); ending it early
takes 30 days' notice. The register raises alerts for terms ending within 30
days (so the community asks about renewal), for terms that ended while the
zone still shows as adopted, and for care that is overdue given how often each
kind of zone needs it (a stairwell weekly, a tree monthly, configurable).

The published roster (统一信息台账, 认养牌) is built from an allow-list of
columns (:data:`ROSTER_COLUMNS`). It names an adopter only by what they agreed
to publish; without that consent a person shows as their building and masked
surname ("5栋王**", :func:`mask_name`) and a team or firm by its own name.
Phone numbers and real names never reach it.

Dates are calendar days; a term's ``end_on`` is its last day, inclusive, as
written on an adoption agreement ("2025年3月1日至2026年2月28日").
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.codes import AdopterType, CareResult, ZoneType
from cogov_toolkit.core.privacy import find_numbers
from cogov_toolkit.core.values import is_blank
from cogov_toolkit.core.workdays import local_time
from cogov_toolkit.errors import AdoptionError, Problem

if TYPE_CHECKING:
    from cogov_toolkit.core.adoption import SignContent

if TYPE_CHECKING:
    pass


#: adopters who are people: their names are personal information (PIPL), shown only with consent
PERSONAL_ADOPTERS: frozenset[AdopterType] = frozenset({AdopterType.HOUSEHOLD, AdopterType.PARTY_MEMBER})


class AlertKind(StrEnum):
    """What an alert is about (message ``adoption.alert.<kind>``)."""

    TERM_ENDING = "term_ending"
    TERM_EXPIRED = "term_expired"
    CARE_OVERDUE = "care_overdue"
    CARE_ISSUE = "care_issue"


class TermState(StrEnum):
    """Where a term stands on a given day (label ``adoption.term_state.<code>``)."""

    NOT_STARTED = "not_started"
    ACTIVE = "active"
    ENDING_SOON = "ending_soon"
    ENDED = "ended"


# --- policy --------------------------------------------------------------------------------------
#: days between care checks before care counts as overdue, by zone type
DEFAULT_CARE_INTERVALS: Mapping[str, int] = MappingProxyType(
    {ZoneType.TREE: 30, ZoneType.LAWN: 14, ZoneType.STAIRWELL: 7, ZoneType.PUBLIC_AREA: 14}
)


def _default_intervals() -> Mapping[str, int]:
    return DEFAULT_CARE_INTERVALS


@dataclass(frozen=True)
class AdoptionPolicy:
    """The register's rules; the defaults follow DOMAIN.md.

    Parameters
    ----------
    term_months : int
        Length of a term: 12 months.
    notice_days : int
        Notice needed to end a term early: 30 days.
    ending_alert_days : int
        Alert when a term ends within this many days: 30.
    care_interval_days : mapping of zone type to int
        Care is overdue when more days than this have passed since the last
        check (or the start of the term): tree 30, lawn 14, stairwell 7,
        public area 14. Zone types left out keep their default.
    """

    term_months: int = 12
    notice_days: int = 30
    ending_alert_days: int = 30
    care_interval_days: Mapping[str, int] = field(default_factory=_default_intervals)

    def __post_init__(self) -> None:
        problems = []
        for name in ("term_months", "notice_days", "ending_alert_days"):
            value = getattr(self, name)
            if not _is_count(value) or (name == "term_months" and value == 0):
                problems.append(Problem("adoption.bad_policy_field", column=name, params={"value": repr(value)}))
        intervals = dict(DEFAULT_CARE_INTERVALS)
        for zone_type, days in dict(self.care_interval_days).items():
            if zone_type not in set(ZoneType):
                problems.append(
                    Problem("adoption.bad_code", column="care_interval_days", params=_code_params(zone_type, ZoneType))
                )
            elif not _is_count(days) or days == 0:
                problems.append(
                    Problem(
                        "adoption.bad_policy_field",
                        column=f"care_interval_days.{zone_type}",
                        params={"value": repr(days)},
                    )
                )
            else:
                intervals[ZoneType(zone_type)] = days
        if problems:
            raise AdoptionError("adoption.bad_policy", problems=problems, count=len(problems))
        object.__setattr__(self, "care_interval_days", MappingProxyType(intervals))


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _code_params(value: Any, allowed: Iterable[Any]) -> dict[str, str]:
    return {"value": repr(value), "allowed": "、".join(map(str, allowed))}


DEFAULT_ADOPTION_POLICY = AdoptionPolicy()


# --- terms ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AdoptionTerm:
    """An adoption's term: from ``start_on`` to ``end_on``, both days included."""

    start_on: date
    end_on: date

    def __post_init__(self) -> None:
        if self.end_on < self.start_on:
            raise AdoptionError(
                "adoption.end_before_start", start=self.start_on.isoformat(), end=self.end_on.isoformat()
            )

    def contains(self, day: date) -> bool:
        """Return True when ``day`` falls within the term."""
        return self.start_on <= day <= self.end_on

    def days_left(self, today: date) -> int:
        """Return the days from ``today`` to the last day (0 on the last day, negative after)."""
        return (self.end_on - today).days

    def state(self, today: date, policy: AdoptionPolicy = DEFAULT_ADOPTION_POLICY) -> TermState:
        """Return whether the term has not started, runs, ends within the alert window, or has ended."""
        if today < self.start_on:
            return TermState.NOT_STARTED
        if today > self.end_on:
            return TermState.ENDED
        return TermState.ENDING_SOON if self.days_left(today) <= policy.ending_alert_days else TermState.ACTIVE


def _months_later(day: date, months: int) -> date:
    """Return the day ``months`` after ``day``; a day the month lacks rolls to the 1st of the next.

    So a term starting 31 January ends on the last day of February, and one
    starting 29 February ends on 28 February the next year: never short a day.
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if day.day > calendar.monthrange(year, month)[1]:
        return date(year, month, calendar.monthrange(year, month)[1]) + timedelta(days=1)
    return date(year, month, day.day)


def term_for(start_on: date, policy: AdoptionPolicy = DEFAULT_ADOPTION_POLICY) -> AdoptionTerm:
    """Return a term of ``policy.term_months`` starting on ``start_on``.

    Examples
    --------
    >>> term_for(date(2025, 3, 1)).end_on
    datetime.date(2026, 2, 28)
    """
    start = _as_date(start_on)
    return AdoptionTerm(start, _months_later(start, policy.term_months) - timedelta(days=1))


def renew(term: AdoptionTerm, on: date, policy: AdoptionPolicy = DEFAULT_ADOPTION_POLICY) -> AdoptionTerm:
    """Return the next term when the adopter renews on ``on``.

    Renewed before the term ends, the new term follows on from the day after
    it (no gap, no overlap); renewed after it ended, the new term starts on
    the day of renewal.
    """
    return term_for(max(term.end_on + timedelta(days=1), _as_date(on)), policy)


def end_with_notice(
    term: AdoptionTerm,
    notice_on: date,
    policy: AdoptionPolicy = DEFAULT_ADOPTION_POLICY,
    end_on: date | None = None,
) -> AdoptionTerm:
    """Return the term cut short by notice given on ``notice_on``.

    Parameters
    ----------
    term : AdoptionTerm
        The running term.
    notice_on : date
        When notice was given (by the adopter or the community).
    policy : AdoptionPolicy
        ``notice_days``: 30 by default.
    end_on : date, optional
        The last day asked for; by default the last day of the notice period
        (``notice_on`` + 30 days). A term already ending sooner ends as planned.

    Raises
    ------
    AdoptionError
        ``adoption.notice_after_end`` when the term had already ended;
        ``adoption.notice_too_short`` when ``end_on`` leaves less notice.
    """
    notice = _as_date(notice_on)
    if notice > term.end_on:
        raise AdoptionError("adoption.notice_after_end", end=term.end_on.isoformat())
    earliest = notice + timedelta(days=policy.notice_days)
    last = _as_date(end_on) if end_on is not None else earliest
    if last < earliest:
        raise AdoptionError(
            "adoption.notice_too_short", days=policy.notice_days, earliest=earliest.isoformat(), asked=last.isoformat()
        )
    return AdoptionTerm(term.start_on, max(min(last, term.end_on), term.start_on))


# --- reading the register ------------------------------------------------------------------------
def _present(value: Any) -> bool:
    return not is_blank(value)


def _as_date(value: Any) -> date:
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return local_time(value).date()
    if isinstance(value, date):
        return value
    stamp = pd.Timestamp(value)
    if pd.isna(stamp):
        raise ValueError(value)
    return stamp.date()


def _require_columns(frame: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise AdoptionError("adoption.missing_columns", table=table, columns="、".join(missing))


def _text(value: Any) -> str | None:
    return str(value).strip() if _present(value) else None


@dataclass(frozen=True)
class _Adoption:
    adoption_id: str
    zone_id: str
    adopter_type: AdopterType | None
    term: AdoptionTerm | None
    zone_type: ZoneType | None
    record: Mapping[str, Any] = field(repr=False)


def _read_adoptions(
    adoptions: pd.DataFrame,
    zones: pd.DataFrame | None,
    policy: AdoptionPolicy,
    problems: list[Problem],
    required: tuple[str, ...],
) -> list[_Adoption]:
    """Read the adoptions table, adding every bad row to ``problems``."""
    _require_columns(adoptions, required, "adoptions")
    zone_types = _zone_types(zones, problems) if zones is not None else {}
    rows = []
    for position, record in enumerate(adoptions.to_dict("records")):
        row_number = position + 2  # header row 1, as a person sees the sheet
        adoption_id = _text(record.get("adoption_id")) or ""
        zone_id = _text(record.get("zone_id")) or ""
        for column, value in (("adoption_id", adoption_id), ("zone_id", zone_id)):
            if not value:
                problems.append(Problem("adoption.blank_value", row=row_number, column=column))
        adopter_type = None
        if _present(record.get("adopter_type")):
            code = _text(record.get("adopter_type"))
            if code in set(AdopterType):
                adopter_type = AdopterType(code)
            else:
                problems.append(
                    Problem(
                        "adoption.bad_code",
                        row=row_number,
                        column="adopter_type",
                        params=_code_params(code, AdopterType),
                    )
                )
        zone_type = None
        code = _text(record.get("zone_type")) or zone_types.get(zone_id)
        if code is not None:
            if code in set(ZoneType):
                zone_type = ZoneType(code)
            else:
                problems.append(
                    Problem(
                        "adoption.bad_code", row=row_number, column="zone_type", params=_code_params(code, ZoneType)
                    )
                )
        rows.append(
            _Adoption(
                adoption_id, zone_id, adopter_type, _read_term(record, row_number, policy, problems), zone_type, record
            )
        )
    return rows


def _read_term(
    record: Mapping[str, Any], row_number: int, policy: AdoptionPolicy, problems: list[Problem]
) -> AdoptionTerm | None:
    dates: dict[str, date | None] = {}
    for column in ("start_on", "end_on"):
        dates[column] = None
        if _present(record.get(column)):
            try:
                dates[column] = _as_date(record[column])
            except (TypeError, ValueError):
                problems.append(
                    Problem("adoption.bad_date", row=row_number, column=column, params={"value": repr(record[column])})
                )
    start, end = dates["start_on"], dates["end_on"]
    if start is None:
        return None
    if end is None:  # a blank end means the default term
        return term_for(start, policy)
    if end < start:
        problems.append(
            Problem(
                "adoption.end_before_start",
                row=row_number,
                column="end_on",
                params={"start": start.isoformat(), "end": end.isoformat()},
            )
        )
        return None
    return AdoptionTerm(start, end)


def _zone_types(zones: pd.DataFrame, problems: list[Problem]) -> dict[str, str]:
    _require_columns(zones, ("zone_id", "zone_type"), "adoption_zones")
    return {
        str(z).strip(): _text(t) or "" for z, t in zip(zones["zone_id"], zones["zone_type"], strict=True) if _present(z)
    }


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise AdoptionError("adoption.bad_register", problems=problems, count=len(problems))


# --- alerts --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Alert:
    """Something in the register that needs the community's attention.

    Parameters
    ----------
    kind : AlertKind
        What it is about.
    zone_id : str
        The adoption zone.
    adoption_id : str or None
        The adoption concerned (None for an expired zone with no current adoption).
    on : date
        The last day of the term (ending, expired), the day care was due
        (overdue), or the day of the check that found a problem (issue).
    days : int
        Days left (ending: 0 on the last day), days since (expired, issue) or
        days overdue (care).
    """

    kind: AlertKind
    zone_id: str
    adoption_id: str | None
    on: date
    days: int

    @property
    def key(self) -> str:
        """The i18n key of the alert's message."""
        return f"adoption.alert.{self.kind}"

    def message(self, language: str | None = None) -> str:
        """Return the alert as a sentence for the planner, in the chosen language."""
        return i18n.t(self.key, language, zone=self.zone_id, on=self.on.isoformat(), days=self.days)


#: order in which alerts are listed: the most pressing kinds first
_ALERT_ORDER: tuple[AlertKind, ...] = (
    AlertKind.TERM_EXPIRED,
    AlertKind.CARE_ISSUE,
    AlertKind.CARE_OVERDUE,
    AlertKind.TERM_ENDING,
)
#: care-log columns; ``result`` and ``photo_path`` are optional
CARE_LOG_REQUIRED: tuple[str, ...] = ("zone_id", "checked_on")


@dataclass(frozen=True)
class _Check:
    zone_id: str
    checked_on: date
    result: CareResult


def _read_care_log(care_log: pd.DataFrame | None, today: date, problems: list[Problem]) -> dict[str, list[_Check]]:
    """Return each zone's checks up to ``today``, oldest first."""
    if care_log is None:
        return {}
    _require_columns(care_log, CARE_LOG_REQUIRED, "care_log")
    checks: dict[str, list[_Check]] = {}
    for position, record in enumerate(care_log.to_dict("records")):
        row_number = position + 2
        zone_id = _text(record.get("zone_id"))
        try:
            checked_on = _as_date(record.get("checked_on"))
        except (TypeError, ValueError):
            problems.append(
                Problem(
                    "adoption.bad_date",
                    row=row_number,
                    column="checked_on",
                    params={"value": repr(record.get("checked_on"))},
                )
            )
            continue
        code = _text(record.get("result")) or CareResult.GOOD  # a check with no remark found nothing wrong
        if code not in set(CareResult):
            problems.append(
                Problem("adoption.bad_code", row=row_number, column="result", params=_code_params(code, CareResult))
            )
            continue
        if zone_id is None:
            problems.append(Problem("adoption.blank_value", row=row_number, column="zone_id"))
        elif checked_on <= today:  # a date in the future is a typing slip, not care given
            checks.setdefault(zone_id, []).append(_Check(zone_id, checked_on, CareResult(code)))
    for zone_checks in checks.values():
        zone_checks.sort(key=lambda c: c.checked_on)
    return checks


def alerts(
    adoptions: pd.DataFrame,
    care_log: pd.DataFrame | None,
    today: date | datetime,
    *,
    zones: pd.DataFrame | None = None,
    policy: AdoptionPolicy = DEFAULT_ADOPTION_POLICY,
) -> list[Alert]:
    """Return what in the adoption register needs attention on ``today``.

    Parameters
    ----------
    adoptions : pandas.DataFrame
        The ``adoptions`` table: ``adoption_id``, ``zone_id``, ``start_on``
        required; ``end_on`` (blank: the default term) and ``zone_type`` used
        when present.
    care_log : pandas.DataFrame or None
        Care checks: ``zone_id``, ``checked_on`` required; ``result``
        (``good`` when blank, or ``needs_attention``) and ``photo_path`` optional.
        Checks are per zone, so care given under an earlier term still counts.
    today : date or datetime
        The day of the alerts (a datetime is taken to Beijing time).
    zones : pandas.DataFrame, optional
        The ``adoption_zones`` layer (``zone_id``, ``zone_type``, and
        ``status`` for expiry alerts). Needed unless ``adoptions`` has a
        ``zone_type`` column.
    policy : AdoptionPolicy
        Alert window and care intervals.

    Returns
    -------
    list of Alert
        Most pressing first, then by date and zone:

        * ``term_expired``: a zone whose status is ``adopted`` with no term
          covering today (needs renewing or releasing);
        * ``care_issue``: the latest check of a running adoption found a problem;
        * ``care_overdue``: more than the zone type's interval has passed since
          the last check, or since the term began if later. At exactly the
          interval care is due, not overdue;
        * ``term_ending``: a running term ends within ``ending_alert_days``
          (30 days ahead: yes; 31: no) and no renewal follows it.

    Raises
    ------
    AdoptionError
        ``adoption.missing_columns``, or ``adoption.bad_register`` listing every
        bad row (blank id, unknown code, unreadable date, zone type unknown).
    """
    day = _as_date(today)
    problems: list[Problem] = []
    rows = _read_adoptions(adoptions, zones, policy, problems, ("adoption_id", "zone_id", "start_on"))
    for position, row in enumerate(rows):
        if row.zone_type is None and row.zone_id:
            problems.append(
                Problem("adoption.unknown_zone_type", row=position + 2, column="zone_id", params={"zone": row.zone_id})
            )
        if row.term is None and not _present(row.record.get("start_on")):
            problems.append(Problem("adoption.blank_value", row=position + 2, column="start_on"))
    checks = _read_care_log(care_log, day, problems)
    _raise_if(problems)

    found: list[Alert] = []
    by_zone: dict[str, list[_Adoption]] = {}
    for row in rows:
        by_zone.setdefault(row.zone_id, []).append(row)
    for row in rows:
        term = row.term
        if term is None or not term.contains(day):
            continue
        renewed = any(
            other.term is not None
            and other is not row
            and term.start_on < other.term.start_on <= term.end_on + timedelta(days=1)
            for other in by_zone[row.zone_id]
        )
        left = term.days_left(day)
        if left <= policy.ending_alert_days and not renewed:
            found.append(Alert(AlertKind.TERM_ENDING, row.zone_id, row.adoption_id, term.end_on, left))
        zone_checks = checks.get(row.zone_id, [])
        last_check = zone_checks[-1].checked_on if zone_checks else None
        care_from = max(filter(None, (last_check, term.start_on)))
        due = care_from + timedelta(days=policy.care_interval_days[row.zone_type])
        if day > due:
            found.append(Alert(AlertKind.CARE_OVERDUE, row.zone_id, row.adoption_id, due, (day - due).days))
        if (
            zone_checks
            and zone_checks[-1].result is CareResult.NEEDS_ATTENTION
            and zone_checks[-1].checked_on >= term.start_on
        ):
            latest = zone_checks[-1].checked_on
            found.append(Alert(AlertKind.CARE_ISSUE, row.zone_id, row.adoption_id, latest, (day - latest).days))
    found += _expired(zones, by_zone, day)
    return sorted(found, key=lambda a: (_ALERT_ORDER.index(a.kind), a.on, a.zone_id))


def _expired(zones: pd.DataFrame | None, by_zone: Mapping[str, list[_Adoption]], day: date) -> list[Alert]:
    """Return alerts for zones still marked adopted although their last term ended before ``day``."""
    if zones is None or "status" not in zones.columns:
        return []
    found = []
    for record in zones.to_dict("records"):
        zone_id = _text(record.get("zone_id"))
        if zone_id is None or _text(record.get("status")) != "adopted":
            continue
        terms = [r for r in by_zone.get(zone_id, []) if r.term is not None]
        if any(r.term.contains(day) for r in terms):
            continue
        ended = [r for r in terms if r.term.end_on < day]
        if ended:
            last = max(ended, key=lambda r: r.term.end_on)
            found.append(
                Alert(
                    AlertKind.TERM_EXPIRED, zone_id, last.adoption_id, last.term.end_on, (day - last.term.end_on).days
                )
            )
    return found


# --- the published roster ------------------------------------------------------------------------
#: two-character surnames, so that 欧阳 shows as 欧阳** rather than 欧**
COMPOUND_SURNAMES: frozenset[str] = frozenset(
    {
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯",
        "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "百里", "呼延", "万俟", "闻人", "澹台", "公冶", "申屠",
        "太史", "钟离", "赫连", "濮阳", "司空", "第五",
    }
)  # fmt: skip
#: the mask: always two stars, so the roster does not tell how long a name is
MASK = "**"
_NAME_SEPARATORS = re.compile(r"[\s·•・.]+")


def mask_name(name: str, building_label: str | None = None) -> str:
    """Return a person's name as the roster may show it: building, surname, two stars.

    Parameters
    ----------
    name : str
        The real name, from the private file. Only its surname is kept: the
        first character, or two for a compound surname (欧阳, 司马 …); for a
        name written in Latin letters or with a "·" (阿依古丽·买买提), the
        first letter.
    building_label : str, optional
        The adopter's building as residents say it, e.g. "5栋".

    Returns
    -------
    str
        e.g. ``mask_name("王建国", "5栋") == "5栋王**"``.

    Raises
    ------
    AdoptionError
        ``adoption.blank_name`` for an empty name.
    """
    text = unicodedata.normalize("NFKC", name).strip() if isinstance(name, str) else ""
    text = _NAME_SEPARATORS.split(text)[0] if text else ""
    if not text:
        raise AdoptionError("adoption.blank_name")
    surname = text[:2] if text[:2] in COMPOUND_SURNAMES else text[0].upper()
    label = unicodedata.normalize("NFKC", building_label).strip() if building_label else ""
    return f"{label}{surname}{MASK}"


def looks_personal(text: str) -> bool:
    """Return True when ``text`` holds a phone or ID number (core.privacy's one pattern), which no public name may carry."""
    return bool(find_numbers(text))


@dataclass(frozen=True)
class AdopterIdentity:
    """What the private file says about an adopter, used only to work out a masked name.

    Neither field is ever copied to the roster; ``name`` is left out of the
    repr so that it does not turn up in logs or tracebacks.
    """

    name: str | None = field(default=None, repr=False)
    building_label: str | None = None


#: the only columns a published roster has
ROSTER_COLUMNS: tuple[str, ...] = ("zone_number", "zone_type", "adopter_type", "adopter", "start_on", "end_on")
_CONSENT_WORDS = frozenset({"true", "1", "yes", "y", "是", "同意", "已同意"})


def _consented(value: Any) -> bool:
    """Return True only for a clear yes: anything unclear means no consent."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and _present(value):
        return value == 1
    return _present(value) and str(value).strip().lower() in _CONSENT_WORDS


def _public_name(row: _Adoption, identity: AdopterIdentity | None, language: str | None) -> str:
    """Return the name the roster shows for one adoption."""
    given = _text(row.record.get("public_name"))
    usable = given if given is not None and not looks_personal(given) else None
    type_label = i18n.label("adopter_type", row.adopter_type, language)
    if row.adopter_type not in PERSONAL_ADOPTERS:
        # a team's or firm's own name is what it is known by; it is not personal
        return usable or type_label
    if usable and _consented(row.record.get("publish_name_consent")):
        return usable
    building = identity.building_label if identity else None
    if identity is not None and identity.name and identity.name.strip():
        return mask_name(identity.name, building)
    if not building:
        return type_label
    return i18n.t("adoption.roster.anonymous", language, building=building, adopter_type=type_label)


def public_roster(
    adoptions: pd.DataFrame,
    zones: pd.DataFrame,
    *,
    identities: Mapping[str, AdopterIdentity] | None = None,
    on: date | None = None,
    policy: AdoptionPolicy = DEFAULT_ADOPTION_POLICY,
    language: str | None = None,
) -> pd.DataFrame:
    """Return the adoption roster as it may be published (公示, 认养牌, reports).

    Built from an allow-list: whatever else the inputs hold (phones, notes,
    real names) cannot reach it.

    Parameters
    ----------
    adoptions : pandas.DataFrame
        ``adoption_id``, ``zone_id``, ``adopter_type`` required; ``public_name``,
        ``publish_name_consent``, ``start_on`` and ``end_on`` used when present.
    zones : pandas.DataFrame
        The ``adoption_zones`` layer: ``zone_id``, ``number``, ``zone_type``.
    identities : mapping of adoption id to AdopterIdentity, optional
        From the private file: the real name (only its surname is used, masked)
        and the adopter's building label.
    on : date, optional
        Only adoptions whose term covers this day; all when None.
    policy : AdoptionPolicy
        The default term, for adoptions with a start and no end.
    language : str, optional
        Language of the labels ("zh" by default).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ROSTER_COLUMNS`, sorted by zone number: the zone's
        number, its type and the adopter's type as labels, the adopter's
        public name, and the term's dates. The adopter is shown by

        * a household or party member: the ``public_name`` they consented to
          publish (``publish_name_consent`` a clear yes); otherwise building
          and masked surname ("5栋王**"), or building and adopter type when the
          name is not known;
        * a volunteer team or firm: its ``public_name``, or the adopter type.

        A public name holding a phone or ID number is never used.

    Raises
    ------
    AdoptionError
        ``adoption.missing_columns`` or ``adoption.bad_register``.
    """
    _require_columns(zones, ("zone_id", "number", "zone_type"), "adoption_zones")
    problems: list[Problem] = []
    rows = _read_adoptions(adoptions, zones, policy, problems, ("adoption_id", "zone_id", "adopter_type"))
    numbers = {str(z).strip(): n for z, n in zip(zones["zone_id"], zones["number"], strict=True) if _present(z)}
    for position, row in enumerate(rows):
        if row.zone_id and row.zone_id not in numbers:
            problems.append(
                Problem("adoption.unknown_zone", row=position + 2, column="zone_id", params={"zone": row.zone_id})
            )
    _raise_if(problems)
    day = _as_date(on) if on is not None else None
    identities = identities or {}
    records = []
    for row in rows:
        if day is not None and (row.term is None or not row.term.contains(day)):
            continue
        number = numbers.get(row.zone_id)
        records.append(
            {
                "zone_number": int(number) if _present(number) else None,
                "zone_type": i18n.label("adoption_zone_type", row.zone_type, language),
                "adopter_type": i18n.label("adopter_type", row.adopter_type, language),
                "adopter": _public_name(row, identities.get(row.adoption_id), language),
                "start_on": row.term.start_on if row.term else None,
                "end_on": row.term.end_on if row.term else None,
            }
        )
    roster = pd.DataFrame(records, columns=list(ROSTER_COLUMNS))
    roster = roster.sort_values(["zone_number", "start_on"], kind="stable", na_position="last").reset_index(drop=True)
    return roster.astype({"zone_number": "Int64"})


def roster_headers(language: str | None = None) -> dict[str, str]:
    """Return the printed header of each roster column, e.g. ``{"zone_number": "编号", …}``."""
    return {column: i18n.t(f"adoption.roster.column.{column}", language) for column in ROSTER_COLUMNS}


@dataclass(frozen=True)
class SignContent:
    """What one printed 认养牌 shows: all of it public."""

    zone_number: int
    zone_type: str
    adopter_type: str
    adopter: str
    start_on: date
    end_on: date
    duties: str


__all__ = [
    "ZoneType",
    "AdopterType",
    "PERSONAL_ADOPTERS",
    "CareResult",
    "AlertKind",
    "TermState",
    "DEFAULT_CARE_INTERVALS",
    "AdoptionPolicy",
    "DEFAULT_ADOPTION_POLICY",
    "AdoptionTerm",
    "term_for",
    "renew",
    "end_with_notice",
    "Alert",
    "CARE_LOG_REQUIRED",
    "alerts",
    "COMPOUND_SURNAMES",
    "MASK",
    "mask_name",
    "looks_personal",
    "AdopterIdentity",
    "ROSTER_COLUMNS",
    "public_roster",
    "roster_headers",
]
