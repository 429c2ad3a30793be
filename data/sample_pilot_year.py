"""A pilot's year of 发展共建, accountability, convention and handling records for the sample community 幸福社区.

:func:`make_pilot_year` draws, from ``random.Random`` only (so the output is
byte-for-byte reproducible), what a pilot from March to November 2026 leaves
behind: the demands received, classified, replied to and resolved (a few late,
a few escalated); the sample votes counted and their decision notices; ten
社区工坊 sessions with head counts, minutes and sign-in sheets; sixty-odd
contributions (labour, items, money, materials), some named with consent;
budgets by source, payments with receipts, milestones and quarterly 财务公开 of
three projects (one whose sources do not add up, as happens); adoptions with
their care checks; a resident convention revised once and adopted by vote; and
the street office's targets. Everybody in it is fictional: names and phones
come from the sample roster (names contain 样, phones the prefix 100).

The result is plain JSON (:func:`write_pilot_year`); the toolkit lays it into a
workspace through its own workflows, so every privacy rule applies on the way
in (:func:`cogov_toolkit.demo.pilot_year.load_pilot_year`).

To be called from ``data/generate_sample.py`` (which then writes
``pilot_year.json`` beside the other sample files)::

    year = make_pilot_year(rng, households, projects, plots, zones, demands, votes)
    write_pilot_year(out / "pilot_year.json", year)
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

PILOT_START = dt.date(2026, 3, 1)
PILOT_END = dt.date(2026, 11, 30)
#: who answers for a 大事 (a unit and a post, never a resident)
MAJOR_HANDLERS = (("社区居委会", "社区网格员"), ("物业服务中心", "物业项目经理"), ("街道城管科", "城管科值班员"))
REPLIES = {
    "repair": "已联系物业维修，维修完成后请告知是否满意。",
    "safety": "已现场查看并排除隐患，后续加强巡查。",
    "sanitation": "已安排保洁清理，并在楼栋群内提醒。",
    "greening": "已纳入绿化养护计划，近期修剪补种。",
    "parking": "已提交小区周周议讨论停车方案。",
    "dispute": "楼栋党小组长已上门协调，双方达成一致。",
    "ageing": "已登记需求，社区将协助申请适老化改造。",
    "other": "已答复，欢迎继续反映。",
}
SESSIONS = (
    ("口袋花园方案讨论会", "PJ01", "幸福工坊"),
    ("口袋花园共建种植日", "PJ01", "幸福工坊"),
    ("休闲座椅选址议事会", "PJ03", "邻里议事角"),
    ("文化墙主题征集", "PJ02", "幸福工坊"),
    ("邻里客厅功能讨论会", "PJ04", "邻里议事角"),
    ("垃圾分类宣传志愿活动", None, "新时代文明实践站"),
    ("居民公约起草座谈会", None, "邻里议事角"),
    ("休闲座椅共建安装日", "PJ03", "幸福工坊"),
    ("居民公约修订意见征集", None, "邻里议事角"),
    ("口袋花园验收与养护培训", "PJ01", "幸福工坊"),
)
TASKS = ("清理杂物", "翻土种植", "浇水养护", "搬运材料", "粉刷墙面", "安装座椅", "现场引导", "拍照记录")
ITEMS = (("旧花盆", "个"), ("闲置座椅", "把"), ("绿植", "盆"), ("书籍", "本"), ("工具", "件"))
CONVENTION_V1 = (
    "爱护小区公共空间，不私自占用架空层、楼道和绿地。",
    "车辆按线停放，不占用消防通道和盲道。",
    "生活垃圾分类投放，按时定点。",
    "文明养犬，出门牵绳，及时清理粪便。",
    "晚上十点后不在广场、架空层大声喧哗。",
)
CONVENTION_V2 = (
    CONVENTION_V1[0],
    CONVENTION_V1[1],
    "生活垃圾分类投放，早七点至九点、晚六点至八点定时定点。",
    CONVENTION_V1[3],
    CONVENTION_V1[4],
    "电动自行车不进楼道、不进家门充电。",
)
TARGETS = {
    "participation_any": "60%",
    "participation_votes": "50%",
    "participation_workshops": "300人次",
    "demands_replied_on_time": "90%",
    "demands_resolved": "80%",
    "demands_kept_building": "90%",
    "demands_kept_neighbourhood": "85%",
    "demands_kept_community": "90%",
    "satisfaction_change": "0.5",
    "idle_plots_renovated": "50%",
    "adoption_zones_adopted": "60%",
    "adoption_care_on_schedule": "80%",
    "contributions_labour_hours": "400小时",
    "milestones_on_time": "80%",
    "notices_on_time": "90%",
}


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="minutes")


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(str(text)[:10])


def _people(rng: random.Random, households: Sequence[dict], count: int) -> list[dict]:
    named = [h for h in households if h.get("name")]
    return [
        {"household_id": h["household_id"], "name": h["name"], "phone": h["phone"]}
        for h in rng.sample(named, min(count, len(named)))
    ]


def _handling(rng: random.Random, demands: Sequence[dict]) -> list[dict]:
    """What happened to each demand: class, when assigned, replied (a few late), resolved, rated, escalated."""
    out = []
    for demand in demands:
        reported = _day(demand["reported_on"])
        received = dt.datetime.combine(reported, dt.time(9, 0))
        if reported > PILOT_END:
            continue
        steps: dict[str, Any] = {"demand_id": demand["demand_id"]}
        late = rng.random() < 0.1
        replied = received + (
            dt.timedelta(days=rng.choice((6, 8, 9))) if late else dt.timedelta(hours=rng.choice((3, 5, 20, 26)))
        )
        if demand.get("urgency") == "urgent" and not late:
            replied = received + dt.timedelta(hours=rng.choice((2, 4, 8)))
        steps["assigned_at"] = _iso(received + dt.timedelta(hours=1))
        major = demand.get("place_type") == "neighbourhood" or demand["category"] in ("parking",)
        steps["triage_class"] = "major" if major else None  # None: the suggestion
        # a named unit and post for every demand (a 大事, the suggestion may make it one, needs them)
        steps["handler_unit"], steps["handler"] = MAJOR_HANDLERS[rng.randrange(len(MAJOR_HANDLERS))]
        if (PILOT_END - reported).days < 3 and rng.random() < 0.5:
            out.append(steps)  # the last few are still being handled
            continue
        steps["replied_at"] = _iso(replied)
        steps["reply"] = REPLIES.get(demand["category"], REPLIES["other"])
        if major and rng.random() < 0.15:
            steps["escalated_at"] = _iso(replied - dt.timedelta(minutes=30))
            steps["escalated_to"] = "street"
            steps["escalation_reason"] = "涉及市政管线，需要街道协调"
        if rng.random() < 0.8:
            resolved = replied + dt.timedelta(days=rng.randint(1, 12))
            if resolved.date() <= PILOT_END:
                steps["resolved_at"] = _iso(resolved)
                if rng.random() < 0.6:
                    steps["rated_at"] = _iso(resolved + dt.timedelta(days=3))
                    steps["rating"] = rng.choice((3, 4, 4, 5, 5, 5))
        out.append(steps)
    return out


def _sessions(rng: random.Random, households: Sequence[dict]) -> list[dict]:
    days = sorted(rng.sample(range((PILOT_END - PILOT_START).days), len(SESSIONS)))
    out = []
    for n, ((title, project, workshop), offset) in enumerate(zip(SESSIONS, days, strict=True), start=1):
        signins = _people(rng, households, rng.randint(6, 16))
        if rng.random() < 0.3:
            signins.append({"household_id": None, "name": "外单位志愿者", "phone": None})
        out.append(
            {
                "session_id": f"GF{n:04d}",
                "held_on": (PILOT_START + dt.timedelta(days=offset)).isoformat(),
                "title": title,
                "workshop": workshop,
                "project_id": project,
                "attendance": len(signins) + rng.randint(5, 25),
                "minutes": f"{title}：到会居民讨论热烈，形成意见若干条，会后在楼栋群公布。",
                "signins": signins,
            }
        )
    return out


def _contributions(rng: random.Random, households: Sequence[dict], sessions: Sequence[dict]) -> list[dict]:
    out: list[dict] = []
    regulars = _people(rng, households, 14)
    teams = [("T01", "幸福志愿服务队"), ("T02", "银龄志愿者团队")]
    firms = [("E01", "安居物业服务公司"), ("E02", "鹭岛园林有限公司"), ("E03", "街角便利店")]
    for session in sessions:
        if session["project_id"] is None:
            continue
        for person in rng.sample(regulars, rng.randint(2, 5)):
            consent = rng.random() < 0.45
            out.append(
                {
                    "contributed_on": session["held_on"],
                    "contributor_type": rng.choice(("household", "household", "party_member")),
                    "kind": "labour",
                    "project_id": session["project_id"],
                    "session_id": session["session_id"],
                    "task": rng.choice(TASKS),
                    "hours": rng.choice((2, 2.5, 3, 4)),
                    "contact": person,
                    "consent": consent,
                    "public_name": f"{person['name'][0]}阿姨" if consent else None,
                }
            )
        team_ref, team_name = rng.choice(teams)
        out.append(
            {
                "contributed_on": session["held_on"],
                "contributor_type": "volunteer_team",
                "contributor_ref": team_ref,
                "kind": "labour",
                "project_id": session["project_id"],
                "session_id": session["session_id"],
                "task": rng.choice(TASKS),
                "hours": rng.choice((12, 16, 20, 24)),
                "consent": True,
                "public_name": team_name,
            }
        )
    for _ in range(8):
        person = rng.choice(regulars)
        item, unit = rng.choice(ITEMS)
        day = PILOT_START + dt.timedelta(days=rng.randrange((PILOT_END - PILOT_START).days))
        out.append(
            {
                "contributed_on": day.isoformat(),
                "contributor_type": "household",
                "kind": "items",
                "project_id": rng.choice(("PJ01", "PJ03", "PJ04")),
                "task": item,
                "quantity": rng.randint(1, 6),
                "quantity_unit": unit,
                "contact": person,
                "consent": False,
            }
        )
    for ref, name in firms:
        day = PILOT_START + dt.timedelta(days=rng.randrange(120))
        money = ref != "E02"
        out.append(
            {
                "contributed_on": day.isoformat(),
                "contributor_type": "enterprise",
                "contributor_ref": ref,
                "kind": "money" if money else "materials",
                "project_id": rng.choice(("PJ01", "PJ03")),
                "task": "捐资" if money else "苗木",
                "value_yuan": rng.choice((2000, 3000, 5000)) if money else 2680.0,
                "consent": True,
                "public_name": name,
            }
        )
    return sorted(out, key=lambda c: c["contributed_on"])


def _finance(rng: random.Random) -> list[dict]:
    """Three projects' money: PJ01 done and adding up; PJ03 with a residents' share not yet in; PJ04 starting."""

    def spending(start: dt.date, items: Sequence[tuple[str, float]], *, receipts: bool = True) -> list[dict]:
        day, out = start, []
        for n, (item, amount) in enumerate(items, start=1):
            day += dt.timedelta(days=rng.randint(7, 25))
            receipt = f"FP-{day:%Y%m%d}-{n:02d}" if receipts or n % 3 else None
            out.append({"spent_on": day.isoformat(), "amount_yuan": amount, "item": item, "receipt_ref": receipt})
        return out

    return [
        {
            "project_id": "PJ01",
            "budget_yuan": 28000.0,
            "disclosure_from": "2026-04-01",
            "sources": [
                ["government", 18000.0],
                ["community_fund", 6000.0],
                ["enterprise", 3000.0],
                ["residents", 1000.0],
            ],
            "spending": spending(
                dt.date(2026, 3, 20), [("苗木和花卉", 8600.0), ("土方与铺装", 12400.0), ("座椅和标识牌", 5200.0)]
            ),
            "milestones": [
                ["方案公示", "2026-04-10", "2026-04-08"],
                ["共建施工", "2026-05-20", "2026-05-26"],
                ["竣工验收", "2026-06-30", "2026-06-28"],
            ],
            "notices": ["2026-04-03", "2026-07-05", "2026-10-15"],
        },
        {
            "project_id": "PJ03",
            "budget_yuan": 16000.0,
            "disclosure_from": "2026-06-01",
            "sources": [["government", 10000.0], ["community_fund", 4000.0], ["residents", 1500.0]],  # ¥500 short
            "spending": spending(dt.date(2026, 6, 10), [("座椅采购", 7800.0), ("基础施工", 4600.0)], receipts=False),
            "milestones": [
                ["选址议事", "2026-06-15", "2026-06-12"],
                ["座椅安装", "2026-08-31", "2026-09-12"],
                ["验收与回访", "2026-12-15", None],
            ],
            "notices": ["2026-06-05", "2026-09-20"],
        },
        {
            "project_id": "PJ04",
            "budget_yuan": 45000.0,
            "disclosure_from": "2026-10-01",
            "sources": [["government", 40000.0], ["community_fund", 5000.0]],
            "spending": [],
            "milestones": [["方案设计", "2026-11-15", None], ["施工进场", "2027-01-10", None]],
            "notices": ["2026-10-02"],
        },
    ]


def _adoptions(rng: random.Random, zones: Sequence[dict], households: Sequence[dict]) -> tuple[list[dict], list[dict]]:
    intervals = {"tree": 30, "lawn": 14, "stairwell": 7, "public_area": 14}
    chosen = rng.sample(list(zones), round(len(zones) * 0.65))
    adoptions, care = [], []
    for n, zone in enumerate(sorted(chosen, key=lambda z: z["zone_id"]), start=1):
        start = PILOT_START + dt.timedelta(days=rng.randrange(90))
        kind = rng.choice(("household", "household", "party_member", "volunteer_team", "enterprise"))
        person = _people(rng, households, 1)[0]
        consent = rng.random() < 0.5
        adoptions.append(
            {
                "adoption_id": f"AD{n:03d}",
                "zone_id": zone["zone_id"],
                "adopter_type": kind,
                "start_on": start.isoformat(),
                "public_name": f"{person['name'][0]}家" if consent else None,
                "consent": consent,
                "contact": person if kind in ("household", "party_member") else None,
            }
        )
        diligent = rng.random() < 0.75
        day = start
        while True:
            gap = (
                intervals[zone["zone_type"]] - rng.randint(0, 4)
                if diligent
                else intervals[zone["zone_type"]] + rng.randint(-3, 15)
            )
            day += dt.timedelta(days=max(1, gap))
            if day > PILOT_END:
                break
            result = "needs_attention" if rng.random() < 0.05 else "good"
            care.append({"zone_id": zone["zone_id"], "checked_on": day.isoformat(), "result": result})
    return adoptions, care


def _convention_ballots(rng: random.Random, households: Sequence[dict], buildings_n1: set[str]) -> list[list[str]]:
    """Paper ballots (number, household, choice) of 58 % of N1's households: most in favour."""
    voters = [h for h in households if h["building_id"] in buildings_n1 and h.get("name")]
    taking_part = rng.sample(voters, round(len(voters) * 0.58))
    choices = ("赞成", "反对", "弃权")
    return [
        [f"纸质{n:04d}", h["household_id"], rng.choices(choices, (0.84, 0.09, 0.07))[0]]
        for n, h in enumerate(taking_part, start=1)
    ]


