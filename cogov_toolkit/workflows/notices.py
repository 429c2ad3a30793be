"""Public notices (公示) from a workspace: builders, the notices table, and the objection register.

Builders turn what the workspace holds into a :class:`~cogov_toolkit.core.notice.Notice`:

* :func:`triage_replies_notice`: the demands of a period with their replies
  (三事分流, 限时回复, 主动公开). A demand's place is shown as a building label
  or a site number, never a household; the demand's own text is left out
  (residents write names and phones into it) and so is its reporter, who
  lives only in the private file;
* :func:`adoption_roster_notice`: the adoption roster (统一信息台账), built by
  :func:`cogov_toolkit.core.adoption.public_roster`, which names an adopter
  only as they consented.

Every builder checks its notice with :func:`~cogov_toolkit.core.notice.check_public`
through the workspace's publication gate
(:func:`cogov_toolkit.workflows.privacy.publication_gate`), and so does
:func:`write_notice`, which writes a notice's files.
Notices are stored in the ``notices`` table (:func:`save_notice`,
:func:`load_notice`); objections received during the period go to the
``objections`` table, the objector's contact to the private
``objection_contacts`` table (:func:`record_objection`, :func:`answer_objection`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.adoption import AdopterIdentity, public_roster, roster_headers
from cogov_toolkit.core.codes import NoticeKind, NoticeStatus, ObjectionStatus
from cogov_toolkit.core.notice import (
    DEFAULT_OBJECTION_CHANNELS,
    Notice,
    NoticeTable,
    check_public,
    default_period,
)
from cogov_toolkit.errors import NoticeError
from cogov_toolkit.render.notice_pack import NoticePack, write_notice_pack
from cogov_toolkit.workflows.adoptions import roster_adoptions
from cogov_toolkit.workflows.privacy import Purpose, publication_gate

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
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and str(value).strip() != ""


# --- builders --------------------------------------------------------------------------------------
def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _place_labels(ws: Workspace) -> dict[tuple[str, str], str]:
    """Return (place_type, id) -> how a notice names the place: "5栋", "公共空间3号", "幸福花园"."""
    labels: dict[tuple[str, str], str] = {}
    for place_type, (layer, id_column, label_column) in _PLACE_LABELS.items():
        frame = ws.read_layer(layer)
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


def _period_text(start: dt.date, end: dt.date) -> tuple[str, str]:
    from_text = i18n.t("notice.text.date", year=start.year, month=start.month, day=start.day)
    return from_text, i18n.t("notice.text.date", year=end.year, month=end.month, day=end.day)


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
    start, end = _as_date(start), _as_date(end)
    issued_on = _as_date(issued_on) if issued_on is not None else end + dt.timedelta(days=1)
    demands = ws.records("demands")
    if len(demands):
        days = demands["reported_on"].map(_as_date)
        demands = demands[(days >= start) & (days <= end)].sort_values("demand_id", kind="stable")
    labels = _place_labels(ws)
    columns = [i18n.t(f"notice.triage.column.{c}") for c in ("demand_id", "category", "place", "reply", "status")]
    rows = []
    for demand in demands.to_dict("records"):
        reply = str(demand["reply"]).strip() if _present(demand.get("reply")) else i18n.t("notice.triage.pending")
        status = i18n.label("demand_status", demand["status"] if _present(demand.get("status")) else "received")
        category = i18n.label("demand_category", demand["category"])
        rows.append((demand["demand_id"], category, _place_of(demand, labels), reply, status))
    first, last = _period_text(start, end)
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
    contacts = ws.private_records("adopter_contacts")
    if not len(contacts) or not len(adoptions):
        return {}
    households = ws.records("households").set_index("household_id")["building_id"].to_dict()
    buildings = ws.read_layer("buildings").set_index("building_id")["label"].to_dict()
    by_uuid = dict(zip(adoptions["uuid"], adoptions["adoption_id"], strict=True))
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
    today = _as_date(today)
    issued_on = _as_date(issued_on) if issued_on is not None else today
    gate = publication_gate(ws)
    adoptions = roster_adoptions(ws, gate.for_purpose(Purpose.ADOPTER_ROSTER, issued_on))
    zones = pd.DataFrame(ws.read_layer("adoption_zones").drop(columns="geometry"))
    roster = public_roster(adoptions, zones, identities=_identities(ws, adoptions), on=today)
    headers = roster_headers()
    rows = [
        tuple("" if not _present(v) else (_date_text(v) if isinstance(v, dt.date) else str(v)) for v in record)
        for record in roster.itertuples(index=False)
    ]
    day = _period_text(today, today)[0]
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

    ``options`` are those of :func:`cogov_toolkit.render.notice_pack.write_notice_pack`.
    """
    return write_notice_pack(notice, folder, gate=publication_gate(ws), **options)


