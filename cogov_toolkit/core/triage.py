"""三事分流 triage: which class a demand is, the steps it runs through, and the figures on them.

Every demand (诉求) is a 大事 (``major``: the community with the city's
departments, a named unit and person), a 小事 (``minor``: the 小区 party branch
with residents' representatives and the property manager, 一事一议) or a 私事
(``private``: the building's party group leader or 党员中心户). The toolkit
*suggests* a class from a table of rules (:data:`DEFAULT_RULES`, data that a
community can replace); the planner confirms it (:func:`classify`), may
reclassify it later with a reason, and may escalate a 大事 to the 街道 or the
12345 hotline (:func:`escalate`).

A demand's status runs received → assigned → replied → resolved → rated, one
step at a time (:func:`apply_transition`). Going back is allowed only to
re-open a demand (back to ``assigned``) and only with a reason. Every change,
reclassification and escalation is kept, with its time and who made it, in
the demand's history: a tuple of frozen entries that each verb returns
extended, never changed.

:func:`dashboard` turns a demands table and the histories into figures: counts
by class, status and category, the overdue lists, the on-time reply rate and
"邻里事不出楼栋，小事不出小区，大事不出社区" as shares of resolved demands.
:func:`dashboard_frames` computes them from the stored history rows in whole
columns (pandas, no loop over demands), for a street's 100,000 demands.

Storage is not here: :func:`history_frame` and :func:`histories_from_frame`
turn histories into rows and back (replaying every rule on the way back).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from itertools import pairwise
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.codes import DemandStatus, EventKind, TriageClass
from cogov_toolkit.core.escape import html_text
from cogov_toolkit.core.schema import ENUMS
from cogov_toolkit.core.values import is_blank
from cogov_toolkit.core.workdays import (
    DEFAULT_POLICY,
    SHANGHAI,
    DeadlinePolicy,
    DemandUrgency,
    deadline_for,
    follow_up_deadline,
    local_time,
)
from cogov_toolkit.errors import DemandTransitionError, Problem, TriageError, TriageWarning

#: the one order of the steps; a step may not be skipped
STATUS_ORDER: tuple[DemandStatus, ...] = tuple(DemandStatus)
#: where a demand may be sent back to (with a reason): re-opened and handled again
REOPEN_TARGETS: frozenset[DemandStatus] = frozenset({DemandStatus.ASSIGNED})
#: statuses in which the reply is still owed
AWAITING_REPLY: frozenset[DemandStatus] = frozenset({DemandStatus.RECEIVED, DemandStatus.ASSIGNED})
#: statuses of a resolved demand
CLOSED: frozenset[DemandStatus] = frozenset({DemandStatus.RESOLVED, DemandStatus.RATED})


class Level(StrEnum):
    """Where a demand is handled, from the building up (label ``triage.level.<code>``)."""

    BUILDING = "building"  # 楼栋: party group leader, 党员中心户
    NEIGHBOURHOOD = "neighbourhood"  # 小区: party branch, representatives, property manager
    COMMUNITY = "community"  # 社区 with the city's departments
    STREET = "street"  # 街道 (escalation)
    HOTLINE_12345 = "hotline_12345"  # the city's 12345 hotline (escalation)


#: levels from lowest to highest: "不出楼栋" means resolved at or below BUILDING
LEVEL_ORDER: tuple[Level, ...] = tuple(Level)
#: where a 大事 may be escalated beyond the community
ESCALATION_TARGETS: tuple[Level, ...] = (Level.STREET, Level.HOTLINE_12345)


class TriageScope(StrEnum):
    """How far a demand reaches (label ``triage.scope.<code>``)."""

    HOUSEHOLD = "household"
    BUILDING = "building"
    NEIGHBOURHOOD = "neighbourhood"
    COMMUNITY = "community"  # more than one 小区


@dataclass(frozen=True)
class Handling:
    """Who handles a class of demand, at which level, and the slogan that measures it (三.3)."""

    level: Level
    handler_key: str  # i18n key naming the handler
    slogan_key: str  # i18n key: 邻里事不出楼栋 / 小事不出小区 / 大事不出社区


HANDLING: Mapping[TriageClass, Handling] = MappingProxyType(
    {
        TriageClass.MAJOR: Handling(Level.COMMUNITY, "triage.handler.major", "triage.slogan.major"),
        TriageClass.MINOR: Handling(Level.NEIGHBOURHOOD, "triage.handler.minor", "triage.slogan.minor"),
        TriageClass.PRIVATE: Handling(Level.BUILDING, "triage.handler.private", "triage.slogan.private"),
    }
)

#: the scope a place implies when the planner gives none
PLACE_SCOPE: Mapping[str, TriageScope] = MappingProxyType(
    {
        "building": TriageScope.BUILDING,
        "public_space": TriageScope.NEIGHBOURHOOD,
        "idle_plot": TriageScope.NEIGHBOURHOOD,
        "adoption_zone": TriageScope.NEIGHBOURHOOD,
        "neighbourhood": TriageScope.NEIGHBOURHOOD,
    }
)


# --- errors and warnings -------------------------------------------------------------------------


class _Shown(str):
    """A code that reads as its label in a message yet stays the plain code in ``params``.

    Error messages are rendered again whenever they are shown (in the language
    of the moment), so the label is looked up at formatting time.
    """

    prefix: str

    def __new__(cls, code: object, prefix: str) -> _Shown:
        shown = super().__new__(cls, str(code))
        shown.prefix = prefix
        return shown

    def __format__(self, spec: str) -> str:
        return format(i18n.t(f"{self.prefix}.{str.__str__(self)}"), spec)


def _status(code: object) -> _Shown:
    return _Shown(code, "label.demand_status")


def _class(code: object | None) -> _Shown:
    # a demand not yet classified reads as "未分流"
    return _Shown(code, "label.triage_class") if code else _Shown("unclassified", "triage")


def _level(code: object) -> _Shown:
    return _Shown(code, "triage.level")


# --- suggesting a class --------------------------------------------------------------------------
@dataclass(frozen=True)
class TriageRule:
    """One row of the triage table: demands it matches get ``triage_class``.

    An empty filter matches anything; a filter that is set does not match a
    demand whose value is unknown. Rules are tried in order and the first
    match wins, so a table reads top to bottom like the planner would.

    Parameters
    ----------
    triage_class : TriageClass
        The class suggested.
    reason_key : str
        i18n key of the reason shown to the planner; may use ``{min_households}``.
    categories : frozenset of str
        ``demand_category`` codes.
    place_types : frozenset of str
        ``place_type`` codes.
    scopes : frozenset of TriageScope
        How far the demand reaches.
    min_households : int or None
        Matches demands affecting at least this many households.
    """

    triage_class: TriageClass
    reason_key: str
    categories: frozenset[str] = frozenset()
    place_types: frozenset[str] = frozenset()
    scopes: frozenset[TriageScope] = frozenset()
    min_households: int | None = None

    def __post_init__(self) -> None:
        problems = []
        try:
            object.__setattr__(self, "triage_class", TriageClass(self.triage_class))
        except ValueError:
            problems.append(_bad_code("triage_class", self.triage_class, list(TriageClass)))
        for name, allowed in (
            ("categories", ENUMS["demand_category"]),
            ("place_types", ENUMS["place_type"]),
            ("scopes", tuple(TriageScope)),
        ):
            raw = getattr(self, name)
            # a lone code is one code, not a set of its letters
            values = frozenset({raw}) if isinstance(raw, str) else frozenset(raw)
            problems += [_bad_code(name, v, allowed) for v in sorted(map(str, values - set(allowed)))]
            if name == "scopes":
                values = frozenset(TriageScope(v) for v in values if v in set(TriageScope))
            object.__setattr__(self, name, values)
        if self.min_households is not None and (not isinstance(self.min_households, int) or self.min_households < 0):
            problems.append(_bad_code("min_households", self.min_households, ["0, 1, 2 …"]))
        if not i18n.has(self.reason_key):
            problems.append(
                Problem("triage.unknown_reason_key", column="reason_key", params={"value": self.reason_key})
            )
        if problems:
            raise TriageError("triage.bad_rule", problems=problems)

    def matches(self, category: str, place_type: str | None, scope: TriageScope | None, households: int | None) -> bool:
        """Return True when a demand with these attributes matches this rule."""
        return (
            (not self.categories or category in self.categories)
            and (not self.place_types or place_type in self.place_types)
            and (not self.scopes or scope in self.scopes)
            and (self.min_households is None or (households is not None and households >= self.min_households))
        )


def _bad_code(field_name: str, value: object, allowed: Iterable[object]) -> Problem:
    return Problem(
        "triage.bad_code", column=field_name, params={"value": repr(value), "allowed": "、".join(map(str, allowed))}
    )


_ANY_SCOPE_BEYOND_HOUSEHOLD = frozenset({TriageScope.BUILDING, TriageScope.NEIGHBOURHOOD, TriageScope.COMMUNITY})

#: the suggested classes (first match wins). A community may pass its own table to
#: :func:`suggest_class`; the planner confirms or changes every suggestion.
DEFAULT_RULES: tuple[TriageRule, ...] = (
    # beyond one 小区: only the community, with the departments, can coordinate it
    TriageRule(TriageClass.MAJOR, "triage.reason.beyond_neighbourhood", scopes=frozenset({TriageScope.COMMUNITY})),
    # hazards to the public need the department responsible (fire, gas, structures)
    TriageRule(
        TriageClass.MAJOR,
        "triage.reason.public_safety",
        categories=frozenset({"safety"}),
        scopes=_ANY_SCOPE_BEYOND_HOUSEHOLD,
    ),
    # so many households that funds or departments will be needed
    TriageRule(TriageClass.MAJOR, "triage.reason.many_households", min_households=100),
    # 邻里事不出楼栋: quarrels between neighbours are settled in the building
    TriageRule(
        TriageClass.PRIVATE,
        "triage.reason.neighbour_dispute",
        categories=frozenset({"dispute"}),
        scopes=frozenset({TriageScope.HOUSEHOLD, TriageScope.BUILDING}),
    ),
    TriageRule(TriageClass.PRIVATE, "triage.reason.one_household", scopes=frozenset({TriageScope.HOUSEHOLD})),
    # shared spaces of one 小区: 一事一议 with the representatives and the property manager
    TriageRule(
        TriageClass.MINOR,
        "triage.reason.shared_space",
        scopes=frozenset({TriageScope.BUILDING, TriageScope.NEIGHBOURHOOD}),
    ),
    TriageRule(TriageClass.MINOR, "triage.reason.default"),
)


@dataclass(frozen=True)
class Suggestion:
    """The class the toolkit suggests for a demand, why, and who would handle it.

    Parameters
    ----------
    triage_class : TriageClass
        The suggested class.
    reason_key : str
        i18n key of the reason (see :meth:`explain`).
    level : Level
        Where a demand of this class is handled.
    handler_key : str
        i18n key naming the handler (e.g. 社区联合职能部门).
    scope : TriageScope or None
        The scope used: the one given, or the one the place implies.
    rule : TriageRule
        The rule that matched.
    """

    triage_class: TriageClass
    reason_key: str
    level: Level
    handler_key: str
    scope: TriageScope | None
    rule: TriageRule

    def explain(self, language: str | None = None) -> str:
        """Return e.g. "建议：大事，由社区联合职能部门办理。理由：……" in the chosen language."""
        return i18n.t(
            "triage.suggestion",
            language,
            triage_class=i18n.label("triage_class", self.triage_class, language),
            handler=i18n.t(self.handler_key, language),
            why=i18n.t(self.reason_key, language, min_households=self.rule.min_households),
        )


def suggest_class(
    category: str,
    place_type: str | None = None,
    scope: TriageScope | str | None = None,
    households: int | None = None,
    *,
    rules: Iterable[TriageRule] = DEFAULT_RULES,
) -> Suggestion:
    """Suggest the 三事分流 class of a demand from its category and how far it reaches.

    Parameters
    ----------
    category : str
        ``demand_category`` code (``safety``, ``dispute`` …).
    place_type : str, optional
        ``place_type`` code of where it is; implies the scope when none is given
        (a building → ``building``; a public space, idle plot or adoption zone
        → ``neighbourhood``).
    scope : TriageScope or str, optional
        ``household``, ``building``, ``neighbourhood`` or ``community``.
    households : int, optional
        How many households it affects.
    rules : iterable of TriageRule
        The table to apply, first match wins; :data:`DEFAULT_RULES` by default.

    Returns
    -------
    Suggestion

    Raises
    ------
    TriageError
        ``triage.bad_input`` listing every unknown code; ``triage.no_rule``
        when a custom table has no rule for the demand.
    """
    problems = []
    if category not in ENUMS["demand_category"]:
        problems.append(_bad_code("category", category, ENUMS["demand_category"]))
    if place_type is not None and place_type not in ENUMS["place_type"]:
        problems.append(_bad_code("place_type", place_type, ENUMS["place_type"]))
    if scope is not None and scope not in set(TriageScope):
        problems.append(_bad_code("scope", scope, list(TriageScope)))
    if households is not None and (isinstance(households, bool) or not isinstance(households, int) or households < 0):
        problems.append(_bad_code("households", households, ["0, 1, 2 …"]))
    if problems:
        raise TriageError("triage.bad_input", problems=problems)
    used_scope = TriageScope(scope) if scope is not None else PLACE_SCOPE.get(place_type or "")
    for rule in rules:
        if rule.matches(category, place_type, used_scope, households):
            handling = HANDLING[rule.triage_class]
            return Suggestion(
                rule.triage_class, rule.reason_key, handling.level, handling.handler_key, used_scope, rule
            )
    raise TriageError("triage.no_rule", category=category, place_type=place_type or "", scope=used_scope or "")


# --- the history ---------------------------------------------------------------------------------
def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class StatusChange:
    """One step of a demand's status; ``from_status`` is None for the first (receipt)."""

    from_status: DemandStatus | None
    to_status: DemandStatus
    at: datetime
    by_role: str
    reason: str | None = None

    @property
    def is_backward(self) -> bool:
        """True for a re-opening (a step back, which needs a reason)."""
        return self.from_status is not None and STATUS_ORDER.index(self.to_status) < STATUS_ORDER.index(
            self.from_status
        )

    def describe(self, language: str | None = None) -> str:
        """Return one line for the history shown to planners."""
        return i18n.t(
            "triage.event.status",
            language,
            at=_when(self.at),
            from_status=i18n.label("demand_status", self.from_status, language) or "—",
            to_status=i18n.label("demand_status", self.to_status, language),
            by=self.by_role,
        ) + _reason_note(self.reason, language)


