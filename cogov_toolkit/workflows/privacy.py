"""Privacy on a workspace: the publication gate, consent records, and deleting a resident's data on request.

* :func:`publication_gate` builds the one gate (:class:`~cogov_toolkit.core.privacy.PublicationGate`)
  from every private table of the workspace and its households' ids; every
  notice, roster, sign, report, map and export passes through it.
* :func:`record_consent`, :func:`withdraw_consent` and :func:`consents` keep
  the consent record (private file): who agreed to be named, for what (honour
  roll, adopter roster, nominee list, photos), from when, withdrawn when. The
  gate reads it: a name is published only where an active consent covers
  that publication, and a withdrawn consent removes the name from the next one.
* :func:`erase_household` deletes a household's personal data from the
  private file and from every backup (PIPL Art. 47).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.privacy import Consent, PublicationGate, Purpose, consents_from
from cogov_toolkit.core.schema import PRIVATE_TABLES
from cogov_toolkit.core.values import is_blank, new_uuid
from cogov_toolkit.errors import Problem, ValidationError

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace


def publication_gate(ws: Workspace) -> PublicationGate:
    """Return the publication gate of ``ws``: its private strings, household ids and consents.

    Built afresh at each call, so a consent withdrawn a moment ago already counts.
    """
    private = {name: ws.private_records(name) for name in PRIVATE_TABLES}
    households = ws.records("households")
    ids = households["household_id"] if "household_id" in households.columns else []
    return PublicationGate.from_tables(private, household_ids=ids)


def record_consent(
    ws: Workspace,
    purpose: Purpose | str,
    *,
    given_on: dt.date,
    household_id: str | None = None,
    name: str | None = None,
    public_name: str | None = None,
    subject_id: str | None = None,
) -> str:
    """Record that a person agreed to be named (as ``public_name``) in publications of ``purpose``; return its uuid.

    Raises
    ------
    ValidationError
        ``privacy.bad_purpose`` or ``privacy.no_consent_subject`` (neither a
        household, a name nor a public name given).
    """
    problems = []
    if purpose not in set(Purpose):
        allowed = "、".join(i18n.label("consent_purpose", p) for p in Purpose)
        problems.append(Problem("privacy.bad_purpose", params={"value": purpose, "allowed": allowed}))
    if all(is_blank(v) for v in (household_id, name, public_name)):
        problems.append(Problem("privacy.no_consent_subject"))
    if problems:
        raise ValidationError("validation", problems=problems, count=len(problems))
    row = {
        "purpose": str(Purpose(purpose)),
        "given_on": given_on,
        "household_id": household_id,
        "name": name,
        "public_name": public_name,
        "subject_id": subject_id,
    }
    uuid = new_uuid()
    ws.add_private("consents", [{"uuid": uuid, **{k: v for k, v in row.items() if not is_blank(v)}}])
    return uuid


def withdraw_consent(
    ws: Workspace,
    purpose: Purpose | str,
    *,
    on: dt.date,
    household_id: str | None = None,
    subject_id: str | None = None,
    name: str | None = None,
) -> int:
    """Withdraw the active consents of ``purpose`` that match the household, record or name; return how many.

    The name leaves every publication of that purpose made from ``on``.
    """
    frame = ws.private_records("consents")
    if frame.empty:
        return 0
    wanted = frame["purpose"] == str(Purpose(purpose))
    wanted &= frame["withdrawn_on"].map(is_blank)
    for column, value in (("household_id", household_id), ("subject_id", subject_id)):
        if value is not None:
            wanted &= frame[column] == value
    if name is not None:
        wanted &= (frame["name"] == name) | (frame["public_name"] == name)
    count = 0
    with ws.transaction():
        for uuid in frame.loc[wanted, "uuid"]:
            ws.update_private("consents", uuid, {"withdrawn_on": on})
            count += 1
    return count


def consents(ws: Workspace) -> tuple[Consent, ...]:
    """Return the consent record of the workspace (private: for the planner, never to publish)."""
    return consents_from(ws.private_records("consents"))


def consent_table(ws: Workspace, language: str | None = None) -> pd.DataFrame:
    """Return the consent record as a table for the planner: household, public name, purpose, given, withdrawn."""
    frame = ws.private_records("consents")
    columns = ("household_id", "public_name", "purpose", "given_on", "withdrawn_on")
    shown = pd.DataFrame({c: frame[c] if c in frame else [] for c in columns})
    shown["purpose"] = [i18n.label("consent_purpose", p, language) for p in shown["purpose"]]
    return shown.rename(columns={c: i18n.t(f"column.{c}", language) for c in columns})


@dataclass(frozen=True)
class Erasure:
    """What :func:`erase_household` deleted: rows of the private file by table, and rows in backups."""

    household_id: str
    rows: dict[str, int]
    backup_rows: int

    def __str__(self) -> str:
        return i18n.t(
            "privacy.erased", household=self.household_id, rows=sum(self.rows.values()), backup_rows=self.backup_rows
        )


def erase_household(ws: Workspace, household_id: str) -> Erasure:
    """Delete every personal record of a household on request: the private file and every backup.

    Its roster entry (name, phone, hardship note), its contacts on demands,
    adoptions and objections, its consents, and the private links of its
    ballots and evaluations go; the public records themselves (a demand's
    text, a ballot's choice) stay, tied to no one. Deleted rows are
    overwritten (``secure_delete``), not left in free pages.

    Raises
    ------
    ValidationError
        ``privacy.nothing_to_erase`` when the private file holds nothing for it.
    """
    rows, backup_rows = ws.erase_household(str(household_id).strip())
    if not sum(rows.values()):
        raise ValidationError("privacy.nothing_to_erase", household=household_id)
    return Erasure(str(household_id).strip(), rows, backup_rows)


__all__ = [
    "publication_gate",
    "record_consent",
    "withdraw_consent",
    "consents",
    "consent_table",
    "Erasure",
    "erase_household",
    # re-exported for widgets and notebooks
    "Purpose",
    "PublicationGate",
]
