"""Every pilot indicator on hand-made data, each value worked out by hand (at least two cases, one at an edge).

The figures in the comments are the hand working: which records count, and the division.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cogov_toolkit.core.indicators import (
    INDICATORS,
    AssessmentData,
    Status,
    Target,
    compute_ledger,
    demand_records,
    parse_target,
    personal_in_ledger,
)
from cogov_toolkit.core.triage import ClassChange, apply_transition, classify, dashboard, escalate, history_frame
from cogov_toolkit.errors import AssessmentError

AS_OF = dt.date(2026, 6, 30)
ROLL = pd.DataFrame({"household_id": [f"H{i:02d}" for i in range(1, 11)]})  # ten households


def data(**frames) -> AssessmentData:
    return AssessmentData(as_of=frames.pop("as_of", AS_OF), households=frames.pop("households", ROLL), **frames)


def value(key: str, **frames) -> float | None:
    return compute_ledger(data(**frames))[key].value


def result(key: str, **frames):
    return compute_ledger(data(**frames))[key]


# --- participation ------------------------------------------------------------------------------
def test_participation_votes_counts_each_household_once_across_votes() -> None:
    ballots = pd.DataFrame(
        {
            "vote_id": ["V1", "V1", "V1", "V2", "V2", "V2"],
            "household_id": ["H01", "H02", "H03", "H03", "H04", "H99"],  # H99 is not on the roster
        }
    )
    votes = pd.DataFrame({"vote_id": ["V1", "V2"], "question": ["花园？", "座椅？"]})
    r = result("participation_votes", vote_participation=ballots, votes=votes)
    # H01, H02, H03, H04 voted: 4 of 10 households
    assert (r.numerator, r.denominator, r.value) == (4, 10, 0.4)
    assert r.records.to_dict("records") == [
        {"vote_id": "V1", "question": "花园？", "households": 3},
        {"vote_id": "V2", "question": "座椅？", "households": 2},
    ]
    assert r.value_text() == "40.0%（4/10）"


def test_participation_votes_without_ballots_or_roster_is_no_data() -> None:
    assert value("participation_votes") is None
    ballots = pd.DataFrame({"vote_id": ["V1"], "household_id": ["H01"]})
    assert value("participation_votes", vote_participation=ballots, households=ROLL.iloc[0:0]) is None
    assert result("participation_votes").value_text() == "无数据"


def test_participation_votes_all_households() -> None:
    ballots = pd.DataFrame({"vote_id": ["V1"] * 10, "household_id": ROLL["household_id"]})
    assert value("participation_votes", vote_participation=ballots) == 1.0


def test_participation_surveys_names_households_and_lists_anonymous_answers_apart() -> None:
    responses = pd.DataFrame(
        {
            "project_id": ["PJ01", "PJ01", "PJ01", "PJ01", "PJ01"],
            "phase": ["pre", "pre", "post", "post", "post"],
            "household_id": ["H01", None, "H01", "H02", "H05"],
            "answers": [{}] * 5,
            "submitted_at": ["2026-03-01", "2026-03-02", "2026-06-01", "2026-06-02", "2026-07-05"],  # last: after
        }
    )
    r = result("participation_surveys", survey_responses=responses)
    # named: H01 (twice), H02; H05 answered after the day; 2 of 10
    assert (r.numerator, r.denominator, r.value) == (2, 10, 0.2)
    assert r.detail["anonymous"] == 1
    assert r.records[["phase", "responses", "named", "anonymous"]].values.tolist() == [
        ["事后评价", 2, 2, 0],
        ["事前预评", 2, 1, 1],
    ]


def test_participation_surveys_all_anonymous_is_no_data_not_zero() -> None:
    responses = pd.DataFrame(
        {"project_id": ["PJ01"] * 3, "phase": ["pre"] * 3, "household_id": [None] * 3, "answers": [{}] * 3}
    )
    r = result("participation_surveys", survey_responses=responses)
    assert r.value is None and r.detail["anonymous"] == 3 and r.status is Status.NO_DATA


def test_participation_workshops_takes_the_head_count_or_the_sign_ins_whichever_is_larger() -> None:
    sessions = pd.DataFrame(
        {
            "session_id": ["S1", "S2", "S3", "S4"],
            "held_on": ["2026-04-01", "2026-05-01", "2026-06-01", "2026-07-15"],  # S4 after the day
            "title": ["方案讨论", "种植日", "验收", "未来"],
            "attendance": [20, None, 4, 50],
        }
    )
    signins = pd.DataFrame({"session_id": ["S1"] * 3 + ["S2"] * 5 + ["S3"] * 6, "household_id": ["H01"] * 14})
    r = result("participation_workshops", sessions=sessions, signins=signins)
    # S1 max(20, 3) = 20; S2 max(0, 5) = 5; S3 max(4, 6) = 6: 31 person-times
    assert r.value == 31 and r.records["attendance"].tolist() == [20, 5, 6]
    assert r.value_text() == "31 人次"


def test_participation_workshops_without_sessions_is_no_data() -> None:
    assert value("participation_workshops") is None
    early = pd.DataFrame({"session_id": ["S9"], "held_on": ["2026-08-01"], "title": ["x"], "attendance": [9]})
    assert value("participation_workshops", sessions=early) is None  # only a session after the day


def test_participation_any_is_the_union_of_named_households() -> None:
    ballots = pd.DataFrame({"vote_id": ["V1", "V1"], "household_id": ["H01", "H02"]})
    responses = pd.DataFrame(
        {"project_id": ["P"] * 3, "phase": ["pre"] * 3, "household_id": ["H02", "H03", None], "answers": [{}] * 3}
    )
    sessions = pd.DataFrame(
        {
            "session_id": ["S1", "S2"],
            "held_on": ["2026-05-01", "2026-09-01"],
            "title": ["a", "b"],
            "attendance": [30, 30],
        }
    )
    signins = pd.DataFrame({"session_id": ["S1", "S1", "S2"], "household_id": ["H03", "H04", "H05"]})
    r = result(
        "participation_any", vote_participation=ballots, survey_responses=responses, sessions=sessions, signins=signins
    )
    # votes {H01, H02} ∪ surveys {H02, H03} ∪ sign-ins {H03, H04} (S2 is after the day): 4 of 10
    assert (r.numerator, r.value) == (4, 0.4)
    assert r.records["households"].tolist() == [2, 2, 2]


def test_participation_any_with_only_anonymous_channels_is_no_data() -> None:
    sessions = pd.DataFrame({"session_id": ["S1"], "held_on": ["2026-05-01"], "title": ["a"], "attendance": [30]})
    assert value("participation_any", sessions=sessions) is None


# --- demands ------------------------------------------------------------------------------------
def demand(demand_id: str, **values) -> dict:
    base = {"demand_id": demand_id, "reported_on": "2026-03-01", "category": "repair"}
    return {**base, **values}


REPLIES = pd.DataFrame(
    [
        demand("D1", due_at="2026-03-10T12:00:00", replied_at="2026-03-09T10:00:00", status="replied"),  # on time
        demand("D2", due_at="2026-03-10T12:00:00", replied_at="2026-03-12T10:00:00", status="replied"),  # late
        demand("D3", due_at="2026-03-05T17:00:00", status="received"),  # past its deadline, no reply: late
        demand("D4", due_at="2026-07-30T17:00:00", status="received"),  # not due yet: not counted
        demand("D5", reported_on="2026-07-02", due_at="2026-07-03T17:00:00"),  # reported after the day
    ]
)


def test_demands_received_counts_demands_up_to_the_day() -> None:
    assert value("demands_received", demands=REPLIES) == 4  # D1–D4; D5 came after the day
    assert value("demands_received") is None


def test_replied_on_time_counts_a_passed_deadline_without_reply_as_late() -> None:
    r = result("demands_replied_on_time", demands=REPLIES)
    # counted: D1 (on time), D2 (late), D3 (deadline passed): 1 of 3
    assert (r.numerator, r.denominator) == (1, 3) and r.value == pytest.approx(1 / 3)
    assert r.gaps["demand_id"].tolist() == ["D2", "D3"]
    assert r.value_text() == "33.3%（1/3）"


def test_replied_on_time_edges_all_on_time_none_on_time_and_none_due() -> None:
    assert value("demands_replied_on_time", demands=REPLIES.iloc[[0]]) == 1.0  # all on time
    assert value("demands_replied_on_time", demands=REPLIES.iloc[[1, 2]]) == 0.0  # none on time
    assert value("demands_replied_on_time", demands=REPLIES.iloc[[3]]) is None  # nothing due yet


def test_replied_on_time_counts_the_deadline_from_receipt_when_none_is_recorded() -> None:
    # urgent: 24 hours by the clock from receipt (2026-03-01 00:00, the day reported)
    urgent = pd.DataFrame(
        [
            demand("U1", urgency="urgent", replied_at="2026-03-01T20:00:00"),  # 20 h: on time
            demand("U2", urgency="urgent", replied_at="2026-03-02T06:00:00"),  # 30 h: late
        ]
    )
    r = result("demands_replied_on_time", demands=urgent)
    assert (r.numerator, r.denominator) == (1, 2)


def test_resolved_share_counts_rated_as_resolved() -> None:
    frame = pd.DataFrame(
        [demand("D1", status="resolved"), demand("D2", status="rated"), demand("D3", status="replied"), demand("D4")]
    )
    r = result("demands_resolved", demands=frame)
    assert (r.numerator, r.denominator, r.value) == (2, 4, 0.5)  # D1, D2 of four
    assert r.gaps["demand_id"].tolist() == ["D3", "D4"]
    assert value("demands_resolved", demands=frame.iloc[[2, 3]]) == 0.0  # none resolved: a real 0 %
    assert value("demands_resolved") is None


def _history(*steps) -> tuple:
    """Build a history from (kind, value, day) steps, replaying the triage rules."""
    history: tuple = ()
    for kind, code, day in steps:
        at = dt.datetime(2026, 3, day, 10, 0)
        if kind == "status":
            history = apply_transition(history, code, at, "planner")
        elif kind == "class":
            reclassified = any(isinstance(e, ClassChange) for e in history)
            history = classify(history, code, at, "planner", "改判" if reclassified else None)
        else:
            history = escalate(history, code, at, "planner", "需要街道协调")
    return history


def _events(**histories) -> pd.DataFrame:
    return pd.concat([history_frame(demand_id, h) for demand_id, h in histories.items()], ignore_index=True)


def test_kept_within_level_by_class_first_confirmed() -> None:
    received = ("status", "received", 1)
    minor_kept = _history(
        received, ("class", "minor", 1), ("status", "assigned", 2), ("status", "replied", 3), ("status", "resolved", 4)
    )
    minor_upgraded = _history(
        received,
        ("class", "minor", 1),
        ("class", "major", 2),
        ("status", "assigned", 2),
        ("status", "replied", 3),
        ("status", "resolved", 5),
    )
    major_kept = _history(
        received, ("class", "major", 1), ("status", "assigned", 2), ("status", "replied", 3), ("status", "resolved", 6)
    )
    major_escalated = _history(
        received,
        ("class", "major", 1),
        ("status", "assigned", 2),
        ("escalation", "street", 3),
        ("status", "replied", 4),
        ("status", "resolved", 7),
    )
    private_open = _history(received, ("class", "private", 1), ("status", "assigned", 2))
    frame = pd.DataFrame([demand(d) for d in ("M1", "M2", "J1", "J2", "P1")])
    events = _events(M1=minor_kept, M2=minor_upgraded, J1=major_kept, J2=major_escalated, P1=private_open)
    ledger = compute_ledger(data(demands=frame, demand_events=events))
    # 小事不出小区: M1 kept; M2 (first confirmed minor) ended as a major at community level: 1 of 2
    assert (ledger["demands_kept_neighbourhood"].numerator, ledger["demands_kept_neighbourhood"].denominator) == (1, 2)
    # 大事不出社区: J1 kept, J2 escalated to the street office: 1 of 2
    assert ledger["demands_kept_community"].value == 0.5
    assert ledger["demands_kept_community"].gaps["demand_id"].tolist() == ["J2"]
    # 邻里事不出楼栋: the one private matter is not resolved yet: no data
    assert ledger["demands_kept_building"].value is None
    # the same rules as the triage dashboard
    from cogov_toolkit.core.triage import histories_from_frame

    figures = dashboard(frame, histories_from_frame(events), dt.datetime(2026, 6, 30, 12))
    for key, triage_class in (("demands_kept_neighbourhood", "minor"), ("demands_kept_community", "major")):
        figure = figures.resolution_for(triage_class)
        assert (ledger[key].numerator, ledger[key].denominator) == (figure.kept_within, figure.resolved)


def test_kept_within_all_kept_without_history() -> None:
    frame = pd.DataFrame(
        [demand("P1", triage_class="private", status="resolved"), demand("P2", triage_class="private", status="rated")]
    )
    assert value("demands_kept_building", demands=frame) == 1.0  # no history: resolved at the class's own level


def test_demand_records_never_carry_the_text_or_reporter() -> None:
    frame = pd.DataFrame([demand("D1", text="王样样 电话100-1234-5678", reporter_household_id="H01")])
    records = demand_records(data(demands=frame))
    assert "text" not in records.columns and "reporter_household_id" not in records.columns


# --- satisfaction -------------------------------------------------------------------------------
def answers(phase: str, household: str | None, score: int) -> dict:
    return {"project_id": "PJ01", "phase": phase, "household_id": household, "answers": {"q_overall": score}}


def test_satisfaction_change_paired_on_households_that_answered_both() -> None:
    frame = pd.DataFrame(
        [
            answers("pre", "H01", 3),
            answers("pre", "H02", 2),
            answers("pre", "H03", 4),
            answers("post", "H01", 4),
            answers("post", "H02", 3),
            answers("post", "H03", 5),
        ]
    )
    r = result("satisfaction_change", survey_responses=frame)
    # every household rose by exactly 1: mean difference 1, standard deviation 0, interval [1, 1]
    assert r.value == 1.0 and (r.detail["low"], r.detail["high"]) == (1.0, 1.0)
    assert r.detail["method"] == "paired" and r.detail["pairs"] == 3
    assert r.records["mean"].tolist() == [3.0, 4.0]
    assert r.value_text() == "+1.00 分（95% 区间 +1.00 至 +1.00）"


def test_satisfaction_change_unpaired_with_welch_interval() -> None:
    frame = pd.DataFrame(
        [answers("pre", None, 2), answers("pre", None, 4), answers("post", None, 4), answers("post", None, 4)]
    )
    r = result("satisfaction_change", survey_responses=frame)
    # before mean 3, after mean 4: +1. se = sqrt(2/2 + 0/2) = 1; Welch df = 1^2 / (1^2/1) = 1; t(0.975, 1) = 12.706
    assert r.value == 1.0 and r.detail["method"] == "unpaired"
    assert r.detail["low"] == pytest.approx(1 - 12.706, abs=1e-3) and r.detail["high"] == pytest.approx(
        1 + 12.706, abs=1e-3
    )


def test_satisfaction_change_without_an_after_phase_is_no_data() -> None:
    frame = pd.DataFrame([answers("pre", "H01", 3), answers("pre", "H02", 4)])
    r = result("satisfaction_change", survey_responses=frame)
    assert r.value is None and r.records["responses"].tolist() == [2]
    assert value("satisfaction_change") is None


# --- sites and adoption -------------------------------------------------------------------------
PLOTS = pd.DataFrame(
    {
        "plot_id": ["P1", "P2", "P3", "P4"],
        "number": [1, 2, 3, 4],
        "name": ["a", "b", "c", "d"],
        "status": ["done", "in_progress", "done", "idle"],
    }
)


def test_idle_plots_renovated() -> None:
    r = result("idle_plots_renovated", idle_plots=PLOTS)
    assert (r.numerator, r.denominator, r.value) == (2, 4, 0.5)  # P1, P3 done
    assert r.gaps["plot_id"].tolist() == ["P2", "P4"]
    assert value("idle_plots_renovated", idle_plots=PLOTS[PLOTS["status"] == "done"]) == 1.0  # all done
    assert value("idle_plots_renovated") is None  # no plots on the map


ZONES = pd.DataFrame(
    {"zone_id": ["A1", "A2", "A3", "A4"], "number": [1, 2, 3, 4], "zone_type": ["tree", "lawn", "stairwell", "lawn"]}
)
ADOPTIONS = pd.DataFrame(
    {
        "adoption_id": ["AD1", "AD2", "AD3", "AD4"],
        "zone_id": ["A1", "A2", "A3", "A4"],
        "start_on": ["2026-06-01", "2026-06-01", "2025-01-01", "2026-08-01"],
        "end_on": [None, "2026-12-31", "2025-12-31", None],  # AD3 ended, AD4 not started
    }
)


def test_adoption_zones_adopted_on_the_day() -> None:
    r = result("adoption_zones_adopted", adoption_zones=ZONES, adoptions=ADOPTIONS)
    assert (r.numerator, r.denominator) == (2, 4)  # A1, A2 have a running term on 30 June
    assert r.gaps["zone_id"].tolist() == ["A3", "A4"]
    assert value("adoption_zones_adopted", adoption_zones=ZONES) == 0.0  # zones, nobody adopted: a real 0 %
    assert value("adoption_zones_adopted") is None


def test_adoption_care_on_schedule_by_longest_gap() -> None:
    care = pd.DataFrame(
        {
            # A1 tree (30 days): 06-01 → 06-20 (19) → 06-30 (10): on schedule
            # A2 lawn (14 days): 06-01 → 06-10 (9) → 06-30 (20 > 14): late
            "zone_id": ["A1", "A2"],
            "checked_on": ["2026-06-20", "2026-06-10"],
        }
    )
    r = result("adoption_care_on_schedule", adoption_zones=ZONES, adoptions=ADOPTIONS, care_log=care)
    assert (r.numerator, r.denominator) == (1, 2)
    assert r.records.set_index("zone_id")["longest_gap_days"].to_dict() == {"A1": 19, "A2": 20}
    assert r.gaps["zone_id"].tolist() == ["A2"]


def test_adoption_care_edges_none_on_time_all_on_time_and_no_adoption() -> None:
    # no checks at all: A1 29 days since start (tree 30: on schedule), A2 29 days (lawn 14: late)
    r = result("adoption_care_on_schedule", adoption_zones=ZONES, adoptions=ADOPTIONS)
    assert (r.numerator, r.denominator) == (1, 2)
    late_only = ADOPTIONS.iloc[[1]]
    assert value("adoption_care_on_schedule", adoption_zones=ZONES, adoptions=late_only) == 0.0  # none on time
    weekly = pd.DataFrame({"zone_id": ["A2"] * 3, "checked_on": ["2026-06-08", "2026-06-16", "2026-06-24"]})
    assert value("adoption_care_on_schedule", adoption_zones=ZONES, adoptions=late_only, care_log=weekly) == 1.0
    assert value("adoption_care_on_schedule", adoption_zones=ZONES) is None


# --- contributions ------------------------------------------------------------------------------
CONTRIBUTIONS = pd.DataFrame(
    [
        {
            "contribution_id": "C1",
            "contributed_on": "2026-04-01",
            "contributor_type": "household",
            "contributor_ref": "H01",
            "kind": "labour",
            "hours": 3.5,
            "project_id": "PJ01",
        },
        {
            "contribution_id": "C2",
            "contributed_on": "2026-04-08",
            "contributor_type": "household",
            "contributor_ref": "H01",
            "kind": "labour",
            "hours": 2,
            "project_id": "PJ01",
        },
        {
            "contribution_id": "C3",
            "contributed_on": "2026-04-08",
            "contributor_type": "volunteer_team",
            "contributor_ref": "T1",
            "kind": "labour",
            "hours": 12,
            "project_id": "PJ01",
        },
        {
            "contribution_id": "C4",
            "contributed_on": "2026-05-01",
            "contributor_type": "enterprise",
            "contributor_ref": "E1",
            "kind": "money",
            "value_yuan": 5000,
            "project_id": "PJ03",
        },
        {
            "contribution_id": "C5",
            "contributed_on": "2026-05-02",
            "contributor_type": "household",
            "kind": "materials",
            "value_yuan": 120.5,
        },
        {
            "contribution_id": "C6",
            "contributed_on": "2026-05-03",
            "contributor_type": "household",
            "kind": "items",
            "quantity": 4,
        },
        {
            "contribution_id": "C7",
            "contributed_on": "2026-07-03",
            "contributor_type": "household",
            "kind": "labour",
            "hours": 100,
        },  # after
    ]
)


def test_contribution_indicators() -> None:
    ledger = compute_ledger(data(contributions=CONTRIBUTIONS))
    assert ledger["contributions_labour_hours"].value == 17.5  # 3.5 + 2 + 12 (C7 after the day)
    assert ledger["contributions_value"].value == 5120.5  # 5000 + 120.50
    # H01 (twice), T1, E1, and C5, C6 with no reference each count once: 5
    assert ledger["contributions_contributors"].value == 5
    assert ledger["contributions_value"].value_text() == "5,120.50 元"
    assert ledger["contributions_labour_hours"].value_text() == "17.5 小时"


def test_contribution_indicators_with_no_records_of_their_kind_are_no_data() -> None:
    items_only = CONTRIBUTIONS[CONTRIBUTIONS["kind"] == "items"]
    ledger = compute_ledger(data(contributions=items_only))
    assert ledger["contributions_labour_hours"].value is None and ledger["contributions_value"].value is None
    assert ledger["contributions_contributors"].value == 1
    assert compute_ledger(data())["contributions_contributors"].value is None


# --- milestones and notices ---------------------------------------------------------------------
MILESTONES = pd.DataFrame(
    {
        "milestone_id": ["M1", "M2", "M3", "M4"],
        "project_id": ["PJ01"] * 4,
        "name": ["方案", "施工", "验收", "回访"],
        "planned_on": ["2026-04-01", "2026-05-01", "2026-06-01", "2026-08-01"],
        "actual_on": ["2026-03-28", "2026-05-10", None, None],
    }
)


def test_milestones_on_time() -> None:
    r = result("milestones_on_time", milestones=MILESTONES)
    # M1 on time; M2 nine days late; M3 overdue by 29 days; M4 not yet due: 1 of 3
    assert (r.numerator, r.denominator) == (1, 3)
    assert r.records.set_index("milestone_id")["days_late"].to_dict() == {"M1": 0, "M2": 9, "M3": 29}
    assert value("milestones_on_time", milestones=MILESTONES.iloc[[0]]) == 1.0  # all on time
    assert value("milestones_on_time", milestones=MILESTONES.iloc[[3]]) is None  # none due yet


def test_notices_on_time() -> None:
    dues = pd.DataFrame(
        {
            "kind": ["decision", "decision", "finance", "finance", "finance"],
            "subject_id": ["V1", "V2", "PJ01", "PJ01", "PJ01"],
            "due_on": ["2026-05-25", "2026-06-22", "2026-04-01", "2026-07-01", "2026-06-28"],
            "deadline": ["2026-06-01", "2026-06-29", "2026-04-08", "2026-07-08", "2026-07-05"],
            "published_on": ["2026-05-30", "2026-07-02", "2026-04-10", None, None],
        }
    )
    r = result("notices_on_time", notice_dues=dues)
    # V1 on time; V2's deadline (29 June) passed with nothing published by the day (its notice came on
    # 2 July): late; PJ01's April disclosure came after its deadline: late; the two others still have time
    assert (r.numerator, r.denominator) == (1, 3)
    assert r.gaps["subject_id"].tolist() == ["V2", "PJ01"]
    assert value("notices_on_time", notice_dues=dues.iloc[[0]]) == 1.0
    overdue = pd.DataFrame(
        {
            "kind": ["finance"],
            "subject_id": ["PJ02"],
            "due_on": ["2026-06-01"],
            "deadline": ["2026-06-08"],
            "published_on": [None],
        }
    )
    assert value("notices_on_time", notice_dues=overdue) == 0.0  # none on time
    assert value("notices_on_time") is None


# --- targets and the 回头看 list ------------------------------------------------------------------
def test_targets_statuses_and_the_look_back_list() -> None:
    targets = [Target("idle_plots_renovated", 0.6), Target("milestones_on_time", 0.3), Target("demands_received", 10)]
    ledger = compute_ledger(data(idle_plots=PLOTS, milestones=MILESTONES), targets)
    assert ledger["idle_plots_renovated"].status is Status.BELOW  # 50 % < 60 %
    assert ledger["milestones_on_time"].status is Status.MET  # 33.3 % ≥ 30 %
    assert ledger["demands_received"].status is Status.NO_DATA  # a target, but no data: not in the list
    assert ledger["adoption_zones_adopted"].status is Status.NO_DATA
    assert [r.key for r in ledger.look_back()] == ["idle_plots_renovated"]
    assert ledger.look_back()[0].gaps["plot_id"].tolist() == ["P2", "P4"]
    assert ledger["idle_plots_renovated"].target_text() == "≥ 60.0%"
    exact = compute_ledger(data(idle_plots=PLOTS), [Target("idle_plots_renovated", 0.5)])
    assert exact["idle_plots_renovated"].status is Status.MET  # exactly on target


def test_every_indicator_shows_no_data_on_an_empty_workspace_and_has_its_texts() -> None:
    from cogov_toolkit import i18n

    ledger = compute_ledger(data(households=ROLL.iloc[0:0]))
    assert [r.key for r in ledger.results] == [s.key for s in INDICATORS]
    for r in ledger.results:
        assert r.value is None and r.value_text() == "无数据" and r.value_text("en") == "no data", r.key
        for key in (f"indicator.{r.key}.name", f"indicator.{r.key}.definition", f"indicator.group.{r.spec.group}"):
            assert i18n.has(key), key
        for column in r.records.columns:
            assert i18n.has(f"ledger.column.{column}"), column


@pytest.mark.parametrize(
    ("key", "text", "expected"),
    [
        ("idle_plots_renovated", "90%", 0.9),
        ("idle_plots_renovated", "≥ 85％", 0.85),
        ("idle_plots_renovated", "不低于0.8", 0.8),
        ("idle_plots_renovated", "75", 0.75),
        ("contributions_labour_hours", "120小时", 120.0),
        ("contributions_value", "1.5万元", 15000.0),
        ("satisfaction_change", "+0.5", 0.5),
        ("demands_received", 40, 40.0),
    ],
)
def test_targets_are_read_as_planners_write_them(key: str, text: object, expected: float) -> None:
    assert parse_target(key, text) == pytest.approx(expected)


def test_unreadable_targets_and_unknown_indicators_raise_clear_errors() -> None:
    with pytest.raises(AssessmentError) as caught:
        parse_target("idle_plots_renovated", "大部分")
    assert caught.value.reason == "assessment.bad_target" and "大部分" in caught.value.message()
    with pytest.raises(AssessmentError, match="150%"):
        parse_target("idle_plots_renovated", "150%")
    with pytest.raises(AssessmentError) as caught:
        compute_ledger(data(), [Target("no_such_indicator", 1)])
    assert caught.value.reason == "assessment.unknown_indicator"


def test_the_personal_data_search_finds_a_planted_name_in_a_ledger_that_has_one() -> None:
    planted = pd.DataFrame(
        {"session_id": ["S1"], "held_on": ["2026-05-01"], "title": ["金丝雀样九九主持"], "attendance": [5]}
    )
    ledger = compute_ledger(data(sessions=planted))
    assert personal_in_ledger(ledger, ["金丝雀样九九", "100-9999-0042"]) == ["金丝雀样九九"]
    clean = compute_ledger(data(sessions=planted.assign(title="议事")))
    assert personal_in_ledger(clean, ["金丝雀样九九"]) == []


def test_every_catalog_key_built_from_a_code_exists_in_both_languages() -> None:
    from cogov_toolkit import i18n
    from cogov_toolkit.core.cobuilding import FlagKind, MilestoneState
    from cogov_toolkit.core.conventions import ChangeKind
    from cogov_toolkit.core.indicators import Unit

    keys = [f"cobuilding.flag.{k}" for k in FlagKind] + [f"cobuilding.milestone.{s}" for s in MilestoneState]
    keys += [f"convention.change.{k}" for k in ChangeKind]
    keys += [f"indicator.unit.{u}" for u in Unit] + [f"assessment.unit_name.{u}" for u in Unit]
    keys += [f"indicator.status.{s}" for s in Status] + [
        "indicator.notice_kind.decision",
        "indicator.notice_kind.finance",
    ]
    for key in keys:
        entry = i18n.catalog().get(key)
        assert entry and entry["zh"] and entry["en"], key
