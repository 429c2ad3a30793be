"""The pilot's assessment indicators (评估验收, 回头看): each with its definition, computed from plain frames.

:func:`compute_ledger` turns an :class:`AssessmentData` (the workspace's
tables as frames, gathered by :mod:`cogov_toolkit.workflows.assessment`) into
a :class:`Ledger`: one :class:`IndicatorResult` per indicator of
:data:`INDICATORS`, each with

* its definition, shown wherever the figure is (catalog ``indicator.<key>.definition``);
* its value, or **None when there is no data** — shown as 无数据, never as 0:
  a share with nothing to divide by, or a sum over no records at all;
* its numerator and denominator (for shares), and the records behind it,
  with a ``shortfall`` column marking the records that count against it;
* its target (set by the planner or read from the 街道's 考核表) and whether it is met.

The 回头看 list (:meth:`Ledger.look_back`) is every indicator below its target,
with the records behind the gap. Participation is counted per channel (votes,
surveys, workshops): an anonymous survey answer or a head count cannot name a
household, so it is never merged into a household figure. Records behind an
indicator never hold a household id, a name or a choice: they are what the
ledger workbook publishes. Pure: pandas and the core rules, no files, no workspace.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.adoption import DEFAULT_ADOPTION_POLICY, AdoptionPolicy, term_for
from cogov_toolkit.core.cobuilding import (
    ContributionKind,
    MilestoneState,
    contributor_key,
    milestone_progress,
    to_fen,
    yuan_text,
)
from cogov_toolkit.core.evaluation import compare_phases
from cogov_toolkit.core.questionnaire import Question, Questionnaire, QuestionType
from cogov_toolkit.core.triage import (
    CLOSED,
    HANDLING,
    LEVEL_ORDER,
    ClassChange,
    DemandStatus,
    TriageClass,
    current_class,
    current_status,
    first_at,
    histories_from_frame,
    resolution_level,
)
from cogov_toolkit.core.values import is_blank, parse_date, parse_real
from cogov_toolkit.core.workdays import DemandUrgency, deadline_for, local_time
from cogov_toolkit.errors import AssessmentError, CogovError


# --- what an indicator is ------------------------------------------------------------------------
class Unit(StrEnum):
    """What an indicator's value counts (display ``indicator.unit.<code>``)."""

    SHARE = "share"  #: a proportion 0–1, shown as a percentage
    COUNT = "count"
    PERSON_TIMES = "person_times"  #: 人次
    HOURS = "hours"
    YUAN = "yuan"
    POINTS = "points"  #: a change on the 5-point satisfaction scale


class Status(StrEnum):
    """An indicator against its target (display ``indicator.status.<code>``)."""

    MET = "met"
    BELOW = "below"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"


@dataclass(frozen=True)
class IndicatorSpec:
    """One pilot indicator: its key, unit and the step of the plan it measures (display ``indicator.group.<code>``)."""

    key: str
    unit: Unit
    group: str

    def name(self, language: str | None = None) -> str:
        """The indicator's name."""
        return i18n.t(f"indicator.{self.key}.name", language)

    def definition(self, language: str | None = None) -> str:
        """How the indicator is computed, in words a planner and an assessor read."""
        return i18n.t(f"indicator.{self.key}.definition", language)


INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("participation_votes", Unit.SHARE, "participation"),
    IndicatorSpec("participation_surveys", Unit.SHARE, "participation"),
    IndicatorSpec("participation_workshops", Unit.PERSON_TIMES, "participation"),
    IndicatorSpec("participation_any", Unit.SHARE, "participation"),
    IndicatorSpec("demands_received", Unit.COUNT, "demands"),
    IndicatorSpec("demands_replied_on_time", Unit.SHARE, "demands"),
    IndicatorSpec("demands_resolved", Unit.SHARE, "demands"),
    IndicatorSpec("demands_kept_building", Unit.SHARE, "demands"),
    IndicatorSpec("demands_kept_neighbourhood", Unit.SHARE, "demands"),
    IndicatorSpec("demands_kept_community", Unit.SHARE, "demands"),
    IndicatorSpec("satisfaction_change", Unit.POINTS, "evaluation"),
    IndicatorSpec("idle_plots_renovated", Unit.SHARE, "sharing"),
    IndicatorSpec("adoption_zones_adopted", Unit.SHARE, "managing"),
    IndicatorSpec("adoption_care_on_schedule", Unit.SHARE, "managing"),
    IndicatorSpec("contributions_labour_hours", Unit.HOURS, "building"),
    IndicatorSpec("contributions_value", Unit.YUAN, "building"),
    IndicatorSpec("contributions_contributors", Unit.COUNT, "building"),
    IndicatorSpec("milestones_on_time", Unit.SHARE, "building"),
    IndicatorSpec("notices_on_time", Unit.SHARE, "evaluation"),
)
SPECS: Mapping[str, IndicatorSpec] = MappingProxyType({s.key: s for s in INDICATORS})
#: the class whose resolution each "kept within" indicator measures (邻里事不出楼栋，小事不出小区，大事不出社区)
KEPT_CLASS = MappingProxyType(
    {
        "demands_kept_building": TriageClass.PRIVATE,
        "demands_kept_neighbourhood": TriageClass.MINOR,
        "demands_kept_community": TriageClass.MAJOR,
    }
)
#: the evaluation item whose pre → post change is the satisfaction indicator (bundled questionnaires)
SATISFACTION_ITEM = "q_overall"


