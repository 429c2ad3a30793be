"""Public notices (公示) from a workspace: builders, the notices table, and the objection register.

Builders turn what the workspace holds into a :class:`~cogov_toolkit.core.notice.Notice`:

* :func:`triage_replies_notice`: the demands of a period with their replies
  (三事分流, 限时回复, 主动公开). A demand's place is shown as a building label
  or a site number, never a household; the demand's own text is left out
  (residents write names and phones into it) and so is its reporter, who
  lives only in the private file;
* :func:`adoption_roster_notice`: the adoption roster (统一信息台账), built by
  :func:`cogov_toolkit.core.adoption.public_roster`, which names an adopter
  only as they consented;
* :func:`decision_notice`: the result of a counted vote (四议两公开's 决议公开),
  from the stored result only: figures per option, turnout, the ballots set
  aside and why, the steps with their dates; nothing per household.

The co-building and convention workflows build their notices (财务公开, 光荣榜,
公约) the same way and store them through the same :func:`save_notice`.

Every builder checks its notice with :func:`~cogov_toolkit.core.notice.check_public`
through the workspace's publication gate
(:func:`cogov_toolkit.workflows.privacy.publication_gate`), and so does
:func:`write_notice`, which writes a notice's files.
Notices are stored in the ``notices`` table (:func:`save_notice`,
:func:`mark_published`, :func:`load_notice`). A published notice stays
published: what residents saw on the board is what the record keeps, so
saving different content under its number is refused (``notice.published``)
and a correction is a new notice under a new number (:func:`correction_id`).
Objections received during the period go to the ``objections`` table, the
objector's contact to the private ``objection_contacts`` table
(:func:`record_objection`, :func:`answer_objection`), whatever kind the notice is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.adoption import AdopterIdentity, public_roster, roster_headers
from cogov_toolkit.core.codes import NoticeKind, NoticeStatus, ObjectionStatus
from cogov_toolkit.core.notice import (
    DEFAULT_OBJECTION_CHANNELS,
    DEFAULT_PERIOD_DAYS,
    Notice,
    NoticeTable,
    check_public,
    default_period,
    format_date,
)
from cogov_toolkit.core.values import is_blank, parse_date
from cogov_toolkit.errors import NoticeError, RecordError
from cogov_toolkit.render.notice_pack import NoticePack, write_notice_pack
from cogov_toolkit.workflows.adoptions import roster_adoptions
from cogov_toolkit.workflows.privacy import Purpose, publication_gate
from cogov_toolkit.workflows.votes import fraction_text, get_vote, stored_result

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace


#: the layer and id column a demand's place is looked up in, with the column that labels it
_PLACE_LABELS: Mapping[str, tuple[str, str, str]] = {
    "building": ("buildings", "building_id", "label"),
    "public_space": ("public_spaces", "space_id", "number"),
    "idle_plot": ("idle_plots", "plot_id", "number"),
    "adoption_zone": ("adoption_zones", "zone_id", "number"),
    "neighbourhood": ("neighbourhoods", "neighbourhood_id", "name"),
}


@dataclass(frozen=True)
class ObjectionContact:
    """How to reach an objector: stored only in the private file, never published."""

    name: str | None = field(default=None, repr=False)
    phone: str | None = field(default=None, repr=False)
    household_id: str | None = None

    def private_row(self) -> dict[str, Any]:
        """The ``objection_contacts`` row (its key is filled in by the workspace)."""
        return {"name": self.name, "phone": self.phone, "household_id": self.household_id}


def _present(value: Any) -> bool:
    return not is_blank(value)


# --- builders --------------------------------------------------------------------------------------
def _place_labels(ws: Workspace, demands: pd.DataFrame) -> dict[tuple[str, str], str]:
    """Return (place_type, id) -> how a notice names the places of ``demands``: "5栋", "公共空间3号", "幸福花园".

    Only the features the demands name are read, without their geometry.
    """
    wanted: dict[str, set[str]] = {place_type: set() for place_type in _PLACE_LABELS}
    for demand in demands.to_dict("records"):
        place_type, place_id, building_id = (demand.get(k) for k in ("place_type", "place_id", "building_id"))
        if _present(place_type) and _present(place_id) and str(place_type) in wanted:
            wanted[str(place_type)].add(str(place_id))
        elif _present(building_id):
            wanted["building"].add(str(building_id))
    labels: dict[tuple[str, str], str] = {}
    for place_type, (layer, id_column, label_column) in _PLACE_LABELS.items():
        if not wanted[place_type]:
            continue
        where = {id_column: sorted(wanted[place_type])}
        frame = ws.layer_records(layer, where, columns=[id_column, label_column])
        for place_id, value in zip(frame[id_column], frame[label_column], strict=True):
            if place_type in ("building", "neighbourhood"):
                text = str(value) if _present(value) else str(place_id)
            else:
                number = int(value) if _present(value) else place_id
                text = i18n.t("notice.triage.site", type=i18n.label("place_type", place_type), number=number)
            labels[(place_type, str(place_id))] = text
    return labels


def _place_of(demand: Mapping[str, Any], labels: Mapping[tuple[str, str], str]) -> str:
    place_type, place_id, building_id = (demand.get(k) for k in ("place_type", "place_id", "building_id"))
    if _present(place_type) and _present(place_id):
        return labels.get((str(place_type), str(place_id)), "")
    if _present(building_id):
        return labels.get(("building", str(building_id)), "")
    return ""


def triage_replies_notice(
    ws: Workspace,
    start: dt.date,
    end: dt.date,
    *,
    contact: str,
    office_phone: str,
    issuer: str,
    issued_on: dt.date | None = None,
    objection_address: str = "",
    notice_id: str | None = None,
) -> Notice:
    """Return the notice of the replies to the demands received from ``start`` to ``end`` (both included).

    Parameters
    ----------
    ws : Workspace
        The workspace holding the demands.
    start, end : date
        The period of the demands (by ``reported_on``).
    contact, office_phone, issuer : str
        The public contact, the office's public phone and the issuing body (落款).
    issued_on : date, optional
        The date of the notice and first day of its 7-day period; the day after
        ``end`` by default, so that the same call always gives the same notice.
    objection_address : str
        Where to bring an objection (来信来访地址).
    notice_id : str, optional
        ``GS-DF-<start>-<end>`` by default.

    Returns
    -------
    Notice
        Kind ``triage_replies``; its table has one row per demand: number,
        category, place, reply (or "正在办理"), status.

    Raises
    ------
    NoticeError
        When a reply holds a phone or ID number or a name from the private file.
    """
    start, end = parse_date(start), parse_date(end)
    issued_on = parse_date(issued_on) if issued_on is not None else end + dt.timedelta(days=1)
    # the columns the notice shows, never the resident's text (names and phones get written into it)
    wanted = ["demand_id", "reported_on", "category", "place_type", "place_id", "building_id", "reply", "status"]
    demands = ws.records("demands", columns=wanted)
    if len(demands):
        days = demands["reported_on"].map(parse_date)
        demands = demands[(days >= start) & (days <= end)].sort_values("demand_id", kind="stable")
    labels = _place_labels(ws, demands)
    columns = [i18n.t(f"notice.triage.column.{c}") for c in ("demand_id", "category", "place", "reply", "status")]
    rows = []
    for demand in demands.to_dict("records"):
        reply = str(demand["reply"]).strip() if _present(demand.get("reply")) else i18n.t("notice.triage.pending")
        status = i18n.label("demand_status", demand["status"] if _present(demand.get("status")) else "received")
        category = i18n.label("demand_category", demand["category"])
        rows.append((demand["demand_id"], category, _place_of(demand, labels), reply, status))
    first, last = format_date(start), format_date(end)
    period_start, period_end = default_period(issued_on)
    notice = Notice(
        notice_id=notice_id or f"GS-DF-{start:%Y%m%d}-{end:%Y%m%d}",
        title=i18n.t("notice.triage.title", community=ws.community_name),
        basis=i18n.t("notice.triage.basis"),
        matter=i18n.t("notice.triage.matter", start=first, end=last, count=len(rows)),
        start_on=period_start,
        end_on=period_end,
        contact=contact,
        office_phone=office_phone,
        issuer=issuer,
        issued_on=issued_on,
        kind=NoticeKind.TRIAGE_REPLIES.value,
        table=NoticeTable.from_records(columns, rows),
        objection_address=objection_address,
    )
    check_public(notice, publication_gate(ws))
    return notice


def _identities(ws: Workspace, adoptions: pd.DataFrame) -> dict[str, AdopterIdentity]:
    """Return adoption id -> the adopter's name and building, from the private file (for masking only)."""
    if not len(adoptions):
        return {}
    by_uuid = dict(zip(adoptions["uuid"], adoptions["adoption_id"], strict=True))
    contacts = ws.private_records("adopter_contacts", {"adoption_uuid": sorted(by_uuid)})
    if not len(contacts):
        return {}
    ids = sorted({str(h) for h in contacts["household_id"] if _present(h)})
    households = ws.records("households", {"household_id": ids}, columns=["household_id", "building_id"])
    households = households.set_index("household_id")["building_id"].to_dict()
    building_ids = sorted({str(b) for b in households.values() if _present(b)})
    buildings = ws.layer_records("buildings", {"building_id": building_ids}, columns=["building_id", "label"])
    buildings = buildings.set_index("building_id")["label"].to_dict()
    identities = {}
    for row in contacts.to_dict("records"):
        adoption_id = by_uuid.get(row["adoption_uuid"])
        if adoption_id is None:
            continue
        building = buildings.get(households.get(row["household_id"])) if _present(row["household_id"]) else None
        name = str(row["name"]) if _present(row["name"]) else None
        identities[adoption_id] = AdopterIdentity(name=name, building_label=building)
    return identities