@dataclass(frozen=True)
class ClassChange:
    """The planner's confirmation of a class (``from_class`` None) or a reclassification."""

    from_class: TriageClass | None
    to_class: TriageClass
    at: datetime
    by_role: str
    reason: str | None = None

    def describe(self, language: str | None = None) -> str:
        """Return one line for the history shown to planners."""
        key = "triage.event.classified" if self.from_class is None else "triage.event.reclassified"
        return i18n.t(
            key,
            language,
            at=_when(self.at),
            from_class=i18n.label("triage_class", self.from_class, language),
            to_class=i18n.label("triage_class", self.to_class, language),
            by=self.by_role,
        ) + _reason_note(self.reason, language)


@dataclass(frozen=True)
class Escalation:
    """A 大事 sent beyond the community, to the 街道 or the 12345 hotline, with the reason."""

    to_level: Level
    at: datetime
    by_role: str
    reason: str

    def describe(self, language: str | None = None) -> str:
        """Return one line for the history shown to planners."""
        return i18n.t(
            "triage.event.escalated",
            language,
            at=_when(self.at),
            to_level=i18n.t(f"triage.level.{self.to_level}", language),
            by=self.by_role,
        ) + _reason_note(self.reason, language)


HistoryEntry = StatusChange | ClassChange | Escalation
#: a demand's history, oldest first; the verbs below return it extended, never changed
History = tuple[HistoryEntry, ...]