@dataclass(frozen=True)
class Target:
    """An indicator's target value (shares as 0–1), and where it came from."""

    indicator: str
    value: float
    source: str = "planner"  # schema enum target_source: planner / sheet
    sheet_file: str | None = None


def spec(key: str) -> IndicatorSpec:
    """Return the indicator ``key``; an unknown key raises AssessmentError listing the known ones."""
    try:
        return SPECS[key]
    except KeyError:
        raise AssessmentError("assessment.unknown_indicator", indicator=key, known="、".join(SPECS)) from None


_AT_LEAST = re.compile(r"^(?:≥|>=|不低于|不少于|至少|达到|>)")
_SUFFIXES = ("小时", "人次", "元", "个", "户", "条", "项", "人", "分", "次")


def parse_target(key: str, value: Any) -> float:
    """Return a target as the ledger compares it: "90%", "≥90%", "不低于0.9", "90" → 0.9 for a share.

    For a share, a number above 1 is read as a percentage ("90" → 0.9); "1.5万元"
    is 15000 for an amount; a unit after the number ("120小时") is allowed.

    Raises
    ------
    AssessmentError
        ``assessment.bad_target`` when no number can be read, or a share is above 100 %.
    """
    unit = spec(key).unit
    percent = False
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        text = _AT_LEAST.sub("", unicodedata.normalize("NFKC", str(value)).strip().replace(" ", ""))
        scale = 1.0
        if text.endswith("%"):
            percent, text = True, text[:-1]
        elif text.endswith("万元"):
            scale, text = 10000.0, text[:-2]
        else:
            text = next((text[: -len(s)] for s in _SUFFIXES if text.endswith(s)), text)
        try:
            number = parse_real(text) * scale
        except CogovError:
            raise AssessmentError("assessment.bad_target", indicator=spec(key).name(), value=str(value)) from None
        if percent:
            number /= 100
    if unit is Unit.SHARE and not percent and number > 1:
        number /= 100  # "90" for a share means 90 %
    if (unit is Unit.SHARE and not 0 <= number <= 1) or not math.isfinite(number):
        raise AssessmentError("assessment.bad_target", indicator=spec(key).name(), value=str(value))
    return number


# --- what the indicators are computed from -------------------------------------------------------
def _empty(*columns: str) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns))


@dataclass(frozen=True)
class AssessmentData:
    """The frames the indicators are computed from (each may be empty).

    ``vote_participation`` and ``survey_responses.household_id`` and
    ``signins`` come from the private side: household ids only, no names, no
    choices; the indicators use them to count households and never pass them on.

    Attributes
    ----------
    as_of : date
        The day of the assessment; later records are left out.
    households : DataFrame
        ``household_id`` of every household on the roster (the denominator of shares of households).
    votes : DataFrame
        ``vote_id``, ``question``.
    vote_participation : DataFrame
        ``vote_id``, ``household_id``: one row per household with a counted ballot.
    survey_responses : DataFrame
        ``project_id``, ``phase``, ``household_id`` (blank: anonymous), ``answers`` (dicts), ``submitted_at``.
    sessions, signins : DataFrame
        ``workshop_sessions`` (``session_id``, ``held_on``, ``title``, ``attendance``)
        and the sign-in sheets (``session_id``, ``household_id``).
    demands, demand_events : DataFrame
        The ``demands`` table and its history (``demand_events``).
    idle_plots, adoption_zones, adoptions, care_log : DataFrame
        The layers (without geometry) and tables of the same names.
    contributions, milestones : DataFrame
        The tables of the same names.
    notice_dues : DataFrame
        ``kind``, ``subject_id``, ``due_on``, ``deadline``, ``published_on``: every notice
        the community owed (a vote's decision, a project's 财务公开) and when it came.
    """

    as_of: dt.date
    households: pd.DataFrame = field(default_factory=lambda: _empty("household_id"))
    votes: pd.DataFrame = field(default_factory=lambda: _empty("vote_id", "question"))
    vote_participation: pd.DataFrame = field(default_factory=lambda: _empty("vote_id", "household_id"))
    survey_responses: pd.DataFrame = field(
        default_factory=lambda: _empty("project_id", "phase", "household_id", "answers", "submitted_at")
    )
    sessions: pd.DataFrame = field(default_factory=lambda: _empty("session_id", "held_on", "title", "attendance"))
    signins: pd.DataFrame = field(default_factory=lambda: _empty("session_id", "household_id"))
    demands: pd.DataFrame = field(default_factory=lambda: _empty("demand_id", "reported_on", "category"))
    demand_events: pd.DataFrame = field(
        default_factory=lambda: _empty("demand_id", "seq", "event", "at", "from_value", "to_value", "by_role", "reason")
    )
    idle_plots: pd.DataFrame = field(default_factory=lambda: _empty("plot_id", "number", "name", "status"))
    adoption_zones: pd.DataFrame = field(default_factory=lambda: _empty("zone_id", "number", "zone_type"))
    adoptions: pd.DataFrame = field(default_factory=lambda: _empty("adoption_id", "zone_id", "start_on", "end_on"))
    care_log: pd.DataFrame = field(default_factory=lambda: _empty("zone_id", "checked_on"))
    contributions: pd.DataFrame = field(
        default_factory=lambda: _empty("contribution_id", "contributed_on", "contributor_type", "kind")
    )
    milestones: pd.DataFrame = field(
        default_factory=lambda: _empty("milestone_id", "project_id", "name", "planned_on", "actual_on")
    )
    notice_dues: pd.DataFrame = field(
        default_factory=lambda: _empty("kind", "subject_id", "due_on", "deadline", "published_on")
    )
    satisfaction_item: str = SATISFACTION_ITEM
    adoption_policy: AdoptionPolicy = DEFAULT_ADOPTION_POLICY