def adoption_roster_notice(
    ws: Workspace,
    today: dt.date,
    *,
    contact: str,
    office_phone: str,
    issuer: str,
    issued_on: dt.date | None = None,
    objection_address: str = "",
    notice_id: str | None = None,
) -> Notice:
    """Return the notice of the adoption roster on ``today`` (adoptions whose term covers that day).

    The table is :func:`cogov_toolkit.core.adoption.public_roster`: zone number,
    zone type, adopter type, the adopter as they consented to be named (else
    building and masked surname, "5栋王**"), and the term. ``issued_on`` is
    ``today`` by default; ``notice_id`` is ``GS-RY-<today>``.

    Raises
    ------
    NoticeError
        When the roster would show a name or phone of the private file.
    """
    today = parse_date(today)
    issued_on = parse_date(issued_on) if issued_on is not None else today
    gate = publication_gate(ws)
    adoptions = roster_adoptions(ws, gate.for_purpose(Purpose.ADOPTER_ROSTER, issued_on))
    zone_ids = sorted({str(z) for z in adoptions["zone_id"]}) if len(adoptions) else []
    zones = ws.layer_records("adoption_zones", {"zone_id": zone_ids})
    roster = public_roster(adoptions, zones, identities=_identities(ws, adoptions), on=today)
    headers = roster_headers()
    rows = [
        tuple("" if not _present(v) else (format_date(v) if isinstance(v, dt.date) else str(v)) for v in record)
        for record in roster.itertuples(index=False)
    ]
    day = format_date(today)
    period_start, period_end = default_period(issued_on)
    notice = Notice(
        notice_id=notice_id or f"GS-RY-{today:%Y%m%d}",
        title=i18n.t("notice.roster.title", community=ws.community_name),
        basis=i18n.t("notice.roster.basis"),
        matter=i18n.t("notice.roster.matter", day=day, count=len(rows)),
        start_on=period_start,
        end_on=period_end,
        contact=contact,
        office_phone=office_phone,
        issuer=issuer,
        issued_on=issued_on,
        kind=NoticeKind.ADOPTION_ROSTER.value,
        table=NoticeTable.from_records([headers[c] for c in roster.columns], rows),
        objection_address=objection_address,
    )
    check_public(notice, gate)
    return notice


