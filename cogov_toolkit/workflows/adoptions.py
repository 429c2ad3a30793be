"""The adoption register (认领认管认养) on a workspace: register, renew, end, care log, alerts, roster.

The rules live in :mod:`cogov_toolkit.core.adoption` (terms, notice, alerts,
the published roster); this module applies them to the ``adoptions`` and
``adoption_care_log`` tables and the ``adoption_zones`` layer. The adopter's
real name, phone and household go to the private ``adopter_contacts`` table
only, and so does a person's display name (``public_name``: a household's or
a party member's; a team's or a firm's own name stays public). Consent to be
named is a ``consents`` record (purpose ``adopter_roster``): the roster and
the 认养牌 show the display name only under an active consent, else building
and masked surname, never a phone number; a withdrawn consent removes the
name from the next roster and sign. Registering is one transaction: the
adoption, its contact, its consent and the zone's status.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core import adoption as rules
from cogov_toolkit.core.adoption import (
    DEFAULT_ADOPTION_POLICY,
    AdopterIdentity,
    AdopterType,
    AdoptionPolicy,
    AdoptionTerm,
    Alert,
    CareResult,
    SignContent,
)
from cogov_toolkit.core.values import is_blank, parse_date, plain_value
from cogov_toolkit.errors import AdoptionRegisterError, Problem
from cogov_toolkit.i18n.text import column_display_name
from cogov_toolkit.render.adoption_signs import write_adoption_signs
from cogov_toolkit.workflows.privacy import PublicationGate, Purpose, publication_gate, record_consent

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace


@dataclass(frozen=True)
class AdopterContact:
    """The adopter's contact, kept in the private file only; name and phone stay out of the repr."""

    household_id: str | None = None
    name: str | None = None
    phone: str | None = None
    public_name: str | None = None  # a person's display name: published only under a consent

    def __repr__(self) -> str:
        return f"AdopterContact(household_id={self.household_id!r}, name=…, phone=…)"

    def private_row(self) -> dict[str, str]:
        """Return the filled fields as an ``adopter_contacts`` row (without the link)."""
        values = {
            "household_id": self.household_id,
            "name": self.name,
            "phone": self.phone,
            "public_name": self.public_name,
        }
        return {k: str(v).strip() for k, v in values.items() if v is not None and str(v).strip()}


def _day(value: Any) -> date:
    return parse_date(value)


def _adoption(ws: Workspace, adoption_id: str) -> dict[str, Any]:
    found = ws.find("adoptions", str(adoption_id))
    if found is None:
        raise AdoptionRegisterError("adoption_flow.unknown_adoption", adoption_id=adoption_id)
    return found


def _term(record: Mapping[str, Any], policy: AdoptionPolicy) -> AdoptionTerm:
    start = _day(record["start_on"])
    return (
        AdoptionTerm(start, _day(record["end_on"]))
        if not is_blank(record.get("end_on"))
        else rules.term_for(start, policy)
    )


def next_adoption_id(ws: Workspace) -> str:
    """Return the next free id of the form AD001."""
    return f"AD{(ws.max_number('adoptions', 'adoption_id', 'AD') or 0) + 1:03d}"


def _set_zone_status(ws: Workspace, zone_id: str, status: str) -> None:
    # one feature changed in place: the layer is not read or rewritten
    zones = ws.layer_records("adoption_zones", {"zone_id": zone_id}, columns=["fid", "status"])
    for fid in zones.loc[zones["status"] != status, "fid"]:
        ws.update_feature("adoption_zones", int(fid), values={"status": status})


def _overlapping(ws: Workspace, zone_id: str, term: AdoptionTerm, policy: AdoptionPolicy) -> str | None:
    for record in ws.records("adoptions", {"zone_id": zone_id}).to_dict("records"):
        other = _term(record, policy)
        if other.start_on <= term.end_on and term.start_on <= other.end_on:
            return str(record["adoption_id"])
    return None