# --- results -------------------------------------------------------------------------------------
SHORTFALL = "shortfall"  # the records column marking what counts against an indicator


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator computed: value (None = 无数据), its parts, the records behind it, target and status."""

    spec: IndicatorSpec
    value: float | None
    records: pd.DataFrame
    numerator: float | None = None
    denominator: float | None = None
    target: Target | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The indicator's key."""
        return self.spec.key

    @property
    def status(self) -> Status:
        """Met, below target, no target set, or no data."""
        if self.value is None:
            return Status.NO_DATA
        if self.target is None:
            return Status.NO_TARGET
        return Status.MET if self.value >= self.target.value - 1e-12 else Status.BELOW

    @property
    def gaps(self) -> pd.DataFrame:
        """The records that count against the indicator (all records when it has no such marking)."""
        if SHORTFALL in self.records.columns:
            return self.records[self.records[SHORTFALL].astype(bool)].reset_index(drop=True)
        return self.records

    def value_text(self, language: str | None = None) -> str:
        """The value for people: "66.7%（2/3）", "12 人次", "+0.50 分（95% 区间 +0.20 至 +0.80）", or 无数据."""
        if self.value is None:
            return i18n.t("indicator.no_data", language)
        text = format_value(self.spec.unit, self.value, language)
        if self.spec.unit is Unit.SHARE and self.numerator is not None:
            text += i18n.t(
                "indicator.fraction",
                language,
                numerator=_int_text(self.numerator),
                denominator=_int_text(self.denominator),
            )
        if self.spec.unit is Unit.POINTS and self.detail.get("low") is not None:
            text += i18n.t(
                "indicator.interval",
                language,
                low=_signed(self.detail["low"]),
                high=_signed(self.detail["high"]),
            )
        return text

    def target_text(self, language: str | None = None) -> str:
        """The target for people ("≥ 80.0%"), or "未设定"."""
        if self.target is None:
            return i18n.t("indicator.no_target_set", language)
        return i18n.t("indicator.at_least", language, value=format_value(self.spec.unit, self.target.value, language))

    def status_text(self, language: str | None = None) -> str:
        """达标 / 未达标 / 未设目标 / 无数据."""
        return i18n.t(f"indicator.status.{self.status.value}", language)


def _int_text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _signed(value: float) -> str:
    return f"{value:+.2f}"


def format_value(unit: Unit, value: float, language: str | None = None) -> str:
    """Return a value with its unit: "66.7%", "12 人次", "12.5 小时", "1,234.50 元", "+0.45 分"."""
    if unit is Unit.SHARE:
        return f"{100 * value:.1f}%"
    if unit is Unit.POINTS:
        return i18n.t("indicator.unit.points", language, value=_signed(value))
    if unit is Unit.YUAN:
        return i18n.t("indicator.unit.yuan", language, value=yuan_text(round(value * 100)))
    shown = _int_text(value) if unit is not Unit.HOURS else (f"{value:g}")
    return i18n.t(f"indicator.unit.{unit.value}", language, value=shown)


@dataclass(frozen=True)
class Ledger:
    """Every indicator of the pilot on one day: the 台账."""

    as_of: dt.date
    results: tuple[IndicatorResult, ...]

    def __getitem__(self, key: str) -> IndicatorResult:
        return next(r for r in self.results if r.key == key)

    def look_back(self) -> tuple[IndicatorResult, ...]:
        """The 回头看 list: every indicator below its target, in the order of :data:`INDICATORS`."""
        return tuple(r for r in self.results if r.status is Status.BELOW)


# --- helpers -------------------------------------------------------------------------------------
def _present(value: Any) -> bool:
    return not is_blank(value)


def _text(value: Any) -> str:
    return str(value).strip() if _present(value) else ""


def _day(value: Any) -> dt.date | None:
    if not _present(value):
        return None
    if isinstance(value, dt.datetime):
        return local_time(value).date()
    if isinstance(value, str) and "T" in value and (value.endswith("Z") or "+" in value[10:]):
        return local_time(pd.Timestamp(value).to_pydatetime()).date()
    return parse_date(value)


def _moment(value: Any) -> dt.datetime | None:
    if not _present(value):
        return None
    if isinstance(value, dt.datetime):
        return local_time(value)
    if isinstance(value, dt.date):
        return local_time(dt.datetime(value.year, value.month, value.day))
    return local_time(pd.Timestamp(str(value)).to_pydatetime())