def write_notice(ws: Workspace, notice: Notice, folder: str | Path, **options: Any) -> NoticePack:
    """Write a notice's files (Word, PDF, WeChat image, A3 poster) through the workspace's publication gate.

    ``options`` are those of :func:`cogov_toolkit.render.notice_pack.write_notice_pack`. A notice that
    differs from a published one of the same number is refused before any file is written
    (:func:`check_unpublished`).
    """
    check_unpublished(ws, notice)
    return write_notice_pack(notice, folder, gate=publication_gate(ws), **options)


# --- the decision notice of a vote ------------------------------------------------------------------
def decision_notice(
    ws: Workspace,
    vote_id: str,
    *,
    contact: str,
    office_phone: str,
    issuer: str,
    start_on: dt.date,
    days: int = DEFAULT_PERIOD_DAYS,
    notice_id: str | None = None,
    issued_on: dt.date | None = None,
) -> Notice:
    """Return the 公示 of the counted vote ``vote_id``, with aggregate figures only.

    Parameters
    ----------
    ws : Workspace
    vote_id : str
        A vote counted with :func:`~cogov_toolkit.workflows.votes.count_vote`.
    contact, office_phone, issuer : str
        The contact person's title, the office's public phone, the issuing body (落款).
    start_on : datetime.date
        First day of the publicity period; it lasts ``days`` days (at least 7).
    notice_id, issued_on : optional
        Default ``GS-<vote_id>`` and ``start_on``.

    Raises
    ------
    NoticeError
        When the period is shorter than 7 days, a part is missing, or a name or phone
        from the private roll appears in the text.
    """
    vote = get_vote(ws, vote_id)
    data, _ = stored_result(ws, vote_id)
    start, end = default_period(start_on, days)
    notice = Notice(
        notice_id=notice_id or f"GS-{vote_id}",
        title=i18n.t("vote_notice.title", question=vote.question),
        basis=_basis(vote),
        matter=_matter(vote.question, vote.electorate.value, data),
        start_on=start,
        end_on=end,
        contact=contact,
        office_phone=office_phone,
        issuer=issuer,
        issued_on=issued_on or start_on,
        kind=NoticeKind.DECISION.value,
        table=_table(data),
        subject_id=vote_id,
        notes=_notes(data),
    )
    check_public(notice, publication_gate(ws), min_days=DEFAULT_PERIOD_DAYS)
    return notice


