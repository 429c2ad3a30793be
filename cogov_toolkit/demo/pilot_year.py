"""Lay a pilot's year of records (``pilot_year.json``, made by ``data/sample_pilot_year.py``) into a workspace.

Everything goes in through the toolkit's own workflows, as a planner's clicks
would put it: demands received, classified, replied to and resolved
(:mod:`~cogov_toolkit.workflows.demands`); votes counted and their decision
notices published; workshop sessions with their sign-in sheets, contributions,
budgets, payments, milestones and quarterly 财务公开
(:mod:`~cogov_toolkit.workflows.cobuilding`); adoptions and care checks; a
resident convention revised, voted on, adopted and published; the street
office's targets. Names and phones therefore land on the private side only,
and a public name only with consent.
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cogov_toolkit.core.values import parse_date
from cogov_toolkit.core.votes import RawBallot
from cogov_toolkit.errors import HolidaysNotPublishedWarning

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace

#: the community office's public contact, as printed on every notice of the sample
SAMPLE_OFFICE = {"contact": "社区居委会 值班社工", "office_phone": "0592-5550000", "issuer": "幸福社区居民委员会"}


@dataclass(frozen=True)
class PilotYearReport:
    """How many records of each kind were laid in."""

    counts: Mapping[str, int]


def _moment(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _day(text: str) -> dt.date:
    return parse_date(text)


def _demands(ws: Workspace, handling: list[dict[str, Any]], by: str) -> int:
    from cogov_toolkit.workflows import demands as flow

    flow.receive_unreceived(ws, by=by)
    done = 0
    for steps in handling:
        demand_id = steps["demand_id"]
        assigned = _moment(steps["assigned_at"])
        flow.confirm_class(ws, demand_id, steps.get("triage_class"), at=assigned - dt.timedelta(minutes=30), by=by)
        flow.transition(
            ws,
            demand_id,
            "assigned",
            at=assigned,
            by=by,
            handler_unit=steps.get("handler_unit"),
            handler=steps.get("handler"),
        )
        if "escalated_at" in steps:
            at = _moment(steps["escalated_at"])
            flow.escalate(ws, demand_id, steps["escalated_to"], at=at, reason=steps["escalation_reason"], by=by)
        if "replied_at" in steps:
            flow.transition(ws, demand_id, "replied", at=_moment(steps["replied_at"]), reply=steps["reply"], by=by)
        if "resolved_at" in steps:
            flow.transition(ws, demand_id, "resolved", at=_moment(steps["resolved_at"]), by=by)
        if "rated_at" in steps:
            flow.transition(ws, demand_id, "rated", at=_moment(steps["rated_at"]), rating=int(steps["rating"]), by=by)
        done += 1
    return done


def _votes(ws: Workspace, counts: list[dict[str, Any]]) -> int:
    from cogov_toolkit.workflows import votes
    from cogov_toolkit.workflows.notices import decision_notice, mark_published

    for item in counts:
        votes.count_vote(ws, item["vote_id"], counted_at=_moment(item["counted_at"]))
        notice = decision_notice(ws, item["vote_id"], **SAMPLE_OFFICE, start_on=_day(item["notice_on"]))
        mark_published(ws, notice)
    return len(counts)


def _cobuilding(ws: Workspace, year: Mapping[str, Any]) -> dict[str, int]:
    from cogov_toolkit.workflows import cobuilding as cb
    from cogov_toolkit.workflows.notices import mark_published

    for session in year["sessions"]:
        people = [
            cb.ContributorContact(p.get("household_id"), p.get("name"), p.get("phone")) for p in session["signins"]
        ]
        cb.record_session(
            ws,
            held_on=session["held_on"],
            title=session["title"],
            workshop=session.get("workshop"),
            project_id=session.get("project_id"),
            attendance=session.get("attendance"),
            minutes=session.get("minutes"),
            signins=people,
            session_id=session["session_id"],
        )
    for item in year["contributions"]:
        contact = item.get("contact") or {}
        cb.record_contribution(
            ws,
            contributed_on=item["contributed_on"],
            contributor_type=item["contributor_type"],
            kind=item["kind"],
            project_id=item.get("project_id"),
            session_id=item.get("session_id"),
            task=item.get("task"),
            hours=item.get("hours"),
            quantity=item.get("quantity"),
            quantity_unit=item.get("quantity_unit"),
            value_yuan=item.get("value_yuan"),
            contact=cb.ContributorContact(contact.get("household_id"), contact.get("name"), contact.get("phone")),
            contributor_ref=item.get("contributor_ref"),
            consent=bool(item.get("consent")),
            public_name=item.get("public_name"),
        )
    notices = 0
    for project in year["finance"]:
        project_id = project["project_id"]
        cb.set_budget(ws, project_id, project["budget_yuan"], disclosure_from=_day(project["disclosure_from"]))
        for source, amount in project["sources"]:
            cb.add_budget_source(ws, project_id, source, amount)
        for payment in project["spending"]:
            cb.record_spending(ws, project_id, **payment)
        for name, planned, actual in project["milestones"]:
            cb.add_milestone(ws, project_id, name, planned, actual_on=actual)
        for day in project["notices"]:
            review = cb.finance_review(ws, project_id, _day(day), issued_on=_day(day), **SAMPLE_OFFICE)
            mark_published(ws, review.notice)  # a flagged disclosure is published with its review note
            notices += 1
    return {"sessions": len(year["sessions"]), "contributions": len(year["contributions"]), "finance_notices": notices}


def _honour_roll(ws: Workspace, year: Mapping[str, Any]) -> int:
    from cogov_toolkit.workflows import cobuilding as cb
    from cogov_toolkit.workflows.notices import mark_published

    start, end = _day(year["pilot"]["start"]), _day(year["pilot"]["end"])
    mark_published(ws, cb.honour_roll_notice(ws, start, end, **SAMPLE_OFFICE))
    return 1


def _adoptions(ws: Workspace, adoptions: list[dict[str, Any]], care: list[dict[str, Any]]) -> int:
    from cogov_toolkit.workflows import adoptions as register

    for item in adoptions:
        contact = item.get("contact")
        register.register_adoption(
            ws,
            zone_id=item["zone_id"],
            adopter_type=item["adopter_type"],
            start_on=_day(item["start_on"]),
            public_name=item.get("public_name"),
            publish_name_consent=bool(item.get("consent")),
            contact=register.AdopterContact(contact["household_id"], contact["name"], contact["phone"])
            if contact
            else None,
            adoption_id=item["adoption_id"],
        )
    for check in care:
        register.log_care(ws, check["zone_id"], _day(check["checked_on"]), check["result"])
    return len(adoptions)


def _conventions(ws: Workspace, conventions: list[dict[str, Any]], *, publish: bool = True) -> int:
    from cogov_toolkit.workflows import conventions as cv
    from cogov_toolkit.workflows import votes
    from cogov_toolkit.workflows.notices import mark_published

    demands = ws.records("demands")
    known = set(demands["demand_id"]) if len(demands) else set()
    for item in conventions:
        first, *later = item["versions"]
        cv.create_convention(
            ws,
            item["convention_id"],
            item["title"],
            first["articles"],
            kind=item["kind"],
            topics=item["topics"],
            scope_type=item["scope_type"],
            scope_id=item["scope_id"],
            demand_ids=[d for d in item["demand_ids"] if d in known],
            note=first["note"],
            drafted_on=_day(first["drafted_on"]),
        )
        for version in later:
            cv.save_version(
                ws,
                item["convention_id"],
                version["articles"],
                note=version["note"],
                drafted_on=_day(version["drafted_on"]),
            )
        vote = item["vote"]
        (vote_id,) = cv.put_to_vote(
            ws, item["convention_id"], opens_on=_day(vote["opens_on"]), closes_on=_day(vote["closes_on"])
        )
        ballots = [RawBallot(ref, household, choice) for ref, household, choice in vote["ballots"]]
        votes.record_ballots(ws, vote_id, ballots, "paper")
        votes.count_vote(ws, vote_id, counted_at=_moment(vote["counted_at"]))
        version = cv.get_convention(ws, item["convention_id"]).latest.version
        cv.adopt_version(ws, item["convention_id"], version, _day(vote["adopted_on"]))
        if publish:
            notice = cv.convention_notice(ws, item["convention_id"], **SAMPLE_OFFICE, issued_on=_day(vote["notice_on"]))
            mark_published(ws, notice)
    return len(conventions)


#: the parts of the year, in load order (a demand's handling before the notices that count it)
PARTS = ("demands", "votes", "cobuilding", "honour_roll", "adoptions", "conventions", "convention_notice", "targets")
#: the parts the bundled sample workspace carries: the 发展共建 register, money, convention and targets.
#: The demands' handling, vote counts and adoptions are left to notebooks 02–05, which demonstrate them,
#: and the year's 光荣榜 and the convention's 公示 to notebooks 07 and 08, which publish them through the review step.
SAMPLE_PARTS = ("cobuilding", "conventions", "targets")


def load_pilot_year(
    ws: Workspace,
    year: Mapping[str, Any] | str | Path,
    *,
    by: str | None = None,
    parts: tuple[str, ...] = PARTS,
) -> PilotYearReport:
    """Lay the pilot year into ``ws`` (the sample community's workspace) and say how much went in.

    ``year`` is the data of :func:`data.sample_pilot_year.make_pilot_year`, or the path of its JSON file;
    ``parts`` the parts to lay in (all of :data:`PARTS` by default). A convention's linked demands that
    the workspace does not hold are left out of its links.
    """
    from cogov_toolkit.workflows import assessment
    from cogov_toolkit.workflows.demands import default_role

    by = by or default_role()
    data = json.loads(Path(year).read_text(encoding="utf-8")) if isinstance(year, str | Path) else year
    counts: dict[str, int] = {}
    # one transaction: the year goes in whole or not at all, with one durable commit instead of hundreds
    with warnings.catch_warnings(), ws.transaction():
        # the holiday table of a year not yet published falls back to Monday–Friday: known, and fine for a sample
        warnings.simplefilter("ignore", HolidaysNotPublishedWarning)
        if "demands" in parts:
            counts["demands"] = _demands(ws, data["demand_handling"], by)
        if "votes" in parts:
            counts["votes"] = _votes(ws, data["vote_counts"])
        if "cobuilding" in parts:
            counts.update(_cobuilding(ws, data))
        if "honour_roll" in parts:
            counts["honour_roll"] = _honour_roll(ws, data)
        if "adoptions" in parts:
            counts["adoptions"] = _adoptions(ws, data["adoptions"], data["care_log"])
        if "conventions" in parts:
            counts["conventions"] = _conventions(ws, data["conventions"], publish="convention_notice" in parts)
        if "targets" in parts:
            start = _day(data["pilot"]["start"])
            for key, value in data["targets"].items():
                assessment.set_target(ws, key, value, source="sheet", sheet_file="街道考核表.xlsx", on=start)
            counts["targets"] = len(data["targets"])
    return PilotYearReport(counts)


__all__ = ["PARTS", "SAMPLE_OFFICE", "SAMPLE_PARTS", "PilotYearReport", "load_pilot_year"]