def make_pilot_year(
    rng: random.Random,
    households: Sequence[dict],
    projects: Sequence[dict],
    plots: Sequence[dict],
    zones: Sequence[dict],
    demands: Sequence[dict],
    votes: Sequence[dict],
    *,
    buildings_n1: set[str] | None = None,
) -> dict[str, Any]:
    """Return the pilot year's records as JSON-ready data (see the module's docstring).

    ``households`` are the roster rows with their fictional ``name`` and
    ``phone``; ``buildings_n1`` the buildings of 小区 N1, where the convention is
    voted on (all buildings when not given).
    """
    del projects, plots  # the projects and sites are those of the sample; their ids are used as they are
    n1 = buildings_n1 or {h["building_id"] for h in households}
    sessions = _sessions(rng, households)
    adoptions, care = _adoptions(rng, zones, households)
    return {
        "pilot": {"start": PILOT_START.isoformat(), "end": PILOT_END.isoformat()},
        "demand_handling": _handling(rng, demands),
        "vote_counts": [
            {
                "vote_id": v["vote_id"],
                "counted_at": f"{v['closes_on']}T20:00+08:00",
                "notice_on": (_day(v["closes_on"]) + dt.timedelta(days=rng.choice((2, 4, 9)))).isoformat(),
            }
            for v in votes
            if v["rule"] != "civil_code_278"  # an owners' vote needs its matter (Art. 278) set before it is counted
        ],
        "sessions": sessions,
        "contributions": _contributions(rng, households, sessions),
        "finance": _finance(rng),
        "adoptions": adoptions,
        "care_log": care,
        "conventions": [
            {
                "convention_id": "GY01",
                "title": "幸福小区居民公约",
                "kind": "resident_convention",
                "topics": ["public_space", "parking", "waste_sorting"],
                "scope_type": "neighbourhood",
                "scope_id": "N1",
                "demand_ids": [d["demand_id"] for d in demands if d["category"] in ("parking", "sanitation")][:4],
                "versions": [
                    {"articles": list(CONVENTION_V1), "drafted_on": "2026-07-20", "note": "居民公约起草座谈会形成初稿"},
                    {
                        "articles": list(CONVENTION_V2),
                        "drafted_on": "2026-09-10",
                        "note": "细化垃圾分类时间，新增电动车条款",
                    },
                ],
                "vote": {
                    "opens_on": "2026-09-20",
                    "closes_on": "2026-09-30",
                    "ballots": _convention_ballots(rng, households, n1),
                    "counted_at": "2026-09-30T20:00+08:00",
                    "adopted_on": "2026-10-01",
                    "notice_on": "2026-10-03",
                },
            }
        ],
        "targets": dict(TARGETS),
    }


def write_pilot_year(path: Path, year: dict[str, Any]) -> None:
    """Write the pilot year as UTF-8 JSON ("\\n" line ends, keys in order): byte-for-byte reproducible."""
    path.write_text(json.dumps(year, ensure_ascii=False, indent=1) + "\n", encoding="utf-8", newline="\n")


__all__ = ["PILOT_START", "PILOT_END", "TARGETS", "make_pilot_year", "write_pilot_year"]