def _reason_note(reason: str | None, language: str | None) -> str:
    return i18n.t("triage.event.reason", language, reason=reason) if reason else ""


def _status_changes(history: History) -> list[StatusChange]:
    return [e for e in history if isinstance(e, StatusChange)]


def current_status(history: History) -> DemandStatus | None:
    """Return the demand's status now, or None for an empty history."""
    changes = _status_changes(history)
    return changes[-1].to_status if changes else None


def current_class(history: History) -> TriageClass | None:
    """Return the class confirmed or last reclassified, or None when not yet classified."""
    classes = [e.to_class for e in history if isinstance(e, ClassChange)]
    return classes[-1] if classes else None


def escalated_to(history: History) -> Level | None:
    """Return the highest level the demand has been escalated to, or None."""
    levels = [e.to_level for e in history if isinstance(e, Escalation)]
    return max(levels, key=LEVEL_ORDER.index) if levels else None


def first_at(history: History, status: DemandStatus) -> datetime | None:
    """Return when the demand first reached ``status``, or None."""
    return next((e.at for e in history if isinstance(e, StatusChange) and e.to_status is status), None)


def resolution_level(history: History) -> Level | None:
    """Return where the demand was (last) resolved, or None if it never was.

    The level is that of the class in force when it was resolved, or the
    level it had been escalated to by then, whichever is higher.
    """
    triage_class: TriageClass | None = None
    escalation: Level | None = None
    resolved_at: Level | None = None
    for entry in history:
        if isinstance(entry, ClassChange):
            triage_class = entry.to_class
        elif isinstance(entry, Escalation):
            escalation = max(filter(None, (escalation, entry.to_level)), key=LEVEL_ORDER.index)
        elif entry.to_status is DemandStatus.RESOLVED:
            levels = [lv for lv in (escalation, HANDLING[triage_class].level if triage_class else None) if lv]
            resolved_at = max(levels, key=LEVEL_ORDER.index) if levels else None
    return resolved_at


def _checked(history: History, at: datetime, by: str, reason: str | None) -> tuple[datetime, str, str | None]:
    """Return the time (local), the role and the reason, refusing what no entry may hold."""
    moment = local_time(at)
    if history and moment < history[-1].at:
        raise DemandTransitionError("triage.time_before_last", at=_when(moment), last=_when(history[-1].at))
    if not isinstance(by, str) or not by.strip():
        raise DemandTransitionError("triage.by_required")
    note = reason.strip() if isinstance(reason, str) and reason.strip() else None
    return moment, by.strip(), note