def _date_text(day: dt.date) -> str:
    return i18n.t("notice.text.date", year=day.year, month=day.month, day=day.day)


# --- the notices table -----------------------------------------------------------------------------
def _notice_uuid(ws: Workspace, notice_id: str) -> str | None:
    frame = ws.records("notices")
    hits = frame.loc[frame["notice_id"] == notice_id, "uuid"] if len(frame) else []
    return str(hits.iloc[-1]) if len(hits) else None


def save_notice(ws: Workspace, notice: Notice, *, status: NoticeStatus = NoticeStatus.DRAFT) -> str:
    """Store ``notice`` (replacing a stored notice of the same number) and return its record uuid."""
    values = {**notice.record(), "status": NoticeStatus(status).value}
    existing = _notice_uuid(ws, notice.notice_id)
    if existing is None:
        return ws.add("notices", values)
    ws.update("notices", existing, values)
    return existing


def load_notice(ws: Workspace, notice_id: str) -> Notice:
    """Return the stored notice numbered ``notice_id``; raise NoticeError ``notice.unknown_notice`` when absent."""
    record_uuid = _notice_uuid(ws, notice_id)
    if record_uuid is None:
        raise NoticeError("notice.unknown_notice", notice_id=notice_id)
    return Notice.from_record(ws.get("notices", record_uuid))


def notice_status(ws: Workspace, notice_id: str) -> NoticeStatus:
    """Return the status of the stored notice numbered ``notice_id``."""
    record_uuid = _notice_uuid(ws, notice_id)
    if record_uuid is None:
        raise NoticeError("notice.unknown_notice", notice_id=notice_id)
    return NoticeStatus(ws.get("notices", record_uuid)["status"] or NoticeStatus.DRAFT)


def mark_published(ws: Workspace, notice: Notice) -> str:
    """Store ``notice`` with status ``published`` and return its record uuid."""
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
    if _notice_uuid(ws, notice_id) is None:
        raise NoticeError("notice.unknown_notice", notice_id=notice_id)
    if channel not in DEFAULT_OBJECTION_CHANNELS:
        allowed = "、".join(f"{c}（{i18n.t(f'notice.channel.{c}')}）" for c in DEFAULT_OBJECTION_CHANNELS)
        raise NoticeError("notice.invalid_channel", channel=channel, allowed=allowed)
    if not str(summary).strip():
        raise NoticeError("notice.part_missing", column="summary")
    values = {
        "notice_id": notice_id,
        "received_on": _as_date(received_on),
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
    frame = ws.records("objections")
    if not len(frame) or objection_uuid not in set(frame["uuid"]):
        raise NoticeError("notice.unknown_objection", uuid=objection_uuid)
    if not str(reply).strip():
        raise NoticeError("notice.blank_reply")
    changes = {
        "reply": str(reply).strip(),
        "replied_on": _as_date(replied_on),
        "status": ObjectionStatus.ANSWERED.value,
    }
    ws.update("objections", objection_uuid, changes)


def objections(ws: Workspace, notice_id: str) -> pd.DataFrame:
    """Return the objections to one notice (public columns only: no contact)."""
    columns = ["uuid", "notice_id", "received_on", "channel", "summary", "reply", "replied_on", "status"]
    frame = ws.records("objections")
    return frame.loc[frame["notice_id"] == notice_id, columns].reset_index(drop=True) if len(frame) else frame[columns]


__all__ = [
    "NoticeKind",
    "NoticeStatus",
    "ObjectionStatus",
    "ObjectionContact",
    "triage_replies_notice",
    "adoption_roster_notice",
    "write_notice",
    "save_notice",
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
