"""三事分流: suggested classes, the status workflow and its history, and the dashboard figures."""

from __future__ import annotations

import itertools
import warnings
from datetime import datetime, timedelta

import pandas as pd
import pytest

from cogov_toolkit import i18n
from cogov_toolkit.core.schema import ENUMS
from cogov_toolkit.core.triage import (
    DEFAULT_RULES,
    HANDLING,
    HISTORY_COLUMNS,
    STATUS_ORDER,
    ClassChange,
    DemandStatus,
    Escalation,
    History,
    Level,
    StatusChange,
    TriageClass,
    TriageRule,
    TriageScope,
    apply_transition,
    classify,
    current_class,
    current_status,
    dashboard,
    escalate,
    escalated_to,
    histories_from_frame,
    history_frame,
    resolution_level,
    suggest_class,
)
from cogov_toolkit.core.workdays import SHANGHAI
from cogov_toolkit.errors import CogovError, DemandTransitionError, TriageError, TriageWarning


def at(text: str) -> datetime:
    """Beijing time from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


WORKER = "社区工作者"


def run(*steps: tuple) -> History:
    """Build a history from (verb, value, time[, reason]) steps."""
    verbs = {"status": apply_transition, "class": classify, "escalate": escalate}
    history: History = ()
    for verb, value, when, *reason in steps:
        history = verbs[verb](history, value, at(when), WORKER, *reason)
    return history


# --- suggestions -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("category", "place_type", "scope", "households", "expected", "reason_key", "level"),
    [
        ("repair", "building", None, None, "minor", "triage.reason.shared_space", Level.NEIGHBOURHOOD),
        ("sanitation", "public_space", None, None, "minor", "triage.reason.shared_space", Level.NEIGHBOURHOOD),
        ("parking", "neighbourhood", None, 40, "minor", "triage.reason.shared_space", Level.NEIGHBOURHOOD),
        ("dispute", "building", None, None, "private", "triage.reason.neighbour_dispute", Level.BUILDING),
        ("dispute", None, "household", None, "private", "triage.reason.neighbour_dispute", Level.BUILDING),
        ("dispute", "public_space", None, None, "minor", "triage.reason.shared_space", Level.NEIGHBOURHOOD),
        ("ageing", None, "household", None, "private", "triage.reason.one_household", Level.BUILDING),
        ("safety", "building", None, None, "major", "triage.reason.public_safety", Level.COMMUNITY),
        ("safety", None, "household", None, "private", "triage.reason.one_household", Level.BUILDING),
        ("greening", "public_space", "community", None, "major", "triage.reason.beyond_neighbourhood", Level.COMMUNITY),
        ("repair", "building", None, 150, "major", "triage.reason.many_households", Level.COMMUNITY),
        ("repair", "building", None, 99, "minor", "triage.reason.shared_space", Level.NEIGHBOURHOOD),
        ("other", None, None, None, "minor", "triage.reason.default", Level.NEIGHBOURHOOD),
    ],
)
def test_suggest_class(
    category: str,
    place_type: str | None,
    scope: str | None,
    households: int | None,
    expected: str,
    reason_key: str,
    level: Level,
) -> None:
    suggestion = suggest_class(category, place_type, scope, households)
    assert suggestion.triage_class == expected
    assert suggestion.reason_key == reason_key
    assert suggestion.level is level is HANDLING[suggestion.triage_class].level
    assert suggestion.handler_key == f"triage.handler.{expected}"


def test_the_place_implies_the_scope() -> None:
    assert suggest_class("repair", "building").scope is TriageScope.BUILDING
    assert suggest_class("repair", "idle_plot").scope is TriageScope.NEIGHBOURHOOD
    assert suggest_class("repair", "building", "household").scope is TriageScope.HOUSEHOLD  # given wins


def test_a_suggestion_explains_itself_with_the_handler() -> None:
    text = suggest_class("safety", "building").explain()
    assert text.startswith("建议：大事") and "职能部门" in text and "安全隐患" in text
    assert "100" in suggest_class("repair", None, None, 120).explain("en")
    assert suggest_class("dispute", "building").explain("en").startswith("Suggested: private")


def test_every_demand_gets_a_suggestion_from_the_default_table() -> None:
    for category, place_type, scope, households in itertools.product(
        ENUMS["demand_category"], (None, *ENUMS["place_type"]), (None, *TriageScope), (None, 0, 500)
    ):
        assert suggest_class(category, place_type, scope, households).triage_class in set(TriageClass)


def test_the_rules_are_data_a_community_can_replace() -> None:
    parking_is_private = (
        TriageRule("private", "triage.reason.one_household", categories={"parking"}),
        *DEFAULT_RULES,
    )
    assert suggest_class("parking", "neighbourhood", rules=parking_is_private).triage_class is TriageClass.PRIVATE
    assert suggest_class("parking", "neighbourhood").triage_class is TriageClass.MINOR
    rule = parking_is_private[0]
    assert rule.triage_class is TriageClass.PRIVATE and rule.categories == frozenset({"parking"})
    assert TriageRule("private", "triage.reason.one_household", categories="parking") == rule  # one code, not letters


def test_a_table_without_a_catch_all_can_leave_a_demand_unmatched() -> None:
    rules = (TriageRule("major", "triage.reason.public_safety", categories={"safety"}),)
    assert suggest_class("safety", rules=rules).triage_class is TriageClass.MAJOR
    with pytest.raises(TriageError) as info:
        suggest_class("parking", rules=rules)
    assert info.value.reason == "triage.no_rule"


def test_every_default_rule_has_its_reason_in_both_languages() -> None:
    for rule in DEFAULT_RULES:
        assert set(i18n.catalog()[rule.reason_key]) == {"zh", "en"}
    assert DEFAULT_RULES[-1] == TriageRule("minor", "triage.reason.default")  # the catch-all comes last


def test_bad_input_lists_every_problem() -> None:
    with pytest.raises(TriageError) as info:
        suggest_class("weather", "moon", "planet", -3)  # type: ignore[arg-type]
    assert info.value.reason == "triage.bad_input"
    assert [p.column for p in info.value.problems] == ["category", "place_type", "scope", "households"]
    assert "weather" in str(info.value)


def test_a_bad_rule_lists_every_problem() -> None:
    with pytest.raises(TriageError) as info:
        TriageRule("huge", "no.such.key", categories={"weather"}, scopes={"planet"}, min_households=-1)  # type: ignore[arg-type]
    assert info.value.reason == "triage.bad_rule"
    assert {p.column for p in info.value.problems} == {
        "triage_class",
        "categories",
        "scopes",
        "min_households",
        "reason_key",
    }


# --- the workflow ------------------------------------------------------------------------------------
def test_a_demand_runs_every_step_and_the_history_keeps_each_with_its_time() -> None:
    history = run(
        ("status", "received", "2025-09-26 10:00"),
        ("class", "minor", "2025-09-26 10:05"),
        ("status", "assigned", "2025-09-26 11:00"),
        ("status", "replied", "2025-09-29 16:00"),
        ("status", "resolved", "2025-09-30 09:00"),
        ("status", "rated", "2025-10-09 10:00"),
    )
    assert current_status(history) is DemandStatus.RATED
    changes = [e for e in history if isinstance(e, StatusChange)]
    assert [(c.from_status, c.to_status) for c in changes] == list(
        zip((None, *STATUS_ORDER), STATUS_ORDER, strict=False)
    )
    assert [c.at for c in changes] == [
        at(t)
        for t in ("2025-09-26 10:00", "2025-09-26 11:00", "2025-09-29 16:00", "2025-09-30 09:00", "2025-10-09 10:00")
    ]
    assert all(c.by_role == WORKER for c in changes)
    lines = [e.describe() for e in history]
    assert lines[0] == "2025-09-26 10:00 — → 已受理（社区工作者）"
    assert lines[1] == "2025-09-26 10:05 确认分流为小事（社区工作者）"
    assert lines[-1] == "2025-10-09 10:00 已办结 → 已评价（社区工作者）"


def test_a_verb_returns_a_new_history_and_leaves_the_old_one_alone() -> None:
    before = run(("status", "received", "2025-09-26 10:00"))
    after = classify(before, "minor", at("2025-09-26 10:05"), WORKER)
    assert len(before) == 1 and len(after) == 2 and after[:1] == before


SKIPS = [
    (a, b) for a, b in itertools.permutations(STATUS_ORDER, 2) if STATUS_ORDER.index(b) - STATUS_ORDER.index(a) > 1
]


def _history_at(status: DemandStatus) -> History:
    steps = [("status", "received", "2025-10-09 09:00"), ("class", "minor", "2025-10-09 09:01")]
    for n, later in enumerate(STATUS_ORDER[1 : STATUS_ORDER.index(status) + 1]):
        steps.append(("status", later, f"2025-10-09 1{n}:00"))
    return run(*steps)


@pytest.mark.parametrize(("current", "target"), SKIPS)
def test_skipping_a_step_is_refused_even_with_a_reason(current: DemandStatus, target: DemandStatus) -> None:
    history = _history_at(current)
    for reason in (None, "居民着急"):
        with pytest.raises(DemandTransitionError) as info:
            apply_transition(history, target, at("2025-10-10 09:00"), WORKER, reason)
        assert info.value.reason == "triage.skipped_step"
        assert info.value.params == {
            "current": current,
            "target": target,
            "next": STATUS_ORDER[STATUS_ORDER.index(current) + 1],
        }
        assert isinstance(info.value, CogovError)


def test_the_skip_message_names_the_step_that_was_skipped() -> None:
    history = _history_at(DemandStatus.RECEIVED)
    with pytest.raises(DemandTransitionError, match="不能从「已受理」直接改为「已答复」：下一步应是「已分派」"):
        apply_transition(history, "replied", at("2025-10-10 09:00"), WORKER)
    i18n.set_language("en")
    try:
        with pytest.raises(DemandTransitionError, match="the next step is 'assigned'"):
            apply_transition(history, "replied", at("2025-10-10 09:00"), WORKER)
    finally:
        i18n.set_language("zh")


BACKWARDS = [
    (a, b) for a, b in itertools.permutations(STATUS_ORDER, 2) if STATUS_ORDER.index(b) < STATUS_ORDER.index(a)
]


@pytest.mark.parametrize(("current", "target"), BACKWARDS)
def test_going_back_needs_a_reason_and_only_reopens(current: DemandStatus, target: DemandStatus) -> None:
    history = _history_at(current)
    when = at("2025-10-10 09:00")
    with pytest.raises(DemandTransitionError) as info:
        apply_transition(history, target, when, WORKER)
    with pytest.raises(DemandTransitionError):
        apply_transition(history, target, when, WORKER, "   ")  # blank is no reason
    if target is DemandStatus.ASSIGNED:
        assert info.value.reason == "triage.backwards_without_reason"
        reopened = apply_transition(history, target, when, WORKER, "居民反映问题复发")
        assert current_status(reopened) is DemandStatus.ASSIGNED
        assert reopened[-1].reason == "居民反映问题复发" and reopened[-1].is_backward
    else:
        assert info.value.reason == "triage.backwards_not_allowed"
        with pytest.raises(DemandTransitionError) as again:
            apply_transition(history, target, when, WORKER, "想重来")
        assert again.value.reason == "triage.backwards_not_allowed"


def test_a_reopened_demand_runs_the_steps_again() -> None:
    history = _history_at(DemandStatus.RATED)
    history = apply_transition(history, "assigned", at("2025-10-10 09:00"), "居民", "不满意：路灯又坏了")
    history = apply_transition(history, "replied", at("2025-10-10 15:00"), WORKER)
    assert current_status(history) is DemandStatus.REPLIED
    assert "理由：不满意：路灯又坏了" in history[-2].describe()


@pytest.mark.parametrize(
    ("history", "to_status", "when", "by", "reason_code"),
    [
        ((), "assigned", "2025-10-09 09:00", WORKER, "triage.first_must_be_received"),
        ("received", "received", "2025-10-09 10:00", WORKER, "triage.same_status"),
        ("received", "done", "2025-10-09 10:00", WORKER, "triage.bad_status"),
        ("received", "assigned", "2025-10-09 08:00", WORKER, "triage.time_before_last"),
        ("received", "assigned", "2025-10-09 10:00", "  ", "triage.by_required"),
    ],
)
def test_other_refusals(history: object, to_status: str, when: str, by: str, reason_code: str) -> None:
    start = _history_at(DemandStatus.RECEIVED) if history == "received" else ()
    with pytest.raises(DemandTransitionError) as info:
        apply_transition(start, to_status, at(when), by)
    assert info.value.reason == reason_code


def test_assigning_needs_a_confirmed_class() -> None:
    history = run(("status", "received", "2025-10-09 09:00"))
    with pytest.raises(DemandTransitionError) as info:
        apply_transition(history, "assigned", at("2025-10-09 10:00"), WORKER)
    assert info.value.reason == "triage.assign_needs_class"


def test_two_changes_in_the_same_minute_are_allowed_and_kept_in_order() -> None:
    history = run(("status", "received", "2025-10-09 09:00"), ("class", "private", "2025-10-09 09:00"))
    assert current_class(history) is TriageClass.PRIVATE


def test_naive_times_are_beijing_time() -> None:
    history = apply_transition((), "received", datetime(2025, 10, 9, 9, 0), WORKER)
    assert history[0].at == at("2025-10-09 09:00") and history[0].at.utcoffset() == timedelta(hours=8)


# --- classes and escalation --------------------------------------------------------------------------
def test_classify_then_reclassify_with_a_reason() -> None:
    history = run(("status", "received", "2025-10-09 09:00"), ("class", "minor", "2025-10-09 09:05"))
    with pytest.raises(DemandTransitionError) as info:
        classify(history, "major", at("2025-10-09 10:00"), WORKER)
    assert info.value.reason == "triage.reclassify_without_reason"
    with pytest.raises(DemandTransitionError) as same:
        classify(history, "minor", at("2025-10-09 10:00"), WORKER, "再确认")
    assert same.value.reason == "triage.same_class"
    history = classify(history, "major", at("2025-10-09 10:00"), WORKER, "涉及燃气管道，须燃气公司处理")
    assert current_class(history) is TriageClass.MAJOR
    assert history[-1] == ClassChange(
        TriageClass.MINOR, TriageClass.MAJOR, at("2025-10-09 10:00"), WORKER, "涉及燃气管道，须燃气公司处理"
    )
    assert history[-1].describe() == "2025-10-09 10:00 由小事改为大事（社区工作者），理由：涉及燃气管道，须燃气公司处理"


def test_classify_needs_a_received_demand_and_a_known_class() -> None:
    with pytest.raises(DemandTransitionError) as info:
        classify((), "minor", at("2025-10-09 09:00"), WORKER)
    assert info.value.reason == "triage.not_received"
    with pytest.raises(DemandTransitionError) as bad:
        classify(run(("status", "received", "2025-10-09 09:00")), "huge", at("2025-10-09 09:00"), WORKER)
    assert bad.value.reason == "triage.bad_class"


@pytest.fixture(name="major")
def fixture_major() -> History:
    return run(
        ("status", "received", "2025-10-09 09:00"),
        ("class", "major", "2025-10-09 09:05"),
        ("status", "assigned", "2025-10-09 10:00"),
    )


def test_a_major_demand_is_escalated_to_the_street_then_the_hotline(major: History) -> None:
    history = escalate(major, "street", at("2025-10-10 09:00"), WORKER, "需街道协调物业公司")
    assert escalated_to(history) is Level.STREET
    assert history[-1] == Escalation(Level.STREET, at("2025-10-10 09:00"), WORKER, "需街道协调物业公司")
    assert history[-1].describe() == "2025-10-10 09:00 上报街道（社区工作者），理由：需街道协调物业公司"
    history = escalate(history, Level.HOTLINE_12345, at("2025-10-11 09:00"), WORKER, "街道转 12345 派单")
    assert escalated_to(history) is Level.HOTLINE_12345
    with pytest.raises(DemandTransitionError) as info:
        escalate(history, "street", at("2025-10-12 09:00"), WORKER, "再报街道")
    assert info.value.reason == "triage.already_escalated"
    assert current_status(history) is DemandStatus.ASSIGNED  # escalation is an event, not a status


@pytest.mark.parametrize(
    ("steps", "target", "reason", "reason_code"),
    [
        ([("class", "minor", "2025-10-09 09:05")], "street", "太难", "triage.escalate_only_major"),
        ([], "street", "太难", "triage.escalate_only_major"),
        ([("class", "major", "2025-10-09 09:05")], "street", "  ", "triage.escalate_without_reason"),
        ([("class", "major", "2025-10-09 09:05")], "city_hall", "太难", "triage.escalate_bad_target"),
        ([("class", "major", "2025-10-09 09:05")], "community", "太难", "triage.escalate_bad_target"),
        (
            [
                ("class", "major", "2025-10-09 09:05"),
                ("status", "assigned", "2025-10-09 10:00"),
                ("status", "replied", "2025-10-09 11:00"),
                ("status", "resolved", "2025-10-09 12:00"),
            ],
            "street",
            "太难",
            "triage.escalate_after_resolution",
        ),
    ],
)
def test_escalation_refusals(steps: list, target: str, reason: str, reason_code: str) -> None:
    history = run(("status", "received", "2025-10-09 09:00"), *steps)
    with pytest.raises(DemandTransitionError) as info:
        escalate(history, target, at("2025-10-10 09:00"), WORKER, reason)
    assert info.value.reason == reason_code
    assert not str(info.value).startswith("[")  # a catalog message, not a missing key


def test_the_unclassified_message_reads_naturally() -> None:
    with pytest.raises(DemandTransitionError, match="「未分流」"):
        escalate(run(("status", "received", "2025-10-09 09:00")), "street", at("2025-10-10 09:00"), WORKER, "太难")


def test_resolution_level() -> None:
    assert resolution_level(_history_at(DemandStatus.REPLIED)) is None
    assert resolution_level(_history_at(DemandStatus.RESOLVED)) is Level.NEIGHBOURHOOD
    private = run(
        ("status", "received", "2025-10-09 09:00"),
        ("class", "private", "2025-10-09 09:05"),
        ("status", "assigned", "2025-10-09 10:00"),
        ("status", "replied", "2025-10-09 11:00"),
        ("status", "resolved", "2025-10-09 12:00"),
    )
    assert resolution_level(private) is Level.BUILDING


# --- storing a history -------------------------------------------------------------------------------
def test_a_history_goes_to_rows_and_back(major: History) -> None:
    history = escalate(major, "street", at("2025-10-10 09:00"), WORKER, "需街道协调")
    history = apply_transition(history, "replied", at("2025-10-11 09:00"), "街道")
    frame = history_frame("D1", history)
    assert tuple(frame.columns) == HISTORY_COLUMNS
    assert list(frame["event"]) == ["status", "class", "status", "escalation", "status"]
    assert frame["at"].notna().all()
    assert histories_from_frame(frame) == {"D1": history}
    # stored times come back as text from some files: still the same history
    as_text = frame.assign(at=frame["at"].map(lambda t: t.strftime("%Y-%m-%d %H:%M:%S")))
    assert histories_from_frame(as_text) == {"D1": history}


def test_a_stored_history_that_breaks_the_rules_is_refused(major: History) -> None:
    frame = history_frame("D1", major)
    frame.loc[2, "to_value"] = "resolved"  # edited by hand: skips two steps
    with pytest.raises(DemandTransitionError) as info:
        histories_from_frame(frame)
    assert info.value.reason == "triage.skipped_step"
    frame.loc[2, "event"] = "teleport"
    with pytest.raises(TriageError) as bad:
        histories_from_frame(frame)
    assert bad.value.reason == "triage.bad_history_event"


# --- the dashboard -----------------------------------------------------------------------------------
NOW = at("2025-10-20 12:00")


def _closed(received: str, triage_class: str, replied: str, resolved: str) -> list[tuple]:
    return [
        ("status", "received", received),
        ("class", triage_class, received),
        ("status", "assigned", received),
        ("status", "replied", replied),
        ("status", "resolved", resolved),
    ]


@pytest.fixture(name="histories")
def fixture_histories() -> dict[str, History]:
    return {
        # private, settled in the building; rated
        "D1": run(
            *_closed("2025-09-26 10:00", "private", "2025-09-29 16:00", "2025-09-30 09:00"),
            ("status", "rated", "2025-10-09 10:00"),
        ),
        # replied late: due 11 October 18:00 (the worked Saturday)
        "D2": run(
            ("status", "received", "2025-09-30 15:00"),
            ("class", "minor", "2025-09-30 15:05"),
            ("status", "assigned", "2025-09-30 16:00"),
            ("status", "replied", "2025-10-13 09:00"),
        ),
        # major, escalated to the street before being resolved: not kept in the community
        "D3": run(
            ("status", "received", "2025-10-09 09:00"),
            ("class", "major", "2025-10-09 09:05"),
            ("status", "assigned", "2025-10-09 10:00"),
            ("escalate", "street", "2025-10-09 11:00", "需街道协调"),
            ("status", "replied", "2025-10-10 09:00"),
            ("status", "resolved", "2025-10-20 09:00"),
        ),
        # major, resolved in the community on 13 October: follow-up due 16 October 18:00, not done
        "D4": run(*_closed("2025-10-09 09:00", "major", "2025-10-10 09:00", "2025-10-13 12:00")),
        # assigned, no reply: due 17 October 18:00, overdue
        "D5": run(
            ("status", "received", "2025-10-14 10:00"),
            ("class", "minor", "2025-10-14 10:00"),
            ("status", "assigned", "2025-10-14 11:00"),
        ),
        # first private, sent up to minor, resolved in the neighbourhood: not kept in the building
        "D6": run(
            ("status", "received", "2025-10-09 09:00"),
            ("class", "private", "2025-10-09 09:05"),
            ("class", "minor", "2025-10-09 09:30", "涉及楼道公共部分"),
            ("status", "assigned", "2025-10-09 10:00"),
            ("status", "replied", "2025-10-13 09:00"),
            ("status", "resolved", "2025-10-15 12:00"),
        ),
        # replied on time, re-opened on 16 October: a fresh reply is due 21 October, not overdue yet
        "D9": run(
            ("status", "received", "2025-10-09 09:00"),
            ("class", "minor", "2025-10-09 09:05"),
            ("status", "assigned", "2025-10-09 10:00"),
            ("status", "replied", "2025-10-10 09:00"),
            ("status", "assigned", "2025-10-16 09:00", "居民反映仍未修好"),
        ),
        # a consultation this morning: due 18:00 today
        "D10": run(("status", "received", "2025-10-20 10:00")),
    }


@pytest.fixture(name="demands")
def fixture_demands() -> pd.DataFrame:
    rows = [
        # the columns are a copy; D1's are stale on purpose (the history wins)
        ("D1", "dispute", "general", "major", "received", "2025-09-26"),
        ("D2", "repair", "general", "minor", "replied", "2025-09-30"),
        ("D3", "safety", "urgent", "major", "resolved", "2025-10-09"),
        ("D4", "safety", "general", "major", "resolved", "2025-10-09"),
        ("D5", "parking", None, "minor", "assigned", "2025-10-14"),
        ("D6", "sanitation", "general", "minor", "resolved", "2025-10-09"),
        # no history: urgent, reported yesterday, so due at midnight; unclassified
        ("D7", "safety", "urgent", None, None, "2025-10-19"),
        # no history: resolved as a minor matter (kept in the neighbourhood)
        ("D8", "greening", "general", "minor", "resolved", "2025-09-01"),
        ("D9", "repair", "general", "minor", "assigned", "2025-10-09"),
        ("D10", "other", "consultation", None, "received", "2025-10-20"),
    ]
    columns = ["demand_id", "category", "urgency", "triage_class", "status", "reported_on"]
    return pd.DataFrame(rows, columns=columns)


def test_dashboard_counts(demands: pd.DataFrame, histories: dict[str, History]) -> None:
    figures = dashboard(demands, histories, NOW)
    assert figures.total == 10
    assert dict(figures.by_status) == {"received": 2, "assigned": 2, "replied": 1, "resolved": 4, "rated": 1}
    assert dict(figures.by_class) == {"major": 2, "minor": 5, "private": 1}
    assert figures.unclassified == 2
    assert dict(figures.by_category) == {
        "sanitation": 1,
        "parking": 1,
        "greening": 1,
        "repair": 2,
        "safety": 3,
        "dispute": 1,
        "ageing": 0,
        "other": 1,
    }


def test_dashboard_overdue(demands: pd.DataFrame, histories: dict[str, History]) -> None:
    figures = dashboard(demands, histories, NOW)
    assert figures.overdue == ("D5", "D7")  # most overdue first
    assert figures.follow_up_overdue == ("D4",)
    # at D5's deadline itself it is not overdue yet (D7 is not due until midnight on the 20th)
    assert dashboard(demands, histories, at("2025-10-17 18:00")).overdue == ()
    assert dashboard(demands, histories, at("2025-10-17 18:01")).overdue == ("D5",)


def test_dashboard_on_time_reply_rate(demands: pd.DataFrame, histories: dict[str, History]) -> None:
    figures = dashboard(demands, histories, NOW)
    assert (figures.replied, figures.replied_on_time) == (6, 5)  # D2 was late
    assert figures.on_time_reply_rate == pytest.approx(5 / 6)


def test_dashboard_resolution_levels(demands: pd.DataFrame, histories: dict[str, History]) -> None:
    figures = dashboard(demands, histories, NOW)
    private, minor, major = figures.resolution
    assert (private.triage_class, private.resolved, private.kept_within) == (TriageClass.PRIVATE, 2, 1)  # D1 yes, D6 no
    assert (minor.triage_class, minor.resolved, minor.kept_within) == (TriageClass.MINOR, 1, 1)  # D8
    assert (major.triage_class, major.resolved, major.kept_within) == (TriageClass.MAJOR, 2, 1)  # D4 yes, D3 no
    assert private.share == pytest.approx(0.5) and major.level is Level.COMMUNITY
    assert [i18n.t(f.slogan_key) for f in figures.resolution] == ["邻里事不出楼栋", "小事不出小区", "大事不出社区"]
    assert figures.resolution_for("minor") is minor


def test_dashboard_uses_the_tables_due_at_when_given(demands: pd.DataFrame, histories: dict[str, History]) -> None:
    extended = demands.assign(due_at=[None, "2025-10-14 18:00", *[None] * 8])  # D2 extended to 5 working days
    figures = dashboard(extended, histories, NOW)
    assert (figures.replied, figures.replied_on_time) == (6, 6)


def test_dashboard_with_nothing_replied() -> None:
    frame = pd.DataFrame({"demand_id": ["D1"], "category": ["other"]})
    figures = dashboard(frame, {}, NOW)
    assert figures.on_time_reply_rate is None
    assert figures.by_status["received"] == 1  # a demand on the list has been received
    assert all(f.share is None for f in figures.resolution)


def test_dashboard_leaves_out_histories_of_unknown_demands_with_a_warning(
    demands: pd.DataFrame, histories: dict[str, History]
) -> None:
    with pytest.warns(TriageWarning, match="D99"):
        figures = dashboard(demands, {**histories, "D99": histories["D1"]}, NOW)
    assert figures.total == 10
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dashboard(demands, histories, NOW)


def test_dashboard_lists_every_bad_row() -> None:
    frame = pd.DataFrame(
        {
            "demand_id": ["D1", "D1", None, "D4"],
            "category": ["repair", "weather", "other", None],
            "status": ["received", "received", "done", None],
            "due_at": [None, "not a date", None, None],
        }
    )
    with pytest.raises(TriageError) as info:
        dashboard(frame, {}, NOW)
    assert info.value.reason == "triage.bad_demands"
    found = {(p.reason, p.row, p.column) for p in info.value.problems}
    assert found == {
        ("triage.duplicate_id", 3, "demand_id"),
        ("triage.bad_code", 3, "category"),
        ("triage.bad_datetime", 3, "due_at"),
        ("triage.blank_id", 4, "demand_id"),
        ("triage.bad_code", 4, "status"),
        ("triage.blank_category", 5, "category"),
    }
    assert "第 3 行" in str(info.value)


def test_dashboard_needs_its_columns() -> None:
    with pytest.raises(TriageError) as info:
        dashboard(pd.DataFrame({"demand_id": ["D1"]}), {}, NOW)
    assert info.value.reason == "triage.missing_columns"
    assert "category" in str(info.value)


def test_dashboard_shows_in_a_notebook(demands: pd.DataFrame, histories: dict[str, History]) -> None:
    html = dashboard(demands, histories, NOW)._repr_html_()
    assert "大事不出社区" in html and "50%（1/2）" in html and "83%" in html


# --- codes and catalog -------------------------------------------------------------------------------
def test_codes_are_the_schemas() -> None:
    assert tuple(TriageClass) == ENUMS["triage_class"]
    assert tuple(DemandStatus) == ENUMS["demand_status"]


def test_every_code_and_handler_has_text_in_both_languages() -> None:
    keys = [f"triage.level.{lv}" for lv in Level] + [f"triage.scope.{s}" for s in TriageScope]
    keys += [h.handler_key for h in HANDLING.values()] + [h.slogan_key for h in HANDLING.values()]
    for key in keys:
        assert set(i18n.catalog()[key]) == {"zh", "en"}, key


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_refusal_has_a_message(language: str, major: History) -> None:
    attempts = [
        lambda: apply_transition(major, "resolved", NOW, WORKER),
        lambda: apply_transition(major, "received", NOW, WORKER, "重来"),
        lambda: apply_transition(major, "assigned", NOW, WORKER),
        lambda: classify(major, "minor", NOW, WORKER),
        lambda: escalate(major, "street", NOW, WORKER, ""),
        lambda: apply_transition(major, "replied", at("2025-01-01 00:00"), WORKER),
    ]
    for attempt in attempts:
        with pytest.raises(DemandTransitionError) as info:
            attempt()
        assert i18n.has(f"error.{info.value.reason}")
        text = info.value.message(language)
        assert "[" not in text and "{" not in text, text