def _until(frame: pd.DataFrame, column: str, as_of: dt.date) -> pd.DataFrame:
    """Rows dated on or before ``as_of`` (rows with no date are kept)."""
    if frame is None or frame.empty or column not in frame.columns:
        return frame if frame is not None else pd.DataFrame()
    keep = [(_day(v) is None) or _day(v) <= as_of for v in frame[column]]
    return frame[keep].reset_index(drop=True)


def _ids(frame: pd.DataFrame, column: str = "household_id") -> set[str]:
    if frame is None or frame.empty or column not in frame.columns:
        return set()
    return {_text(v) for v in frame[column] if _present(v)}


def _share(
    spec_: IndicatorSpec, numerator: int, denominator: int, records: pd.DataFrame, **detail: Any
) -> IndicatorResult:
    value = numerator / denominator if denominator else None
    return IndicatorResult(spec_, value, records, numerator, denominator, detail=detail)


# --- participation -------------------------------------------------------------------------------
def _roll(data: AssessmentData) -> set[str]:
    return _ids(data.households)


def _named_share(
    spec_: IndicatorSpec, named: set[str], roll: set[str], records: pd.DataFrame, **detail: Any
) -> IndicatorResult:
    """A share of households: 无数据 when the channel names no household of the roster (or there is no roster).

    A channel whose records are all anonymous says nothing about households, so it is not 0 %.
    """
    if not roll or not named:
        return IndicatorResult(spec_, None, records, len(named), len(roll), detail=detail)
    return _share(spec_, len(named), len(roll), records, **detail)


def participation_votes(data: AssessmentData) -> IndicatorResult:
    """Households with a counted ballot in at least one vote / households on the roster."""
    roll = _roll(data)
    ballots = _until(data.vote_participation, "submitted_at", data.as_of)
    voters: set[str] = set()
    rows = []
    questions = dict(zip(data.votes.get("vote_id", []), data.votes.get("question", []), strict=False))
    by_vote: dict[str, set[str]] = {}
    if ballots is not None and not ballots.empty:
        for vote_id, household in zip(ballots["vote_id"], ballots["household_id"], strict=True):
            if _present(household) and _text(household) in roll:
                by_vote.setdefault(_text(vote_id), set()).add(_text(household))
    for vote_id in sorted(by_vote):
        voters |= by_vote[vote_id]
        rows.append(
            {"vote_id": vote_id, "question": _text(questions.get(vote_id)), "households": len(by_vote[vote_id])}
        )
    records = pd.DataFrame(rows, columns=["vote_id", "question", "households"])
    return _named_share(SPECS["participation_votes"], voters, roll, records)


def participation_surveys(data: AssessmentData) -> IndicatorResult:
    """Households named in at least one survey or evaluation response / households; anonymous answers listed apart."""
    roll = _roll(data)
    frame = _until(data.survey_responses, "submitted_at", data.as_of)
    named: set[str] = set()
    groups: dict[tuple[str, str], dict[str, int]] = {}
    for record in frame.to_dict("records") if frame is not None else []:
        key = (_text(record.get("project_id")), _text(record.get("phase")))
        group = groups.setdefault(key, {"responses": 0, "named": 0, "anonymous": 0})
        group["responses"] += 1
        household = _text(record.get("household_id"))
        if household and household in roll:
            group["named"] += 1
            named.add(household)
        else:
            group["anonymous"] += 1
    rows = [
        {"project_id": p, "phase": i18n.label("evaluation_phase", ph), **counts}
        for (p, ph), counts in sorted(groups.items())
    ]
    records = pd.DataFrame(rows, columns=["project_id", "phase", "responses", "named", "anonymous"])
    anonymous = sum(g["anonymous"] for g in groups.values())
    return _named_share(SPECS["participation_surveys"], named, roll, records, anonymous=anonymous)


def participation_workshops(data: AssessmentData) -> IndicatorResult:
    """Attendance at workshop sessions, in person-times (人次): the head count, or the sign-ins where larger."""
    sessions = _until(data.sessions, "held_on", data.as_of)
    signed: dict[str, int] = {}
    if data.signins is not None and not data.signins.empty:
        for session_id in data.signins["session_id"]:
            signed[_text(session_id)] = signed.get(_text(session_id), 0) + 1
    rows = []
    for record in sessions.to_dict("records") if sessions is not None else []:
        session_id = _text(record.get("session_id"))
        head_count = int(parse_real(record["attendance"])) if _present(record.get("attendance")) else 0
        rows.append(
            {
                "session_id": session_id,
                "held_on": _day(record.get("held_on")),
                "title": _text(record.get("title")),
                "attendance": max(head_count, signed.get(session_id, 0)),
                "signed_in": signed.get(session_id, 0),
            }
        )
    records = pd.DataFrame(rows, columns=["session_id", "held_on", "title", "attendance", "signed_in"])
    value = float(records["attendance"].sum()) if len(records) else None
    return IndicatorResult(SPECS["participation_workshops"], value, records, detail={"sessions": len(records)})