def register_adoption(
    ws: Workspace,
    *,
    zone_id: str,
    adopter_type: AdopterType | str,
    start_on: date,
    public_name: str | None = None,
    publish_name_consent: bool = False,
    duties: str | None = None,
    contact: AdopterContact | None = None,
    end_on: date | None = None,
    adoption_id: str | None = None,
    renewed_from: str | None = None,
    idempotency_key: str | None = None,
    policy: AdoptionPolicy = DEFAULT_ADOPTION_POLICY,
) -> str:
    """Register an adoption of a zone and return its id; the zone shows as adopted.

    Parameters
    ----------
    ws : Workspace
        The open workspace.
    zone_id : str
        An adoption zone of the workspace.
    adopter_type : AdopterType or str
        Household, party member, volunteer team or enterprise.
    start_on : date
        First day; the term runs ``policy.term_months`` (1 year) unless ``end_on`` is given.
    public_name : str, optional
        The name the adopter agreed to publish (a person's only with
        ``publish_name_consent``). Never a phone number.
    duties : str, optional
        What the adopter looks after (浇水、清扫 …), printed on the sign.
    publish_name_consent : bool
        True only when the adopter agreed to publish ``public_name``.
    contact : AdopterContact, optional
        Real name, phone, household: private file only.
    end_on : date, optional
        Last day, when not the default term.
    adoption_id : str, optional
        By default the next free ``AD###``.
    renewed_from : str, optional
        The adoption this one renews.
    idempotency_key : str, optional
        One per filled form: a form sent twice registers once.
    policy : AdoptionPolicy
        Term length and notice.

    Raises
    ------
    AdoptionRegisterError
        ``adoption_flow.bad_adoption`` listing every problem: unknown zone or
        adopter type, a public name holding a phone number, a term that
        overlaps another adoption of the zone.
    """
    if idempotency_key is not None:
        done = ws.records("adoptions", {"idempotency_key": idempotency_key}, columns=["adoption_id"])
        if len(done):  # the form was sent twice: the first one stands
            return str(done["adoption_id"].iloc[0])
    problems: list[Problem] = []
    if not ws.count("adoption_zones", {"zone_id": str(zone_id)}):
        problems.append(
            Problem("adoption_flow.unknown_zone", column=column_display_name("zone_id"), params={"value": zone_id})
        )
    if adopter_type not in set(AdopterType):
        allowed = "、".join(i18n.label("adopter_type", t) for t in AdopterType)
        problems.append(
            Problem(
                "adoption_flow.bad_code",
                column=column_display_name("adopter_type"),
                params={"value": adopter_type, "allowed": allowed},
            )
        )
    if public_name and rules.looks_personal(public_name):
        problems.append(Problem("adoption_flow.number_in_name", column=column_display_name("public_name")))
    term = rules.term_for(start_on, policy) if end_on is None else AdoptionTerm(start_on, end_on)
    if not problems:
        clash = _overlapping(ws, zone_id, term, policy)
        if clash is not None:
            problems.append(
                Problem("adoption_flow.overlap", column=column_display_name("start_on"), params={"other": clash})
            )
    if problems:
        raise AdoptionRegisterError("adoption_flow.bad_adoption", problems=problems, count=len(problems))
    shown = public_name.strip() if public_name and public_name.strip() else None
    personal = str(AdopterType(adopter_type)) in rules.PERSONAL_ADOPTERS
    contact = contact or AdopterContact()
    if personal and shown:  # a person's display name is personal: private, published only under a consent
        contact = replace(contact, public_name=shown)
    row = {
        "zone_id": zone_id,
        "adopter_type": str(AdopterType(adopter_type)),
        "public_name": None if personal else shown,
        "start_on": term.start_on,
        "end_on": term.end_on,
        "duties": duties.strip() if duties and duties.strip() else None,
        "renewed_from": renewed_from,
    }
    private = {"adopter_contacts": contact.private_row()} if contact.private_row() else None
    with ws.transaction():  # the adoption, its contact, its consent and the zone's status: all, or none
        row["adoption_id"] = adoption_id or next_adoption_id(ws)
        stored = ws.add("adoptions", row, private=private, idempotency_key=idempotency_key)
        # a retried form returns the adoption saved the first time, under the id it got then
        stored_id = str(ws.get("adoptions", stored)["adoption_id"])
        if stored_id == row["adoption_id"] and publish_name_consent and personal and shown:
            record_consent(
                ws,
                Purpose.ADOPTER_ROSTER,
                given_on=term.start_on,
                household_id=contact.household_id,
                name=contact.name,
                public_name=shown,
                subject_id=stored_id,
            )
        _set_zone_status(ws, zone_id, "adopted")
    return stored_id