def _basis(vote: Any) -> str:
    steps = "；".join(f"{format_date(s.on)} {i18n.label('vote_step', s.step.value)}" for s in vote.steps)
    return i18n.t("vote_notice.basis", steps=steps or i18n.t("vote_notice.no_steps"))


def _matter(question: str, electorate: str, data: Mapping[str, Any]) -> str:
    winners = "、".join(data["winners"])
    roll = data.get("roll") or {}
    voters = roll.get("voters") or 0
    outcome = (
        i18n.t("vote_notice.passed" if data["passed"] else "vote_notice.not_passed")
        if data.get("passed") is not None
        else _committee_outcome(data)
        if "committees" in data
        else i18n.t("vote_notice.winner", winners=winners or i18n.t("vote_notice.no_winner"))
    )
    return i18n.t(
        "vote_notice.matter",
        question=question,
        counted=data["ballots_counted"],
        roll=i18n.t(f"vote_notice.roll.{electorate}", count=voters),
        set_aside=len(data["set_aside"]),
        outcome=outcome,
    )


def _committee_outcome(data: Mapping[str, Any]) -> str:
    """The elected (a selection) or the funded (a budget), and what a tie leaves open."""
    none = i18n.t("vote_notice.no_winner")
    if "funding" in data:
        funded = [f for f in data["funding"] if f["funded"]]
        text = i18n.t(
            "selection.notice.funded",
            projects="、".join(f["project"] for f in funded) or none,
            spent=fraction_text(sum(f["cost"] for f in funded)),
            budget=fraction_text(data["budget"]),
        )
    else:
        text = i18n.t("selection.notice.elected", seats=data.get("seats"), winners="、".join(data["winners"]) or none)
    if data.get("contested"):
        key = "selection.notice.contested_projects" if "funding" in data else "selection.notice.contested"
        text += i18n.t(key, options="、".join(data["contested"]))
    return text