def apply_transition(
    history: History, to_status: DemandStatus | str, at: datetime, by: str, reason: str | None = None
) -> History:
    """Return ``history`` with the demand moved to ``to_status``.

    Parameters
    ----------
    history : tuple of history entries
        The demand's history so far (empty for a new demand).
    to_status : DemandStatus or str
        The next status. The first must be ``received``; after that only the
        next step, or (with a reason) back to ``assigned`` to re-open it.
    at : datetime
        When; naive means Beijing time. Not before the last entry.
    by : str
        Who made the change (a role such as 社区工作者, 物业, 居民).
    reason : str, optional
        Why; required to go back.

    Returns
    -------
    tuple of history entries
        ``history`` plus one :class:`StatusChange`.

    Raises
    ------
    DemandTransitionError
        With reason code ``triage.skipped_step``, ``triage.backwards_without_reason``,
        ``triage.backwards_not_allowed``, ``triage.same_status``,
        ``triage.first_must_be_received``, ``triage.assign_needs_class``,
        ``triage.time_before_last``, ``triage.by_required`` or ``triage.bad_status``.
    """
    try:
        target = DemandStatus(to_status)
    except ValueError:
        raise DemandTransitionError(
            "triage.bad_status", value=repr(to_status), allowed="、".join(STATUS_ORDER)
        ) from None
    moment, role, note = _checked(history, at, by, reason)
    current = current_status(history)
    if current is None:
        if target is not DemandStatus.RECEIVED:
            raise DemandTransitionError("triage.first_must_be_received", target=_status(target))
        return (*history, StatusChange(None, target, moment, role, note))
    step = STATUS_ORDER.index(target) - STATUS_ORDER.index(current)
    if step == 0:
        raise DemandTransitionError("triage.same_status", current=_status(current))
    if step > 1:
        raise DemandTransitionError(
            "triage.skipped_step",
            current=_status(current),
            target=_status(target),
            next=_status(STATUS_ORDER[STATUS_ORDER.index(current) + 1]),
        )
    if step < 0 and target not in REOPEN_TARGETS:
        raise DemandTransitionError(
            "triage.backwards_not_allowed",
            current=_status(current),
            target=_status(target),
            allowed="、".join(i18n.label("demand_status", s) for s in sorted(REOPEN_TARGETS, key=STATUS_ORDER.index)),
        )
    if step < 0 and note is None:
        raise DemandTransitionError("triage.backwards_without_reason", current=_status(current), target=_status(target))
    if target is DemandStatus.ASSIGNED and current_class(history) is None:
        # the class decides who it is assigned to
        raise DemandTransitionError("triage.assign_needs_class")
    return (*history, StatusChange(current, target, moment, role, note))


def classify(
    history: History, triage_class: TriageClass | str, at: datetime, by: str, reason: str | None = None
) -> History:
    """Return ``history`` with the demand's class confirmed, or changed (with a reason).

    Parameters
    ----------
    history : tuple of history entries
        Must start with the demand's receipt.
    triage_class : TriageClass or str
        ``major``, ``minor`` or ``private``.
    at : datetime
        When; naive means Beijing time.
    by : str
        Who decided.
    reason : str, optional
        Why; required to reclassify an already classified demand.

    Raises
    ------
    DemandTransitionError
        ``triage.not_received``, ``triage.same_class``,
        ``triage.reclassify_without_reason`` or ``triage.bad_class``.
    """
    try:
        target = TriageClass(triage_class)
    except ValueError:
        raise DemandTransitionError(
            "triage.bad_class", value=repr(triage_class), allowed="、".join(TriageClass)
        ) from None
    if current_status(history) is None:
        raise DemandTransitionError("triage.not_received")
    moment, role, note = _checked(history, at, by, reason)
    current = current_class(history)
    if current is target:
        raise DemandTransitionError("triage.same_class", current=_class(current))
    if current is not None and note is None:
        raise DemandTransitionError("triage.reclassify_without_reason", current=_class(current), target=_class(target))
    return (*history, ClassChange(current, target, moment, role, note))


def escalate(history: History, to_level: Level | str, at: datetime, by: str, reason: str) -> History:
    """Return ``history`` with a 大事 escalated to the 街道 or the 12345 hotline.

    Parameters
    ----------
    history : tuple of history entries
        The demand must be classified ``major`` and not yet resolved.
    to_level : Level or str
        ``street`` or ``hotline_12345``.
    at : datetime
        When; naive means Beijing time.
    by : str
        Who escalated it.
    reason : str
        Why the community could not settle it (required).

    Raises
    ------
    DemandTransitionError
        ``triage.escalate_bad_target``, ``triage.not_received``,
        ``triage.escalate_only_major``, ``triage.escalate_after_resolution``,
        ``triage.already_escalated`` or ``triage.escalate_without_reason``.
    """
    if to_level not in set(ESCALATION_TARGETS):
        raise DemandTransitionError(
            "triage.escalate_bad_target",
            value=repr(to_level),
            allowed="、".join(i18n.t(f"triage.level.{lv}") for lv in ESCALATION_TARGETS),
        )
    target = Level(to_level)
    status = current_status(history)
    if status is None:
        raise DemandTransitionError("triage.not_received")
    moment, role, note = _checked(history, at, by, reason)
    triage_class = current_class(history)
    if triage_class is not TriageClass.MAJOR:
        raise DemandTransitionError("triage.escalate_only_major", current=_class(triage_class))
    if status in CLOSED:
        raise DemandTransitionError("triage.escalate_after_resolution", current=_status(status))
    already = escalated_to(history)
    if already is not None and LEVEL_ORDER.index(already) >= LEVEL_ORDER.index(target):
        raise DemandTransitionError("triage.already_escalated", current=_level(already), target=_level(target))
    if note is None:
        raise DemandTransitionError("triage.escalate_without_reason")
    return (*history, Escalation(target, moment, role, note))


#: columns of a stored history (one row per entry; ``demand_id`` added by the caller's table)
HISTORY_COLUMNS: tuple[str, ...] = ("demand_id", "seq", "event", "at", "from_value", "to_value", "by_role", "reason")


def history_frame(demand_id: str, history: History) -> pd.DataFrame:
    """Return a demand's history as rows to store (columns :data:`HISTORY_COLUMNS`).

    ``seq`` numbers the entries from 0 so that two entries at the same minute
    keep their order.
    """
    return pd.DataFrame(history_rows(demand_id, history), columns=list(HISTORY_COLUMNS))


def history_rows(demand_id: str, history: History, start: int = 0) -> list[dict[str, Any]]:
    """Return the entries of a history from ``start`` on as rows to store (what :func:`history_frame` holds)."""
    rows = []
    for seq, entry in enumerate(history[start:], start):
        if isinstance(entry, StatusChange):
            kind, old, new = EventKind.STATUS, entry.from_status, entry.to_status
        elif isinstance(entry, ClassChange):
            kind, old, new = EventKind.CLASS, entry.from_class, entry.to_class
        else:
            kind, old, new = EventKind.ESCALATION, None, entry.to_level
        rows.append(
            {
                "demand_id": demand_id,
                "seq": seq,
                "event": str(kind),
                "at": entry.at,
                "from_value": None if old is None else str(old),
                "to_value": str(new),
                "by_role": entry.by_role,
                "reason": entry.reason,
            }
        )
    return rows