def _contact_of(ws: Workspace, adoption_uuid: str) -> AdopterContact | None:
    found = ws.private_records("adopter_contacts", {"adoption_uuid": adoption_uuid})
    if found.empty:
        return None
    row = found.iloc[0]
    return AdopterContact(
        plain_value(row["household_id"]),
        plain_value(row["name"]),
        plain_value(row["phone"]),
        plain_value(row.get("public_name")),
    )


def renew_adoption(
    ws: Workspace, adoption_id: str, on: date, *, policy: AdoptionPolicy = DEFAULT_ADOPTION_POLICY
) -> str:
    """Renew an adoption for another term and return the new adoption's id.

    The new term follows on from the old one (or starts on ``on`` if the old
    one has ended); adopter, consent, duties and the private contact carry over.
    """
    record = _adoption(ws, adoption_id)
    if not is_blank(record.get("notice_given_on")):
        raise AdoptionRegisterError("adoption_flow.renew_after_notice", adoption_id=adoption_id)
    term = rules.renew(_term(record, policy), on, policy)
    contact = _contact_of(ws, record["uuid"])
    shown = plain_value(record.get("public_name")) or (contact.public_name if contact else None)
    # the consent carries over while it is not withdrawn on the day the new term starts
    consent = publication_gate(ws).for_purpose(Purpose.ADOPTER_ROSTER, term.start_on)
    return register_adoption(
        ws,
        zone_id=str(record["zone_id"]),
        adopter_type=str(record["adopter_type"]),
        start_on=term.start_on,
        end_on=term.end_on,
        public_name=shown,
        publish_name_consent=consent.consented(shown, subject_id=adoption_id),
        duties=plain_value(record.get("duties")),
        contact=contact,
        renewed_from=adoption_id,
        policy=policy,
    )


def end_adoption(
    ws: Workspace,
    adoption_id: str,
    notice_on: date,
    *,
    end_on: date | None = None,
    policy: AdoptionPolicy = DEFAULT_ADOPTION_POLICY,
) -> AdoptionTerm:
    """End an adoption early with notice (30 days by default) and return the shortened term.

    Raises
    ------
    AdoptionError
        ``adoption.notice_too_short`` or ``adoption.notice_after_end`` (core.adoption).
    """
    record = _adoption(ws, adoption_id)
    term = rules.end_with_notice(_term(record, policy), notice_on, policy, end_on)
    ws.update("adoptions", record["uuid"], {"end_on": term.end_on, "notice_given_on": notice_on})
    return term


def log_care(
    ws: Workspace,
    zone_id: str,
    checked_on: date,
    result: CareResult | str = CareResult.GOOD,
    *,
    note: str | None = None,
    photo_path: str | None = None,
    adoption_id: str | None = None,
    idempotency_key: str | None = None,
) -> str:
    """Add a care check of a zone to the log and return its uuid (photos are never published).

    The adoption is the one covering ``checked_on`` when not given.
    """
    problems = []
    if not ws.count("adoption_zones", {"zone_id": str(zone_id)}):
        problems.append(
            Problem("adoption_flow.unknown_zone", column=column_display_name("zone_id"), params={"value": zone_id})
        )
    if result not in set(CareResult):
        allowed = "、".join(i18n.label("care_result", r) for r in CareResult)
        problems.append(
            Problem(
                "adoption_flow.bad_code",
                column=column_display_name("result"),
                params={"value": result, "allowed": allowed},
            )
        )
    if problems:
        raise AdoptionRegisterError("adoption_flow.bad_care", problems=problems, count=len(problems))
    if adoption_id is None:
        for record in ws.records("adoptions", {"zone_id": zone_id}).to_dict("records"):
            if _term(record, DEFAULT_ADOPTION_POLICY).contains(checked_on):
                adoption_id = str(record["adoption_id"])
    values = {
        "zone_id": zone_id,
        "adoption_id": adoption_id,
        "checked_on": checked_on,
        "result": str(CareResult(result)),
        "note": note,
        "photo_path": photo_path,
    }
    return ws.add("adoption_care_log", values, idempotency_key=idempotency_key)


