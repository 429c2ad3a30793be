"""发展共建 and project accountability: contributions and their totals, budgets, spending, milestones, photos.

Pure rules over plain frames (the workspace tables as :meth:`Workspace.records`
returns them), no files and no workspace:

* contributions (三.2: 投工投劳, donated items, money and materials) and their
  totals per project (:func:`contribution_totals`), and the honour roll
  (光荣榜, :func:`honour_roll`), which names a contributor only when they are in
  the set of those who consented to be named for that purpose;
* a project's money (三.4 财务公开, :func:`finance_summary`): budget, sources,
  spending, with the checks "budget = sources" and "spent ≤ budget", each
  failure a :class:`FinanceFlag` that the notice's review step shows and the
  planner must confirm before publishing;
* milestones with planned and actual dates (:func:`milestone_progress`), the
  disclosure schedule (:func:`disclosure_schedule`), and which photos may be
  published (:func:`publishable_photos`).

Money is counted in fen (分, integers), so sums are exact: a budget of
¥12,000.10 is 1 200 010 fen, and "budget = sources" means equal to the fen.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.codes import ContributionKind, ContributorType, FundingSource, PhotoStage
from cogov_toolkit.core.values import is_blank, optional_date, parse_date, parse_real


class FlagKind(StrEnum):
    """Why a project's figures do not add up (message ``cobuilding.flag.<code>``)."""

    NO_BUDGET = "no_budget"  #: spending recorded but no budget set
    SOURCES_MISMATCH = "sources_mismatch"  #: the sources do not add up to the budget
    OVERSPENT = "overspent"  #: more spent than budgeted


class MilestoneState(StrEnum):
    """Where a milestone stands on a day (label ``cobuilding.milestone.<code>``)."""

    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    OVERDUE = "overdue"  #: planned date passed, not done
    PLANNED = "planned"  #: planned date still ahead


#: months between two 财务公开 of a project (quarterly), and the days after a due date a notice still counts
DEFAULT_DISCLOSURE_MONTHS = 3
DEFAULT_DISCLOSURE_GRACE_DAYS = 7
#: how many days before its due date a 财务公开 already counts for it
DEFAULT_DISCLOSURE_LEAD_DAYS = 14


