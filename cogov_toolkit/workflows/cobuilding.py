"""发展共建 and project accountability on a workspace: the register, budgets, spending, milestones, photos, notices.

The rules live in :mod:`cogov_toolkit.core.cobuilding`; this module applies them
to the workspace's tables:

* contributions (:func:`record_contribution`) and workshop sessions with their
  minutes and sign-in sheet (:func:`record_session`); a contributor's name and
  phone, and who signed in, go to the private file only, and a public name is
  stored only with the contributor's consent;
* a project's budget and its sources, spending entries with receipts,
  milestones with planned and actual dates (:func:`set_budget`,
  :func:`add_budget_source`, :func:`record_spending`, :func:`add_milestone`,
  :func:`complete_milestone`), mid-project evaluations (事中监督) linked to the
  milestone they judge (:func:`link_evaluation`), and before/after photos kept
  inside the workspace with EXIF and location stripped (:func:`add_photo`);
* the 财务公开 notice (:func:`finance_review` → :func:`publish_finance_notice`):
  figures that do not add up are flagged, and the notice cannot be published
  until the planner confirms them (they are then stated in the notice);
* the honour roll (光荣榜, :func:`honour_roll_notice`), naming only contributors
  in the consent set for the honour roll;
* the projects' status on the map (:func:`project_status_content`).

**Consent.** Who may be named is asked of :func:`consented_contributors` and
:func:`consented_photos`, one function per purpose, which read the consent
record (private file) through the publication gate
(:func:`cogov_toolkit.workflows.privacy.publication_gate`): a contributor's
public name lives in the private ``contributor_contacts`` row, and a consent of
purpose "honour roll" for that contribution lets the honour roll show it; a
photo with people in it is published only under an active "photos" consent.
Every notice of this module passes the same gate.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.cobuilding import (
    DEFAULT_DISCLOSURE_MONTHS,
    ContributionKind,
    ContributorType,
    FinanceFlag,
    FinanceSummary,
    FundingSource,
    HonourRoll,
    MilestoneProgress,
    MilestoneState,
    PhotoStage,
    contribution_totals,
    contributor_key,
    finance_summary,
    honour_roll,
    milestone_progress,
    photo_needs_consent,
    publishable_photos,
    to_fen,
    yuan_text,
)
from cogov_toolkit.core.notice import Notice, NoticeTable, check_public, default_period, format_date
from cogov_toolkit.core.values import is_blank, parse_date, parse_real
from cogov_toolkit.errors import CobuildingError, CogovError, Problem
from cogov_toolkit.io.photos import clean_photo
from cogov_toolkit.workflows.notices import check_unpublished, mark_published, save_notice
from cogov_toolkit.workflows.privacy import publication_gate, record_consent

if TYPE_CHECKING:
    from cogov_toolkit.render.map_layers import MapContent
    from cogov_toolkit.render.notice_pack import NoticePack
    from cogov_toolkit.storage import Workspace


# --- who, privately ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ContributorContact:
    """A contributor's or attendee's contact, kept in the private file only; name and phone stay out of the repr."""

    household_id: str | None = None
    name: str | None = None
    phone: str | None = None

    def __repr__(self) -> str:
        return f"ContributorContact(household_id={self.household_id!r}, name=…, phone=…)"

    def private_row(self) -> dict[str, str]:
        """The filled fields as a private row (without its link)."""
        values = {"household_id": self.household_id, "name": self.name, "phone": self.phone}
        return {k: str(v).strip() for k, v in values.items() if v is not None and str(v).strip()}

    @property
    def empty(self) -> bool:
        """True when nothing is filled in."""
        return not self.private_row()


_PHONE = re.compile(r"\+?\d[\d\s\-]{5,}\d")
_HOUSEHOLD = re.compile(r"^[A-Za-z]\d{2,}$")


def parse_signins(text: str) -> list[ContributorContact]:
    """Return the people of a sign-in sheet typed or pasted one per line: "H0101 王样样 100-1234-5678".

    Each line may hold a household id (a letter and digits), a name and a phone, in
    any order; a blank line is skipped.
    """
    people = []
    for line in str(text).splitlines():
        line = line.strip()
        if not line:
            continue
        phone_match = _PHONE.search(line)
        phone = phone_match.group(0).strip() if phone_match else None
        rest = (line[: phone_match.start()] + " " + line[phone_match.end() :]) if phone_match else line
        words = [w for w in re.split(r"[\s,，、;；]+", rest) if w]
        household = next((w for w in words if _HOUSEHOLD.match(w)), None)
        name = " ".join(w for w in words if w != household) or None
        people.append(ContributorContact(household, name, phone))
    return people


# --- checks --------------------------------------------------------------------------------------
def _present(value: Any) -> bool:
    return not is_blank(value)


def _text(value: Any) -> str:
    return str(value).strip() if _present(value) else ""


def _field(name: str) -> str:
    return i18n.t(f"cobuilding.form.{name}")


def _code(value: Any, enum: type, field_name: str, problems: list[Problem]) -> str | None:
    code = _text(value)
    allowed = [str(c) for c in enum]
    labels = {i18n.label(_ENUM_NAMES[enum], c): c for c in allowed}
    if code in labels:
        return labels[code]
    if code not in allowed:
        shown = "、".join(i18n.label(_ENUM_NAMES[enum], c) for c in allowed)
        problems.append(
            Problem(
                "cobuilding.bad_code",
                column=_field(field_name),
                params={"value": code, "field": _field(field_name), "allowed": shown},
            )
        )
        return None
    return code


_ENUM_NAMES = {
    ContributorType: "contributor_type",
    ContributionKind: "contribution_kind",
    FundingSource: "funding_source",
    PhotoStage: "photo_stage",
}


def _amount(value: Any, field_name: str, problems: list[Problem], *, required: bool = False) -> float | None:
    if not _present(value):
        if required:
            problems.append(
                Problem("cobuilding.blank", column=_field(field_name), params={"field": _field(field_name)})
            )
        return None
    try:
        number = parse_real(value)
    except CogovError:
        number = -1.0
    if number < 0:
        problems.append(
            Problem(
                "cobuilding.bad_number",
                column=_field(field_name),
                params={"field": _field(field_name), "value": str(value)},
            )
        )
        return None
    return number


def _day_of(value: Any, field_name: str, problems: list[Problem]) -> dt.date | None:
    if not _present(value):
        problems.append(Problem("cobuilding.blank", column=_field(field_name), params={"field": _field(field_name)}))
        return None
    try:
        return parse_date(value)
    except CogovError as exc:
        problems.append(Problem(exc.reason, column=_field(field_name), params=exc.params))
        return None


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise CobuildingError("cobuilding.invalid", problems=problems, count=len(problems))


def _known(ws: Workspace, table: str, key: str) -> bool:
    """True when ``table`` holds a record whose business key is ``key`` (one keyed lookup)."""
    return ws.find(table, key) is not None


def _next_id(ws: Workspace, table: str, column: str, prefix: str) -> str:
    """The next id ``prefix`` + 4 digits (GX0001 …): one lookup of the highest number, no id read."""
    return f"{prefix}{(ws.max_number(table, column, prefix) or 0) + 1:04d}"


def _stored_id(ws: Workspace, table: str, column: str, idempotency_key: str) -> str | None:
    """The id of the record an idempotency key already stored, or None."""
    hit = ws.records(table, {"idempotency_key": idempotency_key}, columns=[column])
    return str(hit[column].iloc[0]) if len(hit) else None


def _check_project(ws: Workspace, project_id: str | None, problems: list[Problem]) -> str | None:
    project_id = _text(project_id) or None
    if project_id and not _known(ws, "projects", project_id):
        problems.append(
            Problem("cobuilding.unknown_project", column=_field("project"), params={"project_id": project_id})
        )
    return project_id


def project_choices(ws: Workspace) -> list[tuple[str, str]]:
    """Return (label, project id) of every project, for a dropdown: "PJ01 2栋北侧闲置地改造"."""
    frame = ws.records("projects")
    return [(f"{p} {n}", p) for p, n in zip(frame["project_id"], frame["name"], strict=True)] if len(frame) else []


# --- contributions -------------------------------------------------------------------------------
def record_contribution(
    ws: Workspace,
    *,
    contributed_on: dt.date | str,
    contributor_type: ContributorType | str,
    kind: ContributionKind | str,
    project_id: str | None = None,
    session_id: str | None = None,
    milestone_id: str | None = None,
    task: str | None = None,
    hours: float | str | None = None,
    quantity: float | str | None = None,
    quantity_unit: str | None = None,
    value_yuan: float | str | None = None,
    contact: ContributorContact | None = None,
    contributor_ref: str | None = None,
    consent: bool = False,
    public_name: str | None = None,
    contribution_id: str | None = None,
    idempotency_key: str | None = None,
) -> str:
    """Check one contribution and store it durably; return its id ("GX0001" …).

    Labour needs its hours, items their quantity, money and materials their
    amount in yuan. The contact (name, phone, household) goes to the private
    ``contributor_contacts`` table in the same transaction, with the
    ``public_name``; ``consent`` records (in the same transaction) the
    contributor's consent to be named so on the honour roll (consent without a
    public name is an error). The public side holds the type and figures only.
    ``contributor_ref`` (default: the contact's household id) ties several
    contributions of one contributor together, for counting and for consent.

    Raises
    ------
    CobuildingError
        ``cobuilding.invalid`` listing every problem; nothing is stored then.
    """
    problems: list[Problem] = []
    day = _day_of(contributed_on, "contributed_on", problems)
    ctype = _code(contributor_type, ContributorType, "contributor_type", problems)
    kind_code = _code(kind, ContributionKind, "kind", problems)
    project = _check_project(ws, project_id, problems)
    if _text(session_id) and not _known(ws, "workshop_sessions", _text(session_id)):
        problems.append(Problem("cobuilding.unknown_session", params={"session_id": _text(session_id)}))
    if _text(milestone_id) and not _known(ws, "milestones", _text(milestone_id)):
        problems.append(Problem("cobuilding.unknown_milestone", params={"milestone_id": _text(milestone_id)}))
    hours_ = _amount(hours, "hours", problems)
    quantity_ = _amount(quantity, "quantity", problems)
    value = _amount(value_yuan, "value_yuan", problems)
    if kind_code == ContributionKind.LABOUR and not hours_:
        problems.append(Problem("cobuilding.needs_hours", column=_field("hours")))
    if kind_code == ContributionKind.ITEMS and not quantity_:
        problems.append(Problem("cobuilding.needs_quantity", column=_field("quantity")))
    if kind_code in (ContributionKind.MONEY, ContributionKind.MATERIALS) and not value:
        problems.append(Problem("cobuilding.needs_amount", column=_field("value_yuan")))
    if consent and not _text(public_name):
        problems.append(Problem("cobuilding.consent_without_name", column=_field("public_name")))
    _raise(problems)
    contact = contact or ContributorContact()
    values = {
        "contribution_id": contribution_id or _next_id(ws, "contributions", "contribution_id", "GX"),
        "contributed_on": day,
        "contributor_type": ctype,
        "contributor_ref": _text(contributor_ref) or contact.household_id or None,
        "kind": kind_code,
        "project_id": project,
        "session_id": _text(session_id) or None,
        "milestone_id": _text(milestone_id) or None,
        "task": _text(task) or None,
        "hours": hours_,
        "quantity": quantity_,
        "quantity_unit": _text(quantity_unit) or None,
        "value_yuan": value,
    }
    private_row = contact.private_row()
    if _text(public_name):
        private_row["public_name"] = _text(public_name)  # a display name is personal data: kept privately
    private = {"contributor_contacts": private_row} if private_row else None
    with ws.transaction():
        ws.add("contributions", values, private=private, idempotency_key=idempotency_key)
        stored_id = (
            values["contribution_id"]
            if idempotency_key is None
            else _stored_id(ws, "contributions", "contribution_id", idempotency_key) or values["contribution_id"]
        )
        if consent and stored_id == values["contribution_id"]:
            record_consent(
                ws,
                "honour_roll",
                given_on=day,
                household_id=contact.household_id,
                public_name=_text(public_name),
                subject_id=stored_id,
            )
    return stored_id


def contributions(ws: Workspace) -> pd.DataFrame:
    """Return the contributions (public columns only; no contact)."""
    return ws.records("contributions").drop(columns=["fid", "origin", "idempotency_key"], errors="ignore")


def totals_by_project(ws: Workspace) -> pd.DataFrame:
    """Return the contributions' totals per project (:func:`cogov_toolkit.core.cobuilding.contribution_totals`)."""
    return contribution_totals(ws.records("contributions"))


# --- workshop sessions ---------------------------------------------------------------------------
def record_session(
    ws: Workspace,
    *,
    held_on: dt.date | str,
    title: str,
    workshop: str | None = None,
    project_id: str | None = None,
    attendance: int | str | None = None,
    minutes: str | None = None,
    signins: Iterable[ContributorContact] = (),
    session_id: str | None = None,
    idempotency_key: str | None = None,
) -> str:
    """Store a 社区工坊 session with its head count, minutes (会议记录) and sign-in sheet (签到表); return its id.

    The session and its sign-ins commit in one transaction; the sign-ins go to
    the private ``session_signins`` table only. A retried submit with the same
    ``idempotency_key`` stores nothing new.
    """
    problems: list[Problem] = []
    day = _day_of(held_on, "held_on", problems)
    if not _text(title):
        problems.append(
            Problem("cobuilding.blank", column=_field("session_name"), params={"field": _field("session_name")})
        )
    count = _amount(attendance, "attendance", problems)
    project = _check_project(ws, project_id, problems)
    _raise(problems)
    people = [p for p in signins if not p.empty]
    values = {
        "session_id": session_id or _next_id(ws, "workshop_sessions", "session_id", "GF"),
        "held_on": day,
        "title": _text(title),
        "workshop": _text(workshop) or None,
        "project_id": project,
        "attendance": int(count) if count is not None else (len(people) or None),
        "minutes": _text(minutes) or None,
    }
    if idempotency_key is not None:
        stored = _stored_id(ws, "workshop_sessions", "session_id", idempotency_key)
        if stored is not None:
            return stored
    with ws.transaction():
        uuid = ws.add("workshop_sessions", values, idempotency_key=idempotency_key)
        if people:
            ws.add_private("session_signins", [{**p.private_row(), "session_uuid": uuid} for p in people])
    return values["session_id"]


def signin_households(ws: Workspace) -> pd.DataFrame:
    """Return (session_id, household_id) of every sign-in naming a household (for counting; never publish)."""
    sessions = ws.records("workshop_sessions")
    signins = ws.private_records("session_signins")
    if not len(sessions) or not len(signins):
        return pd.DataFrame(columns=["session_id", "household_id"])
    joined = signins.merge(sessions[["uuid", "session_id"]], left_on="session_uuid", right_on="uuid")
    joined = joined[joined["household_id"].notna() & (joined["household_id"].astype(str).str.strip() != "")]
    return joined[["session_id", "household_id"]].reset_index(drop=True)


# --- a project's money and milestones ------------------------------------------------------------
def _finance_uuid(ws: Workspace, project_id: str) -> str | None:
    found = ws.find("project_finance", project_id)
    return str(found["uuid"]) if found is not None else None


def set_budget(
    ws: Workspace,
    project_id: str,
    budget_yuan: float | str,
    *,
    disclosure_months: int = DEFAULT_DISCLOSURE_MONTHS,
    disclosure_from: dt.date | None = None,
    note: str | None = None,
) -> None:
    """Set (or change) a project's budget and how often its 财务公开 is due (every 3 months by default)."""
    problems: list[Problem] = []
    project = _check_project(ws, project_id, problems)
    amount = _amount(budget_yuan, "budget", problems, required=True)
    _raise(problems)
    values = {
        "project_id": project,
        "budget_yuan": amount,
        "disclosure_months": int(disclosure_months),
        "disclosure_from": disclosure_from,
        "note": _text(note) or None,
    }
    existing = _finance_uuid(ws, project_id)
    if existing is None:
        ws.add("project_finance", values)
    else:
        ws.update("project_finance", existing, values)


def add_budget_source(
    ws: Workspace, project_id: str, source: FundingSource | str, amount_yuan: float | str, *, note: str | None = None
) -> str:
    """Add one funding source of a project's budget (government, community fund, firms, residents); return its uuid."""
    problems: list[Problem] = []
    project = _check_project(ws, project_id, problems)
    code = _code(source, FundingSource, "source", problems)
    amount = _amount(amount_yuan, "amount", problems, required=True)
    _raise(problems)
    return ws.add(
        "budget_sources", {"project_id": project, "source": code, "amount_yuan": amount, "note": _text(note) or None}
    )


def record_spending(
    ws: Workspace,
    project_id: str,
    *,
    spent_on: dt.date | str,
    amount_yuan: float | str,
    item: str,
    receipt_ref: str | None = None,
    source: FundingSource | str | None = None,
    milestone_id: str | None = None,
    idempotency_key: str | None = None,
) -> str:
    """Record one payment of a project with its receipt's reference (票据号); return its uuid."""
    problems: list[Problem] = []
    project = _check_project(ws, project_id, problems)
    day = _day_of(spent_on, "spent_on", problems)
    amount = _amount(amount_yuan, "amount", problems, required=True)
    if not _text(item):
        problems.append(Problem("cobuilding.blank", column=_field("item"), params={"field": _field("item")}))
    code = _code(source, FundingSource, "source", problems) if _present(source) else None
    if _text(milestone_id) and not _known(ws, "milestones", _text(milestone_id)):
        problems.append(Problem("cobuilding.unknown_milestone", params={"milestone_id": _text(milestone_id)}))
    _raise(problems)
    values = {
        "project_id": project,
        "spent_on": day,
        "amount_yuan": amount,
        "item": _text(item),
        "receipt_ref": _text(receipt_ref) or None,
        "source": code,
        "milestone_id": _text(milestone_id) or None,
    }
    return ws.add("spending", values, idempotency_key=idempotency_key)


def add_milestone(
    ws: Workspace,
    project_id: str,
    name: str,
    planned_on: dt.date | str,
    *,
    actual_on: dt.date | str | None = None,
    milestone_id: str | None = None,
    note: str | None = None,
) -> str:
    """Add a milestone of a project with its planned date; return its id ("JD0001" …)."""
    problems: list[Problem] = []
    project = _check_project(ws, project_id, problems)
    planned = _day_of(planned_on, "planned_on", problems)
    actual = _day_of(actual_on, "actual_on", problems) if _present(actual_on) else None
    if not _text(name):
        problems.append(Problem("cobuilding.blank", column=_field("milestone"), params={"field": _field("milestone")}))
    _raise(problems)
    milestone_id = milestone_id or _next_id(ws, "milestones", "milestone_id", "JD")
    ws.add(
        "milestones",
        {
            "milestone_id": milestone_id,
            "project_id": project,
            "name": _text(name),
            "planned_on": planned,
            "actual_on": actual,
            "note": _text(note) or None,
        },
    )
    return milestone_id


def _milestone(ws: Workspace, milestone_id: str) -> dict[str, Any]:
    found = ws.find("milestones", milestone_id)
    if found is None:
        raise CobuildingError("cobuilding.unknown_milestone", milestone_id=milestone_id)
    return found


def complete_milestone(ws: Workspace, milestone_id: str, actual_on: dt.date | str) -> None:
    """Record the day a milestone was reached."""
    record = _milestone(ws, milestone_id)
    ws.update("milestones", record["uuid"], {"actual_on": parse_date(actual_on)})


def milestones_of(ws: Workspace, project_id: str | None, as_of: dt.date) -> tuple[MilestoneProgress, ...]:
    """Return the milestones (of one project, or all) with their state on ``as_of``."""
    frame = ws.records("milestones", {"project_id": project_id} if project_id is not None else None)
    return milestone_progress(frame, as_of)


def link_evaluation(ws: Workspace, milestone_id: str, evaluation_uuid: str) -> str:
    """Link a mid-project evaluation (事中监督) to the milestone it judges; return the link's uuid.

    Raises
    ------
    CobuildingError
        ``cobuilding.unknown_milestone``, ``cobuilding.unknown_evaluation``, or
        ``cobuilding.not_mid_evaluation`` when the evaluation is not a
        mid-project one of the milestone's project.
    """
    milestone = _milestone(ws, milestone_id)
    try:
        evaluation = ws.get("evaluations", evaluation_uuid)
    except CogovError:
        raise CobuildingError("cobuilding.unknown_evaluation", uuid=evaluation_uuid) from None
    if evaluation["phase"] != "mid" or evaluation["project_id"] != milestone["project_id"]:
        raise CobuildingError("cobuilding.not_mid_evaluation", uuid=evaluation_uuid, project_id=milestone["project_id"])
    key = f"milestone-evaluation|{milestone_id}|{evaluation_uuid}"
    return ws.add(
        "milestone_evaluations", {"milestone_id": milestone_id, "evaluation_uuid": evaluation_uuid}, idempotency_key=key
    )


def milestone_evaluations(ws: Workspace, milestone_id: str) -> pd.DataFrame:
    """Return the mid-project evaluations linked to a milestone (public columns of ``evaluations``)."""
    links = ws.records("milestone_evaluations", {"milestone_id": milestone_id}, columns=["evaluation_uuid"])
    return ws.records("evaluations", {"uuid": sorted(set(links["evaluation_uuid"]))}).reset_index(drop=True)


def finance(ws: Workspace, project_id: str, as_of: dt.date | None = None) -> FinanceSummary:
    """Return a project's money on ``as_of`` (budget, sources, spending, flags)."""
    row = ws.find("project_finance", project_id)
    budget = row["budget_yuan"] if row is not None else None
    mine = {"project_id": project_id}
    return finance_summary(
        project_id, budget, ws.records("budget_sources", mine), ws.records("spending", mine), as_of=as_of
    )


def project_overview(ws: Workspace, as_of: dt.date) -> pd.DataFrame:
    """Return one row per project: status, budget, spent, balance, flags, milestones done/total, labour hours."""
    projects = ws.records("projects")
    totals = contribution_totals(ws.records("contributions")).set_index("project_id")
    progress = milestone_progress(ws.records("milestones"), as_of)
    rows = []
    for record in projects.to_dict("records"):
        project_id = record["project_id"]
        money = finance(ws, project_id, as_of)
        mine = [m for m in progress if m.project_id == project_id]
        done = sum(m.state in (MilestoneState.DONE_ON_TIME, MilestoneState.DONE_LATE) for m in mine)
        rows.append(
            {
                "project_id": project_id,
                "name": record["name"],
                "status": i18n.label("project_status", record.get("status")),
                "budget": yuan_text(money.budget_fen) if money.budget_fen is not None else "",
                "spent": yuan_text(money.spent_fen),
                "balance": yuan_text(money.balance_fen) if money.balance_fen is not None else "",
                "flags": len(money.flags),
                "milestones": f"{done}/{len(mine)}",
                "labour_hours": float(totals["labour_hours"].get(project_id, 0.0)) if len(totals) else 0.0,
            }
        )
    return pd.DataFrame(rows)


# --- photos --------------------------------------------------------------------------------------
def add_photo(
    ws: Workspace,
    project_id: str,
    source: str | Path | bytes,
    stage: PhotoStage | str,
    *,
    milestone_id: str | None = None,
    taken_on: dt.date | str | None = None,
    caption: str | None = None,
    shows_faces: bool = False,
    shows_minors: bool = False,
    consent_ref: str | None = None,
    photo_id: str | None = None,
) -> str:
    """Store a before/after photo inside the workspace (EXIF and location stripped); return its id ("ZP0001" …).

    A photo showing faces or minors needs ``consent_ref`` (the consent record:
    the person's, or a guardian's for a minor). The same picture stored twice
    keeps one file.

    Raises
    ------
    CobuildingError
        ``cobuilding.photo_needs_consent``, ``cobuilding.photo_format``,
        ``cobuilding.bad_photo``, or ``cobuilding.invalid``.
    """
    problems: list[Problem] = []
    project = _check_project(ws, project_id, problems)
    code = _code(stage, PhotoStage, "stage", problems) if _present(stage) else None
    if code is None and not problems:
        problems.append(Problem("cobuilding.blank", params={"field": i18n.t("column.stage")}))
    if _text(milestone_id) and not _known(ws, "milestones", _text(milestone_id)):
        problems.append(Problem("cobuilding.unknown_milestone", params={"milestone_id": _text(milestone_id)}))
    _raise(problems)
    if photo_needs_consent(shows_faces, shows_minors) and not _text(consent_ref):
        raise CobuildingError("cobuilding.photo_needs_consent")
    clean = clean_photo(source)
    photo_id = photo_id or _next_id(ws, "project_photos", "photo_id", "ZP")
    with ws.transaction():
        file_uuid = ws.add(
            "photo_files",
            {"sha256": clean.sha256, "mime": clean.mime, "data": base64.b64encode(clean.data).decode("ascii")},
            idempotency_key=f"photo:{clean.sha256}",
        )
        ws.add(
            "project_photos",
            {
                "photo_id": photo_id,
                "project_id": project,
                "milestone_id": _text(milestone_id) or None,
                "stage": code,
                "taken_on": parse_date(taken_on) if _present(taken_on) else None,
                "caption": _text(caption) or None,
                "shows_faces": bool(shows_faces),
                "shows_minors": bool(shows_minors),
                "consent_ref": _text(consent_ref) or None,
                "file_uuid": file_uuid,
                "width": clean.width,
                "height": clean.height,
            },
        )
    return photo_id


def photos(ws: Workspace, project_id: str | None = None) -> pd.DataFrame:
    """Return the photo records (of one project, or all); the pictures themselves through :func:`photo_bytes`."""
    return ws.records("project_photos", {"project_id": project_id} if project_id else None).reset_index(drop=True)


def photo_bytes(ws: Workspace, photo_id: str) -> bytes:
    """Return the stored JPEG of a photo (already free of EXIF and location)."""
    found = ws.find("project_photos", photo_id)
    if found is None:
        raise CobuildingError("cobuilding.unknown_photo", photo_id=photo_id)
    return base64.b64decode(ws.get("photo_files", found["file_uuid"])["data"])


def consented_photos(ws: Workspace, on: dt.date | None = None) -> set[str]:
    """Return the photo ids whose people consented to publication (purpose "photos").

    A photo is covered by an active consent of purpose "photos" (the consent
    record, private file) whose uuid is the photo's ``consent_ref`` or whose
    subject is the photo itself; a withdrawn consent no longer covers it.
    """
    frame = ws.records("project_photos")
    if not len(frame):
        return set()
    day = on or dt.date.today()
    consents = ws.private_records("consents")
    active_refs: set[str] = set()
    for row in consents.to_dict("records") if len(consents) else []:
        if row.get("purpose") != "photos":
            continue
        given = parse_date(row["given_on"])
        withdrawn = None if is_blank(row.get("withdrawn_on")) else parse_date(row["withdrawn_on"])
        if given <= day and (withdrawn is None or day < withdrawn):
            active_refs |= {str(row["uuid"])} | ({str(row["subject_id"])} if _present(row.get("subject_id")) else set())
    return {
        str(photo)
        for photo, ref in zip(frame["photo_id"], frame["consent_ref"], strict=True)
        if str(photo) in active_refs or (_present(ref) and str(ref) in active_refs)
    }


def publishable_photo_ids(ws: Workspace, project_id: str | None = None) -> list[str]:
    """Return the ids of the photos that may go into a publication: no people, or people who consented."""
    frame = photos(ws, project_id)
    return list(publishable_photos(frame, consented_photos(ws))["photo_id"]) if len(frame) else []


# --- consent and what may not be published -------------------------------------------------------
def _named_contributions(ws: Workspace, on: dt.date | None = None) -> pd.DataFrame:
    """Return the contributions with ``public_name`` filled only where an active honour-roll consent covers it."""
    frame = ws.records("contributions").copy()
    if not len(frame):
        return frame.assign(public_name=pd.Series(dtype=object))
    contacts = ws.private_records("contributor_contacts")
    by_uuid = {r["contribution_uuid"]: r for r in contacts.to_dict("records")} if len(contacts) else {}
    gate = publication_gate(ws).for_purpose("honour_roll", on)
    names = []
    for record in frame.to_dict("records"):
        contact = by_uuid.get(record["uuid"], {})
        name = _text(contact.get("public_name"))
        household = _text(contact.get("household_id")) or None
        allowed = name and gate.consented(name, subject_id=record["contribution_id"], household_id=household)
        names.append(name if allowed else None)
    return frame.assign(public_name=names)


def consented_contributors(ws: Workspace, on: dt.date | None = None) -> set[str]:
    """Return the contributors (by :func:`~cogov_toolkit.core.cobuilding.contributor_key`) who may be named on the honour roll.

    A contributor may be named when one of their contributions carries an
    active consent of purpose "honour roll" (the consent record, read through
    the publication gate); a withdrawn consent drops the name from the next roll.
    """
    frame = _named_contributions(ws, on)
    if not len(frame):
        return set()
    return {contributor_key(r) for r in frame.to_dict("records") if _text(r.get("public_name"))}


# --- the 财务公开 notice ----------------------------------------------------------------------------
@dataclass(frozen=True)
class FinanceReview:
    """A 财务公开 ready for the review step: the notice, the figures, and what does not add up.

    ``notice`` is what is published once the planner confirms; when there are
    flags it states them in its notes (核对说明), so a published notice never
    hides a mismatch.
    """

    notice: Notice
    summary: FinanceSummary
    milestones: tuple[MilestoneProgress, ...]

    @property
    def flags(self) -> tuple[FinanceFlag, ...]:
        """The figures that do not add up (empty when everything does)."""
        return self.summary.flags

    def flag_messages(self, language: str | None = None) -> list[str]:
        """The flags as sentences."""
        return [f.message(language) for f in self.flags]


def finance_review(
    ws: Workspace,
    project_id: str,
    as_of: dt.date,
    *,
    contact: str,
    office_phone: str,
    issuer: str,
    issued_on: dt.date | None = None,
    objection_address: str = "",
    notice_id: str | None = None,
) -> FinanceReview:
    """Build the 财务公开 of one project on ``as_of``: budget by source, each payment, totals and milestones.

    The notice's table lists the sources, every payment up to ``as_of`` (date,
    item, whether its receipt is on file, amount) and the totals; the matter
    says budget, sources, spent, balance and milestones done. Receipt numbers
    stay at the office (a long number would read like a phone or ID number).

    Raises
    ------
    CobuildingError
        ``cobuilding.unknown_project`` or ``cobuilding.no_finance`` (nothing recorded yet).
    """
    project = ws.find("projects", project_id)
    if project is None:
        raise CobuildingError("cobuilding.unknown_project", project_id=project_id)
    name = str(project["name"])
    summary = finance(ws, project_id, as_of)
    if summary.budget_fen is None and not summary.sources and not summary.spending_entries:
        raise CobuildingError("cobuilding.no_finance", project_id=project_id)
    progress = milestones_of(ws, project_id, as_of)
    done = sum(m.state in (MilestoneState.DONE_ON_TIME, MilestoneState.DONE_LATE) for m in progress)
    unset = i18n.t("cobuilding.finance.no_budget")
    section = {k: i18n.t(f"cobuilding.finance.section_{k}") for k in ("source", "spending", "total")}
    rows: list[tuple[str, ...]] = [
        (section["source"], "", i18n.label("funding_source", s), "", yuan_text(fen)) for s, fen in summary.sources
    ]
    spending = ws.records("spending", {"project_id": project_id})
    if len(spending):
        mine = spending.copy()
        mine["_day"] = mine["spent_on"].map(parse_date)
        mine = mine[mine["_day"] <= as_of].sort_values(["_day", "fid"])
        for record in mine.to_dict("records"):
            receipt = i18n.t(
                "cobuilding.finance.receipt_on_file"
                if _present(record.get("receipt_ref"))
                else "cobuilding.finance.receipt_missing"
            )
            rows.append(
                (
                    section["spending"],
                    format_date(record["_day"]),
                    _text(record["item"]),
                    receipt,
                    yuan_text(to_fen(record["amount_yuan"])),
                )
            )
    totals = [
        ("total_budget", summary.budget_fen),
        ("total_sources", summary.sources_fen),
        ("total_spent", summary.spent_fen),
        ("total_balance", summary.balance_fen),
    ]
    rows += [
        (section["total"], "", i18n.t(f"cobuilding.finance.{k}"), "", yuan_text(v) if v is not None else unset)
        for k, v in totals
    ]
    columns = [i18n.t(f"cobuilding.finance.column_{c}") for c in ("section", "day", "item", "receipt", "amount")]
    issued_on = issued_on or as_of
    start, end = default_period(issued_on)
    notice = Notice(
        notice_id=notice_id or f"GS-CW-{project_id}-{as_of:%Y%m%d}",
        title=i18n.t("cobuilding.finance.title", project=name),
        basis=i18n.t("cobuilding.finance.basis"),
        matter=i18n.t(
            "cobuilding.finance.matter",
            day=format_date(as_of),
            project=name,
            budget=yuan_text(summary.budget_fen) if summary.budget_fen is not None else unset,
            sources=yuan_text(summary.sources_fen),
            spent=yuan_text(summary.spent_fen),
            entries=summary.spending_entries,
            balance=yuan_text(summary.balance_fen) if summary.balance_fen is not None else unset,
            done=done,
            milestones=len(progress),
        ),
        start_on=start,
        end_on=end,
        contact=contact,
        office_phone=office_phone,
        issuer=issuer,
        issued_on=issued_on,
        kind="project",
        table=NoticeTable.from_records(columns, rows),
        objection_address=objection_address,
        subject_id=project_id,
        notes=tuple(i18n.t("cobuilding.finance.flag_note", text=f.message()) for f in summary.flags),
    )
    check_public(notice, publication_gate(ws))
    return FinanceReview(notice, summary, progress)


def publish_finance_notice(
    ws: Workspace,
    review: FinanceReview,
    folder: str | Path,
    *,
    confirm_flags: bool = False,
    greyscale: bool = False,
) -> NoticePack:
    """Write the 财务公开's notice pack and store the notice as published.

    Raises
    ------
    CobuildingError
        ``cobuilding.flags_not_confirmed`` when the figures do not add up and the
        planner has not confirmed them (``confirm_flags``); nothing is written then.
    NoticeError
        When the notice would publish personal data.
    """
    from cogov_toolkit.render.notice_pack import write_notice_pack

    if review.flags and not confirm_flags:
        shown = i18n.t("cobuilding.review.join").join(review.flag_messages())
        raise CobuildingError("cobuilding.flags_not_confirmed", flags=shown)
    check_unpublished(ws, review.notice)  # nothing is printed that the workspace would refuse
    pack = write_notice_pack(review.notice, folder, greyscale=greyscale, gate=publication_gate(ws))
    mark_published(ws, review.notice)
    return pack


# --- the honour roll -----------------------------------------------------------------------------
def honour_roll_of(
    ws: Workspace, start: dt.date, end: dt.date, *, consented: Collection[str] | None = None
) -> HonourRoll:
    """Return the honour roll of a period, naming only the contributors in ``consented`` (default: :func:`consented_contributors`)."""
    frame = _named_contributions(ws, end)
    allowed = consented_contributors(ws, end) if consented is None else consented
    return honour_roll(frame, allowed, start=start, end=end)


def honour_roll_notice(
    ws: Workspace,
    start: dt.date,
    end: dt.date,
    *,
    contact: str,
    office_phone: str,
    issuer: str,
    issued_on: dt.date | None = None,
    consented: Collection[str] | None = None,
    objection_address: str = "",
    notice_id: str | None = None,
) -> Notice:
    """Return the 光荣榜 of the contributions from ``start`` to ``end``, as a notice for the notice pack.

    The table names, most hours first, the contributors who consented (by
    :func:`consented_contributors`, or the ``consented`` set the publication
    gate gives), with their hours, items and money or materials; everybody else
    appears in one line per type ("其他居民家庭（12 位）") with totals only.

    Raises
    ------
    CobuildingError
        ``cobuilding.nothing_to_honour`` when the period has no contribution.
    NoticeError
        When a name or phone of the private side would be published.
    """
    roll = honour_roll_of(ws, start, end, consented=consented)
    if roll.empty:
        raise CobuildingError("cobuilding.nothing_to_honour", start=format_date(start), end=format_date(end))
    columns = [i18n.t(f"cobuilding.honour.column_{c}") for c in ("name", "type", "hours", "items", "value")]

    def figures(hours: float, items: float, fen: int) -> tuple[str, str, str]:
        return (f"{hours:g}" if hours else "", f"{items:g}" if items else "", yuan_text(fen) if fen else "")

    rows = [
        (e.name, i18n.label("contributor_type", e.contributor_type), *figures(e.labour_hours, e.items, e.value_fen))
        for e in roll.named
    ]
    for total in roll.unnamed:
        label = i18n.label("contributor_type", total.contributor_type)
        rows.append(
            (
                i18n.t("cobuilding.honour.others", type=label, count=total.contributors),
                label,
                *figures(total.labour_hours, total.items, total.value_fen),
            )
        )
    contributors = len(roll.named) + sum(t.contributors for t in roll.unnamed)
    hours = sum(e.labour_hours for e in roll.named) + sum(t.labour_hours for t in roll.unnamed)
    value = sum(e.value_fen for e in roll.named) + sum(t.value_fen for t in roll.unnamed)
    issued_on = issued_on or end + dt.timedelta(days=1)
    period_start, period_end = default_period(issued_on)
    notice = Notice(
        notice_id=notice_id or f"GS-GRB-{start:%Y%m%d}-{end:%Y%m%d}",
        title=i18n.t("cobuilding.honour.title", community=ws.community_name),
        basis=i18n.t("cobuilding.honour.basis"),
        matter=i18n.t(
            "cobuilding.honour.matter",
            start=format_date(start),
            end=format_date(end),
            contributors=contributors,
            hours=f"{hours:g}",
            value=yuan_text(value),
        ),
        start_on=period_start,
        end_on=period_end,
        contact=contact,
        office_phone=office_phone,
        issuer=issuer,
        issued_on=issued_on,
        kind="honour_roll",
        table=NoticeTable.from_records(columns, rows),
        objection_address=objection_address,
        notes=(i18n.t("cobuilding.honour.note"),),
    )
    check_public(notice, publication_gate(ws))
    return notice


def save_draft(ws: Workspace, notice: Notice) -> str:
    """Store a co-building notice as a draft (the review step publishes it)."""
    return save_notice(ws, notice)


# --- the map -------------------------------------------------------------------------------------
_SITE_LAYERS = {
    "building": ("buildings", "building_id"),
    "public_space": ("public_spaces", "space_id"),
    "idle_plot": ("idle_plots", "plot_id"),
    "adoption_zone": ("adoption_zones", "zone_id"),
    "neighbourhood": ("neighbourhoods", "neighbourhood_id"),
}


def project_status_content(ws: Workspace, as_of: dt.date) -> MapContent:
    """Return a map of the projects' sites coloured by status, with budget, spending and milestones in the popups.

    Projects with no site (or a site not on the map) are left out; the layer's
    note says how many.
    """
    import geopandas as gpd

    from cogov_toolkit.render.map_layers import MapContent, background_geometry
    from cogov_toolkit.render.project_status import project_status_layer

    spatial = {
        kind: ws.read_layer(kind)
        for kind in (
            "community",
            "neighbourhoods",
            "grids",
            "buildings",
            "public_spaces",
            "idle_plots",
            "adoption_zones",
        )
    }
    overview = project_overview(ws, as_of).set_index("project_id") if ws.count("projects") else pd.DataFrame()
    projects = ws.records("projects")
    rows, missing = [], 0
    for record in projects.to_dict("records"):
        place = _SITE_LAYERS.get(_text(record.get("site_type")))
        geometry = None
        if place is not None:
            layer, column = place
            hit = spatial[layer][spatial[layer][column] == record.get("site_id")]
            geometry = hit.geometry.iloc[0] if len(hit) else None
        if geometry is None:
            missing += 1
            continue
        row = overview.loc[record["project_id"]]
        rows.append(
            {
                "project_id": record["project_id"],
                "name": record["name"],
                "status": _text(record.get("status")) or "proposed",
                "budget": row["budget"],
                "spent": row["spent"],
                "milestones": row["milestones"],
                "geometry": geometry,
            }
        )
    sites = gpd.GeoDataFrame(
        rows,
        columns=["project_id", "name", "status", "budget", "spent", "milestones", "geometry"],
        geometry="geometry",
        crs=4326,
    )
    layer = project_status_layer(sites)
    if missing:
        layer = dataclasses.replace(layer, note=i18n.t("cobuilding.map.no_site", count=missing))
    return MapContent(ws.community_name, (layer,), background_geometry(spatial))


__all__ = [
    "ContributorContact",
    "parse_signins",
    "project_choices",
    "record_contribution",
    "contributions",
    "totals_by_project",
    "record_session",
    "signin_households",
    "set_budget",
    "add_budget_source",
    "record_spending",
    "add_milestone",
    "complete_milestone",
    "milestones_of",
    "link_evaluation",
    "milestone_evaluations",
    "finance",
    "project_overview",
    "add_photo",
    "photos",
    "photo_bytes",
    "consented_photos",
    "publishable_photo_ids",
    "consented_contributors",
    "FinanceReview",
    "finance_review",
    "publish_finance_notice",
    "honour_roll_of",
    "honour_roll_notice",
    "save_draft",
    "project_status_content",
    # re-exported for widgets and notebooks
    "ContributorType",
    "ContributionKind",
    "FundingSource",
    "PhotoStage",
    "MilestoneState",
    "yuan_text",
]