def adoption_alerts(ws: Workspace, today: date, *, policy: AdoptionPolicy = DEFAULT_ADOPTION_POLICY) -> list[Alert]:
    """Return what needs attention on ``today``: terms ending within 30 days, expired terms, care overdue."""
    zones = ws.read_layer("adoption_zones").drop(columns="geometry")
    return rules.alerts(ws.records("adoptions"), ws.records("adoption_care_log"), today, zones=zones, policy=policy)


def alert_table(alerts: list[Alert], language: str | None = None) -> pd.DataFrame:
    """Return alerts as a table for the planner: kind, zone, message."""
    return pd.DataFrame(
        {
            i18n.t("adoption_flow.alert_column.kind", language): [
                i18n.t(f"adoption_flow.alert_kind.{a.kind}", language) for a in alerts
            ],
            i18n.t("adoption_flow.alert_column.zone", language): [a.zone_id for a in alerts],
            i18n.t("adoption_flow.alert_column.message", language): [a.message(language) for a in alerts],
        }
    )


def _identities(ws: Workspace) -> dict[str, AdopterIdentity]:
    """Return adoption id -> real name and building label (private, used only to mask)."""
    adoptions = ws.records("adoptions")
    contacts = ws.private_records("adopter_contacts").set_index("adoption_uuid")
    households = ws.records("households").set_index("household_id")
    labels = ws.read_layer("buildings").set_index("building_id")["label"]
    out = {}
    for record in adoptions.to_dict("records"):
        if record["uuid"] not in contacts.index:
            continue
        contact = contacts.loc[record["uuid"]]
        household = plain_value(contact["household_id"])
        building = None
        if household is not None and household in households.index:
            building = labels.get(households.loc[household, "building_id"])
        out[str(record["adoption_id"])] = AdopterIdentity(plain_value(contact["name"]), building)
    return out


def roster_adoptions(ws: Workspace, gate: PublicationGate) -> pd.DataFrame:
    """Return the adoptions with each one's display name and whether the gate's consents let it be shown.

    A person's display name comes from the private file; ``publish_name_consent``
    is true only when an active consent of the gate's purpose covers that name
    for that adoption. For core.adoption.public_roster; never publish this frame.
    """
    adoptions = ws.records("adoptions")
    contacts = ws.private_records("adopter_contacts")
    private_names = dict(zip(contacts["adoption_uuid"], contacts["public_name"], strict=True))
    names = [
        plain_value(name) or plain_value(private_names.get(uuid))
        for uuid, name in zip(adoptions["uuid"], adoptions["public_name"], strict=True)
    ]
    consent = [
        gate.consented(name, subject_id=str(aid)) if name else False
        for name, aid in zip(names, adoptions["adoption_id"], strict=True)
    ]
    return adoptions.assign(public_name=names, publish_name_consent=consent)


def roster(ws: Workspace, today: date | None, *, language: str | None = None) -> pd.DataFrame:
    """Return the published roster (统一信息台账) of adoptions running on ``today`` (all when None).

    Allow-listed columns only (core.adoption.public_roster): a person appears
    by the name they consented to publish (an active ``adopter_roster``
    consent on ``today``), else building and masked surname.
    """
    gate = publication_gate(ws).for_purpose(Purpose.ADOPTER_ROSTER, today)
    zones = ws.read_layer("adoption_zones").drop(columns="geometry")
    return rules.public_roster(
        roster_adoptions(ws, gate), zones, identities=_identities(ws), on=today, language=language
    )