def participation_any(data: AssessmentData) -> IndicatorResult:
    """Households named in at least one channel (a counted ballot, a named survey answer, a sign-in) / households.

    A lower bound: anonymous answers and head counts name no household and are not counted.
    """
    roll = _roll(data)
    voters = _ids(_until(data.vote_participation, "submitted_at", data.as_of)) & roll
    surveyed = _ids(_until(data.survey_responses, "submitted_at", data.as_of)) & roll
    held = set(_until(data.sessions, "held_on", data.as_of).get("session_id", pd.Series(dtype=str)).astype(str))
    signins = data.signins
    if signins is not None and not signins.empty:
        signins = signins[signins["session_id"].astype(str).isin(held)]
    signed = _ids(signins) & roll
    rows = [
        {"channel": i18n.t("indicator.channel.votes"), "households": len(voters)},
        {"channel": i18n.t("indicator.channel.surveys"), "households": len(surveyed)},
        {"channel": i18n.t("indicator.channel.workshops"), "households": len(signed)},
    ]
    records = pd.DataFrame(rows, columns=["channel", "households"])
    return _named_share(SPECS["participation_any"], voters | surveyed | signed, roll, records)


# --- demands -------------------------------------------------------------------------------------
DEMAND_COLUMNS = (
    "demand_id",
    "reported_on",
    "category",
    "triage_class",
    "status",
    "due_at",
    "replied_at",
    "replied_on_time",
    "resolved",
    "level",
    "kept_within",
)


def demand_records(data: AssessmentData) -> pd.DataFrame:
    """Return one row per demand received by ``as_of``: its deadline, first reply, whether on time, where resolved.

    The same rules as the triage dashboard (:func:`cogov_toolkit.core.triage.dashboard`):
    the history wins over the table's columns; the deadline is ``due_at`` or
    counted from receipt by urgency; a reply is on time when the *first* reply
    came by the deadline; a resolved demand is counted under the class first
    confirmed, and kept within its level when it was resolved at or below it.
    Where a demand has no history, the table's ``replied_at`` and ``status`` are used.
    The demand's text and reporter are never in the rows.
    """
    frame = _until(data.demands, "reported_on", data.as_of)
    histories = (
        histories_from_frame(data.demand_events) if data.demand_events is not None and len(data.demand_events) else {}
    )
    end_of_day = local_time(dt.datetime.combine(data.as_of, dt.time(23, 59, 59)))
    rows = []
    for record in frame.to_dict("records") if frame is not None else []:
        demand_id = _text(record.get("demand_id"))
        history = tuple(e for e in histories.get(demand_id, ()) if e.at <= end_of_day)
        status = current_status(history) or (
            DemandStatus(record["status"]) if _present(record.get("status")) else DemandStatus.RECEIVED
        )
        table_class = TriageClass(record["triage_class"]) if _present(record.get("triage_class")) else None
        triage_class = current_class(history) or table_class
        received = (
            first_at(history, DemandStatus.RECEIVED)
            or _moment(record.get("received_at"))
            or _moment(record.get("reported_on"))
        )
        urgency = DemandUrgency(record["urgency"]) if _present(record.get("urgency")) else DemandUrgency.GENERAL
        due = _moment(record.get("due_at")) or (deadline_for(received, urgency).due_at if received else None)
        replied = first_at(history, DemandStatus.REPLIED) or _moment(record.get("replied_at"))
        if replied is not None and replied > end_of_day:
            replied = None
        if replied is not None and due is not None:
            on_time: bool | None = replied <= due
        elif due is not None and due <= end_of_day:
            on_time = False  # the deadline passed with no reply
        else:
            on_time = None  # not yet due: not counted
        resolved = status in CLOSED
        classes = [e.to_class for e in history if isinstance(e, ClassChange)]
        original = classes[0] if classes else triage_class
        level, kept = None, None
        if resolved and original is not None:
            level = resolution_level(history) or HANDLING[triage_class or original].level
            kept = LEVEL_ORDER.index(level) <= LEVEL_ORDER.index(HANDLING[original].level)
        rows.append(
            {
                "demand_id": demand_id,
                "reported_on": _day(record.get("reported_on")),
                "category": i18n.label("demand_category", _text(record.get("category"))),
                "triage_class": original.value if original is not None else "",
                "status": i18n.label("demand_status", status.value),
                "due_at": due,
                "replied_at": replied,
                "replied_on_time": on_time,
                "resolved": resolved,
                "level": i18n.t(f"triage.level.{level.value}") if level is not None else "",
                "kept_within": kept,
            }
        )
    return pd.DataFrame(rows, columns=list(DEMAND_COLUMNS))


def demands_received(data: AssessmentData, records: pd.DataFrame) -> IndicatorResult:
    """Demands received (by ``reported_on``) up to the day of the assessment."""
    shown = records[["demand_id", "reported_on", "category", "triage_class", "status"]]
    return IndicatorResult(SPECS["demands_received"], float(len(records)) if len(records) else None, _classes(shown))


def demands_replied_on_time(data: AssessmentData, records: pd.DataFrame) -> IndicatorResult:
    """Of the demands replied to or whose deadline has passed: those first replied to by the deadline."""
    due = records[records["replied_on_time"].notna()].copy()
    due[SHORTFALL] = ~due["replied_on_time"].astype(bool)
    shown = due[["demand_id", "reported_on", "category", "due_at", "replied_at", "replied_on_time", SHORTFALL]]
    return _share(
        SPECS["demands_replied_on_time"],
        int(due["replied_on_time"].astype(bool).sum()),
        len(due),
        shown.reset_index(drop=True),
    )