def histories_from_frame(frame: pd.DataFrame) -> dict[str, History]:
    """Rebuild histories from stored rows, replaying every rule so a bad row cannot slip in.

    Raises
    ------
    TriageError
        ``triage.missing_columns`` or ``triage.bad_history_event``.
    DemandTransitionError
        When the stored entries break the workflow (edited by hand, say).
    """
    _require_columns(frame, HISTORY_COLUMNS, "history")
    histories: dict[str, History] = {}
    rows = frame.to_dict("records")
    try:  # one demand's rows come in order: sorting costs more than checking
        ordered = all((a["demand_id"], a["seq"]) <= (b["demand_id"], b["seq"]) for a, b in pairwise(rows))
    except TypeError:  # a blank id or seq: let pandas order it
        ordered = False
    if not ordered:
        rows = frame.sort_values(["demand_id", "seq"], kind="stable").to_dict("records")
    for row in rows:
        demand_id = str(row["demand_id"])
        history = histories.get(demand_id, ())
        at = _as_datetime(row["at"])
        reason = row["reason"] if _present(row["reason"]) else None
        by = str(row["by_role"]) if _present(row["by_role"]) else ""
        event = str(row["event"])
        if event == EventKind.STATUS:
            history = apply_transition(history, row["to_value"], at, by, reason)
        elif event == EventKind.CLASS:
            history = classify(history, row["to_value"], at, by, reason)
        elif event == EventKind.ESCALATION:
            history = escalate(history, row["to_value"], at, by, reason or "")
        else:
            raise TriageError("triage.bad_history_event", demand_id=demand_id, value=event)
        histories[demand_id] = history
    return histories


# --- the dashboard -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ResolutionFigure:
    """How many resolved demands of one class stayed at their level (e.g. 小事不出小区).

    Demands count by the class first confirmed: a 小事 later sent up as a 大事,
    or a 大事 escalated to the 街道, did not stay.
    """

    triage_class: TriageClass
    level: Level
    resolved: int
    kept_within: int

    @property
    def share(self) -> float | None:
        """``kept_within / resolved``, None when nothing was resolved."""
        return self.kept_within / self.resolved if self.resolved else None

    @property
    def slogan_key(self) -> str:
        """The i18n key of the slogan this figure measures."""
        return HANDLING[self.triage_class].slogan_key


@dataclass(frozen=True)
class DashboardFigures:
    """The triage figures at one moment.

    Parameters
    ----------
    now : datetime
        The moment the figures are for (Beijing time).
    total : int
        Demands in the table.
    by_class, by_status, by_category : mapping of code to count
        Every code of the enum, zeros included; ``unclassified`` counts the
        demands with no class yet.
    overdue : tuple of str
        Demand ids still awaiting a reply past their deadline, most overdue first.
    follow_up_overdue : tuple of str
        Resolved demands whose follow-up visit and rating are past due.
    replied, replied_on_time : int
        Demands replied to, and of them those whose first reply came by the deadline.
    resolution : tuple of ResolutionFigure
        私事/小事/大事: 邻里事不出楼栋，小事不出小区，大事不出社区.
    """

    now: datetime
    total: int
    by_class: Mapping[str, int]
    unclassified: int
    by_status: Mapping[str, int]
    by_category: Mapping[str, int]
    overdue: tuple[str, ...]
    follow_up_overdue: tuple[str, ...]
    replied: int
    replied_on_time: int
    resolution: tuple[ResolutionFigure, ...]

    @property
    def on_time_reply_rate(self) -> float | None:
        """Replied by the deadline / replied; None when nothing was replied to yet."""
        return self.replied_on_time / self.replied if self.replied else None

    def resolution_for(self, triage_class: TriageClass | str) -> ResolutionFigure:
        """Return the resolution figure of one class."""
        return next(f for f in self.resolution if f.triage_class == triage_class)

    def _repr_html_(self) -> str:
        """Show the figures in a notebook as a small table."""
        rows = [
            (i18n.t("triage.dashboard.total"), self.total),
            *((i18n.label("triage_class", c), n) for c, n in self.by_class.items()),
            (i18n.t("triage.unclassified"), self.unclassified),
            *((i18n.label("demand_status", s), n) for s, n in self.by_status.items()),
            (i18n.t("triage.dashboard.overdue"), len(self.overdue)),
            (i18n.t("triage.dashboard.follow_up_overdue"), len(self.follow_up_overdue)),
            (i18n.t("triage.dashboard.on_time_reply_rate"), _percent(self.on_time_reply_rate)),
            *((i18n.t(f.slogan_key), f"{_percent(f.share)}（{f.kept_within}/{f.resolved}）") for f in self.resolution),
        ]
        body = "".join(f"<tr><th>{html_text(k)}</th><td>{html_text(v)}</td></tr>" for k, v in rows)
        return f'<table class="cogov-dashboard">{body}</table>'


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def _present(value: Any) -> bool:
    return not is_blank(value)


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return local_time(value)
    if isinstance(value, date):
        return local_time(datetime(value.year, value.month, value.day))
    stamp = pd.Timestamp(value)  # ISO text, numpy datetime64 …
    if pd.isna(stamp):
        raise ValueError(value)
    return local_time(stamp.to_pydatetime())


def _require_columns(frame: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise TriageError("triage.missing_columns", table=table, columns="、".join(missing))


#: the columns :func:`dashboard` needs; urgency, triage_class, status, due_at and reported_on are used when present
DASHBOARD_REQUIRED: tuple[str, ...] = ("demand_id", "category")
_CODED_COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "category": ENUMS["demand_category"],
        "urgency": ENUMS["demand_urgency"],
        "triage_class": ENUMS["triage_class"],
        "status": ENUMS["demand_status"],
    }
)
_STATUS_RANK: Mapping[str, int] = MappingProxyType({str(s): i for i, s in enumerate(STATUS_ORDER)})
_LEVEL_RANK: Mapping[str, int] = MappingProxyType({str(lv): i for i, lv in enumerate(LEVEL_ORDER)})
_CLASS_LEVEL_RANK: Mapping[str, int] = MappingProxyType({str(c): _LEVEL_RANK[h.level] for c, h in HANDLING.items()})
#: an offset after a time of day ("…09:00:00+08:00", "…01:00Z"); a bare date's "-24" is none
_OFFSET_PATTERN = re.compile(r"\d:\d\d(?::\d\d(?:[.,]\d+)?)?\s*(?:[Zz]|[+-]\d\d(?::?\d\d)?)$")
#: the dtype of a column of moments: aware, Beijing time
_MOMENT = pd.DatetimeTZDtype(unit="ns", tz=SHANGHAI)


