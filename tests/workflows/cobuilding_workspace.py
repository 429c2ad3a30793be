"""A small hand-made workspace for the co-building, convention and assessment tests, with canaries planted.

Ten households, four idle plots, three adoption zones, one vote, six evaluations,
two workshop sessions, four demands, four contributions, four milestones, one
project budget and two notices. Every figure of its ledger on 30 June 2026 is
worked out by hand in :data:`EXPECTED` (the working is in the comments), and
the personal data that must never reach a publication is planted on the
private side (and, for the demand text, where residents type it).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
from shapely.geometry import Point, box

from cogov_toolkit.core.votes import RawBallot
from cogov_toolkit.storage import Workspace, create_workspace
from cogov_toolkit.workflows import cobuilding as cb
from cogov_toolkit.workflows import votes
from cogov_toolkit.workflows.notices import decision_notice, mark_published
from tests.canaries import CANARY_ADOPTER, CANARY_NAME, CANARY_PHONE

AS_OF = dt.date(2026, 6, 30)
OFFICE = {"contact": "社区居委会 李主任", "office_phone": "0592-5550000", "issuer": "测试社区居民委员会"}
HOUSEHOLDS = [f"H{i:02d}" for i in range(1, 11)]
#: a contributor who gave a public name without consent, and someone on a sign-in sheet: private only
CANARY_CONTRIBUTOR = "贡献者金丝雀样"
CANARY_SIGNIN = "签到金丝雀样"
CANARIES = (CANARY_NAME, CANARY_PHONE, CANARY_ADOPTER, CANARY_CONTRIBUTOR, CANARY_SIGNIN)
#: the ledger of 30 June 2026, by hand: (numerator, denominator) for shares, the value otherwise; None = 无数据
EXPECTED = {
    "participation_votes": (6, 10),  # H01–H06 voted (H01's second ballot set aside)
    "participation_surveys": (3, 10),  # H01, H02, H03 named; one answer anonymous
    "participation_workshops": 23.0,  # S1: 20 counted (2 signed in); S2: no count, 3 signed in
    "participation_any": (9, 10),  # H01–H06 ∪ H01–H03 ∪ H04, H07, H08, H09
    "demands_received": 4.0,
    "demands_replied_on_time": (1, 3),  # D1 on time; D2 late; D3 deadline passed; D4 not due
    "demands_resolved": (1, 4),  # D1
    "demands_kept_building": None,  # no private matter resolved
    "demands_kept_neighbourhood": (1, 1),  # D1, a minor matter resolved at its level
    "demands_kept_community": None,  # no major matter resolved
    "satisfaction_change": 1.0,  # H01 3→4, H02 2→3, H03 4→5: every pair +1
    "idle_plots_renovated": (2, 4),  # P1, P4 done
    "adoption_zones_adopted": (2, 3),  # A1, A2 running on 30 June
    "adoption_care_on_schedule": (1, 2),  # A1 longest gap 19 ≤ 30; A2 20 > 14
    "contributions_labour_hours": 9.5,  # 3.5 + 6
    "contributions_value": 5120.5,  # 5000 + 120.50
    "contributions_contributors": 4.0,  # H01, H02, E1, and C4 (no reference)
    "milestones_on_time": (1, 3),  # M1 on time; M2 late; M3 overdue; M4 not due
    "notices_on_time": (1, 2),  # PJ01's April 财务公开 on 5 April (due 1 April + 7); V1's notice on 30 May (due 27 May)
}
TARGETS = {
    "participation_votes": "50%",  # met
    "demands_replied_on_time": "90%",  # below: D2, D3
    "idle_plots_renovated": "60%",  # below: P2, P3
    "contributions_labour_hours": "20小时",  # below
    "notices_on_time": "80%",  # below: V1
}
LOOK_BACK = ["demands_replied_on_time", "idle_plots_renovated", "contributions_labour_hours", "notices_on_time"]


def _layers(ws: Workspace) -> None:
    x0, y0 = 118.11, 24.49

    def cell(i: int, j: int, size: float = 0.0004):
        return box(x0 + i * 0.001, y0 + j * 0.001, x0 + i * 0.001 + size, y0 + j * 0.001 + size)

    crs = "EPSG:4326"
    ws.write_layer(
        "community",
        gpd.GeoDataFrame(
            {"community_id": ["C9"], "name": ["测试社区"]},
            geometry=[box(x0 - 0.001, y0 - 0.001, x0 + 0.006, y0 + 0.004)],
            crs=crs,
        ),
    )
    ws.write_layer(
        "neighbourhoods",
        gpd.GeoDataFrame(
            {"neighbourhood_id": ["N1"], "name": ["测试小区"], "community_id": ["C9"]},
            geometry=[box(x0, y0, x0 + 0.005, y0 + 0.003)],
            crs=crs,
        ),
    )
    ws.write_layer(
        "grids",
        gpd.GeoDataFrame(
            {"grid_id": ["G1"], "name": ["一网格"], "neighbourhood_id": ["N1"]},
            geometry=[box(x0, y0, x0 + 0.005, y0 + 0.003)],
            crs=crs,
        ),
    )
    ws.write_layer(
        "buildings",
        gpd.GeoDataFrame(
            {
                "building_id": ["B01", "B02"],
                "label": ["1栋", "2栋"],
                "neighbourhood_id": ["N1", "N1"],
                "grid_id": ["G1", "G1"],
                "units": [1, 1],
                "floors": [5, 5],
                "households": [5, 5],
            },
            geometry=[cell(0, 0), cell(1, 0)],
            crs=crs,
        ),
    )
    ws.write_layer(
        "idle_plots",
        gpd.GeoDataFrame(
            {
                "plot_id": ["P1", "P2", "P3", "P4"],
                "number": [1, 2, 3, 4],
                "name": ["北侧空地", "东侧边角", "西侧空地", "南侧绿地"],
                "status": ["done", "in_progress", "idle", "done"],
                "neighbourhood_id": ["N1"] * 4,
            },
            geometry=[cell(0, 2), cell(1, 2), cell(2, 2), cell(3, 2)],
            crs=crs,
        ),
    )
    ws.write_layer(
        "adoption_zones",
        gpd.GeoDataFrame(
            {
                "zone_id": ["A1", "A2", "A3"],
                "number": [1, 2, 3],
                "zone_type": ["tree", "lawn", "stairwell"],
                "status": ["adopted", "adopted", "available"],
                "neighbourhood_id": ["N1"] * 3,
            },
            geometry=[
                Point(x0 + 0.0042, y0 + 0.0005),
                Point(x0 + 0.0045, y0 + 0.0015),
                Point(x0 + 0.0002, y0 + 0.0002),
            ],
            crs=crs,
        ),
    )


def build_cobuilding_workspace(path: Path) -> Path:
    """Build the hand-made workspace at ``path`` and return its path (closed)."""
    ws = create_workspace(path, "测试社区")
    _layers(ws)
    ws.add_many(
        "households",
        [
            {"household_id": h, "building_id": "B01" if i < 5 else "B02", "unit": 1, "room": f"{i % 5 + 1}01"}
            for i, h in enumerate(HOUSEHOLDS)
        ],
    )
    ws.add_private("people", [{"household_id": "H10", "name": CANARY_NAME, "phone": CANARY_PHONE}])
    ws.add_many(
        "projects",
        [
            {
                "project_id": "PJ01",
                "name": "北侧空地改造口袋花园",
                "site_type": "idle_plot",
                "site_id": "P1",
                "status": "done",
            },
            {
                "project_id": "PJ02",
                "name": "东侧边角地休闲座椅",
                "site_type": "idle_plot",
                "site_id": "P2",
                "status": "in_progress",
            },
            {"project_id": "PJ03", "name": "楼道微改造", "status": "proposed"},
        ],
    )
    # --- a vote: six households, H01 twice (the second set aside as a duplicate)
    votes.create_vote(ws, "V1", "是否同意北侧空地改造为口袋花园？", ("赞成", "反对", "弃权"), rule="yes_no_abstain")
    choices = ["赞成", "赞成", "反对", "赞成", "弃权", "赞成", "反对"]
    voters = ["H01", "H02", "H03", "H04", "H05", "H06", "H01"]
    votes.record_ballots(
        ws, "V1", [RawBallot(f"B{i}", h, c) for i, (h, c) in enumerate(zip(voters, choices, strict=True))], "paper"
    )
    votes.count_vote(ws, "V1", counted_at=dt.datetime(2026, 5, 20, 10, 0, tzinfo=dt.UTC))
    mark_published(ws, decision_notice(ws, "V1", **OFFICE, start_on=dt.date(2026, 5, 30)))
    # --- evaluations: three households before and after (each +1), one anonymous answer before
    rows, links = [], []
    for household, phase, score, day in [
        ("H01", "pre", 3, "2026-03-01"),
        ("H02", "pre", 2, "2026-03-01"),
        ("H03", "pre", 4, "2026-03-02"),
        (None, "pre", 3, "2026-03-02"),
        ("H01", "post", 4, "2026-06-10"),
        ("H02", "post", 3, "2026-06-10"),
        ("H03", "post", 5, "2026-06-11"),
    ]:
        rows.append(
            {
                "project_id": "PJ01",
                "phase": phase,
                "evaluator_role": "resident",
                "building_id": "B01",
                "questionnaire": "satisfaction_5",
                "answers": {"q_overall": score},
                "submitted_at": f"{day}T10:00:00+08:00",
            }
        )
        links.append({"evaluation_links": {"household_id": household}} if household else None)
    ws.add_many("evaluations", rows, private=links)
    # --- workshop sessions and their sign-in sheets (a canary signs in)
    cb.record_session(
        ws,
        held_on="2026-04-10",
        title="口袋花园方案讨论会",
        workshop="幸福工坊",
        project_id="PJ01",
        attendance=20,
        minutes=f"{CANARY_NAME}发言：希望多种树。",
        signins=[cb.ContributorContact("H04", "赵样样"), cb.ContributorContact("H07", CANARY_SIGNIN, CANARY_PHONE)],
    )
    cb.record_session(
        ws,
        held_on="2026-05-15",
        title="种植日",
        project_id="PJ01",
        signins=cb.parse_signins("H08 钱样样\nH09 孙样样 100-5555-6666\n李样样"),
    )
    # --- demands (the text names a resident, as residents write it)
    ws.add_many(
        "demands",
        [
            {
                "demand_id": "D1",
                "reported_on": "2026-03-01",
                "channel": "visit",
                "category": "greening",
                "text": f"{CANARY_NAME}说北侧空地杂草多",
                "triage_class": "minor",
                "status": "resolved",
                "due_at": "2026-03-10T12:00:00+08:00",
                "replied_at": "2026-03-09T10:00:00+08:00",
            },
            {
                "demand_id": "D2",
                "reported_on": "2026-03-01",
                "channel": "visit",
                "category": "parking",
                "text": "停车难",
                "triage_class": "major",
                "status": "replied",
                "due_at": "2026-03-10T12:00:00+08:00",
                "replied_at": "2026-03-12T10:00:00+08:00",
            },
            {
                "demand_id": "D3",
                "reported_on": "2026-03-01",
                "channel": "online",
                "category": "dispute",
                "text": "楼上漏水",
                "triage_class": "private",
                "status": "received",
                "due_at": "2026-03-05T17:00:00+08:00",
            },
            {
                "demand_id": "D4",
                "reported_on": "2026-06-28",
                "channel": "online",
                "category": "repair",
                "text": "路灯坏了",
                "status": "received",
                "due_at": "2026-07-30T17:00:00+08:00",
            },
        ],
    )
    # --- adoptions and care
    ws.add_many(
        "adoptions",
        [
            {"adoption_id": "AD1", "zone_id": "A1", "adopter_type": "household", "start_on": "2026-06-01"},
            {
                "adoption_id": "AD2",
                "zone_id": "A2",
                "adopter_type": "party_member",
                "start_on": "2026-06-01",
                "end_on": "2026-12-31",
            },
        ],
        private=[{"adopter_contacts": {"name": CANARY_ADOPTER, "phone": CANARY_PHONE}}, None],
    )
    ws.add_many(
        "adoption_care_log",
        [
            {"zone_id": "A1", "checked_on": "2026-06-20", "result": "good"},
            {"zone_id": "A2", "checked_on": "2026-06-10", "result": "good"},
        ],
    )
    # --- contributions (C2's contributor did not consent; their contact is the canary)
    cb.record_contribution(
        ws,
        contributed_on="2026-04-10",
        contributor_type="household",
        kind="labour",
        hours=3.5,
        project_id="PJ01",
        contact=cb.ContributorContact("H01", "王样样"),
        consent=True,
        public_name="王阿姨",
    )
    cb.record_contribution(
        ws,
        contributed_on="2026-05-15",
        contributor_type="household",
        kind="labour",
        hours=6,
        project_id="PJ01",
        contact=cb.ContributorContact("H02", CANARY_CONTRIBUTOR, CANARY_PHONE),
        public_name=CANARY_CONTRIBUTOR,
    )
    cb.record_contribution(
        ws,
        contributed_on="2026-04-01",
        contributor_type="enterprise",
        kind="money",
        value_yuan=5000,
        project_id="PJ01",
        contributor_ref="E1",
        consent=True,
        public_name="幸福物业公司",
    )
    cb.record_contribution(
        ws,
        contributed_on="2026-05-20",
        contributor_type="household",
        kind="materials",
        value_yuan=120.5,
        project_id="PJ02",
        task="旧花盆",
    )
    # --- milestones, budget, spending and the April 财务公开 (published on 5 April)
    cb.add_milestone(ws, "PJ01", "方案确定", "2026-04-01", actual_on="2026-03-28", milestone_id="M1")
    cb.add_milestone(ws, "PJ01", "施工完成", "2026-05-01", actual_on="2026-05-10", milestone_id="M2")
    cb.add_milestone(ws, "PJ02", "座椅安装", "2026-06-01", milestone_id="M3")
    cb.add_milestone(ws, "PJ02", "验收", "2026-08-01", milestone_id="M4")
    cb.set_budget(ws, "PJ01", 12000, disclosure_months=3, disclosure_from=dt.date(2026, 4, 1))
    cb.add_budget_source(ws, "PJ01", "government", 8000)
    cb.add_budget_source(ws, "PJ01", "community_fund", 3000)
    cb.add_budget_source(ws, "PJ01", "residents", 1000)
    cb.record_spending(ws, "PJ01", spent_on="2026-03-20", amount_yuan=4000, item="苗木", receipt_ref="FP-20260320-0001")
    cb.record_spending(ws, "PJ01", spent_on="2026-04-20", amount_yuan=6500.5, item="座椅和铺装")
    review = cb.finance_review(ws, "PJ01", dt.date(2026, 4, 1), issued_on=dt.date(2026, 4, 5), **OFFICE)
    mark_published(ws, review.notice)
    ws.close()
    return path


__all__ = [
    "AS_OF",
    "OFFICE",
    "HOUSEHOLDS",
    "CANARIES",
    "EXPECTED",
    "TARGETS",
    "LOOK_BACK",
    "build_cobuilding_workspace",
]