def demands_resolved(data: AssessmentData, records: pd.DataFrame) -> IndicatorResult:
    """Demands resolved (办结, rated included) / demands received."""
    frame = records.copy()
    frame[SHORTFALL] = ~frame["resolved"].astype(bool)
    shown = _classes(frame[["demand_id", "reported_on", "category", "triage_class", "status", SHORTFALL]])
    return _share(SPECS["demands_resolved"], int(frame["resolved"].astype(bool).sum()), len(frame), shown)


def demands_kept(key: str, records: pd.DataFrame) -> IndicatorResult:
    """Resolved demands of one class resolved at or below its level / resolved demands of that class."""
    triage_class = KEPT_CLASS[key]
    frame = records[(records["triage_class"] == triage_class.value) & records["resolved"].astype(bool)].copy()
    frame[SHORTFALL] = ~frame["kept_within"].astype(bool)
    shown = _classes(frame[["demand_id", "category", "triage_class", "level", "kept_within", SHORTFALL]])
    return _share(SPECS[key], int(frame["kept_within"].astype(bool).sum()), len(frame), shown.reset_index(drop=True))


def _classes(frame: pd.DataFrame) -> pd.DataFrame:
    """Show triage codes as their labels (大事/小事/私事)."""
    frame = frame.copy()
    frame["triage_class"] = [i18n.label("triage_class", c) if c else "" for c in frame["triage_class"]]
    return frame.reset_index(drop=True)


# --- satisfaction --------------------------------------------------------------------------------
def satisfaction_change(data: AssessmentData) -> IndicatorResult:
    """The change of mean overall satisfaction (5 points) from 事前预评 to 事后评价, with its 95 % interval.

    Paired on households that answered both where at least two did, else the
    difference of means with Welch's interval (:func:`cogov_toolkit.core.evaluation.compare_phases`).
    """
    frame = _until(data.survey_responses, "submitted_at", data.as_of)
    item = data.satisfaction_item
    records = pd.DataFrame(columns=["phase", "responses", "mean"])
    if frame is None or frame.empty:
        return IndicatorResult(SPECS["satisfaction_change"], None, records)
    frame = frame.copy()
    frame["answers"] = [a if isinstance(a, Mapping) else {} for a in frame["answers"]]
    one_item = Questionnaire(item, item, item, (Question(item, QuestionType.INTEGER, item),))
    rows = []
    for phase in ("pre", "post"):
        values = pd.to_numeric(
            pd.Series([a.get(item) for a in frame.loc[frame["phase"] == phase, "answers"]]), errors="coerce"
        ).dropna()
        if len(values):
            rows.append(
                {
                    "phase": i18n.label("evaluation_phase", phase),
                    "responses": len(values),
                    "mean": round(float(values.mean()), 4),
                }
            )
    records = pd.DataFrame(rows, columns=["phase", "responses", "mean"])
    changes = compare_phases(frame, one_item, "pre", "post")
    if not changes:
        return IndicatorResult(SPECS["satisfaction_change"], None, records)
    change = changes[0]
    detail = {
        "before": change.before,
        "after": change.after,
        "low": None if math.isnan(change.low) else change.low,
        "high": None if math.isnan(change.high) else change.high,
        "method": change.method.value,
        "pairs": change.n_pairs,
    }
    return IndicatorResult(SPECS["satisfaction_change"], change.difference, records, detail=detail)


# --- sites, adoption, contributions, milestones, notices -----------------------------------------
def idle_plots_renovated(data: AssessmentData) -> IndicatorResult:
    """Idle plots whose status is 已完成 / idle plots."""
    rows = [
        {
            "plot_id": _text(r.get("plot_id")),
            "number": r.get("number"),
            "name": _text(r.get("name")),
            "status": i18n.label("idle_plot_status", _text(r.get("status"))),
            SHORTFALL: _text(r.get("status")) != "done",
        }
        for r in data.idle_plots.to_dict("records")
    ]
    records = pd.DataFrame(rows, columns=["plot_id", "number", "name", "status", SHORTFALL])
    return _share(SPECS["idle_plots_renovated"], int((~records[SHORTFALL].astype(bool)).sum()), len(records), records)


def _terms(data: AssessmentData) -> list[dict[str, Any]]:
    """The adoptions whose term covers ``as_of`` (end date, or the default term when blank)."""
    running = []
    for record in data.adoptions.to_dict("records"):
        start = _day(record.get("start_on"))
        if start is None:
            continue
        end = _day(record.get("end_on")) or term_for(start, data.adoption_policy).end_on
        if start <= data.as_of <= end:
            running.append({**record, "_start": start, "_end": end})
    return running