def _moments(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a column of moments in whole: aware Beijing times, and a mask of the present values that are no moment.

    Each distinct value is parsed once. ISO text with an offset is converted,
    without one it is Beijing time (as :func:`local_time` takes a naive
    moment); what ISO parsing does not read (other spellings, date and
    datetime objects) goes through the same per-value reading as one history
    entry, so both agree.
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = values if values.dt.tz is not None else values.dt.tz_localize(SHANGHAI)
        return stamps.dt.tz_convert(SHANGHAI).astype(_MOMENT), pd.Series(False, index=values.index)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    distinct = pd.Series(np.asarray(uniques, dtype=object), dtype=object)
    parsed = pd.Series(pd.NaT, index=distinct.index, dtype=_MOMENT)
    text = distinct[[isinstance(v, str) for v in distinct]].str.strip()
    aware = np.array([bool(_OFFSET_PATTERN.search(v)) for v in text], dtype=bool)
    if aware.any():
        stamps = pd.to_datetime(text[aware], format="ISO8601", utc=True, errors="coerce")
        parsed.loc[text.index[aware]] = stamps.dt.tz_convert(SHANGHAI)
    if (~aware).any():
        stamps = pd.to_datetime(text[~aware], format="ISO8601", errors="coerce")
        parsed.loc[text.index[~aware]] = stamps.dt.tz_localize(SHANGHAI)
    blank = [is_blank(v) for v in distinct]
    bad = [False] * len(distinct)
    # objects, and text ISO parsing refused: read one by one, as a single entry would be
    for position in [i for i, (b, p) in enumerate(zip(blank, parsed.isna(), strict=True)) if not b and p]:
        try:
            parsed.iloc[position] = _as_datetime(distinct.iloc[position])
        except (ValueError, TypeError):
            bad[position] = True
    taken = pd.Series(parsed.array.take(codes, allow_fill=True), index=values.index)
    is_bad = np.append(np.asarray(bad, dtype=bool), False)[codes]
    return taken, pd.Series(is_bad, index=values.index)


def _texts(values: pd.Series) -> pd.Series:
    """Return a column as stripped text, blanks (None, NaN, NA, empty or spaces) as None (each distinct value once)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    distinct = np.asarray(uniques, dtype=object)
    if all(type(v) is str for v in distinct):  # text as read from a table: strip, blank is empty
        cleaned = [v.strip() or None for v in distinct]
    else:
        cleaned = [None if is_blank(v) else str(v).strip() for v in distinct]
    return pd.Series(np.array([*cleaned, None], dtype=object)[codes], index=values.index, dtype=object)


def _read_demands(demands: pd.DataFrame) -> pd.DataFrame:
    """Check the demands table in whole columns, collecting every problem before raising; return it read.

    The frame returned has ``demand_id``, the coded columns (stripped text or
    None; urgency ``general`` when blank) and ``due_at`` and ``reported_on``
    as aware Beijing times (NaT when blank).
    """
    _require_columns(demands, DASHBOARD_REQUIRED, "demands")
    frame = demands.reset_index(drop=True)
    # rows counted as a person sees a sheet: header row 1, first demand row 2
    row_numbers = frame.index + 2
    problems: list[tuple[int, int, Problem]] = []

    def stripped(column: str) -> pd.Series:
        if column not in frame:
            return pd.Series(None, index=frame.index, dtype=object)
        return _texts(frame[column])

    out = pd.DataFrame(index=frame.index)
    ids = stripped("demand_id")
    for position in ids.index[ids.isna()]:
        problems.append((position, 0, Problem("triage.blank_id", row=row_numbers[position], column="demand_id")))
    repeated = ids.notna() & ids.duplicated()
    for position in ids.index[repeated]:
        params = {"value": ids[position]}
        problem = Problem("triage.duplicate_id", row=row_numbers[position], column="demand_id", params=params)
        problems.append((position, 0, problem))
    out["demand_id"] = ids.fillna("")
    for order, (column, allowed) in enumerate(_CODED_COLUMNS.items(), 1):
        values = stripped(column)
        if column == "category":
            for position in values.index[values.isna()]:
                problem = Problem("triage.blank_category", row=row_numbers[position], column=column)
                problems.append((position, order, problem))
        unknown = values.notna() & ~values.isin(allowed)
        for position in values.index[unknown]:
            params = {"value": repr(values[position]), "allowed": "、".join(allowed)}
            problem = Problem("triage.bad_code", row=row_numbers[position], column=column, params=params)
            problems.append((position, order, problem))
        out[column] = values.where(~unknown, None)
    out["urgency"] = out["urgency"].fillna(str(DemandUrgency.GENERAL))
    for order, column in enumerate(("due_at", "reported_on"), 10):
        if column not in frame:
            out[column] = pd.Series(pd.NaT, index=frame.index, dtype=_MOMENT)
            continue
        out[column], bad = _moments(frame[column])
        for position in bad.index[bad]:
            params = {"value": repr(frame[column][position])}
            problem = Problem("triage.bad_datetime", row=row_numbers[position], column=column, params=params)
            problems.append((position, order, problem))
    if problems:
        ordered = [p for _, _, p in sorted(problems, key=lambda item: item[:2])]
        raise TriageError("triage.bad_demands", problems=ordered, count=len(ordered))
    return out


#: the history columns the dashboard reads (a step back is found from the order of steps, not ``from_value``)
DASHBOARD_HISTORY_COLUMNS: tuple[str, ...] = ("demand_id", "seq", "event", "at", "to_value")
_HISTORY_FIGURES: tuple[str, ...] = (
    "status",
    "triage_class",
    "original_class",
    "received_at",
    "replied_at",
    "reopened_at",
    "resolved_at",
    "resolution_rank",
)


def _history_figures(events: pd.DataFrame) -> pd.DataFrame:
    """Return, per demand id, what the dashboard needs of its history, from the stored rows in whole columns.

    Columns: ``status`` and ``triage_class`` now, ``original_class`` (first
    confirmed), ``received_at`` and ``replied_at`` (first), ``reopened_at``
    and ``resolved_at`` (last), ``resolution_rank`` (the level of the last
    resolution, as in :func:`resolution_level`).
    """
    _require_columns(events, DASHBOARD_HISTORY_COLUMNS, "history")
    if not len(events):
        return pd.DataFrame(columns=list(_HISTORY_FIGURES), index=pd.Index([], name="demand_id"))
    # the demand ids hashed once; every grouping below is by their integer code
    key, ids = pd.factorize(events["demand_id"].astype(str))
    kinds = events["event"].astype(str).to_numpy(dtype=object)
    unknown = ~np.isin(kinds, [str(k) for k in EventKind])
    if unknown.any():
        first = int(np.flatnonzero(unknown)[0])
        raise TriageError("triage.bad_history_event", demand_id=ids[key[first]], value=str(kinds[first]))
    at, bad = _moments(events["at"])
    missing = (bad | at.isna()).to_numpy()
    if missing.any():
        first = int(np.flatnonzero(missing)[0])
        raise TriageError("triage.bad_history_at", demand_id=ids[key[first]], value=repr(events["at"].iloc[first]))
    rows = pd.DataFrame(
        {"key": key, "seq": events["seq"].to_numpy(), "event": kinds, "at": at.array, "to": events["to_value"].array}
    )
    rows["to"] = rows["to"].astype(str)
    allowed = {
        EventKind.STATUS: [str(v) for v in DemandStatus],
        EventKind.CLASS: [str(v) for v in TriageClass],
        EventKind.ESCALATION: [str(v) for v in ESCALATION_TARGETS],
    }
    wrong = np.zeros(len(rows), dtype=bool)
    for kind, values in allowed.items():
        wrong |= (rows["event"].eq(kind) & ~rows["to"].isin(values)).to_numpy()
    if wrong.any():  # what no verb could have written (a hand edit): refused, as replaying it would be
        first = rows[wrong].iloc[0]
        raise TriageError(
            "triage.bad_history_event", demand_id=ids[first["key"]], value=f"{first['event']}: {first['to']}"
        )
    # within a demand, entries in their order (the order between demands does not matter to a grouping)
    rows = rows.sort_values("seq", kind="stable").reset_index(drop=True)
    is_status = rows["event"].eq(EventKind.STATUS).to_numpy()
    is_class = rows["event"].eq(EventKind.CLASS).to_numpy()
    is_escalation = rows["event"].eq(EventKind.ESCALATION).to_numpy()
    out = pd.DataFrame(index=pd.RangeIndex(len(ids)))
    status_rows = rows[is_status]
    class_rows = rows[is_class]
    out["status"] = status_rows.groupby("key")["to"].last()
    out["triage_class"] = class_rows.groupby("key")["to"].last()
    out["original_class"] = class_rows.groupby("key")["to"].first()
    for column, status, pick in (
        ("received_at", DemandStatus.RECEIVED, "first"),
        ("replied_at", DemandStatus.REPLIED, "first"),
        ("resolved_at", DemandStatus.RESOLVED, "last"),
    ):
        chosen = status_rows[status_rows["to"].eq(status).to_numpy()]
        out[column] = chosen.groupby("key")["at"].agg(pick)
    # a step back (re-opening) is a status lower than the one before it
    rank = status_rows["to"].map(_STATUS_RANK)
    before = rank.groupby(status_rows["key"]).shift()
    reopenings = status_rows[(before.notna() & (rank < before)).to_numpy()]
    out["reopened_at"] = reopenings.groupby("key")["at"].last()
    # the level of a resolution: the class in force then, or the highest escalation by then, whichever is higher
    class_rank = rows["to"].map(_CLASS_LEVEL_RANK).where(is_class)
    class_rank = class_rank.groupby(rows["key"]).ffill()
    escalation_rank = rows["to"].map(_LEVEL_RANK).where(is_escalation)
    escalation_rank = escalation_rank.groupby(rows["key"]).cummax().groupby(rows["key"]).ffill()
    level_rank = np.fmax(class_rank.to_numpy(dtype=float), escalation_rank.to_numpy(dtype=float))
    resolved = is_status & rows["to"].eq(DemandStatus.RESOLVED).to_numpy()
    out["resolution_rank"] = pd.Series(level_rank[resolved]).groupby(rows["key"].to_numpy()[resolved]).last()
    out.index = pd.Index(ids, name="demand_id")
    return out[list(_HISTORY_FIGURES)]


def _deadlines(moments: pd.Series, urgency: pd.Series, policy: DeadlinePolicy) -> pd.Series:
    """Return the reply deadline from each present moment at each urgency (one computation per distinct pair)."""
    out = pd.Series(pd.NaT, index=moments.index, dtype=_MOMENT)
    present = moments.notna()
    if present.any():
        pairs = pd.DataFrame({"at": moments[present], "urgency": urgency[present]})
        due = {
            (at, u): deadline_for(at.to_pydatetime(), u, policy).due_at
            for at, u in pairs.drop_duplicates().itertuples(index=False)
        }
        out.loc[pairs.index] = [due[(at, u)] for at, u in pairs.itertuples(index=False)]
    return out


def _follow_ups(resolved_at: pd.Series, policy: DeadlinePolicy) -> pd.Series:
    """Return when each follow-up visit is due: one computation per distinct day of resolution.

    The deadline is office close on the Nth working day after the day (never
    before the moment itself), so it is computed from the day's midnight and
    the later of the two taken.
    """
    out = pd.Series(pd.NaT, index=resolved_at.index, dtype=_MOMENT)
    present = resolved_at.dropna()
    if len(present):
        days = present.dt.normalize()
        due = {d: follow_up_deadline(d.to_pydatetime(), policy).due_at for d in days.unique()}
        end = pd.Series([due[d] for d in days], index=present.index).astype(out.dtype)
        out.loc[present.index] = end.where(end >= present, present)
    return out


def _sorted_ids(due: pd.Series, ids: pd.Series) -> tuple[str, ...]:
    """Demand ids ordered by deadline, then id (most overdue first)."""
    if not len(ids):
        return ()
    id_rank, _ = pd.factorize(ids, sort=True)
    order = np.lexsort((id_rank, due.to_numpy(dtype="datetime64[ns]", na_value=np.datetime64("NaT"))))
    return tuple(ids.to_numpy(dtype=object)[order])


def dashboard_frames(
    demands: pd.DataFrame,
    events: pd.DataFrame,
    now: datetime,
    *,
    policy: DeadlinePolicy = DEFAULT_POLICY,
) -> DashboardFigures:
    """Return the triage figures of a demands table and its stored history rows at ``now``, in whole columns.

    What :func:`dashboard` returns for the histories these rows hold, computed
    with pandas over the two tables (no loop over demands), so the dashboard
    of a street's 100,000 demands opens in the time pandas takes to read them.
    ``events`` has :data:`HISTORY_COLUMNS` (the ``demand_events`` table). The
    rows are read as stored: the rules are replayed when one demand's history
    is read (:func:`histories_from_frame`), not here.

    Raises
    ------
    TriageError
        As :func:`dashboard`; ``triage.bad_history_event`` or
        ``triage.bad_history_at`` for a history row no demand history can hold.
    """
    moment = pd.Timestamp(local_time(now))
    table = _read_demands(demands)
    known = _history_figures(events)
    strays = sorted(set(known.index) - set(table["demand_id"]))
    if strays:
        warnings.warn(TriageWarning(ids="、".join(strays), count=len(strays)), stacklevel=3)
    joined = table.join(known.add_suffix("_history"), on="demand_id")
    status = joined["status_history"].fillna(joined["status"]).fillna(str(DemandStatus.RECEIVED))
    triage_class = joined["triage_class_history"].fillna(joined["triage_class"])

    by_class = dict.fromkeys(map(str, TriageClass), 0)
    by_class.update({k: int(v) for k, v in triage_class.value_counts().items()})
    by_status = dict.fromkeys(map(str, DemandStatus), 0)
    by_status.update({k: int(v) for k, v in status.value_counts().items()})
    by_category = dict.fromkeys(ENUMS["demand_category"], 0)
    by_category.update({k: int(v) for k, v in joined["category"].value_counts().items()})

    received_at = joined["received_at_history"].fillna(joined["reported_on"])
    due = joined["due_at"].copy()
    counted = due.isna() & received_at.notna()
    due[counted] = _deadlines(received_at[counted], joined["urgency"][counted], policy)
    first_reply = joined["replied_at_history"]
    replied = first_reply.notna() & due.notna()

    # a re-opened demand owes a fresh reply, counted from the re-opening
    awaiting = status.isin([str(s) for s in AWAITING_REPLY])
    reopened = awaiting & joined["reopened_at_history"].notna()
    reply_due = due.where(awaiting)
    reply_due[reopened] = _deadlines(joined["reopened_at_history"][reopened], joined["urgency"][reopened], policy)
    overdue = awaiting & reply_due.notna() & (reply_due < moment)

    waiting_visit = (status == DemandStatus.RESOLVED) & joined["resolved_at_history"].notna()
    visit_due = _follow_ups(joined["resolved_at_history"][waiting_visit], policy)
    visit_overdue = visit_due < moment

    closed = status.isin([str(s) for s in CLOSED])
    original = joined["original_class_history"].fillna(triage_class)
    counted_class = closed & original.notna()
    fallback = triage_class.fillna(original).map(_CLASS_LEVEL_RANK)
    level = joined["resolution_rank_history"].fillna(fallback)
    kept_within = level <= original.map(_CLASS_LEVEL_RANK)
    resolved = original[counted_class].value_counts()
    kept = original[counted_class & kept_within].value_counts()
    resolution = tuple(
        ResolutionFigure(c, HANDLING[c].level, int(resolved.get(str(c), 0)), int(kept.get(str(c), 0)))
        for c in (TriageClass.PRIVATE, TriageClass.MINOR, TriageClass.MAJOR)
    )
    return DashboardFigures(
        now=moment.to_pydatetime(),
        total=len(joined),
        by_class=MappingProxyType(by_class),
        unclassified=int(triage_class.isna().sum()),
        by_status=MappingProxyType(by_status),
        by_category=MappingProxyType(by_category),
        overdue=_sorted_ids(reply_due[overdue], joined["demand_id"][overdue]),
        follow_up_overdue=_sorted_ids(visit_due[visit_overdue], joined["demand_id"][waiting_visit][visit_overdue]),
        replied=int(replied.sum()),
        replied_on_time=int((first_reply[replied] <= due[replied]).sum()),
        resolution=resolution,
    )


def dashboard(
    demands: pd.DataFrame,
    histories: Mapping[str, History],
    now: datetime,
    *,
    policy: DeadlinePolicy = DEFAULT_POLICY,
) -> DashboardFigures:
    """Return the triage figures of a demands table at the moment ``now``.

    Parameters
    ----------
    demands : pandas.DataFrame
        The ``demands`` table: ``demand_id`` and ``category`` required;
        ``urgency`` (blank = general), ``triage_class``, ``status``, ``due_at``
        and ``reported_on`` used when present.
    histories : mapping of demand id to history
        What happened to each demand. Where a history holds a status or a
        class, it wins over the table's column (the history is the record of
        every change; the column is a copy). A demand with neither counts as
        received.
    now : datetime
        The moment of the figures; naive means Beijing time.
    policy : DeadlinePolicy
        Used for demands with no ``due_at``, for re-opened demands and for
        follow-up visits.

    Returns
    -------
    DashboardFigures
        Reply deadlines are the table's ``due_at`` or, when blank, counted
        from receipt (the first ``received`` entry, else ``reported_on`` at
        00:00). A re-opened demand owes a new reply, due counted from the
        re-opening. A reply is on time when the *first* reply came by the
        original deadline. Computed by :func:`dashboard_frames` over the
        histories' rows.

    Raises
    ------
    TriageError
        ``triage.missing_columns``, or ``triage.bad_demands`` listing every
        bad row (blank or repeated id, unknown code, unreadable date).

    Warns
    -----
    TriageWarning
        For histories of demands that are not in the table (left out).
    """
    rows = [row for demand_id, history in histories.items() for row in history_rows(str(demand_id), tuple(history))]
    events = pd.DataFrame(rows, columns=list(HISTORY_COLUMNS))
    return dashboard_frames(demands, events, now, policy=policy)


__all__ = [
    "TriageClass",
    "DemandStatus",
    "STATUS_ORDER",
    "REOPEN_TARGETS",
    "AWAITING_REPLY",
    "CLOSED",
    "Level",
    "LEVEL_ORDER",
    "ESCALATION_TARGETS",
    "TriageScope",
    "EventKind",
    "Handling",
    "HANDLING",
    "PLACE_SCOPE",
    "TriageRule",
    "DEFAULT_RULES",
    "Suggestion",
    "suggest_class",
    "StatusChange",
    "ClassChange",
    "Escalation",
    "HistoryEntry",
    "History",
    "current_status",
    "current_class",
    "escalated_to",
    "first_at",
    "resolution_level",
    "apply_transition",
    "classify",
    "escalate",
    "HISTORY_COLUMNS",
    "history_frame",
    "history_rows",
    "DASHBOARD_HISTORY_COLUMNS",
    "histories_from_frame",
    "ResolutionFigure",
    "DashboardFigures",
    "dashboard",
    "dashboard_frames",
]