# --- money ---------------------------------------------------------------------------------------
def to_fen(value: Any) -> int:
    """Return an amount of yuan in fen, exactly: ``12000.1`` → 1200010, ``"1,234.56"`` → 123456.

    Raises
    ------
    ConversionError
        ``import.not_a_number`` when the value is not a number.
    """
    number = Decimal(str(value)) if isinstance(value, int | float) else Decimal(str(parse_real(value)))
    return int((number * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def yuan_text(fen: int | None) -> str:
    """Return fen as yuan for people, with thousands separators and two decimals: 1200010 → "12,000.10"."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def _present(value: Any) -> bool:
    return not is_blank(value)


def _text(value: Any) -> str:
    return str(value).strip() if _present(value) else ""


def _number(value: Any) -> float:
    return float(parse_real(value)) if _present(value) else 0.0


def _day(value: Any) -> dt.date | None:
    return optional_date(value)


# --- contributions -------------------------------------------------------------------------------
def contributor_key(record: Mapping[str, Any]) -> str:
    """Return who a contribution is from, for counting and for consent: its ``contributor_ref``, else its id.

    Contributions of one household or team share a reference (e.g. the
    household id), so they count as one contributor and one consent covers them.
    """
    ref = _text(record.get("contributor_ref"))
    return ref or f"contribution:{_text(record.get('contribution_id'))}"


def contribution_totals(contributions: pd.DataFrame, by: str = "project_id") -> pd.DataFrame:
    """Return the totals of contributions per ``by`` (a project by default; blank = "").

    Columns: ``by``, ``entries``, ``contributors`` (distinct, by
    :func:`contributor_key`), ``labour_hours``, ``items`` (quantity of donated
    items), ``money_fen`` and ``materials_fen``. One row per value of ``by``,
    sorted; an empty frame when there are no contributions.
    """
    columns = [by, "entries", "contributors", "labour_hours", "items", "money_fen", "materials_fen"]
    if contributions is None or contributions.empty:
        return pd.DataFrame(columns=columns)
    groups: dict[str, dict[str, Any]] = {}
    for record in contributions.to_dict("records"):
        group = groups.setdefault(
            _text(record.get(by)),
            {"entries": 0, "who": set(), "labour_hours": 0.0, "items": 0.0, "money_fen": 0, "materials_fen": 0},
        )
        group["entries"] += 1
        group["who"].add(contributor_key(record))
        kind = _text(record.get("kind"))
        if kind == ContributionKind.LABOUR:
            group["labour_hours"] += _number(record.get("hours"))
        elif kind == ContributionKind.ITEMS:
            group["items"] += _number(record.get("quantity"))
        elif kind == ContributionKind.MONEY:
            group["money_fen"] += to_fen(_number(record.get("value_yuan")))
        elif kind == ContributionKind.MATERIALS:
            group["materials_fen"] += to_fen(_number(record.get("value_yuan")))
    rows = [
        {
            by: key,
            "entries": g["entries"],
            "contributors": len(g["who"]),
            "labour_hours": g["labour_hours"],
            "items": g["items"],
            "money_fen": g["money_fen"],
            "materials_fen": g["materials_fen"],
        }
        for key, g in sorted(groups.items())
    ]
    return pd.DataFrame(rows, columns=columns)


@dataclass(frozen=True)
class HonourEntry:
    """One named line of the honour roll: a contributor who consented, and what they gave."""

    name: str
    contributor_type: str
    entries: int
    labour_hours: float
    items: float
    value_fen: int  # money and materials
    projects: tuple[str, ...]


@dataclass(frozen=True)
class UnnamedTotal:
    """Contributors of one type who are not named (no consent, or no public name): counts only."""

    contributor_type: str
    contributors: int
    entries: int
    labour_hours: float
    items: float
    value_fen: int


@dataclass(frozen=True)
class HonourRoll:
    """The honour roll (光荣榜): named contributors who consented, the others as totals by type."""

    named: tuple[HonourEntry, ...]
    unnamed: tuple[UnnamedTotal, ...]

    @property
    def empty(self) -> bool:
        """True when there is nobody to thank yet."""
        return not self.named and not self.unnamed


def honour_roll(
    contributions: pd.DataFrame,
    consented: Collection[str],
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> HonourRoll:
    """Return the honour roll of the contributions from ``start`` to ``end`` (both included, open when None).

    Parameters
    ----------
    contributions : pandas.DataFrame
        The ``contributions`` table.
    consented : collection of str
        The contributors (by :func:`contributor_key`) who consented to be named
        on the honour roll. This is the publication gate's answer for the
        purpose "honour roll"; nobody outside it is named, whatever the table says.
    start, end : date, optional
        The period (by ``contributed_on``).

    Returns
    -------
    HonourRoll
        Named entries (consented and with a public name), most hours first,
        then most value, then by name; the others summed by contributor type.
    """
    allowed = set(consented)
    named: dict[str, dict[str, Any]] = {}
    unnamed: dict[str, dict[str, Any]] = {}
    frame = contributions if contributions is not None else pd.DataFrame()
    for record in frame.to_dict("records"):
        day = _day(record.get("contributed_on"))
        if (start and day and day < start) or (end and day and day > end):
            continue
        key = contributor_key(record)
        name = _text(record.get("public_name"))
        kind = _text(record.get("kind"))
        ctype = _text(record.get("contributor_type")) or ContributorType.HOUSEHOLD.value
        if key in allowed and name:
            target = named.setdefault(key, {"name": name, "type": ctype, "projects": [], **_zero()})
            target["name"] = name  # the latest public name wins
        else:
            target = unnamed.setdefault(ctype, {"who": set(), **_zero()})
            target["who"].add(key)
        target["entries"] += 1
        if kind == ContributionKind.LABOUR:
            target["labour_hours"] += _number(record.get("hours"))
        elif kind == ContributionKind.ITEMS:
            target["items"] += _number(record.get("quantity"))
        elif kind in (ContributionKind.MONEY, ContributionKind.MATERIALS):
            target["value_fen"] += to_fen(_number(record.get("value_yuan")))
        project = _text(record.get("project_id"))
        if project and "projects" in target and project not in target["projects"]:
            target["projects"].append(project)
    entries = [
        HonourEntry(
            v["name"], v["type"], v["entries"], v["labour_hours"], v["items"], v["value_fen"], tuple(v["projects"])
        )
        for v in named.values()
    ]
    entries.sort(key=lambda e: (-e.labour_hours, -e.value_fen, -e.items, e.name))
    order = list(ContributorType)
    totals = [
        UnnamedTotal(t, len(v["who"]), v["entries"], v["labour_hours"], v["items"], v["value_fen"])
        for t, v in sorted(unnamed.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
    ]
    return HonourRoll(tuple(entries), tuple(totals))


def _zero() -> dict[str, Any]:
    return {"entries": 0, "labour_hours": 0.0, "items": 0.0, "value_fen": 0}


# --- a project's money ---------------------------------------------------------------------------
@dataclass(frozen=True)
class FinanceFlag:
    """A figure that does not add up; amounts in fen."""

    kind: FlagKind
    project_id: str
    amounts: Mapping[str, int] = field(default_factory=dict)

    def message(self, language: str | None = None) -> str:
        """Return the flag as a sentence, amounts in yuan ("预算 12,000.00 元，来源合计 11,000.00 元…")."""
        shown = {name: yuan_text(fen) for name, fen in self.amounts.items()}
        return i18n.t(f"cobuilding.flag.{self.kind.value}", language, project=self.project_id, **shown)


@dataclass(frozen=True)
class FinanceSummary:
    """A project's budget, sources, spending and balance on one day, with the flags of figures that do not add up.

    Amounts are in fen. ``budget_fen`` is None when no budget is set.
    """

    project_id: str
    budget_fen: int | None
    sources: tuple[tuple[str, int], ...]  # (funding source, fen) in the order of FundingSource
    spent_fen: int
    spending_entries: int
    flags: tuple[FinanceFlag, ...]

    @property
    def sources_fen(self) -> int:
        """The sources added up."""
        return sum(fen for _, fen in self.sources)

    @property
    def balance_fen(self) -> int | None:
        """Budget less spending (negative when overspent), None without a budget."""
        return None if self.budget_fen is None else self.budget_fen - self.spent_fen

    @property
    def adds_up(self) -> bool:
        """True when nothing is flagged."""
        return not self.flags


def finance_summary(
    project_id: str,
    budget_yuan: Any,
    sources: pd.DataFrame | None,
    spending: pd.DataFrame | None,
    *,
    as_of: dt.date | None = None,
) -> FinanceSummary:
    """Return the money of one project, checked: budget = sources, and spent ≤ budget.

    Parameters
    ----------
    project_id : str
    budget_yuan : number or None
        The declared budget (``project_finance.budget_yuan``); None or blank when not set.
    sources, spending : pandas.DataFrame
        The ``budget_sources`` and ``spending`` tables (rows of other projects are ignored).
    as_of : date, optional
        Count spending up to this day (all spending by default).

    Returns
    -------
    FinanceSummary
        With a flag ``sources_mismatch`` when the sources do not add up to the
        budget (to the fen), ``overspent`` when more was spent than budgeted,
        and ``no_budget`` when there is spending or a source but no budget.
    """
    budget = to_fen(budget_yuan) if _present(budget_yuan) else None
    by_source = dict.fromkeys(map(str, FundingSource), 0)
    for record in _rows_of(sources, project_id):
        source = _text(record.get("source")) or FundingSource.OTHER.value
        by_source[source] = by_source.get(source, 0) + to_fen(_number(record.get("amount_yuan")))
    spent, entries = 0, 0
    for record in _rows_of(spending, project_id):
        day = _day(record.get("spent_on"))
        if as_of is not None and day is not None and day > as_of:
            continue
        spent += to_fen(_number(record.get("amount_yuan")))
        entries += 1
    listed = tuple((s, fen) for s, fen in by_source.items() if fen)
    total = sum(fen for _, fen in listed)
    flags = []
    if budget is None:
        if spent or total:
            flags.append(FinanceFlag(FlagKind.NO_BUDGET, project_id, {"spent": spent, "sources": total}))
    else:
        if total != budget:
            flags.append(
                FinanceFlag(
                    FlagKind.SOURCES_MISMATCH,
                    project_id,
                    {"budget": budget, "sources": total, "difference": abs(total - budget)},
                )
            )
        if spent > budget:
            flags.append(
                FinanceFlag(FlagKind.OVERSPENT, project_id, {"budget": budget, "spent": spent, "over": spent - budget})
            )
    return FinanceSummary(project_id, budget, listed, spent, entries, tuple(flags))


def _rows_of(frame: pd.DataFrame | None, project_id: str) -> list[dict[str, Any]]:
    if frame is None or frame.empty or "project_id" not in frame.columns:
        return []
    return [r for r in frame.to_dict("records") if _text(r.get("project_id")) == project_id]


# --- milestones ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class MilestoneProgress:
    """One milestone on a day: planned and actual dates, state, and days late (0 when not late)."""

    milestone_id: str
    project_id: str
    name: str
    planned_on: dt.date
    actual_on: dt.date | None
    state: MilestoneState
    days_late: int


def milestone_progress(milestones: pd.DataFrame | None, as_of: dt.date) -> tuple[MilestoneProgress, ...]:
    """Return every milestone's state on ``as_of``, by project then planned date.

    A milestone is done when its actual date is on or before ``as_of``; done on
    time when that date is on or before the planned one. A milestone not done
    whose planned date is before ``as_of`` is overdue; days late count to the
    actual date, or to ``as_of`` while overdue.
    """
    found = []
    for record in [] if milestones is None else milestones.to_dict("records"):
        planned = parse_date(record["planned_on"])
        actual = _day(record.get("actual_on"))
        if actual is not None and actual > as_of:
            actual = None  # a date ahead of the day of the figures is not done yet
        if actual is not None:
            state = MilestoneState.DONE_ON_TIME if actual <= planned else MilestoneState.DONE_LATE
            late = max(0, (actual - planned).days)
        elif planned < as_of:
            state, late = MilestoneState.OVERDUE, (as_of - planned).days
        else:
            state, late = MilestoneState.PLANNED, 0
        found.append(
            MilestoneProgress(
                _text(record.get("milestone_id")),
                _text(record.get("project_id")),
                _text(record.get("name")),
                planned,
                actual,
                state,
                late,
            )
        )
    return tuple(sorted(found, key=lambda m: (m.project_id, m.planned_on, m.milestone_id)))


# --- the disclosure schedule ---------------------------------------------------------------------
def _months_later(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Jan + 1 month = 28 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def disclosure_due_dates(
    first_on: dt.date, until: dt.date, every_months: int = DEFAULT_DISCLOSURE_MONTHS
) -> list[dt.date]:
    """Return the days a project's 财务公开 is due: ``first_on``, then every ``every_months`` months, up to ``until``."""
    if every_months < 1:
        raise ValueError("every_months must be at least 1")
    days, step = [], 0
    while (day := _months_later(first_on, step * every_months)) <= until:
        days.append(day)
        step += 1
    return days


@dataclass(frozen=True)
class Disclosure:
    """One scheduled 财务公开: when it was due, the last day it counts as on time, and when it was published."""

    due_on: dt.date
    deadline: dt.date
    published_on: dt.date | None

    @property
    def on_time(self) -> bool:
        """Published by the deadline."""
        return self.published_on is not None and self.published_on <= self.deadline


def disclosure_schedule(
    due_dates: Sequence[dt.date],
    published: Iterable[dt.date],
    *,
    grace_days: int = DEFAULT_DISCLOSURE_GRACE_DAYS,
    lead_days: int = DEFAULT_DISCLOSURE_LEAD_DAYS,
) -> tuple[Disclosure, ...]:
    """Match published notices to the due dates of a project's 财务公开.

    A notice published from ``lead_days`` before a due date to ``grace_days``
    after it fulfils that due date, on time (the earliest such due date if
    windows overlap). A notice in no window fulfils the latest unfulfilled due
    date before it, late. Each notice fulfils one due date at most, so two
    quarters cannot be covered by one notice.
    """
    days = sorted(due_dates)
    issued = sorted(published)
    matched: list[dt.date | None] = [None] * len(days)
    used = [False] * len(issued)
    for position, due in enumerate(days):
        opens, closes = due - dt.timedelta(days=lead_days), due + dt.timedelta(days=grace_days)
        for k, day in enumerate(issued):
            if not used[k] and opens <= day <= closes:
                matched[position], used[k] = day, True
                break
    for k, day in enumerate(issued):  # a late notice fills the most recent gap before it
        if used[k]:
            continue
        for position in reversed(range(len(days))):
            if matched[position] is None and days[position] <= day:
                matched[position], used[k] = day, True
                break
    return tuple(Disclosure(due, due + dt.timedelta(days=grace_days), matched[i]) for i, due in enumerate(days))


# --- photos --------------------------------------------------------------------------------------
def photo_needs_consent(shows_faces: Any, shows_minors: Any) -> bool:
    """True when a photo shows faces or minors: it may be kept and published only with consent."""
    return _truthy(shows_faces) or _truthy(shows_minors)


def _truthy(value: Any) -> bool:
    return _present(value) and str(value).strip().lower() in ("1", "true", "yes", "是")


def publishable_photos(photos: pd.DataFrame, consented: Collection[str]) -> pd.DataFrame:
    """Return the photos that may be published: those with no face and no minor, and those in ``consented``.

    ``consented`` holds the photo ids with a consent for the purpose "photos"
    (the publication gate's answer); a photo of people not in it is left out.
    """
    if photos is None or photos.empty:
        return photos
    allowed = set(consented)
    keep = [
        not photo_needs_consent(r.get("shows_faces"), r.get("shows_minors")) or _text(r.get("photo_id")) in allowed
        for r in photos.to_dict("records")
    ]
    return photos[keep]


__all__ = [
    "ContributorType",
    "ContributionKind",
    "FundingSource",
    "PhotoStage",
    "FlagKind",
    "MilestoneState",
    "DEFAULT_DISCLOSURE_MONTHS",
    "DEFAULT_DISCLOSURE_GRACE_DAYS",
    "DEFAULT_DISCLOSURE_LEAD_DAYS",
    "to_fen",
    "yuan_text",
    "contributor_key",
    "contribution_totals",
    "HonourEntry",
    "UnnamedTotal",
    "HonourRoll",
    "honour_roll",
    "FinanceFlag",
    "FinanceSummary",
    "finance_summary",
    "MilestoneProgress",
    "milestone_progress",
    "disclosure_due_dates",
    "Disclosure",
    "disclosure_schedule",
    "photo_needs_consent",
    "publishable_photos",
]