def adoption_zones_adopted(data: AssessmentData) -> IndicatorResult:
    """Adoption zones with an adoption whose term covers the day / adoption zones."""
    adopted = {_text(r["zone_id"]) for r in _terms(data)}
    rows = [
        {
            "zone_id": _text(z.get("zone_id")),
            "number": z.get("number"),
            "zone_type": i18n.label("adoption_zone_type", _text(z.get("zone_type"))),
            "adopted": _text(z.get("zone_id")) in adopted,
            SHORTFALL: _text(z.get("zone_id")) not in adopted,
        }
        for z in data.adoption_zones.to_dict("records")
    ]
    records = pd.DataFrame(rows, columns=["zone_id", "number", "zone_type", "adopted", SHORTFALL])
    return _share(SPECS["adoption_zones_adopted"], int(records["adopted"].astype(bool).sum()), len(records), records)


def adoption_care_on_schedule(data: AssessmentData) -> IndicatorResult:
    """Running adoptions cared for on schedule / running adoptions.

    On schedule: from the start of the term to the day of the assessment, no
    gap between two care checks (or from the start to the first check, or from
    the last check to the day) is longer than the zone type's care interval
    (tree 30 days, lawn 14, stairwell 7, public area 14).
    """
    types = {_text(z.get("zone_id")): _text(z.get("zone_type")) for z in data.adoption_zones.to_dict("records")}
    checks: dict[str, list[dt.date]] = {}
    for record in data.care_log.to_dict("records"):
        day = _day(record.get("checked_on"))
        if day is not None and day <= data.as_of:
            checks.setdefault(_text(record.get("zone_id")), []).append(day)
    rows = []
    for term in _terms(data):
        zone = _text(term["zone_id"])
        zone_type = types.get(zone) or _text(term.get("zone_type"))
        interval = data.adoption_policy.care_interval_days.get(zone_type)
        if interval is None:
            continue
        days = sorted(d for d in checks.get(zone, []) if d >= term["_start"])
        points = [term["_start"], *days, data.as_of]
        longest = max((b - a).days for a, b in zip(points, points[1:], strict=False))
        rows.append(
            {
                "adoption_id": _text(term.get("adoption_id")),
                "zone_id": zone,
                "zone_type": i18n.label("adoption_zone_type", zone_type),
                "start_on": term["_start"],
                "checks": len(days),
                "longest_gap_days": longest,
                "interval_days": interval,
                SHORTFALL: longest > interval,
            }
        )
    columns = [
        "adoption_id",
        "zone_id",
        "zone_type",
        "start_on",
        "checks",
        "longest_gap_days",
        "interval_days",
        SHORTFALL,
    ]
    records = pd.DataFrame(rows, columns=columns)
    kept = int((~records[SHORTFALL].astype(bool)).sum()) if len(records) else 0
    return _share(SPECS["adoption_care_on_schedule"], kept, len(records), records)


_CONTRIBUTION_SHOWN = ["contribution_id", "contributed_on", "contributor_type", "kind", "project_id"]


def _contributions(data: AssessmentData) -> list[dict[str, Any]]:
    frame = _until(data.contributions, "contributed_on", data.as_of)
    return frame.to_dict("records") if frame is not None else []