def _table(data: Mapping[str, Any]) -> NoticeTable:
    if "funding" in data:  # a budget: each project, its cost and votes, funded or not and why
        columns = tuple(i18n.t(f"selection.notice.column.{c}") for c in ("project", "cost", "votes", "result"))
        rows = [
            (f["project"], fraction_text(f["cost"]), fraction_text(f["votes"]), i18n.t(f["reason"]))
            for f in data["funding"]
        ]
        return NoticeTable.from_records(columns, rows)
    if "committees" in data:  # a selection: each nominee, their votes, elected or not
        elected, contested = set(data["winners"]), set(data.get("contested", ()))
        votes = "first_preferences" if data["rule"] == "stv" else "votes"
        columns = tuple(i18n.t(f"selection.notice.column.{c}") for c in ("nominee", votes, "result"))
        status = {True: i18n.t("selection.notice.elected_mark"), False: ""}
        rows = [
            (
                option,
                fraction_text(Fraction(score)),
                i18n.t("selection.notice.tied_mark") if option in contested else status[option in elected],
            )
            for option, score in data["scores"]
        ]
        return NoticeTable.from_records(columns, rows)
    total = sum(Fraction(s) for _, s in data["scores"])
    rows = [
        (option, fraction_text(Fraction(score)), f"{float(Fraction(score) / total) * 100:.1f}%" if total else "—")
        for option, score in data["scores"]
    ]
    columns = (
        i18n.t("vote_notice.column.option"),
        i18n.t("vote_notice.column.votes"),
        i18n.t("vote_notice.column.share"),
    )
    return NoticeTable.from_records(columns, rows)


def _notes(data: Mapping[str, Any]) -> tuple[str, ...]:
    counts: dict[str, int] = {}
    for _, reason in data["set_aside"]:
        counts[reason] = counts.get(reason, 0) + 1
    return tuple(i18n.t("vote_notice.set_aside_note", reason=i18n.t(r), count=n) for r, n in counts.items())


# --- the notices table -----------------------------------------------------------------------------
def _status(record: Mapping[str, Any]) -> NoticeStatus:
    return NoticeStatus(record.get("status") or NoticeStatus.DRAFT)


_ORDER = (NoticeStatus.DRAFT, NoticeStatus.REVIEWED, NoticeStatus.PUBLISHED)


def correction_id(ws: Workspace, notice_id: str) -> str:
    """Return the first free number for a corrected notice of ``notice_id``: ``<notice_id>-更正1``, ``-更正2`` …"""
    number = 1
    while ws.find("notices", f"{notice_id}-更正{number}") is not None:
        number += 1
    return f"{notice_id}-更正{number}"


def check_unpublished(ws: Workspace, notice: Notice) -> dict[str, Any] | None:
    """Return the stored record of ``notice``'s number (None when there is none), after checking it may be written.

    Call it before writing a notice's files, so that nothing is printed that the
    workspace would refuse: a published notice of the same number with other
    content raises.

    Raises
    ------
    NoticeError
        ``notice.published``, naming the publication day and the number a correction takes.
    """
    stored = ws.find("notices", notice.notice_id)
    if stored is not None and _status(stored) is NoticeStatus.PUBLISHED and Notice.from_record(stored) != notice:
        raise NoticeError(
            "notice.published",
            notice_id=notice.notice_id,
            issued_on=format_date(Notice.from_record(stored).issued_on),
            new_id=correction_id(ws, notice.notice_id),
        )
    return stored


def save_notice(ws: Workspace, notice: Notice, *, status: NoticeStatus = NoticeStatus.DRAFT) -> str:
    """Store ``notice`` under its number with ``status`` and return its record uuid.

    A notice not stored yet is added. A draft (or reviewed) notice of the same
    number is replaced by this one; saved again with the same content, it keeps
    the furthest status it reached (a second click never undoes a review).

    A published notice stays published: it is what residents saw on the board,
    and its objections answer that text. Saving the same content again (a second
    click, a rerun) changes nothing and returns its uuid; saving different
    content is refused, because a change after 公示 is a new, corrected notice
    under a new number (:func:`correction_id`), published in its own right.

    Raises
    ------
    NoticeError
        ``notice.published`` when a published notice of the same number holds other content.
    """
    wanted = NoticeStatus(status)
    stored = check_unpublished(ws, notice)
    if stored is None:
        return ws.add("notices", {**notice.record(), "status": wanted.value})
    uuid, current = str(stored["uuid"]), _status(stored)
    same = Notice.from_record(stored) == notice
    if current is NoticeStatus.PUBLISHED:
        return uuid
    if same:
        furthest = max(current, wanted, key=_ORDER.index)
        if furthest is not current:
            ws.update("notices", uuid, {"status": furthest.value})
        return uuid
    ws.update("notices", uuid, {**notice.record(), "status": wanted.value})
    return uuid