def sign_contents(ws: Workspace, today: date, *, language: str | None = None) -> list[SignContent]:
    """Return what each 认养牌 of the adoptions running on ``today`` shows, by zone number."""
    gate = publication_gate(ws).for_purpose(Purpose.ADOPTER_ROSTER, today)
    zones = ws.read_layer("adoption_zones").drop(columns="geometry")
    adoptions = roster_adoptions(ws, gate)
    identities = _identities(ws)
    signs = []
    for position in range(len(adoptions)):
        one = adoptions.iloc[[position]]
        shown = rules.public_roster(one, zones, identities=identities, on=today, language=language)
        if shown.empty:
            continue
        row = shown.iloc[0]
        duties = plain_value(one.iloc[0]["duties"]) or ""
        signs.append(
            SignContent(
                int(row["zone_number"]),
                str(row["zone_type"]),
                str(row["adopter_type"]),
                str(row["adopter"]),
                row["start_on"],
                row["end_on"],
                gate.mask(duties),  # free text typed by the planner: no phone or name may slip onto a sign
            )
        )
    return sorted(signs, key=lambda s: (s.zone_number, s.start_on))


def available_zones(ws: Workspace, on: date, *, policy: AdoptionPolicy = DEFAULT_ADOPTION_POLICY) -> list[str]:
    """Return the zones with no adoption covering ``on``."""
    zones = ws.read_layer("adoption_zones")
    adoptions = ws.records("adoptions")
    taken = {str(r["zone_id"]) for r in adoptions.to_dict("records") if _term(r, policy).contains(on)}
    return [z for z in zones["zone_id"].astype(str) if z not in taken]


def release_expired(ws: Workspace, today: date, *, policy: AdoptionPolicy = DEFAULT_ADOPTION_POLICY) -> list[str]:
    """Mark zones whose last term has ended (no renewal) as available again; return their ids.

    Zones marked adopted with no adoption on record at all are left alone:
    the register may not hold their history yet.
    """
    zones = ws.read_layer("adoption_zones")
    adoptions = ws.records("adoptions")
    released = []
    for zone_id in zones.loc[zones["status"] == "adopted", "zone_id"].astype(str):
        terms = [_term(r, policy) for r in adoptions[adoptions["zone_id"].astype(str) == zone_id].to_dict("records")]
        if terms and all(term.end_on < today for term in terms):
            released.append(zone_id)
    if released:
        zones.loc[zones["zone_id"].isin(released), "status"] = "available"
        ws.write_layer("adoption_zones", zones)
    return released


def ending_within(ws: Workspace, today: date, days: int = 30) -> list[str]:
    """Return adoption ids whose term ends within ``days`` of ``today``."""
    adoptions = ws.records("adoptions")
    last = today + timedelta(days=days)
    return [
        str(r["adoption_id"])
        for r in adoptions.to_dict("records")
        if today <= _term(r, DEFAULT_ADOPTION_POLICY).end_on <= last
    ]


def write_workspace_signs(
    ws: Workspace, path: str | Path, today: date, *, office_phone: str, language: str | None = None
) -> Path:
    """Write the signs of every adoption running on ``today`` in the workspace."""
    from cogov_toolkit.workflows.adoptions import sign_contents

    return write_adoption_signs(
        sign_contents(ws, today, language=language),
        path,
        community=ws.community_name,
        office_phone=office_phone,
        language=language,
    )


__all__ = [
    "AdopterContact",
    "next_adoption_id",
    "register_adoption",
    "renew_adoption",
    "end_adoption",
    "log_care",
    "adoption_alerts",
    "alert_table",
    "roster",
    "roster_adoptions",
    "sign_contents",
    "available_zones",
    "release_expired",
    "ending_within",
    # re-exported for widgets and notebooks
    "AdopterType",
    "CareResult",
]
