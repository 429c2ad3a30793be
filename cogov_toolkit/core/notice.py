"""The public notice (公示): what it holds, its default period, and the check that nothing private is in it.

A :class:`Notice` is what the notice pack (Word, PDF, WeChat image, A3 poster)
renders and what the ``notices`` record table stores. Its parts follow
DOMAIN.md: title, 依据, 事项 (with a table), 公示时间 start–end (7 days by
default), how to object (来信/来电/来访), the contact and the office's public
phone, 落款 and date, and optionally a map image. Everything in it is meant to
be published, so :func:`check_public` passes every text of it through the
publication gate (:mod:`cogov_toolkit.core.privacy`): no phone or ID number
other than the office's own phone, no room address or household id, and no
private name unless its owner consented to this kind of notice (an adoption
roster may name consented adopters, a decision consented nominees).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cogov_toolkit import i18n
from cogov_toolkit.core.privacy import PublicationGate, Purpose
from cogov_toolkit.core.values import parse_date
from cogov_toolkit.errors import NoticeError, Problem

DEFAULT_PERIOD_DAYS = 7
DEFAULT_OBJECTION_CHANNELS = ("letter", "phone", "visit")  # 来信、来电、来访 (labels: notice.channel.<code>)
#: the consent a kind of notice may name people under (the others name no one)
PURPOSE_OF_KIND: Mapping[str, Purpose] = {
    "adoption_roster": Purpose.ADOPTER_ROSTER,
    "decision": Purpose.NOMINEE_LIST,
    "honour_roll": Purpose.HONOUR_ROLL,
}


@dataclass(frozen=True)
class NoticeTable:
    """The 事项 table of a notice: column headers and rows of display text."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @classmethod
    def from_records(cls, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> NoticeTable:
        """Build a table, turning every cell into display text (None becomes empty)."""
        return cls(tuple(str(c) for c in columns), tuple(tuple("" if v is None else str(v) for v in r) for r in rows))


@dataclass(frozen=True)
class Notice:
    """One public notice, ready to render; every field is public by design."""

    notice_id: str
    title: str
    basis: str
    matter: str
    start_on: dt.date
    end_on: dt.date
    contact: str
    office_phone: str
    issuer: str
    issued_on: dt.date
    kind: str = "other"
    table: NoticeTable | None = None
    objection_channels: tuple[str, ...] = DEFAULT_OBJECTION_CHANNELS
    objection_address: str = ""
    map_image: str | None = None  # path of a PNG made by the map export, shown under the matter
    subject_id: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def period_days(self) -> int:
        """The publicity period in days, both ends included."""
        return (self.end_on - self.start_on).days + 1

    def record(self) -> dict[str, Any]:
        """Return the fields of the ``notices`` record table for this notice."""
        body = {
            "table": {"columns": list(self.table.columns), "rows": [list(r) for r in self.table.rows]}
            if self.table
            else None,
            "objection_channels": list(self.objection_channels),
            "objection_address": self.objection_address,
            "office_phone": self.office_phone,
            "map_image": self.map_image,
            "notes": list(self.notes),
        }
        return {
            "notice_id": self.notice_id,
            "title": self.title,
            "basis": self.basis,
            "matter": self.matter,
            "body": json.dumps(body, ensure_ascii=False, sort_keys=True),
            "start_on": self.start_on,
            "end_on": self.end_on,
            "contact": self.contact,
            "issuer": self.issuer,
            "issued_on": self.issued_on,
            "kind": self.kind,
            "subject_id": self.subject_id,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Notice:
        """Rebuild a notice from a ``notices`` row (as :meth:`record` wrote it)."""
        body = json.loads(record.get("body") or "{}")
        table = body.get("table")
        return cls(
            notice_id=record["notice_id"],
            title=record["title"],
            basis=record.get("basis") or "",
            matter=record.get("matter") or "",
            start_on=_date(record["start_on"]),
            end_on=_date(record["end_on"]),
            contact=record.get("contact") or "",
            office_phone=body.get("office_phone", ""),
            issuer=record.get("issuer") or "",
            issued_on=_date(record["issued_on"]),
            kind=record.get("kind") or "other",
            table=NoticeTable.from_records(table["columns"], table["rows"]) if table else None,
            objection_channels=tuple(body.get("objection_channels", DEFAULT_OBJECTION_CHANNELS)),
            objection_address=body.get("objection_address", ""),
            map_image=body.get("map_image"),
            subject_id=record.get("subject_id"),
            notes=tuple(body.get("notes", ())),
        )


def default_period(start_on: dt.date, days: int = DEFAULT_PERIOD_DAYS) -> tuple[dt.date, dt.date]:
    """Return (start, end) of a publicity period of ``days`` days, both ends included."""
    return start_on, start_on + dt.timedelta(days=days - 1)


def format_date(day: dt.date, language: str | None = None) -> str:
    """Return a date as every notice writes it, e.g. "2026年4月1日" (the one catalog key ``notice.text.date``).

    Written out, not ISO: builders, the notice pack and the ledgers all call this one.
    """
    return i18n.t("notice.text.date", language, year=day.year, month=day.month, day=day.day)


def _date(value: Any) -> dt.date:
    return parse_date(value)


def notice_texts(notice: Notice) -> list[str]:
    """Return every text a notice publishes (parts, notes, table headers and cells), for the gate."""
    texts = [
        notice.title,
        notice.basis,
        notice.matter,
        notice.contact,
        notice.issuer,
        notice.objection_address,
        *notice.notes,
    ]
    if notice.table:
        texts += list(notice.table.columns) + [cell for row in notice.table.rows for cell in row]
    return texts


def check_public(notice: Notice, gate: PublicationGate, *, min_days: int = DEFAULT_PERIOD_DAYS) -> None:
    """Raise NoticeError listing every problem that keeps ``notice`` from being published.

    Checks that the required parts are filled, that the period lasts at least
    ``min_days`` days, and passes every text through ``gate`` (built from the
    workspace's private file: ``workflows.privacy.publication_gate``) for the
    notice's kind: no phone or ID number other than the office's public phone,
    no room address or household id, and no private name unless consented to
    this kind of notice on its date of issue.
    """
    problems: list[Problem] = []
    for part in ("title", "matter", "contact", "office_phone", "issuer"):
        if not str(getattr(notice, part)).strip():
            problems.append(Problem("notice.part_missing", column=i18n.t(f"notice.part.{part}")))
    if notice.period_days < min_days:
        problems.append(Problem("notice.period_too_short", params={"days": notice.period_days, "min_days": min_days}))
    purpose = PURPOSE_OF_KIND.get(notice.kind)
    checked = gate.for_purpose(purpose, notice.issued_on) if purpose is not None else gate
    problems += checked.problems(notice_texts(notice), allowed_numbers=[notice.office_phone])
    if problems:
        raise NoticeError(problems=problems, count=len(problems), title=notice.title)


__all__ = [
    "DEFAULT_PERIOD_DAYS",
    "DEFAULT_OBJECTION_CHANNELS",
    "Notice",
    "NoticeTable",
    "default_period",
    "format_date",
    "notice_texts",
    "check_public",
    "PURPOSE_OF_KIND",
]