def _contribution_row(record: Mapping[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "contribution_id": _text(record.get("contribution_id")),
        "contributed_on": _day(record.get("contributed_on")),
        "contributor_type": i18n.label("contributor_type", _text(record.get("contributor_type"))),
        "kind": i18n.label("contribution_kind", _text(record.get("kind"))),
        "project_id": _text(record.get("project_id")),
        **extra,
    }


def contributions_labour_hours(data: AssessmentData) -> IndicatorResult:
    """Hours of 投工投劳 recorded in the co-building register."""
    rows = [
        _contribution_row(r, hours=float(parse_real(r["hours"])) if _present(r.get("hours")) else 0.0)
        for r in _contributions(data)
        if _text(r.get("kind")) == ContributionKind.LABOUR
    ]
    records = pd.DataFrame(rows, columns=[*_CONTRIBUTION_SHOWN, "hours"])
    value = float(records["hours"].sum()) if len(records) else None
    return IndicatorResult(SPECS["contributions_labour_hours"], value, records)


def contributions_value(data: AssessmentData) -> IndicatorResult:
    """Money and materials (valued) given by residents, firms and organisations, in yuan."""
    kinds = (ContributionKind.MONEY, ContributionKind.MATERIALS)
    rows = [
        _contribution_row(r, value_yuan=to_fen(r["value_yuan"] if _present(r.get("value_yuan")) else 0) / 100)
        for r in _contributions(data)
        if _text(r.get("kind")) in kinds
    ]
    records = pd.DataFrame(rows, columns=[*_CONTRIBUTION_SHOWN, "value_yuan"])
    value = sum(to_fen(v) for v in records["value_yuan"]) / 100 if len(records) else None
    return IndicatorResult(SPECS["contributions_value"], value, records)


def contributions_contributors(data: AssessmentData) -> IndicatorResult:
    """Distinct contributors (households, party members, teams, firms, organisations) in the register."""
    by_type: dict[str, set[str]] = {}
    entries: dict[str, int] = {}
    for record in _contributions(data):
        ctype = _text(record.get("contributor_type"))
        by_type.setdefault(ctype, set()).add(contributor_key(record))
        entries[ctype] = entries.get(ctype, 0) + 1
    rows = [
        {"contributor_type": i18n.label("contributor_type", t), "contributors": len(who), "entries": entries[t]}
        for t, who in sorted(by_type.items())
    ]
    records = pd.DataFrame(rows, columns=["contributor_type", "contributors", "entries"])
    total = len(set().union(*by_type.values())) if by_type else None
    return IndicatorResult(SPECS["contributions_contributors"], float(total) if total is not None else None, records)


def milestones_on_time(data: AssessmentData) -> IndicatorResult:
    """Milestones done by their planned date / milestones done or past their planned date."""
    progress = [m for m in milestone_progress(data.milestones, data.as_of) if m.state is not MilestoneState.PLANNED]
    rows = [
        {
            "milestone_id": m.milestone_id,
            "project_id": m.project_id,
            "name": m.name,
            "planned_on": m.planned_on,
            "actual_on": m.actual_on,
            "state": i18n.t(f"cobuilding.milestone.{m.state.value}"),
            "days_late": m.days_late,
            SHORTFALL: m.state is not MilestoneState.DONE_ON_TIME,
        }
        for m in progress
    ]
    records = pd.DataFrame(
        rows, columns=["milestone_id", "project_id", "name", "planned_on", "actual_on", "state", "days_late", SHORTFALL]
    )
    on_time = sum(m.state is MilestoneState.DONE_ON_TIME for m in progress)
    return _share(SPECS["milestones_on_time"], on_time, len(progress), records)


def notices_on_time(data: AssessmentData) -> IndicatorResult:
    """Notices published by their deadline / notices due by the day of the assessment (or already published)."""
    rows = []
    for record in data.notice_dues.to_dict("records"):
        deadline = _day(record.get("deadline"))
        published = _day(record.get("published_on"))
        if published is not None and published > data.as_of:
            published = None
        if published is None and (deadline is None or deadline >= data.as_of):
            continue  # still time to publish: not counted yet
        on_time = published is not None and deadline is not None and published <= deadline
        rows.append(
            {
                "kind": i18n.t(f"indicator.notice_kind.{_text(record.get('kind'))}"),
                "subject_id": _text(record.get("subject_id")),
                "due_on": _day(record.get("due_on")),
                "deadline": deadline,
                "published_on": published,
                SHORTFALL: not on_time,
            }
        )
    records = pd.DataFrame(rows, columns=["kind", "subject_id", "due_on", "deadline", "published_on", SHORTFALL])
    return _share(
        SPECS["notices_on_time"],
        int((~records[SHORTFALL].astype(bool)).sum()) if len(records) else 0,
        len(records),
        records,
    )


# --- the ledger ----------------------------------------------------------------------------------
def compute_ledger(data: AssessmentData, targets: Mapping[str, Target] | Sequence[Target] = ()) -> Ledger:
    """Return every indicator of :data:`INDICATORS` computed from ``data``, each against its target."""
    by_key = dict(targets) if isinstance(targets, Mapping) else {t.indicator: t for t in targets}
    unknown = sorted(set(by_key) - set(SPECS))
    if unknown:
        raise AssessmentError("assessment.unknown_indicator", indicator="、".join(unknown), known="、".join(SPECS))
    demands = demand_records(data)
    results = [
        participation_votes(data),
        participation_surveys(data),
        participation_workshops(data),
        participation_any(data),
        demands_received(data, demands),
        demands_replied_on_time(data, demands),
        demands_resolved(data, demands),
        *(demands_kept(key, demands) for key in KEPT_CLASS),
        satisfaction_change(data),
        idle_plots_renovated(data),
        adoption_zones_adopted(data),
        adoption_care_on_schedule(data),
        contributions_labour_hours(data),
        contributions_value(data),
        contributions_contributors(data),
        milestones_on_time(data),
        notices_on_time(data),
    ]
    assert [r.key for r in results] == [s.key for s in INDICATORS]
    with_targets = tuple(
        IndicatorResult(r.spec, r.value, r.records, r.numerator, r.denominator, by_key.get(r.key), r.detail)
        for r in results
    )
    return Ledger(data.as_of, with_targets)


def ledger_texts(ledger: Ledger, language: str | None = None) -> list[str]:
    """Every text the ledger's files would carry (names, definitions, values, every record cell)."""
    texts = []
    for result in ledger.results:
        texts += [result.spec.name(language), result.spec.definition(language), result.value_text(language)]
        texts += [str(v) for row in result.records.itertuples(index=False) for v in row if _present(v)]
    return texts


def personal_in_ledger(ledger: Ledger, forbidden: Sequence[str]) -> list[str]:
    """Return the forbidden strings (names and phones of the private side) that appear in the ledger."""
    texts = ledger_texts(ledger)
    squeezed = ["".join(t.split()).replace("-", "") for t in texts]
    found = []
    for secret in forbidden:
        bare = "".join(str(secret).split()).replace("-", "")
        if len(bare) >= 2 and any(bare in t for t in squeezed):
            found.append(secret)
    return found


__all__ = [
    "Unit",
    "Status",
    "IndicatorSpec",
    "INDICATORS",
    "SPECS",
    "KEPT_CLASS",
    "SATISFACTION_ITEM",
    "SHORTFALL",
    "Target",
    "spec",
    "parse_target",
    "AssessmentData",
    "IndicatorResult",
    "Ledger",
    "format_value",
    "demand_records",
    "compute_ledger",
    "ledger_texts",
    "personal_in_ledger",
]