def _stored(ws: Workspace, notice_id: str) -> dict[str, Any]:
    record = ws.find("notices", notice_id)
    if record is None:
        raise NoticeError("notice.unknown_notice", notice_id=notice_id)
    return record


def load_notice(ws: Workspace, notice_id: str) -> Notice:
    """Return the stored notice numbered ``notice_id``; raise NoticeError ``notice.unknown_notice`` when absent."""
    return Notice.from_record(_stored(ws, notice_id))


def notice_status(ws: Workspace, notice_id: str) -> NoticeStatus:
    """Return the status of the stored notice numbered ``notice_id``."""
    return _status(_stored(ws, notice_id))


def mark_published(ws: Workspace, notice: Notice) -> str:
    """Store ``notice`` with status ``published`` and return its record uuid (see :func:`save_notice`)."""
    return save_notice(ws, notice, status=NoticeStatus.PUBLISHED)


# --- objections ------------------------------------------------------------------------------------
def record_objection(
    ws: Workspace,
    notice_id: str,
    received_on: dt.date,
    channel: str,
    summary: str,
    *,
    contact: ObjectionContact | None = None,
) -> str:
    """Register an objection to a stored notice and return its record uuid.

    The summary is kept in the shareable workspace; the objector's contact
    goes, in the same transaction, to the private ``objection_contacts`` table.

    Raises
    ------
    NoticeError
        ``notice.unknown_notice``, ``notice.invalid_channel`` (channels:
        letter, phone, visit) or ``notice.part_missing`` for an empty summary.
    """
    _stored(ws, notice_id)
    if channel not in DEFAULT_OBJECTION_CHANNELS:
        allowed = "、".join(f"{c}（{i18n.t(f'notice.channel.{c}')}）" for c in DEFAULT_OBJECTION_CHANNELS)
        raise NoticeError("notice.invalid_channel", channel=channel, allowed=allowed)
    if not str(summary).strip():
        raise NoticeError("notice.part_missing", column="summary")
    values = {
        "notice_id": notice_id,
        "received_on": parse_date(received_on),
        "channel": channel,
        "summary": str(summary).strip(),
        "status": ObjectionStatus.RECEIVED.value,
    }
    private = {"objection_contacts": contact.private_row()} if contact is not None else None
    return ws.add("objections", values, private=private)


def answer_objection(ws: Workspace, objection_uuid: str, reply: str, replied_on: dt.date) -> None:
    """Record the community's reply to an objection (status ``answered``).

    Raises
    ------
    NoticeError
        ``notice.unknown_objection`` or ``notice.blank_reply``.
    """
    try:
        ws.get("objections", objection_uuid)
    except RecordError:
        raise NoticeError("notice.unknown_objection", uuid=objection_uuid) from None
    if not str(reply).strip():
        raise NoticeError("notice.blank_reply")
    changes = {
        "reply": str(reply).strip(),
        "replied_on": parse_date(replied_on),
        "status": ObjectionStatus.ANSWERED.value,
    }
    ws.update("objections", objection_uuid, changes)


def objections(ws: Workspace, notice_id: str) -> pd.DataFrame:
    """Return the objections to one notice (public columns only: no contact)."""
    columns = ["uuid", "notice_id", "received_on", "channel", "summary", "reply", "replied_on", "status"]
    return ws.records("objections", {"notice_id": notice_id}, columns=columns).reset_index(drop=True)


__all__ = [
    "NoticeKind",
    "NoticeStatus",
    "ObjectionStatus",
    "ObjectionContact",
    "triage_replies_notice",
    "adoption_roster_notice",
    "decision_notice",
    "write_notice",
    "save_notice",
    "correction_id",
    "check_unpublished",
    "load_notice",
    "notice_status",
    "mark_published",
    "record_objection",
    "answer_objection",
    "objections",
    # re-exported for widgets and notebooks
    "Notice",
    "check_public",
    "publication_gate",
]
