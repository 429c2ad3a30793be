"""Co-building rules on hand-made frames: totals, the honour roll's consent gate, money checks, milestones, schedule."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cogov_toolkit.core.cobuilding import (
    FlagKind,
    MilestoneState,
    contribution_totals,
    disclosure_due_dates,
    disclosure_schedule,
    finance_summary,
    honour_roll,
    milestone_progress,
    photo_needs_consent,
    publishable_photos,
    to_fen,
    yuan_text,
)

CONTRIBUTIONS = pd.DataFrame(
    [
        {
            "contribution_id": "C1",
            "contributed_on": "2026-04-01",
            "contributor_type": "household",
            "contributor_ref": "H01",
            "public_name": "王阿姨",
            "kind": "labour",
            "hours": 3.5,
            "project_id": "PJ01",
        },
        {
            "contribution_id": "C2",
            "contributed_on": "2026-04-08",
            "contributor_type": "household",
            "contributor_ref": "H01",
            "public_name": "王阿姨",
            "kind": "items",
            "quantity": 2,
            "project_id": "PJ01",
        },
        {
            "contribution_id": "C3",
            "contributed_on": "2026-04-08",
            "contributor_type": "household",
            "contributor_ref": "H02",
            "public_name": "李师傅",
            "kind": "labour",
            "hours": 6,
            "project_id": "PJ01",
        },
        {
            "contribution_id": "C4",
            "contributed_on": "2026-05-01",
            "contributor_type": "enterprise",
            "contributor_ref": "E1",
            "public_name": "幸福物业",
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
            "project_id": "PJ03",
        },
        {
            "contribution_id": "C6",
            "contributed_on": "2026-06-02",
            "contributor_type": "volunteer_team",
            "contributor_ref": "T1",
            "kind": "labour",
            "hours": 10,
        },
    ]
)


def test_totals_per_project() -> None:
    totals = contribution_totals(CONTRIBUTIONS).set_index("project_id")
    # PJ01: C1, C2 (H01) and C3 (H02): 3 entries, 2 contributors, 9.5 hours, 2 items
    assert totals.loc["PJ01", ["entries", "contributors", "labour_hours", "items"]].tolist() == [3, 2, 9.5, 2]
    # PJ03: ¥5,000 money, ¥120.50 materials
    assert totals.loc["PJ03", ["money_fen", "materials_fen"]].tolist() == [500000, 12050]
    assert totals.loc["", "labour_hours"] == 10  # a contribution to no particular project
    assert contribution_totals(CONTRIBUTIONS.iloc[0:0]).empty


def test_the_honour_roll_names_only_who_consented() -> None:
    roll = honour_roll(CONTRIBUTIONS, consented={"H01", "E1"})
    assert [(e.name, e.labour_hours, e.items, e.value_fen) for e in roll.named] == [
        ("王阿姨", 3.5, 2.0, 0),
        ("幸福物业", 0.0, 0.0, 500000),
    ]
    # 李师傅 (H02) gave a public name but is not in the consent set: counted, never named
    assert all(e.name != "李师傅" for e in roll.named)
    unnamed = {t.contributor_type: (t.contributors, t.labour_hours, t.value_fen) for t in roll.unnamed}
    assert unnamed == {"household": (2, 6.0, 12050), "volunteer_team": (1, 10.0, 0)}


def test_the_honour_roll_with_no_consent_names_nobody_and_filters_by_period() -> None:
    roll = honour_roll(CONTRIBUTIONS, consented=set())
    assert roll.named == () and sum(t.entries for t in roll.unnamed) == 6
    april = honour_roll(CONTRIBUTIONS, consented={"H01", "H02"}, start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30))
    assert [e.name for e in april.named] == ["李师傅", "王阿姨"]  # 6 hours before 3.5
    assert honour_roll(CONTRIBUTIONS.iloc[0:0], consented={"H01"}).empty


def test_money_is_counted_exactly_in_fen() -> None:
    assert to_fen(0.1) + to_fen(0.2) == to_fen(0.3) == 30
    assert to_fen("1,234.56") == 123456 and to_fen(12000.1) == 1200010
    assert yuan_text(1200010) == "12,000.10" and yuan_text(-5) == "-0.05"


SOURCES = pd.DataFrame(
    {
        "project_id": ["PJ01", "PJ01", "PJ01", "PJ02"],
        "source": ["government", "community_fund", "residents", "government"],
        "amount_yuan": [8000, 3000, 1000.10, 99],
    }
)
SPENDING = pd.DataFrame(
    {
        "project_id": ["PJ01", "PJ01", "PJ01"],
        "spent_on": ["2026-04-10", "2026-05-10", "2026-07-10"],
        "amount_yuan": [4000, 6000.5, 3000],
        "item": ["苗木", "座椅", "铺装"],
    }
)


def test_finance_that_adds_up_has_no_flag() -> None:
    summary = finance_summary("PJ01", 12000.10, SOURCES, SPENDING, as_of=dt.date(2026, 6, 30))
    assert summary.sources == (("government", 800000), ("community_fund", 300000), ("residents", 100010))
    assert summary.sources_fen == summary.budget_fen == 1200010
    assert (summary.spent_fen, summary.spending_entries, summary.balance_fen) == (1000050, 2, 199960)
    assert summary.adds_up and summary.flags == ()


def test_sources_that_do_not_add_up_are_flagged_with_the_difference() -> None:
    summary = finance_summary("PJ01", 12000, SOURCES, SPENDING, as_of=dt.date(2026, 6, 30))
    (flag,) = summary.flags
    assert flag.kind is FlagKind.SOURCES_MISMATCH and flag.amounts["difference"] == 10  # ten fen too many
    assert flag.message() == "项目 PJ01 的资金来源合计 12,000.10 元，与预算总额 12,000.00 元不符（相差 0.10 元）。"


def test_spending_above_budget_is_flagged() -> None:
    summary = finance_summary("PJ01", 12000.10, SOURCES, SPENDING)  # all spending: 13,000.50
    assert [f.kind for f in summary.flags] == [FlagKind.OVERSPENT]
    assert summary.flags[0].amounts == {"budget": 1200010, "spent": 1300050, "over": 100040}
    assert summary.balance_fen == -100040
    exactly = finance_summary("PJ01", 13000.50, SOURCES.assign(amount_yuan=[8000, 3000, 2000.5, 0]), SPENDING)
    assert exactly.adds_up  # spent = budget is within budget


def test_spending_without_a_budget_is_flagged() -> None:
    summary = finance_summary("PJ01", None, None, SPENDING)
    assert [f.kind for f in summary.flags] == [FlagKind.NO_BUDGET] and summary.balance_fen is None
    assert finance_summary("PJ09", None, SOURCES, SPENDING).flags == ()  # a project with nothing at all


def test_milestone_states() -> None:
    milestones = pd.DataFrame(
        {
            "milestone_id": ["M1", "M2", "M3", "M4", "M5"],
            "project_id": ["PJ01"] * 5,
            "name": list("abcde"),
            "planned_on": ["2026-04-01", "2026-05-01", "2026-06-01", "2026-08-01", "2026-06-20"],
            "actual_on": ["2026-04-01", "2026-05-04", None, None, "2026-07-02"],  # M5 "done" after the day
        }
    )
    states = {m.milestone_id: (m.state, m.days_late) for m in milestone_progress(milestones, dt.date(2026, 6, 30))}
    assert states == {
        "M1": (MilestoneState.DONE_ON_TIME, 0),
        "M2": (MilestoneState.DONE_LATE, 3),
        "M3": (MilestoneState.OVERDUE, 29),
        "M4": (MilestoneState.PLANNED, 0),
        "M5": (MilestoneState.OVERDUE, 10),
    }


def test_disclosure_dates_and_matching() -> None:
    dues = disclosure_due_dates(dt.date(2026, 1, 31), dt.date(2026, 12, 31), every_months=3)
    assert dues == [dt.date(2026, 1, 31), dt.date(2026, 4, 30), dt.date(2026, 7, 31), dt.date(2026, 10, 31)]
    schedule = disclosure_schedule(dues[:3], [dt.date(2026, 2, 5), dt.date(2026, 5, 20)], grace_days=7, lead_days=14)
    # 5 Feb is within 7 days after 31 Jan: on time. 20 May is in no window (30 Apr + 7 = 7 May; 31 Jul − 14 =
    # 17 Jul): it fulfils the latest gap before it, April, late; July has nothing yet
    assert [(d.published_on, d.on_time) for d in schedule] == [
        (dt.date(2026, 2, 5), True),
        (dt.date(2026, 5, 20), False),
        (None, False),
    ]
    early = disclosure_schedule(dues[:2], [dt.date(2026, 1, 20), dt.date(2026, 4, 25)])
    assert all(d.on_time for d in early)  # published before the due date counts
    with pytest.raises(ValueError):
        disclosure_due_dates(dt.date(2026, 1, 1), dt.date(2026, 2, 1), every_months=0)


def test_photos_with_faces_or_minors_need_consent() -> None:
    photos = pd.DataFrame(
        {
            "photo_id": ["F1", "F2", "F3", "F4"],
            "shows_faces": [0, 1, 0, 1],
            "shows_minors": [0, 0, 1, 1],
        }
    )
    assert [photo_needs_consent(f, m) for f, m in zip(photos["shows_faces"], photos["shows_minors"], strict=True)] == [
        False,
        True,
        True,
        True,
    ]
    assert publishable_photos(photos, consented={"F3"})["photo_id"].tolist() == ["F1", "F3"]
    assert publishable_photos(photos, consented=set())["photo_id"].tolist() == ["F1"]
